//! The transactional outbox: inserting rows once (UNIQUE dedupe key), claiming due
//! rows with a lease, sending them, and recording the outcome with backoff.
use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};
use futures::StreamExt;
use tracing::Instrument;
use rand::RngCore;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, ExprTrait,
    QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
    sea_query::{Expr, LockBehavior, LockType},
};
use serde::Serialize;

use super::{ReminderError, plan::PlannedMail};
use crate::{
    config::Settings,
    db::is_postgres,
    entities::outbox,
    mail::{Delivery, MailError, Mailer, OutgoingMail, message_id_domain},
};

pub const PENDING: &str = "pending";
pub const SENDING: &str = "sending";
pub const SENT: &str = "sent";
pub const FAILED: &str = "failed";

/// How long a claimed row is reserved for its sender; after that it is claimable
/// again (the sender died between claim and mark).
pub const LEASE: Duration = Duration::minutes(5);
/// Rows claimed per round.
const BATCH: u64 = 32;
/// Sends in flight at once per sender.
const CONCURRENCY: usize = 4;

/// Delay before attempt `attempts + 1`: 1 min, 2, 4, … capped at 6 h.
pub fn backoff(attempts: i32) -> Duration {
    let exponent = u32::try_from(attempts.saturating_sub(1).clamp(0, 16)).unwrap_or(0);
    Duration::seconds(std::cmp::Ord::min(60_i64 << exponent, 6 * 3600))
}

pub async fn existing_keys_with_prefix(
    db: &impl ConnectionTrait,
    prefix: &str,
) -> Result<HashSet<String>, DbErr> {
    let keys: Vec<String> = outbox::Entity::find()
        .select_only()
        .column(outbox::Column::DedupeKey)
        .filter(outbox::Column::DedupeKey.starts_with(prefix))
        .into_tuple()
        .all(db)
        .await?;
    Ok(keys.into_iter().collect())
}

/// A new Message-ID, generated once per row and reused on every retry.
pub fn new_message_id(settings: &Settings) -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    format!(
        "<shukudai.{}@{}>",
        hex::encode(bytes),
        message_id_domain(&settings.mail.from)
    )
}

/// Inserts a pending row unless one with the same dedupe key exists; true when
/// this call inserted it.
pub async fn insert(
    db: &impl ConnectionTrait,
    settings: &Settings,
    mail: &PlannedMail,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let row = outbox::ActiveModel {
        dedupe_key: Set(mail.dedupe_key.clone()),
        kind: Set(mail.kind.as_str().to_owned()),
        department_id: Set(mail.department_id),
        recipients: Set(serde_json::json!(mail.recipients)),
        subject: Set(mail.subject.clone()),
        body_text: Set(mail.text.clone()),
        body_html: Set(Some(mail.html.clone())),
        message_id: Set(new_message_id(settings)),
        status: Set(PENDING.to_owned()),
        attempts: Set(0),
        next_attempt_at: Set(now),
        lease_until: Set(None),
        last_error: Set(None),
        smtp_response: Set(None),
        created_at: Set(now),
        sent_at: Set(None),
        ..Default::default()
    };
    let result = outbox::Entity::insert(row)
        .on_conflict_do_nothing_on([outbox::Column::DedupeKey])
        .exec_without_returning(db)
        .await?;
    Ok(matches!(result, sea_orm::TryInsertResult::Inserted(n) if n > 0))
}

/// What one `send_due` call did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SendReport {
    pub sent: usize,
    /// Failed this time, rescheduled with backoff.
    pub retried: usize,
    /// Failed for the last allowed time: now `failed`.
    pub failed: usize,
}

fn claimable(now: DateTime<Utc>) -> Condition {
    Condition::any()
        .add(
            Condition::all()
                .add(outbox::Column::Status.eq(PENDING))
                .add(outbox::Column::NextAttemptAt.lte(now)),
        )
        .add(
            Condition::all()
                .add(outbox::Column::Status.eq(SENDING))
                .add(outbox::Column::LeaseUntil.lt(now)),
        )
}

/// Claims up to `limit` due rows in one transaction: sets them `sending` with a
/// lease and counts the attempt. PostgreSQL: `SELECT … FOR UPDATE SKIP LOCKED`, so
/// concurrent senders take disjoint rows. SQLite has a single writer: the
/// conditional UPDATE runs on the snapshot the SELECT read (a concurrent writer
/// makes the transaction fail instead of double-claiming).
pub async fn claim(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<outbox::Model>, DbErr> {
    let lease_until = now + LEASE;
    let txn = db.begin().await?;
    let mut select = outbox::Entity::find()
        .filter(claimable(now))
        .order_by_asc(outbox::Column::NextAttemptAt)
        .order_by_asc(outbox::Column::Id)
        .limit(limit);
    if is_postgres(db) {
        select = select.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    let rows = select.all(&txn).await?;
    if rows.is_empty() {
        return Ok(rows);
    }
    let ids: Vec<i32> = rows.iter().map(|r| r.id).collect();
    let result = outbox::Entity::update_many()
        .col_expr(outbox::Column::Status, Expr::value(SENDING))
        .col_expr(outbox::Column::LeaseUntil, Expr::value(lease_until))
        .col_expr(
            outbox::Column::Attempts,
            Expr::col(outbox::Column::Attempts).add(1),
        )
        .filter(outbox::Column::Id.is_in(ids.clone()))
        .filter(claimable(now))
        .exec(&txn)
        .await?;
    if result.rows_affected != ids.len() as u64 {
        // Someone else changed them meanwhile: leave this round to them.
        txn.rollback().await?;
        return Ok(Vec::new());
    }
    txn.commit().await?;
    Ok(rows
        .into_iter()
        .map(|mut row| {
            row.status = SENDING.to_owned();
            row.lease_until = Some(lease_until);
            row.attempts += 1;
            row
        })
        .collect())
}

/// The addresses a row is for (stored as a JSON array of strings).
pub fn recipients(row: &outbox::Model) -> Vec<String> {
    row.recipients
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

pub fn outgoing(settings: &Settings, row: &outbox::Model) -> OutgoingMail {
    let to = recipients(row);
    OutgoingMail {
        from: settings.mail.from.clone(),
        to,
        subject: row.subject.clone(),
        text: row.body_text.clone(),
        html: row.body_html.clone(),
        message_id: row.message_id.clone(),
    }
}

/// The outcome of one row's send.
enum Outcome {
    Sent,
    Retried,
    Failed,
    /// Our lease was lost to another sender meanwhile; nothing recorded.
    Lost,
}

/// Records the outcome of sending `row` (claimed by us with `row.attempts`).
async fn record(
    db: &impl ConnectionTrait,
    settings: &Settings,
    row: &outbox::Model,
    result: Result<Delivery, MailError>,
    now: DateTime<Utc>,
) -> Result<Outcome, DbErr> {
    let ours = Condition::all()
        .add(outbox::Column::Id.eq(row.id))
        .add(outbox::Column::Status.eq(SENDING))
        .add(outbox::Column::Attempts.eq(row.attempts));
    let (update, outcome) = match result {
        Ok(delivery) => (
            outbox::Entity::update_many()
                .col_expr(outbox::Column::Status, Expr::value(SENT))
                .col_expr(outbox::Column::SentAt, Expr::value(Some(now)))
                .col_expr(
                    outbox::Column::SmtpResponse,
                    Expr::value(Some(delivery.response)),
                )
                .col_expr(
                    outbox::Column::LeaseUntil,
                    Expr::value(Option::<DateTime<Utc>>::None),
                ),
            Outcome::Sent,
        ),
        Err(error) => {
            let max = i32::try_from(settings.reminders.max_attempts).unwrap_or(i32::MAX);
            let give_up = row.attempts >= max;
            tracing::warn!(
                outbox_id = row.id,
                key = row.dedupe_key,
                attempt = row.attempts,
                give_up,
                %error,
                "sending a reminder failed"
            );
            let update = outbox::Entity::update_many()
                .col_expr(
                    outbox::Column::LastError,
                    Expr::value(Some(error.to_string())),
                )
                .col_expr(
                    outbox::Column::LeaseUntil,
                    Expr::value(Option::<DateTime<Utc>>::None),
                );
            if give_up {
                (
                    update.col_expr(outbox::Column::Status, Expr::value(FAILED)),
                    Outcome::Failed,
                )
            } else {
                (
                    update
                        .col_expr(outbox::Column::Status, Expr::value(PENDING))
                        .col_expr(
                            outbox::Column::NextAttemptAt,
                            Expr::value(now + backoff(row.attempts)),
                        ),
                    Outcome::Retried,
                )
            }
        }
    };
    let result = update.filter(ours).exec(db).await?;
    if result.rows_affected == 0 {
        tracing::warn!(
            outbox_id = row.id,
            "lease lost while sending; left to its new owner"
        );
        return Ok(Outcome::Lost);
    }
    Ok(outcome)
}

/// Claims and sends every row due at `now`, a batch at a time (sends in parallel,
/// outcomes recorded in one transaction per batch); failures are rescheduled with
/// exponential backoff, and after `reminders.max_attempts` marked `failed`.
pub async fn send_due(
    db: &DatabaseConnection,
    mailer: &dyn Mailer,
    settings: &Settings,
    now: DateTime<Utc>,
) -> Result<SendReport, ReminderError> {
    let mut report = SendReport::default();
    loop {
        let rows = claim(db, now, BATCH)
            .instrument(tracing::debug_span!("outbox.claim"))
            .await?;
        if rows.is_empty() {
            break;
        }
        let results: Vec<(outbox::Model, Result<Delivery, MailError>)> =
            futures::stream::iter(rows)
                .map(|row| async move {
                    let mail = outgoing(settings, &row);
                    let result = mailer.send(&mail).await;
                    (row, result)
                })
                .buffer_unordered(CONCURRENCY)
                .collect()
                .instrument(tracing::debug_span!("outbox.send"))
                .await;
        async {
            let txn = db.begin().await?;
            for (row, result) in results {
                match record(&txn, settings, &row, result, now).await? {
                    Outcome::Sent => report.sent += 1,
                    Outcome::Retried => report.retried += 1,
                    Outcome::Failed => report.failed += 1,
                    Outcome::Lost => {}
                }
            }
            txn.commit().await
        }
        .instrument(tracing::debug_span!("outbox.record"))
        .await?;
    }
    Ok(report)
}

#[derive(Debug, thiserror::Error)]
pub enum RetryError {
    #[error("no outbox row {0}")]
    NotFound(i32),
    #[error("outbox row {id} is {status}; only a failed row can be retried")]
    NotFailed { id: i32, status: String },
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// Puts a `failed` row back in the queue, due now, with a fresh attempt budget.
pub async fn retry_failed(
    db: &DatabaseConnection,
    id: i32,
    now: DateTime<Utc>,
) -> Result<outbox::Model, RetryError> {
    let result = outbox::Entity::update_many()
        .col_expr(outbox::Column::Status, Expr::value(PENDING))
        .col_expr(outbox::Column::Attempts, Expr::value(0))
        .col_expr(outbox::Column::NextAttemptAt, Expr::value(now))
        .col_expr(
            outbox::Column::LeaseUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(outbox::Column::Id.eq(id))
        .filter(outbox::Column::Status.eq(FAILED))
        .exec(db)
        .await?;
    let row = outbox::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(RetryError::NotFound(id))?;
    if result.rows_affected == 0 {
        return Err(RetryError::NotFailed {
            id,
            status: row.status,
        });
    }
    Ok(row)
}

/// Rows, newest first, optionally of one status.
pub async fn list(
    db: &DatabaseConnection,
    status: Option<&str>,
    limit: u64,
) -> Result<Vec<outbox::Model>, DbErr> {
    let mut query = outbox::Entity::find();
    if let Some(status) = status {
        query = query.filter(outbox::Column::Status.eq(status));
    }
    query
        .order_by_desc(outbox::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(backoff(1), Duration::minutes(1));
        assert_eq!(backoff(2), Duration::minutes(2));
        assert_eq!(backoff(4), Duration::minutes(8));
        assert_eq!(backoff(30), Duration::hours(6));
        assert_eq!(backoff(0), Duration::minutes(1));
    }
}
