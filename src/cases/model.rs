//! Typed cases, history events and evaluations: what import produces and evaluation returns.

use serde::Serialize;

use super::codes::Finding;
use crate::calendar::LocalSeconds;

/// A case of the cases file, resolved against the policy version in force when it was registered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    /// Line in the cases file.
    pub line: u64,
    /// Case id as the export writes it (`Número de caso`); unique in a run.
    pub id: String,
    /// Index of the policy version among the run's versions of the procedure (oldest first).
    pub policy: usize,
    /// Index of the category in the policy.
    pub category: usize,
    /// Index of the exception type, when the case is an exception.
    pub exception: Option<usize>,
    /// Index of the current state (the `Estado` column).
    pub state: usize,
    /// Registration instant, local time of the policy's calendar.
    pub registered: LocalSeconds,
    /// Solution instant of the export.
    pub solved: Option<LocalSeconds>,
    /// Close instant of the export.
    pub closed: Option<LocalSeconds>,
    /// Evidence kinds attached.
    pub attachments: Vec<String>,
    /// Requesting area, when the export has the column and the cell is not empty.
    pub area: Option<String>,
    /// Every field of the row, in header order (kept only when a rule reads `caso.columnas`).
    pub columns: Vec<String>,
}

/// A history row resolved against the case's policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEvent {
    /// Line in the history file.
    pub line: u64,
    /// Instant of the change.
    pub at: LocalSeconds,
    /// Previous state as the row writes it (index in the policy).
    pub from: usize,
    /// New state (index in the policy).
    pub to: usize,
    /// Reason as written (shared: many rows carry the same text).
    pub reason: std::sync::Arc<str>,
}

/// The ANS outcome of a case (DESIGN.md §3.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Solved within the ANS.
    Met,
    /// Solved late.
    Breached,
    /// Open and still within the ANS at the as-of instant.
    OpenOnTime,
    /// Open and past the ANS at the as-of instant.
    OpenOverdue,
    /// Annulled: excluded from compliance.
    Annulled,
}

impl Outcome {
    /// Every outcome, in report order.
    pub const ALL: [Outcome; 5] = [
        Outcome::Met,
        Outcome::Breached,
        Outcome::OpenOnTime,
        Outcome::OpenOverdue,
        Outcome::Annulled,
    ];

    /// Machine value (`met`, `breached`, …).
    pub fn value(self) -> &'static str {
        match self {
            Outcome::Met => "met",
            Outcome::Breached => "breached",
            Outcome::OpenOnTime => "open_on_time",
            Outcome::OpenOverdue => "open_overdue",
            Outcome::Annulled => "annulled",
        }
    }

    /// The Spanish word reports print and rules compare (`caso.resultado`).
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Met => "cumple",
            Outcome::Breached => "incumple",
            Outcome::OpenOnTime => "en curso",
            Outcome::OpenOverdue => "vencido",
            Outcome::Annulled => "anulado",
        }
    }
}

/// The evaluation of one case: the columns of `pauta evaluate` (DESIGN.md §4). Texts of the
/// policy are borrowed from it (`'a`); the case id is owned, so evaluations can be batched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evaluation<'a> {
    /// Case id as the export writes it.
    pub case_id: String,
    /// Category name as the policy writes it.
    pub category: &'a str,
    /// Number of the version that judged the case (in force at registration).
    pub policy_version: u32,
    /// Exception type, when the case is an exception.
    pub exception: Option<&'a str>,
    /// Registration instant, local time.
    pub registered_at: LocalSeconds,
    /// Reception instant (§3.1).
    pub received_at: LocalSeconds,
    /// Deadline shown (§3.5); `None` when it falls outside the calendar.
    pub deadline: Option<LocalSeconds>,
    /// Solution instant (§3.4).
    pub solved_at: Option<LocalSeconds>,
    /// Business seconds paused.
    pub paused_seconds: i64,
    /// Met, breached, open on time, open overdue or annulled.
    pub outcome: Outcome,
    /// Whole business days late.
    pub days_late: i64,
    /// Findings, in the order found.
    pub findings: Vec<Finding>,
    /// UTC offset of the calendar, seconds (for RFC 3339 output).
    pub utc_offset_seconds: i32,
}

#[cfg(test)]
mod tests {
    use super::Outcome;
    use crate::rules::vocabulary::OUTCOMES;

    #[test]
    fn rules_see_the_outcomes_the_evaluation_gives() {
        let pairs = Outcome::ALL.map(|o| (o.value(), o.label()));
        assert_eq!(pairs, OUTCOMES);
    }
}
