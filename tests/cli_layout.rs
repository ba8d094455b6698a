//! `scalecalc layout` (issue 16): the layouts that fit, fastest first, agree with the library's
//! search; bad input exits 2 naming the flag.

mod common;
use common::{json, num, refused};

use scalecalc::model::training::layout::{search, LayoutQuery};
use scalecalc::model::training::step::STEP_CALIBRATION;
use scalecalc::model::{architecture, hardware};

#[test]
fn layouts_fit_and_are_ranked_and_match_the_library() {
    let v = json(&[
        "layout",
        "--model",
        "llama-3-70b",
        "--gpu",
        "h100-sxm",
        "--gpus",
        "1024",
        "--json",
    ]);
    let layouts = v["layouts"].as_array().unwrap();
    assert_eq!(layouts.len(), 10);
    let gpu = hardware::gpu("h100-sxm").unwrap();
    for w in layouts.windows(2) {
        assert!(num(&w[0], "tokens_per_s") >= num(&w[1], "tokens_per_s"));
    }
    for l in layouts {
        assert!(num(l, "memory_bytes") <= gpu.memory_bytes);
        let (tp, pp, cp, dp) = (num(l, "tp"), num(l, "pp"), num(l, "cp"), num(l, "dp"));
        assert_eq!(tp * pp * cp * dp, 1024.0, "{l}");
        assert_eq!(num(l, "ep"), 1.0, "a dense model: {l}");
        let mfu = num(l, "mfu");
        assert!(mfu > 0.0 && mfu < 1.0, "{l}");
    }
    // The same search through the library.
    let p = architecture::preset("llama-3-70b").unwrap();
    let q = LayoutQuery::for_model(
        &p.arch,
        gpu,
        *hardware::interconnect("h100-sxm").expect("interconnect"),
        1024,
        4096,
        1024,
        true,
    );
    let lib = search(&q, &STEP_CALIBRATION, 10);
    // (serde_json's parser may differ in the last bit: compare to 1e-12.)
    let ours = num(&layouts[0], "tokens_per_s");
    assert!((ours / lib[0].prediction.tokens_per_s - 1.0).abs() < 1e-12);
    assert_eq!(num(&layouts[0], "tp"), f64::from(lib[0].tp));
}

#[test]
fn bad_layout_input_is_named() {
    for (args, flag) in [
        (vec!["layout", "--model", "gpt-9", "--gpus", "8"], "--model"),
        (
            vec!["layout", "--model", "llama-2-7b", "--gpus", "0"],
            "--gpus",
        ),
        (
            vec![
                "layout",
                "--model",
                "llama-2-7b",
                "--gpus",
                "8",
                "--gpu",
                "nope",
            ],
            "--gpu",
        ),
        (
            vec![
                "layout",
                "--model",
                "llama-2-7b",
                "--gpus",
                "8",
                "--global-batch",
                "-3",
            ],
            "--global-batch",
        ),
    ] {
        refused(&args, flag);
    }
}

#[test]
fn fewest_gpus_and_cost_ranking() {
    let base = [
        "layout",
        "--model",
        "llama-3-70b",
        "--gpu",
        "h100-sxm",
        "--gpus",
        "1024",
    ];
    let mut a: Vec<&str> = base.to_vec();
    a.extend(["--fewest", "--json"]);
    let v = json(&a);
    let g = num(&v, "fewest_gpus");
    assert!(g > 8.0 && g < 1024.0, "{v}");
    for l in v["layouts"].as_array().unwrap() {
        assert_eq!(num(l, "gpus"), g);
    }
    // One count fewer (the previous power of two) holds no layout.
    let fewer = (g / 2.0).to_string();
    let mut b: Vec<&str> = base.to_vec();
    b[6] = &fewer;
    b.push("--json");
    assert!(json(&b)["layouts"].as_array().unwrap().is_empty());
    // By cost at $2 per GPU-hour: cheapest first, and usd = GPUs / (tokens/s) × 2 / 3600 × 10⁶.
    let mut c: Vec<&str> = base.to_vec();
    c.extend(["--rank", "cost", "--price-per-gpu-hour", "2", "--json"]);
    let v = json(&c);
    let ls = v["layouts"].as_array().unwrap();
    for w in ls.windows(2) {
        assert!(num(&w[0], "usd_per_million_tokens") <= num(&w[1], "usd_per_million_tokens"));
    }
    let l = &ls[0];
    let usd = num(l, "gpus") / num(l, "tokens_per_s") * 2.0 / 3600.0 * 1e6;
    assert!((usd / num(l, "usd_per_million_tokens") - 1.0).abs() < 1e-12);
    refused(
        &[
            "layout",
            "--model",
            "llama-3-70b",
            "--gpus",
            "64",
            "--rank",
            "speed",
        ],
        "--rank",
    );
}
