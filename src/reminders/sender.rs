//! The sender: claims due outbox rows a batch at a time, loads the batch's
//! bodies, sends a few at once and records each outcome: sent; retried with
//! backoff; `failed` at once on a permanent rejection, or after the last attempt.
//! The database work of one batch overlaps the sending of the next.
use chrono::{DateTime, Utc};
use futures::StreamExt;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter,
    TransactionTrait,
    sea_query::{CaseStatement, Expr},
};
use serde::Serialize;
use tracing::Instrument;

use super::{
    ReminderError,
    outbox::{backoff, bodies, claim, outgoing},
};
use crate::{
    config::Settings,
    domain::OutboxStatus,
    entities::outbox,
    mail::{Delivery, MailError, Mailer, OutgoingMail},
};

/// Rows claimed per round.
const BATCH: u64 = 32;
/// Sends in flight at once per sender.
const CONCURRENCY: usize = 4;

/// What one `send_due` call did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct SendReport {
    pub sent: usize,
    /// Failed this time, rescheduled with backoff.
    pub retried: usize,
    /// Now `failed`: rejected for good, or failed for the last allowed time.
    pub failed: usize,
}

/// The outcome of recording one failed send.
enum Outcome {
    Retried,
    Failed,
    /// Our lease was lost to another sender, or the row withdrawn, meanwhile;
    /// nothing recorded.
    Lost,
}

/// The rows among `rows` still ours: claimed with these attempt counts.
fn ours<'a>(rows: impl IntoIterator<Item = &'a outbox::Model>) -> Condition {
    rows.into_iter().fold(Condition::any(), |any, row| {
        any.add(
            Condition::all()
                .add(outbox::Column::Id.eq(row.id))
                .add(outbox::Column::Attempts.eq(row.attempts)),
        )
    })
}

/// Marks a batch's delivered rows sent in one statement, each with its own
/// SMTP reply (one statement rather than one per row: for small mails the
/// per-statement cost was a good part of the sender's time). Returns how many
/// were still ours.
async fn mark_sent(
    db: &impl ConnectionTrait,
    delivered: &[(outbox::Model, Delivery)],
    now: DateTime<Utc>,
) -> Result<usize, DbErr> {
    if delivered.is_empty() {
        return Ok(0);
    }
    let responses = delivered
        .iter()
        .fold(CaseStatement::new(), |case, (row, delivery)| {
            case.case(
                outbox::Column::Id.eq(row.id),
                Expr::value(delivery.response.clone()),
            )
        });
    let result = outbox::Entity::update_many()
        .col_expr(outbox::Column::Status, Expr::value(OutboxStatus::Sent))
        .col_expr(outbox::Column::SentAt, Expr::value(Some(now)))
        .col_expr(outbox::Column::SmtpResponse, responses.into())
        .col_expr(
            outbox::Column::LeaseUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        // A row withdrawn while its mail was on the wire did go out: say so.
        .filter(outbox::Column::Status.is_in([OutboxStatus::Sending, OutboxStatus::Superseded]))
        .filter(ours(delivered.iter().map(|(row, _)| row)))
        .exec(db)
        .await?;
    let marked = usize::try_from(result.rows_affected).unwrap_or(usize::MAX);
    if marked < delivered.len() {
        tracing::warn!(
            lost = delivered.len() - marked,
            "leases lost while sending; those rows are left to their new owner"
        );
    }
    Ok(marked)
}

/// Records a failed send of `row` (claimed by us with `row.attempts`): `failed`
/// when permanent or out of attempts, else back in the queue with backoff.
async fn record_failure(
    db: &impl ConnectionTrait,
    settings: &Settings,
    row: &outbox::Model,
    error: MailError,
    now: DateTime<Utc>,
) -> Result<Outcome, DbErr> {
    let max = i32::try_from(settings.reminders.max_attempts).unwrap_or(i32::MAX);
    let permanent = error.is_permanent();
    let give_up = permanent || row.attempts >= max;
    tracing::warn!(
        outbox_id = row.id,
        key = row.dedupe_key,
        attempt = row.attempts,
        permanent,
        give_up,
        %error,
        "sending a reminder failed"
    );
    let mut update = outbox::Entity::update_many()
        .col_expr(
            outbox::Column::LastError,
            Expr::value(Some(error.to_string())),
        )
        .col_expr(
            outbox::Column::LeaseUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(outbox::Column::Status.eq(OutboxStatus::Sending))
        .filter(ours([row]));
    if let Some(response) = error.smtp_response() {
        update = update.col_expr(
            outbox::Column::SmtpResponse,
            Expr::value(Some(response.to_owned())),
        );
    }
    let (update, outcome) = if give_up {
        (
            update.col_expr(outbox::Column::Status, Expr::value(OutboxStatus::Failed)),
            Outcome::Failed,
        )
    } else {
        (
            update
                .col_expr(outbox::Column::Status, Expr::value(OutboxStatus::Pending))
                .col_expr(
                    outbox::Column::NextAttemptAt,
                    Expr::value(now + backoff(row.attempts)),
                ),
            Outcome::Retried,
        )
    };
    if update.exec(db).await?.rows_affected == 0 {
        tracing::warn!(
            outbox_id = row.id,
            "lease lost or row withdrawn while sending; nothing recorded"
        );
        return Ok(Outcome::Lost);
    }
    Ok(outcome)
}

/// The claimed rows with their mails; a row whose bodies are missing cannot be
/// sent, ever, and fails as such.
type Batch = Vec<(outbox::Model, Result<OutgoingMail, MailError>)>;
/// Rows sent, with what the transport answered, not yet recorded.
type Results = Vec<(outbox::Model, Result<Delivery, MailError>)>;

/// Claims the next batch due at `now` and loads its bodies (one query).
async fn next_batch(
    db: &DatabaseConnection,
    settings: &Settings,
    now: DateTime<Utc>,
) -> Result<Batch, DbErr> {
    let rows = claim(db, now, BATCH)
        .instrument(tracing::debug_span!("outbox.claim"))
        .await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let mut bodies = bodies(db, &rows)
        .instrument(tracing::debug_span!("outbox.bodies"))
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let mail = bodies
                .remove(&row.id)
                .map(|body| outgoing(settings, &row, body))
                .ok_or_else(|| MailError::Build(format!("outbox row {} has no body", row.id)));
            (row, mail)
        })
        .collect())
}

/// Sends a batch, [`CONCURRENCY`] at a time.
async fn send_batch(mailer: &dyn Mailer, batch: Batch) -> Results {
    futures::stream::iter(batch)
        .map(|(row, mail)| async move {
            let result = match mail {
                Ok(mail) => mailer.send(&mail).await,
                Err(error) => Err(error),
            };
            (row, result)
        })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .instrument(tracing::debug_span!("outbox.send"))
        .await
}

/// Records a batch's outcomes in one transaction.
async fn record_all(
    db: &DatabaseConnection,
    settings: &Settings,
    results: Results,
    now: DateTime<Utc>,
    report: &mut SendReport,
) -> Result<(), DbErr> {
    if results.is_empty() {
        return Ok(());
    }
    let mut delivered = Vec::with_capacity(results.len());
    let mut failures = Vec::new();
    for (row, result) in results {
        match result {
            Ok(delivery) => delivered.push((row, delivery)),
            Err(error) => failures.push((row, error)),
        }
    }
    async {
        let txn = db.begin().await?;
        report.sent += mark_sent(&txn, &delivered, now).await?;
        for (row, error) in failures {
            match record_failure(&txn, settings, &row, error, now).await? {
                Outcome::Retried => report.retried += 1,
                Outcome::Failed => report.failed += 1,
                Outcome::Lost => {}
            }
        }
        txn.commit().await
    }
    .instrument(tracing::debug_span!("outbox.record"))
    .await
}

/// Claims and sends every row due at `now`, a batch at a time; temporary
/// failures are rescheduled with exponential backoff and marked `failed` after
/// `reminders.max_attempts`; a permanent rejection is `failed` at once.
///
/// While a batch is on the wire, the outcomes of the one before are recorded
/// and the next one is claimed, so that SMTP does not wait for the database.
pub async fn send_due(
    db: &DatabaseConnection,
    mailer: &dyn Mailer,
    settings: &Settings,
    now: DateTime<Utc>,
) -> Result<SendReport, ReminderError> {
    let mut report = SendReport::default();
    let mut batch = next_batch(db, settings, now).await?;
    let mut unrecorded = Results::new();
    while !batch.is_empty() {
        let (sent, next) = futures::join!(send_batch(mailer, batch), async {
            record_all(
                db,
                settings,
                std::mem::take(&mut unrecorded),
                now,
                &mut report,
            )
            .await?;
            next_batch(db, settings, now).await
        });
        unrecorded = sent;
        batch = match next {
            Ok(next) => next,
            Err(error) => {
                // Keep what went out from being sent again after the lease, if
                // the database lets us.
                if let Err(also) = record_all(db, settings, unrecorded, now, &mut report).await {
                    tracing::warn!(%also, "recording the last batch failed too");
                }
                return Err(error.into());
            }
        };
    }
    record_all(db, settings, unrecorded, now, &mut report).await?;
    Ok(report)
}
