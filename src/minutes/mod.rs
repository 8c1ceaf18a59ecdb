//! Pure parsing and extraction of meeting minutes: text in, data out.
//!
//! Pipeline: [`decode`] bytes → text, [`parse`] text → [`Minutes`] (header and
//! speaker turns, with page-break noise removed in a cleaned view that maps back
//! to the original), [`extract`] → action-item [`Candidate`]s. [`analyse`] runs
//! all three. No database, clock, network or filesystem is touched here.

mod clean;
mod conjugate;
mod cues;
mod decode;
pub mod document;
mod due;
mod extract;
mod header;
mod names;
mod owner;
mod re;
mod sentences;
mod summary;
mod turns;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use decode::{Decoded, Encoding, decode};
pub use due::resolve_due;

/// Errors of [`decode`] and [`analyse`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MinutesError {
    #[error("not text: {0}")]
    NotText(String),
    #[error("could not decode as UTF-8 or Shift_JIS")]
    Undecodable,
}

/// Header facts of one meeting. Fields the document does not state are `None`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct MeetingHeader {
    pub body: Option<String>,
    pub title: Option<String>,
    pub held_on: Option<NaiveDate>,
    /// "HH:MM"
    pub starts_at: Option<String>,
    /// "HH:MM"
    pub ends_at: Option<String>,
    pub place: Option<String>,
    pub secretariat: Option<String>,
    pub agenda: Vec<String>,
    pub attendees: Vec<Attendee>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendee {
    pub title: String,
    pub department: Option<String>,
}

/// One speaker turn or one unlabelled bullet of a 議事要旨.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Turn {
    /// Speaker label with spacing removed (e.g. "本部長", "田中情報政策課長"); `None` for bullets.
    pub speaker: Option<String>,
    /// `[start, end)` in chars of the parsed text, label included.
    pub span: [usize; 2],
    /// Whether the turn is a bullet (・ ○ → …) rather than a labelled speech.
    pub bullet: bool,
    /// Byte range of the body in the cleaned view.
    #[serde(skip)]
    pub(crate) body: std::ops::Range<usize>,
}

/// Parsed minutes: header and turns, with offsets into `text`.
#[derive(Debug, Clone)]
pub struct Minutes {
    pub text: String,
    pub meeting: MeetingHeader,
    pub turns: Vec<Turn>,
    pub(crate) clean: clean::Clean,
    /// Date of the next meeting when the document states it.
    pub next_meeting: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DueKind {
    Date,
    NextMeeting,
    Asap,
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Due {
    pub kind: DueKind,
    pub date: Option<NaiveDate>,
}

impl Due {
    pub const NONE: Due = Due {
        kind: DueKind::None,
        date: None,
    };
    pub fn date(d: NaiveDate) -> Due {
        Due {
            kind: DueKind::Date,
            date: Some(d),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    Request,
    Commitment,
    Report,
}

/// One extracted action item (a draft task for the secretariat to review).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    pub summary: String,
    pub evidence: String,
    /// `[start, end)` in chars of the decoded text.
    pub evidence_span: [usize; 2],
    pub speaker: Option<String>,
    pub owner: Option<String>,
    pub due: Due,
    pub kind: ItemKind,
    pub confidence: f32,
}

/// A configured department with its aliases (e.g. 政策経営部情報管理課, alias 事務局).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Department {
    pub name: String,
    pub aliases: Vec<String>,
}

/// The departments an owner may resolve to. `Directory::default()` is empty.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Directory {
    departments: Vec<Department>,
}

impl Directory {
    /// Builds a directory from `(name, aliases)` pairs.
    pub fn new<I, N, A, S>(pairs: I) -> Self
    where
        I: IntoIterator<Item = (N, A)>,
        N: Into<String>,
        A: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let departments = pairs
            .into_iter()
            .map(|(name, aliases)| Department {
                name: name.into(),
                aliases: aliases.into_iter().map(Into::into).collect(),
            })
            .collect();
        Directory { departments }
    }

    pub fn departments(&self) -> &[Department] {
        &self.departments
    }

    /// The configured department a mention (name, alias, or the tail of a
    /// name such as 情報管理課 for 政策経営部情報管理課) refers to.
    pub fn resolve(&self, mention: &str) -> Option<&str> {
        let m: String = mention.chars().filter(|c| !c.is_whitespace()).collect();
        if m.is_empty() {
            return None;
        }
        let exact = self
            .departments
            .iter()
            .find(|d| d.name == m || d.aliases.contains(&m));
        if let Some(d) = exact {
            return Some(&d.name);
        }
        let m_chars = m.chars().count();
        self.departments
            .iter()
            .find(|d| m_chars >= 2 && (d.name.ends_with(&m) || m.ends_with(&d.name)))
            .map(|d| d.name.as_str())
    }
}

/// Result of [`analyse`]. Serializes to `{"meeting": …, "items": […]}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Analysis {
    #[serde(skip)]
    pub text: String,
    pub meeting: MeetingHeader,
    pub items: Vec<Candidate>,
}

/// Parses decoded text into header and turns.
pub fn parse(text: &str) -> Minutes {
    turns::parse(text)
}

/// Extracts action-item candidates from parsed minutes.
pub fn extract(minutes: &Minutes, directory: &Directory) -> Vec<Candidate> {
    extract::extract(minutes, directory)
}

/// decode + parse + extract.
pub fn analyse(bytes: &[u8], directory: &Directory) -> Result<Analysis, MinutesError> {
    let text = decode(bytes)?;
    let minutes = parse(&text);
    let items = extract(&minutes, directory);
    Ok(Analysis {
        meeting: minutes.meeting,
        items,
        text: minutes.text,
    })
}
