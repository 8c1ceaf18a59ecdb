//! PDF → text: the glyphs of each page, as `pdf-extract` interprets them
//! (fonts, ToUnicode maps, CID fonts), laid out in [`layout`]; pages separated
//! by a form feed.
//!
//! `pdf-extract` trusts its input (it unwraps missing keys, recurses into form
//! XObjects without a depth limit, inflates streams without a size limit), so
//! the document is checked before it is handed over: inflated streams are
//! bounded, page-tree and form nesting is bounded and acyclic, and a panic
//! inside the crate becomes [`DocumentError::DamagedPdf`].

mod guard;
mod layout;

use std::panic::{AssertUnwindSafe, catch_unwind};

use pdf_extract::{MediaBox, OutputDev, OutputError, Transform};

use super::{DocumentError, Limits};
use layout::{Glyph, Page};

/// More glyphs than this on all pages is not minutes.
const MAX_GLYPHS: usize = 20_000_000;

/// The text of a PDF, pages separated by `\f`, and the page count.
pub(super) fn to_text(bytes: &[u8], limits: &Limits) -> Result<(String, usize), DocumentError> {
    guard::check_streams(bytes, limits)?;
    let pages = match catch_unwind(AssertUnwindSafe(|| glyphs(bytes, limits))) {
        Ok(result) => result?,
        Err(panic) => {
            let reason = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unreadable structure".to_owned());
            return Err(DocumentError::DamagedPdf(reason));
        }
    };
    let page_count = pages.len();
    let mut visible = 0usize;
    let mut unmapped = 0usize;
    for c in pages
        .iter()
        .flat_map(|p| &p.glyphs)
        .flat_map(|g| g.text.chars())
        .filter(|c| !c.is_whitespace())
    {
        visible += 1;
        if matches!(c, '\u{FFFD}' | '\u{E000}'..='\u{F8FF}') {
            unmapped += 1;
        }
    }
    if visible == 0 {
        return Err(DocumentError::ScannedPdf { pages: page_count });
    }
    if unmapped * 2 > visible {
        return Err(DocumentError::UnmappedPdfText);
    }
    let mut text = String::new();
    for (i, page) in layout::pages_text(pages).into_iter().enumerate() {
        if i > 0 {
            text.push('\u{c}');
        }
        text.push_str(&page);
        text.push('\n');
    }
    Ok((text, page_count))
}

/// Every page's glyphs, in page order.
fn glyphs(bytes: &[u8], limits: &Limits) -> Result<Vec<Page>, DocumentError> {
    let mut doc = pdf_extract::Document::load_mem(bytes).map_err(load_error)?;
    if doc.is_encrypted() {
        // an empty user password only restricts printing or copying: readable
        doc.decrypt("").map_err(|_| DocumentError::EncryptedPdf)?;
    }
    let pages = doc.get_pages();
    if pages.is_empty() {
        return Err(DocumentError::DamagedPdf("no pages".into()));
    }
    if pages.len() > limits.max_pdf_pages {
        return Err(DocumentError::TooManyPages {
            pages: pages.len(),
            limit: limits.max_pdf_pages,
        });
    }
    guard::check_structure(&doc, &pages)?;
    let mut collector = Collector::default();
    pdf_extract::output_doc(&doc, &mut collector).map_err(|e| match e {
        OutputError::PdfError(e) => load_error(e),
        e => DocumentError::DamagedPdf(e.to_string()),
    })?;
    if collector.overflow {
        return Err(DocumentError::DamagedPdf(format!(
            "more than {MAX_GLYPHS} characters"
        )));
    }
    // a page without content still counts as a page
    collector.pages.resize_with(pages.len(), || Page {
        glyphs: Vec::new(),
        width: 0.0,
    });
    Ok(collector.pages)
}

fn load_error(e: pdf_extract::Error) -> DocumentError {
    match e {
        pdf_extract::Error::Decryption(_) | pdf_extract::Error::UnsupportedSecurityHandler(_) => {
            DocumentError::EncryptedPdf
        }
        e => DocumentError::DamagedPdf(e.to_string()),
    }
}

/// Receives the glyphs `pdf-extract` draws.
#[derive(Default)]
struct Collector {
    pages: Vec<Page>,
    /// Top of the current page (PDF space grows upwards; layout reads downwards).
    top: f64,
    count: usize,
    overflow: bool,
}

impl OutputDev for Collector {
    fn begin_page(
        &mut self,
        _page_num: u32,
        media_box: &MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.pages.push(Page {
            glyphs: Vec::new(),
            width: (media_box.urx - media_box.llx).abs(),
        });
        self.top = media_box.ury;
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        text: &str,
    ) -> Result<(), OutputError> {
        let text: String = text.chars().filter(|c| !c.is_control()).collect();
        if text.is_empty() {
            return Ok(());
        }
        self.count += 1;
        if self.count > MAX_GLYPHS {
            self.overflow = true;
            return Err(OutputError::FormatError(std::fmt::Error));
        }
        // text space → page: the matrix scales the em, and may rotate it
        let scale = (trm.m11 * trm.m22 - trm.m12 * trm.m21).abs().sqrt();
        let size = font_size.abs() * scale;
        let glyph = Glyph {
            x: trm.m31,
            y: self.top - trm.m32,
            advance: width * font_size.abs() * (trm.m11.hypot(trm.m12)),
            size,
            text,
        };
        if let Some(page) = self.pages.last_mut() {
            page.glyphs.push(glyph);
        }
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}

#[cfg(test)]
mod tests;
