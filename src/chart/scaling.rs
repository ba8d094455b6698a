//! The scaling-law charts: law comparison along each frontier, iso-FLOP profiles, iso-loss
//! contours, tokens per parameter across budgets. Each is a [`LineChart`] built from model output.

use super::line::{LineChart, Marker, Series};
use crate::model::scaling::curves::{frontier, iso_flop, iso_loss, log_space};
use crate::model::scaling::Law;

/// The budget range of the comparison charts, FLOP.
pub const BUDGET_RANGE: (f64, f64) = (1e18, 1e27);

/// Points along each frontier.
const FRONTIER_POINTS: usize = 91;

/// User-visible texts (from the page's translation tables).
#[derive(Debug, Clone, Default)]
pub struct ScalingLabels {
    /// Compute axis, e.g. "Compute (FLOP)".
    pub flops: String,
    /// Loss axis, e.g. "Loss (nats/token)".
    pub loss: String,
    /// Parameters axis.
    pub params: String,
    /// Tokens axis.
    pub tokens: String,
    /// Tokens-per-parameter axis.
    pub tokens_per_param: String,
    /// Marker label for the budget.
    pub budget: String,
    /// Marker label for an iso-FLOP minimum.
    pub minimum: String,
    /// Name of the compute-optimal frontier line on the contour chart.
    pub frontier: String,
    /// Residual axis, e.g. "ln L − ln L̂".
    pub residual: String,
    /// Name of the runs' series on the residuals chart.
    pub runs: String,
    /// Name of the excluded runs' series (hollow grey) on the residuals chart.
    pub excluded: String,
}

/// A law to draw, with its display name and, for a fit, an optional band.
#[derive(Debug, Clone)]
pub struct NamedLaw {
    pub name: String,
    pub law: Law,
    /// Presets dashed, the user's fit solid.
    pub dashed: bool,
    /// (C, low, high) of the frontier loss (a bootstrap 95% interval), if any.
    pub loss_band: Vec<(f64, f64, f64)>,
}

/// Loss along each law's compute-optimal frontier, log–log over [`BUDGET_RANGE`], with the budget
/// marked on the first law. Allocation-only laws (no loss) are left out.
pub fn law_comparison_chart(laws: &[NamedLaw], budget: f64, l: &ScalingLabels) -> LineChart {
    let cs = log_space(BUDGET_RANGE.0, BUDGET_RANGE.1, FRONTIER_POINTS);
    let series: Vec<Series> = laws
        .iter()
        .enumerate()
        .filter(|(_, nl)| nl.law.has_loss())
        .map(|(i, nl)| Series {
            name: nl.name.clone(),
            points: frontier(&nl.law, &cs)
                .iter()
                .filter_map(|o| o.loss.map(|loss| (o.flops, loss)))
                .collect(),
            dashed: nl.dashed,
            band: nl.loss_band.clone(),
            color: Some(i),
            ..Default::default()
        })
        .collect();
    let markers = laws
        .iter()
        .find_map(|nl| nl.law.optimal(budget).and_then(|o| o.loss))
        .map(|loss| Marker {
            x: budget,
            y: loss,
            label: l.budget.clone(),
        })
        .into_iter()
        .collect();
    LineChart {
        x_label: l.flops.clone(),
        y_label: l.loss.clone(),
        columns: ("compute_flop", "loss_nats_per_token"),
        x_log: true,
        y_log: true,
        series,
        markers,
        ..Default::default()
    }
}

/// Iso-FLOP profiles `L(N, C/(6N))` for each budget, two decades either side of the optimum, each
/// minimum marked. Empty series for a law without a loss.
pub fn iso_flop_chart(law: &Law, budgets: &[f64], l: &ScalingLabels) -> LineChart {
    let mut series = Vec::new();
    let mut markers = Vec::new();
    for &c in budgets {
        let pts = iso_flop(law, c, 2.0, 81);
        if pts.is_empty() {
            continue;
        }
        if let Some(o) = law.optimal(c) {
            if let Some(loss) = o.loss {
                markers.push(Marker {
                    x: o.params,
                    y: loss,
                    label: l.minimum.clone(),
                });
            }
        }
        series.push(Series {
            name: format!("C = {}", crate::model::num::sig(c, 3)),
            points: pts,
            ..Default::default()
        });
    }
    LineChart {
        x_label: l.params.clone(),
        y_label: l.loss.clone(),
        columns: ("params", "loss_nats_per_token"),
        x_log: true,
        y_log: false,
        series,
        markers,
        ..Default::default()
    }
}

/// Iso-loss contours in the (N, D) plane, one line per loss level, plus the compute-optimal
/// frontier over [`BUDGET_RANGE`]. Unreachable levels are left out.
pub fn iso_loss_chart(law: &Law, levels: &[f64], l: &ScalingLabels) -> LineChart {
    let mut series: Vec<Series> = levels
        .iter()
        .filter_map(|&lv| {
            let pts = iso_loss(law, lv, 3.0, 61);
            (!pts.is_empty()).then(|| Series {
                name: format!("L = {}", crate::model::num::sig(lv, 3)),
                points: pts,
                ..Default::default()
            })
        })
        .collect();
    let cs = log_space(BUDGET_RANGE.0, BUDGET_RANGE.1, FRONTIER_POINTS);
    series.push(Series {
        name: l.frontier.clone(),
        points: frontier(law, &cs)
            .iter()
            .map(|o| (o.params, o.tokens))
            .collect(),
        dashed: true,
        ..Default::default()
    });
    LineChart {
        x_label: l.params.clone(),
        y_label: l.tokens.clone(),
        columns: ("params", "tokens"),
        x_log: true,
        y_log: true,
        series,
        ..Default::default()
    }
}

/// Tokens per parameter `D*/N*` along each law's frontier (every law, allocation-only ones too).
pub fn tokens_per_param_chart(laws: &[NamedLaw], budget: f64, l: &ScalingLabels) -> LineChart {
    let cs = log_space(BUDGET_RANGE.0, BUDGET_RANGE.1, FRONTIER_POINTS);
    let series = laws
        .iter()
        .enumerate()
        .map(|(i, nl)| Series {
            name: nl.name.clone(),
            points: frontier(&nl.law, &cs)
                .iter()
                .map(|o| (o.flops, o.tokens_per_param))
                .collect(),
            dashed: nl.dashed,
            color: Some(i),
            ..Default::default()
        })
        .collect();
    let markers = laws
        .first()
        .and_then(|nl| nl.law.optimal(budget))
        .map(|o| Marker {
            x: budget,
            y: o.tokens_per_param,
            label: l.budget.clone(),
        })
        .into_iter()
        .collect();
    LineChart {
        x_label: l.flops.clone(),
        y_label: l.tokens_per_param.clone(),
        columns: ("compute_flop", "tokens_per_param"),
        x_log: true,
        y_log: true,
        series,
        markers,
        ..Default::default()
    }
}

/// Residuals `ln L − ln L̂(N, D)` of each run (`(N, D, L)`) under a fitted law, against the run's
/// compute `6ND` (log axis), with a zero line. Runs the law cannot predict are left out.
pub fn residuals_chart(
    runs: &[(f64, f64, f64)],
    excluded: &[(f64, f64, f64)],
    law: &Law,
    l: &ScalingLabels,
) -> LineChart {
    let residuals = |runs: &[(f64, f64, f64)]| -> Vec<(f64, f64)> {
        runs.iter()
            .filter_map(|&(n, d, loss)| {
                let pred = law.loss(n, d)?;
                (loss > 0.0 && pred > 0.0).then(|| (6.0 * n * d, loss.ln() - pred.ln()))
            })
            .collect()
    };
    let mut series = vec![Series {
        name: l.runs.clone(),
        points: residuals(runs),
        dots: true,
        ..Default::default()
    }];
    if !excluded.is_empty() {
        series.push(Series {
            name: l.excluded.clone(),
            points: residuals(excluded),
            dots: true,
            hollow: true,
            ..Default::default()
        });
    }
    LineChart {
        x_label: l.flops.clone(),
        y_label: l.residual.clone(),
        columns: ("compute_flop", "ln_loss_residual"),
        x_log: true,
        y_log: false,
        series,
        rules: vec![super::line::Rule::Horizontal {
            y: 0.0,
            label: String::new(),
        }],
        ..Default::default()
    }
}

/// Every catalogue law as a dashed [`NamedLaw`] (the page adds the user's fit, solid, with a band).
pub fn preset_laws() -> Vec<NamedLaw> {
    crate::model::scaling::LAWS
        .iter()
        .map(|info| NamedLaw {
            name: info.name.to_string(),
            law: (info.law)(),
            dashed: true,
            loss_band: Vec::new(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::line::to_svg;
    use crate::chart::ChartStyle;
    use crate::model::scaling::{HOFFMANN2022, LAWS};

    fn labels() -> ScalingLabels {
        ScalingLabels {
            budget: "budget".into(),
            frontier: "frontier".into(),
            ..Default::default()
        }
    }

    #[test]
    fn comparison_skips_allocation_only_laws() {
        let c = law_comparison_chart(&preset_laws(), 5.76e23, &labels());
        let with_loss = LAWS.iter().filter(|l| (l.law)().has_loss()).count();
        assert_eq!(c.series.len(), with_loss);
        for s in &c.series {
            assert_eq!(s.points.len(), FRONTIER_POINTS);
            // The frontier loss falls with compute.
            assert!(s.points.windows(2).all(|w| w[1].1 <= w[0].1));
        }
        assert!(to_svg(&c, 640, 400, ChartStyle::default()).contains("budget"));
    }

    #[test]
    fn iso_flop_markers_sit_on_the_curves() {
        let law = Law::Chinchilla(HOFFMANN2022);
        let c = iso_flop_chart(&law, &[1e19, 1e21, 1e23], &labels());
        assert_eq!(c.series.len(), 3);
        for (s, m) in c.series.iter().zip(&c.markers) {
            let min = s.points.iter().map(|p| p.1).fold(f64::INFINITY, f64::min);
            assert!(m.y <= min + 1e-12);
        }
    }

    #[test]
    fn residuals_are_zero_on_the_law_itself() {
        let law = Law::Chinchilla(HOFFMANN2022);
        let runs: Vec<(f64, f64, f64)> = [(1e8, 2e9), (1e9, 2e10), (1e10, 2e11)]
            .iter()
            .map(|&(n, d)| (n, d, law.loss(n, d).unwrap()))
            .collect();
        let c = residuals_chart(&runs, &[], &law, &labels());
        assert_eq!(c.series.len(), 1);
        assert_eq!(c.series[0].points.len(), 3);
        assert!(c.series[0].points.iter().all(|p| p.1.abs() < 1e-12));
        let off = residuals_chart(&[(1e9, 2e10, 3.0)], &runs[..1], &law, &labels());
        // The excluded runs: a second series of hollow grey dots, drawn.
        assert!(off.series[1].hollow && off.series[1].dots);
        assert_eq!(off.series[1].points.len(), 1);
        assert!(to_svg(&off, 640, 400, ChartStyle::default()).starts_with("<svg"));
        let want = 3f64.ln() - law.loss(1e9, 2e10).unwrap().ln();
        assert!((off.series[0].points[0].1 - want).abs() < 1e-12);
    }

    #[test]
    fn iso_loss_and_tokens_per_param() {
        let law = Law::Chinchilla(HOFFMANN2022);
        let c = iso_loss_chart(&law, &[1.0, 2.0, 2.2, 2.5], &labels());
        // 1.0 < E is unreachable: three contours plus the frontier.
        assert_eq!(c.series.len(), 4);
        let t = tokens_per_param_chart(&preset_laws(), 1e22, &labels());
        assert_eq!(t.series.len(), LAWS.len());
        assert!(to_svg(&t, 640, 400, ChartStyle::default()).starts_with("<svg"));
    }
}
