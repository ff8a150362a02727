//! Business positions (DESIGN §3): business seconds elapsed since the first business day of the
//! generated range, so that stories can be laid out in ANS time and mapped back to local instants.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};

use crate::calendar::BusinessDays;

/// The business-day index of one policy plus its business hours.
#[derive(Debug, Clone)]
pub struct Timeline {
    /// Business days of the policy's calendar and workweek.
    days: BusinessDays,
    /// Position 0: opening time of this business day.
    origin: NaiveDate,
    /// Opening time.
    opens: NaiveTime,
    /// Closing time (inclusive).
    closes: NaiveTime,
    /// Business seconds of a day (`closes − opens`, at least 1).
    day_length: u64,
}

impl Timeline {
    /// A timeline whose origin is the first business day on or after `start`.
    pub fn new(
        days: BusinessDays,
        start: NaiveDate,
        opens: NaiveTime,
        closes: NaiveTime,
    ) -> Result<Self, crate::calendar::CalendarError> {
        let origin = days.business_day_on_or_after(start)?;
        let length = (closes - opens).num_seconds().max(1);
        Ok(Self {
            days,
            origin,
            opens,
            closes,
            day_length: u64::try_from(length).unwrap_or(1),
        })
    }

    /// Business seconds of a day.
    pub fn day_length(&self) -> u64 {
        self.day_length
    }

    /// Opening time.
    pub fn opens(&self) -> NaiveTime {
        self.opens
    }

    /// Closing time.
    pub fn closes(&self) -> NaiveTime {
        self.closes
    }

    /// Whether `date` is a business day (`false` outside the index).
    pub fn is_business_day(&self, date: NaiveDate) -> bool {
        self.days.is_business_day(date).unwrap_or(false)
    }

    /// The first business day after `date`.
    pub fn next_business_day(&self, date: NaiveDate) -> Option<NaiveDate> {
        self.days.next_business_day(date).ok()
    }

    /// The `n`-th business day after `date` (`date` itself or the next one for `n = 0`).
    pub fn add_business_days(&self, date: NaiveDate, n: u32) -> Option<NaiveDate> {
        self.days.add_business_days(date, n).ok()
    }

    /// Index of a business day counted from the origin (0 for the origin).
    pub fn day_index(&self, date: NaiveDate) -> Option<u64> {
        if date <= self.origin {
            return Some(0);
        }
        self.days
            .business_days_between(self.origin, date)
            .ok()
            .map(u64::from)
    }

    /// The business day with index `k`.
    pub fn day_date(&self, k: u64) -> Option<NaiveDate> {
        let k = u32::try_from(k).ok()?;
        self.days.add_business_days(self.origin, k).ok()
    }

    /// Position of an instant: time outside business hours does not advance it.
    pub fn position(&self, at: NaiveDateTime) -> Option<u64> {
        let date = at.date();
        if date < self.origin {
            return Some(0);
        }
        let before = self.day_index(date)?;
        if self.is_business_day(date) {
            let into = (at.time() - self.opens).num_seconds().max(0);
            let into = u64::try_from(into).unwrap_or(0).min(self.day_length);
            Some(before * self.day_length + into)
        } else {
            // Every business day up to the last one before `date` has fully elapsed.
            Some((before + 1) * self.day_length)
        }
    }

    /// The instant of a position inside business hours (`None` beyond the index).
    pub fn instant(&self, position: u64) -> Option<NaiveDateTime> {
        let day = self.day_date(position / self.day_length)?;
        let seconds = i64::try_from(position % self.day_length).ok()?;
        day.and_time(self.opens)
            .checked_add_signed(TimeDelta::seconds(seconds))
    }

    /// Position of 17:00 (closing) on the business day with index `k`.
    pub fn closing_position(&self, k: u64) -> u64 {
        (k + 1) * self.day_length
    }
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::expect_used,
        reason = "tests may panic: a failed unwrap is a failed test"
    )]

    use super::*;
    use crate::calendar::model::MONDAY_TO_FRIDAY;
    use crate::policy::PolicySet;

    fn timeline() -> Timeline {
        let set = PolicySet::pinned();
        let calendar = set.calendar("colombia").unwrap();
        let days = BusinessDays::new(calendar, &MONDAY_TO_FRIDAY, 2024, 2025).unwrap();
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
        Timeline::new(
            days,
            NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
            t(8, 0),
            t(17, 0),
        )
        .unwrap()
    }

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, mo, d)
            .unwrap()
            .and_hms_opt(h, mi, s)
            .unwrap()
    }

    #[test]
    fn positions_skip_nights_weekends_and_holidays() {
        let t = timeline();
        // 2024-01-01 is a holiday: the origin is Tuesday 2024-01-02.
        assert_eq!(t.position(at(2024, 1, 1, 10, 0, 0)), Some(0));
        assert_eq!(t.position(at(2024, 1, 2, 8, 0, 0)), Some(0));
        assert_eq!(t.position(at(2024, 1, 2, 9, 0, 1)), Some(3_601));
        assert_eq!(t.position(at(2024, 1, 2, 17, 0, 0)), Some(32_400));
        assert_eq!(t.position(at(2024, 1, 2, 23, 0, 0)), Some(32_400));
        assert_eq!(t.position(at(2024, 1, 3, 8, 0, 0)), Some(32_400));
        // Friday 2024-01-05 17:00 = Saturday = Monday 2024-01-08 (Reyes, holiday) = Tuesday 08:00.
        let friday = t.position(at(2024, 1, 5, 17, 0, 0));
        assert_eq!(t.position(at(2024, 1, 6, 12, 0, 0)), friday);
        assert_eq!(t.position(at(2024, 1, 8, 12, 0, 0)), friday);
        assert_eq!(t.position(at(2024, 1, 9, 8, 0, 0)), friday);
    }

    #[test]
    fn instants_round_trip_inside_business_hours() {
        let t = timeline();
        for instant in [
            at(2024, 1, 2, 8, 0, 0),
            at(2024, 3, 27, 16, 59, 59),
            at(2024, 12, 31, 12, 0, 0),
        ] {
            assert_eq!(t.instant(t.position(instant).unwrap()), Some(instant));
        }
        assert_eq!(t.instant(32_400), Some(at(2024, 1, 3, 8, 0, 0)));
        assert_eq!(t.instant(u64::MAX / 2), None);
        assert_eq!(t.closing_position(0), 32_400);
    }
}
