//! `scalecalc atlas [--json]`: the shipped atlas (issue 17), every model and every dated list
//! price with its source (URL and locator). `scalecalc density-fit --atlas` fits on it.

use super::CliError;
use crate::model::atlas::{self, density, price, Benchmark};
use clap::Args;
use serde_json::{json, Value};

#[derive(Args, Debug)]
pub struct AtlasArgs {
    /// Print one JSON object: `models`, `prices` and `price_scores`, each row with its `source`,
    /// and `price_halving`: the halving time of the cheapest price of `--min-score`.
    #[arg(long)]
    pub json: bool,
    /// The capability whose cheapest price is followed: score at least this, % (default 85).
    #[arg(long, default_value_t = 85.0)]
    pub min_score: f64,
    /// The benchmark of `--min-score` (mmlu or math; default mmlu).
    #[arg(long, default_value = "mmlu")]
    pub benchmark: String,
    /// Fit every qualifying price, not only the cheapest by date.
    #[arg(long)]
    pub all_prices: bool,
}

pub fn run(a: &AtlasArgs) -> Result<Value, CliError> {
    let b = Benchmark::parse(&a.benchmark).ok_or_else(|| {
        CliError(format!(
            "--benchmark: '{}' is not one of {}",
            a.benchmark,
            Benchmark::ALL.map(Benchmark::id).join(", ")
        ))
    })?;
    crate::model::limits::Limit::range(0.0, 100.0)
        .check(a.min_score)
        .map_err(|r| CliError(format!("--min-score: {r}")))?;
    let models = atlas::shipped_models();
    let prices = atlas::shipped_prices();
    let scores = atlas::shipped_price_scores();
    let dated = models.iter().filter(|m| m.release_date.is_some()).count();
    let mut providers: Vec<&str> = prices.iter().map(|p| p.provider.as_str()).collect();
    providers.sort_unstable();
    providers.dedup();
    let halving = match price::fit_halving(&prices, &scores, b, a.min_score, !a.all_prices) {
        Ok(f) => json!({
            "benchmark": b.id(),
            "min_score": a.min_score,
            "frontier": f.frontier,
            "price": f.price,
            "n": f.n,
            // Spelled out where undefined, as density-fit's text output does: `null` would read
            // as a NaN.
            "halving_months": f.halving_months.map_or(json!("no fall"), |x| json!(x)),
            "ci95_months": [
                f.ci95_months[0].map_or(json!("no fall"), |x| json!(x)),
                f.ci95_months[1].map_or(json!("unbounded"), |x| json!(x)),
            ],
            "r2": f.r2,
            "fitted": f.fitted,
        }),
        Err(e) => json!({ "error": e.to_string() }),
    };
    if a.json {
        return Ok(json!({
            "price_halving": halving,
            "models": models,
            "prices": prices,
            "price_scores": scores,
            "reference_families": density::FAMILIES,
            "benchmarks": Benchmark::ALL.map(Benchmark::id),
            "price_mix": price::BLEND,
        }));
    }
    Ok(json!({
        "models": models.len(),
        "models_dated": dated,
        "prices": prices.len(),
        "providers": providers.join(", "),
        "price_scores": scores.len(),
        "reference_families": density::family_ids().join(", "),
        "benchmarks": Benchmark::ALL.map(Benchmark::id).join(", "),
        "note": "every row has a source (URL and locator): scalecalc atlas --json",
    }))
}
