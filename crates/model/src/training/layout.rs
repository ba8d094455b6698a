//! The best layout (issue 16): every TP × PP × CP × EP × DP × micro-batch × ZeRO stage ×
//! recomputation that fits in memory, ranked by predicted throughput.
//!
//! Memory: [`crate::training::memory::memory`]; time: [`crate::training::step::predict`].
//! docs/science.md §8.

use crate::hardware::Interconnect;
use crate::scenario::{Finetune, Optimizer, Recompute};
use crate::training::memory::{per_gpu_bytes, LoraTargets, MemoryInput};
use crate::training::step::{predict, StepCalibration, StepInput, StepMoe, StepPrediction};
use crate::training::ActivationShape;
use serde::Serialize;

/// What the search is given: the model, the hardware, the GPU count and the batch.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LayoutQuery {
    /// The model's shape; `seq_len` is the training sequence, `micro_batch` is searched.
    pub shape: ActivationShape,
    pub vocab: u32,
    /// Total parameters.
    pub params: f64,
    pub gpus: u32,
    /// Sequences per optimizer step.
    pub global_batch: u32,
    pub optimizer: Optimizer,
    pub flash_attention: bool,
    /// fp32 gradients (Megatron main-grads) instead of 16-bit.
    pub fp32_grads: bool,
    /// Fraction of the data-parallel reduction hidden behind the backward pass.
    pub dp_overlap: f64,
    pub gpu_memory_bytes: f64,
    pub peak_flop_per_s: f64,
    pub memory_bytes_per_s: f64,
    pub interconnect: Interconnect,
    /// The routed experts of an MoE model (expert parallelism is searched); `None`: dense.
    pub moe: Option<StepMoe>,
}

impl LayoutQuery {
    /// The query for a known architecture on a GPU (its memory, peak and bandwidth, and its
    /// interconnect `link`): Adam in mixed precision with fp32 gradients, the data-parallel
    /// reduction overlapped as [`crate::training::step::DEFAULT_DP_OVERLAP`] says.
    pub fn for_model(
        arch: &crate::architecture::Architecture,
        gpu: &crate::hardware::Gpu,
        link: Interconnect,
        gpus: u32,
        seq_len: u32,
        global_batch: u32,
        flash_attention: bool,
    ) -> Self {
        Self {
            shape: ActivationShape {
                seq_len,
                micro_batch: 1,
                ..crate::training::shape_of(arch)
            },
            vocab: u32::try_from(arch.vocab).unwrap_or(u32::MAX),
            params: arch.params().total,
            gpus,
            global_batch,
            optimizer: Optimizer::AdamMixed,
            flash_attention,
            fp32_grads: true,
            dp_overlap: crate::training::step::DEFAULT_DP_OVERLAP,
            gpu_memory_bytes: gpu.memory_bytes,
            peak_flop_per_s: gpu.peak_bf16_flop_per_s,
            memory_bytes_per_s: gpu.bandwidth_bytes_per_s,
            interconnect: link,
            moe: StepMoe::of(arch),
        }
    }
}

/// One layout that fits, with its predicted step.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Layout {
    pub tp: u32,
    pub pp: u32,
    /// Context-parallel degree (1 = none).
    pub cp: u32,
    /// Expert-parallel degree (1 = none; only for MoE).
    pub ep: u32,
    pub dp: u32,
    pub micro_batch: u32,
    pub zero_stage: u32,
    pub recompute: Recompute,
    /// On whenever `tp > 1` (it only saves memory and elementwise work).
    pub sequence_parallel: bool,
    /// Per-GPU memory, bytes (the most loaded stage).
    pub memory_bytes: f64,
    pub prediction: StepPrediction,
    /// Why this layout is not faster: its largest cost besides the matmuls.
    pub limited_by: LayoutLimit,
}

/// What limits a layout: the largest part of its step besides the matmuls, or, when it pays
/// for recomputation to fit, the memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum LayoutLimit {
    /// Nothing but the matmuls (every other part is 0).
    Compute,
    /// It fits only by recomputing activations: the extra forward pass is its largest cost.
    Memory,
    /// Memory-bound kernels (LayerNorm, activations, softmax, residual adds).
    MemoryBound,
    /// Tensor-parallel all-reduces.
    TpComm,
    /// The context-parallel ring exchange of K and V.
    CpComm,
    /// The expert-parallel all-to-alls.
    EpComm,
    /// The pipeline bubble.
    Bubble,
    /// Point-to-point sends between pipeline stages.
    PipelineSends,
    /// The data-parallel gradient reduction not hidden behind the backward pass.
    DpComm,
    /// The optimizer step.
    Optimizer,
}

impl LayoutLimit {
    /// English, for the CLI (the page words it from the variant).
    pub fn as_str(self) -> &'static str {
        match self {
            LayoutLimit::Compute => "compute",
            LayoutLimit::Memory => "memory (recomputation)",
            LayoutLimit::MemoryBound => "memory-bound kernels",
            LayoutLimit::TpComm => "tensor-parallel collectives",
            LayoutLimit::CpComm => "context-parallel ring exchange",
            LayoutLimit::EpComm => "expert-parallel all-to-all",
            LayoutLimit::Bubble => "pipeline bubble",
            LayoutLimit::PipelineSends => "pipeline sends",
            LayoutLimit::DpComm => "data-parallel reduction",
            LayoutLimit::Optimizer => "optimizer step",
        }
    }
}

impl std::fmt::Display for LayoutLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Micro-batch sizes tried.
pub const MICRO_BATCHES: [u32; 6] = [1, 2, 4, 8, 16, 32];

/// The shortest sequence chunk context parallelism is tried down to: CP is for long sequences
/// (Megatron-Core's guide: "long sequences (8K+ tokens)"), so 8,192 tokens try cp ≤ 2.
pub const MIN_CP_CHUNK: u32 = 4096;

/// The `top` layouts that fit, fastest first (predicted tokens/s; ties: less memory). At a fixed
/// GPU count the cost per token follows the throughput, so the order is the same by cost.
///
/// # Rules
/// - `t` is a power of two that divides the attention heads and is at most the GPUs per node
///   (TP across nodes is never faster, Narayanan et al. 2021 Takeaway #1);
/// - `p` divides the layers; `c` a power of two ≤ 32 that divides the sequence into chunks of at
///   least [`MIN_CP_CHUNK`] tokens; `t·p·c` divides the GPU count; `d = G/(t·p·c)`;
/// - MoE: `e` a power of two that divides the experts and `d·c` (Megatron-Core's expert layout);
/// - `b·d` divides the global batch; ZeRO 0–3; recomputation none, selective or full;
///   sequence parallelism whenever `t > 1`; plain 1F1B;
/// - it fits: [`crate::training::memory::memory`] per GPU (micro-batches in flight, logits and loss included) ≤ the GPU's
///   memory.
///
/// ```
/// use scalecalc_model::training::layout::{search, LayoutQuery};
/// use scalecalc_model::training::step::STEP_CALIBRATION;
/// use scalecalc_model::{hardware, scenario::Optimizer, training::ActivationShape};
/// let q = LayoutQuery {
///     shape: ActivationShape { layers: 32, hidden: 4096, heads: 32, kv_heads: 8, ffn: 14336,
///         gated_mlp: true, seq_len: 8192, micro_batch: 1 },
///     vocab: 128_256, params: 8.03e9, gpus: 64, global_batch: 512,
///     optimizer: Optimizer::AdamMixed, flash_attention: true, fp32_grads: true, dp_overlap: 0.8,
///     gpu_memory_bytes: 80e9, peak_flop_per_s: 989.4e12, memory_bytes_per_s: 3.35e12,
///     interconnect: *hardware::interconnect("h100-sxm").unwrap(), moe: None };
/// let top = search(&q, &STEP_CALIBRATION, 10);
/// assert_eq!(top.len(), 10);
/// assert!(top.windows(2).all(|w| w[0].prediction.tokens_per_s >= w[1].prediction.tokens_per_s));
/// assert!(top.iter().all(|l| l.memory_bytes <= 80e9 && l.tp * l.pp * l.cp * l.dp == 64));
/// ```
pub fn search(q: &LayoutQuery, cal: &StepCalibration, top: usize) -> Vec<Layout> {
    let sh = q.shape;
    let g = q.gpus.max(1);
    let node = q.interconnect.gpus_per_node.max(1);
    let mut found: Vec<Layout> = Vec::new();
    let tps = (0..6)
        .map(|i| 1u32 << i)
        .filter(|&t| t <= node && sh.heads.is_multiple_of(t) && g.is_multiple_of(t));
    let cps: Vec<u32> = (0..6)
        .map(|i| 1u32 << i)
        .filter(|&c| c == 1 || (sh.seq_len.is_multiple_of(c) && sh.seq_len / c >= MIN_CP_CHUNK))
        .collect();
    let experts = q.moe.map_or(1, |m| m.experts.max(1));
    let eps: Vec<u32> = (0..9)
        .map(|i| 1u32 << i)
        .filter(|&e| e == 1 || (q.moe.is_some() && experts.is_multiple_of(e)))
        .collect();
    let expert_params = q.moe.map_or(0.0, |m| m.expert_params);
    for tp in tps {
        for pp in (1..=sh.layers.max(1))
            .filter(|&p| sh.layers.is_multiple_of(p) && g.is_multiple_of(tp * p))
        {
            for &cp in cps.iter().filter(|&&c| g.is_multiple_of(tp * pp * c)) {
                let dp = g / (tp * pp * cp);
                for &ep in eps.iter().filter(|&&e| (dp * cp).is_multiple_of(e)) {
                    for &b in &MICRO_BATCHES {
                        if !q.global_batch.is_multiple_of(b * dp) {
                            continue;
                        }
                        let m = q.global_batch / (b * dp);
                        let shape = ActivationShape {
                            micro_batch: b,
                            ..sh
                        };
                        for zero_stage in 0..=3 {
                            for rc in [Recompute::None, Recompute::Selective, Recompute::Full] {
                                let memory_bytes = per_gpu_bytes(&MemoryInput {
                                    params: q.params,
                                    shape,
                                    optimizer: q.optimizer,
                                    zero_stage,
                                    tp,
                                    pp,
                                    dp,
                                    recompute: rc,
                                    finetune: Finetune::Full,
                                    lora_rank: 0,
                                    lora_targets: LoraTargets::AllLinear,
                                    gpu_memory_bytes: q.gpu_memory_bytes,
                                    flash_attention: q.flash_attention,
                                    sequence_parallel: tp > 1,
                                    vocab: q.vocab,
                                    fused_cross_entropy: false,
                                    microbatches: m,
                                    virtual_stages: 1,
                                    fp32_grads: q.fp32_grads,
                                    cp,
                                    ep,
                                    expert_params,
                                });
                                if memory_bytes > q.gpu_memory_bytes {
                                    continue;
                                }
                                let input = StepInput {
                                    shape,
                                    vocab: q.vocab,
                                    params: q.params,
                                    gpus: g,
                                    tp,
                                    pp,
                                    cp,
                                    ep,
                                    moe: q.moe,
                                    global_batch: q.global_batch,
                                    virtual_stages: 1,
                                    recompute: rc,
                                    sequence_parallel: tp > 1,
                                    flash_attention: q.flash_attention,
                                    zero_stage,
                                    grad_bytes: if q.fp32_grads { 4.0 } else { 2.0 },
                                    dp_overlap: q.dp_overlap,
                                    peak_flop_per_s: q.peak_flop_per_s,
                                    memory_bytes_per_s: q.memory_bytes_per_s,
                                    interconnect: q.interconnect,
                                };
                                let Ok(prediction) = predict(&input, cal) else {
                                    continue;
                                };
                                found.push(Layout {
                                    tp,
                                    pp,
                                    cp,
                                    ep,
                                    dp,
                                    micro_batch: b,
                                    zero_stage,
                                    recompute: rc,
                                    sequence_parallel: tp > 1,
                                    memory_bytes,
                                    prediction,
                                    limited_by: limited_by(&prediction),
                                });
                                // Recomputation only buys memory: once a layout fits without
                                // (or with less), more is never faster.
                                break;
                            }
                        }
                    }
                }
            }
        }
    }
    found.sort_by(|a, b| {
        b.prediction
            .tokens_per_s
            .total_cmp(&a.prediction.tokens_per_s)
            .then(a.memory_bytes.total_cmp(&b.memory_bytes))
    });
    found.truncate(top);
    found
}

/// How layouts found on different GPU counts are ranked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rank {
    /// Tokens per second, fastest first.
    Throughput,
    /// GPU-seconds per token (`G / tokens_per_s`: the cost at any one price per GPU-hour),
    /// cheapest first.
    Cost,
}

impl Rank {
    pub const ALL: [Rank; 2] = [Rank::Throughput, Rank::Cost];

    pub fn as_str(self) -> &'static str {
        match self {
            Rank::Throughput => "throughput",
            Rank::Cost => "cost",
        }
    }

    pub fn parse(s: &str) -> Option<Rank> {
        Rank::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// GPU-seconds per token of a layout: `G / (tokens/s)`; USD per million tokens at `p` USD per
/// GPU-hour is this × `p` / 3600 × 10⁶.
pub fn gpu_seconds_per_token(l: &Layout) -> f64 {
    let g = l.tp * l.pp * l.cp * l.dp;
    f64::from(g) / l.prediction.tokens_per_s
}

/// The GPU counts [`search_counts`] tries up to `max_gpus`: powers of two up to one node, then
/// whole nodes doubling (8, 16, 32, …), and `max_gpus` itself.
pub fn gpu_counts(max_gpus: u32, gpus_per_node: u32) -> Vec<u32> {
    let node = gpus_per_node.max(1);
    let mut out: Vec<u32> = (0..32)
        .map(|i| 1u64 << i)
        .take_while(|&g| g <= u64::from(max_gpus))
        .map(|g| g as u32)
        .filter(|&g| g <= node || g.is_multiple_of(node))
        .collect();
    if !out.contains(&max_gpus) && max_gpus > 0 {
        out.push(max_gpus);
    }
    out
}

/// The fewest GPUs (of [`gpu_counts`] up to `q.gpus`) on which a layout fits, and the `top`
/// layouts found there (as [`search`] ranks them); `None` when none fits even on `q.gpus`.
///
/// ```
/// use scalecalc_model::training::layout::{search_fewest, LayoutQuery};
/// use scalecalc_model::training::step::STEP_CALIBRATION;
/// use scalecalc_model::{architecture, hardware};
/// let a = architecture::preset("llama-3-70b").unwrap();
/// let gpu = hardware::gpu("h100-sxm").unwrap();
/// let link = *hardware::interconnect("h100-sxm").unwrap();
/// let q = LayoutQuery::for_model(&a.arch, gpu, link, 1024, 4096, 1024, true);
/// let (g, top) = search_fewest(&q, &STEP_CALIBRATION, 10).unwrap();
/// // 70B parameters with Adam need ~16 bytes each before activations: more than 8 × 80 GB.
/// assert!(g > 8 && g < 1024);
/// assert!(top.iter().all(|l| l.tp * l.pp * l.cp * l.dp == g));
/// ```
pub fn search_fewest(
    q: &LayoutQuery,
    cal: &StepCalibration,
    top: usize,
) -> Option<(u32, Vec<Layout>)> {
    gpu_counts(q.gpus, q.interconnect.gpus_per_node)
        .into_iter()
        .map(|g| (g, search(&LayoutQuery { gpus: g, ..*q }, cal, top)))
        .find(|(_, found)| !found.is_empty())
}

/// Every GPU count of [`gpu_counts`] up to `q.gpus`, the `top` layouts over all of them ranked
/// by `rank` (by cost, a layout on fewer GPUs can win over a faster one on more).
pub fn search_counts(
    q: &LayoutQuery,
    cal: &StepCalibration,
    top: usize,
    rank: Rank,
) -> Vec<Layout> {
    let mut all: Vec<Layout> = gpu_counts(q.gpus, q.interconnect.gpus_per_node)
        .into_iter()
        .flat_map(|g| search(&LayoutQuery { gpus: g, ..*q }, cal, top))
        .collect();
    match rank {
        Rank::Throughput => all.sort_by(|a, b| {
            b.prediction
                .tokens_per_s
                .total_cmp(&a.prediction.tokens_per_s)
        }),
        Rank::Cost => {
            all.sort_by(|a, b| gpu_seconds_per_token(a).total_cmp(&gpu_seconds_per_token(b)))
        }
    }
    all.truncate(top);
    all
}

/// The largest cost besides the matmuls; recomputation's extra FLOPs count as memory's cost.
fn limited_by(p: &StepPrediction) -> LayoutLimit {
    let b = p.breakdown;
    // Recomputation's share of the matmul time: (hardware − model) / hardware FLOPs.
    let recompute_s = if p.hardware_flops_per_step > 0.0 {
        b.compute_s * (1.0 - p.model_flops_per_step / p.hardware_flops_per_step)
    } else {
        0.0
    };
    [
        (LayoutLimit::Memory, recompute_s),
        (LayoutLimit::MemoryBound, b.memory_bound_s),
        (LayoutLimit::TpComm, b.tp_comm_s),
        (LayoutLimit::CpComm, b.cp_comm_s),
        (LayoutLimit::EpComm, b.ep_comm_s),
        (LayoutLimit::Bubble, b.pipeline_bubble_s),
        (LayoutLimit::PipelineSends, b.pipeline_p2p_s),
        (LayoutLimit::DpComm, b.dp_comm_s),
        (LayoutLimit::Optimizer, b.optimizer_s),
    ]
    .into_iter()
    .filter(|x| x.1 > 0.0)
    .max_by(|x, y| x.1.total_cmp(&y.1))
    .map_or(LayoutLimit::Compute, |(limit, _)| limit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hardware;
    use crate::training::step::STEP_CALIBRATION;

    #[test]
    fn the_fewest_gpus_are_the_first_count_with_a_layout_and_cost_ranks_across_counts() {
        let a = crate::architecture::preset("llama-3-70b").unwrap();
        let gpu = hardware::gpu("h100-sxm").unwrap();
        let link = *hardware::interconnect("h100-sxm").unwrap();
        let q = LayoutQuery::for_model(&a.arch, gpu, link, 256, 4096, 1024, true);
        let (g, top) = search_fewest(&q, &STEP_CALIBRATION, 10).unwrap();
        // No smaller count holds a layout; the found one does.
        for c in gpu_counts(256, 8).into_iter().filter(|&c| c < g) {
            assert!(
                search(&LayoutQuery { gpus: c, ..q }, &STEP_CALIBRATION, 1).is_empty(),
                "{c}"
            );
        }
        assert!(!top.is_empty());
        // By cost, the first layout is the cheapest over every count (an exhaustive check).
        let best = search_counts(&q, &STEP_CALIBRATION, 10, Rank::Cost);
        let cheapest = gpu_counts(256, 8)
            .into_iter()
            .flat_map(|c| search(&LayoutQuery { gpus: c, ..q }, &STEP_CALIBRATION, 1000))
            .map(|l| gpu_seconds_per_token(&l))
            .fold(f64::INFINITY, f64::min);
        assert_eq!(gpu_seconds_per_token(&best[0]), cheapest);
        assert!(best
            .windows(2)
            .all(|w| gpu_seconds_per_token(&w[0]) <= gpu_seconds_per_token(&w[1])));
        // By throughput, the most GPUs win.
        let fast = search_counts(&q, &STEP_CALIBRATION, 1, Rank::Throughput);
        assert_eq!(fast[0].tp * fast[0].pp * fast[0].cp * fast[0].dp, 256);
        assert_eq!(gpu_counts(24, 8), vec![1, 2, 4, 8, 16, 24]);
    }

    fn llama3_70b(gpus: u32, global_batch: u32) -> LayoutQuery {
        LayoutQuery {
            shape: ActivationShape {
                layers: 80,
                hidden: 8192,
                heads: 64,
                kv_heads: 8,
                ffn: 28672,
                gated_mlp: true,
                seq_len: 8192,
                micro_batch: 1,
            },
            vocab: 128_256,
            params: 70.6e9,
            gpus,
            global_batch,
            optimizer: Optimizer::AdamMixed,
            flash_attention: true,
            fp32_grads: true,
            dp_overlap: 0.8,
            gpu_memory_bytes: 80.0 * 1024.0 * 1024.0 * 1024.0,
            peak_flop_per_s: 989.4e12,
            memory_bytes_per_s: 3.35e12,
            interconnect: *hardware::interconnect("h100-sxm").expect("preset"),
            moe: None,
        }
    }

    /// A 70B model on 1,024 H100s: the winner keeps TP inside a node, and every layout listed
    /// fits and obeys the divisibility rules.
    #[test]
    fn seventy_b_on_1024_h100s() {
        let q = llama3_70b(1024, 1024);
        let top = search(&q, &STEP_CALIBRATION, 10);
        assert_eq!(top.len(), 10);
        for l in &top {
            println!(
                "t {} p {} d {} b {} ZeRO {} {:?}: {:.0} tok/s, MFU {:.1}%, {:.1} GB, limited by {}",
                l.tp,
                l.pp,
                l.dp,
                l.micro_batch,
                l.zero_stage,
                l.recompute,
                l.prediction.tokens_per_s,
                l.prediction.mfu * 100.0,
                l.memory_bytes / 1e9,
                l.limited_by
            );
            assert_eq!(l.tp * l.pp * l.cp * l.dp, 1024);
            assert!(l.memory_bytes <= q.gpu_memory_bytes);
            assert_eq!(80 % l.pp, 0);
            assert_eq!(64 % l.tp, 0);
            assert!(l.prediction.mfu > 0.2 && l.prediction.mfu < 0.7);
        }
    }

    /// Issue 16: a search over 16,384 GPUs in at most 50 ms natively (release build; a debug
    /// build only prints the time and checks a loose bound).
    #[test]
    fn search_over_16384_gpus_is_fast() {
        let q = llama3_70b(16_384, 16_384);
        let start = std::time::Instant::now();
        let top = search(&q, &STEP_CALIBRATION, 10);
        let elapsed = start.elapsed();
        println!(
            "layout search, 16,384 GPUs: {:.1} ms ({} build), best {:?}",
            elapsed.as_secs_f64() * 1e3,
            if cfg!(debug_assertions) {
                "debug"
            } else {
                "release"
            },
            top.first().map(|l| (l.tp, l.pp, l.dp, l.micro_batch))
        );
        assert!(!top.is_empty());
        let limit = if cfg!(debug_assertions) { 2.0 } else { 0.05 };
        assert!(elapsed.as_secs_f64() <= limit, "{elapsed:?}");
        // The largest enumerations: MoE models (EP) at long sequences (CP) on 16,384 GPUs.
        let gpu = hardware::gpu("h100-sxm").expect("gpu");
        let link = *hardware::interconnect("h100-sxm").expect("link");
        for (id, seq) in [
            ("mixtral-8x22b", 32_768),
            ("deepseek-v3", 131_072),
            ("llama-3.1-405b", 131_072),
        ] {
            let a = crate::architecture::preset(id).expect("preset").arch;
            let q = LayoutQuery::for_model(&a, gpu, link, 16_384, seq, 16_384, true);
            let start = std::time::Instant::now();
            let top = search(&q, &STEP_CALIBRATION, 10);
            let elapsed = start.elapsed();
            println!(
                "layout search, {id} at {seq} tokens on 16,384 GPUs: {:.1} ms, best {:?}",
                elapsed.as_secs_f64() * 1e3,
                top.first()
                    .map(|l| (l.tp, l.pp, l.cp, l.ep, l.dp, l.micro_batch))
            );
            assert!(elapsed.as_secs_f64() <= limit, "{id}: {elapsed:?}");
        }
    }

    /// A long sequence: Llama 3 70B at 128k tokens on 1,024 H100s fits only with context
    /// parallelism (or the activations of 128k tokens on one rank); the search finds it.
    #[test]
    fn long_sequences_use_context_parallelism() {
        let mut q = llama3_70b(1024, 64);
        q.shape.seq_len = 131_072;
        let top = search(&q, &STEP_CALIBRATION, 10);
        assert!(!top.is_empty());
        for l in &top {
            println!(
                "128k: t {} p {} c {} d {} b {} ZeRO {} {:?}: MFU {:.1}%, {:.1} GB, limited by {}",
                l.tp,
                l.pp,
                l.cp,
                l.dp,
                l.micro_batch,
                l.zero_stage,
                l.recompute,
                l.prediction.mfu * 100.0,
                l.memory_bytes / 1e9,
                l.limited_by
            );
            assert_eq!(l.tp * l.pp * l.cp * l.dp, 1024);
            assert_eq!(131_072 % l.cp, 0);
        }
        assert!(top.iter().any(|l| l.cp > 1));
    }

    /// An MoE model: the search tries expert parallelism (EP divides the experts and dp·cp), and
    /// some of the best layouts shard the experts.
    #[test]
    fn moe_uses_expert_parallelism() {
        let a = crate::architecture::preset("mixtral-8x7b")
            .expect("preset")
            .arch;
        let gpu = hardware::gpu("h100-sxm").expect("gpu");
        let q = LayoutQuery::for_model(
            &a,
            gpu,
            *hardware::interconnect("h100-sxm").expect("link"),
            256,
            4096,
            1024,
            true,
        );
        assert!(q.moe.is_some());
        let top = search(&q, &STEP_CALIBRATION, 10);
        assert_eq!(top.len(), 10);
        for l in &top {
            println!(
                "Mixtral on 256: t {} p {} e {} d {} b {} ZeRO {} {:?}: MFU {:.1}%, {:.1} GB, limited by {}",
                l.tp,
                l.pp,
                l.ep,
                l.dp,
                l.micro_batch,
                l.zero_stage,
                l.recompute,
                l.prediction.mfu * 100.0,
                l.memory_bytes / 1e9,
                l.limited_by
            );
            assert_eq!(8 % l.ep, 0);
            assert_eq!((l.dp * l.cp) % l.ep, 0);
        }
        assert!(top.iter().any(|l| l.ep > 1));
    }

    /// Nothing fits: an empty list, not a panic.
    #[test]
    fn nothing_fits() {
        let mut q = llama3_70b(8, 8);
        q.gpu_memory_bytes = 1e9;
        assert!(search(&q, &STEP_CALIBRATION, 10).is_empty());
    }
}
