//! Answering: every question type, skip logic, resume, exactly-once submit,
//! anonymity of the stored response, bad input, closed surveys and wrong
//! links, paper entry and open surveys — on SQLite and PostgreSQL.

mod common;

use common::fixtures::{add_member, answer_form, answer_page, definition, invite, open_survey, open_survey_with};
use common::{ALPHA, BETA, Backend, TestApp, csrf_from, spawn_app};
use radslag::domain::survey::{Combine, Condition, Op, Rule};
use radslag::domain::{Role, SecretToken};
use radslag::entities::{invitation, member, response, response_answer, survey};
use radslag::services::audit::Actor;
use radslag::services::surveys::{self, Survey, SurveyKind, SurveyStatus};
use sea_orm::{ActiveModelTrait, EntityTrait, PaginatorTrait, Set};

on_both_backends!(
    every_question_type_is_answered_and_stored,
    skip_logic_discards_hidden_answers,
    answers_resume_in_a_new_browser_and_back_keeps_them,
    a_double_submit_records_one_response,
    the_response_cannot_be_joined_back_to_the_member,
    bad_input_gets_clear_messages_and_stores_nothing,
    closed_surveys_and_wrong_links_get_the_same_neutral_page,
    editors_enter_paper_answers,
    open_surveys_take_one_answer_per_browser,
    shared_devices_can_answer_open_surveys_again,
    links_work_only_at_their_own_municipality,
    the_members_language_is_used_and_can_be_switched,
    staff_preview_the_survey,
    the_preview_follows_skip_rules_and_stores_nothing,
    the_preview_frame_is_the_resident_page,
    the_all_pages_view_explains_skip_rules,
    the_preview_needs_a_staff_sign_in,
    many_starts_from_one_address_are_rate_limited,
);

/// A stored answer row: question, item, option, number, text, don't know.
type StoredRow = (String, Option<String>, Option<String>, Option<f64>, Option<String>, bool);
/// The same, written as literals.
type ExpectedRow = (&'static str, Option<&'static str>, Option<&'static str>, Option<f64>, Option<&'static str>, bool);

/// A member invited to the every-type survey at Alpha; returns the link path.
async fn invited(app: &TestApp) -> (Survey, member::Model, String) {
    let survey = open_survey(app, &app.alpha, SurveyKind::Panel).await;
    let member = add_member(app, &app.alpha, "kari@example.org", "nb").await;
    let token = invite(app, &app.alpha, &survey, member.id).await;
    (survey, member, format!("/s/{token}"))
}

async fn answers_of(app: &TestApp) -> Vec<response_answer::Model> {
    response_answer::Entity::find().all(&app.db).await.expect("answers")
}

async fn answer_everything(app: &TestApp, client: &reqwest::Client, path: &str) {
    let first = answer_page(
        app,
        client,
        ALPHA,
        path,
        &[("q.mode", "car"), ("q.uses", "shops"), ("q.uses", "other"), ("q.uses.other", "Kino")],
        "next",
    )
    .await;
    // The parking question appears only for car drivers, on the same page: it
    // is shown, with the answers kept, and not called missing.
    assert_eq!(first.status(), 200);
    let page1 = first.text().await.expect("body");
    assert!(page1.contains("Det er lett å finne parkering.") && page1.contains("flere spørsmål på denne siden"));
    assert!(!page1.contains("Svar på dette spørsmålet."), "the new question is not an error yet");
    assert!(page1.contains("value=\"Kino\""), "typed text is kept");
    let again = answer_page(
        app,
        client,
        ALPHA,
        &format!("{path}?page=1"),
        &[("q.mode", "car"), ("q.parking", "4"), ("q.uses", "shops"), ("q.uses", "other"), ("q.uses.other", "Kino")],
        "next",
    )
    .await;
    assert_eq!(again.status(), 303);
    let second = answer_page(
        app,
        client,
        ALPHA,
        path,
        &[("q.trust.listens", "3"), ("q.trust.informs", "_dk"), ("q.recommend", "9"), ("q.visits", "12")],
        "next",
    )
    .await;
    assert_eq!(second.status(), 303);
    let third = answer_page(
        app,
        client,
        ALPHA,
        path,
        &[
            ("q.priorities.green", "1"),
            ("q.priorities.benches", "3"),
            ("q.priorities.light", "2"),
            ("q.name", "Fjordtorget"),
            ("q.idea", "Flere benker\nog trær"),
        ],
        "submit",
    )
    .await;
    assert_eq!(third.status(), 303);
}

async fn every_question_type_is_answered_and_stored(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let (survey, _, path) = invited(&app).await;
    let client = app.client();
    let first = client.get(app.url(ALPHA, &path)).send().await.expect("get");
    assert_eq!(first.status(), 200);
    let html = first.text().await.expect("body");
    for expected in [
        "Side 1 av 3",
        "Kommunen planlegger et nytt sentrum.",
        "Hvilke tiltak som prioriteres først.",
        "Kommunestyret",
        "Juni 2027",
        "Omtrent",
    ] {
        assert!(html.contains(expected), "first page shows {expected}");
    }
    assert!(!html.contains("<script"), "no JavaScript on the survey page");
    answer_everything(&app, &client, &path).await;

    let thanks = client.get(app.url(ALPHA, &path)).send().await.expect("get").text().await.expect("body");
    assert!(thanks.contains("Takk for svarene dine!") && thanks.contains("Mars 2027"));
    assert!(thanks.contains(&format!("href=\"/results/{}\"", survey.id)));

    let responses = response::Entity::find().all(&app.db).await.expect("responses");
    assert_eq!(responses.len(), 1);
    let mut rows: Vec<StoredRow> = answers_of(&app)
        .await
        .into_iter()
        .map(|a| (a.question_key, a.item_key, a.option_key, a.number_value, a.text_value, a.dont_know))
        .collect();
    rows.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
    let expected: Vec<ExpectedRow> = vec![
        ("idea", None, None, None, Some("Flere benker\nog trær"), false),
        ("mode", None, Some("car"), None, None, false),
        ("name", None, None, None, Some("Fjordtorget"), false),
        ("parking", None, Some("4"), None, None, false),
        ("priorities", None, Some("benches"), Some(3.0), None, false),
        ("priorities", None, Some("green"), Some(1.0), None, false),
        ("priorities", None, Some("light"), Some(2.0), None, false),
        ("recommend", None, None, Some(9.0), None, false),
        ("trust", Some("informs"), None, None, None, true),
        ("trust", Some("listens"), Some("3"), None, None, false),
        ("uses", None, Some("other"), None, Some("Kino"), false),
        ("uses", None, Some("shops"), None, None, false),
        ("visits", None, None, Some(12.0), None, false),
    ];
    let expected: Vec<_> = expected
        .into_iter()
        .map(|(q, i, o, n, t, d)| {
            (q.to_owned(), i.map(str::to_owned), o.map(str::to_owned), n, t.map(str::to_owned), d)
        })
        .collect();
    let mut expected_sorted = expected.clone();
    expected_sorted.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
    assert_eq!(rows, expected_sorted);

    let invitation = invitation::Entity::find().one(&app.db).await.expect("db").expect("row");
    assert!(invitation.completed);
    assert!(invitation.draft.is_none(), "the draft is deleted at submission");
}

async fn skip_logic_discards_hidden_answers(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let (_, _, path) = invited(&app).await;
    let client = app.client();
    // Hidden question answered anyway (a crafted post): it is ignored.
    let response = answer_page(&app, &client, ALPHA, &path, &[("q.mode", "bus"), ("q.parking", "1")], "next").await;
    assert_eq!(response.status(), 303);
    let draft = invitation::Entity::find().one(&app.db).await.expect("db").expect("row").draft.expect("draft");
    assert!(!draft.contains("parking"), "{draft}");

    // Shown, answered, then hidden again by changing the earlier answer: discarded.
    answer_page(&app, &client, ALPHA, &format!("{path}?page=1"), &[("q.mode", "car"), ("q.parking", "2")], "next")
        .await;
    let draft = invitation::Entity::find().one(&app.db).await.expect("db").expect("row").draft.expect("draft");
    assert!(draft.contains("parking"));
    answer_page(&app, &client, ALPHA, &format!("{path}?page=1"), &[("q.mode", "walk"), ("q.parking", "2")], "next")
        .await;
    answer_page(
        &app,
        &client,
        ALPHA,
        &path,
        &[("q.trust.listens", "1"), ("q.trust.informs", "1"), ("q.recommend", "0")],
        "next",
    )
    .await;
    answer_page(&app, &client, ALPHA, &path, &[], "submit").await;
    let stored = answers_of(&app).await;
    assert!(!stored.is_empty());
    assert!(stored.iter().all(|a| a.question_key != "parking"), "the hidden answer is not stored");
}

async fn answers_resume_in_a_new_browser_and_back_keeps_them(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let (_, _, path) = invited(&app).await;
    let first_browser = app.client();
    answer_page(&app, &first_browser, ALPHA, &path, &[("q.mode", "bus"), ("q.uses", "library")], "next").await;
    answer_page(
        &app,
        &first_browser,
        ALPHA,
        &path,
        &[("q.trust.listens", "2"), ("q.trust.informs", "3"), ("q.recommend", "7"), ("q.visits", "4")],
        "next",
    )
    .await;

    // "Closing the browser": a new client without cookies opens the link again.
    let second_browser = app.client();
    let resumed = second_browser.get(app.url(ALPHA, &path)).send().await.expect("get").text().await.expect("body");
    assert!(resumed.contains("Side 3 av 3"), "resumes on the page after the last saved one");

    let back = answer_page(&app, &second_browser, ALPHA, &path, &[("q.name", "Torget")], "back").await;
    assert_eq!(back.status(), 303);
    let location = back.headers()["location"].to_str().expect("ascii").to_owned();
    let page2 = second_browser.get(app.url(ALPHA, &location)).send().await.expect("get").text().await.expect("body");
    assert!(page2.contains("Side 2 av 3"));
    assert!(page2.contains("name=\"q.recommend\" value=\"7\" checked"), "back keeps earlier answers");
    assert!(page2.contains("value=\"4\""), "the number is kept");
    let page3 = second_browser
        .get(app.url(ALPHA, &format!("{path}?page=3")))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("body");
    assert!(page3.contains("value=\"Torget\""), "what was typed before going back is kept");
}

async fn a_double_submit_records_one_response(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let (_, _, path) = invited(&app).await;
    let client = app.client();
    answer_page(&app, &client, ALPHA, &path, &[("q.mode", "walk")], "next").await;
    answer_page(
        &app,
        &client,
        ALPHA,
        &path,
        &[("q.trust.listens", "2"), ("q.trust.informs", "2"), ("q.recommend", "5")],
        "next",
    )
    .await;
    let page = client.get(app.url(ALPHA, &path)).send().await.expect("get").text().await.expect("body");
    let csrf = csrf_from(&page);
    let submit = || {
        let client = client.clone();
        let url = app.url(ALPHA, &path);
        let csrf = csrf.clone();
        async move {
            client
                .post(url)
                .form(&[("csrf", csrf.as_str()), ("section", "2"), ("action", "submit"), ("q.name", "Torg")])
                .send()
                .await
                .expect("post")
                .status()
        }
    };
    let (a, b, c) = tokio::join!(submit(), submit(), submit());
    assert!([a, b, c].iter().all(|s| *s == 303), "{a} {b} {c}");
    assert_eq!(response::Entity::find().count(&app.db).await.expect("count"), 1, "exactly one response");
    let names = answers_of(&app).await.into_iter().filter(|a| a.question_key == "name").count();
    assert_eq!(names, 1);
    let thanks = client.get(app.url(ALPHA, &path)).send().await.expect("get").text().await.expect("body");
    assert!(thanks.contains("Takk for svarene dine!"), "every tab sees the same thank-you page");
}

async fn the_response_cannot_be_joined_back_to_the_member(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let (survey, member, path) = invited(&app).await;
    let client = app.client();
    answer_everything(&app, &client, &path).await;
    let row = response::Entity::find().one(&app.db).await.expect("db").expect("response");
    // Only coarse attributes, copied from the profile.
    assert_eq!(row.age_band.as_deref(), Some("35-44"));
    assert_eq!(row.gender.as_deref(), Some("female"));
    assert_eq!(row.district.as_deref(), Some("nord"));
    assert_eq!(row.source_group.as_deref(), Some("recruited"));
    assert_eq!(row.channel, "panel");
    assert_eq!(row.survey_id, survey.id);
    // The day only, no time; a random id that is not a sequence number or the token.
    assert_eq!(row.submitted_on.len(), 10);
    assert_eq!(row.id.len(), 32);
    assert!(row.id.chars().all(|c| c.is_ascii_hexdigit()));
    let token = path.trim_start_matches("/s/");
    let invitation = invitation::Entity::find().one(&app.db).await.expect("db").expect("row");
    assert_ne!(row.id, token);
    assert_ne!(row.id, invitation.token_hash);
    assert!(!row.id.contains(&member.id.to_string()) || row.id.len() == 32);
    // Nothing in the response or its answers holds the member, the invitation or the token.
    let serialised = format!("{row:?} {:?}", answers_of(&app).await);
    for secret in [member.email.as_str(), token, invitation.token_hash.as_str()] {
        assert!(!serialised.contains(secret), "response data contains {secret}");
    }
    // The invitation keeps no time of completion that could be matched to the
    // response, and of the link's first opening only the day.
    assert!(invitation.draft.is_none() && invitation.completed);
    assert!(invitation.opened_at.is_some_and(|t| t % 86_400 == 0), "{:?}", invitation.opened_at);

    // A second member's response gets an unrelated id (not in insertion order).
    let second = add_member(&app, &app.alpha, "ola@example.org", "nb").await;
    let token2 = invite(&app, &app.alpha, &survey, second.id).await;
    answer_everything(&app, &client, &format!("/s/{token2}")).await;
    let ids: Vec<String> = response::Entity::find().all(&app.db).await.expect("db").into_iter().map(|r| r.id).collect();
    assert_eq!(ids.len(), 2);
    assert_ne!(ids[0], ids[1]);
}

async fn bad_input_gets_clear_messages_and_stores_nothing(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let (_, _, path) = invited(&app).await;
    let client = app.client();
    let missing = answer_page(&app, &client, ALPHA, &path, &[], "next").await;
    assert_eq!(missing.status(), 422);
    let html = missing.text().await.expect("body");
    assert!(html.contains("Svar på dette spørsmålet.") && html.contains("href=\"#field-q-mode\""), "{html}");
    assert!(html.contains("id=\"field-q-mode\"") && html.contains("aria-invalid=\"true\""));

    let unknown = answer_page(&app, &client, ALPHA, &path, &[("q.mode", "rocket")], "next").await;
    assert_eq!(unknown.status(), 422);
    assert!(unknown.text().await.expect("body").contains("Velg et av alternativene i listen."));
    assert!(invitation::Entity::find().one(&app.db).await.expect("db").expect("row").draft.is_none(), "nothing saved");

    answer_page(&app, &client, ALPHA, &path, &[("q.mode", "bus")], "next").await;
    let range = answer_page(
        &app,
        &client,
        ALPHA,
        &path,
        &[("q.trust.listens", "1"), ("q.trust.informs", "1"), ("q.recommend", "11"), ("q.visits", "61")],
        "next",
    )
    .await;
    assert_eq!(range.status(), 422);
    let html = range.text().await.expect("body");
    assert!(html.contains("Skriv et tall fra 0 til 60."), "{html}");
    assert!(html.contains("value=\"61\""), "the typed value is kept for correction");
    let row_missing =
        answer_page(&app, &client, ALPHA, &path, &[("q.trust.listens", "1"), ("q.recommend", "3")], "next").await;
    assert_eq!(row_missing.status(), 422);
    assert!(row_missing.text().await.expect("body").contains("Velg et svar for denne påstanden."));

    answer_page(
        &app,
        &client,
        ALPHA,
        &path,
        &[("q.trust.listens", "1"), ("q.trust.informs", "1"), ("q.recommend", "3")],
        "next",
    )
    .await;
    let long = "x".repeat(41);
    let too_long = answer_page(
        &app,
        &client,
        ALPHA,
        &path,
        &[
            ("q.name", long.as_str()),
            ("q.priorities.green", "1"),
            ("q.priorities.benches", "1"),
            ("q.priorities.light", "2"),
        ],
        "submit",
    )
    .await;
    assert_eq!(too_long.status(), 422);
    let html = too_long.text().await.expect("body");
    assert!(
        html.contains("Svaret kan ha høyst 40 tegn.") && html.contains("uten å bruke et nummer to ganger"),
        "{html}"
    );
    assert_eq!(response::Entity::find().count(&app.db).await.expect("count"), 0, "nothing submitted");

    // A page that is not the current one, or garbage, is a 400, not a 500.
    let page = client.get(app.url(ALPHA, &path)).send().await.expect("get").text().await.expect("body");
    let bad = client
        .post(app.url(ALPHA, &path))
        .form(&[("csrf", csrf_from(&page).as_str()), ("section", "x")])
        .send()
        .await
        .expect("post");
    assert_eq!(bad.status(), 400);
}

async fn closed_surveys_and_wrong_links_get_the_same_neutral_page(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let (survey, _, path) = invited(&app).await;
    let client = app.client();
    let wrong = client.get(app.url(ALPHA, "/s/00112233445566778899aabbccddeeff")).send().await.expect("get");
    assert_eq!(wrong.status(), 404);
    let wrong_body = wrong.text().await.expect("body");
    assert!(wrong_body.contains("Lenken virker ikke"));

    surveys::set_status(&app.db, &app.alpha, &survey, SurveyStatus::Closed, Actor::System).await.expect("close");
    let closed = client.get(app.url(ALPHA, &path)).send().await.expect("get");
    assert_eq!(closed.status(), 404);
    let closed_body = closed.text().await.expect("body");
    let main = |html: &str| html.split("<main").nth(1).and_then(|m| m.split("</main>").next()).unwrap_or("").to_owned();
    assert_eq!(main(&closed_body), main(&wrong_body), "an expired link looks exactly like a wrong one");

    let page = client.get(app.url(ALPHA, "/staff/sign-in")).send().await.expect("get").text().await.expect("body");
    let post = client
        .post(app.url(ALPHA, &path))
        .form(&[("csrf", csrf_from(&page).as_str()), ("section", "0"), ("q.mode", "bus")])
        .send()
        .await
        .expect("post");
    assert_eq!(post.status(), 404, "answers to a closed survey are refused");
    assert_eq!(response::Entity::find().count(&app.db).await.expect("count"), 0);

    // Repeated guessing is slowed down.
    let mut last = 0;
    for n in 0..31 {
        last = client.get(app.url(ALPHA, &format!("/s/guess{n}"))).send().await.expect("get").status().as_u16();
    }
    assert_eq!(last, 429);
}

async fn editors_enter_paper_answers(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let survey = open_survey(&app, &app.alpha, SurveyKind::Panel).await;
    app.add_staff(Some(&app.alpha), "viewer@alpha.test", Role::Viewer).await;
    app.add_staff(Some(&app.alpha), "editor@alpha.test", Role::Editor).await;
    let viewer = app.signed_in(ALPHA, "viewer@alpha.test").await;
    let path = format!("/staff/surveys/{}/paper", survey.id);
    assert_eq!(viewer.get(app.url(ALPHA, &path)).send().await.expect("get").status(), 403);

    let editor = app.signed_in(ALPHA, "editor@alpha.test").await;
    let form = editor.get(app.url(ALPHA, &path)).send().await.expect("get").text().await.expect("body");
    assert!(
        form.contains("Opplysninger fra papirskjemaet") && form.contains("Ranger tiltakene"),
        "every section on one page"
    );
    let csrf = csrf_from(&form);
    let invalid = editor
        .post(app.url(ALPHA, &path))
        .form(&[("csrf", csrf.as_str()), ("q.mode", "bus"), ("age_band", "200-300")])
        .send()
        .await
        .expect("post");
    assert_eq!(invalid.status(), 422);
    assert_eq!(response::Entity::find().count(&app.db).await.expect("count"), 0);
    let saved = editor
        .post(app.url(ALPHA, &path))
        .form(&[
            ("csrf", csrf.as_str()),
            ("q.mode", "car"),
            ("q.parking", "3"),
            ("q.trust.listens", "2"),
            ("q.trust.informs", "2"),
            ("q.recommend", "8"),
            ("age_band", "67-79"),
            ("gender", "male"),
            ("district", "sor"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(saved.status(), 303);
    let row = response::Entity::find().one(&app.db).await.expect("db").expect("response");
    assert_eq!(
        (row.channel.as_str(), row.age_band.as_deref(), row.gender.as_deref(), row.district.as_deref()),
        ("paper", Some("67-79"), Some("male"), Some("sor"))
    );
    assert_eq!(answers_of(&app).await.iter().filter(|a| a.question_key == "parking").count(), 1);
    let audit = radslag::entities::audit_event::Entity::find().all(&app.db).await.expect("audit");
    assert!(
        audit.iter().any(|e| e.action == "response.paper" && !e.subject.contains(&row.id)),
        "audited without the response id"
    );
}

/// An open survey at Alpha with a public link; `once` is its one-answer-per-browser setting.
async fn open_survey_with_link(app: &TestApp, once: bool) -> String {
    let survey = open_survey(app, &app.alpha, SurveyKind::Open).await;
    let public = SecretToken::generate();
    survey::ActiveModel {
        id: Set(survey.id),
        public_token_hash: Set(Some(public.hash())),
        one_answer_per_browser: Set(once),
        ..Default::default()
    }
    .update(&app.db)
    .await
    .expect("public link");
    format!("/o/{}", public.reveal())
}

/// Open the public link in `client`; returns the personal path it redirects to.
async fn start_open(app: &TestApp, client: &reqwest::Client, link: &str) -> String {
    let start = client.get(app.url(ALPHA, link)).send().await.expect("get");
    assert_eq!(start.status(), 303);
    let personal = start.headers()["location"].to_str().expect("ascii").to_owned();
    assert!(personal.starts_with("/s/"));
    personal
}

/// Answer every page of the every-type survey at `personal` and submit.
async fn answer_and_submit(app: &TestApp, client: &reqwest::Client, personal: &str) {
    answer_page(app, client, ALPHA, personal, &[("q.mode", "walk")], "next").await;
    answer_page(
        app,
        client,
        ALPHA,
        personal,
        &[("q.trust.listens", "3"), ("q.trust.informs", "3"), ("q.recommend", "10")],
        "next",
    )
    .await;
    answer_page(app, client, ALPHA, personal, &[], "submit").await;
}

async fn open_surveys_take_one_answer_per_browser(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let link = open_survey_with_link(&app, true).await;
    let client = app.client();
    let personal = start_open(&app, &client, &link).await;
    answer_and_submit(&app, &client, &personal).await;
    let row = response::Entity::find().one(&app.db).await.expect("db").expect("response");
    assert_eq!(row.channel, "open");
    assert_eq!(row.age_band, None, "open answers have no profile attributes");

    let again = client.get(app.url(ALPHA, &link)).send().await.expect("get");
    assert_eq!(
        again.headers()["location"].to_str().expect("ascii"),
        personal,
        "the same browser returns to its own answer"
    );
    let thanks = client.get(app.url(ALPHA, &personal)).send().await.expect("get").text().await.expect("body");
    assert!(thanks.contains("Takk for svarene dine!"));

    let other_browser = app.client();
    let fresh = other_browser.get(app.url(ALPHA, &link)).send().await.expect("get");
    assert_ne!(fresh.headers()["location"].to_str().expect("ascii"), personal, "another browser starts its own");
    let wrong = other_browser.get(app.url(ALPHA, "/o/not-a-link")).send().await.expect("get");
    assert_eq!(wrong.status(), 404);
}

async fn shared_devices_can_answer_open_surveys_again(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let link = open_survey_with_link(&app, false).await;
    let kiosk = app.client();
    let first = start_open(&app, &kiosk, &link).await;
    answer_page(&app, &kiosk, ALPHA, &first, &[("q.mode", "walk")], "next").await;
    assert_eq!(start_open(&app, &kiosk, &link).await, first, "an unfinished answer resumes");
    answer_and_submit(&app, &kiosk, &first).await;
    let second = start_open(&app, &kiosk, &link).await;
    assert_ne!(second, first, "after a submission the same browser starts a new answer");
    let page = kiosk.get(app.url(ALPHA, &second)).send().await.expect("get").text().await.expect("body");
    assert!(page.contains("Side 1 av 3"), "the new answer starts on page 1: {page}");
    answer_and_submit(&app, &kiosk, &second).await;
    assert_eq!(response::Entity::find().count(&app.db).await.expect("count"), 2, "two visits, two responses");
    let revisit = kiosk.get(app.url(ALPHA, &first)).send().await.expect("get").text().await.expect("body");
    assert!(revisit.contains("Takk for svarene dine!"), "the first link still shows its thank-you page");
}

async fn links_work_only_at_their_own_municipality(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let (_, _, path) = invited(&app).await;
    let at_beta = app.client().get(app.url(BETA, &path)).send().await.expect("get");
    assert_eq!(at_beta.status(), 404, "Alpha's link means nothing at Beta");
    let at_alpha = app.client().get(app.url(ALPHA, &path)).send().await.expect("get");
    assert_eq!(at_alpha.status(), 200);
}

async fn the_members_language_is_used_and_can_be_switched(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let survey = open_survey(&app, &app.alpha, SurveyKind::Panel).await;
    let member = add_member(&app, &app.alpha, "anna@example.org", "en").await;
    let path = format!("/s/{}", invite(&app, &app.alpha, &survey, member.id).await);
    let client = app.client();
    let english = client.get(app.url(ALPHA, &path)).send().await.expect("get").text().await.expect("body");
    assert!(english.contains("Page 1 of 3") && english.contains("How do you usually get to the centre?"), "{english}");
    let norwegian =
        client.get(app.url(ALPHA, &format!("{path}?lang=nb"))).send().await.expect("get").text().await.expect("body");
    assert!(norwegian.contains("Side 1 av 3") && norwegian.contains("Hvordan kommer du oftest til sentrum?"));
}

async fn staff_preview_the_survey(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let survey = open_survey(&app, &app.alpha, SurveyKind::Panel).await;
    app.add_staff(Some(&app.alpha), "viewer@alpha.test", Role::Viewer).await;
    let viewer = app.signed_in(ALPHA, "viewer@alpha.test").await;
    let base = format!("/staff/surveys/{}/preview", survey.id);
    let page = viewer.get(app.url(ALPHA, &format!("{base}?page=3"))).send().await.expect("get");
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["x-frame-options"], "DENY", "the staff page itself is never framed");
    let html = page.text().await.expect("body");
    assert!(html.contains("Forhåndsvisning: Livet i sentrum") && html.contains("ingenting lagres"), "{html}");
    assert!(
        html.contains(&format!("src=\"{base}/frame?page=3\""))
            && html.contains("title=\"Undersøkelsen slik innbyggerne ser den\"")
            && html.contains("data-width=\"phone\""),
        "{html}"
    );
    let full = viewer.get(app.url(ALPHA, &format!("{base}?view=full"))).send().await.expect("get");
    let full = full.text().await.expect("body");
    assert!(full.contains("data-width=\"full\"") && full.contains("aria-current=\"page\">Full bredde</a>"), "{full}");

    let frame = viewer.get(app.url(ALPHA, &format!("{base}/frame?page=3"))).send().await.expect("get");
    assert_eq!(frame.status(), 200);
    assert_eq!(frame.headers()["x-frame-options"], "SAMEORIGIN");
    let csp = frame.headers()["content-security-policy"].to_str().expect("ascii").to_owned();
    assert!(csp.contains("frame-ancestors 'self'") && !csp.contains("unsafe-inline"), "{csp}");
    let html = frame.text().await.expect("body");
    assert!(html.contains("Ranger tiltakene") && html.contains("Side 3 av 3"));
    assert!(!html.contains("staff-nav"), "no staff chrome inside the frame");
    let other =
        app.client().get(app.url(BETA, &format!("/staff/surveys/{}/preview", survey.id))).send().await.expect("get");
    assert_eq!(other.status(), 303, "not signed in at Beta");
}

/// The every-type survey with its last page ("Ideer") shown only to bus riders.
async fn survey_with_a_conditional_page(app: &TestApp) -> Survey {
    let mut definition = definition();
    definition.sections[2].show_if = Some(Condition {
        combine: Combine::All,
        rules: vec![Rule { question: "mode".into(), op: Op::Equals, values: vec!["bus".into()], number: None }],
    });
    open_survey_with(app, &app.alpha, definition, SurveyKind::Panel).await
}

/// Rows in the tables answering writes to: responses, answers, invitations
/// (and the invitations' drafts).
async fn stored_rows(app: &TestApp) -> (u64, u64, u64, usize) {
    let responses = response::Entity::find().count(&app.db).await.expect("count");
    let answers = response_answer::Entity::find().count(&app.db).await.expect("count");
    let invitations = invitation::Entity::find().all(&app.db).await.expect("invitations");
    let drafts = invitations.iter().filter(|i| i.draft.is_some() || i.opened_at.is_some()).count();
    (responses, answers, invitations.len() as u64, drafts)
}

fn location(response: &reqwest::Response) -> String {
    response.headers()["location"].to_str().expect("ascii").to_owned()
}

async fn the_preview_follows_skip_rules_and_stores_nothing(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let survey = survey_with_a_conditional_page(&app).await;
    let member = add_member(&app, &app.alpha, "kari@example.org", "nb").await;
    invite(&app, &app.alpha, &survey, member.id).await;
    app.add_staff(Some(&app.alpha), "viewer@alpha.test", Role::Viewer).await;
    let viewer = app.signed_in(ALPHA, "viewer@alpha.test").await;
    let before = stored_rows(&app).await;
    let frame = format!("/staff/surveys/{}/preview/frame", survey.id);
    let get = |path: String| {
        let viewer = viewer.clone();
        let url = app.url(ALPHA, &path);
        async move { viewer.get(url).send().await.expect("get").text().await.expect("body") }
    };
    let first = get(frame.clone()).await;
    assert!(first.contains("Side 1 av 2"), "the bus riders' page is hidden before any answer");

    // Choosing car reveals the follow-up on the same page, as for residents.
    let car = answer_form(&app, &viewer, ALPHA, &frame, &[("q.mode", "car")], "next").await;
    assert_eq!(car.status(), 200);
    let car = car.text().await.expect("body");
    assert!(car.contains("Det er lett å finne parkering.") && car.contains("flere spørsmål på denne siden"));

    // Bus riders get the conditional page: three pages now.
    let bus = answer_form(&app, &viewer, ALPHA, &frame, &[("q.mode", "bus"), ("q.uses", "shops")], "next").await;
    assert_eq!(bus.status(), 303);
    let second_path = location(&bus);
    assert!(second_path.starts_with(&format!("{frame}?page=2&answers=")), "{second_path}");
    let second = get(second_path.clone()).await;
    assert!(second.contains("Side 2 av 3") && second.contains("Hvor enig er du?"), "{second}");

    // Validation messages show as they would.
    let empty = answer_form(&app, &viewer, ALPHA, &second_path, &[], "next").await;
    assert_eq!(empty.status(), 422);
    let empty = empty.text().await.expect("body");
    assert!(empty.contains("Svar på dette spørsmålet.") && empty.contains("Velg et svar for denne påstanden."));

    let fields = [("q.trust.listens", "3"), ("q.trust.informs", "_dk"), ("q.recommend", "9"), ("q.visits", "12")];
    let next = answer_form(&app, &viewer, ALPHA, &second_path, &fields, "next").await;
    assert_eq!(next.status(), 303);
    let third_path = location(&next);
    let third = get(third_path.clone()).await;
    assert!(third.contains("Side 3 av 3") && third.contains("Ranger tiltakene") && third.contains("Send inn"));

    let back = answer_form(&app, &viewer, ALPHA, &third_path, &[], "back").await;
    assert_eq!(back.status(), 303);
    let again = get(location(&back)).await;
    assert!(again.contains("Side 2 av 3") && again.contains("value=\"12\""), "answers are kept going back");

    let submitted = answer_form(&app, &viewer, ALPHA, &third_path, &[("q.name", "Fjordtorget")], "submit").await;
    assert_eq!(submitted.status(), 200);
    let thanks = submitted.text().await.expect("body");
    assert!(thanks.contains("Takk for svarene dine!") && thanks.contains("Forhåndsvisning: svarene ble ikke lagret."));

    // Walking instead: the bus riders' page is gone and page 2 is the last.
    let walk = answer_form(&app, &viewer, ALPHA, &frame, &[("q.mode", "walk")], "next").await;
    let walk_second = get(location(&walk)).await;
    assert!(walk_second.contains("Side 2 av 2") && walk_second.contains("Send inn"), "{walk_second}");
    let early = answer_form(&app, &viewer, ALPHA, &location(&walk), &[("q.visits", "3")], "submit").await;
    assert_eq!(early.status(), 422, "required questions are still required");

    assert_eq!(stored_rows(&app).await, before, "the preview wrote no response, answer, invitation or draft");
    let garbled = viewer.get(app.url(ALPHA, &format!("{frame}?answers=%%%"))).send().await.expect("get");
    assert_eq!(garbled.status(), 400);
}

async fn the_preview_frame_is_the_resident_page(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let (survey, _, path) = invited(&app).await;
    app.add_staff(Some(&app.alpha), "viewer@alpha.test", Role::Viewer).await;
    let viewer = app.signed_in(ALPHA, "viewer@alpha.test").await;
    let frame = format!("/staff/surveys/{}/preview/frame", survey.id);
    let normalise = |html: String, own_path: &str| {
        let csrf = csrf_from(&html);
        html.replace(own_path, "PATH").replace(&csrf, "CSRF")
    };
    let resident = app.client().get(app.url(ALPHA, &path)).send().await.expect("get").text().await.expect("body");
    let preview = viewer.get(app.url(ALPHA, &frame)).send().await.expect("get").text().await.expect("body");
    assert_eq!(normalise(preview, &frame), normalise(resident, &path), "the same markup, page 1");

    // After answering the first page, page 2 matches too.
    let fields = [("q.mode", "walk"), ("q.uses", "library")];
    assert_eq!(answer_page(&app, &app.client(), ALPHA, &path, &fields, "next").await.status(), 303);
    let resident = app.client().get(app.url(ALPHA, &path)).send().await.expect("get").text().await.expect("body");
    let moved = answer_form(&app, &viewer, ALPHA, &frame, &fields, "next").await;
    let framed = location(&moved);
    let preview = viewer.get(app.url(ALPHA, &framed)).send().await.expect("get").text().await.expect("body");
    let action = framed.replace("?page=2&", "?");
    let normalised = normalise(preview, &action).replace(&frame, "PATH");
    assert_eq!(normalised, normalise(resident, &path), "the same markup, page 2");
}

async fn the_all_pages_view_explains_skip_rules(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let survey = survey_with_a_conditional_page(&app).await;
    app.add_staff(Some(&app.alpha), "analyst@alpha.test", Role::Analyst).await;
    let analyst = app.signed_in(ALPHA, "analyst@alpha.test").await;
    let all = format!("/staff/surveys/{}/preview/all", survey.id);
    let page = analyst.get(app.url(ALPHA, &all)).send().await.expect("get");
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("body");
    for expected in [
        "Side 3 av 3",
        "Ranger tiltakene",
        "Vises bare hvis «Hvordan kommer du oftest til sentrum?» er «Bil»",
        "Vises bare hvis «Hvordan kommer du oftest til sentrum?» er «Buss»",
        "aria-current=\"page\">Alle sider</a>",
    ] {
        assert!(html.contains(expected), "the overview shows {expected}: {html}");
    }
    let english = analyst.get(app.url(ALPHA, &format!("{all}?lang=en"))).send().await.expect("get");
    let english = english.text().await.expect("body");
    assert!(
        english.contains("Shown only if “How do you usually get to the centre?” is “Car”"),
        "in the staff member's language: {english}"
    );
}

async fn the_preview_needs_a_staff_sign_in(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let survey = open_survey(&app, &app.alpha, SurveyKind::Panel).await;
    let base = format!("/staff/surveys/{}/preview", survey.id);
    for path in [base.clone(), format!("{base}/frame"), format!("{base}/all")] {
        let response = app.client().get(app.url(ALPHA, &path)).send().await.expect("get");
        assert_eq!(response.status(), 303, "{path}");
        assert!(location(&response).starts_with("/staff/sign-in"), "{path} leads to the sign-in page");
    }
}

/// Fetch a page as the browser would, gzip-compressed; returns the
/// compressed HTML size, the compressed stylesheet size and the plain HTML.
async fn transferred(app: &TestApp, client: &reqwest::Client, path: &str) -> (usize, usize, String) {
    let get = |url: String| {
        let client = client.clone();
        async move { client.get(url).header("accept-encoding", "gzip").send().await.expect("get") }
    };
    let page = get(app.url(ALPHA, path)).await;
    assert_eq!(page.headers()["content-encoding"], "gzip");
    let html_bytes = page.bytes().await.expect("body").len();
    let plain = client.get(app.url(ALPHA, path)).send().await.expect("get").text().await.expect("body");
    let css_path =
        plain.split("rel=\"stylesheet\" href=\"").nth(1).and_then(|s| s.split('"').next()).expect("stylesheet");
    let css = get(app.url(ALPHA, css_path)).await;
    assert_eq!(css.headers()["content-encoding"], "gzip");
    let css_bytes = css.bytes().await.expect("css").len();
    (html_bytes, css_bytes, plain)
}

/// Every page of the survey stays light: HTML and CSS together,
/// gzip-compressed as served, within 60 KB, and no script at all — the
/// Likert matrix and ranking pages included.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_survey_page_is_light() {
    let Some(app) = spawn_app(Backend::Sqlite).await else { return };
    let (_, _, path) = invited(&app).await;
    let client = app.client();
    let answers: [&[(&str, &str)]; 2] =
        [&[("q.mode", "walk")], &[("q.trust.listens", "3"), ("q.trust.informs", "3"), ("q.recommend", "10")]];
    let markers = ["name=\"q.mode\"", "name=\"q.trust.listens\"", "name=\"q.priorities.green\""];
    for (page, marker) in markers.iter().enumerate() {
        let (html_bytes, css_bytes, plain) = transferred(&app, &client, &path).await;
        assert!(plain.contains(marker), "page {} shows {marker}", page + 1);
        assert!(!plain.contains("<script"), "page {} has no script", page + 1);
        let total = html_bytes + css_bytes;
        println!("survey page {}: {html_bytes} B HTML + {css_bytes} B CSS compressed = {total} B", page + 1);
        assert!(total <= 60 * 1024, "page {}: {total} bytes transferred", page + 1);
        if let Some(fields) = answers.get(page) {
            let next = answer_page(&app, &client, ALPHA, &path, fields, "next").await;
            assert_eq!(next.status(), 303, "page {} accepted", page + 1);
        }
    }
}

async fn many_starts_from_one_address_are_rate_limited(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let link = open_survey_with_link(&app, true).await;
    // Each start is a new browser (no cookie), all from the same address.
    let first = app.client();
    let resumed = start_open(&app, &first, &link).await;
    for _ in 1..20 {
        start_open(&app, &app.client(), &link).await;
    }
    let sessions = invitation::Entity::find().count(&app.db).await.expect("count");
    assert_eq!(sessions, 20);

    let limited = app.client().get(app.url(ALPHA, &link)).send().await.expect("get");
    assert_eq!(limited.status(), 429, "the 21st start within the hour is refused");
    let retry_after: u64 =
        limited.headers()["retry-after"].to_str().expect("ascii").parse().expect("seconds until the window ends");
    assert!((1..=3600).contains(&retry_after), "retry after {retry_after} s");
    assert_eq!(invitation::Entity::find().count(&app.db).await.expect("count"), 20, "no session started");

    // A browser that already started keeps its own answer.
    assert_eq!(start_open(&app, &first, &link).await, resumed);
}
