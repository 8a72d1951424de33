//! Municipalities: creating them, their settings, host names, districts and
//! population margins.

use std::collections::HashSet;

use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, Set};
use serde_json::json;

use crate::domain::margins::{self, MarginCell};
use crate::domain::municipality::{Settings, normalise_host};
use crate::domain::validation::{FieldError, Invalid};
use crate::domain::{DistrictCode, Slug};
use crate::entities::{district, municipality, municipality_host, population_margin};
use crate::services::audit::{self, Actor};
use crate::services::tenant::Municipality;

/// Why a change to a municipality was refused.
#[derive(Debug, thiserror::Error)]
pub enum ChangeError {
    /// The input is not valid.
    #[error(transparent)]
    Invalid(#[from] Invalid),
    /// The database failed.
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// A district of a municipality.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct District {
    /// Code used in data and files.
    pub code: String,
    /// Name shown to people.
    pub name: String,
}

/// Every municipality on this host, by name.
pub async fn list(db: &DatabaseConnection) -> Result<Vec<Municipality>, DbErr> {
    municipality::Entity::find()
        .order_by_asc(municipality::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(Municipality::from_model)
        .collect()
}

/// The municipality with this short name.
pub async fn by_slug(db: &DatabaseConnection, slug: &str) -> Result<Option<Municipality>, DbErr> {
    municipality::Entity::find()
        .filter(municipality::Column::Slug.eq(slug))
        .one(db)
        .await?
        .map(Municipality::from_model)
        .transpose()
}

/// Create a municipality with its host names.
pub async fn add(
    db: &DatabaseConnection,
    slug: &Slug,
    settings: &Settings,
    hosts: &[String],
    actor: Actor,
) -> Result<Municipality, ChangeError> {
    let txn = crate::db::begin_write(db).await?;
    if municipality::Entity::find().filter(municipality::Column::Slug.eq(slug.as_str())).one(&txn).await?.is_some() {
        return Err(Invalid(vec![FieldError::new("slug", "municipality-error-slug-taken")]).into());
    }
    let model = municipality::ActiveModel {
        slug: Set(slug.as_str().to_owned()),
        created_at: Set(super::now()),
        ..settings_model(settings)
    }
    .insert(&txn)
    .await?;
    let created = Municipality::from_model(model)?;
    replace_hosts(&txn, &created, hosts).await?;
    audit::record(
        &txn,
        None,
        actor,
        "municipality.create",
        &format!("municipality:{}", created.id),
        json!({ "slug": slug.as_str() }),
    )
    .await?;
    txn.commit().await?;
    Ok(created)
}

fn settings_model(settings: &Settings) -> municipality::ActiveModel {
    municipality::ActiveModel {
        name: Set(settings.name.clone()),
        default_language: Set(settings.default_language.code().to_owned()),
        languages: Set(crate::domain::Language::join_list(&settings.languages)),
        compass_framework: Set(settings.compass_framework.clone()),
        max_invitations_per_year: Set(settings.max_invitations_per_year),
        min_days_between_invitations: Set(settings.min_days_between_invitations),
        suppression_threshold: Set(settings.suppression_threshold),
        consent_renewal_years: Set(settings.consent_renewal_years),
        ..Default::default()
    }
}

/// Replace a municipality's settings.
pub async fn update_settings(
    db: &DatabaseConnection,
    municipality: &Municipality,
    settings: &Settings,
    actor: Actor,
) -> Result<Municipality, ChangeError> {
    let txn = crate::db::begin_write(db).await?;
    let mut active = settings_model(settings);
    active.id = Set(municipality.id);
    let model = active.update(&txn).await?;
    audit::record(
        &txn,
        Some(municipality.id),
        actor,
        "municipality.settings",
        &format!("municipality:{}", municipality.id),
        json!({
            "languages": model.languages,
            "default_language": model.default_language,
            "compass_framework": model.compass_framework,
            "max_invitations_per_year": model.max_invitations_per_year,
            "min_days_between_invitations": model.min_days_between_invitations,
            "suppression_threshold": model.suppression_threshold,
            "consent_renewal_years": model.consent_renewal_years,
        }),
    )
    .await?;
    txn.commit().await?;
    Ok(Municipality::from_model(model)?)
}

/// Check host names: `Ok` with them normalised, or the problems.
pub fn parse_hosts(text: &str) -> Result<Vec<String>, Invalid> {
    let mut hosts = Vec::new();
    let mut errors = Vec::new();
    for raw in text.split([',', '\n', ' ']).map(str::trim).filter(|h| !h.is_empty()) {
        let host = normalise_host(raw);
        let valid = host.len() <= 253
            && host.split('.').all(|label| {
                !label.is_empty() && label.len() <= 63 && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            });
        if !valid {
            errors.push(FieldError::new("hosts", "municipality-error-host").with("value", raw));
        } else if !hosts.contains(&host) {
            hosts.push(host);
        }
    }
    Invalid::check(errors)?;
    Ok(hosts)
}

async fn replace_hosts<C: sea_orm::ConnectionTrait>(
    txn: &C,
    municipality: &Municipality,
    hosts: &[String],
) -> Result<(), ChangeError> {
    let taken: Vec<String> = municipality_host::Entity::find()
        .filter(municipality_host::Column::Host.is_in(hosts.iter().cloned()))
        .filter(municipality_host::Column::MunicipalityId.ne(municipality.id))
        .all(txn)
        .await?
        .into_iter()
        .map(|row| row.host)
        .collect();
    if !taken.is_empty() {
        let errors = taken
            .into_iter()
            .map(|host| FieldError::new("hosts", "municipality-error-host-taken").with("value", host))
            .collect();
        return Err(Invalid(errors).into());
    }
    municipality.delete_many::<municipality_host::Entity>().exec(txn).await?;
    for host in hosts {
        municipality_host::ActiveModel {
            municipality_id: Set(municipality.id),
            host: Set(host.clone()),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}

/// Replace a municipality's host names.
pub async fn set_hosts(
    db: &DatabaseConnection,
    municipality: &Municipality,
    hosts: &[String],
    actor: Actor,
) -> Result<(), ChangeError> {
    let txn = crate::db::begin_write(db).await?;
    replace_hosts(&txn, municipality, hosts).await?;
    audit::record(
        &txn,
        Some(municipality.id),
        actor,
        "municipality.hosts",
        &format!("municipality:{}", municipality.id),
        json!({ "hosts": hosts }),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// A municipality's host names.
pub async fn hosts(db: &DatabaseConnection, municipality: &Municipality) -> Result<Vec<String>, DbErr> {
    Ok(municipality
        .find::<municipality_host::Entity>()
        .order_by_asc(municipality_host::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|row| row.host)
        .collect())
}

/// Every municipality, by name, with its host names (two queries, for the
/// operator's list).
pub async fn list_with_hosts(db: &DatabaseConnection) -> Result<Vec<(Municipality, Vec<String>)>, DbErr> {
    let mut hosts: std::collections::HashMap<i32, Vec<String>> = std::collections::HashMap::new();
    // Host-wide on purpose: the operator sees every municipality.
    for row in municipality_host::Entity::find().order_by_asc(municipality_host::Column::Id).all(db).await? {
        hosts.entry(row.municipality_id).or_default().push(row.host);
    }
    Ok(list(db)
        .await?
        .into_iter()
        .map(|m| {
            let own = hosts.remove(&m.id).unwrap_or_default();
            (m, own)
        })
        .collect())
}

/// A municipality's districts in display order.
pub async fn districts(db: &DatabaseConnection, municipality: &Municipality) -> Result<Vec<District>, DbErr> {
    Ok(municipality
        .find::<district::Entity>()
        .order_by_asc(district::Column::Position)
        .all(db)
        .await?
        .into_iter()
        .map(|row| District { code: row.code, name: row.name })
        .collect())
}

/// Replace the districts. Codes that population margins still use must stay.
pub async fn set_districts(
    db: &DatabaseConnection,
    municipality: &Municipality,
    districts: &[(DistrictCode, String)],
    actor: Actor,
) -> Result<(), ChangeError> {
    let txn = crate::db::begin_write(db).await?;
    let kept: HashSet<&str> = districts.iter().map(|(code, _)| code.as_str()).collect();
    let in_margins: HashSet<String> = municipality
        .find::<population_margin::Entity>()
        .all(&txn)
        .await?
        .into_iter()
        .map(|row| row.district_code)
        .collect();
    let mut missing: Vec<&String> = in_margins.iter().filter(|code| !kept.contains(code.as_str())).collect();
    missing.sort();
    if let Some(code) = missing.first() {
        return Err(Invalid(vec![
            FieldError::new("districts", "settings-error-district-in-margins").with("value", code),
        ])
        .into());
    }
    municipality.delete_many::<district::Entity>().exec(&txn).await?;
    for (position, (code, name)) in districts.iter().enumerate() {
        district::ActiveModel {
            municipality_id: Set(municipality.id),
            code: Set(code.as_str().to_owned()),
            name: Set(name.clone()),
            position: Set(position as i32),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    audit::record(
        &txn,
        Some(municipality.id),
        actor,
        "municipality.districts",
        &format!("municipality:{}", municipality.id),
        json!({ "count": districts.len() }),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// A municipality's population margins.
pub async fn margins(
    db: &DatabaseConnection,
    municipality: &Municipality,
) -> Result<Vec<population_margin::Model>, DbErr> {
    municipality
        .find::<population_margin::Entity>()
        .order_by_asc(population_margin::Column::DistrictCode)
        .order_by_asc(population_margin::Column::AgeBand)
        .order_by_asc(population_margin::Column::Gender)
        .all(db)
        .await
}

/// Replace the population margins with the cells of a CSV file: all rows or
/// none. Returns the number of cells stored.
pub async fn import_margins_csv(
    db: &DatabaseConnection,
    municipality: &Municipality,
    data: &[u8],
    actor: Actor,
) -> Result<usize, ChangeError> {
    let known: HashSet<String> = districts(db, municipality).await?.into_iter().map(|d| d.code).collect();
    let cells = margins::parse_csv(data, &known).map_err(Invalid)?;
    replace_margins(db, municipality, &cells, actor).await?;
    Ok(cells.len())
}

/// Replace the population margins in one transaction.
pub async fn replace_margins(
    db: &DatabaseConnection,
    municipality: &Municipality,
    cells: &[MarginCell],
    actor: Actor,
) -> Result<(), ChangeError> {
    let txn = crate::db::begin_write(db).await?;
    municipality.delete_many::<population_margin::Entity>().exec(&txn).await?;
    for chunk in cells.chunks(200) {
        population_margin::Entity::insert_many(chunk.iter().map(|cell| population_margin::ActiveModel {
            municipality_id: Set(municipality.id),
            district_code: Set(cell.district.as_str().to_owned()),
            age_band: Set(cell.age_band.as_str().to_owned()),
            gender: Set(cell.gender.as_str().to_owned()),
            population: Set(cell.population),
            ..Default::default()
        }))
        .exec_without_returning(&txn)
        .await?;
    }
    let total: i64 = cells.iter().map(|c| c.population).sum();
    audit::record(
        &txn,
        Some(municipality.id),
        actor,
        "municipality.margins",
        &format!("municipality:{}", municipality.id),
        json!({ "cells": cells.len(), "population": total }),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The public address of a municipality: the deployment's scheme and port
/// with the municipality's first host name (links in emails use it), or the
/// deployment's base URL when the municipality has no host name.
pub async fn public_base_url(
    db: &DatabaseConnection,
    base_url: &url::Url,
    municipality: &Municipality,
) -> Result<url::Url, DbErr> {
    let mut url = base_url.clone();
    if let Some(host) = hosts(db, municipality).await?.into_iter().next() {
        // A host name that is valid in our table is valid in a URL.
        let _ = url.set_host(Some(&host));
    }
    Ok(url)
}
