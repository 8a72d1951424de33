//! Panel members' status and recruitment source.

use std::fmt;

/// Where a member is in their membership.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MemberStatus {
    /// Signed up, email not yet confirmed (purged after 7 days).
    Pending,
    /// Confirmed member. May still be paused until a date (`paused_until`).
    Active,
    /// Consent lapsed without renewal; not invited until renewed.
    Deactivated,
}

impl MemberStatus {
    /// The code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            MemberStatus::Pending => "pending",
            MemberStatus::Active => "active",
            MemberStatus::Deactivated => "deactivated",
        }
    }

    /// Parse a stored code.
    pub fn parse(code: &str) -> Option<Self> {
        [Self::Pending, Self::Active, Self::Deactivated].into_iter().find(|s| s.code() == code)
    }
}

/// How a member was recruited.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RecruitmentSource {
    /// Joined on the public page.
    SelfRegistered,
    /// Invited from a random sample of the population register.
    RegisterSample,
    /// Recruited at an event.
    Event,
    /// Imported by staff from a list.
    Imported,
}

impl RecruitmentSource {
    /// Every source.
    pub const ALL: [RecruitmentSource; 4] = [Self::SelfRegistered, Self::RegisterSample, Self::Event, Self::Imported];

    /// The code stored in the database and used in files.
    pub fn code(self) -> &'static str {
        match self {
            Self::SelfRegistered => "self",
            Self::RegisterSample => "register",
            Self::Event => "event",
            Self::Imported => "import",
        }
    }

    /// Parse a code.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code.trim())
    }

    /// The coarse group copied into anonymous responses: self-selected
    /// members differ from recruited ones, and results may be split by it.
    pub fn group(self) -> &'static str {
        match self {
            Self::SelfRegistered => "self",
            _ => "recruited",
        }
    }
}

impl fmt::Display for RecruitmentSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The version of the consent text members accept now. Stored with each
/// member; raise it when the text in `locales/*/panel.ftl` changes.
pub const CONSENT_VERSION: &str = "2026-11";
