//! Golden values from the papers and cross-law invariants.

use super::*;
use proptest::prelude::*;

/// Chinchilla Table 3 (approach 1 projections): (parameters, FLOPs, tokens).
const TABLE3: &[(f64, f64, f64)] = &[
    (400e6, 1.92e19, 8.0e9),
    (1e9, 1.21e20, 20.2e9),
    (10e9, 1.23e22, 205.1e9),
    (67e9, 5.76e23, 1.5e12),
    (175e9, 3.85e24, 3.7e12),
    (280e9, 9.90e24, 5.9e12),
    (520e9, 3.43e25, 11.0e12),
    (1e12, 1.27e26, 21.2e12),
    (10e12, 1.30e28, 216.2e12),
];

/// Table 3 prints 2–4 significant digits; the 67B row is the loosest: 6 · 67e9 · 1.5e12 = 6.03e23
/// against the printed 5.76e23 (4.7%: "1.5 Trillion" rounds 1.43T up).
const TABLE3_PRINT_REL: f64 = 0.05;

/// Approach 1's allocation exponent, Hoffmann et al. 2022 Table 2.
const APPROACH1_A: f64 = 0.50;

/// Slack on an exponent read off rounded table rows.
const EXPONENT_ABS: f64 = 0.005;

/// Table A3's approach-3 row for 175B (1.26e25 FLOPs after the typo fix, 12.0T tokens) against our
/// closed form with the TeX constants. We land 6% low on N and 6% high on D: the paper does not say
/// which digits of its fit it projected with, so we allow the gap we measure, no more.
const TABLE_A3_REL: f64 = 0.07;

/// `optimal --law hoffmann2022 --flops 5.76e23` must print 3.22e10, 2.98e12 within this.
const GOPHER_REL: f64 = 0.01;

#[test]
fn table3_rows_obey_six_nd() {
    for &(n, c, d) in TABLE3 {
        assert!((6.0 * n * d / c - 1.0).abs() < TABLE3_PRINT_REL, "{n:e}");
    }
}

#[test]
fn table3_versus_approach3() {
    // Table 3 is approach 1 (N ∝ C^0.50); our laws are approach 3 (N ∝ C^a, a ≈ 0.46). The paper's
    // own approaches disagree by a factor that grows with C, so we do not compare digits: we check
    // that ln(N_ours/N_table) against ln C has slope a − 0.50, i.e. our frontier differs from
    // Table 3 exactly by the exponent gap the paper reports, with no other distortion.
    for law in [HOFFMANN2022, hoffmann2022_tex()] {
        let xs: Vec<f64> = TABLE3.iter().map(|r| r.1.ln()).collect();
        let ys: Vec<f64> = TABLE3
            .iter()
            .map(|r| (law.optimal(r.1).params / r.0).ln())
            .collect();
        let n = xs.len() as f64;
        let (mx, my) = (xs.iter().sum::<f64>() / n, ys.iter().sum::<f64>() / n);
        let sxy: f64 = xs.iter().zip(&ys).map(|(x, y)| (x - mx) * (y - my)).sum();
        let sxx: f64 = xs.iter().map(|x| (x - mx).powi(2)).sum();
        let slope = sxy / sxx;
        let expected = law.params_exponent() - APPROACH1_A;
        assert!(
            (slope - expected).abs() < EXPONENT_ABS,
            "{slope} vs {expected}"
        );
    }
}

#[test]
fn table_a3_approach3_175b() {
    let o = hoffmann2022_tex().optimal(1.26e25);
    assert!((o.params / 175e9 - 1.0).abs() < TABLE_A3_REL, "{o:?}");
    assert!((o.tokens / 12.0e12 - 1.0).abs() < TABLE_A3_REL, "{o:?}");
}

#[test]
fn gopher_budget_cli_golden() {
    let o = Law::Chinchilla(HOFFMANN2022).optimal(5.76e23).unwrap();
    assert!((o.params / 3.22e10 - 1.0).abs() < GOPHER_REL);
    assert!((o.tokens / 2.98e12 - 1.0).abs() < GOPHER_REL);
}

fn laws_with_loss() -> Vec<Law> {
    LAWS.iter()
        .map(|l| (l.law)())
        .filter(|l| l.has_loss())
        .collect()
}

proptest! {
    #[test]
    fn more_compute_never_raises_optimal_loss(log_c in 17.0f64..28.0, factor in 1.0f64..100.0) {
        for law in laws_with_loss() {
            let c = 10f64.powf(log_c);
            let l1 = law.optimal(c).unwrap().loss.unwrap();
            let l2 = law.optimal(c * factor).unwrap().loss.unwrap();
            prop_assert!(l2 <= l1 + 1e-12, "{law:?}: {l1} → {l2}");
        }
    }

    #[test]
    fn iso_flop_minimum_equals_closed_form(
        log_c in 18.0f64..27.0,
        e in 1.0f64..2.5,
        ln_a in 3.0f64..9.0,
        ln_b in 3.0f64..9.0,
        alpha in 0.15f64..0.6,
        beta in 0.15f64..0.6,
    ) {
        let law = ParametricLaw { e, a: ln_a.exp(), b: ln_b.exp(), alpha, beta };
        let c = 10f64.powf(log_c);
        let closed = law.optimal(c);
        // Minimise the reducible part A/N^α + B/D^β: with E added the profile is too flat near
        // the optimum for double precision to locate it to 1e-6 when the terms are ~1e-5 of E.
        let (x, l) = minimize::minimize(
            |x| { let n = x.exp(); law.a / n.powf(alpha) + law.b / (c / (6.0 * n)).powf(beta) },
            0.0,
            (c / 6.0).ln(),
        ).unwrap();
        prop_assert!((x.exp() / closed.params - 1.0).abs() < 1e-6);
        prop_assert!(closed.loss - e <= l * (1.0 + 1e-9));
    }
}
