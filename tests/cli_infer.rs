//! `scalecalc infer` and `scalecalc models`: the public flags and JSON keys, and bad input.

mod common;
use common::{json, run};

const BASE: &[&str] = &[
    "infer",
    "--gpu",
    "h100-sxm",
    "--batch",
    "8",
    "--input-tokens",
    "512",
    "--output-tokens",
    "128",
];

#[test]
fn infer_preset_keys_and_golden_kv() {
    let mut a = BASE.to_vec();
    a.extend([
        "--model",
        "llama-3-70b",
        "--gpus",
        "4",
        "--price-per-gpu-hour",
        "2",
        "--json",
    ]);
    let v = json(&a);
    for key in [
        "weights_bytes",
        "kv_cache_bytes_per_token",
        "kv_cache_bytes",
        "fits",
        "ttft_seconds",
        "seconds_per_output_token",
        "output_tokens_per_second",
        "cost_per_million_output_tokens_usd",
    ] {
        assert!(v.get(key).is_some(), "missing {key}: {v}");
    }
    // Issue 6 golden value: Llama-3-70B, 16-bit KV: 327,680 B per token.
    assert_eq!(v["kv_cache_bytes_per_token"], 327_680.0);
    assert_eq!(v["kv_cache_bytes"], 327_680.0 * 8.0 * 640.0);
    assert_eq!(v["fits"], true);
    assert!(v["weights_bytes"].as_f64().unwrap() > 140e9);
}

#[test]
fn infer_without_price_has_no_cost_and_sizes_work() {
    let mut a = BASE.to_vec();
    a.extend([
        "--params",
        "6.74e9",
        "--layers",
        "32",
        "--d-model",
        "4096",
        "--heads",
        "32",
        "--kv-heads",
        "32",
        "--head-dim",
        "128",
        "--weight-bits",
        "4",
        "--kv-bits",
        "8",
        "--compute",
        "int8",
        "--json",
    ]);
    let v = json(&a);
    assert!(v.get("cost_per_million_output_tokens_usd").is_none());
    assert_eq!(v["kv_cache_bytes_per_token"], 262_144.0);
    assert_eq!(v["weights_bytes"], 6.74e9 / 2.0);
}

#[test]
fn tensor_parallel_raises_aggregate_throughput() {
    let at = |gpus: &str| {
        let mut a = BASE.to_vec();
        a.extend(["--model", "llama-2-13b", "--gpus", gpus, "--json"]);
        json(&a)["output_tokens_per_second"].as_f64().unwrap()
    };
    assert!(at("2") > at("1"));
}

#[test]
fn models_lists_twenty_presets() {
    let v = json(&["models", "--json"]);
    let m = v["models"].as_array().unwrap();
    assert!(m.len() >= 20);
    let ids: Vec<&str> = m.iter().map(|x| x["id"].as_str().unwrap()).collect();
    for id in ["llama-2-7b", "llama-3-70b", "mixtral-8x7b", "deepseek-v3"] {
        assert!(ids.contains(&id), "{id}");
    }
    assert!(m
        .iter()
        .all(|x| x["source"]["url"].as_str().unwrap().starts_with("https://")));
}

fn bad(extra: &[&str], needle: &str) {
    let mut a = BASE.to_vec();
    a.extend(extra);
    let (code, out, err) = run(&a);
    assert_eq!(code, 2, "{extra:?}: {out}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains(needle), "{extra:?}: {err}");
}

#[test]
fn bad_input_one_line_exit_2() {
    let m = ["--model", "llama-2-7b"];
    bad(&[&m[..], &["--batch", "0"]].concat(), "--batch");
    bad(&[&m[..], &["--weight-bits", "5"]].concat(), "--weight-bits");
    bad(&[&m[..], &["--kv-bits", "12"]].concat(), "--kv-bits");
    bad(&[&m[..], &["--compute", "fp4"]].concat(), "--compute");
    bad(&["--model", "gpt-5"], "unknown model 'gpt-5'");
    bad(&["--model", "LLAMA-2-7B"], "unknown model");
    bad(
        &[
            "--params",
            "7e9",
            "--layers",
            "32",
            "--d-model",
            "4096",
            "--heads",
            "32",
            "--kv-heads",
            "5",
            "--head-dim",
            "128",
        ],
        "--kv-heads",
    );
    bad(&["--params", "7e9", "--layers", "32"], "--d-model");
    bad(&[], "--model");
    let (code, _, err) = run(&[
        "infer",
        "--model",
        "llama-2-7b",
        "--gpu",
        "tpu-v9",
        "--batch",
        "1",
        "--input-tokens",
        "1",
        "--output-tokens",
        "1",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown hardware 'tpu-v9'"), "{err}");
}

#[test]
fn context_beyond_max_warns_not_refuses() {
    let v = json(&[
        "infer",
        "--model",
        "llama-7b",
        "--gpu",
        "h100-sxm",
        "--batch",
        "1",
        "--input-tokens",
        "4000",
        "--output-tokens",
        "100",
        "--json",
    ]);
    assert!(v["notes"][0].as_str().unwrap().contains("exceeds"));
}

/// Issue 16: multi-GPU serving — the communication share in the JSON, pipeline stages and expert
/// parallelism, and layouts that cannot run refused naming the flag (exit 2).
#[test]
fn multi_gpu_layouts_and_communication_share() {
    let mut a = BASE.to_vec();
    a.extend(["--model", "llama-2-70b", "--gpus", "8", "--json"]);
    let v = json(&a);
    let share = v["decode_comm_share"].as_f64().unwrap();
    assert!(share > 0.0 && share < 1.0, "{v}");
    assert!(v["prefill_comm_share"].as_f64().unwrap() > 0.0);
    assert_eq!(v["gpus_total"], 8);
    let mut p = BASE.to_vec();
    p.extend([
        "--model",
        "llama-2-70b",
        "--gpus",
        "4",
        "--pipeline",
        "2",
        "--json",
    ]);
    let v = json(&p);
    assert_eq!(v["gpus_total"], 8);
    assert_eq!(v["pipeline"], 2);
    let mut e = BASE.to_vec();
    e.extend([
        "--model",
        "mixtral-8x7b",
        "--gpus",
        "8",
        "--expert-parallel",
        "--json",
    ]);
    assert_eq!(json(&e)["expert_parallel"], true);
    // More GPUs than KV heads: replicated, counted, noted.
    let mut r = BASE.to_vec();
    r.extend(["--model", "llama-2-70b", "--gpus", "16", "--json"]);
    let v = json(&r);
    assert_eq!(v["kv_replication"], 2.0);
    assert!(v["notes"].to_string().contains("replicated"), "{v}");
    // Refusals, one line, exit 2, naming the flag.
    bad(
        &["--model", "llama-2-70b", "--gpus", "3"],
        "--gpus: 3 tensor-parallel GPUs do not divide the model's 64 attention heads",
    );
    bad(
        &["--model", "llama-2-7b", "--pipeline", "64"],
        "--pipeline: 64 pipeline stages exceed the model's 32 layers",
    );
    bad(
        &["--model", "llama-2-7b", "--expert-parallel"],
        "--expert-parallel",
    );
    bad(
        &[
            "--model",
            "mixtral-8x7b",
            "--gpus",
            "16",
            "--expert-parallel",
        ],
        "--gpus: 16 expert-parallel GPUs do not divide the model's 8 routed experts",
    );
}
