//! Properties of business-day arithmetic on Colombia's calendar, Monday to Friday, 1984–2100.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;
use common::colombia;

use std::sync::LazyLock;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use pauta::calendar::{BusinessDays, Calendar, DateRule, DayKind, DayRule, Nth};
use proptest::prelude::*;

const FIRST_YEAR: i32 = 1984;
const LAST_YEAR: i32 = 2100;
const MON_FRI: [Weekday; 5] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
];

static CALENDAR: LazyLock<Calendar> = LazyLock::new(colombia);

static INDEX: LazyLock<BusinessDays> =
    LazyLock::new(|| BusinessDays::new(&CALENDAR, &MON_FRI, FIRST_YEAR, LAST_YEAR).unwrap());

fn first() -> NaiveDate {
    NaiveDate::from_ymd_opt(FIRST_YEAR, 1, 1).unwrap()
}

fn last() -> NaiveDate {
    NaiveDate::from_ymd_opt(LAST_YEAR, 12, 31).unwrap()
}

/// Any date of the index.
fn any_date() -> impl Strategy<Value = NaiveDate> {
    let span = u64::try_from(last().signed_duration_since(first()).num_days()).unwrap();
    (0..=span).prop_map(|offset| first().checked_add_days(Days::new(offset)).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn next_business_day_is_the_first_business_day_after(date in any_date()) {
        let index = &*INDEX;
        match index.next_business_day(date) {
            Ok(next) => {
                prop_assert!(next > date);
                prop_assert!(index.is_business_day(next).unwrap());
                let mut between = date.succ_opt().unwrap();
                while between < next {
                    prop_assert!(!index.is_business_day(between).unwrap(), "{between}");
                    between = between.succ_opt().unwrap();
                }
                prop_assert_eq!(index.business_days_between(date, next).unwrap(), 1);
            }
            Err(error) => {
                prop_assert_eq!(error.code(), "C004");
                prop_assert_eq!(index.business_days_between(date, last()).unwrap(), 0);
            }
        }
    }

    #[test]
    fn add_business_days_counts_back(date in any_date(), n in 0u32..400) {
        let index = &*INDEX;
        match index.add_business_days(date, n) {
            Ok(due) => {
                prop_assert!(index.is_business_day(due).unwrap());
                prop_assert!(due >= date);
                if n == 0 {
                    prop_assert_eq!(due, index.business_day_on_or_after(date).unwrap());
                } else {
                    prop_assert_eq!(index.business_days_between(date, due).unwrap(), n);
                    // The first date reaching n: one business day fewer just before it.
                    let before = due.pred_opt().unwrap();
                    prop_assert_eq!(index.business_days_between(date, before).unwrap(), n - 1);
                }
            }
            Err(error) => {
                prop_assert_eq!(error.code(), "C004");
                prop_assert!(index.business_days_between(date, last()).unwrap() < n.max(1));
            }
        }
    }

    #[test]
    fn business_days_between_is_additive(a in any_date(), b in any_date(), c in any_date()) {
        let index = &*INDEX;
        let mut dates = [a, b, c];
        dates.sort();
        let [a, b, c] = dates;
        let ab = index.business_days_between(a, b).unwrap();
        let bc = index.business_days_between(b, c).unwrap();
        prop_assert_eq!(index.business_days_between(a, c).unwrap(), ab + bc);
        prop_assert_eq!(index.business_days_between(c, a).unwrap(), 0);
    }

    #[test]
    fn on_or_after_is_the_date_or_the_next(date in any_date()) {
        let index = &*INDEX;
        if index.is_business_day(date).unwrap() {
            prop_assert_eq!(index.business_day_on_or_after(date).unwrap(), date);
        } else {
            prop_assert_eq!(
                index.business_day_on_or_after(date).ok(),
                index.next_business_day(date).ok()
            );
        }
    }

    #[test]
    fn count_matches_a_day_by_day_model(a in any_date(), span in 0u64..800) {
        let index = &*INDEX;
        let b = a.checked_add_days(Days::new(span)).unwrap().min(last());
        let holidays: std::collections::BTreeSet<NaiveDate> = (a.year()..=b.year())
            .flat_map(|year| CALENDAR.observed_days(year).unwrap())
            .map(|day| day.date)
            .collect();
        let mut expected = 0;
        let mut date = a;
        while date < b {
            date = date.succ_opt().unwrap();
            let weekday = date.weekday();
            if weekday != Weekday::Sat && weekday != Weekday::Sun && !holidays.contains(&date) {
                expected += 1;
            }
        }
        prop_assert_eq!(index.business_days_between(a, b).unwrap(), expected);
    }

    #[test]
    fn moved_holidays_fall_on_monday(year in FIRST_YEAR..=LAST_YEAR) {
        for day in CALENDAR.observed_days(year).unwrap() {
            if let Some(nominal) = day.nominal {
                prop_assert_eq!(day.date.weekday(), Weekday::Mon, "{}", day.name);
                prop_assert_ne!(nominal.weekday(), Weekday::Mon);
                prop_assert!(nominal < day.date);
                prop_assert!(day.date.signed_duration_since(nominal).num_days() <= 6);
            }
        }
    }

    #[test]
    fn year_count_equals_count_between_year_ends(year in (FIRST_YEAR + 1)..=LAST_YEAR) {
        let index = &*INDEX;
        let previous_end = NaiveDate::from_ymd_opt(year - 1, 12, 31).unwrap();
        let end = NaiveDate::from_ymd_opt(year, 12, 31).unwrap();
        prop_assert_eq!(
            index.business_days_in_year(year).unwrap(),
            index.business_days_between(previous_end, end).unwrap()
        );
    }

    #[test]
    fn observed_days_are_sorted(year in FIRST_YEAR..=LAST_YEAR) {
        let days = CALENDAR.observed_days(year).unwrap();
        let sorted = days.windows(2).all(|pair| {
            (pair[0].date, pair[0].kind, &pair[0].name)
                <= (pair[1].date, pair[1].kind, &pair[1].name)
        });
        prop_assert!(sorted, "{year}: {days:?}");
        prop_assert_eq!(INDEX.non_business_days(year).unwrap(), days.as_slice());
    }

    #[test]
    fn business_days_per_year_between_240_and_252(year in FIRST_YEAR..=LAST_YEAR) {
        let count = INDEX.business_days_in_year(year).unwrap();
        prop_assert!((240..=252).contains(&count), "{year}: {count}");
    }
}

/// The first year has no December 31 before it in the index: count it from January 1.
#[test]
fn first_year_count_equals_count_from_january_first() {
    let index = &*INDEX;
    let jan_1 = first();
    let dec_31 = NaiveDate::from_ymd_opt(FIRST_YEAR, 12, 31).unwrap();
    let from_jan_1 = index.business_days_between(jan_1, dec_31).unwrap()
        + u32::from(index.is_business_day(jan_1).unwrap());
    assert_eq!(index.business_days_in_year(FIRST_YEAR).unwrap(), from_jan_1);
}

/// Every year, not a sample: the Monday–Friday count stays within 240–252.
#[test]
fn every_year_has_240_to_252_business_days() {
    let counts: Vec<(i32, u32)> = (FIRST_YEAR..=LAST_YEAR)
        .map(|year| (year, INDEX.business_days_in_year(year).unwrap()))
        .collect();
    let outside: Vec<&(i32, u32)> = counts
        .iter()
        .filter(|(_, count)| !(240..=252).contains(count))
        .collect();
    assert!(outside.is_empty(), "{outside:?}");
}

/// Every moved holiday of every year lands on a Monday.
#[test]
fn every_moved_holiday_lands_on_monday() {
    for year in FIRST_YEAR..=LAST_YEAR {
        for day in CALENDAR.observed_days(year).unwrap() {
            if day.nominal.is_some() {
                assert_eq!(day.date.weekday(), Weekday::Mon, "{year} {}", day.name);
            }
        }
    }
}

/// Queries outside the index fail with the documented codes instead of panicking.
#[test]
fn queries_outside_the_index_are_errors() {
    let index = &*INDEX;
    let before = first().pred_opt().unwrap();
    let after = last().succ_opt().unwrap();
    assert_eq!(index.is_business_day(before).unwrap_err().code(), "C003");
    assert_eq!(index.next_business_day(after).unwrap_err().code(), "C003");
    assert_eq!(
        index.business_days_between(before, last()).unwrap_err().code(),
        "C003"
    );
    assert_eq!(index.business_days_in_year(2101).unwrap_err().code(), "C008");
    assert_eq!(
        index.add_business_days(first(), u32::MAX).unwrap_err().code(),
        "C004"
    );
    assert_eq!(index.first_date(), first());
    assert_eq!(index.last_date(), last());
}

/// Any rule at all, including impossible dates.
fn any_rule() -> impl Strategy<Value = DayRule> {
    let weekday = (0u8..7).prop_map(|n| Weekday::try_from(n).unwrap());
    let date = prop_oneof![
        (any::<u32>(), any::<u32>()).prop_map(|(month, day)| DateRule::Fixed { month, day }),
        (0u32..14, 0u32..33).prop_map(|(month, day)| DateRule::Fixed { month, day }),
        any::<i32>().prop_map(|offset| DateRule::Easter { offset }),
        (-400i32..400).prop_map(|offset| DateRule::Easter { offset }),
        (
            prop_oneof![any::<u8>().prop_map(Nth::Number), Just(Nth::Last)],
            weekday,
            0u32..14
        )
            .prop_map(|(nth, weekday, month)| DateRule::NthWeekday { nth, weekday, month }),
        (-5000i32..5000).prop_map(|days| DateRule::Once {
            date: NaiveDate::from_ymd_opt(2000, 1, 1)
                .unwrap()
                .checked_add_signed(chrono::Duration::days(i64::from(days)))
                .unwrap(),
        }),
    ];
    (
        date,
        any::<bool>(),
        any::<bool>(),
        any::<Option<i32>>(),
        any::<Option<i32>>(),
    )
        .prop_map(|(date, moved, closure, from_year, until_year)| DayRule {
            name: "regla".to_owned(),
            kind: if closure {
                DayKind::Closure
            } else {
                DayKind::Holiday
            },
            date,
            moved_to_monday: moved,
            from_year,
            until_year,
            legal_basis: None,
        })
}

proptest! {
    /// No rule and no year make the calendar panic; errors carry a known code.
    #[test]
    fn arbitrary_rules_and_years_never_panic(
        rules in proptest::collection::vec(any_rule(), 0..4),
        first_year in prop_oneof![any::<i32>(), 1990i32..2010],
        span in 0i32..3,
        year in prop_oneof![any::<i32>(), 1985i32..2015],
    ) {
        let calendar = Calendar {
            rules,
            first_year,
            last_year: first_year.checked_add(span),
            ..colombia()
        };
        match calendar.observed_days(year) {
            Ok(days) => prop_assert!(days.iter().all(|day| day.date.year() == year)),
            Err(error) => prop_assert!(["C001", "C002", "C006"].contains(&error.code())),
        }
        let last_year = first_year.saturating_add(span);
        match BusinessDays::new(&calendar, &MON_FRI, first_year, last_year) {
            Ok(index) => {
                let date = NaiveDate::from_ymd_opt(year, 6, 15).unwrap_or(index.first_date());
                let _ = index.is_business_day(date);
                let _ = index.add_business_days(date, 300);
                let _ = index.business_days_between(index.first_date(), date);
                let _ = index.non_business_days(year);
                let _ = index.business_days_in_year(year);
            }
            Err(error) => prop_assert!(["C001", "C002", "C005", "C006"].contains(&error.code())),
        }
    }

    /// Queries with any representable date return a value or an error, never panic.
    #[test]
    fn any_date_query_never_panics(days in any::<i32>(), n in any::<u32>()) {
        let index = &*INDEX;
        let date = NaiveDate::from_num_days_from_ce_opt(days).unwrap_or(NaiveDate::MIN);
        let inside = (first()..=last()).contains(&date);
        prop_assert_eq!(index.is_business_day(date).is_ok(), inside);
        if let Err(error) = index.add_business_days(date, n) {
            prop_assert!(["C003", "C004"].contains(&error.code()));
        }
        let _ = index.next_business_day(date);
        let _ = index.business_days_between(date, last());
        let _ = index.business_days_in_year(date.year());
    }
}
