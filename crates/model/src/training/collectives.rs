//! Costs of the collectives that many-GPU training runs, in the α–β model (Thakur, Rabenseifner,
//! Gropp 2005): a message of `n` bytes over one link takes `α + n·β` seconds, `α` the latency per
//! step and `β = 1 / bandwidth` (per direction). Ring algorithms, as NCCL uses for large messages.
//!
//! docs/science.md §7 and §8.

use crate::explain::Source;
use serde::Serialize;

/// Thakur, Rabenseifner, Gropp 2005.
pub const SRC_THAKUR: Source = Source {
    id: "thakur2005",
    citation: "Thakur, Rabenseifner, Gropp 2005, Optimization of Collective Communication Operations in MPICH",
    locator: "§2 (cost model α + nβ) and §4 (ring allgather (p−1)α + (p−1)/p·nβ; reduce-scatter likewise; allreduce = reduce-scatter + allgather)",
    url: "https://doi.org/10.1177/1094342005051521",
};

/// One link as a collective sees it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Link {
    /// Bandwidth per direction the collective achieves, bytes/s.
    pub bytes_per_s: f64,
    /// Latency per algorithm step, s (`α`).
    pub latency_s: f64,
}

/// Ring all-gather (or reduce-scatter: the same cost) of a buffer of `bytes` in total over `n`
/// ranks.
///
/// # Formula
/// `T = (n−1)·α + (n−1)/n · bytes / B`
/// - `n`: ranks, `bytes`: the whole (gathered) buffer, `α`: latency per step, `B`: bandwidth per
///   direction; seconds. One rank: 0.
///
/// Reference: Thakur et al. 2005 §4.
///
/// ```
/// use scalecalc_model::training::collectives::{all_gather, Link};
/// let l = Link { bytes_per_s: 100e9, latency_s: 1e-6 };
/// assert!((all_gather(8e9, 8, l) - (7e-6 + 7.0 / 8.0 * 0.08)).abs() < 1e-12);
/// assert_eq!(all_gather(8e9, 1, l), 0.0);
/// ```
pub fn all_gather(bytes: f64, n: u32, link: Link) -> f64 {
    if n <= 1 {
        return 0.0;
    }
    let n = n as f64;
    (n - 1.0) * link.latency_s + (n - 1.0) / n * bytes / link.bytes_per_s
}

/// Ring reduce-scatter: the cost of [`all_gather`] (Thakur et al. 2005 §4).
///
/// ```
/// use scalecalc_model::training::collectives::{all_gather, reduce_scatter, Link};
/// let l = Link { bytes_per_s: 50e9, latency_s: 2e-6 };
/// assert_eq!(reduce_scatter(1e9, 4, l), all_gather(1e9, 4, l));
/// ```
pub fn reduce_scatter(bytes: f64, n: u32, link: Link) -> f64 {
    all_gather(bytes, n, link)
}

/// Ring all-reduce = reduce-scatter + all-gather: each rank sends `2·(n−1)/n` of the buffer
/// (the "bus bandwidth" convention of nccl-tests).
///
/// # Formula
/// `T = 2·(n−1)·α + 2·(n−1)/n · bytes / B`
/// - as [`all_gather`]; seconds.
///
/// Reference: Thakur et al. 2005 §4 (Rabenseifner's and the ring algorithm for long messages).
///
/// ```
/// use scalecalc_model::training::collectives::{all_reduce, Link};
/// // 100 MB over 8 GPUs at 240 GB/s per direction and 0.5 µs per step: 0.73 ms + 7 µs.
/// let l = Link { bytes_per_s: 240e9, latency_s: 0.5e-6 };
/// let t = all_reduce(100e6, 8, l);
/// assert!((t - (14.0 * 0.5e-6 + 1.75 * 100e6 / 240e9)).abs() < 1e-15);
/// ```
pub fn all_reduce(bytes: f64, n: u32, link: Link) -> f64 {
    2.0 * all_gather(bytes, n, link)
}

/// All-to-all (pairwise exchange) of a buffer of `bytes` per rank over `n` ranks: each rank keeps
/// `1/n` of its buffer and sends the rest, one peer per step (MoE token dispatch and combine).
///
/// # Formula
/// `T = (n−1)·α + (n−1)/n · bytes / B`
/// - as [`all_gather`], `bytes` the buffer one rank sends out in total; seconds. One rank: 0.
///
/// Reference: Thakur et al. 2005 §3 (pairwise-exchange all-to-all for long messages).
///
/// ```
/// use scalecalc_model::training::collectives::{all_to_all, Link};
/// let l = Link { bytes_per_s: 100e9, latency_s: 1e-6 };
/// assert!((all_to_all(8e9, 8, l) - (7e-6 + 0.07)).abs() < 1e-12);
/// assert_eq!(all_to_all(8e9, 1, l), 0.0);
/// ```
pub fn all_to_all(bytes: f64, n: u32, link: Link) -> f64 {
    all_gather(bytes, n, link)
}

/// One point-to-point send (a pipeline stage passing activations or their gradients on).
///
/// # Formula
/// `T = α + bytes / B`
///
/// ```
/// use scalecalc_model::training::collectives::{send, Link};
/// assert_eq!(send(25e6, Link { bytes_per_s: 25e9, latency_s: 5e-6 }), 5e-6 + 1e-3);
/// ```
pub fn send(bytes: f64, link: Link) -> f64 {
    link.latency_s + bytes / link.bytes_per_s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The all-reduce moves twice what an all-gather moves, and its bandwidth term tends to
    /// `2·bytes/B` for many ranks (the nccl-tests bus-bandwidth factor 2·(n−1)/n).
    #[test]
    fn all_reduce_bus_factor() {
        let l = Link {
            bytes_per_s: 1e9,
            latency_s: 0.0,
        };
        assert!((all_reduce(1e9, 1024, l) - 2.0 * 1023.0 / 1024.0).abs() < 1e-12);
        assert_eq!(all_reduce(1e9, 2, l), 1.0);
    }
}
