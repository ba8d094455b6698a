//! The CLI's hostile-input fuzz (issue 19): every value flag of every subcommand — read from the
//! subcommand's own `--help`, so a new flag is covered without editing this file — gets absurd
//! values. Each run must end in one of two ways:
//! - exit 0 with one JSON object in which no number of the ordinary run has turned into `null`
//!   (serde_json writes NaN and ∞ as `null`, so that is how a non-finite figure shows), or
//! - exit 2 with one line on stderr that names the flag.
//!
//! Never a panic, an abort, another exit status, or a message that does not say which flag.

mod common;

use serde_json::Value;
use std::collections::BTreeMap;

const HOSTILE: &[&str] = &[
    "0",
    "-0",
    "-1",
    "0.5",
    "1e-7",
    "1000",
    "1e-320",
    "4.9e-324",
    "1e308",
    "1.7976931348623157e308",
    "4294967295",
    "18446744073709551615",
    "NaN",
    "inf",
    "-inf",
    "-NaN",
    "0x10",
    "",
    "abc",
    "--json",
];

/// The value flags a subcommand's `--help` lists (`--name <VALUE>`).
fn value_flags(sub: &str) -> Vec<String> {
    let (code, out, _) = common::run(&[sub, "--help"]);
    assert_eq!(code, 0);
    out.lines()
        .filter_map(|l| {
            let l = l.trim_start();
            let rest = l.strip_prefix("--")?;
            let (name, after) = rest.split_once(' ')?;
            after.starts_with('<').then(|| format!("--{name}"))
        })
        .collect()
}

/// Every number in a JSON value, by path.
fn numbers(v: &Value, path: &str, out: &mut BTreeMap<String, bool>) {
    match v {
        Value::Number(_) => {
            out.insert(path.to_string(), true);
        }
        Value::Null => {
            out.insert(path.to_string(), false);
        }
        Value::Object(m) => m
            .iter()
            .for_each(|(k, x)| numbers(x, &format!("{path}.{k}"), out)),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, x)| numbers(x, &format!("{path}[{i}]"), out)),
        _ => {}
    }
}

/// Runs `args` with `--json`; the problem, if any.
fn judge(args: &[String], flag: &str, baseline: &BTreeMap<String, bool>) -> Result<(), String> {
    let mut full: Vec<&str> = args.iter().map(String::as_str).collect();
    full.push("--json");
    let (code, out, err) = common::run(&full);
    match code {
        0 => {
            let v: Value =
                serde_json::from_str(&out).map_err(|e| format!("exit 0 without JSON ({e})"))?;
            let mut got = BTreeMap::new();
            numbers(&v, "", &mut got);
            for (path, was_number) in baseline {
                if *was_number && got.get(path) == Some(&false) {
                    return Err(format!("exit 0 but {path} is null (a NaN or ∞)"));
                }
            }
            Ok(())
        }
        2 => {
            if err.trim().lines().count() != 1 {
                return Err(format!("exit 2 with more than one line: {err}"));
            }
            if !err.contains(flag) {
                return Err(format!("exit 2 without naming {flag}: {err}"));
            }
            Ok(())
        }
        other => Err(format!("exit {other}: {err}")),
    }
}

#[test]
fn every_flag_of_every_subcommand_survives_hostile_values() {
    let mut runs = 0;
    let mut problems = Vec::new();
    for base in common::ordinary_invocations() {
        let sub = base[0].clone();
        let mut plain: Vec<&str> = base.iter().map(String::as_str).collect();
        plain.push("--json");
        let (code, out, err) = common::run(&plain);
        assert_eq!(code, 0, "{base:?}: {err}");
        let mut baseline = BTreeMap::new();
        numbers(
            &serde_json::from_str(&out).expect("JSON"),
            "",
            &mut baseline,
        );
        for flag in value_flags(&sub) {
            for value in HOSTILE {
                // The flag set to the hostile value: replaced where the base gives it, else added.
                let mut args = base.clone();
                match args.iter().position(|a| *a == flag) {
                    Some(i) => args[i + 1] = value.to_string(),
                    None => {
                        args.push(flag.clone());
                        args.push(value.to_string());
                    }
                }
                runs += 1;
                if let Err(p) = judge(&args, &flag, &baseline) {
                    problems.push(format!("{}: {p}", args.join(" ")));
                }
            }
        }
    }
    eprintln!("cli fuzz: {runs} runs, {} problems", problems.len());
    assert!(
        problems.is_empty(),
        "{} of {runs} runs:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// A law file with absurd constants (issue 19: `"beta": 1e-300` printed `null`).
#[test]
fn hostile_law_files_are_refused_or_finite() {
    let laws = [
        r#"{"E":1.69,"A":406.4,"B":410.7,"alpha":0.34,"beta":1e-300}"#,
        r#"{"E":1.69,"A":406.4,"B":410.7,"alpha":1e-300,"beta":0.28}"#,
        r#"{"E":1.69,"A":1e308,"B":1e308,"alpha":0.34,"beta":0.28}"#,
        r#"{"E":-5,"A":406.4,"B":410.7,"alpha":0.34,"beta":0.28}"#,
        r#"{"E":1.69,"A":406.4,"B":410.7,"alpha":0.34}"#,
        r#"not json"#,
    ];
    for (i, law) in laws.iter().enumerate() {
        let path = common::write(&format!("hostile-law-{i}.json"), law);
        for sub in [
            vec!["optimal", "--law-file", &path, "--flops", "5.76e23"],
            vec![
                "loss",
                "--law-file",
                &path,
                "--params",
                "7e10",
                "--tokens",
                "1.4e12",
            ],
        ] {
            let args: Vec<String> = sub.iter().map(|s| s.to_string()).collect();
            let base_args: Vec<&str> = sub
                .iter()
                .map(|s| {
                    if *s == path.as_str() {
                        "hoffmann2022"
                    } else {
                        s
                    }
                })
                .map(|s| if s == "--law-file" { "--law" } else { s })
                .chain(["--json"])
                .collect();
            let (_, out, _) = common::run(&base_args);
            let mut baseline = BTreeMap::new();
            numbers(&serde_json::from_str(&out).unwrap(), "", &mut baseline);
            if let Err(p) = judge(&args, "--law-file", &baseline) {
                panic!("{law}: {}: {p}", sub[0]);
            }
        }
    }
}
