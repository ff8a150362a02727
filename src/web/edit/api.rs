//! The editor's JSON calls (`/api/politicas/…`), made by `editor.js` as the user types and
//! clicks: review, format, compare, save. Each answers JSON; a refusal is
//! `{"codigo", "mensaje", "diagnosticos"}` with its status.

use std::sync::Arc;

use axum::Json;
use axum::extract::{FromRequest, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::work::{self, ImpactInput, Refusal};
use super::{Opened, open_file};
use crate::web::PageError;
use crate::web::state::Workbench;

/// The body of every call: the file, the edited text, and what some calls need.
#[derive(Debug, Deserialize)]
pub struct Call {
    /// The file, relative to the policies folder.
    pub archivo: String,
    /// The edited text.
    #[serde(default)]
    pub texto: String,
    /// The SHA-256 of the file when the page was opened (to save).
    #[serde(default)]
    pub huella: String,
    /// The upload id of the export to evaluate under both versions (to compare); empty: none.
    #[serde(default)]
    pub exportacion: String,
    /// The as-of instant of that evaluation; empty: now.
    #[serde(default)]
    pub corte: String,
}

/// The body of a call, read as JSON; a body that is not the expected JSON is refused in the
/// calls' own form (`{"codigo": "W013", "mensaje", "diagnosticos": []}`), in Spanish.
pub struct CallBody(pub Call);

impl<S: Send + Sync> FromRequest<S> for CallBody {
    type Rejection = Refusal;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<Call>::from_request(request, state).await {
            Ok(Json(call)) => Ok(CallBody(call)),
            Err(rejection) => Err(PageError::new(
                StatusCode::BAD_REQUEST,
                "W013",
                format!(
                    "la petición no trae los datos que espera el editor ({}); recargue la página y vuelva a intentarlo",
                    rejection.body_text()
                ),
            )
            .into()),
        }
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        let body = serde_json::json!({
            "codigo": self.error.code,
            "mensaje": self.error.message,
            "diagnosticos": self.diagnostics,
        });
        (self.error.status, Json(body)).into_response()
    }
}

/// Runs `work` on the opened file in a blocking task.
async fn on_file<T: Send + 'static>(
    workbench: Arc<Workbench>,
    archivo: String,
    work: impl FnOnce(&Workbench, Opened) -> Result<T, Refusal> + Send + 'static,
) -> Result<T, Refusal> {
    tokio::task::spawn_blocking(move || {
        let opened = open_file(&workbench, &archivo)?;
        work(&workbench, opened)
    })
    .await
    .unwrap_or_else(|_| {
        Err(PageError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "W016",
            "la revisión se interrumpió; vuelva a intentarlo",
        )
        .into())
    })
}

/// `POST /api/politicas/revisar`: the diagnostics of the text among the workspace's files.
pub async fn review(
    State(workbench): State<Arc<Workbench>>,
    CallBody(call): CallBody,
) -> Result<Json<serde_json::Value>, Refusal> {
    let archivo = call.archivo.clone();
    on_file(workbench, call.archivo, move |_, opened| {
        Ok(Json(
            work::review(&opened.sources, opened.target.name(), &call.texto).json(&archivo),
        ))
    })
    .await
}

/// `POST /api/politicas/formatear`: the canonical layout of the text (`pauta fmt`).
pub async fn format(
    State(workbench): State<Arc<Workbench>>,
    CallBody(call): CallBody,
) -> Result<Json<serde_json::Value>, Refusal> {
    on_file(workbench, call.archivo, move |_, opened| {
        let texto = work::format(&opened.sources, &opened.target, &call.texto)?;
        Ok(Json(serde_json::json!({ "texto": texto })))
    })
    .await
}

/// `POST /api/politicas/comparar`: `pauta diff` of the saved file and the text, with the
/// impact on an uploaded export when one is chosen.
pub async fn compare(
    State(workbench): State<Arc<Workbench>>,
    CallBody(call): CallBody,
) -> Result<Json<serde_json::Value>, Refusal> {
    on_file(workbench, call.archivo, move |workbench, opened| {
        let input = impact_input(workbench, &call.exportacion, &call.corte)?;
        let diff = work::compare_text(
            &workbench.settings.workspace.policies,
            &opened.target,
            &call.texto,
            input,
        )?;
        Ok(Json(serde_json::json!({
            "texto": crate::diff::render::text(&diff),
            "vacio": diff.is_empty(),
        })))
    })
    .await
}

/// `POST /api/politicas/guardar`: saves the text (see [`work::save`]); answers the new hash.
pub async fn save(
    State(workbench): State<Arc<Workbench>>,
    CallBody(call): CallBody,
) -> Result<Json<serde_json::Value>, Refusal> {
    on_file(workbench, call.archivo, move |_, opened| {
        let huella = work::save(&opened.sources, &opened.target, &call.texto, &call.huella)?;
        Ok(Json(serde_json::json!({
            "huella": huella,
            "mensaje": format!("«{}» guardado.", opened.target.relative()),
        })))
    })
    .await
}

/// The export chosen for a comparison (`exportacion` is its upload id; empty or `ninguna`: none).
pub fn impact_input(
    workbench: &Workbench,
    exportacion: &str,
    corte: &str,
) -> Result<Option<ImpactInput>, PageError> {
    let chosen = exportacion.trim();
    if chosen.is_empty() || chosen == "ninguna" {
        return Ok(None);
    }
    let export = chosen
        .parse::<u64>()
        .ok()
        .and_then(|id| workbench.exports.get(id))
        .ok_or_else(|| {
            PageError::not_found(format!(
                "no hay una exportación subida con el número «{chosen}» en esta sesión; súbala en «Evaluar una exportación» y elíjala de la lista"
            ))
        })?;
    Ok(Some(ImpactInput {
        export,
        as_of: corte.to_owned(),
        mapping: workbench.settings.workspace.mapping.clone(),
    }))
}
