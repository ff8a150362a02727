//! Spanish forms of the policy's values as a process owner reads them: days with their unit,
//! dates, times, weekday ranges, percentages, lists joined with «y».

use chrono::{Datelike, NaiveDate, NaiveTime, Weekday};

use crate::calendar::model::WEEK;

use crate::calendar::model::weekday_serde::spanish;
use crate::policy::model::{Ans, Clock};
use crate::text::SPANISH_MONTHS;

/// `1 día hábil`, `12 días hábiles`, `3 días calendario`.
pub fn days(count: u32, business: bool) -> String {
    match (count == 1, business) {
        (true, true) => "1 día hábil".to_owned(),
        (false, true) => format!("{count} días hábiles"),
        (true, false) => "1 día calendario".to_owned(),
        (false, false) => format!("{count} días calendario"),
    }
}

/// An ANS as the procedure's table writes it, noting when the reception day counts.
pub fn ans(ans: &Ans) -> String {
    let base = days(ans.business_days, true);
    if ans.counts_reception_day {
        format!("{base} (cuenta el día de recepción)")
    } else {
        base
    }
}

/// `24 de diciembre de 2021`.
pub fn date(day: NaiveDate) -> String {
    let month = SPANISH_MONTHS
        .get(day.month0() as usize)
        .copied()
        .unwrap_or_default();
    format!("{} de {month} de {}", day.day(), day.year())
}

/// `enero` for 1 … `diciembre` for 12.
pub fn month_name(month: u32) -> &'static str {
    month
        .checked_sub(1)
        .and_then(|m| SPANISH_MONTHS.get(m as usize))
        .copied()
        .unwrap_or("mes desconocido")
}

/// `6 de enero` (a day of every year).
pub fn day_of_month(month: u32, day: u32) -> String {
    format!("{day} de {}", month_name(month))
}

/// `08:00`, or `08:00:30` when seconds matter.
pub fn time(at: NaiveTime) -> String {
    if at.format("%S").to_string() == "00" {
        at.format("%H:%M").to_string()
    } else {
        at.format("%H:%M:%S").to_string()
    }
}

/// `a, b y c`.
pub fn join_and(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} y {last}", rest.join(", ")),
    }
}

/// `a, b o c`.
pub fn join_or(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} o {last}", rest.join(", ")),
    }
}

/// `lunes a viernes` for a run of consecutive days, else `lunes, miércoles y viernes`.
pub fn weekdays(days: &[Weekday]) -> String {
    let mut sorted: Vec<Weekday> = WEEK.iter().copied().filter(|d| days.contains(d)).collect();
    sorted.dedup();
    let consecutive = sorted
        .windows(2)
        .all(|pair| pair[0].num_days_from_monday() + 1 == pair[1].num_days_from_monday());
    match (sorted.first(), sorted.last()) {
        (Some(first), Some(last)) if consecutive && sorted.len() > 2 => {
            format!("{} a {}", spanish(*first), spanish(*last))
        }
        _ => join_and(&sorted.iter().map(|d| spanish(*d).to_owned()).collect::<Vec<_>>()),
    }
}

/// The weekdays that are not workdays, in plural: `sábados y domingos`.
pub fn rest_days(workdays: &[Weekday]) -> String {
    join_and(
        &WEEK
            .iter()
            .filter(|d| !workdays.contains(d))
            .map(|d| {
                let name = spanish(*d);
                if name.ends_with('s') {
                    name.to_owned()
                } else {
                    format!("{name}s")
                }
            })
            .collect::<Vec<_>>(),
    )
}

/// A fraction as a percentage without needless decimals: `95 %`, `2,5 %`.
pub fn percent(fraction: f64) -> String {
    format!("{} %", number(fraction * 100.0))
}

/// A number with a decimal comma and at most 4 decimals, trailing zeros dropped: `0,5`, `384,1459`.
pub fn number(value: f64) -> String {
    let text = format!("{value:.4}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text
    };
    text.replace('.', ",")
}

/// `153 600`: thousands separated by a space.
pub fn thousands(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, ch) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(ch);
    }
    out
}

/// The effect of a state on the ANS clock.
pub fn clock(clock: Clock) -> &'static str {
    match clock {
        Clock::Runs => "corre",
        Clock::Paused => "se detiene (pausa)",
        Clock::Final => "termina (estado final)",
    }
}

/// A metadata or accessibility key as a reader writes it (`titulo` → `título`).
pub fn property(key: &str) -> String {
    match key {
        "titulo" => "título".to_owned(),
        "etiquetado" => "etiquetado (PDF etiquetado)".to_owned(),
        other => other.to_owned(),
    }
}

/// Quoted with Spanish angle quotes: `«Solucionado»`.
pub fn quoted(text: &str) -> String {
    format!("«{text}»")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_take_their_unit_and_number() {
        assert_eq!(days(1, true), "1 día hábil");
        assert_eq!(days(12, true), "12 días hábiles");
        assert_eq!(days(3, false), "3 días calendario");
    }

    #[test]
    fn weekdays_read_as_ranges_or_lists() {
        use Weekday::*;
        assert_eq!(weekdays(&[Mon, Tue, Wed, Thu, Fri]), "lunes a viernes");
        assert_eq!(weekdays(&[Fri, Mon, Wed]), "lunes, miércoles y viernes");
        assert_eq!(weekdays(&[Mon, Tue]), "lunes y martes");
        assert_eq!(rest_days(&[Mon, Tue, Wed, Thu, Fri]), "sábados y domingos");
        assert_eq!(rest_days(&[Mon, Tue, Thu, Fri, Sat]), "miércoles y domingos");
    }

    #[test]
    fn numbers_use_a_decimal_comma() {
        assert_eq!(percent(0.95), "95 %");
        assert_eq!(percent(0.025), "2,5 %");
        assert_eq!(number(0.5), "0,5");
        assert_eq!(number(384.145_882), "384,1459");
        assert_eq!(thousands(153_600), "153 600");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000_000), "1 000 000");
    }

    #[test]
    fn dates_are_spelled_out() {
        let day = NaiveDate::from_ymd_opt(2021, 12, 24).unwrap_or_default();
        assert_eq!(date(day), "24 de diciembre de 2021");
        assert_eq!(day_of_month(1, 6), "6 de enero");
        assert_eq!(month_name(13), "mes desconocido");
    }
}
