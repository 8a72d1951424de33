//! Invitations: who is eligible, drawing and previewing a sample, sending
//! personal links (with a soft launch), reminders, and bounced addresses.
//!
//! Every email is queued in the same transaction as the invitation rows it
//! belongs to. Links carry a fresh 128-bit token whose SHA-256 is the only
//! thing stored; a reminder therefore carries a new token, stored as a
//! `reminder_link`, and every link sent for an invitation keeps working
//! until the survey closes.

use std::collections::{BTreeMap, HashMap, HashSet};

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, FromQueryResult,
    JoinType, QueryFilter, QueryOrder, QuerySelect, RelationDef, Set,
};
use serde_json::json;

use crate::domain::sampling::{self, Candidate, Caps, Drawn, Exclusion, MemberFacts, SampleRequest, Stratifier};
use crate::domain::validation::{FieldError, Invalid};
use crate::domain::{AgeBand, Email, Gender, Language, SecretToken};
use crate::email::invitation::{InvitationEmail, Kind};
use crate::entities::{invitation, member, outbox_email, reminder_link, sample};
use crate::services::audit::{self, Actor};
use crate::services::surveys::{self, Survey, SurveyStatus};
use crate::services::tenant::Municipality;
use crate::services::{municipalities, outbox, panel};

const DAY: i64 = 24 * 3600;

/// Why invitations were not sent.
#[derive(Debug, thiserror::Error)]
pub enum InviteError {
    /// The request cannot be carried out (survey not open, nobody eligible …).
    #[error(transparent)]
    Invalid(#[from] Invalid),
    /// This exact sample (same seed) was sent already: a repeated submission.
    #[error("sample {0} was sent already")]
    AlreadySent(i32),
    /// No such survey or sample in this municipality.
    #[error("not found")]
    NotFound,
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// The panel as the sampler sees it for one survey.
#[derive(Debug, Clone, Default)]
pub struct Panel {
    /// Members who may be invited.
    pub eligible: Vec<Candidate>,
    /// How many members are left out, by reason.
    pub excluded: BTreeMap<Exclusion, usize>,
}

/// Members who may be invited to `survey_id` now, and how many may not and why.
pub async fn panel_for<C: ConnectionTrait>(
    db: &C,
    municipality: &Municipality,
    survey_id: i32,
    now: i64,
) -> Result<Panel, DbErr> {
    let members = municipality.find::<member::Entity>().order_by_asc(member::Column::Id).all(db).await?;
    let history = municipality
        .find::<invitation::Entity>()
        .filter(invitation::Column::MemberId.is_not_null())
        .filter(
            Condition::any()
                .add(invitation::Column::CreatedAt.gt(now - 365 * DAY))
                .add(invitation::Column::SurveyId.eq(survey_id)),
        )
        .all(db)
        .await?;
    let mut invited_at: HashMap<i32, Vec<i64>> = HashMap::new();
    let mut this_survey: HashSet<i32> = HashSet::new();
    for row in history {
        let Some(member_id) = row.member_id else { continue };
        if row.survey_id == survey_id {
            this_survey.insert(member_id);
        }
        invited_at.entry(member_id).or_default().push(row.created_at);
    }
    let today_date =
        time::OffsetDateTime::from_unix_timestamp(now).map(|t| t.date()).unwrap_or_else(|_| surveys::today());
    let today = today_date.format(surveys::DATE_FORMAT).unwrap_or_default();
    let caps = Caps {
        max_per_year: municipality.max_invitations_per_year,
        min_days_between: municipality.min_days_between_invitations,
    };
    let mut panel = Panel::default();
    for member in members {
        let facts = MemberFacts {
            status: &member.status,
            paused_until: member.paused_until.as_deref(),
            email_invalid: member.email_invalid,
            invited_to_this_survey: this_survey.contains(&member.id),
            invited_at: invited_at.get(&member.id).map_or(&[], Vec::as_slice),
        };
        match sampling::exclusion(&facts, &today, now, caps) {
            Some(reason) => *panel.excluded.entry(reason).or_default() += 1,
            None => panel.eligible.push(Candidate {
                member_id: member.id,
                district: member.district.clone(),
                age_band: AgeBand::for_age(today_date.year() - member.birth_year),
                gender: member.gender.parse::<Gender>().ok(),
            }),
        }
    }
    Ok(panel)
}

/// One category in the composition table.
#[derive(Debug, Clone, PartialEq)]
pub struct CompositionRow {
    /// The category's code (district code, age band, gender).
    pub value: String,
    /// District name (for districts; the code otherwise).
    pub label: String,
    /// Members drawn.
    pub sample: usize,
    /// Eligible members.
    pub eligible: usize,
    /// Residents in the population margins.
    pub population: i64,
}

/// A drawn sample before it is sent, with how it compares.
#[derive(Debug, Clone)]
pub struct Preview {
    /// The request, with its seed, so sending draws the same members.
    pub request: SampleRequest,
    /// The members drawn.
    pub drawn: Vec<Drawn>,
    /// Eligible members.
    pub eligible: usize,
    /// Members left out, by reason.
    pub excluded: BTreeMap<Exclusion, usize>,
    /// Sample vs eligible panel vs population, by dimension.
    pub composition: Vec<(Stratifier, Vec<CompositionRow>)>,
}

impl Preview {
    /// How many go out at once (wave 1).
    pub fn first_wave(&self) -> usize {
        self.drawn.iter().filter(|d| d.wave == 1).count()
    }
}

/// The survey of this municipality, if it exists.
pub async fn survey(
    db: &DatabaseConnection,
    municipality: &Municipality,
    survey_id: i32,
) -> Result<Survey, InviteError> {
    surveys::load(db, municipality, survey_id).await?.ok_or(InviteError::NotFound)
}

fn require_open(survey: &Survey) -> Result<(), Invalid> {
    if survey.accepts_answers(surveys::today()) {
        Ok(())
    } else {
        Err(Invalid(vec![FieldError::new("method", "invitations-error-not-open")]))
    }
}

/// Draw the sample and compare it with the eligible panel and the population.
pub async fn preview(
    db: &DatabaseConnection,
    municipality: &Municipality,
    survey: &Survey,
    request: &SampleRequest,
) -> Result<Preview, InviteError> {
    require_open(survey)?;
    let panel = panel_for(db, municipality, survey.id, super::now()).await?;
    let drawn = sampling::draw(&panel.eligible, request);
    let composition = composition(db, municipality, &panel.eligible, &drawn).await?;
    Ok(Preview {
        request: request.clone(),
        drawn,
        eligible: panel.eligible.len(),
        excluded: panel.excluded,
        composition,
    })
}

async fn composition(
    db: &DatabaseConnection,
    municipality: &Municipality,
    eligible: &[Candidate],
    drawn: &[Drawn],
) -> Result<Vec<(Stratifier, Vec<CompositionRow>)>, DbErr> {
    let districts = municipalities::districts(db, municipality).await?;
    let margins = municipalities::margins(db, municipality).await?;
    let chosen: HashSet<i32> = drawn.iter().map(|d| d.member_id).collect();
    let mut tables = Vec::new();
    for by in Stratifier::ALL {
        let categories: Vec<(String, String)> = match by {
            Stratifier::District => districts.iter().map(|d| (d.code.clone(), d.name.clone())).collect(),
            Stratifier::AgeBand => {
                AgeBand::ALL.iter().map(|b| (b.as_str().to_owned(), b.as_str().to_owned())).collect()
            }
            Stratifier::Gender => [Gender::Female, Gender::Male, Gender::Other]
                .iter()
                .map(|g| (g.as_str().to_owned(), g.as_str().to_owned()))
                .collect(),
        };
        let mut rows: Vec<CompositionRow> = categories
            .into_iter()
            .map(|(value, label)| {
                let population = margins
                    .iter()
                    .filter(|m| match by {
                        Stratifier::District => m.district_code == value,
                        Stratifier::AgeBand => m.age_band == value,
                        Stratifier::Gender => m.gender == value,
                    })
                    .map(|m| m.population)
                    .sum();
                CompositionRow { value, label, sample: 0, eligible: 0, population }
            })
            .collect();
        for candidate in eligible {
            let value = candidate.value(by);
            let index = match rows.iter().position(|r| r.value == value) {
                Some(index) => index,
                None => {
                    rows.push(CompositionRow { label: value.clone(), value, sample: 0, eligible: 0, population: 0 });
                    rows.len() - 1
                }
            };
            rows[index].eligible += 1;
            if chosen.contains(&candidate.member_id) {
                rows[index].sample += 1;
            }
        }
        tables.push((by, rows));
    }
    Ok(tables)
}

/// What was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendOutcome {
    /// The recorded sample.
    pub sample_id: i32,
    /// Invitations created.
    pub invited: usize,
    /// Emails queued now (wave 1).
    pub queued: usize,
    /// Whether the emails are being queued in the background.
    pub background: bool,
}

struct LinkContext<'a> {
    municipality: &'a Municipality,
    survey: &'a Survey,
    base_url: &'a url::Url,
    public_base: &'a url::Url,
}

/// Give an invitation a fresh token and queue its email. Returns `false`
/// when the row changed meanwhile (another worker got there first).
async fn queue_email<C: ConnectionTrait>(
    db: &C,
    links: &LinkContext<'_>,
    row: &invitation::Model,
    member: &member::Model,
    kind: Kind,
    now: i64,
) -> Result<bool, DbErr> {
    let token = SecretToken::generate();
    let update = links.municipality.update_many::<invitation::Entity>().filter(invitation::Column::Id.eq(row.id));
    let update = match kind {
        // The first email's link replaces the placeholder hash.
        Kind::Invitation => update
            .col_expr(invitation::Column::TokenHash, Expr::value(token.hash()))
            .col_expr(invitation::Column::SentAt, Expr::value(now))
            .filter(invitation::Column::SentAt.is_null()),
        Kind::Reminder => update
            .col_expr(invitation::Column::RemindersSent, Expr::value(row.reminders_sent + 1))
            .col_expr(invitation::Column::LastReminderAt, Expr::value(now))
            .filter(invitation::Column::RemindersSent.eq(row.reminders_sent))
            .filter(invitation::Column::Completed.eq(false)),
    };
    if update.exec(db).await?.rows_affected != 1 {
        return Ok(false);
    }
    if kind == Kind::Reminder {
        // A reminder's link is one more way in; the earlier links keep working.
        reminder_link::ActiveModel {
            municipality_id: Set(links.municipality.id),
            invitation_id: Set(row.id),
            token_hash: Set(token.hash()),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    let municipality = links.municipality;
    let language = member
        .language
        .parse::<Language>()
        .ok()
        .filter(|l| municipality.offers(*l))
        .unwrap_or(municipality.default_language);
    let link = format!("{}s/{}", links.public_base.as_str(), token.reveal());
    let unsubscribe = panel::unsubscribe_url(db, municipality, links.public_base, member.id).await?;
    let email = InvitationEmail {
        kind,
        language,
        fallback: municipality.default_language,
        municipality: &municipality.name,
        survey: links.survey,
        to: &member.email,
        link: &link,
        unsubscribe: &unsubscribe,
    }
    .render();
    let email_id = outbox::enqueue(db, Some(municipality), links.base_url, email).await?;
    municipality
        .update_many::<invitation::Entity>()
        .col_expr(invitation::Column::LastEmailId, Expr::value(email_id))
        .filter(invitation::Column::Id.eq(row.id))
        .exec(db)
        .await?;
    Ok(true)
}

async fn members_by_id<C: ConnectionTrait>(
    db: &C,
    municipality: &Municipality,
    ids: impl IntoIterator<Item = i32>,
) -> Result<HashMap<i32, member::Model>, DbErr> {
    let ids: Vec<i32> = ids.into_iter().collect();
    let mut found = HashMap::new();
    for chunk in ids.chunks(500) {
        for row in
            municipality.find::<member::Entity>().filter(member::Column::Id.is_in(chunk.to_vec())).all(db).await?
        {
            found.insert(row.id, row);
        }
    }
    Ok(found)
}

/// Draw a sample, record it with one invitation per member, and queue the
/// first wave's emails. Runs once per seed: the same request again is
/// [`InviteError::AlreadySent`].
pub async fn send(
    db: &DatabaseConnection,
    base_url: &url::Url,
    municipality: &Municipality,
    survey_id: i32,
    request: &SampleRequest,
    actor: Actor,
) -> Result<SendOutcome, InviteError> {
    send_with_progress(db, base_url, municipality, survey_id, request, actor, &mut |_, _| {}).await
}

/// As [`send`], calling `progress(queued so far, to queue)` after each batch
/// of emails. The sample and its invitations are written in one short
/// transaction; the emails follow in batches of [`EMAIL_BATCH`], each batch
/// in its own transaction with the invitations it marks sent, so a large
/// sample never holds the database for long. Should the process stop
/// between batches, the worker queues the rest ([`queue_unsent`]).
pub async fn send_with_progress(
    db: &DatabaseConnection,
    base_url: &url::Url,
    municipality: &Municipality,
    survey_id: i32,
    request: &SampleRequest,
    actor: Actor,
    progress: &mut (dyn FnMut(usize, usize) + Send),
) -> Result<SendOutcome, InviteError> {
    let recorded = Recorded::new(db, base_url, municipality, survey_id, request, actor).await?;
    let queued = recorded.queue(db, base_url, municipality, progress).await?;
    Ok(recorded.outcome(queued, false))
}

/// A sample just recorded, with what its emails need.
struct Recorded {
    survey: Survey,
    sample: sample::Model,
    /// Invitations in the first wave (all of them without a soft launch).
    first_wave: usize,
    public_base: url::Url,
}

impl Recorded {
    /// Draw and record the sample with its invitations (no emails yet).
    async fn new(
        db: &DatabaseConnection,
        base_url: &url::Url,
        municipality: &Municipality,
        survey_id: i32,
        request: &SampleRequest,
        actor: Actor,
    ) -> Result<Self, InviteError> {
        let public_base = municipalities::public_base_url(db, base_url, municipality).await?;
        let (survey, sample, first_wave) = record_sample(db, municipality, survey_id, request, actor).await?;
        Ok(Self { survey, sample, first_wave, public_base })
    }

    /// Queue the first wave's emails (all of them without a soft launch).
    async fn queue(
        &self,
        db: &DatabaseConnection,
        base_url: &url::Url,
        municipality: &Municipality,
        progress: &mut (dyn FnMut(usize, usize) + Send),
    ) -> Result<usize, DbErr> {
        let links = LinkContext { municipality, survey: &self.survey, base_url, public_base: &self.public_base };
        let first_wave_only = self.sample.release_at.is_some();
        let queued = queue_waiting(db, &links, self.sample.id, first_wave_only, progress).await?;
        outbox::wake_worker();
        Ok(queued)
    }

    fn outcome(&self, queued: usize, background: bool) -> SendOutcome {
        let invited = usize::try_from(self.sample.drawn).unwrap_or_default();
        SendOutcome { sample_id: self.sample.id, invited, queued, background }
    }
}

/// Emails queued per transaction.
pub const EMAIL_BATCH: usize = 200;

/// First waves larger than this are queued in the background when sent from
/// the staff page, so the page answers at once.
pub const BACKGROUND_FROM: usize = 500;

/// As [`send`] for the staff page: a first wave of up to [`BACKGROUND_FROM`]
/// emails is queued before returning; a larger one by a background task
/// (and, should that stop, by the schedule), and `background` is set.
pub async fn send_from_page(
    db: &DatabaseConnection,
    base_url: &url::Url,
    municipality: &Municipality,
    survey_id: i32,
    request: &SampleRequest,
    actor: Actor,
) -> Result<SendOutcome, InviteError> {
    let recorded = Recorded::new(db, base_url, municipality, survey_id, request, actor).await?;
    if recorded.first_wave <= BACKGROUND_FROM {
        let queued = recorded.queue(db, base_url, municipality, &mut |_, _| {}).await?;
        return Ok(recorded.outcome(queued, false));
    }
    let outcome = recorded.outcome(0, true);
    let (db, base_url, municipality) = (db.clone(), base_url.clone(), municipality.clone());
    tokio::spawn(async move {
        let sample = recorded.sample.id;
        match recorded.queue(&db, &base_url, &municipality, &mut |_, _| {}).await {
            Ok(queued) => tracing::info!(sample, queued, "invitation emails queued in the background"),
            Err(error) => tracing::warn!(sample, error = %error, "queuing stopped; the schedule finishes it"),
        }
    });
    Ok(outcome)
}

/// Draw the sample and write it with its invitations (no emails yet).
async fn record_sample(
    db: &DatabaseConnection,
    municipality: &Municipality,
    survey_id: i32,
    request: &SampleRequest,
    actor: Actor,
) -> Result<(Survey, sample::Model, usize), InviteError> {
    let txn = crate::db::begin_write(db).await?;
    let survey = surveys::load(&txn, municipality, survey_id).await?.ok_or(InviteError::NotFound)?;
    require_open(&survey)?;
    let seed =
        i64::try_from(request.seed).map_err(|_| Invalid(vec![FieldError::new("seed", "invitations-error-seed")]))?;
    if let Some(existing) = municipality
        .find::<sample::Entity>()
        .filter(sample::Column::SurveyId.eq(survey.id))
        .filter(sample::Column::Seed.eq(seed))
        .filter(sample::Column::Method.eq(request.method.code()))
        .one(&txn)
        .await?
    {
        return Err(InviteError::AlreadySent(existing.id));
    }
    let now = super::now();
    let panel = panel_for(&txn, municipality, survey.id, now).await?;
    let drawn = sampling::draw(&panel.eligible, request);
    if drawn.is_empty() {
        return Err(Invalid(vec![FieldError::new("method", "invitations-error-nobody")]).into());
    }
    let soft_launch = drawn.iter().any(|d| d.wave == 2);
    let sample_row = sample::ActiveModel {
        municipality_id: Set(municipality.id),
        survey_id: Set(survey.id),
        method: Set(request.method.code().to_owned()),
        strata: Set(request.method.strata_text()),
        seed: Set(seed),
        requested: Set(request.method.requested().map_or(drawn.len(), |n| n).try_into().unwrap_or(i32::MAX)),
        drawn: Set(drawn.len().try_into().unwrap_or(i32::MAX)),
        created_by: Set(actor.user_id()),
        created_at: Set(now),
        release_at: Set(soft_launch.then_some(now + i64::from(request.release_after_hours) * 3600)),
        release_held: Set(false),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    for chunk in drawn.chunks(500) {
        let rows = chunk.iter().map(|chosen| invitation::ActiveModel {
            municipality_id: Set(municipality.id),
            survey_id: Set(survey.id),
            sample_id: Set(Some(sample_row.id)),
            member_id: Set(Some(chosen.member_id)),
            // Replaced by the hash of the token that is actually sent.
            token_hash: Set(SecretToken::generate().hash()),
            stratum: Set(chosen.stratum.clone()),
            wave: Set(chosen.wave),
            created_at: Set(now),
            sent_at: Set(None),
            reminders_sent: Set(0),
            last_reminder_at: Set(None),
            completed: Set(false),
            draft: Set(None),
            draft_page: Set(0),
            ..Default::default()
        });
        invitation::Entity::insert_many(rows).exec(&txn).await?;
    }
    let first_wave = drawn.iter().filter(|d| d.wave == 1).count();
    audit::record(
        &txn,
        Some(municipality.id),
        actor,
        "invitations.send",
        &format!("survey:{}", survey.id),
        json!({
            "sample": sample_row.id,
            "method": request.method.code(),
            "strata": request.method.strata_text(),
            "seed": seed,
            "drawn": drawn.len(),
            "first_wave": first_wave,
        }),
    )
    .await?;
    txn.commit().await?;
    Ok((survey, sample_row, first_wave))
}

/// Queue the email of every invitation of a sample not sent yet (only wave 1
/// when `first_wave_only`), in batches of [`EMAIL_BATCH`], each in its own
/// transaction. Members who left, paused their address or bounce are
/// skipped. Safe to run twice at once: an invitation is marked sent in the
/// same statement that checks it was not.
async fn queue_waiting(
    db: &DatabaseConnection,
    links: &LinkContext<'_>,
    sample_id: i32,
    first_wave_only: bool,
    progress: &mut (dyn FnMut(usize, usize) + Send),
) -> Result<usize, DbErr> {
    let mut query = links
        .municipality
        .find::<invitation::Entity>()
        .filter(invitation::Column::SampleId.eq(sample_id))
        .filter(invitation::Column::SentAt.is_null())
        .order_by_asc(invitation::Column::Id);
    if first_wave_only {
        query = query.filter(invitation::Column::Wave.eq(1));
    }
    let waiting = query.all(db).await?;
    let now = super::now();
    let mut queued = 0;
    for (batch, chunk) in waiting.chunks(EMAIL_BATCH).enumerate() {
        let txn = crate::db::begin_write(db).await?;
        let members = members_by_id(&txn, links.municipality, chunk.iter().filter_map(|i| i.member_id)).await?;
        for row in chunk {
            let Some(member) = row.member_id.and_then(|id| members.get(&id)) else { continue };
            if member.status != "active" || member.email_invalid {
                continue;
            }
            if queue_email(&txn, links, row, member, Kind::Invitation, now).await? {
                queued += 1;
            }
        }
        txn.commit().await?;
        progress(((batch + 1) * EMAIL_BATCH).min(waiting.len()), waiting.len());
    }
    Ok(queued)
}

/// Send the rest of a soft launch (wave 2) now. Returns the emails queued;
/// running it again queues nothing.
pub async fn release(
    db: &DatabaseConnection,
    base_url: &url::Url,
    municipality: &Municipality,
    survey_id: i32,
    sample_id: i32,
    actor: Actor,
) -> Result<usize, InviteError> {
    let public_base = municipalities::public_base_url(db, base_url, municipality).await?;
    let survey = surveys::load(db, municipality, survey_id).await?.ok_or(InviteError::NotFound)?;
    municipality
        .find::<sample::Entity>()
        .filter(sample::Column::Id.eq(sample_id))
        .filter(sample::Column::SurveyId.eq(survey.id))
        .one(db)
        .await?
        .ok_or(InviteError::NotFound)?;
    require_open(&survey)?;
    let txn = crate::db::begin_write(db).await?;
    municipality
        .update_many::<sample::Entity>()
        .col_expr(sample::Column::ReleaseAt, Expr::value(Option::<i64>::None))
        .filter(sample::Column::Id.eq(sample_id))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        Some(municipality.id),
        actor,
        "invitations.release",
        &format!("survey:{}", survey.id),
        json!({ "sample": sample_id }),
    )
    .await?;
    txn.commit().await?;
    let links = LinkContext { municipality, survey: &survey, base_url, public_base: &public_base };
    let queued = queue_waiting(db, &links, sample_id, false, &mut |_, _| {}).await?;
    outbox::wake_worker();
    Ok(queued)
}

/// Queue what a stopped process left unsent: invitations of open surveys'
/// samples recorded more than `settle` seconds ago whose wave is due (wave 1,
/// or any wave once the soft launch was released) and whose email was never
/// queued. Returns the emails queued.
pub async fn queue_unsent(db: &DatabaseConnection, base_url: &url::Url, now: i64, settle: i64) -> Result<usize, DbErr> {
    let mut queued = 0;
    for municipality in municipalities::list(db).await? {
        let today = surveys::today();
        let mut open: HashMap<i32, Survey> = HashMap::new();
        for model in municipality
            .find::<crate::entities::survey::Entity>()
            .filter(crate::entities::survey::Column::Status.eq(SurveyStatus::Open.code()))
            .all(db)
            .await?
        {
            let survey = Survey::from_model(model)?;
            if survey.accepts_answers(today) {
                open.insert(survey.id, survey);
            }
        }
        if open.is_empty() {
            continue;
        }
        // Only samples that still have an invitation without its email.
        let unsent: HashSet<i32> = municipality
            .find::<invitation::Entity>()
            .select_only()
            .column(invitation::Column::SampleId)
            .distinct()
            .filter(invitation::Column::SurveyId.is_in(open.keys().copied().collect::<Vec<_>>()))
            .filter(invitation::Column::SentAt.is_null())
            .into_tuple::<Option<i32>>()
            .all(db)
            .await?
            .into_iter()
            .flatten()
            .collect();
        if unsent.is_empty() {
            continue;
        }
        let samples = municipality
            .find::<sample::Entity>()
            .filter(sample::Column::Id.is_in(unsent))
            .filter(sample::Column::CreatedAt.lte(now - settle))
            .all(db)
            .await?;
        let public_base = municipalities::public_base_url(db, base_url, &municipality).await?;
        for row in samples {
            let Some(survey) = open.get(&row.survey_id) else { continue };
            let links = LinkContext { municipality: &municipality, survey, base_url, public_base: &public_base };
            queued += queue_waiting(db, &links, row.id, row.release_at.is_some(), &mut |_, _| {}).await?;
        }
    }
    if queued > 0 {
        outbox::wake_worker();
    }
    Ok(queued)
}

/// Hold back (or stop holding back) the automatic release of a soft launch,
/// e.g. because wave 1 showed a problem in the survey.
pub async fn hold_release(
    db: &DatabaseConnection,
    municipality: &Municipality,
    survey_id: i32,
    sample_id: i32,
    held: bool,
    actor: Actor,
) -> Result<(), InviteError> {
    let txn = crate::db::begin_write(db).await?;
    let changed = municipality
        .update_many::<sample::Entity>()
        .col_expr(sample::Column::ReleaseHeld, Expr::value(held))
        .filter(sample::Column::Id.eq(sample_id))
        .filter(sample::Column::SurveyId.eq(survey_id))
        .exec(&txn)
        .await?;
    if changed.rows_affected == 0 {
        return Err(InviteError::NotFound);
    }
    audit::record(
        &txn,
        Some(municipality.id),
        actor,
        if held { "invitations.hold" } else { "invitations.unhold" },
        &format!("survey:{survey_id}"),
        json!({ "sample": sample_id }),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Release every soft launch whose time has come and that staff did not
/// hold back, in every municipality. Returns the emails queued.
pub async fn release_due_soft_launches(db: &DatabaseConnection, base_url: &url::Url, now: i64) -> Result<usize, DbErr> {
    let mut queued = 0;
    for municipality in municipalities::list(db).await? {
        let due = municipality
            .find::<sample::Entity>()
            .filter(sample::Column::ReleaseAt.lte(now))
            .filter(sample::Column::ReleaseHeld.eq(false))
            .all(db)
            .await?;
        for row in due {
            match release(db, base_url, &municipality, row.survey_id, row.id, Actor::System).await {
                Ok(count) => queued += count,
                Err(InviteError::Db(error)) => return Err(error),
                // The survey closed meanwhile: nothing more to send.
                Err(_) => {
                    municipality
                        .update_many::<sample::Entity>()
                        .col_expr(sample::Column::ReleaseAt, Expr::value(Option::<i64>::None))
                        .filter(sample::Column::Id.eq(row.id))
                        .exec(db)
                        .await?;
                }
            }
        }
    }
    Ok(queued)
}

/// Queue reminders that are due in every municipality: invitations sent
/// `reminder_after_days` ago (or reminded that long ago), not completed,
/// fewer than `max_reminders` so far, for surveys still open. Each reminder
/// is counted in the same transaction as its email; running this twice in a
/// row queues nothing the second time. Returns the emails queued.
pub async fn send_due_reminders(db: &DatabaseConnection, base_url: &url::Url, now: i64) -> Result<usize, DbErr> {
    let today = time::OffsetDateTime::from_unix_timestamp(now).map(|t| t.date()).unwrap_or_else(|_| surveys::today());
    let mut queued = 0;
    for municipality in municipalities::list(db).await? {
        let open = municipality
            .find::<crate::entities::survey::Entity>()
            .filter(crate::entities::survey::Column::Status.eq(SurveyStatus::Open.code()))
            .all(db)
            .await?;
        for model in open {
            let survey = Survey::from_model(model)?;
            if !survey.accepts_answers(today) || survey.reminder_after_days < 1 || survey.max_reminders < 1 {
                continue;
            }
            queued += remind_survey(db, base_url, &municipality, &survey, now).await?;
        }
    }
    Ok(queued)
}

async fn remind_survey(
    db: &DatabaseConnection,
    base_url: &url::Url,
    municipality: &Municipality,
    survey: &Survey,
    now: i64,
) -> Result<usize, DbErr> {
    let wait = i64::from(survey.reminder_after_days) * DAY;
    let due: Vec<invitation::Model> = municipality
        .find::<invitation::Entity>()
        .filter(invitation::Column::SurveyId.eq(survey.id))
        .filter(invitation::Column::Completed.eq(false))
        .filter(invitation::Column::SentAt.is_not_null())
        .filter(invitation::Column::MemberId.is_not_null())
        .filter(invitation::Column::RemindersSent.lt(survey.max_reminders))
        .all(db)
        .await?
        .into_iter()
        .filter(|i| i.last_reminder_at.or(i.sent_at).is_some_and(|at| at + wait <= now))
        .collect();
    if due.is_empty() {
        return Ok(0);
    }
    let public_base = municipalities::public_base_url(db, base_url, municipality).await?;
    let links = LinkContext { municipality, survey, base_url, public_base: &public_base };
    let mut queued = 0;
    for chunk in due.chunks(200) {
        let txn = crate::db::begin_write(db).await?;
        let members = members_by_id(&txn, municipality, chunk.iter().filter_map(|i| i.member_id)).await?;
        for row in chunk {
            let Some(member) = row.member_id.and_then(|id| members.get(&id)) else { continue };
            if member.status != "active" || member.email_invalid {
                continue;
            }
            if queue_email(&txn, &links, row, member, Kind::Reminder, now).await? {
                queued += 1;
            }
        }
        txn.commit().await?;
    }
    outbox::wake_worker();
    Ok(queued)
}

/// A sample already sent for a survey, with its progress.
#[derive(Debug, Clone)]
pub struct SampleSummary {
    /// The sample row.
    pub sample: sample::Model,
    /// Invitations in it.
    pub invited: usize,
    /// Invitations whose email was queued.
    pub sent: usize,
    /// Invitations that answered.
    pub completed: usize,
    /// Reminders queued.
    pub reminders: i64,
}

impl SampleSummary {
    /// Wave-2 invitations still waiting for the release.
    pub fn waiting(&self) -> usize {
        self.invited - self.sent
    }
}

/// The samples of a survey, newest first.
pub async fn samples(
    db: &DatabaseConnection,
    municipality: &Municipality,
    survey_id: i32,
) -> Result<Vec<SampleSummary>, DbErr> {
    let rows = municipality
        .find::<sample::Entity>()
        .filter(sample::Column::SurveyId.eq(survey_id))
        .order_by_desc(sample::Column::Id)
        .all(db)
        .await?;
    let invitations =
        municipality.find::<invitation::Entity>().filter(invitation::Column::SurveyId.eq(survey_id)).all(db).await?;
    Ok(rows
        .into_iter()
        .map(|sample| {
            let of_sample: Vec<&invitation::Model> =
                invitations.iter().filter(|i| i.sample_id == Some(sample.id)).collect();
            SampleSummary {
                invited: of_sample.len(),
                sent: of_sample.iter().filter(|i| i.sent_at.is_some()).count(),
                completed: of_sample.iter().filter(|i| i.completed).count(),
                reminders: of_sample.iter().map(|i| i64::from(i.reminders_sent)).sum(),
                sample,
            }
        })
        .collect())
}

/// Mark a member's address as bouncing (`email_invalid`), so samples leave
/// them out. Returns `false` when no member has that address.
pub async fn mark_bouncing(
    db: &DatabaseConnection,
    municipality: &Municipality,
    email: &Email,
    actor: Actor,
) -> Result<bool, DbErr> {
    let txn = crate::db::begin_write(db).await?;
    let Some(found) =
        municipality.find::<member::Entity>().filter(member::Column::Email.eq(email.as_str())).one(&txn).await?
    else {
        return Ok(false);
    };
    municipality
        .update_many::<member::Entity>()
        .col_expr(member::Column::EmailInvalid, Expr::value(true))
        .filter(member::Column::Id.eq(found.id))
        .exec(&txn)
        .await?;
    audit::record(&txn, Some(municipality.id), actor, "member.bounce", &format!("member:{}", found.id), json!({}))
        .await?;
    txn.commit().await?;
    Ok(true)
}

/// Delivery and answering figures of one group of invitations.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    /// Invitations made.
    pub invited: usize,
    /// Invitations whose email was queued.
    pub sent: usize,
    /// Invitations whose latest email the mail server accepted.
    pub delivered: usize,
    /// Sent invitations whose email was given up on or whose address bounces.
    pub failed: usize,
    /// Invitations not sent yet (the second wave of a soft launch).
    pub pending: usize,
    /// Invitations whose link was opened.
    pub opened: usize,
    /// Invitations whose link was used to save at least one page (or that were completed).
    pub started: usize,
    /// Invitations answered.
    pub completed: usize,
}

impl Tally {
    /// Completed invitations per sent invitation, if any were sent.
    pub fn response_rate(&self) -> Option<f64> {
        (self.sent > 0).then(|| self.completed as f64 / self.sent as f64)
    }

    fn add(&mut self, other: &Tally) {
        self.invited += other.invited;
        self.sent += other.sent;
        self.delivered += other.delivered;
        self.failed += other.failed;
        self.pending += other.pending;
        self.opened += other.opened;
        self.started += other.started;
        self.completed += other.completed;
    }
}

/// One stratum's figures as the grouped query returns them.
#[derive(Debug, FromQueryResult)]
struct TallyRow {
    stratum: Option<String>,
    invited: i64,
    sent: i64,
    delivered: i64,
    failed: i64,
    opened: i64,
    started: i64,
    completed: i64,
}

impl TallyRow {
    fn tally(&self) -> Tally {
        let count = |n: i64| usize::try_from(n).unwrap_or_default();
        Tally {
            invited: count(self.invited),
            sent: count(self.sent),
            delivered: count(self.delivered),
            failed: count(self.failed),
            pending: count(self.invited - self.sent),
            opened: count(self.opened),
            started: count(self.started),
            completed: count(self.completed),
        }
    }
}

/// The invitation dashboard of a survey: all invitations, and per stratum of
/// stratified samples (`None`: invitations drawn without strata).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InvitationStats {
    /// Every invitation of the survey.
    pub overall: Tally,
    /// Per stratum, in stratum order.
    pub strata: BTreeMap<Option<String>, Tally>,
}

/// Figures of a survey's invitations. An invitation counts as failed when
/// the outbox gave up its latest email (invitation or reminder) or the
/// member's address was marked as bouncing.
pub async fn stats(
    db: &DatabaseConnection,
    municipality: &Municipality,
    survey_id: i32,
) -> Result<InvitationStats, InviteError> {
    let survey = survey(db, municipality, survey_id).await?;
    // One grouped query: each invitation with its member (bouncing?) and the
    // outbox row of its latest email (delivered or given up?).
    let member_of: RelationDef =
        invitation::Entity::belongs_to(member::Entity).from(invitation::Column::MemberId).to(member::Column::Id).into();
    let latest_email: RelationDef = invitation::Entity::belongs_to(outbox_email::Entity)
        .from(invitation::Column::LastEmailId)
        .to(outbox_email::Column::Id)
        .into();
    let sent = "invitation.sent_at IS NOT NULL";
    let failed = format!("{sent} AND (member.email_invalid OR outbox_email.status = '{}')", outbox::status::FAILED);
    let delivered = format!("outbox_email.status = '{}' AND NOT ({failed})", outbox::status::SENT);
    let started = "invitation.draft IS NOT NULL OR invitation.completed";
    let opened = format!("invitation.opened_at IS NOT NULL OR {started}");
    let total = |condition: &str| Expr::cust(format!("SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)"));
    let groups = municipality
        .find::<invitation::Entity>()
        .join(JoinType::LeftJoin, member_of)
        .join(JoinType::LeftJoin, latest_email)
        .filter(invitation::Column::SurveyId.eq(survey.id))
        .filter(invitation::Column::MemberId.is_not_null())
        .select_only()
        .column(invitation::Column::Stratum)
        .column_as(Expr::cust("COUNT(*)"), "invited")
        .column_as(total(sent), "sent")
        .column_as(total(&delivered), "delivered")
        .column_as(total(&failed), "failed")
        .column_as(total(&opened), "opened")
        .column_as(total(started), "started")
        .column_as(total("invitation.completed"), "completed")
        .group_by(invitation::Column::Stratum)
        .into_model::<TallyRow>()
        .all(db)
        .await?;
    let mut stats = InvitationStats::default();
    for group in groups {
        let tally = group.tally();
        stats.overall.add(&tally);
        stats.strata.insert(group.stratum, tally);
    }
    Ok(stats)
}
