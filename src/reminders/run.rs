//! A planning run: which kinds are due at `now` (each kind's time gate), then,
//! in one transaction, the snapshot, the kinds' letters, their rendering and
//! the outbox rows. The UNIQUE dedupe key makes a rerun, a restart or a second
//! instance a no-op; a scheduled kind's fire is recorded with its rows, so it
//! is answered once. The scheduler's tick and `shukudai remind` both run here.
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    ConnectionTrait, DatabaseConnection, EntityTrait, Set, TransactionTrait, sea_query::OnConflict,
};

use super::{
    ReminderError,
    kinds::{KINDS, Occasion, ReminderKind},
    links::LinkSigner,
    outbox,
    planned::{Mode, PlanReport},
    render::Renderer,
    snapshot::Snapshot,
};
use crate::{clock::Moment, config::Settings, entities::scheduler_run};

/// Every kind due at `now` ([`KINDS`]).
pub async fn plan_all(
    db: &DatabaseConnection,
    settings: &Settings,
    now: DateTime<Utc>,
    mode: Mode,
) -> Result<PlanReport, ReminderError> {
    plan(db, settings, now, mode, KINDS).await
}

/// One kind, if it is due at `now`.
pub async fn plan_one(
    db: &DatabaseConnection,
    settings: &Settings,
    now: DateTime<Utc>,
    mode: Mode,
    kind: &dyn ReminderKind,
) -> Result<PlanReport, ReminderError> {
    plan(db, settings, now, mode, &[kind]).await
}

async fn plan(
    db: &DatabaseConnection,
    settings: &Settings,
    now: DateTime<Utc>,
    mode: Mode,
    kinds: &[&dyn ReminderKind],
) -> Result<PlanReport, ReminderError> {
    let gated: Vec<(&dyn ReminderKind, Occasion)> = kinds
        .iter()
        .filter_map(|kind| kind.occasion(settings, now).map(|o| (*kind, o)))
        .collect();
    if gated.is_empty() {
        return Ok(PlanReport::default());
    }
    let signer = LinkSigner::load(db, settings).await?;
    let txn = db.begin().await?;
    let answered = answered_fires(&txn).await?;
    let due: Vec<(&dyn ReminderKind, Occasion)> = gated
        .into_iter()
        .filter(|(kind, occasion)| match occasion.fire {
            Some(fire) => answered
                .get(kind.name())
                .is_none_or(|last| *last < fire.with_timezone(&Utc)),
            None => true,
        })
        .collect();
    if due.is_empty() {
        return Ok(PlanReport::default());
    }
    let today = Moment::new(now, settings.time_zone()).today();
    let prefixes: Vec<String> = due.iter().map(|(k, o)| k.key_prefix(o)).collect();
    let snapshot = Snapshot::load(&txn, today, &prefixes).await?;
    let renderer = Renderer {
        settings,
        snapshot: &snapshot,
        signer: &signer,
        now,
    };
    let mut report = PlanReport::default();
    for (kind, occasion) in &due {
        renderer.render(kind.letters(&snapshot, occasion, settings), &mut report)?;
    }
    if mode == Mode::DryRun {
        return Ok(report);
    }
    let report = queue(&txn, settings, report, now).await?;
    for (kind, occasion) in &due {
        if let Some(fire) = occasion.fire {
            record_fire(&txn, kind.name(), fire.with_timezone(&Utc)).await?;
        }
    }
    txn.commit().await?;
    if !report.queued.is_empty() {
        tracing::info!(queued = report.queued.len(), "reminders planned");
    }
    Ok(report)
}

/// The last fire each scheduled kind answered.
async fn answered_fires(
    db: &impl ConnectionTrait,
) -> Result<HashMap<String, DateTime<Utc>>, ReminderError> {
    Ok(scheduler_run::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|run| (run.job, run.last_fire_at))
        .collect())
}

async fn record_fire(
    db: &impl ConnectionTrait,
    kind: &str,
    fire: DateTime<Utc>,
) -> Result<(), ReminderError> {
    scheduler_run::Entity::insert(scheduler_run::ActiveModel {
        job: Set(kind.to_owned()),
        last_fire_at: Set(fire),
    })
    .on_conflict(
        OnConflict::column(scheduler_run::Column::Job)
            .update_column(scheduler_run::Column::LastFireAt)
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// Inserts the planned rows (ON CONFLICT DO NOTHING on the dedupe key); keeps in
/// the report only those this run inserted.
async fn queue(
    db: &impl ConnectionTrait,
    settings: &Settings,
    report: PlanReport,
    now: DateTime<Utc>,
) -> Result<PlanReport, ReminderError> {
    let mut queued = Vec::with_capacity(report.queued.len());
    for mail in report.queued {
        if outbox::insert(db, settings, &mail, now).await? {
            queued.push(mail);
        }
    }
    Ok(PlanReport {
        queued,
        skipped_no_recipients: report.skipped_no_recipients,
    })
}
