//! Who makes a request, once the front end has checked the credentials.
use super::Role;

/// Who is making a request, resolved from a session cookie or an API token.
#[derive(Debug, Clone)]
pub struct AuthenticatedUser {
    pub id: i32,
    pub login: String,
    pub display_name: String,
    pub role: Role,
    pub department_id: Option<i32>,
    pub department_name: Option<String>,
    pub locale: String,
    /// Set when authenticated by session cookie: forms must echo it back.
    pub csrf_token: Option<String>,
}
