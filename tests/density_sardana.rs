//! Effective parameter size on real data: the 20-tokens-per-parameter runs of Sardana et al. 2024
//! (`../shared/data/sardana_beyond_chinchilla/trainingresults.csv`) are the reference family;
//! the same sizes trained much longer should show a density above 1 (more capability per
//! parameter), the Densing paper's central observation.

use scalecalc::model::density::effective::ScoreCurve;

fn data_dir() -> Option<std::path::PathBuf> {
    let dir = std::env::var("SCALECALC_DATA")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data").into());
    if dir
        .join("sardana_beyond_chinchilla/trainingresults.csv")
        .exists()
    {
        Some(dir)
    } else if std::env::var("SCALECALC_ALLOW_MISSING_DATA").as_deref() == Ok("1") {
        eprintln!(
            "data set missing under {}: skipped (SCALECALC_ALLOW_MISSING_DATA=1)",
            dir.display()
        );
        None
    } else {
        panic!(
            "data set missing: {}/sardana_beyond_chinchilla/trainingresults.csv (set SCALECALC_DATA, or SCALECALC_ALLOW_MISSING_DATA=1 to skip)",
            dir.display()
        );
    }
}

/// (params, tokens per param, core_average score) rows.
fn rows(dir: &std::path::Path) -> Vec<(f64, f64, f64)> {
    let mut r =
        csv::Reader::from_path(dir.join("sardana_beyond_chinchilla/trainingresults.csv")).unwrap();
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
    let Some(dir) = data_dir() else { return };
    let all = rows(&dir);
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
