//! Answers: what a resident gave, parsed from a page's form and checked
//! against the question.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Question, QuestionKind, Section};
use crate::domain::validation::FieldError;

/// The form value meaning "don't know".
pub const DONT_KNOW: &str = "_dk";

/// One question's answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "t", content = "v", rename_all = "snake_case")]
pub enum Answer {
    /// A chosen option or scale point (single choice, Likert).
    Choice(String),
    /// Chosen options and the "other" text (multiple choice).
    Choices {
        /// Option keys.
        selected: Vec<String>,
        /// Text for "other".
        other: Option<String>,
    },
    /// Scale point per statement (Likert matrix); `_dk` for "don't know".
    Matrix(BTreeMap<String, String>),
    /// A number (rating 0–10, number).
    Number(f64),
    /// Free text.
    Text(String),
    /// Option keys from most to least preferred.
    Ranking(Vec<String>),
    /// "Don't know".
    DontKnow,
}

/// Answers by question key.
pub type Answers = BTreeMap<String, Answer>;

/// The form field name of a question (and of its parts).
pub fn field_name(question: &str) -> String {
    format!("q.{question}")
}

/// The form field name of a part of a question (matrix statement, ranked option, "other").
pub fn part_name(question: &str, part: &str) -> String {
    format!("q.{question}.{part}")
}

/// Form values by field name (repeated fields keep every value).
pub type FormValues = BTreeMap<String, Vec<String>>;

/// Group posted pairs by name.
pub fn form_values(pairs: Vec<(String, String)>) -> FormValues {
    let mut values = FormValues::new();
    for (name, value) in pairs {
        values.entry(name).or_default().push(value);
    }
    values
}

fn first<'a>(values: &'a FormValues, name: &str) -> Option<&'a str> {
    values.get(name).and_then(|v| v.iter().map(|s| s.trim()).find(|s| !s.is_empty()))
}

/// Parse and check the answer to one question. `Ok(None)` when unanswered
/// (and allowed to be); errors name the field to point at.
pub fn parse_question(question: &Question, values: &FormValues) -> Result<Option<Answer>, FieldError> {
    let name = field_name(&question.key);
    let error = |message: &'static str| FieldError::new(name.clone(), message);
    let dont_know = question.dont_know
        && (first(values, &name) == Some(DONT_KNOW) || first(values, &part_name(&question.key, DONT_KNOW)).is_some());
    if dont_know {
        return Ok(Some(Answer::DontKnow));
    }
    let answer = match &question.kind {
        QuestionKind::SingleChoice { options, .. } | QuestionKind::Likert { scale: options } => {
            match first(values, &name) {
                None => None,
                Some(key) if options.iter().any(|o| o.key == key) => Some(Answer::Choice(key.to_owned())),
                Some(_) => return Err(error("answer-error-unknown-option")),
            }
        }
        QuestionKind::MultipleChoice { options, other } => {
            let mut selected = Vec::new();
            for key in values.get(&name).into_iter().flatten().map(|v| v.trim()) {
                let known = options.iter().any(|o| o.key == key) || (*other && key == "other");
                if !known {
                    return Err(error("answer-error-unknown-option"));
                }
                if !selected.iter().any(|s| s == key) {
                    selected.push(key.to_owned());
                }
            }
            let other_text = first(values, &part_name(&question.key, "other")).map(str::to_owned);
            if let Some(text) = &other_text {
                if text.chars().count() > question.kind.max_text_length() {
                    return Err(FieldError::new(part_name(&question.key, "other"), "answer-error-too-long")
                        .with("max", question.kind.max_text_length()));
                }
                if !selected.iter().any(|s| s == "other") {
                    selected.push("other".into());
                }
            } else if selected.iter().any(|s| s == "other") {
                return Err(FieldError::new(part_name(&question.key, "other"), "answer-error-other-missing"));
            }
            (!selected.is_empty()).then_some(Answer::Choices { selected, other: other_text })
        }
        QuestionKind::LikertMatrix { scale, statements } => {
            let mut rows = BTreeMap::new();
            for statement in statements {
                let field = part_name(&question.key, &statement.key);
                match first(values, &field) {
                    None => {
                        if question.required {
                            return Err(FieldError::new(field, "answer-error-required-row"));
                        }
                    }
                    Some(key) if scale.iter().any(|o| o.key == key) || (question.dont_know && key == DONT_KNOW) => {
                        rows.insert(statement.key.clone(), key.to_owned());
                    }
                    Some(_) => return Err(FieldError::new(field, "answer-error-unknown-option")),
                }
            }
            (!rows.is_empty()).then_some(Answer::Matrix(rows))
        }
        QuestionKind::Rating { .. } => match first(values, &name) {
            None => None,
            Some(text) => match text.parse::<u8>() {
                Ok(n) if n <= 10 => Some(Answer::Number(f64::from(n))),
                _ => return Err(error("answer-error-unknown-option")),
            },
        },
        QuestionKind::Number { min, max, integer } => match first(values, &name) {
            None => None,
            Some(text) => {
                let number =
                    text.replace(',', ".").replace([' ', '\u{a0}'], "").parse::<f64>().ok().filter(|n| n.is_finite());
                let Some(number) = number else { return Err(error("answer-error-number")) };
                if *integer && number.fract() != 0.0 {
                    return Err(error("answer-error-integer"));
                }
                if min.is_some_and(|m| number < m) || max.is_some_and(|m| number > m) {
                    let show = |v: Option<f64>| v.map_or_else(|| "–".to_owned(), |v| v.to_string());
                    return Err(error("answer-error-number-range").with("min", show(*min)).with("max", show(*max)));
                }
                Some(Answer::Number(number))
            }
        },
        QuestionKind::ShortText { .. } | QuestionKind::LongText { .. } => match first(values, &name) {
            None => None,
            Some(text) => {
                let max = question.kind.max_text_length();
                if text.chars().count() > max {
                    return Err(error("answer-error-too-long").with("max", max));
                }
                Some(Answer::Text(text.to_owned()))
            }
        },
        QuestionKind::Ranking { options } => {
            let mut placed: Vec<(usize, String)> = Vec::new();
            for option in options {
                match first(values, &part_name(&question.key, &option.key)) {
                    None => {}
                    Some(text) => match text.parse::<usize>() {
                        Ok(position) if (1..=options.len()).contains(&position) => {
                            placed.push((position, option.key.clone()))
                        }
                        _ => return Err(error("answer-error-ranking")),
                    },
                }
            }
            if placed.is_empty() {
                None
            } else {
                placed.sort();
                let distinct = placed.windows(2).all(|w| w[0].0 != w[1].0);
                if !distinct || placed.len() != options.len() {
                    return Err(error("answer-error-ranking"));
                }
                Some(Answer::Ranking(placed.into_iter().map(|(_, key)| key).collect()))
            }
        }
    };
    match answer {
        None if question.required => Err(error("answer-error-required")),
        other => Ok(other),
    }
}

/// Parse the visible questions of a page. Returns the answers given and every
/// problem; hidden questions are skipped (their answers are discarded).
pub fn parse_section(section: &Section, values: &FormValues, earlier: &Answers) -> (Answers, Vec<FieldError>) {
    let mut answers = Answers::new();
    let mut errors = Vec::new();
    for question in &section.questions {
        let mut known = earlier.clone();
        known.extend(answers.clone());
        if question.show_if.as_ref().is_some_and(|c| !c.holds(&known)) {
            continue;
        }
        match parse_question(question, values) {
            Ok(Some(answer)) => {
                answers.insert(question.key.clone(), answer);
            }
            Ok(None) => {}
            Err(error) => errors.extend(with_every_missing_row(question, values, error)),
        }
    }
    (answers, errors)
}

/// A matrix reports its first unanswered statement; flag every unanswered
/// one, so the resident sees them all at once rather than one per try.
fn with_every_missing_row(question: &Question, values: &FormValues, error: FieldError) -> Vec<FieldError> {
    match &question.kind {
        QuestionKind::LikertMatrix { statements, .. } if error.message == "answer-error-required-row" => statements
            .iter()
            .map(|s| part_name(&question.key, &s.key))
            .filter(|field| first(values, field).is_none())
            .map(|field| FieldError::new(field, "answer-error-required-row"))
            .collect(),
        _ => vec![error],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Language;
    use crate::domain::survey::{Choice, Text};

    fn options(keys: &[&str]) -> Vec<Choice> {
        keys.iter().map(|k| Choice { key: (*k).into(), label: Text::one(Language::En, k) }).collect()
    }

    fn question(key: &str, kind: QuestionKind, required: bool) -> Question {
        Question {
            key: key.into(),
            text: Text::one(Language::En, key),
            help: Text::default(),
            required,
            dont_know: true,
            compass_area: None,
            ladder_step: None,
            show_if: None,
            kind,
        }
    }

    fn values(pairs: &[(&str, &str)]) -> FormValues {
        form_values(pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect())
    }

    #[test]
    fn single_choice_checks_the_option() {
        let q =
            question("mode", QuestionKind::SingleChoice { options: options(&["bus", "car"]), ordered: false }, true);
        assert_eq!(parse_question(&q, &values(&[("q.mode", "bus")])), Ok(Some(Answer::Choice("bus".into()))));
        assert_eq!(
            parse_question(&q, &values(&[("q.mode", "boat")])).map_err(|e| e.message),
            Err("answer-error-unknown-option")
        );
        assert_eq!(parse_question(&q, &values(&[])).map_err(|e| e.message), Err("answer-error-required"));
        assert_eq!(parse_question(&q, &values(&[("q.mode", "_dk")])), Ok(Some(Answer::DontKnow)));
    }

    #[test]
    fn multiple_choice_with_other() {
        let q = question(
            "uses",
            QuestionKind::MultipleChoice { options: options(&["pool", "library"]), other: true },
            false,
        );
        let parsed =
            parse_question(&q, &values(&[("q.uses", "pool"), ("q.uses", "library"), ("q.uses.other", "Skatepark")]));
        assert_eq!(
            parsed,
            Ok(Some(Answer::Choices {
                selected: vec!["pool".into(), "library".into(), "other".into()],
                other: Some("Skatepark".into())
            }))
        );
        assert!(parse_question(&q, &values(&[("q.uses", "other")])).is_err(), "other needs its text");
        assert_eq!(parse_question(&q, &values(&[])), Ok(None));
    }

    #[test]
    fn matrix_rows_and_required_rows() {
        let q = question(
            "trust",
            QuestionKind::LikertMatrix { scale: options(&["1", "2", "3"]), statements: options(&["council", "staff"]) },
            true,
        );
        let parsed = parse_question(&q, &values(&[("q.trust.council", "3"), ("q.trust.staff", "_dk")]));
        assert_eq!(
            parsed,
            Ok(Some(Answer::Matrix(BTreeMap::from([("council".into(), "3".into()), ("staff".into(), "_dk".into())]))))
        );
        let missing = parse_question(&q, &values(&[("q.trust.council", "3")])).expect_err("row missing");
        assert_eq!((missing.field.as_str(), missing.message), ("q.trust.staff", "answer-error-required-row"));

        let section = Section {
            key: "s".into(),
            title: Text::default(),
            intro: Text::default(),
            show_if: None,
            questions: vec![q],
        };
        let (_, errors) = parse_section(&section, &values(&[]), &Answers::new());
        let fields: Vec<_> = errors.iter().map(|e| (e.field.as_str(), e.message)).collect();
        assert_eq!(
            fields,
            [("q.trust.council", "answer-error-required-row"), ("q.trust.staff", "answer-error-required-row")],
            "every unanswered row is flagged"
        );
    }

    #[test]
    fn numbers_and_ratings() {
        let rating =
            question("nps", QuestionKind::Rating { low_label: Text::default(), high_label: Text::default() }, false);
        assert_eq!(parse_question(&rating, &values(&[("q.nps", "10")])), Ok(Some(Answer::Number(10.0))));
        assert!(parse_question(&rating, &values(&[("q.nps", "11")])).is_err());
        let number = question("kids", QuestionKind::Number { min: Some(0.0), max: Some(20.0), integer: true }, false);
        assert_eq!(parse_question(&number, &values(&[("q.kids", " 3 ")])), Ok(Some(Answer::Number(3.0))));
        assert_eq!(
            parse_question(&number, &values(&[("q.kids", "2,5")])).map_err(|e| e.message),
            Err("answer-error-integer")
        );
        assert_eq!(
            parse_question(&number, &values(&[("q.kids", "21")])).map_err(|e| e.message),
            Err("answer-error-number-range")
        );
        assert_eq!(
            parse_question(&number, &values(&[("q.kids", "many")])).map_err(|e| e.message),
            Err("answer-error-number")
        );
    }

    #[test]
    fn text_is_limited() {
        let q = question("idea", QuestionKind::ShortText { max_length: Some(5) }, false);
        assert_eq!(parse_question(&q, &values(&[("q.idea", "short")])), Ok(Some(Answer::Text("short".into()))));
        assert_eq!(
            parse_question(&q, &values(&[("q.idea", "too long")])).map_err(|e| e.message),
            Err("answer-error-too-long")
        );
    }

    #[test]
    fn ranking_needs_distinct_positions() {
        let q = question("prio", QuestionKind::Ranking { options: options(&["a", "b", "c"]) }, false);
        let ok = parse_question(&q, &values(&[("q.prio.a", "2"), ("q.prio.b", "3"), ("q.prio.c", "1")]));
        assert_eq!(ok, Ok(Some(Answer::Ranking(vec!["c".into(), "a".into(), "b".into()]))));
        assert!(parse_question(&q, &values(&[("q.prio.a", "1"), ("q.prio.b", "1"), ("q.prio.c", "2")])).is_err());
        assert!(parse_question(&q, &values(&[("q.prio.a", "1")])).is_err(), "all or none");
    }

    #[test]
    fn hidden_questions_are_skipped() {
        use crate::domain::survey::{Combine, Condition, Op, Rule};
        let mut follow_up = question("why", QuestionKind::ShortText { max_length: None }, true);
        follow_up.show_if = Some(Condition {
            combine: Combine::All,
            rules: vec![Rule { question: "mode".into(), op: Op::Equals, values: vec!["car".into()], number: None }],
        });
        let section = Section {
            key: "s".into(),
            title: Text::default(),
            intro: Text::default(),
            show_if: None,
            questions: vec![
                question(
                    "mode",
                    QuestionKind::SingleChoice { options: options(&["bus", "car"]), ordered: false },
                    true,
                ),
                follow_up,
            ],
        };
        let (answers, errors) =
            parse_section(&section, &values(&[("q.mode", "bus"), ("q.why", "ignored")]), &Answers::new());
        assert!(errors.is_empty());
        assert_eq!(answers.len(), 1, "the hidden question's answer is discarded");
        let (_, errors) = parse_section(&section, &values(&[("q.mode", "car")]), &Answers::new());
        assert_eq!(errors.len(), 1, "a shown required question must be answered");
    }
}
