//! Flags for free-text answers that look like they hold personal data
//! (email addresses, Norwegian and Swedish phone numbers). Flags only help
//! moderators; every text is still read by a person before publication.

/// What a text seems to contain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PersonalDataFlag {
    /// Something like `name@example.no`.
    Email,
    /// Something like `+47 912 34 567`, `91234567` or `070-123 45 67`.
    Phone,
}

impl PersonalDataFlag {
    /// Fluent message id naming the flag.
    pub fn message(self) -> &'static str {
        match self {
            PersonalDataFlag::Email => "moderation-flag-email",
            PersonalDataFlag::Phone => "moderation-flag-phone",
        }
    }
}

fn looks_like_email(word: &str) -> bool {
    let word = word.trim_matches(|c: char| !c.is_alphanumeric());
    let Some((local, domain)) = word.split_once('@') else { return false };
    !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
}

/// Whether a run of digits and separators is a phone number.
fn looks_like_phone(run: &str) -> bool {
    let digits: String = run.chars().filter(char::is_ascii_digit).collect();
    let international = run.trim_start().starts_with('+') || digits.starts_with("00");
    let national = if let Some(rest) =
        digits.strip_prefix("0047").or_else(|| digits.strip_prefix("47").filter(|_| international))
    {
        return rest.len() == 8;
    } else if let Some(rest) =
        digits.strip_prefix("0046").or_else(|| digits.strip_prefix("46").filter(|_| international))
    {
        return (7..=9).contains(&rest.len());
    } else {
        digits
    };
    // Norwegian numbers have 8 digits; Swedish ones start with 0 and have 8–10.
    national.len() == 8 || (national.starts_with('0') && (8..=10).contains(&national.len()))
}

/// Every kind of personal data the text seems to hold.
pub fn flags(text: &str) -> Vec<PersonalDataFlag> {
    let mut found = Vec::new();
    if text.split_whitespace().any(looks_like_email) {
        found.push(PersonalDataFlag::Email);
    }
    let mut run = String::new();
    let mut phone = false;
    for c in text.chars().chain(std::iter::once('\n')) {
        let continues = c.is_ascii_digit()
            || (!run.is_empty() && matches!(c, ' ' | '-' | '.' | '(' | ')'))
            || (run.is_empty() && c == '+');
        if continues {
            run.push(c);
        } else {
            if looks_like_phone(run.trim_end_matches([' ', '-', '.', '(', ')'])) {
                phone = true;
            }
            run.clear();
        }
    }
    if phone {
        found.push(PersonalDataFlag::Phone);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_flagged() {
        assert_eq!(flags("skriv til kari.nordmann@example.no, takk"), vec![PersonalDataFlag::Email]);
        assert!(flags("vi møtes @ biblioteket.").is_empty());
    }

    #[test]
    fn norwegian_and_swedish_phone_numbers_are_flagged() {
        for text in [
            "ring meg på 91234567",
            "ring 912 34 567 etter kl 16",
            "tlf +47 912 34 567",
            "0047 91234567",
            "ring 070-123 45 67",
            "nummer +46 70 123 45 67",
            "08-123 456 78",
        ] {
            assert_eq!(flags(text), vec![PersonalDataFlag::Phone], "{text}");
        }
    }

    #[test]
    fn ordinary_numbers_are_not_flagged() {
        for text in ["Bussen går 12 ganger", "I 2024 ble det bygget 300 boliger", "Kostet 1 500 kroner", "rute 150"] {
            assert!(flags(text).is_empty(), "{text}");
        }
    }
}
