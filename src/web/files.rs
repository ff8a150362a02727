//! The workbench's own style sheet and scripts, compiled into the binary and served under
//! `/estatico/`. A page includes the shared script and, when it needs one, its own.

use axum::extract::Path;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use super::PageError;

/// Every file served under `/estatico/`: its name, its content and its media type.
const FILES: &[(&str, &str, &str)] = &[
    (
        "pauta.css",
        include_str!("static/pauta.css"),
        "text/css; charset=utf-8",
    ),
    (
        "editor.js",
        include_str!("static/editor.js"),
        "text/javascript; charset=utf-8",
    ),
    (
        "pauta.js",
        include_str!("static/pauta.js"),
        "text/javascript; charset=utf-8",
    ),
    (
        "informe.js",
        include_str!("static/informe.js"),
        "text/javascript; charset=utf-8",
    ),
    (
        "evaluar.js",
        include_str!("static/evaluar.js"),
        "text/javascript; charset=utf-8",
    ),
];

/// `GET /estatico/{name}`.
pub async fn serve(Path(name): Path<String>) -> Result<Response, PageError> {
    let (_, body, media_type) = FILES
        .iter()
        .find(|(file, _, _)| *file == name)
        .ok_or_else(|| PageError::not_found(format!("no hay un archivo estático «{name}»")))?;
    let mut response = (*body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(media_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    Ok(response)
}
