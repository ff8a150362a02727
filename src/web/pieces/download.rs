//! `GET /piezas/{pieza}/{id}/{nombre}`: a file a review wrote (the corrected SMS list, its
//! errors file, the cleaned document), found by the upload's id and a fixed name — never by a
//! path the browser sends.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};

use crate::web::PageError;
use crate::web::state::Workbench;

/// `GET /piezas/{pieza}/{id}/{nombre}`.
pub async fn download(
    State(workbench): State<Arc<Workbench>>,
    Path((kind, id, name)): Path<(String, String, String)>,
) -> Result<Response, PageError> {
    let gone = || {
        PageError::not_found(
            "no hay un archivo con esa dirección: la revisión no existe, no produjo ese archivo o ya se \
             descartó (se guardan las últimas 20 de esta sesión); revise la pieza de nuevo en «Revisar piezas»",
        )
    };
    let id: u64 = id.parse().map_err(|_| gone())?;
    let piece = workbench.pieces.get(id).ok_or_else(gone)?;
    if piece.kind.segment() != kind {
        return Err(gone());
    }
    let download = piece
        .downloads
        .iter()
        .find(|download| download.name == name)
        .ok_or_else(gone)?;
    let bytes = tokio::fs::read(&download.path).await.map_err(|_| gone())?;
    Ok(crate::web::attachment::attachment(
        bytes.into_response(),
        download.media_type,
        download.name,
    ))
}
