//! `GET /politicas/editar?archivo=…`: the editor of one policy file — a labelled textarea with
//! a line-number gutter, the problems panel, and the buttons «Revisar», «Dar formato»,
//! «Comparar con la versión vigente» and «Guardar». `editor.js` calls the JSON routes as the
//! user types; without script, the buttons post the form (`POST` to the same address) and the
//! page comes back with the result.

use std::sync::Arc;

use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use maud::{Markup, html};
use serde::Deserialize;

use super::api::impact_input;
use super::work::{self, Refusal, Review};
use super::{Opened, editor_address, open_file};
use crate::policy::{Located, Severity};
use crate::web::PageError;
use crate::web::layout::{Section, page};
use crate::web::state::Workbench;

/// `?archivo=`.
#[derive(Debug, Deserialize)]
pub struct Address {
    /// The file, relative to the policies folder.
    #[serde(default)]
    archivo: String,
}

/// The editor's form, posted without script.
#[derive(Debug, Deserialize)]
pub struct EditForm {
    #[serde(default)]
    texto: String,
    #[serde(default)]
    huella: String,
    #[serde(default)]
    accion: String,
    #[serde(default)]
    exportacion: String,
    #[serde(default)]
    corte: String,
}

/// What an action left to show under the editor.
enum Outcome {
    /// Nothing asked yet.
    None,
    /// A notice (saved, formatted…).
    Done(String),
    /// A diff's text.
    Diff(String, bool),
    /// A refusal.
    Refused(PageError),
}

/// Everything the page shows.
struct View {
    archivo: String,
    editable: bool,
    text: String,
    huella: String,
    review: Review,
    outcome: Outcome,
    exports: Vec<(u64, String)>,
    chosen_export: String,
    corte: String,
}

/// `GET /politicas/editar?archivo=…`.
pub async fn edit(
    State(workbench): State<Arc<Workbench>>,
    Query(address): Query<Address>,
) -> Result<Markup, PageError> {
    let view = blocking(workbench, address.archivo, None).await?;
    Ok(render(&view))
}

/// `POST /politicas/editar?archivo=…`: the form's buttons, without script.
pub async fn edit_form(
    State(workbench): State<Arc<Workbench>>,
    Query(address): Query<Address>,
    Form(form): Form<EditForm>,
) -> Result<(StatusCode, Markup), PageError> {
    let view = blocking(workbench, address.archivo, Some(form)).await?;
    let status = match &view.outcome {
        Outcome::Refused(error) => error.status,
        _ => StatusCode::OK,
    };
    Ok((status, render(&view)))
}

async fn blocking(
    workbench: Arc<Workbench>,
    archivo: String,
    form: Option<EditForm>,
) -> Result<View, PageError> {
    tokio::task::spawn_blocking(move || {
        let opened = open_file(&workbench, &archivo)?;
        prepare(&workbench, &archivo, opened, form)
    })
    .await
    .unwrap_or_else(|_| {
        Err(PageError::conflict(
            "la operación se interrumpió; vuelva a cargar la página",
        ))
    })
}

/// Opens the file and, with a posted form, does what its button asked.
fn prepare(
    workbench: &Workbench,
    archivo: &str,
    opened: Opened,
    form: Option<EditForm>,
) -> Result<View, PageError> {
    let (saved_text, saved_hash) = work::saved(&opened.target, &opened.sources)?;
    let exports = workbench
        .exports
        .newest_first()
        .into_iter()
        .map(|(id, export)| (id, export.label()))
        .collect();
    let mut view = View {
        archivo: archivo.to_owned(),
        editable: saved_hash.is_some(),
        text: saved_text,
        huella: saved_hash.unwrap_or_default(),
        review: Review::default(),
        outcome: Outcome::None,
        exports,
        chosen_export: String::new(),
        corte: String::new(),
    };
    if let Some(form) = form {
        let text = form.texto.replace("\r\n", "\n");
        view.chosen_export = form.exportacion.clone();
        view.corte = form.corte.clone();
        view.huella = form.huella.clone();
        let done: Result<Outcome, Refusal> = match form.accion.as_str() {
            "formatear" => work::format(&opened.sources, &opened.target, &text).map(|formatted| {
                view.text = formatted;
                Outcome::Done("Formato aplicado al texto (aún sin guardar).".to_owned())
            }),
            "comparar" => impact_input(workbench, &form.exportacion, &form.corte)
                .map_err(Refusal::from)
                .and_then(|input| {
                    work::compare_text(
                        &workbench.settings.workspace.policies,
                        &opened.target,
                        &text,
                        input,
                    )
                })
                .map(|diff| Outcome::Diff(crate::diff::render::text(&diff), diff.is_empty())),
            "guardar" => work::save(&opened.sources, &opened.target, &text, &form.huella).map(|huella| {
                view.huella = huella;
                Outcome::Done(format!("«{archivo}» guardado."))
            }),
            _ => Ok(Outcome::None),
        };
        if !matches!(form.accion.as_str(), "formatear") || done.is_err() {
            view.text = text;
        }
        view.outcome = done.unwrap_or_else(|refusal| Outcome::Refused(refusal.error));
    }
    view.review = work::review(&opened.sources, opened.target.name(), &view.text);
    Ok(view)
}

/// The whole page.
fn render(view: &View) -> Markup {
    let lines_with_errors: Vec<usize> = view.review.file.iter().map(|d| d.line).collect();
    let line_count = view.text.split('\n').count().max(1);
    let body = html! {
        p { a href="/politicas" { "← Volver a la lista de archivos" } }
        @if !view.editable {
            div class="aviso" role="note" {
                p { strong { "Solo lectura." } " Es una de las políticas incluidas en pauta: se muestra y se revisa, pero no se guarda. Vea en " a href="/politicas" { "Editar una política" } " cómo tener una carpeta editable." }
            }
        }
        form method="post" action=(editor_address(&view.archivo)) id="editor" class="editor-politica" data-archivo=(view.archivo) data-editable=(if view.editable { "si" } else { "no" }) {
            input type="hidden" name="huella" id="huella" value=(view.huella);
            label for="texto" class="etiqueta-editor" { "Texto de " (view.archivo) }
            p id="ayuda-editor" class="nota" { "Los problemas se revisan mientras escribe y se listan debajo, en «Problemas»; elija uno para ir a su línea y columna. La tecla Tab pasa al control siguiente (sangre con espacios)." }
            div class="editor-marco" {
                pre class="numeros" id="numeros" aria-hidden="true" {
                    @for line in 1..=line_count {
                        span class={ "linea" @if lines_with_errors.contains(&line) { " marcada" } } data-linea=(line) { (line) "\n" }
                    }
                }
                @if view.editable {
                    textarea id="texto" name="texto" spellcheck="false" autocapitalize="off" autocomplete="off" wrap="off" rows="30" aria-describedby="ayuda-editor" { "\n" (view.text) }
                } @else {
                    textarea id="texto" name="texto" spellcheck="false" wrap="off" rows="30" readonly aria-describedby="ayuda-editor" { "\n" (view.text) }
                }
            }
            (buttons(view))
        }
        (diagnostics(&view.review))
        (outcome(&view.outcome))
        script src="/estatico/editor.js" defer {}
    };
    page(&format!("Editar {}", view.archivo), Section::Edit, body)
}

/// The action buttons and the comparison's export.
fn buttons(view: &View) -> Markup {
    html! {
        div class="acciones" {
            button type="submit" name="accion" value="revisar" { "Revisar" }
            @if view.editable {
                button type="submit" name="accion" value="formatear" { "Dar formato" }
                button type="submit" name="accion" value="comparar" { "Comparar con la versión vigente" }
                button type="submit" name="accion" value="guardar" class="principal" { "Guardar" }
            }
        }
        @if view.editable {
            details class="impacto" open[!view.exports.is_empty()] {
                summary { "Impacto en una exportación (opcional, al comparar)" }
                @if view.exports.is_empty() {
                    p { "Aún no se ha subido ninguna exportación en esta sesión; súbala en " a href="/evaluar" { "Evaluar una exportación" } " para ver aquí qué casos cambiarían con el texto editado." }
                } @else {
                    div class="campo" {
                        label for="exportacion" { "Exportación subida" }
                        select id="exportacion" name="exportacion" {
                            option value="ninguna" selected[view.chosen_export == "ninguna"] { "Ninguna (solo los cambios de fondo)" }
                            @for (index, (id, label)) in view.exports.iter().enumerate() {
                                @let value = id.to_string();
                                // The newest is chosen until the user picks another.
                                option value=(value) selected[view.chosen_export == value || (index == 0 && view.chosen_export.is_empty())] { (label) }
                            }
                        }
                    }
                    div class="campo" {
                        label for="corte" { "Fecha de corte (AAAA-MM-DD HH:MM:SS, hora de Bogotá; vacía: ahora)" }
                        input id="corte" name="corte" type="text" value=(view.corte) inputmode="numeric";
                    }
                }
            }
        }
    }
}

/// The problems panel: a summary and one entry per diagnostic (a button that goes to its
/// line and column with script).
fn diagnostics(review: &Review) -> Markup {
    let errors = review.count(Severity::Error);
    let warnings = review.count(Severity::Warning);
    html! {
        section aria-labelledby="problemas" {
            h2 id="problemas" { "Problemas" }
            div id="diagnosticos" role="status" aria-live="polite" {
                p class="resumen" {
                    @if errors + warnings == 0 { "Sin problemas: el texto no tiene errores ni avisos." }
                    @else { (errors) " error(es), " (warnings) " aviso(s) en este archivo." }
                }
                @if !review.file.is_empty() {
                    ul class="diagnosticos" {
                        @for diagnostic in &review.file { li { (entry(diagnostic)) } }
                    }
                }
                @if review.other_errors() > 0 {
                    p class="nota" { "Otros archivos de la carpeta tienen " (review.other_errors()) " error(es):" }
                    ul class="diagnosticos otros" {
                        @for diagnostic in review.others.iter().filter(|d| d.severity == Severity::Error) {
                            li { (diagnostic.file) ":" (diagnostic.line) ":" (diagnostic.column) " " (diagnostic.severity.label()) "[" (diagnostic.code) "] " (diagnostic.message) }
                        }
                    }
                }
            }
        }
    }
}

/// One diagnostic of the edited file.
fn entry(diagnostic: &Located) -> Markup {
    html! {
        button type="button" class={ "ir " (diagnostic.severity.label()) } data-linea=(diagnostic.line) data-columna=(diagnostic.column) {
            "Línea " (diagnostic.line) ", columna " (diagnostic.column) ": "
            strong { (diagnostic.severity.label()) "[" (diagnostic.code) "]" } " " (diagnostic.message)
        }
        @if let Some(help) = &diagnostic.help { p class="ayuda" { "Ayuda: " (help) } }
    }
}

/// The result of the last action.
fn outcome(outcome: &Outcome) -> Markup {
    html! {
        section aria-labelledby="resultado-titulo" {
            h2 id="resultado-titulo" { "Resultado" }
            div id="resultado" role="status" aria-live="polite" {
                @match outcome {
                    Outcome::None => p { "Use los botones de arriba para dar formato, comparar con la versión vigente o guardar." },
                    Outcome::Done(message) => p class="aviso bien" { (message) },
                    Outcome::Diff(text, empty) => {
                        @if *empty { p class="aviso bien" { strong { "Sin diferencias de fondo" } " con la versión en disco." } }
                        pre class="diferencias" { (text) }
                    },
                    Outcome::Refused(error) => div class="aviso error" role="alert" {
                        p { strong { "error[" (error.code) "]" } " " (error.message) }
                    },
                }
            }
        }
    }
}
