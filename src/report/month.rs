//! The report's month: parsing `AAAA-MM`, its first and last instants in local time, its Spanish
//! name and the default seed.

use chrono::{Datelike, NaiveDate};

use super::error::ReportError;
use crate::calendar::clock::{LocalSeconds, SECONDS_PER_DAY, epoch_day};

/// Spanish month names, January first.
const NAMES: [&str; 12] = crate::text::SPANISH_MONTHS;

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Month {
    first: NaiveDate,
}

impl Month {
    /// Parses `AAAA-MM` (years 1900–9999).
    pub fn parse(text: &str) -> Result<Self, ReportError> {
        let bad = || ReportError::BadMonth {
            text: text.to_owned(),
        };
        let trimmed = text.trim();
        let (year, month) = trimmed.split_once('-').ok_or_else(bad)?;
        if year.len() != 4
            || month.len() != 2
            || !(year.chars().chain(month.chars())).all(|c| c.is_ascii_digit())
        {
            return Err(bad());
        }
        let year: i32 = year.parse().map_err(|_| bad())?;
        let month: u32 = month.parse().map_err(|_| bad())?;
        if year < 1900 {
            return Err(bad());
        }
        let first = NaiveDate::from_ymd_opt(year, month, 1).ok_or_else(bad)?;
        Ok(Self { first })
    }

    /// The month holding `day`.
    pub fn containing(day: NaiveDate) -> Self {
        Self {
            first: day.with_day(1).unwrap_or(day),
        }
    }

    /// The month holding the local instant `at`.
    pub fn of_instant(at: LocalSeconds) -> Option<Self> {
        crate::calendar::clock::naive_of(at).map(|moment| Self::containing(moment.date()))
    }

    /// The calendar month before this one.
    pub fn previous(self) -> Self {
        Self::containing(self.first.pred_opt().unwrap_or(self.first))
    }

    /// The calendar month after this one.
    pub fn next(self) -> Self {
        Self::containing(self.last_day().succ_opt().unwrap_or(self.first))
    }

    /// First day of the month.
    pub fn first_day(self) -> NaiveDate {
        self.first
    }

    /// Last day of the month.
    pub fn last_day(self) -> NaiveDate {
        let next = if self.first.month() == 12 {
            NaiveDate::from_ymd_opt(self.first.year() + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(self.first.year(), self.first.month() + 1, 1)
        };
        next.and_then(|next| next.pred_opt()).unwrap_or(self.first)
    }

    /// Number of days.
    pub fn days(self) -> u32 {
        self.last_day().day()
    }

    /// 00:00:00 of the first day, local time.
    pub fn first_instant(self) -> LocalSeconds {
        epoch_day(self.first) * SECONDS_PER_DAY
    }

    /// 23:59:59 of the last day, local time (the default as-of instant of the report).
    pub fn last_instant(self) -> LocalSeconds {
        epoch_day(self.last_day()) * SECONDS_PER_DAY + SECONDS_PER_DAY - 1
    }

    /// `AAAA-MM`.
    pub fn key(self) -> String {
        format!("{:04}-{:02}", self.first.year(), self.first.month())
    }

    /// `junio de 2024`.
    pub fn spanish(self) -> String {
        let name = NAMES
            .get(self.first.month0() as usize)
            .copied()
            .unwrap_or_default();
        format!("{name} de {}", self.first.year())
    }

    /// The seed used when none is given: `<procedure code>:<AAAA-MM>`, e.g. `M1-3-06:2024-06`.
    pub fn default_seed(self, procedure: &str) -> String {
        format!("{procedure}:{}", self.key())
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.key())
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
    use crate::calendar::clock::naive_of;

    #[test]
    fn parses_and_bounds_months() {
        let june = Month::parse("2024-06").unwrap();
        assert_eq!(june.days(), 30);
        assert_eq!(june.spanish(), "junio de 2024");
        assert_eq!(
            naive_of(june.first_instant()).unwrap().to_string(),
            "2024-06-01 00:00:00"
        );
        assert_eq!(
            naive_of(june.last_instant()).unwrap().to_string(),
            "2024-06-30 23:59:59"
        );
        let december = Month::parse("2025-12").unwrap();
        assert_eq!(
            naive_of(december.last_instant()).unwrap().to_string(),
            "2025-12-31 23:59:59"
        );
        assert_eq!(Month::parse("2024-02").unwrap().days(), 29);
        assert_eq!(june.default_seed("M1-3-06"), "M1-3-06:2024-06");
        assert_eq!(june.previous().key(), "2024-05");
        assert_eq!(june.next().key(), "2024-07");
        assert_eq!(Month::parse("2025-01").unwrap().previous().key(), "2024-12");
        assert_eq!(december.next().key(), "2026-01");
        assert_eq!(Month::of_instant(june.last_instant()), Some(june));
        for bad in [
            "2024-13", "2024-6", "24-06", "junio", "2024-00", "2024/06", "+024-06", "",
        ] {
            assert!(Month::parse(bad).is_err(), "{bad}");
        }
    }
}
