//! The CLI in a pipe: a reader that closes early (`scalecalc … --json | head -c 10`) ends the CLI
//! quietly, as SIGPIPE ends `cat`: no panic message, exit status 0 (or death by SIGPIPE, 141 in a
//! shell).

mod common;

use std::io::Read;
use std::process::{Command, Stdio};

/// One invocation of every subcommand that prints JSON (fit and density-fit read a small file).
fn every_subcommand() -> Vec<Vec<String>> {
    let runs = common::write(
        "pipe-runs.csv",
        "params,tokens,loss\n1e8,2e9,3.2\n2e8,4e9,3.0\n4e8,8e9,2.8\n8e8,1.6e10,2.65\n1.6e9,3.2e10,2.5\n3.2e9,6.4e10,2.4\n",
    );
    let models = common::write(
        "pipe-models.csv",
        "name,date,params,density\na,2021-01-01,7e9,1\nb,2022-01-01,7e9,2.1\nc,2023-01-01,7e9,3.9\nd,2024-01-01,7e9,8.2\n",
    );
    let cases: &[&[&str]] = &[
        &["models", "--json"],
        &["gpus", "--json"],
        &[
            "optimal",
            "--law",
            "hoffmann2022",
            "--flops",
            "5.76e23",
            "--json",
        ],
        &[
            "loss",
            "--law",
            "besiroglu2024",
            "--params",
            "70e9",
            "--tokens",
            "1.4e12",
            "--json",
        ],
        &["scenario", "--url", "v=1&c=1e22", "--json"],
        &[
            "density",
            "--reference-params",
            "175e9",
            "--reference-date",
            "2020-06-01",
            "--date",
            "2024-02-01",
            "--json",
        ],
        &[
            "train", "--params", "7e9", "--tokens", "1e12", "--gpu", "h100-sxm", "--gpus", "8",
            "--mfu", "0.4", "--memory", "--json",
        ],
        &[
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
            "--json",
        ],
    ];
    let mut all: Vec<Vec<String>> = cases
        .iter()
        .map(|c| c.iter().map(|s| s.to_string()).collect())
        .collect();
    all.push(vec![
        "fit".into(),
        runs,
        "--grid-a".into(),
        "0,5".into(),
        "--grid-alpha".into(),
        "0,0.5".into(),
        "--json".into(),
    ]);
    all.push(vec!["density-fit".into(), models, "--json".into()]);
    all
}

fn assert_quiet(args: &[String], status: std::process::ExitStatus, stderr: &str) {
    use std::os::unix::process::ExitStatusExt;
    let ok = status.code() == Some(0) || status.signal() == Some(13);
    assert!(
        ok,
        "{args:?}: status {status:?} after the reader closed; stderr: {stderr}"
    );
    assert!(
        !stderr.contains("panicked") && !stderr.contains("Broken pipe") && stderr.is_empty(),
        "{args:?}: stderr not quiet: {stderr}"
    );
}

/// The reader is gone before the CLI writes a byte: every write fails with EPIPE.
#[test]
fn a_closed_stdout_ends_every_subcommand_quietly() {
    for args in every_subcommand() {
        let (reader, writer) = std::io::pipe().expect("pipe");
        drop(reader);
        let out = Command::new(env!("CARGO_BIN_EXE_scalecalc"))
            .args(&args)
            .stdout(writer)
            .stderr(Stdio::piped())
            .output()
            .expect("run scalecalc");
        assert_quiet(&args, out.status, &String::from_utf8_lossy(&out.stderr));
    }
}

/// The reader takes 10 bytes and closes, as `head -c 10` does (the reproducer), many
/// times over: the race between the write and the close must never end in a panic.
#[test]
fn a_reader_that_closes_after_ten_bytes_never_sees_a_panic() {
    let args: Vec<String> = ["models", "--json"].iter().map(|s| s.to_string()).collect();
    for _ in 0..100 {
        let mut child = Command::new(env!("CARGO_BIN_EXE_scalecalc"))
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run scalecalc");
        let mut head = [0u8; 10];
        child
            .stdout
            .take()
            .unwrap()
            .read_exact(&mut head)
            .expect("10 bytes");
        // The read end is dropped here, with most of the JSON unread.
        let out = child.wait_with_output().expect("wait");
        assert_eq!(&head[..1], b"{");
        assert_quiet(&args, out.status, &String::from_utf8_lossy(&out.stderr));
    }
}
