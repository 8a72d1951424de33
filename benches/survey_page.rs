//! Benchmark: the survey page a resident opens from an invitation, against
//! `/healthz` on the same server in the same run. Prints requests per second
//! for both and their ratio, so the figure is comparable across machines.
//!
//! Run with `cargo bench --bench survey_page`.

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use common::{ALPHA, Backend, spawn_app};
use radslag::domain::SecretToken;
use radslag::domain::survey::SurveyDefinition;
use radslag::entities::{invitation, member};
use radslag::services::audit::Actor;
use radslag::services::surveys::{self, SurveyKind, SurveySettings, SurveyStatus};
use sea_orm::{ActiveModelTrait, Set};

const CONCURRENCY: usize = 8;
const DURATION: Duration = Duration::from_secs(5);

async fn measure(client: &reqwest::Client, url: &str) -> f64 {
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..CONCURRENCY {
        let client = client.clone();
        let url = url.to_owned();
        tasks.push(tokio::spawn(async move {
            let mut done = 0u64;
            while start.elapsed() < DURATION {
                let response = client.get(&url).send().await.expect("request");
                assert!(response.status().is_success(), "{}", response.status());
                response.bytes().await.expect("body");
                done += 1;
            }
            done
        }));
    }
    let mut total = 0;
    for task in tasks {
        total += task.await.expect("task");
    }
    total as f64 / start.elapsed().as_secs_f64()
}

#[tokio::main]
async fn main() {
    let app = spawn_app(Backend::Sqlite).await.expect("SQLite is always available");
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/every-question-type.json"))
        .expect("fixture");
    let definition: SurveyDefinition = serde_json::from_str(&text).expect("definition");
    let settings = SurveySettings { kind: SurveyKind::Panel, closes_on: None, ladder_step: None };
    let draft = surveys::create_draft(&app.db, &app.alpha, &definition, &settings, Actor::System).await.expect("draft");
    surveys::set_status(&app.db, &app.alpha, &draft, SurveyStatus::Open, Actor::System).await.expect("open");
    let member = member::ActiveModel {
        municipality_id: Set(app.alpha.id),
        email: Set("bench@example.org".into()),
        birth_year: Set(1980),
        gender: Set("female".into()),
        district: Set("nord".into()),
        language: Set("nb".into()),
        source: Set("self".into()),
        status: Set("active".into()),
        consent_version: Set("2026-11".into()),
        consent_at: Set(radslag::services::now()),
        email_invalid: Set(false),
        created_at: Set(0),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect("member");
    let token = SecretToken::generate();
    invitation::ActiveModel {
        municipality_id: Set(app.alpha.id),
        survey_id: Set(draft.id),
        member_id: Set(Some(member.id)),
        token_hash: Set(token.hash()),
        wave: Set(1),
        created_at: Set(0),
        reminders_sent: Set(0),
        completed: Set(false),
        draft_page: Set(0),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect("invitation");

    let client = app.client();
    let health = app.url(ALPHA, "/healthz");
    let page = app.url(ALPHA, &format!("/s/{}?lang=nb", token.reveal()));
    // Warm up (the language cookie, connection pool, caches).
    measure(&client, &page).await;
    let health_rate = measure(&client, &health).await;
    let page_rate = measure(&client, &page).await;
    println!("healthz:      {health_rate:>8.0} requests/s");
    println!("survey page:  {page_rate:>8.0} requests/s");
    println!("ratio survey page / healthz: {:.3}", page_rate / health_rate);
}
