//! The whole life of a survey at a desktop, as staff do it, with the
//! residents' part on a phone: an admin builds a survey in the builder
//! (three question types, a skip rule, the metadata and the English
//! translation) and sends it for approval, which emails the other admin;
//! her own approval is refused; the second admin follows the email,
//! approves and opens it and invites a random sample of the panel; members
//! answer (one in the browser, the others over HTTP); the survey is closed,
//! free text is moderated, feedback written and the results published; the
//! public results page and both compass pages are looked at; and the
//! resident who answered follows the thank-you page and the feedback email
//! to the published results.

use radslag::domain::Role;
use radslag::entities::{invitation, member};
use radslag::services::surveys;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::common::fixtures::{add_member, answer_page};
use crate::common::{ALPHA, Backend, PASSWORD, TestApp, spawn_app};
use crate::harness::{Audience, Browser};
use crate::panel::emailed_path;

/// Sign in at Alpha's staff pages, from wherever the browser is.
async fn sign_in(browser: &mut Browser, email: &str) {
    browser.goto(ALPHA, "/staff/sign-in").await;
    browser.type_into("E-postadresse", email).await;
    browser.type_into("Passord", PASSWORD).await;
    browser.submit("Logg inn").await;
    assert_eq!(browser.heading().await, "Oversikt");
}

/// The text of the survey's status on its staff page.
async fn status(browser: &Browser) -> String {
    browser.find_css("#survey-status").await.text().await.expect("status")
}

/// Fill the texts of one field of the builder in both survey languages.
async fn both(browser: &Browser, id: &str, nb: &str, en: &str) {
    browser.type_into_id(&format!("{id}-nb"), nb).await;
    browser.type_into_id(&format!("{id}-en"), en).await;
}

/// The first admin builds the survey in the builder; returns its id.
async fn build_survey(browser: &mut Browser) -> i32 {
    browser.click_link("Spørreundersøkelser").await;
    assert_eq!(browser.path().await, "/staff/surveys");
    browser.check_page("surveys").await;
    browser.type_into("Tittel", "Badeplassen").await;
    browser.choose("English").await;
    browser.submit("Opprett utkast").await;
    let path = browser.path().await;
    let id: i32 = path.trim_start_matches("/staff/surveys/").parse().unwrap_or_else(|_| panic!("builder at {path}"));
    assert_eq!(browser.heading().await, "Badeplassen");
    assert_eq!(status(browser).await, "Utkast");
    browser.check_page("builder-new").await;

    // What can be influenced, who decides and when, in both languages.
    both(browser, "field-title", "Badeplassen", "The bathing place").await;
    both(browser, "field-purpose", "Kommunen skal pusse opp badeplassen.", "The bathing place is to be renovated.")
        .await;
    both(browser, "field-influence", "Hva som gjøres først.", "What is done first.").await;
    both(browser, "field-decided-by", "Kommunestyret", "The municipal council").await;
    both(browser, "field-decision-when", "Mai 2027", "May 2027").await;
    both(browser, "field-results-when", "April 2027", "April 2027").await;
    let closes_on = surveys::today() + time::Duration::days(30);
    browser.type_into_id("field-closes-on", &closes_on.to_string()).await;
    browser.select_by_id("field-ladder-step", "Konsultasjon").await;
    browser.submit_form_of_id("field-purpose-nb").await;
    assert!(browser.text().await.contains("Endringen er lagret."));
    browser.check_page("builder-meta-saved").await;

    // The free-text question every new survey starts with, reworded.
    both(
        browser,
        "field-sections-0--questions-0--text",
        "Hva ønsker du deg ved badeplassen?",
        "What would you like at the bathing place?",
    )
    .await;
    browser.submit_form_of_id("field-sections-0--questions-0--text-nb").await;

    // A single choice on the first page.
    browser.select_by_id("field-sections-0--new-type", "Ett valg").await;
    both(browser, "field-sections-0--new-text", "Bader du her om sommeren?", "Do you bathe here in summer?").await;
    both(browser, "field-sections-0--new-options", "Ja\nNei", "Yes\nNo").await;
    browser.submit_form_of_id("field-sections-0--new-type").await;
    assert!(browser.text().await.contains("Spørsmål 2 (Ett valg, nøkkel q2)"));

    // A second page with a rating, tied to compass area 2.
    browser.select_by_id("field-new-section-type", "Vurdering 0–10").await;
    both(browser, "field-new-section-title", "Vurdering", "Rating").await;
    both(browser, "field-new-section-text", "Hvor fornøyd er du med badeplassen?", "How satisfied are you with it?")
        .await;
    browser.submit_form_of_id("field-new-section-type").await;
    let rating = "field-sections-1--questions-0-";
    both(browser, &format!("{rating}-low-label"), "Svært misfornøyd", "Very dissatisfied").await;
    both(browser, &format!("{rating}-high-label"), "Svært fornøyd", "Very satisfied").await;
    browser.select_by_id(&format!("{rating}-compass-area"), "Område 2").await;
    browser.submit_form_of_id(&format!("{rating}-compass-area")).await;

    // The skip rule: the rating only for those who bathe there.
    browser.select_by_id(&format!("{rating}-show-if-question-0"), "q2 – Bader du her om sommeren?").await;
    browser.select_by_id(&format!("{rating}-show-if-op-0"), "er lik").await;
    browser.type_into_id(&format!("{rating}-show-if-values-0"), "ja").await;
    browser.submit_form_of_id(&format!("{rating}-show-if-values-0")).await;
    assert!(browser.text().await.contains("Endringen er lagret."));
    let text = browser.text().await;
    assert!(text.contains("Spørsmål 1 (Vurdering 0–10, nøkkel q3)"), "{text}");
    assert!(!text.contains("Tekster som mangler oversettelse"), "every text is translated:\n{text}");
    browser.check_page("builder-done").await;
    browser.screenshot_full_page("builder-done").await;
    id
}

/// The email addresses of the members invited to survey `id`, sorted.
async fn invited_emails(app: &TestApp, id: i32) -> Vec<String> {
    let invited: Vec<i32> = invitation::Entity::find()
        .filter(invitation::Column::SurveyId.eq(id))
        .all(&app.db)
        .await
        .expect("invitations")
        .into_iter()
        .filter_map(|i| i.member_id)
        .collect();
    let mut emails: Vec<String> = member::Entity::find()
        .filter(member::Column::Id.is_in(invited))
        .all(&app.db)
        .await
        .expect("members")
        .into_iter()
        .map(|m| m.email)
        .collect();
    emails.sort();
    emails
}

/// Members answer over HTTP: page 1 (free text and "yes"), then the rating.
async fn answer_over_http(app: &TestApp, path: &str, text: &str, rating: &str) {
    let client = app.client();
    let first = answer_page(app, &client, ALPHA, path, &[("q.q1", text), ("q.q2", "ja")], "next").await;
    assert_eq!(first.status(), 303, "page 1 of {path}");
    let second = answer_page(app, &client, ALPHA, path, &[("q.q3", rating)], "submit").await;
    assert_eq!(second.status(), 303, "page 2 of {path}");
}

/// The staff journey, with residents answering and reading the results.
pub async fn survey_from_builder_to_published_results() {
    let Some(app) = spawn_app(Backend::Sqlite).await else { return };
    app.add_staff(Some(&app.alpha), "eva@alpha.test", Role::Admin).await;
    app.add_staff(Some(&app.alpha), "ola@alpha.test", Role::Admin).await;
    for name in ["kari", "per", "anne", "nils", "liv", "tor", "siri", "odd"] {
        add_member(&app, &app.alpha, &format!("{name}@example.no"), "nb").await;
    }
    let Some(mut browser) = Browser::start(&app, "staff-journey", Audience::Staff).await else { return };

    sign_in(&mut browser, "eva@alpha.test").await;
    browser.check_page("dashboard").await;
    let id = build_survey(&mut browser).await;

    // The author sends it for approval; the other admin is told by email.
    browser.submit("Send til godkjenning").await;
    assert_eq!(browser.path().await, format!("/staff/surveys/{id}?requested=1"));
    let requested = browser.find_css("#approval-requested").await.text().await.expect("requested");
    assert!(requested.contains("Sendt"), "{requested}");
    browser.check_page("sent-for-approval").await;
    let told = app.sent_emails_to("ola@alpha.test").await;
    assert!(told.iter().any(|m| m.kind == "approval_request"), "the other admin is told");
    assert!(app.sent_emails_to("eva@alpha.test").await.is_empty(), "the author is not");

    // Approving it herself is refused: a second admin must do it.
    browser.submit("Godkjenn").await;
    assert_eq!(browser.path().await, format!("/staff/surveys/{id}/status/approve"));
    let summary = browser.find_css("#error-summary").await.text().await.expect("summary");
    assert!(summary.contains("Du har laget undersøkelsen selv. En annen administrator må godkjenne den."), "{summary}");
    assert_eq!(status(&browser).await, "Utkast");
    browser.check_page("approve-own-refused").await;
    browser.submit("Logg ut").await;

    // The second admin approves, opens and invites a random sample.
    sign_in(&mut browser, "ola@alpha.test").await;
    browser.goto(ALPHA, &format!("/staff/surveys/{id}")).await;
    browser.submit("Godkjenn").await;
    assert_eq!(status(&browser).await, "Godkjent");
    browser.check_page("approved").await;
    browser.submit("Åpne for svar").await;
    assert_eq!(status(&browser).await, "Åpen");
    browser.check_page("opened").await;
    browser.click_link("Invitasjoner").await;
    assert_eq!(browser.path().await, format!("/staff/surveys/{id}/invitations"));
    browser.check_page("invitations").await;
    browser.choose("Tilfeldig utvalg").await;
    browser.type_into("Antall medlemmer", "6").await;
    browser.submit("Vis utvalget").await;
    assert!(browser.text().await.contains("6 av 8 medlemmer som kan inviteres er trukket ut"));
    browser.check_page("invitations-preview").await;
    browser.submit("Send 6 invitasjoner").await;
    assert!(browser.text().await.contains("6 medlemmer er invitert; 6 e-poster er lagt i køen."));
    browser.check_page("invitations-sent").await;

    // The first member drawn answers on her phone from the emailed link;
    // four others over HTTP.
    let members = invited_emails(&app, id).await;
    assert_eq!(members.len(), 6);
    let mut links = Vec::new();
    for email in &members {
        links.push(emailed_path(&app, email, "/s/").await);
    }
    let mut resident = Browser::start(&app, "staff-journey-resident", Audience::Public).await.expect("browser");
    resident.goto(ALPHA, &links[0]).await;
    assert_eq!(resident.heading().await, "Badeplassen");
    resident.check_page("page-1").await;
    resident.type_into("Hva ønsker du deg ved badeplassen?", "Flere benker og en badebrygge").await;
    resident.choose("Ja").await;
    resident.submit("Neste side").await;
    assert!(resident.text().await.contains("Hvor fornøyd er du med badeplassen?"), "the rule shows the rating");
    resident.check_page("page-2").await;
    resident.choose("8").await;
    resident.submit("Send inn svarene").await;
    assert_eq!(resident.heading().await, "Takk for svarene dine!");
    resident.check_page("thank-you").await;
    resident.finish().await;
    for (path, (text, rating)) in links[1..5].iter().zip([
        ("Ring meg på 912 34 567, så forteller jeg mer", "3"),
        ("Bedre badebrygge", "9"),
        ("Mer sand på stranden", "7"),
        ("Badevakt om sommeren", "6"),
    ]) {
        answer_over_http(&app, path, text, rating).await;
    }

    // Close, then moderate: hide the answer with a phone number, approve
    // one (free text is shown once five people answered the question).
    browser.goto(ALPHA, &format!("/staff/surveys/{id}")).await;
    browser.submit("Lukk undersøkelsen").await;
    assert_eq!(status(&browser).await, "Lukket");
    browser.check_page("closed").await;
    browser.click_link("Moderer fritekst").await;
    assert_eq!(browser.path().await, format!("/staff/surveys/{id}/moderation"));
    browser.check_page("moderation").await;
    browser.submit_in_section_with("Ring meg på 912 34 567, så forteller jeg mer", "Skjul").await;
    browser.check_page("moderation-hidden").await;
    browser.submit_in_section_with("Bedre badebrygge", "Godkjenn").await;
    let text = browser.text().await;
    assert!(text.matches("Status: skjult").count() == 1 && text.matches("Status: godkjent").count() == 1, "{text}");
    browser.check_page("moderation-done").await;

    // The staff results, then feedback in both languages, and publishing.
    browser.goto(ALPHA, &format!("/staff/surveys/{id}")).await;
    browser.click_link("Resultater").await;
    browser.check_page("results").await;
    browser.goto(ALPHA, &format!("/staff/surveys/{id}")).await;
    browser.click_link("Tilbakemelding og publisering").await;
    browser.check_page("feedback").await;
    both(&browser, "field-heard", "Mange ønsker en ny badebrygge.", "Many want a new jetty.").await;
    both(&browser, "field-will-do", "Vi bygger ny badebrygge i 2027.", "We build a new jetty in 2027.").await;
    browser.submit("Lagre tilbakemeldingen").await;
    assert!(browser.text().await.contains("Tilbakemeldingen er lagret."));
    browser.check_page("feedback-saved").await;
    browser.submit("Publiser og send e-post").await;
    assert!(browser.text().await.contains("Resultatene er publisert"));
    browser.check_page("published").await;

    // The public results page, as staff see it at their desk.
    browser.click_link("Se den offentlige resultatsiden").await;
    assert_eq!(browser.path().await, format!("/results/{id}"));
    let text = browser.text().await;
    assert!(text.contains("Vi bygger ny badebrygge i 2027."), "{text}");
    assert!(text.contains("Bedre badebrygge"), "the approved answer is published:\n{text}");
    assert!(!text.contains("912 34 567"), "the hidden answer is not published");
    for unapproved in ["Flere benker", "Mer sand", "Badevakt"] {
        assert!(!text.contains(unapproved), "an answer nobody approved is not published: {unapproved}");
    }
    browser.check_page("public-results").await;

    // The compass, for staff and for the public.
    browser.goto(ALPHA, "/staff").await;
    browser.click_link("Kompasset").await;
    assert_eq!(browser.path().await, "/staff/compass");
    browser.check_page("staff-compass").await;
    browser.goto(ALPHA, "/kompass").await;
    assert_eq!(browser.heading().await, "Kommunekompasset");
    browser.check_page("public-compass").await;
    browser.click_link("Badeplassen").await;
    assert_eq!(browser.path().await, format!("/results/{id}"), "the compass links to the published survey");
    browser.finish().await;

    // The member who answered on her phone: the feedback email and the
    // thank-you page both lead to the published results.
    let mut resident = Browser::start(&app, "staff-journey-results", Audience::Public).await.expect("browser");
    let results = emailed_path(&app, &members[0], "/results/").await;
    assert_eq!(results, format!("/results/{id}"));
    resident.goto(ALPHA, &results).await;
    assert!(resident.text().await.contains("Vi bygger ny badebrygge i 2027."));
    resident.check_page("results-from-email").await;
    resident.goto(ALPHA, &links[0]).await;
    assert_eq!(resident.heading().await, "Takk for svarene dine!");
    resident.check_page("thank-you-again").await;
    resident.click_link("Resultater og tilbakemelding").await;
    assert_eq!(resident.path().await, format!("/results/{id}"));
    resident.check_page("results-from-thank-you").await;
    resident.finish().await;
}
