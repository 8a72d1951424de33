//! Tenant scoping: the one place where "rows of this municipality" is decided.
//!
//! Every entity that belongs to a municipality implements [`TenantOwned`];
//! services reach such rows only through [`Municipality::find`],
//! [`Municipality::update_many`] and [`Municipality::delete_many`], which add
//! the municipality filter. A service that needs municipal data takes a
//! `&Municipality`, which web handlers get from the `Tenant` extractor (host
//! name) and CLI commands from `--municipality`.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, DeleteMany, EntityTrait, QueryFilter, Select, UpdateMany};

use crate::domain::{Language, Slug};
use crate::entities::{
    api_key, audit_event, compass_assessment, compass_framework, district, invitation, member, member_link,
    municipality, municipality_host, outbox_email, population_margin, reminder_link, response, response_answer, sample,
    staff_session, staff_user, survey,
};

/// An entity whose rows belong to one municipality.
pub trait TenantOwned: EntityTrait {
    /// The column holding the municipality id.
    fn municipality_column() -> Self::Column;
}

macro_rules! tenant_owned {
    ($($entity:path),* $(,)?) => {
        $(impl TenantOwned for $entity {
            fn municipality_column() -> Self::Column {
                <$entity as EntityTrait>::Column::MunicipalityId
            }
        })*
    };
}

tenant_owned!(
    api_key::Entity,
    municipality_host::Entity,
    district::Entity,
    population_margin::Entity,
    staff_user::Entity,
    staff_session::Entity,
    audit_event::Entity,
    member::Entity,
    member_link::Entity,
    survey::Entity,
    sample::Entity,
    invitation::Entity,
    reminder_link::Entity,
    response::Entity,
    response_answer::Entity,
    outbox_email::Entity,
    compass_assessment::Entity,
    compass_framework::Entity,
);

/// A municipality's settings, loaded and parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Municipality {
    /// Database id.
    pub id: i32,
    /// Short name.
    pub slug: Slug,
    /// Display name, e.g. "Fjordvik kommune".
    pub name: String,
    /// Language used when the reader has not chosen one.
    pub default_language: Language,
    /// Languages offered to residents (includes the default).
    pub languages: Vec<Language>,
    /// Compass framework key.
    pub compass_framework: String,
    /// Fatigue cap: invitations per rolling 12 months.
    pub max_invitations_per_year: i32,
    /// Fatigue cap: days between two invitations.
    pub min_days_between_invitations: i32,
    /// Groups smaller than this are hidden in results.
    pub suppression_threshold: i32,
    /// Years before consent must be renewed.
    pub consent_renewal_years: i32,
}

impl Municipality {
    /// Parse a database row. Rows are written only through checked services,
    /// so a failure here means the database was edited by hand.
    pub fn from_model(model: municipality::Model) -> Result<Self, DbErr> {
        let corrupt = |what: &str| DbErr::Custom(format!("municipality {}: invalid {what}", model.id));
        let languages = Language::parse_list(&model.languages).map_err(|_| corrupt("languages"))?;
        let default_language = model.default_language.parse().map_err(|_| corrupt("default_language"))?;
        Ok(Self {
            id: model.id,
            slug: Slug::parse(&model.slug).map_err(|_| corrupt("slug"))?,
            name: model.name,
            default_language,
            languages,
            compass_framework: model.compass_framework,
            max_invitations_per_year: model.max_invitations_per_year,
            min_days_between_invitations: model.min_days_between_invitations,
            suppression_threshold: model.suppression_threshold,
            consent_renewal_years: model.consent_renewal_years,
        })
    }

    /// Rows of `E` that belong to this municipality.
    pub fn find<E: TenantOwned>(&self) -> Select<E> {
        E::find().filter(E::municipality_column().eq(self.id))
    }

    /// An update limited to this municipality's rows of `E`.
    pub fn update_many<E: TenantOwned>(&self) -> UpdateMany<E> {
        E::update_many().filter(E::municipality_column().eq(self.id))
    }

    /// A delete limited to this municipality's rows of `E`.
    pub fn delete_many<E: TenantOwned>(&self) -> DeleteMany<E> {
        E::delete_many().filter(E::municipality_column().eq(self.id))
    }

    /// Whether residents may use this language here.
    pub fn offers(&self, language: Language) -> bool {
        self.languages.contains(&language)
    }
}

const CACHE_TTL: Duration = Duration::from_secs(30);

/// When a host was looked up, and what it led to.
type CacheEntry = (Instant, Option<Arc<Municipality>>);

/// Resolves host names to municipalities, with a short in-memory cache so a
/// page view does not pay a query for it. Changes made on this node clear
/// the cache at once; other nodes see them within 30 seconds.
pub struct TenantDirectory {
    default_slug: Option<String>,
    cache: RwLock<HashMap<String, CacheEntry>>,
}

impl TenantDirectory {
    /// A directory that falls back to `default_slug` for unknown hosts.
    pub fn new(default_slug: Option<String>) -> Self {
        Self { default_slug, cache: RwLock::new(HashMap::new()) }
    }

    /// The municipality served at `host` (already normalised), if any.
    pub async fn resolve(&self, db: &DatabaseConnection, host: &str) -> Result<Option<Arc<Municipality>>, DbErr> {
        if let Ok(cache) = self.cache.read()
            && let Some((at, found)) = cache.get(host)
            && at.elapsed() < CACHE_TTL
        {
            return Ok(found.clone());
        }
        let found = self.lookup(db, host).await?.map(Arc::new);
        if let Ok(mut cache) = self.cache.write() {
            if cache.len() > 1000 {
                cache.clear();
            }
            cache.insert(host.to_owned(), (Instant::now(), found.clone()));
        }
        Ok(found)
    }

    async fn lookup(&self, db: &DatabaseConnection, host: &str) -> Result<Option<Municipality>, DbErr> {
        let by_host =
            municipality_host::Entity::find().filter(municipality_host::Column::Host.eq(host)).one(db).await?;
        let model = match by_host {
            Some(row) => municipality::Entity::find_by_id(row.municipality_id).one(db).await?,
            None => match &self.default_slug {
                Some(slug) => {
                    municipality::Entity::find().filter(municipality::Column::Slug.eq(slug.as_str())).one(db).await?
                }
                None => None,
            },
        };
        model.map(Municipality::from_model).transpose()
    }

    /// Forget cached answers after a municipality or host changed.
    pub fn invalidate(&self) {
        if let Ok(mut cache) = self.cache.write() {
            cache.clear();
        }
    }
}
