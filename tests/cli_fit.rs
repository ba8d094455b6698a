//! `scalecalc fit` end to end.

mod common;

use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_scalecalc"))
}

fn write(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("scalecalc-cli-fit-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// Runs from L = 1.7 + 450/N^0.33 + 1500/D^0.36, on a 6 × 5 grid of (N, D), as `params,flops,loss`.
fn synthetic_csv() -> String {
    let mut s = String::from("name,params,flops,loss\n");
    for (i, n) in [5e7, 1e8, 3e8, 1e9, 3e9, 1e10].iter().enumerate() {
        for d in [1e9, 5e9, 2e10, 1e11, 5e11] {
            let l: f64 = 1.7 + 450.0 / f64::powf(*n, 0.33) + 1500.0 / f64::powf(d, 0.36);
            s.push_str(&format!("run{i},{n},{},{l}\n", 6.0 * n * d));
        }
    }
    s
}

#[test]
fn fit_json_keys_and_values() {
    let p = write("ok.csv", &synthetic_csv());
    let out = bin()
        .args([
            "fit",
            p.to_str().unwrap(),
            "--bootstrap",
            "30",
            "--seed",
            "7",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for k in [
        "E",
        "A",
        "B",
        "alpha",
        "beta",
        "objective",
        "n_points",
        "starts",
        "elapsed_ms",
    ] {
        assert!(v[k].is_number(), "missing {k}: {v}");
    }
    assert_eq!(v["n_points"], 30);
    assert_eq!(v["starts"], 4500);
    assert!((v["alpha"].as_f64().unwrap() - 0.33).abs() < 1e-3, "{v}");
    assert!((v["E"].as_f64().unwrap() - 1.7).abs() < 1e-3, "{v}");
    for k in ["E", "A", "B", "alpha", "beta"] {
        let pair = v["ci95"][k].as_array().unwrap();
        assert_eq!(pair.len(), 2);
        assert!(pair[0].as_f64().unwrap() <= pair[1].as_f64().unwrap());
    }
    // The printed law is usable as a --law-file: exactly the law's keys are present.
    let law: scalecalc::model::scaling::ParametricLaw = serde_json::from_value(v.clone()).unwrap();
    assert!((law.beta - 0.36).abs() < 1e-3);
    // Same seed, same intervals.
    let again = bin()
        .args([
            "fit",
            p.to_str().unwrap(),
            "--bootstrap",
            "30",
            "--seed",
            "7",
            "--json",
        ])
        .output()
        .unwrap();
    let w: serde_json::Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(v["ci95"], w["ci95"]);
}

#[test]
fn bad_rows_exit_2_with_lines() {
    let p = write(
        "bad.csv",
        "params,tokens,loss\n1e8,1e9,3\n-1,1e9,3\n2e8,x,3\n",
    );
    let out = bin()
        .args(["fit", p.to_str().unwrap(), "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 3") && err.contains("line 4"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn missing_column_file_and_bad_flag_exit_2() {
    let p = write("nocol.csv", "params,loss\n1,2\n");
    let out = bin().args(["fit", p.to_str().unwrap()]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("tokens"));
    let out = bin()
        .args(["fit", "/nonexistent/runs.csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let p = write("ok2.csv", &synthetic_csv());
    let out = bin()
        .args(["fit", p.to_str().unwrap(), "--huber-delta", "-1"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("huber-delta"));
}

#[test]
fn the_start_grid_is_an_option_and_approach_2_is_reported() {
    let p = write("grid.csv", &synthetic_csv());
    let run = |extra: &[&str]| {
        let mut args = vec!["fit", p.to_str().unwrap(), "--json"];
        args.extend_from_slice(extra);
        let out = bin().args(&args).output().unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    // A 2 × 2 × 1 × 1 × 1 grid: 4 starts, and the same optimum as the full grid on clean data.
    let (code, out, err) = run(&[
        "--grid-a",
        "5,8",
        "--grid-b",
        "5,8",
        "--grid-e=0.5",
        "--grid-alpha",
        "0.3",
        "--grid-beta",
        "0.4",
    ]);
    assert_eq!(code, Some(0), "{err}");
    let small: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(small["starts"], 4);
    let (_, out, _) = run(&[]);
    let full: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(full["starts"], 4500);
    let rel = |k: &str| (small[k].as_f64().unwrap() / full[k].as_f64().unwrap() - 1.0).abs();
    assert!(
        rel("alpha") < 1e-4 && rel("beta") < 1e-4,
        "{small} vs {full}"
    );
    // The synthetic runs are not iso-FLOP groups at 10%: approach 2 says why instead of a number.
    let why = full["approach2"]["error"].as_str().unwrap_or_default();
    assert!(
        why.contains("equal-compute groups"),
        "{}",
        full["approach2"]
    );
    // A bad grid value: exit 2, naming the option.
    let (code, _, err) = run(&["--grid-a=nan"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("--grid-a") && err.contains("finite"), "{err}");
}

/// Issue 19's reproducers for `fit`: absurd resample counts are refused naming the flag (no
/// "capacity overflow" panic, no 40 GB allocation), as are non-finite or negative tolerances.
#[test]
fn absurd_fit_options_are_refused_naming_the_flag() {
    let runs = common::write(
        "hostile-runs.csv",
        "params,tokens,loss\n1e8,2e9,3.2\n2e8,4e9,3.0\n4e8,8e9,2.8\n8e8,1.6e10,2.65\n1.6e9,3.2e10,2.5\n",
    );
    let cases: &[(&str, &str)] = &[
        ("--bootstrap", "18446744073709551615"),
        ("--bootstrap", "1000000000"),
        ("--bootstrap", "-1"),
        ("--iso-tol", "NaN"),
        ("--iso-tol", "inf"),
        ("--iso-tol", "-1"),
    ];
    for (flag, value) in cases {
        let (code, out, err) = common::run(&["fit", &runs, flag, value, "--json"]);
        assert_eq!(code, 2, "{flag} {value}: {out} {err}");
        assert!(err.contains(flag), "{flag} {value}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert!(!err.contains("panicked"), "{err}");
    }
}

/// A runs file too large to fit in about 30 s is refused at once with the limit named, where it
/// used to run for minutes with no word (issue 19: a 1,000,000-row CSV).
#[test]
fn a_fit_with_too_much_work_is_refused_at_once() {
    let mut csv = String::from("params,tokens,loss\n");
    for i in 0..30_000u32 {
        let n = 1e8 * (1.0 + f64::from(i % 97) / 10.0);
        let d = 2e9 * (1.0 + f64::from(i % 89) / 10.0);
        let l = 1.8 + 400.0 / n.powf(0.34) + 400.0 / d.powf(0.28);
        csv.push_str(&format!("{n},{d},{l}\n"));
    }
    let path = common::write("too-many-runs.csv", &csv);
    let t0 = std::time::Instant::now();
    let (code, _, err) = common::run(&["fit", &path, "--json"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("30000 runs × 4500 starts"), "{err}");
    assert!(err.contains("limit"), "{err}");
    assert!(t0.elapsed().as_secs_f64() < 10.0, "{:?}", t0.elapsed());
}

/// The bootstrap's work (resamples × starts × runs) is held to the same limit as the fit, and
/// refused before any is done, naming --bootstrap.
#[test]
fn a_bootstrap_with_too_much_work_is_refused_at_once() {
    let mut csv = String::from("params,tokens,loss\n");
    for i in 0..20_000u32 {
        let n = 1e8 * (1.0 + f64::from(i % 97) / 10.0);
        let d = 2e9 * (1.0 + f64::from(i % 89) / 10.0);
        let l = 1.8 + 400.0 / n.powf(0.34) + 400.0 / d.powf(0.28);
        csv.push_str(&format!("{n},{d},{l}\n"));
    }
    let path = common::write("bootstrap-too-much.csv", &csv);
    let t0 = std::time::Instant::now();
    let one_start = [
        "--grid-a",
        "6",
        "--grid-b",
        "6",
        "--grid-e",
        "0.5",
        "--grid-alpha",
        "0.3",
        "--grid-beta",
        "0.3",
    ];
    let mut args = vec!["fit", path.as_str(), "--bootstrap", "10000", "--json"];
    args.extend(one_start);
    let (code, _, err) = common::run(&args);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("--bootstrap") && err.contains("limit"),
        "{err}"
    );
    assert!(t0.elapsed().as_secs_f64() < 20.0, "{:?}", t0.elapsed());
}
