//! The four sections below the plan, each in its own wasm module.
//!
//! The page's release build (`x build`, see the README's "Speed and size") links with
//! `--emit-relocs` and runs `wasm-split`: every function marked `#[wasm_split(…)]` here, with the code
//! only it reaches, moves into a module of its own that is fetched when first called. The first
//! download is then the shell and the plan; the sections are requested at once after it, in
//! parallel, while the plan is already usable — so the page still works offline once loaded.
//! On other targets (native tests) the functions are called directly.
//!
//! A section that fails to arrive (the network dropped) shows why and a Retry button; the rest
//! of the page and the scenario stay.

use super::chart::ChartView;
use super::i18n::T;
use super::text::sources;
use super::{density, inference, plan_steps, scaling, training};
use crate::chart::line::LineChart;
use crate::model::scenario::Section;
use leptos::prelude::*;
#[cfg(not(feature = "unsplit"))]
use leptos::wasm_split::{wasm_split, SplitLoaderError};

/// A section's module did not load.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LoadFailed;

#[cfg(not(feature = "unsplit"))]
impl From<SplitLoaderError> for LoadFailed {
    fn from(_: SplitLoaderError) -> Self {
        LoadFailed
    }
}

/// Declares a part that arrives as a module of its own: with the page's release build (the default),
/// `#[wasm_split]` moves the body and what only it reaches into the module `$part`; with the
/// `unsplit` feature (Trunk's development build, `index.html`), it is a plain async function in the
/// one module, so `trunk serve` needs no wasm-split step.
macro_rules! part {
    ($(#[$attr:meta])* $part:ident fn $name:ident($($arg:ident: $ty:ty),*) $body:block) => {
        $(#[$attr])*
        #[cfg(not(feature = "unsplit"))]
        #[wasm_split($part, wasm_split_path = ::leptos::wasm_split, fallible)]
        fn $name($($arg: $ty),*) -> Result<AnyView, LoadFailed> {
            Ok(untrack(|| $body.into_any()))
        }

        $(#[$attr])*
        #[cfg(feature = "unsplit")]
        async fn $name($($arg: $ty),*) -> Result<AnyView, LoadFailed> {
            Ok(untrack(|| $body.into_any()))
        }
    };
}

part!(scaling fn scaling_view() { sources::register(); view! { <scaling::ScalingSection/> } });
part!(density fn density_view() { sources::register(); view! { <density::DensitySection/> } });
part!(training fn training_view() { sources::register(); view! { <training::TrainingSection/> } });
part!(inference fn inference_view() { sources::register(); view! { <inference::InferenceSection/> } });
// The plan's steps 2–4 come with the section each is shared with (issue 18, item 1).
part!(training fn plan_training_part() { view! { <plan_steps::TrainingStep/> } });
part!(inference fn plan_serving_part() { view! { <plan_steps::ServingStep/> } });
part!(density fn plan_density_part() { view! { <plan_steps::DensityStep/> } });
part!(
    /// The plotting code (plotters on a canvas, read-out, exports) is wanted by the plan's one chart
    /// and by every section's: it comes as a module of its own, so the plan's numbers need not wait.
    charts fn chart_view(id: &'static str, title: &'static str, chart: Signal<LineChart>) {
        // The words that explain symbols and terms come with this module (see `text::symbols`).
        {
            use super::text::symbols as w;
            super::i18n::register_words(super::i18n::Words {
                common: w::COMMON,
                by_key: w::BY_KEY,
                glossary: w::GLOSSARY,
                units: w::UNITS,
                meanings: super::i18n::meanings_in,
            });
        }
        sources::register();
        view! { <ChartView id=id title=title chart=chart/> }
    }
);

/// What the header's exports ask of the charts module (which holds the exports' code).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Export {
    /// Save the scenario file: inputs and the plan's results.
    ScenarioFile,
    /// Copy the Markdown summary, in the page's language.
    Summary,
}

/// Runs an export in the charts module, with the scenario, the plan's result (evaluated now if
/// it was not), the language and the page's link.
#[cfg(not(feature = "unsplit"))]
#[wasm_split(charts, wasm_split_path = ::leptos::wasm_split, fallible)]
pub fn export(
    kind: Export,
    scenario: crate::model::scenario::Scenario,
    plan: Memo<crate::model::plan::PlanResult>,
    lang: crate::model::scenario::Lang,
    link: String,
) -> Result<(), LoadFailed> {
    run_export(kind, &scenario, plan, lang, &link);
    Ok(())
}

/// See the split build's `export`.
#[cfg(feature = "unsplit")]
pub async fn export(
    kind: Export,
    scenario: crate::model::scenario::Scenario,
    plan: Memo<crate::model::plan::PlanResult>,
    lang: crate::model::scenario::Lang,
    link: String,
) -> Result<(), LoadFailed> {
    run_export(kind, &scenario, plan, lang, &link);
    Ok(())
}

fn run_export(
    kind: Export,
    s: &crate::model::scenario::Scenario,
    plan: Memo<crate::model::plan::PlanResult>,
    lang: crate::model::scenario::Lang,
    link: &str,
) {
    use super::exports;
    // The shared memo holds the plan's step 1; the exports want the whole chain.
    let r = super::plan_steps::whole_plan(plan, s);
    match kind {
        Export::ScenarioFile => exports::save_scenario(s, &r),
        Export::Summary => exports::copy_summary(lang, s, &r, link),
    }
}

/// The plan's chart: the figure's caption and space at once, the chart when its module is in.
#[component]
pub fn DeferredChart(
    id: &'static str,
    title: &'static str,
    #[prop(into)] chart: Signal<LineChart>,
) -> impl IntoView {
    arriving(
        Section::Plan,
        ("deferred.loading_chart", "deferred.chart_failed"),
        move || chart_view(id, title, chart),
        move |busy, status| {
            view! {
                <figure class="chart" id=format!("chart-{id}") aria-busy=busy.to_string()>
                    <figcaption><T k=title/></figcaption>
                    <div class="chart-waiting">{status}</div>
                </figure>
            }
        },
    )
}

/// What a step of the plan assumes: its section's fields, which arrive with that section's module.
#[component]
pub fn PlanPart(step: Section) -> impl IntoView {
    arriving(
        Section::Plan,
        ("deferred.loading_fields", "deferred.failed"),
        move || async move {
            match step {
                Section::Training => plan_training_part().await,
                Section::Inference => plan_serving_part().await,
                _ => plan_density_part().await,
            }
        },
        move |busy, status| view! { <div class="assumptions" aria-busy=busy.to_string()>{status}</div> },
    )
}

/// A part that arrives as a module of its own: `frame(busy, status)` with a loading line until
/// `load` gives the part, then the part (and the app is told); if it fails, `frame` with the
/// failure (`messages`: loading and failure keys) and a Retry button that loads it again.
fn arriving<Fut, V>(
    part: Section,
    messages: (&'static str, &'static str),
    load: impl Fn() -> Fut + Copy + Send + Sync + 'static,
    frame: impl Fn(bool, AnyView) -> V + Copy + Send + Sync + 'static,
) -> impl IntoView
where
    Fut: std::future::Future<Output = Result<AnyView, LoadFailed>> + Send + 'static,
    V: IntoView + 'static,
{
    let attempt = RwSignal::new(0u32);
    let (loading, failed) = messages;
    let shown = move |busy: bool| {
        let status = if busy {
            view! { <p class="intro"><T k=loading/></p> }.into_any()
        } else {
            retry_view(attempt, failed).into_any()
        };
        frame(busy, status).into_any()
    };
    view! {
        <Suspense fallback=move || shown(true)>
            {move || {
                attempt.track();
                Suspend::new(async move {
                    match load().await {
                        Ok(v) => view! { {v} <Arrived part=part/> }.into_any(),
                        Err(LoadFailed) => shown(false),
                    }
                })
            }}
        </Suspense>
    }
}

fn retry_view(attempt: RwSignal<u32>, message: &'static str) -> impl IntoView {
    view! {
        <p role="alert" class="failed"><T k=message/></p>
        <button on:click=move |_| attempt.update(|n| *n += 1)><T k="deferred.retry"/></button>
    }
}

/// What arrives after the first download: the four sections, the plan's chart and the plan's three
/// assumption blocks. The page is fully rendered once all have (see `section_arrived` in `ui/mod.rs`).
pub const PARTS: usize = SECTIONS.len() + 1 + 3;

/// Told as each deferred part is in the page (provided by the app).
#[derive(Clone, Copy)]
pub struct Arrivals(pub Callback<Section>);

/// The deferred sections, in page order.
pub const SECTIONS: [Section; 4] = [
    Section::Scaling,
    Section::Density,
    Section::Training,
    Section::Inference,
];

// The views are built `untrack`ed, so that no signal read while a section is built can subscribe
// the `Suspend` around it and have the whole section built anew at a change (losing focus and
// costing a full render). Today's sections read none (a browser test checks that they stay the
// same elements); this keeps it so.
async fn load(sec: Section) -> Result<AnyView, LoadFailed> {
    match sec {
        Section::Scaling => scaling_view().await,
        Section::Density => density_view().await,
        Section::Training => training_view().await,
        Section::Inference => inference_view().await,
        Section::Plan => Err(LoadFailed),
    }
}

fn title_key(sec: Section) -> &'static str {
    match sec {
        Section::Plan => "plan.title",
        Section::Scaling => "scaling.title",
        Section::Density => "density.title",
        Section::Training => "train.title",
        Section::Inference => "inf.title",
    }
}

/// One deferred section: a titled placeholder (keeping the section's anchor) until its module
/// arrives, then the section itself; on failure a message and Retry.
#[component]
pub fn Deferred(sec: Section) -> impl IntoView {
    let id = sec.as_str();
    arriving(
        sec,
        ("deferred.loading", "deferred.failed"),
        move || load(sec),
        move |busy, status| {
            view! {
                <section id=id class="deferred" aria-busy=busy.to_string() aria-labelledby=format!("{id}-title")>
                    <h2 id=format!("{id}-title")><T k=title_key(sec)/></h2>
                    {status}
                </section>
            }
        },
    )
}

/// Rendered right after a deferred part: tells the app once the part is in the document.
#[component]
fn Arrived(part: Section) -> impl IntoView {
    let arrivals = use_context::<Arrivals>();
    // The effect runs once the part is built; the `Suspense` puts it in the page in the same
    // turn, so it is there by the next frame.
    Effect::new(move |_| {
        if let Some(Arrivals(cb)) = arrivals {
            request_animation_frame(move || cb.run(part));
        }
    });
}
