//! Due dates: what a client may say ("a date", "the next meeting", "asap",
//! explicitly "none"), and binding "by the next meeting" to an actual meeting.
use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Deserialize;
use utoipa::ToSchema;

use super::{Actor, TaskError, audit, store};
use crate::{
    clock::Moment,
    domain::{DueKind, EventAction, FieldIssue, MeetingStatus, TaskStatus},
    entities::{meeting, task},
    meetings,
};

/// The due-date fields a client may send; at most one of them.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct DueInput {
    /// A local date, e.g. `2020-09-30`.
    #[serde(default)]
    pub due_on: Option<NaiveDate>,
    /// `true`: due by the body's next meeting (bound to it, follows it when it moves).
    #[serde(default)]
    pub due_next_meeting: Option<bool>,
    /// `asap` or `none` (or `date`/`next_meeting`, same as the fields above).
    #[serde(default)]
    pub due_kind: Option<DueKind>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DueChoice {
    Date(NaiveDate),
    NextMeeting,
    Asap,
    None,
}

impl DueChoice {
    pub fn kind(self) -> DueKind {
        match self {
            Self::Date(_) => DueKind::Date,
            Self::NextMeeting => DueKind::NextMeeting,
            Self::Asap => DueKind::Asap,
            Self::None => DueKind::None,
        }
    }
}

impl DueInput {
    /// The due date the client chose, if it chose one; `prefix` names the fields in errors.
    pub fn choice(&self, prefix: &str) -> Result<Option<DueChoice>, FieldIssue> {
        let conflict = || {
            FieldIssue::new(
                format!("{prefix}due_on"),
                "give only one of due_on, due_next_meeting and due_kind",
            )
        };
        let next = self.due_next_meeting == Some(true);
        match (self.due_on, next, self.due_kind) {
            (Some(_), true, _) => Err(conflict()),
            (Some(date), false, None | Some(DueKind::Date)) => Ok(Some(DueChoice::Date(date))),
            (Some(_), false, Some(_)) => Err(conflict()),
            (None, true, None | Some(DueKind::NextMeeting)) => Ok(Some(DueChoice::NextMeeting)),
            (None, true, Some(_)) => Err(conflict()),
            (None, false, Some(DueKind::Date)) => Err(FieldIssue::new(
                format!("{prefix}due_on"),
                "due_kind `date` needs due_on",
            )),
            (None, false, Some(DueKind::NextMeeting)) => Ok(Some(DueChoice::NextMeeting)),
            (None, false, Some(DueKind::Asap)) => Ok(Some(DueChoice::Asap)),
            (None, false, Some(DueKind::None)) => Ok(Some(DueChoice::None)),
            (None, false, None) => Ok(None),
        }
    }
}

/// Sets the task's due fields to `choice`; a next-meeting due date binds to the
/// body's next meeting when one is scheduled.
pub async fn apply<C: ConnectionTrait>(
    conn: &C,
    task: &mut task::Model,
    choice: DueChoice,
    today: NaiveDate,
) -> Result<(), TaskError> {
    task.due_kind = choice.kind();
    match choice {
        DueChoice::Date(date) => {
            task.due_on = Some(date);
            task.due_meeting_id = None;
        }
        DueChoice::NextMeeting => {
            let next = meetings::next_meeting(conn, task.body_id, today).await?;
            task.due_meeting_id = next.as_ref().map(|m| m.id);
            task.due_on = next.map(|m| m.held_on);
        }
        DueChoice::Asap | DueChoice::None => {
            task.due_on = None;
            task.due_meeting_id = None;
        }
    }
    Ok(())
}

/// After a meeting of `body_id` was scheduled or moved: every draft or open task due
/// "by the next meeting" that is not bound to a meeting already held follows the
/// body's next meeting (or, when none is scheduled, the date of the meeting it is
/// bound to). Each moved task gets an audit event. Runs in the caller's transaction.
pub async fn rebind_next_meeting_tasks_in<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    body_id: i32,
    at: Moment,
) -> Result<usize, TaskError> {
    let next = meetings::next_meeting(conn, body_id, at.today()).await?;
    let scheduled: HashMap<i32, NaiveDate> = meeting::Entity::find()
        .filter(meeting::Column::BodyId.eq(body_id))
        .filter(meeting::Column::Status.eq(MeetingStatus::Scheduled))
        .all(conn)
        .await?
        .into_iter()
        .map(|m| (m.id, m.held_on))
        .collect();
    let candidates = task::Entity::find()
        .filter(task::Column::BodyId.eq(body_id))
        .filter(task::Column::DueKind.eq(DueKind::NextMeeting))
        .filter(task::Column::Status.is_in([TaskStatus::Draft, TaskStatus::Open]))
        .order_by_asc(task::Column::Id)
        .all(conn)
        .await?;
    let mut moved = 0;
    for before in candidates {
        let bound_to_scheduled = match before.due_meeting_id {
            None => true,
            Some(id) => scheduled.contains_key(&id),
        };
        if !bound_to_scheduled {
            continue;
        }
        let (meeting_id, due_on) = match (&next, before.due_meeting_id) {
            (Some(next), _) => (Some(next.id), Some(next.held_on)),
            (None, Some(id)) => (Some(id), scheduled.get(&id).copied()),
            (None, None) => (None, before.due_on),
        };
        if meeting_id == before.due_meeting_id && due_on == before.due_on {
            continue;
        }
        let mut after = before.clone();
        after.due_meeting_id = meeting_id;
        after.due_on = due_on;
        let mut changes = audit::Changes::new();
        changes
            .diff(
                "due_on",
                before.due_on.map(|d| d.to_string()),
                due_on.map(|d| d.to_string()),
            )
            .diff("due_meeting_id", before.due_meeting_id, meeting_id);
        store::save(conn, &before, after, at).await?;
        audit::record(
            conn,
            actor,
            before.id,
            EventAction::DueRebound,
            changes,
            at.now(),
        )
        .await?;
        moved += 1;
    }
    Ok(moved)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(due_on: Option<&str>, next: Option<bool>, kind: Option<DueKind>) -> DueInput {
        DueInput {
            due_on: due_on.map(|d| d.parse().expect("date")),
            due_next_meeting: next,
            due_kind: kind,
        }
    }

    #[test]
    fn one_way_of_giving_a_due_date_at_a_time() {
        let date = "2020-09-30".parse().expect("date");
        assert_eq!(
            input(Some("2020-09-30"), None, None).choice(""),
            Ok(Some(DueChoice::Date(date)))
        );
        assert_eq!(
            input(None, Some(true), None).choice(""),
            Ok(Some(DueChoice::NextMeeting))
        );
        assert_eq!(input(None, Some(false), None).choice(""), Ok(None));
        assert_eq!(
            input(None, None, Some(DueKind::None)).choice(""),
            Ok(Some(DueChoice::None))
        );
        assert_eq!(
            input(None, None, Some(DueKind::Asap)).choice(""),
            Ok(Some(DueChoice::Asap))
        );
        let conflict = input(Some("2020-09-30"), Some(true), None).choice("items[2].");
        assert_eq!(
            conflict.map_err(|e| e.field),
            Err("items[2].due_on".to_owned())
        );
        assert!(input(None, None, Some(DueKind::Date)).choice("").is_err());
        assert!(
            input(Some("2020-09-30"), None, Some(DueKind::Asap))
                .choice("")
                .is_err()
        );
    }
}
