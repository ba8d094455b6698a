//! The plan: one chain from a budget to a price per token, evaluated from a [`PlanInput`].
//!
//! budget (FLOP, or USD, or GPUs × days) → compute-optimal N*, D* (chosen law) → training
//! GPU-hours, days, USD, MWh, t CO₂e (training model) → serving a model of N* parameters on the
//! chosen hardware (inference model) → USD per million tokens and tokens/s → where the model sits on
//! the knowledge-density curve. The page and `scalecalc scenario` both call [`evaluate`], so they
//! cannot disagree.

use super::architecture::Architecture;
use super::density::evaluate::DensityInput;
use super::density::{self, device};
use super::explain::{Explained, Source, DERIVED};
use super::inference::{self, InferenceResult, ServedModel, ServingInput};
use super::scaling::evaluate::{ScalingInput, ScalingNote};
use super::scaling::{self, Law, Optimum, ParametricLaw, ScalingResult};
use super::scenario::BudgetMode;
use super::training::{self, cost, ActivationShape, TrainingResult, TrainingRun};
use super::{hardware, num};
use crate::explain::Key;
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

/// How the plan's budget is given.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Budget {
    /// Compute, FLOP.
    Flops(f64),
    /// Money, USD, at the training run's price, MFU and overheads.
    Usd(f64),
    /// Wall-clock days on the training run's GPUs.
    GpuDays { days: f64 },
}

impl Budget {
    /// The link's spelling of the mode.
    pub fn mode(&self) -> BudgetMode {
        match self {
            Budget::Flops(_) => BudgetMode::Flops,
            Budget::Usd(_) => BudgetMode::Usd,
            Budget::GpuDays { .. } => BudgetMode::GpuDays,
        }
    }
}

/// The plan's inputs: a budget and the sections' own inputs, which the plan composes (its model
/// of `N*` parameters is trained with the training section's hardware and money and served with
/// the inference section's workload).
#[derive(Debug, Clone, PartialEq)]
pub struct PlanInput {
    pub budget: Budget,
    /// The law and the scaling questions; its `flops` is replaced by the budget's.
    pub scaling: ScalingInput,
    /// Hardware, MFU, price, energy and overheads; its model and tokens are replaced by `N*`, `D*`.
    pub training: TrainingRun,
    /// Hardware and workload; its model is replaced by an estimated architecture of `N*`.
    pub serving: ServingInput,
    /// The density law, its reference and the device.
    pub density: DensityInput,
}

impl Default for PlanInput {
    fn default() -> Self {
        crate::scenario::Scenario::default().plan()
    }
}

/// Something the plan tells the reader: typed; `Display` is the CLI's English.
#[derive(Debug, Clone, PartialEq)]
pub enum PlanNote {
    /// From the scaling step.
    Scaling(ScalingNote),
    /// The plan's model does not fit the inference section's GPUs; more tensor-parallel GPUs are used.
    ServingGpusRaised { asked: u32, used: u32 },
}

impl std::fmt::Display for PlanNote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PlanNote::Scaling(n) => write!(f, "{n}"),
            PlanNote::ServingGpusRaised { asked, used } => write!(
                f,
                "serving: the plan's model does not fit {asked} GPU(s); using {used} tensor-parallel GPUs"
            ),
        }
    }
}

impl Serialize for PlanNote {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

crate::hows! {
    /// The plan's explained numbers.
    PlanHow {
        flops: PlanFlops,
        optimal_params: OptimalParams,
        optimal_tokens: OptimalTokens,
        optimal_tokens_per_param: OptimalTokensPerParam,
        optimal_loss: OptimalLoss,
        training_flops: PlanTrainingFlops,
        gpu_hours: PlanGpuHours,
        wall_days: PlanWallDays,
        cost_usd: PlanCostUsd,
        energy_mwh: PlanEnergyMwh,
        co2_tonnes: PlanCo2Tonnes,
        output_tokens_per_second: PlanOutputTokensPerSecond,
        cost_per_million_output_tokens_usd: PlanCostPerMillionOutputTokensUsd,
        cost_per_million_input_tokens_usd: PlanCostPerMillionInputTokensUsd,
        seconds_per_output_token: PlanSecondsPerOutputToken,
        fits_device_on: PlanFitsDeviceOn,
        reference_era_params: PlanReferenceEraParams,
    }
}

/// Everything the plan computes.
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
    /// Problems found while evaluating.
    pub notes: Vec<PlanNote>,
}

impl PlanResult {
    /// Each number's explanation, as a field.
    pub fn how(&self) -> PlanHow {
        PlanHow::from_list(&self.explained)
    }
}

const SRC_TRAINING_COST: Source = Source {
    id: "gpu-hours",
    citation: "GPU-hours = FLOPs / (peak × MFU × 3600) (PaLM, Chowdhery et al. 2022, App. B MFU convention)",
    locator: "arXiv 2204.02311 App. B",
    url: "https://arxiv.org/abs/2204.02311",
};

/// The compute budget the chain starts from, with its explanation. Money and days are turned
/// into FLOP with the training run's GPU, price, MFU, GPU count and overheads.
pub fn budget_flops(budget: Budget, t: &TrainingRun) -> (f64, Explained) {
    let gpu = hardware::gpu(&t.gpu).unwrap_or(&hardware::GPUS[0]);
    let price = t
        .price_per_gpu_hour
        .filter(|&p| p > 0.0)
        .unwrap_or(gpu.price_per_hour_usd);
    let peak = gpu.peak_bf16_flop_per_s;
    match budget {
        Budget::Flops(c) => (
            c,
            Explained::new(
                Key::PlanFlops,
                c,
                "FLOP",
                "C (given)",
                format!("C = {}", num::short(c)),
                DERIVED,
            ),
        ),
        Budget::Usd(usd) => {
            let c = cost::flops_for_budget_usd(
                usd,
                price,
                t.lost_fraction,
                t.research_multiplier,
                peak,
                t.mfu,
            );
            (
                c,
                Explained::new(
                    Key::PlanFlops,
                    c,
                    "FLOP",
                    "C = $ / price × (1 − lost) / research × peak × MFU × 3600",
                    format!(
                        "C = {} / {} × {} / {} × {:.4e} × {} × 3600 = {:.4e}",
                        num::short(usd),
                        num::short(price),
                        num::short(1.0 - t.lost_fraction),
                        num::short(t.research_multiplier),
                        peak,
                        num::short(t.mfu),
                        c
                    ),
                    SRC_TRAINING_COST,
                ),
            )
        }
        Budget::GpuDays { days } => {
            let c = cost::flops_for_days(days, t.gpus, t.lost_fraction, peak, t.mfu);
            (
                c,
                Explained::new(
                    Key::PlanFlops,
                    c,
                    "FLOP",
                    "C = days × 24 × GPUs × (1 − lost) × peak × MFU × 3600",
                    format!(
                        "C = {} × 24 × {} × {} × {:.4e} × {} × 3600 = {:.4e}",
                        num::short(days),
                        t.gpus,
                        num::short(1.0 - t.lost_fraction),
                        peak,
                        num::short(t.mfu),
                        c
                    ),
                    SRC_TRAINING_COST,
                ),
            )
        }
    }
}

/// The architecture of a model known only by its size: GPT-style (multi-head attention, GELU
/// MLP of 4d, learned positions, biases, untied embeddings, a 32,000-token vocabulary), shape
/// from [`ActivationShape::from_size`] (`N ≈ 12·L·d²`, `d = 128·L`). An estimate: the page says so.
///
/// ```
/// let a = scalecalc_model::plan::estimated_architecture(175e9);
/// assert_eq!((a.layers, a.d_model, a.heads), (96, 12288, 96)); // GPT-3 175B's shape
/// ```
pub fn estimated_architecture(params: f64) -> Architecture {
    let sh = ActivationShape::from_size(params, 2048, 1);
    let d_model = u64::from(sh.hidden);
    Architecture {
        layers: sh.layers,
        d_model,
        heads: sh.heads,
        kv_heads: sh.heads,
        head_dim: d_model / u64::from(sh.heads.max(1)),
        ffn: 4 * d_model,
        vocab: 32_000,
        gated_ffn: false,
        tied_embeddings: false,
        qkv_bias: false,
        linear_bias: true,
        learned_positions: ESTIMATED_CONTEXT,
        moe: None,
        mla: None,
        sliding_window: None,
        sliding_window_layers: 0,
        max_context: ESTIMATED_CONTEXT,
    }
}

/// The context length of [`estimated_architecture`], tokens.
const ESTIMATED_CONTEXT: u64 = 8192;

/// Evaluates the plan with the preset laws (the user's fit needs [`evaluate_with_fit`]).
pub fn evaluate(s: &PlanInput) -> PlanResult {
    evaluate_with_fit(s, None)
}

/// Evaluates the plan; `fit` is the user's fitted law, used when the law chosen is the fit.
pub fn evaluate_with_fit(s: &PlanInput, fit: Option<&ParametricLaw>) -> PlanResult {
    let mut notes = Vec::new();
    let (flops, budget_explained) = budget_flops(s.budget, &s.training);
    let mut explained = vec![budget_explained];
    let scaling = scaling::evaluate_with_fit(
        &ScalingInput {
            flops,
            ..s.scaling.clone()
        },
        fit,
    );
    notes.extend(scaling.notes.iter().cloned().map(PlanNote::Scaling));
    explained.extend(
        scaling
            .explained
            .iter()
            .filter(|e| e.key.is_optimal())
            .cloned(),
    );
    let optimal = scaling.optimal;

    let mut training = None;
    let mut serving = None;
    let mut serving_gpus = s.serving.gpus;
    let mut density_out = None;
    if let Some(o) = optimal {
        // Training the plan's model with the training section's hardware, MFU, prices, energy.
        let tr = training::evaluate(&TrainingRun {
            model: None,
            params: o.params,
            active_params: None,
            tokens: o.tokens,
            ..s.training.clone()
        });
        explained.extend(
            tr.explained
                .iter()
                .filter(|e| e.key != Key::TrainingMemoryPerGpu)
                .cloned()
                .map(|mut e| {
                    e.key = match e.key {
                        Key::TrainingGpuHours => Key::PlanGpuHours,
                        Key::TrainingWallDays => Key::PlanWallDays,
                        Key::TrainingCostUsd => Key::PlanCostUsd,
                        Key::TrainingEnergyMwh => Key::PlanEnergyMwh,
                        Key::TrainingCo2Tonnes => Key::PlanCo2Tonnes,
                        Key::TrainingFlops => Key::PlanTrainingFlops,
                        other => other,
                    };
                    e
                }),
        );
        training = Some(tr);

        // Serving a model of N* parameters (estimated shape) with the inference section's workload.
        let mut is = ServingInput {
            model: ServedModel::Estimated(estimated_architecture(o.params)),
            ..s.serving.clone()
        };
        let mut inf = inference::evaluate(&is);
        while inf.analysis.as_ref().is_some_and(|a| !a.fits) && is.gpus < 1024 {
            is.gpus *= 2;
            inf = inference::evaluate(&is);
        }
        if is.gpus != s.serving.gpus {
            notes.push(PlanNote::ServingGpusRaised {
                asked: s.serving.gpus,
                used: is.gpus,
            });
        }
        serving_gpus = is.gpus;
        for e in &inf.explained {
            let key = match e.key {
                Key::InferenceOutputTokensPerSecond => Key::PlanOutputTokensPerSecond,
                Key::InferenceCostPerMillionOutputTokensUsd => {
                    Key::PlanCostPerMillionOutputTokensUsd
                }
                Key::InferenceCostPerMillionInputTokensUsd => Key::PlanCostPerMillionInputTokensUsd,
                Key::InferenceSecondsPerOutputToken => Key::PlanSecondsPerOutputToken,
                _ => continue,
            };
            explained.push(Explained { key, ..e.clone() });
        }
        serving = Some(inf);

        // The knowledge-density curve: the plan's model built at the density section's target date.
        let d = &s.density;
        let months = d.ref_date.months_until(&d.target_date);
        if let Some(ratio) = density::density_ratio(months, d.doubling_months)
            .ok()
            .filter(|r| (o.params * r).is_finite())
        {
            let fit = device::device(&d.device).and_then(|dev| {
                device::FitQuestion {
                    reference_params: o.params,
                    reference_date: d.target_date,
                    doubling_months: d.doubling_months,
                    device: dev,
                    bits: d.device_bits,
                    min_tokens_per_s: None,
                    hw_doubling_months: d.hw_doubling_months.filter(|&h| h > 0.0),
                }
                .solve()
                .ok()
            });
            if let Some(f) = &fit {
                explained.push(Explained::new(
                    Key::PlanFitsDeviceOn,
                    f.months_after_reference,
                    "months",
                    "t* = t₀ + T·log₂(N*/N_device), N_device = usable memory × 8 / bits",
                    format!(
                        "{} + {:.2} × log₂({:.4e} / {:.4e}) = {:.1} months after {}",
                        d.target_date,
                        f.combined_doubling_months,
                        o.params,
                        f.capacity_params,
                        f.months_after_reference,
                        d.target_date
                    ),
                    device::device(&d.device)
                        .map(|d| d.source)
                        .unwrap_or(DERIVED),
                ));
            }
            let fits_device_on = fit.and_then(|f| f.date).map(|d| d.to_string());
            let src = density::DOUBLING_PRESETS
                .iter()
                .find(|p| (p.months - d.doubling_months).abs() < 1e-9)
                .map(|p| p.source)
                .unwrap_or(DERIVED);
            explained.push(Explained::new(
                Key::PlanReferenceEraParams,
                o.params * ratio,
                "params",
                "N_ref-era = N*·2^((t − t_ref)/T)",
                format!(
                    "{:.4e} × 2^({:.2}/{}) = {:.4e}",
                    o.params,
                    months,
                    num::short(d.doubling_months),
                    o.params * ratio
                ),
                src,
            ));
            density_out = Some(PlanDensity {
                date: d.target_date.to_string(),
                months_after_reference: months,
                density_ratio: ratio,
                reference_era_params: o.params * ratio,
                fits_device_on,
                device: d.device.clone(),
            });
        }
    }
    PlanResult {
        budget_mode: s.budget.mode(),
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
        let r = evaluate(&PlanInput::default());
        let o = r.optimal.unwrap();
        assert!((o.params / 3.219e10 - 1.0).abs() < 1e-3);
        let tr = r.training.as_ref().unwrap();
        assert!((tr.flops / (6.0 * o.params * o.tokens) - 1.0).abs() < 1e-9);
        let inf = r.serving.as_ref().unwrap();
        assert!(inf.analysis.as_ref().unwrap().fits);
        assert!(r.density.is_some());
        for k in [
            Key::PlanFlops,
            Key::OptimalParams,
            Key::PlanGpuHours,
            Key::PlanCostPerMillionOutputTokensUsd,
        ] {
            assert!(r.explained.iter().any(|e| e.key == k), "missing {k}");
        }
    }

    #[test]
    fn usd_and_gpu_days_budgets_invert_training_cost() {
        // A $ budget buys C; training the optimal model on C costs that budget again.
        let s = PlanInput {
            budget: Budget::Usd(5e6),
            ..PlanInput::default()
        };
        let r = evaluate(&s);
        let tr = r.training.unwrap();
        assert!((tr.cost_usd / 5e6 - 1.0).abs() < 1e-6, "{}", tr.cost_usd);
        let mut s = PlanInput {
            budget: Budget::GpuDays { days: 30.0 },
            ..PlanInput::default()
        };
        s.training.gpus = 512;
        let r = evaluate(&s);
        let tr = r.training.unwrap();
        assert!((tr.wall_days / 30.0 - 1.0).abs() < 1e-6, "{}", tr.wall_days);
    }

    /// Two independent constructions of the estimated model agree: the value built here and a
    /// GPT-2-style `config.json` of the same shape read by the config parser.
    #[test]
    fn estimated_architecture_is_what_its_config_json_says() {
        for n in [1e9, 3.2e10, 1.75e11] {
            let sh = ActivationShape::from_size(n, 2048, 1);
            let json = serde_json::json!({
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
            .to_string();
            let parsed = Architecture::from_hf_config(&json).unwrap();
            let a = estimated_architecture(n);
            assert_eq!(a, parsed, "{n}");
            let p = a.params();
            assert!((p.non_embedding / n - 1.0).abs() < 0.25, "{n}: {p:?}");
        }
    }
}
