//! What a report of the workbench reads: the export chosen (by its id in this run), and the
//! policies and mapping of the workspace, loaded fresh for every request (an edited policy
//! counts at once) with a fingerprint of their text, so a kept report is never one of older
//! policies.

use std::path::PathBuf;
use std::sync::Arc;

use sha2::{Digest, Sha256};

use crate::calendar::LocalSeconds;
use crate::cases::{Mapping, RunOptions};
use crate::codes::Coded;
use crate::policy::PolicySet;
use crate::web::PageError;
use crate::web::state::{Export, Workbench};

/// The export under the id of an address (`/informe/{id}`), or a 404 `W014` that says how to
/// get one.
pub fn export(workbench: &Workbench, id: &str) -> Result<Arc<Export>, PageError> {
    id.parse::<u64>()
        .ok()
        .and_then(|id| workbench.exports.get(id))
        .ok_or_else(|| {
            PageError::not_found(format!(
                "no hay ninguna exportación subida con el identificador «{id}» en esta sesión (pauta web \
                 guarda las últimas 20 y las borra al cerrarse); súbala de nuevo en Informe mensual (/informe)"
            ))
        })
}

/// The policies and mapping of the workspace, as loaded for one request.
pub struct Loaded {
    /// The policies.
    pub set: PolicySet,
    /// The mapping.
    pub mapping: Mapping,
    /// The mapping file, when the workspace names one.
    pub mapping_file: Option<PathBuf>,
    /// The policies folder, when not the embedded policies.
    pub policies_dir: Option<PathBuf>,
    /// SHA-256 of the policy sources and the mapping file: changes when either is edited.
    pub fingerprint: String,
}

/// Loads the workspace's policies and mapping (blocking: file reads).
pub fn load(workbench: &Workbench) -> Result<Loaded, PageError> {
    let workspace = &workbench.settings.workspace;
    let library = |error: &(dyn std::error::Error + 'static), code| PageError::from_library(error, code);
    let sources = workspace
        .policies
        .sources()
        .map_err(|error| library(&error, error.code()))?;
    let set = workspace
        .policies
        .load()
        .map_err(|error| library(&error, error.code()))?;
    let mapping_file = workspace.mapping.clone();
    let mut hasher = Sha256::new();
    for source in &sources {
        for part in [source.name.as_bytes(), source.text.as_bytes()] {
            hasher.update((part.len() as u64).to_le_bytes());
            hasher.update(part);
        }
    }
    let mapping = match &mapping_file {
        Some(path) => {
            hasher.update(std::fs::read(path).unwrap_or_default());
            Mapping::from_file(path).map_err(|error| library(&error, error.code()))?
        }
        None => Mapping::embedded().map_err(|error| library(&error, error.code()))?,
    };
    Ok(Loaded {
        set,
        mapping,
        mapping_file,
        policies_dir: workspace.policies.path().map(std::path::Path::to_path_buf),
        fingerprint: crate::report::sample::hex(&hasher.finalize()),
    })
}

/// The run over `export` judged at `as_of`, with the procedure and versions the policies give.
pub fn run_options(export: &Export, as_of: LocalSeconds) -> RunOptions {
    RunOptions {
        cases: export.cases.path.clone(),
        history: export.history.as_ref().map(|history| history.path.clone()),
        as_of,
        procedure: None,
        trace_case: None,
        pinned_version: None,
        history_reading: Default::default(),
    }
}

/// Runs `work` off the request threads; a panic inside it becomes a Spanish error, not a dropped
/// connection.
pub async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, PageError> + Send + 'static,
) -> Result<T, PageError> {
    tokio::task::spawn_blocking(work).await.unwrap_or_else(|_| {
        Err(PageError::new(
            axum::http::StatusCode::INTERNAL_SERVER_ERROR,
            "A009",
            "el cálculo del informe se interrumpió por un error interno; vuelva a intentarlo y, si se repite, \
             repórtelo con la exportación que lo causa",
        ))
    })
}

/// Now, in the local time of the workspace's policies, as the generation date is typed
/// ('AAAA-MM-DD HH:MM:SS'): the default of `pauta report --generated-at`.
pub async fn now_text(workbench: Arc<Workbench>) -> Result<String, PageError> {
    blocking(move || {
        let set = workbench
            .settings
            .workspace
            .policies
            .load()
            .map_err(|error| PageError::from_library(&error, error.code()))?;
        Ok(crate::report::format::local(Some(set.local_now())))
    })
    .await
}
