//! `scalecalc density`: the issue's acceptance examples and its error handling.

mod common;
use common::run;

/// The issue's tolerance (±0.1%).
const ISSUE_REL: f64 = 1e-3;

#[test]
fn gpt3_to_2024_at_8_and_3_3_months() {
    // 2020-06-01 → 2024-02-01 = 1340 days.
    for (extra, t) in [(None, 8.0_f64), (Some("3.3"), 3.3)] {
        let mut args = vec![
            "density",
            "--reference-params",
            "175e9",
            "--reference-date",
            "2020-06-01",
            "--date",
            "2024-02-01",
            "--json",
        ];
        if let Some(m) = extra {
            args.extend(["--doubling-months", m]);
        }
        let (code, out, err) = run(&args);
        assert_eq!(code, 0, "{err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        let want = (1340.0 / 30.436875 / t).exp2();
        let ratio = v["density_ratio"].as_f64().unwrap();
        let params = v["equivalent_params"].as_f64().unwrap();
        let flops = v["inference_flops_per_token"].as_f64().unwrap();
        assert!((ratio / want - 1.0).abs() < ISSUE_REL, "{ratio} vs {want}");
        assert!((params / (175e9 / want) - 1.0).abs() < ISSUE_REL);
        assert!((flops / (2.0 * 175e9 / want) - 1.0).abs() < ISSUE_REL);
    }
}

#[test]
fn device_fit_and_notes() {
    let (code, out, err) = run(&[
        "density",
        "--reference-params",
        "175e9",
        "--reference-date",
        "2020-05-28",
        "--date",
        "2019-01-01",
        "--bits",
        "4",
        "--device",
        "m2-ultra",
        "--json",
    ]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let notes = v["notes"].to_string();
    assert!(notes.contains("before --reference-date"), "{notes}");
    assert!(notes.contains("already fits"), "{notes}");
    assert_eq!(v["fits_at_reference"], true);
}

#[test]
fn bad_input_exits_2_naming_the_flag() {
    for (args, flag) in [
        (
            vec![
                "--reference-params",
                "0",
                "--reference-date",
                "2020-06-01",
                "--date",
                "2024-02-01",
            ],
            "--reference-params",
        ),
        (
            vec![
                "--reference-params",
                "-5",
                "--reference-date",
                "2020-06-01",
                "--date",
                "2024-02-01",
            ],
            "--reference-params",
        ),
        (
            vec![
                "--reference-params",
                "1e9",
                "--reference-date",
                "2020-02-30",
                "--date",
                "2024-02-01",
            ],
            "--reference-date",
        ),
        (
            vec![
                "--reference-params",
                "1e9",
                "--reference-date",
                "2020-02-01",
                "--date",
                "soon",
            ],
            "--date",
        ),
        (
            vec![
                "--reference-params",
                "1e9",
                "--reference-date",
                "2020-02-01",
                "--date",
                "2024-02-01",
                "--doubling-months",
                "0",
            ],
            "--doubling-months",
        ),
        (
            vec![
                "--reference-params",
                "1e9",
                "--reference-date",
                "2020-02-01",
                "--date",
                "2024-02-01",
                "--device",
                "toaster",
            ],
            "--device",
        ),
    ] {
        let mut a = vec!["density"];
        a.extend(args);
        let (code, out, err) = run(&a);
        assert_eq!(code, 2, "{a:?}: {out}");
        assert!(err.contains(flag), "{a:?}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{err}");
    }
}
