//! What one input change costs the page natively: decode the link, evaluate the whole plan chain
//! (scaling law → training → serving → density), encode the link again.
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use scalecalc::model::scenario::{LawChoice, Scenario};
use scalecalc::model::{plan, url};

fn bench(c: &mut Criterion) {
    let s = Scenario::default();
    let link = url::encode(&Scenario {
        flops: 1e24,
        law: LawChoice::Preset("besiroglu2024".into()),
        ..Scenario::default()
    });
    c.bench_function("plan::evaluate (default scenario)", |b| {
        b.iter(|| plan::evaluate(black_box(&s.plan())))
    });
    c.bench_function("url::decode + encode", |b| {
        b.iter(|| url::encode(&url::decode(black_box(&link)).scenario))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
