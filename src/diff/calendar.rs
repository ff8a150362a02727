//! Compares two calendars: the header (zone, years covered) and the holiday and closure rules
//! (added, removed, renamed, changed date, move to Monday, bounds, legal basis), and lists the
//! workdays whose status changes over a bounded range of years.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate, Weekday};

use super::compare::{Changes, or_dash, quote, yes_no};
use super::error::DiffError;
use super::model::{CalendarEffect, Change, DayEffect, DayShift, Group};
use crate::calendar::{Calendar, DateRule, DayKind, DayRule, Nth};
use crate::text::{SPANISH_MONTHS, match_key};
use crate::wording::weekday as spanish;

/// Years examined for the effect on business days when no other range is given.
pub const EFFECT_YEARS: (i32, i32) = (2020, 2030);

/// Every difference of substance between two calendars (header and rules).
pub fn changes(old: &Calendar, new: &Calendar) -> Vec<Change> {
    let mut out = Changes::default();
    compare(old, new, &mut out);
    out.into_sorted()
}

/// Records every difference of substance between two calendars.
pub(crate) fn compare(old: &Calendar, new: &Calendar, out: &mut Changes) {
    let g = Group::Calendar;
    if match_key(&old.name) != match_key(&new.name) {
        out.changed(
            g,
            "calendar.name",
            "nombre del calendario".into(),
            quote(&old.name),
            quote(&new.name),
            None,
        );
    }
    out.changed(
        g,
        "calendar.zone",
        "zona horaria".into(),
        old.zone.clone(),
        new.zone.clone(),
        None,
    );
    out.value(
        g,
        "calendar.utc_offset",
        || "desfase UTC".into(),
        (&old.utc_offset_seconds, &new.utc_offset_seconds),
        |s| offset_text(*s),
        None,
    );
    out.value(
        g,
        "calendar.first_year",
        || "primer año del calendario".into(),
        (&old.first_year, &new.first_year),
        ToString::to_string,
        None,
    );
    out.value(
        g,
        "calendar.last_year",
        || "último año del calendario".into(),
        (&old.last_year, &new.last_year),
        or_dash,
        None,
    );
    rules(&old.rules, &new.rules, out);
}

fn offset_text(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.unsigned_abs() / 60;
    format!("{sign}{:02}:{:02}", minutes / 60, minutes % 60)
}

fn kind_text(kind: DayKind) -> &'static str {
    match kind {
        DayKind::Holiday => "festivo",
        DayKind::Closure => "cierre",
    }
}

/// The date rule as the calendar file writes it (`6 de enero`, `pascua +39`, `tercer viernes de abril`).
pub(crate) fn date_text(date: &DateRule) -> String {
    match date {
        DateRule::Fixed { month, day } => crate::wording::day_of_month(*month, *day),
        DateRule::Easter { offset: 0 } => "pascua".into(),
        DateRule::Easter { offset } => format!("pascua {offset:+}"),
        DateRule::NthWeekday { nth, weekday, month } => {
            let ordinal = match nth {
                Nth::Number(1) => "primer".to_owned(),
                Nth::Number(2) => "segundo".to_owned(),
                Nth::Number(3) => "tercer".to_owned(),
                Nth::Number(4) => "cuarto".to_owned(),
                Nth::Number(5) => "quinto".to_owned(),
                Nth::Number(n) => format!("{n}.º"),
                Nth::Last => "último".to_owned(),
            };
            let month_name = usize::try_from(*month)
                .ok()
                .and_then(|m| m.checked_sub(1))
                .and_then(|m| SPANISH_MONTHS.get(m))
                .map_or_else(|| month.to_string(), |m| (*m).to_owned());
            format!("{ordinal} {} de {month_name}", spanish(*weekday))
        }
        DateRule::Once { date } => date.to_string(),
    }
}

/// The attributes of a rule, as an added or removed line shows them.
fn rule_detail(rule: &DayRule) -> String {
    let mut parts = vec![date_text(&rule.date)];
    if rule.moved_to_monday {
        parts.push("trasladable".into());
    }
    if let Some(from) = rule.from_year {
        parts.push(format!("desde {from}"));
    }
    if let Some(until) = rule.until_year {
        parts.push(format!("hasta {until}"));
    }
    if let Some(basis) = &rule.legal_basis {
        parts.push(format!("norma {}", quote(basis)));
    }
    parts.join(", ")
}

fn rule_subject(rule: &DayRule) -> String {
    format!("{} {}", kind_text(rule.kind), quote(&rule.name))
}

/// Whether an old and a new rule are the same rule, in one matching pass.
type Matcher = dyn Fn(&DayRule, &DayRule) -> bool;

/// Rules match by name; an unmatched pair with the same kind and date is a rename.
fn rules(old: &[DayRule], new: &[DayRule], out: &mut Changes) {
    let g = Group::Calendar;
    let mut used = vec![false; new.len()];
    // Identical rules first (a name may repeat, e.g. one-off closures), then by name, then by date.
    let mut matched: Vec<Option<usize>> = vec![None; old.len()];
    let passes: [&Matcher; 3] = [
        &|a, b| match_key(&a.name) == match_key(&b.name) && same_rule(a, b),
        &|a, b| match_key(&a.name) == match_key(&b.name),
        &|a, b| a.kind == b.kind && a.date == b.date,
    ];
    for pass in passes {
        for (o, rule) in old.iter().enumerate() {
            if matched[o].is_some() {
                continue;
            }
            if let Some(n) = (0..new.len()).find(|n| !used[*n] && pass(rule, &new[*n])) {
                used[n] = true;
                matched[o] = Some(n);
            }
        }
    }
    for (a, found) in old.iter().zip(matched) {
        let Some(b) = found.and_then(|n| new.get(n)) else {
            out.removed(g, "calendar.rule", rule_subject(a), Some(rule_detail(a)));
            continue;
        };
        if match_key(&a.name) != match_key(&b.name) {
            out.renamed(
                g,
                "calendar.rule",
                kind_text(b.kind),
                &a.name,
                &b.name,
                "renombrado; misma fecha",
            );
        }
        let subject = rule_subject(b);
        out.value(
            g,
            "calendar.rule.kind",
            || format!("tipo de {}", quote(&b.name)),
            (&a.kind, &b.kind),
            |k| kind_text(*k).into(),
            None,
        );
        out.value(
            g,
            "calendar.rule.date",
            || format!("fecha de {subject}"),
            (&a.date, &b.date),
            date_text,
            None,
        );
        out.value(
            g,
            "calendar.rule.moved_to_monday",
            || format!("{subject} trasladable al lunes"),
            (&a.moved_to_monday, &b.moved_to_monday),
            yes_no,
            None,
        );
        out.value(
            g,
            "calendar.rule.from_year",
            || format!("{subject} desde"),
            (&a.from_year, &b.from_year),
            or_dash,
            None,
        );
        out.value(
            g,
            "calendar.rule.until_year",
            || format!("{subject} hasta"),
            (&a.until_year, &b.until_year),
            or_dash,
            None,
        );
        out.value(
            g,
            "calendar.rule.legal_basis",
            || format!("norma de {subject}"),
            (&a.legal_basis, &b.legal_basis),
            |n| n.as_ref().map_or_else(|| "—".into(), |n| quote(n)),
            None,
        );
    }
    for (n, rule) in new.iter().enumerate() {
        if !used[n] {
            out.added(g, "calendar.rule", rule_subject(rule), Some(rule_detail(rule)));
        }
    }
}

fn same_rule(a: &DayRule, b: &DayRule) -> bool {
    a.kind == b.kind
        && a.date == b.date
        && a.moved_to_monday == b.moved_to_monday
        && a.from_year == b.from_year
        && a.until_year == b.until_year
        && a.legal_basis == b.legal_basis
}

/// Non-business workdays of a calendar in the years, with the rules that make them so.
fn closed_workdays(
    calendar: &Calendar,
    workdays: &[Weekday],
    (from, to): (i32, i32),
) -> Result<BTreeMap<NaiveDate, Vec<String>>, DiffError> {
    let mut days: BTreeMap<NaiveDate, Vec<String>> = BTreeMap::new();
    for year in from..=to {
        for day in calendar.observed_days(year)? {
            if workdays.contains(&day.date.weekday()) {
                days.entry(day.date).or_default().push(day.name);
            }
        }
    }
    Ok(days)
}

/// The workdays between `years` (clamped to what both calendars cover) that stop or start
/// being business days; `None` when no day changes.
pub fn effect(
    old: &Calendar,
    new: &Calendar,
    workdays: &[Weekday],
    years: (i32, i32),
) -> Result<Option<CalendarEffect>, DiffError> {
    let from = years.0.max(old.first_year).max(new.first_year);
    let last = |c: &Calendar| c.last_year.unwrap_or(i32::MAX);
    let to = years.1.min(last(old)).min(last(new));
    if from > to {
        return Ok(None);
    }
    let before = closed_workdays(old, workdays, (from, to))?;
    let after = closed_workdays(new, workdays, (from, to))?;
    let mut days = Vec::new();
    for (date, names) in &after {
        if !before.contains_key(date) {
            days.push(DayEffect {
                date: *date,
                weekday: spanish(date.weekday()),
                shift: DayShift::StopsBeingBusiness,
                names: names.clone(),
            });
        }
    }
    for (date, names) in &before {
        if !after.contains_key(date) {
            days.push(DayEffect {
                date: *date,
                weekday: spanish(date.weekday()),
                shift: DayShift::BecomesBusiness,
                names: names.clone(),
            });
        }
    }
    days.sort_by_key(|d| d.date);
    let mut sorted = workdays.to_vec();
    sorted.sort_by_key(Weekday::num_days_from_monday);
    Ok((!days.is_empty()).then(|| CalendarEffect {
        from_year: from,
        to_year: to,
        workweek: super::policy::workdays_text(&sorted),
        workdays: sorted.into_iter().map(spanish).collect(),
        days,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::PolicySet;

    fn colombia() -> Calendar {
        PolicySet::pinned()
            .calendar("colombia")
            .cloned()
            .unwrap_or_else(|| panic!("the pinned calendar compiles"))
    }

    const WEEK: [Weekday; 5] = crate::calendar::model::MONDAY_TO_FRIDAY;

    fn lines(old: &Calendar, new: &Calendar) -> Vec<String> {
        changes(old, new).into_iter().map(|c| c.text).collect()
    }

    #[test]
    fn reordered_rules_are_no_change() {
        let old = colombia();
        let mut new = old.clone();
        new.rules.reverse();
        assert!(lines(&old, &new).is_empty());
        assert_eq!(effect(&old, &new, &WEEK, EFFECT_YEARS).ok(), Some(None));
    }

    #[test]
    fn a_new_closure_is_listed_with_the_days_it_closes() {
        let old = colombia();
        let mut new = old.clone();
        new.rules.push(DayRule {
            name: "Día cívico".into(),
            kind: DayKind::Closure,
            date: DateRule::NthWeekday {
                nth: Nth::Number(3),
                weekday: Weekday::Fri,
                month: 4,
            },
            moved_to_monday: false,
            from_year: Some(2024),
            until_year: None,
            legal_basis: Some("Decreto 500 de 2024".into()),
        });
        assert_eq!(
            lines(&old, &new),
            ["+ cierre \"Día cívico\": tercer viernes de abril, desde 2024, norma \"Decreto 500 de 2024\""]
        );
        let effect = effect(&old, &new, &WEEK, (2024, 2025)).ok().flatten();
        let dates: Vec<String> = effect
            .map(|e| e.days.iter().map(|d| d.date.to_string()).collect())
            .unwrap_or_default();
        // 2025-04-18, the third Friday of April, is already Viernes Santo: no business day lost.
        assert_eq!(dates, ["2024-04-19"]);
    }

    #[test]
    fn moving_a_holiday_to_monday_shows_both_dates() {
        let old = colombia();
        let mut new = old.clone();
        if let Some(rule) = new.rules.iter_mut().find(|r| r.name == "Día del Trabajo") {
            rule.moved_to_monday = true;
        }
        assert_eq!(
            lines(&old, &new),
            ["~ festivo \"Día del Trabajo\" trasladable al lunes: no → sí"]
        );
        let effect = effect(&old, &new, &WEEK, (2025, 2025)).ok().flatten();
        let days: Vec<(String, DayShift)> = effect
            .map(|e| e.days.iter().map(|d| (d.date.to_string(), d.shift)).collect())
            .unwrap_or_default();
        assert_eq!(
            days,
            [
                ("2025-05-01".to_string(), DayShift::BecomesBusiness),
                ("2025-05-05".to_string(), DayShift::StopsBeingBusiness)
            ]
        );
    }
}
