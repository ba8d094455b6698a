//! The scaling-law section's single entry point: every number it shows, from a [`ScalingInput`].

use super::data::{self, DataConstrainedOptimum, DataConstraint, SRC_MUENNIGHOFF};
use super::explain::{Explained, Source, DERIVED};
use super::hyper::{deepseek_hyperparams, deepseek_hyperparams_explained, HyperParams};
use super::inference::{inference_optimal, inference_optimal_explained, InferenceOptimum};
use super::{law_by_id, law_ids, Law, Optimum, ParametricLaw, ScalingError, LAWS};
use crate::explain::Key;
use crate::scenario::LawChoice;
use serde::Serialize;

/// The user's own fit (law id `fit`).
pub const SRC_FIT: Source = Source {
    id: LawChoice::FIT,
    citation: "your runs, fitted with Hoffmann et al. 2022 App. D.2 (Huber loss on log-loss)",
    locator: "the runs table of this scenario",
    url: "",
};

/// The scaling section's inputs: exactly what [`evaluate_with_fit`] uses.
#[derive(Debug, Clone, PartialEq)]
pub struct ScalingInput {
    /// Compute budget `C`, FLOP.
    pub flops: f64,
    /// The law: a preset, or the user's fit.
    pub law: LawChoice,
    /// Unique training tokens `U` for the data-constrained optimum; `None`: unlimited data.
    pub unique_tokens: Option<f64>,
    /// Target loss for the inference-aware optimum, nats/token; `None`: not asked.
    pub target_loss: Option<f64>,
    /// Lifetime inference tokens for the inference-aware optimum.
    pub inference_tokens: f64,
}

impl Default for ScalingInput {
    fn default() -> Self {
        crate::scenario::Scenario::default().scaling()
    }
}

/// Something the scaling section tells the reader: typed, with its data; each shell words it
/// (`Display` is the CLI's English).
#[derive(Debug, Clone, PartialEq)]
pub enum ScalingNote {
    /// The law asked for is no preset; `used` is.
    UnknownLaw { asked: String, used: &'static str },
    /// The user's fit was asked for but there is none (yet); `used` is the preset used.
    FitMissing { used: &'static str },
    /// The budget is not a finite number > 0.
    BadBudget(f64),
    /// The law gives an allocation only: no loss, so no data-constrained or inference-aware optimum.
    NoLoss { law: String },
    /// The data-constrained optimum could not be computed.
    DataConstrained(ScalingError),
    /// The inference-aware optimum could not be computed (an unreachable target loss, mostly).
    InferenceAware(ScalingError),
}

impl std::fmt::Display for ScalingNote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ScalingNote::UnknownLaw { asked, used } => write!(
                f,
                "law '{asked}' is not known ({}); using {used}",
                law_ids().join(", ")
            ),
            ScalingNote::FitMissing { used } => {
                write!(f, "law 'fit' needs a successful fit of your runs; using {used}")
            }
            ScalingNote::BadBudget(c) => {
                write!(f, "compute budget {c} FLOP must be a finite number greater than 0")
            }
            ScalingNote::NoLoss { law } => write!(
                f,
                "law '{law}' has no loss formula: no loss, data-constrained or inference-aware optimum"
            ),
            ScalingNote::DataConstrained(e) => write!(f, "data-constrained optimum: {e}"),
            ScalingNote::InferenceAware(e) => write!(f, "inference-aware optimum: {e}"),
        }
    }
}

impl Serialize for ScalingNote {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

crate::hows! {
    /// The scaling section's explained numbers.
    ScalingHow {
        optimal_params: OptimalParams,
        optimal_tokens: OptimalTokens,
        optimal_tokens_per_param: OptimalTokensPerParam,
        optimal_loss: OptimalLoss,
        batch_tokens: HyperBatchTokens,
        learning_rate: HyperLearningRate,
        dc_params: DataConstrainedParams,
        dc_epochs: DataConstrainedEpochs,
        dc_effective_tokens: DataConstrainedEffectiveTokens,
        dc_loss: DataConstrainedLoss,
        ia_params: InferenceAwareParams,
        ia_tokens: InferenceAwareTokens,
        ia_chinchilla_params: InferenceAwareChinchillaParams,
        ia_chinchilla_tokens: InferenceAwareChinchillaTokens,
        ia_lifetime_flops: InferenceAwareLifetimeFlops,
        ia_lifetime_saving: InferenceAwareLifetimeSaving,
    }
}

/// Everything the scaling section shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScalingResult {
    /// Law id used (after any fallback); `fit` for the user's fit.
    pub law: String,
    /// The law used (after any fallback), as a choice.
    #[serde(skip)]
    pub used: LawChoice,
    /// The law's constants.
    pub constants: Law,
    /// Where the law comes from.
    pub source: Source,
    /// What `N` counts in this law.
    pub params_convention: &'static str,
    /// Compute-optimal allocation at the budget (`None` if the budget is invalid).
    pub optimal: Option<Optimum>,
    /// DeepSeek's batch size and learning rate at the budget.
    pub hyper: HyperParams,
    /// With unique tokens set and a law with a loss.
    pub data_constrained: Option<DataConstrainedOptimum>,
    /// With a target loss set and a law with a loss.
    pub inference_aware: Option<InferenceOptimum>,
    pub explained: Vec<Explained>,
    /// Problems (unknown id, unreachable loss…).
    pub notes: Vec<ScalingNote>,
}

impl ScalingResult {
    /// Each number's explanation, as a field.
    pub fn how(&self) -> ScalingHow {
        ScalingHow::from_list(&self.explained)
    }
}

/// Evaluates with the presets only (the user's fit falls back, with a note).
pub fn evaluate(s: &ScalingInput) -> ScalingResult {
    evaluate_with_fit(s, None)
}

/// Evaluates the section; `fitted` is the user's fit, used when the law chosen is the fit.
pub fn evaluate_with_fit(s: &ScalingInput, fitted: Option<&ParametricLaw>) -> ScalingResult {
    let mut notes = Vec::new();
    let (id, law, source) = match (&s.law, fitted) {
        (LawChoice::Fit, Some(f)) if f.validate().is_ok() => {
            (LawChoice::FIT.to_string(), Law::Chinchilla(*f), SRC_FIT)
        }
        _ => match s.law.preset().and_then(law_by_id) {
            Some(info) => (info.id.to_string(), (info.law)(), info.source),
            None => {
                let d = &LAWS[0];
                notes.push(match &s.law {
                    LawChoice::Fit => ScalingNote::FitMissing { used: d.id },
                    LawChoice::Preset(id) => ScalingNote::UnknownLaw {
                        asked: id.clone(),
                        used: d.id,
                    },
                });
                (d.id.to_string(), (d.law)(), d.source)
            }
        },
    };
    let mut explained = Vec::new();

    let optimal = law.optimal(s.flops);
    match (&law, optimal) {
        (_, None) => notes.push(ScalingNote::BadBudget(s.flops)),
        (Law::Chinchilla(p), Some(_)) => explained.extend(p.optimal_explained(s.flops, source)),
        (_, Some(o)) => explained.extend(generic_optimal_explained(&o, source)),
    }

    let hyper = deepseek_hyperparams(s.flops);
    explained.extend(deepseek_hyperparams_explained(s.flops));

    if !law.has_loss() {
        notes.push(ScalingNote::NoLoss { law: id.clone() });
    }
    let data_constrained = match s.unique_tokens {
        Some(u) if law.has_loss() => {
            match DataConstraint::new(u).and_then(|dc| data::optimal(&law, s.flops, &dc)) {
                Ok(r) => {
                    explained.extend(data_constrained_explained(&r, u));
                    Some(r)
                }
                Err(e) => {
                    notes.push(ScalingNote::DataConstrained(e));
                    None
                }
            }
        }
        _ => None,
    };

    let inference_aware = match s.target_loss {
        Some(tl) if law.has_loss() => match inference_optimal(&law, tl, s.inference_tokens) {
            Ok(r) => {
                explained.extend(inference_optimal_explained(&r, source));
                Some(r)
            }
            Err(e) => {
                notes.push(ScalingNote::InferenceAware(e));
                None
            }
        },
        _ => None,
    };

    let used = LawChoice::parse(&id);
    ScalingResult {
        used,
        law: id,
        constants: law,
        source,
        params_convention: law.params_convention(),
        optimal,
        hyper,
        data_constrained,
        inference_aware,
        explained,
        notes,
    }
}

/// Explanations for a law without the Chinchilla closed form (numeric or allocation-only).
fn generic_optimal_explained(o: &Optimum, source: Source) -> Vec<Explained> {
    let mut v = vec![
        Explained::new(
            Key::OptimalParams,
            o.params,
            "params",
            "N* = argmin_N L(N, C/(6N)) (or the law's fitted N*(C))",
            format!("C = {:.3e}: N* = {:.4e}", o.flops, o.params),
            source,
        ),
        Explained::new(
            Key::OptimalTokens,
            o.tokens,
            "tokens",
            "D* = C/(6N*)",
            format!(
                "D* = {:.3e}/(6·{:.4e}) = {:.4e}",
                o.flops, o.params, o.tokens
            ),
            source,
        ),
        Explained::new(
            Key::OptimalTokensPerParam,
            o.tokens_per_param,
            "tokens/param",
            "D*/N*",
            format!(
                "{:.4e} / {:.4e} = {:.2}",
                o.tokens, o.params, o.tokens_per_param
            ),
            DERIVED,
        ),
    ];
    if let Some(l) = o.loss {
        v.push(Explained::new(
            Key::OptimalLoss,
            l,
            "nats/token",
            "L(N*, D*)",
            format!("L({:.4e}, {:.4e}) = {l:.4}", o.params, o.tokens),
            source,
        ));
    }
    v
}

fn data_constrained_explained(r: &DataConstrainedOptimum, unique: f64) -> Vec<Explained> {
    vec![
        Explained::new(
            Key::DataConstrainedParams,
            r.params,
            "params",
            "argmin_N L(N, D'(C/(6N)))",
            format!("U = {unique:.3e}: N = {:.4e}", r.params),
            SRC_MUENNIGHOFF,
        ),
        Explained::new(
            Key::DataConstrainedEpochs,
            r.epochs,
            "epochs",
            "D/U",
            format!("{:.4e}/{unique:.3e} = {:.3}", r.tokens, r.epochs),
            DERIVED,
        ),
        Explained::new(
            Key::DataConstrainedEffectiveTokens,
            r.effective_tokens,
            "tokens",
            "D' = U + U·R*·(1 − e^(−R/R*)), R = D/U − 1, R* = 15.4",
            format!(
                "D = {:.4e}, U = {unique:.3e}: D' = {:.4e}",
                r.tokens, r.effective_tokens
            ),
            SRC_MUENNIGHOFF,
        ),
        Explained::new(
            Key::DataConstrainedLoss,
            r.loss,
            "nats/token",
            "L(N, D')",
            format!(
                "L({:.4e}, {:.4e}) = {:.4}",
                r.params, r.effective_tokens, r.loss
            ),
            SRC_MUENNIGHOFF,
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_scenario() {
        let r = evaluate(&ScalingInput::default());
        assert!(r.notes.is_empty(), "{:?}", r.notes);
        assert_eq!(r.law, "hoffmann2022");
        assert!((r.optimal.unwrap().params / 3.219e10 - 1.0).abs() < 1e-3);
        assert!(r.inference_aware.is_some());
        assert!(r.data_constrained.is_none());
        for e in &r.explained {
            assert!(e.value.is_finite(), "{}", e.key);
        }
        assert!(serde_json::to_string(&r).is_ok());
    }

    #[test]
    fn every_law_and_fallbacks() {
        for id in law_ids() {
            let s = ScalingInput {
                law: LawChoice::Preset(id.into()),
                unique_tokens: Some(1e11),
                ..ScalingInput::default()
            };
            let r = evaluate(&s);
            assert_eq!(r.law, id);
            assert!(r.optimal.is_some());
        }
        let r = evaluate(&ScalingInput {
            law: LawChoice::Preset("nope".into()),
            ..ScalingInput::default()
        });
        assert_eq!(r.law, "hoffmann2022");
        assert!(matches!(&r.notes[0], ScalingNote::UnknownLaw { asked, .. } if asked == "nope"));
        let fit = ParametricLaw {
            e: 1.8,
            ..crate::scaling::HOFFMANN2022
        };
        let s = ScalingInput {
            law: LawChoice::Fit,
            target_loss: Some(1.7),
            ..ScalingInput::default()
        };
        let r = evaluate_with_fit(&s, Some(&fit));
        assert_eq!(r.used, LawChoice::Fit);
        assert!(r.inference_aware.is_none());
        assert!(r.notes.iter().any(|n| matches!(
            n,
            ScalingNote::InferenceAware(ScalingError::UnreachableLoss { .. })
        )));
        // No fit yet: the first preset, with the note saying why.
        let r = evaluate(&s);
        assert_eq!(
            r.notes[0],
            ScalingNote::FitMissing {
                used: "hoffmann2022"
            }
        );
    }
}
