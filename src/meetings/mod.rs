//! Bodies (本部, 委員会) and their meetings, held and scheduled. The next meeting of
//! a body is its earliest scheduled meeting on or after today ([`next`]); tasks
//! due "by the next meeting" are bound to it and follow it when it moves (the
//! `agenda` service moves both, in one transaction). Meetings know nothing of
//! tasks.
pub mod next;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;
use utoipa::ToSchema;

pub use next::{next_meeting, next_meeting_of_any};

use crate::{
    domain::{FieldIssue, MeetingStatus, storable},
    entities::{body, meeting, minutes, minutes_file},
};

#[derive(Debug, thiserror::Error)]
pub enum MeetingError {
    #[error("no meeting {0}")]
    NotFound(i32),
    #[error("no body {0}")]
    NoSuchBody(i32),
    #[error("the request has invalid fields")]
    Invalid(Vec<FieldIssue>),
    #[error(transparent)]
    Db(#[from] DbErr),
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct MeetingView {
    pub id: i32,
    pub body_id: i32,
    pub title: String,
    pub held_on: NaiveDate,
    /// "HH:MM", local time.
    pub starts_at: Option<String>,
    pub ends_at: Option<String>,
    pub place: Option<String>,
    pub status: MeetingStatus,
}

impl From<meeting::Model> for MeetingView {
    fn from(m: meeting::Model) -> Self {
        Self {
            id: m.id,
            body_id: m.body_id,
            title: m.title,
            held_on: m.held_on,
            starts_at: m.starts_at,
            ends_at: m.ends_at,
            place: m.place,
            status: m.status,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BodyView {
    pub id: i32,
    pub name: String,
    pub next_meeting: Option<MeetingView>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MeetingPage {
    pub items: Vec<MeetingView>,
    pub total: u64,
    pub page: u64,
    pub page_size: u64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MinutesView {
    pub id: i32,
    pub file_name: String,
    /// Of the original file.
    pub sha256: String,
    /// The decoded text: what evidence spans point into.
    pub text: String,
    /// The file as it was uploaded; null for minutes imported before originals
    /// were kept.
    pub original: Option<OriginalView>,
}

/// The original file of imported minutes (text, Word or PDF).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OriginalView {
    pub content_type: String,
    pub size_bytes: i64,
    /// Downloads the file: `/api/v1/minutes/{id}/original`.
    pub href: String,
}

/// A meeting as the minutes describe it (the importer's input).
#[derive(Debug, Clone, PartialEq)]
pub struct HeldMeeting {
    pub body: String,
    pub title: String,
    pub held_on: NaiveDate,
    pub starts_at: Option<String>,
    pub ends_at: Option<String>,
    pub place: Option<String>,
}

/// A meeting the secretariat schedules.
#[derive(Debug, Clone, Default)]
pub struct NewMeeting {
    pub held_on: Option<NaiveDate>,
    pub starts_at: Option<String>,
    pub place: Option<String>,
    pub title: Option<String>,
}

/// Changes to a meeting; absent fields stay.
pub type MeetingChange = NewMeeting;

fn normalise(text: &str) -> String {
    text.nfkc().collect::<String>().trim().to_owned()
}

fn valid_time(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 5
        && bytes[2] == b':'
        && text[..2].parse::<u8>().is_ok_and(|h| h < 24)
        && text[3..].parse::<u8>().is_ok_and(|m| m < 60)
        && bytes[..2].iter().chain(&bytes[3..]).all(u8::is_ascii_digit)
}

/// The body named `name` (NFKC-normalised), created when new.
pub async fn find_or_create_body_in<C: ConnectionTrait>(
    conn: &C,
    name: &str,
    now: DateTime<Utc>,
) -> Result<body::Model, MeetingError> {
    let name = normalise(name);
    if name.is_empty() || !storable(&name) || name.chars().count() > 200 {
        return Err(MeetingError::Invalid(vec![FieldIssue::new(
            "body",
            "must be 1 to 200 characters, without NUL",
        )]));
    }
    if let Some(found) = body::Entity::find()
        .filter(body::Column::Name.eq(name.as_str()))
        .one(conn)
        .await?
    {
        return Ok(found);
    }
    Ok(body::ActiveModel {
        name: Set(name),
        secretariat_department_id: Set(None),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?)
}

/// The importer's entry: finds or creates the body and the held meeting of the
/// minutes. A meeting of that body scheduled on that date becomes the held one
/// (its tasks stay bound to it); importing the same minutes again finds the same
/// meeting. Runs in the caller's transaction.
pub async fn record_held_meeting_in<C: ConnectionTrait>(
    conn: &C,
    held: &HeldMeeting,
    now: DateTime<Utc>,
) -> Result<meeting::Model, MeetingError> {
    let texts = [
        ("title", Some(held.title.as_str())),
        ("starts_at", held.starts_at.as_deref()),
        ("ends_at", held.ends_at.as_deref()),
        ("place", held.place.as_deref()),
    ];
    let issues: Vec<FieldIssue> = texts
        .into_iter()
        .filter(|(_, text)| text.is_some_and(|t| !storable(t)))
        .map(|(field, _)| FieldIssue::new(field, "must not contain NUL characters"))
        .collect();
    if !issues.is_empty() {
        return Err(MeetingError::Invalid(issues));
    }
    let body = find_or_create_body_in(conn, &held.body, now).await?;
    let title = normalise(&held.title);
    let existing = meeting::Entity::find()
        .filter(meeting::Column::BodyId.eq(body.id))
        .filter(meeting::Column::HeldOn.eq(held.held_on))
        .order_by_asc(meeting::Column::Id)
        .all(conn)
        .await?;
    let same = existing
        .iter()
        .find(|m| m.status == MeetingStatus::Held && m.title == title)
        .or_else(|| {
            existing
                .iter()
                .find(|m| m.status == MeetingStatus::Scheduled)
        })
        .cloned();
    match same {
        Some(found) if found.status == MeetingStatus::Held => Ok(found),
        Some(scheduled) => {
            let mut active = scheduled.into_active_model();
            active.status = Set(MeetingStatus::Held);
            active.title = Set(title);
            active.starts_at = Set(held.starts_at.clone().or(active.starts_at.take().flatten()));
            active.ends_at = Set(held.ends_at.clone());
            active.place = Set(held.place.clone().or(active.place.take().flatten()));
            active.updated_at = Set(now);
            Ok(active.update(conn).await?)
        }
        None => Ok(meeting::ActiveModel {
            body_id: Set(body.id),
            title: Set(title),
            held_on: Set(held.held_on),
            starts_at: Set(held.starts_at.clone()),
            ends_at: Set(held.ends_at.clone()),
            place: Set(held.place.clone()),
            status: Set(MeetingStatus::Held),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(conn)
        .await?),
    }
}

/// Bodies with their next meeting.
pub async fn list_bodies<C: ConnectionTrait>(
    conn: &C,
    today: NaiveDate,
) -> Result<Vec<BodyView>, DbErr> {
    let mut views = Vec::new();
    for b in body::Entity::find()
        .order_by_asc(body::Column::Id)
        .all(conn)
        .await?
    {
        let next = next_meeting(conn, b.id, today).await?;
        views.push(BodyView {
            id: b.id,
            name: b.name,
            next_meeting: next.map(MeetingView::from),
        });
    }
    Ok(views)
}

/// Meetings, newest first.
pub async fn list_meetings<C: ConnectionTrait>(
    conn: &C,
    body_id: Option<i32>,
    page: u64,
    page_size: u64,
) -> Result<MeetingPage, DbErr> {
    let mut query = meeting::Entity::find();
    if let Some(id) = body_id {
        query = query.filter(meeting::Column::BodyId.eq(id));
    }
    let total = query.clone().count(conn).await?;
    let items = query
        .order_by_desc(meeting::Column::HeldOn)
        .order_by_desc(meeting::Column::Id)
        .offset(page.saturating_sub(1).saturating_mul(page_size))
        .limit(page_size)
        .all(conn)
        .await?
        .into_iter()
        .map(MeetingView::from)
        .collect();
    Ok(MeetingPage {
        items,
        total,
        page,
        page_size,
    })
}

/// One meeting and its minutes text(s).
pub async fn get<C: ConnectionTrait>(
    conn: &C,
    id: i32,
) -> Result<(MeetingView, Vec<MinutesView>), MeetingError> {
    let found = meeting::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(MeetingError::NotFound(id))?;
    let rows = minutes::Entity::find()
        .filter(minutes::Column::MeetingId.eq(id))
        .order_by_asc(minutes::Column::Id)
        .all(conn)
        .await?;
    // The originals' facts without their content.
    let originals: Vec<(i32, String, i64)> = minutes_file::Entity::find()
        .select_only()
        .columns([
            minutes_file::Column::MinutesId,
            minutes_file::Column::ContentType,
            minutes_file::Column::SizeBytes,
        ])
        .filter(minutes_file::Column::MinutesId.is_in(rows.iter().map(|m| m.id)))
        .into_tuple()
        .all(conn)
        .await?;
    let minutes = rows
        .into_iter()
        .map(|m| {
            let original = originals
                .iter()
                .find(|(minutes_id, _, _)| *minutes_id == m.id)
                .map(|(_, content_type, size_bytes)| OriginalView {
                    content_type: content_type.clone(),
                    size_bytes: *size_bytes,
                    href: format!("/api/v1/minutes/{}/original", m.id),
                });
            MinutesView {
                id: m.id,
                file_name: m.file_name,
                sha256: m.sha256,
                text: m.text,
                original,
            }
        })
        .collect();
    Ok((found.into(), minutes))
}

fn validate(change: &NewMeeting, today: NaiveDate, issues: &mut Vec<FieldIssue>) {
    if let Some(date) = change.held_on
        && date < today
    {
        issues.push(FieldIssue::new(
            "held_on",
            format!("a scheduled meeting cannot be in the past (today is {today})"),
        ));
    }
    if let Some(time) = change.starts_at.as_deref()
        && !valid_time(time)
    {
        issues.push(FieldIssue::new("starts_at", "must be HH:MM"));
    }
    for (field, value) in [("place", &change.place), ("title", &change.title)] {
        if let Some(value) = value
            && (value.chars().count() > 200 || !storable(value))
        {
            issues.push(FieldIssue::new(
                field,
                "must be at most 200 characters, without NUL",
            ));
        }
    }
}

/// Schedules a meeting of `body_id` in the caller's transaction.
pub async fn schedule_in<C: ConnectionTrait>(
    conn: &C,
    body_id: i32,
    new: NewMeeting,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<MeetingView, MeetingError> {
    let mut issues = Vec::new();
    if new.held_on.is_none() {
        issues.push(FieldIssue::new("held_on", "is required"));
    }
    validate(&new, today, &mut issues);
    let Some(held_on) = new.held_on.filter(|_| issues.is_empty()) else {
        return Err(MeetingError::Invalid(issues));
    };
    let body = body::Entity::find_by_id(body_id)
        .one(conn)
        .await?
        .ok_or(MeetingError::NoSuchBody(body_id))?;
    let title = new
        .title
        .as_deref()
        .map(normalise)
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| format!("{} {held_on}", body.name));
    let created = meeting::ActiveModel {
        body_id: Set(body.id),
        title: Set(title),
        held_on: Set(held_on),
        starts_at: Set(new.starts_at),
        ends_at: Set(None),
        place: Set(new.place.map(|p| normalise(&p)).filter(|p| !p.is_empty())),
        status: Set(MeetingStatus::Scheduled),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(created.into())
}

/// A meeting after [`change_in`], with the date it had before.
#[derive(Debug, Clone)]
pub struct Changed {
    pub meeting: MeetingView,
    pub old_date: NaiveDate,
}

impl Changed {
    /// Whether the meeting moved to another day.
    pub fn moved(&self) -> bool {
        self.meeting.held_on != self.old_date
    }
}

/// Moves or edits meeting `id` in the caller's transaction (a meeting that was
/// held keeps its date); the row stays locked until that transaction ends.
pub async fn change_in<C: ConnectionTrait>(
    conn: &C,
    id: i32,
    change: MeetingChange,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Changed, MeetingError> {
    let mut issues = Vec::new();
    validate(&change, today, &mut issues);
    if !issues.is_empty() {
        return Err(MeetingError::Invalid(issues));
    }
    let found = meeting::Entity::find_by_id(id)
        .lock_exclusive()
        .one(conn)
        .await?
        .ok_or(MeetingError::NotFound(id))?;
    if found.status != MeetingStatus::Scheduled
        && change.held_on.is_some_and(|d| d != found.held_on)
    {
        return Err(MeetingError::Invalid(vec![FieldIssue::new(
            "held_on",
            "a meeting that was held cannot be moved",
        )]));
    }
    let old_date = found.held_on;
    let mut active = found.into_active_model();
    if let Some(date) = change.held_on {
        active.held_on = Set(date);
    }
    if let Some(time) = change.starts_at {
        active.starts_at = Set(Some(time));
    }
    if let Some(place) = change.place {
        active.place = Set(Some(normalise(&place)).filter(|p| !p.is_empty()));
    }
    if let Some(title) = change
        .title
        .map(|t| normalise(&t))
        .filter(|t| !t.is_empty())
    {
        active.title = Set(title);
    }
    active.updated_at = Set(now);
    let updated = active.update(conn).await?;
    Ok(Changed {
        meeting: updated.into(),
        old_date,
    })
}
