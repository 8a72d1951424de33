//! Invitations: sampling, preview, sending over real SMTP, retries, reminders,
//! soft launch, bounces and isolation — on SQLite and PostgreSQL.

mod common;

use std::collections::{BTreeMap, HashSet};
use std::time::Duration;

use common::fixtures::{MemberSpec, insert_member};
use common::{ALPHA, BETA, Backend, TestApp, csrf_token, spawn_app};
use radslag::domain::Role;
use radslag::domain::sampling::{Method, SampleRequest};
use radslag::entities::{audit_event, invitation, member, member_link, outbox_email, sample, survey};
use radslag::services::invitations;
use radslag::services::tenant::Municipality;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

on_both_backends!(
    a_sample_is_reproducible_from_its_seed_and_recorded,
    stratified_samples_are_allocated_proportionally,
    eligibility_leaves_out_paused_pending_capped_and_bouncing_members,
    the_preview_shows_the_composition_and_bad_input_is_explained,
    sending_delivers_one_email_per_member_with_a_hashed_personal_link,
    a_refused_email_is_retried_with_the_same_message_id,
    an_email_is_given_up_after_the_retry_limit,
    a_sent_email_is_never_sent_again,
    reminders_go_only_to_those_who_have_not_answered,
    a_soft_launch_sends_wave_one_then_the_rest,
    staff_of_another_municipality_cannot_invite,
    admins_mark_bouncing_addresses,
    the_demo_invites_a_sample_to_open_surveys_once,
    a_large_sample_is_queued_in_batches_and_delivered,
    a_large_sample_from_the_staff_page_is_queued_in_the_background,
    emails_a_stopped_sender_left_unsent_are_queued_later,
    invitations_are_written_in_the_members_language,
);

const DEFINITION: &str = r#"{
  "languages": ["nb", "en"],
  "title": {"nb": "Parken i sentrum", "en": "The park in the centre"},
  "purpose": {"nb": "Vi planlegger parken på nytt.", "en": "We are redesigning the park."},
  "influence": {"nb": "Hvilke aktiviteter parken får plass til.", "en": "Which activities the park makes room for."},
  "sections": [{"key": "s1", "title": {"nb": "Parken", "en": "The park"}, "questions": [
    {"key": "q1", "type": "rating", "text": {"nb": "Hvor fornøyd er du?", "en": "How satisfied are you?"}}
  ]}]
}"#;

async fn open_survey(app: &TestApp, municipality: &Municipality) -> i32 {
    let now = radslag::services::now();
    survey::ActiveModel {
        municipality_id: Set(municipality.id),
        status: Set("open".into()),
        kind: Set("panel".into()),
        definition: Set(DEFINITION.into()),
        closes_on: Set(Some("2999-12-31".into())),
        compass_areas: Set(String::new()),
        ladder_step: Set(None),
        public_token_hash: Set(None),
        reminder_after_days: Set(7),
        max_reminders: Set(2),
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
    .expect("survey")
    .id
}

struct NewMember<'a> {
    email: &'a str,
    district: &'a str,
    birth_year: i32,
    gender: &'a str,
    status: &'a str,
}

async fn add_member(app: &TestApp, municipality: &Municipality, new: NewMember<'_>) -> member::Model {
    let NewMember { email, district, birth_year, gender, status } = new;
    let spec = MemberSpec { district, birth_year, gender, status, source: "self", ..MemberSpec::new(email) };
    insert_member(app, municipality, spec).await
}

/// `count` active members spread over districts, ages and genders.
async fn add_members(app: &TestApp, municipality: &Municipality, prefix: &str, count: usize) -> Vec<member::Model> {
    let districts = ["sentrum", "nord", "sor"];
    let mut members = Vec::new();
    for i in 0..count {
        let email = format!("{prefix}{i}@example.no");
        let new = NewMember {
            email: &email,
            district: districts[i % 3],
            birth_year: 1950 + (i as i32 * 7) % 55,
            gender: if i % 2 == 0 { "female" } else { "male" },
            status: "active",
        };
        members.push(add_member(app, municipality, new).await);
    }
    members
}

async fn editor(app: &TestApp, host: &str, municipality: &Municipality) -> reqwest::Client {
    let email = format!("editor@{host}");
    app.add_staff(Some(municipality), &email, Role::Editor).await;
    app.signed_in(host, &email).await
}

async fn post_form(
    app: &TestApp,
    client: &reqwest::Client,
    host: &str,
    page: &str,
    path: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let token = csrf_token(client, &app.url(host, page)).await;
    let mut form: Vec<(&str, &str)> = vec![("csrf", token.as_str())];
    form.extend_from_slice(fields);
    client.post(app.url(host, path)).form(&form).send().await.expect("POST")
}

async fn send_sample(
    app: &TestApp,
    client: &reqwest::Client,
    survey_id: i32,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let page = format!("/staff/surveys/{survey_id}/invitations");
    post_form(app, client, ALPHA, &page, &format!("{page}/send"), fields).await
}

async fn invitations_of(app: &TestApp, survey_id: i32) -> Vec<invitation::Model> {
    invitation::Entity::find().filter(invitation::Column::SurveyId.eq(survey_id)).all(&app.db).await.expect("rows")
}

async fn outbox_rows(app: &TestApp) -> Vec<outbox_email::Model> {
    outbox_email::Entity::find().all(&app.db).await.expect("outbox")
}

/// Wait until `check` holds for the outbox (up to 10 s).
async fn wait_for_outbox(app: &TestApp, what: &str, check: impl Fn(&[outbox_email::Model]) -> bool) {
    for _ in 0..200 {
        if check(&outbox_rows(app).await) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("outbox never reached: {what}: {:?}", outbox_rows(app).await);
}

/// Make every pending row due now, as if its back-off had passed.
async fn fast_forward_outbox(app: &TestApp) {
    outbox_email::Entity::update_many()
        .col_expr(outbox_email::Column::NextAttemptAt, sea_orm::sea_query::Expr::value(0_i64))
        .filter(outbox_email::Column::Status.eq("pending"))
        .exec(&app.db)
        .await
        .expect("fast forward");
}

async fn a_sample_is_reproducible_from_its_seed_and_recorded(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    add_members(&app, &app.alpha, "m", 30).await;
    let survey_id = open_survey(&app, &app.alpha).await;
    let survey = invitations::survey(&app.db, &app.alpha, survey_id).await.expect("survey");
    let request = SampleRequest {
        method: Method::Simple { size: 10 },
        seed: 42,
        soft_launch_percent: None,
        release_after_hours: radslag::domain::sampling::DEFAULT_RELEASE_AFTER_HOURS,
    };
    let first = invitations::preview(&app.db, &app.alpha, &survey, &request).await.expect("preview");
    let again = invitations::preview(&app.db, &app.alpha, &survey, &request).await.expect("preview");
    let other = SampleRequest { seed: 43, ..request.clone() };
    let different = invitations::preview(&app.db, &app.alpha, &survey, &other).await.expect("preview");
    let ids = |p: &invitations::Preview| p.drawn.iter().map(|d| d.member_id).collect::<Vec<_>>();
    assert_eq!(ids(&first).len(), 10);
    assert_eq!(ids(&first), ids(&again), "the same seed draws the same members");
    assert_ne!(ids(&first), ids(&different), "another seed draws others");

    let client = editor(&app, ALPHA, &app.alpha).await;
    let response = send_sample(&app, &client, survey_id, &[("method", "simple"), ("size", "10"), ("seed", "42")]).await;
    assert_eq!(response.status(), 303);
    let invited: HashSet<i32> = invitations_of(&app, survey_id).await.iter().filter_map(|i| i.member_id).collect();
    assert_eq!(invited, ids(&first).into_iter().collect::<HashSet<_>>(), "sending draws what the preview showed");
    let samples = sample::Entity::find().all(&app.db).await.expect("samples");
    assert_eq!(samples.len(), 1);
    let recorded = &samples[0];
    assert_eq!((recorded.method.as_str(), recorded.seed, recorded.requested, recorded.drawn), ("simple", 42, 10, 10));
    assert!(recorded.created_by.is_some());
    let audit = audit_event::Entity::find().all(&app.db).await.expect("audit");
    assert!(audit.iter().any(|e| e.action == "invitations.send" && e.details.contains("\"seed\":42")));

    let twice = send_sample(&app, &client, survey_id, &[("method", "simple"), ("size", "10"), ("seed", "42")]).await;
    assert_eq!(twice.status(), 303);
    assert_eq!(invitations_of(&app, survey_id).await.len(), 10, "a repeated submission sends nothing");
}

async fn stratified_samples_are_allocated_proportionally(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    for i in 0..40 {
        let email = format!("s{i}@example.no");
        let district = if i < 30 { "sentrum" } else { "nord" };
        add_member(
            &app,
            &app.alpha,
            NewMember { email: &email, district, birth_year: 1980, gender: "female", status: "active" },
        )
        .await;
    }
    let survey_id = open_survey(&app, &app.alpha).await;
    let client = editor(&app, ALPHA, &app.alpha).await;
    let response = send_sample(
        &app,
        &client,
        survey_id,
        &[("method", "stratified"), ("size", "8"), ("strata", "district"), ("seed", "7")],
    )
    .await;
    assert_eq!(response.status(), 303);
    let mut by_stratum: BTreeMap<String, usize> = BTreeMap::new();
    for row in invitations_of(&app, survey_id).await {
        *by_stratum.entry(row.stratum.expect("stratum recorded")).or_default() += 1;
    }
    assert_eq!(by_stratum, BTreeMap::from([("district=nord".into(), 2), ("district=sentrum".into(), 6)]));
    let recorded = sample::Entity::find().one(&app.db).await.expect("query").expect("sample");
    assert_eq!((recorded.method.as_str(), recorded.strata.as_str()), ("stratified", "district"));

    // The dashboard: one nord member answered, one sentrum member opened the link.
    let rows = invitations_of(&app, survey_id).await;
    let nord = rows.iter().find(|r| r.stratum.as_deref() == Some("district=nord")).expect("nord");
    let sentrum = rows.iter().find(|r| r.stratum.as_deref() == Some("district=sentrum")).expect("sentrum");
    invitation::ActiveModel { id: Set(nord.id), completed: Set(true), ..Default::default() }
        .update(&app.db)
        .await
        .expect("answered");
    invitation::ActiveModel {
        id: Set(sentrum.id),
        opened_at: Set(Some(radslag::services::now())),
        ..Default::default()
    }
    .update(&app.db)
    .await
    .expect("opened");
    wait_for_outbox(&app, "all delivered", |rows| rows.len() == 8 && rows.iter().all(|r| r.status == "sent")).await;
    let page = format!("/staff/surveys/{survey_id}/invitations");
    let html = client.get(app.url(ALPHA, &page)).send().await.expect("page").text().await.expect("body");
    let table = html.split("id=\"progress\"").nth(1).and_then(|t| t.split("</table>").next()).expect("progress table");
    let cells = |label: &str| -> Vec<String> {
        let row = table.split(&format!("<th scope=\"row\">{label}</th>")).nth(1).expect(label);
        let row = row.split("</tr>").next().expect("row");
        row.split("<td class=\"numeric\">").skip(1).map(|c| c.split('<').next().unwrap_or("").to_owned()).collect()
    };
    // invited, sent, delivered, failed, waiting, opened, started, answered, rate
    assert_eq!(cells("nord"), ["2", "2", "2", "0", "0", "1", "1", "1", "50.0 %"]);
    assert_eq!(cells("sentrum"), ["6", "6", "6", "0", "0", "1", "0", "0", "0.0 %"]);
    assert_eq!(cells("Totalt"), ["8", "8", "8", "0", "0", "2", "1", "1", "12.5 %"]);
}

async fn eligibility_leaves_out_paused_pending_capped_and_bouncing_members(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let members = add_members(&app, &app.alpha, "e", 7).await;
    let now = radslag::services::now();
    let set = |m: &member::Model| -> member::ActiveModel { m.clone().into() };
    let mut pending = set(&members[0]);
    pending.status = Set("pending".into());
    pending.update(&app.db).await.expect("pending");
    let mut paused = set(&members[1]);
    paused.paused_until = Set(Some("2999-01-01".into()));
    paused.update(&app.db).await.expect("paused");
    let mut bouncing = set(&members[2]);
    bouncing.email_invalid = Set(true);
    bouncing.update(&app.db).await.expect("bouncing");
    let mut deactivated = set(&members[3]);
    deactivated.status = Set("deactivated".into());
    deactivated.update(&app.db).await.expect("deactivated");
    // members[4] reached the yearly cap (6 by default); members[5] was invited 5 days ago.
    let earlier = open_survey(&app, &app.alpha).await;
    let mut history = vec![(members[5].id, now - 5 * 86400)];
    history.extend((0..6).map(|i| (members[4].id, now - (40 + i * 50) * 86400)));
    for (member_id, created_at) in history {
        invitation::ActiveModel {
            municipality_id: Set(app.alpha.id),
            survey_id: Set(earlier),
            member_id: Set(Some(member_id)),
            token_hash: Set(radslag::domain::SecretToken::generate().hash()),
            wave: Set(1),
            created_at: Set(created_at),
            sent_at: Set(Some(created_at)),
            reminders_sent: Set(0),
            completed: Set(true),
            draft_page: Set(0),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .expect("history");
    }
    let survey_id = open_survey(&app, &app.alpha).await;
    let client = editor(&app, ALPHA, &app.alpha).await;
    let page = format!("/staff/surveys/{survey_id}/invitations");
    let preview = post_form(&app, &client, ALPHA, &page, &format!("{page}/preview"), &[("method", "all")]).await;
    assert_eq!(preview.status(), 200);
    let html = preview.text().await.expect("body");
    for line in [
        "Har ikke bekreftet e-postadressen: 1",
        "Har pause: 1",
        "E-postadressen virker ikke: 1",
        "Samtykket er utløpt: 1",
        "Har fått så mange invitasjoner som tillatt dette året: 1",
        "Ble invitert for kort tid siden: 1",
    ] {
        assert!(html.contains(line), "missing {line}");
    }
    assert_eq!(send_sample(&app, &client, survey_id, &[("method", "all")]).await.status(), 303);
    let invited: Vec<i32> = invitations_of(&app, survey_id).await.iter().filter_map(|i| i.member_id).collect();
    assert_eq!(invited, vec![members[6].id], "only the one eligible member is invited");
}

async fn the_preview_shows_the_composition_and_bad_input_is_explained(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    add_members(&app, &app.alpha, "p", 12).await;
    let survey_id = open_survey(&app, &app.alpha).await;
    let client = editor(&app, ALPHA, &app.alpha).await;
    let page = format!("/staff/surveys/{survey_id}/invitations");
    let shown = client.get(app.url(ALPHA, &page)).send().await.expect("GET");
    assert_eq!(shown.status(), 200);
    assert!(shown.text().await.expect("body").contains("Invitasjoner: Parken i sentrum"));

    let fields = [("method", "stratified"), ("size", "6"), ("strata", "district"), ("strata", "gender"), ("seed", "3")];
    let preview = post_form(&app, &client, ALPHA, &page, &format!("{page}/preview"), &fields).await;
    assert_eq!(preview.status(), 200);
    let html = preview.text().await.expect("body");
    assert!(html.contains("6 av 12 medlemmer som kan inviteres er trukket ut (frø 3)"), "{html}");
    assert!(html.contains("Utvalget etter bydel, sammenlignet med panelet og befolkningen"));
    assert!(html.contains("Utvalget etter aldersgruppe"));
    assert!(
        html.contains(
            "<th scope=\"row\">Nord</th><td class=\"numeric\">2 (33.3 %)</td><td class=\"numeric\">4 (33.3 %)</td>"
        ),
        "{html}"
    );
    assert!(html.contains("Send 6 invitasjoner"));
    assert!(invitations_of(&app, survey_id).await.is_empty(), "a preview sends nothing");

    let bad = [("method", "stratified"), ("size", "zero"), ("soft_launch", "150")];
    let refused = post_form(&app, &client, ALPHA, &page, &format!("{page}/preview"), &bad).await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.expect("body");
    assert!(html.contains("class=\"ds-error-summary\""));
    assert!(html.contains("href=\"#field-size\""));
    assert!(html.contains("Skriv et helt tall fra 1 til 1000000."));
    assert!(html.contains("Skriv en prosent fra 1 til 99"));
    assert!(html.contains("value=\"150\""), "typed values are kept");
}

async fn sending_delivers_one_email_per_member_with_a_hashed_personal_link(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let members = add_members(&app, &app.alpha, "d", 3).await;
    let survey_id = open_survey(&app, &app.alpha).await;
    let client = editor(&app, ALPHA, &app.alpha).await;
    let response = send_sample(&app, &client, survey_id, &[("method", "all")]).await;
    assert_eq!(response.status(), 303);
    assert!(response.headers()["location"].to_str().expect("ascii").contains("sent=3&queued=3"));

    let rows = invitations_of(&app, survey_id).await;
    assert_eq!(rows.len(), 3);
    let mut tokens = Vec::new();
    for member in &members {
        let mails = app.smtp.wait_for(&member.email, 1).await;
        assert_eq!(mails.len(), 1, "one email per member");
        let mail = &mails[0];
        assert_eq!(mail.subject(), "Si din mening: Parken i sentrum");
        assert!(mail.raw_header("Message-ID").is_some_and(|id| id.starts_with('<') && id.ends_with('>')));
        assert!(mail.raw_header("Date").is_some());
        let unsubscribe = mail.raw_header("List-Unsubscribe").expect("List-Unsubscribe");
        assert!(unsubscribe.starts_with(&format!("<http://{ALPHA}:{}/u/", app.port)), "{unsubscribe}");
        assert_eq!(mail.raw_header("List-Unsubscribe-Post").as_deref(), Some("List-Unsubscribe=One-Click"));
        let text = mail.text();
        let html = mail.html();
        for expected in [
            "Parken i sentrum",
            "Vi planlegger parken på nytt.",
            "Det tar omtrent 1 minutter.",
            "Du kan svare til og med 2999-12-31.",
            "Hvilke aktiviteter parken får plass til.",
        ] {
            assert!(text.contains(expected), "text lacks {expected}:\n{text}");
            assert!(html.contains(expected), "HTML lacks {expected}");
        }
        assert!(!html.contains("<img"), "no tracking pixels");
        let link = mail.link_containing("/s/");
        assert!(link.starts_with(&format!("http://{ALPHA}:{}/s/", app.port)), "{link}");
        assert!(html.contains(&link));
        let token = link.rsplit('/').next().expect("token").to_owned();
        assert_eq!(token.len(), 32);
        let row = rows.iter().find(|r| r.member_id == Some(member.id)).expect("invitation");
        assert_eq!(row.token_hash, radslag::domain::token::hash_token_text(&token));
        assert!(row.sent_at.is_some());
        let answer_page = app.client().get(&link).send().await.expect("GET link");
        assert_eq!(answer_page.status(), 200, "the personal link opens the survey");
        tokens.push(token);
    }
    wait_for_outbox(&app, "all sent", |rows| rows.len() == 3 && rows.iter().all(|r| r.status == "sent")).await;
    let mut stored = String::new();
    for row in outbox_rows(&app).await {
        stored.push_str(&format!("{row:?}"));
    }
    for row in invitation::Entity::find().all(&app.db).await.expect("invitations") {
        stored.push_str(&format!("{row:?}"));
    }
    for row in member_link::Entity::find().all(&app.db).await.expect("links") {
        stored.push_str(&format!("{row:?}"));
    }
    for row in audit_event::Entity::find().all(&app.db).await.expect("audit") {
        stored.push_str(&format!("{row:?}"));
    }
    for token in &tokens {
        assert!(!stored.contains(token.as_str()), "the plain token is stored somewhere");
    }
}

async fn a_refused_email_is_retried_with_the_same_message_id(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let members = add_members(&app, &app.alpha, "r", 1).await;
    let survey_id = open_survey(&app, &app.alpha).await;
    app.smtp.refuse_next(1);
    let client = editor(&app, ALPHA, &app.alpha).await;
    assert_eq!(send_sample(&app, &client, survey_id, &[("method", "all")]).await.status(), 303);
    wait_for_outbox(&app, "first attempt refused", |rows| rows.iter().any(|r| r.attempts == 1)).await;
    let refused = outbox_rows(&app).await.remove(0);
    assert_eq!(refused.status, "pending");
    assert!(refused.last_error.as_deref().is_some_and(|e| e.contains("451") || e.contains("try again")), "{refused:?}");
    let now = radslag::services::now();
    assert!(refused.next_attempt_at >= now + 50 && refused.next_attempt_at <= now + 70, "retried in about a minute");
    assert!(app.smtp.messages().is_empty());

    fast_forward_outbox(&app).await;
    let mails = app.smtp.wait_for(&members[0].email, 1).await;
    assert_eq!(mails[0].raw_header("Message-ID").as_deref(), Some(refused.message_id.as_str()));
    wait_for_outbox(&app, "sent after retry", |rows| rows[0].status == "sent" && rows[0].attempts == 2).await;
}

async fn an_email_is_given_up_after_the_retry_limit(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    add_members(&app, &app.alpha, "g", 1).await;
    let survey_id = open_survey(&app, &app.alpha).await;
    app.smtp.refuse_next(100);
    let client = editor(&app, ALPHA, &app.alpha).await;
    assert_eq!(send_sample(&app, &client, survey_id, &[("method", "all")]).await.status(), 303);
    let limit = radslag::services::outbox::MAX_ATTEMPTS;
    for attempt in 1..limit {
        wait_for_outbox(&app, &format!("attempt {attempt}"), |rows| rows[0].attempts == attempt).await;
        fast_forward_outbox(&app).await;
    }
    wait_for_outbox(&app, "failed", |rows| rows[0].status == "failed").await;
    let row = outbox_rows(&app).await.remove(0);
    assert_eq!(row.attempts, limit);
    assert!(row.last_error.as_deref().is_some_and(|e| !e.is_empty()), "the reason is stored");
    assert!(!row.text_body.contains("/s/"), "a given-up body no longer holds the link");
    app.smtp.refuse_next(0);
    fast_forward_outbox(&app).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(app.smtp.messages().is_empty(), "a failed row is not sent");

    // The survey's progress counts the invitation as failed, though the
    // address itself was never marked as bouncing.
    let stats = invitations::stats(&app.db, &app.alpha, survey_id).await.expect("stats");
    assert_eq!((stats.overall.sent, stats.overall.delivered, stats.overall.failed), (1, 0, 1));
    assert!(member::Entity::find().all(&app.db).await.expect("members").iter().all(|m| !m.email_invalid));
}

async fn a_sent_email_is_never_sent_again(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let members = add_members(&app, &app.alpha, "n", 5).await;
    let survey_id = open_survey(&app, &app.alpha).await;
    // A second worker against the same database, as on another node.
    let config = common::test_config("sqlite::memory:", None, app.port, app.smtp.port);
    tokio::spawn(radslag::worker::run(app.db.clone(), config.clone()));
    let client = editor(&app, ALPHA, &app.alpha).await;
    assert_eq!(send_sample(&app, &client, survey_id, &[("method", "all")]).await.status(), 303);
    wait_for_outbox(&app, "all sent", |rows| rows.len() == 5 && rows.iter().all(|r| r.status == "sent")).await;
    let mailer = radslag::email::transport::Mailer::from_config(&config).expect("mailer");
    for _ in 0..2 {
        let round = radslag::email::delivery::deliver_due(&app.db, &mailer, &config.sender).await.expect("round");
        assert_eq!(round.sent, 0);
    }
    fast_forward_outbox(&app).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    for member in &members {
        assert_eq!(app.smtp.messages_to(&member.email).len(), 1, "exactly one email each");
    }
}

async fn reminders_go_only_to_those_who_have_not_answered(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let members = add_members(&app, &app.alpha, "q", 3).await;
    let survey_id = open_survey(&app, &app.alpha).await;
    let client = editor(&app, ALPHA, &app.alpha).await;
    assert_eq!(send_sample(&app, &client, survey_id, &[("method", "all")]).await.status(), 303);
    for member in &members {
        app.smtp.wait_for(&member.email, 1).await;
    }
    let answered = members[0].id;
    for row in invitations_of(&app, survey_id).await {
        let mut active: invitation::ActiveModel = row.clone().into();
        active.completed = Set(row.member_id == Some(answered));
        active.update(&app.db).await.expect("update");
    }
    let base = app.base_url();
    let now = radslag::services::now();
    assert_eq!(invitations::send_due_reminders(&app.db, &base, now).await.expect("reminders"), 0, "not due yet");
    let later = now + 7 * 86400 + 60;
    assert_eq!(invitations::send_due_reminders(&app.db, &base, later).await.expect("reminders"), 2);
    assert_eq!(invitations::send_due_reminders(&app.db, &base, later).await.expect("reminders"), 0, "idempotent");
    for member in &members[1..] {
        let mails = app.smtp.wait_for(&member.email, 2).await;
        assert_eq!(mails[1].subject(), "Påminnelse: Parken i sentrum");
        let first = mails[0].link_containing("/s/");
        let reminder = mails[1].link_containing("/s/");
        assert_ne!(first, reminder, "the reminder carries a link of its own");
        for link in [&first, &reminder] {
            let page = app.client().get(link.as_str()).send().await.expect("open link");
            assert_eq!(page.status(), 200, "every link sent keeps working: {link}");
            assert!(page.text().await.expect("body").contains("Hvor fornøyd er du?"));
        }
        let row =
            invitations_of(&app, survey_id).await.into_iter().find(|r| r.member_id == Some(member.id)).expect("row");
        let token = first.rsplit('/').next().expect("token");
        assert_eq!(row.token_hash, radslag::domain::token::hash_token_text(token), "only hashes are stored");
        assert_eq!((row.reminders_sent, row.last_reminder_at), (1, Some(later)));
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(app.smtp.messages_to(&members[0].email).len(), 1, "who answered gets no reminder");

    // A second reminder is due a week later, but not after the survey closed.
    let mut closed: survey::ActiveModel =
        survey::Entity::find_by_id(survey_id).one(&app.db).await.expect("query").expect("survey").into();
    closed.status = Set("closed".into());
    closed.update(&app.db).await.expect("close");
    let week_later = later + 7 * 86400 + 60;
    assert_eq!(invitations::send_due_reminders(&app.db, &base, week_later).await.expect("reminders"), 0);
}

async fn a_soft_launch_sends_wave_one_then_the_rest(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let members = add_members(&app, &app.alpha, "w", 20).await;
    let survey_id = open_survey(&app, &app.alpha).await;
    let client = editor(&app, ALPHA, &app.alpha).await;
    let too_long =
        send_sample(&app, &client, survey_id, &[("method", "all"), ("soft_launch", "10%"), ("release_after", "500")])
            .await;
    assert_eq!(too_long.status(), 422, "a week at most");
    assert!(too_long.text().await.expect("body").contains("Skriv et helt antall timer fra 1 til 168."));
    assert_eq!(invitations_of(&app, survey_id).await.len(), 0, "nothing sent");
    let response = send_sample(&app, &client, survey_id, &[("method", "all"), ("soft_launch", "10%")]).await;
    assert!(response.headers()["location"].to_str().expect("ascii").contains("sent=20&queued=2"));
    wait_for_outbox(&app, "wave 1 sent", |rows| rows.len() == 2 && rows.iter().all(|r| r.status == "sent")).await;
    let rows = invitations_of(&app, survey_id).await;
    assert_eq!(rows.iter().filter(|r| r.wave == 1 && r.sent_at.is_some()).count(), 2);
    assert_eq!(rows.iter().filter(|r| r.wave == 2 && r.sent_at.is_none()).count(), 18);
    let sample = sample::Entity::find().one(&app.db).await.expect("query").expect("sample");
    let released_in = sample.release_at.expect("release time") - sample.created_at;
    assert_eq!(released_in, 24 * 3600, "by default the rest goes out a day later");

    let page = format!("/staff/surveys/{survey_id}/invitations");
    let base = format!("{page}/samples/{}", sample.id);
    assert_eq!(post_form(&app, &client, ALPHA, &page, &format!("{base}/hold"), &[]).await.status(), 303);
    let tomorrow = radslag::services::now() + 25 * 3600;
    let url = app.base_url();
    assert_eq!(invitations::release_due_soft_launches(&app.db, &url, tomorrow).await.expect("release"), 0, "held");
    assert_eq!(post_form(&app, &client, ALPHA, &page, &format!("{base}/unhold"), &[]).await.status(), 303);
    assert_eq!(invitations::release_due_soft_launches(&app.db, &url, tomorrow).await.expect("release"), 18);
    assert_eq!(invitations::release_due_soft_launches(&app.db, &url, tomorrow).await.expect("release"), 0);
    let again = post_form(&app, &client, ALPHA, &page, &format!("{base}/release"), &[]).await;
    assert!(again.headers()["location"].to_str().expect("ascii").ends_with("released=0"), "nothing twice");
    for member in &members {
        assert_eq!(app.smtp.wait_for(&member.email, 1).await.len(), 1);
    }
    assert!(invitations_of(&app, survey_id).await.iter().all(|r| r.sent_at.is_some()));
}

async fn staff_of_another_municipality_cannot_invite(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    add_members(&app, &app.alpha, "i", 3).await;
    let alpha_survey = open_survey(&app, &app.alpha).await;
    let beta_client = editor(&app, BETA, &app.beta).await;
    let page = format!("/staff/surveys/{alpha_survey}/invitations");
    let shown = beta_client.get(app.url(BETA, &page)).send().await.expect("GET");
    assert_eq!(shown.status(), 404);
    let token = csrf_token(&beta_client, &app.url(BETA, "/staff")).await;
    let sent = beta_client
        .post(app.url(BETA, &format!("{page}/send")))
        .form(&[("csrf", token.as_str()), ("method", "all")])
        .send()
        .await
        .expect("POST");
    assert_eq!(sent.status(), 404);
    assert!(invitations_of(&app, alpha_survey).await.is_empty());
    let viewer = "viewer@alpha.test";
    app.add_staff(Some(&app.alpha), viewer, Role::Viewer).await;
    let viewer_client = app.signed_in(ALPHA, viewer).await;
    assert_eq!(viewer_client.get(app.url(ALPHA, &page)).send().await.expect("GET").status(), 403);
}

async fn admins_mark_bouncing_addresses(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let members = add_members(&app, &app.alpha, "b", 1).await;
    app.add_staff(Some(&app.alpha), "admin@alpha.test", Role::Admin).await;
    let admin = app.signed_in(ALPHA, "admin@alpha.test").await;
    let unknown =
        post_form(&app, &admin, ALPHA, "/staff/bounces", "/staff/bounces", &[("email", "nobody@example.no")]).await;
    assert_eq!(unknown.status(), 422);
    assert!(unknown.text().await.expect("body").contains("Ingen medlemmer har denne e-postadressen."));
    let marked =
        post_form(&app, &admin, ALPHA, "/staff/bounces", "/staff/bounces", &[("email", " B0@Example.no ")]).await;
    assert_eq!(marked.status(), 303);
    let row = member::Entity::find_by_id(members[0].id).one(&app.db).await.expect("query").expect("member");
    assert!(row.email_invalid);
    let audit = audit_event::Entity::find().all(&app.db).await.expect("audit");
    let event = audit.iter().find(|e| e.action == "member.bounce").expect("audited");
    assert!(!event.details.contains("b0@example.no") && !event.subject.contains("b0@example.no"));
    let editor = editor(&app, ALPHA, &app.alpha).await;
    assert_eq!(editor.get(app.url(ALPHA, "/staff/bounces")).send().await.expect("GET").status(), 403);
}

async fn the_demo_invites_a_sample_to_open_surveys_once(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    radslag::demo::seed(&app.db, &app.base_url()).await.expect("seed");
    let fjordvik = radslag::services::municipalities::by_slug(&app.db, "fjordvik").await.expect("q").expect("fjordvik");
    let open_panel: Vec<_> = radslag::services::surveys::list(&app.db, &fjordvik)
        .await
        .expect("surveys")
        .into_iter()
        .filter(|s| {
            s.status == radslag::services::surveys::SurveyStatus::Open
                && s.kind == radslag::services::surveys::SurveyKind::Panel
        })
        .collect();
    assert!(!open_panel.is_empty(), "the demo has an open panel survey");
    for survey in &open_panel {
        let invited = invitations_of(&app, survey.id).await;
        assert_eq!(invited.len(), 60, "a stratified sample of 60");
        assert!(invited.iter().all(|i| i.stratum.as_deref().is_some_and(|s| s.starts_with("district="))));
    }
    let had = invitation::Entity::find().all(&app.db).await.expect("rows").len();
    radslag::demo::seed(&app.db, &app.base_url()).await.expect("seed again");
    assert_eq!(
        invitation::Entity::find().all(&app.db).await.expect("rows").len(),
        had,
        "seeding twice invites nobody new"
    );
    let expected = 60 * open_panel.len();
    let fjordvik_id = fjordvik.id;
    wait_for_outbox(&app, "demo invitations sent", |rows| {
        rows.iter()
            .filter(|r| r.kind == "invitation" && r.status == "sent" && r.municipality_id == Some(fjordvik_id))
            .count()
            == expected
    })
    .await;
}

/// A sample whose sender stopped after recording the invitations but before
/// queuing their emails is finished by the schedule, once, and only after a
/// settling time that leaves a running sender alone.
async fn emails_a_stopped_sender_left_unsent_are_queued_later(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let members = add_members(&app, &app.alpha, "u", 4).await;
    let survey_id = open_survey(&app, &app.alpha).await;
    let now = radslag::services::now();
    let recorded = sample::ActiveModel {
        municipality_id: Set(app.alpha.id),
        survey_id: Set(survey_id),
        method: Set("all".into()),
        strata: Set(String::new()),
        seed: Set(7),
        requested: Set(4),
        drawn: Set(4),
        created_by: Set(None),
        created_at: Set(now - 60),
        release_at: Set(None),
        release_held: Set(false),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect("sample");
    for member in &members {
        invitation::ActiveModel {
            municipality_id: Set(app.alpha.id),
            survey_id: Set(survey_id),
            sample_id: Set(Some(recorded.id)),
            member_id: Set(Some(member.id)),
            token_hash: Set(radslag::domain::SecretToken::generate().hash()),
            wave: Set(1),
            created_at: Set(now - 60),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .expect("invitation");
    }
    // The sample is a minute old, so the app's own worker (settling time ten
    // minutes) leaves it alone; the schedule is run here as if an hour later.
    let url = app.base_url();
    let young = invitations::queue_unsent(&app.db, &url, now, 600).await.expect("queue");
    assert_eq!(young, 0, "a sample younger than the settling time is left to its sender");
    let later = now + 3600;
    assert_eq!(invitations::queue_unsent(&app.db, &url, later, 600).await.expect("queue"), 4);
    assert_eq!(invitations::queue_unsent(&app.db, &url, later, 600).await.expect("queue"), 0, "nothing twice");
    for member in &members {
        assert_eq!(app.smtp.wait_for(&member.email, 1).await.len(), 1);
    }
    assert!(invitations_of(&app, survey_id).await.iter().all(|r| r.sent_at.is_some()));
}

/// `count` active members, written in one statement.
async fn add_many_members(app: &TestApp, count: i32) {
    let rows = (0..count).map(|i| member::ActiveModel {
        municipality_id: Set(app.alpha.id),
        email: Set(format!("big{i}@example.no")),
        birth_year: Set(1940 + i % 60),
        gender: Set(if i % 2 == 0 { "female" } else { "male" }.into()),
        district: Set(["sentrum", "nord", "sor"][(i % 3) as usize].into()),
        language: Set("nb".into()),
        source: Set("self".into()),
        status: Set("active".into()),
        consent_version: Set("2026-11".into()),
        consent_at: Set(radslag::services::now()),
        email_invalid: Set(false),
        created_at: Set(0),
        ..Default::default()
    });
    member::Entity::insert_many(rows.collect::<Vec<_>>()).exec_without_returning(&app.db).await.expect("members");
}

/// A first wave too large to queue while the staff page waits is queued in
/// the background: the page answers at once and the emails follow.
async fn a_large_sample_from_the_staff_page_is_queued_in_the_background(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let count = i32::try_from(invitations::BACKGROUND_FROM).expect("small") + 100;
    add_many_members(&app, count).await;
    let survey_id = open_survey(&app, &app.alpha).await;
    let client = editor(&app, ALPHA, &app.alpha).await;
    let response = send_sample(&app, &client, survey_id, &[("method", "all")]).await;
    assert_eq!(response.status(), 303);
    let location = response.headers()["location"].to_str().expect("ascii").to_owned();
    assert!(location.ends_with(&format!("?sent={count}&background=1")), "{location}");
    let page = client.get(app.url(ALPHA, &location)).send().await.expect("page").text().await.expect("body");
    assert!(page.contains("E-postene legges i køen nå"), "the page says the emails follow");
    let expected = usize::try_from(count).expect("count");
    for _ in 0..600 {
        if invitations_of(&app, survey_id).await.iter().all(|r| r.sent_at.is_some()) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let rows = invitations_of(&app, survey_id).await;
    assert_eq!(rows.len(), expected);
    assert!(rows.iter().all(|r| r.sent_at.is_some() && r.last_email_id.is_some()), "every email queued, once");
    let queued = outbox_rows(&app).await.iter().filter(|r| r.kind == "invitation").count();
    assert_eq!(queued, expected);
}

/// Prints the time to queue and to deliver 1,000 invitations (one run).
async fn a_large_sample_is_queued_in_batches_and_delivered(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let count = 1000;
    add_many_members(&app, count).await;
    let survey_id = open_survey(&app, &app.alpha).await;
    let request = SampleRequest {
        method: Method::Stratified { size: count as usize, by: vec![radslag::domain::sampling::Stratifier::District] },
        seed: 1,
        soft_launch_percent: None,
        release_after_hours: radslag::domain::sampling::DEFAULT_RELEASE_AFTER_HOURS,
    };
    let started = std::time::Instant::now();
    let mut reports = Vec::new();
    let outcome = invitations::send_with_progress(
        &app.db,
        &app.base_url(),
        &app.alpha,
        survey_id,
        &request,
        radslag::services::audit::Actor::System,
        &mut |done, total| reports.push((done, total)),
    )
    .await
    .expect("send");
    let queued_in = started.elapsed();
    assert_eq!(outcome.queued, count as usize);
    let batches = (count as usize).div_ceil(invitations::EMAIL_BATCH);
    assert_eq!(reports.len(), batches, "one progress report per batch: {reports:?}");
    assert_eq!(reports.last(), Some(&(count as usize, count as usize)));
    assert!(reports.windows(2).all(|w| w[0].0 < w[1].0), "progress only grows: {reports:?}");
    for _ in 0..1200 {
        if app.smtp.messages().len() >= count as usize {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let delivered_in = started.elapsed();
    assert_eq!(app.smtp.messages().len(), count as usize, "every invitation reached the relay");
    eprintln!(
        "{backend:?}: {count} invitations queued in {:.2} s, all delivered over SMTP after {:.2} s",
        queued_in.as_secs_f64(),
        delivered_in.as_secs_f64()
    );
}

/// The command line works on a database file of its own (SQLite): it invites
/// with a seed, prints the composition, and marks bounces.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_line_invites_and_marks_bounces() {
    let dir = std::env::temp_dir().join("radslag-tests");
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join(format!("cli-{}.db", &radslag::domain::SecretToken::generate().reveal()[..12]));
    let url = format!("sqlite://{}", file.display());
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_radslag"))
            .args(args)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("RADSLAG_BASE_URL", "http://panel.example.no")
            .env("RADSLAG_SENDER", "panel@example.no")
            .env("RADSLAG_SESSION_KEY", "0123456789abcdef0123456789abcdef")
            .env("RADSLAG_DATABASE_URL", &url)
            .output()
            .expect("run")
    };
    let added = run(&["municipality", "add", "--slug", "vik", "--name", "Vik kommune", "--host", "vik.example.no"]);
    assert!(added.status.success(), "{}", String::from_utf8_lossy(&added.stderr));
    let config = common::test_config(&url, None, 1, 1);
    let db = radslag::db::connect(&config).await.expect("db");
    let vik = radslag::services::municipalities::by_slug(&db, "vik").await.expect("query").expect("vik");
    let app_like = TestApp {
        port: 1,
        db: db.clone(),
        alpha: vik.clone(),
        beta: vik.clone(),
        mail_dir: dir.clone(),
        smtp: common::smtp::SmtpServer::start().await,
        backend: Backend::Sqlite,
    };
    add_members(&app_like, &vik, "c", 9).await;
    let survey_id = open_survey(&app_like, &vik).await.to_string();

    let dry = run(&["invite", &survey_id, "--municipality", "vik", "--sample", "4", "--seed", "11", "--dry-run"]);
    let text = String::from_utf8_lossy(&dry.stdout);
    assert!(dry.status.success(), "{}", String::from_utf8_lossy(&dry.stderr));
    assert!(text.contains("Drew 4 of 9 eligible members (method simple, seed 11)."), "{text}");
    assert!(text.contains("district") && text.contains("Dry run"), "{text}");
    assert!(invitations_of(&app_like, survey_id.parse().expect("id")).await.is_empty());

    let sent =
        run(&["invite", &survey_id, "--municipality", "vik", "--sample", "4", "--seed", "11", "--soft-launch", "50%"]);
    let text = String::from_utf8_lossy(&sent.stdout);
    assert!(sent.status.success(), "{}", String::from_utf8_lossy(&sent.stderr));
    assert!(text.contains("Invited 4 members (sample 1); 2 emails queued now, the rest on release."), "{text}");
    assert_eq!(outbox_rows(&app_like).await.len(), 2);

    let twice = run(&["invite", &survey_id, "--municipality", "vik", "--sample", "4", "--seed", "11"]);
    assert!(!twice.status.success(), "the same sample is not sent twice");
    assert!(String::from_utf8_lossy(&twice.stderr).contains("was sent already"));

    let bounced = run(&["bounce", "C0@example.no", "--municipality", "vik"]);
    assert!(bounced.status.success(), "{}", String::from_utf8_lossy(&bounced.stderr));
    let member = member::Entity::find().filter(member::Column::Email.eq("c0@example.no")).one(&db).await.expect("q");
    assert!(member.expect("member").email_invalid);
    let unknown = run(&["bounce", "nobody@example.no", "--municipality", "vik"]);
    assert!(!unknown.status.success());
}

/// `radslag invite` with `--stratify district,gender` draws one member from
/// each stratum in proportion, and `--all` invites every eligible member.
#[tokio::test]
async fn the_command_line_invites_stratified_samples_and_everyone() {
    let dir = std::env::temp_dir().join("radslag-tests");
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join(format!("cli-{}.db", &radslag::domain::SecretToken::generate().reveal()[..12]));
    let url = format!("sqlite://{}", file.display());
    let run = |args: &[&str]| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_radslag"))
            .args(args)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("RADSLAG_BASE_URL", "http://panel.example.no")
            .env("RADSLAG_SENDER", "panel@example.no")
            .env("RADSLAG_SESSION_KEY", "0123456789abcdef0123456789abcdef")
            .env("RADSLAG_DATABASE_URL", &url)
            .output()
            .expect("run");
        assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    run(&["municipality", "add", "--slug", "vik", "--name", "Vik kommune", "--host", "vik.example.no"]);
    let config = common::test_config(&url, None, 1, 1);
    let db = radslag::db::connect(&config).await.expect("db");
    let vik = radslag::services::municipalities::by_slug(&db, "vik").await.expect("query").expect("vik");
    let app_like = TestApp {
        port: 1,
        db: db.clone(),
        alpha: vik.clone(),
        beta: vik.clone(),
        mail_dir: dir.clone(),
        smtp: common::smtp::SmtpServer::start().await,
        backend: Backend::Sqlite,
    };
    // Twelve members: each of the 3 districts × 2 genders holds two.
    let members = add_members(&app_like, &vik, "s", 12).await;
    let stratified_survey = open_survey(&app_like, &vik).await;
    let everyone_survey = open_survey(&app_like, &vik).await;

    let id = stratified_survey.to_string();
    let text =
        run(&["invite", &id, "--municipality", "vik", "--stratify", "district,gender", "--sample", "6", "--seed", "3"]);
    assert!(text.contains("Drew 6 of 12 eligible members (method stratified, seed 3)."), "{text}");
    assert!(text.contains("Invited 6 members"), "{text}");
    let invited: HashSet<i32> =
        invitations_of(&app_like, stratified_survey).await.iter().filter_map(|i| i.member_id).collect();
    assert_eq!(invited.len(), 6);
    let strata: HashSet<(String, String)> =
        members.iter().filter(|m| invited.contains(&m.id)).map(|m| (m.district.clone(), m.gender.clone())).collect();
    assert_eq!(strata.len(), 6, "one member from each district and gender: {strata:?}");
    let recorded = sample::Entity::find()
        .filter(sample::Column::SurveyId.eq(stratified_survey))
        .one(&db)
        .await
        .expect("query")
        .expect("sample row");
    assert_eq!(
        (recorded.method.as_str(), recorded.strata.as_str(), recorded.seed),
        ("stratified", "district,gender", 3)
    );

    let id = everyone_survey.to_string();
    let text = run(&["invite", &id, "--municipality", "vik", "--all"]);
    // Everyone not invited a moment ago; those just invited rest for now.
    assert!(text.contains("Drew 6 of 6 eligible members (method all"), "{text}");
    assert!(text.contains("left out, too-recent: 6") && text.contains("Invited 6 members"), "{text}");
    let everyone: HashSet<i32> =
        invitations_of(&app_like, everyone_survey).await.iter().filter_map(|i| i.member_id).collect();
    assert!(everyone.is_disjoint(&invited), "{everyone:?} {invited:?}");
    assert_eq!(everyone.len() + invited.len(), members.len());
}

async fn invitations_are_written_in_the_members_language(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let english =
        insert_member(&app, &app.alpha, MemberSpec { language: "en", ..MemberSpec::new("en@example.no") }).await;
    // Alpha offers Norwegian Bokmål and English, not Swedish.
    let swedish =
        insert_member(&app, &app.alpha, MemberSpec { language: "sv", ..MemberSpec::new("sv@example.no") }).await;
    let survey_id = open_survey(&app, &app.alpha).await;
    let client = editor(&app, ALPHA, &app.alpha).await;
    let response = send_sample(&app, &client, survey_id, &[("method", "all")]).await;
    assert_eq!(response.status(), 303);

    let mail = app.smtp.wait_for(&english.email, 1).await.remove(0);
    assert_eq!(mail.subject(), "Have your say: The park in the centre");
    let (text, html) = (mail.text(), mail.html());
    for expected in [
        "The park in the centre",
        "We are redesigning the park.",
        "Which activities the park makes room for.",
        "It takes about 1 minutes.",
        "You can answer until 2999-12-31.",
        "Pause or leave the panel",
    ] {
        assert!(text.contains(expected), "text lacks {expected}:\n{text}");
        assert!(html.contains(expected), "HTML lacks {expected}:\n{html}");
    }
    for norwegian in ["Parken i sentrum", "Vi planlegger parken på nytt.", "Du kan svare"] {
        assert!(!text.contains(norwegian) && !html.contains(norwegian), "{norwegian} in the English email");
    }
    let link = mail.link_containing("/s/");
    assert!(link.starts_with(&format!("http://{ALPHA}:{}/s/", app.port)), "{link}");
    assert!(text.contains(&link) && html.contains(&link));
    let token = link.rsplit('/').next().expect("token");
    let row = invitations_of(&app, survey_id).await.into_iter().find(|r| r.member_id == Some(english.id));
    assert_eq!(row.expect("invitation").token_hash, radslag::domain::token::hash_token_text(token));

    let mail = app.smtp.wait_for(&swedish.email, 1).await.remove(0);
    assert_eq!(mail.subject(), "Si din mening: Parken i sentrum", "the municipality's default language");
    assert!(mail.text().contains("Vi planlegger parken på nytt.") && mail.html().contains("Du kan svare til og med"));
    assert!(!mail.text().contains("Have your say"));
}
