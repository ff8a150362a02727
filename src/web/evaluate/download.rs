//! The evaluation again, on demand, with the options of the first run: in every output form
//! (the library's [`Sink`], the bytes of `pauta evaluate --format F`), its rejected rows (the
//! library's [`RejectedFile`]) and one case's explanation (`pauta explain`). Files are written
//! in the upload's private folder and streamed back.

use std::io::BufWriter;
use std::path::PathBuf;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::job::{self, AsOf, Job, State as JobState};
use super::{find, interrupted};
use crate::cases::RunError;
use crate::cases::explain_case::{Explained, explain_case};
use crate::cases::output::RejectedFile;
use crate::cases::run;
use crate::cases::sink::{Form, Sink};
use crate::policy::workspace::Workspace;
use crate::web::PageError;
use crate::web::state::Workbench;

/// Why a case could not be explained.
pub enum Failure {
    /// The export does not have it.
    CaseNotFound,
    /// Something else stopped the run.
    Page(PageError),
}

/// The explanation of `case` in `job`'s export, as `pauta explain` writes it; the cases file is
/// named as it was uploaded.
pub fn explain(workspace: &Workspace, job: &Job, case: &str) -> Result<Explained, Failure> {
    let inputs = job::load(workspace, &job.export, AsOf::At(job.as_of)).map_err(Failure::Page)?;
    explain_case(
        &inputs.set,
        &inputs.mapping,
        &inputs.options,
        case,
        &job.export.cases.shown_name,
        || {},
    )
    .map_err(|error| match error {
        RunError::CaseNotFound { .. } => Failure::CaseNotFound,
        error => Failure::Page(job::library(&error, error.code(), &job.export)),
    })
}

/// `GET /evaluar/{id}/descargar/{csv|json|csv-excel|xlsx}`.
pub async fn download(
    State(workbench): State<Arc<Workbench>>,
    Path((id, name)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let job = find(&workbench, &id)?;
    let form = Form::ALL
        .into_iter()
        .find(|form| form.name() == name)
        .ok_or_else(|| {
            PageError::not_found(format!(
                "no hay una descarga «{name}»; las formas son csv, json, csv-excel y xlsx"
            ))
        })?;
    finished(&job)?;
    let filename = format!(
        "evaluacion-{}{}",
        safe_stem(&job.export.cases.shown_name),
        form.file_suffix()
    );
    let path = job.export.cases.path.with_file_name(format!(
        "descarga-{}{}",
        workbench.fresh_id(),
        form.file_suffix()
    ));
    let workspace = workbench.settings.workspace.clone();
    let target = path.clone();
    tokio::task::spawn_blocking(move || write_evaluation(&workspace, &job, form, target))
        .await
        .map_err(|_| interrupted())??;
    attachment(path, form.media_type(), &filename).await
}

/// `GET /evaluar/{id}/rechazadas.csv`: the rejected rows, as `pauta evaluate` writes them.
pub async fn rejected(
    State(workbench): State<Arc<Workbench>>,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let job = find(&workbench, &id)?;
    finished(&job)?;
    let filename = format!("rechazadas-{}.csv", safe_stem(&job.export.cases.shown_name));
    let path = job
        .export
        .cases
        .path
        .with_file_name(format!("rechazadas-{}.csv", workbench.fresh_id()));
    let workspace = workbench.settings.workspace.clone();
    let target = path.clone();
    let written = tokio::task::spawn_blocking(move || write_rejected(&workspace, &job, target))
        .await
        .map_err(|_| interrupted())??;
    if !written {
        return Err(PageError::not_found(
            "esta evaluación no rechazó ninguna fila: no hay archivo de filas rechazadas",
        ));
    }
    attachment(path, "text/csv; charset=utf-8", &filename).await
}

/// Refuses a download before the evaluation has finished well.
fn finished(job: &Job) -> Result<(), PageError> {
    match job.state() {
        JobState::Done(_) => Ok(()),
        JobState::Running => Err(PageError::conflict(
            "la evaluación aún está en curso; descargue cuando termine",
        )),
        JobState::Failed(error) => Err(error),
    }
}

/// Evaluates again into `path` in `form`, as `pauta evaluate --format F` writes it.
fn write_evaluation(workspace: &Workspace, job: &Job, form: Form, path: PathBuf) -> Result<(), PageError> {
    let inputs = job::load(workspace, &job.export, AsOf::At(job.as_of))?;
    let file = std::fs::File::create(&path).map_err(|error| unwritable(&error))?;
    let out = BufWriter::with_capacity(1 << 16, file);
    // Both callbacks of the run write to the workbook (evaluations and rejected rows).
    let sink = std::cell::RefCell::new(
        Sink::new(form, out, &job.export.cases.shown_name).map_err(|error| unwritable(&error))?,
    );
    let summary = run(
        &inputs.set,
        &inputs.mapping,
        &inputs.options,
        |_, evaluation, _, _| sink.borrow_mut().write(evaluation),
        |rejection| sink.borrow_mut().reject(rejection),
    )
    .map_err(|error| job::library(&error, error.code(), &job.export))?;
    sink.into_inner()
        .finish(&summary)
        .map_err(|error| unwritable(&error))
}

/// Evaluates again writing the rejected rows to `path`; whether there were any.
fn write_rejected(workspace: &Workspace, job: &Job, path: PathBuf) -> Result<bool, PageError> {
    let inputs = job::load(workspace, &job.export, AsOf::At(job.as_of))?;
    let mut rejected = RejectedFile::new(path);
    run(
        &inputs.set,
        &inputs.mapping,
        &inputs.options,
        |_, _, _, _| Ok(()),
        |rejection| rejected.write(rejection),
    )
    .map_err(|error| job::library(&error, error.code(), &job.export))?;
    let written = rejected.finish().map_err(|error| unwritable(&error))?;
    Ok(written.is_some())
}

/// Streams the file at `path` as an attachment named `filename`; the file is removed once open
/// (it is a copy made for this answer).
async fn attachment(path: PathBuf, media_type: &'static str, filename: &str) -> Result<Response, PageError> {
    let file = tokio::fs::File::open(&path)
        .await
        .map_err(|error| unwritable(&error))?;
    let length = file.metadata().await.map(|m| m.len()).ok();
    // Where the system allows it, the open file outlives its name.
    let _ = std::fs::remove_file(&path);
    let body = Body::from_stream(tokio_util::io::ReaderStream::new(file));
    let mut response = crate::web::attachment::attachment(body.into_response(), media_type, filename);
    if let Some(length) = length {
        response
            .headers_mut()
            .insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    }
    Ok(response)
}

/// The stem of the uploaded file's name, in letters, digits, `-` and `_` (others become `_`),
/// for a download's name; `casos` when nothing is left.
pub fn safe_stem(shown_name: &str) -> String {
    let stem = std::path::Path::new(shown_name)
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("");
    let safe: String = stem
        .chars()
        .take(60)
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if safe.trim_matches('_').is_empty() {
        "casos".to_owned()
    } else {
        safe
    }
}

/// A download that could not be written.
fn unwritable(error: &std::io::Error) -> PageError {
    PageError::new(
        StatusCode::INSUFFICIENT_STORAGE,
        "E006",
        format!(
            "no se pudo escribir la descarga: {}; revise el espacio libre de la carpeta temporal",
            crate::text::io_reason(error)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::safe_stem;

    #[test]
    fn download_names_are_plain_ascii() {
        assert_eq!(safe_stem("casos.csv"), "casos");
        assert_eq!(
            safe_stem("Exportación junio \"2024\".csv"),
            "Exportaci_n_junio__2024_"
        );
        assert_eq!(safe_stem("«».csv"), "casos");
        assert_eq!(safe_stem(""), "casos");
    }
}
