//! `scalecalc layout` (issue 16): the layouts that fit, fastest first, agree with the library's
//! search; bad input exits 2 naming the flag.

mod common;
use common::{json, num, run};

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
        let (code, _, err) = run(&args);
        assert_eq!(code, 2, "{args:?}");
        assert!(err.contains(flag), "{args:?}: {err}");
    }
}
