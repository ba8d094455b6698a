//! Provenance in Chinese: the model's source locators and the few citations that are our own
//! words (not a publication's title), keyed by their English text, and the phrases of the "how"
//! boxes' substituted values. Paper titles, authors and years stay as published.
use crate::model::scenario::Lang;

/// (English, Chinese): source locators and our own citation texts.
pub const LOCATORS: &[(&str, &str)] = &[
    ("the price rows name the model 'deepseek-chat (DeepSeek-V3)'; both rows (2024-12-26, 2025-02-08) are of the DeepSeek-V3 era; the preset is the DeepSeek-V3 Technical Report §4.2 (arXiv 2412.19437)",
     "价格行所列模型为“deepseek-chat (DeepSeek-V3)”；两行（2024-12-26、2025-02-08）都属于 DeepSeek-V3 时期；架构预设取自 DeepSeek-V3 技术报告 §4.2（arXiv 2412.19437）"),
    ("§3 Model Downloads: 'DeepSeek-R1-Zero & DeepSeek-R1 are trained based on DeepSeek-V3-Base. For more details regarding the model architecture, please refer to DeepSeek-V3'; table: DeepSeek-R1 671B total, 37B activated (as DeepSeek-V3)",
     "§3“Model Downloads”：DeepSeek-R1-Zero 与 DeepSeek-R1 基于 DeepSeek-V3-Base 训练，模型架构同 DeepSeek-V3；表中 DeepSeek-R1 总参数 671B、激活 37B（与 DeepSeek-V3 相同）"),
    ("§3.3 (ln ρ = A·t + B by least squares, doubling time ln 2/A)",
     "§3.3（以最小二乘拟合 ln ρ = A·t + B，翻倍时间 ln 2/A）"),
    ("(derived) 8533 MT/s × 64-bit bus / 8 = 68.3 GB/s; usable fraction 0.5 is our estimate",
     "（推算）8533 MT/s × 64 位总线 / 8 = 68.3 GB/s；可用比例 0.5 是我们的估计"),
    ("M3: 100 GB/s unified memory bandwidth; MacBook Air/Pro with 16 GB",
     "M3：统一内存带宽 100 GB/s；16 GB 内存的 MacBook Air/Pro"),
    ("24 GB GDDR6X, 1,008 GB/s; released 2022-10-12",
     "24 GB GDDR6X，1,008 GB/s；2022-10-12 发布"),
    ("up to 192 GB unified memory, 800 GB/s",
     "最高 192 GB 统一内存，800 GB/s"),
    ("H100 SXM5: 80 GB HBM3, 3,350 GB/s; announced 2022-03-22",
     "H100 SXM5：80 GB HBM3，3,350 GB/s；2022-03-22 发布"),
    ("§2 (effective parameter size); here the score curve is a four-constant logistic in ln N, fitted by least squares",
     "§2（有效参数量）；此处得分曲线为 ln N 的四参数逻辑斯谛函数，以最小二乘拟合"),
    ("talk: 'knowledge density doubles every 8 months'; MiniCPM vs GPT-3 'about 86×'",
     "演讲（中文）：知识密度每 8 个月翻一番；MiniCPM 对比 GPT-3：约 86 倍"),
    ("Fig. 1: ln ρ_max = A·t + B, doubling ≈ 3.3 months",
     "图 1：ln ρ_max = A·t + B，约每 3.3 个月翻一番"),
    ("§3.3: A ≈ 0.0073/day, density doubles about every 95 days",
     "§3.3：A ≈ 0.0073/天，能力密度约每 95 天翻一番"),
    ("main result: ρ_max doubles ≈ every 3.5 months (51 open models, Feb 2023 – Apr 2025)",
     "主要结论：ρ_max 约每 3.5 个月翻一番（51 个开源模型，2023 年 2 月至 2025 年 4 月）"),
    ("the density trend before vs after ChatGPT's release: ≈ 4.8 vs ≈ 3.2 months",
     "ChatGPT 发布前后的能力密度趋势：约 4.8 个月对比约 3.2 个月"),
    ("abstract / §3: compute needed for a fixed performance halves ≈ every 8 months (95% CI 5–14)",
     "摘要与 §3：达到固定性能所需的计算量约每 8 个月减半（95% 置信区间 5–14 个月）"),
    ("key finding: FLOP/s per dollar of ML hardware doubles ≈ every 2.1 years",
     "主要结论：机器学习硬件每美元的 FLOP/s 约每 2.1 年翻一番"),
    ("Table 2.1 (GPT-3 175B); arXiv v1 posted 2020-05-28",
     "表 2.1（GPT-3 175B）；arXiv 第 1 版发布于 2020-05-28"),
    ("Table 2 (6.7B, 13.0B, 32.5B, 65.2B); released 2023-02-24",
     "表 2（6.7B、13.0B、32.5B、65.2B）；2023-02-24 发布"),
    ("Table 1 and model card (nominal sizes 7B, 13B, 70B); released 2023-07-18",
     "表 1 与模型卡（标称规模 7B、13B、70B）；2023-07-18 发布"),
    ("model card (nominal sizes 8B, 70B); released 2024-04-18",
     "模型卡（标称规模 8B、70B）；2024-04-18 发布"),
    ("§1 and Table 1 (8B, 70B, 405B); released 2024-07-23",
     "§1 与表 1（8B、70B、405B）；2024-07-23 发布"),
    ("announcement: 'a 7.3B parameter model'; released 2023-09-27",
     "发布公告：参数量 7.3B 的模型；2023-09-27 发布"),
    ("Table of model configurations: 2.4B non-embedding parameters (≈ 2.7B total); released 2024-02-01",
     "模型配置表：非嵌入参数 2.4B（总计约 2.7B）；2024-02-01 发布"),
    ("Table 2 (embedding + non-embedding: 2B = 2.51B, 7B = 8.54B); released 2024-02-21",
     "表 2（嵌入 + 非嵌入：2B = 2.51B，7B = 8.54B）；2024-02-21 发布"),
    ("parameter-count table (embedding + non-embedding: 9B = 9.24B, 27B = 27.23B); released 2024-06-27",
     "参数量表（嵌入 + 非嵌入：9B = 9.24B，27B = 27.23B）；2024-06-27 发布"),
    ("model card (1.23B, 3.21B); released 2024-09-25",
     "模型卡（1.23B、3.21B）；2024-09-25 发布"),
    ("arithmetic on the inputs shown",
     "对所示输入的算术推导"),
    ("§13.3 (percentile interval); Besiroglu et al. 2024, arXiv 2404.10102 §4",
     "§13.3（百分位区间）；Besiroglu 等 2024，arXiv 2404.10102 §4"),
    ("§3.2 (IsoFLOP profiles), Fig. 3, Table 2",
     "§3.2（等计算量剖面），图 3，表 2"),
    ("App. D.2, eq. 11: Huber (δ = 1e-3) on log loss via LSE, L-BFGS from a grid of starts",
     "附录 D.2，式 11：对数损失上的 Huber 损失（δ = 1e-3，经 LSE），L-BFGS 从起点网格出发"),
    ("rev. 2021-06, table 'Specifications' (dense figures)",
     "2021-06 版，“Specifications”表（稠密数值）"),
    ("2023, table 'Technical Specifications' (sparse figures halved to dense)",
     "2023 年版，“Technical Specifications”表（稀疏数值折半为稠密）"),
    ("2024, 'Specifications', H200 SXM column (sparse figures halved to dense)",
     "2024 年版，“Specifications”表 H200 SXM 列（稀疏数值折半为稠密）"),
    ("DeepSeek-V3 technical report §3.1 (cluster description: H800s, NVLink 400 GB/s)",
     "DeepSeek-V3 技术报告 §3.1（集群描述：H800，NVLink 400 GB/s）"),
    ("2025-03, 'HGX B200' column, sparse halved to dense; ESTIMATE: SKU and power vary",
     "2025-03 版，“HGX B200”列，稀疏数值折半为稠密；估计值：型号与功耗不一"),
    ("2023-12, dense figures (without structured sparsity)",
     "2023-12 版，稠密数值（不含结构化稀疏）"),
    ("'System architecture' table per chip (retrieved 2026-01); no per-chip power published",
     "“System architecture”表中的单芯片数值（2026-01 查阅）；未公布单芯片功耗"),
    ("2023–24 press reports; ESTIMATE: variants 910B1–B4 differ",
     "2023–24 年媒体报道；估计值：910B1–B4 各型号不同"),
    ("v2.1, Appendix A table 'GeForce RTX 4090': FP16 tensor with FP32 accumulate, dense",
     "v2.1 版，附录 A “GeForce RTX 4090”表：FP16 张量核心、FP32 累加、稠密"),
    ("retrieved 2026-01; ESTIMATE: Apple publishes no FLOP/s or board power, FP16 ≈ FP32 rate",
     "2026-01 查阅；估计值：Apple 未公布 FLOP/s 与整机功耗，FP16 与 FP32 速率相当"),
    ("A100 datasheet 'Specifications' (NVLink: 600 GB/s = 12 links × 25 GB/s × 2 directions); DGX A100 user guide, 'Network ports' (8 single-port ConnectX-6 200 Gb/s)",
     "A100 数据手册“Specifications”（NVLink：600 GB/s = 12 条链路 × 25 GB/s × 2 个方向）；DGX A100 用户指南“Network ports”（8 个单端口 ConnectX-6 200 Gb/s）"),
    ("H100 datasheet 'Technical Specifications' (NVLink: 900 GB/s = 18 links × 25 GB/s × 2 directions); DGX H100 user guide, 'Network ports'",
     "H100 数据手册“Technical Specifications”（NVLink：900 GB/s = 18 条链路 × 25 GB/s × 2 个方向）；DGX H100 用户指南“Network ports”"),
    ("Table 3, 'Hardware features of different Nvidia GPU architectures', row 'L2 cache bandwidth (GB/s)': A100 7,219, H100 8,986",
     "表 3“Hardware features of different Nvidia GPU architectures”，“L2 cache bandwidth (GB/s)”行：A100 7,219，H100 8,986"),
    ("'Peak Throughput' → H100 GPUs (FP8) and A100 GPUs (FP16); 'Low Latency' → H100 GPUs (FP8) and A100 GPUs (FP16)",
     "“Peak Throughput”→ H100（FP8）与 A100（FP16）；“Low Latency”→ H100（FP8）与 A100（FP16）"),
    ("§3.1, eq. 1: E[tokens per step] = (1 − α^(γ+1)) / (1 − α)",
     "§3.1，式 1：每步期望 token 数 = (1 − α^(γ+1)) / (1 − α)"),
    ("§2 (KV cache, memory- vs compute-bound decode), §3.2 (1D tensor-parallel all-reduce per layer)",
     "§2（KV 缓存，访存受限与计算受限的解码），§3.2（一维张量并行每层的 all-reduce）"),
    ("Pope §2 'KV cache'; DeepSeek-V2 §2.1.2 and Table 1 (cache (d_c + d_h^R)·l elements per token)",
     "Pope 等 §2“KV cache”；DeepSeek-V2 §2.1.2 与表 1（每 token 缓存 (d_c + d_h^R)·l 个元素）"),
    ("§3, Figure 3 (f/g operators: one all-reduce after self-attention and one after the MLP, forward pass)",
     "§3，图 3（f/g 算子：前向时自注意力后一次 all-reduce，MLP 后一次）"),
    ("§3 (cost-optimal), with this project's training and inference cost models",
     "§3（成本最优），配合本工具的训练与推理成本模型"),
    ("arXiv 2204.02311 App. B",
     "arXiv 2204.02311 附录 B"),
    ("Table 3 (8B: 32 layers, 4,096 wide, FFN 14,336; 70B: 80, 8,192, 28,672; 405B: 126, 16,384, 53,248; 8 KV heads, vocabulary 128,256)",
     "表 3（8B：32 层，宽 4,096，FFN 14,336；70B：80、8,192、28,672；405B：126、16,384、53,248；8 个 KV 头，词表 128,256）"),
    ("arXiv 2401.02954 §3.1 eq. 1 (η_opt, B_opt) and §3.2 eq. 4 (M_opt, D_opt)",
     "arXiv 2401.02954 §3.1 式 1（η_opt、B_opt）与 §3.2 式 4（M_opt、D_opt）"),
    ("arXiv 2407.21783 §3.2.1, Fig. 3 legend: N*(C) = 0.299·C^0.537 training tokens",
     "arXiv 2407.21783 §3.2.1，图 3 图例：训练 token 数 N*(C) = 0.299·C^0.537"),
    ("§3.3 eq. 2 (law) and eq. 4 (allocation); rounded constants as printed",
     "§3.3 式 2（定律）与式 4（分配）；常数按论文印刷的取整值"),
    ("arXiv 2404.10102 §2: ln A = 6.0073404, ln B = 6.0179186, ln E = 0.5267228",
     "arXiv 2404.10102 §2：ln A = 6.0073404，ln B = 6.0179186，ln E = 0.5267228"),
    ("arXiv 2404.10102 Table 1 (our estimates)",
     "arXiv 2404.10102 表 1（其估计值）"),
    ("arXiv 2401.00448 v2, released code: A = 406.4, B = 410.7, E = 1.69, α = 0.336, β = 0.283",
     "arXiv 2401.00448 第 2 版，公开代码：A = 406.4，B = 410.7，E = 1.69，α = 0.336，β = 0.283"),
    ("arXiv 2305.16264 v4 §3 eq. 5 (D', N') and §3.1 fitted R*_D = 15.4, R*_N = 5.3",
     "arXiv 2305.16264 第 4 版 §3 式 5（D′、N′）与 §3.1 拟合值 R*_D = 15.4，R*_N = 5.3"),
    ("Student-t quantile with n − 2 degrees of freedom",
     "自由度为 n − 2 的学生 t 分布分位数"),
    ("arXiv 2001.08361 v1, eq. 1.5 with the Table 2 fit: α_N = 0.076, α_D = 0.103, N_c = 6.4e13, D_c = 1.8e13",
     "arXiv 2001.08361 第 1 版，式 1.5 与表 2 的拟合值：α_N = 0.076，α_D = 0.103，N_c = 6.4e13，D_c = 1.8e13"),
    ("§2 (cost model α + nβ) and §4 (ring allgather (p−1)α + (p−1)/p·nβ; reduce-scatter likewise; allreduce = reduce-scatter + allgather)",
     "§2（代价模型 α + nβ）与 §4（环形 allgather：(p−1)α + (p−1)/p·nβ；reduce-scatter 同理；allreduce = reduce-scatter + allgather）"),
    ("'Training Data / CO2 emissions during pretraining' table: GPU hours, power (W), tCO2eq",
     "“Training Data / CO2 emissions during pretraining”表：GPU 小时、功率（W）、tCO2eq"),
    ("2023 values, gCO2e/kWh, retrieved 2026-01 (rounded)",
     "2023 年数值，gCO2e/kWh，2026-01 查阅（取整）"),
    ("§2.1 Table 1 (forward FLOPs per token 2N + 2·n_layer·n_ctx·d_attn; C ≈ 6N per token) and eq. 2.1 (N ≈ 12·n_layer·d_model²)",
     "§2.1 表 1（每 token 前向计算量 2N + 2·n_layer·n_ctx·d_attn；每 token C ≈ 6N）与式 2.1（N ≈ 12·n_layer·d_model²）"),
    ("Appendix B (model FLOPs per token 6N + 12·L·H·Q·T) and Table 3 (46.2% MFU)",
     "附录 B（每 token 模型计算量 6N + 12·L·H·Q·T）与表 3（MFU 46.2%）"),
    ("§4 Table 2 (activation bytes per layer), §5 (selective recomputation, HFU vs MFU)",
     "§4 表 2（每层激活值字节数），§5（选择性重计算，HFU 与 MFU）"),
    ("§3.1 (memory linear in sequence length); activations as in Korthikanti et al. 2022 §4 Table 2",
     "§3.1（显存随序列长度线性增长）；激活值按 Korthikanti 等 2022 §4 表 2"),
    ("§3.1 (mixed-precision Adam: 2Ψ + 2Ψ + 12Ψ = 16Ψ bytes) and §5.1 Figure 1 (stages P_os, P_os+g, P_os+g+p)",
     "§3.1（混合精度 Adam：2Ψ + 2Ψ + 12Ψ = 16Ψ 字节）与 §5.1 图 1（P_os、P_os+g、P_os+g+p 三个阶段）"),
    ("§3 (NF4 storage; double quantization: 0.127 bits of constants per parameter)",
     "§3（NF4 存储；双重量化：每参数 0.127 位常数）"),
    ("§4.1 (W₀ + BA, B ∈ ℝ^{d×r}, A ∈ ℝ^{r×k}: r·(d + k) trainable per adapted matrix)",
     "§4.1（W₀ + BA，B ∈ ℝ^{d×r}，A ∈ ℝ^{r×k}：每个适配矩阵 r·(d + k) 个可训练参数）"),
    ("§2 (Adam's two states stored in 8 bits: 2 bytes per parameter instead of 8)",
     "§2（Adam 的两个状态以 8 位存储：每参数 2 字节而非 8 字节）"),
    ("§2.2 (1F1B bubble (p−1)/m, interleaved (p−1)/(v·m)), §3 (tensor-parallel all-reduces per layer), §4.1 (scatter/gather of p2p sends), §5.1 Eq. 3 and Table 1",
     "§2.2（1F1B 气泡 (p−1)/m，交错调度 (p−1)/(v·m)），§3（张量并行每层的 all-reduce），§4.1（点对点传输的 scatter/gather），§5.1 式 3 与表 1"),
    ("§3 (each host passes its key-value block round the ring while it computes attention on the block it holds: the sends overlap the attention); Megatron-Core's guide: CP splits the sequence of every layer's activations over cp ranks, the all-gather and reduce-scatter of K/V as ring point-to-point exchanges",
     "§3（每台主机在对自身持有的块计算注意力的同时，沿环传递键值块：传输与注意力计算重叠）；Megatron-Core 指南：CP 把每层激活值的序列切分到 cp 个进程，K/V 的 all-gather 与 reduce-scatter 以环形点对点交换实现"),
    ("§2.2 and Algorithm 2 (experts sharded over devices; an all-to-all dispatches each token to its experts and another combines the results); Megatron-Core MoE: the expert-parallel group is carved from the data- and context-parallel ranks",
     "§2.2 与算法 2（专家分布在各设备上；一次 all-to-all 把 token 分发给其专家，另一次汇总结果）；Megatron-Core MoE：专家并行组从数据并行与上下文并行的进程中划分"),
    ("Table 3 (configurations: t, p, GPUs, global batch = GPUs, micro-batch 1, s = 2048, V = 51200) and Table 5 (iteration time, MFU, HFU with sequence parallelism + selective recomputation); the MFU/HFU also in NVIDIA/Megatron-LM README",
     "表 3（配置：t、p、GPU 数，全局批大小 = GPU 数，微批次 1，s = 2048，V = 51200）与表 5（迭代时间、MFU、HFU，启用序列并行与选择性重计算）；MFU/HFU 亦见 NVIDIA/Megatron-LM 的说明文档"),
    ("Appendix D Table D.1 (175B: 3.14e23 FLOPs, 3,640 PF-days; 300B tokens)",
     "附录 D 表 D.1（175B：3.14e23 FLOP，3,640 PF-天；300B token）"),
    ("§1 Table 1 (2,788K H800 GPU-hours, $2 per GPU-hour, $5.576M)",
     "§1 表 1（2,788K H800 GPU 小时，每 GPU 小时 2 美元，共 557.6 万美元）"),
    ("'Carbon Footprint' table (H100-80GB hours, 700 W, tCO2eq location-based)",
     "“Carbon Footprint”表（H100-80GB 小时，700 W，基于所在地的 tCO2eq）"),
    ("the runs table of this scenario",
     "本场景的训练记录表"),
    ("scalecalc (derived from the cited inputs)",
     "scalecalc（由所引输入推算）"),
    ("scalecalc atlas (published models and list prices, each row with its source); fit as in Xiao et al. 2024, Densing Law of LLMs",
     "scalecalc 图谱（已发布模型与标价，每行注明来源）；拟合方法同 Xiao 等 2024《Densing Law of LLMs》"),
    ("your runs, fitted with Hoffmann et al. 2022 App. D.2 (Huber loss on log-loss)",
     "您的训练记录，按 Hoffmann 等 2022 附录 D.2 拟合（对数损失上的 Huber 损失）"),
    ("scalecalc assumption: typical specialised-cloud on-demand price, 2025–26 ($1.5–3 per H100-hour, $1–2.5 per A100-hour)",
     "scalecalc 假设：2025–26 年专业云厂商的常见按需价格（H100 每小时 1.5–3 美元，A100 每小时 1–2.5 美元）"),
];

std::thread_local! {
    /// The tables, once a module that carries them has loaded ([`register`]); with a signal that
    /// tells the views already built to read them again.
    static LATE: std::cell::Cell<Option<Tables>> = const { std::cell::Cell::new(None) };
    static READY: leptos::prelude::ArcRwSignal<bool> = leptos::prelude::ArcRwSignal::new(false);
}

type Tables = (
    &'static [(&'static str, &'static str)],
    &'static [(&'static str, &'static str)],
);

/// Makes the tables available. Called by the charts module and each section's module as they
/// load: this text is for the Chinese page's "how" boxes and source lines, and need not weigh on
/// the first download.
pub fn register() {
    if LATE.with(std::cell::Cell::get).is_none() {
        LATE.with(|l| l.set(Some((LOCATORS, PHRASES))));
        READY.with(|r| leptos::prelude::Set::set(r, true));
    }
}

/// The tables if they have arrived; a view that reads them is built again when they do.
fn tables() -> Option<Tables> {
    READY.with(|r| leptos::prelude::Track::track(r));
    LATE.with(std::cell::Cell::get)
}

/// `text` (a locator or citation from the model) in `lang`: its Chinese form where the table has
/// one, else the text itself (also until the table has arrived).
pub fn source_text(lang: Lang, text: &'static str) -> &'static str {
    match lang {
        Lang::En => text,
        Lang::Zh => tables()
            .and_then(|(locators, _)| locators.iter().find(|(en, _)| *en == text))
            .map_or(text, |(_, zh)| zh),
    }
}

/// (English, Chinese): the words of the "how" boxes' formulas and substituted values, replaced in
/// this order (longer phrases first), each only where it stands as a whole word.
pub const PHRASES: &[(&str, &str)] = &[
    ("min over", "在约束下最小化："),
    ("adam-mixed", "Adam 混合精度"),
    ("adam-bf16", "Adam 纯 bf16"),
    ("adam-8bit", "8 比特 Adam"),
    ("window", "窗口"),
    ("tok/s", "token/秒"),
    ("bits", "位数"),
    ("no USD input and output list price (original currency", "没有以美元计的输入与输出标价（原币种"),
    ("(paper: the Gopher budget)", "（论文：Gopher 的计算预算）"),
    ("MFU = 43.5% implied by the 70B's hours", "MFU = 43.5%，由 70B 的 GPU 小时反推"),
    ("(Meta's Llama 2 factor)", "（Meta Llama 2 的系数）"),
    ("H800 GPU-hours", "H800 GPU 小时"),
    ("GPU-hours", "GPU 小时"),
    ("lifetime", "生命周期"),
    ("optimum", "最优"),
    ("FlashAttention on", "FlashAttention 开启"),
    ("FlashAttention off", "FlashAttention 关闭"),
    ("selective recompute", "选择性重计算"),
    ("full recompute", "完全重计算"),
    ("none recompute", "不重计算"),
    ("(selective;", "（选择性重计算；"),
    ("(full;", "（完全重计算；"),
    ("(none;", "（不重计算；"),
    ("decode steps", "解码步"),
    ("share =", "占比 ="),
    ("N = Σ_layers (attention + FFN or experts + norms) + final norm + V·d embedding (+ V·d untied output, + P·d positions)", "N = Σ_各层 (注意力 + FFN 或专家 + 归一化) + 末层归一化 + V·d 嵌入 (+ V·d 非共享输出层, + P·d 位置嵌入)"),
    ("final norm and embeddings", "末层归一化与嵌入"),
    ("dense layers", "稠密层"),
    ("MoE layers", "MoE 层"),
    ("(least squares over the fitted models)", "（对参与拟合的模型做最小二乘）"),
    ("N̂ from the reference curve S(N)", "N̂ 由参照曲线 S(N) 求得"),
    ("over the cheapest price by date of models with S ≥ S*", "取 S ≥ S* 的模型中各日期的最低价"),
    ("the fitted S(N) = d + c/(1 + e^(−k(ln N − m))) inverted", "即拟合的 S(N) = d + c/(1 + e^(−k(ln N − m))) 的反函数"),
    ("(talk: about 86×); implied T =", "（演讲：约 86 倍）；推出 T ="),
    ("hardware fixed:", "硬件不变："),
    ("(ln ρ = A·t + B, least squares)", "（ln ρ = A·t + B，最小二乘）"),
    ("over the resamples b, each a refit of runs drawn with replacement", "取自各次重抽样 b，每次对有放回抽取的训练记录重新拟合"),
    ("resamples that refitted", "次重抽样成功重新拟合"),
    ("least squares on ln N_opt = ln k + a·ln C over the profiles' minima", "对各剖面极小点做 ln N_opt = ln k + a·ln C 的最小二乘"),
    ("iso-FLOP profiles (Hoffmann et al.: a = 0.49)", "条等计算量剖面（Hoffmann 等：a = 0.49）"),
    ("the intercept of the same fit", "同一拟合的截距"),
    ("(fitted directly)", "（直接拟合）"),
    ("converged starts", "个收敛起点"),
    ("best of", "取最优："),
    ("(ring all-reduce per layer after attention and after the FFN; B_link = NVLink per direction)", "（每层在注意力与 FFN 之后各做一次环形 all-reduce；B_link = 单向 NVLink 带宽）"),
    ("T_comm per step", "每步 T_comm"),
    ("mid-generation step:", "生成中段的一步："),
    ("(all experts)", "（含全部专家）"),
    ("copies of each KV head", "为每个 KV 头的副本数"),
    ("per-sequence bytes", "每序列字节数"),
    ("bytes = weights read + B·KV", "bytes = 读取的权重 + B·KV"),
    ("T_tokens · $/M tokens", "T_tokens · 每百万 token 美元"),
    ("the same prices for the Chinchilla-optimal model of loss ℓ", "损失为 ℓ 的 Chinchilla 最优模型，按同样价格"),
    ("1 − lifetime USD / Chinchilla lifetime USD", "1 − 生命周期美元 / Chinchilla 生命周期美元"),
    ("Llama 3 herd (8B, 70B, 405B) scaled to N*: L and d interpolated in ln N between the neighbouring members, H = d/128 (a multiple of 8), 8 KV heads, the SwiGLU FFN width solved for N (a multiple of 256)", "Llama 3 系列（8B、70B、405B）缩放到 N*：L 与 d 在相邻成员之间按 ln N 插值，H = d/128（8 的倍数），8 个 KV 头，SwiGLU FFN 宽度按 N 求解（256 的倍数）"),
    ("the Llama 3 herd's shape scaled to", "Llama 3 系列的结构缩放到"),
    ("(the nearest modern dense family among the presets, with its grouped-query attention)", "（预设中最接近的现代稠密模型系列，采用分组查询注意力）"),
    ("heads of 128", "个注意力头（每头 128 维）"),
    ("KV heads of 128", "个 KV 头（每头 128 维）"),
    ("KV heads", "个 KV 头"),
    ("SwiGLU FFN", "SwiGLU FFN 宽"),
    ("vocabulary", "词表"),
    ("on the same", "在相同的"),
    ("GPUs and workload:", "张 GPU 与负载下："),
    ("/M output tokens, here", "/百万输出 token，此处为"),
    ("the weights read per step differ by", "每步读取的权重相差"),
    ("(parameters), the KV cache by", "（参数量），KV 缓存相差"),
    ("(layers; both have", "（层数；两者都有"),
    ("usable memory", "可用内存"),
    ("months after", "个月之后，起点"),
    ("argmin over N of", "对 N 求最小："),
    ("(or the law's fitted N*(C))", "（或该定律拟合的 N*(C)）"),
    ("least squares;", "最小二乘；"),
    ("with the 95% interval of the fitted mean", "附拟合均值的 95% 区间"),
    ("recompute per token", "每 token 重计算量"),
    ("(price: entered)", "（价格：用户输入）"),
    ("(price:", "（价格："),
    ("weights + grads + optimizer", "权重 + 梯度 + 优化器状态"),
    ("dp where ZeRO shards", "ZeRO 切分时除以 dp"),
    ("activations", "激活值"),
    ("recompute", "重计算"),
    ("model FLOPs per step / (step time · GPUs · peak)", "每步模型 FLOP / (步时 · GPU 数 · 峰值)"),
    ("compute + memory-bound + TP collectives + CP ring exchange + EP all-to-alls + pipeline bubble and sends + unhidden DP reduction + optimizer", "计算 + 访存受限算子 + TP 集合通信 + CP 环形交换 + EP all-to-all + 流水线气泡与级间传输 + 未掩盖的 DP 归约 + 优化器"),
    ("global batch", "全局批大小"),
    ("micro-batches per rank", "个微批次/进程"),
    ("micro-batches of", "个微批次，每个"),
    ("tokens per rank", "token/进程"),
    ("layers per stage", "层/级"),
    ("K/V width", "K/V 宽度"),
    ("exposed of", "未掩盖，共"),
    ("model /", "模型 /"),
    ("hardware TFLOP/s per GPU", "硬件 TFLOP/s（每卡）"),
    ("attention time", "注意力计算时间"),
    ("forward K,V; backward K,V and their gradients", "前向 K、V；反向 K、V 及其梯度"),
    ("with full recomputation", "完全重计算时"),
    ("dispatch and combine, forward and backward", "分发与汇总，前向与反向"),
    ("experts", "个专家"),
    ("minimax fit to the TensorRT-LLM A100 rows", "对 TensorRT-LLM A100 数据做极小化最大误差拟合"),
    ("latency of one collective (all-reduce, all-to-all, hand-off); minimax fit, with r, to the TensorRT-LLM A100 FP16 multi-GPU rows", "单次集合通信（all-reduce、all-to-all、交接）的延迟；与 r 一起对 TensorRT-LLM A100 FP16 多 GPU 数据做极小化最大误差拟合"),
    ("decode KV reads × (1 + r·λ·(H/H_kv − 1)) for grouped-query attention (TensorRT-LLM v0.6.1's per-query-head decode kernel; the repeated loads hit in L2, λ = (BW/BW_L2) over the A100's, 1 without a sourced L2 figure); minimax fit, with α, to the TensorRT-LLM A100 FP16 multi-GPU rows", "分组查询注意力的解码 KV 读取量 × (1 + r·λ·(H/H_kv − 1))（TensorRT-LLM v0.6.1 按查询头的解码内核；重复读取命中 L2，λ = (BW/BW_L2) 相对 A100 之比，无 L2 数据时取 1）；与 α 一起对 TensorRT-LLM A100 FP16 多 GPU 数据做极小化最大误差拟合"),
    ("achieved fraction of the FP8 peak; minimax fit to the TensorRT-LLM H100 FP8 first-token latencies", "实际达到的 FP8 峰值比例；对 TensorRT-LLM H100 FP8 首 token 延迟做极小化最大误差拟合"),
    ("Model:", "模型："),
    ("(given)", "（给定）"),
    ("steps", "步"),
    ("step", "步时"),
    ("compute", "计算"),
    ("memory", "访存"),
    ("bubble", "气泡"),
    ("optimizer", "优化器"),
    ("weights", "权重"),
    ("grads", "梯度"),
    ("share", "占比"),
    ("activations", "激活值"),
    ("price", "价格"),
    ("lost", "损失比例"),
    ("research", "研究倍数"),
    ("peak", "峰值"),
    ("days", "天"),
    ("months", "个月"),
    ("layers", "层"),
    ("heads", "个头"),
    ("models", "个模型"),
    ("curve", "曲线"),
    ("prices", "个价格"),
    ("points", "个点"),
    ("runs", "条记录"),
    ("of", "/"),
    ("on", "于"),
    ("params", "参数"),
    ("/day", "/天"),
    ("95% CI", "95% 置信区间"),
    ("seed", "随机种子"),
    ("from the", "来自"),
    ("from", "来自"),
    ("unbounded", "无上界"),
    ("beyond 1900–2200", "超出 1900–2200 年"),
    ("sequences", "条序列"),
    ("fraction", "比例"),
    ("epochs", "轮"),
    ("bytes", "字节"),
    ("off", "关闭"),
];

/// A formula or a substituted value of a "how" box in `lang`.
pub fn phrases(lang: Lang, text: &str) -> String {
    let mut s = text.to_string();
    if lang == Lang::Zh {
        for (en, zh) in tables().map_or(&[][..], |(_, phrases)| phrases) {
            s = replace_word(&s, en, zh);
        }
    }
    s
}

/// `s` with each whole-word occurrence of `en` replaced by `zh` (a word character next to an
/// alphanumeric end of `en` means it is part of a longer word, and is left alone).
fn replace_word(s: &str, en: &str, zh: &str) -> String {
    let word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
    let (open, close) = (word(en.chars().next()), word(en.chars().last()));
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find(en) {
        let (before, after) = (
            rest[..i].chars().last(),
            rest[i + en.len()..].chars().next(),
        );
        out.push_str(&rest[..i]);
        if (open && word(before)) || (close && word(after)) {
            out.push_str(en);
        } else {
            out.push_str(zh);
        }
        rest = &rest[i + en.len()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every locator and citation text the model writes (a `locator:` or `citation:` literal in
    /// crates/model/src, and the GPUs' price note) has its Chinese form here.
    #[test]
    fn every_model_locator_has_chinese() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/model/src");
        let mut stack = vec![dir];
        let (mut checked, mut missing) = (0, Vec::new());
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                    continue;
                }
                if p.extension().is_none_or(|x| x != "rs") {
                    continue;
                }
                let text = std::fs::read_to_string(&p).unwrap();
                let code = text.split("#[cfg(test)]").next().unwrap_or("");
                for marker in ["locator:", "const PRICE_SCIENCE: &str ="] {
                    let mut rest = code;
                    while let Some(i) = rest.find(marker) {
                        rest = rest[i + marker.len()..].trim_start();
                        // Only string literals (not a struct field's type or a variable).
                        let Some(body) = rest.strip_prefix('"') else {
                            continue;
                        };
                        let mut lit = String::new();
                        let mut chars = body.chars().peekable();
                        while let Some(c) = chars.next() {
                            match c {
                                '"' => break,
                                // A `\` line continuation skips the line break and the indent.
                                '\\' => match chars.next() {
                                    Some('\n') => {
                                        while chars.next_if(|c| c.is_whitespace()).is_some() {}
                                    }
                                    Some(c) => lit.push(c),
                                    None => break,
                                },
                                c => lit.push(c),
                            }
                        }
                        checked += 1;
                        if !LOCATORS.iter().any(|(en, _)| *en == lit) {
                            missing.push(format!("{}: {lit}", p.display()));
                        }
                    }
                }
            }
        }
        assert!(
            checked > 60,
            "only {checked} locators found: the scan is broken"
        );
        assert!(
            missing.is_empty(),
            "locators without Chinese:\n{}",
            missing.join("\n")
        );
    }

    #[test]
    fn phrases_replace_whole_words_only() {
        register();
        assert_eq!(
            phrases(Lang::Zh, "12 months; holidays"),
            "12 个月; holidays"
        );
        assert_eq!(phrases(Lang::En, "12 months"), "12 months");
        assert_eq!(
            phrases(Lang::Zh, "1.0e3 × 2 = 2.0e3 (price: entered)"),
            "1.0e3 × 2 = 2.0e3 （价格：用户输入）"
        );
    }
}
