//! Memory per GPU for training and fine-tuning: model states (weights, gradients, optimizer),
//! ZeRO / FSDP sharding over data-parallel ranks, tensor- and pipeline-parallel splits, and
//! activations (Korthikanti et al. 2022).
//!
//! Not counted (say so on the page): the CUDA context and framework workspace (≈ 0.5–2 GB),
//! allocator fragmentation, communication buffers and the embedding imbalance of the first and last
//! pipeline stages. The output layer's logits are counted only when [`MemoryInput::vocab`] is set
//! (issue 16; 0, the neutral value, leaves them out as before).

use super::ActivationShape;
use crate::explain::Source;
use crate::scenario::{Finetune, Optimizer, Recompute};
use serde::Serialize;

/// Rajbhandari et al. 2020, ZeRO.
/// FlashAttention: attention computed in tiles, the `s²` scores never stored.
pub const SRC_FLASH_ATTENTION: Source = Source {
    id: "dao2022",
    citation: "Dao et al. 2022, FlashAttention: Fast and Memory-Efficient Exact Attention with IO-Awareness",
    locator: "§3.1 (memory linear in sequence length); activations as in Korthikanti et al. 2022 §4 Table 2",
    url: "https://arxiv.org/abs/2205.14135",
};

pub const SRC_ZERO: Source = Source {
    id: "rajbhandari2020",
    citation: "Rajbhandari et al. 2020, ZeRO: Memory Optimizations Toward Training Trillion Parameter Models",
    locator: "§3.1 (mixed-precision Adam: 2Ψ + 2Ψ + 12Ψ = 16Ψ bytes) and §5.1 Figure 1 (stages P_os, P_os+g, P_os+g+p)",
    url: "https://arxiv.org/abs/1910.02054",
};

/// Dettmers et al. 2023, QLoRA.
pub const SRC_QLORA: Source = Source {
    id: "dettmers2023",
    citation: "Dettmers et al. 2023, QLoRA: Efficient Finetuning of Quantized LLMs",
    locator: "§3 (NF4 storage; double quantization: 0.127 bits of constants per parameter)",
    url: "https://arxiv.org/abs/2305.14314",
};

/// Hu et al. 2021, LoRA.
pub const SRC_LORA: Source = Source {
    id: "hu2021",
    citation: "Hu et al. 2021, LoRA: Low-Rank Adaptation of Large Language Models",
    locator: "§4.1 (W₀ + BA, B ∈ ℝ^{d×r}, A ∈ ℝ^{r×k}: r·(d + k) trainable per adapted matrix)",
    url: "https://arxiv.org/abs/2106.09685",
};

/// Dettmers et al. 2022, 8-bit optimizers.
pub const SRC_ADAM8BIT: Source = Source {
    id: "dettmers2022-8bit",
    citation: "Dettmers et al. 2022, 8-bit Optimizers via Block-wise Quantization",
    locator: "§2 (Adam's two states stored in 8 bits: 2 bytes per parameter instead of 8)",
    url: "https://arxiv.org/abs/2110.02861",
};

/// QLoRA base weights: 4-bit NF4 plus 0.127 bits of double-quantised constants per parameter.
pub const QLORA_BITS_PER_PARAM: f64 = 4.127;

/// Which weight matrices LoRA adapts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum LoraTargets {
    /// q, k, v and o projections of each attention block.
    Attention,
    /// Every linear layer of each block (attention and MLP): the QLoRA paper's recommendation.
    AllLinear,
}

/// Bytes per parameter of the model states in an optimizer layout.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct StateBytes {
    pub weights: f64,
    pub gradients: f64,
    pub optimizer: f64,
}

/// Bytes per trainable parameter.
///
/// # Formula (bytes per parameter: weights + gradients + optimizer)
/// - `adam-mixed`: 2 + 2 + 12 (fp32 master, momentum, variance) = 16 (ZeRO §3.1)
/// - `adam-bf16`: 2 + 2 + 4 (bf16 momentum and variance, no master copy) = 8
/// - `adam-8bit`: 2 + 2 + 6 (fp32 master + two 8-bit moments; Dettmers et al. 2022) = 10
/// - `sgd`: 2 + 2 + 8 (fp32 master + fp32 momentum) = 12
///
/// ```
/// use scalecalc_model::scenario::Optimizer;
/// use scalecalc_model::training::memory::state_bytes;
/// let b = state_bytes(Optimizer::AdamMixed);
/// assert_eq!(b.weights + b.gradients + b.optimizer, 16.0);
/// ```
pub fn state_bytes(opt: Optimizer) -> StateBytes {
    let optimizer = match opt {
        Optimizer::AdamMixed => 12.0,
        Optimizer::AdamBf16 => 4.0,
        Optimizer::Adam8bit => 6.0,
        Optimizer::Sgd => 8.0,
    };
    StateBytes {
        weights: 2.0,
        gradients: 2.0,
        optimizer,
    }
}

/// LoRA's trainable parameters.
///
/// # Formula
/// `T = L · Σ_m r·(d_in,m + d_out,m)` over the adapted matrices `m` of a block:
/// q, o: (h, h); k, v: (h, h_kv) with `h_kv = kv_heads · h / heads`; MLP (all-linear only):
/// gate and up (h, f), down (f, h) when gated, else up and down.
/// `L`: layers, `r`: rank, `h`: hidden size, `f`: FFN size. Reference: Hu et al. 2021 §4.1.
///
/// ```
/// use scalecalc_model::training::{memory::{lora_params, LoraTargets}, ActivationShape};
/// let s = ActivationShape { layers: 32, hidden: 4096, heads: 32, kv_heads: 32, ffn: 11008,
///     gated_mlp: true, seq_len: 4096, micro_batch: 1 };
/// // Llama-2-7B, r = 8 on q and v only would be 4.19M; on q, k, v, o it is 8.39M:
/// assert_eq!(lora_params(&s, 8, LoraTargets::Attention), 32.0 * 4.0 * 8.0 * 8192.0);
/// ```
pub fn lora_params(shape: &ActivationShape, rank: u32, targets: LoraTargets) -> f64 {
    let h = shape.hidden as f64;
    let kv = shape.kv_heads as f64 * h / shape.heads.max(1) as f64;
    let f = shape.ffn as f64;
    let r = rank as f64;
    let mut per_layer = r * (h + h) * 2.0 + r * (h + kv) * 2.0;
    if targets == LoraTargets::AllLinear {
        let mlp_mats = if shape.gated_mlp { 3.0 } else { 2.0 };
        per_layer += mlp_mats * r * (h + f);
    }
    shape.layers as f64 * per_layer
}

/// Activation bytes per GPU.
///
/// # Formula (Korthikanti et al. 2022, Table 2, 16-bit activations)
/// per layer: none `s·b·h·(34 + 5·a·s/h)`, selective `s·b·h·34`, full `2·s·b·h` (the layer input
/// only); all divided by `t` (tensor parallelism with sequence parallelism); times `L` layers.
/// - `s`: sequence length, `b`: micro-batch (sequences), `h`: hidden size, `a`: heads,
///   `t`: tensor-parallel degree, `L`: layers; bytes.
///
/// With pipeline parallelism and the 1F1B schedule the first stage holds `L/p` layers for `p`
/// micro-batches in flight, so the worst stage still holds `L` layers' worth (Korthikanti §4.2.3):
/// `p` does not divide activations. The paper's 34 assumes a 4h GELU MLP and dropout masks; for
/// other shapes it is an approximation.
///
/// ```
/// use scalecalc_model::scenario::Recompute;
/// use scalecalc_model::training::{memory::activation_bytes, ActivationShape};
/// let s = ActivationShape { layers: 1, hidden: 1024, heads: 16, kv_heads: 16, ffn: 4096,
///     gated_mlp: false, seq_len: 2048, micro_batch: 1 };
/// assert_eq!(activation_bytes(&s, Recompute::Selective, 1), 2048.0 * 1024.0 * 34.0);
/// assert_eq!(activation_bytes(&s, Recompute::Full, 2), 2048.0 * 1024.0);
/// ```
pub fn activation_bytes(shape: &ActivationShape, rc: Recompute, tp: u32) -> f64 {
    let (s, b, h, a) = (
        shape.seq_len as f64,
        shape.micro_batch as f64,
        shape.hidden as f64,
        shape.heads as f64,
    );
    let sbh = s * b * h;
    let per_layer = match rc {
        Recompute::None => sbh * (34.0 + 5.0 * a * s / h),
        Recompute::Selective => sbh * 34.0,
        Recompute::Full => 2.0 * sbh,
    };
    per_layer / tp.max(1) as f64 * shape.layers as f64
}

/// How the activations of a step are kept: the options of issue 16 beside the recomputation.
///
/// [`ActivationOptions::NEUTRAL`] reproduces [`activation_bytes`] exactly (no FlashAttention,
/// sequence parallelism on, plain 1F1B with at least `p` micro-batches). The logits are separate:
/// [`logits_bytes`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ActivationOptions {
    /// Attention computed tile by tile (FlashAttention): the `s²` scores, softmax output and
    /// dropout mask are never stored; only the output and an fp32 log-sum-exp per head and token.
    pub flash_attention: bool,
    /// Sequence parallelism: LayerNorm and dropout activations are split over the TP ranks too.
    pub sequence_parallel: bool,
    /// Pipeline stages `p`.
    pub pp: u32,
    /// Micro-batches per step per pipeline (gradient-accumulation steps); 0 = unknown, at least `p`.
    pub microbatches: u32,
    /// Model chunks per pipeline stage (interleaved 1F1B); 1 = plain 1F1B.
    pub virtual_stages: u32,
}

impl ActivationOptions {
    /// Today's assumptions: the numbers before issue 16.
    pub const NEUTRAL: ActivationOptions = ActivationOptions {
        flash_attention: false,
        sequence_parallel: true,
        pp: 1,
        microbatches: 0,
        virtual_stages: 1,
    };
}

/// Activation bytes per GPU (the most loaded pipeline stage: the first), with FlashAttention,
/// sequence parallelism and the pipeline schedule's in-flight micro-batches.
///
/// # Formula (Korthikanti et al. 2022, Table 2 and §4.2.3; 16-bit activations)
/// per layer and micro-batch, no recomputation:
/// - with sequence parallelism: `s·b·h·(34 + 5·a·s/h) / t`
/// - without: `s·b·h·(10 + 24/t + 5·a·s/(h·t))` (LayerNorm inputs and dropout masks, `10·s·b·h`,
///   are replicated on every TP rank)
/// - FlashAttention (Dao et al. 2022, §3.1): the `5·a·s²·b` of scores, softmax output and dropout
///   mask is replaced by the fp32 log-sum-exp, `4·a·s·b` bytes, divided by `t`
///
/// selective recomputation drops the `5·a·s/h` term (there is nothing left to recompute with
/// FlashAttention); full recomputation keeps the layer input, `2·s·b·h` (÷ `t` with sequence
/// parallelism). The first stage holds `L/p` layers for `min(p, m)` in-flight micro-batches
/// (1F1B), times `1 + (p−1)/(p·v)` with `v` interleaved chunks (Korthikanti §4.2.3):
/// `per GPU = per layer · (L/p) · min(p, m) · (1 + (p−1)/(p·v) if v > 1)`.
/// - `s`: sequence length, `b`: micro-batch, `h`: hidden size, `a`: heads, `t`: TP degree,
///   `L`: layers, `p`: pipeline stages, `m`: micro-batches per step, `v`: virtual stages; bytes.
///
/// ```
/// use scalecalc_model::scenario::Recompute;
/// use scalecalc_model::training::{memory::*, ActivationShape};
/// let s = ActivationShape { layers: 32, hidden: 4096, heads: 32, kv_heads: 32, ffn: 11008,
///     gated_mlp: true, seq_len: 4096, micro_batch: 1 };
/// // Neutral options reproduce activation_bytes exactly:
/// let neutral = activation_bytes_with(&s, Recompute::None, 1, &ActivationOptions::NEUTRAL);
/// assert_eq!(neutral, activation_bytes(&s, Recompute::None, 1));
/// // FlashAttention: 34·s·h·L plus the log-sum-exp, 18.3 GB instead of 104 GB (Llama-2-7B).
/// let fa = ActivationOptions { flash_attention: true, ..ActivationOptions::NEUTRAL };
/// let b = activation_bytes_with(&s, Recompute::None, 1, &fa);
/// assert_eq!(b, 32.0 * (34.0 * 4096.0 * 4096.0 + 4.0 * 32.0 * 4096.0));
/// ```
pub fn activation_bytes_with(
    shape: &ActivationShape,
    rc: Recompute,
    tp: u32,
    o: &ActivationOptions,
) -> f64 {
    let (s, b, h, a) = (
        shape.seq_len as f64,
        shape.micro_batch as f64,
        shape.hidden as f64,
        shape.heads as f64,
    );
    let t = tp.max(1) as f64;
    let sbh = s * b * h;
    // Bytes per layer before the division by t, in the same order of operations as
    // `activation_bytes` so that the neutral options give the same f64.
    let scores = if o.flash_attention {
        4.0 * a * s * b
    } else {
        sbh * 5.0 * a * s / h
    };
    let keep_scores = rc == Recompute::None || o.flash_attention;
    let per_layer = match (rc, o.sequence_parallel) {
        (Recompute::Full, true) => 2.0 * sbh / t,
        (Recompute::Full, false) => 2.0 * sbh,
        (_, true) if !o.flash_attention && rc == Recompute::None => {
            sbh * (34.0 + 5.0 * a * s / h) / t
        }
        (_, true) => (sbh * 34.0 + if keep_scores { scores } else { 0.0 }) / t,
        (_, false) => sbh * (10.0 + 24.0 / t) + if keep_scores { scores / t } else { 0.0 },
    };
    per_layer * in_flight_layers(shape.layers, o)
}

/// Layers' worth of activations the first pipeline stage holds (1F1B, Korthikanti §4.2.3).
///
/// # Formula
/// `(L/p) · min(p, m) · (1 + (p−1)/(p·v))` (the last factor only when `v > 1`); `m = 0` means
/// "at least `p`", so the neutral value is `L`.
/// - `L`: layers, `p`: pipeline stages, `m`: micro-batches per step, `v`: virtual stages.
///
/// ```
/// use scalecalc_model::training::memory::{in_flight_layers, ActivationOptions};
/// let o = ActivationOptions { pp: 4, microbatches: 2, ..ActivationOptions::NEUTRAL };
/// assert_eq!(in_flight_layers(32, &o), 16.0); // 8 layers × 2 micro-batches in flight
/// assert_eq!(in_flight_layers(32, &ActivationOptions::NEUTRAL), 32.0);
/// ```
pub fn in_flight_layers(layers: u32, o: &ActivationOptions) -> f64 {
    let p = o.pp.max(1) as f64;
    let in_flight = if o.microbatches == 0 {
        p
    } else {
        p.min(o.microbatches as f64)
    };
    let v = o.virtual_stages.max(1) as f64;
    let interleave = if o.virtual_stages > 1 {
        1.0 + (p - 1.0) / (p * v)
    } else {
        1.0
    };
    if o.pp <= 1 && o.microbatches == 0 {
        // Exactly L, as before (no rounding through L/p·p).
        return layers as f64 * interleave;
    }
    layers as f64 / p * in_flight * interleave
}

/// Bytes per element of the output layer's logits and loss as most frameworks keep them.
///
/// bf16 logits (2) + their fp32 copy for the loss (4) + fp32 log-probabilities kept for the
/// backward pass (4) = 10 bytes per vocabulary entry per token. A fused or chunked cross-entropy
/// (the output projection and the loss computed chunk by chunk) keeps none of them.
pub const LOGITS_BYTES_PER_ELEMENT: f64 = 10.0;

/// The output layer's logits and loss, bytes on one GPU (the last pipeline stage).
///
/// # Formula
/// `s · b · V · 10 / t` (vocabulary-parallel output layer over `t` TP ranks), or 0 with a fused
/// or chunked cross-entropy or `V = 0` (not counted).
/// - `s`: sequence length, `b`: micro-batch, `V`: vocabulary, `t`: TP degree; bytes.
///
/// Reference: docs/science.md §7 (the output layer) and §3; a 128k vocabulary at 8,192 tokens
/// is 10.5 GB (issue 16 measured ≈ 12.6 GB more than we said on a Llama-3-8B LoRA step).
///
/// ```
/// use scalecalc_model::training::memory::logits_bytes;
/// assert_eq!(logits_bytes(8192, 1, 128_256, 1, false), 8192.0 * 128_256.0 * 10.0);
/// assert_eq!(logits_bytes(8192, 1, 128_256, 1, true), 0.0);
/// ```
pub fn logits_bytes(seq: u32, micro_batch: u32, vocab: u32, tp: u32, fused: bool) -> f64 {
    if fused {
        return 0.0;
    }
    seq as f64 * micro_batch as f64 * vocab as f64 * LOGITS_BYTES_PER_ELEMENT / tp.max(1) as f64
}

/// Everything the memory estimate needs.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MemoryInput {
    /// Total parameters (every expert of an MoE is held in memory).
    pub params: f64,
    pub shape: ActivationShape,
    pub optimizer: Optimizer,
    /// ZeRO stage 0–3 (3 = FSDP full shard).
    pub zero_stage: u32,
    pub tp: u32,
    pub pp: u32,
    /// Data-parallel ranks: GPUs ÷ (tp·pp).
    pub dp: u32,
    pub recompute: Recompute,
    pub finetune: Finetune,
    pub lora_rank: u32,
    pub lora_targets: LoraTargets,
    /// The GPU's memory, bytes.
    pub gpu_memory_bytes: f64,
    // Issue 16. Each field's neutral value (in brackets) reproduces the numbers from before it.
    /// FlashAttention: no `s²` score term [false].
    pub flash_attention: bool,
    /// Sequence parallelism: LayerNorm/dropout activations ÷ TP [true].
    pub sequence_parallel: bool,
    /// Vocabulary for the output layer's logits and loss; 0 = not counted [0].
    pub vocab: u32,
    /// Fused or chunked cross-entropy: the logits are never held whole [false].
    pub fused_cross_entropy: bool,
    /// Micro-batches per step per pipeline; 0 = at least `pp` (1F1B holds `min(pp, m)`) [0].
    pub microbatches: u32,
    /// Interleaved 1F1B model chunks per stage; 1 = plain 1F1B [1].
    pub virtual_stages: u32,
    /// fp32 gradients (Megatron's main-grads) instead of 16-bit [false].
    pub fp32_grads: bool,
    /// Context-parallel degree: each GPU holds `1/cp` of every sequence's activations, and ZeRO
    /// shards over the `dp·cp` ranks that hold the same weights (Megatron-Core's distributed
    /// optimizer) [1].
    pub cp: u32,
    /// Expert-parallel degree: the routed experts' weights, gradients and optimizer states are
    /// split over `ep` ranks of the data-parallel group [1].
    pub ep: u32,
    /// Parameters in routed experts (all MoE layers), part of `params` [0].
    pub expert_params: f64,
}

impl MemoryInput {
    /// The activation options these fields describe, for pipeline degree `pp`.
    pub fn activation_options(&self, pp: u32) -> ActivationOptions {
        ActivationOptions {
            flash_attention: self.flash_attention,
            sequence_parallel: self.sequence_parallel,
            pp,
            microbatches: self.microbatches,
            virtual_stages: self.virtual_stages,
        }
    }
}

/// The smallest GPU count that fits, and the layout it assumes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MinGpus {
    pub gpus: u64,
    pub tp: u32,
    pub pp: u32,
    pub dp: u64,
}

/// Per-GPU bytes by component.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MemoryBreakdown {
    pub weights_bytes: f64,
    pub gradients_bytes: f64,
    pub optimizer_bytes: f64,
    pub activations_bytes: f64,
    pub total_bytes: f64,
    pub gpu_memory_bytes: f64,
    pub fits: bool,
    /// Parameters that receive gradients (all of them, or LoRA's adapters).
    pub trainable_params: f64,
    /// Fewest GPUs that fit with this optimizer, ZeRO stage, recomputation and micro-batch,
    /// searching tp ∈ {1, 2, 4, 8} (and the chosen tp), pp ∈ powers of two ≤ layers (and the chosen pp);
    /// `None` if nothing fits.
    pub min_gpus: Option<MinGpus>,
}

/// Per-GPU states split into what ZeRO shards over `dp` and what every rank keeps.
fn states(m: &MemoryInput, tp: u32, pp: u32) -> ([f64; 3], [bool; 3], f64) {
    let mp = (tp.max(1) as f64) * (pp.max(1) as f64);
    let b = state_bytes(m.optimizer);
    let (frozen_weights, trainable) = match m.finetune {
        Finetune::Full => (0.0, m.params),
        Finetune::Lora => (
            2.0 * m.params,
            lora_params(&m.shape, m.lora_rank, m.lora_targets),
        ),
        Finetune::Qlora => (
            QLORA_BITS_PER_PARAM / 8.0 * m.params,
            lora_params(&m.shape, m.lora_rank, m.lora_targets),
        ),
    };
    let bytes = [
        (frozen_weights + trainable * b.weights) / mp,
        trainable * if m.fp32_grads { 4.0 } else { b.gradients } / mp,
        trainable * b.optimizer / mp,
    ];
    // ZeRO-1 shards optimizer states, ZeRO-2 also gradients, ZeRO-3 also weights (§5.1).
    let sharded = [m.zero_stage >= 3, m.zero_stage >= 2, m.zero_stage >= 1];
    (bytes, sharded, trainable)
}

/// The share of the states a rank keeps unsharded by ZeRO: the dense part whole, the routed
/// experts `1/ep` (exactly 1 without experts or with `ep = 1`).
fn kept_share(m: &MemoryInput) -> f64 {
    let ep = m.ep.max(1);
    if ep <= 1 || m.expert_params <= 0.0 || m.params <= 0.0 {
        return 1.0;
    }
    let experts = m.expert_params.min(m.params);
    (m.params - experts + experts / ep as f64) / m.params
}

/// One state component per GPU: ZeRO-sharded over the `dp·cp` ranks holding the same weights
/// (experts: `ep` of them hold different experts, `dp·cp/ep` the same, which gives the same
/// `1/(dp·cp)`), or kept.
fn per_gpu(m: &MemoryInput, bytes: f64, sharded: bool, dp: f64) -> f64 {
    if sharded {
        bytes / (dp * m.cp.max(1) as f64)
    } else {
        bytes * kept_share(m)
    }
}

/// Per-GPU total for a layout.
fn total(m: &MemoryInput, tp: u32, pp: u32, dp: f64) -> f64 {
    let (bytes, sharded, _) = states(m, tp, pp);
    let s: f64 = bytes
        .iter()
        .zip(sharded)
        .map(|(b, sh)| per_gpu(m, *b, sh, dp))
        .sum();
    s + activations(m, tp, pp)
}

/// Activations plus logits on the most loaded GPU for a layout. With neutral options this is
/// exactly `activation_bytes` (the logits are 0 when `vocab` is 0).
fn activations(m: &MemoryInput, tp: u32, pp: u32) -> f64 {
    let o = m.activation_options(pp);
    let neutral =
        !o.flash_attention && o.sequence_parallel && o.microbatches == 0 && o.virtual_stages <= 1;
    let acts = if neutral {
        activation_bytes(&m.shape, m.recompute, tp)
    } else {
        activation_bytes_with(&m.shape, m.recompute, tp, &o)
    };
    let logits = logits_bytes(
        m.shape.seq_len,
        m.shape.micro_batch,
        m.vocab,
        tp,
        m.fused_cross_entropy,
    );
    // Context parallelism splits every sequence over `cp` ranks: its activations and logits too
    // (Megatron-Core context parallelism; Liu et al. 2023, Ring Attention).
    if m.cp > 1 {
        (acts + logits) / m.cp as f64
    } else {
        acts + logits
    }
}

/// The fewest data-parallel ranks for this (tp, pp) that fit, if any.
fn min_dp(m: &MemoryInput, tp: u32, pp: u32) -> Option<u64> {
    let (bytes, sharded, _) = states(m, tp, pp);
    let (mut shard, mut keep) = (0.0, activations(m, tp, pp));
    for (b, sh) in bytes.iter().zip(sharded) {
        if sh {
            shard += per_gpu(m, *b, true, 1.0)
        } else {
            keep += per_gpu(m, *b, false, 1.0)
        }
    }
    let room = m.gpu_memory_bytes - keep;
    if room <= 0.0 {
        return None;
    }
    let dp = (shard / room).ceil().max(1.0);
    // Beyond a million ranks we call it "does not fit" rather than overflow.
    (dp <= 1e6).then_some(dp as u64)
}

/// The bytes per GPU of [`memory`]'s `total_bytes`, without the fewest-GPUs search (the layout
/// search calls it for every candidate).
///
/// ```
/// use scalecalc_model::scenario::{Finetune, Optimizer, Recompute};
/// use scalecalc_model::training::{memory::*, ActivationShape};
/// let m = MemoryInput { params: 7e9, shape: ActivationShape::from_size(7e9, 4096, 1),
///     optimizer: Optimizer::AdamMixed, zero_stage: 1, tp: 2, pp: 2, dp: 8,
///     recompute: Recompute::Selective, finetune: Finetune::Full, lora_rank: 16,
///     lora_targets: LoraTargets::AllLinear, gpu_memory_bytes: 80e9, flash_attention: true,
///     sequence_parallel: true, vocab: 32_000, fused_cross_entropy: false, microbatches: 8,
///     virtual_stages: 1, fp32_grads: true, cp: 2, ep: 1, expert_params: 0.0 };
/// assert_eq!(per_gpu_bytes(&m), memory(&m).total_bytes);
/// ```
pub fn per_gpu_bytes(m: &MemoryInput) -> f64 {
    let (tp, pp, dp) = (m.tp.max(1), m.pp.max(1), m.dp.max(1) as f64);
    let (bytes, sharded, _) = states(m, tp, pp);
    let per = |i: usize| per_gpu(m, bytes[i], sharded[i], dp);
    per(0) + per(1) + per(2) + activations(m, tp, pp)
}

/// The memory breakdown per GPU, whether it fits, and the fewest GPUs that fit.
///
/// # Formula
/// per GPU = Σ_component states_c / (tp·pp) / (dp·cp if ZeRO shards c) + activations / cp
///
/// A component ZeRO does not shard keeps the dense part whole and `1/ep` of the routed experts:
/// `states_c · (N − N_e + N_e/ep) / N` (`N_e` expert parameters; expert parallelism, Lepikhin et
/// al. 2020 GShard §2.2, as Megatron-Core lays it out). The fewest GPUs keep `cp` as given.
///
/// ```
/// use scalecalc_model::scenario::{Finetune, Optimizer, Recompute};
/// use scalecalc_model::training::{memory::*, ActivationShape};
/// let m = MemoryInput { params: 7e9, shape: ActivationShape::from_size(7e9, 4096, 1),
///     optimizer: Optimizer::AdamMixed, zero_stage: 3, tp: 1, pp: 1, dp: 8,
///     recompute: Recompute::Full, finetune: Finetune::Full, lora_rank: 16,
///     lora_targets: LoraTargets::AllLinear, gpu_memory_bytes: 80e9,
///     // issue 16's options at their neutral values:
///     flash_attention: false, sequence_parallel: true, vocab: 0, fused_cross_entropy: false,
///     microbatches: 0, virtual_stages: 1, fp32_grads: false, cp: 1, ep: 1, expert_params: 0.0 };
/// let b = memory(&m);
/// assert_eq!(b.weights_bytes + b.gradients_bytes + b.optimizer_bytes, 14e9);
/// ```
pub fn memory(m: &MemoryInput) -> MemoryBreakdown {
    let (tp, pp, dp) = (m.tp.max(1), m.pp.max(1), m.dp.max(1) as f64);
    let (bytes, sharded, trainable) = states(m, tp, pp);
    let per = |i: usize| per_gpu(m, bytes[i], sharded[i], dp);
    let activations_bytes = activations(m, tp, pp);
    let total_bytes = per(0) + per(1) + per(2) + activations_bytes;

    let mut tps = vec![1, 2, 4, 8];
    let mut pps: Vec<u32> = (0..12)
        .map(|i| 1u32 << i)
        .filter(|&p| p <= m.shape.layers.max(1))
        .collect();
    tps.push(tp);
    pps.push(pp);
    let mut best: Option<MinGpus> = None;
    for &t in &tps {
        for &p in &pps {
            if let Some(d) = min_dp(m, t, p) {
                let gpus = t as u64 * p as u64 * u64::from(m.cp.max(1)) * d;
                if best.is_none_or(|b| gpus < b.gpus) {
                    best = Some(MinGpus {
                        gpus,
                        tp: t,
                        pp: p,
                        dp: d,
                    });
                }
            }
        }
    }
    debug_assert!(best.is_none_or(|b| total(m, b.tp, b.pp, b.dp as f64) <= m.gpu_memory_bytes));

    MemoryBreakdown {
        weights_bytes: per(0),
        gradients_bytes: per(1),
        optimizer_bytes: per(2),
        activations_bytes,
        total_bytes,
        gpu_memory_bytes: m.gpu_memory_bytes,
        fits: total_bytes <= m.gpu_memory_bytes,
        trainable_params: trainable,
        min_gpus: best,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(zero: u32, dp: u32) -> MemoryInput {
        MemoryInput {
            params: 7e9,
            shape: ActivationShape::from_size(7e9, 4096, 1),
            optimizer: Optimizer::AdamMixed,
            zero_stage: zero,
            tp: 1,
            pp: 1,
            dp,
            recompute: Recompute::Full,
            finetune: Finetune::Full,
            lora_rank: 16,
            lora_targets: LoraTargets::AllLinear,
            gpu_memory_bytes: 80e9,
            flash_attention: false,
            sequence_parallel: true,
            vocab: 0,
            fused_cross_entropy: false,
            microbatches: 0,
            virtual_stages: 1,
            fp32_grads: false,
            cp: 1,
            ep: 1,
            expert_params: 0.0,
        }
    }

    fn states_total(b: &MemoryBreakdown) -> f64 {
        b.weights_bytes + b.gradients_bytes + b.optimizer_bytes
    }

    /// Issue 5 / ZeRO §3.1: 7B with mixed-precision Adam and no sharding = 16 B/param = 112 GB.
    #[test]
    fn seven_b_adam_states() {
        let b = memory(&input(0, 8));
        assert_eq!(states_total(&b), 112e9);
        assert!(!b.fits);
        // ZeRO-3 over 8 GPUs: 14 GB per GPU.
        assert_eq!(states_total(&memory(&input(3, 8))), 14e9);
        // ZeRO-1 (Figure 1 of the ZeRO paper): 2Ψ + 2Ψ + 12Ψ/N_d.
        assert_eq!(states_total(&memory(&input(1, 8))), 28e9 + 84e9 / 8.0);
        assert_eq!(states_total(&memory(&input(2, 8))), 14e9 + 98e9 / 8.0);
    }

    #[test]
    fn min_gpus_fits_and_is_minimal() {
        let m = input(3, 1);
        let b = memory(&m);
        let best = b.min_gpus.expect("7B fits somewhere");
        assert!(total(&m, best.tp, best.pp, best.dp as f64) <= 80e9);
        // 112 GB of states + activations on 80 GB cards: 2 GPUs suffice with ZeRO-3, 1 does not.
        assert_eq!(best.gpus, 2);
    }

    /// Korthikanti Table 2: with sequence parallelism, selective recomputation stores
    /// 34/(34 + 5as/h) of the no-recomputation activations; GPT-3 175B (a = 96, s = 2048,
    /// h = 12288) saves 70% (the paper's §6.1 reports "about 70%").
    #[test]
    fn selective_saves_seventy_percent_on_gpt3() {
        let s = ActivationShape {
            layers: 96,
            hidden: 12288,
            heads: 96,
            kv_heads: 96,
            ffn: 4 * 12288,
            gated_mlp: false,
            seq_len: 2048,
            micro_batch: 1,
        };
        let none = activation_bytes(&s, Recompute::None, 8);
        let sel = activation_bytes(&s, Recompute::Selective, 8);
        assert!(
            (1.0 - sel / none - 0.70).abs() < 0.01,
            "{}",
            1.0 - sel / none
        );
    }

    #[test]
    fn qlora_fits_7b_on_a_4090() {
        let mut m = input(0, 1);
        m.finetune = Finetune::Qlora;
        m.recompute = Recompute::Full;
        m.shape.seq_len = 2048;
        m.gpu_memory_bytes = 24e9;
        let b = memory(&m);
        assert!(b.fits, "{b:?}");
        assert!(b.trainable_params < 0.01 * 7e9);
    }

    fn llama2_7b() -> ActivationShape {
        ActivationShape {
            layers: 32,
            hidden: 4096,
            heads: 32,
            kv_heads: 32,
            ffn: 11008,
            gated_mlp: true,
            seq_len: 4096,
            micro_batch: 1,
        }
    }

    /// Issue 16's check: Llama-2-7B, 4,096 tokens, micro-batch 1, no recomputation. FlashAttention
    /// on: activations per GPU within 15–25 GB (18.3 GB); off: today's Korthikanti figure (104.2 GB).
    #[test]
    fn llama2_7b_flash_attention_on_and_off() {
        let s = llama2_7b();
        let mut m = input(3, 64);
        m.params = 6.74e9;
        m.shape = s;
        m.recompute = Recompute::None;
        let off = memory(&m).activations_bytes;
        assert_eq!(off, activation_bytes(&s, Recompute::None, 1));
        assert!((off / 1e9 - 104.15).abs() < 0.01, "{off}");
        m.flash_attention = true;
        let on = memory(&m).activations_bytes;
        println!(
            "Llama-2-7B, 4096 tokens, b = 1, no recomputation: FlashAttention on {:.2} GB, off {:.2} GB (Korthikanti)",
            on / 1e9,
            off / 1e9
        );
        assert!((15e9..=25e9).contains(&on), "{on}");
        // With the 32k vocabulary's fp32 logits and loss: 1.3 GB more, still within range.
        m.vocab = 32_000;
        let with_logits = memory(&m).activations_bytes;
        assert_eq!(with_logits - on, 4096.0 * 32_000.0 * 10.0);
        assert!((15e9..=25e9).contains(&with_logits));
        m.fused_cross_entropy = true;
        assert_eq!(memory(&m).activations_bytes, on);
    }

    /// The neutral values of the new fields reproduce every figure from before, for every
    /// recomputation, TP and PP (the link-format tests depend on it).
    #[test]
    fn neutral_options_are_today() {
        for rc in [Recompute::None, Recompute::Selective, Recompute::Full] {
            for tp in [1, 2, 8] {
                for pp in [1, 4, 32] {
                    let mut m = input(1, 8);
                    m.recompute = rc;
                    m.tp = tp;
                    m.pp = pp;
                    let b = memory(&m);
                    assert_eq!(b.activations_bytes, activation_bytes(&m.shape, rc, tp));
                    let o = ActivationOptions {
                        pp,
                        ..ActivationOptions::NEUTRAL
                    };
                    let with = activation_bytes_with(&m.shape, rc, tp, &o);
                    assert!((with / b.activations_bytes - 1.0).abs() < 1e-12);
                }
            }
        }
    }

    /// Korthikanti Table 2: without sequence parallelism LayerNorm and dropout (10·s·b·h) stay
    /// whole on each rank; with t = 1 the two agree.
    #[test]
    fn sequence_parallel_splits_layernorm_and_dropout() {
        let s = llama2_7b();
        let off = ActivationOptions {
            sequence_parallel: false,
            flash_attention: true,
            ..ActivationOptions::NEUTRAL
        };
        let on = ActivationOptions {
            flash_attention: true,
            ..ActivationOptions::NEUTRAL
        };
        let sbh = 4096.0 * 4096.0;
        let d = activation_bytes_with(&s, Recompute::Selective, 8, &off)
            - activation_bytes_with(&s, Recompute::Selective, 8, &on);
        assert!((d / (32.0 * sbh * 10.0 * (1.0 - 1.0 / 8.0)) - 1.0).abs() < 1e-12);
        let same = activation_bytes_with(&s, Recompute::None, 1, &off)
            / activation_bytes_with(&s, Recompute::None, 1, &on);
        assert!((same - 1.0).abs() < 1e-12);
    }

    /// 1F1B: the first stage holds min(p, m) micro-batches of its L/p layers; interleaving adds
    /// (p−1)/(p·v) (Korthikanti §4.2.3). fp32 gradients double the gradient bytes.
    #[test]
    fn pipeline_in_flight_and_fp32_grads() {
        let o = |pp, m, v| ActivationOptions {
            pp,
            microbatches: m,
            virtual_stages: v,
            ..ActivationOptions::NEUTRAL
        };
        assert_eq!(in_flight_layers(32, &o(8, 64, 1)), 32.0);
        assert_eq!(in_flight_layers(32, &o(8, 2, 1)), 8.0);
        assert_eq!(
            in_flight_layers(32, &o(8, 64, 2)),
            32.0 * (1.0 + 7.0 / 16.0)
        );
        let mut m = input(0, 8);
        let g16 = memory(&m).gradients_bytes;
        m.fp32_grads = true;
        assert_eq!(memory(&m).gradients_bytes, 2.0 * g16);
    }
}
