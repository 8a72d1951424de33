//! Pages for joining the panel and a member's own page, and the staff panel overview.
