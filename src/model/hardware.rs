//! Hardware presets: dense peak throughput per precision, memory, bandwidth, power, with sources.
//!
//! All peaks are **dense** (vendors' headline figures are often 2:4-sparse, exactly 2× dense);
//! MFU is measured against the dense BF16 peak (PaLM, Llama 3 convention).

use super::explain::Source;
use serde::Serialize;

/// One accelerator (or a device such as a phone or laptop for local inference).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Gpu {
    /// Lower-case id used by the CLI and links, e.g. `h100-sxm`.
    pub id: &'static str,
    pub name: &'static str,
    /// Dense BF16/FP16 peak, FLOP/s.
    pub peak_bf16_flop_per_s: f64,
    /// Dense FP8 peak, FLOP/s, where supported.
    pub peak_fp8_flop_per_s: Option<f64>,
    /// Dense INT8 peak, OP/s, where supported.
    pub peak_int8_op_per_s: Option<f64>,
    /// Device memory, bytes.
    pub memory_bytes: f64,
    /// Memory bandwidth, bytes/s.
    pub bandwidth_bytes_per_s: f64,
    /// Rated board power, W (None where the vendor publishes none).
    pub power_watts: Option<f64>,
    /// Per-device interconnect bandwidth (NVLink / ICI), bytes/s.
    pub interconnect_bytes_per_s: Option<f64>,
    /// Default on-demand price, USD per device-hour (editable on the page).
    pub price_per_hour_usd: f64,
    /// Where the default price comes from, with its date.
    pub price_source: &'static str,
    /// True when figures are estimates (SKU-dependent or unofficial).
    pub estimate: bool,
    pub source: Source,
}

const SRC_A100: Source = Source {
    id: "nvidia-a100-datasheet",
    citation: "NVIDIA A100 Tensor Core GPU datasheet",
    locator: "rev. 2021-06, table 'Specifications' (dense figures)",
    url: "https://www.nvidia.com/content/dam/en-zz/Solutions/Data-Center/a100/pdf/nvidia-a100-datasheet-us-nvidia-1758950-r4-web.pdf",
};

const SRC_H100: Source = Source {
    id: "nvidia-h100-datasheet",
    citation: "NVIDIA H100 Tensor Core GPU datasheet",
    locator: "2023, table 'Technical Specifications' (sparse figures halved to dense)",
    url: "https://resources.nvidia.com/en-us-tensor-core/nvidia-tensor-core-gpu-datasheet",
};

/// Every preset. Helpers: `gpu(id)`, `gpu_ids()`.
pub const GPUS: &[Gpu] = &[
    Gpu {
        id: "a100-80gb",
        name: "NVIDIA A100 SXM4 80GB",
        peak_bf16_flop_per_s: 312e12,
        peak_fp8_flop_per_s: None,
        peak_int8_op_per_s: Some(624e12),
        memory_bytes: 80e9,
        bandwidth_bytes_per_s: 2039e9,
        power_watts: Some(400.0),
        interconnect_bytes_per_s: Some(600e9),
        price_per_hour_usd: 1.8,
        price_source: "typical specialised-cloud on-demand price, 2025–26 (SCIENCE.md §5)",
        estimate: false,
        source: SRC_A100,
    },
    Gpu {
        id: "h100-sxm",
        name: "NVIDIA H100 SXM5 80GB",
        peak_bf16_flop_per_s: 989.4e12,
        peak_fp8_flop_per_s: Some(1978.9e12),
        peak_int8_op_per_s: Some(1978.9e12),
        memory_bytes: 80e9,
        bandwidth_bytes_per_s: 3350e9,
        power_watts: Some(700.0),
        interconnect_bytes_per_s: Some(900e9),
        price_per_hour_usd: 2.5,
        price_source: "typical specialised-cloud on-demand price, 2025–26 (SCIENCE.md §5)",
        estimate: false,
        source: SRC_H100,
    },
];

/// The preset with this id.
pub fn gpu(id: &str) -> Option<&'static Gpu> {
    GPUS.iter().find(|g| g.id == id)
}

/// Every preset id, for error messages and lists.
pub fn gpu_ids() -> Vec<&'static str> {
    GPUS.iter().map(|g| g.id).collect()
}
