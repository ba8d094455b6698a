//! The Chinchilla parametric law and its compute-optimal allocation.
//!
//! The Chinchilla parametric form (Hoffmann et al. 2022, arXiv 2203.15556, §3.3):
//!
//! # Formula
//! `L(N, D) = E + A/N^α + B/D^β`
//! - `N`: total parameters (embeddings included), `D`: training tokens, `L`: nats/token.
//!
//! Under `C ≈ 6ND` the loss-minimising allocation (eq. 4) is
//! `N*(C) = G·(C/6)^a`, `D*(C) = G⁻¹·(C/6)^b`, `G = (αA/(βB))^(1/(α+β))`, `a = β/(α+β)`, `b = α/(α+β)`.

use super::explain::{Explained, Source};
use crate::explain::Key;
use serde::{Deserialize, Serialize};

/// Hoffmann et al. 2022, the Chinchilla paper.
pub const SRC_HOFFMANN: Source = Source {
    id: "hoffmann2022",
    citation: "Hoffmann et al. 2022, Training Compute-Optimal Large Language Models",
    locator: "§3.3 eq. 2 (law) and eq. 4 (allocation); rounded constants as printed",
    url: "https://arxiv.org/abs/2203.15556",
};

/// The unrounded constants from the paper's TeX source, as quoted by Besiroglu et al. 2024.
pub const SRC_HOFFMANN_TEX: Source = Source {
    id: "hoffmann2022-tex",
    citation: "Hoffmann et al. 2022 (TeX source), quoted in Besiroglu et al. 2024",
    locator: "arXiv 2404.10102 §2: ln A = 6.0073404, ln B = 6.0179186, ln E = 0.5267228",
    url: "https://arxiv.org/abs/2404.10102",
};

/// Epoch's replication (maximum-likelihood fit on data read off Chinchilla Fig. 4).
pub const SRC_BESIROGLU: Source = Source {
    id: "besiroglu2024",
    citation: "Besiroglu, Erdil, Barnett, You 2024, Chinchilla Scaling: A replication attempt",
    locator: "arXiv 2404.10102 Table 1 (our estimates)",
    url: "https://arxiv.org/abs/2404.10102",
};

/// Sardana et al. 2024: the constants their released code uses.
pub const SRC_SARDANA: Source = Source {
    id: "sardana2024",
    citation: "Sardana, Portes, Doubov, Frankle 2024, Beyond Chinchilla-Optimal (ICML)",
    locator:
        "arXiv 2401.00448 v2, released code: A = 406.4, B = 410.7, E = 1.69, α = 0.336, β = 0.283",
    url: "https://arxiv.org/abs/2401.00448",
};

/// The Chinchilla-form law `L = E + A/N^α + B/D^β`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ParametricLaw {
    /// Irreducible loss `E`, nats/token.
    #[serde(rename = "E")]
    pub e: f64,
    /// Parameter-term coefficient `A`.
    #[serde(rename = "A")]
    pub a: f64,
    /// Data-term coefficient `B`.
    #[serde(rename = "B")]
    pub b: f64,
    /// Parameter exponent `α`.
    pub alpha: f64,
    /// Data exponent `β`.
    pub beta: f64,
}

/// Why a law's constants are not usable.
#[derive(Debug, Clone, PartialEq)]
pub enum LawError {
    /// A constant is NaN, infinite, or not positive (E may be zero).
    NotPositive { name: &'static str, value: f64 },
}

impl std::fmt::Display for LawError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LawError::NotPositive { name, value } => {
                write!(
                    f,
                    "law constant {name} must be a finite positive number, got {value}"
                )
            }
        }
    }
}

impl std::error::Error for LawError {}

/// Compute-optimal allocation for a budget.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Allocation {
    /// Compute budget, FLOP.
    pub flops: f64,
    /// Optimal parameters `N*`.
    pub params: f64,
    /// Optimal training tokens `D*`.
    pub tokens: f64,
    /// `D*/N*`.
    pub tokens_per_param: f64,
    /// Predicted loss at the optimum, nats/token.
    pub loss: f64,
}

impl ParametricLaw {
    /// Checks every constant is finite and positive (`E ≥ 0`).
    pub fn validate(&self) -> Result<(), LawError> {
        let checks = [
            ("E", self.e, true),
            ("A", self.a, false),
            ("B", self.b, false),
            ("alpha", self.alpha, false),
            ("beta", self.beta, false),
        ];
        for (name, value, zero_ok) in checks {
            let ok = value.is_finite() && (value > 0.0 || (zero_ok && value == 0.0));
            if !ok {
                return Err(LawError::NotPositive { name, value });
            }
        }
        Ok(())
    }

    /// `L(N, D) = E + A/N^α + B/D^β`, nats/token.
    ///
    /// ```
    /// use scalecalc_model::scaling::HOFFMANN2022;
    /// let l = HOFFMANN2022.loss(70e9, 1.4e12);
    /// assert!((l - 1.9369).abs() < 1e-3);
    /// ```
    pub fn loss(&self, params: f64, tokens: f64) -> f64 {
        self.e + self.a / params.powf(self.alpha) + self.b / tokens.powf(self.beta)
    }

    /// `G = (αA/(βB))^(1/(α+β))`.
    pub fn g(&self) -> f64 {
        (self.alpha * self.a / (self.beta * self.b)).powf(1.0 / (self.alpha + self.beta))
    }

    /// Exponent `a = β/(α+β)` of `N* ∝ C^a`.
    pub fn params_exponent(&self) -> f64 {
        self.beta / (self.alpha + self.beta)
    }

    /// Exponent `b = α/(α+β)` of `D* ∝ C^b`.
    pub fn tokens_exponent(&self) -> f64 {
        self.alpha / (self.alpha + self.beta)
    }

    /// Compute-optimal `N*`, `D*` under `C = 6ND` (Hoffmann et al. 2022, eq. 4).
    ///
    /// ```
    /// use scalecalc_model::scaling::HOFFMANN2022;
    /// let opt = HOFFMANN2022.optimal(5.76e23);
    /// assert!((opt.params / 3.219e10 - 1.0).abs() < 1e-3);
    /// assert!((opt.tokens / 2.982e12 - 1.0).abs() < 1e-3);
    /// ```
    pub fn optimal(&self, flops: f64) -> Allocation {
        let g = self.g();
        let c6 = flops / 6.0;
        let params = g * c6.powf(self.params_exponent());
        let tokens = c6.powf(self.tokens_exponent()) / g;
        Allocation {
            flops,
            params,
            tokens,
            tokens_per_param: tokens / params,
            loss: self.loss(params, tokens),
        }
    }

    /// The allocation with each number explained (formula, values, source).
    pub fn optimal_explained(&self, flops: f64, source: Source) -> Vec<Explained> {
        let o = self.optimal(flops);
        let (g, a, b) = (self.g(), self.params_exponent(), self.tokens_exponent());
        vec![
            Explained::new(
                Key::OptimalParams,
                o.params,
                "params",
                "N* = G·(C/6)^a, G = (αA/(βB))^(1/(α+β)), a = β/(α+β)",
                format!("N* = {g:.4}·({flops:.3e}/6)^{a:.4} = {:.4e}", o.params),
                source,
            ),
            Explained::new(
                Key::OptimalTokens,
                o.tokens,
                "tokens",
                "D* = G⁻¹·(C/6)^b, b = α/(α+β)",
                format!("D* = ({flops:.3e}/6)^{b:.4} / {g:.4} = {:.4e}", o.tokens),
                source,
            ),
            Explained::new(
                Key::OptimalTokensPerParam,
                o.tokens_per_param,
                "tokens/param",
                "D*/N*",
                format!(
                    "{:.4e} / {:.4e} = {:.2}",
                    o.tokens, o.params, o.tokens_per_param
                ),
                source,
            ),
            Explained::new(
                Key::OptimalLoss,
                o.loss,
                "nats/token",
                "L = E + A/N^α + B/D^β",
                format!(
                    "L = {} + {}/{:.3e}^{} + {}/{:.3e}^{} = {:.4}",
                    self.e, self.a, o.params, self.alpha, self.b, o.tokens, self.beta, o.loss
                ),
                source,
            ),
        ]
    }
}

impl ParametricLaw {
    /// Training tokens that reach loss `ℓ` with `N` parameters, or `None` when `N` alone cannot
    /// get there (`E + A/N^α ≥ ℓ`).
    ///
    /// # Formula
    /// `D(N; ℓ) = (B / (ℓ − E − A/N^α))^(1/β)`
    /// - `N`: parameters, `ℓ`: target loss (nats/token), `D`: tokens.
    ///
    /// Solved from `L(N, D) = ℓ` (Hoffmann et al. 2022, eq. 2).
    ///
    /// ```
    /// use scalecalc_model::scaling::HOFFMANN2022;
    /// let d = HOFFMANN2022.tokens_for_loss(70e9, 2.0).unwrap();
    /// assert!((HOFFMANN2022.loss(70e9, d) - 2.0).abs() < 1e-12);
    /// assert!(HOFFMANN2022.tokens_for_loss(1e6, 2.0).is_none());
    /// ```
    pub fn tokens_for_loss(&self, params: f64, target_loss: f64) -> Option<f64> {
        let rest = target_loss - self.e - self.a / params.powf(self.alpha);
        if rest.is_nan() || rest <= 0.0 {
            return None;
        }
        let d = (self.b / rest).powf(1.0 / self.beta);
        d.is_finite().then_some(d)
    }

    /// The smallest model that can reach `ℓ` with unlimited data: `N_min = (A/(ℓ − E))^(1/α)`;
    /// `None` when `ℓ ≤ E`.
    pub fn min_params_for_loss(&self, target_loss: f64) -> Option<f64> {
        let gap = target_loss - self.e;
        (gap > 0.0).then(|| (self.a / gap).powf(1.0 / self.alpha))
    }

    /// The compute-optimal (training-only) model reaching loss `ℓ`, in closed form; `None` when
    /// `ℓ ≤ E`.
    ///
    /// # Formula
    /// On the frontier of eq. 4 the two terms keep the ratio `αA/N^α = βB/D^β`, hence
    /// `N = (A(α+β)/(β(ℓ−E)))^(1/α)`, `D = (B(α+β)/(α(ℓ−E)))^(1/β)` (derived from
    /// Hoffmann et al. 2022, eq. 4, by a Lagrange condition).
    ///
    /// ```
    /// use scalecalc_model::scaling::HOFFMANN2022;
    /// let (n, d) = HOFFMANN2022.optimal_for_loss(1.9307).unwrap();
    /// let o = HOFFMANN2022.optimal(6.0 * n * d);
    /// assert!((o.loss - 1.9307).abs() < 1e-9);
    /// ```
    pub fn optimal_for_loss(&self, target_loss: f64) -> Option<(f64, f64)> {
        let gap = target_loss - self.e;
        if gap.is_nan() || gap <= 0.0 {
            return None;
        }
        let s = self.alpha + self.beta;
        let n = (self.a * s / (self.beta * gap)).powf(1.0 / self.alpha);
        let d = (self.b * s / (self.alpha * gap)).powf(1.0 / self.beta);
        (n.is_finite() && d.is_finite()).then_some((n, d))
    }
}

/// Chinchilla, rounded constants as printed (Hoffmann et al. 2022, §3.3).
pub const HOFFMANN2022: ParametricLaw = ParametricLaw {
    e: 1.69,
    a: 406.4,
    b: 410.7,
    alpha: 0.34,
    beta: 0.28,
};

/// Chinchilla, unrounded constants from the TeX source (via Besiroglu et al. 2024).
/// `A = e^6.0073404`, `B = e^6.0179186`, `E = e^0.5267228`.
pub fn hoffmann2022_tex() -> ParametricLaw {
    ParametricLaw {
        e: 0.526_722_8_f64.exp(),
        a: 6.007_340_4_f64.exp(),
        b: 6.017_918_6_f64.exp(),
        alpha: 0.339_170_84,
        beta: 0.284_908_3,
    }
}

/// Epoch's replication (Besiroglu et al. 2024, Table 1).
pub const BESIROGLU2024: ParametricLaw = ParametricLaw {
    e: 1.8172,
    a: 482.01,
    b: 2085.43,
    alpha: 0.3478,
    beta: 0.3658,
};

/// The Chinchilla law as Sardana et al. 2024 evaluate it in their code. These exponents are neither
/// the rounded (0.34, 0.28) nor the TeX (0.3392, 0.2849) values; we keep them as a separate preset
/// so the inference-aware optimum can be compared with theirs digit for digit.
pub const SARDANA2024: ParametricLaw = ParametricLaw {
    e: 1.69,
    a: 406.4,
    b: 410.7,
    alpha: 0.336,
    beta: 0.283,
};

/// A named Chinchilla-form preset (the general catalogue of every law is [`super::LAWS`]).
#[derive(Debug, Clone, Copy)]
pub struct LawPreset {
    pub id: &'static str,
    pub name: &'static str,
    pub law: fn() -> ParametricLaw,
    pub source: Source,
}

/// Every Chinchilla-form preset, in the order the page lists them. Laws of other forms (Kaplan,
/// allocation-only laws) are in [`super::LAWS`].
pub const LAW_PRESETS: &[LawPreset] = &[
    LawPreset {
        id: "hoffmann2022",
        name: "Chinchilla (rounded)",
        law: || HOFFMANN2022,
        source: SRC_HOFFMANN,
    },
    LawPreset {
        id: "hoffmann2022-tex",
        name: "Chinchilla (unrounded)",
        law: hoffmann2022_tex,
        source: SRC_HOFFMANN_TEX,
    },
    LawPreset {
        id: "besiroglu2024",
        name: "Epoch replication",
        law: || BESIROGLU2024,
        source: SRC_BESIROGLU,
    },
    LawPreset {
        id: "sardana2024",
        name: "Sardana et al. (code constants)",
        law: || SARDANA2024,
        source: SRC_SARDANA,
    },
];

/// Looks a Chinchilla-form preset up by id (every law: [`super::law_by_id`]).
pub fn law_preset(id: &str) -> Option<&'static LawPreset> {
    LAW_PRESETS.iter().find(|p| p.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rel(a: f64, b: f64) -> f64 {
        (a / b - 1.0).abs()
    }

    #[test]
    fn gopher_budget_golden() {
        // docs/science.md §1 (derived from eq. 4 with the rounded constants): C = 5.76e23.
        let o = HOFFMANN2022.optimal(5.76e23);
        assert!(rel(o.params, 3.219e10) < 1e-3, "{o:?}");
        assert!(rel(o.tokens, 2.982e12) < 1e-3, "{o:?}");
        assert!((o.tokens_per_param - 92.6).abs() < 0.1);
        assert!((o.loss - 1.9307).abs() < 1e-3);
    }

    #[test]
    fn six_nd_holds_at_optimum() {
        for c in [1e18, 1e21, 5.76e23, 1e27] {
            let o = HOFFMANN2022.optimal(c);
            assert!(rel(6.0 * o.params * o.tokens, c) < 1e-12);
        }
    }

    #[test]
    fn optimum_beats_neighbours_on_iso_flop() {
        // Two independent routes agree: the closed form vs a brute-force scan along C = 6ND.
        let law = hoffmann2022_tex();
        let c = 1e22;
        let o = law.optimal(c);
        let mut best = (f64::INFINITY, 0.0);
        let mut ln_n = 15.0_f64;
        while ln_n < 30.0 {
            let n = ln_n.exp();
            let l = law.loss(n, c / (6.0 * n));
            if l < best.0 {
                best = (l, n);
            }
            ln_n += 1e-4;
        }
        assert!(rel(best.1, o.params) < 1e-3);
        assert!(o.loss <= best.0 + 1e-12);
    }

    #[test]
    fn presets_validate() {
        for p in LAW_PRESETS {
            (p.law)().validate().unwrap();
        }
        assert!(ParametricLaw {
            alpha: f64::NAN,
            ..HOFFMANN2022
        }
        .validate()
        .is_err());
    }
}
