//! `scalecalc optimal --law ID --flops C [--unique-tokens U] [--json]` and
//! `scalecalc optimal --law ID --loss L --inference-tokens T [--json]`; `--law-file F` may replace
//! `--law ID`.

use super::{args, CliError};
use crate::model::limits as L;
use crate::model::scaling::{self, data, inference, Law};
use clap::Args;
use serde_json::{json, Value};

#[derive(Args, Debug)]
#[command(group(clap::ArgGroup::new("target").required(true).args(["flops", "loss"])))]
pub struct OptimalArgs {
    /// Scaling-law id (hoffmann2022, hoffmann2022-tex, besiroglu2024, sardana2024, kaplan2020,
    /// deepseek2024, llama3-2024).
    #[arg(long, default_value = "hoffmann2022")]
    pub law: String,
    /// A JSON law file {"E","A","B","alpha","beta"} (e.g. from `fit --json`) instead of --law.
    #[arg(long, conflicts_with = "law")]
    pub law_file: Option<String>,
    /// Compute budget, FLOP: the compute-optimal parameters and tokens.
    #[arg(long, value_parser = args::limited(&L::FLOPS))]
    pub flops: Option<f64>,
    /// Unique tokens available (with --flops): the data-constrained optimum (Muennighoff et al. 2023).
    #[arg(long, value_parser = args::limited(&L::UNIQUE_TOKENS), requires = "flops")]
    pub unique_tokens: Option<f64>,
    /// Target loss, nats/token: the model minimising lifetime FLOPs (Sardana et al. 2024).
    #[arg(long, value_parser = args::limited(&L::TARGET_LOSS))]
    pub loss: Option<f64>,
    /// Lifetime inference tokens (with --loss; default 0).
    #[arg(long, value_parser = args::limited(&L::INFERENCE_TOKENS), requires = "loss")]
    pub inference_tokens: Option<f64>,
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
}

/// Resolves `--law ID` or `--law-file F` to a law and the name to print.
pub fn resolve_law(id: &str, file: Option<&str>) -> Result<(String, Law), CliError> {
    if let Some(path) = file {
        let text = std::fs::read_to_string(path)
            .map_err(|e| CliError(format!("--law-file: cannot read '{path}': {e}")))?;
        let law =
            Law::from_json(&text).map_err(|e| CliError(format!("--law-file '{path}': {e}")))?;
        return Ok((path.to_string(), law));
    }
    let info = scaling::law_by_id(id).ok_or_else(|| {
        CliError(format!(
            "--law: unknown law '{id}' (valid: {})",
            scaling::law_ids().join(", ")
        ))
    })?;
    Ok((info.id.to_string(), (info.law)()))
}

pub fn run(a: &OptimalArgs) -> Result<Value, CliError> {
    let (name, law) = resolve_law(&a.law, a.law_file.as_deref())?;
    let err = |flag: &str, e: scaling::ScalingError| CliError(format!("{flag}: {e}"));
    if let Some(target) = a.loss {
        let t = a.inference_tokens.unwrap_or(0.0);
        let r = inference::inference_optimal(&law, target, t).map_err(|e| err("--loss", e))?;
        let (o, c) = (r.optimum, r.chinchilla);
        return Ok(json!({
            "law": name,
            "target_loss": target,
            "inference_tokens": t,
            "params": o.params,
            "tokens": o.tokens,
            "tokens_per_param": o.tokens_per_param,
            "train_flops": o.train_flops,
            "inference_flops": o.inference_flops,
            "lifetime_flops": o.lifetime_flops,
            "chinchilla_params": c.params,
            "chinchilla_tokens": c.tokens,
            "chinchilla_lifetime_flops": c.lifetime_flops,
            "lifetime_saving": r.lifetime_saving,
        }));
    }
    // The ArgGroup guarantees --flops when --loss is absent.
    let flops = a
        .flops
        .ok_or_else(|| CliError("--flops or --loss is required".into()))?;
    let o = law
        .optimal(flops)
        .ok_or_else(|| CliError(format!("--flops: no optimum for {flops}")))?;
    let mut v = json!({
        "law": name,
        "flops": o.flops,
        "params": o.params,
        "tokens": o.tokens,
        "tokens_per_param": o.tokens_per_param,
        "loss": o.loss,
        "params_convention": law.params_convention(),
    });
    if let Some(u) = a.unique_tokens {
        let dc = data::DataConstraint::new(u).map_err(|e| err("--unique-tokens", e))?;
        let d = data::optimal(&law, flops, &dc).map_err(|e| err("--unique-tokens", e))?;
        v["data_constrained"] = json!({
            "unique_tokens": u,
            "params": d.params,
            "tokens": d.tokens,
            "epochs": d.epochs,
            "effective_tokens": d.effective_tokens,
            "loss": d.loss,
        });
    }
    Ok(v)
}
