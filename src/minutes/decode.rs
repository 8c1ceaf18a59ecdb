//! Bytes → text: UTF-8 (with or without BOM), UTF-16 with BOM, Shift_JIS/CP932.

use super::MinutesError;
use encoding_rs::{SHIFT_JIS, UTF_16BE, UTF_16LE};

/// The encoding a file was read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    ShiftJis,
}

impl Encoding {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Utf8 => "UTF-8",
            Self::Utf8Bom => "UTF-8 BOM",
            Self::Utf16Le => "UTF-16LE",
            Self::Utf16Be => "UTF-16BE",
            Self::ShiftJis => "Shift_JIS",
        }
    }
}

/// Decoded text and the encoding it was read as; reads as the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub encoding: Encoding,
}

impl std::ops::Deref for Decoded {
    type Target = str;

    fn deref(&self) -> &str {
        &self.text
    }
}

/// Decodes a minutes file. Strips a BOM and turns CRLF / CR into LF.
/// Empty input, binary data and undecodable bytes are errors.
pub fn decode(bytes: &[u8]) -> Result<Decoded, MinutesError> {
    if bytes.is_empty() {
        return Err(MinutesError::NotText("the input is empty".into()));
    }
    let (text, encoding) = if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        let text = std::str::from_utf8(rest).map_err(|_| MinutesError::Undecodable)?;
        (text.to_owned(), Encoding::Utf8Bom)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        (decode_strict(UTF_16LE, rest)?, Encoding::Utf16Le)
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        (decode_strict(UTF_16BE, rest)?, Encoding::Utf16Be)
    } else if let Ok(s) = std::str::from_utf8(bytes) {
        (s.to_owned(), Encoding::Utf8)
    } else {
        (decode_strict(SHIFT_JIS, bytes)?, Encoding::ShiftJis)
    };
    let text = normalize_newlines(&text);
    check_text(&text)?;
    Ok(Decoded { text, encoding })
}

fn decode_strict(
    enc: &'static encoding_rs::Encoding,
    bytes: &[u8],
) -> Result<String, MinutesError> {
    enc.decode_without_bom_handling_and_without_replacement(bytes)
        .map(|c| c.into_owned())
        .ok_or(MinutesError::Undecodable)
}

fn normalize_newlines(s: &str) -> String {
    if !s.contains('\r') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' {
            if chars.peek() == Some(&'\n') {
                chars.next();
            }
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    out
}

/// Rejects text that is empty or looks like binary data: NUL bytes, many control
/// characters, or (typical of random bytes read as Shift_JIS) mostly half-width
/// katakana and private-use characters.
fn check_text(text: &str) -> Result<(), MinutesError> {
    let mut total = 0usize;
    let mut control = 0usize;
    let mut odd = 0usize;
    let mut visible = 0usize;
    for c in text.chars() {
        total += 1;
        match c {
            '\0' => return Err(MinutesError::NotText("contains NUL bytes".into())),
            '\n' | '\t' | '\u{c}' => {}
            c if c.is_control() => control += 1,
            '\u{FF61}'..='\u{FF9F}' | '\u{E000}'..='\u{F8FF}' | '\u{FFFD}' => odd += 1,
            c if !c.is_whitespace() => visible += 1,
            _ => {}
        }
    }
    if visible + odd == 0 {
        return Err(MinutesError::NotText("no visible characters".into()));
    }
    if control * 20 > total {
        return Err(MinutesError::NotText("too many control characters".into()));
    }
    if odd * 3 > visible + odd && odd > 2 {
        return Err(MinutesError::NotText(
            "mostly half-width katakana or private-use characters (binary data?)".into(),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_bom_crlf() {
        let s = decode("\u{FEFF}本部長：はい。\r\n次\r".as_bytes()).unwrap();
        assert_eq!(s.text, "本部長：はい。\n次\n");
        assert_eq!(s.encoding, Encoding::Utf8Bom);
    }

    #[test]
    fn shift_jis() {
        let (bytes, _, _) = SHIFT_JIS.encode("事務局：検討します。\r\n");
        let s = decode(&bytes).unwrap();
        assert_eq!(
            (s.text.as_str(), s.encoding),
            ("事務局：検討します。\n", Encoding::ShiftJis)
        );
    }

    #[test]
    fn utf16_with_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend("本部長：はい。".encode_utf16().flat_map(u16::to_le_bytes));
        let s = decode(&bytes).unwrap();
        assert_eq!(
            (s.text.as_str(), s.encoding),
            ("本部長：はい。", Encoding::Utf16Le)
        );
    }

    #[test]
    fn garbage() {
        assert!(decode(b"").is_err());
        assert!(decode(b"\x00\x01\x02\x03").is_err());
        assert!(decode(&[0x82, 0xff, 0xff, 0x80]).is_err());
        assert!(decode(b"   \n").is_err());
    }
}
