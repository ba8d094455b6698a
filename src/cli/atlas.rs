//! `scalecalc atlas [--json]`: the shipped atlas (issue 17), every model and every dated list
//! price with its source (URL and locator). `scalecalc density-fit --atlas` fits on it. The JSON
//! adds the implied margin of open-weight models (`implied_margins`, `atlas::margin`).

use super::{args, CliError};
use crate::model::atlas::margin::{self, ImpliedMargin, MarginWorkload};
use crate::model::atlas::{self, density, price, Benchmark};
use crate::model::hardware;
use crate::model::limits as L;
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
    /// Hardware preset of our serving cost in `implied_margins` (`scalecalc gpus`).
    #[arg(long, default_value = margin::DEFAULT_GPU)]
    pub gpu: String,
    /// USD per GPU-hour of our serving cost in `implied_margins`; 0 = the GPU's preset price.
    #[arg(long, default_value_t = margin::DEFAULT_PRICE_PER_GPU_HOUR, value_parser = args::limited(&L::PRICE_PER_GPU_HOUR))]
    pub price_per_gpu_hour: f64,
    /// Concurrent sequences of the reference workload in `implied_margins` (default 64).
    #[arg(long, default_value_t = MarginWorkload::REFERENCE.batch, value_parser = args::limited_u32(&L::BATCH))]
    pub margin_batch: u32,
}

/// A figure, or what is missing spelled out (`null` would read as a NaN).
fn figure(x: Option<f64>, missing: &str) -> Value {
    x.filter(|x| x.is_finite())
        .map_or_else(|| json!(missing), |x| json!(x))
}

/// One row of `implied_margins`.
fn margin_row(m: &ImpliedMargin) -> Value {
    let c = m.cost;
    let no_cost = m.reason.as_deref().unwrap_or("no cost");
    let undefined = m.reason.as_deref().unwrap_or("undefined");
    json!({
        "model": m.model,
        "provider": m.provider,
        "date": m.date,
        "preset": m.preset.as_deref().unwrap_or("none"),
        "price_input": figure(m.price_input, "no USD price"),
        "price_output": figure(m.price_output, "no USD price"),
        "price_blended": figure(m.price_blended, "no USD price"),
        "gpus": c.map_or(json!(no_cost), |c| json!(c.gpus)),
        "tensor_parallel": c.map_or(json!(no_cost), |c| json!(c.tensor_parallel)),
        "pipeline": c.map_or(json!(no_cost), |c| json!(c.pipeline)),
        "cost_input": figure(c.map(|c| c.usd_per_million_input), no_cost),
        "cost_output": figure(c.map(|c| c.usd_per_million_output), no_cost),
        "cost_blended": figure(c.map(|c| c.usd_per_million_blended), no_cost),
        "margin_input": figure(m.margin_input, undefined),
        "margin_output": figure(m.margin_output, undefined),
        "margin_blended": figure(m.margin_blended, undefined),
        "reason": m.reason.as_deref().unwrap_or(""),
        "source": m.source,
    })
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
    let gpu = hardware::gpu(&a.gpu).ok_or_else(|| {
        CliError(format!(
            "--gpu: unknown hardware '{}' (valid: {})",
            a.gpu,
            hardware::gpu_ids().join(", ")
        ))
    })?;
    let gpu_hour = if a.price_per_gpu_hour == 0.0 {
        gpu.price_per_hour_usd
    } else {
        a.price_per_gpu_hour
    };
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
        let w = MarginWorkload {
            batch: a.margin_batch,
            ..MarginWorkload::REFERENCE
        };
        let rows = margin::implied_margins(&prices, gpu.id, gpu_hour, &w);
        let margins = json!({
            "gpu": gpu.id,
            "price_per_gpu_hour": gpu_hour,
            "workload": w,
            "formula": "margin = 1 − cost/price; blended = (3·in + out)/4 for both; cost from the calibrated roofline (scalecalc infer) on the fewest GPUs that fit (TP ≤ 8, pipeline beyond)",
            "architectures": margin::ARCHITECTURES,
            "rows": rows.iter().map(margin_row).collect::<Vec<_>>(),
        });
        return Ok(json!({
            "implied_margins": margins,
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
