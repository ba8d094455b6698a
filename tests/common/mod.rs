//! Helpers shared by the CLI integration tests: run the release-built `scalecalc` and read its JSON.
#![allow(dead_code)] // each test file uses its own subset

use std::process::Command;

/// Checks that `scalecalc ARGS` is refused: exit 2, naming `flag` on stderr.
pub fn refused(args: &[&str], flag: &str) {
    let (code, _, err) = run(args);
    assert_eq!(code, 2, "{args:?}: {err}");
    assert!(err.contains(flag), "{args:?}: {err}");
}

/// Runs `scalecalc ARGS`: exit code, stdout, stderr.
pub fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_scalecalc"))
        .args(args)
        .output()
        .expect("run scalecalc");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs `scalecalc ARGS`, which must succeed and print one JSON object.
pub fn json(args: &[&str]) -> serde_json::Value {
    let (code, out, err) = run(args);
    assert_eq!(code, 0, "stderr: {err}");
    serde_json::from_str(&out).expect("one JSON object")
}

/// The number at `key`, which must be there.
pub fn num(v: &serde_json::Value, key: &str) -> f64 {
    v[key]
        .as_f64()
        .unwrap_or_else(|| panic!("missing number {key} in {v}"))
}

/// Writes `text` to a file `name` in a per-process temporary folder; its path.
pub fn write(name: &str, text: &str) -> String {
    let dir = std::env::temp_dir().join(format!("scalecalc-cli-tests-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_string_lossy().into_owned()
}

/// Ordinary invocations of every subcommand (without `--json`), exercising its value flags (files
/// written for fit and density-fit): the CLI's pipe and fuzz tests start from these.
pub fn ordinary_invocations() -> Vec<Vec<String>> {
    let runs = write(
        "ordinary-runs.csv",
        "params,tokens,loss\n1e8,2e9,3.2\n2e8,4e9,3.0\n4e8,8e9,2.8\n8e8,1.6e10,2.65\n1.6e9,3.2e10,2.5\n3.2e9,6.4e10,2.4\n",
    );
    let models = write(
        "ordinary-models.csv",
        "name,date,params,density\na,2021-01-01,7e9,1\nb,2022-01-01,7e9,2.1\nc,2023-01-01,7e9,3.9\nd,2024-01-01,7e9,8.2\n",
    );
    let cases: Vec<Vec<&str>> = vec![
        vec!["models"],
        vec!["gpus"],
        vec!["density-fit", &models, "--frontier"],
        vec!["atlas"],
        vec![
            "layout",
            "--model",
            "llama-2-7b",
            "--gpu",
            "a100-80gb",
            "--gpus",
            "64",
            "--global-batch",
            "512",
        ],
        vec![
            "density-fit",
            "--atlas",
            "--frontier",
            "--benchmark",
            "math",
            "--reference-family",
            "qwen1.5",
        ],
        vec!["optimal", "--law", "hoffmann2022", "--flops", "5.76e23"],
        vec![
            "optimal",
            "--law",
            "hoffmann2022",
            "--loss",
            "2.0",
            "--inference-tokens",
            "1e13",
        ],
        vec!["optimal", "--flops", "1e22", "--unique-tokens", "1e11"],
        vec![
            "loss",
            "--params",
            "70e9",
            "--tokens",
            "1.4e12",
            "--unique-tokens",
            "1e12",
        ],
        vec![
            "density",
            "--reference-params",
            "175e9",
            "--reference-date",
            "2020-06-01",
            "--date",
            "2024-02-01",
            "--device",
            "phone-12gb",
            "--hw-doubling-months",
            "24",
            "--min-tokens-per-s",
            "10",
        ],
        vec![
            "train",
            "--params",
            "7e9",
            "--tokens",
            "1e12",
            "--gpu",
            "h100-sxm",
            "--gpus",
            "8",
            "--mfu",
            "0.4",
            "--memory",
            "--price-per-gpu-hour",
            "2",
            "--power-watts",
            "700",
            "--active-params",
            "7e9",
        ],
        vec![
            "train",
            "--layers",
            "32",
            "--hidden",
            "4096",
            "--heads",
            "32",
            "--kv-heads",
            "8",
            "--ffn",
            "14336",
            "--params",
            "8e9",
            "--tokens",
            "1e12",
            "--gpu",
            "h100-sxm",
            "--gpus",
            "8",
            "--mfu",
            "0.4",
            "--memory",
            "--tp",
            "2",
            "--pp",
            "2",
            "--zero",
            "1",
            "--finetune",
            "lora",
            "--lora-rank",
            "16",
            "--seq-len",
            "4096",
            "--micro-batch",
            "2",
        ],
        vec![
            "infer",
            "--model",
            "llama-3-70b",
            "--gpu",
            "h100-sxm",
            "--gpus",
            "4",
            "--batch",
            "32",
            "--input-tokens",
            "1024",
            "--output-tokens",
            "256",
            "--price-per-gpu-hour",
            "2",
            "--utilisation",
            "0.5",
            "--spec-k",
            "4",
            "--spec-alpha",
            "0.7",
        ],
        vec![
            "infer",
            "--params",
            "7e9",
            "--layers",
            "32",
            "--d-model",
            "4096",
            "--heads",
            "32",
            "--kv-heads",
            "8",
            "--head-dim",
            "128",
            "--gpu",
            "a100-80gb",
            "--batch",
            "8",
            "--input-tokens",
            "512",
            "--output-tokens",
            "128",
        ],
    ];
    let mut all: Vec<Vec<String>> = cases
        .into_iter()
        .map(|c| c.into_iter().map(String::from).collect())
        .collect();
    all.push(
        [
            "fit",
            &runs,
            "--bootstrap",
            "20",
            "--grid-a",
            "0,5",
            "--grid-alpha",
            "0,0.5",
            "--iso-tol",
            "0.1",
        ]
        .into_iter()
        .map(String::from)
        .collect(),
    );
    all
}
