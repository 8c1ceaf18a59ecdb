//! Importing a minutes file: decode and extract (pure), then store the body, the
//! meeting, the minutes text and one draft task per extracted item, in one
//! transaction. The same file (same SHA-256) is stored once.
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, Set,
    TransactionTrait,
};
use sha2::{Digest, Sha256};

use crate::{
    clock::Moment,
    departments::Departments,
    domain::{DueKind, TaskKind},
    entities::minutes,
    meetings::{self, HeldMeeting, MeetingError},
    minutes::{self as extractor, Analysis, Candidate, Directory, Encoding},
    tasks::{self, Actor, NewDraft, NewEvidence, TaskError},
};

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{0}")]
    Unreadable(#[from] extractor::MinutesError),
    #[error("the minutes do not say which body met (会議体の名称)")]
    NoBody,
    #[error("the minutes do not give the meeting date (開催日時)")]
    NoDate,
    #[error("the minutes could not be stored: {0}")]
    Meeting(#[from] MeetingError),
    #[error("the drafts could not be stored: {0}")]
    Task(#[from] TaskError),
    #[error(transparent)]
    Db(#[from] DbErr),
}

impl ImportError {
    /// A failure of the service rather than of the file: log it, show a generic message.
    pub fn is_internal(&self) -> bool {
        matches!(
            self,
            Self::Db(_) | Self::Meeting(MeetingError::Db(_)) | Self::Task(TaskError::Db(_))
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
    },
    /// The same bytes were imported before; nothing changed.
    AlreadyImported { meeting_id: i32, minutes_id: i32 },
}

pub struct Importer {
    db: DatabaseConnection,
}

impl Importer {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
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
        bytes: &[u8],
        actor: &Actor,
        at: Moment,
    ) -> Result<ImportOutcome, ImportError> {
        let sha256 = hex::encode(Sha256::digest(bytes));
        if let Some(existing) = self.find_by_sha(&sha256).await? {
            return Ok(ImportOutcome::AlreadyImported {
                meeting_id: existing.meeting_id,
                minutes_id: existing.id,
            });
        }
        let directory = self.directory().await?;
        // decode + parse + extract, as `minutes::analyse` does, keeping the
        // encoding the decoder found.
        let decoded = extractor::decode(bytes)?;
        let parsed = extractor::parse(&decoded);
        let analysis = Analysis {
            items: extractor::extract(&parsed, &directory),
            meeting: parsed.meeting,
            text: parsed.text,
        };
        match self
            .store(file_name, &sha256, decoded.encoding, analysis, actor, at)
            .await
        {
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
        file_name: &str,
        sha256: &str,
        encoding: Encoding,
        analysis: Analysis,
        actor: &Actor,
        at: Moment,
    ) -> Result<ImportOutcome, ImportError> {
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
            file_name: Set(file_name.to_owned()),
            sha256: Set(sha256.to_owned()),
            encoding: Set(encoding.as_str().to_owned()),
            text: Set(analysis.text.clone()),
            imported_by: Set(actor.user_id),
            created_at: Set(at.now()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let drafts: Vec<NewDraft> = analysis.items.iter().map(draft_from).collect();
        let count = drafts.len();
        tasks::create_drafts_in(&txn, actor, meeting.id, Some(stored.id), drafts, at).await?;
        txn.commit().await?;
        Ok(ImportOutcome::Imported {
            meeting_id: meeting.id,
            minutes_id: stored.id,
            title,
            drafts: count,
        })
    }
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
