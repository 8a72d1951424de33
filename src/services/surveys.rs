//! Surveys: storing definitions, the lifecycle, and loading for residents.

use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, QueryFilter, QueryOrder, Set};
use serde_json::json;

use crate::domain::survey::{LadderStep, SurveyDefinition};
use crate::entities::survey;
use crate::services::audit::{self, Actor};
use crate::services::tenant::Municipality;

/// Where a survey is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SurveyStatus {
    /// Being written; can change freely.
    Draft,
    /// Approved by an admin other than the author; not yet open.
    Approved,
    /// Open for answers.
    Open,
    /// No more answers; results being prepared.
    Closed,
    /// Results and feedback are public.
    Published,
}

impl SurveyStatus {
    /// The code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            SurveyStatus::Draft => "draft",
            SurveyStatus::Approved => "approved",
            SurveyStatus::Open => "open",
            SurveyStatus::Closed => "closed",
            SurveyStatus::Published => "published",
        }
    }

    /// Parse a stored code.
    pub fn parse(code: &str) -> Option<Self> {
        [Self::Draft, Self::Approved, Self::Open, Self::Closed, Self::Published].into_iter().find(|s| s.code() == code)
    }
}

/// Who a survey is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SurveyKind {
    /// Panel members, by personal invitation.
    Panel,
    /// Anyone with the public link ("open" survey), reported separately.
    Open,
}

impl SurveyKind {
    /// The code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            SurveyKind::Panel => "panel",
            SurveyKind::Open => "open",
        }
    }
}

/// A survey with its parsed definition.
#[derive(Debug, Clone, PartialEq)]
pub struct Survey {
    /// Database id.
    pub id: i32,
    /// Owning municipality.
    pub municipality_id: i32,
    /// Lifecycle state.
    pub status: SurveyStatus,
    /// Panel or open.
    pub kind: SurveyKind,
    /// Questions and texts.
    pub definition: SurveyDefinition,
    /// Last day answers are accepted (`YYYY-MM-DD`).
    pub closes_on: Option<time::Date>,
    /// Participation-ladder step of the survey.
    pub ladder_step: Option<LadderStep>,
    /// Days before the first reminder.
    pub reminder_after_days: i32,
    /// Most reminders per invitation.
    pub max_reminders: i32,
    /// Author.
    pub created_by: Option<i32>,
    /// Approver.
    pub approved_by: Option<i32>,
    /// When it opened, closed and was published (seconds since the epoch).
    pub opened_at: Option<i64>,
    /// See `opened_at`.
    pub closed_at: Option<i64>,
    /// See `opened_at`.
    pub published_at: Option<i64>,
    /// Feedback texts as JSON (what we heard / will do / did).
    pub feedback: Option<serde_json::Value>,
    /// Hash of the public link's token, for open surveys.
    pub public_token_hash: Option<String>,
}

/// The date format used in the database and files.
pub const DATE_FORMAT: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]");

impl Survey {
    /// Parse a database row.
    pub fn from_model(model: survey::Model) -> Result<Self, DbErr> {
        let corrupt = |what: &str| DbErr::Custom(format!("survey {}: invalid {what}", model.id));
        let definition: SurveyDefinition =
            serde_json::from_str(&model.definition).map_err(|_| corrupt("definition"))?;
        Ok(Self {
            id: model.id,
            municipality_id: model.municipality_id,
            status: SurveyStatus::parse(&model.status).ok_or_else(|| corrupt("status"))?,
            kind: if model.kind == "open" { SurveyKind::Open } else { SurveyKind::Panel },
            definition,
            closes_on: model
                .closes_on
                .as_deref()
                .map(|d| time::Date::parse(d, DATE_FORMAT))
                .transpose()
                .map_err(|_| corrupt("closes_on"))?,
            ladder_step: model.ladder_step.as_deref().and_then(LadderStep::parse),
            reminder_after_days: model.reminder_after_days,
            max_reminders: model.max_reminders,
            created_by: model.created_by,
            approved_by: model.approved_by,
            opened_at: model.opened_at,
            closed_at: model.closed_at,
            published_at: model.published_at,
            feedback: model.feedback.as_deref().and_then(|f| serde_json::from_str(f).ok()),
            public_token_hash: model.public_token_hash,
        })
    }

    /// Whether answers are accepted today.
    pub fn accepts_answers(&self, today: time::Date) -> bool {
        self.status == SurveyStatus::Open && self.closes_on.is_none_or(|last| today <= last)
    }
}

/// Today's date in UTC.
pub fn today() -> time::Date {
    time::OffsetDateTime::now_utc().date()
}

/// A survey of the municipality.
pub async fn load<C: ConnectionTrait>(db: &C, municipality: &Municipality, id: i32) -> Result<Option<Survey>, DbErr> {
    municipality
        .find::<survey::Entity>()
        .filter(sea_orm::ColumnTrait::eq(&survey::Column::Id, id))
        .one(db)
        .await?
        .map(Survey::from_model)
        .transpose()
}

/// Every survey of the municipality, newest first.
pub async fn list<C: ConnectionTrait>(db: &C, municipality: &Municipality) -> Result<Vec<Survey>, DbErr> {
    municipality
        .find::<survey::Entity>()
        .order_by_desc(survey::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(Survey::from_model)
        .collect()
}

/// Settings of a survey besides its definition.
#[derive(Debug, Clone)]
pub struct SurveySettings {
    /// Panel or open.
    pub kind: SurveyKind,
    /// Last day answers are accepted.
    pub closes_on: Option<time::Date>,
    /// Participation-ladder step.
    pub ladder_step: Option<LadderStep>,
}

/// Store a new draft. The definition must already have passed
/// `validate::structure`.
pub async fn create_draft<C: ConnectionTrait>(
    db: &C,
    municipality: &Municipality,
    definition: &SurveyDefinition,
    settings: &SurveySettings,
    actor: Actor,
) -> Result<Survey, DbErr> {
    let now = super::now();
    let model = survey::ActiveModel {
        municipality_id: Set(municipality.id),
        status: Set(SurveyStatus::Draft.code().to_owned()),
        kind: Set(settings.kind.code().to_owned()),
        definition: Set(serde_json::to_string(definition).map_err(|e| DbErr::Custom(e.to_string()))?),
        closes_on: Set(settings.closes_on.and_then(|d| d.format(DATE_FORMAT).ok())),
        compass_areas: Set(definition.compass_areas().iter().map(u8::to_string).collect::<Vec<_>>().join(",")),
        ladder_step: Set(settings.ladder_step.map(|s| s.code().to_owned())),
        public_token_hash: Set(None),
        reminder_after_days: Set(7),
        max_reminders: Set(2),
        created_by: Set(match actor {
            Actor::Staff { user_id } => Some(user_id),
            _ => None,
        }),
        approved_by: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        opened_at: Set(None),
        closed_at: Set(None),
        published_at: Set(None),
        feedback: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    audit::record(db, Some(municipality.id), actor, "survey.create", &format!("survey:{}", model.id), json!({}))
        .await?;
    Survey::from_model(model)
}

/// Move a survey to another lifecycle state, stamping the time and writing an
/// audit row. Checks of who may do this and whether it is allowed belong to
/// the caller.
pub async fn set_status<C: ConnectionTrait>(
    db: &C,
    municipality: &Municipality,
    survey: &Survey,
    status: SurveyStatus,
    actor: Actor,
) -> Result<(), DbErr> {
    let now = super::now();
    let mut active = survey::ActiveModel {
        id: Set(survey.id),
        status: Set(status.code().to_owned()),
        updated_at: Set(now),
        ..Default::default()
    };
    match status {
        SurveyStatus::Approved => {
            active.approved_by = Set(match actor {
                Actor::Staff { user_id } => Some(user_id),
                _ => None,
            })
        }
        SurveyStatus::Open => active.opened_at = Set(Some(now)),
        SurveyStatus::Closed => active.closed_at = Set(Some(now)),
        SurveyStatus::Published => active.published_at = Set(Some(now)),
        SurveyStatus::Draft => {}
    }
    municipality
        .update_many::<survey::Entity>()
        .set(active)
        .filter(sea_orm::ColumnTrait::eq(&survey::Column::Id, survey.id))
        .exec(db)
        .await?;
    audit::record(
        db,
        Some(municipality.id),
        actor,
        &format!("survey.{}", status.code()),
        &format!("survey:{}", survey.id),
        json!({ "from": survey.status.code() }),
    )
    .await
}
