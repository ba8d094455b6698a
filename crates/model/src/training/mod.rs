//! Training cost: FLOPs, GPU-hours, days, dollars, energy, CO₂ and memory per GPU, for
//! pre-training and fine-tuning. Formulas and sources: docs/science.md §3 and §5.
//!
//! One entry point for the page and the CLI: [`evaluate`] (or [`evaluate_with_shape`] when the
//! architecture is known). Pieces: [`flops`], [`cost`], [`memory`], [`validation`].

pub mod collectives;
pub mod cost;
pub mod flops;
pub mod layout;
pub mod memory;
pub mod step;
pub mod validation;

use super::architecture::{self, ArchError, Architecture};
use super::explain::{Explained, Source, DERIVED};
use super::hardware::{self, Gpu};
use super::scenario::{Finetune, Optimizer, Recompute};
use crate::explain::Key;
use memory::{LoraTargets, MemoryBreakdown, MemoryInput};
use serde::Serialize;

/// The transformer shape that activation memory, the attention FLOPs and LoRA need.
/// The caller maps a full architecture onto it; [`ActivationShape::from_size`] estimates one
/// from the parameter count alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ActivationShape {
    pub layers: u32,
    /// Hidden size `h` (d_model).
    pub hidden: u32,
    /// Attention heads `a`.
    pub heads: u32,
    /// Key/value heads (GQA/MQA); equal to `heads` for multi-head attention.
    pub kv_heads: u32,
    /// MLP inner size.
    pub ffn: u32,
    /// SwiGLU-style MLP with three matrices (gate, up, down) instead of two.
    pub gated_mlp: bool,
    /// Sequence length `s`, tokens.
    pub seq_len: u32,
    /// Micro-batch `b`, sequences per GPU per step.
    pub micro_batch: u32,
}

/// Width-to-depth ratio `d_model / n_layer` of the size-only estimate (GPT-3 175B: 12288/96 = 128;
/// Llama 2 7B: 4096/32 = 128).
pub const ASPECT_RATIO: f64 = 128.0;
/// Head dimension of the size-only estimate (GPT-3, Llama 2).
pub const HEAD_DIM: u32 = 128;

impl ActivationShape {
    /// An estimated shape for a model known only by its size.
    ///
    /// # Formula
    /// `N ≈ 12·L·d²` (Kaplan et al. 2020 eq. 2.1, non-embedding) with `d = 128·L`, so
    /// `L = round((N / (12·128²))^(1/3))`, `d = 128·L`, heads `= d/128`, FFN `= 4d` (GELU MLP).
    /// An estimate: GPT-3 175B comes out exactly, Llama 2 70B (80 layers, d = 8192) as 71 layers.
    ///
    /// ```
    /// use scalecalc_model::training::ActivationShape;
    /// let s = ActivationShape::from_size(175e9, 2048, 1);
    /// assert_eq!((s.layers, s.hidden, s.heads), (96, 12288, 96)); // GPT-3 175B exactly
    /// ```
    pub fn from_size(params: f64, seq_len: u32, micro_batch: u32) -> Self {
        let l = (params.max(0.0) / (12.0 * ASPECT_RATIO * ASPECT_RATIO))
            .cbrt()
            .round()
            .clamp(1.0, 1e4) as u32;
        let hidden = l * ASPECT_RATIO as u32;
        let heads = hidden / HEAD_DIM;
        Self {
            layers: l,
            hidden,
            heads,
            kv_heads: heads,
            ffn: 4 * hidden,
            gated_mlp: false,
            seq_len,
            micro_batch,
        }
    }
}

/// Why a training input is unusable. Each variant names the field, the value and the rule.
#[derive(Debug, Clone, PartialEq)]
pub enum TrainingError {
    /// A quantity that must be a finite number > 0 is not.
    NotPositive { field: &'static str, value: f64 },
    /// A quantity that must be a finite number ≥ 0 is not.
    Negative { field: &'static str, value: f64 },
    /// MFU outside (0, 1].
    Mfu(f64),
    /// Zero GPUs.
    NoGpus,
    /// Active parameters above the total.
    ActiveAboveTotal { active: f64, total: f64 },
    /// A GPU id that is not a preset.
    UnknownGpu(String),
    /// Lost fraction outside [0, 1).
    LostFraction(f64),
    /// Research multiplier below 1.
    ResearchMultiplier(f64),
    /// PUE below 1.
    Pue(f64),
    /// ZeRO stage above 3.
    ZeroStage(u32),
    /// tp·pp must divide the GPU count.
    Parallelism { tp: u32, pp: u32, gpus: u32 },
    /// Tensor parallelism splits the attention heads: tp must divide them (a known architecture).
    TpHeads { tp: u32, heads: u32 },
    /// Each pipeline stage holds at least one layer: pp ≤ layers (a known architecture).
    PpLayers { pp: u32, layers: u32 },
    /// A count that must be ≥ 1 is 0.
    Zero(&'static str),
    /// `tp·pp` divides the GPU count but `tp·pp·cp` does not (the degrees multiply to the GPUs:
    /// `tp·pp·cp·dp = gpus`).
    ContextParallelism {
        tp: u32,
        pp: u32,
        cp: u32,
        gpus: u32,
    },
    /// Context parallelism splits each sequence in `cp` equal chunks: `cp` must divide it.
    CpSeqLen { cp: u32, seq_len: u32 },
    /// Tensor parallelism splits the key/value heads too: `tp` must divide them, or be a multiple
    /// of them (each head then replicated on `tp/kv_heads` ranks, a note).
    TpKvHeads { tp: u32, kv_heads: u32 },
    /// Expert parallelism needs a known MoE model whose experts `ep` divides (`experts` 0: the
    /// model has none, or is known by its size alone).
    EpExperts { ep: u32, experts: u32 },
    /// The experts are spread over the data- and context-parallel ranks, `gpus/(tp·pp)`: `ep`
    /// must divide them (Megatron-Core).
    EpRanks { ep: u32, ranks: u32 },
    /// micro-batch × data-parallel ranks × accumulation steps = global batch: the global batch
    /// must be a multiple of micro-batch × dp.
    GlobalBatch {
        global_batch: u32,
        micro_batch: u32,
        dp: u32,
    },
}

impl TrainingError {
    /// The input the problem is about, as the CLI's flag (without `--`) and the page's field name
    /// it marks. A rule of several fields names the one to change first; [`Self::fields`] lists
    /// them all.
    pub fn field(&self) -> &'static str {
        self.fields()[0]
    }

    /// Every input the problem involves, the one [`Self::field`] names first.
    pub fn fields(&self) -> &'static [&'static str] {
        use TrainingError::*;
        match self {
            NotPositive { field, .. } | Negative { field, .. } => one(field),
            Zero(field) => one(field),
            Mfu(_) => &["mfu"],
            NoGpus => &["gpus"],
            ActiveAboveTotal { .. } => &["active-params", "params"],
            UnknownGpu(_) => &["gpu"],
            LostFraction(_) => &["lost-fraction"],
            ResearchMultiplier(_) => &["research-multiplier"],
            Pue(_) => &["pue"],
            ZeroStage(_) => &["zero"],
            Parallelism { .. } => &["tp", "pp", "gpus"],
            TpHeads { .. } | TpKvHeads { .. } => &["tp"],
            PpLayers { .. } => &["pp"],
            ContextParallelism { .. } => &["cp", "tp", "pp", "gpus"],
            CpSeqLen { .. } => &["cp", "seq-len"],
            EpExperts { .. } => &["ep"],
            EpRanks { .. } => &["ep", "gpus"],
            GlobalBatch { .. } => &["global-batch", "micro-batch", "gpus"],
        }
    }
}

/// A field name as a one-element list (the names are the `'static` ones of [`problems`]).
fn one(field: &'static str) -> &'static [&'static str] {
    const FIELDS: &[&str] = &[
        "params",
        "active-params",
        "tokens",
        "price-per-gpu-hour",
        "grid-t-co2-per-mwh",
        "power-watts",
        "tp",
        "pp",
        "cp",
        "ep",
        "micro-batch",
        "seq-len",
        "lora-rank",
        "global-batch",
    ];
    FIELDS
        .iter()
        .position(|f| *f == field)
        .map_or(&["?"], |i| &FIELDS[i..=i])
}

impl std::fmt::Display for TrainingError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use TrainingError::*;
        match self {
            NotPositive { field, value } => {
                write!(f, "{field}: {value} must be a finite number greater than 0")
            }
            Negative { field, value } => {
                write!(f, "{field}: {value} must be a finite number of at least 0")
            }
            Mfu(v) => write!(f, "mfu: {v} must be in [0.001, 1]"),
            NoGpus => write!(f, "gpus: 0 must be at least 1"),
            ActiveAboveTotal { active, total } => {
                write!(
                    f,
                    "active-params: {active} must not exceed the total parameters (--params) {total}"
                )
            }
            UnknownGpu(id) => write!(
                f,
                "gpu: unknown id '{id}' (valid: {})",
                hardware::gpu_ids().join(", ")
            ),
            LostFraction(v) => write!(f, "lost-fraction: {v} must be in [0, 0.99]"),
            ResearchMultiplier(v) => write!(f, "research-multiplier: {v} must be in [1, 100]"),
            Pue(v) => write!(f, "pue: {v} must be in [1, 5]"),
            ZeroStage(v) => write!(f, "zero: stage {v} must be 0, 1, 2 or 3"),
            Parallelism { tp, pp, gpus } => {
                write!(f, "tp·pp: {tp}·{pp} must divide the GPU count {gpus}")
            }
            TpHeads { tp, heads } => {
                write!(
                    f,
                    "tp: {tp} does not divide the model's {heads} attention heads"
                )
            }
            PpLayers { pp, layers } => {
                write!(f, "pp: {pp} pipeline stages for the model's {layers} layers (at most one stage per layer)")
            }
            Zero(field) => write!(f, "{field}: 0 must be at least 1"),
            ContextParallelism { tp, pp, cp, gpus } => write!(
                f,
                "cp: tp·pp·cp = {tp}·{pp}·{cp} must divide the GPU count {gpus} (tp·pp·cp·dp = gpus)"
            ),
            CpSeqLen { cp, seq_len } => write!(
                f,
                "cp: {cp} does not divide the sequence length {seq_len} (each rank takes an equal chunk)"
            ),
            TpKvHeads { tp, kv_heads } => write!(
                f,
                "tp: {tp} neither divides the model's {kv_heads} key/value heads nor is a multiple of them"
            ),
            EpExperts { ep, experts: 0 } => write!(
                f,
                "ep: {ep} expert-parallel ranks need a model with experts (an MoE preset or config.json)"
            ),
            EpExperts { ep, experts } => {
                write!(f, "ep: {ep} does not divide the model's {experts} experts")
            }
            EpRanks { ep, ranks } => write!(
                f,
                "ep: {ep} does not divide the {ranks} data- and context-parallel ranks (gpus / (tp·pp)) that share the experts"
            ),
            GlobalBatch {
                global_batch,
                micro_batch,
                dp,
            } => write!(
                f,
                "global-batch: {global_batch} must be a multiple of micro-batch × data-parallel ranks = {micro_batch} × {dp} (micro-batch × dp × accumulation steps = global batch)"
            ),
        }
    }
}

impl std::error::Error for TrainingError {}

/// A model the training section knows by its architecture.
#[derive(Debug, Clone, PartialEq)]
pub enum KnownModel {
    /// A preset, by id.
    Preset(String),
    /// A pasted Hugging Face `config.json`.
    Pasted(String),
}

/// The training section's inputs: exactly what [`evaluate_model`] uses, units in the names.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainingRun {
    /// The model by its architecture; `None`: by its size alone (`params`, `active_params`).
    /// A model that cannot be resolved falls back to the size, with a note.
    pub model: Option<KnownModel>,
    /// Total parameters `N`.
    pub params: f64,
    /// Active parameters per token (MoE); `None`: dense (all of `params`).
    pub active_params: Option<f64>,
    /// Training tokens `D`.
    pub tokens: f64,
    /// Hardware preset id.
    pub gpu: String,
    /// Number of GPUs.
    pub gpus: u32,
    /// Model FLOPs utilisation, (0, 1].
    pub mfu: f64,
    /// USD per GPU-hour; `None`: the GPU preset's price.
    pub price_per_gpu_hour: Option<f64>,
    /// Data-centre power usage effectiveness.
    pub pue: f64,
    /// Grid carbon intensity, t CO₂e per MWh.
    pub grid_t_co2_per_mwh: f64,
    /// Power per GPU, W; `None`: the GPU's rated power.
    pub power_watts: Option<f64>,
    /// Fraction of work lost to failures and restarts, [0, 1).
    pub lost_fraction: f64,
    /// Multiplier for research, evaluations and ablations (≥ 1).
    pub research_multiplier: f64,
    pub optimizer: Optimizer,
    /// ZeRO stage 0–3.
    pub zero_stage: u32,
    /// Tensor- and pipeline-parallel degrees.
    pub tp: u32,
    pub pp: u32,
    /// Context-parallel degree (each sequence split over `cp` ranks); 1 = none.
    /// `tp·pp·cp·dp = gpus`.
    pub cp: u32,
    /// Expert-parallel degree (MoE: the experts split over `ep` of the `dp·cp` ranks); 1 = none.
    pub ep: u32,
    /// Sequences per optimizer step (micro-batch × dp × accumulation steps); `None`:
    /// [`default_global_batch`].
    pub global_batch: Option<u32>,
    /// Micro-batch, sequences per GPU per step.
    pub micro_batch: u32,
    /// Sequence length, tokens.
    pub seq_len: u32,
    pub recompute: Recompute,
    /// FlashAttention: the attention scores are not stored (activation memory, docs/science.md §8).
    pub flash_attention: bool,
    pub finetune: Finetune,
    pub lora_rank: u32,
}

impl Default for TrainingRun {
    fn default() -> Self {
        crate::scenario::Scenario::default().training_run()
    }
}

/// A result that can be computed but is unlikely to be what the reader meant: said next to the
/// number it concerns (issue 18, item 6). Nothing is refused or changed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Implausible {
    /// The run takes more than a year of wall-clock time: few runs last that long (the longest
    /// published pre-training runs take months: Llama 3 405B ~54 days, Grattafiori et al. 2024).
    WallClockOverAYear { days: f64 },
    /// A LoRA or QLoRA fine-tune with at least a compute-optimal pre-training's tokens (20 per
    /// parameter, Hoffmann et al. 2022): likely a pre-training count left in the tokens field.
    FinetuneWithPretrainingTokens { tokens: f64, tokens_per_param: f64 },
}

/// Wall-clock days beyond which a run is flagged ([`Implausible::WallClockOverAYear`]).
pub const IMPLAUSIBLE_DAYS: f64 = 365.0;

/// Tokens per parameter from which a LoRA/QLoRA run is flagged (Chinchilla's compute-optimal 20).
pub const PRETRAINING_TOKENS_PER_PARAM: f64 = 20.0;

/// [`Implausible::WallClockOverAYear`] for a run of `days` wall-clock days, if it is one.
pub fn wall_clock_flag(days: f64) -> Option<Implausible> {
    (days.is_finite() && days > IMPLAUSIBLE_DAYS)
        .then_some(Implausible::WallClockOverAYear { days })
}

/// The implausible results of a run (see [`Implausible`]).
pub fn implausible(s: &TrainingRun, r: &TrainingResult) -> Vec<Implausible> {
    let mut out: Vec<Implausible> = wall_clock_flag(r.wall_days).into_iter().collect();
    let per_param = s.tokens / s.params;
    if s.finetune != Finetune::Full
        && per_param.is_finite()
        && per_param >= PRETRAINING_TOKENS_PER_PARAM
    {
        out.push(Implausible::FinetuneWithPretrainingTokens {
            tokens: s.tokens,
            tokens_per_param: per_param,
        });
    }
    out
}

/// Every problem with the training inputs, in field order. Each single value was already held
/// to its range where it was typed (`crate::limits`: the link, the page's field, the CLI's flag);
/// this adds what only the inputs together decide (active ≤ total, tp·pp divides the GPUs, a
/// known model's heads and layers) and keeps a run built in code honest.
pub fn problems(s: &TrainingRun) -> Vec<TrainingError> {
    use TrainingError::*;
    let mut out = Vec::new();
    let pos = |field, value: f64, out: &mut Vec<TrainingError>| {
        if !(value.is_finite() && value > 0.0) {
            out.push(NotPositive { field, value });
        }
    };
    let nonneg = |field, value: f64, out: &mut Vec<TrainingError>| {
        if !(value.is_finite() && value >= 0.0) {
            out.push(Negative { field, value });
        }
    };
    pos("params", s.params, &mut out);
    if let Some(active) = s.active_params {
        nonneg("active-params", active, &mut out);
        if active.is_finite() && s.params.is_finite() && active > s.params {
            out.push(ActiveAboveTotal {
                active,
                total: s.params,
            });
        }
    }
    pos("tokens", s.tokens, &mut out);
    if hardware::gpu(&s.gpu).is_none() {
        out.push(UnknownGpu(s.gpu.clone()));
    }
    if s.gpus == 0 {
        out.push(NoGpus);
    }
    // The same rules as the link, the page's fields and the CLI (`crate::limits`).
    use crate::limits as L;
    if L::MFU.check(s.mfu).is_err() {
        out.push(Mfu(s.mfu));
    }
    if let Some(price) = s.price_per_gpu_hour {
        nonneg("price-per-gpu-hour", price, &mut out);
    }
    if L::PUE.check(s.pue).is_err() {
        out.push(Pue(s.pue));
    }
    nonneg("grid-t-co2-per-mwh", s.grid_t_co2_per_mwh, &mut out);
    if let Some(w) = s.power_watts {
        nonneg("power-watts", w, &mut out);
    }
    if L::LOST_FRACTION.check(s.lost_fraction).is_err() {
        out.push(LostFraction(s.lost_fraction));
    }
    if L::RESEARCH_MULTIPLIER.check(s.research_multiplier).is_err() {
        out.push(ResearchMultiplier(s.research_multiplier));
    }
    if s.zero_stage > 3 {
        out.push(ZeroStage(s.zero_stage));
    }
    if s.tp == 0 {
        out.push(Zero("tp"));
    } else if s.pp == 0 {
        out.push(Zero("pp"));
    } else if s.gpus > 0 && !s.gpus.is_multiple_of(s.tp.saturating_mul(s.pp).max(1)) {
        out.push(Parallelism {
            tp: s.tp,
            pp: s.pp,
            gpus: s.gpus,
        });
    }
    if s.micro_batch == 0 {
        out.push(Zero("micro-batch"));
    }
    if s.seq_len == 0 {
        out.push(Zero("seq-len"));
    }
    let model_ranks = u64::from(s.tp) * u64::from(s.pp) * u64::from(s.cp);
    let layout_ok = s.tp > 0
        && s.pp > 0
        && s.gpus > 0
        && u64::from(s.gpus).is_multiple_of(u64::from(s.tp) * u64::from(s.pp));
    if s.cp == 0 {
        out.push(Zero("cp"));
    } else {
        if layout_ok && !u64::from(s.gpus).is_multiple_of(model_ranks) {
            out.push(ContextParallelism {
                tp: s.tp,
                pp: s.pp,
                cp: s.cp,
                gpus: s.gpus,
            });
        }
        if s.seq_len > 0 && !s.seq_len.is_multiple_of(s.cp) {
            out.push(CpSeqLen {
                cp: s.cp,
                seq_len: s.seq_len,
            });
        }
    }
    let degrees_ok = layout_ok && s.cp > 0 && u64::from(s.gpus).is_multiple_of(model_ranks);
    // Data-parallel ranks, once the degrees multiply to the GPU count.
    let dp = degrees_ok.then(|| (u64::from(s.gpus) / model_ranks) as u32);
    if s.ep == 0 {
        out.push(Zero("ep"));
    }
    if let (Some(b), Some(dp)) = (s.global_batch, dp) {
        if s.micro_batch > 0
            && !u64::from(b).is_multiple_of(u64::from(s.micro_batch) * u64::from(dp))
        {
            out.push(GlobalBatch {
                global_batch: b,
                micro_batch: s.micro_batch,
                dp,
            });
        }
    }
    if s.global_batch == Some(0) {
        out.push(Zero("global-batch"));
    }
    if s.finetune != Finetune::Full && s.lora_rank == 0 {
        out.push(Zero("lora-rank"));
    }
    // A known architecture (a preset or a pasted config.json) bounds the layout; a size alone
    // gives an estimated shape, which is not held to it.
    let arch = resolve_model(s).ok().flatten();
    if let Some(arch) = &arch {
        if s.tp > 0 && arch.heads > 0 && !arch.heads.is_multiple_of(s.tp) {
            out.push(TpHeads {
                tp: s.tp,
                heads: arch.heads,
            });
        } else if s.tp > 0 && arch.kv_heads > 0 && kv_heads_split(s.tp, arch.kv_heads).is_none() {
            out.push(TpKvHeads {
                tp: s.tp,
                kv_heads: arch.kv_heads,
            });
        }
        if s.pp > arch.layers {
            out.push(PpLayers {
                pp: s.pp,
                layers: arch.layers,
            });
        }
    }
    // Expert parallelism: a known MoE model (a size alone says nothing of its experts).
    if s.ep > 1 {
        let experts = arch.as_ref().and_then(|a| a.moe).map_or(0, |m| m.experts);
        if experts == 0 || !experts.is_multiple_of(s.ep) {
            out.push(EpExperts { ep: s.ep, experts });
        } else if let Some(dp) = dp {
            let ranks = dp.saturating_mul(s.cp);
            if !ranks.is_multiple_of(s.ep) {
                out.push(EpRanks { ep: s.ep, ranks });
            }
        }
    }
    out
}

/// How `tp` ranks split `kv` key/value heads: `Some(1)` each rank holds `kv/tp` of them,
/// `Some(r)` (r > 1) each head is replicated on `r = tp/kv` ranks (Megatron-Core: "num_query_groups
/// must be divisible by tp, or tp by num_query_groups"); `None`: neither divides the other.
///
/// ```
/// use scalecalc_model::training::kv_heads_split;
/// assert_eq!(kv_heads_split(4, 8), Some(1));
/// assert_eq!(kv_heads_split(16, 8), Some(2));
/// assert_eq!(kv_heads_split(3, 8), None);
/// ```
pub fn kv_heads_split(tp: u32, kv: u32) -> Option<u32> {
    if tp == 0 || kv == 0 {
        return None;
    }
    if kv.is_multiple_of(tp) {
        Some(1)
    } else if tp.is_multiple_of(kv) {
        Some(tp / kv)
    } else {
        None
    }
}

/// The first problem, if any: the strict check the CLI uses.
pub fn check(s: &TrainingRun) -> Result<(), TrainingError> {
    problems(s).into_iter().next().map_or(Ok(()), Err)
}

/// Something the training section tells the reader: typed, with its data, so that each shell
/// words it in its reader's language and none reads another's text. `Display` is the English the
/// CLI prints (the `notes` of `scalecalc train --json`).
#[derive(Debug, Clone, PartialEq)]
pub enum TrainingNote {
    /// A bad input was replaced by `used`.
    Fallback {
        problem: TrainingError,
        used: String,
    },
    /// The model preset or pasted `config.json` could not be used; the size fields are.
    Model(ModelError),
    /// No architecture given: the shape is estimated from the parameter count.
    ShapeEstimated {
        layers: u32,
        hidden: u32,
        heads: u32,
    },
    /// The GPU's figures are estimates.
    GpuEstimate { gpu: &'static str },
    /// The GPU has no published power rating.
    NoPower { gpu: &'static str },
    /// Tensor parallelism wider than the key/value heads: each is replicated on `tp/kv_heads`
    /// ranks (their weights and K/V activations with them).
    KvHeadsReplicated { tp: u32, kv_heads: u32 },
    /// The model does not fit in one GPU's memory; the fewest GPUs that fit, if any layout does.
    DoesNotFit {
        gpu_memory_bytes: f64,
        min_gpus: Option<memory::MinGpus>,
    },
}

impl TrainingNote {
    /// Notes that concern only the memory estimate (the CLI prints them with `--memory`).
    pub fn is_about_memory(&self) -> bool {
        matches!(
            self,
            TrainingNote::ShapeEstimated { .. } | TrainingNote::DoesNotFit { .. }
        )
    }
}

impl std::fmt::Display for TrainingNote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TrainingNote::Fallback { problem, used } => write!(f, "{problem}; using {used}"),
            TrainingNote::Model(e) => write!(f, "{e}; using the size fields"),
            TrainingNote::ShapeEstimated {
                layers,
                hidden,
                heads,
            } => write!(
                f,
                "architecture unknown: shape estimated from N alone (N ≈ 12·L·d², d = 128·L): {layers} layers, hidden {hidden}, {heads} heads"
            ),
            TrainingNote::GpuEstimate { gpu } => write!(f, "{gpu}: figures are estimates"),
            TrainingNote::KvHeadsReplicated { tp, kv_heads } => write!(
                f,
                "tp {tp} is wider than the model's {kv_heads} key/value heads: each is replicated on {} ranks",
                tp / kv_heads.max(&1)
            ),
            TrainingNote::NoPower { gpu } => write!(
                f,
                "{gpu} has no published power rating: enter the power per device for energy and CO₂"
            ),
            TrainingNote::DoesNotFit {
                gpu_memory_bytes,
                min_gpus: Some(m),
            } => write!(
                f,
                "does not fit in {:.0} GiB per GPU; fewest that fit: {} GPUs (tp {}, pp {}, dp {})",
                gpu_memory_bytes / crate::num::GIB,
                m.gpus,
                m.tp,
                m.pp,
                m.dp
            ),
            TrainingNote::DoesNotFit {
                gpu_memory_bytes,
                min_gpus: None,
            } => write!(
                f,
                "does not fit in {:.0} GiB per GPU with any tp ≤ 8 and pp: raise the ZeRO stage, recompute or shrink the micro-batch",
                gpu_memory_bytes / crate::num::GIB
            ),
        }
    }
}

impl Serialize for TrainingNote {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A copy of `s` with each bad field replaced by a usable default, and a note per replacement.
fn sanitized(s: &TrainingRun) -> (TrainingRun, Vec<TrainingNote>) {
    use TrainingError::*;
    let d = TrainingRun::default();
    let mut t = s.clone();
    let mut notes = Vec::new();
    for p in problems(s) {
        let fallback = match &p {
            NotPositive { field, .. } | Negative { field, .. } => match *field {
                "params" => {
                    t.params = d.params;
                    t.active_params = None;
                    format!("{}", d.params)
                }
                "active-params" => {
                    t.active_params = None;
                    "0 (dense)".into()
                }
                "tokens" => {
                    t.tokens = d.tokens;
                    format!("{}", d.tokens)
                }
                "price-per-gpu-hour" => {
                    t.price_per_gpu_hour = None;
                    "the GPU's default price".into()
                }
                "grid-t-co2-per-mwh" => {
                    t.grid_t_co2_per_mwh = d.grid_t_co2_per_mwh;
                    format!("{}", d.grid_t_co2_per_mwh)
                }
                _ => {
                    t.power_watts = None;
                    "the rated power".into()
                }
            },
            Mfu(_) => {
                t.mfu = d.mfu;
                format!("{}", d.mfu)
            }
            NoGpus => {
                t.gpus = 1;
                t.tp = 1;
                t.pp = 1;
                "1".into()
            }
            ActiveAboveTotal { .. } => {
                t.active_params = None;
                "0 (dense)".into()
            }
            UnknownGpu(_) => {
                t.gpu = d.gpu.clone();
                d.gpu.clone()
            }
            LostFraction(_) => {
                t.lost_fraction = 0.0;
                "0".into()
            }
            ResearchMultiplier(_) => {
                t.research_multiplier = 1.0;
                "1".into()
            }
            Pue(_) => {
                t.pue = 1.0;
                "1".into()
            }
            ZeroStage(_) => {
                t.zero_stage = 0;
                "0".into()
            }
            Parallelism { .. } | TpHeads { .. } | PpLayers { .. } | Zero("tp") | Zero("pp") => {
                t.tp = 1;
                t.pp = 1;
                "tp = pp = 1".into()
            }
            Zero("micro-batch") => {
                t.micro_batch = 1;
                "1".into()
            }
            TpKvHeads { .. } => {
                t.tp = 1;
                t.pp = 1;
                "tp = pp = 1".into()
            }
            ContextParallelism { .. } | CpSeqLen { .. } | Zero("cp") => {
                t.cp = 1;
                "cp = 1".into()
            }
            EpExperts { .. } | EpRanks { .. } | Zero("ep") => {
                t.ep = 1;
                "ep = 1".into()
            }
            GlobalBatch { .. } | Zero("global-batch") => {
                t.global_batch = None;
                "the default global batch".into()
            }
            Zero("seq-len") => {
                t.seq_len = d.seq_len;
                format!("{}", d.seq_len)
            }
            Zero(_) => {
                t.lora_rank = d.lora_rank;
                format!("{}", d.lora_rank)
            }
        };
        notes.push(TrainingNote::Fallback {
            problem: p,
            used: fallback,
        });
    }
    (t, notes)
}

crate::hows! {
    /// The training section's explained numbers.
    TrainingHow {
        params: TrainingParams,
        flops: TrainingFlops,
        flops_with_attention: TrainingFlopsWithAttention,
        hardware_flops: TrainingHardwareFlops,
        gpu_hours: TrainingGpuHours,
        wall_days: TrainingWallDays,
        cost_usd: TrainingCostUsd,
        energy_mwh: TrainingEnergyMwh,
        co2_tonnes: TrainingCo2Tonnes,
        memory_per_gpu: TrainingMemoryPerGpu,
    }
}

/// Everything the training section shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrainingResult {
    /// The GPU used (after any fallback).
    pub gpu: &'static Gpu,
    /// Total parameters (weights held in memory).
    pub total_params: f64,
    /// Parameters doing the work per token (active for MoE, else total).
    pub compute_params: f64,
    /// Model FLOPs `6·N_active·D`.
    pub flops: f64,
    /// Model FLOPs with PaLM's attention term `(6N + 12·L·H·Q·T)·D` for the shape used.
    pub flops_with_attention: f64,
    /// Hardware FLOPs: model FLOPs with attention plus recomputation.
    pub hardware_flops: f64,
    /// Hardware FLOPs utilisation `MFU · hardware / model`.
    pub hfu: f64,
    /// Device-hours of the final run, failures included.
    pub run_gpu_hours: f64,
    /// Device-hours paid: the run × research multiplier.
    pub gpu_hours: f64,
    /// Wall-clock days of the final run on `gpus` devices.
    pub wall_days: f64,
    /// USD per device-hour used.
    pub price_per_gpu_hour: f64,
    pub cost_usd: f64,
    /// W per device used; `None` when the preset has no rated power and none was entered.
    pub power_watts: Option<f64>,
    pub energy_mwh: Option<f64>,
    pub co2_tonnes: Option<f64>,
    /// The shape used for attention FLOPs, activations and LoRA.
    pub shape: ActivationShape,
    /// True when `shape` was estimated from the size alone.
    pub shape_estimated: bool,
    /// Data-parallel ranks `gpus / (tp·pp·cp)`.
    pub dp: u32,
    /// The routed experts of a known MoE model (the step's all-to-alls, EP's sharding).
    pub moe: Option<step::StepMoe>,
    pub memory: MemoryBreakdown,
    /// What `memory` was computed from: a chart varies one setting of it (the ZeRO stage)
    /// without evaluating the section again.
    #[serde(skip)]
    pub memory_input: MemoryInput,
    pub explained: Vec<Explained>,
    pub notes: Vec<TrainingNote>,
    /// Why the named model (`tm`) was not used, if it was not.
    #[serde(skip)]
    pub model_error: Option<ModelError>,
}

impl TrainingResult {
    /// Each number's explanation, as a field.
    pub fn how(&self) -> TrainingHow {
        TrainingHow::from_list(&self.explained)
    }
}

/// Evaluates the training section for a size-only model (the shape is estimated from `params`).
pub fn evaluate(s: &TrainingRun) -> TrainingResult {
    evaluate_with_shape(s, None)
}

/// The shape of a known architecture, for activation memory and the attention FLOPs (sequence
/// length and micro-batch are the scenario's). An MoE layer's MLP activations are those of the
/// experts a token passes through: `(top_k + shared) × expert width`.
pub fn shape_of(a: &Architecture) -> ActivationShape {
    let ffn = match a.moe {
        Some(m) => m.expert_ffn * u64::from(m.top_k + m.shared_experts),
        None => a.ffn,
    };
    let clamp = |v: u64| v.min(u64::from(u32::MAX)) as u32;
    ActivationShape {
        layers: a.layers,
        hidden: clamp(a.d_model),
        heads: a.heads,
        kv_heads: a.kv_heads,
        ffn: clamp(ffn),
        gated_mlp: a.gated_ffn,
        seq_len: 0,
        micro_batch: 0,
    }
}

/// Why the model named by `tm` could not be used (the section then uses `tn`/`tna` alone).
#[derive(Debug, Clone, PartialEq)]
pub enum ModelError {
    /// The id is no preset.
    UnknownPreset(String),
    /// The pasted `config.json` is unusable.
    Config(ArchError),
}

impl std::fmt::Display for ModelError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ModelError::UnknownPreset(id) => write!(
                f,
                "model '{id}' is not a preset ({})",
                architecture::preset_ids().join(", ")
            ),
            ModelError::Config(e) => write!(f, "config.json: {e}"),
        }
    }
}

/// The training section's model: a preset or a pasted Hugging Face `config.json` (shared with
/// the inference section), whose parameter counts (total, and active for MoE) replace
/// `params`/`active_params` and whose shape replaces the size-only estimate; `Ok(None)`: the
/// size alone.
pub fn resolve_model(s: &TrainingRun) -> Result<Option<Architecture>, ModelError> {
    match &s.model {
        None => Ok(None),
        Some(KnownModel::Pasted(cfg)) => Architecture::from_hf_config(cfg)
            .map(Some)
            .map_err(ModelError::Config),
        Some(KnownModel::Preset(id)) => architecture::preset(id)
            .map(|p| Some(p.arch))
            .ok_or_else(|| ModelError::UnknownPreset(id.clone())),
    }
}

/// Evaluates the training section with its model resolved ([`resolve_model`]): what the page
/// shows. A model that cannot be resolved falls back to the size fields, with a note.
///
/// ```
/// use scalecalc_model::training::{self, KnownModel, TrainingRun};
/// let s = TrainingRun {
///     model: Some(KnownModel::Preset("llama-2-70b".into())),
///     params: 1e9,
///     ..TrainingRun::default()
/// };
/// let r = training::evaluate_model(&s);
/// assert_eq!(r.shape.layers, 80);                    // the preset's shape, not an estimate
/// assert!((r.compute_params / 68.98e9 - 1.0).abs() < 1e-3); // its count, not 1e9
/// ```
pub fn evaluate_model(s: &TrainingRun) -> TrainingResult {
    match resolve_model(s) {
        Ok(None) => evaluate_with_shape(s, None),
        Ok(Some(a)) => {
            let n = a.params();
            let sized = TrainingRun {
                params: n.total,
                active_params: a.moe.is_some().then_some(n.active),
                ..s.clone()
            };
            let mut r = evaluate_inner(&sized, Some(shape_of(&a)), step::StepMoe::of(&a));
            let source = match &s.model {
                Some(KnownModel::Preset(id)) => architecture::preset(id).map(|p| p.source),
                _ => None,
            }
            .unwrap_or(architecture::PASTED_CONFIG);
            r.explained
                .insert(0, a.params_explained(Key::TrainingParams, source));
            r
        }
        Err(e) => {
            let mut r = evaluate_with_shape(s, None);
            r.notes.insert(0, TrainingNote::Model(e.clone()));
            r.model_error = Some(e);
            r
        }
    }
}

/// Evaluates the training section; `shape` is the caller's mapping of a known architecture
/// (its `seq_len` and `micro_batch` are taken from the scenario), `None` estimates one.
pub fn evaluate_with_shape(s: &TrainingRun, shape: Option<ActivationShape>) -> TrainingResult {
    evaluate_inner(s, shape, None)
}

/// [`evaluate_with_shape`] with an MoE model's routed experts (expert parallelism shards them).
fn evaluate_inner(
    s: &TrainingRun,
    shape: Option<ActivationShape>,
    moe: Option<step::StepMoe>,
) -> TrainingResult {
    let (s, mut notes) = sanitized(s);
    let gpu = hardware::gpu(&s.gpu)
        .or_else(|| hardware::GPUS.first())
        .unwrap_or(&FALLBACK_GPU);
    let n_total = s.params;
    let n = s.active_params.filter(|&a| a > 0.0).unwrap_or(n_total);
    let (shape, shape_estimated) = match shape {
        Some(sh) => (
            ActivationShape {
                seq_len: s.seq_len,
                micro_batch: s.micro_batch,
                ..sh
            },
            false,
        ),
        None => (
            ActivationShape::from_size(n_total, s.seq_len, s.micro_batch),
            true,
        ),
    };
    if shape_estimated {
        notes.push(TrainingNote::ShapeEstimated {
            layers: shape.layers,
            hidden: shape.hidden,
            heads: shape.heads,
        });
    }
    if gpu.estimate {
        notes.push(TrainingNote::GpuEstimate { gpu: gpu.name });
    }
    if !shape_estimated && kv_heads_split(s.tp, shape.kv_heads).is_some_and(|r| r > 1) {
        notes.push(TrainingNote::KvHeadsReplicated {
            tp: s.tp,
            kv_heads: shape.kv_heads,
        });
    }
    let d = s.tokens;
    let peak = gpu.peak_bf16_flop_per_s;

    let model_flops = flops::six_nd(n, d);
    let q = shape.hidden / shape.heads.max(1);
    let per_token_attn =
        flops::palm_flops_per_token(n, shape.layers, shape.heads, q, shape.seq_len);
    let flops_with_attention = per_token_attn * d;
    let recompute_per_token = flops::recompute_flops_per_token(n, &shape, s.recompute);
    let hardware_flops = flops_with_attention + recompute_per_token * d;
    let hfu = s.mfu * hardware_flops / model_flops;

    let base_hours = cost::gpu_hours(model_flops, peak, s.mfu);
    let run_gpu_hours = cost::with_overheads(base_hours, s.lost_fraction, 1.0);
    let gpu_hours = run_gpu_hours * s.research_multiplier;
    let wall_days = cost::wall_days(run_gpu_hours, s.gpus);
    let price = s
        .price_per_gpu_hour
        .filter(|&p| p > 0.0)
        .unwrap_or(gpu.price_per_hour_usd);
    let cost_usd = gpu_hours * price;
    let power_watts = s.power_watts.filter(|&w| w > 0.0).or(gpu.power_watts);
    if power_watts.is_none() {
        notes.push(TrainingNote::NoPower { gpu: gpu.name });
    }
    let energy_mwh = power_watts.map(|w| cost::energy_mwh(gpu_hours, w, s.pue));
    let co2_tonnes = energy_mwh.map(|e| cost::co2_tonnes(e, s.grid_t_co2_per_mwh));

    let dp = (s.gpus / (s.tp * s.pp * s.cp).max(1)).max(1);
    let memory_input = MemoryInput {
        params: n_total,
        shape,
        optimizer: s.optimizer,
        zero_stage: s.zero_stage,
        tp: s.tp,
        pp: s.pp,
        dp,
        recompute: s.recompute,
        finetune: s.finetune,
        lora_rank: s.lora_rank,
        lora_targets: LoraTargets::AllLinear,
        gpu_memory_bytes: gpu.memory_bytes,
        // Issue 16's options at their neutral values (today's numbers); main wires them.
        flash_attention: s.flash_attention,
        sequence_parallel: true,
        vocab: 0,
        fused_cross_entropy: false,
        microbatches: 0,
        virtual_stages: 1,
        fp32_grads: false,
        cp: s.cp.max(1),
        ep: s.ep.max(1),
        expert_params: moe.map_or(0.0, |m| m.expert_params),
    };
    let mem = memory::memory(&memory_input);
    if !mem.fits {
        notes.push(TrainingNote::DoesNotFit {
            gpu_memory_bytes: gpu.memory_bytes,
            min_gpus: mem.min_gpus,
        });
    }

    let src = |g: &Gpu| g.source;
    let explained = vec![
        Explained::new(
            Key::TrainingFlops,
            model_flops,
            "FLOP",
            "C = 6·N·D",
            format!("6 × {n:.4e} × {d:.4e} = {model_flops:.4e}"),
            flops::SRC_KAPLAN,
        ),
        Explained::new(
            Key::TrainingFlopsWithAttention,
            flops_with_attention,
            "FLOP",
            "C = (6N + 12·L·H·Q·T)·D",
            format!(
                "(6 × {n:.4e} + 12 × {} × {} × {q} × {}) × {d:.4e} = {flops_with_attention:.4e}",
                shape.layers, shape.heads, shape.seq_len
            ),
            flops::SRC_PALM,
        ),
        Explained::new(
            Key::TrainingHardwareFlops,
            hardware_flops,
            "FLOP",
            "C_hw = C_attn + recompute per token · D",
            format!(
                "{flops_with_attention:.4e} + {recompute_per_token:.4e} × {d:.4e} = {hardware_flops:.4e} ({}; HFU = {:.1}%)",
                s.recompute.as_str(),
                hfu * 100.0
            ),
            flops::SRC_KORTHIKANTI,
        ),
        Explained::new(
            Key::TrainingGpuHours,
            gpu_hours,
            "GPU-h",
            "H = C / (P·MFU·3600) / (1 − f) · m",
            format!(
                "{model_flops:.4e} / ({peak:.4e} × {} × 3600) / (1 − {}) × {} = {gpu_hours:.4e}",
                s.mfu, s.lost_fraction, s.research_multiplier
            ),
            src(gpu),
        ),
        Explained::new(
            Key::TrainingWallDays,
            wall_days,
            "days",
            "days = H_run / K / 24",
            format!("{run_gpu_hours:.4e} / {} / 24 = {wall_days:.2}", s.gpus),
            DERIVED,
        ),
        Explained::new(
            Key::TrainingCostUsd,
            cost_usd,
            "USD",
            "$ = H · price",
            format!(
                "{gpu_hours:.4e} × {price} = {cost_usd:.4e} (price: {})",
                if s.price_per_gpu_hour.is_some_and(|p| p > 0.0) {
                    "entered"
                } else {
                    gpu.price_source
                }
            ),
            DERIVED,
        ),
    ];
    let mut explained = explained;
    if let (Some(w), Some(e), Some(t)) = (power_watts, energy_mwh, co2_tonnes) {
        explained.push(Explained::new(
            Key::TrainingEnergyMwh,
            e,
            "MWh",
            "E = H · W · PUE / 10⁶",
            format!("{gpu_hours:.4e} × {w} × {} / 1e6 = {e:.4}", s.pue),
            cost::SRC_LLAMA2_CARD,
        ));
        explained.push(Explained::new(
            Key::TrainingCo2Tonnes,
            t,
            "t CO₂e",
            "t = E · g",
            format!("{e:.4} × {} = {t:.4}", s.grid_t_co2_per_mwh),
            grid_source(s.grid_t_co2_per_mwh),
        ));
    }
    explained.push(Explained::new(
        Key::TrainingMemoryPerGpu,
        mem.total_bytes,
        "B",
        "M = (weights + grads + optimizer)/(tp·pp)/(dp where ZeRO shards) + activations",
        format!(
            "{:.3e} + {:.3e} + {:.3e} + {:.3e} = {:.3e} of {:.3e} ({}, ZeRO-{}, tp {}, pp {}, dp {dp}, {} recompute, FlashAttention {})",
            mem.weights_bytes,
            mem.gradients_bytes,
            mem.optimizer_bytes,
            mem.activations_bytes,
            mem.total_bytes,
            gpu.memory_bytes,
            s.optimizer.as_str(),
            s.zero_stage,
            s.tp,
            s.pp,
            s.recompute.as_str(),
            if s.flash_attention { "on" } else { "off" }
        ),
        memory_source(s.finetune, s.recompute, s.flash_attention),
    ));

    TrainingResult {
        gpu,
        compute_params: n,
        flops: model_flops,
        flops_with_attention,
        hardware_flops,
        hfu,
        run_gpu_hours,
        gpu_hours,
        wall_days,
        price_per_gpu_hour: price,
        cost_usd,
        power_watts,
        energy_mwh,
        co2_tonnes,
        shape,
        shape_estimated,
        dp,
        moe,
        memory: mem,
        memory_input,
        explained,
        total_params: n_total,
        notes,
        model_error: None,
    }
}

/// The grid preset's source when the value is a preset's, else ours.
fn grid_source(g: f64) -> Source {
    cost::GRIDS
        .iter()
        .find(|p| p.t_co2_per_mwh == g)
        .map_or(DERIVED, |p| p.source)
}

fn memory_source(ft: Finetune, rc: Recompute, flash_attention: bool) -> Source {
    match (ft, rc) {
        (Finetune::Qlora, _) => memory::SRC_QLORA,
        (Finetune::Lora, _) => memory::SRC_LORA,
        (Finetune::Full, Recompute::None) if flash_attention => memory::SRC_FLASH_ATTENTION,
        (Finetune::Full, Recompute::None) => memory::SRC_ZERO,
        (Finetune::Full, _) => flops::SRC_KORTHIKANTI,
    }
}

/// What the step-time prediction takes beyond the run itself (the CLI's flags; the page uses the
/// defaults).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StepOptions {
    /// Vocabulary (the output layer).
    pub vocab: u32,
    /// The pipeline schedule.
    pub schedule: step::Schedule,
    /// Model chunks per pipeline stage asked for (interleaved 1F1B); 1 = plain 1F1B. Held to the
    /// schedule's rule by [`step::Schedule::virtual_stages`] in [`predict_step`].
    pub virtual_stages: u32,
    pub sequence_parallel: bool,
    /// Bytes per gradient element reduced across data-parallel ranks (4: fp32 main-grads).
    pub grad_bytes: f64,
    /// GPUs per NVLink node, if not the GPU's reference node.
    pub gpus_per_node: Option<u32>,
    /// Scale-out bytes/s per GPU, if not the reference cluster's.
    pub nic_bytes_per_s: Option<f64>,
}

impl StepOptions {
    /// The defaults for a run: its model's vocabulary (32,000 for a size alone), plain 1F1B,
    /// sequence parallelism whenever `tp > 1` (as Megatron-LM runs tensor parallelism, Korthikanti
    /// et al. 2022 §4.2.2, and as the memory model and the layout search assume), fp32 gradients,
    /// the reference cluster. (The global batch is the
    /// run's: [`TrainingRun::global_batch`].)
    pub fn for_run(s: &TrainingRun) -> Self {
        let vocab = match resolve_model(s) {
            Ok(Some(a)) => u32::try_from(a.vocab).unwrap_or(u32::MAX),
            _ => DEFAULT_VOCAB,
        };
        Self {
            vocab,
            schedule: step::Schedule::OneFOneB,
            virtual_stages: 1,
            sequence_parallel: s.tp > 1,
            grad_bytes: 4.0,
            gpus_per_node: None,
            nic_bytes_per_s: None,
        }
    }
}

/// The vocabulary assumed for a model known by its size alone (Llama 2's).
pub const DEFAULT_VOCAB: u32 = 32_000;

/// Tokens per optimizer step when no global batch is given: Llama 2's "global batch-size of 4M
/// tokens" (Touvron et al. 2023, §2.2; GPT-3 175B used 3.2M, Brown et al. 2020 Table 2.1).
pub const DEFAULT_BATCH_TOKENS: f64 = 4_194_304.0;

/// The default global batch, sequences: [`DEFAULT_BATCH_TOKENS`] over the sequence length,
/// rounded up to a multiple of `micro_batch × dp` (each rank runs whole micro-batches); `None`
/// when that multiple passes `u32` (a million ranks of 4,096-sequence micro-batches).
///
/// ```
/// use scalecalc_model::training::default_global_batch;
/// assert_eq!(default_global_batch(4096, 1, 16), Some(1024)); // 4M / 4,096 = 1,024 sequences
/// assert_eq!(default_global_batch(2048, 2, 48), Some(2112)); // 2,048 rounded up to 22 × 96
/// assert_eq!(default_global_batch(4096, 4096, 1 << 20), None); // 2^32 sequences
/// ```
pub fn default_global_batch(seq_len: u32, micro_batch: u32, dp: u32) -> Option<u32> {
    let unit = u64::from(micro_batch.max(1)) * u64::from(dp.max(1));
    let want = (DEFAULT_BATCH_TOKENS / f64::from(seq_len.max(1)))
        .ceil()
        .max(1.0) as u64;
    u32::try_from(want.div_ceil(unit).checked_mul(unit)?).ok()
}

/// Why the MFU cannot be predicted.
#[derive(Debug, Clone, PartialEq)]
pub enum PredictError {
    /// The GPU has no interconnect figures (NVLink, node size, NIC).
    NoInterconnect { gpu: &'static str },
    /// The layout is not one the step model can run.
    Step(step::StepError),
}

impl std::fmt::Display for PredictError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PredictError::NoInterconnect { gpu } => {
                write!(
                    f,
                    "{gpu} has no interconnect figures to predict the MFU from"
                )
            }
            PredictError::Step(e) => write!(f, "{e}"),
        }
    }
}

crate::hows! {
    /// The predicted step's explained numbers.
    StepHow {
        mfu: TrainingPredictedMfu,
        cp_comm_s: TrainingCpCommS,
        ep_comm_s: TrainingEpCommS,
    }
}

/// The predicted step of a run, with its explanation.
#[derive(Debug, Clone, PartialEq)]
pub struct PredictedStep {
    pub prediction: step::StepPrediction,
    /// The predicted MFU's formula, values and source.
    pub how: Explained,
    /// Every explained number of the step: the MFU ([`Self::how`]), the context-parallel ring
    /// exchange and the expert-parallel all-to-alls.
    pub explained: Vec<Explained>,
}

impl PredictedStep {
    /// Each number's explanation, as a field.
    pub fn hows(&self) -> StepHow {
        StepHow::from_list(&self.explained)
    }
}

/// The step-time model's prediction (docs/science.md §8) for the run `s` as evaluated in `r`
/// (its shape, parameter count and GPU), with the options `o`.
pub fn predict_step(
    s: &TrainingRun,
    r: &TrainingResult,
    o: &StepOptions,
) -> Result<PredictedStep, PredictError> {
    let gpu = r.gpu;
    let mut link =
        *hardware::interconnect(gpu.id).ok_or(PredictError::NoInterconnect { gpu: gpu.id })?;
    if let Some(n) = o.gpus_per_node {
        link.gpus_per_node = n;
    }
    if let Some(b) = o.nic_bytes_per_s {
        link.nic_per_gpu_bytes_per_s = b;
    }
    let dp = (s.gpus / (s.tp.saturating_mul(s.pp).saturating_mul(s.cp)).max(1)).max(1);
    let virtual_stages = o
        .schedule
        .virtual_stages(o.virtual_stages, s.pp, r.shape.layers)
        .map_err(PredictError::Step)?;
    let input = step::StepInput {
        shape: r.shape,
        vocab: o.vocab,
        params: r.total_params,
        gpus: s.gpus,
        tp: s.tp,
        pp: s.pp,
        cp: s.cp,
        ep: s.ep,
        moe: r.moe,
        global_batch: match s.global_batch {
            Some(b) => b,
            None => default_global_batch(s.seq_len, s.micro_batch, dp).ok_or(
                PredictError::Step(step::StepError::GlobalBatch {
                    global_batch: u32::MAX,
                    micro_batch: s.micro_batch,
                    dp,
                }),
            )?,
        },
        virtual_stages,
        recompute: s.recompute,
        sequence_parallel: o.sequence_parallel,
        flash_attention: s.flash_attention,
        zero_stage: s.zero_stage,
        grad_bytes: o.grad_bytes,
        dp_overlap: step::DEFAULT_DP_OVERLAP,
        peak_flop_per_s: gpu.peak_bf16_flop_per_s,
        memory_bytes_per_s: gpu.bandwidth_bytes_per_s,
        interconnect: link,
    };
    let p = step::predict(&input, &step::STEP_CALIBRATION).map_err(PredictError::Step)?;
    let b = &p.breakdown;
    let how = Explained::new(
        Key::TrainingPredictedMfu,
        p.mfu,
        "",
        "MFU = model FLOPs per step / (step time · GPUs · peak); step = compute + memory-bound + TP collectives + CP ring exchange + EP all-to-alls + pipeline bubble and sends + unhidden DP reduction + optimizer",
        format!(
            "{:.4e} / ({:.3} s × {} × {:.4e}) = {:.4}; global batch {} sequences ({} micro-batches per rank); step {:.3} s = compute {:.3} + memory {:.3} + TP {:.3} + CP {:.3} + EP {:.3} + bubble {:.3} + p2p {:.3} + DP {:.3} + optimizer {:.3} (HFU {:.4}, {:.1} model / {:.1} hardware TFLOP/s per GPU)",
            p.model_flops_per_step,
            p.step_seconds,
            s.gpus,
            gpu.peak_bf16_flop_per_s,
            p.mfu,
            p.microbatches * p.data_parallel * s.micro_batch,
            p.microbatches,
            p.step_seconds,
            b.compute_s,
            b.memory_bound_s,
            b.tp_comm_s,
            b.cp_comm_s,
            b.ep_comm_s,
            b.pipeline_bubble_s,
            b.pipeline_p2p_s,
            b.dp_comm_s,
            b.optimizer_s,
            p.hfu,
            p.model_tflops_per_gpu,
            p.hardware_tflops_per_gpu
        ),
        step::SRC_MEGATRON,
    );
    let local = s.micro_batch as f64 * s.seq_len as f64 / s.cp.max(1) as f64;
    let cp_how = Explained::new(
        Key::TrainingCpCommS,
        b.cp_comm_s,
        "s",
        "T_cp = m · (L/p) · max(0, k·(c−1)·(α + 2·(b·s/c)·h_kv/t·2 B / β) − attention time); k = 3 (forward K,V; backward K,V and their gradients), 4 with full recomputation",
        format!(
            "cp {}: {} micro-batches of {local:.0} tokens per rank, {} layers per stage, K/V width {} over tp {}: {:.4} s exposed of {:.3} s",
            s.cp,
            p.microbatches,
            r.shape.layers / s.pp.max(1),
            r.shape.kv_heads as f64 * r.shape.hidden as f64 / r.shape.heads.max(1) as f64,
            s.tp,
            b.cp_comm_s,
            p.step_seconds
        ),
        step::SRC_RING_ATTENTION,
    );
    let ep_how = Explained::new(
        Key::TrainingEpCommS,
        b.ep_comm_s,
        "s",
        "T_ep = m · (L_moe/p) · k · ((e−1)·α + (e−1)/e · (b·s/c/t)·top_k·h·2 B / β); k = 4 (dispatch and combine, forward and backward), 6 with full recomputation",
        format!(
            "ep {}: {} MoE layers, top-{} of {} experts, {} micro-batches: {:.4} s of {:.3} s",
            s.ep,
            r.moe.map_or(0, |m| m.moe_layers),
            r.moe.map_or(0, |m| m.top_k),
            r.moe.map_or(0, |m| m.experts),
            p.microbatches,
            b.ep_comm_s,
            p.step_seconds
        ),
        step::SRC_GSHARD,
    );
    Ok(PredictedStep {
        prediction: p,
        explained: vec![how.clone(), cp_how, ep_how],
        how,
    })
}

/// Only reachable if `GPUS` were empty: keeps `evaluate` total without a panic.
const FALLBACK_GPU: Gpu = Gpu {
    id: "none",
    name: "no preset",
    peak_bf16_flop_per_s: 1e12,
    peak_fp8_flop_per_s: None,
    peak_int8_op_per_s: None,
    peak_fp32_flop_per_s: None,
    memory_bytes: 1e9,
    bandwidth_bytes_per_s: 1e9,
    power_watts: None,
    interconnect_bytes_per_s: None,
    price_per_hour_usd: 1.0,
    price_source: "placeholder",
    estimate: true,
    source: DERIVED,
};

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn implausible_runs_are_flagged_and_plausible_ones_are_not() {
        let base = scenario();
        assert_eq!(implausible(&base, &evaluate_model(&base)), vec![]);
        // 1 GPU for a Chinchilla-70B run: years.
        let slow = TrainingRun {
            params: 70e9,
            tokens: 1.4e12,
            gpus: 1,
            tp: 1,
            pp: 1,
            ..base.clone()
        };
        let r = evaluate_model(&slow);
        assert!(r.wall_days > 365.0);
        assert!(matches!(
            implausible(&slow, &r)[..],
            [Implausible::WallClockOverAYear { days }] if days == r.wall_days
        ));
        // A LoRA run with 1.4T tokens on a 7B model; the same count in full training is no warning.
        let lora = TrainingRun {
            params: 7e9,
            tokens: 1.4e12,
            finetune: Finetune::Lora,
            ..base.clone()
        };
        let flags = implausible(&lora, &evaluate_model(&lora));
        assert!(flags.iter().any(|f| matches!(f,
            Implausible::FinetuneWithPretrainingTokens { tokens_per_param, .. } if *tokens_per_param == 200.0)));
        let full = TrainingRun {
            finetune: Finetune::Full,
            ..lora.clone()
        };
        assert!(!implausible(&full, &evaluate_model(&full))
            .iter()
            .any(|f| matches!(f, Implausible::FinetuneWithPretrainingTokens { .. })));
        // A 1B-token LoRA on 7B: fine.
        let small = TrainingRun {
            tokens: 1e9,
            ..lora
        };
        assert!(implausible(&small, &evaluate_model(&small)).is_empty());
    }

    #[test]
    fn a_named_model_supplies_counts_and_shape() {
        // MoE preset: the active count drives the FLOPs, the total the memory.
        let s = TrainingRun {
            model: Some(KnownModel::Preset("mixtral-8x7b".into())),
            ..scenario()
        };
        let r = evaluate_model(&s);
        let n = architecture::preset("mixtral-8x7b").unwrap().arch.params();
        assert_eq!(r.compute_params, n.active);
        assert!(n.active < 0.3 * n.total);
        assert!(!r.shape_estimated && r.shape.layers == 32 && r.shape.kv_heads == 8);
        assert_eq!(r.model_error, None);
        // The same counts typed in as sizes give the same FLOPs: only the shape differs.
        let by_size = evaluate(&TrainingRun {
            params: n.total,
            active_params: Some(n.active),
            ..scenario()
        });
        assert_eq!(r.flops, by_size.flops);
        assert!(by_size.shape_estimated);
        // A pasted config.json (tm = custom) agrees with the preset it describes.
        let cfg = r#"{"model_type":"llama","num_hidden_layers":32,"hidden_size":4096,"num_attention_heads":32,"intermediate_size":11008,"vocab_size":32000}"#.to_string();
        let custom = evaluate_model(&TrainingRun {
            model: Some(KnownModel::Pasted(cfg.clone())),
            ..scenario()
        });
        let a = Architecture::from_hf_config(&cfg).unwrap();
        assert_eq!(custom.compute_params, a.params().total);
        assert_eq!(
            custom.shape,
            ActivationShape {
                seq_len: custom.shape.seq_len,
                micro_batch: custom.shape.micro_batch,
                ..shape_of(&a)
            }
        );
    }

    #[test]
    fn an_unusable_model_falls_back_to_the_sizes_with_a_reason() {
        for (model, want) in [
            (KnownModel::Preset("gpt-5".into()), "not a preset"),
            (
                KnownModel::Pasted("{\"hidden_size\": 4096}".into()),
                "config.json",
            ),
            (KnownModel::Pasted("not json".into()), "config.json"),
        ] {
            let s = TrainingRun {
                model: Some(model.clone()),
                ..scenario()
            };
            let r = evaluate_model(&s);
            let e = r.model_error.clone().expect(want).to_string();
            assert!(e.contains(want), "{e}");
            assert!(r.notes[0].to_string().contains("using the size fields"));
            assert_eq!(r.flops, evaluate(&s).flops);
        }
    }

    fn scenario() -> TrainingRun {
        TrainingRun {
            params: 175e9,
            tokens: 300e9,
            gpu: "a100-80gb".into(),
            gpus: 1024,
            mfu: 0.4,
            tp: 8,
            pp: 8,
            ..TrainingRun::default()
        }
    }

    /// Issue 5: GPU-hours = FLOPs / (peak · MFU · 3600) exactly, for every preset.
    #[test]
    fn gpu_hours_definition_for_every_gpu() {
        for g in hardware::GPUS {
            let s = TrainingRun {
                gpu: g.id.into(),
                ..scenario()
            };
            let r = evaluate(&s);
            let want = r.flops / (g.peak_bf16_flop_per_s * 0.4 * 3600.0);
            assert!((r.gpu_hours / want - 1.0).abs() < 1e-12, "{}", g.id);
            assert!(r
                .notes
                .iter()
                .all(|n| !n.to_string().contains("unknown id")));
        }
    }

    #[test]
    fn gpt3_flops_and_explained() {
        let r = evaluate(&scenario());
        assert_eq!(r.flops, 3.15e23);
        let keys: Vec<_> = r.explained.iter().map(|e| e.key).collect();
        for k in [
            Key::TrainingFlops,
            Key::TrainingGpuHours,
            Key::TrainingWallDays,
            Key::TrainingCostUsd,
            Key::TrainingEnergyMwh,
            Key::TrainingCo2Tonnes,
            Key::TrainingMemoryPerGpu,
        ] {
            assert!(keys.contains(&k), "{k}");
        }
        assert!(r.explained.iter().all(|e| e.value.is_finite()));
    }

    /// Llama 2 70B: 1,720,320 GPU-hours on A100-80GB at 400 W and 0.4236 t/MWh → 291.4 t.
    #[test]
    fn llama2_70b_through_evaluate() {
        let mfu = validation::implied_mfu(70e9, 2e12, 1_720_320.0, 312e12);
        let s = TrainingRun {
            params: 70e9,
            tokens: 2e12,
            gpu: "a100-80gb".into(),
            mfu,
            grid_t_co2_per_mwh: 0.4236,
            pue: 1.0,
            power_watts: None,
            ..scenario()
        };
        let r = evaluate(&s);
        assert!((r.gpu_hours / 1_720_320.0 - 1.0).abs() < 1e-9);
        let t = r.co2_tonnes.unwrap_or(f64::NAN);
        assert!((t / 291.42 - 1.0).abs() < 0.01, "{t}");
    }

    #[test]
    fn bad_inputs_become_notes_with_fallbacks() {
        let s = TrainingRun {
            gpu: "h900".into(),
            mfu: 1.5,
            active_params: Some(1e12),
            gpus: 0,
            ..scenario()
        };
        let r = evaluate(&s);
        assert_eq!(r.gpu.id, TrainingRun::default().gpu);
        let notes: Vec<String> = r.notes.iter().map(|n| n.to_string()).collect();
        assert!(notes
            .iter()
            .any(|n| n.contains("h900") && n.contains("a100-80gb")));
        assert!(notes.iter().any(|n| n.starts_with("mfu: 1.5")));
        assert!(notes.iter().any(|n| n.starts_with("active-params")));
        assert!(notes.iter().any(|n| n.starts_with("gpus")));
        assert!(r.gpu_hours.is_finite() && r.wall_days.is_finite());
        assert!(check(&s).is_err());
        assert!(check(&scenario()).is_ok());
    }

    #[test]
    fn moe_uses_active_params_and_memory_total() {
        let dense = evaluate(&TrainingRun {
            params: 671e9,
            ..scenario()
        });
        let moe = evaluate(&TrainingRun {
            params: 671e9,
            active_params: Some(37e9),
            ..scenario()
        });
        assert_eq!(moe.flops, 6.0 * 37e9 * 300e9);
        assert_eq!(moe.memory.weights_bytes, dense.memory.weights_bytes);
    }

    #[test]
    fn tpu_has_no_energy_without_power() {
        let r = evaluate(&TrainingRun {
            gpu: "tpu-v4".into(),
            ..scenario()
        });
        assert_eq!(r.energy_mwh, None);
        let r = evaluate(&TrainingRun {
            gpu: "tpu-v4".into(),
            power_watts: Some(200.0),
            ..scenario()
        });
        assert!(r.energy_mwh.is_some());
    }

    #[test]
    fn full_recompute_is_about_eight_nd() {
        let r = evaluate(&TrainingRun {
            recompute: Recompute::Full,
            ..scenario()
        });
        // 8ND plus the attention terms (small at 2k–4k context for 175B).
        let ratio = r.hardware_flops / (8.0 * 175e9 * 300e9);
        assert!((1.0..1.1).contains(&ratio), "{ratio}");
    }

    fn preset_run(model: &str, gpus: u32, tp: u32, pp: u32) -> TrainingRun {
        TrainingRun {
            model: Some(KnownModel::Preset(model.into())),
            gpu: "h100-sxm".into(),
            gpus,
            tp,
            pp,
            ..scenario()
        }
    }

    /// Issue 16 §5: each layout that cannot run is refused, typed, naming its field.
    #[test]
    fn layout_refusals_name_their_field() {
        let cases: Vec<(TrainingRun, &str)> = vec![
            // tp·pp divides 64 but tp·pp·cp = 8·1·16 does not.
            (
                TrainingRun {
                    cp: 16,
                    ..preset_run("llama-2-70b", 64, 8, 1)
                },
                "cp",
            ),
            (
                TrainingRun {
                    cp: 3,
                    seq_len: 4096,
                    ..preset_run("llama-2-70b", 48, 8, 1)
                },
                "cp",
            ),
            // Llama 2 70B: 64 heads, 8 KV heads; tp 32 is a multiple of 8 (a note), tp 64 too.
            (
                TrainingRun {
                    ep: 2,
                    ..preset_run("llama-2-70b", 64, 8, 1)
                },
                "ep",
            ),
            // Mixtral: 8 experts.
            (
                TrainingRun {
                    ep: 16,
                    ..preset_run("mixtral-8x7b", 64, 1, 1)
                },
                "ep",
            ),
            // ep 8 of dp·cp = 4 ranks.
            (
                TrainingRun {
                    ep: 8,
                    ..preset_run("mixtral-8x7b", 32, 8, 1)
                },
                "ep",
            ),
            (
                TrainingRun {
                    global_batch: Some(100),
                    ..preset_run("llama-2-70b", 64, 8, 1)
                },
                "global-batch",
            ),
        ];
        for (run, field) in cases {
            let ps = problems(&run);
            assert_eq!(ps.len(), 1, "{ps:?}");
            assert_eq!(ps[0].field(), field, "{}", ps[0]);
            assert!(ps[0].to_string().starts_with(field), "{}", ps[0]);
            // The section still evaluates, with the fallback noted.
            let r = evaluate_model(&run);
            assert!(r
                .notes
                .iter()
                .any(|n| matches!(n, TrainingNote::Fallback { .. })));
        }
        // A global batch that divides, and context and expert parallelism that fit, pass.
        let ok = TrainingRun {
            global_batch: Some(512),
            cp: 2,
            ep: 4,
            ..preset_run("mixtral-8x7b", 64, 2, 2)
        };
        assert_eq!(problems(&ok), vec![]);
        // TP wider than the KV heads (8) but a multiple of them: a note, not an error.
        let wide = TrainingRun {
            mfu: 0.4,
            ..preset_run("mixtral-8x7b", 64, 16, 1)
        };
        assert_eq!(problems(&wide), vec![]);
        let r = evaluate_model(&wide);
        assert!(r.notes.iter().any(|n| matches!(
            n,
            TrainingNote::KvHeadsReplicated {
                tp: 16,
                kv_heads: 8
            }
        )));
        // Every variant names a field the CLI has as a flag.
        for e in [
            TrainingError::Zero("cp"),
            TrainingError::Parallelism {
                tp: 3,
                pp: 1,
                gpus: 8,
            },
            TrainingError::TpKvHeads { tp: 3, kv_heads: 8 },
        ] {
            assert!(!e.field().is_empty() && e.field() != "?", "{e}");
        }
    }

    /// Context parallelism divides the activations per GPU; expert parallelism the experts'
    /// states; the step pays a ring exchange and all-to-alls for them.
    #[test]
    fn context_and_expert_parallelism() {
        // Llama 2 70B at 32k tokens on 64 GPUs: cp 4 quarters the activations.
        let base = TrainingRun {
            seq_len: 32_768,
            recompute: Recompute::Selective,
            zero_stage: 1,
            global_batch: Some(64),
            ..preset_run("llama-2-70b", 64, 8, 1)
        };
        let with_cp = TrainingRun {
            cp: 4,
            ..base.clone()
        };
        let (a, b) = (evaluate_model(&base), evaluate_model(&with_cp));
        assert!(
            (b.memory.activations_bytes * 4.0 / a.memory.activations_bytes - 1.0).abs() < 1e-12
        );
        assert_eq!(b.dp, 2);
        let p = predict_step(&with_cp, &b, &StepOptions::for_run(&with_cp)).unwrap();
        println!(
            "Llama 2 70B, 32k, t 8 cp 4 on 64 H100s: {:?}, MFU {:.3}",
            p.prediction.breakdown, p.prediction.mfu
        );
        assert!(p.prediction.mfu > 0.2 && p.prediction.mfu < 0.7);
        assert!(p.hows().cp_comm_s.is_some() && p.hows().missing().is_empty());

        // Mixtral 8x7B on 64 GPUs: ep 8 keeps 1/8 of the experts' weights per rank.
        let moe = TrainingRun {
            global_batch: Some(512),
            zero_stage: 0,
            ..preset_run("mixtral-8x7b", 64, 1, 1)
        };
        let moe_ep = TrainingRun {
            ep: 8,
            ..moe.clone()
        };
        let (a, b) = (evaluate_model(&moe), evaluate_model(&moe_ep));
        let experts = b.moe.expect("MoE").expert_params;
        let n = b.total_params;
        let want = a.memory.weights_bytes * (n - experts + experts / 8.0) / n;
        assert!((b.memory.weights_bytes / want - 1.0).abs() < 1e-12);
        let pa = predict_step(&moe, &a, &StepOptions::for_run(&moe)).unwrap();
        let pb = predict_step(&moe_ep, &b, &StepOptions::for_run(&moe_ep)).unwrap();
        assert_eq!(pa.prediction.breakdown.ep_comm_s, 0.0);
        assert!(pb.prediction.breakdown.ep_comm_s > 0.0);
        // Without ZeRO each rank steps its own experts only.
        assert!(pb.prediction.breakdown.optimizer_s < pa.prediction.breakdown.optimizer_s);
        println!("Mixtral on 64 H100s, ep 8: {:?}", pb.prediction.breakdown);
    }

    /// The schedule rule lives in the model: the page and the CLI get the same refusal.
    #[test]
    fn schedule_rule_is_the_models() {
        let run = TrainingRun {
            global_batch: Some(512),
            ..preset_run("llama-2-70b", 64, 8, 4)
        };
        let r = evaluate_model(&run);
        let o = |schedule, v| StepOptions {
            schedule,
            virtual_stages: v,
            ..StepOptions::for_run(&run)
        };
        let one = predict_step(&run, &r, &o(step::Schedule::OneFOneB, 1)).unwrap();
        let two = predict_step(&run, &r, &o(step::Schedule::Interleaved, 2)).unwrap();
        assert!(
            two.prediction.breakdown.pipeline_bubble_s < one.prediction.breakdown.pipeline_bubble_s
        );
        for (sc, v) in [
            (step::Schedule::OneFOneB, 2),
            (step::Schedule::Interleaved, 1),
            (step::Schedule::Interleaved, 3),
        ] {
            match predict_step(&run, &r, &o(sc, v)) {
                Err(PredictError::Step(e)) => assert_eq!(e.field(), "virtual-stages", "{e}"),
                other => panic!("{other:?}"),
            }
        }
    }

    proptest! {
        /// More GPUs never raise wall time.
        #[test]
        fn more_gpus_never_slower(k in 1u32..100_000, extra in 1u32..100_000) {
            let a = evaluate(&TrainingRun { gpus: k, tp: 1, pp: 1, ..scenario() });
            let b = evaluate(&TrainingRun { gpus: k + extra, tp: 1, pp: 1, ..scenario() });
            prop_assert!(b.wall_days <= a.wall_days);
        }

        /// Cost is linear in tokens.
        #[test]
        fn cost_linear_in_tokens(d in 1e9f64..1e14, m in 1.0f64..100.0) {
            let a = evaluate(&TrainingRun { tokens: d, ..scenario() });
            let b = evaluate(&TrainingRun { tokens: d * m, ..scenario() });
            prop_assert!((b.cost_usd / (a.cost_usd * m) - 1.0).abs() < 1e-9);
        }
    }
}
