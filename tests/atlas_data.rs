//! The atlas data (`data/atlas/`, issue 17): published models and list prices, not yet used by the
//! model. Every row must hold up on its own: its date parses, its numbers are positive and in a
//! plausible range, and it names a source (a URL and a locator). A value that was not published
//! stays empty; an empty source is a failure.

use scalecalc::model::date::Date;

const MODELS: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/data/atlas/models.csv"
));
/// Rows whose release date is not sourced yet (data/atlas/models.README.md).
const UNDATED: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/data/atlas/models_undated.csv"
));
const PRICES: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/data/atlas/prices.csv"
));

fn rows(text: &str) -> (Vec<String>, Vec<csv::StringRecord>) {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let head: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r.records().map(|x| x.expect("a CSV row")).collect();
    (head, rows)
}

/// The value of `column` in `row`, trimmed.
fn get<'a>(head: &[String], row: &'a csv::StringRecord, column: &str) -> &'a str {
    let i = head
        .iter()
        .position(|h| h == column)
        .unwrap_or_else(|| panic!("no column {column}"));
    row.get(i).unwrap_or("").trim()
}

/// An empty value, or a finite number in `[lo, hi]`.
fn check_number(what: &str, v: &str, lo: f64, hi: f64) {
    if v.is_empty() {
        return;
    }
    let x: f64 = v
        .parse()
        .unwrap_or_else(|_| panic!("{what}: '{v}' is not a number"));
    assert!(
        x.is_finite() && x >= lo && x <= hi,
        "{what}: {x} outside [{lo}, {hi}]"
    );
}

fn check_source(what: &str, url: &str, locator: &str) {
    assert!(
        url.starts_with("https://") || url.starts_with("http://"),
        "{what}: source '{url}' is not a URL"
    );
    assert!(!locator.is_empty(), "{what}: the source has no locator");
}

fn check_date(what: &str, v: &str, from: &str) -> Date {
    let d = Date::parse(v).unwrap_or_else(|e| panic!("{what}: date '{v}': {e:?}"));
    assert!(
        d >= Date::parse(from).unwrap() && d <= Date::parse("2026-12-31").unwrap(),
        "{what}: date {d} outside {from} – 2026"
    );
    d
}

#[test]
fn every_model_row_is_dated_in_range_and_sourced() {
    let (head, dated) = rows(MODELS);
    let (head_u, undated) = rows(UNDATED);
    assert_eq!(head, head_u);
    assert!(!dated.is_empty());
    let mut names = std::collections::BTreeSet::new();
    for (r, has_date) in dated
        .iter()
        .map(|r| (r, true))
        .chain(undated.iter().map(|r| (r, false)))
    {
        let name = get(&head, r, "name");
        assert!(!name.is_empty(), "a row without a name: {r:?}");
        assert!(names.insert(name.to_string()), "{name} appears twice");
        if has_date {
            check_date(name, get(&head, r, "release_date"), "2018-01-01");
        } else {
            assert_eq!(
                get(&head, r, "release_date"),
                "",
                "{name}: dated, so in models.csv"
            );
        }
        assert!(
            matches!(get(&head, r, "open_weights"), "true" | "false"),
            "{name}: open_weights"
        );
        check_number(name, get(&head, r, "total_params"), 1e6, 1e14);
        check_number(name, get(&head, r, "active_params"), 1e6, 1e14);
        check_number(name, get(&head, r, "training_tokens"), 1e8, 1e15);
        check_number(name, get(&head, r, "training_flops"), 1e15, 1e28);
        check_number(name, get(&head, r, "mmlu_5shot"), 0.0, 100.0);
        check_number(name, get(&head, r, "harder_score"), 0.0, 100.0);
        let (t, a) = (
            get(&head, r, "total_params"),
            get(&head, r, "active_params"),
        );
        if let (Ok(t), Ok(a)) = (t.parse::<f64>(), a.parse::<f64>()) {
            assert!(a <= t * 1.000_001, "{name}: active {a} above total {t}");
        }
        if !get(&head, r, "harder_score").is_empty() {
            assert!(
                !get(&head, r, "harder_benchmark").is_empty(),
                "{name}: a harder score without its benchmark"
            );
        }
        check_source(
            name,
            get(&head, r, "source_url"),
            get(&head, r, "source_locator"),
        );
    }
    // Issue 17: at least 80 dated models.
    assert!(dated.len() >= 80, "{} dated models", dated.len());
    eprintln!(
        "atlas: {} dated models, {} undated",
        dated.len(),
        undated.len()
    );
}

#[test]
fn every_price_row_is_dated_positive_converted_and_sourced() {
    let (head, rows) = rows(PRICES);
    assert!(!rows.is_empty());
    for r in &rows {
        let what = format!("{} {}", get(&head, r, "model"), get(&head, r, "date"));
        check_date(&what, get(&head, r, "date"), "2020-01-01");
        assert!(
            matches!(get(&head, r, "open_weights"), "true" | "false" | ""),
            "{what}: open_weights"
        );
        let cur = get(&head, r, "currency_original");
        assert!(matches!(cur, "USD" | "CNY"), "{what}: currency '{cur}'");
        for c in ["usd_per_million_input", "usd_per_million_output"] {
            check_number(&what, get(&head, r, c), 1e-4, 1e3);
        }
        for c in ["input_original", "output_original"] {
            check_number(&what, get(&head, r, c), 1e-4, 1e4);
        }
        // A CNY price in USD needs the rate it was converted at, and agrees with it.
        if cur == "CNY" && !get(&head, r, "usd_per_million_input").is_empty() {
            let rate: f64 = get(&head, r, "exchange_rate_used")
                .parse()
                .unwrap_or_else(|_| panic!("{what}: CNY converted without a rate"));
            let cny: f64 = get(&head, r, "input_original").parse().unwrap();
            let usd: f64 = get(&head, r, "usd_per_million_input").parse().unwrap();
            assert!(
                (usd * rate / cny - 1.0).abs() < 0.01,
                "{what}: {cny} CNY / {rate} ≠ {usd} USD"
            );
        }
        if cur == "USD" {
            for (usd, orig) in [
                ("usd_per_million_input", "input_original"),
                ("usd_per_million_output", "output_original"),
            ] {
                let (u, o) = (get(&head, r, usd), get(&head, r, orig));
                if let (Ok(u), Ok(o)) = (u.parse::<f64>(), o.parse::<f64>()) {
                    assert!((u - o).abs() < 1e-9, "{what}: {usd} {u} ≠ {orig} {o}");
                }
            }
        }
        check_source(
            &what,
            get(&head, r, "source_url"),
            get(&head, r, "source_locator"),
        );
    }
    // Issue 17: at least 40 dated prices for 15 models from 6 providers (a snapshot or a
    // context tier in parentheses is the same model).
    let models: std::collections::BTreeSet<&str> = rows
        .iter()
        .map(|r| get(&head, r, "model").split(" (").next().unwrap_or(""))
        .collect();
    let providers: std::collections::BTreeSet<&str> =
        rows.iter().map(|r| get(&head, r, "provider")).collect();
    assert!(rows.len() >= 40, "{} prices", rows.len());
    assert!(models.len() >= 15, "{} models", models.len());
    assert!(providers.len() >= 6, "{providers:?}");
    eprintln!(
        "atlas: {} prices, {} models, {} providers",
        rows.len(),
        models.len(),
        providers.len()
    );
}
