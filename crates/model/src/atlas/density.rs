//! Density on the atlas: effective size through a reference family, `ρ = N̂/N`, and the doubling
//! time of `ρ` fitted by date (docs/science.md §2, "The atlas").
//!
//! # Formula
//! 1. Reference curve, fitted on a family's `(N, S)` (sizes and scores of one lab's series, one
//!    benchmark): `S(N) = d + c/(1 + e^(−k(ln N − m)))` ([`ScoreCurve`], Xiao et al. 2024,
//!    arXiv 2412.04315 §2, with this repository's four-constant logistic instead of the paper's
//!    two steps; see `density::effective`).
//! 2. Effective size of a model that scores `S`: `N̂ = exp(m + ln((S − d)/(d + c − S))/k)`,
//!    defined for `d < S < d + c` (a score outside the curve's range has no `N̂`: the model is
//!    left out and named, never clipped).
//! 3. Density `ρ = N̂/N`, with `N` the parameters a token uses (active parameters of an MoE).
//! 4. Trend `ln ρ_i = A·t_i + B` by least squares (t in days), doubling time `T = ln 2/A`
//!    (months of 30.436875 days), 95% CI from Student's t on `A`, `R² = 1 − SSE/SST`
//!    (`density::fit`, Xiao et al. §3.3). On the frontier, only the models that set a new
//!    running maximum of `ρ` by date are fitted, as the paper fits `ρ_max`.
//!
//! Symbols: `S` score (%), `N` parameters, `d` floor, `c` span, `k` steepness per e-fold of `N`,
//! `m` midpoint (ln N), `A` slope per day, `B` intercept.

use super::{AtlasModel, Benchmark};
use crate::date::Date;
use crate::density::effective::{EffectiveError, ScoreCurve};
use crate::density::fit::{self, DensityFit, FitError, ModelPoint};
use serde::Serialize;

/// A reference family: one lab's series of sizes trained the same way, whose score curve maps a
/// score back to a size.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ReferenceFamily {
    /// Lower-case id used by the CLI (`qwen2.5`).
    pub id: &'static str,
    pub name: &'static str,
    /// Atlas model names (rows of `data/atlas/models.csv`).
    pub members: &'static [&'static str],
    /// Why this family, in a sentence.
    pub why: &'static str,
}

/// The reference families the atlas offers: the two with at least [`MIN_MEMBERS`] sizes scored on
/// both benchmarks. Not offered: Llama 2 and Llama 3.1 (three sizes each in the atlas), LLaMA 1
/// and Qwen 1 (four sizes: the four-constant curve passes exactly through four points, leaving no
/// residual, and on LLaMA 1's MMLU it runs off to a floor of −2.8·10⁵, so its `N̂` are
/// meaningless), and a mix of families (not one recipe).
pub const FAMILIES: &[ReferenceFamily] = &[
    ReferenceFamily {
        id: "qwen2.5",
        name: "Qwen2.5 base (0.5B–72B, 2024-09)",
        members: &[
            "Qwen2.5-0.5B",
            "Qwen2.5-1.5B",
            "Qwen2.5-3B",
            "Qwen2.5-7B",
            "Qwen2.5-14B",
            "Qwen2.5-32B",
            "Qwen2.5-72B",
        ],
        why: "seven dense sizes over two decades of N, one recipe (18T tokens), MMLU and MATH for every size from one table",
    },
    ReferenceFamily {
        id: "qwen1.5",
        name: "Qwen1.5 base (0.5B–72B, 2024-02/04)",
        members: &[
            "Qwen1.5-0.5B",
            "Qwen1.5-1.8B",
            "Qwen1.5-4B",
            "Qwen1.5-7B",
            "Qwen1.5-14B",
            "Qwen1.5-32B",
            "Qwen1.5-72B",
        ],
        why: "seven dense sizes, both benchmarks, seven months older than Qwen2.5: shows how the fit moves with the family's own vintage",
    },
];

/// The talk's labelled pair (docs/science.md §2, "The seed claim"): GPT-3 175B (2020) and
/// MiniCPM-2B (2024, 2.4B non-embedding parameters), as atlas row names.
pub const TALK_PAIR: [&str; 2] = ["GPT-3-175B", "MiniCPM-2B"];

/// The fewest members with a size and a score for a reference curve: five, so that the
/// four-constant curve keeps at least one residual degree of freedom.
pub const MIN_MEMBERS: usize = 5;

/// The reference family with this id (case-insensitive).
pub fn family(id: &str) -> Option<&'static ReferenceFamily> {
    FAMILIES
        .iter()
        .find(|f| f.id.eq_ignore_ascii_case(id.trim()))
}

/// Every family id, for error messages.
pub fn family_ids() -> Vec<&'static str> {
    FAMILIES.iter().map(|f| f.id).collect()
}

/// Why a density fit on the atlas could not be made.
#[derive(Debug, Clone, PartialEq)]
pub enum AtlasFitError {
    /// The family's members with a size and a score on the benchmark are too few.
    TooFewMembers {
        family: &'static str,
        benchmark: Benchmark,
        n: usize,
    },
    /// The reference curve could not be fitted.
    Reference(EffectiveError),
    /// The trend could not be fitted.
    Fit(FitError),
}

impl std::fmt::Display for AtlasFitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AtlasFitError::TooFewMembers { family, benchmark, n } => write!(
                f,
                "reference family {family}: {n} members with a size and a {} score; the curve needs at least {MIN_MEMBERS}",
                benchmark.name()
            ),
            AtlasFitError::Reference(e) => write!(f, "reference curve: {e}"),
            AtlasFitError::Fit(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for AtlasFitError {}

/// A member of the reference family as fitted: name, `N`, score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CurvePoint {
    pub name: String,
    pub params: f64,
    pub score: f64,
}

/// A family's fitted score curve on one benchmark.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReferenceCurve {
    pub family: &'static str,
    pub benchmark: Benchmark,
    pub curve: ScoreCurve,
    pub points: Vec<CurvePoint>,
}

/// Fits the score curve `S(N)` on the family's members that have a size and a score on `b`
/// (step 1 of the module docs).
///
/// ```
/// use scalecalc_model::atlas::{density, shipped_models, Benchmark};
/// let qwen = density::family("qwen2.5").unwrap();
/// let r = density::reference_curve(&shipped_models(), qwen, Benchmark::Mmlu).unwrap();
/// assert_eq!(r.points.len(), 7);
/// // The curve passes near its own members: Qwen2.5-7B scores 74.2.
/// assert!((r.curve.score(7.61e9) - 74.2).abs() < 3.0);
/// ```
pub fn reference_curve(
    models: &[AtlasModel],
    family: &ReferenceFamily,
    b: Benchmark,
) -> Result<ReferenceCurve, AtlasFitError> {
    let points: Vec<CurvePoint> = family
        .members
        .iter()
        .filter_map(|name| models.iter().find(|m| m.name == *name))
        .filter_map(|m| {
            Some(CurvePoint {
                name: m.name.clone(),
                params: m.inference_params()?,
                score: m.score(b)?,
            })
        })
        .collect();
    if points.len() < MIN_MEMBERS {
        return Err(AtlasFitError::TooFewMembers {
            family: family.id,
            benchmark: b,
            n: points.len(),
        });
    }
    let xy: Vec<(f64, f64)> = points.iter().map(|p| (p.params, p.score)).collect();
    let curve = ScoreCurve::fit(&xy).map_err(AtlasFitError::Reference)?;
    Ok(ReferenceCurve {
        family: family.id,
        benchmark: b,
        curve,
        points,
    })
}

/// One model's effective size and density.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DensityPoint {
    pub name: String,
    pub developer: String,
    pub date: Date,
    pub open_weights: bool,
    /// `N`: parameters a token uses.
    pub params: f64,
    pub score: f64,
    /// `N̂`.
    pub effective_params: f64,
    /// `ρ = N̂/N`.
    pub density: f64,
    /// The score lies outside the reference family's own scores, so `N̂` is read off the curve
    /// beyond the family's sizes (an extrapolation, as the paper's also are).
    pub extrapolated: bool,
}

/// A model that has no density on this curve, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Skipped {
    pub name: String,
    pub reason: String,
}

/// Effective size `N̂` and density `ρ = N̂/N` of every dated model with a size and a score on `b`
/// (steps 2–3 of the module docs). Models without a date, a size or a score are not listed; a
/// score outside the curve's range `(d, d + c)` is listed in the second vector with its reason.
/// `family_scores` (the reference members' scores) mark a point as extrapolated when its score is
/// outside their range; pass an empty slice to mark none.
///
/// ```
/// use scalecalc_model::atlas::{density, shipped_models, Benchmark};
/// let models = shipped_models();
/// let r = density::reference_curve(&models, density::family("qwen2.5").unwrap(), Benchmark::Mmlu).unwrap();
/// let fam: Vec<f64> = r.points.iter().map(|p| p.score).collect();
/// let (pts, _) = density::densities(&models, &r.curve, Benchmark::Mmlu, &fam);
/// let q7 = pts.iter().find(|p| p.name == "Qwen2.5-7B").unwrap();
/// // A member of the reference family sits near ρ = 1 (the curve is a fit, not a line through it).
/// assert!(q7.density > 0.5 && q7.density < 2.0);
/// assert!((q7.density - q7.effective_params / q7.params).abs() < 1e-12);
/// ```
pub fn densities(
    models: &[AtlasModel],
    curve: &ScoreCurve,
    b: Benchmark,
    family_scores: &[f64],
) -> (Vec<DensityPoint>, Vec<Skipped>) {
    let lo = family_scores.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = family_scores
        .iter()
        .copied()
        .fold(f64::NEG_INFINITY, f64::max);
    let mut pts = Vec::new();
    let mut skipped = Vec::new();
    for m in models {
        let (Some(date), Some(n), Some(s)) = (m.release_date, m.inference_params(), m.score(b))
        else {
            continue;
        };
        match curve.density(n, s) {
            Ok(rho) => pts.push(DensityPoint {
                name: m.name.clone(),
                developer: m.developer.clone(),
                date,
                open_weights: m.open_weights,
                params: n,
                score: s,
                effective_params: rho * n,
                density: rho,
                extrapolated: !family_scores.is_empty() && !(lo..=hi).contains(&s),
            }),
            Err(e) => skipped.push(Skipped {
                name: m.name.clone(),
                reason: e.to_string(),
            }),
        }
    }
    (pts, skipped)
}

/// A doubling time fitted on the atlas, with everything that went into it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AtlasDensityFit {
    pub benchmark: Benchmark,
    pub reference_family: &'static str,
    pub reference: ReferenceCurve,
    /// Every model with a density (the fit uses all of them, or their frontier).
    pub points: Vec<DensityPoint>,
    /// Models with a date, a size and a score but no density on this curve.
    pub skipped: Vec<Skipped>,
    /// The trend (`fit.models` are the models fitted).
    pub fit: DensityFit,
}

/// The doubling time of density on the atlas for one benchmark and one reference family, on all
/// models or on the frontier (step 4 of the module docs).
///
/// ```
/// use scalecalc_model::atlas::{density, shipped_models, Benchmark};
/// let f = density::fit_doubling(&shipped_models(), density::family("qwen2.5").unwrap(), Benchmark::Mmlu, true).unwrap();
/// assert!(f.fit.frontier && f.fit.n_models >= 3);
/// assert!(f.fit.growth); // density rose over 2021–2025 on this curve
/// ```
pub fn fit_doubling(
    models: &[AtlasModel],
    family: &ReferenceFamily,
    b: Benchmark,
    frontier: bool,
) -> Result<AtlasDensityFit, AtlasFitError> {
    fit_doubling_where(models, family, b, frontier, |_| true)
}

/// [`fit_doubling`] with the reference curve fitted on every model and the densities and the
/// trend on the models `keep` accepts (the page's open/closed filter).
pub fn fit_doubling_where(
    models: &[AtlasModel],
    family: &ReferenceFamily,
    b: Benchmark,
    frontier: bool,
    keep: impl Fn(&AtlasModel) -> bool,
) -> Result<AtlasDensityFit, AtlasFitError> {
    let reference = reference_curve(models, family, b)?;
    let fam: Vec<f64> = reference.points.iter().map(|p| p.score).collect();
    let kept: Vec<AtlasModel> = models.iter().filter(|m| keep(m)).cloned().collect();
    let (points, skipped) = densities(&kept, &reference.curve, b, &fam);
    let mp: Vec<ModelPoint> = points
        .iter()
        .map(|p| ModelPoint {
            name: p.name.clone(),
            date: p.date,
            params: p.params,
            density: p.density,
        })
        .collect();
    let fit = fit::fit(&mp, frontier).map_err(AtlasFitError::Fit)?;
    Ok(AtlasDensityFit {
        benchmark: b,
        reference_family: family.id,
        reference,
        points,
        skipped,
        fit,
    })
}
