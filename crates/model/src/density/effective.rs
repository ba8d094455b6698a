//! Effective parameter size from a reference family: the size `N̂` a reference family would need
//! to reach a score, hence the density `ρ = N̂/N` of a model that reaches it with `N` parameters.
//!
//! The Densing Law (Xiao et al. 2024, arXiv 2412.04315 §2) fits two steps on a family trained on
//! D₀ = 1T tokens: loss `L = a·N^−α + b·D₀^−β`, then score `S = c/(1 + e^(−γ(L − l))) + d`. Both are
//! monotone, so their composition is an S-shaped, monotone curve of `ln N`.
//!
//! **Departure from the paper, and why:** from (N, score) pairs alone, the composed curve has six
//! free constants (`a·`, `α`, `γ`, `l − b·D₀^−β`, `c`, `d`) and a family offers 4–8 sizes, so they
//! are not identifiable without the family's losses (the paper has them; users usually do not).
//! We fit the four-constant logistic in `ln N` instead:
//!
//! # Formula
//! `S(N) = d + c/(1 + e^(−k(ln N − m)))`, `c > 0`, `k > 0`
//! - `S`: score (any unit), `N`: parameters, `d`: floor, `c`: span, `k`: steepness per e-fold of
//!   `N`, `m`: ln N at the midpoint.
//! - inverse: `N̂(S) = exp(m + ln((S − d)/(d + c − S))/k)` for `d < S < d + c`.
//!
//! Least squares on `S`: for fixed `(k, m)` the model is linear in `(c, d)` (solved exactly), so
//! only `(ln k, m)` is searched: a grid, then a shrinking pattern search (variable projection).

use crate::explain::Key;
use crate::explain::{Explained, Source};
use serde::Serialize;

/// A fitted score curve.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ScoreCurve {
    /// Floor `d`.
    pub floor: f64,
    /// Span `c` (> 0): the ceiling is `d + c`.
    pub span: f64,
    /// Steepness `k` (> 0) per e-fold of `N`.
    pub steepness: f64,
    /// Midpoint `m`, in ln N.
    pub midpoint_ln_n: f64,
    /// Residual sum of squares of the fit.
    pub sse: f64,
}

/// Why a curve could not be fitted or inverted.
#[derive(Debug, Clone, PartialEq)]
pub enum EffectiveError {
    /// Fewer than 4 points, or fewer than 3 distinct sizes.
    TooFewPoints { n: usize, distinct_sizes: usize },
    /// A size that is zero, negative or not finite (index from 1).
    BadSize { point: usize, value: f64 },
    /// A score that is not finite (index from 1).
    BadScore { point: usize, value: f64 },
    /// Scores do not rise with size: no increasing curve fits.
    NotIncreasing,
    /// The target score is outside the curve's open range `(d, d + c)`.
    ScoreOutOfRange { score: f64, low: f64, high: f64 },
    /// A model size for the density must be > 0.
    BadParams { value: f64 },
}

impl std::fmt::Display for EffectiveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EffectiveError::TooFewPoints { n, distinct_sizes } => write!(f, "the reference family needs at least 4 points with 3 distinct sizes, got {n} points with {distinct_sizes} sizes"),
            EffectiveError::BadSize { point, value } => write!(f, "reference point {point}: params must be a finite number greater than 0, got {value}"),
            EffectiveError::BadScore { point, value } => write!(f, "reference point {point}: score must be a finite number, got {value}"),
            EffectiveError::NotIncreasing => write!(f, "reference family: scores do not rise with size, so no increasing score curve fits"),
            EffectiveError::ScoreOutOfRange { score, low, high } => write!(f, "score {score} is outside the fitted curve's range ({low}, {high}): no effective size"),
            EffectiveError::BadParams { value } => write!(f, "params must be a finite number greater than 0, got {value}"),
        }
    }
}

impl std::error::Error for EffectiveError {}

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// SSE and (c, d) of the best linear fit for fixed (ln k, m); `None` when c ≤ 0 or degenerate.
fn project(xs: &[f64], ys: &[f64], ln_k: f64, m: f64) -> Option<(f64, f64, f64)> {
    let k = ln_k.exp();
    let zs: Vec<f64> = xs.iter().map(|x| sigmoid(k * (x - m))).collect();
    let n = xs.len() as f64;
    let zm = zs.iter().sum::<f64>() / n;
    let ym = ys.iter().sum::<f64>() / n;
    let szz: f64 = zs.iter().map(|z| (z - zm).powi(2)).sum();
    if szz < 1e-12 {
        return None;
    }
    let szy: f64 = zs.iter().zip(ys).map(|(z, y)| (z - zm) * (y - ym)).sum();
    let c = szy / szz;
    if c <= 0.0 {
        return None;
    }
    let d = ym - c * zm;
    let sse = zs
        .iter()
        .zip(ys)
        .map(|(z, y)| (y - d - c * z).powi(2))
        .sum();
    Some((sse, c, d))
}

impl ScoreCurve {
    /// Fits the curve to `(N, score)` points of a reference family (see the module docs).
    ///
    /// ```
    /// use scalecalc_model::density::effective::ScoreCurve;
    /// let truth = |n: f64| 25.0 + 50.0 / (1.0 + (-1.2 * (n.ln() - 22.0)).exp());
    /// let pts: Vec<(f64, f64)> = [1e8, 4e8, 1e9, 3e9, 7e9, 2e10, 7e10].iter().map(|&n| (n, truth(n))).collect();
    /// let c = ScoreCurve::fit(&pts).unwrap();
    /// assert!((c.steepness - 1.2).abs() < 1e-3 && (c.midpoint_ln_n - 22.0).abs() < 1e-3);
    /// ```
    pub fn fit(points: &[(f64, f64)]) -> Result<Self, EffectiveError> {
        for (i, &(n, s)) in points.iter().enumerate() {
            if !(n.is_finite() && n > 0.0) {
                return Err(EffectiveError::BadSize {
                    point: i + 1,
                    value: n,
                });
            }
            if !s.is_finite() {
                return Err(EffectiveError::BadScore {
                    point: i + 1,
                    value: s,
                });
            }
        }
        let xs: Vec<f64> = points.iter().map(|p| p.0.ln()).collect();
        let ys: Vec<f64> = points.iter().map(|p| p.1).collect();
        let mut distinct = xs.clone();
        distinct.sort_by(f64::total_cmp);
        distinct.dedup();
        if points.len() < 4 || distinct.len() < 3 {
            return Err(EffectiveError::TooFewPoints {
                n: points.len(),
                distinct_sizes: distinct.len(),
            });
        }
        let (x0, x1) = (distinct[0], distinct[distinct.len() - 1]);
        let span = x1 - x0;
        // Grid: midpoint within the data ± half its span; k from 0.05/span-scale to steep.
        let mut best: Option<(f64, f64, f64)> = None; // (sse, ln_k, m)
        for i in 0..=60 {
            let ln_k = (0.3 / span).ln() + f64::from(i) * (200.0f64).ln() / 60.0;
            for j in 0..=80 {
                let m = x0 - 0.5 * span + f64::from(j) * 2.0 * span / 80.0;
                if let Some((sse, _, _)) = project(&xs, &ys, ln_k, m) {
                    if best.is_none_or(|b| sse < b.0) {
                        best = Some((sse, ln_k, m));
                    }
                }
            }
        }
        let (mut sse, mut ln_k, mut m) = best.ok_or(EffectiveError::NotIncreasing)?;
        // Pattern search in (ln k, m), halving the steps when no neighbour improves.
        let (mut hk, mut hm) = ((200.0f64).ln() / 60.0, 2.0 * span / 80.0);
        for _ in 0..2000 {
            let mut moved = false;
            for (dk, dm) in [
                (hk, 0.0),
                (-hk, 0.0),
                (0.0, hm),
                (0.0, -hm),
                (hk, hm),
                (-hk, -hm),
                (hk, -hm),
                (-hk, hm),
            ] {
                if let Some((s, _, _)) = project(&xs, &ys, ln_k + dk, m + dm) {
                    if s < sse {
                        (sse, ln_k, m) = (s, ln_k + dk, m + dm);
                        moved = true;
                    }
                }
            }
            if !moved {
                hk /= 2.0;
                hm /= 2.0;
                if hk < 1e-12 && hm < 1e-12 {
                    break;
                }
            }
        }
        let (sse, c, d) = project(&xs, &ys, ln_k, m).ok_or(EffectiveError::NotIncreasing)?;
        Ok(Self {
            floor: d,
            span: c,
            steepness: ln_k.exp(),
            midpoint_ln_n: m,
            sse,
        })
    }

    /// `S(N)`.
    pub fn score(&self, params: f64) -> f64 {
        self.floor + self.span * sigmoid(self.steepness * (params.ln() - self.midpoint_ln_n))
    }

    /// Effective parameter size `N̂(S)` for a target score.
    pub fn effective_params(&self, score: f64) -> Result<f64, EffectiveError> {
        let (lo, hi) = (self.floor, self.floor + self.span);
        if !(score.is_finite() && score > lo && score < hi) {
            return Err(EffectiveError::ScoreOutOfRange {
                score,
                low: lo,
                high: hi,
            });
        }
        let n = (self.midpoint_ln_n + ((score - lo) / (hi - score)).ln() / self.steepness).exp();
        if n.is_finite() && n > 0.0 {
            Ok(n)
        } else {
            Err(EffectiveError::ScoreOutOfRange {
                score,
                low: lo,
                high: hi,
            })
        }
    }

    /// Density `ρ = N̂/N` of a model with `params` parameters that scores `score`.
    pub fn density(&self, params: f64, score: f64) -> Result<f64, EffectiveError> {
        if !(params.is_finite() && params > 0.0) {
            return Err(EffectiveError::BadParams { value: params });
        }
        Ok(self.effective_params(score)? / params)
    }
}

/// The Densing Law's effective-size method (Xiao et al. 2024, §2), with this module's logistic fit.
pub const SRC_EFFECTIVE: Source = Source {
    id: "xiao2024-effective",
    citation: "Xiao et al. 2024, Densing Law of LLMs (arXiv 2412.04315)",
    locator:
        "§2 (effective parameter size); here the score curve is a four-constant logistic in ln N, fitted by least squares",
    url: "https://arxiv.org/abs/2412.04315",
};

crate::hows! {
    /// The effective-size report's explained numbers.
    EffectiveHow {
        params: EffectiveParams,
        density: EffectiveDensity,
    }
}

/// A model's effective size and density against a reference family.
#[derive(Debug, Clone, PartialEq)]
pub struct EffectiveReport {
    pub curve: ScoreCurve,
    /// `N̂`: the reference family's size for the model's score.
    pub effective_params: f64,
    /// `ρ = N̂/N`.
    pub density: f64,
    pub explained: Vec<Explained>,
}

impl EffectiveReport {
    /// Each number's explanation, as a field.
    pub fn how(&self) -> EffectiveHow {
        EffectiveHow::from_list(&self.explained)
    }
}

/// Fits the family's curve, inverts it at `score`, and divides by `params`.
///
/// ```
/// use scalecalc_model::density::effective::effective_report;
/// let fam = [(1e8, 30.0), (1e9, 45.0), (1e10, 60.0), (1e11, 70.0), (3e9, 52.0)];
/// let r = effective_report(&fam, 2e9, 60.0).unwrap();
/// assert!(r.effective_params > 2e9 && (r.density - r.effective_params / 2e9).abs() < 1e-12);
/// ```
pub fn effective_report(
    family: &[(f64, f64)],
    params: f64,
    score: f64,
) -> Result<EffectiveReport, EffectiveError> {
    let curve = ScoreCurve::fit(family)?;
    let n_hat = curve.effective_params(score)?;
    let density = curve.density(params, score)?;
    let consts = format!(
        "d = {:.4}, c = {:.4}, k = {:.4}, m = {:.4} (SSE {:.3e}, {} points)",
        curve.floor,
        curve.span,
        curve.steepness,
        curve.midpoint_ln_n,
        curve.sse,
        family.len()
    );
    let explained = vec![
        Explained::new(
            Key::EffectiveParams,
            n_hat,
            "",
            "N̂(S) = exp(m + ln((S − d)/(d + c − S))/k), the fitted S(N) = d + c/(1 + e^(−k(ln N − m))) inverted",
            format!("S = {score}; {consts} → N̂ = {n_hat:.4e}"),
            SRC_EFFECTIVE,
        ),
        Explained::new(
            Key::EffectiveDensity,
            density,
            "",
            "ρ = N̂/N",
            format!("{n_hat:.4e} / {params:.4e} = {density:.4}"),
            SRC_EFFECTIVE,
        ),
    ];
    Ok(EffectiveReport {
        curve,
        effective_params: n_hat,
        density,
        explained,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn family() -> Vec<(f64, f64)> {
        // Known curve: d = 20, c = 60, k = 0.9, m = ln(5e9).
        let m = 5e9f64.ln();
        [1e8, 3e8, 1e9, 3e9, 1e10, 3e10, 1e11]
            .iter()
            .map(|&n: &f64| (n, 20.0 + 60.0 * sigmoid(0.9 * (n.ln() - m))))
            .collect()
    }

    #[test]
    fn recovers_known_curve() {
        let c = ScoreCurve::fit(&family()).unwrap();
        assert!((c.floor - 20.0).abs() < 1e-4, "{c:?}");
        assert!((c.span - 60.0).abs() < 1e-4, "{c:?}");
        assert!((c.steepness - 0.9).abs() < 1e-5, "{c:?}");
        assert!((c.midpoint_ln_n - 5e9f64.ln()).abs() < 1e-5, "{c:?}");
        // A 2B model scoring like the family's 10B model has density 5.
        let s = c.score(1e10);
        assert!((c.density(2e9, s).unwrap() - 5.0).abs() < 1e-6);
    }

    #[test]
    fn errors() {
        assert!(matches!(
            ScoreCurve::fit(&family()[..3]),
            Err(EffectiveError::TooFewPoints { .. })
        ));
        let mut bad = family();
        bad[2].0 = 0.0;
        assert!(matches!(
            ScoreCurve::fit(&bad),
            Err(EffectiveError::BadSize { point: 3, .. })
        ));
        let falling: Vec<_> = family().iter().map(|&(n, s)| (n, -s)).collect();
        assert_eq!(
            ScoreCurve::fit(&falling),
            Err(EffectiveError::NotIncreasing)
        );
        let c = ScoreCurve::fit(&family()).unwrap();
        assert!(matches!(
            c.effective_params(95.0),
            Err(EffectiveError::ScoreOutOfRange { .. })
        ));
        assert!(c.density(0.0, 50.0).is_err());
    }

    proptest! {
        #[test]
        fn inverse_round_trips(ln_n in 17.0f64..26.0) {
            let c = ScoreCurve { floor: 10.0, span: 70.0, steepness: 0.8, midpoint_ln_n: 21.0, sse: 0.0 };
            let n = ln_n.exp();
            let back = c.effective_params(c.score(n)).unwrap();
            prop_assert!((back / n - 1.0).abs() < 1e-6);
        }
    }
}
