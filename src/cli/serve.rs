use std::sync::Arc;

use anyhow::Context;

use super::output::Output;
use crate::{
    accounts::UserStore,
    app::{AppState, Application, shutdown_signal},
    clock::SystemClock,
    config::Settings,
    db,
};

pub async fn migrate(settings: Settings) -> anyhow::Result<()> {
    db::connect_and_migrate(&settings.database).await?;
    let mut out = Output::new();
    out.line("データベースは最新です / the database is up to date");
    out.finish()?;
    Ok(())
}

pub async fn serve(settings: Settings) -> anyhow::Result<()> {
    let db = db::connect_and_migrate(&settings.database).await?;
    let settings = Arc::new(settings);
    let clock: Arc<dyn crate::clock::Clock> = Arc::new(SystemClock);
    let mailer = crate::mail::from_settings(&settings.mail).context("mail settings")?;
    let state = AppState::new(db, settings.clone(), clock.clone()).with_mailer(mailer);
    let (stop_scheduler, scheduler_stopped) = tokio::sync::watch::channel(false);
    let scheduler = settings.reminders.enabled.then(|| {
        tokio::spawn(crate::reminders::scheduler::run(
            state.db.clone(),
            state.mailer.clone(),
            settings.clone(),
            clock,
            scheduler_stopped,
        ))
    });
    if UserStore::new(state.db.clone()).count().await? == 0 {
        tracing::warn!(
            "no users yet: create the first administrator with \
             `echo 'a-long-password' | shukudai user add --login admin --name 管理者 --email admin@example.jp --role admin`"
        );
    }
    let app = Application::bind(settings.server.listen, state)
        .await
        .with_context(|| format!("cannot listen on {}", settings.server.listen))?;
    tracing::info!(address = %app.local_addr()?, "shukudai is serving");
    app.run_until(shutdown_signal()).await?;
    let _ = stop_scheduler.send(true);
    if let Some(scheduler) = scheduler {
        let _ = scheduler.await;
    }
    Ok(())
}
