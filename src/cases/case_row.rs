//! One row of the cases file made into a [`Case`]: its field count, id, registration date,
//! the version in force that day, category, state, exception, dates, attachments and area, or
//! the reason it is rejected.

use super::codes::RejectCode;
use super::columns::CaseColumns;
use super::context::PolicyContext;
use super::dates::DateReader;
use super::mapping::Mapping;
use super::model::Case;
use super::row::Row;
use crate::calendar::clock::{LocalSeconds, date_of};
use crate::text::match_key;

/// Why a row is rejected: its code and the reason shown.
pub(super) type Rejected = (RejectCode, String);

/// Builds and validates one case row.
#[expect(
    clippy::too_many_arguments,
    reason = "the row, its file's layout and the run's settings, borrowed from different owners; a struct would serve this one call"
)]
pub(super) fn build_case<'c, 'p>(
    source: &Row,
    columns: &CaseColumns,
    mapping: &Mapping,
    dates: &DateReader,
    contexts: &'c [(chrono::NaiveDate, PolicyContext<'p>)],
    pinned: bool,
    duplicate_of: Option<u64>,
    id: &str,
    keep_columns: bool,
) -> Result<(Case, &'c PolicyContext<'p>), Rejected> {
    check_row(source, columns, duplicate_of, id)?;
    let registered = required_date(source, columns.registered, dates, "fecha de registro")?;
    let date = date_of(registered);
    let (policy, context) = version_in_force(contexts, pinned, date)?;
    context
        .clock
        .position(registered)
        .map_err(|error| (RejectCode::OutsideCalendar, error.to_string()))?;

    let category = category_of(source, columns.category, context, mapping)?;
    let state = state_of(source, columns.state, context, mapping)?;
    let exception = exception_of(source, columns.exception, context, mapping)?;
    let solved = optional_date(source, columns.solved, dates, "fecha de solución")?;
    let closed = optional_date(source, columns.closed, dates, "fecha de cierre")?;
    for at in [solved, closed].into_iter().flatten() {
        context
            .clock
            .position(at)
            .map_err(|error| (RejectCode::OutsideCalendar, error.to_string()))?;
    }
    let attachments = attachments_of(source, columns.attachments, mapping);
    let area = columns
        .area
        .map(|column| crate::text::trim(&source.field(column)).to_owned())
        .filter(|area| !area.is_empty());
    Ok((
        Case {
            line: source.line(),
            id: id.to_owned(),
            policy,
            category,
            exception,
            state,
            registered,
            solved,
            closed,
            attachments,
            area,
            columns: if keep_columns {
                (0..source.len())
                    .map(|index| source.field(index).into_owned())
                    .collect()
            } else {
                Vec::new()
            },
        },
        context,
    ))
}

fn required_date(
    source: &Row,
    column: usize,
    dates: &DateReader,
    what: &str,
) -> Result<LocalSeconds, Rejected> {
    optional_date(source, Some(column), dates, what)?
        .ok_or_else(|| (RejectCode::MissingField, format!("falta la {what}")))
}

fn optional_date(
    source: &Row,
    column: Option<usize>,
    dates: &DateReader,
    what: &str,
) -> Result<Option<LocalSeconds>, Rejected> {
    let Some(column) = column else {
        return Ok(None);
    };
    let text = source.field(column);
    let text = crate::text::trim(&text);
    if text.is_empty() {
        return Ok(None);
    }
    dates.parse(text).map(Some).ok_or_else(|| {
        (
            RejectCode::BadDate,
            format!(
                "{what} «{text}» ilegible; formatos probados: {}",
                dates.formats_tried()
            ),
        )
    })
}

/// The checks before any field is read: the field count, the id, and whether the id was seen
/// before (`duplicate_of`: its first line).
fn check_row(
    source: &Row,
    columns: &CaseColumns,
    duplicate_of: Option<u64>,
    id: &str,
) -> Result<(), Rejected> {
    if source.len() != columns.width {
        return Err((
            RejectCode::FieldCount,
            format!(
                "la fila tiene {} campos y los encabezados {}; revise separadores o comillas sin cerrar",
                source.len(),
                columns.width
            ),
        ));
    }
    if id.is_empty() {
        return Err((RejectCode::MissingField, "falta el número de caso".to_owned()));
    }
    if let Some(first) = duplicate_of {
        return Err((
            RejectCode::DuplicateCase,
            format!("el caso {id} ya apareció en la línea {first}; se evaluó esa fila"),
        ));
    }
    Ok(())
}

/// The version in force on the registration `date` (the latest in force by then), or the pinned
/// one: its index and context.
fn version_in_force<'c, 'p>(
    contexts: &'c [(chrono::NaiveDate, PolicyContext<'p>)],
    pinned: bool,
    date: chrono::NaiveDate,
) -> Result<(usize, &'c PolicyContext<'p>), Rejected> {
    contexts
        .iter()
        .enumerate()
        .filter(|(_, (from, _))| pinned || *from <= date)
        .max_by_key(|(_, (from, _))| *from)
        .map(|(index, (_, context))| (index, context))
        .ok_or_else(|| {
            let first = contexts
                .iter()
                .map(|(_, c)| c.policy)
                .min_by_key(|p| p.effective_from)
                .map(|p| {
                    format!(
                        "{} versión {}, vigente desde {}",
                        p.code, p.version, p.effective_from
                    )
                })
                .unwrap_or_default();
            (
                RejectCode::NoVersionInForce,
                format!("registrado el {date}, antes de la primera versión de la política ({first})"),
            )
        })
}

/// The category of the row, in the policy's table.
fn category_of(
    source: &Row,
    column: usize,
    context: &PolicyContext<'_>,
    mapping: &Mapping,
) -> Result<usize, Rejected> {
    let category_text = source.field(column);
    let category_text = crate::text::trim(&category_text);
    if category_text.is_empty() {
        return Err((
            RejectCode::MissingField,
            "falta la categoría (servicio)".to_owned(),
        ));
    }
    context.category(category_text, mapping).map_err(|no_match| {
        (
            RejectCode::UnknownCategory,
            format!(
                "«{category_text}» no es una categoría de {}.{} Si la mesa de servicios la escribe así, agréguela en [categories] del archivo de asignación",
                context.policy.id(),
                no_match.hint()
            ),
        )
    })
}

/// The state of the row, in the policy's states.
fn state_of(
    source: &Row,
    column: usize,
    context: &PolicyContext<'_>,
    mapping: &Mapping,
) -> Result<usize, Rejected> {
    let state_text = source.field(column);
    let state_text = crate::text::trim(&state_text);
    if state_text.is_empty() {
        return Err((RejectCode::MissingField, "falta el estado".to_owned()));
    }
    context.state(state_text, mapping).map_err(|no_match| {
        (
            RejectCode::UnknownState,
            format!(
                "estado «{state_text}» desconocido.{} Si la mesa de servicios lo escribe así, agréguelo en [states] del archivo de asignación",
                no_match.hint()
            ),
        )
    })
}

/// The exception type of the row, if it has one (empty, or a "no exception" text, is none).
fn exception_of(
    source: &Row,
    column: Option<usize>,
    context: &PolicyContext<'_>,
    mapping: &Mapping,
) -> Result<Option<usize>, Rejected> {
    Ok(match column {
        None => None,
        Some(column) => {
            let text = source.field(column);
            let text = crate::text::trim(&text);
            if text.is_empty() || mapping.no_exception.contains(&match_key(text)) {
                None
            } else if context.policy.exceptions.is_none() {
                return Err((
                    RejectCode::UnknownException,
                    format!(
                        "«{text}»: la versión {} no tiene régimen de excepciones",
                        context.policy.version
                    ),
                ));
            } else {
                Some(context.exception(text, mapping).map_err(|no_match| {
                    (
                        RejectCode::UnknownException,
                        format!(
                            "«{text}» no es un tipo de excepción de la política.{}",
                            no_match.hint()
                        ),
                    )
                })?)
            }
        }
    })
}

/// The evidence kinds attached, split by the mapping's separator (none without the column).
fn attachments_of(source: &Row, column: Option<usize>, mapping: &Mapping) -> Vec<String> {
    column.map_or_else(Vec::new, |column| {
        let field = source.field(column);
        let separator = mapping.attachment_separator.as_str();
        let mut chars = separator.chars();
        let kinds = |parts: &mut dyn Iterator<Item = &str>| {
            parts
                .map(crate::text::trim)
                .filter(|kind| !kind.is_empty())
                .map(str::to_owned)
                .collect()
        };
        match (chars.next(), chars.next()) {
            // A one-character separator (the usual `;`) splits faster as a character.
            (Some(single), None) => kinds(&mut field.split(single)),
            _ => kinds(&mut field.split(separator)),
        }
    })
}
