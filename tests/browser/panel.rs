//! Browser journeys through the panel pages: joining with a form error,
//! confirming, "my page", unsubscribing and leaving on a phone; the staff
//! overview, member list and import on a desktop.

use radslag::domain::Role;
use radslag::entities::member;
use radslag::services::panel;
use sea_orm::EntityTrait;

use crate::common::{ALPHA, Backend, PASSWORD, TestApp, spawn_app};
use crate::harness::{Audience, Browser};

/// The path of the newest emailed link to `address` containing `fragment`.
pub async fn emailed_path(app: &TestApp, address: &str, fragment: &str) -> String {
    let mails = app.sent_emails_to(address).await;
    let mail = mails.last().expect("an email");
    let link = mail.text_body.split_whitespace().find(|w| w.contains(fragment)).expect("link").to_owned();
    let url = url::Url::parse(&link).expect("url");
    url.path().to_owned()
}

/// A resident joins on a phone, fixes a mistake, confirms, uses "my page",
/// sees the unsubscribe page and leaves.
pub async fn resident_joins_uses_my_page_and_leaves() {
    let Some(app) = spawn_app(Backend::Sqlite).await else { return };
    let Some(mut browser) = Browser::start(&app, "panel-resident", Audience::Public).await else { return };

    browser.goto(ALPHA, "/").await;
    browser.click_link("Bli med i panelet").await;
    assert_eq!(browser.path().await, "/panel/join");
    browser.check_page("join").await;

    browser.type_into("E-postadresse", "kari@example").await;
    browser.type_into("Fødselsår", "2020").await;
    browser.submit("Bli med").await;
    browser.check_page("join-invalid").await;
    let messages = browser.check_error_summary().await;
    assert!(messages.len() >= 4, "{messages:?}");
    assert!(messages.iter().any(|m| m.contains("minst 16 år")), "{messages:?}");

    browser.type_into("E-postadresse", "kari@example.no").await;
    browser.type_into("Fødselsår", "1980").await;
    browser.field("Kvinne").await.click().await.expect("choose gender");
    browser.script("document.getElementById('field-district').value = 'nord'").await;
    browser.field("Jeg har lest dette og vil være med i innbyggerpanelet").await.click().await.expect("consent");
    browser.submit("Bli med").await;
    assert_eq!(browser.heading().await, "Sjekk e-posten din");
    browser.check_page("check-email").await;

    let confirm = emailed_path(&app, "kari@example.no", "/panel/confirm/").await;
    browser.goto(ALPHA, &confirm).await;
    assert_eq!(browser.heading().await, "Bekreft medlemskapet", "the link alone confirms nothing");
    browser.check_page("confirm-link").await;
    browser.submit("Bekreft medlemskapet").await;
    assert_eq!(browser.heading().await, "Velkommen i innbyggerpanelet");
    browser.check_page("confirmed").await;

    browser.click_link("Gå til Min side").await;
    browser.check_page("sign-in").await;
    browser.type_into("E-postadresse", "kari@example.no").await;
    browser.submit("Send meg en lenke").await;
    let sign_in = emailed_path(&app, "kari@example.no", "/panel/sign-in/").await;
    browser.goto(ALPHA, &sign_in).await;
    browser.check_page("sign-in-link").await;
    browser.submit("Gå til Min side").await;
    assert_eq!(browser.path().await, "/panel/me");
    browser.check_page("my-page").await;

    browser.submit("Ta pause").await;
    browser.check_page("my-page-pause-invalid").await;
    assert_eq!(browser.check_error_summary().await.len(), 1);

    let kari = member::Entity::find().one(&app.db).await.expect("query").expect("member");
    let unsubscribe = panel::unsubscribe_url(&app.db, &app.alpha, &app.base_url(), kari.id).await.expect("link");
    let unsubscribe = url::Url::parse(&unsubscribe).expect("url").path().to_owned();
    browser.goto(ALPHA, &unsubscribe).await;
    browser.check_page("unsubscribe").await;

    browser.goto(ALPHA, "/panel/me").await;
    browser.click_link("Meld meg ut av panelet").await;
    browser.check_page("leave").await;
    browser.submit("Ja, meld meg ut").await;
    assert_eq!(browser.heading().await, "Du er meldt ut");
    browser.check_page("left").await;
    assert!(member::Entity::find().one(&app.db).await.expect("query").is_none());
    browser.finish().await;
}

/// An admin looks at the overview and the member list, and imports a file
/// with a bad row.
pub async fn staff_overview_members_and_import() {
    let Some(app) = spawn_app(Backend::Sqlite).await else { return };
    app.add_staff(Some(&app.alpha), "kari@alpha.test", Role::Admin).await;
    let Some(mut browser) = Browser::start(&app, "panel-staff", Audience::Staff).await else { return };
    browser.goto(ALPHA, "/staff/sign-in").await;
    browser.type_into("E-postadresse", "kari@alpha.test").await;
    browser.type_into("Passord", PASSWORD).await;
    browser.submit("Logg inn").await;

    browser.click_link("Innbyggerpanelet").await;
    assert_eq!(browser.path().await, "/staff/panel");
    browser.check_page("overview").await;

    let csv = std::env::temp_dir().join("radslag-tests").join("panel-import.csv");
    std::fs::create_dir_all(csv.parent().expect("dir")).expect("dir");
    std::fs::write(&csv, "email,birth_year,gender,district,language,source\nanne@example.no,1950,female,sentrum,nb,register\nbad,1950,female,moon,nb,self\n")
        .expect("csv");
    browser.click_link("Importer medlemmer").await;
    browser.check_page("import").await;
    browser.choose_file("CSV-fil", &csv).await;
    browser.submit("Importer").await;
    browser.check_page("import-invalid").await;
    let messages = browser.check_error_summary().await;
    assert_eq!(messages.len(), 2, "{messages:?}");
    assert!(messages[0].starts_with("Linje 3 (email)"), "{messages:?}");

    browser.choose_file("CSV-fil", &csv).await;
    browser.field("Importer de gyldige radene selv om noen har feil").await.click().await.expect("tick");
    browser.submit("Importer").await;
    assert!(browser.text().await.contains("1 medlemmer er importert"));
    browser.check_page("import-skipped").await;

    browser.goto(ALPHA, "/staff/panel/members").await;
    assert!(browser.text().await.contains("anne@example.no"));
    browser.check_page("members").await;
    browser.finish().await;
}
