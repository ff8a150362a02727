//! Loads the two sides of a diff: a `.pauta` file (with the calendars of its policy folder) or a
//! `CODE@VERSION` looked up in the policies folder or the embedded policies.

use std::path::{Path, PathBuf};

use super::error::DiffError;
use super::model::Side;
use crate::calendar::Calendar;
use crate::policy::model::Policy;
use crate::policy::workspace::{is_calendar_text, procedure_code, sibling_calendars};
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
    /// A calendar file, with where it was read from.
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

    /// Loads a policy or calendar text that is not (or not yet) on disk — a file being edited —
    /// as if it were the file at `beside`: its calendars are those around `beside`, as
    /// [`Loader::load`] finds them for a file, and the side is named by `source.name`.
    pub fn load_source(&mut self, source: SourceFile, beside: &Path) -> Result<Version, DiffError> {
        load_main(source, beside, || self.fallback_calendars())
    }

    /// The calendars a procedure file uses when its folders hold none of the name it declares:
    /// those of the policies folder when one is in use (the same ones a `CODE@VERSION` of that
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
    load_main(main, path, fallback)
}

/// Loads one source read (or edited) as the file at `path`: a calendar on its own, or a
/// procedure with the calendars around `path`.
fn load_main(
    main: SourceFile,
    path: &Path,
    fallback: impl FnOnce() -> Result<Vec<Calendar>, DiffError>,
) -> Result<Version, DiffError> {
    let file = main.name.clone();
    let calendar_file = is_calendar_text(&main.text);
    let code = if calendar_file {
        None
    } else {
        procedure_code(&main)
    };
    let mut sources = vec![main];
    if !calendar_file {
        sources.extend(sibling_calendars(path, code.as_deref()).map_err(DiffError::Load)?);
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
