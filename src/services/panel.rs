//! Panel membership: joining, confirming, signing in to "my page", profiles,
//! pausing, leaving, unsubscribing, consent renewal, import, and the staff
//! overview.
//!
//! Every email is queued with [`outbox::enqueue`] inside the transaction of
//! the change that causes it. Links carry a random token; only its SHA-256
//! hash is stored (`member_link`).

use std::collections::{BTreeMap, HashMap, HashSet};

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use serde_json::json;

use crate::domain::member::{CONSENT_VERSION, MemberStatus};
use crate::domain::profile::{ImportRow, Joining, Profile, ProfileRules, parse_import_csv};
use crate::domain::token::hash_token_text;
use crate::domain::validation::FieldError;
use crate::domain::{AgeBand, Gender, Language, SecretToken};
use crate::email::panel::{PanelEmail, compose};
use crate::entities::{invitation, member, member_link, population_margin, survey};
use crate::services::audit::{self, Actor};
use crate::services::municipalities;
use crate::services::outbox;
use crate::services::tenant::Municipality;

/// Purposes of member links.
pub mod link_purpose {
    /// Confirm a new membership (double opt-in).
    pub const CONFIRM: &str = "confirm";
    /// Sign in to "my page".
    pub const SIGN_IN: &str = "sign_in";
    /// Unsubscribe from an email (pause or leave).
    pub const UNSUBSCRIBE: &str = "unsubscribe";
    /// A signed-in member's session (the token lives in a cookie).
    pub const SESSION: &str = "session";
    /// Renew consent after the renewal period.
    pub const RENEW: &str = "renew";
}

const DAY: i64 = 86_400;
/// How long a confirmation link works, and how long unconfirmed sign-ups are kept.
pub const CONFIRM_VALID_SECONDS: i64 = 7 * DAY;
/// How long a sign-in link works.
pub const SIGN_IN_VALID_SECONDS: i64 = 3600;
/// How long a member session lasts.
pub const SESSION_VALID_SECONDS: i64 = 3600;
/// How long a member has to renew consent after the renewal email.
pub const RENEWAL_GRACE_SECONDS: i64 = 30 * DAY;
/// How long a one-click unsubscribe pauses invitations.
pub const ONE_CLICK_PAUSE_DAYS: i64 = 365;

/// Create a member link and return its URL (`base/path/<token>`); only the
/// token's hash is stored.
pub async fn create_link<C: ConnectionTrait>(
    db: &C,
    municipality: &Municipality,
    base_url: &url::Url,
    member_id: i32,
    purpose: &str,
    valid_seconds: i64,
) -> Result<String, DbErr> {
    let token = insert_link(db, municipality, member_id, purpose, valid_seconds).await?;
    let path = match purpose {
        link_purpose::CONFIRM => "panel/confirm",
        link_purpose::SIGN_IN => "panel/sign-in",
        link_purpose::RENEW => "panel/renew",
        _ => "u",
    };
    Ok(format!("{}{path}/{}", base_url.as_str(), token.reveal()))
}

async fn insert_link<C: ConnectionTrait>(
    db: &C,
    municipality: &Municipality,
    member_id: i32,
    purpose: &str,
    valid_seconds: i64,
) -> Result<SecretToken, DbErr> {
    let token = SecretToken::generate();
    member_link::ActiveModel {
        municipality_id: Set(municipality.id),
        member_id: Set(member_id),
        purpose: Set(purpose.to_owned()),
        token_hash: Set(token.hash()),
        expires_at: Set(super::now() + valid_seconds),
        used_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// The one-click unsubscribe URL for emails to a member (valid one year):
/// `GET` shows a page to pause or leave, `POST` (RFC 8058) pauses at once.
pub async fn unsubscribe_url<C: ConnectionTrait>(
    db: &C,
    municipality: &Municipality,
    base_url: &url::Url,
    member_id: i32,
) -> Result<String, DbErr> {
    create_link(db, municipality, base_url, member_id, link_purpose::UNSUBSCRIBE, 365 * DAY).await
}

/// Mark a valid, unused link of `purpose` used and return its member. A
/// conditional update makes the link single-use even under concurrency.
async fn consume_link<C: ConnectionTrait>(
    db: &C,
    municipality: &Municipality,
    token: &str,
    purpose: &str,
) -> Result<Option<i32>, DbErr> {
    let now = super::now();
    let hash = hash_token_text(token);
    let updated = municipality
        .update_many::<member_link::Entity>()
        .col_expr(member_link::Column::UsedAt, Expr::value(now))
        .filter(member_link::Column::TokenHash.eq(hash.as_str()))
        .filter(member_link::Column::Purpose.eq(purpose))
        .filter(member_link::Column::UsedAt.is_null())
        .filter(member_link::Column::ExpiresAt.gt(now))
        .exec(db)
        .await?;
    if updated.rows_affected == 0 {
        return Ok(None);
    }
    let link =
        municipality.find::<member_link::Entity>().filter(member_link::Column::TokenHash.eq(hash)).one(db).await?;
    Ok(link.map(|l| l.member_id))
}

/// A valid, unused link of `purpose`, without using it up.
async fn peek_link<C: ConnectionTrait>(
    db: &C,
    municipality: &Municipality,
    token: &str,
    purpose: &str,
) -> Result<Option<member::Model>, DbErr> {
    let link = municipality
        .find::<member_link::Entity>()
        .filter(member_link::Column::TokenHash.eq(hash_token_text(token)))
        .filter(member_link::Column::Purpose.eq(purpose))
        .filter(member_link::Column::UsedAt.is_null())
        .filter(member_link::Column::ExpiresAt.gt(super::now()))
        .one(db)
        .await?;
    match link {
        Some(link) => member_by_id(db, municipality, link.member_id).await,
        None => Ok(None),
    }
}

/// A member of the municipality by id.
pub async fn member_by_id<C: ConnectionTrait>(
    db: &C,
    municipality: &Municipality,
    member_id: i32,
) -> Result<Option<member::Model>, DbErr> {
    municipality.find::<member::Entity>().filter(member::Column::Id.eq(member_id)).one(db).await
}

async fn member_by_email<C: ConnectionTrait>(
    db: &C,
    municipality: &Municipality,
    email: &str,
) -> Result<Option<member::Model>, DbErr> {
    municipality.find::<member::Entity>().filter(member::Column::Email.eq(email)).one(db).await
}

/// The language a member reads email in.
pub fn member_language(member: &member::Model, municipality: &Municipality) -> Language {
    member.language.parse().ok().filter(|l| municipality.offers(*l)).unwrap_or(municipality.default_language)
}

/// Queue a membership email with a fresh link of `purpose` to `member`.
async fn send_link<C: ConnectionTrait>(
    db: &C,
    municipality: &Municipality,
    base_url: &url::Url,
    member: &member::Model,
    which: PanelEmail,
    purpose: &str,
    valid_seconds: i64,
) -> Result<(), DbErr> {
    let link = create_link(db, municipality, base_url, member.id, purpose, valid_seconds).await?;
    let language = member_language(member, municipality);
    let email = compose(which, language, &municipality.name, &member.email, Some(&link));
    outbox::enqueue(db, Some(municipality), base_url, email).await?;
    Ok(())
}

fn new_member(municipality: &Municipality, email: &str, profile: &Profile) -> member::ActiveModel {
    let now = super::now();
    member::ActiveModel {
        municipality_id: Set(municipality.id),
        email: Set(email.to_owned()),
        mobile: Set(profile.mobile.clone()),
        birth_year: Set(profile.birth_year),
        gender: Set(profile.gender.as_str().to_owned()),
        district: Set(profile.district.clone()),
        education: Set(profile.education.map(|e| e.code().to_owned())),
        language: Set(profile.language.code().to_owned()),
        source: Set("self".to_owned()),
        campaign: Set(None),
        status: Set(MemberStatus::Pending.code().to_owned()),
        paused_until: Set(None),
        consent_version: Set(CONSENT_VERSION.to_owned()),
        consent_at: Set(now),
        confirmed_at: Set(None),
        email_invalid: Set(false),
        created_at: Set(now),
        ..Default::default()
    }
}

/// Someone filled in the join form. A new address becomes a pending member
/// with a confirmation email; an address that is already a member gets an
/// email with a sign-in link (or a new confirmation link while pending)
/// instead. The caller shows the same page either way.
pub async fn join(
    db: &DatabaseConnection,
    municipality: &Municipality,
    base_url: &url::Url,
    joining: &Joining,
) -> Result<(), DbErr> {
    let base = municipalities::public_base_url(db, base_url, municipality).await?;
    // Two simultaneous sign-ups with one address: the second insert fails on
    // the unique index and is retried as "already a member".
    let mut attempt = 0;
    loop {
        attempt += 1;
        match join_once(db, municipality, &base, joining).await {
            Err(error) if attempt < 2 && is_unique_violation(&error) => continue,
            result => return result,
        }
    }
}

fn is_unique_violation(error: &DbErr) -> bool {
    matches!(error.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_)))
}

async fn join_once(
    db: &DatabaseConnection,
    municipality: &Municipality,
    base: &url::Url,
    joining: &Joining,
) -> Result<(), DbErr> {
    let txn = crate::db::begin_write(db).await?;
    match member_by_email(&txn, municipality, joining.email.as_str()).await? {
        Some(existing) if existing.status == MemberStatus::Pending.code() => {
            let (which, purpose) = (PanelEmail::Confirm, link_purpose::CONFIRM);
            send_link(&txn, municipality, base, &existing, which, purpose, CONFIRM_VALID_SECONDS).await?;
        }
        Some(existing) => {
            let (which, purpose) = (PanelEmail::AlreadyMember, link_purpose::SIGN_IN);
            send_link(&txn, municipality, base, &existing, which, purpose, SIGN_IN_VALID_SECONDS).await?;
        }
        None => {
            let created = new_member(municipality, joining.email.as_str(), &joining.profile).insert(&txn).await?;
            let (which, purpose) = (PanelEmail::Confirm, link_purpose::CONFIRM);
            send_link(&txn, municipality, base, &created, which, purpose, CONFIRM_VALID_SECONDS).await?;
        }
    }
    txn.commit().await
}

/// Use a confirmation link: the member becomes active. `false` when the
/// link is unknown, used or expired.
pub async fn confirm(db: &DatabaseConnection, municipality: &Municipality, token: &str) -> Result<bool, DbErr> {
    let txn = crate::db::begin_write(db).await?;
    let Some(member_id) = consume_link(&txn, municipality, token, link_purpose::CONFIRM).await? else {
        return Ok(false);
    };
    let Some(found) = member_by_id(&txn, municipality, member_id).await? else {
        return Ok(false);
    };
    let now = super::now();
    let mut active: member::ActiveModel = found.clone().into();
    if found.status == MemberStatus::Pending.code() {
        active.status = Set(MemberStatus::Active.code().to_owned());
        active.confirmed_at = Set(Some(now));
    }
    if found.consent_version.is_empty() {
        // Imported members give consent by confirming.
        active.consent_version = Set(CONSENT_VERSION.to_owned());
        active.consent_at = Set(now);
    }
    active.update(&txn).await?;
    txn.commit().await?;
    Ok(true)
}

/// Whether a confirmation link is valid, without using it up (mail
/// scanners open links before people do; only the button press confirms).
pub async fn confirmation_link_valid<C: ConnectionTrait>(
    db: &C,
    municipality: &Municipality,
    token: &str,
) -> Result<bool, DbErr> {
    Ok(peek_link(db, municipality, token, link_purpose::CONFIRM).await?.is_some())
}

/// Whether a sign-in link is valid, without using it up.
pub async fn sign_in_link_valid<C: ConnectionTrait>(
    db: &C,
    municipality: &Municipality,
    token: &str,
) -> Result<bool, DbErr> {
    Ok(peek_link(db, municipality, token, link_purpose::SIGN_IN).await?.is_some())
}

/// Someone asked for a sign-in link. Members get one by email (pending
/// members a new confirmation link); unknown addresses get nothing, and the
/// caller shows the same page either way.
pub async fn request_sign_in(
    db: &DatabaseConnection,
    municipality: &Municipality,
    base_url: &url::Url,
    email: &crate::domain::Email,
) -> Result<(), DbErr> {
    let base = municipalities::public_base_url(db, base_url, municipality).await?;
    let txn = crate::db::begin_write(db).await?;
    match member_by_email(&txn, municipality, email.as_str()).await? {
        Some(found) if found.status == MemberStatus::Pending.code() => {
            let (which, purpose) = (PanelEmail::Confirm, link_purpose::CONFIRM);
            send_link(&txn, municipality, &base, &found, which, purpose, CONFIRM_VALID_SECONDS).await?;
        }
        Some(found) => {
            let (which, purpose) = (PanelEmail::SignIn, link_purpose::SIGN_IN);
            send_link(&txn, municipality, &base, &found, which, purpose, SIGN_IN_VALID_SECONDS).await?;
        }
        None => {}
    }
    txn.commit().await
}

/// Use a sign-in link and start a member session; returns the session token
/// for the cookie, or `None` when the link is unknown, used or expired.
pub async fn start_session(
    db: &DatabaseConnection,
    municipality: &Municipality,
    sign_in_token: &str,
) -> Result<Option<String>, DbErr> {
    let txn = crate::db::begin_write(db).await?;
    let Some(member_id) = consume_link(&txn, municipality, sign_in_token, link_purpose::SIGN_IN).await? else {
        return Ok(None);
    };
    let session = insert_link(&txn, municipality, member_id, link_purpose::SESSION, SESSION_VALID_SECONDS).await?;
    txn.commit().await?;
    Ok(Some(session.reveal()))
}

/// The member signed in with this session token, if it is still valid.
pub async fn session_member(
    db: &DatabaseConnection,
    municipality: &Municipality,
    session_token: &str,
) -> Result<Option<member::Model>, DbErr> {
    peek_link(db, municipality, session_token, link_purpose::SESSION).await
}

/// End a member session.
pub async fn end_session(
    db: &DatabaseConnection,
    municipality: &Municipality,
    session_token: &str,
) -> Result<(), DbErr> {
    consume_link(db, municipality, session_token, link_purpose::SESSION).await.map(|_| ())
}

/// Replace a member's profile (email stays).
pub async fn update_profile(
    db: &DatabaseConnection,
    municipality: &Municipality,
    member_id: i32,
    profile: &Profile,
) -> Result<(), DbErr> {
    municipality
        .update_many::<member::Entity>()
        .col_expr(member::Column::Mobile, Expr::value(profile.mobile.clone()))
        .col_expr(member::Column::BirthYear, Expr::value(profile.birth_year))
        .col_expr(member::Column::Gender, Expr::value(profile.gender.as_str()))
        .col_expr(member::Column::District, Expr::value(profile.district.clone()))
        .col_expr(member::Column::Education, Expr::value(profile.education.map(|e| e.code().to_owned())))
        .col_expr(member::Column::Language, Expr::value(profile.language.code()))
        .filter(member::Column::Id.eq(member_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Pause invitations until `until` (inclusive), or resume with `None`.
pub async fn set_pause<C: ConnectionTrait>(
    db: &C,
    municipality: &Municipality,
    member_id: i32,
    until: Option<time::Date>,
) -> Result<(), DbErr> {
    let value = until.map(|d| d.to_string());
    municipality
        .update_many::<member::Entity>()
        .col_expr(member::Column::PausedUntil, Expr::value(value))
        .filter(member::Column::Id.eq(member_id))
        .exec(db)
        .await?;
    Ok(())
}

/// A survey a member was invited to (never their answers).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct InvitedSurvey {
    /// The survey's title in the reader's language.
    pub title: String,
    /// When the invitation was made, `YYYY-MM-DD`.
    pub invited_on: String,
}

/// The surveys a member was invited to, newest first.
pub async fn invitations_of(
    db: &DatabaseConnection,
    municipality: &Municipality,
    member_id: i32,
    language: Language,
) -> Result<Vec<InvitedSurvey>, DbErr> {
    let invitations = municipality
        .find::<invitation::Entity>()
        .filter(invitation::Column::MemberId.eq(member_id))
        .order_by_desc(invitation::Column::CreatedAt)
        .all(db)
        .await?;
    let ids: HashSet<i32> = invitations.iter().map(|i| i.survey_id).collect();
    let surveys = municipality.find::<survey::Entity>().filter(survey::Column::Id.is_in(ids)).all(db).await?;
    let titles: HashMap<i32, String> = surveys
        .into_iter()
        .filter_map(|s| {
            let parsed = crate::services::surveys::Survey::from_model(s).ok()?;
            Some((parsed.id, parsed.definition.title.get(language, municipality.default_language).to_owned()))
        })
        .collect();
    Ok(invitations
        .iter()
        .map(|i| InvitedSurvey {
            title: titles.get(&i.survey_id).cloned().unwrap_or_default(),
            invited_on: date_of(i.created_at),
        })
        .collect())
}

/// `YYYY-MM-DD` (UTC) of a timestamp.
pub fn date_of(epoch: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(epoch).map(|t| t.date().to_string()).unwrap_or_default()
}

/// Everything held about a member, as the JSON they can download.
pub async fn export(
    db: &DatabaseConnection,
    municipality: &Municipality,
    member: &member::Model,
) -> Result<serde_json::Value, DbErr> {
    let language = member_language(member, municipality);
    let invitations = invitations_of(db, municipality, member.id, language).await?;
    Ok(json!({
        "municipality": municipality.name,
        "exported_at": date_of(super::now()),
        "profile": {
            "email": member.email,
            "mobile": member.mobile,
            "birth_year": member.birth_year,
            "gender": member.gender,
            "district": member.district,
            "education": member.education,
            "language": member.language,
            "source": member.source,
            "campaign": member.campaign,
            "status": member.status,
            "paused_until": member.paused_until,
            "joined_on": date_of(member.created_at),
            "confirmed_on": member.confirmed_at.map(date_of),
            "email_invalid": member.email_invalid,
        },
        "consent": {
            "version": member.consent_version,
            "given_on": date_of(member.consent_at),
        },
        "invitations": invitations,
        "answers": "Answers are stored without any link to you and cannot be found by your name or address.",
    }))
}

/// Leave the panel: the goodbye email is queued to the address, then the
/// member row (with links; invitations lose their member) is deleted, in one
/// transaction. Anonymous responses are untouched. `false` when not found.
pub async fn leave(
    db: &DatabaseConnection,
    municipality: &Municipality,
    base_url: &url::Url,
    member_id: i32,
) -> Result<bool, DbErr> {
    let base = municipalities::public_base_url(db, base_url, municipality).await?;
    let txn = crate::db::begin_write(db).await?;
    let Some(found) = member_by_id(&txn, municipality, member_id).await? else {
        return Ok(false);
    };
    let language = member_language(&found, municipality);
    let email = compose(PanelEmail::Goodbye, language, &municipality.name, &found.email, None);
    outbox::enqueue(&txn, Some(municipality), &base, email).await?;
    municipality.delete_many::<member::Entity>().filter(member::Column::Id.eq(member_id)).exec(&txn).await?;
    txn.commit().await?;
    Ok(true)
}

/// The member an unsubscribe link belongs to (links can be used repeatedly
/// until they expire).
pub async fn unsubscribe_member(
    db: &DatabaseConnection,
    municipality: &Municipality,
    token: &str,
) -> Result<Option<member::Model>, DbErr> {
    peek_link(db, municipality, token, link_purpose::UNSUBSCRIBE).await
}

/// One-click unsubscribe (RFC 8058): pause invitations for 12 months.
/// Returns the pause end, or `None` when the link is not valid.
pub async fn one_click_pause(
    db: &DatabaseConnection,
    municipality: &Municipality,
    token: &str,
) -> Result<Option<time::Date>, DbErr> {
    let Some(found) = unsubscribe_member(db, municipality, token).await? else {
        return Ok(None);
    };
    let until = time::OffsetDateTime::now_utc().date().saturating_add(time::Duration::days(ONE_CLICK_PAUSE_DAYS));
    set_pause(db, municipality, found.id, Some(until)).await?;
    Ok(Some(until))
}

/// The member a renewal link belongs to, if it is still valid.
pub async fn renewal_member(
    db: &DatabaseConnection,
    municipality: &Municipality,
    token: &str,
) -> Result<Option<member::Model>, DbErr> {
    peek_link(db, municipality, token, link_purpose::RENEW).await
}

/// Record fresh consent with the current text for a member; deactivated
/// members become active again.
pub async fn record_consent<C: ConnectionTrait>(
    db: &C,
    municipality: &Municipality,
    member_id: i32,
) -> Result<(), DbErr> {
    municipality
        .update_many::<member::Entity>()
        .col_expr(member::Column::ConsentAt, Expr::value(super::now()))
        .col_expr(member::Column::ConsentVersion, Expr::value(CONSENT_VERSION))
        .col_expr(member::Column::Status, Expr::value(MemberStatus::Active.code()))
        .filter(member::Column::Id.eq(member_id))
        .filter(member::Column::Status.ne(MemberStatus::Pending.code()))
        .exec(db)
        .await?;
    Ok(())
}

/// Use a renewal link: consent is recorded again. `false` when not valid.
pub async fn renew_with_link(db: &DatabaseConnection, municipality: &Municipality, token: &str) -> Result<bool, DbErr> {
    let txn = crate::db::begin_write(db).await?;
    let Some(member_id) = consume_link(&txn, municipality, token, link_purpose::RENEW).await? else {
        return Ok(false);
    };
    record_consent(&txn, municipality, member_id).await?;
    txn.commit().await?;
    Ok(true)
}

/// Whether a member's consent is older than the municipality's renewal period.
pub fn consent_due(member: &member::Model, municipality: &Municipality, now: i64) -> bool {
    member.consent_at < renewal_cutoff(municipality, now)
}

fn renewal_cutoff(municipality: &Municipality, now: i64) -> i64 {
    now - i64::from(municipality.consent_renewal_years) * 365 * DAY
}

/// What a consent-renewal run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RenewalRun {
    /// Members emailed a renewal link.
    pub emailed: u64,
    /// Members deactivated after the grace period.
    pub deactivated: u64,
}

/// For the worker: email a renewal link (once) to active members whose
/// consent is older than each municipality's `consent_renewal_years`, and
/// deactivate those who did not renew within [`RENEWAL_GRACE_SECONDS`].
pub async fn renew_consents(db: &DatabaseConnection, base_url: &url::Url) -> Result<RenewalRun, DbErr> {
    let mut run = RenewalRun::default();
    for municipality in municipalities::list(db).await? {
        let this = renew_consents_in(db, &municipality, base_url).await?;
        run.emailed += this.emailed;
        run.deactivated += this.deactivated;
    }
    Ok(run)
}

/// [`renew_consents`] for one municipality.
pub async fn renew_consents_in(
    db: &DatabaseConnection,
    municipality: &Municipality,
    base_url: &url::Url,
) -> Result<RenewalRun, DbErr> {
    let base = municipalities::public_base_url(db, base_url, municipality).await?;
    let now = super::now();
    let due = municipality
        .find::<member::Entity>()
        .filter(member::Column::Status.eq(MemberStatus::Active.code()))
        .filter(member::Column::ConsentAt.lt(renewal_cutoff(municipality, now)))
        .all(db)
        .await?;
    let mut run = RenewalRun::default();
    for found in due {
        // A renewal link sent after the consent was given: its expiry minus
        // the grace period is when it was sent.
        let sent = municipality
            .find::<member_link::Entity>()
            .filter(member_link::Column::MemberId.eq(found.id))
            .filter(member_link::Column::Purpose.eq(link_purpose::RENEW))
            .filter(member_link::Column::ExpiresAt.gt(found.consent_at + RENEWAL_GRACE_SECONDS))
            .order_by_desc(member_link::Column::ExpiresAt)
            .one(db)
            .await?;
        let txn = crate::db::begin_write(db).await?;
        match sent {
            None => {
                let (which, purpose) = (PanelEmail::Renew, link_purpose::RENEW);
                send_link(&txn, municipality, &base, &found, which, purpose, RENEWAL_GRACE_SECONDS).await?;
                run.emailed += 1;
            }
            Some(link) if link.expires_at <= now => {
                municipality
                    .update_many::<member::Entity>()
                    .col_expr(member::Column::Status, Expr::value(MemberStatus::Deactivated.code()))
                    .filter(member::Column::Id.eq(found.id))
                    .filter(member::Column::ConsentAt.eq(found.consent_at))
                    .exec(&txn)
                    .await?;
                audit::record(
                    &txn,
                    Some(municipality.id),
                    Actor::System,
                    "member.deactivate",
                    &format!("member:{}", found.id),
                    json!({ "reason": "consent_not_renewed" }),
                )
                .await?;
                run.deactivated += 1;
            }
            Some(_) => {}
        }
        txn.commit().await?;
    }
    Ok(run)
}

/// For the worker: delete sign-ups not confirmed within 7 days, in every
/// municipality. Returns how many were deleted.
pub async fn purge_unconfirmed(db: &DatabaseConnection) -> Result<u64, DbErr> {
    let cutoff = super::now() - CONFIRM_VALID_SECONDS;
    let mut deleted = 0;
    for municipality in municipalities::list(db).await? {
        let result = municipality
            .delete_many::<member::Entity>()
            .filter(member::Column::Status.eq(MemberStatus::Pending.code()))
            .filter(member::Column::CreatedAt.lt(cutoff))
            .exec(db)
            .await?;
        deleted += result.rows_affected;
    }
    Ok(deleted)
}

/// The rules a profile must follow in a municipality this year.
pub async fn profile_rules_data(
    db: &DatabaseConnection,
    municipality: &Municipality,
) -> Result<HashSet<String>, DbErr> {
    Ok(municipalities::districts(db, municipality).await?.into_iter().map(|d| d.code).collect())
}

/// The current calendar year (UTC).
pub fn current_year() -> i32 {
    time::OffsetDateTime::now_utc().year()
}

/// The outcome of an import.
#[derive(Debug, Clone, Default)]
pub struct ImportOutcome {
    /// Members created.
    pub imported: usize,
    /// Problems by line (`field` is `line N`; the `column` arg names the column).
    pub problems: Vec<FieldError>,
}

/// Import members from a CSV file. Every row is checked, including against
/// addresses that are members already (reported, never overwritten). With
/// problems, nothing is imported unless `skip_invalid`, which imports the
/// valid rows. Imported members are pending and get a welcome email with a
/// confirmation link; all of it happens in one transaction.
pub async fn import_members(
    db: &DatabaseConnection,
    municipality: &Municipality,
    base_url: &url::Url,
    data: &[u8],
    skip_invalid: bool,
    actor: Actor,
) -> Result<ImportOutcome, DbErr> {
    let districts = profile_rules_data(db, municipality).await?;
    let rules =
        ProfileRules { districts: &districts, languages: &municipality.languages, current_year: current_year() };
    let file = parse_import_csv(data, &rules);
    let mut problems = file.errors;
    let emails: Vec<String> = file.rows.iter().map(|r| r.email.as_str().to_owned()).collect();
    let mut existing = HashSet::new();
    for chunk in emails.chunks(500) {
        let found: Vec<String> = municipality
            .find::<member::Entity>()
            .select_only()
            .column(member::Column::Email)
            .filter(member::Column::Email.is_in(chunk.iter().cloned()))
            .into_tuple()
            .all(db)
            .await?;
        existing.extend(found);
    }
    let (fresh, duplicates): (Vec<ImportRow>, Vec<ImportRow>) =
        file.rows.into_iter().partition(|r| !existing.contains(r.email.as_str()));
    problems.extend(
        duplicates
            .iter()
            .map(|r| FieldError::new(format!("line {}", r.line), "panel-import-error-exists").with("column", "email")),
    );
    problems.sort_by_key(|p| p.field.trim_start_matches("line ").parse::<usize>().unwrap_or(0));
    if (!problems.is_empty() && !skip_invalid) || fresh.is_empty() {
        return Ok(ImportOutcome { imported: 0, problems });
    }
    let base = municipalities::public_base_url(db, base_url, municipality).await?;
    let txn = crate::db::begin_write(db).await?;
    for row in &fresh {
        let mut model = new_member(municipality, row.email.as_str(), &row.profile);
        model.source = Set(row.source.code().to_owned());
        model.campaign = Set(row.campaign.clone());
        // Consent is given when the member confirms.
        model.consent_version = Set(String::new());
        let created = model.insert(&txn).await?;
        let (which, purpose) = (PanelEmail::Imported, link_purpose::CONFIRM);
        send_link(&txn, municipality, &base, &created, which, purpose, CONFIRM_VALID_SECONDS).await?;
    }
    audit::record(
        &txn,
        Some(municipality.id),
        actor,
        "member.import",
        "member",
        json!({ "imported": fresh.len(), "rejected_lines": problems.len() }),
    )
    .await?;
    txn.commit().await?;
    Ok(ImportOutcome { imported: fresh.len(), problems })
}

/// How a group is represented in the panel compared with the population.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Representation {
    /// Panel share below 80 % of the population share.
    Under,
    /// Roughly in line.
    Even,
    /// Panel share above 125 % of the population share.
    Over,
    /// No population figure to compare with.
    Unknown,
}

/// One group in a breakdown.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// Code of the group (district code, age band, gender, source).
    pub key: String,
    /// Active members in the group.
    pub members: i64,
    /// Share of active members, 0–1.
    pub panel_share: f64,
    /// Share of the population, 0–1, where margins know the group.
    pub population_share: Option<f64>,
    /// The comparison.
    pub representation: Representation,
}

/// Counts of active members by one attribute.
#[derive(Debug, Clone, PartialEq)]
pub struct Breakdown {
    /// `district`, `age_band`, `gender` or `source`.
    pub dimension: &'static str,
    /// Groups in display order.
    pub groups: Vec<Group>,
}

/// The staff overview of the panel (counts only, no personal data).
#[derive(Debug, Clone, PartialEq)]
pub struct Overview {
    /// Members by status (`pending`, `active`, `deactivated`).
    pub by_status: Vec<(String, i64)>,
    /// Active members with a pause in force.
    pub paused: i64,
    /// Active members in total.
    pub active: i64,
    /// Breakdowns of active members.
    pub breakdowns: Vec<Breakdown>,
}

/// Compare a panel share with a population share.
pub fn representation(panel_share: f64, population_share: Option<f64>) -> Representation {
    match population_share {
        Some(population) if population > 0.0 => {
            let ratio = panel_share / population;
            if ratio < 0.8 {
                Representation::Under
            } else if ratio > 1.25 {
                Representation::Over
            } else {
                Representation::Even
            }
        }
        _ => Representation::Unknown,
    }
}

fn breakdown(
    dimension: &'static str,
    keys: &[String],
    members: &BTreeMap<String, i64>,
    population: Option<&BTreeMap<String, i64>>,
) -> Breakdown {
    let member_total: i64 = members.values().sum();
    let population_total: i64 = population.map_or(0, |p| p.values().sum());
    let share = |n: i64, total: i64| if total > 0 { n as f64 / total as f64 } else { 0.0 };
    let mut all_keys: Vec<String> = keys.to_vec();
    all_keys.extend(members.keys().filter(|k| !keys.contains(k)).cloned());
    let groups = all_keys
        .into_iter()
        .map(|key| {
            let count = members.get(&key).copied().unwrap_or(0);
            let panel_share = share(count, member_total);
            let population_share = population
                .filter(|_| population_total > 0)
                .and_then(|p| p.get(&key))
                .map(|n| share(*n, population_total));
            Group {
                representation: representation(panel_share, population_share),
                key,
                members: count,
                panel_share,
                population_share,
            }
        })
        .collect();
    Breakdown { dimension, groups }
}

/// Count members by status and active members by district, age band, gender
/// and source, against the population margins.
pub async fn overview(db: &DatabaseConnection, municipality: &Municipality) -> Result<Overview, DbErr> {
    let rows: Vec<(String, i32, String, String, String, Option<String>)> = municipality
        .find::<member::Entity>()
        .select_only()
        .column(member::Column::Status)
        .column(member::Column::BirthYear)
        .column(member::Column::Gender)
        .column(member::Column::District)
        .column(member::Column::Source)
        .column(member::Column::PausedUntil)
        .into_tuple()
        .all(db)
        .await?;
    let year = current_year();
    let today = time::OffsetDateTime::now_utc().date().to_string();
    let mut by_status: BTreeMap<String, i64> = BTreeMap::new();
    let (mut district, mut age, mut gender, mut source) =
        (BTreeMap::new(), BTreeMap::new(), BTreeMap::new(), BTreeMap::new());
    let mut paused = 0;
    for (status, birth_year, member_gender, member_district, member_source, paused_until) in rows {
        *by_status.entry(status.clone()).or_insert(0) += 1;
        if status != MemberStatus::Active.code() {
            continue;
        }
        if paused_until.is_some_and(|until| until >= today) {
            paused += 1;
        }
        *district.entry(member_district).or_insert(0) += 1;
        if let Some(band) = AgeBand::for_age(year - birth_year) {
            *age.entry(band.as_str().to_owned()).or_insert(0) += 1;
        }
        *gender.entry(member_gender).or_insert(0) += 1;
        *source.entry(member_source).or_insert(0) += 1;
    }
    let margins = municipality.find::<population_margin::Entity>().all(db).await?;
    let (mut population_district, mut population_age, mut population_gender) =
        (BTreeMap::new(), BTreeMap::new(), BTreeMap::new());
    for cell in &margins {
        *population_district.entry(cell.district_code.clone()).or_insert(0) += cell.population;
        *population_age.entry(cell.age_band.clone()).or_insert(0) += cell.population;
        *population_gender.entry(cell.gender.clone()).or_insert(0) += cell.population;
    }
    let district_keys: Vec<String> =
        municipalities::districts(db, municipality).await?.into_iter().map(|d| d.code).collect();
    let age_keys: Vec<String> = AgeBand::ALL.iter().map(|b| b.as_str().to_owned()).collect();
    let gender_keys: Vec<String> =
        [Gender::Female, Gender::Male, Gender::Other].iter().map(|g| g.as_str().to_owned()).collect();
    let source_keys: Vec<String> =
        crate::domain::member::RecruitmentSource::ALL.iter().map(|s| s.code().to_owned()).collect();
    let active = by_status.get(MemberStatus::Active.code()).copied().unwrap_or(0);
    let status_order = [MemberStatus::Pending, MemberStatus::Active, MemberStatus::Deactivated];
    Ok(Overview {
        by_status: status_order
            .iter()
            .map(|s| (s.code().to_owned(), by_status.get(s.code()).copied().unwrap_or(0)))
            .collect(),
        paused,
        active,
        breakdowns: vec![
            breakdown("district", &district_keys, &district, Some(&population_district)),
            breakdown("age_band", &age_keys, &age, Some(&population_age)),
            breakdown("gender", &gender_keys, &gender, Some(&population_gender)),
            breakdown("source", &source_keys, &source, None),
        ],
    })
}

/// The overview as CSV: counts and shares only.
pub fn overview_csv(overview: &Overview) -> String {
    let mut out = String::from("dimension,group,members,panel_share,population_share,representation\n");
    for (status, count) in &overview.by_status {
        out.push_str(&format!("status,{status},{count},,,\n"));
    }
    out.push_str(&format!("status,paused,{},,,\n", overview.paused));
    for breakdown in &overview.breakdowns {
        for group in &breakdown.groups {
            let population = group.population_share.map(|s| format!("{s:.4}")).unwrap_or_default();
            let representation = match group.representation {
                Representation::Under => "under",
                Representation::Even => "even",
                Representation::Over => "over",
                Representation::Unknown => "",
            };
            out.push_str(&format!(
                "{},{},{},{:.4},{population},{representation}\n",
                breakdown.dimension, group.key, group.members, group.panel_share
            ));
        }
    }
    out
}

/// Members shown on one page of the staff list.
pub const MEMBERS_PER_PAGE: u64 = 50;

/// One page of the member list for an admin, newest first, with the number
/// of pages. The view is recorded in the audit log (member ids only).
pub async fn member_page(
    db: &DatabaseConnection,
    municipality: &Municipality,
    page: u64,
    actor: Actor,
) -> Result<(Vec<member::Model>, u64), DbErr> {
    let txn = crate::db::begin_write(db).await?;
    let paginator = municipality
        .find::<member::Entity>()
        .order_by_desc(member::Column::CreatedAt)
        .order_by_desc(member::Column::Id)
        .paginate(&txn, MEMBERS_PER_PAGE);
    let pages = paginator.num_pages().await?;
    let members = paginator.fetch_page(page).await?;
    let ids: Vec<i32> = members.iter().map(|m| m.id).collect();
    audit::record(
        &txn,
        Some(municipality.id),
        actor,
        "member.view",
        "member",
        json!({ "page": page + 1, "member_ids": ids }),
    )
    .await?;
    txn.commit().await?;
    Ok((members, pages))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn representation_flags_large_gaps() {
        assert_eq!(representation(0.1, Some(0.2)), Representation::Under);
        assert_eq!(representation(0.2, Some(0.2)), Representation::Even);
        assert_eq!(representation(0.3, Some(0.2)), Representation::Over);
        assert_eq!(representation(0.3, None), Representation::Unknown);
        assert_eq!(representation(0.3, Some(0.0)), Representation::Unknown);
    }

    #[test]
    fn breakdowns_keep_known_groups_and_add_unknown_ones() {
        let members = BTreeMap::from([("nord".to_owned(), 3), ("gammel".to_owned(), 1)]);
        let population = BTreeMap::from([("nord".to_owned(), 50), ("sentrum".to_owned(), 50)]);
        let result = breakdown("district", &["sentrum".into(), "nord".into()], &members, Some(&population));
        let keys: Vec<_> = result.groups.iter().map(|g| (g.key.as_str(), g.members, g.representation)).collect();
        assert_eq!(
            keys,
            vec![
                ("sentrum", 0, Representation::Under),
                ("nord", 3, Representation::Over),
                ("gammel", 1, Representation::Unknown)
            ]
        );
    }
}
