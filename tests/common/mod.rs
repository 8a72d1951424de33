//! Test harness: `spawn_app()` starts the real application on a free port
//! with its own fresh database — a new SQLite file, or a new PostgreSQL
//! schema when `TEST_DATABASE_URL` is set — so tests never share state.

#![allow(dead_code, reason = "each test binary uses a different part of the harness")]

pub mod fixtures;
pub mod smtp;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use radslag::config::Config;
use radslag::domain::municipality::{Settings, parse_districts};
use radslag::domain::{Email, Language, NewPassword, Role, SecretToken, Slug};
use radslag::services::audit::Actor;
use radslag::services::municipalities;
use radslag::services::staff;
use radslag::services::tenant::Municipality;
use radslag::startup::Application;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A fresh SQLite file.
    Sqlite,
    /// A fresh schema in the database named by `TEST_DATABASE_URL`.
    Postgres,
}

/// Define one test per backend for each listed `async fn name(backend: Backend)`.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                super::$name($crate::common::Backend::Sqlite).await
            })*
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $name() {
                super::$name($crate::common::Backend::Postgres).await
            })*
        }
    };
}

/// The password every test staff account gets.
pub const PASSWORD: &str = "correct horse battery staple";

/// Host names of the two test municipalities.
pub const ALPHA: &str = "alpha.test";
/// Second municipality, to prove isolation.
pub const BETA: &str = "beta.test";

/// A running application and handles to look inside it.
pub struct TestApp {
    /// Port the app listens on.
    pub port: u16,
    /// Direct database access for assertions and setup.
    pub db: DatabaseConnection,
    /// Municipality served at `alpha.test`.
    pub alpha: Municipality,
    /// Municipality served at `beta.test`.
    pub beta: Municipality,
    /// Folder where emails would be written with the file transport.
    pub mail_dir: PathBuf,
    /// The SMTP listener that receives every email the app sends.
    pub smtp: smtp::SmtpServer,
    /// Which backend.
    pub backend: Backend,
}

fn unique(prefix: &str) -> String {
    format!("{prefix}{}", &SecretToken::generate().reveal()[..12])
}

async fn database_url(backend: Backend) -> Option<(String, Option<String>)> {
    match backend {
        Backend::Sqlite => {
            let dir = std::env::temp_dir().join("radslag-tests");
            std::fs::create_dir_all(&dir).expect("temp dir");
            Some((format!("sqlite://{}", dir.join(unique("db-")).with_extension("db").display()), None))
        }
        Backend::Postgres => {
            let Ok(url) = std::env::var("TEST_DATABASE_URL") else {
                assert!(std::env::var("CI").is_err(), "TEST_DATABASE_URL must be set in CI");
                eprintln!("skipped on PostgreSQL: TEST_DATABASE_URL is not set");
                return None;
            };
            let schema = unique("t_");
            let admin = Database::connect(&url).await.expect("connect to TEST_DATABASE_URL");
            admin.execute_unprepared(&format!("CREATE SCHEMA {schema}")).await.expect("create schema");
            admin.close().await.expect("close");
            Some((url, Some(schema)))
        }
    }
}

/// Configuration for a test app listening on `port`, sending mail to the
/// SMTP listener on `smtp_port`.
pub fn test_config(database_url: &str, schema: Option<&str>, port: u16, smtp_port: u16) -> Config {
    let listen = format!("127.0.0.1:{port}");
    let base_url = format!("http://{ALPHA}:{port}");
    let smtp_port = smtp_port.to_string();
    let mut env: HashMap<&str, &str> = HashMap::from([
        ("RADSLAG_LISTEN", listen.as_str()),
        ("RADSLAG_BASE_URL", base_url.as_str()),
        ("RADSLAG_DATABASE_URL", database_url),
        ("RADSLAG_DATABASE_MAX_CONNECTIONS", "4"),
        ("RADSLAG_SENDER", "Rådslag test <panel@alpha.test>"),
        ("RADSLAG_SESSION_KEY", "test-session-key-0123456789abcdef-0123"),
        ("RADSLAG_MAIL_TRANSPORT", "smtp"),
        ("RADSLAG_SMTP_HOST", "127.0.0.1"),
        ("RADSLAG_SMTP_PORT", smtp_port.as_str()),
        ("RADSLAG_SMTP_SECURITY", "none"),
        ("RADSLAG_STATIC_DIR", concat!(env!("CARGO_MANIFEST_DIR"), "/static")),
        ("RADSLAG_RUN_WORKER", "true"),
    ]);
    if let Some(schema) = schema {
        env.insert("RADSLAG_DATABASE_SCHEMA", schema);
    }
    Config::from_environment(&env).expect("valid test config")
}

/// Start the app on a fresh database with two municipalities. Returns `None`
/// (after saying so) when the backend is not available here.
pub async fn spawn_app(backend: Backend) -> Option<TestApp> {
    let (url, schema) = database_url(backend).await?;
    let mail_dir = std::env::temp_dir().join("radslag-tests").join(unique("mail-"));
    let smtp = smtp::SmtpServer::start().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("address").port();
    let config = test_config(&url, schema.as_deref(), port, smtp.port);
    let db = radslag::db::connect(&config).await.expect("database");
    radslag::db::migrate(&db).await.expect("migrations");
    let app = Application::from_parts(config, db.clone(), listener);
    tokio::spawn(app.run_until_stopped());

    let alpha = add_municipality(&db, "alpha", "Alpha kommune", ALPHA, Language::Nb).await;
    let beta = add_municipality(&db, "beta", "Beta kommun", BETA, Language::Sv).await;
    Some(TestApp { port, db, alpha, beta, mail_dir, smtp, backend })
}

async fn add_municipality(
    db: &DatabaseConnection,
    slug: &str,
    name: &str,
    host: &str,
    language: Language,
) -> Municipality {
    let mut settings = Settings::defaults(name, language);
    settings.languages = vec![language, Language::En];
    settings.languages.sort();
    let municipality =
        municipalities::add(db, &Slug::parse(slug).expect("slug"), &settings, &[host.to_owned()], Actor::System)
            .await
            .expect("add municipality");
    let districts = parse_districts("sentrum;Sentrum\nnord;Nord\nsor;Sør\n").expect("districts");
    municipalities::set_districts(db, &municipality, &districts, Actor::System).await.expect("districts");
    municipality
}

impl TestApp {
    /// A browser-like client (cookies kept, redirects not followed) whose
    /// requests to `alpha.test` and `beta.test` reach this app.
    pub fn client(&self) -> reqwest::Client {
        let address = std::net::SocketAddr::from(([127, 0, 0, 1], self.port));
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .resolve(ALPHA, address)
            .resolve(BETA, address)
            .build()
            .expect("client")
    }

    /// The public address of the first municipality (as in emails).
    pub fn base_url(&self) -> url::Url {
        url::Url::parse(&self.url(ALPHA, "/")).expect("url")
    }

    /// Full URL of `path` at `host`.
    pub fn url(&self, host: &str, path: &str) -> String {
        format!("http://{host}:{}{path}", self.port)
    }

    /// Create a staff account with [`PASSWORD`].
    pub async fn add_staff(&self, municipality: Option<&Municipality>, email: &str, role: Role) -> staff::StaffUser {
        let password = NewPassword::parse(PASSWORD).expect("password");
        staff::create_user(
            &self.db,
            municipality,
            &Email::parse(email).expect("email"),
            email,
            role,
            &password,
            Actor::System,
        )
        .await
        .expect("create staff")
    }

    /// A client signed in at `host` with `email`.
    pub async fn signed_in(&self, host: &str, email: &str) -> reqwest::Client {
        let client = self.client();
        let response = sign_in(&client, &self.url(host, ""), email, PASSWORD).await;
        assert_eq!(response.status(), 303, "sign-in of {email} at {host} should redirect");
        client
    }
}

/// The CSRF token in a page's forms.
pub fn csrf_from(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = html.find(marker).map(|i| i + marker.len()).expect("page has a CSRF field");
    html[start..].split('"').next().expect("token").to_owned()
}

/// GET a page and return its CSRF token.
pub async fn csrf_token(client: &reqwest::Client, url: &str) -> String {
    let html = client.get(url).send().await.expect("GET").text().await.expect("body");
    csrf_from(&html)
}

/// Post the sign-in form at `base` (scheme + host + port).
pub async fn sign_in(client: &reqwest::Client, base: &str, email: &str, password: &str) -> reqwest::Response {
    let token = csrf_token(client, &format!("{base}/staff/sign-in")).await;
    client
        .post(format!("{base}/staff/sign-in"))
        .form(&[("csrf", token.as_str()), ("email", email), ("password", password), ("next", "/staff")])
        .send()
        .await
        .expect("POST sign-in")
}

/// Shared handle type for tests that need the app in several tasks.
pub type SharedApp = Arc<TestApp>;

/// An email as the outbox queued it and the SMTP listener received it: the
/// outbox row's kind and subject, the delivered text and HTML (the worker
/// clears bodies from the outbox once sent, since they hold personal links).
#[derive(Debug, Clone)]
pub struct SentEmail {
    /// Outbox kind (`confirm`, `invitation`, …).
    pub kind: String,
    /// Recipient.
    pub to_address: String,
    /// Subject line.
    pub subject: String,
    /// Delivered plain text.
    pub text_body: String,
    /// Delivered HTML.
    pub html_body: String,
}

impl TestApp {
    /// Every email queued for `address`, oldest first, once all have been
    /// delivered to the SMTP listener (waits up to 15 s).
    pub async fn sent_emails_to(&self, address: &str) -> Vec<SentEmail> {
        use radslag::entities::outbox_email;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
        loop {
            let rows = outbox_email::Entity::find()
                .filter(outbox_email::Column::ToAddress.eq(address))
                .order_by_asc(outbox_email::Column::Id)
                .all(&self.db)
                .await
                .expect("outbox");
            let mails = self.smtp.messages_to(address);
            let delivered: Vec<SentEmail> = rows
                .iter()
                .filter_map(|row| {
                    let mail = mails
                        .iter()
                        .find(|m| m.raw_header("Message-ID").as_deref() == Some(row.message_id.as_str()))?;
                    Some(SentEmail {
                        kind: row.kind.clone(),
                        to_address: row.to_address.clone(),
                        subject: row.subject.clone(),
                        text_body: mail.text(),
                        html_body: mail.html(),
                    })
                })
                .collect();
            if delivered.len() == rows.len() {
                return delivered;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "{} of {} emails to {address} delivered",
                delivered.len(),
                rows.len()
            );
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }
}
