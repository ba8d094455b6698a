//! From the link's state to each concern's typed inputs.
//!
//! [`Scenario`] is the page's state as a link spells it: one flat record, where `0` may mean
//! "off" or "the preset's value". The model's functions never take it whole: each section takes
//! its own input type, with units in its names and explicit options, built here. The page's memos
//! compare these values, so a section recomputes only when its own inputs change.

use crate::density::evaluate::DensityInput;
use crate::inference::{ServedModel, ServingInput};
use crate::plan::{Budget, PlanInput};
use crate::scaling::evaluate::ScalingInput;
use crate::scenario::Scenario;
use crate::scenario::{BudgetMode, ModelChoice};
use crate::training::{KnownModel, TrainingRun};

/// `Some(x)` for a value that is on; `0` is the link's "off".
fn on(x: f64) -> Option<f64> {
    (x != 0.0).then_some(x)
}

impl Scenario {
    /// The scaling-law section's inputs.
    pub fn scaling(&self) -> ScalingInput {
        ScalingInput {
            flops: self.flops,
            law: self.law.clone(),
            unique_tokens: on(self.unique_tokens),
            target_loss: (self.target_loss > 0.0).then_some(self.target_loss),
            inference_tokens: self.inference_tokens,
        }
    }

    /// The density section's inputs.
    pub fn density(&self) -> DensityInput {
        DensityInput {
            doubling_months: self.doubling_months,
            density_ref: self.density_ref.clone(),
            ref_params: self.ref_params,
            ref_date: self.ref_date,
            target_date: self.target_date,
            device: self.device.clone(),
            device_bits: self.device_bits,
            hw_doubling_months: on(self.hw_doubling_months),
            models_csv: self.models_csv.clone(),
            inf_gpu: self.inf_gpu.clone(),
            weight_bits: self.weight_bits,
            batch: self.batch,
            inf_price_per_gpu_hour: self.inf_price_per_gpu_hour,
            utilisation: self.utilisation,
        }
    }

    /// The inference section's inputs.
    pub fn serving(&self) -> ServingInput {
        ServingInput {
            model: match &self.inf_model {
                ModelChoice::Preset(id) => ServedModel::Preset(id.clone()),
                ModelChoice::Pasted => ServedModel::Pasted(self.custom_config.clone()),
            },
            gpu: self.inf_gpu.clone(),
            gpus: self.inf_gpus,
            batch: self.batch,
            input_tokens: self.input_tokens,
            output_tokens: self.output_tokens,
            weight_bits: self.weight_bits,
            kv_bits: self.kv_bits,
            compute: self.compute,
            spec_k: self.spec_k,
            spec_alpha: self.spec_alpha,
            price_per_gpu_hour: self.inf_price_per_gpu_hour,
            utilisation: self.utilisation,
            inference_tokens: self.inference_tokens,
        }
    }

    /// The training section's inputs.
    pub fn training_run(&self) -> TrainingRun {
        TrainingRun {
            model: self.train_model.as_ref().map(|m| match m {
                ModelChoice::Preset(id) => KnownModel::Preset(id.clone()),
                ModelChoice::Pasted => KnownModel::Pasted(self.custom_config.clone()),
            }),
            params: self.params,
            active_params: on(self.active_params),
            tokens: self.tokens,
            gpu: self.gpu.clone(),
            gpus: self.gpus,
            mfu: self.mfu,
            price_per_gpu_hour: on(self.price_per_gpu_hour),
            pue: self.pue,
            grid_t_co2_per_mwh: self.grid_t_co2_per_mwh,
            power_watts: on(self.power_watts),
            lost_fraction: self.lost_fraction,
            research_multiplier: self.research_multiplier,
            optimizer: self.optimizer,
            zero_stage: self.zero_stage,
            tp: self.tp,
            pp: self.pp,
            cp: self.cp,
            ep: self.ep,
            // Not in the link: the page runs with the default global batch; the CLI sets it.
            global_batch: None,
            micro_batch: self.micro_batch,
            seq_len: self.seq_len,
            recompute: self.recompute,
            flash_attention: self.flash_attention,
            finetune: self.finetune,
            lora_rank: self.lora_rank,
        }
    }

    /// The plan's inputs: its budget and every section's inputs, which it composes.
    pub fn plan(&self) -> PlanInput {
        PlanInput {
            budget: match self.budget_mode {
                BudgetMode::Flops => Budget::Flops(self.flops),
                BudgetMode::Usd => Budget::Usd(self.budget_usd),
                BudgetMode::GpuDays => Budget::GpuDays {
                    days: self.budget_days,
                },
            },
            scaling: self.scaling(),
            training: self.training_run(),
            serving: self.serving(),
            density: self.density(),
        }
    }
}
