//! The body of `word/document.xml` as lines: one paragraph per line in document
//! order, numbering labels in front, tables as Markdown pipe rows.

use roxmltree::Node;

use super::numbering::Counter;
use super::styles::Styles;
use super::xml::{child, children, int_attr, is, toggle, val};

const MC_NAMESPACE: &str = "http://schemas.openxmlformats.org/markup-compatibility/2006";

/// Stands for a page or column break while a paragraph is read.
const PAGE_BREAK: char = '\u{c}';

pub(super) struct Writer<'d> {
    counter: Counter<'d>,
    styles: &'d Styles,
    out: String,
}

impl<'d> Writer<'d> {
    pub fn new(counter: Counter<'d>, styles: &'d Styles) -> Self {
        Writer {
            counter,
            styles,
            out: String::new(),
        }
    }

    pub fn finish(self) -> String {
        self.out
    }

    /// Block-level content: paragraphs, tables, and the containers around them.
    pub fn blocks(&mut self, node: Node) {
        for c in node.children() {
            if is(c, "p") {
                if only_page_breaks(c) {
                    // Ctrl+Enter in Word, or a section break written by LibreOffice
                    continue;
                }
                let line = self.paragraph(c);
                self.out.push_str(&line);
                self.out.push('\n');
            } else if is(c, "tbl") {
                self.table(c);
            } else if is(c, "sdt") {
                if let Some(content) = child(c, "sdtContent") {
                    self.blocks(content);
                }
            } else if is(c, "customXml") {
                self.blocks(c);
            }
        }
    }

    /// A paragraph's text with its numbering label. Line breaks inside it
    /// (`w:br`, `w:cr`) stay line breaks; a page or column break at either end
    /// is only layout, since the paragraph ends a line anyway.
    fn paragraph(&mut self, p: Node) -> String {
        let mut text = String::new();
        if let Some((num_id, ilvl)) = self.styles.numbering_of(p)
            && let Some(label) = self.counter.label(&num_id, ilvl)
        {
            text.push_str(&label);
        }
        inline(p, &mut text);
        text.trim_matches(PAGE_BREAK).replace(PAGE_BREAK, "\n")
    }

    /// Rows as `| a | b |`, a `|---|---|` separator under the first row. A
    /// merged cell's text appears once, in its first grid cell; the cells it
    /// covers are empty so that every row has the table's column count. A table
    /// of one column is a frame drawn around text, so its paragraphs are plain lines.
    fn table(&mut self, tbl: Node) {
        let trs: Vec<Node> = rows(tbl).collect();
        let grid = child(tbl, "tblGrid").map_or(0, |g| children(g, "gridCol").count());
        let single_column = grid <= 1 && trs.iter().all(|tr| cells(*tr).count() <= 1);
        if single_column {
            for tr in trs {
                for tc in cells(tr) {
                    self.blocks(tc);
                }
            }
            return;
        }
        let mut table: Vec<Vec<String>> = Vec::with_capacity(trs.len());
        for tr in trs {
            let props = child(tr, "trPr");
            let skipped = |name: &str| {
                props
                    .and_then(|p| child(p, name))
                    .and_then(|g| int_attr(g, "val"))
                    .unwrap_or(0) as usize
            };
            let mut row = vec![String::new(); skipped("gridBefore")];
            for tc in cells(tr) {
                let props = child(tc, "tcPr");
                let span = props
                    .and_then(|p| child(p, "gridSpan"))
                    .and_then(|g| int_attr(g, "val"))
                    .unwrap_or(1)
                    .clamp(1, 64) as usize;
                let continued = props
                    .and_then(|p| child(p, "vMerge"))
                    .is_some_and(|m| val(m) != Some("restart"));
                row.push(if continued {
                    String::new()
                } else {
                    self.cell(tc)
                });
                row.extend(std::iter::repeat_n(String::new(), span - 1));
            }
            row.extend(std::iter::repeat_n(String::new(), skipped("gridAfter")));
            if row.iter().any(|c| !c.is_empty()) {
                table.push(row);
            }
        }
        let columns = table.iter().map(Vec::len).max().unwrap_or(0).max(grid);
        for (i, mut row) in table.into_iter().enumerate() {
            row.resize(columns, String::new());
            self.out.push('|');
            for cell in &row {
                if cell.is_empty() {
                    self.out.push_str(" |");
                } else {
                    self.out.push(' ');
                    self.out.push_str(cell);
                    self.out.push_str(" |");
                }
            }
            self.out.push('\n');
            if i == 0 {
                self.out.push('|');
                self.out.push_str(&"---|".repeat(columns));
                self.out.push('\n');
            }
        }
    }

    /// A cell's paragraphs (nested tables included) on one line, joined with a
    /// space; a `|` in the text is escaped as Markdown does (`\|`).
    fn cell(&mut self, tc: Node) -> String {
        let mut parts = Vec::new();
        self.cell_paragraphs(tc, &mut parts);
        let joined = parts
            .iter()
            .map(|p| {
                p.split(['\n', '\t', '\u{c}'])
                    .map(str::trim)
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .map(|p| p.trim().to_owned())
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        joined.replace('|', "\\|")
    }

    fn cell_paragraphs(&mut self, node: Node, parts: &mut Vec<String>) {
        for c in node.children() {
            if is(c, "p") {
                parts.push(self.paragraph(c));
            } else if is(c, "tbl") {
                for tr in rows(c) {
                    for tc in cells(tr) {
                        self.cell_paragraphs(tc, parts);
                    }
                }
            } else if is(c, "sdt") {
                if let Some(content) = child(c, "sdtContent") {
                    self.cell_paragraphs(content, parts);
                }
            } else if is(c, "customXml") {
                self.cell_paragraphs(c, parts);
            }
        }
    }
}

/// Rows of a table, also those wrapped in content controls or custom XML.
fn rows<'a, 'i>(tbl: Node<'a, 'i>) -> impl Iterator<Item = Node<'a, 'i>> {
    wrapped(tbl, "tr")
}

fn cells<'a, 'i>(tr: Node<'a, 'i>) -> impl Iterator<Item = Node<'a, 'i>> {
    wrapped(tr, "tc")
}

fn wrapped<'a, 'i>(node: Node<'a, 'i>, name: &'static str) -> impl Iterator<Item = Node<'a, 'i>> {
    node.children().flat_map(move |c| {
        let inner: Vec<Node<'a, 'i>> = if is(c, name) {
            vec![c]
        } else if is(c, "sdt") {
            child(c, "sdtContent").map_or_else(Vec::new, |s| wrapped(s, name).collect())
        } else if is(c, "customXml") {
            wrapped(c, name).collect()
        } else {
            Vec::new()
        };
        inner
    })
}

/// Run-level content of a paragraph, in order.
fn inline(node: Node, out: &mut String) {
    for c in node.children().filter(Node::is_element) {
        if c.tag_name().namespace() == Some(MC_NAMESPACE) {
            // mc:AlternateContent offers the same content in several forms: read one
            if c.tag_name().name() == "AlternateContent"
                && let Some(choice) = c.children().find(Node::is_element)
            {
                inline(choice, out);
            }
            continue;
        }
        // other namespaces (math, drawing extensions) carry no running text
        if !is(c, c.tag_name().name()) {
            continue;
        }
        match c.tag_name().name() {
            "t" => out.extend(c.text().unwrap_or("").chars().filter(|&ch| ch != '\u{AD}')),
            "tab" | "ptab" => out.push('\t'),
            // a docx has no fixed pages: a page break is a line break at most
            "br" if matches!(val_of(c, "type"), Some("page" | "column")) => out.push(PAGE_BREAK),
            "br" | "cr" => out.push('\n'),
            "noBreakHyphen" => out.push('-'),
            "r" if c.children().any(|p| is(p, "rPr") && hidden(p)) => {}
            // properties, deleted or moved-away text, field instructions,
            // floating drawings and text boxes (their place in the reading order
            // is unknown), furigana, note and comment references
            "pPr" | "rPr" | "del" | "moveFrom" | "delText" | "instrText" | "drawing" | "pict"
            | "object" | "rt" | "sym" | "softHyphen" | "footnoteReference" | "endnoteReference"
            | "commentReference" | "annotationRef" => {}
            // runs, hyperlinks, insertions, content controls, simple fields, ruby bases …
            _ => inline(c, out),
        }
    }
}

fn val_of<'a>(node: Node<'a, '_>, name: &str) -> Option<&'a str> {
    super::xml::attr(node, name)
}

/// A paragraph that holds page breaks and nothing else, not even a number.
fn only_page_breaks(p: Node) -> bool {
    let mut breaks = 0;
    for d in p.descendants().filter(Node::is_element) {
        if is(d, "br") && matches!(val_of(d, "type"), Some("page" | "column")) {
            breaks += 1;
        } else if ["t", "tab", "br", "cr", "sym", "numPr", "drawing"]
            .iter()
            .any(|name| is(d, name))
        {
            return false;
        }
    }
    breaks > 0
}

fn hidden(rpr: Node) -> bool {
    toggle(rpr, "vanish") || toggle(rpr, "specVanish")
}
