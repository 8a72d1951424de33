//! Surveys: the builder, approval and the lifecycle, the file format and the
//! command line — through HTTP and the binary, on SQLite and PostgreSQL.

mod common;

use common::{ALPHA, BETA, Backend, TestApp, csrf_token, spawn_app};
use radslag::domain::Language;
use radslag::domain::Role;
use radslag::domain::survey::{LadderStep, Op, QuestionKind};
use radslag::domain::token::hash_token_text;
use radslag::entities::{audit_event, survey};
use radslag::services::surveys::{self, Survey, SurveyStatus};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

on_both_backends!(
    staff_build_a_survey_through_forms,
    invalid_edits_show_errors_and_save_nothing,
    approval_needs_another_admin_and_a_complete_survey,
    the_lifecycle_is_audited_and_open_surveys_get_a_link_once,
    open_surveys_take_only_text_fixes,
    surveys_stay_inside_their_municipality,
    uploaded_files_import_exactly_or_not_at_all,
    the_json_api_creates_updates_and_moves_surveys,
    open_surveys_can_allow_several_answers_per_browser,
    drafts_are_sent_for_approval_and_the_admins_are_told,
    an_approved_survey_past_its_closing_date_does_not_open,
    every_question_type_is_built_through_the_forms,
    every_question_type_survives_export_and_import,
);

const COMPLETE: &str = include_str!("../src/demo/surveys/barnehage-og-skole.json");

/// A complete survey file that can be approved (closing date in the future).
fn complete_file() -> String {
    COMPLETE.replace("2026-09-30", "2099-09-30")
}

async fn survey_in_db(app: &TestApp, id: i32) -> Survey {
    surveys::load(&app.db, &app.alpha, id).await.expect("load").expect("survey exists")
}

fn id_from(response: &reqwest::Response) -> i32 {
    let location = response.headers()["location"].to_str().expect("ascii");
    location.trim_start_matches("/staff/surveys/").split(['?', '#']).next().expect("id").parse().expect("number")
}

async fn post(
    app: &TestApp,
    client: &reqwest::Client,
    host: &str,
    path: &str,
    pairs: &[(&str, &str)],
) -> reqwest::Response {
    let token = csrf_token(client, &app.url(host, "/staff")).await;
    let mut form: Vec<(&str, &str)> = vec![("csrf", token.as_str())];
    form.extend_from_slice(pairs);
    client.post(app.url(host, path)).form(&form).send().await.expect("POST")
}

async fn edit(app: &TestApp, client: &reqwest::Client, id: i32, pairs: &[(&str, &str)]) -> reqwest::Response {
    post(app, client, ALPHA, &format!("/staff/surveys/{id}/edit"), pairs).await
}

async fn upload(app: &TestApp, client: &reqwest::Client, text: &str) -> reqwest::Response {
    let token = csrf_token(client, &app.url(ALPHA, "/staff/surveys")).await;
    let part = reqwest::multipart::Part::text(text.to_owned()).file_name("survey.json");
    let form = reqwest::multipart::Form::new().part("file", part);
    client
        .post(app.url(ALPHA, &format!("/staff/surveys/import?csrf={token}")))
        .multipart(form)
        .send()
        .await
        .expect("upload")
}

async fn audit_actions(app: &TestApp, id: i32) -> Vec<String> {
    audit_event::Entity::find()
        .filter(audit_event::Column::Subject.eq(format!("survey:{id}")))
        .all(&app.db)
        .await
        .expect("audit")
        .into_iter()
        .map(|e| e.action)
        .collect()
}

fn keys(survey: &Survey) -> Vec<Vec<String>> {
    survey.definition.sections.iter().map(|s| s.questions.iter().map(|q| q.key.clone()).collect()).collect()
}

async fn staff_build_a_survey_through_forms(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    app.add_staff(Some(&app.alpha), "editor@alpha.test", Role::Editor).await;
    app.add_staff(Some(&app.alpha), "viewer@alpha.test", Role::Viewer).await;
    let editor = app.signed_in(ALPHA, "editor@alpha.test").await;

    let created = post(
        &app,
        &editor,
        ALPHA,
        "/staff/surveys",
        &[("title", "Fremtidens bibliotek"), ("languages", "nb"), ("languages", "en"), ("kind", "panel")],
    )
    .await;
    assert_eq!(created.status(), 303);
    let id = id_from(&created);
    let draft = survey_in_db(&app, id).await;
    assert_eq!(draft.status, SurveyStatus::Draft);
    assert_eq!(draft.definition.languages, vec![radslag::domain::Language::Nb, radslag::domain::Language::En]);

    let added = edit(
        &app,
        &editor,
        id,
        &[
            ("op", "question_add"),
            ("target", "0"),
            ("type", "single_choice"),
            ("text.nb", "Bruker du biblioteket?"),
            ("options.nb", "Ja\nNei"),
            ("options.en", "Yes\nNo"),
        ],
    )
    .await;
    assert_eq!(added.status(), 303);
    let section = edit(
        &app,
        &editor,
        id,
        &[("op", "section_add"), ("title.nb", "Vurdering"), ("type", "rating"), ("text.nb", "Hvor fornøyd er du?")],
    )
    .await;
    assert_eq!(section.status(), 303);
    assert_eq!(keys(&survey_in_db(&app, id).await), vec![vec!["q1", "q2"], vec!["q3"]]);

    // Reorder within a page and across the page boundary.
    let mut moves = Vec::new();
    for (target, direction) in [("q2", "up"), ("q1", "down")] {
        moves.push(
            edit(&app, &editor, id, &[("op", "question_move"), ("target", target), ("direction", direction)])
                .await
                .status(),
        );
    }
    assert_eq!(moves, [303, 303]);
    assert_eq!(keys(&survey_in_db(&app, id).await), vec![vec!["q2"], vec!["q1", "q3"]]);
    edit(&app, &editor, id, &[("op", "question_move"), ("target", "q1"), ("direction", "up")]).await;
    assert_eq!(keys(&survey_in_db(&app, id).await), vec![vec!["q2", "q1"], vec!["q3"]]);

    // Pages: add, move up, delete.
    let extra = edit(
        &app,
        &editor,
        id,
        &[("op", "section_add"), ("title.nb", "Ekstra"), ("type", "short_text"), ("text.nb", "Noe mer?")],
    )
    .await;
    assert_eq!(extra.status(), 303);
    edit(&app, &editor, id, &[("op", "section_move"), ("target", "2"), ("direction", "up")]).await;
    assert_eq!(keys(&survey_in_db(&app, id).await), vec![vec!["q2", "q1"], vec!["q4"], vec!["q3"]]);
    let delete_page = edit(&app, &editor, id, &[("op", "section_delete"), ("target", "1")]).await;
    assert_eq!(delete_page.status(), 303);
    assert_eq!(keys(&survey_in_db(&app, id).await), vec![vec!["q2", "q1"], vec!["q3"]]);

    // Edit a question: text, help, options, compass area, a skip rule.
    let updated = edit(
        &app,
        &editor,
        id,
        &[
            ("op", "question_update"),
            ("target", "q3"),
            ("key", "fornoyd"),
            ("text.nb", "Hvor fornøyd er du med biblioteket?"),
            ("text.en", "How satisfied are you with the library?"),
            ("low_label.nb", "Lite"),
            ("high_label.nb", "Mye"),
            ("required", "on"),
            ("compass_area", "2"),
            ("ladder_step", "consultation"),
        ],
    )
    .await;
    assert_eq!(updated.status(), 303);
    let rule = edit(
        &app,
        &editor,
        id,
        &[
            ("op", "question_rule"),
            ("target", "fornoyd"),
            ("combine", "all"),
            ("rule_question.0", "q2"),
            ("rule_op.0", "equals"),
            ("rule_values.0", "ja"),
        ],
    )
    .await;
    assert_eq!(rule.status(), 303);
    let delete = edit(&app, &editor, id, &[("op", "question_delete"), ("target", "q1")]).await;
    assert_eq!(delete.status(), 303);

    let survey = survey_in_db(&app, id).await;
    assert_eq!(keys(&survey), vec![vec!["q2"], vec!["fornoyd"]]);
    let question = survey.definition.question("fornoyd").expect("renamed question");
    assert_eq!(question.compass_area, Some(2));
    assert!(question.required);
    assert_eq!(question.show_if.as_ref().expect("rule").rules[0].values, vec!["ja"]);
    assert!(matches!(question.kind, QuestionKind::Rating { .. }));
    assert_eq!(survey.definition.question("q2").expect("q2").kind.option_keys(), vec!["ja", "nei"]);

    let page = editor.get(app.url(ALPHA, &format!("/staff/surveys/{id}"))).send().await.expect("page");
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("body");
    assert!(html.contains("Hvor fornøyd er du med biblioteket?"));
    assert!(html.contains("id=\"missing-translations\""), "missing English texts are listed");
    assert!(html.contains("sections[0].questions[0].text"), "with their paths");
    assert!(html.contains("id=\"survey-minutes\""));

    let actions = audit_actions(&app, id).await;
    for action in [
        "survey.create",
        "survey.question.add",
        "survey.section.add",
        "survey.question.move",
        "survey.question.update",
        "survey.question.rule",
        "survey.question.delete",
        "survey.section.delete",
    ] {
        assert!(actions.iter().any(|a| a == action), "{action} audited: {actions:?}");
    }

    // Viewers read but cannot change.
    let viewer = app.signed_in(ALPHA, "viewer@alpha.test").await;
    let read = viewer.get(app.url(ALPHA, &format!("/staff/surveys/{id}"))).send().await.expect("read");
    assert_eq!(read.status(), 200);
    let refused = edit(&app, &viewer, id, &[("op", "question_delete"), ("target", "q2")]).await;
    assert_eq!(refused.status(), 403);
    assert_eq!(keys(&survey_in_db(&app, id).await), vec![vec!["q2"], vec!["fornoyd"]]);

    // Duplicate makes a new draft with the same questions.
    let copy = post(&app, &editor, ALPHA, &format!("/staff/surveys/{id}/duplicate"), &[]).await;
    assert_eq!(copy.status(), 303);
    let copy = survey_in_db(&app, id_from(&copy)).await;
    assert_eq!(copy.definition, survey.definition);
    assert_eq!(copy.status, SurveyStatus::Draft);
}

async fn invalid_edits_show_errors_and_save_nothing(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    app.add_staff(Some(&app.alpha), "editor@alpha.test", Role::Editor).await;
    let editor = app.signed_in(ALPHA, "editor@alpha.test").await;
    let created =
        post(&app, &editor, ALPHA, "/staff/surveys", &[("title", "Test"), ("languages", "nb"), ("kind", "panel")])
            .await;
    let id = id_from(&created);
    let before = survey_in_db(&app, id).await;

    let thin = edit(
        &app,
        &editor,
        id,
        &[
            ("op", "question_add"),
            ("target", "0"),
            ("type", "single_choice"),
            ("text.nb", "Et spørsmål med for få svar"),
            ("options.nb", "Bare ett"),
        ],
    )
    .await;
    assert_eq!(thin.status(), 422);
    let html = thin.text().await.expect("body");
    assert!(html.contains("ds-error-summary"), "{html}");
    assert!(html.contains("Skriv minst 2 alternativer."), "message in Norwegian next to the field");
    assert!(html.contains("href=\"#field-sections-0--questions-1--options\""), "summary links to the field");
    assert!(html.contains("Et spørsmål med for få svar"), "typed text kept");

    let date = edit(
        &app,
        &editor,
        id,
        &[
            ("op", "meta"),
            ("title.nb", "Test"),
            ("closes_on", "31.12.2030"),
            ("ladder_step", ""),
            ("reminder_after_days", "7"),
            ("max_reminders", "2"),
        ],
    )
    .await;
    assert_eq!(date.status(), 422);
    let html = date.text().await.expect("body");
    assert!(html.contains("Skriv datoen som ÅÅÅÅ-MM-DD.") && html.contains("value=\"31.12.2030\""), "{html}");

    let forward_rule = edit(
        &app,
        &editor,
        id,
        &[("op", "question_rule"), ("target", "q1"), ("rule_question.0", "q1"), ("rule_op.0", "answered")],
    )
    .await;
    assert_eq!(forward_rule.status(), 422);
    assert!(forward_rule.text().await.expect("body").contains("som ikke er et tidligere spørsmål"));

    let last_question = edit(&app, &editor, id, &[("op", "question_delete"), ("target", "q1")]).await;
    assert_eq!(last_question.status(), 422);

    let after = survey_in_db(&app, id).await;
    assert_eq!(after.definition, before.definition, "nothing saved");
    assert_eq!(after.closes_on, None);
    assert_eq!(audit_actions(&app, id).await, vec!["survey.create"]);
}

async fn approval_needs_another_admin_and_a_complete_survey(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    app.add_staff(Some(&app.alpha), "first@alpha.test", Role::Admin).await;
    app.add_staff(Some(&app.alpha), "second@alpha.test", Role::Admin).await;
    app.add_staff(Some(&app.alpha), "editor@alpha.test", Role::Editor).await;
    let first = app.signed_in(ALPHA, "first@alpha.test").await;
    let second = app.signed_in(ALPHA, "second@alpha.test").await;
    let editor = app.signed_in(ALPHA, "editor@alpha.test").await;

    let imported = upload(&app, &first, &complete_file()).await;
    assert_eq!(imported.status(), 303);
    let id = id_from(&imported);

    let own = post(&app, &first, ALPHA, &format!("/staff/surveys/{id}/status/approve"), &[]).await;
    assert_eq!(own.status(), 422);
    assert!(own.text().await.expect("body").contains("En annen administrator må godkjenne den."));
    let by_editor = post(&app, &editor, ALPHA, &format!("/staff/surveys/{id}/status/approve"), &[]).await;
    assert_eq!(by_editor.status(), 403);
    assert_eq!(survey_in_db(&app, id).await.status, SurveyStatus::Draft);

    // A missing English text blocks approval and is named.
    let untranslated = upload(&app, &first, &complete_file().replace("\"en\": \"Finally\"", "\"en\": \"\"")).await;
    let untranslated = id_from(&untranslated);
    let refused = post(&app, &second, ALPHA, &format!("/staff/surveys/{untranslated}/status/approve"), &[]).await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.expect("body");
    assert!(html.contains("Teksten mangler på English") && html.contains("sections[2].title"), "{html}");
    assert_eq!(survey_in_db(&app, untranslated).await.status, SurveyStatus::Draft);

    let approved = post(&app, &second, ALPHA, &format!("/staff/surveys/{id}/status/approve"), &[]).await;
    assert_eq!(approved.status(), 303);
    let survey = survey_in_db(&app, id).await;
    assert_eq!(survey.status, SurveyStatus::Approved);
    assert_ne!(survey.approved_by, survey.created_by);
    assert!(survey.approved_by.is_some());
}

async fn the_lifecycle_is_audited_and_open_surveys_get_a_link_once(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    app.add_staff(Some(&app.alpha), "first@alpha.test", Role::Admin).await;
    app.add_staff(Some(&app.alpha), "second@alpha.test", Role::Admin).await;
    let first = app.signed_in(ALPHA, "first@alpha.test").await;
    let second = app.signed_in(ALPHA, "second@alpha.test").await;
    let open_kind = complete_file().replacen("\"kind\": \"panel\"", "\"kind\": \"open\"", 1);
    let id = id_from(&upload(&app, &first, &open_kind).await);

    let too_early = post(&app, &second, ALPHA, &format!("/staff/surveys/{id}/status/open"), &[]).await;
    assert_eq!(too_early.status(), 422, "opening needs approval first");
    assert_eq!(post(&app, &second, ALPHA, &format!("/staff/surveys/{id}/status/approve"), &[]).await.status(), 303);
    let opened = post(&app, &first, ALPHA, &format!("/staff/surveys/{id}/status/open"), &[]).await;
    assert_eq!(opened.status(), 200);
    let html = opened.text().await.expect("body");
    let start = html.find("/o/").expect("public link shown");
    let token: String = html[start + 3..].chars().take_while(char::is_ascii_hexdigit).collect();
    assert_eq!(token.len(), 32);
    let survey = survey_in_db(&app, id).await;
    assert_eq!(survey.status, SurveyStatus::Open);
    assert_eq!(survey.public_token_hash.as_deref(), Some(hash_token_text(&token).as_str()));
    let again = first.get(app.url(ALPHA, &format!("/staff/surveys/{id}"))).send().await.expect("page");
    assert!(!again.text().await.expect("body").contains(&token), "the link is shown only once");

    assert_eq!(post(&app, &first, ALPHA, &format!("/staff/surveys/{id}/status/close"), &[]).await.status(), 303);
    assert_eq!(survey_in_db(&app, id).await.status, SurveyStatus::Closed);
    let twice = post(&app, &first, ALPHA, &format!("/staff/surveys/{id}/status/close"), &[]).await;
    assert_eq!(twice.status(), 422, "nothing accepted twice");
    let actions = audit_actions(&app, id).await;
    for action in ["survey.import", "survey.approved", "survey.open", "survey.closed"] {
        assert_eq!(actions.iter().filter(|a| *a == action).count(), 1, "{action}: {actions:?}");
    }
    let audit_text: String =
        audit_event::Entity::find().all(&app.db).await.expect("audit").iter().map(|e| e.details.clone()).collect();
    assert!(!audit_text.contains(&token), "no token in the audit log");
}

async fn open_surveys_take_only_text_fixes(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    app.add_staff(Some(&app.alpha), "first@alpha.test", Role::Admin).await;
    app.add_staff(Some(&app.alpha), "second@alpha.test", Role::Admin).await;
    let first = app.signed_in(ALPHA, "first@alpha.test").await;
    let second = app.signed_in(ALPHA, "second@alpha.test").await;
    let id = id_from(&upload(&app, &first, &complete_file()).await);
    post(&app, &second, ALPHA, &format!("/staff/surveys/{id}/status/approve"), &[]).await;
    post(&app, &first, ALPHA, &format!("/staff/surveys/{id}/status/open"), &[]).await;
    let before = survey_in_db(&app, id).await;
    assert_eq!(before.status, SurveyStatus::Open);

    let base = [
        ("op", "question_update"),
        ("target", "har_barn"),
        ("key", "har_barn"),
        ("text.en", "Do you have children under 16?"),
        ("required", "on"),
    ];
    let mut structural = base.to_vec();
    structural.extend([
        ("text.nb", "Har du barn under 16 år?"),
        ("options.nb", "Ja\nNei\nVil ikke svare"),
        ("options.en", "Yes\nNo\nRather not say"),
    ]);
    let refused = edit(&app, &first, id, &structural).await;
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.expect("body").contains("bare rettelser i tekstene er lov"));
    assert_eq!(survey_in_db(&app, id).await.definition, before.definition);

    let moved =
        edit(&app, &first, id, &[("op", "question_move"), ("target", "antall_barn"), ("direction", "up")]).await;
    assert_eq!(moved.status(), 422);

    let mut typo = base.to_vec();
    typo.extend([("text.nb", "Har du barn under 16 år?"), ("options.nb", "Ja\nNei"), ("options.en", "Yes\nNo")]);
    typo[3] = ("text.en", "Do you have any children under 16?");
    let fixed = edit(&app, &first, id, &typo).await;
    assert_eq!(fixed.status(), 303);
    let after = survey_in_db(&app, id).await;
    assert_eq!(
        after
            .definition
            .question("har_barn")
            .expect("question")
            .text
            .get(radslag::domain::Language::En, radslag::domain::Language::Nb),
        "Do you have any children under 16?"
    );
    assert_eq!(audit_actions(&app, id).await.iter().filter(|a| *a == "survey.text_fix").count(), 1);

    // A wording fix that blanks the English text would leave English readers without it.
    let mut blanked = typo.clone();
    blanked[3] = ("text.en", "");
    let refused = edit(&app, &first, id, &blanked).await;
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.expect("body").contains("English"), "names the missing language");
    assert_eq!(survey_in_db(&app, id).await.definition, after.definition, "nothing changed");
}

async fn surveys_stay_inside_their_municipality(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    app.add_staff(Some(&app.alpha), "admin@alpha.test", Role::Admin).await;
    app.add_staff(Some(&app.beta), "admin@beta.test", Role::Admin).await;
    let alpha = app.signed_in(ALPHA, "admin@alpha.test").await;
    let beta = app.signed_in(BETA, "admin@beta.test").await;
    let id = id_from(&upload(&app, &alpha, &complete_file()).await);
    let before = survey_in_db(&app, id).await;

    for path in [format!("/staff/surveys/{id}"), format!("/staff/surveys/{id}/export")] {
        let response = beta.get(app.url(BETA, &path)).send().await.expect("GET");
        assert_eq!(response.status(), 404, "{path}");
    }
    let list = beta.get(app.url(BETA, "/staff/surveys")).send().await.expect("list").text().await.expect("body");
    assert!(!list.contains("Barnehage og skole"));
    let edit = post(
        &app,
        &beta,
        BETA,
        &format!("/staff/surveys/{id}/edit"),
        &[("op", "question_delete"), ("target", "innspill")],
    )
    .await;
    assert_eq!(edit.status(), 404);
    let approve = post(&app, &beta, BETA, &format!("/staff/surveys/{id}/status/approve"), &[]).await;
    assert_eq!(approve.status(), 404);
    let duplicate = post(&app, &beta, BETA, &format!("/staff/surveys/{id}/duplicate"), &[]).await;
    assert_eq!(duplicate.status(), 404);
    assert_eq!(survey_in_db(&app, id).await, before);
    assert_eq!(
        survey::Entity::find()
            .filter(survey::Column::MunicipalityId.eq(app.beta.id))
            .count(&app.db)
            .await
            .expect("count"),
        0
    );
}

async fn uploaded_files_import_exactly_or_not_at_all(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    app.add_staff(Some(&app.alpha), "editor@alpha.test", Role::Editor).await;
    let editor = app.signed_in(ALPHA, "editor@alpha.test").await;

    let broken = complete_file().replace("\"compass_area\": 3", "\"compass_area\": 11");
    let refused = upload(&app, &editor, &broken).await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.expect("body");
    assert!(html.contains("definition.sections[1].questions[0].compass_area"), "{html}");
    let wrong_type = complete_file().replacen("\"type\": \"rating\"", "\"type\": \"slider\"", 1);
    let html = upload(&app, &editor, &wrong_type).await.text().await.expect("body");
    assert!(html.contains("definition.sections[0].questions[2]"), "{html}");
    assert_eq!(survey::Entity::find().count(&app.db).await.expect("count"), 0, "nothing written");

    let id = id_from(&upload(&app, &editor, &complete_file()).await);
    let exported = editor.get(app.url(ALPHA, &format!("/staff/surveys/{id}/export"))).send().await.expect("export");
    assert_eq!(exported.status(), 200);
    assert!(exported.headers()["content-disposition"].to_str().expect("ascii").starts_with("attachment"));
    assert_eq!(exported.text().await.expect("body"), complete_file(), "round trip is exact");
}

/// The command line imports and exports files exactly, and refuses a broken
/// file naming its path without writing anything.
#[tokio::test]
async fn the_command_line_round_trips_survey_files() {
    use std::process::Command;
    let dir = std::env::temp_dir().join(format!("radslag-survey-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let database = format!("sqlite://{}/cli.db", dir.display());
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_radslag"))
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("RADSLAG_BASE_URL", "http://localhost")
            .env("RADSLAG_SENDER", "panel@example.no")
            .env("RADSLAG_SESSION_KEY", "0123456789abcdef0123456789abcdef")
            .env("RADSLAG_DATABASE_URL", &database)
            .args(args)
            .output()
            .expect("run")
    };
    assert!(
        run(&["municipality", "add", "--slug", "vik", "--name", "Vik kommune", "--host", "vik.test"]).status.success()
    );

    let broken = dir.join("broken.json");
    std::fs::write(&broken, COMPLETE.replace("\"match\": \"all\"", "\"match\": \"most\"")).expect("write");
    let output = run(&["survey", "import", broken.to_str().expect("utf-8")]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("definition.sections[0].questions[1].show_if.match"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    let db = sea_orm::Database::connect(&database).await.expect("db");
    assert_eq!(survey::Entity::find().count(&db).await.expect("count"), 0, "nothing written");

    let file = dir.join("survey.json");
    std::fs::write(&file, COMPLETE).expect("write");
    let output = run(&["survey", "import", file.to_str().expect("utf-8"), "--municipality", "vik"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let id = String::from_utf8_lossy(&output.stdout).split_whitespace().nth(2).expect("id").to_owned();
    let exported = run(&["survey", "export", &id, "--municipality", "vik"]);
    assert!(exported.status.success());
    assert_eq!(String::from_utf8(exported.stdout).expect("utf-8"), COMPLETE, "byte-identical canonical JSON");
    assert_eq!(survey::Entity::find().count(&db).await.expect("count"), 1);
    let missing = run(&["survey", "export", "999"]);
    assert!(!missing.status.success());
    let _ = std::fs::remove_dir_all(&dir);
}

/// The JSON Schema parses and describes every question type, operator and
/// ladder step the code knows.
#[test]
fn the_json_schema_lists_every_question_type() {
    use radslag::domain::survey::LadderStep;
    use radslag::domain::survey::edit::{OPERATORS, QUESTION_TYPES};
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/survey.schema.json")).expect("schema");
    let schema: serde_json::Value = serde_json::from_str(&text).expect("the schema is JSON");
    assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
    let types = schema["$defs"]["question_types"].as_object().expect("question types");
    assert_eq!(types.len(), QUESTION_TYPES.len());
    for name in QUESTION_TYPES {
        assert_eq!(types[name]["properties"]["type"]["const"], name, "{name} in the schema");
        let alternatives = schema["$defs"]["question"]["oneOf"].as_array().expect("oneOf");
        assert!(alternatives.iter().any(|a| a["$ref"] == format!("#/$defs/question_types/{name}")), "{name}");
    }
    let ops = schema["$defs"]["rule"]["properties"]["op"]["enum"].as_array().expect("ops");
    assert_eq!(ops.len(), OPERATORS.len());
    for (_, code) in OPERATORS {
        assert!(ops.iter().any(|o| o == code), "{code}");
    }
    let steps = schema["$defs"]["ladder_step"]["enum"].as_array().expect("steps");
    assert_eq!(steps.iter().filter_map(|s| s.as_str()).collect::<Vec<_>>(), LadderStep::ALL.map(LadderStep::code));
    let docs = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/survey-format.md")).expect("docs");
    for name in QUESTION_TYPES {
        assert!(docs.contains(&format!("\"type\": \"{name}\"")), "docs show an example of {name}");
    }
}

async fn the_json_api_creates_updates_and_moves_surveys(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    app.add_staff(Some(&app.alpha), "first@alpha.test", Role::Admin).await;
    app.add_staff(Some(&app.alpha), "second@alpha.test", Role::Admin).await;
    app.add_staff(Some(&app.beta), "admin@beta.test", Role::Admin).await;

    let anonymous = app.client().get(app.url(ALPHA, "/api/v1/surveys")).send().await.expect("GET");
    assert_eq!(anonymous.status(), 401);

    let first = app.signed_in(ALPHA, "first@alpha.test").await;
    let listed = first.get(app.url(ALPHA, "/api/v1/surveys")).send().await.expect("list");
    assert_eq!(listed.status(), 200);
    let csrf = listed.headers()["x-csrf-token"].to_str().expect("ascii").to_owned();
    assert_eq!(listed.json::<serde_json::Value>().await.expect("json"), serde_json::json!([]));

    let without_csrf = first.post(app.url(ALPHA, "/api/v1/surveys")).body(complete_file()).send().await.expect("POST");
    assert_eq!(without_csrf.status(), 403);
    let broken = complete_file().replace("\"max_reminders\": 2", "\"max_reminders\": 9");
    let refused = first
        .post(app.url(ALPHA, "/api/v1/surveys"))
        .header("x-csrf-token", &csrf)
        .body(broken)
        .send()
        .await
        .expect("POST");
    assert_eq!(refused.status(), 422);
    assert_eq!(refused.json::<serde_json::Value>().await.expect("json")["field"], "max_reminders");
    assert_eq!(survey::Entity::find().count(&app.db).await.expect("count"), 0);

    let created = first
        .post(app.url(ALPHA, "/api/v1/surveys"))
        .header("x-csrf-token", &csrf)
        .body(complete_file())
        .send()
        .await
        .expect("POST");
    assert_eq!(created.status(), 201);
    let created: serde_json::Value = created.json().await.expect("json");
    let id = created["id"].as_i64().expect("id");
    assert_eq!(created["status"], "draft");
    assert_eq!(created["file"], serde_json::from_str::<serde_json::Value>(&complete_file()).expect("json"));

    let renamed = complete_file().replace("\"nb\": \"Barnehage og skole\"", "\"nb\": \"Barnehage, skole og SFO\"");
    let updated = first
        .put(app.url(ALPHA, &format!("/api/v1/surveys/{id}")))
        .header("x-csrf-token", &csrf)
        .body(renamed)
        .send()
        .await
        .expect("PUT");
    assert_eq!(updated.status(), 200);
    let fetched: serde_json::Value = first
        .get(app.url(ALPHA, &format!("/api/v1/surveys/{id}")))
        .send()
        .await
        .expect("GET")
        .json()
        .await
        .expect("json");
    assert_eq!(fetched["file"]["definition"]["title"]["nb"], "Barnehage, skole og SFO");

    let own = first
        .post(app.url(ALPHA, &format!("/api/v1/surveys/{id}/status/approve")))
        .header("x-csrf-token", &csrf)
        .send()
        .await
        .expect("POST");
    assert_eq!(own.status(), 422, "the author cannot approve");
    let second = app.signed_in(ALPHA, "second@alpha.test").await;
    let second_csrf =
        second.get(app.url(ALPHA, "/api/v1/surveys")).send().await.expect("list").headers()["x-csrf-token"]
            .to_str()
            .expect("ascii")
            .to_owned();
    let approved = second
        .post(app.url(ALPHA, &format!("/api/v1/surveys/{id}/status/approve")))
        .header("x-csrf-token", &second_csrf)
        .send()
        .await
        .expect("POST");
    assert_eq!(approved.status(), 200);
    assert_eq!(approved.json::<serde_json::Value>().await.expect("json")["status"], "approved");
    let id = i32::try_from(id).expect("small id");
    assert_eq!(survey_in_db(&app, id).await.status, SurveyStatus::Approved);

    let beta = app.signed_in(BETA, "admin@beta.test").await;
    assert_eq!(beta.get(app.url(BETA, &format!("/api/v1/surveys/{id}"))).send().await.expect("GET").status(), 404);

    let document: serde_json::Value =
        app.client().get(app.url(ALPHA, "/api/v1/openapi.json")).send().await.expect("GET").json().await.expect("json");
    assert!(document["openapi"].as_str().expect("version").starts_with("3."));
    for path in ["/api/v1/surveys", "/api/v1/surveys/{id}", "/api/v1/surveys/{id}/status/{step}"] {
        assert!(document["paths"][path].is_object(), "{path} documented");
    }
}

async fn open_surveys_can_allow_several_answers_per_browser(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    app.add_staff(Some(&app.alpha), "editor@alpha.test", Role::Editor).await;
    let editor = app.signed_in(ALPHA, "editor@alpha.test").await;
    let panel = id_from(&upload(&app, &editor, &complete_file()).await);
    let panel_page = editor.get(app.url(ALPHA, &format!("/staff/surveys/{panel}"))).send().await.expect("get");
    assert!(
        !panel_page.text().await.expect("body").contains("one_answer_per_browser"),
        "panel surveys have no such box"
    );

    let open_file = complete_file().replacen("\"kind\": \"panel\"", "\"kind\": \"open\"", 1);
    let id = id_from(&upload(&app, &editor, &open_file).await);
    assert!(survey_in_db(&app, id).await.one_answer_per_browser, "on unless turned off");
    let page = editor.get(app.url(ALPHA, &format!("/staff/surveys/{id}"))).send().await.expect("get");
    let html = page.text().await.expect("body");
    assert!(html.contains("Ett svar per nettleser"), "{html}");
    let (before, after) = html.split_once("id=\"meta-one-answer-per-browser\"").expect("box");
    let input = format!("{}{}", before.rsplit("<input").next().expect("input"), after.split('>').next().expect("end"));
    assert!(input.contains("checked"), "shown ticked: {input}");

    let saved = edit(
        &app,
        &editor,
        id,
        &[
            ("op", "meta"),
            ("title.nb", "Bibliotekets nettbrett"),
            ("closes_on", "2099-09-30"),
            ("ladder_step", "consultation"),
            ("reminder_after_days", "7"),
            ("max_reminders", "2"),
            ("one_answer_per_browser_present", "1"),
        ],
    )
    .await;
    assert_eq!(saved.status(), 303);
    assert!(!survey_in_db(&app, id).await.one_answer_per_browser, "an unticked box turns it off");
    let export = editor.get(app.url(ALPHA, &format!("/staff/surveys/{id}/export"))).send().await.expect("get");
    let file = export.text().await.expect("body");
    assert!(file.contains("\"one_answer_per_browser\": false"), "{file}");
    let copy = id_from(&upload(&app, &editor, &file).await);
    assert!(!survey_in_db(&app, copy).await.one_answer_per_browser, "the setting survives export and import");
    assert!(audit_actions(&app, id).await.contains(&"survey.meta.update".to_owned()));
}

async fn drafts_are_sent_for_approval_and_the_admins_are_told(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    app.add_staff(Some(&app.alpha), "first@alpha.test", Role::Admin).await;
    app.add_staff(Some(&app.alpha), "second@alpha.test", Role::Admin).await;
    app.add_staff(Some(&app.alpha), "editor@alpha.test", Role::Editor).await;
    app.add_staff(Some(&app.alpha), "viewer@alpha.test", Role::Viewer).await;
    app.add_staff(Some(&app.beta), "admin@beta.test", Role::Admin).await;
    let editor = app.signed_in(ALPHA, "editor@alpha.test").await;

    let unready = id_from(&upload(&app, &editor, &COMPLETE.replace("2026-09-30", "2000-01-01")).await);
    let refused = post(&app, &editor, ALPHA, &format!("/staff/surveys/{unready}/request-approval"), &[]).await;
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.expect("body").contains("Sett en siste svardag fram i tid."), "says what is missing");
    assert_eq!(survey_in_db(&app, unready).await.approval_requested_at, None);

    let id = id_from(&upload(&app, &editor, &complete_file()).await);
    let viewer = app.signed_in(ALPHA, "viewer@alpha.test").await;
    let by_viewer = post(&app, &viewer, ALPHA, &format!("/staff/surveys/{id}/request-approval"), &[]).await;
    assert_eq!(by_viewer.status(), 403);
    let sent = post(&app, &editor, ALPHA, &format!("/staff/surveys/{id}/request-approval"), &[]).await;
    assert_eq!(sent.status(), 303);
    assert_eq!(sent.headers()["location"], format!("/staff/surveys/{id}?requested=1").as_str());
    let page = editor.get(app.url(ALPHA, &format!("/staff/surveys/{id}?requested=1"))).send().await.expect("get");
    let html = page.text().await.expect("body");
    assert!(html.contains("Undersøkelsen er sendt til godkjenning.") && html.contains("id=\"approval-requested\""));
    assert!(!html.contains("/request-approval\""), "no second button");
    let list = editor.get(app.url(ALPHA, "/staff/surveys")).send().await.expect("list").text().await.expect("body");
    assert!(list.contains("Venter på godkjenning"), "{list}");

    for admin in ["first@alpha.test", "second@alpha.test"] {
        let mails = app.sent_emails_to(admin).await;
        assert_eq!(mails.len(), 1, "{admin}");
        assert_eq!(mails[0].kind, "approval_request");
        assert!(mails[0].subject.starts_with("Til godkjenning: "), "{}", mails[0].subject);
        assert!(
            mails[0].text_body.contains(&app.url(ALPHA, &format!("/staff/surveys/{id}"))),
            "{}",
            mails[0].text_body
        );
    }
    let again = post(&app, &editor, ALPHA, &format!("/staff/surveys/{id}/request-approval"), &[]).await;
    assert_eq!(again.status(), 303, "asking twice is harmless");
    let requests = radslag::entities::outbox_email::Entity::find()
        .filter(radslag::entities::outbox_email::Column::Kind.eq("approval_request"))
        .all(&app.db)
        .await
        .expect("outbox");
    assert_eq!(requests.len(), 2, "one email per admin of this municipality, once");
    assert!(requests.iter().all(|r| r.to_address.ends_with("@alpha.test")));
    assert_eq!(
        audit_actions(&app, id).await.iter().filter(|a| *a == "survey.approval_requested").count(),
        1,
        "audited once"
    );

    let second = app.signed_in(ALPHA, "second@alpha.test").await;
    let approved = post(&app, &second, ALPHA, &format!("/staff/surveys/{id}/status/approve"), &[]).await;
    assert_eq!(approved.status(), 303);
    assert_eq!(survey_in_db(&app, id).await.status, SurveyStatus::Approved);
}

async fn an_approved_survey_past_its_closing_date_does_not_open(backend: Backend) {
    use sea_orm::{ActiveModelTrait, Set};
    let Some(app) = spawn_app(backend).await else { return };
    app.add_staff(Some(&app.alpha), "first@alpha.test", Role::Admin).await;
    app.add_staff(Some(&app.alpha), "second@alpha.test", Role::Admin).await;
    let first = app.signed_in(ALPHA, "first@alpha.test").await;
    let second = app.signed_in(ALPHA, "second@alpha.test").await;
    let id = id_from(&upload(&app, &first, &complete_file()).await);
    assert_eq!(post(&app, &second, ALPHA, &format!("/staff/surveys/{id}/status/approve"), &[]).await.status(), 303);
    // Approved in time, but left waiting until after its last day.
    survey::ActiveModel { id: Set(id), closes_on: Set(Some("2001-01-01".into())), ..Default::default() }
        .update(&app.db)
        .await
        .expect("closing date passes");
    let refused = post(&app, &first, ALPHA, &format!("/staff/surveys/{id}/status/open"), &[]).await;
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.expect("body").contains("Sett en siste svardag fram i tid."));
    assert_eq!(survey_in_db(&app, id).await.status, SurveyStatus::Approved);
}

/// Post a form on the edit page and expect it to be saved (303).
async fn saved(app: &TestApp, client: &reqwest::Client, id: i32, pairs: &[(&str, &str)]) {
    let response = edit(app, client, id, pairs).await;
    let status = response.status();
    let html = response.text().await.expect("body");
    let summary = html.split("ds-error-summary").nth(1).unwrap_or("").split("</div>").next().unwrap_or("");
    assert_eq!(status, 303, "{pairs:?}: {summary}");
}

fn labels(choices: &[radslag::domain::survey::Choice], language: Language) -> Vec<(String, String)> {
    choices.iter().map(|c| (c.key.clone(), c.label.get(language, language).to_owned())).collect()
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
}

async fn every_question_type_is_built_through_the_forms(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    app.add_staff(Some(&app.alpha), "editor@alpha.test", Role::Editor).await;
    let editor = app.signed_in(ALPHA, "editor@alpha.test").await;
    let created = post(
        &app,
        &editor,
        ALPHA,
        "/staff/surveys",
        &[("title", "Biblioteket"), ("languages", "nb"), ("languages", "en"), ("kind", "panel")],
    )
    .await;
    let id = id_from(&created);
    let add = |kind: &'static str, text: &'static str, options: &'static str| {
        [("op", "question_add"), ("target", "0"), ("type", kind), ("text.nb", text), ("options.nb", options)]
    };
    saved(&app, &editor, id, &add("likert", "Biblioteket er viktig for meg.", "")).await;
    saved(&app, &editor, id, &add("likert_matrix", "Hva synes du om", "Åpningstider\nUtvalg")).await;
    saved(&app, &editor, id, &add("ranking", "Hva er viktigst?", "Flere bøker\nLengre åpningstid\nKafé")).await;
    saved(&app, &editor, id, &add("number", "Hvor mange besøk i fjor?", "")).await;
    saved(&app, &editor, id, &add("multiple_choice", "Hva gjør du der?", "Leser\nLåner\nMøter folk")).await;
    saved(
        &app,
        &editor,
        id,
        &[
            ("op", "section_add"),
            ("title.nb", "Om deg"),
            ("type", "single_choice"),
            ("text.nb", "Bor du her?"),
            ("options.nb", "Ja\nNei"),
        ],
    )
    .await;
    assert_eq!(keys(&survey_in_db(&app, id).await), vec![vec!["q1", "q2", "q3", "q4", "q5", "q6"], vec!["q7"]]);

    // Likert: reworded scale, help, "don't know", a compass area and a ladder step.
    saved(
        &app,
        &editor,
        id,
        &[
            ("op", "question_update"),
            ("target", "q2"),
            ("key", "viktig"),
            ("text.nb", "Biblioteket er viktig for meg."),
            ("text.en", "The library matters to me."),
            ("help.nb", "Tenk på det siste året."),
            ("scale.nb", "Helt uenig\nUenig\nNøytral\nEnig\nHelt enig"),
            ("scale.en", "Strongly disagree\nDisagree\nNeutral\nAgree\nStrongly agree"),
            ("dont_know", "on"),
            ("compass_area", "3"),
            ("ladder_step", "dialogue"),
        ],
    )
    .await;
    // Matrix: a four-point scale and a third statement.
    saved(
        &app,
        &editor,
        id,
        &[
            ("op", "question_update"),
            ("target", "q3"),
            ("key", "q3"),
            ("text.nb", "Hva synes du om"),
            ("scale.nb", "Svært dårlig\nDårlig\nGod\nSvært god"),
            ("statements.nb", "Åpningstider\nUtvalg\nLokaler"),
            ("statements.en", "Opening hours\nSelection\nPremises"),
            ("required", "on"),
        ],
    )
    .await;
    // Ranking: reorder and reword keeps keys by label.
    saved(
        &app,
        &editor,
        id,
        &[
            ("op", "question_update"),
            ("target", "q4"),
            ("key", "q4"),
            ("text.nb", "Hva er viktigst?"),
            ("options.nb", "Kafé\nFlere bøker\nLengre åpningstid"),
        ],
    )
    .await;
    saved(
        &app,
        &editor,
        id,
        &[
            ("op", "question_update"),
            ("target", "q5"),
            ("key", "q5"),
            ("text.nb", "Hvor mange besøk i fjor?"),
            ("min", "0"),
            ("max", "365"),
            ("integer", "on"),
        ],
    )
    .await;
    saved(
        &app,
        &editor,
        id,
        &[
            ("op", "question_update"),
            ("target", "q6"),
            ("key", "q6"),
            ("text.nb", "Hva gjør du der?"),
            ("help.nb", "Velg alt som passer."),
            ("options.nb", "Leser\nLåner\nMøter folk"),
            ("other", "on"),
        ],
    )
    .await;
    saved(
        &app,
        &editor,
        id,
        &[
            ("op", "section_update"),
            ("target", "1"),
            ("title.nb", "Om bruken"),
            ("title.en", "About your use"),
            ("intro.nb", "Noen spørsmål om hvor du bor."),
        ],
    )
    .await;
    saved(
        &app,
        &editor,
        id,
        &[
            ("op", "section_rule"),
            ("target", "1"),
            ("combine", "all"),
            ("rule_question.0", "q5"),
            ("rule_op.0", "gte"),
            ("rule_number.0", "1"),
        ],
    )
    .await;
    let stored = survey_in_db(&app, id).await;

    // A refused min > max and a page rule pointing at a later question save nothing.
    let reversed = edit(
        &app,
        &editor,
        id,
        &[
            ("op", "question_update"),
            ("target", "q5"),
            ("key", "q5"),
            ("text.nb", "Hvor mange besøk i fjor?"),
            ("min", "50"),
            ("max", "10"),
        ],
    )
    .await;
    assert_eq!(reversed.status(), 422);
    assert!(reversed.text().await.expect("body").contains("Minste verdi kan ikke være større enn største verdi."));
    let later = edit(
        &app,
        &editor,
        id,
        &[("op", "section_rule"), ("target", "0"), ("rule_question.0", "q7"), ("rule_op.0", "answered")],
    )
    .await;
    assert_eq!(later.status(), 422);
    assert!(later.text().await.expect("body").contains("som ikke er et tidligere spørsmål"));
    assert_eq!(survey_in_db(&app, id).await.definition, stored.definition, "nothing saved");

    let definition = &stored.definition;
    assert_eq!(keys(&stored), vec![vec!["q1", "viktig", "q3", "q4", "q5", "q6"], vec!["q7"]]);
    let likert = definition.question("viktig").expect("likert");
    assert_eq!(likert.help.get(Language::Nb, Language::Nb), "Tenk på det siste året.");
    assert!(likert.dont_know && !likert.required);
    assert_eq!((likert.compass_area, likert.ladder_step), (Some(3), Some(LadderStep::Dialogue)));
    let QuestionKind::Likert { scale } = &likert.kind else { panic!("likert: {likert:?}") };
    assert_eq!(scale.iter().map(|c| c.key.as_str()).collect::<Vec<_>>(), ["1", "2", "3", "4", "5"]);
    assert_eq!(scale[4].label.get(Language::En, Language::Nb), "Strongly agree");
    let matrix = definition.question("q3").expect("matrix");
    assert!(matrix.required);
    let QuestionKind::LikertMatrix { scale, statements } = &matrix.kind else { panic!("matrix: {matrix:?}") };
    assert_eq!(
        labels(scale, Language::Nb),
        pairs(&[("1", "Svært dårlig"), ("2", "Dårlig"), ("3", "God"), ("4", "Svært god")])
    );
    assert_eq!(
        labels(statements, Language::En),
        pairs(&[("apningstider", "Opening hours"), ("utvalg", "Selection"), ("lokaler", "Premises")])
    );
    let QuestionKind::Ranking { options } = &definition.question("q4").expect("ranking").kind else {
        panic!("ranking")
    };
    assert_eq!(
        labels(options, Language::Nb),
        pairs(&[("kafe", "Kafé"), ("flere_boker", "Flere bøker"), ("lengre_apningstid", "Lengre åpningstid")])
    );
    assert_eq!(
        definition.question("q5").expect("number").kind,
        QuestionKind::Number { min: Some(0.0), max: Some(365.0), integer: true }
    );
    let choices = definition.question("q6").expect("multiple choice");
    assert_eq!(choices.help.get(Language::Nb, Language::Nb), "Velg alt som passer.");
    assert!(matches!(choices.kind, QuestionKind::MultipleChoice { other: true, .. }));
    let page = &definition.sections[1];
    assert_eq!(page.title.get(Language::En, Language::Nb), "About your use");
    assert_eq!(page.intro.get(Language::Nb, Language::Nb), "Noen spørsmål om hvor du bor.");
    let rule = page.show_if.as_ref().expect("page rule");
    assert_eq!((rule.rules[0].question.as_str(), rule.rules[0].op, rule.rules[0].number), ("q5", Op::Gte, Some(1.0)));
    let actions = audit_actions(&app, id).await;
    assert!(actions.iter().any(|a| a == "survey.section.update") && actions.iter().any(|a| a == "survey.section.rule"));

    // What a resident sees (the preview frame is the resident page).
    let frame = format!("/staff/surveys/{id}/preview/frame");
    let html = editor.get(app.url(ALPHA, &frame)).send().await.expect("frame").text().await.expect("body");
    for shown in [
        "Tenk på det siste året.",
        "Helt enig",
        "Svært god",
        "Lokaler",
        "name=\"q.q3.lokaler\"",
        "name=\"q.q4.kafe\"",
        "Lengre åpningstid",
        "Velg alt som passer.",
        "name=\"q.q6.other\"",
    ] {
        assert!(html.contains(shown), "{shown} on the resident page:\n{html}");
    }
}

const EVERY_TYPE: &str = include_str!("fixtures/every-question-type.json");

/// The every-question-type definition wrapped as a survey file.
fn every_type_file() -> serde_json::Value {
    let definition: serde_json::Value = serde_json::from_str(EVERY_TYPE).expect("fixture is JSON");
    serde_json::json!({
        "format": "radslag-survey",
        "version": 1,
        "kind": "panel",
        "closes_on": "2099-06-30",
        "ladder_step": "consultation",
        "reminder_after_days": 5,
        "max_reminders": 1,
        "definition": definition,
    })
}

async fn every_question_type_survives_export_and_import(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    app.add_staff(Some(&app.alpha), "editor@alpha.test", Role::Editor).await;
    let editor = app.signed_in(ALPHA, "editor@alpha.test").await;
    let file = every_type_file();
    let types: Vec<&str> = file["definition"]["sections"]
        .as_array()
        .expect("sections")
        .iter()
        .flat_map(|s| s["questions"].as_array().expect("questions"))
        .filter_map(|q| q["type"].as_str())
        .collect();
    for name in radslag::domain::survey::edit::QUESTION_TYPES {
        assert!(types.contains(&name), "the fixture has a {name} question");
    }

    let uploaded = upload(&app, &editor, &serde_json::to_string_pretty(&file).expect("json")).await;
    assert_eq!(uploaded.status(), 303);
    let id = id_from(&uploaded);
    let export = |id: i32| {
        let editor = editor.clone();
        let url = app.url(ALPHA, &format!("/staff/surveys/{id}/export"));
        async move {
            let response = editor.get(url).send().await.expect("export");
            assert_eq!(response.status(), 200);
            response.text().await.expect("body")
        }
    };
    let exported = export(id).await;
    let parsed: serde_json::Value = serde_json::from_str(&exported).expect("export is JSON");
    includes(&parsed, &file, "file");
    let (canonical, _) =
        radslag::domain::survey::file::SurveyFile::parse(&file.to_string()).expect("the wrapped fixture is valid");
    assert_eq!(exported, canonical.to_canonical_json().expect("canonical"), "canonical JSON");
    assert_eq!(survey_in_db(&app, id).await.definition, common::fixtures::definition());

    // The exported text is canonical: importing it again exports the same bytes.
    let again = upload(&app, &editor, &exported).await;
    assert_eq!(again.status(), 303);
    assert_eq!(export(id_from(&again)).await, exported);
}

/// Every field written in `expected` is in `actual` with the same value
/// (the export may add defaults the file left out).
fn includes(actual: &serde_json::Value, expected: &serde_json::Value, path: &str) {
    match (actual, expected) {
        (serde_json::Value::Object(actual), serde_json::Value::Object(expected)) => {
            for (name, value) in expected {
                let found = actual.get(name).unwrap_or_else(|| panic!("{path}.{name} lost"));
                includes(found, value, &format!("{path}.{name}"));
            }
        }
        (serde_json::Value::Array(actual), serde_json::Value::Array(expected)) => {
            assert_eq!(actual.len(), expected.len(), "{path}");
            for (i, (a, e)) in actual.iter().zip(expected).enumerate() {
                includes(a, e, &format!("{path}[{i}]"));
            }
        }
        // 60 and 60.0 are the same number; JSON does not tell them apart.
        (serde_json::Value::Number(actual), serde_json::Value::Number(expected)) => {
            assert_eq!(actual.as_f64(), expected.as_f64(), "{path}");
        }
        _ => assert_eq!(actual, expected, "{path}"),
    }
}

/// Check `value` against a schema object node: required properties present,
/// no unknown ones where the schema forbids them, `const` and `enum` kept.
fn conforms(node: &serde_json::Value, value: &serde_json::Value, path: &str) {
    if let Some(expected) = node.get("const") {
        assert_eq!(value, expected, "{path}");
    }
    if let Some(allowed) = node.get("enum").and_then(|e| e.as_array()) {
        assert!(allowed.contains(value), "{path}: {value} not in {allowed:?}");
    }
    let Some(properties) = node.get("properties").and_then(|p| p.as_object()) else { return };
    let object = value.as_object().unwrap_or_else(|| panic!("{path} is an object"));
    for name in node["required"].as_array().into_iter().flatten().filter_map(|n| n.as_str()) {
        assert!(object.contains_key(name), "{path}.{name} is required");
    }
    if node.get("additionalProperties") == Some(&serde_json::Value::Bool(false)) {
        for name in object.keys() {
            assert!(properties.contains_key(name), "{path}.{name} is not in the schema");
        }
    }
    for (name, property) in properties {
        if let Some(inner) = object.get(name) {
            conforms(property, inner, &format!("{path}.{name}"));
        }
    }
}

/// Every demo survey file and the every-question-type fixture follow the
/// schema's required fields, known properties and question types.
#[test]
fn the_demo_surveys_and_the_fixture_follow_the_schema() {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/survey.schema.json")).expect("schema");
    let schema: serde_json::Value = serde_json::from_str(&text).expect("schema is JSON");
    let defs = &schema["$defs"];
    let directory = concat!(env!("CARGO_MANIFEST_DIR"), "/src/demo/surveys");
    let mut files: Vec<(String, serde_json::Value)> = std::fs::read_dir(directory)
        .expect("demo surveys")
        .map(|entry| {
            let path = entry.expect("entry").path();
            let text = std::fs::read_to_string(&path).expect("read");
            (path.display().to_string(), serde_json::from_str(&text).expect("demo file is JSON"))
        })
        .collect();
    assert!(files.len() >= 8, "{} demo surveys", files.len());
    files.push(("every-question-type".into(), every_type_file()));
    for (name, file) in &files {
        conforms(&schema, file, name);
        let definition = &file["definition"];
        conforms(&defs["definition"], definition, &format!("{name}: definition"));
        for (s, section) in definition["sections"].as_array().expect("sections").iter().enumerate() {
            let path = format!("{name}: sections[{s}]");
            conforms(&defs["section"], section, &path);
            for (q, question) in section["questions"].as_array().expect("questions").iter().enumerate() {
                let path = format!("{path}.questions[{q}]");
                let kind = question["type"].as_str().unwrap_or_else(|| panic!("{path}.type"));
                let node = defs["question_types"].get(kind).unwrap_or_else(|| panic!("{path}: {kind} not in schema"));
                conforms(node, question, &path);
                for list in ["options", "scale", "statements"] {
                    for (c, choice) in question[list].as_array().into_iter().flatten().enumerate() {
                        conforms(&defs["choice"], choice, &format!("{path}.{list}[{c}]"));
                    }
                }
                if let Some(condition) = question.get("show_if") {
                    conforms(&defs["condition"], condition, &format!("{path}.show_if"));
                    for rule in condition["rules"].as_array().expect("rules") {
                        conforms(&defs["rule"], rule, &format!("{path}.show_if.rules"));
                    }
                }
            }
        }
    }
}
