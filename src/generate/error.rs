//! Why a synthetic export could not be generated. Messages are Spanish and say how to fix it.

use chrono::NaiveDate;
use thiserror::Error;

use crate::calendar::CalendarError;

/// An error of `pauta generate`.
#[derive(Debug, Error)]
pub enum GenerateError {
    /// `--cases 0`.
    #[error("el número de casos debe ser mayor que cero; indique, por ejemplo, `--cases 1000`")]
    NoCases,
    /// `--from` later than `--to`.
    #[error("la fecha inicial {from} es posterior a la fecha final {to}; intercambie `--from` y `--to`")]
    InvertedRange {
        /// `--from`.
        from: NaiveDate,
        /// `--to`.
        to: NaiveDate,
    },
    /// The anomaly rate is not a fraction between 0 and 1.
    #[error(
        "la tasa de anomalías `{rate}` no es válida: debe ser una fracción entre 0 y 1 (p. ej. 0.01 para el 1 %)"
    )]
    InvalidAnomalyRate {
        /// The rate as given.
        rate: String,
    },
    /// No version of the procedure is in force on `--from`.
    #[error(
        "ninguna versión del procedimiento {procedure} está vigente el {from}{first}; use una fecha `--from` posterior"
    )]
    NoPolicyInForce {
        /// Procedure code.
        procedure: String,
        /// `--from`.
        from: NaiveDate,
        /// ` (la primera entra en vigencia el …)` when some version exists.
        first: String,
    },
    /// A policy references a calendar that is not loaded.
    #[error("la política {policy} usa el calendario `{calendar}`, que no está cargado")]
    UnknownCalendar {
        /// `CODE@VERSION`.
        policy: String,
        /// Calendar name.
        calendar: String,
    },
    /// A policy's states or transitions do not allow telling a case's story.
    #[error("la política {policy} no permite generar casos: {reason}")]
    UnsupportedPolicy {
        /// `CODE@VERSION`.
        policy: String,
        /// What is missing, in Spanish.
        reason: String,
    },
    /// The business-day index of the calendar could not be built.
    #[error("no se pudo calcular los días hábiles de la política {policy}: {source}")]
    Calendar {
        /// `CODE@VERSION`.
        policy: String,
        /// The calendar error.
        #[source]
        source: CalendarError,
    },
    /// Writing an output failed.
    #[error(
        "no se pudo escribir `{path}`: {}. Verifique la ruta, los permisos y el espacio en disco.",
        crate::text::io_reason(source)
    )]
    Io {
        /// The file or folder.
        path: String,
        /// The system's reason.
        #[source]
        source: std::io::Error,
    },
}

impl GenerateError {
    /// Every code of this family, with its meaning.
    pub const CODES: &[(&'static str, &'static str)] = &[
        ("G001", "El número de casos debe ser mayor que cero."),
        ("G002", "La fecha inicial es posterior a la final."),
        ("G003", "La tasa de anomalías no es una fracción entre 0 y 1."),
        (
            "G004",
            "Ninguna versión del procedimiento está vigente en la fecha inicial.",
        ),
        ("G005", "La política usa un calendario que no está cargado."),
        (
            "G006",
            "Los estados o transiciones de la política no permiten generar casos.",
        ),
        ("G007", "No se pudieron calcular los días hábiles del calendario."),
        ("G008", "No se pudo escribir la exportación."),
    ];

    /// Stable code (`G001`…).
    pub fn code(&self) -> &'static str {
        match self {
            Self::NoCases => "G001",
            Self::InvertedRange { .. } => "G002",
            Self::InvalidAnomalyRate { .. } => "G003",
            Self::NoPolicyInForce { .. } => "G004",
            Self::UnknownCalendar { .. } => "G005",
            Self::UnsupportedPolicy { .. } => "G006",
            Self::Calendar { .. } => "G007",
            Self::Io { .. } => "G008",
        }
    }
}

impl crate::codes::Coded for GenerateError {
    fn code(&self) -> &'static str {
        GenerateError::code(self)
    }
}

impl GenerateError {
    /// An I/O error on `path`.
    pub fn io(path: impl Into<String>, source: std::io::Error) -> Self {
        Self::Io {
            path: path.into(),
            source,
        }
    }
}
