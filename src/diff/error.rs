//! Why `pauta diff` could not run (codes `F001`…). A non-empty diff is not an error.

use crate::cases::RunError;
use crate::policy::{CheckReport, LoadError};

/// Why two versions could not be compared.
#[derive(Debug, thiserror::Error)]
pub enum DiffError {
    /// `F001`: a path given as a version does not exist or is not a file.
    #[error(
        "no se puede usar `{path}`: {reason}; indique un archivo `.pauta` o una versión `CÓDIGO@VERSIÓN` (p. ej. `M1-3-06@11`)"
    )]
    NotFound {
        /// As typed on the command line.
        path: String,
        /// What is wrong with it (`no existe`, `es una carpeta`).
        reason: String,
    },
    /// `F002`: no loaded policy has this `CODE@VERSION`.
    #[error("no hay una política `{id}`; disponibles: {available}")]
    UnknownPolicy {
        /// As typed (`M1-3-06@13`).
        id: String,
        /// The loaded `CODE@VERSION` ids, listed in the message.
        available: String,
    },
    /// `F003`: a policy file (or a calendar beside it) has errors.
    #[error("`{file}` tiene {count} error(es); corríjalos antes de comparar (vea `pauta check {file}`)")]
    Invalid {
        /// The file with errors, as given.
        file: String,
        /// Errors in that file and the calendars read with it (warnings not counted).
        count: usize,
        /// Every diagnostic of the files read with it.
        report: Box<CheckReport>,
    },
    /// `F004`: a file or folder could not be read (the policies folder, a path given).
    #[error("{0}")]
    Load(LoadError),
    /// `F005`: one side is a procedure and the other a calendar.
    #[error(
        "no se puede comparar {old} con {new}: compare dos versiones de un procedimiento o dos calendarios"
    )]
    KindMismatch {
        /// What that side is, in Spanish (a procedure version or a calendar).
        old: String,
        /// What that side is, in Spanish (a procedure version or a calendar).
        new: String,
    },
    /// `F006`: `--cases` given while comparing two calendars.
    #[error(
        "--cases evalúa una exportación con dos versiones de un procedimiento; al comparar calendarios compare las versiones del procedimiento que los usan"
    )]
    ImpactNeedsProcedures,
    /// `F007`: the export could not be evaluated under one of the versions.
    #[error("no se pudo evaluar la exportación con la versión {side} ({id}): [{}] {source}", source.code())]
    Impact {
        /// `anterior` or `nueva`.
        side: &'static str,
        /// The version's id.
        id: String,
        /// The run's error.
        source: RunError,
    },
    /// `F008`: a calendar cannot list the days of the years compared.
    #[error(transparent)]
    Calendar(#[from] crate::calendar::CalendarError),
}

impl DiffError {
    /// Every code of this family, with its meaning.
    pub const CODES: &[(&'static str, &'static str)] = &[
        ("F001", "No se encuentra el archivo o la versión a comparar."),
        ("F002", "No hay una política con ese código y versión."),
        ("F003", "Un lado de la comparación tiene errores."),
        ("F004", "Las políticas no se pudieron leer."),
        ("F005", "Se compara un procedimiento con un calendario."),
        (
            "F006",
            "--cases necesita dos versiones de un procedimiento, no dos calendarios.",
        ),
        (
            "F007",
            "La exportación no se pudo evaluar con una de las versiones.",
        ),
        ("F008", "El calendario no puede servir la comparación."),
    ];
}

impl crate::codes::Coded for DiffError {
    fn code(&self) -> &'static str {
        DiffError::code(self)
    }
}

impl DiffError {
    /// Stable code (`F001`…).
    pub fn code(&self) -> &'static str {
        match self {
            Self::NotFound { .. } => "F001",
            Self::UnknownPolicy { .. } => "F002",
            Self::Invalid { .. } => "F003",
            Self::Load(_) => "F004",
            Self::KindMismatch { .. } => "F005",
            Self::ImpactNeedsProcedures => "F006",
            Self::Impact { .. } => "F007",
            Self::Calendar(_) => "F008",
        }
    }

    /// The diagnostics to show before the error line, when the error carries them.
    pub fn report(&self) -> Option<&CheckReport> {
        match self {
            Self::Invalid { report, .. } => Some(report),
            Self::Load(LoadError::Invalid { report, .. }) => Some(report),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct() {
        let errors = [
            DiffError::NotFound {
                path: "x".into(),
                reason: "no existe".into(),
            },
            DiffError::UnknownPolicy {
                id: "x".into(),
                available: String::new(),
            },
            DiffError::KindMismatch {
                old: "a".into(),
                new: "b".into(),
            },
            DiffError::ImpactNeedsProcedures,
        ];
        let mut codes: Vec<&str> = errors.iter().map(DiffError::code).collect();
        codes.dedup();
        assert_eq!(codes, ["F001", "F002", "F005", "F006"]);
    }
}
