//! What the page hands out beyond its own screen (issue 18, item 10): the scenario file with the
//! plan's results, the Markdown summary for a document, and the lines a chart's PNG carries around
//! its plot (title, key inputs, sources, link). Pure functions of the scenario and the plan's
//! result; reached only from the charts module (`deferred::export_text`, `chart.rs`), so none of
//! it is in the first download.

use super::i18n::{count, sci, t, tf, usd};
use crate::model::explain::{Explained, Key, Source};
use crate::model::plan::PlanResult;
use crate::model::scenario::{BudgetMode, Lang, Scenario, Section};
use crate::model::{hardware, num, url};

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
