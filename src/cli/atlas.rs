//! `scalecalc atlas [--json]`: the shipped atlas (issue 17), every model and every dated list
//! price with its source (URL and locator). `scalecalc density-fit --atlas` fits on it.

use super::CliError;
use crate::model::atlas::{self, density, price, Benchmark};
use clap::Args;
use serde_json::{json, Value};

#[derive(Args, Debug)]
pub struct AtlasArgs {
    /// Print one JSON object: `models`, `prices` and `price_scores`, each row with its `source`.
    #[arg(long)]
    pub json: bool,
}

pub fn run(a: &AtlasArgs) -> Result<Value, CliError> {
    let models = atlas::shipped_models();
    let prices = atlas::shipped_prices();
    let scores = atlas::shipped_price_scores();
    let dated = models.iter().filter(|m| m.release_date.is_some()).count();
    let mut providers: Vec<&str> = prices.iter().map(|p| p.provider.as_str()).collect();
    providers.sort_unstable();
    providers.dedup();
    if a.json {
        return Ok(json!({
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
