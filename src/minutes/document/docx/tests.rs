//! .docx parts written by hand, packed with the `zip` writer, read back.

use std::io::Write;

use zip::write::SimpleFileOptions;

use super::super::{DocumentError, Limits};

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

fn package(parts: &[(&str, &str)]) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, content) in parts {
        zip.start_file(*name, SimpleFileOptions::default()).unwrap();
        zip.write_all(content.as_bytes()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

fn document(body: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math"><w:body>{body}<w:sectPr/></w:body></w:document>"#
    )
}

fn numbering(inner: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:numbering xmlns:w="{W}">{inner}</w:numbering>"#
    )
}

fn styles(inner: &str) -> String {
    format!(r#"<?xml version="1.0" encoding="UTF-8"?><w:styles xmlns:w="{W}">{inner}</w:styles>"#)
}

fn text_of(body: &str, numbering: Option<&str>, styles: Option<&str>) -> String {
    let doc = document(body);
    let mut parts = vec![("word/document.xml", doc.as_str())];
    if let Some(n) = numbering {
        parts.push(("word/numbering.xml", n));
    }
    if let Some(s) = styles {
        parts.push(("word/styles.xml", s));
    }
    super::to_text(&package(&parts), &Limits::default()).unwrap()
}

fn p(text: &str) -> String {
    format!("<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
}

fn numbered(num_id: u32, ilvl: u32, text: &str) -> String {
    format!(
        r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#
    )
}

fn level(ilvl: u32, format: &str, text: &str, suffix: Option<&str>) -> String {
    let suff = suffix.map_or(String::new(), |s| format!(r#"<w:suff w:val="{s}"/>"#));
    format!(
        r#"<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{format}"/>{suff}<w:lvlText w:val="{text}"/></w:lvl>"#
    )
}

/// abstractNum 1: 「１．」 (full width, tab), 「（１）」, 「①」, 「一、」, 「ア　」.
fn japanese_outline() -> String {
    numbering(&format!(
        r#"<w:abstractNum w:abstractNumId="1">{}{}{}{}{}</w:abstractNum><w:num w:numId="5"><w:abstractNumId w:val="1"/></w:num>"#,
        level(0, "decimalFullWidth", "%1．", None),
        level(1, "decimalFullWidth", "（%2）", Some("nothing")),
        level(2, "decimalEnclosedCircle", "%3", Some("space")),
        level(3, "japaneseCounting", "%4、", Some("nothing")),
        level(4, "aiueoFullWidth", "%5　", Some("nothing")),
    ))
}

#[test]
fn paragraphs_in_order_one_per_line() {
    let body = [p("会議録"), p(""), p("○委員長　開会します。")].concat();
    assert_eq!(
        text_of(&body, None, None),
        "会議録\n\n○委員長　開会します。\n"
    );
}

#[test]
fn numbering_is_written_out_with_restarts_below_a_higher_level() {
    let body = [
        numbered(5, 0, "開催日時"),
        numbered(5, 0, "議題"),
        numbered(5, 1, "予算について"),
        numbered(5, 2, "歳入"),
        numbered(5, 2, "歳出"),
        numbered(5, 1, "条例について"),
        numbered(5, 2, "改正案"),
        numbered(5, 3, "第一条"),
        numbered(5, 3, "第二条"),
        numbered(5, 4, "趣旨"),
        numbered(5, 0, "その他"),
        numbered(5, 1, "次回日程"),
    ]
    .concat();
    assert_eq!(
        text_of(&body, Some(&japanese_outline()), None),
        "１．\t開催日時\n\
         ２．\t議題\n\
         （１）予算について\n\
         ① 歳入\n\
         ② 歳出\n\
         （２）条例について\n\
         ① 改正案\n\
         一、第一条\n\
         二、第二条\n\
         ア　趣旨\n\
         ３．\tその他\n\
         （１）次回日程\n"
    );
}

#[test]
fn multi_level_labels_and_legal_numbering() {
    let defs = numbering(&format!(
        r#"<w:abstractNum w:abstractNumId="0">{}<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:isLgl/><w:suff w:val="space"/><w:lvlText w:val="%1.%2"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>"#,
        level(0, "upperRoman", "%1.", Some("space")),
    ));
    let body = [
        numbered(1, 0, "総則"),
        numbered(1, 1, "目的"),
        numbered(1, 1, "定義"),
    ]
    .concat();
    assert_eq!(
        text_of(&body, Some(&defs), None),
        "I. 総則\n1.a 目的\n1.b 定義\n"
    );
}

#[test]
fn instances_of_one_definition_continue_unless_restarted() {
    let defs = numbering(&format!(
        r#"<w:abstractNum w:abstractNumId="1">{}</w:abstractNum>
        <w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>
        <w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
        <w:num w:numId="3"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
        <w:num w:numId="4"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="10"/></w:lvlOverride></w:num>"#,
        level(0, "decimal", "%1)", Some("nothing")),
    ));
    let body = [
        numbered(1, 0, "a"),
        numbered(1, 0, "b"),
        p("本文"),
        numbered(2, 0, "c"),
        numbered(3, 0, "d"),
        numbered(3, 0, "e"),
        numbered(4, 0, "f"),
        numbered(0, 0, "番号を外した段落"),
        numbered(99, 0, "定義のない番号"),
    ]
    .concat();
    assert_eq!(
        text_of(&body, Some(&defs), None),
        "1)a\n2)b\n本文\n3)c\n1)d\n2)e\n10)f\n番号を外した段落\n定義のない番号\n"
    );
}

#[test]
fn numbering_from_the_paragraph_style_and_its_base() {
    let defs = numbering(&format!(
        r#"<w:abstractNum w:abstractNumId="7">{}{}</w:abstractNum><w:num w:numId="3"><w:abstractNumId w:val="7"/></w:num>"#,
        level(0, "japaneseCounting", "第%1", Some("space")),
        level(1, "decimalFullWidth", "%2", Some("space")),
    ));
    let st = styles(
        r#"<w:style w:type="paragraph" w:default="1" w:styleId="Normal"/>
        <w:style w:type="paragraph" w:styleId="Heading1"><w:basedOn w:val="Normal"/><w:pPr><w:numPr><w:numId w:val="3"/></w:numPr></w:pPr></w:style>
        <w:style w:type="paragraph" w:styleId="Heading2"><w:basedOn w:val="Heading1"/><w:pPr><w:numPr><w:ilvl w:val="1"/></w:numPr></w:pPr></w:style>"#,
    );
    let styled = |style: &str, text: &str| {
        format!(
            r#"<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#
        )
    };
    let body = [
        styled("Heading1", "総則"),
        styled("Heading2", "目的"),
        styled("Heading2", "定義"),
        styled("Heading1", "委員会"),
        p("本文"),
    ]
    .concat();
    assert_eq!(
        text_of(&body, Some(&defs), Some(&st)),
        "第一 総則\n１ 目的\n２ 定義\n第二 委員会\n本文\n"
    );
}

#[test]
fn numbering_through_a_numbering_style_link() {
    let defs = numbering(&format!(
        r#"<w:abstractNum w:abstractNumId="1"><w:styleLink w:val="OutlineList"/>{}</w:abstractNum>
        <w:abstractNum w:abstractNumId="2"><w:numStyleLink w:val="OutlineList"/></w:abstractNum>
        <w:num w:numId="8"><w:abstractNumId w:val="2"/></w:num>"#,
        level(0, "decimalEnclosedCircle", "%1", Some("nothing")),
    ));
    let body = [numbered(8, 0, "検討事項"), numbered(8, 0, "報告事項")].concat();
    assert_eq!(text_of(&body, Some(&defs), None), "①検討事項\n②報告事項\n");
}

#[test]
fn symbol_font_bullets_read_as_nakaguro() {
    let defs = numbering(&format!(
        r#"<w:abstractNum w:abstractNumId="1">{}{}</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>"#,
        level(0, "bullet", "\u{F0B7}", Some("nothing")),
        level(1, "bullet", "●", Some("space")),
    ));
    let body = [numbered(1, 0, "区民部から報告"), numbered(1, 1, "補足")].concat();
    assert_eq!(
        text_of(&body, Some(&defs), None),
        "・区民部から報告\n● 補足\n"
    );
}

#[test]
fn runs_tabs_breaks_and_what_is_not_text() {
    let body = r#"<w:p>
      <w:r><w:t>開催日時</w:t><w:tab/><w:t>令和７年</w:t></w:r>
      <w:r><w:br/><w:t>午後２時</w:t></w:r>
      <w:r><w:t>セキュ&#xAD;リティ</w:t><w:noBreakHyphen/><w:t>ポリシー</w:t></w:r>
      <w:del><w:r><w:delText>削除した文</w:delText></w:r></w:del>
      <w:ins><w:r><w:t>挿入した文</w:t></w:r></w:ins>
      <w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>3</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>
      <w:r><w:rPr><w:vanish/></w:rPr><w:t>隠し文字</w:t></w:r>
      <w:r><w:rPr><w:vanish w:val="0"/></w:rPr><w:t>表示</w:t></w:r>
      <w:hyperlink><w:r><w:t>リンク</w:t></w:r></w:hyperlink>
      <w:r><w:ruby><w:rt><w:r><w:t>ぎじろく</w:t></w:r></w:rt><w:rubyBase><w:r><w:t>議事録</w:t></w:r></w:rubyBase></w:ruby></w:r>
      <w:r><w:drawing><w:txbxContent><w:p><w:r><w:t>図の中</w:t></w:r></w:p></w:txbxContent></w:drawing></w:r>
      <mc:AlternateContent><mc:Choice Requires="w14"><w:r><w:t>一度</w:t></w:r></mc:Choice><mc:Fallback><w:r><w:t>一度</w:t></w:r></mc:Fallback></mc:AlternateContent>
      <m:oMath><m:r><m:t>x</m:t></m:r></m:oMath>
      <w:r><w:br w:type="page"/><w:t>次頁</w:t></w:r>
    </w:p>
    <w:sdt><w:sdtContent><w:p><w:r><w:t>コンテンツコントロール</w:t></w:r></w:p></w:sdtContent></w:sdt>"#;
    assert_eq!(
        text_of(body, None, None),
        "開催日時\t令和７年\n午後２時セキュリティ-ポリシー挿入した文3表示リンク議事録一度\n次頁\n\
         コンテンツコントロール\n"
    );
}

#[test]
fn page_breaks_are_layout_not_lines() {
    let body = [
        p("一頁目の最後。"),
        // Word's Ctrl+Enter; LibreOffice writes its section breaks the same way
        r#"<w:p><w:pPr><w:sectPr><w:type w:val="nextPage"/></w:sectPr></w:pPr><w:r><w:br w:type="page"/></w:r></w:p>"#.to_owned(),
        r#"<w:p><w:r><w:br w:type="page"/><w:t>二頁目。</w:t><w:br w:type="column"/></w:r></w:p>"#.to_owned(),
        p(""),
    ]
    .concat();
    assert_eq!(text_of(&body, None, None), "一頁目の最後。\n二頁目。\n\n");
}

fn cell(content: &str) -> String {
    format!("<w:tc>{content}</w:tc>")
}

fn cell_with(props: &str, content: &str) -> String {
    format!("<w:tc><w:tcPr>{props}</w:tcPr>{content}</w:tc>")
}

fn row(cells: &[String]) -> String {
    format!("<w:tr>{}</w:tr>", cells.concat())
}

fn table(columns: usize, rows: &[String]) -> String {
    format!(
        "<w:tbl><w:tblGrid>{}</w:tblGrid>{}</w:tbl>",
        "<w:gridCol/>".repeat(columns),
        rows.concat()
    )
}

#[test]
fn tables_become_markdown_rows() {
    let body = [
        p("会議録"),
        table(
            2,
            &[
                row(&[cell(&p("項目")), cell(&p("内容"))]),
                row(&[cell(&p("会議名")), cell(&p("第1回 DX推進本部"))]),
                row(&[
                    cell(&p("出席者")),
                    cell(&[p("区長、副区長"), p("教育長")].concat()),
                ]),
                row(&[cell(&p("")), cell(&p(""))]),
                row(&[cell(&p("備考")), cell(&p("A|B案"))]),
            ],
        ),
        p("本文"),
    ]
    .concat();
    assert_eq!(
        text_of(&body, None, None),
        "会議録\n\
         | 項目 | 内容 |\n\
         |---|---|\n\
         | 会議名 | 第1回 DX推進本部 |\n\
         | 出席者 | 区長、副区長 教育長 |\n\
         | 備考 | A\\|B案 |\n\
         本文\n"
    );
}

#[test]
fn merged_cells_keep_their_text_once_and_the_columns_in_line() {
    let body = table(
        3,
        &[
            row(&[cell(&p("部署")), cell(&p("宿題")), cell(&p("期限"))]),
            row(&[
                cell_with(r#"<w:vMerge w:val="restart"/>"#, &p("区民部")),
                cell(&p("予約件数の整理")),
                cell(&p("12月")),
            ]),
            row(&[
                cell_with("<w:vMerge/>", &p("")),
                cell_with(r#"<w:gridSpan w:val="2"/>"#, &p("窓口の案内（期限なし）")),
            ]),
            format!(
                r#"<w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr>{}{}</w:tr>"#,
                cell(&p("教育部")),
                cell(&p("1月"))
            ),
        ],
    );
    assert_eq!(
        text_of(&body, None, None),
        "| 部署 | 宿題 | 期限 |\n\
         |---|---|---|\n\
         | 区民部 | 予約件数の整理 | 12月 |\n\
         | | 窓口の案内（期限なし） | |\n\
         | | 教育部 | 1月 |\n"
    );
}

#[test]
fn a_one_column_table_is_a_frame_around_paragraphs() {
    let body = [
        table(
            1,
            &[row(&[cell(
                &[
                    p("【区長】　報告してください。"),
                    p("【部長】　承知しました。"),
                ]
                .concat(),
            )])],
        ),
        p("以上"),
    ]
    .concat();
    assert_eq!(
        text_of(&body, None, None),
        "【区長】　報告してください。\n【部長】　承知しました。\n以上\n"
    );
}

#[test]
fn numbered_paragraphs_in_cells_count_on() {
    let body = [
        numbered(5, 0, "表の前"),
        table(
            2,
            &[row(&[cell(&numbered(5, 0, "表の中")), cell(&p("値"))])],
        ),
        numbered(5, 0, "表の後"),
    ]
    .concat();
    assert_eq!(
        text_of(&body, Some(&japanese_outline()), None),
        "１．\t表の前\n| ２． 表の中 | 値 |\n|---|---|\n３．\t表の後\n"
    );
}

#[test]
fn headers_and_footers_are_not_read() {
    let doc = document(&p("本文"));
    let header = format!(
        r#"<w:hdr xmlns:w="{W}"><w:p><w:r><w:t>令和７年度 会議録</w:t></w:r></w:p></w:hdr>"#
    );
    let rels = r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/></Relationships>"#;
    let bytes = package(&[
        ("word/document.xml", &doc),
        ("word/header1.xml", &header),
        ("word/_rels/document.xml.rels", rels),
    ]);
    assert_eq!(
        super::to_text(&bytes, &Limits::default()).unwrap(),
        "本文\n"
    );
}

#[test]
fn the_main_part_is_found_through_the_package_relationships() {
    let doc = document(&p("本文"));
    let rels = r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="/word/document2.xml"/></Relationships>"#;
    let doc_rels = r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="../word/./list.xml"/></Relationships>"#;
    let defs = japanese_outline();
    let body = document(&numbered(5, 0, "本文"));
    let bytes = package(&[
        ("_rels/.rels", rels),
        ("word/document.xml", &doc),
        ("word/document2.xml", &body),
        ("word/_rels/document2.xml.rels", doc_rels),
        ("word/list.xml", &defs),
    ]);
    assert_eq!(
        super::to_text(&bytes, &Limits::default()).unwrap(),
        "１．\t本文\n"
    );
}

#[test]
fn strict_ooxml_reads_like_transitional() {
    let doc = document(&p("厳格")).replace(W, "http://purl.oclc.org/ooxml/wordprocessingml/main");
    let bytes = package(&[("word/document.xml", &doc)]);
    assert_eq!(
        super::to_text(&bytes, &Limits::default()).unwrap(),
        "厳格\n"
    );
}

#[test]
fn a_part_that_inflates_past_the_limit_is_refused() {
    let huge = document(&p(&"あ".repeat(200_000)));
    let bytes = package(&[("word/document.xml", &huge)]);
    let limits = Limits {
        max_part_bytes: 64 * 1024,
        ..Limits::default()
    };
    assert_eq!(
        super::to_text(&bytes, &limits),
        Err(DocumentError::TooLarge {
            part: "word/document.xml".into(),
            limit_bytes: 64 * 1024
        })
    );
    let many = document(&p("い").repeat(5_000));
    let bytes = package(&[("word/document.xml", &many)]);
    let limits = Limits {
        max_xml_nodes: 1_000,
        ..Limits::default()
    };
    assert!(matches!(
        super::to_text(&bytes, &limits),
        Err(DocumentError::TooLarge { .. })
    ));
}

#[test]
fn nesting_that_would_exhaust_the_stack_is_refused() {
    let deep = format!(
        "<w:p>{}<w:r><w:t>深い</w:t></w:r>{}</w:p>",
        "<w:hyperlink>".repeat(100_000),
        "</w:hyperlink>".repeat(100_000)
    );
    let bytes = package(&[("word/document.xml", &document(&deep))]);
    assert!(matches!(
        super::to_text(&bytes, &Limits::default()),
        Err(DocumentError::DamagedDocx(m)) if m.contains("nested")
    ));
}

#[test]
fn a_dtd_is_refused() {
    let doc = format!(
        r#"<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "aaaaaaaa">]><w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>&a;</w:t></w:r></w:p></w:body></w:document>"#
    );
    let bytes = package(&[("word/document.xml", &doc)]);
    assert!(matches!(
        super::to_text(&bytes, &Limits::default()),
        Err(DocumentError::DamagedDocx(_))
    ));
}

#[test]
fn other_office_files_are_named_in_the_refusal() {
    use super::super::OtherFormat;
    let xlsx = package(&[("xl/workbook.xml", "<workbook/>"), ("_rels/.rels", "<r/>")]);
    assert_eq!(
        super::classify(&xlsx),
        Err(DocumentError::Unsupported(OtherFormat::Excel))
    );
    let odt = package(&[
        ("mimetype", "application/vnd.oasis.opendocument.text"),
        ("content.xml", "<x/>"),
    ]);
    assert_eq!(
        super::classify(&odt),
        Err(DocumentError::Unsupported(OtherFormat::OpenDocument))
    );
    let other = package(&[("photo.jpg", "...")]);
    assert_eq!(
        super::classify(&other),
        Err(DocumentError::Unsupported(OtherFormat::Zip))
    );
}
