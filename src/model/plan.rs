//! The plan: one chain from a budget to the numbers every section shows, evaluated from a
//! [`Scenario`]. The page and `scalecalc scenario` both call [`evaluate`], so they cannot disagree.

use super::explain::Explained;
use super::scaling::{self, Allocation, ParametricLaw};
use super::scenario::Scenario;
use serde::Serialize;

/// Everything computed from a scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanResult {
    /// The law used (id).
    pub law: String,
    /// The law's constants.
    pub law_constants: ParametricLaw,
    /// Compute-optimal allocation for the budget.
    pub optimal: Allocation,
    /// Every number above with formula, substituted values and source.
    pub explained: Vec<Explained>,
    /// Problems found while evaluating (e.g. an unknown preset id), in English.
    pub notes: Vec<String>,
}

/// Evaluates the scenario.
pub fn evaluate(s: &Scenario) -> PlanResult {
    let mut notes = Vec::new();
    let preset = match scaling::law_preset(&s.law) {
        Some(p) => p,
        None => {
            notes.push(format!(
                "law '{}' is not a preset ({}); using hoffmann2022",
                s.law,
                scaling::law_ids().join(", ")
            ));
            &scaling::LAW_PRESETS[0]
        }
    };
    let law = (preset.law)();
    let optimal = law.optimal(s.flops);
    let explained = law.optimal_explained(s.flops, preset.source);
    PlanResult {
        law: preset.id.to_string(),
        law_constants: law,
        optimal,
        explained,
        notes,
    }
}
