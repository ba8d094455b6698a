//! `scalecalc loss --law ID --params N --tokens D [--unique-tokens U] [--json]`; `--law-file F`
//! may replace `--law ID`.

use super::optimal::resolve_law;
use super::{args, CliError};
use crate::model::limits as L;
use crate::model::scaling::{data::DataConstraint, ScalingError};
use clap::Args;
use serde_json::{json, Value};

#[derive(Args, Debug)]
pub struct LossArgs {
    /// Scaling-law id (one with a loss formula: hoffmann2022, hoffmann2022-tex, besiroglu2024,
    /// sardana2024, kaplan2020).
    #[arg(long, default_value = "hoffmann2022")]
    pub law: String,
    /// A JSON law file {"E","A","B","alpha","beta"} (e.g. from `fit --json`) instead of --law.
    #[arg(long, conflicts_with = "law")]
    pub law_file: Option<String>,
    /// Parameters N (Kaplan's law: non-embedding parameters).
    #[arg(long, value_parser = args::limited(&L::PARAMS))]
    pub params: f64,
    /// Training tokens D.
    #[arg(long, value_parser = args::limited(&L::TOKENS))]
    pub tokens: f64,
    /// Unique tokens: the loss with repeated epochs (Muennighoff et al. 2023).
    #[arg(long, value_parser = args::limited(&L::UNIQUE_TOKENS))]
    pub unique_tokens: Option<f64>,
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
}

pub fn run(a: &LossArgs) -> Result<Value, CliError> {
    let (name, law) = resolve_law(&a.law, a.law_file.as_deref())?;
    if !law.has_loss() {
        return Err(CliError(format!(
            "--law: {}",
            ScalingError::NoLoss { law: name }
        )));
    }
    let no_loss = || CliError("--params/--tokens: the law gives no finite loss here".into());
    match a.unique_tokens {
        None => {
            let loss = law.loss(a.params, a.tokens).ok_or_else(no_loss)?;
            Ok(json!({ "law": name, "params": a.params, "tokens": a.tokens, "loss": loss }))
        }
        Some(u) => {
            let dc =
                DataConstraint::new(u).map_err(|e| CliError(format!("--unique-tokens: {e}")))?;
            let loss = dc.loss(&law, a.params, a.tokens).ok_or_else(no_loss)?;
            Ok(json!({
                "law": name,
                "params": a.params,
                "tokens": a.tokens,
                "unique_tokens": u,
                "epochs": a.tokens / u,
                "effective_tokens": dc.effective_tokens(a.tokens),
                "loss": loss,
            }))
        }
    }
}
