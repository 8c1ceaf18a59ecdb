//! `/api/v1/bodies` and `/api/v1/meetings`: bodies, their held and scheduled meetings.
use axum::{
    Json, Router,
    extract::State,
    http::StatusCode,
    routing::{get, post},
};
use chrono::NaiveDate;
use sea_orm::TransactionTrait;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::{
    ApiError, ApiJson, ApiQuery, AppState, FieldError,
    auth::{CurrentUser, Secretariat},
    extract::ApiPath,
    openapi::{optional_bounded_text, text},
    tasks::Paging,
};
use crate::{
    agenda::{self, AgendaError, MeetingDetail},
    meetings::{self, BodyView, MeetingChange, MeetingError, MeetingPage, MeetingView, NewMeeting},
    tasks::Actor,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/bodies", get(list_bodies).post(create_body))
        .route("/bodies/{id}/meetings", post(schedule))
        .route("/meetings", get(list_meetings))
        .route("/meetings/{id}", get(read).patch(reschedule))
}

impl From<AgendaError> for ApiError {
    fn from(error: AgendaError) -> Self {
        match error {
            AgendaError::Meeting(e) => e.into(),
            AgendaError::Task(e) => e.into(),
        }
    }
}

impl From<MeetingError> for ApiError {
    fn from(error: MeetingError) -> Self {
        match error {
            MeetingError::NotFound(_) | MeetingError::NoSuchBody(_) => {
                ApiError::not_found(error.to_string())
            }
            MeetingError::Invalid(issues) => ApiError::Validation(
                issues
                    .into_iter()
                    .map(|i| FieldError::new(i.field, i.message))
                    .collect(),
            ),
            MeetingError::Db(e) => e.into(),
        }
    }
}

/// Bodies with their next meeting (the earliest scheduled one from today).
#[utoipa::path(get, path = "/api/v1/bodies", tag = "meetings",
    responses((status = 200, body = Vec<BodyView>)))]
pub(super) async fn list_bodies(
    State(state): State<AppState>,
    _user: CurrentUser,
) -> Result<Json<Vec<BodyView>>, ApiError> {
    Ok(Json(meetings::list_bodies(&state.db, state.today()).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateBody {
    #[schema(schema_with = text::<200>)]
    pub name: String,
}

/// Creates a body, or answers the existing one of that name (secretariat).
#[utoipa::path(post, path = "/api/v1/bodies", tag = "meetings", request_body = CreateBody,
    responses((status = 201, body = BodyView)))]
pub(super) async fn create_body(
    State(state): State<AppState>,
    _user: Secretariat,
    ApiJson(request): ApiJson<CreateBody>,
) -> Result<(StatusCode, Json<BodyView>), ApiError> {
    if request.name.chars().count() > 200 {
        return Err(ApiError::field("name", "must be at most 200 characters"));
    }
    let at = state.moment();
    let txn = state.db.begin().await?;
    let body = meetings::find_or_create_body_in(&txn, &request.name, at.now()).await?;
    txn.commit().await?;
    let next = meetings::next_meeting(&state.db, body.id, at.today()).await?;
    Ok((
        StatusCode::CREATED,
        Json(BodyView {
            id: body.id,
            name: body.name,
            next_meeting: next.map(MeetingView::from),
        }),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduleRequest {
    /// The date (local), today or later.
    pub held_on: NaiveDate,
    /// "HH:MM"
    #[schema(pattern = "^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    pub starts_at: Option<String>,
    #[schema(schema_with = optional_bounded_text::<200>)]
    pub place: Option<String>,
    /// Defaults to "<body> <date>".
    #[schema(schema_with = optional_bounded_text::<200>)]
    pub title: Option<String>,
}

impl From<ScheduleRequest> for NewMeeting {
    fn from(r: ScheduleRequest) -> Self {
        Self {
            held_on: Some(r.held_on),
            starts_at: r.starts_at,
            place: r.place,
            title: r.title,
        }
    }
}

/// Changes to a meeting; absent fields stay.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RescheduleRequest {
    /// The new date (local), today or later.
    pub held_on: Option<NaiveDate>,
    /// "HH:MM"
    #[schema(pattern = "^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    pub starts_at: Option<String>,
    #[schema(schema_with = optional_bounded_text::<200>)]
    pub place: Option<String>,
    #[schema(schema_with = optional_bounded_text::<200>)]
    pub title: Option<String>,
}

impl From<RescheduleRequest> for MeetingChange {
    fn from(r: RescheduleRequest) -> Self {
        Self {
            held_on: r.held_on,
            starts_at: r.starts_at,
            place: r.place,
            title: r.title,
        }
    }
}

/// Schedules a meeting of a body (secretariat); tasks due by the next meeting bind
/// to it when it is the earliest.
#[utoipa::path(post, path = "/api/v1/bodies/{id}/meetings", tag = "meetings", request_body = ScheduleRequest,
    params(("id" = i32, Path, minimum = 1, maximum = 2147483647, description = "body id")),
    responses((status = 201, body = MeetingView)))]
pub(super) async fn schedule(
    State(state): State<AppState>,
    Secretariat(user): Secretariat,
    ApiPath(body_id): ApiPath<i32>,
    ApiJson(request): ApiJson<ScheduleRequest>,
) -> Result<(StatusCode, Json<MeetingView>), ApiError> {
    let at = state.moment();
    let created =
        agenda::schedule(&state.db, &Actor::user(&user), body_id, request.into(), at).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// Moves or edits a meeting (secretariat); tasks bound to it follow.
#[utoipa::path(patch, path = "/api/v1/meetings/{id}", tag = "meetings", request_body = RescheduleRequest,
    params(("id" = i32, Path, minimum = 1, maximum = 2147483647, description = "meeting id")),
    responses((status = 200, body = MeetingView)))]
pub(super) async fn reschedule(
    State(state): State<AppState>,
    Secretariat(user): Secretariat,
    ApiPath(id): ApiPath<i32>,
    ApiJson(request): ApiJson<RescheduleRequest>,
) -> Result<Json<MeetingView>, ApiError> {
    let at = state.moment();
    let change: MeetingChange = request.into();
    Ok(Json(
        agenda::reschedule(&state.db, &Actor::user(&user), id, change, at).await?,
    ))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MeetingQuery {
    /// Only this body's meetings (an id that no body has matches nothing).
    #[param(minimum = -2147483648, maximum = 2147483647)]
    pub body: Option<i32>,
}

/// Meetings, newest first.
#[utoipa::path(get, path = "/api/v1/meetings", tag = "meetings", params(MeetingQuery, Paging),
    responses((status = 200, body = MeetingPage)))]
pub(super) async fn list_meetings(
    State(state): State<AppState>,
    _user: CurrentUser,
    ApiQuery(query): ApiQuery<MeetingQuery>,
    ApiQuery(paging): ApiQuery<Paging>,
) -> Result<Json<MeetingPage>, ApiError> {
    let (page, page_size) = paging.parse()?;
    Ok(Json(
        meetings::list_meetings(&state.db, query.body, page, page_size).await?,
    ))
}

/// A meeting with its minutes text(s) and original files, and the counts of the
/// tasks the reader may see; the tasks are listed a page at a time at
/// `tasks.href` (`GET /api/v1/tasks?meeting={id}`).
#[utoipa::path(get, path = "/api/v1/meetings/{id}", tag = "meetings",
    params(("id" = i32, Path, minimum = 1, maximum = 2147483647, description = "meeting id")),
    responses((status = 200, body = MeetingDetail)))]
pub(super) async fn read(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<i32>,
) -> Result<Json<MeetingDetail>, ApiError> {
    let at = state.moment();
    Ok(Json(
        agenda::meeting_detail(&state.db, &Actor::user(&user), id, at).await?,
    ))
}
