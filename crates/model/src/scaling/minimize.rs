//! A robust 1-D minimiser: a grid scan to bracket the best point, then golden-section search.
//!
//! Every numeric optimum in this module is a minimisation over one variable (`ln N`) of a function
//! that is unimodal for the published laws but may be `+∞` or undefined near the ends of the range
//! (e.g. infinitely many tokens needed just above the smallest model that can reach a loss). The
//! scan makes the search independent of a good starting point and tolerant of non-finite values;
//! the golden-section step then narrows the bracket to machine precision.

/// Points in the initial scan.
pub const GRID_POINTS: usize = 400;

/// Stops when the bracket is narrower than this (absolute, in the variable's units: `ln N`).
pub const X_TOLERANCE: f64 = 1e-11;

/// The minimiser of `f` on `[lo, hi]`: `(x, f(x))`, or `None` when `f` has no finite value on
/// the grid or the range is empty.
///
/// Non-finite values are treated as `+∞`. If `f` has several local minima the scan keeps the
/// best grid point's basin (exact for unimodal `f`, the case for every law here).
pub fn minimize(f: impl Fn(f64) -> f64, lo: f64, hi: f64) -> Option<(f64, f64)> {
    if !(lo.is_finite() && hi.is_finite() && lo < hi) {
        return None;
    }
    let eval = |x: f64| {
        let y = f(x);
        if y.is_nan() {
            f64::INFINITY
        } else {
            y
        }
    };
    let step = (hi - lo) / (GRID_POINTS - 1) as f64;
    let mut best = (0usize, f64::INFINITY);
    for i in 0..GRID_POINTS {
        let y = eval(lo + step * i as f64);
        if y < best.1 {
            best = (i, y);
        }
    }
    if !best.1.is_finite() {
        return None;
    }
    let mut a = lo + step * best.0.saturating_sub(1) as f64;
    let mut b = (lo + step * (best.0 + 1) as f64).min(hi);
    let inv_phi = (5f64.sqrt() - 1.0) / 2.0;
    let mut c = b - inv_phi * (b - a);
    let mut d = a + inv_phi * (b - a);
    let (mut fc, mut fd) = (eval(c), eval(d));
    for _ in 0..200 {
        if (b - a).abs() < X_TOLERANCE * (1.0 + a.abs()) {
            break;
        }
        if fc < fd {
            b = d;
            d = c;
            fd = fc;
            c = b - inv_phi * (b - a);
            fc = eval(c);
        } else {
            a = c;
            c = d;
            fc = fd;
            d = a + inv_phi * (b - a);
            fd = eval(d);
        }
    }
    let x = 0.5 * (a + b);
    let fx = eval(x);
    // The grid point itself may still be the best value seen (e.g. a kink at a range end).
    let grid_x = lo + step * best.0 as f64;
    Some(if fx <= best.1 {
        (x, fx)
    } else {
        (grid_x, best.1)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_parabola_minimum() {
        let (x, fx) = minimize(|x| (x - 1.234).powi(2) + 5.0, -10.0, 10.0).unwrap();
        assert!((x - 1.234).abs() < 1e-6);
        assert!((fx - 5.0).abs() < 1e-12);
    }

    #[test]
    fn tolerates_infinities_and_nan() {
        let f = |x: f64| {
            if x < 0.5 {
                f64::INFINITY
            } else if x > 3.0 {
                f64::NAN
            } else {
                (x - 2.0).powi(2)
            }
        };
        let (x, _) = minimize(f, 0.0, 5.0).unwrap();
        assert!((x - 2.0).abs() < 1e-6);
        assert!(minimize(|_| f64::NAN, 0.0, 1.0).is_none());
        assert!(minimize(|x| x, 1.0, 1.0).is_none());
    }

    #[test]
    fn minimum_at_range_end() {
        let (x, _) = minimize(|x| x, 2.0, 7.0).unwrap();
        assert!((x - 2.0).abs() < 1e-9);
    }
}
