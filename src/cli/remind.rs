//! `shukudai remind [--dry-run] [--at RFC3339]`: plan the reminders due at an
//! instant and (unless dry) queue and send them now.
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use clap::Args;

use super::output::{Output, complain};
use crate::{
    config::Settings,
    db, mail,
    reminders::{self, Mode, PlannedMail},
};

#[derive(Debug, Args)]
pub struct RemindArgs {
    /// Print what would be queued, without queuing or sending anything.
    #[arg(long)]
    dry_run: bool,
    /// The instant to plan for (RFC 3339, e.g. 2026-11-23T09:00:00+09:00); default now.
    #[arg(long, value_parser = parse_instant)]
    at: Option<DateTime<Utc>>,
}

fn parse_instant(s: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| format!("an RFC 3339 instant such as 2026-11-23T09:00:00+09:00: {e}"))
}

/// Exit status when this run left mails undelivered (to retry or failed), so
/// that cron and systemd notice; 1 stays "the run itself failed".
pub const MAILS_UNDELIVERED: u8 = 3;

fn print_mail(out: &mut Output, mail: &PlannedMail) {
    out.line(format_args!(
        "{}\t{}\t{} items\t{}\t{}",
        mail.dedupe_key,
        mail.kind.as_str(),
        mail.items,
        mail.recipients.join(","),
        mail.subject
    ));
}

pub async fn remind(settings: Settings, args: RemindArgs) -> anyhow::Result<ExitCode> {
    let now = args.at.unwrap_or_else(Utc::now);
    let db = db::connect_and_migrate(&settings.database).await?;
    let mut out = Output::new();
    if args.dry_run {
        let report = reminders::plan_all(&db, &settings, now, Mode::DryRun).await?;
        out.line(format_args!(
            "# {} mail(s) would be queued at {}",
            report.queued.len(),
            now.to_rfc3339()
        ));
        for mail in &report.queued {
            print_mail(&mut out, mail);
        }
        for name in &report.skipped_no_recipients {
            out.line(format_args!("# {name}: no recipients, no mail"));
        }
        out.finish()?;
        return Ok(ExitCode::SUCCESS);
    }
    let mailer = mail::from_settings(&settings.mail)?;
    let report = reminders::plan_all(&db, &settings, now, Mode::Queue).await?;
    out.line(format_args!("# queued {} mail(s)", report.queued.len()));
    for mail in &report.queued {
        print_mail(&mut out, mail);
    }
    let sent = reminders::send_due(&db, mailer.as_ref(), &settings, now).await?;
    out.line(format_args!(
        "# sent {}, to retry {}, failed {}",
        sent.sent, sent.retried, sent.failed
    ));
    let undelivered = sent.retried + sent.failed > 0;
    if undelivered {
        complain(format_args!(
            "shukudai: {} mail(s) left to retry and {} failed (see the outbox page)",
            sent.retried, sent.failed
        ));
    }
    out.finish()?;
    Ok(if undelivered {
        ExitCode::from(MAILS_UNDELIVERED)
    } else {
        ExitCode::SUCCESS
    })
}
