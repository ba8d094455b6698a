//! The layout search over 16,384 GPUs (issue 16: at most 50 ms natively).

use criterion::{criterion_group, criterion_main, Criterion};
use scalecalc::model::training::layout::{search, LayoutQuery};
use scalecalc::model::training::step::STEP_CALIBRATION;
use scalecalc::model::training::{shape_of, ActivationShape};
use scalecalc::model::{architecture, hardware, scenario::Optimizer};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let p = architecture::preset("llama-3-70b").expect("preset");
    let gpu = hardware::gpu("h100-sxm").expect("gpu");
    let q = LayoutQuery {
        shape: ActivationShape {
            seq_len: 8192,
            micro_batch: 1,
            ..shape_of(&p.arch)
        },
        vocab: p.arch.vocab as u32,
        params: p.arch.params().total,
        gpus: 16_384,
        global_batch: 16_384,
        optimizer: Optimizer::AdamMixed,
        flash_attention: true,
        fp32_grads: true,
        dp_overlap: 0.8,
        gpu_memory_bytes: gpu.memory_bytes,
        peak_flop_per_s: gpu.peak_bf16_flop_per_s,
        memory_bytes_per_s: gpu.bandwidth_bytes_per_s,
        interconnect: *hardware::interconnect("h100-sxm").expect("interconnect"),
    };
    c.bench_function("layout::search (Llama-3-70B, 16,384 H100s)", |b| {
        b.iter(|| search(black_box(&q), &STEP_CALIBRATION, 10))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
