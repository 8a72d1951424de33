//! The invitations pages in a real browser: the sample form, the preview
//! with its composition tables, sending, and the error summary.

use radslag::domain::Role;
use sea_orm::{ActiveModelTrait, Set};

use crate::common::{ALPHA, Backend, PASSWORD, spawn_app};
use crate::harness::{Audience, Browser};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn editor_previews_and_sends_invitations() {
    let Some(app) = spawn_app(Backend::Sqlite).await else { return };
    app.add_staff(Some(&app.alpha), "eva@alpha.test", Role::Editor).await;
    for i in 0..12 {
        radslag::entities::member::ActiveModel {
            municipality_id: Set(app.alpha.id),
            email: Set(format!("m{i}@example.no")),
            birth_year: Set(1950 + i * 5),
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
        }
        .insert(&app.db)
        .await
        .expect("member");
    }
    let definition = r#"{"languages": ["nb"], "title": {"nb": "Parken"}, "sections": [{"key": "s1",
        "title": {"nb": "Parken"}, "questions": [{"key": "q1", "type": "rating", "text": {"nb": "Hvor fornøyd?"}}]}]}"#;
    let survey = radslag::entities::survey::ActiveModel {
        municipality_id: Set(app.alpha.id),
        status: Set("open".into()),
        kind: Set("panel".into()),
        definition: Set(definition.into()),
        compass_areas: Set(String::new()),
        reminder_after_days: Set(7),
        max_reminders: Set(2),
        created_at: Set(0),
        updated_at: Set(0),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect("survey");
    let Some(mut browser) = Browser::start(&app, "invitations", Audience::Staff).await else { return };

    browser.goto(ALPHA, "/staff/sign-in").await;
    browser.type_into("E-postadresse", "eva@alpha.test").await;
    browser.type_into("Passord", PASSWORD).await;
    browser.submit("Logg inn").await;
    let page = format!("/staff/surveys/{}/invitations", survey.id);
    browser.goto(ALPHA, &page).await;
    assert_eq!(browser.heading().await, "Invitasjoner: Parken");
    browser.check_page("form").await;

    // Stratified without strata, and a share out of range.
    browser.field("Stratifisert utvalg").await.click().await.expect("choose stratified");
    browser.type_into("Antall medlemmer", "6").await;
    browser.type_into("Myk start (prosent)", "150").await;
    browser.submit("Vis utvalget").await;
    browser.check_page("invalid").await;
    assert_eq!(
        browser.check_error_summary().await,
        ["Velg minst én ting å stratifisere etter.", "Skriv en prosent fra 1 til 99, eller la feltet stå tomt."]
    );

    browser.goto(ALPHA, &page).await;
    browser.type_into("Antall medlemmer", "6").await;
    browser.type_into("Myk start (prosent)", "50").await;
    browser.submit("Vis utvalget").await;
    assert!(browser.text().await.contains("6 av 12 medlemmer som kan inviteres er trukket ut"));
    browser.check_page("preview").await;

    browser.submit("Send 6 invitasjoner").await;
    assert!(browser.text().await.contains("6 medlemmer er invitert; 3 e-poster er lagt i køen."));
    browser.check_page("sent").await;
    browser.finish().await;
}
