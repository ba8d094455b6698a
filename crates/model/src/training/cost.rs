//! Time, money, energy and CO₂ of a training run, and the inverse modes (budget → FLOPs).

use crate::explain::Source;
use serde::Serialize;

/// Seconds per hour.
const S_PER_H: f64 = 3600.0;

/// Meta's Llama 2 model card (CO₂ accounting: GPU-hours × rated power × grid intensity).
pub const SRC_LLAMA2_CARD: Source = Source {
    id: "llama2-model-card",
    citation: "Meta 2023, Llama 2 model card",
    locator:
        "'Training Data / CO2 emissions during pretraining' table: GPU hours, power (W), tCO2eq",
    url: "https://github.com/meta-llama/llama/blob/main/MODEL_CARD.md",
};

/// Ember's yearly electricity data (generation-weighted carbon intensity).
pub const SRC_EMBER: Source = Source {
    id: "ember-yearly-2023",
    citation: "Ember, Yearly Electricity Data (carbon intensity of generation)",
    locator: "2023 values, gCO2e/kWh, retrieved 2026-01 (rounded)",
    url: "https://ember-energy.org/data/yearly-electricity-data/",
};

/// A grid carbon-intensity preset.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct GridPreset {
    /// Lower-case id, e.g. `meta`.
    pub id: &'static str,
    pub name: &'static str,
    /// Tonnes CO₂e per MWh consumed.
    pub t_co2_per_mwh: f64,
    pub source: Source,
}

/// Grid-intensity presets. `meta` is the factor implied by the Llama 2 model card
/// (291.42 t ÷ (1,720,320 h × 400 W) = 0.4235 t/MWh; docs/science.md §3 quotes ≈ 0.42).
pub const GRIDS: &[GridPreset] = &[
    GridPreset {
        id: "meta",
        name: "Meta's Llama 2 accounting",
        t_co2_per_mwh: 0.4236,
        source: SRC_LLAMA2_CARD,
    },
    GridPreset {
        id: "world",
        name: "World average",
        t_co2_per_mwh: 0.480,
        source: SRC_EMBER,
    },
    GridPreset {
        id: "us",
        name: "United States average",
        t_co2_per_mwh: 0.369,
        source: SRC_EMBER,
    },
    GridPreset {
        id: "china",
        name: "China average",
        t_co2_per_mwh: 0.582,
        source: SRC_EMBER,
    },
    GridPreset {
        id: "eu",
        name: "European Union average",
        t_co2_per_mwh: 0.244,
        source: SRC_EMBER,
    },
    GridPreset {
        id: "france",
        name: "France (nuclear-heavy)",
        t_co2_per_mwh: 0.056,
        source: SRC_EMBER,
    },
];

/// The grid preset with this id.
pub fn grid(id: &str) -> Option<&'static GridPreset> {
    GRIDS.iter().find(|g| g.id == id)
}

/// Device-hours to deliver `flops` at a utilisation of the dense peak.
///
/// # Formula
/// `H = C / (P · u · 3600)`
/// - `C`: FLOP, `P`: dense peak FLOP/s per device, `u`: MFU in (0, 1]; `H`: device-hours.
///
/// Reference: docs/science.md §3 (PaLM and Llama 3 measure MFU against the dense BF16 peak).
///
/// ```
/// use scalecalc_model::training::cost::gpu_hours;
/// assert_eq!(gpu_hours(360_000.0, 1000.0, 0.1), 1.0);
/// ```
pub fn gpu_hours(flops: f64, peak_flop_per_s: f64, mfu: f64) -> f64 {
    flops / (peak_flop_per_s * mfu * S_PER_H)
}

/// Device-hours with overheads: work lost to failures and restarts, and research runs.
///
/// # Formula
/// `H_total = H / (1 − f) · m`
/// - `H`: device-hours of one clean run, `f`: fraction of work lost, in [0, 1),
///   `m`: research multiplier ≥ 1 (evaluations, ablations; DeepSeek-V3's $5.6M is `m = 1`).
///
/// ```
/// use scalecalc_model::training::cost::with_overheads;
/// assert_eq!(with_overheads(90.0, 0.1, 2.0), 200.0);
/// ```
pub fn with_overheads(hours: f64, lost_fraction: f64, research_multiplier: f64) -> f64 {
    hours / (1.0 - lost_fraction) * research_multiplier
}

/// Wall-clock days of a run spread over `gpus` devices (perfect scaling).
///
/// # Formula
/// `days = H / K / 24`, `H`: device-hours, `K`: devices.
///
/// ```
/// use scalecalc_model::training::cost::wall_days;
/// assert_eq!(wall_days(2400.0, 10), 10.0);
/// ```
pub fn wall_days(hours: f64, gpus: u32) -> f64 {
    hours / gpus as f64 / 24.0
}

/// Energy in MWh.
///
/// # Formula
/// `E = H · W · PUE / 10⁶`
/// - `H`: device-hours, `W`: power per device (W), `PUE`: data-centre overhead ≥ 1; `E`: MWh.
///
/// Reference: docs/science.md §3; the Llama 2 model card (400 W per A100, PUE 1).
///
/// ```
/// use scalecalc_model::training::cost::energy_mwh;
/// assert_eq!(energy_mwh(1_720_320.0, 400.0, 1.0), 688.128);
/// ```
pub fn energy_mwh(hours: f64, watts: f64, pue: f64) -> f64 {
    hours * watts * pue / 1e6
}

/// Emissions in tonnes CO₂e.
///
/// # Formula
/// `t = E · g`, `E`: MWh, `g`: grid intensity, t CO₂e per MWh.
///
/// ```
/// use scalecalc_model::training::cost::co2_tonnes;
/// assert_eq!(co2_tonnes(100.0, 0.5), 50.0);
/// ```
pub fn co2_tonnes(mwh: f64, grid_t_per_mwh: f64) -> f64 {
    mwh * grid_t_per_mwh
}

/// Inverse mode: the model FLOPs a money budget buys.
///
/// # Formula
/// `C = (B / p) · (1 − f) / m · P · u · 3600`
/// - `B`: USD, `p`: USD per device-hour, `f`: lost fraction, `m`: research multiplier,
///   `P`: dense peak FLOP/s, `u`: MFU; `C`: FLOP. The inverse of [`gpu_hours`] and [`with_overheads`].
///
/// ```
/// use scalecalc_model::training::cost::flops_for_budget_usd;
/// assert_eq!(flops_for_budget_usd(2.0, 2.0, 0.0, 1.0, 1000.0, 0.5), 1000.0 * 0.5 * 3600.0);
/// ```
pub fn flops_for_budget_usd(
    usd: f64,
    price_per_gpu_hour: f64,
    lost_fraction: f64,
    research_multiplier: f64,
    peak_flop_per_s: f64,
    mfu: f64,
) -> f64 {
    usd / price_per_gpu_hour * (1.0 - lost_fraction) / research_multiplier
        * peak_flop_per_s
        * mfu
        * S_PER_H
}

/// Inverse mode: the model FLOPs `gpus` devices deliver in `days`.
///
/// # Formula
/// `C = days · 24 · K · (1 − f) · P · u · 3600`
///
/// ```
/// use scalecalc_model::training::cost::flops_for_days;
/// // 2,048 H800 for 57 days at 40% MFU
/// let c = flops_for_days(57.0, 2048, 0.0, 989e12, 0.4);
/// assert!((c / 3.99e24 - 1.0).abs() < 0.01);
/// ```
pub fn flops_for_days(
    days: f64,
    gpus: u32,
    lost_fraction: f64,
    peak_flop_per_s: f64,
    mfu: f64,
) -> f64 {
    days * 24.0 * gpus as f64 * (1.0 - lost_fraction) * peak_flop_per_s * mfu * S_PER_H
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Relative tolerance for reproducing model-card CO₂ (issue 5: ±1%).
    const CO2_TOL: f64 = 0.01;

    /// Llama 2 model card, CO₂ table: GPU-hours at 400 W, 0.4236 t/MWh.
    #[test]
    fn llama2_co2_reproduced() {
        for (hours, published) in [
            (184_320.0, 31.22),
            (368_640.0, 62.44),
            (1_720_320.0, 291.42),
        ] {
            let t = co2_tonnes(energy_mwh(hours, 400.0, 1.0), 0.4236);
            assert!(
                (t / published - 1.0).abs() < CO2_TOL,
                "{hours} h: {t} vs {published}"
            );
        }
    }

    #[test]
    fn inverse_round_trips() {
        let (peak, mfu, price, f, m) = (989.4e12, 0.38, 2.5, 0.05, 1.5);
        let c = 5.76e23;
        let usd = with_overheads(gpu_hours(c, peak, mfu), f, m) * price;
        let back = flops_for_budget_usd(usd, price, f, m, peak, mfu);
        assert!((back / c - 1.0).abs() < 1e-12);
        let run_hours = gpu_hours(c, peak, mfu) / (1.0 - f);
        let days = wall_days(run_hours, 1024);
        assert!((flops_for_days(days, 1024, f, peak, mfu) / c - 1.0).abs() < 1e-12);
    }
}
