//! Inference cost: memory (weights, KV cache, activations), time (prefill → time to first token,
//! decode steps on a calibrated roofline, tensor-parallel communication), money and energy.
//!
//! The roofline's achievable fractions of peak bandwidth and compute are explicit constants
//! ([`Calibration`]) fitted to TensorRT-LLM's published A100 measurements; [`calibration_table`]
//! reports measured vs predicted for every row (docs/science.md §4).

mod calibration;
pub mod parallel;

pub use calibration::{
    calibration_table, calibration_table_with, trtllm_table, trtllm_table_with, validation_table,
    Calibration, CalibrationRow, CALIBRATION, COLLECTIVE_LATENCY_S, FP8_COMPUTE_FRACTION,
    KV_REREAD_FRACTION, SRC_TRTLLM,
};
pub use parallel::Layout;

use super::architecture::{self, ArchError, Architecture};
use super::explain::{Explained, Source, DERIVED};
use super::hardware::{self, Gpu};
use super::num::sig;
use super::scenario::Precision;
use crate::explain::Key;
use serde::Serialize;
use std::fmt;

/// Leviathan, Kalman & Matias 2023, speculative decoding.
pub const SRC_LEVIATHAN: Source = Source {
    id: "leviathan2023",
    citation:
        "Leviathan, Kalman & Matias 2023, Fast Inference from Transformers via Speculative Decoding",
    locator: "§3.1, eq. 1: E[tokens per step] = (1 − α^(γ+1)) / (1 − α)",
    url: "https://arxiv.org/abs/2211.17192",
};

/// Pope et al. 2022: the memory/compute/communication model of transformer inference.
pub const SRC_POPE: Source = Source {
    id: "pope2022",
    citation: "Pope et al. 2022, Efficiently Scaling Transformer Inference",
    locator: "§2 (KV cache, memory- vs compute-bound decode), §3.2 (1D tensor-parallel all-reduce per layer)",
    url: "https://arxiv.org/abs/2211.05102",
};

/// KV-cache size per token (docs/science.md §4; Pope et al. 2022 §2).
pub const SRC_KV: Source = Source {
    id: "kv-cache",
    citation: "Pope et al. 2022, Efficiently Scaling Transformer Inference; DeepSeek-AI 2024, DeepSeek-V2 (MLA)",
    locator: "Pope §2 'KV cache'; DeepSeek-V2 §2.1.2 and Table 1 (cache (d_c + d_h^R)·l elements per token)",
    url: "https://arxiv.org/abs/2405.04434",
};

/// Bit widths accepted for weights and the KV cache.
pub const VALID_BITS: [u32; 6] = [2, 3, 4, 8, 16, 32];

/// Bytes per element of activations (16-bit).
const ACTIVATION_BYTES: f64 = parallel::ACTIVATION_BYTES;

/// Why a workload was rejected.
#[derive(Debug, Clone, PartialEq)]
pub enum InferenceError {
    /// A count that must be at least 1 was 0 (`batch`, `gpus`, `input_tokens`, `output_tokens`).
    Zero(&'static str),
    /// A bit width outside {2, 3, 4, 8, 16, 32}.
    Bits {
        field: &'static str,
        value: u32,
    },
    /// The speculative acceptance rate must be in [0, 1).
    SpecAlpha(f64),
    /// A price or utilisation out of range.
    Range {
        field: &'static str,
        value: f64,
        rule: &'static str,
    },
    UnknownModel(String),
    UnknownGpu(String),
    Arch(ArchError),
    /// Tensor parallelism splits the attention heads across the GPUs: their number must divide
    /// the heads (Megatron-LM's rule; Shoeybi et al. 2019, §3).
    TpHeads {
        gpus: u32,
        heads: u32,
    },
    /// Pipeline stages split the layers: there cannot be more stages than layers.
    PipelineLayers {
        pipeline: u32,
        layers: u32,
    },
    /// Expert parallelism places whole experts on the tensor-parallel GPUs: their number must
    /// divide the routed experts.
    ExpertsGpus {
        gpus: u32,
        experts: u32,
    },
    /// Expert parallelism asked for a model without routed experts.
    ExpertParallelDense,
}

/// The serving layout a known architecture allows: `gpus` (the tensor-parallel degree) must divide
/// its attention heads. More GPUs than KV heads is allowed: each KV head is then replicated on
/// `gpus / kv_heads` GPUs, the memory counts the copies ([`kv_replication`]), and `workload_notes`
/// says so.
pub fn check_layout(shape: &ModelShape, gpus: u32) -> Result<(), InferenceError> {
    if gpus > 0 && shape.heads > 0 && !shape.heads.is_multiple_of(gpus) {
        return Err(InferenceError::TpHeads {
            gpus,
            heads: shape.heads,
        });
    }
    Ok(())
}

/// [`check_layout`] for a layout with pipeline stages and expert parallelism: the stages must not
/// outnumber the layers, and expert parallelism needs routed experts whose number the
/// tensor-parallel GPUs divide. KV heads fewer than the GPUs are allowed (replicated,
/// [`kv_replication`]).
///
/// ```
/// # use scalecalc_model::inference::{check_layout_full, Layout, ModelShape, InferenceError};
/// # use scalecalc_model::architecture::preset;
/// let s = ModelShape::from_arch(&preset("llama-2-70b").unwrap().arch); // 64 heads, 80 layers
/// assert!(check_layout_full(&s, 8, &Layout { pipeline: 2, expert_parallel: false }).is_ok());
/// assert_eq!(check_layout_full(&s, 3, &Layout::default()), Err(InferenceError::TpHeads { gpus: 3, heads: 64 }));
/// assert_eq!(
///     check_layout_full(&s, 8, &Layout { pipeline: 1, expert_parallel: true }),
///     Err(InferenceError::ExpertParallelDense)
/// );
/// ```
pub fn check_layout_full(
    shape: &ModelShape,
    gpus: u32,
    layout: &Layout,
) -> Result<(), InferenceError> {
    check_layout(shape, gpus)?;
    if layout.pipeline == 0 {
        return Err(InferenceError::Zero("pipeline"));
    }
    if layout.pipeline > shape.layers {
        return Err(InferenceError::PipelineLayers {
            pipeline: layout.pipeline,
            layers: shape.layers,
        });
    }
    if layout.expert_parallel {
        let m = shape.moe.ok_or(InferenceError::ExpertParallelDense)?;
        if gpus > 0 && !m.experts.is_multiple_of(gpus) {
            return Err(InferenceError::ExpertsGpus {
                gpus,
                experts: m.experts,
            });
        }
    }
    Ok(())
}

impl fmt::Display for InferenceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InferenceError::Zero(field) => write!(f, "{field}: must be at least 1"),
            InferenceError::Bits { field, value } => {
                write!(f, "{field}: {value} bits is not one of 2, 3, 4, 8, 16, 32")
            }
            InferenceError::SpecAlpha(a) => {
                write!(f, "spec_alpha: {a} must be in [0, 1)")
            }
            InferenceError::Range { field, value, rule } => write!(f, "{field}: {value} {rule}"),
            InferenceError::UnknownModel(id) => write!(
                f,
                "model: unknown model '{id}' (valid: {})",
                architecture::preset_ids().join(", ")
            ),
            InferenceError::UnknownGpu(id) => write!(
                f,
                "gpu: unknown hardware '{id}' (valid: {})",
                hardware::gpu_ids().join(", ")
            ),
            InferenceError::Arch(e) => write!(f, "{e}"),
            InferenceError::TpHeads { gpus, heads } => write!(
                f,
                "gpus: {gpus} tensor-parallel GPUs do not divide the model's {heads} attention heads"
            ),
            InferenceError::PipelineLayers { pipeline, layers } => write!(
                f,
                "pipeline: {pipeline} pipeline stages exceed the model's {layers} layers"
            ),
            InferenceError::ExpertsGpus { gpus, experts } => write!(
                f,
                "gpus: {gpus} expert-parallel GPUs do not divide the model's {experts} routed experts"
            ),
            InferenceError::ExpertParallelDense => f.write_str(
                "expert-parallel: the model has no routed experts (expert parallelism needs a MoE model)",
            ),
        }
    }
}

impl std::error::Error for InferenceError {}

impl From<ArchError> for InferenceError {
    fn from(e: ArchError) -> Self {
        InferenceError::Arch(e)
    }
}

/// The routed-expert part of a MoE model, as the time model needs it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MoeShape {
    pub moe_layers: u32,
    pub experts: u32,
    pub top_k: u32,
    /// Parameters of one routed expert in one layer.
    pub expert_params: f64,
}

/// What the cost model needs to know about a model: counts and per-token sizes.
/// Built from an [`Architecture`] or, on the CLI, from sizes alone.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelShape {
    pub total_params: f64,
    pub active_params: f64,
    /// Input embedding (and learned positions): looked up, not multiplied, not read per step.
    pub input_embedding_params: f64,
    /// Output projection `V·d` (also the input embedding when tied).
    pub output_params: f64,
    /// True when the output projection is the input embedding (counted once in the total).
    pub tied: bool,
    pub layers: u32,
    pub d_model: f64,
    pub heads: u32,
    pub kv_heads: u32,
    /// KV-cache elements per token per layer (2·Hkv·dh, or MLA's r_kv + dr).
    pub kv_elements_per_token_per_layer: f64,
    /// Attention FLOPs per token per cached position per layer.
    pub attn_flops_per_position_per_layer: f64,
    /// (window, windowed layers) for sliding-window attention.
    pub window: Option<(u64, u32)>,
    pub moe: Option<MoeShape>,
    /// Trained context, tokens (None if unknown).
    pub max_context: Option<u64>,
    /// Elements per token of one layer's live transients in prefill (hidden, Q/K/V, FFN).
    pub activation_width: f64,
    pub vocab: f64,
}

impl ModelShape {
    /// The shape of an architecture.
    pub fn from_arch(a: &Architecture) -> Self {
        let p = a.params();
        let d = a.d_model as f64;
        let ffn_active = match a.moe {
            Some(m) => m.expert_ffn as f64 * (m.top_k + m.shared_experts) as f64,
            None => a.ffn as f64,
        }
        .max(a.ffn as f64);
        let qkv = (a.heads as f64 + 2.0 * a.kv_heads as f64) * a.head_dim as f64;
        let gate = if a.gated_ffn { 2.0 } else { 1.0 };
        ModelShape {
            total_params: p.total,
            active_params: p.active,
            input_embedding_params: p.input_embedding,
            output_params: a.vocab as f64 * d,
            tied: a.tied_embeddings,
            layers: a.layers,
            d_model: d,
            heads: a.heads,
            kv_heads: a.kv_heads,
            kv_elements_per_token_per_layer: a.kv_elements_per_token_per_layer(),
            attn_flops_per_position_per_layer: a.attention_flops_per_position_per_layer(),
            window: a.sliding_window.map(|w| (w, a.sliding_window_layers)),
            moe: a.moe.map(|m| MoeShape {
                moe_layers: p.moe_layers,
                experts: m.experts,
                top_k: m.top_k,
                expert_params: p.expert,
            }),
            max_context: (a.max_context > 0).then_some(a.max_context),
            activation_width: 2.0 * d + qkv.max(gate * ffn_active),
            vocab: a.vocab as f64,
        }
    }

    /// A model known only by its sizes (the CLI's `--params … --head-dim`): embeddings and the
    /// vocabulary unknown (taken as 0), FFN width assumed 4·d for the activation estimate, and
    /// for MoE (`active < total`) every weight read on every decode step (no expert structure).
    pub fn from_sizes(
        params: f64,
        active_params: Option<f64>,
        layers: u32,
        d_model: u64,
        heads: u32,
        kv_heads: u32,
        head_dim: u64,
    ) -> Result<Self, InferenceError> {
        if !(params.is_finite() && params > 0.0) {
            return Err(InferenceError::Range {
                field: "params",
                value: params,
                rule: "must be a finite number greater than 0",
            });
        }
        let active = active_params.unwrap_or(params);
        if !(active.is_finite() && active > 0.0 && active <= params) {
            return Err(InferenceError::Range {
                field: "active-params",
                value: active,
                rule: "must be in (0, params]",
            });
        }
        let arch = Architecture {
            layers,
            d_model,
            heads,
            kv_heads,
            head_dim,
            ffn: 4 * d_model,
            vocab: 1,
            gated_ffn: false,
            tied_embeddings: true,
            qkv_bias: false,
            linear_bias: false,
            learned_positions: 0,
            moe: None,
            mla: None,
            sliding_window: None,
            sliding_window_layers: 0,
            max_context: 0,
        };
        arch.validate()?;
        let mut s = ModelShape::from_arch(&arch);
        s.total_params = params;
        s.active_params = active;
        s.input_embedding_params = 0.0;
        s.output_params = 0.0;
        s.tied = false;
        s.vocab = 0.0;
        Ok(s)
    }

    /// Parameters multiplied per token (active, minus the input lookup, plus the output
    /// projection when it is the tied embedding).
    pub fn matmul_params(&self) -> f64 {
        self.active_params - self.input_embedding_params
            + if self.tied { self.output_params } else { 0.0 }
    }

    /// Parameters read on every step regardless of routing (all but routed experts and the input
    /// lookup table).
    fn dense_read_params(&self) -> f64 {
        let routed = self
            .moe
            .map(|m| m.moe_layers as f64 * m.experts as f64 * m.expert_params)
            .unwrap_or(0.0);
        self.total_params - self.input_embedding_params - routed
            + if self.tied { self.output_params } else { 0.0 }
    }

    /// Weight parameters read when `tokens` tokens pass through the model at once.
    ///
    /// # Formula
    /// `N_read = N_dense + L_moe · E·(1 − (1 − k/E)^T) · N_expert`: with uniform routing each of the
    /// `E` experts is missed by one token with probability `1 − k/E`, so `E·(1 − (1 − k/E)^T)` distinct
    /// experts are expected per layer for `T` tokens. Symbols: `L_moe` MoE layers, `E` experts,
    /// `k` top-k, `N_expert` parameters of one expert. Departure: real routers are not uniform, so
    /// this is an upper bound on distinct experts at small `T`.
    pub fn read_params(&self, tokens: f64) -> f64 {
        let routed = match self.moe {
            Some(m) => {
                let e = m.experts as f64;
                let k = m.top_k as f64;
                let distinct = e * (1.0 - (1.0 - k / e).powf(tokens.max(0.0)));
                m.moe_layers as f64 * distinct * m.expert_params
            }
            None => 0.0,
        };
        self.dense_read_params() + routed
    }

    /// KV-cache elements of one sequence holding `context` tokens, summed over layers with the
    /// sliding-window cap.
    ///
    /// # Formula
    /// `Σ_layers e_kv · min(context, w_layer)`; `e_kv` elements per token per layer, `w_layer` the
    /// window of a windowed layer (∞ otherwise).
    pub fn kv_elements(&self, context: f64) -> f64 {
        self.sum_over_layers(context, self.kv_elements_per_token_per_layer)
    }

    fn sum_over_layers(&self, context: f64, per_layer: f64) -> f64 {
        let (windowed, w) = match self.window {
            Some((w, n)) => (n.min(self.layers) as f64, w as f64),
            None => (0.0, f64::INFINITY),
        };
        let full = self.layers as f64 - windowed;
        per_layer * (full * context + windowed * context.min(w))
    }

    /// Attention FLOPs of one token attending to `context` cached positions, all layers.
    pub fn attention_flops(&self, context: f64) -> f64 {
        self.sum_over_layers(context, self.attn_flops_per_position_per_layer)
    }

    /// Attention FLOPs of a causal prefill of `n` tokens (token `t` attends to `t` positions, capped
    /// by the window), one sequence.
    ///
    /// # Formula
    /// `Σ_{t=1..n} f·min(t, w)` = `f·n(n+1)/2` for `n ≤ w`, else `f·(w(w+1)/2 + (n − w)·w)`, per layer;
    /// `f` attention FLOPs per position. (Kaplan et al. 2020's `2·n_layer·n_ctx·d_attn` per token is
    /// this sum's mean with `f = 4·d_attn`.)
    pub fn prefill_attention_flops(&self, n: f64) -> f64 {
        let tri = |n: f64, w: f64| {
            if n <= w {
                n * (n + 1.0) / 2.0
            } else {
                w * (w + 1.0) / 2.0 + (n - w) * w
            }
        };
        let (windowed, w) = match self.window {
            Some((w, k)) => (k.min(self.layers) as f64, w as f64),
            None => (0.0, f64::INFINITY),
        };
        let full = self.layers as f64 - windowed;
        self.attn_flops_per_position_per_layer
            * (full * tri(n, f64::INFINITY) + windowed * tri(n, w))
    }
}

/// A serving workload: what runs where, at which batch and precision.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Workload {
    pub shape: ModelShape,
    pub gpu: Gpu,
    /// Tensor-parallel GPUs serving one model replica.
    pub gpus: u32,
    /// Concurrent sequences (static batch).
    pub batch: u32,
    pub input_tokens: u32,
    pub output_tokens: u32,
    pub weight_bits: u32,
    pub kv_bits: u32,
    pub compute: Precision,
    /// Speculative decoding: drafted tokens per step; 0 = off.
    pub spec_k: u32,
    /// Speculative decoding: per-token acceptance rate, [0, 1).
    pub spec_alpha: f64,
}

impl Workload {
    /// Checks every input's rule.
    pub fn validate(&self) -> Result<(), InferenceError> {
        for (field, v) in [
            ("batch", self.batch),
            ("gpus", self.gpus),
            ("input_tokens", self.input_tokens),
            ("output_tokens", self.output_tokens),
        ] {
            if v == 0 {
                return Err(InferenceError::Zero(field));
            }
        }
        for (field, value) in [("weight_bits", self.weight_bits), ("kv_bits", self.kv_bits)] {
            if !VALID_BITS.contains(&value) {
                return Err(InferenceError::Bits { field, value });
            }
        }
        if !(self.spec_alpha.is_finite() && (0.0..1.0).contains(&self.spec_alpha)) {
            return Err(InferenceError::SpecAlpha(self.spec_alpha));
        }
        Ok(())
    }

    /// Peak FLOP/s per GPU at the compute precision, and whether it fell back to BF16.
    pub fn peak_flop_per_s(&self) -> (f64, bool) {
        let g = &self.gpu;
        match self.compute {
            Precision::Bf16 | Precision::Fp16 => (g.peak_bf16_flop_per_s, false),
            Precision::Fp8 => g
                .peak_fp8_flop_per_s
                .map_or((g.peak_bf16_flop_per_s, true), |p| (p, false)),
            Precision::Int8 => g
                .peak_int8_op_per_s
                .map_or((g.peak_bf16_flop_per_s, true), |p| (p, false)),
        }
    }

    fn weight_bytes_per_param(&self) -> f64 {
        self.weight_bits as f64 / 8.0
    }

    fn kv_bytes_per_element(&self) -> f64 {
        self.kv_bits as f64 / 8.0
    }

    /// Expected tokens each sequence gains per target-model step.
    ///
    /// # Formula
    /// `τ = (1 − α^(k+1)) / (1 − α)` (Leviathan et al. 2023, eq. 1); `k` drafted tokens, `α`
    /// acceptance rate; `τ = 1` without speculation.
    ///
    /// ```
    /// # use scalecalc_model::inference::tokens_per_step;
    /// assert_eq!(tokens_per_step(0, 0.7), 1.0);
    /// assert!((tokens_per_step(4, 0.5) - 1.9375).abs() < 1e-12);
    /// ```
    pub fn tokens_per_step(&self) -> f64 {
        tokens_per_step(self.spec_k, self.spec_alpha)
    }
}

/// See [`Workload::tokens_per_step`].
pub fn tokens_per_step(k: u32, alpha: f64) -> f64 {
    if k == 0 || alpha <= 0.0 {
        return 1.0;
    }
    (1.0 - alpha.powi(k as i32 + 1)) / (1.0 - alpha)
}

/// One forward pass on the roofline: work, bytes, time and which roof binds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Pass {
    /// FLOPs of the pass, all GPUs.
    pub flops: f64,
    /// Bytes read or written from device memory, all GPUs.
    pub bytes: f64,
    /// Communication time (tensor-parallel all-reduces, expert-parallel all-to-alls, pipeline
    /// hand-offs), s.
    pub comm_seconds: f64,
    /// Wall time, s (roofline + communication + fixed overhead).
    pub seconds: f64,
    pub compute_bound: bool,
}

impl Pass {
    /// FLOPs per byte.
    pub fn arithmetic_intensity(&self) -> f64 {
        self.flops / self.bytes
    }
    /// FLOP/s per GPU actually reached on the roofline part of the pass.
    pub fn attained_flop_per_s_per_gpu(&self, gpus: u32, overhead: f64) -> f64 {
        self.flops / gpus as f64 / (self.seconds - self.comm_seconds - overhead).max(1e-30)
    }
}

/// Everything computed for a workload.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Analysis {
    /// Weights in memory, all experts, bytes (all GPUs).
    pub weights_bytes: f64,
    /// KV cache per token of context, all layers, bytes (uncapped by any window).
    pub kv_cache_bytes_per_token: f64,
    /// KV cache of the whole batch at the final context, bytes (all GPUs, window-capped).
    pub kv_cache_bytes: f64,
    /// Prefill activations and workspace (estimate), bytes (all GPUs).
    pub activation_bytes: f64,
    /// Weights + KV + activations per GPU, bytes.
    pub memory_per_gpu_bytes: f64,
    /// Device memory per GPU, bytes.
    pub device_memory_bytes: f64,
    pub fits: bool,
    /// The largest batch that fits at this context (0 when even the weights do not fit).
    pub max_batch: u64,
    pub prefill: Pass,
    /// The decode step at the mean context of the generation.
    pub decode_mid: Pass,
    /// Time to first token (prefill of the whole batch), s.
    pub ttft_seconds: f64,
    /// Decode time of all output tokens after the first, s.
    pub decode_seconds: f64,
    /// Mean decode time per output token of one sequence, s.
    pub seconds_per_output_token: f64,
    /// Output tokens/s of one sequence while decoding.
    pub tokens_per_second_per_sequence: f64,
    /// Output tokens/s of the whole batch over the whole run (prefill included), all GPUs.
    pub output_tokens_per_second: f64,
    /// Output tokens/s per GPU over the whole run (TensorRT-LLM's "out tok/s/GPU").
    pub output_tokens_per_second_per_gpu: f64,
    /// End-to-end latency of one request: TTFT + decode, s.
    pub end_to_end_seconds: f64,
    /// Expected tokens per target step (speculative decoding; 1 without).
    pub tokens_per_step: f64,
    /// Peak FLOP/s per GPU at the compute precision used.
    pub peak_flop_per_s: f64,
    /// The precision has no peak on this device: BF16 peak used instead.
    pub precision_fallback: bool,
    /// GPUs serving one replica: tensor-parallel × pipeline stages.
    pub gpus_total: u32,
    /// Copies of each KV head across the tensor-parallel GPUs ([`kv_replication`]).
    pub kv_replication: f64,
    /// Communication time of the whole run (prefill + every decode step), s.
    pub comm_seconds: f64,
    /// Share of the prefill (TTFT) spent communicating, [0, 1].
    pub prefill_comm_share: f64,
    /// Share of the decode time spent communicating, [0, 1].
    pub decode_comm_share: f64,
}

/// Analyses a workload with the given calibration (tensor parallelism only; see
/// [`analyze_layout`] for pipeline and expert parallelism).
pub fn analyze(w: &Workload, cal: &Calibration) -> Result<Analysis, InferenceError> {
    analyze_layout(w, &Layout::default(), cal)
}

/// Analyses a workload served on `w.gpus` tensor-parallel GPUs × `layout.pipeline` stages.
///
/// # Pipeline parallelism
/// The batch is split into `m = min(B, PP)` micro-batches that follow one another through the
/// stages. A stage runs `1/PP` of the layers, so with `T(b)` the time of a whole-model pass of
/// micro-batch `b = B/m` on one tensor-parallel group:
/// - decode step (every sequence gains a token): `T(b) + hand-offs` — each stage serves the `m`
///   micro-batches in turn, and one micro-batch's round trip crosses all `PP` stages;
/// - prefill: `(m + PP − 1)/PP · T(b) + hand-offs` (the pipeline fills, then drains).
pub fn analyze_layout(
    w: &Workload,
    layout: &Layout,
    cal: &Calibration,
) -> Result<Analysis, InferenceError> {
    w.validate()?;
    if layout.pipeline == 0 {
        return Err(InferenceError::Zero("pipeline"));
    }
    let s = &w.shape;
    let tp = w.gpus as f64;
    let pp = layout.pipeline as f64;
    let gpus_total = tp * pp;
    let b = w.batch as f64;
    let i = w.input_tokens as f64;
    let o = w.output_tokens as f64;
    let bpp = w.weight_bytes_per_param();
    let kvb = w.kv_bytes_per_element();
    let (peak, fallback) = w.peak_flop_per_s();
    let bw = cal.bandwidth_fraction * w.gpu.bandwidth_bytes_per_s * tp;
    let compute = compute_fraction(w, cal, fallback) * peak * tp;

    // Memory. With more tensor-parallel GPUs than KV heads each KV head is replicated on
    // `tp / H_kv` GPUs: the cache takes `tp / H_kv` times its size in all.
    let kv_replication = kv_replication(s, w.gpus);
    let weights_bytes = s.total_params * bpp;
    let kv_cache_bytes_per_token = s.layers as f64 * s.kv_elements_per_token_per_layer * kvb;
    let kv_per_seq = s.kv_elements(i + o) * kvb;
    let kv_cache_bytes = b * kv_per_seq;
    let act_per_seq = activation_bytes_per_sequence(s, i);
    let activation_bytes = b * act_per_seq;
    let memory_per_gpu_bytes =
        (weights_bytes + kv_replication * kv_cache_bytes + activation_bytes) / gpus_total;
    let device = w.gpu.memory_bytes;
    let free = device * gpus_total - weights_bytes;
    let max_batch = if free <= 0.0 {
        0
    } else {
        (free / (kv_replication * kv_per_seq + act_per_seq)).floor() as u64
    };

    // Communication, α–β (module `parallel`): tensor-parallel all-reduces, expert-parallel
    // all-to-alls, pipeline hand-offs.
    // The tensor-parallel group's link (NVLink within a node, the NIC beyond it) and the pipeline
    // hand-offs' (the NIC once the replica spans more than a node).
    let link = parallel::group_link(&w.gpu, cal, w.gpus);
    let stage_link = parallel::group_link(&w.gpu, cal, w.gpus * layout.pipeline);
    let ep_layers = match (layout.expert_parallel, s.moe) {
        (true, Some(m)) => m.moe_layers,
        _ => 0,
    };
    let comm = |tokens: f64| -> f64 {
        parallel::tensor_parallel_seconds(s.layers, ep_layers, s.d_model, tokens, w.gpus, link)
            + if ep_layers > 0 {
                parallel::expert_parallel_seconds(s, tokens, w.gpus, link)
            } else {
                0.0
            }
    };
    let pass = |flops: f64, bytes: f64, comm_s: f64, overhead: f64| -> Pass {
        let (tm, tc) = (bytes / bw, flops / compute);
        Pass {
            flops,
            bytes,
            comm_seconds: comm_s,
            seconds: tm.max(tc) + comm_s + overhead,
            compute_bound: tc > tm,
        }
    };
    // Micro-batches in flight (1 without a pipeline) and the scaling of a whole-model pass of one
    // micro-batch into the wall time of the batch's pass.
    let m = b.min(pp);
    let mb = b / m;
    let scale = |p: Pass, fill: f64, tokens: f64| -> Pass {
        let hand = parallel::pipeline_seconds(s.d_model, tokens, layout.pipeline, stage_link);
        let run = p.seconds * fill;
        Pass {
            flops: p.flops * m,
            bytes: p.bytes * m,
            comm_seconds: p.comm_seconds * fill + hand,
            seconds: run + hand,
            compute_bound: p.compute_bound,
        }
    };

    // Prefill: every prompt token through every matmul; logits only for the last token.
    let prefill_tokens = mb * i;
    let prefill_flops = 2.0 * (s.matmul_params() - s.output_params) * prefill_tokens
        + 2.0 * s.output_params * mb
        + mb * s.prefill_attention_flops(i);
    let prefill_bytes = s.read_params(prefill_tokens) * bpp + mb * s.kv_elements(i) * kvb;
    let prefill = scale(
        pass(
            prefill_flops,
            prefill_bytes,
            comm(prefill_tokens),
            cal.prefill_overhead_s,
        ),
        (m + pp - 1.0) / pp,
        prefill_tokens,
    );
    let ttft_seconds = prefill.seconds;

    // Decode: the first output token comes from the prefill; the remaining o − 1 tokens take
    // (o − 1)/τ target steps, each verifying q = k + 1 tokens per sequence.
    let tau = w.tokens_per_step();
    let kv_reads = decode_kv_reads(s, &w.gpu, cal);
    let q = if w.spec_k > 0 {
        w.spec_k as f64 + 1.0
    } else {
        1.0
    };
    let step = |context: f64| -> Pass {
        let tokens = mb * q;
        let flops = 2.0 * s.matmul_params() * tokens + tokens * s.attention_flops(context);
        let bytes = s.read_params(tokens) * bpp + mb * s.kv_elements(context) * kvb * kv_reads;
        scale(
            pass(flops, bytes, comm(tokens), cal.decode_step_overhead_s),
            1.0,
            tokens,
        )
    };
    let steps = (o - 1.0) / tau;
    let (decode_seconds, decode_comm_seconds) = if steps <= 0.0 {
        (0.0, 0.0)
    } else {
        // Step j reads a cache of i + j·τ tokens. Evaluate every step up to MAX_SAMPLES, else a
        // midpoint sample of the steps scaled up (step time is piecewise linear in the context).
        const MAX_SAMPLES: usize = 1024;
        let n = steps.ceil() as usize;
        let samples = n.min(MAX_SAMPLES);
        let width = steps / samples as f64;
        (0..samples)
            .map(|j| step(i + (j as f64 + 0.5) * width * tau))
            .fold((0.0, 0.0), |(t, c), p| {
                (t + p.seconds * width, c + p.comm_seconds * width)
            })
    };
    let decode_mid = step(i + o / 2.0);
    let seconds_per_output_token = if o > 1.0 {
        decode_seconds / (o - 1.0)
    } else {
        step(i + 1.0).seconds / tau
    };
    let share = |c: f64, t: f64| if t > 0.0 { c / t } else { 0.0 };
    let decode_comm_share = if steps > 0.0 {
        share(decode_comm_seconds, decode_seconds)
    } else {
        share(decode_mid.comm_seconds, decode_mid.seconds)
    };
    let total = ttft_seconds + decode_seconds;
    let output_tokens_per_second = b * o / total;
    Ok(Analysis {
        weights_bytes,
        kv_cache_bytes_per_token,
        kv_cache_bytes,
        activation_bytes,
        memory_per_gpu_bytes,
        device_memory_bytes: device,
        fits: memory_per_gpu_bytes <= device,
        max_batch,
        prefill,
        decode_mid,
        ttft_seconds,
        decode_seconds,
        seconds_per_output_token,
        tokens_per_second_per_sequence: 1.0 / seconds_per_output_token,
        output_tokens_per_second,
        output_tokens_per_second_per_gpu: output_tokens_per_second / gpus_total,
        end_to_end_seconds: total,
        tokens_per_step: tau,
        peak_flop_per_s: peak,
        precision_fallback: fallback,
        gpus_total: gpus_total as u32,
        kv_replication,
        comm_seconds: prefill.comm_seconds + decode_comm_seconds,
        prefill_comm_share: share(prefill.comm_seconds, prefill.seconds),
        decode_comm_share,
    })
}

/// The achieved fraction of the peak at the workload's compute precision: FP8 matmuls on a device
/// with an FP8 peak use [`Calibration::fp8_compute_fraction`], everything else
/// [`Calibration::compute_fraction`].
pub fn compute_fraction(w: &Workload, cal: &Calibration, fallback: bool) -> f64 {
    if w.compute == Precision::Fp8 && !fallback {
        cal.fp8_compute_fraction
    } else {
        cal.compute_fraction
    }
}

/// How many times, in HBM-equivalent bytes, the decode attention reads each cached K/V element:
/// `1 + r·λ·(g − 1)`, `g = H / H_kv` query heads per KV head, `r`
/// [`Calibration::kv_reread_fraction`], `λ` [`kv_reread_l2_scale`] of the device.
pub fn decode_kv_reads(s: &ModelShape, gpu: &Gpu, cal: &Calibration) -> f64 {
    if s.kv_heads == 0 || s.kv_heads >= s.heads {
        return 1.0;
    }
    let g = s.heads as f64 / s.kv_heads as f64;
    1.0 + cal.kv_reread_fraction * kv_reread_l2_scale(gpu) * (g - 1.0)
}

/// The device on which `r` ([`Calibration::kv_reread_fraction`]) was fitted: the A100 SXM4 80GB
/// of TensorRT-LLM's v0.6.1 table.
pub const KV_REREAD_FIT_GPU: &str = "a100-80gb";

/// The cost of the repeated K/V loads on this device relative to the device `r` was fitted on:
/// `λ = (BW / BW_L2) / (BW_fit / BW_L2,fit)`.
///
/// The repeated loads of a KV head by the `g` query heads of its group hit in the L2 cache (the
/// first load brought the head in), so they take time `(g − 1)·KV / (η·BW_L2)` at a fixed fraction
/// `η` of the L2 read bandwidth. The model counts time in bytes at the achieved HBM bandwidth
/// (`η_bw·BW`), so in HBM-equivalent bytes the re-reads cost `r·λ·(g − 1)·KV` with `r` fitted on the
/// A100 (`λ = 1` there). The H100 SXM's HBM is 1.64× the A100's but its L2 only 1.24×
/// ([`hardware::l2_bandwidth_bytes_per_s`]), so there `λ = 1.32`. Devices without a sourced L2
/// figure keep `λ = 1` (the A100's ratio is assumed).
///
/// ```
/// # use scalecalc_model::{hardware::gpu, inference::kv_reread_l2_scale};
/// assert_eq!(kv_reread_l2_scale(gpu("a100-80gb").unwrap()), 1.0);
/// let h = kv_reread_l2_scale(gpu("h100-sxm").unwrap());
/// assert!((h - 1.32).abs() < 0.01);
/// assert_eq!(kv_reread_l2_scale(gpu("mi300x").unwrap()), 1.0);
/// ```
pub fn kv_reread_l2_scale(gpu: &Gpu) -> f64 {
    let fit = hardware::gpu(KV_REREAD_FIT_GPU);
    match (
        hardware::l2_bandwidth_bytes_per_s(gpu.id),
        fit.and_then(|f| hardware::l2_bandwidth_bytes_per_s(f.id).map(|l2| (f, l2))),
    ) {
        (Some(l2), Some((f, l2_fit))) => {
            (gpu.bandwidth_bytes_per_s / l2) / (f.bandwidth_bytes_per_s / l2_fit)
        }
        _ => 1.0,
    }
}

/// How many copies of each KV head the tensor-parallel GPUs hold: `max(1, TP / H_kv)` (a GPU needs
/// the K/V of the query heads it owns; with fewer KV heads than GPUs each one is replicated).
///
/// ```
/// # use scalecalc_model::inference::{kv_replication, ModelShape};
/// # use scalecalc_model::architecture::preset;
/// let s = ModelShape::from_arch(&preset("llama-2-70b").unwrap().arch); // 8 KV heads
/// assert_eq!(kv_replication(&s, 4), 1.0);
/// assert_eq!(kv_replication(&s, 16), 2.0);
/// ```
pub fn kv_replication(s: &ModelShape, tp: u32) -> f64 {
    if s.kv_heads == 0 || tp <= s.kv_heads {
        1.0
    } else {
        tp as f64 / s.kv_heads as f64
    }
}

/// Prefill activations and workspace of one sequence, bytes (an estimate: engines size this at
/// start-up by profiling).
///
/// # Formula
/// `I · w_act · 2 + V · 4`: one layer's live 16-bit transients for the whole prompt — the residual
/// stream and its normalised copy (`2·d`) plus the larger of the Q/K/V projections and the FFN
/// intermediate (gated: 2 × width), `w_act` elements per token — plus FP32 logits of the last token.
pub fn activation_bytes_per_sequence(s: &ModelShape, input_tokens: f64) -> f64 {
    input_tokens * s.activation_width * ACTIVATION_BYTES + s.vocab * 4.0
}

/// Money and energy for a workload's run.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Economics {
    /// USD per million input tokens (prefill time).
    pub cost_per_million_input_tokens_usd: f64,
    /// USD per million output tokens (decode time).
    pub cost_per_million_output_tokens_usd: f64,
    /// USD per million tokens, input and output together (whole run).
    pub cost_per_million_tokens_usd: f64,
    /// Serving `lifetime_tokens` tokens at this mix, USD.
    pub lifetime_cost_usd: f64,
    /// kWh per million tokens (input and output) at rated board power; None without a power figure.
    pub energy_kwh_per_million_tokens: Option<f64>,
}

/// Prices a run.
///
/// # Formula
/// `$/M in = T_prefill · p · G / 3600 / (B·I) / u · 10⁶`, `$/M out = T_decode · p · G / 3600 /
/// (B·O) / u · 10⁶`; energy `= P · G · (T_prefill + T_decode) / (B·(I+O))`. Symbols: `p` USD per
/// GPU-hour, `G` GPUs of the replica (tensor-parallel × pipeline stages), `u` average utilisation
/// (idle capacity is paid for), `P` board power (W).
pub fn economics(
    w: &Workload,
    a: &Analysis,
    price_per_gpu_hour: f64,
    utilisation: f64,
    lifetime_tokens: f64,
) -> Economics {
    let g = a.gpus_total.max(w.gpus) as f64;
    let usd_per_s = price_per_gpu_hour * g / 3600.0 / utilisation;
    let (b, i, o) = (
        w.batch as f64,
        w.input_tokens as f64,
        w.output_tokens as f64,
    );
    let per_token_all = a.end_to_end_seconds * usd_per_s / (b * (i + o));
    Economics {
        cost_per_million_input_tokens_usd: a.ttft_seconds * usd_per_s / (b * i) * 1e6,
        cost_per_million_output_tokens_usd: a.decode_seconds * usd_per_s / (b * o) * 1e6,
        cost_per_million_tokens_usd: per_token_all * 1e6,
        lifetime_cost_usd: per_token_all * lifetime_tokens,
        energy_kwh_per_million_tokens: w
            .gpu
            .power_watts
            .map(|p| p * g * a.end_to_end_seconds / (b * (i + o)) * 1e6 / 3.6e6),
    }
}

/// USD per generated token of a dense model of `params` parameters decoding at `batch` on one
/// `gpu` — the inference term of the inference-aware optimum (scaling-law section).
///
/// # Formula
/// `c = p / 3600 / u · t_step / B`, `t_step = max(N·β / (η_bw·BW), 2·N·B / (η_c·F)) + t_o`.
/// Symbols: `N` parameters, `β` bytes per weight, `B` batch, `BW` bandwidth (B/s), `F` dense BF16
/// peak (FLOP/s), `η` the calibrated fractions, `t_o` the per-step overhead (s), `p` USD per
/// GPU-hour, `u` utilisation. The KV cache is left out (short contexts): a lower bound.
/// Returns `None` for non-positive or non-finite inputs.
///
/// ```
/// # use scalecalc_model::inference::{decode_cost_per_token_usd, CALIBRATION};
/// # use scalecalc_model::hardware::gpu;
/// let c = decode_cost_per_token_usd(7e9, gpu("h100-sxm").unwrap(), 2.0, 64.0, 2.0, 1.0, &CALIBRATION).unwrap();
/// assert!(c > 0.0 && c < 1e-6);
/// ```
pub fn decode_cost_per_token_usd(
    params: f64,
    gpu: &Gpu,
    bytes_per_param: f64,
    batch: f64,
    price_per_gpu_hour: f64,
    utilisation: f64,
    cal: &Calibration,
) -> Option<f64> {
    let ok = |x: f64| x.is_finite() && x > 0.0;
    if !(ok(params)
        && ok(bytes_per_param)
        && ok(batch)
        && ok(price_per_gpu_hour)
        && ok(utilisation))
    {
        return None;
    }
    let tm = params * bytes_per_param / (cal.bandwidth_fraction * gpu.bandwidth_bytes_per_s);
    let tc = 2.0 * params * batch / (cal.compute_fraction * gpu.peak_bf16_flop_per_s);
    let step = tm.max(tc) + cal.decode_step_overhead_s;
    Some(price_per_gpu_hour / 3600.0 / utilisation * step / batch)
}

/// The model served: a value the caller gives, never a link's string.
#[derive(Debug, Clone, PartialEq)]
pub enum ServedModel {
    /// A preset, by id; an unknown id falls back to the default preset, with a note.
    Preset(String),
    /// A pasted Hugging Face `config.json`, parsed when evaluated.
    Pasted(String),
    /// An architecture estimated by the caller (the plan's model of `N*` parameters): its head
    /// count is an estimate, so the layout rule ([`check_layout`]) is not applied.
    Estimated(Architecture),
}

/// The inference section's inputs: exactly what [`evaluate`] uses.
#[derive(Debug, Clone, PartialEq)]
pub struct ServingInput {
    pub model: ServedModel,
    /// Hardware preset id.
    pub gpu: String,
    /// Tensor-parallel GPUs.
    pub gpus: u32,
    /// Concurrent sequences `B`.
    pub batch: u32,
    /// Prompt tokens per sequence `I`.
    pub input_tokens: u32,
    /// Output tokens per sequence `O`.
    pub output_tokens: u32,
    pub weight_bits: u32,
    pub kv_bits: u32,
    pub compute: Precision,
    /// Speculative decoding: drafted tokens per step; 0 = off.
    pub spec_k: u32,
    /// Speculative decoding acceptance rate.
    pub spec_alpha: f64,
    /// USD per GPU-hour.
    pub price_per_gpu_hour: f64,
    /// Average fleet utilisation, (0, 1].
    pub utilisation: f64,
    /// Lifetime tokens served, for the lifetime cost.
    pub inference_tokens: f64,
}

impl Default for ServingInput {
    fn default() -> Self {
        crate::scenario::Scenario::default().serving()
    }
}

/// Something the inference section tells the reader: typed, with its data; each shell words it
/// (`Display` is the CLI's English).
#[derive(Debug, Clone, PartialEq)]
pub enum InferenceNote {
    /// The model id is no preset; `used` is served instead.
    UnknownModel { asked: String, used: String },
    /// The hardware id is no preset; `used` instead.
    UnknownGpu { asked: String, used: String },
    /// The workload cannot be evaluated (a bad input, an unusable config, a layout that cannot run).
    Unusable(InferenceError),
    /// Input + output exceed the model's trained context.
    Context { tokens: u64, max: u64 },
    /// The GPU has no peak at the compute precision; its BF16 peak is used.
    PrecisionFallback {
        gpu: &'static str,
        compute: Precision,
    },
    /// The model and its KV cache do not fit.
    DoesNotFit {
        need_bytes: f64,
        have_bytes: f64,
        max_batch: u64,
    },
    /// Several GPUs but no interconnect figure: communication ignored.
    NoInterconnect,
    /// More GPUs than KV heads: each KV head is replicated on `gpus / kv_heads` GPUs (counted in
    /// the KV memory per GPU).
    KvReplicated { kv_heads: u32, gpus: u32 },
    /// Speculative decoding: the draft model's own cost is not included.
    DraftCostExcluded,
    /// Price or utilisation out of range: no costs.
    NoEconomics { price: f64, utilisation: f64 },
}

impl fmt::Display for InferenceNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InferenceNote::UnknownModel { asked, used } => write!(
                f,
                "model '{asked}' is not a preset ({}); using {used}",
                architecture::preset_ids().join(", ")
            ),
            InferenceNote::UnknownGpu { asked, used } => write!(
                f,
                "hardware '{asked}' is not a preset ({}); using {used}",
                hardware::gpu_ids().join(", ")
            ),
            InferenceNote::Unusable(e) => write!(f, "{e}"),
            InferenceNote::Context { tokens, max } => write!(
                f,
                "context {tokens} tokens (input + output) exceeds the model's trained maximum of {max}; quality is not guaranteed"
            ),
            InferenceNote::PrecisionFallback { gpu, compute } => {
                write!(f, "{gpu} has no {} peak; using its BF16 peak", compute.as_str())
            }
            InferenceNote::DoesNotFit {
                need_bytes,
                have_bytes,
                max_batch,
            } => write!(
                f,
                "does not fit: {} GiB per GPU needed, {} GiB available (largest batch that fits: {max_batch})",
                sig(need_bytes / crate::num::GIB, 3),
                sig(have_bytes / crate::num::GIB, 3),
            ),
            InferenceNote::NoInterconnect => f.write_str(
                "no interconnect figure for this device: tensor-parallel communication ignored",
            ),
            InferenceNote::KvReplicated { kv_heads, gpus } => write!(
                f,
                "{kv_heads} KV heads for {gpus} GPUs: each KV head is replicated on {} GPUs, and the KV memory per GPU counts the copies", gpus.div_ceil(*kv_heads)
            ),
            InferenceNote::DraftCostExcluded => {
                f.write_str("speculative decoding: the draft model's own cost is not included")
            }
            InferenceNote::NoEconomics { price, utilisation } => write!(
                f,
                "price {price} USD/GPU-hour or utilisation {utilisation} out of range (price ≥ 0, utilisation in (0, 1]): costs not computed"
            ),
        }
    }
}

impl Serialize for InferenceNote {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

crate::hows! {
    /// The inference section's explained numbers.
    InferenceHow {
        weights_bytes: InferenceWeightsBytes,
        kv_cache_bytes_per_token: InferenceKvCacheBytesPerToken,
        kv_cache_bytes: InferenceKvCacheBytes,
        activation_bytes: InferenceActivationBytes,
        memory_per_gpu_bytes: InferenceMemoryPerGpuBytes,
        max_batch: InferenceMaxBatch,
        ttft_seconds: InferenceTtftSeconds,
        seconds_per_output_token: InferenceSecondsPerOutputToken,
        tokens_per_second_per_sequence: InferenceTokensPerSecondPerSequence,
        output_tokens_per_second: InferenceOutputTokensPerSecond,
        end_to_end_seconds: InferenceEndToEndSeconds,
        tokens_per_step: InferenceTokensPerStep,
        cost_per_million_input_tokens_usd: InferenceCostPerMillionInputTokensUsd,
        cost_per_million_output_tokens_usd: InferenceCostPerMillionOutputTokensUsd,
        lifetime_cost_usd: InferenceLifetimeCostUsd,
        energy_kwh_per_million_tokens: InferenceEnergyKwhPerMillionTokens,
        bandwidth_fraction: InferenceBandwidthFraction,
        compute_fraction: InferenceComputeFraction,
        prefill_overhead_s: InferencePrefillOverheadS,
        /// Share of the time to first token spent communicating between GPUs.
        prefill_comm_share: InferencePrefillCommShare,
        /// Share of the decode time spent communicating between GPUs.
        decode_comm_share: InferenceDecodeCommShare,
        /// Communication time of the whole run, s.
        comm_seconds: InferenceCommSeconds,
        collective_latency_s: InferenceCollectiveLatencyS,
        kv_reread_fraction: InferenceKvRereadFraction,
        fp8_compute_fraction: InferenceFp8ComputeFraction,
    }
}

/// What the page and `scalecalc scenario` show for the inference section.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InferenceResult {
    /// Model id used (`custom` for a pasted config, `estimated` for the caller's architecture).
    pub model: String,
    pub gpu: String,
    /// None when the workload is invalid (see `notes`).
    pub analysis: Option<Analysis>,
    pub economics: Option<Economics>,
    // The calibration and validation tables do not depend on the inputs: the page and the CLI
    // call [`calibration_table`] and [`validation_table`] themselves (kept out of the plan's
    // evaluation, which is in the page's first download).
    pub explained: Vec<Explained>,
    pub notes: Vec<InferenceNote>,
}

impl InferenceResult {
    /// Each number's explanation, as a field.
    pub fn how(&self) -> InferenceHow {
        InferenceHow::from_list(&self.explained)
    }
}

/// The model id an [`InferenceResult`] gives for [`ServedModel::Estimated`]: `custom`, as for any
/// model that is no preset (the JSON of `scalecalc scenario` has always said so for the plan's).
pub const ESTIMATED_MODEL: &str = "custom";

/// The workload the inputs describe (the model resolved, the hardware looked up), with notes for
/// unknown ids that fell back to defaults, the model id and the GPU id used.
pub fn workload(
    s: &ServingInput,
) -> (
    Result<Workload, InferenceError>,
    Vec<InferenceNote>,
    String,
    String,
) {
    let mut notes = Vec::new();
    let default = ServingInput::default();
    let default_model = match &default.model {
        ServedModel::Preset(id) => id.clone(),
        _ => String::new(),
    };
    let (arch, model_id) = match &s.model {
        ServedModel::Pasted(cfg) => (
            Architecture::from_hf_config(cfg).map_err(InferenceError::Arch),
            crate::scenario::ModelChoice::PASTED.to_string(),
        ),
        ServedModel::Estimated(a) => (Ok(a.clone()), ESTIMATED_MODEL.to_string()),
        ServedModel::Preset(id) => match architecture::preset(id) {
            Some(p) => (Ok(p.arch), p.id.to_string()),
            None => {
                notes.push(InferenceNote::UnknownModel {
                    asked: id.clone(),
                    used: default_model.clone(),
                });
                let fallback = architecture::preset(&default_model)
                    .map(|p| p.arch)
                    .ok_or_else(|| InferenceError::UnknownModel(default_model.clone()));
                (fallback, default_model.clone())
            }
        },
    };
    let gpu = match hardware::gpu(&s.gpu) {
        Some(g) => Ok(*g),
        None => {
            notes.push(InferenceNote::UnknownGpu {
                asked: s.gpu.clone(),
                used: default.gpu.clone(),
            });
            hardware::gpu(&default.gpu)
                .copied()
                .ok_or_else(|| InferenceError::UnknownGpu(default.gpu.clone()))
        }
    };
    let gpu_id = gpu.as_ref().map(|g| g.id.to_string()).unwrap_or_default();
    let w = arch.and_then(|a| {
        Ok(Workload {
            shape: ModelShape::from_arch(&a),
            gpu: gpu?,
            gpus: s.gpus,
            batch: s.batch,
            input_tokens: s.input_tokens,
            output_tokens: s.output_tokens,
            weight_bits: s.weight_bits,
            kv_bits: s.kv_bits,
            compute: s.compute,
            spec_k: s.spec_k,
            spec_alpha: s.spec_alpha,
        })
    });
    (w, notes, model_id, gpu_id)
}

/// Notes on a valid workload: context beyond the trained maximum, precision fallback, memory.
pub fn workload_notes(w: &Workload, a: &Analysis) -> Vec<InferenceNote> {
    let mut notes = Vec::new();
    let tokens = w.input_tokens as u64 + w.output_tokens as u64;
    if let Some(max) = w.shape.max_context.filter(|&m| tokens > m) {
        notes.push(InferenceNote::Context { tokens, max });
    }
    if a.precision_fallback {
        notes.push(InferenceNote::PrecisionFallback {
            gpu: w.gpu.name,
            compute: w.compute,
        });
    }
    if !a.fits {
        notes.push(InferenceNote::DoesNotFit {
            need_bytes: a.memory_per_gpu_bytes,
            have_bytes: a.device_memory_bytes,
            max_batch: a.max_batch,
        });
    }
    if w.gpus > 1 && w.gpu.interconnect_bytes_per_s.is_none() {
        notes.push(InferenceNote::NoInterconnect);
    }
    if w.gpus > w.shape.kv_heads && w.shape.kv_heads > 0 {
        notes.push(InferenceNote::KvReplicated {
            kv_heads: w.shape.kv_heads,
            gpus: w.gpus,
        });
    }
    if w.spec_k > 0 {
        notes.push(InferenceNote::DraftCostExcluded);
    }
    notes
}

/// Evaluates the inference section: a known architecture (a preset or a pasted `config.json`) is
/// held to the layouts that run ([`check_layout`]); an estimated one is not.
pub fn evaluate(s: &ServingInput) -> InferenceResult {
    let (w, mut notes, model, gpu) = workload(s);
    let mut out = InferenceResult {
        model,
        gpu,
        analysis: None,
        economics: None,
        explained: Vec::new(),
        notes: Vec::new(),
    };
    let check = !matches!(s.model, ServedModel::Estimated(_));
    let checked = w.and_then(|w| {
        if check {
            check_layout(&w.shape, w.gpus)?;
        }
        Ok(w)
    });
    let w = match checked {
        Ok(w) => w,
        Err(e) => {
            notes.push(InferenceNote::Unusable(e));
            out.notes = notes;
            return out;
        }
    };
    let (price, utilisation) = (s.price_per_gpu_hour, s.utilisation);
    let price_ok = price.is_finite() && price >= 0.0;
    let util_ok = utilisation.is_finite() && utilisation > 0.0 && utilisation <= 1.0;
    match analyze(&w, &CALIBRATION) {
        Ok(a) => {
            notes.extend(workload_notes(&w, &a));
            let econ = if price_ok && util_ok {
                Some(economics(&w, &a, price, utilisation, s.inference_tokens))
            } else {
                notes.push(InferenceNote::NoEconomics { price, utilisation });
                None
            };
            out.explained = explain(&w, &a, econ.as_ref(), s);
            out.analysis = Some(a);
            out.economics = econ;
        }
        Err(e) => notes.push(InferenceNote::Unusable(e)),
    }
    out.notes = notes;
    out
}

/// The communication numbers' explanations: the time and its share of the prefill and of the
/// decode (issue 16, "the communication share of each step").
pub fn explain_comm(w: &Workload, a: &Analysis) -> Vec<Explained> {
    let s = &w.shape;
    let tp = w.gpus;
    let link = parallel::group_link(&w.gpu, &CALIBRATION, w.gpus);
    let (bw, alpha) = link.map_or((0.0, 0.0), |l| (l.bytes_per_s, l.latency_s));
    let per_ar = |tokens: f64| {
        format!(
            "2·{} layers · ({} s + 2·({tp}−1)/{tp} · {} B / {} B/s)",
            s.layers,
            sig(alpha, 3),
            sig(tokens * s.d_model * ACTIVATION_BYTES, 4),
            sig(bw, 4)
        )
    };
    let b = w.batch as f64;
    vec![
        Explained::new(
            Key::InferencePrefillCommShare,
            a.prefill_comm_share,
            "",
            "share = T_comm / TTFT, T_comm = 2·L · [α + 2(p−1)/p · (B·I·d·2) / B_link] (ring all-reduce per layer after attention and after the FFN; B_link = NVLink per direction)",
            format!(
                "{} s / {} s; T_comm = {}",
                sig(a.prefill.comm_seconds, 4),
                sig(a.prefill.seconds, 4),
                per_ar(b * w.input_tokens as f64)
            ),
            parallel::SRC_ALPHA_BETA,
        ),
        Explained::new(
            Key::InferenceDecodeCommShare,
            a.decode_comm_share,
            "",
            "share = Σ_steps T_comm / T_decode, T_comm per step = 2·L · [α + 2(p−1)/p · (B·d·2) / B_link]",
            format!(
                "mid-generation step: {} s of {} s; T_comm = {}",
                sig(a.decode_mid.comm_seconds, 4),
                sig(a.decode_mid.seconds, 4),
                per_ar(b * if w.spec_k > 0 { w.spec_k as f64 + 1.0 } else { 1.0 })
            ),
            parallel::SRC_ALPHA_BETA,
        ),
        Explained::new(
            Key::InferenceCommSeconds,
            a.comm_seconds,
            "s",
            "T_comm = T_comm,prefill + Σ_decode steps T_comm,step",
            format!(
                "{} + {}",
                sig(a.prefill.comm_seconds, 4),
                sig(a.comm_seconds - a.prefill.comm_seconds, 4)
            ),
            parallel::SRC_MEGATRON_TP,
        ),
    ]
}

/// The `Explained` entry for every number of the section.
pub fn explain(
    w: &Workload,
    a: &Analysis,
    e: Option<&Economics>,
    s: &ServingInput,
) -> Vec<Explained> {
    let sh = &w.shape;
    let (b, i, o, tp) = (w.batch, w.input_tokens, w.output_tokens, w.gpus);
    let cal = &CALIBRATION;
    let mut v = vec![
        Explained::new(
            Key::InferenceWeightsBytes,
            a.weights_bytes,
            "B",
            "W = N_total · bits / 8 (all experts)",
            format!("{} · {} / 8", sig(sh.total_params, 4), w.weight_bits),
            DERIVED,
        ),
        Explained::new(
            Key::InferenceKvCacheBytesPerToken,
            a.kv_cache_bytes_per_token,
            "B",
            "kv = L · e_kv · bits / 8, e_kv = 2·H_kv·d_h (MLA: r_kv + d_r)",
            format!(
                "{} · {} · {} / 8",
                sh.layers,
                sig(sh.kv_elements_per_token_per_layer, 4),
                w.kv_bits
            ),
            SRC_KV,
        ),
        Explained::new(
            Key::InferenceKvCacheBytes,
            a.kv_cache_bytes,
            "B",
            "KV = B · Σ_layers e_kv · min(I + O, window) · bits / 8",
            format!("{b} · kv({} tokens)", i as u64 + o as u64),
            SRC_KV,
        ),
        Explained::new(
            Key::InferenceActivationBytes,
            a.activation_bytes,
            "B",
            "A = B · (I · w_act · 2 + V · 4)",
            format!("{b} · ({i} · {} · 2 + {} · 4)", sig(sh.activation_width, 4), sig(sh.vocab, 4)),
            DERIVED,
        ),
        Explained::new(
            Key::InferenceMemoryPerGpuBytes,
            a.memory_per_gpu_bytes,
            "B",
            "M = (W + ρ·KV + A) / G, ρ = max(1, TP / H_kv) copies of each KV head, G = TP × PP",
            format!(
                "({} + {} · {} + {}) / {}",
                sig(a.weights_bytes, 4),
                sig(a.kv_replication, 4),
                sig(a.kv_cache_bytes, 4),
                sig(a.activation_bytes, 4),
                a.gpus_total
            ),
            DERIVED,
        ),
        Explained::new(
            Key::InferenceMaxBatch,
            a.max_batch as f64,
            "sequences",
            "B_max = ⌊(G · M_dev − W) / (ρ·kv_seq + a_seq)⌋",
            format!("⌊({} · {} − {}) / per-sequence bytes⌋", a.gpus_total, sig(a.device_memory_bytes, 4), sig(a.weights_bytes, 4)),
            DERIVED,
        ),
        Explained::new(
            Key::InferenceTtftSeconds,
            a.ttft_seconds,
            "s",
            "TTFT = max(bytes / (η_bw·BW·G), FLOPs / (η_c·F·G)) + t_comm + t_prefill",
            format!(
                "max({} / ({} · {} · {tp}), {} / ({} · {} · {tp})) + {} + {}",
                sig(a.prefill.bytes, 4),
                cal.bandwidth_fraction,
                sig(w.gpu.bandwidth_bytes_per_s, 4),
                sig(a.prefill.flops, 4),
                cal.compute_fraction,
                sig(a.peak_flop_per_s, 4),
                sig(a.prefill.comm_seconds, 3),
                cal.prefill_overhead_s
            ),
            SRC_TRTLLM,
        ),
        Explained::new(
            Key::InferenceSecondsPerOutputToken,
            a.seconds_per_output_token,
            "s",
            "t_tok = T_decode / (O − 1), T_decode = Σ_steps [max(bytes / (η_bw·BW·G), FLOPs / (η_c·F·G)) + t_comm], (O − 1)/τ steps, bytes = weights read + B·KV",
            format!(
                "mid-generation step: max({} B, {} FLOP) → {} s; τ = {}",
                sig(a.decode_mid.bytes, 4),
                sig(a.decode_mid.flops, 4),
                sig(a.decode_mid.seconds, 4),
                sig(a.tokens_per_step, 4)
            ),
            SRC_POPE,
        ),
        Explained::new(
            Key::InferenceTokensPerSecondPerSequence,
            a.tokens_per_second_per_sequence,
            "tokens/s",
            "1 / t_tok",
            format!("1 / {}", sig(a.seconds_per_output_token, 4)),
            DERIVED,
        ),
        Explained::new(
            Key::InferenceOutputTokensPerSecond,
            a.output_tokens_per_second,
            "tokens/s",
            "X = B · O / (TTFT + T_decode)",
            format!("{b} · {o} / ({} + {})", sig(a.ttft_seconds, 4), sig(a.decode_seconds, 4)),
            SRC_TRTLLM,
        ),
        Explained::new(
            Key::InferenceEndToEndSeconds,
            a.end_to_end_seconds,
            "s",
            "TTFT + T_decode",
            format!("{} + {}", sig(a.ttft_seconds, 4), sig(a.decode_seconds, 4)),
            DERIVED,
        ),
        Explained::new(
            Key::InferenceTokensPerStep,
            a.tokens_per_step,
            "tokens",
            "τ = (1 − α^(k+1)) / (1 − α)",
            format!("k = {}, α = {}", w.spec_k, w.spec_alpha),
            SRC_LEVIATHAN,
        ),
    ];
    v.extend(explain_comm(w, a));
    for (key, value, formula) in [
        (
            Key::InferenceBandwidthFraction,
            cal.bandwidth_fraction,
            "η_bw: minimax fit to the TensorRT-LLM A100 rows",
        ),
        (
            Key::InferenceComputeFraction,
            cal.compute_fraction,
            "η_c: minimax fit to the TensorRT-LLM A100 rows",
        ),
        (
            Key::InferencePrefillOverheadS,
            cal.prefill_overhead_s,
            "t_prefill: minimax fit to the TensorRT-LLM A100 rows",
        ),
        (
            Key::InferenceCollectiveLatencyS,
            cal.collective_latency_s,
            "α: latency of one collective (all-reduce, all-to-all, hand-off); minimax fit, with r, to the TensorRT-LLM A100 FP16 multi-GPU rows",
        ),
        (
            Key::InferenceKvRereadFraction,
            cal.kv_reread_fraction,
            "r: decode KV reads × (1 + r·λ·(H/H_kv − 1)) for grouped-query attention (TensorRT-LLM v0.6.1's per-query-head decode kernel; the repeated loads hit in L2, λ = (BW/BW_L2) over the A100's, 1 without a sourced L2 figure); minimax fit, with α, to the TensorRT-LLM A100 FP16 multi-GPU rows",
        ),
        (
            Key::InferenceFp8ComputeFraction,
            cal.fp8_compute_fraction,
            "η_c,fp8: achieved fraction of the FP8 peak; minimax fit to the TensorRT-LLM H100 FP8 first-token latencies",
        ),
    ] {
        v.push(Explained::new(
            key,
            value,
            if key.as_str().ends_with("_s") {
                "s"
            } else {
                ""
            },
            formula,
            format!("{value}"),
            SRC_TRTLLM,
        ));
    }
    if let Some(e) = e {
        let p = s.price_per_gpu_hour;
        let u = s.utilisation;
        v.push(Explained::new(
            Key::InferenceCostPerMillionInputTokensUsd,
            e.cost_per_million_input_tokens_usd,
            "USD",
            "TTFT · p · G / 3600 / u / (B·I) · 10⁶",
            format!(
                "{} · {p} · {tp} / 3600 / {u} / ({b}·{i}) · 10⁶",
                sig(a.ttft_seconds, 4)
            ),
            DERIVED,
        ));
        v.push(Explained::new(
            Key::InferenceCostPerMillionOutputTokensUsd,
            e.cost_per_million_output_tokens_usd,
            "USD",
            "T_decode · p · G / 3600 / u / (B·O) · 10⁶",
            format!(
                "{} · {p} · {tp} / 3600 / {u} / ({b}·{o}) · 10⁶",
                sig(a.decode_seconds, 4)
            ),
            DERIVED,
        ));
        v.push(Explained::new(
            Key::InferenceLifetimeCostUsd,
            e.lifetime_cost_usd,
            "USD",
            "T_tokens · $/M tokens / 10⁶",
            format!(
                "{} · {} / 10⁶",
                sig(s.inference_tokens, 4),
                sig(e.cost_per_million_tokens_usd, 4)
            ),
            DERIVED,
        ));
        if let Some(kwh) = e.energy_kwh_per_million_tokens {
            v.push(Explained::new(
                Key::InferenceEnergyKwhPerMillionTokens,
                kwh,
                "kWh",
                "P · G · (TTFT + T_decode) / (B·(I+O)) · 10⁶ / 3.6·10⁶",
                format!(
                    "{} · {tp} · {} / ({b}·{}) · 10⁶ / 3.6·10⁶",
                    w.gpu.power_watts.unwrap_or(0.0),
                    sig(a.end_to_end_seconds, 4),
                    i as u64 + o as u64
                ),
                w.gpu.source,
            ));
        }
    }
    v
}

#[cfg(test)]
mod tests;
