//! What every service says about client input: which field is wrong and why,
//! and which text a database can store.

/// One invalid input field; `field` is the path as the client sent it
/// (`items[2].owner`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldIssue {
    pub field: String,
    pub message: String,
}

impl FieldIssue {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// Text a database can store: PostgreSQL refuses NUL in text, so it is invalid
/// input everywhere (checked before any query, so it is a 422, never a 500).
pub fn storable(text: &str) -> bool {
    !text.contains('\0')
}
