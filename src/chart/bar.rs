//! A generic stacked bar chart: bars of stacked components, optional horizontal reference lines
//! (e.g. a GPU's memory). Plain data, drawn by [`draw`] on any plotters backend.

use super::line::{draw_label, draw_legend, fit_text, legend_layout, LegendItem, Mapping, Swatch};
use super::style::ChartStyle;
use plotters::coord::Shift;
use plotters::prelude::*;

/// One bar: its label and one value per component (in the chart's `components` order).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Bar {
    pub label: String,
    pub values: Vec<f64>,
    /// Drawn with a frame (e.g. the current setting).
    pub highlight: bool,
}

/// A horizontal reference line with its label.
#[derive(Debug, Clone, PartialEq)]
pub struct HRule {
    pub y: f64,
    pub label: String,
}

/// A stacked bar chart as plain data.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StackedBarChart {
    pub x_label: String,
    pub y_label: String,
    /// Names of the stacked components, bottom first (the legend).
    pub components: Vec<String>,
    pub bars: Vec<Bar>,
    pub rules: Vec<HRule>,
    /// Divide every value by this for the axis (e.g. 1e9 for GB); 0 or 1 = as is.
    pub y_scale: f64,
    /// The CSV export's name of the value column: quantity and unit in snake_case (e.g.
    /// `memory_bytes_per_gpu`); empty: `value`.
    pub value_column: &'static str,
}

impl StackedBarChart {
    fn scale(&self) -> f64 {
        if self.y_scale > 0.0 {
            self.y_scale
        } else {
            1.0
        }
    }

    /// Height of each bar (sum of its finite, non-negative values).
    pub fn totals(&self) -> Vec<f64> {
        self.bars
            .iter()
            .map(|b| b.values.iter().filter(|v| v.is_finite() && **v > 0.0).sum())
            .collect()
    }

    /// The bars as CSV: a header row naming the value's unit (see `LineChart::to_csv`), then
    /// `bar,component,value` rows.
    pub fn to_csv(&self) -> String {
        let v = if self.value_column.is_empty() {
            "value"
        } else {
            self.value_column
        };
        let mut out = format!("bar,component,{v}\n");
        for b in &self.bars {
            for (i, v) in b.values.iter().enumerate() {
                let c = self.components.get(i).map_or("", String::as_str);
                out.push_str(&format!(
                    "{},{},{v:e}\n",
                    b.label.replace(['"', ','], " "),
                    c.replace(['"', ','], " ")
                ));
            }
        }
        out
    }
}

type DrawResult<DB> = Result<Mapping, DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// Draws the chart to `root`. An empty chart draws its background only. The legend goes under
/// the plot (it never covers a bar); the mapping's x range counts bars (bar `i` spans `i..i+1`).
pub fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    c: &StackedBarChart,
    st: ChartStyle,
) -> DrawResult<DB> {
    root.fill(&st.background())?;
    let k = c.scale();
    let top = c
        .totals()
        .into_iter()
        .chain(c.rules.iter().map(|r| r.y).filter(|y| y.is_finite()))
        .fold(0.0f64, f64::max)
        / k;
    if c.bars.is_empty() || top <= 0.0 {
        root.present()?;
        return Ok(Mapping::default());
    }
    let n = c.bars.len();
    let fg = st.foreground();
    let font = |px: f64| ("sans-serif", st.font(px)).into_font().color(&fg);
    let items = c
        .components
        .iter()
        .enumerate()
        .filter(|(_, name)| !name.is_empty())
        .map(|(i, name)| LegendItem {
            name: name.clone(),
            swatch: Swatch::Block,
            color: st.color(i),
        })
        .collect();
    let legend = legend_layout(root, items, st, &font(12.0))?;
    let (_, h) = root.dim_in_pixel();
    let plot_h = h.saturating_sub(legend.height);
    let (plot_area, legend_area) = root.split_vertically(plot_h);
    let y_top = top * 1.12;
    let mut chart = ChartBuilder::on(&plot_area)
        .margin(st.px(12.0))
        .x_label_area_size(st.px(44.0))
        .y_label_area_size(st.px(64.0))
        .build_cartesian_2d(0.0..n as f64, 0.0..y_top)?;
    // A bar's label, shortened to its share of the width so that neighbours never overlap.
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    let slot = (xr.end - xr.start) / n.max(1) as i32 - st.px(4.0) as i32;
    let mut labels = Vec::with_capacity(n);
    for b in &c.bars {
        labels.push(fit_text(root, &b.label, &font(12.0), slot)?.0);
    }
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_desc(c.x_label.as_str())
        .y_desc(c.y_label.as_str())
        .x_labels(n * 2 + 1)
        .x_label_formatter(&|v| {
            // Label only at bar centres (i + 0.5).
            let i = (v - 0.5).round();
            if (v - 0.5 - i).abs() < 1e-6 && i >= 0.0 && (i as usize) < labels.len() {
                labels[i as usize].clone()
            } else {
                String::new()
            }
        })
        .label_style(font(12.0))
        .axis_desc_style(font(13.0))
        .axis_style(fg.stroke_width(st.px(1.0)))
        .bold_line_style(st.grid().stroke_width(st.px(1.0)))
        .light_line_style(st.grid().mix(0.4).stroke_width(st.px(1.0)))
        .draw()?;
    for ci in 0..c.components.len() {
        let col = st.color(ci);
        let rects = c.bars.iter().enumerate().filter_map(move |(bi, b)| {
            let v = *b.values.get(ci)?;
            if !(v.is_finite() && v > 0.0) {
                return None;
            }
            let base: f64 = b.values[..ci]
                .iter()
                .filter(|v| v.is_finite() && **v > 0.0)
                .sum();
            let x = bi as f64;
            Some(Rectangle::new(
                [(x + 0.18, base / k), (x + 0.82, (base + v) / k)],
                col.filled(),
            ))
        });
        chart.draw_series(rects)?;
    }
    for (bi, (b, t)) in c.bars.iter().zip(c.totals()).enumerate() {
        if b.highlight && t > 0.0 {
            let x = bi as f64;
            chart.draw_series(std::iter::once(Rectangle::new(
                [(x + 0.14, 0.0), (x + 0.86, t / k)],
                fg.stroke_width(st.px(2.0)),
            )))?;
        }
    }
    let bounds = (xr.start, yr.start, xr.end, yr.end);
    for r in &c.rules {
        if !r.y.is_finite() {
            continue;
        }
        let pts = vec![(0.0, r.y / k), (n as f64, r.y / k)];
        chart.draw_series(DashedLineSeries::new(
            pts,
            st.px(5.0),
            st.px(4.0),
            st.color(1).stroke_width(st.px(2.0)),
        ))?;
        let at = chart.backend_coord(&(0.0, r.y / k));
        draw_label(root, &r.label, at, bounds, &font(11.0), st)?;
    }
    let legend_rect = draw_legend(&legend_area, &legend, st, &font(12.0))?;
    root.present()?;
    Ok(Mapping {
        left: f64::from(xr.start),
        top: f64::from(yr.start),
        width: f64::from(xr.end - xr.start),
        height: f64::from(yr.end - yr.start),
        x_range: (0.0, n as f64),
        y_range: (0.0, y_top),
        x_log: false,
        y_log: false,
        legend: legend_rect,
    })
}

/// Renders to an SVG string (native tests, exports).
pub fn to_svg(c: &StackedBarChart, width: u32, height: u32, st: ChartStyle) -> String {
    super::svg_of(width, height, |root| draw(root, c, st))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> StackedBarChart {
        StackedBarChart {
            x_label: "ZeRO".into(),
            y_label: "GB".into(),
            components: vec!["weights".into(), "optimizer".into()],
            bars: vec![
                Bar {
                    label: "stage 0".into(),
                    values: vec![14e9, 84e9],
                    highlight: false,
                },
                Bar {
                    label: "stage 3".into(),
                    values: vec![1.75e9, 10.5e9],
                    highlight: true,
                },
            ],
            rules: vec![HRule {
                y: 80e9,
                label: "GPU memory".into(),
            }],
            y_scale: 1e9,
            value_column: "",
        }
    }

    #[test]
    fn draws_svg_with_bars_legend_and_rule() {
        let svg = to_svg(&sample(), 640, 400, ChartStyle::default());
        assert!(svg.starts_with("<svg"), "{}", &svg[..svg.len().min(200)]);
        assert!(svg.matches("<rect").count() >= 4);
        for text in ["GPU memory", "stage 3", "optimizer"] {
            assert!(svg.contains(text), "{text}");
        }
        let dark = to_svg(
            &sample(),
            640,
            400,
            ChartStyle {
                scale: 2.0,
                dark: true,
            },
        );
        assert!(dark.starts_with("<svg"));
    }

    #[test]
    fn empty_chart_and_csv() {
        assert!(
            to_svg(&StackedBarChart::default(), 100, 100, ChartStyle::default())
                .starts_with("<svg")
        );
        let c = sample();
        assert_eq!(c.totals(), vec![98e9, 12.25e9]);
        assert_eq!(c.to_csv().lines().count(), 1 + 4);
    }
}
