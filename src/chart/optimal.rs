//! The compute-optimal allocation chart: N*(C) and D*(C), log–log, the budget marked.

use super::line::{LineChart, Marker, Series};
use crate::model::scaling::Law;

/// User-visible texts of the chart (from the page's translation tables).
pub struct OptimalLabels {
    pub x: String,
    pub y: String,
    pub params: String,
    pub tokens: String,
    pub budget: String,
}

/// N*(C) and D*(C) over 1e18–1e27 FLOP with the budget marked.
pub fn optimal_chart(law: &Law, budget: f64, l: &OptimalLabels) -> LineChart {
    let opt: Vec<_> = (0..=90)
        .filter_map(|i| law.optimal(10f64.powf(18.0 + i as f64 * 0.1)))
        .collect();
    let mut markers = Vec::new();
    if let Some(at) = law.optimal(budget) {
        markers.push(Marker {
            x: budget,
            y: at.params,
            label: l.budget.clone(),
        });
        markers.push(Marker {
            x: budget,
            y: at.tokens,
            label: String::new(),
        });
    }
    LineChart {
        x_label: l.x.clone(),
        y_label: l.y.clone(),
        columns: ("compute_flop", "params_or_tokens"),
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
        markers,
        ..Default::default()
    }
}
