//! Every number a section shows has its "how" as a field (issue 15, step 3): for scenarios that
//! ask every question, no field of a section's `how()` is empty, so no card shows a number without
//! its formula, values and source. The fields are filled from the same list the JSON carries, so
//! this also checks the two agree.

use scalecalc::model::scenario::{ModelChoice, Scenario};
use scalecalc::model::{density, inference, lifetime, plan, scaling, training};

/// A scenario that asks every question of every section.
fn everything() -> Scenario {
    Scenario {
        unique_tokens: 1e11,
        train_model: Some(ModelChoice::Preset("llama-2-70b".into())),
        models_csv: "name,date,params,density\na,2023-01-01,7e9,1\nb,2023-07-01,7e9,1.6\nc,2024-01-01,7e9,2.7\n".into(),
        ..Scenario::default()
    }
}

#[test]
fn every_shown_number_has_its_how() {
    let s = everything();
    let t = training::evaluate_model(&s.training_run());
    assert_eq!(t.how().missing(), Vec::<&str>::new(), "training");
    let i = inference::evaluate(&s.serving());
    assert_eq!(i.how().missing(), Vec::<&str>::new(), "inference");
    let sc = scaling::evaluate::evaluate(&s.scaling());
    assert_eq!(sc.how().missing(), Vec::<&str>::new(), "scaling");
    let d = density::evaluate::evaluate(&s.density());
    assert_eq!(d.how().missing(), Vec::<&str>::new(), "density");
    let p = plan::evaluate(&s.plan());
    assert_eq!(p.how().missing(), Vec::<&str>::new(), "plan");
    let input = s.plan();
    let priced = lifetime::priced_optimum(
        input.scaling.target_loss,
        &input.training,
        &input.serving,
        &p.law_constants,
    )
    .unwrap();
    assert_eq!(priced.how().missing(), Vec::<&str>::new(), "priced");
}

/// A field's explanation is the number the result holds.
#[test]
fn a_how_explains_its_own_number() {
    let s = everything();
    let t = training::evaluate_model(&s.training_run());
    let h = t.how();
    assert_eq!(h.flops.unwrap().value, t.flops);
    assert_eq!(h.cost_usd.unwrap().value, t.cost_usd);
    let i = inference::evaluate(&s.serving());
    let a = i.analysis.as_ref().unwrap();
    assert_eq!(i.how().ttft_seconds.unwrap().value, a.ttft_seconds);
}
