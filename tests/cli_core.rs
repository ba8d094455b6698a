//! The CLI's foundation interface: `optimal`, `scenario`, and its error contract.

mod common;
use common::{json, run};

#[test]
fn optimal_gopher_budget() {
    // Issue: params ≈ 3.22e10 and tokens ≈ 2.98e12 (±1%).
    let v = json(&[
        "optimal",
        "--law",
        "hoffmann2022",
        "--flops",
        "5.76e23",
        "--json",
    ]);
    let rel = |k: &str, x: f64| (v[k].as_f64().unwrap() / x - 1.0).abs();
    assert!(rel("params", 3.22e10) < 0.01, "{v}");
    assert!(rel("tokens", 2.98e12) < 0.01, "{v}");
    assert!(rel("tokens_per_param", 92.6) < 0.01, "{v}");
    assert!(rel("loss", 1.9307) < 0.001, "{v}");
}

#[test]
fn scenario_matches_optimal_and_reports_bad_fields() {
    let v = json(&[
        "scenario",
        "--url",
        "http://127.0.0.1:8080/?v=1&c=1e22&k=abc&nope=1",
        "--json",
    ]);
    let direct = json(&["optimal", "--flops", "1e22", "--json"]);
    assert_eq!(v["optimal"]["params"], direct["params"]);
    let keys: Vec<&str> = v["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["k", "nope"]);
    assert!(v["warnings"][0]["message"]
        .as_str()
        .unwrap()
        .contains("not a number"));
}

#[test]
fn errors_are_one_line_exit_2() {
    for args in [
        &["optimal", "--flops", "abc"][..],
        &["optimal", "--flops", "-1"],
        &["optimal", "--flops", "NaN"],
        &["optimal", "--law", "nope", "--flops", "1e20"],
        &["optimal"],
        &["frobnicate"],
    ] {
        let (code, out, err) = run(args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(out.is_empty(), "{args:?}");
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}");
    }
    let (_, _, err) = run(&["optimal", "--flops", "abc"]);
    assert!(err.contains("--flops"), "{err}");
    let (_, _, err) = run(&["optimal", "--law", "nope", "--flops", "1e20"]);
    assert!(
        err.contains("--law") && err.contains("hoffmann2022"),
        "{err}"
    );
}

/// Issue 19: a value that starts with '-' is judged by its flag's own rule, and the message names
/// the flag (clap alone said "unexpected argument '-1' found" or "'-N'").
#[test]
fn negative_and_hyphenated_values_name_their_flag() {
    let cases: &[&[&str]] = &[
        &[
            "optimal",
            "--law",
            "hoffmann2022",
            "--flops",
            "-1",
            "--json",
        ],
        &[
            "optimal",
            "--law",
            "hoffmann2022",
            "--flops",
            "-NaN",
            "--json",
        ],
        &[
            "train", "--params", "7e9", "--tokens", "1e12", "--gpu", "h100-sxm", "--gpus", "-NaN",
            "--mfu", "0.4", "--json",
        ],
        &[
            "train", "--params", "-7e9", "--tokens", "1e12", "--gpu", "h100-sxm", "--gpus", "8",
            "--mfu", "0.4", "--json",
        ],
    ];
    for args in cases {
        let (code, out, err) = run(args);
        assert_eq!(code, 2, "{args:?}: {out} {err}");
        let flag = args
            .windows(2)
            .find(|w| w[1].starts_with('-') && w[1] != "--json" && w[0].starts_with("--"))
            .map(|w| w[0])
            .unwrap();
        assert!(err.contains(flag), "{args:?}: {err}");
        assert!(!err.contains("unexpected argument"), "{args:?}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{err}");
    }
}

/// Issue 15: a hostile pasted config.json in a link (4·hidden_size overflowed: a panic in a debug
/// build, a silent wrap in release) opens with exit 0 and a warning that names the field.
#[test]
fn a_hostile_config_in_a_link_is_named_not_a_panic() {
    let link = r#"http://127.0.0.1:8080/?v=1&im=custom&cfg={"hidden_size":1e19,"num_hidden_layers":32,"num_attention_heads":32,"intermediate_size":11008,"vocab_size":32000}"#;
    let (code, out, err) = run(&["scenario", "--url", link, "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let w = v["warnings"].as_array().unwrap();
    assert!(
        w.iter()
            .any(|w| w["key"] == "cfg" && w["message"].as_str().unwrap().contains("hidden_size")),
        "{w:?}"
    );
}
