//! Panel membership over HTTP: joining with double opt-in, "my page",
//! leaving, unsubscribing, consent renewal, import and the staff overview —
//! on SQLite and PostgreSQL.

mod common;

use common::fixtures::{MemberSpec, insert_member};
use common::{ALPHA, BETA, Backend, SentEmail, TestApp, csrf_from, csrf_token, spawn_app};
use radslag::domain::margins::MarginCell;
use radslag::domain::{AgeBand, DistrictCode, Gender, Role};
use radslag::entities::{audit_event, invitation, member, member_link, outbox_email, response, survey};
use radslag::services::audit::Actor;
use radslag::services::tenant::Municipality;
use radslag::services::{municipalities, panel};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};

on_both_backends!(
    joining_and_confirming_activates_the_member,
    links_are_single_use_and_expire,
    joining_twice_reveals_nothing,
    invalid_join_input_is_explained_in_the_readers_language_and_stores_nothing,
    my_page_signs_in_edits_pauses_and_downloads,
    leaving_deletes_the_member_and_keeps_responses,
    one_click_unsubscribe_pauses_for_a_year,
    import_is_all_or_nothing_with_line_numbers,
    import_can_skip_invalid_rows,
    overview_compares_counts_with_the_population,
    member_list_is_for_admins_and_audited,
    members_stay_inside_their_municipality,
    consent_renewal_emails_once_then_deactivates,
    unconfirmed_sign_ups_are_purged_after_seven_days,
    demo_members_are_seeded_once_and_skewed_like_real_panels,
    join_and_sign_in_requests_are_rate_limited_per_address,
);

/// Emails to `address`, oldest first, as delivered.
async fn emails_to(app: &TestApp, address: &str) -> Vec<SentEmail> {
    app.sent_emails_to(address).await
}

/// The link in an email's text that contains `fragment`, made to reach the test app.
fn link_in(email: &SentEmail, fragment: &str) -> String {
    email
        .text_body
        .split_whitespace()
        .find(|w| w.starts_with("http") && w.contains(fragment))
        .unwrap_or_else(|| panic!("no link with {fragment} in:\n{}", email.text_body))
        .to_owned()
}

fn join_form<'a>(email: &'a str, birth_year: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("email", email),
        ("mobile", ""),
        ("birth_year", birth_year),
        ("gender", "female"),
        ("district", "nord"),
        ("education", "higher_short"),
        ("language", "nb"),
        ("consent", "yes"),
    ]
}

async fn post_join(app: &TestApp, client: &reqwest::Client, host: &str, form: &[(&str, &str)]) -> reqwest::Response {
    let token = csrf_token(client, &app.url(host, "/panel/join")).await;
    let mut fields = form.to_vec();
    fields.push(("csrf", token.as_str()));
    client.post(app.url(host, "/panel/join")).form(&fields).send().await.expect("POST join")
}

async fn member_by_email(app: &TestApp, email: &str) -> Option<member::Model> {
    member::Entity::find().filter(member::Column::Email.eq(email)).one(&app.db).await.expect("member")
}

/// Join and confirm through HTTP; returns the active member.
async fn join_and_confirm(app: &TestApp, host: &str, email: &str) -> member::Model {
    let client = app.client();
    let response = post_join(app, &client, host, &join_form(email, "1980")).await;
    assert_eq!(response.status(), 200);
    let mail = emails_to(app, email).await.pop().expect("confirmation email");
    let confirmed = follow_link(&client, &link_in(&mail, "/panel/confirm/")).await;
    assert_eq!(confirmed.status(), 200);
    member_by_email(app, email).await.expect("member")
}

/// Open an emailed link as a person does: the page, then its one button.
/// Returns the button's response, or the page's when it has no button.
async fn follow_link(client: &reqwest::Client, link: &str) -> reqwest::Response {
    let page = client.get(link).send().await.expect("open link");
    if page.status() != 200 {
        return page;
    }
    let csrf = csrf_from(&page.text().await.expect("body"));
    client.post(link).form(&[("csrf", csrf)]).send().await.expect("press the button")
}

/// A client signed in to "my page" through an emailed link.
async fn member_client(app: &TestApp, host: &str, email: &str) -> reqwest::Client {
    let client = app.client();
    let token = csrf_token(&client, &app.url(host, "/panel/sign-in")).await;
    let response = client
        .post(app.url(host, "/panel/sign-in"))
        .form(&[("csrf", token.as_str()), ("email", email)])
        .send()
        .await
        .expect("POST sign-in");
    assert_eq!(response.status(), 200);
    let mail = emails_to(app, email).await.pop().expect("sign-in email");
    assert_eq!(mail.kind, "sign_in");
    let signed_in = follow_link(&client, &link_in(&mail, "/panel/sign-in/")).await;
    assert_eq!(signed_in.status(), 303);
    assert_eq!(signed_in.headers()["location"], "/panel/me");
    let cookie = signed_in.headers()["set-cookie"].to_str().expect("ascii");
    assert!(cookie.starts_with("radslag_member=") && cookie.contains("HttpOnly"), "{cookie}");
    client
}

async fn add_member(
    app: &TestApp,
    municipality: &Municipality,
    email: &str,
    profile: (i32, &str, &str, &str),
) -> member::Model {
    let (birth_year, gender, district, source) = profile;
    let language = municipality.default_language.code();
    let spec = MemberSpec { language, birth_year, gender, district, source, ..MemberSpec::new(email) };
    insert_member(app, municipality, spec).await
}

async fn add_survey(app: &TestApp, municipality: &Municipality, title: &str) -> survey::Model {
    let now = radslag::services::now();
    let definition = serde_json::json!({ "languages": ["nb"], "title": { "nb": title }, "sections": [] });
    survey::ActiveModel {
        municipality_id: Set(municipality.id),
        status: Set("open".into()),
        kind: Set("panel".into()),
        definition: Set(definition.to_string()),
        closes_on: Set(None),
        compass_areas: Set("[]".into()),
        ladder_step: Set(None),
        public_token_hash: Set(None),
        reminder_after_days: Set(5),
        max_reminders: Set(1),
        created_by: Set(None),
        approved_by: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        opened_at: Set(Some(now)),
        closed_at: Set(None),
        published_at: Set(None),
        feedback: Set(None),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect("insert survey")
}

async fn add_invitation(
    app: &TestApp,
    municipality: &Municipality,
    survey_id: i32,
    member_id: i32,
) -> invitation::Model {
    invitation::ActiveModel {
        municipality_id: Set(municipality.id),
        survey_id: Set(survey_id),
        sample_id: Set(None),
        member_id: Set(Some(member_id)),
        token_hash: Set(radslag::domain::SecretToken::generate().hash()),
        stratum: Set(None),
        wave: Set(1),
        created_at: Set(radslag::services::now()),
        sent_at: Set(None),
        reminders_sent: Set(0),
        last_reminder_at: Set(None),
        completed: Set(true),
        draft: Set(None),
        draft_page: Set(0),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect("insert invitation")
}

async fn joining_and_confirming_activates_the_member(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let client = app.client();
    let page = client.get(app.url(ALPHA, "/panel/join")).send().await.expect("join page");
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("body");
    assert!(html.contains("Bli med i innbyggerpanelet") && html.contains("value=\"sor\""), "districts are offered");
    assert!(html.contains(radslag::domain::member::CONSENT_VERSION), "the consent text shows its version");

    let response = post_join(&app, &client, ALPHA, &join_form("Kari@Example.no", "1980")).await;
    assert_eq!(response.status(), 200);
    assert!(response.text().await.expect("body").contains("Sjekk e-posten din"));
    let pending = member_by_email(&app, "kari@example.no").await.expect("stored, normalised");
    assert_eq!((pending.status.as_str(), pending.source.as_str()), ("pending", "self"));
    assert_eq!(pending.consent_version, radslag::domain::member::CONSENT_VERSION);
    assert_eq!((pending.district.as_str(), pending.education.as_deref()), ("nord", Some("higher_short")));

    let mails = emails_to(&app, "kari@example.no").await;
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].kind, "confirm");
    assert!(mails[0].subject.contains("Alpha kommune"), "{}", mails[0].subject);
    let link = link_in(&mails[0], "/panel/confirm/");
    assert!(link.starts_with(&app.url(ALPHA, "/panel/confirm/")), "{link}");
    assert!(mails[0].html_body.contains(&link), "the HTML part has the same link");
    let token = link.rsplit('/').next().expect("token");
    let stored = member_link::Entity::find().all(&app.db).await.expect("links");
    assert!(stored.iter().all(|l| l.token_hash != token), "only the hash is stored");

    let confirmed = follow_link(&client, &link).await;
    assert_eq!(confirmed.status(), 200);
    assert!(confirmed.text().await.expect("body").contains("Velkommen i innbyggerpanelet"));
    let active = member_by_email(&app, "kari@example.no").await.expect("member");
    assert_eq!(active.status, "active");
    assert!(active.confirmed_at.is_some());
}

async fn links_are_single_use_and_expire(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let client = app.client();
    post_join(&app, &client, ALPHA, &join_form("ola@example.no", "1970")).await;
    let link = link_in(&emails_to(&app, "ola@example.no").await[0], "/panel/confirm/");
    let scanned = app.client().get(&link).send().await.expect("scanner");
    assert_eq!(scanned.status(), 200);
    assert!(scanned.text().await.expect("body").contains("Bekreft medlemskapet"), "the link shows a button");
    let still = member_by_email(&app, "ola@example.no").await.expect("member");
    assert_eq!(still.status, "pending", "opening the link (as a mail scanner does) confirms nothing");
    assert_eq!(follow_link(&client, &link).await.status(), 200);
    assert_eq!(member_by_email(&app, "ola@example.no").await.expect("member").status, "active");
    let again = client.get(&link).send().await.expect("second");
    assert_eq!(again.status(), 404, "a used link does not work again");
    assert!(again.text().await.expect("body").contains("Lenken virker ikke"));

    post_join(&app, &client, ALPHA, &join_form("per@example.no", "1970")).await;
    let link = link_in(&emails_to(&app, "per@example.no").await[0], "/panel/confirm/");
    member_link::Entity::update_many()
        .col_expr(member_link::Column::ExpiresAt, Expr::value(radslag::services::now() - 1))
        .exec(&app.db)
        .await
        .expect("expire");
    assert_eq!(client.get(&link).send().await.expect("expired").status(), 404);
    assert_eq!(member_by_email(&app, "per@example.no").await.expect("member").status, "pending");
    let garbage = client.get(app.url(ALPHA, "/panel/confirm/not-a-token")).send().await.expect("garbage");
    assert_eq!(garbage.status(), 404);
}

async fn joining_twice_reveals_nothing(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    join_and_confirm(&app, ALPHA, "kari@example.no").await;
    let first_mails = emails_to(&app, "kari@example.no").await.len();

    let client = app.client();
    let fresh = post_join(&app, &client, ALPHA, &join_form("new@example.no", "1990")).await;
    let (fresh_status, fresh_body) = (fresh.status(), fresh.text().await.expect("body"));
    let again = post_join(&app, &client, ALPHA, &join_form("KARI@example.no", "1990")).await;
    let (again_status, again_body) = (again.status(), again.text().await.expect("body"));
    assert_eq!(fresh_status, again_status);
    assert_eq!(fresh_body, again_body, "a member and a newcomer see the same page");

    assert_eq!(
        member::Entity::find().filter(member::Column::Email.eq("kari@example.no")).count(&app.db).await.expect("count"),
        1
    );
    let kept = member_by_email(&app, "kari@example.no").await.expect("member");
    assert_eq!(kept.birth_year, 1980, "the existing profile is not overwritten");
    let mails = emails_to(&app, "kari@example.no").await;
    assert_eq!(mails.len(), first_mails + 1, "exactly one email to the address");
    let last = mails.last().expect("mail");
    assert_eq!(last.kind, "sign_in");
    assert!(last.subject.contains("allerede med"), "{}", last.subject);
    let signed_in = follow_link(&client, &link_in(last, "/panel/sign-in/")).await;
    assert_eq!(signed_in.status(), 303, "the email's link signs the member in");
}

async fn invalid_join_input_is_explained_in_the_readers_language_and_stores_nothing(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let client = app.client();
    let mut form = join_form("not-an-address", "2020");
    form.retain(|(k, _)| *k != "consent" && *k != "mobile");
    form.push(("mobile", "12"));
    let response = post_join(&app, &client, ALPHA, &form).await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.expect("body");
    for text in [
        "Skriv en gyldig e-postadresse",
        "Du må være minst 16 år",
        "Du må krysse av",
        "href=\"#field-email\"",
        "value=\"not-an-address\"",
        "aria-describedby=\"field-birth-year-hint field-birth-year-error\"",
    ] {
        assert!(html.contains(text), "missing {text}");
    }

    let english = app.client();
    let _ = english.get(app.url(ALPHA, "/panel/join?lang=en")).send().await.expect("choose English");
    let response = post_join(&app, &english, ALPHA, &[("email", "x"), ("district", "mars"), ("consent", "yes")]).await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.expect("body");
    assert!(html.contains("Enter a valid email address") && html.contains("Choose the district you live in"), "{html}");

    let swedish = app.client();
    let response = post_join(&app, &swedish, BETA, &join_form("kari@example.se", "nittonhundra")).await;
    assert_eq!(response.status(), 422);
    assert!(response.text().await.expect("body").contains("Skriv ditt födelseår med fyra siffror"));

    assert_eq!(member::Entity::find().count(&app.db).await.expect("count"), 0);
    assert_eq!(outbox_email::Entity::find().count(&app.db).await.expect("count"), 0);
}

async fn my_page_signs_in_edits_pauses_and_downloads(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let anonymous = app.client().get(app.url(ALPHA, "/panel/me")).send().await.expect("me");
    assert_eq!(anonymous.status(), 303);
    assert_eq!(anonymous.headers()["location"], "/panel/sign-in");

    let kari = join_and_confirm(&app, ALPHA, "kari@example.no").await;
    let survey = add_survey(&app, &app.alpha, "Parkering i sentrum").await;
    add_invitation(&app, &app.alpha, survey.id, kari.id).await;
    let client = member_client(&app, ALPHA, "kari@example.no").await;
    let used = link_in(emails_to(&app, "kari@example.no").await.last().expect("mail"), "/panel/sign-in/");
    assert_eq!(app.client().get(&used).send().await.expect("reuse").status(), 404, "sign-in links are single-use");

    let page = client.get(app.url(ALPHA, "/panel/me")).send().await.expect("me");
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("body");
    assert!(html.contains("kari@example.no") && html.contains("Parkering i sentrum"), "{html}");
    let token = common::csrf_from(&html);

    let saved = client
        .post(app.url(ALPHA, "/panel/me/profile"))
        .form(&[
            ("csrf", token.as_str()),
            ("birth_year", "1961"),
            ("gender", "other"),
            ("district", "sor"),
            ("education", ""),
            ("language", "en"),
            ("mobile", "+47 912 34 567"),
        ])
        .send()
        .await
        .expect("save profile");
    assert_eq!(saved.status(), 303);
    let location = saved.headers()["location"].to_str().expect("ascii").to_owned();
    assert_eq!(location, "/panel/me?saved=profile&lang=en", "the page follows the new language");
    let saved_page = client.get(app.url(ALPHA, &location)).send().await.expect("saved page");
    assert!(saved_page.text().await.expect("body").contains("Your details are saved."));
    let changed = member_by_email(&app, "kari@example.no").await.expect("member");
    assert_eq!(
        (changed.birth_year, changed.gender.as_str(), changed.district.as_str(), changed.language.as_str()),
        (1961, "other", "sor", "en")
    );
    assert_eq!((changed.mobile.as_deref(), changed.education.as_deref()), (Some("+4791234567"), None));

    let refused = client
        .post(app.url(ALPHA, "/panel/me/profile"))
        .form(&[
            ("csrf", token.as_str()),
            ("birth_year", "1961"),
            ("gender", "x"),
            ("district", "sor"),
            ("language", "en"),
        ])
        .send()
        .await
        .expect("bad profile");
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.expect("body").contains("Choose a gender"), "English after choosing English");

    let too_late = client
        .post(app.url(ALPHA, "/panel/me/pause"))
        .form(&[("csrf", token.as_str()), ("until", "2099-01-01")])
        .send()
        .await
        .expect("pause");
    assert_eq!(too_late.status(), 422);
    let until = (time::OffsetDateTime::now_utc().date() + time::Duration::days(60)).to_string();
    let paused = client
        .post(app.url(ALPHA, "/panel/me/pause"))
        .form(&[("csrf", token.as_str()), ("until", until.as_str())])
        .send()
        .await
        .expect("pause");
    assert_eq!(paused.status(), 303);
    assert_eq!(member_by_email(&app, "kari@example.no").await.expect("member").paused_until, Some(until.clone()));

    let download = client.get(app.url(ALPHA, "/panel/me/data.json")).send().await.expect("download");
    assert_eq!(download.status(), 200);
    assert!(download.headers()["content-disposition"].to_str().expect("ascii").starts_with("attachment"));
    let data: serde_json::Value = download.json().await.expect("json");
    assert_eq!(data["profile"]["email"], "kari@example.no");
    assert_eq!(data["profile"]["paused_until"], until.as_str());
    assert_eq!(data["consent"]["version"], radslag::domain::member::CONSENT_VERSION);
    assert_eq!(data["invitations"][0]["title"], "Parkering i sentrum");

    let resumed =
        client.post(app.url(ALPHA, "/panel/me/resume")).form(&[("csrf", token.as_str())]).send().await.expect("resume");
    assert_eq!(resumed.status(), 303);
    assert_eq!(member_by_email(&app, "kari@example.no").await.expect("member").paused_until, None);

    let out = client
        .post(app.url(ALPHA, "/panel/sign-out"))
        .form(&[("csrf", token.as_str())])
        .send()
        .await
        .expect("sign out");
    assert_eq!(out.status(), 303);
    assert_eq!(client.get(app.url(ALPHA, "/panel/me")).send().await.expect("me").status(), 303);
}

async fn leaving_deletes_the_member_and_keeps_responses(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let kari = join_and_confirm(&app, ALPHA, "kari@example.no").await;
    let survey = add_survey(&app, &app.alpha, "Ny skole").await;
    let invitation = add_invitation(&app, &app.alpha, survey.id, kari.id).await;
    response::ActiveModel {
        id: Set("resp-kept-1".into()),
        municipality_id: Set(app.alpha.id),
        survey_id: Set(survey.id),
        submitted_on: Set("2026-11-01".into()),
        channel: Set("web".into()),
        age_band: Set(Some("45-54".into())),
        gender: Set(Some("female".into())),
        district: Set(Some("nord".into())),
        source_group: Set(Some("self".into())),
    }
    .insert(&app.db)
    .await
    .expect("response");

    let client = member_client(&app, ALPHA, "kari@example.no").await;
    let confirm_page = client.get(app.url(ALPHA, "/panel/me/leave")).send().await.expect("leave page");
    assert_eq!(confirm_page.status(), 200);
    let html = confirm_page.text().await.expect("body");
    assert!(html.contains("Vil du melde deg ut?"));
    assert!(member_by_email(&app, "kari@example.no").await.is_some(), "the confirmation page changes nothing");
    let token = common::csrf_from(&html);
    let left =
        client.post(app.url(ALPHA, "/panel/me/leave")).form(&[("csrf", token.as_str())]).send().await.expect("leave");
    assert_eq!(left.status(), 200);
    assert!(left.text().await.expect("body").contains("Du er meldt ut"));

    assert!(member_by_email(&app, "kari@example.no").await.is_none(), "the member row is deleted at once");
    assert_eq!(member_link::Entity::find().count(&app.db).await.expect("links"), 0);
    assert!(response::Entity::find_by_id("resp-kept-1").one(&app.db).await.expect("response").is_some());
    let kept = invitation::Entity::find_by_id(invitation.id).one(&app.db).await.expect("invitation").expect("kept");
    assert_eq!(kept.member_id, None, "the invitation no longer points to anybody");
    let goodbye = emails_to(&app, "kari@example.no").await.pop().expect("goodbye");
    assert_eq!(goodbye.kind, "goodbye");
    assert_eq!(client.get(app.url(ALPHA, "/panel/me")).send().await.expect("me").status(), 303);
}

async fn one_click_unsubscribe_pauses_for_a_year(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let kari = add_member(&app, &app.alpha, "kari@example.no", (1980, "female", "nord", "self")).await;
    let url = panel::unsubscribe_url(&app.db, &app.alpha, &app.base_url(), kari.id).await.expect("url");
    assert!(url.starts_with(&app.url(ALPHA, "/u/")), "{url}");

    let client = app.client();
    let page = client.get(&url).send().await.expect("page");
    assert_eq!(page.status(), 200);
    assert!(page.text().await.expect("body").contains("Ta pause"));

    // A mail client posts without any cookie or CSRF token.
    let one_click = reqwest::Client::builder()
        .resolve(ALPHA, std::net::SocketAddr::from(([127, 0, 0, 1], app.port)))
        .build()
        .expect("client");
    let posted = one_click
        .post(&url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .expect("one click");
    assert_eq!(posted.status(), 200);
    let expected = (time::OffsetDateTime::now_utc().date() + time::Duration::days(365)).to_string();
    let paused = member_by_email(&app, "kari@example.no").await.expect("member");
    assert_eq!(paused.paused_until, Some(expected));
    assert_eq!(paused.status, "active");

    let leave =
        one_click.post(&url).form(&[("action", "pause"), ("until", "yesterday")]).send().await.expect("bad date");
    assert_eq!(leave.status(), 422);
    let unknown =
        one_click.post(app.url(ALPHA, "/u/0123")).body("List-Unsubscribe=One-Click").send().await.expect("unknown");
    assert_eq!(unknown.status(), 404);
    let left = one_click.post(&url).form(&[("action", "leave")]).send().await.expect("leave");
    assert_eq!(left.status(), 200);
    assert!(member_by_email(&app, "kari@example.no").await.is_none());
}

async fn upload(client: &reqwest::Client, app: &TestApp, csv: &str, skip_invalid: bool) -> reqwest::Response {
    let token = csrf_token(client, &app.url(ALPHA, "/staff/panel/import")).await;
    let mut form = reqwest::multipart::Form::new()
        .part("file", reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("members.csv"));
    if skip_invalid {
        form = form.text("skip_invalid", "yes");
    }
    client
        .post(app.url(ALPHA, &format!("/staff/panel/import?csrf={token}")))
        .multipart(form)
        .send()
        .await
        .expect("upload")
}

const IMPORT_CSV: &str = "email,birth_year,gender,district,language,source,campaign\n\
    anne@example.no,1950,female,sentrum,nb,register,vår 2026\n\
    bjorn@example.no,2019,male,nord,nb,register,\n\
    existing@example.no,1970,male,nord,nb,event,\n\
    cecilie@example.no,1990,other,sor,en,self,\n\
    dag@example.no,1985,male,mars,nb,register,\n";

async fn import_is_all_or_nothing_with_line_numbers(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    app.add_staff(Some(&app.alpha), "admin@alpha.test", Role::Admin).await;
    app.add_staff(Some(&app.alpha), "editor@alpha.test", Role::Editor).await;
    add_member(&app, &app.alpha, "existing@example.no", (1960, "female", "sentrum", "self")).await;
    let editor = app.signed_in(ALPHA, "editor@alpha.test").await;
    assert_eq!(editor.get(app.url(ALPHA, "/staff/panel/import")).send().await.expect("page").status(), 403);

    let admin = app.signed_in(ALPHA, "admin@alpha.test").await;
    let response = upload(&admin, &app, IMPORT_CSV, false).await;
    assert_eq!(response.status(), 422);
    let html = response.text().await.expect("body");
    assert!(html.contains("Ingen er importert"), "{html}");
    for text in ["Linje 3 (birth_year)", "Linje 4 (email)", "Linje 6 (district)"] {
        assert!(html.contains(text), "missing {text}");
    }
    assert!(!html.contains("Linje 2") && !html.contains("Linje 5"), "valid rows are not reported");
    assert_eq!(member::Entity::find().count(&app.db).await.expect("count"), 1, "nothing imported");
    assert_eq!(outbox_email::Entity::find().count(&app.db).await.expect("count"), 0);

    let clean = "email,birth_year,gender,district,language,source,campaign\n\
        anne@example.no,1950,female,sentrum,nb,register,vår 2026\n\
        cecilie@example.no,1990,other,sor,en,self,\n";
    let response = upload(&admin, &app, clean, false).await;
    assert_eq!(response.status(), 200);
    assert!(response.text().await.expect("body").contains("2 medlemmer er importert"));
    let anne = member_by_email(&app, "anne@example.no").await.expect("anne");
    assert_eq!(
        (anne.status.as_str(), anne.source.as_str(), anne.campaign.as_deref()),
        ("pending", "register", Some("vår 2026"))
    );
    let welcome = emails_to(&app, "cecilie@example.no").await.pop().expect("welcome");
    assert!(
        welcome.subject.contains("Invitation to the citizen panel"),
        "in the member's language: {}",
        welcome.subject
    );
    let confirmed = follow_link(&app.client(), &link_in(&welcome, "/panel/confirm/")).await;
    assert_eq!(confirmed.status(), 200);
    let cecilie = member_by_email(&app, "cecilie@example.no").await.expect("cecilie");
    assert_eq!(
        (cecilie.status.as_str(), cecilie.consent_version.as_str()),
        ("active", radslag::domain::member::CONSENT_VERSION)
    );
    let audited = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("member.import"))
        .all(&app.db)
        .await
        .expect("audit");
    assert_eq!(audited.len(), 1);
    assert!(!audited[0].details.contains('@'), "no addresses in the audit log");
}

async fn import_can_skip_invalid_rows(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    app.add_staff(Some(&app.alpha), "admin@alpha.test", Role::Admin).await;
    add_member(&app, &app.alpha, "existing@example.no", (1960, "female", "sentrum", "self")).await;
    let admin = app.signed_in(ALPHA, "admin@alpha.test").await;
    let response = upload(&admin, &app, IMPORT_CSV, true).await;
    assert_eq!(response.status(), 200);
    let html = response.text().await.expect("body");
    assert!(html.contains("2 medlemmer er importert") && html.contains("Disse radene ble hoppet over"), "{html}");
    assert!(html.contains("Linje 4 (email)"));
    let existing = member_by_email(&app, "existing@example.no").await.expect("existing");
    assert_eq!((existing.birth_year, existing.source.as_str()), (1960, "self"), "duplicates are not overwritten");
    assert_eq!(member::Entity::find().count(&app.db).await.expect("count"), 3);

    // The same with the command line's service call writes a report of the rest.
    let outcome =
        panel::import_members(&app.db, &app.alpha, &app.base_url(), IMPORT_CSV.as_bytes(), true, Actor::CommandLine)
            .await
            .expect("import");
    assert_eq!(outcome.imported, 0, "everything valid is a member already");
    let lines: Vec<_> = outcome.problems.iter().map(|p| p.field.as_str()).collect();
    assert_eq!(lines, vec!["line 2", "line 3", "line 4", "line 5", "line 6"]);
}

async fn overview_compares_counts_with_the_population(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    app.add_staff(Some(&app.alpha), "viewer@alpha.test", Role::Viewer).await;
    let mut cells = Vec::new();
    for (district, population) in [("sentrum", 500), ("nord", 250), ("sor", 250)] {
        for gender in [Gender::Female, Gender::Male] {
            cells.push(MarginCell {
                district: DistrictCode::parse(district).expect("code"),
                age_band: AgeBand::From45To54,
                gender,
                population: population / 2,
            });
        }
    }
    municipalities::replace_margins(&app.db, &app.alpha, &cells, Actor::System).await.expect("margins");
    let year = time::OffsetDateTime::now_utc().year();
    for n in 0..8 {
        add_member(&app, &app.alpha, &format!("n{n}@example.no"), (year - 50, "female", "nord", "self")).await;
    }
    for n in 0..2 {
        add_member(&app, &app.alpha, &format!("s{n}@example.no"), (year - 50, "male", "sentrum", "register")).await;
    }
    let pending = add_member(&app, &app.alpha, "p@example.no", (year - 30, "male", "sor", "self")).await;
    member::Entity::update_many()
        .col_expr(member::Column::Status, Expr::value("pending"))
        .filter(member::Column::Id.eq(pending.id))
        .exec(&app.db)
        .await
        .expect("pending");

    let client = app.signed_in(ALPHA, "viewer@alpha.test").await;
    let page = client.get(app.url(ALPHA, "/staff/panel")).send().await.expect("overview");
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("body");
    assert!(html.contains("data-status=\"active\">10<") && html.contains("data-status=\"pending\">1<"), "{html}");
    // Nord: 80 % of the panel, 25 % of the population; sentrum 20 % vs 50 %.
    assert!(html.contains("data-group=\"nord\" data-representation=\"over\""), "{html}");
    assert!(html.contains("data-group=\"sentrum\" data-representation=\"under\""));
    assert!(html.contains("data-group=\"sor\" data-representation=\"under\""));
    assert!(html.contains("80.0 %") && html.contains("25.0 %"));
    assert!(!html.contains("@example.no"), "no personal data in the overview");

    let csv = client.get(app.url(ALPHA, "/staff/panel/counts.csv")).send().await.expect("csv");
    assert_eq!(csv.status(), 200);
    let text = csv.text().await.expect("body");
    assert!(text.contains("district,nord,8,0.8000,0.2500,over"), "{text}");
    assert!(text.contains("source,register,2,"), "{text}");
    assert!(!text.contains('@'));
}

async fn member_list_is_for_admins_and_audited(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    app.add_staff(Some(&app.alpha), "admin@alpha.test", Role::Admin).await;
    app.add_staff(Some(&app.alpha), "analyst@alpha.test", Role::Analyst).await;
    add_member(&app, &app.alpha, "kari@example.no", (1980, "female", "nord", "self")).await;
    let analyst = app.signed_in(ALPHA, "analyst@alpha.test").await;
    assert_eq!(analyst.get(app.url(ALPHA, "/staff/panel")).send().await.expect("overview").status(), 200);
    let refused = analyst.get(app.url(ALPHA, "/staff/panel/members")).send().await.expect("members");
    assert_eq!(refused.status(), 403);
    let overview =
        analyst.get(app.url(ALPHA, "/staff/panel")).send().await.expect("overview").text().await.expect("body");
    assert!(!overview.contains("/staff/panel/members"), "only admins are offered the list");

    let admin = app.signed_in(ALPHA, "admin@alpha.test").await;
    let before = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("member.view"))
        .count(&app.db)
        .await
        .expect("count");
    assert_eq!(before, 0);
    let page = admin.get(app.url(ALPHA, "/staff/panel/members")).send().await.expect("members");
    assert_eq!(page.status(), 200);
    assert!(page.text().await.expect("body").contains("kari@example.no"));
    let events = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("member.view"))
        .all(&app.db)
        .await
        .expect("audit");
    assert_eq!(events.len(), 1);
    assert!(events[0].actor.starts_with("staff:") && !events[0].details.contains('@'), "{:?}", events[0]);
}

async fn members_stay_inside_their_municipality(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    app.add_staff(Some(&app.beta), "admin@beta.test", Role::Admin).await;
    join_and_confirm(&app, ALPHA, "kari@example.no").await;

    // A sign-in link made for Alpha does not work at Beta.
    let client = app.client();
    let token = csrf_token(&client, &app.url(ALPHA, "/panel/sign-in")).await;
    client
        .post(app.url(ALPHA, "/panel/sign-in"))
        .form(&[("csrf", token.as_str()), ("email", "kari@example.no")])
        .send()
        .await
        .expect("request link");
    let link = link_in(emails_to(&app, "kari@example.no").await.last().expect("mail"), "/panel/sign-in/");
    let at_beta = link.replace(ALPHA, BETA);
    assert_eq!(client.get(&at_beta).send().await.expect("beta").status(), 404);
    assert_eq!(follow_link(&client, &link).await.status(), 303, "the link still works at Alpha");
    assert_eq!(
        client.get(app.url(BETA, "/panel/me")).send().await.expect("beta me").status(),
        303,
        "the Alpha session is not a Beta session"
    );

    // Joining at Beta with the same address makes a separate Beta member.
    let beta_join = post_join(
        &app,
        &app.client(),
        BETA,
        &[
            ("email", "kari@example.no"),
            ("birth_year", "1980"),
            ("gender", "female"),
            ("district", "sor"),
            ("language", "sv"),
            ("consent", "yes"),
        ],
    )
    .await;
    assert_eq!(beta_join.status(), 200);
    let mail = emails_to(&app, "kari@example.no").await.pop().expect("mail");
    assert_eq!(mail.kind, "confirm", "Beta knows nothing about the Alpha membership");
    assert!(link_in(&mail, "/panel/confirm/").starts_with(&app.url(BETA, "/")));

    let admin = app.signed_in(BETA, "admin@beta.test").await;
    let overview = admin.get(app.url(BETA, "/staff/panel")).send().await.expect("overview").text().await.expect("body");
    assert!(
        overview.contains("data-status=\"active\">0<") && overview.contains("data-status=\"pending\">1<"),
        "{overview}"
    );
    let list = admin.get(app.url(BETA, "/staff/panel/members")).send().await.expect("list").text().await.expect("body");
    assert_eq!(list.matches("kari@example.no").count(), 1, "only Beta's own member");
    assert!(list.contains("Väntar på bekräftelse"));
}

async fn consent_renewal_emails_once_then_deactivates(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let old = add_member(&app, &app.alpha, "old@example.no", (1950, "male", "nord", "register")).await;
    add_member(&app, &app.alpha, "recent@example.no", (1950, "male", "nord", "register")).await;
    let six_years_ago = radslag::services::now() - 6 * 365 * 86_400;
    member::Entity::update_many()
        .col_expr(member::Column::ConsentAt, Expr::value(six_years_ago))
        .filter(member::Column::Id.eq(old.id))
        .exec(&app.db)
        .await
        .expect("age consent");

    let base = app.base_url();
    let run = panel::renew_consents(&app.db, &base).await.expect("renew");
    assert_eq!((run.emailed, run.deactivated), (1, 0));
    let again = panel::renew_consents(&app.db, &base).await.expect("renew");
    assert_eq!((again.emailed, again.deactivated), (0, 0), "the renewal email goes out once");
    assert!(emails_to(&app, "recent@example.no").await.is_empty());
    let mail = emails_to(&app, "old@example.no").await.pop().expect("renewal email");
    assert_eq!(mail.kind, "consent_renewal");
    let link = link_in(&mail, "/panel/renew/");

    let client = app.client();
    let page = client.get(&link).send().await.expect("renew page");
    assert_eq!(page.status(), 200);
    let token = common::csrf_from(&page.text().await.expect("body"));
    let unticked = client.post(&link).form(&[("csrf", token.as_str())]).send().await.expect("unticked");
    assert_eq!(unticked.status(), 422);
    assert!(unticked.text().await.expect("body").contains("Du må krysse av"));

    // Nobody renews within the grace period: the member is deactivated.
    member_link::Entity::update_many()
        .col_expr(member_link::Column::ExpiresAt, Expr::value(radslag::services::now() - 1))
        .filter(member_link::Column::Purpose.eq("renew"))
        .exec(&app.db)
        .await
        .expect("grace over");
    let late = panel::renew_consents(&app.db, &base).await.expect("renew");
    assert_eq!((late.emailed, late.deactivated), (0, 1));
    assert_eq!(member_by_email(&app, "old@example.no").await.expect("member").status, "deactivated");
    assert_eq!(member_by_email(&app, "recent@example.no").await.expect("member").status, "active");
    assert_eq!(client.get(&link).send().await.expect("expired").status(), 404);

    // Signing in, the member can still renew on "my page".
    let member = member_client(&app, ALPHA, "old@example.no").await;
    let html = member.get(app.url(ALPHA, "/panel/me")).send().await.expect("me").text().await.expect("body");
    assert!(html.contains("Forny samtykket"));
    let token = common::csrf_from(&html);
    let renewed = member
        .post(app.url(ALPHA, "/panel/me/consent"))
        .form(&[("csrf", token.as_str()), ("consent", "yes")])
        .send()
        .await
        .expect("renew");
    assert_eq!(renewed.status(), 303);
    let active = member_by_email(&app, "old@example.no").await.expect("member");
    assert_eq!(active.status, "active");
    assert!(active.consent_at > six_years_ago);
}

async fn unconfirmed_sign_ups_are_purged_after_seven_days(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let client = app.client();
    post_join(&app, &client, ALPHA, &join_form("old@example.no", "1980")).await;
    post_join(&app, &client, ALPHA, &join_form("new@example.no", "1980")).await;
    add_member(&app, &app.alpha, "active@example.no", (1980, "male", "nord", "self")).await;
    let eight_days_ago = radslag::services::now() - 8 * 86_400;
    member::Entity::update_many()
        .col_expr(member::Column::CreatedAt, Expr::value(eight_days_ago))
        .filter(member::Column::Email.is_in(["old@example.no", "active@example.no"]))
        .exec(&app.db)
        .await
        .expect("age");
    assert_eq!(panel::purge_unconfirmed(&app.db).await.expect("purge"), 1);
    assert!(member_by_email(&app, "old@example.no").await.is_none());
    assert!(member_by_email(&app, "new@example.no").await.is_some());
    assert!(member_by_email(&app, "active@example.no").await.is_some());
}

/// `radslag panel import` against a fresh SQLite file.
#[tokio::test]
async fn command_line_import_is_all_or_nothing_and_reports_skipped_rows() {
    let dir = std::env::temp_dir()
        .join("radslag-tests")
        .join(format!("panel-cli-{}", radslag::domain::SecretToken::generate().reveal()));
    std::fs::create_dir_all(&dir).expect("dir");
    let database = format!("sqlite://{}/cli.db", dir.display());
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_radslag"))
            .args(args)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("RADSLAG_DATABASE_URL", &database)
            .env("RADSLAG_BASE_URL", "https://panel.alpha.test")
            .env("RADSLAG_SENDER", "panel@alpha.test")
            .env("RADSLAG_SESSION_KEY", "0123456789abcdef0123456789abcdef")
            .output()
            .expect("run radslag")
    };
    let districts = dir.join("districts.txt");
    std::fs::write(&districts, "sentrum;Sentrum\nnord;Nord\nsor;Sør\n").expect("districts");
    assert!(
        run(&["municipality", "add", "--slug", "alpha", "--name", "Alpha kommune", "--host", "alpha.test"])
            .status
            .success()
    );
    let set = run(&["municipality", "set", "alpha", "--districts-file", districts.to_str().expect("path")]);
    assert!(set.status.success(), "{}", String::from_utf8_lossy(&set.stderr));

    let file = dir.join("members.csv");
    std::fs::write(&file, IMPORT_CSV.replace("existing@example.no", "eva@example.no")).expect("csv");
    let file = file.to_str().expect("path");
    let refused = run(&["panel", "import", file, "--municipality", "alpha"]);
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("nothing imported")
            && stderr.contains("Line 3 (birth_year)")
            && stderr.contains("Line 6 (district)"),
        "{stderr}"
    );

    let db = sea_orm::Database::connect(&database).await.expect("connect");
    assert_eq!(member::Entity::find().count(&db).await.expect("count"), 0);

    let report = dir.join("report.csv");
    let imported = run(&[
        "panel",
        "import",
        file,
        "--municipality",
        "alpha",
        "--skip-invalid",
        "--report",
        report.to_str().expect("path"),
    ]);
    let stdout = String::from_utf8_lossy(&imported.stdout);
    assert!(imported.status.success(), "{}", String::from_utf8_lossy(&imported.stderr));
    // The municipality offers only bokmål, so line 5 (English) is refused too.
    assert!(stdout.contains("2 member(s) imported"), "{stdout}");
    assert_eq!(member::Entity::find().count(&db).await.expect("count"), 2);
    assert_eq!(outbox_email::Entity::find().count(&db).await.expect("count"), 2, "each imported member is emailed");
    let report = std::fs::read_to_string(&report).expect("report");
    let lines: Vec<&str> = report.lines().collect();
    assert_eq!(lines[0], "line,column,problem");
    assert!(lines[1].starts_with("3,birth_year,") && lines[2].starts_with("5,language,"), "{report}");
    assert!(lines[3].starts_with("6,district,Choose the district"), "{report}");
    assert_eq!(lines.len(), 4);
}

async fn demo_members_are_seeded_once_and_skewed_like_real_panels(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    radslag::demo::seed(&app.db, &app.base_url()).await.expect("first seed");
    let fjordvik = municipalities::by_slug(&app.db, "fjordvik").await.expect("query").expect("fjordvik");
    let lillevik = municipalities::by_slug(&app.db, "lillevik").await.expect("query").expect("lillevik");
    let count = |m: &Municipality| {
        let id = m.id;
        let db = app.db.clone();
        async move { member::Entity::find().filter(member::Column::MunicipalityId.eq(id)).count(&db).await.expect("count") }
    };
    assert_eq!((count(&fjordvik).await, count(&lillevik).await), (400, 60));
    radslag::demo::seed(&app.db, &app.base_url()).await.expect("second seed");
    assert_eq!((count(&fjordvik).await, count(&lillevik).await), (400, 60), "seeding again creates nothing");

    let overview = panel::overview(&app.db, &fjordvik).await.expect("overview");
    let group = |dimension: &str, key: &str| {
        overview
            .breakdowns
            .iter()
            .find(|b| b.dimension == dimension)
            .expect("dimension")
            .groups
            .iter()
            .find(|g| g.key == key)
            .expect("group")
            .clone()
    };
    assert!(overview.by_status.iter().any(|(s, n)| s == "pending" && *n > 0));
    assert!(overview.paused > 0);
    assert!(group("gender", "female").members > group("gender", "male").members);
    assert_eq!(group("district", "sentrum").representation, panel::Representation::Over);
    assert_eq!(group("age_band", "55-66").representation, panel::Representation::Over);
    assert_eq!(group("age_band", "16-24").representation, panel::Representation::Under);
    let recruited = group("source", "self").members + group("source", "register").members;
    assert!(recruited * 10 > overview.active * 8, "mostly self-registered or from the register");
    let example = member::Entity::find()
        .filter(member::Column::Email.eq("medlem0001@fjordvik.example"))
        .one(&app.db)
        .await
        .expect("query");
    assert!(example.is_some());
}

async fn join_and_sign_in_requests_are_rate_limited_per_address(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let client = app.client();
    let mut statuses = Vec::new();
    for n in 0..11 {
        let email = format!("person{n}@example.no");
        statuses.push(post_join(&app, &client, ALPHA, &join_form(&email, "1980")).await.status().as_u16());
    }
    assert!(statuses[..10].iter().all(|s| *s == 200), "{statuses:?}");
    assert_eq!(statuses[10], 429);
    assert_eq!(member::Entity::find().count(&app.db).await.expect("count"), 10, "the refused request stored nothing");

    let token = csrf_token(&client, &app.url(ALPHA, "/panel/sign-in")).await;
    let mut last = 0;
    for _ in 0..11 {
        let response = client
            .post(app.url(ALPHA, "/panel/sign-in"))
            .form(&[("csrf", token.as_str()), ("email", "person0@example.no")])
            .send()
            .await
            .expect("sign-in request");
        last = response.status().as_u16();
    }
    assert_eq!(last, 429, "sign-in link requests are limited too");
    assert_eq!(emails_to(&app, "person0@example.no").await.len(), 11, "one confirmation plus ten links at most");
}
