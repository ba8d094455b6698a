//! Data-constrained scaling (Muennighoff et al. 2023): repeated epochs are worth less than fresh
//! tokens, and parameters beyond what the unique data supports are worth less than useful ones.

use super::explain::Source;
use super::minimize::minimize;
use super::{positive, Law, Optimum, ParametricLaw, ScalingError};
use serde::Serialize;

/// Muennighoff et al. 2023, Scaling Data-Constrained Language Models (NeurIPS).
pub const SRC_MUENNIGHOFF: Source = Source {
    id: "muennighoff2023",
    citation: "Muennighoff et al. 2023, Scaling Data-Constrained Language Models",
    locator: "arXiv 2305.16264 v4 §3 eq. 5 (D', N') and §3.1 fitted R*_D = 15.4, R*_N = 5.3",
    url: "https://arxiv.org/abs/2305.16264",
};

/// `R*_D`: the number of repetitions after which repeated data is worth `1 − 1/e` of its value
/// (Muennighoff et al. 2023, §3.1).
pub const R_STAR_TOKENS: f64 = 15.4;

/// `R*_N`: the parameter analogue for excess parameters (Muennighoff et al. 2023, §3.1).
pub const R_STAR_PARAMS: f64 = 5.3;

/// Effective data for `D` tokens drawn from `U` unique ones.
///
/// # Formula
/// `D' = U + U·R*·(1 − e^(−R/R*))`, `R = D/U − 1` (repeated epochs beyond the first), `D' = D` when
/// `D ≤ U`.
/// - `U`: unique tokens, `D`: tokens trained on, `R*`: decay constant (15.4), `D'`: tokens.
///
/// Muennighoff et al. 2023, eq. 5.
///
/// ```
/// use scalecalc_model::scaling::data::{effective_data, R_STAR_TOKENS};
/// // Four epochs: R = 3, D' = U·(1 + 15.4·(1 − e^(−3/15.4))) ≈ 3.726·U, nearly fresh data.
/// let d = effective_data(1e9, 4e9, R_STAR_TOKENS);
/// assert!((d / 1e9 - 3.7259).abs() < 1e-3);
/// assert_eq!(effective_data(1e9, 5e8, R_STAR_TOKENS), 5e8);
/// ```
pub fn effective_data(unique: f64, trained: f64, r_star: f64) -> f64 {
    if trained <= unique {
        return trained;
    }
    let r = trained / unique - 1.0;
    unique + unique * r_star * (1.0 - (-r / r_star).exp())
}

/// The data constraint: unique tokens available and the decay constants.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DataConstraint {
    /// `U_D`: unique tokens available.
    pub unique_tokens: f64,
    /// `R*_D` (default [`R_STAR_TOKENS`]).
    pub r_star_tokens: f64,
    /// `R*_N` for excess parameters, or `None` to count parameters at face value.
    ///
    /// Only applied to Chinchilla-form laws: `U_N` needs the law's compute-optimal frontier.
    pub r_star_params: Option<f64>,
}

impl DataConstraint {
    /// A constraint of `unique_tokens` with the paper's `R*_D` and no parameter decay.
    pub fn new(unique_tokens: f64) -> Result<Self, ScalingError> {
        Ok(Self {
            unique_tokens: positive("unique tokens", unique_tokens)?,
            r_star_tokens: R_STAR_TOKENS,
            r_star_params: None,
        })
    }

    /// Also discounts excess parameters with `R*_N` = [`R_STAR_PARAMS`].
    pub fn with_excess_params(mut self) -> Self {
        self.r_star_params = Some(R_STAR_PARAMS);
        self
    }

    /// `D'` for `D` tokens trained.
    pub fn effective_tokens(&self, tokens: f64) -> f64 {
        effective_data(self.unique_tokens, tokens, self.r_star_tokens)
    }

    /// `N'` for `N` parameters (Muennighoff et al. 2023, eq. 5): `U_N = min(N_opt(U_D), N)` where
    /// `N_opt(U_D)` is the Chinchilla-optimal size whose optimal data is `U_D`, `R_N = N/U_N − 1`,
    /// `N' = U_N + U_N·R*_N·(1 − e^(−R_N/R*_N))`. Returns `N` when no `R*_N` is set.
    ///
    /// The paper fits `R*` with its own refit of the Chinchilla constants; we apply the published
    /// `R*` to whichever law is chosen, an approximation the page states.
    pub fn effective_params(&self, law: &ParametricLaw, params: f64) -> f64 {
        let Some(r_star) = self.r_star_params else {
            return params;
        };
        // D*(C) = G⁻¹·(C/6)^b = U  ⇒  C/6 = (G·U)^(1/b), N_opt = G·(C/6)^a.
        let g = law.g();
        let c6 = (g * self.unique_tokens).powf(1.0 / law.tokens_exponent());
        let n_opt = g * c6.powf(law.params_exponent());
        effective_data(n_opt.min(params), params, r_star)
    }

    /// Loss with repeated data: `L(N', D')`; `None` without a loss formula.
    pub fn loss(&self, law: &Law, params: f64, tokens: f64) -> Option<f64> {
        let d = self.effective_tokens(tokens);
        let n = match law {
            Law::Chinchilla(p) => self.effective_params(p, params),
            _ => params,
        };
        law.loss(n, d)
    }
}

/// The loss-minimising allocation for a budget when data is limited.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DataConstrainedOptimum {
    /// Budget, FLOP.
    pub flops: f64,
    /// Parameters.
    pub params: f64,
    /// Tokens trained on (`C/(6N)`).
    pub tokens: f64,
    /// Epochs over the unique data, `D/U`.
    pub epochs: f64,
    /// `D'`.
    pub effective_tokens: f64,
    /// `N'` (equal to `params` when excess parameters are not discounted).
    pub effective_params: f64,
    /// Loss, nats/token.
    pub loss: f64,
    /// The unconstrained optimum of the same budget, for comparison.
    pub unconstrained: Optimum,
}

/// Minimises `L(N', D')` along `C = 6ND` by a 1-D search in `ln N` (the paper's optimum has no
/// closed form once `D'` saturates).
pub fn optimal(
    law: &Law,
    flops: f64,
    dc: &DataConstraint,
) -> Result<DataConstrainedOptimum, ScalingError> {
    positive("compute budget (FLOP)", flops)?;
    if !law.has_loss() {
        return Err(ScalingError::NoLoss {
            law: law.form_name().into(),
        });
    }
    let unconstrained = law.optimal(flops).ok_or(ScalingError::NoOptimum {
        what: "the unconstrained optimum",
    })?;
    let (x, loss) = minimize(
        |x| {
            let n = x.exp();
            dc.loss(law, n, flops / (6.0 * n)).unwrap_or(f64::INFINITY)
        },
        0.0,
        (flops / 6.0).ln(),
    )
    .ok_or(ScalingError::NoOptimum {
        what: "the data-constrained optimum",
    })?;
    let params = x.exp();
    let tokens = flops / (6.0 * params);
    Ok(DataConstrainedOptimum {
        flops,
        params,
        tokens,
        epochs: tokens / dc.unique_tokens,
        effective_tokens: dc.effective_tokens(tokens),
        effective_params: match law {
            Law::Chinchilla(p) => dc.effective_params(p, params),
            _ => params,
        },
        loss,
        unconstrained,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scaling::HOFFMANN2022;
    use proptest::prelude::*;

    #[test]
    fn plenty_of_data_is_the_unconstrained_optimum() {
        let law = Law::Chinchilla(HOFFMANN2022);
        let dc = DataConstraint::new(1e15).unwrap();
        let o = optimal(&law, 1e22, &dc).unwrap();
        assert!((o.params / o.unconstrained.params - 1.0).abs() < 1e-6);
        assert!((o.loss - o.unconstrained.loss.unwrap()).abs() < 1e-12);
    }

    #[test]
    fn scarce_data_shifts_to_bigger_models() {
        // Muennighoff et al. 2023 §4 (Fig. 3): with data fixed, extra compute is better spent on
        // parameters than on more epochs than Chinchilla would take.
        let law = Law::Chinchilla(HOFFMANN2022);
        let c = 1e23;
        let free = law.optimal(c).unwrap();
        let dc = DataConstraint::new(free.tokens / 20.0).unwrap();
        let o = optimal(&law, c, &dc).unwrap();
        assert!(o.params > free.params);
        assert!(o.loss > free.loss.unwrap());
        assert!(o.epochs > 1.0);
        assert!(DataConstraint::new(0.0).is_err());
    }

    proptest! {
        #[test]
        fn effective_data_bounds(u in 1e6f64..1e12, epochs in 0.01f64..1000.0) {
            let d = u * epochs;
            let e = effective_data(u, d, R_STAR_TOKENS);
            prop_assert!(e <= d * (1.0 + 1e-12));
            prop_assert!(e <= u * (1.0 + R_STAR_TOKENS) * (1.0 + 1e-12));
            prop_assert!(e >= d.min(u) * (1.0 - 1e-12));
        }
    }
}
