//! Surveys: storing definitions, the lifecycle, and loading for residents.

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, QueryFilter, QueryOrder, Set,
};
use serde_json::json;

use crate::domain::survey::edit::{self, EditKind, FormValues};
use crate::domain::survey::file::{Audience, SurveyColumns, SurveyFile};
use crate::domain::survey::{LadderStep, Question, QuestionKind, Section, SurveyDefinition, Text, validate};
use crate::domain::validation::{FieldError, Invalid};
use crate::domain::{Language, Role, SecretToken};
use crate::email::approval::ApprovalRequestEmail;
use crate::entities::survey;
use crate::services::audit::{self, Actor};
use crate::services::outbox::{self, OutgoingEmail};
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
    /// Open surveys: each browser may answer once.
    pub one_answer_per_browser: bool,
    /// Author.
    pub created_by: Option<i32>,
    /// Approver.
    pub approved_by: Option<i32>,
    /// When a draft was sent for approval (seconds since the epoch).
    pub approval_requested_at: Option<i64>,
    /// Who sent it for approval.
    pub approval_requested_by: Option<i32>,
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
            one_answer_per_browser: model.one_answer_per_browser,
            created_by: model.created_by,
            approved_by: model.approved_by,
            approval_requested_at: model.approval_requested_at,
            approval_requested_by: model.approval_requested_by,
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
        one_answer_per_browser: Set(true),
        created_by: Set(actor.user_id()),
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
        SurveyStatus::Approved => active.approved_by = Set(actor.user_id()),
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

/// The settings of a survey as the file format and the edit forms see them.
pub fn columns_of(survey: &Survey) -> SurveyColumns {
    SurveyColumns {
        closes_on: survey.closes_on,
        ladder_step: survey.ladder_step,
        reminder_after_days: survey.reminder_after_days,
        max_reminders: survey.max_reminders,
        one_answer_per_browser: survey.one_answer_per_browser,
    }
}

fn audience(kind: SurveyKind) -> Audience {
    match kind {
        SurveyKind::Panel => Audience::Panel,
        SurveyKind::Open => Audience::Open,
    }
}

/// Store a changed definition and settings (no checks, no audit).
async fn store<C: ConnectionTrait>(
    db: &C,
    municipality: &Municipality,
    id: i32,
    definition: &SurveyDefinition,
    columns: &SurveyColumns,
) -> Result<(), DbErr> {
    let active = survey::ActiveModel {
        definition: Set(serde_json::to_string(definition).map_err(|e| DbErr::Custom(e.to_string()))?),
        compass_areas: Set(definition.compass_areas().iter().map(u8::to_string).collect::<Vec<_>>().join(",")),
        closes_on: Set(columns.closes_on.and_then(|d| d.format(DATE_FORMAT).ok())),
        ladder_step: Set(columns.ladder_step.map(|s| s.code().to_owned())),
        reminder_after_days: Set(columns.reminder_after_days),
        max_reminders: Set(columns.max_reminders),
        one_answer_per_browser: Set(columns.one_answer_per_browser),
        updated_at: Set(super::now()),
        ..Default::default()
    };
    municipality
        .update_many::<survey::Entity>()
        .set(active)
        .filter(sea_orm::ColumnTrait::eq(&survey::Column::Id, id))
        .exec(db)
        .await?;
    Ok(())
}

/// What a new survey starts from.
#[derive(Debug, Clone)]
pub struct NewSurvey {
    /// Title, in the first language.
    pub title: String,
    /// Survey languages (a subset of the municipality's).
    pub languages: Vec<Language>,
    /// Panel or open.
    pub kind: SurveyKind,
}

impl NewSurvey {
    /// Parse the "new survey" form against the municipality's languages.
    pub fn parse(
        municipality: &Municipality,
        title: &str,
        languages: &[String],
        kind: &str,
    ) -> Result<NewSurvey, Invalid> {
        let mut errors = Vec::new();
        if title.trim().is_empty() {
            errors.push(FieldError::new("title", "survey-error-title"));
        }
        let mut chosen: Vec<Language> =
            languages.iter().filter_map(|l| l.parse().ok()).filter(|l| municipality.offers(*l)).collect();
        chosen.sort();
        chosen.dedup();
        if chosen.is_empty() {
            errors.push(FieldError::new("languages", "survey-error-no-languages"));
        }
        let kind = match kind {
            "panel" => Some(SurveyKind::Panel),
            "open" => Some(SurveyKind::Open),
            _ => {
                errors.push(FieldError::new("kind", "survey-error-kind"));
                None
            }
        };
        Invalid::check(errors)?;
        // Put the municipality's default language first when chosen.
        if let Some(i) = chosen.iter().position(|l| *l == municipality.default_language) {
            chosen[..=i].rotate_right(1);
        }
        Ok(NewSurvey { title: title.trim().to_owned(), languages: chosen, kind: kind.unwrap_or(SurveyKind::Panel) })
    }
}

fn in_every(languages: &[Language], key: &str) -> Text {
    Text(languages.iter().map(|l| (*l, crate::i18n::t(*l, key))).collect())
}

/// Start a new draft: the title in every survey language, one page, and a
/// closing "anything else?" question that staff edit or replace.
pub async fn create_new(
    db: &DatabaseConnection,
    municipality: &Municipality,
    new: &NewSurvey,
    actor: Actor,
) -> Result<Survey, DbErr> {
    let languages = &new.languages;
    let definition = SurveyDefinition {
        languages: languages.clone(),
        title: Text(languages.iter().map(|l| (*l, new.title.clone())).collect()),
        purpose: Text::default(),
        influence: Text::default(),
        decided_by: Text::default(),
        decision_when: Text::default(),
        results_when: Text::default(),
        sections: vec![Section {
            key: "s1".into(),
            title: in_every(languages, "survey-new-section-title"),
            intro: Text::default(),
            show_if: None,
            questions: vec![Question {
                key: "q1".into(),
                text: in_every(languages, "survey-new-question-text"),
                help: Text::default(),
                required: false,
                dont_know: false,
                compass_area: None,
                ladder_step: None,
                show_if: None,
                kind: QuestionKind::LongText { max_length: None },
            }],
        }],
    };
    let settings = SurveySettings { kind: new.kind, closes_on: None, ladder_step: None };
    let transaction = crate::db::begin_write(db).await?;
    let survey = create_draft(&transaction, municipality, &definition, &settings, actor).await?;
    transaction.commit().await?;
    Ok(survey)
}

/// Why a file could not be imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The first problem in the file, with its JSON path.
    #[error("{}: {}", .0.field, .0.message)]
    Invalid(FieldError),
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// Create a draft from a survey file; nothing is written when the file is invalid.
pub async fn import_file(
    db: &DatabaseConnection,
    municipality: &Municipality,
    text: &str,
    actor: Actor,
) -> Result<Survey, ImportError> {
    let (file, columns) = SurveyFile::parse(text).map_err(ImportError::Invalid)?;
    let kind = match file.kind {
        Audience::Panel => SurveyKind::Panel,
        Audience::Open => SurveyKind::Open,
    };
    let settings = SurveySettings { kind, closes_on: columns.closes_on, ladder_step: columns.ladder_step };
    let transaction = crate::db::begin_write(db).await?;
    let created = create_draft(&transaction, municipality, &file.definition, &settings, actor).await?;
    store(&transaction, municipality, created.id, &file.definition, &columns).await?;
    audit::record(
        &transaction,
        Some(municipality.id),
        actor,
        "survey.import",
        &format!("survey:{}", created.id),
        json!({}),
    )
    .await?;
    let survey = load(&transaction, municipality, created.id).await?.ok_or(DbErr::RecordNotFound("survey".into()))?;
    transaction.commit().await?;
    Ok(survey)
}

/// The survey as a canonical survey file.
pub fn export_file(survey: &Survey) -> Result<String, serde_json::Error> {
    SurveyFile::new(audience(survey.kind), &columns_of(survey), survey.definition.clone()).to_canonical_json()
}

/// A new draft with the same definition and settings.
pub async fn duplicate(
    db: &DatabaseConnection,
    municipality: &Municipality,
    original: &Survey,
    actor: Actor,
) -> Result<Survey, DbErr> {
    let settings =
        SurveySettings { kind: original.kind, closes_on: original.closes_on, ladder_step: original.ladder_step };
    let transaction = crate::db::begin_write(db).await?;
    let copy = create_draft(&transaction, municipality, &original.definition, &settings, actor).await?;
    store(&transaction, municipality, copy.id, &original.definition, &columns_of(original)).await?;
    audit::record(
        &transaction,
        Some(municipality.id),
        actor,
        "survey.duplicate",
        &format!("survey:{}", copy.id),
        json!({ "from": original.id }),
    )
    .await?;
    let copy = load(&transaction, municipality, copy.id).await?.ok_or(DbErr::RecordNotFound("survey".into()))?;
    transaction.commit().await?;
    Ok(copy)
}

/// Why a change to a survey was refused.
#[derive(Debug, thiserror::Error)]
pub enum EditError {
    /// No such survey in this municipality.
    #[error("no such survey")]
    NotFound,
    /// The change is invalid; `candidate` is the survey as it would have been
    /// (when the form itself could be read), for showing the problems.
    #[error("{invalid}")]
    Invalid {
        /// What was wrong.
        invalid: Invalid,
        /// The definition and settings the change would have produced.
        candidate: Option<Box<(SurveyDefinition, SurveyColumns)>>,
    },
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbErr),
}

fn refused(field: &str, message: &'static str) -> EditError {
    EditError::Invalid { invalid: Invalid(vec![FieldError::new(field, message)]), candidate: None }
}

/// Apply one form of the edit page: drafts change freely (structure
/// checked), open surveys take only wording fixes, others nothing. Audited.
pub async fn apply_edit(
    db: &DatabaseConnection,
    municipality: &Municipality,
    id: i32,
    form: &FormValues,
    actor: Actor,
) -> Result<Survey, EditError> {
    let transaction = crate::db::begin_write(db).await?;
    let survey = load(&transaction, municipality, id).await?.ok_or(EditError::NotFound)?;
    let scale = |language: Language, n: usize| crate::i18n::t(language, &format!("survey-scale-{n}"));
    let edited = edit::apply(&survey.definition, &columns_of(&survey), form, &scale)
        .map_err(|invalid| EditError::Invalid { invalid, candidate: None })?;
    let action = match survey.status {
        SurveyStatus::Draft => format!("survey.{}", edited.action),
        SurveyStatus::Open
            if edited.kind == EditKind::Texts
                && edit::skeleton(&edited.definition) == edit::skeleton(&survey.definition)
                && edited.columns == columns_of(&survey) =>
        {
            // A wording fix may not leave residents without a text in their language.
            let missing: Vec<FieldError> = validate::missing_translations(&edited.definition)
                .into_iter()
                .map(|(path, language)| {
                    FieldError::new(path, "survey-approve-translation").with("language", language.native_name())
                })
                .collect();
            if !missing.is_empty() {
                return Err(EditError::Invalid {
                    invalid: Invalid(missing),
                    candidate: Some(Box::new((edited.definition, edited.columns))),
                });
            }
            "survey.text_fix".to_owned()
        }
        SurveyStatus::Open => return Err(refused("status", "survey-error-open-structure")),
        _ => return Err(refused("status", "survey-error-not-editable")),
    };
    let problems = validate::structure(&edited.definition);
    if !problems.is_empty() {
        return Err(EditError::Invalid {
            invalid: Invalid(problems),
            candidate: Some(Box::new((edited.definition, edited.columns))),
        });
    }
    store(&transaction, municipality, id, &edited.definition, &edited.columns).await?;
    let detail = json!({ "change": edited.action, "target": form.get("target") });
    audit::record(&transaction, Some(municipality.id), actor, &action, &format!("survey:{id}"), detail).await?;
    let survey = load(&transaction, municipality, id).await?.ok_or(EditError::NotFound)?;
    transaction.commit().await?;
    Ok(survey)
}

/// Every reason the survey cannot be approved by `approver` today.
pub fn approval_problems(survey: &Survey, approver: i32, today: time::Date) -> Vec<FieldError> {
    let mut problems = Vec::new();
    if survey.status != SurveyStatus::Draft {
        problems.push(FieldError::new("status", "survey-approve-not-draft"));
    }
    if survey.created_by == Some(approver) {
        problems.push(FieldError::new("status", "survey-approve-own"));
    }
    problems.extend(readiness_problems(survey, today));
    problems
}

/// What a draft still lacks before anyone can approve it: a valid
/// structure, every translation, a future closing date, a compass area and
/// a ladder step.
pub fn readiness_problems(survey: &Survey, today: time::Date) -> Vec<FieldError> {
    let mut problems = validate::structure(&survey.definition);
    let definition = &survey.definition;
    for (path, language) in validate::missing_translations(definition) {
        problems.push(FieldError::new(path, "survey-approve-translation").with("language", language.native_name()));
    }
    for language in &definition.languages {
        if !definition.results_when.has(*language) {
            problems.push(
                FieldError::new("results_when", "survey-approve-translation").with("language", language.native_name()),
            );
        }
    }
    if survey.closes_on.is_none_or(|d| d <= today) {
        problems.push(FieldError::new("closes_on", "survey-approve-closes-on"));
    }
    if definition.compass_areas().is_empty() {
        problems.push(FieldError::new("compass_area", "survey-approve-compass"));
    }
    if survey.ladder_step.is_none() {
        problems.push(FieldError::new("ladder_step", "survey-approve-ladder"));
    }
    problems
}

/// Send a draft for approval: it must be ready (see [`readiness_problems`]);
/// every other admin of the municipality gets an email with a link to it.
/// Asking again changes nothing and sends nothing. Audited.
pub async fn request_approval(
    db: &DatabaseConnection,
    municipality: &Municipality,
    base_url: &url::Url,
    id: i32,
    actor: Actor,
) -> Result<Survey, EditError> {
    let public_base = crate::services::municipalities::public_base_url(db, base_url, municipality).await?;
    let txn = crate::db::begin_write(db).await?;
    let survey = load(&txn, municipality, id).await?.ok_or(EditError::NotFound)?;
    if survey.status != SurveyStatus::Draft {
        return Err(refused("status", "survey-approve-not-draft"));
    }
    if survey.approval_requested_at.is_some() {
        return Ok(survey);
    }
    let problems = readiness_problems(&survey, today());
    if !problems.is_empty() {
        return Err(EditError::Invalid { invalid: Invalid(problems), candidate: None });
    }
    let requester_id = actor.user_id();
    let requester_name = match requester_id {
        Some(user_id) => crate::services::staff::display_name(&txn, municipality, user_id).await?,
        None => None,
    };
    municipality
        .update_many::<survey::Entity>()
        .col_expr(survey::Column::ApprovalRequestedAt, Expr::value(super::now()))
        .col_expr(survey::Column::ApprovalRequestedBy, Expr::value(requester_id))
        .filter(survey::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    let admins = municipality
        .find::<crate::entities::staff_user::Entity>()
        .filter(crate::entities::staff_user::Column::Role.eq(Role::Admin.as_str()))
        .filter(crate::entities::staff_user::Column::Disabled.eq(false))
        .all(&txn)
        .await?
        .into_iter()
        .filter(|admin| Some(admin.id) != requester_id)
        .collect::<Vec<_>>();
    let language = municipality.default_language;
    let survey_url = public_base.join(&format!("staff/surveys/{id}")).map(String::from).unwrap_or_default();
    for admin in &admins {
        let content = ApprovalRequestEmail {
            language,
            municipality: &municipality.name,
            survey_title: survey.definition.title.get(language, language),
            requested_by: requester_name.as_deref().unwrap_or("–"),
            survey_url: &survey_url,
        }
        .render();
        let email = OutgoingEmail {
            kind: "approval_request",
            to: admin.email.clone(),
            subject: content.subject,
            text: content.text,
            html: content.html,
            list_unsubscribe: None,
        };
        outbox::enqueue(&txn, Some(municipality), base_url, email).await?;
    }
    let detail = json!({ "admins_notified": admins.len() });
    audit::record(&txn, Some(municipality.id), actor, "survey.approval_requested", &format!("survey:{id}"), detail)
        .await?;
    let survey = load(&txn, municipality, id).await?.ok_or(EditError::NotFound)?;
    txn.commit().await?;
    outbox::wake_worker();
    Ok(survey)
}

/// A lifecycle step staff can take here (publishing belongs to results).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Draft → approved.
    Approve,
    /// Approved → open.
    Open,
    /// Open → closed.
    Close,
}

impl Step {
    /// Parse the step named in a URL.
    pub fn parse(name: &str) -> Option<Step> {
        match name {
            "approve" => Some(Step::Approve),
            "open" => Some(Step::Open),
            "close" => Some(Step::Close),
            _ => None,
        }
    }
}

/// What a successful step produced.
#[derive(Debug)]
pub struct StepDone {
    /// The survey afterwards.
    pub survey: Survey,
    /// The public link's token of an open survey just opened (shown once).
    pub public_token: Option<String>,
}

/// Take one lifecycle step, checking that it is allowed; audited through
/// [`set_status`].
pub async fn take_step(
    db: &DatabaseConnection,
    municipality: &Municipality,
    id: i32,
    step: Step,
    actor: Actor,
) -> Result<StepDone, EditError> {
    let transaction = crate::db::begin_write(db).await?;
    let survey = load(&transaction, municipality, id).await?.ok_or(EditError::NotFound)?;
    // A key answers to the account that created it: that account cannot
    // approve through a key what it wrote, and vice versa.
    let actor_id = actor.user_id().unwrap_or(0);
    let (target, problems) = match step {
        Step::Approve => (SurveyStatus::Approved, approval_problems(&survey, actor_id, today())),
        // Checked again: the closing date may have passed since approval.
        Step::Open if survey.status == SurveyStatus::Approved => {
            (SurveyStatus::Open, readiness_problems(&survey, today()))
        }
        Step::Open => (SurveyStatus::Open, vec![FieldError::new("status", "survey-open-not-approved")]),
        Step::Close if survey.status == SurveyStatus::Open => (SurveyStatus::Closed, Vec::new()),
        Step::Close => (SurveyStatus::Closed, vec![FieldError::new("status", "survey-close-not-open")]),
    };
    if !problems.is_empty() {
        return Err(EditError::Invalid { invalid: Invalid(problems), candidate: None });
    }
    set_status(&transaction, municipality, &survey, target, actor).await?;
    let mut public_token = None;
    if target == SurveyStatus::Open && survey.kind == SurveyKind::Open {
        let token = SecretToken::generate();
        municipality
            .update_many::<survey::Entity>()
            .set(survey::ActiveModel { public_token_hash: Set(Some(token.hash())), ..Default::default() })
            .filter(sea_orm::ColumnTrait::eq(&survey::Column::Id, id))
            .exec(&transaction)
            .await?;
        public_token = Some(token.reveal());
    }
    let survey = load(&transaction, municipality, id).await?.ok_or(EditError::NotFound)?;
    transaction.commit().await?;
    Ok(StepDone { survey, public_token })
}

/// Replace a draft's definition and settings with those of a survey file
/// (the kind must stay the same); an open survey takes the file only when
/// it changes nothing but wording. Nothing is written when the file is
/// invalid.
pub async fn replace_from_file(
    db: &DatabaseConnection,
    municipality: &Municipality,
    id: i32,
    text: &str,
    actor: Actor,
) -> Result<Survey, EditError> {
    let invalid = |error: FieldError| EditError::Invalid { invalid: Invalid(vec![error]), candidate: None };
    let (file, columns) = SurveyFile::parse(text).map_err(invalid)?;
    let transaction = crate::db::begin_write(db).await?;
    let survey = load(&transaction, municipality, id).await?.ok_or(EditError::NotFound)?;
    if file.kind != audience(survey.kind) {
        return Err(invalid(FieldError::new("kind", "survey-error-kind")));
    }
    let action = match survey.status {
        SurveyStatus::Draft => "survey.replace",
        // An open survey takes wording fixes only, as on the edit page.
        SurveyStatus::Open
            if edit::skeleton(&file.definition) == edit::skeleton(&survey.definition)
                && columns == columns_of(&survey) =>
        {
            if let Some((path, language)) = validate::missing_translations(&file.definition).into_iter().next() {
                let missing =
                    FieldError::new(path, "survey-approve-translation").with("language", language.native_name());
                return Err(invalid(missing));
            }
            "survey.text_fix"
        }
        SurveyStatus::Open => return Err(refused("status", "survey-error-open-structure")),
        _ => return Err(refused("status", "survey-error-not-editable")),
    };
    store(&transaction, municipality, id, &file.definition, &columns).await?;
    audit::record(&transaction, Some(municipality.id), actor, action, &format!("survey:{id}"), json!({})).await?;
    let survey = load(&transaction, municipality, id).await?.ok_or(EditError::NotFound)?;
    transaction.commit().await?;
    Ok(survey)
}
