//! The user's runs in the Scaling laws section: a CSV table (pasted or uploaded) with row-level
//! errors, the App. D.2 fit run in time slices with progress and cancel, the fitted constants,
//! the bootstrap with its 95% intervals, and the residuals chart.

use super::chart::ChartView;
use super::ctx;
use super::i18n::{count, sci, t, tf, T};
use super::widgets::{How, NumField, Refused, TextSetter};
use crate::chart::line::LineChart;
use crate::chart::scaling::{residuals_chart, ScalingLabels};
use crate::model::explain::Explained;
use crate::model::fit::columns::{self, MapProblem, Role, RunsMap};
use crate::model::fit::runs::parse_points;
use crate::model::fit::runs::{MIN_DISTINCT, MIN_POINTS};
use crate::model::fit::{
    Bootstrap, BootstrapError, BootstrapOptions, BootstrapReport, FitError, FitOptions, FitReport,
    Fitter, Progress, RowProblem, Runs, RunsError,
};
use crate::model::fit::{FitHow, Run};
use crate::model::num;
use crate::model::scaling::Law;
use crate::model::scenario::{Lang, LawChoice};
use leptos::prelude::*;
use std::cell::RefCell;
use std::rc::Rc;

/// Work done between two yields to the browser, ms: short enough that frames keep coming.
const SLICE_MS: f64 = 12.0;
/// Bootstrap resamples per `step` call inside a slice.
const BOOT_STEP: usize = 1;
/// Seed of the page's bootstrap (reproducible; the CLI's default is the same).
const BOOT_SEED: u64 = 1;

/// The work the section may be doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Job {
    Fit,
    Bootstrap,
}

/// The fit and bootstrap state the section shares.
#[derive(Clone, Copy)]
pub struct FitState {
    pub report: RwSignal<Option<FitReport>>,
    pub boot: RwSignal<Option<BootstrapReport>>,
    /// Runs the current fit was made from, for the residuals.
    fitted_runs: RwSignal<Vec<(f64, f64, f64)>>,
    /// Runs the reader excluded from the current fit (drawn hollow on the residuals).
    fitted_out: RwSignal<Vec<(f64, f64, f64)>>,
    /// (what, progress) while working.
    running: RwSignal<Option<(Job, Progress)>>,
    /// Bumped to cancel the running job.
    generation: StoredValue<u64>,
    /// Wall time of the last fit and bootstrap, ms.
    fit_ms: RwSignal<Option<f64>>,
    boot_ms: RwSignal<Option<f64>>,
    /// What became of the last attempt when it gave no result (an error, or cancelled).
    status: RwSignal<Option<Status>>,
}

/// Why the last fit or bootstrap gave no result; worded in the reader's language when shown.
#[derive(Clone, Debug, PartialEq)]
enum Status {
    Runs(RunsError),
    Fit(FitError),
    Boot(BootstrapError),
    Cancelled,
}

fn fit_error_text(l: Lang, e: &FitError) -> String {
    match e {
        FitError::InvalidOption { name, value, .. } => {
            tf(l, "fit.err.option", &[name, &num::short(*value)])
        }
        FitError::NoStartConverged { starts } => {
            tf(l, "fit.err.no_converge", &[&starts.to_string()])
        }
        FitError::TooMuchWork {
            rows,
            starts,
            limit,
        } => tf(
            l,
            "fit.err.work",
            &[&rows.to_string(), &starts.to_string(), &num::short(*limit)],
        ),
    }
}

fn status_text(l: Lang, s: &Status) -> String {
    match s {
        Status::Runs(e) => runs_error_lines(l, e).join(" "),
        Status::Fit(e) => fit_error_text(l, e),
        Status::Boot(BootstrapError::Fit(e)) => fit_error_text(l, e),
        Status::Boot(BootstrapError::InvalidOption { name, value, .. }) => {
            if *name == "resamples" {
                tf(l, "fit.err.boot_resamples", &[&num::short(*value)])
            } else {
                tf(l, "fit.err.option", &[name, &num::short(*value)])
            }
        }
        Status::Boot(BootstrapError::TooFewSuccessful {
            succeeded,
            resamples,
        }) => tf(
            l,
            "fit.err.boot_few",
            &[&succeeded.to_string(), &resamples.to_string()],
        ),
        Status::Cancelled => t(l, "fit.cancelled").to_string(),
    }
}

impl FitState {
    pub fn new() -> Self {
        Self {
            report: RwSignal::new(None),
            boot: RwSignal::new(None),
            fitted_runs: RwSignal::new(Vec::new()),
            fitted_out: RwSignal::new(Vec::new()),
            running: RwSignal::new(None),
            generation: StoredValue::new(0),
            fit_ms: RwSignal::new(None),
            boot_ms: RwSignal::new(None),
            status: RwSignal::new(None),
        }
    }
}

impl FitState {
    /// The fitted law, if there is a fit: what law `fit` means in every section.
    pub fn fitted_law(self) -> Memo<Option<crate::model::scaling::ParametricLaw>> {
        Memo::new(move |_| self.report.with(|r| r.as_ref().map(|r| r.law)))
    }
}

impl Default for FitState {
    fn default() -> Self {
        Self::new()
    }
}

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or(0.0)
}

/// Lets the browser paint and handle input: resolves on a fresh task (a `MessageChannel`
/// message, which unlike `setTimeout(0)` is not clamped to 4 ms when nested).
fn yield_promise() -> js_sys::Promise {
    js_sys::Promise::new(
        &mut |resolve, _reject| match web_sys::MessageChannel::new() {
            Ok(ch) => {
                ch.port1().set_onmessage(Some(&resolve));
                let _ = ch.port2().post_message(&wasm_bindgen::JsValue::NULL);
            }
            Err(_) => {
                if let Some(w) = web_sys::window() {
                    let _ = w.set_timeout_with_callback(&resolve);
                }
            }
        },
    )
}

async fn yield_to_browser() {
    let _ = wasm_bindgen_futures::JsFuture::from(yield_promise()).await;
}

fn row_problem_text(l: Lang, p: &RowProblem) -> String {
    match p {
        RowProblem::UnreadableHeader => t(l, "fit.rp.header").to_string(),
        RowProblem::UnreadableRow => t(l, "fit.rp.row").to_string(),
        RowProblem::Empty => t(l, "fit.rp.empty").to_string(),
        RowProblem::NotANumber(raw) => tf(l, "fit.rp.nan", &[raw]),
        RowProblem::NotPositive(raw) => tf(l, "fit.rp.positive", &[raw]),
    }
}

/// A runs-table error in the reader's language, one line per bad row.
fn runs_error_lines(lang: Lang, e: &RunsError) -> Vec<String> {
    let one = |key: &str, args: &[&str]| vec![tf(lang, key, args)];
    match e {
        RunsError::Rows(rows) => rows
            .iter()
            .map(|r| {
                let what = row_problem_text(lang, &r.problem);
                if r.column.is_empty() {
                    tf(lang, "fit.row_error", &[&r.line.to_string(), &what])
                } else {
                    tf(
                        lang,
                        "fit.row_error_col",
                        &[&r.line.to_string(), &r.column, &what],
                    )
                }
            })
            .collect(),
        RunsError::Empty => one("fit.err.empty", &[]),
        RunsError::MissingColumn { expected, found } => {
            one("fit.err.missing", &[expected, &found.join(", ")])
        }
        RunsError::TooFewPoints { got } => one(
            "fit.err.too_few",
            &[&got.to_string(), &MIN_POINTS.to_string()],
        ),
        RunsError::TooFewDistinct { column, got } => one(
            "fit.err.distinct",
            &[column, &got.to_string(), &MIN_DISTINCT.to_string()],
        ),
        RunsError::BadValue {
            index,
            column,
            value,
        } => one(
            "fit.err.bad_value",
            &[&(index + 1).to_string(), column, &num::short(*value)],
        ),
    }
}

/// Runs the fit in slices; `out` are the runs excluded from it (for the residuals chart).
fn start_fit(st: FitState, runs: Runs, out: Vec<(f64, f64, f64)>) {
    st.generation.update_value(|g| *g += 1);
    let gen = st.generation.get_value();
    let triples: Vec<(f64, f64, f64)> = runs
        .runs()
        .iter()
        .map(|r| (r.params, r.tokens, r.loss))
        .collect();
    let fitter = match Fitter::new(runs, FitOptions::default()) {
        Ok(f) => f,
        Err(e) => {
            st.status.set(Some(Status::Fit(e)));
            return;
        }
    };
    st.status.set(None);
    st.running.set(Some((Job::Fit, fitter.progress())));
    let fitter = Rc::new(RefCell::new(fitter));
    leptos::task::spawn_local(async move {
        let t0 = now_ms();
        let cancelled = move || st.generation.try_get_value() != Some(gen);
        let progress = move |p: Progress| {
            if st.generation.try_get_value() == Some(gen) {
                st.running.set(Some((Job::Fit, p)));
            }
        };
        let done = super::fit_pool::run(
            fitter.clone(),
            progress,
            cancelled,
            yield_promise,
            SLICE_MS,
            now_ms,
        )
        .await;
        if !done {
            return;
        }
        let Ok(fitter) = Rc::try_unwrap(fitter) else {
            return;
        };
        match fitter.into_inner().finish() {
            Ok(r) => {
                st.fit_ms.set(Some(now_ms() - t0));
                st.fitted_runs.set(triples);
                st.fitted_out.set(out);
                st.boot.set(None);
                st.boot_ms.set(None);
                st.report.set(Some(r));
            }
            Err(e) => st.status.set(Some(Status::Fit(e))),
        }
        st.running.set(None);
    });
}

fn start_bootstrap(st: FitState, runs: Runs, resamples: u32, flops: f64) {
    let Some(full) = st.report.get_untracked() else {
        return;
    };
    st.generation.update_value(|g| *g += 1);
    let gen = st.generation.get_value();
    let opts = BootstrapOptions {
        resamples: resamples as usize,
        seed: BOOT_SEED,
        budget_flops: flops,
    };
    let mut boot = match Bootstrap::new(runs, &full, &FitOptions::default(), opts) {
        Ok(b) => b,
        Err(e) => {
            st.status.set(Some(Status::Boot(e)));
            return;
        }
    };
    st.status.set(None);
    st.running.set(Some((Job::Bootstrap, boot.progress())));
    leptos::task::spawn_local(async move {
        let t0 = now_ms();
        loop {
            let slice = now_ms();
            let mut p = boot.progress();
            while p.done < p.total && now_ms() - slice < SLICE_MS {
                p = boot.step(BOOT_STEP);
            }
            st.running.set(Some((Job::Bootstrap, p)));
            yield_to_browser().await;
            if st.generation.get_value() != gen {
                return;
            }
            if p.done >= p.total {
                break;
            }
        }
        match boot.finish() {
            Ok(r) => {
                st.boot_ms.set(Some(now_ms() - t0));
                st.boot.set(Some(r));
            }
            Err(e) => st.status.set(Some(Status::Boot(e))),
        }
        st.running.set(None);
    });
}

/// Runs as `(N, D, L)`.
type Triples = Vec<(f64, f64, f64)>;

/// Why the runs table gives no runs: roles without a column, or the reader's problem.
#[derive(Clone, Debug, PartialEq)]
enum TableError {
    Unmapped(Vec<Role>),
    Runs(RunsError),
}

/// The runs table as read with the reader's column mapping (`rmap`) and exclusions (`rx`).
#[derive(Clone, Debug, PartialEq)]
struct Table {
    headers: Vec<String>,
    /// The column used per role, in [`Role::ALL`] order.
    cols: [Option<String>; 4],
    /// The header is not `params`, `tokens` (or `flops`), `loss`, or the reader chose columns:
    /// the mapping's selects are shown.
    show_map: bool,
    map_bad: Vec<MapProblem>,
    rx_bad: Vec<String>,
    /// Excluded run numbers (1-based) that have a run.
    excluded: Vec<usize>,
    /// Excluded run numbers with no run.
    rx_missing: Vec<usize>,
    /// Every run read.
    points: Result<Vec<Run>, TableError>,
}

impl Table {
    fn read(text: &str, rmap: &str, rx: &str) -> Option<Table> {
        if text.trim().is_empty() {
            return None;
        }
        let headers = columns::header_row(text);
        let (map, map_bad) = RunsMap::parse(rmap);
        let cols = columns::resolve(&headers, &map);
        let has = |n: &str| headers.iter().any(|h| h.eq_ignore_ascii_case(n));
        let plain = has("params") && has("loss") && (has("tokens") || has("flops"));
        let points = match columns::column_map(&cols) {
            Ok(cm) => parse_points(text, &cm).map_err(TableError::Runs),
            Err(roles) => Err(TableError::Unmapped(roles)),
        };
        let (rows, rx_bad) = columns::parse_excluded(rx);
        let n = points.as_ref().map_or(usize::MAX, Vec::len);
        let (excluded, rx_missing) = rows.into_iter().partition(|&r| r <= n);
        Some(Table {
            show_map: !plain || !rmap.trim().is_empty(),
            headers,
            cols,
            map_bad,
            rx_bad,
            excluded,
            rx_missing,
            points,
        })
    }

    /// The runs to fit (every run read less the excluded ones, validated) and the excluded ones.
    fn runs(&self) -> Result<(Runs, Triples), TableError> {
        let pts = self.points.as_ref().map_err(Clone::clone)?;
        let (kept, out, _) = columns::split_excluded(pts, &self.excluded);
        let out = out.iter().map(|r| (r.params, r.tokens, r.loss)).collect();
        Runs::new(kept).map(|r| (r, out)).map_err(TableError::Runs)
    }
}

/// A role's label in the mapping (`fit.map.<role>`).
fn role_label(l: Lang, r: Role) -> &'static str {
    t(
        l,
        match r {
            Role::Params => "fit.map.params",
            Role::Tokens => "fit.map.tokens",
            Role::Flops => "fit.map.flops",
            Role::Loss => "fit.map.loss",
        },
    )
}

fn table_error_lines(l: Lang, e: &TableError) -> Vec<String> {
    match e {
        TableError::Runs(e) => runs_error_lines(l, e),
        TableError::Unmapped(roles) => roles
            .iter()
            .map(|&r| tf(l, "fit.map.choose", &[role_label(l, r)]))
            .collect(),
    }
}

/// What of the link's `rmap` and `rx` was not used, one line each.
fn link_problem_lines(l: Lang, t: &Table, runs: usize) -> Vec<String> {
    let map = t.map_bad.iter().map(|p| {
        let (entry, why) = match p {
            MapProblem::NoColon(e) => (e, "fit.map.no_colon"),
            MapProblem::UnknownRole(e) => (e, "fit.map.role"),
            MapProblem::Twice(e) => (e, "fit.map.twice"),
        };
        tf(l, "fit.map.bad", &[entry, super::i18n::t(l, why)])
    });
    let rx = t.rx_bad.iter().map(|e| tf(l, "fit.rx.bad", &[e]));
    let missing = t
        .rx_missing
        .iter()
        .map(|r| tf(l, "fit.rx.missing", &[&r.to_string(), &runs.to_string()]));
    map.chain(rx).chain(missing).collect()
}

/// The runs table, the fit, the bootstrap and the residuals.
#[component]
pub fn FitPanel(st: FitState, #[prop(into)] labels: Signal<ScalingLabels>) -> impl IntoView {
    super::i18n::register(super::text::runs::TEXT);
    let c = ctx();
    let lang = c.lang;
    let text = Memo::new(move |_| c.scenario.with(|s| s.runs_csv.clone()));
    let rx = Memo::new(move |_| c.scenario.with(|s| s.runs_excluded.clone()));
    let rmap = Memo::new(move |_| c.scenario.with(|s| s.runs_map.clone()));
    let table = Memo::new(move |_| text.with(|t| rmap.with(|m| rx.with(|x| Table::read(t, m, x)))));
    // What to fit: the runs, or why not.
    let parsed =
        Memo::new(move |_| table.with(|t| t.as_ref().map(|t| t.runs().map(|r| r.0.len()))));
    let to_fit = move || table.with_untracked(|t| t.as_ref().map(Table::runs));
    let setter = TextSetter::new("runs");
    let set_text = move |v: String| setter.set(v);
    let on_input = move |ev| set_text(event_target_value(&ev));
    let on_file = move |ev: web_sys::Event| super::widgets::read_chosen_file(ev, set_text);
    // The fit's workers start as soon as there is something to fit.
    Effect::new(move |_| {
        if matches!(parsed.get(), Some(Ok(_))) {
            super::fit_pool::warm();
        }
    });
    // Law `fit` chosen (by a shared link, or in a select) with runs but no fit yet: fit them, once,
    // so a link to a plan on the sender's own law reopens to the same numbers.
    let auto_fitted = StoredValue::new(false);
    Effect::new(move |_| {
        let wants = c.scenario.with(|s| s.law == LawChoice::Fit);
        let idle =
            st.report.with_untracked(Option::is_none) && st.running.with_untracked(Option::is_none);
        if wants && idle && !auto_fitted.get_value() {
            if let Some(Ok((runs, out))) = to_fit() {
                auto_fitted.set_value(true);
                start_fit(st, runs, out);
            }
        }
    });
    // A run excluded or put back once there is a fit: the fit is redone without the excluded runs.
    Effect::new(move |prev: Option<String>| {
        let now = rx.get();
        if prev.is_some_and(|p| p != now) && st.report.with_untracked(Option::is_some) {
            if let Some(Ok((runs, out))) = to_fit() {
                start_fit(st, runs, out);
            }
        }
        now
    });
    let fit_click = move |_| {
        if let Some(Ok((runs, out))) = to_fit() {
            start_fit(st, runs, out);
        }
    };
    let run_boot = move || {
        let (b, flops) = c.scenario.with_untracked(|s| (s.bootstrap, s.flops));
        let runs: Vec<_> = st.fitted_runs.get_untracked();
        let runs = Runs::new(
            runs.iter()
                .map(|&(n, d, l)| crate::model::fit::Run {
                    params: n,
                    tokens: d,
                    loss: l,
                })
                .collect(),
        );
        match runs {
            Ok(r) => start_bootstrap(st, r, b, flops),
            Err(e) => st.status.set(Some(Status::Runs(e))),
        }
    };
    let boot_click = move |_| {
        // The band is part of the scenario: a link to it reopens with it (`band=on`).
        if !c.scenario.with_untracked(|s| s.boot_band) {
            c.scenario.update(|s| s.boot_band = true);
        }
        run_boot();
    };
    // A link whose fit had its bootstrap band: once the fit is in, the band is drawn again (the
    // same seed gives the same band).
    let auto_booted = StoredValue::new(false);
    Effect::new(move |_| {
        let fitted = st.report.with(Option::is_some);
        let idle = st.running.with(Option::is_none);
        if fitted
            && idle
            && !auto_booted.get_value()
            && c.scenario.with_untracked(|s| s.boot_band)
            && st.boot.with_untracked(Option::is_none)
        {
            auto_booted.set_value(true);
            run_boot();
        }
    });
    let cancel = move |_| {
        st.generation.update_value(|g| *g += 1);
        st.running.set(None);
        st.status.set(Some(Status::Cancelled));
    };
    let running = move || st.running.get().is_some();
    let can_fit = move || matches!(parsed.get(), Some(Ok(_))) && !running();

    view! {
        <h3 id="fit-title"><T k="fit.title"/></h3>
        <p class="intro"><T k="fit.intro"/></p>
        <div class="field">
            <label for="f-runs"><T k="fit.runs_label"/> " " <code lang="en">"params,tokens,loss"</code></label>
            <textarea id="f-runs" spellcheck="false" aria-describedby="runs-status" rows="8"
                placeholder="params,tokens,loss"
                prop:value=move || text.get() on:input=on_input></textarea>
            <Refused setter=setter/>
        </div>
        <ColumnMapping table=table/>
        <div class="fit-actions">
            <label class="file-button small">
                <T k="fit.upload"/>
                <input id="runs-file" type="file" accept=".csv,text/csv,text/plain" class="sr-only" on:change=on_file/>
            </label>
            <button id="fit-run" prop:disabled=move || !can_fit() on:click=fit_click><T k="fit.run"/></button>
            <NumField key="boot" label="fit.boot_label"/>
            <button id="boot-run" prop:disabled=move || st.report.with(|r| r.is_none()) || running() on:click=boot_click><T k="fit.boot_run"/></button>
            <Show when=running>
                <button id="fit-cancel" class="small" on:click=cancel><T k="fit.cancel"/></button>
            </Show>
        </div>
        <div id="runs-status" role="status">
            {move || {
                let l = lang.get();
                table.with(|tb| match tb {
                    None => view! { <p class="hint">{t(l, "fit.empty")}</p> }.into_any(),
                    Some(tb) => {
                        let n = tb.points.as_ref().map_or(0, Vec::len);
                        let link = link_problem_lines(l, tb, n);
                        let head = match tb.runs() {
                            Ok((runs, _)) if tb.excluded.is_empty() => view! { <p class="hint" id="runs-ok">{tf(l, "fit.parsed", &[&runs.len().to_string()])}</p> }.into_any(),
                            Ok((runs, _)) => view! { <p class="hint" id="runs-ok">{tf(l, "fit.parsed_x", &[&n.to_string(), &tb.excluded.len().to_string(), &runs.len().to_string()])}</p> }.into_any(),
                            Err(e) => view! {
                                <div class="notes" id="runs-errors"><ul>
                                    {table_error_lines(l, &e).into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}
                                </ul></div>
                            }.into_any(),
                        };
                        view! {
                            {head}
                            {(!link.is_empty()).then(|| view! {
                                <div class="notes" id="runs-link-notes"><ul>
                                    {link.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}
                                </ul></div>
                            })}
                        }.into_any()
                    }
                })
            }}
        </div>
        <RunsTable table=table/>
        <Show when=running>
            <div class="progress-row">
                <label for="fit-progress">{move || t(lang.get(), if st.running.get().map(|r| r.0) == Some(Job::Bootstrap) { "fit.boot_progress" } else { "fit.progress" })}</label>
                <progress id="fit-progress" max="1" prop:value=move || st.running.get().map(|r| r.1.fraction()).unwrap_or(0.0)></progress>
                <span>{move || st.running.get().map(|(_, p)| format!("{} / {}", p.done, p.total)).unwrap_or_default()}</span>
            </div>
        </Show>
        <Show when=move || st.status.with(|s| s.is_some())>
            <div class="notes" role="alert" id="fit-status">{move || st.status.with(|s| s.as_ref().map(|s| status_text(lang.get(), s)))}</div>
        </Show>
        <FitResults st=st labels=labels/>
    }
}

/// When the table's headers are not the expected ones (or the reader chose columns): a select of
/// the table's own headers per role, pre-filled by the guess; a choice goes into the link (`rmap`).
#[component]
fn ColumnMapping(table: Memo<Option<Table>>) -> impl IntoView {
    let c = ctx();
    let lang = c.lang;
    let shown = Memo::new(move |_| {
        table.with(|t| {
            t.as_ref()
                .filter(|t| t.show_map)
                .map(|t| (t.headers.clone(), t.cols.clone()))
        })
    });
    let choose = move |role: Role, v: String| {
        let Some((_, cols)) = shown.get_untracked() else {
            return;
        };
        let mut m = RunsMap(cols);
        if !v.is_empty() {
            // Tokens take precedence over compute: choosing one leaves the other unused.
            match role {
                Role::Tokens => m.0[Role::Flops as usize] = Some(String::new()),
                Role::Flops => m.0[Role::Tokens as usize] = Some(String::new()),
                _ => {}
            }
        }
        m.0[role as usize] = Some(v);
        let text = m.encode();
        c.scenario.update(|s| {
            let _ = crate::model::url::set_field(s, "rmap", &text);
        });
    };
    let select = move |role: Role| {
        let id = format!("rmap-{}", role.key());
        view! {
            <div class="field">
                <label for=id.clone()>{move || role_label(lang.get(), role)}</label>
                <select id=id on:change=move |ev| choose(role, event_target_value(&ev))>
                    {move || shown.with(|s| s.as_ref().map(|(headers, cols)| {
                        let current = cols[role as usize].clone().unwrap_or_default();
                        std::iter::once((String::new(), t(lang.get(), "fit.map.none").to_string()))
                            .chain(headers.iter().filter(|h| !h.is_empty()).map(|h| (h.clone(), h.clone())))
                            .map(|(v, label)| {
                                let selected = v == current;
                                view! { <option value=v selected=selected>{label}</option> }
                            })
                            .collect_view()
                    }))}
                </select>
            </div>
        }
    };
    view! {
        <Show when=move || shown.with(Option::is_some)>
            <fieldset class="inputs" id="runs-map">
                <legend><T k="fit.map.legend"/></legend>
                {Role::ALL.map(select).into_iter().collect_view()}
            </fieldset>
        </Show>
    }
}

/// The runs read, numbered as the link's `rx` numbers them, each with a box to exclude it.
#[component]
fn RunsTable(table: Memo<Option<Table>>) -> impl IntoView {
    let c = ctx();
    let lang = c.lang;
    let points = Memo::new(move |_| {
        table.with(|t| t.as_ref().and_then(|t| t.points.as_ref().ok().cloned()))
    });
    let excluded = Memo::new(move |_| {
        table.with(|t| t.as_ref().map(|t| t.excluded.clone()).unwrap_or_default())
    });
    let toggle = move |row: usize, on: bool| {
        c.scenario.update(|s| {
            let (mut rows, _) = columns::parse_excluded(&s.runs_excluded);
            rows.retain(|&r| r != row);
            if on {
                rows.push(row);
            }
            let _ = crate::model::url::set_field(s, "rx", &columns::encode_excluded(&rows));
        });
    };
    view! {
        <Show when=move || points.with(|p| p.as_ref().is_some_and(|p| !p.is_empty()))>
            <details id="runs-table-box">
                <summary>{move || tf(lang.get(), "fit.table.summary", &[&points.with(|p| p.as_ref().map_or(0, Vec::len)).to_string()])}</summary>
                <div class="table-wrap runs-scroll" tabindex="0" role="region" aria-labelledby="runs-table-caption">
                    <table id="runs-table">
                        <caption id="runs-table-caption"><T k="fit.table.caption"/></caption>
                        <thead><tr>
                            <th scope="col">"#"</th>
                            <th scope="col">"N"</th>
                            <th scope="col">"D"</th>
                            <th scope="col">"L"</th>
                            <th scope="col"><T k="fit.table.exclude"/></th>
                        </tr></thead>
                        <tbody>
                            {move || points.get().unwrap_or_default().into_iter().enumerate().map(|(i, r)| {
                                let row = i + 1;
                                let out = move || excluded.with(|e| e.binary_search(&row).is_ok());
                                view! {
                                    <tr class:excluded=out>
                                        <td class="num">{row}</td>
                                        <td class="num">{sci(r.params)}</td>
                                        <td class="num">{sci(r.tokens)}</td>
                                        <td class="num">{num::sig(r.loss, 4)}</td>
                                        <td><input type="checkbox" id=format!("rx-{row}")
                                            aria-label=move || tf(lang.get(), "fit.table.exclude_run", &[&row.to_string()])
                                            prop:checked=out
                                            on:change=move |ev| toggle(row, event_target_checked(&ev))/></td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </details>
        </Show>
    }
}

/// The fitted constants with their intervals and how, the grid-boundary check, the bootstrap's
/// summary and the residuals.
#[component]
fn FitResults(st: FitState, labels: Signal<ScalingLabels>) -> impl IntoView {
    let lang = ctx().lang;
    let explained = move |f: fn(&FitHow) -> &Option<Explained>| {
        Signal::derive(move || {
            st.report
                .with(|r| r.as_ref().and_then(|r| f(&r.how()).clone()))
        })
    };
    let residuals = Memo::new(move |_| {
        let l = labels.get();
        match st.report.get() {
            Some(r) => st.fitted_runs.with(|runs| {
                st.fitted_out
                    .with(|out| residuals_chart(runs, out, &Law::Chinchilla(r.law), &l))
            }),
            None => LineChart::default(),
        }
    });

    let row = move |name: &'static str,
                    key: &'static str,
                    how_key: fn(&FitHow) -> &Option<Explained>,
                    get: fn(&FitReport) -> f64,
                    ci: fn(&BootstrapReport) -> [f64; 2]| {
        view! {
            <tr>
                <th scope="row">{name}</th>
                <td class="num" id=format!("fit-{key}")>{move || st.report.with(|r| r.as_ref().map(|r| num::sig(get(r), 5)).unwrap_or_default())}</td>
                <td class="num" id=format!("ci-{key}")>{move || st.boot.with(|b| b.as_ref().map(|b| { let [lo, hi] = ci(b); format!("[{}, {}]", num::sig(lo, 4), num::sig(hi, 4)) }).unwrap_or_else(|| "—".into()))}</td>
                <td><How how=explained(how_key)/></td>
            </tr>
        }
    };

    view! {
        <Show when=move || st.report.with(|r| r.is_some())>
            <div class="table-wrap">
                <table id="fit-table">
                    <caption>{move || {
                        let l = lang.get();
                        st.report.with(|r| r.as_ref().map(|r| tf(l, "fit.summary", &[
                            &sci(r.objective), &r.n_points.to_string(), &r.converged.to_string(), &r.starts.to_string(),
                            &st.fit_ms.get().map(|m| format!("{m:.0}")).unwrap_or_default(),
                        ])).unwrap_or_default())
                    }}</caption>
                    <thead><tr>
                        <th scope="col"><T k="fit.th.constant"/></th>
                        <th scope="col"><T k="fit.th.value"/></th>
                        <th scope="col"><T k="fit.th.ci"/></th>
                        <th scope="col"><T k="fit.th.how"/></th>
                    </tr></thead>
                    <tbody>
                        {row("E", "E", |h| &h.e, |r| r.law.e, |b| b.ci95.e)}
                        {row("A", "A", |h| &h.a, |r| r.law.a, |b| b.ci95.a)}
                        {row("B", "B", |h| &h.b, |r| r.law.b, |b| b.ci95.b)}
                        {row("α", "alpha", |h| &h.alpha, |r| r.law.alpha, |b| b.ci95.alpha)}
                        {row("β", "beta", |h| &h.beta, |r| r.law.beta, |b| b.ci95.beta)}
                    </tbody>
                </table>
            </div>
            <p id="fit-boundary" class="hint">{move || {
                let l = lang.get();
                st.report.with(|r| r.as_ref().map(|r| if r.on_grid_boundary() {
                    tf(l, "fit.boundary_yes", &[&r.boundary.join(", ")])
                } else {
                    t(l, "fit.boundary_no").to_string()
                }).unwrap_or_default())
            }}</p>
            <Show when=move || st.boot.with(|b| b.is_some())>
                <p id="boot-summary" class="hint">{move || {
                    let l = lang.get();
                    st.boot.with(|b| b.as_ref().map(|b| {
                        let a = &b.at_budget;
                        tf(l, "fit.boot_summary", &[
                            &b.resamples.to_string(), &b.failed.to_string(),
                            &st.boot_ms.get().map(|m| format!("{m:.0}")).unwrap_or_default(),
                            &sci(a.flops),
                            &format!("[{}, {}]", count(l, a.params[0]), count(l, a.params[1])),
                            &format!("[{}, {}]", count(l, a.tokens[0]), count(l, a.tokens[1])),
                            &format!("[{}, {}]", num::sig(a.loss[0], 4), num::sig(a.loss[1], 4)),
                            &format!("[{}, {}]", num::sig(a.tokens_per_param[0], 3), num::sig(a.tokens_per_param[1], 3)),
                        ])
                    }).unwrap_or_default())
                }}</p>
            </Show>
            <ChartView id="sc-residuals" title="fit.chart.residuals" chart=residuals/>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::fit::{parse_runs, RowError};

    /// Every way the runs or the fit can fail is worded from the tables in both languages: no
    /// unknown key ("?"), every placeholder filled, and the Chinese free of the English wording.
    #[test]
    fn every_fit_error_is_worded_in_both_languages() {
        let rows = match parse_runs("params,tokens,loss\n1e8,,3\n2e8,x,3\n3e8,1e9,-1\n") {
            Err(RunsError::Rows(r)) => r,
            other => panic!("{other:?}"),
        };
        // The CSV reader's own failures, which well-formed text cannot provoke.
        let unreadable =
            [RowProblem::UnreadableHeader, RowProblem::UnreadableRow].map(|problem| RowError {
                line: 1,
                column: String::new(),
                message: String::new(),
                problem,
            });
        let statuses = vec![
            Status::Runs(RunsError::Rows(
                rows.into_iter().chain(unreadable).collect(),
            )),
            Status::Runs(RunsError::Empty),
            Status::Runs(RunsError::MissingColumn {
                expected: "loss".into(),
                found: vec!["params".into(), "tokens".into()],
            }),
            Status::Runs(RunsError::TooFewPoints { got: 2 }),
            Status::Runs(RunsError::TooFewDistinct {
                column: "params",
                got: 2,
            }),
            Status::Runs(RunsError::BadValue {
                index: 0,
                column: "loss",
                value: -1.0,
            }),
            Status::Fit(FitError::NoStartConverged { starts: 4500 }),
            Status::Fit(FitError::TooMuchWork {
                rows: 1_000_000,
                starts: 4500,
                limit: 1e8,
            }),
            Status::Fit(FitError::InvalidOption {
                name: "huber_delta",
                value: 0.0,
                rule: "must be a finite number greater than 0",
            }),
            Status::Boot(BootstrapError::InvalidOption {
                name: "resamples",
                value: 1.0,
                rule: "must be at least 2",
            }),
            Status::Boot(BootstrapError::TooFewSuccessful {
                succeeded: 1,
                resamples: 100,
            }),
            Status::Cancelled,
        ];
        let english = [
            "not a number",
            "greater than",
            "empty value",
            "needs at least",
            "Line ",
        ];
        for s in &statuses {
            let en = status_text(Lang::En, s);
            let zh = status_text(Lang::Zh, s);
            for text in [&en, &zh] {
                // An unknown key reads "?"; a placeholder left over, "{}".
                assert!(
                    !text.is_empty() && text != "?" && !text.contains("{}"),
                    "{text}"
                );
            }
            assert_ne!(en, zh, "{s:?}");
            for w in english {
                assert!(!zh.contains(w), "{zh}");
            }
        }
        // The row reasons read as intended.
        let Status::Runs(rows) = &statuses[0] else {
            unreachable!()
        };
        let zh = runs_error_lines(Lang::Zh, rows);
        assert_eq!(zh[0], "第 2 行，列 tokens：值为空");
        assert_eq!(zh[1], "第 3 行，列 tokens：“x”不是数字");
        assert_eq!(zh[2], "第 4 行，列 loss：-1 必须是大于 0 的有限数");
    }

    /// The mapping's and the exclusions' messages: every bad entry of the link named, in both
    /// languages, and the runs still read with the rest.
    #[test]
    fn mapping_and_exclusion_problems_are_named_in_both_languages() {
        let tb = Table::read(
            "N,D,val\n1,2,3\n",
            "size:x,params,loss:L,loss:val",
            "abc,9,1",
        )
        .unwrap();
        assert!(tb.show_map);
        assert_eq!(tb.cols[3].as_deref(), Some("val"));
        assert_eq!(tb.points.as_ref().unwrap().len(), 1);
        assert_eq!(
            (tb.excluded.clone(), tb.rx_missing.clone()),
            (vec![1], vec![9])
        );
        for l in [Lang::En, Lang::Zh] {
            let lines = link_problem_lines(l, &tb, 1);
            assert_eq!(lines.len(), 5, "{lines:?}");
            for (line, entry) in lines
                .iter()
                .zip(["size:x", "params", "loss:val", "abc", "9"])
            {
                assert!(line.contains(entry) && !line.contains("{}"), "{line}");
            }
            let unmapped = table_error_lines(l, &TableError::Unmapped(Role::ALL.to_vec()));
            assert_eq!(unmapped.len(), 4);
            for line in lines.iter().chain(&unmapped) {
                assert!(!line.contains("{}") && !line.contains('?'), "{line}");
                if l == Lang::Zh {
                    for w in ["not", "Choose", "Link key", "twice"] {
                        assert!(!line.contains(w), "{line}");
                    }
                }
            }
        }
        // The plain header needs no mapping.
        assert!(
            !Table::read("params,tokens,loss\n1,2,3\n", "", "")
                .unwrap()
                .show_map
        );
        assert!(Table::read(" \n", "", "").is_none());
    }
}
