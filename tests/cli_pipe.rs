//! The CLI in a pipe: a reader that closes early (`scalecalc … --json | head -c 10`) ends the CLI
//! quietly, as SIGPIPE ends `cat`: no panic message, exit status 0 (or death by SIGPIPE, 141 in a
//! shell).

mod common;

use std::io::Read;
use std::process::{Command, Stdio};

/// Every subcommand's ordinary invocation, printing JSON.
fn every_subcommand() -> Vec<Vec<String>> {
    common::ordinary_invocations()
        .into_iter()
        .map(|mut a| {
            a.push("--json".into());
            a
        })
        .collect()
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
