//! Tasks as CSV in UTF-8 with a BOM (so Excel reads the Japanese), CRLF rows
//! (RFC 4180), one row per task, values named as the catalogue names them. Every
//! cell goes through [`neutralise`]: a summary typed as `=HYPERLINK(…)` must
//! reach the spreadsheet as text, never as a formula.
use crate::{
    domain::{Label, Lang, labels::due_text},
    tasks::TaskView,
};

use super::cell::neutralise;

pub const CSV_HEADER: [&str; 7] = ["ID", "状態", "宿題", "担当部署", "期限", "会議", "根拠"];

const UTF8_BOM: &[u8] = "\u{feff}".as_bytes();

/// Writes rows whose every cell is neutralised.
struct SafeWriter(csv::Writer<Vec<u8>>);

impl SafeWriter {
    fn new() -> Self {
        let mut out = Vec::with_capacity(4096);
        out.extend_from_slice(UTF8_BOM);
        Self(
            csv::WriterBuilder::new()
                .terminator(csv::Terminator::CRLF)
                .from_writer(out),
        )
    }

    fn row<'a>(&mut self, cells: impl IntoIterator<Item = &'a str>) -> csv::Result<()> {
        self.0
            .write_record(cells.into_iter().map(|cell| neutralise(cell).into_owned()))
    }

    fn finish(self) -> csv::Result<Vec<u8>> {
        self.0.into_inner().map_err(|e| e.into_error().into())
    }
}

/// The rows of `tasks`, with the header.
pub fn tasks(tasks: &[TaskView]) -> csv::Result<Vec<u8>> {
    let mut out = SafeWriter::new();
    out.row(CSV_HEADER)?;
    for task in tasks {
        let evidence = task
            .evidence
            .iter()
            .map(|e| e.quote.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        let id = task.id.to_string();
        let due = due_text(task.due_kind, task.due_on, Lang::Ja);
        out.row([
            id.as_str(),
            task.status.label(Lang::Ja),
            task.summary.as_str(),
            task.owner.as_deref().unwrap_or(""),
            due.as_str(),
            task.meeting_title.as_deref().unwrap_or(""),
            evidence.as_str(),
        ])?;
    }
    out.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(cells: &[&str]) -> String {
        let mut out = SafeWriter::new();
        out.row(cells.iter().copied()).expect("row");
        let bytes = out.finish().expect("finish");
        String::from_utf8(bytes[UTF8_BOM.len()..].to_vec()).expect("utf-8")
    }

    #[test]
    fn quotes_fields_that_need_it() {
        assert_eq!(
            written(&["a", "b,c", "say \"hi\"", "two\nlines"]),
            "a,\"b,c\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n"
        );
        let empty = tasks(&[]).expect("csv");
        assert!(empty.starts_with("\u{feff}ID,状態,宿題,担当部署,期限,会議,根拠\r\n".as_bytes()));
    }

    #[test]
    fn formula_cells_are_written_as_text() {
        assert_eq!(
            written(&["=1+1", "@SUM(A1)", "\t=1", "区民部"]),
            "'=1+1,'@SUM(A1),'\t=1,区民部\r\n"
        );
    }
}
