//! PDFs built object by object with `lopdf` (as re-exported by `pdf-extract`),
//! for the shapes LibreOffice never writes: broken, hostile or odd ones.

use std::io::Write;

use flate2::{Compression, write::ZlibEncoder};
use pdf_extract::{
    Dictionary, Document, Object, ObjectId, Stream,
    content::{Content, Operation},
};

use super::super::{DocumentError, Limits};

fn name(n: &str) -> Object {
    Object::Name(n.as_bytes().to_vec())
}

fn dict(entries: Vec<(&str, Object)>) -> Dictionary {
    let mut d = Dictionary::new();
    for (k, v) in entries {
        d.set(k, v);
    }
    d
}

/// `BT /F1 12 Tf x y Td (line) Tj ET` for each line, 14pt apart.
fn text_ops(lines: &[&str]) -> Vec<u8> {
    let mut ops = vec![
        Operation::new("BT", vec![]),
        Operation::new("Tf", vec![name("F1"), 12.into()]),
        Operation::new("TL", vec![14.into()]),
        Operation::new("Td", vec![72.into(), 770.into()]),
    ];
    for line in lines {
        ops.push(Operation::new("Tj", vec![Object::string_literal(*line)]));
        ops.push(Operation::new("T*", vec![]));
    }
    ops.push(Operation::new("ET", vec![]));
    Content { operations: ops }.encode().unwrap()
}

/// A one-page document whose page draws `content` with `resources`; `extra`
/// may add objects and change the page before the file is written.
fn pdf(
    content: Vec<u8>,
    resources: impl FnOnce(&mut Document) -> Dictionary,
    extra: impl FnOnce(&mut Document, ObjectId),
) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font = doc.add_object(dict(vec![
        ("Type", name("Font")),
        ("Subtype", name("Type1")),
        ("BaseFont", name("Helvetica")),
    ]));
    let mut res = resources(&mut doc);
    res.set("Font", dict(vec![("F1", Object::Reference(font))]));
    let content_id = doc.add_object(Stream::new(Dictionary::new(), content));
    let page = doc.add_object(dict(vec![
        ("Type", name("Page")),
        ("Parent", Object::Reference(pages_id)),
        ("Contents", Object::Reference(content_id)),
        ("Resources", Object::Dictionary(res)),
        (
            "MediaBox",
            Object::Array(vec![0.into(), 0.into(), 595.into(), 842.into()]),
        ),
    ]));
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dict(vec![
            ("Type", name("Pages")),
            ("Kids", Object::Array(vec![Object::Reference(page)])),
            ("Count", 1.into()),
        ])),
    );
    let catalog = doc.add_object(dict(vec![
        ("Type", name("Catalog")),
        ("Pages", Object::Reference(pages_id)),
    ]));
    doc.trailer.set("Root", Object::Reference(catalog));
    extra(&mut doc, page);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

fn form(doc: &mut Document, content: &[u8], resources: Option<Dictionary>) -> ObjectId {
    let mut d = dict(vec![
        ("Type", name("XObject")),
        ("Subtype", name("Form")),
        (
            "BBox",
            Object::Array(vec![0.into(), 0.into(), 595.into(), 842.into()]),
        ),
    ]);
    if let Some(r) = resources {
        d.set("Resources", r);
    }
    doc.add_object(Stream::new(d, content.to_vec()))
}

fn convert(bytes: &[u8], limits: &Limits) -> Result<(String, usize), DocumentError> {
    super::to_text(bytes, limits)
}

#[test]
fn a_plain_latin_page() {
    let bytes = pdf(
        text_ops(&["Minutes of the 3rd meeting", "Page two line"]),
        |_| Dictionary::new(),
        |_, _| {},
    );
    assert_eq!(
        convert(&bytes, &Limits::default()),
        Ok(("Minutes of the 3rd meeting\nPage two line\n".into(), 1))
    );
}

#[test]
fn text_inside_a_form_is_read() {
    let bytes = pdf(
        b"/Fm1 Do".to_vec(),
        |doc| {
            let inner = form(doc, &text_ops(&["drawn by a form"]), None);
            dict(vec![(
                "XObject",
                dict(vec![("Fm1", Object::Reference(inner))]).into(),
            )])
        },
        |_, _| {},
    );
    let (text, _) = convert(&bytes, &Limits::default()).unwrap();
    assert_eq!(text, "drawn by a form\n");
}

#[test]
fn a_form_that_draws_itself_is_refused_not_followed() {
    // the form has no resources of its own, so its /Fm1 is the page's /Fm1: itself
    let bytes = pdf(
        b"/Fm1 Do".to_vec(),
        |doc| {
            let looping = form(doc, b"/Fm1 Do", None);
            dict(vec![(
                "XObject",
                dict(vec![("Fm1", Object::Reference(looping))]).into(),
            )])
        },
        |_, _| {},
    );
    assert!(matches!(
        convert(&bytes, &Limits::default()),
        Err(DocumentError::DamagedPdf(m)) if m.contains("nest")
    ));
}

#[test]
fn forms_nested_too_deep_are_refused() {
    let bytes = pdf(
        b"/Fm Do".to_vec(),
        |doc| {
            let mut inner = form(doc, &text_ops(&["deep"]), None);
            for _ in 0..40 {
                let res = dict(vec![(
                    "XObject",
                    dict(vec![("Fm", Object::Reference(inner))]).into(),
                )]);
                inner = form(doc, b"/Fm Do", Some(res));
            }
            dict(vec![(
                "XObject",
                dict(vec![("Fm", Object::Reference(inner))]).into(),
            )])
        },
        |_, _| {},
    );
    assert!(matches!(
        convert(&bytes, &Limits::default()),
        Err(DocumentError::DamagedPdf(_))
    ));
}

#[test]
fn a_page_tree_that_loops_is_refused() {
    let bytes = pdf(
        text_ops(&["x"]),
        |_| Dictionary::new(),
        |doc, page| {
            // the page's resources are inherited through a parent that is the page
            let bogus = doc.add_object(dict(vec![
                ("Type", name("Pages")),
                ("Parent", Object::Reference(page)),
            ]));
            let Ok(Object::Dictionary(d)) = doc.get_object_mut(page) else {
                panic!("page")
            };
            d.remove(b"Resources");
            d.set("Parent", Object::Reference(bogus));
        },
    );
    assert!(matches!(
        convert(&bytes, &Limits::default()),
        Err(DocumentError::DamagedPdf(m)) if m.contains("loops")
    ));
}

#[test]
fn a_stream_that_inflates_past_the_limit_is_refused() {
    let mut zipped = ZlibEncoder::new(Vec::new(), Compression::best());
    let padding = vec![b' '; 4 * 1024 * 1024];
    zipped.write_all(&padding).unwrap();
    let zipped = zipped.finish().unwrap();
    assert!(zipped.len() < 64 * 1024);
    let bytes = pdf(
        text_ops(&["x"]),
        |_| Dictionary::new(),
        |doc, page| {
            let bomb = doc.add_object(Stream::new(
                dict(vec![("Filter", name("FlateDecode"))]),
                zipped,
            ));
            let Ok(Object::Dictionary(d)) = doc.get_object_mut(page) else {
                panic!("page")
            };
            d.set("Contents", Object::Array(vec![Object::Reference(bomb)]));
        },
    );
    let limits = Limits {
        max_pdf_stream_bytes: 1024 * 1024,
        ..Limits::default()
    };
    assert_eq!(
        convert(&bytes, &limits),
        Err(DocumentError::TooLarge {
            part: "PDF stream".into(),
            limit_bytes: 1024 * 1024
        })
    );
    // within the default limit the same file is read (and is blank)
    assert_eq!(
        convert(&bytes, &Limits::default()),
        Err(DocumentError::ScannedPdf { pages: 1 })
    );
}

#[test]
fn too_many_pages_are_refused() {
    let bytes = pdf(text_ops(&["x"]), |_| Dictionary::new(), |_, _| {});
    let limits = Limits {
        max_pdf_pages: 0,
        ..Limits::default()
    };
    assert_eq!(
        convert(&bytes, &limits),
        Err(DocumentError::TooManyPages { pages: 1, limit: 0 })
    );
}

#[test]
fn a_page_without_text_operators_counts_as_a_scan() {
    let bytes = pdf(
        b"0 0 m 100 100 l S".to_vec(),
        |_| Dictionary::new(),
        |_, _| {},
    );
    assert_eq!(
        convert(&bytes, &Limits::default()),
        Err(DocumentError::ScannedPdf { pages: 1 })
    );
}

#[test]
fn a_panic_inside_the_parser_becomes_an_error() {
    // `Tj` before any `Tf`: pdf-extract unwraps the missing font
    let content = b"BT 72 700 Td (no font) Tj ET".to_vec();
    let bytes = pdf(content, |_| Dictionary::new(), |_, _| {});
    assert!(matches!(
        convert(&bytes, &Limits::default()),
        Err(DocumentError::DamagedPdf(_))
    ));
}

mod random_drawing {
    use super::*;
    use proptest::prelude::*;

    fn number() -> impl Strategy<Value = String> {
        prop_oneof![
            (-1000i32..1000).prop_map(|n| n.to_string()),
            Just("0".to_owned()),
            Just("1e30".to_owned()),
            Just("-0.0001".to_owned()),
        ]
    }

    fn operator() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("BT".to_owned()),
            Just("ET".to_owned()),
            Just("q".to_owned()),
            Just("Q".to_owned()),
            Just("T*".to_owned()),
            number().prop_map(|n| format!("/F1 {n} Tf")),
            Just("/F9 12 Tf".to_owned()),
            "[ -~]{0,12}".prop_map(|s| format!("({}) Tj", s.replace(['(', ')', '\\'], ""))),
            Just("<FEFF30A230A4> Tj".to_owned()),
            Just("[(a) -250 (b) 1e9 (c)] TJ".to_owned()),
            Just("(x) '".to_owned()),
            Just("1 2 (x) \"".to_owned()),
            (number(), number()).prop_map(|(x, y)| format!("{x} {y} Td")),
            (number(), number()).prop_map(|(x, y)| format!("{x} {y} TD")),
            (number(), number(), number()).prop_map(|(a, x, y)| format!("{a} 0 0 {a} {x} {y} cm")),
            (number(), number()).prop_map(|(a, y)| format!("{a} 0 0 1 0 {y} Tm")),
            number().prop_map(|n| format!("{n} Tz")),
            number().prop_map(|n| format!("{n} TL")),
            number().prop_map(|n| format!("{n} Tc")),
            Just("3 Tr".to_owned()),
            Just("/Fm1 Do".to_owned()),
            Just("/Missing Do".to_owned()),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        /// Whatever a content stream draws, the conversion returns.
        #[test]
        fn any_drawing_gives_text_or_an_error(ops in prop::collection::vec(operator(), 0..40)) {
            let bytes = pdf(
                ops.join("\n").into_bytes(),
                |doc| {
                    let inner = form(doc, &text_ops(&["form"]), None);
                    dict(vec![("XObject", dict(vec![("Fm1", Object::Reference(inner))]).into())])
                },
                |_, _| {},
            );
            let _ = convert(&bytes, &Limits::default());
        }
    }
}
