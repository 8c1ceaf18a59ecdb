//! Spreadsheet cells that cannot run: Excel and LibreOffice treat a cell that
//! starts with `=`, `+`, `-` or `@` (or a tab or carriage return before one) as a
//! formula, so a summary such as `=HYPERLINK(…)` typed into a task would run on
//! the clerk's machine when the export is opened. Every export writes its text
//! cells through [`neutralise`] (OWASP's rule: prefix a single quote).
use std::borrow::Cow;

/// `text` as a cell that a spreadsheet shows as text, never evaluates.
pub fn neutralise(text: &str) -> Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_are_prefixed_with_a_quote() {
        for hostile in [
            "=HYPERLINK(\"http://x\",\"y\")",
            "+1+1",
            "-2+3",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
        ] {
            assert_eq!(neutralise(hostile), format!("'{hostile}"));
        }
    }

    #[test]
    fn ordinary_text_is_left_alone() {
        for text in ["区民部", "2026-12-14", "a=b", " =1", "", "'quoted"] {
            assert!(matches!(neutralise(text), Cow::Borrowed(t) if t == text));
        }
    }
}
