//! The scheduler loop `serve` runs when `reminders.enabled`: every tick, plan
//! what is due and send what is queued. All the deciding is in the plain
//! functions it calls, which take `now`.
use std::{sync::Arc, time::Duration};

use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;
use serde::Serialize;
use tokio::sync::watch;

use super::{
    ReminderError,
    planned::{Mode, PlanReport},
    run::plan_all,
    sender::{SendReport, send_due},
};
use crate::{clock::Clock, config::Settings, mail::Mailer};

/// Time between ticks.
pub const TICK: Duration = Duration::from_secs(30);

#[derive(Debug, Clone, Default, Serialize)]
pub struct TickReport {
    pub planned: PlanReport,
    pub sent: SendReport,
}

/// One tick at `now`: every kind that is due (as `shukudai remind` plans them),
/// then sending.
pub async fn tick(
    db: &DatabaseConnection,
    mailer: &dyn Mailer,
    settings: &Settings,
    now: DateTime<Utc>,
) -> Result<TickReport, ReminderError> {
    let planned = plan_all(db, settings, now, Mode::Queue).await?;
    let sent = send_due(db, mailer, settings, now).await?;
    Ok(TickReport { planned, sent })
}

/// Ticks until `shutdown` turns true; an error is logged and the next tick tries
/// again (nothing is lost: unsent rows stay in the outbox).
pub async fn run(
    db: DatabaseConnection,
    mailer: Arc<dyn Mailer>,
    settings: Arc<Settings>,
    clock: Arc<dyn Clock>,
    mut shutdown: watch::Receiver<bool>,
) {
    tracing::info!(
        cron = ?settings.reminders.weekly_cron,
        timezone = %settings.time_zone(),
        "reminder scheduler started"
    );
    loop {
        match tick(&db, mailer.as_ref(), &settings, clock.now()).await {
            Ok(report) => {
                if !report.planned.queued.is_empty() || report.sent != SendReport::default() {
                    tracing::info!(
                        queued = report.planned.queued.len(),
                        sent = report.sent.sent,
                        retried = report.sent.retried,
                        failed = report.sent.failed,
                        "reminder tick"
                    );
                }
            }
            Err(error) => tracing::error!(%error, "reminder tick failed; will retry"),
        }
        tokio::select! {
            () = tokio::time::sleep(TICK) => {}
            changed = shutdown.changed() => {
                if changed.is_err() || *shutdown.borrow() {
                    break;
                }
            }
        }
    }
    tracing::info!("reminder scheduler stopped");
}
