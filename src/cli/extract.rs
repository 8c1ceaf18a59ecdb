//! `shukudai extract FILE [--json]`: the extractor on one file, no database.
use std::{path::Path, process::ExitCode};

use serde_json::Value;

use crate::minutes::{self, Directory};

/// Exit status for input that cannot be read or decoded, as DESIGN.md fixes it.
const UNREADABLE: u8 = 2;

pub fn extract(file: &Path, json: bool) -> ExitCode {
    let bytes = match std::fs::read(file) {
        Ok(bytes) => bytes,
        Err(error) => {
            eprintln!("shukudai: cannot read {}: {error}", file.display());
            return ExitCode::from(UNREADABLE);
        }
    };
    let analysis = match minutes::analyse(&bytes, &Directory::default()) {
        Ok(analysis) => analysis,
        Err(error) => {
            eprintln!("shukudai: {}: {error}", file.display());
            return ExitCode::from(UNREADABLE);
        }
    };
    let value = match serde_json::to_value(&analysis) {
        Ok(value) => value,
        Err(error) => {
            eprintln!(
                "shukudai: {}: cannot serialise the result: {error}",
                file.display()
            );
            return ExitCode::FAILURE;
        }
    };
    if json {
        println!("{value:#}");
    } else {
        print!("{}", render_for_people(&value));
    }
    ExitCode::SUCCESS
}

/// A Japanese summary for a person reading a terminal.
pub fn render_for_people(analysis: &Value) -> String {
    let meeting = &analysis["meeting"];
    let text = |v: &Value| v.as_str().unwrap_or("—").to_owned();
    let mut out = String::new();
    out.push_str(&format!("会議: {}\n", text(&meeting["title"])));
    out.push_str(&format!("会議体: {}\n", text(&meeting["body"])));
    out.push_str(&format!(
        "日時: {} {}～{}\n",
        text(&meeting["held_on"]),
        text(&meeting["starts_at"]),
        text(&meeting["ends_at"])
    ));
    out.push_str(&format!("場所: {}\n", text(&meeting["place"])));
    out.push_str(&format!("事務局: {}\n", text(&meeting["secretariat"])));
    let items = analysis["items"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    out.push_str(&format!("\n宿題の候補: {}件\n", items.len()));
    for (n, item) in items.iter().enumerate() {
        let kind = match item["kind"].as_str() {
            Some("request") => "依頼",
            Some("commitment") => "約束",
            Some("report") => "報告",
            _ => "?",
        };
        let due = match (item["due"]["kind"].as_str(), item["due"]["date"].as_str()) {
            (Some("date"), Some(date)) => date.to_owned(),
            (Some("next_meeting"), Some(date)) => format!("次回会議（{date}）"),
            (Some("next_meeting"), None) => "次回会議".to_owned(),
            (Some("asap"), _) => "早急に".to_owned(),
            _ => "期限なし".to_owned(),
        };
        out.push_str(&format!(
            "\n{:>2}. [{kind}] {}\n",
            n + 1,
            text(&item["summary"])
        ));
        out.push_str(&format!(
            "    担当: {} / 期限: {due} / 発言者: {} / 確度: {:.2}\n",
            text(&item["owner"]),
            text(&item["speaker"]),
            item["confidence"].as_f64().unwrap_or(0.0)
        ));
        out.push_str(&format!("    根拠: 「{}」\n", text(&item["evidence"])));
    }
    out
}
