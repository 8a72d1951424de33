//! The demo: a fictional municipality with data, on SQLite, mail to files.
//!
//! Seeding is idempotent: running it again creates only what is missing and
//! never changes passwords. Each part of the service seeds its own data in
//! its own module, called in order from [`seed`].

mod compass;
mod feedback;
mod invitations;
mod panel;
mod responses;
mod surveys;

use std::collections::HashMap;
use std::path::Path;

use sea_orm::DatabaseConnection;

use crate::config::{Config, ConfigError, Environment, ProcessEnv};
use crate::domain::margins::MarginCell;
use crate::domain::municipality::Settings;
use crate::domain::{AgeBand, DistrictCode, Email, Gender, Language, NewPassword, Role, SecretToken, Slug};
use crate::services::audit::Actor;
use crate::services::tenant::Municipality;
use crate::services::{municipalities, staff};

/// Where the demo keeps its files.
pub const DATA_DIR: &str = "data";

/// Environment for the demo: real variables first, then demo defaults.
struct DemoEnv {
    defaults: HashMap<&'static str, String>,
}

impl Environment for DemoEnv {
    fn var(&self, name: &str) -> Option<String> {
        ProcessEnv.var(name).or_else(|| self.defaults.get(name).cloned()).filter(|v| !v.is_empty())
    }
}

/// The demo's configuration. A session key is made once and kept in
/// `data/session-key` so sessions survive a restart.
pub fn config() -> Result<Config, ConfigError> {
    let key_file = Path::new(DATA_DIR).join("session-key");
    let key = std::fs::read_to_string(&key_file).ok().filter(|k| k.trim().len() >= 32).unwrap_or_else(|| {
        let key = format!("{}{}", SecretToken::generate().reveal(), SecretToken::generate().reveal());
        let _ = std::fs::create_dir_all(DATA_DIR).and_then(|()| std::fs::write(&key_file, &key));
        key
    });
    let defaults = HashMap::from([
        ("RADSLAG_BASE_URL", "http://127.0.0.1:8080".to_owned()),
        ("RADSLAG_LISTEN", "127.0.0.1:8080".to_owned()),
        ("RADSLAG_DATABASE_URL", format!("sqlite://{DATA_DIR}/demo.db")),
        ("RADSLAG_MAIL_TRANSPORT", "files".to_owned()),
        ("RADSLAG_MAIL_DIR", format!("{DATA_DIR}/outbox")),
        ("RADSLAG_SENDER", "Fjordvik innbyggerpanel <panel@fjordvik.example>".to_owned()),
        ("RADSLAG_SESSION_KEY", key.trim().to_owned()),
        ("RADSLAG_DEFAULT_MUNICIPALITY", "fjordvik".to_owned()),
        // The demo ignores radslag.toml so it always starts the same way.
        ("RADSLAG_CONFIG", String::new()),
    ]);
    let env = DemoEnv { defaults };
    Config::load(None, &env)
}

/// An account the seed created, with its one-time password.
pub struct CreatedAccount {
    /// Where it signs in.
    pub municipality: String,
    /// Sign-in address.
    pub email: String,
    /// Role.
    pub role: Role,
    /// The password, shown once.
    pub password: String,
}

struct DemoMunicipality {
    slug: &'static str,
    name: &'static str,
    language: Language,
    languages: &'static [Language],
    hosts: &'static [&'static str],
    districts: &'static [(&'static str, &'static str, u32)],
    admin: &'static str,
    editor: &'static str,
}

const FJORDVIK: DemoMunicipality = DemoMunicipality {
    slug: "fjordvik",
    name: "Fjordvik kommune",
    language: Language::Nb,
    languages: &[Language::Nb, Language::Nn, Language::En],
    hosts: &["127.0.0.1", "localhost", "fjordvik.localhost"],
    districts: &[
        ("sentrum", "Sentrum", 30),
        ("nordbyen", "Nordbyen", 22),
        ("austmarka", "Austmarka", 16),
        ("vestsida", "Vestsida", 14),
        ("fjordbotn", "Fjordbotn", 10),
        ("fjellgrenda", "Fjellgrenda", 8),
    ],
    admin: "admin@fjordvik.example",
    editor: "redaktor@fjordvik.example",
};

const LILLEVIK: DemoMunicipality = DemoMunicipality {
    slug: "lillevik",
    name: "Lilleviks kommun",
    language: Language::Sv,
    languages: &[Language::Sv, Language::En],
    hosts: &["lillevik.localhost"],
    districts: &[("centrum", "Centrum", 60), ("skogen", "Skogen", 25), ("strand", "Strand", 15)],
    admin: "admin@lillevik.example",
    editor: "redaktor@lillevik.example",
};

/// Share of the population in each age band (sums to 100), roughly as in a
/// Norwegian municipality.
const AGE_SHARES: [u32; 7] = [14, 16, 16, 17, 17, 14, 6];

/// Create whatever part of the demo data is missing. `base_url` is where the
/// demo is served, for links in the emails it writes.
pub async fn seed(db: &DatabaseConnection, base_url: &url::Url) -> anyhow::Result<Vec<CreatedAccount>> {
    let mut created = Vec::new();
    for demo in [FJORDVIK, LILLEVIK] {
        let municipality = ensure_municipality(db, &demo).await?;
        // An editor writes surveys and sends them for approval; the admin approves.
        for (email, name, role) in [(demo.admin, "Demo admin", Role::Admin), (demo.editor, "Demo editor", Role::Editor)]
        {
            if let Some(password) = ensure_user(db, Some(&municipality), email, name, role).await? {
                created.push(CreatedAccount { municipality: demo.name.into(), email: email.into(), role, password });
            }
        }
        panel::seed(db, base_url, &municipality).await?;
        surveys::seed(db, base_url, &municipality).await?;
        invitations::seed(db, base_url, &municipality).await?;
        responses::seed(db, base_url, &municipality).await?;
        feedback::seed(db, base_url, &municipality).await?;
        compass::seed(db, base_url, &municipality).await?;
    }
    if let Some(password) = ensure_user(db, None, "operator@radslag.example", "Demo operator", Role::Operator).await? {
        created.push(CreatedAccount {
            municipality: "(host)".into(),
            email: "operator@radslag.example".into(),
            role: Role::Operator,
            password,
        });
    }
    Ok(created)
}

async fn ensure_municipality(db: &DatabaseConnection, demo: &DemoMunicipality) -> anyhow::Result<Municipality> {
    if let Some(existing) = municipalities::by_slug(db, demo.slug).await? {
        return Ok(existing);
    }
    let mut settings = Settings::defaults(demo.name, demo.language);
    settings.languages = demo.languages.to_vec();
    let slug = Slug::parse(demo.slug)?;
    let hosts: Vec<String> = demo.hosts.iter().map(|h| (*h).to_owned()).collect();
    let municipality = municipalities::add(db, &slug, &settings, &hosts, Actor::System).await?;
    let districts: Vec<(DistrictCode, String)> = demo
        .districts
        .iter()
        .map(|(code, name, _)| Ok((DistrictCode::parse(code)?, (*name).to_owned())))
        .collect::<Result<_, crate::domain::municipality::InvalidDistrictCode>>()?;
    municipalities::set_districts(db, &municipality, &districts, Actor::System).await?;
    municipalities::replace_margins(db, &municipality, &demo_margins(demo)?, Actor::System).await?;
    Ok(municipality)
}

/// Population cells: district share × age share × a slight gender skew by age.
fn demo_margins(demo: &DemoMunicipality) -> anyhow::Result<Vec<MarginCell>> {
    let total: u32 = if demo.slug == "fjordvik" { 24_000 } else { 6_500 };
    let mut cells = Vec::new();
    for (code, _, district_share) in demo.districts {
        for (band, age_share) in AgeBand::ALL.into_iter().zip(AGE_SHARES) {
            let people = f64::from(total) * f64::from(*district_share) / 100.0 * f64::from(age_share) / 100.0;
            // More women than men among the oldest.
            let female_share = if band == AgeBand::From80 { 0.6 } else { 0.49 };
            for (gender, share) in [(Gender::Female, female_share), (Gender::Male, 1.0 - female_share)] {
                cells.push(MarginCell {
                    district: DistrictCode::parse(code)?,
                    age_band: band,
                    gender,
                    population: (people * share).round() as i64,
                });
            }
        }
    }
    Ok(cells)
}

async fn ensure_user(
    db: &DatabaseConnection,
    municipality: Option<&Municipality>,
    email: &str,
    name: &str,
    role: Role,
) -> anyhow::Result<Option<String>> {
    if staff::find_account(db, municipality.map(|m| m.id), email).await?.is_some() {
        return Ok(None);
    }
    let password_text = SecretToken::generate().reveal()[..20].to_owned();
    let password = NewPassword::parse(&password_text)?;
    staff::create_user(db, municipality, &Email::parse(email)?, name, role, &password, Actor::System).await?;
    Ok(Some(password_text))
}
