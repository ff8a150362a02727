//! Properties of the ANS business clock (DESIGN.md §3) on the real M1-3-06 v11 policy and the
//! Colombian calendar (their pinned copies, `tests/fixtures/policies-v11/`), indexed over
//! 2022–2027: business positions, the display of positions, reception, base deadlines,
//! additivity of business seconds, and — through the library's `evaluate` with generated state
//! histories — pauses, deadlines, outcomes, days late and reopened cases.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;

use std::sync::LazyLock;

use chrono::NaiveDate;
use pauta::calendar::clock::{LocalSeconds, SECONDS_PER_DAY, epoch_day, naive_of};
use pauta::calendar::{BusinessClock, Calendar};
use pauta::cases::context::PolicyContext;
use pauta::cases::evaluate::evaluate;
use pauta::cases::{Case, Evaluation, HistoryEvent, Mapping, Outcome};
use pauta::policy::{Policy, PolicySet};
use proptest::prelude::*;

const FIRST_YEAR: i32 = 2022;
const LAST_YEAR: i32 = 2027;
/// 08:00:00, seconds after midnight.
const OPENS: i64 = 8 * 3600;
/// 17:00:00, seconds after midnight (inclusive).
const CLOSES: i64 = 17 * 3600;
/// Business seconds in a business day.
const DAY_LENGTH: i64 = CLOSES - OPENS;
/// The exceptions' "recibidas antes de 09:00".
const NINE: i64 = 9 * 3600;

static SET: LazyLock<PolicySet> = LazyLock::new(common::pinned_set);

static CLOCK: LazyLock<BusinessClock> = LazyLock::new(|| {
    let hours = &policy().hours;
    BusinessClock::new(
        calendar(),
        &hours.workdays,
        hours.opens,
        hours.closes,
        FIRST_YEAR,
        LAST_YEAR,
    )
    .unwrap()
});

static MAPPING: LazyLock<Mapping> = LazyLock::new(|| Mapping::embedded().unwrap());

fn policy() -> &'static Policy {
    SET.find("M1-3-06@11").expect("the pinned set has M1-3-06 v11")
}

fn calendar() -> &'static Calendar {
    SET.calendar(&policy().calendar)
        .expect("v11's calendar is pinned")
}

/// A fresh evaluation context (it caches lookups in a `RefCell`, so it cannot be a static).
fn context() -> PolicyContext<'static> {
    PolicyContext::new(policy(), calendar(), FIRST_YEAR, LAST_YEAR).unwrap()
}

fn state(name: &str) -> usize {
    policy().states.iter().position(|s| s.name == name).unwrap()
}

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn at(day: i64, seconds: i64) -> LocalSeconds {
    day * SECONDS_PER_DAY + seconds
}

fn day_of(instant: LocalSeconds) -> i64 {
    instant.div_euclid(SECONDS_PER_DAY)
}

fn time_of(instant: LocalSeconds) -> i64 {
    instant.rem_euclid(SECONDS_PER_DAY)
}

fn show(instant: LocalSeconds) -> String {
    naive_of(instant).unwrap().format("%Y-%m-%d %H:%M:%S").to_string()
}

fn pos(instant: LocalSeconds) -> i64 {
    CLOCK.position(instant).unwrap()
}

fn is_business(day: i64) -> bool {
    CLOCK.is_business_day(day).unwrap()
}

fn next_business(day: i64) -> i64 {
    let mut next = day + 1;
    while !is_business(next) {
        next += 1;
    }
    next
}

fn previous_business(day: i64) -> i64 {
    let mut previous = day - 1;
    while !is_business(previous) {
        previous -= 1;
    }
    previous
}

/// Strictly outside business hours: before 08:00:00, after 17:00:00, or not a business day.
fn outside_hours(instant: LocalSeconds) -> bool {
    let time = time_of(instant);
    !is_business(day_of(instant)) || !(OPENS..=CLOSES).contains(&time)
}

/// Reception by the words of DESIGN.md §3.1 (day R, instant shown), with plain day stepping.
fn spec_reception(registered: LocalSeconds, cutoff: Option<i64>) -> (i64, LocalSeconds) {
    let day = day_of(registered);
    let time = time_of(registered);
    let in_time = cutoff.map_or(time <= CLOSES, |cutoff| time < cutoff);
    if in_time && is_business(day) {
        (day, registered.max(at(day, OPENS)))
    } else {
        let next = next_business(day);
        (next, at(next, OPENS))
    }
}

/// Base deadline by the words of DESIGN.md §3.2: 17:00:00 on the N-th business day after R, or R
/// itself as day 1 when the reception day counts.
fn spec_base_deadline(reception_day: i64, ans: u32, counts_reception_day: bool) -> LocalSeconds {
    let mut day = reception_day;
    let steps = if counts_reception_day { ans - 1 } else { ans };
    for _ in 0..steps {
        day = next_business(day);
    }
    at(day, CLOSES)
}

/// (ANS, counts the reception day, cutoff) of a case of `category` / `exception`.
fn regime(category: usize, exception: Option<usize>) -> (u32, bool, Option<i64>) {
    let policy = policy();
    match (exception, &policy.exceptions) {
        (Some(_), Some(regime)) => (
            regime.ans.business_days,
            regime.ans.counts_reception_day,
            Some(NINE),
        ),
        _ => {
            let ans = policy.categories[category].ans;
            (ans.business_days, ans.counts_reception_day, None)
        }
    }
}

/// Seconds after midnight, biased towards the boundaries of §3.
fn time_of_day() -> impl Strategy<Value = i64> {
    prop_oneof![
        3 => 0..SECONDS_PER_DAY,
        2 => prop::sample::select(vec![
            0,
            OPENS - 1,
            OPENS,
            OPENS + 1,
            NINE - 1,
            NINE,
            NINE + 1,
            CLOSES - 1,
            CLOSES,
            CLOSES + 1,
            19 * 3600,
            SECONDS_PER_DAY - 1,
        ]),
    ]
}

/// An epoch day in `first ..= last`.
fn day_in(first: &str, last: &str) -> impl Strategy<Value = i64> {
    epoch_day(date(first))..=epoch_day(date(last))
}

/// An instant on a day of `first ..= last`, at a boundary-biased time.
fn instant_in(first: &str, last: &str) -> impl Strategy<Value = LocalSeconds> {
    (day_in(first, last), time_of_day()).prop_map(|(day, time)| at(day, time))
}

/// Any instant of the index, leaving room for neighbouring business days at both ends.
fn any_instant() -> impl Strategy<Value = LocalSeconds> {
    instant_in("2022-01-04", "2027-12-20")
}

/// A positive gap between two history rows: minutes, hours or days.
fn gap() -> impl Strategy<Value = i64> {
    prop_oneof![1..3_600i64, 1..SECONDS_PER_DAY, 1..4 * SECONDS_PER_DAY]
}

/// A generated case with the history Registrado → En proceso → [Suspendido → En proceso]* →
/// Solucionado at increasing instants.
#[derive(Debug, Clone)]
struct Scenario {
    registered: LocalSeconds,
    category: usize,
    exception: Option<usize>,
    /// Registration → taken (Registrado → En proceso).
    taken: i64,
    /// Per suspension: (time in En proceso before it, time suspended).
    suspensions: Vec<(i64, i64)>,
    /// Time in En proceso before the solution.
    last: i64,
}

fn scenario() -> impl Strategy<Value = Scenario> {
    let categories = policy().categories.len();
    let types = policy()
        .exceptions
        .as_ref()
        .map_or(0, |regime| regime.types.len());
    (
        instant_in("2022-01-03", "2027-06-30"),
        0..categories,
        prop_oneof![3 => Just(None), 1 => (0..types).prop_map(Some)],
        gap(),
        prop::collection::vec((gap(), gap()), 0..4),
        gap(),
    )
        .prop_map(
            |(registered, category, exception, taken, suspensions, last)| Scenario {
                registered,
                category,
                exception,
                taken,
                suspensions,
                last,
            },
        )
}

fn event(from: &str, to: &str, at: LocalSeconds, reason: &str) -> HistoryEvent {
    HistoryEvent {
        line: 0,
        at,
        from: state(from),
        to: state(to),
        reason: reason.into(),
    }
}

fn suspend(at: LocalSeconds) -> HistoryEvent {
    event("En proceso", "Suspendido", at, "En espera por usuario")
}

fn resume(at: LocalSeconds) -> HistoryEvent {
    event("Suspendido", "En proceso", at, "Respuesta dada por usuario")
}

impl Scenario {
    /// The history rows (up to the solution) in order.
    fn events(&self) -> Vec<HistoryEvent> {
        let mut t = self.registered + self.taken;
        let mut events = vec![event("Registrado", "En proceso", t, "Asignado")];
        for (working, suspended) in &self.suspensions {
            t += working;
            events.push(suspend(t));
            t += suspended;
            events.push(resume(t));
        }
        t += self.last;
        events.push(event("En proceso", "Solucionado", t, "Solución entregada"));
        events
    }

    fn solution(&self) -> LocalSeconds {
        self.events().last().unwrap().at
    }

    fn case(&self, state_name: &str, solved: Option<LocalSeconds>) -> Case {
        Case {
            line: 0,
            id: "P-1".to_owned(),
            policy: 0,
            category: self.category,
            exception: self.exception,
            state: state(state_name),
            registered: self.registered,
            solved,
            closed: None,
            attachments: Vec::new(),
            area: None,
            columns: Vec::new(),
        }
    }
}

/// Numbers the rows as a history file would.
fn numbered(mut events: Vec<HistoryEvent>) -> Vec<HistoryEvent> {
    for (index, event) in events.iter_mut().enumerate() {
        event.line = u64::try_from(index).unwrap() + 2;
    }
    events
}

fn run<'a>(
    context: &PolicyContext<'a>,
    case: &'a Case,
    events: Vec<HistoryEvent>,
    as_of: LocalSeconds,
) -> Evaluation<'a> {
    evaluate(context, &MAPPING, case, numbered(events), as_of, Vec::new(), None).unwrap()
}

/// Business seconds spent in paused states (Suspendido, Solucionado) by `events`, clipped to
/// `[from, to]` (DESIGN.md §3.3).
fn spec_paused(events: &[HistoryEvent], from: LocalSeconds, to: LocalSeconds) -> i64 {
    let paused = |index: usize| policy().states[index].clock == pauta::policy::model::Clock::Paused;
    let mut total = 0;
    for (index, event) in events.iter().enumerate() {
        if !paused(event.to) {
            continue;
        }
        let end = events.get(index + 1).map_or(to, |next| next.at);
        let (start, end) = (event.at.max(from), end.min(to));
        if start < end {
            total += pos(end) - pos(start);
        }
    }
    total
}

/// §3.7: ceil(business seconds late / 32 400), 0 when not late.
fn whole_days(late_seconds: i64) -> i64 {
    if late_seconds <= 0 {
        0
    } else {
        (late_seconds + DAY_LENGTH - 1) / DAY_LENGTH
    }
}

/// Whether the outcome is one of the late ones.
fn late(outcome: Outcome) -> bool {
    matches!(outcome, Outcome::Breached | Outcome::OpenOverdue)
}

#[test]
fn the_policy_is_v11_as_the_properties_assume() {
    let policy = policy();
    assert_eq!(policy.version, 11);
    let mut ans: Vec<u32> = policy.categories.iter().map(|c| c.ans.business_days).collect();
    ans.sort_unstable();
    ans.dedup();
    assert_eq!(ans, [4, 5, 6, 12]);
    assert!(policy.categories.iter().all(|c| !c.ans.counts_reception_day));
    let regime = policy.exceptions.as_ref().unwrap();
    assert_eq!(
        (regime.ans.business_days, regime.ans.counts_reception_day),
        (1, true)
    );
    assert_eq!(
        regime.received_before,
        chrono::NaiveTime::from_hms_opt(9, 0, 0).unwrap()
    );
    assert_eq!(context().cutoff, Some(NINE));
    assert_eq!(CLOCK.day_length(), DAY_LENGTH);
    assert_eq!((CLOCK.opens(), CLOCK.closes()), (OPENS, CLOSES));
    assert_eq!(policy.states[context().initial].name, "Registrado");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// t1 ≤ t2 ⇒ pos(t1) ≤ pos(t2), and the position never advances faster than the wall clock.
    #[test]
    fn positions_never_decrease(a in any_instant(), b in any_instant(), step in 0..3i64) {
        let (t1, t2) = (a.min(b), a.max(b));
        prop_assert!(pos(t1) <= pos(t2), "{} → {}", show(t1), show(t2));
        prop_assert!(pos(t2) - pos(t1) <= t2 - t1);
        // One second advances the position by 0 or 1.
        let advance = pos(t1 + step) - pos(t1);
        prop_assert!((0..=step).contains(&advance));
    }

    /// An instant outside business hours has the position of the next opening (08:00:00 of the
    /// next business day) and of the previous closing (17:00:00 of the previous business day),
    /// and is shown as that closing.
    #[test]
    fn outside_hours_shares_the_next_opening_and_previous_closing(t in any_instant()) {
        prop_assume!(outside_hours(t));
        let (day, time) = (day_of(t), time_of(t));
        let next_opening = if is_business(day) && time < OPENS {
            at(day, OPENS)
        } else {
            at(next_business(day), OPENS)
        };
        let previous_closing = if is_business(day) && time > CLOSES {
            at(day, CLOSES)
        } else {
            at(previous_business(day), CLOSES)
        };
        prop_assert_eq!(pos(t), pos(next_opening), "{} vs {}", show(t), show(next_opening));
        prop_assert_eq!(pos(t), pos(previous_closing), "{} vs {}", show(t), show(previous_closing));
        prop_assert_eq!(show(CLOCK.instant_at(pos(t)).unwrap()), show(previous_closing));
    }

    /// `instant_at(pos(t)) == t` for t in 08:00:01 ..= 17:00:00 of a business day; 08:00:00 (a day
    /// boundary) is shown as 17:00:00 of the previous business day; `pos(instant_at(p)) == p`.
    #[test]
    fn business_instants_round_trip(day in day_in("2022-01-04", "2027-12-20"), into in 1..=DAY_LENGTH) {
        let day = if is_business(day) { day } else { next_business(day) };
        let t = at(day, OPENS + into);
        prop_assert_eq!(show(CLOCK.instant_at(pos(t)).unwrap()), show(t));
        let opening = at(day, OPENS);
        let previous_closing = at(previous_business(day), CLOSES);
        prop_assert_eq!(show(CLOCK.instant_at(pos(opening)).unwrap()), show(previous_closing));
        prop_assert_eq!(CLOCK.closing_position(day).unwrap(), pos(at(day, CLOSES)));
        prop_assert_eq!(pos(at(day, CLOSES)) - pos(opening), DAY_LENGTH);
        let p = pos(t) - into;
        prop_assert_eq!(pos(CLOCK.instant_at(p).unwrap()), p);
    }

    /// Reception (§3.1) and the base deadline (§3.2), for both regimes, on the clock directly.
    #[test]
    fn reception_and_base_deadline(
        registered in instant_in("2022-01-04", "2027-11-30"),
        ans in prop::sample::select(vec![1u32, 4, 5, 6, 12]),
        exception in any::<bool>(),
    ) {
        let cutoff = exception.then_some(NINE);
        let counts = exception;
        let ans = if exception { 1 } else { ans };
        let reception = CLOCK.reception(registered, cutoff).unwrap();
        let day = reception.day;
        prop_assert!(is_business(day));
        prop_assert!(reception.at >= at(day, OPENS) && reception.at <= at(day, CLOSES));
        prop_assert!(reception.at >= registered || day > day_of(registered));
        prop_assert!(day >= day_of(registered));
        prop_assert_eq!(reception.same_day, day == day_of(registered));
        prop_assert_eq!((reception.day, reception.at), spec_reception(registered, cutoff));

        let due = CLOCK.due_day(day, ans, counts).unwrap();
        prop_assert!(is_business(due));
        let base = CLOCK.closing_position(due).unwrap();
        prop_assert!(base >= pos(reception.at));
        prop_assert!(CLOCK.instant_at(base).unwrap() >= reception.at);
        prop_assert_eq!(show(CLOCK.instant_at(base).unwrap()), show(spec_base_deadline(day, ans, counts)));
        if counts {
            // Exceptions: ANS 1 counting the reception day is due 17:00 that day.
            prop_assert_eq!(due, day);
        } else {
            // Exactly N business days after R, R excluded.
            prop_assert_eq!(base - CLOCK.closing_position(day).unwrap(), i64::from(ans) * DAY_LENGTH);
        }
    }

    /// business_seconds(a, b) + business_seconds(b, c) == business_seconds(a, c) for a ≤ b ≤ c.
    #[test]
    fn business_seconds_add_up(a in any_instant(), b in any_instant(), c in any_instant()) {
        let mut sorted = [a, b, c];
        sorted.sort_unstable();
        let [a, b, c] = sorted;
        let seconds = |from, to| CLOCK.business_seconds(from, to).unwrap();
        prop_assert_eq!(seconds(a, b) + seconds(b, c), seconds(a, c));
        prop_assert!(seconds(a, c) <= c - a);
        prop_assert_eq!(seconds(c, a), 0);
    }

    /// Without history, `evaluate` shows the reception and base deadline of §3 and judges the
    /// export's solution on positions.
    #[test]
    fn evaluation_without_history_follows_the_spec(
        scenario in scenario(),
        solved in prop::option::of(0..30 * SECONDS_PER_DAY),
    ) {
        let context = context();
        let solved = solved.map(|offset| scenario.registered + offset);
        let case = scenario.case(if solved.is_some() { "Solucionado" } else { "En proceso" }, solved);
        let as_of = scenario.registered + 10 * SECONDS_PER_DAY;
        let evaluation = run(&context, &case, Vec::new(), as_of);
        let (ans, counts, cutoff) = regime(scenario.category, scenario.exception);
        let (day, received) = spec_reception(scenario.registered, cutoff);
        let base = spec_base_deadline(day, ans, counts);
        prop_assert_eq!(show(evaluation.received_at), show(received));
        prop_assert_eq!(show(evaluation.deadline.unwrap()), show(base));
        prop_assert!(evaluation.deadline.unwrap() >= evaluation.received_at);
        prop_assert_eq!(evaluation.paused_seconds, 0);
        prop_assert_eq!(evaluation.solved_at, solved);
        let compared = pos(solved.unwrap_or(as_of));
        let expected = match (solved, compared <= pos(base)) {
            (Some(_), true) => Outcome::Met,
            (Some(_), false) => Outcome::Breached,
            (None, true) => Outcome::OpenOnTime,
            (None, false) => Outcome::OpenOverdue,
        };
        prop_assert_eq!(evaluation.outcome, expected);
        let late_seconds = (compared - pos(base)).max(0);
        prop_assert_eq!(evaluation.days_late, whole_days(late_seconds));
        prop_assert_eq!(evaluation.days_late == 0, !late(evaluation.outcome));
    }

    /// A solved history: pauses are bounded and exact, the deadline moves by the pauses, the
    /// outcome is decided on positions, and `days_late` is 0 exactly when the case is not late.
    #[test]
    fn solved_history_is_judged_on_positions(scenario in scenario()) {
        let context = context();
        let events = scenario.events();
        let solution = scenario.solution();
        let case = scenario.case("Solucionado", Some(solution));
        // As of the solution: later, the pending automatic close would be a finding.
        let evaluation = run(&context, &case, events.clone(), solution);
        prop_assert!(evaluation.findings.is_empty(), "{:?}", evaluation.findings);
        prop_assert_eq!(evaluation.solved_at, Some(solution));

        let paused = evaluation.paused_seconds;
        prop_assert!(paused >= 0);
        prop_assert!(paused <= CLOCK.business_seconds(evaluation.received_at, solution).unwrap());
        prop_assert_eq!(paused, spec_paused(&events, evaluation.received_at, solution));

        let (ans, counts, cutoff) = regime(scenario.category, scenario.exception);
        let (day, received) = spec_reception(scenario.registered, cutoff);
        prop_assert_eq!(evaluation.received_at, received);
        let base = pos(spec_base_deadline(day, ans, counts));
        prop_assert_eq!(evaluation.deadline, Some(CLOCK.instant_at(base + paused).unwrap()));
        let used = pos(solution) - paused;
        prop_assert_eq!(evaluation.outcome == Outcome::Met, used <= base);
        prop_assert!(matches!(evaluation.outcome, Outcome::Met | Outcome::Breached));
        prop_assert_eq!(evaluation.days_late == 0, !late(evaluation.outcome));
        prop_assert_eq!(evaluation.days_late, whole_days(used - base));
    }

    /// Inserting En proceso → Suspendido → En proceso inside an En proceso stretch never turns a
    /// met case into a breached one, never moves the deadline earlier and never lowers the pauses.
    #[test]
    fn another_suspension_never_hurts(
        scenario in scenario(),
        stretch in any::<prop::sample::Index>(),
        start in 0..=1_000i64,
        end in 0..=1_000i64,
    ) {
        let context = context();
        let events = scenario.events();
        let solution = scenario.solution();
        let case = scenario.case("Solucionado", Some(solution));
        let before = run(&context, &case, events.clone(), solution);

        // The En proceso stretches: from each entry into En proceso to the next row.
        let working: Vec<usize> = (0..events.len() - 1)
            .filter(|&index| events[index].to == state("En proceso"))
            .collect();
        let index = working[stretch.index(working.len())];
        let (from, to) = (events[index].at, events[index + 1].at);
        let (start, end) = (start.min(end), start.max(end));
        let suspended = from + (to - from) * start / 1_000;
        let resumed = from + (to - from) * end / 1_000;
        let mut longer = events;
        longer.splice(index + 1..index + 1, [suspend(suspended), resume(resumed)]);
        let after = run(&context, &case, longer, solution);
        prop_assert!(after.findings.is_empty(), "{:?}", after.findings);

        prop_assert!(after.paused_seconds >= before.paused_seconds);
        prop_assert!(after.deadline.unwrap() >= before.deadline.unwrap());
        if before.outcome == Outcome::Met {
            prop_assert_eq!(after.outcome, Outcome::Met);
        }
        prop_assert!(after.days_late <= before.days_late);
    }

    /// Solucionado → Reabierto → En proceso with no later solution: the solution no longer counts,
    /// the case is open, and the time spent Solucionado is paused.
    #[test]
    fn a_reopened_case_is_open(
        scenario in scenario(),
        evaluating in gap(),
        reopening in gap(),
        resuming in gap(),
        as_of_after in gap(),
    ) {
        let context = context();
        let mut events = scenario.events();
        let mut t = scenario.solution() + evaluating;
        events.push(event("Solucionado", "Reabierto", t, "Usuario no está de acuerdo"));
        t += reopening;
        events.push(event("Reabierto", "En proceso", t, "Caso se encuentra en atención"));
        t += resuming;
        let as_of = t + as_of_after;
        let case = scenario.case("En proceso", None);
        let evaluation = run(&context, &case, events.clone(), as_of);
        prop_assert!(evaluation.findings.is_empty(), "{:?}", evaluation.findings);
        prop_assert_eq!(evaluation.solved_at, None);
        prop_assert!(matches!(evaluation.outcome, Outcome::OpenOnTime | Outcome::OpenOverdue));

        let paused = evaluation.paused_seconds;
        prop_assert_eq!(paused, spec_paused(&events, evaluation.received_at, as_of));
        let (ans, counts, cutoff) = regime(scenario.category, scenario.exception);
        let (day, _) = spec_reception(scenario.registered, cutoff);
        let base = pos(spec_base_deadline(day, ans, counts));
        let used = pos(as_of) - paused;
        prop_assert_eq!(evaluation.outcome == Outcome::OpenOverdue, used > base);
        prop_assert_eq!(evaluation.days_late == 0, !late(evaluation.outcome));
    }
}
