//! Two scenarios side by side (issue 18, item 11): a scenario's headline answers as numbers keyed
//! by the page's card ids, and the change of each against a pinned baseline.
//!
//! The page shows, under each card that has an answer here, the baseline's value and the change;
//! `tests/links.rs` reads the same answers to check that old links keep their numbers.

use super::scaling::ParametricLaw;
use super::scenario::Scenario;
use super::{density, inference, plan, training};

/// How an answer is written (the page formats it like its card).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// FLOP, written in scientific notation.
    Flop,
    /// A count (parameters, tokens, GPU-hours), written in words of the language.
    Count,
    /// US dollars.
    Usd,
    /// Bytes.
    Bytes,
    /// Seconds.
    Seconds,
    /// Anything else (days, MWh, tokens/s, loss, ratios), three significant digits.
    Plain,
}

/// Which way an answer is better, for the colour of its change (the change is also written).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Better {
    Higher,
    Lower,
    /// Neither: a size or an allocation.
    Neither,
}

/// One headline answer of a scenario.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Answer {
    /// The page's card id (`plan-cost`, `inf-tps`, …).
    pub id: &'static str,
    /// Always finite.
    pub value: f64,
    pub unit: Unit,
    pub better: Better,
}

/// A scenario's answers; an answer the scenario cannot give (no optimum, no price, a model that
/// cannot be served) or that is not finite is absent.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Answers(pub Vec<Answer>);

impl Answers {
    /// The answer of the card `id`.
    pub fn get(&self, id: &str) -> Option<&Answer> {
        self.0.iter().find(|a| a.id == id)
    }
}

/// The change from a baseline's answer to the current one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Delta {
    /// The same number.
    Same,
    /// current / baseline − 1 (finite, non-zero).
    Relative(f64),
    /// No relative change can be given: the baseline is 0 or either side is missing.
    NotComparable,
}

/// The change from `base` to `current` (see [`Delta`]); never NaN.
pub fn delta(base: Option<f64>, current: Option<f64>) -> Delta {
    match (base, current) {
        (Some(b), Some(c)) if b.is_finite() && c.is_finite() => {
            if b == c {
                Delta::Same
            } else if b == 0.0 {
                Delta::NotComparable
            } else {
                let r = c / b - 1.0;
                if r.is_finite() && r != 0.0 {
                    Delta::Relative(r)
                } else if r == 0.0 {
                    Delta::Same
                } else {
                    Delta::NotComparable
                }
            }
        }
        _ => Delta::NotComparable,
    }
}

/// Collects finite answers.
struct Out(Vec<Answer>);

impl Out {
    fn put(&mut self, id: &'static str, v: Option<f64>, unit: Unit, better: Better) {
        if let Some(value) = v.filter(|v| v.is_finite()) {
            self.0.push(Answer {
                id,
                value,
                unit,
                better,
            });
        }
    }
}

/// Every answer of `s`, evaluated as the page does; `fit` is the reader's fitted law, used when
/// the scenario's law is the fit.
pub fn answers(s: &Scenario, fit: Option<&ParametricLaw>) -> Answers {
    let mut all = plan_answers(&plan::evaluate_with_fit(&s.plan(), fit));
    for part in [training_answers, inference_answers, density_answers] {
        all.extend(part(s));
    }
    Answers(all)
}

/// The plan's answers (and the scaling section's optimum, the same numbers), from its result.
pub fn plan_answers(p: &plan::PlanResult) -> Vec<Answer> {
    use Better::*;
    use Unit::*;
    let mut out = Out(Vec::new());
    let o = p.optimal;
    out.put("out-flops", Some(p.flops), Flop, Neither);
    for ids in [
        ["out-params", "out-tokens", "out-tpp", "out-loss"],
        ["sc-params", "sc-tokens", "sc-tpp", "sc-loss"],
    ] {
        out.put(ids[0], o.map(|o| o.params), Count, Neither);
        out.put(ids[1], o.map(|o| o.tokens), Count, Neither);
        out.put(ids[2], o.map(|o| o.tokens_per_param), Plain, Neither);
        out.put(ids[3], o.and_then(|o| o.loss), Plain, Lower);
    }
    let tr = p.training.as_ref();
    out.put("plan-gpu-hours", tr.map(|t| t.gpu_hours), Count, Lower);
    out.put("plan-days", tr.map(|t| t.wall_days), Plain, Lower);
    out.put("plan-cost", tr.map(|t| t.cost_usd), Usd, Lower);
    out.put("plan-mwh", tr.and_then(|t| t.energy_mwh), Plain, Lower);
    out.put("plan-co2", tr.and_then(|t| t.co2_tonnes), Plain, Lower);
    let sv = p.serving.as_ref();
    let econ = sv.and_then(|i| i.economics.as_ref());
    let e_out = econ.map(|e| e.cost_per_million_output_tokens_usd);
    out.put("plan-usd-per-m", e_out, Usd, Lower);
    let e_in = econ.map(|e| e.cost_per_million_input_tokens_usd);
    out.put("plan-usd-per-m-in", e_in, Usd, Lower);
    let tps = sv.and_then(|i| i.analysis.as_ref());
    out.put(
        "plan-tps",
        tps.map(|a| a.output_tokens_per_second),
        Plain,
        Higher,
    );
    let era = p.density.as_ref().map(|d| d.reference_era_params);
    out.put("plan-ref-era", era, Count, Neither);
    out.0
}

/// The training section's answers.
pub fn training_answers(s: &Scenario) -> Vec<Answer> {
    use Better::*;
    use Unit::*;
    let mut out = Out(Vec::new());
    let t = training::evaluate_model(&s.training_run());
    out.put("out-train-flops", Some(t.flops), Flop, Neither);
    out.put("out-train-gpuh", Some(t.gpu_hours), Count, Lower);
    out.put("out-train-days", Some(t.wall_days), Plain, Lower);
    out.put("out-train-cost", Some(t.cost_usd), Usd, Lower);
    out.put("out-train-mwh", t.energy_mwh, Plain, Lower);
    out.put("out-train-co2", t.co2_tonnes, Plain, Lower);
    out.put("out-train-mem", Some(t.memory.total_bytes), Bytes, Lower);
    out.0
}

/// The inference section's answers.
pub fn inference_answers(s: &Scenario) -> Vec<Answer> {
    use Better::*;
    use Unit::*;
    let mut out = Out(Vec::new());
    let i = inference::evaluate(&s.serving());
    if let Some(a) = &i.analysis {
        out.put("inf-weights", Some(a.weights_bytes), Bytes, Lower);
        out.put(
            "inf-kv-token",
            Some(a.kv_cache_bytes_per_token),
            Bytes,
            Lower,
        );
        out.put("inf-kv", Some(a.kv_cache_bytes), Bytes, Lower);
        out.put("inf-mem", Some(a.memory_per_gpu_bytes), Bytes, Lower);
        out.put("inf-ttft", Some(a.ttft_seconds), Seconds, Lower);
        out.put("inf-tpot", Some(a.seconds_per_output_token), Seconds, Lower);
        let seq = Some(a.tokens_per_second_per_sequence);
        out.put("inf-tps-seq", seq, Plain, Higher);
        out.put("inf-tps", Some(a.output_tokens_per_second), Plain, Higher);
        out.put("inf-e2e", Some(a.end_to_end_seconds), Seconds, Lower);
    }
    if let Some(e) = &i.economics {
        out.put(
            "inf-cost-in",
            Some(e.cost_per_million_input_tokens_usd),
            Usd,
            Lower,
        );
        out.put(
            "inf-cost-out",
            Some(e.cost_per_million_output_tokens_usd),
            Usd,
            Lower,
        );
        out.put("inf-lifetime", Some(e.lifetime_cost_usd), Usd, Lower);
    }
    out.0
}

/// The knowledge-density section's answers.
pub fn density_answers(s: &Scenario) -> Vec<Answer> {
    use Better::*;
    use Unit::*;
    let mut out = Out(Vec::new());
    let d = density::evaluate(&s.density());
    let eq = d.equivalent.as_ref();
    out.put("density-ratio", eq.map(|e| e.density_ratio), Plain, Higher);
    out.put(
        "density-params",
        eq.map(|e| e.equivalent_params),
        Count,
        Lower,
    );
    out.put("density-usd", d.usd_per_million_tokens, Usd, Lower);
    out.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::url;

    #[test]
    fn deltas_are_relative_and_never_nan() {
        assert_eq!(delta(Some(2.0), Some(2.0)), Delta::Same);
        assert_eq!(delta(Some(2.0), Some(1.5)), Delta::Relative(-0.25));
        assert_eq!(delta(Some(2.0), Some(3.0)), Delta::Relative(0.5));
        assert_eq!(delta(Some(0.0), Some(3.0)), Delta::NotComparable);
        assert_eq!(delta(Some(0.0), Some(0.0)), Delta::Same);
        assert_eq!(delta(None, Some(3.0)), Delta::NotComparable);
        assert_eq!(delta(Some(3.0), None), Delta::NotComparable);
        assert_eq!(delta(Some(f64::INFINITY), Some(1.0)), Delta::NotComparable);
        assert_eq!(delta(Some(f64::NAN), Some(1.0)), Delta::NotComparable);
        assert_eq!(delta(Some(1e-300), Some(1e300)), Delta::NotComparable);
        assert_eq!(delta(Some(-2.0), Some(-1.0)), Delta::Relative(-0.5));
    }

    #[test]
    fn equal_scenarios_give_no_change_and_a_change_moves_its_answers() {
        let s = Scenario::default();
        let a = answers(&s, None);
        assert!(a.get("plan-cost").is_some() && a.get("inf-tps").is_some());
        assert!(a.0.len() >= 40, "{}", a.0.len());
        for x in &a.0 {
            assert!(x.value.is_finite(), "{}", x.id);
            assert_eq!(
                delta(Some(x.value), a.get(x.id).map(|y| y.value)),
                Delta::Same
            );
        }
        // Twice the training GPUs: the same cost and half the days (ideal scaling at fixed MFU).
        let mut t = s.clone();
        url::set_field(&mut t, "k", "2048").unwrap();
        let b = answers(&t, None);
        let d = |id: &str| delta(a.get(id).map(|x| x.value), b.get(id).map(|x| x.value));
        match d("out-train-days") {
            Delta::Relative(r) => assert!((r + 0.5).abs() < 1e-9, "{r}"),
            other => panic!("{other:?}"),
        }
        assert_eq!(d("inf-tps"), Delta::Same);
        // A money budget of twice the dollars: twice the plan's cost.
        let mut m = s.clone();
        url::set_field(&mut m, "bm", "usd").unwrap();
        let mut m2 = m.clone();
        url::set_field(&mut m2, "usd", "2e6").unwrap();
        let (am, am2) = (answers(&m, None), answers(&m2, None));
        match delta(
            am.get("plan-cost").map(|x| x.value),
            am2.get("plan-cost").map(|x| x.value),
        ) {
            Delta::Relative(r) => assert!((r - 1.0).abs() < 1e-9, "{r}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_baseline_that_cannot_be_served_gives_no_nan() {
        // A serving price of 0 (free GPUs), a model that does not fit one GPU: absent or zero
        // answers compare as "not comparable", never NaN.
        let mut base = Scenario::default();
        url::set_field(&mut base, "iprice", "0").unwrap();
        url::set_field(&mut base, "itp", "1").unwrap();
        let mut cur = Scenario::default();
        url::set_field(&mut cur, "itp", "8").unwrap();
        let (a, b) = (answers(&base, None), answers(&cur, None));
        for x in &b.0 {
            let d = delta(a.get(x.id).map(|y| y.value), Some(x.value));
            if let Delta::Relative(r) = d {
                assert!(r.is_finite(), "{}", x.id);
            }
        }
        assert_eq!(
            delta(
                a.get("inf-cost-out").map(|x| x.value),
                b.get("inf-cost-out").map(|x| x.value)
            ),
            Delta::NotComparable
        );
    }
}
