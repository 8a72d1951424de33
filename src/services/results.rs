//! Results: aggregates in SQL, weighting, suppression, feedback.
