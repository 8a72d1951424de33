//! Demo compass assessments: two external KS assessments for Fjordvik (2023
//! and 2025, the latter with the published example scores 61, 60, 73, 53, 70,
//! 56, 65, 68 = 506) and one SKR assessment for Lillevik.

use sea_orm::DatabaseConnection;

use crate::domain::compass::{AssessmentInput, Framework, format_points};
use crate::services::audit::Actor;
use crate::services::compass::{self, ChangeError};
use crate::services::tenant::Municipality;

/// `(date, assessor, area scores)` per demo municipality.
fn planned(slug: &str) -> Vec<(&'static str, &'static str, [f64; 8])> {
    match slug {
        "fjordvik" => vec![
            ("2023-05-10", "KS-Konsulent", [52.0, 55.0, 66.0, 50.0, 63.0, 51.0, 58.0, 60.0]),
            ("2025-04-22", "KS-Konsulent", [61.0, 60.0, 73.0, 53.0, 70.0, 56.0, 65.0, 68.0]),
        ],
        "lillevik" => vec![("2024-10-03", "SKR:s bedömare", [58.0, 62.0, 55.0, 60.0, 64.0, 57.0, 61.0, 54.0])],
        _ => Vec::new(),
    }
}

/// The assessor's remarks on the first sub-question of each area, for the
/// latest demo assessment of each municipality.
fn remarks(slug: &str, date: &str) -> &'static [&'static str] {
    match (slug, date) {
        ("fjordvik", "2025-04-22") => &[
            "Innbyggerpanelet er tatt i bruk, men en samlet plan for medvirkning mangler.",
            "Brukerundersøkelser gjennomføres jevnlig; resultatene følges opp i tjenestene.",
            "Rapportering til kommunestyret er god og kommer i tide.",
            "Delegeringsreglementet er oppdatert, men lite kjent blant mellomledere.",
            "Styringskortene brukes, men målene er ofte aktivitetsmål.",
            "Lavt sykefravær; medarbeiderundersøkelsen følges opp i hver enhet.",
            "Forbedringsarbeid skjer mest i enkeltenheter, lite på tvers.",
            "Samfunnsplanen bygger på bred medvirkning, også fra ungdomsrådet.",
        ],
        ("lillevik", "2024-10-03") => &[
            "Medborgarpanelen används, men återkopplingen till deltagarna kan bli tydligare.",
            "Tydlig samhällsplanering med dialog i alla kommundelar.",
            "Uppföljningen till fullmäktige är regelbunden men kortfattad.",
        ],
        _ => &[],
    }
}

/// Split an area's score over its sub-questions in proportion to their
/// maxima, one decimal each, the last one taking the rounding remainder.
fn split(framework: &Framework, scores: &[f64; 8], input: &mut AssessmentInput) {
    for (area, score) in framework.areas.iter().zip(scores) {
        let mut given = 0.0;
        let count = area.sub_questions.len();
        for (index, sub) in area.sub_questions.iter().enumerate() {
            let points = if index + 1 == count {
                ((score - given) * 10.0).round() / 10.0
            } else {
                (score * sub.max_points / area.max_points * 10.0).round() / 10.0
            };
            given += points;
            input.points.insert(sub.key(area), format_points(points.clamp(0.0, sub.max_points)));
        }
    }
}

/// Record the planned assessments that are missing (same date and assessor
/// counts as present).
pub async fn seed(db: &DatabaseConnection, _base_url: &url::Url, municipality: &Municipality) -> anyhow::Result<()> {
    let Some(framework) = compass::framework_for(db, municipality).await? else { return Ok(()) };
    for (date, assessor, scores) in planned(municipality.slug.as_str()) {
        let mut input = AssessmentInput {
            assessed_on: date.to_owned(),
            assessor: assessor.to_owned(),
            kind: "external".to_owned(),
            ..Default::default()
        };
        split(&framework, &scores, &mut input);
        for (area, remark) in framework.areas.iter().zip(remarks(municipality.slug.as_str(), date)) {
            if let Some(first) = area.sub_questions.first() {
                input.comments.insert(first.key(area), (*remark).to_owned());
            }
        }
        match compass::record_assessment(db, municipality, &framework, &input, Actor::System).await {
            Ok(_) => {}
            Err(ChangeError::Invalid(invalid)) if invalid.for_field("assessed_on").is_some() => {}
            Err(error) => return Err(error.into()),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::compass::{Assessment, totals};

    #[test]
    fn split_keeps_the_area_scores() {
        let framework = Framework::shipped().into_iter().find(|f| f.key == "ks-2016").expect("ks");
        let scores = [61.0, 60.0, 73.0, 53.0, 70.0, 56.0, 65.0, 68.0];
        let mut input = AssessmentInput {
            assessed_on: "2025-04-22".into(),
            assessor: "KS".into(),
            kind: "external".into(),
            ..Default::default()
        };
        split(&framework, &scores, &mut input);
        let today = time::macros::date!(2026 - 01 - 01);
        let assessment = Assessment::parse(&framework, &input, today).expect("valid");
        let sums = totals(&framework, &assessment.scores);
        for (area, expected) in framework.areas.iter().zip(scores) {
            assert!((sums.area(area.number).expect("area") - expected).abs() < 1e-9);
        }
        assert!((sums.overall - 506.0).abs() < 1e-9);
    }
}
