//! A canvas that draws a `LineChart` sharply on HiDPI screens, with a hover read-out of the nearest
//! point and PNG / CSV export.

use super::ctx;
use super::i18n::{t, tf};
use crate::chart::bar::{self, StackedBarChart};
use crate::chart::line::{self, LineChart, Mapping};
use crate::chart::ChartStyle;
use crate::ui::i18n::T;
use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::JsCast;

fn trigger_download(href: &str, filename: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let Ok(a) = doc.create_element("a") {
        if let Ok(a) = a.dyn_into::<web_sys::HtmlAnchorElement>() {
            a.set_href(href);
            a.set_download(filename);
            a.click();
        }
    }
}

/// Offers text as a file download.
pub fn download_text(text: &str, mime: &str, filename: &str) {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    if let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts) {
        if let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) {
            trigger_download(&url, filename);
            let _ = web_sys::Url::revoke_object_url(&url);
        }
    }
}

fn device_pixel_ratio() -> f64 {
    web_sys::window()
        .map(|w| w.device_pixel_ratio())
        .unwrap_or(1.0)
        .max(1.0)
}

/// Sizes the canvas backing store to its CSS size × devicePixelRatio (sharp on HiDPI screens);
/// returns the ratio, which the chart style scales lines and fonts by.
fn size_canvas(el: &web_sys::HtmlCanvasElement) -> f64 {
    let dpr = device_pixel_ratio();
    let css_w = f64::from(el.client_width().max(320));
    let css_h = f64::from(el.client_height().max(240));
    el.set_width((css_w * dpr).round() as u32);
    el.set_height((css_h * dpr).round() as u32);
    dpr
}

/// A draw counter on the canvas (`data-draws`), so tests (and curious readers) can see the chart
/// was redrawn.
fn count_draw(canvas: NodeRef<Canvas>, draws: StoredValue<u64>) {
    draws.update_value(|n| *n += 1);
    if let Some(el) = canvas.get_untracked() {
        let _ = el.set_attribute("data-draws", &draws.get_value().to_string());
    }
}

/// The PNG export of a canvas.
fn download_png(canvas: NodeRef<Canvas>, id: &str) {
    if let Some(el) = canvas.get_untracked() {
        if let Ok(url) = el.to_data_url() {
            trigger_download(&url, &format!("scalecalc-{id}.png"));
        }
    }
}

/// A chart panel: title, canvas, read-out, exports.
#[component]
pub fn ChartView(
    id: &'static str,
    title: &'static str,
    #[prop(into)] chart: Signal<LineChart>,
) -> impl IntoView {
    let c = ctx();
    let canvas: NodeRef<Canvas> = NodeRef::new();
    let mapping = StoredValue::new(Mapping::default());
    let readout = RwSignal::new(String::new());
    let draws = StoredValue::new(0u64);

    Effect::new(move |_| {
        let data = chart.get();
        let dark = c.dark.get();
        let Some(el) = canvas.get() else { return };
        let dpr = size_canvas(&el);
        let Some(backend) = CanvasBackend::with_canvas_object(el) else {
            return;
        };
        let root = backend.into_drawing_area();
        if let Ok(m) = line::draw(&root, &data, ChartStyle { scale: dpr, dark }) {
            mapping.set_value(m);
        }
        count_draw(canvas, draws);
    });

    let on_move = move |ev: web_sys::MouseEvent| {
        let dpr = device_pixel_ratio();
        let (px, py) = (
            f64::from(ev.offset_x()) * dpr,
            f64::from(ev.offset_y()) * dpr,
        );
        let m = mapping.get_value();
        let text = m
            .to_data(px, py)
            .and_then(|(x, y)| chart.with_untracked(|ch| ch.nearest(x, y)))
            .map(|(name, x, y)| {
                tf(
                    c.lang.get_untracked(),
                    "chart.hover",
                    &[&name, &super::i18n::sci(x), &super::i18n::sci(y)],
                )
            })
            .unwrap_or_default();
        readout.set(text);
    };

    let png = move |_| download_png(canvas, id);
    let csv = move |_| {
        let text = chart.with_untracked(|ch| ch.to_csv());
        download_text(&text, "text/csv", &format!("scalecalc-{id}.csv"));
    };

    view! {
        <figure class="chart" id=format!("chart-{id}")>
            <figcaption>{move || t(c.lang.get(), title)}</figcaption>
            <canvas node_ref=canvas role="img" aria-label=move || t(c.lang.get(), title)
                on:mousemove=on_move on:mouseleave=move |_| readout.set(String::new())></canvas>
            <div class="chart-foot">
                <output class="readout" aria-live="polite">{move || readout.get()}</output>
                <span class="exports">
                    <button class="small" on:click=png><T k="export.png"/></button>
                    <button class="small" on:click=csv><T k="export.csv"/></button>
                </span>
            </div>
        </figure>
    }
}

/// A stacked bar chart panel (e.g. memory per GPU against its capacity): title, canvas, a read-out
/// of the bar under the pointer, exports.
#[component]
pub fn BarChartView(
    id: &'static str,
    title: &'static str,
    #[prop(into)] chart: Signal<StackedBarChart>,
) -> impl IntoView {
    let c = ctx();
    let canvas: NodeRef<Canvas> = NodeRef::new();
    let readout = RwSignal::new(String::new());
    let draws = StoredValue::new(0u64);

    Effect::new(move |_| {
        let data = chart.get();
        let dark = c.dark.get();
        let Some(el) = canvas.get() else { return };
        let dpr = size_canvas(&el);
        let Some(backend) = CanvasBackend::with_canvas_object(el) else {
            return;
        };
        let _ = bar::draw(
            &backend.into_drawing_area(),
            &data,
            ChartStyle { scale: dpr, dark },
        );
        count_draw(canvas, draws);
    });

    // The bar under the pointer: bars share the plot width evenly. The plot starts after
    // `bar::draw`'s 12-px margin and 64-px y-label area and ends before the right 12-px margin.
    let on_move = move |ev: web_sys::MouseEvent| {
        let Some(el) = canvas.get_untracked() else {
            return;
        };
        let plot_w = f64::from(el.client_width() - 88).max(1.0);
        let frac = ((f64::from(ev.offset_x()) - 76.0) / plot_w).clamp(0.0, 0.999);
        let text = chart.with_untracked(|ch| {
            let n = ch.bars.len();
            let i = ((frac * n as f64).floor() as usize).min(n.saturating_sub(1));
            let k = if ch.y_scale > 0.0 { ch.y_scale } else { 1.0 };
            ch.bars.get(i).map(|b| {
                let parts: Vec<String> = ch
                    .components
                    .iter()
                    .zip(&b.values)
                    .map(|(name, v)| format!("{name} {}", super::i18n::sci(v / k)))
                    .collect();
                let total = ch.totals().get(i).copied().unwrap_or(0.0) / k;
                tf(
                    c.lang.get_untracked(),
                    "chart.bar_hover",
                    &[&b.label, &super::i18n::sci(total), &parts.join(", ")],
                )
            })
        });
        readout.set(text.unwrap_or_default());
    };
    let png = move |_| download_png(canvas, id);
    let csv = move |_| {
        let text = chart.with_untracked(|ch| ch.to_csv());
        download_text(&text, "text/csv", &format!("scalecalc-{id}.csv"));
    };

    view! {
        <figure class="chart" id=format!("chart-{id}")>
            <figcaption>{move || t(c.lang.get(), title)}</figcaption>
            <canvas node_ref=canvas role="img" aria-label=move || t(c.lang.get(), title)
                on:mousemove=on_move on:mouseleave=move |_| readout.set(String::new())></canvas>
            <div class="chart-foot">
                <output class="readout" aria-live="polite">{move || readout.get()}</output>
                <span class="exports">
                    <button class="small" on:click=png><T k="export.png"/></button>
                    <button class="small" on:click=csv><T k="export.csv"/></button>
                </span>
            </div>
        </figure>
    }
}
