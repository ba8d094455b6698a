//! Training charts: the memory per GPU as stacked bars against the GPU's memory (one bar per
//! ZeRO stage, the chosen one framed), and wall-clock days against the GPU count.

use super::bar::{Bar, HRule, StackedBarChart};
use super::line::{LineChart, Marker, Series};
use crate::model::training::{self, memory, TrainingResult};

/// User-visible texts of the memory chart (from the page's translation tables).
pub struct MemoryLabels {
    pub x: String,
    /// Y axis, in GiB.
    pub y: String,
    pub weights: String,
    pub gradients: String,
    pub optimizer: String,
    pub activations: String,
    /// The GPU memory line, e.g. "H100 SXM5 80GB: 80 GB".
    pub capacity: String,
    /// Bar labels for ZeRO stages 0–3, e.g. ["no ZeRO", "ZeRO-1", "ZeRO-2", "ZeRO-3"].
    pub stages: [String; 4],
}

/// Memory per GPU for ZeRO stages 0–3 with the result's other settings; GiB on the axis.
pub fn memory_chart(r: &TrainingResult, l: &MemoryLabels) -> StackedBarChart {
    let chosen = r.memory_input.zero_stage;
    let bars = (0..4u32)
        .map(|stage| {
            let m = if stage == chosen {
                r.memory
            } else {
                // Only the stage changes: the memory model again, not the whole section.
                memory::memory(&memory::MemoryInput {
                    zero_stage: stage,
                    ..r.memory_input
                })
            };
            Bar {
                label: l.stages[stage as usize].clone(),
                values: vec![
                    m.weights_bytes,
                    m.gradients_bytes,
                    m.optimizer_bytes,
                    m.activations_bytes,
                ],
                highlight: stage == chosen,
            }
        })
        .collect();
    StackedBarChart {
        x_label: l.x.clone(),
        y_label: l.y.clone(),
        components: vec![
            l.weights.clone(),
            l.gradients.clone(),
            l.optimizer.clone(),
            l.activations.clone(),
        ],
        bars,
        rules: vec![HRule {
            y: r.memory.gpu_memory_bytes,
            label: l.capacity.clone(),
        }],
        y_scale: crate::model::num::GIB,
        value_column: "memory_bytes_per_gpu",
    }
}

/// User-visible texts of the days chart.
pub struct DaysLabels {
    pub x: String,
    pub y: String,
    pub series: String,
    /// Marker at the chosen GPU count.
    pub current: String,
}

/// Wall-clock days against the GPU count (log–log), powers of two from 1 to 2²⁰ and the chosen
/// count marked. Perfect scaling: the curve is `H_run / K / 24`.
pub fn days_chart(r: &TrainingResult, gpus: u32, l: &DaysLabels) -> LineChart {
    let points = (0..=20)
        .map(|i| {
            let k = 1u32 << i;
            (k as f64, training::cost::wall_days(r.run_gpu_hours, k))
        })
        .collect();
    LineChart {
        x_label: l.x.clone(),
        y_label: l.y.clone(),
        columns: ("gpus", "wall_clock_days"),
        x_log: true,
        y_log: true,
        series: vec![Series {
            name: l.series.clone(),
            points,
            ..Default::default()
        }],
        markers: vec![Marker {
            x: gpus as f64,
            y: r.wall_days,
            label: l.current.clone(),
        }],
        ..Default::default()
    }
}

/// User-visible texts of the step-time chart.
pub struct StepLabels {
    pub x: String,
    /// Y axis, seconds per step.
    pub y: String,
    /// The seven parts of [`training::step::StepBreakdown`], in its field order.
    pub parts: [String; 7],
}

/// Where a training step's time goes (the step-time model, docs/science.md §8): one stacked bar per
/// layout, the chosen one framed. `bars`: (label, breakdown, chosen).
pub fn step_chart(
    bars: &[(String, training::step::StepBreakdown, bool)],
    l: &StepLabels,
) -> StackedBarChart {
    StackedBarChart {
        x_label: l.x.clone(),
        y_label: l.y.clone(),
        components: l.parts.to_vec(),
        bars: bars
            .iter()
            .map(|(label, b, chosen)| Bar {
                label: label.clone(),
                values: vec![
                    b.compute_s,
                    b.memory_bound_s,
                    b.tp_comm_s,
                    b.pipeline_bubble_s,
                    b.pipeline_p2p_s,
                    b.dp_comm_s,
                    b.optimizer_s,
                ],
                highlight: *chosen,
            })
            .collect(),
        rules: Vec::new(),
        y_scale: 1.0,
        value_column: "seconds_per_step",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::{bar, line, ChartStyle};
    use crate::model::training::TrainingRun;

    #[test]
    fn memory_and_days_charts_draw() {
        let s = TrainingRun {
            zero_stage: 1,
            ..TrainingRun::default()
        };
        let r = training::evaluate(&s);
        let m = memory_chart(
            &r,
            &MemoryLabels {
                x: "sharding".into(),
                y: "GiB per GPU".into(),
                weights: "weights".into(),
                gradients: "gradients".into(),
                optimizer: "optimizer".into(),
                activations: "activations".into(),
                capacity: "80 GiB".into(),
                stages: ["0".into(), "1".into(), "2".into(), "3".into()],
            },
        );
        let totals = m.totals();
        assert!((totals[1] - r.memory.total_bytes).abs() < 1.0);
        // Each bar (the memory model with one setting changed) is what the whole section gives
        // at that stage.
        for stage in 0..4u32 {
            let whole = training::evaluate(&TrainingRun {
                zero_stage: stage,
                ..s.clone()
            });
            assert_eq!(
                m.totals()[stage as usize],
                whole.memory.total_bytes,
                "{stage}"
            );
        }
        // Each ZeRO stage shards more: totals never rise.
        assert!(totals.windows(2).all(|w| w[1] <= w[0]));
        assert!(bar::to_svg(&m, 600, 360, ChartStyle::default()).contains("80 GiB"));

        let d = days_chart(
            &r,
            s.gpus,
            &DaysLabels {
                x: "GPUs".into(),
                y: "days".into(),
                series: "wall time".into(),
                current: "you".into(),
            },
        );
        let pts = &d.series[0].points;
        assert!(pts.windows(2).all(|w| w[1].1 < w[0].1));
        assert!(line::to_svg(&d, 600, 360, ChartStyle::default()).contains("you"));
    }
}
