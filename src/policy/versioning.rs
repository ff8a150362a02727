//! `pauta new-version`: start the next version of a procedure as a copy of the latest one, with
//! its number and effective date updated, ready to edit.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::ast::{Document, ProcedureItem};
use super::parse::parse;
use super::set::{LoadError, read_paths};
use super::source::{SourceFile, Span};
use crate::text::{match_key, suggest};

/// Why a new version could not be started.
#[derive(Debug, thiserror::Error)]
pub enum VersionError {
    /// The folder could not be read.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// No version of the code exists in the folder.
    #[error(
        "no hay versiones de `{code}` en `{folder}`{hint}. Revise el código del procedimiento o la carpeta (`--policies`)."
    )]
    UnknownCode {
        /// The procedure code as typed (`M1-3-06`).
        code: String,
        /// The policies folder searched, as given.
        folder: String,
        /// "¿quiso decir …?" with the known codes.
        hint: String,
    },
    /// The new date is not after the latest version's.
    #[error(
        "la nueva versión debe regir después de la última: {code} v{version} rige desde {latest}, y se pidió {asked}. Use una fecha posterior a {latest}."
    )]
    NotAfter {
        /// The procedure code (`M1-3-06`).
        code: String,
        /// Latest version number.
        version: i64,
        /// The latest version's `vigente desde` date.
        latest: NaiveDate,
        /// The effective date requested for the new version.
        asked: NaiveDate,
    },
    /// The target file exists already.
    #[error("`{path}` ya existe; no se sobrescribe. Bórrelo o edítelo directamente.")]
    Exists {
        /// The new version's file, which would have been overwritten.
        path: String,
    },
    /// The latest version cannot be parsed, so it cannot be copied.
    #[error(
        "la última versión `{path}` tiene errores de sintaxis; ejecute `pauta check {path}` y corríjalos antes de copiarla."
    )]
    Unparseable {
        /// The latest version's file.
        path: String,
    },
    /// The new file could not be written.
    #[error("no se pudo escribir `{path}`: {reason}. Verifique los permisos de la carpeta.")]
    Write {
        /// The new version's file.
        path: String,
        /// The system's reason.
        reason: String,
    },
}

impl VersionError {
    /// Every code of this family, with its meaning (`P090` belongs to the policy catalogue).
    pub const CODES: &[(&'static str, &'static str)] = &[
        ("N001", "No hay versiones de ese procedimiento en la carpeta."),
        ("N002", "La nueva versión debe regir después de la última."),
        (
            "N003",
            "El archivo de la nueva versión ya existe; no se sobrescribe.",
        ),
        (
            "N004",
            "La última versión tiene errores de sintaxis y no se puede copiar.",
        ),
        ("N005", "No se pudo escribir el archivo de la nueva versión."),
    ];
}

impl crate::codes::Coded for VersionError {
    fn code(&self) -> &'static str {
        VersionError::code(self)
    }
}

impl VersionError {
    /// The stable code (`N001`…).
    pub fn code(&self) -> &'static str {
        match self {
            VersionError::Load(_) => "P090",
            VersionError::UnknownCode { .. } => "N001",
            VersionError::NotAfter { .. } => "N002",
            VersionError::Exists { .. } => "N003",
            VersionError::Unparseable { .. } => "N004",
            VersionError::Write { .. } => "N005",
        }
    }
}

/// A version file found in the folder.
struct Found {
    path: PathBuf,
    source: SourceFile,
    code: String,
    number: i64,
    number_span: Span,
    date: Option<NaiveDate>,
    date_span: Span,
}

/// The file `new_version` prepared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewVersion {
    /// Where it goes (`<folder>/<code>/v<N+1>.pauta`).
    pub path: PathBuf,
    /// The latest version's file, the new one's starting point.
    pub from: PathBuf,
    /// The latest number plus one.
    pub version: i64,
    /// The new file's content, not yet written.
    pub text: String,
}

/// Prepare (without writing) version N+1 of `code` from the latest version under `folder`.
pub fn prepare(folder: &Path, code: &str, from_date: NaiveDate) -> Result<NewVersion, VersionError> {
    let sources = read_paths(&[folder.to_path_buf()])?;
    let mut found: Vec<Found> = sources.into_iter().filter_map(version_of).collect();
    let key = match_key(code);
    let codes: Vec<String> = found.iter().map(|f| f.code.clone()).collect();
    found.retain(|f| match_key(&f.code) == key);
    let Some(latest) = found.into_iter().max_by_key(|f| f.number) else {
        let hint = suggest(code, codes.iter().map(String::as_str))
            .map(|s| format!(" (¿quiso decir `{s}`?)"))
            .unwrap_or_default();
        return Err(VersionError::UnknownCode {
            code: code.to_string(),
            folder: folder.display().to_string(),
            hint,
        });
    };
    let Some(latest_date) = latest.date else {
        return Err(VersionError::Unparseable {
            path: latest.path.display().to_string(),
        });
    };
    if from_date <= latest_date {
        return Err(VersionError::NotAfter {
            code: latest.code,
            version: latest.number,
            latest: latest_date,
            asked: from_date,
        });
    }
    let version = latest.number + 1;
    let text = replace_spans(
        &latest.source.text,
        &[
            (latest.number_span, version.to_string()),
            (latest.date_span, from_date.format("%Y-%m-%d").to_string()),
        ],
    );
    let dir = latest
        .path
        .parent()
        .map_or_else(|| folder.to_path_buf(), Path::to_path_buf);
    let path = dir.join(format!("v{version}.pauta"));
    if path.exists() {
        return Err(VersionError::Exists {
            path: path.display().to_string(),
        });
    }
    Ok(NewVersion {
        path,
        from: latest.path,
        version,
        text,
    })
}

/// Write the prepared version (never over an existing file).
pub fn write(new: &NewVersion) -> Result<(), VersionError> {
    use std::io::Write as _;
    let error = |e: std::io::Error| VersionError::Write {
        path: new.path.display().to_string(),
        reason: crate::text::io_reason(&e),
    };
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&new.path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => VersionError::Exists {
                path: new.path.display().to_string(),
            },
            _ => error(e),
        })?;
    file.write_all(new.text.as_bytes()).map_err(error)
}

fn version_of(source: SourceFile) -> Option<Found> {
    let Ok(Document::Procedure(doc)) = parse(&source) else {
        return None;
    };
    doc.items.iter().find_map(|item| match &item.node {
        ProcedureItem::Version {
            number,
            effective_from,
        } => Some(Found {
            path: PathBuf::from(&source.name),
            code: doc.code.value.clone(),
            number: number.value,
            number_span: number.span,
            date: effective_from.value,
            date_span: effective_from.span,
            source: source.clone(),
        }),
        _ => None,
    })
}

fn replace_spans(text: &str, edits: &[(Span, String)]) -> String {
    let mut edits: Vec<&(Span, String)> = edits.iter().collect();
    edits.sort_by_key(|(span, _)| std::cmp::Reverse(span.start));
    let mut out = text.to_string();
    for (span, replacement) in edits {
        if span.start <= span.end
            && span.end <= out.len()
            && out.is_char_boundary(span.start)
            && out.is_char_boundary(span.end)
        {
            out.replace_range(span.start..span.end, replacement);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_are_replaced_from_the_end() {
        let text = "versión 11 vigente desde 2021-12-24";
        let number = text.find("11").unwrap_or(0);
        let date = text.find("2021").unwrap_or(0);
        let out = replace_spans(
            text,
            &[
                (Span::new(date, date + 10), "2027-01-01".to_string()),
                (Span::new(number, number + 2), "12".to_string()),
            ],
        );
        assert_eq!(out, "versión 12 vigente desde 2027-01-01");
    }
}
