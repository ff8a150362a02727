//! The ANS business clock of DESIGN.md §3: business positions, reception, deadlines.
//!
//! Instants are [`LocalSeconds`]: seconds since 1970-01-01 00:00:00 in the calendar's local
//! time (Bogotá has no DST, so local time is a plain count). The *position* of an instant is the
//! number of business seconds from the start of the index to it; time outside business hours
//! does not advance it, so Saturday 10:00, Friday 17:00 and Monday 08:00 share one position.
//! Every operation is O(1) on the precomputed [`BusinessDays`] index.

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, Timelike, Weekday};

use super::business::BusinessDays;
use super::error::CalendarError;
use super::model::Calendar;

/// Seconds since 1970-01-01 00:00:00 local time.
pub type LocalSeconds = i64;

/// Seconds in a calendar day.
pub const SECONDS_PER_DAY: i64 = 86_400;

/// Days from 0001-01-01 (day 1 of the proleptic Gregorian era) to 1970-01-01.
const UNIX_EPOCH_FROM_CE: i64 = 719_163;

/// Days since 1970-01-01 of `date`.
pub fn epoch_day(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce()) - UNIX_EPOCH_FROM_CE
}

/// The date `day` days after 1970-01-01, if representable.
pub fn date_of_epoch_day(day: i64) -> Option<NaiveDate> {
    let from_ce = i32::try_from(day.checked_add(UNIX_EPOCH_FROM_CE)?).ok()?;
    NaiveDate::from_num_days_from_ce_opt(from_ce)
}

/// Days since 1970-01-01 of `year`-`month`-`day` (proleptic Gregorian, as [`epoch_day`]
/// counts them), or `None` when there is no such date; without building a `NaiveDate`, since
/// every row of an export has dates to read.
pub fn epoch_day_of(year: u32, month: u32, day: u32) -> Option<i64> {
    let leap = year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if day == 0 || day > days_in_month {
        return None;
    }
    // Howard Hinnant's `days_from_civil`, counting years from March.
    let (year, month, day) = (i64::from(year), i64::from(month), i64::from(day));
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    Some(era * 146_097 + day_of_era - 719_468)
}

/// The (year, month, day) of `day` days after 1970-01-01 (proleptic Gregorian, as
/// [`date_of_epoch_day`] gives it), without building a `NaiveDate`: every timestamp written
/// needs one.
pub fn civil_of_epoch_day(day: i64) -> (i64, u32, u32) {
    // Howard Hinnant's `civil_from_days`.
    let day = day + 719_468;
    let era = day.div_euclid(146_097);
    let day_of_era = day - era * 146_097;
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day_of_month = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    // Both are in range by construction: 1 ≤ month ≤ 12, 1 ≤ day ≤ 31.
    (year, month as u32, day_of_month as u32)
}

/// `moment` as [`LocalSeconds`].
pub fn local_seconds(moment: NaiveDateTime) -> LocalSeconds {
    epoch_day(moment.date()) * SECONDS_PER_DAY + i64::from(moment.time().num_seconds_from_midnight())
}

/// The local date and time of `seconds`, if representable.
pub fn naive_of(seconds: LocalSeconds) -> Option<NaiveDateTime> {
    let date = date_of_epoch_day(seconds.div_euclid(SECONDS_PER_DAY))?;
    let second = u32::try_from(seconds.rem_euclid(SECONDS_PER_DAY)).ok()?;
    Some(date.and_time(NaiveTime::from_num_seconds_from_midnight_opt(second, 0)?))
}

/// The reception of a case (DESIGN.md §3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reception {
    /// Epoch day of the reception date R.
    pub day: i64,
    /// The instant shown as received: max(registration, opening of R) when R is the
    /// registration date, otherwise the opening of R.
    pub at: LocalSeconds,
    /// Whether R is the registration date itself (otherwise the next business day).
    pub same_day: bool,
}

/// Business positions and day arithmetic for one calendar, workweek and business hours.
#[derive(Debug, Clone)]
pub struct BusinessClock {
    days: BusinessDays,
    /// Epoch day of the index's first date.
    first_day: i64,
    /// Opening, seconds after midnight.
    opens: i64,
    /// Closing (inclusive), seconds after midnight.
    closes: i64,
    /// Business seconds in a business day (`closes - opens`).
    day_length: i64,
}

impl BusinessClock {
    /// Builds the clock of `calendar` with `workweek` and hours `opens ..= closes` over the years
    /// `first_year ..= last_year`. Errors as [`BusinessDays::new`], plus `C009` for empty hours.
    pub fn new(
        calendar: &Calendar,
        workweek: &[Weekday],
        opens: NaiveTime,
        closes: NaiveTime,
        first_year: i32,
        last_year: i32,
    ) -> Result<Self, CalendarError> {
        let open_seconds = i64::from(opens.num_seconds_from_midnight());
        let close_seconds = i64::from(closes.num_seconds_from_midnight());
        if close_seconds <= open_seconds {
            return Err(CalendarError::EmptyBusinessHours {
                calendar: calendar.name.clone(),
                opens,
                closes,
            });
        }
        let days = BusinessDays::new(calendar, workweek, first_year, last_year)?;
        Ok(Self {
            first_day: epoch_day(days.first_date()),
            days,
            opens: open_seconds,
            closes: close_seconds,
            day_length: close_seconds - open_seconds,
        })
    }

    /// The business-day index the clock is built on.
    pub fn business_days(&self) -> &BusinessDays {
        &self.days
    }

    /// Business seconds in one business day (32 400 for 08:00–17:00).
    pub fn day_length(&self) -> i64 {
        self.day_length
    }

    /// Opening time, seconds after midnight.
    pub fn opens(&self) -> i64 {
        self.opens
    }

    /// Closing time, seconds after midnight.
    pub fn closes(&self) -> i64 {
        self.closes
    }

    /// Offset of epoch day `day` in the index, or `C003`.
    fn offset(&self, day: i64) -> Result<usize, CalendarError> {
        day.checked_sub(self.first_day)
            .and_then(|offset| usize::try_from(offset).ok())
            .filter(|offset| self.days.count_through_offset(*offset).is_some())
            .ok_or_else(|| self.out_of_index(day))
    }

    fn out_of_index(&self, day: i64) -> CalendarError {
        CalendarError::DateOutOfIndex {
            calendar: self.days.calendar_name().to_owned(),
            date: date_of_epoch_day(day).unwrap_or(NaiveDate::MIN),
            first: self.days.first_date(),
            last: self.days.last_date(),
        }
    }

    fn beyond(&self) -> CalendarError {
        CalendarError::PositionBeyondIndex {
            calendar: self.days.calendar_name().to_owned(),
            last: self.days.last_date(),
        }
    }

    /// Business days among the index's dates up to and including `day`.
    fn through(&self, offset: usize) -> u32 {
        self.days.count_through_offset(offset).unwrap_or_default()
    }

    /// Business days strictly before the date at `offset`.
    fn before(&self, offset: usize) -> u32 {
        offset.checked_sub(1).map_or(0, |previous| self.through(previous))
    }

    /// Whether epoch day `day` is a business day. Error `C003` outside the index.
    pub fn is_business_day(&self, day: i64) -> Result<bool, CalendarError> {
        let offset = self.offset(day)?;
        Ok(self.through(offset) > self.before(offset))
    }

    /// The business position of instant `at` (DESIGN.md §3). Error `C003` outside the index.
    pub fn position(&self, at: LocalSeconds) -> Result<i64, CalendarError> {
        let day = at.div_euclid(SECONDS_PER_DAY);
        let offset = self.offset(day)?;
        let before = i64::from(self.before(offset));
        let through = i64::from(self.through(offset));
        if through == before {
            return Ok(through * self.day_length);
        }
        let into_day = (at.rem_euclid(SECONDS_PER_DAY) - self.opens).clamp(0, self.day_length);
        Ok(before * self.day_length + into_day)
    }

    /// Epoch day of the business day of 0-based rank `rank` in the index.
    fn day_of_rank(&self, rank: i64) -> Result<i64, CalendarError> {
        let offset = usize::try_from(rank)
            .ok()
            .and_then(|rank| self.days.offset_of_rank(rank))
            .ok_or_else(|| self.beyond())?;
        Ok(self.first_day + i64::from(offset))
    }

    /// The instant shown for `position`: a position on a day boundary is 17:00:00 (closing) of
    /// the earlier business day; position 0 is the opening of the first business day.
    pub fn instant_at(&self, position: i64) -> Result<LocalSeconds, CalendarError> {
        if position <= 0 {
            let day = self.day_of_rank(0)?;
            return Ok(day * SECONDS_PER_DAY + self.opens);
        }
        let rank = (position - 1).div_euclid(self.day_length);
        let into_day = position - rank * self.day_length;
        let day = self.day_of_rank(rank)?;
        Ok(day * SECONDS_PER_DAY + self.opens + into_day)
    }

    /// The `n`-th business day strictly after epoch day `day` (`n = 0`: `day` itself when a
    /// business day, else the next one).
    pub fn add_business_days(&self, day: i64, n: u32) -> Result<i64, CalendarError> {
        let offset = self.offset(day)?;
        let rank = if n == 0 {
            i64::from(self.before(offset))
        } else {
            i64::from(self.through(offset)) + i64::from(n) - 1
        };
        self.day_of_rank(rank)
    }

    /// The position of the closing instant of business day `day` (end of that day).
    pub fn closing_position(&self, day: i64) -> Result<i64, CalendarError> {
        let offset = self.offset(day)?;
        Ok(i64::from(self.through(offset)) * self.day_length)
    }

    /// Reception (DESIGN.md §3.1) of a case registered at `registered`. `cutoff` is the
    /// exception regime's "received before" time in seconds after midnight (strictly before);
    /// without it, a registration up to the closing time inclusive is received that day.
    pub fn reception(
        &self,
        registered: LocalSeconds,
        cutoff: Option<i64>,
    ) -> Result<Reception, CalendarError> {
        let day = registered.div_euclid(SECONDS_PER_DAY);
        let time = registered.rem_euclid(SECONDS_PER_DAY);
        let in_time = match cutoff {
            Some(cutoff) => time < cutoff,
            None => time <= self.closes,
        };
        if in_time && self.is_business_day(day)? {
            let opening = day * SECONDS_PER_DAY + self.opens;
            return Ok(Reception {
                day,
                at: registered.max(opening),
                same_day: true,
            });
        }
        let next = self.add_business_days(day, 1)?;
        Ok(Reception {
            day: next,
            at: next * SECONDS_PER_DAY + self.opens,
            same_day: false,
        })
    }

    /// Epoch day of the base deadline: the `ans`-th business day after the reception day, or
    /// counting the reception day as day 1 when `counts_reception_day` (DESIGN.md §3.2).
    pub fn due_day(
        &self,
        reception_day: i64,
        ans: u32,
        counts_reception_day: bool,
    ) -> Result<i64, CalendarError> {
        let n = if counts_reception_day {
            ans.saturating_sub(1)
        } else {
            ans
        };
        self.add_business_days(reception_day, n)
    }

    /// Business seconds of `[from, to]` (0 when `to` is not after `from`).
    pub fn business_seconds(&self, from: LocalSeconds, to: LocalSeconds) -> Result<i64, CalendarError> {
        if to <= from {
            return Ok(0);
        }
        Ok((self.position(to)? - self.position(from)?).max(0))
    }

    /// Whole business days late for `late_seconds` business seconds (ceiling; 0 when not late).
    pub fn days_late(&self, late_seconds: i64) -> i64 {
        if late_seconds <= 0 {
            0
        } else {
            (late_seconds + self.day_length - 1) / self.day_length
        }
    }
}

/// The date of `seconds`, for messages (`NaiveDate::MIN` when unrepresentable).
pub fn date_of(seconds: LocalSeconds) -> NaiveDate {
    date_of_epoch_day(seconds.div_euclid(SECONDS_PER_DAY)).unwrap_or(NaiveDate::MIN)
}

/// Spanish weekday name of epoch day `day`.
pub fn weekday_name(day: i64) -> &'static str {
    date_of_epoch_day(day).map_or("", |date| crate::wording::weekday(date.weekday()))
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests may panic: a failed unwrap is a failed test"
)]
mod tests {
    use super::*;
    use crate::calendar::holidays::test_support::colombia;

    /// Every date of the years that matter, and the edges of the leap-year rules, counted as
    /// chrono counts them, both ways; every impossible date refused as chrono refuses it.
    #[test]
    fn civil_days_are_counted_as_chrono_counts_them() {
        let years = (1890..=2110).chain([0, 1, 4, 100, 400, 1600, 1700, 2400, 9999]);
        for year in years {
            for month in 0..=13 {
                for day in 0..=32 {
                    let chrono = NaiveDate::from_ymd_opt(year as i32, month, day).map(epoch_day);
                    assert_eq!(epoch_day_of(year, month, day), chrono, "{year}-{month}-{day}");
                    if let Some(days) = chrono {
                        assert_eq!(civil_of_epoch_day(days), (i64::from(year), month, day));
                    }
                }
            }
        }
        for days in [-800_000, -719_529, -719_528, -1, 0, 1, 2_932_896, 2_932_897] {
            let date = date_of_epoch_day(days).unwrap();
            let expected = (i64::from(date.year()), date.month(), date.day());
            assert_eq!(civil_of_epoch_day(days), expected, "{days}");
        }
    }

    fn clock() -> BusinessClock {
        let week = crate::calendar::model::MONDAY_TO_FRIDAY;
        let opens = NaiveTime::from_hms_opt(8, 0, 0).unwrap();
        let closes = NaiveTime::from_hms_opt(17, 0, 0).unwrap();
        BusinessClock::new(&colombia(false), &week, opens, closes, 2020, 2030).unwrap()
    }

    fn at(text: &str) -> LocalSeconds {
        local_seconds(NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").unwrap())
    }

    fn show(seconds: LocalSeconds) -> String {
        naive_of(seconds).unwrap().format("%Y-%m-%d %H:%M:%S").to_string()
    }

    fn day(text: &str) -> i64 {
        epoch_day(NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap())
    }

    #[test]
    fn epoch_conversions_round_trip() {
        assert_eq!(day("1970-01-01"), 0);
        assert_eq!(show(at("2024-03-05 17:00:00")), "2024-03-05 17:00:00");
        assert_eq!(at("1969-12-31 23:59:59"), -1);
    }

    #[test]
    fn outside_hours_shares_the_next_opening_position() {
        let c = clock();
        // 2024-03-08 is a Friday; 2024-03-11 a Monday.
        let friday_close = c.position(at("2024-03-08 17:00:00")).unwrap();
        assert_eq!(c.position(at("2024-03-08 17:00:01")).unwrap(), friday_close);
        assert_eq!(c.position(at("2024-03-09 10:00:00")).unwrap(), friday_close);
        assert_eq!(c.position(at("2024-03-11 07:59:59")).unwrap(), friday_close);
        assert_eq!(c.position(at("2024-03-11 08:00:00")).unwrap(), friday_close);
        assert_eq!(c.position(at("2024-03-11 08:00:01")).unwrap(), friday_close + 1);
        assert_eq!(
            c.position(at("2024-03-11 16:59:59")).unwrap(),
            friday_close + 32_399
        );
    }

    #[test]
    fn day_boundary_positions_show_as_the_earlier_closing() {
        let c = clock();
        let p = c.position(at("2024-03-11 08:00:00")).unwrap();
        assert_eq!(show(c.instant_at(p).unwrap()), "2024-03-08 17:00:00");
        assert_eq!(show(c.instant_at(p + 1).unwrap()), "2024-03-11 08:00:01");
        assert_eq!(show(c.instant_at(p + 32_400).unwrap()), "2024-03-11 17:00:00");
    }

    #[test]
    fn reception_follows_the_after_hours_rule() {
        let c = clock();
        let r = c.reception(at("2024-03-05 07:59:00"), None).unwrap();
        assert_eq!((show(r.at), r.same_day), ("2024-03-05 08:00:00".into(), true));
        let r = c.reception(at("2024-03-05 17:00:00"), None).unwrap();
        assert_eq!((show(r.at), r.same_day), ("2024-03-05 17:00:00".into(), true));
        let r = c.reception(at("2024-03-05 17:00:01"), None).unwrap();
        assert_eq!((show(r.at), r.same_day), ("2024-03-06 08:00:00".into(), false));
        // Saturday → Monday.
        let r = c.reception(at("2024-03-09 10:00:00"), None).unwrap();
        assert_eq!(show(r.at), "2024-03-11 08:00:00");
        // Exceptions: before 09:00 only.
        let nine = 9 * 3600;
        let r = c.reception(at("2024-03-05 08:59:59"), Some(nine)).unwrap();
        assert_eq!(show(r.at), "2024-03-05 08:59:59");
        let r = c.reception(at("2024-03-05 09:00:00"), Some(nine)).unwrap();
        assert_eq!(show(r.at), "2024-03-06 08:00:00");
    }

    #[test]
    fn deadlines_skip_holidays() {
        let c = clock();
        // Holy Week 2024: Thursday 03-28 and Friday 03-29 are holidays.
        let due = c.due_day(day("2024-03-25"), 4, false).unwrap();
        assert_eq!(due, day("2024-04-02"));
        // 2025-06-30 is a double holiday (Sagrado Corazón and San Pedro y San Pablo).
        let due = c.due_day(day("2025-06-27"), 1, false).unwrap();
        assert_eq!(due, day("2025-07-01"));
        // Counting the reception day: due the same day.
        let due = c.due_day(day("2024-03-05"), 1, true).unwrap();
        assert_eq!(due, day("2024-03-05"));
        // 2026-07-13: Virgen de Chiquinquirá (07-09) moved to Monday.
        assert!(!c.is_business_day(day("2026-07-13")).unwrap());
        assert_eq!(c.due_day(day("2026-07-10"), 1, false).unwrap(), day("2026-07-14"));
    }

    #[test]
    fn days_late_rounds_up() {
        let c = clock();
        assert_eq!(c.days_late(0), 0);
        assert_eq!(c.days_late(1), 1);
        assert_eq!(c.days_late(32_400), 1);
        assert_eq!(c.days_late(32_401), 2);
    }

    #[test]
    fn outside_the_index_is_an_error() {
        let c = clock();
        assert_eq!(c.position(at("2031-01-01 10:00:00")).unwrap_err().code(), "C003");
        assert_eq!(c.instant_at(i64::MAX / 2).unwrap_err().code(), "C010");
    }
}
