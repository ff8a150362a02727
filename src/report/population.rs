//! The evaluated export as a polars frame: every evaluated case becomes a row as `run` hands it
//! over (the one evaluation code path of `pauta evaluate`), with the few extra values the report
//! needs that only the case's clock knows (business seconds used and allowed). The month's
//! population and the overdue list are then polars filters over that frame.

use std::collections::HashMap;

use polars::prelude::*;

use super::month::Month;
use crate::calendar::LocalSeconds;
use crate::cases::context::PolicyContext;
use crate::cases::{Case, Evaluation, FindingCode, Outcome};

/// Finding codes the report leaves out: they only say that something happened after the
/// report's cut (the month's last second), which is the report's choice, not a data problem.
pub const CUT_FINDINGS: [FindingCode; 2] = [FindingCode::RegisteredAfterCut, FindingCode::EventAfterCut];

/// Column name of a finding code's flag (`H001`…).
pub fn finding_column(code: FindingCode) -> &'static str {
    code.code()
}

/// Distinct texts (categories, exception types), stored once; rows hold their index.
#[derive(Debug, Default)]
struct Names {
    index: HashMap<String, u32>,
    texts: Vec<String>,
}

impl Names {
    fn intern(&mut self, text: &str) -> u32 {
        if let Some(found) = self.index.get(text) {
            return *found;
        }
        let id = u32::try_from(self.texts.len()).unwrap_or(u32::MAX);
        self.texts.push(text.to_owned());
        self.index.insert(text.to_owned(), id);
        id
    }
}

/// Evaluated cases gathered column by column (about 80 bytes a case).
#[derive(Debug, Default)]
pub struct Collector {
    names: Names,
    ids: String,
    id_ends: Vec<usize>,
    category: Vec<u32>,
    exception: Vec<Option<u32>>,
    version: Vec<u32>,
    received: Vec<i64>,
    deadline: Vec<Option<i64>>,
    solved: Vec<Option<i64>>,
    outcome: Vec<u32>,
    used: Vec<Option<i64>>,
    allowed: Vec<Option<i64>>,
    ans: Vec<u32>,
    days_late: Vec<i64>,
    findings: Vec<u32>,
    /// Rule findings of each case as `R001:<rule>`, `|`-separated (empty when none).
    rules: Vec<String>,
    day_length: i64,
}

/// Index of an outcome in [`Outcome::ALL`] (the frame's `outcome` column).
pub fn outcome_code(outcome: Outcome) -> u32 {
    Outcome::ALL
        .iter()
        .position(|o| *o == outcome)
        .and_then(|i| u32::try_from(i).ok())
        .unwrap_or(u32::MAX)
}

/// The outcome of an `outcome` column value.
pub fn outcome_of(code: u32) -> Option<Outcome> {
    Outcome::ALL.get(code as usize).copied()
}

/// Bit of a finding code in the `findings` mask column.
fn finding_bit(code: FindingCode) -> u32 {
    FindingCode::ALL
        .iter()
        .position(|c| *c == code)
        .map_or(0, |i| 1u32.checked_shl(i as u32).unwrap_or(0))
}

/// The finding codes of a mask, in code order.
pub fn findings_of(mask: u32) -> Vec<FindingCode> {
    FindingCode::ALL
        .iter()
        .copied()
        .filter(|code| mask & finding_bit(*code) != 0)
        .collect()
}

impl Collector {
    /// Notes the working-day length of a case's clock without collecting the case (the report
    /// shows durations in the days of the last case evaluated, collected or not).
    pub fn skip(&mut self, context: &PolicyContext<'_>) {
        self.day_length = context.clock.day_length();
    }

    /// Adds one evaluated case. `as_of` is the run's cut (business time of open cases runs to it).
    pub fn push(
        &mut self,
        case: &Case,
        evaluation: &Evaluation<'_>,
        context: &PolicyContext<'_>,
        as_of: LocalSeconds,
    ) {
        let clock = &context.clock;
        self.day_length = clock.day_length();
        self.ids.push_str(&evaluation.case_id);
        self.id_ends.push(self.ids.len());
        let category = self.names.intern(evaluation.category);
        self.category.push(category);
        self.exception
            .push(evaluation.exception.map(|name| self.names.intern(name)));
        self.version.push(evaluation.policy_version);
        self.received.push(evaluation.received_at);
        self.deadline.push(evaluation.deadline);
        self.solved.push(evaluation.solved_at);
        self.outcome.push(outcome_code(evaluation.outcome));
        let received = clock.position(evaluation.received_at).ok();
        let end = evaluation.solved_at.unwrap_or(as_of);
        let used = match (received, clock.position(end).ok()) {
            (Some(from), Some(to)) if evaluation.outcome != Outcome::Annulled => {
                Some((to - from - evaluation.paused_seconds).max(0))
            }
            _ => None,
        };
        self.used.push(used);
        let allowed = match (received, evaluation.deadline.and_then(|d| clock.position(d).ok())) {
            (Some(from), Some(deadline)) => Some(deadline - evaluation.paused_seconds - from),
            _ => None,
        };
        self.allowed.push(allowed);
        let ans = match (evaluation.exception, &context.policy.exceptions) {
            (Some(_), Some(regime)) => regime.ans.business_days,
            _ => context
                .policy
                .categories
                .get(case.category)
                .map_or(0, |category| category.ans.business_days),
        };
        self.ans.push(ans);
        self.days_late.push(evaluation.days_late);
        let mask = evaluation
            .findings
            .iter()
            .filter(|finding| !CUT_FINDINGS.contains(&finding.code))
            .fold(0, |mask, finding| mask | finding_bit(finding.code));
        self.findings.push(mask);
        let rules: Vec<String> = evaluation
            .findings
            .iter()
            .filter(|finding| finding.rule.is_some())
            .map(|finding| finding.label())
            .collect();
        self.rules.push(rules.join("|"));
    }

    /// Cases gathered so far.
    pub fn len(&self) -> usize {
        self.id_ends.len()
    }

    /// Whether no case was gathered.
    pub fn is_empty(&self) -> bool {
        self.id_ends.is_empty()
    }

    /// Business seconds in a business day (32 400 for 08:00–17:00).
    pub fn day_length(&self) -> i64 {
        if self.day_length > 0 {
            self.day_length
        } else {
            32_400
        }
    }

    /// Category and exception names by index (the `category`/`exception` columns).
    pub fn names(&self) -> &[String] {
        &self.names.texts
    }

    /// The frame: `case_id, category, exception, policy_version, received_at, deadline,
    /// solved_at, outcome, used_seconds, allowed_seconds, ans_days, days_late, findings` and one
    /// boolean column per finding code (`H001`…).
    pub fn into_frame(self) -> PolarsResult<(DataFrame, Vec<String>)> {
        let mut start = 0;
        let ids = self.id_ends.iter().map(|end| {
            let id = self.ids.get(start..*end).unwrap_or_default();
            start = *end;
            id
        });
        let case_id = StringChunked::from_iter_values("case_id".into(), ids);
        let mut columns = vec![
            case_id.into_column(),
            Column::new("category".into(), self.category),
            Column::new("exception".into(), self.exception),
            Column::new("policy_version".into(), self.version),
            Column::new("received_at".into(), self.received),
            Column::new("deadline".into(), self.deadline),
            Column::new("solved_at".into(), self.solved),
            Column::new("outcome".into(), self.outcome),
            Column::new("used_seconds".into(), self.used),
            Column::new("allowed_seconds".into(), self.allowed),
            Column::new("ans_days".into(), self.ans),
            Column::new("days_late".into(), self.days_late),
        ];
        for code in FindingCode::ALL {
            let bit = finding_bit(*code);
            let flags: Vec<bool> = self.findings.iter().map(|mask| mask & bit != 0).collect();
            columns.push(Column::new(finding_column(*code).into(), flags));
        }
        columns.push(Column::new("findings".into(), self.findings));
        columns.push(Column::new("rules".into(), self.rules));
        Ok((DataFrame::new_infer_height(columns)?, self.names.texts))
    }
}

/// Cases whose solution instant falls in the month (local time), annulled ones excluded.
pub fn population(frame: LazyFrame, month: Month) -> LazyFrame {
    // The same test as [`concerns`], on a frame.
    frame.filter(
        col("solved_at")
            .gt_eq(lit(month.first_instant()))
            .and(col("solved_at").lt_eq(lit(month.last_instant())))
            .and(col("outcome").neq(lit(outcome_code(Outcome::Annulled)))),
    )
}

/// Whether a case can be in the report of `month`: in its population (solved in the month and
/// not annulled, as [`population`] keeps) or overdue at the run's as-of instant (as [`overdue`]
/// keeps). The report collects only these: the others would be filtered out of the frame.
pub fn concerns(evaluation: &Evaluation<'_>, month: Month) -> bool {
    in_population(evaluation, month) || is_overdue(evaluation)
}

/// Whether a case is in the population of `month`: solved in the month and not annulled, as
/// [`population`] keeps on a frame.
pub fn in_population(evaluation: &Evaluation<'_>, month: Month) -> bool {
    let solved_in_month = evaluation
        .solved_at
        .is_some_and(|solved| solved >= month.first_instant() && solved <= month.last_instant());
    solved_in_month && evaluation.outcome != Outcome::Annulled
}

/// Whether a case is open past its deadline at the run's as-of instant, as [`overdue`] keeps
/// on a frame.
pub fn is_overdue(evaluation: &Evaluation<'_>) -> bool {
    evaluation.outcome == Outcome::OpenOverdue
}

/// Open cases past their deadline at the run's as-of instant.
pub fn overdue(frame: LazyFrame) -> LazyFrame {
    frame.filter(col("outcome").eq(lit(outcome_code(Outcome::OpenOverdue))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn evaluation(solved_at: Option<LocalSeconds>, outcome: Outcome) -> Evaluation<'static> {
        Evaluation {
            case_id: "1".to_owned(),
            category: "c",
            policy_version: 11,
            exception: None,
            registered_at: 0,
            received_at: 0,
            deadline: None,
            solved_at,
            paused_seconds: 0,
            outcome,
            days_late: 0,
            findings: Vec::new(),
            utc_offset_seconds: -18_000,
        }
    }

    /// `concerns` keeps exactly what `population` and `overdue` keep, at the month's edges.
    #[test]
    fn the_month_concerns_its_solved_cases_and_the_overdue_ones() {
        let Ok(month) = Month::parse("2024-06") else {
            panic!("a month")
        };
        let (first, last) = (month.first_instant(), month.last_instant());
        let cases = [
            (Some(first), Outcome::Met, true),
            (Some(last), Outcome::Breached, true),
            (Some(first - 1), Outcome::Met, false),
            (Some(last + 1), Outcome::Met, false),
            (Some(first + 10), Outcome::Annulled, false),
            (None, Outcome::OpenOverdue, true),
            (None, Outcome::OpenOnTime, false),
            (None, Outcome::Annulled, false),
        ];
        for (solved_at, outcome, expected) in cases {
            assert_eq!(
                concerns(&evaluation(solved_at, outcome), month),
                expected,
                "{solved_at:?} {outcome:?}"
            );
        }
    }
}
