//! `scalecalc density --reference-params N --reference-date D0 --date D [--doubling-months M]
//! [--device ID --bits B --hw-doubling-months H --min-tokens-per-s R] [--json]`.

use super::{args, CliError};
use crate::model::date::Date;
use crate::model::density::device::{self, FitQuestion};
use crate::model::density::{EquivalentModel, DEFAULT_DOUBLING_MONTHS};
use crate::model::limits as L;
use clap::Args;
use serde_json::{json, Value};

/// A `YYYY-MM-DD` date.
pub fn date_arg(s: &str) -> Result<Date, String> {
    Date::parse(s).map_err(|e| e.to_string())
}

#[derive(Args, Debug)]
pub struct DensityArgs {
    /// Parameters of the reference model (e.g. 175e9 for GPT-3).
    #[arg(long, value_parser = args::limited(&L::REFERENCE_PARAMS), allow_negative_numbers = true)]
    pub reference_params: f64,
    /// Release date of the reference model, YYYY-MM-DD.
    #[arg(long, value_parser = date_arg)]
    pub reference_date: Date,
    /// Date at which to find the equivalent model, YYYY-MM-DD.
    #[arg(long, value_parser = date_arg)]
    pub date: Date,
    /// Density doubling time, months (of 30.436875 days).
    #[arg(long, value_parser = args::limited(&L::DOUBLING_MONTHS), allow_negative_numbers = true, default_value_t = DEFAULT_DOUBLING_MONTHS)]
    pub doubling_months: f64,
    /// Bits per weight for the weight memory (and the device).
    #[arg(long, default_value_t = 16, value_parser = clap::value_parser!(u32).range(1..=32))]
    pub bits: u32,
    /// Device preset id: also report when the reference capability fits it.
    #[arg(long)]
    pub device: Option<String>,
    /// Hardware price-performance doubling time, months (Hobbhahn 2023: 25.2); default fixed.
    #[arg(long, value_parser = args::limited(&L::HW_DOUBLING_MONTHS), allow_negative_numbers = true)]
    pub hw_doubling_months: Option<f64>,
    /// Decode-speed floor on the device, tokens/s.
    #[arg(long, value_parser = args::limited(&L::MIN_TOKENS_PER_S), allow_negative_numbers = true)]
    pub min_tokens_per_s: Option<f64>,
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
}

pub fn run(a: &DensityArgs) -> Result<Value, CliError> {
    let m = EquivalentModel::new(
        a.reference_params,
        a.reference_date,
        a.date,
        a.doubling_months,
    )?;
    let mut notes = Vec::new();
    if a.date < a.reference_date {
        notes.push(format!(
            "--date {} is before --reference-date {}: the equivalent model is larger than the reference",
            a.date, a.reference_date
        ));
    }
    let mut out = json!({
        "reference_params": m.reference_params,
        "reference_date": m.reference_date.to_string(),
        "date": m.date.to_string(),
        "doubling_months": m.doubling_months,
        "days_elapsed": m.days_elapsed,
        "months_elapsed": m.months_elapsed,
        "density_ratio": m.density_ratio,
        "equivalent_params": m.equivalent_params,
        "inference_flops_per_token": m.inference_flops_per_token,
        "bits": a.bits,
        "weight_bytes": m.weight_bytes(a.bits)?,
    });
    if let Some(id) = &a.device {
        let dev = device::device(id).ok_or_else(|| {
            CliError(format!(
                "--device: unknown device '{id}' (valid: {})",
                device::device_ids().join(", ")
            ))
        })?;
        let q = FitQuestion {
            reference_params: a.reference_params,
            reference_date: a.reference_date,
            doubling_months: a.doubling_months,
            device: dev,
            bits: a.bits,
            min_tokens_per_s: a.min_tokens_per_s,
            // 0 means the hardware stays as it is (the same rule as the link's `dhw`).
            hw_doubling_months: a.hw_doubling_months.filter(|h| *h > 0.0),
        };
        let f = q.solve()?;
        if f.fits_at_reference {
            notes.push(format!(
                "the reference capability already fits {} at {} bits at its release date",
                dev.name, a.bits
            ));
        }
        if let Value::Object(map) = &mut out {
            map.insert("device".into(), json!(dev.id));
            map.insert("device_capacity_params".into(), json!(f.capacity_params));
            map.insert("device_limited_by".into(), json!(f.limited_by));
            map.insert(
                "combined_doubling_months".into(),
                json!(f.combined_doubling_months),
            );
            map.insert(
                "fit_months_after_reference".into(),
                json!(f.months_after_reference),
            );
            map.insert("fit_date".into(), json!(f.date.map(|d| d.to_string())));
            map.insert("fits_at_reference".into(), json!(f.fits_at_reference));
            map.insert(
                "device_tokens_per_s".into(),
                json!(dev.tokens_per_s(m.equivalent_params, a.bits).ok()),
            );
        }
    }
    if let Value::Object(map) = &mut out {
        map.insert("notes".into(), json!(notes));
    }
    Ok(out)
}
