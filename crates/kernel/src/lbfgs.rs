//! A small, allocation-free L-BFGS minimiser for a fixed dimension, with a strong-Wolfe line
//! search (Nocedal & Wright 2006, *Numerical Optimization*, 2nd ed.: Alg. 7.4 two-loop recursion,
//! Alg. 3.5/3.6 line search with cubic interpolation, eq. 7.20 initial Hessian scaling).
//!
//! Written here rather than taken from argmin because the fit runs 4,500 tiny problems (5
//! unknowns): argmin's per-iteration state (heap vectors, observers, `Executor`) costs more than the
//! objective itself. Everything here lives on the stack.

/// Stopping rules. The default is scipy's `minimize(method="L-BFGS-B")` (the optimiser of the
/// Epoch AI replication, Besiroglu et al. 2024): `maxcor = 10`, `pgtol = gtol = 1e-5`,
/// `factr = 1e7` i.e. `ftol = 1e7·ε = 2.22e-9` relative to `max(|f_k|, |f_k+1|, 1)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LbfgsOptions {
    /// History pairs kept (scipy's default is 10).
    pub memory: usize,
    /// Converged when `max_i |g_i| ≤ gtol`.
    pub gtol: f64,
    /// Converged when an iteration lowers `f` by at most `ftol·max(|f_k|, |f_k+1|, ftol_floor)`.
    pub ftol: f64,
    /// The floor of that denominator: scipy's 1 (an absolute test for objectives below 1), or 0
    /// for a purely relative one.
    pub ftol_floor: f64,
    /// Give up (not converged) after this many iterations.
    pub max_iter: usize,
}

impl Default for LbfgsOptions {
    fn default() -> Self {
        Self {
            memory: 10,
            gtol: 1e-5,
            ftol: 1e7 * f64::EPSILON,
            ftol_floor: 1.0,
            max_iter: 1000,
        }
    }
}

impl LbfgsOptions {
    /// The refinement of the best end points: a purely relative `ftol` of 10⁻¹² and `gtol` 10⁻⁸, far
    /// below scipy's defaults (which stop Huber objectives of order 10⁻³ after a relative decrease
    /// of 2·10⁻⁶), so the reported constants do not depend on where a start happened to stop.
    pub const POLISH: LbfgsOptions = LbfgsOptions {
        memory: 10,
        gtol: 1e-8,
        ftol: 1e-12,
        ftol_floor: 0.0,
        max_iter: 1000,
    };
}

/// How a minimisation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// The gradient is below `gtol`.
    Gradient,
    /// The objective stopped decreasing (relative change below `ftol`).
    Objective,
    /// `max_iter` reached: not converged.
    MaxIter,
    /// No step along the search direction lowers the objective: not converged.
    LineSearch,
    /// The objective or gradient is not finite at the start: not converged.
    NonFinite,
}

impl Status {
    /// True for the two convergence criteria only.
    pub fn converged(self) -> bool {
        matches!(self, Status::Gradient | Status::Objective)
    }
}

/// The result of one minimisation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Minimum<const N: usize> {
    pub x: [f64; N],
    pub f: f64,
    pub iterations: usize,
    pub evaluations: usize,
    pub status: Status,
}

const MAX_MEMORY: usize = 20;
const C1: f64 = 1e-4;
const C2: f64 = 0.9;
const LS_MAX_EVALS: usize = 30;

#[inline]
fn dot<const N: usize>(a: &[f64; N], b: &[f64; N]) -> f64 {
    let mut s = 0.0;
    for i in 0..N {
        s += a[i] * b[i];
    }
    s
}

/// One trial point of the line search.
#[derive(Clone, Copy)]
struct Trial<const N: usize> {
    t: f64,
    f: f64,
    d: f64, // directional derivative
    x: [f64; N],
    g: [f64; N],
}

/// Minimiser of the cubic interpolating (a, fa, da), (b, fb, db), clamped to the safeguard
/// interval; bisection when the cubic has no minimiser there.
fn cubic_min(a: f64, fa: f64, da: f64, b: f64, fb: f64, db: f64) -> f64 {
    let (lo, hi) = if a < b { (a, b) } else { (b, a) };
    let width = hi - lo;
    let d1 = da + db - 3.0 * (fa - fb) / (a - b);
    let disc = d1 * d1 - da * db;
    let mid = 0.5 * (a + b);
    if !disc.is_finite() || disc < 0.0 {
        return mid;
    }
    let d2 = (b - a).signum() * disc.sqrt();
    let denom = db - da + 2.0 * d2;
    if denom == 0.0 || !denom.is_finite() {
        return mid;
    }
    let t = b - (b - a) * (db + d2 - d1) / denom;
    if !t.is_finite() {
        return mid;
    }
    t.clamp(lo + 0.1 * width, hi - 0.1 * width)
}

/// Minimises `f` from `x0`. `fg(x, g)` returns `f(x)` and writes `∇f(x)` into `g`.
pub fn minimize<const N: usize, F>(fg: &mut F, x0: [f64; N], opt: &LbfgsOptions) -> Minimum<N>
where
    F: FnMut(&[f64; N], &mut [f64; N]) -> f64,
{
    let m = opt.memory.clamp(1, MAX_MEMORY);
    let mut s_hist = [[0.0; N]; MAX_MEMORY];
    let mut y_hist = [[0.0; N]; MAX_MEMORY];
    let mut rho = [0.0; MAX_MEMORY];
    let mut alpha_buf = [0.0; MAX_MEMORY];
    let (mut head, mut len) = (0usize, 0usize);

    let mut x = x0;
    let mut g = [0.0; N];
    let mut f = fg(&x, &mut g);
    let mut evals = 1usize;
    let done = |x: [f64; N], f: f64, it: usize, ev: usize, status: Status| Minimum {
        x,
        f,
        iterations: it,
        evaluations: ev,
        status,
    };
    if !f.is_finite() || g.iter().any(|v| !v.is_finite()) {
        return done(x, f, 0, evals, Status::NonFinite);
    }
    let ginf = |g: &[f64; N]| g.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    if ginf(&g) <= opt.gtol {
        return done(x, f, 0, evals, Status::Gradient);
    }
    let mut gamma = 1.0;
    for it in 0..opt.max_iter {
        // Two-loop recursion: d = −H·g.
        let mut q = g;
        for k in 0..len {
            let j = (head + MAX_MEMORY - 1 - k) % MAX_MEMORY;
            let a = rho[j] * dot(&s_hist[j], &q);
            alpha_buf[j] = a;
            for i in 0..N {
                q[i] -= a * y_hist[j][i];
            }
        }
        for qi in q.iter_mut() {
            *qi *= gamma;
        }
        for k in (0..len).rev() {
            let j = (head + MAX_MEMORY - 1 - k) % MAX_MEMORY;
            let b = rho[j] * dot(&y_hist[j], &q);
            for i in 0..N {
                q[i] += s_hist[j][i] * (alpha_buf[j] - b);
            }
        }
        let mut d = [0.0; N];
        for i in 0..N {
            d[i] = -q[i];
        }
        let mut d0 = dot(&g, &d);
        if d0.is_nan() || d0 >= 0.0 {
            // Not a descent direction (numerical breakdown): restart with steepest descent.
            len = 0;
            for i in 0..N {
                d[i] = -g[i];
            }
            d0 = dot(&g, &d);
        }
        let t_init = if len == 0 {
            (1.0 / ginf(&g)).min(1.0)
        } else {
            1.0
        };
        let start = Trial {
            t: 0.0,
            f,
            d: d0,
            x,
            g,
        };
        let (trial, used) = line_search(fg, &start, &d, t_init);
        evals += used;
        let Some(new) = trial else {
            return done(x, f, it, evals, Status::LineSearch);
        };
        let mut s = [0.0; N];
        let mut y = [0.0; N];
        for i in 0..N {
            s[i] = new.x[i] - x[i];
            y[i] = new.g[i] - g[i];
        }
        let f_old = f;
        x = new.x;
        f = new.f;
        g = new.g;
        if ginf(&g) <= opt.gtol {
            return done(x, f, it + 1, evals, Status::Gradient);
        }
        if f_old - f <= opt.ftol * f_old.abs().max(f.abs()).max(opt.ftol_floor) {
            return done(x, f, it + 1, evals, Status::Objective);
        }
        let sy = dot(&s, &y);
        // Keep the pair only when the curvature condition holds (H stays positive definite).
        if sy > 1e-300 {
            s_hist[head] = s;
            y_hist[head] = y;
            rho[head] = 1.0 / sy;
            head = (head + 1) % MAX_MEMORY;
            len = (len + 1).min(m);
            gamma = sy / dot(&y, &y);
        }
    }
    done(x, f, opt.max_iter, evals, Status::MaxIter)
}

/// Strong-Wolfe line search along `d` from `p0` (Nocedal & Wright Alg. 3.5 with the zoom of
/// Alg. 3.6). Returns the accepted point, or `None` when no trial lowers the objective; when the
/// curvature condition cannot be met in the evaluation budget, the best point satisfying the
/// sufficient-decrease condition is accepted.
fn line_search<const N: usize, F>(
    fg: &mut F,
    p0: &Trial<N>,
    d: &[f64; N],
    t_init: f64,
) -> (Option<Trial<N>>, usize)
where
    F: FnMut(&[f64; N], &mut [f64; N]) -> f64,
{
    let mut evals = 0usize;
    let mut eval = |t: f64, evals: &mut usize| -> Trial<N> {
        let mut x = [0.0; N];
        for i in 0..N {
            x[i] = p0.x[i] + t * d[i];
        }
        let mut g = [0.0; N];
        let mut f = fg(&x, &mut g);
        *evals += 1;
        if !f.is_finite() || g.iter().any(|v| !v.is_finite()) {
            f = f64::INFINITY;
        }
        Trial {
            t,
            f,
            d: dot(&g, d),
            x,
            g,
        }
    };
    let armijo = |p: &Trial<N>| p.f <= p0.f + C1 * p.t * p0.d;
    let curvature = |p: &Trial<N>| p.d.abs() <= -C2 * p0.d;
    let mut best: Option<Trial<N>> = None;
    let keep = |p: &Trial<N>, best: &mut Option<Trial<N>>| {
        if p.f < p0.f && armijo(p) && best.is_none_or(|b| p.f < b.f) {
            *best = Some(*p);
        }
    };

    let mut prev = *p0;
    let mut t = t_init;
    let (mut lo, mut hi);
    let mut first = true;
    loop {
        if evals >= LS_MAX_EVALS {
            return (best, evals);
        }
        let p = eval(t, &mut evals);
        keep(&p, &mut best);
        if !armijo(&p) || (!first && p.f >= prev.f) {
            lo = prev;
            hi = p;
            break;
        }
        if curvature(&p) {
            return (Some(p), evals);
        }
        if p.d >= 0.0 {
            lo = p;
            hi = prev;
            break;
        }
        prev = p;
        first = false;
        t *= 4.0;
    }
    // Zoom: `lo` satisfies sufficient decrease with the lowest f so far; the minimiser is between.
    while evals < LS_MAX_EVALS {
        let tj = if hi.f.is_finite() {
            cubic_min(lo.t, lo.f, lo.d, hi.t, hi.f, hi.d)
        } else {
            lo.t + 0.1 * (hi.t - lo.t)
        };
        if (tj - lo.t).abs() <= 1e-16 * lo.t.abs().max(1e-300) {
            break;
        }
        let p = eval(tj, &mut evals);
        keep(&p, &mut best);
        if !armijo(&p) || p.f >= lo.f {
            hi = p;
        } else {
            if curvature(&p) {
                return (Some(p), evals);
            }
            if p.d * (hi.t - lo.t) >= 0.0 {
                hi = lo;
            }
            lo = p;
        }
    }
    (best, evals)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rosenbrock() {
        let mut fg = |x: &[f64; 2], g: &mut [f64; 2]| {
            let (a, b) = (1.0 - x[0], x[1] - x[0] * x[0]);
            g[0] = -2.0 * a - 400.0 * x[0] * b;
            g[1] = 200.0 * b;
            a * a + 100.0 * b * b
        };
        let m = minimize(&mut fg, [-1.2, 1.0], &LbfgsOptions::POLISH);
        assert!(m.status.converged(), "{m:?}");
        assert!(
            (m.x[0] - 1.0).abs() < 1e-6 && (m.x[1] - 1.0).abs() < 1e-6,
            "{m:?}"
        );
    }

    #[test]
    fn quadratic_in_five_dims() {
        let c = [1.0, -2.0, 3.0, 0.5, 10.0];
        let w = [1.0, 10.0, 100.0, 0.1, 3.0];
        let mut fg = |x: &[f64; 5], g: &mut [f64; 5]| {
            let mut f = 0.0;
            for i in 0..5 {
                f += 0.5 * w[i] * (x[i] - c[i]).powi(2);
                g[i] = w[i] * (x[i] - c[i]);
            }
            f
        };
        let m = minimize(&mut fg, [0.0; 5], &LbfgsOptions::POLISH);
        assert!(m.status.converged());
        for (xi, ci) in m.x.iter().zip(c) {
            assert!((xi - ci).abs() < 1e-7);
        }
    }

    #[test]
    fn scipy_rules_stop_earlier_than_the_polish() {
        // f = x²/2 + 10⁻³ on one axis: below 1, scipy's ftol is absolute (2.2·10⁻⁹), so the
        // default stops once a step gains less; the polish goes on to a 10⁻⁸ gradient.
        let mut fg = |x: &[f64; 1], g: &mut [f64; 1]| {
            g[0] = x[0];
            0.5 * x[0] * x[0] + 1e-3
        };
        let d = minimize(&mut fg, [0.3], &LbfgsOptions::default());
        assert!(d.status.converged(), "{d:?}");
        let p = minimize(&mut fg, [0.3], &LbfgsOptions::POLISH);
        assert!(p.status.converged() && p.x[0].abs() <= 1e-8, "{p:?}");
        assert!(p.f <= d.f);
    }

    #[test]
    fn non_finite_start_is_not_converged() {
        let mut fg = |_: &[f64; 1], g: &mut [f64; 1]| {
            g[0] = 0.0;
            f64::NAN
        };
        let m = minimize(&mut fg, [0.0], &LbfgsOptions::default());
        assert_eq!(m.status, Status::NonFinite);
        assert!(!m.status.converged());
    }
}
