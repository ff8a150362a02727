//! `/informe/{id}`: the months an export covers, as `pauta report --meses` lists them (solved
//! cases, the month's population, and open cases overdue at its close), each one selectable,
//! with the seed, the sample size and the generation date of the report to produce.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};

use crate::report::Month;
use crate::report::months::NO_MONTHS;
use crate::web::PageError;
use crate::web::layout::{Section, page as layout_page};
use crate::web::state::Export;
use crate::web::state::Workbench;

use super::cache::{self, Listed};
use super::params::{self, Choices};

/// `GET /informe/{id}`; with `?mes=AAAA-MM` (the form below), the address of that month's report.
pub async fn page(
    State(workbench): State<Arc<Workbench>>,
    Path(id): Path<String>,
    Query(query): Query<params::Query>,
) -> Result<Response, PageError> {
    let export = super::inputs::export(&workbench, &id)?;
    if let Some(month) = query.mes.as_deref() {
        let month = Month::parse(month)
            .map_err(|error| PageError::new(StatusCode::BAD_REQUEST, error.code(), error.to_string()))?;
        let choices = Choices::read(&query)?;
        let address = choices.address(&format!("/informe/{}/{}", export.id, month.key()));
        return Ok(Redirect::to(&address).into_response());
    }
    let title = format!("Informe mensual · {}", export.cases.shown_name);
    match cache::months(workbench.clone(), export.clone()).await {
        Ok(listed) => Ok(layout_page(&title, Section::Report, body(&export, &listed)).into_response()),
        Err(error) => {
            let refused = html! {
                p { "Exportación: " strong { (export.label()) } "." }
                div class="aviso error" role="alert" {
                    p { strong { "error[" (error.code) "]" } " " (error.message) }
                }
                p { a href="/informe" { "Elegir o subir otra exportación" } }
            };
            Ok((error.status, layout_page(&title, Section::Report, refused)).into_response())
        }
    }
}

/// The page's body: the export, its months to choose from, and the report's choices.
fn body(export: &Export, listed: &Listed) -> Markup {
    let chosen = default_month(listed);
    let seed_example = listed
        .procedures
        .first()
        .map_or_else(|| "M1-3-06:AAAA-MM".to_owned(), |code| format!("{code}:AAAA-MM"));
    html! {
        p { "Exportación: " strong { (export.label()) } ". " a href="/informe" { "Elegir otra" } }
        p class="nota" {
            "Subida el " (export.uploaded_at) " (" (export.cases.bytes) " bytes de casos"
            @if let Some(history) = &export.history { ", " (history.bytes) " de historial" }
            "). casos: " (listed.cases_in_words)
        }
        @if export.history.is_none() {
            div class="aviso" role="status" {
                p {
                    "Esta exportación no tiene historial: el informe se genera sin él (como " code { "pauta report --sin-historial" } "), "
                    "no se descuentan pausas ni se revisan transiciones, y el cumplimiento cambia. El informe lo dice en Entradas y Método."
                }
            }
        }
        @if listed.rows.is_empty() {
            div class="aviso" role="status" { p { (NO_MONTHS.trim_end()) } }
        } @else {
            script src="/estatico/informe.js" defer {}
            form class="tarea" method="get" action={ "/informe/" (export.id) } data-espera="Produciendo el informe; en una exportación grande tarda unos segundos…" {
                table {
                    caption { "Meses que cubre la exportación (los de " code { "pauta report --meses" } ")" }
                    thead {
                        tr {
                            th scope="col" { "Mes" }
                            th scope="col" class="numero" { "Solucionados (población)" }
                            th scope="col" class="numero" { "Abiertos vencidos al cierre" }
                        }
                    }
                    tbody {
                        @for row in &listed.rows {
                            tr id={ "fila-" (row.month.key()) } {
                                th scope="row" {
                                    input type="radio" name="mes" id={ "mes-" (row.month.key()) } value=(row.month.key()) checked[Some(row.month) == chosen];
                                    " "
                                    label for={ "mes-" (row.month.key()) } { (row.month.spanish()) " (" (row.month.key()) ")" }
                                }
                                td class="numero" { (row.solved) }
                                td class="numero" { (row.overdue) }
                            }
                        }
                    }
                }
                (choices_fields(&seed_example))
                button type="submit" { "Producir el informe" }
                p class="estado-envio nota" role="status" aria-live="polite" {}
            }
        }
    }
}

/// The fields of the report's choices, with the command line's defaults said.
fn choices_fields(seed_example: &str) -> Markup {
    html! {
        div class="campo" {
            label for="semilla" { "Semilla de la selección" }
            input type="text" id="semilla" name="semilla" maxlength="500" aria-describedby="semilla-ayuda";
            p class="ayuda" id="semilla-ayuda" {
                "Vacía: la del procedimiento y el mes, «" (seed_example) "» (como pauta report sin --seed). "
                "La misma semilla da siempre la misma muestra."
            }
        }
        div class="campo" {
            label for="tamano" { "Tamaño de la muestra (opcional)" }
            input type="number" id="tamano" name="tamano" min="1" step="1" inputmode="numeric" aria-describedby="tamano-ayuda";
            p class="ayuda" id="tamano-ayuda" { "Vacío: el que da el bloque muestreo de la política (como pauta report sin --size)." }
        }
        div class="campo" {
            label for="generado" { "Fecha de generación (opcional)" }
            input type="text" id="generado" name="generado" placeholder="AAAA-MM-DD HH:MM:SS" aria-describedby="generado-ayuda";
            p class="ayuda" id="generado-ayuda" {
                "Hora de Bogotá, 'AAAA-MM-DD HH:MM:SS'. Vacía: ahora. Fíjela para obtener exactamente el mismo archivo dos veces."
            }
        }
    }
}

/// The month checked at first: the command line's default (the month before today) when the
/// export covers it, else the latest month with something to report, else the latest.
fn default_month(listed: &Listed) -> Option<Month> {
    listed
        .rows
        .iter()
        .find(|row| Some(row.month) == listed.default_month)
        .or_else(|| {
            listed
                .rows
                .iter()
                .rev()
                .find(|row| row.solved > 0 || row.overdue > 0)
        })
        .or_else(|| listed.rows.last())
        .map(|row| row.month)
}
