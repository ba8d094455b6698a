//! The plan: one chain from a budget to a price per token, evaluated from a [`Scenario`].
//!
//! budget (FLOP, or USD, or GPUs × days) → compute-optimal N*, D* (chosen law) → training
//! GPU-hours, days, USD, MWh, t CO₂e (training model) → serving a model of N* parameters on the
//! chosen hardware (inference model) → USD per million tokens and tokens/s → where the model sits on
//! the knowledge-density curve. The page and `scalecalc scenario` both call [`evaluate`], so they
//! cannot disagree.

use super::density::{self, device};
use super::explain::{Explained, Source, DERIVED};
use super::inference::{self, InferenceResult};
use super::scaling::{self, Law, Optimum, ParametricLaw, ScalingResult};
use super::scenario::{BudgetMode, Scenario};
use super::training::{self, cost, ActivationShape, TrainingResult};
use super::{hardware, num};
use serde::Serialize;

/// Where the plan's model sits on the knowledge-density curve.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanDensity {
    /// The date the plan's model is assumed to be built (the density section's target date).
    pub date: String,
    /// Months from the density reference's release date to `date`.
    pub months_after_reference: f64,
    /// Density relative to the reference date, `2^(Δt/T)`.
    pub density_ratio: f64,
    /// Parameters a model of the reference's date would need for the same capability: `N*·ρ`.
    pub reference_era_params: f64,
    /// When the plan model's capability fits the chosen device (None if the date is out of range).
    pub fits_device_on: Option<String>,
    /// The device id.
    pub device: String,
}

/// Everything computed from a scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanResult {
    /// How the budget was given.
    pub budget_mode: BudgetMode,
    /// The compute budget the chain starts from, FLOP.
    pub flops: f64,
    /// The law used (id) and its constants.
    pub law: String,
    pub law_constants: Law,
    /// Compute-optimal allocation for the budget (`None` if the law cannot give one).
    pub optimal: Option<Optimum>,
    /// The scaling-law section's full result (data-constrained, inference-aware, hyper-parameters).
    pub scaling: ScalingResult,
    /// Training the plan's model (N*, D*) with the training section's hardware and money.
    pub training: Option<TrainingResult>,
    /// Serving the plan's model with the inference section's hardware and workload.
    pub serving: Option<InferenceResult>,
    /// Tensor-parallel GPUs used for serving (raised from the inference section's value until the
    /// model fits).
    pub serving_gpus: u32,
    pub density: Option<PlanDensity>,
    /// Every number above with formula, substituted values and source.
    pub explained: Vec<Explained>,
    /// Problems found while evaluating, in English.
    pub notes: Vec<String>,
}

const SRC_TRAINING_COST: Source = Source {
    id: "gpu-hours",
    citation: "GPU-hours = FLOPs / (peak × MFU × 3600) (PaLM, Chowdhery et al. 2022, App. B MFU convention)",
    locator: "arXiv 2204.02311 App. B",
    url: "https://arxiv.org/abs/2204.02311",
};

/// The compute budget the chain starts from, with its explanation.
pub fn budget_flops(s: &Scenario) -> (f64, Explained) {
    let gpu = hardware::gpu(&s.gpu).unwrap_or(&hardware::GPUS[0]);
    let price = if s.price_per_gpu_hour > 0.0 {
        s.price_per_gpu_hour
    } else {
        gpu.price_per_hour_usd
    };
    let peak = gpu.peak_bf16_flop_per_s;
    match s.budget_mode {
        BudgetMode::Flops => (
            s.flops,
            Explained::new(
                "plan.flops",
                s.flops,
                "FLOP",
                "C (given)",
                format!("C = {}", num::short(s.flops)),
                DERIVED,
            ),
        ),
        BudgetMode::Usd => {
            let c = cost::flops_for_budget_usd(
                s.budget_usd,
                price,
                s.lost_fraction,
                s.research_multiplier,
                peak,
                s.mfu,
            );
            (
                c,
                Explained::new(
                    "plan.flops",
                    c,
                    "FLOP",
                    "C = $ / price × (1 − lost) / research × peak × MFU × 3600",
                    format!(
                        "C = {} / {} × {} / {} × {:.4e} × {} × 3600 = {:.4e}",
                        num::short(s.budget_usd),
                        num::short(price),
                        num::short(1.0 - s.lost_fraction),
                        num::short(s.research_multiplier),
                        peak,
                        num::short(s.mfu),
                        c
                    ),
                    SRC_TRAINING_COST,
                ),
            )
        }
        BudgetMode::GpuDays => {
            let c = cost::flops_for_days(s.budget_days, s.gpus, s.lost_fraction, peak, s.mfu);
            (
                c,
                Explained::new(
                    "plan.flops",
                    c,
                    "FLOP",
                    "C = days × 24 × GPUs × (1 − lost) × peak × MFU × 3600",
                    format!(
                        "C = {} × 24 × {} × {} × {:.4e} × {} × 3600 = {:.4e}",
                        num::short(s.budget_days),
                        s.gpus,
                        num::short(1.0 - s.lost_fraction),
                        peak,
                        num::short(s.mfu),
                        c
                    ),
                    SRC_TRAINING_COST,
                ),
            )
        }
    }
}

/// A Hugging Face-style config for a model known only by its size: GPT-style (MHA, GELU MLP of
/// 4d), shape from [`ActivationShape::from_size`] (`N ≈ 12·L·d²`, `d = 128·L`). An estimate: the
/// page says so.
pub fn estimated_config(params: f64) -> String {
    let sh = ActivationShape::from_size(params, 2048, 1);
    serde_json::json!({
        "model_type": "gpt2",
        "num_hidden_layers": sh.layers,
        "hidden_size": sh.hidden,
        "num_attention_heads": sh.heads,
        "num_key_value_heads": sh.heads,
        "intermediate_size": 4 * u64::from(sh.hidden),
        "vocab_size": 32000,
        "hidden_act": "gelu_new",
        "tie_word_embeddings": false,
        "max_position_embeddings": 8192
    })
    .to_string()
}

/// Evaluates the scenario with the preset laws (law `fit` needs [`evaluate_with_fit`]).
pub fn evaluate(s: &Scenario) -> PlanResult {
    evaluate_with_fit(s, None)
}

/// Evaluates the scenario; `fit` is the user's fitted law, used when the law id is `fit`.
pub fn evaluate_with_fit(s: &Scenario, fit: Option<&ParametricLaw>) -> PlanResult {
    let mut notes = Vec::new();
    let (flops, budget_explained) = budget_flops(s);
    let mut explained = vec![budget_explained];
    let mut sc = s.clone();
    sc.flops = flops;
    let scaling = scaling::evaluate_with_fit(&sc, fit);
    notes.extend(scaling.notes.iter().cloned());
    explained.extend(
        scaling
            .explained
            .iter()
            .filter(|e| e.key.starts_with("optimal."))
            .cloned(),
    );
    let optimal = scaling.optimal;

    let mut training = None;
    let mut serving = None;
    let mut serving_gpus = s.inf_gpus;
    let mut density_out = None;
    if let Some(o) = optimal {
        // Training the plan's model with the training section's hardware, MFU, prices, energy.
        let mut ts = s.clone();
        ts.params = o.params;
        ts.active_params = 0.0;
        ts.tokens = o.tokens;
        ts.train_model = String::new();
        let tr = training::evaluate(&ts);
        explained.extend(
            tr.explained
                .iter()
                .filter(|e| e.key != "training.memory_per_gpu")
                .cloned()
                .map(|mut e| {
                    e.key = match e.key {
                        "training.gpu_hours" => "plan.gpu_hours",
                        "training.wall_days" => "plan.wall_days",
                        "training.cost_usd" => "plan.cost_usd",
                        "training.energy_mwh" => "plan.energy_mwh",
                        "training.co2_tonnes" => "plan.co2_tonnes",
                        "training.flops" => "plan.training_flops",
                        other => other,
                    };
                    e
                }),
        );
        training = Some(tr);

        // Serving a model of N* parameters (estimated shape) with the inference section's workload.
        let mut is = s.clone();
        is.inf_model = "custom".into();
        is.custom_config = estimated_config(o.params);
        let mut inf = inference::evaluate_estimated(&is);
        while inf.analysis.as_ref().is_some_and(|a| !a.fits) && is.inf_gpus < 1024 {
            is.inf_gpus *= 2;
            inf = inference::evaluate_estimated(&is);
        }
        if is.inf_gpus != s.inf_gpus {
            notes.push(format!(
                "serving: the plan's model does not fit {} GPU(s); using {} tensor-parallel GPUs",
                s.inf_gpus, is.inf_gpus
            ));
        }
        serving_gpus = is.inf_gpus;
        for e in &inf.explained {
            let key = match e.key {
                "inference.output_tokens_per_second" => "plan.output_tokens_per_second",
                "inference.cost_per_million_output_tokens_usd" => {
                    "plan.cost_per_million_output_tokens_usd"
                }
                "inference.cost_per_million_input_tokens_usd" => {
                    "plan.cost_per_million_input_tokens_usd"
                }
                "inference.seconds_per_output_token" => "plan.seconds_per_output_token",
                _ => continue,
            };
            explained.push(Explained { key, ..e.clone() });
        }
        serving = Some(inf);

        // The knowledge-density curve: the plan's model built at the density section's target date.
        let months = s.ref_date.months_until(&s.target_date);
        if let Some(ratio) = density::density_ratio(months, s.doubling_months)
            .ok()
            .filter(|r| (o.params * r).is_finite())
        {
            let fit = device::device(&s.device).and_then(|dev| {
                device::FitQuestion {
                    reference_params: o.params,
                    reference_date: s.target_date,
                    doubling_months: s.doubling_months,
                    device: dev,
                    bits: s.device_bits,
                    min_tokens_per_s: None,
                    hw_doubling_months: (s.hw_doubling_months > 0.0)
                        .then_some(s.hw_doubling_months),
                }
                .solve()
                .ok()
            });
            if let Some(f) = &fit {
                explained.push(Explained::new(
                    "plan.fits_device_on",
                    f.months_after_reference,
                    "months",
                    "t* = t₀ + T·log₂(N*/N_device), N_device = usable memory × 8 / bits",
                    format!(
                        "{} + {:.2} × log₂({:.4e} / {:.4e}) = {:.1} months after {}",
                        s.target_date,
                        f.combined_doubling_months,
                        o.params,
                        f.capacity_params,
                        f.months_after_reference,
                        s.target_date
                    ),
                    device::device(&s.device)
                        .map(|d| d.source)
                        .unwrap_or(DERIVED),
                ));
            }
            let fits_device_on = fit.and_then(|f| f.date).map(|d| d.to_string());
            let src = density::DOUBLING_PRESETS
                .iter()
                .find(|p| (p.months - s.doubling_months).abs() < 1e-9)
                .map(|p| p.source)
                .unwrap_or(DERIVED);
            explained.push(Explained::new(
                "plan.reference_era_params",
                o.params * ratio,
                "params",
                "N_ref-era = N*·2^((t − t_ref)/T)",
                format!(
                    "{:.4e} × 2^({:.2}/{}) = {:.4e}",
                    o.params,
                    months,
                    num::short(s.doubling_months),
                    o.params * ratio
                ),
                src,
            ));
            density_out = Some(PlanDensity {
                date: s.target_date.to_string(),
                months_after_reference: months,
                density_ratio: ratio,
                reference_era_params: o.params * ratio,
                fits_device_on,
                device: s.device.clone(),
            });
        }
    }
    PlanResult {
        budget_mode: s.budget_mode,
        flops,
        law: scaling.law.clone(),
        law_constants: scaling.constants,
        optimal,
        scaling,
        training,
        serving,
        serving_gpus,
        density: density_out,
        explained,
        notes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chain_from_flops_budget() {
        let r = evaluate(&Scenario::default());
        let o = r.optimal.unwrap();
        assert!((o.params / 3.219e10 - 1.0).abs() < 1e-3);
        let tr = r.training.as_ref().unwrap();
        assert!((tr.flops / (6.0 * o.params * o.tokens) - 1.0).abs() < 1e-9);
        let inf = r.serving.as_ref().unwrap();
        assert!(inf.analysis.as_ref().unwrap().fits);
        assert!(r.density.is_some());
        for k in [
            "plan.flops",
            "optimal.params",
            "plan.gpu_hours",
            "plan.cost_per_million_output_tokens_usd",
        ] {
            assert!(r.explained.iter().any(|e| e.key == k), "missing {k}");
        }
    }

    #[test]
    fn usd_and_gpu_days_budgets_invert_training_cost() {
        // A $ budget buys C; training the optimal model on C costs that budget again.
        let s = Scenario {
            budget_mode: BudgetMode::Usd,
            budget_usd: 5e6,
            ..Scenario::default()
        };
        let r = evaluate(&s);
        let tr = r.training.unwrap();
        assert!((tr.cost_usd / 5e6 - 1.0).abs() < 1e-6, "{}", tr.cost_usd);
        let s = Scenario {
            budget_mode: BudgetMode::GpuDays,
            budget_days: 30.0,
            gpus: 512,
            ..Scenario::default()
        };
        let r = evaluate(&s);
        let tr = r.training.unwrap();
        assert!((tr.wall_days / 30.0 - 1.0).abs() < 1e-6, "{}", tr.wall_days);
    }

    #[test]
    fn estimated_config_parses_to_about_n_params() {
        for n in [1e9, 3.2e10, 1.75e11] {
            let a =
                crate::architecture::Architecture::from_hf_config(&estimated_config(n)).unwrap();
            let p = a.params();
            assert!((p.non_embedding / n - 1.0).abs() < 0.25, "{n}: {p:?}");
        }
    }
}
