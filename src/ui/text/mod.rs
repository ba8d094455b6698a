//! Translation tables, one per part of the page.
pub mod common;
pub mod density;
pub mod inference;
pub mod scaling;
pub mod training;

use crate::ui::i18n::Entry;

/// Every table; `i18n::t` searches them in order.
pub const ALL: &[&[Entry]] = &[
    common::TEXT,
    scaling::TEXT,
    density::TEXT,
    training::TEXT,
    inference::TEXT,
];
