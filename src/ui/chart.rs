//! A canvas that draws a `LineChart` sharply on HiDPI screens, with a hover read-out of the nearest
//! point and PNG / CSV export.

use super::ctx;
use super::exports;
use super::i18n::{t, tf};
use crate::chart::bar::{self, StackedBarChart};
use crate::chart::line::{self, LineChart, Mapping};
use crate::chart::ChartStyle;
use crate::model::scenario::Section;
use crate::ui::i18n::T;
use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::prelude::{DrawingBackend, IntoDrawingArea};
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind,
};
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

/// A backend that remembers text sizes and batches straight lines. plotters measures text (tick
/// labels, legends) by adding a `<span>` to the page and reading its size, a forced layout of the
/// whole page per label; the labels repeat from one draw to the next, so a cache removes nearly all
/// of them. And plotters-canvas strokes every line (each grid line of a log axis) as a path of its
/// own, formatting and parsing its colour each time: here consecutive lines of one style are
/// added to one path and stroked once, when the style changes or anything else is drawn.
struct CachedText<B> {
    inner: B,
    ctx: Option<web_sys::CanvasRenderingContext2d>,
    /// The style of the open batch of lines: colour, alpha bits, width.
    open: Option<((u8, u8, u8), u64, u32)>,
    /// Every text drawn, with its box in backend pixels (left, top, right, bottom): the page's
    /// tests check that none runs past the canvas's edge.
    texts: Labels,
}

/// The texts a draw put on the canvas, with their boxes.
type Labels = std::rc::Rc<std::cell::RefCell<Vec<(String, [i32; 4])>>>;

impl<B> CachedText<B> {
    fn new(inner: B, canvas: &web_sys::HtmlCanvasElement, texts: Labels) -> Self {
        let ctx = canvas
            .get_context("2d")
            .ok()
            .flatten()
            .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok());
        Self {
            inner,
            ctx,
            open: None,
            texts,
        }
    }

    /// The size of `text` from the canvas's own metrics (width; the font's ascent plus descent,
    /// which is a line box's height, as plotters' `<span>` measures): nothing is added to the
    /// page, so no layout is forced. `None` where the browser lacks the font bounding box.
    fn measure<S: BackendTextStyle>(&self, text: &str, style: &S) -> Option<(u32, u32)> {
        let ctx = self.ctx.as_ref()?;
        // draw_text sets the font again before drawing.
        ctx.set_font(&format!(
            "{} {}px {}",
            style.style().as_str(),
            style.size(),
            style.family().as_str()
        ));
        let m = ctx.measure_text(text).ok()?;
        let h = m.font_bounding_box_ascent() + m.font_bounding_box_descent();
        (h.is_finite() && h > 0.0 && m.width().is_finite())
            .then(|| (m.width().ceil() as u32, h.ceil() as u32))
    }

    /// Strokes the open batch of lines, if any (also on drop: plotters need not call `present`).
    fn flush(&mut self) {
        if let (Some(ctx), Some(_)) = (&self.ctx, self.open.take()) {
            ctx.stroke();
        }
    }
}

impl<B> Drop for CachedText<B> {
    fn drop(&mut self) {
        self.flush();
    }
}

type TextKey = (String, String, u64, String);

thread_local! {
    static TEXT_SIZES: std::cell::RefCell<std::collections::HashMap<TextKey, (u32, u32)>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

/// Cache entries kept at most (labels of every chart in both languages fit easily).
const TEXT_CACHE_MAX: usize = 4096;

impl<B: DrawingBackend> DrawingBackend for CachedText<B> {
    type ErrorType = B::ErrorType;
    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }
    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.inner.ensure_prepared()
    }
    fn present(&mut self) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.flush();
        self.inner.present()
    }
    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.flush();
        self.inner.draw_pixel(point, color)
    }
    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        let Some(ctx) = &self.ctx else {
            return self.inner.draw_line(from, to, style);
        };
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let key = (color.rgb, color.alpha.to_bits(), style.stroke_width());
        if self.open != Some(key) {
            if self.open.is_some() {
                ctx.stroke();
            }
            let (r, g, b) = color.rgb;
            ctx.set_stroke_style_str(&format!("rgba({r},{g},{b},{})", color.alpha));
            ctx.set_line_width(f64::from(style.stroke_width()));
            ctx.begin_path();
            self.open = Some(key);
        }
        // Horizontal and vertical lines on the pixel grid, as plotters-canvas does.
        let (mut a, mut b) = (
            (f64::from(from.0), f64::from(from.1)),
            (f64::from(to.0), f64::from(to.1)),
        );
        if from.0 == to.0 {
            a.0 -= 0.5;
            b.0 -= 0.5;
        }
        if from.1 == to.1 {
            a.1 -= 0.5;
            b.1 -= 0.5;
        }
        ctx.move_to(a.0, a.1);
        ctx.line_to(b.0, b.1);
        Ok(())
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.flush();
        self.inner.draw_rect(upper_left, bottom_right, style, fill)
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.flush();
        self.inner.draw_path(path, style)
    }
    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.flush();
        self.inner.draw_circle(center, radius, style, fill)
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.flush();
        self.inner.fill_polygon(vert, style)
    }
    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.flush();
        if let Ok((w, h)) = self.estimate_text_size(text, style) {
            use plotters_backend::text_anchor::{HPos, VPos};
            use plotters_backend::FontTransform;
            let (w, h) = (w as i32, h as i32);
            let a = style.anchor();
            let x0 = match a.h_pos {
                HPos::Left => 0,
                HPos::Center => -w / 2,
                HPos::Right => -w,
            };
            let y0 = match a.v_pos {
                VPos::Top => 0,
                VPos::Center => -h / 2,
                VPos::Bottom => -h,
            };
            // The box in the text's own frame, turned as the backend turns the text.
            let (l, t, r, b) = (x0, y0, x0 + w, y0 + h);
            let (l, t, r, b) = match style.transform() {
                FontTransform::Rotate90 => (-b, l, -t, r),
                FontTransform::Rotate180 => (-r, -b, -l, -t),
                FontTransform::Rotate270 => (t, -r, b, -l),
                FontTransform::None => (l, t, r, b),
            };
            self.texts.borrow_mut().push((
                text.to_string(),
                [pos.0 + l, pos.1 + t, pos.0 + r, pos.1 + b],
            ));
        }
        self.inner.draw_text(text, style, pos)
    }
    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<Self::ErrorType>> {
        let key: TextKey = (
            style.family().as_str().to_string(),
            style.style().as_str().to_string(),
            style.size().to_bits(),
            text.to_string(),
        );
        if let Some(v) = TEXT_SIZES.with(|m| m.borrow().get(&key).copied()) {
            return Ok(v);
        }
        let v = match self.measure(text, style) {
            Some(v) => v,
            None => self.inner.estimate_text_size(text, style)?,
        };
        TEXT_SIZES.with(|m| {
            let mut m = m.borrow_mut();
            if m.len() >= TEXT_CACHE_MAX {
                m.clear();
            }
            m.insert(key, v);
        });
        Ok(v)
    }
    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        size: (u32, u32),
        src: &[u8],
    ) -> Result<(), DrawingErrorKind<Self::ErrorType>> {
        self.flush();
        self.inner.blit_bitmap(pos, size, src)
    }
}

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or(0.0)
}

/// How far outside the viewport a chart still counts as visible, in viewport heights: charts half
/// a screen away are kept drawn, so scrolling shows them at once.
const VISIBLE_MARGIN_SCREENS: f64 = 0.5;

/// Whether `el` is within [`VISIBLE_MARGIN_SCREENS`] of the viewport now (forces layout once).
/// Not while it is outside the document (a deferred part is built before it is inserted): it
/// has no size yet, and the observer reports it once it is in.
fn near_viewport(el: &web_sys::HtmlCanvasElement) -> bool {
    if !el.is_connected() {
        return false;
    }
    let Some(w) = web_sys::window() else {
        return true;
    };
    let h = w
        .inner_height()
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or(1e9);
    let r = el.get_bounding_client_rect();
    let m = h * VISIBLE_MARGIN_SCREENS;
    r.bottom() > -m && r.top() < h + m
}

/// An `IntersectionObserver` that keeps `visible` up to date, with its callback.
struct VisibilityObserver {
    observer: web_sys::IntersectionObserver,
    _callback: wasm_bindgen::closure::Closure<dyn FnMut(js_sys::Array)>,
}

impl VisibilityObserver {
    fn new(el: &web_sys::HtmlCanvasElement, visible: RwSignal<bool>) -> Option<Self> {
        let callback = wasm_bindgen::closure::Closure::<dyn FnMut(js_sys::Array)>::new(
            move |entries: js_sys::Array| {
                if let Some(e) = entries
                    .iter()
                    .last()
                    .and_then(|e| e.dyn_into::<web_sys::IntersectionObserverEntry>().ok())
                {
                    let now = e.is_intersecting();
                    if visible.get_untracked() != now {
                        visible.set(now);
                    }
                }
            },
        );
        let opts = web_sys::IntersectionObserverInit::new();
        let pct = VISIBLE_MARGIN_SCREENS * 100.0;
        opts.set_root_margin(&format!("{pct}% 0px {pct}% 0px"));
        let observer = web_sys::IntersectionObserver::new_with_options(
            callback.as_ref().unchecked_ref(),
            &opts,
        )
        .ok()?;
        observer.observe(el);
        Some(Self {
            observer,
            _callback: callback,
        })
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
    // Only when it changed: a new size reallocates the bitmap and invalidates the page's layout,
    // which the next chart's size read would then recompute. Every draw paints the whole canvas.
    let (w, h) = ((css_w * dpr).round() as u32, (css_h * dpr).round() as u32);
    if el.width() != w {
        el.set_width(w);
    }
    if el.height() != h {
        el.set_height(h);
    }
    dpr
}

/// What the pointer does on a chart: `read` reads the point under it (shows the read-out and the
/// marker, or clears them off any point).
struct Pointer<F> {
    read: F,
}

/// The panel around a chart's canvas: title, the canvas (labelled by the title) with the marker
/// of the point under the pointer or finger, a read-out of that point, and the PNG and CSV exports.
fn chart_frame(
    id: &'static str,
    title: &'static str,
    canvas: NodeRef<Canvas>,
    readout: Readout,
    pointer: Pointer<impl FnMut(&web_sys::MouseEvent) + 'static>,
    csv_text: impl Fn() -> String + 'static,
) -> impl IntoView {
    let c = ctx();
    let plan = super::plan::plan_memo();
    let png = move |_| {
        let l = c.lang.get_untracked();
        let sec = section_of(id);
        let whole = c
            .scenario
            .with_untracked(|s| super::plan_steps::whole_plan(plan, s));
        let sources = exports::sources(&whole, sec)
            .iter()
            .map(|s| s.citation)
            .collect::<Vec<_>>()
            .join("; ");
        let text = PngText {
            title: t(l, title).to_string(),
            inputs: c
                .scenario
                .with_untracked(|s| exports::key_inputs(l, s, sec)),
            sources: format!("{}{sources}", exports::t(l, "export.sources")),
            link: web_sys::window()
                .and_then(|w| w.location().href().ok())
                .unwrap_or_default(),
            dark: c.dark.get_untracked(),
        };
        download_png(canvas, id, &text)
    };
    let csv = move |_| download_text(&csv_text(), "text/csv", &format!("scalecalc-{id}.csv"));
    let Readout {
        text,
        url,
        pinned,
        marker,
        ..
    } = readout;
    // A mouse's moves, a finger's touch and drag, and a click all read the point under them.
    let read = std::rc::Rc::new(std::cell::RefCell::new(pointer.read));
    let (on_move, on_down) = (read.clone(), read.clone());
    let on_move = move |ev: web_sys::PointerEvent| {
        if !pinned.get_untracked() {
            (on_move.borrow_mut())(&ev)
        }
    };
    let on_down = move |ev: web_sys::PointerEvent| {
        if ev.pointer_type() != "mouse" && !pinned.get_untracked() {
            (on_down.borrow_mut())(&ev)
        }
    };
    // A click (or a tap) keeps the read-out of the point under it, so that its source link can
    // be followed; a second click lets it follow the pointer again.
    let on_click = move |ev: web_sys::MouseEvent| {
        (read.borrow_mut())(&ev);
        pinned.set(!pinned.get_untracked() && !text.get_untracked().is_empty());
    };
    // A mouse leaving clears the read-out; a finger lifted leaves it (and the marker) shown.
    let on_leave = move |ev: web_sys::PointerEvent| {
        if ev.pointer_type() == "mouse" && !pinned.get_untracked() {
            readout.clear();
        }
    };
    let at = move |k: usize| marker.with(|m| m.map_or(0.0, |m| m[k]));
    view! {
        <figure class="chart" id=format!("chart-{id}")>
            <figcaption>{move || t(c.lang.get(), title)}</figcaption>
            <div class="chart-box">
                <canvas node_ref=canvas role="img" aria-label=move || t(c.lang.get(), title)
                    on:pointermove=on_move on:pointerdown=on_down on:click=on_click
                    on:pointerleave=on_leave></canvas>
                <span class="chart-cross-v" aria-hidden="true" hidden=move || marker.with(Option::is_none)
                    style=move || format!("left:{}px;top:{}px;height:{}px", at(0), at(3), at(5))></span>
                <span class="chart-cross-h" aria-hidden="true" hidden=move || marker.with(Option::is_none)
                    style=move || format!("left:{}px;top:{}px;width:{}px", at(2), at(1), at(4))></span>
                <span class="chart-dot" aria-hidden="true" hidden=move || marker.with(Option::is_none)
                    style=move || format!("left:{}px;top:{}px", at(0), at(1))></span>
            </div>
            <div class="chart-foot">
                <output class="readout" aria-live="polite">{move || text.get()}
                    <Show when=move || !url.with(String::is_empty)>
                        " " <a class="point-source" href=move || url.get() target="_blank" rel="noopener">{move || t(c.lang.get(), "chart.source")}</a>
                    </Show>
                </output>
                <span class="exports">
                    <button class="small" on:click=png><T k="export.png"/></button>
                    <button class="small" on:click=csv><T k="export.csv"/></button>
                </span>
            </div>
        </figure>
    }
}

/// The read-out under a chart: the text, the point's source URL (empty: none), whether a click
/// pinned it, and the marker on the chart: the point (x, y) and the plotting area (left, top,
/// width, height), in CSS pixels of the chart's box. `point` keeps the point's data coordinates,
/// so that a redraw (new data, new width) moves the marker with the curve.
#[derive(Clone, Copy)]
struct Readout {
    text: RwSignal<String>,
    url: RwSignal<String>,
    pinned: RwSignal<bool>,
    marker: RwSignal<Option<[f64; 6]>>,
    point: StoredValue<Option<(f64, f64)>>,
}

impl Readout {
    fn new() -> Self {
        Self {
            text: RwSignal::new(String::new()),
            url: RwSignal::new(String::new()),
            pinned: RwSignal::new(false),
            marker: RwSignal::new(None),
            point: StoredValue::new(None),
        }
    }

    fn clear(&self) {
        self.text.set(String::new());
        self.url.set(String::new());
        self.marker.set(None);
        self.point.set_value(None);
    }

    /// Shows `text` for the point (x, y) of a chart drawn with `m`.
    fn show(&self, el: &web_sys::HtmlCanvasElement, m: &Mapping, x: f64, y: f64, text: String) {
        self.text.set(text);
        self.point.set_value(Some((x, y)));
        self.place(el, m);
    }

    /// Puts the marker on its point after a draw with `m`.
    fn place(&self, el: &web_sys::HtmlCanvasElement, m: &Mapping) {
        let Some((x, y)) = self.point.get_value() else {
            return;
        };
        let dpr = device_pixel_ratio();
        // The canvas's border: the box's coordinates start outside it.
        let b = f64::from(el.client_left());
        let (px, py) = m.to_pixel(x, y);
        let v = [
            b + px / dpr,
            b + py / dpr,
            b + m.left / dpr,
            b + m.top / dpr,
            m.width / dpr,
            m.height / dpr,
        ];
        if v.iter().all(|v| v.is_finite()) {
            self.marker.set(Some(v));
        }
    }
}

/// What the page's tests read of a drawn chart, on its canvas in CSS pixels: the plotting area
/// (`data-plot`: left top width height), the legend (`data-legend`, zero size without one),
/// every text drawn (`data-labels`: a line per text, `left top right bottom text`) and a
/// fingerprint of each series drawn (`data-series`: its points' hash and count), and the axes'
/// labels, which carry their units (`data-axes`: x, a line break, y).
fn expose(
    el: &web_sys::HtmlCanvasElement,
    m: &Mapping,
    texts: &Labels,
    series: &str,
    axes: (&str, &str),
) {
    let dpr = device_pixel_ratio();
    let css = |v: f64| format!("{:.1}", v / dpr);
    let rect = |r: [f64; 4]| r.map(css).join(" ");
    let _ = el.set_attribute("data-plot", &rect([m.left, m.top, m.width, m.height]));
    let _ = el.set_attribute("data-legend", &rect(m.legend));
    let mut out = String::new();
    for (text, [l, t, r, b]) in texts.borrow().iter() {
        let r = rect([l, t, r, b].map(|v| f64::from(*v)));
        out.push_str(&format!("{r} {}\n", text.replace('\n', " ")));
    }
    let _ = el.set_attribute("data-labels", &out);
    let _ = el.set_attribute("data-series", series);
    let _ = el.set_attribute("data-axes", &format!("{}\n{}", axes.0, axes.1));
}

/// A draw counter on the canvas (`data-draws`), so tests (and curious readers) can see the chart
/// was redrawn.
fn count_draw(canvas: NodeRef<Canvas>, draws: StoredValue<u64>) {
    draws.update_value(|n| *n += 1);
    if let Some(el) = canvas.get_untracked() {
        let _ = el.set_attribute("data-draws", &draws.get_value().to_string());
    }
}

/// What a chart's PNG carries around its plot: the title above, with a line of its section's key
/// inputs; the sources of its numbers and the page's link below.
struct PngText {
    title: String,
    inputs: String,
    sources: String,
    link: String,
    dark: bool,
}

/// `text` broken into lines no wider than `max_w` (at a space where one is near, else between
/// characters, so Chinese and links break too), at most `max_lines`, the last cut with "…".
fn wrap(
    ctx: &web_sys::CanvasRenderingContext2d,
    text: &str,
    max_w: f64,
    max_lines: usize,
) -> Vec<String> {
    let width = |s: &str| ctx.measure_text(s).map(|m| m.width()).unwrap_or(0.0);
    let mut lines = Vec::new();
    let mut line = String::new();
    for ch in text.chars() {
        line.push(ch);
        if width(&line) <= max_w {
            continue;
        }
        line.pop();
        if lines.len() + 1 == max_lines {
            while !line.is_empty() && width(&format!("{line}…")) > max_w {
                line.pop();
            }
            lines.push(format!("{line}…"));
            return lines;
        }
        // Break at the last space of the line's second half, if any.
        let cut = line
            .rfind(' ')
            .filter(|&i| i > line.len() / 2)
            .map_or(line.len(), |i| i + 1);
        let rest = line.split_off(cut);
        lines.push(std::mem::take(&mut line).trim_end().to_string());
        line = rest;
        line.push(ch);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// The chart's canvas framed by its title, inputs, sources and link, as a PNG data URL.
fn framed_png(src: &web_sys::HtmlCanvasElement, text: &PngText) -> Option<String> {
    let doc = web_sys::window()?.document()?;
    let out: web_sys::HtmlCanvasElement = doc.create_element("canvas").ok()?.dyn_into().ok()?;
    let w = f64::from(src.width());
    // The chart's own scale (its backing store per CSS pixel), so the text matches its labels.
    let k = (w / f64::from(src.client_width().max(1))).clamp(1.0, 4.0);
    let (pad, title_h, small_h) = (12.0 * k, 24.0 * k, 17.0 * k);
    let family =
        "system-ui, -apple-system, 'Segoe UI', 'PingFang SC', 'Microsoft YaHei', sans-serif";
    let (title_font, small_font) = (
        format!("600 {}px {family}", 16.0 * k),
        format!("{}px {family}", 12.0 * k),
    );
    // Measure with a context of the final canvas (its size is set below; fonts survive it not,
    // so they are set again before drawing).
    let ctx: web_sys::CanvasRenderingContext2d = out.get_context("2d").ok()??.dyn_into().ok()?;
    let max_w = w - 2.0 * pad;
    ctx.set_font(&title_font);
    let title = wrap(&ctx, &text.title, max_w, 2);
    ctx.set_font(&small_font);
    let inputs = wrap(&ctx, &text.inputs, max_w, 2);
    let sources = wrap(&ctx, &text.sources, max_w, 3);
    let link = wrap(&ctx, &text.link, max_w, 2);
    let top = pad + title.len() as f64 * title_h + inputs.len() as f64 * small_h + pad / 2.0;
    let bottom = pad / 2.0 + (sources.len() + link.len()) as f64 * small_h + pad;
    let h = top + f64::from(src.height()) + bottom;
    out.set_width(src.width());
    out.set_height(h.ceil() as u32);
    let (bg, fg, muted) = if text.dark {
        ("#16181d", "#eceff4", "#a9b0bc")
    } else {
        ("#ffffff", "#1a1d23", "#555b66")
    };
    ctx.set_fill_style_str(bg);
    ctx.fill_rect(0.0, 0.0, w, h);
    ctx.set_text_baseline("top");
    let mut y = pad;
    let put = |lines: &[String], font: &str, color: &str, step: f64, y: &mut f64| {
        ctx.set_font(font);
        ctx.set_fill_style_str(color);
        for l in lines {
            let _ = ctx.fill_text(l, pad, *y);
            *y += step;
        }
    };
    put(&title, &title_font, fg, title_h, &mut y);
    put(&inputs, &small_font, muted, small_h, &mut y);
    let _ = ctx.draw_image_with_html_canvas_element(src, 0.0, top);
    let mut y = top + f64::from(src.height()) + pad / 2.0;
    put(&sources, &small_font, muted, small_h, &mut y);
    put(&link, &small_font, muted, small_h, &mut y);
    out.to_data_url().ok()
}

/// The PNG export of a chart: its canvas framed by `text` (the bare canvas where that fails).
fn download_png(canvas: NodeRef<Canvas>, id: &str, text: &PngText) {
    if let Some(el) = canvas.get_untracked() {
        if let Some(url) = framed_png(&el, text).or_else(|| el.to_data_url().ok()) {
            trigger_download(&url, &format!("scalecalc-{id}.png"));
        }
    }
}

/// The section a chart is in, from its id's prefix (`sc-`, `train-`, `inf-`; `density…` and
/// `atlas-`); the plan's otherwise.
fn section_of(id: &str) -> Section {
    [
        ("sc-", Section::Scaling),
        ("train-", Section::Training),
        ("inf-", Section::Inference),
        ("density", Section::Density),
        ("atlas-", Section::Density),
    ]
    .into_iter()
    .find(|(p, _)| id.starts_with(p))
    .map_or(Section::Plan, |(_, s)| s)
}

thread_local! {
    static PRINTING: std::cell::OnceCell<RwSignal<bool>> = const { std::cell::OnceCell::new() };
}

/// Whether the page is being printed (or shown as print media): every chart then draws, not
/// only those near the viewport. Set by `beforeprint`/`afterprint` and by the `print` media
/// query (which a print preview and an emulated print medium change).
fn printing() -> RwSignal<bool> {
    PRINTING.with(|p| {
        *p.get_or_init(|| {
            let on = RwSignal::new(false);
            if let Some(w) = web_sys::window() {
                let listen = |target: &web_sys::EventTarget, event: &str, f: Box<dyn Fn()>| {
                    let cb = wasm_bindgen::closure::Closure::<dyn Fn()>::new(f);
                    let _ =
                        target.add_event_listener_with_callback(event, cb.as_ref().unchecked_ref());
                    // Listens for the page's lifetime.
                    cb.forget();
                };
                listen(&w, "beforeprint", Box::new(move || on.set(true)));
                listen(&w, "afterprint", Box::new(move || on.set(false)));
                if let Ok(Some(mq)) = w.match_media("print") {
                    on.set(mq.matches());
                    let m = mq.clone();
                    listen(&mq, "change", Box::new(move || on.set(m.matches())));
                }
            }
            on
        })
    })
}

/// Whether the canvas is near the viewport. Charts outside it are not drawn (an input change then
/// costs only the charts a person can see); they draw when scrolled near the viewport.
fn visibility(canvas: NodeRef<Canvas>) -> RwSignal<bool> {
    let visible = RwSignal::new(false);
    let observer = StoredValue::new_local(None::<VisibilityObserver>);
    Effect::new(move |_| {
        let Some(el) = canvas.get() else { return };
        if observer.with_value(|o| o.is_some()) {
            return;
        }
        let obs = VisibilityObserver::new(&el, visible);
        // Without an observer, always draw.
        visible.set(obs.is_none() || near_viewport(&el));
        observer.set_value(obs);
    });
    on_cleanup(move || {
        observer.update_value(|o| {
            if let Some(o) = o.take() {
                o.observer.disconnect();
            }
        })
    });
    visible
}

/// A fingerprint of each series `line::draw` draws: a hash of its points and their count.
fn series_prints(c: &LineChart) -> String {
    line::drawn_series(c)
        .iter()
        .map(|(i, _)| {
            let pts = &c.series[*i].points;
            let mut h: u64 = 0xcbf2_9ce4_8422_2325;
            for (x, y) in pts {
                for v in [x.to_bits(), y.to_bits()] {
                    h = (h ^ v).wrapping_mul(0x100_0000_01b3);
                }
            }
            format!("{h:016x}:{}", pts.len())
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The read-out of a point: its series, then each axis's label (which carries its unit) with the
/// value (a date on a date axis).
fn point_text(lang: crate::model::scenario::Lang, ch: &LineChart, n: &line::Nearest) -> String {
    let x = if ch.x_is_year {
        line::year_month(n.x)
    } else {
        super::i18n::sci(n.x)
    };
    let values = format!(
        "{} = {x} · {} = {}",
        ch.x_label,
        ch.y_label,
        super::i18n::sci(n.y)
    );
    if n.series.is_empty() {
        values
    } else {
        tf(lang, "chart.point", &[&n.series, &values])
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
    let readout = Readout::new();
    let draws = StoredValue::new(0u64);
    let visible = visibility(canvas);
    let printing = printing();

    Effect::new(move |_| {
        if !visible.get() && !printing.get() {
            return;
        }
        let t0 = now_ms();
        let data = chart.get();
        let dark = c.dark.get();
        let t1 = now_ms();
        let Some(el) = canvas.get() else { return };
        let dpr = size_canvas(&el);
        let el_for_ctx = el.clone();
        let Some(backend) = CanvasBackend::with_canvas_object(el) else {
            return;
        };
        let texts = Labels::default();
        let root = CachedText::new(backend, &el_for_ctx, texts.clone()).into_drawing_area();
        if let Ok(m) = line::draw(&root, &data, ChartStyle { scale: dpr, dark }) {
            mapping.set_value(m);
            expose(
                &el_for_ctx,
                &m,
                &texts,
                &series_prints(&data),
                (&data.x_label, &data.y_label),
            );
            readout.place(&el_for_ctx, &m);
        }
        count_draw(canvas, draws);
        // Milliseconds spent building the chart data and painting it, for the browser tests.
        let _ =
            el_for_ctx.set_attribute("data-ms", &format!("{:.1}/{:.1}", t1 - t0, now_ms() - t1));
    });

    let read = move |ev: &web_sys::MouseEvent| {
        let Some(el) = canvas.get_untracked() else {
            return;
        };
        let dpr = device_pixel_ratio();
        let (px, py) = (
            f64::from(ev.offset_x()) * dpr,
            f64::from(ev.offset_y()) * dpr,
        );
        let m = mapping.get_value();
        let near = m
            .to_data(px, py)
            .and_then(|(x, y)| chart.with_untracked(|ch| ch.nearest_point(x, y)));
        let Some(n) = near else {
            readout.clear();
            return;
        };
        let (text, url) = match &n.info {
            Some(info) => (info.text.clone(), info.url.clone()),
            None => (
                chart.with_untracked(|ch| point_text(c.lang.get_untracked(), ch, &n)),
                String::new(),
            ),
        };
        readout.url.set(url);
        readout.show(&el, &m, n.x, n.y, text);
    };

    let csv = move || chart.with_untracked(|ch| ch.to_csv());
    chart_frame(id, title, canvas, readout, Pointer { read }, csv)
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
    let mapping = StoredValue::new(Mapping::default());
    let readout = Readout::new();
    let draws = StoredValue::new(0u64);
    // Built outside the document (a deferred section), the canvas has no size yet: draw on the
    // next frame, once it is in.
    let inserted = RwSignal::new(0u32);
    let visible = visibility(canvas);
    let printing = printing();

    Effect::new(move |_| {
        if !visible.get() && !printing.get() {
            return;
        }
        let data = chart.get();
        let dark = c.dark.get();
        inserted.track();
        let Some(el) = canvas.get() else { return };
        if !el.is_connected() {
            request_animation_frame(move || {
                let _ = inserted.try_update(|n| *n += 1);
            });
            return;
        }
        let dpr = size_canvas(&el);
        let el_for_ctx = el.clone();
        let Some(backend) = CanvasBackend::with_canvas_object(el) else {
            return;
        };
        let texts = Labels::default();
        if let Ok(m) = bar::draw(
            &CachedText::new(backend, &el_for_ctx, texts.clone()).into_drawing_area(),
            &data,
            ChartStyle { scale: dpr, dark },
        ) {
            mapping.set_value(m);
            expose(&el_for_ctx, &m, &texts, "", (&data.x_label, &data.y_label));
            readout.place(&el_for_ctx, &m);
        }
        count_draw(canvas, draws);
    });

    // The bar under the pointer (bar `i` spans `i..i+1` on the x axis), marked at its top.
    let read = move |ev: &web_sys::MouseEvent| {
        let Some(el) = canvas.get_untracked() else {
            return;
        };
        let dpr = device_pixel_ratio();
        let m = mapping.get_value();
        let (px, py) = (
            f64::from(ev.offset_x()) * dpr,
            f64::from(ev.offset_y()) * dpr,
        );
        let Some((x, _)) = m.to_data(px, py) else {
            readout.clear();
            return;
        };
        let shown = chart.with_untracked(|ch| {
            let n = ch.bars.len();
            let i = (x.floor().max(0.0) as usize).min(n.checked_sub(1)?);
            let k = if ch.y_scale > 0.0 { ch.y_scale } else { 1.0 };
            let b = ch.bars.get(i)?;
            let parts: Vec<String> = ch
                .components
                .iter()
                .zip(&b.values)
                .map(|(name, v)| format!("{name} {}", super::i18n::sci(v / k)))
                .collect();
            let total = ch.totals().get(i).copied().unwrap_or(0.0) / k;
            let text = tf(
                c.lang.get_untracked(),
                "chart.bar_point",
                &[
                    &ch.x_label,
                    &b.label,
                    &ch.y_label,
                    &super::i18n::sci(total),
                    &parts.join(", "),
                ],
            );
            Some((i as f64 + 0.5, total, text))
        });
        match shown {
            Some((x, y, text)) => readout.show(&el, &m, x, y, text),
            None => readout.clear(),
        }
    };

    let csv = move || chart.with_untracked(|ch| ch.to_csv());
    chart_frame(id, title, canvas, readout, Pointer { read }, csv)
}
