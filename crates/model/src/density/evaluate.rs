//! The density section's entry point: every number the page and the CLI show, from a [`DensityInput`].

use super::super::date::Date;
use super::super::explain::{Explained, Source, DERIVED};
use super::device::{self, Device, DeviceFit, FitQuestion};
use super::fit::{self, DensityFit};
use super::reference::{self, ReferenceModel};
use super::{
    doubling_preset_for, seed_claim_rows, weight_bytes, DensityError, EquivalentModel, SeedRow,
    DEFAULT_DOUBLING_MONTHS, SRC_HOBBHAHN2023, SRC_LIU2024, SRC_XIAO2024_S33,
};
use crate::explain::Key;
use serde::Serialize;

/// The device part of the result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeviceReport {
    pub device: Device,
    pub bits: u32,
    /// When the reference capability fits the device.
    pub fit: DeviceFit,
    /// Device capacity at the target date, parameters (grows only with a hardware doubling time).
    pub capacity_at_target: f64,
    /// The equivalent model fits the device at the target date.
    pub fits_at_target: bool,
    /// Bandwidth-bound decode speed of the equivalent model at the target date, tokens/s.
    pub tokens_per_s_at_target: Option<f64>,
}

crate::hows! {
    /// The density section's explained numbers.
    DensityHow {
        months_elapsed: DensityMonthsElapsed,
        ratio: DensityRatio,
        equivalent_params: DensityEquivalentParams,
        inference_flops_per_token: DensityInferenceFlopsPerToken,
        weight_bytes: DensityWeightBytes,
        usd_per_million_tokens: DensityUsdPerMillionTokens,
        device_capacity_params: DensityDeviceCapacityParams,
        combined_doubling_months: DensityCombinedDoublingMonths,
        device_fit_months: DensityDeviceFitMonths,
        device_tokens_per_s: DensityDeviceTokensPerS,
        seed_param_ratio: DensitySeedParamRatio,
        fit_doubling_months: DensityFitDoublingMonths,
        fit_frontier_doubling_months: DensityFitFrontierDoublingMonths,
    }
}

/// Everything the density section shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DensityResult {
    /// Doubling time used, months.
    pub doubling_months: f64,
    /// The preset that doubling time matches, if any.
    pub doubling_preset: Option<&'static str>,
    /// The reference preset named by `density_ref`, if it is one.
    pub reference_preset: Option<ReferenceModel>,
    /// The model matching the reference at the target date.
    pub equivalent: Option<EquivalentModel>,
    /// Its weights at `device_bits`, bytes.
    pub weight_bytes: Option<f64>,
    /// Its serving price, USD per million output tokens, on the inference section's hardware
    /// (`igpu`, `wb`, `b`, `iprice`, `util`): the decode roofline of `model::inference`.
    pub usd_per_million_tokens: Option<f64>,
    pub device: Option<DeviceReport>,
    /// MiniCPM-1-2.4B vs GPT-3 175B, side by side with the presets.
    pub seed_check: Vec<SeedRow>,
    /// Fit of the user's table (all models).
    pub fit: Option<DensityFit>,
    /// Fit of the user's table's frontier (running maximum).
    pub fit_frontier: Option<DensityFit>,
    pub explained: Vec<Explained>,
    pub notes: Vec<DensityNote>,
}

impl DensityResult {
    /// Each number's explanation, as a field.
    pub fn how(&self) -> DensityHow {
        DensityHow::from_list(&self.explained)
    }
}

/// Something the density section tells the reader about its inputs or results: typed, with its
/// data, so each shell words it in its reader's language (the page in English or Chinese, the CLI
/// in English through `Display`) and none has to read another's text.
#[derive(Debug, Clone, PartialEq)]
pub enum DensityNote {
    /// The doubling time is not a number > 0; `used` instead.
    BadDoublingTime { given: f64, used: f64 },
    /// `density_ref` names no preset; the parameters and date given are used.
    UnknownReference { id: String },
    /// The preset's size or date differs from the inputs; the inputs are used.
    ReferenceMismatch {
        id: &'static str,
        preset_params: f64,
        preset_date: Date,
        params: f64,
        date: Date,
    },
    /// The target date precedes the reference date: the equivalent model is larger.
    TargetBeforeReference { target: Date, reference: Date },
    /// Weight precision outside 1–32 bits; 16 is used.
    BadBits { bits: u32 },
    /// A figure could not be computed (an input out of its domain, or out of range).
    Density(DensityError),
    /// The hardware doubling time is negative or not a number; hardware is held fixed.
    BadHwDoubling { given: f64 },
    /// `device` names no preset.
    UnknownDevice { id: String },
    /// The reference capability already fits the device at its own release date.
    FitsAtReference { device: &'static Device, date: Date },
    /// The pasted models table could not be read.
    ModelsTable(fit::FitError),
    /// A fit of the table found no growth (slope ≤ 0): no doubling time.
    NoGrowth { frontier: bool, slope_per_day: f64 },
    /// A fit of the table failed.
    FitFailed {
        frontier: bool,
        error: fit::FitError,
    },
}

impl DensityNote {
    /// Notes about the pasted models table, which the page shows next to the table itself.
    pub fn is_about_models_table(&self) -> bool {
        matches!(
            self,
            DensityNote::ModelsTable(_)
                | DensityNote::NoGrowth { .. }
                | DensityNote::FitFailed { .. }
        )
    }
}

impl std::fmt::Display for DensityNote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let which = |frontier: bool| if frontier { "frontier fit" } else { "fit" };
        match self {
            DensityNote::BadDoublingTime { given, used } => write!(
                f,
                "doubling time {given} months is not a number greater than 0; using {used}"
            ),
            DensityNote::UnknownReference { id } => write!(
                f,
                "reference model '{id}' is not a preset ({}); using the parameters and date given",
                reference::reference_ids().join(", ")
            ),
            DensityNote::ReferenceMismatch {
                id,
                preset_params,
                preset_date,
                params,
                date,
            } => write!(
                f,
                "reference '{id}' is {preset_params} parameters released {preset_date}, but the inputs say {params} parameters released {date}; using the inputs"
            ),
            DensityNote::TargetBeforeReference { target, reference } => write!(
                f,
                "target date {target} is before the reference date {reference}: the equivalent model is larger than the reference"
            ),
            DensityNote::BadBits { bits } => {
                write!(f, "weight precision {bits} bits is not 1–32; using 16")
            }
            DensityNote::Density(e) => e.fmt(f),
            DensityNote::BadHwDoubling { given } => write!(
                f,
                "hardware doubling time {given} months is not ≥ 0; treating hardware as fixed"
            ),
            DensityNote::UnknownDevice { id } => write!(
                f,
                "device '{id}' is not a preset ({})",
                device::device_ids().join(", ")
            ),
            DensityNote::FitsAtReference { device, date } => write!(
                f,
                "the reference capability already fits {} at its release date ({date})",
                device.name
            ),
            DensityNote::ModelsTable(e) => e.fmt(f),
            DensityNote::NoGrowth {
                frontier,
                slope_per_day,
            } => write!(
                f,
                "{}: no growth (slope {slope_per_day:.3e} per day ≤ 0), so no doubling time",
                which(*frontier)
            ),
            DensityNote::FitFailed { frontier, error } => {
                write!(f, "{}: {error}", which(*frontier))
            }
        }
    }
}

impl Serialize for DensityNote {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

const SRC_DENSITY_LAW: Source = SRC_XIAO2024_S33;

fn fmt_date(d: &Date) -> String {
    d.to_string()
}

/// The density section's inputs: exactly what [`evaluate`] uses.
#[derive(Debug, Clone, PartialEq)]
pub struct DensityInput {
    /// Density doubling time `T`, months.
    pub doubling_months: f64,
    /// The reference preset's id; `None`: the reader's own `ref_params`, `ref_date`.
    pub density_ref: Option<String>,
    /// Reference model parameters `N_ref`.
    pub ref_params: f64,
    /// Reference model release date `t_ref`.
    pub ref_date: Date,
    /// Target date `t`.
    pub target_date: Date,
    /// Device preset id.
    pub device: String,
    /// Weight precision on the device, bits.
    pub device_bits: u32,
    /// Hardware price-performance doubling time, months; `None`: hardware held fixed.
    pub hw_doubling_months: Option<f64>,
    /// The reader's models table (CSV), for the doubling-time fit; empty: none.
    pub models_csv: String,
    /// The serving price of the equivalent model uses the inference section's hardware:
    /// its GPU id,
    pub inf_gpu: String,
    /// weight bits,
    pub weight_bits: u32,
    /// concurrent sequences,
    pub batch: u32,
    /// USD per GPU-hour
    pub inf_price_per_gpu_hour: f64,
    /// and fleet utilisation.
    pub utilisation: f64,
}

impl Default for DensityInput {
    fn default() -> Self {
        crate::scenario::Scenario::default().density()
    }
}

/// Evaluates the density section. Never fails: bad inputs fall back to defaults
/// and say so in `notes`.
pub fn evaluate(s: &DensityInput) -> DensityResult {
    let mut notes = Vec::new();
    let mut ex = Vec::new();

    let t_d = if s.doubling_months.is_finite() && s.doubling_months > 0.0 {
        s.doubling_months
    } else {
        notes.push(DensityNote::BadDoublingTime {
            given: s.doubling_months,
            used: DEFAULT_DOUBLING_MONTHS,
        });
        DEFAULT_DOUBLING_MONTHS
    };
    let doubling_preset = doubling_preset_for(t_d).map(|p| p.id);
    let t_source = doubling_preset_for(t_d).map_or(DERIVED, |p| p.source);

    let reference_preset = match s.density_ref.as_deref() {
        None => None,
        Some(id) => match reference::reference_model(id) {
            Some(m) => Some(*m),
            None => {
                notes.push(DensityNote::UnknownReference { id: id.to_string() });
                None
            }
        },
    };
    if let Some(m) = &reference_preset {
        if m.params != s.ref_params || m.release != s.ref_date {
            notes.push(DensityNote::ReferenceMismatch {
                id: m.id,
                preset_params: m.params,
                preset_date: m.release,
                params: s.ref_params,
                date: s.ref_date,
            });
        }
    }
    if s.target_date < s.ref_date {
        notes.push(DensityNote::TargetBeforeReference {
            target: s.target_date,
            reference: s.ref_date,
        });
    }

    let bits = if (1..=32).contains(&s.device_bits) {
        s.device_bits
    } else {
        notes.push(DensityNote::BadBits {
            bits: s.device_bits,
        });
        16
    };

    let equivalent = match EquivalentModel::new(s.ref_params, s.ref_date, s.target_date, t_d) {
        Ok(m) => Some(m),
        Err(e) => {
            notes.push(DensityNote::Density(e));
            None
        }
    };
    let (wbytes, usd_m) = match &equivalent {
        Some(m) => equivalent_figures(s, m, t_d, t_source, bits, &mut ex),
        None => (None, None),
    };

    let hw = match s.hw_doubling_months {
        Some(h) if h.is_finite() && h > 0.0 => Some(h),
        Some(given) => {
            notes.push(DensityNote::BadHwDoubling { given });
            None
        }
        None => None,
    };

    let device = device_report(s, t_d, t_source, hw, bits, equivalent, &mut notes, &mut ex);

    let seed_check = seed_claim_rows();
    if let Some(r) = seed_check.first() {
        ex.push(Explained::new(
            Key::DensitySeedParamRatio,
            r.ratio,
            "×",
            "N_GPT-3 / N_MiniCPM",
            format!(
                "175e9 / 2.4e9 = {:.2} (talk: about 86×); implied T = {:.2} months",
                r.ratio, r.doubling_months
            ),
            SRC_LIU2024,
        ));
    }

    let (fit_all, fit_front) = table_fits(s, &mut notes, &mut ex);

    DensityResult {
        doubling_months: t_d,
        doubling_preset,
        reference_preset,
        equivalent,
        weight_bytes: wbytes,
        usd_per_million_tokens: usd_m,
        device,
        seed_check,
        fit: fit_all,
        fit_frontier: fit_front,
        explained: ex,
        notes,
    }
}

/// The equivalent model's figures with their explanations: months elapsed, density ratio, size,
/// FLOPs per token, and (returned) its weights on the device and its serving price on the
/// inference section's hardware.
fn equivalent_figures(
    s: &DensityInput,
    m: &EquivalentModel,
    t_d: f64,
    t_source: Source,
    bits: u32,
    ex: &mut Vec<Explained>,
) -> (Option<f64>, Option<f64>) {
    let mut usd_m = None;
    ex.push(Explained::new(
        Key::DensityMonthsElapsed,
        m.months_elapsed,
        "months",
        "Δ = (t − t_ref) days / 30.436875",
        format!(
            "Δ = {} days ({} → {}) / 30.436875 = {:.3}",
            m.days_elapsed,
            fmt_date(&m.reference_date),
            fmt_date(&m.date),
            m.months_elapsed
        ),
        DERIVED,
    ));
    ex.push(Explained::new(
        Key::DensityRatio,
        m.density_ratio,
        "×",
        "ρ(t)/ρ(t_ref) = 2^(Δ/T)",
        format!(
            "2^({:.3}/{}) = {:.4e}",
            m.months_elapsed, t_d, m.density_ratio
        ),
        t_source,
    ));
    ex.push(Explained::new(
        Key::DensityEquivalentParams,
        m.equivalent_params,
        "params",
        "N(t) = N_ref·2^(−Δ/T)",
        format!(
            "{:.4e} / {:.4e} = {:.4e}",
            m.reference_params, m.density_ratio, m.equivalent_params
        ),
        // The value rests on the doubling time T: its preset's source (the form N_ref·2^(−Δ/T)
        // is the Densing Law's, cited when T is the reader's own).
        if t_source == DERIVED {
            SRC_DENSITY_LAW
        } else {
            t_source
        },
    ));
    ex.push(Explained::new(
        Key::DensityInferenceFlopsPerToken,
        m.inference_flops_per_token,
        "FLOP/token",
        "C_tok = 2·N(t)",
        format!(
            "2 × {:.4e} = {:.4e}",
            m.equivalent_params, m.inference_flops_per_token
        ),
        DERIVED,
    ));
    let w = weight_bytes(m.equivalent_params, bits);
    let wbytes = Some(w);
    ex.push(Explained::new(
        Key::DensityWeightBytes,
        w,
        "bytes",
        "M_w = N(t)·b/8",
        format!("{:.4e} × {bits}/8 = {:.4e}", m.equivalent_params, w),
        DERIVED,
    ));
    // Serving price on the inference section's hardware and batch.
    let gpu = crate::hardware::gpu(&s.inf_gpu);
    let wbytes_per_param = f64::from(s.weight_bits) / 8.0;
    let cal = crate::inference::CALIBRATION;
    if let Some(g) = gpu {
        usd_m = m.usd_per_million_tokens(|n| {
            crate::inference::decode_cost_per_token_usd(
                n,
                g,
                wbytes_per_param,
                f64::from(s.batch.max(1)),
                s.inf_price_per_gpu_hour,
                s.utilisation,
                &cal,
            )
        });
        if let Some(u) = usd_m {
            ex.push(Explained::new(
                Key::DensityUsdPerMillionTokens,
                u,
                "USD",
                "$/M = 10⁶ · p/3600/u · t_step/B, t_step = max(N(t)·β/(η_bw·BW), 2·N(t)·B/(η_c·F)) + t_o",
                format!(
                    "N(t) = {:.4e} on {}: β = {wbytes_per_param} B, B = {}, p = {} $/GPU-h, u = {}, η_bw = {}, η_c = {}, t_o = {} s → {u:.4}",
                    m.equivalent_params,
                    g.name,
                    s.batch.max(1),
                    s.inf_price_per_gpu_hour,
                    s.utilisation,
                    cal.bandwidth_fraction,
                    cal.compute_fraction,
                    cal.decode_step_overhead_s
                ),
                crate::inference::SRC_TRTLLM,
            ));
        }
    }
    (wbytes, usd_m)
}

/// When the reference capability fits the device, and what it does at the target date.
#[allow(clippy::too_many_arguments)]
fn device_report(
    s: &DensityInput,
    t_d: f64,
    t_source: Source,
    hw: Option<f64>,
    bits: u32,
    equivalent: Option<EquivalentModel>,
    notes: &mut Vec<DensityNote>,
    ex: &mut Vec<Explained>,
) -> Option<DeviceReport> {
    match device::device(&s.device) {
        None => {
            notes.push(DensityNote::UnknownDevice {
                id: s.device.clone(),
            });
            None
        }
        Some(dev) => {
            let q = FitQuestion {
                reference_params: s.ref_params,
                reference_date: s.ref_date,
                doubling_months: t_d,
                device: dev,
                bits,
                min_tokens_per_s: None,
                hw_doubling_months: hw,
            };
            match (q.solve(), q.capacity_at(&s.target_date)) {
                (Ok(f), Ok(cap_t)) => {
                    ex.push(Explained::new(
                        Key::DensityDeviceCapacityParams,
                        f.capacity_params,
                        "params",
                        "N_mem = M·u·8/b",
                        format!(
                            "{:.4e} B × {} × 8/{bits} = {:.4e}",
                            dev.memory_bytes, dev.usable_fraction, f.capacity_params
                        ),
                        dev.source,
                    ));
                    ex.push(Explained::new(
                        Key::DensityCombinedDoublingMonths,
                        f.combined_doubling_months,
                        "months",
                        "1/T = 1/T_d + 1/T_hw",
                        match hw {
                            Some(h) => {
                                format!("1/(1/{t_d} + 1/{h}) = {:.3}", f.combined_doubling_months)
                            }
                            None => format!("hardware fixed: T = T_d = {t_d}"),
                        },
                        if hw.is_some() {
                            SRC_HOBBHAHN2023
                        } else {
                            t_source
                        },
                    ));
                    ex.push(Explained::new(
                        Key::DensityDeviceFitMonths,
                        f.months_after_reference,
                        "months",
                        "t* − t_ref = T·(log₂(N_ref/N_cap) + (t_dev − t_ref)/T_hw)",
                        format!(
                            "{:.3}·(log₂({:.4e}/{:.4e}){}) = {:.3} → {}",
                            f.combined_doubling_months,
                            s.ref_params,
                            f.capacity_params,
                            match hw {
                                Some(h) =>
                                    format!(" + {:.3}/{h}", s.ref_date.months_until(&dev.as_of)),
                                None => String::new(),
                            },
                            f.months_after_reference,
                            f.date.map_or("beyond 1900–2200".into(), |d| d.to_string())
                        ),
                        DERIVED,
                    ));
                    if f.fits_at_reference {
                        notes.push(DensityNote::FitsAtReference {
                            device: dev,
                            date: s.ref_date,
                        });
                    }
                    let eq_params = equivalent.map(|m| m.equivalent_params);
                    let tps = eq_params.and_then(|n| dev.tokens_per_s(n, bits).ok());
                    if let (Some(n), Some(r)) = (eq_params, tps) {
                        ex.push(Explained::new(
                            Key::DensityDeviceTokensPerS,
                            r,
                            "tokens/s",
                            "r ≈ W/(N(t)·b/8)",
                            format!(
                                "{:.4e} B/s / ({:.4e} × {bits}/8) = {:.1}",
                                dev.bandwidth_bytes_per_s, n, r
                            ),
                            dev.source,
                        ));
                    }
                    Some(DeviceReport {
                        device: *dev,
                        bits,
                        fits_at_target: eq_params.is_some_and(|n| n <= cap_t),
                        capacity_at_target: cap_t,
                        tokens_per_s_at_target: tps,
                        fit: f,
                    })
                }
                (Err(e), _) | (_, Err(e)) => {
                    notes.push(DensityNote::Density(e));
                    None
                }
            }
        }
    }
}

/// The doubling time fitted on the reader's models table: on every row and on the frontier.
fn table_fits(
    s: &DensityInput,
    notes: &mut Vec<DensityNote>,
    ex: &mut Vec<Explained>,
) -> (Option<DensityFit>, Option<DensityFit>) {
    let (mut fit_all, mut fit_front) = (None, None);
    if !s.models_csv.trim().is_empty() {
        match fit::parse_models_csv(&s.models_csv) {
            Err(e) => notes.push(DensityNote::ModelsTable(e)),
            Ok(models) => {
                for frontier in [false, true] {
                    match fit::fit(&models, frontier) {
                        Ok(f) => {
                            let key = if frontier {
                                Key::DensityFitFrontierDoublingMonths
                            } else {
                                Key::DensityFitDoublingMonths
                            };
                            match f.doubling_months {
                                Some(t) => ex.push(Explained::new(
                                    key,
                                    t,
                                    "months",
                                    "T = ln 2/A (ln ρ = A·t + B, least squares)",
                                    format!(
                                        "ln 2 / {:.5}/day / 30.436875 = {:.3}; 95% CI [{}, {}]; R² = {}",
                                        f.slope_per_day,
                                        t,
                                        f.ci95_months[0].map_or("—".into(), |x| format!("{x:.3}")),
                                        f.ci95_months[1].map_or("unbounded".into(), |x| format!("{x:.3}")),
                                        f.r2.map_or("—".into(), |x| format!("{x:.3}"))
                                    ),
                                    SRC_XIAO2024_S33,
                                )),
                                None => notes.push(DensityNote::NoGrowth {
                                    frontier,
                                    slope_per_day: f.slope_per_day,
                                }),
                            }
                            if frontier {
                                fit_front = Some(f);
                            } else {
                                fit_all = Some(f);
                            }
                        }
                        Err(error) => notes.push(DensityNote::FitFailed { frontier, error }),
                    }
                }
            }
        }
    }
    (fit_all, fit_front)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serving_price_of_the_equivalent_model_falls_with_time() {
        // Two routes: the section's card and the inference model's decode cost at N(t).
        let s = DensityInput::default();
        let r = evaluate(&s);
        let m = r.equivalent.unwrap();
        let direct = crate::inference::decode_cost_per_token_usd(
            m.equivalent_params,
            crate::hardware::gpu(&s.inf_gpu).unwrap(),
            f64::from(s.weight_bits) / 8.0,
            f64::from(s.batch),
            s.inf_price_per_gpu_hour,
            s.utilisation,
            &crate::inference::CALIBRATION,
        )
        .unwrap();
        assert_eq!(r.usd_per_million_tokens, Some(direct * 1e6));
        assert!(find_key(&r.explained, Key::DensityUsdPerMillionTokens));
        // A later date: a smaller equivalent model, a lower price.
        let later = evaluate(&DensityInput {
            target_date: crate::date::Date::parse("2030-01-01").unwrap(),
            ..DensityInput::default()
        });
        assert!(later.usd_per_million_tokens.unwrap() < r.usd_per_million_tokens.unwrap());
    }

    fn find_key(ex: &[Explained], key: Key) -> bool {
        ex.iter().any(|e| e.key == key)
    }

    #[test]
    fn default_scenario() {
        let r = evaluate(&DensityInput::default());
        assert!(r.notes.is_empty(), "{:?}", r.notes);
        assert_eq!(r.doubling_preset, Some("seed-8"));
        let m = r.equivalent.unwrap();
        assert!(m.equivalent_params < 175e9 && m.equivalent_params > 1e8);
        let d = r.device.unwrap();
        assert_eq!(d.device.id, "phone-12gb");
        assert!(d.fit.date.is_some());
        for key in [
            Key::DensityRatio,
            Key::DensityEquivalentParams,
            Key::DensityDeviceFitMonths,
            Key::DensityCombinedDoublingMonths,
        ] {
            assert!(r.explained.iter().any(|e| e.key == key), "{key}");
        }
        assert!(r.explained.iter().all(|e| e.value.is_finite()));
        serde_json::to_string(&evaluate(&DensityInput::default())).unwrap();
    }

    #[test]
    fn bad_inputs_are_noted() {
        let s = DensityInput {
            doubling_months: -1.0,
            density_ref: Some("nope".into()),
            device: "toaster".into(),
            device_bits: 0,
            hw_doubling_months: Some(f64::NAN),
            target_date: Date::parse("2019-01-01").unwrap(),
            models_csv: "name,date,params,density\na,2024-01-01,1e9,1\n".into(),
            ..DensityInput::default()
        };
        let r = evaluate(&s);
        let all = r
            .notes
            .iter()
            .map(|n| n.to_string())
            .collect::<Vec<_>>()
            .join("\n");
        for needle in [
            "doubling time",
            "'nope'",
            "'toaster'",
            "0 bits",
            "hardware",
            "before the reference",
            "at least 3 models",
        ] {
            assert!(all.contains(needle), "missing {needle}: {all}");
        }
        assert!(r.equivalent.unwrap().equivalent_params > 175e9);
    }

    #[test]
    fn fit_and_hardware_growth() {
        let s = DensityInput {
            hw_doubling_months: Some(device::HW_DOUBLING_MONTHS_HOBBHAHN),
            models_csv: "name,date,params,density\na,2023-01-01,1e9,1\nb,2023-06-01,1e9,3\nc,2023-12-01,1e9,5\nd,2024-06-01,1e9,30\n".into(),
            ..DensityInput::default()
        };
        let r = evaluate(&s);
        assert!(r.fit.as_ref().unwrap().growth);
        assert!(r.fit_frontier.is_some());
        let c = r.device.unwrap().fit.combined_doubling_months;
        assert!(c < 8.0);
    }
}
