//! Word (.docx) → text. A .docx is a ZIP package of XML parts: the main part
//! (`word/document.xml`, found through `_rels/.rels`), and next to it the
//! numbering definitions and the styles. Headers, footers, footnotes and
//! comments live in other parts and are not read.

mod body;
mod numbering;
mod styles;
mod xml;

use std::io::{Cursor, Read};

use roxmltree::{Document, ParsingOptions};
use zip::ZipArchive;

use super::{DocumentError, Limits, OtherFormat};

const MAIN_FALLBACK: &str = "word/document.xml";

/// Word nests tables in tables and controls in controls, but never this deep.
const MAX_NESTING: usize = 256;

type Package<'b> = ZipArchive<Cursor<&'b [u8]>>;

/// What a ZIP package holds, judged from its part names.
pub(super) fn classify(bytes: &[u8]) -> Result<(), DocumentError> {
    let zip = ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| DocumentError::DamagedDocx(e.to_string()))?;
    let names: Vec<String> = zip
        .file_names()
        .filter_map(|n| n.ok().map(|n| n.into_owned()))
        .collect();
    let has = |name: &str| names.iter().any(|n| n.eq_ignore_ascii_case(name));
    let under = |dir: &str| names.iter().any(|n| n.starts_with(dir));
    if has(MAIN_FALLBACK) || has("_rels/.rels") && under("word/") {
        Ok(())
    } else if under("xl/") {
        Err(DocumentError::Unsupported(OtherFormat::Excel))
    } else if under("ppt/") {
        Err(DocumentError::Unsupported(OtherFormat::PowerPoint))
    } else if has("mimetype") || has("content.xml") {
        Err(DocumentError::Unsupported(OtherFormat::OpenDocument))
    } else {
        Err(DocumentError::Unsupported(OtherFormat::Zip))
    }
}

/// The text of a .docx: paragraphs in order, one per line.
pub(super) fn to_text(bytes: &[u8], limits: &Limits) -> Result<String, DocumentError> {
    let mut zip = ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| DocumentError::DamagedDocx(e.to_string()))?;
    let main = main_part(&mut zip, limits)?;
    let main_xml = read_part(&mut zip, &main, limits)?
        .ok_or_else(|| DocumentError::DamagedDocx(format!("{main} is missing")))?;
    let related = related_parts(&mut zip, &main, limits)?;
    let numbering_xml = match &related.numbering {
        Some(name) => read_part(&mut zip, name, limits)?,
        None => None,
    };
    let styles_xml = match &related.styles {
        Some(name) => read_part(&mut zip, name, limits)?,
        None => None,
    };

    let main_doc = parse_xml(&main, &main_xml, limits)?;
    let mut defs = match &numbering_xml {
        Some(x) => numbering::Definitions::parse(&parse_xml("numbering", x, limits)?),
        None => numbering::Definitions::default(),
    };
    let styles = match &styles_xml {
        Some(x) => styles::Styles::parse(&parse_xml("styles", x, limits)?, &mut defs),
        None => styles::Styles::default(),
    };
    let body = xml::child(main_doc.root_element(), "body")
        .ok_or_else(|| DocumentError::DamagedDocx(format!("{main} has no body")))?;
    let mut writer = body::Writer::new(numbering::Counter::new(&defs), &styles);
    writer.blocks(body);
    Ok(writer.finish())
}

/// Reads a part, refusing more than `limits.max_part_bytes` once inflated
/// (whatever the ZIP header claims). `None` when the package has no such part.
fn read_part(
    zip: &mut Package,
    name: &str,
    limits: &Limits,
) -> Result<Option<String>, DocumentError> {
    let index = match zip.index_for_name(name) {
        Some(i) => i,
        // part names are case-insensitive in OPC
        None => match (0..zip.len()).find(|&i| {
            zip.name_for_index(i)
                .is_some_and(|n| n.is_ok_and(|n| n.eq_ignore_ascii_case(name)))
        }) {
            Some(i) => i,
            None => return Ok(None),
        },
    };
    let file = zip
        .by_index(index)
        .map_err(|e| DocumentError::DamagedDocx(format!("{name}: {e}")))?;
    let mut buf = Vec::new();
    file.take(limits.max_part_bytes.saturating_add(1))
        .read_to_end(&mut buf)
        .map_err(|e| DocumentError::DamagedDocx(format!("{name}: {e}")))?;
    if buf.len() as u64 > limits.max_part_bytes {
        return Err(DocumentError::TooLarge {
            part: name.to_owned(),
            limit_bytes: limits.max_part_bytes,
        });
    }
    let text = match buf.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => std::str::from_utf8(rest).map(str::to_owned),
        None => String::from_utf8(buf).map_err(|e| e.utf8_error()),
    };
    text.map(Some)
        .map_err(|_| DocumentError::DamagedDocx(format!("{name} is not UTF-8 XML")))
}

fn parse_xml<'x>(
    name: &str,
    text: &'x str,
    limits: &Limits,
) -> Result<Document<'x>, DocumentError> {
    let options = ParsingOptions {
        // a DTD has no business in a .docx, and refusing it rules out entity bombs
        allow_dtd: false,
        nodes_limit: limits.max_xml_nodes,
        ..ParsingOptions::default()
    };
    let doc = Document::parse_with_options(text, options).map_err(|e| match e {
        roxmltree::Error::NodesLimitReached => DocumentError::TooLarge {
            part: name.to_owned(),
            limit_bytes: limits.max_part_bytes,
        },
        e => DocumentError::DamagedDocx(format!("{name}: {e}")),
    })?;
    // the body is read by recursion: a hostile nesting must not overflow the stack
    let mut open = vec![(doc.root(), 0usize)];
    while let Some((node, depth)) = open.pop() {
        if depth > MAX_NESTING {
            return Err(DocumentError::DamagedDocx(format!(
                "{name}: elements nested more than {MAX_NESTING} deep"
            )));
        }
        open.extend(
            node.children()
                .filter(roxmltree::Node::is_element)
                .map(|c| (c, depth + 1)),
        );
    }
    Ok(doc)
}

/// The main document part, from the package relationships.
fn main_part(zip: &mut Package, limits: &Limits) -> Result<String, DocumentError> {
    let Some(rels) = read_part(zip, "_rels/.rels", limits)? else {
        return Ok(MAIN_FALLBACK.to_owned());
    };
    let doc = parse_xml("_rels/.rels", &rels, limits)?;
    Ok(targets(&doc, "")
        .find(|(kind, _)| kind.ends_with("/officeDocument"))
        .map(|(_, target)| target)
        .unwrap_or_else(|| MAIN_FALLBACK.to_owned()))
}

struct Related {
    numbering: Option<String>,
    styles: Option<String>,
}

/// The numbering and styles parts of the main part, from its relationships.
fn related_parts(zip: &mut Package, main: &str, limits: &Limits) -> Result<Related, DocumentError> {
    let (dir, file) = main.rsplit_once('/').unwrap_or(("", main));
    let rels_name = if dir.is_empty() {
        format!("_rels/{file}.rels")
    } else {
        format!("{dir}/_rels/{file}.rels")
    };
    let Some(rels) = read_part(zip, &rels_name, limits)? else {
        return Ok(Related {
            numbering: Some("word/numbering.xml".into()),
            styles: Some("word/styles.xml".into()),
        });
    };
    let doc = parse_xml(&rels_name, &rels, limits)?;
    let find = |suffix: &str| {
        targets(&doc, dir)
            .find(|(kind, _)| kind.ends_with(suffix))
            .map(|(_, target)| target)
    };
    Ok(Related {
        numbering: find("/numbering"),
        styles: find("/styles"),
    })
}

/// (relationship type, resolved part name) of the internal relationships.
fn targets<'d>(doc: &'d Document, base_dir: &'d str) -> impl Iterator<Item = (&'d str, String)> {
    doc.root_element()
        .children()
        .filter(|n| n.has_tag_name("Relationship") || n.tag_name().name() == "Relationship")
        .filter(|n| n.attribute("TargetMode") != Some("External"))
        .filter_map(move |n| {
            let kind = n.attribute("Type")?;
            let target = n.attribute("Target")?;
            Some((kind, resolve(base_dir, target)))
        })
}

/// A relationship target relative to its source's folder, as a part name.
fn resolve(base_dir: &str, target: &str) -> String {
    let mut parts: Vec<&str> = if target.starts_with('/') {
        Vec::new()
    } else {
        base_dir.split('/').filter(|p| !p.is_empty()).collect()
    };
    for segment in target.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests;
