//! The compiled form of a calendar file: holiday and closure *rules*, not date lists.

use chrono::{NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// Every day of the week, Monday first.
pub const WEEK: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

/// Monday to Friday: the working week wherever no policy names its own.
pub const MONDAY_TO_FRIDAY: [Weekday; 5] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
];

/// A named calendar (`calendario "colombia"`), compiled from `policies/calendarios/*.pauta`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Calendar {
    /// Name procedures reference with `calendario "…"`.
    pub name: String,
    /// IANA time zone of every local time of the procedures using it (e.g. `America/Bogota`).
    pub zone: String,
    /// Fixed UTC offset of that zone in seconds (Colombia: −18 000; it has no DST).
    pub utc_offset_seconds: i32,
    /// First year the rules describe (queries before it are refused).
    pub first_year: i32,
    /// Last year the rules describe, if bounded.
    pub last_year: Option<i32>,
    /// Holiday and closure rules in file order.
    pub rules: Vec<DayRule>,
}

/// Whether a rule is a public holiday or an entity closure (both are non-business days).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// `festivo`: a public holiday by law.
    Holiday,
    /// `cierre`: a day the entity does not work although it is not a holiday.
    Closure,
}

/// One `festivo` or `cierre` line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayRule {
    /// Display name, e.g. "Reyes Magos".
    pub name: String,
    /// Holiday (`festivo`) or institutional closure (`cierre`); both stop the ANS clock.
    pub kind: DayKind,
    /// How the nominal date of each year is found.
    pub date: DateRule,
    /// Moved to the following Monday when the nominal date is not a Monday (Ley 51 de 1983).
    pub moved_to_monday: bool,
    /// First year the rule applies (inclusive).
    pub from_year: Option<i32>,
    /// Last year the rule applies (inclusive).
    pub until_year: Option<i32>,
    /// Legal basis quoted in the file (`norma "Ley 51 de 1983"`).
    pub legal_basis: Option<String>,
}

/// How a rule's nominal date is computed for a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum DateRule {
    /// The same month and day every year (`07-20`).
    Fixed {
        /// Month, 1–12.
        month: u32,
        /// Day of the month; must exist in that month in some year (`02-29` is accepted).
        day: u32,
    },
    /// An offset in days from Western (Gregorian) Easter Sunday (`pascua +39`).
    Easter {
        /// Days after (positive) or before (negative) Easter Sunday, at most 366 (`MAX_EASTER_OFFSET`).
        offset: i32,
    },
    /// The n-th (1–5) or last weekday of a month (`tercer viernes de abril`).
    NthWeekday {
        /// Which occurrence in the month (1st–5th, or the last).
        nth: Nth,
        /// The weekday counted; serialised with its Spanish name.
        #[serde(with = "weekday_serde")]
        weekday: Weekday,
        /// Month, 1–12.
        month: u32,
    },
    /// One single date (`2021-12-31`), only in its own year.
    Once {
        /// The day itself; the rule yields nothing in any other year.
        date: NaiveDate,
    },
}

/// Which occurrence of a weekday in a month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Nth {
    /// The n-th occurrence, 1–5.
    Number(u8),
    /// The last occurrence.
    Last,
}

/// Serde for `chrono::Weekday` as Spanish lowercase names (stable across chrono versions).
pub mod weekday_serde {
    use chrono::Weekday;
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    use crate::wording::weekday as spanish;

    /// Serialize as the Spanish name.
    pub fn serialize<S: Serializer>(day: &Weekday, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(spanish(*day))
    }

    /// Deserialize from the Spanish name.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Weekday, D::Error> {
        let text = String::deserialize(d)?;
        super::WEEK
            .into_iter()
            .find(|day| spanish(*day) == text)
            .ok_or_else(|| D::Error::custom(format!("día de la semana desconocido: {text}")))
    }
}

/// A concrete non-business day produced by a rule for a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObservedDay {
    /// The date the day is observed (after any move to Monday).
    pub date: NaiveDate,
    /// The nominal date before moving, when it differs from `date`.
    pub nominal: Option<NaiveDate>,
    /// The rule that produced the day, as the calendar file names it.
    pub name: String,
    /// Copied from the rule: holiday or institutional closure.
    pub kind: DayKind,
    /// Legal basis of the rule, if given.
    pub legal_basis: Option<String>,
}
