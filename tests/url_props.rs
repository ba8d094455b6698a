//! Property tests of the URL codec: encode-then-decode is the identity, and no input panics it.

use proptest::prelude::*;
use scalecalc::model::scenario::Scenario;
use scalecalc::model::url::{decode, encode, set_field, FIELDS};

/// Candidate texts for any field: numbers across magnitudes, integers, dates, ids, choices, text.
fn value_text() -> impl Strategy<Value = String> {
    prop_oneof![
        (-30i32..32, 1.0f64..10.0).prop_map(|(e, m)| format!("{m}e{e}")),
        (0.0f64..1.0).prop_map(|x| x.to_string()),
        (0u32..5000).prop_map(|n| n.to_string()),
        (1900i32..2200, 1u32..13, 1u32..29).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
        "[a-z0-9.-]{1,20}",
        prop::sample::select(vec![
            "zh",
            "en",
            "auto",
            "light",
            "dark",
            "plan",
            "scaling",
            "density",
            "training",
            "inference",
            "flops",
            "usd",
            "gpu-days",
            "adam-mixed",
            "adam-bf16",
            "adam-8bit",
            "sgd",
            "none",
            "selective",
            "full",
            "lora",
            "qlora",
            "bf16",
            "fp16",
            "fp8",
            "int8",
            "2",
            "4",
            "8",
            "16",
            "32",
            "hoffmann2022-tex",
        ])
        .prop_map(String::from),
        "\\PC{0,60}",
        "params,tokens,loss\n[0-9e.,\n ]{0,80}",
    ]
}

fn scenario() -> impl Strategy<Value = Scenario> {
    prop::collection::vec((0..FIELDS.len(), value_text()), 0..40).prop_map(|edits| {
        let mut s = Scenario::default();
        for (i, v) in edits {
            let _ = set_field(&mut s, FIELDS[i].key, &v);
        }
        s
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3_000))]

    #[test]
    fn encode_then_decode_is_identity(s in scenario()) {
        let link = encode(&s);
        let d = decode(&link);
        prop_assert!(d.warnings.is_empty(), "{:?}", d.warnings);
        prop_assert_eq!(&d.scenario, &s);
        // And through a full URL with a fragment.
        let d2 = decode(&format!("https://example.test/a/b/?{link}#training"));
        prop_assert_eq!(d2.scenario, s);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(100_000))]

    #[test]
    fn arbitrary_strings_never_panic(input in "\\PC*|[?&=%+#a-z0-9.]{0,64}") {
        let d = decode(&input);
        // Whatever came in, the result re-encodes to a link that decodes to the same scenario.
        prop_assert_eq!(decode(&encode(&d.scenario)).scenario, d.scenario);
    }

    #[test]
    fn arbitrary_key_value_pairs_never_panic(
        pairs in prop::collection::vec((prop::sample::select(FIELDS.iter().map(|f| f.key).chain(["v", "zz", ""]).collect::<Vec<_>>()), "\\PC{0,24}|%[0-9A-Fa-f]{0,2}"), 0..6)
    ) {
        let q: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let d = decode(&q.join("&"));
        for w in &d.warnings {
            prop_assert!(!w.to_string().is_empty());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3_000))]

    /// Issue 19: export → import is the identity, text fields that look like numbers included.
    #[test]
    fn scenario_file_round_trip_is_identity(s in scenario()) {
        let text = serde_json::to_string(&scalecalc::model::url::to_json(&s)).unwrap();
        let d = scalecalc::model::url::from_json(&text).unwrap();
        prop_assert!(d.warnings.is_empty(), "{:?}", d.warnings);
        prop_assert_eq!(d.scenario, s);
    }
}

#[test]
fn number_like_text_survives_export_and_import() {
    let mut s = Scenario::default();
    for (k, v) in [
        ("runs", "1e22"),
        ("hp", "2"),
        ("models", "1.0"),
        ("cfg", "1e308"),
    ] {
        set_field(&mut s, k, v).unwrap();
    }
    let text = serde_json::to_string(&scalecalc::model::url::to_json(&s)).unwrap();
    let d = scalecalc::model::url::from_json(&text).unwrap();
    assert!(d.warnings.is_empty(), "{:?}", d.warnings);
    assert_eq!(d.scenario, s);
}
