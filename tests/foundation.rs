//! Foundation: health, sign-in, CSRF, roles, tenant isolation, error pages,
//! security headers, settings and the demo seed — on SQLite and PostgreSQL.

mod common;

use common::{ALPHA, BETA, Backend, PASSWORD, csrf_token, sign_in, spawn_app};
use radslag::domain::Role;
use radslag::entities::{audit_event, municipality, population_margin, staff_user};
use sea_orm::{EntityTrait, PaginatorTrait};

on_both_backends!(
    health_and_readiness_answer,
    sign_in_succeeds_and_fails_with_a_clear_message,
    repeated_failures_lock_the_account,
    sign_in_is_rate_limited_per_address,
    forms_without_a_valid_csrf_token_are_refused,
    roles_are_enforced,
    staff_and_sessions_stay_inside_their_municipality,
    unknown_pages_get_a_localised_404,
    security_headers_are_set,
    settings_are_saved_validated_and_audited,
    margins_import_is_all_or_nothing,
    operators_add_municipalities_and_admins_cannot,
    language_choice_is_remembered,
    demo_seed_is_idempotent,
    sign_out_ends_the_session,
);

async fn health_and_readiness_answer(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let client = app.client();
    let health = client.get(app.url(ALPHA, "/healthz")).send().await.expect("healthz");
    assert_eq!(health.status(), 200);
    assert_eq!(health.text().await.expect("body"), "ok");
    let ready = client.get(app.url("127.0.0.1", "/readyz").replace("127.0.0.1", ALPHA)).send().await.expect("readyz");
    assert_eq!(ready.status(), 200);
    assert_eq!(ready.text().await.expect("body"), "ready");
}

async fn sign_in_succeeds_and_fails_with_a_clear_message(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    app.add_staff(Some(&app.alpha), "kari@alpha.test", Role::Admin).await;
    let client = app.client();

    let wrong = sign_in(&client, &app.url(ALPHA, ""), "kari@alpha.test", "wrong password!").await;
    assert_eq!(wrong.status(), 422);
    let html = wrong.text().await.expect("body");
    assert!(html.contains("Feil e-postadresse eller passord."), "{html}");
    assert!(html.contains("value=\"kari@alpha.test\""), "the typed email is kept");

    let unknown = sign_in(&client, &app.url(ALPHA, ""), "nobody@alpha.test", PASSWORD).await;
    assert_eq!(unknown.status(), 422, "unknown accounts look the same as wrong passwords");

    let right = sign_in(&client, &app.url(ALPHA, ""), "Kari@ALPHA.test", PASSWORD).await;
    assert_eq!(right.status(), 303);
    assert_eq!(right.headers()["location"], "/staff");
    let cookie = right.headers()["set-cookie"].to_str().expect("ascii").to_owned();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");

    let dashboard = client.get(app.url(ALPHA, "/staff")).send().await.expect("dashboard");
    assert_eq!(dashboard.status(), 200);
    assert!(dashboard.text().await.expect("body").contains("Velkommen, kari@alpha.test"));
}

async fn repeated_failures_lock_the_account(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    app.add_staff(Some(&app.alpha), "ola@alpha.test", Role::Editor).await;
    let client = app.client();
    for attempt in 1..=5 {
        let response = sign_in(&client, &app.url(ALPHA, ""), "ola@alpha.test", "not the password").await;
        let expected = if attempt < 5 { 422 } else { 429 };
        assert_eq!(response.status(), expected, "attempt {attempt}");
    }
    let locked = sign_in(&client, &app.url(ALPHA, ""), "ola@alpha.test", PASSWORD).await;
    assert_eq!(locked.status(), 429, "the right password does not open a locked account");
    assert!(locked.text().await.expect("body").contains("Kontoen er låst i 15 minutter"));

    let events = audit_event::Entity::find().all(&app.db).await.expect("audit");
    assert!(events.iter().any(|e| e.action == "staff.locked"), "locking is audited");
}

async fn sign_in_is_rate_limited_per_address(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let client = app.client();
    let mut statuses = Vec::new();
    for n in 0..21 {
        let response =
            sign_in(&client, &app.url(ALPHA, ""), &format!("guess{n}@alpha.test"), "guess guess guess").await;
        statuses.push(response.status().as_u16());
    }
    assert!(statuses[..20].iter().all(|s| *s == 422), "{statuses:?}");
    assert_eq!(statuses[20], 429);
}

async fn forms_without_a_valid_csrf_token_are_refused(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    app.add_staff(Some(&app.alpha), "kari@alpha.test", Role::Admin).await;
    let client = app.client();
    let _ = client.get(app.url(ALPHA, "/staff/sign-in")).send().await.expect("page");

    let missing = client
        .post(app.url(ALPHA, "/staff/sign-in"))
        .form(&[("email", "kari@alpha.test"), ("password", PASSWORD)])
        .send()
        .await
        .expect("post");
    assert_eq!(missing.status(), 403);
    assert!(missing.text().await.expect("body").contains("Skjemaet er utløpt"));

    let forged = client
        .post(app.url(ALPHA, "/staff/sign-in"))
        .form(&[
            ("csrf", "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"),
            ("email", "kari@alpha.test"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(forged.status(), 403);

    // A token taken from another browser (another cookie) does not work either.
    let other = app.client();
    let foreign = csrf_token(&other, &app.url(ALPHA, "/staff/sign-in")).await;
    let stolen = client
        .post(app.url(ALPHA, "/staff/sign-in"))
        .form(&[("csrf", foreign.as_str()), ("email", "kari@alpha.test"), ("password", PASSWORD)])
        .send()
        .await
        .expect("post");
    assert_eq!(stolen.status(), 403);

    let own = sign_in(&client, &app.url(ALPHA, ""), "kari@alpha.test", PASSWORD).await;
    assert_eq!(own.status(), 303, "the page's own token works");
}

async fn roles_are_enforced(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let anonymous = app.client();
    let redirect = anonymous.get(app.url(ALPHA, "/staff/settings")).send().await.expect("get");
    assert_eq!(redirect.status(), 303);
    assert_eq!(redirect.headers()["location"], "/staff/sign-in?next=%2Fstaff%2Fsettings");

    app.add_staff(Some(&app.alpha), "editor@alpha.test", Role::Editor).await;
    let editor = app.signed_in(ALPHA, "editor@alpha.test").await;
    assert_eq!(editor.get(app.url(ALPHA, "/staff")).send().await.expect("get").status(), 200);
    for path in ["/staff/settings", "/staff/audit", "/staff/municipalities"] {
        let denied = editor.get(app.url(ALPHA, path)).send().await.expect("get");
        assert_eq!(denied.status(), 403, "{path}");
        assert!(denied.text().await.expect("body").contains("Ingen tilgang"));
    }
    let token = csrf_token(&editor, &app.url(ALPHA, "/staff")).await;
    let post = editor
        .post(app.url(ALPHA, "/staff/settings/districts"))
        .form(&[("csrf", token.as_str()), ("districts", "x;X")])
        .send()
        .await
        .expect("post");
    assert_eq!(post.status(), 403, "writes are denied too");
}

async fn staff_and_sessions_stay_inside_their_municipality(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    app.add_staff(Some(&app.alpha), "kari@alpha.test", Role::Admin).await;
    app.add_staff(Some(&app.beta), "sven@beta.test", Role::Admin).await;

    // Alpha's admin cannot sign in at Beta's address.
    let client = app.client();
    let response = sign_in(&client, &app.url(BETA, ""), "kari@alpha.test", PASSWORD).await;
    assert_eq!(response.status(), 422);

    // A session cookie made at Alpha does not open Beta's pages.
    let alpha = app.signed_in(ALPHA, "kari@alpha.test").await;
    let session = alpha.get(app.url(ALPHA, "/staff")).send().await.expect("get");
    assert_eq!(session.status(), 200);
    let stolen_cookie = {
        let again = app.client();
        let response = sign_in(&again, &app.url(ALPHA, ""), "kari@alpha.test", PASSWORD).await;
        let header = response.headers()["set-cookie"].to_str().expect("ascii").to_owned();
        header.split(';').next().expect("cookie").to_owned()
    };
    let replay = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .resolve(BETA, std::net::SocketAddr::from(([127, 0, 0, 1], app.port)))
        .build()
        .expect("client");
    let at_beta =
        replay.get(app.url(BETA, "/staff/settings")).header("cookie", stolen_cookie).send().await.expect("get");
    assert_eq!(at_beta.status(), 303, "Alpha's session is not valid at Beta");

    // Each admin sees only their own municipality's data and audit log.
    app.add_staff(Some(&app.alpha), "secret-colleague@alpha.test", Role::Viewer).await;
    let beta = app.signed_in(BETA, "sven@beta.test").await;
    let settings = beta.get(app.url(BETA, "/staff/settings")).send().await.expect("get").text().await.expect("body");
    assert!(settings.contains("Beta kommun") && !settings.contains("Alpha kommune"));
    assert!(settings.contains("beta.test") && !settings.contains("alpha.test"));
    let audit = beta.get(app.url(BETA, "/staff/audit")).send().await.expect("get").text().await.expect("body");
    let alpha_user = staff_user::Entity::find()
        .all(&app.db)
        .await
        .expect("users")
        .into_iter()
        .find(|u| u.email == "secret-colleague@alpha.test")
        .expect("user");
    assert!(!audit.contains(&format!("staff_user:{}", alpha_user.id)), "Beta's audit log shows nothing of Alpha");
    let dashboard = beta.get(app.url(BETA, "/staff")).send().await.expect("get").text().await.expect("body");
    assert!(dashboard.contains("Beta kommun"));
}

async fn unknown_pages_get_a_localised_404(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let client = app.client();
    let norwegian = client.get(app.url(ALPHA, "/no/such/page")).send().await.expect("get");
    assert_eq!(norwegian.status(), 404);
    assert!(norwegian.headers()["content-type"].to_str().expect("ascii").starts_with("text/html"));
    let html = norwegian.text().await.expect("body");
    assert!(html.contains("Fant ikke siden") && html.contains("lang=\"nb\""), "{html}");

    let english = client
        .get(app.url(BETA, "/no/such/page"))
        .header("accept-language", "en-GB,en;q=0.9")
        .send()
        .await
        .expect("get");
    assert_eq!(english.status(), 404);
    assert!(english.text().await.expect("body").contains("Page not found"));

    let swedish = client.get(app.url(BETA, "/nope")).send().await.expect("get").text().await.expect("body");
    assert!(swedish.contains("Sidan hittades inte"), "Beta's default language is Swedish");
}

async fn security_headers_are_set(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let response = app.client().get(app.url(ALPHA, "/")).send().await.expect("get");
    assert_eq!(response.status(), 200);
    let headers = response.headers();
    let csp = headers["content-security-policy"].to_str().expect("ascii");
    assert!(
        csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'") && !csp.contains("unsafe-inline")
    );
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["referrer-policy"], "no-referrer");
    assert_eq!(headers["x-frame-options"], "DENY");
    assert!(headers.contains_key("x-request-id"));

    // A body announced as larger than the limit is refused before it is read.
    let status = raw_status(
        app.port,
        "POST /staff/sign-in HTTP/1.1\r\nHost: alpha.test\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 9437184\r\nConnection: close\r\n\r\ncsrf=x",
    )
    .await;
    assert_eq!(status, 413, "oversized bodies get 413");

    let html = app.client().get(app.url(ALPHA, "/")).send().await.expect("get").text().await.expect("body");
    assert!(!html.contains("<script"), "resident pages carry no JavaScript");
    let css_path =
        html.split("rel=\"stylesheet\" href=\"").nth(1).and_then(|s| s.split('"').next()).expect("stylesheet");
    let css = app.client().get(app.url(ALPHA, css_path)).header("accept-encoding", "gzip").send().await.expect("css");
    assert_eq!(css.status(), 200);
    assert!(css.headers()["cache-control"].to_str().expect("ascii").contains("immutable"));
    assert_eq!(css.headers()["content-encoding"], "gzip");
}

async fn settings_are_saved_validated_and_audited(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    app.add_staff(Some(&app.alpha), "kari@alpha.test", Role::Admin).await;
    let admin = app.signed_in(ALPHA, "kari@alpha.test").await;
    let token = csrf_token(&admin, &app.url(ALPHA, "/staff/settings")).await;

    let invalid = admin
        .post(app.url(ALPHA, "/staff/settings"))
        .form(&[
            ("csrf", token.as_str()),
            ("name", "Alpha kommune"),
            ("languages", "nb"),
            ("default_language", "nn"),
            ("compass_framework", "ks-2016"),
            ("max_invitations_per_year", "100"),
            ("min_days_between_invitations", "21"),
            ("suppression_threshold", "5"),
            ("consent_renewal_years", "5"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(invalid.status(), 422);
    let html = invalid.text().await.expect("body");
    assert!(html.contains("Standardspråket må være blant språkene"), "{html}");
    assert!(html.contains("Skriv et helt tall fra 1 til 24."));
    assert!(html.contains("href=\"#field-max-invitations-per-year\""), "the summary links to the field");
    assert!(html.contains("value=\"100\""), "typed values are kept");
    let unchanged = municipality::Entity::find_by_id(app.alpha.id).one(&app.db).await.expect("db").expect("row");
    assert_eq!(unchanged.max_invitations_per_year, 6, "nothing is saved from an invalid form");

    let valid = admin
        .post(app.url(ALPHA, "/staff/settings"))
        .form(&[
            ("csrf", token.as_str()),
            ("name", "Alpha kommune"),
            ("languages", "nb"),
            ("languages", "nn"),
            ("languages", "en"),
            ("default_language", "nn"),
            ("compass_framework", "ks-2016"),
            ("max_invitations_per_year", "4"),
            ("min_days_between_invitations", "30"),
            ("suppression_threshold", "7"),
            ("consent_renewal_years", "3"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(valid.status(), 303);
    let saved = municipality::Entity::find_by_id(app.alpha.id).one(&app.db).await.expect("db").expect("row");
    assert_eq!(
        (saved.languages.as_str(), saved.default_language.as_str(), saved.max_invitations_per_year),
        ("nb,nn,en", "nn", 4)
    );
    let front = app.client().get(app.url(ALPHA, "/")).send().await.expect("get").text().await.expect("body");
    assert!(
        front.contains("lang=\"nn\"") && front.contains("Innbyggjarpanelet"),
        "the new default language is used at once"
    );

    let audit = audit_event::Entity::find().all(&app.db).await.expect("audit");
    assert!(audit.iter().any(|e| e.action == "municipality.settings" && e.municipality_id == Some(app.alpha.id)));
}

async fn margins_import_is_all_or_nothing(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    app.add_staff(Some(&app.alpha), "kari@alpha.test", Role::Admin).await;
    let admin = app.signed_in(ALPHA, "kari@alpha.test").await;
    let token = csrf_token(&admin, &app.url(ALPHA, "/staff/settings")).await;
    let upload = |csv: &'static str| {
        let form = reqwest::multipart::Form::new()
            .part("margins", reqwest::multipart::Part::bytes(csv.as_bytes()).file_name("m.csv"));
        admin.post(app.url(ALPHA, &format!("/staff/settings/margins?csrf={token}"))).multipart(form).send()
    };

    let bad = upload("district,age_band,gender,population\nsentrum,16-24,female,100\nmoon,16-24,male,5\n")
        .await
        .expect("post");
    assert_eq!(bad.status(), 422);
    let html = bad.text().await.expect("body");
    assert!(html.contains("Linje 3: «moon» er ikke en bydelskode"), "the line is named in the page's language: {html}");
    let count = population_margin::Entity::find().count(&app.db).await.expect("count");
    assert_eq!(count, 0, "no row of a bad file is stored");

    let good = upload("district,age_band,gender,population\nsentrum,16-24,female,100\nnord,80+,male,40\n")
        .await
        .expect("post");
    assert_eq!(good.status(), 303);
    let rows = population_margin::Entity::find().all(&app.db).await.expect("rows");
    assert_eq!(rows.iter().map(|r| r.population).sum::<i64>(), 140);
    assert!(rows.iter().all(|r| r.municipality_id == app.alpha.id));

    let no_csrf = admin
        .post(app.url(ALPHA, "/staff/settings/margins"))
        .multipart(reqwest::multipart::Form::new().text("margins", "x"))
        .send()
        .await
        .expect("post");
    assert_eq!(no_csrf.status(), 403);
}

async fn operators_add_municipalities_and_admins_cannot(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    app.add_staff(None, "ops@host.test", Role::Operator).await;
    app.add_staff(Some(&app.alpha), "kari@alpha.test", Role::Admin).await;
    let admin = app.signed_in(ALPHA, "kari@alpha.test").await;
    assert_eq!(admin.get(app.url(ALPHA, "/staff/municipalities")).send().await.expect("get").status(), 403);

    let operator = app.client();
    let response = sign_in(&operator, &app.url(BETA, ""), "ops@host.test", PASSWORD).await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/staff/municipalities");
    let token = csrf_token(&operator, &app.url(BETA, "/staff/municipalities")).await;
    let taken = operator
        .post(app.url(BETA, "/staff/municipalities"))
        .form(&[
            ("csrf", token.as_str()),
            ("name", "Gamma"),
            ("slug", "gamma"),
            ("hosts", "alpha.test"),
            ("default_language", "nn"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(taken.status(), 422);
    assert!(taken.text().await.expect("body").contains("används redan av en annan kommun"), "Beta speaks Swedish");
    let added = operator
        .post(app.url(BETA, "/staff/municipalities"))
        .form(&[
            ("csrf", token.as_str()),
            ("name", "Gamma herad"),
            ("slug", "gamma"),
            ("hosts", "gamma.test"),
            ("default_language", "nn"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(added.status(), 303);
    let list =
        operator.get(app.url(BETA, "/staff/municipalities")).send().await.expect("get").text().await.expect("body");
    assert!(list.contains("Gamma herad") && list.contains("gamma.test"));
    // Operators have no access to a municipality's own pages.
    assert_eq!(operator.get(app.url(BETA, "/staff/settings")).send().await.expect("get").status(), 403);
}

async fn language_choice_is_remembered(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let client = app.client();
    let english = client.get(app.url(ALPHA, "/?lang=en")).send().await.expect("get").text().await.expect("body");
    assert!(english.contains("lang=\"en\"") && english.contains("The citizen panel of Alpha kommune"));
    let later = client.get(app.url(ALPHA, "/")).send().await.expect("get").text().await.expect("body");
    assert!(later.contains("lang=\"en\""), "the choice is kept in a cookie");
    let not_offered =
        app.client().get(app.url(ALPHA, "/?lang=sv")).send().await.expect("get").text().await.expect("body");
    assert!(not_offered.contains("lang=\"nb\""), "languages the municipality does not offer are ignored");
}

async fn demo_seed_is_idempotent(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let first = radslag::demo::seed(&app.db, &app.base_url()).await.expect("first seed");
    assert_eq!(first.len(), 5, "an admin and an editor per municipality and an operator are created, with passwords");
    let counts = || async {
        (
            municipality::Entity::find().count(&app.db).await.expect("count"),
            staff_user::Entity::find().count(&app.db).await.expect("count"),
            population_margin::Entity::find().count(&app.db).await.expect("count"),
        )
    };
    let after_first = counts().await;
    let second = radslag::demo::seed(&app.db, &app.base_url()).await.expect("second seed");
    assert!(second.is_empty(), "no new accounts or passwords the second time");
    assert_eq!(counts().await, after_first);
    assert_eq!(after_first.0, 4, "alpha, beta and the two demo municipalities");
    assert_eq!(after_first.2, (6 + 3) * 7 * 2, "margins for every district × age band × gender");

    let client = app.client();
    let password = &first[0].password;
    let base = format!("http://127.0.0.1:{}", app.port);
    let response = sign_in(&client, &base, &first[0].email, password).await;
    assert_eq!(response.status(), 303, "the printed password works");
}

async fn sign_out_ends_the_session(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    app.add_staff(Some(&app.alpha), "kari@alpha.test", Role::Viewer).await;
    let client = app.signed_in(ALPHA, "kari@alpha.test").await;
    let token = csrf_token(&client, &app.url(ALPHA, "/staff")).await;
    let out =
        client.post(app.url(ALPHA, "/staff/sign-out")).form(&[("csrf", token.as_str())]).send().await.expect("post");
    assert_eq!(out.status(), 303);
    assert_eq!(client.get(app.url(ALPHA, "/staff")).send().await.expect("get").status(), 303);
    let sessions = radslag::entities::staff_session::Entity::find().count(&app.db).await.expect("count");
    assert_eq!(sessions, 0, "the session row is gone");
}

/// Send a raw HTTP request and return the status code of the response.
async fn raw_status(port: u16, request: &str) -> u16 {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.expect("connect");
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut buffer = vec![0u8; 1024];
    let read = stream.read(&mut buffer).await.expect("read");
    let head = String::from_utf8_lossy(&buffer[..read]);
    head.split_whitespace().nth(1).and_then(|code| code.parse().ok()).expect("status line")
}
