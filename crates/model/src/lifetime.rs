//! The dollar version of the inference-aware optimum (Sardana et al. 2024, §3 "cost-optimal"),
//! priced by this project's own models instead of a fixed decode utilisation: for a target loss
//! and lifetime inference tokens, the `N`, `D` minimising
//! training dollars + prefill dollars + decode dollars, against the Chinchilla-optimal model of the
//! same loss priced the same way.
//!
//! - Training: `6·N·D` FLOPs at the training GPU's BF16 peak × MFU, at the training price
//!   (training section: `gpu`, `mfu`, `price`).
//! - Prefill: `2·N` FLOPs per input token at the serving GPU's peak × the calibrated compute
//!   fraction, at the serving price over the fleet's utilisation (inference section: `igpu`,
//!   `iprice`, `util`; calibration of `model::inference`).
//! - Decode: the inference roofline's cost per generated token of an `N`-parameter dense model
//!   (`model::inference::decode_cost_per_token_usd`: weight reads against the batch's FLOPs, plus
//!   the per-step overhead) at the section's batch and weight precision (`b`, `wb`).
//! - The lifetime tokens `it` split into input and output as the inference workload's `in : out`.

use super::explain::{Explained, Source};
use super::hardware::{self, Gpu};
use super::inference::ServingInput;
use super::inference::{decode_cost_per_token_usd, Calibration, CALIBRATION};
use super::scaling::inference::{cost_optimal, CostOptimum, LifetimeCost, PhaseCost};
use super::scaling::{Law, ScalingError};
use super::training::TrainingRun;
use crate::explain::Key;

/// Sardana et al. 2024, the cost-optimal variant.
pub const SRC_PRICED: Source = Source {
    id: "sardana2024-cost",
    citation: "Sardana et al. 2024, Beyond Chinchilla-Optimal: Accounting for Inference in Language Model Scaling Laws",
    locator: "§3 (cost-optimal), with this project's training and inference cost models",
    url: "https://arxiv.org/abs/2401.00448",
};

/// The three phases' prices, from the scenario.
#[derive(Debug, Clone, Copy)]
pub struct ServingPricing {
    pub training: PhaseCost,
    pub prefill: PhaseCost,
    pub serving_gpu: &'static Gpu,
    pub bytes_per_param: f64,
    pub batch: f64,
    pub serving_price: f64,
    pub utilisation: f64,
    pub calibration: Calibration,
    pub input_tokens: f64,
    pub output_tokens: f64,
}

impl ServingPricing {
    /// USD per generated token of an `N`-parameter model (the decode roofline).
    pub fn decode_usd_per_token(&self, params: f64) -> f64 {
        decode_cost_per_token_usd(
            params,
            self.serving_gpu,
            self.bytes_per_param,
            self.batch,
            self.serving_price,
            self.utilisation,
            &self.calibration,
        )
        .unwrap_or(f64::INFINITY)
    }
}

impl LifetimeCost for ServingPricing {
    fn usd(&self, params: f64, train_tokens: f64) -> f64 {
        6.0 * params * train_tokens * self.training.usd_per_flop()
            + 2.0 * params * self.input_tokens * self.prefill.usd_per_flop()
            + self.output_tokens * self.decode_usd_per_token(params)
    }
}

/// Why there is no priced optimum.
#[derive(Debug, Clone, PartialEq)]
pub enum PricedError {
    /// No target loss or no lifetime tokens: nothing to price.
    NotAsked,
    /// A price, utilisation or size the pricing needs is unusable.
    Input(ScalingError),
    /// The law cannot reach the loss, or the search failed.
    Law(ScalingError),
}

impl std::fmt::Display for PricedError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PricedError::NotAsked => write!(f, "set a target loss and lifetime inference tokens"),
            PricedError::Input(e) | PricedError::Law(e) => write!(f, "{e}"),
        }
    }
}

crate::hows! {
    /// The priced optimum's explained numbers.
    PricedHow {
        params: PricedParams,
        tokens: PricedTokens,
        usd: PricedUsd,
        saving: PricedSaving,
        chinchilla_usd: PricedChinchillaUsd,
    }
}

/// The priced optimum and how it was priced.
#[derive(Debug, Clone, PartialEq)]
pub struct PricedOptimum {
    pub optimum: CostOptimum,
    /// `1 − usd / chinchilla_usd`.
    pub saving: f64,
    pub explained: Vec<Explained>,
}

impl PricedOptimum {
    /// Each number's explanation, as a field.
    pub fn how(&self) -> PricedHow {
        PricedHow::from_list(&self.explained)
    }
}

/// The pricing of the phases: training on the training run's hardware at its MFU and price,
/// serving on the serving inputs' hardware, price and utilisation.
pub fn pricing(t: &TrainingRun, s: &ServingInput) -> Result<ServingPricing, PricedError> {
    let train_gpu = hardware::gpu(&t.gpu)
        .or_else(|| hardware::GPUS.first())
        .ok_or(PricedError::NotAsked)?;
    let serve_gpu = hardware::gpu(&s.gpu)
        .or_else(|| hardware::GPUS.first())
        .ok_or(PricedError::NotAsked)?;
    let train_price = t
        .price_per_gpu_hour
        .filter(|&p| p > 0.0)
        .unwrap_or(train_gpu.price_per_hour_usd);
    let cal = CALIBRATION;
    let training = PhaseCost::new(train_gpu.peak_bf16_flop_per_s, t.mfu, train_price)
        .map_err(PricedError::Input)?;
    let prefill = PhaseCost::new(
        serve_gpu.peak_bf16_flop_per_s,
        cal.compute_fraction * s.utilisation,
        s.price_per_gpu_hour,
    )
    .map_err(PricedError::Input)?;
    let (i, o) = (s.input_tokens as f64, s.output_tokens as f64);
    let share_in = if i + o > 0.0 { i / (i + o) } else { 0.0 };
    Ok(ServingPricing {
        training,
        prefill,
        serving_gpu: serve_gpu,
        bytes_per_param: f64::from(s.weight_bits) / 8.0,
        batch: f64::from(s.batch.max(1)),
        serving_price: s.price_per_gpu_hour,
        utilisation: s.utilisation,
        calibration: cal,
        input_tokens: s.inference_tokens * share_in,
        output_tokens: s.inference_tokens * (1.0 - share_in),
    })
}

/// The lifetime-dollar optimum for a target loss `ℓ` and the serving inputs' lifetime tokens.
///
/// ```
/// use scalecalc_model::{inference::ServingInput, lifetime, training::TrainingRun};
/// use scalecalc_model::scaling::{Law, HOFFMANN2022};
/// let serving = ServingInput { inference_tokens: 1e13, ..ServingInput::default() };
/// let law = Law::Chinchilla(HOFFMANN2022);
/// let p = lifetime::priced_optimum(Some(2.0), &TrainingRun::default(), &serving, &law).unwrap();
/// // Serving 10T tokens makes a smaller, longer-trained model the cheaper way to the same loss.
/// assert!(p.optimum.params < p.optimum.chinchilla_params && p.saving > 0.0);
/// ```
pub fn priced_optimum(
    target_loss: Option<f64>,
    t: &TrainingRun,
    s: &ServingInput,
    law: &Law,
) -> Result<PricedOptimum, PricedError> {
    let target_loss = match target_loss {
        Some(l) if l > 0.0 && s.inference_tokens > 0.0 => l,
        _ => return Err(PricedError::NotAsked),
    };
    let p = pricing(t, s)?;
    let o = cost_optimal(law, target_loss, &p).map_err(PricedError::Law)?;
    let saving = if o.chinchilla_usd > 0.0 {
        1.0 - o.usd / o.chinchilla_usd
    } else {
        0.0
    };
    let (ct, cp) = (p.training.usd_per_flop(), p.prefill.usd_per_flop());
    let cd = p.decode_usd_per_token(o.params);
    let formula = "min over L(N, D) = ℓ of 6·N·D·c_train + 2·N·T_in·c_prefill + T_out·c_decode(N)";
    let values = format!(
        "ℓ = {}, c_train = {ct:.3e} $/FLOP, c_prefill = {cp:.3e} $/FLOP, c_decode(N*) = {cd:.3e} $/token, T_in = {:.3e}, T_out = {:.3e}",
        target_loss, p.input_tokens, p.output_tokens
    );
    let explained = vec![
        Explained::new(
            Key::PricedParams,
            o.params,
            "",
            formula,
            format!("N* = {:.4e}; {values}", o.params),
            SRC_PRICED,
        ),
        Explained::new(
            Key::PricedTokens,
            o.tokens,
            "",
            formula,
            format!("D* = {:.4e}; {values}", o.tokens),
            SRC_PRICED,
        ),
        Explained::new(
            Key::PricedUsd,
            o.usd,
            "USD",
            "6·N*·D*·c_train + 2·N*·T_in·c_prefill + T_out·c_decode(N*)",
            format!(
                "{:.4e} + {:.4e} + {:.4e} = {:.4e}",
                6.0 * o.params * o.tokens * ct,
                2.0 * o.params * p.input_tokens * cp,
                p.output_tokens * cd,
                o.usd
            ),
            SRC_PRICED,
        ),
        Explained::new(
            Key::PricedChinchillaUsd,
            o.chinchilla_usd,
            "USD",
            "the same prices for the Chinchilla-optimal model of loss ℓ",
            format!(
                "N = {:.4e}, D = {:.4e}: {:.4e} USD",
                o.chinchilla_params, o.chinchilla_tokens, o.chinchilla_usd
            ),
            SRC_PRICED,
        ),
        Explained::new(
            Key::PricedSaving,
            saving,
            "",
            "1 − lifetime USD / Chinchilla lifetime USD",
            format!("1 − {:.4e} / {:.4e} = {saving:.4}", o.usd, o.chinchilla_usd),
            SRC_PRICED,
        ),
    ];
    Ok(PricedOptimum {
        optimum: o,
        saving,
        explained,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scaling::HOFFMANN2022;

    fn asked() -> ServingInput {
        ServingInput {
            inference_tokens: 1e13,
            ..ServingInput::default()
        }
    }

    fn priced(loss: f64, t: &TrainingRun, s: &ServingInput) -> Result<PricedOptimum, PricedError> {
        priced_optimum(Some(loss), t, s, &Law::Chinchilla(HOFFMANN2022))
    }

    #[test]
    fn no_serving_is_chinchilla_and_serving_shrinks_the_model() {
        let t = TrainingRun::default();
        // Almost no inference: the optimum is the Chinchilla model (two routes agree).
        let tiny = priced(
            2.0,
            &t,
            &ServingInput {
                inference_tokens: 1.0,
                ..asked()
            },
        )
        .unwrap();
        assert!((tiny.optimum.params / tiny.optimum.chinchilla_params - 1.0).abs() < 1e-3);
        assert!(tiny.saving.abs() < 1e-6);
        // More lifetime tokens: smaller models, larger savings (monotone).
        let mut last = (f64::INFINITY, -1.0);
        for it in [1e11, 1e12, 1e13, 1e14] {
            let p = priced(
                2.0,
                &t,
                &ServingInput {
                    inference_tokens: it,
                    ..asked()
                },
            )
            .unwrap();
            assert!(p.optimum.params <= last.0 * (1.0 + 1e-9), "{it}");
            assert!(p.saving >= last.1 - 1e-9, "{it}");
            assert!((HOFFMANN2022.loss(p.optimum.params, p.optimum.tokens) - 2.0).abs() < 1e-6);
            last = (p.optimum.params, p.saving);
        }
        // The lifetime dollars are the sum of the three phases at the optimum.
        let p = priced(2.0, &t, &asked()).unwrap();
        let c = pricing(&t, &asked()).unwrap();
        assert!((c.usd(p.optimum.params, p.optimum.tokens) / p.optimum.usd - 1.0).abs() < 1e-12);
        assert_eq!(p.explained.len(), 5);
    }

    #[test]
    fn dearer_serving_shrinks_the_model_further() {
        let t = TrainingRun::default();
        let cheap = priced(2.0, &t, &asked()).unwrap();
        let dear = priced(
            2.0,
            &t,
            &ServingInput {
                price_per_gpu_hour: 10.0 * asked().price_per_gpu_hour,
                ..asked()
            },
        )
        .unwrap();
        assert!(dear.optimum.params < cheap.optimum.params);
    }

    #[test]
    fn bad_inputs_are_named() {
        let law = Law::Chinchilla(HOFFMANN2022);
        let t = TrainingRun::default();
        assert_eq!(
            priced_optimum(None, &t, &asked(), &law).unwrap_err(),
            PricedError::NotAsked
        );
        assert_eq!(
            priced(0.0, &t, &asked()).unwrap_err(),
            PricedError::NotAsked
        );
        let no_mfu = TrainingRun {
            mfu: 0.0,
            ..TrainingRun::default()
        };
        let e = priced(2.0, &no_mfu, &asked()).unwrap_err();
        assert!(matches!(e, PricedError::Input(_)), "{e}");
        let e = priced(1.0, &t, &asked()).unwrap_err();
        assert!(matches!(e, PricedError::Law(_)), "{e}");
    }
}
