//! The doubling time from data: a least-squares line through ln ρ against the release date.
//!
//! # Formula
//! `ln ρ_i = A·t_i + B + ε_i` (`t` in days, ordinary least squares), doubling time
//! `T = ln 2 / A` days, reported in months of 30.436875 days.
//! - 95% CI on `A`: `A ± t_{0.975, n−2}·s/√Sxx`, `s² = SSE/(n − 2)`, `Sxx = Σ(t_i − t̄)²`;
//!   mapped through `T = ln 2/A` (monotone for `A > 0`): `[ln 2/A_hi, ln 2/A_lo]`. When
//!   `A_lo ≤ 0` the upper end is unbounded (`None`), never infinite or negative.
//! - `R² = 1 − SSE/SST`.
//!
//! Reference: Xiao et al. 2024, arXiv 2412.04315 v2 §3.3 (`ln ρ_max = A·t + B`, t in days). The
//! paper fits the maximum density over time; `frontier = true` keeps only models that set a new
//! running maximum, the closest reproducible reading of that.

use super::super::date::{Date, DAYS_PER_MONTH};
use serde::Serialize;
use statrs::distribution::{ContinuousCDF, StudentsT};
use std::f64::consts::LN_2;

/// One model of the user's table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelPoint {
    pub name: String,
    pub date: Date,
    /// Actual parameters `N`.
    pub params: f64,
    /// Density `ρ = N̂/N` (given, or computed from `effective_params`).
    pub density: f64,
}

/// Why a table or a fit was rejected. Rows are counted from 1 after the header.
#[derive(Debug, Clone, PartialEq)]
pub enum FitError {
    /// The CSV itself could not be read.
    Csv(String),
    /// A required column is absent.
    MissingColumn(&'static str),
    /// Neither `effective_params` nor `density` is present.
    NoCapabilityColumn,
    /// A date that is not `YYYY-MM-DD`.
    BadDate {
        row: usize,
        value: String,
        reason: String,
    },
    /// A number that does not parse.
    BadNumber {
        row: usize,
        column: &'static str,
        value: String,
    },
    /// A size or density that is zero, negative or not finite.
    NotPositive {
        row: usize,
        column: &'static str,
        value: f64,
    },
    /// Fewer than 3 models (after the frontier filter, if any).
    TooFewModels { n: usize, frontier: bool },
    /// Every model has the same date: no slope can be fitted.
    SingleDate,
}

impl std::fmt::Display for FitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FitError::Csv(e) => write!(f, "models table: {e}"),
            FitError::MissingColumn(c) => write!(f, "models table: the header has no '{c}' column (need name, date, params, and effective_params or density)"),
            FitError::NoCapabilityColumn => write!(f, "models table: the header needs an 'effective_params' or a 'density' column"),
            FitError::BadDate { row, value, reason } => write!(f, "models table row {row}: date '{value}' is not valid ({reason})"),
            FitError::BadNumber { row, column, value } => write!(f, "models table row {row}: {column} '{value}' is not a number"),
            FitError::NotPositive { row, column, value } => write!(f, "models table row {row}: {column} must be a finite number greater than 0, got {value}"),
            FitError::TooFewModels { n, frontier } => write!(
                f,
                "a density fit needs at least 3 models, got {n}{}",
                if *frontier { " on the frontier (running maximum)" } else { "" }
            ),
            FitError::SingleDate => write!(f, "all models have the same date: no trend over time can be fitted"),
        }
    }
}

impl std::error::Error for FitError {}

/// Parses a models table: a header with `name`, `date`, `params`, and `effective_params` or
/// `density` (when both are present, `effective_params` wins). Column names are case-insensitive;
/// other columns are ignored.
///
/// ```
/// use scalecalc_model::density::fit::parse_models_csv;
/// let m = parse_models_csv("name,date,params,effective_params\na,2024-01-01,2e9,4e9\n").unwrap();
/// assert_eq!(m[0].density, 2.0);
/// ```
pub fn parse_models_csv(text: &str) -> Result<Vec<ModelPoint>, FitError> {
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        .from_reader(text.as_bytes());
    let header = rdr
        .headers()
        .map_err(|e| FitError::Csv(e.to_string()))?
        .clone();
    let col = |name: &str| header.iter().position(|h| h.eq_ignore_ascii_case(name));
    let c_name = col("name").ok_or(FitError::MissingColumn("name"))?;
    let c_date = col("date").ok_or(FitError::MissingColumn("date"))?;
    let c_params = col("params").ok_or(FitError::MissingColumn("params"))?;
    let cap = match (col("effective_params"), col("density")) {
        (Some(i), _) => (i, "effective_params"),
        (None, Some(i)) => (i, "density"),
        (None, None) => return Err(FitError::NoCapabilityColumn),
    };
    let mut out = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        let row = i + 1;
        let rec = rec.map_err(|e| FitError::Csv(format!("row {row}: {e}")))?;
        let field = |c: usize| rec.get(c).unwrap_or("").to_string();
        let raw_date = field(c_date);
        let date = Date::parse(&raw_date).map_err(|e| FitError::BadDate {
            row,
            value: raw_date.clone(),
            reason: e.to_string(),
        })?;
        let number = |c: usize, column: &'static str| -> Result<f64, FitError> {
            let s = field(c);
            let x: f64 = s.parse().map_err(|_| FitError::BadNumber {
                row,
                column,
                value: s.clone(),
            })?;
            if x.is_finite() && x > 0.0 {
                Ok(x)
            } else {
                Err(FitError::NotPositive {
                    row,
                    column,
                    value: x,
                })
            }
        };
        let params = number(c_params, "params")?;
        let v = number(cap.0, cap.1)?;
        let density = if cap.1 == "effective_params" {
            v / params
        } else {
            v
        };
        out.push(ModelPoint {
            name: field(c_name),
            date,
            params,
            density,
        });
    }
    Ok(out)
}

/// Models that set a new running maximum of density, in date order (ties on a date: the densest).
pub fn frontier(models: &[ModelPoint]) -> Vec<ModelPoint> {
    let mut sorted: Vec<&ModelPoint> = models.iter().collect();
    sorted.sort_by(|a, b| a.date.cmp(&b.date).then(b.density.total_cmp(&a.density)));
    let mut best = f64::NEG_INFINITY;
    let mut out = Vec::new();
    for m in sorted {
        if m.density > best {
            best = m.density;
            out.push(m.clone());
        }
    }
    out
}

/// A fitted density trend.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DensityFit {
    pub n_models: usize,
    /// Only the running maximum was fitted.
    pub frontier: bool,
    /// The models used, in input (or frontier) order.
    pub models: Vec<ModelPoint>,
    /// `A`, per day.
    pub slope_per_day: f64,
    /// `B`: ln ρ at 1970-01-01 (t = 0 days).
    pub intercept: f64,
    /// 95% CI on `A`, per day.
    pub slope_ci95: [f64; 2],
    /// `ln 2/A` in months; `None` when `A ≤ 0` (no growth).
    pub doubling_months: Option<f64>,
    /// 95% CI of the doubling time, months: `[low, high]`; `high = None` is unbounded.
    pub ci95_months: [Option<f64>; 2],
    /// `R²`; `None` when every density is equal (SST = 0).
    pub r2: Option<f64>,
    /// `A > 0`.
    pub growth: bool,
    /// Mean date, days since 1970-01-01.
    pub t_mean: f64,
    /// `Sxx`, days².
    pub sxx: f64,
    /// Residual standard deviation `s` of ln ρ.
    pub residual_sd: f64,
    /// `t_{0.975, n−2}`.
    pub t_crit: f64,
}

/// Fits `ln ρ = A·t + B` (see the module docs).
///
/// ```
/// use scalecalc_model::density::fit::{fit, parse_models_csv};
/// // Density doubles every 100 days exactly.
/// let csv = "name,date,params,density\na,2023-01-01,1e9,1\nb,2023-04-11,1e9,2\nc,2023-07-20,1e9,4\n";
/// let f = fit(&parse_models_csv(csv).unwrap(), false).unwrap();
/// assert!((f.doubling_months.unwrap() - 100.0 / 30.436875).abs() < 1e-9);
/// ```
pub fn fit(models: &[ModelPoint], use_frontier: bool) -> Result<DensityFit, FitError> {
    let used: Vec<ModelPoint> = if use_frontier {
        frontier(models)
    } else {
        models.to_vec()
    };
    let n = used.len();
    if n < 3 {
        return Err(FitError::TooFewModels {
            n,
            frontier: use_frontier,
        });
    }
    let xs: Vec<f64> = used
        .iter()
        .map(|m| m.date.days_since_epoch() as f64)
        .collect();
    let ys: Vec<f64> = used.iter().map(|m| m.density.ln()).collect();
    let nf = n as f64;
    let xm = xs.iter().sum::<f64>() / nf;
    let ym = ys.iter().sum::<f64>() / nf;
    let sxx: f64 = xs.iter().map(|x| (x - xm).powi(2)).sum();
    if sxx == 0.0 {
        return Err(FitError::SingleDate);
    }
    let sxy: f64 = xs.iter().zip(&ys).map(|(x, y)| (x - xm) * (y - ym)).sum();
    let sst: f64 = ys.iter().map(|y| (y - ym).powi(2)).sum();
    let a = sxy / sxx;
    let b = ym - a * xm;
    let sse: f64 = xs
        .iter()
        .zip(&ys)
        .map(|(x, y)| (y - (a * x + b)).powi(2))
        .sum();
    let s = (sse / (nf - 2.0)).sqrt();
    let t_crit = student_t_975(n - 2);
    let half = t_crit * s / sxx.sqrt();
    let (a_lo, a_hi) = (a - half, a + half);
    let months = |slope: f64| (slope > 0.0).then(|| LN_2 / slope / DAYS_PER_MONTH);
    Ok(DensityFit {
        n_models: n,
        frontier: use_frontier,
        models: used,
        slope_per_day: a,
        intercept: b,
        slope_ci95: [a_lo, a_hi],
        doubling_months: months(a),
        // A larger slope means a shorter doubling time: the low end comes from A_hi.
        ci95_months: [months(a_hi), months(a_lo)],
        r2: (sst > 0.0).then(|| 1.0 - sse / sst),
        growth: a > 0.0,
        t_mean: xm,
        sxx,
        residual_sd: s,
        t_crit,
    })
}

/// The two-sided 95% quantile of Student's t with `df ≥ 1` degrees of freedom.
fn student_t_975(df: usize) -> f64 {
    // df ≥ 1 is guaranteed by n ≥ 3; StudentsT::new only fails for df ≤ 0 or NaN.
    StudentsT::new(0.0, 1.0, df as f64)
        .map(|t| t.inverse_cdf(0.975))
        .unwrap_or(f64::NAN)
}

impl DensityFit {
    /// Fitted density at `date` with the 95% confidence band of the mean:
    /// `(ρ̂, low, high)`, `ln ρ̂ = A·t + B`, band `± t_crit·s·√(1/n + (t − t̄)²/Sxx)`.
    pub fn predict(&self, date: &Date) -> (f64, f64, f64) {
        let t = date.days_since_epoch() as f64;
        let y = self.slope_per_day * t + self.intercept;
        let h = self.t_crit
            * self.residual_sd
            * (1.0 / self.n_models as f64 + (t - self.t_mean).powi(2) / self.sxx).sqrt();
        (y.exp(), (y - h).exp(), (y + h).exp())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(days: i64) -> Date {
        Date::from_days_since_epoch(days)
    }

    /// A small deterministic generator (SplitMix64) with Box–Muller normals, for simulations.
    struct Rng(u64);
    impl Rng {
        fn next_u64(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }
        fn uniform(&mut self) -> f64 {
            ((self.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
        }
        fn normal(&mut self) -> f64 {
            let (u, v) = (self.uniform(), self.uniform());
            (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
        }
    }

    fn synthetic(rng: &mut Rng, n: usize, months: f64, sigma: f64) -> Vec<ModelPoint> {
        let start = Date::parse("2023-01-01").unwrap().days_since_epoch();
        let a = LN_2 / (months * DAYS_PER_MONTH);
        (0..n)
            .map(|i| {
                let t = start + (rng.uniform() * 800.0) as i64;
                let y = a * (t - start) as f64 + sigma * rng.normal();
                ModelPoint {
                    name: format!("m{i}"),
                    date: d(t),
                    params: 1e9,
                    density: y.exp(),
                }
            })
            .collect()
    }

    #[test]
    fn recovers_known_doubling_time() {
        let mut rng = Rng(7);
        let pts = synthetic(&mut rng, 200, 3.3, 0.05);
        let f = fit(&pts, false).unwrap();
        let t = f.doubling_months.unwrap();
        assert!((t - 3.3).abs() < 0.02, "{t}");
        let [lo, hi] = f.ci95_months;
        assert!(lo.unwrap() < 3.3 && 3.3 < hi.unwrap());
        assert!(f.r2.unwrap() > 0.99);
    }

    /// The 95% CI covers the true doubling time at about the nominal rate.
    #[test]
    fn ci_coverage_is_nominal() {
        const SETS: usize = 500;
        let truth = 6.0;
        let mut rng = Rng(2024);
        let mut covered = 0;
        for _ in 0..SETS {
            let pts = synthetic(&mut rng, 10, truth, 0.6);
            let f = fit(&pts, false).unwrap();
            let lo = f.ci95_months[0].unwrap_or(f64::INFINITY);
            let hi = f.ci95_months[1].unwrap_or(f64::INFINITY);
            if lo <= truth && truth <= hi {
                covered += 1;
            }
        }
        let rate = covered as f64 / SETS as f64;
        eprintln!("95% CI coverage over {SETS} simulated sets: {rate}");
        assert!((0.90..=0.98).contains(&rate), "coverage {rate}");
    }

    #[test]
    fn no_growth_and_unbounded() {
        let pts: Vec<_> = [(0, 2.0), (100, 1.5), (200, 1.0), (300, 0.8)]
            .iter()
            .map(|&(t, r)| ModelPoint {
                name: String::new(),
                date: d(19_000 + t),
                params: 1.0,
                density: r,
            })
            .collect();
        let f = fit(&pts, false).unwrap();
        assert!(!f.growth && f.doubling_months.is_none());
        // Noisy weak growth: the upper end is unbounded, never negative.
        let pts: Vec<_> = [(0, 1.0), (100, 3.0), (200, 0.9), (300, 1.5)]
            .iter()
            .map(|&(t, r)| ModelPoint {
                name: String::new(),
                date: d(19_000 + t),
                params: 1.0,
                density: r,
            })
            .collect();
        let f = fit(&pts, false).unwrap();
        assert!(f.growth);
        assert!(f.ci95_months[1].is_none());
        assert!(f.ci95_months[0].unwrap() > 0.0);
    }

    #[test]
    fn frontier_keeps_running_max() {
        let csv = "name,date,params,density\n\
                   a,2023-01-01,1e9,1\nb,2023-02-01,1e9,0.5\nc,2023-03-01,1e9,2\n\
                   c2,2023-03-01,1e9,1.5\nd,2023-05-01,1e9,1.9\ne,2023-06-01,1e9,4\n";
        let m = parse_models_csv(csv).unwrap();
        let fr = frontier(&m);
        let names: Vec<_> = fr.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["a", "c", "e"]);
        assert!(fit(&m, true).unwrap().frontier);
    }

    #[test]
    fn bad_tables() {
        let h = "name,date,params,density\n";
        let e = parse_models_csv(&format!("{h}a,2024-13-01,1e9,1\n")).unwrap_err();
        assert!(matches!(e, FitError::BadDate { row: 1, .. }), "{e}");
        assert!(e.to_string().contains("row 1"));
        let e =
            parse_models_csv(&format!("{h}a,2024-01-01,1e9,1\nb,2024-01-02,0,1\n")).unwrap_err();
        assert!(
            matches!(
                e,
                FitError::NotPositive {
                    row: 2,
                    column: "params",
                    ..
                }
            ),
            "{e}"
        );
        let e = parse_models_csv(&format!("{h}a,2024-01-01,-1e9,1\n")).unwrap_err();
        assert!(matches!(e, FitError::NotPositive { .. }));
        let e = parse_models_csv(&format!("{h}a,2024-01-01,abc,1\n")).unwrap_err();
        assert!(matches!(e, FitError::BadNumber { .. }));
        assert_eq!(
            parse_models_csv("name,date,params\n").unwrap_err(),
            FitError::NoCapabilityColumn
        );
        assert_eq!(
            parse_models_csv("name,params,density\n").unwrap_err(),
            FitError::MissingColumn("date")
        );
        let two =
            parse_models_csv(&format!("{h}a,2024-01-01,1e9,1\nb,2024-02-01,1e9,2\n")).unwrap();
        assert_eq!(
            fit(&two, false).unwrap_err(),
            FitError::TooFewModels {
                n: 2,
                frontier: false
            }
        );
        let same = parse_models_csv(&format!(
            "{h}a,2024-01-01,1e9,1\nb,2024-01-01,1e9,2\nc,2024-01-01,1e9,3\n"
        ))
        .unwrap();
        assert_eq!(fit(&same, false).unwrap_err(), FitError::SingleDate);
        let flat = parse_models_csv(&format!(
            "{h}a,2024-01-01,1e9,1\nb,2024-02-01,1e9,1\nc,2024-03-01,1e9,1\n"
        ))
        .unwrap();
        let f = fit(&flat, false).unwrap();
        assert!(f.r2.is_none() && f.doubling_months.is_none());
    }

    #[test]
    fn band_contains_fit_and_narrows_at_mean() {
        let mut rng = Rng(3);
        let f = fit(&synthetic(&mut rng, 20, 4.0, 0.3), false).unwrap();
        let mid = d(f.t_mean.round() as i64);
        let far = d(f.t_mean.round() as i64 + 2000);
        let (m, lo, hi) = f.predict(&mid);
        assert!(lo < m && m < hi);
        let (m2, lo2, hi2) = f.predict(&far);
        assert!((hi2 / lo2) > (hi / lo) && lo2 < m2);
    }
}
