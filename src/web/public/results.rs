//! Public results and feedback pages.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::error::{AppError, AppResult};
use crate::services::results::{self, Breakdown, Channel, Feedback, ResultsRequest};
use crate::views::results::Labels;
use crate::web::context::{RequestContext, Tenant};
use crate::web::state::AppState;

/// Routes of this part.
pub fn routes() -> Router<AppState> {
    Router::new().route("/results/{id}", get(show_results))
}

/// `GET /results/{id}?breakdown=…&channel=…`: only for published surveys; 404 otherwise.
async fn show_results(
    State(state): State<AppState>,
    context: RequestContext,
    Tenant(municipality): Tenant,
    Path(id): Path<i32>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> AppResult<Response> {
    let survey = results::published_survey(&state.db, &municipality, id).await?.ok_or(AppError::NotFound)?;
    let code = pairs.iter().find(|(k, _)| k == "breakdown").map_or("", |(_, v)| v.as_str());
    let channel = pairs.iter().find(|(k, _)| k == "channel").and_then(|(_, v)| Channel::parse(v));
    let request = ResultsRequest { breakdown: Breakdown::parse_public(code), channel, ..ResultsRequest::default() };
    let (computed, districts) = results::compute_labelled(&state.db, &municipality, &survey, &request).await?;
    let labels = Labels::new(context.language, &survey, municipality.default_language, &districts);
    let feedback = Feedback::of(&survey);
    Ok(crate::views::results::public_results(&state, &context, &computed, &feedback, &labels).into_response())
}
