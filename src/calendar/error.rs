//! Errors of calendar evaluation and business-day arithmetic, with stable codes (`C001`…).
//!
//! Every message is in Spanish and says how to fix the problem. The code is not part of the
//! message (`Display`); callers show it beside it, e.g. `error[C001]: …`. Codes never change
//! meaning; new variants get new codes.

use chrono::NaiveDate;
use thiserror::Error;

/// Largest absolute Easter offset a rule may use (`pascua ±366`), so that the nominal date
/// always falls in the year before, the year of, or the year after the Easter it counts from.
pub const MAX_EASTER_OFFSET: i32 = 366;

/// Most years one [`BusinessDays`](super::BusinessDays) index may span.
pub const MAX_INDEX_YEARS: i32 = 10_000;

/// An error evaluating a calendar or doing business-day arithmetic.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CalendarError {
    /// `C001`: a year outside the range of years the calendar's rules describe.
    #[error(
        "el año {year} está fuera del rango del calendario \"{calendar}\", que cubre {}; \
         amplíe `desde`/`hasta` del calendario",
        describe_range(*.first_year, *.last_year)
    )]
    YearOutOfRange {
        /// The calendar's declared name (`calendario "…"`), quoted in the message.
        calendar: String,
        /// The year a lookup or count needed.
        year: i32,
        /// First year the calendar covers.
        first_year: i32,
        /// Last year the calendar covers, if bounded.
        last_year: Option<i32>,
    },

    /// `C002`: a rule whose date cannot exist in any year (`02-30`, month 13, `sexto lunes`,
    /// an Easter offset beyond ±366 days).
    #[error(
        "la regla \"{rule}\" del calendario \"{calendar}\" tiene una fecha imposible: \
         {detail}; corrija la fecha de la regla"
    )]
    ImpossibleRuleDate {
        /// The calendar's declared name (`calendario "…"`).
        calendar: String,
        /// The rule's name as the calendar file writes it.
        rule: String,
        /// What is impossible about it, in Spanish.
        detail: String,
    },

    /// `C003`: a date outside the range of a business-day index.
    #[error(
        "la fecha {date} está fuera del índice de días hábiles del calendario \
         \"{calendar}\" ({first} a {last}); amplíe `desde`/`hasta` del calendario y el rango \
         de años del índice"
    )]
    DateOutOfIndex {
        /// The calendar's declared name (`calendario "…"`).
        calendar: String,
        /// The date looked up, outside `first..=last`.
        date: NaiveDate,
        /// First date of the index.
        first: NaiveDate,
        /// Last date of the index.
        last: NaiveDate,
    },

    /// `C004`: business-day arithmetic whose result lies after the end of the index.
    #[error(
        "contar {business_days} día(s) hábil(es) después de {from} sobrepasa el final del \
         índice de días hábiles del calendario \"{calendar}\" ({last}); amplíe `hasta` del \
         calendario y el rango de años del índice"
    )]
    BeyondIndex {
        /// The calendar's declared name (`calendario "…"`).
        calendar: String,
        /// Date the count starts after.
        from: NaiveDate,
        /// Business days asked for.
        business_days: u32,
        /// Last date of the index.
        last: NaiveDate,
    },

    /// `C005`: a business-day index asked for an empty, too long or unrepresentable year range.
    #[error(
        "el rango de años {first_year} a {last_year} del índice de días hábiles del \
         calendario \"{calendar}\" no es válido: {reason}"
    )]
    InvalidIndexRange {
        /// The calendar's declared name (`calendario "…"`).
        calendar: String,
        /// First year of the range requested, inclusive.
        first_year: i32,
        /// Last year of the range requested, inclusive.
        last_year: i32,
        /// Why, in Spanish.
        reason: String,
    },

    /// `C006`: a year that has no representable dates (beyond ±262 000).
    #[error(
        "el año {year} del calendario \"{calendar}\" no se puede representar como fecha; \
         use años entre -262000 y 262000"
    )]
    UnrepresentableYear {
        /// The calendar's declared name (`calendario "…"`).
        calendar: String,
        /// The year requested, beyond what `NaiveDate` holds.
        year: i32,
    },

    /// `C007`: a business-day index built with no working weekday.
    #[error(
        "la semana laboral del índice de días hábiles del calendario \"{calendar}\" no \
         tiene ningún día; indique al menos un día hábil (p. ej. lunes a viernes)"
    )]
    EmptyWorkweek {
        /// The calendar's declared name (`calendario "…"`).
        calendar: String,
    },

    /// `C008`: a year outside the range of years of a business-day index.
    #[error(
        "el año {year} está fuera del índice de días hábiles del calendario \"{calendar}\" \
         ({first_year} a {last_year}); amplíe `desde`/`hasta` del calendario y el rango de años \
         del índice"
    )]
    YearOutOfIndex {
        /// The calendar's declared name (`calendario "…"`).
        calendar: String,
        /// The year requested, outside `first_year..=last_year`.
        year: i32,
        /// First year of the index.
        first_year: i32,
        /// Last year of the index.
        last_year: i32,
    },

    /// `C009`: business hours that close at or before they open.
    #[error(
        "el horario de {opens} a {closes} del calendario \"{calendar}\" no tiene horas hábiles; \
         la hora de cierre debe ser posterior a la de apertura"
    )]
    EmptyBusinessHours {
        /// The calendar's declared name (`calendario "…"`).
        calendar: String,
        /// Local opening time of the business hours.
        opens: chrono::NaiveTime,
        /// Local closing time, not after `opens`.
        closes: chrono::NaiveTime,
    },

    /// `C010`: a business-clock position after the last business day of the index.
    #[error(
        "el plazo cae después del último día hábil del índice del calendario \"{calendar}\" \
         ({last}); amplíe `hasta` del calendario"
    )]
    PositionBeyondIndex {
        /// The calendar's declared name (`calendario "…"`).
        calendar: String,
        /// Last date of the index.
        last: NaiveDate,
    },
}

impl CalendarError {
    /// Every code of this family, with its meaning.
    pub const CODES: &[(&'static str, &'static str)] = &[
        ("C001", "El año está fuera del rango del calendario."),
        ("C002", "Una regla del calendario da una fecha imposible."),
        ("C003", "La fecha está fuera del índice de días hábiles."),
        ("C004", "Contar los días hábiles pasa del final del índice."),
        (
            "C005",
            "El rango de años del índice de días hábiles no es válido.",
        ),
        ("C006", "El año no se puede representar como fecha."),
        ("C007", "La semana laboral no tiene ningún día."),
        ("C008", "El año está fuera del índice de días hábiles."),
        ("C009", "El horario no tiene horas hábiles."),
        ("C010", "El plazo cae después del último día hábil del índice."),
    ];
}

impl crate::codes::Coded for CalendarError {
    fn code(&self) -> &'static str {
        CalendarError::code(self)
    }
}

impl CalendarError {
    /// Stable code of the error (`"C001"`, `"C002"`, …).
    pub fn code(&self) -> &'static str {
        match self {
            Self::YearOutOfRange { .. } => "C001",
            Self::ImpossibleRuleDate { .. } => "C002",
            Self::DateOutOfIndex { .. } => "C003",
            Self::BeyondIndex { .. } => "C004",
            Self::InvalidIndexRange { .. } => "C005",
            Self::UnrepresentableYear { .. } => "C006",
            Self::EmptyWorkweek { .. } => "C007",
            Self::YearOutOfIndex { .. } => "C008",
            Self::EmptyBusinessHours { .. } => "C009",
            Self::PositionBeyondIndex { .. } => "C010",
        }
    }
}

/// Spanish description of a calendar's year range ("1984 a 2100", "desde 1984, sin año final").
fn describe_range(first_year: i32, last_year: Option<i32>) -> String {
    match last_year {
        Some(last) => format!("{first_year} a {last}"),
        None => format!("desde {first_year}, sin año final"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_and_messages_spanish_without_code() {
        let date = NaiveDate::MIN;
        let errors = [
            CalendarError::YearOutOfRange {
                calendar: "colombia".into(),
                year: 1983,
                first_year: 1984,
                last_year: Some(2100),
            },
            CalendarError::ImpossibleRuleDate {
                calendar: "colombia".into(),
                rule: "x".into(),
                detail: "02-30 no existe".into(),
            },
            CalendarError::DateOutOfIndex {
                calendar: "colombia".into(),
                date,
                first: date,
                last: date,
            },
            CalendarError::BeyondIndex {
                calendar: "colombia".into(),
                from: date,
                business_days: 3,
                last: date,
            },
            CalendarError::InvalidIndexRange {
                calendar: "colombia".into(),
                first_year: 2,
                last_year: 1,
                reason: "vacío".into(),
            },
            CalendarError::UnrepresentableYear {
                calendar: "colombia".into(),
                year: i32::MAX,
            },
            CalendarError::EmptyWorkweek {
                calendar: "colombia".into(),
            },
            CalendarError::YearOutOfIndex {
                calendar: "colombia".into(),
                year: 2101,
                first_year: 1984,
                last_year: 2100,
            },
        ];
        let mut codes: Vec<&str> = errors.iter().map(CalendarError::code).collect();
        for error in &errors {
            let text = error.to_string();
            assert!(!text.contains(error.code()), "{text}");
            assert!(text.contains("calendario"), "{text}");
        }
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), errors.len());
    }

    #[test]
    fn year_out_of_range_says_the_range_and_the_fix() {
        let bounded = CalendarError::YearOutOfRange {
            calendar: "colombia".into(),
            year: 2101,
            first_year: 1984,
            last_year: Some(2100),
        };
        let text = bounded.to_string();
        assert!(text.contains("1984 a 2100"), "{text}");
        assert!(text.contains("amplíe `desde`/`hasta`"), "{text}");
        let open = CalendarError::YearOutOfRange {
            calendar: "colombia".into(),
            year: 1900,
            first_year: 1984,
            last_year: None,
        };
        assert!(open.to_string().contains("desde 1984, sin año final"));
    }
}
