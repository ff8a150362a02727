//! Spanish forms of values, in one place for every output: days with their unit, dates, times,
//! weekday ranges, numbers and percentages with a decimal comma, thousands separated by a space,
//! business durations, lists joined with «y». It depends only on the calendar's week and on
//! `text`, so every part of pauta can use it.

use chrono::{Datelike, NaiveDate, NaiveTime, Weekday};

use crate::text::SPANISH_MONTHS;

/// Spanish name of a weekday, lowercase, with tildes (`miércoles`).
pub fn weekday(day: Weekday) -> &'static str {
    match day {
        Weekday::Mon => "lunes",
        Weekday::Tue => "martes",
        Weekday::Wed => "miércoles",
        Weekday::Thu => "jueves",
        Weekday::Fri => "viernes",
        Weekday::Sat => "sábado",
        Weekday::Sun => "domingo",
    }
}

/// Monday to Sunday, in order.
fn week() -> impl Iterator<Item = Weekday> {
    std::iter::successors(Some(Weekday::Mon), |day| Some(day.succ())).take(7)
}

/// `1 día hábil`, `12 días hábiles`, `3 días calendario`.
pub fn days(count: u32, business: bool) -> String {
    match (count == 1, business) {
        (true, true) => "1 día hábil".to_owned(),
        (false, true) => format!("{count} días hábiles"),
        (true, false) => "1 día calendario".to_owned(),
        (false, false) => format!("{count} días calendario"),
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

/// A time of day given in seconds after midnight, as [`time`] writes it: `08:00`, `17:00:30`.
pub fn time_of_day(seconds: i64) -> String {
    u32::try_from(seconds.rem_euclid(86_400))
        .ok()
        .and_then(|second| NaiveTime::from_num_seconds_from_midnight_opt(second, 0))
        .map_or_else(String::new, time)
}

/// A length of time in hours and minutes, the seconds dropped: `8 h 16 min`, `9 h`, `45 min`,
/// `4 624 h`, `0 min` (a negative length counts as none).
pub fn hours_minutes(seconds: i64) -> String {
    let seconds = seconds.max(0);
    let (hours, minutes) = (seconds / 3600, seconds / 60 % 60);
    let hours_text = thousands(hours.unsigned_abs());
    match (hours, minutes) {
        (0, minutes) => format!("{minutes} min"),
        (_, 0) => format!("{hours_text} h"),
        (_, minutes) => format!("{hours_text} h {minutes} min"),
    }
}

/// [`hours_minutes`], or the seconds when there is less than a minute: `8 h 16 min`,
/// `30 segundos`, `1 segundo`.
pub fn short_time(seconds: i64) -> String {
    match seconds {
        1 => "1 segundo".to_owned(),
        2..=59 => format!("{seconds} segundos"),
        _ => hours_minutes(seconds),
    }
}

/// Business time counted in business days of `day_length` seconds (the calendar's working
/// day) plus hours and minutes, with the total in hours when it reaches a day:
/// `5 días hábiles y 8 h 16 min (53 h 16 min hábiles)`, `12 días hábiles (108 h hábiles)`,
/// `14 h 18 min hábiles`; under a minute, its seconds (`30 segundos hábiles`). Otherwise seconds
/// are dropped; a negative length counts as none.
pub fn business_time(seconds: i64, day_length: i64) -> String {
    let seconds = seconds.max(0);
    if (1..60).contains(&seconds) {
        return format!("{} hábiles", short_time(seconds));
    }
    let whole = if day_length > 0 { seconds / day_length } else { 0 };
    let rest = seconds - whole * day_length.max(0);
    let total = hours_minutes(seconds);
    match (u32::try_from(whole), rest / 60) {
        (Ok(0), _) | (Err(_), _) => format!("{total} hábiles"),
        (Ok(whole), 0) => format!("{} ({total} hábiles)", days(whole, true)),
        (Ok(whole), _) => format!(
            "{} y {} ({total} hábiles)",
            days(whole, true),
            hours_minutes(rest)
        ),
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
    let mut sorted: Vec<Weekday> = week().filter(|d| days.contains(d)).collect();
    sorted.dedup();
    let consecutive = sorted
        .windows(2)
        .all(|pair| pair[0].num_days_from_monday() + 1 == pair[1].num_days_from_monday());
    match (sorted.first(), sorted.last()) {
        (Some(first), Some(last)) if consecutive && sorted.len() > 2 => {
            format!("{} a {}", weekday(*first), weekday(*last))
        }
        _ => join_and(&sorted.iter().map(|d| weekday(*d).to_owned()).collect::<Vec<_>>()),
    }
}

/// The weekdays that are not workdays, in plural: `sábados y domingos`.
pub fn rest_days(workdays: &[Weekday]) -> String {
    join_and(
        &week()
            .filter(|d| !workdays.contains(d))
            .map(|d| {
                let name = weekday(d);
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

/// A number with exactly `decimals` decimals and a decimal comma: `87,5`, `14,31`.
pub fn decimal(value: f64, decimals: usize) -> String {
    format!("{value:.decimals$}").replace('.', ",")
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
    fn business_time_reads_in_days_hours_and_minutes() {
        const DAY: i64 = 32_400;
        assert_eq!(hours_minutes(51_526), "14 h 18 min");
        assert_eq!(hours_minutes(32_400), "9 h");
        assert_eq!(hours_minutes(2_700), "45 min");
        assert_eq!(hours_minutes(59), "0 min");
        assert_eq!(hours_minutes(4_624 * 3600), "4 624 h");
        assert_eq!(hours_minutes(-5), "0 min");
        assert_eq!(
            business_time(51_526, DAY),
            "1 día hábil y 5 h 18 min (14 h 18 min hábiles)"
        );
        assert_eq!(
            business_time(191_771, DAY),
            "5 días hábiles y 8 h 16 min (53 h 16 min hábiles)"
        );
        assert_eq!(business_time(12 * DAY, DAY), "12 días hábiles (108 h hábiles)");
        assert_eq!(business_time(DAY + 30, DAY), "1 día hábil (9 h hábiles)");
        assert_eq!(business_time(25_200, DAY), "7 h hábiles");
        assert_eq!(business_time(0, DAY), "0 min hábiles");
        assert_eq!(business_time(30, DAY), "30 segundos hábiles");
        assert_eq!(short_time(1), "1 segundo");
        assert_eq!(short_time(90), "1 min");
        assert_eq!(time_of_day(8 * 3600), "08:00");
        assert_eq!(time_of_day(17 * 3600 + 30), "17:00:30");
    }

    #[test]
    fn dates_are_spelled_out() {
        let day = NaiveDate::from_ymd_opt(2021, 12, 24).unwrap_or_default();
        assert_eq!(date(day), "24 de diciembre de 2021");
        assert_eq!(day_of_month(1, 6), "6 de enero");
        assert_eq!(month_name(13), "mes desconocido");
    }
}
