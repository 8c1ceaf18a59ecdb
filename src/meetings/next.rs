//! "The next meeting of a body": its earliest scheduled meeting on or after
//! today. One query-building function ([`upcoming`], ordered by
//! [`earliest_first`]) and one predicate ([`is_upcoming`]); the task rules, the
//! reports and the reminder planners all ask through these.
use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, Order, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait, Select,
    sea_query::{Expr, ExprTrait, SelectStatement},
};

use crate::{domain::MeetingStatus, entities::meeting};

/// Meetings still to come on `today`: scheduled, on or after it.
pub fn upcoming(today: NaiveDate) -> Condition {
    Condition::all()
        .add(meeting::Column::Status.eq(MeetingStatus::Scheduled))
        .add(meeting::Column::HeldOn.gte(today))
}

/// [`upcoming`] for a meeting already loaded.
pub fn is_upcoming(meeting: &meeting::Model, today: NaiveDate) -> bool {
    meeting.status == MeetingStatus::Scheduled && meeting.held_on >= today
}

/// Of two upcoming meetings the earlier is the next one; on one day, the one
/// scheduled first.
fn sort_key(meeting: &meeting::Model) -> (NaiveDate, i32) {
    (meeting.held_on, meeting.id)
}

/// [`sort_key`] as a query's order.
fn earliest_first(query: Select<meeting::Entity>) -> Select<meeting::Entity> {
    query
        .order_by(meeting::Column::HeldOn, Order::Asc)
        .order_by(meeting::Column::Id, Order::Asc)
}

/// The next meeting of `body_id`.
pub async fn next_meeting<C: ConnectionTrait>(
    conn: &C,
    body_id: i32,
    today: NaiveDate,
) -> Result<Option<meeting::Model>, DbErr> {
    earliest_first(
        meeting::Entity::find()
            .filter(meeting::Column::BodyId.eq(body_id))
            .filter(upcoming(today)),
    )
    .one(conn)
    .await
}

/// The earliest upcoming meeting of any body: what a page headed "the next
/// meeting" shows (the dashboard, the follow-up report). Which tasks are due by
/// the next meeting is always asked of each task's own body.
pub async fn next_meeting_of_any<C: ConnectionTrait>(
    conn: &C,
    today: NaiveDate,
) -> Result<Option<meeting::Model>, DbErr> {
    earliest_first(meeting::Entity::find().filter(upcoming(today)))
        .one(conn)
        .await
}

/// The next meeting of every body that has one.
pub async fn next_meetings<C: ConnectionTrait>(
    conn: &C,
    today: NaiveDate,
) -> Result<HashMap<i32, meeting::Model>, DbErr> {
    let upcoming = meeting::Entity::find()
        .filter(upcoming(today))
        .all(conn)
        .await?;
    Ok(next_by_body(&upcoming, today)
        .into_iter()
        .map(|(body, m)| (body, m.clone()))
        .collect())
}

/// The next meeting of every body with one, from meetings already loaded.
pub fn next_by_body<'a>(
    meetings: impl IntoIterator<Item = &'a meeting::Model>,
    today: NaiveDate,
) -> HashMap<i32, &'a meeting::Model> {
    let mut next: HashMap<i32, &meeting::Model> = HashMap::new();
    for m in meetings.into_iter().filter(|m| is_upcoming(m, today)) {
        let entry = next.entry(m.body_id).or_insert(m);
        if sort_key(m) < sort_key(entry) {
            *entry = m;
        }
    }
    next
}

/// The next meeting of the body in `body` (a column of the outer query), as a
/// subquery answering `column` of it: its id, or its date.
pub fn of_body(body: Expr, column: meeting::Column, today: NaiveDate) -> SelectStatement {
    earliest_first(
        meeting::Entity::find()
            .select_only()
            .column(column)
            .filter(Expr::col((meeting::Entity, meeting::Column::BodyId)).eq(body))
            .filter(upcoming(today)),
    )
    .limit(1)
    .into_query()
}
