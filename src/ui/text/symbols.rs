//! What the page's symbols and terms mean (issue 18, item 8), in English and Chinese: the
//! symbols of every "how" formula, the glossary, and the units of the "how" results. This text
//! arrives with the charts module (`i18n::register_words`), not with the first download.
//!
//! A symbol is looked up first among its number's own symbols ([`BY_KEY`], keyed by
//! `explain::Key::as_str`), then among the [`COMMON`] ones: a letter that means two things on the
//! page (B: a law's coefficient, or a batch) is defined where it is used.
use crate::ui::i18n::{Entry, Words};

/// Symbols with one meaning wherever they appear.
pub const COMMON: &[Entry] = &[
    ("N", "model parameters", "模型参数量"),
    ("D", "training tokens", "训练 token 数"),
    ("C", "training compute (FLOP)", "训练计算量（FLOP）"),
];

/// Each number's own symbols (beyond or instead of [`COMMON`]), by its key.
pub const BY_KEY: &[(&str, &[Entry])] = &[];

/// Tokens of formulas that are not symbols: functions and plain words.
pub const NOT_SYMBOLS: &[&str] = &["ln", "exp", "max", "min", "argmin", "log₂", "e"];

/// The glossary: every term and symbol a reader meets on the page.
pub const GLOSSARY: &[Entry] = &[];

/// The units of the "how" results, in words.
pub const UNITS: &[Entry] = &[];

/// All of it, as the page registers it.
pub static WORDS: Words = Words {
    common: COMMON,
    by_key: BY_KEY,
    glossary: GLOSSARY,
    units: UNITS,
};
