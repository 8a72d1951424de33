//! Population margins from a JSON-stat 2.0 dataset, the format Statistics
//! Norway (SSB) and Statistics Sweden (SCB) publish tables in.
//!
//! The dataset needs a region dimension (role `geo`, or an id like
//! `Region`), a sex dimension (`Kjonn`, `Kon`, `Sex` …) and an age dimension
//! (`Alder`, `Alder`, `Age`), in single years or groups. Every other
//! dimension must have one category, except time, where the latest category
//! is used. Ages are summed into our age bands; regions become district
//! codes through a mapping (by default the region code itself).

use std::collections::{BTreeMap, HashMap, HashSet};

use serde_json::Value;

use super::margins::MarginCell;
use super::validation::FieldError;
use super::{AgeBand, DistrictCode, Gender};

/// The field name problems are reported under.
pub const FIELD: &str = "margins";

/// What an import found, besides the cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    /// Summed cells, one per district × age band × gender.
    pub cells: Vec<MarginCell>,
    /// Region codes that map to no district and were left out.
    pub skipped_regions: Vec<String>,
}

/// One dimension: its id and category codes with labels, by position.
struct Dimension {
    id: String,
    codes: Vec<(String, String)>,
}

fn error(message: &'static str) -> Vec<FieldError> {
    vec![FieldError::new(FIELD, message)]
}

fn dimension(dataset: &Value, id: &str) -> Option<Dimension> {
    let category = &dataset["dimension"][id]["category"];
    let labels = category["label"].as_object();
    let label_of = |code: &str| labels.and_then(|l| l.get(code)).and_then(Value::as_str).unwrap_or(code).to_owned();
    let mut codes: Vec<(usize, String)> = match &category["index"] {
        Value::Object(index) => index.iter().filter_map(|(c, i)| Some((i.as_u64()? as usize, c.clone()))).collect(),
        Value::Array(index) => {
            index.iter().enumerate().filter_map(|(i, c)| Some((i, c.as_str()?.to_owned()))).collect()
        }
        _ => labels?.keys().cloned().enumerate().collect(),
    };
    codes.sort();
    Some(Dimension { id: id.to_owned(), codes: codes.into_iter().map(|(_, c)| (c.clone(), label_of(&c))).collect() })
}

fn normalised(id: &str) -> String {
    id.to_lowercase().replace(['ø', 'ö'], "o").replace('å', "a")
}

fn has_role(dataset: &Value, role: &str, id: &str) -> bool {
    dataset["role"][role].as_array().is_some_and(|ids| ids.iter().any(|v| v.as_str() == Some(id)))
}

fn is_region(dataset: &Value, id: &str) -> bool {
    let n = normalised(id);
    has_role(dataset, "geo", id)
        || ["region", "kommun", "bydel", "district", "delomrade", "grunnkrets"].iter().any(|w| n.contains(w))
}

fn is_sex(id: &str) -> bool {
    let n = normalised(id);
    ["kjonn", "kon", "sex", "gender"].contains(&n.as_str())
}

fn is_age(id: &str) -> bool {
    let n = normalised(id);
    n.contains("alder") || n == "age"
}

fn is_time(dataset: &Value, id: &str) -> bool {
    let n = normalised(id);
    has_role(dataset, "time", id) || ["tid", "time", "year", "ar"].contains(&n.as_str())
}

/// A sex category as a gender; `None` for totals.
fn gender_of(code: &str, label: &str) -> Option<Gender> {
    label
        .parse::<Gender>()
        .ok()
        .or_else(|| code.parse::<Gender>().ok())
        .or(match code {
            "1" => Some(Gender::Male),
            "2" => Some(Gender::Female),
            _ => None,
        })
        .filter(|g| *g != Gender::Other)
}

/// An age category: `Ok(None)` for totals and ages under 16, an error text
/// when it spans two of our bands.
fn band_of(code: &str, label: &str) -> Result<Option<AgeBand>, String> {
    let parse = |text: &str| -> Option<(i32, Option<i32>)> {
        let text = text.trim().trim_end_matches(" år").trim_end_matches(" years").trim();
        if let Some(open) = text.strip_suffix('+').or_else(|| text.strip_suffix(" og eldre")) {
            return Some((open.trim().parse().ok()?, None));
        }
        if let Some((low, high)) = text.split_once(['-', '–']) {
            return Some((low.trim().parse().ok()?, Some(high.trim().parse().ok()?)));
        }
        let single: i32 = text.parse().ok()?;
        Some((single, Some(single)))
    };
    let lowered = label.to_lowercase();
    if ["total", "i alt", "alle aldre", "samtliga"].iter().any(|w| lowered.contains(w)) {
        return Ok(None);
    }
    let Some((low, high)) = parse(code).or_else(|| parse(label)) else { return Ok(None) };
    if low > 130 {
        return Ok(None);
    }
    let high_band = match high {
        Some(high) if high < AgeBand::MINIMUM_AGE => return Ok(None),
        Some(high) => AgeBand::for_age(high),
        None => Some(AgeBand::From80),
    };
    let low_band = AgeBand::for_age(low);
    if low_band != high_band {
        return Err(code.to_owned());
    }
    Ok(low_band)
}

/// Parse a JSON-stat 2.0 dataset into margin cells for the `districts`
/// given, with `mapping` from region codes to district codes (a region not
/// in the mapping maps to a district with the same code, if any).
pub fn parse(
    data: &[u8],
    districts: &HashSet<String>,
    mapping: &HashMap<String, String>,
) -> Result<Imported, Vec<FieldError>> {
    let root: Value = serde_json::from_slice(data).map_err(|_| error("jsonstat-error-not-json"))?;
    // A bundle or collection holds the dataset under a name; a dataset is the root.
    let dataset = if root["class"] == "dataset" || root.get("value").is_some() {
        &root
    } else {
        root.as_object()
            .and_then(|o| o.values().find(|v| v["class"] == "dataset" || v.get("value").is_some()))
            .unwrap_or(&root)
    };
    let ids: Vec<String> = dataset["id"]
        .as_array()
        .ok_or_else(|| error("jsonstat-error-not-dataset"))?
        .iter()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect();
    let sizes: Vec<usize> = dataset["size"]
        .as_array()
        .ok_or_else(|| error("jsonstat-error-not-dataset"))?
        .iter()
        .filter_map(|v| v.as_u64().map(|n| n as usize))
        .collect();
    if ids.len() != sizes.len() || ids.is_empty() {
        return Err(error("jsonstat-error-not-dataset"));
    }
    let dimensions: Vec<Dimension> = ids
        .iter()
        .map(|id| dimension(dataset, id))
        .collect::<Option<_>>()
        .ok_or_else(|| error("jsonstat-error-not-dataset"))?;
    if dimensions.iter().zip(&sizes).any(|(d, s)| d.codes.len() != *s) {
        return Err(error("jsonstat-error-not-dataset"));
    }
    let find = |test: &dyn Fn(&str) -> bool| ids.iter().position(|id| test(id));
    let region = find(&|id| is_region(dataset, id)).ok_or_else(|| error("jsonstat-error-no-region"))?;
    let sex = find(&is_sex).ok_or_else(|| error("jsonstat-error-no-sex"))?;
    let age = find(&is_age).ok_or_else(|| error("jsonstat-error-no-age"))?;
    // Fixed position for every other dimension: the only one, or the latest time.
    let mut fixed: Vec<Option<usize>> = vec![None; ids.len()];
    for (i, dim) in dimensions.iter().enumerate() {
        if i == region || i == sex || i == age {
            continue;
        }
        if dim.codes.len() == 1 {
            fixed[i] = Some(0);
        } else if is_time(dataset, &dim.id) {
            fixed[i] = Some(dim.codes.len() - 1);
        } else {
            return Err(vec![FieldError::new(FIELD, "jsonstat-error-extra-dimension").with("value", &dim.id)]);
        }
    }
    let value_at = |index: usize| -> Option<f64> {
        match &dataset["value"] {
            Value::Array(values) => values.get(index).and_then(Value::as_f64),
            Value::Object(values) => values.get(&index.to_string()).and_then(Value::as_f64),
            _ => None,
        }
    };
    let mut errors = Vec::new();
    let genders: Vec<Option<Gender>> = dimensions[sex].codes.iter().map(|(c, l)| gender_of(c, l)).collect();
    let bands: Vec<Option<AgeBand>> = dimensions[age]
        .codes
        .iter()
        .map(|(c, l)| {
            band_of(c, l).unwrap_or_else(|code| {
                errors.push(FieldError::new(FIELD, "jsonstat-error-age-straddles").with("value", code));
                None
            })
        })
        .collect();
    let mut skipped_regions = Vec::new();
    let region_districts: Vec<Option<DistrictCode>> = dimensions[region]
        .codes
        .iter()
        .map(|(code, _)| {
            let target = mapping.get(code).map_or(code.as_str(), String::as_str);
            let found = DistrictCode::parse(target).ok().filter(|d| districts.contains(d.as_str()));
            if found.is_none() {
                skipped_regions.push(code.clone());
            }
            found
        })
        .collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut cells: BTreeMap<(DistrictCode, AgeBand, Gender), i64> = BTreeMap::new();
    for (r, district) in region_districts.iter().enumerate() {
        let Some(district) = district else { continue };
        for (s, gender) in genders.iter().enumerate() {
            let Some(gender) = gender else { continue };
            for (a, band) in bands.iter().enumerate() {
                let Some(band) = band else { continue };
                let mut position = vec![0; ids.len()];
                for (i, slot) in position.iter_mut().enumerate() {
                    *slot = fixed[i].unwrap_or(0);
                }
                position[region] = r;
                position[sex] = s;
                position[age] = a;
                let index = position.iter().zip(&sizes).fold(0, |acc, (p, size)| acc * size + p);
                match value_at(index) {
                    Some(v) if v >= 0.0 => {
                        *cells.entry((district.clone(), *band, *gender)).or_default() += v.round() as i64
                    }
                    _ => errors.push(FieldError::new(FIELD, "jsonstat-error-value").with(
                        "value",
                        format!(
                            "{} / {} / {}",
                            dimensions[region].codes[r].0, dimensions[sex].codes[s].0, dimensions[age].codes[a].0
                        ),
                    )),
                }
            }
        }
    }
    if !errors.is_empty() {
        errors.truncate(10);
        return Err(errors);
    }
    if cells.is_empty() {
        return Err(error("jsonstat-error-empty"));
    }
    let cells = cells
        .into_iter()
        .map(|((district, age_band, gender), population)| MarginCell { district, age_band, gender, population })
        .collect();
    Ok(Imported { cells, skipped_regions })
}

/// Parse a mapping of region codes to district codes, one `region;district`
/// per line (blank lines ignored).
pub fn parse_mapping(text: &str) -> Result<HashMap<String, String>, Vec<FieldError>> {
    let mut mapping = HashMap::new();
    for (number, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        match line.split_once([';', ',', '=']) {
            Some((region, district)) if !region.trim().is_empty() && !district.trim().is_empty() => {
                mapping.insert(region.trim().to_owned(), district.trim().to_owned());
            }
            _ => return Err(vec![FieldError::new("mapping", "jsonstat-error-mapping").with("line", number + 1)]),
        }
    }
    Ok(mapping)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn districts() -> HashSet<String> {
        ["sentrum", "nord"].into_iter().map(str::to_owned).collect()
    }

    #[test]
    fn the_hand_written_ssb_style_file_sums_ages_into_bands() {
        let data = include_bytes!("../../tests/fixtures/population.jsonstat.json");
        let mapping =
            HashMap::from([("3901".to_owned(), "sentrum".to_owned()), ("3902".to_owned(), "nord".to_owned())]);
        let imported = parse(data, &districts(), &mapping).expect("valid");
        let cell = |d: &str, a: AgeBand, g: Gender| {
            imported
                .cells
                .iter()
                .find(|c| c.district.as_str() == d && c.age_band == a && c.gender == g)
                .map(|c| c.population)
        };
        // Ages 15 (left out), 16, 24 go to 16–24; 25 to 25–34; 80 and 90+ to 80+.
        // The file's latest year (2025) is used.
        assert_eq!(cell("sentrum", AgeBand::From16To24, Gender::Male), Some(11 + 12));
        assert_eq!(cell("sentrum", AgeBand::From16To24, Gender::Female), Some(21 + 22));
        assert_eq!(cell("nord", AgeBand::From25To34, Gender::Female), Some(53));
        assert_eq!(cell("nord", AgeBand::From80, Gender::Male), Some(44 + 45));
        assert_eq!(imported.skipped_regions, vec!["3999".to_owned()]);
        assert_eq!(imported.cells.len(), 2 * 3 * 2);
    }

    #[test]
    fn groups_spanning_two_bands_are_refused() {
        assert_eq!(band_of("20-29", "20-29 år"), Err("20-29".to_owned()));
        assert_eq!(band_of("035-044", "35-44 år"), Ok(Some(AgeBand::From35To44)));
        assert_eq!(band_of("105+", "105 år eller eldre"), Ok(Some(AgeBand::From80)));
        assert_eq!(band_of("000-015", "0-15"), Ok(None));
        assert_eq!(band_of("999", "Totalt"), Ok(None));
        assert_eq!(band_of("tot", "totalt"), Ok(None));
    }

    #[test]
    fn other_files_are_refused_with_reasons() {
        assert_eq!(
            parse(b"nonsense", &districts(), &HashMap::new()).unwrap_err()[0].message,
            "jsonstat-error-not-json"
        );
        let no_age = br#"{"version":"2.0","class":"dataset","id":["Region","Kjonn"],"size":[1,1],
            "dimension":{"Region":{"category":{"index":{"sentrum":0}}},"Kjonn":{"category":{"index":{"1":0}}}},"value":[1]}"#;
        assert_eq!(parse(no_age, &districts(), &HashMap::new()).unwrap_err()[0].message, "jsonstat-error-no-age");
    }

    #[test]
    fn mappings_parse_line_by_line() {
        let mapping = parse_mapping("3901;sentrum\n\n3902 ; nord\n").expect("valid");
        assert_eq!(mapping.get("3902").map(String::as_str), Some("nord"));
        assert_eq!(parse_mapping("3901\n").unwrap_err()[0].message, "jsonstat-error-mapping");
    }
}
