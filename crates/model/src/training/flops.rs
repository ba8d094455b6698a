//! Training FLOPs: the 6·N·D rule, the PaLM and Kaplan attention terms, and the extra hardware
//! FLOPs of activation recomputation (HFU beside MFU).

use super::ActivationShape;
use crate::explain::Source;
use crate::scenario::Recompute;

/// Kaplan et al. 2020, Scaling Laws for Neural Language Models.
pub const SRC_KAPLAN: Source = Source {
    id: "kaplan2020",
    citation: "Kaplan et al. 2020, Scaling Laws for Neural Language Models",
    locator: "§2.1 Table 1 (forward FLOPs per token 2N + 2·n_layer·n_ctx·d_attn; C ≈ 6N per token) and eq. 2.1 (N ≈ 12·n_layer·d_model²)",
    url: "https://arxiv.org/abs/2001.08361",
};

/// Chowdhery et al. 2022, PaLM.
pub const SRC_PALM: Source = Source {
    id: "chowdhery2022",
    citation: "Chowdhery et al. 2022, PaLM: Scaling Language Modeling with Pathways",
    locator: "Appendix B (model FLOPs per token 6N + 12·L·H·Q·T) and Table 3 (46.2% MFU)",
    url: "https://arxiv.org/abs/2204.02311",
};

/// Korthikanti et al. 2022, Reducing Activation Recomputation in Large Transformer Models.
pub const SRC_KORTHIKANTI: Source = Source {
    id: "korthikanti2022",
    citation:
        "Korthikanti et al. 2022, Reducing Activation Recomputation in Large Transformer Models",
    locator: "§4 Table 2 (activation bytes per layer), §5 (selective recomputation, HFU vs MFU)",
    url: "https://arxiv.org/abs/2205.05198",
};

/// Dense training FLOPs: 2 forward + 4 backward FLOPs per parameter per token.
///
/// # Formula
/// `C = 6·N·D`
/// - `N`: parameters (for MoE: the **active** parameters per token), `D`: tokens, `C`: FLOP.
///
/// Reference: Kaplan et al. 2020 §2.1; docs/science.md §3.
///
/// ```
/// use scalecalc_model::training::flops::six_nd;
/// assert_eq!(six_nd(175e9, 300e9), 3.15e23);
/// ```
pub fn six_nd(params: f64, tokens: f64) -> f64 {
    6.0 * params * tokens
}

/// PaLM's model FLOPs per token, the attention score and value products included.
///
/// # Formula
/// `f = 6·N + 12·L·H·Q·T`
/// - `N`: (active) parameters, `L`: layers, `H`: attention heads, `Q`: head dimension,
///   `T`: sequence length (tokens); `f`: FLOP per token (forward + backward).
///
/// Reference: Chowdhery et al. 2022, Appendix B.
///
/// ```
/// use scalecalc_model::training::flops::palm_flops_per_token;
/// // PaLM 540B: 6·540.35e9 + 12·118·48·256·2048
/// let f = palm_flops_per_token(540.35e9, 118, 48, 256, 2048);
/// assert_eq!(f, 6.0 * 540.35e9 + 35_634_806_784.0);
/// ```
pub fn palm_flops_per_token(params: f64, layers: u32, heads: u32, head_dim: u32, seq: u32) -> f64 {
    6.0 * params + 12.0 * layers as f64 * heads as f64 * head_dim as f64 * seq as f64
}

/// Kaplan's forward FLOPs per token.
///
/// # Formula
/// `f_fwd = 2·N + 2·n_layer·n_ctx·d_attn`
/// - `N`: non-embedding parameters, `n_layer`: layers, `n_ctx`: context (tokens),
///   `d_attn`: attention width (heads × head dimension); `f_fwd`: FLOP per token.
///
/// Reference: Kaplan et al. 2020, Table 1. Training is ≈ 3× this (backward = 2× forward).
///
/// ```
/// use scalecalc_model::training::flops::kaplan_forward_flops_per_token;
/// assert_eq!(kaplan_forward_flops_per_token(1e9, 24, 2048, 2048), 2e9 + 2.0 * 24.0 * 2048.0 * 2048.0);
/// ```
pub fn kaplan_forward_flops_per_token(params: f64, layers: u32, ctx: u32, d_attn: u32) -> f64 {
    2.0 * params + 2.0 * layers as f64 * ctx as f64 * d_attn as f64
}

/// Extra FLOPs per token that activation recomputation spends (hardware FLOPs − model FLOPs).
///
/// # Formula
/// - none: `0`
/// - selective (recompute the attention scores, softmax and score·V of each layer):
///   `4·L·s·h` (one forward of the `QKᵀ` and `·V` products, 2·s·h each per layer)
/// - full (recompute each layer's forward from its input): `2·N + 4·L·s·h`
///
/// `N`: (active) parameters, `L`: layers, `s`: sequence length, `h`: attention width
/// (heads × head dimension); FLOP per token. Full recomputation turns `6ND` into `≈ 8ND`
/// (docs/science.md §3).
///
/// Reference: Korthikanti et al. 2022 §5. The paper states the overhead for its GPT shapes
/// (vocabulary included); we keep only the per-layer terms so the size-only mode needs no vocabulary.
///
/// ```
/// use scalecalc_model::scenario::Recompute;
/// use scalecalc_model::training::{flops::recompute_flops_per_token, ActivationShape};
/// let s = ActivationShape { layers: 2, hidden: 8, heads: 2, kv_heads: 2, ffn: 32,
///     gated_mlp: false, seq_len: 16, micro_batch: 1 };
/// assert_eq!(recompute_flops_per_token(100.0, &s, Recompute::Selective), 4.0 * 2.0 * 16.0 * 8.0);
/// assert_eq!(recompute_flops_per_token(100.0, &s, Recompute::Full), 200.0 + 1024.0);
/// ```
pub fn recompute_flops_per_token(params: f64, shape: &ActivationShape, rc: Recompute) -> f64 {
    let attention_fwd = 4.0 * shape.layers as f64 * shape.seq_len as f64 * shape.hidden as f64;
    match rc {
        Recompute::None => 0.0,
        Recompute::Selective => attention_fwd,
        Recompute::Full => 2.0 * params + attention_fwd,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two independent counts agree on the parameter term (PaLM's 6N = 3 × Kaplan's forward 2N,
    /// backward = 2× forward), and PaLM's attention term is exactly twice Kaplan's ×3: Kaplan's
    /// Table 1 counts only the QKᵀ logits (2·L·T·d_attn forward), PaLM both QKᵀ and scores·V.
    #[test]
    fn palm_and_kaplan_agree() {
        let (n, l, h, q, t) = (70e9, 80, 64, 128, 4096);
        let palm = palm_flops_per_token(n, l, h, q, t);
        let kaplan = kaplan_forward_flops_per_token(n, l, t, h * q);
        let palm_attn = palm - 6.0 * n;
        let kaplan_attn = 3.0 * kaplan - 6.0 * n;
        assert!((palm_attn / (2.0 * kaplan_attn) - 1.0).abs() < 1e-9);
        assert_eq!(
            palm_flops_per_token(n, l, h, q, 0),
            3.0 * kaplan_forward_flops_per_token(n, l, 0, h * q)
        );
    }
}
