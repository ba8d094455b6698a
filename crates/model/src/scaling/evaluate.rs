//! The scaling-law section's single entry point: every number it shows, from a [`Scenario`].

use super::data::{self, DataConstrainedOptimum, DataConstraint, SRC_MUENNIGHOFF};
use super::explain::{Explained, Source, DERIVED};
use super::hyper::{deepseek_hyperparams, deepseek_hyperparams_explained, HyperParams};
use super::inference::{inference_optimal, inference_optimal_explained, InferenceOptimum};
use super::{law_by_id, law_ids, Law, Optimum, ParametricLaw, LAWS};
use crate::scenario::Scenario;
use serde::Serialize;

/// The user's own fit (law id `fit`).
pub const SRC_FIT: Source = Source {
    id: "fit",
    citation: "your runs, fitted with Hoffmann et al. 2022 App. D.2 (Huber loss on log-loss)",
    locator: "the runs table of this scenario",
    url: "",
};

/// Everything the scaling section shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScalingResult {
    /// Law id used (after any fallback).
    pub law: String,
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
    /// With unique tokens set (`ut > 0`) and a law with a loss.
    pub data_constrained: Option<DataConstrainedOptimum>,
    /// With a target loss set and a law with a loss.
    pub inference_aware: Option<InferenceOptimum>,
    pub explained: Vec<Explained>,
    /// Problems (unknown id, unreachable loss…), in English.
    pub notes: Vec<String>,
}

/// Evaluates the scenario with the presets only (law `fit` falls back, with a note).
pub fn evaluate(s: &Scenario) -> ScalingResult {
    evaluate_with_fit(s, None)
}

/// Evaluates the scenario; `fitted` is the user's fit, used when the law id is `fit`.
pub fn evaluate_with_fit(s: &Scenario, fitted: Option<&ParametricLaw>) -> ScalingResult {
    let mut notes = Vec::new();
    let (id, law, source) = match (s.law.as_str(), fitted) {
        ("fit", Some(f)) if f.validate().is_ok() => {
            ("fit".to_string(), Law::Chinchilla(*f), SRC_FIT)
        }
        _ => match law_by_id(&s.law) {
            Some(info) => (info.id.to_string(), (info.law)(), info.source),
            None => {
                let d = &LAWS[0];
                notes.push(if s.law == "fit" {
                    format!(
                        "law 'fit' needs a successful fit of your runs; using {}",
                        d.id
                    )
                } else {
                    format!(
                        "law '{}' is not known ({}); using {}",
                        s.law,
                        law_ids().join(", "),
                        d.id
                    )
                });
                (d.id.to_string(), (d.law)(), d.source)
            }
        },
    };
    let mut explained = Vec::new();

    let optimal = law.optimal(s.flops);
    match (&law, optimal) {
        (_, None) => notes.push(format!(
            "compute budget {} FLOP must be a finite number greater than 0",
            s.flops
        )),
        (Law::Chinchilla(p), Some(_)) => explained.extend(p.optimal_explained(s.flops, source)),
        (_, Some(o)) => explained.extend(generic_optimal_explained(&o, source)),
    }

    let hyper = deepseek_hyperparams(s.flops);
    explained.extend(deepseek_hyperparams_explained(s.flops));

    let data_constrained = if s.unique_tokens > 0.0 && law.has_loss() {
        match DataConstraint::new(s.unique_tokens).and_then(|dc| data::optimal(&law, s.flops, &dc))
        {
            Ok(r) => {
                explained.extend(data_constrained_explained(&r, s.unique_tokens));
                Some(r)
            }
            Err(e) => {
                notes.push(format!("data-constrained optimum: {e}"));
                None
            }
        }
    } else {
        if s.unique_tokens > 0.0 {
            notes.push(format!(
                "law '{id}' has no loss formula: no data-constrained optimum"
            ));
        }
        None
    };

    let inference_aware = if s.target_loss > 0.0 && law.has_loss() {
        match inference_optimal(&law, s.target_loss, s.inference_tokens) {
            Ok(r) => {
                explained.extend(inference_optimal_explained(&r, source));
                Some(r)
            }
            Err(e) => {
                notes.push(format!("inference-aware optimum: {e}"));
                None
            }
        }
    } else {
        None
    };

    ScalingResult {
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
            "optimal.params",
            o.params,
            "params",
            "N* = argmin_N L(N, C/(6N)) (or the law's fitted N*(C))",
            format!("C = {:.3e}: N* = {:.4e}", o.flops, o.params),
            source,
        ),
        Explained::new(
            "optimal.tokens",
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
            "optimal.tokens_per_param",
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
            "optimal.loss",
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
            "data_constrained.params",
            r.params,
            "params",
            "argmin_N L(N, D'(C/(6N)))",
            format!("U = {unique:.3e}: N = {:.4e}", r.params),
            SRC_MUENNIGHOFF,
        ),
        Explained::new(
            "data_constrained.epochs",
            r.epochs,
            "epochs",
            "D/U",
            format!("{:.4e}/{unique:.3e} = {:.3}", r.tokens, r.epochs),
            DERIVED,
        ),
        Explained::new(
            "data_constrained.effective_tokens",
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
            "data_constrained.loss",
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
        let r = evaluate(&Scenario::default());
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
            let s = Scenario {
                law: id.into(),
                unique_tokens: 1e11,
                ..Scenario::default()
            };
            let r = evaluate(&s);
            assert_eq!(r.law, id);
            assert!(r.optimal.is_some());
        }
        let r = evaluate(&Scenario {
            law: "nope".into(),
            ..Scenario::default()
        });
        assert_eq!(r.law, "hoffmann2022");
        assert!(r.notes[0].contains("nope"));
        let fit = ParametricLaw {
            e: 1.8,
            ..crate::scaling::HOFFMANN2022
        };
        let s = Scenario {
            law: "fit".into(),
            target_loss: 1.7,
            ..Scenario::default()
        };
        let r = evaluate_with_fit(&s, Some(&fit));
        assert_eq!(r.law, "fit");
        assert!(r.inference_aware.is_none());
        assert!(r.notes.iter().any(|n| n.contains("unreachable")));
    }
}
