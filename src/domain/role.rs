//! Staff roles.

use std::fmt;
use std::str::FromStr;

/// What a staff account may do. Municipal roles act inside one municipality;
/// a host operator manages the municipalities of a shared installation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Reads surveys and published results.
    Viewer,
    /// Reads all results and exports.
    Analyst,
    /// Builds surveys, moderates free text, enters paper answers.
    Editor,
    /// Everything in the municipality: settings, staff, approval.
    Admin,
    /// Manages municipalities on a shared host; has no municipal data access.
    Operator,
}

impl Role {
    /// The municipal roles, least powerful first.
    pub const MUNICIPAL: [Role; 4] = [Role::Viewer, Role::Analyst, Role::Editor, Role::Admin];

    /// The name stored in the database and used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Analyst => "analyst",
            Role::Editor => "editor",
            Role::Admin => "admin",
            Role::Operator => "operator",
        }
    }

    /// Whether this role includes everything `required` may do inside a municipality.
    pub fn includes(self, required: Role) -> bool {
        match (self, required) {
            (Role::Operator, Role::Operator) => true,
            (Role::Operator, _) | (_, Role::Operator) => false,
            (have, need) => have >= need,
        }
    }
}

/// A role name that does not exist.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown role `{0}`; use admin, editor, analyst, viewer or operator")]
pub struct UnknownRole(pub String);

impl FromStr for Role {
    type Err = UnknownRole;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "viewer" => Ok(Role::Viewer),
            "analyst" => Ok(Role::Analyst),
            "editor" => Ok(Role::Editor),
            "admin" => Ok(Role::Admin),
            "operator" => Ok(Role::Operator),
            other => Err(UnknownRole(other.to_owned())),
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_ordered_and_operators_stand_apart() {
        assert!(Role::Admin.includes(Role::Editor));
        assert!(Role::Editor.includes(Role::Viewer));
        assert!(!Role::Viewer.includes(Role::Editor));
        assert!(!Role::Operator.includes(Role::Viewer));
        assert!(!Role::Admin.includes(Role::Operator));
        assert!(Role::Operator.includes(Role::Operator));
    }
}
