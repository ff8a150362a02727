//! «Procedimiento» (`/procedimiento`): the procedure's document of a chosen version, rendered by
//! the library as `pauta doc` renders it (shown in a frame, downloadable as Markdown or HTML),
//! and «Comparar versiones»: the semantic diff of two versions (or two calendar files) as
//! `pauta diff OLD NEW` writes it.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use serde::Deserialize;

use super::PageError;
use super::edit::{calendar_files, resolve_file};
use super::guard::{DOCUMENT_POLICY, query_escape};
use super::layout::{Section, page};
use super::state::Workbench;
use crate::codes::Coded;
use crate::diff::{Loader, compare, render};
use crate::doc::{Format, render as render_document};
use crate::policy::PolicySet;
use crate::policy::workspace::PolicySource;

/// The page's query: the version shown and the two sides compared.
#[derive(Debug, Default, Deserialize)]
pub struct Choice {
    /// `CODE@VERSION` of the document (default: the latest).
    #[serde(default)]
    version: String,
    /// The old side of the comparison.
    #[serde(default)]
    anterior: String,
    /// The new side of the comparison.
    #[serde(default)]
    nueva: String,
    /// `md` or `html` (downloads).
    #[serde(default)]
    formato: String,
}

/// The loaded policies, fresh for each request.
async fn load(workbench: &Workbench) -> Result<PolicySet, PageError> {
    let source = workbench.settings.workspace.policies.clone();
    tokio::task::spawn_blocking(move || source.load())
        .await
        .map_err(|_| PageError::conflict("la carga de las políticas se interrumpió; vuelva a intentarlo"))?
        .map_err(|error| PageError::from_library(&error, error.code()))
}

/// The version `id` names, or the latest when empty.
fn chosen<'s>(set: &'s PolicySet, id: &str) -> Result<&'s crate::policy::Policy, PageError> {
    let found = if id.trim().is_empty() {
        set.policies.iter().max_by_key(|p| p.effective_from)
    } else {
        set.find(id.trim())
    };
    found.ok_or_else(|| {
        let ids: Vec<String> = set.policies.iter().map(crate::policy::Policy::id).collect();
        PageError::not_found(format!(
            "no hay una versión «{id}» entre las políticas cargadas; disponibles: {}",
            if ids.is_empty() {
                "ninguna".to_owned()
            } else {
                ids.join(", ")
            }
        ))
    })
}

/// `GET /procedimiento`.
pub async fn procedure(
    State(workbench): State<Arc<Workbench>>,
    Query(choice): Query<Choice>,
) -> Result<Markup, PageError> {
    let set = match load(&workbench).await {
        Ok(set) => set,
        Err(error) => return Ok(page("Procedimiento", Section::Procedure, unusable(&error))),
    };
    let policy = chosen(&set, &choice.version)?;
    let id = policy.id();
    let source = workbench.settings.workspace.policies.clone();
    let calendars = {
        let source = source.clone();
        tokio::task::spawn_blocking(move || calendar_files(&source))
            .await
            .unwrap_or_default()
    };
    let comparison = if choice.anterior.is_empty() || choice.nueva.is_empty() {
        None
    } else {
        let (old, new) = (choice.anterior.clone(), choice.nueva.clone());
        Some(
            tokio::task::spawn_blocking(move || diff_text(&source, &old, &new))
                .await
                .unwrap_or_else(|_| {
                    Err(PageError::conflict(
                        "la comparación se interrumpió; vuelva a intentarlo",
                    ))
                }),
        )
    };
    let versions: Vec<String> = set.policies.iter().map(crate::policy::Policy::id).collect();
    let escaped = query_escape(&id);
    let body = html! {
        section aria-labelledby="documento-titulo" {
            h2 id="documento-titulo" { "Documento del procedimiento" }
            form method="get" action="/procedimiento" class="formulario en-linea" {
                div class="campo" {
                    label for="version" { "Versión" }
                    select id="version" name="version" {
                        @for version in &versions { option value=(version) selected[*version == id] { (version) } }
                    }
                }
                button type="submit" { "Mostrar" }
            }
            p class="descargas" {
                a href={ "/procedimiento/descargar?version=" (escaped) "&formato=md" } download { "Descargar en Markdown" }
                " · "
                a href={ "/procedimiento/descargar?version=" (escaped) "&formato=html" } download { "Descargar en HTML (para imprimir)" }
            }
            iframe class="documento" title={ "Documento del procedimiento " (id) } src={ "/procedimiento/documento?version=" (escaped) } {}
        }
        (comparison_form(&versions, &calendars, &choice, &id, comparison.as_ref()))
    };
    Ok(page("Procedimiento", Section::Procedure, body))
}

/// The policies cannot be loaded: say why and where to fix it.
fn unusable(error: &PageError) -> Markup {
    html! {
        div class="aviso error" role="alert" {
            p { strong { "error[" (error.code) "]" } " " (error.message) }
            p { "Ábralas en " a href=(Section::Edit.path()) { "Editar una política" } " para ver cada problema en su línea." }
        }
    }
}

/// «Comparar versiones»: two selects and, when both are chosen, the diff.
fn comparison_form(
    versions: &[String],
    calendars: &[String],
    choice: &Choice,
    shown: &str,
    comparison: Option<&Result<(String, bool), PageError>>,
) -> Markup {
    let default_old = versions
        .iter()
        .rev()
        .nth(1)
        .or(versions.first())
        .cloned()
        .unwrap_or_default();
    let default_new = versions.last().cloned().unwrap_or_default();
    let old = if choice.anterior.is_empty() {
        default_old
    } else {
        choice.anterior.clone()
    };
    let new = if choice.nueva.is_empty() {
        default_new
    } else {
        choice.nueva.clone()
    };
    let options = |selected: &str| {
        html! {
            optgroup label="Versiones del procedimiento" {
                @for version in versions { option value=(version) selected[version == selected] { (version) } }
            }
            @if !calendars.is_empty() {
                optgroup label="Calendarios (archivos)" {
                    @for file in calendars { option value=(file) selected[file == selected] { (file) } }
                }
            }
        }
    };
    html! {
        section aria-labelledby="comparar-titulo" {
            h2 id="comparar-titulo" { "Comparar versiones" }
            p { "Los cambios de fondo entre dos versiones (o dos calendarios), agrupados como se lee el procedimiento: lo mismo que " code { "pauta diff ANTERIOR NUEVA" } "." }
            form method="get" action="/procedimiento" class="formulario en-linea" {
                input type="hidden" name="version" value=(shown);
                div class="campo" {
                    label for="anterior" { "Versión anterior" }
                    select id="anterior" name="anterior" { (options(&old)) }
                }
                div class="campo" {
                    label for="nueva" { "Versión nueva" }
                    select id="nueva" name="nueva" { (options(&new)) }
                }
                button type="submit" { "Comparar" }
            }
            @if let Some(result) = comparison {
                div id="diferencias" role="status" aria-live="polite" {
                    @match result {
                        Ok((text, empty)) => {
                            @if *empty { p class="aviso bien" { strong { "Sin diferencias" } " de fondo entre las dos versiones elegidas." } }
                            pre class="diferencias" { (text) }
                        },
                        Err(error) => div class="aviso error" role="alert" {
                            p { strong { "error[" (error.code) "]" } " " (error.message) }
                        },
                    }
                }
            }
        }
    }
}

/// `pauta diff OLD NEW` over the workspace: a side ending in `.pauta` is a file of the policies
/// folder (by its relative path), anything else `CODE@VERSION`.
fn diff_text(source: &PolicySource, old: &str, new: &str) -> Result<(String, bool), PageError> {
    let mut loader = Loader::new(source.path().map(std::path::Path::to_path_buf));
    let mut side = |spec: &str| {
        let spec = if spec.to_ascii_lowercase().ends_with(".pauta") {
            resolve_file(source, spec)?.display().to_string()
        } else if spec.contains(['/', '\\', '%', ':']) || spec.trim().is_empty() {
            return Err(PageError::new(
                axum::http::StatusCode::BAD_REQUEST,
                "W015",
                format!(
                    "«{spec}» no es una versión (CÓDIGO@VERSIÓN, p. ej. M1-3-06@11) ni un archivo de la carpeta de políticas; elíjala de la lista"
                ),
            ));
        } else {
            spec.to_owned()
        };
        loader
            .load(&spec)
            .map_err(|error| PageError::from_library(&error, error.code()))
    };
    let old = side(old)?;
    let new = side(new)?;
    let diff = compare(&old, &new).map_err(|error| PageError::from_library(&error, error.code()))?;
    Ok((render::text(&diff), diff.is_empty()))
}

/// The rendered document of the chosen version (`pauta doc`), in `format`.
async fn document(
    workbench: &Workbench,
    version: &str,
    format: Format,
) -> Result<(String, String), PageError> {
    let set = load(workbench).await?;
    let policy = chosen(&set, version)?.clone();
    let id = policy.id();
    let text = tokio::task::spawn_blocking(move || render_document(&policy, &set, format))
        .await
        .map_err(|_| PageError::conflict("el documento no se pudo producir; vuelva a intentarlo"))?;
    Ok((id, text))
}

/// `GET /procedimiento/documento?version=…`: the HTML document alone, for the page's frame,
/// under the document policy (its own styles, no script).
pub async fn document_frame(
    State(workbench): State<Arc<Workbench>>,
    Query(choice): Query<Choice>,
) -> Result<Response, PageError> {
    let (_, html) = document(&workbench, &choice.version, Format::Html).await?;
    let mut response = html.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(DOCUMENT_POLICY),
    );
    Ok(response)
}

/// `GET /procedimiento/descargar?version=…&formato=md|html`: the document as a file.
pub async fn download(
    State(workbench): State<Arc<Workbench>>,
    Query(choice): Query<Choice>,
) -> Result<Response, PageError> {
    let (format, extension, media_type) = match choice.formato.as_str() {
        "html" => (Format::Html, "html", "text/html; charset=utf-8"),
        _ => (Format::Markdown, "md", "text/markdown; charset=utf-8"),
    };
    let (id, text) = document(&workbench, &choice.version, format).await?;
    let file_name: String = id
        .replace('@', "-v")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let mut response = crate::web::attachment::attachment(
        text.into_response(),
        media_type,
        &format!("{file_name}.{extension}"),
    );
    response.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(DOCUMENT_POLICY),
    );
    Ok(response)
}
