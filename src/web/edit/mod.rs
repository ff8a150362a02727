//! «Editar una política» (`/politicas`): the policy files of the workspace with `pauta check`'s
//! status of each, the editor of one file (`/politicas/editar?archivo=…`) with its problems
//! shown as the user types, and the next version of a procedure (`pauta new-version`). Files
//! are addressed only by their path relative to the policies folder ([`paths`]); the embedded
//! policies are shown, never written.

mod api;
mod editor;
mod list;
mod paths;
mod work;

pub use api::{compare as api_compare, format as api_format, review as api_review, save as api_save};
pub use editor::{edit, edit_form};
pub use list::{list, new_version};

use crate::policy::SourceFile;
use crate::policy::workspace::{PolicySource, is_calendar_text};
use crate::web::PageError;
use crate::web::state::Workbench;
use paths::Target;

/// A file of the workspace opened for a request: where it is and every source of the
/// workspace (read fresh: an edit takes effect at once).
pub struct Opened {
    /// The file.
    pub target: Target,
    /// The workspace's sources, as `pauta check` reads them.
    pub sources: Vec<SourceFile>,
}

/// Checks the address `archivo`, then reads the workspace and finds the file in it.
pub fn open_file(workbench: &Workbench, archivo: &str) -> Result<Opened, PageError> {
    let source = &workbench.settings.workspace.policies;
    // The address is checked, and where it leads, before anything is read.
    let located = paths::locate(source, archivo)?;
    let sources = work::sources(source)?;
    let target = paths::resolve(archivo, located, &work::names(&sources))?;
    Ok(Opened { target, sources })
}

/// The address of the editor of `archivo`.
pub fn editor_address(archivo: &str) -> String {
    format!(
        "/politicas/editar?archivo={}",
        crate::web::guard::query_escape(archivo)
    )
}

/// The calendar files of the policies folder, by their address (none for the embedded
/// policies: they are not files), for the comparison of calendars.
pub fn calendar_files(source: &PolicySource) -> Vec<String> {
    if source.path().is_none() {
        return Vec::new();
    }
    work::sources(source)
        .unwrap_or_default()
        .iter()
        .filter(|s| is_calendar_text(&s.text))
        .filter_map(|s| paths::relative_of(source, &s.name))
        .collect()
}

/// The path on disk of the file `archivo` of the policies folder (checked as the editor checks
/// it); the embedded policies have none.
pub fn resolve_file(source: &PolicySource, archivo: &str) -> Result<std::path::PathBuf, PageError> {
    let located = paths::locate(source, archivo)?;
    let sources = work::sources(source)?;
    match paths::resolve(archivo, located, &work::names(&sources))? {
        Target::Disk { path, .. } => Ok(path),
        Target::Embedded { .. } => Err(PageError::not_found(format!(
            "«{archivo}» es una de las políticas incluidas en pauta y no es un archivo; compare por versión (CÓDIGO@VERSIÓN)"
        ))),
    }
}
