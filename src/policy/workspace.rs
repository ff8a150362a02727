//! Where the policies of a run come from — one rule for every command that reads them:
//!
//! 1. `--policies DIR` (or a path given to `check`/`fmt`), when given;
//! 2. else the workspace found from the working directory, searching upward as `cargo` and
//!    `just` do: the first folder that holds a `pauta.toml` (whose `politicas = "…"` names the
//!    policies folder, `policies` by default, and `asignacion = "…"` a mapping file) or a
//!    `policies/` folder with `.pauta` files in it;
//! 3. else the policies embedded in the binary.
//!
//! Every run says on stderr, in one line, which source it used ([`PolicySource::describe`]).

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::ast::Document;
use super::parse::parse;
use super::set::{LoadError, PolicySet, embedded_sources, read_paths};
use super::source::SourceFile;
use crate::text::match_key;

/// The project file that marks a workspace.
pub const PROJECT_FILE: &str = "pauta.toml";
/// The policies folder of a workspace when `pauta.toml` does not name another.
pub const POLICIES_FOLDER: &str = "policies";
/// The calendars folder beside the procedure folders (`policies/calendarios/`).
pub const CALENDARS_FOLDER: &str = "calendarios";

/// How a policies folder was chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Given on the command line.
    Flag,
    /// Named by (or defaulted from) this `pauta.toml`.
    ProjectFile(PathBuf),
    /// A `policies/` folder found from the working directory.
    Folder,
}

/// The policies a run uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicySource {
    /// The `.pauta` files under a folder (or one file).
    Path {
        /// Where the policies are, as given or found.
        path: PathBuf,
        /// Flag, `pauta.toml`, `policies/` beside it, or the embedded copy.
        origin: Origin,
    },
    /// The files embedded in the binary.
    Embedded,
}

/// The workspace of a run: its policies and, from `pauta.toml`, its mapping file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workspace {
    /// Where the policies come from.
    pub policies: PolicySource,
    /// The mapping file `pauta.toml` names (`--mapping` still wins).
    pub mapping: Option<PathBuf>,
}

/// The keys a `pauta.toml` may hold.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProjectFile {
    /// The policies folder, relative to the project file.
    politicas: Option<PathBuf>,
    /// The mapping file, relative to the project file.
    asignacion: Option<PathBuf>,
}

/// Why a workspace could not be read.
#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    /// `pauta.toml` cannot be read or is not valid.
    #[error("{path}:{line}:{column}: {reason}")]
    ProjectFile {
        /// The `pauta.toml` found, as a display path.
        path: String,
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column of the problem.
        column: usize,
        /// What is wrong and how to fix it, in Spanish.
        reason: String,
    },
    /// A path `pauta.toml` names does not exist.
    #[error(
        "{project}: `{key}` nombra `{path}`, que no existe; corrija la ruta (relativa a la carpeta de pauta.toml)"
    )]
    Missing {
        /// The `pauta.toml` that names the path.
        project: String,
        /// The key whose value is missing (`politicas`).
        key: &'static str,
        /// The path it names, resolved.
        path: String,
    },
}

impl crate::codes::Coded for WorkspaceError {
    fn code(&self) -> &'static str {
        "P092"
    }
}

/// Finds the workspace of a run: `explicit` (`--policies`) when given, else the nearest
/// `pauta.toml` or `policies/` folder from `start` upward, else the embedded policies.
pub fn find(explicit: Option<&Path>, start: &Path) -> Result<Workspace, WorkspaceError> {
    let found = find_upward(start)?;
    let mapping = found.as_ref().and_then(|w| w.mapping.clone());
    let policies = match explicit {
        Some(path) => PolicySource::Path {
            path: path.to_path_buf(),
            origin: Origin::Flag,
        },
        None => found.map_or(PolicySource::Embedded, |w| w.policies),
    };
    Ok(Workspace { policies, mapping })
}

fn find_upward(start: &Path) -> Result<Option<Workspace>, WorkspaceError> {
    let start = start.canonicalize().unwrap_or_else(|_| start.to_path_buf());
    for dir in start.ancestors() {
        let project = dir.join(PROJECT_FILE);
        if project.is_file() {
            return read_project_file(&project).map(Some);
        }
        let folder = dir.join(POLICIES_FOLDER);
        if folder.is_dir() && holds_policy_files(&folder) {
            return Ok(Some(Workspace {
                policies: PolicySource::Path {
                    path: shown_path(&folder, &start),
                    origin: Origin::Folder,
                },
                mapping: None,
            }));
        }
    }
    Ok(None)
}

/// `path` relative to the working directory when it is inside it (as the user would type it).
fn shown_path(path: &Path, start: &Path) -> PathBuf {
    path.strip_prefix(start)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}

fn holds_policy_files(dir: &Path) -> bool {
    read_paths(&[dir.to_path_buf()]).is_ok_and(|files| !files.is_empty())
}

fn read_project_file(project: &Path) -> Result<Workspace, WorkspaceError> {
    let shown = project.display().to_string();
    let text = std::fs::read_to_string(project).map_err(|error| WorkspaceError::ProjectFile {
        path: shown.clone(),
        line: 1,
        column: 1,
        reason: format!(
            "no se pudo leer ({}); guárdelo como texto UTF-8",
            crate::text::io_reason(&error)
        ),
    })?;
    let text = crate::line_ends::normalise(&text);
    let file: ProjectFile = toml::from_str(&text).map_err(|error| {
        let (line, column) = error
            .span()
            .map_or((1, 1), |span| crate::text::line_column(&text, span.start));
        WorkspaceError::ProjectFile {
            path: shown.clone(),
            line,
            column,
            reason: project_file_reason(error.message()),
        }
    })?;
    let root = project.parent().unwrap_or(Path::new("."));
    let policies = root.join(file.politicas.unwrap_or_else(|| PathBuf::from(POLICIES_FOLDER)));
    if !policies.exists() {
        return Err(WorkspaceError::Missing {
            project: shown,
            key: "politicas",
            path: policies.display().to_string(),
        });
    }
    let mapping = match file.asignacion {
        Some(path) => {
            let path = root.join(path);
            if !path.is_file() {
                return Err(WorkspaceError::Missing {
                    project: shown,
                    key: "asignacion",
                    path: path.display().to_string(),
                });
            }
            Some(path)
        }
        None => None,
    };
    Ok(Workspace {
        policies: PolicySource::Path {
            path: policies,
            origin: Origin::ProjectFile(project.to_path_buf()),
        },
        mapping,
    })
}

/// A TOML error of `pauta.toml` in Spanish (serde's and toml's texts are English).
fn project_file_reason(english: &str) -> String {
    if let Some(rest) = english.strip_prefix("unknown field `") {
        let key = rest.split('`').next().unwrap_or(rest);
        let suggestion = crate::text::suggest(key, ["politicas", "asignacion"])
            .map(|s| format!(" ¿quiso decir `{s}`?"))
            .unwrap_or_default();
        return format!(
            "la clave `{key}` no existe; las claves son `politicas` (carpeta de políticas) y `asignacion` (archivo de asignación).{suggestion}"
        );
    }
    if english.contains("invalid type") {
        return "el valor debe ser una ruta entre comillas, p. ej. politicas = \"policies\"".to_owned();
    }
    "no es TOML válido; escriba una clave por línea, p. ej. politicas = \"policies\"".to_owned()
}

impl PolicySource {
    /// The folder or file, when the policies are not the embedded ones.
    pub fn path(&self) -> Option<&Path> {
        match self {
            PolicySource::Path { path, .. } => Some(path),
            PolicySource::Embedded => None,
        }
    }

    /// The source files, as `check` reads them.
    pub fn sources(&self) -> Result<Vec<SourceFile>, LoadError> {
        match self {
            PolicySource::Path { path, .. } => read_paths(std::slice::from_ref(path)),
            PolicySource::Embedded => Ok(embedded_sources()),
        }
    }

    /// The usable policy set (errors make it unusable; calendars fall back to the embedded ones).
    pub fn load(&self) -> Result<PolicySet, LoadError> {
        match self {
            PolicySource::Path { path, .. } => PolicySet::from_paths(std::slice::from_ref(path)),
            PolicySource::Embedded => PolicySet::embedded(),
        }
    }

    /// One line for stderr that says which policies a run uses, e.g.
    /// `políticas: carpeta policies (encontrada en el directorio de trabajo): M1-3-06/v11.pauta, calendarios/colombia.pauta`.
    pub fn describe(&self) -> String {
        match self {
            PolicySource::Embedded => {
                let names: Vec<&str> = super::embedded::FILES.iter().map(|(name, _)| *name).collect();
                format!(
                    "políticas: incorporadas en pauta {} ({}); para usar otras, indique --policies CARPETA o cree una carpeta policies/",
                    env!("CARGO_PKG_VERSION"),
                    names.join(", ")
                )
            }
            PolicySource::Path { path, origin } => {
                let how = match origin {
                    Origin::Flag => "indicada con --policies".to_owned(),
                    Origin::ProjectFile(project) => format!("según {}", project.display()),
                    Origin::Folder => "encontrada desde el directorio de trabajo".to_owned(),
                };
                let files = read_paths(std::slice::from_ref(path)).unwrap_or_default();
                let names: Vec<String> = files
                    .iter()
                    .map(|file| {
                        Path::new(&file.name)
                            .strip_prefix(path)
                            .map_or_else(|_| file.name.clone(), |p| p.display().to_string())
                    })
                    .collect();
                let names = if names.is_empty() {
                    String::new()
                } else {
                    format!(": {}", names.join(", "))
                };
                // Shown as the user would type it: relative to the working directory when inside it.
                let cwd = std::env::current_dir().unwrap_or_default();
                let shown = path.strip_prefix(&cwd).unwrap_or(path);
                format!("políticas: {} ({how}){names}", shown.display())
            }
        }
    }
}

/// Whether a policy text is a calendar: its first statement starts with `calendario`.
pub fn is_calendar_text(text: &str) -> bool {
    text.lines()
        .map(|line| line.trim_start_matches('\u{feff}').trim())
        .find(|line| !line.is_empty() && !line.starts_with('#'))
        .and_then(|line| line.split_whitespace().next())
        .is_some_and(|word| match_key(word) == "calendario")
}

/// The `.pauta` files of a folder, sorted, except `skip`.
fn pauta_files(dir: &Path, skip: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let skip = skip.canonicalize().unwrap_or_else(|_| skip.to_path_buf());
    let mut files: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "pauta"))
        .filter(|p| p.canonicalize().map_or(true, |c| c != skip))
        .collect();
    files.sort();
    files
}

/// The procedure code a policy file declares, if it parses.
pub fn procedure_code(source: &SourceFile) -> Option<String> {
    match parse(source) {
        Ok(Document::Procedure(doc)) => Some(doc.code.value),
        _ => None,
    }
}

/// The calendars that go with one procedure file: the calendar files of its own folder, then
/// those of `<root>/calendarios/` when it lives in `<root>/<CODE>/` (`code` being the code it
/// declares); a calendar name already found is not read twice.
pub fn sibling_calendars(path: &Path, code: Option<&str>) -> Result<Vec<SourceFile>, LoadError> {
    let own = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut folders = vec![own.to_path_buf()];
    let folder_name = own
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .or_else(|| {
            own.canonicalize()
                .ok()?
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
        });
    let in_code_folder = folder_name
        .zip(code)
        .is_some_and(|(folder, code)| match_key(&folder) == match_key(code));
    if in_code_folder {
        let root = match own.parent() {
            _ if own == Path::new(".") => PathBuf::from(".."),
            Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let shared = root.join(CALENDARS_FOLDER);
        if shared.is_dir() {
            folders.push(shared);
        }
    }
    let mut sources: Vec<SourceFile> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    for folder in folders {
        for file in pauta_files(&folder, path) {
            for source in read_paths(std::slice::from_ref(&file))? {
                if !is_calendar_text(&source.text) {
                    continue;
                }
                let name = match parse(&source) {
                    Ok(Document::Calendar(doc)) => Some(match_key(&doc.name.value)),
                    _ => None,
                };
                if let Some(name) = &name {
                    if names.contains(name) {
                        continue;
                    }
                    names.push(name.clone());
                }
                sources.push(source);
            }
        }
    }
    Ok(sources)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("pauta-workspace-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let _ = std::fs::create_dir_all(dir.join("sub/deeper"));
        dir
    }

    #[test]
    fn the_flag_wins_then_the_nearest_workspace_then_the_embedded_set() {
        let dir = scratch("order");
        let deeper = dir.join("sub/deeper");
        assert_eq!(
            find(None, &deeper).map(|w| w.policies).ok(),
            Some(PolicySource::Embedded)
        );
        let _ = std::fs::create_dir_all(dir.join("policies"));
        let _ = std::fs::write(dir.join("policies/x.pauta"), "# vacía\n");
        let found = find(None, &deeper).map(|w| w.policies);
        assert!(
            matches!(&found, Ok(PolicySource::Path { origin: Origin::Folder, path }) if path.ends_with("policies")),
            "{found:?}"
        );
        let _ = std::fs::write(dir.join("sub/pauta.toml"), "politicas = \"otra\"\n");
        assert!(matches!(
            find(None, &deeper),
            Err(WorkspaceError::Missing { key: "politicas", .. })
        ));
        let _ = std::fs::create_dir_all(dir.join("sub/otra"));
        let found = find(None, &deeper).map(|w| w.policies);
        assert!(
            matches!(&found, Ok(PolicySource::Path { origin: Origin::ProjectFile(_), path }) if path.ends_with("otra")),
            "{found:?}"
        );
        let flag = find(Some(Path::new("aquí")), &deeper).map(|w| w.policies);
        assert_eq!(
            flag.ok(),
            Some(PolicySource::Path {
                path: PathBuf::from("aquí"),
                origin: Origin::Flag
            })
        );
    }

    #[test]
    fn a_misspelled_key_is_named_at_its_line_in_spanish() {
        let dir = scratch("key");
        let _ = std::fs::write(
            dir.join("pauta.toml"),
            "# espacio\npoliticas = \"sub\"\nasignasion = \"a.toml\"\n",
        );
        match find(None, &dir) {
            Err(WorkspaceError::ProjectFile {
                line, column, reason, ..
            }) => {
                assert_eq!((line, column), (3, 1));
                assert!(reason.contains("¿quiso decir `asignacion`?"), "{reason}");
            }
            other => panic!("{other:?}"),
        }
    }
}
