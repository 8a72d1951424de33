//! Answering: drafts saved per page against the invitation, resuming, and
//! submission as an anonymous response — exactly once.
//!
//! The response row carries a random id, the day, the channel and the coarse
//! attributes copied from the member's profile; nothing in it or its answers
//! points back to the member, the invitation or its token.

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, Set,
};
use serde_json::json;

use crate::domain::member::RecruitmentSource;
use crate::domain::survey::answer::{FormValues, field_name, parse_section};
use crate::domain::survey::{Answer, Answers, SurveyDefinition};
use crate::domain::token::hash_token_text;
use crate::domain::validation::FieldError;
use crate::domain::{AgeBand, Gender, Language, SecretToken};
use crate::entities::{invitation, member, response, response_answer};
use crate::services::audit::{self, Actor};
use crate::services::surveys::{self, Survey, SurveyKind, SurveyStatus};
use crate::services::tenant::Municipality;

/// An invitation being answered.
#[derive(Debug, Clone)]
pub struct AnswerSession {
    /// The invitation row (draft and page included).
    pub invitation: invitation::Model,
    /// The survey.
    pub survey: Survey,
    /// Answers saved so far.
    pub answers: Answers,
}

/// What a token leads to.
#[derive(Debug, Clone)]
pub enum TokenLookup {
    /// An invitation that can be answered.
    Open(Box<AnswerSession>),
    /// Already submitted: show the thank-you page again.
    Completed(Box<Survey>),
    /// Wrong, unknown, or expired with its survey: one neutral answer for all.
    Inactive,
}

/// Find the invitation behind a token presented in a link.
pub async fn lookup_token<C: ConnectionTrait>(
    db: &C,
    municipality: &Municipality,
    token: &str,
) -> Result<TokenLookup, DbErr> {
    let hash = hash_token_text(token);
    let mut found =
        municipality.find::<invitation::Entity>().filter(invitation::Column::TokenHash.eq(&hash)).one(db).await?;
    if found.is_none() {
        // A link from a reminder.
        let reminder = municipality
            .find::<crate::entities::reminder_link::Entity>()
            .filter(crate::entities::reminder_link::Column::TokenHash.eq(&hash))
            .one(db)
            .await?;
        if let Some(link) = reminder {
            found = municipality
                .find::<invitation::Entity>()
                .filter(invitation::Column::Id.eq(link.invitation_id))
                .one(db)
                .await?;
        }
    }
    let Some(invitation) = found else {
        return Ok(TokenLookup::Inactive);
    };
    let Some(survey) = surveys::load(db, municipality, invitation.survey_id).await? else {
        return Ok(TokenLookup::Inactive);
    };
    if invitation.completed {
        return Ok(TokenLookup::Completed(Box::new(survey)));
    }
    if !survey.accepts_answers(surveys::today()) {
        return Ok(TokenLookup::Inactive);
    }
    let answers = invitation.draft.as_deref().and_then(|d| serde_json::from_str(d).ok()).unwrap_or_default();
    Ok(TokenLookup::Open(Box::new(AnswerSession { invitation, survey, answers })))
}

/// Seconds in a day.
const DAY: i64 = 86_400;

/// Note that an invitation's link was opened (for the invitation figures);
/// later visits change nothing. Only the day is kept, like the day of a
/// response, so opening times cannot be lined up with the order of answers.
pub async fn note_opened<C: ConnectionTrait>(
    db: &C,
    municipality: &Municipality,
    invitation: &invitation::Model,
) -> Result<(), DbErr> {
    if invitation.opened_at.is_some() {
        return Ok(());
    }
    municipality
        .update_many::<invitation::Entity>()
        .col_expr(invitation::Column::OpenedAt, sea_orm::sea_query::Expr::value(super::now().div_euclid(DAY) * DAY))
        .filter(invitation::Column::Id.eq(invitation.id))
        .filter(invitation::Column::OpenedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// The preferred language of the invited member, if any.
pub async fn member_language<C: ConnectionTrait>(
    db: &C,
    municipality: &Municipality,
    member_id: Option<i32>,
) -> Result<Option<Language>, DbErr> {
    let Some(id) = member_id else { return Ok(None) };
    let member = municipality.find::<member::Entity>().filter(member::Column::Id.eq(id)).one(db).await?;
    Ok(member.and_then(|m| m.language.parse().ok()))
}

/// Indexes of the sections shown for these answers.
pub fn visible_sections(definition: &SurveyDefinition, answers: &Answers) -> Vec<usize> {
    definition
        .sections
        .iter()
        .enumerate()
        .filter(|(_, s)| s.show_if.as_ref().is_none_or(|c| c.holds(answers)))
        .map(|(i, _)| i)
        .collect()
}

/// Drop answers to questions that are hidden by these answers (repeated
/// until nothing changes, since hiding one answer can hide another).
pub fn prune_hidden(definition: &SurveyDefinition, answers: &Answers) -> Answers {
    let mut current = answers.clone();
    loop {
        let mut kept = Answers::new();
        for section in &definition.sections {
            if section.show_if.as_ref().is_some_and(|c| !c.holds(&current)) {
                continue;
            }
            for question in &section.questions {
                if question.show_if.as_ref().is_some_and(|c| !c.holds(&current)) {
                    continue;
                }
                if let Some(answer) = current.get(&question.key) {
                    kept.insert(question.key.clone(), answer.clone());
                }
            }
        }
        if kept == current {
            return kept;
        }
        current = kept;
    }
}

/// The first visible section with a required question left unanswered.
pub fn first_incomplete_section(definition: &SurveyDefinition, answers: &Answers) -> Option<usize> {
    visible_sections(definition, answers).into_iter().find(|&index| {
        definition.sections[index]
            .questions
            .iter()
            .any(|q| q.required && q.show_if.as_ref().is_none_or(|c| c.holds(answers)) && !answers.contains_key(&q.key))
    })
}

/// Merge one page's answers into the saved ones: the page's questions are
/// replaced (so cleared answers disappear) and hidden answers are dropped.
pub fn merge_page(definition: &SurveyDefinition, saved: &Answers, section: usize, page: Answers) -> Answers {
    let mut merged = saved.clone();
    if let Some(section) = definition.sections.get(section) {
        for question in &section.questions {
            merged.remove(&question.key);
        }
    }
    merged.extend(page);
    prune_hidden(definition, &merged)
}

/// Where a posted page leads. Decided here once, so residents and the staff
/// preview (which stores nothing) move through the pages and skip rules the
/// same way. Positions are 1-based among the visible pages.
#[derive(Debug, Clone, PartialEq)]
pub enum PageStep {
    /// Back to the previous page; `answers` keeps what was valid on this one.
    Back {
        /// The answers so far.
        answers: Answers,
        /// The page to show.
        position: usize,
    },
    /// The same page again: with the problems found, or with follow-up
    /// questions that the answers just revealed on it.
    Again {
        /// The answers so far (this page's valid ones merged in).
        answers: Answers,
        /// The section shown.
        section: usize,
        /// Its position.
        position: usize,
        /// Number of visible pages.
        total: usize,
        /// Problems with what was posted.
        errors: Vec<FieldError>,
        /// Whether follow-up questions appeared.
        revealed: bool,
    },
    /// On to a page (the next one, or the same last page after "next").
    Go {
        /// The answers so far.
        answers: Answers,
        /// The section to show.
        section: usize,
        /// Its position.
        position: usize,
    },
    /// Submission with every required question answered.
    Submit {
        /// The final answers.
        answers: Answers,
    },
    /// Submission refused: a page still has required questions left empty.
    Incomplete {
        /// The answers so far.
        answers: Answers,
        /// The first section with a required question left empty.
        section: usize,
        /// Its position.
        position: usize,
    },
}

/// Decide where a posted page leads, given the answers saved before it.
/// `None` when the posted section is not one of the visible pages.
pub fn page_step(definition: &SurveyDefinition, saved: &Answers, values: &FormValues) -> Option<PageStep> {
    let action = values.get("action").and_then(|v| v.first()).map_or("next", String::as_str);
    let section = values
        .get("section")
        .and_then(|v| v.first())
        .and_then(|s| s.parse::<usize>().ok())
        .filter(|s| visible_sections(definition, saved).contains(s))?;
    let (page_answers, errors) = parse_section(&definition.sections[section], values, saved);
    let answers = merge_page(definition, saved, section, page_answers);
    let visible = visible_sections(definition, &answers);
    let index = visible.iter().position(|&s| s == section).unwrap_or(0);
    if action == "back" {
        return Some(PageStep::Back { answers, position: index.saturating_sub(1) + 1 });
    }
    // Follow-up questions that this page's answers just revealed were not on
    // the page the resident saw: show them instead of calling them missing.
    let revealed: Vec<String> = definition.sections[section]
        .questions
        .iter()
        .filter(|q| q.show_if.as_ref().is_some_and(|c| !c.holds(saved) && c.holds(&answers)))
        .filter(|q| !answers.contains_key(&q.key))
        .map(|q| field_name(&q.key))
        .collect();
    let errors: Vec<FieldError> =
        errors.into_iter().filter(|e| !revealed.iter().any(|r| e.field.starts_with(r.as_str()))).collect();
    if !revealed.is_empty() || !errors.is_empty() {
        let total = visible.len();
        return Some(PageStep::Again {
            answers,
            section,
            position: index + 1,
            total,
            errors,
            revealed: !revealed.is_empty(),
        });
    }
    Some(match (action, visible.get(index + 1).copied()) {
        ("submit", None) => match first_incomplete_section(definition, &answers) {
            Some(incomplete) => {
                let position = visible.iter().position(|&s| s == incomplete).unwrap_or(0) + 1;
                PageStep::Incomplete { answers, section: incomplete, position }
            }
            None => PageStep::Submit { answers },
        },
        (_, Some(next)) => PageStep::Go { answers, section: next, position: index + 2 },
        (_, None) => PageStep::Go { answers, section, position: index + 1 },
    })
}

/// Save the answers so far and the page to resume on.
pub async fn save_draft<C: ConnectionTrait>(
    db: &C,
    municipality: &Municipality,
    invitation_id: i32,
    answers: &Answers,
    page: usize,
) -> Result<(), DbErr> {
    let draft = serde_json::to_string(answers).map_err(|e| DbErr::Custom(e.to_string()))?;
    municipality
        .update_many::<invitation::Entity>()
        .col_expr(invitation::Column::Draft, Expr::value(draft))
        .col_expr(invitation::Column::DraftPage, Expr::value(page as i32))
        .filter(invitation::Column::Id.eq(invitation_id))
        .filter(invitation::Column::Completed.eq(false))
        .exec(db)
        .await?;
    Ok(())
}

/// Coarse attributes copied into a response.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CoarseAttributes {
    /// Age band at submission.
    pub age_band: Option<AgeBand>,
    /// Gender.
    pub gender: Option<Gender>,
    /// District code.
    pub district: Option<String>,
    /// `self` or `recruited`.
    pub source_group: Option<&'static str>,
}

impl CoarseAttributes {
    /// The attributes of a member today.
    pub fn of_member(member: &member::Model, year: i32) -> Self {
        Self {
            age_band: AgeBand::for_age(year - member.birth_year),
            gender: member.gender.parse().ok(),
            district: Some(member.district.clone()),
            source_group: RecruitmentSource::parse(&member.source).map(RecruitmentSource::group),
        }
    }
}

/// How an answer reached us.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    /// A member's personal invitation.
    Panel,
    /// The public link of an open survey.
    Open,
    /// Typed in by staff from a paper questionnaire.
    Paper,
}

impl Channel {
    /// The code stored with the response.
    pub fn code(self) -> &'static str {
        match self {
            Channel::Panel => "panel",
            Channel::Open => "open",
            Channel::Paper => "paper",
        }
    }

    /// Every channel, in display order.
    pub const ALL: [Channel; 3] = [Channel::Panel, Channel::Open, Channel::Paper];

    /// Parse a stored or URL code; anything else is `None`.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }
}

/// The outcome of a submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Submitted {
    /// The response was recorded now.
    Recorded,
    /// It had been recorded before (double click, retry, second tab).
    AlreadyRecorded,
}

/// Submit an invitation's answers: in one transaction mark the invitation
/// completed (only if it was not), delete the draft, and write the anonymous
/// response. A second submission records nothing.
pub async fn submit(
    db: &DatabaseConnection,
    municipality: &Municipality,
    session: &AnswerSession,
) -> Result<Submitted, DbErr> {
    let answers = prune_hidden(&session.survey.definition, &session.answers);
    let txn = crate::db::begin_write(db).await?;
    let claimed = municipality
        .update_many::<invitation::Entity>()
        .col_expr(invitation::Column::Completed, Expr::value(true))
        .col_expr(invitation::Column::Draft, Expr::value(Option::<String>::None))
        .col_expr(invitation::Column::DraftPage, Expr::value(0))
        .filter(invitation::Column::Id.eq(session.invitation.id))
        .filter(invitation::Column::Completed.eq(false))
        .exec(&txn)
        .await?;
    if claimed.rows_affected != 1 {
        txn.rollback().await?;
        return Ok(Submitted::AlreadyRecorded);
    }
    let today = surveys::today();
    let (attributes, channel) = match session.invitation.member_id {
        Some(id) => {
            let member = municipality.find::<member::Entity>().filter(member::Column::Id.eq(id)).one(&txn).await?;
            (member.map(|m| CoarseAttributes::of_member(&m, today.year())).unwrap_or_default(), Channel::Panel)
        }
        None => (CoarseAttributes::default(), Channel::Open),
    };
    let channel = if session.survey.kind == SurveyKind::Open { Channel::Open } else { channel };
    write_response(&txn, municipality, &session.survey, &answers, &attributes, channel).await?;
    txn.commit().await?;
    Ok(Submitted::Recorded)
}

/// Record answers typed in from a paper questionnaire, with the attributes
/// written on it. Returns the response id.
pub async fn record_paper(
    db: &DatabaseConnection,
    municipality: &Municipality,
    survey: &Survey,
    answers: &Answers,
    attributes: &CoarseAttributes,
    actor: Actor,
) -> Result<String, DbErr> {
    let answers = prune_hidden(&survey.definition, answers);
    let txn = crate::db::begin_write(db).await?;
    let id = write_response(&txn, municipality, survey, &answers, attributes, Channel::Paper).await?;
    // The audit row names the survey, not the response, so paper answers stay
    // as anonymous as the others.
    audit::record(&txn, Some(municipality.id), actor, "response.paper", &format!("survey:{}", survey.id), json!({}))
        .await?;
    txn.commit().await?;
    Ok(id)
}

async fn write_response<C: ConnectionTrait>(
    db: &C,
    municipality: &Municipality,
    survey: &Survey,
    answers: &Answers,
    attributes: &CoarseAttributes,
    channel: Channel,
) -> Result<String, DbErr> {
    let id = SecretToken::generate().reveal();
    let today = surveys::today().format(surveys::DATE_FORMAT).map_err(|e| DbErr::Custom(e.to_string()))?;
    response::ActiveModel {
        id: Set(id.clone()),
        municipality_id: Set(municipality.id),
        survey_id: Set(survey.id),
        submitted_on: Set(today),
        channel: Set(channel.code().to_owned()),
        age_band: Set(attributes.age_band.map(|b| b.as_str().to_owned())),
        gender: Set(attributes.gender.map(|g| g.as_str().to_owned())),
        district: Set(attributes.district.clone()),
        source_group: Set(attributes.source_group.map(str::to_owned)),
    }
    .insert(db)
    .await?;
    let rows = answer_rows(municipality.id, survey, &id, answers);
    for chunk in rows.chunks(100) {
        response_answer::Entity::insert_many(chunk.to_vec()).exec_without_returning(db).await?;
    }
    Ok(id)
}

/// The stored rows of a set of answers (see the `response_answer` table).
pub fn answer_rows(
    municipality_id: i32,
    survey: &Survey,
    response_id: &str,
    answers: &Answers,
) -> Vec<response_answer::ActiveModel> {
    let row = |question: &str,
               item: Option<&str>,
               option: Option<&str>,
               number: Option<f64>,
               text: Option<&str>,
               dont_know: bool| {
        let moderation = if text.is_some() { "pending" } else { "none" };
        response_answer::ActiveModel {
            municipality_id: Set(municipality_id),
            response_id: Set(response_id.to_owned()),
            survey_id: Set(survey.id),
            question_key: Set(question.to_owned()),
            item_key: Set(item.map(str::to_owned)),
            option_key: Set(option.map(str::to_owned)),
            number_value: Set(number),
            text_value: Set(text.map(str::to_owned)),
            dont_know: Set(dont_know),
            moderation: Set(moderation.to_owned()),
            ..Default::default()
        }
    };
    let mut rows = Vec::new();
    for (key, answer) in answers {
        if survey.definition.question(key).is_none() {
            continue;
        }
        match answer {
            Answer::DontKnow => rows.push(row(key, None, None, None, None, true)),
            Answer::Choice(option) => rows.push(row(key, None, Some(option), None, None, false)),
            Answer::Choices { selected, other } => {
                for option in selected {
                    let text = if option == "other" { other.as_deref() } else { None };
                    rows.push(row(key, None, Some(option), None, text, false));
                }
            }
            Answer::Matrix(statements) => {
                for (statement, point) in statements {
                    if point == crate::domain::survey::answer::DONT_KNOW {
                        rows.push(row(key, Some(statement), None, None, None, true));
                    } else {
                        rows.push(row(key, Some(statement), Some(point), None, None, false));
                    }
                }
            }
            Answer::Number(n) => rows.push(row(key, None, None, Some(*n), None, false)),
            Answer::Text(text) => rows.push(row(key, None, None, None, Some(text), false)),
            Answer::Ranking(order) => {
                for (position, option) in order.iter().enumerate() {
                    rows.push(row(key, None, Some(option), Some((position + 1) as f64), None, false));
                }
            }
        }
    }
    rows
}

/// The open survey behind a public link, if it is open now.
pub async fn open_survey_by_link<C: ConnectionTrait>(
    db: &C,
    municipality: &Municipality,
    token: &str,
) -> Result<Option<Survey>, DbErr> {
    let found = municipality
        .find::<crate::entities::survey::Entity>()
        .filter(crate::entities::survey::Column::PublicTokenHash.eq(hash_token_text(token)))
        .one(db)
        .await?
        .map(Survey::from_model)
        .transpose()?;
    Ok(found.filter(|s| {
        s.kind == SurveyKind::Open && s.status == SurveyStatus::Open && s.accepts_answers(surveys::today())
    }))
}

/// Start answering an open survey: an invitation without a member, whose
/// token the browser keeps in a cookie (one answer per browser).
pub async fn start_open_session<C: ConnectionTrait>(
    db: &C,
    municipality: &Municipality,
    survey: &Survey,
) -> Result<SecretToken, DbErr> {
    let token = SecretToken::generate();
    invitation::ActiveModel {
        municipality_id: Set(municipality.id),
        survey_id: Set(survey.id),
        sample_id: Set(None),
        member_id: Set(None),
        token_hash: Set(token.hash()),
        stratum: Set(None),
        wave: Set(0),
        created_at: Set(super::now()),
        sent_at: Set(None),
        reminders_sent: Set(0),
        last_reminder_at: Set(None),
        completed: Set(false),
        draft: Set(None),
        draft_page: Set(0),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// Whether any response of this survey exists (used by tests and the demo).
pub async fn count_responses<C: ConnectionTrait>(
    db: &C,
    municipality: &Municipality,
    survey_id: i32,
) -> Result<u64, DbErr> {
    use sea_orm::PaginatorTrait;
    municipality.find::<response::Entity>().filter(response::Column::SurveyId.eq(survey_id)).count(db).await
}
