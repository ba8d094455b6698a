//! Links never break: every link in `tests/links/v1.txt` must keep opening to the same numbers.
//!
//! `tests/links/v1.expected` holds, per link, the numbers it opened to when it was added. A link
//! added to `v1.txt` without expected numbers gets them written on the next run with
//! `SCALECALC_ADD_LINKS=1`; existing expectations are never rewritten by the test.

use scalecalc::model::{density, fit, inference, lifetime, num, plan, scaling, training, url};
use std::collections::BTreeMap;

const LINKS: &str = include_str!("links/v1.txt");
const EXPECTED_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/links/v1.expected");
/// Relative tolerance: the numbers must be the same, up to floating-point noise across platforms.
const REL_TOL: f64 = 1e-9;

/// The numbers a link opens to, by name (every section's headline figures).
fn numbers(link: &str) -> BTreeMap<String, f64> {
    let d = url::decode(link);
    let s = &d.scenario;
    let mut m = BTreeMap::new();
    let mut put = |k: &str, v: Option<f64>| {
        if let Some(v) = v.filter(|v| v.is_finite()) {
            m.insert(k.to_string(), v);
        }
    };
    put("warnings", Some(d.warnings.len() as f64));
    let p = plan::evaluate(&s.plan());
    put("plan.flops", Some(p.flops));
    put("plan.params", p.optimal.map(|o| o.params));
    put("plan.tokens", p.optimal.map(|o| o.tokens));
    put("plan.loss", p.optimal.and_then(|o| o.loss));
    put("plan.gpu_hours", p.training.as_ref().map(|t| t.gpu_hours));
    put("plan.cost_usd", p.training.as_ref().map(|t| t.cost_usd));
    put("plan.co2", p.training.as_ref().and_then(|t| t.co2_tonnes));
    put(
        "plan.usd_per_m_out",
        p.serving
            .as_ref()
            .and_then(|i| i.economics.as_ref())
            .map(|e| e.cost_per_million_output_tokens_usd),
    );
    put(
        "plan.ref_era_params",
        p.density.as_ref().map(|d| d.reference_era_params),
    );
    let sc = &p.scaling;
    put(
        "scaling.inference_params",
        sc.inference_aware.as_ref().map(|i| i.optimum.params),
    );
    put(
        "scaling.dc_params",
        sc.data_constrained.as_ref().map(|d| d.params),
    );
    let t = training::evaluate_model(&s.training_run());
    put("training.flops", Some(t.flops));
    put("training.gpu_hours", Some(t.gpu_hours));
    put("training.wall_days", Some(t.wall_days));
    put("training.cost_usd", Some(t.cost_usd));
    put("training.energy_mwh", t.energy_mwh);
    put("training.memory_per_gpu", Some(t.memory.total_bytes));
    let i = inference::evaluate(&s.serving());
    if let Some(a) = &i.analysis {
        put("inference.weights_bytes", Some(a.weights_bytes));
        put("inference.kv_per_token", Some(a.kv_cache_bytes_per_token));
        put("inference.ttft", Some(a.ttft_seconds));
        put("inference.tokens_per_s", Some(a.output_tokens_per_second));
    }
    put(
        "inference.usd_per_m_out",
        i.economics
            .as_ref()
            .map(|e| e.cost_per_million_output_tokens_usd),
    );
    // The scaling section's user panels: priced optimum, approach 2, hyper-parameter fit.
    let plan_input = s.plan();
    if let Ok(pr) = lifetime::priced_optimum(
        plan_input.scaling.target_loss,
        &plan_input.training,
        &plan_input.serving,
        &p.law_constants,
    ) {
        put("scaling.priced_params", Some(pr.optimum.params));
        put("scaling.priced_usd", Some(pr.optimum.usd));
    }
    if let Ok(runs) = fit::parse_runs(&s.runs_csv) {
        if let Ok(iso) = fit::isoflop::iso_flop_fit(runs.runs(), s.iso_tol) {
            put("scaling.iso_a", Some(iso.params_exponent));
        }
    }
    if let Ok(pts) = scaling::hyper::parse_points(&s.hyper_csv) {
        if let Ok(f) = scaling::hyper::fit_power_law(&pts) {
            put("scaling.hyper_exponent", Some(f.law.exponent));
        }
    }
    let dn = density::evaluate(&s.density());
    put("density.usd_per_m", dn.usd_per_million_tokens);
    if let Ok(fam) = num::parse_pairs(&s.family_csv, ("params", "score"), false) {
        if let Ok(e) = density::effective::effective_report(&fam, s.eff_params, s.eff_score) {
            put("density.effective_params", Some(e.effective_params));
        }
    }
    put(
        "density.equivalent_params",
        dn.equivalent.as_ref().map(|e| e.equivalent_params),
    );
    put(
        "density.ratio",
        dn.equivalent.as_ref().map(|e| e.density_ratio),
    );
    m
}

fn links() -> Vec<&'static str> {
    LINKS
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

#[test]
fn every_v1_link_opens_to_the_same_numbers() {
    let text = std::fs::read_to_string(EXPECTED_PATH).unwrap_or_default();
    let mut expected: BTreeMap<String, BTreeMap<String, f64>> = if text.is_empty() {
        BTreeMap::new()
    } else {
        serde_json::from_str(&text).expect("v1.expected is JSON")
    };
    let mut added = false;
    let mut failures = Vec::new();
    for link in links() {
        let got = numbers(link);
        match expected.get(link) {
            Some(want) => {
                for (k, w) in want {
                    match got.get(k) {
                        Some(g) if (g - w).abs() <= REL_TOL * w.abs().max(1e-300) => {}
                        other => failures.push(format!("{link}: {k} was {w}, now {other:?}")),
                    }
                }
            }
            None if std::env::var("SCALECALC_ADD_LINKS").is_ok() => {
                expected.insert(link.to_string(), got);
                added = true;
            }
            None => failures.push(format!(
                "{link}: no expected numbers (run once with SCALECALC_ADD_LINKS=1)"
            )),
        }
    }
    if added {
        std::fs::write(
            EXPECTED_PATH,
            serde_json::to_string_pretty(&expected).unwrap() + "\n",
        )
        .unwrap();
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_v1_link_round_trips_through_the_current_encoder() {
    for link in links() {
        let d = url::decode(link);
        assert_eq!(
            url::decode(&url::encode(&d.scenario)).scenario,
            d.scenario,
            "{link}"
        );
    }
}
