//! Where the columns are: the header indices of the cases file, the error naming every
//! missing required column (shared with the history file), and whether any rule reads the
//! whole row (`caso.columnas`).

use super::error::RunError;
use super::mapping::Mapping;
use super::source::CsvSource;
use crate::rules::compiled::RuleBook;

/// Header indices of the cases file.
pub(super) struct CaseColumns {
    /// Number of headers; every row must have exactly this many fields.
    pub(super) width: usize,
    pub(super) id: usize,
    pub(super) category: usize,
    pub(super) state: usize,
    pub(super) registered: usize,
    pub(super) solved: Option<usize>,
    pub(super) closed: Option<usize>,
    pub(super) exception: Option<usize>,
    pub(super) attachments: Option<usize>,
    pub(super) area: Option<usize>,
}

/// The header indices of the cases file, or the error naming the missing required columns.
pub(super) fn case_columns(source: &CsvSource, mapping: &Mapping) -> Result<CaseColumns, RunError> {
    let names = &mapping.cases;
    let required = [
        ("caso", &names.id),
        ("categoría", &names.category),
        ("estado", &names.state),
        ("fecha de registro", &names.registered),
    ];
    let found = required_columns(source, &required)?;
    if let [id, category, state, registered] = found.as_slice() {
        return Ok(CaseColumns {
            width: source.headers().len(),
            id: *id,
            category: *category,
            state: *state,
            registered: *registered,
            solved: source.column(&names.solved),
            closed: source.column(&names.closed),
            exception: source.column(&names.exception),
            attachments: source.column(&names.attachments),
            area: source.column(&names.area),
        });
    }
    Err(RunError::MissingColumns {
        path: source.path().to_owned(),
        missing: String::new(),
        found: quoted(source.headers()),
    })
}

impl CaseColumns {
    /// The optional columns this file lacks, each with what its absence changes; `history`
    /// says whether a history file was given (it then supplies the solution dates).
    pub(super) fn absent(&self, mapping: &Mapping, history: bool) -> Vec<String> {
        let names = &mapping.cases;
        let first = |list: &[String]| list.first().cloned().unwrap_or_default();
        let mut absent = Vec::new();
        if self.solved.is_none() && !history {
            absent.push(format!(
                "el archivo de casos no tiene la columna «{}» y no se indicó historial: ningún caso \
                 se da por solucionado; revise el encabezado o indique --history",
                first(&names.solved)
            ));
        }
        if self.exception.is_none() {
            absent.push(format!(
                "el archivo de casos no tiene la columna «{}»: ningún caso se trata como excepción \
                 (todos con el ANS de su categoría)",
                first(&names.exception)
            ));
        }
        if self.attachments.is_none() {
            absent.push(format!(
                "el archivo de casos no tiene la columna «{}»: las reglas que piden evidencias ven \
                 cada caso sin adjuntos",
                first(&names.attachments)
            ));
        }
        absent
    }
}

/// The index of each required column (`(role, header alternatives)`), or the error naming
/// every missing one with the names tried and the headers found.
pub(super) fn required_columns(
    source: &CsvSource,
    required: &[(&str, &Vec<String>)],
) -> Result<Vec<usize>, RunError> {
    let mut missing = Vec::new();
    let mut found = Vec::new();
    for (role, alternatives) in required {
        match source.column(alternatives) {
            Some(index) => found.push(index),
            None => missing.push(format!("{role} ({})", quoted(alternatives))),
        }
    }
    if missing.is_empty() {
        Ok(found)
    } else {
        Err(RunError::MissingColumns {
            path: source.path().to_owned(),
            missing: missing.join("; "),
            found: quoted(source.headers()),
        })
    }
}

/// The names in `«»`, at most 30 of them (then how many more).
pub(super) fn quoted(names: &[String]) -> String {
    /// Headers listed at most (a garbage first line may hold thousands of "headers").
    const SHOWN_HEADERS: usize = 30;
    let mut text = names
        .iter()
        .take(SHOWN_HEADERS)
        .map(|n| format!("«{}»", crate::text::shown(n)))
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > SHOWN_HEADERS {
        text.push_str(&format!(" y {} más", names.len() - SHOWN_HEADERS));
    }
    text
}

/// Whether a rule of any book may read `caso.columnas`, so every case keeps its whole row.
///
/// A plain substring test, on purpose: it over-approximates (a `"columnas"` literal or comment
/// also counts, which only costs keeping the rows), whereas
/// [`crate::rules::fields::fields_read`] sees only the literal `caso.columnas` spelling and
/// would miss `(caso).columnas` or `[caso][0].columnas`, leaving such a rule an empty map.
pub(super) fn reads_columns(books: &[RuleBook]) -> bool {
    books.iter().flat_map(|book| book.rules.iter()).any(|rule| {
        rule.rule.require.source.contains("columnas")
            || rule
                .rule
                .when
                .as_ref()
                .is_some_and(|w| w.source.contains("columnas"))
    })
}
