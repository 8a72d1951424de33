//! The JSON API with staff API keys: keys made on the staff page, bearer
//! authentication and its refusals, CSRF, the invitations and results
//! endpoints, and the OpenAPI document — on SQLite and PostgreSQL.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::fixtures::{self, Respondent, api_key as make_key_with, secret_in};
use common::{ALPHA, BETA, Backend, TestApp, csrf_token, spawn_app};
use radslag::domain::Role;
use radslag::domain::token::hash_token_text;
use radslag::entities::{api_key, audit_event, invitation, member, survey};
use radslag::services::surveys::SurveyKind;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde_json::{Value, json};

on_both_backends!(
    a_key_made_on_the_staff_page_is_shown_once_and_works_on_the_survey_api,
    revoked_expired_unknown_and_foreign_keys_are_refused,
    key_roles_limit_what_a_key_may_do,
    cookie_sessions_still_need_csrf_and_a_bearer_header_never_borrows_the_cookie,
    failed_key_attempts_are_rate_limited,
    the_invitations_api_previews_reproducibly_sends_releases_and_counts,
    the_results_api_leaves_small_groups_out,
    the_openapi_document_lists_every_path_and_the_bearer_scheme,
    an_editor_key_sends_a_draft_for_approval,
    an_open_survey_takes_wording_fixes_through_the_api,
);

/// Sign in `email` (an admin of `host`) and make a key on the staff page.
/// Returns the signed-in client, the page after creation and the secret.
async fn make_key(app: &TestApp, host: &str, email: &str, name: &str, role: &str) -> (reqwest::Client, String) {
    let client = app.signed_in(host, email).await;
    let secret = make_key_with(app, &client, host, name, role, "").await;
    (client, secret)
}

fn api(app: &TestApp, host: &str, path: &str) -> String {
    app.url(host, &format!("/api/v1{path}"))
}

async fn json_of(response: reqwest::Response) -> Value {
    response.json().await.expect("JSON body")
}

async fn key_row(app: &TestApp, name: &str) -> api_key::Model {
    api_key::Entity::find().filter(api_key::Column::Name.eq(name)).one(&app.db).await.expect("query").expect("key")
}

async fn a_key_made_on_the_staff_page_is_shown_once_and_works_on_the_survey_api(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    app.add_staff(Some(&app.alpha), "admin@alpha.test", Role::Admin).await;
    let (admin, secret) = make_key(&app, ALPHA, "admin@alpha.test", "Statistikk", "admin").await;

    assert!(secret.starts_with("rk_"));
    assert_eq!(secret.len(), 3 + 32, "128 bits as hex after the prefix");
    assert!(secret[3..].chars().all(|c| c.is_ascii_hexdigit()));
    let row = key_row(&app, "Statistikk").await;
    assert_eq!(row.token_hash, hash_token_text(&secret), "only the SHA-256 is stored");
    assert_eq!(row.role, "admin");
    assert_eq!(row.municipality_id, app.alpha.id);
    assert_eq!(row.last_used_on, None);
    let again = admin.get(app.url(ALPHA, "/staff/api-keys")).send().await.expect("GET").text().await.expect("page");
    assert!(again.contains("Statistikk"), "the key is listed");
    assert!(!again.contains(&secret), "the secret is shown only once");
    assert_eq!(secret_in(&again), None);
    let created_audit = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("api_key.create"))
        .one(&app.db)
        .await
        .expect("query")
        .expect("key creation is audited");
    assert_eq!(created_audit.subject, format!("api_key:{}", row.id));
    assert!(!created_audit.details.contains(&secret[3..]), "no secret in the audit log");

    // A plain client with the key: no cookie, no CSRF token.
    let program = app.client();
    let listed = program.get(api(&app, ALPHA, "/surveys")).bearer_auth(&secret).send().await.expect("GET");
    assert_eq!(listed.status(), 200);
    assert_eq!(json_of(listed).await, json!([]));
    assert_eq!(
        key_row(&app, "Statistikk").await.last_used_on.as_deref(),
        Some(radslag::services::surveys::today().to_string().as_str()),
        "the day of use is noted"
    );

    let template = fixtures::open_survey(&app, &app.alpha, SurveyKind::Panel).await;
    let exported = json_of(
        program
            .get(api(&app, ALPHA, &format!("/surveys/{}", template.id)))
            .bearer_auth(&secret)
            .send()
            .await
            .expect("GET"),
    )
    .await;
    let file = exported["file"].to_string();
    let created =
        program.post(api(&app, ALPHA, "/surveys")).bearer_auth(&secret).body(file.clone()).send().await.expect("POST");
    assert_eq!(created.status(), 201, "a key writes without a CSRF token");
    let id = json_of(created).await["id"].as_i64().expect("id");
    let updated = program
        .put(api(&app, ALPHA, &format!("/surveys/{id}")))
        .bearer_auth(&secret)
        .body(file)
        .send()
        .await
        .expect("PUT");
    assert_eq!(updated.status(), 200);

    let audited: Vec<audit_event::Model> = audit_event::Entity::find()
        .filter(audit_event::Column::Subject.eq(format!("survey:{id}")))
        .all(&app.db)
        .await
        .expect("audit");
    let actions: BTreeSet<&str> = audited.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, BTreeSet::from(["survey.create", "survey.import", "survey.replace"]));
    assert!(audited.iter().all(|e| e.actor == format!("api_key:{}", row.id)), "writes name the key: {audited:?}");

    // The key answers to its creator: the creator's key cannot approve what it wrote.
    let own = program
        .post(api(&app, ALPHA, &format!("/surveys/{id}/status/approve")))
        .bearer_auth(&secret)
        .send()
        .await
        .expect("POST");
    assert_eq!(own.status(), 422);
    let stored =
        survey::Entity::find_by_id(i32::try_from(id).expect("id")).one(&app.db).await.expect("q").expect("row");
    assert_eq!(stored.status, "draft");
    assert_eq!(stored.created_by, row.created_by);
}

async fn revoked_expired_unknown_and_foreign_keys_are_refused(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    app.add_staff(Some(&app.alpha), "admin@alpha.test", Role::Admin).await;
    app.add_staff(Some(&app.beta), "admin@beta.test", Role::Admin).await;
    let (admin, revoked) = make_key(&app, ALPHA, "admin@alpha.test", "Revoked", "viewer").await;
    let expired = make_key_with(&app, &admin, ALPHA, "Expired", "viewer", "").await;
    let tomorrow = (radslag::services::surveys::today() + time::Duration::days(1)).to_string();
    let valid_until_tomorrow = make_key_with(&app, &admin, ALPHA, "Tomorrow", "viewer", &tomorrow).await;
    let (_, beta_key) = make_key(&app, BETA, "admin@beta.test", "Beta", "admin").await;
    let program = app.client();
    let status_with = |host: &'static str, key: String| {
        let request = program.get(api(&app, host, "/surveys")).bearer_auth(key);
        async move { request.send().await.expect("GET") }
    };
    assert_eq!(status_with(ALPHA, revoked.clone()).await.status(), 200, "works before it is revoked");
    assert_eq!(status_with(ALPHA, valid_until_tomorrow.clone()).await.status(), 200);
    assert_eq!(status_with(BETA, beta_key.clone()).await.status(), 200);

    // Revoking asks first, then revokes.
    let id = key_row(&app, "Revoked").await.id;
    let csrf = csrf_token(&admin, &app.url(ALPHA, "/staff/api-keys")).await;
    let ask = admin
        .post(app.url(ALPHA, &format!("/staff/api-keys/{id}/revoke")))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .expect("POST");
    assert_eq!(ask.status(), 200);
    assert!(ask.text().await.expect("page").contains("name=\"confirm\" value=\"yes\""), "a confirmation step");
    assert_eq!(key_row(&app, "Revoked").await.revoked_at, None, "nothing revoked before confirming");
    let confirmed = admin
        .post(app.url(ALPHA, &format!("/staff/api-keys/{id}/revoke")))
        .form(&[("csrf", csrf.as_str()), ("confirm", "yes")])
        .send()
        .await
        .expect("POST");
    assert_eq!(confirmed.status(), 303);
    assert!(key_row(&app, "Revoked").await.revoked_at.is_some());
    assert_eq!(
        audit_event::Entity::find()
            .filter(audit_event::Column::Action.eq("api_key.revoke"))
            .filter(audit_event::Column::Subject.eq(format!("api_key:{id}")))
            .count(&app.db)
            .await
            .expect("count"),
        1,
        "revoking is audited"
    );

    let yesterday = (radslag::services::surveys::today() - time::Duration::days(1)).to_string();
    let mut aged: api_key::ActiveModel = key_row(&app, "Expired").await.into();
    aged.expires_on = Set(Some(yesterday));
    aged.update(&app.db).await.expect("expire");

    let bogus = format!("rk_{}", "0".repeat(32));
    for (what, host, key) in [
        ("revoked", ALPHA, revoked),
        ("expired", ALPHA, expired),
        ("alpha's key at beta", BETA, valid_until_tomorrow.clone()),
        ("beta's key at alpha", ALPHA, beta_key),
        ("unknown", ALPHA, bogus),
        ("not a key", ALPHA, "hello".to_owned()),
    ] {
        let refused = status_with(host, key).await;
        assert_eq!(refused.status(), 401, "{what}");
        assert!(refused.headers()["www-authenticate"].to_str().expect("ascii").starts_with("Bearer"), "{what}");
        let body = json_of(refused).await;
        assert_eq!(body["error"], "unauthorized", "{what}");
        assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()), "{what}: explained");
    }
    assert_eq!(status_with(ALPHA, valid_until_tomorrow).await.status(), 200, "a key works on its last day");
}

async fn key_roles_limit_what_a_key_may_do(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    app.add_staff(Some(&app.alpha), "admin@alpha.test", Role::Admin).await;
    app.add_staff(Some(&app.alpha), "editor@alpha.test", Role::Editor).await;
    let (admin, viewer) = make_key(&app, ALPHA, "admin@alpha.test", "Viewer", "viewer").await;
    let analyst = make_key_with(&app, &admin, ALPHA, "Analyst", "analyst", "").await;
    let survey = fixtures::open_survey(&app, &app.alpha, SurveyKind::Panel).await;
    let program = app.client();

    let write = program.post(api(&app, ALPHA, "/surveys")).bearer_auth(&viewer).body("{}").send().await.expect("POST");
    assert_eq!(write.status(), 403, "a viewer key cannot write");
    assert_eq!(json_of(write).await["error"], "forbidden");
    let send = program
        .post(api(&app, ALPHA, &format!("/surveys/{}/invitations", survey.id)))
        .bearer_auth(&viewer)
        .json(&json!({ "mode": "all" }))
        .send()
        .await
        .expect("POST");
    assert_eq!(send.status(), 403);
    let results_path = format!("/surveys/{}/results", survey.id);
    let results = program.get(api(&app, ALPHA, &results_path)).bearer_auth(&viewer).send().await.expect("GET");
    assert_eq!(results.status(), 403, "results need an analyst");
    let stats_path = format!("/surveys/{}/invitations/stats", survey.id);
    let stats = program.get(api(&app, ALPHA, &stats_path)).bearer_auth(&viewer).send().await.expect("GET");
    assert_eq!(stats.status(), 200, "viewers read the invitation figures");
    let results = program.get(api(&app, ALPHA, &results_path)).bearer_auth(&analyst).send().await.expect("GET");
    assert_eq!(results.status(), 200);
    assert_eq!(invitation::Entity::find().count(&app.db).await.expect("count"), 0, "nothing was sent");

    // Only admins reach the key page; the role list offers none above the admin's own.
    let editor = app.signed_in(ALPHA, "editor@alpha.test").await;
    assert_eq!(editor.get(app.url(ALPHA, "/staff/api-keys")).send().await.expect("GET").status(), 403);
    let csrf = csrf_token(&admin, &app.url(ALPHA, "/staff/api-keys")).await;
    let refused = admin
        .post(app.url(ALPHA, "/staff/api-keys"))
        .form(&[("csrf", csrf.as_str()), ("name", ""), ("role", "operator"), ("expires_on", "2001-01-01")])
        .send()
        .await
        .expect("POST");
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.expect("page");
    for message in [
        "Gi nøkkelen et navn.",
        "Velg en rolle som ikke er høyere enn din egen.",
        "Utløpsdatoen kan ikke være passert.",
    ] {
        assert!(page.contains(message), "explained in the reader's language: {message}");
    }
    assert_eq!(secret_in(&page), None);
    assert_eq!(api_key::Entity::find().count(&app.db).await.expect("count"), 2, "nothing half-made");
}

async fn cookie_sessions_still_need_csrf_and_a_bearer_header_never_borrows_the_cookie(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    app.add_staff(Some(&app.alpha), "admin@alpha.test", Role::Admin).await;
    let session = app.signed_in(ALPHA, "admin@alpha.test").await;
    let template = fixtures::open_survey(&app, &app.alpha, SurveyKind::Panel).await;
    let got = session.get(api(&app, ALPHA, &format!("/surveys/{}", template.id))).send().await.expect("GET");
    assert_eq!(got.status(), 200, "the session still reads the API");
    let csrf = got.headers()["x-csrf-token"].to_str().expect("ascii").to_owned();
    let file = json_of(got).await["file"].to_string();
    let surveys_before = survey::Entity::find().count(&app.db).await.expect("count");

    let plain = session.post(api(&app, ALPHA, "/surveys")).body(file.clone()).send().await.expect("POST");
    assert_eq!(plain.status(), 403, "a session write needs the CSRF token");
    let basic = session
        .post(api(&app, ALPHA, "/surveys"))
        .header("authorization", "Basic YWRtaW46YWRtaW4=")
        .body(file.clone())
        .send()
        .await
        .expect("POST");
    assert_eq!(basic.status(), 403, "only a bearer key lifts the CSRF check");
    let borrowed = session
        .post(api(&app, ALPHA, "/surveys"))
        .bearer_auth(format!("rk_{}", "f".repeat(32)))
        .body(file.clone())
        .send()
        .await
        .expect("POST");
    assert_eq!(borrowed.status(), 401, "a bearer request is judged by its key alone, not by the cookie beside it");
    assert_eq!(survey::Entity::find().count(&app.db).await.expect("count"), surveys_before, "nothing written");

    let with_token =
        session.post(api(&app, ALPHA, "/surveys")).header("x-csrf-token", csrf).body(file).send().await.expect("POST");
    assert_eq!(with_token.status(), 201, "with the token the session writes");
}

async fn failed_key_attempts_are_rate_limited(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    app.add_staff(Some(&app.alpha), "admin@alpha.test", Role::Admin).await;
    let (_, secret) = make_key(&app, ALPHA, "admin@alpha.test", "Good", "viewer").await;
    let program = app.client();
    let good = program.get(api(&app, ALPHA, "/surveys")).bearer_auth(&secret).send().await.expect("GET");
    assert_eq!(good.status(), 200, "successful requests are not counted");
    let limit = radslag::web::api::auth::FAILED_KEYS_PER_ADDRESS.max;
    for attempt in 0..limit {
        let guess = format!("rk_{attempt:032x}");
        let refused = program.get(api(&app, ALPHA, "/surveys")).bearer_auth(guess).send().await.expect("GET");
        assert_eq!(refused.status(), 401, "attempt {attempt}");
    }
    let limited = program.get(api(&app, ALPHA, "/surveys")).bearer_auth("rk_nope").send().await.expect("GET");
    assert_eq!(limited.status(), 429);
    assert!(limited.headers().contains_key("retry-after"));
    assert_eq!(json_of(limited).await["error"], "rate_limited");
    let blocked = program.get(api(&app, ALPHA, "/surveys")).bearer_auth(&secret).send().await.expect("GET");
    assert_eq!(blocked.status(), 429, "while limited, no key is checked from that address");
}

async fn the_invitations_api_previews_reproducibly_sends_releases_and_counts(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    app.add_staff(Some(&app.alpha), "admin@alpha.test", Role::Admin).await;
    let (_, secret) = make_key(&app, ALPHA, "admin@alpha.test", "Utsending", "editor").await;
    let survey = fixtures::open_survey(&app, &app.alpha, SurveyKind::Panel).await;
    let districts = ["sentrum", "nord", "sor"];
    for i in 0..24 {
        let gender = if i % 2 == 0 { "female" } else { "male" };
        let email = format!("m{i}@example.org");
        fixtures::add_member_with(
            &app,
            &app.alpha,
            &email,
            districts[i % 3],
            gender,
            20 + i32::try_from(i).expect("small") * 2,
        )
        .await;
    }
    let program = app.client();
    let base = format!("/surveys/{}/invitations", survey.id);
    let preview = |query: &str| {
        let request = program.get(api(&app, ALPHA, &format!("{base}/preview?{query}"))).bearer_auth(&secret);
        async move {
            let response = request.send().await.expect("GET");
            (response.status(), json_of(response).await)
        }
    };
    let (status, first) = preview("mode=sample&size=9&stratify=district&seed=4242").await;
    assert_eq!(status, 200, "{first}");
    let (_, second) = preview("mode=sample&size=9&stratify=district&seed=4242").await;
    assert_eq!(first, second, "the same seed gives the same sample");
    assert_eq!(first["seed"], "4242");
    assert_eq!(first["method"], "stratified");
    assert_eq!(first["drawn"], 9);
    assert_eq!(first["eligible"], 24);
    let by_district: BTreeMap<String, u64> = first["composition"]["district"]
        .as_array()
        .expect("district rows")
        .iter()
        .map(|row| (row["value"].as_str().expect("code").to_owned(), row["sample"].as_u64().expect("count")))
        .collect();
    assert_eq!(by_district, BTreeMap::from([("nord".into(), 3), ("sentrum".into(), 3), ("sor".into(), 3)]));
    let (_, fresh) = preview("mode=sample&size=9").await;
    assert_eq!(fresh["method"], "simple");
    assert!(fresh["seed"].as_str().is_some_and(|s| s.parse::<u64>().is_ok()), "a new seed is returned");
    let (status, bad) = preview("mode=sample&size=0").await;
    assert_eq!(status, 422);
    assert_eq!(bad["field"], "size");
    let (status, bad) = preview("mode=some").await;
    assert_eq!(status, 422);
    assert_eq!(bad["field"], "mode");
    assert_eq!(invitation::Entity::find().count(&app.db).await.expect("count"), 0, "a preview sends nothing");

    // Send the previewed sample with a soft launch: the same members are drawn.
    let sent = program
        .post(api(&app, ALPHA, &base))
        .bearer_auth(&secret)
        .json(&json!({
            "mode": "sample", "size": 9, "stratify": ["district"], "seed": 4242,
            "soft_launch_percent": 34, "release_after_hours": 6
        }))
        .send()
        .await
        .expect("POST");
    assert_eq!(sent.status(), 201);
    let sent = json_of(sent).await;
    assert_eq!(sent["invited"], 9);
    assert_eq!(sent["seed"], "4242");
    let queued = sent["queued"].as_u64().expect("queued");
    assert!(queued > 0 && queued < 9, "only the first wave goes out: {sent}");
    let recorded = radslag::entities::sample::Entity::find().one(&app.db).await.expect("q").expect("sample");
    assert_eq!(recorded.release_at.map(|at| at - recorded.created_at), Some(6 * 3600), "the rest after six hours");
    let invited = invitation::Entity::find().all(&app.db).await.expect("invitations");
    let mut sent_by_district: BTreeMap<String, u64> = BTreeMap::new();
    for row in &invited {
        let member =
            member::Entity::find_by_id(row.member_id.expect("member")).one(&app.db).await.expect("q").expect("m");
        *sent_by_district.entry(member.district).or_default() += 1;
    }
    assert_eq!(sent_by_district, by_district, "what was sent is what was previewed");
    let audit = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("invitations.send"))
        .one(&app.db)
        .await
        .expect("q")
        .expect("audited");
    assert_eq!(audit.actor, format!("api_key:{}", key_row(&app, "Utsending").await.id));

    let again = program
        .post(api(&app, ALPHA, &base))
        .bearer_auth(&secret)
        .json(&json!({ "mode": "sample", "size": 9, "stratify": "district", "seed": "4242" }))
        .send()
        .await
        .expect("POST");
    assert_eq!(again.status(), 409, "the same sample is not sent twice");

    let stats = |()| {
        let request = program.get(api(&app, ALPHA, &format!("{base}/stats"))).bearer_auth(&secret);
        async move { json_of(request.send().await.expect("GET")).await }
    };
    let before = stats(()).await;
    assert_eq!(before["overall"]["invited"], 9);
    assert_eq!(before["overall"]["sent"], queued);
    assert_eq!(before["overall"]["pending"], 9 - queued);
    assert_eq!(before["overall"]["completed"], 0);
    assert_eq!(before["overall"]["opened"], 0);
    assert_eq!(before["overall"]["response_rate"], 0.0);
    let strata: u64 =
        before["strata"].as_array().expect("strata").iter().map(|s| s["invited"].as_u64().expect("n")).sum();
    assert_eq!(strata, 9, "the strata add up");
    assert_eq!(before["strata"].as_array().expect("strata").len(), 3, "one per district");

    // One invitee answers: the figures follow.
    let answered = invited.iter().find(|i| i.sent_at.is_some()).expect("a sent invitation");
    let mut done: invitation::ActiveModel = answered.clone().into();
    done.completed = Set(true);
    done.update(&app.db).await.expect("complete");

    let released =
        program.post(api(&app, ALPHA, &format!("{base}/release"))).bearer_auth(&secret).send().await.expect("POST");
    assert_eq!(released.status(), 200);
    let released = json_of(released).await;
    assert_eq!(released["sample_id"], sent["sample_id"]);
    assert_eq!(released["queued"], 9 - queued);
    // Another invitee opens the link in their email without answering.
    let opener = invitation::Entity::find()
        .filter(invitation::Column::Id.ne(answered.id))
        .one(&app.db)
        .await
        .expect("q")
        .expect("another invitation");
    let address =
        member::Entity::find_by_id(opener.member_id.expect("member")).one(&app.db).await.expect("q").expect("m");
    let mail = app.sent_emails_to(&address.email).await;
    let body = &mail.first().expect("the invitation email").text_body;
    let start = body.find("/s/").expect("a personal link") + 3;
    let token: String = body[start..].chars().take_while(char::is_ascii_hexdigit).collect();
    let page = app.client().get(app.url(ALPHA, &format!("/s/{token}"))).send().await.expect("GET");
    assert_eq!(page.status(), 200);
    let after = stats(()).await;
    assert_eq!(after["overall"]["sent"], 9);
    assert_eq!(after["overall"]["pending"], 0);
    assert_eq!(after["overall"]["opened"], 2, "the opened link and the completed one: {after}");
    assert_eq!(after["overall"]["started"], 1);
    assert_eq!(after["overall"]["completed"], 1);
    assert!((after["overall"]["response_rate"].as_f64().expect("rate") - 1.0 / 9.0).abs() < 1e-9);
    let nothing =
        program.post(api(&app, ALPHA, &format!("{base}/release"))).bearer_auth(&secret).send().await.expect("POST");
    assert_eq!(nothing.status(), 422, "nothing left to release");
}

async fn the_results_api_leaves_small_groups_out(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    app.add_staff(Some(&app.alpha), "admin@alpha.test", Role::Admin).await;
    let (_, secret) = make_key(&app, ALPHA, "admin@alpha.test", "Analyse", "analyst").await;
    let survey = fixtures::open_survey(&app, &app.alpha, SurveyKind::Panel).await;
    // sentrum 10, nord 3 (below the threshold of 5), sor 6.
    for (district, count) in [("sentrum", 10), ("nord", 3), ("sor", 6)] {
        for i in 0..count {
            let who = Respondent { age_band: "25-34", gender: if i % 2 == 0 { "female" } else { "male" }, district };
            fixtures::add_response(&app, &app.alpha, survey.id, who, &[("mode", if i < 2 { "car" } else { "bus" })])
                .await;
        }
    }
    let program = app.client();
    let results = |query: &str| {
        let request =
            program.get(api(&app, ALPHA, &format!("/surveys/{}/results?{query}", survey.id))).bearer_auth(&secret);
        async move {
            let response = request.send().await.expect("GET");
            (response.status(), json_of(response).await)
        }
    };
    let (status, body) = results("breakdown=district&weighting=none").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["responses"], 19);
    assert_eq!(body["breakdown"], "district");
    let mode = body["questions"].as_array().expect("questions").iter().find(|q| q["key"] == "mode").expect("mode");
    let columns = mode["items"][0]["columns"].as_array().expect("columns");
    let groups: Vec<Option<&str>> = columns.iter().map(|c| c["group"].as_str()).collect();
    assert!(columns[0]["all"].as_bool().expect("flag"));
    assert_eq!(columns[0]["n"], 19);
    assert!(groups.contains(&Some("sentrum")), "{groups:?}");
    assert!(!groups.contains(&Some("nord")), "the small group is absent, not zero");
    for question in body["questions"].as_array().expect("questions") {
        for item in question["items"].as_array().expect("items") {
            for column in item["columns"].as_array().expect("columns") {
                assert_ne!(column["group"], "nord", "no question shows the small group");
                if column["all"] == false {
                    assert!(column["n"].as_u64().expect("n") >= 5, "no small group column: {column}");
                }
            }
        }
    }
    let bus =
        |column: &Value| column["options"].as_array().expect("options").iter().find(|o| o["key"] == "bus").cloned();
    let sentrum = columns.iter().find(|c| c["group"] == "sentrum").expect("sentrum");
    assert_eq!(bus(sentrum).expect("bus")["count"], 8);
    let representation = body["representation"].as_array().expect("representation");
    let nord = representation.iter().find(|r| r["dimension"] == "district" && r["group"] == "nord").expect("nord row");
    assert!(nord.get("respondents").is_none() && nord.get("share").is_none(), "suppressed counts are absent: {nord}");

    for breakdown in ["gender", "age_band", "source", "q:mode"] {
        let (status, body) = results(&format!("breakdown={breakdown}")).await;
        assert_eq!(status, 200, "{breakdown}: {body}");
        assert_eq!(body["breakdown"], breakdown);
    }
    let (status, body) = results("breakdown=shoe_size").await;
    assert_eq!(status, 422);
    assert_eq!(body["field"], "breakdown");
}

async fn the_openapi_document_lists_every_path_and_the_bearer_scheme(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let document = json_of(app.client().get(api(&app, ALPHA, "/openapi.json")).send().await.expect("GET")).await;
    assert!(document["openapi"].as_str().expect("version").starts_with("3."));
    let paths: BTreeSet<&str> = document["paths"].as_object().expect("paths").keys().map(String::as_str).collect();
    let expected = BTreeSet::from([
        "/api/v1/openapi.json",
        "/api/v1/compass",
        "/api/v1/surveys",
        "/api/v1/surveys/{id}",
        "/api/v1/surveys/{id}/approval-request",
        "/api/v1/surveys/{id}/status/{step}",
        "/api/v1/surveys/{id}/invitations",
        "/api/v1/surveys/{id}/invitations/preview",
        "/api/v1/surveys/{id}/invitations/release",
        "/api/v1/surveys/{id}/invitations/stats",
        "/api/v1/surveys/{id}/results",
    ]);
    assert_eq!(paths, expected);
    let scheme = &document["components"]["securitySchemes"]["bearer"];
    assert_eq!(scheme["type"], "http");
    assert_eq!(scheme["scheme"], "bearer");
    assert_eq!(document["security"], json!([{ "bearer": [] }]));
    assert_eq!(
        document["paths"]["/api/v1/openapi.json"]["get"]["security"],
        json!([{}]),
        "the document itself is public"
    );
    assert_eq!(document["paths"]["/api/v1/compass"]["get"]["security"], json!([{}]), "the compass is public");
    for path in expected {
        for operation in document["paths"][path].as_object().expect("operations").values() {
            assert!(
                operation["responses"].as_object().is_some_and(|r| !r.is_empty()),
                "{path} documents its responses"
            );
        }
    }
}

async fn an_editor_key_sends_a_draft_for_approval(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    app.add_staff(Some(&app.alpha), "admin@alpha.test", Role::Admin).await;
    app.add_staff(Some(&app.alpha), "other@alpha.test", Role::Admin).await;
    let (_, secret) = make_key(&app, ALPHA, "admin@alpha.test", "Skjemaverktøy", "editor").await;
    let program = app.client();
    let ready = include_str!("../src/demo/surveys/barnehage-og-skole.json").replace("2026-09-30", "2099-09-30");
    let created =
        program.post(api(&app, ALPHA, "/surveys")).bearer_auth(&secret).body(ready).send().await.expect("POST");
    assert_eq!(created.status(), 201);
    let id = json_of(created).await["id"].as_i64().expect("id");
    let request = || async {
        program
            .post(api(&app, ALPHA, &format!("/surveys/{id}/approval-request")))
            .bearer_auth(&secret)
            .send()
            .await
            .expect("POST")
    };
    let first = request().await;
    assert_eq!(first.status(), 200);
    assert_eq!(json_of(first).await["status"], "draft", "still a draft, now awaiting approval");
    assert_eq!(request().await.status(), 200, "asking twice is harmless");
    let mails = app.sent_emails_to("other@alpha.test").await;
    assert_eq!(mails.len(), 1, "the other admin is told once");
    assert_eq!(mails[0].kind, "approval_request");
    let stored =
        survey::Entity::find_by_id(i32::try_from(id).expect("id")).one(&app.db).await.expect("q").expect("row");
    assert!(stored.approval_requested_at.is_some());
    let requests = radslag::entities::outbox_email::Entity::find()
        .filter(radslag::entities::outbox_email::Column::Kind.eq("approval_request"))
        .count(&app.db)
        .await
        .expect("count");
    assert_eq!(requests, 1, "the key's creator is not emailed about their own request");

    let (_, viewer) = make_key(&app, ALPHA, "admin@alpha.test", "Lesetilgang", "viewer").await;
    let refused = program
        .post(api(&app, ALPHA, &format!("/surveys/{id}/approval-request")))
        .bearer_auth(&viewer)
        .send()
        .await
        .expect("POST");
    assert_eq!(refused.status(), 403);
}

async fn an_open_survey_takes_wording_fixes_through_the_api(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    app.add_staff(Some(&app.alpha), "admin@alpha.test", Role::Admin).await;
    app.add_staff(Some(&app.alpha), "other@alpha.test", Role::Admin).await;
    let (_, author) = make_key(&app, ALPHA, "admin@alpha.test", "Forfatter", "admin").await;
    let (_, approver) = make_key(&app, ALPHA, "other@alpha.test", "Godkjenner", "admin").await;
    let program = app.client();
    let ready = include_str!("../src/demo/surveys/barnehage-og-skole.json").replace("2026-09-30", "2099-09-30");
    let created =
        program.post(api(&app, ALPHA, "/surveys")).bearer_auth(&author).body(ready.clone()).send().await.expect("POST");
    let id = json_of(created).await["id"].as_i64().expect("id");
    for (key, step) in [(&approver, "approve"), (&author, "open")] {
        let path = format!("/surveys/{id}/status/{step}");
        let response = program.post(api(&app, ALPHA, &path)).bearer_auth(key).send().await.expect("POST");
        assert_eq!(response.status(), 200, "{step}");
    }
    let put = |body: String| {
        let request = program.put(api(&app, ALPHA, &format!("/surveys/{id}"))).bearer_auth(&author).body(body);
        async move { request.send().await.expect("PUT") }
    };
    let typo = ready.replacen("\"Kindergarten and school\"", "\"Kindergartens and schools\"", 1);
    assert_ne!(typo, ready, "the fixture has the English title");
    assert_eq!(put(typo).await.status(), 200, "a wording fix is taken");
    let structural = ready.replacen("\"type\": \"long_text\"", "\"type\": \"short_text\"", 1);
    let refused = put(structural).await;
    assert_eq!(refused.status(), 422, "a change of question type is not");
    let blanked = ready.replacen("\"Kindergarten and school\"", "\"\"", 1);
    assert_eq!(put(blanked).await.status(), 422, "nor is dropping a translation");
    let actions: Vec<String> = audit_event::Entity::find()
        .filter(audit_event::Column::Subject.eq(format!("survey:{id}")))
        .all(&app.db)
        .await
        .expect("audit")
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(actions.iter().filter(|a| *a == "survey.text_fix").count(), 1, "{actions:?}");
}
