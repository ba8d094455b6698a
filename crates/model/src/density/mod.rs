//! Knowledge (capability) density: capability per unit of inference compute, and how fast it grows.
//!
//! The law (Liu Zhiyuan, WAIC 2024; Xiao et al., *Densing Law of LLMs*, arXiv 2412.04315):
//!
//! # Formula
//! `ρ(t) = ρ(t₀)·2^((t − t₀)/T)`
//! - `ρ`: capability density (effective parameters ÷ actual parameters, dimensionless),
//! - `t`, `t₀`: dates, measured in months of exactly 30.436875 days,
//! - `T`: doubling time, months.
//!
//! Consequence: the parameters needed to match a reference model of `N_ref` parameters released at
//! `t_ref` fall as `N(t) = N_ref·2^(−(t − t_ref)/T)`.
//!
//! Submodules: [`reference`] (sourced table of well-known models), [`device`] (when a capability
//! fits a device), [`fit`] (doubling time from a table of models), [`effective`] (effective
//! parameter size from a reference family's scores), [`evaluate`] (the page's and CLI's entry).

pub mod device;
pub mod effective;
pub mod evaluate;
pub mod fit;
pub mod reference;

pub use evaluate::{evaluate, DensityNote, DensityResult};

use super::date::{Date, DAYS_PER_MONTH};
use super::explain::Source;
use serde::Serialize;

/// The project's default doubling time, months (the seed talk's figure; see [`DOUBLING_PRESETS`]).
pub const DEFAULT_DOUBLING_MONTHS: f64 = 8.0;

/// The seed talk: density doubles every 8 months; MiniCPM (2.4B) matches GPT-3 (175B), "about 86×".
pub const SRC_LIU2024: Source = Source {
    id: "liu2024-waic",
    citation: "Liu Zhiyuan, talk at the World Artificial Intelligence Conference (WAIC), Shanghai, July 2024",
    locator: "talk: 'knowledge density doubles every 8 months'; MiniCPM vs GPT-3 'about 86×'",
    url: "",
};

/// Densing Law, arXiv v2 (Dec 2024).
pub const SRC_XIAO2024_FIG1: Source = Source {
    id: "xiao2024-v2-fig1",
    citation: "Xiao et al. 2024, Densing Law of LLMs, arXiv 2412.04315 v2",
    locator: "Fig. 1: ln ρ_max = A·t + B, doubling ≈ 3.3 months",
    url: "https://arxiv.org/abs/2412.04315v2",
};

/// Densing Law, arXiv v2 §3.3 (A ≈ 0.0073 per day → 95 days).
pub const SRC_XIAO2024_S33: Source = Source {
    id: "xiao2024-v2-s3.3",
    citation: "Xiao et al. 2024, Densing Law of LLMs, arXiv 2412.04315 v2",
    locator: "§3.3: A ≈ 0.0073/day, density doubles about every 95 days",
    url: "https://arxiv.org/abs/2412.04315v2",
};

/// Densing Law, the journal version (51 models, Feb 2023 – Apr 2025).
pub const SRC_XIAO2025_NMI: Source = Source {
    id: "xiao2025-nmi",
    citation: "Xiao et al. 2025, Densing law of LLMs, Nature Machine Intelligence",
    locator: "main result: ρ_max doubles ≈ every 3.5 months (51 open models, Feb 2023 – Apr 2025)",
    url: "https://www.nature.com/articles/s42256-025-01137-0",
};

/// Densing Law: the trend before and after ChatGPT's release.
pub const SRC_XIAO2024_CHATGPT: Source = Source {
    id: "xiao2024-chatgpt",
    citation:
        "Xiao et al. 2024/2025, Densing Law of LLMs (arXiv 2412.04315; Nature Machine Intelligence)",
    locator: "the density trend before vs after ChatGPT's release: ≈ 4.8 vs ≈ 3.2 months",
    url: "https://arxiv.org/abs/2412.04315",
};

/// Ho et al. 2024 (Epoch): compute for fixed performance halves every ~8 months.
pub const SRC_HO2024: Source = Source {
    id: "ho2024",
    citation: "Ho et al. 2024, Algorithmic progress in language models, arXiv 2403.05812",
    locator: "abstract / §3: compute needed for a fixed performance halves ≈ every 8 months (95% CI 5–14)",
    url: "https://arxiv.org/abs/2403.05812",
};

/// Hobbhahn et al. 2023 (Epoch): FLOP/s per dollar doubles every ~2.1 years.
pub const SRC_HOBBHAHN2023: Source = Source {
    id: "hobbhahn2023",
    citation: "Hobbhahn, Heim, Aydos 2023, Trends in Machine Learning Hardware, Epoch AI",
    locator: "key finding: FLOP/s per dollar of ML hardware doubles ≈ every 2.1 years",
    url: "https://epoch.ai/blog/trends-in-machine-learning-hardware",
};

/// A doubling-time preset.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DoublingPreset {
    /// Stable id, e.g. `seed-8`.
    pub id: &'static str,
    /// Short English name (the page translates by id).
    pub name: &'static str,
    /// Doubling time, months (30.436875 days).
    pub months: f64,
    pub source: Source,
}

/// Every doubling-time preset, in the order the page lists them. "Custom" is any other value.
pub const DOUBLING_PRESETS: &[DoublingPreset] = &[
    DoublingPreset {
        id: "seed-8",
        name: "8 months (Liu Zhiyuan's talk, WAIC 2024)",
        months: 8.0,
        source: SRC_LIU2024,
    },
    DoublingPreset {
        id: "ho2024-8",
        name: "8 months (Ho et al. 2024, compute halving)",
        months: 8.0,
        source: SRC_HO2024,
    },
    DoublingPreset {
        id: "densing-v2-3.3",
        name: "3.3 months (Densing Law v2, Fig. 1)",
        months: 3.3,
        source: SRC_XIAO2024_FIG1,
    },
    DoublingPreset {
        id: "densing-v2-95d",
        name: "95 days ≈ 3.1 months (Densing Law v2, §3.3)",
        // 95 days expressed in months of 30.436875 days = 3.1212…; the paper says "95 days".
        months: 95.0 / DAYS_PER_MONTH,
        source: SRC_XIAO2024_S33,
    },
    DoublingPreset {
        id: "densing-nmi-3.5",
        name: "3.5 months (Densing Law, journal version)",
        months: 3.5,
        source: SRC_XIAO2025_NMI,
    },
    DoublingPreset {
        id: "densing-pre-chatgpt-4.8",
        name: "4.8 months (before ChatGPT)",
        months: 4.8,
        source: SRC_XIAO2024_CHATGPT,
    },
    DoublingPreset {
        id: "densing-post-chatgpt-3.2",
        name: "3.2 months (after ChatGPT)",
        months: 3.2,
        source: SRC_XIAO2024_CHATGPT,
    },
];

/// The preset with this id.
pub fn doubling_preset(id: &str) -> Option<&'static DoublingPreset> {
    DOUBLING_PRESETS.iter().find(|p| p.id == id)
}

/// The first preset whose value equals `months` (to 1e-9), for labelling a scenario's choice.
pub fn doubling_preset_for(months: f64) -> Option<&'static DoublingPreset> {
    DOUBLING_PRESETS
        .iter()
        .find(|p| (p.months - months).abs() < 1e-9)
}

/// Why a density input was rejected.
#[derive(Debug, Clone, PartialEq)]
pub enum DensityError {
    /// A quantity that must be a finite number > 0 was not.
    NotPositive { field: &'static str, value: f64 },
    /// Weight precision outside 1–32 bits.
    BadBits { field: &'static str, value: u32 },
    /// The dates are so far apart for this doubling time that the density ratio over- or
    /// underflows: no finite equivalent model exists.
    OutOfRange { months: f64, doubling_months: f64 },
}

impl std::fmt::Display for DensityError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DensityError::NotPositive { field, value } => {
                write!(
                    f,
                    "{field} must be a finite number greater than 0, got {value}"
                )
            }
            DensityError::BadBits { field, value } => {
                write!(f, "{field} must be 1–32 bits per weight, got {value}")
            }
            DensityError::OutOfRange {
                months,
                doubling_months,
            } => write!(
                f,
                "{:.0} months at a {doubling_months}-month doubling time is a density ratio of \
                 2^{:.0}, out of range: no equivalent model is reported",
                months,
                months / doubling_months
            ),
        }
    }
}

impl std::error::Error for DensityError {}

pub(crate) fn check_positive(field: &'static str, value: f64) -> Result<f64, DensityError> {
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(DensityError::NotPositive { field, value })
    }
}

pub(crate) fn check_bits(field: &'static str, value: u32) -> Result<u32, DensityError> {
    if (1..=32).contains(&value) {
        Ok(value)
    } else {
        Err(DensityError::BadBits { field, value })
    }
}

/// Density growth factor over an interval.
///
/// # Formula
/// `ρ(t)/ρ(t₀) = 2^(Δ/T)`
/// - `Δ`: elapsed months (may be negative), `T`: doubling time, months (> 0).
///
/// Reference: Xiao et al. 2024, arXiv 2412.04315, §3 (the exponential trend of ρ_max).
///
/// ```
/// use scalecalc_model::density::density_ratio;
/// assert_eq!(density_ratio(16.0, 8.0), Ok(4.0));
/// assert!(density_ratio(1.0, 0.0).is_err());
/// ```
pub fn density_ratio(months: f64, doubling_months: f64) -> Result<f64, DensityError> {
    check_positive("doubling_months", doubling_months)?;
    if !months.is_finite() {
        return Err(DensityError::NotPositive {
            field: "months",
            value: months,
        });
    }
    let ratio = (months / doubling_months).exp2();
    // Past ±1,024 doublings the ratio over- or underflows: out of range, not ∞ or 0.
    if !(ratio.is_finite() && ratio >= f64::MIN_POSITIVE) {
        return Err(DensityError::OutOfRange {
            months,
            doubling_months,
        });
    }
    Ok(ratio)
}

/// Bytes to hold `params` weights at `bits` per weight.
///
/// # Formula
/// `bytes = N·b/8`
/// - `N`: parameters, `b`: bits per weight (1–32).
///
/// ```
/// use scalecalc_model::density::weight_bytes;
/// assert_eq!(weight_bytes(7e9, 4), 3.5e9);
/// ```
pub fn weight_bytes(params: f64, bits: u32) -> f64 {
    params * f64::from(bits) / 8.0
}

/// The model that matches a reference model's capability at another date.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct EquivalentModel {
    /// Reference model parameters `N_ref`.
    pub reference_params: f64,
    pub reference_date: Date,
    pub date: Date,
    /// Doubling time used, months.
    pub doubling_months: f64,
    /// Days from the reference date to `date` (negative when `date` is earlier).
    pub days_elapsed: i64,
    /// The same interval in months of 30.436875 days.
    pub months_elapsed: f64,
    /// `ρ(t)/ρ(t_ref)`.
    pub density_ratio: f64,
    /// `N(t) = N_ref / ratio`, parameters.
    pub equivalent_params: f64,
    /// `2·N(t)`, FLOP per token (forward pass, attention term left out).
    pub inference_flops_per_token: f64,
}

impl EquivalentModel {
    /// The parameters at `date` that match the capability of `reference_params` released at
    /// `reference_date`.
    ///
    /// # Formula
    /// `N(t) = N_ref·2^(−(t − t_ref)/T)`, `FLOP/token = 2·N(t)`
    /// - `N_ref`: reference parameters, `t`, `t_ref`: dates (months of 30.436875 days),
    ///   `T`: doubling time, months.
    ///
    /// Reference: the density law (Xiao et al. 2024, arXiv 2412.04315 §3); 2N forward FLOPs per
    /// token (Kaplan et al. 2020, arXiv 2001.08361, §2.1).
    ///
    /// ```
    /// use scalecalc_model::{date::Date, density::EquivalentModel};
    /// let d0 = Date::parse("2020-01-01").unwrap();
    /// let d1 = d0.add_months(16.0);
    /// let m = EquivalentModel::new(100e9, d0, d1, 8.0).unwrap();
    /// assert!((m.density_ratio - 4.0).abs() < 1e-3);
    /// assert!((m.equivalent_params - 25e9).abs() < 1e7);
    /// ```
    pub fn new(
        reference_params: f64,
        reference_date: Date,
        date: Date,
        doubling_months: f64,
    ) -> Result<Self, DensityError> {
        check_positive("reference_params", reference_params)?;
        let days_elapsed = reference_date.days_until(&date);
        let months_elapsed = reference_date.months_until(&date);
        let ratio = density_ratio(months_elapsed, doubling_months)?;
        let equivalent_params = reference_params / ratio;
        // `density_ratio` refuses a ratio that over- or underflows (Δ/T past ±1,024); the quotient
        // can still leave the finite range. Then no finite figure follows: say so, not ∞ or 0.
        if !((2.0 * equivalent_params).is_finite() && equivalent_params >= f64::MIN_POSITIVE) {
            return Err(DensityError::OutOfRange {
                months: months_elapsed,
                doubling_months,
            });
        }
        Ok(Self {
            reference_params,
            reference_date,
            date,
            doubling_months,
            days_elapsed,
            months_elapsed,
            density_ratio: ratio,
            equivalent_params,
            inference_flops_per_token: 2.0 * equivalent_params,
        })
    }

    /// Weight memory at `bits` per weight, bytes (see [`weight_bytes`]).
    pub fn weight_bytes(&self, bits: u32) -> Result<f64, DensityError> {
        check_bits("bits", bits)?;
        Ok(weight_bytes(self.equivalent_params, bits))
    }

    /// Serving price of the equivalent model, USD per million tokens.
    ///
    /// The hook for the inference cost model: `usd_per_token(params)` returns the cost of one
    /// output token of a dense model with that many parameters on the chosen hardware (or `None`
    /// when undefined there, e.g. it does not fit). This function only evaluates it at `N(t)`.
    ///
    /// # Formula
    /// `$/M tokens = 10⁶ · cost_per_token(N(t))`
    ///
    /// ```
    /// use scalecalc_model::{date::Date, density::EquivalentModel};
    /// let d = Date::parse("2024-01-01").unwrap();
    /// let m = EquivalentModel::new(7e9, d, d, 8.0).unwrap();
    /// // A toy cost model: $1e-18 per FLOP.
    /// let usd = m.usd_per_million_tokens(|n| Some(2.0 * n * 1e-18)).unwrap();
    /// assert!((usd - 0.014).abs() < 1e-12);
    /// ```
    pub fn usd_per_million_tokens(
        &self,
        usd_per_token: impl Fn(f64) -> Option<f64>,
    ) -> Option<f64> {
        usd_per_token(self.equivalent_params)
            .filter(|c| c.is_finite() && *c >= 0.0)
            .map(|c| c * 1e6)
    }
}

/// One row of the seed-claim check: a density ratio over MiniCPM-1-2.4B vs GPT-3 175B and the
/// doubling time it implies (or that produced it).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeedRow {
    /// Stable key, e.g. `param-ratio`, `talk-86x`, or a doubling preset id.
    pub key: String,
    /// English label (the page translates by key).
    pub label: String,
    /// Density ratio over the interval (×).
    pub ratio: f64,
    /// Doubling time, months: implied by the ratio, or the preset's.
    pub doubling_months: f64,
    pub source: Source,
}

/// The seed's claim, checked: MiniCPM-1-2.4B (2024-02-01) matches GPT-3 175B (2020-05-28).
///
/// Rows: the parameter ratio (175/2.4 ≈ 73×) and the doubling time it implies; the talk's "about
/// 86×" and its implied doubling time; then each preset doubling time and the ratio it predicts.
///
/// # Formula
/// predicted ratio `= 2^(Δ/T)`; implied `T = Δ / log₂(ratio)`; `Δ` = months between the releases.
///
/// ```
/// use scalecalc_model::density::seed_claim_rows;
/// let rows = seed_claim_rows();
/// assert!((rows[0].ratio - 175.0 / 2.4).abs() < 1e-9);
/// ```
pub fn seed_claim_rows() -> Vec<SeedRow> {
    let gpt3 = &reference::GPT3_175B;
    let minicpm = &reference::MINICPM_1_2B4;
    let months = gpt3.release.months_until(&minicpm.release);
    let implied = |ratio: f64| months / ratio.log2();
    let param_ratio = gpt3.params / minicpm.params;
    let mut rows = vec![
        SeedRow {
            key: "param-ratio".into(),
            label: format!("parameter ratio {} / {}", gpt3.name, minicpm.name),
            ratio: param_ratio,
            doubling_months: implied(param_ratio),
            source: minicpm.source,
        },
        SeedRow {
            key: "talk-86x".into(),
            label: "the talk's \"about 86×\"".into(),
            ratio: 86.0,
            doubling_months: implied(86.0),
            source: SRC_LIU2024,
        },
    ];
    for p in DOUBLING_PRESETS {
        rows.push(SeedRow {
            key: p.id.into(),
            label: p.name.into(),
            ratio: (months / p.months).exp2(),
            doubling_months: p.months,
            source: p.source,
        });
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    /// The issue's acceptance tolerance (±0.1%).
    const ISSUE_REL: f64 = 1e-3;

    #[test]
    fn issue_example_gpt3_to_2024() {
        // 2020-06-01 → 2024-02-01 is 1340 days (date.rs test).
        for t in [8.0, 3.3] {
            let m = EquivalentModel::new(175e9, d("2020-06-01"), d("2024-02-01"), t).unwrap();
            let want = (1340.0 / 30.436875 / t).exp2();
            assert!((m.density_ratio / want - 1.0).abs() < ISSUE_REL);
            assert!((m.equivalent_params / (175e9 / want) - 1.0).abs() < ISSUE_REL);
            assert_eq!(m.inference_flops_per_token, 2.0 * m.equivalent_params);
        }
    }

    #[test]
    fn seed_claim_golden() {
        let rows = seed_claim_rows();
        // 175/2.4 = 72.92 ("≈ 73×"), docs/science.md §2.
        assert!((rows[0].ratio - 72.916_666).abs() < 1e-3);
        assert_eq!(rows[1].ratio, 86.0);
        // 2020-05-28 → 2024-02-01 = 1344 days = 44.157 months: 73× implies ≈ 7.13 months, 86× ≈ 6.87.
        assert!((rows[0].doubling_months - 7.134).abs() < 0.01, "{rows:?}");
        assert!((rows[1].doubling_months - 6.871).abs() < 0.01, "{rows:?}");
        let eight = rows.iter().find(|r| r.key == "seed-8").unwrap();
        assert!((eight.ratio - (1344.0 / 30.436875 / 8.0f64).exp2()).abs() < 1e-9);
        assert_eq!(rows.len(), 2 + DOUBLING_PRESETS.len());
    }

    #[test]
    fn presets_sane() {
        for p in DOUBLING_PRESETS {
            assert!(p.months > 0.0 && p.months.is_finite(), "{}", p.id);
            assert!(doubling_preset(p.id).is_some());
        }
        assert!((doubling_preset("densing-v2-95d").unwrap().months - 3.1212).abs() < 1e-3);
        assert_eq!(doubling_preset_for(3.5).unwrap().id, "densing-nmi-3.5");
    }

    #[test]
    fn bad_inputs() {
        let a = d("2020-01-01");
        assert!(EquivalentModel::new(0.0, a, a, 8.0).is_err());
        assert!(EquivalentModel::new(-1.0, a, a, 8.0).is_err());
        assert!(EquivalentModel::new(1e9, a, a, 0.0).is_err());
        assert!(EquivalentModel::new(1e9, a, a, f64::NAN).is_err());
        let m = EquivalentModel::new(1e9, a, a, 8.0).unwrap();
        assert!(m.weight_bytes(0).is_err());
        assert!(m.weight_bytes(33).is_err());
        assert_eq!(m.weight_bytes(16), Ok(2e9));
        assert!(m.usd_per_million_tokens(|_| None).is_none());
        assert!(m.usd_per_million_tokens(|_| Some(f64::NAN)).is_none());
        let e = EquivalentModel::new(0.0, a, a, 8.0)
            .unwrap_err()
            .to_string();
        assert!(e.contains("reference_params") && e.contains('0'), "{e}");
    }

    proptest! {
        #[test]
        fn halves_every_doubling_time(t in 0.5f64..48.0, n in 1e6f64..1e13, k in -5i32..6) {
            let a = d("2020-01-01");
            let b = Date::from_days_since_epoch(a.days_since_epoch() + 400);
            let m0 = EquivalentModel::new(n, a, b, t).unwrap();
            // Composition: going Δ then the rest equals going the whole way.
            let mid = Date::from_days_since_epoch(a.days_since_epoch() + 150);
            let m1 = EquivalentModel::new(n, a, mid, t).unwrap();
            let m2 = EquivalentModel::new(m1.equivalent_params, mid, b, t).unwrap();
            prop_assert!((m2.equivalent_params / m0.equivalent_params - 1.0).abs() < 1e-12);
            // k doublings of the ratio ↔ k·T months.
            let r = density_ratio(f64::from(k) * t, t).unwrap();
            prop_assert!((r - 2f64.powi(k)).abs() < 1e-9 * r);
        }
    }
}
