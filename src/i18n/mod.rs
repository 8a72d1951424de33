//! Translations: Fluent files under `locales/<code>/` (one file per part of
//! the service), compiled into the binary.

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader, langid};

use crate::domain::Language;
use crate::domain::validation::FieldError;

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "nb",
        // Values are inserted into HTML, where isolation marks only get in the way.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static NB: LanguageIdentifier = langid!("nb");
static NN: LanguageIdentifier = langid!("nn");
static SV: LanguageIdentifier = langid!("sv");
static EN: LanguageIdentifier = langid!("en");

fn identifier(language: Language) -> &'static LanguageIdentifier {
    match language {
        Language::Nb => &NB,
        Language::Nn => &NN,
        Language::Sv => &SV,
        Language::En => &EN,
    }
}

/// The text with id `key` in `language`.
pub fn t(language: Language, key: &str) -> String {
    LOCALES.lookup(identifier(language), key)
}

/// The text with id `key` in `language`, with values inserted.
pub fn t_with(language: Language, key: &str, args: &[(&'static str, String)]) -> String {
    let map: HashMap<Cow<'static, str>, FluentValue> =
        args.iter().map(|(name, value)| (Cow::Borrowed(*name), FluentValue::from(value.clone()))).collect();
    LOCALES.lookup_with_args(identifier(language), key, &map)
}

/// The explanation of a validation problem in `language`.
pub fn field_error(language: Language, error: &FieldError) -> String {
    t_with(language, error.message, &error.args)
}

/// Whether a message id exists in `language` (without falling back).
pub fn has_key(language: Language, key: &str) -> bool {
    LOCALES.try_lookup(identifier(language), key).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// Message ids in a locale file; those taking values are marked with `$`.
    fn keys(language: Language) -> BTreeSet<String> {
        let dir = format!("{}/locales/{}", env!("CARGO_MANIFEST_DIR"), language.code());
        let mut text = String::new();
        for entry in std::fs::read_dir(&dir).expect("locale folder") {
            let path = entry.expect("entry").path();
            if path.extension().is_some_and(|e| e == "ftl") {
                text.push_str(&std::fs::read_to_string(&path).expect("locale file"));
                text.push('\n');
            }
        }
        text.lines()
            .filter(|line| !line.starts_with([' ', '#', '\t']) && line.contains(" ="))
            .filter_map(|line| line.split_once(" =").map(|(key, value)| (key.trim(), value.contains("{ $"))))
            .map(|(key, takes_values)| if takes_values { format!("{key}$") } else { key.to_owned() })
            .collect()
    }

    #[test]
    fn every_language_has_every_key() {
        let reference = keys(Language::Nb);
        assert!(reference.len() > 50, "bokmål file looks empty");
        for language in Language::ALL {
            let these = keys(language);
            let missing: Vec<_> = reference.difference(&these).collect();
            let extra: Vec<_> = these.difference(&reference).collect();
            assert!(missing.is_empty() && extra.is_empty(), "{language}: missing {missing:?}, extra {extra:?}");
            for key in reference.iter().filter(|k| !k.ends_with('$')) {
                assert!(has_key(language, key), "{language}: {key} does not resolve");
            }
        }
    }

    #[test]
    fn values_are_inserted_without_isolation_marks() {
        let text = t_with(Language::En, "error-number-range", &[("min", "1".into()), ("max", "9".into())]);
        assert!(text.contains('1') && text.contains('9'), "{text}");
        assert!(!text.contains('\u{2068}'));
    }
}
