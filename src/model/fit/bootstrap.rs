//! Bootstrap.
