use std::sync::Arc;

use anyhow::Context;

use crate::{
    clock::SystemClock,
    config::Settings,
    db,
    http::{AppState, Application, shutdown_signal},
};

pub async fn migrate(settings: Settings) -> anyhow::Result<()> {
    db::connect_and_migrate(&settings.database).await?;
    println!("データベースは最新です / the database is up to date");
    Ok(())
}

pub async fn serve(settings: Settings) -> anyhow::Result<()> {
    let db = db::connect_and_migrate(&settings.database).await?;
    let settings = Arc::new(settings);
    let state = AppState::new(db, settings.clone(), Arc::new(SystemClock));
    if state.users().count().await? == 0 {
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
    Ok(())
}
