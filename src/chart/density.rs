//! Knowledge-density charts (log y, x in fractional years): density over time with the preset
//! doubling times and the user's fit; parameters needed to match a reference; a device intersection.

use super::line::{LineChart, Marker, Rule, Series};
use crate::model::date::Date;
use crate::model::density::device::FitQuestion;
use crate::model::density::fit::{DensityFit, ModelPoint};
use crate::model::density::DOUBLING_PRESETS;

/// User-visible texts of the density charts. `{m}` in a template is replaced by a number of months.
#[derive(Debug, Clone, PartialEq)]
pub struct DensityLabels {
    /// X axis, e.g. "release date".
    pub x: String,
    /// Y axis of the density chart, e.g. "capability density (relative)".
    pub y_density: String,
    /// Y axis of the parameter charts, e.g. "parameters".
    pub y_params: String,
    /// A preset line, e.g. "doubling every {m} months".
    pub preset: String,
    /// The fitted line, e.g. "fit: {m} months".
    pub fit: String,
    /// The fitted line when it shows no growth.
    pub fit_no_growth: String,
    /// The user's models (dots).
    pub models: String,
    /// The scenario's doubling time, e.g. "your choice: {m} months".
    pub chosen: String,
    /// Marker at the target date.
    pub target: String,
    /// Required parameters on the device chart.
    pub required: String,
    /// Device capacity on the device chart.
    pub capacity: String,
    /// Marker where the two meet, e.g. "fits".
    pub fits: String,
}

impl Default for DensityLabels {
    /// English texts (the page passes its translations instead).
    fn default() -> Self {
        Self {
            x: "date".into(),
            y_density: "capability density (relative)".into(),
            y_params: "parameters".into(),
            preset: "doubling every {m} months".into(),
            fit: "fit: doubling every {m} months".into(),
            fit_no_growth: "fit: no growth".into(),
            models: "models".into(),
            chosen: "chosen: {m} months".into(),
            target: "target date".into(),
            required: "parameters required".into(),
            capacity: "device capacity".into(),
            fits: "fits".into(),
        }
    }
}

fn months_label(template: &str, m: f64) -> String {
    template.replace("{m}", &crate::model::num::sig(m, 2))
}

/// Dates from `from` to `to` (inclusive) in `steps` equal steps.
fn samples(from: &Date, to: &Date, steps: usize) -> Vec<Date> {
    let (a, b) = (from.days_since_epoch(), to.days_since_epoch());
    let steps = steps.max(1) as i64;
    (0..=steps)
        .map(|i| Date::from_days_since_epoch(a + (b - a) * i / steps))
        .collect()
}

/// Distinct preset doubling times, in preset order.
fn preset_months() -> Vec<f64> {
    let mut out: Vec<f64> = Vec::new();
    for p in DOUBLING_PRESETS {
        if !out.iter().any(|m| (m - p.months).abs() < 1e-9) {
            out.push(p.months);
        }
    }
    out
}

/// Density over time (log y): each preset doubling time as a dashed line through
/// (`anchor`, `anchor_density`); the fit with its 95% band; the models as labelled dots.
pub fn density_chart(
    fit: Option<&DensityFit>,
    models: &[ModelPoint],
    anchor: Date,
    anchor_density: f64,
    from: Date,
    to: Date,
    l: &DensityLabels,
) -> LineChart {
    let dates = samples(&from, &to, 120);
    let mut series: Vec<Series> = preset_months()
        .into_iter()
        .enumerate()
        .map(|(i, m)| Series {
            name: months_label(&l.preset, m),
            points: dates
                .iter()
                .map(|d| {
                    (
                        d.year_fraction(),
                        anchor_density * (anchor.months_until(d) / m).exp2(),
                    )
                })
                .collect(),
            dashed: true,
            color: Some(i + 1),
            ..Default::default()
        })
        .collect();
    if let Some(f) = fit {
        let pred: Vec<_> = dates
            .iter()
            .map(|d| (d.year_fraction(), f.predict(d)))
            .collect();
        series.push(Series {
            name: match f.doubling_months {
                Some(m) => months_label(&l.fit, m),
                None => l.fit_no_growth.clone(),
            },
            points: pred.iter().map(|(x, p)| (*x, p.0)).collect(),
            band: pred.iter().map(|(x, p)| (*x, p.1, p.2)).collect(),
            color: Some(0),
            ..Default::default()
        });
    }
    if !models.is_empty() {
        series.push(Series {
            name: l.models.clone(),
            points: models
                .iter()
                .map(|m| (m.date.year_fraction(), m.density))
                .collect(),
            dots: true,
            color: Some(0),
            ..Default::default()
        });
    }
    LineChart {
        x_label: l.x.clone(),
        y_label: l.y_density.clone(),
        columns: ("date_year", "capability_density_relative"),
        y_log: true,
        x_is_year: true,
        series,
        markers: models
            .iter()
            .map(|m| Marker {
                x: m.date.year_fraction(),
                y: m.density,
                label: m.name.clone(),
            })
            .collect(),
        ..Default::default()
    }
}

/// Parameters needed to match a reference model (log y): the chosen doubling time (solid) and
/// each preset (dashed), the target date marked.
pub fn params_needed_chart(
    reference_params: f64,
    reference_date: Date,
    doubling_months: f64,
    target: Date,
    from: Date,
    to: Date,
    l: &DensityLabels,
) -> LineChart {
    let dates = samples(&from, &to, 120);
    let line = |m: f64| -> Vec<(f64, f64)> {
        dates
            .iter()
            .map(|d| {
                (
                    d.year_fraction(),
                    reference_params * (-reference_date.months_until(d) / m).exp2(),
                )
            })
            .collect()
    };
    let mut series = Vec::new();
    let ok = doubling_months.is_finite() && doubling_months > 0.0 && reference_params > 0.0;
    if ok {
        series.push(Series {
            name: months_label(&l.chosen, doubling_months),
            points: line(doubling_months),
            color: Some(0),
            ..Default::default()
        });
    }
    for (i, m) in preset_months().into_iter().enumerate() {
        series.push(Series {
            name: months_label(&l.preset, m),
            points: line(m),
            dashed: true,
            color: Some(i + 1),
            ..Default::default()
        });
    }
    let markers = if ok {
        vec![Marker {
            x: target.year_fraction(),
            y: reference_params * (-reference_date.months_until(&target) / doubling_months).exp2(),
            label: l.target.clone(),
        }]
    } else {
        Vec::new()
    };
    LineChart {
        x_label: l.x.clone(),
        y_label: l.y_params.clone(),
        columns: ("date_year", "params"),
        y_log: true,
        x_is_year: true,
        series,
        markers,
        ..Default::default()
    }
}

/// Parameters required against device capacity over time (log y), the meeting date marked.
pub fn device_chart(q: &FitQuestion<'_>, from: Date, to: Date, l: &DensityLabels) -> LineChart {
    let dates = samples(&from, &to, 120);
    let pts = |f: &dyn Fn(&Date) -> Option<f64>| -> Vec<(f64, f64)> {
        dates
            .iter()
            .filter_map(|d| f(d).map(|v| (d.year_fraction(), v)))
            .collect()
    };
    let required = pts(&|d| q.required_at(d).ok());
    let capacity = pts(&|d| q.capacity_at(d).ok());
    let mut markers = Vec::new();
    let mut rules = Vec::new();
    if let Ok(f) = q.solve() {
        if let Some((d, n)) = f.date.and_then(|d| q.capacity_at(&d).ok().map(|n| (d, n))) {
            markers.push(Marker {
                x: d.year_fraction(),
                y: n,
                label: format!("{} {d}", l.fits),
            });
            rules.push(Rule::Vertical {
                x: d.year_fraction(),
                label: String::new(),
            });
        }
    }
    LineChart {
        x_label: l.x.clone(),
        y_label: l.y_params.clone(),
        columns: ("date_year", "params"),
        y_log: true,
        x_is_year: true,
        series: vec![
            Series {
                name: l.required.clone(),
                points: required,
                color: Some(0),
                ..Default::default()
            },
            Series {
                name: l.capacity.clone(),
                points: capacity,
                dashed: true,
                color: Some(1),
                ..Default::default()
            },
        ],
        markers,
        rules,
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::line::to_svg;
    use crate::chart::ChartStyle;
    use crate::model::density::device::device;
    use crate::model::density::fit::{fit, parse_models_csv};

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    #[test]
    fn density_chart_draws() {
        let m = parse_models_csv(
            "name,date,params,density\na,2023-01-01,1e9,1\nb,2023-06-01,1e9,3\nc,2023-12-01,1e9,5\nd,2024-06-01,1e9,30\n",
        )
        .unwrap();
        let f = fit(&m, false).unwrap();
        let l = DensityLabels::default();
        let c = density_chart(
            Some(&f),
            &m,
            d("2023-01-01"),
            1.0,
            d("2022-06-01"),
            d("2025-01-01"),
            &l,
        );
        assert!(c.x_is_year && c.y_log);
        let fitted = c.series.iter().find(|s| !s.band.is_empty()).unwrap();
        assert!(fitted.name.starts_with("fit: doubling every"));
        // Presets: 8, 3.3, 3.12, 3.5, 4.8, 3.2 (8 months once).
        assert_eq!(c.series.iter().filter(|s| s.dashed).count(), 6);
        let svg = to_svg(&c, 640, 400, ChartStyle::default());
        assert!(svg.starts_with("<svg") && svg.contains("fit: doubling"));
    }

    #[test]
    fn params_chart_marks_target() {
        let l = DensityLabels::default();
        let c = params_needed_chart(
            175e9,
            d("2020-05-28"),
            8.0,
            d("2024-02-01"),
            d("2020-01-01"),
            d("2028-01-01"),
            &l,
        );
        let m = &c.markers[0];
        let want = 175e9 / (1344.0 / 30.436875 / 8.0f64).exp2();
        assert!((m.y / want - 1.0).abs() < 1e-12);
        assert!(to_svg(&c, 640, 400, ChartStyle::default()).starts_with("<svg"));
    }

    #[test]
    fn device_chart_marks_meeting() {
        let q = FitQuestion {
            reference_params: 175e9,
            reference_date: d("2020-05-28"),
            doubling_months: 8.0,
            device: device("phone-12gb").unwrap(),
            bits: 4,
            min_tokens_per_s: None,
            hw_doubling_months: None,
        };
        let c = device_chart(
            &q,
            d("2020-01-01"),
            d("2026-01-01"),
            &DensityLabels::default(),
        );
        assert_eq!(c.series.len(), 2);
        assert!(c.markers[0].label.starts_with("fits 2022-"));
        assert!(to_svg(&c, 640, 400, ChartStyle::default()).contains("fits"));
    }
}
