//! The training section's many-GPU panels (issue 16): the best layouts for the model on the GPU
//! count (a table that applies a layout on click, `scalecalc layout`'s search), and the step-time
//! model against published runs (Megatron-LM Table 1 as fitted, Korthikanti et al. Table 5 held
//! out; precomputed in the model and checked there against the CSV).

use super::ctx;
use super::i18n::{t, tf, T};
use crate::model::hardware;
use crate::model::num;
use crate::model::scenario::Lang;
use crate::model::training::layout::{
    gpu_seconds_per_token, search, search_counts, search_fewest, Layout, LayoutLimit, LayoutQuery,
    Rank,
};
use crate::model::training::step::{
    KORTHIKANTI_PRECOMPUTED, MEGATRON_PRECOMPUTED, STEP_CALIBRATION,
};
use crate::model::training::{self, TrainingResult, TrainingRun};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or(0.0)
}

fn limit_text(l: Lang, x: LayoutLimit) -> &'static str {
    t(l, &format!("train.layout.limit.{}", limit_id(x)))
}

fn limit_id(x: LayoutLimit) -> &'static str {
    match x {
        LayoutLimit::Compute => "compute",
        LayoutLimit::Memory => "memory",
        LayoutLimit::MemoryBound => "memory_bound",
        LayoutLimit::TpComm => "tp",
        LayoutLimit::CpComm => "cp",
        LayoutLimit::EpComm => "ep",
        LayoutLimit::Bubble => "bubble",
        LayoutLimit::PipelineSends => "p2p",
        LayoutLimit::DpComm => "dp",
        LayoutLimit::Optimizer => "optimizer",
    }
}

/// Why there is no table.
#[derive(Clone, PartialEq)]
enum NoSearch {
    /// The model is a size alone: no heads, layers or vocabulary to search over.
    NoArchitecture,
    /// The GPU has no interconnect figures.
    NoInterconnect(&'static str),
}

/// How the reader asked to search.
#[derive(Clone, Copy, PartialEq)]
struct Mode {
    /// The fewest GPUs that fit (the section's GPU count is the most tried).
    fewest: bool,
    rank: Rank,
}

/// The search for the section's model, GPU, GPU count and sequence length, with the global batch
/// the predicted MFU uses (4M tokens); the milliseconds it took.
fn layouts(
    s: &TrainingRun,
    r: &TrainingResult,
    mode: Mode,
) -> Result<(Vec<Layout>, u32, f64), NoSearch> {
    let arch = match training::resolve_model(s) {
        Ok(Some(a)) => a,
        _ => return Err(NoSearch::NoArchitecture),
    };
    let link = hardware::interconnect(r.gpu.id).ok_or(NoSearch::NoInterconnect(r.gpu.name))?;
    let batch = s
        .global_batch
        .or_else(|| training::default_global_batch(s.seq_len, 1, 1))
        .unwrap_or(1024);
    let q = LayoutQuery::for_model(
        &arch,
        r.gpu,
        *link,
        s.gpus,
        s.seq_len,
        batch,
        s.flash_attention,
    );
    let t0 = now_ms();
    let found = if mode.fewest {
        search_fewest(&q, &STEP_CALIBRATION, 10).map_or_else(Vec::new, |(_, l)| l)
    } else if mode.rank == Rank::Cost {
        search_counts(&q, &STEP_CALIBRATION, 10, Rank::Cost)
    } else {
        search(&q, &STEP_CALIBRATION, 10)
    };
    Ok((found, batch, now_ms() - t0))
}

/// The ten fastest layouts that fit, built when opened; "Apply" sets the section's fields.
#[component]
pub fn LayoutTable(inputs: Memo<TrainingRun>, result: Memo<TrainingResult>) -> impl IntoView {
    let c = ctx();
    let open = RwSignal::new(false);
    let fewest = RwSignal::new(false);
    let by_cost = RwSignal::new(false);
    let found = Memo::new(move |_| {
        if !open.get() {
            return None;
        }
        let mode = Mode {
            fewest: fewest.get(),
            rank: if by_cost.get() {
                Rank::Cost
            } else {
                Rank::Throughput
            },
        };
        Some(inputs.with(|s| result.with(|r| layouts(s, r, mode))))
    });
    // USD per GPU-hour of the section (its price, else the GPU's list price).
    let price = Memo::new(move |_| {
        inputs.with(|s| {
            result.with(|r| {
                s.price_per_gpu_hour
                    .filter(|p| *p > 0.0)
                    .unwrap_or(r.gpu.price_per_hour_usd)
            })
        })
    });
    let apply = move |x: Layout| {
        c.scenario.update(|s| {
            s.gpus = x.tp * x.pp * x.cp * x.dp;
            s.tp = x.tp;
            s.pp = x.pp;
            s.cp = x.cp;
            s.ep = x.ep;
            s.micro_batch = x.micro_batch;
            s.zero_stage = x.zero_stage;
            s.recompute = x.recompute;
        })
    };
    let body = move || {
        let l = c.lang.get();
        match found.get()? {
            Err(NoSearch::NoArchitecture) => Some(view! { <p class="hint" id="train-layouts-none">{t(l, "train.layout.no_arch")}</p> }.into_any()),
            Err(NoSearch::NoInterconnect(g)) => Some(view! { <p class="hint" id="train-layouts-none">{tf(l, "train.layout.no_link", &[g])}</p> }.into_any()),
            Ok((rows, batch, ms)) => Some(view! {
                <p class="hint" id="train-layouts-meta" data-ms=format!("{ms:.1}")>
                    {tf(l, "train.layout.meta", &[&batch.to_string(), &rows.len().to_string(), &num::sig(ms.max(0.01), 2)])}
                </p>
                <div class="table-wrap">
                <table id="train-layouts-table">
                    <thead><tr>
                        <th>"#"</th><th>"GPUs"</th><th>"TP"</th><th>"PP"</th><th>"CP"</th><th>"EP"</th><th>"DP"</th>
                        <th><T k="train.layout.mb"/></th><th>"ZeRO"</th><th><T k="train.layout.rc"/></th>
                        <th><T k="train.layout.mem"/></th><th><T k="train.layout.tps"/></th><th>"MFU"</th><th><T k="train.layout.usd"/></th>
                        <th><T k="train.layout.limit"/></th><th></th>
                    </tr></thead>
                    <tbody>
                        {rows.into_iter().enumerate().map(|(i, x)| view! {
                            <tr>
                                <td>{i + 1}</td><td>{x.tp * x.pp * x.cp * x.dp}</td><td>{x.tp}</td><td>{x.pp}</td><td>{x.cp}</td><td>{x.ep}</td><td>{x.dp}</td>
                                <td>{x.micro_batch}</td><td>{x.zero_stage}</td>
                                <td>{t(l, &format!("train.rc.{}", x.recompute.as_str()))}</td>
                                <td>{format!("{} GiB", num::sig(x.memory_bytes / num::GIB, 3))}</td>
                                <td>{num::sig(x.prediction.tokens_per_s, 3)}</td>
                                <td>{format!("{}%", num::sig(100.0 * x.prediction.mfu, 3))}</td>
                                <td>{format!("${}", num::sig(gpu_seconds_per_token(&x) * price.get_untracked() / 3600.0 * 1e6, 3))}</td>
                                <td>{limit_text(l, x.limited_by)}</td>
                                <td><button class="small apply-layout" type="button" on:click=move |_| apply(x)>{t(l, "train.layout.apply")}</button></td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
                </div>
            }.into_any()),
        }
    };
    view! {
        <details class="layouts" id="train-layouts" on:toggle=move |ev| {
            if let Some(d) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlDetailsElement>().ok()) {
                open.set(d.open());
            }
        }>
            <summary><T k="train.layout.title"/></summary>
            <p class="hint"><T k="train.layout.help"/></p>
            <div class="exports fit-controls">
                <label><input id="layout-fewest" type="checkbox" prop:checked=move || fewest.get()
                    on:change=move |ev| fewest.set(event_target_checked(&ev))/>" " <T k="train.layout.fewest"/></label>
                <label><input id="layout-cost" type="checkbox" prop:checked=move || by_cost.get()
                    on:change=move |ev| by_cost.set(event_target_checked(&ev))/>" " <T k="train.layout.by_cost"/></label>
            </div>
            {body}
        </details>
    }
}

/// The step-time model against published runs: Megatron-LM Table 1 (fitted) and Korthikanti et
/// al. 2022 Table 5 (held out), each row with its error.
#[component]
pub fn StepValidation() -> impl IntoView {
    let c = ctx();
    let pct = |e: f64| format!("{:+.1}%", 100.0 * e);
    view! {
        <details class="validation" id="train-step-validation">
            <summary><T k="train.stepval.title"/></summary>
            <p class="hint"><T k="train.stepval.help"/></p>
            <div class="table-wrap">
            <table id="train-val-megatron">
                <caption><T k="train.stepval.megatron"/></caption>
                <thead><tr>
                    <th><T k="train.stepval.params"/></th><th>"TP"</th><th>"PP"</th><th>"GPUs"</th>
                    <th><T k="train.stepval.published"/></th><th><T k="train.stepval.predicted"/></th><th><T k="train.stepval.error"/></th>
                </tr></thead>
                <tbody>
                    {MEGATRON_PRECOMPUTED.iter().map(|r| view! { <tr>
                        <td>{format!("{}B", num::sig(r.params_billion, 3))}</td><td>{r.tp}</td><td>{r.pp}</td><td>{r.gpus}</td>
                        <td>{num::sig(r.published_tflops, 3)}</td><td>{num::sig(r.predicted_tflops, 3)}</td><td>{pct(r.error)}</td>
                    </tr> }).collect_view()}
                </tbody>
            </table>
            <table id="train-val-korthikanti">
                <caption><T k="train.stepval.korthikanti"/></caption>
                <thead><tr>
                    <th><T k="train.stepval.model"/></th><th>"GPUs"</th>
                    <th><T k="train.stepval.published_mfu"/></th><th><T k="train.stepval.predicted_mfu"/></th><th><T k="train.stepval.error"/></th>
                </tr></thead>
                <tbody>
                    {KORTHIKANTI_PRECOMPUTED.iter().map(|r| view! { <tr>
                        <td>{r.label}</td><td>{r.gpus}</td>
                        <td>{format!("{}%", num::sig(100.0 * r.published_mfu, 3))}</td>
                        <td>{format!("{}%", num::sig(100.0 * r.predicted_mfu, 3))}</td><td>{pct(r.error)}</td>
                    </tr> }).collect_view()}
                </tbody>
            </table>
            </div>
            <p class="hint">{move || t(c.lang.get(), "train.stepval.source")}</p>
        </details>
    }
}
