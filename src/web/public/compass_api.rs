//! `GET /api/v1/compass`: the public compass page as JSON, no sign-in.
//!
//! The document holds the same figures as `/kompass`: the framework, every
//! official assessment with computed totals and the change since the one
//! before, the resident view per area (weighted when the municipality has
//! population margins, "too few" below the threshold) with the surveys that
//! fed it, and the dialogue indicators per year.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::{OpenApi, ToSchema};

use crate::domain::compass::Framework;
use crate::domain::survey::Text;
use crate::error::{AppError, AppResult};
use crate::services::compass::{self, Overview, ResidentScore, StoredAssessment, YearIndicators};
use crate::web::context::Tenant;
use crate::web::state::AppState;

/// The municipality's compass.
#[derive(Debug, Serialize, ToSchema)]
pub struct CompassDocument {
    /// The municipality's name.
    pub municipality: String,
    /// The framework it is assessed by.
    pub framework: CompassFramework,
    /// Official assessments, newest first (empty: none recorded yet).
    pub assessments: Vec<CompassAssessment>,
    /// What residents said, per area.
    pub resident: CompassResidentView,
    /// Dialogue-practice indicators per calendar year, newest first.
    pub indicators: Vec<CompassIndicatorYear>,
}

/// A framework's areas and maxima.
#[derive(Debug, Serialize, ToSchema)]
pub struct CompassFramework {
    /// Stable key, e.g. `ks-2016`.
    pub key: String,
    /// Version label.
    pub version: String,
    /// Name by language code.
    #[schema(value_type = Object)]
    pub name: Text,
    /// All points of the framework (800 for the shipped ones).
    pub max_points: f64,
    /// The areas in order.
    pub areas: Vec<CompassFrameworkArea>,
}

/// One area of the framework.
#[derive(Debug, Serialize, ToSchema)]
pub struct CompassFrameworkArea {
    /// Area number.
    pub number: u8,
    /// Name by language code.
    #[schema(value_type = Object)]
    pub name: Text,
    /// Points the area is worth.
    pub max_points: f64,
    /// Number of sub-questions.
    pub sub_questions: usize,
}

/// An official assessment with totals computed from its sub-question points.
#[derive(Debug, Serialize, ToSchema)]
pub struct CompassAssessment {
    /// Day of the assessment, `YYYY-MM-DD`.
    pub assessed_on: String,
    /// Who assessed.
    pub assessor: String,
    /// `external` or `self`.
    pub kind: String,
    /// Sum of all areas.
    pub total: f64,
    /// Sum of the maxima.
    pub max_points: f64,
    /// Total minus the previous (older) assessment's total, if any.
    pub change: Option<f64>,
    /// Points per area.
    pub areas: Vec<CompassAreaPoints>,
}

/// One area's points in an assessment.
#[derive(Debug, Serialize, ToSchema)]
pub struct CompassAreaPoints {
    /// Area number.
    pub area: u8,
    /// Points (sum of the sub-questions).
    pub points: f64,
    /// The area's maximum.
    pub max_points: f64,
    /// Points as a share of the maximum, 0–100.
    pub percent: f64,
    /// Points minus the previous assessment's, if any.
    pub change: Option<f64>,
    /// Points and comment per sub-question, in framework order.
    pub sub_questions: Vec<CompassSubQuestionPoints>,
}

/// One sub-question's points and the assessor's comment in an assessment.
#[derive(Debug, Serialize, ToSchema)]
pub struct CompassSubQuestionPoints {
    /// Key `area.number`, e.g. `1.4`.
    pub key: String,
    /// Number within the area.
    pub number: u8,
    /// The sub-question by language code.
    #[schema(value_type = Object)]
    pub text: Text,
    /// Points given; absent when the assessment has none for it.
    pub points: Option<f64>,
    /// The sub-question's maximum.
    pub max_points: f64,
    /// The assessor's comment, if any.
    pub comment: Option<String>,
    /// Points minus the previous assessment's, when both have points.
    pub change: Option<f64>,
}

/// The resident view.
#[derive(Debug, Serialize, ToSchema)]
pub struct CompassResidentView {
    /// Whether every area with answers is weighted to population margins;
    /// `false` means unweighted (no margins).
    pub weighted: bool,
    /// Fewest respondents before an area gets a score.
    pub minimum_respondents: i64,
    /// Months of published surveys counted.
    pub window_months: u32,
    /// Per area, in framework order.
    pub areas: Vec<CompassResidentArea>,
}

/// What residents said about one area.
#[derive(Debug, Serialize, ToSchema)]
pub struct CompassResidentArea {
    /// Area number.
    pub area: u8,
    /// `shown`, `too_few` (answers, but fewer respondents than the minimum)
    /// or `no_answers`.
    pub status: String,
    /// Mean score 0–100 (weighted if `weighted`); absent unless `shown`.
    pub score: Option<f64>,
    /// 95 % margin of error of the score; absent unless `shown`.
    pub margin_of_error: Option<f64>,
    /// Whether the score is weighted to the population margins.
    pub weighted: bool,
    /// Answers counted ("don't know" left out).
    pub answers: i64,
    /// Respondents behind them.
    pub respondents: i64,
    /// Effective number of respondents after weighting.
    pub effective_n: f64,
    /// Design effect of the weights.
    pub design_effect: f64,
    /// The surveys that fed the area.
    pub surveys: Vec<CompassSourceSurvey>,
}

/// A survey behind an area's resident score.
#[derive(Debug, Serialize, ToSchema)]
pub struct CompassSourceSurvey {
    /// Survey number.
    pub id: i32,
    /// Title by language code.
    #[schema(value_type = Object)]
    pub title: Text,
    /// Answers it gave to the area's questions.
    pub answers: i64,
    /// Path of its public results, when published.
    pub results_path: Option<String>,
}

/// Dialogue-practice indicators of one year.
#[derive(Debug, Serialize, ToSchema)]
pub struct CompassIndicatorYear {
    /// Calendar year.
    pub year: i32,
    /// Surveys opened in the year.
    pub surveys_opened: usize,
    /// Mean response rate of those with invitations, 0–1.
    pub response_rate: Option<f64>,
    /// Dissimilarity index of respondents against the population, 0–1.
    pub dissimilarity: Option<f64>,
    /// Respondents counted for the index.
    pub respondents: i64,
    /// Surveys closed in the year.
    pub surveys_closed: usize,
    /// Share of those published with feedback, 0–1.
    pub share_with_feedback: Option<f64>,
    /// Median days from closing to publishing.
    pub median_days_to_feedback: Option<f64>,
    /// Surveys opened per participation-ladder step.
    pub ladder: Vec<CompassLadderCount>,
}

/// Surveys on one step of the participation ladder.
#[derive(Debug, Serialize, ToSchema)]
pub struct CompassLadderCount {
    /// `information`, `consultation`, `dialogue`, `influence`,
    /// `co_decision`, or absent when not set.
    pub step: Option<String>,
    /// Surveys opened on that step.
    pub surveys: usize,
}

/// The OpenAPI description of the compass endpoint, to merge into the API document.
#[derive(OpenApi)]
#[openapi(
    paths(get_compass),
    components(schemas(
        CompassDocument,
        CompassFramework,
        CompassFrameworkArea,
        CompassAssessment,
        CompassAreaPoints,
        CompassSubQuestionPoints,
        CompassResidentView,
        CompassResidentArea,
        CompassSourceSurvey,
        CompassIndicatorYear,
        CompassLadderCount
    ))
)]
pub struct CompassApiDoc;

/// `GET /api/v1/compass`: the public compass as JSON (no authentication).
#[utoipa::path(
    get,
    path = "/api/v1/compass",
    security(()),
    responses((status = 200, body = CompassDocument), (status = 404, description = "No framework configured"))
)]
pub async fn get_compass(
    State(state): State<AppState>,
    Tenant(municipality): Tenant,
) -> AppResult<Json<CompassDocument>> {
    let overview = compass::overview(&state.db, &municipality).await?.ok_or(AppError::NotFound)?;
    Ok(Json(CompassDocument::new(municipality.name.clone(), &overview, compass::minimum_respondents(&municipality))))
}

impl CompassDocument {
    /// The document of an overview.
    pub fn new(municipality: String, overview: &Overview, minimum_respondents: i64) -> Self {
        let answered: Vec<&ResidentScore> = overview.resident.iter().filter(|r| r.respondents > 0).collect();
        Self {
            municipality,
            framework: framework(&overview.framework),
            assessments: overview
                .assessments
                .iter()
                .enumerate()
                .map(|(index, a)| assessment(&overview.framework, a, overview.assessments.get(index + 1)))
                .collect(),
            resident: CompassResidentView {
                weighted: !answered.is_empty() && answered.iter().all(|r| r.weighted),
                minimum_respondents,
                window_months: 24,
                areas: overview.resident.iter().map(resident_area).collect(),
            },
            indicators: overview.indicators.iter().map(indicator_year).collect(),
        }
    }
}

fn framework(framework: &Framework) -> CompassFramework {
    CompassFramework {
        key: framework.key.clone(),
        version: framework.version.clone(),
        name: framework.name.clone(),
        max_points: framework.max_points(),
        areas: framework
            .areas
            .iter()
            .map(|a| CompassFrameworkArea {
                number: a.number,
                name: a.name.clone(),
                max_points: a.max_points,
                sub_questions: a.sub_questions.len(),
            })
            .collect(),
    }
}

fn sub_questions(
    framework: &Framework,
    number: u8,
    assessment: &StoredAssessment,
    previous: Option<&StoredAssessment>,
) -> Vec<CompassSubQuestionPoints> {
    let Some(area) = framework.area(number) else { return Vec::new() };
    area.sub_questions
        .iter()
        .map(|sub| {
            let key = sub.key(area);
            let score = assessment.scores.get(&key);
            let points = score.map(|s| s.points);
            let before = previous.and_then(|p| p.scores.get(&key)).map(|s| s.points);
            CompassSubQuestionPoints {
                number: sub.number,
                text: sub.text.clone(),
                points,
                max_points: sub.max_points,
                comment: score.and_then(|s| s.comment.clone()),
                change: points.zip(before).map(|(now, before)| now - before),
                key,
            }
        })
        .collect()
}

fn assessment(
    framework: &Framework,
    assessment: &StoredAssessment,
    previous: Option<&StoredAssessment>,
) -> CompassAssessment {
    let totals = &assessment.totals;
    CompassAssessment {
        assessed_on: assessment.assessed_on.clone(),
        assessor: assessment.assessor.clone(),
        kind: assessment.kind.code().to_owned(),
        total: totals.overall,
        max_points: totals.overall_max,
        change: previous.map(|p| totals.overall - p.totals.overall),
        areas: totals
            .areas
            .iter()
            .map(|(area, points, max)| CompassAreaPoints {
                area: *area,
                points: *points,
                max_points: *max,
                percent: totals.area_percent(*area).unwrap_or(0.0),
                change: previous.and_then(|p| p.totals.area(*area)).map(|before| points - before),
                sub_questions: sub_questions(framework, *area, assessment, previous),
            })
            .collect(),
    }
}

fn resident_area(score: &ResidentScore) -> CompassResidentArea {
    let status = match (score.score, score.respondents) {
        (Some(_), _) => "shown",
        (None, 0) => "no_answers",
        (None, _) => "too_few",
    };
    CompassResidentArea {
        area: score.area,
        status: status.to_owned(),
        score: score.score,
        margin_of_error: score.margin_of_error,
        weighted: score.weighted,
        answers: score.answers,
        respondents: score.respondents,
        effective_n: score.effective_n,
        design_effect: score.design_effect,
        surveys: score
            .surveys
            .iter()
            .map(|s| CompassSourceSurvey {
                id: s.id,
                title: s.title.clone(),
                answers: s.answers,
                results_path: s.published.then(|| format!("/results/{}", s.id)),
            })
            .collect(),
    }
}

fn indicator_year(year: &YearIndicators) -> CompassIndicatorYear {
    CompassIndicatorYear {
        year: year.year,
        surveys_opened: year.surveys_opened,
        response_rate: year.response_rate,
        dissimilarity: year.dissimilarity,
        respondents: year.respondents,
        surveys_closed: year.surveys_closed,
        share_with_feedback: year.share_with_feedback,
        median_days_to_feedback: year.median_days_to_feedback,
        ladder: year
            .ladder
            .iter()
            .map(|(step, surveys)| CompassLadderCount { step: step.map(|s| s.code().to_owned()), surveys: *surveys })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_openapi_document_describes_the_endpoint() {
        let document = serde_json::to_value(CompassApiDoc::openapi()).expect("JSON");
        assert!(document["paths"]["/api/v1/compass"]["get"].is_object(), "{document}");
        let schemas = &document["components"]["schemas"];
        for name in [
            "CompassDocument",
            "CompassResidentArea",
            "CompassIndicatorYear",
            "CompassAssessment",
            "CompassSubQuestionPoints",
        ] {
            assert!(schemas[name].is_object(), "{name} missing");
        }
        let area_points = &schemas["CompassAreaPoints"]["properties"];
        assert!(area_points["sub_questions"].is_object(), "{area_points}");
        let sub = &schemas["CompassSubQuestionPoints"]["properties"];
        for field in ["key", "number", "text", "points", "max_points", "comment", "change"] {
            assert!(sub[field].is_object(), "CompassSubQuestionPoints.{field} missing: {sub}");
        }
    }
}
