//! Kaplan et al. 2020's joint law `L(N, D)` and its compute-optimal allocation under `C = 6ND`.

use super::explain::Source;
use super::minimize::minimize;
use super::{Optimum, ScalingError};
use serde::{Deserialize, Serialize};

/// Kaplan et al. 2020, Scaling Laws for Neural Language Models.
pub const SRC_KAPLAN: Source = Source {
    id: "kaplan2020",
    citation: "Kaplan et al. 2020, Scaling Laws for Neural Language Models",
    locator: "arXiv 2001.08361 v1, eq. 1.5 with the Table 2 fit: α_N = 0.076, α_D = 0.103, N_c = 6.4e13, D_c = 1.8e13",
    url: "https://arxiv.org/abs/2001.08361",
};

/// Kaplan's joint law.
///
/// # Formula
/// `L(N, D) = [(N_c/N)^(α_N/α_D) + D_c/D]^α_D`
/// - `N`: **non-embedding** parameters, `D`: training tokens, `L`: nats/token.
///
/// Kaplan et al. 2020, eq. 1.5 / 4.1, constants from Table 2.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct KaplanLaw {
    /// `α_N`.
    pub alpha_n: f64,
    /// `α_D`.
    pub alpha_d: f64,
    /// `N_c`, non-embedding parameters.
    pub n_c: f64,
    /// `D_c`, tokens.
    pub d_c: f64,
}

/// Kaplan et al. 2020, Table 2 (the `L(N, D)` fit). Not the single-variable constants
/// (`α_D = 0.095`, `N_c = 8.8e13`, `D_c = 5.4e13`) of eqs. 1.1–1.2, which belong to other fits.
pub const KAPLAN2020: KaplanLaw = KaplanLaw {
    alpha_n: 0.076,
    alpha_d: 0.103,
    n_c: 6.4e13,
    d_c: 1.8e13,
};

impl KaplanLaw {
    /// Checks every constant is finite and positive.
    pub fn validate(&self) -> Result<(), ScalingError> {
        for (name, value) in [
            ("alpha_n", self.alpha_n),
            ("alpha_d", self.alpha_d),
            ("n_c", self.n_c),
            ("d_c", self.d_c),
        ] {
            if !(value.is_finite() && value > 0.0) {
                return Err(ScalingError::BadConstant { name, value });
            }
        }
        Ok(())
    }

    /// `L(N, D) = [(N_c/N)^(α_N/α_D) + D_c/D]^α_D`, nats/token.
    ///
    /// ```
    /// use scalecalc_model::scaling::KAPLAN2020;
    /// // N = N_c, D → ∞: L = 1 exactly.
    /// assert!((KAPLAN2020.loss(6.4e13, f64::INFINITY) - 1.0).abs() < 1e-15);
    /// ```
    pub fn loss(&self, params: f64, tokens: f64) -> f64 {
        ((self.n_c / params).powf(self.alpha_n / self.alpha_d) + self.d_c / tokens)
            .powf(self.alpha_d)
    }

    /// Tokens reaching loss `ℓ` with `N` non-embedding parameters:
    /// `D = D_c / (ℓ^(1/α_D) − (N_c/N)^(α_N/α_D))`; `None` when `N` alone cannot reach `ℓ`.
    pub fn tokens_for_loss(&self, params: f64, target_loss: f64) -> Option<f64> {
        if target_loss.is_nan() || target_loss <= 0.0 {
            return None;
        }
        let rest = target_loss.powf(1.0 / self.alpha_d)
            - (self.n_c / params).powf(self.alpha_n / self.alpha_d);
        let d = self.d_c / rest;
        (rest > 0.0 && d.is_finite()).then_some(d)
    }

    /// The smallest model reaching `ℓ` with unlimited data: `N_min = N_c·ℓ^(−1/α_N)`.
    pub fn min_params_for_loss(&self, target_loss: f64) -> Option<f64> {
        (target_loss > 0.0).then(|| self.n_c * target_loss.powf(-1.0 / self.alpha_n))
    }

    /// Compute-optimal `N*`, `D*` for budget `C` under `C = 6ND`, by a 1-D minimisation of
    /// `L(N, C/(6N))` over `ln N ∈ [0, ln(C/6)]` (so `N ≥ 1`, `D ≥ 1`).
    ///
    /// Kaplan's own compute-efficient frontier (`N ∝ C^0.73`, §6) comes from the `L(N, S)` law with
    /// early stopping and the critical batch, not from `L(N, D)`; minimising this joint law at
    /// `C = 6ND` instead gives `N ∝ C^(1/(1 + α_N/α_D)) ≈ C^0.575`. We use `L(N, D)` so that every
    /// law in the comparison is optimised the same way; the page says so.
    pub fn optimal(&self, flops: f64) -> Option<Optimum> {
        if !(flops.is_finite() && flops > 6.0) {
            return None;
        }
        let (x, loss) = minimize(
            |x| {
                let n = x.exp();
                self.loss(n, flops / (6.0 * n))
            },
            0.0,
            (flops / 6.0).ln(),
        )?;
        let params = x.exp();
        let tokens = flops / (6.0 * params);
        Some(Optimum::new(flops, params, tokens, Some(loss)))
    }

    /// The same optimum in closed form (an independent check of [`Self::optimal`]):
    /// with `k = α_N/α_D`, `N*^(1+k) = k·N_c^k·C/(6·D_c)` (derived: set `d/d ln N` of the bracket
    /// to zero).
    pub fn optimal_params_closed_form(&self, flops: f64) -> f64 {
        let k = self.alpha_n / self.alpha_d;
        (k * self.n_c.powf(k) * flops / (6.0 * self.d_c)).powf(1.0 / (1.0 + k))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The numeric minimiser must match the closed form to this relative precision.
    const NUMERIC_REL: f64 = 1e-6;

    #[test]
    fn numeric_optimum_matches_closed_form() {
        for c in [1e18, 1e21, 5.76e23, 1e27] {
            let o = KAPLAN2020.optimal(c).unwrap();
            let n = KAPLAN2020.optimal_params_closed_form(c);
            assert!(
                (o.params / n - 1.0).abs() < NUMERIC_REL,
                "{c}: {} vs {n}",
                o.params
            );
            assert!((6.0 * o.params * o.tokens / c - 1.0).abs() < 1e-12);
        }
    }

    #[test]
    fn allocation_exponent() {
        let k = KAPLAN2020.alpha_n / KAPLAN2020.alpha_d;
        let a = (KAPLAN2020.optimal(1e25).unwrap().params
            / KAPLAN2020.optimal(1e21).unwrap().params)
            .log10()
            / 4.0;
        assert!((a - 1.0 / (1.0 + k)).abs() < 1e-6);
    }

    #[test]
    fn tokens_for_loss_inverts_loss() {
        let d = KAPLAN2020.tokens_for_loss(1e9, 2.5).unwrap();
        assert!((KAPLAN2020.loss(1e9, d) - 2.5).abs() < 1e-10);
        let n_min = KAPLAN2020.min_params_for_loss(2.5).unwrap();
        assert!(KAPLAN2020.tokens_for_loss(n_min * 0.99, 2.5).is_none());
        assert!(KAPLAN2020.tokens_for_loss(n_min * 1.01, 2.5).is_some());
    }
}
