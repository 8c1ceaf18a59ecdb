//! Domain newtypes and the enums of every stored state, with their names for
//! people ([`labels`]). Input is parsed into these once, at the edge (HTTP, CLI,
//! database rows), so the rest of the code never re-checks a raw string.
pub mod dates;
mod input;
pub mod labels;
mod names;
mod principal;
pub mod sizes;
mod states;

pub use dates::{Calendar, DateStyle};
pub use input::{FieldIssue, storable};
pub use labels::{Label, Lang};
pub use names::{DepartmentName, Login, NameError, Password};
pub use principal::AuthenticatedUser;
pub use states::{
    DueKind, EventAction, MeetingStatus, OutboxStatus, Role, TaskKind, TaskStatus, UnknownValue,
};
