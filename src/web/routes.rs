//! Every address of the workbench and the handler that serves it, behind the checks of
//! [`super::guard`].

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::get;

use super::state::Workbench;
use super::{evaluate, files, guard, home};

/// The workbench's router over `workbench`.
pub fn router(workbench: Arc<Workbench>) -> Router {
    let limit = usize::try_from(workbench.settings.upload_limit).unwrap_or(usize::MAX);
    Router::new()
        .route("/", get(home::home))
        .route("/estatico/{name}", get(files::serve))
        .route("/evaluar", get(evaluate::form).post(evaluate::submit))
        .route("/evaluar/{id}", get(evaluate::show))
        .route("/evaluar/{id}/caso/{case_id}", get(evaluate::case))
        .route("/evaluar/{id}/descargar/{form}", get(evaluate::download))
        .route("/evaluar/{id}/rechazadas.csv", get(evaluate::rejected))
        .route("/api/evaluaciones/{id}", get(evaluate::status))
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
