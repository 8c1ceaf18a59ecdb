//! Splits the minutes text into plain and highlighted runs, for showing each
//! task's evidence in place.
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Segment {
    pub text: String,
    /// The task whose evidence this run is, if any.
    pub task: Option<i32>,
    /// Which of that task's spans (its evidence position), for anchors.
    pub n: usize,
}

/// A span `[start, end)` in characters of the text, belonging to a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub task: i32,
    pub n: usize,
    pub start: usize,
    pub end: usize,
}

/// Runs covering the whole text in order. Spans out of range are clipped; where
/// spans overlap, the one that starts first keeps the overlap.
pub fn segments(text: &str, spans: &[Span]) -> Vec<Segment> {
    let chars: Vec<char> = text.chars().collect();
    let mut spans: Vec<Span> = spans
        .iter()
        .map(|s| Span {
            start: s.start.min(chars.len()),
            end: s.end.min(chars.len()),
            ..*s
        })
        .filter(|s| s.start < s.end)
        .collect();
    spans.sort_by_key(|s| (s.start, s.end));
    let mut out = Vec::new();
    let mut at = 0;
    for span in spans {
        let start = span.start.max(at);
        if start >= span.end {
            continue;
        }
        if start > at {
            out.push(Segment {
                text: chars[at..start].iter().collect(),
                task: None,
                n: 0,
            });
        }
        out.push(Segment {
            text: chars[start..span.end].iter().collect(),
            task: Some(span.task),
            n: span.n,
        });
        at = span.end;
    }
    if at < chars.len() {
        out.push(Segment {
            text: chars[at..].iter().collect(),
            task: None,
            n: 0,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn joined(segments: &[Segment]) -> String {
        segments.iter().map(|s| s.text.as_str()).collect()
    }

    #[test]
    fn marks_spans_in_characters() {
        let text = "本部長：調整をお願いします。部員：はい。";
        let out = segments(
            text,
            &[Span {
                task: 7,
                n: 0,
                start: 4,
                end: 14,
            }],
        );
        assert_eq!(joined(&out), text);
        assert_eq!(out[1].text, "調整をお願いします。");
        assert_eq!(out[1].task, Some(7));
        assert_eq!(out[0].task, None);
    }

    #[test]
    fn overlapping_and_out_of_range_spans_keep_the_text_whole() {
        let text = "あいうえおかきくけこ";
        let out = segments(
            text,
            &[
                Span {
                    task: 1,
                    n: 0,
                    start: 2,
                    end: 6,
                },
                Span {
                    task: 2,
                    n: 0,
                    start: 4,
                    end: 8,
                },
                Span {
                    task: 3,
                    n: 1,
                    start: 9,
                    end: 99,
                },
                Span {
                    task: 4,
                    n: 0,
                    start: 50,
                    end: 60,
                },
            ],
        );
        assert_eq!(joined(&out), text);
        let marked: Vec<(Option<i32>, &str)> =
            out.iter().map(|s| (s.task, s.text.as_str())).collect();
        assert_eq!(
            marked,
            vec![
                (None, "あい"),
                (Some(1), "うえおか"),
                (Some(2), "きく"),
                (None, "け"),
                (Some(3), "こ"),
            ]
        );
    }
}
