//! Answering: drafts saved per page, resuming, and anonymous submission.
