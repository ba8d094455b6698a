//! Hyper-parameter scaling laws (DeepSeek LLM 2024) and a power-law fit of the user's own points.

use super::allocation::{PowerLaw, SRC_DEEPSEEK};
use super::explain::{Explained, Source};
use crate::explain::Key;
use serde::Serialize;
use statrs::distribution::{ContinuousCDF, StudentsT};

/// DeepSeek's optimal learning rate, `η_opt = 0.3118·C^−0.1250` (§3.1 eq. 1; `C = M·D`, FLOP).
pub const DEEPSEEK_LR: PowerLaw = PowerLaw {
    coefficient: 0.3118,
    exponent: -0.1250,
};

/// DeepSeek's optimal batch size in tokens, `B_opt = 0.2920·C^0.3271` (§3.1 eq. 1).
pub const DEEPSEEK_BATCH: PowerLaw = PowerLaw {
    coefficient: 0.2920,
    exponent: 0.3271,
};

/// Optimal hyper-parameters for a budget.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct HyperParams {
    /// Budget `C`, FLOP (DeepSeek counts `C = M·D` with non-embedding FLOPs per token `M`).
    pub flops: f64,
    /// Batch size, tokens.
    pub batch_tokens: f64,
    /// Peak learning rate (AdamW, their multi-step schedule).
    pub learning_rate: f64,
}

/// DeepSeek's hyper-parameter laws at budget `C`.
///
/// # Formula
/// `B_opt = 0.2920·C^0.3271` tokens, `η_opt = 0.3118·C^−0.1250`; `C` in FLOP.
///
/// DeepSeek LLM 2024, §3.1 eq. 1.
///
/// ```
/// use scalecalc_model::scaling::hyper::deepseek_hyperparams;
/// let h = deepseek_hyperparams(1e20);
/// assert!((h.batch_tokens / 1.018e6 - 1.0).abs() < 1e-3);
/// assert!((h.learning_rate / 9.86e-4 - 1.0).abs() < 1e-3);
/// ```
pub fn deepseek_hyperparams(flops: f64) -> HyperParams {
    HyperParams {
        flops,
        batch_tokens: DEEPSEEK_BATCH.at(flops),
        learning_rate: DEEPSEEK_LR.at(flops),
    }
}

/// The two numbers explained.
pub fn deepseek_hyperparams_explained(flops: f64) -> Vec<Explained> {
    let h = deepseek_hyperparams(flops);
    vec![
        Explained::new(
            Key::HyperBatchTokens,
            h.batch_tokens,
            "tokens",
            "B_opt = 0.2920·C^0.3271",
            format!(
                "B_opt = 0.2920·({flops:.3e})^0.3271 = {:.4e}",
                h.batch_tokens
            ),
            SRC_DEEPSEEK,
        ),
        Explained::new(
            Key::HyperLearningRate,
            h.learning_rate,
            "",
            "η_opt = 0.3118·C^−0.1250",
            format!(
                "η_opt = 0.3118·({flops:.3e})^−0.1250 = {:.4e}",
                h.learning_rate
            ),
            SRC_DEEPSEEK,
        ),
    ]
}

/// Ordinary least squares in log–log space with Student-t intervals (standard regression theory,
/// e.g. Montgomery, Peck & Vining, Introduction to Linear Regression Analysis, §2.3).
pub const SRC_OLS: Source = Source {
    id: "ols-loglog",
    citation: "Ordinary least squares on (ln C, ln y); Student-t confidence intervals",
    locator: "Student-t quantile with n − 2 degrees of freedom",
    url: "",
};

/// Why a power-law fit cannot run.
#[derive(Debug, Clone, PartialEq)]
pub enum PowerFitError {
    /// Fewer than 3 points (the interval needs n − 2 ≥ 1 degrees of freedom).
    TooFewPoints { n: usize },
    /// A point has a non-finite or non-positive coordinate (row index from 0).
    NotPositive { row: usize, x: f64, y: f64 },
    /// All compute values are equal: the slope is undefined.
    NoSpread,
}

impl std::fmt::Display for PowerFitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PowerFitError::TooFewPoints { n } => {
                write!(f, "a power-law fit needs at least 3 points, got {n}")
            }
            PowerFitError::NotPositive { row, x, y } => write!(
                f,
                "point {}: compute and value must be finite and greater than 0, got ({x}, {y})",
                row + 1
            ),
            PowerFitError::NoSpread => {
                write!(
                    f,
                    "all points have the same compute: the exponent is undefined"
                )
            }
        }
    }
}

impl std::error::Error for PowerFitError {}

crate::hows! {
    /// The hyper-parameter law fit's explained numbers.
    PowerFitHow {
        exponent: HpfitExponent,
        coefficient: HpfitCoefficient,
        at_budget: HpfitAtBudget,
    }
}

/// A fitted `y = k·C^p` with 95% intervals.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PowerFit {
    pub law: PowerLaw,
    /// 95% confidence interval of `k` (from the interval of `ln k`).
    pub coefficient_ci95: (f64, f64),
    /// 95% confidence interval of `p`.
    pub exponent_ci95: (f64, f64),
    /// Coefficient of determination in log space.
    pub r_squared: f64,
    /// Points used.
    pub n: usize,
    /// Residual standard deviation in `ln y`.
    pub residual_sd: f64,
    /// Mean and sum of squares of `ln C`, kept for prediction intervals.
    mean_ln_x: f64,
    sxx: f64,
    t95: f64,
}

impl PowerFit {
    /// Each number's explanation at the budget `flops`, as a field.
    pub fn how(&self, flops: f64) -> PowerFitHow {
        PowerFitHow::from_list(&self.explained(flops))
    }
}

impl PowerFit {
    /// 95% confidence interval of the fitted mean `y` at compute `C`.
    ///
    /// # Formula
    /// `exp(ln k̂ + p̂·x ± t·s·√(1/n + (x − x̄)²/Sxx))`, `x = ln C`.
    pub fn mean_ci95(&self, flops: f64) -> (f64, f64) {
        let x = flops.ln();
        let centre = self.law.coefficient.ln() + self.law.exponent * x;
        let half = self.t95
            * self.residual_sd
            * (1.0 / self.n as f64 + (x - self.mean_ln_x).powi(2) / self.sxx).sqrt();
        ((centre - half).exp(), (centre + half).exp())
    }
}

/// Fits `y = k·C^p` by least squares on `(ln C, ln y)`, with Student-t 95% intervals.
///
/// # Formula
/// `p̂ = Sxy/Sxx`, `ln k̂ = ȳ − p̂·x̄` on `x = ln C`, `y = ln value`;
/// `s² = Σ r²/(n − 2)`, `se(p̂) = s/√Sxx`, `se(ln k̂) = s·√(1/n + x̄²/Sxx)`;
/// interval = estimate ± `t_{0.975, n−2}`·se.
///
/// ```
/// use scalecalc_model::scaling::hyper::fit_power_law;
/// let pts: Vec<(f64, f64)> = [1e18_f64, 1e19, 1e20, 1e21].iter().map(|&c| (c, 0.292 * c.powf(0.3271))).collect();
/// let fit = fit_power_law(&pts).unwrap();
/// assert!((fit.law.exponent - 0.3271).abs() < 1e-9);
/// ```
pub fn fit_power_law(points: &[(f64, f64)]) -> Result<PowerFit, PowerFitError> {
    let n = points.len();
    if n < 3 {
        return Err(PowerFitError::TooFewPoints { n });
    }
    for (row, &(x, y)) in points.iter().enumerate() {
        if !(x.is_finite() && y.is_finite() && x > 0.0 && y > 0.0) {
            return Err(PowerFitError::NotPositive { row, x, y });
        }
    }
    let xs: Vec<f64> = points.iter().map(|p| p.0.ln()).collect();
    let ys: Vec<f64> = points.iter().map(|p| p.1.ln()).collect();
    let nf = n as f64;
    let mx = xs.iter().sum::<f64>() / nf;
    let my = ys.iter().sum::<f64>() / nf;
    let sxx: f64 = xs.iter().map(|x| (x - mx).powi(2)).sum();
    if sxx.is_nan() || sxx <= 1e-12 * (1.0 + mx * mx) {
        return Err(PowerFitError::NoSpread);
    }
    let sxy: f64 = xs.iter().zip(&ys).map(|(x, y)| (x - mx) * (y - my)).sum();
    let syy: f64 = ys.iter().map(|y| (y - my).powi(2)).sum();
    let slope = sxy / sxx;
    let intercept = my - slope * mx;
    let sse: f64 = xs
        .iter()
        .zip(&ys)
        .map(|(x, y)| (y - intercept - slope * x).powi(2))
        .sum();
    let dof = nf - 2.0;
    let s = (sse / dof).sqrt();
    // dof ≥ 1 and scale 1 are valid parameters: StudentsT::new cannot fail here.
    let t95 = StudentsT::new(0.0, 1.0, dof)
        .map(|t| t.inverse_cdf(0.975))
        .unwrap_or(f64::NAN);
    let se_slope = s / sxx.sqrt();
    let se_intercept = s * (1.0 / nf + mx * mx / sxx).sqrt();
    Ok(PowerFit {
        law: PowerLaw {
            coefficient: intercept.exp(),
            exponent: slope,
        },
        coefficient_ci95: (
            (intercept - t95 * se_intercept).exp(),
            (intercept + t95 * se_intercept).exp(),
        ),
        exponent_ci95: (slope - t95 * se_slope, slope + t95 * se_slope),
        r_squared: if syy > 0.0 { 1.0 - sse / syy } else { 1.0 },
        n,
        residual_sd: s,
        mean_ln_x: mx,
        sxx,
        t95,
    })
}

pub use crate::num::PairError as PointError;

/// Reads `compute,value` rows: a header line first, blank lines skipped, columns after the second
/// ignored. Every bad row is named; any bad row means no points.
///
/// ```
/// use scalecalc_model::scaling::hyper::parse_points;
/// assert_eq!(parse_points("C,B\n1e18,2e5\n\n1e19,4e5").unwrap(), vec![(1e18, 2e5), (1e19, 4e5)]);
/// let e = parse_points("C,B\n1e18,x\n-1,3").unwrap_err();
/// assert_eq!((e[0].line, e[1].line), (2, 3));
/// ```
pub fn parse_points(text: &str) -> Result<Vec<(f64, f64)>, Vec<PointError>> {
    crate::num::parse_pairs(text, ("compute", "value"), true)
}

impl PowerFit {
    /// The fitted law and its value at `flops`, each with formula, values and source.
    pub fn explained(&self, flops: f64) -> Vec<Explained> {
        let (lo, hi) = self.mean_ci95(flops);
        let (k, p) = (self.law.coefficient, self.law.exponent);
        vec![
            Explained::new(
                Key::HpfitExponent,
                p,
                "",
                "ln y = ln k + p·ln C, least squares; p ± t₀.₉₇₅(n−2)·s/√Sxx",
                format!(
                    "p = {p:.4} [{:.4}, {:.4}], n = {}, R² = {:.4}",
                    self.exponent_ci95.0, self.exponent_ci95.1, self.n, self.r_squared
                ),
                SRC_OLS,
            ),
            Explained::new(
                Key::HpfitCoefficient,
                k,
                "",
                "k = e^(ln k), the intercept of the same fit",
                format!(
                    "k = {k:.4e} [{:.4e}, {:.4e}]",
                    self.coefficient_ci95.0, self.coefficient_ci95.1
                ),
                SRC_OLS,
            ),
            Explained::new(
                Key::HpfitAtBudget,
                self.law.at(flops),
                "",
                "y(C) = k·C^p, with the 95% interval of the fitted mean",
                format!(
                    "{k:.4e} × ({flops:.3e})^{p:.4} = {:.4e} [{lo:.4e}, {hi:.4e}]",
                    self.law.at(flops)
                ),
                SRC_OLS,
            ),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// docs/science.md §1 (derived from DeepSeek §3.1 eq. 1): printed to 2–3 digits.
    const GOLDEN_REL: f64 = 0.01;

    #[test]
    fn deepseek_golden() {
        let h = deepseek_hyperparams(1e20);
        assert!((h.batch_tokens / 1.02e6 - 1.0).abs() < GOLDEN_REL);
        assert!((h.learning_rate / 9.9e-4 - 1.0).abs() < GOLDEN_REL);
    }

    #[test]
    fn known_regression() {
        // x = ln C at 1..5 (C = e^1..e^5), ln y = 1 + 2x + (+0.1, −0.1, 0, +0.1, −0.1):
        // slope = 2 + Σ(x−3)r/10 = 2 + (−0.2 + 0.1 + 0 + 0.1 − 0.2)/10 = 1.98.
        let r = [0.1, -0.1, 0.0, 0.1, -0.1];
        let pts: Vec<(f64, f64)> = (1..=5)
            .map(|i| {
                let x = i as f64;
                (x.exp(), (1.0 + 2.0 * x + r[i - 1]).exp())
            })
            .collect();
        let f = fit_power_law(&pts).unwrap();
        assert!((f.law.exponent - 1.98).abs() < 1e-12);
        // t_{0.975, 3} = 3.182446 (standard t table).
        assert!((f.t95 - 3.182_446).abs() < 1e-5);
        assert!(f.exponent_ci95.0 < 1.98 && f.exponent_ci95.1 > 1.98);
        let (lo, hi) = f.mean_ci95(3f64.exp());
        assert!(lo < f.law.at(3f64.exp()) && hi > f.law.at(3f64.exp()));
    }

    #[test]
    fn bad_points() {
        assert_eq!(
            fit_power_law(&[(1.0, 1.0)]),
            Err(PowerFitError::TooFewPoints { n: 1 })
        );
        assert!(matches!(
            fit_power_law(&[(1.0, 1.0), (2.0, -1.0), (3.0, 1.0)]),
            Err(PowerFitError::NotPositive { row: 1, .. })
        ));
        assert_eq!(
            fit_power_law(&[(5.0, 1.0), (5.0, 2.0), (5.0, 3.0)]),
            Err(PowerFitError::NoSpread)
        );
    }
}
