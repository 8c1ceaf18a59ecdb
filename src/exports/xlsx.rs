//! The task list as an Excel workbook: one sheet, a header row Excel can filter
//! and repeats on every printed page, dates as Excel dates (so clerks can sort
//! and compute with them), and a page setup that prints on A4 landscape.
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use crate::{
    domain::{Calendar, DueKind, Label, Lang},
    reports::SheetRow,
};

use super::cell::neutralise;

/// The columns, with their widths in Excel's character units.
pub const TASK_COLUMNS: [(&str, f64); 10] = [
    ("No", 6.0),
    ("宿題", 40.0),
    ("担当部署", 16.0),
    ("期限", 20.0),
    ("状態", 8.0),
    ("最新の進捗", 36.0),
    ("完了報告", 28.0),
    ("完了日", 20.0),
    ("会議", 24.0),
    ("根拠", 48.0),
];

/// A4 in the OOXML paper-size numbering.
const PAPER_A4: u8 = 9;
const SHEET_NAME: &str = "宿題一覧";

struct Formats {
    header: Format,
    text: Format,
    number: Format,
    date: Format,
    next_meeting: Format,
}

impl Formats {
    fn new(calendar: Calendar) -> Self {
        let body = Format::new()
            .set_align(FormatAlign::Top)
            .set_border(FormatBorder::Thin);
        // LCID 411 (ja-JP): Excel and LibreOffice both show 令和 with ggge and the
        // weekday as 月 with aaa.
        let year = match calendar {
            Calendar::Gregorian => "[$-411]yyyy\"年\"",
            Calendar::Japanese => "[$-411]ggge\"年\"",
        };
        let date = format!("{year}m\"月\"d\"日（\"aaa\"）\"");
        Self {
            header: Format::new()
                .set_bold()
                .set_align(FormatAlign::Center)
                .set_border(FormatBorder::Thin)
                .set_background_color(0xDDEBF7),
            text: body.clone().set_text_wrap(),
            number: body.clone(),
            next_meeting: body.clone().set_num_format(format!(
                "{date}\" {}\"",
                DueKind::NextMeeting.label(Lang::Ja)
            )),
            date: body.set_num_format(date),
        }
    }
}

/// The workbook's bytes: one row per sheet row, in the given order.
pub fn tasks(rows: &[SheetRow], calendar: Calendar) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(SHEET_NAME)?;
    let formats = Formats::new(calendar);
    for (col, (title, width)) in (0u16..).zip(TASK_COLUMNS) {
        sheet.set_column_width(col, width)?;
        sheet.write_string_with_format(0, col, title, &formats.header)?;
    }
    for (row, item) in (1u32..).zip(rows) {
        write_row(sheet, row, item, &formats)?;
    }
    let last_row = u32::try_from(rows.len()).map_err(|_| XlsxError::RowColumnLimitError)?;
    let last_col = TASK_COLUMNS.len() as u16 - 1;
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, last_row, last_col)?;
    set_up_printing(sheet, last_row, last_col)?;
    workbook.save_to_buffer()
}

fn write_row(
    sheet: &mut Worksheet,
    row: u32,
    item: &SheetRow,
    formats: &Formats,
) -> Result<(), XlsxError> {
    let task = &item.task;
    let text = |sheet: &mut Worksheet, col: u16, value: &str| {
        sheet
            .write_string_with_format(row, col, neutralise(value), &formats.text)
            .map(|_| ())
    };
    sheet.write_number_with_format(row, 0, task.id, &formats.number)?;
    text(sheet, 1, &task.summary)?;
    text(sheet, 2, task.owner.as_deref().unwrap_or(""))?;
    match task.due_on {
        Some(date) => {
            let format = match task.due_kind {
                DueKind::NextMeeting => &formats.next_meeting,
                _ => &formats.date,
            };
            sheet.write_datetime_with_format(row, 3, date, format)?;
        }
        None => text(sheet, 3, due_without_date(task.due_kind))?,
    }
    text(sheet, 4, task.status.label(Lang::Ja))?;
    text(sheet, 5, item.latest_note.as_deref().unwrap_or(""))?;
    text(sheet, 6, task.completion_note.as_deref().unwrap_or(""))?;
    match task.completed_at {
        Some(at) => {
            sheet.write_datetime_with_format(row, 7, at.date_naive(), &formats.date)?;
        }
        None => text(sheet, 7, "")?,
    }
    text(sheet, 8, task.meeting_title.as_deref().unwrap_or(""))?;
    let evidence: Vec<&str> = task.evidence.iter().map(|e| e.quote.as_str()).collect();
    text(sheet, 9, &evidence.join("\n"))
}

/// The name of a due kind that has no date (早急に, 期限なし; a date kind
/// without its date reads as 期限なし).
fn due_without_date(kind: DueKind) -> &'static str {
    match kind {
        DueKind::Date => DueKind::None.label(Lang::Ja),
        other => other.label(Lang::Ja),
    }
}

fn set_up_printing(sheet: &mut Worksheet, last_row: u32, last_col: u16) -> Result<(), XlsxError> {
    sheet
        .set_paper_size(PAPER_A4)
        .set_landscape()
        .set_print_fit_to_pages(1, 0)
        .set_print_center_horizontally(true)
        .set_header(format!("&C&\"-,Bold\"{SHEET_NAME}"))
        .set_footer("&C&P / &N");
    sheet.set_repeat_rows(0, 0)?;
    sheet.set_print_area(0, 0, last_row, last_col)?;
    Ok(())
}
