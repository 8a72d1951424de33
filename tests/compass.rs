//! The compass: frameworks, assessments, resident scores, dialogue indicators,
//! the public page `/kompass` and the staff page `/staff/compass`.

mod common;

use common::{ALPHA, BETA, Backend, TestApp, csrf_token, spawn_app};
use radslag::domain::Role;
use radslag::domain::compass::{AssessmentInput, Framework};
use radslag::entities::{
    audit_event, compass_assessment, compass_framework, invitation, population_margin, response, response_answer,
    survey,
};
use radslag::services::audit::Actor;
use radslag::services::compass;
use radslag::services::tenant::Municipality;
use sea_orm::{ActiveModelTrait, EntityTrait, PaginatorTrait, Set};

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

struct SurveyTimes {
    status: &'static str,
    opened: Option<i64>,
    closed: Option<i64>,
    published: Option<i64>,
    ladder: Option<&'static str>,
}

async fn add_survey(app: &TestApp, municipality: &Municipality, definition: String, times: SurveyTimes) -> i32 {
    survey::ActiveModel {
        municipality_id: Set(municipality.id),
        status: Set(times.status.to_owned()),
        kind: Set("panel".to_owned()),
        definition: Set(definition),
        closes_on: Set(None),
        compass_areas: Set(String::new()),
        ladder_step: Set(times.ladder.map(str::to_owned)),
        public_token_hash: Set(None),
        reminder_after_days: Set(3),
        max_reminders: Set(1),
        created_by: Set(None),
        approved_by: Set(None),
        created_at: Set(times.opened.unwrap_or_else(now)),
        updated_at: Set(now()),
        opened_at: Set(times.opened),
        closed_at: Set(times.closed),
        published_at: Set(times.published),
        feedback: Set(None),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect("survey")
    .id
}

async fn add_response(
    app: &TestApp,
    municipality: &Municipality,
    survey_id: i32,
    attributes: (&str, &str),
    answers: &[(&str, Option<&str>, Option<f64>, bool)],
) {
    let id = radslag::domain::SecretToken::generate().reveal();
    response::ActiveModel {
        id: Set(id.clone()),
        municipality_id: Set(municipality.id),
        survey_id: Set(survey_id),
        submitted_on: Set("2025-01-01".to_owned()),
        channel: Set("web".to_owned()),
        age_band: Set(Some(attributes.0.to_owned())),
        gender: Set(Some(attributes.1.to_owned())),
        district: Set(Some("sentrum".to_owned())),
        source_group: Set(None),
    }
    .insert(&app.db)
    .await
    .expect("response");
    for (question, option, number, dont_know) in answers {
        response_answer::ActiveModel {
            municipality_id: Set(municipality.id),
            response_id: Set(id.clone()),
            survey_id: Set(survey_id),
            question_key: Set((*question).to_owned()),
            item_key: Set(None),
            option_key: Set(option.map(str::to_owned)),
            number_value: Set(*number),
            text_value: Set(None),
            dont_know: Set(*dont_know),
            moderation: Set("none".to_owned()),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .expect("answer");
    }
}

async fn add_invitations(app: &TestApp, municipality: &Municipality, survey_id: i32, invited: usize, completed: usize) {
    for index in 0..invited {
        invitation::ActiveModel {
            municipality_id: Set(municipality.id),
            survey_id: Set(survey_id),
            sample_id: Set(None),
            member_id: Set(None),
            token_hash: Set(format!("hash-{survey_id}-{index}-{}", municipality.id)),
            stratum: Set(None),
            wave: Set(1),
            created_at: Set(now()),
            sent_at: Set(Some(now())),
            reminders_sent: Set(0),
            last_reminder_at: Set(None),
            completed: Set(index < completed),
            draft: Set(None),
            draft_page: Set(0),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .expect("invitation");
    }
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
    let times = SurveyTimes {
        status: "published",
        opened: Some(closed - 20 * DAY),
        closed: Some(closed),
        published: Some(closed + 5 * DAY),
        ladder: Some("consultation"),
    };
    let rating = r#"{"key":"q5","text":{"nb":"Gi en karakter"},"type":"rating","compass_area":5}"#;
    let questions = format!("{},{},{rating}", likert("q2", 2), likert("q3", 3));
    let survey_id = add_survey(&app, alpha, definition(&questions), times).await;
    // 40 respondents on area 2: ten on each of the four points → 0, 33⅓, 66⅔, 100.
    for point in ["p1", "p2", "p3", "p4"] {
        for _ in 0..10 {
            add_response(&app, alpha, survey_id, ("25-34", "female"), &[("q2", Some(point), None, false)]).await;
        }
    }
    // "Don't know" is left out; area 3 has only five respondents.
    add_response(&app, alpha, survey_id, ("25-34", "male"), &[("q2", None, None, true)]).await;
    for _ in 0..5 {
        add_response(&app, alpha, survey_id, ("25-34", "male"), &[("q3", Some("p4"), None, false)]).await;
    }
    // Ratings 6 and 8, 15 of each → 60 and 80 → mean 70.
    for value in [6.0, 8.0] {
        for _ in 0..15 {
            add_response(&app, alpha, survey_id, ("35-44", "female"), &[("q5", None, Some(value), false)]).await;
        }
    }
    // A draft survey's answers never count.
    let draft = SurveyTimes { status: "open", opened: Some(now()), closed: None, published: None, ladder: None };
    let draft_id = add_survey(&app, alpha, definition(&likert("q2", 2)), draft).await;
    add_response(&app, alpha, draft_id, ("25-34", "male"), &[("q2", Some("p1"), None, false)]).await;

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
    let a = SurveyTimes {
        status: "published",
        opened: Some(epoch("2025-01-10")),
        closed: Some(epoch("2025-02-01")),
        published: Some(epoch("2025-02-11")),
        ladder: Some("consultation"),
    };
    let b = SurveyTimes {
        status: "published",
        opened: Some(epoch("2025-03-01")),
        closed: Some(epoch("2025-04-01")),
        published: Some(epoch("2025-04-21")),
        ladder: Some("dialogue"),
    };
    let c = SurveyTimes {
        status: "closed",
        opened: Some(epoch("2025-05-01")),
        closed: Some(epoch("2025-06-01")),
        published: None,
        ladder: None,
    };
    let a = add_survey(&app, alpha, plain(), a).await;
    let b = add_survey(&app, alpha, plain(), b).await;
    add_survey(&app, alpha, plain(), c).await;
    // Response rates 4/10 and 5/5 → mean 70 %.
    add_invitations(&app, alpha, a, 10, 4).await;
    add_invitations(&app, alpha, b, 5, 5).await;
    // Population shares .1, .1, .2, .6; respondents .25, .25, .5, 0 → D = ½(.15+.15+.3+.6) = 0.6.
    for (age, gender, population) in
        [("16-24", "female", 100), ("16-24", "male", 100), ("25-34", "female", 200), ("25-34", "male", 600)]
    {
        population_margin::ActiveModel {
            municipality_id: Set(alpha.id),
            district_code: Set("sentrum".to_owned()),
            age_band: Set(age.to_owned()),
            gender: Set(gender.to_owned()),
            population: Set(population),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .expect("margin");
    }
    for (survey_id, cell, count) in
        [(a, ("16-24", "female"), 5), (a, ("16-24", "male"), 5), (b, ("25-34", "female"), 10)]
    {
        for _ in 0..count {
            add_response(&app, alpha, survey_id, cell, &[]).await;
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

on_both_backends!(
    admin_records_an_assessment_and_totals_are_computed,
    invalid_assessment_points_are_rejected_and_nothing_stored,
    framework_import_names_the_json_path_and_stores_nothing_when_invalid,
    resident_score_comes_from_tagged_scale_answers,
    dialogue_indicators_match_hand_computed_numbers,
    public_page_renders_without_sign_in_in_every_language,
    another_municipalitys_assessments_stay_off_the_page,
);
