//! Staff accounts, passwords and sessions.

use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::json;

use crate::domain::token::hash_token_text;
use crate::domain::{Email, NewPassword, Role, SecretToken};
use crate::entities::{staff_session, staff_user};
use crate::services::audit::{self, Actor};
use crate::services::tenant::Municipality;

/// Failed sign-ins in a row before an account is locked.
pub const MAX_FAILED_SIGN_INS: i32 = 5;
/// How long a locked account stays locked, in seconds.
pub const LOCK_SECONDS: i64 = 15 * 60;
/// How long a session lasts, in seconds (one working day).
pub const SESSION_SECONDS: i64 = 10 * 60 * 60;

/// A staff account as the rest of the service sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffUser {
    /// Database id.
    pub id: i32,
    /// The municipality, or `None` for a host operator.
    pub municipality_id: Option<i32>,
    /// Sign-in address.
    pub email: String,
    /// Name shown in the staff pages and the audit log.
    pub display_name: String,
    /// What the account may do.
    pub role: Role,
}

impl StaffUser {
    fn from_model(model: staff_user::Model) -> Result<Self, DbErr> {
        let role = model.role.parse().map_err(|_| DbErr::Custom(format!("staff user {}: invalid role", model.id)))?;
        Ok(Self {
            id: model.id,
            municipality_id: model.municipality_id,
            email: model.email,
            display_name: model.display_name,
            role,
        })
    }

    /// The actor to record in the audit log for this user's writes.
    pub fn actor(&self) -> Actor {
        Actor::Staff { user_id: self.id }
    }
}

/// Why an account could not be created.
#[derive(Debug, thiserror::Error)]
pub enum CreateUserError {
    /// An account with this email already exists where it would be created.
    #[error("an account with this email address already exists")]
    Duplicate,
    /// Operators have no municipality and municipal roles need one.
    #[error("operators belong to no municipality; other roles need one")]
    WrongScope,
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// Why a sign-in failed.
#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    /// Wrong email or password (deliberately not saying which).
    #[error("wrong email or password")]
    InvalidCredentials,
    /// Too many failures; locked until this time (seconds since the epoch).
    #[error("account locked")]
    Locked {
        /// When the lock ends.
        until: i64,
    },
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// Hash a password with Argon2id (default parameters: 19 MiB, 2 passes).
pub async fn hash_password(password: &NewPassword) -> Result<String, DbErr> {
    let text = password.expose().to_owned();
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(text.as_bytes())
            .map(|hash| hash.to_string())
            .map_err(|e| DbErr::Custom(format!("password hashing failed: {e}")))
    })
    .await
    .map_err(|e| DbErr::Custom(format!("password hashing task failed: {e}")))?
}

async fn verify_password(password: &str, hash: &str) -> bool {
    let (password, hash) = (password.to_owned(), hash.to_owned());
    tokio::task::spawn_blocking(move || Argon2::default().verify_password(password.as_bytes(), hash.as_str()).is_ok())
        .await
        .unwrap_or(false)
}

/// A hash of a random password, checked against when no account matches so
/// that a wrong email takes as long as a wrong password.
async fn dummy_hash() -> &'static str {
    static DUMMY: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    DUMMY
        .get_or_init(|| async {
            let random = SecretToken::generate().reveal();
            match NewPassword::parse(&random) {
                Ok(password) => hash_password(&password).await.unwrap_or_default(),
                Err(_) => String::new(),
            }
        })
        .await
}

/// Create an account. `municipality` is `None` only for operators.
pub async fn create_user(
    db: &DatabaseConnection,
    municipality: Option<&Municipality>,
    email: &Email,
    display_name: &str,
    role: Role,
    password: &NewPassword,
    actor: Actor,
) -> Result<StaffUser, CreateUserError> {
    if (role == Role::Operator) != municipality.is_none() {
        return Err(CreateUserError::WrongScope);
    }
    let municipality_id = municipality.map(|m| m.id);
    let password_hash = hash_password(password).await?;
    let txn = crate::db::begin_write(db).await?;
    if find_account(&txn, municipality_id, email.as_str()).await?.is_some() {
        return Err(CreateUserError::Duplicate);
    }
    let model = staff_user::ActiveModel {
        municipality_id: Set(municipality_id),
        email: Set(email.as_str().to_owned()),
        display_name: Set(display_name.trim().to_owned()),
        password_hash: Set(password_hash),
        role: Set(role.as_str().to_owned()),
        failed_sign_ins: Set(0),
        locked_until: Set(None),
        disabled: Set(false),
        created_at: Set(super::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        municipality_id,
        actor,
        "staff.create",
        &format!("staff_user:{}", model.id),
        json!({ "role": role.as_str() }),
    )
    .await?;
    txn.commit().await?;
    Ok(StaffUser::from_model(model)?)
}

/// Set a new password for an existing account (and unlock it).
pub async fn set_password(
    db: &DatabaseConnection,
    user_id: i32,
    password: &NewPassword,
    actor: Actor,
) -> Result<(), DbErr> {
    let password_hash = hash_password(password).await?;
    let txn = crate::db::begin_write(db).await?;
    let user = staff_user::Entity::find_by_id(user_id)
        .one(&txn)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("staff user".into()))?;
    let municipality_id = user.municipality_id;
    let mut active: staff_user::ActiveModel = user.into();
    active.password_hash = Set(password_hash);
    active.failed_sign_ins = Set(0);
    active.locked_until = Set(None);
    active.update(&txn).await?;
    audit::record(&txn, municipality_id, actor, "staff.set_password", &format!("staff_user:{user_id}"), json!({}))
        .await?;
    txn.commit().await
}

/// The account with this email in the municipality (or among operators when
/// `municipality_id` is `None`).
pub async fn find_account<C: sea_orm::ConnectionTrait>(
    db: &C,
    municipality_id: Option<i32>,
    email: &str,
) -> Result<Option<staff_user::Model>, DbErr> {
    let scope = match municipality_id {
        Some(id) => staff_user::Column::MunicipalityId.eq(id),
        None => staff_user::Column::MunicipalityId.is_null(),
    };
    staff_user::Entity::find().filter(scope).filter(staff_user::Column::Email.eq(email)).one(db).await
}

/// Check an email and password. Municipal staff sign in at their own
/// municipality's address; operators at any address of the host.
pub async fn sign_in(
    db: &DatabaseConnection,
    municipality: Option<&Municipality>,
    email: &str,
    password: &str,
) -> Result<StaffUser, SignInError> {
    let normalised = Email::parse(email).map(|e| e.as_str().to_owned()).unwrap_or_default();
    let mut account = match municipality {
        Some(m) => find_account(db, Some(m.id), &normalised).await?,
        None => None,
    };
    if account.is_none() {
        account = find_account(db, None, &normalised).await?;
    }
    let Some(account) = account.filter(|a| !a.disabled) else {
        verify_password(password, dummy_hash().await).await;
        return Err(SignInError::InvalidCredentials);
    };
    let now = super::now();
    if let Some(until) = account.locked_until.filter(|until| *until > now) {
        return Err(SignInError::Locked { until });
    }
    if verify_password(password, &account.password_hash).await {
        let mut active: staff_user::ActiveModel = account.clone().into();
        active.failed_sign_ins = Set(0);
        active.locked_until = Set(None);
        let updated = active.update(db).await?;
        return Ok(StaffUser::from_model(updated)?);
    }
    let failures = account.failed_sign_ins + 1;
    let mut active: staff_user::ActiveModel = account.clone().into();
    if failures >= MAX_FAILED_SIGN_INS {
        active.failed_sign_ins = Set(0);
        active.locked_until = Set(Some(now + LOCK_SECONDS));
        active.update(db).await?;
        audit::record(
            db,
            account.municipality_id,
            Actor::System,
            "staff.locked",
            &format!("staff_user:{}", account.id),
            json!({ "failed_sign_ins": failures }),
        )
        .await?;
        return Err(SignInError::Locked { until: now + LOCK_SECONDS });
    }
    active.failed_sign_ins = Set(failures);
    active.update(db).await?;
    Err(SignInError::InvalidCredentials)
}

/// Start a session for a signed-in user; returns the cookie value.
pub async fn start_session(db: &DatabaseConnection, user: &StaffUser) -> Result<SecretToken, DbErr> {
    let token = SecretToken::generate();
    let now = super::now();
    staff_session::ActiveModel {
        token_hash: Set(token.hash()),
        user_id: Set(user.id),
        municipality_id: Set(user.municipality_id),
        created_at: Set(now),
        expires_at: Set(now + SESSION_SECONDS),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// The user behind a session cookie, if the session is valid here.
///
/// A municipal user's session is valid only at their own municipality; an
/// operator's anywhere on the host.
pub async fn session_user(
    db: &DatabaseConnection,
    cookie: &str,
    municipality: Option<&Municipality>,
) -> Result<Option<StaffUser>, DbErr> {
    let Some(session) = staff_session::Entity::find()
        .filter(staff_session::Column::TokenHash.eq(hash_token_text(cookie)))
        .filter(staff_session::Column::ExpiresAt.gt(super::now()))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    if session.municipality_id.is_some() && session.municipality_id != municipality.map(|m| m.id) {
        return Ok(None);
    }
    let user = staff_user::Entity::find_by_id(session.user_id).one(db).await?;
    user.filter(|u| !u.disabled && u.municipality_id == session.municipality_id).map(StaffUser::from_model).transpose()
}

/// End the session behind a cookie.
pub async fn end_session(db: &DatabaseConnection, cookie: &str) -> Result<(), DbErr> {
    staff_session::Entity::delete_many()
        .filter(staff_session::Column::TokenHash.eq(hash_token_text(cookie)))
        .exec(db)
        .await?;
    Ok(())
}

/// Delete expired sessions.
pub async fn purge_expired_sessions(db: &DatabaseConnection) -> Result<u64, DbErr> {
    let result = staff_session::Entity::delete_many()
        .filter(staff_session::Column::ExpiresAt.lte(super::now()))
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

/// A municipality's staff accounts, by role then email.
pub async fn list_staff(db: &DatabaseConnection, municipality: &Municipality) -> Result<Vec<StaffUser>, DbErr> {
    municipality
        .find::<staff_user::Entity>()
        .order_by_asc(staff_user::Column::Email)
        .all(db)
        .await?
        .into_iter()
        .map(StaffUser::from_model)
        .collect()
}

/// The name of one of the municipality's staff accounts.
pub async fn display_name<C: sea_orm::ConnectionTrait>(
    db: &C,
    municipality: &Municipality,
    user_id: i32,
) -> Result<Option<String>, DbErr> {
    Ok(municipality
        .find::<staff_user::Entity>()
        .filter(staff_user::Column::Id.eq(user_id))
        .one(db)
        .await?
        .map(|row| row.display_name))
}

/// Host operators.
pub async fn list_operators(db: &DatabaseConnection) -> Result<Vec<StaffUser>, DbErr> {
    staff_user::Entity::find()
        .filter(Condition::all().add(staff_user::Column::MunicipalityId.is_null()))
        .order_by_asc(staff_user::Column::Email)
        .all(db)
        .await?
        .into_iter()
        .map(StaffUser::from_model)
        .collect()
}
