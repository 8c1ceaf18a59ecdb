use std::{fmt, str::FromStr};

use sea_orm::{DeriveActiveEnum, EnumIter, sea_query::StringLen};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{value}` is not one of {expected}")]
pub struct UnknownValue {
    pub value: String,
    pub expected: &'static str,
}

/// Declares an enum stored as text through sea-orm's `DeriveActiveEnum` (entity
/// columns use it, and a stored value it does not know fails the read) and used
/// in JSON. The texts are written here and nowhere else.
macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:tt),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema, EnumIter,
            DeriveActiveEnum,
        )]
        #[serde(rename_all = "snake_case")]
        #[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
        pub enum $name { $(#[sea_orm(string_value = $text)] $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = UnknownValue;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                match value {
                    $($text => Ok($name::$variant),)+
                    _ => Err(UnknownValue {
                        value: value.to_owned(),
                        expected: concat!($($text, " "),+),
                    }),
                }
            }
        }
    };
}

text_enum!(
    /// What a user may do; checked by `accounts::authorize` and `tasks::Permission`.
    Role {
        Admin => "admin",
        Secretariat => "secretariat",
        Department => "department",
        Viewer => "viewer",
    }
);

impl Role {
    /// Admins and the secretariat run the review and manage meetings.
    pub fn is_secretariat(self) -> bool {
        matches!(self, Role::Admin | Role::Secretariat)
    }
}

text_enum!(
    /// draft → open → done | cancelled; done can be reopened.
    TaskStatus {
        Draft => "draft",
        Open => "open",
        Done => "done",
        Cancelled => "cancelled",
    }
);

text_enum!(
    /// request (someone is asked), commitment (someone undertakes), report (a report-back is asked for).
    TaskKind {
        Request => "request",
        Commitment => "commitment",
        Report => "report",
    }
);

text_enum!(
    /// How a due date was given: a date, the body's next meeting, as soon as possible, or none.
    DueKind {
        Date => "date",
        NextMeeting => "next_meeting",
        Asap => "asap",
        None => "none",
    }
);

text_enum!(
    /// A meeting that has not taken place yet (`scheduled`; the next meeting of a
    /// body is its earliest one), or one that took place (`held`; its minutes exist).
    MeetingStatus {
        Scheduled => "scheduled",
        Held => "held",
    }
);

text_enum!(
    /// Where a reminder mail is: queued, on the wire, sent, failed for good, or
    /// withdrawn unsent because what it announced changed (the meeting moved).
    OutboxStatus {
        Pending => "pending",
        Sending => "sending",
        Sent => "sent",
        Failed => "failed",
        Superseded => "superseded",
    }
);

text_enum!(
    /// What a task event in the audit trail records.
    EventAction {
        Created => "created",
        Confirmed => "confirmed",
        Edited => "edited",
        Completed => "completed",
        Cancelled => "cancelled",
        Rejected => "rejected",
        Reopened => "reopened",
        Merged => "merged",
        MergedAway => "merged_away",
        NoteAdded => "note_added",
        DueRebound => "due_rebound",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_text() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(*role));
        }
        for status in TaskStatus::ALL {
            assert_eq!(status.as_str().parse::<TaskStatus>(), Ok(*status));
        }
        for kind in DueKind::ALL {
            assert_eq!(
                serde_json::to_value(kind).expect("serializes"),
                serde_json::Value::String(kind.as_str().to_owned())
            );
        }
    }

    #[test]
    fn unknown_value_lists_the_expected_ones() {
        let error = "boss".parse::<Role>().expect_err("not a role");
        assert!(
            error
                .to_string()
                .contains("admin secretariat department viewer")
        );
    }
}
