//! `shukudai remind [--dry-run] [--at RFC3339]`: plan the reminders due at an
//! instant and (unless dry) queue and send them now.
use chrono::{DateTime, Utc};
use clap::Args;

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

fn print_mail(mail: &PlannedMail) {
    println!(
        "{}\t{}\t{} items\t{}\t{}",
        mail.dedupe_key,
        mail.kind.as_str(),
        mail.items,
        mail.recipients.join(","),
        mail.subject
    );
}

pub async fn remind(settings: Settings, args: RemindArgs) -> anyhow::Result<()> {
    let now = args.at.unwrap_or_else(Utc::now);
    let db = db::connect_and_migrate(&settings.database).await?;
    if args.dry_run {
        let report = reminders::plan_all(&db, &settings, now, Mode::DryRun).await?;
        println!(
            "# {} mail(s) would be queued at {}",
            report.queued.len(),
            now.to_rfc3339()
        );
        for mail in &report.queued {
            print_mail(mail);
        }
        for name in &report.skipped_no_recipients {
            println!("# {name}: no recipients, no mail");
        }
        return Ok(());
    }
    let mailer = mail::from_settings(&settings.mail)?;
    let report = reminders::plan_all(&db, &settings, now, Mode::Queue).await?;
    println!("# queued {} mail(s)", report.queued.len());
    for mail in &report.queued {
        print_mail(mail);
    }
    let sent = reminders::send_due(&db, mailer.as_ref(), &settings, now).await?;
    println!(
        "# sent {}, to retry {}, failed {}",
        sent.sent, sent.retried, sent.failed
    );
    Ok(())
}
