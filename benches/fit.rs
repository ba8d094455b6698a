//! The full App. D.2 fit (4,500 starts) on the 240 Epoch points, and 1,000 bootstrap resamples.
//! Data: `data/chinchilla_epoch/` in the repository (provenance in `data/README.md`).

use criterion::{criterion_group, criterion_main, Criterion};
use scalecalc::model::fit::{self, BootstrapOptions, ColumnMap, FitOptions, Runs};

fn epoch_runs() -> Runs {
    let text = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/chinchilla_epoch/svg_extracted_data.csv"
    ));
    let cols = ColumnMap {
        params: "Model Size".into(),
        tokens: "-".into(),
        flops: "Training FLOP".into(),
        loss: "loss".into(),
    };
    let mut pts = fit::runs::parse_points(text, &cols).expect("Epoch CSV");
    let mut l: Vec<f64> = pts.iter().map(|r| r.loss).collect();
    l.sort_by(|a, b| b.total_cmp(a));
    pts.retain(|r| r.loss < l[4]);
    Runs::new(pts).expect("240 runs")
}

fn benches(c: &mut Criterion) {
    let runs = epoch_runs();
    let opts = FitOptions::default();
    let mut g = c.benchmark_group("fit");
    g.sample_size(10);
    g.bench_function("epoch_4500_starts_threaded", |b| {
        b.iter(|| fit::fit(&runs, &opts).unwrap())
    });
    g.bench_function("epoch_4500_starts_single_thread", |b| {
        b.iter(|| {
            fit::Fitter::new(runs.clone(), opts.clone())
                .unwrap()
                .finish()
                .unwrap()
        })
    });
    let full = fit::fit(&runs, &opts).unwrap();
    let bo = BootstrapOptions {
        resamples: 1000,
        seed: 1,
        budget_flops: 5.76e23,
    };
    g.bench_function("epoch_bootstrap_1000", |b| {
        b.iter(|| fit::bootstrap(&runs, &full, &opts, bo).unwrap())
    });
    g.finish();
}

criterion_group!(fit_benches, benches);
criterion_main!(fit_benches);
