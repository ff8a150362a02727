//! The procedure's header statements: `versión N vigente desde AAAA-MM-DD`, the `calendario`
//! it counts business days with, and the business hours (`horario` and `fuera de horario`).

use chrono::{NaiveDate, NaiveTime, Weekday};

use super::{ProcedureSpans, Sections, missing, positive_u32};
use crate::policy::ast::{self, ProcedureItem};
use crate::policy::diagnostics::{Code, Diagnostic};
use crate::policy::model::{AfterHours, BusinessHours};
use crate::policy::source::{SourceFile, Span, Spanned};

/// The header's values; each is absent when its statement is missing or wrong.
pub(super) struct Header {
    /// The `versión` number.
    pub(super) version: Option<u32>,
    /// The `vigente desde` date.
    pub(super) effective_from: Option<NaiveDate>,
    /// The `calendario` name.
    pub(super) calendar: Option<String>,
    /// The business hours.
    pub(super) hours: Option<BusinessHours>,
}

/// Compiles the version, then the calendar name, then the business hours; a missing one is
/// reported at the header.
pub(super) fn compile(
    sections: &Sections,
    doc: &ast::ProcedureDoc,
    source: &SourceFile,
    spans: &mut ProcedureSpans,
    out: &mut Vec<Diagnostic>,
) -> Header {
    // versión
    let mut version_number = None;
    let mut effective_from = None;
    match sections.version {
        Some((
            ProcedureItem::Version {
                number,
                effective_from: from,
            },
            span,
        )) => {
            spans.version = span;
            version_number = positive_u32(number, "la versión", Code::InvalidValue, out);
            effective_from = from.value;
            if from.value.is_none() {
                out.push(
                    Diagnostic::new(
                        Code::InvalidValue,
                        from.span,
                        format!("la fecha `{}` no existe", source.slice(from.span)),
                    )
                    .with_help("escriba una fecha real en la forma AAAA-MM-DD"),
                );
            }
        }
        _ => out.push(missing(doc.header_span, "versión N vigente desde AAAA-MM-DD")),
    }

    // calendario
    let calendar = match sections.calendar {
        Some((ProcedureItem::Calendar(name), _)) => {
            spans.calendar = name.span;
            Some(name.value.clone())
        }
        _ => {
            out.push(missing(doc.header_span, "calendario \"nombre\""));
            None
        }
    };

    // horario
    let hours = match sections.hours {
        Some((
            ProcedureItem::Hours {
                first_day,
                last_day,
                opens,
                closes,
            },
            span,
        )) => compile_hours(
            first_day,
            last_day,
            opens,
            closes,
            span,
            sections.after_hours.is_some(),
            out,
        ),
        _ => {
            out.push(missing(doc.header_span, "horario lunes a viernes 08:00 a 17:00"));
            None
        }
    };

    Header {
        version: version_number,
        effective_from,
        calendar,
        hours,
    }
}

fn compile_hours(
    first_day: &Spanned<Option<Weekday>>,
    last_day: &Spanned<Option<Weekday>>,
    opens: &Spanned<Option<NaiveTime>>,
    closes: &Spanned<Option<NaiveTime>>,
    span: Span,
    has_after_hours: bool,
    out: &mut Vec<Diagnostic>,
) -> Option<BusinessHours> {
    for time in [opens, closes] {
        if time.value.is_none() {
            out.push(
                Diagnostic::new(Code::InvalidValue, time.span, "la hora no existe")
                    .with_help("escriba una hora entre 00:00 y 23:59"),
            );
        }
    }
    let (first, last, opens_at, closes_at) = (first_day.value?, last_day.value?, opens.value?, closes.value?);
    if opens_at >= closes_at {
        out.push(Diagnostic::new(
            Code::InvalidValue,
            closes.span,
            "la hora de cierre debe ser posterior a la de apertura",
        ));
        return None;
    }
    let start = first.num_days_from_monday();
    let end = last.num_days_from_monday();
    if start > end {
        out.push(Diagnostic::new(
            Code::InvalidValue,
            last_day.span,
            "el rango de días debe ir de un día a otro posterior de la misma semana (`lunes a viernes`)",
        ));
        return None;
    }
    if !has_after_hours {
        out.push(
            Diagnostic::new(
                Code::Missing,
                span,
                "falta la regla `fuera de horario: siguiente día hábil`",
            )
            .with_help("el procedimiento debe decir qué pasa con lo radicado fuera de horario"),
        );
    }
    let workdays = (start..=end)
        .filter_map(|d| Weekday::try_from(u8::try_from(d).ok()?).ok())
        .collect();
    Some(BusinessHours {
        workdays,
        opens: opens_at,
        closes: closes_at,
        after_hours: AfterHours::NextBusinessDay,
    })
}
