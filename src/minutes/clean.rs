//! Cleaned view of the text: page-break noise removed (sentences split by a page
//! header are rejoined), full-width ASCII and the ideographic space folded to
//! ASCII. Every byte of the cleaned text maps back to a char of the original.

use super::re::Re;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::LazyLock;

/// Line patterns (after removing whitespace, leading `#` and width folding) that
/// are page furniture, not content.
static NOISE_LINES: LazyLock<Re> = LazyLock::new(|| {
    let alternatives = [
        // running page headers of PDF minutes
        r"(?:審議経過|議事経過|会議経過|審議内容|発言内容|議事の経過|会議の経過)",
        // page numbers: －３－, - 3 -, 3, 3/10, P.3, 3ページ
        r"[-‐―—–ー−~]+\d{1,4}[-‐―—–ー−~]+",
        r"\d{1,4}",
        r"\d{1,4}/\d{1,4}",
        r"[pP]\.?\d{1,4}",
        r"\d{1,4}(?:ページ|頁)",
        r"(?:page|Page|PAGE)\d{1,4}",
    ];
    Re::new(&format!("^(?:{})$", alternatives.join("|")))
});

/// Characters that end a sentence or a label: a line ending in one of these is
/// not continued across a page break.
const TERMINAL: &[char] = &[
    '。', '.', '!', '?', '」', '』', ')', '】', '〕', ']', ':', '>',
];
const FORM_FEED: char = '\u{c}';

/// Characters that start a new unit (label, bullet, bracket, enumeration).
const UNIT_START: &[char] = &[
    '○', '◯', '◎', '●', '◆', '◇', '■', '□', '・', '･', '→', '⇒', '【', '〔', '[', '(', '「', '※',
];

#[derive(Debug, Clone, Default)]
pub(crate) struct Clean {
    /// The cleaned text.
    pub text: String,
    /// For each byte of `text` (plus one sentinel), the original char index.
    map: Vec<usize>,
    /// Byte offset of each original char (plus one sentinel).
    orig_bytes: Vec<usize>,
}

/// Width folding that keeps one char for one char: full-width ASCII, the
/// ideographic space, half-width katakana.
pub(crate) fn fold_char(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        '\u{FF61}'..='\u{FF9F}' => {
            use unicode_normalization::UnicodeNormalization;
            let mut it = std::iter::once(c).nfkc();
            match (it.next(), it.next()) {
                (Some(n), None) => n,
                _ => c,
            }
        }
        _ => c,
    }
}

/// Folds widths and removes all whitespace (for comparing labels).
pub(crate) fn key(s: &str) -> String {
    s.chars()
        .map(fold_char)
        .filter(|c| !c.is_whitespace())
        .collect()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum LineKind {
    Blank,
    Noise,
    Content,
}

struct Line {
    bytes: Range<usize>,
    /// char index of the first char
    chr: usize,
    kind: LineKind,
}

impl Clean {
    pub fn new(original: &str) -> Clean {
        let mut orig_bytes = Vec::with_capacity(original.len() / 2 + 1);
        orig_bytes.extend(original.char_indices().map(|(b, _)| b));
        orig_bytes.push(original.len());

        // split into lines
        let mut lines = Vec::new();
        let mut line_chr = 0usize;
        let mut start = 0usize;
        for (chr, (b, c)) in original.char_indices().enumerate() {
            if c == '\n' {
                lines.push((start..b, line_chr));
                start = b + 1;
                line_chr = chr + 1;
            }
        }
        lines.push((start..original.len(), line_chr));

        // classify, counting short repeated lines (running headers)
        // (only short lines can be page furniture: long ones are not keyed)
        const SHORT: usize = 150;
        let mut keys: Vec<Option<String>> = Vec::with_capacity(lines.len());
        let mut counts: HashMap<String, usize> = HashMap::new();
        // first line index of each repeated key: a title on the first lines
        // that is repeated as a running header keeps its first occurrence
        let mut first: HashMap<String, usize> = HashMap::new();
        for (li, (r, _)) in lines.iter().enumerate() {
            let raw = &original[r.clone()];
            if raw.len() > SHORT || raw.contains('。') {
                keys.push(None);
                continue;
            }
            let k = key(raw);
            let k = k.trim_start_matches('#').to_string();
            if is_header_like(&k) {
                *counts.entry(k.clone()).or_insert(0) += 1;
                first.entry(k.clone()).or_insert(li);
            }
            keys.push(Some(k));
        }
        let lines: Vec<Line> = lines
            .into_iter()
            .zip(keys.iter())
            .enumerate()
            .map(|(li, ((bytes, chr), k))| {
                let kind = match k {
                    None if original[bytes.clone()].trim().is_empty() => LineKind::Blank,
                    None => LineKind::Content,
                    Some(k) if k.is_empty() => LineKind::Blank,
                    Some(k)
                        if NOISE_LINES.is_match(k)
                            || (counts.get(k).copied().unwrap_or(0) >= 2
                                && !(li < 10 && first.get(k) == Some(&li))) =>
                    {
                        LineKind::Noise
                    }
                    Some(_) => LineKind::Content,
                };
                Line { bytes, chr, kind }
            })
            .collect();

        let mut text = String::with_capacity(original.len());
        let mut map = Vec::with_capacity(original.len() + 1);
        let mut prev: Option<usize> = None; // index of previous content line
        let mut noise_between = false;
        for (i, line) in lines.iter().enumerate() {
            // a form feed is a page break even without page furniture around it
            if original[line.bytes.clone()].contains(FORM_FEED) {
                noise_between = true;
            }
            match line.kind {
                LineKind::Blank => continue,
                LineKind::Noise => {
                    noise_between = true;
                    continue;
                }
                LineKind::Content => {}
            }
            if let Some(p) = prev {
                let pl = &lines[p];
                let nl_chr = pl.chr + original[pl.bytes.clone()].chars().count();
                if noise_between {
                    if !joins(&original[pl.bytes.clone()], &original[line.bytes.clone()]) {
                        push(&mut text, &mut map, '\n', nl_chr);
                    }
                } else {
                    // one newline per original line break between the two lines
                    push(&mut text, &mut map, '\n', nl_chr);
                    for l in &lines[p + 1..i] {
                        let c = l.chr + original[l.bytes.clone()].chars().count();
                        push(&mut text, &mut map, '\n', c);
                    }
                }
            }
            for (ci, c) in (line.chr..).zip(original[line.bytes.clone()].chars()) {
                if c != '\r' && c != FORM_FEED {
                    push(&mut text, &mut map, fold_char(c), ci);
                }
            }
            prev = Some(i);
            noise_between = false;
        }
        let end = orig_bytes.len().saturating_sub(1);
        map.push(end);
        Clean {
            text,
            map,
            orig_bytes,
        }
    }

    /// Original char index of a byte offset of the cleaned text.
    pub fn orig_char(&self, clean_byte: usize) -> usize {
        self.map
            .get(clean_byte)
            .or(self.map.last())
            .copied()
            .unwrap_or(0)
    }

    /// `[start, end)` in original chars of a cleaned byte range.
    pub fn span(&self, r: Range<usize>) -> [usize; 2] {
        let start = self.orig_char(r.start);
        let last = self.text[..r.end.min(self.text.len())]
            .char_indices()
            .next_back()
            .map(|(b, _)| b)
            .unwrap_or(r.start)
            .max(r.start);
        let end = if r.end > r.start {
            self.orig_char(last) + 1
        } else {
            start
        };
        [start, end.max(start)]
    }

    /// The original characters behind a cleaned byte range (noise lines and
    /// dropped line breaks excluded), verbatim.
    pub fn original(&self, original: &str, r: Range<usize>) -> String {
        let mut out = String::new();
        let mut last: Option<usize> = None;
        let Some(slice) = self.text.get(r.clone()) else {
            return out;
        };
        for (b, _) in slice.char_indices() {
            let oc = self.orig_char(r.start + b);
            if last == Some(oc) {
                continue;
            }
            last = Some(oc);
            if let (Some(&s), Some(&e)) = (self.orig_bytes.get(oc), self.orig_bytes.get(oc + 1))
                && let Some(t) = original.get(s..e)
            {
                out.push_str(t);
            }
        }
        out
    }
}

fn push(text: &mut String, map: &mut Vec<usize>, c: char, orig: usize) {
    text.push(c);
    for _ in 0..c.len_utf8() {
        map.push(orig);
    }
}

fn is_header_like(k: &str) -> bool {
    let n = k.chars().count();
    if !(2..=40).contains(&n) {
        return false;
    }
    let first = k.chars().next().unwrap_or(' ');
    let last = k.chars().next_back().unwrap_or(' ');
    if UNIT_START.contains(&first) || first.is_ascii_digit() || first == '-' || first == '—' {
        return false;
    }
    if k.contains(['。', '、', ':', '「', '」', '\t']) {
        return false;
    }
    !matches!(
        last,
        '長' | '員' | '局' | '者' | '君' | '氏' | '様' | '官' | '監' | '課' | '部' | ')' | '】'
    )
}

/// Whether the content line after a page break continues the sentence of the
/// line before it.
fn joins(prev: &str, next: &str) -> bool {
    let p = prev.trim_end();
    let Some(last) = p.chars().next_back().map(fold_char) else {
        return false;
    };
    if TERMINAL.contains(&last) {
        return false;
    }
    let Some(first) = next.trim_start().chars().next().map(fold_char) else {
        return false;
    };
    !(UNIT_START.contains(&first) || first.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejoins_sentence_split_by_page_header() {
        let t = "本部長：報告してもらいたいと\n\n## 審 議 経 過\n\n思います。次\n";
        let c = Clean::new(t);
        assert!(
            c.text.contains("報告してもらいたいと思います。"),
            "{}",
            c.text
        );
        let i = c.text.find("思います").unwrap();
        let e = i + "思います".len();
        assert_eq!(c.original(t, 0..e), "本部長：報告してもらいたいと思います");
        let [s, end] = c.span(0..e);
        assert_eq!(s, 0);
        let chars: Vec<char> = t.chars().collect();
        assert_eq!(chars[end - 1], 'す');
    }

    #[test]
    fn page_numbers_and_width() {
        let t = "事務局：１０月末までに\n－３－\n報告します。\n";
        let c = Clean::new(t);
        assert_eq!(c.text, "事務局:10月末までに報告します。");
        assert_eq!(
            c.original(t, 0..c.text.len()),
            "事務局：１０月末までに報告します。"
        );
    }
}

#[cfg(test)]
mod running_header_tests {
    use super::*;

    #[test]
    fn form_feed_is_a_page_break() {
        let t = "本部長:次回までに\n\u{c}\n報告してください。\n\u{c}事務局:はい。\n";
        let c = Clean::new(t);
        assert_eq!(c.text, "本部長:次回までに報告してください。\n事務局:はい。");
    }

    #[test]
    fn repeated_title_keeps_first_occurrence() {
        let t = "第1回さくら市情報化推進委員会会議録\n\n委員長:次回までに\n第1回さくら市情報化推進委員会会議録\n報告してください。\n";
        let c = Clean::new(t);
        assert!(c.text.starts_with("第1回さくら市情報化推進委員会会議録"));
        assert!(
            c.text.contains("次回までに報告してください。"),
            "{}",
            c.text
        );
    }
}
