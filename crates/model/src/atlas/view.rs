//! What the page's atlas panel shows, computed once from typed choices: the density of every
//! model on one reference curve with the doubling time fitted on them, the cheapest price of a
//! capability by date with its halving time, the talk's pair, the reader's own rows placed on
//! the same curve, and the date the frontier of a given day fits a device (docs/science.md §2,
//! "The atlas"; issue 17).
//!
//! Every number here comes from [`super::density`] and [`super::price`]; this module only
//! chooses the rows (open or closed weights, the reader's rows) and explains the results.

use super::density::{self, AtlasDensityFit, AtlasFitError, DensityPoint, ReferenceFamily};
use super::price::{self, PriceHalvingFit};
use super::{AtlasError, AtlasModel, AtlasPrice, Benchmark, PriceScore, RowError, RowReason};
use crate::date::Date;
use crate::density::device::{Device, DeviceFit, FitQuestion};
use crate::density::fit::FitError;
use crate::density::{DensityError, SRC_XIAO2024_S33};
use crate::explain::{Explained, Key, Source};
use crate::num::sig;
use serde::Serialize;
use std::collections::HashSet;

/// Which models a chart keeps, by their weights.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Weights {
    #[default]
    All,
    /// Open weights only.
    Open,
    /// Closed weights only (for prices: rows marked closed; unmarked rows are left out).
    Closed,
}

impl Weights {
    pub const ALL: [Weights; 3] = [Weights::All, Weights::Open, Weights::Closed];

    pub fn id(self) -> &'static str {
        match self {
            Weights::All => "all",
            Weights::Open => "open",
            Weights::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Weights> {
        Weights::ALL.into_iter().find(|w| w.id() == s)
    }

    fn keeps(self, open: Option<bool>) -> bool {
        match self {
            Weights::All => true,
            Weights::Open => open == Some(true),
            Weights::Closed => open == Some(false),
        }
    }
}

/// The reader's choices.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AtlasQuery {
    pub benchmark: Benchmark,
    /// A [`density::FAMILIES`] id.
    pub family: &'static str,
    /// Fit the running maximum of density (the paper's `ρ_max`) rather than every model.
    pub frontier: bool,
    pub weights: Weights,
    /// `S*`: the capability whose cheapest price is followed, % on `benchmark`.
    pub min_score: f64,
}

impl Default for AtlasQuery {
    /// MMLU through Qwen2.5, on the frontier, every model; prices of MMLU ≥ 85 (GPT-4's 86.4
    /// at launch: the capability the price war is usually told about).
    fn default() -> Self {
        AtlasQuery {
            benchmark: Benchmark::Mmlu,
            family: density::FAMILIES[0].id,
            frontier: true,
            weights: Weights::All,
            min_score: 85.0,
        }
    }
}

/// The reader's own rows, checked against the shipped ones.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct UserModels {
    pub rows: Vec<AtlasModel>,
    /// Rows left out, each named with its reason (a duplicate of a shipped name among them).
    pub errors: Vec<RowError>,
}

/// Parses the reader's rows (`parse_user_models`: the atlas's columns, sources optional) and
/// leaves out a row whose name is already in `shipped` (a duplicate name), naming it.
///
/// ```
/// use scalecalc_model::atlas::{shipped_models, view::user_models};
/// let u = user_models("name,release_date,total_params,mmlu_5shot\nmine,2025-06-01,3e9,70\nLlama-3-8B,2024-04-18,8e9,66\nbad,2025-13-01,1e9,50\n", &shipped_models()).unwrap();
/// assert_eq!(u.rows.len(), 1);
/// assert_eq!(u.errors.iter().map(|e| e.row).collect::<Vec<_>>(), vec![2, 3]);
/// ```
pub fn user_models(text: &str, shipped: &[AtlasModel]) -> Result<UserModels, AtlasError> {
    if text.trim().is_empty() {
        return Ok(UserModels::default());
    }
    let parsed = super::parse_user_models(text)?;
    let bad: HashSet<usize> = parsed.errors.iter().map(|e| e.row).collect();
    // The records are numbered 1.. in order; the good rows are the numbers not in `errors`.
    let mut numbers = (1..).filter(|n| !bad.contains(n));
    let taken: HashSet<String> = shipped.iter().map(|m| m.name.to_lowercase()).collect();
    let mut out = UserModels {
        rows: Vec::new(),
        errors: parsed.errors,
    };
    for m in parsed.rows {
        let row = numbers.next().unwrap_or(0);
        if taken.contains(&m.name.to_lowercase()) {
            out.errors.push(RowError {
                row,
                name: m.name,
                reason: RowReason::DuplicateName,
            });
        } else {
            out.rows.push(m);
        }
    }
    out.errors.sort_by_key(|e| e.row);
    Ok(out)
}

impl crate::scenario::Scenario {
    /// The atlas panel's choices (an unknown family id falls back in [`view`]).
    pub fn atlas_query(&self) -> AtlasQuery {
        AtlasQuery {
            benchmark: self.atlas_benchmark,
            family: density::family(&self.atlas_family)
                .unwrap_or(&density::FAMILIES[0])
                .id,
            frontier: self.atlas_frontier,
            weights: self.atlas_weights,
            min_score: self.atlas_min_score,
        }
    }
}

/// Everything the atlas panel shows for one [`AtlasQuery`].
#[derive(Debug, Clone, PartialEq)]
pub struct AtlasView {
    pub query: AtlasQuery,
    pub family: &'static ReferenceFamily,
    /// Densities on the family's curve (shipped and the reader's rows kept by the weights filter)
    /// and the doubling time fitted on them.
    pub density: Result<AtlasDensityFit, AtlasFitError>,
    /// Names of the reader's rows (their points are drawn apart).
    pub user_names: Vec<String>,
    /// The reader's rows that have a date, a size and a score but no density on this curve, or
    /// lack one of those on this benchmark, with the reason.
    pub user_skipped: Vec<(String, String)>,
    /// The talk's pair (GPT-3 175B, MiniCPM) where both have a density on this curve.
    pub talk_pair: Vec<DensityPoint>,
    /// The cheapest price of `S ≥ S*` by date and its halving time.
    pub price: Result<PriceHalvingFit, FitError>,
}

/// Computes the panel (see the module docs). `family` falls back to the first family when the
/// id is unknown.
pub fn view(
    shipped: &[AtlasModel],
    user: &[AtlasModel],
    prices: &[AtlasPrice],
    scores: &[PriceScore],
    q: &AtlasQuery,
) -> AtlasView {
    let family = density::family(q.family).unwrap_or(&density::FAMILIES[0]);
    let b = q.benchmark;
    let mut all: Vec<AtlasModel> = shipped.to_vec();
    all.extend(user.iter().cloned());
    let user_names: Vec<String> = user.iter().map(|m| m.name.clone()).collect();
    let is_user = |name: &str| user_names.iter().any(|n| n == name);
    let mut user_skipped = Vec::new();
    for m in user {
        let missing = [
            (m.release_date.is_none(), "release_date"),
            (m.inference_params().is_none(), "total_params"),
            (m.score(b).is_none(), b.name()),
        ];
        if let Some((_, what)) = missing.iter().find(|(gone, _)| *gone) {
            user_skipped.push((m.name.clone(), format!("no {what}")));
        }
    }
    let density = density::fit_doubling_where(&all, family, b, q.frontier, |m| {
        is_user(&m.name) || q.weights.keeps(Some(m.open_weights))
    });
    if let Ok(d) = &density {
        for s in &d.skipped {
            if is_user(&s.name) {
                user_skipped.push((s.name.clone(), s.reason.clone()));
            }
        }
    }
    let talk_pair = match &density {
        Ok(d) => {
            let pair: Vec<DensityPoint> = density::TALK_PAIR
                .iter()
                .filter_map(|n| d.points.iter().find(|p| p.name == *n).cloned())
                .collect();
            if pair.len() == 2 {
                pair
            } else {
                Vec::new()
            }
        }
        Err(_) => Vec::new(),
    };
    let kept: Vec<AtlasPrice> = prices
        .iter()
        .filter(|p| q.weights.keeps(p.open_weights))
        .cloned()
        .collect();
    let price = price::fit_halving(&kept, scores, b, q.min_score, q.frontier);
    AtlasView {
        query: q.clone(),
        family,
        density,
        user_names,
        user_skipped,
        talk_pair,
        price,
    }
}

/// When the frontier's capability of a given date fits a device, on the atlas's fitted trend.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EdgeAnswer {
    /// The model with the largest effective size released on or before the date.
    pub frontier: DensityPoint,
    /// `N(t₀) = N̂/ρ̂(t₀)`: the parameters the fitted trend needs for that capability on the
    /// date.
    pub trend_params: f64,
    /// The fitted doubling time, months.
    pub doubling_months: f64,
    /// The device question answered with them.
    pub fit: DeviceFit,
}

/// Why there is no edge date.
#[derive(Debug, Clone, PartialEq)]
pub enum EdgeError {
    /// The fitted density does not grow.
    NoGrowth,
    /// No model with a density was released on or before the date.
    NoModelBy(Date),
    Device(DensityError),
}

impl std::fmt::Display for EdgeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EdgeError::NoGrowth => write!(f, "the fitted density does not grow"),
            EdgeError::NoModelBy(d) => write!(f, "no model with a density by {d}"),
            EdgeError::Device(e) => write!(f, "{e}"),
        }
    }
}

/// The date the frontier's capability of `at` fits `device` at `bits` per weight, if density
/// keeps its fitted doubling time (hardware fixed).
///
/// # Formula
/// `N̂₀` = the largest effective size among models released by `t₀`; on the fitted trend that
/// capability needs `N(t₀) = N̂₀/ρ̂(t₀)` parameters, halving every `T` months:
/// `t* = t₀ + T·log₂(N(t₀)/C)`, `C` the device's capacity in parameters at `bits` (the density
/// section's device question, `density::device`).
pub fn edge(
    fit: &AtlasDensityFit,
    at: Date,
    device: &Device,
    bits: u32,
) -> Result<EdgeAnswer, EdgeError> {
    let doubling = fit.fit.doubling_months.ok_or(EdgeError::NoGrowth)?;
    let frontier = fit
        .points
        .iter()
        .filter(|p| p.date <= at)
        .max_by(|a, b| a.effective_params.total_cmp(&b.effective_params))
        .cloned()
        .ok_or(EdgeError::NoModelBy(at))?;
    let trend_params = frontier.effective_params / fit.fit.predict(&at).0;
    let q = FitQuestion {
        reference_params: trend_params,
        reference_date: at,
        doubling_months: doubling,
        device,
        bits,
        min_tokens_per_s: None,
        hw_doubling_months: None,
    };
    let answer = q.solve().map_err(EdgeError::Device)?;
    Ok(EdgeAnswer {
        frontier,
        trend_params,
        doubling_months: doubling,
        fit: answer,
    })
}

/// The atlas's fits as a source of the "how" boxes.
pub const SRC_ATLAS: Source = Source {
    id: "scalecalc-atlas",
    citation: "scalecalc atlas (published models and list prices, each row with its source); fit as in Xiao et al. 2024, Densing Law of LLMs",
    locator: "§3.3 (ln ρ = A·t + B by least squares, doubling time ln 2/A)",
    url: "https://arxiv.org/abs/2412.04315",
};

crate::hows! {
    /// The atlas panel's explained numbers.
    AtlasHow {
        doubling_months: AtlasDoublingMonths,
        halving_months: AtlasPriceHalvingMonths,
        edge_months: AtlasEdgeMonths,
    }
}

fn months_text(m: Option<f64>) -> String {
    m.map_or("∞".into(), |m| sig(m, 3))
}

impl AtlasView {
    /// The explained numbers: the doubling time, the halving time and (with `edge`) the months
    /// until the frontier fits the device.
    pub fn explained(&self, edge: Option<&EdgeAnswer>) -> Vec<Explained> {
        let mut out = Vec::new();
        if let Ok(d) = &self.density {
            if let Some(m) = d.fit.doubling_months {
                out.push(Explained::new(
                    Key::AtlasDoublingMonths,
                    m,
                    "months",
                    "ln ρ_i = A·t_i + B (least squares over the fitted models); T = ln 2 / A; ρ_i = N̂_i/N_i, N̂ from the reference curve S(N)",
                    format!(
                        "{} models ({}, {} curve); A = {:.4e}/day; T = ln 2/A = {} months; 95% CI [{}, {}]; R² = {}",
                        d.fit.n_models,
                        self.query.benchmark.name(),
                        self.family.name,
                        d.fit.slope_per_day,
                        sig(m, 3),
                        months_text(d.fit.ci95_months[0]),
                        months_text(d.fit.ci95_months[1]),
                        d.fit.r2.map_or("–".into(), |r| format!("{r:.2}")),
                    ),
                    SRC_XIAO2024_S33,
                ));
            }
        }
        if let Ok(p) = &self.price {
            if let Some(m) = p.halving_months {
                out.push(Explained::new(
                    Key::AtlasPriceHalvingMonths,
                    m,
                    "months",
                    "p = (3·p_in + p_out)/4; ln(1/p_i) = A·t_i + B over the cheapest price by date of models with S ≥ S*; T½ = ln 2 / A",
                    format!(
                        "S* = {} on {}; {} prices; A = {:.4e}/day; T½ = {} months; 95% CI [{}, {}]; R² = {}",
                        sig(p.min_score, 3),
                        p.benchmark.name(),
                        p.n,
                        p.slope_per_day,
                        sig(m, 3),
                        months_text(p.ci95_months[0]),
                        months_text(p.ci95_months[1]),
                        p.r2.map_or("–".into(), |r| format!("{r:.2}")),
                    ),
                    SRC_ATLAS,
                ));
            }
        }
        if let Some(e) = edge {
            out.push(Explained::new(
                Key::AtlasEdgeMonths,
                e.fit.months_after_reference,
                "months",
                "N(t₀) = N̂₀/ρ̂(t₀); t* − t₀ = T·log₂(N(t₀)/C)",
                format!(
                    "N̂₀ = {:.3e} ({}); ρ̂(t₀) = {:.3}; N(t₀) = {:.3e}; C = {:.3e} params; T = {} months; t* − t₀ = {} months",
                    e.frontier.effective_params,
                    e.frontier.name,
                    e.frontier.effective_params / e.trend_params,
                    e.trend_params,
                    e.fit.capacity_params,
                    sig(e.doubling_months, 3),
                    sig(e.fit.months_after_reference, 3),
                ),
                SRC_XIAO2024_S33,
            ));
        }
        out
    }

    pub fn how(&self, edge: Option<&EdgeAnswer>) -> AtlasHow {
        AtlasHow::from_list(&self.explained(edge))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::atlas::{shipped_models, shipped_price_scores, shipped_prices};
    use crate::density::device::DEVICES;

    fn default_view(q: &AtlasQuery, user: &[AtlasModel]) -> AtlasView {
        view(
            &shipped_models(),
            user,
            &shipped_prices(),
            &shipped_price_scores(),
            q,
        )
    }

    #[test]
    fn the_default_view_matches_the_library_fits() {
        let q = AtlasQuery::default();
        let v = default_view(&q, &[]);
        let d = v.density.as_ref().unwrap();
        let direct = density::fit_doubling(
            &shipped_models(),
            density::family("qwen2.5").unwrap(),
            Benchmark::Mmlu,
            true,
        )
        .unwrap();
        assert_eq!(d.fit.doubling_months, direct.fit.doubling_months);
        assert_eq!(v.talk_pair.len(), 2);
        let p = v.price.as_ref().unwrap();
        let direct = price::fit_halving(
            &shipped_prices(),
            &shipped_price_scores(),
            Benchmark::Mmlu,
            85.0,
            true,
        )
        .unwrap();
        assert_eq!(p.halving_months, direct.halving_months);
        let how = v.how(None);
        assert!(how.doubling_months.is_some() && how.halving_months.is_some());
    }

    #[test]
    fn the_weights_filter_keeps_the_reference_curve_and_filters_the_points() {
        let all = default_view(&AtlasQuery::default(), &[]);
        let closed = default_view(
            &AtlasQuery {
                weights: Weights::Closed,
                frontier: false,
                ..Default::default()
            },
            &[],
        );
        let (a, c) = (all.density.unwrap(), closed.density.unwrap());
        assert_eq!(a.reference, c.reference);
        assert!(!c.points.is_empty() && c.points.iter().all(|p| !p.open_weights));
        assert!(c.points.len() < a.points.len());
    }

    #[test]
    fn a_users_row_is_placed_and_fitted_and_a_row_without_a_score_is_named() {
        let shipped = shipped_models();
        let u = user_models(
            "name,release_date,total_params,mmlu_5shot\nmine,2026-06-01,1e9,75\nnoscore,2026-06-01,1e9,\n",
            &shipped,
        )
        .unwrap();
        assert_eq!(u.rows.len(), 2);
        let q = AtlasQuery {
            frontier: false,
            ..Default::default()
        };
        let with = default_view(&q, &u.rows);
        let without = default_view(&q, &[]);
        let d = with.density.as_ref().unwrap();
        let mine = d.points.iter().find(|p| p.name == "mine").unwrap();
        assert!(mine.density > 1.0);
        assert_eq!(
            d.fit.n_models,
            without.density.as_ref().unwrap().fit.n_models + 1
        );
        assert_eq!(with.user_skipped.len(), 1);
        assert_eq!(with.user_skipped[0].0, "noscore");
    }

    #[test]
    fn the_edge_date_follows_the_fitted_trend() {
        let v = default_view(&AtlasQuery::default(), &[]);
        let d = v.density.as_ref().unwrap();
        let phone = DEVICES.iter().find(|d| d.id == "phone-12gb").unwrap();
        let at = Date::new(2024, 6, 1).unwrap();
        let e = edge(d, at, phone, 4).unwrap();
        assert!(e.frontier.date <= at);
        // Two routes: the solver's months against the closed form.
        let months = e.doubling_months * (e.trend_params / e.fit.capacity_params).log2();
        assert!((months - e.fit.months_after_reference).abs() < 1e-9);
        // A larger device fits no later.
        let h100 = DEVICES.iter().find(|d| d.id == "h100-sxm").unwrap();
        let e2 = edge(d, at, h100, 4).unwrap();
        assert!(e2.fit.months_after_reference <= e.fit.months_after_reference);
        assert!(v.how(Some(&e)).edge_months.is_some());
        assert_eq!(
            edge(d, Date::new(1990, 1, 1).unwrap(), phone, 4),
            Err(EdgeError::NoModelBy(Date::new(1990, 1, 1).unwrap()))
        );
    }
}
