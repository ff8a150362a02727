//! Calendar files: the `calendario "…"` header and its `festivo` / `cierre` rules, checked as
//! the calendar engine would use them.

use std::collections::BTreeMap;

use super::unknown;
use crate::calendar::{Calendar, DateRule, DayRule};
use crate::policy::ast::{self, CalendarItem, Item};
use crate::policy::diagnostics::{Code, Diagnostic, Severity};
use crate::policy::source::{SourceFile, Spanned};
use crate::text::match_key;

const CALENDAR_KEYWORDS: &[&str] = &["festivo", "cierre"];

/// The `desde`/`hasta` years of a calendar rule (open when absent).
type YearRange = (Option<i32>, Option<i32>);

/// The year ranges declared so far for each rule name (by match key) and kind (holiday or not).
type RangesByName = BTreeMap<(String, bool), Vec<YearRange>>;

/// Compile a calendar file's tree.
pub fn compile_calendar(doc: &ast::CalendarDoc, source: &SourceFile) -> (Option<Calendar>, Vec<Diagnostic>) {
    let mut out = Vec::new();
    let (first_year, last_year) = header_years(doc, &mut out);
    let mut rules = Vec::new();
    let mut by_name = RangesByName::new();
    for item in &doc.items {
        let decl = match &item.node {
            CalendarItem::Rule(decl) => decl,
            CalendarItem::Unknown(word) => {
                out.push(unknown(word, CALENDAR_KEYWORDS));
                continue;
            }
        };
        if let Some(rule) = compile_rule(item, decl, source, &mut by_name, &mut out) {
            rules.push(rule);
        }
    }
    let has_error = out.iter().any(|d| d.code.severity() == Severity::Error);
    let calendar = match first_year {
        Some(first_year) if !has_error => Some(Calendar {
            name: doc.name.value.clone(),
            zone: doc.zone.value.clone(),
            utc_offset_seconds: doc.utc_offset_seconds.value,
            first_year,
            last_year,
            rules,
        }),
        _ => None,
    };
    (calendar, out)
}

/// A year as written, when it is one the calendar can count (1583 to 9999).
fn year(y: &Option<Spanned<i64>>, out: &mut Vec<Diagnostic>) -> Option<i32> {
    let y = y.as_ref()?;
    match i32::try_from(y.value) {
        Ok(v) if (1583..=9999).contains(&v) => Some(v),
        _ => {
            out.push(
                Diagnostic::new(
                    Code::CalendarRule,
                    y.span,
                    format!("el año `{}` no es válido", y.value),
                )
                .with_help("use un año entre 1583 y 9999"),
            );
            None
        }
    }
}

/// The header's `desde` and `hasta` years, and the check of its name.
fn header_years(doc: &ast::CalendarDoc, out: &mut Vec<Diagnostic>) -> (Option<i32>, Option<i32>) {
    let first_year = year(&doc.first_year, out);
    let last_year = year(&doc.last_year, out);
    if doc.first_year.is_none() {
        out.push(
            Diagnostic::new(
                Code::Missing,
                doc.header_span,
                "falta `desde AAAA` en el encabezado del calendario",
            )
            .with_help("indique el primer año que describen sus reglas, p. ej. `desde 1984`"),
        );
    }
    if let (Some(a), Some(b)) = (first_year, last_year)
        && a > b
    {
        out.push(Diagnostic::new(
            Code::CalendarRule,
            doc.header_span,
            "`desde` es posterior a `hasta`",
        ));
    }
    if doc.name.value.trim().is_empty() {
        out.push(Diagnostic::new(
            Code::InvalidValue,
            doc.name.span,
            "el nombre del calendario está vacío",
        ));
    }
    (first_year, last_year)
}

/// One `festivo` / `cierre` rule; absent only when its date does not exist (the other problems
/// are reported and the rule kept, as the calendar is rejected anyway).
fn compile_rule(
    item: &Item<CalendarItem>,
    decl: &ast::DayRuleDecl,
    source: &SourceFile,
    by_name: &mut RangesByName,
    out: &mut Vec<Diagnostic>,
) -> Option<DayRule> {
    // `06-29` (month first) is read as `29 de junio` for one more version, with a warning.
    let written = source
        .text
        .get(decl.date.span.start..decl.date.span.end)
        .unwrap_or_default();
    if let Some(DateRule::Fixed { month, day }) = decl.date.value
        && written.contains('-')
    {
        let spanish = crate::wording::day_of_month(month, day);
        out.push(
            Diagnostic::new(
                Code::OldDayForm,
                decl.date.span,
                format!("`{written}` se lee mes-día: {spanish}"),
            )
            .with_help(format!(
                "escriba el día a la española, `{spanish}` (`pauta fmt` lo reescribe); la forma MM-DD dejará de aceptarse en la próxima versión de pauta"
            )),
        );
    }
    let from = year(&decl.from_year, out);
    let until = year(&decl.until_year, out);
    if let (Some(a), Some(b)) = (from, until)
        && a > b
    {
        out.push(Diagnostic::new(
            Code::CalendarRule,
            item.span,
            format!("en `{}`, `desde` {a} es posterior a `hasta` {b}", decl.name.value),
        ));
    }
    let Some(date) = decl.date.value.clone() else {
        out.push(
            Diagnostic::new(
                Code::CalendarRule,
                decl.date.span,
                format!(
                    "la fecha `{}` de `{}` no existe",
                    source.slice(decl.date.span),
                    decl.name.value
                ),
            )
            .with_help("escriba un mes y un día reales (MM-DD) o una fecha AAAA-MM-DD"),
        );
        return None;
    };
    if decl.moved_to_monday && matches!(date, DateRule::Once { .. } | DateRule::NthWeekday { .. }) {
        out.push(Diagnostic::new(
            Code::CalendarRule,
            item.span,
            "`trasladable` solo aplica a fechas MM-DD y a `pascua ±N`",
        ));
    }
    let ranges = by_name
        .entry((
            match_key(&decl.name.value),
            decl.kind == crate::calendar::DayKind::Holiday,
        ))
        .or_default();
    let overlaps = ranges.iter().any(|(a, b)| {
        a.unwrap_or(i32::MIN) <= until.unwrap_or(i32::MAX)
            && from.unwrap_or(i32::MIN) <= b.unwrap_or(i32::MAX)
    });
    if overlaps && !matches!(date, DateRule::Once { .. }) {
        out.push(
            Diagnostic::new(
                Code::CalendarRule,
                decl.name.span,
                format!("`{}` ya está declarado para años que se solapan", decl.name.value),
            )
            .with_help("use `desde`/`hasta` para separar los años de cada regla"),
        );
    }
    ranges.push((from, until));
    let rule = DayRule {
        name: decl.name.value.clone(),
        kind: decl.kind,
        date,
        moved_to_monday: decl.moved_to_monday,
        from_year: from,
        until_year: until,
        legal_basis: decl.legal_basis.as_ref().map(|l| l.value.clone()),
    };
    // What the calendar engine would refuse at run time (e.g. `pascua +400`) is refused here.
    let years_reversed = matches!((from, until), (Some(a), Some(b)) if a > b);
    if let Some(problem) = rule.date_problem().filter(|_| !years_reversed) {
        out.push(Diagnostic::new(
            Code::CalendarRule,
            decl.date.span,
            format!("`{}`: {problem}", decl.name.value),
        ));
    }
    Some(rule)
}
