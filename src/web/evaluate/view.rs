//! The pages of an evaluation other than its results: the form, the progress, the failure, one
//! case's explanation, and the list of the exports evaluated in this run.

use maud::{Markup, html};

use super::job::{Job, State as JobState};
use crate::cases::explain_case::Explained;
use crate::web::PageError;
use crate::web::guard::query_escape;
use crate::web::layout::{Section, page};
use crate::web::state::Workbench;

/// An instant (local time) as `AAAA-MM-DD HH:MM:SS`.
pub fn moment(at: i64) -> String {
    crate::calendar::clock::naive_of(at)
        .map_or_else(String::new, |m| m.format("%Y-%m-%d %H:%M:%S").to_string())
}

/// A size in megabytes with a decimal comma (`208,3 MB`).
fn megabytes(bytes: u64) -> String {
    let tenths = bytes.saturating_add(50_000) / 100_000;
    format!("{},{} MB", tenths / 10, tenths % 10)
}

/// The form, with `error` above it when the last one was refused.
pub fn form_page(workbench: &Workbench, error: Option<&PageError>) -> Markup {
    let body = html! {
        @if let Some(error) = error {
            div class="aviso error" role="alert" {
                p { strong { "error[" (error.code) "]" } " " (error.message) }
            }
        }
        p {
            "Suba la exportación de Aranda: pauta evalúa el ANS de cada caso con las políticas en uso, "
            "como " code { "pauta evaluate" } ", y muestra el resumen, los casos, sus hallazgos y las filas rechazadas."
        }
        form class="tarea" method="post" action="/evaluar" enctype="multipart/form-data" {
            div class="campo" {
                label for="casos" class="zona-archivo" {
                    "Archivo de casos (CSV exportado de Aranda)"
                    input type="file" id="casos" name="casos" accept=".csv,.txt,text/csv" required aria-describedby="casos-ayuda";
                }
                p class="ayuda" id="casos-ayuda" { "Arrástrelo aquí o elíjalo. Se lee en UTF-8 o Windows-1252, con «,» o «;», como en la línea de órdenes." }
            }
            div class="campo" {
                label for="historial" class="zona-archivo" {
                    "Historial de estados (CSV, opcional)"
                    input type="file" id="historial" name="historial" accept=".csv,.txt,text/csv" aria-describedby="historial-ayuda";
                }
                p class="ayuda" id="historial-ayuda" { "Sin él no se descuentan pausas ni se revisan las transiciones." }
            }
            div class="campo" {
                label for="corte" { "Fecha de corte" }
                input type="text" id="corte" name="corte" placeholder="AAAA-MM-DD HH:MM:SS" aria-describedby="corte-ayuda" autocomplete="off";
                p class="ayuda" id="corte-ayuda" { "Hora de Bogotá, como 2024-06-30 23:59:59. Vacía: ahora (como --as-of en la línea de órdenes)." }
            }
            button type="submit" { "Evaluar" }
        }
        (recent(workbench))
    };
    page("Evaluar una exportación", Section::Evaluate, body)
}

/// The progress of a running evaluation; it reloads itself (every 2 s without script; the
/// script polls the API and reloads when done).
pub fn running_page(job: &Job) -> Markup {
    let done = job.done.load(std::sync::atomic::Ordering::Relaxed);
    let total = job.total.max(done).max(1);
    let body = html! {
        noscript { meta http-equiv="refresh" content="2"; }
        p { "Exportación: " strong { (job.export.label()) } " · fecha de corte " (moment(job.as_of)) }
        p class="nota" {
            "Archivo de casos: " (megabytes(job.export.cases.bytes))
            @if let Some(history) = &job.export.history { "; historial: " (megabytes(history.bytes)) }
            "."
        }
        div class="campo" {
            label for="progreso" { "Casos evaluados" }
            progress id="progreso" max=(total) value=(done) data-api={ "/api/evaluaciones/" (job.export.id) } { (done) " de " (total) }
        }
        p id="progreso-texto" role="status" aria-live="polite" {
            "Evaluando: " (done) " de unos " (total) " casos. La página se actualiza sola."
        }
        p { a href={ "/evaluar/" (job.export.id) } { "Actualizar ahora" } }
        script src="/estatico/evaluar.js" defer {}
    };
    page("Evaluando la exportación", Section::Evaluate, body)
}

/// An evaluation the library stopped: its own code and message.
pub fn failed_page(job: &Job, error: &PageError) -> Markup {
    let body = html! {
        p { "Exportación: " strong { (job.export.label()) } }
        div class="aviso error" role="alert" {
            p { strong { "error[" (error.code) "]" } " " (error.message) }
        }
        p { "Corrija el archivo y " a href="/evaluar" { "vuelva a subirlo" } "; " code { "pauta codes " (error.code) } " explica el código." }
    };
    page("La evaluación no se pudo completar", Section::Evaluate, body)
}

/// One case's explanation.
pub fn case_page(job: &Job, case_id: &str, explained: &Explained) -> Markup {
    let title = format!("Caso {case_id}");
    let body = html! {
        p { "Exportación: " (job.export.label()) " · fecha de corte " (moment(job.as_of)) }
        @if let Explained::Rejected(_) = explained {
            div class="aviso" role="note" { p { "Este caso no se evaluó: todas sus filas fueron rechazadas." } }
        }
        h2 { "Explicación paso a paso" }
        pre class="explicacion" { (explained.text()) }
        p { a href={ "/evaluar/" (job.export.id) } { "Volver a la evaluación" } }
    };
    page(&title, Section::Evaluate, body)
}

/// The exports evaluated in this run, newest first.
pub fn recent(workbench: &Workbench) -> Markup {
    let jobs = workbench.evaluations.newest_first();
    html! {
        section aria-labelledby="recientes" {
            h2 id="recientes" { "Exportaciones evaluadas en esta sesión" }
            @if jobs.is_empty() {
                p { "Aún no se ha evaluado ninguna exportación desde que se inició pauta web." }
            } @else {
                ul class="tarjetas" {
                    @for (id, job) in &jobs {
                        li {
                            a href={ "/evaluar/" (id) } { (job.export.label()) }
                            " — subida " (job.export.uploaded_at) ", corte " (moment(job.as_of)) ": "
                            (state_in_words(job))
                        }
                    }
                }
            }
        }
    }
}

/// A job's state and counts, in words.
fn state_in_words(job: &Job) -> String {
    match job.state() {
        JobState::Running => format!(
            "en curso ({} casos evaluados)",
            job.done.load(std::sync::atomic::Ordering::Relaxed)
        ),
        JobState::Done(evaluated) => format!("lista; casos {}", evaluated.summary.rows.cases_in_words()),
        JobState::Failed(error) => format!("fallida: error[{}]", error.code),
    }
}

/// The address of case `id`'s explanation in evaluation `job`.
pub fn case_link(job: u64, id: &str) -> String {
    format!("/evaluar/{job}/caso/{}", query_escape(id))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::web::state::Export;
    use crate::web::upload::Received;

    #[test]
    fn the_progress_page_reloads_itself_with_or_without_script() {
        let export = Export {
            id: 7,
            cases: Received {
                path: "/tmp/x/casos.csv".into(),
                shown_name: "junio <b>.csv".into(),
                bytes: 208_258_109,
            },
            history: None,
            uploaded_at: "2024-07-01 08:00:00".into(),
        };
        let job = Job::new(Arc::new(export), 0, 1_000_000);
        job.done.store(250_000, std::sync::atomic::Ordering::Relaxed);
        let page = running_page(&job).into_string();
        assert!(page.contains("<noscript><meta http-equiv=\"refresh\" content=\"2\"></noscript>"));
        assert!(page.contains(
            "<progress id=\"progreso\" max=\"1000000\" value=\"250000\" data-api=\"/api/evaluaciones/7\">"
        ));
        assert!(page.contains("<label for=\"progreso\">"));
        assert!(page.contains("role=\"status\""));
        assert!(page.contains("src=\"/estatico/evaluar.js\""));
        assert!(page.contains("208,3 MB") && page.contains("junio &lt;b&gt;.csv"));
        assert_eq!(megabytes(0), "0,0 MB");
        assert_eq!(megabytes(1_950_000), "2,0 MB");
    }
}
