//! The inference-aware optimum (Sardana et al. 2024): the model that reaches a target loss at the
//! least lifetime cost, training plus serving, against the Chinchilla-optimal model of the same loss.

use super::chinchilla::SRC_SARDANA;
use super::explain::{Explained, Source};
use super::minimize::minimize;
use super::{positive, Law, ScalingError};
use crate::explain::Key;
use serde::Serialize;

/// Nats of `ln N` searched above the smallest model that can reach the loss (`e^40 ≈ 2e17×`).
const SEARCH_SPAN_LN: f64 = 40.0;

/// A model that reaches the target loss, with its lifetime compute.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LifetimePoint {
    /// Parameters `N`.
    pub params: f64,
    /// Training tokens `D_tr`.
    pub tokens: f64,
    /// `D_tr/N`.
    pub tokens_per_param: f64,
    /// `6·N·D_tr`, FLOP.
    pub train_flops: f64,
    /// `2·N·D_inf`, FLOP.
    pub inference_flops: f64,
    /// Sum, FLOP.
    pub lifetime_flops: f64,
}

impl LifetimePoint {
    fn new(params: f64, tokens: f64, inference_tokens: f64) -> Self {
        let train = 6.0 * params * tokens;
        let inference = 2.0 * params * inference_tokens;
        Self {
            params,
            tokens,
            tokens_per_param: tokens / params,
            train_flops: train,
            inference_flops: inference,
            lifetime_flops: train + inference,
        }
    }
}

/// The inference-aware optimum and the Chinchilla-optimal model of the same loss.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct InferenceOptimum {
    /// Target loss `ℓ`, nats/token.
    pub target_loss: f64,
    /// Lifetime inference tokens `D_inf`.
    pub inference_tokens: f64,
    /// Minimises lifetime FLOPs.
    pub optimum: LifetimePoint,
    /// Minimises training FLOPs only (Chinchilla), serving the same `D_inf`.
    pub chinchilla: LifetimePoint,
    /// `1 − optimum.lifetime/chinchilla.lifetime`: the share of lifetime compute saved.
    pub lifetime_saving: f64,
}

/// Checks the target loss is reachable and returns the smallest model that reaches it.
fn reachable(law: &Law, target_loss: f64) -> Result<f64, ScalingError> {
    if !target_loss.is_finite() {
        return Err(ScalingError::BadInput {
            name: "target loss",
            value: target_loss,
            rule: "a finite number",
        });
    }
    let floor = law.irreducible_loss().ok_or_else(|| ScalingError::NoLoss {
        law: law.form_name().into(),
    })?;
    if target_loss <= floor {
        return Err(ScalingError::UnreachableLoss {
            target: target_loss,
            floor,
        });
    }
    law.min_params_for_loss(target_loss)
        .ok_or(ScalingError::UnreachableLoss {
            target: target_loss,
            floor,
        })
}

/// Minimises `cost(N, D(N; ℓ))` over `ln N`, where `D(N; ℓ)` solves `L(N, D) = ℓ`.
fn minimise_on_iso_loss(
    law: &Law,
    target_loss: f64,
    cost: impl Fn(f64, f64) -> f64,
) -> Result<(f64, f64), ScalingError> {
    let n_min = reachable(law, target_loss)?;
    let lo = n_min.ln();
    let (x, _) = minimize(
        |x| {
            let n = x.exp();
            match law.tokens_for_loss(n, target_loss) {
                Some(d) => cost(n, d),
                None => f64::INFINITY,
            }
        },
        lo,
        lo + SEARCH_SPAN_LN,
    )
    .ok_or(ScalingError::NoOptimum {
        what: "the inference-aware optimum",
    })?;
    let n = x.exp();
    let d = law
        .tokens_for_loss(n, target_loss)
        .ok_or(ScalingError::NoOptimum {
            what: "the inference-aware optimum",
        })?;
    Ok((n, d))
}

/// The Chinchilla-optimal (training-compute-optimal) model reaching `ℓ`: closed form for the
/// Chinchilla form ([`super::ParametricLaw::optimal_for_loss`]), numeric otherwise.
pub fn chinchilla_for_loss(law: &Law, target_loss: f64) -> Result<(f64, f64), ScalingError> {
    reachable(law, target_loss)?;
    if let Some(p) = law.parametric() {
        if let Some(nd) = p.optimal_for_loss(target_loss) {
            return Ok(nd);
        }
    }
    minimise_on_iso_loss(law, target_loss, |n, d| n * d)
}

/// `N`, `D_tr` minimising lifetime FLOPs for target loss `ℓ` and lifetime inference tokens `D_inf`.
///
/// # Formula
/// minimise `6·N·D_tr + 2·N·D_inf` subject to `L(N, D_tr) = ℓ`; solved by writing `D_tr(N; ℓ)`
/// from the constraint and minimising over `ln N > ln N_min(ℓ)`.
/// - `N`: parameters, `D_tr`, `D_inf`: tokens, `ℓ`: nats/token.
///
/// Sardana et al. 2024, §2 eq. 2. Errors when `ℓ ≤ E` (unreachable) or the law has no loss.
///
/// ```
/// use scalecalc_model::scaling::{inference::inference_optimal, Law, HOFFMANN2022};
/// let r = inference_optimal(&Law::Chinchilla(HOFFMANN2022), 2.0, 1e13).unwrap();
/// assert!(r.optimum.params < r.chinchilla.params);
/// assert!(r.optimum.lifetime_flops <= r.chinchilla.lifetime_flops);
/// assert!(inference_optimal(&Law::Chinchilla(HOFFMANN2022), 1.69, 1e13).is_err());
/// ```
pub fn inference_optimal(
    law: &Law,
    target_loss: f64,
    inference_tokens: f64,
) -> Result<InferenceOptimum, ScalingError> {
    if !(inference_tokens.is_finite() && inference_tokens >= 0.0) {
        return Err(ScalingError::BadInput {
            name: "inference tokens",
            value: inference_tokens,
            rule: "a finite number of at least 0",
        });
    }
    let (cn, cd) = chinchilla_for_loss(law, target_loss)?;
    let (n, d) = minimise_on_iso_loss(law, target_loss, |n, d| {
        6.0 * n * d + 2.0 * n * inference_tokens
    })?;
    let optimum = LifetimePoint::new(n, d, inference_tokens);
    let chinchilla = LifetimePoint::new(cn, cd, inference_tokens);
    // The closed form is exact; the numeric optimum can only tie it (within the search tolerance).
    let optimum = if optimum.lifetime_flops <= chinchilla.lifetime_flops {
        optimum
    } else {
        chinchilla
    };
    Ok(InferenceOptimum {
        target_loss,
        inference_tokens,
        optimum,
        chinchilla,
        lifetime_saving: 1.0 - optimum.lifetime_flops / chinchilla.lifetime_flops,
    })
}

/// The result explained.
pub fn inference_optimal_explained(r: &InferenceOptimum, source: Source) -> Vec<Explained> {
    let o = &r.optimum;
    let c = &r.chinchilla;
    vec![
        Explained::new(
            Key::InferenceAwareParams,
            o.params,
            "params",
            "argmin over N of 6·N·D(N; ℓ) + 2·N·D_inf, D(N; ℓ) from L(N, D) = ℓ",
            format!(
                "ℓ = {}, D_inf = {:.3e}: N = {:.4e}, D = {:.4e}",
                r.target_loss, r.inference_tokens, o.params, o.tokens
            ),
            SRC_SARDANA,
        ),
        Explained::new(
            Key::InferenceAwareTokens,
            o.tokens,
            "tokens",
            "D = D(N; ℓ)",
            format!("D({:.4e}; {}) = {:.4e}", o.params, r.target_loss, o.tokens),
            source,
        ),
        Explained::new(
            Key::InferenceAwareLifetimeFlops,
            o.lifetime_flops,
            "FLOP",
            "6·N·D + 2·N·D_inf",
            format!(
                "6·{:.3e}·{:.3e} + 2·{:.3e}·{:.3e} = {:.4e}",
                o.params, o.tokens, o.params, r.inference_tokens, o.lifetime_flops
            ),
            SRC_SARDANA,
        ),
        Explained::new(
            Key::InferenceAwareChinchillaParams,
            c.params,
            "params",
            "N = (A(α+β)/(β(ℓ−E)))^(1/α)",
            format!(
                "ℓ = {}: N = {:.4e}, D = {:.4e}",
                r.target_loss, c.params, c.tokens
            ),
            source,
        ),
        Explained::new(
            Key::InferenceAwareChinchillaTokens,
            c.tokens,
            "tokens",
            "D = (B(α+β)/(α(ℓ−E)))^(1/β)",
            format!("ℓ = {}: D = {:.4e}", r.target_loss, c.tokens),
            source,
        ),
        Explained::new(
            Key::InferenceAwareLifetimeSaving,
            r.lifetime_saving,
            "fraction",
            "1 − lifetime(optimum)/lifetime(Chinchilla)",
            format!(
                "1 − {:.4e}/{:.4e} = {:.4}",
                o.lifetime_flops, c.lifetime_flops, r.lifetime_saving
            ),
            SRC_SARDANA,
        ),
    ]
}

/// The price of one phase's FLOPs: hardware peak, achieved utilisation, rental price.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PhaseCost {
    /// Dense peak of one GPU, FLOP/s.
    pub peak_flop_per_s: f64,
    /// Achieved fraction of peak (MFU), (0, 1].
    pub utilisation: f64,
    /// USD per GPU-hour.
    pub usd_per_gpu_hour: f64,
}

impl PhaseCost {
    /// Validates the three inputs.
    pub fn new(
        peak_flop_per_s: f64,
        utilisation: f64,
        usd_per_gpu_hour: f64,
    ) -> Result<Self, ScalingError> {
        positive("peak FLOP/s", peak_flop_per_s)?;
        if !(utilisation.is_finite() && utilisation > 0.0 && utilisation <= 1.0) {
            return Err(ScalingError::BadInput {
                name: "utilisation",
                value: utilisation,
                rule: "in (0, 1]",
            });
        }
        if !(usd_per_gpu_hour.is_finite() && usd_per_gpu_hour >= 0.0) {
            return Err(ScalingError::BadInput {
                name: "USD per GPU-hour",
                value: usd_per_gpu_hour,
                rule: "a finite number of at least 0",
            });
        }
        Ok(Self {
            peak_flop_per_s,
            utilisation,
            usd_per_gpu_hour,
        })
    }

    /// USD per FLOP: `price / (3600 · peak · utilisation)`.
    ///
    /// ```
    /// use scalecalc_model::scaling::inference::PhaseCost;
    /// let p = PhaseCost::new(1e15, 0.5, 1.8).unwrap();
    /// assert!((p.usd_per_flop() - 1e-18).abs() < 1e-30);
    /// ```
    pub fn usd_per_flop(&self) -> f64 {
        self.usd_per_gpu_hour / (3600.0 * self.peak_flop_per_s * self.utilisation)
    }
}

/// Anything that prices a model's lifetime: `N` parameters trained on `D_tr` tokens, then served.
/// [`FlopPricing`] prices FLOPs per phase; a detailed inference cost model (batching, memory
/// bandwidth, KV cache) can implement this trait and be optimised by [`cost_optimal`] unchanged.
pub trait LifetimeCost {
    /// Lifetime cost in USD.
    fn usd(&self, params: f64, train_tokens: f64) -> f64;
}

/// Lifetime cost priced per phase by FLOPs (Sardana et al. 2024, §3 "cost-optimal"):
/// `6·N·D_tr·c_train + 2·N·(T_prefill·c_prefill + T_decode·c_decode)`, `c` in USD/FLOP.
///
/// Sardana et al. fix decode utilisation at 1% in their code; here every phase's utilisation is an
/// input, so it can come from a decode model instead.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct FlopPricing {
    pub training: PhaseCost,
    pub prefill: PhaseCost,
    pub decode: PhaseCost,
    /// Lifetime input (prompt) tokens.
    pub prefill_tokens: f64,
    /// Lifetime output (generated) tokens.
    pub decode_tokens: f64,
}

impl LifetimeCost for FlopPricing {
    fn usd(&self, params: f64, train_tokens: f64) -> f64 {
        6.0 * params * train_tokens * self.training.usd_per_flop()
            + 2.0 * params * self.prefill_tokens * self.prefill.usd_per_flop()
            + 2.0 * params * self.decode_tokens * self.decode.usd_per_flop()
    }
}

/// The cheapest model reaching a loss, and the Chinchilla-optimal model priced the same way.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CostOptimum {
    pub target_loss: f64,
    pub params: f64,
    pub tokens: f64,
    /// Lifetime USD of the optimum.
    pub usd: f64,
    pub chinchilla_params: f64,
    pub chinchilla_tokens: f64,
    /// Lifetime USD of the Chinchilla-optimal model.
    pub chinchilla_usd: f64,
}

/// `N`, `D_tr` minimising `cost.usd(N, D_tr)` subject to `L(N, D_tr) = ℓ`.
pub fn cost_optimal(
    law: &Law,
    target_loss: f64,
    cost: &impl LifetimeCost,
) -> Result<CostOptimum, ScalingError> {
    let (cn, cd) = chinchilla_for_loss(law, target_loss)?;
    let (n, d) = minimise_on_iso_loss(law, target_loss, |n, d| cost.usd(n, d))?;
    let (usd, cusd) = (cost.usd(n, d), cost.usd(cn, cd));
    let (n, d, usd) = if usd <= cusd {
        (n, d, usd)
    } else {
        (cn, cd, cusd)
    };
    Ok(CostOptimum {
        target_loss,
        params: n,
        tokens: d,
        usd,
        chinchilla_params: cn,
        chinchilla_tokens: cd,
        chinchilla_usd: cusd,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scaling::{hoffmann2022_tex, KAPLAN2020, SARDANA2024};
    use proptest::prelude::*;

    /// The numeric search must find the closed-form optimum to this relative precision.
    const NUMERIC_REL: f64 = 1e-6;

    #[test]
    fn zero_inference_is_chinchilla() {
        // Two routes: the closed form vs the numeric minimisation with D_inf = 0.
        for law in [
            Law::Chinchilla(hoffmann2022_tex()),
            Law::Chinchilla(SARDANA2024),
        ] {
            let (n, d) = chinchilla_for_loss(&law, 2.1).unwrap();
            let (nn, nd) = minimise_on_iso_loss(&law, 2.1, |n, d| n * d).unwrap();
            assert!((nn / n - 1.0).abs() < NUMERIC_REL);
            assert!((nd / d - 1.0).abs() < NUMERIC_REL);
            // and the closed form lies on the compute-optimal frontier
            let o = law.optimal(6.0 * n * d).unwrap();
            assert!((o.params / n - 1.0).abs() < 1e-9);
        }
    }

    #[test]
    fn sardana_fig1_direction() {
        // Sardana et al. 2024 §3 / Fig. 1: with inference demand of the order of the training
        // data, the optimum is smaller and trained longer. We check the direction and that the
        // saving is material at D_inf = 1e13 (their Fig. 1 regime), not the figure's digits.
        let law = Law::Chinchilla(SARDANA2024);
        let r = inference_optimal(&law, 2.0, 1e13).unwrap();
        assert!(r.optimum.params < r.chinchilla.params);
        assert!(r.optimum.tokens > r.chinchilla.tokens);
        assert!(r.lifetime_saving > 0.0 && r.lifetime_saving < 1.0);
    }

    #[test]
    fn kaplan_has_an_inference_optimum() {
        let r = inference_optimal(&Law::Kaplan(KAPLAN2020), 2.5, 1e12).unwrap();
        assert!(r.optimum.params <= r.chinchilla.params);
        assert!((KAPLAN2020.loss(r.optimum.params, r.optimum.tokens) - 2.5).abs() < 1e-9);
    }

    #[test]
    fn unreachable_and_bad_inputs() {
        let law = Law::Chinchilla(SARDANA2024);
        assert!(matches!(
            inference_optimal(&law, 1.5, 1e12),
            Err(ScalingError::UnreachableLoss { .. })
        ));
        assert!(inference_optimal(&law, f64::NAN, 1e12).is_err());
        assert!(inference_optimal(&law, 2.0, -1.0).is_err());
        let ds = Law::DeepSeek(crate::scaling::DEEPSEEK2024);
        assert!(matches!(
            inference_optimal(&ds, 2.0, 1e12),
            Err(ScalingError::NoLoss { .. })
        ));
        assert!(PhaseCost::new(1e15, 0.0, 2.0).is_err());
    }

    #[test]
    fn dollar_version_with_equal_prices_matches_flops() {
        // Same $/FLOP in every phase: the cost optimum is the FLOP optimum.
        let law = Law::Chinchilla(hoffmann2022_tex());
        let p = PhaseCost::new(989.4e12, 0.4, 2.0).unwrap();
        let pricing = FlopPricing {
            training: p,
            prefill: p,
            decode: p,
            prefill_tokens: 6e12,
            decode_tokens: 4e12,
        };
        let c = cost_optimal(&law, 2.0, &pricing).unwrap();
        let f = inference_optimal(&law, 2.0, 1e13).unwrap();
        assert!((c.params / f.optimum.params - 1.0).abs() < NUMERIC_REL);
        // Expensive decode (1% utilisation, Sardana's default) pushes to an even smaller model.
        let slow = FlopPricing {
            decode: PhaseCost::new(989.4e12, 0.01, 2.0).unwrap(),
            ..pricing
        };
        let s = cost_optimal(&law, 2.0, &slow).unwrap();
        assert!(s.params < c.params);
        assert!(s.usd <= s.chinchilla_usd);
    }

    proptest! {
        #[test]
        fn never_more_params_than_chinchilla(
            loss in 1.75f64..3.5,
            log_t in 0.0f64..16.0,
        ) {
            let law = Law::Chinchilla(hoffmann2022_tex());
            let r = inference_optimal(&law, loss, 10f64.powf(log_t)).unwrap();
            prop_assert!(r.optimum.params <= r.chinchilla.params * (1.0 + NUMERIC_REL));
            prop_assert!(r.optimum.lifetime_flops <= r.chinchilla.lifetime_flops);
            let l = law.loss(r.optimum.params, r.optimum.tokens).unwrap();
            prop_assert!((l - loss).abs() < 1e-9);
        }
    }
}
