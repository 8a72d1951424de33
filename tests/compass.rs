//! The compass: frameworks, assessments, resident scores, dialogue indicators,
//! the public page `/kompass` and the staff page `/staff/compass`.

mod common;

use common::fixtures::{SurveyRow, insert_invitations, insert_margins, insert_response, insert_survey};
use common::{ALPHA, BETA, Backend, TestApp, csrf_token, spawn_app};
use radslag::domain::Role;
use radslag::domain::compass::{AssessmentInput, Framework, format_points};
use radslag::entities::{audit_event, compass_assessment, compass_framework};
use radslag::services::audit::Actor;
use radslag::services::compass;
use radslag::services::tenant::Municipality;
use sea_orm::{EntityTrait, PaginatorTrait};

const DAY: i64 = 24 * 3600;

/// Seconds since the epoch of a `YYYY-MM-DD` day at noon UTC.
fn epoch(day: &str) -> i64 {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(day, format).expect("date").midnight().assume_utc().unix_timestamp() + 12 * 3600
}

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// Every sub-question of `framework` with `points`, as form pairs.
fn assessment_form(framework: &Framework, points: &str) -> Vec<(String, String)> {
    let mut pairs = vec![
        ("assessed_on".to_owned(), "2025-04-22".to_owned()),
        ("assessor".to_owned(), "KS-Konsulent".to_owned()),
        ("kind".to_owned(), "external".to_owned()),
    ];
    for area in &framework.areas {
        for sub in &area.sub_questions {
            pairs.push((AssessmentInput::points_field(&sub.key(area)), points.to_owned()));
        }
    }
    pairs
}

fn ks() -> Framework {
    Framework::shipped().into_iter().find(|f| f.key == "ks-2016").expect("ks-2016 ships")
}

async fn admin_client(app: &TestApp, host: &str, municipality: &Municipality) -> reqwest::Client {
    let email = format!("admin@{host}");
    app.add_staff(Some(municipality), &email, Role::Admin).await;
    app.signed_in(host, &email).await
}

/// A Likert question (4 points) tagged with `area`, or a rating.
fn definition(questions: &str) -> String {
    format!(
        r#"{{"languages":["nb"],"title":{{"nb":"Tjenester i Alpha"}},"sections":[{{"key":"s1","title":{{"nb":"Side 1"}},"questions":[{questions}]}}]}}"#
    )
}

fn likert(key: &str, area: u8) -> String {
    let scale: Vec<String> = (1..=4).map(|i| format!(r#"{{"key":"p{i}","label":{{"nb":"{i}"}}}}"#)).collect();
    format!(
        r#"{{"key":"{key}","text":{{"nb":"Hvor fornøyd?"}},"type":"likert","dont_know":true,"compass_area":{area},"scale":[{}]}}"#,
        scale.join(",")
    )
}

async fn body(response: reqwest::Response) -> (u16, String) {
    let status = response.status().as_u16();
    (status, response.text().await.expect("body"))
}

/// The `<tr>` of the areas table that starts with this area's number.
fn area_row(html: &str, number: u8) -> &str {
    let table_start = html.find("id=\"compass-areas\"").expect("areas table");
    let table = &html[table_start..];
    let marker = format!("<th scope=\"row\">{number}. ");
    let start = table.find(&marker).expect("area row");
    let row = &table[start..];
    &row[..row.find("</tr>").expect("row end")]
}

async fn admin_records_an_assessment_and_totals_are_computed(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let client = admin_client(&app, ALPHA, &app.alpha).await;
    let form_url = app.url(ALPHA, "/staff/compass/assessments/new");
    let token = csrf_token(&client, &form_url).await;
    let mut pairs = assessment_form(&ks(), "5,5");
    pairs.push(("csrf".to_owned(), token));
    pairs.push(("comment_1.4".to_owned(), "Innbyggerpanel startet 2024".to_owned()));
    let response = client.post(&form_url).form(&pairs).send().await.expect("POST");
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/staff/compass?saved=assessment");

    let stored = compass_assessment::Entity::find().all(&app.db).await.expect("rows");
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].municipality_id, app.alpha.id);
    assert_eq!(stored[0].assessed_on, "2025-04-22");
    assert!(stored[0].scores.contains("Innbyggerpanel startet 2024"));
    let audits = audit_event::Entity::find().all(&app.db).await.expect("audit");
    assert!(audits.iter().any(|a| a.action == "compass.assessment.create" && a.municipality_id == Some(app.alpha.id)));

    // 45 sub-questions × 5.5 = 247.5; area 1 has 5 sub-questions = 27.5 of 100.
    let (status, staff) = body(client.get(app.url(ALPHA, "/staff/compass")).send().await.expect("GET")).await;
    assert_eq!(status, 200);
    assert!(staff.contains("247,5 / 800"), "{staff}");
    let (status, public) = body(app.client().get(app.url(ALPHA, "/kompass")).send().await.expect("GET")).await;
    assert_eq!(status, 200);
    assert!(area_row(&public, 1).contains("27,5 / 100"), "{}", area_row(&public, 1));
    assert!(area_row(&public, 4).contains("33 / 100"), "{}", area_row(&public, 4));

    // The same assessment is not accepted twice.
    let token = csrf_token(&client, &form_url).await;
    let mut again = assessment_form(&ks(), "5,5");
    again.push(("csrf".to_owned(), token));
    let (status, page) = body(client.post(&form_url).form(&again).send().await.expect("POST")).await;
    assert_eq!(status, 422);
    assert!(page.contains("allerede registrert"), "{page}");
    assert_eq!(compass_assessment::Entity::find().count(&app.db).await.expect("count"), 1);
}

async fn invalid_assessment_points_are_rejected_and_nothing_stored(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let client = admin_client(&app, ALPHA, &app.alpha).await;
    let form_url = app.url(ALPHA, "/staff/compass/assessments/new");
    let token = csrf_token(&client, &form_url).await;
    let mut pairs: Vec<(String, String)> = assessment_form(&ks(), "1")
        .into_iter()
        .filter(|(name, _)| name != "points_3.2")
        .map(|(name, value)| match name.as_str() {
            "points_1.5" => (name, "10,5".to_owned()),
            "points_2.1" => (name, "mye".to_owned()),
            _ => (name, value),
        })
        .collect();
    pairs.push(("csrf".to_owned(), token));
    let (status, page) = body(client.post(&form_url).form(&pairs).send().await.expect("POST")).await;
    assert_eq!(status, 422);
    assert!(page.contains("Poengene for 1.5 må være mellom 0 og 10."), "{page}");
    assert!(page.contains("Poengene for 2.1 må være et tall."));
    assert!(page.contains("Skriv inn poeng for 3.2."));
    assert!(page.contains("href=\"#field-points-1-5\""), "error summary links to the field");
    assert!(page.contains("value=\"mye\""), "typed values are kept");
    assert_eq!(compass_assessment::Entity::find().count(&app.db).await.expect("count"), 0);

    // A viewer may read the compass but not record assessments.
    app.add_staff(Some(&app.alpha), "viewer@alpha.test", Role::Viewer).await;
    let viewer = app.signed_in(ALPHA, "viewer@alpha.test").await;
    assert_eq!(viewer.get(app.url(ALPHA, "/staff/compass")).send().await.expect("GET").status(), 200);
    assert_eq!(viewer.get(&form_url).send().await.expect("GET").status(), 403);
    assert_eq!(app.client().get(app.url(ALPHA, "/staff/compass")).send().await.expect("GET").status(), 303);
}

async fn framework_import_names_the_json_path_and_stores_nothing_when_invalid(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let client = admin_client(&app, ALPHA, &app.alpha).await;
    let token = csrf_token(&client, &app.url(ALPHA, "/staff/compass")).await;
    let upload = |json: &'static str| {
        let part = reqwest::multipart::Part::bytes(json.as_bytes().to_vec()).file_name("framework.json");
        let form = reqwest::multipart::Form::new().part("framework_file", part);
        client.post(app.url(ALPHA, &format!("/staff/compass/frameworks?csrf={token}"))).multipart(form).send()
    };
    let bad = r#"{"key":"demo-2026","version":"1","name":{"en":"Demo"},"areas":[
        {"number":1,"name":{"en":"A"},"max_points":100,"sub_questions":[
            {"number":1,"text":{"en":"q1"},"max_points":60},{"number":2,"text":{"en":"q2"},"max_points":30}]}]}"#;
    let (status, page) = body(upload(bad).await.expect("POST")).await;
    assert_eq!(status, 422);
    assert!(page.contains("areas[0].sub_questions: Delspørsmålenes maksimum summerer seg til 90"), "{page}");
    assert_eq!(compass_framework::Entity::find().count(&app.db).await.expect("count"), 0);

    let duplicate = r#"{"key":"demo-2026","version":"1","name":{"en":"Demo"},"areas":[
        {"number":1,"name":{"en":"A"},"max_points":10,"sub_questions":[{"number":1,"text":{"en":"q1"},"max_points":10}]},
        {"number":1,"name":{"en":"B"},"max_points":10,"sub_questions":[{"number":1,"text":{"en":"q1"},"max_points":10}]}]}"#;
    let (status, page) = body(upload(duplicate).await.expect("POST")).await;
    assert_eq!(status, 422);
    assert!(page.contains("areas[1].number"), "{page}");
    assert_eq!(compass_framework::Entity::find().count(&app.db).await.expect("count"), 0);

    let good = r#"{"key":"demo-2026","version":"1","name":{"en":"Demo"},"areas":[
        {"number":1,"name":{"en":"A"},"max_points":100,"sub_questions":[
            {"number":1,"text":{"en":"q1"},"max_points":60},{"number":2,"text":{"en":"q2"},"max_points":40}]}]}"#;
    let response = upload(good).await.expect("POST");
    assert_eq!(response.status(), 303);
    let rows = compass_framework::Entity::find().all(&app.db).await.expect("rows");
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0].key.as_str(), rows[0].municipality_id), ("demo-2026", app.alpha.id));
    let (status, page) = body(upload(good).await.expect("POST")).await;
    assert_eq!(status, 422, "the same key and version are not imported twice");
    assert!(page.contains("allerede importert"));
    assert_eq!(compass_framework::Entity::find().count(&app.db).await.expect("count"), 1);
}

async fn resident_score_comes_from_tagged_scale_answers(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let alpha = &app.alpha;
    let closed = now() - 30 * DAY;
    let times = SurveyRow {
        status: "published",
        opened: Some(closed - 20 * DAY),
        closed: Some(closed),
        published: Some(closed + 5 * DAY),
        ladder: Some("consultation"),
    };
    let rating = r#"{"key":"q5","text":{"nb":"Gi en karakter"},"type":"rating","compass_area":5}"#;
    let questions = format!("{},{},{rating}", likert("q2", 2), likert("q3", 3));
    let survey_id = insert_survey(&app, alpha, definition(&questions), times).await;
    // 40 respondents on area 2: ten on each of the four points → 0, 33⅓, 66⅔, 100.
    for point in ["p1", "p2", "p3", "p4"] {
        for _ in 0..10 {
            insert_response(
                &app,
                alpha,
                survey_id,
                ("25-34", "female", "sentrum"),
                &[("q2", Some(point), None, false)],
            )
            .await;
        }
    }
    // "Don't know" is left out; area 3 has only five respondents.
    insert_response(&app, alpha, survey_id, ("25-34", "male", "sentrum"), &[("q2", None, None, true)]).await;
    for _ in 0..5 {
        insert_response(&app, alpha, survey_id, ("25-34", "male", "sentrum"), &[("q3", Some("p4"), None, false)]).await;
    }
    // Ratings 6 and 8, 15 of each → 60 and 80 → mean 70.
    for value in [6.0, 8.0] {
        for _ in 0..15 {
            insert_response(
                &app,
                alpha,
                survey_id,
                ("35-44", "female", "sentrum"),
                &[("q5", None, Some(value), false)],
            )
            .await;
        }
    }
    // A draft survey's answers never count.
    let draft = SurveyRow { status: "open", opened: Some(now()), closed: None, published: None, ladder: None };
    let draft_id = insert_survey(&app, alpha, definition(&likert("q2", 2)), draft).await;
    insert_response(&app, alpha, draft_id, ("25-34", "male", "sentrum"), &[("q2", Some("p1"), None, false)]).await;

    let framework = compass::framework_for(&app.db, alpha).await.expect("db").expect("framework");
    let scores = compass::resident_scores(&app.db, alpha, &framework).await.expect("scores");
    let area2 = scores.iter().find(|s| s.area == 2).expect("area 2");
    assert_eq!((area2.answers, area2.respondents), (40, 40));
    assert!((area2.score.expect("score") - 50.0).abs() < 1e-9);
    // sd = √(10·(50² + (50/3)² · 2 + 50²)/39) = 37.74; 1.96 · sd / √40 = 11.70.
    assert!((area2.margin_of_error.expect("margin") - 11.696).abs() < 0.01, "{:?}", area2.margin_of_error);
    let area5 = scores.iter().find(|s| s.area == 5).expect("area 5");
    assert_eq!((area5.answers, area5.respondents), (30, 30));
    assert!((area5.score.expect("score") - 70.0).abs() < 1e-9);
    let area3 = scores.iter().find(|s| s.area == 3).expect("area 3");
    assert_eq!((area3.respondents, area3.score), (5, None));

    let (status, page) = body(app.client().get(app.url(ALPHA, "/kompass")).send().await.expect("GET")).await;
    assert_eq!(status, 200);
    assert!(area_row(&page, 2).contains("50 ± 12"), "{}", area_row(&page, 2));
    assert!(area_row(&page, 3).contains("for få svar"), "{}", area_row(&page, 3));
    assert!(page.contains(&format!("href=\"/results/{survey_id}\"")), "published survey linked");
    assert!(!page.contains(&format!("/results/{draft_id}")));

    // Staff see where the evidence of the last 12 months is thin.
    let client = admin_client(&app, ALPHA, alpha).await;
    let (status, staff) = body(client.get(app.url(ALPHA, "/staff/compass")).send().await.expect("GET")).await;
    assert_eq!(status, 200);
    let evidence = &staff[staff.find("id=\"evidence-heading\"").expect("evidence")..];
    let row = |number: u8| {
        let start = evidence.find(&format!("<th scope=\"row\">{number}. ")).expect("row");
        &evidence[start..start + evidence[start..].find("</tr>").expect("end")]
    };
    // The open survey counts as evidence for staff, though not on the public page.
    assert!(row(2).contains("2 undersøkelser, 41 svar."), "{}", row(2));
    assert!(row(3).contains("Tynt grunnlag: 1 undersøkelse(r), 5 svar."), "{}", row(3));
    assert!(row(6).contains("Ingen undersøkelse knyttet til området de siste 12 månedene."), "{}", row(6));
}

async fn dialogue_indicators_match_hand_computed_numbers(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let alpha = &app.alpha;
    let plain = || definition(&likert("q1", 1));
    let a = SurveyRow {
        status: "published",
        opened: Some(epoch("2025-01-10")),
        closed: Some(epoch("2025-02-01")),
        published: Some(epoch("2025-02-11")),
        ladder: Some("consultation"),
    };
    let b = SurveyRow {
        status: "published",
        opened: Some(epoch("2025-03-01")),
        closed: Some(epoch("2025-04-01")),
        published: Some(epoch("2025-04-21")),
        ladder: Some("dialogue"),
    };
    let c = SurveyRow {
        status: "closed",
        opened: Some(epoch("2025-05-01")),
        closed: Some(epoch("2025-06-01")),
        published: None,
        ladder: None,
    };
    let a = insert_survey(&app, alpha, plain(), a).await;
    let b = insert_survey(&app, alpha, plain(), b).await;
    insert_survey(&app, alpha, plain(), c).await;
    // Response rates 4/10 and 5/5 → mean 70 %.
    insert_invitations(&app, alpha, a, 10, 4).await;
    insert_invitations(&app, alpha, b, 5, 5).await;
    // Population shares .1, .1, .2, .6; respondents .25, .25, .5, 0 → D = ½(.15+.15+.3+.6) = 0.6.
    insert_margins(
        &app,
        alpha,
        &[
            ("sentrum", "16-24", "female", 100),
            ("sentrum", "16-24", "male", 100),
            ("sentrum", "25-34", "female", 200),
            ("sentrum", "25-34", "male", 600),
        ],
    )
    .await;
    for (survey_id, cell, count) in [
        (a, ("16-24", "female", "sentrum"), 5),
        (a, ("16-24", "male", "sentrum"), 5),
        (b, ("25-34", "female", "sentrum"), 10),
    ] {
        for _ in 0..count {
            insert_response(&app, alpha, survey_id, cell, &[]).await;
        }
    }

    let years = compass::indicators(&app.db, alpha).await.expect("indicators");
    assert_eq!(years.len(), 1);
    let year = &years[0];
    assert_eq!((year.year, year.surveys_opened, year.surveys_closed), (2025, 3, 3));
    assert!((year.response_rate.expect("rate") - 0.7).abs() < 1e-9);
    assert!((year.dissimilarity.expect("index") - 0.6).abs() < 1e-9);
    assert_eq!(year.respondents, 20);
    assert!((year.share_with_feedback.expect("share") - 2.0 / 3.0).abs() < 1e-9);
    assert!((year.median_days_to_feedback.expect("median") - 15.0).abs() < 1e-9);
    assert_eq!(year.ladder.len(), 3);

    let (status, page) = body(app.client().get(app.url(ALPHA, "/kompass?lang=en")).send().await.expect("GET")).await;
    assert_eq!(status, 200);
    let table = &page[page.find("id=\"compass-indicators\"").expect("indicators table")..];
    let row = &table[table.find("<th scope=\"row\">2025").expect("2025 row")..];
    let row = &row[..row.find("</tr>").expect("row end")];
    for expected in ["70 %", "0.60", "67 % (3)", ">15<", "Consultation: 1", "Dialogue: 1", "Not set: 1"] {
        assert!(row.contains(expected), "{expected} missing in {row}");
    }
}

async fn public_page_renders_without_sign_in_in_every_language(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let framework = ks();
    let mut input = AssessmentInput {
        assessed_on: "2024-06-01".into(),
        assessor: "Alphas vurderer".into(),
        kind: "external".into(),
        ..Default::default()
    };
    for area in &framework.areas {
        for sub in &area.sub_questions {
            input.points.insert(sub.key(area), "2".into());
        }
    }
    compass::record_assessment(&app.db, &app.alpha, &framework, &input, Actor::System).await.expect("assessment");
    input.assessed_on = "2025-06-01".into();
    compass::record_assessment(&app.db, &app.alpha, &framework, &input, Actor::System).await.expect("assessment");
    for (query, title, caption) in [
        (
            "",
            "Kompasset: offisiell vurdering og innbyggernes syn",
            "Offisiell vurdering og innbyggernes syn per område",
        ),
        (
            "?lang=en",
            "The compass: official assessment and resident view",
            "Official assessment and resident view by area",
        ),
    ] {
        let (status, page) =
            body(app.client().get(app.url(ALPHA, &format!("/kompass{query}"))).send().await.expect("GET")).await;
        assert_eq!(status, 200);
        assert!(page.contains("role=\"img\""), "{page}");
        assert!(page.contains(&format!("<title id=\"radar-title\">{title}")), "{page}");
        assert!(page.contains("<desc id=\"radar-desc\">"));
        assert!(page.contains("stroke-dasharray"), "the resident line is dashed, not only coloured");
        assert!(page.contains(&format!("<caption id=\"compass-areas-caption\">{caption}")));
        assert!(page.contains("Alphas vurderer"));
        assert!(page.contains("<title id=\"trend-title\">"), "trend chart with two assessments");
        assert!(page.contains("2024-06-01: 11 %"), "trend described in text");
    }
}

async fn another_municipalitys_assessments_stay_off_the_page(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let skr = Framework::shipped().into_iter().find(|f| f.key == "skr-2020").expect("skr");
    let mut input = AssessmentInput {
        assessed_on: "2024-10-03".into(),
        assessor: "Betas bedömare".into(),
        kind: "self".into(),
        ..Default::default()
    };
    for area in &skr.areas {
        for sub in &area.sub_questions {
            input.points.insert(sub.key(area), "12.5".into());
        }
    }
    compass::record_assessment(&app.db, &app.beta, &skr, &input, Actor::System).await.expect("assessment");
    let (status, beta) = body(app.client().get(app.url(BETA, "/kompass")).send().await.expect("GET")).await;
    assert_eq!(status, 200);
    assert!(beta.contains("Betas bedömare"));
    assert!(beta.contains("Samspel mellan förtroendevalda och medborgare"));
    assert!(area_row(&beta, 1).contains("50 / 100"), "{}", area_row(&beta, 1));
    let (status, alpha) = body(app.client().get(app.url(ALPHA, "/kompass")).send().await.expect("GET")).await;
    assert_eq!(status, 200);
    assert!(!alpha.contains("Betas bedömare"));
    assert!(alpha.contains("Det er ikke registrert noen offisiell vurdering ennå."));
    let client = admin_client(&app, ALPHA, &app.alpha).await;
    let (_, staff) = body(client.get(app.url(ALPHA, "/staff/compass")).send().await.expect("GET")).await;
    assert!(!staff.contains("Betas bedömare"));
}

/// `GET /api/v1/compass` at `host`, without signing in.
async fn compass_json(app: &TestApp, host: &str) -> serde_json::Value {
    let response = app.client().get(app.url(host, "/api/v1/compass")).send().await.expect("GET");
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"].to_str().expect("ascii").starts_with("application/json"));
    response.json().await.expect("JSON")
}

fn close(actual: &serde_json::Value, expected: f64, tolerance: f64) -> bool {
    actual.as_f64().is_some_and(|a| (a - expected).abs() < tolerance)
}

async fn resident_score_is_weighted_to_the_population_margins(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let alpha = &app.alpha;
    let closed = now() - 10 * DAY;
    let row = SurveyRow {
        status: "published",
        opened: Some(closed - 20 * DAY),
        closed: Some(closed),
        published: Some(closed + 2 * DAY),
        ladder: None,
    };
    let survey_id = insert_survey(&app, alpha, definition(&likert("q1", 1)), row).await;
    // Ten young respondents all answer the top point (score 100); of thirty
    // older ones, fifteen answer the lowest (0) and fifteen the third (66⅔).
    for _ in 0..10 {
        insert_response(&app, alpha, survey_id, ("16-24", "female", "sentrum"), &[("q1", Some("p4"), None, false)])
            .await;
    }
    for point in ["p1", "p3"] {
        for _ in 0..15 {
            insert_response(
                &app,
                alpha,
                survey_id,
                ("25-34", "female", "sentrum"),
                &[("q1", Some(point), None, false)],
            )
            .await;
        }
    }
    let framework = compass::framework_for(&app.db, alpha).await.expect("db").expect("framework");

    // Unweighted (no margins yet): mean = (10·100 + 15·0 + 15·66⅔) / 40 = 2000 / 40 = 50.
    // sd² = (10·50² + 15·50² + 15·(16⅔)²) / 39 = 66 666.7 / 39 = 1709.40, sd = 41.345;
    // margin = 1.96 · 41.345 / √40 = 12.81.
    let scores = compass::resident_scores(&app.db, alpha, &framework).await.expect("scores");
    let area = scores.iter().find(|s| s.area == 1).expect("area 1");
    assert!(!area.weighted);
    assert_eq!((area.answers, area.respondents), (40, 40));
    assert!((area.effective_n - 40.0).abs() < 1e-9);
    assert!((area.score.expect("score") - 50.0).abs() < 1e-9, "{:?}", area.score);
    assert!((area.margin_of_error.expect("margin") - 12.813).abs() < 0.001, "{:?}", area.margin_of_error);
    let (_, page) = body(app.client().get(app.url(ALPHA, "/kompass")).send().await.expect("GET")).await;
    assert!(page.contains("Innbyggernes syn er uvektet"), "unweighted is labelled");
    assert!(area_row(&page, 1).contains("50 ± 13"), "{}", area_row(&page, 1));

    // The population is half 16–24, half 25–34 (all women in sentrum). Raking
    // gives the young weight 0.5 / (10/40) = 2 and the older 0.5 / (30/40) = ⅔.
    // Weighted mean = (2·10·100 + ⅔·15·0 + ⅔·15·66⅔) / (2·10 + ⅔·30)
    //               = (2000 + 666.7) / 40 = 66.67.
    // Effective n = (Σw)² / Σw² = 40² / (10·4 + 30·4/9) = 1600 / 53.33 = 30.
    // Weighted sd² = (Σw·x² / Σw − mean²) · 40/39
    //              = ((20·10 000 + 10·4444.4) / 40 − 4444.4) · 40/39 = 1709.40, sd = 41.345;
    // margin = 1.96 · 41.345 / √30 = 14.80.
    insert_margins(&app, alpha, &[("sentrum", "16-24", "female", 500), ("sentrum", "25-34", "female", 500)]).await;
    let scores = compass::resident_scores(&app.db, alpha, &framework).await.expect("scores");
    let area = scores.iter().find(|s| s.area == 1).expect("area 1");
    assert!(area.weighted);
    assert_eq!((area.answers, area.respondents), (40, 40));
    assert!((area.effective_n - 30.0).abs() < 1e-6, "{}", area.effective_n);
    assert!((area.score.expect("score") - 200.0 / 3.0).abs() < 1e-6, "{:?}", area.score);
    assert!((area.margin_of_error.expect("margin") - 14.795).abs() < 0.001, "{:?}", area.margin_of_error);

    let (_, page) = body(app.client().get(app.url(ALPHA, "/kompass")).send().await.expect("GET")).await;
    assert!(page.contains("Innbyggernes syn er vektet etter befolkningen"), "weighted is labelled");
    let row = area_row(&page, 1);
    assert!(row.contains("67 ± 15"), "{row}");
    assert!(row.contains(">30<"), "effective n shown: {row}");

    let json = compass_json(&app, ALPHA).await;
    assert_eq!(json["resident"]["weighted"], true);
    let area = &json["resident"]["areas"][0];
    assert_eq!((area["area"].as_u64(), area["status"].as_str()), (Some(1), Some("shown")));
    assert!(close(&area["score"], 200.0 / 3.0, 1e-6), "{area}");
    assert!(close(&area["margin_of_error"], 14.795, 0.001), "{area}");
    assert!(close(&area["effective_n"], 30.0, 1e-6), "{area}");
    assert_eq!(area["respondents"], 40);
    assert_eq!(area["surveys"][0]["results_path"], format!("/results/{survey_id}"));
    assert_eq!(json["resident"]["areas"][1]["status"], "no_answers");
}

async fn frameworks_load_with_their_areas_and_maxima(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    // Alpha (bokmål) is assessed by KS 2016, Beta (Swedish) by SKR 2020.
    for (host, key, sub_questions) in
        [(ALPHA, "ks-2016", [5, 5, 5, 6, 6, 6, 5, 7]), (BETA, "skr-2020", [4, 4, 4, 4, 4, 4, 4, 4])]
    {
        let json = compass_json(&app, host).await;
        let framework = &json["framework"];
        assert_eq!(framework["key"], key);
        assert_eq!(framework["max_points"], 800.0);
        let areas = framework["areas"].as_array().expect("areas");
        assert_eq!(areas.len(), 8, "{key}");
        for (index, area) in areas.iter().enumerate() {
            assert_eq!(area["number"], index + 1);
            assert_eq!(area["max_points"], 100.0, "{key} area {}", index + 1);
            assert_eq!(area["sub_questions"], sub_questions[index], "{key} area {}", index + 1);
        }
    }
}

async fn an_imported_framework_can_be_chosen_in_settings(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let client = admin_client(&app, ALPHA, &app.alpha).await;
    let token = csrf_token(&client, &app.url(ALPHA, "/staff/compass")).await;
    let file = r#"{"key":"demo-2026","version":"1","name":{"nb":"Demokompass","en":"Demo compass"},"areas":[
        {"number":1,"name":{"nb":"Åpenhet"},"max_points":50,"sub_questions":[
            {"number":1,"text":{"nb":"q1"},"max_points":30},{"number":2,"text":{"nb":"q2"},"max_points":20}]},
        {"number":2,"name":{"nb":"Tjenester"},"max_points":50,"sub_questions":[{"number":1,"text":{"nb":"q"},"max_points":50}]}]}"#;
    let part = reqwest::multipart::Part::bytes(file.as_bytes().to_vec()).file_name("framework.json");
    let form = reqwest::multipart::Form::new().part("framework_file", part);
    let imported = client
        .post(app.url(ALPHA, &format!("/staff/compass/frameworks?csrf={token}")))
        .multipart(form)
        .send()
        .await
        .expect("POST");
    assert_eq!(imported.status(), 303);

    let (_, staff) = body(client.get(app.url(ALPHA, "/staff/compass")).send().await.expect("GET")).await;
    assert!(
        staff.contains("href=\"/staff/settings\">Velg hvilket rammeverk kommunen vurderes etter i innstillingene."),
        "the staff page points to where the framework is chosen"
    );
    let settings_url = app.url(ALPHA, "/staff/settings");
    let (status, settings) = body(client.get(&settings_url).send().await.expect("GET")).await;
    assert_eq!(status, 200);
    assert!(settings.contains("<option value=\"demo-2026\">Demokompass (demo-2026, 1)</option>"), "{settings}");
    assert!(settings.contains("value=\"skr-2020\""), "shipped frameworks stay selectable");
    let token = csrf_token(&client, &settings_url).await;
    let form = |framework: &'static str| {
        [
            ("csrf", token.clone()),
            ("name", "Alpha kommune".to_owned()),
            ("languages", "nb".to_owned()),
            ("languages", "en".to_owned()),
            ("default_language", "nb".to_owned()),
            ("compass_framework", framework.to_owned()),
            ("max_invitations_per_year", "6".to_owned()),
            ("min_days_between_invitations", "21".to_owned()),
            ("suppression_threshold", "5".to_owned()),
            ("consent_renewal_years", "5".to_owned()),
        ]
    };
    let (status, page) = body(client.post(&settings_url).form(&form("nope-1")).send().await.expect("POST")).await;
    assert_eq!(status, 422, "an unknown framework is refused");
    assert!(page.contains("Velg et kommunekompass fra listen."), "{page}");
    let saved = client.post(&settings_url).form(&form("demo-2026")).send().await.expect("POST");
    assert_eq!(saved.status(), 303);

    // The public page, the API and the assessment form now use the imported framework.
    let (_, public) = body(app.client().get(app.url(ALPHA, "/kompass")).send().await.expect("GET")).await;
    assert!(public.contains("Rammeverk: Demokompass."), "{public}");
    assert!(area_row(&public, 2).contains("Tjenester"));
    let json = compass_json(&app, ALPHA).await;
    assert_eq!(
        (json["framework"]["key"].as_str(), json["framework"]["max_points"].as_f64()),
        (Some("demo-2026"), Some(100.0))
    );
    let (status, assessment) =
        body(client.get(app.url(ALPHA, "/staff/compass/assessments/new")).send().await.expect("GET")).await;
    assert_eq!(status, 200);
    assert!(assessment.contains("name=\"points_1.2\""), "{assessment}");
    assert!(!assessment.contains("name=\"points_3.1\""));

    // Another municipality cannot choose Alpha's import.
    app.add_staff(Some(&app.beta), "admin@beta.test", Role::Admin).await;
    let beta = app.signed_in(BETA, "admin@beta.test").await;
    let beta_settings = app.url(BETA, "/staff/settings");
    let (_, page) = body(beta.get(&beta_settings).send().await.expect("GET")).await;
    assert!(!page.contains("demo-2026"));
    let token = csrf_token(&beta, &beta_settings).await;
    let refused = beta
        .post(&beta_settings)
        .form(&[
            ("csrf", token.as_str()),
            ("name", "Beta kommun"),
            ("languages", "sv"),
            ("default_language", "sv"),
            ("compass_framework", "demo-2026"),
            ("max_invitations_per_year", "6"),
            ("min_days_between_invitations", "21"),
            ("suppression_threshold", "5"),
            ("consent_renewal_years", "5"),
        ])
        .send()
        .await
        .expect("POST");
    assert_eq!(refused.status(), 422);
}

async fn public_page_and_api_have_a_clear_empty_state(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let (status, page) = body(app.client().get(app.url(ALPHA, "/kompass")).send().await.expect("GET")).await;
    assert_eq!(status, 200);
    assert!(page.contains("Det er ikke registrert noen offisiell vurdering ennå."), "{page}");
    assert!(page.contains("Ingen undersøkelser er åpnet ennå."));
    assert!(page.contains("Ingen publiserte undersøkelser har spørsmål knyttet til kompassets områder ennå."));
    assert!(!page.contains("id=\"compass-weighting\""), "no weighting note without answers");
    assert!(
        page.contains("Offisiell vurdering: 1 Offentlighet og demokrati: ingen verdi;"),
        "the chart says there is no official value"
    );
    assert!(!page.contains("fill-opacity=\"0.12\""), "no official polygon without an assessment");
    assert!(area_row(&page, 1).contains("ingen svar ennå"), "{}", area_row(&page, 1));
    let (status, english) = body(app.client().get(app.url(ALPHA, "/kompass?lang=en")).send().await.expect("GET")).await;
    assert_eq!(status, 200);
    assert!(english.contains("No official assessment has been recorded yet."));

    let json = compass_json(&app, ALPHA).await;
    assert_eq!(json["municipality"], "Alpha kommune");
    assert_eq!(json["assessments"], serde_json::json!([]));
    assert_eq!(json["indicators"], serde_json::json!([]));
    assert_eq!(json["resident"]["weighted"], false);
    let areas = json["resident"]["areas"].as_array().expect("areas");
    assert_eq!(areas.len(), 8);
    assert!(areas.iter().all(|a| a["status"] == "no_answers" && a["score"].is_null()), "{areas:?}");
}

async fn api_carries_assessments_with_trends_suppression_and_indicators(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let alpha = &app.alpha;
    let framework = ks();
    let mut input = AssessmentInput {
        assessed_on: "2023-05-01".into(),
        assessor: "KS-Konsulent".into(),
        kind: "external".into(),
        ..Default::default()
    };
    for area in &framework.areas {
        for sub in &area.sub_questions {
            input.points.insert(sub.key(area), "2".into());
        }
    }
    compass::record_assessment(&app.db, alpha, &framework, &input, Actor::System).await.expect("assessment");
    // Two years later area 1 (five sub-questions) rose from 5·2 = 10 to 5·3.5 = 17.5.
    input.assessed_on = "2025-05-01".into();
    for sub in &framework.areas[0].sub_questions {
        input.points.insert(sub.key(&framework.areas[0]), "3,5".into());
    }
    compass::record_assessment(&app.db, alpha, &framework, &input, Actor::System).await.expect("assessment");

    // Area 2 has answers from five respondents only: too few for a score.
    let closed = now() - 30 * DAY;
    let row = SurveyRow {
        status: "published",
        opened: Some(closed - 10 * DAY),
        closed: Some(closed),
        published: Some(closed + 4 * DAY),
        ladder: Some("dialogue"),
    };
    let survey_id = insert_survey(&app, alpha, definition(&likert("q2", 2)), row).await;
    insert_invitations(&app, alpha, survey_id, 10, 5).await;
    for _ in 0..5 {
        insert_response(&app, alpha, survey_id, ("45-54", "male", "nord"), &[("q2", Some("p2"), None, false)]).await;
    }

    let json = compass_json(&app, ALPHA).await;
    let assessments = json["assessments"].as_array().expect("assessments");
    assert_eq!(assessments.len(), 2);
    let latest = &assessments[0];
    assert_eq!((latest["assessed_on"].as_str(), latest["kind"].as_str()), (Some("2025-05-01"), Some("external")));
    // 45 sub-questions: 40 × 2 + 5 × 3.5 = 97.5, up 7.5 from 90.
    assert!(close(&latest["total"], 97.5, 1e-9), "{latest}");
    assert!(close(&latest["change"], 7.5, 1e-9), "{latest}");
    assert_eq!(latest["max_points"], 800.0);
    let area1 = &latest["areas"][0];
    assert!(close(&area1["points"], 17.5, 1e-9) && close(&area1["change"], 7.5, 1e-9), "{area1}");
    assert!(close(&area1["percent"], 17.5, 1e-9));
    assert!(assessments[1]["change"].is_null(), "the first assessment has nothing to compare with");

    let area2 = &json["resident"]["areas"][1];
    assert_eq!(area2["status"], "too_few");
    assert!(area2["score"].is_null() && area2["margin_of_error"].is_null(), "{area2}");
    assert_eq!((area2["respondents"].as_i64(), area2["answers"].as_i64()), (Some(5), Some(5)));
    assert_eq!(json["resident"]["minimum_respondents"], 30);

    let year = &json["indicators"][0];
    assert_eq!(year["surveys_opened"], 1);
    assert!(close(&year["response_rate"], 0.5, 1e-9), "{year}");
    assert!(close(&year["share_with_feedback"], 1.0, 1e-9), "{year}");
    assert!(close(&year["median_days_to_feedback"], 4.0, 1e-9), "{year}");
    assert_eq!(year["ladder"], serde_json::json!([{"step": "dialogue", "surveys": 1}]));

    // The page shows the same change between the two assessments.
    let (_, page) = body(app.client().get(app.url(ALPHA, "/kompass")).send().await.expect("GET")).await;
    let history = &page[page.find("id=\"compass-history\"").expect("history")..];
    let row = &history[history.find("<th scope=\"row\">1. ").expect("row")..];
    let row = &row[..row.find("</tr>").expect("end")];
    assert!(row.contains(">+7,5<"), "{row}");
}

/// Record an assessment of ks-2016 for Alpha: `points(key)` and a comment
/// `"{prefix} {key}"` for every sub-question. Returns its id.
async fn record_ks(app: &TestApp, date: &str, points: impl Fn(&str) -> &'static str, prefix: &str) -> i32 {
    let framework = ks();
    let mut input = AssessmentInput {
        assessed_on: date.into(),
        assessor: "KS-Konsulent".into(),
        kind: "external".into(),
        ..Default::default()
    };
    for area in &framework.areas {
        for sub in &area.sub_questions {
            let key = sub.key(area);
            input.points.insert(key.clone(), points(&key).into());
            input.comments.insert(key.clone(), format!("{prefix} {key}"));
        }
    }
    compass::record_assessment(&app.db, &app.alpha, &framework, &input, Actor::System).await.expect("assessment")
}

/// Two assessments: all 2 points in 2024; all 3 in 2025 except 1.4 = 6,1 and
/// 1.5 = 8. Area 1: 10 → 23.1 (+13.1); overall 90 → 143.1 (+53.1).
async fn two_ks_assessments(app: &TestApp) -> (i32, i32) {
    let older = record_ks(app, "2024-05-02", |_| "2", "Eldre merknad").await;
    let latest = record_ks(
        app,
        "2025-05-02",
        |key| match key {
            "1.4" => "6,1",
            "1.5" => "8",
            _ => "3",
        },
        "Merknad",
    )
    .await;
    (older, latest)
}

/// The `<tr>` of sub-question `key` in the table with `table_id`.
fn sub_row<'a>(html: &'a str, table_id: &str, key: &str) -> &'a str {
    let table = &html[html.find(&format!("id=\"{table_id}\"")).unwrap_or_else(|| panic!("{table_id}"))..];
    let row = &table[table.find(&format!("<tr data-key=\"{key}\">")).unwrap_or_else(|| panic!("row {key}"))..];
    &row[..row.find("</tr>").expect("row end")]
}

/// The `<tfoot>` of the table with `table_id`.
fn table_foot<'a>(html: &'a str, table_id: &str) -> &'a str {
    let table = &html[html.find(&format!("id=\"{table_id}\"")).unwrap_or_else(|| panic!("{table_id}"))..];
    let foot = &table[table.find("<tfoot>").expect("tfoot")..];
    &foot[..foot.find("</tfoot>").expect("tfoot end")]
}

fn nb_points(value: f64) -> String {
    format_points(value).replace('.', ",")
}

async fn assessment_page_shows_every_sub_question_with_totals_and_change(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let (older, latest) = two_ks_assessments(&app).await;
    app.add_staff(Some(&app.alpha), "viewer@alpha.test", Role::Viewer).await;
    let viewer = app.signed_in(ALPHA, "viewer@alpha.test").await;

    let (status, list) = body(viewer.get(app.url(ALPHA, "/staff/compass")).send().await.expect("GET")).await;
    assert_eq!(status, 200);
    assert!(list.contains(&format!("href=\"/staff/compass/assessments/{latest}\"")), "history links to the page");
    assert!(list.contains(&format!("href=\"/staff/compass/assessments/{older}\"")));

    let url = app.url(ALPHA, &format!("/staff/compass/assessments/{latest}"));
    let (status, page) = body(viewer.get(&url).send().await.expect("GET")).await;
    assert_eq!(status, 200, "any staff role may read");
    assert!(page.contains("Vurdering 2025-05-02"), "{page}");
    assert!(page.contains("KS-Konsulent") && page.contains("Ekstern vurdering"));
    assert!(!page.contains("/edit\""), "a viewer gets no edit link");
    let framework = ks();
    for area in &framework.areas {
        for sub in &area.sub_questions {
            let key = sub.key(area);
            let row = sub_row(&page, &format!("assessment-area-{}-table", area.number), &key);
            let expected = match key.as_str() {
                "1.4" => "6,1",
                "1.5" => "8",
                _ => "3",
            };
            assert!(row.contains(&format!(">{expected} / {}<", nb_points(sub.max_points))), "{row}");
            assert!(row.contains(&format!("Merknad {key}<")), "{row}");
            assert!(!row.contains("Eldre merknad"), "{row}");
        }
    }
    assert!(sub_row(&page, "assessment-area-1-table", "1.4").contains(">+4,1<"));
    assert!(sub_row(&page, "assessment-area-1-table", "1.5").contains(">+6<"));
    assert!(sub_row(&page, "assessment-area-2-table", "2.1").contains(">+1<"));
    let area_1 = table_foot(&page, "assessment-area-1-table");
    assert!(area_1.contains(">23,1 / 100<") && area_1.contains(">+13,1<"), "{area_1}");
    let overall = table_foot(&page, "assessment-areas");
    assert!(overall.contains(">143,1 / 800<") && overall.contains(">+53,1<"), "{overall}");
    assert!(page.contains("<th scope=\"col\" class=\"numeric\">Endring siden 2024-05-02</th>"), "{page}");
    assert!(
        page.contains("<caption id=\"assessment-area-1-caption\">1. Offentlighet og demokrati: poeng og kommentar")
    );

    // The first assessment has nothing to compare with: no change column.
    let url = app.url(ALPHA, &format!("/staff/compass/assessments/{older}"));
    let (status, first) = body(viewer.get(&url).send().await.expect("GET")).await;
    assert_eq!(status, 200);
    assert!(first.contains("første vurderingen"), "{first}");
    assert!(!first.contains("Endring siden"), "{first}");
    assert!(sub_row(&first, "assessment-area-1-table", "1.4").contains("Eldre merknad 1.4"));
    assert!(table_foot(&first, "assessment-areas").contains(">90 / 800<"));

    // Unknown ids and other municipalities' assessments are not found.
    let missing = viewer.get(app.url(ALPHA, "/staff/compass/assessments/999999")).send().await.expect("GET");
    assert_eq!(missing.status(), 404);
    let beta = admin_client(&app, BETA, &app.beta).await;
    let url = app.url(BETA, &format!("/staff/compass/assessments/{latest}"));
    assert_eq!(beta.get(&url).send().await.expect("GET").status(), 404);
    assert_eq!(
        app.client().get(app.url(ALPHA, "/staff/compass/assessments/1")).send().await.expect("GET").status(),
        303
    );
}

async fn public_page_and_api_show_the_latest_sub_question_points_and_comments(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    two_ks_assessments(&app).await;
    for (query, intro) in
        [("", "Poeng og kommentarer per delspørsmål"), ("?lang=en", "Points and comments per sub-question")]
    {
        let url = app.url(ALPHA, &format!("/kompass{query}"));
        let (status, page) = body(app.client().get(url).send().await.expect("GET")).await;
        assert_eq!(status, 200);
        assert!(page.contains(intro), "{page}");
        assert!(page.contains("<details class=\"compass-sub-details\" id=\"compass-sub-1\">"), "{page}");
        let framework = ks();
        for area in &framework.areas {
            for sub in &area.sub_questions {
                let key = sub.key(area);
                let row = sub_row(&page, &format!("compass-sub-area-{}-table", area.number), &key);
                assert!(row.contains(&format!("Merknad {key}<")), "{row}");
            }
        }
        assert!(!page.contains("Eldre merknad"), "only the latest assessment's comments");
    }
    let (_, page) = body(app.client().get(app.url(ALPHA, "/kompass")).send().await.expect("GET")).await;
    let row = sub_row(&page, "compass-sub-area-1-table", "1.4");
    assert!(row.contains(">6,1 / 22,5<") && row.contains(">+4,1<"), "{row}");

    let json = compass_json(&app, ALPHA).await;
    let latest = &json["assessments"][0];
    assert_eq!(latest["assessed_on"], "2025-05-02");
    let subs = latest["areas"][0]["sub_questions"].as_array().expect("sub-questions");
    assert_eq!(subs.len(), 5);
    let sub = &subs[3];
    assert_eq!((sub["key"].as_str(), sub["number"].as_u64()), (Some("1.4"), Some(4)));
    assert_eq!(sub["comment"], "Merknad 1.4");
    assert!(sub["text"]["nb"].is_string(), "{sub}");
    let close = |value: &serde_json::Value, expected: f64| value.as_f64().is_some_and(|v| (v - expected).abs() < 1e-9);
    assert!(close(&sub["points"], 6.1) && close(&sub["change"], 4.1), "{sub}");
    assert!(close(&sub["max_points"], 22.5), "{sub}");
    let total: usize = latest["areas"]
        .as_array()
        .expect("areas")
        .iter()
        .map(|a| a["sub_questions"].as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(total, 45, "every sub-question of every area");
    assert!(json["assessments"][1]["areas"][0]["sub_questions"][0]["change"].is_null(), "nothing older to compare");
}

/// The edit form's fields as posted, with `changes` applied.
async fn edit_pairs(client: &reqwest::Client, url: &str, changes: &[(&str, &str)]) -> Vec<(String, String)> {
    let html = client.get(url).send().await.expect("GET").text().await.expect("body");
    let mut pairs = vec![("csrf".to_owned(), common::csrf_from(&html))];
    pairs.push(("assessed_on".to_owned(), "2025-05-02".to_owned()));
    pairs.push(("assessor".to_owned(), "KS-Konsulent".to_owned()));
    pairs.push(("kind".to_owned(), "external".to_owned()));
    let framework = ks();
    for area in &framework.areas {
        for sub in &area.sub_questions {
            let key = sub.key(area);
            let field = AssessmentInput::points_field(&key);
            // The form is prefilled with what was recorded.
            let marker = format!("name=\"{field}\" type=\"text\" value=\"");
            let start = html.find(&marker).unwrap_or_else(|| panic!("{field} in form")) + marker.len();
            let value = &html[start..start + html[start..].find('"').expect("quote")];
            pairs.push((field, value.to_owned()));
            pairs.push((AssessmentInput::comment_field(&key), format!("Merknad {key}")));
        }
    }
    for (name, value) in changes {
        for pair in pairs.iter_mut().filter(|(n, _)| n == name) {
            pair.1 = (*value).to_owned();
        }
    }
    pairs
}

async fn an_invalid_edit_is_rejected_next_to_the_field_and_changes_nothing(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let (_, latest) = two_ks_assessments(&app).await;
    let before = compass_assessment::Entity::find_by_id(latest).one(&app.db).await.expect("row").expect("stored");
    let client = admin_client(&app, ALPHA, &app.alpha).await;
    let url = app.url(ALPHA, &format!("/staff/compass/assessments/{latest}/edit"));
    let (status, form) = body(client.get(&url).send().await.expect("GET")).await;
    assert_eq!(status, 200);
    assert!(form.contains("Rett opp vurderingen 2025-05-02"), "{form}");
    assert!(form.contains("name=\"points_1.4\" type=\"text\" value=\"6,1\""), "prefilled in the user's language");
    assert!(form.contains("value=\"Merknad 1.4\""), "comments prefilled");

    let pairs = edit_pairs(&client, &url, &[("points_1.5", "12"), ("points_1.1", "9"), ("comment_1.1", "Ny")]).await;
    let (status, page) = body(client.post(&url).form(&pairs).send().await.expect("POST")).await;
    assert_eq!(status, 422);
    let field_error = "<p class=\"ds-validation-message\" data-color=\"danger\" id=\"field-points-1-5-error\">\
                       Poengene for 1.5 må være mellom 0 og 10.</p>";
    assert!(page.contains(field_error), "{page}");
    assert!(page.contains("href=\"#field-points-1-5\""), "error summary links to the field");
    assert!(page.contains("value=\"12\""), "typed values are kept");
    let after = compass_assessment::Entity::find_by_id(latest).one(&app.db).await.expect("row").expect("stored");
    assert_eq!(after, before, "nothing half-written");
    let audits = audit_event::Entity::find().all(&app.db).await.expect("audit");
    assert!(!audits.iter().any(|a| a.action == "compass.assessment.update"));

    // In English (the choice is remembered), numbers and messages follow the language.
    let english = format!("{url}?lang=en");
    let pairs = edit_pairs(&client, &english, &[("points_2.1", "lots"), ("points_1.1", "99")]).await;
    let (status, page) = body(client.post(&url).form(&pairs).send().await.expect("POST")).await;
    assert_eq!(status, 422);
    assert!(page.contains("The points for 2.1 must be a number."), "{page}");
    assert!(page.contains("The points for 1.1 must be between 0 and 22.5."), "{page}");
    let after = compass_assessment::Entity::find_by_id(latest).one(&app.db).await.expect("row").expect("stored");
    assert_eq!(after, before);
}

async fn a_valid_edit_updates_totals_and_is_audited_and_viewers_cannot_edit(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let (older, latest) = two_ks_assessments(&app).await;
    let client = admin_client(&app, ALPHA, &app.alpha).await;
    let url = app.url(ALPHA, &format!("/staff/compass/assessments/{latest}/edit"));
    // 1.1: 3 → 10,5; area 1: 23.1 → 30.6; overall 143.1 → 150.6.
    let pairs =
        edit_pairs(&client, &url, &[("points_1.1", "10,5"), ("comment_1.1", "Rettet: strategien er vedtatt")]).await;
    let response = client.post(&url).form(&pairs).send().await.expect("POST");
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], format!("/staff/compass/assessments/{latest}?saved=1").as_str());

    let detail = app.url(ALPHA, &format!("/staff/compass/assessments/{latest}?saved=1"));
    let (status, page) = body(client.get(&detail).send().await.expect("GET")).await;
    assert_eq!(status, 200);
    assert!(page.contains("Vurderingen er rettet."), "{page}");
    let row = sub_row(&page, "assessment-area-1-table", "1.1");
    assert!(
        row.contains(">10,5 / 22,5<") && row.contains("Rettet: strategien er vedtatt<") && row.contains(">+8,5<"),
        "{row}"
    );
    assert!(table_foot(&page, "assessment-area-1-table").contains(">30,6 / 100<"));
    assert!(table_foot(&page, "assessment-areas").contains(">150,6 / 800<"));
    let json = compass_json(&app, ALPHA).await;
    assert!(json["assessments"][0]["total"].as_f64().is_some_and(|t| (t - 150.6).abs() < 1e-9), "{json}");
    assert_eq!(compass_assessment::Entity::find().count(&app.db).await.expect("count"), 2, "corrected, not added");

    let audits = audit_event::Entity::find().all(&app.db).await.expect("audit");
    let update: Vec<_> = audits.iter().filter(|a| a.action == "compass.assessment.update").collect();
    assert_eq!(update.len(), 1);
    assert_eq!(update[0].municipality_id, Some(app.alpha.id));
    assert_eq!(update[0].subject, format!("compass_assessment:{latest}"));

    // Moving it onto the other assessment's date, assessor and kind is a duplicate.
    let pairs = edit_pairs(&client, &url, &[("assessed_on", "2024-05-02")]).await;
    let (status, page) = body(client.post(&url).form(&pairs).send().await.expect("POST")).await;
    assert_eq!(status, 422);
    assert!(page.contains("allerede registrert"), "{page}");

    // A viewer may read but not edit; the older one stays as it was.
    app.add_staff(Some(&app.alpha), "viewer@alpha.test", Role::Viewer).await;
    let viewer = app.signed_in(ALPHA, "viewer@alpha.test").await;
    assert_eq!(viewer.get(&url).send().await.expect("GET").status(), 403);
    let token = csrf_token(&viewer, &app.url(ALPHA, "/staff/compass")).await;
    let mut pairs = assessment_form(&ks(), "1");
    pairs.push(("csrf".to_owned(), token));
    let (status, refused) = body(viewer.post(&url).form(&pairs).send().await.expect("POST")).await;
    assert_eq!(status, 403);
    assert!(
        refused.contains("Ingen tilgang") && !refused.contains("Skjemaet er utløpt"),
        "refused for the role: {refused}"
    );
    let updates = audit_event::Entity::find().all(&app.db).await.expect("audit");
    assert_eq!(updates.iter().filter(|a| a.action == "compass.assessment.update").count(), 1);
    let page = app.url(ALPHA, &format!("/staff/compass/assessments/{older}"));
    let (status, older_page) = body(viewer.get(&page).send().await.expect("GET")).await;
    assert_eq!(status, 200);
    assert!(table_foot(&older_page, "assessment-areas").contains(">90 / 800<"));
    let stored = compass_assessment::Entity::find_by_id(latest).one(&app.db).await.expect("row").expect("stored");
    assert!(stored.scores.contains("10.5"), "{}", stored.scores);
}

on_both_backends!(
    admin_records_an_assessment_and_totals_are_computed,
    invalid_assessment_points_are_rejected_and_nothing_stored,
    framework_import_names_the_json_path_and_stores_nothing_when_invalid,
    resident_score_comes_from_tagged_scale_answers,
    dialogue_indicators_match_hand_computed_numbers,
    public_page_renders_without_sign_in_in_every_language,
    another_municipalitys_assessments_stay_off_the_page,
    resident_score_is_weighted_to_the_population_margins,
    frameworks_load_with_their_areas_and_maxima,
    an_imported_framework_can_be_chosen_in_settings,
    public_page_and_api_have_a_clear_empty_state,
    api_carries_assessments_with_trends_suppression_and_indicators,
    assessment_page_shows_every_sub_question_with_totals_and_change,
    public_page_and_api_show_the_latest_sub_question_points_and_comments,
    an_invalid_edit_is_rejected_next_to_the_field_and_changes_nothing,
    a_valid_edit_updates_totals_and_is_audited_and_viewers_cannot_edit,
);
