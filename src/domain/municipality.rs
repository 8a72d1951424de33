//! Identifiers of municipalities and their districts.

use std::fmt;

/// The short name of a municipality used on the command line and in
/// configuration, e.g. `fjordvik`: lower-case letters, digits and hyphens.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Slug(String);

/// A text that is not a valid slug.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a valid short name; use 2–40 lower-case letters a–z, digits and hyphens")]
pub struct InvalidSlug(pub String);

impl Slug {
    /// Parse a slug.
    pub fn parse(text: &str) -> Result<Self, InvalidSlug> {
        let ok = (2..=40).contains(&text.len())
            && text.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !text.starts_with('-')
            && !text.ends_with('-');
        if ok { Ok(Self(text.to_owned())) } else { Err(InvalidSlug(text.to_owned())) }
    }

    /// The slug as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The code of a district inside a municipality, e.g. `sentrum` or `0301-01`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DistrictCode(String);

/// A text that is not a valid district code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a valid district code; use 1–40 letters, digits, hyphens or underscores")]
pub struct InvalidDistrictCode(pub String);

impl DistrictCode {
    /// Parse a district code.
    pub fn parse(text: &str) -> Result<Self, InvalidDistrictCode> {
        let text = text.trim();
        let ok =
            (1..=40).contains(&text.len()) && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if ok { Ok(Self(text.to_owned())) } else { Err(InvalidDistrictCode(text.to_owned())) }
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Normalise a host name from a `Host` header: lower case, without port.
pub fn normalise_host(header: &str) -> String {
    let without_port = if let Some(rest) = header.strip_prefix('[') {
        // IPv6 literal: keep the brackets' content.
        rest.split(']').next().unwrap_or(rest)
    } else {
        header.rsplit_once(':').map_or(
            header,
            |(host, port)| {
                if port.chars().all(|c| c.is_ascii_digit()) { host } else { header }
            },
        )
    };
    without_port.trim().trim_end_matches('.').to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert!(Slug::parse("fjordvik").is_ok());
        assert!(Slug::parse("nord-aurdal2").is_ok());
        for bad in ["F", "Fjordvik", "-x", "x-", "å-kommune", ""] {
            assert!(Slug::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn hosts_lose_port_and_case() {
        assert_eq!(normalise_host("Panel.Example.NO:8080"), "panel.example.no");
        assert_eq!(normalise_host("127.0.0.1"), "127.0.0.1");
        assert_eq!(normalise_host("[::1]:8080"), "::1");
        assert_eq!(normalise_host("example.no."), "example.no");
    }
}

/// A municipality's settings as typed into a form or given on the command line.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct SettingsInput {
    /// Display name.
    pub name: String,
    /// Default language code.
    pub default_language: String,
    /// Enabled language codes (several form fields or one comma list).
    #[serde(default)]
    pub languages: Vec<String>,
    /// Compass framework key.
    pub compass_framework: String,
    /// Invitations per rolling 12 months.
    pub max_invitations_per_year: String,
    /// Days between invitations.
    pub min_days_between_invitations: String,
    /// Smallest group shown in results.
    pub suppression_threshold: String,
    /// Years before consent is renewed.
    pub consent_renewal_years: String,
}

/// Checked municipality settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Display name.
    pub name: String,
    /// Default language.
    pub default_language: super::Language,
    /// Enabled languages, including the default.
    pub languages: Vec<super::Language>,
    /// Compass framework key.
    pub compass_framework: String,
    /// Invitations per rolling 12 months (1–24).
    pub max_invitations_per_year: i32,
    /// Days between invitations (0–365).
    pub min_days_between_invitations: i32,
    /// Smallest group shown in results (3–100).
    pub suppression_threshold: i32,
    /// Years before consent is renewed (1–10).
    pub consent_renewal_years: i32,
}

impl Settings {
    /// The settings a new municipality starts with.
    pub fn defaults(name: &str, default_language: super::Language) -> Self {
        Self {
            name: name.to_owned(),
            default_language,
            languages: vec![default_language],
            compass_framework: if default_language == super::Language::Sv { "skr-2020" } else { "ks-2016" }.to_owned(),
            max_invitations_per_year: 6,
            min_days_between_invitations: 21,
            suppression_threshold: 5,
            consent_renewal_years: 5,
        }
    }

    /// Check input, collecting every problem. `frameworks` are the keys of
    /// the compass frameworks the municipality may choose (the shipped ones
    /// and its imports).
    pub fn parse(input: &SettingsInput, frameworks: &[String]) -> Result<Self, super::validation::Invalid> {
        use super::validation::{FieldError, Invalid};
        let mut errors = Vec::new();
        let name = input.name.trim().to_owned();
        if name.is_empty() || name.chars().count() > 100 {
            errors.push(FieldError::new("name", "settings-error-name"));
        }
        let mut languages = Vec::new();
        for code in input.languages.iter().flat_map(|l| l.split(',')).filter(|c| !c.trim().is_empty()) {
            match code.parse::<super::Language>() {
                Ok(l) if !languages.contains(&l) => languages.push(l),
                Ok(_) => {}
                Err(_) => errors.push(FieldError::new("languages", "settings-error-languages")),
            }
        }
        let default_language = input.default_language.parse::<super::Language>().ok();
        match default_language {
            None => errors.push(FieldError::new("default_language", "settings-error-default-language")),
            Some(d) if !languages.contains(&d) => {
                errors.push(FieldError::new("default_language", "settings-error-default-not-enabled"))
            }
            Some(_) => {}
        }
        languages.sort();
        if !frameworks.contains(&input.compass_framework) {
            errors.push(FieldError::new("compass_framework", "settings-error-framework"));
        }
        let mut number = |field: &'static str, text: &str, min: i32, max: i32| -> i32 {
            match text.trim().parse::<i32>() {
                Ok(n) if (min..=max).contains(&n) => n,
                _ => {
                    errors.push(FieldError::new(field, "error-number-range").with("min", min).with("max", max));
                    min
                }
            }
        };
        let max_invitations_per_year = number("max_invitations_per_year", &input.max_invitations_per_year, 1, 24);
        let min_days_between_invitations =
            number("min_days_between_invitations", &input.min_days_between_invitations, 0, 365);
        let suppression_threshold = number("suppression_threshold", &input.suppression_threshold, 3, 100);
        let consent_renewal_years = number("consent_renewal_years", &input.consent_renewal_years, 1, 10);
        Invalid::check(errors)?;
        Ok(Self {
            name,
            default_language: default_language.unwrap_or(super::Language::Nb),
            languages,
            compass_framework: input.compass_framework.clone(),
            max_invitations_per_year,
            min_days_between_invitations,
            suppression_threshold,
            consent_renewal_years,
        })
    }
}

/// Parse a districts list, one `code;name` per line.
pub fn parse_districts(text: &str) -> Result<Vec<(DistrictCode, String)>, super::validation::Invalid> {
    use super::validation::{FieldError, Invalid};
    let mut errors = Vec::new();
    let mut districts: Vec<(DistrictCode, String)> = Vec::new();
    for (index, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let (code, name) = line.split_once(';').unwrap_or((line, line));
        match DistrictCode::parse(code) {
            Ok(code) if districts.iter().any(|(c, _)| *c == code) => {
                errors.push(FieldError::new("districts", "settings-error-district-repeated").with("line", index + 1))
            }
            Ok(code) if !name.trim().is_empty() && name.trim().chars().count() <= 100 => {
                districts.push((code, name.trim().to_owned()))
            }
            _ => errors.push(FieldError::new("districts", "settings-error-district-line").with("line", index + 1)),
        }
    }
    if districts.is_empty() && errors.is_empty() {
        errors.push(FieldError::new("districts", "settings-error-districts-empty"));
    }
    Invalid::check(errors)?;
    Ok(districts)
}

#[cfg(test)]
mod settings_tests {
    use super::*;

    fn shipped() -> Vec<String> {
        crate::domain::compass::Framework::shipped().into_iter().map(|f| f.key).collect()
    }

    fn input() -> SettingsInput {
        SettingsInput {
            name: "Fjordvik kommune".into(),
            default_language: "nb".into(),
            languages: vec!["nb".into(), "en".into()],
            compass_framework: "ks-2016".into(),
            max_invitations_per_year: "6".into(),
            min_days_between_invitations: "21".into(),
            suppression_threshold: "5".into(),
            consent_renewal_years: "5".into(),
        }
    }

    #[test]
    fn valid_settings_parse() {
        let settings = Settings::parse(&input(), &shipped()).expect("valid");
        assert_eq!(settings.languages.len(), 2);
    }

    #[test]
    fn every_problem_is_reported() {
        let mut bad = input();
        bad.name = " ".into();
        bad.default_language = "sv".into();
        bad.suppression_threshold = "1".into();
        let errors = Settings::parse(&bad, &shipped()).expect_err("invalid");
        let fields: Vec<_> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["name", "default_language", "suppression_threshold"]);
    }

    #[test]
    fn only_offered_frameworks_can_be_chosen() {
        let mut imported = input();
        imported.compass_framework = "demo-2026".into();
        let errors = Settings::parse(&imported, &shipped()).expect_err("not offered");
        assert_eq!(errors.0[0].field, "compass_framework");
        let mut offered = shipped();
        offered.push("demo-2026".into());
        assert_eq!(Settings::parse(&imported, &offered).expect("offered").compass_framework, "demo-2026");
    }

    #[test]
    fn districts_parse_line_by_line() {
        let parsed = parse_districts("sentrum;Sentrum\n\nnord;Nord\n").expect("valid");
        assert_eq!(parsed.len(), 2);
        let errors = parse_districts("sentrum;Sentrum\nsentrum;Igjen\nbad code;X").expect_err("invalid");
        assert_eq!(errors.0.len(), 2);
    }
}
