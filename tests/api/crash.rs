//! A crash doubles no recorded mail: a real `shukudai remind` is killed with
//! SIGKILL at many moments while it sends to the SMTP sink and started again,
//! until everything has gone out. Counted by Message-ID: nothing is lost, and
//! each kill repeats at most the mails in flight at that moment. The restarted
//! `remind` plans at the same instant, so the killed one's leases never expire
//! for it: every row it left `sending` goes out only because the restart
//! released it at once.
use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, Utc};
use mail_parser::MessageParser;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set, TransactionTrait,
};
use shukudai::{
    domain::OutboxStatus,
    entities::outbox,
    mail::{MailKind, MemoryMailer},
    reminders::{self, PlannedMail, lease::LeaseHolder, outbox::insert},
};
use tokio::process::Command;

use crate::{
    helpers::{TestApp, jst},
    on_both_backends,
    reminders::smtp_settings,
    smtp_sink::SmtpSink,
};

/// Mails that may be out without their outcome recorded, per sender: the
/// sender's concurrency.
const IN_FLIGHT: usize = 4;
const MAILS: usize = 1000;
const KILLS: usize = 20;

fn planned(i: usize) -> PlannedMail {
    PlannedMail {
        dedupe_key: format!("crash:{i}"),
        kind: MailKind::Weekly,
        department_id: None,
        recipients: vec![format!("dept{i}@example.jp")],
        locale: "ja".to_owned(),
        subject: format!("宿題の一覧 {i}"),
        text: format!("本文 {i}\n"),
        html: format!("<p>本文 {i}</p>"),
        items: 1,
    }
}

/// An instant with nothing else to plan: only the seeded rows are due.
fn at() -> DateTime<Utc> {
    jst(2026, 11, 25, 9, 0, 0)
}

fn remind(app: &TestApp, sink: &SmtpSink) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_shukudai"));
    command
        .arg("remind")
        .args(["--at", &at().to_rfc3339()])
        .current_dir(app.settings.mail.file_dir.parent().expect("temp dir"))
        .env("SHUKUDAI__DATABASE__URL", &app.db_url)
        .env("SHUKUDAI__MAIL__TRANSPORT", "smtp")
        .env("SHUKUDAI__MAIL__SMTP_URL", sink.url())
        .env(
            "SHUKUDAI__MAIL__FROM",
            "shukudai <shukudai@city.example.jp>",
        )
        .env("RUST_LOG", "error")
        .stdout(std::process::Stdio::null())
        .kill_on_drop(true);
    command
}

/// A small fixed-seed generator: kill points that differ from one another but
/// are the same on every run.
struct Points(u64);

impl Points {
    fn below(&mut self, bound: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % bound
    }
}

async fn rows_sending(app: &TestApp) -> u64 {
    outbox::Entity::find()
        .filter(outbox::Column::Status.eq(OutboxStatus::Sending))
        .count(&app.db)
        .await
        .expect("count")
}

async fn a_killed_remind_repeats_at_most_the_mails_in_flight(app: TestApp) {
    let sink = SmtpSink::start().await;
    let settings = smtp_settings(&app, &sink);
    let txn = app.db.begin().await.expect("begin");
    for i in 0..MAILS {
        insert(&txn, &settings, &planned(i), at())
            .await
            .expect("queue");
    }
    txn.commit().await.expect("commit");
    // Each answer waits, so that a kill finds mails kept by the sink whose
    // answer the sender has not read yet: the worst case for doubles.
    sink.set_answer_delay(std::time::Duration::from_millis(2));
    let mut points = Points(14);
    // The sink's count when each kill's process had ended: receipts before
    // `ends[k]` (and after `ends[k - 1]`) came from run k.
    let mut ends = Vec::with_capacity(KILLS);
    let mut left_sending = Vec::with_capacity(KILLS);
    // A remind that finished before its kill: nothing left that it could send.
    let mut ended_before_kill = None;
    for kill in 0..KILLS {
        let mut child = remind(&app, &sink).spawn().expect("start remind");
        let target = sink.received_count() + 1 + usize::try_from(points.below(40)).expect("small");
        tokio::select! {
            () = sink.wait_for_count(target) => {}
            status = child.wait() => {
                ended_before_kill = Some(format!("before kill {kill}: {status:?}"));
                break;
            }
        }
        // Somewhere in the next few milliseconds: mid-send, mid-commit, mid-claim.
        let wait = points.below(4);
        if wait > 0 {
            tokio::time::sleep(std::time::Duration::from_millis(wait)).await;
        }
        child.kill().await.expect("SIGKILL remind");
        sink.wait_idle().await;
        ends.push(sink.received_count());
        left_sending.push(rows_sending(&app).await);
    }
    let output = remind(&app, &sink)
        .stdout(std::process::Stdio::piped())
        .output()
        .await
        .expect("run remind to the end");
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );

    let received: Vec<String> = sink
        .received()
        .iter()
        .map(|r| {
            let message = MessageParser::default()
                .parse(&r.data)
                .expect("parseable message");
            format!("<{}>", message.message_id().expect("a Message-ID"))
        })
        .collect();
    let run_of = |receipt: usize| ends.partition_point(|&end| end <= receipt);
    // Each repeat is charged to the kill that interrupted the send before it.
    let kills = ends.len();
    let mut doubled = vec![0_usize; kills];
    let mut last_run: HashMap<&str, usize> = HashMap::new();
    for (receipt, id) in received.iter().enumerate() {
        let run = run_of(receipt);
        if let Some(before) = last_run.insert(id, run) {
            assert!(before < run, "{id} sent twice by one run ({run})");
            doubled[before] += 1;
        }
    }
    let rows = outbox::Entity::find().all(&app.db).await.expect("rows");
    let expected: HashSet<&str> = rows.iter().map(|r| r.message_id.as_str()).collect();
    let delivered: HashSet<&str> = received.iter().map(String::as_str).collect();
    let lost = expected.difference(&delivered).count();
    eprintln!(
        "{:?}: {MAILS} mails, {kills} kills, {} received, {lost} lost, {} doubled; \
         per kill {:?}; rows left sending per kill {left_sending:?}",
        app.backend,
        received.len(),
        doubled.iter().sum::<usize>(),
        doubled,
    );
    assert!(
        ended_before_kill.is_none(),
        "remind ran out of mails to send {ended_before_kill:?}"
    );
    assert_eq!(lost, 0, "every mail went out");
    assert_eq!(delivered.len(), MAILS, "and no other");
    assert!(
        rows.iter().all(|r| r.status == OutboxStatus::Sent),
        "every row is recorded sent"
    );
    assert!(
        doubled.iter().all(|&n| n <= IN_FLIGHT),
        "a kill repeats at most the {IN_FLIGHT} mails in flight: {doubled:?}"
    );
    assert!(
        left_sending.iter().all(|&n| n > 0),
        "every kill left rows sending for the restart to release: {left_sending:?}"
    );
}

/// A sender releases at once the rows of a sender of this machine that has ended
/// (killed, or its pid now someone else's), as `serve`'s scheduler does on its
/// next tick; the rows of a live sender, of a sender elsewhere, and of one that
/// named no holder keep their lease.
async fn only_the_rows_of_ended_senders_here_are_released(app: TestApp) {
    let settings = (*app.settings).clone();
    let now = at();
    let me = LeaseHolder::current().expect("a process identity from /proc");
    let mut ended = std::process::Command::new("true")
        .spawn()
        .expect("a short-lived process");
    ended.wait().expect("it ends");
    let reused = LeaseHolder::here(std::process::id(), 0).expect("here");
    let dead = LeaseHolder::here(ended.id(), 1).expect("here");
    let holders = [
        ("dead", Some(dead.to_column())),
        ("reused", Some(reused.to_column())),
        ("alive", Some(me.to_column())),
        (
            "elsewhere",
            Some("another-host/boot/pid:[1] 4242 1".to_owned()),
        ),
        ("unnamed", None),
    ];
    let mut keys = HashMap::new();
    for (i, (name, holder)) in holders.iter().enumerate() {
        insert(&app.db, &settings, &planned(i), now)
            .await
            .expect("queue");
        let row = outbox::Entity::find()
            .filter(outbox::Column::DedupeKey.eq(format!("crash:{i}")))
            .one(&app.db)
            .await
            .expect("row")
            .expect("queued");
        keys.insert(row.message_id.clone(), *name);
        outbox::ActiveModel {
            status: Set(OutboxStatus::Sending),
            attempts: Set(1),
            lease_until: Set(Some(now + Duration::minutes(5))),
            lease_owner: Set(holder.clone()),
            ..row.into()
        }
        .update(&app.db)
        .await
        .expect("claimed by the holder");
    }
    let mailer = MemoryMailer::default();
    let report = reminders::tick(&app.db, &mailer, &settings, now + Duration::minutes(1))
        .await
        .expect("tick");
    let mut sent: Vec<&str> = mailer
        .sent()
        .iter()
        .map(|m| keys[m.message_id.as_str()])
        .collect();
    sent.sort_unstable();
    assert_eq!(sent, ["dead", "reused"]);
    assert_eq!(report.sent.sent, 2);
    assert_eq!(rows_sending(&app).await, 3, "the others keep their lease");
}

on_both_backends!(
    a_killed_remind_repeats_at_most_the_mails_in_flight,
    only_the_rows_of_ended_senders_here_are_released,
);
