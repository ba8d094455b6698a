//! Two scenarios side by side (issue 18, item 11): the pinned baseline's answers, and under each
//! result card the baseline's value and the change (`model::compare` computes both).

use super::ctx;
use super::i18n::{count, sci, t, tf, usd};
use crate::model::compare::{self, Answers, Better, Delta, Unit};
use crate::model::num::sig;
use crate::model::scaling::ParametricLaw;
use crate::model::scenario::{Lang, Scenario};
use leptos::prelude::*;

/// One part's answers for a scenario, given the reader's fit (for law `fit`).
pub type Part = fn(&Scenario, Option<&ParametricLaw>) -> Vec<compare::Answer>;

/// The baseline's answers and the current scenario's, provided by the app; both are evaluated
/// lazily (only while a card reads them, that is while a baseline is pinned), once per change.
/// Every part of the page adds its own answers when its module arrives ([`register`]): the
/// plan's with the training module (its steps 2–4 live in the sections' modules), each section
/// its own, so that no evaluation is carried by the first download.
#[derive(Clone, Copy)]
pub struct Compare {
    pub base: Memo<Option<Answers>>,
    pub current: Memo<Option<Answers>>,
    parts: RwSignal<Vec<(&'static str, Part)>>,
}

impl Compare {
    /// Memos over the app's scenario (the header's language, theme and section change no answer
    /// and do not re-evaluate them).
    pub fn new(scenario: RwSignal<Scenario>) -> Self {
        let fitted = ctx().fit.fitted_law();
        let parts = RwSignal::new(Vec::<(&'static str, Part)>::new());
        let base_s = Memo::new(move |_| scenario.with(|s| s.baseline.as_deref().cloned()));
        let cur_s =
            Memo::new(move |_| scenario.with(|s| s.baseline.is_some().then(|| s.as_baseline())));
        let answers = move |s: &Scenario, fit: Option<&ParametricLaw>| {
            let mut all = Vec::new();
            parts.with(|p| p.iter().for_each(|(_, f)| all.extend(f(s, fit))));
            Answers(all)
        };
        let base = Memo::new(move |_| {
            base_s.with(|b| {
                b.as_ref().map(|b| {
                    // The reader's fit is the fit of the current runs: a baseline with other runs
                    // is evaluated without it. Untracked: a change of the runs changes the fit.
                    let same_runs = scenario.with_untracked(|c| c.runs_csv == b.runs_csv);
                    let fit = fitted.get().filter(|_| same_runs);
                    answers(b, fit.as_ref())
                })
            })
        });
        let current = Memo::new(move |_| {
            let fit = fitted.get();
            cur_s.with(|s| s.as_ref().map(|s| answers(s, fit.as_ref())))
        });
        Self {
            base,
            current,
            parts,
        }
    }
}

/// Adds a section's answers (called by the section's component, in its own module).
pub fn register(name: &'static str, part: Part) {
    if let Some(c) = use_context::<Compare>() {
        if !c
            .parts
            .with_untracked(|p| p.iter().any(|(n, _)| *n == name))
        {
            c.parts.update(|p| p.push((name, part)));
        }
    }
}

/// A baseline or current value written like its card.
fn value_text(l: Lang, unit: Unit, x: f64) -> String {
    match unit {
        Unit::Flop => sci(x),
        Unit::Count => count(l, x),
        Unit::Usd => usd(l, x),
        Unit::Bytes => format!("{} GiB", sig(x / crate::model::num::GIB, 3)),
        Unit::Seconds if x < 1.0 => tf(l, "inf.unit.ms", &[&sig(x * 1e3, 3)]),
        Unit::Seconds => tf(l, "inf.unit.s", &[&sig(x, 3)]),
        Unit::Plain => sig(x, 3),
    }
}

/// Under a result card: "baseline $2.10 · ▼ −12%" while a baseline is pinned and the card has an
/// answer; the change is written (sign and words), its colour only repeats it.
#[component]
pub fn CardDelta(id: &'static str) -> impl IntoView {
    let cmp = use_context::<Compare>();
    let c = ctx();
    move || {
        let cmp = cmp?;
        let l = c.lang.get();
        cmp.base.with(|b| {
            let b = b.as_ref()?;
            let cur = cmp
                .current
                .with(|a| a.as_ref().and_then(|a| a.get(id).copied()));
            let base = b.get(id).copied();
            let any = base.or(cur)?;
            let d = compare::delta(base.map(|a| a.value), cur.map(|a| a.value));
            let (change, class) = match d {
                Delta::Same => (t(l, "cmp.same").to_string(), ""),
                Delta::NotComparable => (t(l, "cmp.na").to_string(), ""),
                Delta::Relative(r) => {
                    let good = match any.better {
                        Better::Higher => Some(r > 0.0),
                        Better::Lower => Some(r < 0.0),
                        Better::Neither => None,
                    };
                    let pct = format!(
                        "{}{}%",
                        if r > 0.0 { "+" } else { "−" },
                        sig(r.abs() * 100.0, 2)
                    );
                    let arrow = if r > 0.0 { "▲ " } else { "▼ " };
                    (
                        format!("{arrow}{pct}"),
                        match good {
                            Some(true) => "better",
                            Some(false) => "worse",
                            None => "",
                        },
                    )
                }
            };
            let shown = base.map_or_else(|| "—".to_string(), |a| value_text(l, a.unit, a.value));
            Some(view! {
                <p class=format!("card-delta {class}") data-delta=id>
                    {tf(l, "cmp.line", &[&shown, &change])}
                </p>
            })
        })
    }
}
