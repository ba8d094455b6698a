//! The Knowledge density section: doubling time, reference model, target date → the equivalent
//! model, when it fits a device, the seed's claim checked, and a fit of the user's own models.

use super::chart::ChartView;
use super::ctx;
use super::i18n::{count, sci, t, tf, usd};
use super::widgets::{
    How, KeyAnswers, KeyItem, NumField, Refused, ResultCard, SelectField, TextSetter,
};
use crate::chart::density::{density_chart, device_chart, params_needed_chart, DensityLabels};
use crate::model::date::Date;
use crate::model::density::device::{self, FitQuestion, Limit, HW_DOUBLING_MONTHS_HOBBHAHN};
use crate::model::density::evaluate::DensityInput;
use crate::model::density::evaluate::{DensityHow, DensityResult};
use crate::model::density::fit::{self, FitError, ModelPoint};
use crate::model::density::reference::{self, REFERENCE_MODELS};
use crate::model::density::{self as dens, DOUBLING_PRESETS, SRC_HOBBHAHN2023};
use crate::model::explain::Explained;
use crate::model::explain::Source;
use crate::model::num;
use crate::model::scenario::{Lang, Scenario, OWN_REFERENCE};
use crate::model::url;
use crate::ui::i18n::{named, T};
use leptos::prelude::*;

/// The doubling-time select's value for a time typed in rather than a preset's.
const OWN_DOUBLING: &str = "own";

/// The device select's options (the section's and the plan's density step), named in the reader's
/// language.
pub fn device_options() -> Signal<Vec<(String, String)>> {
    let c = ctx();
    Signal::derive(move || {
        let l = c.lang.get();
        device::DEVICES
            .iter()
            .map(|d| {
                (
                    d.id.to_string(),
                    named(l, &format!("density.device.{}", d.id), d.name),
                )
            })
            .collect()
    })
}

/// The device precision select's options ("4-bit", "4 位").
pub fn bits_options() -> Signal<Vec<(String, String)>> {
    let c = ctx();
    Signal::derive(move || {
        let l = c.lang.get();
        url::BIT_WIDTHS
            .iter()
            .map(|b| (b.to_string(), tf(l, "density.bits", &[&b.to_string()])))
            .collect()
    })
}

/// A note of the density model in the reader's language (worded from its data, not its English).
fn note_text(l: Lang, n: &dens::DensityNote) -> String {
    use dens::{DensityError as E, DensityNote as N};
    match n {
        N::BadDoublingTime { given, used } => tf(
            l,
            "density.note.bad_doubling",
            &[&num::short(*given), &num::short(*used)],
        ),
        N::UnknownReference { id } => tf(l, "density.note.unknown_ref", &[id]),
        N::ReferenceMismatch {
            id,
            preset_params,
            preset_date,
            params,
            date,
        } => tf(
            l,
            "density.note.ref_mismatch",
            &[
                id,
                &count(l, *preset_params),
                &preset_date.to_string(),
                &count(l, *params),
                &date.to_string(),
            ],
        ),
        N::TargetBeforeReference { target, reference } => tf(
            l,
            "density.note.before",
            &[&target.to_string(), &reference.to_string()],
        ),
        N::BadBits { bits } => tf(l, "density.note.bad_bits", &[&bits.to_string()]),
        N::Density(E::OutOfRange {
            months,
            doubling_months,
        }) => tf(
            l,
            "density.note.out_of_range",
            &[&format!("{months:.0}"), &num::short(*doubling_months)],
        ),
        N::Density(E::NotPositive { field, value }) => tf(
            l,
            "density.note.not_positive",
            &[field, &num::short(*value)],
        ),
        N::Density(E::BadBits { value, .. }) => {
            tf(l, "density.note.bad_bits", &[&value.to_string()])
        }
        N::BadHwDoubling { given } => tf(l, "density.note.bad_hw", &[&num::short(*given)]),
        N::UnknownDevice { id } => tf(l, "density.note.unknown_device", &[id]),
        N::FitsAtReference { device, .. } => tf(
            l,
            "density.note.fits_at_ref",
            &[&named(
                l,
                &format!("density.device.{}", device.id),
                device.name,
            )],
        ),
        // Shown next to the models table (`is_about_models_table`); worded there.
        N::ModelsTable(_) | N::NoGrowth { .. } | N::FitFailed { .. } => String::new(),
    }
}

/// A preset's label: "3.3 months — Densing Law v2, Fig. 1".
fn preset_label(lang: Lang, p: &dens::DoublingPreset) -> String {
    format!(
        "{} {} — {}",
        num::sig(p.months, 2),
        t(lang, "unit.months"),
        named(lang, &format!("density.preset.{}", p.id), p.name)
    )
}

/// Citation and locator, linked when there is a URL.
#[component]
fn SourceLine(#[prop(into)] source: Signal<Option<Source>>) -> impl IntoView {
    let c = ctx();
    move || {
        source.get().map(|s| {
            view! {
                <small class="hint source">
                    {t(c.lang.get(), "density.source")} " "
                    {if s.url.is_empty() {
                        view! { <cite>{s.citation}</cite> }.into_any()
                    } else {
                        view! { <a href=s.url target="_blank" rel="noopener"><cite>{s.citation}</cite></a> }.into_any()
                    }}
                    ", " <span class="locator">{crate::ui::text::sources::source_text(c.lang.get(), s.locator)}</span>
                </small>
            }
        })
    }
}

/// The line of `text` holding data row `row` (1 = first row after the header), skipping blank
/// lines and `#` comments as the CSV reader does.
fn line_of_row(text: &str, row: usize) -> usize {
    let mut seen = 0usize;
    let mut header = false;
    for (i, line) in text.lines().enumerate() {
        let l = line.trim_start();
        if line.is_empty() || l.starts_with('#') {
            continue;
        }
        if !header {
            header = true;
            continue;
        }
        seen += 1;
        if seen == row {
            return i + 1;
        }
    }
    row + 1
}

/// A models-table or fit error in the reader's language, rows given as line numbers of the text.
fn fit_error_text(lang: Lang, e: &FitError, text: &str) -> String {
    let at = |row: usize, msg: String| {
        tf(
            lang,
            "density.err.line",
            &[&line_of_row(text, row).to_string(), &msg],
        )
    };
    match e {
        FitError::Csv(m) => tf(lang, "density.err.csv", &[m]),
        FitError::MissingColumn(col) => tf(lang, "density.err.missing_column", &[col]),
        FitError::NoCapabilityColumn => t(lang, "density.err.no_capability").to_string(),
        FitError::BadDate { row, value, .. } => {
            at(*row, tf(lang, "density.err.bad_date", &[value]))
        }
        FitError::BadNumber { row, column, value } => {
            at(*row, tf(lang, "density.err.bad_number", &[column, value]))
        }
        FitError::NotPositive { row, column, value } => at(
            *row,
            tf(
                lang,
                "density.err.not_positive",
                &[column, &value.to_string()],
            ),
        ),
        FitError::TooFewModels { n, frontier } => tf(
            lang,
            if *frontier {
                "density.err.too_few_frontier"
            } else {
                "density.err.too_few"
            },
            &[&n.to_string()],
        ),
        FitError::SingleDate => t(lang, "density.err.single_date").to_string(),
    }
}

/// Bytes in binary units like every memory figure of the page: `2.87 GiB`, `287 KiB`.
fn bytes_text(lang: Lang, b: f64) -> String {
    let units = [
        (num::GIB * 1024.0, "unit.tb"),
        (num::GIB, "unit.gb"),
        (num::GIB / 1024.0, "unit.mb"),
        (1024.0, "unit.kb"),
    ];
    let (div, unit) = units
        .iter()
        .copied()
        .find(|(v, _)| b >= *v)
        .unwrap_or((1.0, "unit.bytes"));
    format!("{} {}", num::sig(b / div, 3), t(lang, unit))
}

fn params_text(lang: Lang, n: f64) -> String {
    format!("{} ({})", count(lang, n), sci(n))
}

/// Chart range: `a`..`b` ordered, at least a year wide, padded by `pad` months on each side.
fn span(a: Date, b: Date, pad: f64) -> (Date, Date) {
    let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
    let hi = if lo.months_until(&hi) < 12.0 {
        lo.add_months(12.0)
    } else {
        hi
    };
    (lo.add_months(-pad), hi.add_months(pad))
}

fn labels(lang: Lang) -> DensityLabels {
    let s = |k: &str| t(lang, k).to_string();
    DensityLabels {
        x: s("chart.density.x"),
        y_density: s("chart.density.y"),
        y_params: s("chart.density.y_params"),
        preset: s("chart.density.preset"),
        fit: s("chart.density.fit"),
        fit_no_growth: s("chart.density.fit_no_growth"),
        models: s("chart.density.models"),
        chosen: s("chart.density.chosen"),
        target: s("chart.density.target"),
        required: s("chart.density.required"),
        capacity: s("chart.density.capacity"),
        fits: s("chart.density.fits"),
    }
}

fn fit_question(s: &DensityInput) -> Option<FitQuestion<'static>> {
    let dev = device::device(&s.device)?;
    Some(FitQuestion {
        reference_params: s.ref_params,
        reference_date: s.ref_date,
        doubling_months: s.doubling_months,
        device: dev,
        bits: s.device_bits,
        min_tokens_per_s: None,
        hw_doubling_months: s.hw_doubling_months.filter(|&h| h > 0.0),
    })
}

#[component]
pub fn DensitySection() -> impl IntoView {
    super::compare::register("density", |s, _| crate::model::compare::density_answers(s));
    let c = ctx();
    // Only this section's inputs: a memo of them keeps other sections' edits from re-evaluating
    // and redrawing this one.
    let inputs = Memo::new(move |_| c.scenario.with(Scenario::density));
    let result = Memo::new(move |_| inputs.with(dens::evaluate));
    let frontier = RwSignal::new(false);
    // The model's notes in the reader's language; those about the models table are shown next
    // to the table instead.
    let notes = Memo::new(move |_| {
        let l = c.lang.get();
        result.with(|r| {
            r.notes
                .iter()
                .filter(|n| !n.is_about_models_table())
                .map(|n| note_text(l, n))
                .collect::<Vec<_>>()
        })
    });

    view! {
        <section id="density" aria-labelledby="density-title">
            <h2 id="density-title"><T k="density.title"/></h2>
            <KeyAnswers id="density-keys" items=vec![
                KeyItem::new("density.out.params", "density-params", value(inputs, result, equivalent_text)),
                KeyItem::new("density.out.usd", "density-usd", value(inputs, result, usd_text)),
                KeyItem::new("density.out.capacity", "density-capacity", value(inputs, result, capacity_text)),
                KeyItem::new("density.out.fit_date", "density-fit-date", value(inputs, result, fit_date_text)),
            ]/>
            <p class="intro"><T k="density.intro"/></p>
            <DensityInputs inputs=inputs result=result/>
            <Show when=move || !notes.with(|n| n.is_empty())>
                <div class="warnings" role="status" id="density-notes">
                    <strong><T k="density.notes"/></strong>
                    <ul>{move || notes.get().into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul>
                </div>
            </Show>
            <DensityCards inputs=inputs result=result/>
            <div class="grid2">
                <ParamsChart inputs=inputs/>
                <DeviceChart inputs=inputs/>
            </div>
            <SeedTable result=result/>
            <FitPanel inputs=inputs result=result frontier=frontier/>
            <super::density_effective::EffectivePanel/>
            <super::density_atlas::AtlasPanel/>
        </section>
    }
}

/// The doubling time (a preset or the reader's), the reference model, the dates and the device.
#[component]
fn DensityInputs(inputs: Memo<DensityInput>, result: Memo<DensityResult>) -> impl IntoView {
    let c = ctx();
    // Editing the reference's size or date by hand makes it a custom reference.
    Effect::new(move |_| {
        let mismatch = inputs.with(|s| {
            s.density_ref
                .as_deref()
                .and_then(reference::reference_model)
                .is_some_and(|m| m.params != s.ref_params || m.release != s.ref_date)
        });
        if mismatch {
            c.scenario.update(|s| s.density_ref = None);
        }
    });

    // Doubling-time presets: two presets share 8 months, so remember which one was picked.
    let picked = RwSignal::new(None::<&'static str>);
    let preset_id = Memo::new(move |_| {
        let dm = inputs.with(|s| s.doubling_months);
        let matches =
            |id: &str| dens::doubling_preset(id).is_some_and(|p| (p.months - dm).abs() < 1e-9);
        match picked.get() {
            Some(id) if matches(id) => Some(id),
            _ => dens::doubling_preset_for(dm).map(|p| p.id),
        }
    });
    let on_preset = move |ev| {
        let v = event_target_value(&ev);
        if let Some(p) = dens::doubling_preset(&v) {
            picked.set(Some(p.id));
            c.scenario.update(|s| s.doubling_months = p.months);
        } else {
            picked.set(None);
        }
    };
    let on_reference = move |ev| {
        let v = event_target_value(&ev);
        c.scenario.update(|s| {
            if let Some(m) = reference::reference_model(&v) {
                s.density_ref = Some(m.id.into());
                s.ref_params = m.params;
                s.ref_date = m.release;
            } else {
                s.density_ref = None;
            }
        });
    };
    let (device_options, bits_options) = (device_options(), bits_options());

    view! {
    <div class="inputs">
        <div class="field">
            <label for="density-preset"><T k="density.field.preset"/></label>
            <select id="density-preset" on:change=on_preset>
                {move || {
                    let l = c.lang.get();
                    let cur = preset_id.get();
                    let mut opts: Vec<_> = DOUBLING_PRESETS.iter().map(|p| {
                        let sel = cur == Some(p.id);
                        view! { <option value=p.id selected=sel>{preset_label(l, p)}</option> }
                    }).collect();
                    opts.push(view! { <option value=OWN_DOUBLING selected=cur.is_none()>{t(l, "density.preset.custom").to_string()}</option> });
                    opts
                }}
            </select>
            <SourceLine source=Signal::derive(move || preset_id.get().and_then(dens::doubling_preset).map(|p| p.source))/>
        </div>
        <NumField key="dm" label="density.field.dm"/>
        <div class="field">
            <label for="f-dref"><T k="density.field.dref"/></label>
            <select id="f-dref" on:change=on_reference>
                {move || {
                    let cur = inputs.with(|s| s.density_ref.clone());
                    let mut opts: Vec<_> = REFERENCE_MODELS.iter().map(|m| {
                        let sel = cur.as_deref() == Some(m.id);
                        view! { <option value=m.id selected=sel>{format!("{} ({})", m.name, m.release)}</option> }
                    }).collect();
                    let custom = cur.as_deref().and_then(reference::reference_model).is_none();
                    opts.push(view! { <option value=OWN_REFERENCE selected=custom>{t(c.lang.get(), "density.ref.custom").to_string()}</option> });
                    opts
                }}
            </select>
            <SourceLine source=Signal::derive(move || result.with(|r| r.reference_preset.map(|m| m.source)))/>
        </div>
        <NumField key="drp" label="density.field.drp"/>
        <NumField key="drd" label="density.field.drd" placeholder="YYYY-MM-DD" text_mode=true/>
        <NumField key="dd" label="density.field.dd" placeholder="YYYY-MM-DD" text_mode=true/>
        <SelectField key="dev" label="density.field.dev" options=device_options/>
        <SelectField key="dbits" label="density.field.dbits" options=bits_options/>
        <div class="field">
            <NumField key="dhw" label="density.field.dhw"/>
            <div class="exports">
                <button id="dhw-hobbhahn" class="small" type="button"
                    on:click=move |_| c.scenario.update(|s| s.hw_doubling_months = HW_DOUBLING_MONTHS_HOBBHAHN)>
                    {move || tf(c.lang.get(), "density.hw.hobbhahn", &[&num::sig(HW_DOUBLING_MONTHS_HOBBHAHN, 3)])}
                </button>
                <button id="dhw-off" class="small" type="button"
                    on:click=move |_| c.scenario.update(|s| s.hw_doubling_months = 0.0)>
                    <T k="density.hw.off"/>
                </button>
            </div>
            <SourceLine source=Signal::derive(move || Some(SRC_HOBBHAHN2023))/>
        </div>
    </div>
    }
}

/// A card's value: `f` of the section's inputs and result, in the reader's language.
fn value(
    inputs: Memo<DensityInput>,
    result: Memo<DensityResult>,
    f: fn(Lang, &DensityInput, &DensityResult) -> String,
) -> Signal<String> {
    let c = ctx();
    Signal::derive(move || {
        let l = c.lang.get();
        inputs.with(|s| result.with(|r| f(l, s, r)))
    })
}

fn equivalent_text(l: Lang, _: &DensityInput, r: &DensityResult) -> String {
    r.equivalent
        .map(|m| params_text(l, m.equivalent_params))
        .unwrap_or_else(|| "—".into())
}

fn usd_text(l: Lang, _: &DensityInput, r: &DensityResult) -> String {
    r.usd_per_million_tokens
        .map(|u| usd(l, u))
        .unwrap_or_else(|| "—".into())
}

fn capacity_text(l: Lang, _: &DensityInput, r: &DensityResult) -> String {
    r.device
        .as_ref()
        .map(|d| params_text(l, d.fit.capacity_params))
        .unwrap_or_else(|| "—".into())
}

fn fit_date_text(l: Lang, s: &DensityInput, r: &DensityResult) -> String {
    r.device
        .as_ref()
        .map(|d| {
            if d.fit.fits_at_reference {
                tf(l, "density.fit_date.already", &[&s.ref_date.to_string()])
            } else {
                d.fit.date.map_or_else(
                    || t(l, "density.fit_date.beyond").to_string(),
                    |x| x.to_string(),
                )
            }
        })
        .unwrap_or_else(|| "—".into())
}

/// The equivalent model at the target date, and when it fits the device.
#[component]
fn DensityCards(inputs: Memo<DensityInput>, result: Memo<DensityResult>) -> impl IntoView {
    let c = ctx();
    let how = Memo::new(move |_| result.with(|r| r.how()));
    let explained = move |f: fn(&DensityHow) -> &Option<Explained>| {
        Signal::derive(move || how.with(|h| f(h).clone()))
    };
    view! {
    <h3><T k="density.results"/></h3>
    <div class="cards">
        <ResultCard id="density-months" label="density.out.months"
            value=Signal::derive(move || { let l = c.lang.get(); result.with(|r| r.equivalent.map(|m| format!("{} {}", num::sig(m.months_elapsed, 3), t(l, "unit.months"))).unwrap_or_else(|| "—".into())) })
            how=explained(|h| &h.months_elapsed)/>
        <ResultCard id="density-ratio" label="density.out.ratio"
            value=Signal::derive(move || result.with(|r| r.equivalent.map(|m| format!("{}×", sci(m.density_ratio))).unwrap_or_else(|| "—".into())))
            how=explained(|h| &h.ratio)/>
        <ResultCard id="density-params" label="density.out.params"
            value=value(inputs, result, equivalent_text)
            how=explained(|h| &h.equivalent_params)/>
        <ResultCard id="density-flops" label="density.out.flops"
            value=Signal::derive(move || result.with(|r| r.equivalent.map(|m| sci(m.inference_flops_per_token)).unwrap_or_else(|| "—".into())))
            how=explained(|h| &h.inference_flops_per_token)/>
        <ResultCard id="density-weights" label="density.out.weights"
            value=Signal::derive(move || { let l = c.lang.get(); result.with(|r| r.weight_bytes.map(|b| bytes_text(l, b)).unwrap_or_else(|| "—".into())) })
            how=explained(|h| &h.weight_bytes)/>
        <ResultCard id="density-usd" label="density.out.usd"
            value=value(inputs, result, usd_text)
            how=explained(|h| &h.usd_per_million_tokens)/>
    </div>
    <h3><T k="density.device_results"/></h3>
    <div class="cards">
        <ResultCard id="density-capacity" label="density.out.capacity"
            value=value(inputs, result, capacity_text)
            how=explained(|h| &h.device_capacity_params)/>
        <ResultCard id="density-fit-date" label="density.out.fit_date"
            value=value(inputs, result, fit_date_text)
            how=explained(|h| &h.device_fit_months)/>
        <ResultCard id="density-combined" label="density.out.combined"
            value=Signal::derive(move || { let l = c.lang.get(); result.with(|r| r.device.as_ref().map(|d| format!("{} {}", num::sig(d.fit.combined_doubling_months, 3), t(l, "unit.months"))).unwrap_or_else(|| "—".into())) })
            how=explained(|h| &h.combined_doubling_months)/>
        <ResultCard id="density-tps" label="density.out.tps"
            value=Signal::derive(move || { let l = c.lang.get(); result.with(|r| r.device.as_ref().and_then(|d| d.tokens_per_s_at_target).map(|x| format!("{} {}", num::sig(x, 3), t(l, "unit.tokens_per_s"))).unwrap_or_else(|| "—".into())) })
            how=explained(|h| &h.device_tokens_per_s)/>
    </div>
    {move || {
        let l = c.lang.get();
        result.with(|r| r.device.as_ref().map(|d| {
            let fits = format!("{} ({})", t(l, if d.fits_at_target { "density.fits_at_target.yes" } else { "density.fits_at_target.no" }),
                t(l, match d.fit.limited_by { Limit::Memory => "density.limit.memory", Limit::Bandwidth => "density.limit.bandwidth" }));
            let note = named(l, &format!("density.device_note.{}", d.device.id), d.device.note);
            let est = d.device.estimate.then(|| tf(l, "density.estimate", &[&note]));
            view! {
                <p class="intro" id="density-fits-at-target">{fits}</p>
                {est.map(|e| view! { <p class="intro">{e}</p> })}
                <SourceLine source=Signal::derive({ let s = d.device.source; move || Some(s) })/>
            }
        }))
    }}
    }
}

#[component]
fn ParamsChart(inputs: Memo<DensityInput>) -> impl IntoView {
    let c = ctx();
    // A memo: other sections' inputs must not redraw this chart.
    let chart = Memo::new(move |_| {
        let l = labels(c.lang.get());
        inputs.with(|s| {
            let (from, to) = span(s.ref_date, s.target_date, 6.0);
            params_needed_chart(
                s.ref_params,
                s.ref_date,
                s.doubling_months,
                s.target_date,
                from,
                to,
                &l,
            )
        })
    });
    view! { <ChartView id="density-params" title="chart.params_needed.title" chart=chart/> }
}

#[component]
fn DeviceChart(inputs: Memo<DensityInput>) -> impl IntoView {
    let c = ctx();
    // A memo: other sections' inputs must not redraw this chart.
    let chart = Memo::new(move |_| {
        let l = labels(c.lang.get());
        inputs
            .with(|s| {
                let q = fit_question(s)?;
                // Show the meeting date when there is one within 40 years, and the target date.
                let meet = q
                    .solve()
                    .ok()
                    .and_then(|f| f.date)
                    .filter(|d| s.ref_date.months_until(d).abs() < 480.0)
                    .unwrap_or(s.target_date);
                let end = if meet > s.target_date {
                    meet
                } else {
                    s.target_date
                };
                let (from, to) = span(s.ref_date, end, 6.0);
                Some(device_chart(&q, from, to, &l))
            })
            .unwrap_or_default()
    });
    view! { <ChartView id="density-device" title="chart.device.title" chart=chart/> }
}

#[component]
fn SeedTable(result: Memo<dens::DensityResult>) -> impl IntoView {
    let c = ctx();
    let gpt3 = reference::GPT3_175B;
    let mini = reference::MINICPM_1_2B4;
    let caption = move || {
        tf(
            c.lang.get(),
            "density.seed.caption",
            &[
                mini.name,
                &mini.release.to_string(),
                gpt3.name,
                &gpt3.release.to_string(),
                &num::sig(gpt3.release.months_until(&mini.release), 3),
            ],
        )
    };
    let rows = move || {
        let l = c.lang.get();
        result.with(|r| {
            r.seed_check
                .iter()
                .map(|row| {
                    let what = match row.key.as_str() {
                        "param-ratio" => tf(l, "density.seed.param_ratio", &[gpt3.name, mini.name]),
                        "talk-86x" => t(l, "density.seed.talk").to_string(),
                        id => match dens::doubling_preset(id) {
                            Some(p) => tf(l, "density.seed.preset", &[&preset_label(l, p)]),
                            None => row.label.clone(),
                        },
                    };
                    let src = row.source;
                    view! {
                        <tr data-key=row.key.clone()>
                            <th scope="row">{what}</th>
                            <td>{format!("{}×", num::sig(row.ratio, 3))}</td>
                            <td>{num::sig(row.doubling_months, 3)}</td>
                            <td>{if src.url.is_empty() {
                                view! { <cite>{src.citation}</cite> }.into_any()
                            } else {
                                view! { <a href=src.url target="_blank" rel="noopener"><cite>{src.citation}</cite></a> }.into_any()
                            }}</td>
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <h3 id="density-seed-title"><T k="density.seed.title"/></h3>
        <div class="table-wrap">
            <table id="density-seed" aria-labelledby="density-seed-title" style="min-width: 40rem">
                <caption>{caption}</caption>
                <thead><tr>
                    <th scope="col"><T k="density.seed.col.what"/></th>
                    <th scope="col"><T k="density.seed.col.ratio"/></th>
                    <th scope="col"><T k="density.seed.col.months"/></th>
                    <th scope="col"><T k="density.seed.col.source"/></th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <div class="card" data-key="density-seed-ratio">
            <How how=Signal::derive(move || result.with(|r| r.how().seed_param_ratio))/>
        </div>
    }
}

#[component]
fn FitPanel(
    inputs: Memo<DensityInput>,
    result: Memo<dens::DensityResult>,
    frontier: RwSignal<bool>,
) -> impl IntoView {
    let c = ctx();
    let text = Memo::new(move |_| inputs.with(|s| s.models_csv.clone()));
    let table: Memo<Option<Result<Vec<ModelPoint>, FitError>>> =
        Memo::new(move |_| text.with(|t| (!t.trim().is_empty()).then(|| fit::parse_models_csv(t))));
    let error = Memo::new(move |_| {
        let front = frontier.get();
        table.with(|tb| match tb {
            Some(Err(e)) => Some(e.clone()),
            Some(Ok(m)) => fit::fit(m, front).err(),
            None => None,
        })
    });
    let chosen = Memo::new(move |_| {
        let front = frontier.get();
        result.with(|r| {
            if front {
                r.fit_frontier.clone()
            } else {
                r.fit.clone()
            }
        })
    });
    let setter = TextSetter::new("models");
    let set_text = move |v: String| setter.set(v);
    let how_key = move || -> fn(&DensityHow) -> &Option<Explained> {
        if frontier.get() {
            |h| &h.fit_frontier_doubling_months
        } else {
            |h| &h.fit_doubling_months
        }
    };
    // A memo: other sections' inputs must not redraw this chart.
    let chart = Memo::new(move |_| {
        let l = labels(c.lang.get());
        let models: Vec<ModelPoint> = table.with(|t| match t {
            Some(Ok(m)) => m.clone(),
            _ => Vec::new(),
        });
        let f = chosen.get();
        inputs.with(|s| {
            let (first, last) = models
                .iter()
                .fold((s.ref_date, s.target_date), |(a, b), m| {
                    (a.min(m.date), b.max(m.date))
                });
            let (from, to) = span(first, last, 6.0);
            let (anchor, rho) = match (&f, models.first()) {
                (Some(f), _) => {
                    let a = Date::from_days_since_epoch(f.t_mean.round() as i64);
                    (a, f.predict(&a).0)
                }
                (None, Some(m)) => (m.date, m.density),
                (None, None) => (s.ref_date, 1.0),
            };
            density_chart(f.as_ref(), &models, anchor, rho, from, to, &l)
        })
    });
    view! {
        <h3 id="density-fit-title"><T k="density.fit.title"/></h3>
        <p class="intro"><T k="density.fit.help"/></p>
        <div class="field" class:invalid=move || error.with(|e| e.is_some())>
            <label for="f-models"><T k="density.fit.csv"/></label>
            <textarea id="f-models" spellcheck="false" placeholder="name,date,params,effective_params"
                aria-describedby="e-models"
                prop:value=move || text.get()
                on:input=move |ev| set_text(event_target_value(&ev))></textarea>
            <Refused setter=setter/>
            <small class="error" id="e-models" role="status">
                {move || error.get().map(|e| text.with(|tx| fit_error_text(c.lang.get(), &e, tx)))}
            </small>
        </div>
        <div class="exports fit-controls">
            <super::widgets::OpenOrClear file_id="models-file" clear_id="models-clear" setter=setter/>
            <label>
                <input id="density-frontier" type="checkbox" prop:checked=move || frontier.get()
                    on:change=move |ev| frontier.set(event_target_checked(&ev))/>
                " " <T k="density.fit.frontier"/>
            </label>
        </div>
        {move || table.with(|tb| match tb {
            Some(Ok(m)) => Some(view! { <p class="hint" id="density-parsed">{tf(c.lang.get(), "density.fit.parsed", &[&m.len().to_string()])}</p> }),
            _ => None,
        })}
        <Show when=move || chosen.with(|f| f.is_some())>
            <div class="cards" id="density-fit">
                <ResultCard id="density-fit-months" label="density.fit.doubling"
                    value=Signal::derive(move || { let l = c.lang.get(); chosen.with(|f| f.as_ref().map(|f| f.doubling_months.map_or_else(|| t(l, "density.fit.none").to_string(), |m| format!("{} {}", num::sig(m, 3), t(l, "unit.months")))).unwrap_or_default()) })
                    how=Signal::derive(move || { let k = how_key(); result.with(|r| k(&r.how()).clone()) })/>
                <ResultCard id="density-fit-ci" label="density.fit.ci"
                    value=Signal::derive(move || { let l = c.lang.get(); chosen.with(|f| f.as_ref().map(|f| {
                        let lo = f.ci95_months[0].map_or("—".to_string(), |x| num::sig(x, 3));
                        let hi = f.ci95_months[1].map_or(t(l, "density.fit.unbounded").to_string(), |x| num::sig(x, 3));
                        format!("[{lo}, {hi}] {}", t(l, "unit.months"))
                    }).unwrap_or_default()) })
                    how=Signal::derive(move || { let k = how_key(); result.with(|r| k(&r.how()).clone()) })/>
                <ResultCard id="density-fit-r2" label="density.fit.r2"
                    value=Signal::derive(move || chosen.with(|f| f.as_ref().and_then(|f| f.r2).map_or("—".to_string(), |x| num::sig(x, 3))))
                    how=Signal::derive(move || { let k = how_key(); result.with(|r| k(&r.how()).clone()) })/>
                <ResultCard id="density-fit-n" label="density.fit.n"
                    value=Signal::derive(move || chosen.with(|f| f.as_ref().map(|f| f.n_models.to_string()).unwrap_or_default()))
                    how=Signal::derive(move || None)/>
            </div>
            <Show when=move || chosen.with(|f| f.as_ref().is_some_and(|f| !f.growth))>
                <p class="hint" id="density-no-growth"><T k="density.note.no_growth"/></p>
            </Show>
        </Show>
        <ChartView id="density" title="chart.density.title" chart=chart/>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dens::{DensityError as E, DensityNote as N};

    /// Every note the page shows is worded in both languages from its data: no missing key ("?"),
    /// no placeholder left ("{}"), and the Chinese is not the English.
    #[test]
    fn every_density_note_is_worded_in_both_languages() {
        let d = Date::parse("2020-05-28").unwrap();
        let notes = [
            N::BadDoublingTime {
                given: -1.0,
                used: 8.0,
            },
            N::UnknownReference { id: "x".into() },
            N::ReferenceMismatch {
                id: "gpt-3-175b",
                preset_params: 175e9,
                preset_date: d,
                params: 70e9,
                date: d,
            },
            N::TargetBeforeReference {
                target: d,
                reference: d,
            },
            N::BadBits { bits: 64 },
            N::Density(E::OutOfRange {
                months: 2400.0,
                doubling_months: 0.1,
            }),
            N::Density(E::NotPositive {
                field: "reference_params",
                value: 0.0,
            }),
            N::BadHwDoubling { given: -3.0 },
            N::UnknownDevice { id: "x".into() },
            N::FitsAtReference {
                device: device::device("phone-12gb").unwrap(),
                date: d,
            },
        ];
        for n in &notes {
            let en = note_text(Lang::En, n);
            let zh = note_text(Lang::Zh, n);
            for text in [&en, &zh] {
                assert!(
                    !text.is_empty() && !text.contains('?') && !text.contains("{}"),
                    "{n:?}: {text}"
                );
            }
            assert_ne!(en, zh, "{n:?}");
            assert!(!n.is_about_models_table());
        }
    }
}
