//! Domain newtypes. Input is parsed into these once, at the edge (HTTP, CLI,
//! database rows), so the rest of the code never re-checks a raw string.
mod names;
mod principal;
mod states;

pub use names::{DepartmentName, Login, NameError, Password};
pub use principal::AuthenticatedUser;
pub use states::{DueKind, Role, TaskKind, TaskStatus, UnknownValue};
