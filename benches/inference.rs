//! How long the page waits for the inference section: one `evaluate` (analysis, calibration and
//! validation tables) and the four charts.

use criterion::{criterion_group, criterion_main, Criterion};
use scalecalc::chart::inference::{charts, InferenceLabels};
use scalecalc::model::inference::evaluate;
use scalecalc::model::scenario::Scenario;
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let s = Scenario::default().serving();
    c.bench_function("inference_evaluate", |b| b.iter(|| evaluate(black_box(&s))));
    let l = InferenceLabels::default();
    c.bench_function("inference_charts", |b| b.iter(|| charts(black_box(&s), &l)));
}

criterion_group!(benches, bench);
criterion_main!(benches);
