//! The Leptos page (client-side rendered). State is one `RwSignal<Scenario>`; every input sets a
//! field through the model's URL codec (same validation as links), every change rewrites the URL
//! with `history.replaceState`.

pub mod chart;
pub mod compare;
pub mod deferred;
pub mod density;
pub mod density_atlas;
pub mod density_effective;
pub mod exports;
pub mod fit_pool;
pub mod i18n;
pub mod inference;
pub mod inference_margin;
pub mod notes;
pub mod plan;
pub mod plan_steps;
pub mod scaling;
pub mod scaling_fit;
pub mod scaling_hyper;
pub mod scaling_iso;
pub mod text;
pub mod training;
pub mod training_layout;
pub mod widgets;

use crate::model::scenario::{Lang, Scenario, Section, Theme};
use crate::model::url::{self, Warning};
use crate::ui::i18n::T;
use i18n::t;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// What every component reads: the scenario and the language in effect.
#[derive(Clone, Copy)]
pub struct Ctx {
    pub scenario: RwSignal<Scenario>,
    /// Rejected fields of the link or the imported file, shown in a banner.
    pub warnings: RwSignal<Vec<Warning>>,
    pub lang: Memo<Lang>,
    pub dark: Memo<bool>,
    /// The reader's own language and theme (this browser's, kept in `localStorage`): in effect
    /// unless the link fixes them (its `lang` / `theme` keys, written only when the sender ticks
    /// "fix"), so a shared link opens in the reader's language and theme (issue 18, item 13).
    pub own: Own,
    /// The fit of the user's runs (Scaling laws section), which law `fit` uses everywhere.
    pub fit: scaling_fit::FitState,
}

/// The reader's own language and theme (see [`Ctx::own`]).
#[derive(Clone, Copy)]
pub struct Own {
    pub lang: RwSignal<Option<Lang>>,
    pub theme: RwSignal<Theme>,
}

const OWN_LANG: &str = "scalecalc.lang";
const OWN_THEME: &str = "scalecalc.theme";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

impl Own {
    fn load() -> Self {
        let get = |k: &str| storage().and_then(|s| s.get_item(k).ok().flatten());
        Own {
            lang: RwSignal::new(get(OWN_LANG).and_then(|v| Lang::parse(&v))),
            theme: RwSignal::new(
                get(OWN_THEME)
                    .and_then(|v| Theme::parse(&v))
                    .unwrap_or(Theme::Auto),
            ),
        }
    }

    /// The reader picked a language: theirs from now on (and the link's too, if it fixes one).
    pub fn set_lang(self, scenario: RwSignal<Scenario>, l: Lang) {
        self.lang.set(Some(l));
        if let Some(st) = storage() {
            let _ = st.set_item(OWN_LANG, l.as_str());
        }
        if scenario.with_untracked(|s| s.lang.is_some()) {
            scenario.update(|s| s.lang = Some(l));
        }
    }

    /// The reader picked a theme: as [`Own::set_lang`].
    pub fn set_theme(self, scenario: RwSignal<Scenario>, th: Theme) {
        self.theme.set(th);
        if let Some(st) = storage() {
            let _ = st.set_item(OWN_THEME, th.as_str());
        }
        if scenario.with_untracked(|s| s.lang.is_some() || s.theme != Theme::Auto) {
            scenario.update(|s| s.theme = th);
        }
    }
}

/// The theme in effect: the link's when it fixes one, else the reader's own.
pub fn theme_in_effect(s: &Scenario, own: Theme) -> Theme {
    if s.theme == Theme::Auto {
        own
    } else {
        s.theme
    }
}

/// The context; components call this.
pub fn ctx() -> Ctx {
    expect_context::<Ctx>()
}

fn browser_lang() -> Lang {
    let nav = web_sys::window()
        .map(|w| w.navigator().language().unwrap_or_default())
        .unwrap_or_default();
    if nav.to_ascii_lowercase().starts_with("zh") {
        Lang::Zh
    } else {
        Lang::En
    }
}

fn prefers_dark() -> bool {
    web_sys::window()
        .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
        .map(|m| m.matches())
        .unwrap_or(false)
}

fn current_query() -> String {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default()
}

/// Quiet time before the URL follows the scenario: typing a number or dragging the budget slider
/// rewrites it once, not at every keystroke or pixel. Browsers throttle `history.replaceState`
/// called hundreds of times in seconds (Safari refuses more than 100 in 30 s), and each call took
/// ~1.5 ms of an update.
const URL_QUIET_MS: u64 = 150;

/// Keeps the URL following the scenario, [`URL_QUIET_MS`] after its last change. While a write
/// is pending, `window.scalecalcUrlPending` is true (the browser tests wait for it).
/// The sections and their anchors, in page order.
const SECTION_ANCHORS: [(Section, &str); 5] = [
    (Section::Plan, "plan"),
    (Section::Scaling, "scaling"),
    (Section::Density, "density"),
    (Section::Training, "training"),
    (Section::Inference, "inference"),
];

/// Follows scrolling and resizing: `in_view` is the last section whose top has passed under the
/// header, and `--header-h` on the root element is the header's height (sections keep that much
/// margin when the nav scrolls to them, so a sticky header never covers a heading).
fn follow_scroll(in_view: RwSignal<Option<Section>>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let update = move || {
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let Some(header) = doc.query_selector("header").ok().flatten() else {
            return;
        };
        let hb = header.get_bounding_client_rect();
        if let Some(root) = doc
            .document_element()
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = root
                .style()
                .set_property("--header-h", &format!("{}px", hb.height().round()));
        }
        let line = hb.bottom().max(0.0) + 24.0;
        let mut current = None;
        for (sec, anchor) in SECTION_ANCHORS {
            if let Some(el) = doc.get_element_by_id(anchor) {
                if el.get_bounding_client_rect().top() <= line {
                    current = Some(sec);
                }
            }
        }
        if in_view.get_untracked() != current {
            in_view.set(current);
        }
    };
    let cb = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(update);
    for event in ["scroll", "resize"] {
        let _ = window.add_event_listener_with_callback(event, cb.as_ref().unchecked_ref());
    }
    // Once the page is laid out.
    request_animation_frame(update);
    // The page lives as long as the window: the listener is never removed.
    cb.forget();
}

fn follow_url(scenario: RwSignal<Scenario>) {
    let pending = StoredValue::new_local(None::<TimeoutHandle>);
    Effect::new(move |_| {
        scenario.track();
        if let Some(h) = pending.get_value() {
            h.clear();
        }
        set_url_pending(true);
        let h = set_timeout_with_handle(
            move || {
                pending.set_value(None);
                scenario.with_untracked(write_url);
                set_url_pending(false);
            },
            std::time::Duration::from_millis(URL_QUIET_MS),
        );
        pending.set_value(h.ok());
    });
}

fn set_url_pending(on: bool) {
    if let Some(w) = web_sys::window() {
        let _ = js_sys::Reflect::set(
            &w,
            &wasm_bindgen::JsValue::from_str("scalecalcUrlPending"),
            &wasm_bindgen::JsValue::from_bool(on),
        );
    }
}

fn write_url(s: &Scenario) {
    let Some(w) = web_sys::window() else { return };
    let query = format!("?{}", url::encode(s));
    if w.location().search().ok().as_deref() == Some(query.as_str()) {
        return;
    }
    if let Ok(h) = w.history() {
        let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&query));
    }
}

/// Shows a message in the page when Rust panics, instead of a blank page.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
            if let Some(el) = doc.get_element_by_id("fatal") {
                let lang = if browser_lang() == Lang::Zh {
                    Lang::Zh
                } else {
                    Lang::En
                };
                el.set_text_content(Some(t(lang, "fatal")));
                let _ = el.set_attribute("style", "display:block");
            }
        }
    }));
}

/// Mounts the app on `<body>`.
pub fn mount() {
    install_panic_hook();
    leptos::mount::mount_to_body(App);
    // The shell and the plan are in the page; the other sections follow ([`deferred`]).
    performance_mark("scalecalc-plan-rendered");
}

fn performance_mark(name: &str) {
    if let Some(perf) = web_sys::window().and_then(|w| w.performance()) {
        let _ = perf.mark(name);
    }
}

/// Called as each deferred part arrives: once all have, a shared link's section (`sec`) is
/// scrolled to, as its anchor would be, and the page marks itself rendered (the browser tests
/// read this mark for the first-render target).
fn section_arrived(count: RwSignal<usize>) -> Callback<Section> {
    Callback::new(move |_| {
        count.update(|n| *n += 1);
        if count.get_untracked() != deferred::PARTS {
            return;
        }
        let section = url::decode(&current_query()).scenario.section;
        if section != Section::Plan {
            if let Some(el) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id(section.as_str()))
            {
                el.scroll_into_view();
            }
        }
        performance_mark("scalecalc-rendered");
    })
}

/// Why a value was refused, in the reader's language; `None` for the link-only notes (unknown
/// key, duplicate, version), which have sentences of their own.
pub fn reason_text(lang: Lang, reason: &crate::model::url::Reason) -> Option<String> {
    use crate::model::url::Reason;
    Some(match reason {
        Reason::NotANumber => t(lang, "reason.not_a_number").to_string(),
        Reason::NotFinite => t(lang, "reason.not_finite").to_string(),
        Reason::OutOfRange {
            min,
            max,
            min_exclusive,
        } => {
            let lo = if *min_exclusive { "(" } else { "[" };
            let range = format!(
                "{lo}{}, {}]",
                crate::model::num::short(*min),
                crate::model::num::short(*max)
            );
            i18n::tf(lang, "reason.out_of_range", &[&range])
        }
        Reason::OffOrRange { min, max } => {
            let range = format!(
                "[{}, {}]",
                crate::model::num::short(*min),
                crate::model::num::short(*max)
            );
            i18n::tf(lang, "reason.off_or_range", &[&range])
        }
        Reason::NotInteger => t(lang, "reason.not_integer").to_string(),
        Reason::UnknownChoice(all) => i18n::tf(lang, "reason.unknown_choice", &[&all.join(", ")]),
        Reason::BadDate(_) => t(lang, "reason.bad_date").to_string(),
        Reason::UnknownId(_) => t(lang, "reason.unknown_id").to_string(),
        Reason::TooLong(max) => i18n::tf(lang, "reason.too_long_n", &[&grouped(*max as f64)]),
        Reason::Config(e) => inference::arch_error(lang, e),
        Reason::Baseline(w) => match reason_text(lang, &w.reason) {
            Some(why) => i18n::tf(
                lang,
                "reason.baseline",
                &[&w.key, &short_value(&w.value), &why],
            ),
            None => i18n::tf(lang, "reason.baseline_key", &[&w.key]),
        },
        Reason::UnknownKey | Reason::Duplicate | Reason::Version => return None,
    })
}

/// `524,288`: a whole number with thousands separators (used by every section).
pub(crate) fn grouped(x: f64) -> String {
    let digits = format!("{:.0}", x.abs());
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    if x < 0.0 {
        format!("-{out}")
    } else {
        out
    }
}

/// A warning about a link's field in the reader's language.
pub fn warning_text(lang: Lang, w: &Warning) -> String {
    use crate::model::url::Reason;
    match (&w.reason, reason_text(lang, &w.reason)) {
        (Reason::Config(_), Some(reason)) => i18n::tf(lang, "warn.config", &[&reason]),
        (_, Some(reason)) => i18n::tf(
            lang,
            "warn.field",
            &[&w.key, &short_value(&w.value), &reason],
        ),
        (Reason::Duplicate, None) => i18n::tf(lang, "warn.duplicate", &[&w.key]),
        (Reason::Version, None) => i18n::tf(
            lang,
            "warn.version",
            &[&w.value, &url::SCHEMA_VERSION.to_string()],
        ),
        _ => i18n::tf(lang, "warn.unknown", &[&w.key, &short_value(&w.value)]),
    }
}

/// A value typed, pasted or uploaded into a field and refused: what was refused, why, and what
/// is used instead — `kept`, the value still in effect (the last valid one, not the default:
/// issue 19), or for a text area the last accepted text.
pub fn field_error_text(lang: Lang, w: &Warning, kept: Option<&str>) -> String {
    let reason = reason_text(lang, &w.reason).unwrap_or_default();
    match kept {
        Some(k) => i18n::tf(
            lang,
            "field.refused",
            &[&short_value(&w.value), &reason, &short_value(k)],
        ),
        None => i18n::tf(
            lang,
            "field.refused_text",
            &[&grouped(w.value.chars().count() as f64), &reason],
        ),
    }
}

fn short_value(v: &str) -> String {
    let mut s: String = v.chars().take(40).collect();
    if v.chars().count() > 40 {
        s.push('…');
    }
    s
}

#[component]
fn App() -> impl IntoView {
    let decoded = url::decode(&current_query());
    let warnings = RwSignal::new(decoded.all_warnings());
    let scenario = RwSignal::new(decoded.scenario);
    let auto_lang = browser_lang();
    let own = Own::load();
    let lang =
        Memo::new(move |_| scenario.with(|s| s.lang.or(own.lang.get()).unwrap_or(auto_lang)));
    let system_dark = prefers_dark();
    let dark = Memo::new(
        move |_| match scenario.with(|s| theme_in_effect(s, own.theme.get())) {
            Theme::Auto => system_dark,
            Theme::Light => false,
            Theme::Dark => true,
        },
    );
    provide_context(Ctx {
        scenario,
        warnings,
        lang,
        dark,
        own,
        fit: scaling_fit::FitState::new(),
    });
    let shared_plan = plan::new_plan_memo();
    provide_context(plan::SharedPlan(shared_plan));
    provide_context(compare::Compare::new(scenario));

    // Push state out: the URL, the document language and theme.
    follow_url(scenario);
    Effect::new(move |_| {
        let (l, d) = (lang.get(), dark.get());
        let doc = web_sys::window().and_then(|w| w.document());
        if let Some(root) = doc.as_ref().and_then(|d| d.document_element()) {
            let _ = root.set_attribute("lang", if l == Lang::Zh { "zh-CN" } else { "en" });
            let _ = root.set_attribute("data-theme", if d { "dark" } else { "light" });
        }
        // The tab's title and the description follow the language too.
        if let Some(doc) = doc {
            doc.set_title(t(l, "doc.title"));
            if let Ok(Some(meta)) = doc.query_selector("meta[name=description]") {
                let _ = meta.set_attribute("content", t(l, "doc.description"));
            }
        }
    });

    provide_context(deferred::Arrivals(section_arrived(RwSignal::new(0))));
    view! {
        <Header/>
        <Show when=move || !warnings.with(|w| w.is_empty())>
            <div class="warnings" role="alert" id="link-warnings">
                <strong><T k="warn.title"/></strong>
                <ul>
                    {move || warnings.get().iter().map(|w| view! { <li>{warning_text(lang.get(), w)}</li> }).collect_view()}
                </ul>
                <button class="small" on:click=move |_| warnings.set(Vec::new())><T k="warn.dismiss"/></button>
            </div>
        </Show>
        <main>
            <plan::PlanSection/>
            {deferred::SECTIONS.map(|sec| view! { <deferred::Deferred sec=sec/> })}
        </main>
        <footer><T k="footer"/></footer>
    }
}

#[component]
fn Header() -> impl IntoView {
    let c = ctx();
    let copied = RwSignal::new(None::<bool>);
    let link = Memo::new(move |_| {
        let q = c.scenario.with(url::encode);
        web_sys::window()
            .and_then(|w| {
                let loc = w.location();
                Some(format!(
                    "{}{}?{q}",
                    loc.origin().ok()?,
                    loc.pathname().ok()?
                ))
            })
            .unwrap_or_else(|| format!("?{q}"))
    });
    let copy = move |_| {
        let ok = web_sys::window()
            .map(|w| {
                let clip = w.navigator().clipboard();
                let _ = clip.write_text(&link.get_untracked());
                true
            })
            .unwrap_or(false);
        copied.set(Some(ok));
    };
    // The scenario file (inputs and the plan's results) and the Markdown summary are built and
    // delivered by the charts module: their code stays out of the first download.
    let plan = plan::plan_memo();
    let run_export = move |kind: deferred::Export| {
        let (s, lang, link) = (
            c.scenario.get_untracked(),
            c.lang.get_untracked(),
            link.get_untracked(),
        );
        leptos::task::spawn_local(async move {
            let _ = deferred::export(kind, s, plan, lang, link).await;
        });
    };
    let export_json = move |_| run_export(deferred::Export::ScenarioFile);
    let copy_summary = move |_| run_export(deferred::Export::Summary);
    let import_error = RwSignal::new(None::<String>);
    let import_json = move |ev: web_sys::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        leptos::task::spawn_local(async move {
            let text = wasm_bindgen_futures::JsFuture::from(file.text())
                .await
                .ok()
                .and_then(|v| v.as_string());
            match text.map(|t| url::from_json(&t)) {
                Some(Ok(d)) => {
                    import_error.set(None);
                    c.warnings.set(d.all_warnings());
                    c.scenario.set(d.scenario);
                }
                Some(Err(e)) => import_error.set(Some(e)),
                None => import_error.set(Some(String::new())),
            }
        });
    };
    let sections = SECTION_ANCHORS.map(|(sec, anchor)| {
        let key = match sec {
            Section::Plan => "nav.plan",
            Section::Scaling => "nav.scaling",
            Section::Density => "nav.density",
            Section::Training => "nav.training",
            Section::Inference => "nav.inference",
        };
        (sec, key, anchor)
    });
    // The section in view, as the reader scrolls (the nav highlights it).
    let in_view = RwSignal::new(None::<Section>);
    follow_scroll(in_view);
    let pinned = Memo::new(move |_| c.scenario.with(|s| s.baseline.is_some()));
    let active = move |sec: Section| {
        in_view
            .get()
            .unwrap_or_else(|| c.scenario.with(|s| s.section))
            == sec
    };
    view! {
        <header>
            <div class="brand">
                <h1><T k="app.title"/></h1>
                <p class="tagline"><T k="app.tagline"/></p>
            </div>
            <nav aria-label=move || t(c.lang.get(), "nav.label")>
                {sections.into_iter().map(|(sec, key, anchor)| view! {
                    <a href=format!("#{anchor}")
                       class:active=move || active(sec)
                       aria-current=move || active(sec).then_some("location")
                       on:click=move |_| c.scenario.update(|s| s.section = sec)>
                        {move || t(c.lang.get(), key)}
                    </a>
                }).collect_view()}
            </nav>
            <div class="controls">
                <label>
                    <span class="sr-only"><T k="lang.label"/></span>
                    <select id="lang" aria-label=move || t(c.lang.get(), "lang.label")
                        on:change=move |ev| {
                            if let Some(l) = Lang::parse(&event_target_value(&ev)) {
                                c.own.set_lang(c.scenario, l);
                            }
                        }>
                        <option value="en" selected=move || c.lang.get() == Lang::En>"English"</option>
                        <option value="zh" selected=move || c.lang.get() == Lang::Zh>"中文"</option>
                    </select>
                </label>
                <label>
                    <span class="sr-only"><T k="theme.label"/></span>
                    <select id="theme" aria-label=move || t(c.lang.get(), "theme.label")
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            if let Some(th) = Theme::parse(&v) { c.own.set_theme(c.scenario, th); }
                        }>
                        {Theme::ALL.iter().map(|th| {
                            let th = *th;
                            view! {
                                <option value=th.as_str() selected=move || c.scenario.with(|s| theme_in_effect(s, c.own.theme.get()) == th)>
                                    {move || t(c.lang.get(), match th { Theme::Auto => "theme.auto", Theme::Light => "theme.light", Theme::Dark => "theme.dark" })}
                                </option>
                            }
                        }).collect_view()}
                    </select>
                </label>
                <label class="fix-prefs small" title=move || t(c.lang.get(), "fix.title")>
                    <input type="checkbox" id="fix-prefs"
                        prop:checked=move || c.scenario.with(|s| s.lang.is_some() || s.theme != Theme::Auto)
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            let (l, th) = (c.lang.get_untracked(), c.scenario.with_untracked(|s| theme_in_effect(s, c.own.theme.get_untracked())));
                            c.scenario.update(|s| {
                                s.lang = on.then_some(l);
                                s.theme = if on { th } else { Theme::Auto };
                            });
                        }/>
                    <T k="fix.label"/>
                </label>
                <button id="pin-baseline" class="small"
                    title=move || t(c.lang.get(), if pinned.get() { "cmp.clear_hint" } else { "cmp.pin_hint" })
                    on:click=move |_| c.scenario.update(|s| s.baseline = if s.baseline.is_some() { None } else { Some(Box::new(s.as_baseline())) })>
                    {move || t(c.lang.get(), if pinned.get() { "cmp.clear" } else { "cmp.pin" })}
                </button>
                <button id="glossary-open" class="small" popovertarget="glossary"><T k="glossary.open"/></button>
                <button id="copy-link" on:click=copy><T k="btn.copy_link"/></button>
                <button id="copy-summary" class="small" on:click=copy_summary><T k="btn.copy_summary"/></button>
                <button id="export-json" class="small" on:click=export_json><T k="btn.export_json"/></button>
                <label class="file-button small">
                    <T k="btn.import_json"/>
                    <input id="import-json" type="file" accept="application/json,.json" class="sr-only" on:change=import_json/>
                </label>
            </div>
            <widgets::Glossary/>
            <Show when=move || import_error.with(|e| e.is_some())>
                <div class="warnings" role="alert" id="import-error">
                    <T k="import.error"/> " " {move || import_error.get().unwrap_or_default()}
                </div>
            </Show>
            <Show when=move || copied.get().is_some()>
                <div class="copy-result" role="status">
                    <span>{move || t(c.lang.get(), if copied.get() == Some(true) { "btn.copied" } else { "btn.copy_failed" })}</span>
                    <input id="share-link" readonly aria-label=move || t(c.lang.get(), "btn.copy_link") prop:value=move || link.get()
                        on:focus=move |ev| { if let Some(i) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) { i.select(); } }/>
                </div>
            </Show>
            // A link this long may be refused by the server that receives it (HTTP 414): say so,
            // with its size, and offer the scenario file, which carries the same numbers.
            <Show when=move || copied.get().is_some() && link.with(|l| l.len() > url::MAX_SHAREABLE_LINK)>
                <div class="warnings" role="alert" id="link-too-long">
                    {move || i18n::tf(c.lang.get(), "link.too_long", &[
                        &format!("{:.0}", link.with(|l| l.len()) as f64 / 1000.0),
                        &format!("{}", url::MAX_SHAREABLE_LINK / 1000),
                    ])}
                    " "
                    <button id="link-too-long-save" class="small" on:click=export_json><T k="btn.export_json"/></button>
                </div>
            </Show>
        </header>
    }
}
