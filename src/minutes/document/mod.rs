//! Minutes files as the secretariat has them — Word (.docx), PDF or plain
//! text — turned into the text that [`super::parse`] reads. Pure: bytes in,
//! text out; no filesystem, clock or external program.
//!
//! The kind is told from the content, not the file name: a PDF starts with
//! `%PDF-`, a .docx is a ZIP package with a WordprocessingML main part, and
//! anything else is decoded as text by [`super::decode`]. The file name only
//! sharpens the error when the content is not what the name promises.
//!
//! - .docx: paragraphs in document order, one per line, with Word's automatic
//!   numbering written out (「１　」「（２）」「③」); tables as Markdown pipe rows
//!   (`| 会議名 | … |` with `|---|---|` under the first row); headers, footers,
//!   footnotes, comments, deleted text and floating text boxes left out.
//! - PDF: the text layer in reading order, one visual line per line, lines
//!   wrapped by the layout joined again, pages separated by a form feed
//!   (`\f`) so that [`super::parse`] removes running headers and page numbers.
//!   A PDF without a text layer (a scan) is refused: it needs OCR first.

mod docx;
mod pdf;

use serde::{Deserialize, Serialize};

use super::MinutesError;

/// The kind of file the text came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    PlainText,
    Docx,
    Pdf,
}

impl SourceKind {
    /// The media type to store with the original file.
    pub fn content_type(self) -> &'static str {
        match self {
            SourceKind::PlainText => "text/plain",
            SourceKind::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            SourceKind::Pdf => "application/pdf",
        }
    }

    /// The usual file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            SourceKind::PlainText => "txt",
            SourceKind::Docx => "docx",
            SourceKind::Pdf => "pdf",
        }
    }
}

/// The decoded text of a minutes file: what is stored and what evidence
/// offsets point into.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceText {
    pub text: String,
    pub kind: SourceKind,
    /// Number of pages of a PDF (the text has one form feed fewer).
    pub pages: Option<usize>,
    /// The character encoding a plain-text file was read in (a .docx or PDF
    /// carries its own).
    pub encoding: Option<super::Encoding>,
}

/// Formats that are recognised only to be refused with a helpful message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OtherFormat {
    /// Word 97–2003 (.doc, an OLE compound file).
    LegacyWord,
    Excel,
    PowerPoint,
    OpenDocument,
    /// A ZIP archive that is not an Office document.
    Zip,
}

impl OtherFormat {
    fn japanese(self) -> &'static str {
        match self {
            OtherFormat::LegacyWord => "旧形式のWord文書（.doc）",
            OtherFormat::Excel => "Excelファイル",
            OtherFormat::PowerPoint => "PowerPointファイル",
            OtherFormat::OpenDocument => "OpenDocument形式のファイル（.odt など）",
            OtherFormat::Zip => "ZIPファイル",
        }
    }

    fn english(self) -> &'static str {
        match self {
            OtherFormat::LegacyWord => "a legacy Word document (.doc)",
            OtherFormat::Excel => "an Excel file",
            OtherFormat::PowerPoint => "a PowerPoint file",
            OtherFormat::OpenDocument => "an OpenDocument file (.odt etc.)",
            OtherFormat::Zip => "a ZIP archive",
        }
    }

    fn advice(self) -> (&'static str, &'static str) {
        match self {
            OtherFormat::LegacyWord | OtherFormat::OpenDocument => (
                "Wordで「.docx」形式で保存し直すか、PDFにしてから取り込んでください",
                "save it as .docx or PDF and import that",
            ),
            _ => (
                "会議録のWord文書（.docx）、PDF、テキストのいずれかを取り込んでください",
                "import the minutes as Word (.docx), PDF or text",
            ),
        }
    }
}

impl std::fmt::Display for OtherFormat {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (ja, en) = self.advice();
        write!(
            f,
            "{}は会議録として読み取れません。{ja} / {} cannot be read as minutes: {en}",
            self.japanese(),
            self.english()
        )
    }
}

/// Why a file could not be turned into minutes text. The messages are shown
/// to the secretariat as they are: Japanese first, then English.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocumentError {
    /// Plain text that is not readable text.
    #[error(transparent)]
    Text(#[from] MinutesError),
    #[error("{0}")]
    Unsupported(OtherFormat),
    #[error(
        "Word文書（.docx）が壊れているため読み取れません（{0}）。Wordで開いて保存し直してから取り込んでください / the Word document (.docx) is damaged ({0}): open it in Word, save it again and import that"
    )]
    DamagedDocx(String),
    #[error(
        "文書の「{part}」が大きすぎるため読み取れません（展開後の上限 {} MiB） / the part {part} of the document is too large (limit {} MiB once decompressed)",
        limit_bytes / (1024 * 1024),
        limit_bytes / (1024 * 1024)
    )]
    TooLarge { part: String, limit_bytes: u64 },
    #[error(
        "ページ数が多すぎるため読み取れません（{pages} ページ、上限 {limit} ページ） / the document has too many pages ({pages}, limit {limit})"
    )]
    TooManyPages { pages: usize, limit: usize },
    #[error(
        "PDFが壊れているため読み取れません（{0}） / the PDF is damaged and cannot be read ({0})"
    )]
    DamagedPdf(String),
    #[error(
        "このPDFはパスワードで保護（暗号化）されているため読み取れません。保護を解除したPDFを取り込んでください / the PDF is password-protected (encrypted): remove the protection and import it again"
    )]
    EncryptedPdf,
    #[error(
        "このPDFには文字の情報がありません（画像だけの {pages} ページ。スキャンした文書と思われます）。OCR（文字認識）にかけたPDFか、Word・テキスト版を取り込んでください / the PDF has no text layer ({pages} pages of images only, probably scanned): run OCR on it first, or import the Word or text version"
    )]
    ScannedPdf { pages: usize },
    #[error(
        "このPDFの文字は、文字コードの対応表がないフォントで書かれているため読み取れません。OCR（文字認識）にかけたPDFか、Word・テキスト版を取り込んでください / the PDF's text uses fonts without a Unicode mapping and cannot be read: run OCR on it, or import the Word or text version"
    )]
    UnmappedPdfText,
    #[error("文書に本文がありません / the document contains no text")]
    Empty,
}

/// Bounds on the work one document may cause, against ZIP bombs, huge XML
/// and PDF streams that inflate without end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Largest size of one .docx part (XML) once decompressed.
    pub max_part_bytes: u64,
    /// Most XML nodes in one .docx part.
    pub max_xml_nodes: u32,
    /// Most pages read from a PDF.
    pub max_pdf_pages: usize,
    /// Largest size of one PDF content stream once decompressed.
    pub max_pdf_stream_bytes: u64,
}

impl Default for Limits {
    /// Generous for minutes: a 300-page Word document is about 10 MB of XML.
    fn default() -> Self {
        Limits {
            max_part_bytes: 64 * 1024 * 1024,
            max_xml_nodes: 8_000_000,
            max_pdf_pages: 2_000,
            max_pdf_stream_bytes: 64 * 1024 * 1024,
        }
    }
}

/// What the leading bytes say a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Magic {
    Pdf,
    Zip,
    OleCompound,
    Other,
}

fn magic(bytes: &[u8]) -> Magic {
    // readers accept `%PDF-` anywhere in the first kilobyte, after junk
    let head = &bytes[..bytes.len().min(1024)];
    if head.windows(5).any(|w| w == b"%PDF-") {
        Magic::Pdf
    } else if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        Magic::Zip
    } else if bytes.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        Magic::OleCompound
    } else {
        Magic::Other
    }
}

/// The kind of a minutes file, from its content (see [`to_text`]).
pub fn detect(bytes: &[u8]) -> Option<SourceKind> {
    match magic(bytes) {
        Magic::Pdf => Some(SourceKind::Pdf),
        Magic::Zip => docx::classify(bytes).ok().map(|()| SourceKind::Docx),
        Magic::OleCompound => None,
        Magic::Other => Some(SourceKind::PlainText),
    }
}

/// Turns a minutes file into text with the default [`Limits`]: the one call
/// an importer needs, whatever the file is.
pub fn to_text(bytes: &[u8], file_name: Option<&str>) -> Result<SourceText, DocumentError> {
    to_text_with(bytes, file_name, &Limits::default())
}

/// [`to_text`] with explicit limits.
pub fn to_text_with(
    bytes: &[u8],
    file_name: Option<&str>,
    limits: &Limits,
) -> Result<SourceText, DocumentError> {
    let extension = file_name
        .and_then(|n| n.rsplit_once('.'))
        .map(|(_, e)| e.to_ascii_lowercase());
    match (magic(bytes), extension.as_deref()) {
        (Magic::Pdf, _) => {
            let (text, pages) = pdf::to_text(bytes, limits)?;
            Ok(SourceText {
                text,
                kind: SourceKind::Pdf,
                pages: Some(pages),
                encoding: None,
            })
        }
        (Magic::Zip, _) => {
            docx::classify(bytes)?;
            let text = docx::to_text(bytes, limits)?;
            if text.chars().all(char::is_whitespace) {
                return Err(DocumentError::Empty);
            }
            Ok(SourceText {
                text,
                kind: SourceKind::Docx,
                pages: None,
                encoding: None,
            })
        }
        (Magic::OleCompound, _) => Err(DocumentError::Unsupported(OtherFormat::LegacyWord)),
        (Magic::Other, Some("pdf")) => Err(DocumentError::DamagedPdf("no %PDF- header".into())),
        (Magic::Other, Some("docx")) => Err(DocumentError::DamagedDocx("not a ZIP package".into())),
        (Magic::Other, _) => {
            let decoded = super::decode(bytes)?;
            Ok(SourceText {
                text: decoded.text,
                kind: SourceKind::PlainText,
                pages: None,
                encoding: Some(decoded.encoding),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_goes_through_decode() {
        let t = to_text("会議録\r\n本文".as_bytes(), Some("a.txt")).unwrap();
        assert_eq!(t.kind, SourceKind::PlainText);
        assert_eq!(t.text, "会議録\n本文");
        assert_eq!(
            to_text(b"\0\0\0", None),
            Err(DocumentError::Text(MinutesError::NotText(
                "contains NUL bytes".into()
            )))
        );
    }

    #[test]
    fn a_name_that_promises_more_than_the_content_gets_its_own_error() {
        assert!(matches!(
            to_text("本文".as_bytes(), Some("議事録.PDF")),
            Err(DocumentError::DamagedPdf(_))
        ));
        assert!(matches!(
            to_text("本文".as_bytes(), Some("議事録.docx")),
            Err(DocumentError::DamagedDocx(_))
        ));
    }

    #[test]
    fn legacy_word_is_refused_with_advice() {
        let mut doc = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
        doc.extend([0u8; 512]);
        let e = to_text(&doc, Some("議事録.doc")).unwrap_err();
        assert_eq!(e, DocumentError::Unsupported(OtherFormat::LegacyWord));
        assert!(e.to_string().contains(".docx"), "{e}");
        assert_eq!(detect(&doc), None);
    }
}
