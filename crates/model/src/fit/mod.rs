//! Fitting the Chinchilla law `L = E + A/N^α + B/D^β` to the user's own runs, exactly as
//! Hoffmann et al. 2022, App. D.2 (eq. 11) describe, with bootstrap uncertainty and the iso-FLOP
//! profile method (their "approach 2").
//!
//! # Formula
//! Minimise over `x = (a, b, e, α, β)` the **sum** over runs `i`
//!
//! `Σ_i Huber_δ( LSE(a − α·ln N_i, b − β·ln D_i, e) − ln L_i )`
//!
//! - `LSE(u, v, w) = ln(eᵘ + eᵛ + eʷ)`, so `LSE(...) = ln(A/N^α + B/D^β + E)` with `A = eᵃ`,
//!   `B = eᵇ`, `E = eᵉ`;
//! - `Huber_δ(r) = r²/2` for `|r| ≤ δ`, `δ·(|r| − δ/2)` otherwise; `δ = 10⁻³`;
//! - `N_i` parameters, `D_i` training tokens, `L_i` final loss in nats/token.
//!
//! L-BFGS with the analytic gradient from every point of the grid `α, β ∈ {0, 0.5, …, 2}`,
//! `e ∈ {−1, −0.5, …, 1}`, `a, b ∈ {0, 5, …, 25}` (4,500 starts); the best converged minimum wins.
//! A sum, not a mean: with a mean the objective is 240× smaller and L-BFGS stops early under
//! absolute tolerances (Besiroglu et al. 2024, arXiv 2404.10102 §3, argue this explains the
//! published fit).
//!
//! The work is split into a [`Fitter`] that runs a given number of starts per call
//! ([`Fitter::step`]), so the page can show progress and cancel (drop the `Fitter`), and a
//! one-call [`fit`] that, natively, spreads the starts over the machine's cores.

pub mod bootstrap;
pub mod columns;
pub mod isoflop;
pub mod lbfgs;
pub mod packet;
pub mod runs;

pub use bootstrap::{
    bootstrap, Bootstrap, BootstrapError, BootstrapOptions, BootstrapReport, MAX_RESAMPLES,
};
pub use runs::{
    parse_runs, parse_runs_with, ColumnMap, RowError, RowProblem, Run, Runs, RunsError,
};

use super::explain::{Explained, Source};
use super::scaling::ParametricLaw;
use crate::explain::Key;
use lbfgs::LbfgsOptions;
use serde::Serialize;

/// The fitting recipe: Hoffmann et al. 2022, App. D.2.
pub const SRC_FIT: Source = Source {
    id: "hoffmann2022-d2",
    citation: "Hoffmann et al. 2022, Training Compute-Optimal Large Language Models",
    locator: "App. D.2, eq. 11: Huber (δ = 1e-3) on log loss via LSE, L-BFGS from a grid of starts",
    url: "https://arxiv.org/abs/2203.15556",
};

/// The Huber threshold `δ` of App. D.2.
pub const HUBER_DELTA: f64 = 1e-3;

/// Names of the five fitted coordinates, in the order of `x`.
pub const COORDS: [&str; 5] = ["a", "b", "e", "alpha", "beta"];

/// The grid of L-BFGS starts (values per coordinate; every combination is one start).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StartGrid {
    /// `a = ln A` values.
    pub a: Vec<f64>,
    /// `b = ln B` values.
    pub b: Vec<f64>,
    /// `e = ln E` values.
    pub e: Vec<f64>,
    /// `α` values.
    pub alpha: Vec<f64>,
    /// `β` values.
    pub beta: Vec<f64>,
}

fn steps(from: f64, step: f64, count: usize) -> Vec<f64> {
    (0..count).map(|i| from + step * i as f64).collect()
}

impl Default for StartGrid {
    /// Hoffmann et al. App. D.2: `α, β ∈ {0, 0.5, …, 2}`, `e ∈ {−1, −0.5, …, 1}`,
    /// `a, b ∈ {0, 5, …, 25}`: 5·5·5·6·6 = 4,500 starts.
    fn default() -> Self {
        Self {
            a: steps(0.0, 5.0, 6),
            b: steps(0.0, 5.0, 6),
            e: steps(-1.0, 0.5, 5),
            alpha: steps(0.0, 0.5, 5),
            beta: steps(0.0, 0.5, 5),
        }
    }
}

impl StartGrid {
    fn axes(&self) -> [&[f64]; 5] {
        [&self.a, &self.b, &self.e, &self.alpha, &self.beta]
    }

    /// Number of starts (the product of the axis lengths).
    pub fn len(&self) -> usize {
        self.axes().iter().map(|v| v.len()).product()
    }

    /// True when some axis has no value.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Start number `i` as `(a, b, e, α, β)` (mixed radix, `β` fastest).
    pub fn start(&self, mut i: usize) -> [f64; 5] {
        let axes = self.axes();
        let mut x = [0.0; 5];
        for k in (0..5).rev() {
            let n = axes[k].len();
            x[k] = axes[k][i % n];
            i /= n;
        }
        x
    }

    /// `(min, max)` of each axis.
    fn bounds(&self) -> [(f64, f64); 5] {
        self.axes().map(|v| {
            (
                v.iter().copied().fold(f64::INFINITY, f64::min),
                v.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            )
        })
    }
}

/// Options of the fit.
#[derive(Debug, Clone, PartialEq)]
pub struct FitOptions {
    /// Huber threshold `δ` (default 10⁻³, App. D.2).
    pub huber_delta: f64,
    /// The grid of starts (default: App. D.2's 4,500).
    pub grid: StartGrid,
    /// L-BFGS stopping rules of every start (default: scipy's).
    pub lbfgs: LbfgsOptions,
    /// How many of the best end points are refined with [`LbfgsOptions::POLISH`] before the
    /// report (default [`POLISHED`]; 0 reports the starts' end points as they stopped).
    pub polish: usize,
}

impl Default for FitOptions {
    fn default() -> Self {
        Self {
            huber_delta: HUBER_DELTA,
            grid: StartGrid::default(),
            lbfgs: LbfgsOptions::default(),
            polish: POLISHED,
        }
    }
}

/// Why a fit cannot run or produced nothing.
#[derive(Debug, Clone, PartialEq)]
pub enum FitError {
    /// An option is out of range.
    InvalidOption {
        name: &'static str,
        value: f64,
        rule: &'static str,
    },
    /// Not one start converged: there is no result to report.
    NoStartConverged { starts: usize },
    /// More work (runs × starts) than finishes in about half a minute natively: refused before
    /// any is done, so that a huge paste or file cannot hang the page or the CLI.
    TooMuchWork {
        rows: usize,
        starts: usize,
        limit: f64,
    },
}

/// The most work a fit accepts, in runs × starts. One run × start costs about 0.3 µs here
/// (the default 4,500 starts on Epoch's 240 points: 1.08e6 in ~0.33 s on 2 cores,
/// `benches/fit.rs`), so 1e8 is ~30 s natively: 22,222 runs with the default grid.
pub const MAX_FIT_WORK: f64 = 1e8;

/// Refuses a fit of `rows` runs from `starts` starts above [`MAX_FIT_WORK`].
pub fn check_work(rows: usize, starts: usize) -> Result<(), FitError> {
    if rows as f64 * starts as f64 > MAX_FIT_WORK {
        return Err(FitError::TooMuchWork {
            rows,
            starts,
            limit: MAX_FIT_WORK,
        });
    }
    Ok(())
}

impl std::fmt::Display for FitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FitError::InvalidOption { name, value, rule } => {
                write!(f, "fit option {name} = {value}: {rule}")
            }
            FitError::NoStartConverged { starts } => write!(
                f,
                "fit: none of the {starts} L-BFGS starts converged; no result is reported"
            ),
            FitError::TooMuchWork {
                rows,
                starts,
                limit,
            } => write!(
                f,
                "fit: {rows} runs × {starts} starts = {} is more work than the limit of {} \
                 (about 30 s); use fewer runs or a smaller start grid",
                crate::num::short(*rows as f64 * *starts as f64),
                crate::num::short(*limit)
            ),
        }
    }
}

impl std::error::Error for FitError {}

impl FitOptions {
    /// Checks `δ > 0`, a non-empty finite grid, and sane L-BFGS limits.
    pub fn validate(&self) -> Result<(), FitError> {
        let bad = |name, value, rule| Err(FitError::InvalidOption { name, value, rule });
        if !(self.huber_delta.is_finite() && self.huber_delta > 0.0) {
            return bad(
                "huber_delta",
                self.huber_delta,
                "must be a finite number greater than 0",
            );
        }
        if self.grid.is_empty() {
            return bad("grid", 0.0, "every axis needs at least one value");
        }
        for (name, axis) in COORDS.iter().zip(self.grid.axes()) {
            if let Some(&v) = axis.iter().find(|v| !v.is_finite()) {
                return bad(name, v, "grid values must be finite");
            }
        }
        if self.lbfgs.max_iter == 0 {
            return bad("max_iter", 0.0, "must be at least 1");
        }
        let l = &self.lbfgs;
        if !(l.gtol >= 0.0 && l.ftol >= 0.0 && l.ftol_floor >= 0.0) {
            return bad(
                "gtol/ftol/ftol_floor",
                l.gtol.min(l.ftol).min(l.ftol_floor),
                "must be at least 0",
            );
        }
        Ok(())
    }
}

pub(crate) use scalecalc_kernel::{minimize_objective, objective_data, Data};

/// The data of a set of runs, unweighted.
fn data_of(runs: &Runs) -> Data<'_> {
    Data {
        ln_n: &runs.ln_n,
        ln_d: &runs.ln_d,
        ln_l: &runs.ln_l,
        w: None,
    }
}

/// The App. D.2 objective and its analytic gradient at `x = (a, b, e, α, β)`.
///
/// # Formula
/// `f(x) = Σ_i H_δ(r_i)`, `r_i = LSE(t₁, t₂, t₃) − ln L_i`, `t₁ = a − α ln N_i`,
/// `t₂ = b − β ln D_i`, `t₃ = e`; with softmax weights `w_k = e^{t_k}/Σ e^{t_j}` and
/// `ψ(r) = clamp(r, −δ, δ)` (the Huber derivative):
/// `∂f/∂a = Σ ψ w₁`, `∂f/∂α = −Σ ψ w₁ ln N_i`, `∂f/∂b = Σ ψ w₂`, `∂f/∂β = −Σ ψ w₂ ln D_i`,
/// `∂f/∂e = Σ ψ w₃`. (Hoffmann et al. 2022, App. D.2, eq. 11.)
pub fn huber_objective(runs: &Runs, x: &[f64; 5], delta: f64, grad: &mut [f64; 5]) -> f64 {
    objective_data(&data_of(runs), x, delta, grad)
}

/// `x = (a, b, e, α, β)` → the law `(E, A, B, α, β) = (eᵉ, eᵃ, eᵇ, α, β)`.
pub fn law_of(x: &[f64; 5]) -> ParametricLaw {
    ParametricLaw {
        e: x[2].exp(),
        a: x[0].exp(),
        b: x[1].exp(),
        alpha: x[3],
        beta: x[4],
    }
}

/// One converged L-BFGS end point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Endpoint {
    pub x: [f64; 5],
    pub f: f64,
    pub start: usize,
    pub iterations: usize,
}

/// Runs the starts `range` of the grid; returns the converged end points, in start order, and the
/// number of starts that did not converge.
pub(crate) fn run_starts(
    data: &Data<'_>,
    opts: &FitOptions,
    range: std::ops::Range<usize>,
    out: &mut Vec<Endpoint>,
) -> usize {
    let delta = opts.huber_delta;
    let mut failed = 0;
    for start in range {
        let m = minimize_objective(data, delta, opts.grid.start(start), &opts.lbfgs);
        if m.status.converged() {
            out.push(Endpoint {
                x: m.x,
                f: m.f,
                start,
                iterations: m.iterations,
            });
        } else {
            failed += 1;
        }
    }
    failed
}

/// Minimises from each of `starts`; the best converged end point, if any.
pub(crate) fn best_of(data: &Data<'_>, opts: &FitOptions, starts: &[[f64; 5]]) -> Option<Endpoint> {
    let delta = opts.huber_delta;
    let mut best: Option<Endpoint> = None;
    for (start, x0) in starts.iter().enumerate() {
        let m = minimize_objective(data, delta, *x0, &opts.lbfgs);
        if m.status.converged() && best.is_none_or(|b| m.f < b.f) {
            best = Some(Endpoint {
                x: m.x,
                f: m.f,
                start,
                iterations: m.iterations,
            });
        }
    }
    if let Some(b) = best.as_mut() {
        polish(data, opts, std::slice::from_mut(b));
    }
    best
}

/// End points refined by default (see [`FitOptions::polish`]).
pub const POLISHED: usize = 16;

/// The order of end points: by objective, ties by start index (deterministic for any chunking).
fn by_objective(p: &Endpoint, q: &Endpoint) -> std::cmp::Ordering {
    p.f.total_cmp(&q.f).then(p.start.cmp(&q.start))
}

/// Stage 2 of the fit: every start stops by scipy's rules (stage 1, as the replications ran it),
/// which on a Huber objective of order 10⁻³ leaves the flat direction of `(a, α)` unfinished in
/// the 4th digit; the `opts.polish` best end points continue from where they stopped with
/// [`LbfgsOptions::POLISH`]. A refinement is kept only if it does not raise the objective. Three
/// times fewer evaluations than running every start to the tight rules, the same optimum.
pub(crate) fn polish(data: &Data<'_>, opts: &FitOptions, ends: &mut [Endpoint]) {
    ends.sort_by(by_objective);
    let delta = opts.huber_delta;
    let tight = LbfgsOptions {
        memory: opts.lbfgs.memory,
        max_iter: opts.lbfgs.max_iter,
        ..LbfgsOptions::POLISH
    };
    for p in ends.iter_mut().take(opts.polish) {
        let m = minimize_objective(data, delta, p.x, &tight);
        if m.f.is_finite() && m.f <= p.f {
            p.x = m.x;
            p.f = m.f;
            p.iterations += m.iterations;
        }
    }
}

/// Progress of a chunked computation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Progress {
    /// Units of work done (starts, or resamples).
    pub done: usize,
    /// Units in all.
    pub total: usize,
}

impl Progress {
    /// `done/total` in [0, 1].
    pub fn fraction(&self) -> f64 {
        if self.total == 0 {
            1.0
        } else {
            self.done as f64 / self.total as f64
        }
    }
}

/// A distinct local minimum found by the grid search.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LocalOptimum {
    pub law: ParametricLaw,
    /// `(a, b, e, α, β)`.
    pub x: [f64; 5],
    pub objective: f64,
    /// How many starts ended here.
    pub starts: usize,
}

crate::hows! {
    /// The fit's explained constants.
    FitHow {
        e: FitE,
        a: FitA,
        b: FitB,
        alpha: FitAlpha,
        beta: FitBeta,
    }
}

/// The result of a fit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FitReport {
    /// The fitted law (serialises as `{"E", "A", "B", "alpha", "beta"}`).
    pub law: ParametricLaw,
    /// The optimum in the fitted coordinates `(a, b, e, α, β)`.
    pub x: [f64; 5],
    /// The summed Huber objective at the optimum.
    pub objective: f64,
    pub huber_delta: f64,
    pub n_points: usize,
    /// Starts run.
    pub starts: usize,
    /// Starts whose L-BFGS run met a convergence criterion.
    pub converged: usize,
    /// L-BFGS iterations of the winning start.
    pub iterations: usize,
    /// Wall time, ms (0 in wasm, where `std::time` has no clock: the page measures it).
    pub elapsed_ms: f64,
    /// The coordinates (`a`, `b`, `e`, `alpha`, `beta`) whose optimum lies on or beyond the edge
    /// of the start grid: a sign the grid did not bracket the optimum.
    pub boundary: Vec<&'static str>,
    /// The best distinct local minima, best first (the first is the optimum).
    pub local_optima: Vec<LocalOptimum>,
}

impl FitReport {
    /// Each number's explanation, as a field.
    pub fn how(&self) -> FitHow {
        FitHow::from_list(&self.explained())
    }
}

impl FitReport {
    /// True when the optimum lies on or beyond the grid's boundary in some coordinate.
    pub fn on_grid_boundary(&self) -> bool {
        !self.boundary.is_empty()
    }

    /// The fitted constants and the objective, each explained.
    pub fn explained(&self) -> Vec<Explained> {
        let x = self.x;
        let mut v = vec![
            Explained::new(
                Key::FitE,
                self.law.e,
                "nats/token",
                "E = e^e",
                format!("E = e^{:.6} = {:.6}", x[2], self.law.e),
                SRC_FIT,
            ),
            Explained::new(
                Key::FitA,
                self.law.a,
                "",
                "A = e^a",
                format!("A = e^{:.6} = {:.6}", x[0], self.law.a),
                SRC_FIT,
            ),
            Explained::new(
                Key::FitB,
                self.law.b,
                "",
                "B = e^b",
                format!("B = e^{:.6} = {:.6}", x[1], self.law.b),
                SRC_FIT,
            ),
            Explained::new(
                Key::FitAlpha,
                self.law.alpha,
                "",
                "α (fitted directly)",
                format!("α = {:.6}", self.law.alpha),
                SRC_FIT,
            ),
            Explained::new(
                Key::FitBeta,
                self.law.beta,
                "",
                "β (fitted directly)",
                format!("β = {:.6}", self.law.beta),
                SRC_FIT,
            ),
        ];
        v.push(Explained::new(
            Key::FitObjective,
            self.objective,
            "",
            "Σ_i Huber_δ(LSE(a − α ln N_i, b − β ln D_i, e) − ln L_i)",
            format!(
                "δ = {}, {} runs, best of {} converged starts (of {}) = {:.6e}",
                self.huber_delta, self.n_points, self.converged, self.starts, self.objective
            ),
            SRC_FIT,
        ));
        v
    }
}

/// Two end points are the same local minimum when every coordinate agrees to this (absolute in
/// `a, b, e, α, β`; the coordinates are all of order 0.1–25).
const SAME_OPTIMUM: f64 = 1e-3;
/// Local minima kept in the report (also the warm starts of the bootstrap).
pub const LOCAL_OPTIMA_KEPT: usize = 5;

/// Builds the report from every converged end point (order-independent: sorted by objective then
/// start index, so the page's chunking and the native threads give the same answer).
fn report(
    runs_len: usize,
    opts: &FitOptions,
    mut ends: Vec<Endpoint>,
    starts: usize,
    elapsed_ms: f64,
) -> Result<FitReport, FitError> {
    ends.sort_by(by_objective);
    let best = *ends.first().ok_or(FitError::NoStartConverged { starts })?;
    let mut local: Vec<LocalOptimum> = Vec::new();
    for p in &ends {
        let same = local
            .iter()
            .position(|o| (0..5).all(|k| (o.x[k] - p.x[k]).abs() <= SAME_OPTIMUM));
        match same {
            Some(j) => local[j].starts += 1,
            None if local.len() < LOCAL_OPTIMA_KEPT => local.push(LocalOptimum {
                law: law_of(&p.x),
                x: p.x,
                objective: p.f,
                starts: 1,
            }),
            None => {}
        }
    }
    let bounds = opts.grid.bounds();
    let boundary = (0..5)
        .filter(|&k| {
            let (lo, hi) = bounds[k];
            let tol = 1e-9 * (1.0 + lo.abs().max(hi.abs()));
            best.x[k] <= lo + tol || best.x[k] >= hi - tol
        })
        .map(|k| COORDS[k])
        .collect();
    Ok(FitReport {
        law: law_of(&best.x),
        x: best.x,
        objective: best.f,
        huber_delta: opts.huber_delta,
        n_points: runs_len,
        starts,
        converged: ends.len(),
        iterations: best.iterations,
        elapsed_ms,
        boundary,
        local_optima: local,
    })
}

#[cfg(not(target_arch = "wasm32"))]
type Clock = std::time::Instant;
#[cfg(target_arch = "wasm32")]
type Clock = ();

fn clock_now() -> Clock {
    #[cfg(not(target_arch = "wasm32"))]
    {
        std::time::Instant::now()
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn elapsed_ms(c: &Clock) -> f64 {
    c.elapsed().as_secs_f64() * 1e3
}
#[cfg(target_arch = "wasm32")]
fn elapsed_ms(_: &Clock) -> f64 {
    0.0
}

/// The grid fit, run a chunk of starts at a time: `new`, then `step` until `progress().done ==
/// total`, then `finish`. Cancel by dropping it.
#[derive(Debug)]
pub struct Fitter {
    runs: Runs,
    opts: FitOptions,
    /// The first start not yet run or handed out.
    next: usize,
    /// Starts whose end points are in (run here, or absorbed from a worker's reply).
    done: usize,
    /// Ranges handed out by [`Fitter::request`] and not yet answered.
    out: Vec<std::ops::Range<usize>>,
    ends: Vec<Endpoint>,
    clock: Clock,
}

impl Fitter {
    /// Checks the options; no work yet.
    pub fn new(runs: Runs, opts: FitOptions) -> Result<Self, FitError> {
        opts.validate()?;
        check_work(runs.runs().len(), opts.grid.len())?;
        Ok(Self {
            runs,
            opts,
            next: 0,
            done: 0,
            out: Vec::new(),
            ends: Vec::new(),
            clock: clock_now(),
        })
    }

    /// Runs up to `n_starts` more starts; returns the progress.
    pub fn step(&mut self, n_starts: usize) -> Progress {
        let total = self.opts.grid.len();
        let end = (self.next + n_starts).min(total);
        let data = data_of(&self.runs);
        run_starts(&data, &self.opts, self.next..end, &mut self.ends);
        self.done += end - self.next;
        self.next = end;
        self.progress()
    }

    /// Hands out up to `n_starts` starts to run elsewhere (a web worker): the [`packet::request`]
    /// for them, or `None` when every start is handed out. Its reply goes to [`Fitter::absorb`].
    pub fn request(&mut self, n_starts: usize) -> Option<Vec<f64>> {
        let total = self.opts.grid.len();
        if self.next >= total || n_starts == 0 {
            return None;
        }
        let range = self.next..(self.next + n_starts).min(total);
        self.next = range.end;
        self.out.push(range.clone());
        Some(packet::request(&self.runs, &self.opts, range))
    }

    /// Takes a worker's reply to [`Fitter::request`]. A reply for a range that was not handed out
    /// (or was answered already) is an error and changes nothing.
    pub fn absorb(&mut self, reply: &[f64]) -> Result<Progress, String> {
        let (range, ends) = packet::decode(reply)?;
        let Some(i) = self.out.iter().position(|r| *r == range) else {
            return Err(format!(
                "fit reply for starts {range:?}, which are not outstanding"
            ));
        };
        self.out.swap_remove(i);
        self.done += range.len();
        self.ends.extend(ends);
        Ok(self.progress())
    }

    /// Takes back a handed-out range whose worker failed, and runs it here.
    pub fn run_here(&mut self, req: &[f64]) -> Result<Progress, String> {
        let reply = packet::answer(req)?;
        self.absorb(&reply)
    }

    /// Starts done out of the grid's total.
    pub fn progress(&self) -> Progress {
        Progress {
            done: self.done,
            total: self.opts.grid.len(),
        }
    }

    /// The best objective so far (for a live read-out), if any start converged.
    pub fn best_so_far(&self) -> Option<(ParametricLaw, f64)> {
        self.ends
            .iter()
            .min_by(|p, q| p.f.total_cmp(&q.f))
            .map(|p| (law_of(&p.x), p.f))
    }

    /// Runs the remaining starts, if any, and reports the best converged result. Ranges handed out
    /// and not answered are run here.
    pub fn finish(mut self) -> Result<FitReport, FitError> {
        let total = self.opts.grid.len();
        let data = data_of(&self.runs);
        for r in std::mem::take(&mut self.out) {
            run_starts(&data, &self.opts, r, &mut self.ends);
        }
        self.step(total);
        polish(&data_of(&self.runs), &self.opts, &mut self.ends);
        report(
            self.runs.len(),
            &self.opts,
            self.ends,
            total,
            elapsed_ms(&self.clock),
        )
    }

    /// The runs being fitted.
    pub fn runs(&self) -> &Runs {
        &self.runs
    }
}

/// Worker threads for the one-call fit: all cores natively (the model stays single-threaded in
/// wasm, where the page uses [`Fitter`] in chunks).
#[cfg(not(target_arch = "wasm32"))]
fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// The whole grid fit in one call. Natively the starts are split over the cores with
/// `std::thread::scope`; the result does not depend on the split (see [`report`]).
///
/// ```
/// use scalecalc_model::fit::{fit, FitOptions, Run, Runs};
/// use scalecalc_model::scaling::HOFFMANN2022 as law;
/// let mut pts = Vec::new();
/// for n in [1e8, 3e8, 1e9, 3e9] {
///     for d in [2e9, 1e10, 5e10, 2e11] {
///         pts.push(Run { params: n, tokens: d, loss: law.loss(n, d) });
///     }
/// }
/// let r = fit(&Runs::new(pts).unwrap(), &FitOptions::default()).unwrap();
/// assert!((r.law.alpha - 0.34).abs() < 1e-3 && (r.law.e - 1.69).abs() < 1e-3);
/// ```
pub fn fit(runs: &Runs, opts: &FitOptions) -> Result<FitReport, FitError> {
    opts.validate()?;
    check_work(runs.runs().len(), opts.grid.len())?;
    #[allow(clippy::let_unit_value)] // the clock is `()` in wasm
    let clock = clock_now();
    let total = opts.grid.len();
    let data = data_of(runs);
    #[cfg(not(target_arch = "wasm32"))]
    let mut ends = {
        // Work sharing: each worker takes the next `STARTS_PER_TAKE` starts until none are left.
        // Starts differ a lot in cost (5 to 350 iterations) and the cores may be shared, so a
        // fixed split leaves one thread idle at the end (the two halves of the default grid
        // differ by 20% in evaluations). Which thread runs a start does not change its result, and
        // `report` sorts the end points, so the answer is the same as single-threaded.
        const STARTS_PER_TAKE: usize = 16;
        let k = threads().min(total.max(1));
        let next = std::sync::atomic::AtomicUsize::new(0);
        let mut parts: Vec<Vec<Endpoint>> = Vec::new();
        std::thread::scope(|sc| {
            let handles: Vec<_> = (0..k)
                .map(|_| {
                    let next = &next;
                    sc.spawn(move || {
                        let mut out = Vec::new();
                        loop {
                            let from = next
                                .fetch_add(STARTS_PER_TAKE, std::sync::atomic::Ordering::Relaxed);
                            if from >= total {
                                break out;
                            }
                            let to = (from + STARTS_PER_TAKE).min(total);
                            run_starts(&data, opts, from..to, &mut out);
                        }
                    })
                })
                .collect();
            for h in handles {
                // A worker only panics on a bug; keep its (empty) share rather than abort.
                parts.push(h.join().unwrap_or_default());
            }
        });
        parts.concat()
    };
    #[cfg(target_arch = "wasm32")]
    let mut ends = {
        let mut out = Vec::new();
        run_starts(&data, opts, 0..total, &mut out);
        out
    };
    polish(&data, opts, &mut ends);
    report(runs.len(), opts, ends, total, elapsed_ms(&clock))
}

#[cfg(test)]
mod tests;
