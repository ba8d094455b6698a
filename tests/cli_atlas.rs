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

/// Issue 17 item 4: the implied margin of open-weight models, list price beside our serving cost.
#[test]
fn atlas_json_has_implied_margins() {
    let v = json(&["atlas", "--json"]);
    for key in [
        "price_halving",
        "models",
        "prices",
        "price_scores",
        "reference_families",
        "benchmarks",
        "price_mix",
    ] {
        assert!(v.get(key).is_some(), "no {key}");
    }
    let m = &v["implied_margins"];
    assert_eq!(m["gpu"], "h100-sxm");
    assert_eq!(m["price_per_gpu_hour"], 2.0);
    assert_eq!(m["workload"]["batch"], 64);
    let rows = m["rows"].as_array().unwrap();
    assert!(rows.len() >= 3, "{m}");
    let r1 = rows
        .iter()
        .find(|r| r["model"] == "deepseek-reasoner (DeepSeek-R1)")
        .unwrap();
    assert_eq!(r1["preset"], "deepseek-v3");
    assert_eq!(r1["price_input"], 0.55);
    let (cost, price, margin) = (
        r1["cost_blended"].as_f64().unwrap(),
        r1["price_blended"].as_f64().unwrap(),
        r1["margin_blended"].as_f64().unwrap(),
    );
    assert!((margin - (1.0 - cost / price)).abs() < 1e-12, "{r1}");
    assert!(r1["gpus"].as_u64().unwrap() >= 8, "{r1}");
    assert!(r1["source"]["url"]
        .as_str()
        .unwrap()
        .starts_with("https://"));
    // A row without a USD price says so in place of its margin, never null.
    let cny = rows
        .iter()
        .find(|r| r["price_blended"].is_string())
        .unwrap();
    assert!(
        cny["margin_blended"].as_str().unwrap().contains("CNY"),
        "{cny}"
    );
    // Dearer GPU-hours, a lower margin; a bigger batch, a higher one.
    let dear = json(&["atlas", "--json", "--price-per-gpu-hour", "4"]);
    let bigger = json(&["atlas", "--json", "--margin-batch", "1024", "--gpu", "h200"]);
    let find = |v: &serde_json::Value| {
        v["implied_margins"]["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["model"] == "deepseek-reasoner (DeepSeek-R1)")
            .unwrap()["margin_blended"]
            .as_f64()
            .unwrap()
    };
    assert!(find(&dear) < margin);
    assert!(find(&bigger) > margin);
    // Bad flags: exit 2, one line naming the flag.
    for (flag, value) in [
        ("--gpu", "no-such-gpu"),
        ("--price-per-gpu-hour", "NaN"),
        ("--margin-batch", "0"),
    ] {
        let (code, _, err) = run(&["atlas", "--json", flag, value]);
        assert_eq!(code, 2, "{flag} {value}: {err}");
        assert!(err.contains(flag), "{err}");
        assert_eq!(err.trim().lines().count(), 1, "{err}");
    }
}
