//! Minutes from Word and PDF: the fixtures in `tests/fixtures/documents/` were
//! made once with LibreOffice from the text fixtures of the same name in
//! `tests/fixtures/minutes/` (see the README there). The conversion must give
//! back the text of the source, and the extractor the same items from all three.

use shukudai::minutes::document::{DocumentError, SourceKind, SourceText, detect, to_text};
use shukudai::minutes::{Analysis, Candidate, Directory, analyse};

fn fixture(dir: &str, name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/{dir}/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn source_text(stem: &str) -> String {
    String::from_utf8(fixture("minutes", &format!("{stem}.txt"))).expect("UTF-8 fixture")
}

fn convert(name: &str) -> SourceText {
    to_text(&fixture("documents", name), Some(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The lines of a text with their surrounding whitespace, empty lines and
/// page breaks dropped: what stays the same whatever the layout.
fn content_lines(text: &str) -> Vec<String> {
    text.split(['\n', '\u{c}'])
        .map(|l| l.trim().to_owned())
        .filter(|l| !l.is_empty())
        .collect()
}

/// The running header and page number that the text fixture repeats after
/// each form feed, and that the documents carry as page furniture.
fn without_page_furniture(text: &str) -> String {
    text.split('\u{c}')
        .enumerate()
        .map(|(i, page)| {
            let skip = if i == 0 { 0 } else { 2 };
            page.split_inclusive('\n').skip(skip).collect::<String>()
        })
        .collect()
}

fn is_furniture(line: &str, title: &str) -> bool {
    line == title || (line.starts_with('－') && line.ends_with('－') && line.chars().count() <= 7)
}

#[test]
fn the_kind_is_told_from_the_content() {
    for (name, kind) in [
        ("chougi-formfeed-brackets.docx", SourceKind::Docx),
        ("chougi-formfeed-brackets.pdf", SourceKind::Pdf),
        ("scanned.pdf", SourceKind::Pdf),
    ] {
        let bytes = fixture("documents", name);
        assert_eq!(detect(&bytes), Some(kind), "{name}");
        // a wrong or missing name changes nothing
        if kind != SourceKind::Pdf || name != "scanned.pdf" {
            assert_eq!(to_text(&bytes, Some("議事録.txt")).unwrap().kind, kind);
            assert_eq!(to_text(&bytes, None).unwrap().kind, kind);
        }
    }
    let text = fixture("minutes", "chougi-formfeed-brackets.txt");
    assert_eq!(detect(&text), Some(SourceKind::PlainText));
    let plain = to_text(&text, Some("議事録.txt")).unwrap();
    assert_eq!(plain.kind, SourceKind::PlainText);
    assert_eq!(plain.text, source_text("chougi-formfeed-brackets"));
    assert_eq!(SourceKind::Pdf.content_type(), "application/pdf");
}

#[test]
fn docx_paragraphs_come_out_as_the_source_lines() {
    let docx = convert("chougi-formfeed-brackets.docx");
    assert_eq!(docx.kind, SourceKind::Docx);
    assert_eq!(docx.pages, None);
    // the document carries the running header in its page header, which is not
    // read, and breaks pages by layout, which is not text
    let expected = without_page_furniture(&source_text("chougi-formfeed-brackets"));
    assert_eq!(docx.text.trim_end(), expected.trim_end());
}

#[test]
fn docx_numbering_is_written_out_in_full_width() {
    // 「１　開催日時」「（１）議案第３号」 are Word list numbers (decimalFullWidth)
    let docx = convert("kyoiku-iinkai-teireikai.docx");
    let source = source_text("kyoiku-iinkai-teireikai");
    // only the indentation of 「　（１）」 is layout (the list level's indent)
    let trimmed: Vec<&str> = docx.text.lines().map(str::trim_start).collect();
    let expected: Vec<&str> = source.lines().map(str::trim_start).collect();
    assert_eq!(trimmed, expected);
    assert!(docx.text.contains("\n１　開催日時　　令和７年２月１３日"));
    assert!(docx.text.contains("\n５　議題\n（１）議案第３号"));
}

#[test]
fn docx_tables_become_markdown_rows() {
    let docx = convert("markdown-table.docx");
    let source = source_text("markdown-table");
    let rows = |t: &str| -> Vec<String> {
        t.lines()
            .filter(|l| l.starts_with('|'))
            .map(str::to_owned)
            .collect()
    };
    assert_eq!(rows(&docx.text), rows(&source));
    // **本部長** was Markdown for bold: in the document it is bold, not text
    assert!(docx.text.contains("\n本部長：各部で6月末までに"));

    let docx = convert("gijiyoshi-bullets.docx");
    let lines: Vec<&str> = docx.text.lines().collect();
    let table_at = lines.iter().position(|l| l.starts_with('|')).unwrap();
    assert_eq!(
        lines[table_at..table_at + 8],
        [
            "| 項目 | 内容 |",
            "|---|---|",
            "| 日時 | 令和5年10月12日（木）午後2時00分～午後3時30分 |",
            "| 場所 | みどり市役所本庁舎3階 第1会議室 |",
            "| 出席者 | 会長、副会長、委員8名 |",
            "| 事務局 | 健康福祉部福祉政策課 |",
            // 議題 is one cell over two rows
            "| 議題 | （1）地域福祉計画の進捗状況について |",
            "| | （2）その他 |",
        ]
    );
    // after the table the document is the source, its 「6」「（1）」「・」 being
    // a Word list that starts at 6, its sub-level, and a bullet list
    let source = source_text("gijiyoshi-bullets");
    let from = |t: &str| t[t.find("6 議事概要").unwrap()..].to_owned();
    assert_eq!(from(&docx.text), from(&source));
}

#[test]
fn pdf_text_in_reading_order_with_pages_and_wrapped_lines_joined() {
    let pdf = convert("chougi-formfeed-brackets.pdf");
    assert_eq!(pdf.kind, SourceKind::Pdf);
    assert_eq!(pdf.pages, Some(3));
    let pages: Vec<&str> = pdf.text.split('\u{c}').collect();
    assert_eq!(pages.len(), 3);
    let title = "令和７年度　第８回　みなと台区庁議　会議録";
    for (i, page) in pages.iter().enumerate().skip(1) {
        // the running header and page number lead each page after the first
        let mut lines = page.lines();
        assert_eq!(lines.next(), Some(title));
        assert_eq!(lines.next(), Some(format!("－ {} －", i + 1).as_str()));
    }
    // every line of the source, full-width digits and ideographic spaces
    // included, and no line broken where the layout wrapped it
    let source = source_text("chougi-formfeed-brackets");
    let body = |t: &str| -> Vec<String> {
        let mut lines = content_lines(t);
        let first = lines.remove(0);
        lines.retain(|l| !is_furniture(l, title));
        lines.insert(0, first);
        lines
    };
    assert_eq!(body(&pdf.text), body(&source));
}

#[test]
fn pdf_numbering_and_tables() {
    let pdf = convert("kyoiku-iinkai-teireikai.pdf");
    assert_eq!(pdf.pages, Some(1));
    assert_eq!(
        content_lines(&pdf.text),
        content_lines(&source_text("kyoiku-iinkai-teireikai"))
    );

    // a table's cells are as far apart as its columns: a tab between them
    let pdf = convert("markdown-table.pdf");
    assert!(
        pdf.text.contains(
            "\n会議名\t令和6年度 第1回 つばさ市DX推進本部\n開催日時\t令和6年5月14日（火）"
        ),
        "{}",
        pdf.text
    );
    let pdf = convert("gijiyoshi-bullets.pdf");
    assert!(
        pdf.text
            .contains("\n議題\t（1）地域福祉計画の進捗状況について\n（2）その他\n")
    );
    let source = source_text("gijiyoshi-bullets");
    let from = |t: &str| content_lines(&t[t.find("6 議事概要").unwrap()..]);
    assert_eq!(from(&pdf.text), from(&source));
}

#[test]
fn a_scan_is_refused_until_it_has_been_through_ocr() {
    let e = to_text(&fixture("documents", "scanned.pdf"), Some("scanned.pdf")).unwrap_err();
    assert_eq!(e, DocumentError::ScannedPdf { pages: 1 });
    let message = e.to_string();
    assert!(message.contains("OCR（文字認識）"), "{message}");
    assert!(message.contains("run OCR on it first"), "{message}");
}

#[test]
fn a_password_is_refused_copy_protection_is_not() {
    let e = to_text(&fixture("documents", "password.pdf"), None).unwrap_err();
    assert_eq!(e, DocumentError::EncryptedPdf);
    assert!(e.to_string().contains("パスワード"), "{e}");
    // printing allowed, copying and changes forbidden: the text can be read
    let pdf = convert("copy-protected.pdf");
    assert_eq!(
        content_lines(&pdf.text),
        [
            "令和７年度　第１回　庁議　会議録",
            "【区長】　資料を配付します。"
        ]
    );
}

/// What the conversion is answerable for in an item: the evidence (its
/// whitespace is layout), the speaker, the owner and the due date.
fn items(a: &Analysis) -> Vec<(String, Option<String>, Option<String>, String)> {
    a.items
        .iter()
        .map(|c: &Candidate| {
            (
                c.evidence.chars().filter(|c| !c.is_whitespace()).collect(),
                c.speaker.clone(),
                c.owner.clone(),
                format!("{:?}", c.due),
            )
        })
        .collect()
}

/// The text fixtures that were made into a .docx and a .pdf.
const STEMS: [&str; 4] = [
    "chougi-formfeed-brackets",
    "kyoiku-iinkai-teireikai",
    "gijiyoshi-bullets",
    "markdown-table",
];

fn analysed(text: &str) -> Analysis {
    analyse(text.as_bytes(), &Directory::default()).expect("analyse")
}

#[test]
fn the_same_items_from_text_word_and_pdf() {
    for stem in STEMS {
        let from_text = analysed(&source_text(stem));
        assert!(!from_text.items.is_empty(), "{stem}: no items in the text");
        for ext in ["docx", "pdf"] {
            let converted = convert(&format!("{stem}.{ext}"));
            let from_doc = analysed(&converted.text);
            assert_eq!(
                items(&from_doc),
                items(&from_text),
                "{stem}.{ext}: items differ\n{}",
                converted.text
            );
            // evidence offsets point into the converted text
            let chars: Vec<char> = converted.text.chars().collect();
            for c in &from_doc.items {
                let [s, e] = c.evidence_span;
                assert!(s < e && e <= chars.len(), "{stem}.{ext}: {c:?}");
            }
        }
    }
}

#[test]
fn the_same_meeting_from_text_word_and_pdf() {
    for stem in STEMS {
        let from_text = analysed(&source_text(stem)).meeting;
        assert!(from_text.held_on.is_some(), "{stem}: no date in the text");
        for ext in ["docx", "pdf"] {
            let from_doc = analysed(&convert(&format!("{stem}.{ext}")).text).meeting;
            assert_eq!(from_doc, from_text, "{stem}.{ext}");
        }
    }
}
