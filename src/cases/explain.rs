//! `pauta explain`: the reasoning behind one case's evaluation, step by step, in Spanish.

use std::fmt::Write as _;

use super::context::PolicyContext;
use super::evaluate::{SolutionSource, Trace};
use super::model::{Case, Evaluation};
use crate::calendar::clock::{SECONDS_PER_DAY, date_of, date_of_epoch_day, naive_of, weekday_name};
use crate::policy::model::Subject;
use crate::rules::RuleResult;
use crate::rules::words::in_words;
use crate::wording;

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

/// Business seconds as business days of the calendar's working day, hours and minutes.
fn duration(context: &PolicyContext<'_>, seconds: i64) -> String {
    wording::business_time(seconds, context.clock.day_length())
}

/// `used` and `allowed` in words; when they read the same but differ (by seconds), each with its
/// exact count of seconds, so the verdict can be checked.
fn pair(context: &PolicyContext<'_>, used: i64, allowed: i64) -> (String, String) {
    let (used_text, allowed_text) = (duration(context, used), duration(context, allowed));
    if used_text == allowed_text && used != allowed {
        let exact = |seconds: i64| {
            format!(
                "{} —exactamente {} segundos—",
                duration(context, seconds),
                wording::thousands(seconds.unsigned_abs())
            )
        };
        (exact(used), exact(allowed))
    } else {
        (used_text, allowed_text)
    }
}

/// The time available, `allowed` business seconds, as the rest of the reception day plus the
/// whole days of the ANS after it (the reception day is day 1 when the ANS counts it).
fn available(context: &PolicyContext<'_>, trace: &Trace, allowed: i64, allowed_text: &str) -> String {
    let day = context.clock.day_length();
    let full = if trace.counts_reception_day {
        trace.ans.saturating_sub(1)
    } else {
        trace.ans
    };
    let rest = allowed - i64::from(full) * day;
    if !(0..=day).contains(&rest) {
        return allowed_text.to_owned();
    }
    let first = if trace.counts_reception_day {
        "lo que queda del día de recepción, que cuenta como día 1"
    } else {
        "lo que queda del día de recepción"
    };
    if full == 0 {
        format!("{first}: {allowed_text}")
    } else {
        format!(
            "{first} ({}) más {}; en total, {allowed_text}",
            wording::hours_minutes(rest),
            wording::days(full, true)
        )
    }
}

/// How `days_late` came out of `late` business seconds: the rule of `BusinessClock::days_late`
/// (the ceiling of the late time over the working day) with the case's figures.
fn rounding(context: &PolicyContext<'_>, late: i64, days_late: i64) -> String {
    let day = context.clock.day_length();
    let whole = late / day;
    let rest = late % day;
    let total = wording::days(u32::try_from(days_late).unwrap_or(u32::MAX), true);
    let figures = if rest == 0 {
        format!("{} de retraso son justo {total}", wording::short_time(late))
    } else if whole == 0 {
        format!(
            "{} de retraso son parte de un día hábil, que cuenta entero: {total}",
            wording::short_time(late)
        )
    } else {
        let complete = if whole == 1 { "completo" } else { "completos" };
        format!(
            "{} de retraso son {} {complete} y {} de otro, que cuenta entero: {total} en total",
            wording::short_time(late),
            wording::days(u32::try_from(whole).unwrap_or(u32::MAX), true),
            wording::short_time(rest)
        )
    };
    format!(
        "Se cuentan en días hábiles completos de {}, redondeando hacia arriba: todo día hábil \
         empezado cuenta como un día entero de retraso. Aquí, {figures}.",
        wording::hours_minutes(day)
    )
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
                wording::day_of_month(chrono::Datelike::month(&nominal), chrono::Datelike::day(&nominal))
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
    let mut out = String::new();
    let _ = writeln!(out, "Caso {} (línea {} de {cases_file})", case.id, case.line);
    let _ = writeln!(out);
    version(&mut out, case, context);
    regime(&mut out, evaluation, trace);
    reception(&mut out, case, context, trace);
    base_term(&mut out, context, trace);
    pauses(&mut out, context, trace);
    solution(&mut out, evaluation, trace);
    deadline(&mut out, evaluation);
    comparison(&mut out, evaluation, context, trace);
    findings(&mut out, evaluation);
    rules(&mut out, context, trace);
    history(&mut out, context, trace);
    out
}

// Step 1, Versión: the policy version in force on the registration date.
fn version(out: &mut String, case: &Case, context: &PolicyContext<'_>) {
    let policy = context.policy;
    let _ = writeln!(
        out,
        "1. Versión: {} versión {} (vigente desde {}), la última vigente en la fecha de registro ({}).",
        policy.code,
        policy.version,
        policy.effective_from,
        date_of(case.registered)
    );
}

// Step 2, Régimen: the category or exception and its ANS.
fn regime(out: &mut String, evaluation: &Evaluation<'_>, trace: &Trace) {
    let counting = if trace.counts_reception_day {
        ", contando el día de recepción como día 1"
    } else {
        ", contados desde el día hábil siguiente a la recepción"
    };
    let regime = match evaluation.exception {
        Some(kind) => format!(
            "excepción «{kind}» (categoría «{}»): ANS de excepciones, {}{counting}",
            evaluation.category,
            wording::days(trace.ans, true)
        ),
        None => format!(
            "categoría «{}»: ANS {}{counting}",
            evaluation.category,
            wording::days(trace.ans, true)
        ),
    };
    let _ = writeln!(out, "2. Régimen: {regime}.");
}

// Step 3, Recepción: when the case counts as received, and why.
fn reception(out: &mut String, case: &Case, context: &PolicyContext<'_>, trace: &Trace) {
    let clock = &context.clock;
    let limit = match trace.cutoff {
        Some(cutoff) => format!("excepciones: antes de las {}", wording::time_of_day(cutoff)),
        None => format!("hasta las {} inclusive", wording::time_of_day(clock.closes())),
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
}

// Step 4, Plazo base: the business days of the ANS, one by one, and the due day.
fn base_term(out: &mut String, context: &PolicyContext<'_>, trace: &Trace) {
    let clock = &context.clock;
    let _ = writeln!(out, "4. Plazo base: {}:", wording::days(trace.ans, true));
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
        "   Vence el {} a las {}.",
        day_text(trace.due_day),
        wording::time_of_day(clock.closes())
    );
}

// Step 5, Pausas: the time in states that stop the clock.
fn pauses(out: &mut String, context: &PolicyContext<'_>, trace: &Trace) {
    if !trace.history_given {
        let _ = writeln!(
            out,
            "5. Pausas: no se conocen, porque no se indicó archivo de historial con --history; \
             no se descuenta ninguna."
        );
    } else if trace.pauses.is_empty() {
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
                duration(context, pause.seconds)
            );
        }
        let paused: i64 = trace.pauses.iter().map(|pause| pause.seconds).sum();
        let _ = writeln!(out, "   Total pausado: {}.", duration(context, paused));
    }
}

// Step 6, Solución: when the case was solved and where that comes from.
fn solution(out: &mut String, evaluation: &Evaluation<'_>, trace: &Trace) {
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
}

// Step 7, Plazo con pausas: the deadline once the pauses are added.
fn deadline(out: &mut String, evaluation: &Evaluation<'_>) {
    let deadline = evaluation
        .deadline
        .map_or_else(|| "fuera del calendario".to_owned(), when);
    let _ = writeln!(out, "7. Plazo con pausas: {deadline}.");
}

// Step 8, Comparación: the business time used against the time available, and the result.
fn comparison(out: &mut String, evaluation: &Evaluation<'_>, context: &PolicyContext<'_>, trace: &Trace) {
    let clock = &context.clock;
    let allowed = trace.base_position - trace.received_position;
    match trace.compared_position {
        None => {
            let _ = writeln!(out, "8. Comparación: el caso está anulado: no se juzga su ANS.");
        }
        Some(used) => {
            let _ = writeln!(
                out,
                "8. Comparación, en días hábiles de {} (la jornada del calendario, de {} a {}) y sin contar las pausas:",
                wording::hours_minutes(clock.day_length()),
                wording::time_of_day(clock.opens()),
                wording::time_of_day(clock.closes())
            );
            let used = used - trace.received_position;
            let (used_text, allowed_text) = pair(context, used, allowed);
            let _ = writeln!(
                out,
                "   Disponible, de la recepción ({}) al vencimiento ({} a las {}): {}.",
                when(trace.reception.at),
                day_text(trace.due_day),
                wording::time_of_day(clock.closes()),
                available(context, trace, allowed, &allowed_text)
            );
            let late = used - allowed;
            let verdict = match evaluation.outcome {
                super::model::Outcome::Met => format!(
                    "Hasta la solución usó {used_text} de un total disponible de {allowed_text}: {}.",
                    evaluation.outcome.label()
                ),
                super::model::Outcome::OpenOnTime => format!(
                    "Hasta la fecha de corte ({}) lleva usados {used_text} de un total disponible de \
                     {allowed_text}: sigue dentro del plazo, le quedan {}.",
                    when(trace.as_of),
                    duration(context, allowed - used)
                ),
                super::model::Outcome::OpenOverdue => format!(
                    "Hasta la fecha de corte ({}) lleva usados {used_text} de un total disponible de \
                     {allowed_text}: ya lo excede en {}.",
                    when(trace.as_of),
                    duration(context, late)
                ),
                _ => format!(
                    "Hasta la solución usó {used_text} de un total disponible de {allowed_text}: \
                     se excedió en {}.",
                    duration(context, late)
                ),
            };
            let _ = writeln!(out, "   {verdict}");
            if evaluation.days_late > 0 {
                let _ = writeln!(
                    out,
                    "   Días de retraso: {}. {}",
                    wording::days(u32::try_from(evaluation.days_late).unwrap_or(u32::MAX), true),
                    rounding(context, late, evaluation.days_late)
                );
            }
        }
    }
    let _ = writeln!(out, "   Resultado: {}.", evaluation.outcome.label());
}

// Step 9, Hallazgos: the findings of the evaluation.
fn findings(out: &mut String, evaluation: &Evaluation<'_>) {
    if evaluation.findings.is_empty() {
        let _ = writeln!(out, "9. Hallazgos: ninguno.");
    } else {
        let _ = writeln!(out, "9. Hallazgos:");
        for finding in &evaluation.findings {
            let _ = writeln!(
                out,
                "     {} {}: {}",
                finding.code.code(),
                finding.code.meaning(),
                finding.message
            );
        }
    }
}

// Step 10, Reglas: each rule of the policy, in words, with the case's data and its result.
fn rules(out: &mut String, context: &PolicyContext<'_>, trace: &Trace) {
    if trace.rules.is_empty() {
        return;
    }
    let policy = context.policy;
    let _ = writeln!(out, "10. Reglas de la política:");
    for rule in &trace.rules {
        let result = match &rule.result {
            RuleResult::NotApplicable => "no aplica (no se da su condición)".to_owned(),
            other => other.label(),
        };
        let _ = writeln!(
            out,
            "     «{}» ({}, línea {}): {result}",
            rule.name,
            crate::rules::compiled::severity_label(rule.severity),
            rule.line,
        );
        let words = |source: &str| {
            in_words(source, Subject::Case, policy)
                .unwrap_or_else(|| "se cumple su expresión (en la línea «expresión»)".to_owned())
        };
        match &rule.when {
            Some(when) => {
                let _ = writeln!(out, "         se aplica cuando {}", words(when));
            }
            None => {
                let _ = writeln!(out, "         se aplica siempre");
            }
        }
        let _ = writeln!(out, "         exige: {}", words(&rule.require));
        if !rule.inputs.is_empty() {
            let values: Vec<String> = rule
                .inputs
                .iter()
                .map(|(name, value)| format!("{name} = {value}"))
                .collect();
            let _ = writeln!(out, "         datos del caso: {}", values.join("; "));
        }
        let expression = match &rule.when {
            Some(when) => format!("cuando `{when}`, exige `{}`", rule.require),
            None => format!("exige `{}`", rule.require),
        };
        let _ = writeln!(out, "         expresión: {expression}");
    }
}

// After the steps, Historial usado: the history rows the evaluation used, in date order.
fn history(out: &mut String, context: &PolicyContext<'_>, trace: &Trace) {
    if trace.events.is_empty() {
        return;
    }
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

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests may panic: a failed unwrap is a failed test"
)]
mod tests {
    use super::*;
    use crate::policy::PolicySet;

    const DAY: i64 = 32_400;

    fn with_context(check: impl FnOnce(&PolicyContext<'_>)) {
        let set = PolicySet::embedded().unwrap();
        let policy = set.find("M1-3-06@11").unwrap();
        let calendar = set.calendar(&policy.calendar).unwrap();
        let context = PolicyContext::new(policy, calendar, 2024, 2025).unwrap();
        assert_eq!(context.clock.day_length(), DAY);
        check(&context);
    }

    #[test]
    fn days_late_state_their_rounding_with_the_figures() {
        with_context(|context| {
            let rule = "Se cuentan en días hábiles completos de 9 h, redondeando hacia arriba: todo día \
                        hábil empezado cuenta como un día entero de retraso. Aquí, ";
            assert_eq!(
                rounding(context, 2 * 3600 + 24 * 60, 1),
                format!(
                    "{rule}2 h 24 min de retraso son parte de un día hábil, que cuenta entero: 1 día hábil."
                )
            );
            assert_eq!(
                rounding(context, 2 * DAY, 2),
                format!("{rule}18 h de retraso son justo 2 días hábiles.")
            );
            assert_eq!(
                rounding(context, DAY + 30, 2),
                format!(
                    "{rule}9 h de retraso son 1 día hábil completo y 30 segundos de otro, que cuenta \
                     entero: 2 días hábiles en total."
                )
            );
            assert_eq!(
                rounding(context, 4 * DAY + 8 * 3600 + 27 * 60, 5),
                format!(
                    "{rule}44 h 27 min de retraso son 4 días hábiles completos y 8 h 27 min de otro, \
                     que cuenta entero: 5 días hábiles en total."
                )
            );
            assert_eq!(
                rounding(context, 30, 1),
                format!(
                    "{rule}30 segundos de retraso son parte de un día hábil, que cuenta entero: 1 día hábil."
                )
            );
        });
    }

    #[test]
    fn times_that_read_alike_show_their_seconds() {
        with_context(|context| {
            assert_eq!(
                pair(context, DAY + 30, DAY),
                (
                    "1 día hábil (9 h hábiles) —exactamente 32 430 segundos—".to_owned(),
                    "1 día hábil (9 h hábiles) —exactamente 32 400 segundos—".to_owned()
                )
            );
            assert_eq!(
                pair(context, 3600, DAY),
                ("1 h hábiles".to_owned(), "1 día hábil (9 h hábiles)".to_owned())
            );
        });
    }

    #[test]
    fn the_time_available_is_the_rest_of_the_reception_day_and_the_whole_days() {
        with_context(|context| {
            let trace = Trace {
                ans: 12,
                counts_reception_day: false,
                ..Trace::default()
            };
            let allowed = 12 * DAY + 7 * 3600 + 48 * 60;
            assert_eq!(
                available(context, &trace, allowed, "X"),
                "lo que queda del día de recepción (7 h 48 min) más 12 días hábiles; en total, X"
            );
            let trace = Trace {
                ans: 1,
                counts_reception_day: true,
                ..Trace::default()
            };
            assert_eq!(
                available(context, &trace, 8 * 3600, "X"),
                "lo que queda del día de recepción, que cuenta como día 1: X"
            );
            assert_eq!(available(context, &trace, 2 * DAY, "X"), "X");
        });
    }
}
