//! The web server: state, routes, and the listener with graceful shutdown.
pub mod auth;
mod departments;
pub mod error;
mod extract;
mod health;
mod meetings;
mod minutes;
mod openapi;
mod outbox;
mod tasks;

use std::{net::SocketAddr, sync::Arc, time::Duration};

use axum::{
    Router,
    extract::{DefaultBodyLimit, Request, State},
    middleware::{self, Next},
    response::Response,
};
use sea_orm::DatabaseConnection;
use tokio::net::TcpListener;
use tower_http::trace::TraceLayer;

use crate::{
    auth::UserStore,
    cache::{self, ReadCache},
    clock::Clock,
    config::Settings,
    departments::Departments,
    mail::{Mailer, UnconfiguredMailer},
};

pub use error::{ApiError, ApiJson, ApiQuery, FieldError};

/// Everything a handler needs; cheap to clone (handles and `Arc`s only).
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub settings: Arc<Settings>,
    pub clock: Arc<dyn Clock>,
    /// Sends the reminder outbox; [`UnconfiguredMailer`] until `with_mailer`.
    pub mailer: Arc<dyn Mailer>,
    /// Repeated reads; kept fresh by [`cache::watch`], which [`Application`] runs.
    pub cache: ReadCache,
}

impl AppState {
    pub fn new(db: DatabaseConnection, settings: Arc<Settings>, clock: Arc<dyn Clock>) -> Self {
        let cache = ReadCache::new(&settings.cache);
        Self {
            db,
            settings,
            clock,
            mailer: Arc::new(UnconfiguredMailer),
            cache,
        }
    }

    pub fn with_mailer(mut self, mailer: Arc<dyn Mailer>) -> Self {
        self.mailer = mailer;
        self
    }

    pub fn users(&self) -> UserStore {
        UserStore::new(self.db.clone())
    }

    pub fn departments(&self) -> Departments {
        Departments::new(self.db.clone())
    }
}

pub fn router(state: AppState) -> Router {
    let max_upload = state.settings.server.max_upload_bytes;
    let api = Router::new()
        .merge(auth::router())
        .merge(departments::router())
        .merge(meetings::router())
        .merge(minutes::router())
        .merge(outbox::router())
        .merge(tasks::router());
    Router::new()
        .merge(health::router())
        .nest("/api/v1", api)
        .merge(openapi::router())
        .merge(crate::web::router())
        .layer(DefaultBodyLimit::max(max_upload))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            forget_cached_reads_after_changes,
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Whatever a state-changing request did is committed by the time its handler
/// returns; moving the cache on before the answer leaves means the client's next
/// read sees its own change, without waiting for the watcher.
async fn forget_cached_reads_after_changes(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let changes = !request.method().is_safe();
    let response = next.run(request).await;
    if changes {
        state.cache.changed();
    }
    response
}

/// A bound listener and its router, ready to serve.
pub struct Application {
    listener: TcpListener,
    router: Router,
    state: AppState,
}

impl Application {
    pub async fn bind(addr: SocketAddr, state: AppState) -> std::io::Result<Self> {
        let listener = TcpListener::bind(addr).await?;
        Ok(Self {
            listener,
            router: router(state.clone()),
            state,
        })
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let poll = Duration::from_millis(self.state.settings.cache.poll_ms.max(10));
        let watcher = tokio::spawn(cache::watch(
            self.state.db.clone(),
            self.state.cache.clone(),
            poll,
        ));
        let served = axum::serve(self.listener, self.router)
            .with_graceful_shutdown(shutdown)
            .await;
        watcher.abort();
        served
    }
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::warn!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::warn!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
