//! What the page hands out beyond its own screen (issue 18, item 10): the scenario file with the
//! plan's results, the Markdown summary for a document, and the lines a chart's PNG carries around
//! its plot (title, key inputs, sources, link). Pure functions of the scenario and the plan's
//! result; reached only from the charts module (`deferred::export_text`, `chart.rs`), so none of
//! it is in the first download.

use super::i18n::{count, sci, usd, Entry};
use crate::model::explain::{Explained, Key, Source};
use crate::model::plan::PlanResult;
use crate::model::scenario::{BudgetMode, Lang, Scenario, Section};
use crate::model::{hardware, num, url};

/// The exports' own texts: only the charts module reads them, so they stay out of the first
/// download (the page's tables, `text/`, are in it). Looked up before the page's tables.
pub const TEXT: &[Entry] = &[
    ("export.days", "{} GPU-days", "{} GPU·天"),
    (
        "export.inputs.plan",
        "Budget {} · law {} · training on {} × {}",
        "预算 {} · 规模定律 {} · 训练硬件 {} × {}",
    ),
    (
        "export.inputs.training",
        "{} × {} · MFU {} · {} per GPU-hour",
        "{} × {} · MFU {} · 每 GPU 小时 {}",
    ),
    (
        "export.inputs.inference",
        "Model {} · {} × {} · batch {} · {} in / {} out tokens · {}-bit weights",
        "模型 {} · {} × {} · 批大小 {} · 输入 {} / 输出 {} token · 权重 {} 位",
    ),
    (
        "export.inputs.density",
        "Density doubles every {} months · target date {} · device {}",
        "能力密度每 {} 个月翻倍 · 目标日期 {} · 设备 {}",
    ),
    ("export.sources", "Sources: ", "来源："),
    (
        "summary.title",
        "scalecalc scenario summary",
        "scalecalc 场景摘要",
    ),
    ("summary.inputs", "Key inputs", "关键输入"),
    ("summary.quantity", "Quantity", "指标"),
    ("summary.value", "Value", "数值"),
    ("summary.source", "Source", "来源"),
    ("summary.link", "Link: ", "链接："),
    (
        "btn.summary_copied",
        "Summary copied (Markdown)",
        "摘要已复制（Markdown）",
    ),
    (
        "btn.summary_failed",
        "Copy failed: select the summary below and copy it",
        "复制失败：请选中下面的摘要手动复制",
    ),
];

/// A text of [`TEXT`], else of the page's tables.
pub fn t(l: Lang, key: &str) -> &'static str {
    match TEXT.iter().find(|e| e.0 == key) {
        Some(&(_, en, zh)) => {
            if l == Lang::Zh {
                zh
            } else {
                en
            }
        }
        None => super::i18n::t(l, key),
    }
}

/// [`t`] with `{}` placeholders filled in order.
fn tf(l: Lang, key: &str, args: &[&str]) -> String {
    let mut parts = t(l, key).split("{}");
    let mut out = parts.next().unwrap_or_default().to_string();
    for (i, p) in parts.enumerate() {
        out.push_str(args.get(i).copied().unwrap_or_default());
        out.push_str(p);
    }
    out
}

/// The sections whose headline numbers the plan computes, in page order.
const STEPS: [Section; 4] = [
    Section::Scaling,
    Section::Training,
    Section::Inference,
    Section::Density,
];

/// The section a plan number belongs to (the plan's chain: model, training, serving, density).
fn section_of(k: Key) -> Section {
    match k {
        Key::PlanFlops
        | Key::OptimalParams
        | Key::OptimalTokens
        | Key::OptimalTokensPerParam
        | Key::OptimalLoss => Section::Scaling,
        Key::PlanFitsDeviceOn | Key::PlanReferenceEraParams => Section::Density,
        Key::PlanOutputTokensPerSecond
        | Key::PlanCostPerMillionOutputTokensUsd
        | Key::PlanCostPerMillionInputTokensUsd
        | Key::PlanSecondsPerOutputToken
        | Key::PlanServingParams => Section::Inference,
        _ => Section::Training,
    }
}

/// The plan card's label of a number; `None`: not a headline (not on a card).
fn label_key(k: Key) -> Option<&'static str> {
    Some(match k {
        Key::PlanFlops => "out.flops",
        Key::OptimalParams => "out.params",
        Key::OptimalTokens => "out.tokens",
        Key::OptimalTokensPerParam => "out.tokens_per_param",
        Key::OptimalLoss => "out.loss",
        Key::PlanGpuHours => "out.gpu_hours",
        Key::PlanWallDays => "out.wall_days",
        Key::PlanCostUsd => "out.cost",
        Key::PlanEnergyMwh => "out.energy",
        Key::PlanCo2Tonnes => "out.co2",
        Key::PlanCostPerMillionOutputTokensUsd => "out.usd_per_m_out",
        Key::PlanCostPerMillionInputTokensUsd => "out.usd_per_m_in",
        Key::PlanOutputTokensPerSecond => "out.tokens_per_s",
        Key::PlanReferenceEraParams => "out.reference_era_params",
        Key::PlanFitsDeviceOn => "out.fits_device_on",
        _ => return None,
    })
}

fn step_key(sec: Section) -> &'static str {
    match sec {
        Section::Training => "plan.step.training",
        Section::Inference => "plan.step.serving",
        Section::Density => "plan.step.density",
        _ => "plan.step.model",
    }
}

/// A JSON number, or `null` where the value is not finite (JSON has no NaN).
fn number(x: f64) -> serde_json::Value {
    serde_json::Number::from_f64(x).map_or(serde_json::Value::Null, serde_json::Value::Number)
}

/// The plan's results by section (`scaling`, `training`, `inference`, `density`): each number
/// under its model key (`optimal.params`, `plan.cost_per_million_output_tokens_usd`…) with its
/// value, unit and source. The density step's date is added as `plan.fits_device_on_date`.
pub fn results_json(r: &PlanResult) -> serde_json::Value {
    let mut out = serde_json::Map::new();
    for sec in STEPS {
        let mut m = serde_json::Map::new();
        for e in r.explained.iter().filter(|e| section_of(e.key) == sec) {
            m.insert(
                e.key.as_str().into(),
                serde_json::json!({
                    "value": number(e.value),
                    "unit": e.unit,
                    "source": e.source.citation,
                    "url": e.source.url,
                }),
            );
        }
        if sec == Section::Density {
            if let Some(date) = r.density.as_ref().and_then(|d| d.fits_device_on.clone()) {
                m.insert(
                    "plan.fits_device_on_date".into(),
                    serde_json::json!({ "value": date, "unit": "date" }),
                );
            }
        }
        out.insert(sec.as_str().into(), serde_json::Value::Object(m));
    }
    serde_json::Value::Object(out)
}

/// The scenario file: every input (as `url::to_json`, which `url::from_json` reads back) and a
/// `results` object (see [`results_json`]) that import ignores.
pub fn scenario_file(s: &Scenario, r: &PlanResult) -> String {
    let mut v = url::to_json(s);
    if let Some(m) = v.as_object_mut() {
        m.insert(url::RESULTS_KEY.into(), results_json(r));
    }
    serde_json::to_string_pretty(&v).unwrap_or_default()
}

/// A GPU's name from its id (the id itself when unknown).
fn gpu_name(id: &str) -> &str {
    hardware::gpu(id).map_or(id, |g| g.name)
}

/// The budget as given: FLOP, dollars or GPU-days.
fn budget_text(l: Lang, s: &Scenario) -> String {
    match s.budget_mode {
        BudgetMode::Flops => format!("{} FLOP", sci(s.flops)),
        BudgetMode::Usd => usd(l, s.budget_usd),
        BudgetMode::GpuDays => tf(l, "export.days", &[&num::sig(s.budget_days, 3)]),
    }
}

/// One line of a section's most important inputs (the plan's: budget, law, training hardware).
pub fn key_inputs(l: Lang, s: &Scenario, sec: Section) -> String {
    match sec {
        Section::Plan | Section::Scaling => tf(
            l,
            "export.inputs.plan",
            &[
                &budget_text(l, s),
                s.law.as_str(),
                &s.gpus.to_string(),
                gpu_name(&s.gpu),
            ],
        ),
        Section::Training => tf(
            l,
            "export.inputs.training",
            &[
                &s.gpus.to_string(),
                gpu_name(&s.gpu),
                &num::sig(s.mfu, 3),
                &usd(l, s.price_per_gpu_hour),
            ],
        ),
        Section::Inference => tf(
            l,
            "export.inputs.inference",
            &[
                s.inf_model.as_str(),
                &s.inf_gpus.to_string(),
                gpu_name(&s.inf_gpu),
                &s.batch.to_string(),
                &s.input_tokens.to_string(),
                &s.output_tokens.to_string(),
                &s.weight_bits.to_string(),
            ],
        ),
        Section::Density => tf(
            l,
            "export.inputs.density",
            &[
                &num::sig(s.doubling_months, 3),
                &s.target_date.to_string(),
                &s.device,
            ],
        ),
    }
}

/// The distinct sources of a section's plan numbers (the plan's chart: the model step's).
pub fn sources(r: &PlanResult, sec: Section) -> Vec<Source> {
    let sec = if sec == Section::Plan {
        Section::Scaling
    } else {
        sec
    };
    let mut out: Vec<Source> = Vec::new();
    for e in r.explained.iter().filter(|e| section_of(e.key) == sec) {
        if !out.iter().any(|s| s.id == e.source.id) {
            out.push(e.source);
        }
    }
    out
}

/// A headline value with its unit: money as the page's cards show it, the rest to four
/// significant digits with the model's unit symbol.
fn value_text(l: Lang, e: &Explained, r: &PlanResult) -> String {
    if e.key == Key::PlanFitsDeviceOn {
        if let Some(d) = r.density.as_ref().and_then(|d| d.fits_device_on.clone()) {
            return d;
        }
    }
    if !e.value.is_finite() {
        return "—".into();
    }
    match e.unit.strip_prefix("USD") {
        Some(rest) => format!("{}{rest}", usd(l, e.value)),
        None => match e.unit {
            "params" | "tokens" => format!("{} ({}) {}", count(l, e.value), sci(e.value), e.unit),
            _ => format!("{} {}", num::sig(e.value, 4), e.unit),
        },
    }
}

/// Text in a Markdown table cell: no pipes or line breaks.
fn cell(s: &str) -> String {
    s.replace('|', "/").replace('\n', " ")
}

/// The Markdown summary for a document: the key inputs, each step's answers with units and
/// sources, and the link, in the page's language.
pub fn summary_markdown(l: Lang, s: &Scenario, r: &PlanResult, link: &str) -> String {
    let mut out = format!("## {}\n\n", t(l, "summary.title"));
    out.push_str(&format!("**{}**\n\n", t(l, "summary.inputs")));
    for sec in STEPS {
        out.push_str(&format!("- {}\n", key_inputs(l, s, sec)));
    }
    for sec in STEPS {
        out.push_str(&format!(
            "\n### {}\n\n| {} | {} | {} |\n|---|---|---|\n",
            t(l, step_key(sec)),
            t(l, "summary.quantity"),
            t(l, "summary.value"),
            t(l, "summary.source"),
        ));
        for e in r.explained.iter().filter(|e| section_of(e.key) == sec) {
            let Some(label) = label_key(e.key) else {
                continue;
            };
            out.push_str(&format!(
                "| {} | {} | [{}]({}) |\n",
                cell(t(l, label)),
                cell(&value_text(l, e, r)),
                cell(e.source.locator),
                e.source.url,
            ));
        }
    }
    out.push_str(&format!("\n{}{link}\n", t(l, "summary.link")));
    out
}

/// Saves the scenario file (inputs and results).
pub fn save_scenario(s: &Scenario, r: &PlanResult) {
    super::chart::download_text(
        &scenario_file(s, r),
        "application/json",
        "scalecalc-scenario.json",
    );
}

/// Copies the Markdown summary to the clipboard and says so under the header's controls; where
/// the clipboard refuses, the summary is shown selected in a text area, to copy by hand.
pub fn copy_summary(l: Lang, s: &Scenario, r: &PlanResult, link: &str) {
    use wasm_bindgen::JsCast;
    let text = summary_markdown(l, s, r, link);
    let Some(w) = web_sys::window() else { return };
    let promise = w.navigator().clipboard().write_text(&text);
    leptos::task::spawn_local(async move {
        let ok = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let Some(header) = doc.query_selector("header").ok().flatten() else {
            return;
        };
        // One result at a time: a new one takes the last one's place.
        let div = match doc.get_element_by_id("summary-result") {
            Some(old) => {
                old.set_text_content(None);
                old
            }
            None => {
                let Ok(div) = doc.create_element("div") else {
                    return;
                };
                for (k, v) in [
                    ("id", "summary-result"),
                    ("class", "copy-result"),
                    ("role", "status"),
                ] {
                    let _ = div.set_attribute(k, v);
                }
                let _ = header.append_child(&div);
                div
            }
        };
        if let Ok(span) = doc.create_element("span") {
            span.set_text_content(Some(t(
                l,
                if ok {
                    "btn.summary_copied"
                } else {
                    "btn.summary_failed"
                },
            )));
            let _ = div.append_child(&span);
        }
        let area = (!ok)
            .then(|| doc.create_element("textarea").ok())
            .flatten()
            .and_then(|a| a.dyn_into::<web_sys::HtmlTextAreaElement>().ok());
        if let Some(a) = &area {
            for (k, v) in [
                ("id", "summary-text"),
                ("readonly", ""),
                ("rows", "6"),
                ("aria-label", t(l, "btn.copy_summary")),
            ] {
                let _ = a.set_attribute(k, v);
            }
            a.set_value(&text);
            let _ = div.append_child(a);
        }
        if let Some(a) = area {
            let _ = a.focus();
            a.select();
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::plan;

    fn sample() -> (Scenario, PlanResult) {
        let s = Scenario::default();
        let r = plan::evaluate(&s.plan());
        (s, r)
    }

    #[test]
    fn scenario_file_has_results_and_imports_to_the_same_scenario() {
        let (s, r) = sample();
        let text = scenario_file(&s, &r);
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        let price = &v["results"]["inference"]["plan.cost_per_million_output_tokens_usd"];
        assert!(price["value"].as_f64().unwrap() > 0.0, "{price}");
        assert!(price["unit"].as_str().unwrap().contains("USD"));
        assert!(v["results"]["scaling"]["optimal.params"]["value"].is_number());
        let d = url::from_json(&text).unwrap();
        assert!(d.warnings.is_empty(), "{:?}", d.warnings);
        assert_eq!(d.scenario, s);
    }

    #[test]
    fn summary_has_inputs_answers_sources_and_link_in_both_languages() {
        let (s, r) = sample();
        for l in [Lang::En, Lang::Zh] {
            let md = summary_markdown(l, &s, &r, "https://example.org/?v=2");
            assert!(md.contains(t(l, "out.usd_per_m_out")), "{md}");
            assert!(md.contains(t(l, "plan.step.density")));
            assert!(md.contains("](https://"), "a source link: {md}");
            assert!(md.ends_with("https://example.org/?v=2\n"));
            assert!(!md.contains("NaN") && !md.contains("{}"), "{md}");
        }
    }

    #[test]
    fn texts_in_both_languages_and_not_in_the_page_tables() {
        for (k, en, zh) in TEXT {
            assert!(!en.is_empty() && !zh.is_empty(), "{k}");
            assert_eq!(en.matches("{}").count(), zh.matches("{}").count(), "{k}");
            assert_eq!(
                super::super::i18n::t(Lang::En, k),
                "?",
                "{k} is in both tables"
            );
        }
    }

    #[test]
    fn every_section_has_key_inputs_and_a_source() {
        let (s, r) = sample();
        for sec in [
            Section::Plan,
            Section::Scaling,
            Section::Density,
            Section::Training,
            Section::Inference,
        ] {
            for l in [Lang::En, Lang::Zh] {
                let line = key_inputs(l, &s, sec);
                assert!(!line.is_empty() && !line.contains("{}"), "{sec:?}: {line}");
            }
            assert!(!sources(&r, sec).is_empty(), "{sec:?}");
        }
    }
}
