//! 宿題事項一覧: the follow-up report (`reports::follow_up`), printable on A4.
use axum::{Router, extract::State, response::Html, routing::get};
use minijinja::context;

use super::{PageError, session::Page, templates};
use crate::{reports, state::AppState, tasks::Actor};

pub fn router() -> Router<AppState> {
    Router::new().route("/report", get(report))
}

async fn report(State(state): State<AppState>, page: Page) -> Result<Html<String>, PageError> {
    let report = reports::follow_up(&state.db, &Actor::user(&page.user), state.moment()).await?;
    let html = templates::render(
        "report.html",
        page.context(
            "report.title",
            context! { groups => report.groups, today => report.today, next => report.next_meeting },
        ),
    )
    .map_err(PageError::internal)?;
    Ok(Html(html))
}
