//! The sender: claims due outbox rows a batch at a time, loads the batch's
//! bodies, sends a few at once and records each outcome as soon as the server
//! has answered: sent; retried with backoff; `failed` at once on a permanent
//! rejection, or after the last attempt.
//!
//! Three parts run side by side: claiming (a batch ahead), sending, and
//! recording. A mail holds one of [`CONCURRENCY`] places from before it goes on
//! the wire until its outcome is committed, so that a crash at any moment can
//! repeat at most that many mails: the ones nobody can know went out. Rows
//! claimed but not yet sent only go back to the queue (see
//! [`super::outbox::release_orphans`]). The recorder commits all the answers
//! that have arrived in one statement while the other places keep sending.
use chrono::{DateTime, Utc};
use futures::StreamExt;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr, QueryFilter,
    TransactionTrait,
    sea_query::{CaseStatement, Expr},
};
use serde::Serialize;
use tokio::sync::{Mutex, Semaphore, SemaphorePermit, mpsc};
use tracing::Instrument;

use super::{
    ReminderError,
    outbox::{backoff, bodies, claim, outgoing, release_orphans, unleased},
};
use crate::{
    config::Settings,
    domain::OutboxStatus,
    entities::outbox,
    mail::{Delivery, MailError, Mailer, OutgoingMail},
};

/// Rows claimed per round.
const BATCH: u64 = 32;
/// Mails per sender that may be out without their outcome committed: on the
/// wire, or answered and waiting for the recorder. The most a crash repeats.
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

/// Marks delivered rows sent in one statement, each with its own SMTP reply
/// (one statement rather than one per row: for small mails the per-statement
/// cost was a good part of the sender's time). Returns how many were still ours.
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
    let result = unleased()
        .col_expr(outbox::Column::Status, Expr::value(OutboxStatus::Sent))
        .col_expr(outbox::Column::SentAt, Expr::value(Some(now)))
        .col_expr(outbox::Column::SmtpResponse, responses.into())
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
    let mut update = unleased()
        .col_expr(
            outbox::Column::LastError,
            Expr::value(Some(error.to_string())),
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

/// A row sent, with what the transport answered, not yet recorded; it holds its
/// place among the [`CONCURRENCY`] until then.
struct Answer<'a> {
    row: outbox::Model,
    result: Result<Delivery, MailError>,
    place: SemaphorePermit<'a>,
}

/// Claims the next batch due at `now` and loads its bodies (one query). The
/// claim waits for `writes`: on SQLite a claim's read would be stale after a
/// write of the recorder between it and its update, failing the claim.
async fn next_batch(
    db: &DatabaseConnection,
    settings: &Settings,
    now: DateTime<Utc>,
    writes: &Mutex<()>,
) -> Result<Batch, DbErr> {
    let rows = {
        let _alone = writes.lock().await;
        claim(db, now, BATCH)
            .instrument(tracing::debug_span!("outbox.claim"))
            .await?
    };
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

/// Claims batches until none is due, one ahead of the sending; stops when the
/// sending has.
async fn claim_all(
    db: &DatabaseConnection,
    settings: &Settings,
    now: DateTime<Utc>,
    writes: &Mutex<()>,
    batches: mpsc::Sender<Batch>,
) -> Result<(), DbErr> {
    // Waiting for room first keeps to one batch claimed ahead: claimed rows
    // wait out their lease if this sender dies where nobody can tell.
    while let Ok(room) = batches.reserve().await {
        let batch = next_batch(db, settings, now, writes).await?;
        if batch.is_empty() {
            break;
        }
        room.send(batch);
    }
    Ok(())
}

/// Sends the claimed mails, each once it has a place, and hands every answer
/// with its place to the recorder. Stops taking mails when the recorder has
/// stopped: nothing could record them.
async fn send_all<'a>(
    mailer: &dyn Mailer,
    mut batches: mpsc::Receiver<Batch>,
    places: &'a Semaphore,
    answers: mpsc::UnboundedSender<Answer<'a>>,
) {
    let mails =
        futures::stream::poll_fn(|cx| batches.poll_recv(cx)).flat_map(futures::stream::iter);
    mails
        .take_while(|_| std::future::ready(!answers.is_closed()))
        .map(|(row, mail)| {
            let answers = &answers;
            async move {
                let Ok(place) = places.acquire().await else {
                    return;
                };
                let result = match mail {
                    Ok(mail) => mailer.send(&mail).await,
                    Err(error) => Err(error),
                };
                // Refused only once the recorder has failed; the row keeps its lease.
                let _ = answers.send(Answer { row, result, place });
            }
        })
        .buffer_unordered(CONCURRENCY)
        .for_each(|()| std::future::ready(()))
        .instrument(tracing::debug_span!("outbox.send"))
        .await;
}

/// Records answers as they arrive: all that are waiting, in one go, then their
/// places are free for the next mails.
async fn record_all(
    db: &DatabaseConnection,
    settings: &Settings,
    now: DateTime<Utc>,
    writes: &Mutex<()>,
    mut answers: mpsc::UnboundedReceiver<Answer<'_>>,
) -> Result<SendReport, DbErr> {
    let mut report = SendReport::default();
    let mut waiting = Vec::with_capacity(CONCURRENCY);
    while answers.recv_many(&mut waiting, CONCURRENCY).await > 0 {
        let mut places = Vec::with_capacity(waiting.len());
        let mut delivered = Vec::with_capacity(waiting.len());
        let mut failures = Vec::new();
        for Answer { row, result, place } in waiting.drain(..) {
            places.push(place);
            match result {
                Ok(delivery) => delivered.push((row, delivery)),
                Err(error) => failures.push((row, error)),
            }
        }
        let _alone = writes.lock().await;
        record(db, settings, delivered, failures, now, &mut report)
            .instrument(tracing::debug_span!("outbox.record"))
            .await?;
        drop(places);
    }
    Ok(report)
}

/// Records outcomes: deliveries in one statement, failures (rare) with them in
/// one transaction.
async fn record(
    db: &DatabaseConnection,
    settings: &Settings,
    delivered: Vec<(outbox::Model, Delivery)>,
    failures: Vec<(outbox::Model, MailError)>,
    now: DateTime<Utc>,
    report: &mut SendReport,
) -> Result<(), DbErr> {
    if failures.is_empty() {
        report.sent += mark_sent(db, &delivered, now).await?;
        return Ok(());
    }
    let txn = db.begin().await?;
    let sent = mark_sent(&txn, &delivered, now).await?;
    let mut outcomes = Vec::with_capacity(failures.len());
    for (row, error) in failures {
        outcomes.push(record_failure(&txn, settings, &row, error, now).await?);
    }
    txn.commit().await?;
    report.sent += sent;
    for outcome in outcomes {
        match outcome {
            Outcome::Retried => report.retried += 1,
            Outcome::Failed => report.failed += 1,
            Outcome::Lost => {}
        }
    }
    Ok(())
}

/// Claims and sends every row due at `now`; temporary failures are rescheduled
/// with exponential backoff and marked `failed` after `reminders.max_attempts`; a
/// permanent rejection is `failed` at once. First releases the rows a sender of
/// this machine left `sending` when it died.
///
/// Claiming, sending and recording overlap (see the module), so that SMTP does
/// not wait for the database beyond the commit of each answer.
pub async fn send_due(
    db: &DatabaseConnection,
    mailer: &dyn Mailer,
    settings: &Settings,
    now: DateTime<Utc>,
) -> Result<SendReport, ReminderError> {
    release_orphans(db).await?;
    let places = Semaphore::new(CONCURRENCY);
    let writes = Mutex::new(());
    let (batch_tx, batch_rx) = mpsc::channel(1);
    let (answer_tx, answer_rx) = mpsc::unbounded_channel();
    let (claimed, (), recorded) = futures::join!(
        claim_all(db, settings, now, &writes, batch_tx),
        send_all(mailer, batch_rx, &places, answer_tx),
        record_all(db, settings, now, &writes, answer_rx),
    );
    // What went out is recorded before a failed claim is reported.
    let report = recorded?;
    claimed?;
    Ok(report)
}
