//! `GET /politicas`: the policy files of the workspace with `pauta check`'s status of each, and
//! `POST /politicas/nueva-version`: the next version of a procedure (`pauta new-version`).

use std::sync::Arc;

use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use maud::{Markup, html};
use serde::Deserialize;

use super::{editor_address, open_file, paths, work};
use crate::policy::workspace::{PolicySource, is_calendar_text};
use crate::policy::{PolicySet, Severity, check_sources};
use crate::web::PageError;
use crate::web::layout::{Section, page};
use crate::web::state::Workbench;

/// One file of the list.
struct Row {
    /// Its address (relative to the policies folder), or `None` when it lies outside (a link).
    relative: Option<String>,
    /// Its name as `pauta check` shows it.
    name: String,
    calendar: bool,
    errors: usize,
    warnings: usize,
}

/// `GET /politicas`.
pub async fn list(State(workbench): State<Arc<Workbench>>) -> Result<Markup, PageError> {
    let source = workbench.settings.workspace.policies.clone();
    let rows = tokio::task::spawn_blocking(move || rows(&source))
        .await
        .unwrap_or_else(|_| {
            Err(PageError::conflict(
                "la revisión se interrumpió; vuelva a cargar la página",
            ))
        });
    let source = &workbench.settings.workspace.policies;
    let body = html! {
        (where_from(source))
        @match &rows {
            Ok(rows) => { (table(rows)) (next_version_form(source, rows)) },
            Err(error) => div class="aviso error" role="alert" {
                p { strong { "error[" (error.code) "]" } " " (error.message) }
            },
        }
    };
    Ok(page("Editar una política", Section::Edit, body))
}

/// Every source of the workspace with its counts, as `pauta check` (no paths) finds them.
fn rows(source: &PolicySource) -> Result<Vec<Row>, PageError> {
    let sources = work::sources(source)?;
    let fallback = PolicySet::embedded().map(|s| s.calendars).unwrap_or_default();
    let report = check_sources(&sources, &fallback);
    Ok(sources
        .iter()
        .zip(&report.files)
        .map(|(file, checked)| {
            let count = |severity| {
                checked
                    .diagnostics
                    .iter()
                    .filter(|d| d.severity == severity)
                    .count()
            };
            Row {
                relative: paths::relative_of(source, &file.name),
                name: file.name.clone(),
                calendar: is_calendar_text(&file.text),
                errors: count(Severity::Error),
                warnings: count(Severity::Warning),
            }
        })
        .collect())
}

/// Where the policies come from and, for the embedded ones, how to get an editable folder.
fn where_from(source: &PolicySource) -> Markup {
    html! {
        p class="fuente" { (source.describe()) }
        @if source.path().is_none() {
            div class="aviso" role="note" {
                p { strong { "Solo lectura." } " Estas son las políticas incluidas en pauta: se muestran y se revisan, pero no se editan ni se guardan (pauta no cambia su propio programa; " code { "pauta fmt" } " y " code { "pauta new-version" } " también se niegan)." }
                p { "Para tener una carpeta editable:" }
                ol {
                    li { "En la carpeta donde trabaja, cree una carpeta " code { "policies" } " con dos subcarpetas: " code { "M1-3-06" } " y " code { "calendarios" } "." }
                    li { "Abra cada archivo de la lista, copie su texto y guárdelo en la subcarpeta de su ruta con el mismo nombre (por ejemplo " code { "policies/M1-3-06/v11.pauta" } "), como texto UTF-8." }
                    li { "Detenga pauta web (Ctrl+C) y vuelva a iniciarlo desde esa carpeta: " code { "pauta web" } " la encuentra sola (o indíquela con " code { "pauta web --policies CARPETA" } ")." }
                    li { "Para empezar una versión nueva, use aquí «Crear la siguiente versión» (o " code { "pauta new-version M1-3-06 --from-date AAAA-MM-DD" } " en la terminal)." }
                }
            }
        }
    }
}

/// The table of files.
fn table(rows: &[Row]) -> Markup {
    let errors: usize = rows.iter().map(|r| r.errors).sum();
    let warnings: usize = rows.iter().map(|r| r.warnings).sum();
    html! {
        h2 { "Archivos de política" }
        p role="status" {
            (rows.len()) " archivo(s) revisado(s) "
            @if errors == 0 { "sin errores" } @else { "con errores" }
            ": " (errors) " error(es), " (warnings) " aviso(s) (lo mismo que diría pauta check)."
        }
        table class="archivos" {
            caption { "Archivos de la carpeta de políticas y sus problemas" }
            thead { tr { th scope="col" { "Archivo" } th scope="col" { "Tipo" } th scope="col" { "Errores" } th scope="col" { "Avisos" } } }
            tbody {
                @for row in rows {
                    tr {
                        th scope="row" {
                            @match &row.relative {
                                Some(relative) => a href=(editor_address(relative)) { (relative) },
                                None => { (row.name) " " span class="nota" { "(fuera de la carpeta de políticas: no se abre)" } },
                            }
                        }
                        td { @if row.calendar { "calendario" } @else { "procedimiento" } }
                        td class={ "numero" @if row.errors > 0 { " con-error" } } { (row.errors) }
                        td class="numero" { (row.warnings) }
                    }
                }
            }
        }
    }
}

/// «Crear la siguiente versión»: a procedure file and the date the new version comes into force.
fn next_version_form(source: &PolicySource, rows: &[Row]) -> Markup {
    let procedures: Vec<&str> = rows
        .iter()
        .filter(|r| !r.calendar)
        .filter_map(|r| r.relative.as_deref())
        .collect();
    html! {
        h2 { "Crear la siguiente versión" }
        @if source.path().is_none() {
            p { "No disponible con las políticas incluidas en pauta (vea arriba cómo tener una carpeta editable)." }
        } @else if procedures.is_empty() {
            p { "La carpeta no tiene versiones de un procedimiento." }
        } @else {
            p { "Copia la última versión del procedimiento como la siguiente (v<N+1>.pauta), con el número y la fecha nuevos, como " code { "pauta new-version" } ", y la abre en el editor. La versión vigente no cambia." }
            form method="post" action="/politicas/nueva-version" class="formulario" {
                div class="campo" {
                    label for="nv-archivo" { "Procedimiento (una de sus versiones)" }
                    select id="nv-archivo" name="archivo" {
                        @for relative in &procedures { option value=(relative) { (relative) } }
                    }
                }
                div class="campo" {
                    label for="nv-desde" { "Vigente desde (AAAA-MM-DD)" }
                    input id="nv-desde" name="desde" type="date" required;
                }
                button type="submit" { "Crear la siguiente versión" }
            }
        }
    }
}

/// The form of «Crear la siguiente versión».
#[derive(Debug, Deserialize)]
pub struct NewVersionForm {
    archivo: String,
    desde: String,
}

/// `POST /politicas/nueva-version`: writes `v<N+1>.pauta` and opens it in the editor.
pub async fn new_version(
    State(workbench): State<Arc<Workbench>>,
    Form(form): Form<NewVersionForm>,
) -> Result<Response, PageError> {
    let from = NaiveDate::parse_from_str(form.desde.trim(), "%Y-%m-%d").map_err(|_| {
        PageError::new(
            StatusCode::BAD_REQUEST,
            "W017",
            format!(
                "«{}» no es una fecha; escriba la fecha desde la que rige la nueva versión como AAAA-MM-DD (posterior a la de la última)",
                form.desde
            ),
        )
    })?;
    let made = tokio::task::spawn_blocking(move || {
        let opened = open_file(&workbench, &form.archivo)?;
        let source = &workbench.settings.workspace.policies;
        let path = work::new_version(source, &opened.sources, &opened.target, from)?;
        paths::relative_of(source, &path.display().to_string())
            .ok_or_else(|| PageError::not_found("la versión nueva se creó fuera de la carpeta de políticas"))
    })
    .await
    .unwrap_or_else(|_| {
        Err(PageError::conflict(
            "la operación se interrumpió; revise la carpeta",
        ))
    })?;
    Ok(Redirect::to(&editor_address(&made)).into_response())
}
