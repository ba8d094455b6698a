//! Provenance: where a number comes from, and how it was computed.
//!
//! Every preset constant carries a [`Source`]; every number the page shows can be turned into an
//! [`Explained`] value (formula, the values substituted, the source), so the page's "how"
//! disclosures are generated from the model's own metadata, not written by hand per number.

use serde::Serialize;

/// A citation: a paper with its table or equation, or a datasheet with its revision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Source {
    /// Short stable id, e.g. `hoffmann2022`.
    pub id: &'static str,
    /// Authors, year and title as one would cite them.
    pub citation: &'static str,
    /// The exact place: table, equation, section, figure or datasheet revision.
    pub locator: &'static str,
    /// A link to the source (paper abstract page or vendor datasheet).
    pub url: &'static str,
}

/// A computed number with its unit, its formula, the values substituted, and its source.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explained {
    /// Stable key, e.g. `optimal.params`; the page translates it to a label.
    pub key: &'static str,
    pub value: f64,
    /// Unit symbol, e.g. `FLOP`, `params`, `tokens`, `nats/token`, `USD`.
    pub unit: &'static str,
    /// The formula in plain text, e.g. `N* = G·(C/6)^a`.
    pub formula: &'static str,
    /// The formula with this scenario's values substituted.
    pub substituted: String,
    pub source: Source,
}

impl Explained {
    pub fn new(
        key: &'static str,
        value: f64,
        unit: &'static str,
        formula: &'static str,
        substituted: String,
        source: Source,
    ) -> Self {
        Self {
            key,
            value,
            unit,
            formula,
            substituted,
            source,
        }
    }
}

/// Our own arithmetic from sourced inputs.
pub const DERIVED: Source = Source {
    id: "derived",
    citation: "scalecalc (derived from the cited inputs)",
    locator: "arithmetic on the inputs shown",
    url: "",
};
