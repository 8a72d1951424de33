//! Population margins: how many people live in each district × age band ×
//! gender cell. Read from CSV with the header
//! `district,age_band,gender,population`.

use std::collections::{BTreeMap, HashSet};

use super::validation::FieldError;
use super::{AgeBand, DistrictCode, Gender};

/// One cell of the population table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarginCell {
    /// District code.
    pub district: DistrictCode,
    /// Age band.
    pub age_band: AgeBand,
    /// Gender (female or male).
    pub gender: Gender,
    /// Number of residents.
    pub population: i64,
}

/// Parse a margins CSV. Every row is checked; all problems are returned with
/// their line numbers (the header is line 1). Repeated cells are an error.
pub fn parse_csv(data: &[u8], districts: &HashSet<String>) -> Result<Vec<MarginCell>, Vec<FieldError>> {
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).flexible(true).from_reader(data);
    let mut errors = Vec::new();
    let headers = match reader.headers() {
        Ok(h) => h.iter().map(|s| s.trim_start_matches('\u{feff}').to_ascii_lowercase()).collect::<Vec<_>>(),
        Err(_) => return Err(vec![FieldError::new("line 1", "margins-error-not-csv")]),
    };
    let column = |name: &str| headers.iter().position(|h| h == name);
    let (Some(d), Some(a), Some(g), Some(p)) =
        (column("district"), column("age_band"), column("gender"), column("population"))
    else {
        return Err(vec![FieldError::new("line 1", "margins-error-header")]);
    };
    let mut cells = BTreeMap::new();
    for (index, record) in reader.records().enumerate() {
        let line = index + 2;
        let at = format!("line {line}");
        let Ok(record) = record else {
            errors.push(FieldError::new(at, "margins-error-not-csv"));
            continue;
        };
        let field = |i: usize| record.get(i).unwrap_or("").to_owned();
        let district = match DistrictCode::parse(&field(d)) {
            Ok(code) if districts.contains(code.as_str()) => Some(code),
            _ => {
                errors.push(FieldError::new(at.clone(), "margins-error-district").with("value", field(d)));
                None
            }
        };
        let age_band = field(a).parse::<AgeBand>().ok().or_else(|| {
            errors.push(FieldError::new(at.clone(), "margins-error-age-band").with("value", field(a)));
            None
        });
        let gender = field(g).parse::<Gender>().ok().filter(|g| *g != Gender::Other).or_else(|| {
            errors.push(FieldError::new(at.clone(), "margins-error-gender").with("value", field(g)));
            None
        });
        let population = field(p).replace([' ', '\u{a0}'], "").parse::<i64>().ok().filter(|n| *n >= 0).or_else(|| {
            errors.push(FieldError::new(at.clone(), "margins-error-population").with("value", field(p)));
            None
        });
        if let (Some(district), Some(age_band), Some(gender), Some(population)) =
            (district, age_band, gender, population)
        {
            let key = (district.clone(), age_band, gender);
            match cells.entry(key) {
                std::collections::btree_map::Entry::Occupied(_) => {
                    errors.push(FieldError::new(at, "margins-error-duplicate"));
                }
                std::collections::btree_map::Entry::Vacant(slot) => {
                    slot.insert(MarginCell { district, age_band, gender, population });
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if cells.is_empty() {
        return Err(vec![FieldError::new("line 2", "margins-error-empty")]);
    }
    Ok(cells.into_values().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn districts() -> HashSet<String> {
        ["sentrum".to_owned(), "nord".to_owned()].into_iter().collect()
    }

    #[test]
    fn parses_a_valid_file() {
        let csv = "district,age_band,gender,population\nsentrum,16-24,female,1 200\nnord,80+,male,45\n";
        let cells = parse_csv(csv.as_bytes(), &districts()).expect("valid");
        assert_eq!(cells.len(), 2);
        assert_eq!(cells.iter().map(|c| c.population).sum::<i64>(), 1245);
    }

    #[test]
    fn reports_every_bad_row_with_its_line() {
        let csv = "district,age_band,gender,population\nsentrum,16-24,female,10\nsør,16-24,female,10\nnord,10-15,male,-3\nsentrum,16-24,female,10\n";
        let errors = parse_csv(csv.as_bytes(), &districts()).expect_err("invalid");
        let lines: Vec<_> = errors.iter().map(|e| (e.field.as_str(), e.message)).collect();
        assert_eq!(
            lines,
            vec![
                ("line 3", "margins-error-district"),
                ("line 4", "margins-error-age-band"),
                ("line 4", "margins-error-population"),
                ("line 5", "margins-error-duplicate"),
            ]
        );
    }

    #[test]
    fn needs_the_header() {
        let errors = parse_csv(b"a,b\n1,2\n", &districts()).expect_err("invalid");
        assert_eq!(errors[0].message, "margins-error-header");
    }
}
