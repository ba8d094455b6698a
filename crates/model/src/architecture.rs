//! Transformer architectures: the shape of a model (layers, widths, heads, FFN, MoE, attention
//! kind), parameter counts derived from it, a Hugging Face `config.json` parser, and presets with
//! sources. Shared by the inference and training sections.
//!
//! Parameter counts are exact sums over the weight matrices (biases only where the model has them,
//! RMSNorm/LayerNorm gains counted as `d_model` each), so they can be checked against the counts the
//! model cards publish.

use super::date::Date;
use super::explain::{Explained, Source};
use crate::explain::Key;
use serde::Serialize;
use serde_json::Value;
use std::fmt;

/// A mixture-of-experts feed-forward block.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Moe {
    /// Routed experts per MoE layer.
    pub experts: u32,
    /// Routed experts each token uses.
    pub top_k: u32,
    /// Always-on shared experts per MoE layer (DeepSeekMoE), each of width `expert_ffn`.
    pub shared_experts: u32,
    /// Intermediate width of one expert.
    pub expert_ffn: u64,
    /// The first this-many layers are dense (width `Architecture::ffn`), the rest MoE.
    pub dense_layers_first: u32,
}

/// Multi-head latent attention (DeepSeek-V2/V3): K and V are cached as one compressed latent.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Mla {
    /// Rank of the compressed KV latent (the cached vector), e.g. 512.
    pub kv_lora_rank: u64,
    /// Rank of the query compression; `None` = full-rank query projection.
    pub q_lora_rank: Option<u64>,
    /// Decoupled rotary key width per head (cached once per token, shared by heads), e.g. 64.
    pub qk_rope_head_dim: u64,
    /// Non-rotary query/key width per head, e.g. 128.
    pub qk_nope_head_dim: u64,
    /// Value width per head, e.g. 128.
    pub v_head_dim: u64,
}

/// The shape of a decoder-only transformer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Architecture {
    pub layers: u32,
    pub d_model: u64,
    /// Query heads.
    pub heads: u32,
    /// Key/value heads (= `heads` for MHA, fewer for GQA/MQA). Must divide `heads`.
    pub kv_heads: u32,
    /// Width of one head.
    pub head_dim: u64,
    /// FFN intermediate width of a dense layer.
    pub ffn: u64,
    pub vocab: u64,
    /// Gated FFN (SwiGLU/GeGLU: three matrices) rather than two.
    pub gated_ffn: bool,
    /// Input embedding and output projection share one matrix.
    pub tied_embeddings: bool,
    /// Biases on the Q, K, V projections (Qwen2).
    pub qkv_bias: bool,
    /// Biases on every linear layer (GPT-2/3, GPT-J's FFN and head).
    pub linear_bias: bool,
    /// Learned absolute position embeddings (GPT-3: 2048 rows); 0 = rotary / none.
    pub learned_positions: u64,
    pub moe: Option<Moe>,
    pub mla: Option<Mla>,
    /// Sliding attention window, tokens; `None` = full attention.
    pub sliding_window: Option<u64>,
    /// How many layers use the window (Mistral-7B v0.1: all; Gemma 2: every other).
    pub sliding_window_layers: u32,
    /// Maximum context the model was trained for, tokens.
    pub max_context: u64,
}

/// The largest size `config.json` may give for any dimension, count or length: 2^30.
pub const MAX_CONFIG_SIZE: f64 = 1_073_741_824.0;

/// Every numeric key [`Architecture::from_hf_config`] reads.
const CONFIG_SIZE_KEYS: &[&str] = &[
    "num_hidden_layers",
    "n_layer",
    "num_layers",
    "hidden_size",
    "n_embd",
    "d_model",
    "num_attention_heads",
    "n_head",
    "num_key_value_heads",
    "num_kv_heads",
    "n_head_kv",
    "head_dim",
    "intermediate_size",
    "n_inner",
    "ffn_hidden_size",
    "ffn_dim",
    "vocab_size",
    "num_local_experts",
    "n_routed_experts",
    "num_experts",
    "num_experts_per_tok",
    "moe_topk",
    "n_shared_experts",
    "moe_intermediate_size",
    "first_k_dense_replace",
    "kv_lora_rank",
    "q_lora_rank",
    "qk_rope_head_dim",
    "qk_nope_head_dim",
    "v_head_dim",
    "sliding_window",
    "max_position_embeddings",
    "n_positions",
    "seq_length",
];

/// Why an architecture or a config was rejected.
#[derive(Debug, Clone, PartialEq)]
pub enum ArchError {
    /// The config lacks a field the model needs (the names tried are listed).
    MissingField(&'static str),
    /// A field has a value outside its rule.
    InvalidField {
        field: &'static str,
        value: String,
        rule: &'static str,
    },
    /// KV heads must divide the query heads (each KV head serves a whole group).
    KvHeadsNotDividing { heads: u32, kv_heads: u32 },
    /// The pasted text is not JSON.
    NotJson(String),
}

impl fmt::Display for ArchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ArchError::MissingField(name) => write!(f, "config: missing required field {name}"),
            ArchError::InvalidField { field, value, rule } => {
                write!(f, "{field}: {value} is invalid ({rule})")
            }
            ArchError::KvHeadsNotDividing { heads, kv_heads } => write!(
                f,
                "kv-heads: {kv_heads} KV heads do not divide {heads} attention heads"
            ),
            ArchError::NotJson(e) => write!(f, "config: not valid JSON ({e})"),
        }
    }
}

impl std::error::Error for ArchError {}

/// Parameter counts, split the way papers report them.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ParamCounts {
    /// Every weight (all experts), as in a checkpoint.
    pub total: f64,
    /// Weights one token uses (top-k + shared experts; dense = total).
    pub active: f64,
    /// Total minus the input embedding, the untied output projection and learned positions
    /// (Kaplan et al. 2020's N).
    pub non_embedding: f64,
    /// The input embedding table (a lookup, no matmul FLOPs, only the used rows are read).
    pub input_embedding: f64,
    /// Parameters of one routed expert in one layer (0 for dense models).
    pub expert: f64,
    /// MoE layers (0 for dense models).
    pub moe_layers: u32,
}

impl Architecture {
    /// A Hugging Face `config.json` that [`Architecture::from_hf_config`] reads back as this
    /// architecture, for dense models in one of the two families the parser tells apart by their
    /// fields: GPT-2 style (learned positions, biases on every linear layer, a GELU MLP) and
    /// Llama style (no learned positions, a gated MLP, optional q/k/v biases). `None` for MoE,
    /// MLA, sliding-window and mixed shapes, which need their own model types. The page uses it
    /// to hand the plan's model to the Inference section as a pasted `config.json`.
    pub fn to_hf_config(&self) -> Option<String> {
        if self.moe.is_some() || self.mla.is_some() || self.sliding_window.is_some() {
            return None;
        }
        let gpt2 = self.linear_bias
            && !self.gated_ffn
            && !self.qkv_bias
            && self.learned_positions > 0
            && self.learned_positions == self.max_context;
        let llama = !self.linear_bias && self.gated_ffn && self.learned_positions == 0;
        let (model_type, act) = match (gpt2, llama) {
            (true, _) => ("gpt2", "gelu_new"),
            (_, true) => ("llama", "silu"),
            _ => return None,
        };
        // Written by hand, not with serde_json's `json!`: the page ships this in its first download.
        let bias = if llama {
            format!(",\"attention_bias\":{}", self.qkv_bias)
        } else {
            String::new()
        };
        Some(format!(
            "{{\"model_type\":\"{model_type}\",\"num_hidden_layers\":{},\"hidden_size\":{},\
             \"num_attention_heads\":{},\"num_key_value_heads\":{},\"head_dim\":{},\
             \"intermediate_size\":{},\"vocab_size\":{},\"hidden_act\":\"{act}\",\
             \"tie_word_embeddings\":{},\"max_position_embeddings\":{}{bias}}}",
            self.layers,
            self.d_model,
            self.heads,
            self.kv_heads,
            self.head_dim,
            self.ffn,
            self.vocab,
            self.tied_embeddings,
            self.max_context,
        ))
    }

    /// Checks the invariants every formula relies on.
    pub fn validate(&self) -> Result<(), ArchError> {
        let pos = |field: &'static str, v: u64| {
            if v == 0 {
                Err(ArchError::InvalidField {
                    field,
                    value: v.to_string(),
                    rule: "must be at least 1",
                })
            } else {
                Ok(())
            }
        };
        pos("layers", self.layers as u64)?;
        pos("d_model", self.d_model)?;
        pos("heads", self.heads as u64)?;
        pos("kv_heads", self.kv_heads as u64)?;
        pos("head_dim", self.head_dim)?;
        pos("vocab", self.vocab)?;
        if !self.heads.is_multiple_of(self.kv_heads) {
            return Err(ArchError::KvHeadsNotDividing {
                heads: self.heads,
                kv_heads: self.kv_heads,
            });
        }
        if let Some(m) = self.moe {
            pos("experts", m.experts as u64)?;
            pos("expert_ffn", m.expert_ffn)?;
            if m.top_k == 0 || m.top_k > m.experts {
                return Err(ArchError::InvalidField {
                    field: "num_experts_per_tok",
                    value: m.top_k.to_string(),
                    rule: "must be between 1 and the number of experts",
                });
            }
        }
        if self.sliding_window_layers > self.layers {
            return Err(ArchError::InvalidField {
                field: "sliding_window_layers",
                value: self.sliding_window_layers.to_string(),
                rule: "cannot exceed the number of layers",
            });
        }
        Ok(())
    }

    /// Attention parameters of one layer (projections, biases).
    ///
    /// # Formula
    /// MHA/GQA: `d·H·dh (Q) + 2·d·Hkv·dh (K, V) + H·dh·d (O)`.
    /// MLA: `d·r_q + r_q·H·(dn + dr)` (or `d·H·(dn+dr)` without query compression)
    /// `+ d·(r_kv + dr) + r_kv·H·(dn + dv) + H·dv·d` plus the latent norms.
    /// Symbols: d model width, H heads, Hkv KV heads, dh head width, r ranks, dn/dr/dv the
    /// non-rotary, rotary and value head widths (DeepSeek-V2 paper, §2.1, eqs. 9–14).
    pub fn attention_params(&self) -> f64 {
        let d = self.d_model as f64;
        let h = self.heads as f64;
        if let Some(m) = self.mla {
            let qk = (m.qk_nope_head_dim + m.qk_rope_head_dim) as f64;
            let q = match m.q_lora_rank {
                Some(r) => d * r as f64 + r as f64 * h * qk + r as f64,
                None => d * h * qk,
            };
            let r_kv = m.kv_lora_rank as f64;
            let kv = d * (r_kv + m.qk_rope_head_dim as f64)
                + r_kv * h * (m.qk_nope_head_dim + m.v_head_dim) as f64
                + r_kv;
            let o = h * m.v_head_dim as f64 * d;
            return q + kv + o;
        }
        let dh = self.head_dim as f64;
        let hkv = self.kv_heads as f64;
        let mut p = d * h * dh + 2.0 * d * hkv * dh + h * dh * d;
        if self.qkv_bias || self.linear_bias {
            p += h * dh + 2.0 * hkv * dh;
        }
        if self.linear_bias {
            p += d;
        }
        p
    }

    /// Parameters of one FFN of intermediate width `width`.
    ///
    /// # Formula
    /// `m·d·f` with `m` = 3 for gated FFNs (SwiGLU: gate, up, down), 2 otherwise (+ biases `f + d`).
    pub fn ffn_params(&self, width: u64) -> f64 {
        let (d, f) = (self.d_model as f64, width as f64);
        let m = if self.gated_ffn { 3.0 } else { 2.0 };
        m * d * f + if self.linear_bias { f + d } else { 0.0 }
    }

    /// Total, active and non-embedding parameter counts.
    ///
    /// # Formula
    /// `N = Σ_layers (attention + FFN or MoE + 2·d norms) + d (final norm) + V·d (embedding)`
    /// `+ V·d (untied output) + P·d (learned positions)`; a MoE layer holds `E + S` experts and a
    /// router `d·E`; active counts `k + S` experts.
    ///
    /// ```
    /// use scalecalc_model::architecture::preset;
    /// let n = preset("llama-2-7b").unwrap().arch.params();
    /// assert_eq!(n.total, 6_738_415_616.0); // Llama-2-7b-hf checkpoint
    /// ```
    pub fn params(&self) -> ParamCounts {
        let d = self.d_model as f64;
        let attn = self.attention_params();
        let norms = 2.0 * d * if self.linear_bias { 2.0 } else { 1.0 };
        let dense_layer = attn + self.ffn_params(self.ffn) + norms;
        let (mut total, mut active, mut expert, mut moe_layers) = (0.0, 0.0, 0.0, 0);
        match self.moe {
            Some(m) => {
                let dense = m.dense_layers_first.min(self.layers);
                moe_layers = self.layers - dense;
                expert = self.ffn_params(m.expert_ffn);
                let router = d * m.experts as f64;
                let common = attn + norms + router + m.shared_experts as f64 * expert;
                total += dense as f64 * dense_layer
                    + moe_layers as f64 * (common + m.experts as f64 * expert);
                active += dense as f64 * dense_layer
                    + moe_layers as f64 * (common + m.top_k as f64 * expert);
            }
            None => {
                total += self.layers as f64 * dense_layer;
                active = total;
            }
        }
        let final_norm = d * if self.linear_bias { 2.0 } else { 1.0 };
        let embed = self.vocab as f64 * d;
        let output = if self.tied_embeddings {
            0.0
        } else {
            embed
                + if self.linear_bias {
                    self.vocab as f64
                } else {
                    0.0
                }
        };
        let positions = self.learned_positions as f64 * d;
        let non_embedding = total + final_norm;
        let extra = final_norm + embed + output + positions;
        ParamCounts {
            total: total + extra,
            active: active + extra,
            non_embedding,
            input_embedding: embed + positions,
            expert,
            moe_layers,
        }
    }

    /// The total parameter count as an [`Explained`] number: the sum over the weight matrices with
    /// this model's values substituted (active count too, for MoE); `source` is where the shape
    /// comes from (the preset's paper or config, or the pasted `config.json`).
    pub fn params_explained(&self, key: Key, source: Source) -> Explained {
        let n = self.params();
        let d = self.d_model as f64;
        let norms = 2.0 * d * if self.linear_bias { 2.0 } else { 1.0 };
        let (attn, layers) = (self.attention_params(), self.layers);
        // Everything outside the layers: the final norm, embeddings, untied output, positions.
        let final_norm = d * if self.linear_bias { 2.0 } else { 1.0 };
        let outside = n.total - n.non_embedding + final_norm;
        let body = match self.moe {
            Some(m) => {
                let dense = m.dense_layers_first.min(layers);
                let dense = if dense > 0 {
                    format!(
                        "{dense} dense layers × (attention {attn:.4e} + FFN {:.4e} + norms {norms}) + ",
                        self.ffn_params(self.ffn)
                    )
                } else {
                    String::new()
                };
                format!(
                    "{dense}{} MoE layers × (attention {attn:.4e} + norms {norms} + router {} + ({} routed + {} shared) experts × {:.4e})",
                    n.moe_layers,
                    d * m.experts as f64,
                    m.experts,
                    m.shared_experts,
                    n.expert,
                )
            }
            None => format!(
                "{layers} layers × (attention {attn:.4e} + FFN {:.4e} + norms {norms})",
                self.ffn_params(self.ffn)
            ),
        };
        let active = if self.moe.is_some() {
            format!("; active (top-k + shared experts): {:.4e}", n.active)
        } else {
            String::new()
        };
        Explained::new(
            key,
            n.total,
            "params",
            "N = Σ_layers (attention + FFN or experts + norms) + final norm + V·d embedding (+ V·d untied output, + P·d positions)",
            format!(
                "{body} + final norm and embeddings {outside:.4e} = {:.4e}{active}",
                n.total
            ),
            source,
        )
    }

    /// Elements cached per token per layer (K and V, or MLA's latent).
    ///
    /// # Formula
    /// Standard: `2·Hkv·dh` (K and V); MLA: `r_kv + dr` (latent plus the shared rotary key).
    pub fn kv_elements_per_token_per_layer(&self) -> f64 {
        match self.mla {
            Some(m) => (m.kv_lora_rank + m.qk_rope_head_dim) as f64,
            None => 2.0 * self.kv_heads as f64 * self.head_dim as f64,
        }
    }

    /// Attention FLOPs per token per cached position per layer (QKᵀ and A·V, multiply-add = 2).
    ///
    /// # Formula
    /// `2·H·(d_qk + d_v)`; MHA/GQA: `4·H·dh`.
    pub fn attention_flops_per_position_per_layer(&self) -> f64 {
        let h = self.heads as f64;
        match self.mla {
            // Without weight absorption (the prefill form in DeepSeek-V2 §2.1.2): per head a
            // (dn+dr)-wide score and a dv-wide value product.
            Some(m) => 2.0 * h * (m.qk_nope_head_dim + m.qk_rope_head_dim + m.v_head_dim) as f64,
            None => 4.0 * h * self.head_dim as f64,
        }
    }

    /// Parses a Hugging Face `config.json` (as pasted by a user). Every size it reads is at most
    /// 2^30 (a larger one is refused, naming the field).
    ///
    /// Reads `num_hidden_layers` (`n_layer`), `hidden_size` (`n_embd`, `d_model`),
    /// `num_attention_heads` (`n_head`), `num_key_value_heads` (default: heads; `multi_query` →
    /// 1), `head_dim` (default `hidden_size / heads`), `intermediate_size` (`n_inner`, `ffn_hidden_size`;
    /// default `4·hidden_size`), `vocab_size`, `num_local_experts` / `n_routed_experts` /
    /// `num_experts`, `num_experts_per_tok`, `n_shared_experts`, `moe_intermediate_size`,
    /// `first_k_dense_replace`, `kv_lora_rank`, `q_lora_rank`, `qk_rope_head_dim`,
    /// `qk_nope_head_dim`, `v_head_dim`, `sliding_window` (+ `use_sliding_window`),
    /// `max_position_embeddings` (`n_positions`), `tie_word_embeddings`, `attention_bias`,
    /// `hidden_act`/`activation_function` (gated unless `gelu`/`gelu_new`/`relu` in a GPT-style model).
    pub fn from_hf_config(text: &str) -> Result<Architecture, ArchError> {
        let v: Value = serde_json::from_str(text).map_err(|e| ArchError::NotJson(e.to_string()))?;
        // Every size the parser reads must be a plausible transformer dimension: at most 2^30. Above
        // it, `4·hidden_size` and the parameter sums overflow (a panic in a debug build, a silent
        // wrap in release: issue 15's `hidden_size: 1e19`), and no real model comes near it.
        for key in CONFIG_SIZE_KEYS {
            if let Some(x) = v.get(*key).and_then(Value::as_f64) {
                if x > MAX_CONFIG_SIZE {
                    return Err(ArchError::InvalidField {
                        field: key,
                        value: crate::num::short(x),
                        rule: "larger than 2^30 (1,073,741,824)",
                    });
                }
            }
        }
        let num = |names: &[&str]| -> Option<u64> {
            names.iter().find_map(|n| {
                let x = v.get(*n)?;
                x.as_u64().or_else(|| {
                    x.as_f64()
                        .filter(|f| f.is_finite() && *f >= 0.0 && f.fract() == 0.0)
                        .map(|f| f as u64)
                })
            })
        };
        let boolean = |name: &str| v.get(name).and_then(Value::as_bool);
        let text_field = |names: &[&str]| -> Option<String> {
            names
                .iter()
                .find_map(|n| v.get(*n).and_then(Value::as_str).map(str::to_string))
        };
        let need =
            |names: &[&str], label: &'static str| num(names).ok_or(ArchError::MissingField(label));
        let to_u32 = |x: u64, field: &'static str| {
            u32::try_from(x).map_err(|_| ArchError::InvalidField {
                field,
                value: x.to_string(),
                rule: "too large",
            })
        };

        let layers = to_u32(
            need(
                &["num_hidden_layers", "n_layer", "num_layers"],
                "num_hidden_layers",
            )?,
            "num_hidden_layers",
        )?;
        let d_model = need(&["hidden_size", "n_embd", "d_model"], "hidden_size")?;
        let heads = to_u32(
            need(&["num_attention_heads", "n_head"], "num_attention_heads")?,
            "num_attention_heads",
        )?;
        let vocab = need(&["vocab_size"], "vocab_size")?;
        let model_type = text_field(&["model_type"]).unwrap_or_default();
        let kv_heads = match num(&["num_key_value_heads", "num_kv_heads", "n_head_kv"]) {
            Some(k) => to_u32(k, "num_key_value_heads")?,
            None if boolean("multi_query") == Some(true) => 1,
            None => heads,
        };
        if heads == 0 {
            return Err(ArchError::InvalidField {
                field: "num_attention_heads",
                value: "0".into(),
                rule: "must be at least 1",
            });
        }
        let head_dim = num(&["head_dim"]).unwrap_or(d_model / heads as u64);
        let ffn = num(&["intermediate_size", "n_inner", "ffn_hidden_size", "ffn_dim"])
            .unwrap_or(4 * d_model);
        let act = text_field(&["hidden_act", "activation_function", "hidden_activation"])
            .unwrap_or_default();
        let gpt_style = matches!(
            model_type.as_str(),
            "gpt2" | "gptj" | "gpt_neox" | "gpt_neo" | "falcon" | "opt" | "bloom"
        );
        let gated_ffn = !gpt_style && !matches!(act.as_str(), "gelu_new" | "relu");
        let experts = num(&["num_local_experts", "n_routed_experts", "num_experts"]).unwrap_or(0);
        let moe = if experts > 1 {
            let top_k = need(&["num_experts_per_tok", "moe_topk"], "num_experts_per_tok")?;
            Some(Moe {
                experts: to_u32(experts, "num_local_experts")?,
                top_k: to_u32(top_k, "num_experts_per_tok")?,
                shared_experts: to_u32(
                    num(&["n_shared_experts"]).unwrap_or(0),
                    "n_shared_experts",
                )?,
                expert_ffn: num(&["moe_intermediate_size"]).unwrap_or(ffn),
                dense_layers_first: to_u32(
                    num(&["first_k_dense_replace"]).unwrap_or(0),
                    "first_k_dense_replace",
                )?,
            })
        } else {
            None
        };
        let mla = match num(&["kv_lora_rank"]) {
            Some(r) if r > 0 => Some(Mla {
                kv_lora_rank: r,
                q_lora_rank: num(&["q_lora_rank"]),
                qk_rope_head_dim: need(&["qk_rope_head_dim"], "qk_rope_head_dim")?,
                qk_nope_head_dim: need(&["qk_nope_head_dim"], "qk_nope_head_dim")?,
                v_head_dim: need(&["v_head_dim"], "v_head_dim")?,
            }),
            _ => None,
        };
        let sliding_window = if boolean("use_sliding_window") == Some(false) {
            None
        } else {
            num(&["sliding_window"]).filter(|&w| w > 0)
        };
        // Gemma 2 alternates local (windowed) and global layers; others window every layer.
        let sliding_window_layers = match sliding_window {
            None => 0,
            Some(_) if model_type == "gemma2" => layers / 2,
            Some(_) => layers,
        };
        let max_context =
            num(&["max_position_embeddings", "n_positions", "seq_length"]).unwrap_or(0);
        let linear_bias = gpt_style && model_type != "falcon";
        let arch = Architecture {
            layers,
            d_model,
            heads,
            kv_heads,
            head_dim,
            ffn,
            vocab,
            gated_ffn,
            // Transformers' per-model default when the field is absent.
            tied_embeddings: boolean("tie_word_embeddings").unwrap_or(matches!(
                model_type.as_str(),
                "gemma" | "gemma2" | "gpt2" | "gpt_neo" | "falcon" | "minicpm" | "opt" | "bloom"
            )),
            qkv_bias: boolean("attention_bias").unwrap_or(model_type == "qwen2"),
            linear_bias,
            learned_positions: if matches!(model_type.as_str(), "gpt2" | "gpt_neo" | "opt") {
                max_context
            } else {
                0
            },
            moe,
            mla,
            sliding_window,
            sliding_window_layers,
            max_context,
        };
        arch.validate()?;
        Ok(arch)
    }
}

/// A model preset: its architecture, published parameter counts and release date, with sources.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelPreset {
    /// Lower-case id used by the CLI and links, e.g. `llama-3-70b`.
    pub id: &'static str,
    pub name: &'static str,
    pub arch: Architecture,
    /// Total parameters the authors publish (for the check against our count).
    pub published_params: f64,
    /// Active parameters the authors publish (MoE), else `None`.
    pub published_active_params: Option<f64>,
    pub released: Date,
    pub source: Source,
}

const BASE: Architecture = Architecture {
    layers: 32,
    d_model: 4096,
    heads: 32,
    kv_heads: 32,
    head_dim: 128,
    ffn: 11008,
    vocab: 32000,
    gated_ffn: true,
    tied_embeddings: false,
    qkv_bias: false,
    linear_bias: false,
    learned_positions: 0,
    moe: None,
    mla: None,
    sliding_window: None,
    sliding_window_layers: 0,
    max_context: 4096,
};

/// Where a pasted `config.json`'s shape comes from: the user's own file.
pub const PASTED_CONFIG: Source = src(
    "hf-config",
    "the pasted Hugging Face config.json",
    "its fields num_hidden_layers, hidden_size, intermediate_size, num_attention_heads, num_key_value_heads, vocab_size, …",
    "https://huggingface.co/docs/transformers/main_classes/configuration",
);

const fn src(
    id: &'static str,
    citation: &'static str,
    locator: &'static str,
    url: &'static str,
) -> Source {
    Source {
        id,
        citation,
        locator,
        url,
    }
}

const fn date(year: i32, month: u32, day: u32) -> Date {
    Date { year, month, day }
}

const LLAMA3_8B: Architecture = Architecture {
    kv_heads: 8,
    ffn: 14336,
    vocab: 128256,
    max_context: 8192,
    ..BASE
};
const LLAMA3_70B: Architecture = Architecture {
    layers: 80,
    d_model: 8192,
    heads: 64,
    kv_heads: 8,
    ffn: 28672,
    vocab: 128256,
    max_context: 8192,
    ..BASE
};

/// Every model preset, with its config source. Helpers: [`preset`], [`preset_ids`].
pub fn presets() -> Vec<ModelPreset> {
    let hf = "config.json on Hugging Face (num_hidden_layers, hidden_size, …)";
    vec![
        ModelPreset {
            id: "llama-7b",
            name: "LLaMA 7B",
            arch: Architecture { max_context: 2048, ..BASE },
            published_params: 6.7e9,
            published_active_params: None,
            released: date(2023, 2, 24),
            source: src("touvron2023a", "Touvron et al. 2023, LLaMA: Open and Efficient Foundation Language Models", "Table 2 (7B: dim 4096, 32 heads, 32 layers)", "https://arxiv.org/abs/2302.13971"),
        },
        ModelPreset {
            id: "llama-2-7b",
            name: "Llama 2 7B",
            arch: BASE,
            published_params: 6.74e9,
            published_active_params: None,
            released: date(2023, 7, 18),
            source: src("touvron2023b", "Touvron et al. 2023, Llama 2: Open Foundation and Fine-Tuned Chat Models", hf, "https://huggingface.co/meta-llama/Llama-2-7b-hf/blob/main/config.json"),
        },
        ModelPreset {
            id: "llama-2-13b",
            name: "Llama 2 13B",
            arch: Architecture { layers: 40, d_model: 5120, heads: 40, kv_heads: 40, ffn: 13824, ..BASE },
            published_params: 13.0e9,
            published_active_params: None,
            released: date(2023, 7, 18),
            source: src("touvron2023b", "Touvron et al. 2023, Llama 2: Open Foundation and Fine-Tuned Chat Models", hf, "https://huggingface.co/meta-llama/Llama-2-13b-hf/blob/main/config.json"),
        },
        ModelPreset {
            id: "llama-2-70b",
            name: "Llama 2 70B",
            arch: Architecture { layers: 80, d_model: 8192, heads: 64, kv_heads: 8, ffn: 28672, ..BASE },
            published_params: 69.0e9,
            published_active_params: None,
            released: date(2023, 7, 18),
            source: src("touvron2023b", "Touvron et al. 2023, Llama 2: Open Foundation and Fine-Tuned Chat Models", hf, "https://huggingface.co/meta-llama/Llama-2-70b-hf/blob/main/config.json"),
        },
        ModelPreset {
            id: "llama-3-8b",
            name: "Llama 3 8B",
            arch: LLAMA3_8B,
            published_params: 8.03e9,
            published_active_params: None,
            released: date(2024, 4, 18),
            source: src("meta2024llama3", "Meta 2024, Llama 3 model card", hf, "https://huggingface.co/meta-llama/Meta-Llama-3-8B/blob/main/config.json"),
        },
        ModelPreset {
            id: "llama-3-70b",
            name: "Llama 3 70B",
            arch: LLAMA3_70B,
            published_params: 70.6e9,
            published_active_params: None,
            released: date(2024, 4, 18),
            source: src("meta2024llama3", "Meta 2024, Llama 3 model card", hf, "https://huggingface.co/meta-llama/Meta-Llama-3-70B/blob/main/config.json"),
        },
        ModelPreset {
            id: "llama-3.1-8b",
            name: "Llama 3.1 8B",
            arch: Architecture { max_context: 131072, ..LLAMA3_8B },
            published_params: 8.03e9,
            published_active_params: None,
            released: date(2024, 7, 23),
            source: src("dubey2024", "Llama Team 2024, The Llama 3 Herd of Models", "Table 3; config.json of meta-llama/Llama-3.1-8B", "https://huggingface.co/meta-llama/Llama-3.1-8B/blob/main/config.json"),
        },
        ModelPreset {
            id: "llama-3.1-70b",
            name: "Llama 3.1 70B",
            arch: Architecture { max_context: 131072, ..LLAMA3_70B },
            published_params: 70.6e9,
            published_active_params: None,
            released: date(2024, 7, 23),
            source: src("dubey2024", "Llama Team 2024, The Llama 3 Herd of Models", "Table 3; config.json of meta-llama/Llama-3.1-70B", "https://huggingface.co/meta-llama/Llama-3.1-70B/blob/main/config.json"),
        },
        ModelPreset {
            id: "llama-3.1-405b",
            name: "Llama 3.1 405B",
            arch: Architecture { layers: 126, d_model: 16384, heads: 128, kv_heads: 8, ffn: 53248, vocab: 128256, max_context: 131072, ..BASE },
            published_params: 405.0e9,
            published_active_params: None,
            released: date(2024, 7, 23),
            source: src("dubey2024", "Llama Team 2024, The Llama 3 Herd of Models", "Table 3 (126 layers, 16,384 wide, 53,248 FFN, 128 heads, 8 KV heads)", "https://arxiv.org/abs/2407.21783"),
        },
        ModelPreset {
            id: "llama-3.2-1b",
            name: "Llama 3.2 1B",
            arch: Architecture { layers: 16, d_model: 2048, heads: 32, kv_heads: 8, head_dim: 64, ffn: 8192, vocab: 128256, tied_embeddings: true, max_context: 131072, ..BASE },
            published_params: 1.24e9,
            published_active_params: None,
            released: date(2024, 9, 25),
            source: src("meta2024llama32", "Meta 2024, Llama 3.2 model card", hf, "https://huggingface.co/meta-llama/Llama-3.2-1B/blob/main/config.json"),
        },
        ModelPreset {
            id: "llama-3.2-3b",
            name: "Llama 3.2 3B",
            arch: Architecture { layers: 28, d_model: 3072, heads: 24, kv_heads: 8, ffn: 8192, vocab: 128256, tied_embeddings: true, max_context: 131072, ..BASE },
            published_params: 3.21e9,
            published_active_params: None,
            released: date(2024, 9, 25),
            source: src("meta2024llama32", "Meta 2024, Llama 3.2 model card", hf, "https://huggingface.co/meta-llama/Llama-3.2-3B/blob/main/config.json"),
        },
        ModelPreset {
            id: "mistral-7b",
            name: "Mistral 7B (v0.1)",
            arch: Architecture { kv_heads: 8, ffn: 14336, sliding_window: Some(4096), sliding_window_layers: 32, max_context: 32768, ..BASE },
            published_params: 7.24e9,
            published_active_params: None,
            released: date(2023, 9, 27),
            source: src("jiang2023", "Jiang et al. 2023, Mistral 7B", "Table 1 (window 4096); config.json of mistralai/Mistral-7B-v0.1", "https://arxiv.org/abs/2310.06825"),
        },
        ModelPreset {
            id: "mixtral-8x7b",
            name: "Mixtral 8×7B",
            arch: Architecture { kv_heads: 8, ffn: 14336, max_context: 32768, moe: Some(Moe { experts: 8, top_k: 2, shared_experts: 0, expert_ffn: 14336, dense_layers_first: 0 }), ..BASE },
            published_params: 46.7e9,
            published_active_params: Some(12.9e9),
            released: date(2023, 12, 11),
            source: src("jiang2024", "Jiang et al. 2024, Mixtral of Experts", "Table 1 and §2 (46.7B total, 12.9B active)", "https://arxiv.org/abs/2401.04088"),
        },
        ModelPreset {
            id: "mixtral-8x22b",
            name: "Mixtral 8×22B",
            arch: Architecture { layers: 56, d_model: 6144, heads: 48, kv_heads: 8, ffn: 16384, vocab: 32768, max_context: 65536, moe: Some(Moe { experts: 8, top_k: 2, shared_experts: 0, expert_ffn: 16384, dense_layers_first: 0 }), ..BASE },
            published_params: 141.0e9,
            published_active_params: Some(39.0e9),
            released: date(2024, 4, 17),
            source: src("mistral2024mixtral22", "Mistral AI 2024, Cheaper, Better, Faster, Stronger (Mixtral 8x22B)", "announcement (141B total, 39B active); config.json of mistralai/Mixtral-8x22B-v0.1", "https://mistral.ai/news/mixtral-8x22b"),
        },
        ModelPreset {
            id: "deepseek-v3",
            name: "DeepSeek-V3",
            arch: Architecture {
                layers: 61, d_model: 7168, heads: 128, kv_heads: 128, head_dim: 128, ffn: 18432, vocab: 129280, max_context: 163840,
                moe: Some(Moe { experts: 256, top_k: 8, shared_experts: 1, expert_ffn: 2048, dense_layers_first: 3 }),
                mla: Some(Mla { kv_lora_rank: 512, q_lora_rank: Some(1536), qk_rope_head_dim: 64, qk_nope_head_dim: 128, v_head_dim: 128 }),
                ..BASE
            },
            published_params: 671.0e9,
            published_active_params: Some(37.0e9),
            released: date(2024, 12, 26),
            source: src("deepseek2024v3", "DeepSeek-AI 2024, DeepSeek-V3 Technical Report", "§4.2 hyper-parameters (61 layers, 7168 wide, MLA r_kv 512, 256 experts top-8 + 1 shared; 671B total, 37B active; MTP module excluded)", "https://arxiv.org/abs/2412.19437"),
        },
        ModelPreset {
            id: "qwen2.5-7b",
            name: "Qwen2.5 7B",
            arch: Architecture { layers: 28, d_model: 3584, heads: 28, kv_heads: 4, ffn: 18944, vocab: 152064, qkv_bias: true, max_context: 131072, ..BASE },
            published_params: 7.61e9,
            published_active_params: None,
            released: date(2024, 9, 19),
            source: src("qwen2024", "Qwen Team 2024, Qwen2.5 Technical Report", "Table 1; config.json of Qwen/Qwen2.5-7B", "https://huggingface.co/Qwen/Qwen2.5-7B/blob/main/config.json"),
        },
        ModelPreset {
            id: "qwen2.5-72b",
            name: "Qwen2.5 72B",
            arch: Architecture { layers: 80, d_model: 8192, heads: 64, kv_heads: 8, ffn: 29568, vocab: 152064, qkv_bias: true, max_context: 131072, ..BASE },
            published_params: 72.7e9,
            published_active_params: None,
            released: date(2024, 9, 19),
            source: src("qwen2024", "Qwen Team 2024, Qwen2.5 Technical Report", "Table 1; config.json of Qwen/Qwen2.5-72B", "https://huggingface.co/Qwen/Qwen2.5-72B/blob/main/config.json"),
        },
        ModelPreset {
            id: "minicpm-2.4b",
            name: "MiniCPM 2.4B",
            arch: Architecture { layers: 40, d_model: 2304, heads: 36, kv_heads: 36, head_dim: 64, ffn: 5760, vocab: 122753, tied_embeddings: true, ..BASE },
            published_params: 2.72e9,
            published_active_params: None,
            released: date(2024, 2, 1),
            source: src("hu2024minicpm", "Hu et al. 2024, MiniCPM: Unveiling the Potential of Small Language Models", "Table 3 (2.4B non-embedding, 2.7B total); config.json of openbmb/MiniCPM-2B-sft-bf16", "https://arxiv.org/abs/2404.06395"),
        },
        ModelPreset {
            id: "gemma-2-9b",
            name: "Gemma 2 9B",
            arch: Architecture { layers: 42, d_model: 3584, heads: 16, kv_heads: 8, head_dim: 256, ffn: 14336, vocab: 256000, tied_embeddings: true, sliding_window: Some(4096), sliding_window_layers: 21, max_context: 8192, ..BASE },
            published_params: 9.24e9,
            published_active_params: None,
            released: date(2024, 6, 27),
            source: src("gemma2024", "Gemma Team 2024, Gemma 2: Improving Open Language Models at a Practical Size", "Table 1 (local/global alternating, window 4096)", "https://arxiv.org/abs/2408.00118"),
        },
        ModelPreset {
            id: "gemma-2-27b",
            name: "Gemma 2 27B",
            arch: Architecture { layers: 46, d_model: 4608, heads: 32, kv_heads: 16, head_dim: 128, ffn: 36864, vocab: 256000, tied_embeddings: true, sliding_window: Some(4096), sliding_window_layers: 23, max_context: 8192, ..BASE },
            published_params: 27.2e9,
            published_active_params: None,
            released: date(2024, 6, 27),
            source: src("gemma2024", "Gemma Team 2024, Gemma 2: Improving Open Language Models at a Practical Size", "Table 1 (local/global alternating, window 4096)", "https://arxiv.org/abs/2408.00118"),
        },
        ModelPreset {
            id: "gpt-3-175b",
            name: "GPT-3 175B",
            arch: Architecture { layers: 96, d_model: 12288, heads: 96, kv_heads: 96, head_dim: 128, ffn: 49152, vocab: 50257, gated_ffn: false, tied_embeddings: true, linear_bias: true, learned_positions: 2048, max_context: 2048, ..BASE },
            published_params: 175.0e9,
            published_active_params: None,
            released: date(2020, 5, 28),
            source: src("brown2020", "Brown et al. 2020, Language Models are Few-Shot Learners", "Table 2.1 (96 layers, d_model 12288, 96 heads × 128, context 2048)", "https://arxiv.org/abs/2005.14165"),
        },
        ModelPreset {
            id: "gpt-j-6b",
            name: "GPT-J 6B",
            arch: Architecture { layers: 28, d_model: 4096, heads: 16, kv_heads: 16, head_dim: 256, ffn: 16384, vocab: 50400, gated_ffn: false, linear_bias: false, max_context: 2048, ..BASE },
            published_params: 6.05e9,
            published_active_params: None,
            released: date(2021, 6, 4),
            source: src("wang2021gptj", "Wang & Komatsuzaki 2021, GPT-J-6B", "model card (6,053,381,344 parameters; 28 layers, 4096 wide, 16 heads × 256)", "https://huggingface.co/EleutherAI/gpt-j-6b"),
        },
        ModelPreset {
            id: "falcon-180b",
            name: "Falcon 180B",
            arch: Architecture { layers: 80, d_model: 14848, heads: 232, kv_heads: 8, head_dim: 64, ffn: 59392, vocab: 65024, gated_ffn: false, tied_embeddings: true, max_context: 2048, ..BASE },
            published_params: 180.0e9,
            published_active_params: None,
            released: date(2023, 9, 6),
            source: src("almazrouei2023", "Almazrouei et al. 2023, The Falcon Series of Open Language Models", "Table 1; config.json of tiiuae/falcon-180B", "https://arxiv.org/abs/2311.16867"),
        },
    ]
}

/// The preset with this id (lower-case).
pub fn preset(id: &str) -> Option<ModelPreset> {
    presets().into_iter().find(|p| p.id == id)
}

/// Every preset id, for error messages and lists.
pub fn preset_ids() -> Vec<&'static str> {
    presets().iter().map(|p| p.id).collect()
}

#[cfg(test)]
mod tests {

    /// The config writer and the parser agree: every dense preset the writer covers reads back
    /// as itself, and the writer declines the shapes it cannot express.
    #[test]
    fn to_hf_config_round_trips_through_the_parser() {
        let mut written = 0;
        for p in presets() {
            match p.arch.to_hf_config() {
                Some(json) => {
                    assert_eq!(
                        Architecture::from_hf_config(&json).unwrap(),
                        p.arch,
                        "{}",
                        p.id
                    );
                    written += 1;
                }
                // Declined: a sparse or windowed model, or a dense one of neither family
                // (GPT-J: rotary positions with biases; Falcon: no biases, no gate).
                None => assert!(
                    p.arch.moe.is_some()
                        || p.arch.mla.is_some()
                        || p.arch.sliding_window.is_some()
                        || p.arch.gated_ffn == p.arch.linear_bias,
                    "{} was declined",
                    p.id
                ),
            }
        }
        assert!(written >= 10, "{written}");
    }

    use super::*;

    /// Published counts are rounded to 2–3 significant figures on the model cards.
    const PUBLISHED_TOL: f64 = 0.01;

    fn rel(a: f64, b: f64) -> f64 {
        (a - b).abs() / b
    }

    #[test]
    fn params_explained_adds_up_to_the_count() {
        // The substituted sum's parts, read back from the text, give the total: the "how" shows
        // the same arithmetic as `params`, not a separate story.
        for id in ["llama-2-7b", "gpt-3-175b"] {
            let p = preset(id).unwrap();
            let e = p.arch.params_explained(Key::TrainingParams, p.source);
            assert_eq!(e.value, p.arch.params().total);
            assert_eq!(e.source, p.source);
            let nums: Vec<f64> = e
                .substituted
                .split(|c: char| !(c.is_ascii_digit() || c == '.' || c == 'e'))
                .filter_map(|w| w.parse().ok())
                .collect();
            // layers × (attention + FFN + norms) + outside = total
            let [l, attn, ffn, norms, outside, total] = nums[..] else {
                panic!("{}", e.substituted)
            };
            assert!(((l * (attn + ffn + norms) + outside) / total - 1.0).abs() < 1e-3);
            assert!((total / e.value - 1.0).abs() < 1e-4);
        }
        // MoE: L_moe × (attention + norms + router + (E + S) × expert) + outside = total, and
        // DeepSeek-V3's three dense layers first add L_dense × (attention + FFN + norms).
        for id in ["mixtral-8x7b", "deepseek-v3"] {
            let p = preset(id).unwrap();
            let n = p.arch.params();
            let e = p.arch.params_explained(Key::TrainingParams, p.source);
            let nums: Vec<f64> = e
                .substituted
                .split(|c: char| !(c.is_ascii_digit() || c == '.' || c == 'e'))
                .filter_map(|w| w.parse().ok())
                .collect();
            let (dense, rest) = match p.arch.moe.unwrap().dense_layers_first {
                0 => (0.0, &nums[..]),
                _ => (nums[0] * (nums[1] + nums[2] + nums[3]), &nums[4..]),
            };
            let [l, attn, norms, router, experts, shared, expert, outside, total, active] =
                rest[..]
            else {
                panic!("{}", e.substituted)
            };
            let sum = dense + l * (attn + norms + router + (experts + shared) * expert) + outside;
            assert!(
                (sum / n.total - 1.0).abs() < 1e-3,
                "{id}: {sum} vs {}",
                n.total
            );
            assert!((total / n.total - 1.0).abs() < 1e-4);
            assert!((active / n.active - 1.0).abs() < 1e-4);
        }
    }

    #[test]
    fn parameter_counts_match_published() {
        // (id, total, active) from the model cards / papers cited in each preset.
        let cases = [
            ("llama-2-7b", 6.74e9, None),
            ("llama-3-8b", 8.03e9, None),
            ("llama-3-70b", 70.6e9, None),
            ("mixtral-8x7b", 46.7e9, Some(12.9e9)),
            ("deepseek-v3", 671e9, Some(37e9)),
            ("llama-3.1-405b", 405e9, None),
            ("qwen2.5-7b", 7.61e9, None),
            ("qwen2.5-72b", 72.7e9, None),
            ("gemma-2-9b", 9.24e9, None),
            ("gemma-2-27b", 27.2e9, None),
            ("gpt-j-6b", 6.053e9, None),
            ("llama-2-13b", 13.0e9, None),
            ("mistral-7b", 7.24e9, None),
            ("llama-3.2-1b", 1.24e9, None),
            ("llama-3.2-3b", 3.21e9, None),
            ("minicpm-2.4b", 2.72e9, None),
        ];
        for (id, total, active) in cases {
            let p = preset(id).unwrap().arch.params();
            assert!(
                rel(p.total, total) < PUBLISHED_TOL,
                "{id}: total {} vs {total}",
                p.total
            );
            if let Some(a) = active {
                // DeepSeek rounds 37.5B down to "37B".
                assert!(rel(p.active, a) < 0.02, "{id}: active {} vs {a}", p.active);
            }
        }
        // Exact checkpoint count (Llama-2-7b-hf safetensors index: 6,738,415,616).
        assert_eq!(
            preset("llama-2-7b").unwrap().arch.params().total,
            6_738_415_616.0
        );
        // MiniCPM reports 2.4B non-embedding parameters.
        let m = preset("minicpm-2.4b").unwrap().arch.params();
        assert!(
            rel(m.non_embedding, 2.44e9) < PUBLISHED_TOL,
            "{}",
            m.non_embedding
        );
    }

    #[test]
    fn every_preset_valid_and_close_to_its_published_count() {
        let all = presets();
        assert!(all.len() >= 20);
        for p in &all {
            p.arch.validate().unwrap();
            assert_eq!(p.id, p.id.to_lowercase());
            let n = p.arch.params();
            // Falcon-180B and GPT-3 publish one rounded figure ("180B", "175B").
            assert!(
                rel(n.total, p.published_params) < 0.03,
                "{}: {}",
                p.id,
                n.total
            );
            assert!(n.active <= n.total && n.non_embedding < n.total);
        }
        let mut ids = preset_ids();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), all.len(), "duplicate ids");
    }

    #[test]
    fn kv_elements() {
        let l2 = preset("llama-2-7b").unwrap().arch;
        assert_eq!(l2.kv_elements_per_token_per_layer(), 8192.0);
        let ds = preset("deepseek-v3").unwrap().arch;
        assert_eq!(ds.kv_elements_per_token_per_layer(), 576.0);
    }

    const LLAMA3_8B_CONFIG: &str = r#"{"architectures":["LlamaForCausalLM"],"attention_bias":false,
      "bos_token_id":128000,"hidden_act":"silu","hidden_size":4096,"intermediate_size":14336,
      "max_position_embeddings":8192,"model_type":"llama","num_attention_heads":32,
      "num_hidden_layers":32,"num_key_value_heads":8,"rms_norm_eps":1e-05,"rope_theta":500000.0,
      "tie_word_embeddings":false,"torch_dtype":"bfloat16","vocab_size":128256}"#;

    #[test]
    fn parses_hf_configs() {
        let a = Architecture::from_hf_config(LLAMA3_8B_CONFIG).unwrap();
        assert_eq!(a, preset("llama-3-8b").unwrap().arch);
        let mixtral = r#"{"hidden_size":4096,"intermediate_size":14336,"max_position_embeddings":32768,
          "model_type":"mixtral","num_attention_heads":32,"num_experts_per_tok":2,"num_hidden_layers":32,
          "num_key_value_heads":8,"num_local_experts":8,"sliding_window":null,"vocab_size":32000,
          "tie_word_embeddings":false,"hidden_act":"silu"}"#;
        let m = Architecture::from_hf_config(mixtral).unwrap();
        assert_eq!(m, preset("mixtral-8x7b").unwrap().arch);
        let ds = r#"{"model_type":"deepseek_v3","hidden_size":7168,"intermediate_size":18432,
          "moe_intermediate_size":2048,"num_hidden_layers":61,"num_attention_heads":128,
          "num_key_value_heads":128,"n_shared_experts":1,"n_routed_experts":256,"num_experts_per_tok":8,
          "first_k_dense_replace":3,"kv_lora_rank":512,"q_lora_rank":1536,"qk_rope_head_dim":64,
          "qk_nope_head_dim":128,"v_head_dim":128,"vocab_size":129280,"max_position_embeddings":163840,
          "tie_word_embeddings":false,"hidden_act":"silu"}"#;
        let d = Architecture::from_hf_config(ds).unwrap();
        assert_eq!(
            d.params().total,
            preset("deepseek-v3").unwrap().arch.params().total
        );
        let gemma = r#"{"model_type":"gemma2","hidden_size":3584,"intermediate_size":14336,
          "num_attention_heads":16,"num_hidden_layers":42,"num_key_value_heads":8,"head_dim":256,
          "vocab_size":256000,"max_position_embeddings":8192,"sliding_window":4096,
          "hidden_activation":"gelu_pytorch_tanh","attention_bias":false}"#;
        assert_eq!(
            Architecture::from_hf_config(gemma).unwrap(),
            preset("gemma-2-9b").unwrap().arch
        );
        let qwen = r#"{"model_type":"qwen2","hidden_size":3584,"intermediate_size":18944,
          "num_attention_heads":28,"num_hidden_layers":28,"num_key_value_heads":4,"vocab_size":152064,
          "max_position_embeddings":131072,"sliding_window":131072,"use_sliding_window":false,
          "tie_word_embeddings":false,"hidden_act":"silu"}"#;
        assert_eq!(
            Architecture::from_hf_config(qwen).unwrap(),
            preset("qwen2.5-7b").unwrap().arch
        );
        let gptj = r#"{"model_type":"gptj","n_embd":4096,"n_head":16,"n_layer":28,"n_positions":2048,
          "vocab_size":50400,"activation_function":"gelu_new","tie_word_embeddings":false}"#;
        let g = Architecture::from_hf_config(gptj).unwrap();
        assert_eq!(g.ffn, 16384);
        assert!(!g.gated_ffn);
        assert_eq!(g.head_dim, 256);
    }

    #[test]
    fn config_errors_name_the_field() {
        let e = Architecture::from_hf_config(
            r#"{"hidden_size":4096,"num_attention_heads":32,"vocab_size":10}"#,
        )
        .unwrap_err();
        assert!(e.to_string().contains("num_hidden_layers"), "{e}");
        let e = Architecture::from_hf_config("{not json").unwrap_err();
        assert!(e.to_string().contains("JSON"));
        let bad = r#"{"num_hidden_layers":2,"hidden_size":64,"num_attention_heads":6,"num_key_value_heads":4,"vocab_size":10}"#;
        let e = Architecture::from_hf_config(bad).unwrap_err();
        assert_eq!(
            e,
            ArchError::KvHeadsNotDividing {
                heads: 6,
                kv_heads: 4
            }
        );
    }
}
