//! Every address of the workbench and the handler that serves it, behind the checks of
//! [`super::guard`].

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

use super::state::Workbench;
use super::{edit, evaluate, files, guard, home, pieces, procedure, report};

/// The workbench's router over `workbench`.
pub fn router(workbench: Arc<Workbench>) -> Router {
    let limit = usize::try_from(workbench.settings.upload_limit).unwrap_or(usize::MAX);
    Router::new()
        .route("/", get(home::home))
        .route("/estatico/{name}", get(files::serve))
        .route("/piezas", get(pieces::page))
        .route("/piezas/banner", post(pieces::check_banner))
        .route("/piezas/sms", post(pieces::check_sms))
        .route("/piezas/documento", post(pieces::check_document))
        .route("/piezas/{pieza}/{id}/{nombre}", get(pieces::download))
        .route("/procedimiento", get(procedure::procedure))
        .route("/procedimiento/documento", get(procedure::document_frame))
        .route("/procedimiento/descargar", get(procedure::download))
        .route("/politicas", get(edit::list))
        .route("/politicas/nueva-version", post(edit::new_version))
        .route("/politicas/editar", get(edit::edit).post(edit::edit_form))
        .route("/api/politicas/revisar", post(edit::api_review))
        .route("/api/politicas/formatear", post(edit::api_format))
        .route("/api/politicas/comparar", post(edit::api_compare))
        .route("/api/politicas/guardar", post(edit::api_save))
        .merge(report::routes())
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
