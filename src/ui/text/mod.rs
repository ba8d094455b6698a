//! Translation tables, one per part of the page.
pub mod common;
pub mod inference;

use crate::ui::i18n::Entry;

/// Every table; `i18n::t` searches them in order.
pub const ALL: &[&[Entry]] = &[common::TEXT, inference::TEXT];
