//! «Revisar piezas» (`/piezas`): a banner, an SMS campaign list or a document checked before it
//! is published, with the same library review the command line runs (`pauta banner check`,
//! `pauta sms check --fix`, `pauta document check --scrub`), and the corrected list or the
//! cleaned document to download, addressed by the upload's id and a fixed name.

mod banner;
mod document;
mod download;
mod form;
mod report;
mod sms;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::http::StatusCode;

pub use banner::check as check_banner;
pub use document::check as check_document;
pub use download::download;
pub use form::page;
pub use sms::check as check_sms;

use super::PageError;
use super::state::Workbench;
use super::upload::{Form, Received};
use crate::assets::{AssetError, Finding};
use crate::codes::Coded;
use crate::policy::model::Policy;

/// What was reviewed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A banner image.
    Banner,
    /// An SMS campaign list.
    Sms,
    /// A PDF or xlsx document.
    Document,
}

impl Kind {
    /// The segment of its addresses (`/piezas/sms/…`).
    pub fn segment(self) -> &'static str {
        match self {
            Kind::Banner => "banner",
            Kind::Sms => "sms",
            Kind::Document => "documento",
        }
    }

    /// Its name on the pages.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Banner => "Banner",
            Kind::Sms => "Lista SMS",
            Kind::Document => "Documento",
        }
    }
}

/// A file the review wrote, offered for download under a fixed name.
#[derive(Debug, Clone)]
pub struct Download {
    /// The name in its address (`corregida.csv`, `limpio.pdf`).
    pub name: &'static str,
    /// What the link says.
    pub label: &'static str,
    /// Where it is, inside the upload's private folder.
    pub path: PathBuf,
    /// Its media type.
    pub media_type: &'static str,
}

/// A piece reviewed in this run, kept so that its downloads can be fetched and the first page
/// can list it.
#[derive(Debug, Clone)]
pub struct Piece {
    /// The upload's id.
    pub id: u64,
    /// What it is.
    pub kind: Kind,
    /// The file's name as the browser gave it (display only).
    pub shown_name: String,
    /// The verdict in words.
    pub verdict: String,
    /// The files written by the review.
    pub downloads: Vec<Download>,
    /// The upload's private folder (removed when the piece is dropped from the list).
    folder: PathBuf,
}

impl Piece {
    /// The address of one of its downloads.
    pub fn address(&self, download: &Download) -> String {
        format!("/piezas/{}/{}/{}", self.kind.segment(), self.id, download.name)
    }
}

/// Keeps `piece` among the recent ones; the folders of those dropped to make room are removed.
fn remember(workbench: &Workbench, piece: Piece) -> Arc<Piece> {
    let piece = Arc::new(piece);
    for dropped in workbench.pieces.push(piece.id, piece.clone()) {
        let _ = std::fs::remove_dir_all(&dropped.folder);
    }
    piece
}

/// The policy a review applies, loaded fresh from the workspace: the version `requested`
/// (`M1-3-06@11`), or — as the command line does without `--policy` — the version of M1-3-06
/// in force today.
fn chosen_policy(workbench: &Workbench, requested: Option<&str>) -> Result<Policy, PageError> {
    let set = workbench
        .settings
        .workspace
        .policies
        .load()
        .map_err(|error| PageError::from_library(&error, error.code()))?;
    let ids = || set.policies.iter().map(Policy::id).collect::<Vec<_>>().join(", ");
    match requested {
        Some(id) => set.find(id).cloned().ok_or_else(|| {
            PageError::not_found(format!(
                "no hay una política «{id}» en la carpeta en uso; elija una de la lista (disponibles: {})",
                ids()
            ))
        }),
        None => {
            let today = chrono::Local::now().date_naive();
            crate::assets::review::policy_in_force(&set, today)
                .cloned()
                .ok_or_else(|| {
                    PageError::conflict(format!(
                        "no hay una versión de {} vigente hoy ({today}); elija una versión en la lista \
                         (disponibles: {})",
                        crate::assets::review::PROCEDURE,
                        ids()
                    ))
                })
        }
    }
}

/// A library error that stopped a review, as a page.
fn asset_error(error: &AssetError) -> PageError {
    PageError::from_library(error, error.code())
}

/// Runs `work` off the request threads.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, PageError> + Send + 'static,
) -> Result<T, PageError> {
    tokio::task::spawn_blocking(work).await.unwrap_or_else(|_| {
        Err(PageError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "W016",
            "la revisión se interrumpió por un fallo interno; vuelva a intentarlo e informe el caso si se repite",
        ))
    })
}

/// The private path of a stored file in messages, replaced by the name the person knows it by.
fn relabel(findings: &mut [Finding], stored: &Path, shown: &str) {
    let stored = stored.display().to_string();
    for finding in findings {
        finding.message = finding.message.replace(&stored, shown);
        if finding.location.file == stored {
            shown.clone_into(&mut finding.location.file);
        }
    }
}

/// Removes an upload's folder when its review failed (no piece refers to it), and passes the
/// result on.
fn discard<T>(folder: &Path, result: Result<T, PageError>) -> Result<T, PageError> {
    if result.is_err() {
        let _ = std::fs::remove_dir_all(folder);
    }
    result
}

/// The file of `form`'s field `field`; a form sent without it is refused (`W013`), naming
/// `what` it needs.
fn required_file(form: &Form, field: &str, what: &str) -> Result<Received, PageError> {
    form.files.get(field).cloned().ok_or_else(|| {
        PageError::new(
            StatusCode::BAD_REQUEST,
            "W013",
            format!("falta {what}: elíjalo en el formulario (o arrástrelo a su recuadro) y envíelo de nuevo"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assets::{Code, Location};

    #[test]
    fn private_paths_are_shown_by_the_name_given() {
        let stored = Path::new("/tmp/pauta-web-x/subida-3/lista.csv");
        let mut findings = vec![Finding::new(
            Code::S002,
            "`/tmp/pauta-web-x/subida-3/lista.csv` línea 2: vacío",
            Location::line("/tmp/pauta-web-x/subida-3/lista.csv", 2),
        )];
        relabel(&mut findings, stored, "campaña.csv");
        assert_eq!(findings[0].message, "`campaña.csv` línea 2: vacío");
        assert_eq!(findings[0].location.file, "campaña.csv");
    }
}
