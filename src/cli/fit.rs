//! `scalecalc fit RUNS.csv [--bootstrap B] [--seed S] [--huber-delta X] [--grid-a …] [--iso-tol T] [--json]`: the App. D.2
//! fit of the Chinchilla law to the runs in a CSV file, with optional bootstrap intervals.

use super::{args, CliError};
use crate::model::fit::{self, BootstrapOptions, FitOptions};
use crate::model::limits as L;
use clap::Args;
use serde_json::{json, Value};

#[derive(Args, Debug)]
pub struct FitArgs {
    /// CSV with a header row: columns `params`, `tokens` (or `flops`: D = C/(6N)), `loss`.
    pub runs: std::path::PathBuf,
    /// Bootstrap resamples for 95% intervals (0: none).
    #[arg(long, default_value_t = 0, value_parser = args::resamples)]
    pub bootstrap: usize,
    /// Seed of the bootstrap's generator.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Huber threshold δ.
    #[arg(long = "huber-delta", allow_negative_numbers = true, value_parser = args::limited(&L::HUBER_DELTA), default_value_t = fit::HUBER_DELTA)]
    pub huber_delta: f64,
    /// Budget (FLOP) for the derived intervals of N*, D*, loss (with --bootstrap).
    #[arg(long, value_parser = args::limited(&L::FLOPS), default_value_t = 5.76e23)]
    pub flops: f64,
    /// Starting values of `a = ln A` (comma-separated; default 0,5,…,25 as App. D.2).
    #[arg(long = "grid-a", value_delimiter = ',', allow_negative_numbers = true, value_parser = args::limited(&L::FIT_GRID_LOG_COEFFICIENT))]
    pub grid_a: Option<Vec<f64>>,
    /// Starting values of `b = ln B` (default 0,5,…,25).
    #[arg(long = "grid-b", value_delimiter = ',', allow_negative_numbers = true, value_parser = args::limited(&L::FIT_GRID_LOG_COEFFICIENT))]
    pub grid_b: Option<Vec<f64>>,
    /// Starting values of `e = ln E` (default -1,-0.5,…,1).
    #[arg(long = "grid-e", value_delimiter = ',', allow_negative_numbers = true, value_parser = args::limited(&L::FIT_GRID_LOG_E))]
    pub grid_e: Option<Vec<f64>>,
    /// Starting values of α (default 0,0.5,…,2).
    #[arg(
        long = "grid-alpha",
        value_delimiter = ',',
        allow_negative_numbers = true,
        value_parser = args::limited(&L::FIT_GRID_EXPONENT)
    )]
    pub grid_alpha: Option<Vec<f64>>,
    /// Starting values of β (default 0,0.5,…,2).
    #[arg(
        long = "grid-beta",
        value_delimiter = ',',
        allow_negative_numbers = true,
        value_parser = args::limited(&L::FIT_GRID_EXPONENT)
    )]
    pub grid_beta: Option<Vec<f64>>,
    /// Approach 2: runs whose 6ND agree within this fraction form one iso-FLOP profile.
    #[arg(long = "iso-tol", default_value_t = 0.1, value_parser = args::limited(&L::ISO_TOL))]
    pub iso_tol: f64,
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
}

pub fn run(a: &FitArgs) -> Result<Value, CliError> {
    let text = std::fs::read_to_string(&a.runs)
        .map_err(|e| CliError(format!("RUNS: cannot read {}: {e}", a.runs.display())))?;
    let runs =
        fit::parse_runs(&text).map_err(|e| CliError(format!("{}: {e}", a.runs.display())))?;
    let mut grid = fit::StartGrid::default();
    for (axis, given) in [
        (&mut grid.a, &a.grid_a),
        (&mut grid.b, &a.grid_b),
        (&mut grid.e, &a.grid_e),
        (&mut grid.alpha, &a.grid_alpha),
        (&mut grid.beta, &a.grid_beta),
    ] {
        if let Some(v) = given {
            axis.clone_from(v);
        }
    }
    let opts = FitOptions {
        huber_delta: a.huber_delta,
        grid,
        ..FitOptions::default()
    };
    opts.validate().map_err(|e| {
        let flag = match &e {
            fit::FitError::InvalidOption { name, .. } => match *name {
                "huber_delta" => "--huber-delta".to_string(),
                axis => format!("--grid-{axis}"),
            },
            _ => "--grid-*".to_string(),
        };
        CliError(format!("{flag}: {e}"))
    })?;
    // A fit that takes seconds says what it is doing, to a person at a terminal only.
    let work = runs.len() as f64 * opts.grid.len() as f64;
    if work > 1e7 && std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        eprintln!(
            "fit: {} runs × {} starts (about {:.0} s)…",
            runs.len(),
            opts.grid.len(),
            work / fit::MAX_FIT_WORK * 30.0
        );
    }
    let r = fit::fit(&runs, &opts).map_err(|e| match e {
        fit::FitError::NoStartConverged { .. } => CliError(format!(
            "{e} (the start grid: --grid-a, --grid-b, --grid-e, --grid-alpha, --grid-beta)"
        )),
        fit::FitError::TooMuchWork { .. } => CliError(format!(
            "RUNS: {e} (--grid-a, -b, -e, -alpha, -beta set the starts)"
        )),
        other => CliError(other.to_string()),
    })?;
    let mut v = json!({
        "E": r.law.e,
        "A": r.law.a,
        "B": r.law.b,
        "alpha": r.law.alpha,
        "beta": r.law.beta,
        "objective": r.objective,
        "n_points": r.n_points,
        "starts": r.starts,
        "converged": r.converged,
        "on_grid_boundary": r.on_grid_boundary(),
        "huber_delta": r.huber_delta,
        "elapsed_ms": r.elapsed_ms,
    });
    // Approach 2 on the same runs, when they come in groups of equal compute.
    v["approach2"] = match fit::isoflop::iso_flop_fit(runs.runs(), a.iso_tol) {
        Ok(f) => json!({
            "params_exponent": f.params_exponent,
            "params_coefficient": f.params_coefficient,
            "tokens_exponent": f.tokens_exponent,
            "budgets": f.minima.len(),
        }),
        Err(e) => json!({ "error": e.to_string() }),
    };
    if a.bootstrap > 0 {
        let bo = BootstrapOptions {
            resamples: a.bootstrap,
            seed: a.seed,
            budget_flops: a.flops,
        };
        let b = bootstrap_with_progress(&runs, &r, &opts, bo)
            .map_err(|e| CliError(format!("--bootstrap: {e}")))?;
        v["ci95"] = serde_json::to_value(b.ci95).map_err(|e| CliError(e.to_string()))?;
        v["ci95_at_budget"] =
            serde_json::to_value(b.at_budget).map_err(|e| CliError(e.to_string()))?;
        v["bootstrap_failed"] = json!(b.failed);
        v["seed"] = json!(a.seed);
    }
    Ok(v)
}

/// The bootstrap in steps, with a progress line on stderr when stderr is a terminal (a person is
/// waiting; a pipe or a test gets none of it). The same resamples in the same order as
/// `fit::bootstrap`, so the same intervals.
fn bootstrap_with_progress(
    runs: &fit::Runs,
    full: &fit::FitReport,
    opts: &FitOptions,
    bo: BootstrapOptions,
) -> Result<fit::BootstrapReport, fit::BootstrapError> {
    use std::io::{IsTerminal, Write};
    let mut b = fit::Bootstrap::new(runs.clone(), full, opts, bo)?;
    let tell = std::io::stderr().is_terminal();
    let step = (bo.resamples / 100).max(1);
    let t0 = std::time::Instant::now();
    loop {
        let p = b.step(step);
        if tell && t0.elapsed().as_secs_f64() > 0.5 {
            let mut e = std::io::stderr().lock();
            let _ = write!(e, "\rbootstrap: {} of {} resamples", p.done, p.total);
            let _ = e.flush();
        }
        if p.done >= p.total {
            break;
        }
    }
    if tell && t0.elapsed().as_secs_f64() > 0.5 {
        eprintln!();
    }
    b.finish()
}
