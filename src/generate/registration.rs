//! When cases are registered: how many on each date of the range and at what time of day.
//!
//! Business days carry most cases, inside business hours; about 15 % arrive outside them (early
//! morning, evening, weekends and holidays). A few land exactly on the boundaries the ANS clock
//! cares about (opening, closing, the exceptions' cut-off and the second before it). Exceptions
//! mostly arrive before their cut-off.

use chrono::{NaiveTime, Timelike};

use super::plan::Plan;
use super::rng::Rng;

/// Relative weight of a business date.
const BUSINESS_DATE: u64 = 950;
/// Relative weight of a weekend day or holiday.
const OTHER_DATE: u64 = 110;
/// Share (ppm) of exceptions among cases.
pub const EXCEPTION_RATE: u32 = 100_000;
/// Share (ppm) of exceptions registered before their cut-off.
const EXCEPTION_EARLY: u32 = 800_000;
/// Weights of in-hours, early-morning and evening registrations on a business date.
const BUSINESS_SLOTS: [u32; 3] = [895, 52, 53];
/// Share (ppm) of in-hours registrations placed exactly on a boundary.
const BOUNDARY: u32 = 20_000;

/// A registration: seconds after midnight and whether the case is an exception.
pub type Slot = (u32, bool);

/// Relative weight of a date (jittered ±30 %).
pub fn date_weight(business: bool, rng: &mut Rng) -> u64 {
    let base = if business { BUSINESS_DATE } else { OTHER_DATE };
    base * rng.between(700, 1_300) / 1_000
}

fn seconds(t: NaiveTime) -> u64 {
    u64::from(t.num_seconds_from_midnight())
}

/// One registration on a date of `plan`.
pub fn slot(plan: &Plan, business: bool, rng: &mut Rng) -> Slot {
    let opens = seconds(plan.timeline.opens());
    let closes = seconds(plan.timeline.closes());
    let exception = plan.exceptions.is_some() && rng.chance(EXCEPTION_RATE);
    let cutoff = plan
        .exceptions
        .as_ref()
        .map_or(closes, |e| seconds(e.received_before));
    let at = if !business {
        rng.between(7 * 3_600, 21 * 3_600)
    } else if exception {
        if rng.chance(EXCEPTION_EARLY) {
            if rng.chance(50_000) {
                *rng.pick(&[cutoff.saturating_sub(1), opens]).unwrap_or(&opens)
            } else {
                rng.between(opens.saturating_sub(1_800), cutoff.saturating_sub(1).max(opens))
            }
        } else if rng.chance(50_000) {
            cutoff
        } else {
            rng.between(cutoff, closes)
        }
    } else {
        match rng.weighted(&BUSINESS_SLOTS) {
            Some(1) => rng.between(opens.saturating_sub(9_000), opens.saturating_sub(1)),
            Some(2) => rng.between(closes + 1, (closes + 5 * 3_600).min(86_399)),
            _ if rng.chance(BOUNDARY) => {
                let boundaries = [opens, closes, cutoff.saturating_sub(1), cutoff];
                *rng.pick(&boundaries).unwrap_or(&opens)
            }
            _ => rng.between(opens, closes.saturating_sub(1)),
        }
    };
    (u32::try_from(at.min(86_399)).unwrap_or(0), exception)
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::expect_used,
        reason = "tests may panic: a failed unwrap is a failed test"
    )]

    use super::*;
    use crate::generate::plan::tests::with_plan;

    #[test]
    fn slots_are_mostly_in_hours_and_exceptions_mostly_early() {
        with_plan(|plan| {
            let mut rng = Rng::new(9);
            let (mut inside, mut exceptions, mut early, mut boundary) = (0, 0, 0, 0);
            for _ in 0..20_000 {
                let (at, exception) = slot(plan, true, &mut rng);
                if (8 * 3_600..=17 * 3_600).contains(&at) {
                    inside += 1;
                }
                if [8 * 3_600, 17 * 3_600, 9 * 3_600 - 1, 9 * 3_600].contains(&at) {
                    boundary += 1;
                }
                if exception {
                    exceptions += 1;
                    early += usize::from(at < 9 * 3_600);
                }
            }
            assert!((17_500..18_800).contains(&inside), "{inside}");
            assert!((1_700..2_300).contains(&exceptions), "{exceptions}");
            assert!(early * 10 > exceptions * 7, "{early} of {exceptions}");
            assert!(boundary > 200, "{boundary}");
            let (at, _) = slot(plan, false, &mut rng);
            assert!((7 * 3_600..=21 * 3_600).contains(&at));
        });
    }
}
