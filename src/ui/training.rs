//! The Training section: FLOPs, GPU-hours, days, dollars, energy, CO₂ and memory per GPU for one
//! run, the memory breakdown against the GPU's memory, days against the GPU count, and the
//! validation table of published runs. Every number comes from `training::evaluate`.

use super::chart::{BarChartView, ChartView};
use super::ctx;
use super::i18n::{count, sci, t, tf, usd, T};
use super::widgets::{
    How, KeyAnswers, KeyItem, NumField, Refused, ResultCard, SelectField, TextSetter,
};
use crate::chart::training::{
    days_chart, memory_chart, step_chart, DaysLabels, MemoryLabels, StepLabels,
};
use crate::model::explain::Explained;
use crate::model::hardware::GPUS;
use crate::model::num;
use crate::model::scenario::{Finetune, Lang, ModelChoice, Optimizer, Recompute, Scenario};
use crate::model::training::validation::{self, Compared};
use crate::model::training::{
    self, cost::GRIDS, KnownModel, PredictError, StepOptions, TrainingError, TrainingHow,
    TrainingResult, TrainingRun,
};
use leptos::prelude::*;

/// GiB with three significant digits (memory is in GiB everywhere, [`num::GIB`]).
fn gib(bytes: f64) -> String {
    num::sig(bytes / num::GIB, 3)
}

/// The label key of a field named in a [`TrainingError`] (CLI spelling).
fn field_label(field: &str) -> &'static str {
    match field {
        "params" => "train.f.tn",
        "active-params" => "train.f.tna",
        "tokens" => "train.f.td",
        "price-per-gpu-hour" => "train.f.price",
        "grid-t-co2-per-mwh" => "train.f.grid",
        "power-watts" => "train.f.pw",
        "tp" => "train.f.tp",
        "pp" => "train.f.pp",
        "micro-batch" => "train.f.mb",
        "seq-len" => "train.f.seq",
        _ => "train.f.rank",
    }
}

/// A problem with the inputs in the reader's language.
fn problem_text(l: Lang, p: &TrainingError) -> String {
    use TrainingError::*;
    let v = |x: f64| num::short(x);
    match p {
        NotPositive { field, value } => tf(
            l,
            "train.problem.positive",
            &[t(l, field_label(field)), &v(*value)],
        ),
        Negative { field, value } => tf(
            l,
            "train.problem.nonneg",
            &[t(l, field_label(field)), &v(*value)],
        ),
        Mfu(x) => tf(l, "train.problem.mfu", &[&v(*x)]),
        NoGpus => t(l, "train.problem.gpus").to_string(),
        ActiveAboveTotal { active, total } => {
            tf(l, "train.problem.active", &[&sci(*active), &sci(*total)])
        }
        UnknownGpu(id) => tf(l, "train.problem.gpu", &[id]),
        LostFraction(x) => tf(l, "train.problem.lost", &[&v(*x)]),
        ResearchMultiplier(x) => tf(l, "train.problem.rmul", &[&v(*x)]),
        Pue(x) => tf(l, "train.problem.pue", &[&v(*x)]),
        ZeroStage(x) => tf(l, "train.problem.zero", &[&x.to_string()]),
        Parallelism { tp, pp, gpus } => tf(
            l,
            "train.problem.parallel",
            &[&tp.to_string(), &pp.to_string(), &gpus.to_string()],
        ),
        Zero(field) => tf(l, "train.problem.count", &[t(l, field_label(field))]),
        TpHeads { tp, heads } => tf(
            l,
            "train.problem.tp_heads",
            &[&tp.to_string(), &heads.to_string()],
        ),
        PpLayers { pp, layers } => tf(
            l,
            "train.problem.pp_layers",
            &[&pp.to_string(), &layers.to_string()],
        ),
        ContextParallelism { tp, pp, cp, gpus } => tf(
            l,
            "train.problem.cp_parallel",
            &[
                &tp.to_string(),
                &pp.to_string(),
                &cp.to_string(),
                &gpus.to_string(),
            ],
        ),
        CpSeqLen { cp, seq_len } => tf(
            l,
            "train.problem.cp_seq",
            &[&cp.to_string(), &seq_len.to_string()],
        ),
        TpKvHeads { tp, kv_heads } => tf(
            l,
            "train.problem.tp_kv_heads",
            &[&tp.to_string(), &kv_heads.to_string()],
        ),
        EpExperts { ep, experts: 0 } => tf(l, "train.problem.ep_dense", &[&ep.to_string()]),
        EpExperts { ep, experts } => tf(
            l,
            "train.problem.ep_experts",
            &[&ep.to_string(), &experts.to_string()],
        ),
        EpRanks { ep, ranks } => tf(
            l,
            "train.problem.ep_ranks",
            &[&ep.to_string(), &ranks.to_string()],
        ),
        GlobalBatch {
            global_batch,
            micro_batch,
            dp,
        } => tf(
            l,
            "train.problem.global_batch",
            &[
                &global_batch.to_string(),
                &micro_batch.to_string(),
                &dp.to_string(),
            ],
        ),
    }
}

/// A validation quantity's translation key.
fn quantity_key(q: Compared) -> &'static str {
    match q {
        Compared::TrainingFlops => "train.q.flops",
        Compared::GpuHoursAtSiblingMfu => "train.q.gpu_hours",
        Compared::Co2 => "train.q.co2",
        Compared::Cost => "train.q.cost",
        Compared::Mfu => "train.q.mfu",
    }
}

/// A validation value with its unit.
fn value_text(l: Lang, x: f64, unit: &str) -> String {
    match unit {
        "" => format!("{}%", num::sig(x * 100.0, 3)),
        "USD" => usd(l, x),
        "GPU-h" => format!("{} {}", count(l, x), t(l, "unit.gpu_h")),
        "FLOP" => format!("{} FLOP", sci(x)),
        u => format!("{} {u}", num::sig(x, 3)),
    }
}

fn choice_options<T: Copy + Send + Sync + 'static>(
    all: &'static [T],
    spelling: fn(T) -> &'static str,
    prefix: &'static str,
) -> Signal<Vec<(String, String)>> {
    let c = ctx();
    Signal::derive(move || {
        let l = c.lang.get();
        all.iter()
            .map(|&x| {
                let v = spelling(x);
                (v.to_string(), t(l, &format!("{prefix}{v}")).to_string())
            })
            .collect()
    })
}

/// The grid select's value for an intensity typed in rather than a preset's.
const OWN_GRID: &str = "custom";

/// The section's notes in `l`: each input problem with the fallback used, then what the result
/// says of the model, the shape, the GPU and its power.
pub fn notes(l: Lang, problems: &[TrainingError], r: &TrainingResult) -> Vec<String> {
    let mut out: Vec<String> = problems
        .iter()
        .map(|e| format!("{} {}", problem_text(l, e), t(l, "train.problem.fallback")))
        .collect();
    if let Some(e) = &r.model_error {
        out.push(tf(
            l,
            "train.note.model_bad",
            &[&match e {
                training::ModelError::UnknownPreset(id) => tf(l, "train.tm.unknown", &[id]),
                training::ModelError::Config(e) => super::inference::arch_error(l, e),
            }],
        ));
    }
    if r.shape_estimated {
        out.push(tf(
            l,
            "train.note.shape",
            &[
                &r.shape.layers.to_string(),
                &r.shape.hidden.to_string(),
                &r.shape.heads.to_string(),
            ],
        ));
    }
    if r.gpu.estimate {
        out.push(tf(l, "train.note.estimate", &[r.gpu.name]));
    }
    if r.power_watts.is_none() {
        out.push(tf(l, "train.note.no_power", &[r.gpu.name]));
    }
    out
}

/// Whether the run fits in memory, and the fewest GPUs that fit when it does not.
pub fn fits_text(l: Lang, r: &TrainingResult) -> String {
    let m = &r.memory;
    if m.fits {
        return tf(l, "train.fits.yes", &[&r.dp.to_string()]);
    }
    match m.min_gpus {
        Some(g) => tf(
            l,
            "train.fits.fewest",
            &[
                &g.gpus.to_string(),
                &g.tp.to_string(),
                &g.pp.to_string(),
                &g.dp.to_string(),
            ],
        ),
        None => t(l, "train.fits.none").to_string(),
    }
}

/// The training section's implausible results as (card or field id, text) in the reader's language.
#[derive(Clone, Copy)]
struct TrainingWarnings(Memo<Vec<(&'static str, String)>>);

/// Each implausible result (see `training::implausible`) with the id of what it concerns.
pub fn implausible_texts(
    l: Lang,
    s: &TrainingRun,
    r: &TrainingResult,
) -> Vec<(&'static str, String)> {
    training::implausible(s, r)
        .into_iter()
        .map(|w| match w {
            training::Implausible::WallClockOverAYear { days } => {
                ("out-train-days", wall_clock_text(l, days))
            }
            training::Implausible::FinetuneWithPretrainingTokens {
                tokens,
                tokens_per_param,
            } => (
                "f-td",
                tf(
                    l,
                    "warn.finetune_tokens",
                    &[&count(l, tokens), &num::sig(tokens_per_param, 3)],
                ),
            ),
        })
        .collect()
}

/// "More than a year …" for a run of `days` days.
pub fn wall_clock_text(l: Lang, days: f64) -> String {
    tf(
        l,
        "warn.wall_clock",
        &[&count(l, days), &num::sig(days / 365.25, 3)],
    )
}

type HowField = fn(&TrainingHow) -> &Option<Explained>;

/// The result cards: element id, label key, and the field that explains the number.
const CARDS: [(&str, &str, HowField); 10] = [
    ("out-train-flops", "train.out.flops", |h| &h.flops),
    ("out-train-attn", "train.out.flops_attn", |h| {
        &h.flops_with_attention
    }),
    ("out-train-hw", "train.out.hw", |h| &h.hardware_flops),
    ("out-train-gpuh", "train.out.gpu_hours", |h| &h.gpu_hours),
    ("out-train-days", "train.out.days", |h| &h.wall_days),
    ("out-train-cost", "train.out.cost", |h| &h.cost_usd),
    ("out-train-mwh", "train.out.mwh", |h| &h.energy_mwh),
    ("out-train-co2", "train.out.co2", |h| &h.co2_tonnes),
    ("out-train-mem", "train.out.mem", |h| &h.memory_per_gpu),
    ("out-train-fits", "train.out.fits", |h| &h.memory_per_gpu),
];

/// The cards' values in `l`, in the order of [`CARDS`].
pub fn card_values(l: Lang, r: &TrainingResult) -> [String; 10] {
    let dash = || "—".to_string();
    [
        format!("{} FLOP", sci(r.flops)),
        format!("{} FLOP", sci(r.flops_with_attention)),
        format!(
            "{} FLOP · HFU {}%",
            sci(r.hardware_flops),
            num::sig(r.hfu * 100.0, 3)
        ),
        format!(
            "{} {} ({})",
            count(l, r.gpu_hours),
            t(l, "unit.gpu_h"),
            sci(r.gpu_hours)
        ),
        format!("{} {}", num::sig(r.wall_days, 3), t(l, "unit.days")),
        usd(l, r.cost_usd),
        r.energy_mwh
            .map_or_else(dash, |e| format!("{} MWh", num::sig(e, 3))),
        r.co2_tonnes
            .map_or_else(dash, |x| format!("{} t CO₂e", num::sig(x, 3))),
        format!(
            "{} GiB / {} GiB",
            gib(r.memory.total_bytes),
            gib(r.memory.gpu_memory_bytes)
        ),
        fits_text(l, r),
    ]
}

#[component]
pub fn TrainingSection() -> impl IntoView {
    super::compare::register("training", |s, _| {
        crate::model::compare::training_answers(s)
    });
    let c = ctx();
    // Only the section's own inputs: edits elsewhere do not recompute it.
    let inputs = Memo::new(move |_| c.scenario.with(Scenario::training_run));
    let result = Memo::new(move |_| inputs.with(training::evaluate_model));
    let problems = Memo::new(move |_| inputs.with(training::problems));
    let notes = Memo::new(move |_| {
        let l = c.lang.get();
        problems.with(|p| result.with(|r| notes(l, p, r)))
    });
    let values = Memo::new(move |_| {
        let l = c.lang.get();
        result.with(|r| card_values(l, r))
    });
    let how = Memo::new(move |_| result.with(|r| r.how()));
    // Implausible results, each by the card or field it concerns.
    let warnings = Memo::new(move |_| {
        let l = c.lang.get();
        inputs.with(|s| result.with(|r| implausible_texts(l, s, r)))
    });
    provide_context(TrainingWarnings(warnings));
    view! {
        <section id="training" aria-labelledby="training-title">
            <h2 id="training-title"><T k="train.title"/></h2>
            <KeyAnswers id="train-keys" items=[("train.out.days", 4), ("train.out.cost", 5), ("train.out.mem", 8), ("train.out.fits", 9)]
                .into_iter()
                .map(|(label, i)| KeyItem::new(label, CARDS[i].0, Signal::derive(move || values.with(|v| v[i].clone()))))
                .collect()/>
            <p class="intro"><T k="train.intro"/></p>
            <ModelInputs inputs=inputs result=result/>
            <HardwareInputs result=result problems=problems/>
            <EnergyInputs/>
            <MemoryInputs problems=problems/>
            <ul class="notes" id="train-notes">
                {move || notes.get().into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}
            </ul>
            <div class="cards">
                {CARDS.iter().enumerate().map(|(i, &(id, label, key))| view! {
                    <ResultCard id=id label=label
                        value=Signal::derive(move || values.with(|v| v[i].clone()))
                        how=Signal::derive(move || how.with(|h| key(h).clone()))
                        warn=Signal::derive(move || warnings.with(|w| w.iter().find(|(k, _)| *k == id).map(|(_, t)| t.clone())))/>
                }).collect_view()}
            </div>
            <PredictedMfu inputs=inputs result=result/>
            <TrainingCharts inputs=inputs result=result/>
            <ValidationTable/>
        </section>
    }
}

/// The model: size fields, a preset, or a pasted config.json (`cfg`, shared with Inference).
#[component]
fn ModelInputs(inputs: Memo<TrainingRun>, result: Memo<TrainingResult>) -> impl IntoView {
    let c = ctx();
    let warned = use_context::<TrainingWarnings>();
    let model_options = Signal::derive(move || {
        let l = c.lang.get();
        std::iter::once((String::new(), t(l, "train.tm.size").to_string()))
            .chain(
                crate::model::architecture::presets()
                    .into_iter()
                    .map(|p| (p.id.to_string(), p.name.to_string())),
            )
            .chain(std::iter::once((
                ModelChoice::PASTED.to_string(),
                t(l, "train.tm.custom").to_string(),
            )))
            .collect::<Vec<_>>()
    });
    // A model that resolved: its counts replace the size fields.
    let named_model = Memo::new(move |_| {
        inputs.with(|s| s.model.is_some()) && result.with(|r| r.model_error.is_none())
    });
    let model_counts = move || {
        let l = c.lang.get();
        result.with(|r| {
            let n = r.total_params;
            if r.compute_params < n {
                tf(
                    l,
                    "train.tm.counts_moe",
                    &[&count(l, n), &count(l, r.compute_params)],
                )
            } else {
                tf(l, "train.tm.counts", &[&count(l, n)])
            }
        })
    };
    let config_error = Memo::new(move |_| {
        let l = c.lang.get();
        result.with(|r| match &r.model_error {
            Some(training::ModelError::Config(e)) => Some(super::inference::arch_error(l, e)),
            _ => None,
        })
    });
    let cfg_setter = TextSetter::new("cfg");
    let on_config = move |ev| cfg_setter.set(event_target_value(&ev));
    view! {
        <h3><T k="train.g.model"/></h3>
        <div class="inputs">
            <SelectField key="tm" label="train.f.tm" options=model_options/>
            <Show when=move || named_model.get()
                fallback=|| view! {
                    <NumField key="tn" label="train.f.tn"/>
                    <NumField key="tna" label="train.f.tna" hint="train.h.tna"/>
                }>
                <div class="field">
                    <p id="train-model-counts">{model_counts}</p>
                    <How how=Signal::derive(move || result.with(|r| r.how().params))/>
                </div>
            </Show>
            <NumField key="td" label="train.f.td" warn=Signal::derive(move || {
                warned.and_then(|w| w.0.with(|w| w.iter().find(|(k, _)| *k == "f-td").map(|(_, t)| t.clone())))
            })/>
        </div>
        <Show when=move || inputs.with(|s| matches!(s.model, Some(KnownModel::Pasted(_))))>
            <div class="field" class:invalid=move || config_error.get().is_some()>
                <label for="f-tcfg"><T k="train.f.cfg"/></label>
                <textarea id="f-tcfg" spellcheck="false" aria-describedby="e-tcfg"
                    aria-invalid=move || if config_error.get().is_some() { "true" } else { "false" }
                    prop:value=move || c.scenario.with(|s| s.custom_config.clone())
                    on:input=on_config></textarea>
                <Refused setter=cfg_setter/>
                <small class="error" id="e-tcfg" role="status">{move || config_error.get()}</small>
            </div>
        </Show>
    }
}

/// GPU, count, MFU, price and overheads.
#[component]
fn HardwareInputs(
    result: Memo<TrainingResult>,
    problems: Memo<Vec<TrainingError>>,
) -> impl IntoView {
    let c = ctx();
    let gpu_options = Signal::derive(move || {
        let l = c.lang.get();
        GPUS.iter()
            .map(|g| {
                let mark = if g.estimate {
                    t(l, "train.estimate_mark")
                } else {
                    ""
                };
                (
                    g.id.to_string(),
                    format!(
                        "{} — {} TFLOP/s, {} GiB{mark}",
                        g.name,
                        num::sig(g.peak_bf16_flop_per_s / 1e12, 3),
                        gib(g.memory_bytes)
                    ),
                )
            })
            .collect::<Vec<_>>()
    });
    let price_default = move || {
        let l = c.lang.get();
        result.with(|r| {
            let g = r.gpu;
            tf(
                l,
                "train.price_default",
                &[&usd(l, g.price_per_hour_usd), g.name],
            )
        })
    };
    let price_source = move || {
        result.with(|r| crate::ui::text::sources::source_text(c.lang.get(), r.gpu.price_source))
    };
    view! {
        <h3><T k="train.g.hardware"/></h3>
        <div class="inputs">
            <SelectField key="gpu" label="train.f.gpu" options=gpu_options/>
            <NumField key="k" label="train.f.k" problem=field_problem(problems, "gpus")/>
            <NumField key="mfu" label="train.f.mfu" hint="train.h.mfu"/>
            <div class="field-group">
                <NumField key="price" label="train.f.price"/>
                <small class="hint" id="price-default">{price_default}</small>
                <details class="how">
                    <summary><T k="how.source"/></summary>
                    <span>{price_source}</span>
                </details>
            </div>
            <NumField key="lost" label="train.f.lost" hint="train.h.lost"/>
            <NumField key="rmul" label="train.f.rmul" hint="train.h.rmul"/>
        </div>
    }
}

/// Power, PUE and the grid's carbon intensity (a preset or the reader's own).
#[component]
fn EnergyInputs() -> impl IntoView {
    let c = ctx();
    // The grid preset whose intensity equals the field's, or the reader's own value.
    let grid_preset = move || {
        c.scenario.with(|s| {
            GRIDS
                .iter()
                .find(|g| g.t_co2_per_mwh == s.grid_t_co2_per_mwh)
                .map_or(OWN_GRID, |g| g.id)
        })
    };
    let set_grid = move |ev| {
        let id = event_target_value(&ev);
        if let Some(g) = training::cost::grid(&id) {
            c.scenario
                .update(|s| s.grid_t_co2_per_mwh = g.t_co2_per_mwh);
        }
    };
    view! {
        <h3><T k="train.g.energy"/></h3>
        <div class="inputs">
            <NumField key="pw" label="train.f.pw" hint="train.h.pw"/>
            <NumField key="pue" label="train.f.pue"/>
            <div class="field">
                <label for="f-grid-preset"><T k="train.f.grid_preset"/></label>
                <select id="f-grid-preset" on:change=set_grid>
                    {move || {
                        let l = c.lang.get();
                        let cur = grid_preset();
                        let mut opts: Vec<_> = GRIDS.iter().map(|g| view! {
                            <option value=g.id selected=cur == g.id>
                                {format!("{} — {} t/MWh", t(l, &format!("train.grid.{}", g.id)), g.t_co2_per_mwh)}
                            </option>
                        }).collect();
                        opts.push(view! {
                            <option value=OWN_GRID selected=cur == OWN_GRID>{t(l, "train.grid.custom").to_string()}</option>
                        });
                        opts
                    }}
                </select>
            </div>
            <NumField key="grid" label="train.f.grid"/>
        </div>
    }
}

/// A layout the model cannot run marks every field it concerns (`TrainingError::fields`, the
/// names the CLI's flags use), with the reason under the field.
fn field_problem(
    problems: Memo<Vec<TrainingError>>,
    field: &'static str,
) -> Signal<Option<String>> {
    let c = ctx();
    Signal::derive(move || {
        let l = c.lang.get();
        problems.with(|ps| {
            let all: Vec<String> = ps
                .iter()
                .filter(|p| p.fields().contains(&field))
                .map(|p| problem_text(l, p))
                .collect();
            (!all.is_empty()).then(|| all.join(" "))
        })
    })
}

/// Fine-tuning, optimizer, sharding, parallelism, batch, sequence and recomputation.
#[component]
fn MemoryInputs(problems: Memo<Vec<TrainingError>>) -> impl IntoView {
    let c = ctx();
    let layout_problem = move |field: &'static str| field_problem(problems, field);
    let zero_options = Signal::derive(move || {
        let l = c.lang.get();
        (0..4)
            .map(|z| (z.to_string(), t(l, &format!("train.zero.{z}")).to_string()))
            .collect::<Vec<_>>()
    });
    let opt_options = choice_options(Optimizer::ALL, Optimizer::as_str, "train.opt.");
    let rc_options = choice_options(Recompute::ALL, Recompute::as_str, "train.rc.");
    let ft_options = choice_options(Finetune::ALL, Finetune::as_str, "train.ft.");
    let fa_options = Signal::derive(move || {
        let l = c.lang.get();
        ["on", "off"]
            .map(|v| (v.to_string(), t(l, &format!("train.fa.{v}")).to_string()))
            .to_vec()
    });
    view! {
        <h3><T k="train.g.memory"/></h3>
        <div class="inputs">
            <SelectField key="ft" label="train.f.ft" options=ft_options/>
            <SelectField key="opt" label="train.f.opt" options=opt_options/>
            <SelectField key="zero" label="train.f.zero" options=zero_options/>
            <NumField key="tp" label="train.f.tp" problem=layout_problem("tp")/>
            <NumField key="pp" label="train.f.pp" problem=layout_problem("pp")/>
            <NumField key="tcp" label="train.f.cp" problem=layout_problem("cp")/>
            <NumField key="tep" label="train.f.ep" problem=layout_problem("ep")/>
            <NumField key="mb" label="train.f.mb" problem=layout_problem("micro-batch")/>
            <NumField key="seq" label="train.f.seq" problem=layout_problem("seq-len")/>
            <SelectField key="rc" label="train.f.rc" options=rc_options/>
            <SelectField key="fa" label="train.f.fa" options=fa_options/>
            <NumField key="rank" label="train.f.rank" hint="train.h.rank"/>
        </div>
    }
}

/// The MFU the step-time model predicts for the layout (calibrated on Megatron-LM Table 1), beside
/// the one typed in, with a button that adopts it.
#[component]
fn PredictedMfu(inputs: Memo<TrainingRun>, result: Memo<TrainingResult>) -> impl IntoView {
    let c = ctx();
    let outcome = Memo::new(move |_| {
        inputs.with(|s| result.with(|r| training::predict_step(s, r, &StepOptions::for_run(s))))
    });
    let predicted = Memo::new(move |_| outcome.with(|o| o.as_ref().ok().cloned()));
    let value = Signal::derive(move || {
        let l = c.lang.get();
        match outcome.get() {
            Ok(p) => {
                let p = p.prediction;
                tf(
                    l,
                    "train.predicted.value",
                    &[
                        &format!("{}%", num::sig(p.mfu * 100.0, 3)),
                        &format!("{}%", num::sig(p.hfu * 100.0, 3)),
                        &num::sig(p.step_seconds, 3),
                    ],
                )
            }
            Err(PredictError::NoInterconnect { .. }) => {
                result.with(|r| tf(l, "train.predicted.no_link", &[r.gpu.name]))
            }
            Err(PredictError::Step(_)) => t(l, "train.predicted.none").to_string(),
        }
    });
    let how = Signal::derive(move || predicted.get().map(|p| p.how));
    let adopt = move |_| {
        if let Some(p) = predicted.get_untracked() {
            let mfu = num::sig(p.prediction.mfu.clamp(1e-3, 1.0), 3);
            if let Ok(x) = mfu.parse::<f64>() {
                c.scenario.update(|s| s.mfu = x);
            }
        }
    };
    view! {
        <div class="cards">
            <div class="card" data-key="out-train-predicted">
                <div class="card-label"><T k="train.out.predicted"/></div>
                <div class="card-value" id="out-train-predicted">{move || value.get()}</div>
                <button id="use-predicted-mfu" class="small" prop:disabled=move || predicted.with(Option::is_none) on:click=adopt>
                    <T k="train.predicted.use"/>
                </button>
                <super::widgets::How how=how/>
            </div>
        </div>
        <StepChart inputs=inputs result=result/>
        <super::training_layout::LayoutTable inputs=inputs result=result/>
        <super::training_layout::StepValidation/>
    }
}

/// The step time's breakdown for the chosen layout beside the same run at other tensor-parallel
/// degrees (those the GPU count and the model allow).
#[component]
fn StepChart(inputs: Memo<TrainingRun>, result: Memo<TrainingResult>) -> impl IntoView {
    let c = ctx();
    let chart = Memo::new(move |_| {
        let l = c.lang.get();
        let labels = StepLabels {
            x: t(l, "chart.train.step.x").into(),
            y: t(l, "chart.train.step.y").into(),
            parts: std::array::from_fn(|i| t(l, &format!("chart.train.step.part.{i}")).into()),
        };
        let bars = inputs.with(|s| {
            result.with(|r| {
                let mut tps: Vec<u32> = [1, 2, 4, 8, s.tp].into_iter().collect();
                tps.sort_unstable();
                tps.dedup();
                tps.into_iter()
                    .filter_map(|tp| {
                        let run = TrainingRun { tp, ..s.clone() };
                        if !training::problems(&run).is_empty() {
                            return None;
                        }
                        let p =
                            training::predict_step(&run, r, &StepOptions::for_run(&run)).ok()?;
                        Some((
                            tf(
                                l,
                                "chart.train.step.bar",
                                &[&tp.to_string(), &s.pp.to_string()],
                            ),
                            p.prediction.breakdown,
                            tp == s.tp,
                        ))
                    })
                    .collect::<Vec<_>>()
            })
        });
        step_chart(&bars, &labels)
    });
    view! { <BarChartView id="train-step" title="chart.train.step.title" chart=chart/> }
}

/// Memory per GPU by ZeRO stage, and days against the GPU count.
#[component]
fn TrainingCharts(inputs: Memo<TrainingRun>, result: Memo<TrainingResult>) -> impl IntoView {
    let c = ctx();
    let mem_chart = Memo::new(move |_| {
        let l = c.lang.get();
        result.with(|r| {
            let labels = MemoryLabels {
                x: t(l, "chart.train.mem.x").into(),
                y: t(l, "chart.train.mem.y").into(),
                weights: t(l, "chart.train.weights").into(),
                gradients: t(l, "chart.train.gradients").into(),
                optimizer: t(l, "chart.train.optimizer").into(),
                activations: t(l, "chart.train.activations").into(),
                capacity: tf(
                    l,
                    "chart.train.capacity",
                    &[r.gpu.name, &gib(r.memory.gpu_memory_bytes)],
                ),
                stages: std::array::from_fn(|z| t(l, &format!("chart.train.stage.{z}")).into()),
            };
            memory_chart(r, &labels)
        })
    });
    let days = Memo::new(move |_| {
        let l = c.lang.get();
        let k = inputs.with(|s| s.gpus);
        let current = if k == 1 {
            "chart.train.days.current_one"
        } else {
            "chart.train.days.current"
        };
        let labels = DaysLabels {
            x: t(l, "chart.train.days.x").into(),
            y: t(l, "chart.train.days.y").into(),
            series: t(l, "chart.train.days.series").into(),
            current: tf(l, current, &[&k.to_string()]),
        };
        result.with(|r| days_chart(r, k, &labels))
    });
    view! {
        <div class="grid2">
            <BarChartView id="train-memory" title="chart.train.mem.title" chart=mem_chart/>
            <ChartView id="train-days" title="chart.train.days.title" chart=days/>
        </div>
    }
}

/// Published runs against our estimates.
#[component]
fn ValidationTable() -> impl IntoView {
    let c = ctx();
    let lang = move || c.lang.get();
    let rows = validation::validation_rows();
    view! {
        <h3 id="validation-title"><T k="train.val.title"/></h3>
        <p class="intro"><T k="train.val.intro"/></p>
        <div class="table-wrap">
            <table id="train-validation" aria-labelledby="validation-title">
                <thead><tr>
                    <th scope="col"><T k="train.val.run"/></th>
                    <th scope="col"><T k="train.val.quantity"/></th>
                    <th scope="col"><T k="train.val.published"/></th>
                    <th scope="col"><T k="train.val.estimate"/></th>
                    <th scope="col"><T k="train.val.error"/></th>
                    <th scope="col"><T k="how"/></th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|r| {
                        let src = r.source;
                        let (quantity, unit, published, estimate) = (r.quantity, r.unit, r.published, r.estimate);
                        view! {
                            <tr data-run=r.run>
                                <th scope="row">{r.run}</th>
                                <td>{move || t(lang(), quantity_key(quantity))}</td>
                                <td>{move || value_text(lang(), published, unit)}</td>
                                <td>{move || value_text(lang(), estimate, unit)}</td>
                                <td class="error-cell">{format!("{:+.2}%", r.error * 100.0)}</td>
                                <td>
                                    <details class="how">
                                        <summary><T k="how"/></summary>
                                        <div>
                                            <code>{move || crate::ui::text::sources::phrases(lang(), r.method)}</code>
                                            <br/>
                                            <a href=src.url target="_blank" rel="noopener"><cite>{src.citation}</cite></a>
                                            ", " <span class="locator">{move || crate::ui::text::sources::source_text(lang(), src.locator)}</span>
                                        </div>
                                    </details>
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cards and notes come from pure functions: every card has a value (a number or "—",
    /// never NaN) in both languages, for the default run and for one whose inputs all fell back.
    #[test]
    fn cards_and_notes_are_worded_without_nan() {
        let bad = TrainingRun {
            mfu: 1.5,
            gpus: 0,
            gpu: "nope".into(),
            ..TrainingRun::default()
        };
        for run in [TrainingRun::default(), bad] {
            let r = training::evaluate_model(&run);
            let problems = training::problems(&run);
            for l in [Lang::En, Lang::Zh] {
                for v in card_values(l, &r) {
                    assert!(
                        !v.is_empty() && !v.contains("NaN") && !v.contains("inf"),
                        "{v}"
                    );
                }
                for n in notes(l, &problems, &r) {
                    assert!(!n.contains('?') && !n.contains("{}"), "{n}");
                }
            }
        }
        assert_eq!(
            CARDS.len(),
            card_values(Lang::En, &training::evaluate(&TrainingRun::default())).len()
        );
    }
}
