//! `shukudai import FILE…`: stores each file; one failure does not stop the rest.
use std::path::PathBuf;

use chrono::Utc;
use indicatif::{ProgressBar, ProgressStyle};

use super::output::Output;
use crate::{
    clock::Moment,
    config::Settings,
    db,
    import::{ImportOutcome, Importer},
    tasks::Actor,
};

pub async fn import(settings: Settings, files: Vec<PathBuf>) -> anyhow::Result<()> {
    let db = db::connect_and_migrate(&settings.database).await?;
    let importer = Importer::new(db);
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
        let line = match std::fs::read(file) {
            Err(error) => {
                failed += 1;
                format!("失敗 {}: 読み込めません: {error}", file.display())
            }
            Ok(bytes) => {
                let name = file
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| file.display().to_string());
                let at = Moment::new(Utc::now(), settings.time_zone());
                match importer.import(&name, &bytes, &actor, at).await {
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
