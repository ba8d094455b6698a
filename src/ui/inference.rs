//! The Inference section: memory, latency, throughput and price per token of serving a model, the
//! roofline, batch sweeps, and the calibration table against published measurements. Every number
//! comes from `inference::evaluate`.

use super::chart::ChartView;
use super::ctx;
use super::i18n::{count, t, usd, T};
use super::widgets::{find, NumField, ResultCard, SelectField};
use crate::chart::inference::{charts, InferenceLabels};
use crate::model::inference::{self, InferenceResult};
use crate::model::scenario::{Lang, Precision};
use crate::model::{architecture, hardware, num, url};
use leptos::prelude::*;

type Fmt = fn(&InferenceResult, Lang) -> Option<String>;

fn bytes(x: f64) -> String {
    if x >= 1e9 {
        format!("{} GB", num::sig(x / 1e9, 3))
    } else if x >= 1e6 {
        format!("{} MB", num::sig(x / 1e6, 3))
    } else if x >= 1e3 {
        format!("{} KB", num::sig(x / 1e3, 3))
    } else {
        format!("{} B", num::sig(x, 3))
    }
}

fn seconds(x: f64) -> String {
    if x < 1.0 {
        format!("{} ms", num::sig(x * 1e3, 3))
    } else {
        format!("{} s", num::sig(x, 3))
    }
}

/// (element id, label key, explained key, value) for every card, in display order.
const CARDS: &[(&str, &str, &str, Fmt)] = &[
    (
        "inf-weights",
        "inf.out.weights",
        "inference.weights_bytes",
        |r, _| r.analysis.as_ref().map(|a| bytes(a.weights_bytes)),
    ),
    (
        "inf-kv-token",
        "inf.out.kv_token",
        "inference.kv_cache_bytes_per_token",
        |r, _| {
            r.analysis.as_ref().map(|a| {
                format!(
                    "{} ({} B)",
                    bytes(a.kv_cache_bytes_per_token),
                    num::sig(a.kv_cache_bytes_per_token, 6)
                )
            })
        },
    ),
    (
        "inf-kv",
        "inf.out.kv",
        "inference.kv_cache_bytes",
        |r, _| r.analysis.as_ref().map(|a| bytes(a.kv_cache_bytes)),
    ),
    (
        "inf-mem",
        "inf.out.mem",
        "inference.memory_per_gpu_bytes",
        |r, l| {
            r.analysis.as_ref().map(|a| {
                let fits = t(l, if a.fits { "inf.fits" } else { "inf.not_fits" });
                format!(
                    "{} / {} — {fits}",
                    bytes(a.memory_per_gpu_bytes),
                    bytes(a.device_memory_bytes)
                )
            })
        },
    ),
    (
        "inf-max-batch",
        "inf.out.max_batch",
        "inference.max_batch",
        |r, _| r.analysis.as_ref().map(|a| a.max_batch.to_string()),
    ),
    (
        "inf-ttft",
        "inf.out.ttft",
        "inference.ttft_seconds",
        |r, _| r.analysis.as_ref().map(|a| seconds(a.ttft_seconds)),
    ),
    (
        "inf-tpot",
        "inf.out.tpot",
        "inference.seconds_per_output_token",
        |r, _| {
            r.analysis
                .as_ref()
                .map(|a| seconds(a.seconds_per_output_token))
        },
    ),
    (
        "inf-tps-seq",
        "inf.out.tps_seq",
        "inference.tokens_per_second_per_sequence",
        |r, _| {
            r.analysis
                .as_ref()
                .map(|a| num::sig(a.tokens_per_second_per_sequence, 3))
        },
    ),
    (
        "inf-tps",
        "inf.out.tps",
        "inference.output_tokens_per_second",
        |r, _| {
            r.analysis
                .as_ref()
                .map(|a| num::sig(a.output_tokens_per_second, 4))
        },
    ),
    (
        "inf-e2e",
        "inf.out.e2e",
        "inference.end_to_end_seconds",
        |r, _| r.analysis.as_ref().map(|a| seconds(a.end_to_end_seconds)),
    ),
    (
        "inf-usd-out",
        "inf.out.usd_out",
        "inference.cost_per_million_output_tokens_usd",
        |r, l| {
            r.economics
                .as_ref()
                .map(|e| usd(l, e.cost_per_million_output_tokens_usd))
        },
    ),
    (
        "inf-usd-in",
        "inf.out.usd_in",
        "inference.cost_per_million_input_tokens_usd",
        |r, l| {
            r.economics
                .as_ref()
                .map(|e| usd(l, e.cost_per_million_input_tokens_usd))
        },
    ),
    (
        "inf-lifetime",
        "inf.out.lifetime",
        "inference.lifetime_cost_usd",
        |r, l| r.economics.as_ref().map(|e| usd(l, e.lifetime_cost_usd)),
    ),
    (
        "inf-energy",
        "inf.out.energy",
        "inference.energy_kwh_per_million_tokens",
        |r, _| {
            r.economics
                .as_ref()
                .and_then(|e| e.energy_kwh_per_million_tokens)
                .map(|x| num::sig(x, 3))
        },
    ),
];

/// Numeric inputs: (URL key, label key).
const NUM_FIELDS: &[(&str, &str)] = &[
    ("itp", "inf.f.itp"),
    ("b", "inf.f.b"),
    ("in", "inf.f.in"),
    ("out", "inf.f.out"),
    ("iprice", "inf.f.iprice"),
    ("util", "inf.f.util"),
    ("it", "inf.f.it"),
    ("sk", "inf.f.sk"),
    ("sa", "inf.f.sa"),
];

fn labels(l: Lang) -> InferenceLabels {
    let s = |k: &str| t(l, k).to_string();
    InferenceLabels {
        intensity: s("inf.c.intensity"),
        attainable: s("inf.c.attainable"),
        peak_roof: s("inf.c.peak_roof"),
        achievable_roof: s("inf.c.achievable_roof"),
        prefill: s("inf.c.prefill"),
        decode: s("inf.c.decode"),
        batch: s("inf.c.batch"),
        throughput: s("inf.c.throughput"),
        aggregate: s("inf.c.aggregate"),
        per_sequence: s("inf.c.per_sequence"),
        latency: s("inf.c.latency"),
        ttft: s("inf.c.ttft"),
        per_token: s("inf.c.per_token"),
        memory: s("inf.c.memory"),
        weights: s("inf.c.weights"),
        kv_cache: s("inf.c.kv_cache"),
        activations: s("inf.c.activations"),
        total: s("inf.c.total"),
        device_memory: s("inf.c.device_memory"),
        memory_limit: s("inf.c.memory_limit"),
        current: s("inf.c.current"),
    }
}

#[component]
pub fn InferenceSection() -> impl IntoView {
    let c = ctx();
    let result = Memo::new(move |_| c.scenario.with(inference::evaluate));
    let chart_set = Memo::new(move |_| {
        let l = labels(c.lang.get());
        c.scenario.with(|s| charts(s, &l))
    });
    let model_options = Signal::derive(move || {
        let mut v: Vec<(String, String)> = architecture::presets()
            .iter()
            .map(|p| (p.id.to_string(), p.name.to_string()))
            .collect();
        v.push(("custom".into(), t(c.lang.get(), "inf.custom").to_string()));
        v
    });
    let gpu_options = Signal::derive(move || {
        hardware::GPUS
            .iter()
            .map(|g| {
                let est = if g.estimate {
                    t(c.lang.get(), "inf.estimate")
                } else {
                    ""
                };
                (
                    g.id.to_string(),
                    format!("{} · {} GB{est}", g.name, num::sig(g.memory_bytes / 1e9, 3)),
                )
            })
            .collect::<Vec<_>>()
    });
    let bit_options = Signal::derive(move || {
        let l = c.lang.get();
        url::BIT_WIDTHS
            .iter()
            .map(|b| {
                (
                    b.to_string(),
                    super::i18n::tf(l, "inf.bits", &[&b.to_string()]),
                )
            })
            .collect::<Vec<_>>()
    });
    let precision_options = Signal::derive(|| {
        Precision::ALL
            .iter()
            .map(|p| (p.as_str().to_string(), p.as_str().to_uppercase()))
            .collect::<Vec<_>>()
    });
    let custom = move || c.scenario.with(|s| s.inf_model == "custom");
    let cfg_text = move || c.scenario.with(|s| s.custom_config.clone());
    let on_cfg = move |ev| {
        let v = event_target_value(&ev);
        c.scenario.update(|s| {
            let _ = url::set_field(s, "cfg", &v);
        });
    };
    let chart = move |f: fn(
        &crate::chart::inference::InferenceCharts,
    ) -> &crate::chart::line::LineChart| {
        Signal::derive(move || {
            chart_set.with(|cs| cs.as_ref().map(|x| f(x).clone()).unwrap_or_default())
        })
    };
    view! {
        <section id="inference" aria-labelledby="inference-title">
            <h2 id="inference-title"><T k="inf.title"/></h2>
            <p class="intro"><T k="inf.intro"/></p>
            <div class="inputs">
                <SelectField key="im" label="inf.f.im" options=model_options/>
                <SelectField key="igpu" label="inf.f.igpu" options=gpu_options/>
                <SelectField key="wb" label="inf.f.wb" options=bit_options/>
                <SelectField key="kb" label="inf.f.kb" options=bit_options/>
                <SelectField key="cp" label="inf.f.cp" options=precision_options/>
                {NUM_FIELDS.iter().map(|&(k, l)| view! { <NumField key=k label=l/> }).collect_view()}
            </div>
            <Show when=custom>
                <div class="field">
                    <label for="f-cfg"><T k="inf.f.cfg"/></label>
                    <textarea id="f-cfg" spellcheck="false" prop:value=cfg_text on:input=on_cfg></textarea>
                </div>
            </Show>
            <Show when=move || result.with(|r| !r.notes.is_empty())>
                <ul class="notes" id="inf-notes" aria-label=move || t(c.lang.get(), "notes")>
                    {move || result.with(|r| r.notes.iter().map(|n| view! { <li>{n.clone()}</li> }).collect_view())}
                </ul>
            </Show>
            <div class="cards">
                {CARDS
                    .iter()
                    .map(|&(id, label, key, f)| {
                        let value = Signal::derive(move || {
                            let l = c.lang.get();
                            result.with(|r| f(r, l)).unwrap_or_else(|| "—".into())
                        });
                        let how = Signal::derive(move || result.with(|r| find(&r.explained, key)));
                        view! { <ResultCard id=id label=label value=value how=how/> }
                    })
                    .collect_view()}
            </div>
            <div class="grid2">
                <ChartView id="inf-roofline" title="inf.c.roofline_title" chart=chart(|x| &x.roofline)/>
                <ChartView id="inf-memory" title="inf.c.memory_title" chart=chart(|x| &x.memory)/>
                <ChartView id="inf-throughput" title="inf.c.throughput_title" chart=chart(|x| &x.throughput)/>
                <ChartView id="inf-latency" title="inf.c.latency_title" chart=chart(|x| &x.latency)/>
            </div>
            <h3><T k="inf.cal.title"/></h3>
            <p class="intro"><T k="inf.cal.intro"/></p>
            <div class="table-wrap">
                <table id="inf-calibration">
                    <thead><tr>
                        <th scope="col"><T k="inf.cal.row"/></th>
                        <th scope="col"><T k="inf.cal.metric"/></th>
                        <th scope="col"><T k="inf.cal.measured"/></th>
                        <th scope="col"><T k="inf.cal.predicted"/></th>
                        <th scope="col"><T k="inf.cal.error"/></th>
                    </tr></thead>
                    <tbody>
                        {move || {
                            let l = c.lang.get();
                            result.with(|r| {
                                let fitted = r.calibration.iter().map(|row| (row, true));
                                let held_out = r.validation.iter().map(|row| (row, false));
                                fitted.chain(held_out).map(|(row, fit)| {
                                    let metric = if row.metric == "ttft_seconds" { "inf.cal.ttft" } else { "inf.cal.tps" };
                                    let fmt = |x: f64| if row.metric == "ttft_seconds" { seconds(x) } else { count(l, x) };
                                    view! {
                                        <tr class:held-out=!fit>
                                            <td><code>{row.label.clone()}</code>{(!fit).then(|| view! { " " <small>{t(l, "inf.cal.held_out")}</small> })}</td>
                                            <td>{t(l, metric)}</td>
                                            <td>{fmt(row.measured)}</td>
                                            <td>{fmt(row.predicted)}</td>
                                            <td>{format!("{:+.1}%", row.error * 100.0)}</td>
                                        </tr>
                                    }
                                }).collect_view()
                            })
                        }}
                    </tbody>
                </table>
            </div>
        </section>
    }
}
