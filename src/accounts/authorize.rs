//! The one role check: what a route or a page needs of its caller beyond being
//! signed in. The API extractors and the page extractors both ask here and only
//! turn a [`Refusal`] into their own error. Rules about one task (drafts, the owner
//! department) are the tasks service's (`tasks::Permission`).
use crate::domain::{AuthenticatedUser, Role};

/// A role requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// The secretariat, or an admin: the review, meetings, the outbox.
    Secretariat,
    /// An admin: departments and users.
    Admin,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("only the secretariat may do this")]
    NotSecretariat,
    #[error("only an administrator may do this")]
    NotAdmin,
}

/// Whether `user`'s role meets `need`.
pub fn authorize(user: &AuthenticatedUser, need: Need) -> Result<(), Refusal> {
    match need {
        Need::Secretariat if user.role.is_secretariat() => Ok(()),
        Need::Secretariat => Err(Refusal::NotSecretariat),
        Need::Admin if user.role == Role::Admin => Ok(()),
        Need::Admin => Err(Refusal::NotAdmin),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(role: Role) -> AuthenticatedUser {
        AuthenticatedUser {
            id: 1,
            login: "u".into(),
            display_name: "u".into(),
            role,
            department_id: None,
            department_name: None,
            locale: "ja".into(),
            csrf_token: None,
        }
    }

    #[test]
    fn roles_meet_needs() {
        for role in Role::ALL {
            let secretariat = authorize(&user(*role), Need::Secretariat).is_ok();
            let admin = authorize(&user(*role), Need::Admin).is_ok();
            assert_eq!(secretariat, matches!(role, Role::Admin | Role::Secretariat));
            assert_eq!(admin, *role == Role::Admin);
        }
    }
}
