//! Tasks as CSV in UTF-8 with a BOM (so Excel reads the Japanese), one row per
//! task, values named as the catalogue names them. Written by hand: RFC 4180
//! quoting is all it takes.
use crate::{
    domain::{Label, Lang, labels::due_text},
    tasks::TaskView,
};

pub const CSV_HEADER: [&str; 7] = ["ID", "状態", "宿題", "担当部署", "期限", "会議", "根拠"];

fn push_field(out: &mut String, field: &str) {
    if field.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&field.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(field);
    }
}

fn push_row<'a>(out: &mut String, fields: impl IntoIterator<Item = &'a str>) {
    for (i, field) in fields.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_field(out, field);
    }
    out.push_str("\r\n");
}

/// The rows of `tasks`, with the header.
pub fn tasks(tasks: &[TaskView]) -> String {
    let mut out = String::from("\u{feff}");
    push_row(&mut out, CSV_HEADER);
    for task in tasks {
        let evidence = task
            .evidence
            .iter()
            .map(|e| e.quote.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        let id = task.id.to_string();
        let due = due_text(task.due_kind, task.due_on, Lang::Ja);
        push_row(
            &mut out,
            [
                id.as_str(),
                task.status.label(Lang::Ja),
                task.summary.as_str(),
                task.owner.as_deref().unwrap_or(""),
                due.as_str(),
                task.meeting_title.as_deref().unwrap_or(""),
                evidence.as_str(),
            ],
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_fields_that_need_it() {
        let mut out = String::new();
        push_row(&mut out, ["a", "b,c", "say \"hi\"", "two\nlines"]);
        assert_eq!(out, "a,\"b,c\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n");
        assert!(tasks(&[]).starts_with("\u{feff}ID,状態,宿題,担当部署,期限,会議,根拠\r\n"));
    }
}
