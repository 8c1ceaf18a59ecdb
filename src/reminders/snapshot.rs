//! Loading: everything the reminder kinds read, read once per planning run in
//! the run's transaction. The kinds themselves touch no database.
use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, QueryFilter,
    QueryOrder, QuerySelect,
};

use super::outbox;
use crate::{
    domain::{DueKind, TaskStatus},
    entities::{body, department, department_recipient, meeting, task},
    meetings::next,
    tasks::rules::Deadline,
};

/// The columns of an open task the mails need (loading whole rows is the
/// dominant cost of a large weekly run).
#[derive(Debug, Clone, FromQueryResult)]
pub struct OpenTask {
    pub id: i32,
    pub body_id: i32,
    pub meeting_id: i32,
    pub summary: String,
    pub owner_department_id: Option<i32>,
    pub due_kind: DueKind,
    pub due_on: Option<NaiveDate>,
    pub due_meeting_id: Option<i32>,
}

impl OpenTask {
    /// What the task rules (`tasks::rules`) read.
    pub fn deadline(&self) -> Deadline {
        Deadline {
            status: TaskStatus::Open,
            body_id: self.body_id,
            due_on: self.due_on,
            due_meeting_id: self.due_meeting_id,
        }
    }
}

/// The state of things at one planning run.
pub struct Snapshot {
    /// The local date of the run.
    pub today: NaiveDate,
    pub departments: HashMap<i32, department::Model>,
    pub recipients: HashMap<i32, Vec<department_recipient::Model>>,
    pub bodies: HashMap<i32, body::Model>,
    pub meetings: HashMap<i32, meeting::Model>,
    /// Open tasks with an owner, in due order (no due date last), then by id.
    pub tasks: Vec<OpenTask>,
    /// The dedupe keys already in the outbox under the prefixes asked for.
    pub existing_keys: HashSet<String>,
}

impl Snapshot {
    /// Loads the snapshot of `today` with the outbox keys under `key_prefixes`.
    ///
    /// The upcoming meetings are read `FOR SHARE` (PostgreSQL): a meeting being
    /// moved withdraws the reminders of its old date in its own transaction, and
    /// sharing its row until this run commits keeps the run from queuing old-date
    /// reminders just after that. (SQLite has no row locks; its single writer
    /// fails a run that read the old date at its first insert instead.)
    pub async fn load(
        db: &impl ConnectionTrait,
        today: NaiveDate,
        key_prefixes: &[String],
    ) -> Result<Self, DbErr> {
        let departments = department::Entity::find()
            .all(db)
            .await?
            .into_iter()
            .map(|d| (d.id, d))
            .collect();
        let mut recipients: HashMap<i32, Vec<department_recipient::Model>> = HashMap::new();
        for r in department_recipient::Entity::find()
            .order_by_asc(department_recipient::Column::Id)
            .all(db)
            .await?
        {
            recipients.entry(r.department_id).or_default().push(r);
        }
        let bodies = body::Entity::find()
            .all(db)
            .await?
            .into_iter()
            .map(|b| (b.id, b))
            .collect();
        let upcoming = meeting::Entity::find()
            .filter(next::upcoming(today))
            .lock_shared()
            .all(db)
            .await?;
        let others = meeting::Entity::find()
            .filter(Condition::not(next::upcoming(today)))
            .all(db)
            .await?;
        let meetings = upcoming
            .into_iter()
            .chain(others)
            .map(|m| (m.id, m))
            .collect();
        Ok(Self {
            today,
            departments,
            recipients,
            bodies,
            meetings,
            tasks: open_tasks(db).await?,
            existing_keys: outbox::existing_keys(db, key_prefixes).await?,
        })
    }

    pub fn department_name(&self, id: i32) -> String {
        self.departments
            .get(&id)
            .map(|d| d.name.clone())
            .unwrap_or_else(|| format!("#{id}"))
    }

    /// The 事務局 department (the first one marked as the secretariat).
    pub fn secretariat(&self) -> Option<&department::Model> {
        self.departments
            .values()
            .filter(|d| d.is_secretariat)
            .min_by_key(|d| d.id)
    }
}

/// Open tasks with an owner, in due order (no due date last), then by id.
async fn open_tasks(db: &impl ConnectionTrait) -> Result<Vec<OpenTask>, DbErr> {
    let mut tasks = task::Entity::find()
        .select_only()
        .columns([
            task::Column::Id,
            task::Column::BodyId,
            task::Column::MeetingId,
            task::Column::Summary,
            task::Column::OwnerDepartmentId,
            task::Column::DueKind,
            task::Column::DueOn,
            task::Column::DueMeetingId,
        ])
        .filter(task::Column::Status.eq(TaskStatus::Open))
        .filter(task::Column::OwnerDepartmentId.is_not_null())
        .into_model::<OpenTask>()
        .all(db)
        .await?;
    tasks.sort_by_key(|t| (t.due_on.is_none(), t.due_on, t.id));
    Ok(tasks)
}
