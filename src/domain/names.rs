use std::fmt;

use unicode_normalization::UnicodeNormalization;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error("must not be empty")]
    Empty,
    #[error("must be at most {0} characters")]
    TooLong(usize),
    #[error("may contain only ASCII letters, digits, '.', '_' and '-'")]
    InvalidLogin,
    #[error("must be at least {0} characters")]
    TooShort(usize),
    #[error("must not contain a NUL character")]
    Nul,
}

/// A department's name (区民部, 政策経営部情報管理課): NFKC-normalised and trimmed,
/// so full-width and half-width spellings of one name are one department.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DepartmentName(String);

impl DepartmentName {
    pub const MAX_CHARS: usize = 100;

    pub fn parse(raw: &str) -> Result<Self, NameError> {
        let normalised: String = raw.nfkc().collect::<String>().trim().to_owned();
        if normalised.is_empty() {
            return Err(NameError::Empty);
        }
        if normalised.chars().count() > Self::MAX_CHARS {
            return Err(NameError::TooLong(Self::MAX_CHARS));
        }
        // PostgreSQL refuses NUL in text (the API's schema says so too).
        if normalised.contains('\0') {
            return Err(NameError::Nul);
        }
        Ok(Self(normalised))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

impl fmt::Display for DepartmentName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A user's login name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Login(String);

impl Login {
    pub const MAX_CHARS: usize = 64;

    pub fn parse(raw: &str) -> Result<Self, NameError> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(NameError::Empty);
        }
        if raw.len() > Self::MAX_CHARS {
            return Err(NameError::TooLong(Self::MAX_CHARS));
        }
        if !raw
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        {
            return Err(NameError::InvalidLogin);
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Login {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A new password; never printed.
#[derive(Clone)]
pub struct Password(String);

impl Password {
    pub const MIN_CHARS: usize = 8;

    pub fn parse(raw: &str) -> Result<Self, NameError> {
        let raw = raw.trim_end_matches(['\r', '\n']);
        if raw.chars().count() < Self::MIN_CHARS {
            return Err(NameError::TooShort(Self::MIN_CHARS));
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn department_names_are_normalised() {
        let full = DepartmentName::parse("　区民部 ").expect("valid");
        assert_eq!(full.as_str(), "区民部");
        assert_eq!(DepartmentName::parse("  "), Err(NameError::Empty));
        assert_eq!(DepartmentName::parse("区民\0部"), Err(NameError::Nul));
    }

    #[test]
    fn logins_are_restricted() {
        assert!(Login::parse("tanaka.t").is_ok());
        assert_eq!(Login::parse("田中"), Err(NameError::InvalidLogin));
    }

    #[test]
    fn passwords_have_a_minimum_length() {
        assert!(Password::parse("short").is_err());
        assert_eq!(
            Password::parse("long enough\n").expect("ok").expose(),
            "long enough"
        );
    }
}
