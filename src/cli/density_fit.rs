//! `scalecalc density-fit MODELS.csv [--frontier] [--json]`: the density doubling time of a table
//! of models (header: `name,date,params` and `effective_params` or `density`).

use super::CliError;
use crate::model::density::fit;
use clap::Args;
use serde_json::{json, Value};

#[derive(Args, Debug)]
pub struct DensityFitArgs {
    /// CSV file with columns name, date, params, and effective_params or density.
    #[arg(value_name = "MODELS.csv")]
    pub models: std::path::PathBuf,
    /// Fit only the frontier (models that set a new running maximum), as the Densing paper does.
    #[arg(long)]
    pub frontier: bool,
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
}

pub fn run(a: &DensityFitArgs) -> Result<Value, CliError> {
    let text = std::fs::read_to_string(&a.models).map_err(|e| {
        CliError(format!(
            "MODELS.csv: cannot read '{}': {e}",
            a.models.display()
        ))
    })?;
    let models = fit::parse_models_csv(&text)?;
    let f = fit::fit(&models, a.frontier)?;
    let note = if f.growth {
        None
    } else {
        Some(format!(
            "no growth: the fitted slope is {:.3e} per day (≤ 0), so there is no doubling time",
            f.slope_per_day
        ))
    };
    // JSON keeps types (null = undefined / unbounded); text output spells them out.
    let (dm, lo, hi) = if a.json {
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
    Ok(json!({
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
    }))
}
