//! The task list as an Excel workbook: one sheet, a header row Excel can filter
//! and repeats on every printed page, dates as Excel dates (so clerks can sort
//! and compute with them), and a page setup that prints on A4 landscape.
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use crate::{
    domain::{Calendar, DueKind, Label, Lang},
    reports::SheetRow,
};

use super::cell::neutralise;

/// The columns, with their widths in Excel's character units (a kanji takes two):
/// the sheet prints one page wide, scaled to fit.
pub const TASK_COLUMNS: [(&str, f64); 10] = [
    ("No", 5.0),
    ("宿題", 28.0),
    ("担当部署", 14.0),
    // Wide enough for "2026年12月14日（月） 次回会議まで": a date that doesn't fit shows ###.
    ("期限", 34.0),
    ("状態", 7.0),
    ("最新の進捗", 28.0),
    ("完了報告", 20.0),
    ("完了日", 22.0),
    ("会議", 18.0),
    ("根拠", 26.0),
];

/// Points per line of the body font; neither Excel nor LibreOffice grows a row
/// for wrapped text written by a library, so each row gets its height here.
const LINE_HEIGHT: f64 = 14.0;
/// Excel's largest row height, in points.
const MAX_ROW_HEIGHT: f64 = 409.0;

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
    let mut lines = 1;
    let mut text = |sheet: &mut Worksheet, col: u16, value: &str| {
        lines = lines.max(wrapped_lines(value, TASK_COLUMNS[usize::from(col)].1));
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
    text(sheet, 9, &evidence.join("\n"))?;
    let height = (f64::from(lines) * LINE_HEIGHT + 2.0).min(MAX_ROW_HEIGHT);
    sheet.set_row_height(row, height)?;
    Ok(())
}

/// How many lines `value` takes in a column `width` characters wide, counting a
/// wide (CJK, full-width) character as two, as Excel's width unit does.
fn wrapped_lines(value: &str, width: f64) -> u32 {
    let per_line = (width - 1.0).max(1.0);
    value
        .split('\n')
        .map(|line| {
            let units: f64 = line
                .chars()
                .map(|c| {
                    if c.is_ascii() || is_half_width(c) {
                        1.0
                    } else {
                        2.0
                    }
                })
                .sum();
            (units / per_line).ceil().max(1.0) as u32
        })
        .sum()
}

/// Half-width katakana and the half-width forms block.
fn is_half_width(c: char) -> bool {
    ('\u{FF61}'..='\u{FFDC}').contains(&c) || ('\u{FFE8}'..='\u{FFEE}').contains(&c)
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
        .set_margins(0.4, 0.4, 0.6, 0.6, 0.3, 0.3)
        .set_print_center_horizontally(true)
        .set_header(format!("&C&\"-,Bold\"{SHEET_NAME}"))
        .set_footer("&C&P / &N");
    sheet.set_repeat_rows(0, 0)?;
    sheet.set_print_area(0, 0, last_row, last_col)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::wrapped_lines;

    #[test]
    fn wide_characters_take_two_units_and_breaks_start_lines() {
        assert_eq!(wrapped_lines("", 10.0), 1);
        assert_eq!(wrapped_lines("abcdefghi", 10.0), 1);
        assert_eq!(wrapped_lines("会議室の無線", 10.0), 2);
        assert_eq!(wrapped_lines("ｶｲｷﾞ", 10.0), 1);
        assert_eq!(wrapped_lines("一\n二\n三", 10.0), 3);
    }
}
