//! The compass (Kommunekompasset / Kommunkompassen) as data: frameworks with
//! areas, sub-questions and maxima; official assessments and their totals;
//! resident scores from scale answers; and the dialogue indicators.
//!
//! Nothing here touches the database. The file format of a framework is
//! documented in `docs/compass.md`.

use std::collections::{BTreeMap, HashSet};

use serde::{Deserialize, Serialize};

use super::Language;
use super::survey::Text;
use super::validation::{FieldError, Invalid};

/// Tolerance when comparing sums of points (decimals with one or two places).
const POINT_TOLERANCE: f64 = 0.001;

/// The framework files shipped with the service.
pub const SHIPPED_FRAMEWORK_FILES: [&str; 2] =
    [include_str!("frameworks/ks-2016.json"), include_str!("frameworks/skr-2020.json")];

/// A compass framework: named areas, each with sub-questions worth points.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Framework {
    /// Stable key, e.g. `ks-2016`.
    pub key: String,
    /// Version label, e.g. `2016`.
    pub version: String,
    /// Name per language.
    pub name: Text,
    /// Where the content comes from and what was assumed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// The areas, in order.
    pub areas: Vec<Area>,
}

/// One area of a framework.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Area {
    /// Number of the area (1, 2, …), unique in the framework.
    pub number: u8,
    /// Name per language.
    pub name: Text,
    /// Points the area is worth.
    pub max_points: f64,
    /// The sub-questions; their maxima sum to `max_points`.
    pub sub_questions: Vec<SubQuestion>,
}

/// One sub-question of an area.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubQuestion {
    /// Number within the area (1, 2, …), unique in the area.
    pub number: u8,
    /// The question per language.
    pub text: Text,
    /// Points the sub-question is worth.
    pub max_points: f64,
    /// A remark about the sub-question (e.g. how its maximum was set).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl SubQuestion {
    /// The key of a sub-question in assessments: `area.number`, e.g. `1.3`.
    pub fn key(&self, area: &Area) -> String {
        format!("{}.{}", area.number, self.number)
    }
}

impl Area {
    /// The area's name in `language` (falling back to any).
    pub fn name_in(&self, language: Language) -> &str {
        self.name.get(language, Language::En)
    }
}

impl Framework {
    /// Parse and check a framework file. The first problem is returned with
    /// its JSON path (e.g. `areas[2].sub_questions[0].max_points`).
    pub fn parse(json: &str) -> Result<Framework, Invalid> {
        let framework: Framework = serde_json::from_str(json).map_err(|error| {
            Invalid(vec![
                FieldError::new("$", "compass-error-json")
                    .with("line", error.line())
                    .with("column", error.column())
                    .with("detail", error.to_string()),
            ])
        })?;
        match framework.first_problem() {
            Some(problem) => Err(Invalid(vec![problem])),
            None => Ok(framework),
        }
    }

    /// The first rule this framework breaks, if any.
    fn first_problem(&self) -> Option<FieldError> {
        let key_ok = !self.key.is_empty()
            && self.key.len() <= 40
            && self.key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !key_ok {
            return Some(FieldError::new("key", "compass-error-key"));
        }
        if self.version.trim().is_empty() || self.version.len() > 40 {
            return Some(FieldError::new("version", "compass-error-version"));
        }
        if self.name.is_empty() {
            return Some(FieldError::new("name", "compass-error-name"));
        }
        if self.areas.is_empty() {
            return Some(FieldError::new("areas", "compass-error-no-areas"));
        }
        let mut area_numbers = HashSet::new();
        for (a, area) in self.areas.iter().enumerate() {
            let path = format!("areas[{a}]");
            if area.number == 0 || !area_numbers.insert(area.number) {
                return Some(
                    FieldError::new(format!("{path}.number"), "compass-error-number").with("number", area.number),
                );
            }
            if area.name.is_empty() {
                return Some(FieldError::new(format!("{path}.name"), "compass-error-name"));
            }
            if !(area.max_points.is_finite() && area.max_points > 0.0 && area.max_points <= 10_000.0) {
                return Some(FieldError::new(format!("{path}.max_points"), "compass-error-max"));
            }
            if area.sub_questions.is_empty() {
                return Some(FieldError::new(format!("{path}.sub_questions"), "compass-error-no-sub-questions"));
            }
            let mut numbers = HashSet::new();
            for (s, sub) in area.sub_questions.iter().enumerate() {
                let path = format!("{path}.sub_questions[{s}]");
                if sub.number == 0 || !numbers.insert(sub.number) {
                    return Some(
                        FieldError::new(format!("{path}.number"), "compass-error-number").with("number", sub.number),
                    );
                }
                if sub.text.is_empty() {
                    return Some(FieldError::new(format!("{path}.text"), "compass-error-text"));
                }
                if !(sub.max_points.is_finite() && sub.max_points > 0.0) {
                    return Some(FieldError::new(format!("{path}.max_points"), "compass-error-max"));
                }
            }
            let sum: f64 = area.sub_questions.iter().map(|s| s.max_points).sum();
            if (sum - area.max_points).abs() > POINT_TOLERANCE {
                return Some(
                    FieldError::new(format!("{path}.sub_questions"), "compass-error-sum")
                        .with("sum", format_points(sum))
                        .with("max", format_points(area.max_points)),
                );
            }
        }
        None
    }

    /// The frameworks shipped in the binary.
    pub fn shipped() -> Vec<Framework> {
        SHIPPED_FRAMEWORK_FILES.iter().filter_map(|json| Framework::parse(json).ok()).collect()
    }

    /// The name in `language` (falling back to any).
    pub fn name_in(&self, language: Language) -> &str {
        self.name.get(language, Language::En)
    }

    /// Whether this framework ships with the service (not imported).
    pub fn is_shipped(&self) -> bool {
        Framework::shipped().iter().any(|f| f.key == self.key)
    }

    /// All points of the framework.
    pub fn max_points(&self) -> f64 {
        self.areas.iter().map(|a| a.max_points).sum()
    }

    /// The area with this number.
    pub fn area(&self, number: u8) -> Option<&Area> {
        self.areas.iter().find(|a| a.number == number)
    }
}

/// Points as shown: up to two decimals, no trailing zeros (`6.1`, `22.5`, `100`).
pub fn format_points(points: f64) -> String {
    let text = format!("{points:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// External (e.g. KS-Konsulent) or the municipality's own assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AssessmentKind {
    /// By an outside assessor.
    External,
    /// By the municipality itself.
    #[serde(rename = "self")]
    SelfAssessment,
}

impl AssessmentKind {
    /// The code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            AssessmentKind::External => "external",
            AssessmentKind::SelfAssessment => "self",
        }
    }

    /// Parse a stored or posted code.
    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "external" => Some(Self::External),
            "self" => Some(Self::SelfAssessment),
            _ => None,
        }
    }
}

/// Points given to one sub-question, with an optional comment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubScore {
    /// Points, `0..=max`.
    pub points: f64,
    /// Why (optional).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// An assessment form as typed: every value a string, keyed by sub-question.
#[derive(Debug, Clone, Default)]
pub struct AssessmentInput {
    /// `YYYY-MM-DD`.
    pub assessed_on: String,
    /// Who assessed.
    pub assessor: String,
    /// `external` or `self`.
    pub kind: String,
    /// Points per sub-question key (`1.3`).
    pub points: BTreeMap<String, String>,
    /// Comments per sub-question key.
    pub comments: BTreeMap<String, String>,
}

impl AssessmentInput {
    /// Form field name of a sub-question's points.
    pub fn points_field(key: &str) -> String {
        format!("points_{key}")
    }

    /// Form field name of a sub-question's comment.
    pub fn comment_field(key: &str) -> String {
        format!("comment_{key}")
    }

    /// The form filled with a recorded assessment, points written in full
    /// precision with the language's decimal mark (so saving unchanged
    /// values stores the same numbers).
    pub fn prefilled(
        assessed_on: &str,
        assessor: &str,
        kind: AssessmentKind,
        scores: &BTreeMap<String, SubScore>,
        language: Language,
    ) -> Self {
        let mark = |value: f64| {
            let text = value.to_string();
            if language == Language::En { text } else { text.replace('.', ",") }
        };
        Self {
            assessed_on: assessed_on.to_owned(),
            assessor: assessor.to_owned(),
            kind: kind.code().to_owned(),
            points: scores.iter().map(|(key, score)| (key.clone(), mark(score.points))).collect(),
            comments: scores
                .iter()
                .filter_map(|(key, score)| score.comment.as_ref().map(|c| (key.clone(), c.clone())))
                .collect(),
        }
    }

    /// Build from posted `(name, value)` pairs.
    pub fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        let mut input = Self::default();
        for (name, value) in pairs {
            if let Some(key) = name.strip_prefix("points_") {
                input.points.insert(key.to_owned(), value);
            } else if let Some(key) = name.strip_prefix("comment_") {
                input.comments.insert(key.to_owned(), value);
            } else {
                match name.as_str() {
                    "assessed_on" => input.assessed_on = value,
                    "assessor" => input.assessor = value,
                    "kind" => input.kind = value,
                    _ => {}
                }
            }
        }
        input
    }
}

/// A checked assessment, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    /// The framework it scores.
    pub framework: String,
    /// The day of the assessment.
    pub assessed_on: time::Date,
    /// Who assessed.
    pub assessor: String,
    /// External or self.
    pub kind: AssessmentKind,
    /// Points per sub-question key.
    pub scores: BTreeMap<String, SubScore>,
}

/// The date format of assessments.
const DATE_FORMAT: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]");

/// Parse points typed with a decimal comma or point.
fn parse_points(text: &str) -> Option<f64> {
    let cleaned = text.trim().replace(',', ".");
    cleaned.parse::<f64>().ok().filter(|p| p.is_finite())
}

impl Assessment {
    /// Check a typed assessment against the framework: a real date not in the
    /// future, an assessor, a kind, and points within `0..=max` for every
    /// sub-question. Every problem is reported.
    pub fn parse(framework: &Framework, input: &AssessmentInput, today: time::Date) -> Result<Assessment, Invalid> {
        let mut errors = Vec::new();
        let assessed_on = match time::Date::parse(input.assessed_on.trim(), DATE_FORMAT) {
            Ok(date) if date <= today => Some(date),
            Ok(_) => {
                errors.push(FieldError::new("assessed_on", "compass-error-date-future"));
                None
            }
            Err(_) => {
                errors.push(FieldError::new("assessed_on", "compass-error-date"));
                None
            }
        };
        let assessor = input.assessor.trim();
        if assessor.is_empty() || assessor.chars().count() > 200 {
            errors.push(FieldError::new("assessor", "compass-error-assessor"));
        }
        let kind = AssessmentKind::parse(&input.kind);
        if kind.is_none() {
            errors.push(FieldError::new("kind", "compass-error-kind"));
        }
        let mut scores = BTreeMap::new();
        for area in &framework.areas {
            for sub in &area.sub_questions {
                let key = sub.key(area);
                let field = AssessmentInput::points_field(&key);
                let typed = input.points.get(&key).map_or("", String::as_str);
                if typed.trim().is_empty() {
                    errors.push(FieldError::new(field, "compass-error-points-missing").with("question", &key));
                    continue;
                }
                match parse_points(typed) {
                    Some(points) if (0.0..=sub.max_points + POINT_TOLERANCE).contains(&points) => {
                        let comment = input
                            .comments
                            .get(&key)
                            .map(|c| c.trim().chars().take(2000).collect::<String>())
                            .filter(|c| !c.is_empty());
                        scores.insert(key, SubScore { points, comment });
                    }
                    Some(_) => errors.push(
                        FieldError::new(field, "compass-error-points-range")
                            .with("question", &key)
                            .with("max", format_points(sub.max_points)),
                    ),
                    None => errors.push(FieldError::new(field, "compass-error-points-number").with("question", &key)),
                }
            }
        }
        Invalid::check(errors)?;
        match (assessed_on, kind) {
            (Some(assessed_on), Some(kind)) => Ok(Assessment {
                framework: framework.key.clone(),
                assessed_on,
                assessor: assessor.to_owned(),
                kind,
                scores,
            }),
            _ => Err(Invalid(vec![FieldError::new("assessed_on", "compass-error-date")])),
        }
    }

    /// The date as stored (`YYYY-MM-DD`).
    pub fn assessed_on_text(&self) -> String {
        self.assessed_on.format(DATE_FORMAT).unwrap_or_default()
    }
}

/// Totals of a set of sub-question scores under a framework.
#[derive(Debug, Clone, PartialEq)]
pub struct Totals {
    /// `(area number, points, max points)` in framework order.
    pub areas: Vec<(u8, f64, f64)>,
    /// Sum over all areas.
    pub overall: f64,
    /// Sum of the maxima.
    pub overall_max: f64,
}

impl Totals {
    /// Points of an area, if it is in the framework.
    pub fn area(&self, number: u8) -> Option<f64> {
        self.areas.iter().find(|(n, _, _)| *n == number).map(|(_, points, _)| *points)
    }

    /// An area's points as a share of its maximum, 0–100.
    pub fn area_percent(&self, number: u8) -> Option<f64> {
        self.areas
            .iter()
            .find(|(n, _, _)| *n == number)
            .map(|(_, p, max)| if *max > 0.0 { p / max * 100.0 } else { 0.0 })
    }
}

/// Sum the points per area and overall; sub-questions without points count 0.
pub fn totals(framework: &Framework, scores: &BTreeMap<String, SubScore>) -> Totals {
    let areas: Vec<(u8, f64, f64)> = framework
        .areas
        .iter()
        .map(|area| {
            let points = area.sub_questions.iter().filter_map(|s| scores.get(&s.key(area))).map(|s| s.points).sum();
            (area.number, points, area.max_points)
        })
        .collect();
    Totals { overall: areas.iter().map(|(_, p, _)| p).sum(), overall_max: areas.iter().map(|(_, _, m)| m).sum(), areas }
}

/// Fewest respondents before an area's resident score is shown.
pub const MIN_RESPONDENTS: i64 = 30;

/// Answers on a scale, accumulated from grouped counts: a 0–100 value, how
/// many gave it and the weight of each (1 when unweighted).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ScoreAccumulator {
    count: f64,
    weight: f64,
    weighted_sum: f64,
    weighted_squares: f64,
}

impl ScoreAccumulator {
    /// Add `count` answers with the score `value` (0–100), each of `weight`.
    pub fn add(&mut self, value: f64, count: i64, weight: f64) {
        let count = count as f64;
        self.count += count;
        self.weight += count * weight;
        self.weighted_sum += count * weight * value;
        self.weighted_squares += count * weight * value * value;
    }

    /// Number of answers added.
    pub fn answers(&self) -> i64 {
        self.count as i64
    }

    /// The (weighted) mean score, if any answers: Σw·x / Σw.
    pub fn mean(&self) -> Option<f64> {
        (self.weight > 0.0).then(|| self.weighted_sum / self.weight)
    }

    /// Standard deviation of the scores: the weighted variance
    /// Σw·(x − mean)² / Σw with the n / (n − 1) correction, which is the
    /// ordinary sample standard deviation when every weight is 1.
    pub fn standard_deviation(&self) -> Option<f64> {
        if self.count < 2.0 || self.weight <= 0.0 {
            return None;
        }
        let mean = self.weighted_sum / self.weight;
        let variance = (self.weighted_squares / self.weight - mean * mean) * self.count / (self.count - 1.0);
        Some(variance.max(0.0).sqrt())
    }

    /// 95 % margin of error of the mean with `effective_n` independent units:
    /// 1.96 · sd / √n_eff (the respondents when unweighted; conservative
    /// when people gave several answers).
    pub fn margin_of_error(&self, effective_n: f64) -> Option<f64> {
        let sd = self.standard_deviation()?;
        (effective_n > 0.0).then(|| 1.96 * sd / effective_n.sqrt())
    }
}

/// Position of a scale point as a 0–100 score: first 0, last 100, linear.
pub fn scale_position_score(index: usize, points: usize) -> Option<f64> {
    match points {
        0 => None,
        1 => Some(100.0),
        _ => (index < points).then(|| index as f64 / (points - 1) as f64 * 100.0),
    }
}

/// A 0–10 rating as a 0–100 score.
pub fn rating_score(value: f64) -> Option<f64> {
    (0.0..=10.0).contains(&value).then_some(value * 10.0)
}

/// The dissimilarity index of two distributions over the same cells:
/// ½ Σ |share_a − share_b|, 0 (identical) to 1 (no overlap). Cells missing
/// on one side count as 0 there. `None` when either side is empty.
pub fn dissimilarity_index(a: &BTreeMap<String, f64>, b: &BTreeMap<String, f64>) -> Option<f64> {
    let total_a: f64 = a.values().sum();
    let total_b: f64 = b.values().sum();
    if total_a <= 0.0 || total_b <= 0.0 {
        return None;
    }
    let cells: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    let sum: f64 = cells
        .into_iter()
        .map(|cell| {
            let share_a = a.get(cell).copied().unwrap_or(0.0) / total_a;
            let share_b = b.get(cell).copied().unwrap_or(0.0) / total_b;
            (share_a - share_b).abs()
        })
        .sum();
    Some(sum / 2.0)
}

/// The median of some values (mean of the middle two for an even count).
pub fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    Some(if values.len().is_multiple_of(2) { (values[middle - 1] + values[middle]) / 2.0 } else { values[middle] })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> time::Date {
        time::Date::parse(text, DATE_FORMAT).expect("date")
    }

    #[test]
    fn shipped_frameworks_parse_and_sum_to_their_maxima() {
        for json in SHIPPED_FRAMEWORK_FILES {
            let framework = Framework::parse(json).expect("shipped framework parses");
            assert_eq!(framework.areas.len(), 8, "{}", framework.key);
            for area in &framework.areas {
                assert_eq!(area.max_points, 100.0);
                let sum: f64 = area.sub_questions.iter().map(|s| s.max_points).sum();
                assert!((sum - 100.0).abs() < 1e-9, "{} area {}: {sum}", framework.key, area.number);
                for language in Language::ALL {
                    assert!(area.name.has(language), "{} area {} lacks {language}", framework.key, area.number);
                }
            }
            assert_eq!(framework.max_points(), 800.0);
        }
        assert_eq!(Framework::shipped().len(), 2);
    }

    #[test]
    fn invalid_framework_names_the_json_path() {
        let bad = r#"{"key":"x","version":"1","name":{"en":"X"},"areas":[
            {"number":1,"name":{"en":"A"},"max_points":10,"sub_questions":[{"number":1,"text":{"en":"q"},"max_points":4}]}]}"#;
        let error = Framework::parse(bad).expect_err("sum wrong");
        assert_eq!(error.0[0].field, "areas[0].sub_questions");
        assert_eq!(error.0[0].message, "compass-error-sum");
        let duplicate = r#"{"key":"x","version":"1","name":{"en":"X"},"areas":[
            {"number":1,"name":{"en":"A"},"max_points":4,"sub_questions":[{"number":1,"text":{"en":"q"},"max_points":2},{"number":1,"text":{"en":"r"},"max_points":2}]}]}"#;
        assert_eq!(Framework::parse(duplicate).expect_err("duplicate").0[0].field, "areas[0].sub_questions[1].number");
        let nameless = r#"{"key":"x","version":"1","name":{},"areas":[]}"#;
        assert_eq!(Framework::parse(nameless).expect_err("no name").0[0].field, "name");
        assert_eq!(Framework::parse("{").expect_err("syntax").0[0].field, "$");
    }

    #[test]
    fn assessment_points_are_checked_and_totalled() {
        let framework = Framework::parse(SHIPPED_FRAMEWORK_FILES[0]).expect("ks");
        let mut input = AssessmentInput {
            assessed_on: "2025-03-01".into(),
            assessor: "KS-Konsulent".into(),
            kind: "external".into(),
            ..Default::default()
        };
        for area in &framework.areas {
            for sub in &area.sub_questions {
                input.points.insert(sub.key(area), "5,5".into());
            }
        }
        let assessment = Assessment::parse(&framework, &input, date("2026-01-01")).expect("valid");
        let totals = totals(&framework, &assessment.scores);
        assert!((totals.area(1).expect("area 1") - 27.5).abs() < 1e-9);
        assert!((totals.overall - 5.5 * 45.0).abs() < 1e-9, "{}", totals.overall);

        input.points.insert("1.5".into(), "10.5".into());
        input.points.insert("2.1".into(), "abc".into());
        input.points.remove("3.1");
        input.assessed_on = "2027-01-01".into();
        let errors = Assessment::parse(&framework, &input, date("2026-01-01")).expect_err("invalid");
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["assessed_on", "points_1.5", "points_2.1", "points_3.1"]);
    }

    #[test]
    fn scale_positions_map_linearly() {
        let scores: Vec<f64> = (0..5).filter_map(|i| scale_position_score(i, 5)).collect();
        assert_eq!(scores, [0.0, 25.0, 50.0, 75.0, 100.0]);
        assert_eq!(rating_score(7.0), Some(70.0));
        assert_eq!(rating_score(11.0), None);
    }

    #[test]
    fn accumulator_mean_and_margin() {
        let mut acc = ScoreAccumulator::default();
        acc.add(0.0, 10, 1.0);
        acc.add(100.0, 10, 1.0);
        assert_eq!(acc.mean(), Some(50.0));
        let sd = acc.standard_deviation().expect("sd");
        assert!((sd - (20.0f64 * 2500.0 / 19.0).sqrt()).abs() < 1e-9, "{sd}");
        let moe = acc.margin_of_error(20.0).expect("moe");
        assert!((moe - 1.96 * sd / 20f64.sqrt()).abs() < 1e-12);
    }

    #[test]
    fn weighted_accumulator_matches_hand_computation() {
        // Ten answers of 100 with weight 2, thirty of 0 with weight 2/3:
        // Σw = 20 + 20 = 40, mean = 2000 / 40 = 50; Σw·x² / Σw = 5000,
        // variance = (5000 − 2500) · 40/39 = 2564.1, sd = 50.637.
        let mut acc = ScoreAccumulator::default();
        acc.add(100.0, 10, 2.0);
        acc.add(0.0, 30, 2.0 / 3.0);
        assert!((acc.mean().expect("mean") - 50.0).abs() < 1e-9);
        let sd = acc.standard_deviation().expect("sd");
        assert!((sd - (2500.0f64 * 40.0 / 39.0).sqrt()).abs() < 1e-9, "{sd}");
        assert_eq!(acc.answers(), 40);
    }

    #[test]
    fn dissimilarity_and_median() {
        let a = BTreeMap::from([("x".to_owned(), 3.0), ("y".to_owned(), 1.0)]);
        let b = BTreeMap::from([("x".to_owned(), 1.0), ("y".to_owned(), 1.0)]);
        assert!((dissimilarity_index(&a, &b).expect("index") - 0.25).abs() < 1e-12);
        assert_eq!(median(&mut [5.0, 1.0, 3.0]), Some(3.0));
        assert_eq!(median(&mut [4.0, 1.0]), Some(2.5));
        assert_eq!(median(&mut []), None);
    }
}
