//! The scope (its text and the publication channels) and the general conditions that govern the
//! ANS: reception hours, business days (the calendar's holiday rules), the ANS table and the
//! exception regime. Other spellings the service desk may use are in `Anexo B` (`desk`).

use super::build::Builder;
use super::policy_words::ans as ans_text;
use crate::calendar::{Calendar, DateRule, DayKind, Nth};
use crate::document::model::{Table, plain, strong, text};
use crate::policy::model::{AfterHours, Clock, Policy};
use crate::wording::{date, day_of_month, join_and, month_name, quoted, rest_days, time, weekdays};

/// `2. Alcance`: the scope the policy quotes, and the publication channels.
pub fn scope(b: &mut Builder, policy: &Policy) {
    if policy.scope.is_none() && policy.channels.is_empty() {
        return;
    }
    b.heading(2, "2. Alcance");
    if let Some(scope) = &policy.scope {
        b.paragraph(plain(scope.clone()));
    }
    if policy.channels.is_empty() {
        return;
    }
    b.paragraph(plain(
        "Canales por los que se publica o divulga la información; cada categoría del ANS dice cuáles usa:",
    ));
    b.bullets(
        policy
            .channels
            .iter()
            .map(|channel| plain(channel.label.clone()))
            .collect(),
    );
}

/// `Horario de recepción`.
pub fn hours(b: &mut Builder, policy: &Policy, calendar: Option<&Calendar>) {
    let hours = &policy.hours;
    b.heading(3, "Horario de recepción");
    let zone = calendar.map_or_else(String::new, |c| format!(" (hora local de {})", c.zone));
    let after = match hours.after_hours {
        AfterHours::NextBusinessDay => format!(
            "Una solicitud radicada fuera de ese horario, o en un día no hábil, se entiende recibida el siguiente \
             día hábil a las {}.",
            time(hours.opens)
        ),
    };
    let rest = rest_days(&hours.workdays);
    let not_working = if rest.is_empty() {
        format!("los festivos y cierres del calendario «{}»", policy.calendar)
    } else {
        format!(
            "{rest}, y los festivos y cierres del calendario «{}»",
            policy.calendar
        )
    };
    b.bullets(vec![
        plain(format!(
            "Los requerimientos se reciben de {}, de {} a {}{zone}.",
            weekdays(&hours.workdays),
            time(hours.opens),
            time(hours.closes)
        )),
        plain(format!(
            "Una solicitud radicada a las {} exactas todavía se recibe ese día.",
            time(hours.closes)
        )),
        plain(after),
        plain(format!("Días no hábiles: {not_working}.")),
    ]);
}

fn rule_date(rule: &DateRule) -> String {
    match rule {
        DateRule::Fixed { month, day } => day_of_month(*month, *day),
        DateRule::Easter { offset } => match offset.signum() {
            0 => "Domingo de Pascua".to_owned(),
            1 => format!("Domingo de Pascua + {offset} días"),
            _ => format!("Domingo de Pascua − {} días", offset.unsigned_abs()),
        },
        DateRule::NthWeekday { nth, weekday, month } => {
            let which = match nth {
                Nth::Number(1) => "primer",
                Nth::Number(2) => "segundo",
                Nth::Number(3) => "tercer",
                Nth::Number(4) => "cuarto",
                Nth::Number(_) => "quinto",
                Nth::Last => "último",
            };
            format!(
                "{which} {} de {}",
                crate::wording::weekday(*weekday),
                month_name(*month)
            )
        }
        DateRule::Once { date: day } => date(*day),
    }
}

fn years(from: Option<i32>, until: Option<i32>) -> String {
    match (from, until) {
        (None, None) => "todos los años".to_owned(),
        (Some(from), None) => format!("desde {from}"),
        (None, Some(until)) => format!("hasta {until}"),
        (Some(from), Some(until)) => format!("de {from} a {until}"),
    }
}

/// `Días hábiles: calendario «colombia»`: the holiday and closure rules.
pub fn calendar(b: &mut Builder, calendar: &Calendar) {
    b.heading(3, &format!("Días hábiles: calendario «{}»", calendar.name));
    let offset = calendar.utc_offset_seconds;
    let sign = if offset < 0 { '−' } else { '+' };
    let minutes = offset.unsigned_abs() / 60;
    let bounds = match calendar.last_year {
        Some(last) => format!("de {} a {last}", calendar.first_year),
        None => format!("desde {}", calendar.first_year),
    };
    b.paragraph(plain(format!(
        "Zona horaria {} (UTC{sign}{:02}:{:02}). Las reglas cubren los años {bounds}. Cada festivo se calcula \
         cada año con su regla; «se traslada» quiere decir que, si no cae en lunes, se celebra el lunes siguiente.",
        calendar.zone,
        minutes / 60,
        minutes % 60
    )));
    let mut table = Table::new(
        "calendario",
        &[
            "Día",
            "Tipo",
            "Fecha",
            "Se traslada al lunes",
            "Vigencia",
            "Norma",
        ],
    );
    for rule in &calendar.rules {
        table.row(&[
            rule.name.clone(),
            match rule.kind {
                DayKind::Holiday => "festivo".to_owned(),
                DayKind::Closure => "cierre de la entidad".to_owned(),
            },
            rule_date(&rule.date),
            if rule.moved_to_monday { "sí" } else { "no" }.to_owned(),
            years(rule.from_year, rule.until_year),
            rule.legal_basis.clone().unwrap_or_else(|| "—".to_owned()),
        ]);
    }
    b.table(table);
    if !calendar.rules.iter().any(|r| r.kind == DayKind::Closure) {
        b.paragraph(plain(
            "El calendario no tiene cierres propios de la entidad: aparte de los días fuera del horario de \
             recepción, solo los festivos son días no hábiles.",
        ));
    }
}

/// `Acuerdos de nivel de servicio (ANS)`: the procedure's table, and how the deadline is counted.
pub fn ans(b: &mut Builder, policy: &Policy) {
    b.heading(3, "Acuerdos de nivel de servicio (ANS)");
    b.paragraph(plain(
        "La descripción de las solicitudes y los Acuerdos de Nivel de Servicio (ANS) son los dispuestos en la \
         siguiente relación.",
    ));
    let mut table = Table::new(
        "ans",
        &[
            "Categorías por servicio",
            "Descripción",
            "Tiempo máximo de solución",
            "Canales",
        ],
    );
    for category in &policy.categories {
        let channels: Vec<String> = category
            .channels
            .iter()
            .map(|key| {
                policy
                    .channels
                    .iter()
                    .find(|c| &c.key == key)
                    .map_or_else(|| key.clone(), |c| c.label.clone())
            })
            .collect();
        table.row(&[
            category.name.clone(),
            category.description.clone(),
            ans_text(&category.ans),
            join_and(&channels),
        ]);
    }
    b.table(table);
    let paused: Vec<String> = policy
        .states
        .iter()
        .filter(|s| s.clock == Clock::Paused)
        .map(|s| quoted(&s.name))
        .collect();
    let solution: Vec<String> = policy
        .states
        .iter()
        .filter(|s| s.solution)
        .map(|s| quoted(&s.name))
        .collect();
    let mut counting = vec![
        text("Cómo se cuenta: el plazo vence a las "),
        strong(time(policy.hours.closes)),
        text(format!(
            " del último día hábil del ANS. {} El ANS se mide hasta la última entrada en {}",
            if policy.categories.iter().any(|c| c.ans.counts_reception_day) {
                "Salvo que la tabla diga «cuenta el día de recepción», el primer día es el día hábil siguiente a la \
                 recepción."
            } else {
                "El primer día es el día hábil siguiente a la recepción."
            },
            if solution.is_empty() {
                "el estado de solución".to_owned()
            } else {
                join_and(&solution)
            }
        )),
    ];
    if paused.is_empty() {
        counting.push(text("."));
    } else {
        counting.push(text(format!(
            "; el tiempo hábil que el caso pasa en {} no cuenta: el plazo se extiende en ese mismo tiempo.",
            join_and(&paused)
        )));
    }
    b.paragraph(counting);
}

/// `Excepciones`: the regime (ANS, time limit) and the list of types.
pub fn exceptions(b: &mut Builder, policy: &Policy) {
    let Some(regime) = &policy.exceptions else {
        return;
    };
    b.heading(3, "Excepciones");
    let counting = if regime.ans.counts_reception_day {
        " El día de recepción cuenta como el primer día"
    } else {
        " El primer día es el día hábil siguiente a la recepción"
    };
    let due = if regime.ans.counts_reception_day && regime.ans.business_days == 1 {
        format!(
            ": una excepción recibida antes de las {} de un día hábil vence a las {} de ese mismo día.",
            time(regime.received_before),
            time(policy.hours.closes)
        )
    } else {
        ".".to_owned()
    };
    b.paragraph(vec![
        text("El trámite para excepciones es de "),
        strong(crate::wording::days(regime.ans.business_days, true)),
        text(format!(
            " y el caso se recibe con sus soportes antes de las {}; lo que llega a las {} o después se entiende \
             recibido el siguiente día hábil.{counting}{due} Se entienden por excepciones las siguientes:",
            time(regime.received_before),
            time(regime.received_before)
        )),
    ]);
    b.numbered(regime.types.iter().map(|t| plain(t.name.clone())).collect());
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Weekday;

    #[test]
    fn date_rules_read_as_a_person_says_them() {
        assert_eq!(rule_date(&DateRule::Fixed { month: 7, day: 20 }), "20 de julio");
        assert_eq!(
            rule_date(&DateRule::Easter { offset: -3 }),
            "Domingo de Pascua − 3 días"
        );
        assert_eq!(
            rule_date(&DateRule::Easter { offset: 39 }),
            "Domingo de Pascua + 39 días"
        );
        assert_eq!(
            rule_date(&DateRule::NthWeekday {
                nth: Nth::Number(3),
                weekday: Weekday::Fri,
                month: 4
            }),
            "tercer viernes de abril"
        );
        assert_eq!(
            rule_date(&DateRule::NthWeekday {
                nth: Nth::Last,
                weekday: Weekday::Mon,
                month: 5
            }),
            "último lunes de mayo"
        );
        assert_eq!(years(Some(2024), None), "desde 2024");
        assert_eq!(years(Some(2024), Some(2025)), "de 2024 a 2025");
    }
}
