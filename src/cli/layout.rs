//! `scalecalc layout`: the training layouts of a model on a GPU count that fit in memory, ranked by
//! predicted throughput (issue 16). The search and the step-time model are
//! `model::training::{layout, step}`; this file only reads flags and prints.

use super::{args, CliError};
use crate::model::limits as L;
use crate::model::training::layout::{
    gpu_seconds_per_token, search, search_counts, search_fewest, LayoutQuery, Rank,
};
use crate::model::training::step::STEP_CALIBRATION;
use crate::model::{architecture, hardware};
use clap::Args;
use serde_json::{json, Value};

/// How many layouts `--top` may ask for.
const TOP: L::Limit = L::Limit::whole(1, 1000);

#[derive(Args, Debug)]
pub struct LayoutArgs {
    /// A model preset (`scalecalc models`): its shape, vocabulary and parameter count.
    #[arg(long)]
    pub model: String,
    /// Hardware preset id (`scalecalc gpus`) with an interconnect figure.
    #[arg(long, default_value = "h100-sxm")]
    pub gpu: String,
    /// Number of GPUs.
    #[arg(long, value_parser = args::limited_u32(&L::GPUS))]
    pub gpus: u32,
    /// Sequence length, tokens.
    #[arg(long, default_value_t = 4096, value_parser = args::limited_u32(&L::SEQ_LEN))]
    pub seq_len: u32,
    /// Sequences per optimizer step.
    #[arg(long, default_value_t = 1024, value_parser = args::limited_u32(&L::GLOBAL_BATCH))]
    pub global_batch: u32,
    /// FlashAttention: on or off.
    #[arg(long, default_value = "on", value_parser = ["on", "off"])]
    pub flash_attention: String,
    /// Search the fewest GPUs that fit instead (`--gpus` is then the most tried: powers of two up
    /// to a node, then whole nodes doubling).
    #[arg(long)]
    pub fewest: bool,
    /// Rank by `throughput` (tokens/s) or by `cost` (GPU-hours per token: with --rank cost every
    /// GPU count up to `--gpus` is searched, and fewer GPUs can win).
    #[arg(long, default_value = "throughput", value_parser = ["throughput", "cost"])]
    pub rank: String,
    /// USD per GPU-hour for `usd_per_million_tokens` (default: the GPU preset's price; 0 = the
    /// preset's).
    #[arg(long, value_parser = args::limited(&L::PRICE_PER_GPU_HOUR))]
    pub price_per_gpu_hour: Option<f64>,
    /// How many layouts to print, fastest first.
    #[arg(long, default_value_t = 10, value_parser = args::limited_u32(&TOP))]
    pub top: u32,
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
}

pub fn run(a: &LayoutArgs) -> Result<Value, CliError> {
    let preset = architecture::preset(&a.model).ok_or_else(|| {
        CliError(format!(
            "--model: '{}' is not a preset (valid: {})",
            a.model,
            architecture::preset_ids().join(", ")
        ))
    })?;
    let gpu = hardware::gpu(&a.gpu).ok_or_else(|| {
        CliError(format!(
            "--gpu: unknown hardware '{}' (valid: {})",
            a.gpu,
            hardware::gpu_ids().join(", ")
        ))
    })?;
    let interconnect = hardware::interconnect(&a.gpu).ok_or_else(|| {
        CliError(format!(
            "--gpu: '{}' has no interconnect figures for the step-time model",
            a.gpu
        ))
    })?;
    let query = LayoutQuery::for_model(
        &preset.arch,
        gpu,
        *interconnect,
        a.gpus,
        a.seq_len,
        a.global_batch,
        a.flash_attention == "on",
    );
    let rank = Rank::parse(&a.rank).unwrap_or(Rank::Throughput);
    let price = a
        .price_per_gpu_hour
        .filter(|p| *p > 0.0)
        .unwrap_or(gpu.price_per_hour_usd);
    let top = a.top as usize;
    let (layouts, fewest) = if a.fewest {
        match search_fewest(&query, &STEP_CALIBRATION, top) {
            Some((g, l)) => (l, json!(g)),
            None => (Vec::new(), json!("none fits")),
        }
    } else if rank == Rank::Cost {
        (
            search_counts(&query, &STEP_CALIBRATION, top, rank),
            json!(null),
        )
    } else {
        (search(&query, &STEP_CALIBRATION, top), json!(null))
    };
    let mut out = json!({
        "rank": rank.as_str(),
        "price_per_gpu_hour": price,
        "model": preset.id,
        "gpu": gpu.id,
        "gpus": a.gpus,
        "seq_len": a.seq_len,
        "global_batch": a.global_batch,
        "layouts": layouts.iter().map(|l| json!({
            "gpus": l.tp * l.pp * l.cp * l.dp,
            "usd_per_million_tokens": gpu_seconds_per_token(l) * price / 3600.0 * 1e6,
            "tp": l.tp,
            "pp": l.pp,
            "cp": l.cp,
            "ep": l.ep,
            "dp": l.dp,
            "micro_batch": l.micro_batch,
            "zero_stage": l.zero_stage,
            "recompute": l.recompute.as_str(),
            "sequence_parallel": l.sequence_parallel,
            "memory_bytes": l.memory_bytes,
            "limited_by": l.limited_by.as_str(),
            "step_seconds": l.prediction.step_seconds,
            "tokens_per_s": l.prediction.tokens_per_s,
            "mfu": l.prediction.mfu,
            "hfu": l.prediction.hfu,
            "model_tflops_per_gpu": l.prediction.model_tflops_per_gpu,
            "hardware_tflops_per_gpu": l.prediction.hardware_tflops_per_gpu,
            "breakdown": l.prediction.breakdown,
        })).collect::<Vec<_>>(),
        "notes": if layouts.is_empty() {
            vec![format!("no layout of {} on {} {} GPUs fits in memory", preset.id, a.gpus, gpu.id)]
        } else {
            vec![]
        },
    });
    if a.fewest {
        out["fewest_gpus"] = fewest;
    }
    Ok(out)
}
