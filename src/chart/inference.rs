//! Inference charts as plain data: the roofline with the prefill and decode operating points,
//! throughput and latency against batch size, and memory per GPU against batch size.

use super::line::{LineChart, Marker, Rule, Series};
use crate::model::inference::{
    analyze, workload, Analysis, Calibration, ServingInput, Workload, CALIBRATION,
};

/// User-visible texts of the inference charts (from the page's translation tables).
#[derive(Debug, Clone, Default)]
pub struct InferenceLabels {
    /// Roofline x axis, e.g. "arithmetic intensity (FLOP/byte)".
    pub intensity: String,
    /// Roofline y axis, e.g. "attainable FLOP/s per GPU".
    pub attainable: String,
    pub peak_roof: String,
    pub achievable_roof: String,
    pub prefill: String,
    pub decode: String,
    /// Batch axis, e.g. "batch (sequences)".
    pub batch: String,
    /// Throughput y axis, e.g. "output tokens/s".
    pub throughput: String,
    pub aggregate: String,
    pub per_sequence: String,
    /// Latency y axis, e.g. "seconds".
    pub latency: String,
    pub ttft: String,
    pub per_token: String,
    /// Memory y axis, e.g. "GB per GPU".
    pub memory: String,
    pub weights: String,
    pub kv_cache: String,
    pub activations: String,
    pub total: String,
    pub device_memory: String,
    /// Vertical rule at the largest batch that fits.
    pub memory_limit: String,
    /// Marker at the scenario's batch.
    pub current: String,
}

/// The roofline of one GPU: `min(F, I·BW)` at peak and at the calibrated fractions, with the
/// prefill and decode passes placed at their arithmetic intensity and attained FLOP/s.
pub fn roofline_chart(
    w: &Workload,
    a: &Analysis,
    cal: &Calibration,
    l: &InferenceLabels,
) -> LineChart {
    let peak = a.peak_flop_per_s;
    let bw = w.gpu.bandwidth_bytes_per_s;
    let roof = |f: f64, b: f64| -> Vec<(f64, f64)> {
        let ridge = f / b;
        let mut pts: Vec<(f64, f64)> = (0..=60)
            .map(|i| 10f64.powf(-1.0 + i as f64 * 0.1))
            .filter(|&x| x < ridge)
            .map(|x| (x, x * b))
            .collect();
        pts.push((ridge, f));
        pts.push((1e5, f));
        pts
    };
    let tp = w.gpus;
    LineChart {
        x_label: l.intensity.clone(),
        y_label: l.attainable.clone(),
        columns: (
            "arithmetic_intensity_flop_per_byte",
            "attainable_flop_per_s_per_gpu",
        ),
        x_log: true,
        y_log: true,
        series: vec![
            Series {
                name: l.peak_roof.clone(),
                points: roof(peak, bw),
                ..Default::default()
            },
            Series {
                name: l.achievable_roof.clone(),
                points: roof(cal.compute_fraction * peak, cal.bandwidth_fraction * bw),
                dashed: true,
                ..Default::default()
            },
        ],
        markers: vec![
            Marker {
                x: a.prefill.arithmetic_intensity(),
                y: a.prefill
                    .attained_flop_per_s_per_gpu(tp, cal.prefill_overhead_s),
                label: l.prefill.clone(),
            },
            Marker {
                x: a.decode_mid.arithmetic_intensity(),
                y: a.decode_mid
                    .attained_flop_per_s_per_gpu(tp, cal.decode_step_overhead_s),
                label: l.decode.clone(),
            },
        ],
        ..Default::default()
    }
}

/// Batch sizes to sweep: powers of two up to the largest batch that fits (and at least the
/// scenario's batch), plus those two values; each with its analysis.
pub fn batch_sweep(w: &Workload, a: &Analysis, cal: &Calibration) -> Vec<(u32, Analysis)> {
    const MAX: u64 = 1 << 16;
    let limit = a.max_batch.max(w.batch as u64).clamp(1, MAX);
    let mut bs: Vec<u64> = (0..=16)
        .map(|k| 1u64 << k)
        .filter(|&b| b <= limit)
        .collect();
    bs.push(limit);
    bs.push(w.batch as u64);
    bs.sort_unstable();
    bs.dedup();
    bs.into_iter()
        .filter_map(|b| {
            let wb = Workload {
                batch: u32::try_from(b).ok()?,
                ..w.clone()
            };
            Some((wb.batch, analyze(&wb, cal).ok()?))
        })
        .collect()
}

fn limit_rule(a: &Analysis, l: &InferenceLabels) -> Vec<Rule> {
    if a.max_batch >= 1 {
        vec![Rule::Vertical {
            x: a.max_batch as f64,
            label: l.memory_limit.clone(),
        }]
    } else {
        Vec::new()
    }
}

/// One quantity read from an analysis.
type Pick = fn(&Analysis) -> f64;

/// Two quantities of the batch sweep against batch (log–log), the scenario's batch marked, and the
/// largest batch that fits as a rule.
fn sweep_chart(
    w: &Workload,
    a: &Analysis,
    sweep: &[(u32, Analysis)],
    l: &InferenceLabels,
    y_label: &str,
    series: [(&str, Pick); 2],
    marker: Pick,
) -> LineChart {
    LineChart {
        x_label: l.batch.clone(),
        y_label: y_label.to_string(),
        x_log: true,
        y_log: true,
        series: series
            .iter()
            .map(|(name, y)| Series {
                name: name.to_string(),
                points: sweep.iter().map(|(b, r)| (*b as f64, y(r))).collect(),
                ..Default::default()
            })
            .collect(),
        markers: vec![Marker {
            x: w.batch as f64,
            y: marker(a),
            label: l.current.clone(),
        }],
        rules: limit_rule(a, l),
        ..Default::default()
    }
}

/// Aggregate output tokens/s (whole run, all GPUs) and per-sequence decode tokens/s against batch,
/// over `sweep` ([`batch_sweep`]).
pub fn throughput_chart(
    w: &Workload,
    a: &Analysis,
    sweep: &[(u32, Analysis)],
    l: &InferenceLabels,
) -> LineChart {
    LineChart {
        columns: ("batch_sequences", "output_tokens_per_s"),
        ..sweep_chart(
            w,
            a,
            sweep,
            l,
            &l.throughput,
            [
                (&l.aggregate, |r| r.output_tokens_per_second),
                (&l.per_sequence, |r| r.tokens_per_second_per_sequence),
            ],
            |a| a.output_tokens_per_second,
        )
    }
}

/// Time to first token and seconds per output token against batch, over `sweep`.
pub fn latency_chart(
    w: &Workload,
    a: &Analysis,
    sweep: &[(u32, Analysis)],
    l: &InferenceLabels,
) -> LineChart {
    LineChart {
        columns: ("batch_sequences", "seconds"),
        ..sweep_chart(
            w,
            a,
            sweep,
            l,
            &l.latency,
            [
                (&l.ttft, |r| r.ttft_seconds),
                (&l.per_token, |r| r.seconds_per_output_token),
            ],
            |a| a.ttft_seconds,
        )
    }
}

/// Weights, KV cache, activations and their total per GPU (GB) against batch, with the device's
/// memory as a horizontal rule.
pub fn memory_chart(
    w: &Workload,
    a: &Analysis,
    cal: &Calibration,
    l: &InferenceLabels,
) -> LineChart {
    let mut sweep = batch_sweep(w, a, cal);
    // Show a little past the limit so the crossing is visible.
    let past = (a.max_batch.max(w.batch as u64) * 2).min(1 << 17);
    if let Ok(b) = u32::try_from(past) {
        if let Ok(r) = analyze(
            &Workload {
                batch: b,
                ..w.clone()
            },
            cal,
        ) {
            sweep.push((b, r));
        }
    }
    let g = w.gpus as f64 * crate::model::num::GIB;
    let series = |name: &str, f: &dyn Fn(&Analysis) -> f64| Series {
        name: name.to_string(),
        points: sweep.iter().map(|(b, r)| (*b as f64, f(r) / g)).collect(),
        ..Default::default()
    };
    LineChart {
        x_label: l.batch.clone(),
        y_label: l.memory.clone(),
        columns: ("batch_sequences", "memory_gb_per_gpu"),
        x_log: true,
        y_log: false,
        series: vec![
            series(&l.weights, &|r| r.weights_bytes),
            series(&l.kv_cache, &|r| r.kv_cache_bytes),
            series(&l.activations, &|r| r.activation_bytes),
            Series {
                dashed: true,
                ..series(&l.total, &|r| r.memory_per_gpu_bytes * w.gpus as f64)
            },
        ],
        markers: vec![Marker {
            x: w.batch as f64,
            y: a.memory_per_gpu_bytes / crate::model::num::GIB,
            label: l.current.clone(),
        }],
        rules: vec![Rule::Horizontal {
            y: a.device_memory_bytes / crate::model::num::GIB,
            label: l.device_memory.clone(),
        }],
        ..Default::default()
    }
}

/// Every inference chart of a scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct InferenceCharts {
    pub roofline: LineChart,
    pub throughput: LineChart,
    pub latency: LineChart,
    pub memory: LineChart,
}

/// The section's charts for a scenario, with the default calibration; `None` when the scenario's
/// workload is invalid (its `evaluate` notes say why).
pub fn charts(s: &ServingInput, l: &InferenceLabels) -> Option<InferenceCharts> {
    let w = workload(s).0.ok()?;
    let cal = &CALIBRATION;
    let a = analyze(&w, cal).ok()?;
    // One sweep of batch sizes serves both charts.
    let sweep = batch_sweep(&w, &a, cal);
    Some(InferenceCharts {
        roofline: roofline_chart(&w, &a, cal, l),
        throughput: throughput_chart(&w, &a, &sweep, l),
        latency: latency_chart(&w, &a, &sweep, l),
        memory: memory_chart(&w, &a, cal, l),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::line::to_svg;
    use crate::chart::ChartStyle;
    use crate::model::architecture::preset;
    use crate::model::hardware;
    use crate::model::inference::{ModelShape, CALIBRATION};
    use crate::model::scenario::Precision;

    fn setup() -> (Workload, Analysis) {
        let w = Workload {
            shape: ModelShape::from_arch(&preset("llama-3-8b").unwrap().arch),
            gpu: *hardware::gpu("h100-sxm").unwrap(),
            gpus: 1,
            batch: 16,
            input_tokens: 1024,
            output_tokens: 256,
            weight_bits: 16,
            kv_bits: 16,
            compute: Precision::Bf16,
            spec_k: 0,
            spec_alpha: 0.0,
        };
        let a = analyze(&w, &CALIBRATION).unwrap();
        (w, a)
    }

    fn labels() -> InferenceLabels {
        InferenceLabels {
            prefill: "prefill".into(),
            decode: "decode".into(),
            ..Default::default()
        }
    }

    #[test]
    fn roofline_points_lie_under_the_roof() {
        let (w, a) = setup();
        let c = roofline_chart(&w, &a, &CALIBRATION, &labels());
        let peak = a.peak_flop_per_s;
        for m in &c.markers {
            let roof = (m.x * w.gpu.bandwidth_bytes_per_s).min(peak);
            assert!(m.y > 0.0 && m.y <= roof * (1.0 + 1e-9), "{m:?}");
        }
        // Prefill is compute-bound (right of the ridge), decode at batch 16 memory-bound (left).
        let ridge = peak / w.gpu.bandwidth_bytes_per_s;
        assert!(c.markers[0].x > ridge && c.markers[1].x < ridge);
        let svg = to_svg(&c, 640, 400, ChartStyle::default());
        assert!(svg.contains("prefill"));
    }

    #[test]
    fn sweeps_cover_the_memory_limit() {
        let (w, a) = setup();
        let t = throughput_chart(&w, &a, &batch_sweep(&w, &a, &CALIBRATION), &labels());
        let xs: Vec<f64> = t.series[0].points.iter().map(|p| p.0).collect();
        assert_eq!(*xs.last().unwrap(), a.max_batch as f64);
        assert!(xs.contains(&16.0));
        // Aggregate throughput rises with batch up to the limit.
        let ys: Vec<f64> = t.series[0].points.iter().map(|p| p.1).collect();
        assert!(ys.windows(2).all(|p| p[1] >= p[0]));
        let m = memory_chart(&w, &a, &CALIBRATION, &labels());
        let total = &m.series[3].points;
        assert!(total.last().unwrap().1 > a.device_memory_bytes / crate::model::num::GIB);
        let l = latency_chart(&w, &a, &batch_sweep(&w, &a, &CALIBRATION), &labels());
        assert_eq!(l.series.len(), 2);
        assert!(to_svg(&m, 640, 400, ChartStyle::default()).starts_with("<svg"));
    }

    #[test]
    fn scenario_charts() {
        assert!(charts(&ServingInput::default(), &labels()).is_some());
        let bad = ServingInput {
            batch: 0,
            ..ServingInput::default()
        };
        assert!(charts(&bad, &labels()).is_none());
    }
}
