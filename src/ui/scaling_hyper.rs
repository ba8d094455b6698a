//! The user's own hyper-parameter law (DeepSeek LLM 2024 §3.1 fitted their batch size and learning
//! rate as power laws of compute): paste (compute, best value) points, get `y = k·C^p` with 95%
//! intervals, its value at the section's budget, and DeepSeek's law beside it. Every number from
//! `model::scaling::hyper`.

use super::ctx;
use super::i18n::{sci, t, tf, T};
use super::widgets::{pair_errors_view, How, PairsField, SelectField};
use crate::model::explain::Explained;
use crate::model::num;
use crate::model::scaling::hyper::PowerFitHow;
use crate::model::scaling::hyper::{
    deepseek_hyperparams, fit_power_law, parse_points, PowerFitError, DEEPSEEK_BATCH, DEEPSEEK_LR,
};
use crate::model::scenario::{HyperKind, Lang};
use leptos::prelude::*;

fn fit_error(l: Lang, e: &PowerFitError) -> String {
    match e {
        PowerFitError::TooFewPoints { n } => tf(l, "hp.too_few", &[&n.to_string()]),
        PowerFitError::NotPositive { row, .. } => {
            tf(l, "hp.not_positive", &[&(row + 2).to_string()])
        }
        PowerFitError::NoSpread => t(l, "hp.no_spread").into(),
    }
}

/// A value as the page writes batch sizes (tokens) or learning rates.
fn value(kind: HyperKind, v: f64) -> String {
    match kind {
        HyperKind::Batch => sci(v),
        HyperKind::LearningRate => num::sig(v, 3),
    }
}

#[component]
pub fn HyperFitPanel() -> impl IntoView {
    let c = ctx();
    let lang = c.lang;
    let inputs = Memo::new(move |_| {
        c.scenario
            .with(|s| (s.hyper_csv.clone(), s.hyper_kind, s.flops))
    });
    let parsed = Memo::new(move |_| {
        inputs.with(|(text, _, _)| (!text.trim().is_empty()).then(|| parse_points(text)))
    });
    let fitted = Memo::new(move |_| match parsed.get() {
        Some(Ok(p)) => Some(fit_power_law(&p)),
        _ => None,
    });
    let explained = move |field: fn(&PowerFitHow) -> &Option<Explained>| {
        Signal::derive(move || {
            let flops = inputs.with(|i| i.2);
            fitted.with(|f| {
                f.as_ref()?
                    .as_ref()
                    .ok()
                    .and_then(|fit| field(&fit.how(flops)).clone())
            })
        })
    };
    let kind_options = Signal::derive(move || {
        let l = lang.get();
        vec![
            ("batch".to_string(), t(l, "hp.kind.batch").to_string()),
            ("lr".to_string(), t(l, "hp.kind.lr").to_string()),
        ]
    });
    view! {
        <h3 id="hp-title"><T k="hp.title"/></h3>
        <p class="intro"><T k="hp.intro"/></p>
        <div class="inputs">
            <SelectField key="hpk" label="hp.kind" options=kind_options/>
        </div>
        <PairsField key="hp" label="hp.points" columns="compute,value" status="hp-status"/>
        <div id="hp-status" role="status">
            {move || {
                let l = lang.get();
                let (kind, flops) = inputs.with(|i| (i.1, i.2));
                match (parsed.get(), fitted.get()) {
                    (None, _) => view! { <p class="hint">{t(l, "hp.empty")}</p> }.into_any(),
                    (Some(Err(rows)), _) => pair_errors_view(l, "hp-errors", &rows),
                    (_, Some(Err(e))) => view! { <p class="error" id="hp-error">{fit_error(l, &e)}</p> }.into_any(),
                    (_, Some(Ok(f))) => {
                        let (lo, hi) = f.mean_ci95(flops);
                        let theirs = match kind {
                            HyperKind::Batch => (deepseek_hyperparams(flops).batch_tokens, DEEPSEEK_BATCH.exponent),
                            HyperKind::LearningRate => (deepseek_hyperparams(flops).learning_rate, DEEPSEEK_LR.exponent),
                        };
                        view! {
                            <div class="hint" id="hp-summary">{tf(l, "hp.summary", &[
                                &num::sig(f.law.exponent, 3),
                                &format!("[{}, {}]", num::sig(f.exponent_ci95.0, 3), num::sig(f.exponent_ci95.1, 3)),
                                &f.n.to_string(), &num::sig(f.r_squared, 3), &num::sig(theirs.1, 4),
                            ])}<How how=explained(|h| &h.exponent)/></div>
                            <div class="hint" id="hp-at-budget">{tf(l, "hp.at_budget", &[
                                &sci(flops), &value(kind, f.law.at(flops)),
                                &format!("[{}, {}]", value(kind, lo), value(kind, hi)), &value(kind, theirs.0),
                            ])}<How how=explained(|h| &h.at_budget)/></div>
                        }.into_any()
                    }
                    _ => view! { <p class="hint">{t(l, "hp.empty")}</p> }.into_any(),
                }
            }}
        </div>
    }
}
