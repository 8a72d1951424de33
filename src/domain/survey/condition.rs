//! Skip logic: show a question or section only when earlier answers match.

use serde::{Deserialize, Serialize};

use super::answer::{Answer, Answers};

/// How the rules of a condition combine.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Combine {
    /// Every rule must hold.
    #[default]
    All,
    /// At least one rule must hold.
    Any,
}

/// A comparison with an earlier answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    /// The answer is `values[0]` (for multiple choice: it is among those chosen).
    Equals,
    /// The answer is one of `values`.
    OneOf,
    /// The answer is none of `values` (also true when unanswered).
    Not,
    /// The number is greater than `number`.
    Gt,
    /// The number is at least `number`.
    Gte,
    /// The number is less than `number`.
    Lt,
    /// The number is at most `number`.
    Lte,
    /// Any answer other than "don't know" was given.
    Answered,
}

impl Op {
    /// Whether the operator compares numbers.
    pub fn is_numeric(self) -> bool {
        matches!(self, Op::Gt | Op::Gte | Op::Lt | Op::Lte)
    }
}

/// One rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    /// Key of the earlier question.
    pub question: String,
    /// Comparison.
    pub op: Op,
    /// Option keys for `equals`, `one_of`, `not`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
    /// Number for `gt`, `gte`, `lt`, `lte`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<f64>,
}

/// Rules combined with all/any.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// `all` (default) or `any`.
    #[serde(default, rename = "match")]
    pub combine: Combine,
    /// The rules.
    pub rules: Vec<Rule>,
}

impl Rule {
    /// Whether the rule holds for these answers.
    pub fn holds(&self, answers: &Answers) -> bool {
        let answer = answers.get(&self.question);
        match self.op {
            Op::Answered => matches!(answer, Some(a) if *a != Answer::DontKnow),
            Op::Equals => answer.is_some_and(|a| self.values.first().is_some_and(|v| matches_value(a, v))),
            Op::OneOf => answer.is_some_and(|a| self.values.iter().any(|v| matches_value(a, v))),
            Op::Not => !answer.is_some_and(|a| self.values.iter().any(|v| matches_value(a, v))),
            Op::Gt | Op::Gte | Op::Lt | Op::Lte => {
                let (Some(Answer::Number(value)), Some(limit)) = (answer, self.number) else {
                    return false;
                };
                match self.op {
                    Op::Gt => *value > limit,
                    Op::Gte => *value >= limit,
                    Op::Lt => *value < limit,
                    _ => *value <= limit,
                }
            }
        }
    }
}

fn matches_value(answer: &Answer, value: &str) -> bool {
    match answer {
        Answer::Choice(key) => key == value,
        Answer::Choices { selected, .. } => selected.iter().any(|k| k == value),
        Answer::Number(n) => value.parse::<f64>().is_ok_and(|v| (v - n).abs() < f64::EPSILON),
        Answer::DontKnow => value == "dont_know",
        _ => false,
    }
}

impl Condition {
    /// Whether the condition holds for these answers.
    pub fn holds(&self, answers: &Answers) -> bool {
        match self.combine {
            Combine::All => self.rules.iter().all(|r| r.holds(answers)),
            Combine::Any => self.rules.iter().any(|r| r.holds(answers)),
        }
    }

    /// Whether some answers could make the condition hold. Catches the
    /// contradictions people write by mistake (equals A and equals B, equals A
    /// and not A, x > 5 and x < 3); it does not prove every condition.
    pub fn is_satisfiable(&self) -> bool {
        self.is_satisfiable_with(|_| false)
    }

    /// As [`Condition::is_satisfiable`], where `several(key)` tells whether
    /// question `key` takes several answers at once (multiple choice), so
    /// that "equals A" and "equals B" can both hold.
    pub fn is_satisfiable_with(&self, several: impl Fn(&str) -> bool) -> bool {
        if self.combine == Combine::Any {
            return !self.rules.is_empty();
        }
        let mut by_question: std::collections::BTreeMap<&str, Vec<&Rule>> = std::collections::BTreeMap::new();
        for rule in &self.rules {
            by_question.entry(rule.question.as_str()).or_default().push(rule);
        }
        by_question.iter().all(
            |(key, rules)| {
                if several(key) { selections_compatible(rules) } else { rules_compatible(rules) }
            },
        )
    }

    /// Whether the condition can only hold with an answer to one of `hidden`
    /// (questions nobody is ever shown): with `all`, some rule needs such an
    /// answer; with `any`, every rule does. (`not` holds for an unanswered
    /// question, so it never needs one.)
    pub fn needs_answer_from(&self, hidden: &std::collections::HashSet<&str>) -> bool {
        let needs = |rule: &Rule| rule.op != Op::Not && hidden.contains(rule.question.as_str());
        match self.combine {
            Combine::All => self.rules.iter().any(needs),
            Combine::Any => !self.rules.is_empty() && self.rules.iter().all(needs),
        }
    }
}

/// Rules on one multiple-choice question: every option asked for by
/// `equals` must be allowed by `not`, and every `one_of` must leave one.
fn selections_compatible(rules: &[&Rule]) -> bool {
    let excluded: Vec<&str> =
        rules.iter().filter(|r| r.op == Op::Not).flat_map(|r| r.values.iter().map(String::as_str)).collect();
    rules.iter().all(|rule| match rule.op {
        Op::Equals => rule.values.first().is_some_and(|v| !excluded.contains(&v.as_str())),
        Op::OneOf => rule.values.iter().any(|v| !excluded.contains(&v.as_str())),
        Op::Gt | Op::Gte | Op::Lt | Op::Lte => false,
        Op::Not | Op::Answered => true,
    })
}

fn rules_compatible(rules: &[&Rule]) -> bool {
    // Values the single answer may take, if restricted by equals/one_of.
    let mut allowed: Option<Vec<&str>> = None;
    let mut excluded: Vec<&str> = Vec::new();
    let (mut low, mut high) = (f64::NEG_INFINITY, f64::INFINITY);
    let (mut low_strict, mut high_strict) = (false, false);
    for rule in rules {
        match rule.op {
            Op::Equals | Op::OneOf => {
                let these: Vec<&str> = if rule.op == Op::Equals {
                    rule.values.first().map(String::as_str).into_iter().collect()
                } else {
                    rule.values.iter().map(String::as_str).collect()
                };
                allowed = Some(match allowed {
                    None => these,
                    Some(previous) => previous.into_iter().filter(|v| these.contains(v)).collect(),
                });
            }
            Op::Not => excluded.extend(rule.values.iter().map(String::as_str)),
            Op::Gt | Op::Gte => {
                let n = rule.number.unwrap_or(f64::NEG_INFINITY);
                if n > low || (n == low && rule.op == Op::Gt) {
                    low = n;
                    low_strict = rule.op == Op::Gt;
                }
            }
            Op::Lt | Op::Lte => {
                let n = rule.number.unwrap_or(f64::INFINITY);
                if n < high || (n == high && rule.op == Op::Lt) {
                    high = n;
                    high_strict = rule.op == Op::Lt;
                }
            }
            Op::Answered => {}
        }
    }
    let numbers_possible = low < high || (low == high && !low_strict && !high_strict);
    let choices_possible = allowed.is_none_or(|a| a.iter().any(|v| !excluded.contains(v)));
    numbers_possible && choices_possible
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(question: &str, op: Op, values: &[&str], number: Option<f64>) -> Rule {
        Rule { question: question.into(), op, values: values.iter().map(|v| (*v).to_owned()).collect(), number }
    }

    fn answers() -> Answers {
        Answers::from([
            ("transport".to_owned(), Answer::Choice("bus".into())),
            ("age".to_owned(), Answer::Number(34.0)),
            ("uses".to_owned(), Answer::Choices { selected: vec!["library".into(), "pool".into()], other: None }),
            ("unsure".to_owned(), Answer::DontKnow),
        ])
    }

    #[test]
    fn rules_compare_answers() {
        let a = answers();
        assert!(rule("transport", Op::Equals, &["bus"], None).holds(&a));
        assert!(!rule("transport", Op::Equals, &["car"], None).holds(&a));
        assert!(rule("transport", Op::OneOf, &["car", "bus"], None).holds(&a));
        assert!(rule("transport", Op::Not, &["car"], None).holds(&a));
        assert!(rule("missing", Op::Not, &["car"], None).holds(&a), "unanswered is not 'car'");
        assert!(rule("uses", Op::Equals, &["pool"], None).holds(&a));
        assert!(rule("age", Op::Gte, &[], Some(34.0)).holds(&a));
        assert!(!rule("age", Op::Gt, &[], Some(34.0)).holds(&a));
        assert!(rule("age", Op::Lt, &[], Some(67.0)).holds(&a));
        assert!(!rule("unsure", Op::Answered, &[], None).holds(&a));
        assert!(rule("transport", Op::Answered, &[], None).holds(&a));
    }

    #[test]
    fn all_and_any_combine() {
        let a = answers();
        let rules = vec![rule("transport", Op::Equals, &["bus"], None), rule("age", Op::Gt, &[], Some(50.0))];
        assert!(!Condition { combine: Combine::All, rules: rules.clone() }.holds(&a));
        assert!(Condition { combine: Combine::Any, rules }.holds(&a));
    }

    #[test]
    fn contradictions_are_found() {
        let contradiction = |rules| !Condition { combine: Combine::All, rules }.is_satisfiable();
        assert!(contradiction(vec![rule("q", Op::Equals, &["a"], None), rule("q", Op::Equals, &["b"], None)]));
        assert!(contradiction(vec![rule("q", Op::Equals, &["a"], None), rule("q", Op::Not, &["a"], None)]));
        assert!(contradiction(vec![rule("n", Op::Gt, &[], Some(5.0)), rule("n", Op::Lt, &[], Some(3.0))]));
        assert!(contradiction(vec![rule("n", Op::Gt, &[], Some(5.0)), rule("n", Op::Lte, &[], Some(5.0))]));
        assert!(!contradiction(vec![rule("n", Op::Gte, &[], Some(5.0)), rule("n", Op::Lte, &[], Some(5.0))]));
        assert!(!contradiction(vec![rule("q", Op::OneOf, &["a", "b"], None), rule("q", Op::Not, &["a"], None)]));
    }
}
