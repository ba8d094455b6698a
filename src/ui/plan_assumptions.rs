//! What the Plan assumes, on the Plan itself (issue 18, item 1): each step's inputs are the fields
//! of the section it comes from (one value, shared), and "Use this model in Training / Inference"
//! hands the plan's model over. Each block arrives with its section's module (see
//! `deferred::PlanPart`), so the plan's first download does not carry it.

use super::ctx;
use super::i18n::{named, t, tf, T};
use super::plan::plan_memo;
use super::widgets::{NumField, PriceHint, SelectField};
use crate::model::scenario::ModelChoice;
use crate::model::{density, hardware, plan, url};
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

/// "What this step assumes (shared with the … section)".
fn assumes(section: &'static str) -> impl IntoView {
    let c = ctx();
    view! { <p class="hint">{move || tf(c.lang.get(), "plan.assumes", &[t(c.lang.get(), section)])}</p> }
}

fn go(id: &str) {
    if let Some(el) = document().get_element_by_id(id) {
        el.scroll_into_view();
    }
}

/// Step 2: the training hardware, GPU count, MFU and price; and the hand-over to Training (the
/// plan's N* and D*, exact, so that the section's numbers are the plan's).
#[component]
pub fn TrainingAssumptions() -> impl IntoView {
    let c = ctx();
    let result = plan_memo();
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
    view! {
        {assumes("nav.training")}
        <div class="inputs assumptions" id="plan-assume-training">
            <SelectField key="gpu" id="plan-f-gpu" label="field.gpu" options=gpu_options()/>
            {num_fields(&[("k", "plan-f-k", "field.gpus"), ("mfu", "plan-f-mfu", "field.mfu")])}
            <div class="field-group">
                <NumField key="price" id="plan-f-price" label="field.price"/>
                <PriceHint gpu_key="gpu" price_key="price" id="plan-price-hint"/>
            </div>
        </div>
        <Show when=move || result.with(|r| r.optimal.is_some())>
            <button class="small" id="plan-to-training" on:click=to_training><T k="plan.to_training"/></button>
        </Show>
    }
}

/// Step 3: the serving hardware and workload; and the hand-over to Inference (the plan's estimated
/// architecture as a `config.json`, on the plan's serving GPU count).
#[component]
pub fn ServingAssumptions() -> impl IntoView {
    let c = ctx();
    let result = plan_memo();
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
    view! {
        {assumes("nav.inference")}
        <div class="inputs assumptions" id="plan-assume-serving">
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
        </div>
        <Show when=move || result.with(|r| r.optimal.is_some())>
            <button class="small" id="plan-to-inference" on:click=to_inference><T k="plan.to_inference"/></button>
        </Show>
    }
}

/// Step 4: the date the plan's model is built, the doubling time and the device.
#[component]
pub fn DensityAssumptions() -> impl IntoView {
    let c = ctx();
    let device_options = Signal::derive(move || {
        let l = c.lang.get();
        density::device::DEVICES
            .iter()
            .map(|d| {
                (
                    d.id.to_string(),
                    named(l, &format!("density.device.{}", d.id), d.name),
                )
            })
            .collect::<Vec<_>>()
    });
    let bits_options = Signal::derive(move || {
        let l = c.lang.get();
        url::BIT_WIDTHS
            .iter()
            .map(|b| (b.to_string(), tf(l, "density.bits", &[&b.to_string()])))
            .collect::<Vec<_>>()
    });
    view! {
        {assumes("nav.density")}
        <div class="inputs assumptions" id="plan-assume-density">
            <NumField key="dd" id="plan-f-dd" label="density.field.dd" placeholder="YYYY-MM-DD" text_mode=true/>
            {num_fields(&[("dm", "plan-f-dm", "density.field.dm")])}
            <SelectField key="dev" id="plan-f-dev" label="density.field.dev" options=device_options/>
            <SelectField key="dbits" id="plan-f-dbits" label="density.field.dbits" options=bits_options/>
        </div>
    }
}
