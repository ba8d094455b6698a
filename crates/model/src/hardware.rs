//! Hardware presets: dense peak throughput per precision, memory, bandwidth, power, with sources.
//!
//! All peaks are **dense** (vendors' headline figures are often 2:4-sparse, exactly 2× dense);
//! MFU is measured against the dense BF16 peak (PaLM, Llama 3 convention). Figures follow
//! docs/science.md §5; devices whose figures vary by SKU or are unofficial carry `estimate: true`.
//! Prices are editable defaults: each names its basis and date in `price_source`.

use super::explain::Source;
/// Memory is in GiB: a card sold as "80GB" has 80 GiB (nvidia-smi: 81920 MiB), and the marketed
/// "GB" of the other cards is the same binary unit (an H200 "141GB" shows 143771 MiB = 140.4 GiB
/// in nvidia-smi), so every preset's memory is its marketed number × 2³⁰ bytes and reads as that
/// number on the page (issue 18, item 5).
use super::num::GIB;
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
    /// FP32 (non-tensor) peak, FLOP/s, where published.
    pub peak_fp32_flop_per_s: Option<f64>,
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

const SRC_H200: Source = Source {
    id: "nvidia-h200",
    citation: "NVIDIA H200 Tensor Core GPU product page",
    locator: "2024, 'Specifications', H200 SXM column (sparse figures halved to dense)",
    url: "https://www.nvidia.com/en-us/data-center/h200/",
};

const SRC_H800: Source = Source {
    id: "nvidia-h800",
    citation:
        "NVIDIA H800 SXM5 (export variant of H100 SXM5: same compute, NVLink cut to 400 GB/s)",
    locator: "DeepSeek-V3 technical report §3.1 (cluster description: H800s, NVLink 400 GB/s)",
    url: "https://arxiv.org/abs/2412.19437",
};

const SRC_B200: Source = Source {
    id: "nvidia-hgx-b200",
    citation: "NVIDIA HGX B200 platform specifications (per-GPU figures = 8-GPU totals ÷ 8)",
    locator: "2025-03, 'HGX B200' column, sparse halved to dense; ESTIMATE: SKU and power vary",
    url: "https://www.nvidia.com/en-us/data-center/hgx/",
};

const SRC_MI300X: Source = Source {
    id: "amd-mi300x-datasheet",
    citation: "AMD Instinct MI300X accelerator datasheet",
    locator: "2023-12, dense figures (without structured sparsity)",
    url: "https://www.amd.com/content/dam/amd/en/documents/instinct-tech-docs/data-sheets/amd-instinct-mi300x-data-sheet.pdf",
};

const SRC_TPU_V4: Source = Source {
    id: "gcloud-tpu-v4",
    citation: "Google Cloud TPU documentation, TPU v4",
    locator:
        "'System architecture' table per chip (retrieved 2026-01); no per-chip power published",
    url: "https://cloud.google.com/tpu/docs/v4",
};

const SRC_TPU_V5E: Source = Source {
    id: "gcloud-tpu-v5e",
    citation: "Google Cloud TPU documentation, TPU v5e",
    locator:
        "'System architecture' table per chip (retrieved 2026-01); no per-chip power published",
    url: "https://cloud.google.com/tpu/docs/v5e",
};

const SRC_TPU_V5P: Source = Source {
    id: "gcloud-tpu-v5p",
    citation: "Google Cloud TPU documentation, TPU v5p",
    locator:
        "'System architecture' table per chip (retrieved 2026-01); no per-chip power published",
    url: "https://cloud.google.com/tpu/docs/v5p",
};

const SRC_ASCEND: Source = Source {
    id: "ascend-910b-press",
    citation: "Huawei Ascend 910B: figures as reported in the trade press (no public datasheet)",
    locator: "2023–24 press reports; ESTIMATE: variants 910B1–B4 differ",
    url: "https://www.hiascend.com/hardware/ascend-910",
};

const SRC_ADA: Source = Source {
    id: "nvidia-ada-whitepaper",
    citation: "NVIDIA Ada GPU Architecture whitepaper (RTX 4090)",
    locator: "v2.1, Appendix A table 'GeForce RTX 4090': FP16 tensor with FP32 accumulate, dense",
    url: "https://images.nvidia.com/aem-dam/Solutions/geforce/ada/nvidia-ada-gpu-architecture.pdf",
};

const SRC_APPLE: Source = Source {
    id: "apple-silicon",
    citation: "Apple newsroom / tech specs (memory, bandwidth); GPU FLOP/s from core count × clock",
    locator:
        "retrieved 2026-01; ESTIMATE: Apple publishes no FLOP/s or board power, FP16 ≈ FP32 rate",
    url: "https://www.apple.com/mac-studio/specs/",
};

/// The typical 2025–26 on-demand range at specialised clouds ($1.5–3 per H100-hour, $1–2.5 per
/// A100-hour; hyperscalers 3–5× more): docs/science.md §5. Shown to readers, so it names the
/// range itself rather than a file they cannot open.
const PRICE_SCIENCE: &str =
    "scalecalc assumption: typical specialised-cloud on-demand price, 2025–26 ($1.5–3 per H100-hour, $1–2.5 per A100-hour)";

/// Every preset. Helpers: `gpu(id)`, `gpu_ids()`.
pub const GPUS: &[Gpu] = &[
    Gpu {
        id: "a100-40gb",
        name: "NVIDIA A100 SXM4 40GB",
        peak_bf16_flop_per_s: 312e12,
        peak_fp8_flop_per_s: None,
        peak_int8_op_per_s: Some(624e12),
        peak_fp32_flop_per_s: Some(19.5e12),
        memory_bytes: 40.0 * GIB, // 40 GiB: nvidia-smi reports 40960 MiB
        bandwidth_bytes_per_s: 1555e9,
        power_watts: Some(400.0),
        interconnect_bytes_per_s: Some(600e9),
        price_per_hour_usd: 1.3,
        price_source: PRICE_SCIENCE,
        estimate: false,
        source: SRC_A100,
    },
    Gpu {
        id: "a100-80gb",
        name: "NVIDIA A100 SXM4 80GB",
        peak_bf16_flop_per_s: 312e12,
        peak_fp8_flop_per_s: None,
        peak_int8_op_per_s: Some(624e12),
        peak_fp32_flop_per_s: Some(19.5e12),
        memory_bytes: 80.0 * GIB, // 80 GiB: nvidia-smi reports 81920 MiB
        bandwidth_bytes_per_s: 2039e9,
        power_watts: Some(400.0),
        interconnect_bytes_per_s: Some(600e9),
        price_per_hour_usd: 1.8,
        price_source: PRICE_SCIENCE,
        estimate: false,
        source: SRC_A100,
    },
    Gpu {
        id: "a100-pcie-80gb",
        name: "NVIDIA A100 PCIe 80GB",
        peak_bf16_flop_per_s: 312e12,
        peak_fp8_flop_per_s: None,
        peak_int8_op_per_s: Some(624e12),
        peak_fp32_flop_per_s: Some(19.5e12),
        memory_bytes: 80.0 * GIB, // 80 GiB: nvidia-smi reports 81920 MiB
        bandwidth_bytes_per_s: 1935e9,
        power_watts: Some(300.0),
        // NVLink bridge between pairs of cards.
        interconnect_bytes_per_s: Some(600e9),
        price_per_hour_usd: 1.5,
        price_source: PRICE_SCIENCE,
        estimate: false,
        source: SRC_A100,
    },
    Gpu {
        id: "h100-sxm",
        name: "NVIDIA H100 SXM5 80GB",
        peak_bf16_flop_per_s: 989.4e12,
        peak_fp8_flop_per_s: Some(1978.9e12),
        peak_int8_op_per_s: Some(1978.9e12),
        peak_fp32_flop_per_s: Some(67e12),
        memory_bytes: 80.0 * GIB, // 80 GiB: nvidia-smi reports 81920 MiB
        bandwidth_bytes_per_s: 3350e9,
        power_watts: Some(700.0),
        interconnect_bytes_per_s: Some(900e9),
        price_per_hour_usd: 2.5,
        price_source: PRICE_SCIENCE,
        estimate: false,
        source: SRC_H100,
    },
    Gpu {
        id: "h100-pcie",
        name: "NVIDIA H100 PCIe 80GB",
        peak_bf16_flop_per_s: 756e12,
        peak_fp8_flop_per_s: Some(1513e12),
        peak_int8_op_per_s: Some(1513e12),
        peak_fp32_flop_per_s: Some(51e12),
        memory_bytes: 80.0 * GIB, // 80 GiB: nvidia-smi reports 81920 MiB
        bandwidth_bytes_per_s: 2000e9,
        power_watts: Some(350.0),
        interconnect_bytes_per_s: Some(600e9),
        price_per_hour_usd: 2.0,
        price_source: PRICE_SCIENCE,
        estimate: false,
        source: SRC_H100,
    },
    Gpu {
        id: "h200",
        name: "NVIDIA H200 SXM 141GB",
        peak_bf16_flop_per_s: 989e12,
        peak_fp8_flop_per_s: Some(1979e12),
        peak_int8_op_per_s: Some(1979e12),
        peak_fp32_flop_per_s: Some(67e12),
        memory_bytes: 141.0 * GIB, // sold as "141GB", which is GiB (see [`GIB`])
        bandwidth_bytes_per_s: 4800e9,
        power_watts: Some(700.0),
        interconnect_bytes_per_s: Some(900e9),
        price_per_hour_usd: 3.5,
        price_source:
            "scalecalc assumption, 2026-01: the H100's 2025–26 cloud range ($1.5–3/h) plus a memory premium",
        estimate: false,
        source: SRC_H200,
    },
    Gpu {
        id: "h800",
        name: "NVIDIA H800 SXM5 80GB",
        peak_bf16_flop_per_s: 989e12,
        peak_fp8_flop_per_s: Some(1979e12),
        peak_int8_op_per_s: None,
        peak_fp32_flop_per_s: Some(67e12),
        memory_bytes: 80.0 * GIB, // 80 GiB: nvidia-smi reports 81920 MiB
        bandwidth_bytes_per_s: 3350e9,
        power_watts: Some(700.0),
        interconnect_bytes_per_s: Some(400e9),
        price_per_hour_usd: 2.0,
        price_source: "DeepSeek-V3 technical report (2024-12) Table 1: $2 per H800 GPU-hour",
        estimate: false,
        source: SRC_H800,
    },
    Gpu {
        id: "b200",
        name: "NVIDIA B200 (HGX, estimate)",
        peak_bf16_flop_per_s: 2250e12,
        peak_fp8_flop_per_s: Some(4500e12),
        peak_int8_op_per_s: Some(4500e12),
        peak_fp32_flop_per_s: Some(75e12),
        memory_bytes: 180.0 * GIB, // sold as "180GB", which is GiB (see [`GIB`])
        bandwidth_bytes_per_s: 7700e9,
        power_watts: Some(1000.0),
        interconnect_bytes_per_s: Some(1800e9),
        price_per_hour_usd: 5.0,
        price_source: "scalecalc assumption, 2026-01: early specialised-cloud listings, ESTIMATE",
        estimate: true,
        source: SRC_B200,
    },
    Gpu {
        id: "mi300x",
        name: "AMD Instinct MI300X 192GB",
        peak_bf16_flop_per_s: 1307.4e12,
        peak_fp8_flop_per_s: Some(2614.9e12),
        peak_int8_op_per_s: Some(2614.9e12),
        peak_fp32_flop_per_s: Some(163.4e12),
        memory_bytes: 192.0 * GIB, // sold as "192GB", which is GiB (see [`GIB`])
        bandwidth_bytes_per_s: 5300e9,
        power_watts: Some(750.0),
        // Infinity Fabric: 7 links × 128 GB/s to the other GPUs of an 8-GPU platform.
        interconnect_bytes_per_s: Some(896e9),
        price_per_hour_usd: 2.5,
        price_source:
            "scalecalc assumption, 2026-01: priced like an H100 (2025–26 cloud range $1.5–3/h)",
        estimate: false,
        source: SRC_MI300X,
    },
    Gpu {
        id: "tpu-v4",
        name: "Google TPU v4",
        peak_bf16_flop_per_s: 275e12,
        peak_fp8_flop_per_s: None,
        peak_int8_op_per_s: Some(275e12),
        peak_fp32_flop_per_s: None,
        memory_bytes: 32.0 * GIB,
        bandwidth_bytes_per_s: 1200e9,
        power_watts: None,
        // ICI 2,400 Gbit/s per chip.
        interconnect_bytes_per_s: Some(300e9),
        price_per_hour_usd: 3.22,
        price_source:
            "Google Cloud TPU pricing, on-demand per chip-hour, us-central2, retrieved 2026-01",
        estimate: false,
        source: SRC_TPU_V4,
    },
    Gpu {
        id: "tpu-v5e",
        name: "Google TPU v5e",
        peak_bf16_flop_per_s: 197e12,
        peak_fp8_flop_per_s: None,
        peak_int8_op_per_s: Some(394e12),
        peak_fp32_flop_per_s: None,
        memory_bytes: 16.0 * GIB, // sold as "16GB", which is GiB (see [`GIB`])
        bandwidth_bytes_per_s: 819e9,
        power_watts: None,
        // ICI 1,600 Gbit/s per chip.
        interconnect_bytes_per_s: Some(200e9),
        price_per_hour_usd: 1.2,
        price_source: "Google Cloud TPU pricing, on-demand per chip-hour, retrieved 2026-01",
        estimate: false,
        source: SRC_TPU_V5E,
    },
    Gpu {
        id: "tpu-v5p",
        name: "Google TPU v5p",
        peak_bf16_flop_per_s: 459e12,
        peak_fp8_flop_per_s: None,
        peak_int8_op_per_s: Some(918e12),
        peak_fp32_flop_per_s: None,
        memory_bytes: 95.0 * GIB, // sold as "95GB", which is GiB (see [`GIB`])
        bandwidth_bytes_per_s: 2765e9,
        power_watts: None,
        // ICI 4,800 Gbit/s per chip.
        interconnect_bytes_per_s: Some(600e9),
        price_per_hour_usd: 4.2,
        price_source: "Google Cloud TPU pricing, on-demand per chip-hour, retrieved 2026-01",
        estimate: false,
        source: SRC_TPU_V5P,
    },
    Gpu {
        id: "ascend-910b",
        name: "Huawei Ascend 910B (estimate)",
        peak_bf16_flop_per_s: 320e12,
        peak_fp8_flop_per_s: None,
        peak_int8_op_per_s: Some(640e12),
        peak_fp32_flop_per_s: None,
        memory_bytes: 64.0 * GIB, // sold as "64GB", which is GiB (see [`GIB`])
        bandwidth_bytes_per_s: 1600e9,
        power_watts: Some(400.0),
        // HCCS.
        interconnect_bytes_per_s: Some(392e9),
        price_per_hour_usd: 1.5,
        price_source:
            "scalecalc assumption, 2026-01: below the A100's 2025–26 cloud range ($1–2.5/h), ESTIMATE",
        estimate: true,
        source: SRC_ASCEND,
    },
    Gpu {
        id: "rtx-4090",
        name: "NVIDIA GeForce RTX 4090 24GB",
        peak_bf16_flop_per_s: 165.2e12,
        peak_fp8_flop_per_s: Some(330.3e12),
        peak_int8_op_per_s: Some(660.6e12),
        peak_fp32_flop_per_s: Some(82.6e12),
        memory_bytes: 24.0 * GIB, // 24 GiB: nvidia-smi reports 24576 MiB
        bandwidth_bytes_per_s: 1008e9,
        power_watts: Some(450.0),
        interconnect_bytes_per_s: None,
        price_per_hour_usd: 0.4,
        price_source:
            "scalecalc assumption, 2026-01: community-cloud (marketplace) on-demand price",
        estimate: false,
        source: SRC_ADA,
    },
    Gpu {
        id: "m2-ultra",
        name: "Apple M2 Ultra 192GB (76-core GPU, estimate)",
        peak_bf16_flop_per_s: 27.2e12,
        peak_fp8_flop_per_s: None,
        peak_int8_op_per_s: None,
        peak_fp32_flop_per_s: Some(27.2e12),
        memory_bytes: 192.0 * GIB, // sold as "192GB", which is GiB (see [`GIB`])
        bandwidth_bytes_per_s: 800e9,
        power_watts: Some(295.0),
        interconnect_bytes_per_s: None,
        price_per_hour_usd: 0.25,
        price_source: "scalecalc assumption, 2026-01: ~$6,600 machine amortised over 3 years",
        estimate: true,
        source: SRC_APPLE,
    },
    Gpu {
        id: "m3-max",
        name: "Apple M3 Max 128GB (40-core GPU, estimate)",
        peak_bf16_flop_per_s: 16.4e12,
        peak_fp8_flop_per_s: None,
        peak_int8_op_per_s: None,
        peak_fp32_flop_per_s: Some(16.4e12),
        memory_bytes: 128.0 * GIB, // sold as "128GB", which is GiB (see [`GIB`])
        bandwidth_bytes_per_s: 400e9,
        power_watts: Some(140.0),
        interconnect_bytes_per_s: None,
        price_per_hour_usd: 0.18,
        price_source: "scalecalc assumption, 2026-01: ~$4,700 laptop amortised over 3 years",
        estimate: true,
        source: SRC_APPLE,
    },
    Gpu {
        id: "m4-max",
        name: "Apple M4 Max 128GB (40-core GPU, estimate)",
        peak_bf16_flop_per_s: 18.4e12,
        peak_fp8_flop_per_s: None,
        peak_int8_op_per_s: None,
        peak_fp32_flop_per_s: Some(18.4e12),
        memory_bytes: 128.0 * GIB, // sold as "128GB", which is GiB (see [`GIB`])
        bandwidth_bytes_per_s: 546e9,
        power_watts: Some(140.0),
        interconnect_bytes_per_s: None,
        price_per_hour_usd: 0.18,
        price_source: "scalecalc assumption, 2026-01: ~$4,700 machine amortised over 3 years",
        estimate: true,
        source: SRC_APPLE,
    },
];

/// How the GPUs of a typical cluster are linked: what the many-GPU step-time model needs
/// (issue 16). Kept beside [`Gpu`] rather than in it so that the presets' serialised form is
/// unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Interconnect {
    /// The [`Gpu::id`] this describes.
    pub gpu_id: &'static str,
    /// NVLink bandwidth **per direction** per GPU, bytes/s: half the headline figure, which
    /// counts both directions together. A ring collective moves data one way on each link.
    pub nvlink_per_direction_bytes_per_s: f64,
    /// GPUs joined by NVLink/NVSwitch in one node (the largest tensor-parallel group on NVLink).
    pub gpus_per_node: u32,
    /// Scale-out (InfiniBand/RoCE) bandwidth per GPU per direction in the vendor's reference
    /// cluster, bytes/s (one NIC per GPU).
    pub nic_per_gpu_bytes_per_s: f64,
    pub source: Source,
}

const SRC_DGX_A100: Source = Source {
    id: "nvidia-dgx-a100",
    citation: "NVIDIA A100 datasheet (NVLink 600 GB/s) and DGX A100 system (8 GPUs, NVSwitch, 8× 200 Gb/s HDR InfiniBand for compute); the same cluster as Narayanan et al. 2021 §5 (Selene)",
    locator: "A100 datasheet 'Specifications' (NVLink: 600 GB/s = 12 links × 25 GB/s × 2 directions); DGX A100 user guide, 'Network ports' (8 single-port ConnectX-6 200 Gb/s)",
    url: "https://www.nvidia.com/en-us/data-center/dgx-a100/",
};

const SRC_DGX_H100: Source = Source {
    id: "nvidia-dgx-h100",
    citation: "NVIDIA H100 datasheet (NVLink 900 GB/s) and DGX H100 system (8 GPUs, NVSwitch, 8× 400 Gb/s ConnectX-7 for compute)",
    locator: "H100 datasheet 'Technical Specifications' (NVLink: 900 GB/s = 18 links × 25 GB/s × 2 directions); DGX H100 user guide, 'Network ports'",
    url: "https://www.nvidia.com/en-us/data-center/dgx-h100/",
};

/// Interconnect of the presets the many-GPU model covers. Per direction = headline ÷ 2;
/// NIC = line rate ÷ 8 bits.
pub const INTERCONNECTS: &[Interconnect] = &[
    Interconnect {
        gpu_id: "a100-40gb",
        nvlink_per_direction_bytes_per_s: 300e9,
        gpus_per_node: 8,
        nic_per_gpu_bytes_per_s: 25e9,
        source: SRC_DGX_A100,
    },
    Interconnect {
        gpu_id: "a100-80gb",
        nvlink_per_direction_bytes_per_s: 300e9,
        gpus_per_node: 8,
        nic_per_gpu_bytes_per_s: 25e9,
        source: SRC_DGX_A100,
    },
    Interconnect {
        gpu_id: "h100-sxm",
        nvlink_per_direction_bytes_per_s: 450e9,
        gpus_per_node: 8,
        nic_per_gpu_bytes_per_s: 50e9,
        source: SRC_DGX_H100,
    },
    Interconnect {
        gpu_id: "h200",
        // NVLink as the H100 (900 GB/s headline); the NIC is the DGX H100's 400 Gb/s per GPU,
        // which HGX H200 clusters use too (an assumption: the product page lists no NIC).
        nvlink_per_direction_bytes_per_s: 450e9,
        gpus_per_node: 8,
        nic_per_gpu_bytes_per_s: 50e9,
        source: SRC_H200,
    },
    Interconnect {
        gpu_id: "h800",
        // NVLink cut to 400 GB/s in total; InfiniBand 400 Gb/s per GPU (DeepSeek-V3 §3.1).
        nvlink_per_direction_bytes_per_s: 200e9,
        gpus_per_node: 8,
        nic_per_gpu_bytes_per_s: 50e9,
        source: SRC_H800,
    },
];

/// The interconnect of the preset with this id, where the many-GPU model knows it.
///
/// ```
/// let ic = scalecalc_model::hardware::interconnect("h100-sxm").unwrap();
/// assert_eq!(ic.nvlink_per_direction_bytes_per_s, 450e9); // the headline 900 GB/s ÷ 2
/// ```
pub fn interconnect(id: &str) -> Option<&'static Interconnect> {
    INTERCONNECTS.iter().find(|i| i.gpu_id == id)
}

/// The L2 cache's read bandwidth of the preset with this id, bytes/s, where a figure is sourced
/// (`None` elsewhere: the inference model then keeps its A100-fitted treatment, see
/// [`crate::inference::kv_reread_l2_scale`]).
///
/// - A100 (GA100 at its 1,410 MHz boost clock): 5,120 bytes/clk × 1,410 MHz = 7,219 GB/s — NVIDIA
///   A100 Tensor Core GPU Architecture whitepaper (2020), "L2 cache read bandwidth", and the A100
///   column of [`SRC_L2_TABLE`].
/// - H100 SXM: 8,986 GB/s, the H100 column of [`SRC_L2_TABLE`] (the same 5,120 bytes/clk at
///   1,755 MHz; NVIDIA publishes no Hopper L2 bandwidth).
///
/// ```
/// let a = scalecalc_model::hardware::l2_bandwidth_bytes_per_s("a100-80gb").unwrap();
/// assert!((a - 5120.0 * 1.41e9).abs() < 1e9);
/// assert_eq!(scalecalc_model::hardware::l2_bandwidth_bytes_per_s("mi300x"), None);
/// ```
pub fn l2_bandwidth_bytes_per_s(id: &str) -> Option<f64> {
    match id {
        "a100-40gb" | "a100-80gb" | "a100-pcie-80gb" => Some(7219e9),
        "h100-sxm" => Some(8986e9),
        _ => None,
    }
}

/// The source of the L2 bandwidths of [`l2_bandwidth_bytes_per_s`].
pub const SRC_L2_TABLE: Source = Source {
    id: "ultrasonsonochem2023-table3",
    citation: "Ultrasonics Sonochemistry 99 (2023) 106546 (open access, PMC10448217; a GPU study of acoustic-bubble surface modes), its GPU hardware table; the A100 figure as in NVIDIA's A100 Tensor Core GPU Architecture whitepaper (5,120 bytes/clk L2 read bandwidth)",
    locator: "Table 3, 'Hardware features of different Nvidia GPU architectures', row 'L2 cache bandwidth (GB/s)': A100 7,219, H100 8,986",
    url: "https://pmc.ncbi.nlm.nih.gov/articles/PMC10448217/",
};

/// The preset with this id.
pub fn gpu(id: &str) -> Option<&'static Gpu> {
    GPUS.iter().find(|g| g.id == id)
}

/// Every preset id, for error messages and lists.
pub fn gpu_ids() -> Vec<&'static str> {
    GPUS.iter().map(|g| g.id).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_unique_lower_case_and_figures_sane() {
        let ids = gpu_ids();
        for (i, g) in GPUS.iter().enumerate() {
            assert_eq!(g.id, g.id.to_lowercase());
            assert!(!ids[..i].contains(&g.id), "duplicate id {}", g.id);
            assert!(g.peak_bf16_flop_per_s > 0.0 && g.memory_bytes > 0.0);
            assert!(g.bandwidth_bytes_per_s > 0.0 && g.price_per_hour_usd > 0.0);
            // FP8 and INT8 peaks are never below the BF16 peak on any device listed.
            for p in [g.peak_fp8_flop_per_s, g.peak_int8_op_per_s]
                .into_iter()
                .flatten()
            {
                assert!(p >= g.peak_bf16_flop_per_s, "{}", g.id);
            }
            assert!(!g.source.url.is_empty() && !g.price_source.is_empty());
        }
        for required in [
            "a100-40gb",
            "a100-80gb",
            "a100-pcie-80gb",
            "h100-sxm",
            "h100-pcie",
            "h200",
            "h800",
            "b200",
            "mi300x",
            "tpu-v4",
            "tpu-v5e",
            "tpu-v5p",
            "ascend-910b",
            "rtx-4090",
            "m2-ultra",
            "m3-max",
            "m4-max",
        ] {
            assert!(gpu(required).is_some(), "{required}");
        }
        assert!(gpu("b200").is_some_and(|g| g.estimate));
    }

    /// Every interconnect names a preset, and NVLink per direction is half its headline figure.
    #[test]
    fn interconnects_are_half_the_headline() {
        for ic in INTERCONNECTS {
            let g = gpu(ic.gpu_id).expect("a preset");
            let headline = g.interconnect_bytes_per_s.expect("NVLink figure");
            assert_eq!(
                ic.nvlink_per_direction_bytes_per_s * 2.0,
                headline,
                "{}",
                g.id
            );
            assert!(ic.gpus_per_node >= 1 && ic.nic_per_gpu_bytes_per_s > 0.0);
        }
    }

    /// docs/science.md §4: the batch at which decode turns compute-bound ≈ peak ÷ bandwidth.
    #[test]
    fn ridge_points_match_science() {
        let ridge = |id: &str| gpu(id).map(|g| g.peak_bf16_flop_per_s / g.bandwidth_bytes_per_s);
        assert!(ridge("a100-40gb").is_some_and(|r| (r - 200.6).abs() < 1.0));
        assert!(ridge("h100-sxm").is_some_and(|r| (r - 295.3).abs() < 1.0));
    }
}
