//! 宿題事項一覧: the follow-up report the secretariat hands out at the next
//! meeting — every confirmed task still open or done, with owner, due date,
//! status and latest note, grouped by department.
use std::collections::BTreeMap;

use chrono::NaiveDate;
use sea_orm::ConnectionTrait;
use serde::Serialize;

use crate::{
    clock::Moment,
    domain::{DueKind, TaskStatus},
    meetings::{self, MeetingView},
    tasks::{self, Actor, TaskError, TaskFilter, rules::Deadline},
};

#[derive(Debug, Clone, Serialize)]
pub struct FollowUpReport {
    /// The date the report is as of.
    pub today: NaiveDate,
    /// The earliest upcoming meeting of any body: the one the report is for.
    pub next_meeting: Option<MeetingView>,
    /// By owner department name; unassigned tasks first.
    pub groups: Vec<ReportGroup>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReportGroup {
    pub department: Option<String>,
    pub items: Vec<ReportItem>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReportItem {
    pub id: i32,
    pub summary: String,
    /// The title of the meeting the task comes from.
    pub meeting: String,
    pub due_on: Option<NaiveDate>,
    pub due_kind: DueKind,
    pub status: TaskStatus,
    pub overdue: bool,
    /// The newest progress note, else the completion note.
    pub latest_note: Option<String>,
}

/// The report as `actor` may see it at `at`.
pub async fn follow_up<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    at: Moment,
) -> Result<FollowUpReport, TaskError> {
    let today = at.today();
    let next_meeting = meetings::next_meeting_of_any(conn, today).await?;
    let listed: Vec<_> = tasks::list_all(conn, actor, &TaskFilter::default(), at)
        .await?
        .into_iter()
        .filter(|t| matches!(t.status, TaskStatus::Open | TaskStatus::Done))
        .collect();
    let ids: Vec<i32> = listed.iter().map(|t| t.id).collect();
    let mut notes = tasks::latest_notes(conn, &ids).await?;
    let mut groups: BTreeMap<Option<String>, Vec<ReportItem>> = BTreeMap::new();
    for task in listed {
        let latest_note = notes
            .remove(&task.id)
            .map(|n| n.body)
            .or_else(|| task.completion_note.clone());
        groups
            .entry(task.owner.clone())
            .or_default()
            .push(ReportItem {
                overdue: Deadline::from(&task).is_overdue(today),
                id: task.id,
                summary: task.summary,
                meeting: task.meeting_title.unwrap_or_default(),
                due_on: task.due_on,
                due_kind: task.due_kind,
                status: task.status,
                latest_note,
            });
    }
    Ok(FollowUpReport {
        today,
        next_meeting: next_meeting.map(MeetingView::from),
        groups: groups
            .into_iter()
            .map(|(department, items)| ReportGroup { department, items })
            .collect(),
    })
}
