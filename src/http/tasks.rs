//! `/api/v1/tasks`: list, read, edit and the lifecycle steps. Thin: parse, call
//! `crate::tasks`, answer; the rules live in the service.
use axum::{
    Json, Router,
    extract::State,
    http::{StatusCode, header},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use bytes::Bytes;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{
    ApiError, ApiJson, ApiQuery, AppState, FieldError,
    auth::{CurrentUser, Secretariat},
    extract::{ApiPath, IfMatch, etag},
    openapi::{Conflict, NotFound, optional_nul_free_text, optional_text, text},
};
use crate::{
    domain::{DueKind, TaskKind},
    tasks::{
        self, Actor, BulkConfirmItem, ConfirmInput, DueInput, EditInput, EventView,
        MAX_QUOTE_CHARS, MAX_SUMMARY_CHARS, MAX_TEXT_CHARS, NewDraft, NewEvidence, NoteView,
        TaskError, TaskPage, TaskQuery, TaskView,
    },
};

pub const MAX_PAGE_SIZE: u64 = 200;
pub const DEFAULT_PAGE_SIZE: u64 = 50;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/tasks", get(list))
        .route("/tasks/merge", post(merge))
        .route("/tasks/confirm", post(bulk_confirm))
        .route("/tasks/{id}", get(read).patch(edit))
        .route("/tasks/{id}/events", get(events))
        .route("/tasks/{id}/confirm", post(confirm))
        .route("/tasks/{id}/complete", post(complete))
        .route("/tasks/{id}/cancel", post(cancel))
        .route("/tasks/{id}/reject", post(reject))
        .route("/tasks/{id}/reopen", post(reopen))
        .route("/tasks/{id}/notes", post(add_note))
        .route("/meetings/{id}/tasks", post(create))
}

impl From<TaskError> for ApiError {
    fn from(error: TaskError) -> Self {
        match error {
            TaskError::NotFound(_) | TaskError::NoSuchMeeting(_) => {
                ApiError::not_found(error.to_string())
            }
            TaskError::Forbidden(detail) => ApiError::Forbidden(detail),
            TaskError::WrongStatus { .. } => ApiError::Conflict(error.to_string()),
            TaskError::Invalid(issues) => ApiError::Validation(
                issues
                    .into_iter()
                    .map(|i| FieldError::new(i.field, i.message))
                    .collect(),
            ),
            TaskError::Stale(current) => match serde_json::to_value(*current) {
                Ok(current) => ApiError::PreconditionFailed { current },
                Err(e) => ApiError::internal(e),
            },
            TaskError::Db(e) => e.into(),
        }
    }
}

/// A task with its `ETag`.
fn tagged(view: TaskView) -> Response {
    ([(header::ETAG, etag(view.version))], Json(view)).into_response()
}

/// The paging of a list: `?page=…&page_size=…`.
#[derive(Debug, Clone, Copy, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Paging {
    /// 1-based.
    #[param(minimum = 1, maximum = 1000000)]
    pub page: Option<u64>,
    /// 1 ..= 200, default 50.
    #[param(minimum = 1, maximum = 200)]
    pub page_size: Option<u64>,
}

impl Paging {
    /// (page, page size), or 422 naming the one out of range.
    pub(super) fn parse(self) -> Result<(u64, u64), ApiError> {
        pagination(self.page, self.page_size)
    }
}

pub(super) fn pagination(
    page: Option<u64>,
    page_size: Option<u64>,
) -> Result<(u64, u64), ApiError> {
    let page = page.unwrap_or(1);
    let page_size = page_size.unwrap_or(DEFAULT_PAGE_SIZE);
    let mut errors = Vec::new();
    if page == 0 || page > 1_000_000 {
        errors.push(FieldError::new("page", "must be between 1 and 1000000"));
    }
    if page_size == 0 || page_size > MAX_PAGE_SIZE {
        errors.push(FieldError::new(
            "page_size",
            format!("must be between 1 and {MAX_PAGE_SIZE}"),
        ));
    }
    if errors.is_empty() {
        Ok((page, page_size))
    } else {
        Err(ApiError::Validation(errors))
    }
}

/// Tasks, filtered and paginated; ordered by due date (undated last), then id.
/// Departments and viewers see confirmed tasks only.
#[utoipa::path(get, path = "/api/v1/tasks", tag = "tasks", params(TaskQuery, Paging),
    responses((status = 200, body = TaskPage)))]
pub(super) async fn list(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiQuery(query): ApiQuery<TaskQuery>,
    ApiQuery(paging): ApiQuery<Paging>,
) -> Result<Response, ApiError> {
    let (page, page_size) = paging.parse()?;
    let actor = Actor::user(&user);
    let at = state.moment();
    // The answer depends on the query, on whether drafts are visible to this caller
    // and, through "overdue", on today's date; nothing else about the caller.
    let key = format!(
        "tasks|{}|{}|{page}|{page_size}|{}",
        tasks::sees_unconfirmed(&actor),
        at.today(),
        serde_json::to_string(&query).map_err(ApiError::internal)?,
    );
    let body = state
        .cache
        .response(key, || async {
            let filter = query.filter(&state.db).await?;
            let page = tasks::list(&state.db, &actor, &filter, page, page_size, at).await?;
            serde_json::to_vec(&page)
                .map(Bytes::from)
                .map_err(ApiError::internal)
        })
        .await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

/// One task with evidence and notes; `ETag: "<version>"`.
#[utoipa::path(get, path = "/api/v1/tasks/{id}", tag = "tasks",
    params(("id" = i32, Path, minimum = 1, maximum = 2147483647, description = "task id")),
    responses((status = 200, body = TaskView, headers(("ETag" = String, description = "\"<version>\"")))))]
pub(super) async fn read(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<i32>,
) -> Result<Response, ApiError> {
    Ok(tagged(
        tasks::get(&state.db, &Actor::user(&user), id, state.moment()).await?,
    ))
}

/// The audit trail, oldest first.
#[utoipa::path(get, path = "/api/v1/tasks/{id}/events", tag = "tasks",
    params(("id" = i32, Path, minimum = 1, maximum = 2147483647, description = "task id")),
    responses((status = 200, body = Vec<EventView>)))]
pub(super) async fn events(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<i32>,
) -> Result<Json<Vec<EventView>>, ApiError> {
    Ok(Json(
        tasks::events(&state.db, &Actor::user(&user), id, state.moment()).await?,
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EditRequest {
    #[schema(schema_with = optional_text::<MAX_TEXT_CHARS>)]
    pub summary: Option<String>,
    /// Department name or alias.
    pub owner: Option<String>,
    pub due_on: Option<NaiveDate>,
    pub due_next_meeting: Option<bool>,
    pub due_kind: Option<DueKind>,
}

/// Edits summary, owner or due date of a draft or open task (secretariat).
/// `If-Match` is required (428 without; 412 with the current state when stale).
#[utoipa::path(patch, path = "/api/v1/tasks/{id}", tag = "tasks", request_body = EditRequest,
    params(("id" = i32, Path, minimum = 1, maximum = 2147483647, description = "task id"),
        ("If-Match" = String, Header, description = "the ETag from GET")),
    responses((status = 200, body = TaskView, headers(("ETag" = String, description = "\"<version>\""))),
        (status = 409, response = Conflict)))]
pub(super) async fn edit(
    State(state): State<AppState>,
    Secretariat(user): Secretariat,
    ApiPath(id): ApiPath<i32>,
    if_match: IfMatch,
    ApiJson(request): ApiJson<EditRequest>,
) -> Result<Response, ApiError> {
    let version = if_match.required()?;
    let input = EditInput {
        summary: request.summary,
        owner: request.owner,
        due: DueInput {
            due_on: request.due_on,
            due_next_meeting: request.due_next_meeting,
            due_kind: request.due_kind,
        },
    };
    let at = state.moment();
    Ok(tagged(
        tasks::edit(&state.db, &Actor::user(&user), id, version, input, at).await?,
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfirmRequest {
    /// A reworded summary, saved only if the confirmation succeeds.
    #[schema(schema_with = optional_text::<MAX_TEXT_CHARS>)]
    pub summary: Option<String>,
    /// Department name or alias; defaults to the owner the extractor found.
    pub owner: Option<String>,
    pub due_on: Option<NaiveDate>,
    pub due_next_meeting: Option<bool>,
    /// `asap`, or `none` to confirm without a due date.
    pub due_kind: Option<DueKind>,
}

impl From<ConfirmRequest> for ConfirmInput {
    fn from(r: ConfirmRequest) -> Self {
        Self {
            summary: r.summary,
            owner: r.owner,
            due: DueInput {
                due_on: r.due_on,
                due_next_meeting: r.due_next_meeting,
                due_kind: r.due_kind,
            },
        }
    }
}

/// draft → open (secretariat). `{}` accepts the draft as extracted; 422 when it has
/// no owner, or no due date and none was chosen.
#[utoipa::path(post, path = "/api/v1/tasks/{id}/confirm", tag = "tasks", request_body = ConfirmRequest,
    params(("id" = i32, Path, minimum = 1, maximum = 2147483647, description = "task id"), IfMatch),
    responses((status = 200, body = TaskView, headers(("ETag" = String, description = "\"<version>\""))),
        (status = 409, response = Conflict)))]
pub(super) async fn confirm(
    State(state): State<AppState>,
    Secretariat(user): Secretariat,
    ApiPath(id): ApiPath<i32>,
    if_match: IfMatch,
    ApiJson(request): ApiJson<ConfirmRequest>,
) -> Result<Response, ApiError> {
    let actor = Actor::user(&user);
    let at = state.moment();
    Ok(tagged(
        tasks::confirm(
            &state.db,
            &actor,
            id,
            if_match.optional(),
            request.into(),
            at,
        )
        .await?,
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkConfirmEntry {
    pub id: i32,
    /// A reworded summary, saved only if every item is confirmed.
    #[schema(schema_with = optional_text::<MAX_TEXT_CHARS>)]
    pub summary: Option<String>,
    pub owner: Option<String>,
    pub due_on: Option<NaiveDate>,
    pub due_next_meeting: Option<bool>,
    pub due_kind: Option<DueKind>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkConfirmRequest {
    #[schema(min_items = 1, max_items = 500)]
    pub items: Vec<BulkConfirmEntry>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TaskList {
    pub items: Vec<TaskView>,
}

/// Confirms several drafts, all or nothing: 422 lists every item's problems as
/// `items[i].field`.
#[utoipa::path(post, path = "/api/v1/tasks/confirm", tag = "tasks", request_body = BulkConfirmRequest,
    responses((status = 200, body = TaskList)))]
pub(super) async fn bulk_confirm(
    State(state): State<AppState>,
    Secretariat(user): Secretariat,
    ApiJson(request): ApiJson<BulkConfirmRequest>,
) -> Result<Json<TaskList>, ApiError> {
    if request.items.len() > 500 {
        return Err(ApiError::field("items", "at most 500 items at once"));
    }
    let items = request
        .items
        .into_iter()
        .map(|e| BulkConfirmItem {
            id: e.id,
            input: ConfirmInput {
                summary: e.summary,
                owner: e.owner,
                due: DueInput {
                    due_on: e.due_on,
                    due_next_meeting: e.due_next_meeting,
                    due_kind: e.due_kind,
                },
            },
        })
        .collect();
    let at = state.moment();
    let items = tasks::bulk_confirm(&state.db, &Actor::user(&user), items, at).await?;
    Ok(Json(TaskList { items }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompleteRequest {
    /// What was done (required).
    #[schema(schema_with = text::<MAX_TEXT_CHARS>)]
    pub note: String,
}

/// open → done with a completion note (the owner department or the secretariat).
#[utoipa::path(post, path = "/api/v1/tasks/{id}/complete", tag = "tasks", request_body = CompleteRequest,
    params(("id" = i32, Path, minimum = 1, maximum = 2147483647, description = "task id"), IfMatch),
    responses((status = 200, body = TaskView, headers(("ETag" = String, description = "\"<version>\""))),
        (status = 409, response = Conflict)))]
pub(super) async fn complete(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<i32>,
    if_match: IfMatch,
    ApiJson(request): ApiJson<CompleteRequest>,
) -> Result<Response, ApiError> {
    let actor = Actor::user(&user);
    let at = state.moment();
    Ok(tagged(
        tasks::complete(
            &state.db,
            &actor,
            id,
            if_match.optional(),
            &request.note,
            at,
        )
        .await?,
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelRequest {
    #[schema(schema_with = text::<MAX_TEXT_CHARS>)]
    pub reason: String,
}

/// draft | open → cancelled with a reason (secretariat).
#[utoipa::path(post, path = "/api/v1/tasks/{id}/cancel", tag = "tasks", request_body = CancelRequest,
    params(("id" = i32, Path, minimum = 1, maximum = 2147483647, description = "task id"), IfMatch),
    responses((status = 200, body = TaskView, headers(("ETag" = String, description = "\"<version>\""))),
        (status = 409, response = Conflict)))]
pub(super) async fn cancel(
    State(state): State<AppState>,
    Secretariat(user): Secretariat,
    ApiPath(id): ApiPath<i32>,
    if_match: IfMatch,
    ApiJson(request): ApiJson<CancelRequest>,
) -> Result<Response, ApiError> {
    let actor = Actor::user(&user);
    let at = state.moment();
    Ok(tagged(
        tasks::cancel(
            &state.db,
            &actor,
            id,
            if_match.optional(),
            &request.reason,
            at,
        )
        .await?,
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmptyRequest {}

/// A draft that is not a task: draft → cancelled with reason "rejected" (secretariat). Body `{}`.
#[utoipa::path(post, path = "/api/v1/tasks/{id}/reject", tag = "tasks", request_body = EmptyRequest,
    params(("id" = i32, Path, minimum = 1, maximum = 2147483647, description = "task id"), IfMatch),
    responses((status = 200, body = TaskView, headers(("ETag" = String, description = "\"<version>\""))),
        (status = 409, response = Conflict)))]
pub(super) async fn reject(
    State(state): State<AppState>,
    Secretariat(user): Secretariat,
    ApiPath(id): ApiPath<i32>,
    if_match: IfMatch,
    ApiJson(EmptyRequest {}): ApiJson<EmptyRequest>,
) -> Result<Response, ApiError> {
    let actor = Actor::user(&user);
    let at = state.moment();
    Ok(tagged(
        tasks::reject(&state.db, &actor, id, if_match.optional(), at).await?,
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReopenRequest {
    #[schema(schema_with = optional_text::<MAX_TEXT_CHARS>)]
    pub reason: Option<String>,
}

/// done → open (secretariat). Body `{}` or `{"reason": …}`.
#[utoipa::path(post, path = "/api/v1/tasks/{id}/reopen", tag = "tasks", request_body = ReopenRequest,
    params(("id" = i32, Path, minimum = 1, maximum = 2147483647, description = "task id"), IfMatch),
    responses((status = 200, body = TaskView, headers(("ETag" = String, description = "\"<version>\""))),
        (status = 409, response = Conflict)))]
pub(super) async fn reopen(
    State(state): State<AppState>,
    Secretariat(user): Secretariat,
    ApiPath(id): ApiPath<i32>,
    if_match: IfMatch,
    ApiJson(request): ApiJson<ReopenRequest>,
) -> Result<Response, ApiError> {
    let actor = Actor::user(&user);
    let at = state.moment();
    let reason = request.reason.as_deref();
    Ok(tagged(
        tasks::reopen(&state.db, &actor, id, if_match.optional(), reason, at).await?,
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoteRequest {
    #[schema(schema_with = text::<MAX_TEXT_CHARS>)]
    pub body: String,
}

/// A progress note on an open task (the owner department or the secretariat).
#[utoipa::path(post, path = "/api/v1/tasks/{id}/notes", tag = "tasks", request_body = NoteRequest,
    params(("id" = i32, Path, minimum = 1, maximum = 2147483647, description = "task id"), IfMatch),
    responses((status = 201, body = NoteView), (status = 409, response = Conflict)))]
pub(super) async fn add_note(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    ApiPath(id): ApiPath<i32>,
    if_match: IfMatch,
    ApiJson(request): ApiJson<NoteRequest>,
) -> Result<(StatusCode, Json<NoteView>), ApiError> {
    let actor = Actor::user(&user);
    let at = state.moment();
    let note = tasks::add_note(
        &state.db,
        &actor,
        id,
        if_match.optional(),
        &request.body,
        at,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(note)))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeRequest {
    /// The draft that stays.
    pub into: i32,
    /// The drafts merged into it (they become cancelled): distinct, without `into`.
    #[schema(min_items = 1, max_items = 100)]
    pub from: Vec<i32>,
}

/// Merges duplicate drafts; the evidence of all of them ends up on `into` (secretariat).
#[utoipa::path(post, path = "/api/v1/tasks/merge", tag = "tasks", request_body = MergeRequest,
    responses((status = 200, body = TaskView, headers(("ETag" = String, description = "\"<version>\""))),
        (status = 404, response = NotFound)))]
pub(super) async fn merge(
    State(state): State<AppState>,
    Secretariat(user): Secretariat,
    ApiJson(request): ApiJson<MergeRequest>,
) -> Result<Response, ApiError> {
    let actor = Actor::user(&user);
    let at = state.moment();
    Ok(tagged(
        tasks::merge(&state.db, &actor, request.into, &request.from, at).await?,
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EvidenceInput {
    #[schema(schema_with = text::<MAX_QUOTE_CHARS>)]
    pub quote: String,
    /// `[start, end)` in characters of the minutes text.
    pub span: Option<[i32; 2]>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateTaskRequest {
    #[schema(schema_with = text::<MAX_SUMMARY_CHARS>)]
    pub summary: String,
    /// request (default), commitment or report.
    pub kind: Option<TaskKind>,
    #[schema(schema_with = optional_nul_free_text)]
    pub speaker: Option<String>,
    pub evidence: Option<EvidenceInput>,
    /// Department name or alias (must exist).
    pub owner: Option<String>,
    pub due_on: Option<NaiveDate>,
    pub due_next_meeting: Option<bool>,
    pub due_kind: Option<DueKind>,
}

/// Adds a draft to a meeting: an item the extractor missed (secretariat).
#[utoipa::path(post, path = "/api/v1/meetings/{id}/tasks", tag = "tasks", request_body = CreateTaskRequest,
    params(("id" = i32, Path, minimum = 1, maximum = 2147483647, description = "meeting id")),
    responses((status = 201, body = TaskView, headers(("ETag" = String, description = "\"<version>\"")))))]
pub(super) async fn create(
    State(state): State<AppState>,
    Secretariat(user): Secretariat,
    ApiPath(meeting_id): ApiPath<i32>,
    ApiJson(request): ApiJson<CreateTaskRequest>,
) -> Result<Response, ApiError> {
    let due = DueInput {
        due_on: request.due_on,
        due_next_meeting: request.due_next_meeting,
        due_kind: request.due_kind,
    }
    .choice("")
    .map_err(|i| ApiError::field(&i.field, i.message))?;
    let draft = NewDraft {
        summary: request.summary,
        kind: request.kind.unwrap_or(TaskKind::Request),
        speaker: request.speaker,
        confidence: 1.0,
        suggested_owner: request.owner,
        due_kind: due.map_or(DueKind::None, |d| d.kind()),
        due_on: match due {
            Some(tasks::DueChoice::Date(date)) => Some(date),
            _ => None,
        },
        evidence: request.evidence.map(|e| NewEvidence {
            quote: e.quote,
            span: e.span.map(|[s, e]| (s, e)),
        }),
    };
    let at = state.moment();
    let view = tasks::create_draft(&state.db, &Actor::user(&user), meeting_id, draft, at).await?;
    let version = view.version;
    Ok((
        StatusCode::CREATED,
        [(header::ETAG, etag(version))],
        Json(view),
    )
        .into_response())
}
