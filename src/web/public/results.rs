//! Public results and feedback pages.

use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::error::{AppError, AppResult};
use crate::services::municipalities;
use crate::services::results::{self, Feedback, ResultsRequest};
use crate::views::results::Labels;
use crate::web::context::{RequestContext, Tenant};
use crate::web::state::AppState;

/// Routes of this part.
pub fn routes() -> Router<AppState> {
    Router::new().route("/results/{id}", get(show_results))
}

/// `GET /results/{id}`: only for published surveys; 404 otherwise.
async fn show_results(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    Path(id): Path<i32>,
) -> AppResult<Response> {
    let survey = results::published_survey(&state.db, &municipality, id).await?.ok_or(AppError::NotFound)?;
    let computed = results::compute(&state.db, &municipality, &survey, &ResultsRequest::default()).await?;
    let districts = municipalities::districts(&state.db, &municipality).await?;
    let fallback = survey.definition.languages.first().copied().unwrap_or(municipality.default_language);
    let labels = Labels { language: context.language, fallback, survey: &survey, districts: &districts };
    let feedback = Feedback::of(&survey);
    Ok(crate::views::results::public_results(&state, &context, &computed, &feedback, &labels).into_response())
}
