//! Publication checks (section 4 of the procedure): banners, the banner inventory, SMS campaign
//! lists and documents to publish. Every limit comes from the policy in force; every check returns
//! typed [`Finding`]s that the command line prints.

pub mod banner;
pub mod bounded;
pub mod document;
pub mod gsm7;
pub mod image;
pub mod input;
pub mod inventory;
pub mod limits;
pub mod ole;
pub mod pdf;
mod pdf_raw;
mod pdf_streams;
mod pdf_structure;
pub mod pdf_text;
pub mod review;
mod rules;
pub mod samples;
pub mod sms;
pub mod xlsx;
mod xml;

use std::fmt;

use serde::Serialize;

/// How serious a finding is: errors make the check fail (exit 1), warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The file breaks a rule of the procedure.
    Error,
    /// Worth fixing, but the procedure does not forbid it.
    Warning,
}

impl Severity {
    /// Spanish label (`error`, `aviso`).
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "aviso",
        }
    }
}

/// One entry of the finding catalogue: the code, its severity and what it means.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct CatalogueEntry {
    /// Stable code, e.g. `B004`.
    pub code: &'static str,
    /// Severity of every finding with this code.
    pub severity: Severity,
    /// What the finding means, in Spanish.
    pub meaning: &'static str,
}

macro_rules! catalogue {
    ($($name:ident, $sev:ident, $meaning:literal;)*) => {
        /// Every finding a publication check can report. A code never changes meaning.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code { $(
            #[doc = $meaning]
            $name,
        )* }

        /// The catalogue of finding codes, in code order.
        pub const CATALOGUE: &[CatalogueEntry] = &[$(
            CatalogueEntry { code: stringify!($name), severity: Severity::$sev, meaning: $meaning },
        )*];

        impl Code {
            /// The stable code text, e.g. `B004`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$name => stringify!($name),)* }
            }
            /// The severity of this code.
            pub fn severity(self) -> Severity {
                match self { $(Code::$name => Severity::$sev,)* }
            }
            /// What the code means, in Spanish.
            pub fn meaning(self) -> &'static str {
                match self { $(Code::$name => $meaning,)* }
            }
        }
    };
}

catalogue! {
    B001, Error, "El contenido del archivo no es de un formato de banner permitido.";
    B002, Warning, "La extensión del archivo no corresponde a su contenido.";
    B003, Error, "La imagen está truncada o dañada.";
    B004, Error, "El banner pesa más que el máximo.";
    B005, Error, "Las medidas en píxeles no son las de la ubicación.";
    B006, Error, "El título tiene más palabras que el máximo.";
    B007, Error, "La descripción tiene más palabras que el máximo.";
    B008, Error, "El llamado a la acción tiene más palabras que el máximo.";
    B009, Error, "La permanencia supera el máximo de meses.";
    B010, Error, "La fecha final no es posterior a la inicial.";
    B020, Error, "Inventario: falta una columna obligatoria.";
    B021, Error, "Inventario: una fila tiene un dato inválido (identificador, ubicación o fecha).";
    B022, Error, "Inventario: identificador de banner repetido.";
    B023, Error, "Inventario: la ubicación tendría más banners vigentes que el máximo.";
    B024, Error, "Inventario: la permanencia programada supera el máximo de meses.";
    B025, Error, "Inventario: la permanencia del banner ya terminó en la fecha revisada.";
    B026, Error, "Inventario: en la fecha revisada el banner ya superó el máximo de meses.";
    S001, Error, "Falta una columna obligatoria.";
    S002, Error, "Un campo obligatorio está vacío.";
    S003, Error, "La cédula tiene caracteres que no son dígitos.";
    S004, Error, "La cédula no tiene el número de dígitos permitido.";
    S005, Error, "La cédula empieza por cero.";
    S006, Error, "Cédula repetida.";
    S007, Error, "El mensaje supera la longitud máxima de un SMS.";
    S008, Warning, "El mensaje tiene caracteres fuera de GSM-7 y se enviaría como UCS-2 (límite menor).";
    S009, Error, "El mensaje tiene tildes.";
    S010, Warning, "Un campo tiene espacios al inicio o al final.";
    S011, Error, "La fila no tiene el mismo número de campos que el encabezado.";
    D001, Error, "El contenido del archivo no es PDF ni Excel (xlsx).";
    D002, Error, "El documento está cifrado o protegido con contraseña.";
    D003, Error, "El documento no se pudo interpretar (dañado o truncado).";
    D004, Error, "Hay páginas sin texto extraíble (no se puede buscar en ellas).";
    D005, Error, "Los metadatos revelan autores, personas u organizaciones.";
    D006, Error, "Los metadatos revelan el software o la versión que produjo el archivo.";
    D007, Error, "Los metadatos revelan fechas de creación, modificación o impresión.";
    D008, Error, "El documento tiene propiedades personalizadas.";
    D009, Warning, "El documento tiene otros metadatos descriptivos (asunto, palabras clave…).";
    D010, Error, "El documento tiene metadatos XMP.";
    D011, Error, "El libro o sus hojas tienen un bloqueo (protección).";
    D012, Error, "El libro guarda la ruta local donde se editó (revela usuario y equipo).";
    D013, Warning, "Accesibilidad: el documento no tiene título.";
    D014, Warning, "Accesibilidad: el documento no declara idioma.";
    D015, Warning, "Accesibilidad: el PDF no está etiquetado.";
    D016, Error, "El archivo no se pudo limpiar, o la copia limpia no pasó la segunda revisión.";
    D017, Warning, "Las partes del contenedor zip guardan fechas de modificación.";
    D018, Error, "El documento está dañado: no se pudo leer completo, así que no se puede dar por conforme.";
    D019, Error, "Una parte comprimida se expande más allá de los límites de revisión (posible bomba de compresión).";
    R001, Error, "Una regla de la política (`regla … error` sobre banner, SMS o documento) no se cumple.";
    R002, Warning, "Una regla de la política (`regla … aviso` sobre banner, SMS o documento) no se cumple.";
    R003, Error, "Una regla de la política no se pudo evaluar (límite, error de ejecución o resultado que no es verdadero/falso).";
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a finding is: the file, and within it a line, column, page, part or field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Location {
    /// The file as given on the command line.
    pub file: String,
    /// Line in the file (the header of a CSV is line 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// CSV column name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// Pages (1-based) of a PDF.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub pages: Vec<u32>,
    /// Part of a container (`docProps/core.xml`, `Info`, `XMP`, a sheet).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part: Option<String>,
    /// Field or property (`título`, `Author`, `dc:creator`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl Location {
    /// The whole file.
    pub fn file(file: &str) -> Self {
        Location {
            file: file.to_string(),
            ..Location::default()
        }
    }

    /// A line of the file.
    pub fn line(file: &str, line: u64) -> Self {
        Location {
            line: Some(line),
            ..Location::file(file)
        }
    }

    /// With a column name.
    pub fn with_column(mut self, column: &str) -> Self {
        self.column = Some(column.to_string());
        self
    }

    /// With a part of a container.
    pub fn with_part(mut self, part: &str) -> Self {
        self.part = Some(part.to_string());
        self
    }

    /// With a field or property name.
    pub fn with_field(mut self, field: &str) -> Self {
        self.field = Some(field.to_string());
        self
    }

    /// With pages.
    pub fn with_pages(mut self, pages: Vec<u32>) -> Self {
        self.pages = pages;
        self
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(line) = self.line {
            write!(f, ", línea {line}")?;
        }
        if let Some(column) = &self.column {
            write!(f, ", columna «{column}»")?;
        }
        match self.pages.as_slice() {
            [] => {}
            [page] => write!(f, ", página {page}")?,
            pages => write!(f, ", páginas {}", page_list(pages))?,
        }
        if let Some(part) = &self.part {
            write!(f, ", {part}")?;
        }
        if let Some(field) = &self.field {
            write!(f, ", {field}")?;
        }
        Ok(())
    }
}

/// Pages as compact ranges: `1–3, 7, 9–10`.
pub fn page_list(pages: &[u32]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut iter = pages.iter().copied().peekable();
    while let Some(start) = iter.next() {
        let mut end = start;
        while let Some(&next) = iter.peek() {
            if next == end.saturating_add(1) {
                end = next;
                iter.next();
            } else {
                break;
            }
        }
        if end == start {
            parts.push(start.to_string());
        } else {
            parts.push(format!("{start}–{end}"));
        }
    }
    parts.join(", ")
}

/// One problem found in a file: a stable code, its severity, a Spanish message that says what,
/// where and how to fix it, and the structured location.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable code (`B004`, `S007`, `D004`…).
    pub code: Code,
    /// Error or warning (fixed per code).
    pub severity: Severity,
    /// Spanish message.
    pub message: String,
    /// Where.
    pub location: Location,
}

impl Finding {
    /// A finding with the code's severity.
    pub fn new(code: Code, message: impl Into<String>, location: Location) -> Self {
        Finding {
            code,
            severity: code.severity(),
            message: message.into(),
            location,
        }
    }

    /// `error[B004]: message` followed by `  --> location`.
    pub fn render(&self) -> String {
        format!(
            "{}[{}]: {}\n  --> {}\n",
            self.severity.label(),
            self.code,
            self.message,
            self.location
        )
    }
}

/// Error and warning counts of a list of findings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Findings of severity error.
    pub errors: usize,
    /// Findings of severity warning.
    pub warnings: usize,
}

impl Counts {
    /// Count a list of findings.
    pub fn of(findings: &[Finding]) -> Self {
        let errors = findings.iter().filter(|f| f.severity == Severity::Error).count();
        Counts {
            errors,
            warnings: findings.len() - errors,
        }
    }
}

/// Why a check could not run at all (the command exits 2).
#[derive(Debug, thiserror::Error)]
pub enum AssetError {
    /// The file could not be read.
    #[error("no se pudo leer `{path}`: {reason}. Verifique la ruta y los permisos.")]
    Unreadable {
        /// The path.
        path: String,
        /// The system's reason.
        reason: String,
    },
    /// An output file could not be written.
    #[error("no se pudo escribir `{path}`: {reason}. Verifique la carpeta y los permisos.")]
    Unwritable {
        /// The path.
        path: String,
        /// The system's reason.
        reason: String,
    },
    /// The output would overwrite the input.
    #[error(
        "`{path}` es el mismo archivo de entrada; el original nunca se modifica. Indique otra ruta de salida."
    )]
    SameFile {
        /// The path.
        path: String,
    },
    /// The policy has no block for this kind of check.
    #[error(
        "la política {policy} no tiene bloque `{block}`: no hay límites con qué revisar. Agregue el bloque a la política o elija otra versión con --policy."
    )]
    NoLimits {
        /// `CODE@VERSION`.
        policy: String,
        /// Block name in the policy language (`banner`, `sms`, `documentos`).
        block: &'static str,
    },
    /// A placement that the policy does not declare.
    #[error("la ubicación `{given}` no está en la política {policy}; ubicaciones: {known}.{hint}")]
    UnknownPlacement {
        /// What was given.
        given: String,
        /// `CODE@VERSION`.
        policy: String,
        /// The placements and aliases.
        known: String,
        /// ` ¿Quiso decir …?` or empty.
        hint: String,
    },
}

impl AssetError {
    /// Every code of this family, with its meaning.
    pub const CODES: &[(&'static str, &'static str)] = &[
        ("K001", "El archivo a revisar no se pudo leer."),
        ("K002", "Un archivo de salida no se pudo escribir."),
        (
            "K003",
            "La salida sería el mismo archivo de entrada; el original nunca se modifica.",
        ),
        (
            "K004",
            "La política no tiene el bloque de límites de esa revisión (`banner`, `sms`, `documentos`).",
        ),
        ("K005", "La política no declara esa ubicación de banner."),
    ];

    /// Stable code (`K001`…).
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unreadable { .. } => "K001",
            Self::Unwritable { .. } => "K002",
            Self::SameFile { .. } => "K003",
            Self::NoLimits { .. } => "K004",
            Self::UnknownPlacement { .. } => "K005",
        }
    }
}

impl crate::codes::Coded for AssetError {
    fn code(&self) -> &'static str {
        AssetError::code(self)
    }
}

/// Read a whole file, mapping the error to [`AssetError::Unreadable`].
pub(crate) fn read_file(path: &std::path::Path) -> Result<Vec<u8>, AssetError> {
    std::fs::read(path).map_err(|e| AssetError::Unreadable {
        path: path.display().to_string(),
        reason: crate::text::io_reason(&e),
    })
}

/// Fail with [`AssetError::SameFile`] when `output` is the input file.
pub(crate) fn ensure_not_input(input: &std::path::Path, output: &std::path::Path) -> Result<(), AssetError> {
    let same = match (input.canonicalize(), output.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => input == output,
    };
    if same {
        return Err(AssetError::SameFile {
            path: output.display().to_string(),
        });
    }
    Ok(())
}

/// Decimal number with a Spanish decimal comma and one decimal (`149,9`).
pub fn decimal(value: f64) -> String {
    crate::wording::decimal(value, 1)
}

/// An integer with groups of three separated by a space (`153 600`).
pub fn grouped(value: u64) -> String {
    crate::wording::thousands(value)
}

/// Bytes shown as KiB with the exact byte count: `149,9 KiB (153 500 bytes)`.
pub fn kib(bytes: u64) -> String {
    format!(
        "{} KiB ({} bytes)",
        decimal(bytes as f64 / 1024.0),
        grouped(bytes)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_is_in_code_order_and_unique() {
        for prefix in ["B", "S", "D"] {
            let codes: Vec<&str> = CATALOGUE
                .iter()
                .map(|e| e.code)
                .filter(|c| c.starts_with(prefix))
                .collect();
            let mut sorted = codes.clone();
            sorted.sort();
            sorted.dedup();
            assert_eq!(codes, sorted);
        }
    }

    #[test]
    fn pages_are_compact() {
        assert_eq!(page_list(&[1, 2, 3, 7, 9, 10]), "1–3, 7, 9–10");
        assert_eq!(page_list(&[4]), "4");
    }

    #[test]
    fn numbers_are_spanish() {
        assert_eq!(grouped(153_600), "153 600");
        assert_eq!(grouped(12), "12");
        assert_eq!(kib(153_600), "150,0 KiB (153 600 bytes)");
    }
}
