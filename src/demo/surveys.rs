//! Demo surveys in every lifecycle state, read from survey files in
//! `src/demo/surveys/` (examples of the native file format as well).
//!
//! The closed surveys' question keys are stable; the demo responses use them.

use sea_orm::DatabaseConnection;

use crate::services::audit::Actor;
use crate::services::surveys::{self, Step, SurveyStatus};
use crate::services::tenant::Municipality;

/// Where a demo survey should end up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Draft,
    Approved,
    Open,
    Closed,
}

/// Fjordvik's surveys: a draft, an approved one waiting to open, an open
/// panel survey, an open survey with a public link, and three closed ones.
const FJORDVIK: [(&str, Target); 7] = [
    (include_str!("surveys/turstier.json"), Target::Draft),
    (include_str!("surveys/ungdom-og-fritid.json"), Target::Approved),
    (include_str!("surveys/fremtidens-sentrum.json"), Target::Open),
    (include_str!("surveys/biblioteket.json"), Target::Open),
    (include_str!("surveys/kollektivtransport.json"), Target::Closed),
    (include_str!("surveys/barnehage-og-skole.json"), Target::Closed),
    (include_str!("surveys/tjenestene.json"), Target::Closed),
];

/// Lillevik's one Swedish survey.
const LILLEVIK: [(&str, Target); 1] = [(include_str!("surveys/sommarlov.json"), Target::Open)];

/// Create the demo surveys that are missing (matched by title).
pub async fn seed(db: &DatabaseConnection, base_url: &url::Url, municipality: &Municipality) -> anyhow::Result<()> {
    let files: &[(&str, Target)] = match municipality.slug.as_str() {
        "fjordvik" => &FJORDVIK,
        "lillevik" => &LILLEVIK,
        _ => &[],
    };
    let existing = surveys::list(db, municipality).await?;
    for (text, target) in files {
        let (file, _) = crate::domain::survey::file::SurveyFile::parse(text)
            .map_err(|e| anyhow::anyhow!("demo survey file: {}: {}", e.field, e.message))?;
        if existing.iter().any(|s| s.definition.title == file.definition.title) {
            continue;
        }
        let survey = surveys::import_file(db, municipality, text, Actor::System).await?;
        if *target == Target::Draft {
            continue;
        }
        // The demo approves its own surveys; staff need a second admin.
        surveys::set_status(db, municipality, &survey, SurveyStatus::Approved, Actor::System).await?;
        if *target == Target::Approved {
            continue;
        }
        if *target == Target::Closed {
            // Surveys of the past: their closing dates have gone by, so they
            // are moved along directly rather than through the checked steps.
            surveys::set_status(db, municipality, &survey, SurveyStatus::Open, Actor::System).await?;
            surveys::set_status(db, municipality, &survey, SurveyStatus::Closed, Actor::System).await?;
            continue;
        }
        let opened = surveys::take_step(db, municipality, survey.id, Step::Open, Actor::System).await?;
        if let Some(token) = opened.public_token {
            let base = crate::services::municipalities::public_base_url(db, base_url, municipality).await?;
            println!("  Public link of the open demo survey (shown once): {}", base.join(&format!("o/{token}"))?);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::survey::file::SurveyFile;
    use crate::domain::survey::validate;

    #[test]
    fn demo_files_are_canonical_complete_and_cover_every_question_type() {
        let mut types = std::collections::BTreeSet::new();
        for (text, target) in FJORDVIK.iter().chain(LILLEVIK.iter()) {
            let (file, _) = SurveyFile::parse(text).expect("valid demo file");
            assert_eq!(file.to_canonical_json().expect("json"), *text, "demo files are canonical");
            if *target != Target::Draft {
                assert_eq!(validate::missing_translations(&file.definition), vec![], "{:?}", file.definition.title);
                assert!(!file.definition.compass_areas().is_empty() && file.ladder_step.is_some());
            }
            types.extend(file.definition.questions().map(|(_, q)| q.kind.name()));
        }
        assert_eq!(types.len(), crate::domain::survey::edit::QUESTION_TYPES.len(), "{types:?}");
        let with_rules = FJORDVIK.iter().filter(|(text, _)| text.contains("\"show_if\"")).count();
        assert!(with_rules >= 3);
    }
}
