//! The scenario: every input the page has, with defaults. The URL codec (`url.rs`) and the page's
//! inputs both set fields through [`crate::url::set_field`], so validation lives in one place.
//!
//! Defaults are part of URL schema version 1: a link only carries the fields that differ from them,
//! so changing a default means a new schema version with a migration (see `url.rs`).

use super::date::Date;
use serde::{Deserialize, Serialize};

/// Declares a string-valued enum with its URL spelling.
macro_rules! choice {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $var:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name { $($(#[$vm])* #[serde(rename = $s)] $var),+ }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$var),+];
            /// The URL / CLI spelling.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$var => $s),+ }
            }
            /// Parses the URL / CLI spelling.
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($s => Some($name::$var),)+ _ => None }
            }
            /// All spellings, for error messages.
            pub fn spellings() -> Vec<&'static str> {
                vec![$($s),+]
            }
        }
    };
}

choice!(
    /// Interface language.
    Lang { Zh = "zh", En = "en" }
);
choice!(
    /// Colour theme; `auto` follows `prefers-color-scheme`.
    Theme { Auto = "auto", Light = "light", Dark = "dark" }
);
choice!(
    /// The page's sections.
    Section { Plan = "plan", Scaling = "scaling", Density = "density", Training = "training", Inference = "inference" }
);
choice!(
    /// How the plan's budget is given.
    BudgetMode { Flops = "flops", Usd = "usd", GpuDays = "gpu-days" }
);
choice!(
    /// Which hyper-parameter the user's (compute, value) points measure.
    HyperKind { Batch = "batch", LearningRate = "lr" }
);
choice!(
    /// Optimizer state layout for training memory.
    Optimizer {
        /// Adam, mixed precision: 2 weights + 2 grads + 12 optimizer bytes per parameter.
        AdamMixed = "adam-mixed",
        /// Adam with bf16 weights, gradients and moments.
        AdamBf16 = "adam-bf16",
        /// 8-bit Adam moments.
        Adam8bit = "adam-8bit",
        /// SGD with momentum.
        Sgd = "sgd",
    }
);
choice!(
    /// Activation recomputation (Korthikanti et al. 2022).
    Recompute { None = "none", Selective = "selective", Full = "full" }
);
choice!(
    /// Training mode.
    Finetune { Full = "full", Lora = "lora", Qlora = "qlora" }
);
choice!(
    /// Compute precision for inference.
    Precision { Bf16 = "bf16", Fp16 = "fp16", Fp8 = "fp8", Int8 = "int8" }
);

/// The scaling law in use (`law`): a published preset, or the user's own fit of their runs.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LawChoice {
    /// A preset id of [`crate::scaling::LAWS`].
    Preset(String),
    /// The law fitted on the user's runs (`runs`); the link spells it `fit`.
    Fit,
}

impl LawChoice {
    /// The link's spelling of the user's fit.
    pub const FIT: &'static str = "fit";

    /// The link / CLI spelling: the preset id, or `fit`.
    pub fn as_str(&self) -> &str {
        match self {
            LawChoice::Preset(id) => id,
            LawChoice::Fit => Self::FIT,
        }
    }

    /// Parses the link / CLI spelling (any id: the caller checks it names a preset).
    pub fn parse(s: &str) -> Self {
        if s == Self::FIT {
            LawChoice::Fit
        } else {
            LawChoice::Preset(s.to_string())
        }
    }

    /// The preset id, if a preset is chosen.
    pub fn preset(&self) -> Option<&str> {
        match self {
            LawChoice::Preset(id) => Some(id),
            LawChoice::Fit => None,
        }
    }
}

impl std::fmt::Display for LawChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A model given by its architecture: a preset, or the pasted Hugging Face `config.json` (`cfg`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ModelChoice {
    /// A preset id of [`crate::architecture::presets`].
    Preset(String),
    /// The pasted `config.json`; the link spells it `custom`.
    Pasted,
}

impl ModelChoice {
    /// The link's spelling of the pasted config.
    pub const PASTED: &'static str = "custom";

    /// The link / CLI spelling: the preset id, or `custom`.
    pub fn as_str(&self) -> &str {
        match self {
            ModelChoice::Preset(id) => id,
            ModelChoice::Pasted => Self::PASTED,
        }
    }

    /// Parses the link / CLI spelling (any id: the caller checks it names a preset).
    pub fn parse(s: &str) -> Self {
        if s == Self::PASTED {
            ModelChoice::Pasted
        } else {
            ModelChoice::Preset(s.to_string())
        }
    }

    /// The preset id, if a preset is chosen.
    pub fn preset(&self) -> Option<&str> {
        match self {
            ModelChoice::Preset(id) => Some(id),
            ModelChoice::Pasted => None,
        }
    }
}

/// The link's spelling of "the reader's own reference model" (`dref=custom`): `density_ref` is
/// `None` and `drp`, `drd` are used as given.
pub const OWN_REFERENCE: &str = "custom";

/// Every input of the page. Field docs give the URL key and unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Scenario {
    // --- header ---
    /// `lang`: interface language; `None` follows the browser.
    pub lang: Option<Lang>,
    /// `theme`.
    pub theme: Theme,
    /// `sec`: the section in view.
    pub section: Section,

    // --- plan and scaling laws ---
    /// `bm`: how the plan's budget is given.
    pub budget_mode: BudgetMode,
    /// `c`: compute budget, FLOP.
    pub flops: f64,
    /// `usd`: money budget for the plan, USD.
    pub budget_usd: f64,
    /// `days`: wall-clock days for the plan's GPU-days budget (GPUs come from `k`).
    pub budget_days: f64,
    /// `law`: a scaling-law preset, or the user's own fit.
    pub law: LawChoice,
    /// `ut`: unique training tokens available; 0 = unlimited (data-constrained scaling).
    pub unique_tokens: f64,
    /// `tl`: target loss for the inference-aware optimum, nats/token.
    pub target_loss: f64,
    /// `it`: lifetime inference tokens for the inference-aware optimum.
    pub inference_tokens: f64,
    /// `boot`: bootstrap resamples for the user's fit.
    pub bootstrap: u32,
    /// `band`: the fit's bootstrap band was shown; a link that says so reopens with it (the page
    /// reruns the bootstrap, with its fixed seed, after the fit: issue 18, item 13).
    pub boot_band: bool,
    /// `runs`: the user's runs as CSV text (`params,tokens,loss`).
    pub runs_csv: String,
    /// `rmap`: which column of the runs table holds what (`params:Model Size,flops:Training
    /// FLOP,loss:loss`; `fit::columns::RunsMap`); empty: the best guess from the headers.
    pub runs_map: String,
    /// `rx`: the runs excluded from the fit, 1-based as the runs table numbers them (`3,7,12`).
    pub runs_excluded: String,
    /// `hp`: the user's (compute, best value) points as CSV text, for a hyper-parameter law fit.
    pub hyper_csv: String,
    /// `hpk`: what those points measure: batch size (tokens) or learning rate.
    pub hyper_kind: HyperKind,
    /// `isotol`: runs whose `6ND` agree within this fraction form one iso-FLOP profile (approach 2).
    pub iso_tol: f64,

    // --- knowledge density ---
    /// `dm`: density doubling time, months.
    pub doubling_months: f64,
    /// `dref`: reference model preset id (sets `drp`, `drd` on the page); `None`: the reader's
    /// own `drp`, `drd` (the link spells it `custom` or empty).
    pub density_ref: Option<String>,
    /// `drp`: reference model parameters.
    pub ref_params: f64,
    /// `drd`: reference model release date.
    pub ref_date: Date,
    /// `dd`: target date.
    pub target_date: Date,
    /// `dev`: device preset id for the device intersection.
    pub device: String,
    /// `dbits`: weight precision on the device, bits.
    pub device_bits: u32,
    /// `dhw`: hardware price-performance doubling time, months; 0 = hardware fixed.
    pub hw_doubling_months: f64,
    /// `models`: the user's model table as CSV text (`name,date,params,effective_params|density`).
    pub models_csv: String,
    /// `fam`: a reference family's `params,score` points as CSV text (effective size).
    pub family_csv: String,
    /// `en`: parameters of the model whose effective size is asked.
    pub eff_params: f64,
    /// `esc`: its score on the family's benchmark.
    pub eff_score: f64,
    /// `abm`: the atlas's benchmark.
    pub atlas_benchmark: crate::atlas::Benchmark,
    /// `afam`: the atlas's reference family id (`atlas::density::FAMILIES`).
    pub atlas_family: String,
    /// `aw`: the atlas's models and prices by their weights.
    pub atlas_weights: crate::atlas::view::Weights,
    /// `afr`: fit the atlas's frontier (running maximum) rather than every model.
    pub atlas_frontier: bool,
    /// `ams`: the score whose cheapest price the atlas follows, %.
    pub atlas_min_score: f64,
    /// `arows`: the reader's own atlas rows as CSV text (the atlas's columns, sources optional).
    pub atlas_csv: String,

    // --- training ---
    /// `tm`: the training section's model; `None`: its size alone (`tn`/`tna`; the link spells it
    /// empty).
    pub train_model: Option<ModelChoice>,
    /// `tn`: total parameters.
    pub params: f64,
    /// `tna`: active parameters per token (MoE); 0 = dense.
    pub active_params: f64,
    /// `td`: training tokens.
    pub tokens: f64,
    /// `gpu`: training hardware id.
    pub gpu: String,
    /// `k`: number of GPUs.
    pub gpus: u32,
    /// `mfu`: model FLOPs utilisation, (0, 1].
    pub mfu: f64,
    /// `price`: USD per GPU-hour.
    pub price_per_gpu_hour: f64,
    /// `pue`: data-centre power usage effectiveness.
    pub pue: f64,
    /// `grid`: grid carbon intensity, t CO₂e per MWh.
    pub grid_t_co2_per_mwh: f64,
    /// `pw`: power per GPU, W; 0 = the GPU's rated power.
    pub power_watts: f64,
    /// `lost`: fraction of work lost to failures and restarts, [0, 1).
    pub lost_fraction: f64,
    /// `rmul`: multiplier for research, evaluations and ablations (≥ 1).
    pub research_multiplier: f64,
    /// `opt`: optimizer.
    pub optimizer: Optimizer,
    /// `zero`: ZeRO stage 0–3 (3 = FSDP full shard).
    pub zero_stage: u32,
    /// `tp`: tensor-parallel degree.
    pub tp: u32,
    /// `pp`: pipeline-parallel degree.
    pub pp: u32,
    /// `tcp`: context-parallel degree, 1 = none (`tp·pp·cp·dp` = GPUs). The key is not `cp`,
    /// which is the inference section's compute precision.
    pub cp: u32,
    /// `tep`: expert-parallel degree for an MoE model, 1 = none.
    pub ep: u32,
    /// `mb`: micro-batch size, sequences.
    pub micro_batch: u32,
    /// `seq`: sequence length, tokens.
    pub seq_len: u32,
    /// `rc`: activation recomputation.
    pub recompute: Recompute,
    /// `fa`: attention computed tile by tile (FlashAttention; Dao et al. 2022), so the `s²` scores
    /// are not stored. On by default from schema version 2; version-1 links meant off.
    pub flash_attention: bool,
    /// `ft`: full training, LoRA or QLoRA.
    pub finetune: Finetune,
    /// `rank`: LoRA rank.
    pub lora_rank: u32,

    // --- inference ---
    /// `im`: the inference section's model: a preset, or the pasted `cfg`.
    pub inf_model: ModelChoice,
    /// `cfg`: a pasted Hugging Face config.json (minified), used when a model id is `custom`.
    pub custom_config: String,
    /// `igpu`: inference hardware id.
    pub inf_gpu: String,
    /// `itp`: tensor-parallel GPUs for serving.
    pub inf_gpus: u32,
    /// `b`: concurrent sequences.
    pub batch: u32,
    /// `in`: input (prompt) tokens per sequence.
    pub input_tokens: u32,
    /// `out`: output tokens per sequence.
    pub output_tokens: u32,
    /// `wb`: weight bits.
    pub weight_bits: u32,
    /// `kb`: KV-cache bits.
    pub kv_bits: u32,
    /// `cp`: compute precision.
    pub compute: Precision,
    /// `iprice`: USD per GPU-hour for serving.
    pub inf_price_per_gpu_hour: f64,
    /// `util`: average utilisation of the serving fleet, (0, 1].
    pub utilisation: f64,
    /// `sk`: speculative decoding: drafted tokens per step; 0 = off.
    pub spec_k: u32,
    /// `sa`: speculative decoding acceptance rate, [0, 1).
    pub spec_alpha: f64,

    // --- comparison ---
    /// `base`: a pinned baseline scenario that every answer is compared with (issue 18, item 11);
    /// the link holds the baseline's own query string. A baseline has no baseline of its own, and
    /// its language, theme and section are the defaults (they change no answer).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<Box<Scenario>>,
}

impl Scenario {
    /// This scenario as a baseline to pin: everything that changes an answer, without the
    /// header's language, theme, section or its own baseline.
    pub fn as_baseline(&self) -> Scenario {
        let d = Scenario::default();
        Scenario {
            lang: d.lang,
            theme: d.theme,
            section: d.section,
            baseline: None,
            ..self.clone()
        }
    }
}

impl Default for Scenario {
    fn default() -> Self {
        Self {
            lang: None,
            theme: Theme::Auto,
            section: Section::Plan,
            budget_mode: BudgetMode::Flops,
            flops: 5.76e23,
            budget_usd: 1e6,
            budget_days: 30.0,
            law: LawChoice::Preset("hoffmann2022".into()),
            unique_tokens: 0.0,
            target_loss: 2.0,
            inference_tokens: 1e13,
            bootstrap: 200,
            boot_band: false,
            iso_tol: 0.1,
            family_csv: String::new(),
            eff_params: 2.4e9,
            eff_score: 50.0,
            atlas_benchmark: crate::atlas::Benchmark::Mmlu,
            atlas_family: crate::atlas::density::FAMILIES[0].id.into(),
            atlas_weights: crate::atlas::view::Weights::All,
            atlas_frontier: true,
            atlas_min_score: 85.0,
            atlas_csv: String::new(),
            hyper_csv: String::new(),
            hyper_kind: HyperKind::Batch,
            runs_csv: String::new(),
            runs_map: String::new(),
            runs_excluded: String::new(),
            doubling_months: 8.0,
            density_ref: Some("gpt-3-175b".into()),
            ref_params: 175e9,
            ref_date: Date {
                year: 2020,
                month: 5,
                day: 28,
            },
            target_date: Date {
                year: 2027,
                month: 1,
                day: 1,
            },
            device: "phone-12gb".into(),
            device_bits: 4,
            hw_doubling_months: 0.0,
            models_csv: String::new(),
            train_model: None,
            params: 70e9,
            active_params: 0.0,
            tokens: 1.4e12,
            gpu: "h100-sxm".into(),
            gpus: 1024,
            mfu: 0.4,
            price_per_gpu_hour: 2.0,
            pue: 1.0,
            grid_t_co2_per_mwh: 0.4236,
            power_watts: 0.0,
            lost_fraction: 0.0,
            research_multiplier: 1.0,
            optimizer: Optimizer::AdamMixed,
            zero_stage: 1,
            tp: 8,
            pp: 1,
            cp: 1,
            ep: 1,
            micro_batch: 1,
            seq_len: 4096,
            recompute: Recompute::Selective,
            flash_attention: true,
            finetune: Finetune::Full,
            lora_rank: 16,
            inf_model: ModelChoice::Preset("llama-3-70b".into()),
            custom_config: String::new(),
            inf_gpu: "h100-sxm".into(),
            inf_gpus: 4,
            batch: 32,
            input_tokens: 1024,
            output_tokens: 256,
            weight_bits: 16,
            kv_bits: 16,
            compute: Precision::Bf16,
            inf_price_per_gpu_hour: 2.0,
            utilisation: 0.6,
            spec_k: 0,
            spec_alpha: 0.7,
            baseline: None,
        }
    }
}
