//! Loss scaling laws: cited presets, predictions and optima.
//!
//! - [`chinchilla`]: `L = E + A/N^α + B/D^β` (Hoffmann et al. 2022) and its closed-form optimum.
//! - [`kaplan`]: `L = [(N_c/N)^(α_N/α_D) + D_c/D]^α_D` (Kaplan et al. 2020), numeric optimum.
//! - [`allocation`]: allocation-only laws (DeepSeek 2024, Llama 3 2024).
//! - [`curves`]: iso-FLOP curves, iso-loss contours, frontiers.
//! - [`data`]: data-constrained scaling (Muennighoff et al. 2023).
//! - [`inference`]: the inference-aware optimum (Sardana et al. 2024), in FLOPs and in dollars.
//! - [`hyper`]: hyper-parameter laws (DeepSeek 2024) and a power-law fit with Student-t intervals.
//! - [`evaluate()`]: the section's single entry point from a [`super::scenario::Scenario`].
//!
//! [`Law`] is the one type every prediction takes: a preset (by id through [`law_by_id`]), a law
//! read from JSON ([`Law::from_json`]) or a fit (`Law::Chinchilla(fitted)`) are interchangeable.

pub mod allocation;
pub mod chinchilla;
pub mod curves;
pub mod data;
pub mod evaluate;
pub mod hyper;
pub mod inference;
pub mod kaplan;
pub mod minimize;

use super::explain;
use explain::Source;
use serde::Serialize;

pub use allocation::{
    DeepSeekAllocation, PowerLaw, TokenLaw, DEEPSEEK2024, LLAMA3_2024, SRC_DEEPSEEK, SRC_LLAMA3,
};
pub use chinchilla::{
    hoffmann2022_tex, law_preset, Allocation, LawError, LawPreset, ParametricLaw, BESIROGLU2024,
    HOFFMANN2022, LAW_PRESETS, SARDANA2024, SRC_BESIROGLU, SRC_HOFFMANN, SRC_HOFFMANN_TEX,
    SRC_SARDANA,
};
pub use evaluate::{evaluate, evaluate_with_fit, ScalingResult};
pub use kaplan::{KaplanLaw, KAPLAN2020, SRC_KAPLAN};

/// Why a scaling computation cannot be done.
#[derive(Debug, Clone, PartialEq)]
pub enum ScalingError {
    /// A law constant is NaN, infinite or out of range.
    BadConstant { name: &'static str, value: f64 },
    /// An input is NaN, infinite or out of its range.
    BadInput {
        name: &'static str,
        value: f64,
        rule: &'static str,
    },
    /// The law gives no loss (an allocation-only law).
    NoLoss { law: String },
    /// The target loss is at or below the law's irreducible loss.
    UnreachableLoss { target: f64, floor: f64 },
    /// The numeric search found no finite optimum (should not happen for valid inputs).
    NoOptimum { what: &'static str },
    /// A law file is not a JSON object with finite `E`, `A`, `B`, `alpha`, `beta`.
    LawFile(String),
}

impl std::fmt::Display for ScalingError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ScalingError::BadConstant { name, value } => {
                write!(f, "law constant {name} must be a finite positive number, got {value}")
            }
            ScalingError::BadInput { name, value, rule } => {
                write!(f, "{name} must be {rule}, got {value}")
            }
            ScalingError::NoLoss { law } => write!(
                f,
                "law '{law}' predicts an allocation only, not a loss; choose a law with a loss formula"
            ),
            ScalingError::UnreachableLoss { target, floor } => write!(
                f,
                "target loss {target} is unreachable: it must be above the law's irreducible loss {floor}"
            ),
            ScalingError::NoOptimum { what } => write!(f, "no finite optimum found for {what}"),
            ScalingError::LawFile(msg) => write!(f, "law file: {msg}"),
        }
    }
}

impl std::error::Error for ScalingError {}

impl From<LawError> for ScalingError {
    fn from(e: LawError) -> Self {
        match e {
            LawError::NotPositive { name, value } => ScalingError::BadConstant { name, value },
        }
    }
}

/// Checks `value` is finite and `> 0`.
pub(crate) fn positive(name: &'static str, value: f64) -> Result<f64, ScalingError> {
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(ScalingError::BadInput {
            name,
            value,
            rule: "a finite number greater than 0",
        })
    }
}

/// A compute-optimal point of any law; `loss` is `None` for allocation-only laws.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Optimum {
    /// Budget `C`, FLOP.
    pub flops: f64,
    /// `N*`, parameters (in the law's own convention: see [`Law::params_convention`]).
    pub params: f64,
    /// `D*`, tokens.
    pub tokens: f64,
    /// `D*/N*`.
    pub tokens_per_param: f64,
    /// Loss at the optimum, nats/token.
    pub loss: Option<f64>,
}

impl Optimum {
    pub(crate) fn new(flops: f64, params: f64, tokens: f64, loss: Option<f64>) -> Self {
        Self {
            flops,
            params,
            tokens,
            tokens_per_param: tokens / params,
            loss,
        }
    }
}

impl From<Allocation> for Optimum {
    fn from(a: Allocation) -> Self {
        Self::new(a.flops, a.params, a.tokens, Some(a.loss))
    }
}

/// Any scaling law the product knows: a preset, a law file or a fit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "form", rename_all = "kebab-case")]
pub enum Law {
    /// `L = E + A/N^α + B/D^β` (Hoffmann et al. 2022).
    Chinchilla(ParametricLaw),
    /// `L = [(N_c/N)^(α_N/α_D) + D_c/D]^α_D` (Kaplan et al. 2020).
    Kaplan(KaplanLaw),
    /// DeepSeek's `M_opt(C)`, `D_opt(C)` (allocation only).
    DeepSeek(DeepSeekAllocation),
    /// A law for the optimal tokens `D*(C)` (allocation only; Llama 3).
    Tokens(TokenLaw),
}

impl From<ParametricLaw> for Law {
    fn from(l: ParametricLaw) -> Self {
        Law::Chinchilla(l)
    }
}

impl Law {
    /// Checks the constants.
    pub fn validate(&self) -> Result<(), ScalingError> {
        match self {
            Law::Chinchilla(l) => Ok(l.validate()?),
            Law::Kaplan(l) => l.validate(),
            Law::DeepSeek(l) => l.validate(),
            Law::Tokens(l) => l.validate(),
        }
    }

    /// Reads a Chinchilla-form law from JSON `{"E": …, "A": …, "B": …, "alpha": …, "beta": …}`
    /// (the object `scalecalc fit --json` prints; other keys are ignored) and validates it.
    ///
    /// ```
    /// use scalecalc_model::scaling::Law;
    /// let law = Law::from_json(r#"{"E":1.69,"A":406.4,"B":410.7,"alpha":0.34,"beta":0.28}"#).unwrap();
    /// assert!((law.loss(70e9, 1.4e12).unwrap() - 1.9369).abs() < 1e-3);
    /// assert!(Law::from_json(r#"{"E":1.69}"#).is_err());
    /// ```
    pub fn from_json(text: &str) -> Result<Law, ScalingError> {
        let l: ParametricLaw = serde_json::from_str(text).map_err(|e| {
            ScalingError::LawFile(format!(
                "expected a JSON object with numbers E, A, B, alpha, beta ({e})"
            ))
        })?;
        l.validate()?;
        // A file is anyone's: beyond positivity, its constants must lie where a fitted law can
        // (issue 19: `"beta": 1e-300` made every figure ∞). Published Chinchilla-form fits have
        // E 1.7–2, A and B 10²–10⁴, exponents 0.2–0.5; the bounds leave room around them.
        for (name, value, lo, hi) in [
            ("E", l.e, 0.0, 20.0),
            ("A", l.a, 1e-6, 1e30),
            ("B", l.b, 1e-6, 1e30),
            ("alpha", l.alpha, 0.01, 5.0),
            ("beta", l.beta, 0.01, 5.0),
        ] {
            if !(lo..=hi).contains(&value) {
                return Err(ScalingError::LawFile(format!(
                    "constant {name} = {value} is outside [{lo}, {hi}]"
                )));
            }
        }
        Ok(Law::Chinchilla(l))
    }

    /// A short name of the law's form, for messages.
    pub fn form_name(&self) -> &'static str {
        match self {
            Law::Chinchilla(_) => "Chinchilla-form law",
            Law::Kaplan(_) => "Kaplan L(N, D) law",
            Law::DeepSeek(_) => "DeepSeek allocation law",
            Law::Tokens(_) => "token-allocation law",
        }
    }

    /// Whether the law has a loss formula.
    pub fn has_loss(&self) -> bool {
        matches!(self, Law::Chinchilla(_) | Law::Kaplan(_))
    }

    /// What `N` counts in this law.
    pub fn params_convention(&self) -> &'static str {
        match self {
            Law::Chinchilla(_) | Law::Tokens(_) => "total parameters (embeddings included)",
            Law::Kaplan(_) => "non-embedding parameters",
            Law::DeepSeek(_) => "non-embedding FLOPs per token ÷ 6 (parameter-equivalents)",
        }
    }

    /// The Chinchilla-form constants, if the law has that form.
    pub fn parametric(&self) -> Option<&ParametricLaw> {
        match self {
            Law::Chinchilla(l) => Some(l),
            _ => None,
        }
    }

    /// `L(N, D)`, nats/token; `None` for allocation-only laws or when `N`, `D` are not finite and
    /// positive.
    pub fn loss(&self, params: f64, tokens: f64) -> Option<f64> {
        if !(params > 0.0 && tokens > 0.0 && params.is_finite() && !tokens.is_nan()) {
            return None;
        }
        let l = match self {
            Law::Chinchilla(l) => l.loss(params, tokens),
            Law::Kaplan(l) => l.loss(params, tokens),
            Law::DeepSeek(_) | Law::Tokens(_) => return None,
        };
        l.is_finite().then_some(l)
    }

    /// The loss no model reaches (`E`; 0 for Kaplan's law); `None` without a loss formula.
    pub fn irreducible_loss(&self) -> Option<f64> {
        match self {
            Law::Chinchilla(l) => Some(l.e),
            Law::Kaplan(_) => Some(0.0),
            _ => None,
        }
    }

    /// Tokens that reach `ℓ` with `N` parameters; `None` if unreachable or no loss formula.
    pub fn tokens_for_loss(&self, params: f64, target_loss: f64) -> Option<f64> {
        match self {
            Law::Chinchilla(l) => l.tokens_for_loss(params, target_loss),
            Law::Kaplan(l) => l.tokens_for_loss(params, target_loss),
            _ => None,
        }
    }

    /// Smallest model that reaches `ℓ` with unlimited data.
    pub fn min_params_for_loss(&self, target_loss: f64) -> Option<f64> {
        match self {
            Law::Chinchilla(l) => l.min_params_for_loss(target_loss),
            Law::Kaplan(l) => l.min_params_for_loss(target_loss),
            _ => None,
        }
    }

    /// Compute-optimal `N*`, `D*` for a budget `C` (FLOP), `C = 6ND`: closed form for the
    /// Chinchilla form, numeric for Kaplan's, the fitted power laws for allocation-only laws.
    /// `None` when `C` is not finite and positive.
    pub fn optimal(&self, flops: f64) -> Option<Optimum> {
        if !(flops.is_finite() && flops > 0.0) {
            return None;
        }
        match self {
            Law::Chinchilla(l) => Some(l.optimal(flops).into()),
            Law::Kaplan(l) => l.optimal(flops),
            Law::DeepSeek(l) => l.optimal(flops),
            Law::Tokens(l) => l.optimal(flops),
        }
    }
}

/// A law in the catalogue.
#[derive(Debug, Clone, Copy)]
pub struct LawInfo {
    /// Stable id (URL, CLI).
    pub id: &'static str,
    /// Display name (English; the page translates by id).
    pub name: &'static str,
    pub law: fn() -> Law,
    pub source: Source,
}

/// Every law, in the order the page lists them.
pub const LAWS: &[LawInfo] = &[
    LawInfo {
        id: "hoffmann2022",
        name: "Chinchilla (rounded)",
        law: || Law::Chinchilla(HOFFMANN2022),
        source: SRC_HOFFMANN,
    },
    LawInfo {
        id: "hoffmann2022-tex",
        name: "Chinchilla (unrounded)",
        law: || Law::Chinchilla(hoffmann2022_tex()),
        source: SRC_HOFFMANN_TEX,
    },
    LawInfo {
        id: "besiroglu2024",
        name: "Epoch replication",
        law: || Law::Chinchilla(BESIROGLU2024),
        source: SRC_BESIROGLU,
    },
    LawInfo {
        id: "sardana2024",
        name: "Sardana et al. (code constants)",
        law: || Law::Chinchilla(SARDANA2024),
        source: SRC_SARDANA,
    },
    LawInfo {
        id: "kaplan2020",
        name: "Kaplan et al. L(N, D)",
        law: || Law::Kaplan(KAPLAN2020),
        source: SRC_KAPLAN,
    },
    LawInfo {
        id: "deepseek2024",
        name: "DeepSeek LLM (allocation)",
        law: || Law::DeepSeek(DEEPSEEK2024),
        source: SRC_DEEPSEEK,
    },
    LawInfo {
        id: "llama3-2024",
        name: "Llama 3 (token law)",
        law: || Law::Tokens(LLAMA3_2024),
        source: SRC_LLAMA3,
    },
];

/// Looks any law up by id.
pub fn law_by_id(id: &str) -> Option<&'static LawInfo> {
    LAWS.iter().find(|p| p.id == id)
}

/// Ids of every law (the URL codec and error messages use them).
pub fn law_ids() -> Vec<&'static str> {
    LAWS.iter().map(|p| p.id).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_is_consistent() {
        let ids = law_ids();
        for p in LAW_PRESETS {
            assert!(ids.contains(&p.id), "{} missing from LAWS", p.id);
            let general = (law_by_id(p.id).unwrap().law)();
            assert_eq!(general, Law::Chinchilla((p.law)()));
        }
        let mut sorted = ids.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(sorted.len(), ids.len(), "duplicate ids");
        for l in LAWS {
            (l.law)().validate().unwrap();
            assert_eq!(l.source.id, l.id);
            let o = (l.law)().optimal(1e22).unwrap();
            assert!(
                (6.0 * o.params * o.tokens / 1e22 - 1.0).abs() < 1e-3,
                "{}",
                l.id
            );
        }
    }

    #[test]
    fn allocation_only_laws_have_no_loss() {
        for id in ["deepseek2024", "llama3-2024"] {
            let law = (law_by_id(id).unwrap().law)();
            assert!(!law.has_loss());
            assert_eq!(law.loss(1e9, 1e10), None);
            assert_eq!(law.optimal(1e22).unwrap().loss, None);
        }
    }

    #[test]
    fn bad_inputs_are_none() {
        let law = Law::Chinchilla(HOFFMANN2022);
        assert_eq!(law.loss(0.0, 1e9), None);
        assert_eq!(law.loss(f64::NAN, 1e9), None);
        assert_eq!(law.optimal(-1.0), None);
        assert_eq!(law.optimal(f64::INFINITY), None);
    }
}

#[cfg(test)]
mod golden;
