//! Importing a minutes file — plain text, Word (.docx) or PDF: convert and extract
//! (pure, on a blocking thread), then store the body, the meeting, the decoded
//! text, the original file and one draft task per extracted item, in one
//! transaction. The same file (same SHA-256) is stored once.
//!
//! One file's work is bounded: by its size (`server.max_upload_bytes`, for every
//! front end) and by the number of drafts it yields (`import.max_drafts`); a file
//! over either bound is refused before anything is written.
use bytes::Bytes;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    QueryFilter, Set, TransactionTrait,
};
use sha2::{Digest, Sha256};

use crate::{
    clock::Moment,
    config::Settings,
    departments::Departments,
    domain::{DueKind, TaskKind},
    entities::{minutes, minutes_file},
    meetings::{self, HeldMeeting, MeetingError},
    minutes::{
        self as extractor, Analysis, Candidate, Directory, Encoding,
        document::{self, DocumentError, SourceKind, SourceText},
    },
    tasks::{self, Actor, NewDraft, NewEvidence, TaskError},
};

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{0}")]
    Unreadable(#[from] DocumentError),
    #[error(
        "ファイルが大きすぎるため取り込めません（{size} バイト、上限 {limit} バイト: server.max_upload_bytes） / the file is too large to import ({size} bytes; the limit is {limit} bytes, server.max_upload_bytes)"
    )]
    TooLarge { size: u64, limit: usize },
    #[error(
        "宿題の候補が {found} 件見つかり、1ファイルの上限 {limit} 件（import.max_drafts）を超えるため、何も取り込みませんでした。会議録を分けて取り込んでください / the file yields {found} drafts, more than the limit of {limit} per file (import.max_drafts): nothing was imported; split the minutes and import the parts"
    )]
    TooManyDrafts { found: usize, limit: usize },
    #[error("the minutes do not say which body met (会議体の名称)")]
    NoBody,
    #[error("the minutes do not give the meeting date (開催日時)")]
    NoDate,
    #[error("the minutes could not be stored: {0}")]
    Meeting(#[from] MeetingError),
    #[error("the drafts could not be stored: {0}")]
    Task(#[from] TaskError),
    /// The conversion thread failed (it panicked or the runtime shut down).
    #[error("the conversion of the file failed: {0}")]
    Conversion(String),
    #[error(transparent)]
    Db(#[from] DbErr),
}

impl ImportError {
    /// A failure of the service rather than of the file: log it, show a generic message.
    pub fn is_internal(&self) -> bool {
        matches!(
            self,
            Self::Db(_)
                | Self::Conversion(_)
                | Self::Meeting(MeetingError::Db(_))
                | Self::Task(TaskError::Db(_))
        )
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportOutcome {
    Imported {
        meeting_id: i32,
        minutes_id: i32,
        title: String,
        drafts: usize,
        kind: SourceKind,
    },
    /// The same bytes were imported before; nothing changed.
    AlreadyImported { meeting_id: i32, minutes_id: i32 },
}

/// The bounds on one file (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImportLimits {
    /// Largest file, in bytes.
    pub max_bytes: usize,
    /// Most drafts one file may yield.
    pub max_drafts: usize,
}

impl ImportLimits {
    pub fn from_settings(settings: &Settings) -> Self {
        Self {
            max_bytes: settings.server.max_upload_bytes,
            max_drafts: settings.import.max_drafts,
        }
    }

    /// Refuses a file of `size` bytes over the size bound, before it is read.
    pub fn check_size(&self, size: u64) -> Result<(), ImportError> {
        if size > self.max_bytes as u64 {
            return Err(ImportError::TooLarge {
                size,
                limit: self.max_bytes,
            });
        }
        Ok(())
    }
}

/// An imported minutes file as it was uploaded.
#[derive(Debug, Clone)]
pub struct OriginalFile {
    pub file_name: String,
    pub content_type: String,
    pub sha256: String,
    pub content: Vec<u8>,
}

/// The converted and analysed file, ready to store.
struct Converted {
    source: SourceText,
    analysis: Analysis,
}

pub struct Importer {
    db: DatabaseConnection,
    limits: ImportLimits,
}

impl Importer {
    pub fn new(db: DatabaseConnection, limits: ImportLimits) -> Self {
        Self { db, limits }
    }

    /// The departments and aliases the extractor resolves owners against.
    pub async fn directory(&self) -> Result<Directory, DbErr> {
        let departments = Departments::new(self.db.clone()).list().await?;
        Ok(Directory::new(
            departments
                .into_iter()
                .map(|d| (d.name, d.aliases))
                .collect::<Vec<_>>(),
        ))
    }

    pub async fn import(
        &self,
        file_name: &str,
        bytes: Bytes,
        actor: &Actor,
        at: Moment,
    ) -> Result<ImportOutcome, ImportError> {
        self.limits.check_size(bytes.len() as u64)?;
        let sha256 = hex::encode(Sha256::digest(&bytes));
        if let Some(existing) = self.find_by_sha(&sha256).await? {
            return Ok(ImportOutcome::AlreadyImported {
                meeting_id: existing.meeting_id,
                minutes_id: existing.id,
            });
        }
        let directory = self.directory().await?;
        let converted = convert(bytes.clone(), file_name.to_owned(), directory).await?;
        let found = converted.analysis.items.len();
        if found > self.limits.max_drafts {
            return Err(ImportError::TooManyDrafts {
                found,
                limit: self.limits.max_drafts,
            });
        }
        let original = OriginalFile {
            file_name: file_name.to_owned(),
            content_type: content_type(&converted.source),
            sha256: sha256.clone(),
            content: bytes.to_vec(),
        };
        match self.store(original, converted, actor, at).await {
            // Another import of the same file won the race for the unique sha256.
            Err(ImportError::Db(error)) if self.find_by_sha(&sha256).await?.is_some() => {
                tracing::debug!(%error, "concurrent import of the same file");
                let existing = self
                    .find_by_sha(&sha256)
                    .await?
                    .ok_or(ImportError::Db(error))?;
                Ok(ImportOutcome::AlreadyImported {
                    meeting_id: existing.meeting_id,
                    minutes_id: existing.id,
                })
            }
            other => other,
        }
    }

    async fn find_by_sha(&self, sha256: &str) -> Result<Option<minutes::Model>, DbErr> {
        minutes::Entity::find()
            .filter(minutes::Column::Sha256.eq(sha256))
            .one(&self.db)
            .await
    }

    async fn store(
        &self,
        original: OriginalFile,
        converted: Converted,
        actor: &Actor,
        at: Moment,
    ) -> Result<ImportOutcome, ImportError> {
        let Converted { source, analysis } = converted;
        let header = &analysis.meeting;
        let body_name = header
            .body
            .clone()
            .or_else(|| header.title.clone())
            .ok_or(ImportError::NoBody)?;
        let held_on = header.held_on.ok_or(ImportError::NoDate)?;
        let title = header.title.clone().unwrap_or_else(|| body_name.clone());
        let txn = self.db.begin().await?;
        let meeting = meetings::record_held_meeting_in(
            &txn,
            &HeldMeeting {
                body: body_name,
                title: title.clone(),
                held_on,
                starts_at: header.starts_at.clone(),
                ends_at: header.ends_at.clone(),
                place: header.place.clone(),
            },
            at.now(),
        )
        .await?;
        let stored = minutes::ActiveModel {
            meeting_id: Set(meeting.id),
            file_name: Set(original.file_name.clone()),
            sha256: Set(original.sha256.clone()),
            encoding: Set(read_as(&source).to_owned()),
            text: Set(analysis.text.clone()),
            imported_by: Set(actor.user_id),
            created_at: Set(at.now()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        keep_original_in(&txn, stored.id, original).await?;
        let drafts: Vec<NewDraft> = analysis.items.iter().map(draft_from).collect();
        let count = drafts.len();
        tasks::create_drafts_in(&txn, actor, meeting.id, Some(stored.id), drafts, at).await?;
        txn.commit().await?;
        Ok(ImportOutcome::Imported {
            meeting_id: meeting.id,
            minutes_id: stored.id,
            title,
            drafts: count,
            kind: source.kind,
        })
    }
}

/// Conversion and extraction are CPU work of up to seconds for a long PDF: they
/// run on the blocking pool, not on the threads that serve requests.
async fn convert(
    bytes: Bytes,
    file_name: String,
    directory: Directory,
) -> Result<Converted, ImportError> {
    let converted = tokio::task::spawn_blocking(move || {
        let source = document::to_text(&bytes, Some(&file_name))?;
        let parsed = extractor::parse(&source.text);
        let analysis = Analysis {
            items: extractor::extract(&parsed, &directory),
            meeting: parsed.meeting,
            text: parsed.text,
        };
        Ok::<_, DocumentError>(Converted { source, analysis })
    })
    .await
    .map_err(|e| ImportError::Conversion(e.to_string()))?;
    Ok(converted?)
}

/// What the `minutes.encoding` column records: the character encoding a text
/// file was read in, or the kind of document the text was taken from.
fn read_as(source: &SourceText) -> &'static str {
    match (source.kind, source.encoding) {
        (_, Some(encoding)) => encoding.as_str(),
        (SourceKind::Docx, None) => "docx",
        (SourceKind::Pdf, None) => "pdf",
        (SourceKind::PlainText, None) => Encoding::Utf8.as_str(),
    }
}

/// The media type of the original file; a text file names its encoding, so that
/// a download of a Shift_JIS file is shown as it was written.
fn content_type(source: &SourceText) -> String {
    let charset = match source.encoding {
        Some(Encoding::Utf8 | Encoding::Utf8Bom) => "utf-8",
        Some(Encoding::Utf16Le) => "utf-16le",
        Some(Encoding::Utf16Be) => "utf-16be",
        Some(Encoding::ShiftJis) => "shift_jis",
        None => return source.kind.content_type().to_owned(),
    };
    format!("{}; charset={charset}", source.kind.content_type())
}

async fn keep_original_in<C: ConnectionTrait>(
    conn: &C,
    minutes_id: i32,
    original: OriginalFile,
) -> Result<(), DbErr> {
    minutes_file::ActiveModel {
        minutes_id: Set(minutes_id),
        content_type: Set(original.content_type),
        sha256: Set(original.sha256),
        size_bytes: Set(i64::try_from(original.content.len()).unwrap_or(i64::MAX)),
        content: Set(original.content),
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// The original file of minutes `minutes_id`; `None` when there are no such
/// minutes or they were imported before originals were kept.
pub async fn original_file<C: ConnectionTrait>(
    conn: &C,
    minutes_id: i32,
) -> Result<Option<OriginalFile>, DbErr> {
    let Some(file) = minutes_file::Entity::find_by_id(minutes_id)
        .one(conn)
        .await?
    else {
        return Ok(None);
    };
    let file_name = minutes::Entity::find_by_id(minutes_id)
        .one(conn)
        .await?
        .map(|m| m.file_name)
        .unwrap_or_default();
    Ok(Some(OriginalFile {
        file_name,
        content_type: file.content_type,
        sha256: file.sha256,
        content: file.content,
    }))
}

/// An extracted item as a draft task; the owner name is resolved by the task store.
fn draft_from(candidate: &Candidate) -> NewDraft {
    let span = (
        i32::try_from(candidate.evidence_span[0]).ok(),
        i32::try_from(candidate.evidence_span[1]).ok(),
    );
    NewDraft {
        summary: candidate.summary.clone(),
        kind: match candidate.kind {
            extractor::ItemKind::Request => TaskKind::Request,
            extractor::ItemKind::Commitment => TaskKind::Commitment,
            extractor::ItemKind::Report => TaskKind::Report,
        },
        speaker: candidate.speaker.clone(),
        confidence: f64::from(candidate.confidence),
        suggested_owner: candidate.owner.clone(),
        due_kind: match candidate.due.kind {
            extractor::DueKind::Date => DueKind::Date,
            extractor::DueKind::NextMeeting => DueKind::NextMeeting,
            extractor::DueKind::Asap => DueKind::Asap,
            extractor::DueKind::None => DueKind::None,
        },
        due_on: candidate.due.date,
        evidence: Some(NewEvidence {
            quote: candidate.evidence.clone(),
            span: match span {
                (Some(start), Some(end)) => Some((start, end)),
                _ => None,
            },
        }),
    }
}
