//! `shukudai remind --dry-run` and `shukudai remind` through the real binary.
use sea_orm::{EntityTrait, PaginatorTrait};
use shukudai::entities::outbox;
use tokio::process::Command;

use crate::{
    helpers::{Backend, TestApp},
    reminders::{parse_all, seed_week},
    smtp_sink::SmtpSink,
};

fn remind(app: &TestApp, sink: &SmtpSink, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_shukudai"));
    command
        .arg("remind")
        .args(args)
        .current_dir(app.settings.mail.file_dir.parent().expect("temp dir"))
        .env("SHUKUDAI__DATABASE__URL", &app.db_url)
        .env("SHUKUDAI__MAIL__TRANSPORT", "smtp")
        .env("SHUKUDAI__MAIL__SMTP_URL", sink.url())
        .env(
            "SHUKUDAI__MAIL__FROM",
            "shukudai <shukudai@city.example.jp>",
        )
        .env("RUST_LOG", "warn");
    command
}

#[tokio::test]
async fn remind_dry_run_prints_then_remind_sends() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let seed = seed_week(&app).await;
    let sink = SmtpSink::start().await;
    let at = "2026-11-23T09:00:00+09:00";

    let output = remind(&app, &sink, &["--dry-run", "--at", at])
        .output()
        .await
        .expect("run remind --dry-run");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("# 8 mail(s) would be queued"), "{stdout}");
    assert!(stdout.contains(&format!("weekly:2026-W48:dept:{}\tweekly", seed.kumin)));
    assert!(stdout.contains("escalation:2026-11-23\tescalation"));
    assert!(stdout.contains("環境部: no recipients"));
    assert_eq!(
        outbox::Entity::find().count(&app.db).await.expect("count"),
        0
    );
    assert!(sink.received().is_empty());

    let output = remind(&app, &sink, &["--at", at])
        .output()
        .await
        .expect("run remind");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    assert!(stdout.contains("# queued 8 mail(s)"), "{stdout}");
    assert!(
        stdout.contains("# sent 8, to retry 0, failed 0"),
        "{stdout}"
    );
    assert_eq!(parse_all(&sink).len(), 8);

    // Again at the same instant: nothing new.
    let output = remind(&app, &sink, &["--at", at])
        .output()
        .await
        .expect("run remind again");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("# queued 0 mail(s)"), "{stdout}");
    assert_eq!(sink.received().len(), 8);

    let output = remind(&app, &sink, &["--at", "next monday"])
        .output()
        .await
        .expect("run remind with a bad instant");
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("RFC 3339"));
}

/// `shukudai serve` with `reminders.enabled` runs the scheduler: an item overdue
/// for a month is escalated to the secretariat over SMTP on the first tick. The
/// time zone is chosen so that it is midday there now (daily jobs run from 09:00).
#[tokio::test]
async fn serve_runs_the_scheduler_when_enabled() {
    use chrono::{Timelike, Utc};
    let app = TestApp::spawn(Backend::Sqlite).await;
    app.add_department("区民部", &[], &["kumin@example.jp"])
        .await;
    let kumin = app.add_department("区民部2", &[], &[]).await;
    app.add_department("情報管理課", &["事務局"], &["jimukyoku@example.jp"])
        .await;
    let offset = 12 - i64::from(Utc::now().hour());
    let timezone = match offset {
        0 => "Etc/GMT".to_owned(),
        o if o > 0 => format!("Etc/GMT-{o}"),
        o => format!("Etc/GMT+{}", -o),
    };
    let today = Utc::now().date_naive();
    let body = app.seed_body("本部会議").await;
    let held = app
        .seed_meeting_on(
            body,
            "第1回本部会議",
            today - chrono::Duration::days(40),
            "held",
        )
        .await;
    app.seed_open_task(
        held,
        kumin,
        "一か月前が期限の宿題",
        Some(today - chrono::Duration::days(30)),
        None,
    )
    .await;
    let sink = SmtpSink::start().await;
    let mut child = Command::new(env!("CARGO_BIN_EXE_shukudai"))
        .arg("serve")
        .current_dir(app.settings.mail.file_dir.parent().expect("temp dir"))
        .env("SHUKUDAI__DATABASE__URL", &app.db_url)
        .env("SHUKUDAI__SERVER__LISTEN", "127.0.0.1:0")
        .env("SHUKUDAI__REMINDERS__ENABLED", "true")
        .env("SHUKUDAI__REMINDERS__TIMEZONE", &timezone)
        .env("SHUKUDAI__MAIL__TRANSPORT", "smtp")
        .env("SHUKUDAI__MAIL__SMTP_URL", sink.url())
        .env(
            "SHUKUDAI__MAIL__FROM",
            "shukudai <shukudai@city.example.jp>",
        )
        .env("RUST_LOG", "warn")
        .kill_on_drop(true)
        .spawn()
        .expect("start serve");
    let mut received = Vec::new();
    for _ in 0..100 {
        received = parse_all(&sink);
        if !received.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    child.kill().await.expect("stop serve");
    assert_eq!(received.len(), 1, "one escalation mail ({timezone})");
    assert_eq!(received[0].to, ["jimukyoku@example.jp"]);
    assert!(received[0].text.contains("一か月前が期限の宿題"));
    assert!(received[0].text.contains("担当: 区民部2"));
}
