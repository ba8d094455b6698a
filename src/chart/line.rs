//! A generic line chart: series of points, optional uncertainty bands, markers, log or linear axes.
//! Every chart of the page is a [`LineChart`] value built from model output, then drawn by
//! [`draw`] on any plotters backend. The same value gives the CSV export and the hover read-out.

use super::style::{pow10_label, ChartStyle};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor;

/// One line.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Series {
    pub name: String,
    pub points: Vec<(f64, f64)>,
    /// Dashed line (e.g. a preset rather than a fit).
    pub dashed: bool,
    /// Shaded band (x, low, high), e.g. a bootstrap 95% interval.
    pub band: Vec<(f64, f64, f64)>,
    /// Draw points as dots instead of a line.
    pub dots: bool,
    /// With `dots`: hollow grey rings (points left out, such as runs excluded from a fit).
    pub hollow: bool,
    /// Colour index into the palette; `None` = the series' position.
    pub color: Option<usize>,
    /// What the hover read-out says of each point (same order as `points`; empty: the series'
    /// name and the values).
    pub info: Vec<PointInfo>,
}

/// A point's own read-out: a line of text and, where it has one, its source's URL.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PointInfo {
    pub text: String,
    pub url: String,
}

/// The point nearest the pointer.
#[derive(Debug, Clone, PartialEq)]
pub struct Nearest {
    pub series: String,
    pub x: f64,
    pub y: f64,
    pub info: Option<PointInfo>,
}

/// A marked point with a label (e.g. the current budget).
#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    pub x: f64,
    pub y: f64,
    pub label: String,
}

/// A horizontal or vertical reference line.
#[derive(Debug, Clone, PartialEq)]
pub enum Rule {
    Horizontal { y: f64, label: String },
    Vertical { x: f64, label: String },
}

/// A chart as plain data.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LineChart {
    pub x_label: String,
    pub y_label: String,
    pub x_log: bool,
    pub y_log: bool,
    /// Custom x tick formatter: years for date axes.
    pub x_is_year: bool,
    pub series: Vec<Series>,
    pub markers: Vec<Marker>,
    pub rules: Vec<Rule>,
    /// The CSV export's column names for x and y: the quantity and its unit in snake_case, e.g.
    /// `compute_flop`, `loss_nats_per_token` (see [`LineChart::to_csv`]); empty: `x`, `y`.
    pub columns: (&'static str, &'static str),
}

impl LineChart {
    /// Every finite plotted value, for the axis ranges.
    fn extent(&self) -> Option<((f64, f64), (f64, f64))> {
        let mut xs = Vec::new();
        let mut ys = Vec::new();
        let ok_x = |x: f64| x.is_finite() && (!self.x_log || x > 0.0);
        let ok_y = |y: f64| y.is_finite() && (!self.y_log || y > 0.0);
        for s in &self.series {
            for &(x, y) in &s.points {
                if ok_x(x) && ok_y(y) {
                    xs.push(x);
                    ys.push(y);
                }
            }
            for &(x, lo, hi) in &s.band {
                if ok_x(x) && ok_y(lo) && ok_y(hi) {
                    ys.push(lo);
                    ys.push(hi);
                }
            }
        }
        for m in &self.markers {
            if ok_x(m.x) && ok_y(m.y) {
                xs.push(m.x);
                ys.push(m.y);
            }
        }
        for r in &self.rules {
            match r {
                Rule::Horizontal { y, .. } if ok_y(*y) => ys.push(*y),
                Rule::Vertical { x, .. } if ok_x(*x) => xs.push(*x),
                _ => {}
            }
        }
        let range = |v: &[f64], log: bool| -> Option<(f64, f64)> {
            let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            if !lo.is_finite() || !hi.is_finite() {
                return None;
            }
            Some(if log {
                let (a, b) = (lo.log10(), hi.log10());
                let pad = ((b - a) * 0.05).max(0.1);
                (10f64.powf(a - pad), 10f64.powf(b + pad))
            } else {
                // Pad by the span; a single value gets 5% of its magnitude. (Padding by the
                // magnitude always would widen a date axis near 2000 by a century.)
                let pad = if hi > lo {
                    (hi - lo) * 0.05
                } else {
                    hi.abs().max(1e-12) * 0.05
                };
                (lo - pad, hi + pad)
            })
        };
        Some((range(&xs, self.x_log)?, range(&ys, self.y_log)?))
    }

    /// The point nearest to (x, y) in the chart's (log-)scaled coordinates: (series, x, y).
    pub fn nearest(&self, x: f64, y: f64) -> Option<(String, f64, f64)> {
        self.nearest_point(x, y).map(|n| (n.series, n.x, n.y))
    }

    /// The point nearest to (x, y), with its own read-out where the series has one.
    pub fn nearest_point(&self, x: f64, y: f64) -> Option<Nearest> {
        let tx = |v: f64| if self.x_log { v.max(1e-300).log10() } else { v };
        let ty = |v: f64| if self.y_log { v.max(1e-300).log10() } else { v };
        let ((x0, x1), (y0, y1)) = self.extent()?;
        let (sx, sy) = (
            (tx(x1) - tx(x0)).abs().max(1e-300),
            (ty(y1) - ty(y0)).abs().max(1e-300),
        );
        let mut best: Option<(f64, &Series, usize)> = None;
        for s in &self.series {
            for (i, &(px, py)) in s.points.iter().enumerate() {
                if !(px.is_finite() && py.is_finite()) {
                    continue;
                }
                let d = ((tx(px) - tx(x)) / sx).powi(2) + ((ty(py) - ty(y)) / sy).powi(2);
                if best.as_ref().is_none_or(|b| d < b.0) {
                    best = Some((d, s, i));
                }
            }
        }
        best.map(|(_, s, i)| Nearest {
            series: s.name.clone(),
            x: s.points[i].0,
            y: s.points[i].1,
            info: s.info.get(i).cloned(),
        })
    }

    /// The series as CSV: one header row, then `series,x,y` rows (bands add `low,high`). The
    /// header names each column by its quantity and unit in snake_case (`compute_flop`,
    /// `loss_nats_per_token`, `usd_per_million_tokens`; a band's bounds add `_low`, `_high`),
    /// with no comment line before it, so a spreadsheet reads it as the header.
    pub fn to_csv(&self) -> String {
        let col = |c: &'static str, d: &'static str| if c.is_empty() { d } else { c };
        let (x, y) = (col(self.columns.0, "x"), col(self.columns.1, "y"));
        let mut out = format!("series,{x},{y},{y}_low,{y}_high\n");
        for s in &self.series {
            let name = s.name.replace(['"', ','], " ");
            for &(x, y) in &s.points {
                out.push_str(&format!("{name},{x:e},{y:e},,\n"));
            }
            for &(x, lo, hi) in &s.band {
                out.push_str(&format!("{name} (band),{x:e},,{lo:e},{hi:e}\n"));
            }
        }
        out
    }
}

/// A date axis's value as a month, `2027-03` (the hover read-out).
pub fn year_month(v: f64) -> String {
    if !v.is_finite() {
        return "—".into();
    }
    let y = v.floor();
    let m = (((v - y) * 12.0).floor() as i64).clamp(0, 11) + 1;
    format!("{}-{m:02}", y as i64)
}

fn format_tick(v: f64, log: bool, year: bool) -> String {
    if log {
        // `v` is log₁₀ of the value: label whole powers of ten only.
        if (v - v.round()).abs() < 1e-6 {
            pow10_label(10f64.powf(v.round()))
        } else {
            String::new()
        }
    } else if year {
        // Whole years as `2024`; ticks between years as `2024-07` (rounding them all to whole
        // years labelled two ticks `2020` on short ranges).
        let y = v.floor();
        let month = ((v - y) * 12.0).round() as i64;
        if month == 0 || month == 12 {
            format!("{}", v.round() as i64)
        } else {
            // `month` whole months have passed: the tick sits at the start of the next one.
            format!("{}-{:02}", y as i64, month + 1)
        }
    } else if v.abs() >= 1e4 || (v != 0.0 && v.abs() < 1e-2) {
        format!("{v:.1e}")
    } else {
        let s = format!("{v:.3}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// Where the plotting area landed, in backend pixels, and the data ranges it shows: enough to
/// turn a pointer position back into data coordinates for the hover read-out. Also where the
/// legend went (`legend`: left, top, width, height; zero size without one), which the page's
/// tests check against the plot.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Mapping {
    pub left: f64,
    pub top: f64,
    pub width: f64,
    pub height: f64,
    pub x_range: (f64, f64),
    pub y_range: (f64, f64),
    pub x_log: bool,
    pub y_log: bool,
    pub legend: [f64; 4],
}

impl Mapping {
    /// Data coordinates of a backend pixel, or `None` outside the plotting area.
    pub fn to_data(&self, px: f64, py: f64) -> Option<(f64, f64)> {
        if self.width <= 0.0 || self.height <= 0.0 {
            return None;
        }
        let fx = (px - self.left) / self.width;
        let fy = 1.0 - (py - self.top) / self.height;
        if !(0.0..=1.0).contains(&fx) || !(0.0..=1.0).contains(&fy) {
            return None;
        }
        let lerp = |(a, b): (f64, f64), f: f64, log: bool| {
            if log {
                10f64.powf(a.log10() + f * (b.log10() - a.log10()))
            } else {
                a + f * (b - a)
            }
        };
        Some((
            lerp(self.x_range, fx, self.x_log),
            lerp(self.y_range, fy, self.y_log),
        ))
    }

    /// Backend pixel of a data point.
    pub fn to_pixel(&self, x: f64, y: f64) -> (f64, f64) {
        let frac = |(a, b): (f64, f64), v: f64, log: bool| {
            if log {
                (v.log10() - a.log10()) / (b.log10() - a.log10())
            } else {
                (v - a) / (b - a)
            }
        };
        (
            self.left + frac(self.x_range, x, self.x_log) * self.width,
            self.top + (1.0 - frac(self.y_range, y, self.y_log)) * self.height,
        )
    }
}

/// How a legend entry shows its series.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Swatch {
    Line,
    Dashed,
    Dot,
    /// A hollow grey ring (points left out).
    Ring,
    /// A filled square (a bar's component).
    Block,
}

/// One legend entry.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LegendItem {
    pub name: String,
    pub swatch: Swatch,
    pub color: RGBColor,
}

/// A legend entry's swatch and the gap before its name, in CSS pixels: small enough that two
/// entries such as "doubling every 3.3 months" share a row on a 360-px phone.
const LEGEND_SWATCH: f64 = 14.0;
const LEGEND_GAP: f64 = 4.0;

/// The legend's entries placed under the plot, left to right, wrapping at the canvas width: it
/// never covers data at any width. `height` is what it takes from the bottom of the canvas.
pub(crate) struct Legend {
    items: Vec<(LegendItem, i32, i32)>,
    row: i32,
    pub height: u32,
    pub width: u32,
}

/// A text as it fits, with its width and height.
pub(crate) type Fitted = (String, (i32, i32));

/// `text` as it fits `max_w` pixels in `font`: whole, or cut and ended with "…". With its size.
pub(crate) fn fit_text<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    font: &TextStyle,
    max_w: i32,
) -> Result<Fitted, DrawingAreaErrorKind<DB::ErrorType>> {
    let (w, h) = area.estimate_text_size(text, font)?;
    if w as i32 <= max_w {
        return Ok((text.to_string(), (w as i32, h as i32)));
    }
    let mut chars: Vec<char> = text.chars().collect();
    while chars.len() > 1 {
        chars.pop();
        let s: String = chars.iter().collect::<String>().trim_end().to_string() + "…";
        let (w, h) = area.estimate_text_size(&s, font)?;
        if w as i32 <= max_w {
            return Ok((s, (w as i32, h as i32)));
        }
    }
    Ok(("…".into(), (0, h as i32)))
}

/// Lays the legend out for a canvas `root` (measuring through the backend, which the page caches).
pub(crate) fn legend_layout<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    items: Vec<LegendItem>,
    st: ChartStyle,
    font: &TextStyle,
) -> Result<Legend, DrawingAreaErrorKind<DB::ErrorType>> {
    let (w, _) = root.dim_in_pixel();
    let (margin, swatch, gap, sep) = (
        st.px(12.0) as i32,
        st.px(LEGEND_SWATCH) as i32,
        st.px(LEGEND_GAP) as i32,
        st.px(12.0) as i32,
    );
    let right = w as i32 - margin;
    let room = (right - margin - swatch - gap).max(1);
    let mut sized = Vec::with_capacity(items.len());
    let mut text_h = 0;
    for mut it in items {
        let (name, (tw, th)) = fit_text(root, &it.name, font, room)?;
        it.name = name;
        text_h = text_h.max(th);
        sized.push((it, tw));
    }
    if sized.is_empty() {
        return Ok(Legend {
            items: Vec::new(),
            row: 0,
            height: 0,
            width: 0,
        });
    }
    let row = text_h + st.px(4.0) as i32;
    let (mut x, mut y, mut widest) = (margin, 0, 0);
    let mut placed = Vec::with_capacity(sized.len());
    for (it, tw) in sized {
        let iw = swatch + gap + tw;
        if x > margin && x + iw > right {
            x = margin;
            y += row;
        }
        placed.push((it, x, y));
        widest = widest.max(x + iw);
        x += iw + sep;
    }
    Ok(Legend {
        items: placed,
        row,
        height: (y + row + st.px(8.0) as i32) as u32,
        width: (widest - margin).max(0) as u32,
    })
}

/// Draws a laid-out legend at the top of `area`; gives where it went in backend pixels (left, top,
/// width, height; zero without entries), for [`Mapping::legend`].
pub(crate) fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    legend: &Legend,
    st: ChartStyle,
    font: &TextStyle,
) -> Result<[f64; 4], DrawingAreaErrorKind<DB::ErrorType>> {
    if legend.items.is_empty() {
        return Ok([0.0; 4]);
    }
    let swatch = st.px(LEGEND_SWATCH) as i32;
    let gap = st.px(LEGEND_GAP) as i32;
    let width = st.px(2.0);
    let left = font.pos(text_anchor::Pos::new(
        text_anchor::HPos::Left,
        text_anchor::VPos::Center,
    ));
    for (it, x, y) in &legend.items {
        let (col, xs, y) = (it.color, *x, y + legend.row / 2);
        match it.swatch {
            Swatch::Dashed => {
                let seg = swatch * 2 / 5;
                for a in [xs, xs + swatch - seg] {
                    area.draw(&PathElement::new(
                        vec![(a, y), (a + seg, y)],
                        col.stroke_width(width),
                    ))?;
                }
            }
            Swatch::Dot | Swatch::Ring => {
                let style = if it.swatch == Swatch::Ring {
                    st.foreground().mix(0.5).stroke_width(st.px(1.5))
                } else {
                    col.filled()
                };
                area.draw(&Circle::new((xs + swatch / 2, y), st.px(3.5), style))?;
            }
            Swatch::Block => {
                let h = st.px(5.0) as i32;
                area.draw(&Rectangle::new(
                    [(xs + swatch / 2 - h, y - h), (xs + swatch / 2 + h, y + h)],
                    col.filled(),
                ))?;
            }
            Swatch::Line => {
                area.draw(&PathElement::new(
                    vec![(xs, y), (xs + swatch, y)],
                    col.stroke_width(width),
                ))?;
            }
        }
        area.draw_text(&it.name, &left, (xs + swatch + gap, y))?;
    }
    let (x0, y0) = area.get_base_pixel();
    Ok([
        f64::from(x0 + st.px(12.0) as i32),
        f64::from(y0),
        f64::from(legend.width),
        f64::from(legend.height),
    ])
}

/// A label of `text` next to the backend pixel `at`, inside `bounds` (x0, y0, x1, y1): right of
/// and above the point where it fits, else left of it, else below; a label wider than the bounds
/// is shortened with "…". Never cut off at the canvas's edge.
pub(crate) fn draw_label<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    text: &str,
    at: (i32, i32),
    bounds: (i32, i32, i32, i32),
    font: &TextStyle,
    st: ChartStyle,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    if text.is_empty() {
        return Ok(());
    }
    let (bx0, by0, bx1, by1) = bounds;
    let (text, (w, h)) = fit_text(root, text, font, bx1 - bx0)?;
    let g = st.px(5.0) as i32;
    let (ax, ay) = at;
    let fits = |&(x, y): &(i32, i32)| x >= bx0 && y >= by0 && x + w <= bx1 && y + h <= by1;
    let candidates = [
        (ax + g, ay - g - h),
        (ax - g - w, ay - g - h),
        (ax + g, ay + g),
        (ax - g - w, ay + g),
    ];
    let (x, y) = candidates.iter().copied().find(fits).unwrap_or((
        (ax + g).clamp(bx0, (bx1 - w).max(bx0)),
        (ay - g - h).clamp(by0, (by1 - h).max(by0)),
    ));
    let style = font.pos(text_anchor::Pos::new(
        text_anchor::HPos::Left,
        text_anchor::VPos::Top,
    ));
    root.draw_text(&text, &style, (x, y))
}

/// A dot: filled in the series' colour, or a hollow grey ring.
fn dot_style(s: &Series, col: RGBColor, st: ChartStyle) -> ShapeStyle {
    if s.hollow {
        st.foreground().mix(0.5).stroke_width(st.px(1.5))
    } else {
        col.filled()
    }
}

/// Whether two series would draw the same: the same kind of mark through the same points.
fn same_drawing(a: &Series, b: &Series) -> bool {
    !a.points.is_empty()
        && a.dots == b.dots
        && a.points.len() == b.points.len()
        && b.band.is_empty()
        && a.points.iter().zip(&b.points).all(|(p, q)| {
            let close = |u: f64, v: f64| u == v || (u - v).abs() <= 1e-9 * u.abs().max(v.abs());
            close(p.0, q.0) && close(p.1, q.1)
        })
}

/// The series that are drawn, by index, each with its legend name: a series that repeats an
/// earlier one's points (e.g. the chosen doubling time when it equals a preset) is not drawn
/// again; its name joins the first one's (`chosen: 8 months = preset: 8 months`).
pub fn drawn_series(c: &LineChart) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = Vec::with_capacity(c.series.len());
    for (i, s) in c.series.iter().enumerate() {
        match out.iter_mut().find(|(j, _)| same_drawing(&c.series[*j], s)) {
            Some((_, name)) if !s.name.is_empty() => {
                if name.is_empty() {
                    *name = s.name.clone();
                } else {
                    name.push_str(" = ");
                    name.push_str(&s.name);
                }
            }
            Some(_) => {}
            None => out.push((i, s.name.clone())),
        }
    }
    out
}

type DrawResult<DB> = Result<Mapping, DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// Draws the chart to `root`. An empty chart draws its background and a blank frame.
///
/// Log axes are drawn as linear axes over log₁₀ of the data, labelled `10ⁿ`: one plotters
/// coordinate type for every chart keeps the wasm bundle small (four instantiations of plotters'
/// drawing code for the four log/linear combinations cost ~45 KB).
pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    c: &LineChart,
    st: ChartStyle,
) -> DrawResult<DB> {
    root.fill(&st.background())?;
    let Some(((x0, x1), (y0, y1))) = c.extent() else {
        root.present()?;
        return Ok(Mapping::default());
    };
    let tx = |v: f64| if c.x_log { v.log10() } else { v };
    let ty = |v: f64| if c.y_log { v.log10() } else { v };
    let pt = |(x, y): (f64, f64)| (tx(x), ty(y));
    let (lx0, lx1, ly0, ly1) = (tx(x0), tx(x1), ty(y0), ty(y1));
    let fg = st.foreground();
    let font = |px: f64| ("sans-serif", st.font(px)).into_font().color(&fg);
    let drawn = drawn_series(c);
    // The legend goes below the plot at every width, where it covers nothing.
    let items: Vec<LegendItem> = drawn
        .iter()
        .filter(|(_, name)| !name.is_empty())
        .map(|(i, name)| {
            let s = &c.series[*i];
            LegendItem {
                name: name.clone(),
                swatch: match (s.dots, s.hollow, s.dashed) {
                    (true, true, _) => Swatch::Ring,
                    (true, false, _) => Swatch::Dot,
                    (false, _, true) => Swatch::Dashed,
                    _ => Swatch::Line,
                },
                color: st.color(s.color.unwrap_or(*i)),
            }
        })
        .collect();
    let legend = legend_layout(root, items, st, &font(12.0))?;
    let (_, h_px) = root.dim_in_pixel();
    let plot_h = h_px.saturating_sub(legend.height);
    let (plot_area, legend_area) = root.split_vertically(plot_h);
    let mut chart = ChartBuilder::on(&plot_area)
        .margin(st.px(12.0))
        .margin_right(st.px(20.0))
        .x_label_area_size(st.px(44.0))
        .y_label_area_size(st.px(64.0))
        .build_cartesian_2d(lx0..lx1, ly0..ly1)?;
    // On a log axis ask for about one label per decade, so labels land on whole powers of ten.
    let labels = |log: bool, lo: f64, hi: f64| {
        if log {
            ((hi - lo).ceil() as usize + 1).clamp(2, 12)
        } else {
            7
        }
    };
    chart
        .configure_mesh()
        .x_desc(c.x_label.as_str())
        .y_desc(c.y_label.as_str())
        .x_label_formatter(&|v| format_tick(*v, c.x_log, c.x_is_year))
        .y_label_formatter(&|v| format_tick(*v, c.y_log, false))
        .label_style(font(12.0))
        .axis_desc_style(font(13.0))
        .axis_style(fg.stroke_width(st.px(1.0)))
        .bold_line_style(st.grid().stroke_width(st.px(1.0)))
        .light_line_style(st.grid().mix(0.4).stroke_width(st.px(1.0)))
        .x_labels(labels(c.x_log, lx0, lx1))
        .y_labels(labels(c.y_log, ly0, ly1))
        .draw()?;
    let finite = |p: &(f64, f64)| p.0.is_finite() && p.1.is_finite();
    for (i, _) in &drawn {
        let (i, s) = (*i, &c.series[*i]);
        let col = st.color(s.color.unwrap_or(i));
        if !s.band.is_empty() {
            let mut poly: Vec<(f64, f64)> = s.band.iter().map(|&(x, lo, _)| pt((x, lo))).collect();
            poly.extend(s.band.iter().rev().map(|&(x, _, hi)| pt((x, hi))));
            poly.retain(finite);
            chart.draw_series(std::iter::once(Polygon::new(poly, col.mix(0.22).filled())))?;
        }
        let width = st.px(2.0);
        let points: Vec<(f64, f64)> = s.points.iter().copied().map(pt).filter(finite).collect();
        if s.dots {
            let style = dot_style(s, col, st);
            chart.draw_series(points.iter().map(|&p| Circle::new(p, st.px(3.5), style)))?
        } else if s.dashed {
            chart.draw_series(DashedLineSeries::new(
                points,
                st.px(6.0),
                st.px(4.0),
                col.stroke_width(width),
            ))?
        } else {
            chart.draw_series(LineSeries::new(points, col.stroke_width(width)))?
        };
    }
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    // Labels stay inside the plotting area (never cut off at the canvas's edge).
    let bounds = (xr.start, yr.start, xr.end, yr.end);
    for r in &c.rules {
        let style = fg.mix(0.6).stroke_width(st.px(1.0));
        let (pts, label) = match r {
            Rule::Horizontal { y, label } => (vec![(lx0, ty(*y)), (lx1, ty(*y))], label),
            Rule::Vertical { x, label } => (vec![(tx(*x), ly1), (tx(*x), ly0)], label),
        };
        if pts.iter().all(finite) {
            chart.draw_series(DashedLineSeries::new(
                pts.clone(),
                st.px(3.0),
                st.px(3.0),
                style,
            ))?;
            // A horizontal rule's label above its left end; a vertical one's at its top, right
            // of it or, near the right edge, left of it.
            let at = chart.backend_coord(&pts[0]);
            draw_label(root, label, at, bounds, &font(11.0), st)?;
        }
    }
    for m in &c.markers {
        let p = pt((m.x, m.y));
        if finite(&p) {
            chart.draw_series(std::iter::once(Circle::new(p, st.px(5.0), fg.filled())))?;
            let at = chart.backend_coord(&p);
            draw_label(root, &m.label, at, bounds, &font(12.0), st)?;
        }
    }
    let legend_rect = draw_legend(&legend_area, &legend, st, &font(12.0))?;
    root.present()?;
    Ok(Mapping {
        left: f64::from(xr.start),
        top: f64::from(yr.start),
        width: f64::from(xr.end - xr.start),
        height: f64::from(yr.end - yr.start),
        x_range: (x0, x1),
        y_range: (y0, y1),
        x_log: c.x_log,
        y_log: c.y_log,
        legend: legend_rect,
    })
}

/// Renders to an SVG string (native tests, exports).
pub fn to_svg(c: &LineChart, width: u32, height: u32, st: ChartStyle) -> String {
    super::svg_of(width, height, |root| draw(root, c, st))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(n: usize) -> LineChart {
        LineChart {
            series: (0..n)
                .map(|i| Series {
                    name: format!("series {i}"),
                    points: vec![(0.0, 1.0 + i as f64), (1.0, 2.0 + i as f64)],
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        }
    }

    fn mapping(c: &LineChart, w: u32) -> Mapping {
        let mut m = Mapping::default();
        crate::chart::svg_of(w, 380, |a| {
            m = draw(a, c, ChartStyle::default())?;
            Ok::<_, DrawingAreaErrorKind<_>>(())
        });
        m
    }

    #[test]
    fn the_legend_goes_below_the_plot_at_every_width() {
        let unnamed = LineChart {
            series: named(4)
                .series
                .iter()
                .map(|s| Series {
                    name: String::new(),
                    ..s.clone()
                })
                .collect(),
            ..named(4)
        };
        for w in [360, 390, 1000, 1440] {
            let m = mapping(&named(4), w);
            let [lx, ly, lw, lh] = m.legend;
            assert!(lw > 0.0 && lh > 0.0, "{w}: {:?}", m.legend);
            // Below the plotting area, inside the canvas.
            assert!(ly >= m.top + m.height, "{w}: {m:?}");
            assert!(ly + lh <= 380.0 && lx + lw <= f64::from(w), "{w}: {m:?}");
            assert!(m.height < mapping(&unnamed, w).height, "{w}");
            assert_eq!(mapping(&unnamed, w).legend, [0.0; 4]);
        }
        // Wide, the four entries share one row; narrow, they wrap.
        assert!(mapping(&named(8), 1000).legend[3] < mapping(&named(8), 360).legend[3]);
    }

    #[test]
    fn a_repeated_series_is_drawn_once_and_named_in_the_legend_once() {
        let mut c = named(2);
        c.series.push(Series {
            name: "copy".into(),
            dashed: true,
            ..c.series[0].clone()
        });
        let drawn = drawn_series(&c);
        assert_eq!(
            drawn,
            vec![
                (0, "series 0 = copy".to_string()),
                (1, "series 1".to_string())
            ]
        );
        let svg = to_svg(&c, 640, 380, ChartStyle::default());
        assert!(svg.contains("series 0 = copy"));
        assert!(!svg.contains(">copy<"));
    }

    #[test]
    fn labels_near_the_right_edge_turn_left_and_long_ones_are_shortened() {
        let mut c = named(1);
        c.markers = vec![Marker {
            x: 1.0,
            y: 2.0,
            label: "fits 2027-12-14".into(),
        }];
        c.rules = vec![Rule::Vertical {
            x: 1.0,
            label: "largest batch that fits".into(),
        }];
        let svg = to_svg(&c, 360, 380, ChartStyle::default());
        // Each label's text starts left of the point (anchored at its left edge, x < plot right).
        assert!(svg.contains("fits 2027-12-14"), "{svg}");
        assert!(svg.contains("largest batch that fits"));
        c.markers[0].label = "a very long label ".repeat(10);
        let svg = to_svg(&c, 360, 380, ChartStyle::default());
        assert!(svg.contains('…'));
    }

    fn sample() -> LineChart {
        LineChart {
            x_label: "C".into(),
            y_label: "N".into(),
            x_log: true,
            y_log: true,
            series: vec![Series {
                name: "a".into(),
                points: vec![(1e18, 1e8), (1e21, 1e10), (1e24, 1e12)],
                band: vec![(1e18, 0.9e8, 1.1e8), (1e24, 0.9e12, 1.1e12)],
                ..Default::default()
            }],
            markers: vec![Marker {
                x: 1e21,
                y: 1e10,
                label: "budget".into(),
            }],
            ..Default::default()
        }
    }

    #[test]
    fn draws_svg_with_series() {
        let svg = to_svg(&sample(), 640, 400, ChartStyle::default());
        assert!(svg.starts_with("<svg"), "{}", &svg[..svg.len().min(200)]);
        assert!(svg.contains("<polyline") || svg.contains("<path"));
        assert!(svg.contains("budget"));
    }

    #[test]
    fn empty_chart_does_not_fail() {
        let svg = to_svg(&LineChart::default(), 100, 100, ChartStyle::default());
        assert!(svg.starts_with("<svg"));
    }

    #[test]
    fn mapping_round_trips() {
        let mut out = String::new();
        let m = {
            let root = SVGBackend::with_string(&mut out, (640, 400)).into_drawing_area();
            draw(&root, &sample(), ChartStyle::default()).unwrap()
        };
        assert!(m.width > 300.0 && m.height > 200.0);
        let (px, py) = m.to_pixel(1e21, 1e10);
        let (x, y) = m.to_data(px, py).unwrap();
        assert!((x / 1e21 - 1.0).abs() < 1e-9 && (y / 1e10 - 1.0).abs() < 1e-9);
        assert!(m.to_data(-5.0, -5.0).is_none());
    }

    #[test]
    fn nearest_and_csv() {
        let c = sample();
        let (name, x, _) = c.nearest(1.3e21, 2e10).unwrap();
        assert_eq!((name.as_str(), x), ("a", 1e21));
        assert_eq!(c.to_csv().lines().count(), 1 + 3 + 2);
        assert!(c.to_csv().starts_with("series,x,y,y_low,y_high\n"));
        let c = LineChart {
            columns: ("compute_flop", "params"),
            ..sample()
        };
        assert!(c
            .to_csv()
            .starts_with("series,compute_flop,params,params_low,params_high\n"));
    }
}
