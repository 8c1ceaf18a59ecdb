//! Conversion time of long Word and PDF minutes (`minutes::document::to_text`).
//! Run with `cargo bench --bench documents`; set `SHUKUDAI_BENCH_PDF` or
//! `SHUKUDAI_BENCH_DOCX` to a file to time that one as well.
//!
//! The 51-page PDF is the 3-page fixture made by LibreOffice with its pages
//! copied 17 times (fonts, content and layout of real pages); the long .docx
//! is the fixture's body repeated 17 times.

use std::hint::black_box;
use std::io::{Cursor, Read, Write};
use std::time::{Duration, Instant};

use pdf_extract::{Document, Object};
use shukudai::minutes::document::to_text;

const COPIES: usize = 17;
const RUNS: usize = 7;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/documents/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The PDF with its pages copied `copies` times over.
fn longer_pdf(bytes: &[u8], copies: usize) -> Vec<u8> {
    let mut doc = Document::load_mem(bytes).expect("fixture PDF");
    let pages: Vec<_> = doc.get_pages().into_values().collect();
    let root = doc
        .catalog()
        .and_then(|c| c.get(b"Pages"))
        .and_then(Object::as_reference)
        .expect("page tree");
    let mut kids = Vec::new();
    for _ in 0..copies {
        for &page in &pages {
            let mut copy = doc.get_object(page).expect("page").clone();
            if let Object::Dictionary(d) = &mut copy {
                d.set("Parent", Object::Reference(root));
            }
            kids.push(Object::Reference(doc.add_object(copy)));
        }
    }
    let count = kids.len() as i64;
    let tree = doc
        .get_object_mut(root)
        .and_then(Object::as_dict_mut)
        .expect("page tree");
    tree.set("Kids", Object::Array(kids));
    tree.set("Count", Object::Integer(count));
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("save");
    out
}

/// The .docx with the paragraphs and tables of its body repeated `copies` times.
fn longer_docx(bytes: &[u8], copies: usize) -> Vec<u8> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("fixture docx");
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let mut file = zip.by_index(i).expect("part");
        let name = file.name().expect("part name").into_owned();
        let mut content = Vec::new();
        file.read_to_end(&mut content).expect("read part");
        if name == "word/document.xml" {
            let xml = String::from_utf8(content).expect("UTF-8");
            let start = xml.find("<w:body>").expect("body") + "<w:body>".len();
            let end = xml.rfind("<w:sectPr").expect("section");
            let body = &xml[start..end];
            content =
                format!("{}{}{}", &xml[..start], body.repeat(copies), &xml[end..]).into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .expect("write part");
        out.write_all(&content).expect("write part");
    }
    out.finish().expect("zip").into_inner()
}

fn time(label: &str, name: &str, bytes: &[u8]) {
    let mut runs: Vec<Duration> = Vec::with_capacity(RUNS);
    let mut pages = None;
    let mut chars = 0;
    for _ in 0..RUNS {
        let start = Instant::now();
        let text = black_box(to_text(black_box(bytes), Some(name))).expect("converts");
        runs.push(start.elapsed());
        pages = text.pages;
        chars = text.text.chars().count();
    }
    runs.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{label}: {} KB, {} pages, {chars} chars of text: median {:.1} ms, best {:.1} ms ({RUNS} runs)",
        bytes.len() / 1024,
        pages.map_or("no".into(), |p| p.to_string()),
        ms(runs[RUNS / 2]),
        ms(runs[0]),
    );
}

fn main() {
    let pdf = longer_pdf(&fixture("chougi-formfeed-brackets.pdf"), COPIES);
    time("PDF, fixture pages copied", "long.pdf", &pdf);
    let docx = longer_docx(&fixture("chougi-formfeed-brackets.docx"), COPIES);
    time("Word, fixture body repeated", "long.docx", &docx);
    for (var, name) in [
        ("SHUKUDAI_BENCH_PDF", "file.pdf"),
        ("SHUKUDAI_BENCH_DOCX", "file.docx"),
    ] {
        if let Ok(path) = std::env::var(var) {
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
            time(&path, name, &bytes);
        }
    }
}
