//! The application: the front ends (the JSON API, the exports and the pages)
//! merged into one router over one [`AppState`] with the OpenAPI document, the
//! layers every request passes through, and the listener with graceful
//! shutdown. The one place where `http`, `exports` and `web` meet.
mod browser_policy;

use std::{net::SocketAddr, time::Duration};

use axum::{
    Router,
    extract::{DefaultBodyLimit, Request, State},
    middleware::{self, Next},
    response::Response,
};
use tokio::net::TcpListener;
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;
use utoipa_swagger_ui::SwaggerUi;

pub use crate::state::AppState;
use crate::{cache, exports, http, web};

/// Every route of the service, with its layers.
pub fn router(state: AppState) -> Router {
    let max_upload = state.settings.server.max_upload_bytes;
    let routes = Router::new()
        .merge(http::router())
        .merge(exports::router())
        .merge(web::router())
        .merge(browser_policy::swagger_ui(Router::from(
            SwaggerUi::new("/api/docs")
                .url("/api/openapi.json", openapi())
                // Its default badge loads from validator.swagger.io, which the CSP refuses.
                .config(utoipa_swagger_ui::Config::default().validator_url("none")),
        )))
        .layer(DefaultBodyLimit::max(max_upload))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            forget_cached_reads_after_changes,
        ))
        .layer(TraceLayer::new_for_http());
    browser_policy::harden(routes).with_state(state)
}

/// The OpenAPI document of everything under `/api`: the API's and the exports'
/// (Swagger UI is served from vendored assets, nothing from a CDN).
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut document = http::ApiDoc::openapi();
    document.merge(exports::ExportDoc::openapi());
    document
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

    /// Serves until `shutdown` resolves, with the cache watcher beside it.
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
