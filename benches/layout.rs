//! The layout search over 16,384 GPUs (issue 16: at most 50 ms natively).

use criterion::{criterion_group, criterion_main, Criterion};
use scalecalc::model::training::layout::{search, LayoutQuery};
use scalecalc::model::training::step::STEP_CALIBRATION;
use scalecalc::model::{architecture, hardware};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let p = architecture::preset("llama-3-70b").expect("preset");
    let gpu = hardware::gpu("h100-sxm").expect("gpu");
    let q = LayoutQuery::for_model(
        &p.arch,
        gpu,
        *hardware::interconnect("h100-sxm").expect("interconnect"),
        16_384,
        8192,
        16_384,
        true,
    );
    c.bench_function("layout::search (Llama-3-70B, 16,384 H100s)", |b| {
        b.iter(|| search(black_box(&q), &STEP_CALIBRATION, 10))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
