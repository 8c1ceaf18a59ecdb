//! The task lifecycle through HTTP: review, confirm, notes, complete, reopen,
//! cancel; optimistic locking; the audit trail; merge; filters; CSV.
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use shukudai::domain::{DueKind, Role};

use crate::{
    helpers::{TestApp, draft, expect_problem},
    on_both_backends,
};

struct Fixture {
    secretariat: String,
    kumin: String,
    kyoiku: String,
    viewer: String,
    body_id: i32,
    meeting_id: i32,
}

async fn fixture(app: &TestApp) -> Fixture {
    app.add_department("政策経営部情報管理課", &["事務局"], &[])
        .await;
    app.add_department("区民部", &[], &[]).await;
    app.add_department("教育部", &["教育委員会"], &[]).await;
    let secretariat = app
        .token("jimukyoku", Role::Secretariat, Some("政策経営部情報管理課"))
        .await;
    let kumin = app.token("kumin", Role::Department, Some("区民部")).await;
    let kyoiku = app.token("kyoiku", Role::Department, Some("教育部")).await;
    let viewer = app.token("honbucho", Role::Viewer, None).await;
    let (body_id, meeting_id) = app.seed_meeting("行政情報化推進本部", "2026-11-02").await;
    Fixture {
        secretariat,
        kumin,
        kyoiku,
        viewer,
        body_id,
        meeting_id,
    }
}

async fn post(app: &TestApp, path: &str, token: &str, body: Value) -> reqwest::Response {
    app.send_json(Method::POST, path, token, &body, None).await
}

async fn ok_json(response: reqwest::Response) -> Value {
    let status = response.status();
    let body: Value = response.json().await.expect("json");
    assert!(status.is_success(), "unexpected {status}: {body}");
    body
}

async fn actions(app: &TestApp, id: i64, token: &str) -> Vec<String> {
    app.get_ok(&format!("/api/v1/tasks/{id}/events"), token)
        .await
        .as_array()
        .expect("array")
        .iter()
        .map(|e| e["action"].as_str().unwrap_or_default().to_owned())
        .collect()
}

async fn full_lifecycle(app: TestApp) {
    let f = fixture(&app).await;
    let ids = app
        .seed_drafts(
            f.meeting_id,
            vec![draft(
                "住民記録システムの移行計画を次回報告する",
                Some("区民部"),
                DueKind::Date,
                Some("2026-12-01"),
                "移行計画について、次回までに報告してください。",
                Some((120, 145)),
            )],
        )
        .await;
    let id = i64::from(ids[0]);

    // Drafts are the secretariat's: departments and viewers do not see them.
    let listed = app.get_ok("/api/v1/tasks", &f.secretariat).await;
    assert_eq!(listed["total"], 1);
    assert_eq!(listed["items"][0]["status"], "draft");
    assert_eq!(listed["items"][0]["owner"], "区民部");
    assert_eq!(
        listed["items"][0]["evidence"],
        json!([{"quote": "移行計画について、次回までに報告してください。", "span": [120, 145], "minutes_id": null}])
    );
    for token in [&f.kumin, &f.viewer] {
        let hidden = app.get_ok("/api/v1/tasks", token).await;
        assert_eq!(hidden["total"], 0);
        let one = app.get(&format!("/api/v1/tasks/{id}"), token).await;
        expect_problem(one, StatusCode::NOT_FOUND).await;
    }
    let early = post(
        &app,
        &format!("/api/v1/tasks/{id}/complete"),
        &f.kumin,
        json!({"note": "x"}),
    )
    .await;
    expect_problem(early, StatusCode::NOT_FOUND).await;

    // Confirm as extracted.
    let confirmed = ok_json(
        post(
            &app,
            &format!("/api/v1/tasks/{id}/confirm"),
            &f.secretariat,
            json!({}),
        )
        .await,
    )
    .await;
    assert_eq!(confirmed["status"], "open");
    assert_eq!(confirmed["owner"], "区民部");
    assert_eq!(confirmed["due_on"], "2026-12-01");
    assert_eq!(confirmed["version"], 2);
    let again = post(
        &app,
        &format!("/api/v1/tasks/{id}/confirm"),
        &f.secretariat,
        json!({}),
    )
    .await;
    expect_problem(again, StatusCode::CONFLICT).await;

    // The department sees it now, with an ETag.
    let read = app.get(&format!("/api/v1/tasks/{id}"), &f.kumin).await;
    assert_eq!(read.status(), StatusCode::OK);
    assert_eq!(read.headers()["etag"], "\"2\"");

    // Progress note, then completion (a note is required).
    let note = post(
        &app,
        &format!("/api/v1/tasks/{id}/notes"),
        &f.kumin,
        json!({"body": "業者と調整中"}),
    )
    .await;
    assert_eq!(note.status(), StatusCode::CREATED);
    let note: Value = note.json().await.expect("json");
    assert_eq!(note["body"], "業者と調整中");
    assert!(
        note["created_at"]
            .as_str()
            .unwrap_or_default()
            .ends_with("+09:00"),
        "{note}"
    );
    let empty = post(
        &app,
        &format!("/api/v1/tasks/{id}/complete"),
        &f.kumin,
        json!({"note": "  "}),
    )
    .await;
    let problem = expect_problem(empty, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(problem["errors"][0]["field"], "note");
    let done = ok_json(
        post(
            &app,
            &format!("/api/v1/tasks/{id}/complete"),
            &f.kumin,
            json!({"note": "12月の本部で報告済み"}),
        )
        .await,
    )
    .await;
    assert_eq!(done["status"], "done");
    assert_eq!(done["completion_note"], "12月の本部で報告済み");
    assert_eq!(done["notes"][0]["body"], "業者と調整中");
    let late_note = post(
        &app,
        &format!("/api/v1/tasks/{id}/notes"),
        &f.kumin,
        json!({"body": "追記"}),
    )
    .await;
    expect_problem(late_note, StatusCode::CONFLICT).await;

    // Reopen (secretariat only), then cancel with a reason.
    let refused = post(
        &app,
        &format!("/api/v1/tasks/{id}/reopen"),
        &f.kumin,
        json!({}),
    )
    .await;
    expect_problem(refused, StatusCode::FORBIDDEN).await;
    let reopened = ok_json(
        post(
            &app,
            &format!("/api/v1/tasks/{id}/reopen"),
            &f.secretariat,
            json!({"reason": "報告内容が不十分"}),
        )
        .await,
    )
    .await;
    assert_eq!(reopened["status"], "open");
    assert_eq!(reopened["completion_note"], Value::Null);
    let no_reason = post(
        &app,
        &format!("/api/v1/tasks/{id}/cancel"),
        &f.secretariat,
        json!({"reason": ""}),
    )
    .await;
    expect_problem(no_reason, StatusCode::UNPROCESSABLE_ENTITY).await;
    let cancelled = ok_json(
        post(
            &app,
            &format!("/api/v1/tasks/{id}/cancel"),
            &f.secretariat,
            json!({"reason": "計画変更のため不要"}),
        )
        .await,
    )
    .await;
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(cancelled["cancel_reason"], "計画変更のため不要");

    // Every change is in the audit trail, with who and what.
    let events = app
        .get_ok(&format!("/api/v1/tasks/{id}/events"), &f.secretariat)
        .await;
    let got: Vec<&str> = events
        .as_array()
        .expect("array")
        .iter()
        .map(|e| e["action"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        got,
        [
            "created",
            "confirmed",
            "note_added",
            "completed",
            "reopened",
            "cancelled"
        ]
    );
    assert_eq!(events[0]["actor"], "test import");
    assert_eq!(events[1]["changes"]["status"], json!(["draft", "open"]));
    assert_eq!(events[1]["actor"], "jimukyoku さん (jimukyoku)");
    assert!(events[1]["actor_user_id"].is_number());
    assert_eq!(events[2]["changes"]["note"], json!([null, "業者と調整中"]));
    assert_eq!(events[2]["actor"], "kumin さん (kumin)");
    assert_eq!(
        events[3]["changes"]["completion_note"],
        json!([null, "12月の本部で報告済み"])
    );
    assert_eq!(events[4]["changes"]["status"], json!(["done", "open"]));
    assert_eq!(
        events[4]["changes"]["reason"],
        json!([null, "報告内容が不十分"])
    );
    assert_eq!(
        events[5]["changes"]["cancel_reason"],
        json!([null, "計画変更のため不要"])
    );
}

async fn confirm_needs_owner_and_a_chosen_due_date(app: TestApp) {
    let f = fixture(&app).await;
    let ids = app
        .seed_drafts(
            f.meeting_id,
            vec![
                draft(
                    "所管不明の依頼",
                    Some("存在しない課"),
                    DueKind::None,
                    None,
                    "検討をお願いします。",
                    None,
                ),
                draft(
                    "期限なしの依頼",
                    Some("教育委員会"),
                    DueKind::None,
                    None,
                    "引き続き検討を。",
                    None,
                ),
            ],
        )
        .await;
    let (no_owner, no_due) = (ids[0], ids[1]);

    let problem = expect_problem(
        post(
            &app,
            &format!("/api/v1/tasks/{no_owner}/confirm"),
            &f.secretariat,
            json!({}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert_eq!(fields, ["owner", "due_on"]);
    let unknown = expect_problem(
        post(
            &app,
            &format!("/api/v1/tasks/{no_owner}/confirm"),
            &f.secretariat,
            json!({"owner": "総務部", "due_on": "2026-12-01"}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(unknown["errors"][0]["field"], "owner");
    let both = expect_problem(
        post(
            &app,
            &format!("/api/v1/tasks/{no_owner}/confirm"),
            &f.secretariat,
            json!({"owner": "区民部", "due_on": "2026-12-01", "due_next_meeting": true}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(both["errors"][0]["field"], "due_on");
    let confirmed = ok_json(
        post(
            &app,
            &format!("/api/v1/tasks/{no_owner}/confirm"),
            &f.secretariat,
            json!({"owner": "区民部", "due_on": "2020-09-30"}),
        )
        .await,
    )
    .await;
    assert_eq!(confirmed["owner"], "区民部");
    assert_eq!(confirmed["due_kind"], "date");
    assert_eq!(confirmed["due_on"], "2020-09-30");

    // The alias resolved at import; no due date until one is chosen explicitly.
    let still_draft = app
        .get_ok(&format!("/api/v1/tasks/{no_due}"), &f.secretariat)
        .await;
    assert_eq!(still_draft["owner"], "教育部");
    expect_problem(
        post(
            &app,
            &format!("/api/v1/tasks/{no_due}/confirm"),
            &f.secretariat,
            json!({}),
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    let none = ok_json(
        post(
            &app,
            &format!("/api/v1/tasks/{no_due}/confirm"),
            &f.secretariat,
            json!({"due_kind": "none"}),
        )
        .await,
    )
    .await;
    assert_eq!(none["status"], "open");
    assert_eq!(none["due_kind"], "none");
    assert_eq!(none["due_on"], Value::Null);
}

async fn stale_edit_is_412_and_missing_if_match_is_428(app: TestApp) {
    let f = fixture(&app).await;
    let id = app
        .seed_drafts(
            f.meeting_id,
            vec![draft(
                "元の要約",
                Some("区民部"),
                DueKind::Date,
                Some("2026-12-01"),
                "根拠",
                None,
            )],
        )
        .await[0];
    let path = format!("/api/v1/tasks/{id}");
    let read = app.get(&path, &f.secretariat).await;
    let etag = read.headers()["etag"].to_str().expect("etag").to_owned();
    assert_eq!(etag, "\"1\"");

    let missing = app
        .send_json(
            Method::PATCH,
            &path,
            &f.secretariat,
            &json!({"summary": "新しい要約"}),
            None,
        )
        .await;
    expect_problem(missing, StatusCode::PRECONDITION_REQUIRED).await;

    let edited = app
        .send_json(
            Method::PATCH,
            &path,
            &f.secretariat,
            &json!({"summary": "新しい要約", "owner": "教育委員会"}),
            Some(&etag),
        )
        .await;
    assert_eq!(edited.status(), StatusCode::OK);
    assert_eq!(edited.headers()["etag"], "\"2\"");
    let edited: Value = edited.json().await.expect("json");
    assert_eq!(edited["summary"], "新しい要約");
    assert_eq!(edited["owner"], "教育部");

    // A second client still holding version 1 is told what the task is now.
    let stale = app
        .send_json(
            Method::PATCH,
            &path,
            &f.secretariat,
            &json!({"summary": "別の要約"}),
            Some(&etag),
        )
        .await;
    let problem = expect_problem(stale, StatusCode::PRECONDITION_FAILED).await;
    assert_eq!(problem["current"]["version"], 2);
    assert_eq!(problem["current"]["summary"], "新しい要約");
    let stale_confirm = app
        .send_json(
            Method::POST,
            &format!("{path}/confirm"),
            &f.secretariat,
            &json!({}),
            Some("\"1\""),
        )
        .await;
    expect_problem(stale_confirm, StatusCode::PRECONDITION_FAILED).await;
    let garbage = app
        .send_json(
            Method::POST,
            &format!("{path}/confirm"),
            &f.secretariat,
            &json!({}),
            Some("\"abc\""),
        )
        .await;
    expect_problem(garbage, StatusCode::PRECONDITION_FAILED).await;
    let unchanged = app.get_ok(&path, &f.secretariat).await;
    assert_eq!(unchanged["summary"], "新しい要約");
    assert_eq!(unchanged["status"], "draft");
    assert_eq!(unchanged["version"], 2);
    assert_eq!(
        actions(&app, i64::from(id), &f.secretariat).await,
        ["created", "edited"]
    );
    let events = app.get_ok(&format!("{path}/events"), &f.secretariat).await;
    assert_eq!(
        events[1]["changes"],
        json!({"summary": ["元の要約", "新しい要約"], "owner": ["区民部", "教育部"]})
    );

    let current = app
        .send_json(
            Method::POST,
            &format!("{path}/confirm"),
            &f.secretariat,
            &json!({}),
            Some("\"2\""),
        )
        .await;
    assert_eq!(current.status(), StatusCode::OK);
    assert_eq!(current.headers()["etag"], "\"3\"");
}

async fn rescheduling_moves_bound_due_dates(app: TestApp) {
    let f = fixture(&app).await;
    let ids = app
        .seed_drafts(
            f.meeting_id,
            vec![
                draft(
                    "次回本部で報告する",
                    Some("区民部"),
                    DueKind::NextMeeting,
                    None,
                    "次回の本部でまた報告してもらいたい",
                    None,
                ),
                draft(
                    "日付指定の依頼",
                    Some("区民部"),
                    DueKind::Date,
                    Some("2026-12-20"),
                    "20日までに",
                    None,
                ),
            ],
        )
        .await;
    let (next_id, dated_id) = (ids[0], ids[1]);
    let unbound = app
        .get_ok(&format!("/api/v1/tasks/{next_id}"), &f.secretariat)
        .await;
    assert_eq!(unbound["due_kind"], "next_meeting");
    assert_eq!(unbound["due_on"], Value::Null);

    let scheduled = post(
        &app,
        &format!("/api/v1/bodies/{}/meetings", f.body_id),
        &f.secretariat,
        json!({"held_on": "2026-12-10", "starts_at": "15:00", "place": "庁議室"}),
    )
    .await;
    assert_eq!(scheduled.status(), StatusCode::CREATED);
    let first: Value = scheduled.json().await.expect("json");
    assert_eq!(first["status"], "scheduled");
    let bodies = app.get_ok("/api/v1/bodies", &f.viewer).await;
    assert_eq!(bodies[0]["next_meeting"]["id"], first["id"]);

    let bound = app
        .get_ok(&format!("/api/v1/tasks/{next_id}"), &f.secretariat)
        .await;
    assert_eq!(bound["due_on"], "2026-12-10");
    assert_eq!(bound["due_meeting_id"], first["id"]);
    let confirmed = ok_json(
        post(
            &app,
            &format!("/api/v1/tasks/{next_id}/confirm"),
            &f.secretariat,
            json!({}),
        )
        .await,
    )
    .await;
    assert_eq!(confirmed["due_on"], "2026-12-10");

    // Moving the meeting moves the task; the dated task stays.
    let moved = app
        .send_json(
            Method::PATCH,
            &format!("/api/v1/meetings/{}", first["id"]),
            &f.secretariat,
            &json!({"held_on": "2026-12-17"}),
            None,
        )
        .await;
    assert_eq!(moved.status(), StatusCode::OK);
    let after_move = app
        .get_ok(&format!("/api/v1/tasks/{next_id}"), &f.kumin)
        .await;
    assert_eq!(after_move["due_on"], "2026-12-17");
    assert_eq!(after_move["due_meeting_id"], first["id"]);
    let dated = app
        .get_ok(&format!("/api/v1/tasks/{dated_id}"), &f.secretariat)
        .await;
    assert_eq!(dated["due_on"], "2026-12-20");

    // An earlier meeting becomes the next one: the task rebinds to it.
    let earlier: Value = post(
        &app,
        &format!("/api/v1/bodies/{}/meetings", f.body_id),
        &f.secretariat,
        json!({"held_on": "2026-12-03"}),
    )
    .await
    .json()
    .await
    .expect("json");
    let rebound = app
        .get_ok(&format!("/api/v1/tasks/{next_id}"), &f.kumin)
        .await;
    assert_eq!(rebound["due_on"], "2026-12-03");
    assert_eq!(rebound["due_meeting_id"], earlier["id"]);
    let events = app
        .get_ok(&format!("/api/v1/tasks/{next_id}/events"), &f.secretariat)
        .await;
    let rebinds: Vec<&Value> = events
        .as_array()
        .expect("array")
        .iter()
        .filter(|e| e["action"] == "due_rebound")
        .collect();
    assert_eq!(rebinds.len(), 3);
    assert_eq!(
        rebinds[1]["changes"]["due_on"],
        json!(["2026-12-10", "2026-12-17"])
    );
    assert_eq!(
        rebinds[2]["changes"]["due_on"],
        json!(["2026-12-17", "2026-12-03"])
    );

    // The meeting page shows the meeting's tasks; a past date is refused.
    let meeting = app
        .get_ok(&format!("/api/v1/meetings/{}", f.meeting_id), &f.kumin)
        .await;
    assert_eq!(
        meeting["tasks"]["total"], 1,
        "departments see confirmed tasks only"
    );
    assert_eq!(meeting["tasks"]["draft"], 0);
    let meetings = app.get_ok("/api/v1/meetings?page_size=2", &f.viewer).await;
    assert_eq!(meetings["total"], 3);
    assert_eq!(meetings["items"][0]["held_on"], "2026-12-17");
    let past = post(
        &app,
        &format!("/api/v1/bodies/{}/meetings", f.body_id),
        &f.secretariat,
        json!({"held_on": "2026-11-01"}),
    )
    .await;
    let problem = expect_problem(past, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(problem["errors"][0]["field"], "held_on");
}

async fn merge_keeps_both_evidence_spans(app: TestApp) {
    let f = fixture(&app).await;
    let ids = app
        .seed_drafts(
            f.meeting_id,
            vec![
                draft(
                    "ICT活用について教育委員会と調整する",
                    Some("教育部"),
                    DueKind::NextMeeting,
                    None,
                    "しっかりと調整をしていただき",
                    Some((1234, 1247)),
                ),
                draft(
                    "教育委員会との調整結果を報告",
                    None,
                    DueKind::None,
                    None,
                    "次回の本部でまた報告してもらいたい",
                    Some((1250, 1268)),
                ),
                draft(
                    "別件",
                    Some("区民部"),
                    DueKind::Asap,
                    None,
                    "至急対応を",
                    Some((2000, 2005)),
                ),
            ],
        )
        .await;
    let open = ids[2];
    ok_json(
        post(
            &app,
            &format!("/api/v1/tasks/{open}/confirm"),
            &f.secretariat,
            json!({}),
        )
        .await,
    )
    .await;
    let not_draft = post(
        &app,
        "/api/v1/tasks/merge",
        &f.secretariat,
        json!({"into": ids[0], "from": [open]}),
    )
    .await;
    let problem = expect_problem(not_draft, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(problem["errors"][0]["field"], "from[0]");
    let selfish = post(
        &app,
        "/api/v1/tasks/merge",
        &f.secretariat,
        json!({"into": ids[0], "from": [ids[0]]}),
    )
    .await;
    expect_problem(selfish, StatusCode::UNPROCESSABLE_ENTITY).await;

    let merged = ok_json(
        post(
            &app,
            "/api/v1/tasks/merge",
            &f.secretariat,
            json!({"into": ids[0], "from": [ids[1]]}),
        )
        .await,
    )
    .await;
    assert_eq!(
        merged["evidence"],
        json!([
            {"quote": "しっかりと調整をしていただき", "span": [1234, 1247], "minutes_id": null},
            {"quote": "次回の本部でまた報告してもらいたい", "span": [1250, 1268], "minutes_id": null}
        ])
    );
    let away = app
        .get_ok(&format!("/api/v1/tasks/{}", ids[1]), &f.secretariat)
        .await;
    assert_eq!(away["status"], "cancelled");
    assert_eq!(away["merged_into_id"], ids[0]);
    assert_eq!(
        actions(&app, i64::from(ids[1]), &f.secretariat).await,
        ["created", "merged_away"]
    );
    let events = app
        .get_ok(&format!("/api/v1/tasks/{}/events", ids[0]), &f.secretariat)
        .await;
    assert_eq!(events[1]["action"], "merged");
    assert_eq!(events[1]["changes"]["evidence"], json!([1, 2]));
    assert_eq!(events[1]["changes"]["merged_from"], json!([null, [ids[1]]]));

    // Reject the remaining draft: cancelled with reason "rejected".
    let rejected = ok_json(
        post(
            &app,
            &format!("/api/v1/tasks/{}/reject", ids[0]),
            &f.secretariat,
            json!({}),
        )
        .await,
    )
    .await;
    assert_eq!(rejected["status"], "cancelled");
    assert_eq!(rejected["cancel_reason"], "rejected");
}

async fn bulk_confirm_is_all_or_nothing(app: TestApp) {
    let f = fixture(&app).await;
    let ids = app
        .seed_drafts(
            f.meeting_id,
            vec![
                draft(
                    "一つ目",
                    Some("区民部"),
                    DueKind::Date,
                    Some("2026-12-01"),
                    "a",
                    None,
                ),
                draft("二つ目", None, DueKind::None, None, "b", None),
            ],
        )
        .await;
    let failed = post(
        &app,
        "/api/v1/tasks/confirm",
        &f.secretariat,
        json!({"items": [
            {"id": ids[0], "summary": "一つ目を言い換えた"},
            {"id": ids[1], "due_next_meeting": true},
            {"id": 999999, "owner": "区民部"}
        ]}),
    )
    .await;
    let problem = expect_problem(failed, StatusCode::UNPROCESSABLE_ENTITY).await;
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert_eq!(fields, ["items[1].owner", "items[2].id"]);
    let first = app
        .get_ok(&format!("/api/v1/tasks/{}", ids[0]), &f.secretariat)
        .await;
    assert_eq!(first["status"], "draft", "nothing was confirmed");
    assert_eq!(first["summary"], "一つ目", "nor reworded");
    assert_eq!(
        actions(&app, i64::from(ids[0]), &f.secretariat).await,
        ["created"]
    );

    let confirmed = ok_json(
        post(
            &app,
            "/api/v1/tasks/confirm",
            &f.secretariat,
            json!({"items": [
                {"id": ids[0], "summary": "  一つ目を言い換えた "},
                {"id": ids[1], "owner": "教育部", "due_next_meeting": true}
            ]}),
        )
        .await,
    )
    .await;
    assert_eq!(confirmed["items"][0]["status"], "open");
    assert_eq!(confirmed["items"][0]["summary"], "一つ目を言い換えた");
    let events = app
        .get_ok(&format!("/api/v1/tasks/{}/events", ids[0]), &f.secretariat)
        .await;
    assert_eq!(events[1]["action"], "confirmed");
    assert_eq!(
        events[1]["changes"]["summary"],
        json!(["一つ目", "一つ目を言い換えた"]),
        "the rewording is part of the confirmation's audit row"
    );
    assert_eq!(confirmed["items"][1]["owner"], "教育部");
    assert_eq!(confirmed["items"][1]["due_kind"], "next_meeting");
}

async fn list_filters_and_pages_stably(app: TestApp) {
    let f = fixture(&app).await;
    let (_, other_meeting) = app.seed_meeting("行政情報化推進本部", "2026-10-05").await;
    let ids = app
        .seed_drafts(
            f.meeting_id,
            vec![
                draft(
                    "期限切れの依頼",
                    Some("区民部"),
                    DueKind::Date,
                    Some("2026-11-10"),
                    "早急に 100% 対応",
                    None,
                ),
                draft(
                    "来月の依頼",
                    Some("区民部"),
                    DueKind::Date,
                    Some("2026-12-10"),
                    "来月までに",
                    None,
                ),
                draft(
                    "期限なし",
                    Some("教育部"),
                    DueKind::Asap,
                    None,
                    "できるだけ早く",
                    None,
                ),
                draft(
                    "同じ日の依頼",
                    Some("教育部"),
                    DueKind::Date,
                    Some("2026-12-10"),
                    "同日",
                    None,
                ),
            ],
        )
        .await;
    let other = app
        .seed_drafts(
            other_meeting,
            vec![draft(
                "前回の依頼",
                Some("区民部"),
                DueKind::Date,
                Some("2026-11-20"),
                "前回",
                None,
            )],
        )
        .await[0];
    for id in ids.iter().chain([&other]) {
        ok_json(
            post(
                &app,
                &format!("/api/v1/tasks/{id}/confirm"),
                &f.secretariat,
                json!({}),
            )
            .await,
        )
        .await;
    }
    let order = |v: &Value| -> Vec<i64> {
        v["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter_map(|t| t["id"].as_i64())
            .collect()
    };
    let i = |n: usize| i64::from(ids[n]);

    let page1 = app
        .get_ok("/api/v1/tasks?status=open&page_size=2", &f.viewer)
        .await;
    let page2 = app
        .get_ok("/api/v1/tasks?status=open&page_size=2&page=2", &f.viewer)
        .await;
    let page3 = app
        .get_ok("/api/v1/tasks?status=open&page_size=2&page=3", &f.viewer)
        .await;
    assert_eq!(page1["total"], 5);
    assert_eq!(page1["page_size"], 2);
    assert_eq!(page2["page"], 2);
    // Due date ascending, same date by id, undated last.
    assert_eq!(
        [order(&page1), order(&page2), order(&page3)].concat(),
        [i(0), i64::from(other), i(1), i(3), i(2)]
    );

    let overdue = app.get_ok("/api/v1/tasks?overdue=true", &f.kumin).await;
    assert_eq!(order(&overdue), [i(0)]);
    let by_name = app
        .get_ok(
            "/api/v1/tasks?department=%E6%95%99%E8%82%B2%E5%A7%94%E5%93%A1%E4%BC%9A",
            &f.kumin,
        )
        .await;
    assert_eq!(
        order(&by_name),
        [i(3), i(2)],
        "教育委員会 is an alias of 教育部"
    );
    let dept_id = app
        .get_ok(&format!("/api/v1/tasks/{}", ids[0]), &f.kumin)
        .await["owner_department_id"]
        .clone();
    let by_id = app
        .get_ok(
            &format!(
                "/api/v1/tasks?department={dept_id}&meeting={}",
                f.meeting_id
            ),
            &f.kumin,
        )
        .await;
    assert_eq!(order(&by_id), [i(0), i(1)]);
    let window = app
        .get_ok(
            "/api/v1/tasks?due_after=2026-11-15&due_before=2026-12-10",
            &f.kumin,
        )
        .await;
    assert_eq!(order(&window), [i64::from(other), i(1), i(3)]);
    let text = app
        .get_ok("/api/v1/tasks?q=%E6%9D%A5%E6%9C%88", &f.kumin)
        .await;
    assert_eq!(order(&text), [i(1)], "q=来月 matches the summary");
    let percent = app.get_ok("/api/v1/tasks?q=100%25", &f.kumin).await;
    assert_eq!(
        order(&percent),
        [i(0)],
        "q matches evidence, with % taken literally"
    );

    for bad in [
        "status=finished",
        "page_size=201",
        "page=0",
        "due_before=2026-13-01",
        "department=総務部",
        "meeting=abc",
    ] {
        let response = app.get(&format!("/api/v1/tasks?{bad}"), &f.kumin).await;
        expect_problem(response, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
}

async fn csv_export_has_the_japanese_columns(app: TestApp) {
    let f = fixture(&app).await;
    let id = app
        .seed_drafts(
            f.meeting_id,
            vec![draft(
                "システム更新, \"第2期\"の計画",
                Some("区民部"),
                DueKind::Date,
                Some("2026-12-01"),
                "計画を示してください。",
                Some((5, 15)),
            )],
        )
        .await[0];
    ok_json(
        post(
            &app,
            &format!("/api/v1/tasks/{id}/confirm"),
            &f.secretariat,
            json!({}),
        )
        .await,
    )
    .await;
    let response = app.get("/api/v1/tasks.csv?status=open", &f.kyoiku).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap_or_default()
            .starts_with("text/csv")
    );
    let bytes = response.bytes().await.expect("bytes");
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "UTF-8 BOM");
    let text = std::str::from_utf8(&bytes[3..]).expect("utf-8");
    let rows = parse_csv(text);
    assert_eq!(
        rows[0],
        ["ID", "状態", "宿題", "担当部署", "期限", "会議", "根拠"]
    );
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[1][0], id.to_string());
    assert_eq!(rows[1][1], "対応中");
    assert_eq!(rows[1][2], "システム更新, \"第2期\"の計画");
    assert_eq!(rows[1][3], "区民部");
    assert_eq!(rows[1][4], "2026-12-01");
    assert_eq!(rows[1][5], "行政情報化推進本部 2026-11-02");
    assert_eq!(rows[1][6], "計画を示してください。");
}

/// RFC 4180 by hand: quoted fields, doubled quotes, CRLF rows.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    rows
}

async fn secretariat_adds_a_missed_item(app: TestApp) {
    let f = fixture(&app).await;
    let created = post(
        &app,
        &format!("/api/v1/meetings/{}/tasks", f.meeting_id),
        &f.secretariat,
        json!({
            "summary": "庁内LANの更新計画を報告",
            "evidence": {"quote": "更新計画を報告してください", "span": [300, 313]},
            "owner": "事務局",
            "due_next_meeting": true
        }),
    )
    .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let created: Value = created.json().await.expect("json");
    assert_eq!(created["status"], "draft");
    assert_eq!(created["owner"], "政策経営部情報管理課");
    assert_eq!(created["due_kind"], "next_meeting");
    assert_eq!(created["evidence"][0]["span"], json!([300, 313]));
    let unknown_owner = post(
        &app,
        &format!("/api/v1/meetings/{}/tasks", f.meeting_id),
        &f.secretariat,
        json!({"summary": "x", "owner": "謎の課"}),
    )
    .await;
    expect_problem(unknown_owner, StatusCode::UNPROCESSABLE_ENTITY).await;
    let no_meeting = post(
        &app,
        "/api/v1/meetings/999999/tasks",
        &f.secretariat,
        json!({"summary": "x"}),
    )
    .await;
    expect_problem(no_meeting, StatusCode::NOT_FOUND).await;
    let blank = post(
        &app,
        &format!("/api/v1/meetings/{}/tasks", f.meeting_id),
        &f.secretariat,
        json!({"summary": " "}),
    )
    .await;
    let problem = expect_problem(blank, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(problem["errors"][0]["field"], "summary");
}

/// A status this version does not know (a row written by hand, or by a newer
/// version) is an error to the reader, never shown as some other status.
async fn an_unknown_stored_status_is_an_error(app: TestApp) {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    use shukudai::entities::task;
    let f = fixture(&app).await;
    let id = app
        .seed_drafts(
            f.meeting_id,
            vec![draft(
                "保留にする宿題",
                Some("区民部"),
                DueKind::Date,
                Some("2026-12-01"),
                "保留にしてください。",
                None,
            )],
        )
        .await[0];
    task::Entity::update_many()
        .col_expr(task::Column::Status, Expr::value("archived"))
        .filter(task::Column::Id.eq(id))
        .exec(&app.db)
        .await
        .expect("write an unknown status");
    let response = app
        .get(&format!("/api/v1/tasks/{id}"), &f.secretariat)
        .await;
    let problem = expect_problem(response, StatusCode::INTERNAL_SERVER_ERROR).await;
    assert!(
        !problem["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("archived")
    );
    let loaded = task::Entity::find_by_id(id).one(&app.db).await;
    assert!(loaded.is_err(), "the read fails: {loaded:?}");
}

async fn openapi_lists_the_task_routes(app: TestApp) {
    let spec: Value = app
        .client
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .expect("request")
        .json()
        .await
        .expect("json");
    for path in [
        "/api/v1/tasks",
        "/api/v1/tasks.csv",
        "/api/v1/tasks/{id}",
        "/api/v1/tasks/{id}/confirm",
        "/api/v1/tasks/{id}/complete",
        "/api/v1/tasks/{id}/cancel",
        "/api/v1/tasks/{id}/reopen",
        "/api/v1/tasks/{id}/reject",
        "/api/v1/tasks/{id}/notes",
        "/api/v1/tasks/{id}/events",
        "/api/v1/tasks/merge",
        "/api/v1/tasks/confirm",
        "/api/v1/meetings",
        "/api/v1/meetings/{id}",
        "/api/v1/meetings/{id}/tasks",
        "/api/v1/bodies",
        "/api/v1/bodies/{id}/meetings",
    ] {
        assert!(spec["paths"][path].is_object(), "{path} is documented");
    }
    assert!(spec["components"]["schemas"]["TaskView"].is_object());
}

on_both_backends!(
    full_lifecycle,
    confirm_needs_owner_and_a_chosen_due_date,
    stale_edit_is_412_and_missing_if_match_is_428,
    rescheduling_moves_bound_due_dates,
    merge_keeps_both_evidence_spans,
    bulk_confirm_is_all_or_nothing,
    list_filters_and_pages_stably,
    csv_export_has_the_japanese_columns,
    secretariat_adds_a_missed_item,
    an_unknown_stored_status_is_an_error,
    openapi_lists_the_task_routes
);
