//! Sentence splitting inside a turn body (cleaned text, byte ranges).

use std::ops::Range;

const ENDS: &[char] = &['。', '!', '?', '！', '？'];
const CLOSERS: &[char] = &['」', '』', ')', '）', '】'];

/// Splits `text[range]` into trimmed sentence ranges. A sentence ends at 。！？
/// (with any closing brackets), at a blank line, or at a line break that
/// follows a sentence end or a full stop.
pub(crate) fn split(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let Some(body) = text.get(range.clone()) else {
        return out;
    };
    let base = range.start;
    let mut start = 0usize;
    let mut it = body.char_indices().peekable();
    let mut depth = 0usize;
    while let Some((b, c)) = it.next() {
        let mut cut: Option<usize> = None;
        match c {
            '「' | '『' => depth += 1,
            '」' | '』' => depth = depth.saturating_sub(1),
            '\n' if body[b + 1..]
                .split('\n')
                .next()
                .unwrap_or("")
                .trim()
                .is_empty() =>
            {
                depth = 0;
            }
            _ => {}
        }
        if ENDS.contains(&c) && depth == 0 {
            let mut end = b + c.len_utf8();
            while let Some(&(nb, nc)) = it.peek() {
                if CLOSERS.contains(&nc) || ENDS.contains(&nc) {
                    end = nb + nc.len_utf8();
                    it.next();
                } else {
                    break;
                }
            }
            cut = Some(end);
        } else if c == '\n' {
            // a paragraph break (blank line) or a line that does not continue
            let rest = &body[b + 1..];
            let next_line = rest.split('\n').next().unwrap_or("");
            if next_line.trim().is_empty() || body[start..b].trim().is_empty() {
                cut = Some(b);
            }
        }
        if let Some(end) = cut {
            push(body, base, start, end, &mut out);
            start = end;
        }
    }
    push(body, base, start, body.len(), &mut out);
    out
}

fn push(body: &str, base: usize, start: usize, end: usize, out: &mut Vec<Range<usize>>) {
    let Some(s) = body.get(start..end) else {
        return;
    };
    let lead = s.len() - s.trim_start().len();
    let t = s.trim();
    if t.is_empty() {
        return;
    }
    let a = base + start + lead;
    out.push(a..a + t.len());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits() {
        let t = "はい。今です。\n続き\nの文。\n\n段落「引用。」です。最後";
        let r = split(t, 0..t.len());
        let v: Vec<&str> = r.iter().map(|r| &t[r.clone()]).collect();
        assert_eq!(
            v,
            vec![
                "はい。",
                "今です。",
                "続き\nの文。",
                "段落「引用。」です。",
                "最後"
            ]
        );
    }
}
