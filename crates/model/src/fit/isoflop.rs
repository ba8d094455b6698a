//! Hoffmann et al. 2022's "approach 2" (§3.2, Fig. 3): iso-FLOP profiles.
//!
//! # Method
//! Runs are grouped by equal compute `C = 6·N·D` (FLOP). In each group, the loss is fitted as a
//! parabola in `x = ln N` by least squares, `L(x) = p₀ + p₁x + p₂x²`; its minimum
//! `x* = −p₁/(2p₂)` gives `N_opt(C) = e^{x*}` and `D_opt(C) = C/(6·N_opt)`. The minima are then
//! fitted as a power law `N_opt = k·C^a` by least squares on `ln N_opt = ln k + a·ln C`; the token
//! law follows as `D_opt = C^{1−a}/(6k)`.
//! - `N`: parameters, `D`: training tokens, `C`: FLOP, `L`: nats/token.
//!
//! Hoffmann et al. report `a = 0.49` with this method (Table 2).

use super::runs::Run;
use crate::explain::Key;
use serde::Serialize;

/// Hoffmann et al. 2022, §3.2 and Table 2 (approach 2: `a = 0.49`).
pub const SRC_ISOFLOP: crate::explain::Source = crate::explain::Source {
    id: "hoffmann2022-approach2",
    citation: "Hoffmann et al. 2022, Training Compute-Optimal Large Language Models",
    locator: "§3.2 (IsoFLOP profiles), Fig. 3, Table 2",
    url: "https://arxiv.org/abs/2203.15556",
};

/// The fitted minimum of one iso-FLOP profile.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct IsoFlopMinimum {
    /// The group's compute (geometric mean of its runs' `6ND`), FLOP.
    pub flops: f64,
    /// `N_opt`, parameters.
    pub params: f64,
    /// `D_opt = C/(6 N_opt)`, tokens.
    pub tokens: f64,
    /// The parabola's minimum loss, nats/token.
    pub loss: f64,
    /// Runs in the group.
    pub runs: usize,
    /// The minimum lies outside the group's range of `N` (an extrapolation).
    pub extrapolated: bool,
}

/// A group that gave no minimum, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SkippedGroup {
    pub flops: f64,
    pub runs: usize,
    pub reason: String,
}

crate::hows! {
    /// The iso-FLOP fit's explained numbers.
    IsoHow {
        a: IsoA,
        b: IsoB,
        k: IsoK,
    }
}

/// The iso-FLOP analysis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IsoFlopFit {
    /// Per-budget minima, by increasing compute.
    pub minima: Vec<IsoFlopMinimum>,
    /// `a` of `N_opt = k·C^a`.
    pub params_exponent: f64,
    /// `k` of `N_opt = k·C^a`.
    pub params_coefficient: f64,
    /// `1 − a`, the exponent of `D_opt ∝ C^(1−a)`.
    pub tokens_exponent: f64,
    /// `1/(6k)`, the coefficient of `D_opt = C^(1−a)/(6k)`.
    pub tokens_coefficient: f64,
    pub skipped: Vec<SkippedGroup>,
}

impl IsoFlopFit {
    /// Each number's explanation, as a field.
    pub fn how(&self) -> IsoHow {
        IsoHow::from_list(&self.explained())
    }
}

impl IsoFlopFit {
    /// The fitted exponents and coefficients, each with its formula, values and source.
    pub fn explained(&self) -> Vec<crate::explain::Explained> {
        use crate::explain::Explained;
        let n = self.minima.len();
        vec![
            Explained::new(
                Key::IsoA,
                self.params_exponent,
                "",
                "N_opt = k·C^a: least squares on ln N_opt = ln k + a·ln C over the profiles' minima",
                format!(
                    "a = {:.4} from {n} iso-FLOP profiles (Hoffmann et al.: a = 0.49)",
                    self.params_exponent
                ),
                SRC_ISOFLOP,
            ),
            Explained::new(
                Key::IsoB,
                self.tokens_exponent,
                "",
                "D_opt = C/(6·N_opt) = C^(1−a)/(6k)",
                format!(
                    "1 − a = 1 − {:.4} = {:.4}",
                    self.params_exponent, self.tokens_exponent
                ),
                SRC_ISOFLOP,
            ),
            Explained::new(
                Key::IsoK,
                self.params_coefficient,
                "",
                "k = e^(ln k), the intercept of the same fit",
                format!("k = {:.4e}", self.params_coefficient),
                SRC_ISOFLOP,
            ),
        ]
    }
}

/// Why the iso-FLOP analysis has no answer.
#[derive(Debug, Clone, PartialEq)]
pub enum IsoFlopError {
    /// The grouping tolerance is not in `[0, 1)`.
    BadTolerance(f64),
    /// Fewer than two budgets gave a minimum.
    TooFewBudgets { usable: usize, groups: usize },
}

impl std::fmt::Display for IsoFlopError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IsoFlopError::BadTolerance(t) => {
                write!(f, "iso-FLOP: relative tolerance {t} must be in [0, 1)")
            }
            IsoFlopError::TooFewBudgets { usable, groups } => write!(
                f,
                "iso-FLOP: {usable} of {groups} equal-compute groups gave a minimum; the power law needs at least 2 (each group needs 3 distinct model sizes and a convex profile)"
            ),
        }
    }
}

impl std::error::Error for IsoFlopError {}

/// Least-squares line `y = c₀ + c₁x`; `None` when the `x` are all equal.
fn line_fit(x: &[f64], y: &[f64]) -> Option<(f64, f64)> {
    let n = x.len() as f64;
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let sxx: f64 = x.iter().map(|v| (v - mx).powi(2)).sum();
    let sxy: f64 = x.iter().zip(y).map(|(a, b)| (a - mx) * (b - my)).sum();
    if sxx.is_nan() || sxx <= 0.0 {
        return None;
    }
    let c1 = sxy / sxx;
    Some((my - c1 * mx, c1))
}

/// Least-squares parabola `y = p₀ + p₁u + p₂u²` in centred `u`; `None` when singular.
fn parabola_fit(u: &[f64], y: &[f64]) -> Option<[f64; 3]> {
    let mut s = [0.0; 5]; // Σu^k, k = 0..4
    let mut t = [0.0; 3]; // Σy·u^k, k = 0..2
    for (&ui, &yi) in u.iter().zip(y) {
        let mut p = 1.0;
        for (k, sk) in s.iter_mut().enumerate() {
            *sk += p;
            if k < 3 {
                t[k] += yi * p;
            }
            p *= ui;
        }
    }
    let m = [[s[0], s[1], s[2]], [s[1], s[2], s[3]], [s[2], s[3], s[4]]];
    let det = |m: &[[f64; 3]; 3]| {
        m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
            - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
            + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0])
    };
    let d = det(&m);
    if d.is_nan() || d.abs() <= 1e-12 * s[0].powi(3) {
        return None;
    }
    let mut p = [0.0; 3];
    for (k, pk) in p.iter_mut().enumerate() {
        let mut mk = m;
        for r in 0..3 {
            mk[r][k] = t[r];
        }
        *pk = det(&mk) / d; // Cramer's rule
    }
    Some(p)
}

/// Groups runs of equal compute (`6ND` within `rel_tol` of the group's smallest) and fits the
/// iso-FLOP parabolas and the power law of their minima.
///
/// ```
/// use scalecalc_model::fit::{isoflop::iso_flop_fit, Run};
/// use scalecalc_model::scaling::HOFFMANN2022 as law;
/// let mut runs = Vec::new();
/// for c in [1e18, 1e19, 1e20, 1e21] {
///     let n0 = law.optimal(c).params;
///     for k in -4..=4 {
///         let n = n0 * (0.15 * k as f64).exp();
///         let d = c / (6.0 * n);
///         runs.push(Run { params: n, tokens: d, loss: law.loss(n, d) });
///     }
/// }
/// let f = iso_flop_fit(&runs, 1e-6).unwrap();
/// assert!((f.params_exponent - law.params_exponent()).abs() < 2e-3);
/// ```
pub fn iso_flop_fit(runs: &[Run], rel_tol: f64) -> Result<IsoFlopFit, IsoFlopError> {
    if !(0.0..1.0).contains(&rel_tol) {
        return Err(IsoFlopError::BadTolerance(rel_tol));
    }
    let mut v: Vec<(f64, &Run)> = runs
        .iter()
        .map(|r| (6.0 * r.params * r.tokens, r))
        .filter(|(c, r)| c.is_finite() && *c > 0.0 && r.loss.is_finite())
        .collect();
    v.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut groups: Vec<&[(f64, &Run)]> = Vec::new();
    let mut i = 0;
    while i < v.len() {
        let mut j = i + 1;
        while j < v.len() && v[j].0 <= v[i].0 * (1.0 + rel_tol) {
            j += 1;
        }
        groups.push(&v[i..j]);
        i = j;
    }
    let mut minima = Vec::new();
    let mut skipped = Vec::new();
    for g in &groups {
        let flops = (g.iter().map(|(c, _)| c.ln()).sum::<f64>() / g.len() as f64).exp();
        let x: Vec<f64> = g.iter().map(|(_, r)| r.params.ln()).collect();
        let y: Vec<f64> = g.iter().map(|(_, r)| r.loss).collect();
        let mut distinct = x.clone();
        distinct.sort_by(f64::total_cmp);
        distinct.dedup();
        let skip = |reason: &str| SkippedGroup {
            flops,
            runs: g.len(),
            reason: reason.into(),
        };
        if distinct.len() < 3 {
            skipped.push(skip("fewer than 3 distinct model sizes"));
            continue;
        }
        let mean = x.iter().sum::<f64>() / x.len() as f64;
        let u: Vec<f64> = x.iter().map(|v| v - mean).collect();
        let Some(p) = parabola_fit(&u, &y) else {
            skipped.push(skip("singular least-squares system"));
            continue;
        };
        if p[2].is_nan() || p[2] <= 0.0 {
            skipped.push(skip("the profile is not convex (no minimum)"));
            continue;
        }
        let u_star = -p[1] / (2.0 * p[2]);
        let params = (mean + u_star).exp();
        minima.push(IsoFlopMinimum {
            flops,
            params,
            tokens: flops / (6.0 * params),
            loss: p[0] + p[1] * u_star + p[2] * u_star * u_star,
            runs: g.len(),
            extrapolated: u_star < u[..].iter().copied().fold(f64::INFINITY, f64::min)
                || u_star > u.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        });
    }
    let lc: Vec<f64> = minima.iter().map(|m| m.flops.ln()).collect();
    let ln_n: Vec<f64> = minima.iter().map(|m| m.params.ln()).collect();
    let fit = if minima.len() >= 2 {
        line_fit(&lc, &ln_n)
    } else {
        None
    };
    let Some((ln_k, a)) = fit else {
        return Err(IsoFlopError::TooFewBudgets {
            usable: minima.len(),
            groups: groups.len(),
        });
    };
    let k = ln_k.exp();
    Ok(IsoFlopFit {
        minima,
        params_exponent: a,
        params_coefficient: k,
        tokens_exponent: 1.0 - a,
        tokens_coefficient: 1.0 / (6.0 * k),
        skipped,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn needs_two_budgets() {
        let runs: Vec<Run> = (1..=5)
            .map(|k| Run {
                params: 1e8 * k as f64,
                tokens: 1e10 / k as f64,
                loss: 3.0 + 0.01 * (k as f64 - 3.0).powi(2),
            })
            .collect();
        assert!(matches!(
            iso_flop_fit(&runs, 1e-6),
            Err(IsoFlopError::TooFewBudgets {
                usable: 1,
                groups: 1
            })
        ));
        assert!(iso_flop_fit(&runs, 2.0).is_err());
    }

    #[test]
    fn exact_parabola_minimum() {
        // L = 2 + (ln N − ln 3e8)² per budget, N_opt = 3e8·(C/1e18)^0.5 exactly.
        let mut runs = Vec::new();
        for c in [1e18, 1e20] {
            let n0: f64 = 3e8 * (c / 1e18f64).sqrt();
            for k in -2..=2 {
                let n = n0 * (0.3 * k as f64).exp();
                runs.push(Run {
                    params: n,
                    tokens: c / (6.0 * n),
                    loss: 2.0 + (n / n0).ln().powi(2),
                });
            }
        }
        let f = iso_flop_fit(&runs, 1e-9).unwrap();
        assert!((f.params_exponent - 0.5).abs() < 1e-9, "{f:?}");
        assert!((f.params_coefficient * 1e18f64.powf(0.5) / 3e8 - 1.0).abs() < 1e-9);
        assert!((f.minima[0].loss - 2.0).abs() < 1e-9);
        assert!(!f.minima[0].extrapolated);
    }

    #[test]
    fn epoch_points_give_hoffmanns_approach_2_exponent() {
        // The 245 Epoch points (Chinchilla Fig. 4, extracted): grouped within 10% of compute,
        // approach 2 gives a ≈ 0.50; Hoffmann et al. Table 2 report 0.49 for this method.
        let text = crate::fit::tests::EPOCH_CSV;
        let cols = crate::fit::ColumnMap {
            params: "Model Size".into(),
            tokens: "-".into(),
            flops: "Training FLOP".into(),
            loss: "loss".into(),
        };
        let pts = crate::fit::runs::parse_points(text, &cols).unwrap();
        let f = iso_flop_fit(&pts, 0.1).unwrap();
        assert!(
            (f.params_exponent - 0.49).abs() < 0.02,
            "{}",
            f.params_exponent
        );
        assert!(f.minima.len() >= 20);
        assert_eq!(f.explained().len(), 3);
        assert!((f.params_exponent + f.tokens_exponent - 1.0).abs() < 1e-12);
    }
}
