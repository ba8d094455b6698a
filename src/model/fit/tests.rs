//! Tests of the fit on real and synthetic data.

use super::*;

/// `../shared/data` beside the checkout, or `$SCALECALC_DATA`.
pub(crate) fn data_dir() -> std::path::PathBuf {
    std::env::var_os("SCALECALC_DATA")
        .map(Into::into)
        .unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data").into())
}

/// The Epoch points (Besiroglu et al. 2024) as the replication uses them: the 5 highest losses
/// dropped, `D = C/(6N)`. `None` only when the data is absent and `SCALECALC_ALLOW_MISSING_DATA=1`.
pub(crate) fn epoch_runs() -> Option<Runs> {
    let path = data_dir().join("chinchilla_epoch/svg_extracted_data.csv");
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            if std::env::var("SCALECALC_ALLOW_MISSING_DATA").as_deref() == Ok("1") {
                eprintln!("SKIPPED: {} absent ({e})", path.display());
                return None;
            }
            panic!(
                "data file {} is missing ({e}); set SCALECALC_DATA or SCALECALC_ALLOW_MISSING_DATA=1",
                path.display()
            );
        }
    };
    let cols = ColumnMap {
        params: "Model Size".into(),
        tokens: "no tokens column".into(),
        flops: "Training FLOP".into(),
        loss: "loss".into(),
    };
    let mut pts = runs::parse_points(&text, &cols).expect("Epoch CSV parses");
    assert_eq!(pts.len(), 245);
    // data/README.md: keep loss < the 5th-highest value.
    let mut losses: Vec<f64> = pts.iter().map(|r| r.loss).collect();
    losses.sort_by(|a, b| b.total_cmp(a));
    let cut = losses[4];
    pts.retain(|r| r.loss < cut);
    assert_eq!(pts.len(), 240);
    Some(Runs::new(pts).expect("valid runs"))
}

#[test]
fn epoch_timing_probe() {
    let Some(runs) = epoch_runs() else { return };
    let t = std::time::Instant::now();
    let r = fit(&runs, &FitOptions::default()).unwrap();
    eprintln!("{:?} {:?}", t.elapsed(), r);
}

#[test]
fn epoch_eval_probe() {
    let Some(runs) = epoch_runs() else { return };
    let mut opts = FitOptions::default();
    let tol: Vec<f64> = std::env::var("TOL").unwrap().split(',').map(|v| v.parse().unwrap()).collect();
    opts.lbfgs.gtol = tol[0]; opts.lbfgs.ftol = tol[1];
    let r = fit(&runs, &opts).unwrap();
    eprintln!("{:?} {} {}", r.law, r.objective, r.converged);
    let data = Data::of(&runs);
    let mut fg = |x: &[f64; 5], g: &mut [f64; 5]| objective_data(&data, x, 1e-3, g);
    let t = std::time::Instant::now();
    let mut x = [6.0, 7.0, 0.5, 0.3, 0.3];
    let mut g = [0.0; 5];
    let mut s = 0.0;
    for i in 0..100000 { x[0] = 6.0 + i as f64 * 1e-7; s += fg(&x, &mut g); }
    eprintln!("per eval {:?} {s}", t.elapsed() / 100000);
    let mut hist = std::collections::BTreeMap::new();
    let (mut it, mut ev) = (0, 0);
    for st in 0..opts.grid.len() {
        let m = lbfgs::minimize(&mut fg, opts.grid.start(st), &opts.lbfgs);
        it += m.iterations; ev += m.evaluations;
        *hist.entry(format!("{:?}", m.status)).or_insert(0) += 1;
        let _ = st;
    }
    eprintln!("iters {it} evals {ev} {hist:?}");
}
