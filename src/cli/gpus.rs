//! `scalecalc gpus [--json]`: every hardware preset with its figures and sources.

use super::CliError;
use crate::model::hardware::GPUS;
use clap::Args;
use serde_json::{json, Value};

#[derive(Args, Debug)]
pub struct GpusArgs {
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
}

pub fn run(a: &GpusArgs) -> Result<Value, CliError> {
    if a.json {
        return Ok(json!({ "gpus": GPUS }));
    }
    // Without --json: one line per device, id first.
    let lines: serde_json::Map<String, Value> = GPUS
        .iter()
        .map(|g| {
            let text = format!(
                "{}: {:.1} TFLOP/s bf16 dense, {:.0} GB, {:.0} GB/s, {}, ${}/h{}",
                g.name,
                g.peak_bf16_flop_per_s / 1e12,
                g.memory_bytes / 1e9,
                g.bandwidth_bytes_per_s / 1e9,
                g.power_watts
                    .map_or("power n/a".into(), |w| format!("{w:.0} W")),
                g.price_per_hour_usd,
                if g.estimate { " (estimate)" } else { "" }
            );
            (g.id.to_string(), Value::String(text))
        })
        .collect();
    Ok(Value::Object(lines))
}
