//! Helpers shared by the CLI integration tests: run the release-built `scalecalc` and read its JSON.
#![allow(dead_code)] // each test file uses its own subset

use std::process::Command;

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
