//! The `loss` and `optimal` subcommands: a public interface (flag names and JSON keys).

use std::process::Command;

fn run(args: &[&str]) -> (i32, serde_json::Value, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_scalecalc"))
        .args(args)
        .output()
        .expect("run scalecalc");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    let v = serde_json::from_str(&stdout).unwrap_or(serde_json::Value::Null);
    (out.status.code().unwrap_or(-1), v, stderr)
}

fn num(v: &serde_json::Value, key: &str) -> f64 {
    v[key]
        .as_f64()
        .unwrap_or_else(|| panic!("missing number {key} in {v}"))
}

/// The issue's golden: 3.22e10 params, 2.98e12 tokens (±1%).
const GOLDEN_REL: f64 = 0.01;

#[test]
fn optimal_gopher_budget() {
    let (code, v, err) = run(&[
        "optimal",
        "--law",
        "hoffmann2022",
        "--flops",
        "5.76e23",
        "--json",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!((num(&v, "params") / 3.22e10 - 1.0).abs() < GOLDEN_REL);
    assert!((num(&v, "tokens") / 2.98e12 - 1.0).abs() < GOLDEN_REL);
    assert!((num(&v, "tokens_per_param") - 92.6).abs() < 0.1);
    assert!((num(&v, "loss") - 1.9307).abs() < 1e-3);
}

#[test]
fn optimal_every_law() {
    for id in [
        "hoffmann2022",
        "hoffmann2022-tex",
        "besiroglu2024",
        "sardana2024",
        "kaplan2020",
        "deepseek2024",
        "llama3-2024",
    ] {
        let (code, v, err) = run(&["optimal", "--law", id, "--flops", "1e22", "--json"]);
        assert_eq!(code, 0, "{id}: {err}");
        let (n, d) = (num(&v, "params"), num(&v, "tokens"));
        assert!((6.0 * n * d / 1e22 - 1.0).abs() < 1e-3, "{id}");
        assert!(v.get("loss").is_some(), "{id}");
    }
}

#[test]
fn loss_and_law_file_agree_with_preset() {
    let (code, v, err) = run(&[
        "loss",
        "--law",
        "hoffmann2022",
        "--params",
        "70e9",
        "--tokens",
        "1.4e12",
        "--json",
    ]);
    assert_eq!(code, 0, "{err}");
    let preset = num(&v, "loss");
    assert!((preset - 1.9369).abs() < 1e-3);

    let dir = std::env::temp_dir().join(format!("scalecalc-law-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("law.json");
    // The object `fit --json` prints, with extra keys.
    std::fs::write(
        &file,
        r#"{"E":1.69,"A":406.4,"B":410.7,"alpha":0.34,"beta":0.28,"objective":0.001,"n_points":240}"#,
    )
    .unwrap();
    let f = file.to_str().unwrap();
    let (code, v, err) = run(&[
        "loss",
        "--law-file",
        f,
        "--params",
        "70e9",
        "--tokens",
        "1.4e12",
        "--json",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(num(&v, "loss"), preset);
    let (code, v, err) = run(&["optimal", "--law-file", f, "--flops", "5.76e23", "--json"]);
    assert_eq!(code, 0, "{err}");
    assert!((num(&v, "params") / 3.22e10 - 1.0).abs() < GOLDEN_REL);
    let (code, v, err) = run(&[
        "optimal",
        "--law-file",
        f,
        "--loss",
        "2.0",
        "--inference-tokens",
        "1e13",
        "--json",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(num(&v, "params") < num(&v, "chinchilla_params"));

    std::fs::write(
        &file,
        r#"{"E":1.69,"A":-1,"B":410.7,"alpha":0.34,"beta":0.28}"#,
    )
    .unwrap();
    let (code, _, err) = run(&[
        "loss",
        "--law-file",
        f,
        "--params",
        "1e9",
        "--tokens",
        "1e10",
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("A") && err.trim().lines().count() == 1,
        "{err}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn inference_aware_keys() {
    let (code, v, err) = run(&[
        "optimal",
        "--law",
        "sardana2024",
        "--loss",
        "2.0",
        "--inference-tokens",
        "1e13",
        "--json",
    ]);
    assert_eq!(code, 0, "{err}");
    let (n, d) = (num(&v, "params"), num(&v, "tokens"));
    let (cn, cd) = (num(&v, "chinchilla_params"), num(&v, "chinchilla_tokens"));
    assert!(n < cn && d > cd);
    // With no inference the two coincide.
    let (_, v0, _) = run(&["optimal", "--law", "sardana2024", "--loss", "2.0", "--json"]);
    assert!((num(&v0, "params") / num(&v0, "chinchilla_params") - 1.0).abs() < 1e-6);
}

#[test]
fn bad_input_exits_2_with_one_line() {
    let cases: &[&[&str]] = &[
        &["optimal", "--law", "nope", "--flops", "1e20"],
        &["optimal", "--law", "hoffmann2022", "--flops", "-1"],
        &[
            "optimal",
            "--law",
            "hoffmann2022",
            "--loss",
            "1.6",
            "--inference-tokens",
            "1e12",
        ],
        &["optimal", "--law", "deepseek2024", "--loss", "2.0"],
        &[
            "optimal",
            "--law-file",
            "/nonexistent/law.json",
            "--flops",
            "1e20",
        ],
        &[
            "loss",
            "--law",
            "llama3-2024",
            "--params",
            "1e9",
            "--tokens",
            "1e10",
        ],
        &[
            "loss",
            "--law",
            "hoffmann2022",
            "--params",
            "NaN",
            "--tokens",
            "1e10",
        ],
        &["loss", "--law", "hoffmann2022", "--params", "1e9"],
    ];
    for args in cases {
        let (code, _, err) = run(args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{args:?}: {err}");
    }
    let (_, _, err) = run(&["optimal", "--law", "hoffmann2022", "--loss", "1.6"]);
    assert!(err.contains("unreachable"), "{err}");
}
