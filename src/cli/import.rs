//! `shukudai import FILE…`: stores each file (text, Word or PDF); one failure
//! does not stop the rest. A file larger than `server.max_upload_bytes` is
//! refused before it is read, as the web and the API refuse it.
use std::{io::Read, path::Path, path::PathBuf};

use chrono::Utc;
use indicatif::{ProgressBar, ProgressStyle};

use super::output::Output;
use crate::{
    clock::Moment,
    config::Settings,
    db,
    import::{ImportError, ImportLimits, ImportOutcome, Importer},
    tasks::Actor,
};

pub async fn import(settings: Settings, files: Vec<PathBuf>) -> anyhow::Result<()> {
    let db = db::connect_and_migrate(&settings.database).await?;
    let limits = ImportLimits::from_settings(&settings);
    let importer = Importer::new(db, limits);
    let actor = Actor::system("shukudai import");
    let bar = if files.len() > 1 {
        let bar = ProgressBar::new(files.len() as u64);
        bar.set_style(
            ProgressStyle::with_template("{bar:30} {pos}/{len} {wide_msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    } else {
        ProgressBar::hidden()
    };
    let mut failed = 0usize;
    let mut out = Output::new();
    for file in &files {
        bar.set_message(file.display().to_string());
        let line = match read_bounded(file, &limits) {
            Err(Unread::Io(error)) => {
                failed += 1;
                format!("失敗 {}: 読み込めません: {error}", file.display())
            }
            Err(Unread::Refused(error)) => {
                failed += 1;
                format!("失敗 {}: {error}", file.display())
            }
            Ok(bytes) => {
                let name = file
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| file.display().to_string());
                let at = Moment::new(Utc::now(), settings.time_zone());
                match importer.import(&name, bytes.into(), &actor, at).await {
                    Ok(ImportOutcome::Imported {
                        meeting_id,
                        title,
                        drafts,
                        ..
                    }) => format!(
                        "取込 {}: {title}（会議 {meeting_id}）宿題の候補 {drafts}件",
                        file.display()
                    ),
                    Ok(ImportOutcome::AlreadyImported { meeting_id, .. }) => format!(
                        "変更なし {}: 取込済みです（会議 {meeting_id}） / already imported",
                        file.display()
                    ),
                    Err(error) => {
                        failed += 1;
                        format!("失敗 {}: {error}", file.display())
                    }
                }
            }
        };
        bar.println(&line);
        if bar.is_hidden() {
            out.line(&line);
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    out.finish()?;
    if failed > 0 {
        anyhow::bail!("{failed} of {} files could not be imported", files.len());
    }
    Ok(())
}

enum Unread {
    Io(std::io::Error),
    Refused(ImportError),
}

/// The file's bytes, unless it is larger than the limit: its size is checked
/// before reading, and the read stops one byte past the limit in case the file
/// grows meanwhile (or is a pipe whose size the metadata does not tell).
fn read_bounded(path: &Path, limits: &ImportLimits) -> Result<Vec<u8>, Unread> {
    let file = std::fs::File::open(path).map_err(Unread::Io)?;
    let stated = file.metadata().map_err(Unread::Io)?.len();
    limits.check_size(stated).map_err(Unread::Refused)?;
    let cap = (limits.max_bytes as u64).saturating_add(1);
    let mut bytes = Vec::with_capacity(usize::try_from(stated).unwrap_or(0));
    file.take(cap).read_to_end(&mut bytes).map_err(Unread::Io)?;
    limits
        .check_size(bytes.len() as u64)
        .map_err(Unread::Refused)?;
    Ok(bytes)
}
