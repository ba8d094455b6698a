//! Open-weight models' list prices beside our cost of serving the same weights on the inference
//! section's GPU at its price per GPU-hour: the implied margin (issue 17, `atlas::margin`). Shown in
//! the Inference section, which holds the serving model it needs.

use super::ctx;
use super::i18n::{tf, T};
use crate::model::atlas::{self, margin, AtlasPrice};
use crate::model::num;
use leptos::prelude::*;
use std::sync::OnceLock;
use wasm_bindgen::JsCast;

/// The shipped price table, parsed once.
fn shipped_prices() -> &'static [AtlasPrice] {
    static P: OnceLock<Vec<AtlasPrice>> = OnceLock::new();
    P.get_or_init(atlas::shipped_prices)
}

/// Open-weight models' list prices beside our serving cost on the inference section's GPU and
/// price, at the reference workload (batch 64) and at batch 1,024: the implied margin.
#[component]
pub fn AtlasMargins() -> impl IntoView {
    let c = ctx();
    let hw = Memo::new(move |_| {
        c.scenario
            .with(|s| (s.inf_gpu.clone(), s.inf_price_per_gpu_hour))
    });
    let open = RwSignal::new(false);
    let rows = Memo::new(move |_| {
        if !open.get() {
            return Vec::new();
        }
        let (gpu, price) = hw.get();
        let small = margin::MarginWorkload::REFERENCE;
        let large = margin::MarginWorkload {
            batch: 1024,
            ..small
        };
        let prices = shipped_prices();
        margin::implied_margins(prices, &gpu, price, &small)
            .into_iter()
            .zip(margin::implied_margins(prices, &gpu, price, &large))
            .collect::<Vec<_>>()
    });
    let pct = |m: Option<f64>| m.map_or("—".to_string(), |m| format!("{:+.0}%", 100.0 * m));
    let usd = |x: Option<f64>| x.map_or("—".to_string(), |x| format!("${}", num::sig(x, 3)));
    view! {
        <details class="atlas-margins" id="atlas-margins" on:toggle=move |ev| {
            if let Some(d) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlDetailsElement>().ok()) {
                open.set(d.open());
            }
        }>
            <summary><T k="atlas.margin.title"/></summary>
            <p class="hint">{move || {
                let l = c.lang.get();
                let (gpu, price) = hw.get();
                let w = margin::MarginWorkload::REFERENCE;
                tf(
                    l,
                    "atlas.margin.help",
                    &[
                        &gpu,
                        &num::sig(price, 3),
                        &w.input_tokens.to_string(),
                        &w.output_tokens.to_string(),
                        &w.weight_bits.to_string(),
                        &num::sig(w.utilisation, 2),
                    ],
                )
            }}</p>
            <div class="table-wrap">
            <table id="atlas-margins-table">
                <thead><tr>
                    <th><T k="atlas.col.model"/></th><th><T k="atlas.col.date"/></th>
                    <th><T k="atlas.margin.list"/></th><th><T k="atlas.margin.cost64"/></th><th><T k="atlas.margin.m64"/></th>
                    <th><T k="atlas.margin.cost1024"/></th><th><T k="atlas.margin.m1024"/></th><th><T k="atlas.col.source"/></th>
                </tr></thead>
                <tbody>
                    {move || rows.get().into_iter().map(|(a, b)| {
                        let why = crate::ui::text::sources::phrases(c.lang.get_untracked(), &a.reason.clone().or(b.reason.clone()).unwrap_or_default());
                        view! { <tr title=why>
                            <td>{a.model.clone()}</td><td>{a.date.to_string()}</td>
                            <td>{usd(a.price_blended)}</td>
                            <td>{usd(a.cost.as_ref().map(|c| c.usd_per_million_blended))}</td><td>{pct(a.margin_blended)}</td>
                            <td>{usd(b.cost.as_ref().map(|c| c.usd_per_million_blended))}</td><td>{pct(b.margin_blended)}</td>
                            <td><a href=a.source.url.clone() target="_blank" rel="noopener" lang="en">{a.source.locator.clone()}</a></td>
                        </tr> }
                    }).collect_view()}
                </tbody>
            </table>
            </div>
        </details>
    }
}
