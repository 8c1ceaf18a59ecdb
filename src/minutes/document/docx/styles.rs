//! Paragraph styles (`word/styles.xml`), read only for the numbering they
//! carry: Word numbers headings and list styles through the style, not the
//! paragraph.

use std::collections::HashMap;

use roxmltree::{Document, Node};

use super::numbering::Definitions;
use super::xml::{attr, child, children, int_attr, val};

/// A style chain deeper than this is a loop or nonsense.
const MAX_BASED_ON: usize = 16;

#[derive(Debug, Default)]
struct ParagraphStyle {
    based_on: Option<String>,
    num_id: Option<String>,
    ilvl: Option<usize>,
}

#[derive(Debug, Default)]
pub(super) struct Styles {
    paragraph: HashMap<String, ParagraphStyle>,
    default_paragraph: Option<String>,
}

impl Styles {
    /// Reads the paragraph styles, and registers numbering styles with `defs`.
    pub fn parse(doc: &Document, defs: &mut Definitions) -> Styles {
        let mut styles = Styles::default();
        for style in children(doc.root_element(), "style") {
            let Some(id) = attr(style, "styleId") else {
                continue;
            };
            let num_pr = child(style, "pPr").and_then(|p| child(p, "numPr"));
            let num_id = num_pr.and_then(|n| child(n, "numId")).and_then(val);
            match attr(style, "type") {
                Some("numbering") => {
                    if let Some(num_id) = num_id {
                        defs.add_numbering_style(id, num_id);
                    }
                }
                Some("paragraph") | None => {
                    if matches!(attr(style, "default"), Some("1" | "true" | "on")) {
                        styles.default_paragraph = Some(id.to_owned());
                    }
                    let ilvl = num_pr
                        .and_then(|n| child(n, "ilvl"))
                        .and_then(|i| int_attr(i, "val"))
                        .map(|i| i as usize);
                    styles.paragraph.insert(
                        id.to_owned(),
                        ParagraphStyle {
                            based_on: child(style, "basedOn").and_then(val).map(str::to_owned),
                            num_id: num_id.map(str::to_owned),
                            ilvl,
                        },
                    );
                }
                Some(_) => {}
            }
        }
        styles
    }

    /// The numbering (numId, level) of a paragraph: its own `numPr`, completed
    /// from its style chain.
    pub fn numbering_of(&self, p: Node) -> Option<(String, usize)> {
        let ppr = child(p, "pPr");
        let direct = ppr.and_then(|p| child(p, "numPr"));
        let mut num_id = direct
            .and_then(|n| child(n, "numId"))
            .and_then(val)
            .map(str::to_owned);
        let mut ilvl = direct
            .and_then(|n| child(n, "ilvl"))
            .and_then(|i| int_attr(i, "val"))
            .map(|i| i as usize);
        let mut style = ppr
            .and_then(|p| child(p, "pStyle"))
            .and_then(val)
            .map(str::to_owned)
            .or_else(|| self.default_paragraph.clone());
        for _ in 0..MAX_BASED_ON {
            if num_id.is_some() && ilvl.is_some() {
                break;
            }
            let Some(s) = style.as_ref().and_then(|s| self.paragraph.get(s)) else {
                break;
            };
            if num_id.is_none() {
                num_id.clone_from(&s.num_id);
            }
            if ilvl.is_none() {
                ilvl = s.ilvl;
            }
            style.clone_from(&s.based_on);
        }
        Some((num_id?, ilvl.unwrap_or(0)))
    }
}
