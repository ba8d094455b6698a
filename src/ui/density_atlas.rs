//! The atlas panel of the density section (issue 17): real models and real prices — density
//! against date with the doubling time fitted on them, the cheapest price of a capability with
//! its halving time, the date the frontier fits a device, the reader's own rows on the same
//! charts, and every point's source.

use super::chart::ChartView;
use super::ctx;
use super::i18n::{t, tf};
use super::widgets::{NumField, Refused, ResultCard, SelectField, TextSetter};
use crate::chart::atlas::{density_atlas_chart, price_atlas_chart, AtlasLabels};
use crate::model::atlas::density::{AtlasFitError, FAMILIES};
use crate::model::atlas::view::{
    self, AtlasHow, AtlasView, EdgeAnswer, EdgeError, UserModels, Weights,
};
use crate::model::atlas::{
    self, AtlasError, AtlasModel, AtlasPrice, Benchmark, PriceScore, RowError, RowReason,
};
use crate::model::date::Date;
use crate::model::density::device;
use crate::model::density::fit::FitError;
use crate::model::explain::Explained;
use crate::model::num;
use crate::model::scenario::Lang;
use crate::model::scenario::Scenario;
use crate::ui::i18n::T;
use leptos::prelude::*;
use std::sync::OnceLock;
use wasm_bindgen::JsCast;

/// The shipped tables, parsed once.
struct Shipped {
    models: Vec<AtlasModel>,
    prices: Vec<AtlasPrice>,
    scores: Vec<PriceScore>,
}

fn shipped() -> &'static Shipped {
    static S: OnceLock<Shipped> = OnceLock::new();
    S.get_or_init(|| Shipped {
        models: atlas::shipped_models(),
        prices: atlas::shipped_prices(),
        scores: atlas::shipped_price_scores(),
    })
}

fn labels(l: Lang) -> AtlasLabels {
    let s = |k: &str| t(l, k).to_string();
    AtlasLabels {
        x: s("chart.atlas.x"),
        y_density: s("chart.atlas.y_density"),
        y_price: s("chart.atlas.y_price"),
        open: s("chart.atlas.open"),
        closed: s("chart.atlas.closed"),
        yours: s("chart.atlas.yours"),
        fit: s("chart.atlas.fit"),
        design: s("chart.atlas.design"),
        paper: s("chart.atlas.paper"),
        prices: s("chart.atlas.prices"),
        cheapest: s("chart.atlas.cheapest"),
        halving: s("chart.atlas.halving"),
        plan: s("chart.atlas.plan"),
        talk: s("chart.atlas.talk"),
    }
}

/// A bad row of the reader's table, in the reader's language.
pub fn row_error_text(l: Lang, e: &RowError) -> String {
    let reason = match &e.reason {
        RowReason::Csv { message } => tf(l, "atlas.reason.csv", &[message]),
        RowReason::BadDate { column, value } => tf(l, "atlas.reason.date", &[column, value]),
        RowReason::NotANumber { column, value } => tf(l, "atlas.reason.nan", &[column, value]),
        RowReason::NotPositive { column, value } => {
            tf(l, "atlas.reason.positive", &[column, &value.to_string()])
        }
        RowReason::ScoreOutOfRange { column, value } => {
            tf(l, "atlas.reason.score", &[column, &value.to_string()])
        }
        RowReason::BadValue { column, value } => tf(l, "atlas.reason.value", &[column, value]),
        RowReason::Missing { column } => tf(l, "atlas.reason.missing", &[column]),
        RowReason::DuplicateName => t(l, "atlas.reason.duplicate").to_string(),
    };
    if e.name.is_empty() {
        tf(l, "atlas.row", &[&e.row.to_string(), &reason])
    } else {
        tf(
            l,
            "atlas.row_named",
            &[&e.row.to_string(), &e.name, &reason],
        )
    }
}

fn table_error_text(l: Lang, e: &AtlasError) -> String {
    match e {
        AtlasError::Csv(m) => tf(l, "atlas.reason.csv", &[m]),
        AtlasError::MissingColumn(c) => tf(l, "atlas.missing_column", &[c]),
    }
}

fn fit_error_text(l: Lang, e: &FitError) -> String {
    match e {
        FitError::TooFewModels { n, .. } => tf(l, "atlas.too_few", &[&n.to_string()]),
        other => tf(l, "atlas.no_fit", &[&other.to_string()]),
    }
}

fn density_error_text(l: Lang, e: &AtlasFitError) -> String {
    match e {
        AtlasFitError::Fit(f) => fit_error_text(l, f),
        AtlasFitError::TooFewMembers { n, .. } => tf(l, "atlas.too_few_members", &[&n.to_string()]),
        other => tf(l, "atlas.no_fit", &[&other.to_string()]),
    }
}

fn months_text(l: Lang, m: Option<f64>) -> String {
    m.map_or_else(
        || t(l, "atlas.no_growth").to_string(),
        |m| format!("{} {}", num::sig(m, 3), t(l, "unit.months")),
    )
}

fn ci_text(l: Lang, ci: [Option<f64>; 2]) -> String {
    let lo = ci[0].map_or("—".to_string(), |x| num::sig(x, 3));
    let hi = ci[1].map_or(t(l, "density.fit.unbounded").to_string(), |x| {
        num::sig(x, 3)
    });
    format!("[{lo}, {hi}] {}", t(l, "unit.months"))
}

/// Today's date in the browser (the plan's marker on the price chart).
fn today() -> Option<Date> {
    let d = js_sys::Date::new_0();
    Date::new(d.get_full_year() as i32, d.get_month() + 1, d.get_date()).ok()
}

#[component]
pub fn AtlasPanel() -> impl IntoView {
    let c = ctx();
    let query = Memo::new(move |_| c.scenario.with(Scenario::atlas_query));
    let text = Memo::new(move |_| c.scenario.with(|s| s.atlas_csv.clone()));
    let user: Memo<Result<UserModels, AtlasError>> =
        Memo::new(move |_| text.with(|tx| view::user_models(tx, &shipped().models)));
    let v: Memo<AtlasView> = Memo::new(move |_| {
        let sh = shipped();
        let rows = user.with(|u| u.as_ref().map(|u| u.rows.clone()).unwrap_or_default());
        query.with(|q| view::view(&sh.models, &rows, &sh.prices, &sh.scores, q))
    });
    // The frontier of the density section's reference date on its device and precision.
    let edge_in = Memo::new(move |_| {
        c.scenario
            .with(|s| (s.ref_date, s.device.clone(), s.device_bits))
    });
    let edge: Memo<Option<Result<EdgeAnswer, EdgeError>>> = Memo::new(move |_| {
        let (at, dev, bits) = edge_in.get();
        let dev = device::device(&dev)?;
        v.with(|v| {
            v.density
                .as_ref()
                .ok()
                .map(|d| view::edge(d, at, dev, bits))
        })
    });
    let how = Memo::new(move |_| {
        edge.with(|e| v.with(|v| v.how(e.as_ref().and_then(|e| e.as_ref().ok()))))
    });
    view! {
        <h3 id="atlas-title"><T k="atlas.title"/></h3>
        <p class="intro"><T k="atlas.intro"/></p>
        <AtlasControls/>
        <AtlasCards v=v edge=edge how=how/>
        <AtlasCharts v=v/>
        <AtlasRows user=user v=v text=text/>
        <AtlasTable v=v/>
    }
}

#[component]
fn AtlasControls() -> impl IntoView {
    let c = ctx();
    let benchmarks = Signal::derive(|| {
        Benchmark::ALL
            .iter()
            .map(|b| (b.id().to_string(), b.name().to_string()))
            .collect::<Vec<_>>()
    });
    let families = Signal::derive(|| {
        FAMILIES
            .iter()
            .map(|f| (f.id.to_string(), f.name.to_string()))
            .collect::<Vec<_>>()
    });
    let weights = Signal::derive(move || {
        let l = c.lang.get();
        Weights::ALL
            .iter()
            .map(|w| {
                (
                    w.id().to_string(),
                    t(l, &format!("atlas.weights.{}", w.id())).to_string(),
                )
            })
            .collect::<Vec<_>>()
    });
    view! {
        <div class="inputs" id="atlas-inputs">
            <SelectField key="abm" label="atlas.field.benchmark" options=benchmarks/>
            <SelectField key="afam" label="atlas.field.family" options=families/>
            <SelectField key="aw" label="atlas.field.weights" options=weights/>
            <NumField key="ams" label="atlas.field.min_score"/>
            <div class="field">
                <label>
                    <input id="f-afr" type="checkbox" prop:checked=move || c.scenario.with(|s| s.atlas_frontier)
                        on:change=move |ev| { let on = event_target_checked(&ev); c.scenario.update(|s| s.atlas_frontier = on); }/>
                    " " <T k="atlas.field.frontier"/>
                </label>
            </div>
        </div>
    }
}

#[component]
fn AtlasCards(
    v: Memo<AtlasView>,
    edge: Memo<Option<Result<EdgeAnswer, EdgeError>>>,
    how: Memo<AtlasHow>,
) -> impl IntoView {
    let c = ctx();
    let field = move |f: fn(&AtlasHow) -> &Option<Explained>| {
        Signal::derive(move || how.with(|h| f(h).clone()))
    };
    let doubling = Signal::derive(move || {
        let l = c.lang.get();
        v.with(|v| match &v.density {
            Ok(d) => months_text(l, d.fit.doubling_months),
            Err(e) => density_error_text(l, e),
        })
    });
    let doubling_ci = Signal::derive(move || {
        let l = c.lang.get();
        v.with(|v| match &v.density {
            Ok(d) => format!(
                "{} · R² {} · n {}",
                ci_text(l, d.fit.ci95_months),
                d.fit.r2.map_or("—".into(), |r| num::sig(r, 2)),
                d.fit.n_models
            ),
            Err(_) => String::new(),
        })
    });
    let halving = Signal::derive(move || {
        let l = c.lang.get();
        v.with(|v| match &v.price {
            Ok(p) => months_text(l, p.halving_months),
            Err(e) => fit_error_text(l, e),
        })
    });
    let halving_ci = Signal::derive(move || {
        let l = c.lang.get();
        v.with(|v| match &v.price {
            Ok(p) => format!(
                "{} · R² {} · n {}",
                ci_text(l, p.ci95_months),
                p.r2.map_or("—".into(), |r| num::sig(r, 2)),
                p.n
            ),
            Err(_) => String::new(),
        })
    });
    let edge_label = Signal::derive(move || {
        let l = c.lang.get();
        c.scenario.with(|s| {
            let dev = t(l, &format!("density.device.{}", s.device));
            tf(
                l,
                "atlas.edge",
                &[&s.ref_date.to_string(), dev, &s.device_bits.to_string()],
            )
        })
    });
    let edge_value = Signal::derive(move || {
        let l = c.lang.get();
        edge.with(|e| match e {
            None => String::new(),
            Some(Ok(a)) => match a.fit.date {
                Some(d) if a.fit.fits_at_reference => {
                    tf(l, "atlas.edge.already", &[&d.to_string()])
                }
                Some(d) => tf(l, "atlas.edge.by", &[&d.to_string(), &a.frontier.name]),
                None => t(l, "atlas.edge.never").to_string(),
            },
            Some(Err(EdgeError::NoGrowth)) => t(l, "atlas.no_growth").to_string(),
            Some(Err(EdgeError::NoModelBy(d))) => tf(l, "atlas.edge.no_model", &[&d.to_string()]),
            Some(Err(EdgeError::Device(e))) => e.to_string(),
        })
    });
    view! {
        <div class="cards" id="atlas-cards">
            <ResultCard id="atlas-doubling" label="atlas.card.doubling" value=doubling how=field(|h| &h.doubling_months)/>
            <ResultCard id="atlas-doubling-ci" label="atlas.card.ci" value=doubling_ci how=field(|h| &h.doubling_months)/>
            <ResultCard id="atlas-halving" label="atlas.card.halving" value=halving how=field(|h| &h.halving_months)/>
            <ResultCard id="atlas-halving-ci" label="atlas.card.ci" value=halving_ci how=field(|h| &h.halving_months)/>
            <div class="card" data-key="atlas-edge">
                <div class="card-label">{move || edge_label.get()}</div>
                <div class="card-value" id="atlas-edge">{move || edge_value.get()}</div>
                <super::widgets::How how=field(|h| &h.edge_months)/>
            </div>
        </div>
        <p class="hint" id="atlas-beside"><T k="atlas.beside"/></p>
    }
}

#[component]
fn AtlasCharts(v: Memo<AtlasView>) -> impl IntoView {
    let c = ctx();
    // The plan with its serving step (the plan's own memo holds step 1 only).
    let plan = super::plan_steps::with_step(crate::model::plan::add_serving);
    let density = Memo::new(move |_| {
        let l = labels(c.lang.get());
        v.with(|v| density_atlas_chart(v, &shipped().models, &l))
    });
    // The plan's serving cost, blended 3:1 as the list prices are, placed today.
    let plan_point = Memo::new(move |_| {
        plan.with(|p| {
            let e = p.serving.as_ref()?.economics.as_ref()?;
            let blended = (3.0 * e.cost_per_million_input_tokens_usd
                + e.cost_per_million_output_tokens_usd)
                / 4.0;
            Some((today()?, blended))
        })
    });
    let price = Memo::new(move |_| {
        let l = labels(c.lang.get());
        let pp = plan_point.get();
        v.with(|v| price_atlas_chart(v, &shipped().prices, pp, &l))
    });
    view! {
        <div class="grid2">
            <ChartView id="atlas-density" title="chart.atlas_density.title" chart=density/>
            <ChartView id="atlas-price" title="chart.atlas_price.title" chart=price/>
        </div>
        <p class="hint"><T k="atlas.hover"/></p>
    }
}

#[component]
fn AtlasRows(
    user: Memo<Result<UserModels, AtlasError>>,
    v: Memo<AtlasView>,
    text: Memo<String>,
) -> impl IntoView {
    let c = ctx();
    let setter = TextSetter::new("arows");
    let set_text = move |s: String| setter.set(s);
    let messages = Memo::new(move |_| {
        let l = c.lang.get();
        let mut out: Vec<String> = user.with(|u| match u {
            Err(e) => vec![table_error_text(l, e)],
            Ok(u) => u.errors.iter().map(|e| row_error_text(l, e)).collect(),
        });
        v.with(|v| {
            out.extend(
                v.user_skipped
                    .iter()
                    .map(|(n, why)| tf(l, "atlas.skipped", &[n, why])),
            )
        });
        out
    });
    let placed = Memo::new(move |_| user.with(|u| u.as_ref().map_or(0, |u| u.rows.len())));
    view! {
        <div class="field" class:invalid=move || !messages.with(Vec::is_empty)>
            <label for="f-arows"><T k="atlas.rows"/></label>
            <textarea id="f-arows" spellcheck="false" rows="4" aria-describedby="e-arows"
                placeholder="name,release_date,total_params,mmlu_5shot,harder_benchmark,harder_score,open_weights"
                prop:value=move || text.get()
                on:input=move |ev| set_text(event_target_value(&ev))></textarea>
            <Refused setter=setter/>
            <div id="e-arows" role="status">
                <ul class="error">
                    {move || messages.get().into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}
                </ul>
            </div>
        </div>
        <div class="exports fit-controls">
            <super::widgets::OpenOrClear file_id="arows-file" clear_id="arows-clear" setter=setter/>
            <Show when=move || { placed.get() > 0 }>
                <span class="hint" id="arows-placed">{move || tf(c.lang.get(), "atlas.rows.placed", &[&placed.get().to_string()])}</span>
            </Show>
        </div>
    }
}

/// Every point of the density chart with its values and source, for readers who cannot hover a
/// canvas (and for keyboards): built only once opened.
#[component]
fn AtlasTable(v: Memo<AtlasView>) -> impl IntoView {
    let c = ctx();
    let open = RwSignal::new(false);
    view! {
        <details class="atlas-table" id="atlas-table" on:toggle=move |ev| {
            if let Some(d) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlDetailsElement>().ok()) {
                open.set(d.open());
            }
        }>
            <summary><T k="atlas.table"/></summary>
            <Show when=move || open.get()>
                <div class="table-wrap">
                <table>
                    <thead><tr>
                        <th><T k="atlas.col.model"/></th><th><T k="atlas.col.date"/></th>
                        <th><T k="atlas.col.params"/></th><th><T k="atlas.col.score"/></th>
                        <th>"N̂"</th><th>"ρ"</th><th><T k="atlas.col.source"/></th>
                    </tr></thead>
                    <tbody>
                        {move || v.with(|v| {
                            let sh = shipped();
                            v.density.as_ref().map(|d| d.points.iter().map(|p| {
                                let src = sh.models.iter().find(|m| m.name == p.name).map(|m| m.source.clone());
                                view! { <tr>
                                    <td>{p.name.clone()}</td><td>{p.date.to_string()}</td>
                                    <td>{num::sig(p.params, 3)}</td><td>{num::sig(p.score, 3)}</td>
                                    <td>{num::sig(p.effective_params, 3)}</td><td>{num::sig(p.density, 3)}</td>
                                    <td>{match src {
                                        Some(s) if !s.url.is_empty() => view! { <a href=s.url target="_blank" rel="noopener" lang="en">{s.locator}</a> }.into_any(),
                                        _ => view! { <span>{t(c.lang.get(), "atlas.yours")}</span> }.into_any(),
                                    }}</td>
                                </tr> }
                            }).collect_view()).ok()
                        })}
                    </tbody>
                </table>
                </div>
            </Show>
        </details>
    }
}
