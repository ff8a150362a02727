//! `pauta explain`: the reasoning behind one case's evaluation, step by step, in Spanish.

use std::fmt::Write as _;

use super::context::PolicyContext;
use super::evaluate::{SolutionSource, Trace};
use super::model::{Case, Evaluation};
use crate::calendar::clock::{SECONDS_PER_DAY, date_of, date_of_epoch_day, naive_of, weekday_name};

fn when(at: i64) -> String {
    naive_of(at).map_or_else(String::new, |moment| {
        format!(
            "{} {}",
            weekday_name(at.div_euclid(SECONDS_PER_DAY)),
            moment.format("%Y-%m-%d %H:%M:%S")
        )
    })
}

fn day_text(day: i64) -> String {
    date_of_epoch_day(day).map_or_else(String::new, |date| format!("{} {date}", weekday_name(day)))
}

/// Business seconds as `N s (H h MM min)`.
fn duration(seconds: i64) -> String {
    let sign = if seconds < 0 { "-" } else { "" };
    let abs = seconds.abs();
    format!("{seconds} s ({sign}{} h {:02} min)", abs / 3600, abs / 60 % 60)
}

/// Why a day is not a business day: weekend or the holidays/closures observed on it.
fn skipped_reason(context: &PolicyContext<'_>, day: i64) -> String {
    let Some(date) = date_of_epoch_day(day) else {
        return String::new();
    };
    let observed = context.clock.business_days().observed_on(date);
    if observed.is_empty() {
        return "fin de semana".to_owned();
    }
    observed
        .iter()
        .map(|holiday| match holiday.nominal {
            Some(nominal) => format!(
                "{} (trasladado del {})",
                holiday.name,
                crate::doc::wording::day_of_month(
                    chrono::Datelike::month(&nominal),
                    chrono::Datelike::day(&nominal)
                )
            ),
            None => holiday.name.clone(),
        })
        .collect::<Vec<_>>()
        .join(" y ")
}

/// The explanation of `evaluation` of `case`, with the `trace` the run recorded.
pub fn explain(
    case: &Case,
    evaluation: &Evaluation<'_>,
    context: &PolicyContext<'_>,
    trace: &Trace,
    cases_file: &str,
) -> String {
    let policy = context.policy;
    let clock = &context.clock;
    let mut out = String::new();
    let _ = writeln!(out, "Caso {} (línea {} de {cases_file})", case.id, case.line);
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "1. Versión: {} versión {} (vigente desde {}), la última vigente en la fecha de registro ({}).",
        policy.code,
        policy.version,
        policy.effective_from,
        date_of(case.registered)
    );
    let counting = if trace.counts_reception_day {
        ", contando el día de recepción como día 1"
    } else {
        ", contados desde el día hábil siguiente a la recepción"
    };
    let regime = match evaluation.exception {
        Some(kind) => format!(
            "excepción «{kind}» (categoría «{}»): ANS de excepciones, {} día(s) hábil(es){counting}",
            evaluation.category, trace.ans
        ),
        None => format!(
            "categoría «{}»: ANS {} día(s) hábil(es){counting}",
            evaluation.category, trace.ans
        ),
    };
    let _ = writeln!(out, "2. Régimen: {regime}.");

    let limit = match trace.cutoff {
        Some(cutoff) => format!(
            "excepciones: antes de las {:02}:{:02}",
            cutoff / 3600,
            cutoff / 60 % 60
        ),
        None => format!(
            "hasta las {:02}:{:02}:{:02} inclusive",
            clock.closes() / 3600,
            clock.closes() / 60 % 60,
            clock.closes() % 60
        ),
    };
    let registered_day = case.registered.div_euclid(SECONDS_PER_DAY);
    let reception = if trace.reception.same_day {
        if trace.reception.at > case.registered {
            format!(
                "día hábil y registrado antes de la apertura: recibido al abrir, {}",
                when(trace.reception.at)
            )
        } else {
            format!(
                "día hábil y dentro del horario ({limit}): recibido ese mismo día, {}",
                when(trace.reception.at)
            )
        }
    } else if clock.is_business_day(registered_day).unwrap_or(false) {
        format!(
            "fuera del horario de recepción ({limit}): se entiende recibido el siguiente día hábil, {}",
            when(trace.reception.at)
        )
    } else {
        format!(
            "{} no es día hábil ({}): se entiende recibido el siguiente día hábil, {}",
            date_of(case.registered),
            skipped_reason(context, registered_day),
            when(trace.reception.at)
        )
    };
    let _ = writeln!(
        out,
        "3. Recepción: registrado el {}; {reception}.",
        when(case.registered)
    );

    let _ = writeln!(out, "4. Plazo base: {} día(s) hábil(es):", trace.ans);
    let mut counted = 0u32;
    let mut day = if trace.counts_reception_day {
        trace.reception.day
    } else {
        trace.reception.day + 1
    };
    let mut skipped: Vec<String> = Vec::new();
    while counted < trace.ans && day <= trace.due_day {
        match clock.is_business_day(day) {
            Ok(true) => {
                counted += 1;
                let note = if skipped.is_empty() {
                    String::new()
                } else {
                    format!("   (antes se saltan: {})", skipped.join("; "))
                };
                let _ = writeln!(out, "     día {counted:>2}: {}{note}", day_text(day));
                skipped.clear();
            }
            Ok(false) => skipped.push(format!("{}, {}", day_text(day), skipped_reason(context, day))),
            Err(_) => break,
        }
        day += 1;
    }
    let _ = writeln!(
        out,
        "   Vence el {} a las {:02}:{:02}:{:02}.",
        day_text(trace.due_day),
        clock.closes() / 3600,
        clock.closes() / 60 % 60,
        clock.closes() % 60
    );

    let paused: i64 = trace.pauses.iter().map(|pause| pause.seconds).sum();
    if trace.pauses.is_empty() {
        let _ = writeln!(out, "5. Pausas: ninguna.");
    } else {
        let _ = writeln!(
            out,
            "5. Pausas (tiempo hábil en estados que detienen el reloj, desde la recepción):"
        );
        for pause in &trace.pauses {
            let _ = writeln!(
                out,
                "     «{}» de {} a {}: {}",
                context.state_name(pause.state),
                when(pause.from),
                when(pause.to),
                duration(pause.seconds)
            );
        }
        let _ = writeln!(out, "   Total pausado: {}.", duration(paused));
    }

    let solution = match (trace.solution_source, evaluation.solved_at) {
        (SolutionSource::History(line), Some(at)) => format!(
            "{} (historial línea {line}: última entrada al estado de solución, sin reapertura posterior)",
            when(at)
        ),
        (SolutionSource::Export, Some(at)) if !trace.history_given => format!(
            "{} (columna de solución del archivo de casos: no se indicó archivo de historial con \
             --history, así que no se descuentan pausas ni se revisan transiciones)",
            when(at)
        ),
        (SolutionSource::Export, Some(at)) => {
            format!(
                "{} (columna de solución del archivo de casos; el caso no tiene filas en el historial)",
                when(at)
            )
        }
        _ => "ninguna: el caso no está solucionado".to_owned(),
    };
    let _ = writeln!(out, "6. Solución: {solution}.");
    let deadline = evaluation
        .deadline
        .map_or_else(|| "fuera del calendario".to_owned(), when);
    let _ = writeln!(out, "7. Plazo con pausas: {deadline}.");

    let allowed = trace.base_position - trace.received_position;
    let comparison = match trace.compared_position {
        None => "el caso está anulado: no se juzga su ANS".to_owned(),
        Some(used) => {
            let used = used - trace.received_position;
            let what = if evaluation.solved_at.is_some() {
                "hasta la solución"
            } else {
                "hasta la fecha de corte"
            };
            let verdict = match evaluation.outcome {
                super::model::Outcome::Met => "≤ disponible: cumple".to_owned(),
                super::model::Outcome::OpenOnTime => "≤ disponible: en curso".to_owned(),
                _ => format!(
                    "> disponible: {} día(s) hábil(es) de retraso",
                    evaluation.days_late
                ),
            };
            format!(
                "tiempo hábil usado {what}, sin pausas: {}; disponible: {}; {verdict}",
                duration(used),
                duration(allowed)
            )
        }
    };
    let _ = writeln!(out, "8. Comparación: {comparison}.");
    let _ = writeln!(
        out,
        "   Resultado: {} ({}).",
        evaluation.outcome.label(),
        evaluation.outcome.value()
    );
    if evaluation.findings.is_empty() {
        let _ = writeln!(out, "9. Hallazgos: ninguno.");
    } else {
        let _ = writeln!(out, "9. Hallazgos:");
        for finding in &evaluation.findings {
            let _ = writeln!(
                out,
                "     {} {}: {}",
                finding.code.code(),
                finding.code.title(),
                finding.message
            );
        }
    }
    if !trace.rules.is_empty() {
        let _ = writeln!(out, "10. Reglas de la política:");
        for rule in &trace.rules {
            let _ = writeln!(
                out,
                "     «{}» ({}, línea {}): {}",
                rule.name,
                crate::rules::compiled::severity_label(rule.severity),
                rule.line,
                rule.result.label()
            );
            if let Some(when) = &rule.when {
                let _ = writeln!(out, "         cuando `{when}`");
            }
            let _ = writeln!(out, "         exige  `{}`", rule.require);
            for (name, value) in &rule.inputs {
                let _ = writeln!(out, "         {name} = {value}");
            }
        }
    }
    if !trace.events.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "Historial usado (en orden de fecha):");
        for event in &trace.events {
            let _ = writeln!(
                out,
                "  línea {:>5}  {}  «{}» → «{}»  razón «{}»",
                event.line,
                when(event.at),
                context.state_name(event.from),
                context.state_name(event.to),
                event.reason
            );
        }
    }
    out
}
