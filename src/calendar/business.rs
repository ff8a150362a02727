//! Business-day arithmetic over a precomputed index of a year range.
//!
//! [`BusinessDays::new`] evaluates the calendar once for every year of the range and keeps,
//! per date, the running count of business days up to it, plus the position of every business
//! day. Every query is then O(1): no query walks day by day.
//!
//! A date is a business day when its weekday is in the workweek and no holiday or closure is
//! observed on it.

use chrono::{Datelike, Days, NaiveDate, Weekday};

use super::error::{CalendarError, MAX_INDEX_YEARS};
use super::model::{Calendar, ObservedDay};

/// Precomputed business days of a calendar and a workweek over whole years.
#[derive(Debug, Clone)]
pub struct BusinessDays {
    /// Name of the calendar, for messages.
    calendar: String,
    /// First year of the index.
    first_year: i32,
    /// Last year of the index.
    last_year: i32,
    /// January 1 of `first_year`.
    first: NaiveDate,
    /// December 31 of `last_year`.
    last: NaiveDate,
    /// `through[i]`: business days among the dates `first ..= first + i`.
    through: Vec<u32>,
    /// `positions[k]`: day offset from `first` of the (k + 1)-th business day of the index.
    positions: Vec<u32>,
    /// Observed holidays and closures of the whole range, sorted by (date, kind, name).
    observed: Vec<ObservedDay>,
    /// `year_starts[y - first_year]`: index in `observed` of the first day of year `y`; one
    /// more entry than years, ending with `observed.len()`.
    year_starts: Vec<usize>,
}

impl BusinessDays {
    /// Builds the index of `calendar` for the years `first_year ..= last_year` (at most
    /// 10 000 years, all covered by the calendar), with `workweek` the working weekdays
    /// (duplicates are ignored).
    ///
    /// Errors: empty workweek (`C007`), an empty or too long range (`C005`), years outside the
    /// calendar (`C001`) or unrepresentable (`C006`), an impossible rule (`C002`).
    pub fn new(
        calendar: &Calendar,
        workweek: &[Weekday],
        first_year: i32,
        last_year: i32,
    ) -> Result<Self, CalendarError> {
        let name = || calendar.name.clone();
        if workweek.is_empty() {
            return Err(CalendarError::EmptyWorkweek { calendar: name() });
        }
        let range_error = |reason: String| CalendarError::InvalidIndexRange {
            calendar: name(),
            first_year,
            last_year,
            reason,
        };
        if first_year > last_year {
            return Err(range_error("el primer año es posterior al último".to_owned()));
        }
        if i64::from(last_year) - i64::from(first_year) >= i64::from(MAX_INDEX_YEARS) {
            return Err(range_error(format!("abarca más de {MAX_INDEX_YEARS} años")));
        }
        for year in [first_year, last_year] {
            if !calendar.covers(year) {
                return Err(CalendarError::YearOutOfRange {
                    calendar: name(),
                    year,
                    first_year: calendar.first_year,
                    last_year: calendar.last_year,
                });
            }
        }
        let first = NaiveDate::from_ymd_opt(first_year, 1, 1).ok_or(CalendarError::UnrepresentableYear {
            calendar: name(),
            year: first_year,
        })?;
        let last = NaiveDate::from_ymd_opt(last_year, 12, 31).ok_or(CalendarError::UnrepresentableYear {
            calendar: name(),
            year: last_year,
        })?;
        let too_long = || range_error("tiene demasiados días".to_owned());
        let length = usize::try_from(last.signed_duration_since(first).num_days())
            .ok()
            .and_then(|days| days.checked_add(1))
            .ok_or_else(too_long)?;

        let mut works = [false; 7];
        for day in workweek {
            if let Some(slot) = works.get_mut(weekday_index(*day)) {
                *slot = true;
            }
        }
        let mut business: Vec<bool> = Vec::with_capacity(length);
        let mut date = first;
        for offset in 0..length {
            business.push(works.get(weekday_index(date.weekday())) == Some(&true));
            if offset + 1 < length {
                date = date.succ_opt().ok_or_else(too_long)?;
            }
        }

        let mut observed = Vec::new();
        let mut year_starts = Vec::new();
        for year in first_year..=last_year {
            year_starts.push(observed.len());
            for day in calendar.observed_days(year)? {
                let offset = usize::try_from(day.date.signed_duration_since(first).num_days())
                    .ok()
                    .and_then(|offset| business.get_mut(offset));
                if let Some(slot) = offset {
                    *slot = false;
                }
                observed.push(day);
            }
        }
        year_starts.push(observed.len());

        let mut through = Vec::with_capacity(length);
        let mut positions = Vec::new();
        let mut count: u32 = 0;
        for (offset, is_business) in business.iter().enumerate() {
            if *is_business {
                positions.push(u32::try_from(offset).map_err(|_| too_long())?);
                count = count.checked_add(1).ok_or_else(too_long)?;
            }
            through.push(count);
        }

        Ok(Self {
            calendar: calendar.name.clone(),
            first_year,
            last_year,
            first,
            last,
            through,
            positions,
            observed,
            year_starts,
        })
    }

    /// Name of the calendar the index was built from.
    pub fn calendar_name(&self) -> &str {
        &self.calendar
    }

    /// First year of the index.
    pub fn first_year(&self) -> i32 {
        self.first_year
    }

    /// Last year of the index.
    pub fn last_year(&self) -> i32 {
        self.last_year
    }

    /// First date of the index (January 1 of the first year).
    pub fn first_date(&self) -> NaiveDate {
        self.first
    }

    /// Last date of the index (December 31 of the last year).
    pub fn last_date(&self) -> NaiveDate {
        self.last
    }

    /// Whether `date` is a business day. Error `C003` outside the index.
    pub fn is_business_day(&self, date: NaiveDate) -> Result<bool, CalendarError> {
        let offset = self.offset_of(date)?;
        Ok(self.is_business_at(offset))
    }

    /// The first business day strictly after `date`. Errors: `C003` when `date` is outside the
    /// index, `C004` when no business day follows it inside the index.
    pub fn next_business_day(&self, date: NaiveDate) -> Result<NaiveDate, CalendarError> {
        self.add_business_days(date, 1)
    }

    /// `date` itself when it is a business day, otherwise the next one. Errors as
    /// [`BusinessDays::next_business_day`].
    pub fn business_day_on_or_after(&self, date: NaiveDate) -> Result<NaiveDate, CalendarError> {
        if self.is_business_day(date)? {
            Ok(date)
        } else {
            self.next_business_day(date)
        }
    }

    /// The `n`-th business day strictly after `date`; for `n = 0`, the same as
    /// [`BusinessDays::business_day_on_or_after`] (so the result is always a business day, and
    /// `business_days_between(date, result) == n` holds for every `n ≥ 1`, and for `n = 0`
    /// when `date` is a business day). Errors: `C003` when `date` is outside the index, `C004`
    /// when the result would lie after its end.
    pub fn add_business_days(&self, date: NaiveDate, n: u32) -> Result<NaiveDate, CalendarError> {
        if n == 0 {
            return self.business_day_on_or_after(date);
        }
        let offset = self.offset_of(date)?;
        let beyond = || CalendarError::BeyondIndex {
            calendar: self.calendar.clone(),
            from: date,
            business_days: n,
            last: self.last,
        };
        // Business days up to and including `date`, plus `n`, is the rank of the result.
        let rank = usize::try_from(self.count_through(offset))
            .ok()
            .zip(usize::try_from(n).ok())
            .and_then(|(before, n)| before.checked_add(n))
            .ok_or_else(beyond)?;
        let position = rank
            .checked_sub(1)
            .and_then(|index| self.positions.get(index))
            .ok_or_else(beyond)?;
        self.first
            .checked_add_days(Days::new(u64::from(*position)))
            .ok_or_else(beyond)
    }

    /// Number of business days `d` with `start < d ≤ end`; 0 when `end ≤ start`. Error `C003`
    /// when either date is outside the index.
    pub fn business_days_between(&self, start: NaiveDate, end: NaiveDate) -> Result<u32, CalendarError> {
        let from = self.offset_of(start)?;
        let to = self.offset_of(end)?;
        Ok(self.count_through(to).saturating_sub(self.count_through(from)))
    }

    /// Number of business days in `year`. Error `C008` when the year is outside the index.
    pub fn business_days_in_year(&self, year: i32) -> Result<u32, CalendarError> {
        self.year_in_index(year)?;
        let (Some(jan_1), Some(dec_31)) = (
            NaiveDate::from_ymd_opt(year, 1, 1),
            NaiveDate::from_ymd_opt(year, 12, 31),
        ) else {
            return Err(self.year_out_of_index(year));
        };
        let start = self.offset_of(jan_1)?;
        let end = self.offset_of(dec_31)?;
        let before = match start.checked_sub(1) {
            Some(previous) => self.count_through(previous),
            None => 0,
        };
        Ok(self.count_through(end).saturating_sub(before))
    }

    /// Every holiday and closure observed in `year` (on workweek days or not, possibly two on
    /// one date), sorted by (date, kind, name). Error `C008` when the year is outside the index.
    pub fn non_business_days(&self, year: i32) -> Result<&[ObservedDay], CalendarError> {
        let index = self.year_in_index(year)?;
        let start = self.year_starts.get(index).copied();
        let end = index
            .checked_add(1)
            .and_then(|next| self.year_starts.get(next))
            .copied();
        match (start, end) {
            (Some(start), Some(end)) => self
                .observed
                .get(start..end)
                .ok_or_else(|| self.year_out_of_index(year)),
            _ => Err(self.year_out_of_index(year)),
        }
    }

    /// Business days among the dates `first_date() ..= first_date() + offset`, or `None` past the
    /// end of the index: the O(1) prefix count the business clock is built on.
    pub(crate) fn count_through_offset(&self, offset: usize) -> Option<u32> {
        self.through.get(offset).copied()
    }

    /// Day offset from `first_date()` of the business day of 0-based rank `rank`, or `None` when
    /// the index has fewer business days.
    pub(crate) fn offset_of_rank(&self, rank: usize) -> Option<u32> {
        self.positions.get(rank).copied()
    }

    /// Holidays and closures observed on `date` (possibly two), or none.
    pub fn observed_on(&self, date: NaiveDate) -> &[ObservedDay] {
        let Ok(all) = self.non_business_days(date.year()) else {
            return &[];
        };
        let start = all.partition_point(|day| day.date < date);
        let end = all.partition_point(|day| day.date <= date);
        all.get(start..end).unwrap_or_default()
    }

    /// Day offset of `date` from the first date, or `C003` outside the index.
    fn offset_of(&self, date: NaiveDate) -> Result<usize, CalendarError> {
        if date < self.first || date > self.last {
            return Err(CalendarError::DateOutOfIndex {
                calendar: self.calendar.clone(),
                date,
                first: self.first,
                last: self.last,
            });
        }
        usize::try_from(date.signed_duration_since(self.first).num_days()).map_err(|_| {
            CalendarError::DateOutOfIndex {
                calendar: self.calendar.clone(),
                date,
                first: self.first,
                last: self.last,
            }
        })
    }

    /// Business days among the first `offset + 1` dates (an offset from [`Self::offset_of`]).
    fn count_through(&self, offset: usize) -> u32 {
        self.through.get(offset).copied().unwrap_or_default()
    }

    /// Whether the date at `offset` is a business day.
    fn is_business_at(&self, offset: usize) -> bool {
        let before = match offset.checked_sub(1) {
            Some(previous) => self.count_through(previous),
            None => 0,
        };
        self.count_through(offset) > before
    }

    /// Position of `year` in the index's years, or `C008`.
    fn year_in_index(&self, year: i32) -> Result<usize, CalendarError> {
        if year < self.first_year || year > self.last_year {
            return Err(self.year_out_of_index(year));
        }
        usize::try_from(i64::from(year) - i64::from(self.first_year))
            .map_err(|_| self.year_out_of_index(year))
    }

    /// The `C008` error for `year`.
    fn year_out_of_index(&self, year: i32) -> CalendarError {
        CalendarError::YearOutOfIndex {
            calendar: self.calendar.clone(),
            year,
            first_year: self.first_year,
            last_year: self.last_year,
        }
    }
}

/// Position of a weekday in a Monday-first week (0–6).
fn weekday_index(day: Weekday) -> usize {
    day.num_days_from_monday() as usize
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests may panic: a failed unwrap is a failed test"
)]
mod tests {
    use super::*;
    use crate::calendar::holidays::test_support::{colombia, rule};
    use crate::calendar::model::{DateRule, DayKind};

    const MON_FRI: [Weekday; 5] = crate::calendar::model::MONDAY_TO_FRIDAY;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn index(first: i32, last: i32) -> BusinessDays {
        BusinessDays::new(&colombia(false), &MON_FRI, first, last).unwrap()
    }

    #[test]
    fn holidays_and_weekends_are_not_business_days() {
        let days = index(2025, 2026);
        assert!(!days.is_business_day(date(2025, 6, 30)).unwrap());
        assert!(!days.is_business_day(date(2025, 6, 28)).unwrap());
        assert!(!days.is_business_day(date(2026, 7, 13)).unwrap());
        assert!(days.is_business_day(date(2026, 7, 9)).unwrap());
        assert!(days.is_business_day(date(2025, 7, 1)).unwrap());
        assert!(days.is_business_day(date(2025, 1, 2)).unwrap());
        assert!(!days.is_business_day(date(2025, 1, 1)).unwrap());
    }

    #[test]
    fn next_and_on_or_after_skip_holidays_and_weekends() {
        let days = index(2025, 2026);
        // Friday 2025-06-27 → Sat, Sun, Monday 06-30 holiday → Tuesday 07-01.
        assert_eq!(
            days.next_business_day(date(2025, 6, 27)).unwrap(),
            date(2025, 7, 1)
        );
        // Holy Week 2025: Wednesday 04-16 → Monday 04-21.
        assert_eq!(
            days.next_business_day(date(2025, 4, 16)).unwrap(),
            date(2025, 4, 21)
        );
        assert_eq!(
            days.business_day_on_or_after(date(2025, 4, 17)).unwrap(),
            date(2025, 4, 21)
        );
        assert_eq!(
            days.business_day_on_or_after(date(2025, 4, 16)).unwrap(),
            date(2025, 4, 16)
        );
    }

    #[test]
    fn add_and_count_business_days() {
        let days = index(2025, 2026);
        assert_eq!(
            days.add_business_days(date(2025, 4, 16), 0).unwrap(),
            date(2025, 4, 16)
        );
        assert_eq!(
            days.add_business_days(date(2025, 4, 19), 0).unwrap(),
            date(2025, 4, 21)
        );
        assert_eq!(
            days.add_business_days(date(2025, 4, 15), 2).unwrap(),
            date(2025, 4, 21)
        );
        assert_eq!(
            days.add_business_days(date(2025, 12, 31), 1).unwrap(),
            date(2026, 1, 2)
        );
        // 15 business days from Friday 2026-07-03: July 2026 has 07-13 and 07-20 as holidays.
        let due = days.add_business_days(date(2026, 7, 3), 15).unwrap();
        assert_eq!(due, date(2026, 7, 28));
        assert_eq!(days.business_days_between(date(2026, 7, 3), due).unwrap(), 15);
        assert_eq!(days.business_days_between(due, date(2026, 7, 3)).unwrap(), 0);
        assert_eq!(days.business_days_between(due, due).unwrap(), 0);
    }

    #[test]
    fn business_days_per_year() {
        let days = index(2025, 2026);
        // 2025: 261 weekdays; 18 holidays on 17 dates (06-30 is double), 07-20 a Sunday → 245.
        assert_eq!(days.business_days_in_year(2025).unwrap(), 245);
        // 2026: 261 weekdays, 19 holidays all on weekdays → 242.
        assert_eq!(days.business_days_in_year(2026).unwrap(), 242);
        assert_eq!(days.business_days_in_year(2027).unwrap_err().code(), "C008");
    }

    #[test]
    fn non_business_days_keep_weekend_holidays_and_duplicates() {
        let days = index(2025, 2026);
        let list = days.non_business_days(2025).unwrap();
        assert_eq!(list.len(), 18);
        assert!(list.iter().any(|day| day.date == date(2025, 7, 20)));
        assert_eq!(list.iter().filter(|day| day.date == date(2025, 6, 30)).count(), 2);
        assert!(list.iter().all(|day| day.date.year() == 2025));
        assert_eq!(days.non_business_days(2026).unwrap().len(), 19);
        assert_eq!(days.non_business_days(2024).unwrap_err().code(), "C008");
        assert_eq!(days.non_business_days(i32::MIN).unwrap_err().code(), "C008");
    }

    #[test]
    fn closures_remove_business_days() {
        let mut calendar = colombia(true);
        calendar.rules.push(rule(
            "Inventario",
            DayKind::Closure,
            DateRule::Once {
                date: date(2025, 12, 30),
            },
            false,
        ));
        let days = BusinessDays::new(&calendar, &MON_FRI, 2025, 2026).unwrap();
        assert!(!days.is_business_day(date(2025, 12, 30)).unwrap());
        assert!(!days.is_business_day(date(2026, 4, 17)).unwrap());
        // 2025: the April closure falls on Good Friday, so only the one-off closure counts.
        assert_eq!(days.business_days_in_year(2025).unwrap(), 244);
        assert_eq!(days.business_days_in_year(2026).unwrap(), 241);
    }

    #[test]
    fn range_errors() {
        let days = index(2025, 2026);
        assert_eq!(days.first_date(), date(2025, 1, 1));
        assert_eq!(days.last_date(), date(2026, 12, 31));
        assert_eq!(
            days.is_business_day(date(2024, 12, 31)).unwrap_err().code(),
            "C003"
        );
        assert_eq!(
            days.business_days_between(date(2025, 1, 1), date(2027, 1, 1))
                .unwrap_err()
                .code(),
            "C003"
        );
        // The last business day of 2026 is Thursday 12-31; nothing follows in the index.
        assert_eq!(
            days.next_business_day(date(2026, 12, 31)).unwrap_err().code(),
            "C004"
        );
        assert_eq!(
            days.add_business_days(date(2026, 12, 1), u32::MAX)
                .unwrap_err()
                .code(),
            "C004"
        );
        assert_eq!(
            days.add_business_days(date(2026, 12, 30), 1).unwrap(),
            date(2026, 12, 31)
        );
    }

    #[test]
    fn construction_errors() {
        let calendar = colombia(false);
        let code = |first, last, week: &[Weekday]| {
            BusinessDays::new(&calendar, week, first, last)
                .unwrap_err()
                .code()
        };
        assert_eq!(code(2025, 2025, &[]), "C007");
        assert_eq!(code(2026, 2025, &MON_FRI), "C005");
        assert_eq!(code(1983, 2025, &MON_FRI), "C001");
        assert_eq!(code(2025, 2101, &MON_FRI), "C001");
        assert_eq!(code(i32::MIN, i32::MAX, &MON_FRI), "C005");
        let open = Calendar {
            last_year: None,
            ..calendar.clone()
        };
        assert_eq!(
            BusinessDays::new(&open, &MON_FRI, 262_143, 262_143)
                .unwrap_err()
                .code(),
            "C006"
        );
        let mut impossible = calendar.clone();
        impossible.rules.push(rule(
            "Imposible",
            DayKind::Closure,
            DateRule::Fixed { month: 2, day: 30 },
            false,
        ));
        assert_eq!(
            BusinessDays::new(&impossible, &MON_FRI, 2025, 2025)
                .unwrap_err()
                .code(),
            "C002"
        );
    }

    #[test]
    fn duplicate_and_six_day_workweeks() {
        let calendar = colombia(false);
        let doubled = [MON_FRI.as_slice(), MON_FRI.as_slice()].concat();
        let days = BusinessDays::new(&calendar, &doubled, 2025, 2025).unwrap();
        assert_eq!(days.business_days_in_year(2025).unwrap(), 245);
        let mut six = MON_FRI.to_vec();
        six.push(Weekday::Sat);
        let days = BusinessDays::new(&calendar, &six, 2025, 2025).unwrap();
        // 52 Saturdays in 2025, none a holiday.
        assert_eq!(days.business_days_in_year(2025).unwrap(), 245 + 52);
        assert!(days.is_business_day(date(2025, 6, 28)).unwrap());
    }
}
