//! Memory per GPU for training and fine-tuning: model states (weights, gradients, optimizer),
//! ZeRO / FSDP sharding over data-parallel ranks, tensor- and pipeline-parallel splits, and
//! activations (Korthikanti et al. 2022).
//!
//! Not counted (say so on the page): the CUDA context and framework workspace (≈ 0.5–2 GB),
//! allocator fragmentation, communication buffers, the output layer's logits and the embedding
//! imbalance of the first and last pipeline stages.

use super::ActivationShape;
use crate::explain::Source;
use crate::scenario::{Finetune, Optimizer, Recompute};
use serde::Serialize;

/// Rajbhandari et al. 2020, ZeRO.
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
        trainable * b.gradients / mp,
        trainable * b.optimizer / mp,
    ];
    // ZeRO-1 shards optimizer states, ZeRO-2 also gradients, ZeRO-3 also weights (§5.1).
    let sharded = [m.zero_stage >= 3, m.zero_stage >= 2, m.zero_stage >= 1];
    (bytes, sharded, trainable)
}

/// Per-GPU total for a layout.
fn total(m: &MemoryInput, tp: u32, pp: u32, dp: f64) -> f64 {
    let (bytes, sharded, _) = states(m, tp, pp);
    let s: f64 = bytes
        .iter()
        .zip(sharded)
        .map(|(b, sh)| if sh { b / dp } else { *b })
        .sum();
    s + activation_bytes(&m.shape, m.recompute, tp)
}

/// The fewest data-parallel ranks for this (tp, pp) that fit, if any.
fn min_dp(m: &MemoryInput, tp: u32, pp: u32) -> Option<u64> {
    let (bytes, sharded, _) = states(m, tp, pp);
    let (mut shard, mut keep) = (0.0, activation_bytes(&m.shape, m.recompute, tp));
    for (b, sh) in bytes.iter().zip(sharded) {
        if sh {
            shard += b
        } else {
            keep += b
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

/// The memory breakdown per GPU, whether it fits, and the fewest GPUs that fit.
///
/// # Formula
/// per GPU = Σ_component states_c / (tp·pp) / (dp if ZeRO shards c) + activations
///
/// ```
/// use scalecalc_model::scenario::{Finetune, Optimizer, Recompute};
/// use scalecalc_model::training::{memory::*, ActivationShape};
/// let m = MemoryInput { params: 7e9, shape: ActivationShape::from_size(7e9, 4096, 1),
///     optimizer: Optimizer::AdamMixed, zero_stage: 3, tp: 1, pp: 1, dp: 8,
///     recompute: Recompute::Full, finetune: Finetune::Full, lora_rank: 16,
///     lora_targets: LoraTargets::AllLinear, gpu_memory_bytes: 80e9 };
/// let b = memory(&m);
/// assert_eq!(b.weights_bytes + b.gradients_bytes + b.optimizer_bytes, 14e9);
/// ```
pub fn memory(m: &MemoryInput) -> MemoryBreakdown {
    let (tp, pp, dp) = (m.tp.max(1), m.pp.max(1), m.dp.max(1) as f64);
    let (bytes, sharded, trainable) = states(m, tp, pp);
    let per = |i: usize| if sharded[i] { bytes[i] / dp } else { bytes[i] };
    let activations_bytes = activation_bytes(&m.shape, m.recompute, tp);
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
                let gpus = t as u64 * p as u64 * d;
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
}
