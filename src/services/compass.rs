//! The compass: frameworks, assessments, resident scores and dialogue indicators.
