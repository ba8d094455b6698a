//! `scalecalc atlas` and `scalecalc density-fit --atlas` (issue 17): every row has its source; the
//! atlas fit keeps density-fit's keys and adds the benchmark and the reference family.

mod common;
use common::{json, run};

#[test]
fn atlas_lists_every_row_with_its_source() {
    let v = json(&["atlas", "--json"]);
    let models = v["models"].as_array().unwrap();
    let prices = v["prices"].as_array().unwrap();
    assert!(models.len() >= 80, "{}", models.len());
    assert!(prices.len() >= 40, "{}", prices.len());
    for row in models
        .iter()
        .chain(prices)
        .chain(v["price_scores"].as_array().unwrap())
    {
        let url = row["source"]["url"].as_str().unwrap();
        assert!(url.starts_with("http"), "{row}");
        assert!(
            !row["source"]["locator"].as_str().unwrap().is_empty(),
            "{row}"
        );
    }
    let dated = models
        .iter()
        .filter(|m| m["release_date"].is_string())
        .count();
    assert!(dated >= 80, "{dated} dated");
    let llama = models.iter().find(|m| m["name"] == "Llama-2-7B").unwrap();
    assert_eq!(llama["release_date"], "2023-07-18");
    assert_eq!(llama["mmlu_5shot"], 45.3);
    let (code, text, _) = run(&["atlas"]);
    assert_eq!(code, 0);
    assert!(text.contains("providers: "), "{text}");
}

#[test]
fn density_fit_on_the_atlas_keeps_the_keys() {
    let (code, out, err) = run(&["density-fit", "--atlas", "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    for key in [
        "doubling_months",
        "ci95",
        "r2",
        "n_models",
        "frontier",
        "growth",
        "slope_per_day",
        "slope_ci95",
        "models",
        "note",
        "benchmark",
        "reference_family",
    ] {
        assert!(v.get(key).is_some(), "no {key} in {v}");
    }
    assert_eq!(v["benchmark"], "mmlu");
    assert_eq!(v["reference_family"], "qwen2.5");
    assert_eq!(v["frontier"], false);
    let all = v["n_models"].as_u64().unwrap();

    let v = json(&[
        "density-fit",
        "--atlas",
        "--frontier",
        "--benchmark",
        "MATH",
        "--reference-family",
        "qwen1.5",
        "--json",
    ]);
    assert_eq!(v["benchmark"], "math");
    assert_eq!(v["reference_family"], "qwen1.5");
    assert_eq!(v["frontier"], true);
    assert!(v["n_models"].as_u64().unwrap() < all);
    let t = v["doubling_months"].as_f64().unwrap();
    let ci = v["ci95"].as_array().unwrap();
    assert!(ci[0].as_f64().unwrap() < t && t < ci[1].as_f64().unwrap());
    assert!(v["r2"].as_f64().unwrap() > 0.5);
}

#[test]
fn bad_atlas_arguments_exit_2() {
    let p = common::write(
        "atlas-args.csv",
        "name,date,params,density\na,2024-01-01,1e9,1\nb,2024-03-01,1e9,2\nc,2024-06-01,1e9,4\n",
    );
    for (args, needle) in [
        (
            vec!["density-fit", "--atlas", "--benchmark", "gpqa"],
            "--benchmark",
        ),
        (
            vec!["density-fit", "--atlas", "--reference-family", "llama-2"],
            "--reference-family",
        ),
        (
            vec!["density-fit", &p, "--benchmark", "math"],
            "--benchmark",
        ),
        (
            vec!["density-fit", &p, "--reference-family", "qwen2.5"],
            "--reference-family",
        ),
        (vec!["density-fit", &p, "--atlas"], "--atlas"),
        (vec!["density-fit"], "MODELS.csv"),
    ] {
        let (code, _, err) = run(&args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(err.contains(needle), "{args:?}: {err}");
    }
}
