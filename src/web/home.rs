//! «Inicio»: which policies the workbench uses and why (the command line's workspace rule),
//! their versions and calendars, and where to go next.

use std::sync::Arc;

use axum::extract::State;
use maud::{Markup, html};

use super::PageError;
use super::layout::{Section, page};
use super::state::Workbench;
use crate::codes::Coded;

/// `GET /`.
pub async fn home(State(workbench): State<Arc<Workbench>>) -> Result<Markup, PageError> {
    let workspace = &workbench.settings.workspace;
    let describe = workspace.policies.clone();
    let described = tokio::task::spawn_blocking(move || describe.describe())
        .await
        .unwrap_or_default();
    let loaded = workspace.policies.load();
    let body = html! {
        section aria-labelledby="en-uso" {
            h2 id="en-uso" { "Políticas en uso" }
            p class="fuente" { (described) }
            p class="nota" {
                "Es la misma regla de la línea de órdenes: la carpeta indicada con --policies al iniciar, o "
                "la de pauta.toml o policies/ del directorio de trabajo; si no hay, las incluidas en pauta."
            }
            @match &loaded {
                Ok(set) => {
                    h3 { "Versiones" }
                    table {
                        caption { "Versiones de procedimiento cargadas" }
                        thead { tr { th scope="col" { "Procedimiento" } th scope="col" { "Nombre" } th scope="col" { "Versión" } th scope="col" { "Vigente desde" } th scope="col" { "Calendario" } th scope="col" { "Documento" } } }
                        tbody {
                            @for policy in &set.policies {
                                tr {
                                    td { (policy.code) }
                                    td { (policy.name) }
                                    td { (policy.version) }
                                    td { (policy.effective_from.format("%Y-%m-%d").to_string()) }
                                    td { (policy.calendar) }
                                    td { a href={ "/procedimiento?version=" (policy.id()) } { "Ver " (policy.id()) } }
                                }
                            }
                        }
                    }
                    h3 { "Calendarios" }
                    table {
                        caption { "Calendarios de días hábiles cargados" }
                        thead { tr { th scope="col" { "Calendario" } th scope="col" { "Zona horaria" } th scope="col" { "Años" } th scope="col" { "Festivos y cierres" } } }
                        tbody {
                            @for calendar in &set.calendars {
                                tr {
                                    td { (calendar.name) }
                                    td { (calendar.zone) }
                                    td { (calendar.first_year) "–" (calendar.last_year.map_or_else(|| "sin fin".to_owned(), |y| y.to_string())) }
                                    td { (calendar.rules.len()) " reglas" }
                                }
                            }
                        }
                    }
                }
                Err(error) => {
                    div class="aviso error" role="alert" {
                        p { strong { "error[" (error.code()) "]" } " " (error.to_string()) }
                        p { "Ábralas en " a href=(Section::Edit.path()) { "Editar una política" } " para ver cada problema en su línea." }
                    }
                }
            }
        }
        section aria-labelledby="que-hacer" {
            h2 id="que-hacer" { "¿Qué desea hacer?" }
            ul class="tarjetas" {
                li { a href=(Section::Evaluate.path()) { "Evaluar una exportación de Aranda" } " — el ANS de cada caso, sus hallazgos y las filas rechazadas." }
                li { a href=(Section::Report.path()) { "Producir el informe mensual" } " — la muestra aleatoria reproducible y la hoja de revisión." }
                li { a href=(Section::Procedure.path()) { "Leer el procedimiento" } " — el documento de una versión y las diferencias entre dos." }
                li { a href=(Section::Edit.path()) { "Editar una política" } " — con sus problemas señalados mientras escribe." }
                li { a href=(Section::Pieces.path()) { "Revisar piezas" } " — banners, listas SMS y documentos antes de publicarlos." }
            }
        }
        (recent_evaluations(&workbench))
    };
    Ok(page("Inicio", Section::Home, body))
}

/// The exports evaluated in this run, newest first, with their state and counts.
fn recent_evaluations(workbench: &Workbench) -> Markup {
    super::evaluate::recent(workbench)
}
