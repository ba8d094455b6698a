//! Two scenarios side by side (issue 18, item 11): the pinned baseline's answers, and under each
//! result card the baseline's value and the change (`model::compare` computes both).

use super::ctx;
use super::i18n::{count, sci, t, tf, usd};
use crate::model::compare::{self, Answers, Better, Delta, Unit};
use crate::model::num::sig;
use crate::model::scenario::{Lang, Scenario};
use leptos::prelude::*;

/// One section's answers (`model::compare::training_answers`, …).
pub type Part = fn(&Scenario) -> Vec<compare::Answer>;

/// The baseline's answers and the current scenario's, provided by the app; both are evaluated
/// lazily (only while a card reads them, that is while a baseline is pinned), once per change.
/// The plan's answers come with the main module; each deferred section adds its own when it
/// arrives ([`register`]), so that their evaluation stays in the section's module.
#[derive(Clone, Copy)]
pub struct Compare {
    pub base: Memo<Option<Answers>>,
    pub current: Memo<Option<Answers>>,
    parts: RwSignal<Vec<(&'static str, Part)>>,
}

impl Compare {
    /// Memos over the app's scenario and the shared plan result (the header's language, theme
    /// and section change no answer and do not re-evaluate them).
    pub fn new(scenario: RwSignal<Scenario>, plan: Memo<crate::model::plan::PlanResult>) -> Self {
        let fitted = ctx().fit.fitted_law();
        let parts = RwSignal::new(Vec::<(&'static str, Part)>::new());
        let base_s = Memo::new(move |_| scenario.with(|s| s.baseline.as_deref().cloned()));
        let cur_s =
            Memo::new(move |_| scenario.with(|s| s.baseline.is_some().then(|| s.as_baseline())));
        let sections = move |s: &Scenario, mut all: Vec<compare::Answer>| {
            parts.with(|p| p.iter().for_each(|(_, f)| all.extend(f(s))));
            Answers(all)
        };
        let base = Memo::new(move |_| {
            base_s.with(|b| {
                b.as_ref().map(|b| {
                    // The reader's fit is the fit of the current runs: a baseline with other runs
                    // is evaluated without it. Untracked: a change of the runs changes the fit.
                    let same_runs = scenario.with_untracked(|c| c.runs_csv == b.runs_csv);
                    let fit = fitted.get().filter(|_| same_runs);
                    let p = crate::model::plan::evaluate_with_fit(&b.plan(), fit.as_ref());
                    sections(b, compare::plan_answers(&p))
                })
            })
        });
        let current = Memo::new(move |_| {
            cur_s.with(|s| {
                s.as_ref()
                    .map(|s| sections(s, plan.with(compare::plan_answers)))
            })
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

/// A baseline or current value written like its card (`id` tells a section's own units).
fn value_text(l: Lang, id: &str, unit: Unit, x: f64) -> String {
    match unit {
        Unit::Flop => sci(x),
        Unit::Count => count(l, x),
        Unit::Usd => usd(l, x),
        Unit::Bytes if id.starts_with("inf-") => format!("{} GiB", sig(x / 1_073_741_824.0, 3)),
        Unit::Bytes => format!("{} GB", sig(x / 1e9, 3)),
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
            let shown =
                base.map_or_else(|| "—".to_string(), |a| value_text(l, id, a.unit, a.value));
            Some(view! {
                <p class=format!("card-delta {class}") data-delta=id>
                    {tf(l, "cmp.line", &[&shown, &change])}
                </p>
            })
        })
    }
}
