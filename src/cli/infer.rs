//! `scalecalc infer (--model ID | --params N --layers L --d-model D --heads H --kv-heads HK
//! --head-dim DH [--active-params NA]) --gpu ID [--gpus TP] [--pipeline PP] [--expert-parallel]
//! --batch B --input-tokens I
//! --output-tokens O [--weight-bits 16] [--kv-bits 16] [--compute bf16|fp16|fp8|int8]
//! [--price-per-gpu-hour P] [--json]`: memory, latency, throughput and cost of serving.

use super::{args, CliError};
use crate::model::architecture;
use crate::model::hardware;
use crate::model::inference::{self, ModelShape, Workload, CALIBRATION, VALID_BITS};
use crate::model::limits as L;
use crate::model::scenario::Precision;
use clap::Args;
use serde_json::{json, Value};

/// A bit width in {2, 3, 4, 8, 16, 32}.
fn bits(s: &str) -> Result<u32, String> {
    let n: u32 = s
        .trim()
        .parse()
        .map_err(|_| format!("'{s}' is not a whole number"))?;
    if !VALID_BITS.contains(&n) {
        return Err(format!("'{s}' must be one of 2, 3, 4, 8, 16, 32"));
    }
    Ok(n)
}

fn precision(s: &str) -> Result<Precision, String> {
    Precision::parse(s.trim()).ok_or_else(|| {
        format!(
            "'{s}' is not a compute precision (valid: {})",
            Precision::spellings().join(", ")
        )
    })
}

#[derive(Args, Debug)]
pub struct InferArgs {
    /// Model preset id (see `scalecalc models`), e.g. `llama-3-70b`.
    #[arg(long)]
    pub model: Option<String>,
    /// Total parameters (instead of --model).
    #[arg(long, value_parser = args::limited(&L::PARAMS))]
    pub params: Option<f64>,
    /// Active parameters per token (MoE); default: all.
    #[arg(long, value_parser = args::limited(&L::PARAMS))]
    pub active_params: Option<f64>,
    /// Layers (with --params).
    #[arg(long, value_parser = args::limited_u32(&L::MODEL_SIZE))]
    pub layers: Option<u32>,
    /// Model width (with --params).
    #[arg(long, value_parser = args::limited_u32(&L::MODEL_SIZE))]
    pub d_model: Option<u32>,
    /// Attention heads (with --params).
    #[arg(long, value_parser = args::limited_u32(&L::MODEL_SIZE))]
    pub heads: Option<u32>,
    /// Key/value heads (with --params); must divide --heads.
    #[arg(long, value_parser = args::limited_u32(&L::MODEL_SIZE))]
    pub kv_heads: Option<u32>,
    /// Head width (with --params).
    #[arg(long, value_parser = args::limited_u32(&L::MODEL_SIZE))]
    pub head_dim: Option<u32>,
    /// Hardware id, e.g. `h100-sxm`.
    #[arg(long)]
    pub gpu: String,
    /// Tensor-parallel GPUs (per pipeline stage); must divide the attention heads.
    #[arg(long, default_value = "1", value_parser = args::limited_u32(&L::SERVING_GPUS))]
    pub gpus: u32,
    /// Pipeline stages, each on its own group of --gpus GPUs (GPUs per replica = gpus × pipeline).
    #[arg(long, default_value = "1", value_parser = args::limited_u32(&L::SERVING_GPUS))]
    pub pipeline: u32,
    /// MoE: place whole experts on the --gpus GPUs (tokens exchanged by all-to-all) instead of
    /// slicing every expert; --gpus must divide the routed experts.
    #[arg(long)]
    pub expert_parallel: bool,
    /// Concurrent sequences.
    #[arg(long, value_parser = args::limited_u32(&L::BATCH))]
    pub batch: u32,
    /// Prompt tokens per sequence.
    #[arg(long, value_parser = args::limited_u32(&L::SEQUENCE_TOKENS))]
    pub input_tokens: u32,
    /// Generated tokens per sequence.
    #[arg(long, value_parser = args::limited_u32(&L::SEQUENCE_TOKENS))]
    pub output_tokens: u32,
    /// Weight bits: 2, 3, 4, 8, 16 or 32.
    #[arg(long, default_value = "16", value_parser = bits)]
    pub weight_bits: u32,
    /// KV-cache bits: 2, 3, 4, 8, 16 or 32.
    #[arg(long, default_value = "16", value_parser = bits)]
    pub kv_bits: u32,
    /// Compute precision: bf16, fp16, fp8 or int8.
    #[arg(long, default_value = "bf16", value_parser = precision)]
    pub compute: Precision,
    /// USD per GPU-hour; adds costs to the output.
    #[arg(long, value_parser = args::limited(&L::PRICE_PER_GPU_HOUR))]
    pub price_per_gpu_hour: Option<f64>,
    /// Average utilisation of the paid GPU time, (0, 1].
    #[arg(long, default_value = "1", value_parser = args::limited(&L::UTILISATION))]
    pub utilisation: f64,
    /// Speculative decoding: drafted tokens per step (0 = off).
    #[arg(long, default_value = "0", value_parser = args::limited_u32(&L::SPEC_K))]
    pub spec_k: u32,
    /// Speculative decoding: acceptance rate, [0, 1).
    #[arg(long, default_value = "0.7", value_parser = args::limited(&L::SPEC_ALPHA))]
    pub spec_alpha: f64,
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
}

/// The model's shape from `--model` or from the size flags.
fn shape(a: &InferArgs) -> Result<(ModelShape, String), CliError> {
    let sized = [
        a.params.is_some(),
        a.layers.is_some(),
        a.d_model.is_some(),
        a.heads.is_some(),
        a.kv_heads.is_some(),
        a.head_dim.is_some(),
        a.active_params.is_some(),
    ];
    match &a.model {
        Some(id) => {
            if sized.iter().any(|&x| x) {
                return Err(CliError(
                    "--model: give either --model or --params with --layers, --d-model, --heads, --kv-heads, --head-dim (and --active-params), not both".into(),
                ));
            }
            let p = architecture::preset(id).ok_or_else(|| {
                CliError(format!(
                    "--model: unknown model '{id}' (valid: {})",
                    architecture::preset_ids().join(", ")
                ))
            })?;
            Ok((ModelShape::from_arch(&p.arch), p.id.to_string()))
        }
        None => {
            let need = |v: Option<u32>, flag: &str| {
                v.ok_or_else(|| {
                    CliError(format!(
                        "{flag}: required with --params (or give --model ID)"
                    ))
                })
            };
            let params = a.params.ok_or_else(|| {
                CliError("--model: give --model ID or --params N with --layers, --d-model, --heads, --kv-heads, --head-dim".into())
            })?;
            let layers = need(a.layers, "--layers")?;
            let d = need(a.d_model, "--d-model")?;
            let heads = need(a.heads, "--heads")?;
            let kv = need(a.kv_heads, "--kv-heads")?;
            let dh = need(a.head_dim, "--head-dim")?;
            let s = ModelShape::from_sizes(
                params,
                a.active_params,
                layers,
                d as u64,
                heads,
                kv,
                dh as u64,
            )
            .map_err(|e| match e {
                inference::InferenceError::Arch(architecture::ArchError::KvHeadsNotDividing {
                    heads,
                    kv_heads,
                }) => CliError(format!(
                    "--kv-heads: {kv_heads} KV heads do not divide --heads {heads}"
                )),
                inference::InferenceError::Range { field, value, rule } => {
                    CliError(format!("--{field}: {value} {rule}"))
                }
                other => CliError(other.to_string()),
            })?;
            Ok((s, FLAG_SHAPE.to_string()))
        }
    }
}

/// The JSON `model` of a shape given by flags rather than a preset (a public value).
const FLAG_SHAPE: &str = "custom";

pub fn run(a: &InferArgs) -> Result<Value, CliError> {
    let (shape, model) = shape(a)?;
    let gpu = hardware::gpu(&a.gpu).ok_or_else(|| {
        CliError(format!(
            "--gpu: unknown hardware '{}' (valid: {})",
            a.gpu,
            hardware::gpu_ids().join(", ")
        ))
    })?;
    let w = Workload {
        shape,
        gpu: *gpu,
        gpus: a.gpus,
        batch: a.batch,
        input_tokens: a.input_tokens,
        output_tokens: a.output_tokens,
        weight_bits: a.weight_bits,
        kv_bits: a.kv_bits,
        compute: a.compute,
        spec_k: a.spec_k,
        spec_alpha: a.spec_alpha,
    };
    // A layout that cannot run is refused, naming the flag (issue 16: `--gpus 3` for a model whose
    // heads it does not divide).
    let layout = inference::Layout {
        pipeline: a.pipeline,
        expert_parallel: a.expert_parallel,
    };
    inference::check_layout_full(&w.shape, w.gpus, &layout)
        .map_err(|e| CliError(format!("--{e}")))?;
    let r = inference::analyze_layout(&w, &layout, &CALIBRATION)?;
    let mut v = json!({
        "model": model,
        "gpu": gpu.id,
        "gpus": a.gpus,
        "pipeline": a.pipeline,
        "expert_parallel": a.expert_parallel,
        "gpus_total": r.gpus_total,
        "kv_replication": r.kv_replication,
        "weights_bytes": r.weights_bytes,
        "kv_cache_bytes_per_token": r.kv_cache_bytes_per_token,
        "kv_cache_bytes": r.kv_cache_bytes,
        "activation_bytes": r.activation_bytes,
        "memory_per_gpu_bytes": r.memory_per_gpu_bytes,
        "fits": r.fits,
        "max_batch": r.max_batch,
        "ttft_seconds": r.ttft_seconds,
        "seconds_per_output_token": r.seconds_per_output_token,
        "tokens_per_second_per_sequence": r.tokens_per_second_per_sequence,
        "output_tokens_per_second": r.output_tokens_per_second,
        "output_tokens_per_second_per_gpu": r.output_tokens_per_second_per_gpu,
        "end_to_end_seconds": r.end_to_end_seconds,
        "prefill_compute_bound": r.prefill.compute_bound,
        "decode_compute_bound": r.decode_mid.compute_bound,
        "comm_seconds": r.comm_seconds,
        "prefill_comm_share": r.prefill_comm_share,
        "decode_comm_share": r.decode_comm_share,
        "notes": inference::workload_notes(&w, &r),
    });
    if let (Some(price), Value::Object(map)) = (a.price_per_gpu_hour, &mut v) {
        let e = inference::economics(&w, &r, price, a.utilisation, 0.0);
        map.insert(
            "cost_per_million_output_tokens_usd".into(),
            json!(e.cost_per_million_output_tokens_usd),
        );
        map.insert(
            "cost_per_million_input_tokens_usd".into(),
            json!(e.cost_per_million_input_tokens_usd),
        );
        map.insert(
            "cost_per_million_tokens_usd".into(),
            json!(e.cost_per_million_tokens_usd),
        );
        if let Some(kwh) = e.energy_kwh_per_million_tokens {
            map.insert("energy_kwh_per_million_tokens".into(), json!(kwh));
        }
    }
    Ok(v)
}
