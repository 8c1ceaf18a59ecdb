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
