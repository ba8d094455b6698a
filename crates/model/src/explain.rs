//! Provenance: where a number comes from, and how it was computed.
//!
//! Every preset constant carries a [`Source`]; every number the page shows can be turned into an
//! [`Explained`] value (formula, the values substituted, the source), so the page's "how"
//! disclosures are generated from the model's own metadata, not written by hand per number.

use serde::Serialize;

/// A citation: a paper with its table or equation, or a datasheet with its revision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Source {
    /// Short stable id, e.g. `hoffmann2022`.
    pub id: &'static str,
    /// Authors, year and title as one would cite them.
    pub citation: &'static str,
    /// The exact place: table, equation, section, figure or datasheet revision.
    pub locator: &'static str,
    /// A link to the source (paper abstract page or vendor datasheet).
    pub url: &'static str,
}

/// Declares [`Key`]: one variant per explained number, with its stable spelling.
macro_rules! keys {
    ($($var:ident = $s:literal,)+) => {
        /// Which number an [`Explained`] explains. The page finds a number's "how" by this value,
        /// so a misspelt key does not compile; `as_str` is the stable spelling the JSON and the
        /// CLI write.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Key { $($var),+ }

        impl Key {
            /// Every key.
            pub const ALL: &'static [Key] = &[$(Key::$var),+];
            /// The stable spelling, e.g. `training.flops`.
            pub fn as_str(self) -> &'static str {
                match self { $(Key::$var => $s),+ }
            }
        }
    };
}

keys! {
    AtlasDoublingMonths = "atlas.doubling_months",
    AtlasEdgeMonths = "atlas.edge_months",
    AtlasPriceHalvingMonths = "atlas.price_halving_months",
    DataConstrainedEffectiveTokens = "data_constrained.effective_tokens",
    DataConstrainedEpochs = "data_constrained.epochs",
    DataConstrainedLoss = "data_constrained.loss",
    DataConstrainedParams = "data_constrained.params",
    DensityCombinedDoublingMonths = "density.combined_doubling_months",
    DensityDeviceCapacityParams = "density.device_capacity_params",
    DensityDeviceFitMonths = "density.device_fit_months",
    DensityDeviceTokensPerS = "density.device_tokens_per_s",
    DensityEquivalentParams = "density.equivalent_params",
    DensityFitDoublingMonths = "density.fit.doubling_months",
    DensityFitFrontierDoublingMonths = "density.fit_frontier.doubling_months",
    DensityInferenceFlopsPerToken = "density.inference_flops_per_token",
    DensityMonthsElapsed = "density.months_elapsed",
    DensityRatio = "density.ratio",
    DensitySeedParamRatio = "density.seed_param_ratio",
    DensityUsdPerMillionTokens = "density.usd_per_million_tokens",
    DensityWeightBytes = "density.weight_bytes",
    EffectiveDensity = "effective.density",
    EffectiveParams = "effective.params",
    FitA = "fit.A",
    FitB = "fit.B",
    FitE = "fit.E",
    FitAlpha = "fit.alpha",
    FitBand = "fit.band",
    FitBeta = "fit.beta",
    FitObjective = "fit.objective",
    HpfitAtBudget = "hpfit.at_budget",
    HpfitCoefficient = "hpfit.coefficient",
    HpfitExponent = "hpfit.exponent",
    HyperBatchTokens = "hyper.batch_tokens",
    HyperLearningRate = "hyper.learning_rate",
    InferenceActivationBytes = "inference.activation_bytes",
    InferenceBandwidthFraction = "inference.bandwidth_fraction",
    InferenceComputeFraction = "inference.compute_fraction",
    InferenceCostPerMillionInputTokensUsd = "inference.cost_per_million_input_tokens_usd",
    InferenceCostPerMillionOutputTokensUsd = "inference.cost_per_million_output_tokens_usd",
    InferenceEndToEndSeconds = "inference.end_to_end_seconds",
    InferenceEnergyKwhPerMillionTokens = "inference.energy_kwh_per_million_tokens",
    InferenceKvCacheBytes = "inference.kv_cache_bytes",
    InferenceKvCacheBytesPerToken = "inference.kv_cache_bytes_per_token",
    InferenceLifetimeCostUsd = "inference.lifetime_cost_usd",
    InferenceMaxBatch = "inference.max_batch",
    InferenceMemoryPerGpuBytes = "inference.memory_per_gpu_bytes",
    InferenceOutputTokensPerSecond = "inference.output_tokens_per_second",
    InferencePrefillOverheadS = "inference.prefill_overhead_s",
    InferenceSecondsPerOutputToken = "inference.seconds_per_output_token",
    InferenceTokensPerSecondPerSequence = "inference.tokens_per_second_per_sequence",
    InferenceTokensPerStep = "inference.tokens_per_step",
    InferenceTtftSeconds = "inference.ttft_seconds",
    InferenceWeightsBytes = "inference.weights_bytes",
    InferencePrefillCommShare = "inference.prefill_comm_share",
    InferenceDecodeCommShare = "inference.decode_comm_share",
    InferenceCommSeconds = "inference.comm_seconds",
    InferenceCollectiveLatencyS = "inference.collective_latency_s",
    InferenceKvRereadFraction = "inference.kv_reread_fraction",
    InferenceFp8ComputeFraction = "inference.fp8_compute_fraction",
    InferenceAwareChinchillaParams = "inference_aware.chinchilla_params",
    InferenceAwareChinchillaTokens = "inference_aware.chinchilla_tokens",
    InferenceAwareLifetimeFlops = "inference_aware.lifetime_flops",
    InferenceAwareLifetimeSaving = "inference_aware.lifetime_saving",
    InferenceAwareParams = "inference_aware.params",
    InferenceAwareTokens = "inference_aware.tokens",
    IsoA = "iso.a",
    IsoB = "iso.b",
    IsoK = "iso.k",
    OptimalLoss = "optimal.loss",
    OptimalParams = "optimal.params",
    OptimalTokens = "optimal.tokens",
    OptimalTokensPerParam = "optimal.tokens_per_param",
    PlanCo2Tonnes = "plan.co2_tonnes",
    PlanCostPerMillionInputTokensUsd = "plan.cost_per_million_input_tokens_usd",
    PlanCostPerMillionOutputTokensUsd = "plan.cost_per_million_output_tokens_usd",
    PlanCostUsd = "plan.cost_usd",
    PlanEnergyMwh = "plan.energy_mwh",
    PlanFitsDeviceOn = "plan.fits_device_on",
    PlanFlops = "plan.flops",
    PlanGpuHours = "plan.gpu_hours",
    PlanOutputTokensPerSecond = "plan.output_tokens_per_second",
    PlanReferenceEraParams = "plan.reference_era_params",
    PlanSecondsPerOutputToken = "plan.seconds_per_output_token",
    PlanServingParams = "plan.serving_params",
    PlanTrainingFlops = "plan.training_flops",
    PlanWallDays = "plan.wall_days",
    PricedChinchillaUsd = "priced.chinchilla_usd",
    PricedParams = "priced.params",
    PricedSaving = "priced.saving",
    PricedTokens = "priced.tokens",
    PricedUsd = "priced.usd",
    TrainingCo2Tonnes = "training.co2_tonnes",
    TrainingCostUsd = "training.cost_usd",
    TrainingEnergyMwh = "training.energy_mwh",
    TrainingFlops = "training.flops",
    TrainingFlopsWithAttention = "training.flops_with_attention",
    TrainingGpuHours = "training.gpu_hours",
    TrainingHardwareFlops = "training.hardware_flops",
    TrainingMemoryPerGpu = "training.memory_per_gpu",
    TrainingParams = "training.params",
    TrainingPredictedMfu = "training.predicted_mfu",
    TrainingWallDays = "training.wall_days",
    TrainingCpCommS = "training.cp_comm_s",
    TrainingEpCommS = "training.ep_comm_s",
}

impl Key {
    /// The compute-optimal allocation's numbers (`optimal.*`), which the plan shows as its own.
    pub fn is_optimal(self) -> bool {
        self.as_str().starts_with("optimal.")
    }
}

impl std::fmt::Display for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Key {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Declares a result's explanations as named fields — one `Option<Explained>` per number the
/// result shows — and `from_list`, which fills them from the result's list by [`Key`]. The shells
/// read `how.flops`, never a key.
#[macro_export]
macro_rules! hows {
    ($(#[$m:meta])* $name:ident { $($(#[$fm:meta])* $field:ident: $key:ident),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Default)]
        pub struct $name {
            $($(#[$fm])* pub $field: Option<$crate::explain::Explained>,)+
        }

        impl $name {
            /// Each field from `list`, by its key (the last one if a key repeats).
            pub fn from_list(list: &[$crate::explain::Explained]) -> Self {
                let mut out = Self::default();
                for e in list {
                    match e.key {
                        $($crate::explain::Key::$key => out.$field = Some(e.clone()),)+
                        #[allow(unreachable_patterns)]
                        _ => {}
                    }
                }
                out
            }

            /// Every explanation present, in the fields' order.
            pub fn all(&self) -> Vec<&$crate::explain::Explained> {
                let mut out = Vec::new();
                $(if let Some(e) = &self.$field {
                    out.push(e);
                })+
                out
            }

            /// The fields with no explanation.
            pub fn missing(&self) -> Vec<&'static str> {
                let mut out = Vec::new();
                $(if self.$field.is_none() {
                    out.push(stringify!($field));
                })+
                out
            }
        }
    };
}

/// A computed number with its unit, its formula, the values substituted, and its source.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explained {
    /// Which number this is, e.g. [`Key::OptimalParams`].
    pub key: Key,
    pub value: f64,
    /// Unit symbol, e.g. `FLOP`, `params`, `tokens`, `nats/token`, `USD`.
    pub unit: &'static str,
    /// The formula in plain text, e.g. `N* = G·(C/6)^a`.
    pub formula: &'static str,
    /// The formula with this scenario's values substituted.
    pub substituted: String,
    pub source: Source,
}

impl Explained {
    pub fn new(
        key: Key,
        value: f64,
        unit: &'static str,
        formula: &'static str,
        substituted: String,
        source: Source,
    ) -> Self {
        Self {
            key,
            value,
            unit,
            formula,
            substituted,
            source,
        }
    }
}

/// Our own arithmetic from sourced inputs.
pub const DERIVED: Source = Source {
    id: "derived",
    citation: "scalecalc (derived from the cited inputs)",
    locator: "arithmetic on the inputs shown",
    url: "",
};
