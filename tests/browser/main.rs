//! Journeys in a real browser (headless Chromium): every page visited is
//! checked with axe-core against WCAG 2.0–2.2 A/AA, screenshotted, and —
//! for public pages — checked for reflow at 320 px and at 200 % text.
//! Staff sign-in is done with the keyboard alone, and public pages are also
//! used with JavaScript switched off. SQLite only: the browser checks the
//! HTML, which does not depend on the database.

#[path = "../common/mod.rs"]
mod common;
mod harness;
mod invitations;
mod panel;
mod staff;
mod surveys;

use common::{ALPHA, BETA, Backend, PASSWORD, spawn_app};
use fantoccini::key::Key;
use harness::{Audience, Browser, JavaScript};
use radslag::domain::Role;
use radslag::services::surveys::SurveyKind;
use serde_json::json;

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
    survey_answered_with_the_keyboard_only,
    survey_resumes_in_a_new_browser,
    matrix_and_ranking_names_roles_and_keyboard,
    survey_answered_without_javascript,
    open_survey_link_and_dead_links,
    staff_preview_and_paper_entry,
    compass_pages_pass_the_checks,
);

mod journeys {
    use super::*;

    /// The harness's own checks fail on a page built to break them, so a
    /// clean run means something.
    pub async fn the_checks_catch_broken_pages() {
        let Some(app) = spawn_app(Backend::Sqlite).await else { return };
        let Some(mut browser) = Browser::start(&app, "self-test", Audience::Public).await else { return };
        // A page of the app left without a check is checked on the way out.
        browser.goto(ALPHA, "/panel/join").await;
        browser.goto(ALPHA, "/").await;
        browser.check_page("front").await;
        let shots: Vec<String> =
            browser.screenshots().iter().filter_map(|f| Some(f.file_name()?.to_str()?.to_owned())).collect();
        assert_eq!(
            shots,
            [
                "self-test-auto-panel-join.png",
                "self-test-auto-panel-join-320px.png",
                "self-test-auto-panel-join-640px-200pct.png",
                "self-test-front.png",
                "self-test-front-320px.png",
                "self-test-front-640px-200pct.png",
            ],
            "the join page was checked when the browser left it, the front page once"
        );
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

    /// A resident answers every question type through their invitation with
    /// the keyboard alone — Tab and Shift+Tab between controls, Space and
    /// the arrow keys in radio groups and checkboxes, the arrow keys in the
    /// ranking's selects, Enter and Space on the buttons — meeting the error
    /// summary and a follow-up question on the way.
    pub async fn survey_answered_with_the_keyboard_only() {
        let Some(app) = spawn_app(Backend::Sqlite).await else { return };
        let (_, path) = surveys::invited(&app).await;
        let Some(mut browser) = Browser::start(&app, "survey-keyboard", Audience::Public).await else { return };

        browser.goto(ALPHA, &path).await;
        assert_eq!(browser.heading().await, "Livet i sentrum");
        assert!(browser.text().await.contains("Side 1 av 3"));
        browser.check_page("page-1").await;

        // Next with the required question unanswered.
        browser.tab_to_text("Neste side").await;
        browser.press_enter().await;
        browser.check_page("page-1-error").await;
        assert_eq!(browser.check_error_summary().await, ["Svar på dette spørsmålet."]);
        let title = browser.client().title().await.expect("title");
        assert!(title.starts_with("Feil: Livet i sentrum"), "the title says there is an error: {title}");
        // The same from the keyboard: back up to the summary's link and follow it.
        browser.shift_tab_to_text("Svar på dette spørsmålet.").await;
        browser.press_enter_in_page().await;
        assert_eq!(browser.focused_id().await, "field-q-mode", "the link leads to the first option");

        // Space picks the focused option; the arrow keys move on to "Bil".
        browser.press(Key::Space).await;
        assert_eq!(browser.checked("q.mode").await, ["walk"]);
        browser.press_in_control(Key::Down).await;
        browser.press_in_control(Key::Down).await;
        assert_eq!(browser.checked("q.mode").await, ["car"]);
        // Tab leaves the group for the first checkbox; Space ticks.
        assert_eq!(browser.press_tab().await.attr("id").await.expect("id").as_deref(), Some("field-q-uses"));
        browser.press(Key::Space).await;
        browser.tab_to("Annet").await;
        browser.press(Key::Space).await;
        assert_eq!(browser.checked("q.uses").await, ["shops", "other"]);
        browser.tab_to("Annet, skriv hva").await;
        browser.type_text("Kino").await;
        browser.tab_to_text("Neste side").await;
        browser.press_space().await;

        // "Bil" brings the parking question onto the same page.
        let text = browser.text().await;
        assert!(text.contains("Svaret ditt førte til flere spørsmål"), "{text}");
        assert!(text.contains("Det er lett å finne parkering."), "{text}");
        assert!(!text.contains("Svar på dette spørsmålet."), "the new question is not an error yet");
        browser.check_page("page-1-follow-up").await;
        browser.screenshot_full_page("page-1-follow-up").await;
        assert_eq!(browser.checked("q.mode").await, ["car"]);
        assert_eq!(browser.checked("q.uses").await, ["shops", "other"]);
        assert_eq!(browser.value_of(&browser.field("Annet, skriv hva").await).await, "Kino");
        browser.tab_to_id("field-q-parking").await;
        for _ in 0..3 {
            browser.press_in_control(Key::Right).await;
        }
        assert_eq!(browser.checked("q.parking").await, ["4"]);
        // Shift+Tab goes back to the chosen option of the question before.
        browser.press_shift_tab().await;
        assert_eq!(browser.focused_id().await, "field-q-mode-2");
        browser.tab_to_text("Neste side").await;
        browser.press_enter().await;

        // Page 2: the Likert matrix, one row at a time, and the rating.
        assert!(browser.text().await.contains("Side 2 av 3"));
        browser.check_page("page-2").await;
        browser.screenshot_full_page("page-2").await;
        browser.tab_to_id("field-q-trust-listens").await;
        browser.press(Key::Space).await;
        browser.press_in_control(Key::Right).await;
        browser.press_in_control(Key::Right).await;
        assert_eq!(browser.checked("q.trust.listens").await, ["3"]);
        assert_eq!(browser.press_tab().await.attr("id").await.expect("id").as_deref(), Some("field-q-trust-informs"));
        // Up from the first option wraps round to the last, "Vet ikke".
        browser.press_in_control(Key::Up).await;
        assert_eq!(browser.checked("q.trust.informs").await, ["_dk"]);
        assert_eq!(browser.press_tab().await.attr("id").await.expect("id").as_deref(), Some("field-q-recommend"));
        browser.press(Key::Space).await;
        for _ in 0..9 {
            browser.press_in_control(Key::Right).await;
        }
        assert_eq!(browser.checked("q.recommend").await, ["9"]);
        browser.tab_to("Hvor mange ganger i måneden er du i sentrum?").await;
        browser.type_text("12").await;
        browser.tab_to_text("Neste side").await;
        browser.press_enter().await;

        // Page 3: the ranking's selects with the arrow keys, then the texts.
        assert!(browser.text().await.contains("Side 3 av 3"));
        browser.check_page("page-3").await;
        for (label, presses) in [("Grøntområder", 1), ("Benker", 3), ("Belysning", 2)] {
            let select = browser.tab_to(label).await;
            for _ in 0..presses {
                browser.press_in_control(Key::Down).await;
            }
            assert_eq!(browser.value_of(&select).await, presses.to_string(), "{label}");
        }
        let benches = browser.press_shift_tab().await;
        assert_eq!(browser.value_of(&benches).await, "3", "Shift+Tab goes back to the previous select");
        browser.tab_to("Foreslå et navn på torget").await;
        browser.type_text("Fjordtorget").await;
        browser.tab_to("Har du andre ideer?").await;
        browser.type_text("Flere benker").await;
        browser.tab_to_text("Send inn svarene").await;
        browser.press_enter().await;

        assert_eq!(browser.heading().await, "Takk for svarene dine!");
        browser.check_page("thank-you").await;
        assert_eq!(
            surveys::stored_answers(&app).await,
            [
                "idea=Flere benker",
                "mode=car",
                "name=Fjordtorget",
                "parking=4",
                "priorities=benches|3",
                "priorities=green|1",
                "priorities=light|2",
                "recommend=9",
                "trust.informs=dk",
                "trust.listens=3",
                "uses=other|Kino",
                "uses=shops",
                "visits=12",
            ]
        );
        browser.finish().await;
    }

    /// Pages 1 and 2 answered in one browser; a fresh browser session (no
    /// cookies, nothing cached) opens the same link on page 3, and going
    /// back shows every saved answer.
    pub async fn survey_resumes_in_a_new_browser() {
        let Some(app) = spawn_app(Backend::Sqlite).await else { return };
        let (_, path) = surveys::invited(&app).await;
        let Some(mut first) = Browser::start(&app, "survey-resume-first", Audience::Public).await else { return };
        first.goto(ALPHA, &path).await;
        first.choose("Buss").await;
        first.choose("Bibliotek").await;
        first.submit("Neste side").await;
        first.choose_in("Kommunen lytter", "Nøytral").await;
        first.choose_in("Kommunen informerer", "Enig").await;
        first.choose("7").await;
        first.type_into("Hvor mange ganger i måneden er du i sentrum?", "4").await;
        first.submit("Neste side").await;
        assert!(first.text().await.contains("Side 3 av 3"));
        first.finish().await;

        let Some(mut second) = Browser::start(&app, "survey-resume", Audience::Public).await else { return };
        second.goto(ALPHA, &path).await;
        assert!(second.text().await.contains("Side 3 av 3"), "the link opens where the member left off");
        second.check_page("resumed").await;
        second.tab_to_text("Forrige side").await;
        second.press_enter().await;
        assert!(second.text().await.contains("Side 2 av 3"));
        assert_eq!(second.checked("q.trust.listens").await, ["2"]);
        assert_eq!(second.checked("q.trust.informs").await, ["3"]);
        assert_eq!(second.checked("q.recommend").await, ["7"]);
        let visits = second.field("Hvor mange ganger i måneden er du i sentrum?").await;
        assert_eq!(second.value_of(&visits).await, "4");
        second.check_page("page-2-saved").await;
        second.submit("Forrige side").await;
        assert!(second.text().await.contains("Side 1 av 3"));
        assert_eq!(second.checked("q.mode").await, ["bus"]);
        assert_eq!(second.checked("q.uses").await, ["library"]);
        second.check_page("page-1-saved").await;
        second.finish().await;
    }

    /// What a screen reader hears for the Likert matrix and the ranking —
    /// each radio button named by its own label inside a group named by the
    /// statement, inside the question's group; each select named by its
    /// option — and that every row and every select can be completed, and
    /// its errors reached, with the keyboard.
    pub async fn matrix_and_ranking_names_roles_and_keyboard() {
        let Some(app) = spawn_app(Backend::Sqlite).await else { return };
        let (_, path) = surveys::invited(&app).await;
        let Some(mut browser) = Browser::start(&app, "survey-controls", Audience::Public).await else { return };
        browser.goto(ALPHA, &path).await;

        // "Annet" ticked without saying what: the message is at the text field.
        browser.choose("Går").await;
        browser.choose("Annet").await;
        browser.submit("Neste side").await;
        browser.check_page("other-missing").await;
        assert_eq!(browser.check_error_summary().await, ["Skriv hva du mener med «annet»."]);
        assert_eq!(browser.focused_id().await, "field-q-uses-other");
        browser.type_text("Kino").await;
        browser.tab_to_text("Neste side").await;
        browser.press_enter().await;
        assert!(browser.text().await.contains("Side 2 av 3"));

        // The matrix as the page's markup and the browser's accessibility tree describe it.
        let rows = browser
            .script(
                "const text = e => e.textContent.replace(/\\s+/g, ' ').trim();
                 return [...document.querySelectorAll('fieldset.matrix-row')].map(row => ({
                   question: text(row.parentElement.closest('fieldset').querySelector(':scope > legend')),
                   statement: text(row.querySelector(':scope > legend')),
                   names: [...new Set([...row.querySelectorAll('input')].map(i => i.name))],
                   radios: [...row.querySelectorAll('input')].map(i => ({
                     type: i.type,
                     labels: i.labels.length,
                     label: text(document.querySelector(`label[for=\"${CSS.escape(i.id)}\"]`)),
                   })),
                 }));",
            )
            .await;
        let scale = ["Uenig", "Nøytral", "Enig", "Vet ikke"];
        let radios: Vec<_> =
            scale.iter().map(|label| json!({ "type": "radio", "labels": 1, "label": label })).collect();
        assert_eq!(
            rows,
            json!([
                { "question": "Hvor enig er du? (må besvares)", "statement": "Kommunen lytter",
                  "names": ["q.trust.listens"], "radios": radios },
                { "question": "Hvor enig er du? (må besvares)", "statement": "Kommunen informerer",
                  "names": ["q.trust.informs"], "radios": radios },
            ])
        );
        let matrix = browser.find_css("fieldset.matrix").await;
        assert_eq!(browser.computed_role(&matrix).await, "group");
        assert_eq!(browser.computed_label(&matrix).await, "Hvor enig er du? (må besvares)");
        for (statement, key) in [("Kommunen lytter", "listens"), ("Kommunen informerer", "informs")] {
            let row = browser.find_css(&format!("fieldset.matrix-row:has(input[name='q.trust.{key}'])")).await;
            assert_eq!(browser.computed_role(&row).await, "group");
            assert_eq!(browser.computed_label(&row).await, statement);
            let inputs = row.find_all(fantoccini::Locator::Css("input")).await.expect("radios");
            assert_eq!(inputs.len(), scale.len(), "one radio button per scale point in {statement:?}");
            for (input, label) in inputs.iter().zip(scale) {
                assert_eq!(browser.computed_role(input).await, "radio");
                assert_eq!(browser.computed_label(input).await, label);
            }
        }

        // Where a submit lands when this page still lacks answers: each
        // statement is listed and leads to its own row.
        browser.goto(ALPHA, &format!("{path}?page=2&missing=1")).await;
        assert!(browser.text().await.contains("Noen spørsmål som må besvares, mangler svar."));
        browser.check_page("page-2-missing").await;
        assert!(browser.client().title().await.expect("title").starts_with("Feil: "));
        assert_eq!(
            browser.check_error_summary().await,
            ["Velg et svar for denne påstanden.", "Velg et svar for denne påstanden.", "Svar på dette spørsmålet."]
        );

        // Next with nothing chosen: the summary leads to each row and the rating.
        browser.goto(ALPHA, &path).await;
        browser.tab_to_text("Neste side").await;
        browser.press_enter().await;
        browser.check_page("page-2-errors").await;
        browser.screenshot_full_page("page-2-errors").await;
        assert_eq!(
            browser.check_error_summary().await,
            ["Velg et svar for denne påstanden.", "Velg et svar for denne påstanden.", "Svar på dette spørsmålet."],
            "every unanswered row is listed"
        );
        let shown = browser.script("return document.querySelectorAll('main .ds-validation-message').length").await;
        assert_eq!(shown, json!(3), "each message is shown once, at its own row or question");

        // Every row with the keyboard alone: Tab into the row, Space, an arrow key.
        browser.goto(ALPHA, &path).await;
        for key in ["listens", "informs"] {
            browser.tab_to_id(&format!("field-q-trust-{key}")).await;
            browser.press(Key::Space).await;
            browser.press_in_control(Key::Right).await;
            assert_eq!(browser.checked(&format!("q.trust.{key}")).await, ["2"], "{key}");
        }
        browser.tab_to_id("field-q-recommend").await;
        browser.press(Key::Space).await;
        browser.tab_to_text("Neste side").await;
        browser.press_enter().await;
        assert!(browser.text().await.contains("Side 3 av 3"));

        // The ranking: one labelled select per option, in the question's group.
        let selects = browser
            .script(
                "const text = e => e.textContent.replace(/\\s+/g, ' ').trim();
                 return [...document.querySelectorAll('fieldset.ranking select')].map(s => ({
                   group: text(s.closest('fieldset').querySelector(':scope > legend')),
                   labels: s.labels.length,
                   label: text(document.querySelector(`label[for=\"${CSS.escape(s.id)}\"]`)),
                   options: [...s.options].map(text),
                 }));",
            )
            .await;
        let options = ["Velg plass", "Nummer 1", "Nummer 2", "Nummer 3"];
        let expected: Vec<_> = ["Grøntområder", "Benker", "Belysning"]
            .iter()
            .map(|label| json!({ "group": "Ranger tiltakene", "labels": 1, "label": label, "options": options }))
            .collect();
        assert_eq!(selects, json!(expected));
        let ranking = browser.find_css("fieldset.ranking").await;
        assert_eq!(browser.computed_role(&ranking).await, "group");
        assert_eq!(browser.computed_label(&ranking).await, "Ranger tiltakene");
        for label in ["Grøntområder", "Benker", "Belysning"] {
            let select = browser.field(label).await;
            assert_eq!(browser.computed_role(&select).await, "combobox");
            assert_eq!(browser.computed_label(&select).await, label);
        }

        // A number used twice, by keyboard; the summary leads to the first select.
        for (label, presses) in [("Grøntområder", 1), ("Benker", 1), ("Belysning", 2)] {
            let select = browser.tab_to(label).await;
            for _ in 0..presses {
                browser.press_in_control(Key::Down).await;
            }
            assert_eq!(browser.value_of(&select).await, presses.to_string());
        }
        browser.tab_to_text("Send inn svarene").await;
        browser.press_enter().await;
        browser.check_page("ranking-error").await;
        assert_eq!(
            browser.check_error_summary().await,
            ["Gi hvert alternativ et eget nummer, uten å bruke et nummer to ganger."]
        );
        assert_eq!(browser.focused_id().await, "field-q-priorities");
        // Fixed from there with the keyboard: Benker up to 2, Belysning to 3.
        let benches = browser.press_tab().await;
        assert_eq!(browser.value_of(&benches).await, "1", "the chosen numbers are kept");
        browser.press_in_control(Key::Down).await;
        let lighting = browser.press_tab().await;
        browser.press_in_control(Key::Down).await;
        assert_eq!((browser.value_of(&benches).await, browser.value_of(&lighting).await), ("2".into(), "3".into()));
        browser.tab_to_text("Send inn svarene").await;
        browser.press_space().await;
        assert_eq!(browser.heading().await, "Takk for svarene dine!");
        let stored = surveys::stored_answers(&app).await;
        for expected in ["priorities=green|1", "priorities=benches|2", "priorities=light|3", "trust.listens=2"] {
            assert!(stored.iter().any(|s| s == expected), "{expected} in {stored:?}");
        }
        browser.finish().await;
    }

    /// With scripts off, the whole survey is answered and submitted: labels
    /// tapped, a follow-up question, an error, the ranking, the thank-you page.
    pub async fn survey_answered_without_javascript() {
        let Some(app) = spawn_app(Backend::Sqlite).await else { return };
        let (_, path) = surveys::invited(&app).await;
        let Some(mut browser) = Browser::start_with(&app, "survey-no-js", Audience::Public, JavaScript::Off).await
        else {
            return;
        };
        browser.goto_url("data:text/html,<title>static</title><script>document.title='scripted'</script>").await;
        assert_eq!(browser.client().title().await.expect("title"), "static", "JavaScript is not switched off");

        browser.goto(ALPHA, &path).await;
        browser.screenshot("page-1").await;
        browser.submit("Neste side").await;
        assert!(browser.text().await.contains("Rett opp dette før du går videre:"));
        browser.screenshot("page-1-error").await;

        browser.choose("Bil").await;
        browser.choose("Annet").await;
        browser.submit("Neste side").await;
        // The follow-up question appears, and "Annet" still needs its text.
        let text = browser.text().await;
        assert!(text.contains("Det er lett å finne parkering.") && text.contains("Skriv hva du mener med «annet»."));
        browser.screenshot("page-1-follow-up").await;
        assert_eq!(browser.checked("q.mode").await, ["car"]);
        browser.choose("Helt enig").await;
        browser.type_into("Annet, skriv hva", "Kino").await;
        browser.submit("Neste side").await;

        assert!(browser.text().await.contains("Side 2 av 3"));
        browser.choose_in("Kommunen lytter", "Enig").await;
        browser.choose_in("Kommunen informerer", "Vet ikke").await;
        browser.choose("10").await;
        browser.screenshot("page-2").await;
        browser.submit("Neste side").await;

        assert!(browser.text().await.contains("Side 3 av 3"));
        browser.select("Grøntområder", "Nummer 2").await;
        browser.select("Benker", "Nummer 3").await;
        browser.select("Belysning", "Nummer 1").await;
        browser.type_into("Foreslå et navn på torget", "Torget").await;
        browser.screenshot("page-3").await;
        browser.submit("Send inn svarene").await;
        assert_eq!(browser.heading().await, "Takk for svarene dine!");
        browser.screenshot("thank-you").await;
        assert_eq!(
            surveys::stored_answers(&app).await,
            [
                "mode=car",
                "name=Torget",
                "parking=4",
                "priorities=benches|3",
                "priorities=green|2",
                "priorities=light|1",
                "recommend=10",
                "trust.informs=dk",
                "trust.listens=3",
                "uses=other|Kino",
            ]
        );
        browser.finish().await;
    }

    /// The public link of an open survey starts an answer in this browser;
    /// wrong links get the one neutral page, in both languages.
    pub async fn open_survey_link_and_dead_links() {
        let Some(app) = spawn_app(Backend::Sqlite).await else { return };
        let survey = surveys::open_survey(&app, &app.alpha, SurveyKind::Open).await;
        let link = surveys::public_link(&app, &survey).await;
        let Some(mut browser) = Browser::start(&app, "survey-open", Audience::Public).await else { return };

        browser.goto(ALPHA, &link).await;
        let personal = browser.path().await;
        assert!(personal.starts_with("/s/"), "{personal}");
        assert_eq!(browser.heading().await, "Livet i sentrum");
        browser.check_page("first-page").await;
        browser.choose("Går").await;
        browser.submit("Neste side").await;
        browser.check_page("second-page").await;
        browser.goto(ALPHA, &link).await;
        assert_eq!(browser.path().await, personal, "the same browser returns to its own answer");
        assert!(browser.text().await.contains("Side 2 av 3"), "where it left off");

        browser.goto(ALPHA, "/o/not-a-link").await;
        assert_eq!(browser.heading().await, "Lenken virker ikke");
        browser.check_page("dead-open-link").await;
        browser.click_link("English").await;
        assert_eq!(browser.lang().await, "en");
        browser.check_page("dead-open-link-en").await;
        browser.goto(ALPHA, "/s/00112233445566778899aabbccddeeff?lang=nb").await;
        assert_eq!(browser.heading().await, "Lenken virker ikke");
        browser.check_page("dead-personal-link").await;
        browser.finish().await;
    }

    /// Staff at a desktop: a viewer pages through the preview, an editor
    /// types in a paper questionnaire (with its error summary).
    pub async fn staff_preview_and_paper_entry() {
        let Some(app) = spawn_app(Backend::Sqlite).await else { return };
        let survey = surveys::open_survey(&app, &app.alpha, SurveyKind::Panel).await;
        app.add_staff(Some(&app.alpha), "viewer@alpha.test", Role::Viewer).await;
        app.add_staff(Some(&app.alpha), "editor@alpha.test", Role::Editor).await;

        let Some(mut viewer) = Browser::start(&app, "survey-preview", Audience::Staff).await else { return };
        viewer.goto(ALPHA, &format!("/staff/sign-in?next=/staff/surveys/{}/preview", survey.id)).await;
        viewer.type_into("E-postadresse", "viewer@alpha.test").await;
        viewer.type_into("Passord", PASSWORD).await;
        viewer.submit("Logg inn").await;
        let preview = format!("/staff/surveys/{}/preview", survey.id);
        viewer.goto(ALPHA, &preview).await;
        assert!(viewer.text().await.contains("Forhåndsvisning"));
        // The resident page in a frame as wide as a phone, titled for screen readers.
        let frame = viewer.find_css("iframe.preview-frame").await;
        assert_eq!(
            frame.attr("title").await.expect("title").as_deref(),
            Some("Undersøkelsen slik innbyggerne ser den")
        );
        let width = viewer.script("return document.querySelector('iframe.preview-frame').clientWidth").await;
        assert_eq!(width.as_f64(), Some(360.0), "the page in the phone frame is 360 px wide");
        viewer.check_page("phone").await;
        // Inside the frame: the resident page at phone width passes axe, and
        // its answer targets are big enough.
        viewer.client().enter_frame(0).await.expect("enter the preview frame");
        assert!(viewer.text().await.contains("Side 1 av 3"));
        let inner = viewer.script("return window.innerWidth").await;
        assert_eq!(inner.as_f64(), Some(360.0), "the framed page is laid out for a phone");
        viewer.axe("phone-frame").await;
        viewer.targets("phone-frame").await;
        viewer.client().enter_parent_frame().await.expect("leave the preview frame");
        viewer.click_link("Full bredde").await;
        let width = viewer.script("return document.querySelector('iframe.preview-frame').clientWidth").await;
        assert!(width.as_f64().is_some_and(|w| w > 600.0), "full width is wider than a phone: {width}");
        viewer.check_page("full-width").await;
        viewer.click_link("Alle sider").await;
        assert!(viewer.text().await.contains("Vises bare hvis «Hvordan kommer du oftest til sentrum?» er «Bil»"));
        viewer.check_page("all-pages").await;

        // Answering in the preview, as a resident on a phone would: the
        // skip rule reveals the parking question, errors show, Back works.
        viewer.set_viewport(360, 740).await;
        viewer.goto(ALPHA, &format!("{preview}/frame")).await;
        viewer.check_page("page-1").await;
        viewer.targets("page-1").await;
        viewer.choose("Bil").await;
        viewer.submit("Neste side").await;
        assert!(viewer.text().await.contains("Det er lett å finne parkering."));
        viewer.check_page("page-1-follow-up").await;
        viewer.choose("Helt enig").await;
        viewer.submit("Neste side").await;
        assert!(viewer.text().await.contains("Side 2 av 3"));
        viewer.check_page("page-2").await;
        viewer.targets("page-2").await;
        viewer.submit("Neste side").await;
        viewer.check_page("page-2-errors").await;
        assert!(viewer.check_error_summary().await.contains(&"Svar på dette spørsmålet.".to_owned()));
        viewer.submit("Forrige side").await;
        assert!(viewer.text().await.contains("Side 1 av 3"));
        viewer.goto(ALPHA, &format!("{preview}/frame?page=3")).await;
        assert!(viewer.text().await.contains("Side 3 av 3"));
        viewer.check_page("page-3").await;
        viewer.targets("page-3").await;
        viewer.finish().await;

        let Some(mut editor) = Browser::start(&app, "survey-paper", Audience::Staff).await else { return };
        editor.goto(ALPHA, "/staff/sign-in").await;
        editor.type_into("E-postadresse", "editor@alpha.test").await;
        editor.type_into("Passord", PASSWORD).await;
        editor.submit("Logg inn").await;
        let paper = format!("/staff/surveys/{}/paper", survey.id);
        editor.goto(ALPHA, &paper).await;
        assert!(editor.text().await.contains("Opplysninger fra papirskjemaet"));
        editor.check_page("form").await;
        editor.targets("form").await;

        editor.submit("Lagre papirsvaret").await;
        editor.check_page("errors").await;
        assert_eq!(
            editor.check_error_summary().await,
            [
                "Svar på dette spørsmålet.",
                "Velg et svar for denne påstanden.",
                "Velg et svar for denne påstanden.",
                "Svar på dette spørsmålet."
            ]
        );
        // An age group the form never offers (a tampered post) is caught
        // and tied to its field like any other error.
        editor.script("document.querySelector('#field-age-band option:last-child').value = '200-300'").await;
        editor.select("Aldersgruppe", "80+").await;
        editor.submit("Lagre papirsvaret").await;
        assert!(editor.check_error_summary().await.contains(&"Velg et av alternativene i listen.".to_owned()));
        editor.check_page("attribute-error").await;

        editor.choose("Bil").await;
        editor.choose("Helt enig").await;
        editor.choose_in("Kommunen lytter", "Enig").await;
        editor.choose_in("Kommunen informerer", "Uenig").await;
        editor.choose("8").await;
        editor.select("Aldersgruppe", "67-79").await;
        editor.submit("Lagre papirsvaret").await;
        assert!(editor.text().await.contains("Papirsvaret er lagret."));
        editor.check_page("saved").await;
        editor.finish().await;
    }

    /// The public compass page (radar and trend charts, tables, the latest
    /// assessment's sub-questions) in two languages, and the staff compass
    /// pages: an assessment's page, its edit form, and a failed assessment.
    pub async fn compass_pages_pass_the_checks() {
        use radslag::domain::compass::{AssessmentInput, Framework};
        let Some(app) = spawn_app(Backend::Sqlite).await else { return };
        app.add_staff(Some(&app.alpha), "kari@alpha.test", Role::Admin).await;
        let framework = Framework::shipped().into_iter().find(|f| f.key == "ks-2016").expect("ks");
        for (date, points) in [("2023-05-10", "4"), ("2025-04-22", "6,5")] {
            let mut input = AssessmentInput {
                assessed_on: date.into(),
                assessor: "KS-Konsulent".into(),
                kind: "external".into(),
                ..Default::default()
            };
            for area in &framework.areas {
                for sub in &area.sub_questions {
                    input.points.insert(sub.key(area), points.into());
                }
            }
            input.comments.insert("1.4".into(), format!("Innbyggerpanelet ga {points} poeng ({date})"));
            radslag::services::compass::record_assessment(
                &app.db,
                &app.alpha,
                &framework,
                &input,
                radslag::services::audit::Actor::System,
            )
            .await
            .expect("assessment");
        }
        let Some(mut public) = Browser::start(&app, "compass-public", Audience::Public).await else { return };
        public.goto(ALPHA, "/kompass").await;
        assert_eq!(public.heading().await, "Kommunekompasset");
        public.check_page("kompass-nb").await;
        // The sub-question tables of the latest assessment, opened.
        public.script("document.querySelectorAll('details.compass-sub-details').forEach(d => d.open = true);").await;
        public.check_page("kompass-nb-sub-questions").await;
        public.goto(ALPHA, "/kompass?lang=en").await;
        public.check_page("kompass-en").await;
        public.finish().await;

        let Some(mut staff) = Browser::start(&app, "compass-staff", Audience::Staff).await else { return };
        staff.goto(ALPHA, "/staff/sign-in").await;
        staff.type_into("E-postadresse", "kari@alpha.test").await;
        staff.type_into("Passord", PASSWORD).await;
        staff.submit("Logg inn").await;
        staff.click_link("Kompasset").await;
        assert_eq!(staff.path().await, "/staff/compass");
        staff.check_page("staff-compass").await;
        staff.click_link("2025-04-22").await;
        assert_eq!(staff.heading().await, "Vurdering 2025-04-22");
        staff.check_page("assessment-detail").await;
        staff.click_link("Rett opp denne vurderingen").await;
        staff.check_page("assessment-edit").await;
        staff.goto(ALPHA, "/staff/compass").await;
        staff.click_link("Registrer en vurdering").await;
        staff.check_page("assessment-form").await;
        staff.type_into("Vurdert av", "KS-Konsulent").await;
        // Every field is required in the browser too; fill them, with one
        // value out of range that only the server can judge.
        staff
            .script(
                "document.querySelectorAll('input[name^=points_]').forEach(i => i.value = '1'); \
                 document.querySelector('input[name=\"points_1.1\"]').value = '99'; \
                 document.querySelector('input[name=assessed_on]').value = '2025-01-01';",
            )
            .await;
        staff.submit("Lagre vurderingen").await;
        staff.check_page("assessment-invalid").await;
        let messages = staff.check_error_summary().await;
        assert_eq!(messages, ["Poengene for 1.1 må være mellom 0 og 22,5."]);
        staff.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn panel_resident_joins_uses_my_page_and_leaves() {
    panel::resident_joins_uses_my_page_and_leaves().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn panel_staff_overview_members_and_import() {
    panel::staff_overview_members_and_import().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_survey_from_builder_to_published_results() {
    staff::survey_from_builder_to_published_results().await
}
