//! `sms check`: an SMS campaign list against the policy's `sms` block — required columns, message
//! length counted as GSM-7 does, the no-tildes rule, cédula format, empty fields and duplicates —
//! and `--fix`: a corrected file plus an errors file that together hold every input row once.

mod fix;
mod parallel;
mod rows;

use std::path::Path;

use serde::Serialize;

use super::gsm7::ucs2_limit;
use super::input::{self, TextEncoding};
use super::{AssetError, Code, Counts, Finding, Location, read_file};
use crate::policy::model::SmsLimits;

pub use fix::{default_errors_path, fix_sms};
use parallel::check_decoded;

/// How message length is counted, stated in every report (`{max}` and `{ucs2}` filled in).
pub const LENGTH_RULE: &str = "La longitud se cuenta como la cuenta la red: en GSM-7 cada carácter vale 1 y los de extensión ^ { } \\ [ ~ ] | € valen 2, hasta {max}; un solo carácter fuera de GSM-7 (comillas tipográficas, emoji, letras con tilde como á) obliga a enviar en UCS-2, con límite de {ucs2} caracteres.";

/// A required column found (or not) in the header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ColumnMatch {
    /// Role in the policy (`nombre`, `apellido`, `cedula`, `mensaje`).
    pub role: String,
    /// Header as the procedure writes it.
    pub required: String,
    /// The header found in the file, if any.
    pub found: Option<String>,
}

/// What `--fix` wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FixSummary {
    /// Corrected file.
    pub fixed_file: String,
    /// Where `--fix` wrote the rows it could not correct.
    pub errors_file: String,
    /// Rows written to the corrected file.
    pub fixed_rows: usize,
    /// Of those, rows that were changed (trimmed or transliterated).
    pub changed_rows: usize,
    /// Rows written to the errors file.
    pub error_rows: usize,
    /// Errors found when the corrected file was checked again (0 when the fix worked).
    pub recheck_errors: usize,
    /// Warnings found when the corrected file was checked again.
    pub recheck_warnings: usize,
}

/// The result of checking (and maybe fixing) an SMS campaign list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SmsReport {
    /// The file as given.
    pub file: String,
    /// `CODE@VERSION` of the policy applied.
    pub policy: String,
    /// Encoding detected.
    pub encoding: TextEncoding,
    /// Delimiter detected.
    pub delimiter: char,
    /// The required columns and the headers that matched them.
    pub columns: Vec<ColumnMatch>,
    /// Data rows read (the header is not a row).
    pub rows: usize,
    /// Rows without any finding.
    pub clean_rows: usize,
    /// Rows with at least one error.
    pub error_rows: usize,
    /// Rows with warnings only.
    pub warning_rows: usize,
    /// Rows that could not be fully checked because required columns are missing; they are
    /// counted with the rows with errors (never as rows without problems).
    pub unchecked_rows: usize,
    /// The required columns that are missing (procedure names).
    pub missing_columns: Vec<String>,
    /// The rules applied, in Spanish.
    pub rules: Vec<String>,
    /// Every problem found.
    pub findings: Vec<Finding>,
    /// Error and warning counts.
    pub counts: Counts,
    /// What `--fix` wrote, when asked.
    pub fix: Option<FixSummary>,
}

impl SmsReport {
    /// Whether the command fails: errors in the file, or — with `--fix` — rows left in the errors
    /// file or errors in the corrected file (the corrected file is what gets sent).
    pub fn failed(&self) -> bool {
        match &self.fix {
            Some(fix) => fix.error_rows > 0 || fix.recheck_errors > 0,
            None => self.counts.errors > 0,
        }
    }
}

/// The rules text of a report.
fn rules(limits: &SmsLimits) -> Vec<String> {
    let mut rules = Vec::new();
    if let Some(max) = limits.max_length {
        rules.push(
            LENGTH_RULE
                .replace("{max}", &max.to_string())
                .replace("{ucs2}", &ucs2_limit(max).to_string()),
        );
    }
    if limits.no_accents {
        let allowed = if limits.accents_allowed.is_empty() {
            String::new()
        } else {
            format!(
                " Se permiten «{}» (la política los admite: son letras de GSM-7).",
                limits.accents_allowed
            )
        };
        rules.push(format!(
            "Sin tildes: el mensaje no puede tener letras con tilde, diéresis u otra marca (á, é, ü, ç…).{allowed}"
        ));
    }
    if let Some((min, max)) = limits.id_digits {
        let zero = if limits.id_no_leading_zero {
            ", sin cero inicial"
        } else {
            ""
        };
        rules.push(format!("Cédula: solo dígitos, de {min} a {max}{zero}."));
    }
    rules.push("Las líneas se numeran como en el archivo: el encabezado es la línea 1.".into());
    rules
}

/// Check an SMS campaign file on disk.
pub fn check_sms(path: &Path, limits: &SmsLimits, policy: &str) -> Result<SmsReport, AssetError> {
    let bytes = read_file(path)?;
    Ok(check_sms_bytes(
        &path.display().to_string(),
        bytes,
        limits,
        policy,
    ))
}

/// Check an SMS campaign given its bytes.
pub fn check_sms_bytes(name: &str, bytes: Vec<u8>, limits: &SmsLimits, policy: &str) -> SmsReport {
    let csv = input::decode(bytes);
    check_decoded(name, &csv, limits, policy, None)
}

/// [`check_sms_bytes`] on exactly `threads` parts (whatever the size of the input), so tests can
/// show that splitting the file never changes the report.
#[doc(hidden)]
pub fn check_sms_bytes_in_parts(
    name: &str,
    bytes: Vec<u8>,
    limits: &SmsLimits,
    policy: &str,
    threads: usize,
) -> SmsReport {
    let csv = input::decode(bytes);
    check_decoded(name, &csv, limits, policy, Some(threads.max(1)))
}

fn missing_column(name: &str, missing: &str, limits: &SmsLimits) -> Finding {
    let accepted: Vec<String> = limits
        .columns
        .iter()
        .find(|c| c.name == missing)
        .map(|c| {
            std::iter::once(&c.name)
                .chain(c.aliases.iter())
                .map(|n| format!("«{n}»"))
                .collect()
        })
        .unwrap_or_default();
    Finding::new(
        Code::S001,
        format!(
            "`{name}` línea 1: falta la columna obligatoria «{missing}» (se acepta {}, sin importar mayúsculas ni tildes). Agréguela al encabezado.",
            accepted.join(", ")
        ),
        Location::line(name, 1).with_column(missing),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::model::SmsColumn;

    fn limits() -> SmsLimits {
        let col = |role: &str, name: &str, aliases: &[&str]| SmsColumn {
            role: role.into(),
            name: name.into(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
        };
        SmsLimits {
            columns: vec![
                col("nombre", "Nombre", &[]),
                col("apellido", "Apellido", &[]),
                col("cedula", "Número de cédula", &["Cédula"]),
                col("mensaje", "Mensaje", &["Mensaje a enviar"]),
            ],
            max_length: Some(160),
            no_accents: true,
            accents_allowed: "ñÑ".into(),
            id_digits: Some((3, 10)),
            id_no_leading_zero: true,
        }
    }

    fn codes(text: &str) -> Vec<(u64, &'static str)> {
        let report = check_sms_bytes("t.csv", text.as_bytes().to_vec(), &limits(), "X@1");
        report
            .findings
            .iter()
            .map(|f| (f.location.line.unwrap_or(0), f.code.code()))
            .collect()
    }

    #[test]
    fn clean_file_passes() {
        let text =
            "NOMBRE;apellido;CEDULA;Mensaje a enviar\nAna;Peña;123456;Hola Ana, su credito fue aprobado\n";
        assert_eq!(codes(text), vec![]);
    }

    #[test]
    fn every_row_problem_is_named_with_its_line() {
        let long = "x".repeat(161);
        let ext = "{".repeat(81);
        let text = format!(
            "Nombre,Apellido,Cédula,Mensaje\n\
             Ana,Peña,12a4,hola\n\
             ,Peña,12,hola\n\
             Ana,Peña,0123,hola\n\
             Ana,Peña,123456,{long}\n\
             Ana,Peña,123456,{ext}\n\
             Ana,Peña,1234567,Canción\n\
             Ana,Peña, 7654321 ,“hola”\n\
             Ana,Peña\n"
        );
        assert_eq!(
            codes(&text),
            vec![
                (2, "S003"),
                (3, "S002"),
                (3, "S004"),
                (4, "S005"),
                (5, "S007"),
                (6, "S007"),
                (6, "S006"),
                (7, "S009"),
                (7, "S008"),
                (8, "S010"),
                (8, "S008"),
                (9, "S011"),
            ]
        );
    }

    #[test]
    fn missing_column_is_reported_on_line_1() {
        assert_eq!(codes("Nombre,Apellido,Cédula\nA,B,123\n"), vec![(1, "S001")]);
    }

    #[test]
    fn rows_of_a_file_without_required_columns_are_never_clean() {
        for text in ["Nombre,Apellido,Cédula\nA,B,123\nC,D,456\n", "x;y\n1;2\n3;4\n"] {
            let report = check_sms_bytes("t.csv", text.as_bytes().to_vec(), &limits(), "X@1");
            assert_eq!(
                (
                    report.rows,
                    report.clean_rows,
                    report.warning_rows,
                    report.error_rows,
                    report.unchecked_rows
                ),
                (2, 0, 0, 2, 2),
                "{text}"
            );
            assert!(report.failed());
        }
    }
}
