//! The calibrated roofline: achievable fractions of peak, fixed overheads, the multi-GPU constants
//! (collective latency, GQA decode re-reads, FP8 fraction), and the table of published
//! measurements they were fitted to: every A100 FP16 and H100 FP8 row of TensorRT-LLM's v0.6.1
//! performance document (`data/calibration/trtllm_v061.csv`, [`trtllm_table`]; docs/science.md
//! §4 and §4.1). The seven single-GPU A100 rows of `ROWS` fit the three roofline constants.
//!
//! # The measurements (TensorRT-LLM `docs/source/performance.md`, data for v0.6.1)
//! Throughput rows ("Peak Throughput", A100 GPUs (FP16), static batching, `gptSessionBenchmark`):
//! the column is "Throughput (out tok/s/GPU)". The benchmark times whole `generate` calls (context
//! phase included) and divides `batch × output length` by that time, so we compare with
//! `B·O / (TTFT + T_decode) / G` — output tokens only, prefill time included, per GPU.
//! First-token rows ("Low Latency", data from v0.5, batch 1): the benchmark run with one output
//! token, i.e. the context phase alone → our TTFT.
//!
//! # Which A100
//! The table says only "A100". Row 1 (LLaMA-7B, batch 384, 128 + 128 tokens) needs 13.5 GB of
//! FP16 weights plus 384 · 256 · 512 KiB = 51.5 GB of FP16 KV cache: it cannot run on a 40 GB card,
//! so the measurements are from the **A100 SXM4 80GB** (2,039 GB/s; the preset `a100-80gb`). The
//! test `forty_gigabyte_a100_cannot_hold_row_one` checks this arithmetic.
//!
//! # "LLaMA 7B"
//! The v0.6.1 build commands benchmark `Llama2-7b` (32 layers, 4096 wide, FFN 11008, vocab
//! 32000): the same shape as LLaMA-1 7B, so `llama-7b` and `llama-2-7b` give identical figures.

use super::{analyze, ModelShape, Workload};
use crate::architecture;
use crate::explain::Source;
use crate::hardware;
use crate::scenario::Precision;
use serde::Serialize;

/// TensorRT-LLM's published performance table.
pub const SRC_TRTLLM: Source = Source {
    id: "trtllm-perf-v0.6.1",
    citation: "NVIDIA TensorRT-LLM, docs/source/performance.md (data for v0.6.1; first-token latency from v0.5)",
    locator: "'Peak Throughput' → H100 GPUs (FP8) and A100 GPUs (FP16); 'Low Latency' → H100 GPUs (FP8) and A100 GPUs (FP16)",
    url: "https://github.com/NVIDIA/TensorRT-LLM/blob/v0.6.1/docs/source/performance.md",
};

/// The achievable fractions of peak and the fixed overheads of the roofline.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Calibration {
    /// Fraction of peak memory bandwidth that weight and KV reads achieve.
    pub bandwidth_fraction: f64,
    /// Fraction of the dense peak FLOP/s that matmuls and attention achieve.
    pub compute_fraction: f64,
    /// Fixed time per prefill (request set-up, sampling, host synchronisation), s.
    pub prefill_overhead_s: f64,
    /// Fixed time per decode step (kernel launches, sampling), s.
    pub decode_step_overhead_s: f64,
    /// Latency `α` of one collective between GPUs (one whole all-reduce or all-to-all, one pipeline
    /// hand-off), s: the α term of the α–β model (Thakur et al. 2005), taken per collective rather
    /// than per ring step. Fitted to the A100 multi-GPU rows of [`trtllm_table`] (see
    /// [`CALIBRATION`]).
    pub collective_latency_s: f64,
    /// Grouped-query attention in decode: the fraction `r` of the `g − 1` extra reads of each K/V
    /// head that the decode attention kernel makes when it serves the `g = H / H_kv` query heads of
    /// a group separately (KV bytes read × `1 + r·λ·(g − 1)`). TensorRT-LLM v0.6.1's masked
    /// multi-head attention kernel loads K/V per query head; its XQA kernel (v0.8) reads each once
    /// ("reducing data loading", 2.4× Llama-70B throughput at 128 + 2,048 tokens). `r` is in
    /// HBM-equivalent bytes on the device it was fitted on (the A100 SXM4 80GB); the repeated loads
    /// hit in L2, so on another device they cost `λ` = [`super::kv_reread_l2_scale`] times as much
    /// (HBM-to-L2 bandwidth ratio over the A100's; 1.32 on the H100 SXM, 1 where no L2 figure is
    /// sourced). Fitted (see [`CALIBRATION`]); 0 for engines with a GQA-aware decode kernel.
    pub kv_reread_fraction: f64,
    /// Fraction of the dense **FP8** peak that FP8 matmuls achieve (replaces `compute_fraction`
    /// when the compute precision is FP8 on a device with an FP8 peak). Fitted to the H100 FP8
    /// first-token latencies of [`trtllm_table`] (see [`CALIBRATION`]).
    pub fp8_compute_fraction: f64,
}

/// The defaults: the minimax fit to the rows of [`calibration_table`] (grid search over the three
/// constants minimising the worst row's relative error; test `defaults_are_the_minimax_fit`).
/// Worst row: ±15% (every row must be within ±30%, test `calibration_rows_within_tolerance`).
/// - `bandwidth_fraction` 0.68: set by the memory-bound decode rows (128 + 2,048 tokens: 2,047 steps
///   each reading 13.5 GB of weights and ~36 GB of KV cache on average). Paged/batched attention
///   reads KV less efficiently than a pure streaming copy.
/// - `compute_fraction` 0.70: set by the compute-bound 2,048-token first-token latencies
///   (LLaMA-7B: 27.6 TFLOP in 133 ms).
/// - `prefill_overhead_s` 5 ms: the 128-token first-token latencies (16 ms and 12 ms measured)
///   sit well above a roofline that reads 13.5 GB of weights in ~10 ms.
/// - `decode_step_overhead_s` 0: the 2,047-step row leaves no room for a per-step constant.
///
/// The multi-GPU constants, fitted after these, to other rows of [`trtllm_table`]:
/// - `collective_latency_s` 65 µs and `kv_reread_fraction` 0.45: the minimax fit to the 14 A100
///   FP16 multi-GPU rows (test `multi_gpu_constants_are_the_minimax_fit`; worst fitted row ±16%).
///   α is set by the 128-token first-token latencies at TP4/TP8 (160 all-reduces each), r by the
///   128 + 2,048 decode rows of the GQA models (Llama-2-70B, Falcon-180B).
/// - `fp8_compute_fraction` 0.41: the minimax fit to the 8 H100 FP8 first-token latencies (test
///   `fp8_compute_fraction_is_the_minimax_fit`; worst ±19.5%), set by the 2,048-token prompts.
///
/// The 16 H100 FP8 throughput rows are held out (test `trtllm_v061_table_within_thirty_percent`;
/// worst +25%, Falcon-180B TP8 128 + 2,048, with the L2 scaling of the re-reads: +45% without).
pub const CALIBRATION: Calibration = Calibration {
    bandwidth_fraction: 0.68,
    compute_fraction: 0.70,
    prefill_overhead_s: 0.005,
    decode_step_overhead_s: 0.0,
    collective_latency_s: COLLECTIVE_LATENCY_S,
    kv_reread_fraction: KV_REREAD_FRACTION,
    fp8_compute_fraction: FP8_COMPUTE_FRACTION,
};

/// The fitted FP8 fraction (see [`Calibration::fp8_compute_fraction`]; test
/// `fp8_compute_fraction_is_the_minimax_fit`).
pub const FP8_COMPUTE_FRACTION: f64 = 0.41;

/// The fitted `r` (see [`Calibration::kv_reread_fraction`]).
pub const KV_REREAD_FRACTION: f64 = 0.45;

/// The fitted α (see [`Calibration::collective_latency_s`]; test
/// `collective_latency_is_the_minimax_fit`).
pub const COLLECTIVE_LATENCY_S: f64 = 65e-6;

/// One published measurement against our prediction.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CalibrationRow {
    /// e.g. `LLaMA 7B, A100 FP16, TP1, batch 384, 128 in / 128 out`.
    pub label: String,
    /// The device preset id, e.g. `a100-80gb`.
    pub gpu: &'static str,
    /// The precision of weights, KV cache and matmuls (`fp16` or `fp8`).
    pub precision: Precision,
    /// Whether the row was used to fit a constant of [`CALIBRATION`] (else held out).
    pub fitted: bool,
    /// The model's name, e.g. `LLaMA 7B` (the label's parts, for pages that translate them).
    pub model: &'static str,
    /// Tensor-parallel GPUs.
    pub gpus: u32,
    pub batch: u32,
    pub input_tokens: u32,
    pub output_tokens: u32,
    /// `output_tokens_per_second_per_gpu` or `ttft_seconds`.
    pub metric: &'static str,
    pub measured: f64,
    pub predicted: f64,
    /// predicted / measured − 1.
    pub error: f64,
    pub source: Source,
}

/// (model id, TP, batch, input, output, metric, measured) — the A100 FP16 rows quoted in
/// docs/science.md §4.
const ROWS: &[(&str, u32, u32, u32, u32, &str, f64)] = &[
    (
        "llama-7b",
        1,
        384,
        128,
        128,
        "output_tokens_per_second_per_gpu",
        5586.0,
    ),
    (
        "llama-7b",
        1,
        60,
        128,
        2048,
        "output_tokens_per_second_per_gpu",
        1928.0,
    ),
    (
        "llama-7b",
        1,
        52,
        2048,
        128,
        "output_tokens_per_second_per_gpu",
        591.0,
    ),
    ("llama-7b", 1, 1, 128, 1, "ttft_seconds", 0.016),
    ("llama-7b", 1, 1, 2048, 1, "ttft_seconds", 0.133),
    ("gpt-j-6b", 1, 1, 128, 1, "ttft_seconds", 0.012),
    ("gpt-j-6b", 1, 1, 2048, 1, "ttft_seconds", 0.129),
];

/// Measured vs predicted for the rows of [`trtllm_table`] used in no fit: the sixteen H100 FP8
/// throughput rows and the two A100 FP16 single-GPU GPT-J throughput rows.
pub fn validation_table() -> Vec<CalibrationRow> {
    trtllm_table().into_iter().filter(|r| !r.fitted).collect()
}

/// Measured vs predicted for every calibration row, with the default [`CALIBRATION`] on the
/// `a100-80gb` preset.
pub fn calibration_table() -> Vec<CalibrationRow> {
    calibration_table_with(&CALIBRATION, hardware::gpu("a100-80gb").copied())
}

/// As [`calibration_table`], with any calibration and device (rows whose model or device is
/// missing are skipped).
pub fn calibration_table_with(
    cal: &Calibration,
    gpu: Option<hardware::Gpu>,
) -> Vec<CalibrationRow> {
    rows(ROWS, cal, gpu)
}

fn rows(
    table: &[(&str, u32, u32, u32, u32, &'static str, f64)],
    cal: &Calibration,
    gpu: Option<hardware::Gpu>,
) -> Vec<CalibrationRow> {
    let Some(gpu) = gpu else {
        return Vec::new();
    };
    table
        .iter()
        .filter_map(|&(model, tp, batch, input, output, metric, measured)| {
            row(
                model,
                gpu,
                Precision::Fp16,
                tp,
                batch,
                input,
                output,
                metric,
                measured,
                cal,
            )
        })
        .map(|mut r| {
            r.fitted = std::ptr::eq(table, ROWS);
            r
        })
        .collect()
}

/// One published row against the model: `precision` sets weights, KV cache and matmuls alike
/// (TensorRT-LLM's FP8 engines: `--enable_fp8 --fp8_kv_cache`).
#[allow(clippy::too_many_arguments)]
fn row(
    model: &str,
    gpu: hardware::Gpu,
    precision: Precision,
    tp: u32,
    batch: u32,
    input: u32,
    output: u32,
    metric: &'static str,
    measured: f64,
    cal: &Calibration,
) -> Option<CalibrationRow> {
    let p = architecture::preset(model)?;
    let bits = if precision == Precision::Fp8 { 8 } else { 16 };
    let w = Workload {
        shape: ModelShape::from_arch(&p.arch),
        gpu,
        gpus: tp,
        batch,
        input_tokens: input,
        output_tokens: output,
        weight_bits: bits,
        kv_bits: bits,
        compute: precision,
        spec_k: 0,
        spec_alpha: 0.0,
    };
    let a = analyze(&w, cal).ok()?;
    let predicted = if metric == "ttft_seconds" {
        a.ttft_seconds
    } else {
        a.output_tokens_per_second_per_gpu
    };
    let name = p.name;
    let short = gpu.id.split('-').next().unwrap_or(gpu.id).to_uppercase();
    let prec = precision.as_str().to_uppercase();
    Some(CalibrationRow {
        label: format!("{name}, {short} {prec}, TP{tp}, batch {batch}, {input} in / {output} out"),
        gpu: gpu.id,
        precision,
        fitted: false,
        model: name,
        gpus: tp,
        batch,
        input_tokens: input,
        output_tokens: output,
        metric,
        measured,
        predicted,
        error: predicted / measured - 1.0,
        source: SRC_TRTLLM,
    })
}

/// TensorRT-LLM's table as shipped in `data/calibration/trtllm_v061.csv` (data/README.md).
const TRTLLM_CSV: &str = include_str!("../../../../data/calibration/trtllm_v061.csv");

/// One parsed line of [`TRTLLM_CSV`]: (model id, gpu id, precision, TP, batch, input, output,
/// metric, measured in our units).
type CsvRow = (
    String,
    String,
    Precision,
    u32,
    u32,
    u32,
    u32,
    &'static str,
    f64,
);

/// The CSV's rows in our units (first-token ms → s; the metric renamed to the [`CalibrationRow`]
/// spelling). Panics on a malformed line: the file is shipped with the crate and tested.
fn trtllm_rows() -> Vec<CsvRow> {
    TRTLLM_CSV
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            let n = |k: usize| {
                f[k].trim()
                    .parse::<u32>()
                    .expect("trtllm_v061.csv: integer")
            };
            let measured: f64 = f[9].trim().parse().expect("trtllm_v061.csv: measured");
            let (metric, measured) = match f[8] {
                "first_token_ms" => ("ttft_seconds", measured / 1e3),
                "out_tok_per_s_per_gpu" => ("output_tokens_per_second_per_gpu", measured),
                other => panic!("trtllm_v061.csv: unknown metric {other}"),
            };
            (
                f[1].to_string(),
                f[2].to_string(),
                Precision::parse(f[3]).expect("trtllm_v061.csv: precision"),
                n(4),
                n(5),
                n(6),
                n(7),
                metric,
                measured,
            )
        })
        .collect()
}

/// Whether a row of the published table was used in a fit: the seven A100 FP16 single-GPU rows fit
/// the roofline's fractions and prefill overhead; the A100 FP16 multi-GPU rows fit the collective
/// latency and the GQA re-read fraction; the H100 FP8 first-token latencies fit the FP8 fraction.
/// The sixteen H100 FP8 throughput rows and the two A100 FP16 single-GPU rows outside `ROWS` are
/// held out.
fn is_fitted(
    gpu: &str,
    precision: Precision,
    tp: u32,
    model: &str,
    batch: u32,
    i: u32,
    o: u32,
) -> bool {
    let a100 = gpu == "a100-80gb"
        && precision == Precision::Fp16
        && (tp > 1
            || ROWS
                .iter()
                .any(|r| r.0 == model && r.2 == batch && r.3 == i && r.4 == o));
    // The H100 FP8 first-token latencies (batch 1, one output token) fit the FP8 fraction.
    let h100_ttft = precision == Precision::Fp8 && batch == 1 && o == 1;
    a100 || h100_ttft
}

/// Every A100 FP16 and H100 FP8 row of TensorRT-LLM's v0.6.1 performance document (throughput
/// and first-token latency, 1 to 8 GPUs) against the model with the default [`CALIBRATION`].
pub fn trtllm_table() -> Vec<CalibrationRow> {
    trtllm_table_with(&CALIBRATION)
}

/// As [`trtllm_table`], with any calibration.
pub fn trtllm_table_with(cal: &Calibration) -> Vec<CalibrationRow> {
    trtllm_rows()
        .into_iter()
        .filter_map(|(model, gpu, prec, tp, batch, i, o, metric, measured)| {
            let g = *hardware::gpu(&gpu)?;
            let mut r = row(&model, g, prec, tp, batch, i, o, metric, measured, cal)?;
            r.fitted = is_fitted(&gpu, prec, tp, &model, batch, i, o);
            Some(r)
        })
        .collect()
}
