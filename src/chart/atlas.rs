//! The atlas's charts (issue 17), built from [`AtlasView`]: density of real models against their
//! release date with the fitted doubling time beside the design's and the paper's, and the
//! cheapest price of a capability by date with its halving time. Every model and price is a
//! point whose hover read-out names it, gives its values and links its source.

use super::line::{LineChart, Marker, PointInfo, Series};
use crate::model::atlas::view::AtlasView;
use crate::model::atlas::{AtlasModel, AtlasPrice};
use crate::model::date::Date;
use crate::model::num::sig;

/// User-visible texts of the atlas charts. `{m}` is replaced by months, `{s}` by a score,
/// `{b}` by the benchmark's name.
#[derive(Debug, Clone, PartialEq)]
pub struct AtlasLabels {
    pub x: String,
    /// Density axis, e.g. "capability density ρ = N̂/N (log)".
    pub y_density: String,
    /// Price axis, e.g. "USD per million tokens (3:1 in:out, log)".
    pub y_price: String,
    pub open: String,
    pub closed: String,
    pub yours: String,
    /// The fitted line, e.g. "fit: doubling every {m} months".
    pub fit: String,
    /// A reference doubling time, e.g. "{m} months (design)".
    pub design: String,
    pub paper: String,
    /// Priced models at or above the score, e.g. "list prices, {b} ≥ {s}".
    pub prices: String,
    /// The running minimum, e.g. "cheapest by date".
    pub cheapest: String,
    /// The fitted price line, e.g. "fit: halving every {m} months".
    pub halving: String,
    /// The plan's marker, e.g. "your plan".
    pub plan: String,
    /// The talk's pair, e.g. "talk: {name}".
    pub talk: String,
}

impl Default for AtlasLabels {
    /// English texts (the page passes its translations instead).
    fn default() -> Self {
        Self {
            x: "release date".into(),
            y_density: "capability density ρ = N̂/N".into(),
            y_price: "USD per million tokens (3 in : 1 out)".into(),
            open: "open weights".into(),
            closed: "closed weights".into(),
            yours: "your rows".into(),
            fit: "fit: doubling every {m} months".into(),
            design: "design: {m} months".into(),
            paper: "Densing Law paper: {m} months".into(),
            prices: "list prices, {b} ≥ {s}".into(),
            cheapest: "cheapest by date".into(),
            halving: "fit: halving every {m} months".into(),
            plan: "your plan".into(),
            talk: "talk: {name}".into(),
        }
    }
}

/// The design's doubling time (docs/science.md §2) and the Densing Law paper's (Xiao et al.
/// 2024, arXiv 2412.04315 v2, §3.3: 3.3 months; the 2025 journal version gives 3.5).
pub const DESIGN_MONTHS: f64 = 8.0;
pub const PAPER_MONTHS: f64 = 3.3;

/// `sig` without trailing zeros: 8, 3.3, 85.
fn trimmed(x: f64, digits: usize) -> String {
    let t = sig(x, digits);
    if t.contains('.') && !t.contains('e') {
        t.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        t
    }
}

fn months(template: &str, m: f64) -> String {
    template.replace("{m}", &trimmed(m, 2))
}

/// Dates from `from` to `to` in `n` steps.
fn dates(from: Date, to: Date, n: i64) -> Vec<Date> {
    let (a, b) = (from.days_since_epoch(), to.days_since_epoch());
    (0..=n)
        .map(|i| Date::from_days_since_epoch(a + (b - a) * i / n))
        .collect()
}

fn short(x: f64) -> String {
    sig(x, 3)
}

fn url_of(models: &[AtlasModel], name: &str) -> String {
    models
        .iter()
        .find(|m| m.name == name)
        .map(|m| m.source.url.clone())
        .unwrap_or_default()
}

/// Density against date (log y): open, closed and the reader's models as dots; the fitted trend
/// with its 95% band; the design's 8 months and the paper's 3.3 months through the fit's mean
/// date; the talk's pair marked.
pub fn density_atlas_chart(v: &AtlasView, models: &[AtlasModel], l: &AtlasLabels) -> LineChart {
    let Ok(d) = &v.density else {
        return LineChart {
            x_label: l.x.clone(),
            y_label: l.y_density.clone(),
            columns: ("release_date_year", "capability_density_ratio"),
            y_log: true,
            x_is_year: true,
            ..Default::default()
        };
    };
    let bench = v.query.benchmark.name();
    let mut groups: [Series; 3] = [dots(&l.open, 0), dots(&l.closed, 1), dots(&l.yours, 3)];
    for p in &d.points {
        let g = if v.user_names.contains(&p.name) {
            2
        } else if p.open_weights {
            0
        } else {
            1
        };
        groups[g].points.push((p.date.year_fraction(), p.density));
        groups[g].info.push(PointInfo {
            text: format!(
                "{} ({}, {}): N {} · {bench} {} · N̂ {} · ρ {}{}",
                p.name,
                p.developer,
                p.date,
                short(p.params),
                sig(p.score, 3),
                short(p.effective_params),
                sig(p.density, 3),
                if p.extrapolated { " *" } else { "" }
            ),
            url: url_of(models, &p.name),
        });
    }
    let mut series: Vec<Series> = groups
        .into_iter()
        .filter(|s| !s.points.is_empty())
        .collect();
    let first = d.points.iter().map(|p| p.date).min();
    let last = d.points.iter().map(|p| p.date).max();
    if let (Some(from), Some(to)) = (first, last) {
        let ds = dates(from, to, 60);
        let f = &d.fit;
        let pred: Vec<(f64, (f64, f64, f64))> = ds
            .iter()
            .map(|t| (t.year_fraction(), f.predict(t)))
            .collect();
        series.push(Series {
            name: f
                .doubling_months
                .map_or_else(|| l.fit.replace("{m}", "∞"), |m| months(&l.fit, m)),
            points: pred.iter().map(|(x, p)| (*x, p.0)).collect(),
            band: pred.iter().map(|(x, p)| (*x, p.1, p.2)).collect(),
            color: Some(2),
            ..Default::default()
        });
        let mid = Date::from_days_since_epoch(f.t_mean.round() as i64);
        let at_mid = f.predict(&mid).0;
        for (template, m, color) in [(&l.design, DESIGN_MONTHS, 4), (&l.paper, PAPER_MONTHS, 5)] {
            series.push(Series {
                name: months(template, m),
                points: ds
                    .iter()
                    .map(|t| (t.year_fraction(), at_mid * (mid.months_until(t) / m).exp2()))
                    .collect(),
                dashed: true,
                color: Some(color),
                ..Default::default()
            });
        }
    }
    LineChart {
        x_label: l.x.clone(),
        y_label: l.y_density.clone(),
        columns: ("release_date_year", "capability_density_ratio"),
        y_log: true,
        x_is_year: true,
        series,
        markers: v
            .talk_pair
            .iter()
            .map(|p| Marker {
                x: p.date.year_fraction(),
                y: p.density,
                label: l.talk.replace("{name}", &p.name),
            })
            .collect(),
        ..Default::default()
    }
}

fn dots(name: &str, color: usize) -> Series {
    Series {
        name: name.to_string(),
        dots: true,
        color: Some(color),
        ..Default::default()
    }
}

/// The cheapest price of `S ≥ S*` by date (log y): every qualifying list price as a dot, the
/// running minimum as a line, the fitted halving, and the plan's serving cost where given.
pub fn price_atlas_chart(
    v: &AtlasView,
    prices: &[AtlasPrice],
    plan: Option<(Date, f64)>,
    l: &AtlasLabels,
) -> LineChart {
    let bench = v.query.benchmark.name();
    let mut series = Vec::new();
    let mut markers = Vec::new();
    if let Ok(p) = &v.price {
        let mut all = dots(
            &l.prices
                .replace("{b}", bench)
                .replace("{s}", &trimmed(p.min_score, 3)),
            1,
        );
        for r in &p.qualifying {
            let row = prices
                .iter()
                .find(|x| x.model == r.model && x.date == r.date && x.provider == r.provider);
            let (pin, pout) = row.map_or((None, None), |x| {
                (x.usd_per_million_input, x.usd_per_million_output)
            });
            all.points.push((r.date.year_fraction(), r.usd_per_million));
            all.info.push(PointInfo {
                text: format!(
                    "{} ({}, {}): ${}/M (in ${} · out ${}) · {bench} {}",
                    r.model,
                    r.provider,
                    r.date,
                    sig(r.usd_per_million, 3),
                    pin.map_or("–".into(), |x| sig(x, 3)),
                    pout.map_or("–".into(), |x| sig(x, 3)),
                    sig(r.score, 3)
                ),
                url: r.source.url.clone(),
            });
        }
        series.push(all);
        let cheapest = crate::model::atlas::price::cheapest_by_date(&p.qualifying);
        series.push(Series {
            name: l.cheapest.clone(),
            points: cheapest
                .iter()
                .map(|r| (r.date.year_fraction(), r.usd_per_million))
                .collect(),
            color: Some(0),
            ..Default::default()
        });
        if let (Some(m), Some(a), Some(b)) = (
            p.halving_months,
            p.fitted.first().map(|r| r.date),
            p.fitted.last().map(|r| r.date),
        ) {
            series.push(Series {
                name: months(&l.halving, m),
                points: dates(a, b, 40)
                    .iter()
                    .map(|t| (t.year_fraction(), p.predict(t)))
                    .collect(),
                dashed: true,
                color: Some(2),
                ..Default::default()
            });
        }
    }
    if let Some((date, usd)) = plan.filter(|(_, u)| u.is_finite() && *u > 0.0) {
        markers.push(Marker {
            x: date.year_fraction(),
            y: usd,
            label: format!("{}: ${}/M", l.plan, sig(usd, 3)),
        });
    }
    LineChart {
        x_label: l.x.clone(),
        y_label: l.y_price.clone(),
        columns: ("release_date_year", "usd_per_million_tokens"),
        y_log: true,
        x_is_year: true,
        series,
        markers,
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::atlas::view::{view, AtlasQuery};
    use crate::model::atlas::{shipped_models, shipped_price_scores, shipped_prices};

    #[test]
    fn every_model_and_price_is_a_point_with_its_source() {
        let (m, p, s) = (shipped_models(), shipped_prices(), shipped_price_scores());
        let v = view(&m, &[], &p, &s, &AtlasQuery::default());
        let l = AtlasLabels::default();
        let c = density_atlas_chart(&v, &m, &l);
        let n: usize = c
            .series
            .iter()
            .filter(|s| s.dots)
            .map(|s| s.points.len())
            .sum();
        assert_eq!(n, v.density.as_ref().unwrap().points.len());
        for s in c.series.iter().filter(|s| s.dots) {
            assert_eq!(s.info.len(), s.points.len());
            assert!(s.info.iter().all(|i| i.url.starts_with("http")));
        }
        assert_eq!(c.markers.len(), 2, "the talk's pair");
        // The fit and the two reference lines, none drawn twice.
        let names: Vec<&str> = c.series.iter().map(|s| s.name.as_str()).collect();
        assert!(names.iter().any(|n| n.starts_with("fit: doubling every")));
        assert!(
            names.contains(&"design: 8 months") && names.contains(&"Densing Law paper: 3.3 months")
        );
        // The hover read-out of a point names the model and links its source.
        let q7 = &v
            .density
            .as_ref()
            .unwrap()
            .points
            .iter()
            .find(|p| p.name == "Qwen2.5-7B")
            .unwrap();
        let near = c
            .nearest_point(q7.date.year_fraction(), q7.density)
            .unwrap();
        let info = near.info.unwrap();
        assert!(
            info.text.starts_with("Qwen2.5-7B (Alibaba"),
            "{}",
            info.text
        );
        assert!(info.url.starts_with("https://"));

        let pc = price_atlas_chart(&v, &p, Some((Date::new(2026, 11, 27).unwrap(), 0.5)), &l);
        let pts = &pc.series[0];
        assert_eq!(pts.points.len(), v.price.as_ref().unwrap().qualifying.len());
        assert!(pts.info.iter().all(|i| i.url.starts_with("http")));
        assert_eq!(pc.markers.len(), 1);
        assert!(
            !crate::chart::svg_of(800, 500, |a| crate::chart::line::draw(
                a,
                &pc,
                Default::default()
            ))
            .contains("NaN")
        );
    }
}
