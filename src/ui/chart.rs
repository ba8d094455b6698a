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
}

impl<B> CachedText<B> {
    fn new(inner: B, canvas: &web_sys::HtmlCanvasElement) -> Self {
        let ctx = canvas
            .get_context("2d")
            .ok()
            .flatten()
            .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok());
        Self {
            inner,
            ctx,
            open: None,
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

/// The panel around a chart's canvas: title, the canvas (labelled by the title), a read-out of the
/// point under the pointer, and the PNG and CSV exports.
fn chart_frame(
    id: &'static str,
    title: &'static str,
    canvas: NodeRef<Canvas>,
    readout: Readout,
    on_move: impl FnMut(web_sys::MouseEvent) + 'static,
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
    let Readout { text, url, pinned } = readout;
    // Both the pointer's moves and a click read the point under the pointer.
    let on_move = std::rc::Rc::new(std::cell::RefCell::new(on_move));
    let hover = on_move.clone();
    let on_hover = move |ev: web_sys::MouseEvent| {
        if !pinned.get_untracked() {
            (hover.borrow_mut())(ev)
        }
    };
    // A click (or a tap) keeps the read-out of the point under it, so that its source link can
    // be followed; a second click lets it follow the pointer again.
    let on_click = move |ev: web_sys::MouseEvent| {
        (on_move.borrow_mut())(ev);
        pinned.set(!pinned.get_untracked() && !text.get_untracked().is_empty());
    };
    view! {
        <figure class="chart" id=format!("chart-{id}")>
            <figcaption>{move || t(c.lang.get(), title)}</figcaption>
            <canvas node_ref=canvas role="img" aria-label=move || t(c.lang.get(), title)
                on:mousemove=on_hover on:click=on_click
                on:mouseleave=move |_| if !pinned.get_untracked() { text.set(String::new()); url.set(String::new()) }></canvas>
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

/// The read-out under a chart: the text, the point's source URL (empty: none) and whether a click
/// pinned it.
#[derive(Clone, Copy)]
struct Readout {
    text: RwSignal<String>,
    url: RwSignal<String>,
    pinned: RwSignal<bool>,
}

impl Readout {
    fn new() -> Self {
        Self {
            text: RwSignal::new(String::new()),
            url: RwSignal::new(String::new()),
            pinned: RwSignal::new(false),
        }
    }
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
        let root = CachedText::new(backend, &el_for_ctx).into_drawing_area();
        if let Ok(m) = line::draw(&root, &data, ChartStyle { scale: dpr, dark }) {
            mapping.set_value(m);
        }
        count_draw(canvas, draws);
        // Milliseconds spent building the chart data and painting it, for the browser tests.
        if let Some(el) = canvas.get_untracked() {
            let _ = el.set_attribute("data-ms", &format!("{:.1}/{:.1}", t1 - t0, now_ms() - t1));
        }
    });

    let on_move = move |ev: web_sys::MouseEvent| {
        let dpr = device_pixel_ratio();
        let (px, py) = (
            f64::from(ev.offset_x()) * dpr,
            f64::from(ev.offset_y()) * dpr,
        );
        let m = mapping.get_value();
        let near = m
            .to_data(px, py)
            .and_then(|(x, y)| chart.with_untracked(|ch| ch.nearest_point(x, y)));
        let (text, url) = match near {
            Some(line::Nearest {
                info: Some(info), ..
            }) => (info.text, info.url),
            Some(n) => (
                tf(
                    c.lang.get_untracked(),
                    "chart.hover",
                    &[&n.series, &super::i18n::sci(n.x), &super::i18n::sci(n.y)],
                ),
                String::new(),
            ),
            None => Default::default(),
        };
        readout.text.set(text);
        readout.url.set(url);
    };

    let csv = move || chart.with_untracked(|ch| ch.to_csv());
    chart_frame(id, title, canvas, readout, on_move, csv)
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
        let _ = bar::draw(
            &CachedText::new(backend, &el_for_ctx).into_drawing_area(),
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
        readout.text.set(text.unwrap_or_default());
    };

    let csv = move || chart.with_untracked(|ch| ch.to_csv());
    chart_frame(id, title, canvas, readout, on_move, csv)
}
