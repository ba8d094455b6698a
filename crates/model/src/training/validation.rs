//! Validation against published runs: the page's table (published run, our estimate, the error).

use super::cost::{self, SRC_LLAMA2_CARD};
use super::flops::{palm_flops_per_token, six_nd, SRC_PALM};
use crate::explain::Source;
use crate::hardware;
use crate::scaling::SRC_HOFFMANN;
use serde::Serialize;

/// Brown et al. 2020, GPT-3.
pub const SRC_GPT3: Source = Source {
    id: "brown2020",
    citation: "Brown et al. 2020, Language Models are Few-Shot Learners",
    locator: "Appendix D Table D.1 (175B: 3.14e23 FLOPs, 3,640 PF-days; 300B tokens)",
    url: "https://arxiv.org/abs/2005.14165",
};

/// DeepSeek-AI 2024, DeepSeek-V3 technical report.
pub const SRC_DEEPSEEK_V3: Source = Source {
    id: "deepseek2024-v3",
    citation: "DeepSeek-AI 2024, DeepSeek-V3 Technical Report",
    locator: "§1 Table 1 (2,788K H800 GPU-hours, $2 per GPU-hour, $5.576M)",
    url: "https://arxiv.org/abs/2412.19437",
};

/// Meta 2024, Llama 3 model card.
pub const SRC_LLAMA3_CARD: Source = Source {
    id: "llama3-model-card",
    citation: "Meta 2024, Llama 3 model card",
    locator: "'Carbon Footprint' table (H100-80GB hours, 700 W, tCO2eq location-based)",
    url: "https://github.com/meta-llama/llama3/blob/main/MODEL_CARD.md",
};

/// One row of the validation table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValidationRow {
    /// The published run, e.g. `GPT-3 175B`.
    pub run: &'static str,
    /// What is compared.
    pub quantity: Compared,
    pub unit: &'static str,
    pub published: f64,
    pub estimate: f64,
    /// Relative error `estimate / published − 1`.
    pub error: f64,
    /// How we computed the estimate, in one line.
    pub method: &'static str,
    pub source: Source,
}

/// What a validation row compares; each shell words it (`label` is the English).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compared {
    TrainingFlops,
    Mfu,
    /// GPU-hours of a smaller model at the MFU a larger one of the same family implies.
    GpuHoursAtSiblingMfu,
    Co2,
    Cost,
}

impl Compared {
    /// The English label (the CLI's, and the JSON's).
    pub fn label(self) -> &'static str {
        match self {
            Compared::TrainingFlops => "training FLOPs",
            Compared::Mfu => "MFU",
            Compared::GpuHoursAtSiblingMfu => "GPU-hours (at the 70B's implied MFU)",
            Compared::Co2 => "CO₂",
            Compared::Cost => "cost",
        }
    }
}

impl Serialize for Compared {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.label())
    }
}

fn row(
    run: &'static str,
    quantity: Compared,
    unit: &'static str,
    published: f64,
    estimate: f64,
    method: &'static str,
    source: Source,
) -> ValidationRow {
    ValidationRow {
        run,
        quantity,
        unit,
        published,
        estimate,
        error: estimate / published - 1.0,
        method,
        source,
    }
}

/// Model FLOPs utilisation from a measured throughput.
///
/// # Formula
/// `MFU = (tokens/s) · (FLOP per token) / (K · P)`, `K`: devices, `P`: dense peak FLOP/s.
///
/// Reference: Chowdhery et al. 2022, Appendix B.
///
/// ```
/// use scalecalc_model::training::validation::mfu_from_throughput;
/// assert_eq!(mfu_from_throughput(10.0, 6.0, 2, 60.0), 0.5);
/// ```
pub fn mfu_from_throughput(
    tokens_per_s: f64,
    flops_per_token: f64,
    devices: u32,
    peak: f64,
) -> f64 {
    tokens_per_s * flops_per_token / (devices as f64 * peak)
}

/// The MFU a published GPU-hour count implies for `6·N·D` model FLOPs.
///
/// # Formula
/// `MFU = 6·N·D / (H · 3600 · P)`
pub fn implied_mfu(params: f64, tokens: f64, gpu_hours: f64, peak: f64) -> f64 {
    six_nd(params, tokens) / (gpu_hours * 3600.0 * peak)
}

/// Meta's grid factor (t CO₂e / MWh), the `meta` preset.
const META_GRID: f64 = 0.4236;

/// Every row of the validation table, computed by the same functions the calculator uses.
pub fn validation_rows() -> Vec<ValidationRow> {
    let a100 = hardware::gpu("a100-80gb").map_or(312e12, |g| g.peak_bf16_flop_per_s);
    let tpu_v4 = hardware::gpu("tpu-v4").map_or(275e12, |g| g.peak_bf16_flop_per_s);
    let llama2_tokens = 2e12;
    // Llama 2 70B's implied MFU, used to predict the 7B's GPU-hours (an out-of-sample check).
    let mfu_70b = implied_mfu(70e9, llama2_tokens, 1_720_320.0, a100);
    let co2 =
        |hours: f64, watts: f64| cost::co2_tonnes(cost::energy_mwh(hours, watts, 1.0), META_GRID);
    vec![
        row(
            "GPT-3 175B",
            Compared::TrainingFlops,
            "FLOP",
            3.14e23,
            six_nd(175e9, 300e9),
            "6·N·D, N = 175e9, D = 300e9",
            SRC_GPT3,
        ),
        row(
            "Chinchilla 70B",
            Compared::TrainingFlops,
            "FLOP",
            5.76e23,
            six_nd(70e9, 1.4e12),
            "6·N·D, N = 70e9, D = 1.4e12 (paper: the Gopher budget)",
            SRC_HOFFMANN,
        ),
        row(
            "PaLM 540B",
            Compared::Mfu,
            "",
            0.462,
            mfu_from_throughput(
                238.3e3,
                palm_flops_per_token(540.35e9, 118, 48, 256, 2048),
                6144,
                tpu_v4,
            ),
            "238.3K tok/s × (6N + 12·L·H·Q·T) / (6,144 × 275 TFLOP/s)",
            SRC_PALM,
        ),
        row(
            "Llama 2 7B",
            Compared::GpuHoursAtSiblingMfu,
            "GPU-h",
            184_320.0,
            cost::gpu_hours(six_nd(7e9, llama2_tokens), a100, mfu_70b),
            "6·N·D / (312 TFLOP/s × MFU × 3600), MFU = 43.5% implied by the 70B's hours",
            SRC_LLAMA2_CARD,
        ),
        row(
            "Llama 2 7B",
            Compared::Co2,
            "t CO₂e",
            31.22,
            co2(184_320.0, 400.0),
            "184,320 h × 400 W × 0.4236 t/MWh",
            SRC_LLAMA2_CARD,
        ),
        row(
            "Llama 2 13B",
            Compared::Co2,
            "t CO₂e",
            62.44,
            co2(368_640.0, 400.0),
            "368,640 h × 400 W × 0.4236 t/MWh",
            SRC_LLAMA2_CARD,
        ),
        row(
            "Llama 2 70B",
            Compared::Co2,
            "t CO₂e",
            291.42,
            co2(1_720_320.0, 400.0),
            "1,720,320 h × 400 W × 0.4236 t/MWh",
            SRC_LLAMA2_CARD,
        ),
        row(
            "Llama 3 8B",
            Compared::Co2,
            "t CO₂e",
            390.0,
            co2(1.3e6, 700.0),
            "1.3M h × 700 W × 0.4236 t/MWh (Meta's Llama 2 factor)",
            SRC_LLAMA3_CARD,
        ),
        row(
            "Llama 3 70B",
            Compared::Co2,
            "t CO₂e",
            1900.0,
            co2(6.4e6, 700.0),
            "6.4M h × 700 W × 0.4236 t/MWh (Meta's Llama 2 factor)",
            SRC_LLAMA3_CARD,
        ),
        row(
            "DeepSeek-V3",
            Compared::Cost,
            "USD",
            5.576e6,
            2_788_000.0 * hardware::gpu("h800").map_or(2.0, |g| g.price_per_hour_usd),
            "2,788K H800 GPU-hours × $2",
            SRC_DEEPSEEK_V3,
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// GPT-3 FLOPs: issue 5 asks ±1% of 3.14e23 (Table D.1).
    const GPT3_TOL: f64 = 0.01;
    /// PaLM MFU: Table 3 prints 46.2%; we compute from the same inputs, to the printed digit.
    const PALM_MFU_TOL: f64 = 0.0005;
    /// Model-card CO₂: ±1% (issue 5).
    const CO2_TOL: f64 = 0.01;
    /// Llama 3's card is rounded to 2 significant figures (1.3M h, 390 t).
    const LLAMA3_TOL: f64 = 0.02;
    /// 7B hours predicted from the 70B's MFU: smaller models run at lower MFU, so we accept 10%.
    const CROSS_MFU_TOL: f64 = 0.10;

    fn find<'a>(rows: &'a [ValidationRow], run: &str, q: Compared) -> &'a ValidationRow {
        rows.iter()
            .find(|r| r.run == run && r.quantity == q)
            .expect("row present")
    }

    #[test]
    fn published_runs_reproduced() {
        let rows = validation_rows();
        let gpt3 = find(&rows, "GPT-3 175B", Compared::TrainingFlops);
        assert!(gpt3.error.abs() < GPT3_TOL && gpt3.estimate == 3.15e23);
        let palm = find(&rows, "PaLM 540B", Compared::Mfu);
        assert!(
            (palm.estimate - 0.462).abs() < PALM_MFU_TOL,
            "{}",
            palm.estimate
        );
        for run in ["Llama 2 7B", "Llama 2 13B", "Llama 2 70B"] {
            let r = find(&rows, run, Compared::Co2);
            assert!(r.error.abs() < CO2_TOL, "{run}: {}", r.error);
        }
        for run in ["Llama 3 8B", "Llama 3 70B"] {
            assert!(find(&rows, run, Compared::Co2).error.abs() < LLAMA3_TOL);
        }
        let cross = find(&rows, "Llama 2 7B", Compared::GpuHoursAtSiblingMfu);
        assert!(cross.error.abs() < CROSS_MFU_TOL, "{}", cross.error);
        assert!(find(&rows, "DeepSeek-V3", Compared::Cost).error.abs() < 1e-9);
    }

    /// Llama 2 70B's hours imply ≈ 43.5% MFU on A100s (6ND, 2T tokens).
    #[test]
    fn llama2_implied_mfu() {
        let mfu = implied_mfu(70e9, 2e12, 1_720_320.0, 312e12);
        assert!((mfu - 0.4347).abs() < 1e-3, "{mfu}");
        // And those hours come back exactly from gpu_hours at that MFU.
        let h = cost::gpu_hours(six_nd(70e9, 2e12), 312e12, mfu);
        assert!((h / 1_720_320.0 - 1.0).abs() < 1e-12);
    }
}
