//! Benchmark: the results of a survey with 100,000 responses, aggregated in
//! SQL, against `/healthz` on the same server in the same run. Prints the
//! time of one public results page (without and with a district breakdown)
//! and of `/healthz`, their ratio, and the time of the aggregation alone,
//! on SQLite and — when `TEST_DATABASE_URL` is set — on PostgreSQL.
//!
//! Run with `cargo bench --bench results` (set `RESULTS_BENCH_RESPONSES`
//! for another size).

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use common::{ALPHA, Backend, TestApp, spawn_app};
use radslag::entities::{population_margin, response, response_answer, survey};
use radslag::services::results::{self, Breakdown, ResultsRequest};
use radslag::services::surveys;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set};
use serde_json::json;

/// Responses per insert; SQLite allows at most 32,766 bound values.
const CHUNK: usize = 250;
/// Requests of a results page per measurement.
const PAGE_REQUESTS: u32 = 10;
/// Requests of `/healthz` per measurement.
const HEALTH_REQUESTS: u32 = 500;

fn text(value: &str) -> serde_json::Value {
    json!({ "nb": value, "en": value })
}

fn options(keys: &[&str]) -> serde_json::Value {
    keys.iter().map(|k| json!({ "key": k, "label": text(k) })).collect()
}

fn definition() -> serde_json::Value {
    json!({
        "languages": ["nb", "en"],
        "title": text("Benk"),
        "sections": [{
            "key": "s1",
            "title": text("S"),
            "questions": [
                { "key": "transport", "text": text("Transport"), "type": "single_choice", "options": options(&["bus", "car", "bike", "walk"]) },
                { "key": "satisfaction", "text": text("Fornøyd"), "type": "likert", "dont_know": true, "scale": options(&["s1", "s2", "s3", "s4", "s5"]) },
                { "key": "recommend", "text": text("Anbefale"), "type": "rating" },
                { "key": "services", "text": text("Tjenester"), "type": "multiple_choice", "options": options(&["lib", "pool", "park"]) },
                { "key": "matrix", "text": text("Påstander"), "type": "likert_matrix", "scale": options(&["m1", "m2", "m3", "m4"]), "statements": options(&["x", "y", "z"]) }
            ]
        }]
    })
}

/// A published survey with `total` synthetic responses (about nine answer
/// rows each) and population margins, so the results are weighted.
async fn seed(app: &TestApp, total: usize) -> i32 {
    let districts = ["sentrum", "nord", "sor"];
    let bands = ["16-24", "25-34", "35-44", "45-54", "55-66", "67-79", "80+"];
    for district in districts {
        for (b, band) in bands.iter().enumerate() {
            for (g, gender) in ["female", "male"].iter().enumerate() {
                population_margin::ActiveModel {
                    municipality_id: Set(app.alpha.id),
                    district_code: Set(district.to_owned()),
                    age_band: Set((*band).to_owned()),
                    gender: Set((*gender).to_owned()),
                    population: Set(300 + 40 * b as i64 + 10 * g as i64),
                    ..Default::default()
                }
                .insert(&app.db)
                .await
                .expect("margin");
            }
        }
    }
    let survey_id = survey::ActiveModel {
        municipality_id: Set(app.alpha.id),
        status: Set("published".to_owned()),
        kind: Set("panel".to_owned()),
        definition: Set(definition().to_string()),
        compass_areas: Set(String::new()),
        reminder_after_days: Set(7),
        max_reminders: Set(2),
        created_at: Set(0),
        updated_at: Set(0),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect("survey")
    .id;
    let ids: Vec<usize> = (0..total).collect();
    for chunk in ids.chunks(CHUNK) {
        let responses: Vec<response::ActiveModel> = chunk
            .iter()
            .map(|i| response::ActiveModel {
                id: Set(format!("bench-{i:07}")),
                municipality_id: Set(app.alpha.id),
                survey_id: Set(survey_id),
                submitted_on: Set("2026-11-01".to_owned()),
                channel: Set("panel".to_owned()),
                // Skewed towards the middle-aged, as panels are.
                age_band: Set(Some(bands[(i * 7 / 5 + i % 3) % 7].to_owned())),
                gender: Set(Some(if i % 5 < 3 { "female" } else { "male" }.to_owned())),
                district: Set(Some(districts[i % 3].to_owned())),
                source_group: Set(Some(if i % 4 == 0 { "recruited" } else { "self" }.to_owned())),
            })
            .collect();
        response::Entity::insert_many(responses).exec_without_returning(&app.db).await.expect("responses");
        let answers: Vec<response_answer::ActiveModel> = chunk
            .iter()
            .flat_map(|i| {
                let row = |question: &str, item: Option<&str>, option: Option<String>, number: Option<f64>| {
                    response_answer::ActiveModel {
                        municipality_id: Set(app.alpha.id),
                        response_id: Set(format!("bench-{i:07}")),
                        survey_id: Set(survey_id),
                        question_key: Set(question.to_owned()),
                        item_key: Set(item.map(str::to_owned)),
                        option_key: Set(option),
                        number_value: Set(number),
                        text_value: Set(None),
                        dont_know: Set(false),
                        moderation: Set("none".to_owned()),
                        ..Default::default()
                    }
                };
                let mut rows = vec![
                    row("transport", None, Some(["bus", "car", "bike", "walk"][(i / 3) % 4].to_owned()), None),
                    row("satisfaction", None, Some(format!("s{}", 1 + (i / 2) % 5)), None),
                    row("recommend", None, None, Some((i % 11) as f64)),
                    row("services", None, Some("lib".to_owned()), None),
                ];
                if i % 2 == 0 {
                    rows.push(row("services", None, Some("park".to_owned()), None));
                }
                for (s, statement) in ["x", "y", "z"].into_iter().enumerate() {
                    rows.push(row("matrix", Some(statement), Some(format!("m{}", 1 + (i + s) % 4)), None));
                }
                rows
            })
            .collect();
        response_answer::Entity::insert_many(answers).exec_without_returning(&app.db).await.expect("answers");
    }
    // Fresh statistics, as autovacuum or `ANALYZE` would give a live database.
    app.db.execute_unprepared("ANALYZE").await.expect("analyze");
    survey_id
}

/// Mean time of `count` sequential GETs of `url`.
async fn time_get(client: &reqwest::Client, url: &str, count: u32) -> Duration {
    let start = Instant::now();
    for _ in 0..count {
        let response = client.get(url).send().await.expect("request");
        assert!(response.status().is_success(), "{url}: {}", response.status());
        response.bytes().await.expect("body");
    }
    start.elapsed() / count
}

async fn run(backend: Backend, total: usize) {
    let Some(app) = spawn_app(backend).await else { return };
    let started = Instant::now();
    let survey_id = seed(&app, total).await;
    println!("[{backend:?}] seeded {total} responses in {:.1} s", started.elapsed().as_secs_f64());
    let survey = surveys::load(&app.db, &app.alpha, survey_id).await.expect("load").expect("survey");
    let client = app.client();
    let health = app.url(ALPHA, "/healthz");
    let page = app.url(ALPHA, &format!("/results/{survey_id}?lang=nb"));
    let by_district = app.url(ALPHA, &format!("/results/{survey_id}?lang=nb&breakdown=district"));
    // Warm up: connections, caches, the language cookie.
    time_get(&client, &page, 2).await;
    time_get(&client, &health, 50).await;
    let health_time = time_get(&client, &health, HEALTH_REQUESTS).await;
    let page_time = time_get(&client, &page, PAGE_REQUESTS).await;
    let district_time = time_get(&client, &by_district, PAGE_REQUESTS).await;
    let health_again = time_get(&client, &health, HEALTH_REQUESTS).await;
    let health_time = (health_time + health_again) / 2;
    let mut compute_times = Vec::new();
    for breakdown in [Breakdown::None, Breakdown::District] {
        let request = ResultsRequest { breakdown, ..ResultsRequest::default() };
        let start = Instant::now();
        for _ in 0..PAGE_REQUESTS {
            let computed = results::compute(&app.db, &app.alpha, &survey, &request).await.expect("compute");
            assert_eq!(computed.responses, total as u64);
        }
        compute_times.push(start.elapsed() / PAGE_REQUESTS);
    }
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!("[{backend:?}] {total} responses:");
    println!("  /healthz                          {:>9.3} ms", ms(health_time));
    println!("  results page                      {:>9.1} ms", ms(page_time));
    println!("  results page, district breakdown  {:>9.1} ms", ms(district_time));
    println!("  compute() alone                   {:>9.1} ms", ms(compute_times[0]));
    println!("  compute() alone, by district      {:>9.1} ms", ms(compute_times[1]));
    println!("  ratio results page / healthz      {:>9.0}", page_time.as_secs_f64() / health_time.as_secs_f64());
    println!("  ratio district page / healthz     {:>9.0}", district_time.as_secs_f64() / health_time.as_secs_f64());
}

#[tokio::main]
async fn main() {
    let total = std::env::var("RESULTS_BENCH_RESPONSES").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000);
    run(Backend::Sqlite, total).await;
    run(Backend::Postgres, total).await;
}
