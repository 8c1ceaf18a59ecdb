//! The dashboard: a department sees its open items, overdue first; the secretariat
//! sees every department's counts and the next meeting (`reports`' figures).
use axum::{Router, extract::State, response::Html, routing::get};
use minijinja::context;

use super::{PageError, session::Page, templates};
use crate::{reports, state::AppState};

pub fn router() -> Router<AppState> {
    Router::new().route("/dashboard", get(dashboard))
}

async fn dashboard(State(state): State<AppState>, page: Page) -> Result<Html<String>, PageError> {
    let today = state.today();
    let view = if page.is_secretariat() {
        let overview = reports::overview(&state.db, today).await?;
        context! {
            secretariat_view => true,
            rows => overview.departments,
            drafts => overview.drafts,
            next => overview.next_meeting,
        }
    } else {
        let own = reports::department_items(&state.db, page.user.department_id, today).await?;
        context! { secretariat_view => false, items => own.items, next => own.next_meeting }
    };
    let html = templates::render("dashboard.html", page.context("dashboard.title", view))
        .map_err(PageError::internal)?;
    Ok(Html(html))
}
