//! When a task is overdue, and when it is due by a meeting. Each rule is one
//! query-building function (for the task list, the reports' counts) and one
//! predicate over a task's fields (for pages and the reminder planners, which
//! hold the rows already); the two say the same thing.
use chrono::NaiveDate;
use sea_orm::{
    ColumnTrait, Condition,
    sea_query::{Expr, ExprTrait},
};

use super::TaskView;
use crate::{
    domain::TaskStatus,
    entities::{meeting, task},
    meetings::next,
};

/// Open, and due before `today`.
pub fn overdue(today: NaiveDate) -> Condition {
    Condition::all()
        .add(task::Column::Status.eq(TaskStatus::Open))
        .add(task::Column::DueOn.lt(today))
}

/// Due by the next meeting of the task's own body: bound to it, or due on or
/// before its date. (Status aside: combine with [`overdue`] or a status filter.)
pub fn due_by_next_meeting(today: NaiveDate) -> Condition {
    let body = || Expr::col((task::Entity, task::Column::BodyId));
    Condition::any()
        .add(
            Expr::col((task::Entity, task::Column::DueMeetingId)).eq(Expr::from(next::of_body(
                body(),
                meeting::Column::Id,
                today,
            ))),
        )
        .add(
            Expr::col((task::Entity, task::Column::DueOn)).lte(Expr::from(next::of_body(
                body(),
                meeting::Column::HeldOn,
                today,
            ))),
        )
}

/// The fields the rules read, from a row, a view or a planner's column subset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadline {
    pub status: TaskStatus,
    pub body_id: i32,
    pub due_on: Option<NaiveDate>,
    pub due_meeting_id: Option<i32>,
}

impl Deadline {
    /// [`overdue`] for one task.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.status == TaskStatus::Open && self.due_on.is_some_and(|due| due < today)
    }

    /// Due by `meeting`: bound to it, or of its body and due on or before its
    /// date. With the next meeting of the task's body, [`due_by_next_meeting`]
    /// for one task.
    pub fn is_due_by(&self, meeting: &meeting::Model) -> bool {
        self.due_meeting_id == Some(meeting.id)
            || (self.body_id == meeting.body_id
                && self.due_on.is_some_and(|due| due <= meeting.held_on))
    }
}

impl From<&task::Model> for Deadline {
    fn from(task: &task::Model) -> Self {
        Self {
            status: task.status,
            body_id: task.body_id,
            due_on: task.due_on,
            due_meeting_id: task.due_meeting_id,
        }
    }
}

impl From<&TaskView> for Deadline {
    fn from(task: &TaskView) -> Self {
        Self {
            status: task.status,
            body_id: task.body_id,
            due_on: task.due_on,
            due_meeting_id: task.due_meeting_id,
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;
    use crate::domain::MeetingStatus;

    fn date(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, d).expect("date")
    }

    fn meeting(id: i32, body_id: i32, held_on: NaiveDate) -> meeting::Model {
        meeting::Model {
            id,
            body_id,
            title: String::new(),
            held_on,
            starts_at: None,
            ends_at: None,
            place: None,
            status: MeetingStatus::Scheduled,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    #[test]
    fn overdue_is_open_and_before_today() {
        let open = Deadline {
            status: TaskStatus::Open,
            body_id: 1,
            due_on: Some(date(15)),
            due_meeting_id: None,
        };
        assert!(open.is_overdue(date(16)));
        assert!(!open.is_overdue(date(15)));
        let done = Deadline {
            status: TaskStatus::Done,
            ..open
        };
        assert!(!done.is_overdue(date(16)));
        let undated = Deadline {
            due_on: None,
            ..open
        };
        assert!(!undated.is_overdue(date(30)));
    }

    #[test]
    fn due_by_a_meeting_of_its_own_body() {
        let next = meeting(7, 1, date(30));
        let task = |body_id, due_on, due_meeting_id| Deadline {
            status: TaskStatus::Open,
            body_id,
            due_on,
            due_meeting_id,
        };
        assert!(task(1, Some(date(30)), Some(7)).is_due_by(&next));
        assert!(task(1, Some(date(20)), None).is_due_by(&next));
        assert!(!task(1, Some(date(30) + chrono::Days::new(1)), None).is_due_by(&next));
        assert!(
            !task(2, Some(date(20)), None).is_due_by(&next),
            "another body"
        );
        assert!(!task(1, None, None).is_due_by(&next));
    }
}
