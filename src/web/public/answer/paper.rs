//! Paper entry: staff type in a paper questionnaire, with the respondent's
//! coarse attributes; the answer is flagged as paper.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;

use super::PaperStaff;
use crate::domain::survey::Answers;
use crate::domain::survey::answer::{FormValues, form_values, parse_section};
use crate::domain::validation::{FieldError, Invalid};
use crate::domain::{AgeBand, Gender, Language};
use crate::error::{AppError, AppResult};
use crate::i18n::t;
use crate::services::municipalities::{self, District};
use crate::services::responses::{self, CoarseAttributes};
use crate::services::surveys::{self, Survey, SurveyStatus};
use crate::views::answer::{Mode, SurveyPage, survey_page};
use crate::views::components::field_id;
use crate::web::context::{RequestContext, Tenant};
use crate::web::state::AppState;

/// `?saved=1` after an answer was stored.
#[derive(Debug, Deserialize)]
pub struct SavedQuery {
    saved: Option<u8>,
}

fn attribute_fields(
    language: Language,
    districts: &[District],
    values: Option<&FormValues>,
    errors: Option<&Invalid>,
) -> Markup {
    let current = |name: &str| values.and_then(|v| v.get(name)).and_then(|v| v.first()).cloned().unwrap_or_default();
    let select = |name: &str, label: &str, options: Vec<(String, String)>| {
        let error = errors.and_then(|e| e.for_field(name));
        let error_id = format!("{}-error", field_id(name));
        html! {
            div class="ds-field" {
                label class="ds-label" for=(field_id(name)) { (label) }
                @if let Some(error) = error { p class="ds-validation-message" data-color="danger" id=(error_id) { (crate::i18n::field_error(language, error)) } }
                select class="ds-input" name=(name) id=(field_id(name))
                    aria-invalid=[error.map(|_| "true")] aria-describedby=[error.map(|_| error_id.as_str())] {
                    option value="" { (t(language, "answer-paper-unknown")) }
                    @for (value, text) in options {
                        option value=(value) selected[current(name) == value] { (text) }
                    }
                }
            }
        }
    };
    html! {
        fieldset class="ds-fieldset paper-attributes" {
            legend class="ds-label" { (t(language, "answer-paper-attributes")) }
            (select("age_band", &t(language, "answer-paper-age-band"), AgeBand::ALL.iter().map(|b| (b.as_str().to_owned(), b.as_str().to_owned())).collect()))
            (select("gender", &t(language, "answer-paper-gender"), [Gender::Female, Gender::Male, Gender::Other].iter().map(|g| (g.as_str().to_owned(), t(language, &format!("answer-gender-{}", g.as_str())))).collect()))
            (select("district", &t(language, "district"), districts.iter().map(|d| (d.code.clone(), d.name.clone())).collect()))
        }
    }
}

async fn editable(
    state: &AppState,
    municipality: &crate::services::tenant::Municipality,
    id: i32,
) -> AppResult<Survey> {
    let survey = surveys::load(&state.db, municipality, id).await?.ok_or(AppError::NotFound)?;
    // Paper answers come in while the survey runs and until it is published.
    if !matches!(survey.status, SurveyStatus::Open | SurveyStatus::Closed) {
        return Err(AppError::BadRequest("answer-paper-not-open"));
    }
    Ok(survey)
}

#[expect(clippy::too_many_arguments, reason = "the paper form's full state")]
fn paper_form(
    state: &AppState,
    context: &RequestContext,
    survey: &Survey,
    districts: &[District],
    answers: &Answers,
    values: Option<&FormValues>,
    errors: Option<&Invalid>,
    notice: Option<&'static str>,
) -> Markup {
    let page = SurveyPage {
        survey,
        sections: (0..survey.definition.sections.len()).collect(),
        position: 1,
        total: 1,
        answers,
        posted: values,
        errors,
        action: format!("/staff/surveys/{}/paper", survey.id),
        mode: Mode::Paper,
        extra: Some(attribute_fields(context.language, districts, values, errors)),
        notice,
    };
    survey_page(state, context, &page)
}

/// `GET /staff/surveys/{id}/paper`.
pub async fn show_paper_form(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    _editor: PaperStaff,
    Path(id): Path<i32>,
    Query(query): Query<SavedQuery>,
) -> AppResult<Response> {
    let survey = editable(&state, &municipality, id).await?;
    let districts = municipalities::districts(&state.db, &municipality).await?;
    let notice = query.saved.map(|_| "answer-paper-saved");
    Ok(paper_form(&state, &context, &survey, &districts, &Answers::new(), None, None, notice).into_response())
}

fn parse_attributes(values: &FormValues, districts: &[District]) -> Result<CoarseAttributes, FieldError> {
    let get = |name: &str| values.get(name).and_then(|v| v.first()).map(|s| s.trim()).filter(|s| !s.is_empty());
    let age_band = get("age_band")
        .map(|v| v.parse::<AgeBand>().map_err(|_| FieldError::new("age_band", "answer-error-unknown-option")))
        .transpose()?;
    let gender = get("gender")
        .map(|v| v.parse::<Gender>().map_err(|_| FieldError::new("gender", "answer-error-unknown-option")))
        .transpose()?;
    let district = match get("district") {
        Some(code) if districts.iter().any(|d| d.code == code) => Some(code.to_owned()),
        Some(_) => return Err(FieldError::new("district", "answer-error-unknown-option")),
        None => None,
    };
    Ok(CoarseAttributes { age_band, gender, district, source_group: None })
}

/// `POST /staff/surveys/{id}/paper`.
pub async fn save_paper_answer(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    editor: PaperStaff,
    Path(id): Path<i32>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let survey = editable(&state, &municipality, id).await?;
    let districts = municipalities::districts(&state.db, &municipality).await?;
    let values = form_values(pairs);
    let mut answers = Answers::new();
    let mut errors = Vec::new();
    for section in &survey.definition.sections {
        if section.show_if.as_ref().is_some_and(|c| !c.holds(&answers)) {
            continue;
        }
        let (found, problems) = parse_section(section, &values, &answers);
        answers.extend(found);
        errors.extend(problems);
    }
    let attributes = parse_attributes(&values, &districts).map_err(|e| errors.push(e)).unwrap_or_default();
    if !errors.is_empty() {
        let invalid = Invalid(errors);
        let markup = paper_form(&state, &context, &survey, &districts, &answers, Some(&values), Some(&invalid), None);
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, markup).into_response());
    }
    responses::record_paper(&state.db, &municipality, &survey, &answers, &attributes, editor.user.actor()).await?;
    Ok(Redirect::to(&format!("/staff/surveys/{id}/paper?saved=1")).into_response())
}
