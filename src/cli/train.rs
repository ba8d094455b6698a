//! `scalecalc train --params N --tokens D [--active-params NA] --gpu ID --gpus K [--mfu U]
//! [--price-per-gpu-hour P] [--pue X] [--grid-t-co2-per-mwh G] [--power-watts W] [--memory ...] [--json]`.
//!
//! Without `--mfu` the MFU is predicted by the step-time model (`model::training::step`, issue 16)
//! from the layout, and the JSON adds `predicted`.

use super::{args, CliError};
use crate::model::limits as L;
use crate::model::scenario::{Finetune, Optimizer, Recompute};
use crate::model::training::step::{Schedule, StepPrediction};
use crate::model::training::{
    self, ActivationShape, KnownModel, PredictError, StepOptions, TrainingRun,
};
use clap::Args;
use serde_json::{json, Value};

#[derive(Args, Debug)]
pub struct TrainArgs {
    /// Total parameters (or --model).
    #[arg(long, value_parser = args::limited(&L::PARAMS), required_unless_present = "model")]
    pub params: Option<f64>,
    /// A model preset (`scalecalc models`): its parameter counts and shape replace --params,
    /// --active-params and the shape flags.
    #[arg(long, conflicts_with_all = ["params", "active_params", "layers", "hidden", "heads"])]
    pub model: Option<String>,
    /// Training tokens.
    #[arg(long, value_parser = args::limited(&L::TOKENS))]
    pub tokens: f64,
    /// Active parameters per token (MoE); absent = dense.
    #[arg(long, value_parser = args::limited(&L::ACTIVE_PARAMS))]
    pub active_params: Option<f64>,
    /// GPU id (see `scalecalc gpus`).
    #[arg(long)]
    pub gpu: String,
    /// Number of GPUs.
    #[arg(long, value_parser = args::limited_u32(&L::GPUS))]
    pub gpus: u32,
    /// Model FLOPs utilisation, (0, 1]; absent = predicted from the layout (the JSON's `predicted`).
    #[arg(long, value_parser = args::limited(&L::MFU))]
    pub mfu: Option<f64>,
    /// Vocabulary size, for the output layer's time (default: the preset's, else 32,000).
    #[arg(long, value_parser = args::limited_u32(&L::VOCAB))]
    pub vocab: Option<u32>,
    /// Sequence parallelism with tensor parallelism (Korthikanti et al. 2022): `--sequence-parallel`
    /// alone or `=on` turns it on, `=off` off; without the flag it is on whenever `--tp` > 1, as the
    /// memory model, the layout search and the page assume.
    #[arg(long, num_args = 0..=1, require_equals = true, default_missing_value = "on", value_parser = ["on", "off"])]
    pub sequence_parallel: Option<String>,
    /// Sequences per optimizer step (default: 4M tokens, Llama 2's, rounded up to a multiple of
    /// micro-batch × data-parallel ranks).
    #[arg(long, value_parser = args::limited_u32(&L::GLOBAL_BATCH))]
    pub global_batch: Option<u32>,
    /// Gradients reduced in bf16 or fp32 (Megatron's main-grads).
    #[arg(long, default_value = "fp32", value_parser = ["bf16", "fp32"])]
    pub grad_dtype: String,
    /// GPUs per node on NVLink (default: the GPU's reference node).
    #[arg(long, value_parser = args::limited_u32(&L::GPUS_PER_NODE))]
    pub gpus_per_node: Option<u32>,
    /// Scale-out bandwidth per GPU, Gb/s per direction (default: the reference cluster's NIC).
    #[arg(long, value_parser = args::limited(&L::INTER_NODE_GBPS))]
    pub inter_node_gbps: Option<f64>,
    /// Pipeline schedule: 1f1b or interleaved (with --virtual-stages ≥ 2).
    #[arg(long, default_value = "1f1b", value_parser = ["1f1b", "interleaved"])]
    pub schedule: String,
    /// Model chunks per pipeline stage for the interleaved schedule.
    #[arg(long, default_value_t = 1, value_parser = args::limited_u32(&L::VIRTUAL_STAGES))]
    pub virtual_stages: u32,
    /// USD per GPU-hour; absent = the GPU's default price.
    #[arg(long, value_parser = args::limited(&L::PRICE_PER_GPU_HOUR))]
    pub price_per_gpu_hour: Option<f64>,
    /// Data-centre power usage effectiveness (≥ 1).
    #[arg(long, default_value_t = 1.0, value_parser = args::limited(&L::PUE))]
    pub pue: f64,
    /// Grid carbon intensity, t CO₂e per MWh (default: Meta's Llama 2 factor).
    #[arg(long, default_value_t = 0.4236, value_parser = args::limited(&L::GRID))]
    pub grid_t_co2_per_mwh: f64,
    /// Power per GPU, W; absent = the GPU's rated power.
    #[arg(long, value_parser = args::limited(&L::POWER_WATTS))]
    pub power_watts: Option<f64>,
    /// Fraction of work lost to failures and restarts, [0, 1).
    #[arg(long, default_value_t = 0.0, value_parser = args::limited(&L::LOST_FRACTION))]
    pub lost_fraction: f64,
    /// Multiplier for research, evaluations and ablations (≥ 1).
    #[arg(long, default_value_t = 1.0, value_parser = args::limited(&L::RESEARCH_MULTIPLIER))]
    pub research_multiplier: f64,
    /// Add the memory per GPU (`memory`).
    #[arg(long)]
    pub memory: bool,
    /// Optimizer: adam-mixed, adam-bf16, adam-8bit or sgd.
    #[arg(long, default_value = "adam-mixed")]
    pub optimizer: String,
    /// ZeRO stage 0–3 (3 = FSDP full shard).
    #[arg(long, default_value_t = 0, value_parser = args::limited_u32(&L::ZERO_STAGE))]
    pub zero: u32,
    /// Tensor-parallel degree.
    #[arg(long, default_value_t = 1, value_parser = args::limited_u32(&L::PARALLEL_DEGREE))]
    pub tp: u32,
    /// Pipeline-parallel degree.
    #[arg(long, default_value_t = 1, value_parser = args::limited_u32(&L::PARALLEL_DEGREE))]
    pub pp: u32,
    /// Context-parallel degree: each sequence split over this many GPUs (tp·pp·cp·dp = --gpus;
    /// it must divide --seq-len).
    #[arg(long, default_value_t = 1, value_parser = args::limited_u32(&L::PARALLEL_DEGREE))]
    pub cp: u32,
    /// Expert-parallel degree (MoE --model): the experts split over this many of the dp·cp ranks
    /// (it must divide the experts and dp·cp).
    #[arg(long, default_value_t = 1, value_parser = args::limited_u32(&L::PARALLEL_DEGREE))]
    pub ep: u32,
    /// Micro-batch, sequences per GPU.
    #[arg(long, default_value_t = 1, value_parser = args::limited_u32(&L::MICRO_BATCH))]
    pub micro_batch: u32,
    /// Sequence length, tokens.
    #[arg(long, default_value_t = 2048, value_parser = args::limited_u32(&L::SEQ_LEN))]
    pub seq_len: u32,
    /// Activation recomputation: none, selective or full.
    #[arg(long, default_value = "none")]
    pub recompute: String,
    /// FlashAttention: on (the attention scores are not stored) or off (Korthikanti et al.'s
    /// activations with the s² scores).
    #[arg(long, default_value = "on", value_parser = ["on", "off"])]
    pub flash_attention: String,
    /// Training mode: full, lora or qlora.
    #[arg(long, default_value = "full")]
    pub finetune: String,
    /// LoRA rank.
    #[arg(long, default_value_t = 16, value_parser = args::limited_u32(&L::LORA_RANK))]
    pub lora_rank: u32,
    /// Layers (with --hidden and --heads; absent = estimated from --params).
    #[arg(long, value_parser = args::limited_u32(&L::MODEL_SIZE))]
    pub layers: Option<u32>,
    /// Hidden size d_model.
    #[arg(long, value_parser = args::limited_u32(&L::MODEL_SIZE))]
    pub hidden: Option<u32>,
    /// Attention heads.
    #[arg(long, value_parser = args::limited_u32(&L::MODEL_SIZE))]
    pub heads: Option<u32>,
    /// Key/value heads (GQA); absent = --heads.
    #[arg(long, value_parser = args::limited_u32(&L::MODEL_SIZE))]
    pub kv_heads: Option<u32>,
    /// MLP inner size; absent = 4 × --hidden.
    #[arg(long, value_parser = args::limited_u32(&L::MODEL_SIZE))]
    pub ffn: Option<u32>,
    /// SwiGLU-style MLP (three matrices).
    #[arg(long)]
    pub gated_mlp: bool,
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
}

fn choice<T>(
    flag: &str,
    value: &str,
    parse: fn(&str) -> Option<T>,
    all: Vec<&str>,
) -> Result<T, CliError> {
    parse(value).ok_or_else(|| {
        CliError(format!(
            "--{flag}: unknown value '{value}' (valid: {})",
            all.join(", ")
        ))
    })
}

/// The architecture given by flags, if any.
fn shape(a: &TrainArgs) -> Result<Option<ActivationShape>, CliError> {
    match (a.layers, a.hidden, a.heads) {
        (None, None, None) => Ok(None),
        (Some(layers), Some(hidden), Some(heads)) => {
            let kv_heads = a.kv_heads.unwrap_or(heads);
            if kv_heads > heads || heads % kv_heads != 0 {
                return Err(CliError(format!(
                    "--kv-heads: {kv_heads} must divide --heads {heads}"
                )));
            }
            Ok(Some(ActivationShape {
                layers,
                hidden,
                heads,
                kv_heads,
                ffn: a.ffn.unwrap_or(4 * hidden),
                gated_mlp: a.gated_mlp,
                seq_len: a.seq_len,
                micro_batch: a.micro_batch,
            }))
        }
        _ => Err(CliError(
            "--layers, --hidden and --heads: give all three or none".into(),
        )),
    }
}

/// The MFU a run is first evaluated at when it is to be predicted (only its shape and memory are
/// read from that evaluation).
const DEFAULT_MFU: f64 = 0.4;

/// The step-time model's prediction for the run's layout on its GPU, with the flags' options
/// (`training::predict_step`, the page's own).
fn predict(
    a: &TrainArgs,
    s: &TrainingRun,
    r: &training::TrainingResult,
) -> Result<StepPrediction, CliError> {
    let defaults = StepOptions::for_run(s);
    let options = StepOptions {
        vocab: a.vocab.unwrap_or(defaults.vocab),
        schedule: Schedule::parse(&a.schedule).unwrap_or(Schedule::OneFOneB),
        virtual_stages: a.virtual_stages,
        sequence_parallel: a
            .sequence_parallel
            .as_deref()
            .map_or(defaults.sequence_parallel, |v| v == "on"),
        grad_bytes: if a.grad_dtype == "bf16" { 2.0 } else { 4.0 },
        gpus_per_node: a.gpus_per_node,
        nic_bytes_per_s: a.inter_node_gbps.map(|g| g * 1e9 / 8.0),
    };
    training::predict_step(s, r, &options)
        .map(|p| p.prediction)
        .map_err(|e| match e {
            PredictError::NoInterconnect { gpu } => CliError(format!(
                "--mfu: {gpu} has no interconnect figures to predict it from; give --mfu"
            )),
            PredictError::Step(e) => CliError(format!("--{e}")),
        })
}

pub fn run(a: &TrainArgs) -> Result<Value, CliError> {
    let s = TrainingRun {
        model: a.model.clone().map(KnownModel::Preset),
        params: a.params.unwrap_or(1e9),
        active_params: a.active_params.filter(|&n| n > 0.0),
        tokens: a.tokens,
        gpu: a.gpu.clone(),
        gpus: a.gpus,
        mfu: a.mfu.unwrap_or(DEFAULT_MFU),
        price_per_gpu_hour: a.price_per_gpu_hour,
        pue: a.pue,
        grid_t_co2_per_mwh: a.grid_t_co2_per_mwh,
        power_watts: a.power_watts.filter(|&w| w > 0.0),
        lost_fraction: a.lost_fraction,
        research_multiplier: a.research_multiplier,
        optimizer: choice(
            "optimizer",
            &a.optimizer,
            Optimizer::parse,
            Optimizer::spellings(),
        )?,
        zero_stage: a.zero,
        tp: a.tp,
        pp: a.pp,
        cp: a.cp,
        ep: a.ep,
        global_batch: a.global_batch,
        micro_batch: a.micro_batch,
        seq_len: a.seq_len,
        flash_attention: a.flash_attention == "on",
        recompute: choice(
            "recompute",
            &a.recompute,
            Recompute::parse,
            Recompute::spellings(),
        )?,
        finetune: choice(
            "finetune",
            &a.finetune,
            Finetune::parse,
            Finetune::spellings(),
        )?,
        lora_rank: a.lora_rank,
    };
    if a.price_per_gpu_hour == Some(0.0) {
        return Err(CliError(
            "--price-per-gpu-hour: 0 must be greater than 0".into(),
        ));
    }
    training::check(&s).map_err(|e| match e {
        // A rule of three flags: name each of them.
        training::TrainingError::Parallelism { tp, pp, gpus } => CliError(format!(
            "--tp × --pp: {tp} × {pp} must divide the GPU count --gpus {gpus}"
        )),
        other => CliError(format!("--{other}")),
    })?;
    let shape = shape(a)?;
    if a.model.is_some() {
        if let Err(e) = training::resolve_model(&s) {
            return Err(CliError(format!("--model: {e}")));
        }
    }
    let evaluate = |s: &TrainingRun| {
        if a.model.is_some() {
            training::evaluate_model(s)
        } else {
            training::evaluate_with_shape(s, shape)
        }
    };
    let mut s = s;
    let mut r = evaluate(&s);
    // No MFU given: predict it from the layout, then cost the run at that MFU.
    let predicted = match a.mfu {
        Some(_) => None,
        None => {
            let p = predict(a, &s, &r)?;
            s.mfu = p.mfu.clamp(1e-3, 1.0);
            r = evaluate(&s);
            Some(p)
        }
    };
    let mut out = json!({
        "gpu": r.gpu.id,
        "params": r.total_params,
        "compute_params": r.compute_params,
        "flops": r.flops,
        "flops_with_attention": r.flops_with_attention,
        "hardware_flops": r.hardware_flops,
        "hfu": r.hfu,
        "gpu_hours": r.gpu_hours,
        "wall_days": r.wall_days,
        "price_per_gpu_hour": r.price_per_gpu_hour,
        "cost_usd": r.cost_usd,
        "power_watts": r.power_watts,
        "energy_mwh": r.energy_mwh,
        "co2_tonnes": r.co2_tonnes,
    });
    if let Value::Object(map) = &mut out {
        if a.memory {
            let mut m = serde_json::to_value(r.memory)?;
            if let Value::Object(mm) = &mut m {
                mm.insert("dp".into(), json!(r.dp));
                mm.insert("shape".into(), serde_json::to_value(r.shape)?);
                mm.insert("shape_estimated".into(), json!(r.shape_estimated));
            }
            map.insert("memory".into(), m);
        }
        // Notes about the shape and the fit only concern the memory estimate.
        let notes: Vec<String> = r
            .notes
            .iter()
            .filter(|n| a.memory || !n.is_about_memory())
            .map(|n| n.to_string())
            .collect();
        map.insert("notes".into(), json!(notes));
        if let Some(p) = predicted {
            map.insert(
                "predicted".into(),
                json!({
                    "mfu": p.mfu,
                    "hfu": p.hfu,
                    "model_tflops_per_gpu": p.model_tflops_per_gpu,
                    "hardware_tflops_per_gpu": p.hardware_tflops_per_gpu,
                    "step_seconds": p.step_seconds,
                    "tokens_per_s": p.tokens_per_s,
                    "global_batch": p.microbatches * p.data_parallel * s.micro_batch,
                    "breakdown": p.breakdown,
                }),
            );
        }
    }
    Ok(out)
}
