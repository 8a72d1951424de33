//! Checks on a survey definition: structure and skip rules when saved or
//! imported, translations and metadata before approval and opening.

use std::collections::{HashMap, HashSet};

use super::{Condition, Op, Question, QuestionKind, SurveyDefinition, Text};
use crate::domain::Language;
use crate::domain::validation::FieldError;

fn key_ok(key: &str) -> bool {
    (1..=40).contains(&key.len())
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && key != "_dk"
}

/// Structural problems, each with the JSON path it is about. An empty list
/// means the definition can be saved.
pub fn structure(definition: &SurveyDefinition) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if definition.languages.is_empty() {
        errors.push(FieldError::new("languages", "survey-error-no-languages"));
    }
    if definition.title.is_empty() {
        errors.push(FieldError::new("title", "survey-error-title"));
    }
    if definition.sections.is_empty() {
        errors.push(FieldError::new("sections", "survey-error-no-sections"));
    }
    let mut section_keys = HashSet::new();
    let mut question_keys = HashSet::new();
    // Question key → (section index, position in survey, question).
    let mut earlier: HashMap<&str, (usize, usize, &Question)> = HashMap::new();
    // Questions no answers can reveal.
    let mut hidden: HashSet<&str> = HashSet::new();
    let mut position = 0;
    for (s, section) in definition.sections.iter().enumerate() {
        let path = format!("sections[{s}]");
        if !key_ok(&section.key) {
            errors.push(FieldError::new(format!("{path}.key"), "survey-error-key").with("value", &section.key));
        } else if !section_keys.insert(section.key.as_str()) {
            errors
                .push(FieldError::new(format!("{path}.key"), "survey-error-key-repeated").with("value", &section.key));
        }
        if let Some(condition) = &section.show_if {
            // A page may depend on questions of earlier pages only.
            let visible: HashMap<&str, &Question> =
                earlier.iter().filter(|(_, (si, _, _))| *si < s).map(|(k, (_, _, q))| (*k, *q)).collect();
            check_condition(condition, &visible, &format!("{path}.show_if"), &mut errors);
        }
        for (q, question) in section.questions.iter().enumerate() {
            let path = format!("{path}.questions[{q}]");
            if !key_ok(&question.key) {
                errors.push(FieldError::new(format!("{path}.key"), "survey-error-key").with("value", &question.key));
            } else if !question_keys.insert(question.key.as_str()) {
                errors.push(
                    FieldError::new(format!("{path}.key"), "survey-error-key-repeated").with("value", &question.key),
                );
            }
            if question.text.is_empty() {
                errors.push(FieldError::new(format!("{path}.text"), "survey-error-question-text"));
            }
            if question.compass_area.is_some_and(|a| !(1..=8).contains(&a)) {
                errors.push(FieldError::new(format!("{path}.compass_area"), "survey-error-compass-area"));
            }
            check_kind(&question.kind, &path, &mut errors);
            if let Some(condition) = &question.show_if {
                let visible: HashMap<&str, &Question> = earlier.iter().map(|(k, (_, _, q))| (*k, *q)).collect();
                check_condition(condition, &visible, &format!("{path}.show_if"), &mut errors);
            }
            let several = |key: &str| {
                earlier.get(key).is_some_and(|(_, _, q)| matches!(q.kind, QuestionKind::MultipleChoice { .. }))
            };
            let possible = |condition: &Option<Condition>| {
                condition.as_ref().is_none_or(|c| c.is_satisfiable_with(several) && !c.needs_answer_from(&hidden))
            };
            let reachable = possible(&question.show_if) && possible(&section.show_if);
            if !reachable {
                hidden.insert(question.key.as_str());
                if question.required {
                    errors.push(FieldError::new(format!("{path}.show_if"), "survey-error-unreachable"));
                }
            }
            earlier.insert(question.key.as_str(), (s, position, question));
            position += 1;
        }
        if section.questions.is_empty() {
            errors.push(FieldError::new(format!("{path}.questions"), "survey-error-no-questions"));
        }
    }
    errors
}

fn check_kind(kind: &QuestionKind, path: &str, errors: &mut Vec<FieldError>) {
    let check_choices = |field: &str, choices: &[super::Choice], minimum: usize, errors: &mut Vec<FieldError>| {
        if choices.len() < minimum {
            errors
                .push(FieldError::new(format!("{path}.{field}"), "survey-error-too-few-options").with("min", minimum));
        }
        let mut seen = HashSet::new();
        for (i, choice) in choices.iter().enumerate() {
            if !key_ok(&choice.key)
                || choice.key == "other"
                    && field == "options"
                    && matches!(kind, QuestionKind::MultipleChoice { other: true, .. })
            {
                errors.push(
                    FieldError::new(format!("{path}.{field}[{i}].key"), "survey-error-key").with("value", &choice.key),
                );
            } else if !seen.insert(choice.key.as_str()) {
                errors.push(
                    FieldError::new(format!("{path}.{field}[{i}].key"), "survey-error-key-repeated")
                        .with("value", &choice.key),
                );
            }
            if choice.label.is_empty() {
                errors.push(FieldError::new(format!("{path}.{field}[{i}].label"), "survey-error-option-label"));
            }
        }
    };
    match kind {
        QuestionKind::SingleChoice { options, .. }
        | QuestionKind::MultipleChoice { options, .. }
        | QuestionKind::Ranking { options } => check_choices("options", options, 2, errors),
        QuestionKind::Likert { scale } => check_choices("scale", scale, 2, errors),
        QuestionKind::LikertMatrix { scale, statements } => {
            check_choices("scale", scale, 2, errors);
            check_choices("statements", statements, 1, errors);
        }
        QuestionKind::Number { min: Some(min), max: Some(max), .. } if min > max => {
            errors.push(FieldError::new(format!("{path}.min"), "survey-error-min-max"));
        }
        QuestionKind::ShortText { max_length: Some(n) } | QuestionKind::LongText { max_length: Some(n) }
            if *n == 0 || *n > 10_000 =>
        {
            errors.push(FieldError::new(format!("{path}.max_length"), "survey-error-max-length"));
        }
        _ => {}
    }
}

fn check_condition(
    condition: &Condition,
    earlier: &HashMap<&str, &Question>,
    path: &str,
    errors: &mut Vec<FieldError>,
) {
    if condition.rules.is_empty() {
        errors.push(FieldError::new(format!("{path}.rules"), "survey-error-rule-empty"));
    }
    for (i, rule) in condition.rules.iter().enumerate() {
        let path = format!("{path}.rules[{i}]");
        let Some(question) = earlier.get(rule.question.as_str()) else {
            errors.push(
                FieldError::new(format!("{path}.question"), "survey-error-rule-question").with("value", &rule.question),
            );
            continue;
        };
        let numeric = matches!(question.kind, QuestionKind::Rating { .. } | QuestionKind::Number { .. });
        let choice = matches!(
            question.kind,
            QuestionKind::SingleChoice { .. } | QuestionKind::MultipleChoice { .. } | QuestionKind::Likert { .. }
        );
        match rule.op {
            Op::Answered => {}
            op if op.is_numeric() => {
                if !numeric || rule.number.is_none() {
                    errors.push(FieldError::new(format!("{path}.op"), "survey-error-rule-numeric"));
                }
            }
            _ if numeric => {
                if rule.values.is_empty() || rule.values.iter().any(|v| v.parse::<f64>().is_err()) {
                    errors.push(FieldError::new(format!("{path}.values"), "survey-error-rule-values"));
                }
            }
            _ if choice => {
                let mut keys = question.kind.option_keys();
                if matches!(question.kind, QuestionKind::MultipleChoice { other: true, .. }) {
                    keys.push("other");
                }
                if question.dont_know {
                    keys.push("dont_know");
                }
                if rule.values.is_empty() || rule.values.iter().any(|v| !keys.contains(&v.as_str())) {
                    errors.push(FieldError::new(format!("{path}.values"), "survey-error-rule-values"));
                }
            }
            _ => errors.push(FieldError::new(format!("{path}.op"), "survey-error-rule-type")),
        }
    }
}

/// Every text that is missing in one of the survey's languages, as
/// (JSON path, language).
pub fn missing_translations(definition: &SurveyDefinition) -> Vec<(String, Language)> {
    let mut missing = Vec::new();
    let mut need = |path: String, text: &Text, required: bool| {
        if !required && text.is_empty() {
            return;
        }
        for language in &definition.languages {
            if !text.has(*language) {
                missing.push((path.clone(), *language));
            }
        }
    };
    need("title".into(), &definition.title, true);
    need("purpose".into(), &definition.purpose, true);
    need("influence".into(), &definition.influence, true);
    need("decided_by".into(), &definition.decided_by, true);
    need("decision_when".into(), &definition.decision_when, true);
    need("results_when".into(), &definition.results_when, false);
    for (s, section) in definition.sections.iter().enumerate() {
        need(format!("sections[{s}].title"), &section.title, true);
        need(format!("sections[{s}].intro"), &section.intro, false);
        for (q, question) in section.questions.iter().enumerate() {
            let path = format!("sections[{s}].questions[{q}]");
            need(format!("{path}.text"), &question.text, true);
            need(format!("{path}.help"), &question.help, false);
            let lists: Vec<(&str, &[super::Choice])> = match &question.kind {
                QuestionKind::SingleChoice { options, .. }
                | QuestionKind::MultipleChoice { options, .. }
                | QuestionKind::Ranking { options } => {
                    vec![("options", options)]
                }
                QuestionKind::Likert { scale } => vec![("scale", scale)],
                QuestionKind::LikertMatrix { scale, statements } => vec![("scale", scale), ("statements", statements)],
                QuestionKind::Rating { low_label, high_label } => {
                    need(format!("{path}.low_label"), low_label, false);
                    need(format!("{path}.high_label"), high_label, false);
                    vec![]
                }
                _ => vec![],
            };
            for (field, choices) in lists {
                for (i, choice) in choices.iter().enumerate() {
                    need(format!("{path}.{field}[{i}].label"), &choice.label, true);
                }
            }
        }
    }
    missing
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::survey::{Choice, Rule, Section};

    fn text(s: &str) -> Text {
        Text::one(Language::Nb, s)
    }

    fn choice(key: &str) -> Choice {
        Choice { key: key.into(), label: text(key) }
    }

    fn question(key: &str, kind: QuestionKind) -> Question {
        Question {
            key: key.into(),
            text: text(key),
            help: Text::default(),
            required: false,
            dont_know: false,
            compass_area: None,
            ladder_step: None,
            show_if: None,
            kind,
        }
    }

    fn definition(questions: Vec<Question>) -> SurveyDefinition {
        SurveyDefinition {
            languages: vec![Language::Nb],
            title: text("Tittel"),
            purpose: text("Formål"),
            influence: text("Dette kan endres"),
            decided_by: text("Kommunestyret"),
            decision_when: text("Juni"),
            results_when: Text::default(),
            sections: vec![Section {
                key: "s1".into(),
                title: text("Side"),
                intro: Text::default(),
                show_if: None,
                questions,
            }],
        }
    }

    fn single(key: &str) -> Question {
        question(key, QuestionKind::SingleChoice { options: vec![choice("ja"), choice("nei")], ordered: false })
    }

    fn rule(question: &str, values: &[&str]) -> Condition {
        Condition {
            combine: super::super::Combine::All,
            rules: vec![Rule {
                question: question.into(),
                op: Op::Equals,
                values: values.iter().map(|v| (*v).into()).collect(),
                number: None,
            }],
        }
    }

    #[test]
    fn a_valid_definition_has_no_problems() {
        let mut follow = question("hvorfor", QuestionKind::ShortText { max_length: None });
        follow.show_if = Some(rule("bruker", &["ja"]));
        let definition = definition(vec![single("bruker"), follow]);
        assert_eq!(structure(&definition), vec![]);
        assert!(missing_translations(&definition).is_empty());
    }

    #[test]
    fn rules_must_point_backwards_to_existing_options() {
        let mut first = single("a");
        first.show_if = Some(rule("b", &["ja"]));
        let mut third = single("c");
        third.show_if = Some(rule("a", &["kanskje"]));
        let errors = structure(&definition(vec![first, single("b"), third]));
        let found: Vec<_> = errors.iter().map(|e| (e.field.as_str(), e.message)).collect();
        assert!(
            found.contains(&("sections[0].questions[0].show_if.rules[0].question", "survey-error-rule-question")),
            "{found:?}"
        );
        assert!(
            found.contains(&("sections[0].questions[2].show_if.rules[0].values", "survey-error-rule-values")),
            "{found:?}"
        );
    }

    #[test]
    fn unreachable_required_questions_are_refused() {
        let mut impossible = single("b");
        impossible.required = true;
        impossible.show_if = Some(Condition {
            combine: super::super::Combine::All,
            rules: vec![
                Rule { question: "a".into(), op: Op::Equals, values: vec!["ja".into()], number: None },
                Rule { question: "a".into(), op: Op::Equals, values: vec!["nei".into()], number: None },
            ],
        });
        let errors = structure(&definition(vec![single("a"), impossible]));
        assert!(errors.iter().any(|e| e.message == "survey-error-unreachable"), "{errors:?}");
    }

    fn both(question: &str, first: (Op, &str), second: (Op, &str)) -> Condition {
        let rule =
            |(op, value): (Op, &str)| Rule { question: question.into(), op, values: vec![value.into()], number: None };
        Condition { combine: super::super::Combine::All, rules: vec![rule(first), rule(second)] }
    }

    #[test]
    fn several_choices_can_each_be_required() {
        let many =
            question("a", QuestionKind::MultipleChoice { options: vec![choice("ja"), choice("nei")], other: false });
        let mut follow_up = single("b");
        follow_up.required = true;
        follow_up.show_if = Some(both("a", (Op::Equals, "ja"), (Op::Equals, "nei")));
        assert_eq!(structure(&definition(vec![many.clone(), follow_up.clone()])), vec![], "both can be ticked");
        follow_up.show_if = Some(both("a", (Op::Equals, "ja"), (Op::Not, "ja")));
        let errors = structure(&definition(vec![many, follow_up]));
        assert!(errors.iter().any(|e| e.message == "survey-error-unreachable"), "ticked and not ticked: {errors:?}");
    }

    #[test]
    fn questions_behind_a_hidden_question_are_hidden_too() {
        let mut never = single("b");
        never.show_if = Some(both("a", (Op::Equals, "ja"), (Op::Equals, "nei")));
        let mut after = single("c");
        after.required = true;
        after.show_if = Some(rule("b", &["ja"]));
        let errors = structure(&definition(vec![single("a"), never.clone(), after.clone()]));
        assert_eq!(errors.iter().filter(|e| e.message == "survey-error-unreachable").count(), 1, "{errors:?}");
        assert!(errors.iter().any(|e| e.field == "sections[0].questions[2].show_if"), "{errors:?}");
        after.show_if = Some(Condition {
            combine: super::super::Combine::All,
            rules: vec![Rule { question: "b".into(), op: Op::Not, values: vec!["ja".into()], number: None }],
        });
        let errors = structure(&definition(vec![single("a"), never, after]));
        assert!(errors.iter().all(|e| e.message != "survey-error-unreachable"), "'not' holds when b is never shown");
    }

    #[test]
    fn repeated_keys_and_thin_options_are_named() {
        let thin = question("x", QuestionKind::SingleChoice { options: vec![choice("only")], ordered: false });
        let errors = structure(&definition(vec![single("a"), single("a"), thin]));
        let messages: Vec<_> = errors.iter().map(|e| e.message).collect();
        assert!(messages.contains(&"survey-error-key-repeated") && messages.contains(&"survey-error-too-few-options"));
    }

    #[test]
    fn missing_translations_are_listed_by_path() {
        let mut definition = definition(vec![single("a")]);
        definition.languages.push(Language::En);
        definition.title.0.insert(Language::En, "Title".into());
        let missing = missing_translations(&definition);
        assert!(missing.contains(&("purpose".to_owned(), Language::En)));
        assert!(missing.contains(&("sections[0].questions[0].options[1].label".to_owned(), Language::En)));
        assert!(!missing.iter().any(|(path, _)| path == "title"));
    }
}
