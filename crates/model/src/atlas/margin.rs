//! The implied margin of open-weight models (issue 17, item 4): a provider's list price beside our
//! own serving cost of the same weights on the chosen hardware (docs/science.md §2, "The atlas").
//!
//! # Formula
//! For each price row marked `open_weights = true` in `data/atlas/prices.csv`:
//! - list price `p_in`, `p_out` (USD per million input/output tokens) and the atlas's blended
//!   `p = (3·p_in + p_out)/4` ([`super::price::blended_usd_per_million`]);
//! - our cost `c_in`, `c_out` from the calibrated roofline of the inference section
//!   ([`crate::inference::analyze_layout`] and [`crate::inference::economics`]):
//!   `c_in = T_prefill · h · G / 3600 / u / (B·I) · 10⁶`,
//!   `c_out = T_decode · h · G / 3600 / u / (B·O) · 10⁶`, blended `c = (3·c_in + c_out)/4` (the
//!   same 3:1 mix as the price, so price and cost are weighed alike);
//! - margin `m = 1 − c/p` (and `m_in = 1 − c_in/p_in`, `m_out = 1 − c_out/p_out`): the share of the
//!   list price left after paying for the GPUs. Negative: the list price is below our cost.
//!
//! Symbols: `h` USD per GPU-hour (an input; default [`DEFAULT_PRICE_PER_GPU_HOUR`], the repo's
//! default serving price, `Scenario::default().inf_price_per_gpu_hour`), `G` GPUs of one replica,
//! `u` utilisation (the inference section's default, `ServingInput::default().utilisation`: idle
//! capacity is paid for), `B` batch, `I`/`O` input/output tokens per sequence, `T` the roofline
//! times.
//!
//! # Reference workload ([`MarginWorkload::REFERENCE`])
//! Batch 64, 1,000 input + 250 output tokens per sequence, FP8 weights and FP8 compute (DeepSeek
//! serves V3/R1 with FP8 matrix multiplications: "Day 6: DeepSeek-V3/R1 Inference System
//! Overview", <https://github.com/deepseek-ai/open-infra-index/blob/main/202502OpenSourceWeek/day_6_one_more_thing_deepseekV3R1_inference_system_overview.md>),
//! 16-bit KV cache. The batch moves the margin most (a 256-expert MoE decoding 64 sequences reads
//! nearly every expert per step): [`MarginWorkload::batch`] is an input (`--margin-batch`).
//! GPUs: the fewest `G = 2^k` that hold the weights, KV cache and activations, as tensor
//! parallelism up to 8 (one NVLink node) and pipeline stages beyond (`G = TP × PP`, TP = min(G, 8)),
//! each layout held to [`crate::inference::check_layout_full`]; no expert parallelism; at most
//! [`MAX_GPUS`].
//!
//! # Model → architecture ([`ARCHITECTURES`])
//! An explicit table from a price row's model key ([`super::AtlasPrice::model_key`]) to an
//! architecture preset, each with its source. A row whose model is not in the table is listed
//! with that reason, never guessed.
//!
//! Not counted: the provider's other costs (networking, staff, free tiers), cache-hit discounts,
//! off-peak discounts, speculative decoding and prefix caching. The margin is on GPU time only.

use super::price::blended_usd_per_million;
use super::{AtlasPrice, RowSource};
use crate::architecture;
use crate::date::Date;
use crate::hardware;
use crate::inference::{
    analyze_layout, check_layout_full, economics, InferenceError, Layout, ModelShape, Workload,
    CALIBRATION,
};
use crate::scenario::Precision;
use serde::Serialize;

/// USD per GPU-hour by default: the repo's default serving price
/// (`Scenario::default().inf_price_per_gpu_hour`, $2 per H100-hour).
pub const DEFAULT_PRICE_PER_GPU_HOUR: f64 = 2.0;

/// The default hardware preset.
pub const DEFAULT_GPU: &str = "h100-sxm";

/// The most GPUs of one replica tried ([`MarginWorkload::REFERENCE`]'s search).
pub const MAX_GPUS: u32 = 64;

/// The most tensor-parallel GPUs (one NVLink node); more GPUs are pipeline stages.
pub const MAX_TENSOR_PARALLEL: u32 = 8;

/// A price row's model key mapped to an architecture preset, with the source that says the
/// served weights have that architecture.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ArchitectureMap {
    /// [`super::AtlasPrice::model_key`] of the price row.
    pub model_key: &'static str,
    /// Architecture preset id (`crate::architecture::preset`).
    pub preset: &'static str,
    pub source_url: &'static str,
    pub source_locator: &'static str,
}

/// Every open-weight priced model with an architecture preset.
pub const ARCHITECTURES: &[ArchitectureMap] = &[
    ArchitectureMap {
        model_key: "deepseek-chat",
        preset: "deepseek-v3",
        source_url: "https://api-docs.deepseek.com/quick_start/pricing-details-usd",
        source_locator: "the price rows name the model 'deepseek-chat (DeepSeek-V3)'; both rows \
                         (2024-12-26, 2025-02-08) are of the DeepSeek-V3 era; the preset is the \
                         DeepSeek-V3 Technical Report §4.2 (arXiv 2412.19437)",
    },
    ArchitectureMap {
        model_key: "deepseek-reasoner",
        preset: "deepseek-v3",
        source_url: "https://github.com/deepseek-ai/DeepSeek-R1/blob/main/README.md",
        source_locator: "§3 Model Downloads: 'DeepSeek-R1-Zero & DeepSeek-R1 are trained based \
                         on DeepSeek-V3-Base. For more details regarding the model architecture, \
                         please refer to DeepSeek-V3'; table: DeepSeek-R1 671B total, 37B \
                         activated (as DeepSeek-V3)",
    },
];

/// The architecture preset of a price row's model, if the table has it.
pub fn architecture_of(model_key: &str) -> Option<&'static ArchitectureMap> {
    ARCHITECTURES.iter().find(|m| m.model_key == model_key)
}

/// The serving workload the cost is computed for.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MarginWorkload {
    /// Concurrent sequences `B`.
    pub batch: u32,
    /// Prompt tokens per sequence `I`.
    pub input_tokens: u32,
    /// Output tokens per sequence `O`.
    pub output_tokens: u32,
    pub weight_bits: u32,
    pub kv_bits: u32,
    pub compute: Precision,
    /// Average utilisation of the paid GPU time, (0, 1].
    pub utilisation: f64,
}

impl MarginWorkload {
    /// Batch 64, 1,000 + 250 tokens, FP8 weights and compute, 16-bit KV cache, utilisation 0.6
    /// (the inference section's default).
    pub const REFERENCE: MarginWorkload = MarginWorkload {
        batch: 64,
        input_tokens: 1000,
        output_tokens: 250,
        weight_bits: 8,
        kv_bits: 16,
        compute: Precision::Fp8,
        utilisation: 0.6,
    };
}

impl Default for MarginWorkload {
    fn default() -> Self {
        Self::REFERENCE
    }
}

/// Our serving cost of one open-weight model on the chosen hardware.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ServingCost {
    /// GPUs of one replica, `tensor_parallel × pipeline`.
    pub gpus: u32,
    pub tensor_parallel: u32,
    pub pipeline: u32,
    /// USD per million input tokens.
    pub usd_per_million_input: f64,
    /// USD per million output tokens.
    pub usd_per_million_output: f64,
    /// `(3·c_in + c_out)/4`.
    pub usd_per_million_blended: f64,
}

/// One open-weight price row beside our cost.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImpliedMargin {
    /// The price row's model (with its snapshot in parentheses).
    pub model: String,
    pub provider: String,
    pub date: Date,
    /// Architecture preset the cost is computed for; None when the table has none.
    pub preset: Option<String>,
    /// List price, USD per million input tokens.
    pub price_input: Option<f64>,
    /// List price, USD per million output tokens.
    pub price_output: Option<f64>,
    /// Blended list price `(3·p_in + p_out)/4`; None without both prices or when not finite.
    pub price_blended: Option<f64>,
    /// Our cost; None with a `reason`.
    pub cost: Option<ServingCost>,
    /// `1 − c_in/p_in`; None when undefined (see `reason`).
    pub margin_input: Option<f64>,
    /// `1 − c_out/p_out`.
    pub margin_output: Option<f64>,
    /// `1 − c/p`, blended.
    pub margin_blended: Option<f64>,
    /// Why a figure is missing (no preset, no USD price, no layout fits, a zero price…).
    pub reason: Option<String>,
    /// The price row's source.
    pub source: RowSource,
}

/// `1 − cost/price`, defined for a positive finite price and a finite cost.
pub fn margin(cost: f64, price: f64) -> Option<f64> {
    let m = 1.0 - cost / price;
    (price > 0.0 && price.is_finite() && cost.is_finite() && m.is_finite()).then_some(m)
}

/// The fewest GPUs that hold `preset` for `w` on `gpu_id`, and the cost of serving it there.
///
/// Errors name the reason: unknown preset or hardware, no layout that fits up to [`MAX_GPUS`], a
/// cost that is not finite (a non-finite or negative GPU-hour price, a utilisation outside
/// (0, 1]).
pub fn serving_cost(
    preset: &str,
    gpu_id: &str,
    price_per_gpu_hour: f64,
    w: &MarginWorkload,
) -> Result<ServingCost, String> {
    let arch = architecture::preset(preset)
        .ok_or_else(|| format!("no architecture preset '{preset}'"))?
        .arch;
    let gpu = *hardware::gpu(gpu_id).ok_or_else(|| format!("unknown hardware '{gpu_id}'"))?;
    if !(price_per_gpu_hour.is_finite() && price_per_gpu_hour >= 0.0) {
        return Err(format!(
            "price per GPU-hour {price_per_gpu_hour} is not a finite non-negative number"
        ));
    }
    if !(w.utilisation.is_finite() && w.utilisation > 0.0 && w.utilisation <= 1.0) {
        return Err(format!("utilisation {} is not in (0, 1]", w.utilisation));
    }
    let shape = ModelShape::from_arch(&arch);
    let mut last: Option<InferenceError> = None;
    let mut g = 1;
    while g <= MAX_GPUS {
        let tp = g.min(MAX_TENSOR_PARALLEL);
        let layout = Layout {
            pipeline: g / tp,
            expert_parallel: false,
        };
        let work = Workload {
            shape: shape.clone(),
            gpu,
            gpus: tp,
            batch: w.batch,
            input_tokens: w.input_tokens,
            output_tokens: w.output_tokens,
            weight_bits: w.weight_bits,
            kv_bits: w.kv_bits,
            compute: w.compute,
            spec_k: 0,
            spec_alpha: 0.0,
        };
        let analysed = check_layout_full(&shape, tp, &layout)
            .and_then(|()| analyze_layout(&work, &layout, &CALIBRATION));
        match analysed {
            Ok(a) if a.fits => {
                let e = economics(&work, &a, price_per_gpu_hour, w.utilisation, 0.0);
                let (ci, co) = (
                    e.cost_per_million_input_tokens_usd,
                    e.cost_per_million_output_tokens_usd,
                );
                let blended = (3.0 * ci + co) / 4.0;
                if !(ci.is_finite() && co.is_finite() && blended.is_finite()) {
                    return Err(format!(
                        "the cost at ${price_per_gpu_hour} per GPU-hour is not finite"
                    ));
                }
                return Ok(ServingCost {
                    gpus: g,
                    tensor_parallel: tp,
                    pipeline: layout.pipeline,
                    usd_per_million_input: ci,
                    usd_per_million_output: co,
                    usd_per_million_blended: blended,
                });
            }
            Ok(_) => {}
            Err(e) => last = Some(e),
        }
        g *= 2;
    }
    Err(match last {
        Some(e) => format!("no layout up to {MAX_GPUS} {gpu_id} GPUs runs or fits ({e})"),
        None => format!("does not fit on {MAX_GPUS} {gpu_id} GPUs"),
    })
}

/// Every open-weight price row (`open_weights = true`) beside our cost on `gpu_id` at
/// `price_per_gpu_hour` for the workload `w`, in the rows' order. A row without a preset, without
/// both USD prices, or whose cost cannot be computed is listed with its reason.
///
/// ```
/// use scalecalc_model::atlas::{margin::*, shipped_prices};
/// let m = implied_margins(&shipped_prices(), DEFAULT_GPU, DEFAULT_PRICE_PER_GPU_HOUR, &MarginWorkload::REFERENCE);
/// let r1 = m.iter().find(|r| r.model.starts_with("deepseek-reasoner")).unwrap();
/// assert_eq!(r1.preset.as_deref(), Some("deepseek-v3"));
/// assert!(r1.margin_blended.unwrap() < 1.0);
/// ```
pub fn implied_margins(
    prices: &[AtlasPrice],
    gpu_id: &str,
    price_per_gpu_hour: f64,
    w: &MarginWorkload,
) -> Vec<ImpliedMargin> {
    prices
        .iter()
        .filter(|p| p.open_weights == Some(true))
        .map(|p| implied_margin(p, gpu_id, price_per_gpu_hour, w))
        .collect()
}

/// [`implied_margins`] for one row (whatever its `open_weights`).
pub fn implied_margin(
    p: &AtlasPrice,
    gpu_id: &str,
    price_per_gpu_hour: f64,
    w: &MarginWorkload,
) -> ImpliedMargin {
    let map = architecture_of(p.model_key());
    let (pi, po, pb) = (
        p.usd_per_million_input,
        p.usd_per_million_output,
        // Finite only: `(3·p_in + p_out)/4` overflows for prices near `f64::MAX`.
        blended_usd_per_million(p).filter(|x| x.is_finite()),
    );
    let mut out = ImpliedMargin {
        model: p.model.clone(),
        provider: p.provider.clone(),
        date: p.date,
        preset: map.map(|m| m.preset.to_string()),
        price_input: pi,
        price_output: po,
        price_blended: pb,
        cost: None,
        margin_input: None,
        margin_output: None,
        margin_blended: None,
        reason: None,
        source: p.source.clone(),
    };
    let Some(map) = map else {
        out.reason = Some(format!(
            "no architecture preset for '{}' (the table in atlas::margin names none)",
            p.model_key()
        ));
        return out;
    };
    match serving_cost(map.preset, gpu_id, price_per_gpu_hour, w) {
        Ok(c) => {
            out.cost = Some(c);
            out.margin_input = pi.and_then(|x| margin(c.usd_per_million_input, x));
            out.margin_output = po.and_then(|x| margin(c.usd_per_million_output, x));
            out.margin_blended = pb.and_then(|x| margin(c.usd_per_million_blended, x));
            if pi.is_none() || po.is_none() {
                out.reason = Some(format!(
                    "no USD input and output list price (original currency {})",
                    p.currency_original
                ));
            } else if out.margin_blended.is_none()
                || out.margin_input.is_none()
                || out.margin_output.is_none()
            {
                out.reason = Some(
                    "a list price (input, output or blended) is not a positive finite number"
                        .to_string(),
                );
            }
        }
        Err(e) => out.reason = Some(e),
    }
    out
}

#[cfg(test)]
mod tests;
