//! Effective parameter size on real data: the 20-tokens-per-parameter runs of Sardana et al. 2024
//! (`data/sardana_beyond_chinchilla/trainingresults.csv`) are the reference family;
//! the same sizes trained much longer should show a density above 1 (more capability per
//! parameter), the Densing paper's central observation.

use scalecalc::model::density::effective::ScoreCurve;

/// The data set as shipped in the repository (`data/sardana_beyond_chinchilla/`, provenance in
/// `data/README.md`). Compiled in: a missing file fails the test build, never skips the test.
const SARDANA_CSV: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/data/sardana_beyond_chinchilla/trainingresults.csv"
));

/// (params, tokens per param, core_average score) rows.
fn rows() -> Vec<(f64, f64, f64)> {
    let mut r = csv::Reader::from_reader(SARDANA_CSV.as_bytes());
    let h = r.headers().unwrap().clone();
    let col = |n: &str| h.iter().position(|c| c == n).unwrap();
    let (cp, ct, cs) = (
        col("Parameters"),
        col("Tokens/Params"),
        col("eval_gauntlet/core_average"),
    );
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            let f = |i: usize| rec[i].parse::<f64>().unwrap();
            (f(cp), f(ct), f(cs))
        })
        .collect()
}

#[test]
fn longer_training_raises_density() {
    let all = rows();
    assert_eq!(all.len(), 47, "the file's documented row count");
    let family: Vec<(f64, f64)> = all
        .iter()
        .filter(|r| r.1 == 20.0)
        .map(|r| (r.0, r.2))
        .collect();
    assert_eq!(family.len(), 6, "one 20 tokens/param run per size");
    let curve = ScoreCurve::fit(&family).unwrap();
    // The fitted curve rises through the family: each member's own effective size is near itself.
    for &(n, s) in &family {
        if let Ok(nh) = curve.effective_params(s) {
            eprintln!(
                "family {n:.3e}: score {s:.4} -> N̂ {nh:.3e} (ρ = {:.2})",
                nh / n
            );
        }
    }
    // For each size, the longest run vs its 20 tokens/param run.
    let mut checked = 0;
    for &(n, _) in &family {
        let longest = all
            .iter()
            .filter(|r| r.0 == n)
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .unwrap();
        let base = all.iter().find(|r| r.0 == n && r.1 == 20.0).unwrap();
        if longest.1 <= 20.0 {
            continue;
        }
        match (curve.density(n, longest.2), curve.density(n, base.2)) {
            (Ok(rl), Ok(rb)) => {
                eprintln!(
                    "{n:.3e}: {} tok/param ρ = {rl:.2} vs 20 tok/param ρ = {rb:.2}",
                    longest.1
                );
                assert!(
                    rl > rb,
                    "{n:e}: longer training should raise density ({rl} vs {rb})"
                );
                assert!(rl > 1.0, "{n:e}: {rl}");
                checked += 1;
            }
            (Err(e), _) | (_, Err(e)) => eprintln!("{n:.3e}: {e}"),
        }
    }
    assert!(checked >= 3, "only {checked} sizes could be compared");
}
