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
use super::training::{self, cost, TrainingResult, TrainingRun};
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
        /// The serving model's shape and count, and the nearest family member's price beside it.
        serving_params: PlanServingParams,
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

/// The family whose shape the plan's model takes: the Llama 3 herd's dense models (Llama Team
/// 2024, *The Llama 3 Herd of Models*, arXiv 2407.21783, Table 3: 8B, 70B, 405B), by preset id.
pub const FAMILY: [&str; 3] = ["llama-3.1-8b", "llama-3.1-70b", "llama-3.1-405b"];

/// Where the plan's serving shape comes from.
pub const SRC_FAMILY: Source = Source {
    id: "dubey2024",
    citation: "Llama Team 2024, The Llama 3 Herd of Models",
    locator: "Table 3 (8B: 32 layers, 4,096 wide, FFN 14,336; 70B: 80, 8,192, 28,672; 405B: 126, 16,384, 53,248; 8 KV heads, vocabulary 128,256)",
    url: "https://arxiv.org/abs/2407.21783",
};

/// The architecture of a model known only by its size `N` (total parameters): the Llama 3 herd's
/// shape ([`FAMILY`], [`SRC_FAMILY`]) scaled to `N`, so that the plan prices the kind of model
/// people serve today (grouped-query attention with 8 KV heads, a SwiGLU FFN, RoPE, RMSNorm, no
/// biases, untied 128,256-token vocabulary, 8,192-token context as Llama 3's), not an older
/// multi-head shape whose KV cache is up to 8× larger.
///
/// The rule:
/// 1. Layers `L` and width `d` are interpolated linearly in `ln N` between the two neighbouring
///    members (8B–70B below 70B, 70B–405B above; beyond the ends the end segment is extended),
///    `L` rounded to an integer.
/// 2. Heads `H = d/128` rounded (head width 128), to a multiple of 8 from 8 heads up; `d = 128·H`;
///    KV heads `min(8, H)` (so they divide `H`).
/// 3. The FFN width is solved so the total count matches `N`, rounded to a multiple of 256
///    (at least 256).
///
/// At a member's own size the shape is that member's. From 1e9 to 1e15 parameters the count is
/// within 1.5% of `N`; below about 1e9 the 128,256-token embeddings alone approach `N` and the
/// shape is larger than `N` (near 1e6 it has one layer). `N` is taken in [1e6, 1e18]
/// (a value outside, or not finite, is clamped), so the shape is valid for any input.
///
/// ```
/// use scalecalc_model::{architecture::preset, plan::estimated_architecture};
/// let llama = preset("llama-3-70b").unwrap().arch;
/// let a = estimated_architecture(llama.params().total);
/// assert_eq!((a.layers, a.d_model, a.heads, a.kv_heads, a.ffn), (80, 8192, 64, 8, 28672));
/// let b = estimated_architecture(175e9); // between 70B and 405B: GPT-3 175B's width, 8 KV heads
/// assert_eq!((b.layers, b.d_model, b.heads, b.kv_heads), (101, 12288, 96, 8));
/// assert!((b.params().total / 175e9 - 1.0).abs() < 0.015);
/// ```
pub fn estimated_architecture(params: f64) -> Architecture {
    let n = if params.is_nan() {
        1e6
    } else {
        params.clamp(1e6, 1e18)
    };
    let [m8, m70, m405] = FAMILY.map(|id| {
        super::architecture::preset(id)
            .expect("the Llama 3 herd presets exist")
            .arch
    });
    let (a, b) = if n >= m70.params().total {
        (&m70, &m405)
    } else {
        (&m8, &m70)
    };
    let (xa, xb) = (a.params().total.ln(), b.params().total.ln());
    let t = (n.ln() - xa) / (xb - xa);
    let lerp = |ya: f64, yb: f64| (ya.ln() + t * (yb.ln() - ya.ln())).exp();
    let layers = lerp(f64::from(a.layers), f64::from(b.layers))
        .round()
        .clamp(1.0, 1e6) as u32;
    let mut heads = (lerp(a.d_model as f64, b.d_model as f64) / 128.0)
        .round()
        .clamp(1.0, 1e7) as u32;
    if heads >= 8 {
        heads = ((f64::from(heads) / 8.0).round() as u32).max(1) * 8;
    }
    let mut arch = Architecture {
        layers,
        d_model: 128 * u64::from(heads),
        heads,
        kv_heads: heads.min(8),
        head_dim: 128,
        ffn: 0,
        max_context: ESTIMATED_CONTEXT,
        ..a.clone()
    };
    // N = N(ffn = 0) + L·3·d·ffn.
    let without_ffn = arch.params().total;
    let per_ffn = Architecture {
        ffn: 1,
        ..arch.clone()
    }
    .params()
    .total
        - without_ffn;
    let ffn = (n - without_ffn) / per_ffn;
    arch.ffn = ((ffn / 256.0).round().max(1.0) * 256.0) as u64;
    arch
}

/// The context length of [`estimated_architecture`], tokens (Llama 3's).
const ESTIMATED_CONTEXT: u64 = 8192;

/// Serves a model of `params` parameters ([`estimated_architecture`]) with `serving`'s hardware
/// and workload, doubling the tensor-parallel GPUs (up to 1,024) until it fits; returns the result
/// and the GPUs used. The plan's serving numbers are this.
pub fn serve(params: f64, serving: &ServingInput) -> (InferenceResult, u32) {
    let mut is = ServingInput {
        model: ServedModel::Estimated(estimated_architecture(params)),
        ..serving.clone()
    };
    let mut inf = inference::evaluate(&is);
    while inf.analysis.as_ref().is_some_and(|a| !a.fits) && is.gpus < 1024 {
        is.gpus *= 2;
        inf = inference::evaluate(&is);
    }
    (inf, is.gpus)
}

/// The family member nearest to `params` in log size (its preset id).
pub fn nearest_member(params: f64) -> &'static str {
    let size =
        |id: &str| super::architecture::preset(id).map_or(f64::INFINITY, |p| p.arch.params().total);
    FAMILY
        .into_iter()
        .min_by(|a, b| {
            let d = |id: &str| (size(id).ln() - params.max(1.0).ln()).abs();
            d(a).total_cmp(&d(b))
        })
        .unwrap_or(FAMILY[1])
}

/// The serving model's explanation (its shape, rule and count) and, for the price, the same with
/// the nearest family member's price on the same GPUs and workload and what the difference is.
fn serving_model_explained(
    params: f64,
    inf: &InferenceResult,
    serving: &ServingInput,
    gpus: u32,
) -> (Explained, String) {
    let a = estimated_architecture(params);
    let n = a.params().total;
    let shape = format!(
        "the Llama 3 herd's shape scaled to N* = {:.4e} (the nearest modern dense family among the presets, with its grouped-query attention): {} layers, d {}, {} heads of 128 ({} KV heads), SwiGLU FFN {}, vocabulary {} → {:.4e} params",
        params, a.layers, a.d_model, a.heads, a.kv_heads, a.ffn, a.vocab, n
    );
    let id = nearest_member(params);
    let member = super::architecture::preset(id);
    let price = |r: &InferenceResult| {
        r.economics
            .as_ref()
            .map(|e| e.cost_per_million_output_tokens_usd)
            // A free or undefined price has no difference to explain.
            .filter(|&p| p.is_finite() && p > 0.0)
            .filter(|_| r.analysis.as_ref().is_some_and(|a| a.fits))
    };
    let beside = member.and_then(|m| {
        let r = inference::evaluate(&ServingInput {
            model: ServedModel::Preset(id.to_string()),
            gpus,
            ..serving.clone()
        });
        Some((m, price(&r)?, price(inf)?))
    });
    let beside = match beside {
        Some((m, theirs, ours)) => format!(
            "Model: {shape}. {} ({:.4e} params) on the same {gpus} GPUs and workload: ${}/M output tokens, here ${} ({:+.1}%): the weights read per step differ by {:+.1}% (parameters), the KV cache by {:+.1}% (layers; both have {} KV heads of 128)",
            m.name,
            m.arch.params().total,
            num::sig(theirs, 3),
            num::sig(ours, 3),
            (ours / theirs - 1.0) * 100.0,
            (n / m.arch.params().total - 1.0) * 100.0,
            (f64::from(a.layers) / f64::from(m.arch.layers) - 1.0) * 100.0,
            m.arch.kv_heads,
        ),
        None => format!("Model: {shape}"),
    };
    let model = Explained::new(
        Key::PlanServingParams,
        n,
        "params",
        "Llama 3 herd (8B, 70B, 405B) scaled to N*: L and d interpolated in ln N between the neighbouring members, H = d/128 (a multiple of 8), 8 KV heads, the SwiGLU FFN width solved for N (a multiple of 256)",
        format!("Model: {shape}"),
        SRC_FAMILY,
    );
    (model, beside)
}

/// Evaluates the plan with the preset laws (the user's fit needs [`evaluate_with_fit`]).
pub fn evaluate(s: &PlanInput) -> PlanResult {
    evaluate_with_fit(s, None)
}

/// Evaluates the plan; `fit` is the user's fitted law, used when the law chosen is the fit.
pub fn evaluate_with_fit(s: &PlanInput, fit: Option<&ParametricLaw>) -> PlanResult {
    let mut r = evaluate_model(s, fit);
    add_training(&mut r, s);
    add_serving(&mut r, s);
    add_density(&mut r, s);
    r
}

/// Step 1 of the chain: the budget's compute and the compute-optimal model, with no training,
/// serving or density yet ([`add_training`], [`add_serving`], [`add_density`] add them; the page
/// computes each in the module of the section it comes from, so the first download carries only
/// this step).
pub fn evaluate_model(s: &PlanInput, fit: Option<&ParametricLaw>) -> PlanResult {
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
    PlanResult {
        budget_mode: s.budget.mode(),
        flops,
        law: scaling.law.clone(),
        law_constants: scaling.constants,
        optimal: scaling.optimal,
        scaling,
        training: None,
        serving: None,
        serving_gpus: s.serving.gpus,
        density: None,
        explained,
        notes,
    }
}

/// Step 2: training the plan's model with the training section's hardware, MFU, prices, energy.
pub fn add_training(r: &mut PlanResult, s: &PlanInput) {
    let Some(o) = r.optimal else {
        return;
    };
    let tr = training::evaluate(&TrainingRun {
        model: None,
        params: o.params,
        active_params: None,
        tokens: o.tokens,
        ..s.training.clone()
    });
    r.explained.extend(
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
    r.training = Some(tr);
}

/// Step 3: serving a model of N* parameters (the family's shape) with the inference section's
/// workload.
pub fn add_serving(r: &mut PlanResult, s: &PlanInput) {
    let Some(o) = r.optimal else {
        return;
    };
    let (inf, gpus) = serve(o.params, &s.serving);
    if gpus != s.serving.gpus {
        r.notes.push(PlanNote::ServingGpusRaised {
            asked: s.serving.gpus,
            used: gpus,
        });
    }
    r.serving_gpus = gpus;
    let (model, beside) = serving_model_explained(o.params, &inf, &s.serving, gpus);
    for e in &inf.explained {
        let key = match e.key {
            Key::InferenceOutputTokensPerSecond => Key::PlanOutputTokensPerSecond,
            Key::InferenceCostPerMillionOutputTokensUsd => Key::PlanCostPerMillionOutputTokensUsd,
            Key::InferenceCostPerMillionInputTokensUsd => Key::PlanCostPerMillionInputTokensUsd,
            Key::InferenceSecondsPerOutputToken => Key::PlanSecondsPerOutputToken,
            _ => continue,
        };
        // Each serving number says which model it serves; the price also names the family
        // member beside it.
        let about = if key == Key::PlanCostPerMillionOutputTokensUsd {
            &beside
        } else {
            &model.substituted
        };
        r.explained.push(Explained {
            key,
            substituted: format!("{about}. {}", e.substituted),
            ..e.clone()
        });
    }
    r.explained.push(model);
    r.serving = Some(inf);
}

/// Step 4: the knowledge-density curve — the plan's model built at the density section's target date.
pub fn add_density(r: &mut PlanResult, s: &PlanInput) {
    let Some(o) = r.optimal else {
        return;
    };
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
            r.explained.push(Explained::new(
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
        r.explained.push(Explained::new(
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
        r.density = Some(PlanDensity {
            date: d.target_date.to_string(),
            months_after_reference: months,
            density_ratio: ratio,
            reference_era_params: o.params * ratio,
            fits_device_on,
            device: d.device.clone(),
        });
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
    /// Llama-style `config.json` of the same shape read by the config parser.
    #[test]
    fn estimated_architecture_is_what_its_config_json_says() {
        for n in [1e9, 3.2e10, 1.75e11, 1e13] {
            let a = estimated_architecture(n);
            let json = serde_json::json!({
                "model_type": "llama",
                "num_hidden_layers": a.layers,
                "hidden_size": a.d_model,
                "num_attention_heads": a.heads,
                "num_key_value_heads": a.kv_heads,
                "intermediate_size": a.ffn,
                "vocab_size": 128256,
                "hidden_act": "silu",
                "tie_word_embeddings": false,
                "max_position_embeddings": 8192
            })
            .to_string();
            let parsed = Architecture::from_hf_config(&json).unwrap();
            assert_eq!(a, parsed, "{n}");
            assert!((a.params().total / n - 1.0).abs() < 0.015, "{n}: {a:?}");
        }
    }

    /// At a family member's own size the estimated shape is that member's.
    #[test]
    fn estimated_architecture_at_a_members_size_is_the_member() {
        for id in FAMILY {
            let m = crate::architecture::preset(id).unwrap().arch;
            let a = estimated_architecture(m.params().total);
            assert_eq!(
                a,
                Architecture {
                    max_context: ESTIMATED_CONTEXT,
                    ..m.clone()
                },
                "{id}"
            );
            assert_eq!(nearest_member(m.params().total), id);
        }
    }

    /// Any N from 1e6 to 1e15 (and beyond, clamped) gives a valid, finite shape; from 1e9 up its
    /// count is within 1.5% of N.
    #[test]
    fn estimated_architecture_is_valid_over_every_size() {
        for i in 0..=90 {
            let n = 10f64.powf(6.0 + f64::from(i) / 10.0);
            let a = estimated_architecture(n);
            a.validate().unwrap_or_else(|e| panic!("{n:e}: {e}"));
            assert!(a.heads >= 1 && a.heads.is_multiple_of(a.kv_heads), "{n:e}");
            assert_eq!(a.d_model, 128 * u64::from(a.heads));
            assert!(a.ffn >= 256 && a.ffn.is_multiple_of(256), "{n:e}");
            let p = a.params().total;
            assert!(p.is_finite() && p > 0.0, "{n:e}");
            if n >= 1e9 {
                assert!((p / n - 1.0).abs() < 0.015, "{n:e}: {p:e} {a:?}");
            }
        }
        for n in [0.0, -1.0, f64::NAN, f64::INFINITY, 1e30] {
            estimated_architecture(n).validate().unwrap();
        }
    }

    /// The plan's 70B-class model and the Llama-3-70B preset price alike on the same GPUs,
    /// batch, tokens and precision (issue 18, item 2: they were $3.12 and $1.93).
    #[test]
    fn a_70b_plan_and_llama_3_70b_price_alike() {
        let n = crate::architecture::preset("llama-3-70b")
            .unwrap()
            .arch
            .params()
            .total;
        let usd = |r: &InferenceResult| {
            r.economics
                .as_ref()
                .unwrap()
                .cost_per_million_output_tokens_usd
        };
        for (gpus, batch, input, output) in
            [(4, 32, 1024, 256), (8, 64, 2048, 512), (2, 1, 128, 128)]
        {
            let serving = ServingInput {
                gpus,
                batch,
                input_tokens: input,
                output_tokens: output,
                ..ServingInput::default()
            };
            let (ours, used) = serve(n, &serving);
            assert_eq!(used, gpus);
            let theirs = inference::evaluate(&ServingInput {
                model: ServedModel::Preset("llama-3-70b".into()),
                ..serving
            });
            let (a, b) = (usd(&ours), usd(&theirs));
            assert!(
                (a / b - 1.0).abs() <= 0.05,
                "{gpus} GPUs, batch {batch}: {a} vs {b}"
            );
        }
        // And through the whole plan: the price's how names the family and the member beside it.
        let r = evaluate(&PlanInput::default());
        let h = r.how();
        let price = h.cost_per_million_output_tokens_usd.unwrap().substituted;
        assert!(
            price.contains("Llama 3 herd") && price.contains("Llama 3.1 70B"),
            "{price}"
        );
        let model = h.serving_params.unwrap();
        assert_eq!(model.source.id, "dubey2024");
        assert_eq!(
            model.value,
            estimated_architecture(r.optimal.unwrap().params)
                .params()
                .total
        );
    }
}
