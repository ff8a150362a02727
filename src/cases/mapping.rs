//! `mapping.toml`: how an Aranda export is read (headers, encoding, delimiter, date formats, and
//! export texts that the policy spells differently). The default is embedded; a user file
//! overrides only the keys it sets.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use crate::text::match_key;

/// The embedded default mapping, as shipped in `src/cases/mapping.toml`.
pub const DEFAULT_MAPPING: &str = include_str!("mapping.toml");

/// Errors reading a mapping file (codes `M001`…).
#[derive(Debug, thiserror::Error)]
pub enum MappingError {
    /// `M001`: the file cannot be read.
    #[error("no se pudo leer el archivo de asignación {path}: {reason}")]
    Unreadable {
        /// The `--mapping` path as given.
        path: String,
        /// Operating-system reason.
        reason: String,
    },
    /// `M002`: the file is not valid TOML or has unknown keys or wrong value types.
    #[error(
        "{path}:{line}:{column}: el archivo de asignación no es válido: {reason}; compárelo con `pauta mapping`"
    )]
    Invalid {
        /// The `--mapping` path as given.
        path: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the TOML reader said.
        reason: String,
    },
    /// `M004`: a translation names a category, state, exception type or reason that no policy in
    /// use has.
    #[error("{path}:{line}:{column}: {reason}")]
    UnknownTarget {
        /// The `--mapping` path as given.
        path: String,
        /// 1-based line of the value.
        line: usize,
        /// 1-based column of the value.
        column: usize,
        /// What is wrong and how to fix it.
        reason: String,
    },
    /// `M003`: a value the reader cannot use.
    #[error("{path}: {reason}")]
    BadValue {
        /// The `--mapping` path as given.
        path: String,
        /// What is wrong and how to fix it.
        reason: String,
    },
}

impl MappingError {
    /// Every code of this family, with its meaning.
    pub const CODES: &[(&'static str, &'static str)] = &[
        ("M001", "El archivo de asignación no se pudo leer."),
        (
            "M002",
            "El archivo de asignación no es TOML válido o tiene una clave que no existe.",
        ),
        (
            "M003",
            "Un valor del archivo de asignación no es válido (un formato de fecha, una codificación).",
        ),
        (
            "M004",
            "El archivo de asignación traduce a un nombre que la política no tiene.",
        ),
    ];
}

impl crate::codes::Coded for MappingError {
    fn code(&self) -> &'static str {
        MappingError::code(self)
    }
}

impl MappingError {
    /// Stable code (`M001`…).
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unreadable { .. } => "M001",
            Self::Invalid { .. } => "M002",
            Self::BadValue { .. } => "M003",
            Self::UnknownTarget { .. } => "M004",
        }
    }
}

/// One header name or several alternatives.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
enum Names {
    One(String),
    Many(Vec<String>),
}

impl Names {
    fn into_vec(self) -> Vec<String> {
        match self {
            Names::One(name) => vec![name],
            Names::Many(names) => names,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMapping {
    file: RawFile,
    cases: RawCases,
    history: RawHistory,
    categories: BTreeMap<String, String>,
    states: BTreeMap<String, String>,
    reasons: BTreeMap<String, String>,
    exceptions: BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    encoding: String,
    delimiter: String,
    date_formats: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCases {
    id: Names,
    category: Names,
    state: Names,
    registered: Names,
    solved: Names,
    closed: Names,
    exception: Names,
    attachments: Names,
    area: Names,
    attachment_separator: String,
    no_exception: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHistory {
    case: Names,
    date: Names,
    from: Names,
    to: Names,
    reason: Names,
}

/// Text encoding of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 with or without BOM; a field that is not valid UTF-8 is read as Windows-1252.
    Auto,
    /// UTF-8 only (invalid bytes are replaced and reported).
    Utf8,
    /// Windows-1252, the encoding of Excel's «CSV» on a Spanish Windows.
    Windows1252,
}

/// Field delimiter of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delimiter {
    /// The most frequent of `,`, `;` and tab in the header line.
    Auto,
    /// Always this byte (`delimiter = ";"` in the mapping file).
    Byte(u8),
}

/// Header names of the cases file (each a list of alternatives).
#[derive(Debug, Clone)]
pub struct CaseColumns {
    /// Case id (required).
    pub id: Vec<String>,
    /// Category (required).
    pub category: Vec<String>,
    /// Current state (required).
    pub state: Vec<String>,
    /// Registration instant (required).
    pub registered: Vec<String>,
    /// Solution instant, when the export has one (no history file needed).
    pub solved: Vec<String>,
    /// Close instant (optional).
    pub closed: Vec<String>,
    /// Exception type (optional); empty means an ordinary request.
    pub exception: Vec<String>,
    /// Evidence kinds attached.
    pub attachments: Vec<String>,
    /// Requesting area (optional); rules read it as `caso.area`.
    pub area: Vec<String>,
}

/// Header names of the history file.
#[derive(Debug, Clone)]
pub struct HistoryColumns {
    /// Case id, joining a history row to its case (required).
    pub case: Vec<String>,
    /// Instant of the change.
    pub date: Vec<String>,
    /// State before the change (required).
    pub from: Vec<String>,
    /// State after the change (required).
    pub to: Vec<String>,
    /// Reason recorded with the change, checked against the transition's reasons.
    pub reason: Vec<String>,
}

/// A resolved mapping.
#[derive(Debug, Clone)]
pub struct Mapping {
    /// Where it came from (`(incluida)` for the default).
    pub origin: String,
    /// Encoding of both exports: detected (`Auto`), UTF-8 or Windows-1252.
    pub encoding: Encoding,
    /// Delimiter of both exports: detected from the header line, or a fixed byte.
    pub delimiter: Delimiter,
    /// Extra chrono date formats, tried before the built-in ones.
    pub date_formats: Vec<String>,
    /// Accepted header names of the cases export, per field.
    pub cases: CaseColumns,
    /// Accepted header names of the history export, per field.
    pub history: HistoryColumns,
    /// Separator of the attachments column.
    pub attachment_separator: String,
    /// Exception-column texts meaning "no exception" (match keys).
    pub no_exception: Vec<String>,
    /// Export category text (match key) → policy category name.
    pub categories: BTreeMap<String, String>,
    /// Export state text (match key) → policy state name.
    pub states: BTreeMap<String, String>,
    /// Export reason text (match key) → policy reason text.
    pub reasons: BTreeMap<String, String>,
    /// Export exception text (match key) → policy exception type.
    pub exceptions: BTreeMap<String, String>,
    /// The user's file as written (empty for the embedded default), to place later problems.
    pub overrides: String,
}

impl Mapping {
    /// The embedded default.
    pub fn embedded() -> Result<Self, MappingError> {
        Self::from_overrides("(incluida)", "")
    }

    /// The default with the keys of the file at `path` overriding it.
    pub fn from_file(path: &Path) -> Result<Self, MappingError> {
        let text = std::fs::read_to_string(path).map_err(|error| MappingError::Unreadable {
            path: path.display().to_string(),
            reason: crate::text::io_reason(&error),
        })?;
        // TOML knows LF and CRLF only: a file saved with old-Mac line ends is read as LF.
        Self::from_overrides(&path.display().to_string(), &crate::line_ends::normalise(&text))
    }

    /// The default with the keys of `text` (TOML) overriding it; `origin` names it in messages.
    pub fn from_overrides(origin: &str, text: &str) -> Result<Self, MappingError> {
        let invalid = |source: &str, error: toml::de::Error| {
            let (line, column) = error
                .span()
                .map(|span| crate::text::line_column(source, span.start))
                .unwrap_or((1, 1));
            MappingError::Invalid {
                path: origin.to_owned(),
                line,
                column,
                reason: toml_reason(error.message()),
            }
        };
        let mut base: toml::Table =
            toml::from_str(DEFAULT_MAPPING).map_err(|error| invalid(DEFAULT_MAPPING, error))?;
        let overrides: toml::Table = toml::from_str(text).map_err(|error| invalid(text, error))?;
        check_structure(origin, text, &base)?;
        for (section, value) in overrides {
            match (base.get_mut(&section), value) {
                (Some(toml::Value::Table(base_section)), toml::Value::Table(user_section)) => {
                    for (key, value) in user_section {
                        base_section.insert(key, value);
                    }
                }
                (_, value) => {
                    base.insert(section, value);
                }
            }
        }
        let merged = toml::to_string(&base).map_err(|error| MappingError::BadValue {
            path: origin.to_owned(),
            reason: error.to_string(),
        })?;
        let raw: RawMapping = toml::from_str(&merged).map_err(|error| {
            // Point at the user's text when the key is there; the merged text is ours.
            let mut located = invalid(text, error);
            if let MappingError::Invalid { line, column, .. } = &mut located {
                (*line, *column) = (1, 1);
            }
            located
        })?;
        let mut mapping = Self::resolve(origin, raw)?;
        mapping.overrides = text.to_owned();
        Ok(mapping)
    }

    fn resolve(origin: &str, raw: RawMapping) -> Result<Self, MappingError> {
        let bad = |reason: String| MappingError::BadValue {
            path: origin.to_owned(),
            reason,
        };
        let encoding = match match_key(&raw.file.encoding).replace(['-', '_'], "").as_str() {
            "auto" => Encoding::Auto,
            "utf8" => Encoding::Utf8,
            "windows1252" | "cp1252" | "latin1" | "iso88591" => Encoding::Windows1252,
            _ => {
                return Err(bad(format!(
                    "codificación «{}» desconocida en [file] encoding; use \"auto\", \"utf-8\" o \"windows-1252\"",
                    raw.file.encoding
                )));
            }
        };
        let delimiter = match raw.file.delimiter.as_str() {
            "auto" => Delimiter::Auto,
            "\\t" | "\t" | "tab" => Delimiter::Byte(b'\t'),
            other if other.len() == 1 && other.is_ascii() && other != "\"" => {
                Delimiter::Byte(other.as_bytes().first().copied().unwrap_or(b','))
            }
            other => {
                return Err(bad(format!(
                    "separador «{other}» no válido en [file] delimiter; use \"auto\", \",\", \";\" o \"\\t\""
                )));
            }
        };
        let keyed = |map: BTreeMap<String, String>| -> BTreeMap<String, String> {
            map.into_iter().map(|(from, to)| (match_key(&from), to)).collect()
        };
        Ok(Self {
            origin: origin.to_owned(),
            encoding,
            delimiter,
            date_formats: raw.file.date_formats,
            cases: CaseColumns {
                id: raw.cases.id.into_vec(),
                category: raw.cases.category.into_vec(),
                state: raw.cases.state.into_vec(),
                registered: raw.cases.registered.into_vec(),
                solved: raw.cases.solved.into_vec(),
                closed: raw.cases.closed.into_vec(),
                exception: raw.cases.exception.into_vec(),
                attachments: raw.cases.attachments.into_vec(),
                area: raw.cases.area.into_vec(),
            },
            history: HistoryColumns {
                case: raw.history.case.into_vec(),
                date: raw.history.date.into_vec(),
                from: raw.history.from.into_vec(),
                to: raw.history.to.into_vec(),
                reason: raw.history.reason.into_vec(),
            },
            attachment_separator: raw.cases.attachment_separator,
            no_exception: raw
                .cases
                .no_exception
                .iter()
                .map(|text| match_key(text))
                .collect(),
            categories: keyed(raw.categories),
            states: keyed(raw.states),
            reasons: keyed(raw.reasons),
            exceptions: keyed(raw.exceptions),
            overrides: String::new(),
        })
    }

    /// Checks that every text the mapping file translates to names something of the policies in
    /// use — `[categories]` a category, `[states]` a state, `[exceptions]` an exception type,
    /// `[reasons]` a transition reason — so a misspelled target is told here, at its own line,
    /// not as every matching row rejected later.
    pub fn validate(&self, set: &crate::policy::PolicySet) -> Result<(), MappingError> {
        if self.overrides.is_empty() {
            return Ok(());
        }
        let Ok(table) = toml::de::DeTable::parse(&self.overrides) else {
            return Ok(());
        };
        for (section, value) in table.get_ref() {
            let Some(entries) = value.get_ref().as_table() else {
                continue;
            };
            let (what, targets) = match section.get_ref().as_ref() {
                "categories" => ("categoría", targets(set, Target::Category)),
                "states" => ("estado", targets(set, Target::State)),
                "exceptions" => ("tipo de excepción", targets(set, Target::Exception)),
                "reasons" => ("razón de transición", targets(set, Target::Reason)),
                _ => continue,
            };
            for (_, target) in entries {
                let Some(text) = target.get_ref().as_str() else {
                    continue;
                };
                if targets.iter().any(|t| match_key(t) == match_key(text)) {
                    continue;
                }
                let (line, column) = crate::text::line_column(&self.overrides, target.span().start);
                let hint = crate::text::suggest(text, targets.iter().map(String::as_str))
                    .map(|s| format!(" ¿quiso decir «{s}»?"))
                    .unwrap_or_default();
                return Err(MappingError::UnknownTarget {
                    path: self.origin.clone(),
                    line,
                    column,
                    reason: format!(
                        "[{}] asigna «{}», que no es {what} de ninguna versión de las políticas en uso.{hint} Escriba el nombre como lo escribe la política",
                        section.get_ref(),
                        crate::text::shown(text)
                    ),
                });
            }
        }
        Ok(())
    }
}

/// What a mapping section translates to.
#[derive(Clone, Copy)]
enum Target {
    Category,
    State,
    Exception,
    Reason,
}

/// Every name (and alias) of a kind of target in the policies of `set`.
fn targets(set: &crate::policy::PolicySet, kind: Target) -> Vec<String> {
    let mut names = Vec::new();
    for policy in &set.policies {
        match kind {
            Target::Category => {
                for category in &policy.categories {
                    names.push(category.name.clone());
                    names.extend(category.aliases.iter().cloned());
                }
            }
            Target::State => {
                for state in &policy.states {
                    names.push(state.name.clone());
                    names.extend(state.aliases.iter().cloned());
                }
            }
            Target::Exception => {
                for kind in policy.exceptions.iter().flat_map(|e| &e.types) {
                    names.push(kind.name.clone());
                    names.extend(kind.aliases.iter().cloned());
                }
            }
            Target::Reason => {
                for transition in &policy.transitions {
                    if let crate::policy::model::Reasons::List(reasons) = &transition.reasons {
                        names.extend(reasons.iter().cloned());
                    }
                }
                names.extend(policy.auto_close.iter().map(|a| a.reason.clone()));
            }
        }
    }
    names.sort();
    names.dedup();
    names
}

/// The user's mapping keys and value kinds checked against the default's, each problem at its
/// own line and column, in Spanish (serde would say it in English, at 1:1, after the merge).
fn check_structure(origin: &str, text: &str, base: &toml::Table) -> Result<(), MappingError> {
    let at = |offset: usize, reason: String| {
        let (line, column) = crate::text::line_column(text, offset);
        MappingError::Invalid {
            path: origin.to_owned(),
            line,
            column,
            reason,
        }
    };
    let Ok(table) = toml::de::DeTable::parse(text) else {
        return Ok(());
    };
    for (section, value) in table.get_ref() {
        let name = section.get_ref().as_ref();
        let Some(base_section) = base.get(name).and_then(toml::Value::as_table) else {
            let hint = crate::text::suggest(name, base.keys().map(String::as_str))
                .map(|s| format!(" (¿quiso decir `[{s}]`?)"))
                .unwrap_or_default();
            return Err(at(
                section.span().start,
                format!(
                    "la sección `[{name}]` no existe; las secciones son {}{hint}",
                    base.keys()
                        .map(|k| format!("`[{k}]`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        };
        let Some(entries) = value.get_ref().as_table() else {
            return Err(at(
                value.span().start,
                format!("`{name}` debe ser una sección `[{name}]`"),
            ));
        };
        // The translation sections are free maps from export texts to policy texts.
        let free = base_section.is_empty();
        for (key, value) in entries {
            let key_name = key.get_ref().as_ref();
            let expected = base_section.get(key_name);
            if !free && expected.is_none() {
                let hint = crate::text::suggest(key_name, base_section.keys().map(String::as_str))
                    .map(|s| format!(" (¿quiso decir `{s}`?)"))
                    .unwrap_or_default();
                return Err(at(
                    key.span().start,
                    format!(
                        "la clave `{key_name}` no existe en `[{name}]`; las claves son {}{hint}",
                        base_section
                            .keys()
                            .map(|k| format!("`{k}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
            let value_ref = value.get_ref();
            let is_text = value_ref.as_str().is_some();
            let is_list_of_texts = value_ref
                .as_array()
                .is_some_and(|items| items.iter().all(|item| item.get_ref().as_str().is_some()));
            let fits = match expected {
                None | Some(toml::Value::String(_)) => is_text,
                Some(toml::Value::Array(_)) if matches!(key_name, "date_formats" | "no_exception") => {
                    is_list_of_texts
                }
                Some(toml::Value::Array(_)) => is_text || is_list_of_texts,
                Some(_) => true,
            };
            if !fits {
                let wanted = match expected {
                    None | Some(toml::Value::String(_)) => "un texto entre comillas",
                    Some(_) if matches!(key_name, "date_formats" | "no_exception") => {
                        "una lista de textos, p. ej. [\"a\", \"b\"]"
                    }
                    Some(_) => "un texto entre comillas o una lista de textos",
                };
                return Err(at(
                    value.span().start,
                    format!("el valor de `{key_name}` debe ser {wanted}"),
                ));
            }
        }
    }
    Ok(())
}

/// A TOML syntax error in Spanish (the reader's own text is English).
fn toml_reason(english: &str) -> String {
    let english = english.to_lowercase();
    if english.contains("duplicate key") {
        "una clave está repetida; deje una sola".to_owned()
    } else if english.contains("invalid string")
        || english.contains("unterminated")
        || english.contains("string")
    {
        "un texto no está bien escrito entre comillas \"…\"".to_owned()
    } else if english.contains("table") {
        "el encabezado de sección no es válido; escríbalo como [cases]".to_owned()
    } else {
        "no es TOML válido: escriba una clave por línea, como clave = \"valor\" o clave = [\"a\", \"b\"]"
            .to_owned()
    }
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests may panic: a failed unwrap is a failed test"
)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_default_is_valid() {
        let mapping = Mapping::embedded().unwrap();
        assert_eq!(mapping.cases.id.first().map(String::as_str), Some("Caso"));
        assert_eq!(mapping.encoding, Encoding::Auto);
        assert!(mapping.no_exception.contains(&"ninguna".to_owned()));
    }

    #[test]
    fn overrides_replace_only_the_keys_given() {
        let mapping = Mapping::from_overrides(
            "m.toml",
            "[file]\ndelimiter = \";\"\n[cases]\nid = \"Número\"\n[states]\n\"Resuelto\" = \"Solucionado\"\n",
        )
        .unwrap();
        assert_eq!(mapping.delimiter, Delimiter::Byte(b';'));
        assert_eq!(mapping.cases.id, vec!["Número".to_owned()]);
        assert_eq!(mapping.cases.state, vec!["Estado".to_owned()]);
        assert_eq!(
            mapping.states.get("resuelto").map(String::as_str),
            Some("Solucionado")
        );
    }

    #[test]
    fn mistakes_are_located_and_coded() {
        let error = Mapping::from_overrides("m.toml", "[file]\nencoding = \n").unwrap_err();
        assert_eq!(error.code(), "M002");
        assert!(error.to_string().starts_with("m.toml:2:"), "{error}");
        let error = Mapping::from_overrides("m.toml", "[file]\nencoding = \"ebcdic\"\n").unwrap_err();
        assert_eq!(error.code(), "M003");
        let error = Mapping::from_overrides("m.toml", "[cases]\nidd = \"x\"\n").unwrap_err();
        assert_eq!(error.code(), "M002");
        assert!(error.to_string().contains("idd"), "{error}");
    }
}
