//! The implied margin: two routes agree, unknown models are named, monotone in the GPU-hour
//! price, no NaN for hostile inputs.

use super::*;
use crate::atlas::shipped_prices;
use crate::inference::{evaluate, ServedModel, ServingInput};

fn row(model: &str, p_in: Option<f64>, p_out: Option<f64>) -> AtlasPrice {
    let mut p = shipped_prices()
        .into_iter()
        .find(|p| p.model_key() == "deepseek-reasoner")
        .unwrap();
    p.model = model.to_string();
    p.usd_per_million_input = p_in;
    p.usd_per_million_output = p_out;
    p.open_weights = Some(true);
    p
}

#[test]
fn default_price_is_the_repos_serving_default() {
    let s = crate::scenario::Scenario::default();
    assert_eq!(DEFAULT_PRICE_PER_GPU_HOUR, s.inf_price_per_gpu_hour);
    assert_eq!(DEFAULT_GPU, s.inf_gpu);
    assert_eq!(
        MarginWorkload::REFERENCE.utilisation,
        ServingInput::default().utilisation
    );
}

#[test]
fn every_mapped_preset_exists() {
    for m in ARCHITECTURES {
        assert!(architecture::preset(m.preset).is_some(), "{}", m.preset);
        assert!(m.source_url.starts_with("https://"));
    }
}

/// The margin of R1 on 8 H200s equals `1 − cost/price` with the cost from `inference::evaluate`.
#[test]
fn margin_agrees_with_evaluate() {
    let prices = shipped_prices();
    let r1 = prices
        .iter()
        .find(|p| p.model_key() == "deepseek-reasoner")
        .unwrap();
    let w = MarginWorkload::REFERENCE;
    let m = implied_margin(r1, "h200", 2.0, &w);
    let c = m.cost.unwrap();
    assert_eq!((c.gpus, c.tensor_parallel, c.pipeline), (8, 8, 1), "{m:?}");
    let r = evaluate(&ServingInput {
        model: ServedModel::Preset("deepseek-v3".into()),
        gpu: "h200".into(),
        gpus: 8,
        batch: w.batch,
        input_tokens: w.input_tokens,
        output_tokens: w.output_tokens,
        weight_bits: w.weight_bits,
        kv_bits: w.kv_bits,
        compute: w.compute,
        spec_k: 0,
        spec_alpha: 0.0,
        price_per_gpu_hour: 2.0,
        utilisation: w.utilisation,
        inference_tokens: 0.0,
    });
    assert!(r.analysis.unwrap().fits);
    let e = r.economics.unwrap();
    let (ci, co) = (
        e.cost_per_million_input_tokens_usd,
        e.cost_per_million_output_tokens_usd,
    );
    let (pi, po) = (0.55, 2.19);
    let rel = |a: f64, b: f64| ((a - b) / b).abs() < 1e-12;
    assert!(rel(m.margin_input.unwrap(), 1.0 - ci / pi), "{m:?}");
    assert!(rel(m.margin_output.unwrap(), 1.0 - co / po), "{m:?}");
    let blended = 1.0 - (3.0 * ci + co) / (3.0 * pi + po);
    assert!(rel(m.margin_blended.unwrap(), blended), "{m:?}");
}

#[test]
fn a_model_without_a_preset_is_named() {
    let p = row("qwen-max-open (test)", Some(1.0), Some(2.0));
    let m = implied_margins(&[p], DEFAULT_GPU, 2.0, &MarginWorkload::REFERENCE);
    assert_eq!(m.len(), 1);
    assert!(m[0].cost.is_none() && m[0].margin_blended.is_none());
    assert!(
        m[0].reason.as_ref().unwrap().contains("qwen-max-open"),
        "{m:?}"
    );
}

#[test]
fn closed_rows_are_left_out_and_cny_rows_say_why() {
    let m = implied_margins(
        &shipped_prices(),
        DEFAULT_GPU,
        DEFAULT_PRICE_PER_GPU_HOUR,
        &MarginWorkload::REFERENCE,
    );
    assert!(m.len() >= 3, "{m:?}");
    let cny = m.iter().find(|r| r.price_blended.is_none()).unwrap();
    assert!(cny.reason.as_ref().unwrap().contains("CNY"), "{cny:?}");
    assert!(cny.cost.is_some());
}

#[test]
fn dearer_gpu_hours_lower_the_margin() {
    let p = row("deepseek-reasoner (test)", Some(0.55), Some(2.19));
    let w = MarginWorkload::REFERENCE;
    let mut last = f64::INFINITY;
    for h in [0.0, 0.5, 1.0, 2.0, 4.0, 8.0, 100.0] {
        let m = implied_margin(&p, DEFAULT_GPU, h, &w)
            .margin_blended
            .unwrap();
        assert!(m < last || (h == 0.0 && m == 1.0), "{h}: {m} after {last}");
        last = m;
    }
}

#[test]
fn hostile_inputs_give_no_nan() {
    let w = MarginWorkload::REFERENCE;
    let check = |m: &ImpliedMargin| {
        for x in [m.margin_input, m.margin_output, m.margin_blended]
            .into_iter()
            .flatten()
        {
            assert!(x.is_finite(), "{m:?}");
        }
        if let Some(c) = m.cost {
            for x in [
                c.usd_per_million_input,
                c.usd_per_million_output,
                c.usd_per_million_blended,
            ] {
                assert!(x.is_finite() && x >= 0.0, "{m:?}");
            }
        }
        if m.margin_blended.is_none() {
            assert!(m.reason.is_some(), "{m:?}");
        }
    };
    for (pi, po) in [
        (Some(0.0), Some(0.0)),
        (Some(1e308), Some(1e308)),
        (Some(f64::MAX), Some(f64::MAX)),
        (Some(-1.0), Some(1.0)),
        (None, Some(1.0)),
    ] {
        for h in [
            0.0,
            1e-300,
            2.0,
            1e308,
            f64::MAX,
            f64::NAN,
            f64::INFINITY,
            -1.0,
        ] {
            for gpu in [DEFAULT_GPU, "h200", "rtx-4090", "no-such-gpu"] {
                check(&implied_margin(
                    &row("deepseek-chat (t)", pi, po),
                    gpu,
                    h,
                    &w,
                ));
            }
        }
    }
    // A zero price has no margin, and says so.
    let m = implied_margin(
        &row("deepseek-chat (t)", Some(0.0), Some(0.0)),
        DEFAULT_GPU,
        2.0,
        &w,
    );
    assert!(m.margin_blended.is_none() && m.reason.is_some(), "{m:?}");
    // A huge price: the margin tends to 1.
    let m = implied_margin(
        &row("deepseek-chat (t)", Some(1e308), Some(1e308)),
        DEFAULT_GPU,
        2.0,
        &w,
    );
    assert!((m.margin_input.unwrap() - 1.0).abs() < 1e-12, "{m:?}");
    assert!(m.price_blended.is_none() && m.reason.is_some(), "{m:?}");
    let m = implied_margin(
        &row("deepseek-chat (t)", Some(1e307), Some(1e307)),
        DEFAULT_GPU,
        2.0,
        &w,
    );
    assert!((m.margin_blended.unwrap() - 1.0).abs() < 1e-12, "{m:?}");
    // Hostile workloads.
    for w in [
        MarginWorkload { batch: 0, ..w },
        MarginWorkload {
            input_tokens: 0,
            ..w
        },
        MarginWorkload {
            output_tokens: u32::MAX,
            ..w
        },
        MarginWorkload {
            batch: u32::MAX,
            ..w
        },
        MarginWorkload {
            utilisation: 0.0,
            ..w
        },
        MarginWorkload {
            utilisation: f64::NAN,
            ..w
        },
        MarginWorkload {
            weight_bits: 7,
            ..w
        },
    ] {
        check(&implied_margin(
            &row("deepseek-chat (t)", Some(0.27), Some(1.1)),
            DEFAULT_GPU,
            2.0,
            &w,
        ));
    }
}

/// The table of docs/science.md §2 ("The atlas"), printed with `--nocapture`.
#[test]
fn print_the_table() {
    for gpu in [DEFAULT_GPU, "h200", "h800"] {
        for batch in [64, 256, 1024] {
            let w = MarginWorkload {
                batch,
                ..MarginWorkload::REFERENCE
            };
            for m in implied_margins(&shipped_prices(), gpu, DEFAULT_PRICE_PER_GPU_HOUR, &w) {
                let c = m.cost;
                println!(
                    "{gpu} B={batch} {} {} | p {:?}/{:?}/{:?} | G {:?} c {:?}/{:?}/{:?} | m {:?}/{:?}/{:?} | {:?}",
                    m.model,
                    m.date,
                    m.price_input,
                    m.price_output,
                    m.price_blended,
                    c.map(|c| (c.tensor_parallel, c.pipeline)),
                    c.map(|c| c.usd_per_million_input),
                    c.map(|c| c.usd_per_million_output),
                    c.map(|c| c.usd_per_million_blended),
                    m.margin_input,
                    m.margin_output,
                    m.margin_blended,
                    m.reason
                );
            }
        }
    }
}
