//! Multi-GPU serving: the communication of tensor-, pipeline- and expert-parallel inference in the
//! α–β model (Thakur, Rabenseifner, Gropp 2005), docs/science.md §4.
//!
//! - **Tensor parallel** (Megatron-LM, Shoeybi et al. 2019 §3; Pope et al. 2022 §3.2): two ring
//!   all-reduces per layer (after attention, after the FFN) of `tokens · d · 2` bytes, in prefill
//!   and in every decode step, over NVLink **per direction** (half the headline figure).
//! - **Pipeline parallel**: the layers split into stages; each stage hands `tokens · d · 2` bytes to
//!   the next (one point-to-point send); a decode step crosses every stage.
//! - Beyond one node's NVLink domain (8 GPUs on DGX/HGX) a group's ring or a stage boundary crosses
//!   the scale-out network: one NIC per GPU ([`group_link`]).
//! - **Expert parallel** (MoE): each GPU of the group holds whole experts; every MoE layer sends
//!   each token's hidden state to its `k` experts and back (two all-to-alls).
//!
//! The latency `α` of one collective (one all-reduce, one all-to-all, one hand-off) is a fitted
//! constant ([`super::Calibration::collective_latency_s`]): TensorRT-LLM v0.6.1's NCCL all-reduce on
//! small messages costs far more than the link's wire latency, and nearly the same for 2 to 8 GPUs.

use super::{Calibration, ModelShape};
use crate::explain::Source;
use crate::hardware::{self, Gpu};
use crate::training::collectives::{all_reduce, send, Link, SRC_THAKUR};
use serde::Serialize;

/// Megatron-LM's tensor-parallel layer: two all-reduces per transformer layer.
pub const SRC_MEGATRON_TP: Source = Source {
    id: "shoeybi2019",
    citation: "Shoeybi et al. 2019, Megatron-LM: Training Multi-Billion Parameter Language Models Using Model Parallelism",
    locator: "§3, Figure 3 (f/g operators: one all-reduce after self-attention and one after the MLP, forward pass)",
    url: "https://arxiv.org/abs/1909.08053",
};

/// The α–β model of a collective (re-exported for the "how" of the communication numbers).
pub const SRC_ALPHA_BETA: Source = SRC_THAKUR;

/// Bytes per element of activations exchanged between GPUs (16-bit, also under FP8 weights:
/// TensorRT-LLM v0.6.1 all-reduces FP16 activations).
pub const ACTIVATION_BYTES: f64 = 2.0;

/// How one model replica is spread over GPUs, beyond tensor parallelism ([`super::Workload::gpus`]
/// is the tensor-parallel degree).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Layout {
    /// Pipeline stages, each on its own tensor-parallel group; 1 = none. GPUs = TP × PP.
    pub pipeline: u32,
    /// MoE layers use expert parallelism across the tensor-parallel group (whole experts per GPU,
    /// tokens exchanged by all-to-all) instead of slicing every expert.
    pub expert_parallel: bool,
}

impl Default for Layout {
    fn default() -> Self {
        Layout {
            pipeline: 1,
            expert_parallel: false,
        }
    }
}

/// The link a collective between the GPUs of one node sees: NVLink per direction (the
/// [`hardware::Interconnect`] table; for presets it does not cover, half the headline figure) and
/// the fitted latency of one collective. `None` without an interconnect figure.
///
/// ```
/// use scalecalc_model::inference::{parallel::serving_link, CALIBRATION};
/// let l = serving_link(scalecalc_model::hardware::gpu("h100-sxm").unwrap(), &CALIBRATION).unwrap();
/// assert_eq!(l.bytes_per_s, 450e9); // the headline 900 GB/s counts both directions
/// ```
pub fn serving_link(gpu: &Gpu, cal: &Calibration) -> Option<Link> {
    let per_direction = match hardware::interconnect(gpu.id) {
        Some(ic) => Some(ic.nvlink_per_direction_bytes_per_s),
        None => gpu.interconnect_bytes_per_s.map(|b| b / 2.0),
    }?;
    Some(Link {
        bytes_per_s: per_direction,
        latency_s: cal.collective_latency_s,
    })
}

/// The link of a group of `gpus` GPUs: [`serving_link`] while the group fits in one node; beyond
/// the node's NVLink domain (`gpus_per_node` of [`hardware::Interconnect`]) the ring crosses the
/// scale-out network, and its slowest hop — one NIC per GPU — sets the bandwidth.
///
/// ```
/// use scalecalc_model::inference::{parallel::group_link, CALIBRATION};
/// let h100 = scalecalc_model::hardware::gpu("h100-sxm").unwrap();
/// assert_eq!(group_link(h100, &CALIBRATION, 8).unwrap().bytes_per_s, 450e9);
/// assert_eq!(group_link(h100, &CALIBRATION, 16).unwrap().bytes_per_s, 50e9); // 400 Gb/s NIC
/// ```
pub fn group_link(gpu: &Gpu, cal: &Calibration, gpus: u32) -> Option<Link> {
    let link = serving_link(gpu, cal)?;
    match hardware::interconnect(gpu.id) {
        Some(ic) if gpus > ic.gpus_per_node => Some(Link {
            bytes_per_s: ic.nic_per_gpu_bytes_per_s,
            ..link
        }),
        _ => Some(link),
    }
}

/// Tensor-parallel communication of one forward pass of `tokens` tokens: `2·L` ring all-reduces of
/// `tokens · d · 2` bytes over `tp` GPUs (MoE layers under expert parallelism replace their FFN
/// all-reduce by two all-to-alls, [`expert_parallel_seconds`]).
///
/// # Formula
/// `T = n_ar · [α + 2(p−1)/p · m / B]`, `m = tokens · d · 2` bytes, `n_ar = 2·L`
/// (`2·L − L_moe` under expert parallelism); `p` tensor-parallel GPUs, `α` the latency of one
/// all-reduce (the ring's `2(p−1)` steps together: the fitted
/// [`super::Calibration::collective_latency_s`], `link.latency_s` here), `B` NVLink bandwidth per
/// direction. Thakur et al. 2005 §4; Shoeybi et al. 2019 §3.
///
/// ```
/// use scalecalc_model::inference::parallel::tensor_parallel_seconds;
/// use scalecalc_model::training::collectives::Link;
/// let l = Link { bytes_per_s: 300e9, latency_s: 60e-6 };
/// // 80 layers, d = 8192, 1 token, 4 GPUs: 160 all-reduces of 16 KiB: 160 · (60 µs + 1.5·16384/300e9).
/// let t = tensor_parallel_seconds(80, 0, 8192.0, 1.0, 4, Some(l));
/// assert!((t - 160.0 * (60e-6 + 1.5 * 16384.0 / 300e9)).abs() < 1e-12);
/// ```
pub fn tensor_parallel_seconds(
    layers: u32,
    moe_layers_expert_parallel: u32,
    d_model: f64,
    tokens: f64,
    tp: u32,
    link: Option<Link>,
) -> f64 {
    match link {
        Some(link) if tp > 1 => {
            let n = 2.0 * layers as f64 - moe_layers_expert_parallel.min(layers) as f64;
            let per_step = Link {
                latency_s: link.latency_s / (2.0 * (tp - 1) as f64),
                ..link
            };
            n * all_reduce(tokens * d_model * ACTIVATION_BYTES, tp, per_step)
        }
        _ => 0.0,
    }
}

/// Pairwise all-to-all of a buffer of `bytes` in total spread evenly over `n` ranks: each rank
/// keeps `1/n` of its share and sends the rest, one step per peer.
///
/// # Formula
/// `T = (n−1)·α + (n−1)/n · (bytes / n) / B` (Thakur et al. 2005 §3, pairwise exchange). One rank: 0.
///
/// ```
/// use scalecalc_model::inference::parallel::all_to_all;
/// use scalecalc_model::training::collectives::Link;
/// let l = Link { bytes_per_s: 100e9, latency_s: 2e-6 };
/// assert!((all_to_all(8e6, 8, l) - (14e-6 + 7.0 / 8.0 * 1e6 / 100e9)).abs() < 1e-15);
/// assert_eq!(all_to_all(8e6, 1, l), 0.0);
/// ```
pub fn all_to_all(bytes: f64, n: u32, link: Link) -> f64 {
    if n <= 1 {
        return 0.0;
    }
    let n = n as f64;
    (n - 1.0) * link.latency_s + (n - 1.0) / n * (bytes / n) / link.bytes_per_s
}

/// Expert-parallel communication of one pass: per MoE layer, dispatch and combine — two
/// all-to-alls of `tokens · k · d · 2` bytes over the `ep` GPUs.
///
/// # Formula
/// `T = L_moe · 2 · a2a(tokens · k · d · 2, ep)`, [`all_to_all`] with `α/(ep − 1)` per peer step
/// (so one all-to-all costs the same latency `α` as one all-reduce). Departure: routing is taken as
/// uniform (no hot experts, no capacity overflow).
pub fn expert_parallel_seconds(
    shape: &ModelShape,
    tokens: f64,
    ep: u32,
    link: Option<Link>,
) -> f64 {
    match (shape.moe, link) {
        (Some(m), Some(link)) if ep > 1 => {
            let bytes = tokens * m.top_k as f64 * shape.d_model * ACTIVATION_BYTES;
            let per_peer = Link {
                latency_s: link.latency_s / (ep - 1) as f64,
                ..link
            };
            m.moe_layers as f64 * 2.0 * all_to_all(bytes, ep, per_peer)
        }
        _ => 0.0,
    }
}

/// Pipeline hand-offs of one pass: `pp − 1` sends of `tokens · d · 2` bytes between consecutive
/// stages (plus, in decode, the sampled token's return to the first stage, negligible in bytes: one
/// more `α`).
///
/// # Formula
/// `T = (pp − 1)·(α + m / B)`, `m = tokens · d · 2` bytes ([`send`]).
pub fn pipeline_seconds(d_model: f64, tokens: f64, pp: u32, link: Option<Link>) -> f64 {
    match link {
        Some(link) if pp > 1 => (pp - 1) as f64 * send(tokens * d_model * ACTIVATION_BYTES, link),
        _ => 0.0,
    }
}
