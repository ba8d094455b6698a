//! Translation tables, one per part of the page.
pub mod common;
pub mod density;
pub mod inference;
pub mod page;
pub mod runs;
pub mod scaling;
pub mod sources;
pub mod symbols;
pub mod training;

use crate::ui::i18n::Entry;

/// Every table; `i18n::t` searches them in order.
pub const ALL: &[&[Entry]] = &[
    common::TEXT,
    page::TEXT,
    scaling::TEXT,
    density::TEXT,
    training::TEXT,
    inference::TEXT,
];

/// [`ALL`] and the tables that split sections register when they load (`i18n::register`): what
/// the tests check.
#[cfg(test)]
pub const ALL_AND_DEFERRED: &[&[Entry]] = &[
    common::TEXT,
    page::TEXT,
    scaling::TEXT,
    density::TEXT,
    training::TEXT,
    inference::TEXT,
    runs::TEXT,
];
