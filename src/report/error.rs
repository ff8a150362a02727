//! Errors of the monthly report (codes `A001`…), each with the exit code the command uses.
//! Rows that cannot be used are not errors: they are rejected rows, as in `pauta evaluate`.

use crate::cases::RunError;

/// Why the report could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// `A001`: the month is not `AAAA-MM`.
    #[error("el mes «{text}» no es válido; escríbalo como AAAA-MM, por ejemplo 2024-06")]
    BadMonth {
        /// The month text as typed (`--month`).
        text: String,
    },
    /// `A002`: no version of the procedure is in force on the first day of the month.
    #[error(
        "ninguna versión de {procedure} estaba vigente el {first_day} (primer día de {month}); {versions}"
    )]
    NoVersionInForce {
        /// The procedure code (`M1-3-06`).
        procedure: String,
        /// Month, `AAAA-MM`.
        month: String,
        /// First day of the month.
        first_day: chrono::NaiveDate,
        /// The versions loaded, for the message.
        versions: String,
    },
    /// `A003`: no case was solved in the month and none was open past its deadline at its end,
    /// so there is nothing to report.
    #[error(
        "ningún caso de {path} se solucionó en {month} (sin contar anulados) ni había casos abiertos \
         vencidos al cierre del mes: no hay nada que informar. Revise el mes (pauta report --meses \
         lista los meses del archivo con sus casos) o el archivo de casos"
    )]
    EmptyPopulation {
        /// Month, `AAAA-MM`.
        month: String,
        /// The cases export, as given.
        path: String,
    },
    /// `A004`: `--size` asks for more cases than the population has.
    #[error(
        "--size {size} es mayor que la población de {month} ({population} casos solucionados); \
         use un tamaño de 1 a {population} u omita --size para usar el del bloque `muestreo`"
    )]
    SizeTooLarge {
        /// The `--size` value.
        size: u64,
        /// Population of the month.
        population: u64,
        /// Month, `AAAA-MM`.
        month: String,
    },
    /// `A005`: the output cannot be written.
    #[error("no se pudo escribir el informe en {path}: {reason}; revise la ruta y los permisos")]
    Unwritable {
        /// The report's output path, as given.
        path: String,
        /// Operating-system reason.
        reason: String,
    },
    /// `A006`: the evaluation run could not proceed (its own `E…` code is in the message).
    #[error("[{code}] {0}", code = .0.code())]
    Run(RunError),
    /// `A007`: the policy has no usable `muestreo` block and no `--size` was given.
    #[error("{0}")]
    Sampling(String),
    /// `A008`: an input file could not be read to compute its SHA-256.
    #[error("no se pudo leer {path} para calcular su SHA-256: {reason}")]
    Unreadable {
        /// The input file, as given.
        path: String,
        /// Operating-system reason.
        reason: String,
    },
    /// `A009`: an internal computation of the tables failed (a defect: please report it).
    #[error("error interno al calcular las tablas del informe: {0}")]
    Tables(String),
}

impl ReportError {
    /// Every code of this family, with its meaning.
    pub const CODES: &[(&'static str, &'static str)] = &[
        ("A001", "El mes no es válido (se escribe AAAA-MM)."),
        (
            "A002",
            "Ninguna versión del procedimiento estaba vigente en el mes.",
        ),
        (
            "A003",
            "Ningún caso se solucionó en el mes y ninguno está vencido: no hay nada que informar.",
        ),
        (
            "A004",
            "El tamaño de la muestra es mayor que la población del mes.",
        ),
        ("A005", "No se pudo escribir el informe."),
        (
            "A006",
            "La exportación no se pudo evaluar (el código de la causa va entre corchetes).",
        ),
        (
            "A007",
            "La política no tiene un bloque `muestreo` usable y no se indicó --size.",
        ),
        (
            "A008",
            "No se pudo leer un archivo de entrada para calcular su SHA-256.",
        ),
        ("A009", "Error interno al calcular las tablas del informe."),
    ];
}

impl crate::codes::Coded for ReportError {
    fn code(&self) -> &'static str {
        ReportError::code(self)
    }
}

impl ReportError {
    /// Stable code (`A001`…).
    pub fn code(&self) -> &'static str {
        match self {
            Self::BadMonth { .. } => "A001",
            Self::NoVersionInForce { .. } => "A002",
            Self::EmptyPopulation { .. } => "A003",
            Self::SizeTooLarge { .. } => "A004",
            Self::Unwritable { .. } => "A005",
            Self::Run(_) => "A006",
            Self::Sampling(_) => "A007",
            Self::Unreadable { .. } => "A008",
            Self::Tables(_) => "A009",
        }
    }

    /// Exit code of `pauta report`: 3 nothing to report (no solved case, no overdue one), 4 sample larger than the population,
    /// 5 unwritable output, 2 anything else that stops the run.
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::EmptyPopulation { .. } => 3,
            Self::SizeTooLarge { .. } => 4,
            Self::Unwritable { .. } => 5,
            _ => 2,
        }
    }
}

impl From<polars::error::PolarsError> for ReportError {
    fn from(error: polars::error::PolarsError) -> Self {
        Self::Tables(error.to_string())
    }
}

/// Not `#[from]`: that would make the run error the report error's source too, and the
/// command line, which prints an error with its sources, would say it twice.
impl From<RunError> for ReportError {
    fn from(error: RunError) -> Self {
        ReportError::Run(error)
    }
}
