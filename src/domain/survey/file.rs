//! The native survey file: the definition wrapped with the survey's settings,
//! as exported and imported (see `docs/survey-format.md`).

use serde::{Deserialize, Serialize};

use super::{LadderStep, SurveyDefinition, validate};
use crate::domain::validation::FieldError;

/// The value of the `format` field.
pub const FORMAT_NAME: &str = "radslag-survey";
/// The only version this code reads and writes.
pub const FORMAT_VERSION: u32 = 1;

/// Who a survey in a file is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// Panel members, by personal invitation.
    Panel,
    /// Anyone with the public link.
    Open,
}

/// Settings kept beside the definition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SurveyColumns {
    /// Last day answers are accepted.
    pub closes_on: Option<time::Date>,
    /// Participation-ladder step of the survey.
    pub ladder_step: Option<LadderStep>,
    /// Days before the first reminder.
    pub reminder_after_days: i32,
    /// Most reminders per invitation.
    pub max_reminders: i32,
    /// Open surveys: each browser may answer once (otherwise once per visit).
    pub one_answer_per_browser: bool,
}

impl Default for SurveyColumns {
    fn default() -> Self {
        Self {
            closes_on: None,
            ladder_step: None,
            reminder_after_days: 7,
            max_reminders: 2,
            one_answer_per_browser: true,
        }
    }
}

/// Allowed days before the first reminder.
pub const REMINDER_DAYS: std::ops::RangeInclusive<i32> = 1..=60;
/// Allowed number of reminders.
pub const MAX_REMINDERS: std::ops::RangeInclusive<i32> = 0..=5;

const DATE: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]");

/// A survey file as written on disk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurveyFile {
    /// Always `radslag-survey`.
    pub format: String,
    /// Always 1.
    pub version: u32,
    /// `panel` or `open`.
    pub kind: Audience,
    /// Last day answers are accepted, `YYYY-MM-DD`, or null.
    pub closes_on: Option<String>,
    /// Participation-ladder step, or null.
    pub ladder_step: Option<LadderStep>,
    /// Days before the first reminder.
    pub reminder_after_days: i32,
    /// Most reminders per invitation.
    pub max_reminders: i32,
    /// Open surveys: one answer per browser (the default). Written only when off.
    #[serde(default = "answer_once", skip_serializing_if = "is_answer_once")]
    pub one_answer_per_browser: bool,
    /// Sections, questions and texts.
    pub definition: SurveyDefinition,
}

impl SurveyFile {
    /// Wrap a definition and its settings.
    pub fn new(kind: Audience, columns: &SurveyColumns, definition: SurveyDefinition) -> Self {
        Self {
            format: FORMAT_NAME.to_owned(),
            version: FORMAT_VERSION,
            kind,
            closes_on: columns.closes_on.and_then(|d| d.format(DATE).ok()),
            ladder_step: columns.ladder_step,
            reminder_after_days: columns.reminder_after_days,
            max_reminders: columns.max_reminders,
            one_answer_per_browser: columns.one_answer_per_browser,
            definition,
        }
    }

    /// Read a file, stopping at the first problem, which names its JSON path.
    pub fn parse(text: &str) -> Result<(Self, SurveyColumns), FieldError> {
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let file: SurveyFile = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
            let path = error.path().to_string();
            let path = if path == "." { "(file)".to_owned() } else { path };
            FieldError::new(path, "survey-error-file-parse").with("detail", error.inner())
        })?;
        deserializer
            .end()
            .map_err(|error| FieldError::new("(file)", "survey-error-file-parse").with("detail", error))?;
        let columns = file.columns()?;
        if let Some(first) = validate::structure(&file.definition).into_iter().next() {
            return Err(FieldError { field: format!("definition.{}", first.field), ..first });
        }
        Ok((file, columns))
    }

    /// Check the wrapper fields and turn them into settings.
    fn columns(&self) -> Result<SurveyColumns, FieldError> {
        if self.format != FORMAT_NAME {
            return Err(FieldError::new("format", "survey-error-format").with("value", FORMAT_NAME));
        }
        if self.version != FORMAT_VERSION {
            return Err(FieldError::new("version", "survey-error-version").with("value", FORMAT_VERSION));
        }
        let closes_on = self
            .closes_on
            .as_deref()
            .map(|d| time::Date::parse(d, DATE))
            .transpose()
            .map_err(|_| FieldError::new("closes_on", "survey-error-date"))?;
        check_reminders(self.reminder_after_days, self.max_reminders)?;
        Ok(SurveyColumns {
            closes_on,
            ladder_step: self.ladder_step,
            reminder_after_days: self.reminder_after_days,
            max_reminders: self.max_reminders,
            one_answer_per_browser: self.one_answer_per_browser,
        })
    }

    /// The file as canonical JSON: two-space indentation, fields in a fixed
    /// order, languages sorted, a final newline.
    pub fn to_canonical_json(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string_pretty(self).map(|mut text| {
            text.push('\n');
            text
        })
    }
}

fn answer_once() -> bool {
    true
}

fn is_answer_once(value: &bool) -> bool {
    *value
}

/// Check the reminder settings.
pub fn check_reminders(reminder_after_days: i32, max_reminders: i32) -> Result<(), FieldError> {
    if !REMINDER_DAYS.contains(&reminder_after_days) {
        return Err(FieldError::new("reminder_after_days", "survey-error-reminder-days")
            .with("min", REMINDER_DAYS.start())
            .with("max", REMINDER_DAYS.end()));
    }
    if !MAX_REMINDERS.contains(&max_reminders) {
        return Err(FieldError::new("max_reminders", "survey-error-max-reminders")
            .with("min", MAX_REMINDERS.start())
            .with("max", MAX_REMINDERS.end()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = r#"{
  "format": "radslag-survey",
  "version": 1,
  "kind": "panel",
  "closes_on": "2030-06-01",
  "ladder_step": "consultation",
  "reminder_after_days": 7,
  "max_reminders": 2,
  "definition": {
    "languages": [
      "nb"
    ],
    "title": {
      "nb": "Tittel"
    },
    "purpose": {
      "nb": "Formål"
    },
    "influence": {
      "nb": "Dette"
    },
    "decided_by": {
      "nb": "Kommunestyret"
    },
    "decision_when": {
      "nb": "Juni"
    },
    "results_when": {
      "nb": "August"
    },
    "sections": [
      {
        "key": "s1",
        "title": {
          "nb": "Side"
        },
        "questions": [
          {
            "key": "alder",
            "text": {
              "nb": "Alder?"
            },
            "required": false,
            "dont_know": false,
            "type": "number",
            "min": 0.0,
            "max": 120.0,
            "integer": true
          }
        ]
      }
    ]
  }
}
"#;

    #[test]
    fn canonical_files_round_trip_byte_for_byte() {
        let (file, columns) = SurveyFile::parse(SMALL).expect("valid");
        assert_eq!(columns.reminder_after_days, 7);
        assert_eq!(file.to_canonical_json().expect("json"), SMALL);
    }

    #[test]
    fn the_first_problem_names_its_path() {
        let wrong_type = SMALL.replace("\"number\"", "\"slider\"");
        let error = SurveyFile::parse(&wrong_type).expect_err("unknown type");
        assert!(error.field.starts_with("definition.sections[0].questions[0]"), "{error:?}");
        let bad_rule = SMALL.replace("\"integer\": true", "\"integer\": true, \"compass_area\": 9");
        let error = SurveyFile::parse(&bad_rule).expect_err("bad area");
        assert_eq!(error.field, "definition.sections[0].questions[0].compass_area");
        let bad_date = SMALL.replace("2030-06-01", "2030-13-01");
        assert_eq!(SurveyFile::parse(&bad_date).expect_err("date").field, "closes_on");
        let in_question = SMALL.replace("\"integer\": true", "\"integer\": true, \"colour\": 2");
        let error = SurveyFile::parse(&in_question).expect_err("unknown field in a question");
        assert!(error.field.starts_with("definition.sections[0].questions[0]"), "{error:?}");
        let extra = SMALL.replace("\"version\": 1,", "\"version\": 1, \"colour\": 2,");
        assert_eq!(SurveyFile::parse(&extra).expect_err("unknown field").field, "colour");
    }
}
