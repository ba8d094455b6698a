//! The Inference section: a model (preset or pasted Hugging Face `config.json`) served on chosen
//! hardware → memory, latency, throughput, $ per million tokens, energy; the roofline and batch
//! charts; the calibration table against published measurements.

use super::chart::ChartView;
use super::i18n::{t, tf, usd};
use super::widgets::{
    How, KeyAnswers, KeyItem, NumField, Refused, ResultCard, SelectField, TextSetter,
};
use super::{ctx, grouped};
use crate::chart::inference::{charts, InferenceLabels};
use crate::model::architecture::{self, ArchError, Architecture};
use crate::model::explain::Explained;
use crate::model::hardware::{self, GPUS};
use crate::model::inference::{
    self, CalibrationRow, InferenceError, InferenceHow, InferenceNote, InferenceResult,
    ServedModel, ServingInput,
};
use crate::model::num::sig;
use crate::model::scenario::{Lang, ModelChoice, Precision, Scenario};
use leptos::prelude::*;

const KIB: f64 = 1024.0;
const GIB: f64 = 1024.0 * 1024.0 * 1024.0;

/// Bytes: exact with KiB below a MiB (`524,288 B (512 KiB)`), else GiB as nvidia-smi reports.
fn bytes(x: f64) -> String {
    if !x.is_finite() {
        return "—".into();
    }
    if x < KIB * KIB {
        format!("{} B ({} KiB)", grouped(x), sig(x / KIB, 3))
    } else {
        format!("{} GiB", sig(x / GIB, 3))
    }
}

/// Seconds in ms below one second.
fn seconds(lang: Lang, x: f64) -> String {
    if !x.is_finite() {
        return "—".into();
    }
    if x < 1.0 {
        tf(lang, "inf.unit.ms", &[&sig(x * 1e3, 3)])
    } else {
        tf(lang, "inf.unit.s", &[&sig(x, 3)])
    }
}

fn rate(lang: Lang, x: f64) -> String {
    tf(lang, "inf.unit.tps", &[&sig(x, 3)])
}

/// The text for `key`, following the language (one closure type for every static label: smaller wasm).
fn tx(key: &'static str) -> impl Fn() -> &'static str + Clone + Send + Sync + 'static {
    let c = ctx();
    move || t(c.lang.get(), key)
}

/// The line and column of a JSON parser message ("… at line 3 column 7").
fn json_place(m: &str) -> Option<(&str, &str)> {
    let (_, place) = m.rsplit_once(" at line ")?;
    let (line, col) = place.split_once(" column ")?;
    Some((line, col))
}

/// A config-parse error in the reader's language, naming the field.
pub(crate) fn arch_error(lang: Lang, e: &ArchError) -> String {
    match e {
        ArchError::MissingField(name) => tf(lang, "inf.err.missing", &[name]),
        ArchError::InvalidField { field, value, rule } => {
            tf(lang, "inf.err.invalid", &[field, value, rule])
        }
        ArchError::KvHeadsNotDividing { heads, kv_heads } => tf(
            lang,
            "inf.err.kv_heads",
            &[&kv_heads.to_string(), &heads.to_string()],
        ),
        // The parser's own words are English: the Chinese page names the place instead.
        ArchError::NotJson(m) => match (lang, json_place(m)) {
            (Lang::Zh, Some((line, col))) => tf(lang, "inf.err.json_at", &[line, col]),
            _ => tf(lang, "inf.err.json", &[m]),
        },
    }
}

/// One note of the section in the reader's language; `None` for what is shown elsewhere (an
/// unusable pasted config is named next to the config itself).
fn note_text(lang: Lang, n: &InferenceNote, pasted: bool) -> Option<String> {
    Some(match n {
        InferenceNote::UnknownModel { asked, used } => tf(lang, "inf.note.model", &[asked, used]),
        InferenceNote::UnknownGpu { asked, used } => tf(lang, "inf.note.gpu", &[asked, used]),
        InferenceNote::Unusable(InferenceError::Arch(_)) if pasted => return None,
        InferenceNote::Unusable(InferenceError::Arch(e)) => arch_error(lang, e),
        InferenceNote::Unusable(InferenceError::TpHeads { gpus, heads }) => tf(
            lang,
            "inf.note.tp_heads",
            &[&gpus.to_string(), &heads.to_string()],
        ),
        InferenceNote::Unusable(e) => tf(lang, "inf.note.error", &[&e.to_string()]),
        InferenceNote::Context { tokens, max } => tf(
            lang,
            "inf.note.context",
            &[&grouped(*tokens as f64), &grouped(*max as f64)],
        ),
        InferenceNote::PrecisionFallback { gpu, compute } => {
            tf(lang, "inf.note.precision", &[gpu, compute.as_str()])
        }
        InferenceNote::DoesNotFit {
            need_bytes,
            have_bytes,
            max_batch,
        } => tf(
            lang,
            "inf.note.fits",
            &[
                &bytes(*need_bytes),
                &bytes(*have_bytes),
                &max_batch.to_string(),
            ],
        ),
        InferenceNote::NoInterconnect => t(lang, "inf.note.interconnect").into(),
        InferenceNote::KvReplicated { kv_heads, gpus } => tf(
            lang,
            "inf.note.kv_replicated",
            &[&kv_heads.to_string(), &gpus.to_string()],
        ),
        InferenceNote::DraftCostExcluded => t(lang, "inf.note.draft").into(),
        InferenceNote::NoEconomics { .. } => t(lang, "inf.note.price").into(),
    })
}

fn metric_label(lang: Lang, metric: &str) -> &'static str {
    match metric {
        "ttft_seconds" => t(lang, "inf.cal.ttft"),
        _ => t(lang, "inf.cal.tps"),
    }
}

/// One calibration or validation table.
#[component]
fn CalTable(id: &'static str, caption: &'static str, rows: Vec<CalibrationRow>) -> impl IntoView {
    let c = ctx();
    let rows = StoredValue::new(rows);
    view! {
        <div class="table-wrap">
            <table id=id>
                <caption>{tx(caption)}</caption>
                <thead><tr>
                    <th scope="col">{tx("inf.cal.row")}</th>
                    <th scope="col">{tx("inf.cal.metric")}</th>
                    <th scope="col">{tx("inf.cal.measured")}</th>
                    <th scope="col">{tx("inf.cal.predicted")}</th>
                    <th scope="col">{tx("inf.cal.error")}</th>
                    <th scope="col">{tx("how.source")}</th>
                </tr></thead>
                <tbody>
                    {move || {
                        let lang = c.lang.get();
                        rows.with_value(|rows| rows.iter().map(|r| {
                            let src = r.source;
                            view! {
                                <tr>
                                    <td>{tf(lang, "inf.cal.label", &[r.model, &r.gpus.to_string(), &r.batch.to_string(), &r.input_tokens.to_string(), &r.output_tokens.to_string()])}</td>
                                    <td>{metric_label(lang, r.metric)}</td>
                                    <td>{sig(r.measured, 4)}</td>
                                    <td>{sig(r.predicted, 4)}</td>
                                    <td>{format!("{:+.1}%", r.error * 100.0)}</td>
                                    <td><a href=src.url target="_blank" rel="noopener" title=crate::ui::text::sources::source_text(lang, src.locator)>
                                        {src.citation.split(',').next().unwrap_or(src.citation)}
                                    </a></td>
                                </tr>
                            }
                        }).collect_view())
                    }}
                </tbody>
            </table>
        </div>
    }
}

#[component]
pub fn InferenceSection() -> impl IntoView {
    super::compare::register("inference", |s, _| {
        crate::model::compare::inference_answers(s)
    });
    let c = ctx();
    // Only the section's own inputs: edits elsewhere on the page do not recompute it.
    let inputs = Memo::new(move |_| c.scenario.with(Scenario::serving));
    // Results hold f64s and notes; every recomputation counts as a change.
    let result = Memo::new_with_compare(move |_| inputs.with(inference::evaluate), |_, _| true);
    let is_custom = Memo::new(move |_| c.scenario.with(|s| s.inf_model == ModelChoice::Pasted));
    let notes_view = Memo::new(move |_| {
        let l = c.lang.get();
        let pasted = is_custom.get();
        result.with(|r| {
            r.notes
                .iter()
                .filter_map(|n| note_text(l, n, pasted))
                .collect::<Vec<_>>()
        })
    });
    view! {
        <section id="inference" aria-labelledby="inference-title">
            <h2 id="inference-title">{tx("inf.title")}</h2>
            <InferenceKeys result=result/>
            <p class="intro">{tx("inf.intro")}</p>
            <ServingInputs inputs=inputs result=result is_custom=is_custom/>
            <Show when=move || !notes_view.with(|n| n.is_empty())>
                <div class="warnings" id="inf-notes" role="status">
                    <ul>
                        {move || notes_view.get().into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}
                    </ul>
                </div>
            </Show>
            <InferenceCards result=result/>
            <InferenceCharts inputs=inputs/>
            <Calibration result=result/>
            <super::inference_margin::AtlasMargins/>
        </section>
    }
}

/// The model (a preset or a pasted config.json), the hardware and the workload.
#[component]
fn ServingInputs(
    inputs: Memo<ServingInput>,
    result: Memo<InferenceResult>,
    is_custom: Memo<bool>,
) -> impl IntoView {
    let c = ctx();
    let lang = move || c.lang.get();
    // GPUs that do not divide the model's heads: the field is marked with the reason.
    let tp_problem = Signal::derive(move || {
        let l = c.lang.get();
        result.with(|r| {
            r.notes.iter().find_map(|n| match n {
                InferenceNote::Unusable(e @ InferenceError::TpHeads { .. }) => {
                    note_text(l, &InferenceNote::Unusable(e.clone()), false)
                }
                _ => None,
            })
        })
    });
    let model_options = {
        let base: Vec<(String, String)> = architecture::presets()
            .into_iter()
            .map(|p| (p.id.to_string(), format!("{} ({})", p.name, p.id)))
            .collect();
        Signal::derive(move || {
            let mut v = base.clone();
            v.push((
                ModelChoice::PASTED.into(),
                t(c.lang.get(), "inf.custom").into(),
            ));
            v
        })
    };
    let gpu_options = Signal::derive(|| {
        GPUS.iter()
            .map(|g| (g.id.to_string(), g.name.to_string()))
            .collect::<Vec<_>>()
    });
    let bit_options = Signal::derive(|| {
        inference::VALID_BITS
            .iter()
            .map(|b| (b.to_string(), b.to_string()))
            .collect::<Vec<_>>()
    });
    let precision_options = Signal::derive(move || {
        Precision::ALL
            .iter()
            .map(|p| (p.as_str().to_string(), p.as_str().to_uppercase()))
            .collect::<Vec<_>>()
    });

    // The pasted config: text bound to `cfg`, parse error shown beside it.
    let config_error = Memo::new(move |_| {
        inputs.with(|s| match &s.model {
            ServedModel::Pasted(cfg) => Architecture::from_hf_config(cfg).err(),
            _ => None,
        })
    });
    let cfg_setter = TextSetter::new("cfg");
    let on_config = move |ev| cfg_setter.set(event_target_value(&ev));

    let list_price = Memo::new(move |_| {
        c.scenario
            .with(|s| hardware::gpu(&s.inf_gpu).map(|g| (g.price_per_hour_usd, g.price_source)))
    });
    let use_list_price = move |_| {
        if let Some((p, _)) = list_price.get_untracked() {
            c.scenario.update(|s| s.inf_price_per_gpu_hour = p);
        }
    };

    view! {
    <div class="inputs">
        <SelectField key="im" label="inf.field.model" options=model_options/>
        <SelectField key="igpu" label="inf.field.gpu" options=gpu_options/>
        <NumField key="itp" label="inf.field.gpus" problem=tp_problem/>
        <NumField key="b" label="inf.field.batch"/>
        <NumField key="in" label="inf.field.input"/>
        <NumField key="out" label="inf.field.output"/>
        <SelectField key="wb" label="inf.field.weight_bits" options=bit_options/>
        <SelectField key="kb" label="inf.field.kv_bits" options=bit_options/>
        <SelectField key="cp" label="inf.field.compute" options=precision_options/>
        <div class="field">
            <NumField key="iprice" label="inf.field.price"/>
            {move || list_price.get().map(|(p, src)| view! {
                <button class="small" id="inf-list-price" title=crate::ui::text::sources::source_text(lang(), src) on:click=use_list_price>
                    {tf(lang(), "inf.list_price", &[&sig(p, 3)])}
                </button>
            })}
        </div>
        <NumField key="util" label="inf.field.util"/>
        <NumField key="it" label="inf.field.lifetime_tokens"/>
        <NumField key="sk" label="inf.field.spec_k" hint="inf.hint.spec_k"/>
        <NumField key="sa" label="inf.field.spec_alpha"/>
    </div>
    <Show when=move || is_custom.get()>
        <div class="field" class:invalid=move || config_error.with(|e| e.is_some())>
            <label for="f-cfg">{tx("inf.field.config")}</label>
            <textarea id="f-cfg" spellcheck="false" aria-describedby="e-cfg"
                aria-invalid=move || if config_error.with(|e| e.is_some()) { "true" } else { "false" }
                prop:value=move || c.scenario.with(|s| s.custom_config.clone())
                on:input=on_config></textarea>
            <Refused setter=cfg_setter/>
            <small class="error" id="e-cfg" role="status">
                {move || config_error.get().map(|e| arch_error(lang(), &e))}
            </small>
        </div>
    </Show>
    }
}

/// A value of the analysis (`a`) or of the economics (`e`) in the reader's language; "—" when the
/// workload is invalid.
fn analysis_value(
    result: Memo<InferenceResult>,
    f: fn(Lang, &inference::Analysis) -> String,
) -> Signal<String> {
    let c = ctx();
    Signal::derive(move || {
        let l = c.lang.get();
        result.with(|r| r.analysis.as_ref().map_or_else(|| "—".into(), |a| f(l, a)))
    })
}

fn economics_value(
    result: Memo<InferenceResult>,
    f: fn(Lang, &inference::Economics) -> String,
) -> Signal<String> {
    let c = ctx();
    Signal::derive(move || {
        let l = c.lang.get();
        result.with(|r| r.economics.as_ref().map_or_else(|| "—".into(), |e| f(l, e)))
    })
}

fn fits_value(l: Lang, a: &inference::Analysis) -> String {
    tf(
        l,
        if a.fits {
            "inf.fits_yes"
        } else {
            "inf.fits_no"
        },
        &[&grouped(a.max_batch as f64)],
    )
}

/// The section's key answers: whether it fits, the first token, the throughput and the price.
#[component]
fn InferenceKeys(result: Memo<InferenceResult>) -> impl IntoView {
    let items = vec![
        KeyItem::new(
            "inf.out.fits",
            "inf-fit",
            analysis_value(result, fits_value),
        ),
        KeyItem::new(
            "inf.out.ttft",
            "inf-ttft",
            analysis_value(result, |l, a| seconds(l, a.ttft_seconds)),
        ),
        KeyItem::new(
            "inf.out.tps",
            "inf-tps",
            analysis_value(result, |l, a| rate(l, a.output_tokens_per_second)),
        ),
        KeyItem::new(
            "inf.out.cost_out",
            "inf-cost-out",
            economics_value(result, |l, e| usd(l, e.cost_per_million_output_tokens_usd)),
        ),
    ];
    view! { <KeyAnswers id="inf-keys" items=items/> }
}

/// Memory, speed and money: "—" when the workload is invalid.
#[component]
fn InferenceCards(result: Memo<InferenceResult>) -> impl IntoView {
    let c = ctx();
    let how = Memo::new(move |_| result.with(|r| r.how()));
    let explained = move |f: HowField| Signal::derive(move || how.with(|h| f(h).clone()));
    let a = move |f| analysis_value(result, f);
    let e = move |f| economics_value(result, f);
    // Not fitting: the speed and price cards say their figures assume memory the GPUs lack.
    let unfit = Signal::derive(move || {
        let l = c.lang.get();
        result.with(|r| {
            r.analysis
                .as_ref()
                .filter(|a| !a.fits)
                .map(|a| tf(l, "warn.does_not_fit", &[&grouped(a.max_batch as f64)]))
        })
    });
    view! {
    <h3>{tx("inf.h.memory")}</h3>
    <div class="cards">
        <ResultCard id="inf-weights" label="inf.out.weights"
            value=a(|_, a| bytes(a.weights_bytes)) how=explained(|h| &h.weights_bytes)/>
        <ResultCard id="inf-kv-token" label="inf.out.kv_per_token"
            value=a(|_, a| bytes(a.kv_cache_bytes_per_token)) how=explained(|h| &h.kv_cache_bytes_per_token)/>
        <ResultCard id="inf-kv" label="inf.out.kv_total"
            value=a(|_, a| bytes(a.kv_cache_bytes)) how=explained(|h| &h.kv_cache_bytes)/>
        <ResultCard id="inf-act" label="inf.out.activations"
            value=a(|_, a| bytes(a.activation_bytes)) how=explained(|h| &h.activation_bytes)/>
        <ResultCard id="inf-mem" label="inf.out.memory_per_gpu"
            value=a(|l, a| tf(l, "inf.of_device", &[&bytes(a.memory_per_gpu_bytes), &bytes(a.device_memory_bytes)]))
            how=explained(|h| &h.memory_per_gpu_bytes)/>
        <ResultCard id="inf-fit" label="inf.out.fits"
            value=a(fits_value)
            how=explained(|h| &h.max_batch)/>
    </div>
    <h3>{tx("inf.h.speed")}</h3>
    <div class="cards">
        <ResultCard id="inf-ttft" label="inf.out.ttft"
            value=a(|l, a| seconds(l, a.ttft_seconds)) how=explained(|h| &h.ttft_seconds)/>
        <ResultCard id="inf-tpot" label="inf.out.per_token"
            value=a(|l, a| seconds(l, a.seconds_per_output_token)) how=explained(|h| &h.seconds_per_output_token)/>
        <ResultCard id="inf-tps-seq" label="inf.out.tps_seq"
            value=a(|l, a| rate(l, a.tokens_per_second_per_sequence)) how=explained(|h| &h.tokens_per_second_per_sequence)/>
        <ResultCard id="inf-tps" label="inf.out.tps"
            value=a(|l, a| rate(l, a.output_tokens_per_second)) how=explained(|h| &h.output_tokens_per_second) warn=unfit/>
        <ResultCard id="inf-e2e" label="inf.out.e2e"
            value=a(|l, a| seconds(l, a.end_to_end_seconds)) how=explained(|h| &h.end_to_end_seconds)/>
        <ResultCard id="inf-tau" label="inf.out.tokens_per_step"
            value=a(|_, a| sig(a.tokens_per_step, 3)) how=explained(|h| &h.tokens_per_step)/>
        <ResultCard id="inf-comm-prefill" label="inf.out.prefill_comm_share"
            value=a(|_, a| format!("{}%", sig(100.0 * a.prefill_comm_share, 2))) how=explained(|h| &h.prefill_comm_share)/>
        <ResultCard id="inf-comm-decode" label="inf.out.decode_comm_share"
            value=a(|_, a| format!("{}%", sig(100.0 * a.decode_comm_share, 2))) how=explained(|h| &h.decode_comm_share)/>
    </div>
    <h3>{tx("inf.h.money")}</h3>
    <div class="cards">
        <ResultCard id="inf-cost-in" label="inf.out.cost_in"
            value=e(|l, e| usd(l, e.cost_per_million_input_tokens_usd)) how=explained(|h| &h.cost_per_million_input_tokens_usd)/>
        <ResultCard id="inf-cost-out" label="inf.out.cost_out"
            value=e(|l, e| usd(l, e.cost_per_million_output_tokens_usd)) how=explained(|h| &h.cost_per_million_output_tokens_usd) warn=unfit/>
        <ResultCard id="inf-lifetime" label="inf.out.lifetime"
            value=e(|l, e| usd(l, e.lifetime_cost_usd)) how=explained(|h| &h.lifetime_cost_usd)/>
        <ResultCard id="inf-energy" label="inf.out.energy"
            value=e(|l, e| e.energy_kwh_per_million_tokens.map(|k| tf(l, "inf.unit.kwh", &[&sig(k, 3)])).unwrap_or_else(|| t(l, "inf.no_power").into()))
            how=explained(|h| &h.energy_kwh_per_million_tokens)/>
    </div>
    }
}

/// The roofline, memory, throughput and latency charts.
#[component]
fn InferenceCharts(inputs: Memo<ServingInput>) -> impl IntoView {
    let c = ctx();
    let all_charts = Memo::new(move |_| {
        let l = c.lang.get();
        let tt = |k: &str| t(l, k).to_string();
        let labels = InferenceLabels {
            intensity: tt("inf.chart.intensity"),
            attainable: tt("inf.chart.attainable"),
            peak_roof: tt("inf.chart.peak_roof"),
            achievable_roof: tt("inf.chart.achievable_roof"),
            prefill: tt("inf.chart.prefill"),
            decode: tt("inf.chart.decode"),
            batch: tt("inf.chart.batch"),
            throughput: tt("inf.chart.throughput"),
            aggregate: tt("inf.chart.aggregate"),
            per_sequence: tt("inf.chart.per_sequence"),
            latency: tt("inf.chart.latency"),
            ttft: tt("inf.chart.ttft"),
            per_token: tt("inf.chart.per_token"),
            memory: tt("inf.chart.memory"),
            weights: tt("inf.chart.weights"),
            kv_cache: tt("inf.chart.kv_cache"),
            activations: tt("inf.chart.activations"),
            total: tt("inf.chart.total"),
            device_memory: tt("inf.chart.device_memory"),
            memory_limit: tt("inf.chart.memory_limit"),
            current: tt("inf.chart.current"),
        };
        inputs.with(|s| charts(s, &labels))
    });
    let chart = move |pick: fn(
        &crate::chart::inference::InferenceCharts,
    ) -> &crate::chart::line::LineChart| {
        Signal::derive(move || {
            all_charts.with(|ch| ch.as_ref().map(|ch| pick(ch).clone()).unwrap_or_default())
        })
    };

    view! {
    <Show when=move || all_charts.with(|ch| ch.is_some())>
        <div class="grid2">
            <ChartView id="inf-roofline" title="inf.chart.roofline" chart=chart(|ch| &ch.roofline)/>
            <ChartView id="inf-memory" title="inf.chart.memory_title" chart=chart(|ch| &ch.memory)/>
            <ChartView id="inf-throughput" title="inf.chart.throughput_title" chart=chart(|ch| &ch.throughput)/>
            <ChartView id="inf-latency" title="inf.chart.latency_title" chart=chart(|ch| &ch.latency)/>
        </div>
    </Show>
    }
}

/// A field of the section's explanations.
type HowField = fn(&InferenceHow) -> &Option<Explained>;

/// The calibrated constants and the tables of measurements they are fitted on and checked against.
#[component]
fn Calibration(result: Memo<InferenceResult>) -> impl IntoView {
    let how = Memo::new(move |_| result.with(|r| r.how()));
    let explained = move |f: HowField| Signal::derive(move || how.with(|h| f(h).clone()));
    let calibration = inference::calibration_table();
    let validation = inference::validation_table();
    let constants: [(f64, HowField, &str, &str); 3] = [
        (
            inference::CALIBRATION.bandwidth_fraction,
            |h| &h.bandwidth_fraction,
            "inf.out.bandwidth_fraction",
            "inf-eta-bw",
        ),
        (
            inference::CALIBRATION.compute_fraction,
            |h| &h.compute_fraction,
            "inf.out.compute_fraction",
            "inf-eta-c",
        ),
        (
            inference::CALIBRATION.prefill_overhead_s,
            |h| &h.prefill_overhead_s,
            "inf.out.prefill_overhead",
            "inf-t-prefill",
        ),
    ];

    view! {
    <h3>{tx("inf.h.calibration")}</h3>
    <p class="intro">{tx("inf.cal.intro")}</p>
    <div class="cards">
        {constants.into_iter().map(|(value, key, label, id)| view! {
            <div class="card" data-key=id>
                <div class="card-label">{tx(label)}</div>
                <div class="card-value" id=id>{sig(value, 3)}</div>
                <How how=explained(key)/>
            </div>
        }).collect_view()}
    </div>
    <CalTable id="inf-calibration" caption="inf.cal.caption" rows=calibration/>
    <CalTable id="inf-validation" caption="inf.val.caption" rows=validation/>
    }
}
