//! The real `shukudai` binary's exit codes and output: `remind` exits 3 when it
//! leaves mails undelivered, and a reader that closes its end of the pipe early
//! (`shukudai remind | head -3`) costs no panic and no mail.
use std::process::{Output, Stdio};

use tokio::process::Command;

use crate::{
    helpers::TestApp,
    on_both_backends,
    reminders::{parse_all, seed_week},
    smtp_sink::SmtpSink,
};

/// The instant at which [`seed_week`] plans 8 mails.
const AT: &str = "2026-11-23T09:00:00+09:00";
/// `remind`'s documented status for mails left to retry or failed.
const MAILS_UNDELIVERED: i32 = 3;

fn shukudai(app: &TestApp, smtp_url: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_shukudai"));
    command
        .current_dir(app.settings.mail.file_dir.parent().expect("temp dir"))
        .env("SHUKUDAI__DATABASE__URL", &app.db_url)
        .env("SHUKUDAI__MAIL__TRANSPORT", "smtp")
        .env("SHUKUDAI__MAIL__SMTP_URL", smtp_url)
        .env(
            "SHUKUDAI__MAIL__FROM",
            "shukudai <shukudai@city.example.jp>",
        )
        .env("RUST_LOG", "error")
        .stdin(Stdio::null());
    command
}

/// Runs `command` with standard output into a pipe whose reader has already
/// gone, as when `head` has read its lines: every write fails with EPIPE,
/// deterministically. (`Command::output` would replace the pipe with its own.)
async fn into_closed_pipe(command: &mut Command) -> Output {
    let (reader, writer) = std::io::pipe().expect("pipe");
    drop(reader);
    command
        .stdout(writer)
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn shukudai")
        .wait_with_output()
        .await
        .expect("wait for shukudai")
}

fn describe(output: &Output) -> String {
    format!(
        "status {:?}\nstdout:\n{}\nstderr:\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// An SMTP URL where nothing listens: the port was bound, then let go.
fn closed_smtp_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    drop(listener);
    format!("smtp://127.0.0.1:{port}")
}

async fn remind_exits_non_zero_when_mails_are_left_to_retry(app: TestApp) {
    seed_week(&app).await;
    let output = shukudai(&app, &closed_smtp_url())
        .args(["remind", "--at", AT])
        .output()
        .await
        .expect("run remind");
    let report = describe(&output);
    assert_eq!(output.status.code(), Some(MAILS_UNDELIVERED), "{report}");
    assert!(
        report.contains("# sent 0, to retry 8, failed 0"),
        "{report}"
    );
    assert!(report.contains("8 mail(s) left to retry"), "{report}");

    // Once SMTP answers, the next run sends them and exits 0.
    let sink = SmtpSink::start().await;
    let later = "2026-11-23T12:00:00+09:00";
    let output = shukudai(&app, &sink.url())
        .args(["remind", "--at", later])
        .output()
        .await
        .expect("run remind again");
    assert_eq!(output.status.code(), Some(0), "{}", describe(&output));
    assert_eq!(parse_all(&sink).len(), 8);
}

async fn remind_into_a_closed_pipe_still_sends_everything(app: TestApp) {
    seed_week(&app).await;
    let sink = SmtpSink::start().await;
    let output = into_closed_pipe(shukudai(&app, &sink.url()).args(["remind", "--at", AT])).await;
    let report = describe(&output);
    assert_eq!(output.status.code(), Some(0), "{report}");
    assert!(!report.contains("panicked"), "{report}");
    assert_eq!(parse_all(&sink).len(), 8, "every mail was sent: {report}");

    let output = into_closed_pipe(shukudai(&app, &sink.url()).args([
        "remind",
        "--dry-run",
        "--at",
        "2026-11-30T09:00:00+09:00",
    ]))
    .await;
    assert_eq!(output.status.code(), Some(0), "{}", describe(&output));

    let output = into_closed_pipe(shukudai(&app, &sink.url()).args(["department", "list"])).await;
    assert_eq!(output.status.code(), Some(0), "{}", describe(&output));
}

/// `extract` needs no database: a closed pipe is the only thing to survive.
#[tokio::test]
async fn extract_into_a_closed_pipe_exits_quietly() {
    let minutes = format!(
        "{}/tests/fixtures/minutes/iinkai-named.txt",
        env!("CARGO_MANIFEST_DIR")
    );
    for json in [false, true] {
        let mut command = Command::new(env!("CARGO_BIN_EXE_shukudai"));
        command.arg("extract").arg(&minutes);
        if json {
            command.arg("--json");
        }
        let output = into_closed_pipe(command.stdin(Stdio::null())).await;
        let report = describe(&output);
        assert_eq!(output.status.code(), Some(0), "{report}");
        assert!(!report.contains("panicked"), "{report}");
    }
}

on_both_backends!(
    remind_exits_non_zero_when_mails_are_left_to_retry,
    remind_into_a_closed_pipe_still_sends_everything
);
