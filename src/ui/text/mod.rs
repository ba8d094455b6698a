//! Translation tables, one per part of the page.
pub mod common;
