//! Inputs bound to scenario fields, result cards with their "how" disclosures.

use super::i18n::{t, T};
use super::{ctx, field_error_text};
use crate::model::explain::Explained;
use crate::model::url;
use leptos::prelude::*;

std::thread_local! {
    /// The default scenario, built once: what the fields' reset buttons return to.
    static DEFAULT: std::rc::Rc<crate::model::scenario::Scenario> = std::rc::Rc::new(Default::default());
}

/// A text input bound to the scenario field `key` (a URL key). Typing a bad value shows the reason
/// next to the field and leaves the scenario as it was.
#[component]
pub fn NumField(
    key: &'static str,
    label: &'static str,
    #[prop(optional)] hint: &'static str,
    /// Element id; `f-<key>` when empty (two sections bound to one key need distinct ids).
    #[prop(optional)]
    id: &'static str,
    /// Placeholder text (a date field's `YYYY-MM-DD`).
    #[prop(optional)]
    placeholder: &'static str,
    /// A text field (dates): the text keyboard rather than the decimal one on phones.
    #[prop(optional)]
    text_mode: bool,
    /// A rule the value breaks together with other inputs (a layout that cannot run), worded in
    /// the reader's language: the field is marked and the reason shown under it.
    #[prop(optional, into)]
    problem: Option<Signal<Option<String>>>,
    /// A warning under the field (the value is used but looks unintended), in the reader's language.
    #[prop(optional, into)]
    warn: Option<Signal<Option<String>>>,
) -> impl IntoView {
    let c = ctx();
    let dom_id = if id.is_empty() {
        format!("f-{key}")
    } else {
        id.to_string()
    };
    let current = move || {
        c.scenario
            .with(|s| url::get_field(s, key).unwrap_or_default())
    };
    let text = RwSignal::new(current());
    let error = RwSignal::new(None::<url::Warning>);
    // Follow changes made elsewhere (a slider, a preset) unless the text already means that value.
    Effect::new(move |_| {
        let v = current();
        let same = c.scenario.with_untracked(|s| {
            let mut trial = s.clone();
            url::set_field(&mut trial, key, &text.get_untracked()).is_ok()
                && url::get_field(&trial, key) == Some(v.clone())
        });
        if !same {
            text.set(v);
            error.set(None);
        }
    });
    let err_id = format!("e-{}", dom_id.trim_start_matches("f-"));
    let id = dom_id;
    // Undo and reset (issue 18, item 3). The field keeps its own history: the value it had when
    // it was focused (one editing session is one step) and the values a reset replaced. Ctrl+Z
    // (⌘Z) steps back through them, Ctrl+Shift+Z or Ctrl+Y forward again.
    let at_focus = StoredValue::new(None::<String>);
    let undo = StoredValue::new(Vec::<String>::new());
    let redo = StoredValue::new(Vec::<String>::new());
    let restore = move |v: String| {
        c.scenario.update(|s| {
            let _ = url::set_field(s, key, &v);
        });
        error.set(None);
        text.set(current());
    };
    // The default to reset to: fixed, but for a price, which follows its GPU. Memos, so that an
    // update elsewhere costs each field one comparison.
    let default = Memo::new(move |_| {
        let d = DEFAULT.with(Clone::clone);
        if matches!(key, "price" | "iprice") {
            c.scenario.with(|s| url::default_text_from(s, &d, key))
        } else {
            url::get_field(&d, key)
        }
    });
    let differs = Memo::new(move |_| {
        let now = current();
        default.with(|d| d.as_ref().is_some_and(|d| *d != now))
    });
    let on_reset = move |_| {
        if let Some(d) = default.get_untracked() {
            undo.update_value(|u| u.push(current()));
            redo.update_value(Vec::clear);
            restore(d);
        }
    };
    let on_focus = move |_| at_focus.set_value(Some(current()));
    let on_blur = move |_| {
        if let Some(before) = at_focus.get_value().filter(|b| *b != current()) {
            undo.update_value(|u| u.push(before));
            redo.update_value(Vec::clear);
        }
        at_focus.set_value(None);
    };
    let on_key = move |ev: web_sys::KeyboardEvent| {
        if !(ev.ctrl_key() || ev.meta_key()) {
            return;
        }
        let k = ev.key();
        let z = k.eq_ignore_ascii_case("z");
        let back = z && !ev.shift_key();
        let forward = (z && ev.shift_key()) || k.eq_ignore_ascii_case("y");
        if !back && !forward {
            return;
        }
        ev.prevent_default();
        let now = text.get_untracked();
        if back {
            // An edit in progress first goes back to where it started; then the history.
            let target = match at_focus.get_value().filter(|b| *b != now) {
                Some(b) => Some(b),
                None => undo.try_update_value(Vec::pop).flatten(),
            };
            if let Some(v) = target {
                redo.update_value(|r| r.push(now));
                restore(v.clone());
                at_focus.set_value(Some(v));
            }
        } else if let Some(v) = redo.try_update_value(Vec::pop).flatten() {
            undo.update_value(|u| u.push(now));
            restore(v.clone());
            at_focus.set_value(Some(v));
        }
    };
    let on_input = move |ev| {
        let v = event_target_value(&ev);
        text.set(v.clone());
        let mut s = c.scenario.get_untracked();
        match url::set_field(&mut s, key, v.trim()) {
            Ok(()) => {
                error.set(None);
                c.scenario.set(s);
            }
            Err(w) => error.set(Some(w)),
        }
    };
    let problem = move || problem.and_then(|p| p.get());
    let invalid = move || error.with(|e| e.is_some()) || problem().is_some();
    view! {
        <div class="field" class:invalid=invalid>
            <label for=id.clone()>{move || t(c.lang.get(), label)}</label>
            <input id=id type="text" inputmode=if text_mode { "text" } else { "decimal" }
                placeholder=placeholder spellcheck="false" autocomplete="off"
                aria-describedby=err_id.clone()
                aria-invalid=move || if invalid() { "true" } else { "false" }
                prop:value=move || text.get() on:input=on_input
                on:focus=on_focus on:blur=on_blur on:keydown=on_key/>
            {move || differs.get().then(|| {
                let l = c.lang.get();
                let d = default.get().unwrap_or_default();
                let name = super::i18n::tf(l, "field.reset", &[&d]);
                view! {
                    <button type="button" class="reset" title=name.clone() aria-label=name
                        data-default=d on:click=on_reset>"↺"</button>
                }
            })}
            {(!hint.is_empty()).then(|| view! { <small class="hint">{move || t(c.lang.get(), hint)}</small> })}
            {move || warn.and_then(|w| w.get()).map(|w| view! { <small class="warn" role="note">"⚠ "{w}</small> })}
            <small class="error" id=err_id role="status">
                {move || error.get().map(|w| field_error_text(c.lang.get(), &w, Some(&current()))).or_else(problem)}
            </small>
        </div>
    }
}

/// A select bound to the scenario field `key`; options are (value, label) with labels already in
/// the reader's language (or names that need no translation, such as model ids).
#[component]
pub fn SelectField(
    key: &'static str,
    label: &'static str,
    #[prop(into)] options: Signal<Vec<(String, String)>>,
    /// Element id; `f-<key>` when empty.
    #[prop(optional)]
    id: &'static str,
) -> impl IntoView {
    let c = ctx();
    let id = if id.is_empty() {
        format!("f-{key}")
    } else {
        id.to_string()
    };
    let current = move || {
        c.scenario
            .with(|s| url::get_field(s, key).unwrap_or_default())
    };
    view! {
        <div class="field">
            <label for=id.clone()>{move || t(c.lang.get(), label)}</label>
            <select id=id on:change=move |ev| {
                let v = event_target_value(&ev);
                // A GPU brings its typical price unless the reader typed one (issue 18, item 6).
                c.scenario.update(|s| { let _ = url::set_field_following(s, key, &v); });
            }>
                {move || options.get().into_iter().map(|(v, l)| {
                    let selected = v == current();
                    view! { <option value=v.clone() selected=selected>{l}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

/// Under a price field: whether the price follows its GPU's typical price (it changes with the
/// GPU) or was typed by the reader (then the typical one is offered). `gpu_key` is `gpu` or `igpu`.
#[component]
pub fn PriceHint(
    gpu_key: &'static str,
    price_key: &'static str,
    id: &'static str,
) -> impl IntoView {
    let c = ctx();
    let state = move || {
        c.scenario.with(|s| {
            let g = crate::model::hardware::gpu(&url::get_field(s, gpu_key).unwrap_or_default())?;
            Some((
                g.name,
                g.price_per_hour_usd,
                url::price_follows_gpu(s, gpu_key),
            ))
        })
    };
    let use_typical = move |_| {
        if let Some((_, p, _)) = state() {
            c.scenario.update(|s| {
                let _ = url::set_field(s, price_key, &p.to_string());
            });
        }
    };
    move || {
        state().map(|(name, p, follows)| {
            let l = c.lang.get();
            let price = super::i18n::usd(l, p);
            if follows {
                view! { <small class="hint" id=id>{super::i18n::tf(l, "price.follows", &[name, &price])}</small> }.into_any()
            } else {
                view! {
                    <small class="hint" id=id>{super::i18n::tf(l, "price.typed", &[name, &price])}" "
                        <button class="small" on:click=use_typical>{t(l, "price.use_typical")}</button>
                    </small>
                }.into_any()
            }
        })
    }
}

/// A result card: label, value, and a "how" disclosure with formula, substituted values and source.
#[component]
pub fn ResultCard(
    label: &'static str,
    #[prop(into)] value: Signal<String>,
    #[prop(into)] how: Signal<Option<Explained>>,
    #[prop(optional)] id: &'static str,
    /// A warning next to the number (an implausible result), in the reader's language.
    #[prop(optional, into)]
    warn: Option<Signal<Option<String>>>,
) -> impl IntoView {
    let c = ctx();
    let warning = move || warn.and_then(|w| w.get());
    view! {
        <div class="card" data-key=id class:warned=move || warning().is_some()>
            <div class="card-label">{move || t(c.lang.get(), label)}</div>
            <div class="card-value" id=id>{move || value.get()}</div>
            {move || warning().map(|w| view! { <p class="card-warn" role="note">"⚠ "{w}</p> })}
            {(!id.is_empty()).then(|| view! { <super::compare::CardDelta id=id/> })}
            <How how=how/>
        </div>
    }
}

/// The "how" disclosure for one number. What its symbols mean is added when it is first opened:
/// those words arrive after the first render (see `text::symbols`).
#[component]
pub fn How(#[prop(into)] how: Signal<Option<Explained>>) -> impl IntoView {
    let c = ctx();
    let opened = RwSignal::new(false);
    move || {
        how.get().map(|e| {
            let l = c.lang.get();
            let symbols = {
                let e = e.clone();
                move || opened.get().then(|| symbols_view(l, &e))
            };
            view! {
                <details class="how" on:toggle=move |_| opened.set(true)>
                    <summary>{t(l, "how")}</summary>
                    {how_body(l, &e, symbols)}
                </details>
            }
        })
    }
}

/// The body of a "how": formula, values, what the symbols mean, result and source.
fn how_body(
    l: crate::model::scenario::Lang,
    e: &Explained,
    symbols: impl IntoView + 'static,
) -> impl IntoView {
    use super::text::sources::{phrases, source_text};
    let src = e.source;
    // The model writes its provenance in English; the Chinese page reads it through
    // `text::sources` (locators, our own citations, the words of the values).
    let (formula, values) = (phrases(l, e.formula), phrases(l, &e.substituted));
    let (citation, locator) = (source_text(l, src.citation), source_text(l, src.locator));
    view! {
        <dl>
            <dt>{t(l, "how.formula")}</dt>
            <dd><code>{formula}</code></dd>
            <dt>{t(l, "how.values")}</dt>
            <dd><code>{values}</code></dd>
            {symbols}
            <dt>{t(l, "how.result")}</dt>
            <dd><output class="how-result">{result_text(l, e)}</output></dd>
            <dt>{t(l, "how.source")}</dt>
            <dd>
                {if src.url.is_empty() {
                    view! { <cite>{citation}</cite> }.into_any()
                } else {
                    view! { <a href=src.url target="_blank" rel="noopener"><cite>{citation}</cite></a> }.into_any()
                }}
                {if l == crate::model::scenario::Lang::Zh { "，" } else { ", " }} <span class="locator">{locator}</span>
            </dd>
        </dl>
    }
}

/// What the symbols of a "how" formula mean (issue 18, item 8): "where N: parameters; …".
fn symbols_view(l: crate::model::scenario::Lang, e: &Explained) -> Option<impl IntoView> {
    let list = super::i18n::symbol_meanings(l, e.key.as_str(), e.formula);
    (!list.is_empty()).then(|| {
        view! {
            <dt>{t(l, "how.where")}</dt>
            <dd><ul class="where">
                {list.into_iter().map(|(sym, meaning)| view! { <li><code>{super::text::sources::phrases(l, &sym)}</code>" "{meaning}</li> }).collect_view()}
            </ul></dd>
        }
    })
}

/// The number a "how" explains, as the card shows it: "= 5.76×10²³ FLOP", "= $1.93".
pub fn result_text(l: crate::model::scenario::Lang, e: &Explained) -> String {
    let v = e.value;
    if !v.is_finite() {
        return "—".into();
    }
    if e.unit == "USD" {
        return format!("= {}", super::i18n::usd(l, v));
    }
    let n = if v != 0.0 && !(1e-3..1e5).contains(&v.abs()) {
        super::i18n::sci(v)
    } else {
        crate::model::num::sig(v, 4)
    };
    let unit = super::i18n::unit_text(l, e.unit);
    if unit.is_empty() {
        format!("= {n}")
    } else {
        format!("= {n} {unit}")
    }
}

/// A pasted two-column table (`columns`, e.g. "params,score") bound to the scenario's text field
/// `key`, with id `f-<key>`; `status` is the id of the element that reports on it.
#[component]
pub fn PairsField(
    key: &'static str,
    label: &'static str,
    columns: &'static str,
    status: &'static str,
) -> impl IntoView {
    let c = ctx();
    let setter = TextSetter::new(key);
    let on_input = move |ev| setter.set(event_target_value(&ev));
    let id = format!("f-{key}");
    view! {
        <div class="field">
            <label for=id.clone()>{move || t(c.lang.get(), label)} " " <code lang="en">{columns}</code></label>
            <textarea id=id spellcheck="false" rows="5" aria-describedby=status placeholder=columns
                prop:value=move || c.scenario.with(|s| url::get_field(s, key).unwrap_or_default())
                on:input=on_input></textarea>
            <Refused setter=setter/>
        </div>
    }
}

/// Sets a text field of the scenario (a pasted table, a `config.json`) from what the reader typed,
/// pasted or uploaded. A refusal (text over the length limit) is never dropped: it is kept for
/// [`Refused`] to show, and the scenario keeps the last accepted text (issue 19).
#[derive(Clone, Copy)]
pub struct TextSetter {
    key: &'static str,
    /// Taken when the component is built: `set` also runs from callbacks outside any reactive
    /// owner (a `FileReader`'s load), where the context cannot be looked up.
    scenario: RwSignal<crate::model::scenario::Scenario>,
    refused: RwSignal<Option<url::Warning>>,
}

impl TextSetter {
    pub fn new(key: &'static str) -> Self {
        Self {
            key,
            scenario: ctx().scenario,
            refused: RwSignal::new(None),
        }
    }

    pub fn set(&self, text: String) {
        let mut s = self.scenario.get_untracked();
        match url::set_field(&mut s, self.key, &text) {
            Ok(()) => {
                self.refused.set(None);
                self.scenario.set(s);
            }
            Err(w) => self.refused.set(Some(w)),
        }
    }
}

/// The refusal of a [`TextSetter`], in the reader's language (`id="r-<key>"`); empty otherwise.
#[component]
pub fn Refused(setter: TextSetter) -> impl IntoView {
    let c = ctx();
    view! {
        <small class="error" id=format!("r-{}", setter.key) role="alert">
            {move || setter.refused.get().map(|w| field_error_text(c.lang.get(), &w, None))}
        </small>
    }
}

/// The bad rows of a pasted table, one line each ("Line N: reason").
pub fn pair_errors_view(
    lang: crate::model::scenario::Lang,
    id: &'static str,
    rows: &[crate::model::num::PairError],
) -> AnyView {
    view! {
        <ul class="notes" id=id>
            {rows.iter().map(|r| view! { <li>{super::i18n::tf(lang, "fit.row_error", &[&r.line.to_string(), &r.message])}</li> }).collect_view()}
        </ul>
    }
    .into_any()
}

/// Reads the file chosen in an `<input type="file">` (the `change` event `ev`) as text and hands
/// it to `set` (the pasted-table fields' "Open CSV file").
pub fn read_chosen_file(ev: web_sys::Event, set: impl Fn(String) + 'static) {
    use wasm_bindgen::JsCast;
    let Some(file) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        .and_then(|i| i.files())
        .and_then(|f| f.get(0))
    else {
        return;
    };
    leptos::task::spawn_local(async move {
        if let Some(text) = wasm_bindgen_futures::JsFuture::from(file.text())
            .await
            .ok()
            .and_then(|v| v.as_string())
        {
            set(text);
        }
    });
}

/// A pasted table's "Open CSV file" and "Clear" buttons (ids `file_id`, `clear_id`), both
/// setting the text through `setter`.
#[component]
pub fn OpenOrClear(
    file_id: &'static str,
    clear_id: &'static str,
    setter: TextSetter,
) -> impl IntoView {
    view! {
        <label class="file-button small">
            <T k="density.fit.upload"/>
            <input id=file_id type="file" accept=".csv,text/csv,text/plain" class="sr-only"
                on:change=move |ev| read_chosen_file(ev, move |t| setter.set(t))/>
        </label>
        <button class="small" type="button" id=clear_id on:click=move |_| setter.set(String::new())>
            <T k="density.fit.clear"/>
        </button>
    }
}

/// One of a section's key answers (see [`KeyAnswers`]): the label key, the card it summarises
/// (`target`, the id of the card's value) and its value in the reader's language.
pub struct KeyItem {
    pub label: &'static str,
    pub target: &'static str,
    pub value: Signal<String>,
}

impl KeyItem {
    pub fn new(label: &'static str, target: &'static str, value: Signal<String>) -> Self {
        Self {
            label,
            target,
            value,
        }
    }
}

/// A section's key answers, right under its heading, so that they are in view without scrolling
/// (issue 18, item 4). Each is a link to its full card, where the "how" is; the values are the
/// cards' own (one model result, two views).
#[component]
pub fn KeyAnswers(id: &'static str, items: Vec<KeyItem>) -> impl IntoView {
    let c = ctx();
    let go = move |target: &'static str| {
        move |ev: web_sys::MouseEvent| {
            ev.prevent_default();
            let card = document()
                .get_element_by_id(target)
                .and_then(|e| e.closest(".card").ok().flatten());
            if let Some(card) = card {
                card.scroll_into_view();
            }
        }
    };
    view! {
        <ul class="key-answers" id=id aria-label=move || t(c.lang.get(), "keys.label")>
            {items.into_iter().map(|k| view! {
                <li>
                    <a class="key" href=format!("#{}", k.target) on:click=go(k.target)>
                        <span class="key-label">{move || t(c.lang.get(), k.label)}</span>
                        <span class="key-value" id=format!("key-{}", k.target)>{move || k.value.get()}</span>
                    </a>
                </li>
            }).collect_view()}
        </ul>
    }
}

/// The glossary (issue 18, item 8): every symbol and term of the page with its meaning, in the
/// reader's language, in a popover the header's button opens; a filter narrows it. Its words
/// arrive with the charts module, so it is built when opened.
#[component]
pub fn Glossary() -> impl IntoView {
    let c = ctx();
    let open = RwSignal::new(false);
    let filter = RwSignal::new(String::new());
    let on_toggle = move |ev: web_sys::Event| {
        use wasm_bindgen::JsCast;
        let shown = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
            .is_some_and(|el| el.matches(":popover-open").unwrap_or(false));
        open.set(shown);
    };
    let entries = move || {
        let l = c.lang.get();
        // ASCII case only: the terms are Latin symbols and Chinese has no case (and the full
        // Unicode tables would weigh on the first download).
        let f = filter.get().trim().to_ascii_lowercase();
        let words = super::i18n::words();
        let list = words.map_or(&[][..], |w| w.glossary);
        let shown: Vec<_> = list
            .iter()
            .map(|e| {
                (
                    e.0,
                    if l == crate::model::scenario::Lang::Zh {
                        e.2
                    } else {
                        e.1
                    },
                )
            })
            .filter(|(term, meaning)| {
                f.is_empty()
                    || term.to_ascii_lowercase().contains(&f)
                    || meaning.to_ascii_lowercase().contains(&f)
            })
            .collect();
        if words.is_none() {
            return view! { <p class="hint">{t(l, "deferred.loading_chart")}</p> }.into_any();
        }
        if shown.is_empty() {
            return view! { <p class="hint" id="glossary-none">{t(l, "glossary.none")}</p> }
                .into_any();
        }
        view! {
            <dl id="glossary-list">
                {shown.into_iter().map(|(term, meaning)| view! { <dt lang="en">{term}</dt><dd>{meaning}</dd> }).collect_view()}
            </dl>
        }
        .into_any()
    };
    view! {
        <div id="glossary" popover="auto" class="glossary" role="dialog" aria-labelledby="glossary-title" on:toggle=on_toggle>
            <div class="glossary-head">
                <h2 id="glossary-title"><T k="glossary.title"/></h2>
                <button class="small" popovertarget="glossary" popovertargetaction="hide"><T k="glossary.close"/></button>
            </div>
            <input id="glossary-filter" type="search" autocomplete="off"
                aria-label=move || t(c.lang.get(), "glossary.filter")
                placeholder=move || t(c.lang.get(), "glossary.filter")
                prop:value=move || filter.get() on:input=move |ev| filter.set(event_target_value(&ev))/>
            {move || open.get().then(entries)}
        </div>
    }
}
