//! The fitter's inner loop: the Hoffmann et al. App. D.2 objective (Huber on log-sum-exp) and its
//! analytic gradient, 8 points at a time, and the L-BFGS minimiser that drives it.
//!
//! A crate of its own so that it can be compiled at `opt-level = 3` while the page's wasm is
//! size-optimised (`opt-level = "z"` applies per crate; per-module is not possible): the fit is
//! five times slower in the browser otherwise. It has no dependencies and no unsafe code.
#![forbid(unsafe_code)]

pub mod fastmath;
pub mod lbfgs;

pub use fastmath::{F64s, LANES};

/// The data of the objective, as slices (structure of arrays); `w` are multiplicities
/// (bootstrap), `None` meaning all 1.
#[derive(Clone, Copy)]
pub struct Data<'a> {
    pub ln_n: &'a [f64],
    pub ln_d: &'a [f64],
    pub ln_l: &'a [f64],
    pub w: Option<&'a [f64]>,
}

/// The Huber terms `h` and gradient weights `ψ·w_k` (`w_k` the softmax weights) of [`LANES`] points.
///
/// LSE with 2 `exp` and 1 `ln` instead of 3 and 1: with `m = max(t₁, t₂, t₃)`,
/// `LSE = m + ln(1 + e^{q−m} + e^{p−m})` where `q`, `p` are the other two terms, because the
/// largest term's exponential is `e⁰ = 1` exactly. The sum lies in `[1, 3]` and the exponents are
/// `≤ 0`: the domains of [`fastmath`]'s functions. The choices are per-lane selects, not branches.
///
/// Huber without a branch: with `ψ = clamp(r, −δ, δ)` (the Huber derivative),
/// `H_δ(r) = ψ·(r − ψ/2)`: `r²/2` when `|r| ≤ δ` (ψ = r), `δ·(|r| − δ/2)` otherwise (ψ = ±δ).
///
/// A NaN or infinite `x` gives a non-finite `h` (NaN fails every comparison and so falls through
/// to a NaN operand), which the line search rejects.
#[inline(always)]
fn point_lanes(x: &[f64; 5], delta: f64, ln_n: F64s, ln_d: F64s, ln_l: F64s) -> [F64s; 4] {
    let [a, b, e, al, be] = *x;
    let e = F64s::splat(e);
    let t1 = a - al * ln_n;
    let t2 = b - be * ln_d;
    let first = t1.ge(t2);
    let p = F64s::select(first, t1, t2); // max(t₁, t₂)
    let q = F64s::select(first, t2, t1); // min(t₁, t₂)
    let p_top = p.ge(e);
    let m = F64s::select(p_top, p, e); // max of all three
    let mid = F64s::select(p_top, e, p); // the middle one
    let eq = fastmath::exp_nonpos(q - m);
    let em = fastmath::exp_nonpos(mid - m);
    let s = 1.0 + em + eq;
    let r = m + fastmath::ln_pos(s) - ln_l;
    let (hi, lo) = (F64s::splat(delta), F64s::splat(-delta));
    let psi = F64s::select(r.gt(hi), hi, F64s::select(r.lt(lo), lo, r));
    let h = psi * (r - 0.5 * psi);
    let c = psi / s;
    // Back from (max, middle, min) to (t₁, t₂, t₃): p's exponential is 1 when p is the max.
    let one = F64s::splat(1.0);
    let ep = F64s::select(p_top, one, em);
    let e1 = F64s::select(first, ep, eq);
    let e2 = F64s::select(first, eq, ep);
    let e3 = F64s::select(p_top, em, one);
    [h, c * e1, c * e2, c * e3]
}

/// Adds [`LANES`] points' terms, each times its weight, to the per-lane sums `acc` of f, ∂/∂a, ∂/∂b,
/// ∂/∂e, ∂/∂α, ∂/∂β.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
fn accumulate(
    acc: &mut [F64s; 6],
    x: &[f64; 5],
    delta: f64,
    ln_n: F64s,
    ln_d: F64s,
    ln_l: F64s,
    w: Option<F64s>,
) {
    let [mut h, mut c1, mut c2, mut c3] = point_lanes(x, delta, ln_n, ln_d, ln_l);
    if let Some(w) = w {
        (h, c1, c2, c3) = (w * h, w * c1, w * c2, w * c3);
    }
    acc[0] = acc[0] + h;
    acc[1] = acc[1] + c1;
    acc[2] = acc[2] + c2;
    acc[3] = acc[3] + c3;
    acc[4] = acc[4] - c1 * ln_n;
    acc[5] = acc[5] - c2 * ln_d;
}

/// The objective's sums, [`LANES`] points at a time: the sums are kept per lane and added at the end
/// (the compiler may not reorder a floating-point sum by itself, so this is what lets the loop run
/// in SIMD registers). The order of the additions is fixed by the code, so the result is the same
/// on every target and for every chunking of the starts.
#[inline(always)]
fn objective_loop<const WEIGHTED: bool>(
    d: &Data<'_>,
    x: &[f64; 5],
    delta: f64,
    g: &mut [f64; 5],
) -> f64 {
    let n = d.ln_l.len();
    let (ln_n, ln_d, ln_l) = (&d.ln_n[..n], &d.ln_d[..n], &d.ln_l[..n]);
    let w = if WEIGHTED {
        &d.w.unwrap_or(&[])[..n]
    } else {
        &[]
    };
    let mut acc = [F64s::splat(0.0); 6];
    let full = n - n % LANES;
    for i in (0..full).step_by(LANES) {
        let wi = if WEIGHTED {
            Some(F64s::load(w, i))
        } else {
            None
        };
        let (vn, vd, vl) = (
            F64s::load(ln_n, i),
            F64s::load(ln_d, i),
            F64s::load(ln_l, i),
        );
        accumulate(&mut acc, x, delta, vn, vd, vl, wi);
    }
    if full < n {
        // The partial last chunk: the missing lanes repeat the last point (finite data) with
        // weight 0, so they add exactly 0.
        let pad = |s: &[f64], v: f64| F64s(std::array::from_fn(|l| *s.get(full + l).unwrap_or(&v)));
        let ones = F64s(std::array::from_fn(
            |l| if full + l < n { 1.0 } else { 0.0 },
        ));
        let wi = if WEIGHTED { pad(w, 0.0) } else { ones };
        let (vn, vd, vl) = (
            pad(ln_n, ln_n[n - 1]),
            pad(ln_d, ln_d[n - 1]),
            pad(ln_l, ln_l[n - 1]),
        );
        accumulate(&mut acc, x, delta, vn, vd, vl, Some(wi));
    }
    *g = [
        acc[1].sum(),
        acc[2].sum(),
        acc[3].sum(),
        acc[4].sum(),
        acc[5].sum(),
    ];
    acc[0].sum()
}

/// The objective and its gradient (see `scalecalc::model::fit::huber_objective` for the formula).
/// Not inlined: it must keep this crate's `opt-level = 3` inside a size-optimised wasm build.
#[inline(never)]
pub fn objective_data(d: &Data<'_>, x: &[f64; 5], delta: f64, g: &mut [f64; 5]) -> f64 {
    if d.w.is_some() {
        objective_loop::<true>(d, x, delta, g)
    } else {
        objective_loop::<false>(d, x, delta, g)
    }
}

/// L-BFGS on the objective of `d` from `x0`: the one instantiation of [`lbfgs::minimize`] the fit
/// uses, monomorphised here so that it is compiled with this crate's `opt-level = 3` (a generic
/// function is compiled in the crate that instantiates it; in the page that would be the
/// size-optimised one, and the fit took 1.5 times as long).
#[inline(never)]
pub fn minimize_objective(
    d: &Data<'_>,
    delta: f64,
    x0: [f64; 5],
    opt: &lbfgs::LbfgsOptions,
) -> lbfgs::Minimum<5> {
    let mut fg = |x: &[f64; 5], g: &mut [f64; 5]| objective_data(d, x, delta, g);
    lbfgs::minimize(&mut fg, x0, opt)
}
