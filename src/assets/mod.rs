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

crate::codes::catalogue! {
    /// Every finding a publication check can report. A code never changes meaning.
    pub enum Code in CATALOGUE: [CatalogueEntry] {
        B001 = "B001", "El contenido del archivo no es de un formato de banner permitido." { severity: Severity::Error };
        B002 = "B002", "La extensión del archivo no corresponde a su contenido." { severity: Severity::Warning };
        B003 = "B003", "La imagen está truncada o dañada." { severity: Severity::Error };
        B004 = "B004", "El banner pesa más que el máximo." { severity: Severity::Error };
        B005 = "B005", "Las medidas en píxeles no son las de la ubicación." { severity: Severity::Error };
        B006 = "B006", "El título tiene más palabras que el máximo." { severity: Severity::Error };
        B007 = "B007", "La descripción tiene más palabras que el máximo." { severity: Severity::Error };
        B008 = "B008", "El llamado a la acción tiene más palabras que el máximo." { severity: Severity::Error };
        B009 = "B009", "La permanencia supera el máximo de meses." { severity: Severity::Error };
        B010 = "B010", "La fecha final no es posterior a la inicial." { severity: Severity::Error };
        B020 = "B020", "Inventario: falta una columna obligatoria." { severity: Severity::Error };
        B021 = "B021", "Inventario: una fila tiene un dato inválido (identificador, ubicación o fecha)." { severity: Severity::Error };
        B022 = "B022", "Inventario: identificador de banner repetido." { severity: Severity::Error };
        B023 = "B023", "Inventario: la ubicación tendría más banners vigentes que el máximo." { severity: Severity::Error };
        B024 = "B024", "Inventario: la permanencia programada supera el máximo de meses." { severity: Severity::Error };
        B025 = "B025", "Inventario: la permanencia del banner ya terminó en la fecha revisada." { severity: Severity::Error };
        B026 = "B026", "Inventario: en la fecha revisada el banner ya superó el máximo de meses." { severity: Severity::Error };
        S001 = "S001", "Falta una columna obligatoria." { severity: Severity::Error };
        S002 = "S002", "Un campo obligatorio está vacío." { severity: Severity::Error };
        S003 = "S003", "La cédula tiene caracteres que no son dígitos." { severity: Severity::Error };
        S004 = "S004", "La cédula no tiene el número de dígitos permitido." { severity: Severity::Error };
        S005 = "S005", "La cédula empieza por cero." { severity: Severity::Error };
        S006 = "S006", "Cédula repetida." { severity: Severity::Error };
        S007 = "S007", "El mensaje supera la longitud máxima de un SMS." { severity: Severity::Error };
        S008 = "S008", "El mensaje tiene caracteres fuera de GSM-7 y se enviaría como UCS-2 (límite menor)." { severity: Severity::Warning };
        S009 = "S009", "El mensaje tiene tildes." { severity: Severity::Error };
        S010 = "S010", "Un campo tiene espacios al inicio o al final." { severity: Severity::Warning };
        S011 = "S011", "La fila no tiene el mismo número de campos que el encabezado." { severity: Severity::Error };
        D001 = "D001", "El contenido del archivo no es PDF ni Excel (xlsx)." { severity: Severity::Error };
        D002 = "D002", "El documento está cifrado o protegido con contraseña." { severity: Severity::Error };
        D003 = "D003", "El documento no se pudo interpretar (dañado o truncado)." { severity: Severity::Error };
        D004 = "D004", "Hay páginas sin texto extraíble (no se puede buscar en ellas)." { severity: Severity::Error };
        D005 = "D005", "Los metadatos revelan autores, personas u organizaciones." { severity: Severity::Error };
        D006 = "D006", "Los metadatos revelan el software o la versión que produjo el archivo." { severity: Severity::Error };
        D007 = "D007", "Los metadatos revelan fechas de creación, modificación o impresión." { severity: Severity::Error };
        D008 = "D008", "El documento tiene propiedades personalizadas." { severity: Severity::Error };
        D009 = "D009", "El documento tiene otros metadatos descriptivos (asunto, palabras clave…)." { severity: Severity::Warning };
        D010 = "D010", "El documento tiene metadatos XMP." { severity: Severity::Error };
        D011 = "D011", "El libro o sus hojas tienen un bloqueo (protección)." { severity: Severity::Error };
        D012 = "D012", "El libro guarda la ruta local donde se editó (revela usuario y equipo)." { severity: Severity::Error };
        D013 = "D013", "Accesibilidad: el documento no tiene título." { severity: Severity::Warning };
        D014 = "D014", "Accesibilidad: el documento no declara idioma." { severity: Severity::Warning };
        D015 = "D015", "Accesibilidad: el PDF no está etiquetado." { severity: Severity::Warning };
        D016 = "D016", "El archivo no se pudo limpiar, o la copia limpia no pasó la segunda revisión." { severity: Severity::Error };
        D017 = "D017", "Las partes del contenedor zip guardan fechas de modificación." { severity: Severity::Warning };
        D018 = "D018", "El documento está dañado: no se pudo leer completo, así que no se puede dar por conforme." { severity: Severity::Error };
        D019 = "D019", "Una parte comprimida se expande más allá de los límites de revisión (posible bomba de compresión)." { severity: Severity::Error };
        R001 = "R001", "Una regla de la política (`regla … error` sobre banner, SMS o documento) no se cumple." { severity: Severity::Error };
        R002 = "R002", "Una regla de la política (`regla … aviso` sobre banner, SMS o documento) no se cumple." { severity: Severity::Warning };
        R003 = "R003", "Una regla de la política no se pudo evaluar (límite, error de ejecución o resultado que no es verdadero/falso)." { severity: Severity::Error };
    }
}

impl Code {
    /// The severity every finding with this code has.
    pub fn severity(self) -> Severity {
        self.entry().severity
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
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

    /// With the pages (1-based) where the finding is.
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
    /// The file, line or part of the piece the finding is about.
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
        /// The file, as given.
        path: String,
        /// The system's reason.
        reason: String,
    },
    /// An output file could not be written.
    #[error("no se pudo escribir `{path}`: {reason}. Verifique la carpeta y los permisos.")]
    Unwritable {
        /// The output file, as given.
        path: String,
        /// The system's reason.
        reason: String,
    },
    /// The output would overwrite the input.
    #[error(
        "`{path}` es el mismo archivo de entrada; el original nunca se modifica. Indique otra ruta de salida."
    )]
    SameFile {
        /// The output file, as given.
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
