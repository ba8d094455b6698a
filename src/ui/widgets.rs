//! Inputs bound to scenario fields, result cards with their "how" disclosures.

use super::i18n::{t, T};
use super::{ctx, field_error_text};
use crate::model::explain::Explained;
use crate::model::url;
use leptos::prelude::*;

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
                prop:value=move || text.get() on:input=on_input/>
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

/// The "how" disclosure for one number.
#[component]
pub fn How(#[prop(into)] how: Signal<Option<Explained>>) -> impl IntoView {
    let c = ctx();
    move || {
        how.get().map(|e| {
            let src = e.source;
            // The model writes its provenance in English; the Chinese page reads it through
            // `text::sources` (locators, our own citations, the words of the values).
            let l = c.lang.get();
            let (formula, values) = (super::text::sources::phrases(l, e.formula), super::text::sources::phrases(l, &e.substituted));
            let (citation, locator) = (super::text::sources::source_text(l, src.citation), super::text::sources::source_text(l, src.locator));
            view! {
                <details class="how">
                    <summary>{t(c.lang.get(), "how")}</summary>
                    <dl>
                        <dt>{t(c.lang.get(), "how.formula")}</dt>
                        <dd><code>{formula}</code></dd>
                        <dt>{t(c.lang.get(), "how.values")}</dt>
                        <dd><code>{values}</code></dd>
                        <dt>{t(c.lang.get(), "how.source")}</dt>
                        <dd>
                            {if src.url.is_empty() {
                                view! { <cite>{citation}</cite> }.into_any()
                            } else {
                                view! { <a href=src.url target="_blank" rel="noopener"><cite>{citation}</cite></a> }.into_any()
                            }}
                            {if l == crate::model::scenario::Lang::Zh { "，" } else { ", " }} <span class="locator">{locator}</span>
                        </dd>
                    </dl>
                </details>
            }
        })
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
