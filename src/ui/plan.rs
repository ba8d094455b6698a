//! The Plan section: one chain from a budget to a price per token, each step linked to its section.

use super::ctx;
use super::deferred::{DeferredChart, PlanPart};
use super::i18n::{count, sci, t, usd};
use super::notes::plan_note;
use super::widgets::{How, KeyAnswers, KeyItem, NumField, ResultCard, SelectField};
use crate::chart::optimal::{optimal_chart, OptimalLabels};
use crate::model::explain::Explained;
use crate::model::scenario::{BudgetMode, Lang, LawChoice, Section};
use crate::model::{hardware, num, plan, scaling};
use crate::ui::i18n::T;
use leptos::prelude::*;

/// The plan's one result memo, provided by the app to every section that shows it (the plan and
/// the atlas), so that it is evaluated once per change (lazily: only when read).
#[derive(Clone, Copy)]
pub struct SharedPlan(pub Memo<plan::PlanResult>);

/// The shared plan result (see [`SharedPlan`]); a new memo where none was provided.
pub fn plan_memo() -> Memo<plan::PlanResult> {
    use_context::<SharedPlan>().map_or_else(new_plan_memo, |p| p.0)
}

/// A new memo of the plan's result.
pub fn new_plan_memo() -> Memo<plan::PlanResult> {
    let c = ctx();
    let fitted = c.fit.fitted_law();
    // The plan's inputs (every section's, composed): the header's language or theme does not
    // re-evaluate it.
    let inputs = Memo::new(move |_| c.scenario.with(|s| s.plan()));
    Memo::new(move |_| {
        let f = fitted.get();
        // Step 1 only: the chain's other steps are computed by their sections' modules.
        inputs.with(|s| plan::evaluate_model(s, f.as_ref()))
    })
}

/// The plan's key answers that later steps compute (in their sections' modules): each step's
/// module writes its value here, and the key answers at the top of the plan read it ("…" until
/// the module has arrived).
#[derive(Clone, Copy)]
pub struct PlanKeys {
    pub cost: RwSignal<Option<String>>,
    pub usd_per_m: RwSignal<Option<String>>,
}

/// Keeps `slot` of the plan's key answers equal to `value` (called by a step's module).
pub fn feed_key(slot: fn(&PlanKeys) -> RwSignal<Option<String>>, value: Signal<String>) {
    if let Some(k) = use_context::<PlanKeys>() {
        let target = slot(&k);
        Effect::new(move |_| target.set(Some(value.get())));
    }
}

#[component]
pub fn PlanSection() -> impl IntoView {
    let c = ctx();
    let result = plan_memo();
    let keys = PlanKeys {
        cost: RwSignal::new(None),
        usd_per_m: RwSignal::new(None),
    };
    provide_context(keys);
    let pending = |slot: RwSignal<Option<String>>| {
        Signal::derive(move || slot.get().unwrap_or_else(|| "…".into()))
    };
    let how = Memo::new(move |_| result.with(|r| r.how()));
    let explained = move |f: fn(&plan::PlanHow) -> &Option<Explained>| {
        Signal::derive(move || how.with(|h| f(h).clone()))
    };
    let chart = Signal::derive(move || {
        let lang = c.lang.get();
        let labels = OptimalLabels {
            x: t(lang, "chart.optimal.x").into(),
            y: t(lang, "chart.optimal.y").into(),
            params: t(lang, "chart.optimal.params").into(),
            tokens: t(lang, "chart.optimal.tokens").into(),
            budget: t(lang, "chart.budget").into(),
        };
        result.with(|r| optimal_chart(&r.law_constants, r.flops, &labels))
    });
    let dash = || "—".to_string();
    let opt = move |f: fn(&scaling::Optimum) -> f64| result.with(|r| r.optimal.as_ref().map(f));
    let short = move |f: fn(&scaling::Optimum) -> f64| {
        Signal::derive(move || {
            let l = c.lang.get();
            opt(f).map(|x| count(l, x)).unwrap_or_else(dash)
        })
    };
    let key_items = vec![
        KeyItem::new("out.params", "out-params", short(|o| o.params)),
        KeyItem::new("out.tokens", "out-tokens", short(|o| o.tokens)),
        KeyItem::new("out.cost", "plan-cost", pending(keys.cost)),
        KeyItem::new(
            "out.usd_per_m_out",
            "plan-usd-per-m",
            pending(keys.usd_per_m),
        ),
    ];
    view! {
        <section id="plan" aria-labelledby="plan-title">
            <h2 id="plan-title"><T k="plan.title"/></h2>
            <KeyAnswers id="plan-keys" items=key_items/>
            <p class="intro"><T k="plan.intro"/></p>
            <PlanInputs/>
            <h3><a href="#scaling"><T k="plan.step.model"/></a></h3>
            <div class="cards">
                <ResultCard id="out-flops" label="out.flops"
                    value=Signal::derive(move || result.with(|r| sci(r.flops)))
                    how=explained(|h| &h.flops)/>
                <ResultCard id="out-params" label="out.params"
                    value=Signal::derive(move || { let l = c.lang.get(); opt(|o| o.params).map(|p| format!("{} ({})", count(l, p), sci(p))).unwrap_or_else(dash) })
                    how=explained(|h| &h.optimal_params)/>
                <ResultCard id="out-tokens" label="out.tokens"
                    value=Signal::derive(move || { let l = c.lang.get(); opt(|o| o.tokens).map(|p| format!("{} ({})", count(l, p), sci(p))).unwrap_or_else(dash) })
                    how=explained(|h| &h.optimal_tokens)/>
                <ResultCard id="out-tpp" label="out.tokens_per_param"
                    value=Signal::derive(move || opt(|o| o.tokens_per_param).map(|x| num::sig(x, 3)).unwrap_or_else(dash))
                    how=explained(|h| &h.optimal_tokens_per_param)/>
                <ResultCard id="out-loss" label="out.loss"
                    value=Signal::derive(move || { let l = c.lang.get(); result.with(|r| r.optimal.and_then(|o| o.loss)).map(|x| format!("{} {}", num::sig(x, 4), t(l, "unit.nats"))).unwrap_or_else(dash) })
                    how=explained(|h| &h.optimal_loss)/>
            </div>
            // Law "fit" with a bootstrap: the band of N* and D* at the plan's budget.
            {move || {
                let l = c.lang.get();
                let fit_law = result.with(|r| r.scaling.used == LawChoice::Fit);
                let flops = result.with(|r| r.flops);
                c.fit.boot.with(|b| b.as_ref().filter(|_| fit_law).map(|b| {
                    let a = b.at(flops);
                    view! {
                        <p class="hint" id="plan-band">{super::i18n::tf(l, "plan.band", &[
                            &format!("[{}, {}]", count(l, a.params[0]), count(l, a.params[1])),
                            &format!("[{}, {}]", count(l, a.tokens[0]), count(l, a.tokens[1])),
                            &b.resamples.to_string(),
                        ])}</p>
                        <How how=Some(b.band_explained(flops))/>
                    }
                }))
            }}

            <PlanChain/>
            <Show when=move || result.with(|r| !r.notes.is_empty())>
                <ul class="notes" aria-label=move || t(c.lang.get(), "notes")>
                    {move || { let l = c.lang.get(); result.with(|r| r.notes.iter().map(|n| view! { <li>{plan_note(l, n)}</li> }).collect_view()) }}
                </ul>
            </Show>
            <DeferredChart id="optimal" title="chart.optimal.title" chart=chart/>
        </section>
    }
}

/// The budget (compute, money or GPU-days), the GPUs that turn money or days into compute, and
/// the law.
#[component]
fn PlanInputs() -> impl IntoView {
    let c = ctx();
    let plan = plan_memo();
    let offered = super::scaling::fit_offered(c);
    let law_options = Signal::derive(move || {
        let l = c.lang.get();
        scaling::LAWS
            .iter()
            .map(|p| {
                (
                    p.id.to_string(),
                    format!(
                        "{} — {}",
                        super::scaling::law_name(l, p.id),
                        // Chinese names the authors and year; the title stays with the source.
                        match l {
                            Lang::En => p.source.citation,
                            Lang::Zh => p.source.citation.split(',').next().unwrap_or_default(),
                        }
                    ),
                )
            })
            .chain(offered.get().then(|| {
                (
                    LawChoice::FIT.to_string(),
                    super::scaling::law_name(l, LawChoice::FIT),
                )
            }))
            .collect::<Vec<_>>()
    });
    let mode_options = Signal::derive(move || {
        let l = c.lang.get();
        BudgetMode::ALL
            .iter()
            .map(|m| {
                let key = match m {
                    BudgetMode::Flops => "plan.mode.flops",
                    BudgetMode::Usd => "plan.mode.usd",
                    BudgetMode::GpuDays => "plan.mode.gpu_days",
                };
                (m.as_str().to_string(), t(l, key).to_string())
            })
            .collect::<Vec<_>>()
    });
    let mode = move || c.scenario.with(|s| s.budget_mode);
    let slider = move |ev| {
        let v: f64 = event_target_value(&ev).parse().unwrap_or(23.76);
        // Three significant digits keep the link short and readable.
        let flops: f64 = num::sig(10f64.powf(v), 3).parse().unwrap_or(5.76e23);
        c.scenario.update(|s| s.flops = flops);
    };
    view! {
    <div class="inputs">
        <SelectField key="bm" label="field.budget_mode" options=mode_options/>
        <Show when=move || mode() == BudgetMode::Flops>
            <NumField key="c" label="field.flops"/>
            <div class="field">
                <label for="budget-slider"><T k="field.flops_slider"/></label>
                <input id="budget-slider" type="range" min="18" max="27" step="0.01"
                    prop:value=move || c.scenario.with(|s| s.flops.log10().to_string())
                    on:input=slider/>
            </div>
        </Show>
        <Show when=move || mode() == BudgetMode::Usd>
            <NumField key="usd" label="field.usd"/>
        </Show>
        <Show when=move || mode() == BudgetMode::GpuDays>
            <NumField key="days" label="field.days"/>
        </Show>
        <SelectField key="law" label="field.law" options=law_options/>
        <super::scaling::FitLawNote id="plan-law-fit-note" used=Signal::derive(move || plan.with(|r| r.law.clone()))/>
    </div>
    // Money or days become compute through the training hardware of step 2: say with what.
    <Show when=move || mode() != BudgetMode::Flops>
        <p class="hint" id="plan-budget-converted">{move || {
            let l = c.lang.get();
            c.scenario.with(|s| {
                let run = s.training_run();
                let g = hardware::gpu(&run.gpu);
                let price = run.price_per_gpu_hour.or(g.map(|g| g.price_per_hour_usd)).unwrap_or(0.0);
                super::i18n::tf(l, "plan.budget_converted", &[
                    &run.gpus.to_string(),
                    g.map_or(run.gpu.as_str(), |g| g.name),
                    &num::sig(run.mfu, 3),
                    &usd(l, price),
                ])
            })
        }}</p>
    </Show>

    }
}

/// The chain after the model: training it, serving it, and where it sits on the density curve;
/// each step comes with the module of its section (`plan_steps`).
#[component]
fn PlanChain() -> impl IntoView {
    view! {
        <h3><a href="#training"><T k="plan.step.training"/></a></h3>
        <PlanPart step=Section::Training/>
        <h3><a href="#inference"><T k="plan.step.serving"/></a></h3>
        <PlanPart step=Section::Inference/>
        <h3><a href="#density"><T k="plan.step.density"/></a></h3>
        <PlanPart step=Section::Density/>
    }
}
