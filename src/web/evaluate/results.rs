//! The page of a finished evaluation: the missing-history warning, the summary (the figures
//! `pauta evaluate` prints), the downloads, the case table with its search, filters and pages,
//! and the rejected rows.

use maud::{Markup, html};

use super::job::{Evaluated, Job};
use super::table::{NONE, PAGE, Query, Row, Table};
use super::view::{case_link, moment};
use crate::cases::Outcome;
use crate::cases::run::MISSING_HISTORY_WARNING;
use crate::cases::sink::Form;
use crate::web::guard::query_escape;
use crate::web::layout::{Section, figure, page as layout_page};

/// The whole page.
pub fn page(job: &Job, evaluated: &Evaluated, query: &Query) -> Markup {
    let id = job.export.id;
    let body = html! {
        p { "Exportación: " strong { (job.export.label()) } " · fecha de corte " (moment(job.as_of)) " (hora de Bogotá)" }
        @if job.export.history.is_none() {
            div class="aviso" role="note" { p { strong { "Aviso:" } " " (MISSING_HISTORY_WARNING) } }
        }
        (summary(evaluated))
        (downloads(id, evaluated))
        @if evaluated.released {
            div class="aviso" role="note" {
                p { "La tabla de casos de esta evaluación ya no se conserva en memoria (se guardan las "
                    "de las últimas evaluaciones). Las descargas siguen disponibles; "
                    a href="/evaluar" { "suba la exportación de nuevo" } " para ver la tabla." }
            }
        } @else {
            (cases(id, &evaluated.table, query))
            (rejected(id, &evaluated.table, query))
        }
    };
    layout_page("Evaluación de la exportación", Section::Evaluate, body)
}

/// The summary: rows, outcomes, findings, rules, rejections and warnings, and the command
/// line's lines word for word.
fn summary(evaluated: &Evaluated) -> Markup {
    let summary = &evaluated.summary;
    let rows = &summary.rows;
    html! {
        section aria-labelledby="resumen" {
            h2 id="resumen" { "Resumen" }
            dl class="cifras" {
                (figure("Casos leídos", rows.cases_read))
                (figure("Casos evaluados", rows.cases_evaluated))
                (figure("Casos rechazados", rows.cases_rejected))
                @if summary.history_delimiter.is_some() {
                    (figure("Historial: filas leídas", rows.history_read))
                    (figure("Historial: filas usadas", rows.history_used))
                    (figure("Historial: filas rechazadas", rows.history_rejected))
                }
            }
            table {
                caption { "Casos por resultado" }
                thead { tr { th scope="col" { "Resultado" } th scope="col" class="numero" { "Casos" } } }
                tbody {
                    @for outcome in Outcome::ALL {
                        tr { th scope="row" { (outcome.label()) } td class="numero" { (summary.outcomes.get(&outcome).copied().unwrap_or(0)) } }
                    }
                }
            }
            @if !summary.findings.is_empty() {
                table {
                    caption { "Hallazgos" }
                    thead { tr { th scope="col" { "Código" } th scope="col" { "Significado" } th scope="col" class="numero" { "Casos" } } }
                    tbody {
                        @for (code, count) in &summary.findings {
                            tr { th scope="row" { (code.code()) } td { (code.meaning()) } td class="numero" { (count) } }
                        }
                    }
                }
            }
            @if !summary.rule_findings.is_empty() {
                table {
                    caption { "Reglas de la política incumplidas o sin evaluar" }
                    thead { tr { th scope="col" { "Regla" } th scope="col" class="numero" { "Casos" } } }
                    tbody {
                        @for (rule, count) in &summary.rule_findings {
                            tr { th scope="row" { (rule) } td class="numero" { (count) } }
                        }
                    }
                }
            }
            (rejections_and_warnings(evaluated))
        }
    }
}

/// Rejections by code, absent columns, the encoding note, and the summary's lines.
fn rejections_and_warnings(evaluated: &Evaluated) -> Markup {
    let summary = &evaluated.summary;
    html! {
        @if !summary.rejections.is_empty() {
            table {
                caption { "Filas rechazadas por motivo" }
                thead { tr { th scope="col" { "Código" } th scope="col" { "Significado" } th scope="col" class="numero" { "Filas" } } }
                tbody {
                    @for (code, count) in &summary.rejections {
                        tr { th scope="row" { (code.code()) } td { (code.meaning()) } td class="numero" { (count) } }
                    }
                }
            }
        }
        @if !summary.absent_columns.is_empty() {
            div class="aviso" role="note" {
                p { "Columnas opcionales que el archivo de casos no tiene:" }
                ul { @for absent in &summary.absent_columns { li { (absent) } } }
            }
        }
        @if let Some(note) = &summary.history_note {
            div class="aviso" role="note" { p { "Historial: " (note) } }
        }
        details {
            summary { "El resumen tal como lo escribe pauta evaluate" }
            pre class="resumen-texto" { @for line in summary.lines() { (line) "\n" } }
        }
    }
}

/// The links to the evaluation in every form and to the rejected rows.
fn downloads(id: u64, evaluated: &Evaluated) -> Markup {
    html! {
        section aria-labelledby="descargas" {
            h2 id="descargas" { "Descargas" }
            p class="nota" { "Cada descarga vuelve a evaluar la exportación con la misma fecha de corte: son los mismos bytes que " code { "pauta evaluate --format …" } "." }
            ul {
                @for form in Form::ALL {
                    li { a href={ "/evaluar/" (id) "/descargar/" (form.name()) } download { (form_label(form)) } }
                }
                @if evaluated.summary.rows.rejected() > 0 {
                    li { a href={ "/evaluar/" (id) "/rechazadas.csv" } download { "Filas rechazadas (CSV para Excel)" } }
                }
            }
        }
    }
}

/// How the page names a form.
fn form_label(form: Form) -> &'static str {
    match form {
        Form::Csv => "CSV para programas (csv)",
        Form::Json => "JSON por líneas (json)",
        Form::CsvExcel => "CSV para Excel en español (csv-excel)",
        Form::Xlsx => "Libro de Excel (xlsx)",
    }
}

/// The address of this evaluation's page with `query`'s filters and the pages given.
fn address(id: u64, query: &Query, page: usize, rejected_page: usize) -> String {
    let mut pairs: Vec<(&str, String)> = Vec::new();
    for (name, value) in [
        ("q", &query.q),
        ("resultado", &query.resultado),
        ("categoria", &query.categoria),
        ("hallazgo", &query.hallazgo),
    ] {
        if let Some(value) = Query::given(value.as_ref()) {
            pairs.push((name, query_escape(value)));
        }
    }
    if page > 1 {
        pairs.push(("pagina", page.to_string()));
    }
    if rejected_page > 1 {
        pairs.push(("rpagina", rejected_page.to_string()));
    }
    let joined: Vec<String> = pairs.iter().map(|(n, v)| format!("{n}={v}")).collect();
    if joined.is_empty() {
        format!("/evaluar/{id}")
    } else {
        format!("/evaluar/{id}?{}", joined.join("&"))
    }
}

/// The search and filter form.
fn filters(id: u64, table: &Table, query: &Query) -> Markup {
    let chosen = |field: &Option<String>, value: &str| Query::given(field.as_ref()) == Some(value);
    let mut categories: Vec<&str> = table.categories.iter().map(|c| &**c).collect();
    categories.sort_unstable();
    let mut findings: Vec<&str> = table.findings.iter().map(|f| &**f).collect();
    findings.sort_unstable();
    html! {
        form class="tarea filtros" method="get" action={ "/evaluar/" (id) } {
            div class="campo" {
                label for="q" { "Buscar por número de caso" }
                input type="search" id="q" name="q" value=(Query::given(query.q.as_ref()).unwrap_or(""));
            }
            div class="campo" {
                label for="resultado" { "Resultado" }
                select id="resultado" name="resultado" {
                    option value="" { "Todos" }
                    @for outcome in Outcome::ALL {
                        option value=(outcome.value()) selected[chosen(&query.resultado, outcome.value())] { (outcome.label()) }
                    }
                }
            }
            div class="campo" {
                label for="categoria" { "Categoría" }
                select id="categoria" name="categoria" {
                    option value="" { "Todas" }
                    @for category in categories {
                        option value=(category) selected[chosen(&query.categoria, category)] { (category) }
                    }
                }
            }
            div class="campo" {
                label for="hallazgo" { "Hallazgo" }
                select id="hallazgo" name="hallazgo" {
                    option value="" { "Todos" }
                    @for label in findings {
                        option value=(label) selected[chosen(&query.hallazgo, label)] { (label) }
                    }
                }
            }
            button type="submit" { "Filtrar" }
            " "
            a class="boton secundario" href={ "/evaluar/" (id) } { "Quitar filtros" }
        }
    }
}

/// The case table of the page asked for.
fn cases(id: u64, table: &Table, query: &Query) -> Markup {
    let selection = table.select(query);
    let rejected_page = Query::page(query.rpagina.as_ref());
    let shown = if selection.rows.is_empty() {
        format!("mostrando 0 de {}", selection.matching)
    } else {
        format!(
            "mostrando {}–{} de {}",
            selection.first + 1,
            selection.first + selection.rows.len(),
            selection.matching
        )
    };
    html! {
        section aria-labelledby="casos-titulo" {
            h2 id="casos-titulo" { "Casos" }
            (filters(id, table, query))
            p id="casos-conteo" role="status" { (shown) }
            table class="casos" {
                caption { "Casos evaluados (" (shown) "); el número de caso lleva a su explicación" }
                thead { tr {
                    th scope="col" { "Caso" } th scope="col" { "Categoría" } th scope="col" class="numero" { "Versión" }
                    th scope="col" { "Plazo" } th scope="col" { "Solución" } th scope="col" { "Resultado" }
                    th scope="col" class="numero" { "Días de retraso" } th scope="col" { "Hallazgos" }
                } }
                tbody { @for row in &selection.rows { (case_row(id, table, row)) } }
            }
            (pager("Páginas de casos", selection.page, selection.pages, |n| address(id, query, n, rejected_page)))
        }
    }
}

/// One case's row.
fn case_row(id: u64, table: &Table, row: &Row) -> Markup {
    let outcome = row.outcome();
    let class = match outcome {
        Outcome::Met => "resultado-cumplido",
        Outcome::Breached => "resultado-incumplido",
        Outcome::OpenOverdue => "resultado-vencido",
        Outcome::OpenOnTime | Outcome::Annulled => "",
    };
    let findings: Vec<&str> = table
        .finding_sets
        .get(row.findings as usize)
        .map_or(&[][..], |set| &set[..])
        .iter()
        .filter_map(|&i| table.findings.get(i as usize).map(|label| &**label))
        .collect();
    let category = table.categories.get(row.category as usize).map_or("", |c| &**c);
    html! {
        tr {
            th scope="row" { a href=(case_link(id, &row.id)) { (row.id) } }
            td { (category) }
            td class="numero" { (row.version) }
            td { (when(row.deadline)) }
            td { (when(row.solved)) }
            td class=(class) data-resultado=(outcome.value()) { (outcome.label()) }
            td class="numero" { (row.days_late) }
            td { (findings.join(" · ")) }
        }
    }
}

/// An instant for the table (`—` when there is none).
fn when(at: i64) -> String {
    if at == NONE { "—".to_owned() } else { moment(at) }
}

/// The rejected rows of the page asked for.
fn rejected(id: u64, table: &Table, query: &Query) -> Markup {
    if table.rejected.is_empty() {
        return html! {
            section aria-labelledby="rechazadas" {
                h2 id="rechazadas" { "Filas rechazadas" }
                p { "Ninguna: se usaron todas las filas." }
            }
        };
    }
    let pages = table.rejected.len().div_ceil(PAGE).max(1);
    let current = Query::page(query.rpagina.as_ref()).min(pages);
    let first = (current - 1) * PAGE;
    let rows = table.rejected.iter().skip(first).take(PAGE);
    let case_page = Query::page(query.pagina.as_ref());
    let shown = format!(
        "mostrando {}–{} de {}",
        first + 1,
        (first + PAGE).min(table.rejected.len()),
        table.rejected.len()
    );
    html! {
        section aria-labelledby="rechazadas" {
            h2 id="rechazadas" { "Filas rechazadas" }
            table {
                caption { "Filas no usadas y por qué (" (shown) ")" }
                thead { tr {
                    th scope="col" { "Archivo" } th scope="col" class="numero" { "Línea" } th scope="col" { "Caso" }
                    th scope="col" { "Código" } th scope="col" { "Significado" } th scope="col" { "Motivo" }
                } }
                tbody {
                    @for row in rows {
                        tr {
                            td { (row.file.label()) }
                            td class="numero" { (row.line) }
                            td { (row.case_id) }
                            th scope="row" { (row.code.code()) }
                            td { (row.code.meaning()) }
                            td { (row.reason) }
                        }
                    }
                }
            }
            (pager("Páginas de filas rechazadas", current, pages, |n| address(id, query, case_page, n)))
        }
    }
}

/// Links to the first, previous, nearby, next and last pages.
fn pager(label: &str, current: usize, pages: usize, link: impl Fn(usize) -> String) -> Markup {
    if pages <= 1 {
        return html! {};
    }
    let mut shown: Vec<usize> = vec![1, pages];
    shown.extend(current.saturating_sub(2).max(1)..=(current + 2).min(pages));
    shown.sort_unstable();
    shown.dedup();
    html! {
        nav class="paginas" aria-label=(label) {
            ul {
                @if current > 1 { li { a href=(link(current - 1)) rel="prev" { "Anterior" } } }
                @for n in shown {
                    li {
                        @if n == current {
                            a href=(link(n)) aria-current="page" { "Página " (n) }
                        } @else {
                            a href=(link(n)) { "Página " (n) }
                        }
                    }
                }
                @if current < pages { li { a href=(link(current + 1)) rel="next" { "Siguiente" } } }
            }
        }
    }
}
