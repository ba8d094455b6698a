//! The compute-optimal allocation chart: N*(C) and D*(C), log–log, the budget marked.

use super::line::{LineChart, Marker, Series};
use crate::model::scaling::ParametricLaw;

/// User-visible texts of the chart (from the page's translation tables).
pub struct OptimalLabels {
    pub x: String,
    pub y: String,
    pub params: String,
    pub tokens: String,
    pub budget: String,
}

/// N*(C) and D*(C) over 1e18–1e27 FLOP with the budget marked.
pub fn optimal_chart(law: &ParametricLaw, budget: f64, l: &OptimalLabels) -> LineChart {
    let cs: Vec<f64> = (0..=90)
        .map(|i| 10f64.powf(18.0 + i as f64 * 0.1))
        .collect();
    let opt: Vec<_> = cs.iter().map(|&c| law.optimal(c)).collect();
    let at = law.optimal(budget);
    LineChart {
        x_label: l.x.clone(),
        y_label: l.y.clone(),
        x_log: true,
        y_log: true,
        series: vec![
            Series {
                name: l.params.clone(),
                points: opt.iter().map(|o| (o.flops, o.params)).collect(),
                ..Default::default()
            },
            Series {
                name: l.tokens.clone(),
                points: opt.iter().map(|o| (o.flops, o.tokens)).collect(),
                ..Default::default()
            },
        ],
        markers: vec![
            Marker {
                x: budget,
                y: at.params,
                label: l.budget.clone(),
            },
            Marker {
                x: budget,
                y: at.tokens,
                label: String::new(),
            },
        ],
        ..Default::default()
    }
}
