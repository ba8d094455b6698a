//! `scalecalc models [--json]`: the model presets with their shapes, counts and sources.

use super::CliError;
use crate::model::architecture;
use clap::Args;
use serde_json::{json, Value};

#[derive(Args, Debug)]
pub struct ModelsArgs {
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
}

pub fn run(_a: &ModelsArgs) -> Result<Value, CliError> {
    let models: Vec<Value> = architecture::presets()
        .iter()
        .map(|p| {
            let a = &p.arch;
            let n = a.params();
            json!({
                "id": p.id,
                "name": p.name,
                "params": n.total,
                "active_params": n.active,
                "non_embedding_params": n.non_embedding,
                "published_params": p.published_params,
                "published_active_params": p.published_active_params,
                "layers": a.layers,
                "d_model": a.d_model,
                "heads": a.heads,
                "kv_heads": a.kv_heads,
                "head_dim": a.head_dim,
                "ffn": a.ffn,
                "vocab": a.vocab,
                "moe": a.moe,
                "mla": a.mla,
                "sliding_window": a.sliding_window,
                "max_context": a.max_context,
                "kv_cache_bytes_per_token_16bit": a.layers as f64 * a.kv_elements_per_token_per_layer() * 2.0,
                "released": p.released.to_string(),
                "source": p.source,
            })
        })
        .collect();
    Ok(json!({ "models": models }))
}
