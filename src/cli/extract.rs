//! `shukudai extract FILE [--json]`: the extractor on one file, no database.
use std::{path::Path, process::ExitCode};

use serde_json::Value;

use super::output::{Output, complain};
use crate::{
    domain::{DueKind, Label, Lang, TaskKind, labels::due_text},
    minutes::{self, Directory},
};

/// Exit status for input that cannot be read or decoded, as DESIGN.md fixes it.
const UNREADABLE: u8 = 2;

pub fn extract(file: &Path, json: bool) -> ExitCode {
    let bytes = match std::fs::read(file) {
        Ok(bytes) => bytes,
        Err(error) => {
            complain(format_args!(
                "shukudai: cannot read {}: {error}",
                file.display()
            ));
            return ExitCode::from(UNREADABLE);
        }
    };
    let analysis = match minutes::analyse(&bytes, &Directory::default()) {
        Ok(analysis) => analysis,
        Err(error) => {
            complain(format_args!("shukudai: {}: {error}", file.display()));
            return ExitCode::from(UNREADABLE);
        }
    };
    let value = match serde_json::to_value(&analysis) {
        Ok(value) => value,
        Err(error) => {
            complain(format_args!(
                "shukudai: {}: cannot serialise the result: {error}",
                file.display()
            ));
            return ExitCode::FAILURE;
        }
    };
    let mut out = Output::new();
    if json {
        out.line(format_args!("{value:#}"));
    } else {
        out.text(render_for_people(&value));
    }
    match out.finish() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            complain(format_args!("shukudai: cannot write the result: {error}"));
            ExitCode::FAILURE
        }
    }
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
        let kind = item["kind"]
            .as_str()
            .and_then(|k| k.parse::<TaskKind>().ok())
            .map_or("?", |k| k.label(Lang::Ja));
        let due_kind = item["due"]["kind"]
            .as_str()
            .and_then(|k| k.parse::<DueKind>().ok())
            .unwrap_or(DueKind::None);
        let due_on = item["due"]["date"].as_str().and_then(|d| d.parse().ok());
        let due = due_text(due_kind, due_on, Lang::Ja);
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
