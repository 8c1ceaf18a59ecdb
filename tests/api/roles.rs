//! Role × route: every task and meeting route, called by every role, against a
//! fresh target each time; a refused call changes nothing.
use reqwest::{Method, StatusCode};
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};
use shukudai::{
    domain::{DueKind, Role},
    entities::{task, task_event},
};

use crate::{
    helpers::{TestApp, draft},
    on_both_backends,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Admin,
    Secretariat,
    OwnDepartment,
    OtherDepartment,
    Viewer,
    Anonymous,
}

const EVERYONE: [Who; 6] = [
    Who::Admin,
    Who::Secretariat,
    Who::OwnDepartment,
    Who::OtherDepartment,
    Who::Viewer,
    Who::Anonymous,
];

/// What a route acts on; a new one is made for every call.
#[derive(Debug, Clone, Copy)]
enum Target {
    Nothing,
    Draft,
    Open,
    Done,
    TwoDrafts,
    ScheduledMeeting,
}

struct Case {
    method: Method,
    /// `{id}` is the target task (or meeting), `{other}` the second draft,
    /// `{meeting}` and `{body}` the fixture's.
    path: &'static str,
    body: Option<Value>,
    target: Target,
    /// Expected status for Admin, Secretariat, OwnDepartment, OtherDepartment, Viewer, Anonymous.
    expect: [u16; 6],
}

fn cases() -> Vec<Case> {
    use Target::*;
    let read = [200, 200, 200, 200, 200, 401];
    let manage = |ok: u16| [ok, ok, 403, 403, 403, 401];
    let report = |ok: u16| [ok, ok, ok, 403, 403, 401];
    vec![
        Case {
            method: Method::GET,
            path: "/api/v1/tasks",
            body: None,
            target: Nothing,
            expect: read,
        },
        Case {
            method: Method::GET,
            path: "/api/v1/tasks.csv",
            body: None,
            target: Nothing,
            expect: read,
        },
        Case {
            method: Method::GET,
            path: "/api/v1/tasks/{id}",
            body: None,
            target: Open,
            expect: read,
        },
        Case {
            method: Method::GET,
            path: "/api/v1/tasks/{id}",
            body: None,
            target: Draft,
            expect: [200, 200, 404, 404, 404, 401],
        },
        Case {
            method: Method::GET,
            path: "/api/v1/tasks/{id}/events",
            body: None,
            target: Open,
            expect: read,
        },
        Case {
            method: Method::GET,
            path: "/api/v1/tasks/{id}/events",
            body: None,
            target: Draft,
            expect: [200, 200, 404, 404, 404, 401],
        },
        Case {
            method: Method::PATCH,
            path: "/api/v1/tasks/{id}",
            body: Some(json!({"summary": "直した要約"})),
            target: Open,
            expect: manage(200),
        },
        Case {
            method: Method::POST,
            path: "/api/v1/tasks/{id}/confirm",
            body: Some(json!({"due_on": "2026-12-24"})),
            target: Draft,
            expect: manage(200),
        },
        Case {
            method: Method::POST,
            path: "/api/v1/tasks/confirm",
            body: Some(json!({"items": [{"id": "{id}", "due_kind": "asap"}]})),
            target: Draft,
            expect: manage(200),
        },
        Case {
            method: Method::POST,
            path: "/api/v1/tasks/{id}/reject",
            body: Some(json!({})),
            target: Draft,
            expect: manage(200),
        },
        Case {
            method: Method::POST,
            path: "/api/v1/tasks/merge",
            body: Some(json!({"into": "{id}", "from": ["{other}"]})),
            target: TwoDrafts,
            expect: manage(200),
        },
        Case {
            method: Method::POST,
            path: "/api/v1/tasks/{id}/notes",
            body: Some(json!({"body": "進捗"})),
            target: Open,
            expect: report(201),
        },
        Case {
            method: Method::POST,
            path: "/api/v1/tasks/{id}/complete",
            body: Some(json!({"note": "完了"})),
            target: Open,
            expect: report(200),
        },
        Case {
            method: Method::POST,
            path: "/api/v1/tasks/{id}/cancel",
            body: Some(json!({"reason": "不要"})),
            target: Open,
            expect: manage(200),
        },
        Case {
            method: Method::POST,
            path: "/api/v1/tasks/{id}/reopen",
            body: Some(json!({})),
            target: Done,
            expect: manage(200),
        },
        Case {
            method: Method::POST,
            path: "/api/v1/meetings/{meeting}/tasks",
            body: Some(json!({"summary": "追加"})),
            target: Nothing,
            expect: manage(201),
        },
        Case {
            method: Method::GET,
            path: "/api/v1/meetings",
            body: None,
            target: Nothing,
            expect: read,
        },
        Case {
            method: Method::GET,
            path: "/api/v1/meetings/{meeting}",
            body: None,
            target: Nothing,
            expect: read,
        },
        Case {
            method: Method::PATCH,
            path: "/api/v1/meetings/{id}",
            body: Some(json!({"held_on": "2026-12-25"})),
            target: ScheduledMeeting,
            expect: manage(200),
        },
        Case {
            method: Method::GET,
            path: "/api/v1/bodies",
            body: None,
            target: Nothing,
            expect: read,
        },
        Case {
            method: Method::POST,
            path: "/api/v1/bodies",
            body: Some(json!({"name": "情報セキュリティ委員会"})),
            target: Nothing,
            expect: manage(201),
        },
        Case {
            method: Method::POST,
            path: "/api/v1/bodies/{body}/meetings",
            body: Some(json!({"held_on": "2027-01-15"})),
            target: Nothing,
            expect: manage(201),
        },
    ]
}

struct Setup {
    tokens: Vec<(Who, Option<String>)>,
    body_id: i32,
    meeting_id: i32,
}

async fn setup(app: &TestApp) -> Setup {
    app.add_department("区民部", &[], &[]).await;
    app.add_department("教育部", &[], &[]).await;
    let mut tokens = Vec::new();
    for (who, login, role, department) in [
        (Who::Admin, "admin", Role::Admin, None),
        (Who::Secretariat, "jimukyoku", Role::Secretariat, None),
        (
            Who::OwnDepartment,
            "kumin",
            Role::Department,
            Some("区民部"),
        ),
        (
            Who::OtherDepartment,
            "kyoiku",
            Role::Department,
            Some("教育部"),
        ),
        (Who::Viewer, "viewer", Role::Viewer, None),
    ] {
        tokens.push((who, Some(app.token(login, role, department).await)));
    }
    tokens.push((Who::Anonymous, None));
    let (body_id, meeting_id) = app.seed_meeting("行政情報化推進本部", "2026-11-02").await;
    Setup {
        tokens,
        body_id,
        meeting_id,
    }
}

async fn make_target(app: &TestApp, setup: &Setup, target: Target) -> (i32, i32) {
    let new_draft = || {
        draft(
            "区民向け手続のオンライン化を検討",
            Some("区民部"),
            DueKind::Date,
            Some("2026-12-01"),
            "検討してください",
            Some((1, 9)),
        )
    };
    let admin = shukudai::tasks::Actor::system("roles test");
    let now = app.moment();
    match target {
        Target::Nothing => (0, 0),
        Target::Draft => (
            app.seed_drafts(setup.meeting_id, vec![new_draft()]).await[0],
            0,
        ),
        Target::TwoDrafts => {
            let ids = app
                .seed_drafts(setup.meeting_id, vec![new_draft(), new_draft()])
                .await;
            (ids[0], ids[1])
        }
        Target::Open | Target::Done => {
            let id = app.seed_drafts(setup.meeting_id, vec![new_draft()]).await[0];
            shukudai::tasks::confirm(&app.db, &admin, id, None, Default::default(), now)
                .await
                .expect("confirm");
            if matches!(target, Target::Done) {
                shukudai::tasks::complete(&app.db, &admin, id, None, "済", now)
                    .await
                    .expect("complete");
            }
            (id, 0)
        }
        Target::ScheduledMeeting => {
            let meeting = shukudai::agenda::schedule(
                &app.db,
                &admin,
                setup.body_id,
                shukudai::meetings::NewMeeting {
                    held_on: "2026-12-18".parse().ok(),
                    ..Default::default()
                },
                now,
            )
            .await
            .expect("schedule");
            (meeting.id, 0)
        }
    }
}

fn fill(text: &str, id: i32, other: i32, setup: &Setup) -> String {
    text.replace("{id}", &id.to_string())
        .replace("{other}", &other.to_string())
        .replace("{meeting}", &setup.meeting_id.to_string())
        .replace("{body}", &setup.body_id.to_string())
}

/// Ids in the JSON body are numbers: `"{id}"` strings become them.
fn fill_body(body: &Value, id: i32, other: i32) -> Value {
    match body {
        Value::String(s) if s == "{id}" => json!(id),
        Value::String(s) if s == "{other}" => json!(other),
        Value::Array(items) => {
            Value::Array(items.iter().map(|v| fill_body(v, id, other)).collect())
        }
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), fill_body(v, id, other)))
                .collect(),
        ),
        other_value => other_value.clone(),
    }
}

async fn snapshot(app: &TestApp, id: i32) -> (Option<task::Model>, u64) {
    let row = task::Entity::find_by_id(id).one(&app.db).await.expect("db");
    let events = task_event::Entity::find().count(&app.db).await.expect("db");
    (row, events)
}

async fn every_role_on_every_route(app: TestApp) {
    let setup = setup(&app).await;
    let mut failures = Vec::new();
    for case in cases() {
        for (index, who) in EVERYONE.iter().enumerate() {
            let (id, other) = make_target(&app, &setup, case.target).await;
            let path = fill(case.path, id, other, &setup);
            let before = snapshot(&app, id).await;
            let token = setup
                .tokens
                .iter()
                .find(|(w, _)| w == who)
                .and_then(|(_, t)| t.clone());
            let mut request = app.client.request(case.method.clone(), app.url(&path));
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            if case.method == Method::PATCH && path.contains("/tasks/") {
                request = request.header("if-match", "\"2\"");
            }
            if let Some(body) = &case.body {
                request = request.json(&fill_body(body, id, other));
            }
            let response = request.send().await.expect("request");
            let status = response.status().as_u16();
            let expected = case.expect[index];
            if status != expected {
                let text = response.text().await.unwrap_or_default();
                failures.push(format!(
                    "{} {path} as {who:?}: {status}, expected {expected}: {text}",
                    case.method
                ));
                continue;
            }
            if !StatusCode::from_u16(status).is_ok_and(|s| s.is_success()) && id != 0 {
                let after = snapshot(&app, id).await;
                if before != after {
                    failures.push(format!(
                        "{} {path} as {who:?} was refused but changed the task",
                        case.method
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

async fn a_department_cannot_touch_another_departments_task(app: TestApp) {
    let setup = setup(&app).await;
    let (id, _) = make_target(&app, &setup, Target::Open).await;
    let kyoiku = setup.tokens[3].1.clone().expect("token");
    let before = snapshot(&app, id).await;
    for (path, body) in [
        ("complete", json!({"note": "勝手に完了"})),
        ("notes", json!({"body": "勝手な進捗"})),
    ] {
        let response = app
            .send_json(
                Method::POST,
                &format!("/api/v1/tasks/{id}/{path}"),
                &kyoiku,
                &body,
                None,
            )
            .await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
    }
    assert_eq!(snapshot(&app, id).await, before);
    let task = app.get_ok(&format!("/api/v1/tasks/{id}"), &kyoiku).await;
    assert_eq!(task["status"], "open");
    assert_eq!(task["notes"], json!([]));
}

on_both_backends!(
    every_role_on_every_route,
    a_department_cannot_touch_another_departments_task
);
