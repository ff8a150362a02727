//! Errors that stop an evaluation run before or while reading (codes `E001`…). Problems with
//! single rows are not errors: they are rejected rows ([`super::codes::Rejection`]).

/// Why a run could not proceed.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// `E001`: a file cannot be opened or read.
    #[error("no se pudo leer {path}: {reason}; revise la ruta y los permisos")]
    Unreadable {
        /// The path as given on the command line, quoted in the message.
        path: String,
        /// Operating-system or reader reason.
        reason: String,
    },
    /// `E002`: the file has no header row.
    #[error("{path} está vacío: falta la fila de encabezados")]
    Empty {
        /// The path as given on the command line.
        path: String,
    },
    /// `E003`: required columns are missing from the header.
    #[error(
        "{path}: faltan columnas obligatorias: {missing}. Encabezados encontrados: {found}. \
         Renombre las columnas o indique sus nombres con `--mapping` (vea `pauta mapping`)"
    )]
    MissingColumns {
        /// The path as given on the command line.
        path: String,
        /// Missing columns, each with the names tried.
        missing: String,
        /// The header row as read, so the user can compare the names.
        found: String,
    },
    /// `E004`: not text pauta reads (UTF-16, UTF-32, or bytes that no text has).
    #[error("{path} {what}; expórtelo o guárdelo como CSV en UTF-8 o Windows-1252")]
    NotText {
        /// The path as given on the command line.
        path: String,
        /// What it seems to be, in words (`está en UTF-16`…).
        what: &'static str,
    },
    /// `E005`: the policies cannot evaluate cases (no procedure, several without a choice, …).
    #[error("{0}")]
    Policy(String),
    /// `E006`: writing an output failed.
    #[error("no se pudo escribir {path}: {reason}")]
    Write {
        /// Output path (or `salida estándar`).
        path: String,
        /// Operating-system reason.
        reason: String,
        /// Its kind (a closed pipe, `pauta evaluate … | head`, is not a failure).
        kind: std::io::ErrorKind,
    },
    /// `E007`: the calendar cannot serve the years in play.
    #[error(transparent)]
    Calendar(#[from] crate::calendar::CalendarError),
    /// The mapping file is unusable (its own `M…` code).
    #[error(transparent)]
    Mapping(#[from] super::mapping::MappingError),
    /// `E010`: the history was to be read alongside the cases, but the two files do not keep
    /// one case order.
    #[error(
        "no se puede leer el historial junto a los casos: {reason}. Ordene los dos archivos por \
         número de caso (en Excel: Datos › Ordenar, por la columna del caso), o evalúe sin \
         --memoria-acotada"
    )]
    NotInCaseOrder {
        /// Which file, which line, which ids.
        reason: String,
    },
    /// `E011`: the history does not fit in memory read whole (and was not read alongside the
    /// cases, because the files do not keep one case order).
    #[error(
        "no hay memoria para leer entero el historial {path} ({size}){why}. pauta lo lee por \
         tandas, con memoria acotada, cuando el archivo de casos y el historial siguen un mismo \
         orden por número de caso: ordene los dos archivos (en Excel: Datos › Ordenar, por la \
         columna del caso) y vuelva a evaluar"
    )]
    OutOfMemory {
        /// The history file, as given.
        path: String,
        /// Its size, in words.
        size: String,
        /// Why it was not read alongside (`, y no puede leerse por tandas: …`), or empty.
        why: String,
    },
    /// `E009`: the case asked for by `explain` is not in the export.
    #[error("el caso «{case}» no está en {path}; revise el número de caso")]
    CaseNotFound {
        /// The case id as typed after `explain`.
        case: String,
        /// The cases export searched, as given.
        path: String,
    },
}

impl RunError {
    /// Every code of this family, with its meaning.
    pub const CODES: &[(&'static str, &'static str)] = &[
        ("E001", "Un archivo de la exportación no se pudo abrir o leer."),
        ("E002", "El archivo está vacío: le falta la fila de encabezados."),
        ("E003", "Faltan columnas obligatorias en el encabezado."),
        (
            "E004",
            "El archivo no es texto que pauta lea (UTF-16, UTF-32, un libro de Excel…).",
        ),
        (
            "E005",
            "Las políticas no pueden evaluar casos (ningún procedimiento, o varios sin elegir uno).",
        ),
        ("E006", "No se pudo escribir una salida."),
        ("E007", "El calendario no cubre los años en juego."),
        ("E009", "El caso pedido a `explain` no está en la exportación."),
        (
            "E010",
            "El historial no sigue el orden por caso del archivo de casos (--memoria-acotada).",
        ),
        (
            "E011",
            "No hay memoria para leer el historial entero, y no sigue el orden del archivo de casos.",
        ),
    ];
}

impl crate::codes::Coded for RunError {
    fn code(&self) -> &'static str {
        RunError::code(self)
    }
}

impl RunError {
    /// Stable code (`E001`…).
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unreadable { .. } => "E001",
            Self::Empty { .. } => "E002",
            Self::MissingColumns { .. } => "E003",
            Self::NotText { .. } => "E004",
            Self::Policy(_) => "E005",
            Self::Write { .. } => "E006",
            Self::Calendar(_) => "E007",
            Self::Mapping(error) => error.code(),
            Self::CaseNotFound { .. } => "E009",
            Self::NotInCaseOrder { .. } => "E010",
            Self::OutOfMemory { .. } => "E011",
        }
    }
}
