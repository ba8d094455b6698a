//! What the page's symbols and terms mean (issue 18, item 8), in English and Chinese: the
//! symbols of every "how" formula, the glossary, and the units of the "how" results. This text
//! arrives with the charts module (`i18n::register_words`), not with the first download.
//!
//! A symbol is looked up first among its number's own symbols ([`BY_KEY`], keyed by
//! `explain::Key::as_str`), then among the [`COMMON`] ones: a letter that means two things on the
//! page (B: a law's coefficient, or a batch) is defined where it is used. The tests below
//! evaluate scenarios through the model and check that every symbol of every formula is defined.
pub use data::{BY_KEY, COMMON, GLOSSARY, UNITS};

/// The tables, one entry a line (rustfmt would spread each over five).
#[rustfmt::skip]
mod data {
use crate::ui::i18n::Entry;

// Symbols and terms of the glossary too.
const C_COMPUTE: Entry = ("C", "training compute (FLOP), C ≈ 6·N·D", "训练计算量（FLOP），C ≈ 6·N·D");
const D_TOKENS: Entry = ("D", "training tokens", "训练 token 数");
const D_STAR: Entry = ("D*", "compute-optimal training tokens", "计算最优的训练 token 数");
const D_INF: Entry = ("D_inf", "tokens served over the model's lifetime", "模型生命周期内推理的 token 数");
const MFU: Entry = ("MFU", "model FLOPs utilisation: the model's FLOP/s (6·N per token) ÷ peak", "模型算力利用率（MFU）：模型 FLOP/s（每 token 6·N）÷ 峰值算力");
const N_PARAMS: Entry = ("N", "model parameters", "模型参数量");
const N_STAR: Entry = ("N*", "compute-optimal parameters", "计算最优参数量");
const PUE: Entry = ("PUE", "power usage effectiveness: data-centre ÷ IT power (≥ 1)", "电能使用效率（PUE）：数据中心总功耗 ÷ IT 功耗（≥ 1）");
const TTFT: Entry = ("TTFT", "time to first token: how long the prefill takes", "首 token 延迟（TTFT）：预填充的耗时");
const DELTA: Entry = ("Δ", "months from t_ref to t", "从 t_ref 到 t 的月数");
const ELL: Entry = ("ℓ", "target loss (nats/token)", "目标损失（奈特/token）");

/// Symbols with one meaning wherever they appear (`C` is a device's capacity in one formula,
/// which defines it there).
pub const COMMON: &[Entry] = &[
    ("argmin_N", "the N that minimises", "使其最小的 N"),
    ("BW", "peak memory bandwidth per GPU (B/s)", "单卡峰值显存带宽（B/s）"),
    C_COMPUTE,
    ("Chinchilla", "the Chinchilla-optimal model of the same loss", "同等损失下 Chinchilla 计算最优的模型"),
    D_TOKENS,
    D_STAR,
    D_INF,
    ("F", "peak dense FLOP/s per GPU at the compute precision", "单卡在计算精度下的稠密峰值算力（FLOP/s）"),
    ("FLOPs", "floating-point operations", "浮点运算次数"),
    ("H_kv", "key–value (KV) heads", "键值（KV）头数"),
    ("KV", "key–value: what attention keeps per token", "键值（KV）：注意力为每个 token 保留的内容"),
    MFU,
    N_PARAMS,
    N_STAR,
    ("PP", "pipeline-parallel stages", "流水线并行（PP）级数"),
    PUE,
    ("TP", "tensor-parallel degree", "张量并行（TP）度"),
    TTFT,
    ("T_decode", "time to decode all output tokens (s)", "解码全部输出 token 的时间（秒）"),
    ("t_comm", "tensor-parallel communication time (s)", "张量并行通信时间（秒）"),
    ("t_prefill", "fixed prefill overhead (s, fitted)", "预填充固定开销（秒，拟合）"),
    ("t_ref", "the reference model's release date", "参考模型的发布日期"),
    DELTA,
    ("η_bw", "fraction of peak memory bandwidth reached (fitted)", "实际达到的峰值显存带宽比例（拟合）"),
    ("η_c", "fraction of peak compute reached (fitted)", "实际达到的峰值算力比例（拟合）"),
    ("Σ_layers", "sum over the layers", "对各层求和"),
    ("Σ_steps", "sum over the decode steps", "对各解码步求和"),
    ELL,
];

// Meanings shared by several numbers.
const LOSS: Entry = ("L", "loss (nats/token)", "损失（奈特/token）");
const E_LAW: Entry = ("E", "irreducible loss (nats/token)", "不可约损失（奈特/token）");
const A_LAW: Entry = ("A", "coefficient of the parameter term A/N^α", "参数项 A/N^α 的系数");
const B_LAW: Entry = ("B", "coefficient of the data term B/D^β", "数据项 B/D^β 的系数");
const ALPHA_LAW: Entry = ("α", "exponent of the parameter term A/N^α", "参数项 A/N^α 的指数");
const BETA_LAW: Entry = ("β", "exponent of the data term B/D^β", "数据项 B/D^β 的指数");
const LAYERS: Entry = ("L", "layers", "层数");
const BATCH: Entry = ("B", "batch: sequences decoded together", "批大小：同时解码的序列数");
const INPUT: Entry = ("I", "input (prompt) tokens per sequence", "每条序列的输入（提示）token 数");
const OUTPUT: Entry = ("O", "output tokens per sequence", "每条序列的输出 token 数");
const REPLICA: Entry = ("G", "GPUs of one replica (TP × PP)", "单个副本的 GPU 数（TP × PP）");
const WIDTH: Entry = ("d", "model width (hidden size)", "模型宽度（隐藏维度）");
const PRICE_P: Entry = ("p", "price per GPU-hour (USD)", "每 GPU 小时价格（美元）");
const UTIL: Entry = ("u", "average utilisation (idle time is paid for)", "平均利用率（空闲时间也计费）");
const WEIGHTS: Entry = ("W", "weights (bytes)", "权重（字节）");
const KV_BATCH: Entry = ("KV", "KV cache of the batch (bytes)", "整批的 KV 缓存（字节）");
const BITS_W: Entry = ("bits", "bits per weight", "每个权重的位数");
const BITS_B: Entry = ("b", "bits per weight", "每个权重的位数");
const TP_P: Entry = ("p", "GPUs in the tensor-parallel group", "张量并行组内的 GPU 数");
const LATENCY: Entry = ("α", "latency of one collective (s)", "一次集合通信的延迟（秒）");
const LINK: Entry = ("B_link", "link bandwidth per direction (B/s)", "单向链路带宽（B/s）");
const SHARE: Entry = ("share", "fraction of the time spent communicating", "通信时间占比");
const T_COMM: Entry = ("T_comm", "tensor-parallel all-reduce time (s)", "张量并行全归约时间（秒）");
const T_TOK: Entry = ("t_tok", "time per output token after the first (s)", "首个之后每个输出 token 的时间（秒）");
const X_RATE: Entry = ("X", "output tokens per second of one replica", "单个副本每秒输出 token 数");
const DATE_T: Entry = ("t", "the target date", "目标日期");
const T_DENS: Entry = ("T", "density doubling time (months)", "能力密度翻倍时间（月）");
const T_COMB: Entry = ("T", "doubling time, density and hardware together (months)", "能力密度与硬件合计的翻倍时间（月）");
const N_AT_T: Entry = ("N", "parameters matching the reference model at date t", "在日期 t 达到参考模型能力所需的参数量");
const N_REF: Entry = ("N_ref", "the reference model's parameters", "参考模型的参数量");
const T_HW: Entry = ("T_hw", "hardware doubling time of the device's capacity (months)", "设备容量的硬件翻倍时间（月）");
const RHO: Entry = ("ρ", "capability density: capability per parameter", "能力密度：单位参数的能力");
const SLOPE: Entry = ("A", "slope of ln ρ per day", "ln ρ 每天的斜率");
const INTERCEPT: Entry = ("B", "intercept of the fit", "拟合截距");
const N_HAT: Entry = ("N̂", "effective parameters: the size at which the reference family scores the same", "有效参数量：参照模型族取得相同得分所需的参数量");
const GPU_H: Entry = ("H", "GPU-hours", "GPU 小时");
const MICRO: Entry = ("m", "micro-batches per step", "每步的微批次数");
const STAGES: Entry = ("p", "pipeline stages", "流水线级数");
const ALPHA_LINK: Entry = ("α", "link latency (s)", "链路延迟（秒）");
const BETA_LINK: Entry = ("β", "link bandwidth (B/s)", "链路带宽（B/s）");
const MB: Entry = ("b", "micro-batch (sequences)", "微批大小（序列数）");
const SEQ: Entry = ("s", "sequence length (tokens)", "序列长度（token）");
const CP_C: Entry = ("c", "context-parallel degree", "上下文并行（CP）度");
const TP_T: Entry = ("t", "tensor-parallel degree", "张量并行（TP）度");
const BYTES_B: Entry = ("B", "bytes (2 B: one BF16 element)", "字节（2 B 即一个 BF16 元素）");
const PEAK: Entry = ("peak", "peak dense BF16 FLOP/s per GPU", "单卡 BF16 稠密峰值算力（FLOP/s）");
const LOST: Entry = ("lost", "fraction of GPU time lost (failures, restarts)", "因故障、重启浪费的 GPU 时间比例");
const PRICE_W: Entry = ("price", "price per GPU-hour (USD)", "每 GPU 小时价格（美元）");
const T_IN: Entry = ("T_in", "lifetime input tokens", "生命周期输入 token 数");
const T_OUT: Entry = ("T_out", "lifetime output tokens", "生命周期输出 token 数");
const C_TRAIN: Entry = ("c_train", "USD per training FLOP", "每 FLOP 训练成本（美元）");
const C_PREFILL: Entry = ("c_prefill", "USD per prefill FLOP", "每 FLOP 预填充成本（美元）");
const C_DECODE: Entry = ("c_decode", "USD per generated token, model of N parameters", "N 参数模型每生成一个 token 的成本（美元）");
const Y_HP: Entry = ("y", "the hyperparameter you pasted (batch or learning rate)", "粘贴的超参数（批大小或学习率）");
const K_COEF: Entry = ("k", "coefficient of the power law", "幂律系数");
const LN_A: Entry = ("a", "ln A, the fitted coordinate", "ln A（拟合坐标）");
const LN_B: Entry = ("b", "ln B, the fitted coordinate", "ln B（拟合坐标）");
const ISO_N: Entry = ("N_opt", "best size of an iso-FLOP profile (parabola minimum)", "等计算量剖面的最优参数量（抛物线极小点）");

const FIT_AB: &[Entry] = &[E_LAW, A_LAW, B_LAW, ALPHA_LAW, BETA_LAW, LN_A, LN_B];
const FIT: &[Entry] = &[
    E_LAW,
    A_LAW,
    B_LAW,
    ALPHA_LAW,
    BETA_LAW,
    LN_A,
    LN_B,
    ("e", "ln E, the fitted coordinate (E = exp e)", "ln E（拟合坐标，E = exp e）"),
    ("Σ_i", "sum over your runs", "对各组实验求和"),
    ("Huber_δ", "Huber loss: quadratic below δ = 10⁻³, linear above", "Huber 损失：小于 δ = 10⁻³ 时为二次，之上为线性"),
    ("LSE", "log-sum-exp: ln(eˣ + eʸ + eᶻ), a smooth maximum", "ln(eˣ + eʸ + eᶻ)，平滑的最大值"),
    ("N_i", "run i's parameters", "第 i 组实验的参数量"),
    ("D_i", "run i's training tokens", "第 i 组实验的训练 token 数"),
    ("L_i", "run i's final loss", "第 i 组实验的最终损失"),
];
const LAW: &[Entry] = &[
    LOSS,
    E_LAW,
    A_LAW,
    B_LAW,
    ALPHA_LAW,
    BETA_LAW,
    ("G", "scale of N*: (αA/(βB))^(1/(α+β))", "N* 的系数：(αA/(βB))^(1/(α+β))"),
    ("a", "exponent of N* in C", "N* 随 C 的指数"),
    ("b", "exponent of D* in C", "D* 随 C 的指数"),
];
const DATA: &[Entry] = &[
    LOSS,
    ("D", "tokens trained on, repeats included", "训练的 token 数（含重复）"),
    ("D'", "effective data: repeated tokens discounted", "有效数据量：重复 token 打折后"),
    ("U", "unique tokens available", "可用的不重复 token 数"),
    ("R", "repetitions beyond the first epoch", "第一轮之后的重复次数"),
    ("R*", "repetitions after which repeats are worth 1/e (fitted: 15.4)", "重复价值衰减到 1/e 的重复次数（拟合值 15.4）"),
];
const AWARE: &[Entry] = &[
    LOSS,
    E_LAW,
    A_LAW,
    B_LAW,
    ALPHA_LAW,
    BETA_LAW,
    ("D", "training tokens that reach loss ℓ at size N", "参数量为 N 时达到损失 ℓ 所需的训练 token 数"),
    ("lifetime", "training + inference FLOP of a model", "模型训练与推理的总计算量"),
    ("optimum", "the inference-aware optimum", "考虑推理的最优模型"),
];
const PRICED: &[Entry] = &[
    LOSS,
    T_IN,
    T_OUT,
    C_TRAIN,
    C_PREFILL,
    C_DECODE,
    ("lifetime", "lifetime cost: training + serving", "生命周期成本：训练 + 推理服务"),
];
const HPFIT: &[Entry] = &[
    Y_HP,
    K_COEF,
    ("p", "exponent of the power law", "幂律指数"),
    ("C", "compute (FLOP)", "计算量（FLOP）"),
    ("t₀.₉₇₅", "Student t 97.5% quantile, n − 2 degrees of freedom", "自由度为 n − 2 的 t 分布 97.5% 分位数"),
    ("n", "points fitted", "拟合的数据点数"),
    ("s", "residual standard error (in ln y)", "残差标准误（ln y 尺度）"),
    ("Sxx", "Σ (ln C − mean ln C)²", "ln C 的离差平方和"),
];
const ISO: &[Entry] = &[
    ISO_N,
    K_COEF,
    ("C", "compute of a profile (FLOP)", "剖面的计算量（FLOP）"),
    ("a", "exponent of N_opt in C", "N_opt 随 C 的指数"),
    ("D_opt", "best tokens of a profile", "剖面的最优 token 数"),
];
const DENS_FIT: &[Entry] = &[
    ("T", "density doubling time (months)", "能力密度翻倍时间（月）"),
    SLOPE,
    INTERCEPT,
    ("ρ", "capability density of each model", "各模型的能力密度"),
    ("t", "release date of each model", "各模型的发布日期"),
];
const TRAIN_H: &[Entry] = &[
    GPU_H,
    ("C", "model FLOP of the run (6·N·D)", "本次训练的模型计算量（6·N·D）"),
    ("P", "peak dense BF16 FLOP/s per GPU", "单卡 BF16 稠密峰值算力（FLOP/s）"),
    ("f", "fraction of GPU time lost (failures, restarts)", "因故障、重启浪费的 GPU 时间比例"),
    ("m", "research multiplier: all compute ÷ the final run", "研究倍数：全部计算量 ÷ 最终训练"),
];
const TRAIN_DAYS: &[Entry] = &[
    ("days", "wall-clock days of the run", "训练的实际天数"),
    ("H_run", "GPU-hours of the final run (no research multiplier)", "最终训练的 GPU 小时（不含研究倍数）"),
    ("K", "GPUs", "GPU 数"),
];
const TRAIN_COST: &[Entry] = &[GPU_H, PRICE_W];
const TRAIN_MWH: &[Entry] = &[
    ("E", "energy (MWh)", "能耗（MWh）"),
    GPU_H,
    ("W", "power per GPU (W)", "单卡功率（W）"),
];
const TRAIN_CO2: &[Entry] = &[
    ("t", "emissions (t CO₂e)", "排放（吨 CO₂e）"),
    ("E", "energy (MWh)", "能耗（MWh）"),
    ("g", "grid carbon intensity (t CO₂e/MWh)", "电网碳强度（吨 CO₂e/MWh）"),
];
const COST_IN: &[Entry] = &[PRICE_P, REPLICA, UTIL, BATCH, INPUT];
const COST_OUT: &[Entry] = &[PRICE_P, REPLICA, UTIL, BATCH, OUTPUT];
const PER_TOKEN: &[Entry] = &[
    T_TOK,
    OUTPUT,
    REPLICA,
    BATCH,
    ("bytes", "bytes read in one step", "单步读取的字节数"),
    ("τ", "tokens per decode step (speculative decoding)", "每个解码步的 token 数（投机解码）"),
    ("weights", "bytes of weights read each step", "每步读取的权重字节数"),
    ("KV", "KV cache per sequence (bytes)", "每条序列的 KV 缓存（字节）"),
    ("FLOPs", "FLOP of one step", "单步的计算量"),
];
const COMM: &[Entry] = &[SHARE, T_COMM, LAYERS, LATENCY, TP_P, BATCH, INPUT, WIDTH, LINK];
const PLAN_C: &[Entry] = &[
    PRICE_W,
    LOST,
    ("research", "research multiplier: all compute ÷ the final run", "研究倍数：全部计算量 ÷ 最终训练"),
    PEAK,
    ("days", "wall-clock days", "实际天数"),
    ("GPUs", "GPUs in the run", "训练用的 GPU 数"),
];
const KV_TOKEN: &[Entry] = &[
    ("kv", "KV cache per token (bytes)", "每个 token 的 KV 缓存（字节）"),
    LAYERS,
    ("e_kv", "elements cached per token per layer", "每层每个 token 缓存的元素数"),
    ("bits", "bits per KV element", "每个 KV 元素的位数"),
    ("d_h", "head dimension", "注意力头维度"),
    ("r_kv", "MLA's compressed KV width", "MLA 压缩后的 KV 维度"),
    ("d_r", "MLA's decoupled RoPE key width", "MLA 解耦 RoPE 键的维度"),
    BATCH,
    INPUT,
    OUTPUT,
    KV_BATCH,
    ("window", "a layer's sliding window (its whole context if none)", "该层的滑动窗口（无窗口则为整个上下文）"),
];
const STEP_COMM: &[Entry] = &[
    MICRO,
    LAYERS,
    STAGES,
    ALPHA_LINK,
    BETA_LINK,
    MB,
    SEQ,
    CP_C,
    TP_T,
    BYTES_B,
    ("T_cp", "exposed context-parallel exchange time per step (s)", "每步未被掩盖的上下文并行交换时间（秒）"),
    ("k", "exchanges per layer (values after the ';')", "每层的交换次数（取值见分号后）"),
    ("h_kv", "K/V width: KV heads × head dimension", "K/V 宽度：KV 头数 × 头维度"),
    ("attention", "attention time: the compute that hides the exchange (s)", "可掩盖交换的注意力计算时间（秒）"),
    ("K", "keys", "键（K）"),
    ("V", "values", "值（V）"),
    ("T_ep", "expert-parallel all-to-all time per step (s)", "每步专家并行全交换时间（秒）"),
    ("L_moe", "MoE layers", "MoE 层数"),
    ("e", "expert-parallel degree", "专家并行（EP）度"),
    ("top_k", "experts per token", "每个 token 激活的专家数"),
    ("h", "hidden size", "隐藏维度"),
];

/// Each number's own symbols (beyond or instead of [`COMMON`]), by its key; every key has an
/// entry (the tests check it), empty where [`COMMON`] says it all.
pub const BY_KEY: &[(&str, &[Entry])] = &[
    ("atlas.doubling_months", &[
        ("ρ_i", "capability density of model i", "模型 i 的能力密度"),
        SLOPE,
        ("t_i", "release date of model i", "模型 i 的发布日期"),
        INTERCEPT,
        T_DENS,
        ("N̂_i", "effective parameters of model i", "模型 i 的有效参数量"),
        ("N_i", "parameters of model i (used per token)", "模型 i 的参数量（每个 token 使用的）"),
        N_HAT,
        ("S", "the reference family's score at size N", "参照模型族在参数量 N 时的得分"),
    ]),
    ("atlas.edge_months", &[
        ("N", "parameters the frontier capability needs on the trend", "按趋势，前沿能力所需的参数量"),
        ("t₀", "the density section's target date", "能力密度部分的目标日期"),
        ("N̂₀", "largest effective size of the models released by t₀", "t₀ 前发布模型中最大的有效参数量"),
        ("ρ̂", "fitted density trend", "拟合的能力密度趋势"),
        ("t*", "date the frontier capability fits the device", "前沿能力装进设备的日期"),
        T_DENS,
        ("C", "the device's capacity (parameters at the chosen bits)", "设备容量（所选位宽下的参数量）"),
    ]),
    ("atlas.price_halving_months", &[
        ("p", "price per million tokens, 3 input : 1 output", "每百万 token 价格（输入与输出按 3:1 混合）"),
        ("p_in", "list price per million input tokens", "每百万输入 token 标价"),
        ("p_out", "list price per million output tokens", "每百万输出 token 标价"),
        ("p_i", "cheapest price on date i", "日期 i 的最低价格"),
        ("A", "slope of ln(1/p) per day", "ln(1/p) 每天的斜率"),
        ("t_i", "date i", "日期 i"),
        INTERCEPT,
        ("S", "a model's benchmark score", "模型的基准得分"),
        ("S*", "the chosen minimum score", "所选的最低得分"),
        ("T½", "price halving time (months)", "价格减半时间（月）"),
    ]),
    ("data_constrained.effective_tokens", DATA),
    ("data_constrained.epochs", DATA),
    ("data_constrained.loss", DATA),
    ("data_constrained.params", DATA),
    ("density.combined_doubling_months", &[
        T_COMB,
        ("T_d", "density doubling time (months)", "能力密度翻倍时间（月）"),
        T_HW,
    ]),
    ("density.device_capacity_params", &[
        ("N_mem", "largest model that fits the memory (parameters)", "内存装得下的最大模型（参数量）"),
        ("M", "device memory (bytes)", "设备内存（字节）"),
        ("u", "usable fraction of the memory", "内存的可用比例"),
        BITS_B,
    ]),
    ("density.device_fit_months", &[
        ("t*", "date the reference capability fits the device", "参考能力装进设备的日期"),
        T_COMB,
        N_REF,
        ("N_cap", "the device's capacity (parameters) at t_dev", "t_dev 时设备的容量（参数量）"),
        ("t_dev", "date of the device's figures", "设备参数对应的日期"),
        T_HW,
    ]),
    ("density.device_tokens_per_s", &[
        ("r", "decode speed, memory-bound (tokens/s)", "受内存带宽限制的解码速度（token/秒）"),
        ("W", "device memory bandwidth (B/s)", "设备内存带宽（B/s）"),
        N_AT_T,
        DATE_T,
        BITS_B,
    ]),
    ("density.equivalent_params", &[N_AT_T, DATE_T, N_REF, T_DENS]),
    ("density.fit.doubling_months", DENS_FIT),
    ("density.fit_frontier.doubling_months", DENS_FIT),
    ("density.inference_flops_per_token", &[
        ("C_tok", "inference FLOP per token", "每个 token 的推理计算量"),
        N_AT_T,
        DATE_T,
    ]),
    ("density.months_elapsed", &[
        DATE_T,
        ("days", "the gap in days (30.436875 to a month)", "相隔天数（每月 30.436875 天）"),
    ]),
    ("density.ratio", &[RHO, DATE_T, T_DENS]),
    ("density.seed_param_ratio", &[
        ("N_GPT-3", "GPT-3's parameters (175B)", "GPT-3 的参数量（1750 亿）"),
        ("N_MiniCPM", "MiniCPM's parameters (2.4B)", "MiniCPM 的参数量（24 亿）"),
    ]),
    ("density.usd_per_million_tokens", &[
        ("M", "a million tokens", "一百万 token"),
        PRICE_P,
        UTIL,
        ("t_step", "time of one decode step (s)", "一个解码步的时间（秒）"),
        BATCH,
        N_AT_T,
        DATE_T,
        ("β", "bytes per weight", "每个权重的字节数"),
        ("t_o", "fixed per-step overhead (s)", "每步固定开销（秒）"),
    ]),
    ("density.weight_bytes", &[
        ("M_w", "weight memory (bytes)", "权重占用的内存（字节）"),
        N_AT_T,
        DATE_T,
        BITS_B,
    ]),
    ("effective.density", &[
        RHO,
        N_HAT,
        ("N", "the model's parameters (used per token)", "模型的参数量（每个 token 使用的）"),
    ]),
    ("effective.params", &[
        N_HAT,
        ("S", "benchmark score", "基准得分"),
        ("m", "ln N at the curve's midpoint", "曲线中点处的 ln N"),
        ("d", "score floor", "得分下限"),
        ("c", "score range above the floor", "下限之上的得分范围"),
        ("k", "steepness of the curve", "曲线陡度"),
    ]),
    ("fit.A", FIT_AB),
    ("fit.B", FIT_AB),
    ("fit.E", FIT),
    ("fit.alpha", FIT_AB),
    ("fit.band", &[
        ("q₀.₀₂₅", "2.5th percentile", "2.5% 分位数"),
        ("q₀.₉₇₅", "97.5th percentile", "97.5% 分位数"),
        ("N*_b", "compute-optimal parameters of resample b", "第 b 次重抽样的计算最优参数量"),
        ("D*_b", "compute-optimal tokens of resample b", "第 b 次重抽样的计算最优 token 数"),
        ("C", "the budget (FLOP)", "计算预算（FLOP）"),
        ("b", "a bootstrap resample", "一次自助法重抽样"),
    ]),
    ("fit.beta", FIT_AB),
    ("fit.objective", FIT),
    ("hpfit.at_budget", HPFIT),
    ("hpfit.coefficient", HPFIT),
    ("hpfit.exponent", HPFIT),
    ("hyper.batch_tokens", &[("B_opt", "optimal batch size (tokens)", "最优批大小（token）")]),
    ("hyper.learning_rate", &[("η_opt", "optimal peak learning rate", "最优峰值学习率")]),
    ("inference.activation_bytes", &[
        ("A", "activations (bytes)", "激活值（字节）"),
        BATCH,
        INPUT,
        ("w_act", "widest activation per token (elements, 2 B each)", "每个 token 最宽的激活（元素数，每个 2 字节）"),
        ("V", "vocabulary (logits, 4 B each)", "词表大小（输出层每个值 4 字节）"),
    ]),
    ("inference.bandwidth_fraction", &[]),
    ("inference.collective_latency_s", &[
        LATENCY,
        ("r", "KV re-read fraction (below)", "KV 重读比例（见下）"),
    ]),
    ("inference.comm_seconds", &[
        ("T_comm", "tensor-parallel communication time (s)", "张量并行通信时间（秒）"),
        ("T_comm,prefill", "… during the prefill", "……预填充阶段"),
        ("Σ_decode", "sum over the decode steps", "对各解码步求和"),
        ("T_comm,step", "… in one decode step", "……单个解码步"),
    ]),
    ("inference.compute_fraction", &[]),
    ("inference.cost_per_million_input_tokens_usd", COST_IN),
    ("inference.cost_per_million_output_tokens_usd", COST_OUT),
    ("inference.decode_comm_share", COMM),
    ("inference.end_to_end_seconds", &[]),
    ("inference.energy_kwh_per_million_tokens", &[
        ("P", "board power per GPU (W)", "单卡板卡功率（W）"),
        REPLICA,
        BATCH,
        INPUT,
        OUTPUT,
    ]),
    ("inference.fp8_compute_fraction", &[(
        "η_c,fp8",
        "fraction of the FP8 peak reached (fitted)",
        "实际达到的 FP8 峰值算力比例（拟合）",
    )]),
    ("inference.kv_cache_bytes", KV_TOKEN),
    ("inference.kv_cache_bytes_per_token", KV_TOKEN),
    ("inference.kv_reread_fraction", &[
        ("r", "share of the grouped KV that is re-read from memory", "分组 KV 从显存重读的比例"),
        ("λ", "L2 bandwidth scale: BW/BW_L2 over the A100's", "L2 带宽缩放：BW/BW_L2 与 A100 之比"),
        ("H", "query heads", "查询头数"),
        ("BW_L2", "L2 cache bandwidth (B/s)", "L2 缓存带宽（B/s）"),
        ("α", "latency of one collective (above)", "一次集合通信的延迟（见上）"),
        ("KV", "the KV cache", "KV 缓存"),
    ]),
    ("inference.lifetime_cost_usd", &[
        ("T_tokens", "tokens served over the lifetime", "生命周期内服务的 token 数"),
        ("M", "$/M: cost per million tokens", "$/M：每百万 token 成本"),
    ]),
    ("inference.max_batch", &[
        ("B_max", "largest batch that fits (sequences)", "装得下的最大批（序列数）"),
        REPLICA,
        ("M_dev", "memory per GPU (bytes)", "单卡显存（字节）"),
        WEIGHTS,
        ("ρ", "copies of each KV head", "每个 KV 头的副本数"),
        ("kv_seq", "KV cache per sequence (bytes)", "每条序列的 KV 缓存（字节）"),
        ("a_seq", "activations per sequence (bytes)", "每条序列的激活（字节）"),
    ]),
    ("inference.memory_per_gpu_bytes", &[
        ("M", "memory per GPU (bytes)", "单卡显存占用（字节）"),
        WEIGHTS,
        ("ρ", "copies of each KV head", "每个 KV 头的副本数"),
        KV_BATCH,
        ("A", "activations (bytes)", "激活值（字节）"),
        REPLICA,
    ]),
    ("inference.output_tokens_per_second", &[X_RATE, BATCH, OUTPUT]),
    ("inference.prefill_comm_share", COMM),
    ("inference.prefill_overhead_s", &[]),
    ("inference.seconds_per_output_token", PER_TOKEN),
    ("inference.tokens_per_second_per_sequence", &[T_TOK]),
    ("inference.tokens_per_step", &[
        ("τ", "expected tokens per decode step", "每个解码步的期望 token 数"),
        ("α", "chance a draft token is accepted", "草稿 token 被接受的概率"),
        ("k", "draft tokens per step", "每步的草稿 token 数"),
    ]),
    ("inference.ttft_seconds", &[
        ("bytes", "bytes the prefill moves", "预填充读写的字节数"),
        ("FLOPs", "FLOP of the prefill", "预填充的计算量"),
        REPLICA,
    ]),
    ("inference.weights_bytes", &[
        WEIGHTS,
        ("N_total", "all parameters, every expert included", "全部参数（含所有专家）"),
        BITS_W,
    ]),
    ("inference_aware.chinchilla_params", AWARE),
    ("inference_aware.chinchilla_tokens", AWARE),
    ("inference_aware.lifetime_flops", AWARE),
    ("inference_aware.lifetime_saving", AWARE),
    ("inference_aware.params", AWARE),
    ("inference_aware.tokens", AWARE),
    ("iso.a", ISO),
    ("iso.b", ISO),
    ("iso.k", ISO),
    ("optimal.loss", LAW),
    ("optimal.params", LAW),
    ("optimal.tokens", LAW),
    ("optimal.tokens_per_param", &[]),
    ("plan.co2_tonnes", TRAIN_CO2),
    ("plan.cost_per_million_input_tokens_usd", COST_IN),
    ("plan.cost_per_million_output_tokens_usd", COST_OUT),
    ("plan.cost_usd", TRAIN_COST),
    ("plan.energy_mwh", TRAIN_MWH),
    ("plan.fits_device_on", &[
        ("t*", "date N* fits the device", "N* 装进设备的日期"),
        ("t₀", "the density section's target date", "能力密度部分的目标日期"),
        T_COMB,
        ("N_device", "the device's capacity (parameters)", "设备容量（参数量）"),
        ("memory", "the device's memory (bytes)", "设备内存（字节）"),
        BITS_W,
    ]),
    ("plan.flops", PLAN_C),
    ("plan.gpu_hours", TRAIN_H),
    ("plan.output_tokens_per_second", &[X_RATE, BATCH, OUTPUT]),
    ("plan.reference_era_params", &[
        ("N_ref-era", "parameters a model of date t_ref needs to match N* built at t", "t_ref 时的模型要达到 t 时 N* 的能力所需的参数量"),
        DATE_T,
        T_DENS,
    ]),
    ("plan.seconds_per_output_token", PER_TOKEN),
    ("plan.serving_params", &[
        ("B", "billion parameters", "十亿参数"),
        LAYERS,
        WIDTH,
        ("H", "attention heads", "注意力头数"),
    ]),
    ("plan.training_flops", &[]),
    ("plan.wall_days", TRAIN_DAYS),
    ("priced.chinchilla_usd", PRICED),
    ("priced.params", PRICED),
    ("priced.saving", PRICED),
    ("priced.tokens", PRICED),
    ("priced.usd", PRICED),
    ("training.co2_tonnes", TRAIN_CO2),
    ("training.cost_usd", TRAIN_COST),
    ("training.cp_comm_s", STEP_COMM),
    ("training.energy_mwh", TRAIN_MWH),
    ("training.ep_comm_s", STEP_COMM),
    ("training.flops", &[]),
    ("training.flops_with_attention", &[
        LAYERS,
        ("H", "attention heads", "注意力头数"),
        ("Q", "head dimension", "注意力头维度"),
        ("T", "sequence length (tokens)", "序列长度（token）"),
    ]),
    ("training.gpu_hours", TRAIN_H),
    ("training.hardware_flops", &[
        ("C_hw", "hardware FLOP: all the GPUs execute", "硬件计算量：GPU 实际执行的全部运算"),
        ("C_attn", "model FLOP with attention (above)", "含注意力的模型计算量（见上）"),
        ("recompute", "FLOP per token redone by activation recomputation", "激活重计算每个 token 重做的计算量"),
    ]),
    ("training.memory_per_gpu", &[
        ("M", "memory per GPU (bytes)", "单卡显存占用（字节）"),
        ("weights", "weights (bytes)", "权重（字节）"),
        ("grads", "gradients (bytes)", "梯度（字节）"),
        ("optimizer", "optimizer states (bytes)", "优化器状态（字节）"),
        ("tp", "tensor-parallel degree", "张量并行（TP）度"),
        ("pp", "pipeline stages", "流水线级数"),
        ("dp", "data-parallel degree", "数据并行度"),
        ("ZeRO", "ZeRO stage: 1 shards optimizer states, 2 + gradients, 3 + weights", "ZeRO 阶段：1 切分优化器状态，2 再加梯度，3 再加权重"),
        ("activations", "activations of the micro-batches in flight (bytes)", "在途微批次的激活（字节）"),
    ]),
    ("training.params", &[
        ("N", "all parameters", "全部参数量"),
        ("attention", "attention weights (Q, K, V, output)", "注意力权重（Q、K、V、输出）"),
        ("FFN", "feed-forward weights", "前馈网络权重"),
        ("experts", "MoE experts' weights", "MoE 专家权重"),
        ("norms", "normalisation weights", "归一化层权重"),
        ("V", "vocabulary", "词表大小"),
        WIDTH,
        ("P", "learned positions (0 with RoPE)", "可学习位置数（RoPE 为 0）"),
    ]),
    ("training.predicted_mfu", &[
        ("step", "time of one optimizer step (s)", "一个优化器步的时间（秒）"),
        ("GPUs", "GPUs in the run", "训练用的 GPU 数"),
        PEAK,
        ("compute", "matmuls at the calibrated efficiency", "矩阵乘法时间（按校准效率）"),
        ("memory", "memory-bound kernels (norms, activations)", "受显存带宽限制的算子（归一化、激活）"),
        ("TP", "tensor-parallel all-reduces", "张量并行（TP）的全归约"),
        ("CP", "context-parallel ring exchange of K/V", "上下文并行（CP）的 K/V 环形交换"),
        ("EP", "expert-parallel all-to-alls", "专家并行（EP）的全交换"),
        ("DP", "data-parallel gradient reduction", "数据并行的梯度归约"),
        ("bubble", "pipeline bubble: stages idle at a step's ends", "流水线气泡：步首尾空闲的流水线级"),
        ("optimizer", "the optimizer update", "优化器更新"),
    ]),
    ("training.wall_days", TRAIN_DAYS),
];

/// The glossary: every term and symbol a reader meets on the page (Latin, then Greek).
pub const GLOSSARY: &[Entry] = &[
    ("$/M tokens", "US dollars per million tokens", "每百万 token 的美元成本"),
    A_LAW,
    ("activation recomputation", "redoing the forward pass in the backward instead of storing activations: less memory, more FLOP", "激活重计算：反向时重算前向而不保存激活，省显存、多计算"),
    ("all-reduce", "a collective that sums a tensor over GPUs and gives each the sum", "全归约：多卡求和并把结果发给每张卡"),
    B_LAW,
    ("batch", "sequences processed together in one step", "批：一步中一起处理的序列"),
    ("BF16, FP8", "16-bit (bfloat16) and 8-bit floating-point formats", "16 位（bfloat16）与 8 位浮点格式"),
    ("bootstrap", "refitting on runs drawn with replacement, for 95% intervals", "自助法：有放回地重抽实验并重新拟合，得到 95% 区间"),
    C_COMPUTE,
    ("capability density", "capability per parameter: effective size N̂ ÷ size N", "能力密度：单位参数的能力，即有效参数量 N̂ ÷ 参数量 N"),
    ("Chinchilla", "Hoffmann et al. 2022: L = E + A/N^α + B/D^β and its compute-optimal rule (≈ 20 tokens per parameter)", "Hoffmann 等 2022：L = E + A/N^α + B/D^β 及其计算最优法则（约每参数 20 个 token）"),
    ("compute-optimal", "the split of a compute budget between N and D with the lowest loss", "计算最优：给定计算量下使损失最低的 N 与 D 分配"),
    ("CO₂e", "CO₂ equivalent: emissions counted as the CO₂ that warms as much", "二氧化碳当量：按同等增温效应折算的 CO₂"),
    ("CP", "context parallelism: each GPU holds part of the sequence; K/V pass round a ring", "上下文并行（CP）：每张 GPU 持有序列的一段，K/V 沿环传递"),
    D_TOKENS,
    D_STAR,
    D_INF,
    ("data-constrained", "less unique data than the budget wants, so it repeats over epochs (Muennighoff et al. 2023)", "数据受限：不重复数据不足，需多轮重复（Muennighoff 等 2023）"),
    ("decode", "generating output tokens step by step; bound by memory bandwidth", "解码：逐步生成输出 token，受显存带宽限制"),
    ("Densing Law", "capability density doubles about every 3.3 months (Xiao et al. 2024)", "密度法则：能力密度约每 3.3 个月翻一番（Xiao 等 2024）"),
    ("doubling time", "months for a quantity to double", "翻倍时间：某个量翻一番所需的月数"),
    ("DP", "data parallelism: replicas train on different data and average gradients", "数据并行（DP）：各副本处理不同数据并平均梯度"),
    ("D′", "effective data: repeated tokens discounted", "有效数据量：重复 token 打折后"),
    E_LAW,
    ("EP", "expert parallelism: an MoE layer's experts spread over GPUs, reached by all-to-all", "专家并行（EP）：MoE 层的专家分布在多张 GPU 上，经全交换收发 token"),
    ("epoch", "one pass over the unique data", "轮：遍历一遍不重复数据"),
    ("FFN", "feed-forward network: each layer's MLP", "前馈网络（FFN）：每层的 MLP"),
    ("FlashAttention", "an attention kernel that never stores the score matrix", "FlashAttention：不保存注意力分数矩阵的注意力内核"),
    ("FLOP", "floating-point operations, a count (FLOP/s: a rate)", "浮点运算次数（计数；FLOP/s 为速率）"),
    ("frontier", "models denser than every earlier one", "前沿：密度高于此前所有模型的模型"),
    ("GiB", "2³⁰ bytes", "2³⁰ 字节"),
    ("GPU-hour (GPU-h)", "one GPU for one hour", "GPU 小时：一张 GPU 用一小时"),
    ("GQA", "grouped-query attention: query heads share KV heads, shrinking the KV cache", "分组查询注意力（GQA）：查询头共享 KV 头，KV 缓存更小"),
    ("HFU", "hardware FLOPs utilisation: as MFU, counting recomputed FLOP too", "硬件算力利用率（HFU）：同 MFU，但计入重计算"),
    ("Huber loss", "squared error for small residuals, linear beyond δ: robust to outliers", "Huber 损失：残差小时取平方、超过 δ 取线性，对离群点稳健"),
    ("inference-aware", "the best N and D when later inference FLOP count too (Sardana et al. 2024)", "考虑推理：计入日后推理计算量时的最优 N 与 D（Sardana 等 2024）"),
    ("iso-FLOP profile", "runs of equal compute; the N of least loss is that compute's best size", "等计算量剖面：计算量相同的一组实验，损失最低处的 N 即最优参数量"),
    ("KV cache", "keys and values of earlier tokens kept for attention", "KV 缓存：为注意力保存的历史 token 的键和值"),
    LOSS,
    ("L-BFGS", "a quasi-Newton optimiser; it fits the law's five constants", "L-BFGS：拟牛顿优化算法，用于拟合定律的五个常数"),
    ("LoRA", "low-rank adapters trained beside frozen weights", "LoRA：在冻结权重旁训练的低秩适配器"),
    MFU,
    ("micro-batch", "the part of a batch a GPU processes at once", "微批次：GPU 一次处理的那部分批"),
    ("MLA", "multi-head latent attention: caches a compressed latent, not K and V", "多头潜在注意力（MLA）：缓存压缩的潜向量而非 K、V"),
    ("MoE", "mixture of experts: each token uses a few of many expert FFNs", "混合专家（MoE）：每个 token 只用众多专家 FFN 中的几个"),
    N_PARAMS,
    ("N(t)", "parameters matching the reference model at date t", "在日期 t 达到参考模型能力所需的参数量"),
    N_STAR,
    ("nats/token", "loss unit: cross-entropy per token, natural log (1 nat = 1.44 bits)", "奈特/token：损失单位，每 token 的自然对数交叉熵（1 奈特 = 1.44 比特）"),
    N_HAT,
    ("pipeline bubble", "time pipeline stages sit idle as a step fills and drains", "流水线气泡：每步填充与排空时流水线级的空闲时间"),
    ("PP", "pipeline parallelism: layers split into stages on different GPUs", "流水线并行（PP）：把层分成若干级放在不同 GPU 上"),
    ("prefill", "processing the prompt in one pass before the first output token; compute-bound", "预填充：首个输出 token 前一次处理整个提示，受算力限制"),
    PUE,
    ("QLoRA", "LoRA on a 4-bit quantised frozen base", "QLoRA：在 4 比特量化的冻结基座上做 LoRA"),
    ("roofline", "time = max(bytes ÷ bandwidth, FLOP ÷ compute)", "屋顶线模型：时间 = max（字节 ÷ 带宽，FLOP ÷ 算力）"),
    ("speculative decoding", "a draft model proposes k tokens; the model checks them in one step", "投机解码：草稿模型提出 k 个 token，目标模型一步验证"),
    T_DENS,
    ("TFLOP/s", "10¹² FLOP per second", "每秒 10¹² 次浮点运算"),
    ("token", "a piece of text, about ¾ of an English word", "token：文本单元，约 ¾ 个英文单词"),
    ("tokens per parameter", "D/N; Chinchilla's optimum is about 20", "每参数 token 数：D/N，Chinchilla 最优约为 20"),
    ("TP", "tensor parallelism: each layer's matrices split over GPUs, joined by all-reduce", "张量并行（TP）：每层矩阵切分到多张 GPU，用全归约合并"),
    ("TPOT", "time per output token after the first", "每 token 输出延迟（TPOT）：首个之后每个输出 token 的时间"),
    TTFT,
    ("U", "unique tokens available", "可用的不重复 token 数"),
    ("utilisation", "the share of paid GPU time that does useful work", "利用率：付费 GPU 时间中实际工作的比例"),
    ("ZeRO", "sharding optimizer states (1), gradients (2) and weights (3) over data-parallel ranks", "ZeRO：在数据并行各卡间切分优化器状态（1）、梯度（2）与权重（3）"),
    ELL,
    ALPHA_LAW,
    BETA_LAW,
    DELTA,
    ("η_bw, η_c", "fractions of peak bandwidth and compute reached (fitted)", "实际达到的峰值带宽与算力比例（拟合）"),
    RHO,
    ("ρ(t)/ρ(t_ref)", "how many times denser models are at t than at t_ref", "日期 t 的能力密度是 t_ref 时的倍数"),
    ("τ", "tokens per decode step (speculative decoding)", "每个解码步的 token 数（投机解码）"),
];

/// The units of the "how" results, in words.
pub const UNITS: &[Entry] = &[
    ("params", "parameters", "参数"),
    ("tokens", "tokens", "token"),
    ("tokens/param", "tokens/param", "token/参数"),
    ("tokens/s", "tokens/s", "token/秒"),
    ("FLOP/token", "FLOP per token", "FLOP/token"),
    ("nats/token", "nats/token", "奈特/token"),
    ("months", "months", "个月"),
    ("days", "days", "天"),
    ("s", "s", "秒"),
    ("GPU-h", "GPU-h", "GPU 小时"),
    ("t CO₂e", "t CO₂e", "吨 CO₂e"),
    ("B", "bytes", "字节"),
    ("bytes", "bytes", "字节"),
    ("sequences", "sequences", "条序列"),
    ("epochs", "epochs", "轮"),
    ("fraction", "(share of 1)", "（占比）"),
    ("×", "times", "倍"),
];
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::explain::Key;
    use crate::model::fit::{self, bootstrap, columns, FitOptions, StartGrid};
    use crate::model::scaling::hyper;
    use crate::model::scenario::Scenario;
    use crate::model::training::{self, StepOptions};
    use crate::model::{atlas, density, inference, lifetime, plan, scaling, url};
    use crate::ui::i18n::{formula_symbols, Entry};

    /// The links every schema must keep opening (they ask most questions of every section).
    const LINKS: &str = include_str!("../../../tests/links/v1.txt");

    /// More scenarios: context and expert parallelism, priced and data-constrained questions,
    /// a device for the plan's density step, and every pasted table.
    const MORE: &[&str] = &[
        "v=2&tm=mixtral-8x7b&td=1e12&gpu=h100-sxm&k=256&tp=2&tcp=2&tep=8&seq=8192",
        "v=2&tn=7e9&td=2e12&gpu=h100-sxm&k=64&tcp=4&tp=2&seq=32768&mb=1",
        "v=2&tm=llama-2-70b&ut=1e11&tl=2.1&it=1e13&iprice=3&util=0.5&b=64&dev=phone-8gb&dhw=25.2",
        "v=2&im=deepseek-v3&igpu=h200&itp=8&b=32&sk=4&sa=0.7&iprice=2&it=1e12",
        "v=2&models=name%2Cdate%2Cparams%2Cdensity%0Aa%2C2023-01-01%2C7e9%2C1%0Ab%2C2023-07-01%2C7e9%2C1.6%0Ac%2C2024-01-01%2C7e9%2C2.7",
    ];

    /// Tokens of formulas that are not symbols: functions, names and plain words (a word that is a
    /// symbol elsewhere is defined there, in its number's list).
    #[rustfmt::skip]
    const NOT_SYMBOLS: &[&str] = &[
        "ln", "exp", "max", "min", "argmin", "log₂", "e",
        // names
        "A100", "A100's", "H100", "FP8", "FP16", "L2", "LLM", "TensorRT", "NVLink", "Llama", "SwiGLU",
        "FFN", "MLA", "ZeRO", "GPU", "USD", "v0",
        // words
        "achieved", "after", "all", "alls", "and", "backward", "between", "bound", "by", "cheapest",
        "collective", "collectives", "combine", "copies", "curve", "date", "decode", "direction",
        "directly", "dispatch", "drawn", "each", "embedding", "exchange", "figure", "final",
        "first", "fit", "fitted", "for", "forward", "fraction", "from", "full", "given", "gradients",
        "grouped", "hand", "head", "heads", "herd", "hit", "in", "intercept", "interpolated",
        "interval", "inverted", "kernel", "layer", "latencies", "latency", "law's", "least", "loads", "loss",
        "mean", "members", "minima", "minimax", "model", "models", "multi", "multiple", "neighbouring",
        "norm", "of", "off", "on", "one", "or", "output", "over", "per", "pipeline", "positions",
        "prefill", "prices", "profiles'", "query", "read", "reads", "recomputation", "reduce",
        "reduction", "refit", "repeated", "replacement", "resamples", "ring", "rows", "same",
        "scaled", "sends", "shards", "solved", "sourced", "squares", "steps", "the", "their", "time",
        "to", "token", "tokens", "unhidden", "untied", "usable", "where", "width", "with", "without",
        // words that are symbols in other formulas (where they are defined)
        "attention", "experts", "optimal", "peak", "price", "reference", "runs", "step",
    ];

    /// A word that is an exponent in most formulas but prose in these ("a refit").
    const PROSE: &[(&str, &str)] = &[
        ("fit.band", "a"),
        ("inference.kv_reread_fraction", "a"),
        ("plan.serving_params", "a"),
    ];

    /// Units that read the same in both languages.
    const PLAIN_UNITS: &[&str] = &["", "FLOP", "USD", "MWh", "kWh"];

    fn scenarios() -> Vec<Scenario> {
        LINKS
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .chain(MORE.iter().copied())
            .map(|q| url::decode(q).scenario)
            .collect()
    }

    /// Every explained number the model gives for `s`, through the functions the page calls.
    fn explained(s: &Scenario, out: &mut Vec<(Key, &'static str, &'static str)>) {
        let mut add = |list: &[crate::model::explain::Explained]| {
            for e in list {
                if !out.contains(&(e.key, e.unit, e.formula)) {
                    out.push((e.key, e.unit, e.formula));
                }
            }
        };
        let input = s.plan();
        let p = plan::evaluate(&input);
        add(&p.explained);
        if let Ok(priced) = lifetime::priced_optimum(
            input.scaling.target_loss,
            &input.training,
            &input.serving,
            &p.law_constants,
        ) {
            add(&priced.explained);
        }
        add(&scaling::evaluate::evaluate(&s.scaling()).explained);
        let run = s.training_run();
        let t = training::evaluate_model(&run);
        add(&t.explained);
        if let Ok(step) = training::predict_step(&run, &t, &StepOptions::for_run(&run)) {
            add(&step.explained);
        }
        add(&inference::evaluate(&s.serving()).explained);
        add(&density::evaluate::evaluate(&s.density()).explained);
        if let Ok(points) =
            crate::model::num::parse_pairs(&s.family_csv, ("params", "score"), false)
        {
            if let Ok(r) = density::effective::effective_report(&points, s.eff_params, s.eff_score)
            {
                add(&r.explained);
            }
        }
        if let Ok(points) = hyper::parse_points(&s.hyper_csv) {
            if let Ok(f) = hyper::fit_power_law(&points) {
                add(&f.explained(1e21));
            }
        }
        if let Ok(runs) = columns::kept_runs(&s.runs_csv, &s.runs_map, &s.runs_excluded) {
            if let Ok(iso) = fit::isoflop::iso_flop_fit(runs.runs(), s.iso_tol) {
                add(&iso.explained());
            }
            // One start and a few resamples: the words, not the fit, are under test.
            let opts = FitOptions {
                grid: StartGrid {
                    a: vec![6.0],
                    b: vec![6.0],
                    e: vec![0.5],
                    alpha: vec![0.3],
                    beta: vec![0.3],
                },
                ..FitOptions::default()
            };
            if let Ok(r) = fit::fit(&runs, &opts) {
                add(&r.explained());
                let b = bootstrap::BootstrapOptions {
                    resamples: 4,
                    seed: 1,
                    budget_flops: 1e21,
                };
                if let Ok(band) = bootstrap::bootstrap(&runs, &r, &opts, b) {
                    add(&[band.band_explained(1e21)]);
                }
            }
        }
        let v = atlas::view::view(
            &atlas::shipped_models(),
            &[],
            &atlas::shipped_prices(),
            &atlas::shipped_price_scores(),
            &s.atlas_query(),
        );
        let edge = match (&v.density, density::device::device(&s.device)) {
            (Ok(d), Some(dev)) => atlas::view::edge(d, s.ref_date, dev, s.device_bits).ok(),
            _ => None,
        };
        add(&v.explained(edge.as_ref()));
    }

    fn collected() -> Vec<(Key, &'static str, &'static str)> {
        let mut out = Vec::new();
        for s in scenarios() {
            explained(&s, &mut out);
        }
        out
    }

    fn own(key: &str) -> Option<&'static [Entry]> {
        BY_KEY.iter().find(|(k, _)| *k == key).map(|(_, l)| *l)
    }

    /// What is wrong with the words of one formula: its undefined symbols.
    fn undefined(key: &str, formula: &'static str) -> Vec<&'static str> {
        let list = own(key).unwrap_or(&[]);
        formula_symbols(formula)
            .into_iter()
            .filter(|t| {
                !list.iter().chain(COMMON).any(|e| e.0 == *t)
                    && !NOT_SYMBOLS.contains(t)
                    && !PROSE.contains(&(key, *t))
            })
            .collect()
    }

    #[test]
    fn every_number_has_its_words() {
        let missing: Vec<&str> = Key::ALL
            .iter()
            .map(|k| k.as_str())
            .filter(|k| own(k).is_none())
            .collect();
        assert!(
            missing.is_empty(),
            "keys without a BY_KEY entry: {missing:?}"
        );
        for (k, _) in BY_KEY {
            assert!(
                Key::ALL.iter().any(|x| x.as_str() == *k),
                "BY_KEY names no key: {k}"
            );
            assert_eq!(
                BY_KEY.iter().filter(|(x, _)| x == k).count(),
                1,
                "{k} twice"
            );
        }
    }

    #[test]
    fn every_symbol_of_every_formula_is_defined() {
        let all = collected();
        let mut keys: Vec<Key> = all.iter().map(|e| e.0).collect();
        keys.dedup();
        let reached: std::collections::HashSet<Key> = keys.into_iter().collect();
        let unreached: Vec<&str> = Key::ALL
            .iter()
            .filter(|k| !reached.contains(k))
            .map(|k| k.as_str())
            .collect();
        println!(
            "{} of {} keys reached by the scenarios ({} formulas); not reached: {unreached:?}",
            reached.len(),
            Key::ALL.len(),
            all.len()
        );
        let mut bad = Vec::new();
        for (key, unit, formula) in &all {
            let u = undefined(key.as_str(), formula);
            if !u.is_empty() {
                bad.push(format!("{key}: {u:?} in {formula:?}"));
            }
            if !PLAIN_UNITS.contains(unit) && !UNITS.iter().any(|e| e.0 == *unit) {
                bad.push(format!("{key}: unit {unit:?} has no words"));
            }
        }
        assert!(bad.is_empty(), "undefined:\n{}", bad.join("\n"));
    }

    /// A symbol left out is caught: the check above fails on a formula with one.
    #[test]
    fn a_missing_definition_is_caught() {
        assert_eq!(undefined("training.flops", "C = 6·N·D·Ξ"), ["Ξ"]);
        assert!(undefined("training.flops", "C = 6·N·D").is_empty());
    }

    #[test]
    fn the_tables_are_well_formed() {
        // Chinese uses full-width punctuation next to Chinese characters.
        let cjk = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
        let check = |what: &str, list: &[Entry]| {
            let mut seen = Vec::new();
            for &(sym, en, zh) in list {
                assert!(
                    !sym.is_empty() && !en.is_empty() && !zh.is_empty(),
                    "{what}: {sym}"
                );
                assert!(!seen.contains(&sym), "{what}: {sym} twice");
                seen.push(sym);
                let z: Vec<char> = zh.chars().collect();
                for w in z.windows(2) {
                    let ascii = |c: char| matches!(c, '(' | ')' | ',' | ';' | ':');
                    assert!(
                        !(ascii(w[0]) && cjk(w[1]) || cjk(w[0]) && ascii(w[1])),
                        "{what}: {sym}: half-width punctuation in {zh:?}"
                    );
                }
                for p in [", ", "; ", ": "] {
                    assert!(!zh.contains(p), "{what}: {sym}: {p:?} in {zh:?}");
                }
                assert!(
                    !en.chars().any(|c| cjk(c) || "（），；：。".contains(c)),
                    "{what}: {sym}: Chinese in {en:?}"
                );
            }
        };
        check("COMMON", COMMON);
        for (k, list) in BY_KEY {
            check(k, list);
        }
        check("GLOSSARY", GLOSSARY);
        check("UNITS", UNITS);
        for w in NOT_SYMBOLS {
            assert!(
                !COMMON.iter().any(|e| e.0 == *w),
                "{w} is a symbol and a word"
            );
            assert_eq!(
                NOT_SYMBOLS.iter().filter(|x| *x == w).count(),
                1,
                "{w} twice"
            );
        }
    }

    #[test]
    fn the_glossary_is_sorted_latin_then_greek() {
        let rank = |s: &str| {
            let greek = s
                .chars()
                .next()
                .is_some_and(|c| ('\u{370}'..='\u{3ff}').contains(&c));
            (greek, s.to_lowercase())
        };
        for w in GLOSSARY.windows(2) {
            assert!(rank(w[0].0) < rank(w[1].0), "{} before {}", w[0].0, w[1].0);
        }
    }

    #[test]
    fn formulas_split_into_their_symbols() {
        assert_eq!(
            formula_symbols("N* = G·(C/6)^a, G = (αA/(βB))^(1/(α+β))"),
            ["N*", "G", "C", "a", "α", "A", "β", "B"]
        );
        assert_eq!(formula_symbols("D* = C/(6N*)"), ["D*", "C", "N*"]);
        assert_eq!(
            formula_symbols("[q₀.₀₂₅, q₀.₉₇₅] of N*_b(C)"),
            ["q₀.₀₂₅", "q₀.₉₇₅", "of", "N*_b", "C"]
        );
        assert_eq!(
            formula_symbols("N_GPT-3 / N_MiniCPM"),
            ["N_GPT-3", "N_MiniCPM"]
        );
        assert_eq!(
            formula_symbols("η_c,fp8: the FP8 peak"),
            ["η_c,fp8", "the", "FP8", "peak"]
        );
        assert_eq!(
            formula_symbols("T_comm,prefill + Σ_decode"),
            ["T_comm,prefill", "Σ_decode"]
        );
        assert_eq!(
            formula_symbols("TensorRT-LLM v0.6.1's, 10⁶ · p"),
            ["TensorRT", "LLM", "v0", "p"]
        );
        assert_eq!(
            formula_symbols("ρ̂(t₀) = N̂_i/N_i"),
            ["ρ̂", "t₀", "N̂_i", "N_i"]
        );
        assert_eq!(
            formula_symbols("t₀.₉₇₅(n−2)·s/√Sxx"),
            ["t₀.₉₇₅", "n", "s", "Sxx"]
        );
    }
}
