//! `scalecalc scenario --url LINK [--json]`: the numbers the page shows for a link.

use super::CliError;
use crate::model::{lifetime, plan, url};
use clap::Args;
use serde_json::{json, Value};

#[derive(Args, Debug)]
pub struct ScenarioArgs {
    /// A link the page produced, or just its query string.
    #[arg(long)]
    pub url: String,
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
}

pub fn run(a: &ScenarioArgs) -> Result<Value, CliError> {
    let decoded = url::decode(&a.url);
    let input = decoded.scenario.plan();
    let result = plan::evaluate(&input);
    let mut v = serde_json::to_value(&result)?;
    if let Value::Object(map) = &mut v {
        map.insert("warnings".into(), json!(decoded.all_warnings()));
        map.insert("query".into(), json!(url::encode(&decoded.scenario)));
        // The dollar version of the inference-aware optimum (scaling section), when asked.
        let priced = lifetime::priced_optimum(
            input.scaling.target_loss,
            &input.training,
            &input.serving,
            &result.law_constants,
        )
        .ok();
        map.insert(
            "priced_optimum".into(),
            json!(priced.map(|p| json!({
                "params": p.optimum.params,
                "tokens": p.optimum.tokens,
                "usd": p.optimum.usd,
                "chinchilla_params": p.optimum.chinchilla_params,
                "chinchilla_usd": p.optimum.chinchilla_usd,
                "saving": p.saving,
            }))),
        );
    }
    Ok(v)
}
