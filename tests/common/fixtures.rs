//! Shared test data: the every-question-type survey, members and
//! invitations written straight into the database.

use radslag::domain::SecretToken;
use radslag::domain::survey::SurveyDefinition;
use radslag::entities::{invitation, member, population_margin, response, response_answer, survey};
use radslag::services::audit::Actor;
use radslag::services::surveys::{self, Survey, SurveyKind, SurveySettings, SurveyStatus};
use radslag::services::tenant::Municipality;
use sea_orm::{ActiveModelTrait, Set};

use super::{TestApp, csrf_token};

/// The survey in `tests/fixtures/every-question-type.json`.
pub fn definition() -> SurveyDefinition {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/every-question-type.json"))
        .expect("fixture");
    serde_json::from_str(&text).expect("valid definition")
}

/// Create and open the every-type survey.
pub async fn open_survey(app: &TestApp, municipality: &Municipality, kind: SurveyKind) -> Survey {
    open_survey_with(app, municipality, definition(), kind).await
}

/// Create and open a survey with this definition (for example the every-type
/// one with a skip rule added).
pub async fn open_survey_with(
    app: &TestApp,
    municipality: &Municipality,
    definition: SurveyDefinition,
    kind: SurveyKind,
) -> Survey {
    assert!(radslag::domain::survey::validate::structure(&definition).is_empty());
    let settings =
        SurveySettings { kind, closes_on: Some(surveys::today() + time::Duration::days(30)), ladder_step: None };
    let draft =
        surveys::create_draft(&app.db, municipality, &definition, &settings, Actor::System).await.expect("draft");
    surveys::set_status(&app.db, municipality, &draft, SurveyStatus::Open, Actor::System).await.expect("open");
    surveys::load(&app.db, municipality, draft.id).await.expect("load").expect("survey")
}

/// A member to add. [`MemberSpec::new`] gives an active, confirmed,
/// 40-year-old woman in district `nord`, recruited from the register,
/// writing Norwegian bokmål; change the fields a test is about.
#[derive(Debug, Clone, Copy)]
pub struct MemberSpec<'a> {
    /// Email address.
    pub email: &'a str,
    /// Language code.
    pub language: &'a str,
    /// Year of birth.
    pub birth_year: i32,
    /// Gender code.
    pub gender: &'a str,
    /// District code.
    pub district: &'a str,
    /// Recruitment source code.
    pub source: &'a str,
    /// Membership status code.
    pub status: &'a str,
}

impl<'a> MemberSpec<'a> {
    /// The default member with this address.
    pub fn new(email: &'a str) -> Self {
        Self {
            email,
            language: "nb",
            birth_year: surveys::today().year() - 40,
            gender: "female",
            district: "nord",
            source: "register",
            status: "active",
        }
    }
}

/// Write a member straight into the database.
pub async fn insert_member(app: &TestApp, municipality: &Municipality, spec: MemberSpec<'_>) -> member::Model {
    let now = radslag::services::now();
    member::ActiveModel {
        municipality_id: Set(municipality.id),
        email: Set(spec.email.to_owned()),
        mobile: Set(None),
        birth_year: Set(spec.birth_year),
        gender: Set(spec.gender.to_owned()),
        district: Set(spec.district.to_owned()),
        education: Set(None),
        language: Set(spec.language.to_owned()),
        source: Set(spec.source.to_owned()),
        campaign: Set(None),
        status: Set(spec.status.to_owned()),
        paused_until: Set(None),
        consent_version: Set(radslag::domain::member::CONSENT_VERSION.to_owned()),
        consent_at: Set(now),
        confirmed_at: Set(Some(now)),
        email_invalid: Set(false),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect("member")
}

/// An active, confirmed member (40 years old, female, district `nord`, recruited).
pub async fn add_member(app: &TestApp, municipality: &Municipality, email: &str, language: &str) -> member::Model {
    insert_member(app, municipality, MemberSpec { language, ..MemberSpec::new(email) }).await
}

/// Invite a member; returns the token of the link.
pub async fn invite(app: &TestApp, municipality: &Municipality, survey: &Survey, member_id: i32) -> String {
    let token = SecretToken::generate();
    invitation::ActiveModel {
        municipality_id: Set(municipality.id),
        survey_id: Set(survey.id),
        sample_id: Set(None),
        member_id: Set(Some(member_id)),
        token_hash: Set(token.hash()),
        stratum: Set(None),
        wave: Set(1),
        created_at: Set(0),
        sent_at: Set(None),
        reminders_sent: Set(0),
        last_reminder_at: Set(None),
        completed: Set(false),
        draft: Set(None),
        draft_page: Set(0),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect("invitation");
    token.reveal()
}

/// Answer the current page of the survey at `path` (a personal link) over
/// HTTP as a resident's browser would: fetch the page, then post `fields`
/// with its CSRF token and section and the button `action` (`next` or
/// `submit`). Returns the response to the post.
pub async fn answer_page(
    app: &TestApp,
    client: &reqwest::Client,
    host: &str,
    path: &str,
    fields: &[(&str, &str)],
    action: &str,
) -> reqwest::Response {
    let page = client.get(app.url(host, path)).send().await.expect("get").text().await.expect("body");
    let csrf = super::csrf_from(&page);
    let section =
        page.split("name=\"section\" value=\"").nth(1).and_then(|s| s.split('"').next()).expect("section").to_owned();
    let mut form: Vec<(&str, &str)> = vec![("csrf", &csrf), ("section", &section), ("action", action)];
    form.extend_from_slice(fields);
    client.post(app.url(host, path)).form(&form).send().await.expect("post")
}

/// Like [`answer_page`], but posts to the address in the page form's
/// `action` (the staff preview carries its answers there). Returns the
/// response to the post.
pub async fn answer_form(
    app: &TestApp,
    client: &reqwest::Client,
    host: &str,
    path: &str,
    fields: &[(&str, &str)],
    action: &str,
) -> reqwest::Response {
    let page = client.get(app.url(host, path)).send().await.expect("get").text().await.expect("body");
    let csrf = super::csrf_from(&page);
    let attribute = |name: &str| {
        page.split(&format!("name=\"{name}\" value=\"")).nth(1).and_then(|s| s.split('"').next()).map(str::to_owned)
    };
    let section = attribute("section").expect("section");
    let target = page
        .split("<form method=\"post\" action=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("form action")
        .replace("&amp;", "&");
    let mut form: Vec<(&str, &str)> = vec![("csrf", &csrf), ("section", &section), ("action", action)];
    form.extend_from_slice(fields);
    client.post(app.url(host, &target)).form(&form).send().await.expect("post")
}

/// Lifecycle state and times of a survey row written by [`insert_survey`].
#[derive(Debug, Clone, Copy)]
pub struct SurveyRow {
    /// `draft`, `open`, `closed`, `published`, …
    pub status: &'static str,
    /// Seconds since the epoch it opened (also its creation time).
    pub opened: Option<i64>,
    /// When it closed.
    pub closed: Option<i64>,
    /// When results and feedback were published.
    pub published: Option<i64>,
    /// Participation-ladder step code.
    pub ladder: Option<&'static str>,
}

/// Write a survey row with `definition` (survey file JSON) straight into the
/// database, bypassing the lifecycle, so tests can place it anywhere in time.
pub async fn insert_survey(app: &TestApp, municipality: &Municipality, definition: String, row: SurveyRow) -> i32 {
    let now = radslag::services::now();
    survey::ActiveModel {
        municipality_id: Set(municipality.id),
        status: Set(row.status.to_owned()),
        kind: Set("panel".to_owned()),
        definition: Set(definition),
        closes_on: Set(None),
        compass_areas: Set(String::new()),
        ladder_step: Set(row.ladder.map(str::to_owned)),
        public_token_hash: Set(None),
        reminder_after_days: Set(3),
        max_reminders: Set(1),
        created_by: Set(None),
        approved_by: Set(None),
        created_at: Set(row.opened.unwrap_or(now)),
        updated_at: Set(now),
        opened_at: Set(row.opened),
        closed_at: Set(row.closed),
        published_at: Set(row.published),
        feedback: Set(None),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect("survey")
    .id
}

/// One stored answer: question key, option key, number, "don't know".
pub type AnswerRow<'a> = (&'a str, Option<&'a str>, Option<f64>, bool);

/// Write one anonymous response of a respondent in `cell` (age band, gender,
/// district) with its answers.
pub async fn insert_response(
    app: &TestApp,
    municipality: &Municipality,
    survey_id: i32,
    cell: (&str, &str, &str),
    answers: &[AnswerRow<'_>],
) -> String {
    let id = SecretToken::generate().reveal();
    response::ActiveModel {
        id: Set(id.clone()),
        municipality_id: Set(municipality.id),
        survey_id: Set(survey_id),
        submitted_on: Set("2025-01-01".to_owned()),
        channel: Set("web".to_owned()),
        age_band: Set(Some(cell.0.to_owned())),
        gender: Set(Some(cell.1.to_owned())),
        district: Set(Some(cell.2.to_owned())),
        source_group: Set(None),
    }
    .insert(&app.db)
    .await
    .expect("response");
    for (question, option, number, dont_know) in answers {
        response_answer::ActiveModel {
            municipality_id: Set(municipality.id),
            response_id: Set(id.clone()),
            survey_id: Set(survey_id),
            question_key: Set((*question).to_owned()),
            item_key: Set(None),
            option_key: Set(option.map(str::to_owned)),
            number_value: Set(*number),
            text_value: Set(None),
            dont_know: Set(*dont_know),
            moderation: Set("none".to_owned()),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .expect("answer");
    }
    id
}

/// Write `invited` invitations without members to a survey, the first
/// `completed` of them answered.
pub async fn insert_invitations(
    app: &TestApp,
    municipality: &Municipality,
    survey_id: i32,
    invited: usize,
    completed: usize,
) {
    for index in 0..invited {
        invitation::ActiveModel {
            municipality_id: Set(municipality.id),
            survey_id: Set(survey_id),
            sample_id: Set(None),
            member_id: Set(None),
            token_hash: Set(SecretToken::generate().hash()),
            stratum: Set(None),
            wave: Set(1),
            created_at: Set(radslag::services::now()),
            sent_at: Set(Some(radslag::services::now())),
            reminders_sent: Set(0),
            last_reminder_at: Set(None),
            completed: Set(index < completed),
            draft: Set(None),
            draft_page: Set(0),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .expect("invitation");
    }
}

/// Write population margins: `(district, age band, gender, population)` cells.
pub async fn insert_margins(app: &TestApp, municipality: &Municipality, cells: &[(&str, &str, &str, i64)]) {
    for (district, age_band, gender, population) in cells {
        population_margin::ActiveModel {
            municipality_id: Set(municipality.id),
            district_code: Set((*district).to_owned()),
            age_band: Set((*age_band).to_owned()),
            gender: Set((*gender).to_owned()),
            population: Set(*population),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .expect("margin");
    }
}

/// An active member like [`add_member`], living in `district`, of `gender`,
/// `age` years old.
pub async fn add_member_with(
    app: &TestApp,
    municipality: &Municipality,
    email: &str,
    district: &str,
    gender: &str,
    age: i32,
) -> member::Model {
    let spec = MemberSpec { district, gender, birth_year: surveys::today().year() - age, ..MemberSpec::new(email) };
    insert_member(app, municipality, spec).await
}

/// The coarse attributes a stored response carries.
#[derive(Debug, Clone, Copy)]
pub struct Respondent {
    /// Age band code, e.g. `35-44`.
    pub age_band: &'static str,
    /// `female`, `male` or `other`.
    pub gender: &'static str,
    /// District code.
    pub district: &'static str,
}

/// Store a submitted response with one chosen option per `(question, option)`;
/// returns its id.
pub async fn add_response(
    app: &TestApp,
    municipality: &Municipality,
    survey_id: i32,
    who: Respondent,
    choices: &[(&str, &str)],
) -> String {
    let answers: Vec<AnswerRow<'_>> =
        choices.iter().map(|(question, option)| (*question, Some(*option), None, false)).collect();
    insert_response(app, municipality, survey_id, (who.age_band, who.gender, who.district), &answers).await
}

/// Set a member's status, e.g. `deactivated` for one who left the panel.
pub async fn set_member_status(app: &TestApp, member_id: i32, status: &str) {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    member::Entity::update_many()
        .col_expr(member::Column::Status, Expr::value(status))
        .filter(member::Column::Id.eq(member_id))
        .exec(&app.db)
        .await
        .expect("member status");
}

/// Mark a member's invitations to a survey as answered.
pub async fn complete_invitation(app: &TestApp, survey_id: i32, member_id: i32) {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    invitation::Entity::update_many()
        .col_expr(invitation::Column::Completed, Expr::value(true))
        .filter(invitation::Column::SurveyId.eq(survey_id))
        .filter(invitation::Column::MemberId.eq(member_id))
        .exec(&app.db)
        .await
        .expect("completed invitation");
}

/// Make an API key on the staff page as the signed-in `client` (an admin)
/// and return its secret.
pub async fn api_key(
    app: &TestApp,
    client: &reqwest::Client,
    host: &str,
    name: &str,
    role: &str,
    expires_on: &str,
) -> String {
    let csrf = csrf_token(client, &app.url(host, "/staff/api-keys")).await;
    let response = client
        .post(app.url(host, "/staff/api-keys"))
        .form(&[("csrf", csrf.as_str()), ("name", name), ("role", role), ("expires_on", expires_on)])
        .send()
        .await
        .expect("POST key");
    assert_eq!(response.status(), 200, "the key is made");
    assert_eq!(response.headers()["cache-control"], "no-store");
    secret_in(&response.text().await.expect("page")).expect("the secret is shown")
}

/// The `rk_…` secret on a page, if any.
pub fn secret_in(html: &str) -> Option<String> {
    let start = html.find("value=\"rk_")? + "value=\"".len();
    let secret: String = html[start..].chars().take_while(|c| *c != '"').collect();
    Some(secret)
}
