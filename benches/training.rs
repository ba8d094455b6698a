//! The whole training estimate (FLOPs, hours, money, energy, memory with the fewest-GPU search).
//! Target (issue 5): ≤ 1 ms natively.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use scalecalc::model::scenario::Recompute;
use scalecalc::model::training::{self, TrainingRun};

fn bench(c: &mut Criterion) {
    let s = TrainingRun {
        recompute: Recompute::Selective,
        ..TrainingRun::default()
    };
    c.bench_function("training::evaluate", |b| {
        b.iter(|| training::evaluate(black_box(&s)))
    });
    c.bench_function("training::validation_rows", |b| {
        b.iter(training::validation::validation_rows)
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
