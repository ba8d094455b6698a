//! Bootstrap uncertainty of the fit: resample the runs with replacement, refit, read percentiles.
//!
//! # Method
//! For `b = 1…B`: draw `n` runs with replacement from the `n` runs (seeded, reproducible: each
//! resample has its own generator seeded from `(seed, b)`, so the result does not depend on how
//! the work is chunked), refit, keep the law. The 95% interval of a quantity is the 2.5th and
//! 97.5th percentile of its `B` values (the percentile bootstrap, Efron & Tibshirani 1993, §13.3).
//! Besiroglu et al. 2024 (arXiv 2404.10102 §4) bootstrap the Chinchilla fit the same way.
//!
//! # Starts of each refit (our choice)
//! Rerunning the 4,500-start grid per resample costs `B` full fits. A resample differs little from
//! the full data, so each refit starts instead from the full-data optimum **and** the other
//! distinct local minima the full grid found (up to [`super::LOCAL_OPTIMA_KEPT`] in all), so a
//! resample that prefers another basin can still reach it; the best converged result is kept. A
//! resample with no converged start, too few distinct `N` or `D`, or a law with a non-positive
//! constant is counted in `failed` and left out of the percentiles.

use super::runs::{Runs, MIN_DISTINCT};
use super::{law_of, Data, FitError, FitOptions, FitReport, Progress};
use crate::explain::Key;
use crate::explain::{Explained, Source};
use crate::scaling::{Allocation, ParametricLaw};
use serde::Serialize;

/// The percentile bootstrap of the compute-optimal allocation.
pub const SRC_BOOTSTRAP: Source = Source {
    id: "efron1993",
    citation: "Efron & Tibshirani 1993, An Introduction to the Bootstrap (as used for the Chinchilla fit by Besiroglu et al. 2024)",
    locator: "§13.3 (percentile interval); Besiroglu et al. 2024, arXiv 2404.10102 §4",
    url: "https://arxiv.org/abs/2404.10102",
};

/// SplitMix64 (Steele, Lea, Flood 2014, "Fast splittable pseudorandom number generators"):
/// a tiny, good-enough generator for resampling; no `rand` dependency.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix64(self.0)
    }

    /// A uniform index in `0..n` (Lemire's multiply-shift; bias below 2⁻⁵⁰ for `n < 2¹⁴`).
    pub fn below(&mut self, n: usize) -> usize {
        ((self.next_u64() as u128 * n as u128) >> 64) as usize
    }
}

/// SplitMix64's output function (a bijective 64-bit mixer).
fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The most resamples a bootstrap takes (the link's `boot` and the CLI's `--bootstrap` share it):
/// far beyond what a 95% interval needs (Efron and Tibshirani 1993 suggest 1,000–2,000), and a
/// bound on memory and time whatever the input.
pub const MAX_RESAMPLES: usize = 10_000;

/// Options of the bootstrap.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BootstrapOptions {
    /// Number of resamples `B`.
    pub resamples: usize,
    /// Seed of the generator.
    pub seed: u64,
    /// The budget `C` (FLOP) at which the derived quantities (N*, D*, loss, D*/N*) are read.
    pub budget_flops: f64,
}

impl Default for BootstrapOptions {
    fn default() -> Self {
        Self {
            resamples: 1000,
            seed: 1,
            budget_flops: 5.76e23,
        }
    }
}

/// Why the bootstrap cannot run or has nothing to report.
#[derive(Debug, Clone, PartialEq)]
pub enum BootstrapError {
    /// A bad option.
    InvalidOption {
        name: &'static str,
        value: f64,
        rule: &'static str,
    },
    /// The fit options are bad.
    Fit(FitError),
    /// Fewer than two resamples succeeded: no interval.
    TooFewSuccessful { succeeded: usize, resamples: usize },
}

impl std::fmt::Display for BootstrapError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BootstrapError::InvalidOption { name, value, rule } => {
                write!(f, "bootstrap option {name} = {value}: {rule}")
            }
            BootstrapError::Fit(e) => e.fmt(f),
            BootstrapError::TooFewSuccessful {
                succeeded,
                resamples,
            } => write!(
                f,
                "bootstrap: only {succeeded} of {resamples} resamples gave a fit; no interval"
            ),
        }
    }
}

impl std::error::Error for BootstrapError {}

/// A 95% percentile interval `[low, high]` per law constant (serialised with the law's keys).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LawIntervals {
    #[serde(rename = "E")]
    pub e: [f64; 2],
    #[serde(rename = "A")]
    pub a: [f64; 2],
    #[serde(rename = "B")]
    pub b: [f64; 2],
    pub alpha: [f64; 2],
    pub beta: [f64; 2],
}

/// 95% intervals of the compute-optimal allocation at the chosen budget.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct AllocationIntervals {
    pub flops: f64,
    pub params: [f64; 2],
    pub tokens: [f64; 2],
    pub tokens_per_param: [f64; 2],
    pub loss: [f64; 2],
}

/// The bootstrap's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BootstrapReport {
    pub resamples: usize,
    pub seed: u64,
    /// Resamples left out (see the module documentation).
    pub failed: usize,
    /// 95% percentile intervals of the constants.
    pub ci95: LawIntervals,
    /// 95% intervals of N*, D*, D*/N* and the loss at `budget_flops`.
    pub at_budget: AllocationIntervals,
    /// The successful resamples' laws, in resample order.
    pub laws: Vec<ParametricLaw>,
}

/// One point of a band along the compute-optimal frontier.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct FrontierBandPoint {
    pub flops: f64,
    /// 95% interval of `N*(C)`.
    pub params: [f64; 2],
    /// 95% interval of the loss along the frontier, `L(N*(C), D*(C))`.
    pub loss: [f64; 2],
}

/// The `p`-quantile (`0 ≤ p ≤ 1`) of sorted values, linear interpolation between order
/// statistics (Hyndman & Fan 1996 type 7, numpy's default). `None` when empty.
///
/// ```
/// use scalecalc_model::fit::bootstrap::quantile_sorted;
/// assert_eq!(quantile_sorted(&[1.0, 2.0, 3.0, 4.0, 5.0], 0.25), Some(2.0));
/// assert_eq!(quantile_sorted(&[1.0, 2.0], 0.5), Some(1.5));
/// ```
pub fn quantile_sorted(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() || !(0.0..=1.0).contains(&p) {
        return None;
    }
    let h = (sorted.len() - 1) as f64 * p;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(sorted.len() - 1);
    Some(sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo]))
}

/// The central 95% interval `[q(0.025), q(0.975)]` of values (any order).
pub fn interval95(mut v: Vec<f64>) -> [f64; 2] {
    v.retain(|x| x.is_finite());
    v.sort_by(f64::total_cmp);
    [
        quantile_sorted(&v, 0.025).unwrap_or(f64::NAN),
        quantile_sorted(&v, 0.975).unwrap_or(f64::NAN),
    ]
}

fn allocation_intervals(laws: &[ParametricLaw], flops: f64) -> AllocationIntervals {
    let opt: Vec<Allocation> = laws.iter().map(|l| l.optimal(flops)).collect();
    AllocationIntervals {
        flops,
        params: interval95(opt.iter().map(|o| o.params).collect()),
        tokens: interval95(opt.iter().map(|o| o.tokens).collect()),
        tokens_per_param: interval95(opt.iter().map(|o| o.tokens_per_param).collect()),
        loss: interval95(opt.iter().map(|o| o.loss).collect()),
    }
}

impl BootstrapReport {
    /// 95% intervals of N*, D*, D*/N* and the loss at any budget (the plan's, say), from the
    /// resamples' laws.
    pub fn at(&self, flops: f64) -> AllocationIntervals {
        allocation_intervals(&self.laws, flops)
    }

    /// The 95% intervals of `N*` and `D*` at `flops` as an [`Explained`] number (value: the
    /// interval's geometric midpoint of `N*`), with the intervals and the resample count substituted.
    pub fn band_explained(&self, flops: f64) -> Explained {
        let a = self.at(flops);
        Explained::new(
            Key::FitBand,
            (a.params[0] * a.params[1]).sqrt(),
            "params",
            "[q₀.₀₂₅, q₀.₉₇₅] of N*_b(C) and D*_b(C) = C/(6·N*_b) over the resamples b, each a refit of runs drawn with replacement",
            format!(
                "C = {flops:.4e}: N* ∈ [{:.4e}, {:.4e}], D* ∈ [{:.4e}, {:.4e}] from the {} of {} resamples that refitted (seed {})",
                a.params[0],
                a.params[1],
                a.tokens[0],
                a.tokens[1],
                self.laws.len(),
                self.resamples,
                self.seed
            ),
            SRC_BOOTSTRAP,
        )
    }

    /// The 95% band of `N*(C)` and of the frontier loss at each budget (for the charts).
    pub fn frontier_band(&self, budgets: &[f64]) -> Vec<FrontierBandPoint> {
        budgets
            .iter()
            .map(|&c| {
                let a = allocation_intervals(&self.laws, c);
                FrontierBandPoint {
                    flops: c,
                    params: a.params,
                    loss: a.loss,
                }
            })
            .collect()
    }
}

/// The bootstrap, run a chunk of resamples at a time: `new`, `step` until done, `finish`.
/// Cancel by dropping it.
#[derive(Debug)]
pub struct Bootstrap {
    runs: Runs,
    fit: FitOptions,
    opts: BootstrapOptions,
    starts: Vec<[f64; 5]>,
    next: usize,
    laws: Vec<ParametricLaw>,
    failed: usize,
    // Scratch buffers, reused across resamples.
    counts: Vec<u32>,
    ln_n: Vec<f64>,
    ln_d: Vec<f64>,
    ln_l: Vec<f64>,
    w: Vec<f64>,
    distinct: Vec<f64>,
}

impl Bootstrap {
    /// Prepares `B` resamples of `runs`, warm-started from the full-data fit `full`.
    pub fn new(
        runs: Runs,
        full: &FitReport,
        fit: &FitOptions,
        opts: BootstrapOptions,
    ) -> Result<Self, BootstrapError> {
        fit.validate().map_err(BootstrapError::Fit)?;
        if opts.resamples < 2 {
            return Err(BootstrapError::InvalidOption {
                name: "resamples",
                value: opts.resamples as f64,
                rule: "must be at least 2",
            });
        }
        if opts.resamples > MAX_RESAMPLES {
            return Err(BootstrapError::InvalidOption {
                name: "resamples",
                value: opts.resamples as f64,
                rule: "must be at most 10,000",
            });
        }
        if !(opts.budget_flops.is_finite() && opts.budget_flops > 0.0) {
            return Err(BootstrapError::InvalidOption {
                name: "budget_flops",
                value: opts.budget_flops,
                rule: "must be a finite number greater than 0",
            });
        }
        let mut starts: Vec<[f64; 5]> = full.local_optima.iter().map(|o| o.x).collect();
        if starts.is_empty() {
            starts.push(full.x);
        }
        let n = runs.len();
        // Each resample refits from the full fit's local optima: the work is B × starts × runs,
        // held to the fit's limit (about 30 s natively), refused before any is done.
        super::check_work(n, opts.resamples.saturating_mul(starts.len()))
            .map_err(BootstrapError::Fit)?;
        Ok(Self {
            runs,
            fit: fit.clone(),
            opts,
            starts,
            next: 0,
            laws: Vec::with_capacity(opts.resamples),
            failed: 0,
            counts: vec![0; n],
            ln_n: Vec::with_capacity(n),
            ln_d: Vec::with_capacity(n),
            ln_l: Vec::with_capacity(n),
            w: Vec::with_capacity(n),
            distinct: Vec::with_capacity(n),
        })
    }

    /// Resamples done out of `B`.
    pub fn progress(&self) -> Progress {
        Progress {
            done: self.next,
            total: self.opts.resamples,
        }
    }

    fn enough_distinct(&mut self, pick: fn(&super::Run) -> f64) -> bool {
        self.distinct.clear();
        for (i, r) in self.runs.runs().iter().enumerate() {
            if self.counts[i] > 0 {
                self.distinct.push(pick(r));
            }
        }
        self.distinct.sort_by(f64::total_cmp);
        self.distinct.dedup();
        self.distinct.len() >= MIN_DISTINCT
    }

    /// Resample `b`: its law, or `None` when it fails.
    fn one(&mut self, b: usize) -> Option<ParametricLaw> {
        let n = self.runs.len();
        let mut rng = SplitMix64::new(mix64(self.opts.seed ^ mix64(b as u64 + 1)));
        self.counts.iter_mut().for_each(|c| *c = 0);
        for _ in 0..n {
            self.counts[rng.below(n)] += 1;
        }
        if !self.enough_distinct(|r| r.params) || !self.enough_distinct(|r| r.tokens) {
            return None;
        }
        // Compact to the drawn runs, each weighted by its multiplicity.
        self.ln_n.clear();
        self.ln_d.clear();
        self.ln_l.clear();
        self.w.clear();
        for i in 0..n {
            if self.counts[i] > 0 {
                self.ln_n.push(self.runs.ln_n[i]);
                self.ln_d.push(self.runs.ln_d[i]);
                self.ln_l.push(self.runs.ln_l[i]);
                self.w.push(self.counts[i] as f64);
            }
        }
        let data = Data {
            ln_n: &self.ln_n,
            ln_d: &self.ln_d,
            ln_l: &self.ln_l,
            w: Some(&self.w),
        };
        let best = super::best_of(&data, &self.fit, &self.starts)?;
        let law = law_of(&best.x);
        law.validate().ok().map(|_| law)
    }

    /// Runs up to `n` more resamples; returns the progress.
    pub fn step(&mut self, n: usize) -> Progress {
        let end = (self.next + n).min(self.opts.resamples);
        for b in self.next..end {
            match self.one(b) {
                Some(l) => self.laws.push(l),
                None => self.failed += 1,
            }
        }
        self.next = end;
        self.progress()
    }

    /// Runs the remaining resamples and reports the intervals.
    pub fn finish(mut self) -> Result<BootstrapReport, BootstrapError> {
        self.step(self.opts.resamples);
        if self.laws.len() < 2 {
            return Err(BootstrapError::TooFewSuccessful {
                succeeded: self.laws.len(),
                resamples: self.opts.resamples,
            });
        }
        let col = |f: fn(&ParametricLaw) -> f64| interval95(self.laws.iter().map(f).collect());
        let ci95 = LawIntervals {
            e: col(|l| l.e),
            a: col(|l| l.a),
            b: col(|l| l.b),
            alpha: col(|l| l.alpha),
            beta: col(|l| l.beta),
        };
        let at_budget = allocation_intervals(&self.laws, self.opts.budget_flops);
        Ok(BootstrapReport {
            resamples: self.opts.resamples,
            seed: self.opts.seed,
            failed: self.failed,
            ci95,
            at_budget,
            laws: self.laws,
        })
    }
}

/// The whole bootstrap in one call.
pub fn bootstrap(
    runs: &Runs,
    full: &FitReport,
    fit: &FitOptions,
    opts: BootstrapOptions,
) -> Result<BootstrapReport, BootstrapError> {
    Bootstrap::new(runs.clone(), full, fit, opts)?.finish()
}
