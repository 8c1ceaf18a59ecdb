//! The sender: claims due outbox rows a batch at a time, loads the batch's
//! bodies, sends a few at once and records each outcome: sent; retried with
//! backoff; `failed` at once on a permanent rejection, or after the last attempt.
//! The database work of one batch overlaps the sending of the next.
use chrono::{DateTime, Utc};
use futures::StreamExt;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter,
    TransactionTrait, sea_query::Expr,
};
use serde::Serialize;
use tracing::Instrument;

use super::{
    ReminderError,
    outbox::{FAILED, PENDING, SENDING, SENT, SUPERSEDED, backoff, bodies, claim, outgoing},
};
use crate::{
    config::Settings,
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

/// The outcome of one row's send.
enum Outcome {
    Sent,
    Retried,
    Failed,
    /// Our lease was lost to another sender, or the row withdrawn, meanwhile;
    /// nothing recorded.
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
    let ours = |statuses: &[&str]| {
        Condition::all()
            .add(outbox::Column::Id.eq(row.id))
            .add(outbox::Column::Status.is_in(statuses.iter().copied()))
            .add(outbox::Column::Attempts.eq(row.attempts))
    };
    let no_lease = Expr::value(Option::<DateTime<Utc>>::None);
    let (update, outcome) = match result {
        // A row withdrawn while its mail was on the wire did go out: say so.
        Ok(delivery) => (
            outbox::Entity::update_many()
                .col_expr(outbox::Column::Status, Expr::value(SENT))
                .col_expr(outbox::Column::SentAt, Expr::value(Some(now)))
                .col_expr(
                    outbox::Column::SmtpResponse,
                    Expr::value(Some(delivery.response)),
                )
                .col_expr(outbox::Column::LeaseUntil, no_lease)
                .filter(ours(&[SENDING, SUPERSEDED])),
            Outcome::Sent,
        ),
        Err(error) => {
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
                .col_expr(outbox::Column::LeaseUntil, no_lease)
                .filter(ours(&[SENDING]));
            if let Some(response) = error.smtp_response() {
                update = update.col_expr(
                    outbox::Column::SmtpResponse,
                    Expr::value(Some(response.to_owned())),
                );
            }
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
                let _ = record_all(db, settings, unrecorded, now, &mut report).await;
                return Err(error.into());
            }
        };
    }
    record_all(db, settings, unrecorded, now, &mut report).await?;
    Ok(report)
}
