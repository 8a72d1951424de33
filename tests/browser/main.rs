//! Journeys in a real browser (headless Chromium): every page visited is
//! checked with axe-core against WCAG 2.0–2.2 A/AA, screenshotted, and —
//! for public pages — checked for reflow at 320 px and at 200 % text.
//! Staff sign-in is done with the keyboard alone, and public pages are also
//! used with JavaScript switched off. SQLite only: the browser checks the
//! HTML, which does not depend on the database.

#[path = "../common/mod.rs"]
mod common;
mod harness;

use common::{ALPHA, BETA, Backend, PASSWORD, spawn_app};
use fantoccini::key::Key;
use harness::{Audience, Browser, JavaScript};
use radslag::domain::Role;

macro_rules! browser_tests {
    ($($name:ident),* $(,)?) => {
        $(#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $name() {
            journeys::$name().await
        })*
    };
}

browser_tests!(
    the_checks_catch_broken_pages,
    front_page_in_every_language,
    unknown_page_says_not_found,
    staff_sign_in_with_the_keyboard_only,
    admin_settings_errors_and_audit_log,
    operator_municipalities_page,
    public_pages_work_without_javascript,
);

mod journeys {
    use super::*;

    /// The harness's own checks fail on a page built to break them, so a
    /// clean run means something.
    pub async fn the_checks_catch_broken_pages() {
        let Some(app) = spawn_app(Backend::Sqlite).await else { return };
        let Some(mut browser) = Browser::start(&app, "self-test", Audience::Public).await else { return };
        browser
            .goto_url(
                "data:text/html,<title>broken</title><p>Name <input name=n></p><img src=data:,>\
                 <a href=/x style='outline:none;box-shadow:none'>no focus ring</a>\
                 <div style='width:30rem'>too wide</div>",
            )
            .await;
        let report = browser.axe_report("broken").await.expect("axe reports the broken page");
        for rule in ["html-has-lang", "image-alt", "label"] {
            assert!(report.contains(&format!("[{rule}]")), "axe should report {rule}:\n{report}");
        }
        assert!(report.contains("https://dequeuniversity.com/rules/axe/"), "help links are listed:\n{report}");
        assert_eq!(browser.reflow_problems("broken").await.len(), 2, "the 30rem box fits neither width");

        let link = browser.find_css("a").await;
        browser.script("document.querySelector('input').focus()").await;
        browser.press(Key::Tab).await;
        assert!(!browser.focus_is_visible(&link).await, "a link with its focus ring removed is caught");
        browser.finish().await;
    }

    /// Alpha (nb, en) via its language switcher links, and Beta (sv, en).
    pub async fn front_page_in_every_language() {
        let Some(app) = spawn_app(Backend::Sqlite).await else { return };
        let Some(mut browser) = Browser::start(&app, "front-page", Audience::Public).await else { return };

        browser.goto(ALPHA, "/").await;
        assert_eq!(browser.lang().await, "nb");
        assert_eq!(browser.heading().await, "Innbyggerpanelet i Alpha kommune");
        browser.check_page("alpha-nb").await;

        browser.click_link("English").await;
        assert_eq!(browser.lang().await, "en");
        assert!(browser.heading().await.contains("Alpha kommune"));
        assert_ne!(browser.heading().await, "Innbyggerpanelet i Alpha kommune");
        browser.check_page("alpha-en").await;

        browser.click_link("Norsk bokmål").await;
        assert_eq!(browser.lang().await, "nb");
        browser.check_page("alpha-nb-again").await;

        browser.goto(BETA, "/").await;
        assert_eq!(browser.lang().await, "sv");
        assert_eq!(browser.heading().await, "Medborgarpanelen i Beta kommun");
        browser.check_page("beta-sv").await;

        browser.click_link("English").await;
        assert_eq!(browser.lang().await, "en");
        browser.check_page("beta-en").await;
        browser.finish().await;
    }

    pub async fn unknown_page_says_not_found() {
        let Some(app) = spawn_app(Backend::Sqlite).await else { return };
        let Some(mut browser) = Browser::start(&app, "not-found", Audience::Public).await else { return };
        browser.goto(ALPHA, "/no-such-page").await;
        assert_eq!(browser.heading().await, "Fant ikke siden");
        browser.check_page("public").await;

        browser.click_link("English").await;
        assert_eq!(browser.lang().await, "en");
        browser.check_page("public-en").await;
        browser.finish().await;
    }

    /// Tab to each field, type, press Enter: first a wrong password (the
    /// error is shown in an alert), then the right one.
    pub async fn staff_sign_in_with_the_keyboard_only() {
        let Some(app) = spawn_app(Backend::Sqlite).await else { return };
        app.add_staff(Some(&app.alpha), "kari@alpha.test", Role::Admin).await;
        let Some(mut browser) = Browser::start(&app, "keyboard-sign-in", Audience::Staff).await else { return };

        browser.goto(ALPHA, "/staff").await;
        assert_eq!(browser.path().await, "/staff/sign-in?next=%2Fstaff");
        assert_eq!(browser.heading().await, "Logg inn");
        browser.check_page("sign-in").await;

        browser.tab_to("E-postadresse").await;
        browser.type_text("kari@alpha.test").await;
        browser.tab_to("Passord").await;
        browser.type_text("not the password").await;
        browser.press_enter().await;

        assert_eq!(browser.path().await, "/staff/sign-in");
        let alert = browser.find_css("[role=alert]").await;
        assert_eq!(alert.text().await.expect("alert text").trim(), "Feil e-postadresse eller passord.");
        let email = browser.field("E-postadresse").await;
        assert_eq!(email.prop("value").await.expect("value").as_deref(), Some("kari@alpha.test"));
        browser.check_page("wrong-password").await;

        browser.tab_to("Passord").await;
        browser.type_text(PASSWORD).await;
        browser.press_enter().await;

        assert_eq!(browser.path().await, "/staff");
        assert_eq!(browser.heading().await, "Oversikt");
        assert!(browser.text().await.contains("Velkommen, kari@alpha.test"));
        browser.check_page("dashboard").await;
        browser.finish().await;
    }

    /// Dashboard, settings with an invalid value (error summary linking to
    /// the field), and the audit log.
    pub async fn admin_settings_errors_and_audit_log() {
        let Some(app) = spawn_app(Backend::Sqlite).await else { return };
        app.add_staff(Some(&app.alpha), "kari@alpha.test", Role::Admin).await;
        let Some(mut browser) = Browser::start(&app, "admin", Audience::Staff).await else { return };

        browser.goto(ALPHA, "/staff/sign-in").await;
        browser.type_into("E-postadresse", "kari@alpha.test").await;
        browser.type_into("Passord", PASSWORD).await;
        browser.submit("Logg inn").await;
        assert_eq!(browser.heading().await, "Oversikt");
        browser.check_page("dashboard").await;

        browser.click_link("Innstillinger").await;
        assert_eq!(browser.path().await, "/staff/settings");
        browser.check_page("settings").await;

        browser.type_into("Minste gruppe som vises i resultater", "0").await;
        // The browser's own range checks do not apply to this field, so the
        // server's message is what the person sees.
        browser.submit("Lagre").await;
        assert_eq!(browser.path().await, "/staff/settings");
        browser.check_page("settings-invalid").await;

        let messages = browser.check_error_summary().await;
        assert_eq!(messages, ["Skriv et helt tall fra 3 til 100."]);
        let summary = browser.find_css("#error-summary").await.text().await.expect("text");
        assert!(summary.contains("Rett opp dette før du går videre:"), "{summary}");
        let field = browser.field("Minste gruppe som vises i resultater").await;
        assert_eq!(field.prop("value").await.expect("value").as_deref(), Some("0"), "the typed value is kept");

        // The same by keyboard: Tab to the summary's link, Enter, and the
        // field has focus.
        browser.goto(ALPHA, "/staff/settings").await;
        browser.type_into("Minste gruppe som vises i resultater", "0").await;
        browser.submit("Lagre").await;
        browser.tab_to_text("Skriv et helt tall fra 3 til 100.").await;
        browser.press_enter_in_page().await;
        let focused = browser.client().active_element().await.expect("focus");
        assert_eq!(focused.attr("id").await.expect("id").as_deref(), Some("field-suppression-threshold"));

        // Problems with the district list and the language choice.
        browser.goto(ALPHA, "/staff/settings").await;
        browser.type_into("Bydeler, én per linje", "sentrum;Sentrum\nbad line").await;
        browser.submit_form_of("Bydeler, én per linje").await;
        browser.check_page("settings-districts-invalid").await;
        assert_eq!(browser.check_error_summary().await.len(), 1);

        browser.goto(ALPHA, "/staff/settings").await;
        for language in ["Norsk bokmål", "English"] {
            browser.field(language).await.click().await.expect("untick");
        }
        browser.submit("Lagre").await;
        browser.check_page("settings-languages-invalid").await;
        assert!(!browser.check_error_summary().await.is_empty());

        // A margins file with a bad row: the line is named in Norwegian.
        let csv = std::env::temp_dir().join("radslag-tests").join("bad-margins.csv");
        std::fs::write(&csv, "district,age_band,gender,population\nsentrum,16-24,female,100\nmoon,16-24,male,5\n")
            .expect("csv");
        browser.goto(ALPHA, "/staff/settings").await;
        browser.choose_file("CSV-fil med befolkningstall", &csv).await;
        browser.submit("Last opp").await;
        browser.check_page("settings-margins-invalid").await;
        assert_eq!(browser.check_error_summary().await, ["Linje 3: «moon» er ikke en bydelskode i kommunen."]);

        // Good margins, so the table is shown too.
        std::fs::write(&csv, "district,age_band,gender,population\nsentrum,16-24,female,100\nnord,16-24,male,5\n")
            .expect("csv");
        browser.goto(ALPHA, "/staff/settings").await;
        browser.choose_file("CSV-fil med befolkningstall", &csv).await;
        browser.submit("Last opp").await;
        assert!(browser.text().await.contains("Befolkningstallene er lastet opp."));
        browser.check_page("settings-saved").await;

        browser.click_link("Revisjonslogg").await;
        assert_eq!(browser.path().await, "/staff/audit");
        assert!(browser.text().await.contains("staff.create"), "the account's creation is logged");
        browser.check_page("audit").await;
        browser.finish().await;
    }

    /// The host operator signs in at Beta (Swedish) and lands on the list of
    /// municipalities; an incomplete add form shows its error summary.
    pub async fn operator_municipalities_page() {
        let Some(app) = spawn_app(Backend::Sqlite).await else { return };
        app.add_staff(None, "ops@host.test", Role::Operator).await;
        let Some(mut browser) = Browser::start(&app, "operator", Audience::Staff).await else { return };

        browser.goto(BETA, "/staff/sign-in").await;
        assert_eq!(browser.lang().await, "sv");
        browser.check_page("sign-in").await;
        browser.type_into("E-postadress", "ops@host.test").await;
        browser.type_into("Lösenord", PASSWORD).await;
        browser.submit("Logga in").await;
        assert_eq!(browser.path().await, "/staff/municipalities");
        assert_eq!(browser.heading().await, "Kommuner");
        assert!(browser.text().await.contains("Alpha kommune"));
        browser.check_page("municipalities").await;

        browser.type_into("Namn", "Gamma").await;
        browser.type_into("Kortnamn", "gamma").await;
        browser.type_into("Adresser", "alpha.test").await;
        browser.submit("Lägg till").await;
        assert!(browser.find_css("#error-summary").await.text().await.expect("text").contains("används redan"));
        browser.check_page("municipalities-invalid").await;
        browser.check_error_summary().await;
        browser.finish().await;
    }

    /// With JavaScript blocked, the language links and the sign-in form
    /// still work.
    pub async fn public_pages_work_without_javascript() {
        let Some(app) = spawn_app(Backend::Sqlite).await else { return };
        app.add_staff(Some(&app.alpha), "kari@alpha.test", Role::Admin).await;
        let Some(mut browser) = Browser::start_with(&app, "no-js", Audience::Public, JavaScript::Off).await else {
            return;
        };

        // Prove scripts are really off: this page would retitle itself.
        browser.goto_url("data:text/html,<title>static</title><script>document.title='scripted'</script>").await;
        assert_eq!(browser.client().title().await.expect("title"), "static", "JavaScript is not switched off");

        browser.goto(ALPHA, "/").await;
        assert_eq!(browser.lang().await, "nb");
        browser.screenshot("front-nb").await;
        browser.click_link("English").await;
        assert_eq!(browser.lang().await, "en");
        assert_eq!(browser.path().await, "/?lang=en");
        browser.screenshot("front-en").await;
        browser.click_link("Norsk bokmål").await;
        assert_eq!(browser.lang().await, "nb");

        browser.click_link("Innlogging for ansatte").await;
        assert!(browser.path().await.starts_with("/staff/sign-in"));
        browser.screenshot("sign-in").await;
        browser.type_into("E-postadresse", "kari@alpha.test").await;
        browser.type_into("Passord", PASSWORD).await;
        browser.submit("Logg inn").await;
        assert_eq!(browser.path().await, "/staff");
        assert_eq!(browser.heading().await, "Oversikt");
        browser.screenshot("dashboard").await;
        browser.finish().await;
    }
}
