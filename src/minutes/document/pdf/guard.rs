//! Checks that keep a hostile or broken PDF from exhausting memory or the
//! stack inside `pdf-extract`, which has no limits of its own.

use std::collections::{BTreeMap, HashSet};
use std::io::Read;

use flate2::read::ZlibDecoder;
use pdf_extract::{Dictionary, Document, Object, ObjectId, content::Content};

use super::super::{DocumentError, Limits};

/// Deeper nesting of pages or forms than this is not a real document.
const MAX_DEPTH: usize = 32;

/// Inflates every Flate stream of the file, bounded, before the parser inflates
/// them without bound: a few kilobytes of zeros can inflate to gigabytes.
/// Streams that are not Flate data fail to inflate and are left to the parser.
pub(super) fn check_streams(bytes: &[u8], limits: &Limits) -> Result<(), DocumentError> {
    let mut at = 0;
    while let Some(found) = find(&bytes[at..], b"stream") {
        let keyword = at + found;
        at = keyword + b"stream".len();
        if bytes[..keyword].ends_with(b"end") {
            continue;
        }
        let data = match &bytes[at..] {
            [b'\r', b'\n', ..] => &bytes[at + 2..],
            [b'\n', ..] | [b'\r', ..] => &bytes[at + 1..],
            _ => continue,
        };
        let end = find(data, b"endstream").unwrap_or(data.len());
        let mut inflated = 0u64;
        let mut decoder = ZlibDecoder::new(&data[..end]).take(limits.max_pdf_stream_bytes + 1);
        let mut buf = [0u8; 64 * 1024];
        while let Ok(n) = decoder.read(&mut buf) {
            if n == 0 {
                break;
            }
            inflated += n as u64;
        }
        if inflated > limits.max_pdf_stream_bytes {
            return Err(DocumentError::TooLarge {
                part: "PDF stream".into(),
                limit_bytes: limits.max_pdf_stream_bytes,
            });
        }
    }
    Ok(())
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The page tree above each page and the form XObjects each page draws must
/// be finite and shallow: `pdf-extract` follows both by recursion.
pub(super) fn check_structure(
    doc: &Document,
    pages: &BTreeMap<u32, ObjectId>,
) -> Result<(), DocumentError> {
    for &page in pages.values() {
        let dict = dictionary(doc, page)
            .ok_or_else(|| DocumentError::DamagedPdf("a page is not a dictionary".into()))?;
        let mut resources = None;
        let mut seen = HashSet::from([page]);
        let mut node = dict;
        for depth in 0.. {
            if resources.is_none() {
                resources = node.get(b"Resources").ok().and_then(|r| as_dict(doc, r));
            }
            let Ok(parent) = node.get(b"Parent").and_then(Object::as_reference) else {
                break;
            };
            if depth >= MAX_DEPTH || !seen.insert(parent) {
                return Err(DocumentError::DamagedPdf("the page tree loops".into()));
            }
            match dictionary(doc, parent) {
                Some(d) => node = d,
                None => break,
            }
        }
        if let Some(resources) = resources {
            check_forms(doc, resources, None, &mut Vec::new())?;
        }
    }
    Ok(())
}

/// Follows the forms a resource dictionary offers (those named in `drawn`, or
/// all), and the forms their content draws, refusing loops and deep nesting.
fn check_forms(
    doc: &Document,
    resources: &Dictionary,
    drawn: Option<&HashSet<Vec<u8>>>,
    stack: &mut Vec<ObjectId>,
) -> Result<(), DocumentError> {
    let Some(xobjects) = resources.get(b"XObject").ok().and_then(|x| as_dict(doc, x)) else {
        return Ok(());
    };
    for (name, entry) in xobjects.iter() {
        if drawn.is_some_and(|d| !d.contains(name)) {
            continue;
        }
        let Ok(id) = entry.as_reference() else {
            continue;
        };
        let Some(stream) = doc.get_object(id).ok().and_then(|o| o.as_stream().ok()) else {
            continue;
        };
        if stream.dict.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Form") {
            continue;
        }
        if stack.contains(&id) || stack.len() >= MAX_DEPTH {
            return Err(DocumentError::DamagedPdf(
                "drawings (form XObjects) nest without end".into(),
            ));
        }
        // a form without resources of its own draws with those of its caller
        let inner = stream
            .dict
            .get(b"Resources")
            .ok()
            .and_then(|r| as_dict(doc, r))
            .unwrap_or(resources);
        let content = stream
            .decompressed_content()
            .unwrap_or_else(|_| stream.content.clone());
        let names: HashSet<Vec<u8>> = Content::decode(&content)
            .map(|c| {
                c.operations
                    .iter()
                    .filter(|op| op.operator == "Do")
                    .filter_map(|op| op.operands.first()?.as_name().ok().map(<[u8]>::to_vec))
                    .collect()
            })
            .unwrap_or_default();
        if !names.is_empty() {
            stack.push(id);
            check_forms(doc, inner, Some(&names), stack)?;
            stack.pop();
        }
    }
    Ok(())
}

fn dictionary(doc: &Document, id: ObjectId) -> Option<&Dictionary> {
    doc.get_object(id).ok()?.as_dict().ok()
}

fn as_dict<'d>(doc: &'d Document, object: &'d Object) -> Option<&'d Dictionary> {
    match object {
        Object::Reference(id) => dictionary(doc, *id),
        Object::Dictionary(d) => Some(d),
        _ => None,
    }
}
