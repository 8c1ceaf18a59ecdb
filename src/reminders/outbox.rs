//! The transactional outbox: inserting rows once (UNIQUE dedupe key) with their
//! bodies beside them, claiming due rows with a lease, withdrawing rows that no
//! longer apply, and the secretariat's list and retry. Sending is in
//! [`super::sender`].
use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, ExprTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait, TryInsertResult,
    UpdateMany,
    sea_query::{Expr, LockBehavior, LockType},
};

use super::{lease::LeaseHolder, planned::PlannedMail};
use crate::{
    config::Settings,
    db::is_postgres,
    domain::OutboxStatus,
    entities::{outbox, outbox_body},
    mail::{OutgoingMail, message_id_domain},
};

/// How long a claimed row is reserved for its sender; after that it is claimable
/// again (the sender died between claim and mark). A sender on the same machine
/// does not wait that long: see [`release_orphans`].
pub const LEASE: Duration = Duration::minutes(5);
/// Delay before attempt `attempts + 1`: 1 min, 2, 4, … capped at 6 h.
pub fn backoff(attempts: i32) -> Duration {
    let exponent = u32::try_from(attempts.saturating_sub(1).clamp(0, 16)).unwrap_or(0);
    Duration::seconds(std::cmp::Ord::min(60_i64 << exponent, 6 * 3600))
}

/// The dedupe keys in the outbox that start with any of `prefixes`.
pub async fn existing_keys(
    db: &impl ConnectionTrait,
    prefixes: &[String],
) -> Result<HashSet<String>, DbErr> {
    if prefixes.is_empty() {
        return Ok(HashSet::new());
    }
    let any_prefix = prefixes.iter().fold(Condition::any(), |any, prefix| {
        any.add(outbox::Column::DedupeKey.starts_with(prefix))
    });
    let keys: Vec<String> = outbox::Entity::find()
        .select_only()
        .column(outbox::Column::DedupeKey)
        .filter(any_prefix)
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

/// Inserts a pending row and its bodies unless a row with the same dedupe key
/// exists (then nothing is written); true when this call inserted it. Run it in
/// the planner's transaction so that row and bodies commit together.
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
        message_id: Set(new_message_id(settings)),
        status: Set(OutboxStatus::Pending),
        attempts: Set(0),
        next_attempt_at: Set(now),
        lease_until: Set(None),
        last_error: Set(None),
        smtp_response: Set(None),
        created_at: Set(now),
        sent_at: Set(None),
        ..Default::default()
    };
    let TryInsertResult::Inserted(inserted) = outbox::Entity::insert(row)
        .on_conflict_do_nothing_on([outbox::Column::DedupeKey])
        .exec(db)
        .await?
    else {
        return Ok(false);
    };
    outbox_body::Entity::insert(outbox_body::ActiveModel {
        outbox_id: Set(inserted.last_insert_id),
        body_text: Set(mail.text.clone()),
        body_html: Set(Some(mail.html.clone())),
    })
    .exec_without_returning(db)
    .await?;
    Ok(true)
}

fn claimable(now: DateTime<Utc>) -> Condition {
    Condition::any()
        .add(
            Condition::all()
                .add(outbox::Column::Status.eq(OutboxStatus::Pending))
                .add(outbox::Column::NextAttemptAt.lte(now)),
        )
        .add(
            Condition::all()
                .add(outbox::Column::Status.eq(OutboxStatus::Sending))
                .add(outbox::Column::LeaseUntil.lt(now)),
        )
}

/// Claims up to `limit` due rows in one transaction: sets them `sending` with a
/// lease held by this process and counts the attempt. PostgreSQL: `SELECT … FOR UPDATE SKIP LOCKED`, so
/// concurrent senders take disjoint rows. SQLite has a single writer: the
/// conditional UPDATE runs on the snapshot the SELECT read (a concurrent writer
/// makes the transaction fail instead of double-claiming).
pub async fn claim(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<outbox::Model>, DbErr> {
    let lease_until = now + LEASE;
    let lease_owner = LeaseHolder::current().map(LeaseHolder::to_column);
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
        .col_expr(outbox::Column::Status, Expr::value(OutboxStatus::Sending))
        .col_expr(outbox::Column::LeaseUntil, Expr::value(lease_until))
        .col_expr(outbox::Column::LeaseOwner, Expr::value(lease_owner.clone()))
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
            row.status = OutboxStatus::Sending;
            row.lease_until = Some(lease_until);
            row.lease_owner.clone_from(&lease_owner);
            row.attempts += 1;
            row
        })
        .collect())
}

/// An update of outbox rows that also ends their lease: every change of status
/// away from `sending` goes through it, so no row keeps a lease or its holder.
pub(super) fn unleased() -> UpdateMany<outbox::Entity> {
    outbox::Entity::update_many()
        .col_expr(
            outbox::Column::LeaseUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(
            outbox::Column::LeaseOwner,
            Expr::value(Option::<String>::None),
        )
}

/// Puts back in the queue, at once, the rows left `sending` by a process of this
/// machine that has ended (killed mid-send): their lease would hold them for
/// minutes. Rows of live senders, and of senders elsewhere, keep their lease.
/// The attempt they were claimed for stays counted; their Message-ID is kept, so
/// a mail that was on the wire when its sender died goes out again under the
/// same ID. Returns how many rows were released.
pub async fn release_orphans(db: &DatabaseConnection) -> Result<u64, DbErr> {
    if LeaseHolder::current().is_none() {
        return Ok(0);
    }
    let holders: Vec<Option<String>> = outbox::Entity::find()
        .select_only()
        .column(outbox::Column::LeaseOwner)
        .distinct()
        .filter(outbox::Column::Status.eq(OutboxStatus::Sending))
        .filter(outbox::Column::LeaseOwner.is_not_null())
        .into_tuple()
        .all(db)
        .await?;
    let gone: Vec<String> = holders
        .into_iter()
        .flatten()
        .filter(|holder| LeaseHolder::from_column(holder).is_some_and(|h| h.is_gone()))
        .collect();
    if gone.is_empty() {
        return Ok(0);
    }
    let released = unleased()
        .col_expr(outbox::Column::Status, Expr::value(OutboxStatus::Pending))
        .filter(outbox::Column::Status.eq(OutboxStatus::Sending))
        .filter(outbox::Column::LeaseOwner.is_in(gone.clone()))
        .exec(db)
        .await?
        .rows_affected;
    if released > 0 {
        tracing::warn!(
            released,
            holders = ?gone,
            "released outbox rows left sending by a sender that has ended"
        );
    }
    Ok(released)
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

/// The bodies of `rows`, by outbox id: one query for a claimed batch.
pub async fn bodies(
    db: &impl ConnectionTrait,
    rows: &[outbox::Model],
) -> Result<HashMap<i32, outbox_body::Model>, DbErr> {
    let ids: Vec<i32> = rows.iter().map(|r| r.id).collect();
    Ok(outbox_body::Entity::find()
        .filter(outbox_body::Column::OutboxId.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|b| (b.outbox_id, b))
        .collect())
}

/// The mail of `row`; takes the bodies over rather than copying them.
pub fn outgoing(
    settings: &Settings,
    row: &outbox::Model,
    body: outbox_body::Model,
) -> OutgoingMail {
    OutgoingMail {
        from: settings.mail.from.clone(),
        to: recipients(row),
        subject: row.subject.clone(),
        text: body.body_text,
        html: body.body_html,
        message_id: row.message_id.clone(),
    }
}

/// Withdraws the rows whose dedupe key starts with `prefix` that have not gone
/// out: pending or retrying, failed (so a retry on demand cannot send them), or
/// claimed right now (the sender then records a failure as nothing and a
/// success as sent, which is what happened). Sent rows stay as they are. Their
/// keys stay taken, so the planner does not queue them again. Returns how many.
pub async fn supersede(db: &impl ConnectionTrait, prefix: &str) -> Result<u64, DbErr> {
    let result = unleased()
        .col_expr(
            outbox::Column::Status,
            Expr::value(OutboxStatus::Superseded),
        )
        .filter(outbox::Column::DedupeKey.starts_with(prefix))
        .filter(outbox::Column::Status.is_in([
            OutboxStatus::Pending,
            OutboxStatus::Sending,
            OutboxStatus::Failed,
        ]))
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

#[derive(Debug, thiserror::Error)]
pub enum RetryError {
    #[error("no outbox row {0}")]
    NotFound(i32),
    #[error("outbox row {id} is {status}; only a failed row can be retried")]
    NotFailed { id: i32, status: OutboxStatus },
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// Puts a `failed` row back in the queue, due now, with a fresh attempt budget.
pub async fn retry_failed(
    db: &DatabaseConnection,
    id: i32,
    now: DateTime<Utc>,
) -> Result<outbox::Model, RetryError> {
    let result = unleased()
        .col_expr(outbox::Column::Status, Expr::value(OutboxStatus::Pending))
        .col_expr(outbox::Column::Attempts, Expr::value(0))
        .col_expr(outbox::Column::NextAttemptAt, Expr::value(now))
        .filter(outbox::Column::Id.eq(id))
        .filter(outbox::Column::Status.eq(OutboxStatus::Failed))
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

/// One page of the rows, newest first, and how many there are in all.
#[derive(Debug)]
pub struct OutboxPage {
    pub rows: Vec<outbox::Model>,
    pub total: u64,
}

/// Page `page` (1-based) of `page_size` rows, newest first, optionally of one status.
pub async fn list(
    db: &DatabaseConnection,
    status: Option<OutboxStatus>,
    page: u64,
    page_size: u64,
) -> Result<OutboxPage, DbErr> {
    let mut query = outbox::Entity::find();
    if let Some(status) = status {
        query = query.filter(outbox::Column::Status.eq(status));
    }
    let total = query.clone().count(db).await?;
    let rows = query
        .order_by_desc(outbox::Column::Id)
        .offset(page.saturating_sub(1).saturating_mul(page_size))
        .limit(page_size)
        .all(db)
        .await?;
    Ok(OutboxPage { rows, total })
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
