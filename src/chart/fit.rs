//! Charts of the user's fit: residuals (observed vs predicted, or residual vs N) and the fitted
//! law's compute-optimal frontier loss with its bootstrap band.

use super::line::{LineChart, Rule, Series};
use crate::model::fit::bootstrap::BootstrapReport;
use crate::model::fit::Runs;
use crate::model::scaling::ParametricLaw;

/// User-visible texts of the residual charts (from the page's translation tables).
pub struct ResidualLabels {
    /// x axis: "predicted loss" or "parameters".
    pub x: String,
    /// y axis: "observed loss" or "residual ln L_obs − ln L_pred".
    pub y: String,
    /// The runs' series name.
    pub runs: String,
    /// The reference line's label ("observed = predicted" or "zero").
    pub reference: String,
}

/// Observed loss against the law's prediction, one dot per run, with the diagonal.
pub fn predicted_vs_observed(law: &ParametricLaw, runs: &Runs, l: &ResidualLabels) -> LineChart {
    let points: Vec<(f64, f64)> = runs
        .runs()
        .iter()
        .map(|r| (law.loss(r.params, r.tokens), r.loss))
        .collect();
    let (lo, hi) = points
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
            (lo.min(p.0).min(p.1), hi.max(p.0).max(p.1))
        });
    let mut series = vec![Series {
        name: l.runs.clone(),
        points,
        dots: true,
        ..Default::default()
    }];
    if lo.is_finite() && hi.is_finite() {
        series.push(Series {
            name: l.reference.clone(),
            points: vec![(lo, lo), (hi, hi)],
            dashed: true,
            ..Default::default()
        });
    }
    LineChart {
        x_label: l.x.clone(),
        y_label: l.y.clone(),
        columns: (
            "predicted_loss_nats_per_token",
            "observed_loss_nats_per_token",
        ),
        series,
        ..Default::default()
    }
}

/// The fit's residual in log space, `ln L_obs − ln L_pred` (the quantity the Huber loss sees),
/// against parameters `N` (log axis), with the zero line.
pub fn residuals_vs_params(law: &ParametricLaw, runs: &Runs, l: &ResidualLabels) -> LineChart {
    let points = runs
        .runs()
        .iter()
        .map(|r| (r.params, r.loss.ln() - law.loss(r.params, r.tokens).ln()))
        .collect();
    LineChart {
        x_label: l.x.clone(),
        y_label: l.y.clone(),
        columns: ("params", "ln_loss_residual"),
        x_log: true,
        series: vec![Series {
            name: l.runs.clone(),
            points,
            dots: true,
            ..Default::default()
        }],
        rules: vec![Rule::Horizontal {
            y: 0.0,
            label: l.reference.clone(),
        }],
        ..Default::default()
    }
}

/// User-visible texts of the frontier chart.
pub struct FrontierLabels {
    pub x: String,
    pub y: String,
    /// The fitted law's series name, e.g. "your fit (95% band)".
    pub fit: String,
}

/// `n` budgets evenly spaced in log between `c_min` and `c_max` (FLOP).
pub fn budgets(c_min: f64, c_max: f64, n: usize) -> Vec<f64> {
    let (a, b) = (c_min.log10(), c_max.log10());
    let n = n.max(2);
    (0..n)
        .map(|i| 10f64.powf(a + (b - a) * i as f64 / (n - 1) as f64))
        .collect()
}

/// The loss along the fitted law's compute-optimal frontier, `L(N*(C), D*(C))`, log–log, with the
/// bootstrap's 95% band when given. Other laws (presets) can be appended to `series` by the page.
pub fn frontier_with_band(
    law: &ParametricLaw,
    boot: Option<&BootstrapReport>,
    flops: &[f64],
    l: &FrontierLabels,
) -> LineChart {
    let points = flops.iter().map(|&c| (c, law.optimal(c).loss)).collect();
    let band = boot
        .map(|b| {
            b.frontier_band(flops)
                .into_iter()
                .map(|p| (p.flops, p.loss[0], p.loss[1]))
                .collect()
        })
        .unwrap_or_default();
    LineChart {
        x_label: l.x.clone(),
        y_label: l.y.clone(),
        columns: ("compute_flop", "loss_nats_per_token"),
        x_log: true,
        y_log: true,
        series: vec![Series {
            name: l.fit.clone(),
            points,
            band,
            ..Default::default()
        }],
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::{line::to_svg, ChartStyle};
    use crate::model::fit::{bootstrap, fit, BootstrapOptions, FitOptions, Run};
    use crate::model::scaling::HOFFMANN2022;

    fn runs() -> Runs {
        let mut pts = Vec::new();
        for (i, n) in [1e8, 3e8, 1e9, 3e9].iter().enumerate() {
            for (j, d) in [2e9, 1e10, 5e10, 2e11].iter().enumerate() {
                let wiggle = 1.0 + 0.002 * (((i * 4 + j) % 5) as f64 - 2.0);
                pts.push(Run {
                    params: *n,
                    tokens: *d,
                    loss: HOFFMANN2022.loss(*n, *d) * wiggle,
                });
            }
        }
        Runs::new(pts).unwrap()
    }

    fn labels() -> ResidualLabels {
        ResidualLabels {
            x: "predicted".into(),
            y: "observed".into(),
            runs: "runs".into(),
            reference: "y = x".into(),
        }
    }

    #[test]
    fn residual_charts() {
        let r = runs();
        let c = predicted_vs_observed(&HOFFMANN2022, &r, &labels());
        assert_eq!(c.series[0].points.len(), 16);
        // The law that generated the data: observed/predicted within the wiggle.
        assert!(c.series[0]
            .points
            .iter()
            .all(|(p, o)| (o / p - 1.0).abs() <= 0.0041));
        let c = residuals_vs_params(&HOFFMANN2022, &r, &labels());
        assert!(c.series[0].points.iter().all(|(_, res)| res.abs() < 0.005));
        assert!(to_svg(&c, 400, 300, ChartStyle::default()).starts_with("<svg"));
    }

    #[test]
    fn frontier_band_brackets_the_fit() {
        let r = runs();
        let opts = FitOptions::default();
        let f = fit(&r, &opts).unwrap();
        let b = bootstrap(
            &r,
            &f,
            &opts,
            BootstrapOptions {
                resamples: 40,
                seed: 3,
                budget_flops: 1e21,
            },
        )
        .unwrap();
        let cs = budgets(1e18, 1e24, 13);
        let l = FrontierLabels {
            x: "C".into(),
            y: "L".into(),
            fit: "fit".into(),
        };
        let c = frontier_with_band(&f.law, Some(&b), &cs, &l);
        let s = &c.series[0];
        assert_eq!((s.points.len(), s.band.len()), (13, 13));
        for (p, bd) in s.points.iter().zip(&s.band) {
            assert!(bd.1 <= bd.2);
            assert!(bd.1 <= p.1 * 1.001 && p.1 <= bd.2 * 1.001, "{p:?} {bd:?}");
        }
        assert!(to_svg(&c, 400, 300, ChartStyle::default()).starts_with("<svg"));
        assert!(frontier_with_band(&f.law, None, &cs, &l).series[0]
            .band
            .is_empty());
    }
}
