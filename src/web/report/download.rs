//! The files of a month's report: the HTML document shown in the page's frame (`…/ver`, with
//! the document policy: its own styles, no script), every format to download
//! (`…/descargar/{md|html|xlsx|csv|json}`, rendered by the library's `render`, as
//! `pauta report --format` writes them) and the rejected rows (`…/rechazadas`).

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

use crate::report::{Format, render};
use crate::web::PageError;
use crate::web::guard::DOCUMENT_POLICY;
use crate::web::state::Workbench;

use super::cache::{self, Built};
use super::params;
use super::view::Asked;

/// The report of an address, or the answer to give instead (a redirect, an error).
async fn built(
    workbench: &Arc<Workbench>,
    id: &str,
    month: &str,
    query: &params::Query,
    rest: &str,
) -> Result<(Asked, Arc<Built>), Response> {
    let asked = match Asked::read(workbench, id, month, query, rest).await {
        Ok(asked) => asked,
        Err(answer) => return Err(answer.unwrap_or_else(IntoResponse::into_response)),
    };
    let built = cache::report(
        workbench.clone(),
        asked.export.clone(),
        asked.month,
        asked.choices.clone(),
    )
    .await
    .map_err(IntoResponse::into_response)?;
    Ok((asked, built))
}

/// The report in `format`, or the library's error with its code.
fn rendered(built: &Built, format: Format) -> Result<Vec<u8>, PageError> {
    render(&built.report, format).map_err(|error| PageError::from_library(&error, error.code()))
}

/// `GET /informe/{id}/{AAAA-MM}/ver`: the whole HTML document, for the page's frame.
pub async fn document(
    State(workbench): State<Arc<Workbench>>,
    Path((id, month)): Path<(String, String)>,
    Query(query): Query<params::Query>,
) -> Response {
    let (_, built) = match built(&workbench, &id, &month, &query, "/ver").await {
        Ok(found) => found,
        Err(answer) => return answer,
    };
    match rendered(&built, Format::Html) {
        Ok(bytes) => {
            let mut response = bytes.into_response();
            let headers = response.headers_mut();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            );
            headers.insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(DOCUMENT_POLICY),
            );
            response
        }
        Err(error) => error.into_response(),
    }
}

/// The format of an address segment and its media type.
fn format_of(segment: &str) -> Option<(Format, &'static str)> {
    Some(match segment {
        "md" => (Format::Markdown, "text/markdown; charset=utf-8"),
        "html" => (Format::Html, "text/html; charset=utf-8"),
        "xlsx" => (
            Format::Xlsx,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        "csv" => (Format::Csv, "text/csv; charset=utf-8"),
        "json" => (Format::Json, "application/json"),
        _ => return None,
    })
}

/// `GET /informe/{id}/{AAAA-MM}/descargar/{formato}`: the report as a file to save.
pub async fn file(
    State(workbench): State<Arc<Workbench>>,
    Path((id, month, segment)): Path<(String, String, String)>,
    Query(query): Query<params::Query>,
) -> Response {
    let Some((format, media_type)) = format_of(&segment) else {
        return PageError::not_found(format!(
            "el informe no se descarga en «{segment}»; los formatos son md, html, xlsx, csv y json"
        ))
        .into_response();
    };
    let rest = format!("/descargar/{segment}");
    let (asked, built) = match built(&workbench, &id, &month, &query, &rest).await {
        Ok(found) => found,
        Err(answer) => return answer,
    };
    match rendered(&built, format) {
        Ok(bytes) => attachment(
            bytes,
            media_type,
            &format!("informe-ans-{}.{}", asked.month.key(), format.extension()),
        ),
        Err(error) => error.into_response(),
    }
}

/// `GET /informe/{id}/{AAAA-MM}/rechazadas`: the rows the report's run rejected, as the CSV
/// `pauta report` writes beside the report.
pub async fn rejected(
    State(workbench): State<Arc<Workbench>>,
    Path((id, month)): Path<(String, String)>,
    Query(query): Query<params::Query>,
) -> Response {
    let (asked, built) = match built(&workbench, &id, &month, &query, "/rechazadas").await {
        Ok(found) => found,
        Err(answer) => return answer,
    };
    let Some(path) = &built.rejected else {
        return PageError::not_found(
            "este informe no rechazó ninguna fila: no hay archivo de filas rechazadas",
        )
        .into_response();
    };
    match tokio::fs::read(path).await {
        Ok(bytes) => attachment(
            bytes,
            "text/csv; charset=utf-8",
            &format!("rechazadas-{}.csv", file_stem(&asked.export.cases.shown_name)),
        ),
        Err(error) => PageError::not_found(format!(
            "el archivo de filas rechazadas ya no está ({}); vuelva a producir el informe",
            crate::text::io_reason(&error)
        ))
        .into_response(),
    }
}

/// `bytes` to be saved as `name` (ASCII letters, digits, `-`, `_` and `.` only).
fn attachment(bytes: Vec<u8>, media_type: &'static str, name: &str) -> Response {
    let mut response = crate::web::attachment::attachment(bytes.into_response(), media_type, name);
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(DOCUMENT_POLICY),
    );
    response
}

/// The stem of an uploaded file's name, kept to the characters safe in a header (`casos`).
fn file_stem(shown_name: &str) -> String {
    let stem = std::path::Path::new(shown_name)
        .file_stem()
        .and_then(|stem| stem.to_str())
        .unwrap_or("casos");
    let safe: String = stem
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        .take(60)
        .collect();
    if safe.is_empty() { "casos".to_owned() } else { safe }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn download_names_are_safe_in_a_header() {
        assert_eq!(file_stem("casos.csv"), "casos");
        assert_eq!(file_stem("Export \"junio\".csv"), "Exportjunio");
        assert_eq!(file_stem("ñ.csv"), "casos");
        assert!(format_of("exe").is_none());
        assert!(matches!(format_of("xlsx"), Some((Format::Xlsx, _))));
    }
}
