//! Steps 2–4 of the Plan (training the model, serving it, the density curve), each computed and
//! shown by the module of the section it comes from (see `deferred::PlanPart`), so the plan's
//! first download carries only step 1. Each step shows what it assumes, on the Plan itself
//! (issue 18, item 1): the fields of its section (one value, shared), and "Use this model in
//! Training / Inference" hands the plan's model over.

use super::ctx;
use super::i18n::{count, named, t, tf, usd, T};
use super::notes::plan_note;
use super::plan::plan_memo;
use super::widgets::{NumField, PriceHint, ResultCard, SelectField};
use crate::model::explain::Explained;
use crate::model::plan::{PlanHow, PlanInput, PlanNote, PlanResult};
use crate::model::scenario::{Lang, ModelChoice, Scenario};
use crate::model::{density, hardware, num, plan};
use leptos::prelude::*;

/// Number fields from a list of (scenario key, element id, label key): one code path for all.
fn num_fields(list: &'static [(&'static str, &'static str, &'static str)]) -> impl IntoView {
    list.iter()
        .map(|&(key, id, label)| view! { <NumField key=key id=id label=label/> })
        .collect_view()
}

fn gpu_options() -> Signal<Vec<(String, String)>> {
    Signal::derive(move || {
        hardware::GPUS
            .iter()
            .map(|g| (g.id.to_string(), g.name.to_string()))
            .collect()
    })
}

/// A step's assumptions: one line naming them (always visible), and their fields on demand
/// (the answer cards stay near the top: issue 18, item 4). `summary` words the values in the
/// reader's language; `section` is the nav key of the section they are shared with.
fn assumptions(
    id: &'static str,
    section: &'static str,
    summary: impl Fn(Lang, &Scenario) -> String + Send + Sync + 'static,
    fields: impl IntoView + 'static,
) -> impl IntoView {
    let c = ctx();
    view! {
        <details class="assumptions" id=id>
            <summary>
                <span class="assumed">{move || { let l = c.lang.get(); c.scenario.with(|s| summary(l, s)) }}</span>
                " "<span class="edit">{move || tf(c.lang.get(), "plan.assumes", &[t(c.lang.get(), section)])}</span>
            </summary>
            <div class="inputs">{fields}</div>
        </details>
    }
}

fn gpu_name(id: &str) -> &str {
    hardware::gpu(id).map_or(id, |g| g.name)
}

/// The plan's result with one more step of the chain (`add`), recomputed when step 1 or the
/// step's inputs change.
pub fn with_step(add: fn(&mut PlanResult, &PlanInput)) -> Memo<PlanResult> {
    let c = ctx();
    let base = plan_memo();
    let inputs = Memo::new(move |_| c.scenario.with(Scenario::plan));
    Memo::new(move |_| {
        let mut r = base.get();
        inputs.with(|i| add(&mut r, i));
        r
    })
}

/// The field of a plan's "how" that explains one card.
type HowField = fn(&PlanHow) -> &Option<Explained>;

/// The whole chain now (step 1 from the shared memo, steps 2–4 evaluated here), for the exports:
/// called from the charts module, never from the first download.
pub fn whole_plan(step1: Memo<PlanResult>, s: &Scenario) -> PlanResult {
    let mut r = step1.get_untracked();
    let i = s.plan();
    plan::add_training(&mut r, &i);
    plan::add_serving(&mut r, &i);
    plan::add_density(&mut r, &i);
    r
}

/// A step's "how" for the card of `f`.
fn how_of(result: Memo<PlanResult>) -> impl Fn(HowField) -> Signal<Option<Explained>> + Copy {
    let how = Memo::new(move |_| result.with(PlanResult::how));
    move |f| Signal::derive(move || how.with(|h| f(h).clone()))
}

fn dash() -> String {
    "—".to_string()
}

fn go(id: &str) {
    if let Some(el) = document().get_element_by_id(id) {
        el.scroll_into_view();
    }
}

/// Step 2: the training hardware, GPU count, MFU and price; and the hand-over to Training (the
/// plan's N* and D*, exact, so that the section's numbers are the plan's).
#[component]
pub fn TrainingStep() -> impl IntoView {
    let c = ctx();
    let result = with_step(plan::add_training);
    // The plan's answers for a pinned baseline (the whole chain, evaluated here, not in the
    // first download).
    super::compare::register("plan", |s, fit| {
        crate::model::compare::plan_answers(&plan::evaluate_with_fit(&s.plan(), fit))
    });
    let explained = how_of(result);
    let tr = move |f: fn(&crate::model::training::TrainingResult) -> Option<f64>| {
        result.with(|r| r.training.as_ref().and_then(f))
    };
    let to_training = move |_| {
        let Some(o) = result.with_untracked(|r| r.optimal) else {
            return;
        };
        c.scenario.update(|s| {
            s.train_model = None;
            s.params = o.params;
            s.tokens = o.tokens;
        });
        go("training");
    };
    let summary = |l: Lang, s: &Scenario| {
        let run = s.training_run();
        let price = run
            .price_per_gpu_hour
            .or(hardware::gpu(&run.gpu).map(|g| g.price_per_hour_usd))
            .unwrap_or(0.0);
        tf(
            l,
            "plan.assumed.training",
            &[
                &run.gpus.to_string(),
                gpu_name(&run.gpu),
                &num::sig(run.mfu, 3),
                &usd(l, price),
            ],
        )
    };
    let cost = Signal::derive(move || {
        let l = c.lang.get();
        tr(|t| Some(t.cost_usd))
            .map(|x| usd(l, x))
            .unwrap_or_else(dash)
    });
    super::plan::feed_key(|k| k.cost, cost);
    view! {
        {assumptions("plan-assume-training", "nav.training", summary, view! {
            <SelectField key="gpu" id="plan-f-gpu" label="field.gpu" options=gpu_options()/>
            {num_fields(&[("k", "plan-f-k", "field.gpus"), ("mfu", "plan-f-mfu", "field.mfu")])}
            <div class="field-group">
                <NumField key="price" id="plan-f-price" label="field.price"/>
                <PriceHint gpu_key="gpu" price_key="price" id="plan-price-hint"/>
            </div>
        })}
        <div class="cards">
            <ResultCard id="plan-gpu-hours" label="out.gpu_hours"
                value=Signal::derive(move || { let l = c.lang.get(); tr(|t| Some(t.gpu_hours)).map(|x| count(l, x)).unwrap_or_else(dash) })
                how=explained(|h| &h.gpu_hours)/>
            <ResultCard id="plan-days" label="out.wall_days"
                value=Signal::derive(move || tr(|t| Some(t.wall_days)).map(|x| num::sig(x, 3)).unwrap_or_else(dash))
                how=explained(|h| &h.wall_days)
                warn=Signal::derive(move || { let l = c.lang.get(); tr(|t| Some(t.wall_days)).and_then(crate::model::training::wall_clock_flag).map(|_| super::training::wall_clock_text(l, tr(|t| Some(t.wall_days)).unwrap_or_default())) })/>
            <ResultCard id="plan-cost" label="out.cost"
                value=cost
                how=explained(|h| &h.cost_usd)/>
            <ResultCard id="plan-mwh" label="out.energy"
                value=Signal::derive(move || tr(|t| t.energy_mwh).map(|x| num::sig(x, 3)).unwrap_or_else(dash))
                how=explained(|h| &h.energy_mwh)/>
            <ResultCard id="plan-co2" label="out.co2"
                value=Signal::derive(move || tr(|t| t.co2_tonnes).map(|x| num::sig(x, 3)).unwrap_or_else(dash))
                how=explained(|h| &h.co2_tonnes)/>
        </div>
        <Show when=move || result.with(|r| r.optimal.is_some())>
            <button class="small" id="plan-to-training" on:click=to_training><T k="plan.to_training"/></button>
        </Show>
    }
}

/// Step 3: the serving hardware and workload; and the hand-over to Inference (the plan's estimated
/// architecture as a `config.json`, on the plan's serving GPU count).
#[component]
pub fn ServingStep() -> impl IntoView {
    let c = ctx();
    let result = with_step(plan::add_serving);
    let explained = how_of(result);
    let inf = move |f: fn(&crate::model::inference::InferenceResult) -> Option<f64>| {
        result.with(|r| r.serving.as_ref().and_then(f))
    };
    let to_inference = move |_| {
        let Some((o, gpus)) = result.with_untracked(|r| r.optimal.map(|o| (o, r.serving_gpus)))
        else {
            return;
        };
        let Some(cfg) = plan::estimated_architecture(o.params).to_hf_config() else {
            return;
        };
        c.scenario.update(|s| {
            s.inf_model = ModelChoice::Pasted;
            s.custom_config = cfg;
            s.inf_gpus = gpus;
        });
        go("inference");
    };
    let summary = |l: Lang, s: &Scenario| {
        tf(
            l,
            "plan.assumed.serving",
            &[
                &s.inf_gpus.to_string(),
                gpu_name(&s.inf_gpu),
                &s.batch.to_string(),
                &count(l, f64::from(s.input_tokens)),
                &count(l, f64::from(s.output_tokens)),
                &usd(l, s.inf_price_per_gpu_hour),
            ],
        )
    };
    let usd_per_m = Signal::derive(move || {
        let l = c.lang.get();
        inf(|i| {
            i.economics
                .as_ref()
                .map(|e| e.cost_per_million_output_tokens_usd)
        })
        .map(|x| usd(l, x))
        .unwrap_or_else(dash)
    });
    super::plan::feed_key(|k| k.usd_per_m, usd_per_m);
    view! {
        <p class="intro" id="plan-serving-note">{move || {
            let l = c.lang.get();
            result.with(|r| tf(l, "plan.serving_note", &[&r.serving_gpus.to_string(), gpu_name(&r.serving.as_ref().map_or(String::new(), |s| s.gpu.clone()))]))
        }}</p>
        {assumptions("plan-assume-serving", "nav.inference", summary, view! {
            <SelectField key="igpu" id="plan-f-igpu" label="field.igpu" options=gpu_options()/>
            {num_fields(&[
                ("itp", "plan-f-itp", "field.itp"),
                ("b", "plan-f-b", "inf.field.batch"),
                ("in", "plan-f-in", "inf.field.input"),
                ("out", "plan-f-out", "inf.field.output"),
            ])}
            <div class="field-group">
                <NumField key="iprice" id="plan-f-iprice" label="field.iprice"/>
                <PriceHint gpu_key="igpu" price_key="iprice" id="plan-iprice-hint"/>
            </div>
        })}
        <div class="cards">
            <ResultCard id="plan-usd-per-m" label="out.usd_per_m_out"
                value=usd_per_m
                how=explained(|h| &h.cost_per_million_output_tokens_usd)/>
            <ResultCard id="plan-usd-per-m-in" label="out.usd_per_m_in"
                value=Signal::derive(move || { let l = c.lang.get(); inf(|i| i.economics.as_ref().map(|e| e.cost_per_million_input_tokens_usd)).map(|x| usd(l, x)).unwrap_or_else(dash) })
                how=explained(|h| &h.cost_per_million_input_tokens_usd)/>
            <ResultCard id="plan-tps" label="out.tokens_per_s"
                value=Signal::derive(move || inf(|i| i.analysis.as_ref().map(|a| a.output_tokens_per_second)).map(|x| num::sig(x, 3)).unwrap_or_else(dash))
                how=explained(|h| &h.output_tokens_per_second)/>
        </div>
        // Serving's own notes (more GPUs than asked, when the model does not fit).
        {move || {
            let l = c.lang.get();
            result.with(|r| {
                let notes: Vec<String> = r.notes.iter().filter(|n| matches!(n, PlanNote::ServingGpusRaised { .. })).map(|n| plan_note(l, n)).collect();
                (!notes.is_empty()).then(|| view! {
                    <ul class="notes" id="plan-serving-notes">{notes.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul>
                })
            })
        }}
        <Show when=move || result.with(|r| r.optimal.is_some())>
            <button class="small" id="plan-to-inference" on:click=to_inference><T k="plan.to_inference"/></button>
        </Show>
    }
}

/// Step 4: the date the plan's model is built, the doubling time and the device.
#[component]
pub fn DensityStep() -> impl IntoView {
    let c = ctx();
    let result = with_step(plan::add_density);
    let explained = how_of(result);
    let (device_options, bits_options) = (
        super::density::device_options(),
        super::density::bits_options(),
    );
    let summary = |l: Lang, s: &Scenario| {
        let dev = density::device::DEVICES
            .iter()
            .find(|d| d.id == s.device)
            .map_or_else(
                || s.device.clone(),
                |d| named(l, &format!("density.device.{}", d.id), d.name),
            );
        tf(
            l,
            "plan.assumed.density",
            &[
                &s.target_date.to_string(),
                &num::sig(s.doubling_months, 3),
                &dev,
                &s.device_bits.to_string(),
            ],
        )
    };
    view! {
        {assumptions("plan-assume-density", "nav.density", summary, view! {
            <NumField key="dd" id="plan-f-dd" label="density.field.dd" placeholder="YYYY-MM-DD" text_mode=true/>
            {num_fields(&[("dm", "plan-f-dm", "density.field.dm")])}
            <SelectField key="dev" id="plan-f-dev" label="density.field.dev" options=device_options/>
            <SelectField key="dbits" id="plan-f-dbits" label="density.field.dbits" options=bits_options/>
        })}
        <div class="cards">
            <ResultCard id="plan-ref-era" label="out.reference_era_params"
                value=Signal::derive(move || { let l = c.lang.get(); result.with(|r| r.density.as_ref().map(|d| count(l, d.reference_era_params))).unwrap_or_else(dash) })
                how=explained(|h| &h.reference_era_params)/>
            <ResultCard id="plan-device-date" label="out.fits_device_on"
                value=Signal::derive(move || result.with(|r| r.density.as_ref().and_then(|d| d.fits_device_on.clone())).unwrap_or_else(dash))
                how=explained(|h| &h.fits_device_on)/>
        </div>
    }
}
