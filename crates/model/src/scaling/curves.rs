//! Curves for the charts: iso-FLOP profiles, iso-loss contours, the compute-optimal frontier.

use super::{Law, Optimum};

/// `n` budgets evenly spaced in `log10` from `lo` to `hi` inclusive (FLOP).
pub fn log_space(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    if n < 2 || !(lo > 0.0 && hi > lo) {
        return vec![lo];
    }
    let (a, b) = (lo.log10(), hi.log10());
    (0..n)
        .map(|i| 10f64.powf(a + (b - a) * i as f64 / (n - 1) as f64))
        .collect()
}

/// The compute-optimal frontier at each budget; budgets where the law gives nothing are skipped.
pub fn frontier(law: &Law, budgets: &[f64]) -> Vec<Optimum> {
    budgets.iter().filter_map(|&c| law.optimal(c)).collect()
}

/// An iso-FLOP profile: `(N, L(N, C/(6N)))` for `N` spanning `span` decades either side of the
/// optimum `N*(C)`, `points` points (Hoffmann et al. 2022, §3.2, approach 2's curves).
/// Empty when the law has no loss.
///
/// # Formula
/// `L_C(N) = L(N, C/(6N))`, `N ∈ [N*/10^span, N*·10^span]`.
pub fn iso_flop(law: &Law, flops: f64, span: f64, points: usize) -> Vec<(f64, f64)> {
    let Some(opt) = law.optimal(flops) else {
        return Vec::new();
    };
    if !law.has_loss() || points < 2 {
        return Vec::new();
    }
    log_space(
        opt.params / 10f64.powf(span),
        opt.params * 10f64.powf(span),
        points,
    )
    .into_iter()
    .filter_map(|n| law.loss(n, flops / (6.0 * n)).map(|l| (n, l)))
    .collect()
}

/// An iso-loss contour in the (N, D) plane: `(N, D(N; ℓ))` for `N` from just above the smallest
/// model that reaches `ℓ` up to `span` decades beyond it. Empty when `ℓ` is unreachable.
///
/// # Formula
/// `D(N; ℓ)` solves `L(N, D) = ℓ` (see [`Law::tokens_for_loss`]).
pub fn iso_loss(law: &Law, target_loss: f64, span: f64, points: usize) -> Vec<(f64, f64)> {
    let Some(n_min) = law.min_params_for_loss(target_loss) else {
        return Vec::new();
    };
    // Start 1% above N_min: at N_min itself D is infinite.
    log_space(n_min * 1.01, n_min * 10f64.powf(span), points)
        .into_iter()
        .filter_map(|n| law.tokens_for_loss(n, target_loss).map(|d| (n, d)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scaling::{hoffmann2022_tex, KAPLAN2020};

    #[test]
    fn iso_flop_minimum_is_the_optimum() {
        for law in [Law::Chinchilla(hoffmann2022_tex()), Law::Kaplan(KAPLAN2020)] {
            let c = 1e21;
            let curve = iso_flop(&law, c, 1.5, 301);
            let best =
                curve
                    .iter()
                    .copied()
                    .fold((0.0, f64::INFINITY), |b, p| if p.1 < b.1 { p } else { b });
            let o = law.optimal(c).unwrap();
            // Grid spacing is 0.01 decade: the scan's minimiser is within half a step.
            assert!((best.0.log10() - o.params.log10()).abs() <= 0.0051);
            assert!(o.loss.unwrap() <= best.1 + 1e-12);
        }
    }

    #[test]
    fn iso_loss_points_have_that_loss() {
        let law = Law::Chinchilla(hoffmann2022_tex());
        let pts = iso_loss(&law, 2.1, 3.0, 50);
        assert_eq!(pts.len(), 50);
        for (n, d) in pts {
            assert!((law.loss(n, d).unwrap() - 2.1).abs() < 1e-9);
        }
        assert!(iso_loss(&law, 1.0, 3.0, 50).is_empty());
    }
}
