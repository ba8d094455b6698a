//! The price of a fixed capability over time: the cheapest list price, by date, among models that
//! score at least `S*` on a benchmark, and the time it takes to halve (docs/science.md §2,
//! "The atlas").
//!
//! # Formula
//! - Blended price of a row: `p = (3·p_in + p_out)/4` USD per million tokens, a 3:1 mix of input
//!   to output tokens (the mix commonly used to rank API prices; an input-heavy chat or RAG
//!   workload). A row without both prices in USD has no blended price and is left out.
//! - Qualifying rows: those whose model (name before any parenthesis) has a score `S ≥ S*` in
//!   `data/atlas/price_scores.csv`.
//! - Cheapest by date: in date order, the rows that set a new running minimum of `p` (the price
//!   floor for that capability; a price stays available until a later row, so the floor never
//!   rises).
//! - Trend `ln(1/p_i) = A·t_i + B` by least squares (t in days), halving time `T = ln 2/A` months,
//!   95% CI and `R²` exactly as for density (`density::fit`; Xiao et al. 2024 §3.3 fits `ln ρ`
//!   the same way): `1/p` plays the part of `ρ`, so its doubling time is the price's halving time.
//!
//! Symbols: `p_in`, `p_out` USD per million input/output tokens, `S*` the capability threshold
//! (%), `A` slope per day.

use super::{AtlasPrice, Benchmark, PriceScore, RowSource};
use crate::date::Date;
use crate::density::fit::{self, FitError, ModelPoint};
use serde::Serialize;

/// The mix of input to output tokens in the blended price, `3:1`.
pub const BLEND: &str = "blended 3:1 input:output, USD per million tokens";

/// `(3·p_in + p_out)/4`, USD per million tokens; `None` unless both USD prices are given.
///
/// ```
/// use scalecalc_model::atlas::{price::blended_usd_per_million, shipped_prices};
/// let p = shipped_prices();
/// let mini = p.iter().find(|r| r.model == "gpt-4o-mini").unwrap(); // $0.15 in, $0.60 out
/// assert!((blended_usd_per_million(mini).unwrap() - 0.2625).abs() < 1e-12);
/// ```
pub fn blended_usd_per_million(p: &AtlasPrice) -> Option<f64> {
    Some((3.0 * p.usd_per_million_input? + p.usd_per_million_output?) / 4.0)
}

/// A price row of a model at or above the threshold.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CapabilityPrice {
    pub model: String,
    pub provider: String,
    pub date: Date,
    /// The model's score on the benchmark, %.
    pub score: f64,
    /// Blended USD per million tokens.
    pub usd_per_million: f64,
    pub source: RowSource,
}

/// Every price row whose model scores at least `min_score` on `b`, with a blended price, in date
/// order (ties: cheapest first).
pub fn qualifying(
    prices: &[AtlasPrice],
    scores: &[PriceScore],
    b: Benchmark,
    min_score: f64,
) -> Vec<CapabilityPrice> {
    let mut out: Vec<CapabilityPrice> = prices
        .iter()
        .filter_map(|p| {
            let s = scores
                .iter()
                .find(|s| s.benchmark == b && s.price_model == p.model_key())?;
            (s.score >= min_score).then_some(())?;
            Some(CapabilityPrice {
                model: p.model.clone(),
                provider: p.provider.clone(),
                date: p.date,
                score: s.score,
                usd_per_million: blended_usd_per_million(p)?,
                source: p.source.clone(),
            })
        })
        .collect();
    out.sort_by(|a, b| {
        a.date
            .cmp(&b.date)
            .then(a.usd_per_million.total_cmp(&b.usd_per_million))
    });
    out
}

/// The rows that set a new running minimum of the blended price, in date order.
///
/// ```
/// use scalecalc_model::atlas::{price, shipped_prices, shipped_price_scores, Benchmark};
/// let q = price::qualifying(&shipped_prices(), &shipped_price_scores(), Benchmark::Mmlu, 85.0);
/// let c = price::cheapest_by_date(&q);
/// assert!(c.windows(2).all(|w| w[1].usd_per_million < w[0].usd_per_million && w[1].date >= w[0].date));
/// ```
pub fn cheapest_by_date(rows: &[CapabilityPrice]) -> Vec<CapabilityPrice> {
    let mut best = f64::INFINITY;
    let mut out = Vec::new();
    for r in rows {
        if r.usd_per_million < best {
            best = r.usd_per_million;
            out.push(r.clone());
        }
    }
    out
}

/// A fitted halving time of the price of a capability.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PriceHalvingFit {
    pub benchmark: Benchmark,
    /// `S*`, %.
    pub min_score: f64,
    /// [`BLEND`].
    pub price: &'static str,
    /// Only the running minimum was fitted.
    pub frontier: bool,
    /// Every qualifying row.
    pub qualifying: Vec<CapabilityPrice>,
    /// The rows fitted (the running minimum on the frontier, else every qualifying row).
    pub fitted: Vec<CapabilityPrice>,
    pub n: usize,
    /// `ln 2/A`, months; `None` when the price did not fall (`A ≤ 0`).
    pub halving_months: Option<f64>,
    /// 95% CI, months; the upper end `None` when unbounded.
    pub ci95_months: [Option<f64>; 2],
    pub r2: Option<f64>,
    /// `A`, per day (on `ln(1/p)`).
    pub slope_per_day: f64,
    /// `B`: `ln(1/p)` at 1970-01-01 (t = 0 days).
    pub intercept: f64,
}

impl PriceHalvingFit {
    /// The fitted price at `date`, USD per million tokens: `p̂ = e^(−(A·t + B))`.
    pub fn predict(&self, date: &Date) -> f64 {
        (-(self.slope_per_day * date.days_since_epoch() as f64 + self.intercept)).exp()
    }
}

/// The halving time of the cheapest price of a capability (see the module docs).
///
/// ```
/// use scalecalc_model::atlas::{price, shipped_prices, shipped_price_scores, Benchmark};
/// let f = price::fit_halving(&shipped_prices(), &shipped_price_scores(), Benchmark::Mmlu, 85.0, true).unwrap();
/// assert!(f.n >= 3 && f.halving_months.unwrap() > 0.0);
/// ```
pub fn fit_halving(
    prices: &[AtlasPrice],
    scores: &[PriceScore],
    b: Benchmark,
    min_score: f64,
    frontier: bool,
) -> Result<PriceHalvingFit, FitError> {
    let q = qualifying(prices, scores, b, min_score);
    let fitted = if frontier {
        cheapest_by_date(&q)
    } else {
        q.clone()
    };
    let pts: Vec<ModelPoint> = fitted
        .iter()
        .map(|r| ModelPoint {
            name: r.model.clone(),
            date: r.date,
            params: 1.0,
            density: 1.0 / r.usd_per_million,
        })
        .collect();
    // The frontier was taken above; the fit itself is on every point handed to it.
    let f = fit::fit(&pts, false).map_err(|e| match e {
        FitError::TooFewModels { n, .. } => FitError::TooFewModels { n, frontier },
        e => e,
    })?;
    Ok(PriceHalvingFit {
        benchmark: b,
        min_score,
        price: BLEND,
        frontier,
        qualifying: q,
        n: f.n_models,
        fitted,
        halving_months: f.doubling_months,
        ci95_months: f.ci95_months,
        r2: f.r2,
        slope_per_day: f.slope_per_day,
        intercept: f.intercept,
    })
}
