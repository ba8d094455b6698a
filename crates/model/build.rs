//! The page's copies of the atlas tables: the shipped CSV files without their `notes` column,
//! which the page never shows (the CLI and the tests read the files whole). Written to
//! `OUT_DIR` at build time, so the repository holds one copy of the data; on wasm32,
//! `atlas::MODELS_CSV` and the others are these copies (~7 KB gzipped less to download).

use std::{env, fs, path::Path};

/// Splits CSV text into records of fields (RFC 4180: quoted fields, `""` inside quotes, newlines
/// inside quotes), keeping each field's original spelling (quotes included).
fn records(text: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut rec = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(ch) = chars.next() {
        match ch {
            '"' => {
                field.push(ch);
                if quoted && chars.peek() == Some(&'"') {
                    field.push(chars.next().unwrap_or('"'));
                } else {
                    quoted = !quoted;
                }
            }
            ',' if !quoted => rec.push(std::mem::take(&mut field)),
            '\n' if !quoted => {
                rec.push(
                    std::mem::take(&mut field)
                        .trim_end_matches('\r')
                        .to_string(),
                );
                out.push(std::mem::take(&mut rec));
            }
            _ => field.push(ch),
        }
    }
    if !field.is_empty() || !rec.is_empty() {
        rec.push(field);
        out.push(rec);
    }
    out
}

/// The table without its `notes` column (comment lines, starting `#`, are dropped too).
fn without_notes(text: &str) -> String {
    let recs: Vec<Vec<String>> = records(text)
        .into_iter()
        .filter(|r| !r.first().is_some_and(|f| f.starts_with('#')))
        .collect();
    let notes = recs.first().and_then(|h| {
        h.iter()
            .position(|f| f.trim().eq_ignore_ascii_case("notes"))
    });
    let mut out = String::new();
    for r in recs {
        let kept: Vec<&str> = r
            .iter()
            .enumerate()
            .filter(|(i, _)| Some(*i) != notes)
            .map(|(_, f)| f.as_str())
            .collect();
        out.push_str(&kept.join(","));
        out.push('\n');
    }
    out
}

fn main() {
    let out = env::var("OUT_DIR").expect("OUT_DIR");
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/atlas");
    for name in ["models.csv", "prices.csv", "price_scores.csv"] {
        let src = data.join(name);
        println!("cargo:rerun-if-changed={}", src.display());
        let text = fs::read_to_string(&src).unwrap_or_else(|e| panic!("{}: {e}", src.display()));
        fs::write(
            Path::new(&out).join(format!("page_{name}")),
            without_notes(&text),
        )
        .expect("write OUT_DIR");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
