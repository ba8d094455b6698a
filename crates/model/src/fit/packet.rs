//! The fit split into work packets for the page's web workers: plain `f64` arrays (they cross the
//! worker boundary as transferable `Float64Array`s, with no serialisation), encoded and decoded
//! here so that the model owns the format and tests it natively.
//!
//! A request is `[VERSION, δ, from, to, N₁, D₁, L₁, N₂, D₂, L₂, …]`: run the grid's starts
//! `from..to` (default grid and L-BFGS rules) on those runs. The reply is
//! `[VERSION, from, to, failed, x₁…x₅, f, start, iterations, …]`: the converged end points,
//! [`ENDPOINT_LEN`] numbers each, and how many starts did not converge.

use super::{run_starts, Endpoint, FitOptions, Run, Runs};
use std::ops::Range;

/// The packet format's version (the first number of every packet).
pub const VERSION: f64 = 1.0;
/// Numbers per end point in a reply.
pub const ENDPOINT_LEN: usize = 8;

/// The request for starts `range` of `opts.grid` on `runs`.
pub fn request(runs: &Runs, opts: &FitOptions, range: Range<usize>) -> Vec<f64> {
    let mut v = Vec::with_capacity(4 + 3 * runs.len());
    v.extend([
        VERSION,
        opts.huber_delta,
        range.start as f64,
        range.end as f64,
    ]);
    for r in runs.runs() {
        v.extend([r.params, r.tokens, r.loss]);
    }
    v
}

fn index(v: f64, what: &str) -> Result<usize, String> {
    if v.is_finite() && v >= 0.0 && v.fract() == 0.0 && v <= u32::MAX as f64 {
        Ok(v as usize)
    } else {
        Err(format!("fit packet: {what} = {v} is not an index"))
    }
}

/// Runs a request (in a worker): the reply, or why the request is malformed.
pub fn answer(req: &[f64]) -> Result<Vec<f64>, String> {
    let [version, delta, from, to, rest @ ..] = req else {
        return Err(format!(
            "fit packet: {} numbers, expected at least 4",
            req.len()
        ));
    };
    if *version != VERSION {
        return Err(format!("fit packet: version {version}, expected {VERSION}"));
    }
    if rest.len() % 3 != 0 {
        return Err(format!(
            "fit packet: {} run values, not triples",
            rest.len()
        ));
    }
    let (from, to) = (index(*from, "from")?, index(*to, "to")?);
    let opts = FitOptions {
        huber_delta: *delta,
        ..FitOptions::default()
    };
    opts.validate().map_err(|e| e.to_string())?;
    if from > to || to > opts.grid.len() {
        return Err(format!(
            "fit packet: starts {from}..{to} outside the grid's {}",
            opts.grid.len()
        ));
    }
    let runs = Runs::new(
        rest.chunks_exact(3)
            .map(|c| Run {
                params: c[0],
                tokens: c[1],
                loss: c[2],
            })
            .collect(),
    )
    .map_err(|e| format!("fit packet: {e}"))?;
    let mut ends = Vec::new();
    let failed = run_starts(&super::data_of(&runs), &opts, from..to, &mut ends);
    let mut out = Vec::with_capacity(4 + ENDPOINT_LEN * ends.len());
    out.extend([VERSION, from as f64, to as f64, failed as f64]);
    for e in &ends {
        out.extend(e.x);
        out.extend([e.f, e.start as f64, e.iterations as f64]);
    }
    Ok(out)
}

/// A decoded reply: the starts it covers and their converged end points.
pub(crate) fn decode(reply: &[f64]) -> Result<(Range<usize>, Vec<Endpoint>), String> {
    let [version, from, to, _failed, rest @ ..] = reply else {
        return Err(format!(
            "fit reply: {} numbers, expected at least 4",
            reply.len()
        ));
    };
    if *version != VERSION {
        return Err(format!("fit reply: version {version}, expected {VERSION}"));
    }
    if rest.len() % ENDPOINT_LEN != 0 {
        return Err(format!("fit reply: {} end point values", rest.len()));
    }
    let range = index(*from, "from")?..index(*to, "to")?;
    let mut ends = Vec::with_capacity(rest.len() / ENDPOINT_LEN);
    for c in rest.chunks_exact(ENDPOINT_LEN) {
        let start = index(c[6], "start")?;
        if !range.contains(&start) {
            return Err(format!("fit reply: start {start} outside {range:?}"));
        }
        ends.push(Endpoint {
            x: [c[0], c[1], c[2], c[3], c[4]],
            f: c[5],
            start,
            iterations: index(c[7], "iterations")?,
        });
    }
    Ok((range, ends))
}
