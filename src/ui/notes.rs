//! The scaling and plan notes in the reader's language. The model's notes are typed (an enum per
//! concern, with data); each variant is worded here, so no part of the page reads a note's text.

use super::i18n::{t, tf};
use crate::model::num;
use crate::model::plan::PlanNote;
use crate::model::scaling::evaluate::ScalingNote;
use crate::model::scaling::ScalingError;
use crate::model::scenario::Lang;

/// A law's name in `lang` (its id only if the tables lack it).
fn law(lang: Lang, id: &'static str) -> String {
    super::i18n::named(lang, &format!("law.name.{id}"), id)
}

/// A scaling note in `lang`.
pub fn scaling_note(lang: Lang, n: &ScalingNote) -> String {
    match n {
        ScalingNote::UnknownLaw { asked, used } => {
            tf(lang, "sc.msg.unknown_law", &[asked, &law(lang, used)])
        }
        ScalingNote::FitMissing { used } => tf(lang, "sc.msg.fit_missing", &[&law(lang, used)]),
        ScalingNote::BadBudget(_) => t(lang, "sc.msg.bad_budget").into(),
        ScalingNote::NoLoss { .. } => t(lang, "sc.msg.no_loss").into(),
        ScalingNote::DataConstrained(_) => t(lang, "sc.msg.dc_failed").into(),
        ScalingNote::InferenceAware(ScalingError::UnreachableLoss { target, floor }) => tf(
            lang,
            "sc.msg.unreachable",
            &[&num::sig(*target, 4), &num::sig(*floor, 4)],
        ),
        ScalingNote::InferenceAware(_) => t(lang, "sc.msg.ia_failed").into(),
    }
}

/// A plan note in `lang`.
pub fn plan_note(lang: Lang, n: &PlanNote) -> String {
    match n {
        PlanNote::Scaling(n) => scaling_note(lang, n),
        PlanNote::ServingGpusRaised { asked, used } => tf(
            lang,
            "plan.note.serving_gpus",
            &[&asked.to_string(), &used.to_string()],
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::scaling::evaluate::{evaluate, ScalingInput};
    use crate::model::scenario::LawChoice;

    /// Every variant has its words in both languages: no "?", no unfilled "{}".
    #[test]
    fn every_note_is_worded_in_both_languages() {
        let notes = [
            ScalingNote::UnknownLaw {
                asked: "x".into(),
                used: "hoffmann2022",
            },
            ScalingNote::FitMissing {
                used: "hoffmann2022",
            },
            ScalingNote::BadBudget(-1.0),
            ScalingNote::NoLoss {
                law: "kaplan".into(),
            },
            ScalingNote::DataConstrained(ScalingError::NoOptimum { what: "x" }),
            ScalingNote::InferenceAware(ScalingError::UnreachableLoss {
                target: 1.0,
                floor: 1.69,
            }),
            ScalingNote::InferenceAware(ScalingError::NoOptimum { what: "x" }),
        ];
        for lang in [Lang::En, Lang::Zh] {
            for n in &notes {
                let text = plan_note(lang, &PlanNote::Scaling(n.clone()));
                assert!(!text.contains('?') && !text.contains("{}"), "{text}");
            }
            let text = plan_note(lang, &PlanNote::ServingGpusRaised { asked: 1, used: 4 });
            assert!(text.contains('4') && !text.contains("{}"), "{text}");
        }
        // A law with no loss says so once.
        let r = evaluate(&ScalingInput {
            law: LawChoice::Preset("deepseek2024".into()),
            unique_tokens: Some(1e11),
            ..ScalingInput::default()
        });
        assert_eq!(
            r.notes,
            vec![ScalingNote::NoLoss {
                law: "deepseek2024".into()
            }]
        );
    }
}
