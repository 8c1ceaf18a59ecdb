//! Meetings: the list, scheduling the next one, and a meeting's page, which for the
//! secretariat is the review screen (minutes beside the drafts).
use std::collections::HashMap;

use axum::{
    Router,
    extract::{Path, State},
    response::{Html, IntoResponse, Redirect, Response},
    routing::{get, post},
};
use chrono::NaiveDate;
use minijinja::context;
use serde::Deserialize;

use super::{
    PageError,
    evidence::{Span, segments},
    session::{CsrfForm, Page, SecretariatPage},
    templates,
};
use crate::{
    agenda,
    departments::Departments,
    domain::{DueKind, MeetingStatus, TaskStatus},
    meetings::{self, BodyView, NewMeeting},
    reports::{self, MeetingRow},
    state::AppState,
    tasks::{self, Actor, BulkConfirmItem, ConfirmInput, DueInput, TaskView},
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/meetings", get(list))
        .route("/meetings/schedule", post(schedule))
        .route("/meetings/{id}", get(show))
        .route("/meetings/{id}/review", post(review))
        .route("/meetings/{id}/move", post(move_meeting))
}

async fn list(State(state): State<AppState>, page: Page) -> Result<Html<String>, PageError> {
    let rows = reports::meeting_list(&state.db, 200).await?;
    let bodies = meetings::list_bodies(&state.db, state.today()).await?;
    render_list(&page, rows, &bodies, None).map(Html)
}

fn render_list(
    page: &Page,
    rows: Vec<MeetingRow>,
    bodies: &[BodyView],
    error: Option<String>,
) -> Result<String, PageError> {
    let bodies: Vec<_> = bodies
        .iter()
        .map(|b| context! { id => b.id, name => &b.name })
        .collect();
    templates::render(
        "meetings.html",
        page.context(
            "nav.meetings",
            context! { meetings => rows, bodies => bodies, error => error },
        ),
    )
    .map_err(PageError::internal)
}

#[derive(Debug, Deserialize)]
struct ScheduleForm {
    body_id: String,
    #[serde(flatten)]
    when: WhenForm,
}

/// Date, time and place of a meeting as the forms send them.
#[derive(Debug, Deserialize)]
struct WhenForm {
    held_on: String,
    #[serde(default)]
    starts_at: String,
    #[serde(default)]
    place: String,
}

impl WhenForm {
    fn parse(&self) -> Result<NewMeeting, PageError> {
        let raw = self.held_on.trim();
        let held_on = NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| {
            PageError::Unprocessable(format!(
                "開催日「{raw}」は日付ではありません / `{raw}` is not a date (YYYY-MM-DD)"
            ))
        })?;
        Ok(NewMeeting {
            held_on: Some(held_on),
            starts_at: non_empty(&self.starts_at),
            place: non_empty(&self.place),
            title: None,
        })
    }
}

fn non_empty(text: &str) -> Option<String> {
    Some(text.trim())
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

async fn schedule(
    State(state): State<AppState>,
    CsrfForm(SecretariatPage(page), form): CsrfForm<ScheduleForm, SecretariatPage>,
) -> Result<Response, PageError> {
    let body_id: i32 =
        form.body_id.trim().parse().map_err(|_| {
            PageError::Unprocessable("会議体を選んでください / choose a body".into())
        })?;
    let new = form.when.parse()?;
    let actor = Actor::user(&page.user);
    let scheduled = agenda::schedule(&state.db, &actor, body_id, new, state.moment()).await?;
    Ok(Redirect::to(&format!("/meetings/{}", scheduled.id)).into_response())
}

/// Moves a scheduled meeting; tasks due by it follow (in the same transaction).
async fn move_meeting(
    State(state): State<AppState>,
    Path(id): Path<i32>,
    CsrfForm(SecretariatPage(page), form): CsrfForm<WhenForm, SecretariatPage>,
) -> Result<Response, PageError> {
    let change = form.parse()?;
    let actor = Actor::user(&page.user);
    agenda::reschedule(&state.db, &actor, id, change, state.moment()).await?;
    Ok(Redirect::to(&format!("/meetings/{id}")).into_response())
}

async fn show(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<i32>,
) -> Result<Html<String>, PageError> {
    render_meeting(&state, &page, id, None).await.map(Html)
}

async fn render_meeting(
    state: &AppState,
    page: &Page,
    id: i32,
    error: Option<String>,
) -> Result<String, PageError> {
    let actor = Actor::user(&page.user);
    let at = state.moment();
    let detail = agenda::meeting_detail(&state.db, &actor, id, at).await?;
    let tasks = agenda::meeting_tasks(&state.db, &actor, id, at).await?;
    let next_meeting =
        meetings::next_meeting(&state.db, detail.meeting.body_id, at.today()).await?;
    let due_options: Vec<_> = DueKind::ALL
        .iter()
        .map(|kind| {
            let date = match kind {
                DueKind::NextMeeting => next_meeting.as_ref().map(|m| m.held_on.to_string()),
                _ => None,
            };
            context! { kind => kind.as_str(), date => date }
        })
        .collect();
    let movable = page.is_secretariat() && detail.meeting.status == MeetingStatus::Scheduled;
    let (drafts, others): (Vec<TaskView>, Vec<TaskView>) = tasks
        .into_iter()
        .partition(|t| t.status == TaskStatus::Draft);
    let minutes = detail.minutes.first();
    let segments = minutes.map(|m| {
        let spans: Vec<Span> = drafts
            .iter()
            .chain(&others)
            .flat_map(|t| {
                t.evidence.iter().enumerate().filter_map(move |(n, e)| {
                    let [start, end] = e.span?;
                    (e.minutes_id == Some(m.id)).then_some(Span {
                        task: t.id,
                        n,
                        start: usize::try_from(start).ok()?,
                        end: usize::try_from(end).ok()?,
                    })
                })
            })
            .collect();
        segments(&m.text, &spans)
    });
    let departments = Departments::new(state.db.clone()).list().await?;
    templates::render(
        "meeting.html",
        page.context(
            "nav.meetings",
            context! {
                meeting => detail.meeting,
                original => minutes.and_then(|m| m.original.as_ref()),
                segments => segments,
                drafts => drafts.iter().map(draft_row).collect::<Vec<_>>(),
                tasks => others,
                departments => departments,
                due_options => due_options,
                movable => movable,
                error => error,
            },
        ),
    )
    .map_err(PageError::internal)
}

/// A draft as the review form shows it: `due_kind` always set.
fn draft_row(task: &TaskView) -> minijinja::Value {
    context! {
        id => task.id,
        kind => task.kind.as_str(),
        speaker => &task.speaker,
        summary => &task.summary,
        owner => &task.owner,
        suggested_owner => &task.suggested_owner,
        due_kind => task.due_kind.as_str(),
        due_on => task.due_on.map(|d| d.to_string()),
        evidence => &task.evidence,
    }
}

/// What the review form asks for.
enum ReviewAction {
    ConfirmSelected,
    MergeSelected,
    Confirm(i32),
    Reject(i32),
}

impl ReviewAction {
    fn parse(raw: &str) -> Option<Self> {
        match raw.split_once(':') {
            Some(("confirm", id)) => id.parse().ok().map(Self::Confirm),
            Some(("reject", id)) => id.parse().ok().map(Self::Reject),
            None if raw == "confirm_selected" => Some(Self::ConfirmSelected),
            None if raw == "merge_selected" => Some(Self::MergeSelected),
            _ => None,
        }
    }
}

/// The review form's fields for one draft (`owner_12`, `due_kind_12`, …).
struct DraftFields<'a> {
    form: &'a HashMap<String, String>,
    id: i32,
}

impl<'a> DraftFields<'a> {
    fn get(&self, name: &str) -> Option<&'a str> {
        self.form
            .get(&format!("{name}_{}", self.id))
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    }

    fn due(&self) -> Result<DueInput, PageError> {
        let mut due = DueInput::default();
        match self.get("due_kind").and_then(|k| k.parse::<DueKind>().ok()) {
            Some(DueKind::Date) => {
                let raw = self.get("due_on").ok_or_else(|| {
                    PageError::Unprocessable(format!(
                        "#{}: 期限の日付を入力してください / enter the due date",
                        self.id
                    ))
                })?;
                due.due_on = Some(NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| {
                    PageError::Unprocessable(format!(
                        "#{}: 「{raw}」は日付ではありません / `{raw}` is not a date",
                        self.id
                    ))
                })?);
            }
            Some(DueKind::NextMeeting) => due.due_next_meeting = Some(true),
            Some(kind @ (DueKind::Asap | DueKind::None)) => due.due_kind = Some(kind),
            None => {}
        }
        Ok(due)
    }

    fn confirm_input(&self) -> Result<ConfirmInput, PageError> {
        Ok(ConfirmInput {
            summary: self.get("summary").map(str::to_owned),
            owner: self.get("owner").map(str::to_owned),
            due: self.due()?,
        })
    }
}

async fn review(
    State(state): State<AppState>,
    Path(meeting_id): Path<i32>,
    CsrfForm(SecretariatPage(page), form): CsrfForm<HashMap<String, String>, SecretariatPage>,
) -> Result<Response, PageError> {
    let action = form
        .get("action")
        .and_then(|a| ReviewAction::parse(a))
        .ok_or_else(|| PageError::BadRequest("unknown review action".into()))?;
    let selected: Vec<i32> = {
        let mut ids: Vec<i32> = form
            .keys()
            .filter_map(|k| k.strip_prefix("select_")?.parse().ok())
            .collect();
        ids.sort_unstable();
        ids
    };
    match apply_review(&state, &page, &form, action, &selected).await {
        Ok(()) => Ok(Redirect::to(&format!("/meetings/{meeting_id}")).into_response()),
        Err(PageError::Unprocessable(message)) => {
            let html = render_meeting(&state, &page, meeting_id, Some(message)).await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        Err(other) => Err(other),
    }
}

async fn apply_review(
    state: &AppState,
    page: &Page,
    form: &HashMap<String, String>,
    action: ReviewAction,
    selected: &[i32],
) -> Result<(), PageError> {
    let actor = Actor::user(&page.user);
    let now = state.moment();
    match action {
        ReviewAction::Reject(id) => {
            tasks::reject(&state.db, &actor, id, None, now).await?;
        }
        ReviewAction::MergeSelected => {
            let (into, from) = selected.split_first().ok_or_else(|| {
                PageError::Unprocessable(
                    "統合する下書きを2件以上選んでください / select two or more drafts".into(),
                )
            })?;
            tasks::merge(&state.db, &actor, *into, from, now).await?;
        }
        ReviewAction::Confirm(id) => {
            let input = DraftFields { form, id }.confirm_input()?;
            tasks::confirm(&state.db, &actor, id, None, input, now).await?;
        }
        ReviewAction::ConfirmSelected => {
            if selected.is_empty() {
                return Err(PageError::Unprocessable(
                    "確定する下書きを選んでください / select the drafts to confirm".into(),
                ));
            }
            let mut items = Vec::with_capacity(selected.len());
            for &id in selected {
                items.push(BulkConfirmItem {
                    id,
                    input: DraftFields { form, id }.confirm_input()?,
                });
            }
            tasks::bulk_confirm(&state.db, &actor, items, now).await?;
        }
    }
    Ok(())
}
