//! Demo invitations: each open panel survey that nobody has been invited to
//! yet gets a stratified sample, so the outbox (`data/outbox`) holds
//! invitation emails with working personal links. Idempotent: a survey that
//! has a sample is left alone.

use sea_orm::{ColumnTrait, DatabaseConnection, QueryFilter};

use crate::domain::sampling::{Method, SampleRequest, Stratifier};
use crate::entities::{sample, survey};
use crate::services::audit::Actor;
use crate::services::invitations::{self, InviteError};
use crate::services::surveys::{SurveyKind, SurveyStatus};
use crate::services::tenant::Municipality;

/// Members drawn per demo survey (fewer if the panel is smaller).
const DEMO_SAMPLE_SIZE: usize = 60;
/// A fixed seed, so every fresh demo draws the same members.
const DEMO_SEED: u64 = 2026;

/// Invite a sample to every open panel survey without invitations.
pub async fn seed(db: &DatabaseConnection, base_url: &url::Url, municipality: &Municipality) -> anyhow::Result<()> {
    let open = municipality
        .find::<survey::Entity>()
        .filter(survey::Column::Status.eq(SurveyStatus::Open.code()))
        .filter(survey::Column::Kind.eq(SurveyKind::Panel.code()))
        .all(db)
        .await?;
    for row in open {
        let has_sample =
            municipality.find::<sample::Entity>().filter(sample::Column::SurveyId.eq(row.id)).one(db).await?.is_some();
        if has_sample {
            continue;
        }
        let request = SampleRequest {
            method: Method::Stratified { size: DEMO_SAMPLE_SIZE, by: vec![Stratifier::District] },
            seed: DEMO_SEED,
            soft_launch_percent: None,
            release_after_hours: crate::domain::sampling::DEFAULT_RELEASE_AFTER_HOURS,
        };
        match invitations::send(db, base_url, municipality, row.id, &request, Actor::System).await {
            Ok(_) | Err(InviteError::Invalid(_)) | Err(InviteError::AlreadySent(_)) => {}
            Err(error) => return Err(error.into()),
        }
    }
    Ok(())
}
