//! Changes staff make to a survey through plain HTML forms: each form posts an
//! `op` and its fields, and [`apply`] turns that into a new definition (and
//! settings). Structure is checked afterwards with `validate::structure`.

use super::file::{SurveyColumns, check_reminders};
use super::{
    Choice, Combine, Condition, LadderStep, Op, Question, QuestionKind, Rule, Section, SurveyDefinition, Text,
};
use crate::domain::Language;
use crate::domain::validation::{FieldError, Invalid};

/// The posted fields of one form, in order.
#[derive(Debug, Clone, Default)]
pub struct FormValues(pub Vec<(String, String)>);

impl FormValues {
    /// The first value of `name`, or "".
    pub fn get(&self, name: &str) -> &str {
        self.0.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v.as_str())
    }

    /// Whether a checkbox named `name` was ticked.
    pub fn checked(&self, name: &str) -> bool {
        self.0.iter().any(|(k, _)| k == name)
    }

    /// Every value of `name`.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str()).collect()
    }

    /// Add a value.
    pub fn push(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.0.push((name.into(), value.into()));
    }

    /// Which form on the page these values belong to (see [`form_id`]).
    pub fn form_id(&self) -> String {
        form_id(self.get("op"), self.get("target"))
    }
}

/// The id of a form on the edit page: its operation and its target.
pub fn form_id(op: &str, target: &str) -> String {
    format!("{op}:{target}")
}

/// What an applied change was, for the audit log and the open-survey rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditKind {
    /// Only texts may have changed (allowed on open surveys if the structure stays).
    Texts,
    /// The structure changes (draft only).
    Structure,
}

/// The result of a form: the new definition and settings, and what changed.
#[derive(Debug, Clone)]
pub struct Edited {
    /// The definition after the change (not yet checked).
    pub definition: SurveyDefinition,
    /// The settings after the change.
    pub columns: SurveyColumns,
    /// Texts or structure.
    pub kind: EditKind,
    /// Audit action suffix, e.g. `question.update`.
    pub action: &'static str,
}

/// Question types staff can add, in menu order.
pub const QUESTION_TYPES: [&str; 9] = [
    "single_choice",
    "multiple_choice",
    "likert",
    "likert_matrix",
    "rating",
    "number",
    "short_text",
    "long_text",
    "ranking",
];

/// Operators offered in the skip-rule editor.
pub const OPERATORS: [(Op, &str); 8] = [
    (Op::Equals, "equals"),
    (Op::OneOf, "one_of"),
    (Op::Not, "not"),
    (Op::Gt, "gt"),
    (Op::Gte, "gte"),
    (Op::Lt, "lt"),
    (Op::Lte, "lte"),
    (Op::Answered, "answered"),
];

/// Default five-point agreement scale, keyed 1–5, labels per language.
pub fn default_scale(languages: &[Language], label: impl Fn(Language, usize) -> String) -> Vec<Choice> {
    (1..=5)
        .map(|n| Choice { key: n.to_string(), label: Text(languages.iter().map(|l| (*l, label(*l, n))).collect()) })
        .collect()
}

/// Apply the posted form to a copy of `definition` and `columns`. `scale`
/// gives default Likert labels for new Likert questions.
pub fn apply(
    definition: &SurveyDefinition,
    columns: &SurveyColumns,
    form: &FormValues,
    scale: &dyn Fn(Language, usize) -> String,
) -> Result<Edited, Invalid> {
    let prefix = match form.get("op") {
        op if op.starts_with("question_") && op != "question_add" => {
            question_position(definition, form).ok().map(|(s, q)| format!("sections[{s}].questions[{q}]."))
        }
        op if op.starts_with("section_") && op != "section_add" => {
            section_index(definition, form).ok().map(|s| format!("sections[{s}]."))
        }
        _ => None,
    };
    apply_unprefixed(definition, columns, form, scale).map_err(|Invalid(errors)| {
        Invalid(
            errors
                .into_iter()
                .map(|mut error| {
                    if error.field.starts_with("rule_") {
                        error.field = "show_if".into();
                    }
                    if let Some(prefix) = prefix.as_deref().filter(|_| error.field != "target") {
                        error.field = format!("{prefix}{}", error.field);
                    }
                    error
                })
                .collect(),
        )
    })
}

fn apply_unprefixed(
    definition: &SurveyDefinition,
    columns: &SurveyColumns,
    form: &FormValues,
    scale: &dyn Fn(Language, usize) -> String,
) -> Result<Edited, Invalid> {
    let mut definition = definition.clone();
    let mut columns = *columns;
    let (kind, action) = match form.get("op") {
        "meta" => {
            let texts_only = update_meta(&mut definition, &mut columns, form)?;
            (if texts_only { EditKind::Texts } else { EditKind::Structure }, "meta.update")
        }
        "section_add" => {
            let question = new_question(&definition, form, "", scale)?;
            let key = fresh_key(&definition.sections.iter().map(|s| s.key.clone()).collect::<Vec<_>>(), "s");
            let title = text_from(form, "title", &definition.languages);
            definition.sections.push(Section {
                key,
                title,
                intro: Text::default(),
                show_if: None,
                questions: vec![question],
            });
            (EditKind::Structure, "section.add")
        }
        "section_update" => {
            let languages = definition.languages.clone();
            let section = section_mut(&mut definition, form)?;
            section.title = text_from(form, "title", &languages);
            section.intro = text_from(form, "intro", &languages);
            (EditKind::Texts, "section.update")
        }
        "section_move" => {
            let index = section_index(&definition, form)?;
            move_item(&mut definition.sections, index, form.get("direction") == "up");
            (EditKind::Structure, "section.move")
        }
        "section_delete" => {
            let index = section_index(&definition, form)?;
            definition.sections.remove(index);
            (EditKind::Structure, "section.delete")
        }
        "section_rule" => {
            let condition = condition_from(form, "")?;
            section_mut(&mut definition, form)?.show_if = condition;
            (EditKind::Structure, "section.rule")
        }
        "question_add" => {
            let index = section_index(&definition, form)?;
            let question = new_question(&definition, form, "", scale)?;
            definition.sections[index].questions.push(question);
            (EditKind::Structure, "question.add")
        }
        "question_update" => {
            let languages = definition.languages.clone();
            let (s, q) = question_position(&definition, form)?;
            let before = definition.sections[s].questions[q].clone();
            let updated = update_question(&before, form, &languages)?;
            let kind = if strip_texts_question(&updated) == strip_texts_question(&before) {
                EditKind::Texts
            } else {
                EditKind::Structure
            };
            definition.sections[s].questions[q] = updated;
            (kind, "question.update")
        }
        "question_move" => {
            let (s, q) = question_position(&definition, form)?;
            move_question(&mut definition, s, q, form.get("direction") == "up");
            (EditKind::Structure, "question.move")
        }
        "question_delete" => {
            let (s, q) = question_position(&definition, form)?;
            definition.sections[s].questions.remove(q);
            (EditKind::Structure, "question.delete")
        }
        "question_rule" => {
            let (s, q) = question_position(&definition, form)?;
            definition.sections[s].questions[q].show_if = condition_from(form, "")?;
            (EditKind::Structure, "question.rule")
        }
        _ => return Err(single("op", "survey-error-unknown-change")),
    };
    Ok(Edited { definition, columns, kind, action })
}

fn single(field: impl Into<String>, message: &'static str) -> Invalid {
    Invalid(vec![FieldError::new(field, message)])
}

/// A text from fields `name.<language>` for each survey language.
fn text_from(form: &FormValues, name: &str, languages: &[Language]) -> Text {
    Text(
        languages
            .iter()
            .filter_map(|l| {
                let value = form.get(&format!("{name}.{}", l.code())).trim();
                (!value.is_empty()).then(|| (*l, value.to_owned()))
            })
            .collect(),
    )
}

fn update_meta(
    definition: &mut SurveyDefinition,
    columns: &mut SurveyColumns,
    form: &FormValues,
) -> Result<bool, Invalid> {
    let mut errors = Vec::new();
    let before = (definition.languages.clone(), *columns);
    let languages: Vec<Language> = form.all("languages").iter().filter_map(|l| l.parse().ok()).collect();
    if !languages.is_empty() || form.checked("languages_present") {
        definition.languages = languages;
        definition.languages.sort();
        definition.languages.dedup();
    }
    let languages = definition.languages.clone();
    definition.title = text_from(form, "title", &languages);
    definition.purpose = text_from(form, "purpose", &languages);
    definition.influence = text_from(form, "influence", &languages);
    definition.decided_by = text_from(form, "decided_by", &languages);
    definition.decision_when = text_from(form, "decision_when", &languages);
    definition.results_when = text_from(form, "results_when", &languages);
    let closes_on = form.get("closes_on").trim();
    columns.closes_on = if closes_on.is_empty() {
        None
    } else {
        match time::Date::parse(closes_on, time::macros::format_description!("[year]-[month]-[day]")) {
            Ok(date) => Some(date),
            Err(_) => {
                errors.push(FieldError::new("closes_on", "survey-error-date"));
                None
            }
        }
    };
    columns.ladder_step = LadderStep::parse(form.get("ladder_step"));
    if form.checked("one_answer_per_browser_present") {
        columns.one_answer_per_browser = form.checked("one_answer_per_browser");
    }
    match (form.get("reminder_after_days").trim().parse(), form.get("max_reminders").trim().parse()) {
        (Ok(days), Ok(most)) => match check_reminders(days, most) {
            Ok(()) => (columns.reminder_after_days, columns.max_reminders) = (days, most),
            Err(error) => errors.push(error),
        },
        (Err(_), _) => errors.push(FieldError::new("reminder_after_days", "survey-error-number")),
        (_, Err(_)) => errors.push(FieldError::new("max_reminders", "survey-error-number")),
    }
    Invalid::check(errors)?;
    Ok(before == (definition.languages.clone(), *columns))
}

fn section_index(definition: &SurveyDefinition, form: &FormValues) -> Result<usize, Invalid> {
    form.get("target")
        .parse::<usize>()
        .ok()
        .filter(|i| *i < definition.sections.len())
        .ok_or_else(|| single("target", "survey-error-gone"))
}

fn section_mut<'a>(definition: &'a mut SurveyDefinition, form: &FormValues) -> Result<&'a mut Section, Invalid> {
    let index = section_index(definition, form)?;
    Ok(&mut definition.sections[index])
}

fn question_position(definition: &SurveyDefinition, form: &FormValues) -> Result<(usize, usize), Invalid> {
    let key = form.get("target");
    definition
        .sections
        .iter()
        .enumerate()
        .find_map(|(s, section)| section.questions.iter().position(|q| q.key == key).map(|q| (s, q)))
        .ok_or_else(|| single("target", "survey-error-gone"))
}

fn move_item<T>(items: &mut [T], index: usize, up: bool) {
    if up && index > 0 {
        items.swap(index, index - 1);
    } else if !up && index + 1 < items.len() {
        items.swap(index, index + 1);
    }
}

/// Move a question one place; at the edge of a section it moves to the
/// neighbouring section.
fn move_question(definition: &mut SurveyDefinition, s: usize, q: usize, up: bool) {
    let count = definition.sections[s].questions.len();
    if up && q == 0 && s > 0 {
        let question = definition.sections[s].questions.remove(q);
        definition.sections[s - 1].questions.push(question);
    } else if !up && q + 1 == count && s + 1 < definition.sections.len() {
        let question = definition.sections[s].questions.remove(q);
        definition.sections[s + 1].questions.insert(0, question);
    } else {
        move_item(&mut definition.sections[s].questions, q, up);
    }
}

/// A key like `q7` not yet used in `taken`.
fn fresh_key(taken: &[String], prefix: &str) -> String {
    (1..).map(|n| format!("{prefix}{n}")).find(|k| !taken.contains(k)).unwrap_or_else(|| prefix.to_owned())
}

/// A key made from a label: lower-case ASCII letters, digits and `_`.
/// Accented letters keep their base letter («kafé» → `kafe`).
fn slug(label: &str) -> String {
    let mut out = String::new();
    for c in label.trim().to_lowercase().chars() {
        let mapped = match c {
            'æ' | 'ä' => "ae",
            'ø' | 'ö' | 'ó' | 'ò' | 'ô' => "o",
            'å' | 'á' | 'à' | 'â' => "a",
            'é' | 'è' | 'ê' | 'ë' => "e",
            'í' | 'ì' | 'î' | 'ï' => "i",
            'ú' | 'ù' | 'û' | 'ü' => "u",
            'č' | 'ç' => "c",
            'đ' => "d",
            'ŋ' | 'ñ' => "n",
            'š' => "s",
            'ŧ' => "t",
            'ž' => "z",
            c if c.is_ascii_alphanumeric() => {
                out.push(c);
                continue;
            }
            _ => "_",
        };
        if !(mapped == "_" && (out.is_empty() || out.ends_with('_'))) {
            out.push_str(mapped);
        }
    }
    out.truncate(30);
    out.trim_end_matches('_').to_owned()
}

/// Options from one textarea per language (one option per line). Keys of
/// existing options are kept: first by equal label in the first language,
/// then by position; new options get a key made from their label.
fn choices_from(form: &FormValues, name: &str, languages: &[Language], existing: &[Choice]) -> Vec<Choice> {
    let lines = |language: Language| -> Vec<String> {
        form.get(&format!("{name}.{}", language.code()))
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let Some(first) = languages.first() else { return Vec::new() };
    let primary = lines(*first);
    let others: Vec<(Language, Vec<String>)> = languages.iter().skip(1).map(|l| (*l, lines(*l))).collect();
    let by_label: Vec<Option<usize>> =
        primary.iter().map(|label| existing.iter().position(|c| c.label.get(*first, *first) == label)).collect();
    let mut taken: Vec<String> = by_label.iter().flatten().map(|i| existing[*i].key.clone()).collect();
    let mut choices = Vec::new();
    for (i, label) in primary.iter().enumerate() {
        let key = match by_label[i] {
            Some(found) => existing[found].key.clone(),
            None => {
                let positional = existing.get(i).map(|c| c.key.clone()).filter(|k| !taken.contains(k));
                let key = positional.unwrap_or_else(|| {
                    let base = slug(label);
                    if base.is_empty() || taken.contains(&base) { fresh_key(&taken, "o") } else { base }
                });
                taken.push(key.clone());
                key
            }
        };
        let mut text = Text::one(*first, label);
        for (language, lines) in &others {
            if let Some(line) = lines.get(i) {
                text.0.insert(*language, line.clone());
            }
        }
        choices.push(Choice { key, label: text });
    }
    choices
}

fn new_question(
    definition: &SurveyDefinition,
    form: &FormValues,
    prefix: &str,
    scale: &dyn Fn(Language, usize) -> String,
) -> Result<Question, Invalid> {
    let languages = &definition.languages;
    let taken: Vec<String> = definition.questions().map(|(_, q)| q.key.clone()).collect();
    let options = |name: &str| choices_from(form, &format!("{prefix}{name}"), languages, &[]);
    let kind = match form.get(&format!("{prefix}type")) {
        "single_choice" => QuestionKind::SingleChoice { options: options("options"), ordered: false },
        "multiple_choice" => QuestionKind::MultipleChoice { options: options("options"), other: false },
        "likert" => QuestionKind::Likert { scale: default_scale(languages, scale) },
        "likert_matrix" => {
            QuestionKind::LikertMatrix { scale: default_scale(languages, scale), statements: options("options") }
        }
        "rating" => QuestionKind::Rating { low_label: Text::default(), high_label: Text::default() },
        "number" => QuestionKind::Number { min: None, max: None, integer: true },
        "short_text" => QuestionKind::ShortText { max_length: None },
        "long_text" => QuestionKind::LongText { max_length: None },
        "ranking" => QuestionKind::Ranking { options: options("options") },
        _ => return Err(single("type", "survey-error-question-type")),
    };
    Ok(Question {
        key: fresh_key(&taken, "q"),
        text: text_from(form, &format!("{prefix}text"), languages),
        help: Text::default(),
        required: false,
        dont_know: false,
        compass_area: None,
        ladder_step: None,
        show_if: None,
        kind,
    })
}

fn optional_number<T: std::str::FromStr>(form: &FormValues, name: &str, errors: &mut Vec<FieldError>) -> Option<T> {
    let value = form.get(name).trim().replace(',', ".");
    if value.is_empty() {
        return None;
    }
    value.parse().map_err(|_| errors.push(FieldError::new(name, "survey-error-number"))).ok()
}

fn update_question(before: &Question, form: &FormValues, languages: &[Language]) -> Result<Question, Invalid> {
    let mut errors = Vec::new();
    let mut question = before.clone();
    question.key = form.get("key").trim().to_owned();
    question.text = text_from(form, "text", languages);
    question.help = text_from(form, "help", languages);
    question.required = form.checked("required");
    question.dont_know = form.checked("dont_know");
    question.compass_area = optional_number(form, "compass_area", &mut errors);
    question.ladder_step = LadderStep::parse(form.get("ladder_step"));
    let choices = |name: &str, existing: &[Choice]| choices_from(form, name, languages, existing);
    question.kind = match &before.kind {
        QuestionKind::SingleChoice { options, .. } => {
            QuestionKind::SingleChoice { options: choices("options", options), ordered: form.checked("ordered") }
        }
        QuestionKind::MultipleChoice { options, .. } => {
            QuestionKind::MultipleChoice { options: choices("options", options), other: form.checked("other") }
        }
        QuestionKind::Likert { scale } => QuestionKind::Likert { scale: choices("scale", scale) },
        QuestionKind::LikertMatrix { scale, statements } => {
            QuestionKind::LikertMatrix { scale: choices("scale", scale), statements: choices("statements", statements) }
        }
        QuestionKind::Rating { .. } => QuestionKind::Rating {
            low_label: text_from(form, "low_label", languages),
            high_label: text_from(form, "high_label", languages),
        },
        QuestionKind::Number { .. } => QuestionKind::Number {
            min: optional_number(form, "min", &mut errors),
            max: optional_number(form, "max", &mut errors),
            integer: form.checked("integer"),
        },
        QuestionKind::ShortText { .. } => {
            QuestionKind::ShortText { max_length: optional_number(form, "max_length", &mut errors) }
        }
        QuestionKind::LongText { .. } => {
            QuestionKind::LongText { max_length: optional_number(form, "max_length", &mut errors) }
        }
        QuestionKind::Ranking { options } => QuestionKind::Ranking { options: choices("options", options) },
    };
    Invalid::check(errors)?;
    Ok(question)
}

/// How many rule rows the editor shows and reads.
pub const RULE_ROWS: usize = 4;

/// A condition from rule rows `rule_question.N`, `rule_op.N`, `rule_values.N`
/// (comma-separated keys) and `rule_number.N`; rows without a question are
/// ignored, and no rows means no condition.
fn condition_from(form: &FormValues, prefix: &str) -> Result<Option<Condition>, Invalid> {
    let mut rules = Vec::new();
    let mut errors = Vec::new();
    for row in 0..RULE_ROWS {
        let question = form.get(&format!("{prefix}rule_question.{row}")).trim();
        if question.is_empty() {
            continue;
        }
        let op_code = form.get(&format!("{prefix}rule_op.{row}"));
        let Some(op) = OPERATORS.iter().find(|(_, code)| *code == op_code).map(|(op, _)| *op) else {
            errors.push(FieldError::new(format!("rule_op.{row}"), "survey-error-rule-type"));
            continue;
        };
        let values = form
            .get(&format!("{prefix}rule_values.{row}"))
            .split(',')
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
            .collect();
        let number = optional_number(form, &format!("{prefix}rule_number.{row}"), &mut errors);
        rules.push(Rule { question: question.to_owned(), op, values, number });
    }
    Invalid::check(errors)?;
    let combine = if form.get(&format!("{prefix}combine")) == "any" { Combine::Any } else { Combine::All };
    Ok((!rules.is_empty()).then_some(Condition { combine, rules }))
}

fn strip_texts_question(question: &Question) -> Question {
    let mut copy = question.clone();
    copy.text = Text::default();
    copy.help = Text::default();
    copy.kind = match &question.kind {
        QuestionKind::SingleChoice { options, ordered } => {
            QuestionKind::SingleChoice { options: strip_list(options), ordered: *ordered }
        }
        QuestionKind::MultipleChoice { options, other } => {
            QuestionKind::MultipleChoice { options: strip_list(options), other: *other }
        }
        QuestionKind::Likert { scale } => QuestionKind::Likert { scale: strip_list(scale) },
        QuestionKind::LikertMatrix { scale, statements } => {
            QuestionKind::LikertMatrix { scale: strip_list(scale), statements: strip_list(statements) }
        }
        QuestionKind::Rating { .. } => QuestionKind::Rating { low_label: Text::default(), high_label: Text::default() },
        QuestionKind::Ranking { options } => QuestionKind::Ranking { options: strip_list(options) },
        other => other.clone(),
    };
    copy
}

fn strip_list(choices: &[Choice]) -> Vec<Choice> {
    choices.iter().map(|c| Choice { key: c.key.clone(), label: Text::default() }).collect()
}

/// The definition with every text emptied: two definitions with the same
/// skeleton differ only in wording (a typo fix on an open survey).
pub fn skeleton(definition: &SurveyDefinition) -> SurveyDefinition {
    let mut copy = definition.clone();
    for text in [
        &mut copy.title,
        &mut copy.purpose,
        &mut copy.influence,
        &mut copy.decided_by,
        &mut copy.decision_when,
        &mut copy.results_when,
    ] {
        *text = Text::default();
    }
    for section in &mut copy.sections {
        section.title = Text::default();
        section.intro = Text::default();
        for question in &mut section.questions {
            *question = strip_texts_question(question);
        }
    }
    copy
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> FormValues {
        FormValues(pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect())
    }

    fn base() -> SurveyDefinition {
        SurveyDefinition {
            languages: vec![Language::En, Language::Nb],
            title: Text::one(Language::Nb, "T"),
            purpose: Text::default(),
            influence: Text::default(),
            decided_by: Text::default(),
            decision_when: Text::default(),
            results_when: Text::default(),
            sections: vec![Section {
                key: "s1".into(),
                title: Text::one(Language::Nb, "S"),
                intro: Text::default(),
                show_if: None,
                questions: vec![],
            }],
        }
    }

    fn label(_: Language, n: usize) -> String {
        format!("p{n}")
    }

    #[test]
    fn options_keep_their_keys_when_reworded_or_removed() {
        let mut definition = base();
        let added = apply(
            &definition,
            &SurveyColumns::default(),
            &form(&[
                ("op", "question_add"),
                ("target", "0"),
                ("type", "single_choice"),
                ("text.en", "Mode?"),
                ("options.en", "Bus\nCar\nBicycle"),
                ("options.nb", "Buss\nBil\nSykkel"),
            ]),
            &label,
        )
        .expect("added");
        definition = added.definition;
        let question = &definition.sections[0].questions[0];
        assert_eq!(question.key, "q1");
        assert_eq!(question.kind.option_keys(), vec!["bus", "car", "bicycle"]);
        let reworded = choices_from(
            &form(&[("options.en", "Bus\nBike")]),
            "options",
            &definition.languages,
            match &question.kind {
                QuestionKind::SingleChoice { options, .. } => options,
                _ => unreachable!(),
            },
        );
        let keys: Vec<_> = reworded.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(keys, vec!["bus", "car"], "a reworded option keeps its place's key");
    }

    #[test]
    fn typo_fixes_keep_the_skeleton() {
        let mut definition = base();
        definition.languages = vec![Language::Nb];
        definition.sections[0].questions.push(Question {
            key: "q1".into(),
            text: Text::one(Language::Nb, "Hvor ofte?"),
            help: Text::default(),
            required: true,
            dont_know: false,
            compass_area: Some(2),
            ladder_step: None,
            show_if: None,
            kind: QuestionKind::Likert { scale: default_scale(&[Language::Nb], label) },
        });
        let fix = form(&[
            ("op", "question_update"),
            ("target", "q1"),
            ("key", "q1"),
            ("text.nb", "Hvor ofte!"),
            ("scale.nb", "p1\np2\np3\np4\nP5"),
            ("required", "on"),
            ("compass_area", "2"),
        ]);
        let edited = apply(&definition, &SurveyColumns::default(), &fix, &label).expect("fix");
        assert_eq!(edited.kind, EditKind::Texts);
        assert_eq!(skeleton(&edited.definition), skeleton(&definition));
        let fewer = form(&[
            ("op", "question_update"),
            ("target", "q1"),
            ("key", "q1"),
            ("text.nb", "Hvor ofte!"),
            ("scale.nb", "p1\np2\np3\np4"),
            ("required", "on"),
            ("compass_area", "2"),
        ]);
        let edited = apply(&definition, &SurveyColumns::default(), &fewer, &label).expect("applies");
        assert_eq!(edited.kind, EditKind::Structure);
    }

    #[test]
    fn slugs_are_plain_ascii() {
        assert_eq!(slug("Bærum – Sørøst!"), "baerum_sorost");
        assert_eq!(slug("   "), "");
        assert_eq!(slug("Kafé"), "kafe", "an accented letter keeps its base letter");
        assert_eq!(slug("Čázádat ŋ đ ŧ š ž"), "cazadat_n_d_t_s_z");
    }
}
