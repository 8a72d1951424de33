//! Surveys as data: the definition (sections, questions, options, texts in
//! several languages, skip rules), its validation, and answers.
//!
//! The definition is the native file format (see `docs/survey-format.md`):
//! it is stored as JSON in the database and exported and imported as is.

pub mod answer;
pub mod condition;
pub mod edit;
pub mod file;
pub mod validate;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use answer::{Answer, Answers};
pub use condition::{Combine, Condition, Op, Rule};

use super::Language;

/// A text in several languages.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Text(pub BTreeMap<Language, String>);

impl Text {
    /// A text in one language.
    pub fn one(language: Language, text: &str) -> Self {
        Self(BTreeMap::from([(language, text.to_owned())]))
    }

    /// The text in `language`, else in `fallback`, else any, else empty.
    pub fn get(&self, language: Language, fallback: Language) -> &str {
        self.0
            .get(&language)
            .or_else(|| self.0.get(&fallback))
            .or_else(|| self.0.values().next())
            .map_or("", String::as_str)
    }

    /// Whether there is no text in any language.
    pub fn is_empty(&self) -> bool {
        self.0.values().all(|t| t.trim().is_empty())
    }

    /// Whether the text exists (non-blank) in `language`.
    pub fn has(&self, language: Language) -> bool {
        self.0.get(&language).is_some_and(|t| !t.trim().is_empty())
    }
}

/// Steps of the participation ladder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LadderStep {
    /// Informing residents.
    Information,
    /// Asking for views.
    Consultation,
    /// Exchanging views.
    Dialogue,
    /// Residents' views shape the decision.
    Influence,
    /// Residents decide together with the municipality.
    CoDecision,
}

impl LadderStep {
    /// Every step, lowest first.
    pub const ALL: [LadderStep; 5] = [
        LadderStep::Information,
        LadderStep::Consultation,
        LadderStep::Dialogue,
        LadderStep::Influence,
        LadderStep::CoDecision,
    ];

    /// The code used in data.
    pub fn code(self) -> &'static str {
        match self {
            LadderStep::Information => "information",
            LadderStep::Consultation => "consultation",
            LadderStep::Dialogue => "dialogue",
            LadderStep::Influence => "influence",
            LadderStep::CoDecision => "co_decision",
        }
    }

    /// Parse a code.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// One answer option (or Likert scale point, or matrix statement).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Choice {
    /// Stable key stored with answers.
    pub key: String,
    /// Label shown.
    pub label: Text,
}

/// What kind of question, with its options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
// `deny_unknown_fields` works here (serde hands the flattened enum only the
// fields `Question` did not take), not on `Question` itself.
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum QuestionKind {
    /// Exactly one option.
    SingleChoice {
        /// Options, in order.
        options: Vec<Choice>,
        /// Whether the options are ordered (a scale), for means and the compass.
        #[serde(default)]
        ordered: bool,
    },
    /// Any number of options, optionally with "other, please specify".
    MultipleChoice {
        /// Options, in order.
        options: Vec<Choice>,
        /// Offer "other" with a text field.
        #[serde(default)]
        other: bool,
    },
    /// One statement on an ordered scale.
    Likert {
        /// Scale points, lowest first.
        scale: Vec<Choice>,
    },
    /// Several statements on a shared ordered scale.
    LikertMatrix {
        /// Scale points, lowest first.
        scale: Vec<Choice>,
        /// Statements, each answered on the scale.
        statements: Vec<Choice>,
    },
    /// 0–10 rating (NPS style).
    Rating {
        /// Label for 0.
        #[serde(default)]
        low_label: Text,
        /// Label for 10.
        #[serde(default)]
        high_label: Text,
    },
    /// A number, optionally bounded.
    Number {
        /// Smallest allowed.
        #[serde(default)]
        min: Option<f64>,
        /// Largest allowed.
        #[serde(default)]
        max: Option<f64>,
        /// Whole numbers only.
        #[serde(default)]
        integer: bool,
    },
    /// One line of text.
    ShortText {
        /// Longest answer in characters (default 200).
        #[serde(default)]
        max_length: Option<u32>,
    },
    /// Several lines of text.
    LongText {
        /// Longest answer in characters (default 2000).
        #[serde(default)]
        max_length: Option<u32>,
    },
    /// Put options in order of preference.
    Ranking {
        /// Options to rank.
        options: Vec<Choice>,
    },
}

impl QuestionKind {
    /// The type name used in the file format and in messages.
    pub fn name(&self) -> &'static str {
        match self {
            QuestionKind::SingleChoice { .. } => "single_choice",
            QuestionKind::MultipleChoice { .. } => "multiple_choice",
            QuestionKind::Likert { .. } => "likert",
            QuestionKind::LikertMatrix { .. } => "likert_matrix",
            QuestionKind::Rating { .. } => "rating",
            QuestionKind::Number { .. } => "number",
            QuestionKind::ShortText { .. } => "short_text",
            QuestionKind::LongText { .. } => "long_text",
            QuestionKind::Ranking { .. } => "ranking",
        }
    }

    /// Options whose keys answers may hold (options, scale points).
    pub fn option_keys(&self) -> Vec<&str> {
        match self {
            QuestionKind::SingleChoice { options, .. }
            | QuestionKind::MultipleChoice { options, .. }
            | QuestionKind::Ranking { options } => options.iter().map(|o| o.key.as_str()).collect(),
            QuestionKind::Likert { scale } | QuestionKind::LikertMatrix { scale, .. } => {
                scale.iter().map(|o| o.key.as_str()).collect()
            }
            _ => Vec::new(),
        }
    }

    /// The options or scale points a rule may name, with their labels.
    pub fn choices(&self) -> &[Choice] {
        match self {
            QuestionKind::SingleChoice { options, .. }
            | QuestionKind::MultipleChoice { options, .. }
            | QuestionKind::Ranking { options } => options,
            QuestionKind::Likert { scale } | QuestionKind::LikertMatrix { scale, .. } => scale,
            _ => &[],
        }
    }

    /// Longest text answer accepted.
    pub fn max_text_length(&self) -> usize {
        match self {
            QuestionKind::ShortText { max_length } => max_length.unwrap_or(200) as usize,
            QuestionKind::LongText { max_length } => max_length.unwrap_or(2000) as usize,
            QuestionKind::MultipleChoice { .. } => 200,
            _ => 0,
        }
    }

    /// Whether answers fall on an ordered scale (usable for scores).
    pub fn is_scale(&self) -> bool {
        matches!(
            self,
            QuestionKind::Likert { .. }
                | QuestionKind::LikertMatrix { .. }
                | QuestionKind::Rating { .. }
                | QuestionKind::SingleChoice { ordered: true, .. }
        )
    }
}

/// A question. (Unknown fields are refused by [`QuestionKind`]: serde does
/// not support `deny_unknown_fields` together with `flatten`.)
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Question {
    /// Stable key stored with answers, unique in the survey.
    pub key: String,
    /// The question.
    pub text: Text,
    /// Help shown under the question.
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub help: Text,
    /// An answer is required.
    #[serde(default)]
    pub required: bool,
    /// Offer "don't know".
    #[serde(default)]
    pub dont_know: bool,
    /// Compass area number this question is evidence for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compass_area: Option<u8>,
    /// Participation-ladder step of this question.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ladder_step: Option<LadderStep>,
    /// Show only when this holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_if: Option<Condition>,
    /// Type and options.
    #[serde(flatten)]
    pub kind: QuestionKind,
}

/// A page of the survey.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// Stable key, unique in the survey.
    pub key: String,
    /// Heading of the page.
    pub title: Text,
    /// Introduction on the page.
    #[serde(default, skip_serializing_if = "Text::is_empty")]
    pub intro: Text,
    /// Show the page only when this holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub show_if: Option<Condition>,
    /// Questions, in order.
    pub questions: Vec<Question>,
}

/// The whole survey as staff build it and residents see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurveyDefinition {
    /// Languages every text must exist in before the survey opens.
    pub languages: Vec<Language>,
    /// Title.
    pub title: Text,
    /// Why the municipality asks.
    #[serde(default)]
    pub purpose: Text,
    /// What the answers can actually change.
    #[serde(default)]
    pub influence: Text,
    /// Who decides.
    #[serde(default)]
    pub decided_by: Text,
    /// When the decision is made.
    #[serde(default)]
    pub decision_when: Text,
    /// When results and feedback are expected, shown on the thank-you page.
    #[serde(default)]
    pub results_when: Text,
    /// Pages, in order.
    pub sections: Vec<Section>,
}

impl SurveyDefinition {
    /// Every question with the index of its section, in order.
    pub fn questions(&self) -> impl Iterator<Item = (usize, &Question)> {
        self.sections.iter().enumerate().flat_map(|(i, s)| s.questions.iter().map(move |q| (i, q)))
    }

    /// The question with this key.
    pub fn question(&self, key: &str) -> Option<&Question> {
        self.questions().map(|(_, q)| q).find(|q| q.key == key)
    }

    /// Estimated minutes to answer: reading plus answering time per type.
    pub fn expected_minutes(&self) -> u32 {
        let seconds: u32 = self
            .questions()
            .map(|(_, q)| match &q.kind {
                QuestionKind::SingleChoice { options, .. } | QuestionKind::MultipleChoice { options, .. } => {
                    10 + 2 * options.len() as u32
                }
                QuestionKind::Likert { .. } | QuestionKind::Rating { .. } | QuestionKind::Number { .. } => 10,
                QuestionKind::LikertMatrix { statements, .. } => 8 * statements.len() as u32,
                QuestionKind::ShortText { .. } => 30,
                QuestionKind::LongText { .. } => 90,
                QuestionKind::Ranking { options } => 10 + 5 * options.len() as u32,
            })
            .sum::<u32>()
            + 15 * self.sections.len() as u32;
        seconds.div_ceil(60).max(1)
    }

    /// Compass areas the survey's questions are tagged with.
    pub fn compass_areas(&self) -> Vec<u8> {
        let mut areas: Vec<u8> = self.questions().filter_map(|(_, q)| q.compass_area).collect();
        areas.sort_unstable();
        areas.dedup();
        areas
    }
}
