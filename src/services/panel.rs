//! Panel membership: joining, confirming, profiles, pausing, leaving.
