//! Results pages and charts.
