//! The Scaling laws section: every published law side by side, the compute-optimal model of the
//! chosen law at the budget, DeepSeek's batch size and learning rate, the data-constrained and the
//! inference-aware optima, and four charts. Every number comes from `scaling::evaluate`.

use super::chart::ChartView;
use super::ctx;
use super::i18n::{count, sci, t, tf, usd, T};
use super::notes::scaling_note;
use super::scaling_fit::FitPanel;
use super::widgets::{KeyAnswers, KeyItem, NumField, ResultCard, SelectField};
use crate::chart::line::{LineChart, Marker};
use crate::chart::scaling::{
    iso_flop_chart, iso_loss_chart, law_comparison_chart, preset_laws, tokens_per_param_chart,
    NamedLaw, ScalingLabels, BUDGET_RANGE,
};
use crate::model::explain::Explained;
use crate::model::fit::{BootstrapReport, FitReport};
use crate::model::lifetime::PricedHow;
use crate::model::scaling::curves::log_space;
use crate::model::scaling::evaluate::{ScalingHow, ScalingInput};
use crate::model::scaling::{self, Law, ScalingResult, LAWS};
use crate::model::scenario::{Lang, LawChoice, Scenario};
use crate::model::{explain::Source, num};
use leptos::prelude::*;

/// The translated display name of a law id.
pub fn law_name(lang: Lang, id: &str) -> String {
    let key = format!("law.name.{id}");
    let name = t(lang, &key);
    if name == "?" {
        id.to_string()
    } else {
        name.to_string()
    }
}

/// Whether a law select offers "Your fit": once a fit exists, or while the law is `fit` (a link's
/// choice, which the select must show; [`FitLawNote`] then says there is no fit yet). A memo, so
/// that other inputs do not rebuild the select's options.
pub fn fit_offered(c: super::Ctx) -> Memo<bool> {
    Memo::new(move |_| {
        c.fit.report.with(Option::is_some) || c.scenario.with(|s| s.law == LawChoice::Fit)
    })
}

/// Next to a law select: law `fit` chosen but no fit yet, and the law the numbers use meanwhile
/// (`used`: its id).
#[component]
pub fn FitLawNote(id: &'static str, #[prop(into)] used: Signal<String>) -> impl IntoView {
    let c = ctx();
    let missing = Memo::new(move |_| {
        c.scenario.with(|s| s.law == LawChoice::Fit) && c.fit.report.with(Option::is_none)
    });
    move || {
        missing.get().then(|| {
            let l = c.lang.get();
            let id_used = used.get();
            let cite = scaling::law_by_id(&id_used)
                .map(|i| i.source.citation.split(',').next().unwrap_or_default())
                .unwrap_or_default();
            let law = format!("{}, {cite}", law_name(l, &id_used));
            view! { <p class="hint warn" id=id role="status">{tf(l, "law.fit_none", &[&law])}</p> }
        })
    }
}

fn labels(lang: Lang) -> ScalingLabels {
    ScalingLabels {
        flops: t(lang, "sc.axis.flops").into(),
        loss: t(lang, "sc.axis.loss").into(),
        params: t(lang, "sc.axis.params").into(),
        tokens: t(lang, "sc.axis.tokens").into(),
        tokens_per_param: t(lang, "sc.axis.tpp").into(),
        budget: t(lang, "chart.budget").into(),
        minimum: t(lang, "sc.chart.minimum").into(),
        frontier: t(lang, "sc.chart.frontier").into(),
        residual: t(lang, "sc.axis.residual").into(),
        runs: t(lang, "sc.chart.runs").into(),
        excluded: t(lang, "sc.chart.excluded").into(),
    }
}

/// Every catalogue law, named in the reader's language; the chosen one drawn solid; then the
/// user's fit (solid) with its bootstrap band on the loss frontier, if there is one.
fn named_laws(
    lang: Lang,
    chosen: &str,
    fit: Option<&FitReport>,
    boot: Option<&BootstrapReport>,
) -> Vec<NamedLaw> {
    let mut laws: Vec<NamedLaw> = preset_laws()
        .into_iter()
        .zip(LAWS)
        .map(|(mut nl, info)| {
            nl.name = law_name(lang, info.id);
            nl.dashed = info.id != chosen;
            nl
        })
        .collect();
    if let Some(f) = fit {
        let loss_band = boot
            .map(|b| {
                let cs = log_space(BUDGET_RANGE.0, BUDGET_RANGE.1, BAND_POINTS);
                b.frontier_band(&cs)
                    .into_iter()
                    .filter(|p| p.loss[0].is_finite() && p.loss[1].is_finite())
                    .map(|p| (p.flops, p.loss[0], p.loss[1]))
                    .collect()
            })
            .unwrap_or_default();
        laws.push(NamedLaw {
            name: law_name(lang, LawChoice::FIT),
            law: Law::Chinchilla(f.law),
            dashed: false,
            loss_band,
        });
    }
    laws
}

/// Budgets along the fit's band.
const BAND_POINTS: usize = 46;

/// A link to a source, or its citation when it has no URL. Citations stay in the language of the
/// publication, marked `lang="en"` for screen readers (and the Chinese-coverage test).
fn source_view(lang: Lang, src: Source) -> impl IntoView {
    let citation = crate::ui::text::sources::source_text(lang, src.citation);
    if src.url.is_empty() {
        view! { <cite lang="en">{citation}</cite> }.into_any()
    } else {
        view! { <a href=src.url target="_blank" rel="noopener"><cite lang="en">{citation}</cite></a> }.into_any()
    }
}

fn form_key(law: &Law) -> &'static str {
    match law {
        Law::Chinchilla(_) => "form.chinchilla",
        Law::Kaplan(_) => "form.kaplan",
        Law::DeepSeek(_) => "form.deepseek",
        Law::Tokens(_) => "form.tokens",
    }
}

fn convention_key(law: &Law) -> &'static str {
    match law {
        Law::Chinchilla(_) | Law::Tokens(_) => "conv.total",
        Law::Kaplan(_) => "conv.non_embedding",
        Law::DeepSeek(_) => "conv.deepseek",
    }
}

/// `32.2B (3.22×10¹⁰)`.
fn big(lang: Lang, x: f64) -> String {
    format!("{} ({})", count(lang, x), sci(x))
}

/// Replaces a chart's markers with one marker at the chosen law's optimum.
fn with_marker(mut chart: LineChart, marker: Option<Marker>) -> LineChart {
    chart.markers = marker.into_iter().collect();
    chart
}

#[component]
pub fn ScalingSection() -> impl IntoView {
    let c = ctx();
    let st = c.fit;
    let fitted = st.fitted_law();
    // The section's own inputs only: other sections' inputs neither re-evaluate nor redraw it.
    let inputs = Memo::new(move |_| c.scenario.with(Scenario::scaling));
    let result = Memo::new(move |_| {
        let f = fitted.get();
        inputs.with(|s| scaling::evaluate_with_fit(s, f.as_ref()))
    });
    let lang = c.lang;
    let offered = fit_offered(c);
    let law_options = Signal::derive(move || {
        let l = lang.get();
        LAWS.iter()
            .map(|info| info.id)
            .chain(offered.get().then_some(LawChoice::FIT))
            .map(|id| (id.to_string(), law_name(l, id)))
            .collect::<Vec<_>>()
    });
    let chosen = Memo::new(move |_| result.with(|r| r.law.clone()));
    let law = Memo::new(move |_| result.with(|r| r.constants));
    let msgs = Memo::new(move |_| {
        let l = lang.get();
        result.with(|r| {
            r.notes
                .iter()
                .map(|n| scaling_note(l, n))
                .collect::<Vec<_>>()
        })
    });
    let key = move |f: fn(Lang, &ScalingResult) -> String| {
        Signal::derive(move || {
            let l = lang.get();
            result.with(|r| f(l, r))
        })
    };
    let key_items = vec![
        KeyItem::new(
            "sc.out.params",
            "sc-params",
            key(|l, r| or_none(l, r.optimal.as_ref(), |l, o| count(l, o.params))),
        ),
        KeyItem::new(
            "sc.out.tokens",
            "sc-tokens",
            key(|l, r| or_none(l, r.optimal.as_ref(), |l, o| count(l, o.tokens))),
        ),
        KeyItem::new(
            "sc.out.loss",
            "sc-loss",
            key(|l, r| {
                r.optimal
                    .and_then(|o| o.loss)
                    .map(|x| format!("{} {}", num::sig(x, 4), t(l, "unit.nats")))
                    .unwrap_or_else(|| t(l, "sc.none").into())
            }),
        ),
        KeyItem::new(
            "sc.out.batch",
            "sc-batch",
            key(|l, r| format!("{} {}", count(l, r.hyper.batch_tokens), t(l, "unit.tokens"))),
        ),
    ];
    view! {
        <section id="scaling" aria-labelledby="scaling-title">
            <h2 id="scaling-title"><T k="scaling.title"/></h2>
            <KeyAnswers id="sc-keys" items=key_items/>
            <p class="intro"><T k="scaling.intro"/></p>
            <div class="inputs">
                <SelectField key="law" id="sc-law" label="scaling.field.law" options=law_options/>
                <FitLawNote id="sc-law-fit-note" used=Signal::derive(move || result.with(|r| r.law.clone()))/>
                <NumField key="c" id="f-sc-c" label="scaling.field.flops"/>
                <NumField key="ut" label="scaling.field.unique"/>
                <NumField key="tl" label="scaling.field.target_loss"/>
                <NumField key="it" label="scaling.field.inference_tokens"/>
            </div>
            <p class="law-source" id="sc-source">
                <strong>{move || law_name(lang.get(), &chosen.get())}</strong>
                " · " {move || t(lang.get(), form_key(&law.get()))} " · "
                <T k="scaling.source"/> " "
                {move || { let r = result.get(); view! { {source_view(lang.get(), r.source)} ", " <span>{crate::ui::text::sources::source_text(lang.get(), r.source.locator)}</span> } }}
                " · " <T k="scaling.convention"/> " "
                {move || t(lang.get(), convention_key(&law.get()))}
            </p>
            <Show when=move || !msgs.with(|m| m.is_empty())>
                <div class="notes" role="status" id="sc-notes">
                    <ul>{move || msgs.get().into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul>
                </div>
            </Show>
            <OptimalCards result=result/>
            <Show when=move || law.with(Law::has_loss)>
                <DataCards inputs=inputs result=result/>
                <InferenceCards inputs=inputs result=result/>
            </Show>
            <FitPanel st=st labels=Signal::derive(move || labels(lang.get()))/>
            <super::scaling_iso::IsoFlopPanel/>
            <super::scaling_hyper::HyperFitPanel/>
            <ScalingCharts inputs=inputs result=result/>
            <LawTable chosen=chosen/>
        </section>
    }
}

/// A card's value from an optional part of the result, or "none" in `l`.
fn or_none<T>(l: Lang, part: Option<&T>, f: fn(Lang, &T) -> String) -> String {
    part.map(|o| f(l, o))
        .unwrap_or_else(|| t(l, "sc.none").into())
}

/// The compute-optimal model at the budget, and DeepSeek's batch size and learning rate.
#[component]
fn OptimalCards(result: Memo<ScalingResult>) -> impl IntoView {
    let lang = ctx().lang;
    let how = Memo::new(move |_| result.with(|r| r.how()));
    let explained = move |f: fn(&ScalingHow) -> &Option<Explained>| {
        Signal::derive(move || how.with(|h| f(h).clone()))
    };
    let opt = move |f: fn(Lang, &scaling::Optimum) -> String| {
        Signal::derive(move || {
            let l = lang.get();
            result.with(|r| or_none(l, r.optimal.as_ref(), f))
        })
    };
    view! {
        <h3><T k="scaling.h.optimal"/></h3>
        <div class="cards">
            <ResultCard id="sc-params" label="sc.out.params" value=opt(|l, o| big(l, o.params)) how=explained(|h| &h.optimal_params)/>
            <ResultCard id="sc-tokens" label="sc.out.tokens" value=opt(|l, o| big(l, o.tokens)) how=explained(|h| &h.optimal_tokens)/>
            <ResultCard id="sc-tpp" label="sc.out.tpp" value=opt(|_, o| num::sig(o.tokens_per_param, 3)) how=explained(|h| &h.optimal_tokens_per_param)/>
            <ResultCard id="sc-loss" label="sc.out.loss"
                value=opt(|l, o| o.loss.map(|x| format!("{} {}", num::sig(x, 4), t(l, "unit.nats"))).unwrap_or_else(|| t(l, "sc.none").into()))
                how=explained(|h| &h.optimal_loss)/>
        </div>

        <h3><T k="scaling.h.hyper"/></h3>
        <div class="cards">
            <ResultCard id="sc-batch" label="sc.out.batch"
                value=Signal::derive(move || { let l = lang.get(); result.with(|r| format!("{} {}", count(l, r.hyper.batch_tokens), t(l, "unit.tokens"))) })
                how=explained(|h| &h.batch_tokens)/>
            <ResultCard id="sc-lr" label="sc.out.lr"
                value=Signal::derive(move || result.with(|r| sci(r.hyper.learning_rate)))
                how=explained(|h| &h.learning_rate)/>
        </div>
    }
}

/// The data-constrained optimum (Muennighoff et al.), when unique tokens are given.
#[component]
fn DataCards(inputs: Memo<ScalingInput>, result: Memo<ScalingResult>) -> impl IntoView {
    let lang = ctx().lang;
    let unique = Memo::new(move |_| inputs.with(|s| s.unique_tokens));
    let how = Memo::new(move |_| result.with(|r| r.how()));
    let explained = move |f: fn(&ScalingHow) -> &Option<Explained>| {
        Signal::derive(move || how.with(|h| f(h).clone()))
    };
    let dc = move |f: fn(Lang, &scaling::data::DataConstrainedOptimum) -> String| {
        Signal::derive(move || {
            let l = lang.get();
            result.with(|r| or_none(l, r.data_constrained.as_ref(), f))
        })
    };
    view! {
        <h3><T k="scaling.h.data"/></h3>
        <Show when=move || unique.get().is_some()
            fallback=move || view! { <p class="hint" id="sc-dc-hint"><T k="sc.msg.no_unique"/></p> }>
            <div class="cards" id="sc-dc">
                <ResultCard id="sc-dc-params" label="sc.out.dc_params" value=dc(|l, o| big(l, o.params)) how=explained(|h| &h.dc_params)/>
                <ResultCard id="sc-dc-epochs" label="sc.out.dc_epochs"
                    value=dc(|l, o| tf(l, "sc.val.epochs", &[&num::sig(o.epochs, 3), &count(l, o.tokens)]))
                    how=explained(|h| &h.dc_epochs)/>
                <ResultCard id="sc-dc-effective" label="sc.out.dc_effective" value=dc(|l, o| big(l, o.effective_tokens)) how=explained(|h| &h.dc_effective_tokens)/>
                <ResultCard id="sc-dc-loss" label="sc.out.dc_loss"
                    value=dc(|l, o| format!("{} {}", num::sig(o.loss, 4), t(l, "unit.nats")))
                    how=explained(|h| &h.dc_loss)/>
            </div>
        </Show>
    }
}

/// The inference-aware optimum (Sardana et al.) in FLOPs, and its dollar version priced by the
/// training and inference sections' inputs.
#[component]
fn InferenceCards(inputs: Memo<ScalingInput>, result: Memo<ScalingResult>) -> impl IntoView {
    let c = ctx();
    let lang = c.lang;
    let target = Memo::new(move |_| inputs.with(|s| s.target_loss));
    let how = Memo::new(move |_| result.with(|r| r.how()));
    let explained = move |f: fn(&ScalingHow) -> &Option<Explained>| {
        Signal::derive(move || how.with(|h| f(h).clone()))
    };
    let ia = move |f: fn(Lang, &scaling::inference::InferenceOptimum) -> String| {
        Signal::derive(move || {
            let l = lang.get();
            result.with(|r| or_none(l, r.inference_aware.as_ref(), f))
        })
    };
    let priced_inputs = Memo::new(move |_| {
        c.scenario
            .with(|s| (s.scaling().target_loss, s.training_run(), s.serving()))
    });
    // The law's constants, memoised: a budget change re-evaluates `result` but not this.
    let priced_law = Memo::new(move |_| result.with(|r| r.constants));
    let priced = Memo::new(move |_| {
        let law = priced_law.get();
        priced_inputs.with(|(loss, t, s)| crate::model::lifetime::priced_optimum(*loss, t, s, &law))
    });
    let priced_val = move |f: fn(Lang, &crate::model::lifetime::PricedOptimum) -> String| {
        Signal::derive(move || {
            let l = lang.get();
            priced.with(|p| or_none(l, p.as_ref().ok(), f))
        })
    };
    let priced_how = move |f: fn(&PricedHow) -> &Option<Explained>| {
        Signal::derive(move || priced.with(|p| p.as_ref().ok().and_then(|p| f(&p.how()).clone())))
    };
    view! {
        <h3><T k="scaling.h.inference"/></h3>
        <Show when=move || target.get().is_some()
            fallback=move || view! { <p class="hint"><T k="sc.msg.no_target"/></p> }>
            <div class="cards" id="sc-ia">
                <ResultCard id="sc-ia-params" label="sc.out.ia_params" value=ia(|l, o| big(l, o.optimum.params)) how=explained(|h| &h.ia_params)/>
                <ResultCard id="sc-ia-tokens" label="sc.out.ia_tokens" value=ia(|l, o| big(l, o.optimum.tokens)) how=explained(|h| &h.ia_tokens)/>
                <ResultCard id="sc-ch-params" label="sc.out.ch_params" value=ia(|l, o| big(l, o.chinchilla.params)) how=explained(|h| &h.ia_chinchilla_params)/>
                <ResultCard id="sc-ch-tokens" label="sc.out.ch_tokens" value=ia(|l, o| big(l, o.chinchilla.tokens)) how=explained(|h| &h.ia_chinchilla_tokens)/>
                <ResultCard id="sc-ia-lifetime" label="sc.out.ia_lifetime"
                    value=ia(|l, o| tf(l, "sc.val.vs", &[&sci(o.optimum.lifetime_flops), &sci(o.chinchilla.lifetime_flops)]))
                    how=explained(|h| &h.ia_lifetime_flops)/>
                <ResultCard id="sc-ia-saving" label="sc.out.ia_saving"
                    value=ia(|l, o| tf(l, "sc.val.saving", &[&format!("{}%", num::sig(o.lifetime_saving * 100.0, 3)), &sci(o.chinchilla.lifetime_flops - o.optimum.lifetime_flops)]))
                    how=explained(|h| &h.ia_lifetime_saving)/>
            </div>
            <h4><T k="sc.h.priced"/></h4>
            <p class="hint"><T k="sc.priced.intro"/></p>
            <div class="cards" id="sc-priced">
                <ResultCard id="sc-priced-params" label="sc.out.ia_params" value=priced_val(|l, p| big(l, p.optimum.params)) how=priced_how(|h| &h.params)/>
                <ResultCard id="sc-priced-tokens" label="sc.out.ia_tokens" value=priced_val(|l, p| big(l, p.optimum.tokens)) how=priced_how(|h| &h.tokens)/>
                <ResultCard id="sc-priced-usd" label="sc.out.priced_usd"
                    value=priced_val(|l, p| tf(l, "sc.val.vs", &[&usd(l, p.optimum.usd), &usd(l, p.optimum.chinchilla_usd)]))
                    how=priced_how(|h| &h.usd)/>
                <ResultCard id="sc-priced-saving" label="sc.out.priced_saving"
                    value=priced_val(|l, p| tf(l, "sc.val.saving_usd", &[&format!("{}%", num::sig(p.saving * 100.0, 3)), &usd(l, p.optimum.chinchilla_usd - p.optimum.usd)]))
                    how=priced_how(|h| &h.saving)/>
            </div>
        </Show>
    }
}

/// The laws compared, tokens per parameter, iso-FLOP and iso-loss. The frontiers depend on the
/// language and the chosen law only; the budget only moves the marker, so the heavy part is
/// memoised apart.
#[component]
fn ScalingCharts(inputs: Memo<ScalingInput>, result: Memo<ScalingResult>) -> impl IntoView {
    let c = ctx();
    let st = c.fit;
    let lang = c.lang;
    let chosen = Memo::new(move |_| result.with(|r| r.law.clone()));
    let law = Memo::new(move |_| result.with(|r| r.constants));
    let flops = Memo::new(move |_| inputs.with(|s| s.flops));
    let optimum = Memo::new(move |_| result.with(|r| r.optimal));
    let compare_base = Memo::new(move |_| {
        let l = lang.get();
        let laws = st.report.with(|f| {
            st.boot
                .with(|b| named_laws(l, &chosen.get(), f.as_ref(), b.as_ref()))
        });
        law_comparison_chart(&laws, flops.get_untracked(), &labels(l))
    });
    let tpp_base = Memo::new(move |_| {
        let l = lang.get();
        let laws = st
            .report
            .with(|f| named_laws(l, &chosen.get(), f.as_ref(), None));
        tokens_per_param_chart(&laws, flops.get_untracked(), &labels(l))
    });
    let compare = Memo::new(move |_| {
        let budget = t(lang.get(), "chart.budget").to_string();
        let marker = optimum.get().and_then(|o| {
            o.loss.map(|loss| Marker {
                x: o.flops,
                y: loss,
                label: budget.clone(),
            })
        });
        let mut chart = with_marker(compare_base.get(), marker);
        // Frontier losses span well under a decade: a log loss axis would carry a single tick
        // label (10⁰), so the loss axis is linear (compute stays logarithmic).
        chart.y_log = false;
        chart
    });
    let tpp = Memo::new(move |_| {
        let budget = t(lang.get(), "chart.budget").to_string();
        let marker = optimum.get().map(|o| Marker {
            x: o.flops,
            y: o.tokens_per_param,
            label: budget.clone(),
        });
        with_marker(tpp_base.get(), marker)
    });
    let isoflop = Memo::new(move |_| {
        let cflops = flops.get();
        let budgets: Vec<f64> = [-2, -1, 0, 1, 2]
            .iter()
            .map(|k| cflops * 10f64.powi(*k))
            .filter(|b| b.is_finite() && *b > 0.0)
            .collect();
        iso_flop_chart(&law.get(), &budgets, &labels(lang.get()))
    });
    let isoloss = Memo::new(move |_| {
        let lw = law.get();
        let cflops = flops.get();
        // The contours through the frontier at C/100 … 100·C: each touches the frontier once.
        let levels: Vec<f64> = [-2, -1, 0, 1, 2]
            .iter()
            .filter_map(|k| lw.optimal(cflops * 10f64.powi(*k)).and_then(|o| o.loss))
            .collect();
        iso_loss_chart(&lw, &levels, &labels(lang.get()))
    });
    view! {
        <h3><T k="scaling.h.charts"/></h3>
        <div class="grid2">
            <ChartView id="sc-compare" title="sc.chart.compare" chart=compare/>
            <ChartView id="sc-tpp" title="sc.chart.tpp" chart=tpp/>
        </div>
        <Show when=move || law.with(Law::has_loss)
            fallback=move || view! { <p class="hint" id="sc-no-loss-charts"><T k="sc.chart.no_loss"/></p> }>
            <div class="grid2">
                <ChartView id="sc-isoflop" title="sc.chart.isoflop" chart=isoflop/>
                <ChartView id="sc-isoloss" title="sc.chart.isoloss" chart=isoloss/>
            </div>
        </Show>
    }
}

/// Every preset law with its form, source and locator; the chosen one marked.
#[component]
fn LawTable(chosen: Memo<String>) -> impl IntoView {
    let lang = ctx().lang;
    view! {
        <h3><T k="scaling.h.presets"/></h3>
        <div class="table-wrap">
            <table id="sc-laws">
                <thead><tr>
                    <th scope="col"><T k="sc.th.id"/></th>
                    <th scope="col"><T k="sc.th.name"/></th>
                    <th scope="col"><T k="sc.th.form"/></th>
                    <th scope="col"><T k="sc.th.source"/></th>
                    <th scope="col"><T k="sc.th.where"/></th>
                </tr></thead>
                <tbody>
                    {LAWS.iter().map(|info| {
                        let lw = (info.law)();
                        view! {
                            <tr class:chosen=move || chosen.with(|c| c == info.id)>
                                <td><code>{info.id}</code></td>
                                <td>{move || law_name(lang.get(), info.id)}</td>
                                <td>{move || t(lang.get(), form_key(&lw))}</td>
                                <td>{move || source_view(lang.get(), info.source)}</td>
                                <td>{move || crate::ui::text::sources::source_text(lang.get(), info.source.locator)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
