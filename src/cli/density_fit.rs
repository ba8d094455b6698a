//! `scalecalc density-fit MODELS.csv [--frontier] [--json]`: the density doubling time of a table
//! of models (header: `name,date,params` and `effective_params` or `density`).
//!
//! `scalecalc density-fit --atlas [--frontier] [--benchmark ID] [--reference-family ID] [--json]`:
//! the same fit on the shipped atlas, each model's density from its benchmark score through the
//! reference family's score curve (`model::atlas::density`); the output adds `benchmark` and
//! `reference_family`.

use super::CliError;
use crate::model::atlas::{self, density, Benchmark};
use crate::model::density::fit;
use clap::Args;
use serde_json::{json, Value};

#[derive(Args, Debug)]
pub struct DensityFitArgs {
    /// CSV file with columns name, date, params, and effective_params or density.
    #[arg(value_name = "MODELS.csv", required_unless_present = "atlas")]
    pub models: Option<std::path::PathBuf>,
    /// Fit on the shipped atlas instead of a file (`scalecalc atlas` lists it).
    #[arg(long, conflicts_with = "models")]
    pub atlas: bool,
    /// With --atlas: the benchmark whose scores give the effective sizes (mmlu or math; default
    /// mmlu).
    #[arg(long, value_name = "ID")]
    pub benchmark: Option<String>,
    /// With --atlas: the family whose score curve maps a score to a size (qwen2.5 or qwen1.5;
    /// default qwen2.5).
    #[arg(long, value_name = "ID")]
    pub reference_family: Option<String>,
    /// Fit only the frontier (models that set a new running maximum), as the Densing paper does.
    #[arg(long)]
    pub frontier: bool,
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
}

pub fn run(a: &DensityFitArgs) -> Result<Value, CliError> {
    let Some(path) = a.models.as_ref().filter(|_| !a.atlas) else {
        return run_atlas(a);
    };
    for (given, flag) in [
        (a.benchmark.is_some(), "--benchmark"),
        (a.reference_family.is_some(), "--reference-family"),
    ] {
        if given {
            return Err(CliError(format!("{flag}: only with --atlas")));
        }
    }
    let text = std::fs::read_to_string(path)
        .map_err(|e| CliError(format!("MODELS.csv: cannot read '{}': {e}", path.display())))?;
    let models = fit::parse_models_csv(&text)?;
    let f = fit::fit(&models, a.frontier)?;
    Ok(output(&f, a.json))
}

/// `--atlas`: the fit on the shipped atlas, with `benchmark` and `reference_family` added.
fn run_atlas(a: &DensityFitArgs) -> Result<Value, CliError> {
    let bench = a.benchmark.as_deref().unwrap_or("mmlu");
    let fam_id = a.reference_family.as_deref().unwrap_or("qwen2.5");
    let b = Benchmark::parse(bench).ok_or_else(|| {
        CliError(format!(
            "--benchmark: '{bench}' is not one of {}",
            Benchmark::ALL.map(Benchmark::id).join(", ")
        ))
    })?;
    let fam = density::family(fam_id).ok_or_else(|| {
        CliError(format!(
            "--reference-family: '{fam_id}' is not one of {}",
            density::family_ids().join(", ")
        ))
    })?;
    let f = density::fit_doubling(&atlas::shipped_models(), fam, b, a.frontier)?;
    let mut v = output(&f.fit, a.json);
    v["benchmark"] = json!(b.id());
    v["reference_family"] = json!(fam.id);
    Ok(v)
}

/// The keys every `density-fit` prints (a public interface).
fn output(f: &fit::DensityFit, as_json: bool) -> Value {
    let note = if f.growth {
        None
    } else {
        Some(format!(
            "no growth: the fitted slope is {:.3e} per day (≤ 0), so there is no doubling time",
            f.slope_per_day
        ))
    };
    // JSON keeps types (null = undefined / unbounded); text output spells them out.
    let (dm, lo, hi) = if as_json {
        (
            json!(f.doubling_months),
            json!(f.ci95_months[0]),
            json!(f.ci95_months[1]),
        )
    } else {
        (
            f.doubling_months.map_or(json!("no growth"), |x| json!(x)),
            f.ci95_months[0].map_or(json!("no growth"), |x| json!(x)),
            f.ci95_months[1].map_or(json!("unbounded"), |x| json!(x)),
        )
    };
    json!({
        "doubling_months": dm,
        "ci95": [lo, hi],
        "r2": f.r2,
        "n_models": f.n_models,
        "frontier": f.frontier,
        "growth": f.growth,
        "slope_per_day": f.slope_per_day,
        "slope_ci95": f.slope_ci95,
        "models": f.models.iter().map(|m| m.name.clone()).collect::<Vec<_>>(),
        "note": note,
    })
}
