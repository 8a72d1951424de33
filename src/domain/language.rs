//! The languages residents and staff can use.

use std::fmt;
use std::str::FromStr;

/// A language Rådslag speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    /// Norwegian bokmål.
    Nb,
    /// Norwegian nynorsk.
    Nn,
    /// Swedish.
    Sv,
    /// English.
    En,
}

impl Language {
    /// Every language, in the order shown in the language switcher.
    pub const ALL: [Language; 4] = [Language::Nb, Language::Nn, Language::Sv, Language::En];

    /// The BCP 47 code, used in `lang` attributes and URLs.
    pub fn code(self) -> &'static str {
        match self {
            Language::Nb => "nb",
            Language::Nn => "nn",
            Language::Sv => "sv",
            Language::En => "en",
        }
    }

    /// The language's name in itself, as shown in the switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Language::Nb => "Norsk bokmål",
            Language::Nn => "Norsk nynorsk",
            Language::Sv => "Svenska",
            Language::En => "English",
        }
    }

    /// Parse a comma-separated list such as `nb,nn,en`, keeping order, dropping repeats.
    pub fn parse_list(text: &str) -> Result<Vec<Language>, UnknownLanguage> {
        let mut list = Vec::new();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let language = part.parse()?;
            if !list.contains(&language) {
                list.push(language);
            }
        }
        Ok(list)
    }

    /// Join a list back into `nb,nn,en` form.
    pub fn join_list(list: &[Language]) -> String {
        list.iter().map(|l| l.code()).collect::<Vec<_>>().join(",")
    }

    /// Choose from an `Accept-Language` header the first language that is offered.
    pub fn negotiate(header: &str, offered: &[Language]) -> Option<Language> {
        let mut ranges: Vec<(f32, usize, &str)> = header
            .split(',')
            .enumerate()
            .filter_map(|(index, part)| {
                let mut pieces = part.trim().split(';');
                let tag = pieces.next()?.trim();
                let quality =
                    pieces.find_map(|p| p.trim().strip_prefix("q=")).and_then(|q| q.parse::<f32>().ok()).unwrap_or(1.0);
                (quality > 0.0).then_some((quality, index, tag))
            })
            .collect();
        ranges.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        ranges.into_iter().find_map(|(_, _, tag)| {
            let primary = tag.split('-').next().unwrap_or(tag).to_ascii_lowercase();
            let language = match primary.as_str() {
                // Plain "no" (Norwegian) means bokmål for most readers.
                "nb" | "no" => Language::Nb,
                "nn" => Language::Nn,
                "sv" => Language::Sv,
                "en" => Language::En,
                _ => return None,
            };
            offered.contains(&language).then_some(language)
        })
    }
}

/// A language code Rådslag does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown language `{0}`; use nb, nn, sv or en")]
pub struct UnknownLanguage(pub String);

impl FromStr for Language {
    type Err = UnknownLanguage;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "nb" => Ok(Language::Nb),
            "nn" => Ok(Language::Nn),
            "sv" => Ok(Language::Sv),
            "en" => Ok(Language::En),
            other => Err(UnknownLanguage(other.to_owned())),
        }
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiates_by_quality_and_offer() {
        let offered = [Language::Nb, Language::En];
        assert_eq!(Language::negotiate("sv, en;q=0.5, nb;q=0.8", &offered), Some(Language::Nb));
        assert_eq!(Language::negotiate("no-NO", &offered), Some(Language::Nb));
        assert_eq!(Language::negotiate("de, fr", &offered), None);
        assert_eq!(Language::negotiate("en;q=0, nb;q=0.1", &[Language::En]), None);
    }

    #[test]
    fn lists_round_trip() {
        let list = Language::parse_list("nb, nn,nb,en").expect("valid");
        assert_eq!(Language::join_list(&list), "nb,nn,en");
        assert!(Language::parse_list("nb,de").is_err());
    }
}
