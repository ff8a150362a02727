//! `/informe`: choosing the export to report on — one uploaded in this run (by any page), or a
//! new upload (cases required, history optional), which is registered for the other pages too.

use std::sync::Arc;

use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::Redirect;
use maud::{Markup, html};

use crate::web::PageError;
use crate::web::layout::{Section, page as layout_page};
use crate::web::state::{Export, Workbench};
use crate::web::upload;

/// `GET /informe`.
pub async fn page(State(workbench): State<Arc<Workbench>>) -> Markup {
    let exports = workbench.exports.newest_first();
    let body = html! {
        script src="/estatico/informe.js" defer {}
        p {
            "El informe mensual de control de ANS (sección 6 del procedimiento): la población de casos "
            "solucionados en un mes, la muestra aleatoria reproducible, el cumplimiento con su intervalo y "
            "la hoja de revisión. Es el mismo informe que escribe " code { "pauta report" } "."
        }
        @if !exports.is_empty() {
            section aria-labelledby="subidas" {
                h2 id="subidas" { "Usar una exportación ya subida" }
                form class="tarea" method="post" action="/informe" enctype="multipart/form-data" data-espera="Listando los meses de la exportación…" {
                    div class="campo" {
                        label for="exportacion" { "Exportación" }
                        select id="exportacion" name="exportacion" {
                            @for (id, export) in &exports {
                                option value=(id) { (export.label()) }
                            }
                        }
                        p class="ayuda" { "Las subidas de esta sesión, la más reciente primero." }
                    }
                    button type="submit" { "Ver sus meses" }
                    p class="estado-envio nota" role="status" aria-live="polite" {}
                }
            }
        }
        section aria-labelledby="subir" {
            h2 id="subir" { "Subir una exportación" }
            form class="tarea" method="post" action="/informe" enctype="multipart/form-data" {
                div class="campo zona-archivo" {
                    label for="casos" { "Archivo de casos (CSV exportado de Aranda, obligatorio)" }
                    input type="file" id="casos" name="casos" accept=".csv,.txt,text/csv" required;
                    p class="ayuda" { "Arrástrelo aquí o elíjalo con el botón." }
                }
                div class="campo zona-archivo" {
                    label for="historial" { "Archivo de historial de estados (CSV, opcional)" }
                    input type="file" id="historial" name="historial" accept=".csv,.txt,text/csv";
                    p class="ayuda" {
                        "Sin historial no se descuentan pausas ni se revisan transiciones: el cumplimiento cambia, "
                        "y el informe lo dice en Entradas y Método."
                    }
                }
                button type="submit" { "Subir y ver sus meses" }
                p class="estado-envio nota" role="status" aria-live="polite" {}
            }
        }
    };
    layout_page("Informe mensual", Section::Report, body)
}

/// `POST /informe`: a new upload (registered among the exports of this run) or the id of one
/// already uploaded; either leads to its months.
pub async fn submit(
    State(workbench): State<Arc<Workbench>>,
    multipart: Multipart,
) -> Result<Redirect, PageError> {
    let mut form = upload::receive(&workbench, multipart).await?;
    let Some(cases) = form.files.remove("casos") else {
        // No new file: the folder made for the upload is not needed.
        let _ = tokio::fs::remove_dir_all(&form.folder).await;
        if !form.files.is_empty() {
            return Err(PageError::new(
                StatusCode::BAD_REQUEST,
                "W013",
                "se subió un historial sin archivo de casos; elija también el archivo de casos",
            ));
        }
        let chosen = form.field("exportacion").unwrap_or_default().to_owned();
        let export = super::inputs::export(&workbench, &chosen)?;
        return Ok(Redirect::to(&format!("/informe/{}", export.id)));
    };
    let export = Export {
        id: form.id,
        cases,
        history: form.files.remove("historial"),
        uploaded_at: chrono::Local::now().format("%Y-%m-%d %H:%M:%S").to_string(),
    };
    for dropped in workbench.exports.push(form.id, Arc::new(export)) {
        if let Some(folder) = dropped.cases.path.parent() {
            let _ = tokio::fs::remove_dir_all(folder).await;
        }
    }
    Ok(Redirect::to(&format!("/informe/{}", form.id)))
}
