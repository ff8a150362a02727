//! `POST /piezas/documento`: a PDF or xlsx reviewed and cleaned as `pauta document check
//! --scrub` does; the page shows the findings of the original, those of the cleaned copy, and
//! the copy to download.

use std::sync::Arc;

use axum::extract::{Multipart, State};
use maud::{Markup, html};

use super::report::{self, Layout};
use super::{
    Download, Kind, Piece, asset_error, blocking, chosen_policy, discard, relabel, remember, required_file,
};
use crate::assets::document::{DocumentReport, Kind as Format};
use crate::assets::grouped;
use crate::assets::review::review_document;
use crate::web::PageError;
use crate::web::layout::{Section, figure, page};
use crate::web::state::Workbench;
use crate::web::upload::Form;

/// `POST /piezas/documento`.
pub async fn check(
    State(workbench): State<Arc<Workbench>>,
    multipart: Multipart,
) -> Result<Markup, PageError> {
    let form = crate::web::upload::receive(&workbench, multipart).await?;
    let folder = form.folder.clone();
    discard(&folder, review(workbench, form).await)
}

/// The review of the piece received in `form`, and its page.
async fn review(workbench: Arc<Workbench>, form: Form) -> Result<Markup, PageError> {
    let file = required_file(&form, "documento", "el documento (PDF o xlsx)")?;
    let requested = form.field("politica").map(str::to_owned);
    let cleaned = form.folder.join("limpio");
    let shared = workbench.clone();
    let (stored, out) = (file.path.clone(), cleaned.clone());
    let mut report = blocking(move || {
        let policy = chosen_policy(&shared, requested.as_deref())?;
        review_document(&stored, Some(&out), &policy).map_err(|e| asset_error(&e))
    })
    .await?;
    let download = match report.kind {
        Format::Pdf => Some(("limpio.pdf", "application/pdf")),
        Format::Xlsx => Some((
            "limpio.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )),
        Format::Other => None,
    };
    let copy_name = download.map_or("limpio", |(name, _)| name);
    relabel(&mut report.findings, &file.path, &file.shown_name);
    relabel(&mut report.findings, &cleaned, copy_name);
    report.file.clone_from(&file.shown_name);
    let written = report.scrub.as_ref().is_some_and(|s| s.written);
    if let Some(scrub) = &mut report.scrub {
        relabel(&mut scrub.recheck, &cleaned, copy_name);
        copy_name.clone_into(&mut scrub.output);
    }
    let downloads = download
        .filter(|_| written)
        .map(|(name, media_type)| Download {
            name,
            label: "Descargar la copia limpia",
            path: cleaned,
            media_type,
        })
        .into_iter()
        .collect();
    let (mut words, verdict) = report::verdict(report.counts, "Se puede publicar", "No se puede publicar");
    let copy = copy_verdict(&report);
    if let Some(copy) = &copy {
        words = format!("{words}; {copy}");
    }
    let piece = remember(
        &workbench,
        Piece {
            id: form.id,
            kind: Kind::Document,
            shown_name: file.shown_name.clone(),
            verdict: words,
            downloads,
            folder: form.folder.clone(),
        },
    );
    let body = html! {
        (verdict)
        @if let Some(copy) = &copy { p class="aviso bien" role="status" { strong { (copy) } " (descárguela más abajo)." } }
        (summary(&report))
        (report::rules(&report.rules))
        h2 { "Hallazgos del original" }
        (report::findings("Hallazgos del documento", &report.findings, Layout::Places))
        (scrubbed(&report, &piece))
        p { a href=(Section::Pieces.path()) { "Revisar otra pieza" } }
    };
    Ok(page("Revisión del documento", Section::Pieces, body))
}

/// What the cleaned copy allows when the original cannot be published as it is.
fn copy_verdict(r: &DocumentReport) -> Option<String> {
    let scrub = r.scrub.as_ref().filter(|s| s.written)?;
    (r.counts.errors > 0 && scrub.recheck_counts.errors == 0)
        .then(|| "la copia limpia sí se puede publicar".to_owned())
}

fn yes(value: bool) -> &'static str {
    if value { "sí" } else { "no" }
}

/// The real format, size, pages, title, language and tags.
fn summary(r: &DocumentReport) -> Markup {
    html! {
        h2 { "Lo revisado" }
        p { "Documento «" (r.file) "» — política " (r.policy) "; formato real " (r.format) ", " (grouped(r.bytes)) " bytes." }
        dl class="cifras" {
            @if let (Format::Pdf, Some(facts)) = (r.kind, &r.facts) {
                (figure("Páginas", facts.pages))
            }
            (figure("Errores", r.counts.errors))
            (figure("Avisos", r.counts.warnings))
        }
        @if let Some(facts) = &r.facts {
            ul {
                li { "Título: " (facts.title.as_deref().map_or_else(|| "no tiene".to_owned(), |t| format!("«{t}»"))) }
                li { "Idioma: " (facts.language.as_deref().unwrap_or("no declarado")) }
                @if r.kind == Format::Pdf { li { "Etiquetado: " (yes(facts.tagged)) } }
            }
        }
    }
}

/// The cleaned copy: its second review and its download.
fn scrubbed(r: &DocumentReport, piece: &Piece) -> Markup {
    let Some(scrub) = &r.scrub else {
        return html! {};
    };
    html! {
        h2 { "Copia limpia" }
        @if scrub.written {
            p {
                "Como " code { "--scrub" } ": una copia sin metadatos que conserva el título y el idioma; el original no se modificó. "
                "Segunda revisión de la copia: " (scrub.recheck_counts.errors) " error(es), " (scrub.recheck_counts.warnings) " aviso(s). Resultado: "
                strong { (if r.failed() { "la copia limpia todavía no cumple" } else { "la copia limpia cumple" }) } "."
            }
            (report::findings("Hallazgos de la copia limpia", &scrub.recheck, Layout::Places))
            ul class="descargas" {
                @for download in &piece.downloads {
                    li { a class="boton" href=(piece.address(download)) download { (download.label) } " (" (download.name) ")" }
                }
            }
        } @else {
            p class="aviso" { "No se pudo escribir la copia limpia; los hallazgos del original dicen por qué." }
        }
    }
}
