//! Deciding which mails are due at an instant: the weekly digest, the reminders
//! before a meeting and the escalation to the secretariat. Each `plan_*` decides
//! and inserts its outbox rows in one transaction; the UNIQUE dedupe key makes a
//! rerun, a restart or a second instance a no-op.
use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, FromQueryResult, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionTrait, sea_query::OnConflict,
};
use serde::Serialize;

use super::{ReminderError, links::LinkSigner, outbox};
use crate::{
    clock::Moment,
    config::Settings,
    domain::{MeetingStatus, TaskStatus},
    entities::{body, department, department_recipient, meeting, scheduler_run, task},
    mail::{MailKind, render},
    meetings,
    tasks::rules::Deadline,
};

/// The `scheduler_run` job name of the weekly digest.
pub const WEEKLY_JOB: &str = "weekly";

/// One mail the planner decided on (to be, or already, queued).
#[derive(Debug, Clone, Serialize)]
pub struct PlannedMail {
    pub dedupe_key: String,
    pub kind: MailKind,
    pub department_id: Option<i32>,
    pub recipients: Vec<String>,
    pub locale: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub items: usize,
}

/// What a planning run did: the mails it queued (or, dry, would queue).
#[derive(Debug, Clone, Default, Serialize)]
pub struct PlanReport {
    pub queued: Vec<PlannedMail>,
    /// Departments that would have had mail but have no recipients.
    pub skipped_no_recipients: Vec<String>,
}

impl PlanReport {
    pub fn extend(&mut self, other: PlanReport) {
        self.queued.extend(other.queued);
        self.skipped_no_recipients
            .extend(other.skipped_no_recipients);
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Queue,
    DryRun,
}

/// An item as the templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct ItemView {
    pub id: i32,
    pub summary: String,
    pub due: Option<String>,
    pub overdue_days: i64,
    pub origin: String,
    pub origin_date: String,
    pub link: String,
    pub done_link: Option<String>,
    pub department: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
struct MeetingView {
    title: String,
    date: String,
    starts_at: Option<String>,
}

/// The local date of `now` in the configured time zone.
pub fn local_today(settings: &Settings, now: DateTime<Utc>) -> NaiveDate {
    Moment::new(now, settings.time_zone()).today()
}

/// ISO week label such as `2026-W47` (ISO week-numbering year).
pub fn iso_week_label(date: NaiveDate) -> String {
    let week = date.iso_week();
    format!("{}-W{:02}", week.year(), week.week())
}

/// The most recent weekly fire instant at or before `now`, if it is at most
/// `catch_up_hours` old (at least five minutes, so a normal tick never misses it).
pub fn weekly_fire(settings: &Settings, now: DateTime<Utc>) -> Option<DateTime<Tz>> {
    let tz = settings.reminders.timezone;
    let window =
        Duration::hours(i64::from(settings.reminders.catch_up_hours)).max(Duration::minutes(5));
    let start = (now - window - Duration::seconds(1)).with_timezone(&tz);
    settings
        .reminders
        .weekly_cron
        .schedule()
        .after(&start)
        .take_while(|fire| fire.with_timezone(&Utc) <= now)
        .last()
}

#[derive(Serialize)]
struct WeeklyContext<'a> {
    department: &'a str,
    week: &'a str,
    today: &'a str,
    total: usize,
    overdue: &'a [ItemView],
    due_next: &'a [ItemView],
    rest: &'a [ItemView],
    next_meeting: Option<&'a MeetingView>,
    contact: &'a str,
}

/// Everything the planner reads, loaded once per run.
struct Snapshot {
    departments: HashMap<i32, department::Model>,
    recipients: HashMap<i32, Vec<department_recipient::Model>>,
    meetings: HashMap<i32, meeting::Model>,
}

impl Snapshot {
    async fn load(db: &impl ConnectionTrait) -> Result<Self, ReminderError> {
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
        let meetings = meeting::Entity::find()
            .all(db)
            .await?
            .into_iter()
            .map(|m| (m.id, m))
            .collect();
        Ok(Self {
            departments,
            recipients,
            meetings,
        })
    }

    fn department_name(&self, id: i32) -> String {
        self.departments
            .get(&id)
            .map(|d| d.name.clone())
            .unwrap_or_else(|| format!("#{id}"))
    }

    fn secretariat(&self) -> Option<&department::Model> {
        let mut all: Vec<&department::Model> = self
            .departments
            .values()
            .filter(|d| d.is_secretariat)
            .collect();
        all.sort_by_key(|d| d.id);
        all.first().copied()
    }

    /// The next meeting of each body.
    fn next_meetings(&self, today: NaiveDate) -> HashMap<i32, &meeting::Model> {
        meetings::next::next_by_body(self.meetings.values(), today)
    }
}

/// Builds the item views; `signer` and `department` given for a department's own
/// mail (one-click links), none for a secretariat mail.
struct ItemBuilder<'a> {
    settings: &'a Settings,
    snapshot: &'a Snapshot,
    signer: &'a LinkSigner,
    today: NaiveDate,
    now: DateTime<Utc>,
}

impl ItemBuilder<'_> {
    fn view(&self, task: &OpenTask, with_done_link: bool, with_department: bool) -> ItemView {
        let base = self.settings.server.public_url.trim_end_matches('/');
        let origin = self.snapshot.meetings.get(&task.meeting_id);
        let owner = task.owner_department_id.unwrap_or_default();
        ItemView {
            id: task.id,
            summary: task.summary.clone(),
            due: task.due_on.map(|d| d.to_string()),
            overdue_days: task
                .due_on
                .map(|d| (self.today - d).num_days().max(0))
                .unwrap_or(0),
            origin: origin.map(|m| m.title.clone()).unwrap_or_default(),
            origin_date: origin.map(|m| m.held_on.to_string()).unwrap_or_default(),
            link: format!("{base}/tasks/{}", task.id),
            done_link: with_done_link.then(|| {
                format!(
                    "{base}/act/{}",
                    self.signer.done_token(task.id, owner, self.now)
                )
            }),
            department: with_department.then(|| self.snapshot.department_name(owner)),
        }
    }
}

/// The columns of an open task the mails need (loading whole rows is the
/// dominant cost of a large weekly run).
#[derive(Debug, Clone, FromQueryResult)]
pub struct OpenTask {
    pub id: i32,
    pub body_id: i32,
    pub meeting_id: i32,
    pub summary: String,
    pub owner_department_id: Option<i32>,
    pub due_on: Option<NaiveDate>,
    pub due_meeting_id: Option<i32>,
}

impl OpenTask {
    fn deadline(&self) -> Deadline {
        Deadline {
            status: TaskStatus::Open,
            body_id: self.body_id,
            due_on: self.due_on,
            due_meeting_id: self.due_meeting_id,
        }
    }
}

/// Open tasks with an owner, in due order (no due date last), then by id.
async fn open_tasks(db: &impl ConnectionTrait) -> Result<Vec<OpenTask>, ReminderError> {
    let mut tasks = task::Entity::find()
        .select_only()
        .columns([
            task::Column::Id,
            task::Column::BodyId,
            task::Column::MeetingId,
            task::Column::Summary,
            task::Column::OwnerDepartmentId,
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

/// The keys among `keys` already in the outbox.
async fn existing_keys(
    db: &impl ConnectionTrait,
    prefix: &str,
) -> Result<HashSet<String>, ReminderError> {
    Ok(outbox::existing_keys_with_prefix(db, prefix).await?)
}

/// One mail per locale group of `department_id`'s recipients (`ja` keeps the
/// base key; another locale appends `:en`).
#[allow(clippy::too_many_arguments)]
fn mails_for_recipients<C: Serialize>(
    report: &mut PlanReport,
    snapshot: &Snapshot,
    existing: &HashSet<String>,
    base_key: &str,
    kind: MailKind,
    department_id: i32,
    items: usize,
    context: &impl Fn(&str) -> C,
) -> Result<(), ReminderError> {
    let Some(recipients) = snapshot
        .recipients
        .get(&department_id)
        .filter(|r| !r.is_empty())
    else {
        let name = snapshot.department_name(department_id);
        tracing::warn!(department = %name, key = base_key, "no mail recipients; not mailed");
        report.skipped_no_recipients.push(name);
        return Ok(());
    };
    let mut groups: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for r in recipients {
        let locale = if r.locale == "en" { "en" } else { "ja" };
        groups.entry(locale).or_default().push(r.email.clone());
    }
    for (locale, to) in groups {
        let key = if locale == "ja" {
            base_key.to_owned()
        } else {
            format!("{base_key}:{locale}")
        };
        if existing.contains(&key) {
            continue;
        }
        let rendered = render(kind, locale, &context(locale))?;
        report.queued.push(PlannedMail {
            dedupe_key: key,
            kind,
            department_id: Some(department_id),
            recipients: to,
            locale: locale.to_owned(),
            subject: rendered.subject,
            text: rendered.text,
            html: rendered.html,
            items,
        });
    }
    Ok(())
}

/// Inserts the planned rows (ON CONFLICT DO NOTHING on the dedupe key); keeps in
/// the report only those this run inserted.
async fn queue(
    db: &impl ConnectionTrait,
    settings: &Settings,
    report: PlanReport,
    now: DateTime<Utc>,
) -> Result<PlanReport, ReminderError> {
    let mut queued = Vec::with_capacity(report.queued.len());
    for mail in report.queued {
        if outbox::insert(db, settings, &mail, now).await? {
            queued.push(mail);
        }
    }
    Ok(PlanReport {
        queued,
        skipped_no_recipients: report.skipped_no_recipients,
    })
}

/// The weekly digest, if a fire instant of `reminders.weekly_cron` is due at
/// `now` and not yet run (caught up within `reminders.catch_up_hours`).
pub async fn plan_weekly(
    db: &DatabaseConnection,
    settings: &Settings,
    now: DateTime<Utc>,
) -> Result<PlanReport, ReminderError> {
    plan_weekly_with(db, settings, now, Mode::Queue).await
}

pub async fn plan_weekly_with(
    db: &DatabaseConnection,
    settings: &Settings,
    now: DateTime<Utc>,
    mode: Mode,
) -> Result<PlanReport, ReminderError> {
    let Some(fire) = weekly_fire(settings, now) else {
        return Ok(PlanReport::default());
    };
    let fire_utc = fire.with_timezone(&Utc);
    let signer = LinkSigner::load(db, settings).await?;
    let txn = db.begin().await?;
    let done = scheduler_run::Entity::find_by_id(WEEKLY_JOB)
        .one(&txn)
        .await?
        .is_some_and(|run| run.last_fire_at >= fire_utc);
    if done {
        return Ok(PlanReport::default());
    }
    let week = iso_week_label(fire.date_naive());
    let report = compose_weekly(&txn, settings, &signer, now, &week).await?;
    if mode == Mode::DryRun {
        return Ok(report);
    }
    let report = queue(&txn, settings, report, now).await?;
    scheduler_run::Entity::insert(scheduler_run::ActiveModel {
        job: Set(WEEKLY_JOB.to_owned()),
        last_fire_at: Set(fire_utc),
    })
    .on_conflict(
        OnConflict::column(scheduler_run::Column::Job)
            .update_column(scheduler_run::Column::LastFireAt)
            .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    txn.commit().await?;
    tracing::info!(week, queued = report.queued.len(), "weekly digest planned");
    Ok(report)
}

/// The digests of week `week`: one per department with open items, overdue
/// first, then due by the next meeting, then the rest.
pub async fn compose_weekly(
    db: &impl ConnectionTrait,
    settings: &Settings,
    signer: &LinkSigner,
    now: DateTime<Utc>,
    week: &str,
) -> Result<PlanReport, ReminderError> {
    let prefix = format!("weekly:{week}:");
    let existing = existing_keys(db, &prefix).await?;
    let snapshot = Snapshot::load(db).await?;
    let today = local_today(settings, now);
    let next = snapshot.next_meetings(today);
    let builder = ItemBuilder {
        settings,
        snapshot: &snapshot,
        signer,
        today,
        now,
    };
    let mut by_department: BTreeMap<i32, Vec<&OpenTask>> = BTreeMap::new();
    let tasks = open_tasks(db).await?;
    for t in &tasks {
        if let Some(owner) = t.owner_department_id {
            by_department.entry(owner).or_default().push(t);
        }
    }
    let mut report = PlanReport::default();
    for (department_id, tasks) in by_department {
        let base_key = format!("{prefix}dept:{department_id}");
        if existing.contains(&base_key) && existing.contains(&format!("{base_key}:en")) {
            continue;
        }
        let (mut overdue, mut due_next, mut rest) = (Vec::new(), Vec::new(), Vec::new());
        let mut next_meeting: Option<&meeting::Model> = None;
        for t in &tasks {
            let view = builder.view(t, true, false);
            let next_of_body = next.get(&t.body_id).copied();
            let deadline = t.deadline();
            let due_by_next = next_of_body.is_some_and(|m| deadline.is_due_by(m));
            if deadline.is_overdue(today) {
                overdue.push(view);
            } else if due_by_next {
                if let Some(m) = next_of_body
                    && next_meeting.is_none_or(|n| m.held_on < n.held_on)
                {
                    next_meeting = Some(m);
                }
                due_next.push(view);
            } else {
                rest.push(view);
            }
        }
        let total = tasks.len();
        let name = snapshot.department_name(department_id);
        let next_view = next_meeting.map(|m| MeetingView {
            title: m.title.clone(),
            date: m.held_on.to_string(),
            starts_at: m.starts_at.clone(),
        });
        let today = today.to_string();
        let context = |_locale: &str| WeeklyContext {
            department: &name,
            week,
            today: &today,
            total,
            overdue: &overdue,
            due_next: &due_next,
            rest: &rest,
            next_meeting: next_view.as_ref(),
            contact: &settings.mail.contact,
        };
        mails_for_recipients(
            &mut report,
            &snapshot,
            &existing,
            &base_key,
            MailKind::Weekly,
            department_id,
            total,
            &context,
        )?;
    }
    Ok(report)
}

/// For each scheduled meeting, on the latest `pre_meeting_days` threshold crossed
/// (e.g. 7 or 1 days before): one mail per department with open items due by that
/// meeting, and a summary to the secretariat. The key carries the meeting's id,
/// its date and the threshold, so a rescheduled meeting gets reminders for its new
/// date.
pub async fn plan_pre_meeting(
    db: &DatabaseConnection,
    settings: &Settings,
    now: DateTime<Utc>,
) -> Result<PlanReport, ReminderError> {
    plan_pre_meeting_with(db, settings, now, Mode::Queue).await
}

pub async fn plan_pre_meeting_with(
    db: &DatabaseConnection,
    settings: &Settings,
    now: DateTime<Utc>,
    mode: Mode,
) -> Result<PlanReport, ReminderError> {
    plan_daily(db, settings, now, mode, DailyJob::PreMeeting).await
}

/// The jobs that compose from the day's state alone (no fire-time bookkeeping).
#[derive(Debug, Clone, Copy)]
enum DailyJob {
    PreMeeting,
    Escalations,
}

/// Composes one daily job and, unless a dry run, queues it, in one transaction.
async fn plan_daily(
    db: &DatabaseConnection,
    settings: &Settings,
    now: DateTime<Utc>,
    mode: Mode,
    job: DailyJob,
) -> Result<PlanReport, ReminderError> {
    let signer = LinkSigner::load(db, settings).await?;
    let txn = db.begin().await?;
    let report = match job {
        DailyJob::PreMeeting => compose_pre_meeting(&txn, settings, &signer, now).await?,
        DailyJob::Escalations => compose_escalations(&txn, settings, &signer, now).await?,
    };
    if mode == Mode::DryRun {
        return Ok(report);
    }
    let report = queue(&txn, settings, report, now).await?;
    txn.commit().await?;
    Ok(report)
}

/// The start of the dedupe key of every pre-meeting mail for meeting
/// `meeting_id` held on `held_on`.
pub fn pre_meeting_prefix(meeting_id: i32, held_on: NaiveDate) -> String {
    format!("premeeting:meeting:{meeting_id}:{held_on}:")
}

/// The meeting `meeting_id` moved away from `old_date`: its pre-meeting mails
/// for that date that have not gone out are withdrawn (see
/// [`outbox::supersede`]). Call it in the transaction that moves the meeting.
pub async fn withdraw_pre_meeting(
    db: &impl ConnectionTrait,
    meeting_id: i32,
    old_date: NaiveDate,
) -> Result<u64, sea_orm::DbErr> {
    outbox::supersede(db, &pre_meeting_prefix(meeting_id, old_date)).await
}

/// The threshold (days before) a meeting `days_until` away falls under: the
/// smallest configured value at or above it.
pub fn pre_meeting_threshold(days: &[u32], days_until: i64) -> Option<u32> {
    if days_until <= 0 {
        return None;
    }
    days.iter()
        .copied()
        .filter(|d| i64::from(*d) >= days_until)
        .min()
}

pub async fn compose_pre_meeting(
    db: &impl ConnectionTrait,
    settings: &Settings,
    signer: &LinkSigner,
    now: DateTime<Utc>,
) -> Result<PlanReport, ReminderError> {
    let today = local_today(settings, now);
    let Some(max_days) = settings.reminders.pre_meeting_days.iter().copied().max() else {
        return Ok(PlanReport::default());
    };
    let horizon = today + Duration::days(i64::from(max_days));
    // PostgreSQL: a meeting being moved withdraws the rows of its old date in
    // its own transaction; sharing the meeting rows until this transaction
    // commits keeps us from queuing old-date rows just after that. (SQLite has
    // no row locks; its single writer fails a planner that read the old date at
    // its first insert instead.)
    let meetings = meeting::Entity::find()
        .filter(meeting::Column::Status.eq(MeetingStatus::Scheduled))
        .filter(meeting::Column::HeldOn.gt(today))
        .filter(meeting::Column::HeldOn.lte(horizon))
        .order_by_asc(meeting::Column::HeldOn)
        .order_by_asc(meeting::Column::Id)
        .lock_shared()
        .all(db)
        .await?;
    let mut report = PlanReport::default();
    if meetings.is_empty() {
        return Ok(report);
    }
    let existing = existing_keys(db, "premeeting:").await?;
    let snapshot = Snapshot::load(db).await?;
    let tasks = open_tasks(db).await?;
    let builder = ItemBuilder {
        settings,
        snapshot: &snapshot,
        signer,
        today,
        now,
    };
    for m in meetings {
        let days_until = (m.held_on - today).num_days();
        let Some(threshold) =
            pre_meeting_threshold(&settings.reminders.pre_meeting_days, days_until)
        else {
            continue;
        };
        let prefix = format!("{}d{threshold}", pre_meeting_prefix(m.id, m.held_on));
        let due: Vec<&OpenTask> = tasks
            .iter()
            .filter(|t| t.deadline().is_due_by(&m))
            .collect();
        if due.is_empty() {
            continue;
        }
        let meeting_view = MeetingView {
            title: m.title.clone(),
            date: m.held_on.to_string(),
            starts_at: m.starts_at.clone(),
        };
        let mut by_department: BTreeMap<i32, Vec<&OpenTask>> = BTreeMap::new();
        for t in &due {
            if let Some(owner) = t.owner_department_id {
                by_department.entry(owner).or_default().push(t);
            }
        }
        let mut groups = Vec::new();
        for (department_id, tasks) in &by_department {
            let name = snapshot.department_name(*department_id);
            let items: Vec<ItemView> = tasks.iter().map(|t| builder.view(t, true, false)).collect();
            let context = |_locale: &str| {
                serde_json::json!({
                    "department": name,
                    "meeting": meeting_view,
                    "days_before": days_until,
                    "items": items,
                    "contact": settings.mail.contact,
                })
            };
            mails_for_recipients(
                &mut report,
                &snapshot,
                &existing,
                &format!("{prefix}:dept:{department_id}"),
                MailKind::PreMeeting,
                *department_id,
                items.len(),
                &context,
            )?;
            groups.push(serde_json::json!({
                "name": name,
                "items": tasks.iter().map(|t| builder.view(t, false, false)).collect::<Vec<_>>(),
            }));
        }
        // The body's own secretariat when it names one, else the 事務局 department.
        let secretariat = body::Entity::find_by_id(m.body_id)
            .one(db)
            .await?
            .and_then(|b| b.secretariat_department_id)
            .or_else(|| snapshot.secretariat().map(|d| d.id));
        match secretariat {
            Some(secretariat_id) => {
                let total = due.len();
                let context = |_locale: &str| {
                    serde_json::json!({
                        "meeting": meeting_view,
                        "days_before": days_until,
                        "departments": groups,
                        "total": total,
                        "contact": settings.mail.contact,
                    })
                };
                mails_for_recipients(
                    &mut report,
                    &snapshot,
                    &existing,
                    &format!("{prefix}:secretariat"),
                    MailKind::PreMeetingSummary,
                    secretariat_id,
                    total,
                    &context,
                )?;
            }
            None => tracing::warn!(meeting = m.id, "no secretariat department; no summary"),
        }
    }
    Ok(report)
}

/// Items overdue by more than `escalate_after_days`, listed to the secretariat
/// once per (local) day.
pub async fn plan_escalations(
    db: &DatabaseConnection,
    settings: &Settings,
    now: DateTime<Utc>,
) -> Result<PlanReport, ReminderError> {
    plan_escalations_with(db, settings, now, Mode::Queue).await
}

pub async fn plan_escalations_with(
    db: &DatabaseConnection,
    settings: &Settings,
    now: DateTime<Utc>,
    mode: Mode,
) -> Result<PlanReport, ReminderError> {
    plan_daily(db, settings, now, mode, DailyJob::Escalations).await
}

pub async fn compose_escalations(
    db: &impl ConnectionTrait,
    settings: &Settings,
    signer: &LinkSigner,
    now: DateTime<Utc>,
) -> Result<PlanReport, ReminderError> {
    let today = local_today(settings, now);
    let key = format!("escalation:{today}");
    let existing = existing_keys(db, &key).await?;
    let mut report = PlanReport::default();
    if existing.contains(&key) && existing.contains(&format!("{key}:en")) {
        return Ok(report);
    }
    let after = i64::from(settings.reminders.escalate_after_days);
    let cutoff = today - Duration::days(after);
    let tasks: Vec<OpenTask> = open_tasks(db)
        .await?
        .into_iter()
        .filter(|t| t.deadline().is_overdue(cutoff))
        .collect();
    if tasks.is_empty() {
        return Ok(report);
    }
    let snapshot = Snapshot::load(db).await?;
    let Some(secretariat) = snapshot.secretariat() else {
        tracing::warn!("items to escalate but no secretariat department");
        return Ok(report);
    };
    let builder = ItemBuilder {
        settings,
        snapshot: &snapshot,
        signer,
        today,
        now,
    };
    let items: Vec<ItemView> = tasks.iter().map(|t| builder.view(t, false, true)).collect();
    let context = |_locale: &str| {
        serde_json::json!({
            "today": today.to_string(),
            "after_days": after,
            "items": items,
            "contact": settings.mail.contact,
        })
    };
    mails_for_recipients(
        &mut report,
        &snapshot,
        &existing,
        &key,
        MailKind::Escalation,
        secretariat.id,
        items.len(),
        &context,
    )?;
    Ok(report)
}

/// All three planners at `now`.
pub async fn plan_all(
    db: &DatabaseConnection,
    settings: &Settings,
    now: DateTime<Utc>,
    mode: Mode,
) -> Result<PlanReport, ReminderError> {
    let mut report = plan_weekly_with(db, settings, now, mode).await?;
    report.extend(plan_pre_meeting_with(db, settings, now, mode).await?);
    report.extend(plan_escalations_with(db, settings, now, mode).await?);
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_pick_the_latest_crossed() {
        let days = [7, 1];
        assert_eq!(pre_meeting_threshold(&days, 8), None);
        assert_eq!(pre_meeting_threshold(&days, 7), Some(7));
        assert_eq!(pre_meeting_threshold(&days, 5), Some(7));
        assert_eq!(pre_meeting_threshold(&days, 2), Some(7));
        assert_eq!(pre_meeting_threshold(&days, 1), Some(1));
        assert_eq!(pre_meeting_threshold(&days, 0), None);
        assert_eq!(pre_meeting_threshold(&[], 3), None);
    }

    #[test]
    fn default_cron_fires_monday_nine_tokyo() {
        let settings = Settings::defaults().expect("defaults");
        let at = |s: &str| {
            DateTime::parse_from_rfc3339(s)
                .expect("instant")
                .with_timezone(&Utc)
        };
        assert!(weekly_fire(&settings, at("2026-11-23T08:59:59+09:00")).is_none());
        let fire = weekly_fire(&settings, at("2026-11-23T09:00:00+09:00")).expect("fires");
        assert_eq!(fire.to_rfc3339(), "2026-11-23T09:00:00+09:00");
        assert!(weekly_fire(&settings, at("2026-11-24T09:00:01+09:00")).is_none());
    }
}
