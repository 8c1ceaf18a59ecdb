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

use std::{net::SocketAddr, sync::Arc};

use axum::{Router, extract::DefaultBodyLimit};
use sea_orm::DatabaseConnection;
use tokio::net::TcpListener;
use tower_http::trace::TraceLayer;

use crate::{
    auth::UserStore,
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
}

impl AppState {
    pub fn new(db: DatabaseConnection, settings: Arc<Settings>, clock: Arc<dyn Clock>) -> Self {
        Self {
            db,
            settings,
            clock,
            mailer: Arc::new(UnconfiguredMailer),
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
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// A bound listener and its router, ready to serve.
pub struct Application {
    listener: TcpListener,
    router: Router,
}

impl Application {
    pub async fn bind(addr: SocketAddr, state: AppState) -> std::io::Result<Self> {
        let listener = TcpListener::bind(addr).await?;
        Ok(Self {
            listener,
            router: router(state),
        })
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        axum::serve(self.listener, self.router)
            .with_graceful_shutdown(shutdown)
            .await
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
