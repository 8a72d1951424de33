//! A panel member's profile as residents and staff type it: the join form,
//! the "my page" profile form, pause dates and the import file. Everything is
//! parsed here once; services receive only checked values.

use std::collections::HashSet;
use std::fmt;

use serde::Deserialize;

use super::member::RecruitmentSource;
use super::validation::{FieldError, Invalid};
use super::{AgeBand, Email, Gender, Language};

/// The oldest age accepted as a real birth year.
pub const MAXIMUM_AGE: i32 = 120;

/// Highest completed education, optional in the profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Education {
    /// Primary and lower secondary school.
    Primary,
    /// Upper secondary school or vocational training.
    UpperSecondary,
    /// University or college, up to four years.
    HigherShort,
    /// University or college, more than four years.
    HigherLong,
}

impl Education {
    /// Every level, lowest first.
    pub const ALL: [Education; 4] =
        [Education::Primary, Education::UpperSecondary, Education::HigherShort, Education::HigherLong];

    /// The code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            Education::Primary => "primary",
            Education::UpperSecondary => "upper_secondary",
            Education::HigherShort => "higher_short",
            Education::HigherLong => "higher_long",
        }
    }

    /// Parse a stored code.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.code() == code.trim())
    }
}

impl fmt::Display for Education {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The profile form as typed (also the join form without email and consent).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ProfileInput {
    /// Mobile number, optional.
    #[serde(default)]
    pub mobile: String,
    /// Birth year.
    #[serde(default)]
    pub birth_year: String,
    /// `female`, `male` or `other`.
    #[serde(default)]
    pub gender: String,
    /// District code.
    #[serde(default)]
    pub district: String,
    /// Education code, optional.
    #[serde(default)]
    pub education: String,
    /// Preferred language code.
    #[serde(default)]
    pub language: String,
}

/// The join form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct JoinInput {
    /// Email address.
    #[serde(default)]
    pub email: String,
    /// The profile fields.
    #[serde(flatten)]
    pub profile: ProfileInput,
    /// The consent checkbox (`yes` when ticked).
    #[serde(default)]
    pub consent: Option<String>,
}

/// What a profile may contain in this municipality, and the current year.
#[derive(Debug, Clone)]
pub struct ProfileRules<'a> {
    /// District codes of the municipality.
    pub districts: &'a HashSet<String>,
    /// Languages the municipality offers.
    pub languages: &'a [Language],
    /// The current calendar year.
    pub current_year: i32,
}

/// A checked profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    /// Mobile number in a normalised form (digits, optional leading `+`).
    pub mobile: Option<String>,
    /// Birth year (age at least 16 this year).
    pub birth_year: i32,
    /// Gender.
    pub gender: Gender,
    /// District code.
    pub district: String,
    /// Education, if given.
    pub education: Option<Education>,
    /// Preferred language.
    pub language: Language,
}

/// A checked join form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Joining {
    /// Normalised email address.
    pub email: Email,
    /// Profile.
    pub profile: Profile,
}

/// Normalise a mobile number: spaces, dashes and brackets dropped; 8–15
/// digits with an optional leading `+`.
pub fn parse_mobile(text: &str) -> Option<String> {
    let compact: String = text.chars().filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '.')).collect();
    let digits = compact.strip_prefix('+').unwrap_or(&compact);
    let ok = (8..=15).contains(&digits.len()) && digits.chars().all(|c| c.is_ascii_digit());
    ok.then_some(compact)
}

/// Check a birth year: a number, age at least 16 and at most 120 this year.
pub fn parse_birth_year(text: &str, current_year: i32) -> Result<i32, FieldError> {
    let Ok(year) = text.trim().parse::<i32>() else {
        return Err(FieldError::new("birth_year", "panel-error-birth-year"));
    };
    let age = current_year - year;
    if age < AgeBand::MINIMUM_AGE {
        return Err(FieldError::new("birth_year", "panel-error-too-young").with("age", AgeBand::MINIMUM_AGE));
    }
    if age > MAXIMUM_AGE {
        return Err(FieldError::new("birth_year", "panel-error-birth-year"));
    }
    Ok(year)
}

/// Parse the profile fields; every problem is collected.
pub fn parse_profile(input: &ProfileInput, rules: &ProfileRules<'_>) -> Result<Profile, Invalid> {
    let mut errors = Vec::new();
    let mobile = match input.mobile.trim() {
        "" => None,
        text => parse_mobile(text).or_else(|| {
            errors.push(FieldError::new("mobile", "panel-error-mobile"));
            None
        }),
    };
    let birth_year = parse_birth_year(&input.birth_year, rules.current_year).map_err(|e| errors.push(e)).ok();
    let gender = input.gender.trim().parse::<Gender>().ok().or_else(|| {
        errors.push(FieldError::new("gender", "panel-error-gender"));
        None
    });
    let district = Some(input.district.trim().to_owned()).filter(|d| rules.districts.contains(d)).or_else(|| {
        errors.push(FieldError::new("district", "panel-error-district"));
        None
    });
    let education = match input.education.trim() {
        "" => None,
        text => Education::parse(text).or_else(|| {
            errors.push(FieldError::new("education", "panel-error-education"));
            None
        }),
    };
    let language = input.language.parse::<Language>().ok().filter(|l| rules.languages.contains(l)).or_else(|| {
        errors.push(FieldError::new("language", "panel-error-language"));
        None
    });
    match (birth_year, gender, district, language) {
        (Some(birth_year), Some(gender), Some(district), Some(language)) if errors.is_empty() => {
            Ok(Profile { mobile, birth_year, gender, district, education, language })
        }
        _ => Err(Invalid(errors)),
    }
}

/// Parse the join form: email, profile and the required consent.
pub fn parse_join(input: &JoinInput, rules: &ProfileRules<'_>) -> Result<Joining, Invalid> {
    let mut errors = Vec::new();
    let email = Email::parse(&input.email).map_err(|_| errors.push(FieldError::new("email", "panel-error-email"))).ok();
    let profile = parse_profile(&input.profile, rules).map_err(|e| errors.extend(e.0)).ok();
    if input.consent.as_deref() != Some("yes") {
        errors.push(FieldError::new("consent", "panel-error-consent"));
    }
    // Report problems in the order of the form.
    let order = ["email", "mobile", "birth_year", "gender", "district", "education", "language", "consent"];
    errors.sort_by_key(|e| order.iter().position(|f| *f == e.field));
    match (email, profile) {
        (Some(email), Some(profile)) if errors.is_empty() => Ok(Joining { email, profile }),
        _ => Err(Invalid(errors)),
    }
}

/// Parse a "pause until" date: `YYYY-MM-DD`, after today and at most two
/// years ahead.
pub fn parse_pause_until(text: &str, today: time::Date) -> Result<time::Date, Invalid> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let error = || Invalid(vec![FieldError::new("until", "panel-error-pause-date")]);
    let date = time::Date::parse(text.trim(), &format).map_err(|_| error())?;
    let latest = today.saturating_add(time::Duration::days(2 * 366));
    if date <= today || date > latest {
        return Err(error());
    }
    Ok(date)
}

/// One valid row of an import file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRow {
    /// Line in the file (header is line 1).
    pub line: usize,
    /// Email address.
    pub email: Email,
    /// Profile.
    pub profile: Profile,
    /// How the member was recruited.
    pub source: RecruitmentSource,
    /// Recruitment campaign, if given.
    pub campaign: Option<String>,
}

/// The result of reading an import file: valid rows and problems by line.
#[derive(Debug, Clone, Default)]
pub struct ImportFile {
    /// Rows that passed every check.
    pub rows: Vec<ImportRow>,
    /// Problems; `field` is `line N`, args hold the column.
    pub errors: Vec<FieldError>,
}

/// Columns every import file must have.
pub const IMPORT_COLUMNS: [&str; 6] = ["email", "birth_year", "gender", "district", "language", "source"];

/// Read an import CSV with columns `email,birth_year,gender,district,language,source`
/// (and optional `mobile`, `campaign`, `education`). Every row is checked;
/// repeated addresses within the file are problems too.
pub fn parse_import_csv(data: &[u8], rules: &ProfileRules<'_>) -> ImportFile {
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).flexible(true).from_reader(data);
    let mut file = ImportFile::default();
    let headers = match reader.headers() {
        Ok(h) => h.iter().map(|s| s.trim_start_matches('\u{feff}').to_ascii_lowercase()).collect::<Vec<_>>(),
        Err(_) => {
            file.errors.push(FieldError::new("line 1", "panel-import-error-not-csv"));
            return file;
        }
    };
    let column = |name: &str| headers.iter().position(|h| h == name);
    if IMPORT_COLUMNS.iter().any(|c| column(c).is_none()) {
        file.errors.push(FieldError::new("line 1", "panel-import-error-header"));
        return file;
    }
    let mut seen = HashSet::new();
    for (index, record) in reader.records().enumerate() {
        let line = index + 2;
        let at = format!("line {line}");
        let Ok(record) = record else {
            file.errors.push(FieldError::new(at, "panel-import-error-not-csv"));
            continue;
        };
        let get = |name: &str| column(name).and_then(|i| record.get(i)).unwrap_or("").to_owned();
        let input = JoinInput {
            email: get("email"),
            profile: ProfileInput {
                mobile: get("mobile"),
                birth_year: get("birth_year"),
                gender: get("gender"),
                district: get("district"),
                education: get("education"),
                language: get("language"),
            },
            consent: Some("yes".into()),
        };
        let parsed = parse_join(&input, rules);
        let source = RecruitmentSource::parse(&get("source"));
        let mut problems: Vec<FieldError> = match &parsed {
            Ok(_) => Vec::new(),
            Err(invalid) => invalid.0.clone(),
        };
        if source.is_none() {
            problems.push(FieldError::new("source", "panel-import-error-source"));
        }
        if let Ok(joining) = &parsed
            && !seen.insert(joining.email.as_str().to_owned())
        {
            problems.push(FieldError::new("email", "panel-import-error-repeated"));
        }
        let campaign = Some(get("campaign")).filter(|c| !c.is_empty());
        if campaign.as_ref().is_some_and(|c| c.chars().count() > 100) {
            problems.push(FieldError::new("campaign", "panel-import-error-campaign"));
        }
        match (parsed, source) {
            (Ok(joining), Some(source)) if problems.is_empty() => {
                file.rows.push(ImportRow { line, email: joining.email, profile: joining.profile, source, campaign })
            }
            _ => file.errors.extend(problems.into_iter().map(|p| {
                let mut error = FieldError::new(at.clone(), p.message).with("column", p.field);
                error.args.extend(p.args);
                error
            })),
        }
    }
    if file.rows.is_empty() && file.errors.is_empty() {
        file.errors.push(FieldError::new("line 2", "panel-import-error-empty"));
    }
    file
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules_with(districts: &HashSet<String>) -> ProfileRules<'_> {
        ProfileRules { districts, languages: &[Language::Nb, Language::En], current_year: 2026 }
    }

    fn districts() -> HashSet<String> {
        ["sentrum".to_owned(), "nord".to_owned()].into_iter().collect()
    }

    fn join_input() -> JoinInput {
        JoinInput {
            email: " Kari@Example.no ".into(),
            profile: ProfileInput {
                mobile: "+47 912 34 567".into(),
                birth_year: "1980".into(),
                gender: "female".into(),
                district: "nord".into(),
                education: "".into(),
                language: "nb".into(),
            },
            consent: Some("yes".into()),
        }
    }

    #[test]
    fn a_complete_form_parses() {
        let districts = districts();
        let joining = parse_join(&join_input(), &rules_with(&districts)).expect("valid");
        assert_eq!(joining.email.as_str(), "kari@example.no");
        assert_eq!(joining.profile.mobile.as_deref(), Some("+4791234567"));
        assert_eq!(joining.profile.birth_year, 1980);
        assert_eq!(joining.profile.education, None);
    }

    #[test]
    fn every_problem_is_reported_in_form_order() {
        let districts = districts();
        let mut input = join_input();
        input.email = "kari".into();
        input.profile.birth_year = "2015".into();
        input.profile.district = "sør".into();
        input.profile.language = "sv".into();
        input.consent = None;
        let errors = parse_join(&input, &rules_with(&districts)).expect_err("invalid");
        let fields: Vec<_> = errors.0.iter().map(|e| (e.field.as_str(), e.message)).collect();
        assert_eq!(
            fields,
            vec![
                ("email", "panel-error-email"),
                ("birth_year", "panel-error-too-young"),
                ("district", "panel-error-district"),
                ("language", "panel-error-language"),
                ("consent", "panel-error-consent"),
            ]
        );
    }

    #[test]
    fn birth_years_must_be_real_and_old_enough() {
        assert_eq!(parse_birth_year("2010", 2026), Ok(2010));
        assert!(parse_birth_year("2011", 2026).is_err());
        assert_eq!(parse_birth_year("1906", 2026), Ok(1906));
        assert!(parse_birth_year("1905", 2026).is_err());
        assert!(parse_birth_year("nineteen", 2026).is_err());
    }

    #[test]
    fn mobiles_are_normalised_or_refused() {
        assert_eq!(parse_mobile("912 34 567").as_deref(), Some("91234567"));
        assert_eq!(parse_mobile("+47 912 ab 567"), None);
        assert_eq!(parse_mobile("+46 70-123 45 67").as_deref(), Some("+46701234567"));
        assert_eq!(parse_mobile("1234"), None);
    }

    #[test]
    fn pause_dates_lie_ahead() {
        let today = time::macros::date!(2026 - 11 - 23);
        assert!(parse_pause_until("2027-01-01", today).is_ok());
        assert!(parse_pause_until("2026-11-23", today).is_err());
        assert!(parse_pause_until("2030-01-01", today).is_err());
        assert!(parse_pause_until("1. januar", today).is_err());
    }

    #[test]
    fn import_reports_problems_by_line_and_keeps_valid_rows() {
        let districts = districts();
        let csv = "email,birth_year,gender,district,language,source,campaign\n\
                   a@example.no,1970,female,sentrum,nb,register,høst\n\
                   b@example.no,2020,male,sentrum,nb,self,\n\
                   A@example.no,1970,female,nord,en,event,\n\
                   c@example.no,1990,x,nord,nb,letter,\n";
        let file = parse_import_csv(csv.as_bytes(), &rules_with(&districts));
        assert_eq!(file.rows.len(), 1);
        assert_eq!(file.rows[0].campaign.as_deref(), Some("høst"));
        let problems: Vec<_> = file.errors.iter().map(|e| (e.field.as_str(), e.message)).collect();
        assert_eq!(
            problems,
            vec![
                ("line 3", "panel-error-too-young"),
                ("line 4", "panel-import-error-repeated"),
                ("line 5", "panel-error-gender"),
                ("line 5", "panel-import-error-source"),
            ]
        );
    }

    #[test]
    fn import_needs_the_columns() {
        let districts = districts();
        let file = parse_import_csv(b"email,birth_year\na@example.no,1970\n", &rules_with(&districts));
        assert_eq!(file.errors[0].message, "panel-import-error-header");
    }
}
