//! «Evaluar una exportación» (`/evaluar`): an Aranda export (cases and, optionally, history)
//! uploaded and evaluated in the background as `pauta evaluate` does, its progress, its summary
//! (the same figures the command line prints), the case table with search, filters and pages,
//! the rejected rows, each case's explanation, and downloads in every output form — all by the
//! library, never a second implementation.

mod download;
mod job;
mod results;
mod table;
mod view;

use std::sync::Arc;

use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::Markup;

pub use download::{download, rejected};
pub use job::Job;

use super::state::{Export, Workbench};
use super::{ApiError, PageError, upload};
use job::{AsOf, State as JobState};

/// How many finished evaluations keep their case table in memory (the older ones keep their
/// summary; their table comes back by evaluating again).
const TABLES_KEPT: usize = 4;

/// `GET /evaluar`: the form and the exports evaluated in this run.
pub async fn form(State(workbench): State<Arc<Workbench>>) -> Markup {
    view::form_page(&workbench, None)
}

/// `POST /evaluar`: receives the files, starts the evaluation and sends the browser to its
/// page; a form without a cases file, a date that is not one or unusable policies show the
/// form again with the error.
pub async fn submit(State(workbench): State<Arc<Workbench>>, multipart: Multipart) -> Response {
    match start(&workbench, multipart).await {
        Ok(id) => Redirect::to(&format!("/evaluar/{id}")).into_response(),
        Err(error) => (error.status, view::form_page(&workbench, Some(&error))).into_response(),
    }
}

/// Receives, checks and registers the export, and starts its evaluation.
async fn start(workbench: &Arc<Workbench>, multipart: Multipart) -> Result<u64, PageError> {
    let form = upload::receive(workbench, multipart).await?;
    let forget = |error: PageError| {
        let _ = std::fs::remove_dir_all(&form.folder);
        error
    };
    let Some(cases) = form.files.get("casos").cloned() else {
        return Err(forget(PageError::new(
            StatusCode::BAD_REQUEST,
            "W013",
            "falta el archivo de casos: elija en «Archivo de casos» el CSV exportado de Aranda y \
             vuelva a enviar el formulario",
        )));
    };
    let export = Arc::new(Export {
        id: form.id,
        cases,
        history: form.files.get("historial").cloned(),
        uploaded_at: chrono::Local::now().format("%Y-%m-%d %H:%M:%S").to_string(),
    });
    let corte = form.field("corte").map(str::to_owned);
    let workspace = workbench.settings.workspace.clone();
    let loading = export.clone();
    let prepared = tokio::task::spawn_blocking(move || {
        let as_of = corte.as_deref().map_or(AsOf::Now, AsOf::Text);
        let inputs = job::load(&workspace, &loading, as_of)?;
        Ok::<_, PageError>((inputs, job::estimate_rows(&loading.cases.path)))
    })
    .await
    .map_err(|_| interrupted())
    .and_then(|prepared| prepared)
    .map_err(forget)?;
    let (inputs, total) = prepared;
    let job = Arc::new(Job::new(export.clone(), inputs.options.as_of, total));
    for dropped in workbench.exports.push(export.id, export.clone()) {
        if let Some(folder) = dropped.cases.path.parent() {
            let _ = std::fs::remove_dir_all(folder);
        }
    }
    workbench.evaluations.push(export.id, job.clone());
    for (_, older) in workbench.evaluations.newest_first().iter().skip(TABLES_KEPT) {
        older.release();
    }
    tokio::task::spawn_blocking(move || job.run(&inputs));
    Ok(export.id)
}

/// The error of a background task that did not finish (it panicked or was cancelled).
fn interrupted() -> PageError {
    PageError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "W016",
        "la tarea se interrumpió antes de terminar; vuelva a intentarlo",
    )
}

/// The evaluation `id` names.
fn find(workbench: &Workbench, id: &str) -> Result<Arc<Job>, PageError> {
    id.parse::<u64>()
        .ok()
        .and_then(|id| workbench.evaluations.get(id))
        .ok_or_else(|| {
            PageError::not_found(format!(
                "no hay una evaluación número «{id}» en esta sesión (se pierden al cerrar pauta web); \
                 suba la exportación de nuevo en /evaluar"
            ))
        })
}

/// `GET /evaluar/{id}`: the progress while it runs; then the summary, the case table (`q`,
/// `resultado`, `categoria`, `hallazgo`, `pagina`), the rejected rows (`rpagina`) and the
/// downloads.
pub async fn show(
    State(workbench): State<Arc<Workbench>>,
    Path(id): Path<String>,
    Query(query): Query<table::Query>,
) -> Result<Response, PageError> {
    let job = find(&workbench, &id)?;
    Ok(match job.state() {
        JobState::Running => view::running_page(&job).into_response(),
        JobState::Done(evaluated) => results::page(&job, &evaluated, &query).into_response(),
        JobState::Failed(error) => (error.status, view::failed_page(&job, &error)).into_response(),
    })
}

/// `GET /api/evaluaciones/{id}`: `{estado, hechos, total, mensaje?, codigo?}` for the page's
/// script.
pub async fn status(
    State(workbench): State<Arc<Workbench>>,
    Path(id): Path<String>,
) -> Result<axum::Json<serde_json::Value>, ApiError> {
    let job = find(&workbench, &id)?;
    let done = job.done.load(std::sync::atomic::Ordering::Relaxed);
    Ok(axum::Json(match job.state() {
        JobState::Running => serde_json::json!({
            "estado": "en curso", "hechos": done, "total": job.total.max(done)
        }),
        JobState::Done(evaluated) => {
            let evaluated = evaluated.summary.rows.cases_evaluated;
            serde_json::json!({ "estado": "lista", "hechos": evaluated, "total": evaluated })
        }
        JobState::Failed(error) => serde_json::json!({
            "estado": "fallida", "hechos": done, "total": job.total.max(done),
            "mensaje": error.message, "codigo": error.code
        }),
    }))
}

/// `GET /evaluar/{id}/caso/{case_id}`: the explanation of one case, as `pauta explain` gives it.
pub async fn case(
    State(workbench): State<Arc<Workbench>>,
    Path((id, case_id)): Path<(String, String)>,
) -> Result<Markup, PageError> {
    let job = find(&workbench, &id)?;
    let unknown = || {
        PageError::not_found(format!(
            "el caso «{case_id}» no está en {}; revise el número de caso o búsquelo en la tabla de la \
             evaluación",
            job.export.cases.shown_name
        ))
    };
    if let JobState::Done(evaluated) = job.state()
        && !evaluated.released
        && !evaluated.table.has_case(case_id.trim())
    {
        return Err(unknown());
    }
    let workspace = workbench.settings.workspace.clone();
    let (running, wanted) = (job.clone(), case_id.clone());
    let explained = tokio::task::spawn_blocking(move || download::explain(&workspace, &running, &wanted))
        .await
        .map_err(|_| interrupted())?;
    match explained {
        Ok(explained) => Ok(view::case_page(&job, &case_id, &explained)),
        Err(download::Failure::CaseNotFound) => Err(unknown()),
        Err(download::Failure::Page(error)) => Err(error),
    }
}

/// The exports evaluated in this run, newest first, with their state and counts (for «Inicio»
/// and below the form).
pub fn recent(workbench: &Workbench) -> Markup {
    view::recent(workbench)
}
