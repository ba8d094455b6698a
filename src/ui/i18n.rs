//! Translation tables: every user-visible string of the page, in English and Simplified Chinese.
//! Each section keeps its own table in `ui/text/`; [`t`] looks a key up in all of them.
//! A test checks that every key exists once and that both languages are filled in.

use crate::model::scenario::Lang;

/// One entry: key, English, Chinese.
pub type Entry = (&'static str, &'static str, &'static str);

/// All tables of the first download (in tests, the split sections' too).
pub fn tables() -> &'static [&'static [Entry]] {
    #[cfg(not(test))]
    return super::text::ALL;
    #[cfg(test)]
    return super::text::ALL_AND_DEFERRED;
}

std::thread_local! {
    /// Tables registered by split sections as they load.
    static LATE: std::cell::RefCell<Vec<&'static [Entry]>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Adds a split section's table: its text then downloads with the section, not the first download.
pub fn register(table: &'static [Entry]) {
    LATE.with(|l| {
        let mut l = l.borrow_mut();
        if !l.iter().any(|t| std::ptr::eq(*t, table)) {
            l.push(table);
        }
    });
}

/// What a formula's symbols mean: (symbol, meaning) in a language, from the words.
pub type Meanings = fn(&'static Words, Lang, &str, &str) -> Vec<(String, &'static str)>;

/// The words that explain the page's symbols (see `text::symbols`): what each symbol of a "how"
/// formula means, by number (`by_key`, then `common`), the glossary, and the units. They arrive
/// with the charts module ([`register_words`]), not with the first download.
pub struct Words {
    pub common: &'static [Entry],
    pub by_key: &'static [(&'static str, &'static [Entry])],
    pub glossary: &'static [Entry],
    pub units: &'static [Entry],
    /// [`meanings_in`]: reached only through the registered words, so that its Unicode tables
    /// (which symbol characters are letters) come with them rather than with the first download.
    pub meanings: Meanings,
}

std::thread_local! {
    static WORDS: std::cell::Cell<Option<&'static Words>> = const { std::cell::Cell::new(None) };
    /// Set when the words arrive: the views that read them (a "how" built before, with its
    /// result's unit) are built again.
    static WORDS_READY: leptos::prelude::ArcRwSignal<bool> = leptos::prelude::ArcRwSignal::new(false);
}

/// Makes the words available (called as the charts module loads, with its tables named there, so
/// that the split build puts them in that module).
pub fn register_words(w: Words) {
    if WORDS.with(std::cell::Cell::get).is_none() {
        WORDS.with(|c| c.set(Some(Box::leak(Box::new(w)))));
        WORDS_READY.with(|r| leptos::prelude::Set::set(r, true));
    }
}

/// The words, once their module has arrived.
pub fn words() -> Option<&'static Words> {
    WORDS_READY.with(leptos::prelude::Track::track);
    WORDS.with(std::cell::Cell::get)
}

/// The symbols of `formula` (names, Greek letters, subscripted names: `N*`, `η_bw`, `t₀`,
/// `q₀.₀₂₅`, `N_GPT-3`, `η_c,fp8`), in the order they first appear; numbers and operators are not
/// symbols, a number's digits are not part of one (`6N*` is `N*`), and a Greek letter next to a
/// Latin one is a product (`αA` is `α` and `A`).
pub fn formula_symbols<'a>(formula: &'a str) -> Vec<&'a str> {
    let part = |ch: char| ch.is_alphanumeric() || matches!(ch, '_' | '*' | '\'' | '\u{302}' | '½');
    let greek = |ch: char| ('\u{370}'..='\u{3ff}').contains(&ch);
    let sub = |ch: char| ('₀'..='₉').contains(&ch);
    let chars: Vec<(usize, char)> = formula.char_indices().collect();
    let mut out: Vec<&'a str> = Vec::new();
    let mut start: Option<usize> = None;
    let end_token = |out: &mut Vec<&'a str>, b: usize, e: usize| {
        let tok = formula[b..e].trim_start_matches(char::is_numeric);
        if tok.starts_with(char::is_alphabetic) && !out.contains(&tok) {
            out.push(tok);
        }
    };
    for (n, &(i, ch)) in chars.iter().enumerate() {
        let prev = n.checked_sub(1).map_or(' ', |p| chars[p].1);
        let next = chars.get(n + 1).map_or(' ', |c| c.1);
        match start {
            None if part(ch) => start = Some(i),
            None => {}
            Some(b) => {
                let subscripted = formula[b..i].contains('_');
                let joins = part(ch)
                    || (ch == '.' && sub(prev) && sub(next))
                    || (matches!(ch, '-' | ',') && subscripted && next.is_alphanumeric());
                let product = !subscripted
                    && ((greek(prev) && ch.is_ascii_alphabetic())
                        || (prev.is_ascii_alphabetic() && greek(ch)));
                if !joins || product {
                    end_token(&mut out, b, i);
                    start = (joins && product).then_some(i);
                }
            }
        }
    }
    if let Some(b) = start {
        end_token(&mut out, b, formula.len());
    }
    out
}

/// What each symbol of the "how" of `key` (formula `formula`) means, in `lang`: (symbol, meaning).
/// Empty until the words have arrived.
pub fn symbol_meanings(lang: Lang, key: &str, formula: &str) -> Vec<(String, &'static str)> {
    words().map_or_else(Vec::new, |w| (w.meanings)(w, lang, key, formula))
}

/// [`symbol_meanings`] in the words `w`.
pub fn meanings_in(
    w: &'static Words,
    lang: Lang,
    key: &str,
    formula: &str,
) -> Vec<(String, &'static str)> {
    let own = w
        .by_key
        .iter()
        .find(|(k, _)| *k == key)
        .map_or(&[][..], |(_, list)| *list);
    formula_symbols(formula)
        .into_iter()
        .filter_map(|sym| {
            own.iter()
                .chain(w.common.iter())
                .find(|e| e.0 == sym)
                .map(|e| (sym.to_string(), if lang == Lang::Zh { e.2 } else { e.1 }))
        })
        .collect()
}

/// A unit of a "how" result in `lang` (`params` → 参数); the unit itself when it needs no words.
pub fn unit_text(lang: Lang, unit: &'static str) -> &'static str {
    words()
        .and_then(|w| w.units.iter().find(|e| e.0 == unit))
        .map_or(unit, |e| if lang == Lang::Zh { e.2 } else { e.1 })
}

/// The text for `key` in `lang`; the key itself if missing (a test prevents that).
pub fn t(lang: Lang, key: &str) -> &'static str {
    let find = |t: &&'static [Entry]| t.iter().find(|e| e.0 == key).copied();
    let entry = tables()
        .iter()
        .find_map(find)
        .or_else(|| LATE.with(|l| l.borrow().iter().find_map(find)));
    if let Some(e) = entry {
        return match lang {
            Lang::En => e.1,
            Lang::Zh => e.2,
        };
    }
    // Unknown keys are a bug caught by the tests; show something rather than nothing.
    "?"
}

/// A translated text node: `<T k="key"/>`. One component for every label keeps the wasm small
/// (a `move || t(..)` closure per label would each be compiled into its own render code).
#[leptos::component]
pub fn T(k: &'static str) -> impl leptos::IntoView {
    use leptos::prelude::Get;
    let c = super::ctx();
    move || t(c.lang.get(), k)
}

/// A translated name for a table key, or the model's own (English) name when the table lacks it.
pub fn named(lang: Lang, key: &str, fallback: &'static str) -> String {
    match t(lang, key) {
        "?" => fallback.to_string(),
        s => s.to_string(),
    }
}

/// `t` with `{}` placeholders filled in order.
pub fn tf(lang: Lang, key: &str, args: &[&str]) -> String {
    let mut out = String::new();
    let mut rest = t(lang, key);
    for a in args {
        match rest.find("{}") {
            Some(i) => {
                out.push_str(&rest[..i]);
                out.push_str(a);
                rest = &rest[i + 2..];
            }
            None => break,
        }
    }
    out.push_str(rest);
    out
}

const SUPERSCRIPTS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];

/// `3.22×10¹⁰`: three significant digits, for FLOPs and other quantities spanning decades.
pub fn sci(x: f64) -> String {
    if !x.is_finite() {
        return "—".into();
    }
    if x == 0.0 {
        return "0".into();
    }
    let e = x.abs().log10().floor() as i32;
    if (-2..4).contains(&e) {
        return crate::model::num::sig(x, 3);
    }
    let m = x / 10f64.powi(e);
    let (m, e) = if (m.abs() * 100.0).round() / 100.0 >= 10.0 {
        (m / 10.0, e + 1)
    } else {
        (m, e)
    };
    let mut exp = String::new();
    if e < 0 {
        exp.push('⁻');
    }
    for d in e.unsigned_abs().to_string().chars() {
        exp.push(SUPERSCRIPTS[d.to_digit(10).unwrap_or(0) as usize]);
    }
    format!("{:.2}×10{exp}", m)
}

/// A count in words of the language: `32.2B` / `322亿`, `2.98T` / `2.98万亿`.
pub fn count(lang: Lang, x: f64) -> String {
    if !x.is_finite() {
        return "—".into();
    }
    let a = x.abs();
    let pick = |units: &[(f64, &str)]| {
        for &(v, name) in units {
            if a >= v {
                return format!("{}{name}", crate::model::num::sig(x / v, 3));
            }
        }
        crate::model::num::sig(x, 3)
    };
    match lang {
        Lang::En => pick(&[(1e15, "Q"), (1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")]),
        Lang::Zh => pick(&[(1e16, "亿亿"), (1e12, "万亿"), (1e8, "亿"), (1e4, "万")]),
    }
}

/// Money: `$1.23M` / `123万美元`.
pub fn usd(lang: Lang, x: f64) -> String {
    match lang {
        Lang::En => format!("${}", count(lang, x)),
        Lang::Zh => format!("{}美元", count(lang, x)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_once_and_both_languages_filled() {
        let mut seen = std::collections::HashSet::new();
        for table in tables() {
            for (k, en, zh) in table.iter() {
                assert!(seen.insert(*k), "duplicate key {k}");
                assert!(
                    !en.trim().is_empty() && !zh.trim().is_empty(),
                    "empty text for {k}"
                );
                assert_eq!(
                    en.matches("{}").count(),
                    zh.matches("{}").count(),
                    "placeholders differ for {k}"
                );
            }
        }
    }

    /// Every translation key written at a call site exists (issue 15: a missing key rendered "?").
    /// The page's sources are scanned for the places a key is given as a literal — `t(lang, "k")`,
    /// `tf(lang, "k", …)`, `tx("k")`, `<T k="k"/>` and the `label`/`caption` props of the
    /// fields, cards and tables — and a key made with `format!("prefix.{…}")` must have at least
    /// one entry with that prefix. A miss names the file and line.
    #[test]
    fn every_key_at_a_call_site_exists() {
        // The exports' own texts (ui/exports.rs, kept out of the first download) count too.
        let keys: std::collections::HashSet<&str> = tables()
            .iter()
            .chain([&super::super::exports::TEXT])
            .flat_map(|t| t.iter().map(|e| e.0))
            .collect();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ui");
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "rs"))
            .collect();
        files.sort();
        const MARKERS: &[&str] = &[
            "t(lang, \"",
            "t(l, \"",
            "t(c.lang.get(), \"",
            "t(lang(), \"",
            "tf(lang, \"",
            "tf(l, \"",
            "tf(c.lang.get(), \"",
            "tf(lang(), \"",
            "tx(\"",
            "k=\"",
            "label=\"",
            "caption=\"",
        ];
        let (mut checked, mut missing) = (0, Vec::new());
        for path in &files {
            let text = std::fs::read_to_string(path).unwrap();
            let name = path.file_name().unwrap().to_string_lossy();
            // This file's own test holds the markers as text.
            let code = text.split("#[cfg(test)]").next().unwrap_or("");
            for (n, line) in code.lines().enumerate() {
                if line.trim_start().starts_with("//") {
                    continue;
                }
                for m in MARKERS {
                    let mut rest = line;
                    while let Some(i) = rest.find(m) {
                        // A marker must start a call or an attribute (not end another name).
                        let before = rest[..i].chars().last();
                        rest = &rest[i + m.len()..];
                        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '-') {
                            continue;
                        }
                        let Some(end) = rest.find('"') else { break };
                        let key = &rest[..end];
                        checked += 1;
                        if !keys.contains(key) {
                            missing.push(format!("src/ui/{name}:{}: {key}", n + 1));
                        }
                    }
                }
                // Keys made at run time: `format!("prefix.{…}")` passed to `t`/`tf`.
                if let Some(i) = line.find("&format!(\"") {
                    let rest = &line[i + 10..];
                    if let Some(brace) = rest.find('{') {
                        let prefix = &rest[..brace];
                        if prefix.ends_with('.') && !prefix.contains(' ') {
                            checked += 1;
                            if !keys.iter().any(|k| k.starts_with(prefix)) {
                                missing.push(format!("src/ui/{name}:{}: {prefix}…", n + 1));
                            }
                        }
                    }
                }
            }
        }
        assert!(
            checked > 400,
            "only {checked} call sites found: the scan is broken"
        );
        assert!(
            missing.is_empty(),
            "keys missing from the tables:\n{}",
            missing.join("\n")
        );
    }

    #[test]
    fn formats() {
        assert_eq!(sci(5.76e23), "5.76×10²³");
        assert_eq!(count(Lang::En, 3.219e10), "32.2B");
        assert_eq!(count(Lang::Zh, 3.219e10), "322亿");
        assert_eq!(count(Lang::Zh, 2.98e12), "2.98万亿");
        assert_eq!(usd(Lang::En, 1.5e6), "$1.50M");
        assert_eq!(
            tf(Lang::En, "warn.field", &["c", "x", "y"]),
            "Link field c=“x”: y. Using the default."
        );
    }
}
