//! Positioned glyphs of one page → lines of text in reading order.
//!
//! A PDF has no lines or paragraphs, only glyphs placed on the page. Glyphs on
//! one baseline form a line, read left to right; lines are read top to bottom.
//! Spaces are mostly not drawn but left as gaps, so gaps become spaces again:
//! about one em between Japanese characters is an ideographic space 「　」, a
//! narrower one an ASCII space, a very wide one (table columns) a tab. The
//! narrow gap a layout puts between Japanese and Latin text (「令和 6 年」) is
//! not a space. A line that runs to the right margin and is followed by a line
//! at the left margin was wrapped by the layout, and is joined to it again,
//! unless the next line opens a new speech or item (【区長】, ○, ・, （１）…)
//! or the line ended a sentence.

/// One glyph as drawn: origin on the baseline, advance and em size in points,
/// `y` growing downwards.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Glyph {
    pub x: f64,
    pub y: f64,
    pub advance: f64,
    pub size: f64,
    pub text: String,
}

impl Glyph {
    fn end(&self) -> f64 {
        self.x + self.advance
    }
}

/// Characters that open a new speech, item or note: a line starting with one
/// is never the continuation of the line before.
const OPENERS: &[char] = &[
    '○', '◯', '◎', '●', '◆', '◇', '■', '□', '・', '･', '→', '⇒', '【', '〔', '［', '[', '（', '(',
    '「', '『', '※', '▲', '△', '▼', '▽', '〇', '①', '②', '③', '④', '⑤', '⑥', '⑦', '⑧', '⑨', '⑩',
];

/// Characters that end a sentence: a line ending in one is left as it is.
const CLOSERS: &[char] = &[
    '。', '．', '.', '！', '!', '？', '?', '」', '』', '）', ')', '】', '〕', '：', ':',
];

struct Line {
    glyphs: Vec<Glyph>,
    y: f64,
    size: f64,
}

impl Line {
    fn start(&self) -> f64 {
        self.glyphs.first().map_or(0.0, |g| g.x)
    }

    fn end(&self) -> f64 {
        self.glyphs.iter().map(Glyph::end).fold(f64::MIN, f64::max)
    }

    /// Where the line ends within the text area: 「。」 and 「、」 may hang in the
    /// right margin (burasage), so they do not count.
    fn margin_end(&self) -> f64 {
        match self.glyphs.last() {
            Some(g) if matches!(g.text.as_str(), "。" | "、" | "，" | "．") => g.x,
            _ => self.end(),
        }
    }

    fn text(&self) -> String {
        let mut out = String::new();
        let mut prev: Option<&Glyph> = None;
        for g in &self.glyphs {
            if let Some(p) = prev {
                out.push_str(&gap_text(p, g));
            }
            out.push_str(&g.text);
            prev = Some(g);
        }
        out
    }
}

/// Whether a character is set full width (CJK, kana, full-width forms).
fn wide(c: char) -> bool {
    matches!(c,
        '\u{1100}'..='\u{11FF}'
        | '\u{2E80}'..='\u{303E}'
        | '\u{3041}'..='\u{33FF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{A960}'..='\u{A97F}'
        | '\u{AC00}'..='\u{D7FF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FE30}'..='\u{FE4F}'
        | '\u{FF00}'..='\u{FF60}'
        | '\u{FFE0}'..='\u{FFE6}'
        | '\u{20000}'..='\u{3FFFD}')
        || ('\u{2460}'..='\u{24FF}').contains(&c)
        || ('\u{25A0}'..='\u{27BF}').contains(&c)
}

/// The text for the gap between two glyphs of a line.
fn gap_text(prev: &Glyph, next: &Glyph) -> String {
    let em = prev.size.max(next.size).max(1.0);
    let gap = (next.x - prev.end()) / em;
    let (Some(a), Some(b)) = (prev.text.chars().next_back(), next.text.chars().next()) else {
        return String::new();
    };
    if a.is_whitespace() || b.is_whitespace() {
        return String::new();
    }
    if gap >= 3.0 {
        return "\t".into();
    }
    let (wide_a, wide_b) = (wide(a), wide(b));
    if gap >= 0.75 && (wide_a || wide_b) {
        return "\u{3000}".repeat(gap.round().max(1.0) as usize);
    }
    // between Japanese and Latin text a layout adds about a fifth of an em of
    // its own; justified Japanese lines spread their characters a little
    let threshold = match (wide_a, wide_b) {
        (false, false) => 0.15,
        (true, true) => 0.2,
        _ => 0.45,
    };
    if gap >= threshold {
        " ".into()
    } else {
        String::new()
    }
}

/// The glyphs of one page and the page's width.
pub(super) struct Page {
    pub glyphs: Vec<Glyph>,
    pub width: f64,
}

/// The text block's edges, the same on every page of a document: taken over
/// the whole document, so that a last page of two lines has them too.
struct Frame {
    left: f64,
    right: f64,
}

/// Each page's lines, top to bottom, with wrapped lines joined again.
pub(super) fn pages_text(pages: Vec<Page>) -> Vec<String> {
    let laid: Vec<(Vec<Line>, f64)> = pages
        .into_iter()
        .map(|p| (lines(p.glyphs), p.width))
        .collect();
    let all = || laid.iter().flat_map(|(lines, _)| lines);
    let frame = Frame {
        left: all().map(Line::start).fold(f64::MAX, f64::min),
        right: all().map(Line::margin_end).fold(f64::MIN, f64::max),
    };
    laid.iter()
        .map(|(lines, width)| page_text(lines, &frame, *width))
        .collect()
}

fn page_text(lines: &[Line], frame: &Frame, page_width: f64) -> String {
    let pitch = typical_pitch(lines);
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        let text = line.text();
        out.push_str(&text);
        let Some(next) = lines.get(i + 1) else {
            break;
        };
        let step = next.y - line.y;
        // a line the layout wrapped spans the text block, most of the page
        let wrapped = frame.right - line.end() <= 2.0 * line.size
            && line.end() - frame.left >= 0.6 * page_width
            && next.start() - frame.left <= 0.5 * next.size
            && (next.size - line.size).abs() <= 0.1 * line.size
            && step <= 1.8 * line.size
            && !text.trim_end().ends_with(CLOSERS)
            && !next.text().starts_with(OPENERS);
        if wrapped {
            let last = text.chars().next_back().unwrap_or(' ');
            let first = next.glyphs.first().and_then(|g| g.text.chars().next());
            if last.is_ascii_alphanumeric() && first.is_some_and(|c| c.is_ascii_alphanumeric()) {
                out.push(' ');
            }
            continue;
        }
        out.push('\n');
        if pitch.is_some_and(|p| step > 1.6 * p) {
            // a paragraph gap: an empty line in the source
            out.push('\n');
        }
    }
    out
}

/// Groups glyphs by baseline, each group read left to right, groups top to bottom.
fn lines(mut glyphs: Vec<Glyph>) -> Vec<Line> {
    glyphs.retain(|g| g.x.is_finite() && g.y.is_finite() && g.size.is_finite() && g.size > 0.0);
    glyphs.sort_by(|a, b| a.y.total_cmp(&b.y));
    let mut lines: Vec<Line> = Vec::new();
    for g in glyphs {
        match lines.last_mut() {
            Some(line) if (g.y - line.y).abs() <= 0.35 * line.size.min(g.size) => {
                line.size = line.size.max(g.size);
                line.glyphs.push(g);
            }
            _ => lines.push(Line {
                y: g.y,
                size: g.size,
                glyphs: vec![g],
            }),
        }
    }
    for line in &mut lines {
        line.glyphs.sort_by(|a, b| a.x.total_cmp(&b.x));
        // text drawn twice, slightly offset, to look bold
        line.glyphs
            .dedup_by(|b, a| b.text == a.text && (b.x - a.x).abs() < 0.3 * a.size);
    }
    lines.retain(|l| l.glyphs.iter().any(|g| !g.text.trim().is_empty()));
    lines
}

/// The usual distance between consecutive baselines on the page.
fn typical_pitch(lines: &[Line]) -> Option<f64> {
    let mut steps: Vec<f64> = lines.windows(2).map(|w| w[1].y - w[0].y).collect();
    if steps.len() < 3 {
        return None;
    }
    steps.sort_by(f64::total_cmp);
    Some(steps[steps.len() / 2])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lays out `text` from `x` on baseline `y` at 10pt, full-width characters
    /// one em wide, others half; a `_` is a gap of half an em drawn as nothing.
    fn set(text: &str, x: f64, y: f64) -> Vec<Glyph> {
        let mut x = x;
        let mut out = Vec::new();
        for c in text.chars() {
            let advance = if wide(c) || c == '　' { 10.0 } else { 5.0 };
            if c == '_' {
                x += 5.0;
                continue;
            }
            if c != '　' {
                out.push(Glyph {
                    x,
                    y,
                    advance,
                    size: 10.0,
                    text: c.to_string(),
                });
            }
            x += advance;
        }
        out
    }

    /// A page a little wider than the test lines (up to 28 em of 10pt).
    fn page_text(glyphs: Vec<Glyph>) -> String {
        pages_text(vec![Page {
            glyphs,
            width: 300.0,
        }])
        .remove(0)
    }

    #[test]
    fn gaps_become_spaces_of_the_right_width() {
        let glyphs = set("開催日時　令和７年１１月１８日（火）", 0.0, 100.0);
        assert_eq!(page_text(glyphs), "開催日時　令和７年１１月１８日（火）");
        let glyphs = set("出席者　　区長、副区長", 0.0, 100.0);
        assert_eq!(page_text(glyphs), "出席者　　区長、副区長");
        // the quarter-em autospace around Latin text is no space, a real one is
        let mut glyphs = set("令和", 0.0, 100.0);
        glyphs.extend(set("6", 22.5, 100.0));
        glyphs.extend(set("年度_第", 30.0, 100.0));
        assert_eq!(page_text(glyphs), "令和6年度 第");
        // a justified line spreads its characters by a tenth of an em: no spaces
        let spread: Vec<Glyph> = set("報告してください", 0.0, 100.0)
            .into_iter()
            .enumerate()
            .map(|(i, g)| Glyph {
                x: g.x + i as f64,
                ..g
            })
            .collect();
        assert_eq!(page_text(spread), "報告してください");
        let glyphs = set("DX_Plan", 0.0, 100.0);
        assert_eq!(page_text(glyphs), "DX Plan");
        let mut glyphs = set("会議名", 0.0, 100.0);
        glyphs.extend(set("第1回", 80.0, 100.0));
        assert_eq!(page_text(glyphs), "会議名\t第1回");
    }

    #[test]
    fn lines_in_reading_order_whatever_the_drawing_order() {
        let mut glyphs = set("二行目", 0.0, 120.0);
        glyphs.extend(set("一行目", 0.0, 100.0));
        glyphs.reverse();
        assert_eq!(page_text(glyphs), "一行目\n二行目");
    }

    #[test]
    fn wrapped_lines_are_joined_new_speeches_are_not() {
        let mut glyphs = set("【区長】　予約件数の推移を施設ごとに整理", 0.0, 100.0);
        glyphs.extend(set("して、来月中に報告してください。", 0.0, 115.0));
        glyphs.extend(set("【区民部長】　承知しました。来月中に取り", 0.0, 130.0));
        glyphs.extend(set("まとめます。", 0.0, 145.0));
        glyphs.extend(set("〔閉会〕", 0.0, 160.0));
        assert_eq!(
            page_text(glyphs),
            "【区長】　予約件数の推移を施設ごとに整理して、来月中に報告してください。\n\
             【区民部長】　承知しました。来月中に取りまとめます。\n\
             〔閉会〕"
        );
    }

    #[test]
    fn punctuation_hanging_in_the_margin_does_not_move_it() {
        let mut glyphs = set(
            "委員から、担い手不足について調査してほしいとの意見が",
            0.0,
            100.0,
        );
        glyphs.extend(set("あった。", 0.0, 115.0));
        // the margin is at 27 em: this line's 「。」 hangs past it
        glyphs.extend(set(
            "・窓口周知が不十分で、掲載を検討すべきとの意見があった。",
            0.0,
            130.0,
        ));
        assert_eq!(
            page_text(glyphs),
            "委員から、担い手不足について調査してほしいとの意見があった。\n\
             ・窓口周知が不十分で、掲載を検討すべきとの意見があった。"
        );
    }

    #[test]
    fn a_full_line_ending_a_sentence_or_before_an_indent_stays_a_line() {
        let mut glyphs = set("承知しました。", 0.0, 100.0);
        glyphs.extend(set("次の議題に移ります", 0.0, 115.0));
        glyphs.extend(set("ん", 90.0, 115.0));
        glyphs.extend(set("字下げした段落です。", 10.0, 130.0));
        assert_eq!(
            page_text(glyphs),
            "承知しました。\n次の議題に移りますん\n字下げした段落です。"
        );
    }

    #[test]
    fn the_margin_of_a_short_last_page_is_that_of_the_others() {
        let full = set("【区長】　予約件数の推移を施設ごとに整理", 0.0, 100.0);
        let mut last = set("【区長】　以上で本日の会議を終わり", 0.0, 100.0);
        last.extend(set("ます。", 0.0, 115.0));
        let pages = pages_text(vec![
            Page {
                glyphs: full,
                width: 280.0,
            },
            Page {
                glyphs: last,
                width: 280.0,
            },
        ]);
        // the last page's first line is short of the margin: it was not wrapped
        assert_eq!(pages[1], "【区長】　以上で本日の会議を終わり\nます。");
        // and a line across a small part of a wide page is no wrapped line either
        let mut glyphs = set("Minutes of the meeting", 0.0, 100.0);
        glyphs.extend(set("Next line", 0.0, 115.0));
        assert_eq!(page_text(glyphs), "Minutes of the meeting\nNext line");
    }

    #[test]
    fn a_wide_vertical_gap_is_an_empty_line() {
        let mut glyphs = Vec::new();
        for (i, y) in [100.0, 115.0, 130.0, 160.0, 175.0].into_iter().enumerate() {
            glyphs.extend(set(&format!("行{i}。"), 0.0, y));
        }
        assert_eq!(page_text(glyphs), "行0。\n行1。\n行2。\n\n行3。\n行4。");
    }

    #[test]
    fn fake_bold_is_read_once() {
        let mut glyphs = set("議事録", 0.0, 100.0);
        glyphs.extend(set("議事録", 0.4, 100.2));
        assert_eq!(page_text(glyphs), "議事録");
    }
}
