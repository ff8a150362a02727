//! `POST /piezas/sms`: an SMS campaign list reviewed and corrected as `pauta sms check --fix`
//! does; the page shows the findings by line and column, the counts, and the corrected list
//! and the rows left to correct by hand to download. The list's names and cédulas are shown
//! only where a finding quotes them, escaped like everything else.

use std::sync::Arc;

use axum::extract::{Multipart, State};
use maud::{Markup, html};

use super::report::{self, Layout};
use super::{
    Download, Kind, Piece, asset_error, blocking, chosen_policy, discard, relabel, remember, required_file,
};
use crate::assets::review::{SmsFix, review_sms};
use crate::assets::sms::{SmsReport, default_errors_path};
use crate::web::PageError;
use crate::web::layout::{Section, figure, page};
use crate::web::state::Workbench;
use crate::web::upload::Form;

/// The address name of the corrected list.
const FIXED: &str = "corregida.csv";
/// The address name of the rows left to correct by hand.
const ERRORS: &str = "errores.csv";

/// `POST /piezas/sms`.
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
    let file = required_file(&form, "lista", "la lista de la campaña (CSV)")?;
    let requested = form.field("politica").map(str::to_owned);
    let fixed = form.folder.join(FIXED);
    let errors = default_errors_path(&fixed);
    let shared = workbench.clone();
    let (stored, fixed_at, errors_at) = (file.path.clone(), fixed.clone(), errors.clone());
    let mut report = blocking(move || {
        let policy = chosen_policy(&shared, requested.as_deref())?;
        let fix = SmsFix {
            fixed: &fixed_at,
            errors: &errors_at,
        };
        review_sms(&stored, Some(fix), &policy).map_err(|e| asset_error(&e))
    })
    .await?;
    relabel(&mut report.findings, &file.path, &file.shown_name);
    report.file.clone_from(&file.shown_name);
    let mut downloads = Vec::new();
    if let Some(fix) = &report.fix {
        if fix.fixed_rows > 0 && (fix.changed_rows > 0 || fix.error_rows > 0) {
            downloads.push(Download {
                name: FIXED,
                label: "Descargar la lista corregida",
                path: fixed,
                media_type: "text/csv",
            });
        }
        if fix.error_rows > 0 {
            downloads.push(Download {
                name: ERRORS,
                label: "Descargar las filas por corregir a mano",
                path: errors,
                media_type: "text/csv",
            });
        }
    }
    let (words, verdict) = report::verdict(report.counts, "La lista cumple", "La lista no cumple");
    let piece = remember(
        &workbench,
        Piece {
            id: form.id,
            kind: Kind::Sms,
            shown_name: file.shown_name.clone(),
            verdict: words,
            downloads,
            folder: form.folder.clone(),
        },
    );
    let body = html! {
        (verdict)
        (summary(&report))
        (report::rules(&report.rules))
        h2 { "Hallazgos" }
        (report::findings("Hallazgos de la lista", &report.findings, Layout::Rows))
        (correction(&report, &piece))
        p { a href=(Section::Pieces.path()) { "Revisar otra pieza" } }
    };
    Ok(page("Revisión de la lista SMS", Section::Pieces, body))
}

/// The file's encoding, its columns and its row counts.
fn summary(r: &SmsReport) -> Markup {
    let delimiter = match r.delimiter {
        '\t' => "tabulador".to_owned(),
        other => format!("«{other}»"),
    };
    html! {
        h2 { "Lo revisado" }
        p { "Lista «" (r.file) "» — política " (r.policy) "; codificación " (r.encoding.label()) ", separador " (delimiter) "." }
        dl class="cifras" {
            (figure("Filas leídas", r.rows))
            (figure("Sin problemas", r.clean_rows))
            (figure("Solo con avisos", r.warning_rows))
            (figure("Con errores", r.error_rows))
        }
        @if r.unchecked_rows > 0 {
            p class="aviso error" role="alert" {
                "Ninguna fila se pudo revisar completa: faltan columnas obligatorias ("
                (r.missing_columns.join(", ")) "); agréguelas al encabezado y revise de nuevo."
            }
        }
        table {
            caption { "Columnas obligatorias y dónde se encontraron" }
            thead { tr { th scope="col" { "Columna obligatoria" } th scope="col" { "En el archivo" } } }
            tbody {
                @for column in &r.columns {
                    tr {
                        th scope="row" { (column.required) }
                        td { @match &column.found { Some(header) => { "columna «" (header) "»" } None => { strong { "FALTA" } } } }
                    }
                }
            }
        }
    }
}

/// What the correction did, and the files to download.
fn correction(r: &SmsReport, piece: &Piece) -> Markup {
    let Some(fix) = &r.fix else {
        return html! {};
    };
    let state = if r.failed() {
        "quedan filas por corregir a mano"
    } else {
        "la lista corregida cumple"
    };
    html! {
        h2 { "Corrección" }
        p {
            "Como " code { "--fix" } ": se quitan los espacios al inicio y al final y se cambian las tildes del mensaje por la letra sin tilde; nada más cambia. "
            "De " (r.rows) " fila(s) leída(s), " (fix.fixed_rows) " van a la lista corregida (" (fix.changed_rows) " modificada(s)) y "
            (fix.error_rows) " al archivo de filas por corregir a mano."
        }
        p { "Segunda revisión de la lista corregida: " (fix.recheck_errors) " error(es), " (fix.recheck_warnings) " aviso(s). Resultado: " strong { (state) } "." }
        @if piece.downloads.is_empty() {
            p { "No hay nada que descargar: la lista no necesitaba corrección automática." }
        } @else {
            ul class="descargas" {
                @for download in &piece.downloads {
                    li { a class="boton" href=(piece.address(download)) download { (download.label) } " (" (download.name) ")" }
                }
            }
        }
    }
}
