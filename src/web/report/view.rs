//! `/informe/{id}/{AAAA-MM}`: one month's report — its key figures from the `Report` value, the
//! warnings `pauta report` prints, the rejected rows to download, the document rendered by the
//! library in a frame, and every format to download.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};

use crate::report::Month;
use crate::report::format::{NO_RATE, capitalised, confidence, interval, percent};
use crate::web::PageError;
use crate::web::layout::{Section, figure, page as layout_page};
use crate::web::state::{Export, Workbench};

use super::cache::{self, Built};
use super::params::{self, Choices};

/// The downloads offered: the format's address segment and how the page names it.
pub const DOWNLOADS: [(&str, &str); 5] = [
    ("md", "Markdown (.md)"),
    ("html", "HTML para imprimir (.html)"),
    ("xlsx", "Libro de Excel con la hoja «Revisión» (.xlsx)"),
    ("csv", "CSV de la muestra (.csv)"),
    ("json", "JSON (.json)"),
];

/// What every address of a month's report reads: the export, the month and the choices, with
/// the generation date filled in (an address without one is sent, once, to the same address
/// with the current time, so the page, its frame and its downloads are the same report).
pub struct Asked {
    /// The export.
    pub export: Arc<Export>,
    /// The month.
    pub month: Month,
    /// The choices, the date filled in.
    pub choices: Choices,
}

impl Asked {
    /// Reads the address; `Err(Ok(redirect))` when the date must be filled in first.
    pub async fn read(
        workbench: &Arc<Workbench>,
        id: &str,
        month: &str,
        query: &params::Query,
        rest: &str,
    ) -> Result<Self, Result<Response, PageError>> {
        let export = super::inputs::export(workbench, id).map_err(Err)?;
        let month = Month::parse(month)
            .map_err(|error| {
                PageError::new(
                    axum::http::StatusCode::BAD_REQUEST,
                    error.code(),
                    error.to_string(),
                )
            })
            .map_err(Err)?;
        let mut choices = Choices::read(query).map_err(Err)?;
        if choices.generated.is_none() {
            choices.generated = Some(super::inputs::now_text(workbench.clone()).await.map_err(Err)?);
            let path = format!("/informe/{}/{}{rest}", export.id, month.key());
            return Err(Ok(Redirect::to(&choices.address(&path)).into_response()));
        }
        Ok(Self {
            export,
            month,
            choices,
        })
    }

    /// The address of this report, or of one of its parts (`/ver`, `/descargar/json`).
    pub fn address(&self, rest: &str) -> String {
        self.choices
            .address(&format!("/informe/{}/{}{rest}", self.export.id, self.month.key()))
    }
}

/// `GET /informe/{id}/{AAAA-MM}`.
pub async fn page(
    State(workbench): State<Arc<Workbench>>,
    Path((id, month)): Path<(String, String)>,
    Query(query): Query<params::Query>,
) -> Result<Response, PageError> {
    let asked = match Asked::read(&workbench, &id, &month, &query, "").await {
        Ok(asked) => asked,
        Err(answer) => return answer,
    };
    let title = format!("Informe de {}", asked.month.spanish());
    match cache::report(
        workbench.clone(),
        asked.export.clone(),
        asked.month,
        asked.choices.clone(),
    )
    .await
    {
        Ok(built) => Ok(layout_page(&title, Section::Report, body(&asked, &built)).into_response()),
        Err(error) => {
            let status = error.status;
            let page = layout_page(&title, Section::Report, refused(&asked, &error));
            Ok((status, page).into_response())
        }
    }
}

/// Why the report could not be produced, with the way back to the months.
fn refused(asked: &Asked, error: &PageError) -> Markup {
    html! {
        div class="aviso error" role="alert" {
            p { strong { "error[" (error.code) "]" } " " (error.message) }
        }
        p { a href={ "/informe/" (asked.export.id) } { "Volver a los meses de " (asked.export.cases.shown_name) } }
    }
}

/// The report's page: figures, warnings, downloads and the document.
fn body(asked: &Asked, built: &Built) -> Markup {
    let report = &built.report;
    html! {
        p {
            "Exportación: " strong { (asked.export.label()) } ". "
            a href={ "/informe/" (asked.export.id) } { "Elegir otro mes u otras opciones" }
        }
        section aria-labelledby="cifras" {
            h2 id="cifras" { "Cifras clave" }
            dl class="cifras" {
                (figure("Población (casos solucionados)", report.size.population))
                (figure("Tamaño de la muestra", report.size.size))
                @if let (Some(sample), Some(population)) = (&report.sample_compliance, &report.population_compliance) {
                    (figure("Cumplimiento en la muestra", percent(sample.rate)))
                    (figure(&format!("Intervalo (IC {}, Wilson)", confidence(report)), interval(sample)))
                    (figure("Cumplimiento de la población", percent(population.rate)))
                }
                (figure("Abiertos vencidos al cierre", report.overdue.len()))
            }
            @if report.sample_compliance.is_none() {
                p { (capitalised(NO_RATE)) "." }
            }
            p {
                "Semilla: " code { (report.seed) }
                @if report.seed_given { " (indicada)" } @else { " (derivada del procedimiento y el mes)" }
                ". Generado: " (crate::report::format::local(Some(report.generated_at))) " (hora de Bogotá)."
            }
        }
        (notices(asked, built))
        section aria-labelledby="descargas" {
            h2 id="descargas" { "Descargar" }
            p class="nota" {
                "Cada archivo es, byte a byte, el que escribe pauta report --month " (asked.month.key())
                " con la misma semilla, tamaño y fecha de generación sobre los mismos archivos."
            }
            ul {
                @for (format, label) in DOWNLOADS {
                    li { a href=(asked.address(&format!("/descargar/{format}"))) download { (label) } }
                }
            }
        }
        section aria-labelledby="documento" {
            h2 id="documento" { "El informe" }
            iframe class="documento" title=(crate::report::format::title(report)) src=(asked.address("/ver")) {}
        }
    }
}

/// The warnings of `pauta report` and the rejected rows, when there are.
fn notices(asked: &Asked, built: &Built) -> Markup {
    let report = &built.report;
    html! {
        @if !built.warnings.is_empty() || built.rejected.is_some() {
            section aria-labelledby="avisos" {
                h2 id="avisos" { "Avisos" }
                div class="aviso" role="status" {
                    @for warning in &built.warnings {
                        p { strong { "aviso:" } " " (warning) }
                    }
                    @if built.rejected.is_some() {
                        p {
                            "Se rechazaron " (built.rejected_rows) " filas, que no entran en el informe. Casos: "
                            (report.rows.cases_in_words()) "."
                            @if report.rows.history_read > 0 { " Historial: " (report.rows.history_in_words()) "." }
                        }
                        p { a href=(asked.address("/rechazadas")) download { "Descargar las filas rechazadas (CSV)" } }
                    }
                }
            }
        }
    }
}
