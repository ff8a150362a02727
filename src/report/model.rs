//! The monthly report as data: what every renderer (Markdown, HTML, XLSX, CSV, JSON) shows.
//! Every list is already in its final, explicitly sorted order.

use chrono::NaiveDate;

use super::month::Month;
use super::sample::SampleSize;
use super::stats::Proportion;
use crate::calendar::LocalSeconds;
use crate::cases::{FindingCode, Outcome};

/// One input of the report with its SHA-256.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputDigest {
    /// What it is, in Spanish: `casos`, `historial`, `asignación`, `política`, `calendario`.
    pub role: String,
    /// File name as given (or the embedded file's path in the repository).
    pub name: String,
    /// Lowercase hex SHA-256 of its bytes.
    pub sha256: String,
    /// Whether it is the copy embedded in the program (not a file on disk).
    pub embedded: bool,
}

/// One case as the report's tables show it.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportCase {
    /// Position in the selection order (1 = smallest key); `None` outside the population.
    pub rank: Option<u64>,
    /// Selection key (SHA-256 of `<seed>:<case_id>`); `None` outside the population.
    pub sha256: Option<String>,
    /// Case id as the export writes it.
    pub case_id: String,
    /// Category, as the policy names it.
    pub category: String,
    /// Exception type, when the case is an exception.
    pub exception: Option<String>,
    /// Policy version that judged it.
    pub policy_version: u32,
    /// Reception instant (DESIGN.md §3.1).
    pub received_at: LocalSeconds,
    /// Deadline shown (§3.5).
    pub deadline: Option<LocalSeconds>,
    /// Solution instant, local time; `None` for cases still open.
    pub solved_at: Option<LocalSeconds>,
    /// Met, breached, open on time, open overdue or annulled.
    pub outcome: Outcome,
    /// Business seconds used: from reception to the solution (or to the as-of instant when
    /// open), minus the paused ones.
    pub business_seconds_used: Option<i64>,
    /// Business days used: the seconds divided by the business-day length (32 400 s).
    pub business_days_used: Option<f64>,
    /// Business seconds available: from reception to the close of the due day, the time the
    /// ANS gave the case (`pauta explain`'s "disponible"; pauses move the deadline, not this).
    /// A case meets its ANS when the seconds used do not exceed these. `None` when the deadline
    /// falls outside the calendar.
    pub business_seconds_available: Option<i64>,
    /// Business days available: the seconds divided by the business-day length. When the
    /// reception day counts, it can exceed the ANS's number of days.
    pub business_days_available: Option<f64>,
    /// The ANS in business days (the category's, or the exception regime's).
    pub ans_business_days: u32,
    /// Whole business days late.
    pub days_late: i64,
    /// Finding codes of the case, in code order.
    pub findings: Vec<FindingCode>,
    /// Its rule findings, `R001:<rule>` (the rule named, not just its code).
    pub rules: Vec<String>,
}

impl ReportCase {
    /// The case's findings as shown: each code, with rule findings naming their rule
    /// (`H002`, `R001:socialización-áreas-afectadas`).
    pub fn finding_labels(&self) -> Vec<String> {
        let mut labels: Vec<String> = self
            .findings
            .iter()
            .filter(|code| !code.code().starts_with('R'))
            .map(|code| code.code().to_owned())
            .collect();
        labels.extend(self.rules.iter().cloned());
        labels
    }
}

/// A row of the per-category table.
#[derive(Debug, Clone, PartialEq)]
pub struct CategoryRow {
    /// Category as the policy writes it.
    pub category: String,
    /// Cases in the population.
    pub cases: u64,
    /// Population cases solved within the ANS.
    pub met: u64,
    /// Population cases that breached the ANS.
    pub breached: u64,
    /// met / cases (the table never lists a category without cases).
    pub rate: f64,
    /// Cases of the category in the sample.
    pub in_sample: u64,
    /// Sampled cases of the category that met the ANS.
    pub sample_met: u64,
}

/// Outcomes of the population by week of the month (week k = days 7k−6 … 7k, by solution date).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeekRow {
    /// Week number, 1–5.
    pub week: u32,
    /// First day of the week, within the month.
    pub first_day: NaiveDate,
    /// Last day of the week, within the month.
    pub last_day: NaiveDate,
    /// Cases solved that week within the ANS.
    pub met: u64,
    /// Cases solved that week after their deadline.
    pub breached: u64,
}

/// A bar of the distribution of business days used against the ANS, in steps of 25 % of the
/// time the ANS allowed the case (the last bar is "more than 200 %").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageBucket {
    /// Lower bound, percent of the allowed time (exclusive, except 0).
    pub from_percent: u32,
    /// Upper bound, percent (inclusive); `None` for the open last bar.
    pub to_percent: Option<u32>,
    /// Cases of the population in it.
    pub cases: u64,
}

impl UsageBucket {
    /// `0–25 %`, `25–50 %`, …, `> 200 %`.
    pub fn label(&self) -> String {
        match self.to_percent {
            Some(to) => format!("{}–{to} %", self.from_percent),
            None => format!("> {} %", self.from_percent),
        }
    }

    /// Whether the bar is within the ANS (at most 100 % of the allowed time).
    pub fn within(&self) -> bool {
        self.to_percent.is_some_and(|to| to <= 100)
    }
}

/// Cases with a finding code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindingRow {
    /// `H…` or `I…` code.
    pub code: FindingCode,
    /// For one row per rule (`R001`–`R003`): the rule's name.
    pub rule: Option<String>,
    /// Cases of the population with it.
    pub population: u64,
    /// Cases of the sample with it.
    pub sample: u64,
    /// Overdue cases with it.
    pub overdue: u64,
}

impl FindingRow {
    /// `H002`, or `R001:<rule>` for a rule's row.
    pub fn label(&self) -> String {
        match &self.rule {
            Some(rule) => format!("{}:{rule}", self.code.code()),
            None => self.code.code().to_owned(),
        }
    }

    /// The meaning in Spanish, naming the rule on a rule's row.
    pub fn title(&self) -> String {
        match &self.rule {
            Some(rule) => format!("{} — regla «{rule}»", self.code.meaning()),
            None => self.code.meaning().to_owned(),
        }
    }
}

/// The rows of the export, as in `pauta evaluate`'s summary.
pub use crate::cases::run::RowCounts;

/// The monthly ANS control report.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// The month reported on.
    pub month: Month,
    /// Procedure code (`M1-3-06`).
    pub procedure: String,
    /// Procedure title, from the version in force.
    pub procedure_name: String,
    /// Version in force on the first day of the month (its `muestreo` block sets the size).
    pub sampling_version: u32,
    /// Versions that judged the cases of the population and the overdue list, ascending.
    pub policy_versions: Vec<u32>,
    /// Generation instant (local time).
    pub generated_at: LocalSeconds,
    /// The as-of instant of the evaluation (local time): the month's last second by default.
    pub as_of: LocalSeconds,
    /// UTC offset of the calendar, seconds.
    pub utc_offset_seconds: i32,
    /// Seed of the selection.
    pub seed: String,
    /// Whether the seed was given (`--seed`) or derived from the month.
    pub seed_given: bool,
    /// Inputs with their SHA-256.
    pub inputs: Vec<InputDigest>,
    /// Rows read, used and rejected.
    pub rows: RowCounts,
    /// Sample size and how it was obtained.
    pub size: SampleSize,
    /// The sample, in selection order.
    pub sample: Vec<ReportCase>,
    /// Compliance in the sample, with its Wilson interval; `None` when no case was solved in
    /// the month (the report then only lists the overdue cases: there is no rate to compute).
    pub sample_compliance: Option<Proportion>,
    /// Compliance of the whole population (census), with the Wilson interval for n = N; `None`
    /// when no case was solved in the month.
    pub population_compliance: Option<Proportion>,
    /// Per category, by name.
    pub by_category: Vec<CategoryRow>,
    /// Breached cases of the population: most days late first, then by case id.
    pub breached: Vec<ReportCase>,
    /// Open cases past their deadline at the as-of instant: earliest deadline first, then by id.
    pub overdue: Vec<ReportCase>,
    /// Findings by code, in code order (only codes that occur).
    pub findings: Vec<FindingRow>,
    /// Outcomes by week of the month.
    pub weeks: Vec<WeekRow>,
    /// Distribution of business days used against the ANS.
    pub usage: Vec<UsageBucket>,
}

impl Report {
    /// Whether some case was solved in the month, so there is a sample and a rate (otherwise
    /// the report only lists the overdue cases).
    pub fn has_population(&self) -> bool {
        self.size.population > 0
    }
}
