//! The Plan section: a compute budget → the compute-optimal model.

use super::chart::ChartView;
use super::ctx;
use super::i18n::{count, sci, t};
use super::widgets::{find, NumField, ResultCard, SelectField};
use crate::chart::optimal::{optimal_chart, OptimalLabels};
use crate::model::{num, plan, scaling};
use leptos::prelude::*;

#[component]
pub fn PlanSection() -> impl IntoView {
    let c = ctx();
    let result = Memo::new(move |_| c.scenario.with(plan::evaluate));
    let explained =
        move |key: &'static str| Signal::derive(move || result.with(|r| find(&r.explained, key)));
    let law_options = Signal::derive(move || {
        scaling::LAW_PRESETS
            .iter()
            .map(|p| {
                (
                    p.id.to_string(),
                    format!("{} — {}", p.id, p.source.citation),
                )
            })
            .collect::<Vec<_>>()
    });
    let chart = Signal::derive(move || {
        let lang = c.lang.get();
        let labels = OptimalLabels {
            x: t(lang, "chart.optimal.x").into(),
            y: t(lang, "chart.optimal.y").into(),
            params: t(lang, "chart.optimal.params").into(),
            tokens: t(lang, "chart.optimal.tokens").into(),
            budget: t(lang, "chart.budget").into(),
        };
        result.with(|r| optimal_chart(&r.law_constants, r.optimal.flops, &labels))
    });
    let slider = move |ev| {
        let v: f64 = event_target_value(&ev).parse().unwrap_or(23.76);
        let flops = 10f64.powf(v);
        // Three significant digits keep the link short and readable.
        let rounded: f64 = num::sig(flops, 3).parse().unwrap_or(flops);
        c.scenario.update(|s| s.flops = rounded);
    };
    view! {
        <section id="plan" aria-labelledby="plan-title">
            <h2 id="plan-title">{move || t(c.lang.get(), "plan.title")}</h2>
            <p class="intro">{move || t(c.lang.get(), "plan.intro")}</p>
            <div class="inputs">
                <NumField key="c" label="field.flops"/>
                <div class="field">
                    <label for="budget-slider">{move || t(c.lang.get(), "field.flops_slider")}</label>
                    <input id="budget-slider" type="range" min="18" max="27" step="0.01"
                        prop:value=move || c.scenario.with(|s| s.flops.log10().to_string())
                        on:input=slider/>
                </div>
                <SelectField key="law" label="field.law" options=law_options/>
            </div>
            <div class="cards">
                <ResultCard id="out-params" label="out.params"
                    value=Signal::derive(move || { let l = c.lang.get(); result.with(|r| format!("{} ({})", count(l, r.optimal.params), sci(r.optimal.params))) })
                    how=explained("optimal.params")/>
                <ResultCard id="out-tokens" label="out.tokens"
                    value=Signal::derive(move || { let l = c.lang.get(); result.with(|r| format!("{} ({})", count(l, r.optimal.tokens), sci(r.optimal.tokens))) })
                    how=explained("optimal.tokens")/>
                <ResultCard id="out-tpp" label="out.tokens_per_param"
                    value=Signal::derive(move || result.with(|r| num::sig(r.optimal.tokens_per_param, 3)))
                    how=explained("optimal.tokens_per_param")/>
                <ResultCard id="out-loss" label="out.loss"
                    value=Signal::derive(move || { let l = c.lang.get(); result.with(|r| format!("{} {}", num::sig(r.optimal.loss, 4), t(l, "unit.nats"))) })
                    how=explained("optimal.loss")/>
            </div>
            <ChartView id="optimal" title="chart.optimal.title" chart=chart/>
        </section>
    }
}
