//! Malformed input on every JSON endpoint: wrong types, huge numbers, missing and
//! unknown fields, invalid UTF-8, deep nesting, random bytes. Never a 5xx; every
//! refusal is a problem document.
use proptest::{
    prelude::*,
    strategy::ValueTree,
    test_runner::{Config, TestRunner},
};
use reqwest::Method;
use shukudai::domain::{DueKind, Role};

use crate::{
    helpers::{TestApp, draft},
    on_both_backends,
};

fn fixed_bodies() -> Vec<Vec<u8>> {
    let mut bodies: Vec<Vec<u8>> = [
        "",
        "{",
        "}",
        "null",
        "[]",
        "123",
        "\"x\"",
        "true",
        "{}",
        "{\"id\": }",
        "{\"summary\": 1}",
        "{\"summary\": null}",
        "{\"summary\": [\"a\"]}",
        "{\"owner\": {\"a\": 1}}",
        "{\"owner\": 1e400}",
        "{\"due_on\": \"2026-02-30\"}",
        "{\"due_on\": \"not a date\"}",
        "{\"due_on\": 20261201}",
        "{\"due_kind\": \"someday\"}",
        "{\"due_next_meeting\": \"yes\"}",
        "{\"note\": 5}",
        "{\"note\": \"\"}",
        "{\"reason\": false}",
        "{\"body\": \"\\u0000\"}",
        "{\"into\": 99999999999999999999, \"from\": [1]}",
        "{\"into\": -1, \"from\": [-2]}",
        "{\"into\": 1.5, \"from\": []}",
        "{\"into\": 1, \"from\": \"2\"}",
        "{\"items\": \"x\"}",
        "{\"items\": [{}]}",
        "{\"items\": [{\"id\": 2147483648}]}",
        "{\"items\": [{\"id\": 1, \"owner\": 1}]}",
        "{\"colour\": \"red\"}",
        "{\"summary\": \"x\", \"colour\": 1}",
        "{\"held_on\": \"2026-13-45\"}",
        "{\"held_on\": \"2027-01-01\", \"starts_at\": \"25:99\"}",
        "{\"held_on\": null}",
        "{\"evidence\": {\"quote\": \"q\", \"span\": [-1, 5]}}",
        "{\"summary\": \"x\", \"evidence\": {\"quote\": \"q\", \"span\": [1, 2, 3]}}",
        "{\"summary\": \"x\", \"kind\": \"order\"}",
        "{\"name\": \"\"}",
        "{\"name\": 7}",
        "{\"summary\": \"\\ud800\"}",
        "{\"summary\": \"a\\u0000b\"}",
        "{\"owner\": \"\\u0000\"}",
        "{\"note\": \"\\u0000\"}",
        "{\"reason\": \"\\u0000\"}",
        "{\"name\": \"\\u0000\"}",
        "{\"held_on\": \"2027-01-01\", \"place\": \"\\u0000\", \"title\": \"\\u0000\"}",
        "{\"summary\": \"x\", \"speaker\": \"\\u0000\", \"evidence\": {\"quote\": \"\\u0000\"}}",
        "{\"items\": [{\"id\": {id}, \"owner\": \"\\u0000\"}]}",
        "{\"into\": {id}, \"from\": [{id}]}",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect();
    bodies.push(b"{\"note\": \"\xff\xfe\"}".to_vec());
    bodies.push(b"\xef\xbb\xbf{}".to_vec());
    bodies.push(format!("{}{}", "[".repeat(5000), "]".repeat(5000)).into_bytes());
    bodies.push(format!("{}1{}", "{\"a\":".repeat(3000), "}".repeat(3000)).into_bytes());
    bodies.push(format!("{{\"summary\": \"{}\"}}", "長".repeat(300_000)).into_bytes());
    bodies
}

/// Every route that takes JSON; `{id}` is an existing task, `{m}` a meeting, `{b}` a body.
const ROUTES: [(&str, &str); 14] = [
    ("PATCH", "/api/v1/tasks/{id}"),
    ("POST", "/api/v1/tasks/{id}/confirm"),
    ("POST", "/api/v1/tasks/{id}/complete"),
    ("POST", "/api/v1/tasks/{id}/cancel"),
    ("POST", "/api/v1/tasks/{id}/reject"),
    ("POST", "/api/v1/tasks/{id}/reopen"),
    ("POST", "/api/v1/tasks/{id}/notes"),
    ("POST", "/api/v1/tasks/merge"),
    ("POST", "/api/v1/tasks/confirm"),
    ("POST", "/api/v1/meetings/{m}/tasks"),
    ("PATCH", "/api/v1/meetings/{m}"),
    ("POST", "/api/v1/bodies/{b}/meetings"),
    ("POST", "/api/v1/bodies"),
    ("POST", "/api/v1/tasks/99999999999/confirm"),
];

async fn send(
    app: &TestApp,
    token: &str,
    method: &str,
    path: &str,
    body: Vec<u8>,
    if_match: &str,
) -> (u16, String, String) {
    let method = Method::from_bytes(method.as_bytes()).expect("method");
    let response = app
        .client
        .request(method, app.url(path))
        .bearer_auth(token)
        .header("content-type", "application/json")
        .header("if-match", if_match)
        .body(body)
        .send()
        .await
        .expect("request");
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    (
        status,
        content_type,
        response.text().await.unwrap_or_default(),
    )
}

fn random_bodies(count: usize) -> Vec<Vec<u8>> {
    // JSON-ish text built from fragments the parsers care about, plus raw bytes.
    let fragment = prop_oneof![
        Just("{".to_owned()),
        Just("}".to_owned()),
        Just("[".to_owned()),
        Just("]".to_owned()),
        Just(",".to_owned()),
        Just(":".to_owned()),
        Just("\"summary\"".to_owned()),
        Just("\"owner\"".to_owned()),
        Just("\"due_on\"".to_owned()),
        Just("\"items\"".to_owned()),
        Just("\"id\"".to_owned()),
        Just("\"note\"".to_owned()),
        Just("null".to_owned()),
        Just("-0".to_owned()),
        Just("1e999".to_owned()),
        Just("\"2026-12-01\"".to_owned()),
        any::<i64>().prop_map(|n| n.to_string()),
        "\"[^\"\\\\]{0,8}\"".prop_map(|s| s),
    ];
    let text =
        proptest::collection::vec(fragment, 0..24).prop_map(|parts| parts.concat().into_bytes());
    let bytes = proptest::collection::vec(any::<u8>(), 0..64);
    let strategy = prop_oneof![text, bytes];
    let mut runner = TestRunner::new(Config::default());
    (0..count)
        .filter_map(|_| strategy.new_tree(&mut runner).ok().map(|t| t.current()))
        .collect()
}

async fn json_endpoints_never_answer_5xx(app: TestApp) {
    app.add_department("区民部", &[], &[]).await;
    let token = app.token("admin", Role::Admin, None).await;
    let (body_id, meeting_id) = app.seed_meeting("行政情報化推進本部", "2026-11-02").await;
    let mut bodies = fixed_bodies();
    bodies.extend(random_bodies(40));
    let mut failures = Vec::new();
    for (method, template) in ROUTES {
        for body in &bodies {
            // A fresh open task each time, so no earlier request changed what this one meets.
            let id = app
                .seed_drafts(
                    meeting_id,
                    vec![draft(
                        "依頼",
                        Some("区民部"),
                        DueKind::Date,
                        Some("2026-12-01"),
                        "根拠",
                        None,
                    )],
                )
                .await[0];
            if !template.ends_with("/confirm")
                && !template.ends_with("/reject")
                && !template.contains("merge")
            {
                shukudai::tasks::confirm(
                    &app.db,
                    &shukudai::tasks::Actor::system("fuzz"),
                    id,
                    None,
                    Default::default(),
                    app.moment(),
                )
                .await
                .expect("confirm");
            }
            let path = template
                .replace("{id}", &id.to_string())
                .replace("{m}", &meeting_id.to_string())
                .replace("{b}", &body_id.to_string());
            let body = match std::str::from_utf8(body) {
                Ok(text) => text.replace("{id}", &id.to_string()).into_bytes(),
                Err(_) => body.clone(),
            };
            let version =
                app.get_ok(&format!("/api/v1/tasks/{id}"), &token).await["version"].clone();
            let (status, content_type, text) = send(
                &app,
                &token,
                method,
                &path,
                body.clone(),
                &format!("\"{version}\""),
            )
            .await;
            let shown = String::from_utf8_lossy(&body[..body.len().min(80)]).into_owned();
            if status >= 500 {
                failures.push(format!("{method} {path} {shown:?}: {status} {text}"));
            } else if status >= 400 && content_type != "application/problem+json" {
                failures.push(format!(
                    "{method} {path} {shown:?}: {status} as {content_type}"
                ));
            }
        }
    }
    for query in [
        "page=-1",
        "page_size=99999999999999999999999",
        "due_before=xx",
        "meeting=1e3",
        "overdue=maybe",
        "department=%FF",
        "q=%00",
        "department=%00",
        "q=a%00b",
        "status=",
        "page=18446744073709551615&page_size=200",
    ] {
        let response = app.get(&format!("/api/v1/tasks?{query}"), &token).await;
        let status = response.status().as_u16();
        if status >= 500 {
            failures.push(format!("GET /api/v1/tasks?{query}: {status}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

on_both_backends!(json_endpoints_never_answer_5xx);
