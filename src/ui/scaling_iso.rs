//! Approach 2 of Hoffmann et al. 2022 (§3.2, iso-FLOP profiles) on the user's runs: no L-BFGS, so
//! it follows the pasted runs and the grouping tolerance at once. Every number from
//! `model::fit::isoflop`.

use super::ctx;
use super::i18n::{count, sci, t, tf, T};
use super::widgets::{How, NumField};
use crate::model::explain::Explained;
use crate::model::fit::columns::kept_runs;
use crate::model::fit::isoflop::{iso_flop_fit, IsoFlopError, IsoFlopFit, IsoHow};
use crate::model::num;
use crate::model::scenario::Lang;
use leptos::prelude::*;

fn error_text(l: Lang, e: &IsoFlopError) -> String {
    match e {
        IsoFlopError::TooFewBudgets { usable, groups } => tf(
            l,
            "iso.too_few",
            &[&usable.to_string(), &groups.to_string()],
        ),
        IsoFlopError::BadTolerance(v) => tf(l, "iso.bad_tol", &[&num::sig(*v, 3)]),
    }
}

#[component]
pub fn IsoFlopPanel() -> impl IntoView {
    let c = ctx();
    let lang = c.lang;
    // Only the runs and the tolerance: other inputs neither re-parse nor redraw this.
    // The runs as the fit reads them: the reader's column mapping, less the excluded runs.
    let inputs = Memo::new(move |_| {
        c.scenario.with(|s| {
            (
                s.runs_csv.clone(),
                s.runs_map.clone(),
                s.runs_excluded.clone(),
                s.iso_tol,
            )
        })
    });
    let result = Memo::new(move |_| {
        inputs.with(|(text, rmap, rx, tol)| {
            if text.trim().is_empty() {
                return None;
            }
            let runs = kept_runs(text, rmap, rx).ok()?;
            Some(iso_flop_fit(runs.runs(), *tol))
        })
    });
    let fit = move || result.get().and_then(Result::ok);
    let explained = move |how: fn(&IsoHow) -> &Option<Explained>| {
        Signal::derive(move || {
            result.with(|r| {
                r.as_ref()?
                    .as_ref()
                    .ok()
                    .and_then(|f| how(&f.how()).clone())
            })
        })
    };
    let row = move |label: &'static str,
                    id: &'static str,
                    key: fn(&IsoHow) -> &Option<Explained>,
                    get: fn(&IsoFlopFit) -> f64| {
        view! {
            <tr>
                <th scope="row">{label}</th>
                <td class="num" id=format!("iso-{id}")>{move || fit().map(|f| num::sig(get(&f), 4)).unwrap_or_default()}</td>
                <td><How how=explained(key)/></td>
            </tr>
        }
    };
    view! {
        <h3 id="iso-title"><T k="iso.title"/></h3>
        <p class="intro"><T k="iso.intro"/></p>
        <div class="inputs">
            <NumField key="isotol" label="iso.tol" hint="iso.tol_hint"/>
        </div>
        <div id="iso-status" role="status">
            {move || {
                let l = lang.get();
                match result.get() {
                    None => Some(view! { <p class="hint">{t(l, "iso.empty")}</p> }.into_any()),
                    Some(Err(e)) => Some(view! { <p class="error" id="iso-error">{error_text(l, &e)}</p> }.into_any()),
                    Some(Ok(f)) => Some(view! {
                        <p class="hint" id="iso-summary">{tf(l, "iso.summary", &[
                            &num::sig(f.params_exponent, 3), &num::sig(f.tokens_exponent, 3),
                            &f.minima.len().to_string(), &f.skipped.len().to_string(),
                        ])}</p>
                    }.into_any()),
                }
            }}
        </div>
        <Show when=move || fit().is_some()>
            <table id="iso-table">
                <thead><tr>
                    <th scope="col"><T k="fit.th.constant"/></th>
                    <th scope="col"><T k="fit.th.value"/></th>
                    <th scope="col"><T k="fit.th.how"/></th>
                </tr></thead>
                <tbody>
                    {row("a", "a", |h| &h.a, |f| f.params_exponent)}
                    {row("1 − a", "b", |h| &h.b, |f| f.tokens_exponent)}
                    {row("k", "k", |h| &h.k, |f| f.params_coefficient)}
                </tbody>
            </table>
            <details id="iso-minima">
                <summary><T k="iso.minima"/></summary>
                <table>
                    <thead><tr>
                        <th scope="col"><T k="iso.th.c"/></th>
                        <th scope="col"><T k="iso.th.n"/></th>
                        <th scope="col"><T k="iso.th.d"/></th>
                        <th scope="col"><T k="iso.th.loss"/></th>
                        <th scope="col"><T k="iso.th.runs"/></th>
                    </tr></thead>
                    <tbody>
                        {move || {
                            let l = lang.get();
                            fit().map(|f| f.minima.iter().map(|m| view! {
                                <tr>
                                    <td class="num">{sci(m.flops)}</td>
                                    <td class="num">{count(l, m.params)}{m.extrapolated.then(|| format!(" {}", t(l, "iso.extrapolated")))}</td>
                                    <td class="num">{count(l, m.tokens)}</td>
                                    <td class="num">{num::sig(m.loss, 4)}</td>
                                    <td class="num">{m.runs}</td>
                                </tr>
                            }).collect_view())
                        }}
                    </tbody>
                </table>
            </details>
        </Show>
    }
}
