//! The Spanish text of a diff: one line per change under its group's heading, the effect of
//! calendar changes on business days, and the impact on an export.

use std::fmt::Write as _;

use super::impact::{CaseImpact, Impact};
use super::model::{CalendarEffect, Change, ChangeKind, DayShift, Diff, Group, Subject};

/// Changed cases listed in the text (all are in the JSON).
pub const SHOWN_CASES: usize = 20;

/// Calendar days listed in the text (all are in the JSON).
pub const SHOWN_DAYS: usize = 20;

/// The line of one change: `+ …` added, `- …` removed, `~ …` changed or renamed.
pub fn line(change: &Change) -> String {
    let detail = |text: &mut String, sep: &str| {
        if let Some(detail) = &change.detail {
            let _ = write!(text, "{sep}{detail}");
        }
    };
    let mut text = String::new();
    match change.kind {
        ChangeKind::Added | ChangeKind::Removed => {
            let sign = if change.kind == ChangeKind::Added {
                '+'
            } else {
                '-'
            };
            let _ = write!(text, "{sign} {}", change.subject);
            detail(&mut text, ": ");
        }
        ChangeKind::Changed | ChangeKind::Renamed => {
            let _ = write!(
                text,
                "~ {}: {} → {}",
                change.subject,
                change.old.as_deref().unwrap_or("—"),
                change.new.as_deref().unwrap_or("—")
            );
            if let Some(unit) = &change.unit {
                let _ = write!(text, " {unit}");
            }
            if change.detail.is_some() {
                text.push_str(" (");
                detail(&mut text, "");
                text.push(')');
            }
        }
    }
    text
}

/// The whole diff as text.
pub fn text(diff: &Diff) -> String {
    let mut out = String::new();
    let what = match diff.subject {
        Subject::Procedure => "",
        Subject::Calendar => "los calendarios ",
    };
    let (old, new) = (diff.old.label(), diff.new.label());
    if diff.is_empty() {
        let _ = writeln!(out, "Sin diferencias de fondo entre {what}{old} y {new}.");
    } else {
        let _ = writeln!(out, "Diferencias de fondo entre {what}{old} y {new}:");
        for group in Group::ALL {
            let changes: Vec<&Change> = diff.changes.iter().filter(|c| c.group == group).collect();
            if changes.is_empty() {
                continue;
            }
            let _ = writeln!(out, "\n{}", group.heading());
            for change in changes {
                let _ = writeln!(out, "  {}", change.text);
            }
            if group == Group::Calendar
                && let Some(effect) = &diff.calendar_effect
            {
                calendar_effect(&mut out, effect);
            }
        }
        let groups = Group::ALL
            .iter()
            .filter(|g| diff.changes.iter().any(|c| c.group == **g))
            .count();
        let _ = writeln!(out, "\n{} cambio(s) en {groups} grupo(s).", diff.changes.len());
    }
    if let Some(impact) = &diff.impact {
        impact_text(&mut out, impact);
    }
    out
}

fn calendar_effect(out: &mut String, effect: &CalendarEffect) {
    let stop = effect
        .days
        .iter()
        .filter(|d| d.shift == DayShift::StopsBeingBusiness)
        .count();
    let back = effect.days.len() - stop;
    let _ = writeln!(
        out,
        "  Efecto en los días hábiles de {}–{} ({}): {stop} día(s) dejan de ser hábiles, {back} vuelven a serlo",
        effect.from_year, effect.to_year, effect.workweek
    );
    for day in effect.days.iter().take(SHOWN_DAYS) {
        let what = match day.shift {
            DayShift::StopsBeingBusiness => "deja de ser hábil",
            DayShift::BecomesBusiness => "vuelve a ser hábil",
        };
        let _ = writeln!(
            out,
            "    {} {:<9} {what}: {}",
            day.date,
            day.weekday,
            day.names.join(", ")
        );
    }
    if effect.days.len() > SHOWN_DAYS {
        let _ = writeln!(
            out,
            "    … y {} día(s) más (la lista completa está en --format json)",
            effect.days.len() - SHOWN_DAYS
        );
    }
}

fn case_line(case: &CaseImpact) -> String {
    let mut text = format!(
        "{} · {}: {}",
        case.case_id,
        case.category,
        case.effects.join(", ")
    );
    if !case.reasons.is_empty() {
        let _ = write!(text, " ({})", case.reasons.join("; "));
    }
    text
}

fn impact_text(out: &mut String, impact: &Impact) {
    let _ = writeln!(out, "\nImpacto en la exportación {}", impact.cases_file);
    if let Some(history) = &impact.history_file {
        let _ = writeln!(out, "  historial: {history}");
    }
    let _ = writeln!(out, "  fecha de corte: {}", impact.as_of);
    let _ = writeln!(
        out,
        "  casos leídos {}: evaluados con ambas versiones {}, rechazados solo con la anterior {}, solo con la nueva {}, con ambas {}",
        impact.cases_read,
        impact.evaluated_both,
        impact.rejected_old_only,
        impact.rejected_new_only,
        impact.rejected_both
    );
    if impact.history_rejected_old != impact.history_rejected_new {
        let _ = writeln!(
            out,
            "  filas de historial rechazadas: {} → {}",
            impact.history_rejected_old, impact.history_rejected_new
        );
    }
    let _ = writeln!(
        out,
        "  cambian: {} caso(s) — de resultado {}, de plazo {}, de hallazgos {}",
        impact.cases_changed, impact.outcome_changed, impact.deadline_changed, impact.findings_changed
    );
    let _ = writeln!(out, "\n  resultado anterior → nuevo    casos");
    for shift in &impact.shifts {
        let pair = format!("{} → {}", shift.old.label(), shift.new.label());
        let mark = if shift.old == shift.new { ' ' } else { '*' };
        let _ = writeln!(out, "  {mark} {pair:<27} {:>6}", shift.count);
    }
    if impact.cases.is_empty() {
        let _ = writeln!(out, "\n  Ningún caso cambia.");
        return;
    }
    let _ = writeln!(out, "\n  Casos que cambian ({}):", impact.cases.len());
    for case in impact.cases.iter().take(SHOWN_CASES) {
        let _ = writeln!(out, "    {}", case_line(case));
    }
    if impact.cases.len() > SHOWN_CASES {
        let _ = writeln!(
            out,
            "    … y {} caso(s) más (la lista completa está en --format json)",
            impact.cases.len() - SHOWN_CASES
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(kind: ChangeKind, detail: Option<&str>) -> Change {
        Change {
            group: Group::Ans,
            kind,
            key: "category.ans",
            subject: "ANS de \"X\"".into(),
            old: Some("5".into()),
            new: Some("4".into()),
            unit: Some("días hábiles".into()),
            detail: detail.map(str::to_owned),
            text: String::new(),
        }
    }

    #[test]
    fn lines_have_a_sign_and_read_old_to_new() {
        assert_eq!(
            line(&change(ChangeKind::Changed, None)),
            "~ ANS de \"X\": 5 → 4 días hábiles"
        );
        let mut added = change(ChangeKind::Added, Some("ANS 8 días hábiles"));
        added.subject = "categoría \"Y\"".into();
        assert_eq!(line(&added), "+ categoría \"Y\": ANS 8 días hábiles");
        let mut removed = change(ChangeKind::Removed, None);
        removed.subject = "razón \"a\" en \"A\" -> \"B\"".into();
        assert_eq!(line(&removed), "- razón \"a\" en \"A\" -> \"B\"");
    }
}
