//! Effective parameter size from a reference family (Densing Law, Xiao et al. 2024 §2): paste a
//! family's (params, score) points, give a model's size and score, read its effective size N̂ and
//! density N̂/N. Every number from `model::density::effective`.

use super::ctx;
use super::i18n::{t, tf, T};
use super::widgets::{pair_errors_view, NumField, PairsField, ResultCard};
use crate::model::density::effective::EffectiveHow;
use crate::model::density::effective::{effective_report, EffectiveError};
use crate::model::explain::Explained;
use crate::model::num::{self, parse_pairs};
use crate::model::scenario::Lang;
use leptos::prelude::*;

fn error_text(l: Lang, e: &EffectiveError) -> String {
    match e {
        EffectiveError::TooFewPoints { n, distinct_sizes } => tf(
            l,
            "eff.too_few",
            &[&n.to_string(), &distinct_sizes.to_string()],
        ),
        EffectiveError::NotIncreasing => t(l, "eff.not_increasing").into(),
        EffectiveError::ScoreOutOfRange { score, low, high } => tf(
            l,
            "eff.out_of_range",
            &[
                &num::sig(*score, 4),
                &num::sig(*low, 4),
                &num::sig(*high, 4),
            ],
        ),
        // Sizes and scores are checked by the parser and the fields; the model's words otherwise.
        other => other.to_string(),
    }
}

#[component]
pub fn EffectivePanel() -> impl IntoView {
    let c = ctx();
    let lang = c.lang;
    let inputs = Memo::new(move |_| {
        c.scenario
            .with(|s| (s.family_csv.clone(), s.eff_params, s.eff_score))
    });
    let parsed = Memo::new(move |_| {
        inputs.with(|(text, _, _)| {
            (!text.trim().is_empty()).then(|| parse_pairs(text, ("params", "score"), false))
        })
    });
    let report = Memo::new(move |_| match parsed.get() {
        Some(Ok(points)) => {
            let (n, s) = inputs.with(|i| (i.1, i.2));
            Some(effective_report(&points, n, s))
        }
        _ => None,
    });
    let value = move |f: fn(Lang, f64, f64) -> String| {
        Signal::derive(move || {
            let l = lang.get();
            report.with(|r| match r {
                Some(Ok(r)) => f(l, r.effective_params, r.density),
                _ => "—".into(),
            })
        })
    };
    let how = move |f: fn(&EffectiveHow) -> &Option<Explained>| {
        Signal::derive(move || {
            report.with(|r| r.as_ref()?.as_ref().ok().and_then(|r| f(&r.how()).clone()))
        })
    };
    view! {
        <h3 id="eff-title"><T k="eff.title"/></h3>
        <p class="intro"><T k="eff.intro"/></p>
        <PairsField key="fam" label="eff.family" columns="params,score" status="eff-status"/>
        <div class="inputs">
            <NumField key="en" label="eff.params"/>
            <NumField key="esc" label="eff.score"/>
        </div>
        <div id="eff-status" role="status">
            {move || {
                let l = lang.get();
                match (parsed.get(), report.get()) {
                    (None, _) => Some(view! { <p class="hint">{t(l, "eff.empty")}</p> }.into_any()),
                    (Some(Err(rows)), _) => Some(pair_errors_view(l, "eff-errors", &rows)),
                    (_, Some(Err(e))) => Some(view! { <p class="error" id="eff-error">{error_text(l, &e)}</p> }.into_any()),
                    _ => None,
                }
            }}
        </div>
        <div class="cards">
            <ResultCard id="eff-params" label="eff.out.params"
                value=value(|l, n, _| super::i18n::count(l, n)) how=how(|h| &h.params)/>
            <ResultCard id="eff-density" label="eff.out.density"
                value=value(|_, _, d| format!("{}×", num::sig(d, 3))) how=how(|h| &h.density)/>
        </div>
    }
}
