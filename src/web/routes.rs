//! Every address of the workbench and the handler that serves it, behind the checks of
//! [`super::guard`].

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::get;

use super::state::Workbench;
use super::{files, guard, home, report};

/// The workbench's router over `workbench`.
pub fn router(workbench: Arc<Workbench>) -> Router {
    let limit = usize::try_from(workbench.settings.upload_limit).unwrap_or(usize::MAX);
    Router::new()
        .route("/", get(home::home))
        .route("/estatico/{name}", get(files::serve))
        .merge(report::routes())
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(limit.saturating_add(1 << 20)))
        .layer(axum::middleware::from_fn_with_state(
            workbench.clone(),
            guard::guard,
        ))
        .with_state(workbench)
}

/// Any other address.
async fn not_found() -> super::PageError {
    super::PageError::not_found("esta dirección no existe en el banco de trabajo; use el menú de arriba")
}
