//! Demo panel members: synthetic, deterministic, and skewed the way real
//! panels are (more people aged 45–66, more women, more from the central
//! district, mostly self-registered or drawn from the register), with a few
//! pending sign-ups, paused members and consents due for renewal.

use std::collections::HashSet;

use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, QueryFilter, QuerySelect, Set};

use crate::domain::member::{CONSENT_VERSION, MemberStatus};
use crate::domain::profile::Education;
use crate::entities::member;
use crate::services::municipalities;
use crate::services::tenant::Municipality;

/// A small deterministic generator (SplitMix64), so every demo is the same.
struct Dice(u64);

impl Dice {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    /// An index chosen with the given weights.
    fn weighted(&mut self, weights: &[u64]) -> usize {
        let mut roll = self.below(weights.iter().sum());
        for (index, weight) in weights.iter().enumerate() {
            if roll < *weight {
                return index;
            }
            roll -= weight;
        }
        0
    }
}

/// Age ranges and their weights: panels have many 45–66-year-olds.
const AGES: [(i32, i32, u64); 7] =
    [(16, 24, 5), (25, 34, 10), (35, 44, 14), (45, 54, 22), (55, 66, 26), (67, 79, 18), (80, 92, 5)];

const DAY: i64 = 86_400;

/// Create the demo members that are missing (matched by address).
pub async fn seed(db: &DatabaseConnection, _base_url: &url::Url, municipality: &Municipality) -> anyhow::Result<()> {
    let (count, domain) = match municipality.slug.as_str() {
        "fjordvik" => (400, "fjordvik.example"),
        "lillevik" => (60, "lillevik.example"),
        _ => return Ok(()),
    };
    let existing: HashSet<String> = municipality
        .find::<member::Entity>()
        .select_only()
        .column(member::Column::Email)
        .filter(member::Column::Email.like(format!("medlem%@{domain}")))
        .into_tuple()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let districts: Vec<String> =
        municipalities::districts(db, municipality).await?.into_iter().map(|d| d.code).collect();
    if districts.is_empty() {
        return Ok(());
    }
    // The first district (the centre) is heavily over-represented.
    let district_weights: Vec<u64> = (0..districts.len()).map(|i| if i == 0 { 40 } else { 12 }).collect();
    let now = crate::services::now();
    let year = time::OffsetDateTime::now_utc().year();
    let today = time::OffsetDateTime::now_utc().date();
    let mut dice = Dice(0x5EED_F70D_u64 ^ municipality.slug.as_str().len() as u64);
    let txn = crate::db::begin_write(db).await?;
    for n in 1..=count {
        let email = format!("medlem{n:04}@{domain}");
        // Draw every value even for existing members, so the sequence never shifts.
        let (low, high, _) = AGES[dice.weighted(&AGES.map(|a| a.2))];
        let age = low + dice.below((high - low + 1) as u64) as i32;
        let gender = ["female", "male", "other"][dice.weighted(&[56, 42, 2])];
        let district = &districts[dice.weighted(&district_weights)];
        let source = ["self", "register", "event", "import"][dice.weighted(&[55, 35, 7, 3])];
        let education = [
            None,
            Some(Education::Primary),
            Some(Education::UpperSecondary),
            Some(Education::HigherShort),
            Some(Education::HigherLong),
        ][dice.weighted(&[20, 8, 27, 28, 17])];
        let language = if dice.below(10) == 0 { municipality.languages.last() } else { None }
            .copied()
            .unwrap_or(municipality.default_language);
        let joined_days_ago = 10 + dice.below(3 * 365) as i64;
        if existing.contains(&email) {
            continue;
        }
        let pending = n % 40 == 0;
        let paused = n % 25 == 0;
        // A few consents older than the renewal period, to show renewal.
        let old_consent = n % 97 == 0;
        let created_at = if pending { now - DAY } else { now - joined_days_ago * DAY };
        let consent_at = if old_consent {
            now - (i64::from(municipality.consent_renewal_years) * 365 + 20) * DAY
        } else {
            created_at
        };
        member::ActiveModel {
            municipality_id: Set(municipality.id),
            email: Set(email),
            mobile: Set(None),
            birth_year: Set(year - age),
            gender: Set(gender.to_owned()),
            district: Set(district.clone()),
            education: Set(education.map(|e| e.code().to_owned())),
            language: Set(language.code().to_owned()),
            source: Set(source.to_owned()),
            campaign: Set((source == "register").then(|| "register-2025".to_owned())),
            status: Set(if pending { MemberStatus::Pending } else { MemberStatus::Active }.code().to_owned()),
            paused_until: Set(paused.then(|| (today + time::Duration::days(90)).to_string())),
            consent_version: Set(CONSENT_VERSION.to_owned()),
            consent_at: Set(consent_at),
            confirmed_at: Set((!pending).then_some(created_at + 3600)),
            email_invalid: Set(false),
            created_at: Set(created_at),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dice_are_deterministic_and_follow_weights() {
        let mut a = Dice(7);
        let mut b = Dice(7);
        assert_eq!((0..10).map(|_| a.next()).collect::<Vec<_>>(), (0..10).map(|_| b.next()).collect::<Vec<_>>());
        let mut dice = Dice(1);
        let heavy = (0..1000).filter(|_| dice.weighted(&[9, 1]) == 0).count();
        assert!((850..950).contains(&heavy), "{heavy}");
    }
}
