//! The story of one case: which states it goes through, with which reasons, and when.
//!
//! A story is planned as a list of steps (the state changes), then laid out in business
//! positions (DESIGN §3) so that the running time up to the solution lands inside or outside the
//! ANS as planned, and finally mapped back to local instants. Nothing happens after "now".

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};

use super::plan::Plan;
use super::rng::Rng;
use crate::policy::model::Ans;

/// Probabilities in parts per million.
mod rate {
    /// Annulled while waiting to be assigned.
    pub const ANNUL_INITIAL: u32 = 20_000;
    /// Annulled while being worked on.
    pub const ANNUL_WORKING: u32 = 10_000;
    /// Annulled while suspended (of suspended cases: ~1 % of all cases).
    pub const ANNUL_SUSPENDED: u32 = 30_000;
    /// Solved after the ANS.
    pub const LATE: u32 = 150_000;
    /// Reopened after the solution.
    pub const REOPEN: u32 = 50_000;
    /// Suspended after the solution because the user disagrees.
    pub const SOLUTION_SUSPENDED: u32 = 20_000;
    /// Closed by the user (the rest are closed automatically).
    pub const MANUAL_CLOSE: u32 = 550_000;
}

/// Weights of 0, 1, 2 and 3 suspension cycles.
const SUSPENSION_CYCLES: [u32; 4] = [62, 27, 9, 2];

/// Shortest wait between two state changes, in seconds.
const MIN_STEP: u64 = 60;

/// A data problem planted on purpose (`--anomalies`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Anomaly {
    /// A transition the policy does not allow (initial state straight to the solution).
    IllegalTransition,
    /// A reason the transition does not accept.
    ForeignReason,
    /// A solved case not closed although the automatic close is due.
    MissingAutoClose,
    /// The cases file's `Estado` disagrees with the history.
    StateMismatch,
    /// A history row whose previous state is not the one the case was in.
    BrokenChain,
}

impl Anomaly {
    /// Every kind, in the order they are drawn.
    pub const ALL: [Anomaly; 5] = [
        Anomaly::IllegalTransition,
        Anomaly::ForeignReason,
        Anomaly::MissingAutoClose,
        Anomaly::StateMismatch,
        Anomaly::BrokenChain,
    ];
}

/// One history row.
#[derive(Debug, Clone, Copy)]
pub struct Event<'p> {
    /// When it happened (local time).
    pub at: NaiveDateTime,
    /// Previous state.
    pub from: usize,
    /// New state.
    pub to: usize,
    /// Reason written.
    pub reason: &'p str,
}

/// The inputs of one story.
#[derive(Debug, Clone, Copy)]
pub struct CaseInput {
    /// Registration instant.
    pub registered: NaiveDateTime,
    /// ANS of the category or the exception regime.
    pub ans: Ans,
    /// For exceptions: received that day only before this time.
    pub received_before: Option<NaiveTime>,
    /// Nothing happens after this instant.
    pub now: NaiveDateTime,
    /// The anomaly to plant, if any.
    pub anomaly: Option<Anomaly>,
}

/// What the story produced, besides its events.
#[derive(Debug, Clone, Copy, Default)]
pub struct Outcome {
    /// The state the history ends in.
    pub last: usize,
    /// The state the cases file reports (differs from `last` only for a planted mismatch).
    pub reported: usize,
    /// Last entry into the solution state, if the case is currently solved or closed.
    pub solved_at: Option<NaiveDateTime>,
    /// Entry into a final state.
    pub closed_at: Option<NaiveDateTime>,
    /// Ended in an excluded final state (annulled).
    pub annulled: bool,
    /// Solved (visibly) after its ANS.
    pub late: bool,
    /// The anomaly actually planted.
    pub planted: Option<Anomaly>,
}

/// How long a case stays in its current state before a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wait {
    /// Running time: a share of the planned ANS time (or natural, for annulled cases).
    Run,
    /// Paused time of this many business seconds.
    Pause(u64),
    /// Time in the solution state before a person acts, inside the automatic-close window.
    Window,
    /// The automatic close.
    Auto,
}

/// A planned state change.
#[derive(Debug, Clone, Copy)]
struct Step<'p> {
    to: usize,
    reason: &'p str,
    wait: Wait,
}

/// Reusable buffers for telling stories (no allocation per case once warm).
#[derive(Debug, Default)]
pub struct Teller<'p> {
    steps: Vec<Step<'p>>,
    runs: Vec<u64>,
    weights: Vec<u64>,
    /// The events of the last story, in chronological order.
    pub events: Vec<Event<'p>>,
}

impl<'p> Teller<'p> {
    /// Tell one case's story into `self.events`.
    pub fn tell(&mut self, plan: &Plan<'p>, input: &CaseInput, rng: &mut Rng) -> Outcome {
        self.steps.clear();
        self.events.clear();
        let day = plan.timeline.day_length();
        let mut anomaly = input.anomaly;
        if anomaly == Some(Anomaly::IllegalTransition) && plan.allowed(plan.initial, plan.solution).is_some()
        {
            anomaly = Some(Anomaly::StateMismatch);
        }
        if anomaly == Some(Anomaly::MissingAutoClose) && plan.auto_close.is_none() {
            anomaly = Some(Anomaly::StateMismatch);
        }

        // Reception and deadline (DESIGN §3.1–3.2), in positions.
        let Some((start, budget)) = reception(plan, input) else {
            return self.finish(plan, anomaly, false, rng);
        };
        let late = rng.chance(rate::LATE);
        let target = if late {
            budget + 600 + rng.below((budget / 2).max(day))
        } else if rng.chance(250_000) {
            budget * rng.between(50, 350) / 1_000
        } else {
            budget * rng.between(300, 970) / 1_000
        };

        let annulled = self.plan_steps(plan, anomaly, rng);
        self.lay_out(plan, input, start, target, annulled, anomaly, rng);
        let over_budget = self.solution_run_time(plan, start) > budget;
        self.finish(plan, anomaly, over_budget, rng)
    }

    /// Plan the steps; returns whether the story ends annulled.
    fn plan_steps(&mut self, plan: &Plan<'p>, anomaly: Option<Anomaly>, rng: &mut Rng) -> bool {
        let plain = matches!(anomaly, Some(Anomaly::MissingAutoClose));
        let mut current = plan.initial;
        if anomaly == Some(Anomaly::IllegalTransition) {
            let reason = reason_for(plan, plan.working, plan.solution, rng);
            self.steps.push(Step {
                to: plan.solution,
                reason,
                wait: Wait::Run,
            });
            self.plan_close(plan, anomaly, rng);
            return false;
        }
        // Annulled before being assigned.
        if !plain
            && let Some(annul) = plan.annul.get(plan.initial).copied().flatten()
            && rng.chance(rate::ANNUL_INITIAL)
        {
            self.push(plan, current, annul, Wait::Run, rng);
            return true;
        }
        // Along the path to the working state.
        let working_at = plan.path.len().saturating_sub(1);
        for next in plan.path.iter().take(working_at).skip(1).copied() {
            self.push(plan, current, next, Wait::Run, rng);
            current = next;
        }
        // Suspension cycles.
        if let Some(suspended) = plan.suspended {
            let cycles = rng.weighted(&SUSPENSION_CYCLES).unwrap_or(0);
            for _ in 0..cycles {
                self.push(plan, current, suspended, Wait::Run, rng);
                let pause = pause_length(day_of(plan), rng);
                if !plain
                    && let Some(annul) = plan.annul.get(suspended).copied().flatten()
                    && rng.chance(rate::ANNUL_SUSPENDED)
                {
                    self.push(plan, suspended, annul, Wait::Pause(pause), rng);
                    return true;
                }
                self.push(plan, suspended, current, Wait::Pause(pause), rng);
            }
        }
        if !plain
            && let Some(annul) = plan.annul.get(current).copied().flatten()
            && rng.chance(rate::ANNUL_WORKING)
        {
            self.push(plan, current, annul, Wait::Run, rng);
            return true;
        }
        self.push(plan, current, plan.solution, Wait::Run, rng);
        // The user does not accept the solution.
        if !plain {
            if let Some(reopened) = plan.reopened
                && rng.chance(rate::REOPEN)
            {
                self.push(plan, plan.solution, reopened, Wait::Window, rng);
                if reopened != plan.working {
                    self.push(plan, reopened, plan.working, Wait::Run, rng);
                }
                self.push(plan, plan.working, plan.solution, Wait::Run, rng);
            } else if let Some(suspended) = plan.solution_suspended
                && rng.chance(rate::SOLUTION_SUSPENDED)
            {
                self.push(plan, plan.solution, suspended, Wait::Window, rng);
                let pause = pause_length(day_of(plan), rng);
                self.push(plan, suspended, plan.working, Wait::Pause(pause), rng);
                self.push(plan, plan.working, plan.solution, Wait::Run, rng);
            }
        }
        self.plan_close(plan, anomaly, rng);
        false
    }

    /// The close of a solved case: by the user, or automatic.
    fn plan_close(&mut self, plan: &Plan<'p>, anomaly: Option<Anomaly>, rng: &mut Rng) {
        let forced_auto = anomaly == Some(Anomaly::MissingAutoClose);
        let manual = plan
            .closed
            .filter(|_| !forced_auto && (plan.auto_close.is_none() || rng.chance(rate::MANUAL_CLOSE)));
        if let Some(closed) = manual {
            self.push(plan, plan.solution, closed, Wait::Window, rng);
        } else if let Some(auto) = &plan.auto_close {
            self.steps.push(Step {
                to: auto.to,
                reason: auto.reason,
                wait: Wait::Auto,
            });
        }
    }

    fn push(&mut self, plan: &Plan<'p>, from: usize, to: usize, wait: Wait, rng: &mut Rng) {
        let reason = reason_for(plan, from, to, rng);
        self.steps.push(Step { to, reason, wait });
    }

    /// Turn the steps into events: running waits share `target` seconds up to the last solution.
    #[expect(
        clippy::too_many_arguments,
        reason = "one story's inputs and the generator's random source; a struct would serve this one call"
    )]
    fn lay_out(
        &mut self,
        plan: &Plan<'p>,
        input: &CaseInput,
        start: u64,
        target: u64,
        annulled: bool,
        anomaly: Option<Anomaly>,
        rng: &mut Rng,
    ) {
        let counted = self.share_running_time(plan, target, annulled, rng);
        self.place_events(plan, input, start, counted, anomaly, rng);
    }

    /// Fills `runs` with the length of each running wait up to (and including) the step into
    /// the last solution, together `target` seconds; returns how many there are (none when the
    /// story ends annulled).
    fn share_running_time(&mut self, plan: &Plan<'p>, target: u64, annulled: bool, rng: &mut Rng) -> usize {
        let day = plan.timeline.day_length();
        // Running waits up to (and including) the step into the last solution.
        let last_solution = self.steps.iter().rposition(|s| s.to == plan.solution);
        let counted = match (annulled, last_solution) {
            (false, Some(last)) => self
                .steps
                .iter()
                .take(last + 1)
                .filter(|s| s.wait == Wait::Run)
                .count(),
            _ => 0,
        };
        self.runs.clear();
        if counted == 1 {
            self.runs.push(target.max(MIN_STEP));
        } else if counted > 1 {
            let first_wait = initial_wait(day, rng).min(target / 3).max(MIN_STEP);
            self.runs.push(first_wait);
            let rest = target.saturating_sub(first_wait);
            let others = counted - 1;
            self.weights.clear();
            self.weights.extend((0..others).map(|_| rng.between(1, 100)));
            let total: u64 = self.weights.iter().sum::<u64>().max(1);
            let mut given = 0;
            {
                for (i, w) in self.weights.iter().enumerate() {
                    let share = if i + 1 == others {
                        rest.saturating_sub(given)
                    } else {
                        rest * w / total
                    };
                    given += share;
                    self.runs.push(share.max(MIN_STEP));
                }
            }
        }
        counted
    }

    /// Turns the steps into dated events from `start`, until one would fall after the export's
    /// "now"; the first `counted` running waits take their length from `runs`.
    fn place_events(
        &mut self,
        plan: &Plan<'p>,
        input: &CaseInput,
        start: u64,
        counted: usize,
        anomaly: Option<Anomaly>,
        rng: &mut Rng,
    ) {
        let day = plan.timeline.day_length();
        let mut position = start;
        let mut run_index = 0;
        let mut current = plan.initial;
        let mut solution_at: Option<(NaiveDateTime, u64)> = None;
        for step in &self.steps {
            let at = match step.wait {
                Wait::Run => {
                    let wait = match self.runs.get(run_index) {
                        Some(wait) if run_index < counted => *wait,
                        _ => natural_run(day, rng),
                    };
                    run_index += 1;
                    position += wait;
                    plan.timeline.instant(position)
                }
                Wait::Pause(wait) => {
                    position += wait.max(MIN_STEP);
                    plan.timeline.instant(position)
                }
                Wait::Window => {
                    position += window_wait(plan, solution_at, rng);
                    plan.timeline.instant(position)
                }
                Wait::Auto => {
                    let due = solution_at.and_then(|(at, _)| auto_close_at(plan, at));
                    if let Some(due) = due {
                        position = plan.timeline.position(due).unwrap_or(position);
                    }
                    due
                }
            };
            let Some(at) = at.filter(|at| *at <= input.now) else {
                break;
            };
            if step.wait == Wait::Auto && anomaly == Some(Anomaly::MissingAutoClose) {
                // Planted: the automatic close is due but never happened.
                self.events.push(Event {
                    at,
                    from: usize::MAX,
                    to: usize::MAX,
                    reason: "",
                });
                break;
            }
            self.events.push(Event {
                at,
                from: current,
                to: step.to,
                reason: step.reason,
            });
            if step.to == plan.solution {
                solution_at = Some((at, position));
            }
            current = step.to;
        }
    }

    /// Running business seconds from `start` to the last solution event, minus nothing paused:
    /// the sum of the running segments (DESIGN §3.3–3.4).
    fn solution_run_time(&self, plan: &Plan, start: u64) -> u64 {
        let Some(last) = self.events.iter().rposition(|e| e.to == plan.solution) else {
            return 0;
        };
        let mut total = 0;
        let mut from = start;
        let mut state = plan.initial;
        for event in self.events.iter().take(last + 1) {
            let pos = plan.timeline.position(event.at).unwrap_or(from);
            if plan.state_runs(state) {
                total += pos.saturating_sub(from);
            }
            from = pos.max(from);
            state = event.to;
        }
        total
    }

    /// Plant the remaining anomalies and compute the outcome.
    fn finish(
        &mut self,
        plan: &Plan<'p>,
        anomaly: Option<Anomaly>,
        over_budget: bool,
        rng: &mut Rng,
    ) -> Outcome {
        let mut planted = None;
        // A missing automatic close was marked by a sentinel event.
        if let Some(i) = self.events.iter().position(|e| e.to == usize::MAX) {
            self.events.truncate(i);
            planted = Some(Anomaly::MissingAutoClose);
        }
        if anomaly == Some(Anomaly::IllegalTransition)
            && self.events.first().is_some_and(|e| e.to == plan.solution)
        {
            planted = Some(Anomaly::IllegalTransition);
        }
        if anomaly == Some(Anomaly::ForeignReason) {
            planted = self.plant_reason(plan, rng).then_some(Anomaly::ForeignReason);
        }
        if anomaly == Some(Anomaly::BrokenChain) {
            planted = self.plant_broken_chain(plan, rng).then_some(Anomaly::BrokenChain);
        }
        let mut outcome = Outcome {
            last: plan.initial,
            reported: plan.initial,
            ..Outcome::default()
        };
        for event in &self.events {
            outcome.last = event.to;
            let final_state = plan.policy.states.get(event.to);
            let is_final = final_state.is_some_and(|s| s.clock == crate::policy::model::Clock::Final);
            let excluded = final_state.is_some_and(|s| s.excluded);
            if event.to == plan.solution {
                outcome.solved_at = Some(event.at);
            } else if !is_final || excluded {
                outcome.solved_at = None;
            }
            if is_final {
                outcome.closed_at = Some(event.at);
            }
            outcome.annulled = excluded && is_final;
        }
        outcome.reported = outcome.last;
        if anomaly.is_some() && planted.is_none() && plan.states.len() > 1 {
            // StateMismatch, or the fallback of an anomaly this story could not carry.
            let other = rng.below(plan.states.len() as u64 - 1) as usize;
            outcome.reported = if other >= outcome.last { other + 1 } else { other };
            planted = Some(Anomaly::StateMismatch);
        }
        outcome.late = over_budget && outcome.solved_at.is_some();
        outcome.planted = planted;
        outcome
    }

    /// Replace the reason of one listed-reason event by a reason of another transition.
    fn plant_reason(&mut self, plan: &Plan<'p>, rng: &mut Rng) -> bool {
        let eligible = |e: &Event| plan.allowed(e.from, e.to).is_some_and(|a| !a.any);
        let count = self.events.iter().filter(|e| eligible(e)).count();
        let Some(chosen) = rng.index(count) else {
            return false;
        };
        let Some(event) = self.events.iter_mut().filter(|e| eligible(e)).nth(chosen) else {
            return false;
        };
        let Some(accepts) = plan.allowed(event.from, event.to) else {
            return false;
        };
        let foreign: Vec<&'p str> = plan
            .all_reasons
            .iter()
            .copied()
            .filter(|r| !accepts.accepts(r))
            .collect();
        match rng.pick(&foreign) {
            Some(reason) => {
                event.reason = reason;
                true
            }
            None => false,
        }
    }

    /// Make one row (not the first) start from a state the case was not in.
    fn plant_broken_chain(&mut self, plan: &Plan<'p>, rng: &mut Rng) -> bool {
        let rows = self.events.len();
        if rows < 2 || plan.states.len() < 3 {
            return false;
        }
        let Some(row) = rng.index(rows - 1).map(|i| i + 1) else {
            return false;
        };
        let Some(event) = self.events.get_mut(row) else {
            return false;
        };
        let n = plan.states.len() as u64;
        let mut other = rng.below(n) as usize;
        while other == event.from || other == event.to {
            other = (other + 1) % plan.states.len();
        }
        event.from = other;
        true
    }
}

fn day_of(plan: &Plan) -> u64 {
    plan.timeline.day_length()
}

/// Start position (reception) and ANS budget in business seconds (DESIGN §3.1–3.2).
fn reception(plan: &Plan, input: &CaseInput) -> Option<(u64, u64)> {
    let t = &plan.timeline;
    let date = input.registered.date();
    let time = input.registered.time();
    let same_day = t.is_business_day(date)
        && match input.received_before {
            Some(before) => time < before,
            None => time <= t.closes(),
        };
    let received: NaiveDate = if same_day {
        date
    } else {
        t.next_business_day(date)?
    };
    let opening = received.and_time(t.opens());
    let received_at = if same_day {
        input.registered.max(opening)
    } else {
        opening
    };
    let start = t.position(received_at)?;
    let k = t.day_index(received)?;
    let n = u64::from(input.ans.business_days);
    let due_day = if input.ans.counts_reception_day {
        k + n.saturating_sub(1)
    } else {
        k + n
    };
    let budget = t.closing_position(due_day).saturating_sub(start);
    Some((start, budget))
}

/// When the automatic close of a solution at `solved` is due: same time of day, N days later.
pub fn auto_close_at(plan: &Plan, solved: NaiveDateTime) -> Option<NaiveDateTime> {
    let auto = plan.auto_close.as_ref()?;
    let date = if auto.business_days {
        plan.timeline
            .add_business_days(solved.date(), auto.after_days.max(1))?
    } else {
        solved
            .date()
            .checked_add_signed(TimeDelta::days(i64::from(auto.after_days)))?
    };
    Some(date.and_time(solved.time()))
}

/// The reason a person writes for `from → to`.
fn reason_for<'p>(plan: &Plan<'p>, from: usize, to: usize, rng: &mut Rng) -> &'p str {
    let Some(allowed) = plan.allowed(from, to) else {
        // Not allowed (a planted illegal transition): borrow the reason of the usual way in.
        return plan
            .allowed(plan.working, to)
            .and_then(|a| a.manual.first().copied())
            .unwrap_or("Cambio de estado");
    };
    // When both a list and "any reason" are accepted, write a listed reason half of the time.
    if !allowed.manual.is_empty() && (!allowed.any || !rng.chance(500_000)) {
        return rng.pick(&allowed.manual).copied().unwrap_or("Cambio de estado");
    }
    // The policy accepts any reason: write what the service desk usually writes.
    if from == plan.initial {
        "Asignado"
    } else if Some(to) == plan.reopened {
        "Usuario no conforme con la solución"
    } else if to == plan.working {
        "Caso retomado"
    } else {
        "Cambio de estado"
    }
}

/// How long a person takes to act on a solved case: somewhere inside the window before the
/// automatic close is due (two days when there is none).
fn window_wait(plan: &Plan<'_>, solution_at: Option<(NaiveDateTime, u64)>, rng: &mut Rng) -> u64 {
    let day = plan.timeline.day_length();
    let window = match (solution_at, &plan.auto_close) {
        (Some((at, pos)), Some(_)) => auto_close_at(plan, at)
            .and_then(|due| plan.timeline.position(due))
            .map_or(2 * day, |due| due.saturating_sub(pos)),
        _ => 2 * day,
    };
    if window > 2 * 600 {
        rng.between(600, window - 600)
    } else {
        (window / 2).max(1)
    }
}

/// Time before the case is taken: minutes to a couple of business days.
fn initial_wait(day: u64, rng: &mut Rng) -> u64 {
    match rng.weighted(&[45, 35, 20]) {
        Some(0) => rng.between(300, 5_400),
        Some(1) => rng.between(5_400, day.max(5_400)),
        _ => rng.between(day, 2 * day),
    }
}

/// A suspension: an hour to two business weeks.
fn pause_length(day: u64, rng: &mut Rng) -> u64 {
    match rng.weighted(&[30, 50, 20]) {
        Some(0) => rng.between(3_600, day.max(3_600)),
        Some(1) => rng.between(day, 4 * day),
        _ => rng.between(4 * day, 10 * day),
    }
}

/// Running time of a story that is not measured against the ANS (annulled cases).
fn natural_run(day: u64, rng: &mut Rng) -> u64 {
    rng.between(1_800, 3 * day)
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::expect_used,
        reason = "tests may panic: a failed unwrap is a failed test"
    )]

    use chrono::NaiveDate;

    use super::*;
    use crate::generate::plan::tests::with_plan;

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, mo, d)
            .unwrap()
            .and_hms_opt(h, mi, 0)
            .unwrap()
    }

    fn input(registered: NaiveDateTime, anomaly: Option<Anomaly>) -> CaseInput {
        CaseInput {
            registered,
            ans: Ans {
                business_days: 12,
                counts_reception_day: false,
            },
            received_before: None,
            now: at(2025, 6, 30, 23, 59),
            anomaly,
        }
    }

    #[test]
    fn stories_follow_the_policy_and_the_clock() {
        with_plan(|plan| {
            let mut teller = Teller::default();
            let mut rng = Rng::new(11);
            let (mut late, mut solved) = (0, 0);
            for i in 0..2_000 {
                let registered = at(2024, 3, 1 + i % 28, 7 + i % 12, i % 60);
                let outcome = teller.tell(plan, &input(registered, None), &mut rng);
                assert_eq!(outcome.planted, None);
                let mut state = plan.initial;
                let mut previous = registered;
                for e in &teller.events {
                    assert_eq!(e.from, state);
                    assert!(e.at > previous, "{e:?}");
                    let allowed = plan.allowed(e.from, e.to).expect("allowed transition");
                    assert!(allowed.accepts(e.reason), "{e:?}");
                    if e.reason == plan.auto_close.as_ref().unwrap().reason {
                        let solved = teller
                            .events
                            .iter()
                            .rev()
                            .find(|s| s.to == plan.solution)
                            .unwrap();
                        assert_eq!(Some(e.at), auto_close_at(plan, solved.at));
                    }
                    state = e.to;
                    previous = e.at;
                }
                assert_eq!(outcome.last, state);
                assert_eq!(outcome.reported, state);
                if outcome.solved_at.is_some() {
                    solved += 1;
                    late += usize::from(outcome.late);
                }
            }
            let share = late * 1000 / solved;
            assert!((100..200).contains(&share), "late {late} of {solved}");
        });
    }

    #[test]
    fn anomalies_are_planted() {
        with_plan(|plan| {
            let mut teller = Teller::default();
            let mut rng = Rng::new(5);
            for kind in Anomaly::ALL {
                for i in 0..50 {
                    let registered = at(2024, 5, 2 + i % 20, 10, 0);
                    let outcome = teller.tell(plan, &input(registered, Some(kind)), &mut rng);
                    assert!(outcome.planted.is_some());
                    match outcome.planted {
                        Some(Anomaly::IllegalTransition) => {
                            assert!(plan.allowed(teller.events[0].from, teller.events[0].to).is_none());
                        }
                        Some(Anomaly::MissingAutoClose) => assert_eq!(outcome.last, plan.solution),
                        Some(Anomaly::StateMismatch) => assert_ne!(outcome.reported, outcome.last),
                        Some(Anomaly::ForeignReason) => assert!(
                            teller
                                .events
                                .iter()
                                .any(|e| !plan.allowed(e.from, e.to).unwrap().accepts(e.reason))
                        ),
                        Some(Anomaly::BrokenChain) => {
                            assert!(teller.events.windows(2).any(|w| w[0].to != w[1].from))
                        }
                        None => unreachable!(),
                    }
                    if outcome.planted == Some(kind) {
                        continue;
                    }
                    assert_eq!(outcome.planted, Some(Anomaly::StateMismatch), "{kind:?}");
                }
            }
        });
    }

    #[test]
    fn exceptions_received_before_nine_are_due_the_same_day() {
        with_plan(|plan| {
            let mut case = input(at(2024, 4, 2, 8, 30), None);
            case.ans = plan.exceptions.as_ref().unwrap().ans;
            case.received_before = Some(plan.exceptions.as_ref().unwrap().received_before);
            let (start, budget) = reception(plan, &case).unwrap();
            assert_eq!(budget, 8 * 3_600 + 1_800);
            case.registered = at(2024, 4, 2, 9, 0);
            let (later, budget) = reception(plan, &case).unwrap();
            assert_eq!(budget, 32_400);
            assert_eq!(later, start - 1_800 + 32_400);
        });
    }
}
