//! New drafts: from the importer (many at once, inside its transaction) and from the
//! secretariat adding an item the extractor missed.
use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, EntityTrait, Set, TransactionTrait,
};

use super::{Actor, DueChoice, TaskError, TaskView, audit, due, owner, view};
use crate::{
    clock::Moment,
    domain::{DueKind, EventAction, FieldIssue, TaskKind, TaskStatus, storable},
    entities::{meeting, task, task_evidence},
};

/// The longest summary accepted, in characters.
pub const MAX_SUMMARY_CHARS: usize = 2_000;
/// The longest evidence quote accepted, in characters.
pub const MAX_QUOTE_CHARS: usize = 20_000;

#[derive(Debug, Clone, PartialEq)]
pub struct NewEvidence {
    /// The source sentence(s), verbatim.
    pub quote: String,
    /// `[start, end)` in characters of the minutes text.
    pub span: Option<(i32, i32)>,
}

/// One extracted (or hand-added) item, as the extractor describes it.
#[derive(Debug, Clone, PartialEq)]
pub struct NewDraft {
    pub summary: String,
    pub kind: TaskKind,
    pub speaker: Option<String>,
    /// 0.0 ..= 1.0; other values are clamped.
    pub confidence: f64,
    /// The owner's name as read; resolved to a department (name or alias) when it
    /// matches one, kept as `suggested_owner` either way.
    pub suggested_owner: Option<String>,
    pub due_kind: DueKind,
    /// For `date`; for `next_meeting`, the date when the document states it and no
    /// meeting of the body is scheduled yet.
    pub due_on: Option<NaiveDate>,
    pub evidence: Option<NewEvidence>,
}

/// Stores `drafts` as draft tasks of `meeting_id` (from `minutes_id`), in one
/// transaction; their ids in order. For the importer's own transaction see
/// [`create_drafts_in`].
pub async fn create_drafts(
    db: &DatabaseConnection,
    actor: &Actor,
    meeting_id: i32,
    minutes_id: Option<i32>,
    drafts: Vec<NewDraft>,
    at: Moment,
) -> Result<Vec<i32>, TaskError> {
    let txn = db.begin().await?;
    let ids = create_drafts_in(&txn, actor, meeting_id, minutes_id, drafts, at).await?;
    txn.commit().await?;
    Ok(ids)
}

/// [`create_drafts`] inside the caller's transaction (the importer stores the
/// meeting, the minutes and the drafts as one unit).
pub async fn create_drafts_in<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    meeting_id: i32,
    minutes_id: Option<i32>,
    drafts: Vec<NewDraft>,
    at: Moment,
) -> Result<Vec<i32>, TaskError> {
    let meeting = meeting::Entity::find_by_id(meeting_id)
        .one(conn)
        .await?
        .ok_or(TaskError::NoSuchMeeting(meeting_id))?;
    let mut issues = Vec::new();
    for (i, draft) in drafts.iter().enumerate() {
        issues.extend(validate(draft, &format!("items[{i}].")));
    }
    if !issues.is_empty() {
        return Err(TaskError::Invalid(issues));
    }
    let mut ids = Vec::with_capacity(drafts.len());
    for draft in drafts {
        let created = insert(conn, actor, &meeting, minutes_id, draft, false, at).await?;
        ids.push(created.id);
    }
    Ok(ids)
}

/// The secretariat adds one draft to a meeting; unlike the importer, a named owner
/// must be a known department.
pub async fn create_draft(
    db: &DatabaseConnection,
    actor: &Actor,
    meeting_id: i32,
    draft: NewDraft,
    at: Moment,
) -> Result<TaskView, TaskError> {
    let txn = db.begin().await?;
    let meeting = meeting::Entity::find_by_id(meeting_id)
        .one(&txn)
        .await?
        .ok_or(TaskError::NoSuchMeeting(meeting_id))?;
    let issues = validate(&draft, "");
    if !issues.is_empty() {
        return Err(TaskError::Invalid(issues));
    }
    let created = insert(&txn, actor, &meeting, None, draft, true, at).await?;
    let view = view::detail(&txn, created, at).await?;
    txn.commit().await?;
    Ok(view)
}

fn validate(draft: &NewDraft, prefix: &str) -> Vec<FieldIssue> {
    let mut issues = Vec::new();
    let summary = draft.summary.trim();
    let texts = [
        ("summary", Some(draft.summary.as_str())),
        ("speaker", draft.speaker.as_deref()),
        ("owner", draft.suggested_owner.as_deref()),
        (
            "evidence.quote",
            draft.evidence.as_ref().map(|e| e.quote.as_str()),
        ),
    ];
    for (field, text) in texts {
        if text.is_some_and(|t| !storable(t)) {
            issues.push(FieldIssue::new(
                format!("{prefix}{field}"),
                "must not contain NUL characters",
            ));
        }
    }
    if !issues.is_empty() {
        return issues;
    }
    if summary.is_empty() {
        issues.push(FieldIssue::new(
            format!("{prefix}summary"),
            "must not be empty",
        ));
    } else if summary.chars().count() > MAX_SUMMARY_CHARS {
        issues.push(FieldIssue::new(
            format!("{prefix}summary"),
            format!("must be at most {MAX_SUMMARY_CHARS} characters"),
        ));
    }
    if let Some(evidence) = &draft.evidence {
        if evidence.quote.trim().is_empty() {
            issues.push(FieldIssue::new(
                format!("{prefix}evidence.quote"),
                "must not be empty",
            ));
        } else if evidence.quote.chars().count() > MAX_QUOTE_CHARS {
            issues.push(FieldIssue::new(
                format!("{prefix}evidence.quote"),
                format!("must be at most {MAX_QUOTE_CHARS} characters"),
            ));
        }
        if let Some((start, end)) = evidence.span
            && (start < 0 || end < start)
        {
            issues.push(FieldIssue::new(
                format!("{prefix}evidence.span"),
                "must be [start, end) with 0 <= start <= end",
            ));
        }
    }
    if draft.due_kind == DueKind::Date && draft.due_on.is_none() {
        issues.push(FieldIssue::new(
            format!("{prefix}due_on"),
            "due kind `date` needs a date",
        ));
    }
    issues
}

async fn insert<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    meeting: &meeting::Model,
    minutes_id: Option<i32>,
    draft: NewDraft,
    strict_owner: bool,
    at: Moment,
) -> Result<task::Model, TaskError> {
    let owner = match draft.suggested_owner.as_deref() {
        Some(name) if strict_owner => Some(owner::require(conn, "owner", name).await?),
        Some(name) => owner::find(conn, name).await?,
        None => None,
    };
    let confidence = if draft.confidence.is_finite() {
        draft.confidence.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let mut model = task::Model {
        id: 0,
        body_id: meeting.body_id,
        meeting_id: meeting.id,
        minutes_id,
        status: TaskStatus::Draft,
        summary: draft.summary.trim().to_owned(),
        kind: draft.kind,
        speaker: draft
            .speaker
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty()),
        confidence,
        suggested_owner: draft.suggested_owner.map(|s| s.trim().to_owned()),
        owner_department_id: owner.as_ref().map(|d| d.id),
        due_kind: DueKind::None,
        due_on: None,
        due_meeting_id: None,
        completion_note: None,
        cancel_reason: None,
        merged_into_id: None,
        version: 1,
        created_at: at.now(),
        updated_at: at.now(),
        confirmed_at: None,
        completed_at: None,
    };
    let choice = match (draft.due_kind, draft.due_on) {
        (DueKind::Date, Some(date)) => DueChoice::Date(date),
        (DueKind::Date, None) | (DueKind::None, _) => DueChoice::None,
        (DueKind::NextMeeting, _) => DueChoice::NextMeeting,
        (DueKind::Asap, _) => DueChoice::Asap,
    };
    due::apply(conn, &mut model, choice, at.today()).await?;
    if choice == DueChoice::NextMeeting && model.due_meeting_id.is_none() {
        // No meeting scheduled yet: keep the date the document gave, if any.
        model.due_on = draft.due_on;
    }
    let mut active: task::ActiveModel = model.into();
    active.id = sea_orm::ActiveValue::NotSet;
    let created = active.reset_id_only().insert(conn).await?;
    if let Some(evidence) = draft.evidence {
        task_evidence::ActiveModel {
            task_id: Set(created.id),
            minutes_id: Set(minutes_id),
            position: Set(0),
            quote: Set(evidence.quote),
            span_start: Set(evidence.span.map(|s| s.0)),
            span_end: Set(evidence.span.map(|s| s.1)),
            ..Default::default()
        }
        .insert(conn)
        .await?;
    }
    let mut changes = audit::Changes::new();
    changes
        .diff("status", None::<String>, created.status.as_str())
        .diff("summary", None::<String>, created.summary.clone())
        .diff("owner", None::<String>, owner.map(|d| d.name))
        .diff("due_kind", None::<String>, created.due_kind.as_str())
        .diff(
            "due_on",
            None::<String>,
            created.due_on.map(|d| d.to_string()),
        );
    audit::record(
        conn,
        actor,
        created.id,
        EventAction::Created,
        changes,
        at.now(),
    )
    .await?;
    Ok(created)
}

trait ResetIdOnly {
    fn reset_id_only(self) -> Self;
}

impl ResetIdOnly for task::ActiveModel {
    /// Every column but the id is written on insert.
    fn reset_id_only(self) -> Self {
        let mut active = self.reset_all();
        active.id = sea_orm::ActiveValue::NotSet;
        active
    }
}
