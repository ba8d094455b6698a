//! `scalecalc optimal --law ID --flops C [--json]`.

use super::{args, CliError};
use crate::model::scaling;
use clap::Args;
use serde_json::{json, Value};

#[derive(Args, Debug)]
pub struct OptimalArgs {
    /// Scaling-law preset id (see `--law help`).
    #[arg(long, default_value = "hoffmann2022")]
    pub law: String,
    /// Compute budget, FLOP.
    #[arg(long, value_parser = args::positive)]
    pub flops: f64,
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
}

pub fn run(a: &OptimalArgs) -> Result<Value, CliError> {
    let preset = scaling::law_preset(&a.law).ok_or_else(|| {
        CliError(format!(
            "--law: unknown law '{}' (valid: {})",
            a.law,
            scaling::law_ids().join(", ")
        ))
    })?;
    let o = (preset.law)().optimal(a.flops);
    Ok(json!({
        "law": preset.id,
        "flops": o.flops,
        "params": o.params,
        "tokens": o.tokens,
        "tokens_per_param": o.tokens_per_param,
        "loss": o.loss,
    }))
}
