//! The coarse attributes used for sampling, weighting and breakdowns.

use std::fmt;
use std::str::FromStr;

/// Age groups used in margins, samples and breakdowns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AgeBand {
    /// 16–24 years.
    From16To24,
    /// 25–34 years.
    From25To34,
    /// 35–44 years.
    From35To44,
    /// 45–54 years.
    From45To54,
    /// 55–66 years.
    From55To66,
    /// 67–79 years.
    From67To79,
    /// 80 years and older.
    From80,
}

impl AgeBand {
    /// Every band, youngest first.
    pub const ALL: [AgeBand; 7] = [
        AgeBand::From16To24,
        AgeBand::From25To34,
        AgeBand::From35To44,
        AgeBand::From45To54,
        AgeBand::From55To66,
        AgeBand::From67To79,
        AgeBand::From80,
    ];

    /// The youngest age a panel member may have.
    pub const MINIMUM_AGE: i32 = 16;

    /// The label stored and shown, e.g. `25-34`.
    pub fn as_str(self) -> &'static str {
        match self {
            AgeBand::From16To24 => "16-24",
            AgeBand::From25To34 => "25-34",
            AgeBand::From35To44 => "35-44",
            AgeBand::From45To54 => "45-54",
            AgeBand::From55To66 => "55-66",
            AgeBand::From67To79 => "67-79",
            AgeBand::From80 => "80+",
        }
    }

    /// The band of someone of this age, or `None` below the minimum age.
    pub fn for_age(age: i32) -> Option<AgeBand> {
        Some(match age {
            a if a < Self::MINIMUM_AGE => return None,
            16..=24 => AgeBand::From16To24,
            25..=34 => AgeBand::From25To34,
            35..=44 => AgeBand::From35To44,
            45..=54 => AgeBand::From45To54,
            55..=66 => AgeBand::From55To66,
            67..=79 => AgeBand::From67To79,
            _ => AgeBand::From80,
        })
    }
}

impl fmt::Display for AgeBand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A text that is not an age band.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown age band `{0}`; use one of 16-24, 25-34, 35-44, 45-54, 55-66, 67-79, 80+")]
pub struct UnknownAgeBand(pub String);

impl FromStr for AgeBand {
    type Err = UnknownAgeBand;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let normalised = s.trim().replace(['–', '—'], "-");
        AgeBand::ALL.into_iter().find(|band| band.as_str() == normalised).ok_or_else(|| UnknownAgeBand(s.to_owned()))
    }
}

/// Gender as recorded in the panel. Population statistics know only two
/// values, so members who answer `Other` are left out of the gender margin
/// when weighting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Gender {
    /// Woman.
    Female,
    /// Man.
    Male,
    /// Other, or prefers not to say.
    Other,
}

impl Gender {
    /// The values population margins use.
    pub const IN_MARGINS: [Gender; 2] = [Gender::Female, Gender::Male];

    /// The code stored in the database and in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Gender::Female => "female",
            Gender::Male => "male",
            Gender::Other => "other",
        }
    }
}

impl fmt::Display for Gender {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A text that is not a gender code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown gender `{0}`; use female, male or other")]
pub struct UnknownGender(pub String);

impl FromStr for Gender {
    type Err = UnknownGender;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "female" | "f" | "k" | "kvinne" | "kvinna" | "kvinner" | "kvinnor" => Ok(Gender::Female),
            "male" | "m" | "mann" | "man" | "menn" | "män" => Ok(Gender::Male),
            "other" => Ok(Gender::Other),
            _ => Err(UnknownGender(s.to_owned())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_map_to_bands_at_the_edges() {
        assert_eq!(AgeBand::for_age(15), None);
        assert_eq!(AgeBand::for_age(16), Some(AgeBand::From16To24));
        assert_eq!(AgeBand::for_age(24), Some(AgeBand::From16To24));
        assert_eq!(AgeBand::for_age(25), Some(AgeBand::From25To34));
        assert_eq!(AgeBand::for_age(66), Some(AgeBand::From55To66));
        assert_eq!(AgeBand::for_age(67), Some(AgeBand::From67To79));
        assert_eq!(AgeBand::for_age(101), Some(AgeBand::From80));
    }

    #[test]
    fn bands_and_genders_parse() {
        assert_eq!("25–34".parse::<AgeBand>(), Ok(AgeBand::From25To34));
        assert_eq!("80+".parse::<AgeBand>(), Ok(AgeBand::From80));
        assert!("20-30".parse::<AgeBand>().is_err());
        assert_eq!("Kvinne".parse::<Gender>(), Ok(Gender::Female));
        assert!("x".parse::<Gender>().is_err());
    }
}
