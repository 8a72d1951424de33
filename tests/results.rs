//! Results: aggregates, suppression, weighting, moderation, feedback and
//! publishing, JSON-stat margins — through HTTP, on SQLite and PostgreSQL.
//! Responses are inserted directly as the answering part would store them.

mod common;
#[path = "browser/harness.rs"]
#[expect(dead_code, reason = "the results journey uses part of the browser harness")]
mod harness;

use common::{ALPHA, BETA, Backend, TestApp, csrf_from, fixtures, spawn_app};
use radslag::domain::Role;
use radslag::entities::{audit_event, outbox_email, population_margin, response, response_answer, survey};
use radslag::services::results::{self, ResultsRequest};
use radslag::services::surveys;
use radslag::services::tenant::Municipality;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde_json::json;

on_both_backends!(
    counts_shares_means_medians_nps_and_ranking_come_from_known_rows,
    small_groups_and_their_complements_are_hidden_in_html_and_csv,
    weighted_estimates_match_the_fixture,
    public_page_goes_live_on_publish_and_feedback_reaches_every_invited_member_once,
    moderation_keeps_unapproved_text_off_the_public_page,
    results_stay_inside_their_municipality,
    roles_limit_results_moderation_and_publishing,
    jsonstat_margins_are_imported_or_refused_with_reasons,
    aggregation_of_20000_responses_runs_in_sql,
    hidden_groups_cannot_be_recovered_by_subtracting_across_questions,
    public_page_breaks_down_by_district_age_and_gender_with_the_same_suppression,
    results_are_reported_per_channel_and_open_answers_are_not_weighted,
    a_channel_with_few_answers_is_hidden_and_cannot_be_recovered_from_the_total,
);

fn text(value: &str) -> serde_json::Value {
    json!({ "nb": value, "en": value })
}

fn options(keys: &[&str]) -> serde_json::Value {
    keys.iter().map(|k| json!({ "key": k, "label": text(&format!("Valg {k}")) })).collect()
}

/// A survey with one question of every kind the tests need.
fn definition() -> serde_json::Value {
    json!({
        "languages": ["nb", "en"],
        "title": text("Parker og transport"),
        "purpose": text("Vi vil vite hva dere mener."),
        "influence": json!({ "nb": "Hvor de nye benkene settes opp.", "en": "Where the new benches go." }),
        "decided_by": json!({ "nb": "Bystyret", "en": "The city council" }),
        "sections": [{
            "key": "s1",
            "title": text("Spørsmål"),
            "questions": [
                { "key": "transport", "text": text("Hvordan reiser du?"), "type": "single_choice", "options": options(&["bus", "car", "bike"]) },
                { "key": "satisfaction", "text": text("Hvor fornøyd er du?"), "type": "likert", "dont_know": true, "scale": options(&["s1", "s2", "s3", "s4", "s5"]) },
                { "key": "recommend", "text": text("Vil du anbefale kommunen?"), "type": "rating" },
                { "key": "priorities", "text": text("Ranger tiltakene"), "type": "ranking", "options": options(&["a", "b", "c"]) },
                { "key": "matrix", "text": text("Hva mener du om påstandene?"), "type": "likert_matrix", "scale": options(&["m1", "m2", "m3"]), "statements": options(&["x", "y"]) },
                { "key": "services", "text": text("Hva bruker du?"), "type": "multiple_choice", "other": true, "options": options(&["lib", "pool"]) },
                { "key": "comment", "text": text("Andre innspill?"), "type": "long_text" },
                { "key": "few_texts", "text": text("Noe mer?"), "type": "short_text" }
            ]
        }]
    })
}

async fn add_survey(app: &TestApp, municipality: &Municipality, status: &str, definition: serde_json::Value) -> i32 {
    survey::ActiveModel {
        municipality_id: Set(municipality.id),
        status: Set(status.to_owned()),
        kind: Set("panel".to_owned()),
        definition: Set(definition.to_string()),
        closes_on: Set(None),
        compass_areas: Set(String::new()),
        ladder_step: Set(None),
        public_token_hash: Set(None),
        reminder_after_days: Set(7),
        max_reminders: Set(2),
        created_by: Set(None),
        approved_by: Set(None),
        created_at: Set(0),
        updated_at: Set(0),
        opened_at: Set(Some(0)),
        closed_at: Set(Some(0)),
        published_at: Set(None),
        feedback: Set(None),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect("survey")
    .id
}

/// Who answered.
#[derive(Clone, Copy)]
struct Who {
    age_band: &'static str,
    gender: &'static str,
    district: &'static str,
}

const SOMEONE: Who = Who { age_band: "35-44", gender: "female", district: "sentrum" };

/// One stored answer row: question, item, option, number, text, don't know.
type Row = (&'static str, Option<&'static str>, Option<&'static str>, Option<f64>, Option<&'static str>, bool);

async fn add_response(app: &TestApp, municipality: &Municipality, survey_id: i32, who: Who, rows: &[Row]) -> String {
    add_channel_response(app, municipality, survey_id, "panel", Some(who), rows).await
}

/// A response that came through `channel`; open-link answers have no `who`.
async fn add_channel_response(
    app: &TestApp,
    municipality: &Municipality,
    survey_id: i32,
    channel: &str,
    who: Option<Who>,
    rows: &[Row],
) -> String {
    let id = radslag::domain::SecretToken::generate().reveal();
    response::ActiveModel {
        id: Set(id.clone()),
        municipality_id: Set(municipality.id),
        survey_id: Set(survey_id),
        submitted_on: Set("2026-11-01".to_owned()),
        channel: Set(channel.to_owned()),
        age_band: Set(who.map(|w| w.age_band.to_owned())),
        gender: Set(who.map(|w| w.gender.to_owned())),
        district: Set(who.map(|w| w.district.to_owned())),
        source_group: Set(who.map(|_| "self".to_owned())),
    }
    .insert(&app.db)
    .await
    .expect("response");
    let models: Vec<response_answer::ActiveModel> = rows
        .iter()
        .map(|(question, item, option, number, text, dont_know)| response_answer::ActiveModel {
            municipality_id: Set(municipality.id),
            response_id: Set(id.clone()),
            survey_id: Set(survey_id),
            question_key: Set((*question).to_owned()),
            item_key: Set(item.map(str::to_owned)),
            option_key: Set(option.map(str::to_owned)),
            number_value: Set(*number),
            text_value: Set(text.map(str::to_owned)),
            dont_know: Set(*dont_know),
            moderation: Set(if text.is_some() { "pending" } else { "none" }.to_owned()),
            ..Default::default()
        })
        .collect();
    if !models.is_empty() {
        response_answer::Entity::insert_many(models).exec_without_returning(&app.db).await.expect("answers");
    }
    id
}

fn choice(question: &'static str, option: &'static str) -> Row {
    (question, None, Some(option), None, None, false)
}

fn number(question: &'static str, value: f64) -> Row {
    (question, None, None, Some(value), None, false)
}

/// Twelve responses with known answers (see the expected numbers in the test).
async fn seed_known_responses(app: &TestApp, survey_id: i32) {
    let satisfaction = ["s1", "s2", "s3", "s4", "s4", "s4", "s5", "s5", "s5", "s5"];
    let recommend = [10.0, 9.0, 9.0, 8.0, 7.0, 6.0, 5.0, 0.0, 10.0, 8.0];
    let comments = [
        "HEMMELIG ventende tekst",
        "Bedre belysning langs elva",
        "SKJULT tekst om naboen",
        "Ring Kari på 912 34 567 om benkene",
        "Flere benker i parken",
        "Mer lys i tunnelen",
    ];
    for i in 0..12usize {
        let mut rows: Vec<Row> = Vec::new();
        rows.push(choice("transport", ["bus", "car", "bike"][usize::from(i >= 6) + usize::from(i >= 10)]));
        if i < 10 {
            rows.push(choice("satisfaction", satisfaction[i]));
            rows.push(number("recommend", recommend[i]));
        } else {
            rows.push(("satisfaction", None, None, None, None, true));
        }
        if i < 6 {
            let order: [&'static str; 3] = if i < 4 { ["a", "b", "c"] } else { ["b", "c", "a"] };
            for (position, option) in order.iter().enumerate() {
                rows.push(("priorities", None, Some(option), Some((position + 1) as f64), None, false));
            }
            rows.push(("matrix", Some("x"), Some(["m1", "m2", "m3", "m3", "m3", "m2"][i]), None, None, false));
            rows.push(("matrix", Some("y"), Some("m1"), None, None, false));
            let services: &[&'static str] =
                [&["lib", "pool"][..], &["lib"], &["pool", "other"], &["lib"], &["lib", "other"], &["pool"]][i];
            for service in services {
                let other_text = match (*service, i) {
                    ("other", 2) => Some("Skatepark ved skolen"),
                    ("other", _) => Some("Svar til ola@example.no"),
                    _ => None,
                };
                rows.push(("services", None, Some(service), None, other_text, false));
            }
            rows.push(("comment", None, None, None, Some(comments[i]), false));
        }
        if i < 3 {
            rows.push(("few_texts", None, None, None, Some("FÅ SVAR tekst"), false));
        }
        add_response(app, &app.alpha, survey_id, SOMEONE, &rows).await;
    }
}

/// Parse the CSV export into rows of fields (no quoted commas in these tests).
async fn export(client: &reqwest::Client, app: &TestApp, host: &str, survey_id: i32, query: &str) -> Vec<Vec<String>> {
    let response = client
        .get(app.url(host, &format!("/staff/surveys/{survey_id}/results/export?{query}")))
        .send()
        .await
        .expect("export");
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"].to_str().expect("ascii").starts_with("text/csv"));
    let body = response.text().await.expect("body");
    body.lines().skip(1).map(|line| line.split(',').map(str::to_owned).collect()).collect()
}

/// The row for question/item/group/option.
fn find<'a>(rows: &'a [Vec<String>], question: &str, item: &str, group: &str, option: &str) -> &'a Vec<String> {
    rows.iter()
        .find(|r| r[0] == question && r[1] == item && r[3] == group && r[4] == option)
        .unwrap_or_else(|| panic!("no row {question}/{item}/{group}/{option}"))
}

fn value(row: &[String], column: usize) -> f64 {
    row[column].parse().unwrap_or_else(|_| panic!("number in {row:?}"))
}

async fn analyst(app: &TestApp, host: &str, municipality: &Municipality, email: &str) -> reqwest::Client {
    app.add_staff(Some(municipality), email, Role::Analyst).await;
    app.signed_in(host, email).await
}

async fn counts_shares_means_medians_nps_and_ranking_come_from_known_rows(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let survey_id = add_survey(&app, &app.alpha, "closed", definition()).await;
    seed_known_responses(&app, survey_id).await;
    let client = analyst(&app, ALPHA, &app.alpha, "analytiker@alpha.test").await;
    let rows = export(&client, &app, ALPHA, survey_id, "").await;

    // Single choice: 6 bus, 4 car, 2 bike of 12.
    let bus = find(&rows, "transport", "", "", "bus");
    assert_eq!((bus[5].as_str(), bus[6].as_str()), ("12", "6"));
    assert!((value(bus, 7) - 0.5).abs() < 1e-6);
    assert!((value(find(&rows, "transport", "", "", "bike"), 7) - 2.0 / 12.0).abs() < 1e-6);
    // Likert: ten answers 1,2,3,4,4,4,5,5,5,5 and two "don't know".
    let mean = find(&rows, "satisfaction", "", "", "mean");
    assert_eq!(mean[5], "10");
    assert!((value(mean, 7) - 3.8).abs() < 1e-9);
    assert!((value(find(&rows, "satisfaction", "", "", "median"), 7) - 4.0).abs() < 1e-9);
    assert_eq!(find(&rows, "satisfaction", "", "", "dont_know")[6], "2");
    // Rating 0–10: 10,9,9,8,7,6,5,0,10,8 → mean 7.2, median 8, NPS (4 − 3) / 10 = 10.
    assert!((value(find(&rows, "recommend", "", "", "mean"), 7) - 7.2).abs() < 1e-9);
    assert!((value(find(&rows, "recommend", "", "", "median"), 7) - 8.0).abs() < 1e-9);
    assert!((value(find(&rows, "recommend", "", "", "nps"), 7) - 10.0).abs() < 1e-9);
    assert_eq!(find(&rows, "recommend", "", "", "10")[6], "2");
    // Ranking: four a>b>c and two b>c>a: mean ranks 10/6, 10/6, 16/6; Borda 14, 14, 8.
    let ranking = radslag::services::results::compute(
        &app.db,
        &app.alpha,
        &surveys::load(&app.db, &app.alpha, survey_id).await.expect("load").expect("survey"),
        &ResultsRequest::default(),
    )
    .await
    .expect("compute");
    let priorities = ranking.questions.iter().find(|q| q.key == "priorities").expect("question");
    let figures: Vec<(String, f64, f64)> = priorities.items[0].columns[0]
        .options
        .iter()
        .map(|o| (o.key.clone(), o.mean_rank.expect("rank"), o.borda.expect("borda")))
        .collect();
    for ((key, rank, borda), (expected_key, expected_rank, expected_borda)) in
        figures.iter().zip([("a", 10.0 / 6.0, 14.0), ("b", 10.0 / 6.0, 14.0), ("c", 16.0 / 6.0, 8.0)])
    {
        assert_eq!(key, expected_key);
        assert!((rank - expected_rank).abs() < 1e-9 && (borda - expected_borda).abs() < 1e-9, "{figures:?}");
    }
    // Matrix, per statement; multiple choice shares of respondents (sum over 100 %).
    assert_eq!(find(&rows, "matrix", "x", "", "m3")[6], "3");
    assert_eq!(find(&rows, "matrix", "y", "", "m1")[6], "6");
    let library = find(&rows, "services", "", "", "lib");
    assert_eq!((library[5].as_str(), library[6].as_str()), ("6", "4"));
    assert_eq!(find(&rows, "services", "", "", "other")[6], "2");

    // Broken down by the answer to another question. The rating was given
    // by bus 6 and car 4 (bike: nobody): car is small, and only hiding bus
    // too keeps it from being the rating's total minus bus. One hidden set
    // serves every question, so bus is hidden for the Likert question too,
    // though there it would have been large enough on its own.
    let by_transport = export(&client, &app, ALPHA, survey_id, "breakdown=question:transport").await;
    assert!(
        !by_transport.iter().any(|r| ["bus", "car", "bike"].contains(&r[3].as_str())),
        "every group with respondents is hidden in every question: {by_transport:?}"
    );
    assert_eq!(find(&by_transport, "satisfaction", "", "", "mean")[5], "10", "the totals stay");
    // Two more bike riders who give a rating: car (4) and bike (2 + 2) now
    // cover each other in every question, and bus (6 answers, mean
    // (1+2+3+4+4+4)/6 = 3) is shown; car and bike are hidden.
    for _ in 0..2 {
        add_response(&app, &app.alpha, survey_id, SOMEONE, &[choice("transport", "bike"), number("recommend", 7.0)])
            .await;
    }
    let by_transport = export(&client, &app, ALPHA, survey_id, "breakdown=question:transport").await;
    let bus_mean = find(&by_transport, "satisfaction", "", "bus", "mean");
    assert_eq!(bus_mean[2], "question:transport");
    assert_eq!(bus_mean[5], "6");
    assert!((value(bus_mean, 7) - 3.0).abs() < 1e-9);
    assert!(!by_transport.iter().any(|r| r[0] == "satisfaction" && (r[3] == "car" || r[3] == "bike")));

    let page = client.get(app.url(ALPHA, &format!("/staff/surveys/{survey_id}/results"))).send().await.expect("page");
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("body");
    assert!(html.contains("<svg class=\"results-chart\" role=\"img\""), "charts are drawn");
    assert!(html.contains("<title id=\"chart-transport-title\">Hvordan reiser du?</title>"));
    assert!(html.contains("<caption>"), "tables have captions");
    assert!(html.contains("3,80"), "the Likert mean is shown: {html}");
    assert!(!html.contains("HEMMELIG"), "pending text is not shown even to staff on the results page");
}

async fn small_groups_and_their_complements_are_hidden_in_html_and_csv(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let survey_id = add_survey(&app, &app.alpha, "open", definition()).await;
    // sentrum 10, nord 3 (below the threshold of 5), sor 6.
    for (district, count) in [("sentrum", 10), ("nord", 3), ("sor", 6)] {
        for i in 0..count {
            let who = Who { district, gender: if i % 2 == 0 { "female" } else { "male" }, age_band: "25-34" };
            add_response(&app, &app.alpha, survey_id, who, &[choice("transport", if i < 2 { "car" } else { "bus" })])
                .await;
        }
    }
    let client = analyst(&app, ALPHA, &app.alpha, "analytiker@alpha.test").await;
    let rows = export(&client, &app, ALPHA, survey_id, "breakdown=district").await;
    let groups: std::collections::BTreeSet<&str> =
        rows.iter().filter(|r| r[0] == "transport").map(|r| r[3].as_str()).collect();
    assert!(groups.contains("sentrum"), "{groups:?}");
    assert!(!groups.contains("nord"), "the small group is hidden");
    assert!(!groups.contains("sor"), "a second group is hidden so the first cannot be recovered from the total");
    let total = value(find(&rows, "transport", "", "", "bus"), 5);
    let shown: f64 =
        rows.iter().filter(|r| r[0] == "transport" && !r[3].is_empty() && r[4] == "bus").map(|r| value(r, 5)).sum();
    assert_eq!(total, 19.0);
    assert!(total - shown >= 5.0 && total - shown != 3.0, "what is left over is no single small group");
    // Sentrum's counts are there (bus 8 of 10).
    assert_eq!(find(&rows, "transport", "", "sentrum", "bus")[6], "8");

    let html = client
        .get(app.url(ALPHA, &format!("/staff/surveys/{survey_id}/results?breakdown=district")))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("body");
    assert!(html.contains("results-breakdown"), "the breakdown table is shown");
    let breakdown = &html[html.find("results-breakdown\"").expect("table")..];
    let breakdown = &breakdown[..breakdown.find("</table>").expect("end")];
    assert_eq!(breakdown.matches(">skjult<").count(), 2 + 2 * 3, "n and every option of nord and sør are hidden");
    let representation = &html[html.find("Svarpersoner og befolkning").expect("representation")..];
    let representation = &representation[..representation.find("</table>").expect("end")];
    assert!(!representation.contains(">3<"), "the small district's count is not in the representation table");

    // Gender groups (10 + 9) are both large enough: nothing is hidden.
    let by_gender = export(&client, &app, ALPHA, survey_id, "breakdown=gender").await;
    assert!(by_gender.iter().any(|r| r[3] == "female") && by_gender.iter().any(|r| r[3] == "male"));
}

/// Everyone answers the transport question; six in sentrum skip the rating.
/// Sentrum 10, nord 3, sør 6 (the rating: 4, 3, 6), all women aged 25–34.
async fn seed_skipped_rating(app: &TestApp, survey_id: i32) {
    for (district, count) in [("sentrum", 10), ("nord", 3), ("sor", 6)] {
        for i in 0..count {
            let mut rows = vec![choice("transport", if i % 2 == 0 { "bus" } else { "car" })];
            if district != "sentrum" || i < 4 {
                rows.push(number("recommend", [9.0, 4.0, 10.0, 7.0, 8.0, 2.0][i % 6]));
            }
            let who = Who { district, gender: "female", age_band: "25-34" };
            add_response(app, &app.alpha, survey_id, who, &rows).await;
        }
    }
}

/// Shown groups of a question in an export, with their respondents (n + "don't know").
fn shown_groups(rows: &[Vec<String>], question: &str) -> std::collections::BTreeMap<String, f64> {
    rows.iter()
        .filter(|r| r[0] == question && !r[3].is_empty() && r[4] == "dont_know")
        .map(|r| (r[3].clone(), value(r, 5) + value(r, 6)))
        .collect()
}

async fn hidden_groups_cannot_be_recovered_by_subtracting_across_questions(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let survey_id = add_survey(&app, &app.alpha, "closed", definition()).await;
    seed_skipped_rating(&app, survey_id).await;
    let client = analyst(&app, ALPHA, &app.alpha, "analytiker@alpha.test").await;
    let rows = export(&client, &app, ALPHA, survey_id, "breakdown=district").await;
    let total = |question: &str| {
        let all = find(&rows, question, "", "", "dont_know");
        value(all, 5) + value(all, 6)
    };
    assert_eq!((total("transport"), total("recommend")), (19.0, 13.0));
    let questions = ["transport", "recommend"];
    // The attack: take a question's total, subtract its shown groups, and
    // subtract every other hidden group whose size another question shows
    // (the same people answered both). If one hidden group is left, it is
    // recovered. Suppressing each question on its own, the transport
    // question hides nord and sør, the rating hides sentrum and nord and
    // shows sør (6), so nord = 19 − 10 − 6 = 3.
    for a in questions {
        for b in questions.iter().filter(|b| **b != a) {
            let (shown_a, shown_b) = (shown_groups(&rows, a), shown_groups(&rows, b));
            let hidden_a: Vec<&str> =
                ["sentrum", "nord", "sor"].into_iter().filter(|g| !shown_a.contains_key(*g)).collect();
            assert!(hidden_a.len() >= 2, "{a}: at least two groups are hidden: {shown_a:?}");
            for group in &hidden_a {
                let others: Vec<&&str> = hidden_a.iter().filter(|o| *o != group).collect();
                if others.iter().all(|o| shown_b.contains_key(**o)) {
                    let recovered =
                        total(a) - shown_a.values().sum::<f64>() - others.iter().map(|o| shown_b[**o]).sum::<f64>();
                    panic!("{group} in {a} recovered from {b} as {recovered}");
                }
            }
        }
    }
    let (transport, recommend) = (shown_groups(&rows, "transport"), shown_groups(&rows, "recommend"));
    assert_eq!(transport.keys().collect::<Vec<_>>(), recommend.keys().collect::<Vec<_>>(), "the same groups shown");
    assert_eq!(transport.get("sor"), Some(&6.0), "sør is large enough everywhere and stays shown");
    assert!(!transport.contains_key("nord") && !transport.contains_key("sentrum"));
    let left_over = total("transport") - transport.values().sum::<f64>();
    assert!(left_over >= 5.0, "what subtraction leaves is a sum of groups that is not small: {left_over}");

    // The representation table hides the same districts (sentrum 10 with nord 3).
    let html = client
        .get(app.url(ALPHA, &format!("/staff/surveys/{survey_id}/results")))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("body");
    let representation = &html[html.find("Svarpersoner og befolkning").expect("representation")..];
    let representation = &representation[..representation.find("</table>").expect("end")];
    assert!(!representation.contains(">3<") && !representation.contains(">10<"), "{representation}");
    assert!(representation.contains(">6<"), "sør is shown: {representation}");
}

async fn public_page_breaks_down_by_district_age_and_gender_with_the_same_suppression(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let survey_id = add_survey(&app, &app.alpha, "published", definition()).await;
    seed_skipped_rating(&app, survey_id).await;
    let feedback = json!({ "heard": { "nb": "Dere vil ha flere benker.", "en": "You want more benches." }, "will_do": { "nb": "Vi setter opp benker.", "en": "We will put up benches." } });
    survey::Entity::update_many()
        .col_expr(survey::Column::Feedback, sea_orm::sea_query::Expr::value(feedback.to_string()))
        .filter(survey::Column::Id.eq(survey_id))
        .exec(&app.db)
        .await
        .expect("feedback");
    let path = format!("/results/{survey_id}");

    let plain = public_get(&app, ALPHA, &path).await.text().await.expect("body");
    assert!(plain.contains("<form method=\"get\" action=\"/results/"), "a plain GET form");
    assert!(plain.contains("<label class=\"ds-label\" for=\"field-breakdown\">Del opp etter</label>"));
    assert!(!plain.contains("results-breakdown\""), "no breakdown table until one is chosen");
    assert!(plain.contains("Hvor de nye benkene settes opp.") && plain.contains("Bystyret"), "how results are used");

    let by_district = public_get(&app, ALPHA, &format!("{path}?breakdown=district")).await;
    assert_eq!(by_district.status(), 200);
    let html = by_district.text().await.expect("body");
    assert!(html.contains("<option value=\"district\" selected>"), "the choice is kept");
    let tables: Vec<&str> =
        html.split("results-breakdown\"").skip(1).map(|t| &t[..t.find("</table>").expect("end")]).collect();
    assert_eq!(tables.len(), 2, "one breakdown table per answered question");
    for table in &tables {
        // Columns: sentrum, nord, sør, not stated; sentrum and nord hidden in both questions.
        let n_row = &table[table.find(">n<").expect("n row")..];
        let n_row = &n_row[..n_row.find("</tr>").expect("row end")];
        assert_eq!(n_row.matches(">skjult<").count(), 2, "{n_row}");
        assert!(n_row.contains(">6<"), "sør is shown: {n_row}");
    }

    let by_gender = public_get(&app, ALPHA, &format!("{path}?breakdown=gender")).await.text().await.expect("body");
    let gender_table = &by_gender[by_gender.find("results-breakdown\"").expect("table")..];
    assert!(gender_table.contains(">Kvinner<") && gender_table.contains(">19<"));
    // Breakdowns the public page does not offer fall back to none.
    let refused = public_get(&app, ALPHA, &format!("{path}?breakdown=source_group")).await.text().await.expect("body");
    assert!(!refused.contains("results-breakdown\""));
    let by_age = public_get(&app, ALPHA, &format!("{path}?breakdown=age_band")).await.text().await.expect("body");
    assert!(by_age.contains(">25–34<"));

    // In every language the survey offers.
    let english =
        public_get(&app, ALPHA, &format!("{path}?breakdown=district&lang=en")).await.text().await.expect("body");
    assert!(english.contains(">Break down by<") && english.contains("How the results will be used"));
    assert!(english.contains("We will put up benches.") && english.contains("Where the new benches go."));
    assert!(english.contains(">hidden<"));
}

fn fixture() -> serde_json::Value {
    serde_json::from_str(include_str!("fixtures/weighting.json")).expect("fixture")
}

async fn weighted_estimates_match_the_fixture(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    // The two-by-two example of the fixture: gender 50/50, age (16–24 / 25–34) 30/70.
    for (age_band, gender, population) in
        [("16-24", "female", 150), ("16-24", "male", 150), ("25-34", "female", 350), ("25-34", "male", 350)]
    {
        population_margin::ActiveModel {
            municipality_id: Set(app.alpha.id),
            district_code: Set("sentrum".to_owned()),
            age_band: Set(age_band.to_owned()),
            gender: Set(gender.to_owned()),
            population: Set(population),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .expect("margin");
    }
    let survey_id = add_survey(&app, &app.alpha, "closed", definition()).await;
    let cells = [("female", "16-24", 20), ("female", "25-34", 30), ("male", "16-24", 30), ("male", "25-34", 20)];
    for (index, (gender, age_band, count)) in cells.into_iter().enumerate() {
        for _ in 0..count {
            // Everyone in the first cell goes by bus and rates 10, everyone
            // else goes by car and rates 0.
            let (answer, rating) = if index == 0 { ("bus", 10.0) } else { ("car", 0.0) };
            add_response(
                &app,
                &app.alpha,
                survey_id,
                Who { age_band, gender, district: "sentrum" },
                &[choice("transport", answer), number("recommend", rating)],
            )
            .await;
        }
    }
    let client = analyst(&app, ALPHA, &app.alpha, "analytiker@alpha.test").await;
    let rows = export(&client, &app, ALPHA, survey_id, "").await;
    let case = &fixture()["two_by_two"];
    let weight = case["converged_weights"][0].as_f64().expect("weight");
    let deff = case["design_effect"].as_f64().expect("deff");
    let bus = find(&rows, "transport", "", "", "bus");
    assert!((value(bus, 7) - 0.2).abs() < 1e-9, "unweighted share");
    let expected = 20.0 * weight / 100.0;
    assert!((value(bus, 8) - expected).abs() < 1e-5, "weighted share {} vs {expected}", bus[8]);
    assert!((value(bus, 10) - deff).abs() < 1e-5, "design effect {} vs {deff}", bus[10]);
    let moe = 1.96 * (deff * expected * (1.0 - expected) / 100.0).sqrt();
    assert!((value(bus, 9) - moe).abs() < 1e-5, "margin of error {} vs {moe}", bus[9]);
    // The rating is 10 × the bus indicator: weighted mean 10p, variance
    // 100·p(1 − p); NPS 100·(p − (1 − p)), scores ±100, variance 100²·(1 − (2p − 1)²).
    let mean = find(&rows, "recommend", "", "", "mean");
    assert!((value(mean, 8) - 10.0 * expected).abs() < 1e-5, "weighted mean {}", mean[8]);
    let mean_moe = 1.96 * (deff * 100.0 * expected * (1.0 - expected) / 100.0).sqrt();
    assert!((value(mean, 9) - mean_moe).abs() < 1e-5, "margin of the mean {} vs {mean_moe}", mean[9]);
    let nps = find(&rows, "recommend", "", "", "nps");
    let score = 2.0 * expected - 1.0;
    assert!((value(nps, 8) - 100.0 * score).abs() < 1e-4, "weighted NPS {}", nps[8]);
    let nps_moe = 1.96 * (deff * 10_000.0 * (1.0 - score * score) / 100.0).sqrt();
    assert!((value(nps, 9) - nps_moe).abs() < 1e-4, "margin of the NPS {} vs {nps_moe}", nps[9]);

    let html = client
        .get(app.url(ALPHA, &format!("/staff/surveys/{survey_id}/results")))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("body");
    assert!(html.contains(">Uvektet<") && html.contains(">Vektet<"), "weighted and unweighted side by side");
    assert!(html.contains(">20 %<") && html.contains(">11 %<"), "20 % unweighted, 10.8 % weighted");
    assert!(html.contains("designeffekt 1,17"), "deff shown with n");
    // Weighting can be switched off: no weighted column then.
    let unweighted = export(&client, &app, ALPHA, survey_id, "breakdown=&weight=none").await;
    assert!(find(&unweighted, "transport", "", "", "bus")[8].is_empty());
}

async fn public_get(app: &TestApp, host: &str, path: &str) -> reqwest::Response {
    app.client().get(app.url(host, path)).send().await.expect("GET")
}

async fn public_page_goes_live_on_publish_and_feedback_reaches_every_invited_member_once(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let survey_id = add_survey(&app, &app.alpha, "closed", definition()).await;
    seed_known_responses(&app, survey_id).await;
    let survey = surveys::load(&app.db, &app.alpha, survey_id).await.expect("load").expect("survey");
    let answered = fixtures::add_member(&app, &app.alpha, "svarte@example.no", "nb").await.id;
    let silent = fixtures::add_member(&app, &app.alpha, "svarte-ikke@example.no", "en").await.id;
    let left = fixtures::add_member(&app, &app.alpha, "sluttet@example.no", "nb").await.id;
    fixtures::add_member(&app, &app.alpha, "ikke-invitert@example.no", "nb").await;
    for member_id in [answered, silent, left] {
        fixtures::invite(&app, &app.alpha, &survey, member_id).await;
    }
    fixtures::complete_invitation(&app, survey_id, answered).await;
    fixtures::set_member_status(&app, left, "deactivated").await;

    let path = format!("/results/{survey_id}");
    assert_eq!(public_get(&app, ALPHA, &path).await.status(), 404, "not public before publishing");

    app.add_staff(Some(&app.alpha), "admin@alpha.test", Role::Admin).await;
    let admin = app.signed_in(ALPHA, "admin@alpha.test").await;
    let feedback_url = app.url(ALPHA, &format!("/staff/surveys/{survey_id}/feedback"));
    let form_html = admin.get(&feedback_url).send().await.expect("form").text().await.expect("body");
    let csrf = csrf_from(&form_html);
    // "What we will do" is missing in English: publishing is refused.
    let saved = admin
        .post(&feedback_url)
        .form(&[
            ("csrf", csrf.as_str()),
            ("heard_nb", "Dere vil ha mer lys."),
            ("will_do_nb", "Vi setter opp 40 nye lyktestolper."),
        ])
        .send()
        .await
        .expect("save");
    assert_eq!(saved.status(), 303);
    let publish_url = app.url(ALPHA, &format!("/staff/surveys/{survey_id}/publish"));
    let refused = admin.post(&publish_url).form(&[("csrf", csrf.as_str())]).send().await.expect("publish");
    assert_eq!(refused.status(), 422);
    let refused_html = refused.text().await.expect("body");
    assert!(refused_html.contains("href=\"#field-will-do-en\""), "the summary links to the field");
    assert_eq!(public_get(&app, ALPHA, &path).await.status(), 404);

    let saved = admin
        .post(&feedback_url)
        .form(&[
            ("csrf", csrf.as_str()),
            ("heard_nb", "Dere vil ha mer lys."),
            ("will_do_nb", "Vi setter opp 40 nye lyktestolper."),
            ("will_do_en", "We will put up 40 new lamp posts."),
        ])
        .send()
        .await
        .expect("save");
    assert_eq!(saved.status(), 303);
    let published = admin.post(&publish_url).form(&[("csrf", csrf.as_str())]).send().await.expect("publish");
    assert_eq!(published.status(), 303);
    assert!(published.headers()["location"].to_str().expect("ascii").ends_with("done=published"));
    let again = admin.post(&publish_url).form(&[("csrf", csrf.as_str())]).send().await.expect("publish again");
    assert!(again.headers()["location"].to_str().expect("ascii").ends_with("done=already"));

    let page = public_get(&app, ALPHA, &path).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("body");
    assert!(html.contains("Vi setter opp 40 nye lyktestolper.") && html.contains("Dere vil ha mer lys."));
    assert!(html.contains("Hvordan reiser du?") && html.contains("<svg"));
    assert!(html.contains(">Uvektet<"), "figures are labelled as unweighted when there are no margins");
    assert!(html.contains(">12<"), "the number of responses is shown");

    // The emails are queued in the outbox in the same transaction (the
    // outbox worker sends them); each invited member still in the panel gets one.
    let rows = outbox_email::Entity::find()
        .filter(outbox_email::Column::Kind.eq("feedback"))
        .all(&app.db)
        .await
        .expect("outbox");
    let mut recipients: Vec<&str> = rows.iter().map(|r| r.to_address.as_str()).collect();
    recipients.sort_unstable();
    assert_eq!(
        recipients,
        vec!["svarte-ikke@example.no", "svarte@example.no"],
        "each invited member still in the panel, once"
    );
    // The worker delivers them over SMTP, each in the member's language.
    let link = format!("http://{ALPHA}:{}{path}", app.port);
    for address in ["svarte@example.no", "svarte-ikke@example.no"] {
        let mail = app.smtp.wait_for(address, 1).await;
        assert_eq!(mail.len(), 1, "exactly one feedback email to {address}");
        assert!(mail[0].text().contains(&link) && mail[0].html().contains(&link), "{}", mail[0].text());
        assert!(mail[0].raw_header("List-Unsubscribe").is_some());
    }
    let english = &app.smtp.wait_for("svarte-ikke@example.no", 1).await[0];
    assert!(english.subject().starts_with("Results:"), "{}", english.subject());
    assert!(english.text().contains("We will put up 40 new lamp posts."));
    let norwegian = &app.smtp.wait_for("svarte@example.no", 1).await[0];
    assert!(norwegian.subject().starts_with("Resultater:") && norwegian.text().contains("40 nye lyktestolper"));
    assert!(
        app.smtp.messages_to("sluttet@example.no").is_empty()
            && app.smtp.messages_to("ikke-invitert@example.no").is_empty()
    );
    let status = survey::Entity::find_by_id(survey_id).one(&app.db).await.expect("query").expect("survey");
    assert_eq!(status.status, "published");
    assert!(status.published_at.is_some());
}

async fn moderation_keeps_unapproved_text_off_the_public_page(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let survey_id = add_survey(&app, &app.alpha, "closed", definition()).await;
    seed_known_responses(&app, survey_id).await;
    app.add_staff(Some(&app.alpha), "redaktor@alpha.test", Role::Editor).await;
    let editor = app.signed_in(ALPHA, "redaktor@alpha.test").await;
    let queue_url = app.url(ALPHA, &format!("/staff/surveys/{survey_id}/moderation"));
    let queue = editor.get(&queue_url).send().await.expect("queue").text().await.expect("body");
    assert!(queue.contains("Ring Kari på 912 34 567 om benkene"));
    assert!(queue.contains("telefonnummer") && queue.contains("e-postadresse"), "phone numbers and emails are flagged");
    let csrf = csrf_from(&queue);

    let texts = response_answer::Entity::find()
        .filter(response_answer::Column::TextValue.is_not_null())
        .all(&app.db)
        .await
        .expect("texts");
    let id_of = |text: &str| texts.iter().find(|t| t.text_value.as_deref() == Some(text)).expect("text").id;
    let act = |id: i32, action: &'static str, text: &'static str| {
        let editor = editor.clone();
        let url = app.url(ALPHA, &format!("/staff/surveys/{survey_id}/moderation/{id}"));
        let csrf = csrf.clone();
        async move {
            editor
                .post(url)
                .form(&[("csrf", csrf.as_str()), ("action", action), ("text", text)])
                .send()
                .await
                .expect("moderate")
        }
    };
    for text in ["Bedre belysning langs elva", "Flere benker i parken", "Skatepark ved skolen", "FÅ SVAR tekst"] {
        assert_eq!(act(id_of(text), "approve", "").await.status(), 303);
    }
    assert_eq!(act(id_of("SKJULT tekst om naboen"), "hide", "").await.status(), 303);
    let empty = act(id_of("Ring Kari på 912 34 567 om benkene"), "redact", "  ").await;
    assert_eq!(empty.status(), 422, "a redaction needs the text");
    assert!(empty.text().await.expect("body").contains("Skriv inn teksten som skal publiseres."));
    let redacted = act(id_of("Ring Kari på 912 34 567 om benkene"), "redact", "Ring [fjernet] om benkene").await;
    assert_eq!(redacted.status(), 303);
    let audited = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("answer.moderate"))
        .count(&app.db)
        .await
        .expect("audit");
    assert_eq!(audited, 6, "every moderation action is audited");

    survey::Entity::update_many()
        .col_expr(survey::Column::Status, sea_orm::sea_query::Expr::value("published"))
        .filter(survey::Column::Id.eq(survey_id))
        .exec(&app.db)
        .await
        .expect("publish");
    let html = public_get(&app, ALPHA, &format!("/results/{survey_id}")).await.text().await.expect("body");
    assert!(html.contains("Bedre belysning langs elva") && html.contains("Skatepark ved skolen"));
    assert!(html.contains("Ring [fjernet] om benkene") && html.contains("personopplysninger fjernet"));
    for never in ["HEMMELIG", "SKJULT", "912 34 567", "Mer lys i tunnelen", "ola@example.no"] {
        assert!(!html.contains(never), "{never} must not be public");
    }
    assert!(!html.contains("FÅ SVAR"), "texts of a question with fewer than 5 respondents stay hidden");
}

async fn results_stay_inside_their_municipality(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let survey_id = add_survey(&app, &app.alpha, "published", definition()).await;
    seed_known_responses(&app, survey_id).await;
    let beta = analyst(&app, BETA, &app.beta, "analytiker@beta.test").await;
    for path in [format!("/staff/surveys/{survey_id}/results"), format!("/staff/surveys/{survey_id}/results/export")] {
        assert_eq!(beta.get(app.url(BETA, &path)).send().await.expect("GET").status(), 404, "{path}");
    }
    assert_eq!(public_get(&app, BETA, &format!("/results/{survey_id}")).await.status(), 404);
    assert_eq!(public_get(&app, ALPHA, &format!("/results/{survey_id}")).await.status(), 200);
    let beta_view = results::published_survey(&app.db, &app.beta, survey_id).await.expect("query");
    assert!(beta_view.is_none());
}

async fn roles_limit_results_moderation_and_publishing(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let survey_id = add_survey(&app, &app.alpha, "closed", definition()).await;
    app.add_staff(Some(&app.alpha), "leser@alpha.test", Role::Viewer).await;
    let viewer = app.signed_in(ALPHA, "leser@alpha.test").await;
    let results_path = format!("/staff/surveys/{survey_id}/results");
    assert_eq!(viewer.get(app.url(ALPHA, &results_path)).send().await.expect("GET").status(), 403);
    let analyst = analyst(&app, ALPHA, &app.alpha, "analytiker@alpha.test").await;
    assert_eq!(analyst.get(app.url(ALPHA, &results_path)).send().await.expect("GET").status(), 200);
    let moderation = format!("/staff/surveys/{survey_id}/moderation");
    assert_eq!(analyst.get(app.url(ALPHA, &moderation)).send().await.expect("GET").status(), 403);
    app.add_staff(Some(&app.alpha), "redaktor@alpha.test", Role::Editor).await;
    let editor = app.signed_in(ALPHA, "redaktor@alpha.test").await;
    let page = editor.get(app.url(ALPHA, &format!("/staff/surveys/{survey_id}/feedback"))).send().await.expect("GET");
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("body");
    assert!(!html.contains("/publish\""), "editors do not see the publish button");
    let csrf = csrf_from(&html);
    let refused = editor
        .post(app.url(ALPHA, &format!("/staff/surveys/{survey_id}/publish")))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .expect("POST");
    assert_eq!(refused.status(), 403);
    let draft = add_survey(&app, &app.alpha, "draft", definition()).await;
    assert_eq!(
        analyst.get(app.url(ALPHA, &format!("/staff/surveys/{draft}/results"))).send().await.expect("GET").status(),
        404
    );
}

async fn jsonstat_margins_are_imported_or_refused_with_reasons(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    app.add_staff(Some(&app.alpha), "admin@alpha.test", Role::Admin).await;
    let admin = app.signed_in(ALPHA, "admin@alpha.test").await;
    let url = app.url(ALPHA, "/staff/results/margins");
    let html = admin.get(&url).send().await.expect("page").text().await.expect("body");
    let csrf = csrf_from(&html);
    let upload = |data: Vec<u8>, mapping: &'static str| {
        let form = reqwest::multipart::Form::new()
            .part("margins", reqwest::multipart::Part::bytes(data).file_name("befolkning.json"))
            .text("mapping", mapping);
        admin.post(format!("{url}?csrf={csrf}")).multipart(form).send()
    };
    let refused = upload(b"{\"not\": \"json-stat\"}".to_vec(), "").await.expect("upload");
    assert_eq!(refused.status(), 422);
    let refused_html = refused.text().await.expect("body");
    assert!(refused_html.contains("Filen er ikke et JSON-stat 2.0-datasett."), "{refused_html}");
    assert_eq!(population_margin::Entity::find().count(&app.db).await.expect("count"), 0);

    let fixture = include_bytes!("fixtures/population.jsonstat.json").to_vec();
    let stored = upload(fixture, "3901;sentrum\n3902;nord\n").await.expect("upload");
    assert_eq!(stored.status(), 200);
    let stored_html = stored.text().await.expect("body");
    assert!(stored_html.contains("12 celler er lagret.") && stored_html.contains("3999"), "{stored_html}");
    let margins = population_margin::Entity::find().all(&app.db).await.expect("margins");
    assert_eq!(margins.len(), 12);
    let cell = margins
        .iter()
        .find(|m| m.district_code == "sentrum" && m.age_band == "16-24" && m.gender == "male")
        .expect("cell");
    assert_eq!(cell.population, 23);
}

async fn aggregation_of_20000_responses_runs_in_sql(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let survey_id = add_survey(&app, &app.alpha, "closed", definition()).await;
    let districts = ["sentrum", "nord", "sor"];
    let bands = ["16-24", "25-34", "35-44", "45-54", "55-66", "67-79", "80+"];
    let total = 20_000usize;
    for chunk in (0..total).collect::<Vec<_>>().chunks(500) {
        let responses: Vec<response::ActiveModel> = chunk
            .iter()
            .map(|i| response::ActiveModel {
                id: Set(format!("synthetic-{i:05}")),
                municipality_id: Set(app.alpha.id),
                survey_id: Set(survey_id),
                submitted_on: Set("2026-11-01".to_owned()),
                channel: Set("panel".to_owned()),
                age_band: Set(Some(bands[i % 7].to_owned())),
                gender: Set(Some(if i % 2 == 0 { "female" } else { "male" }.to_owned())),
                district: Set(Some(districts[i % 3].to_owned())),
                source_group: Set(Some("self".to_owned())),
            })
            .collect();
        response::Entity::insert_many(responses).exec_without_returning(&app.db).await.expect("responses");
        let answers: Vec<response_answer::ActiveModel> = chunk
            .iter()
            .flat_map(|i| {
                let row = |question: &str, option: Option<String>, number: Option<f64>| response_answer::ActiveModel {
                    municipality_id: Set(app.alpha.id),
                    response_id: Set(format!("synthetic-{i:05}")),
                    survey_id: Set(survey_id),
                    question_key: Set(question.to_owned()),
                    item_key: Set(None),
                    option_key: Set(option),
                    number_value: Set(number),
                    text_value: Set(None),
                    dont_know: Set(false),
                    moderation: Set("none".to_owned()),
                    ..Default::default()
                };
                [
                    row("transport", Some(["bus", "car", "bike"][i % 3].to_owned()), None),
                    row("satisfaction", Some(format!("s{}", 1 + i % 5)), None),
                    row("recommend", None, Some((i % 11) as f64)),
                ]
            })
            .collect();
        response_answer::Entity::insert_many(answers).exec_without_returning(&app.db).await.expect("answers");
    }
    let survey = surveys::load(&app.db, &app.alpha, survey_id).await.expect("load").expect("survey");
    let request = ResultsRequest { breakdown: results::Breakdown::District, ..ResultsRequest::default() };
    let computed = results::compute(&app.db, &app.alpha, &survey, &request).await.expect("compute");
    assert_eq!(computed.responses, total as u64);
    // Response i: district i mod 3, transport i mod 3, satisfaction 1 + i mod 5,
    // rating i mod 11. Transport and district go together: each district
    // rides one way only.
    let question = |key: &str| &computed.questions.iter().find(|q| q.key == key).expect("question").items[0];
    let transport = question("transport");
    assert_eq!(transport.columns[0].n, total as u64);
    let bus = &transport.columns[0].options[0];
    assert_eq!((bus.key.as_str(), bus.count), ("bus", 6667));
    let sentrum = transport.columns.iter().find(|c| c.group.as_deref() == Some("sentrum")).expect("sentrum");
    assert!(!sentrum.hidden);
    assert_eq!((sentrum.n, sentrum.options[0].count, sentrum.options[1].count), (6667, 6667, 0));
    // Satisfaction: 4,000 of each scale point: mean 3, median 3.
    let satisfaction = question("satisfaction").columns[0].scale.expect("scale");
    assert!((satisfaction.mean - 3.0).abs() < 1e-9 && (satisfaction.median - 3.0).abs() < 1e-9);
    // Rating 0–10: 1,819 each of 0 and 1, 1,818 each of 2..=10; promoters (9, 10)
    // 3,636, detractors (0–6) 1,819 · 2 + 1,818 · 5 = 12,728.
    let rating = question("recommend").columns[0].scale.expect("scale");
    let nps = 100.0 * (3636.0 - 12728.0) / 20000.0;
    assert!((rating.nps.expect("nps") - nps).abs() < 1e-9, "{rating:?}");
    let client = analyst(&app, ALPHA, &app.alpha, "analytiker@alpha.test").await;
    let page = client
        .get(app.url(ALPHA, &format!("/staff/surveys/{survey_id}/results?breakdown=district")))
        .send()
        .await
        .expect("page");
    assert_eq!(page.status(), 200);
    assert!(page.text().await.expect("body").contains(">6667<"), "sentrum's count is on the page");
}

/// `radslag results import-margins` and `radslag results export` on SQLite.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn command_line_imports_margins_and_exports_results() {
    let dir = std::env::temp_dir().join("radslag-tests").join(radslag::domain::SecretToken::generate().reveal());
    std::fs::create_dir_all(&dir).expect("dir");
    let db_url = format!("sqlite://{}/cli.db", dir.display());
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_radslag"))
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("RADSLAG_BASE_URL", "http://localhost")
            .env("RADSLAG_SENDER", "panel@example.no")
            .env("RADSLAG_SESSION_KEY", "0123456789abcdef0123456789abcdef")
            .env("RADSLAG_DATABASE_URL", &db_url)
            .args(args)
            .output()
            .expect("run")
    };
    let districts = dir.join("districts.txt");
    std::fs::write(&districts, "sentrum;Sentrum\nnord;Nord\n").expect("write");
    assert!(
        run(&["municipality", "add", "--slug", "vik", "--name", "Vik kommune", "--host", "vik.test"]).status.success()
    );
    assert!(
        run(&["municipality", "set", "vik", "--districts-file", districts.to_str().expect("path")]).status.success()
    );
    let mapping = dir.join("mapping.txt");
    std::fs::write(&mapping, "3901;sentrum\n3902;nord\n").expect("write");
    let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/population.jsonstat.json");
    let imported = run(&[
        "results",
        "import-margins",
        fixture,
        "--mapping",
        mapping.to_str().expect("path"),
        "--municipality",
        "vik",
    ]);
    assert!(imported.status.success(), "{}", String::from_utf8_lossy(&imported.stderr));
    assert!(String::from_utf8_lossy(&imported.stdout).contains("Stored 12 population cells"));
    let refused = run(&["results", "import-margins", &districts.display().to_string(), "--municipality", "vik"]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("not valid JSON"));

    let db = sea_orm::Database::connect(&db_url).await.expect("connect");
    let vik = radslag::services::municipalities::by_slug(&db, "vik").await.expect("query").expect("vik");
    let survey_id = survey::ActiveModel {
        municipality_id: Set(vik.id),
        status: Set("closed".to_owned()),
        kind: Set("panel".to_owned()),
        definition: Set(definition().to_string()),
        compass_areas: Set(String::new()),
        reminder_after_days: Set(7),
        max_reminders: Set(2),
        created_at: Set(0),
        updated_at: Set(0),
        ..Default::default()
    }
    .insert(&db)
    .await
    .expect("survey")
    .id;
    for i in 0..6 {
        let id = format!("cli-{i}");
        response::ActiveModel {
            id: Set(id.clone()),
            municipality_id: Set(vik.id),
            survey_id: Set(survey_id),
            submitted_on: Set("2026-11-01".to_owned()),
            channel: Set("panel".to_owned()),
            age_band: Set(Some("16-24".to_owned())),
            gender: Set(Some(if i < 3 { "female" } else { "male" }.to_owned())),
            district: Set(Some("sentrum".to_owned())),
            source_group: Set(None),
        }
        .insert(&db)
        .await
        .expect("response");
        response_answer::ActiveModel {
            municipality_id: Set(vik.id),
            response_id: Set(id),
            survey_id: Set(survey_id),
            question_key: Set("transport".to_owned()),
            option_key: Set(Some(if i < 2 { "bike" } else { "bus" }.to_owned())),
            dont_know: Set(false),
            moderation: Set("none".to_owned()),
            ..Default::default()
        }
        .insert(&db)
        .await
        .expect("answer");
    }
    db.close().await.expect("close");
    let csv = run(&["results", "export", &survey_id.to_string(), "--municipality", "vik"]);
    assert!(csv.status.success(), "{}", String::from_utf8_lossy(&csv.stderr));
    let csv = String::from_utf8_lossy(&csv.stdout).into_owned();
    assert!(csv.starts_with("question,item,breakdown,group,option,n,count,value"));
    assert!(csv.lines().any(|l| l.starts_with("transport,,,,bus,6,4,0.666667")), "{csv}");
    let json = run(&[
        "results",
        "export",
        &survey_id.to_string(),
        "--format",
        "json",
        "--weight",
        "none",
        "--municipality",
        "vik",
    ]);
    let first: serde_json::Value =
        serde_json::from_str(String::from_utf8_lossy(&json.stdout).lines().next().expect("a line")).expect("JSON");
    assert_eq!(first["question"], "transport");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The results pages in a real browser: axe (WCAG 2.2 AA), reflow and
/// target size on the public page, axe on the staff pages. SQLite only: the
/// browser checks the HTML, which does not depend on the database.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn results_pages_pass_the_browser_checks() {
    use harness::{Audience, Browser};
    let Some(app) = spawn_app(Backend::Sqlite).await else { return };
    for (district, age_band, gender, population) in
        [("sentrum", "35-44", "female", 500), ("sentrum", "35-44", "male", 480), ("nord", "35-44", "female", 300)]
    {
        population_margin::ActiveModel {
            municipality_id: Set(app.alpha.id),
            district_code: Set(district.to_owned()),
            age_band: Set(age_band.to_owned()),
            gender: Set(gender.to_owned()),
            population: Set(population),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .expect("margin");
    }
    let survey_id = add_survey(&app, &app.alpha, "closed", definition()).await;
    seed_known_responses(&app, survey_id).await;
    let feedback = json!({ "heard": { "nb": "Dere vil ha mer lys." }, "will_do": { "nb": "Vi setter opp lys.", "en": "We put up lights." } });
    survey::Entity::update_many()
        .col_expr(survey::Column::Feedback, sea_orm::sea_query::Expr::value(feedback.to_string()))
        .filter(survey::Column::Id.eq(survey_id))
        .exec(&app.db)
        .await
        .expect("feedback");
    app.add_staff(Some(&app.alpha), "kari@alpha.test", Role::Admin).await;

    let Some(mut staff) = Browser::start(&app, "results-staff", Audience::Staff).await else { return };
    staff.goto(ALPHA, "/staff/sign-in").await;
    staff.type_into("E-postadresse", "kari@alpha.test").await;
    staff.type_into("Passord", common::PASSWORD).await;
    staff.submit("Logg inn").await;
    staff.goto(ALPHA, &format!("/staff/surveys/{survey_id}/results?breakdown=district")).await;
    staff.check_page("results").await;
    staff.goto(ALPHA, &format!("/staff/surveys/{survey_id}/moderation")).await;
    staff.check_page("moderation").await;
    staff.goto(ALPHA, &format!("/staff/surveys/{survey_id}/feedback")).await;
    staff.check_page("feedback").await;
    staff.submit("Publiser og send e-post").await;
    staff.check_page("published").await;
    staff.goto(ALPHA, "/staff/results/margins").await;
    staff.check_page("margins").await;
    staff.finish().await;

    let Some(mut public) = Browser::start(&app, "results-public", Audience::Public).await else { return };
    public.goto(ALPHA, &format!("/results/{survey_id}")).await;
    assert_eq!(public.heading().await, "Parker og transport");
    public.check_page("public-results").await;
    public.finish().await;
}

/// Panel, paper and open-link answers to `transport`, and margins by age band
/// (16–24: 30 %, 25–34: 70 %):
///
/// | channel | who | answer | n |
/// |---|---|---|---|
/// | panel | 16–24 female | bus | 5 |
/// | panel | 25–34 male | car | 5 |
/// | paper | 25–34 female | bus | 3 |
/// | paper | 16–24 male | car | 3 |
/// | open | — | bike | 6 |
/// | open | — | bus | 2 |
async fn seed_channels(app: &TestApp, survey_id: i32) {
    fixtures::insert_margins(
        app,
        &app.alpha,
        &[
            ("sentrum", "16-24", "female", 150),
            ("sentrum", "16-24", "male", 150),
            ("sentrum", "25-34", "female", 350),
            ("sentrum", "25-34", "male", 350),
        ],
    )
    .await;
    let who = |age_band, gender| Some(Who { age_band, gender, district: "sentrum" });
    let groups = [
        ("panel", who("16-24", "female"), "bus", 5),
        ("panel", who("25-34", "male"), "car", 5),
        ("paper", who("25-34", "female"), "bus", 3),
        ("paper", who("16-24", "male"), "car", 3),
        ("open", None, "bike", 6),
        ("open", None, "bus", 2),
    ];
    for (channel, who, answer, count) in groups {
        for _ in 0..count {
            add_channel_response(app, &app.alpha, survey_id, channel, who, &[choice("transport", answer)]).await;
        }
    }
}

/// The part of `html` from `start` to the next `end`.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html.find(start).unwrap_or_else(|| panic!("no {start}"));
    let rest = &html[from..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

async fn results_are_reported_per_channel_and_open_answers_are_not_weighted(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let survey_id = add_survey(&app, &app.alpha, "published", definition()).await;
    seed_channels(&app, survey_id).await;
    let client = analyst(&app, ALPHA, &app.alpha, "analytiker@alpha.test").await;

    // All channels, weighted by age band. Unweighted: bus 10 of 24. Weighted:
    // only panel and paper (16; 8 in each age band), weights 0.3·16/8 = 0.6
    // and 0.7·16/8 = 1.4; bus = (5·0.6 + 3·1.4) / 16 = 0.45; bike (open
    // only) has no weighted share at all.
    let rows = export(&client, &app, ALPHA, survey_id, "weight=age_band").await;
    let bus = find(&rows, "transport", "", "", "bus");
    assert_eq!((bus[5].as_str(), bus[6].as_str()), ("24", "10"));
    assert!((value(bus, 7) - 10.0 / 24.0).abs() < 1e-6, "unweighted share of all answers");
    assert!((value(bus, 8) - 0.45).abs() < 1e-6, "weighted share of panel and paper: {}", bus[8]);
    assert!(value(find(&rows, "transport", "", "", "bike"), 8).abs() < 1e-9, "open answers carry no weight");
    // deff = 16·(8·0.36 + 8·1.96) / 16² = 1.16, and the margin uses n = 16.
    assert!((value(bus, 10) - 1.16).abs() < 1e-6, "design effect {}", bus[10]);
    let moe = 1.96 * (1.16 * 0.45 * 0.55 / 16.0_f64).sqrt();
    assert!((value(bus, 9) - moe).abs() < 1e-6, "margin of error {} vs {moe}", bus[9]);

    // One channel: that channel's figures only.
    let panel = export(&client, &app, ALPHA, survey_id, "weight=age_band&channel=panel").await;
    let bus = find(&panel, "transport", "", "", "bus");
    assert_eq!((bus[5].as_str(), bus[6].as_str()), ("10", "5"));
    assert!((value(bus, 7) - 0.5).abs() < 1e-9);
    assert!((value(bus, 8) - 0.3).abs() < 1e-6, "5·0.6 / 10 weighted: {}", bus[8]);
    let open = export(&client, &app, ALPHA, survey_id, "channel=open").await;
    let bike = find(&open, "transport", "", "", "bike");
    assert_eq!((bike[5].as_str(), bike[6].as_str()), ("8", "6"));
    assert!((value(bike, 7) - 0.75).abs() < 1e-9);
    assert!(bike[8].is_empty(), "open-link answers alone cannot be weighted: {bike:?}");
    let paper = export(&client, &app, ALPHA, survey_id, "channel=paper").await;
    let car = find(&paper, "transport", "", "", "car");
    assert_eq!((car[5].as_str(), car[6].as_str()), ("6", "3"));
    assert_eq!(find(&paper, "transport", "", "", "bike")[6], "0", "nobody chose bike on paper");

    // By channel, side by side.
    let by_channel = export(&client, &app, ALPHA, survey_id, "breakdown=channel").await;
    let cell = |group: &str, option: &str| {
        let row = find(&by_channel, "transport", "", group, option);
        (row[5].clone(), row[6].clone())
    };
    assert_eq!(cell("panel", "bus"), ("10".into(), "5".into()));
    assert_eq!(cell("open", "bike"), ("8".into(), "6".into()));
    assert_eq!(cell("paper", "car"), ("6".into(), "3".into()));
    assert_eq!(cell("", "bus"), ("24".into(), "10".into()), "the all column");

    // The staff page: n per channel, the note on weighting, one GET form.
    let page = |query: &'static str| {
        let client = client.clone();
        let url = app.url(ALPHA, &format!("/staff/surveys/{survey_id}/results{query}"));
        async move { client.get(url).send().await.expect("page").text().await.expect("body") }
    };
    let html = page("").await;
    for (label, count) in [("Panelet (personlig invitasjon)", 10), ("Åpen lenke", 8), ("Papirskjema", 6)] {
        assert!(html.contains(&format!("<th scope=\"row\">{label}</th><td class=\"numeric\">{count}</td>")), "{label}");
    }
    assert!(
        html.contains("Vektede tall: bare svar fra panelet og på papir. De 8 svarene via åpen lenke"),
        "the page says open answers are unweighted"
    );
    let form =
        between(&html, &format!("<form method=\"get\" action=\"/staff/surveys/{survey_id}/results\""), "</form>");
    assert!(form.contains("name=\"breakdown\"") && form.contains("name=\"channel\""), "one form: {form}");
    assert!(form.contains("<option value=\"channel\">Kanal</option>"), "breakdown by channel offered");
    let chosen = page("?channel=paper&breakdown=channel").await;
    assert!(
        chosen.contains("<option value=\"paper\" selected>") && chosen.contains("<option value=\"channel\" selected>")
    );
    assert!(chosen.contains("<dd>6 (Papirskjema)</dd>"), "the responses of the chosen channel");
    assert!(chosen.contains("channel=paper"), "the export link keeps the channel");
    assert!(!chosen.contains("results-open-unweighted"), "no open answers among paper ones");

    // The public page shows the same counts and takes the same choice.
    let public = public_get(&app, ALPHA, &format!("/results/{survey_id}")).await.text().await.expect("body");
    assert!(public.contains("<th scope=\"row\">Åpen lenke</th><td class=\"numeric\">8</td>"));
    assert!(public.contains("De 8 svarene via åpen lenke"));
    assert!(public.contains("name=\"channel\""));
    let public_open = public_get(&app, ALPHA, &format!("/results/{survey_id}?channel=open&breakdown=channel"))
        .await
        .text()
        .await
        .expect("body");
    assert!(public_open.contains("<dd>8 (Åpen lenke)</dd>"));
    assert!(public_open.contains("<option value=\"open\" selected>"));

    // The API honours the channel and lists the channels.
    app.add_staff(Some(&app.alpha), "admin@alpha.test", Role::Admin).await;
    let admin = app.signed_in(ALPHA, "admin@alpha.test").await;
    let secret = fixtures::api_key(&app, &admin, ALPHA, "Analyse", "analyst", "").await;
    let api = |query: &'static str| {
        let request = app
            .client()
            .get(app.url(ALPHA, &format!("/api/v1/surveys/{survey_id}/results?{query}")))
            .bearer_auth(&secret);
        async move { request.send().await.expect("API") }
    };
    let body: serde_json::Value = api("channel=paper&breakdown=channel").await.json().await.expect("JSON");
    assert_eq!(body["channel"], "paper");
    assert_eq!(body["breakdown"], "channel");
    assert_eq!(body["responses"], 6);
    assert_eq!(body["channel_hidden"], false);
    let channels: Vec<(String, u64)> = body["channels"]
        .as_array()
        .expect("channels")
        .iter()
        .filter_map(|c| Some((c["channel"].as_str()?.to_owned(), c["responses"].as_u64()?)))
        .collect();
    assert_eq!(channels, [("panel".into(), 10), ("open".into(), 8), ("paper".into(), 6)]);
    let all = &body["questions"][0]["items"][0]["columns"][0];
    assert_eq!(all["n"], 6, "paper answers only");
    let everything: serde_json::Value = api("").await.json().await.expect("JSON");
    assert_eq!(everything["responses"], 24);
    assert_eq!(everything["open_answers_unweighted"], true);
    let refused = api("channel=post").await;
    assert_eq!(refused.status(), 422, "an unknown channel is refused");
}

async fn a_channel_with_few_answers_is_hidden_and_cannot_be_recovered_from_the_total(backend: Backend) {
    let Some(app) = spawn_app(backend).await else { return };
    let survey_id = add_survey(&app, &app.alpha, "published", definition()).await;
    for (channel, who, count) in [("panel", Some(SOMEONE), 10), ("open", None, 3), ("paper", Some(SOMEONE), 7)] {
        for _ in 0..count {
            add_channel_response(&app, &app.alpha, survey_id, channel, who, &[choice("transport", "bus")]).await;
        }
    }
    let client = analyst(&app, ALPHA, &app.alpha, "analytiker@alpha.test").await;

    // Open (3) is hidden, and so is paper (7), the smallest other group:
    // 20 − 10 leaves open + paper, never open alone.
    let by_channel = export(&client, &app, ALPHA, survey_id, "breakdown=channel").await;
    assert_eq!(find(&by_channel, "transport", "", "panel", "bus")[5], "10");
    assert!(
        !by_channel.iter().any(|r| r[3] == "open" || r[3] == "paper"),
        "small channel and its complement left out: {by_channel:?}"
    );
    let html = client
        .get(app.url(ALPHA, &format!("/staff/surveys/{survey_id}/results")))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("body");
    assert!(html.contains("<th scope=\"row\">Panelet (personlig invitasjon)</th><td class=\"numeric\">10</td>"));
    for label in ["Åpen lenke", "Papirskjema"] {
        assert!(html.contains(&format!("<th scope=\"row\">{label}</th><td class=\"numeric\">skjult</td>")), "{label}");
    }
    assert!(html.contains("<dd>20</dd>"), "the total is shown");

    // Choosing a hidden channel shows nothing of it, not even its count.
    for channel in ["open", "paper"] {
        let rows = export(&client, &app, ALPHA, survey_id, &format!("channel={channel}")).await;
        assert!(rows.is_empty(), "{channel}: {rows:?}");
        let page = client
            .get(app.url(ALPHA, &format!("/staff/surveys/{survey_id}/results?channel={channel}")))
            .send()
            .await
            .expect("page")
            .text()
            .await
            .expect("body");
        assert!(page.contains("Det er for få svar fra denne kanalen"), "{channel}");
        assert!(page.contains("<dd>skjult ("), "{channel}: the count is hidden");
        assert!(!page.contains("<dd>3 (") && !page.contains("<dd>7 ("));
        let public = public_get(&app, ALPHA, &format!("/results/{survey_id}?channel={channel}"))
            .await
            .text()
            .await
            .expect("body");
        assert!(public.contains("Det er for få svar fra denne kanalen") && public.contains("<dd>skjult ("));
    }
    app.add_staff(Some(&app.alpha), "admin@alpha.test", Role::Admin).await;
    let admin = app.signed_in(ALPHA, "admin@alpha.test").await;
    let secret = fixtures::api_key(&app, &admin, ALPHA, "Analyse", "analyst", "").await;
    let body: serde_json::Value = app
        .client()
        .get(app.url(ALPHA, &format!("/api/v1/surveys/{survey_id}/results?channel=open")))
        .bearer_auth(&secret)
        .send()
        .await
        .expect("API")
        .json()
        .await
        .expect("JSON");
    assert_eq!(body["channel_hidden"], true);
    assert_eq!(body["responses"], 0);
    let columns = body["questions"][0]["items"][0]["columns"].as_array().expect("columns");
    assert!(columns.is_empty(), "no figures: {columns:?}");
    let hidden: Vec<&serde_json::Value> =
        body["channels"].as_array().expect("channels").iter().filter(|c| c["responses"].is_null()).collect();
    assert_eq!(hidden.len(), 2, "open and paper hidden in the API too");
}
