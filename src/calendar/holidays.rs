//! Evaluation of holiday and closure rules: Easter, the nominal date of each rule in a year,
//! the move to Monday (Ley 51 de 1983) and the sorted list of days a year observes.
//!
//! Decisions:
//! * A rule applies in a year when `from_year ≤ year ≤ until_year`, judged by the year of its
//!   *nominal* date.
//! * [`Calendar::observed_days`] lists the days whose *observed* date falls in the year, so a
//!   rule dated late in December and moved to Monday is listed in January of the next year
//!   (only if that nominal year is covered by the calendar too).
//! * A date that can never exist (`02-30`, month 13, `sexto lunes`, Easter ±400) is an error
//!   ([`CalendarError::ImpossibleRuleDate`], `C002`) in every year; a date that exists only in
//!   some years (`02-29`, `quinto lunes`) simply yields no day in the other years.

use chrono::{Datelike, Days, NaiveDate, Weekday};

use super::error::{CalendarError, MAX_EASTER_OFFSET};
use super::model::{Calendar, DateRule, DayRule, Nth, ObservedDay};

/// Most days each month can have in any year (February: 29).
const MAX_DAYS_IN_MONTH: [u32; 12] = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/// Western (Gregorian) Easter Sunday of `year`, by the anonymous Gregorian (Meeus/Jones/Butcher)
/// algorithm; `None` when the year has no representable dates.
pub fn easter_sunday(year: i32) -> Option<NaiveDate> {
    let y = i64::from(year);
    let a = y.rem_euclid(19);
    let b = y.div_euclid(100);
    let c = y.rem_euclid(100);
    let d = b.div_euclid(4);
    let e = b.rem_euclid(4);
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c.div_euclid(4);
    let k = c.rem_euclid(4);
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l).div_euclid(451);
    let n = h + l - 7 * m + 114;
    let month = u32::try_from(n.div_euclid(31)).ok()?;
    let day = u32::try_from(n.rem_euclid(31) + 1).ok()?;
    NaiveDate::from_ymd_opt(year, month, day)
}

/// The Monday on or after `date` (`date` itself when it is a Monday).
fn monday_on_or_after(date: NaiveDate) -> Option<NaiveDate> {
    let ahead = (7 - date.weekday().num_days_from_monday()) % 7;
    date.checked_add_days(Days::new(u64::from(ahead)))
}

/// Number of days of `month` in `year`, if both exist.
fn days_in_month(year: i32, month: u32) -> Option<u32> {
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year.checked_add(1)?, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    u32::try_from(next.signed_duration_since(first).num_days()).ok()
}

/// Why a month number is impossible, if it is.
fn month_problem(month: u32) -> Option<String> {
    (!(1..=12).contains(&month)).then(|| format!("el mes {month} no existe (use 1 a 12)"))
}

/// Spanish name of a weekday for messages.
fn weekday_name(day: Weekday) -> &'static str {
    crate::wording::weekday(day)
}

impl DayRule {
    /// Whether the rule applies to nominal dates of `year` (`from_year ≤ year ≤ until_year`).
    pub fn applies_in(&self, year: i32) -> bool {
        self.from_year.is_none_or(|from| from <= year) && self.until_year.is_none_or(|until| year <= until)
    }

    /// Why the rule can never produce a date (in Spanish), or `None` when it is valid.
    pub fn date_problem(&self) -> Option<String> {
        if let (Some(from), Some(until)) = (self.from_year, self.until_year)
            && from > until
        {
            return Some(format!(
                "su año inicial {from} es posterior a su año final {until}"
            ));
        }
        match &self.date {
            DateRule::Fixed { month, day } => {
                if let Some(problem) = month_problem(*month) {
                    return Some(problem);
                }
                let max = usize::try_from(*month - 1)
                    .ok()
                    .and_then(|index| MAX_DAYS_IN_MONTH.get(index))
                    .copied()
                    .unwrap_or(0);
                (*day == 0 || *day > max)
                    .then(|| format!("la fecha {month:02}-{day:02} no existe en ningún año"))
            }
            DateRule::Easter { offset } => (offset.unsigned_abs() > MAX_EASTER_OFFSET.unsigned_abs())
                .then(|| format!("el desplazamiento de pascua {offset:+} excede ±{MAX_EASTER_OFFSET} días")),
            DateRule::NthWeekday { nth, weekday, month } => {
                if let Some(problem) = month_problem(*month) {
                    return Some(problem);
                }
                match nth {
                    Nth::Number(n) if !(1..=5).contains(n) => Some(format!(
                        "la ocurrencia {n} del {} no existe en ningún mes (use 1 a 5 o `último`)",
                        weekday_name(*weekday)
                    )),
                    _ => None,
                }
            }
            DateRule::Once { .. } => None,
        }
    }

    /// The rule's nominal date in `year` (before any move to Monday), ignoring `from_year` and
    /// `until_year`; `None` when the rule has no day that year (`02-29` in a common year, a
    /// fifth weekday a month lacks, a one-off date of another year, or an impossible rule —
    /// see [`DayRule::date_problem`]).
    pub fn nominal_date(&self, year: i32) -> Option<NaiveDate> {
        match &self.date {
            DateRule::Fixed { month, day } => NaiveDate::from_ymd_opt(year, *month, *day),
            DateRule::Easter { offset } => {
                if offset.unsigned_abs() > MAX_EASTER_OFFSET.unsigned_abs() {
                    return None;
                }
                let easter = easter_sunday(year)?;
                let days = Days::new(u64::from(offset.unsigned_abs()));
                if *offset >= 0 {
                    easter.checked_add_days(days)
                } else {
                    easter.checked_sub_days(days)
                }
            }
            DateRule::NthWeekday { nth, weekday, month } => nth_weekday(year, *month, *nth, *weekday),
            DateRule::Once { date } => (date.year() == year).then_some(*date),
        }
    }

    /// The day the rule observes for nominal `year`, after any move to Monday, or `None` when
    /// it does not apply that year or has no day in it.
    pub fn observed_in(&self, year: i32) -> Option<ObservedDay> {
        if !self.applies_in(year) {
            return None;
        }
        let nominal = self.nominal_date(year)?;
        let date = if self.moved_to_monday {
            monday_on_or_after(nominal)?
        } else {
            nominal
        };
        Some(ObservedDay {
            date,
            nominal: (date != nominal).then_some(nominal),
            name: self.name.clone(),
            kind: self.kind,
            legal_basis: self.legal_basis.clone(),
        })
    }
}

/// The `nth` `weekday` of `month` in `year`, if that month has it.
fn nth_weekday(year: i32, month: u32, nth: Nth, weekday: Weekday) -> Option<NaiveDate> {
    let length = days_in_month(year, month)?;
    match nth {
        Nth::Number(n) => {
            if !(1..=5).contains(&n) {
                return None;
            }
            let first = NaiveDate::from_ymd_opt(year, month, 1)?;
            let ahead = (7 + weekday.num_days_from_monday() - first.weekday().num_days_from_monday()) % 7;
            let day = 1 + ahead + 7 * (u32::from(n) - 1);
            (day <= length)
                .then(|| NaiveDate::from_ymd_opt(year, month, day))
                .flatten()
        }
        Nth::Last => {
            let last = NaiveDate::from_ymd_opt(year, month, length)?;
            let back = (7 + last.weekday().num_days_from_monday() - weekday.num_days_from_monday()) % 7;
            last.checked_sub_days(Days::new(u64::from(back)))
        }
    }
}

impl Calendar {
    /// Whether the calendar's rules describe `year` (`first_year ≤ year ≤ last_year`).
    pub fn covers(&self, year: i32) -> bool {
        self.first_year <= year && self.last_year.is_none_or(|last| year <= last)
    }

    /// Checks every rule for a date that can never exist ([`CalendarError::ImpossibleRuleDate`]).
    pub fn validate(&self) -> Result<(), CalendarError> {
        for rule in &self.rules {
            if let Some(detail) = rule.date_problem() {
                return Err(CalendarError::ImpossibleRuleDate {
                    calendar: self.name.clone(),
                    rule: rule.name.clone(),
                    detail,
                });
            }
        }
        Ok(())
    }

    /// Every holiday and closure observed in `year`, sorted by (date, kind, name); two rules
    /// observed on one date are both listed. Includes days moved into `year` from a nominal
    /// date of the year before (December → January) when that year is covered too.
    ///
    /// Errors: `year` outside the calendar (`C001`), an impossible rule (`C002`), a year with
    /// no representable dates (`C006`).
    pub fn observed_days(&self, year: i32) -> Result<Vec<ObservedDay>, CalendarError> {
        if !self.covers(year) {
            return Err(CalendarError::YearOutOfRange {
                calendar: self.name.clone(),
                year,
                first_year: self.first_year,
                last_year: self.last_year,
            });
        }
        if NaiveDate::from_ymd_opt(year, 1, 1).is_none() || NaiveDate::from_ymd_opt(year, 12, 31).is_none() {
            return Err(CalendarError::UnrepresentableYear {
                calendar: self.name.clone(),
                year,
            });
        }
        self.validate()?;
        let nominal_years = [year.checked_sub(1), Some(year), year.checked_add(1)];
        let mut days: Vec<ObservedDay> = nominal_years
            .into_iter()
            .flatten()
            .filter(|nominal_year| self.covers(*nominal_year))
            .flat_map(|nominal_year| {
                self.rules
                    .iter()
                    .filter_map(move |rule| rule.observed_in(nominal_year))
            })
            .filter(|day| day.date.year() == year)
            .collect();
        days.sort_by(|a, b| {
            a.date
                .cmp(&b.date)
                .then(a.kind.cmp(&b.kind))
                .then_with(|| a.name.cmp(&b.name))
        });
        Ok(days)
    }
}

/// Calendars shared by the unit tests of this module and of `business`.
#[cfg(test)]
pub(crate) mod test_support {
    use chrono::Weekday;

    use crate::calendar::model::{Calendar, DateRule, DayKind, DayRule, Nth};

    /// A rule with no bounds and no legal basis.
    pub(crate) fn rule(name: &str, kind: DayKind, date: DateRule, moved: bool) -> DayRule {
        DayRule {
            name: name.to_owned(),
            kind,
            date,
            moved_to_monday: moved,
            from_year: None,
            until_year: None,
            legal_basis: None,
        }
    }

    /// Colombia's holidays (Ley 51 de 1983, Ley 2578 de 2026), 1984–2100, plus a
    /// `tercer viernes de abril` closure when `with_closures`.
    pub(crate) fn colombia(with_closures: bool) -> Calendar {
        let fixed =
            |name: &str, month, day| rule(name, DayKind::Holiday, DateRule::Fixed { month, day }, false);
        let moved = |name: &str, month, day| DayRule {
            legal_basis: Some("Ley 51 de 1983".to_owned()),
            from_year: Some(1984),
            ..rule(name, DayKind::Holiday, DateRule::Fixed { month, day }, true)
        };
        let easter = |name: &str, offset, moved: bool| DayRule {
            legal_basis: moved.then(|| "Ley 51 de 1983".to_owned()),
            from_year: moved.then_some(1984),
            ..rule(name, DayKind::Holiday, DateRule::Easter { offset }, moved)
        };
        let mut rules = vec![
            fixed("Año Nuevo", 1, 1),
            moved("Reyes Magos", 1, 6),
            moved("San José", 3, 19),
            easter("Jueves Santo", -3, false),
            easter("Viernes Santo", -2, false),
            fixed("Día del Trabajo", 5, 1),
            easter("Ascensión del Señor", 39, true),
            easter("Corpus Christi", 60, true),
            easter("Sagrado Corazón", 68, true),
            moved("San Pedro y San Pablo", 6, 29),
            DayRule {
                from_year: Some(2026),
                legal_basis: Some("Ley 2578 de 2026".to_owned()),
                ..moved("Virgen de Chiquinquirá", 7, 9)
            },
            fixed("Independencia", 7, 20),
            fixed("Batalla de Boyacá", 8, 7),
            moved("Asunción de la Virgen", 8, 15),
            moved("Día de la Raza", 10, 12),
            moved("Todos los Santos", 11, 1),
            moved("Independencia de Cartagena", 11, 11),
            fixed("Inmaculada Concepción", 12, 8),
            fixed("Navidad", 12, 25),
        ];
        if with_closures {
            rules.push(rule(
                "Cierre de abril",
                DayKind::Closure,
                DateRule::NthWeekday {
                    nth: Nth::Number(3),
                    weekday: Weekday::Fri,
                    month: 4,
                },
                false,
            ));
        }
        Calendar {
            name: "colombia".to_owned(),
            zone: "America/Bogota".to_owned(),
            utc_offset_seconds: -18_000,
            first_year: 1984,
            last_year: Some(2100),
            rules,
        }
    }
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests may panic: a failed unwrap is a failed test"
)]
mod tests {
    use super::test_support::{colombia, rule};
    use super::*;
    use crate::calendar::model::DayKind;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn on(days: &[ObservedDay], when: NaiveDate) -> Vec<&ObservedDay> {
        days.iter().filter(|day| day.date == when).collect()
    }

    #[test]
    fn easter_of_known_years() {
        for (y, m, d) in [
            (1818, 3, 22),
            (1943, 4, 25),
            (1961, 4, 2),
            (1984, 4, 22),
            (2000, 4, 23),
            (2008, 3, 23),
            (2011, 4, 24),
            (2019, 4, 21),
            (2024, 3, 31),
            (2025, 4, 20),
            (2026, 4, 5),
            (2038, 4, 25),
            (2100, 3, 28),
            (2285, 3, 22),
        ] {
            assert_eq!(easter_sunday(y), Some(date(y, m, d)), "{y}");
        }
    }

    #[test]
    fn easter_never_panics_and_is_a_sunday_in_range() {
        for year in [i32::MIN, -262_144, -1, 0, 1, 262_142, 262_143, i32::MAX] {
            if let Some(easter) = easter_sunday(year) {
                assert_eq!(easter.weekday(), Weekday::Sun, "{year}");
                let month_day = (easter.month(), easter.day());
                assert!(((3, 22)..=(4, 25)).contains(&month_day), "{year}");
            }
        }
        for year in 1583..=3000 {
            let easter = easter_sunday(year).unwrap();
            assert_eq!(easter.weekday(), Weekday::Sun, "{year}");
            assert!(((3, 22)..=(4, 25)).contains(&(easter.month(), easter.day())));
        }
        assert!(easter_sunday(i32::MAX).is_none());
    }

    #[test]
    fn double_holiday_on_2025_06_30_lists_both() {
        let days = colombia(false).observed_days(2025).unwrap();
        let names: Vec<&str> = on(&days, date(2025, 6, 30))
            .iter()
            .map(|day| day.name.as_str())
            .collect();
        assert_eq!(names, ["Sagrado Corazón", "San Pedro y San Pablo"]);
        let sagrado = on(&days, date(2025, 6, 30))[0];
        assert_eq!(sagrado.nominal, Some(date(2025, 6, 27)));
        assert_eq!(days.len(), 18);
    }

    #[test]
    fn chiquinquira_moves_from_thursday_from_2026() {
        let calendar = colombia(false);
        let days = calendar.observed_days(2026).unwrap();
        let moved = on(&days, date(2026, 7, 13));
        assert_eq!(moved.len(), 1);
        assert_eq!(moved[0].name, "Virgen de Chiquinquirá");
        assert_eq!(moved[0].nominal, Some(date(2026, 7, 9)));
        assert_eq!(date(2026, 7, 9).weekday(), Weekday::Thu);
        assert_eq!(moved[0].legal_basis.as_deref(), Some("Ley 2578 de 2026"));
        assert_eq!(days.len(), 19);
        let before = calendar.observed_days(2025).unwrap();
        assert!(before.iter().all(|day| day.name != "Virgen de Chiquinquirá"));
    }

    #[test]
    fn holy_week_is_not_moved() {
        let days = colombia(false).observed_days(2025).unwrap();
        for (when, name) in [
            (date(2025, 4, 17), "Jueves Santo"),
            (date(2025, 4, 18), "Viernes Santo"),
        ] {
            let found = on(&days, when);
            assert_eq!(found.len(), 1, "{when}");
            assert_eq!(found[0].name, name);
            assert_eq!(found[0].nominal, None);
        }
    }

    #[test]
    fn unmoved_days_have_no_nominal_and_moved_days_land_on_monday() {
        for year in [1984, 2008, 2025, 2026, 2100] {
            for day in colombia(false).observed_days(year).unwrap() {
                if let Some(nominal) = day.nominal {
                    assert_eq!(day.date.weekday(), Weekday::Mon);
                    assert!(nominal < day.date && day.date - nominal <= chrono::Duration::days(6));
                }
            }
        }
        // 2026-10-12 is a Monday: Día de la Raza does not move and records no nominal date.
        let days = colombia(false).observed_days(2026).unwrap();
        let raza = on(&days, date(2026, 10, 12));
        assert_eq!(raza.len(), 1);
        assert_eq!(raza[0].nominal, None);
    }

    #[test]
    fn third_friday_of_april_closure_shares_good_friday_2025() {
        let calendar = colombia(true);
        let days = calendar.observed_days(2025).unwrap();
        let friday = on(&days, date(2025, 4, 18));
        assert_eq!(friday.len(), 2);
        assert_eq!(friday[0].kind, DayKind::Holiday);
        assert_eq!(friday[1].kind, DayKind::Closure);
        let days = calendar.observed_days(2026).unwrap();
        let closure = on(&days, date(2026, 4, 17));
        assert_eq!(closure.len(), 1);
        assert_eq!(closure[0].name, "Cierre de abril");
    }

    #[test]
    fn one_off_closure_only_in_its_year() {
        let mut calendar = colombia(false);
        calendar.rules.push(rule(
            "Cierre por inventario",
            DayKind::Closure,
            DateRule::Once {
                date: date(2021, 12, 31),
            },
            false,
        ));
        let days = calendar.observed_days(2021).unwrap();
        assert_eq!(on(&days, date(2021, 12, 31)).len(), 1);
        for year in [2020, 2022] {
            let days = calendar.observed_days(year).unwrap();
            assert!(days.iter().all(|day| day.name != "Cierre por inventario"));
        }
    }

    #[test]
    fn from_and_until_bounds_are_inclusive() {
        let mut calendar = colombia(false);
        calendar.rules.push(DayRule {
            from_year: Some(2020),
            until_year: Some(2022),
            ..rule(
                "Cierre temporal",
                DayKind::Closure,
                DateRule::Fixed { month: 3, day: 3 },
                false,
            )
        });
        for (year, present) in [(2019, false), (2020, true), (2022, true), (2023, false)] {
            let days = calendar.observed_days(year).unwrap();
            assert_eq!(
                days.iter().any(|day| day.name == "Cierre temporal"),
                present,
                "{year}"
            );
        }
    }

    #[test]
    fn years_outside_the_calendar_are_errors() {
        let calendar = colombia(false);
        assert!(!calendar.covers(1983));
        assert!(calendar.covers(1984));
        assert!(calendar.covers(2100));
        assert!(!calendar.covers(2101));
        for year in [1983, 2101, i32::MIN, i32::MAX] {
            let error = calendar.observed_days(year).unwrap_err();
            assert_eq!(error.code(), "C001", "{year}");
        }
        let open = Calendar {
            last_year: None,
            ..calendar
        };
        assert_eq!(open.observed_days(i32::MAX).unwrap_err().code(), "C006");
    }

    #[test]
    fn extreme_years_do_not_panic() {
        let mut open = Calendar {
            first_year: i32::MIN,
            last_year: None,
            ..colombia(true)
        };
        open.rules.push(rule(
            "Fin de año",
            DayKind::Closure,
            DateRule::Fixed { month: 12, day: 31 },
            true,
        ));
        open.rules.push(rule(
            "Pascua lejana",
            DayKind::Closure,
            DateRule::Easter { offset: -366 },
            true,
        ));
        for year in [
            i32::MIN,
            -262_145,
            -262_144,
            -262_143,
            262_141,
            262_142,
            262_143,
            262_144,
            i32::MAX,
        ] {
            match open.observed_days(year) {
                Ok(days) => assert!(days.iter().all(|day| day.date.year() == year)),
                Err(error) => assert_eq!(error.code(), "C006", "{year}"),
            }
        }
    }

    #[test]
    fn impossible_dates_are_errors_in_every_year() {
        let cases = [
            DateRule::Fixed { month: 2, day: 30 },
            DateRule::Fixed { month: 13, day: 1 },
            DateRule::Fixed { month: 4, day: 0 },
            DateRule::Fixed { month: 0, day: 1 },
            DateRule::Easter { offset: 400 },
            DateRule::Easter { offset: i32::MIN },
            DateRule::NthWeekday {
                nth: Nth::Number(6),
                weekday: Weekday::Mon,
                month: 1,
            },
            DateRule::NthWeekday {
                nth: Nth::Number(0),
                weekday: Weekday::Mon,
                month: 1,
            },
            DateRule::NthWeekday {
                nth: Nth::Last,
                weekday: Weekday::Mon,
                month: 14,
            },
        ];
        for case in cases {
            let mut calendar = colombia(false);
            calendar
                .rules
                .push(rule("Imposible", DayKind::Closure, case.clone(), true));
            for year in [1984, 2025] {
                let error = calendar.observed_days(year).unwrap_err();
                assert_eq!(error.code(), "C002", "{case:?}");
                assert!(error.to_string().contains("Imposible"));
            }
        }
        let mut inverted = colombia(false);
        inverted.rules.push(DayRule {
            from_year: Some(2030),
            until_year: Some(2020),
            ..rule(
                "Al revés",
                DayKind::Closure,
                DateRule::Fixed { month: 1, day: 2 },
                false,
            )
        });
        assert_eq!(inverted.validate().unwrap_err().code(), "C002");
    }

    #[test]
    fn partial_dates_yield_nothing_in_years_without_them() {
        let fifth_monday = rule(
            "Quinto lunes",
            DayKind::Closure,
            DateRule::NthWeekday {
                nth: Nth::Number(5),
                weekday: Weekday::Mon,
                month: 3,
            },
            false,
        );
        // March 2025 has five Mondays (3, 10, 17, 24, 31); March 2024 has only four.
        assert_eq!(fifth_monday.nominal_date(2025), Some(date(2025, 3, 31)));
        assert_eq!(fifth_monday.nominal_date(2024), None);
        let leap = rule(
            "Bisiesto",
            DayKind::Closure,
            DateRule::Fixed { month: 2, day: 29 },
            false,
        );
        assert_eq!(leap.nominal_date(2024), Some(date(2024, 2, 29)));
        assert_eq!(leap.nominal_date(2025), None);
        let mut calendar = colombia(false);
        calendar.rules.push(fifth_monday);
        calendar.rules.push(leap);
        assert!(calendar.observed_days(2026).is_ok());
        assert_eq!(calendar.observed_days(2024).unwrap().len(), 19);
    }

    #[test]
    fn nth_and_last_weekdays() {
        let nth = |nth, weekday, month, year| {
            rule(
                "x",
                DayKind::Closure,
                DateRule::NthWeekday { nth, weekday, month },
                false,
            )
            .nominal_date(year)
        };
        assert_eq!(
            nth(Nth::Number(3), Weekday::Fri, 4, 2025),
            Some(date(2025, 4, 18))
        );
        assert_eq!(nth(Nth::Number(1), Weekday::Tue, 4, 2025), Some(date(2025, 4, 1)));
        assert_eq!(nth(Nth::Last, Weekday::Mon, 5, 2025), Some(date(2025, 5, 26)));
        assert_eq!(nth(Nth::Last, Weekday::Wed, 12, 2025), Some(date(2025, 12, 31)));
        assert_eq!(nth(Nth::Last, Weekday::Thu, 2, 2024), Some(date(2024, 2, 29)));
    }

    #[test]
    fn december_day_moved_into_january_belongs_to_the_next_year() {
        let mut calendar = colombia(false);
        calendar.rules.push(rule(
            "Fin de año",
            DayKind::Closure,
            DateRule::Fixed { month: 12, day: 31 },
            true,
        ));
        // 2025-12-31 is a Wednesday → Monday 2026-01-05.
        // 2024-12-31 was a Tuesday → Monday 2025-01-06; 2025 lists only that one.
        let days_2025 = calendar.observed_days(2025).unwrap();
        let fin: Vec<_> = days_2025.iter().filter(|day| day.name == "Fin de año").collect();
        assert_eq!(fin.len(), 1);
        assert_eq!(fin[0].date, date(2025, 1, 6));
        assert_eq!(fin[0].nominal, Some(date(2024, 12, 31)));
        let days_2026 = calendar.observed_days(2026).unwrap();
        let moved = on(&days_2026, date(2026, 1, 5));
        assert_eq!(moved.len(), 1);
        assert_eq!(moved[0].nominal, Some(date(2025, 12, 31)));
        // 1984 is the first year: 1983-12-31 (a Saturday) is not described by the calendar, so
        // 1984 has no moved day in January; 1984-12-31 is a Monday and stays.
        let days_1984 = calendar.observed_days(1984).unwrap();
        let fin: Vec<_> = days_1984.iter().filter(|day| day.name == "Fin de año").collect();
        assert_eq!(fin.len(), 1);
        assert_eq!(fin[0].date, date(1984, 12, 31));
        assert_eq!(fin[0].nominal, None);
    }

    #[test]
    fn observed_days_are_sorted_by_date_kind_name() {
        let calendar = colombia(true);
        for year in 1984..=2100 {
            let days = calendar.observed_days(year).unwrap();
            assert!(days.windows(2).all(|pair| {
                (pair[0].date, pair[0].kind, &pair[0].name) <= (pair[1].date, pair[1].kind, &pair[1].name)
            }));
            assert!(days.iter().all(|day| day.date.year() == year));
        }
    }
}
