//! Loads the two sides of a diff: a `.pauta` file (with the calendars of its policy folder) or a
//! `CODE@VERSION` looked up in the policies folder or the embedded policies.

use std::path::{Path, PathBuf};

use super::error::DiffError;
use super::model::Side;
use crate::calendar::Calendar;
use crate::policy::ast::Document;
use crate::policy::model::Policy;
use crate::policy::parse::parse;
use crate::policy::{PolicySet, Severity, SourceFile, check_sources, read_paths};
use crate::text::match_key;

/// A procedure version ready to compare and to evaluate an export with.
#[derive(Debug, Clone)]
pub struct ProcedureVersion {
    /// How it is named in the output.
    pub side: Side,
    /// The compiled version.
    pub policy: Policy,
    /// The calendar it uses, as loaded with it.
    pub calendar: Option<Calendar>,
    /// A set holding only this version and the calendars loaded with it (to evaluate with).
    pub set: PolicySet,
}

/// A calendar file ready to compare.
#[derive(Debug, Clone)]
pub struct CalendarVersion {
    /// How it is named in the output.
    pub side: Side,
    /// The compiled calendar.
    pub calendar: Calendar,
}

/// One side of a diff.
#[derive(Debug, Clone)]
pub enum Version {
    /// A procedure version.
    Procedure(Box<ProcedureVersion>),
    /// A calendar.
    Calendar(CalendarVersion),
}

impl Version {
    /// What it is, in Spanish, for error messages.
    pub fn describe(&self) -> String {
        match self {
            Version::Procedure(p) => format!("el procedimiento {}", p.side.label()),
            Version::Calendar(c) => format!("el calendario {}", c.side.label()),
        }
    }
}

/// Resolves version specs, loading the policies folder (or the embedded policies) at most once
/// and only when a `CODE@VERSION` needs it.
#[derive(Debug, Default)]
pub struct Loader {
    policies: Option<PathBuf>,
    set: Option<PolicySet>,
}

impl Loader {
    /// A loader looking `CODE@VERSION` up in `policies` (the embedded policies when `None`).
    pub fn new(policies: Option<PathBuf>) -> Self {
        Self { policies, set: None }
    }

    /// Loads `spec`: an existing path is a file; anything else naming a path (a separator or a
    /// `.pauta` ending) is a missing file; otherwise `CODE@VERSION` or `CODE` (latest).
    pub fn load(&mut self, spec: &str) -> Result<Version, DiffError> {
        let path = Path::new(spec);
        if path.is_file() {
            return load_file(path, || self.fallback_calendars());
        }
        let looks_like_path = spec.contains(['/', '\\']) || spec.to_lowercase().ends_with(".pauta");
        if path.is_dir() || looks_like_path {
            return Err(DiffError::NotFound {
                path: spec.to_owned(),
                reason: if path.is_dir() {
                    "es una carpeta".into()
                } else {
                    "no existe".into()
                },
            });
        }
        let set = self.set()?;
        let Some(policy) = set.find(spec) else {
            return Err(DiffError::UnknownPolicy {
                id: spec.to_owned(),
                available: if set.policies.is_empty() {
                    "ninguna".into()
                } else {
                    set.policies.iter().map(Policy::id).collect::<Vec<_>>().join(", ")
                },
            });
        };
        Ok(Version::Procedure(Box::new(ProcedureVersion {
            side: Side {
                id: policy.id(),
                file: None,
            },
            calendar: set.calendar(&policy.calendar).cloned(),
            set: PolicySet {
                policies: vec![policy.clone()],
                calendars: set.calendars.clone(),
            },
            policy: policy.clone(),
        })))
    }

    /// The calendars a procedure file uses when its folders hold none of the name it declares:
    /// those of the policies folder when one was given (the same ones a `CODE@VERSION` of that
    /// folder uses), else the embedded ones.
    fn fallback_calendars(&mut self) -> Result<Vec<Calendar>, DiffError> {
        if self.policies.is_some() {
            return Ok(self.set()?.calendars.clone());
        }
        Ok(PolicySet::embedded().map(|s| s.calendars).unwrap_or_default())
    }

    fn set(&mut self) -> Result<&PolicySet, DiffError> {
        let set = match self.set.take() {
            Some(set) => set,
            None => match &self.policies {
                Some(dir) => PolicySet::from_paths(std::slice::from_ref(dir)),
                None => PolicySet::embedded(),
            }
            .map_err(DiffError::Load)?,
        };
        Ok(self.set.insert(set))
    }
}

/// Whether a policy file is a calendar: its first statement starts with `calendario`.
fn is_calendar_text(text: &str) -> bool {
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
fn procedure_code(source: &SourceFile) -> Option<String> {
    match parse(source) {
        Ok(Document::Procedure(doc)) => Some(doc.code.value),
        _ => None,
    }
}

/// The calendars to load with a procedure file: the calendar files of its own folder, then
/// those of `<root>/calendarios/` when it lives in `<root>/<CODE>/` (`code` being the code it
/// declares); a calendar name already found is not read twice.
fn calendar_sources(path: &Path, code: Option<&str>) -> Result<Vec<SourceFile>, DiffError> {
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
        let shared = root.join("calendarios");
        if shared.is_dir() {
            folders.push(shared);
        }
    }
    let mut sources: Vec<SourceFile> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    for folder in folders {
        for file in pauta_files(&folder, path) {
            let read = read_paths(std::slice::from_ref(&file)).map_err(DiffError::Load)?;
            for source in read {
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

/// Loads one file: a calendar on its own, or a procedure with the calendars around it
/// (`fallback`'s calendars as the last resort).
fn load_file(
    path: &Path,
    fallback: impl FnOnce() -> Result<Vec<Calendar>, DiffError>,
) -> Result<Version, DiffError> {
    let main = read_paths(&[path.to_path_buf()])
        .map_err(DiffError::Load)?
        .into_iter()
        .next()
        .ok_or_else(|| DiffError::NotFound {
            path: path.display().to_string(),
            reason: "no se pudo leer".into(),
        })?;
    let file = main.name.clone();
    let calendar_file = is_calendar_text(&main.text);
    let code = if calendar_file {
        None
    } else {
        procedure_code(&main)
    };
    let mut sources = vec![main];
    if !calendar_file {
        sources.extend(calendar_sources(path, code.as_deref())?);
    }
    let fallback = if calendar_file { Vec::new() } else { fallback()? };
    let report = check_sources(&sources, &fallback);
    let count = report.count(Severity::Error);
    if count > 0 {
        return Err(DiffError::Invalid {
            file,
            count,
            report: Box::new(report),
        });
    }
    if calendar_file {
        let calendar = report
            .calendars
            .into_iter()
            .next()
            .ok_or_else(|| DiffError::NotFound {
                path: file.clone(),
                reason: "no declara un calendario".into(),
            })?;
        return Ok(Version::Calendar(CalendarVersion {
            side: Side {
                id: calendar.name.clone(),
                file: Some(file),
            },
            calendar,
        }));
    }
    let policy = report
        .policies
        .into_iter()
        .next()
        .ok_or_else(|| DiffError::NotFound {
            path: file.clone(),
            reason: "no declara un procedimiento".into(),
        })?;
    let calendar = report
        .calendars
        .iter()
        .find(|c| match_key(&c.name) == match_key(&policy.calendar))
        .cloned();
    Ok(Version::Procedure(Box::new(ProcedureVersion {
        side: Side {
            id: policy.id(),
            file: Some(file),
        },
        calendar,
        set: PolicySet {
            policies: vec![policy.clone()],
            calendars: report.calendars,
        },
        policy,
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_files_are_told_by_their_first_statement() {
        assert!(is_calendar_text(
            "# festivos\n\ncalendario \"colombia\" zona \"America/Bogota\" -05:00"
        ));
        assert!(is_calendar_text("\u{feff}CALENDARIO \"x\" zona \"UTC\" +00:00"));
        assert!(!is_calendar_text(
            "procedimiento \"M1-3-06\" \"x\"\ncalendario \"colombia\""
        ));
    }

    #[test]
    fn ids_are_looked_up_in_the_embedded_policies() {
        let mut loader = Loader::new(None);
        assert!(matches!(loader.load("M1-3-06@11"), Ok(Version::Procedure(_))));
        assert!(matches!(
            loader.load("M1-3-06@99"),
            Err(DiffError::UnknownPolicy { .. })
        ));
        assert!(matches!(
            loader.load("no/existe.pauta"),
            Err(DiffError::NotFound { .. })
        ));
    }
}
