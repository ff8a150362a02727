//! The counts of a run: its rows ([`RowCounts`]: read = evaluated or used + rejected),
//! outcomes, findings, rules and rejections ([`Summary`]), and the summary in Spanish, one line
//! per fact, as `evaluate` prints it on stderr and its workbook shows it.

use std::collections::BTreeMap;

use super::codes::{FindingCode, RejectCode};
use super::model::Outcome;

/// The rows of an export and where each went: `cases_read = cases_evaluated + cases_rejected`,
/// `history_read = history_used + history_rejected`. The summary of `evaluate` and the report's
/// Entradas both show these counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct RowCounts {
    /// Data rows of the cases file.
    pub cases_read: u64,
    /// Cases rows evaluated (read minus rejected).
    pub cases_evaluated: u64,
    /// Cases rows rejected (see the rejected-rows output).
    pub cases_rejected: u64,
    /// Data rows of the history file (0 without one).
    pub history_read: u64,
    /// History rows that joined a case and were applied.
    pub history_used: u64,
    /// History rows rejected.
    pub history_rejected: u64,
}

impl RowCounts {
    /// `leídas 26 = evaluadas 25 + rechazadas 1`: the cases, in the words every output uses.
    pub fn cases_in_words(&self) -> String {
        format!(
            "leídas {} = evaluadas {} + rechazadas {}",
            self.cases_read, self.cases_evaluated, self.cases_rejected
        )
    }

    /// `leídas 74 = usadas 73 + rechazadas 1`: the history rows, in the same words.
    pub fn history_in_words(&self) -> String {
        format!(
            "leídas {} = usadas {} + rechazadas {}",
            self.history_read, self.history_used, self.history_rejected
        )
    }

    /// Rows rejected from either file.
    pub fn rejected(&self) -> u64 {
        self.cases_rejected + self.history_rejected
    }
}

/// Counts of a run: its rows ([`RowCounts`]), outcomes, findings and rejections.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    /// The rows read, evaluated or used, and rejected.
    #[serde(flatten)]
    pub rows: RowCounts,
    /// Evaluations by outcome.
    pub outcomes: BTreeMap<Outcome, u64>,
    /// Cases with each finding code.
    pub findings: BTreeMap<FindingCode, u64>,
    /// Rejected rows by code.
    pub rejections: BTreeMap<RejectCode, u64>,
    /// Cases failing each rule (or in which it could not be evaluated), by rule name.
    pub rule_findings: BTreeMap<String, u64>,
    /// Fields read as Windows-1252 because they were not valid UTF-8.
    pub windows_1252_fields: u64,
    /// Delimiter of the cases file.
    pub cases_delimiter: char,
    /// Delimiter of the history file.
    pub history_delimiter: Option<char>,
    /// Optional columns the cases file does not have, each with what its absence changes (in
    /// Spanish): a misspelt header must not go unnoticed.
    pub absent_columns: Vec<String>,
    /// How the history was read, when not whole into memory as usual, or why it could not be
    /// read otherwise (in Spanish; the command line shows it as a warning).
    #[serde(skip)]
    pub history_note: Option<String>,
}

impl Summary {
    /// The summary's lines, without line ends.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = vec![format!("casos:     {}", self.rows.cases_in_words())];
        if self.history_delimiter.is_some() {
            lines.push(format!("historial: {}", self.rows.history_in_words()));
        }
        let outcomes: Vec<String> = Outcome::ALL
            .iter()
            .map(|outcome| {
                let count = self.outcomes.get(outcome).copied().unwrap_or(0);
                format!("{} {count}", outcome.label())
            })
            .collect();
        lines.push(format!("resultados: {}", outcomes.join(" · ")));
        for (code, count) in &self.findings {
            lines.push(format!(
                "hallazgo {} en {count} caso(s): {}",
                code.code(),
                code.meaning()
            ));
        }
        for (rule, count) in &self.rule_findings {
            lines.push(format!(
                "regla «{rule}» incumplida o sin evaluar en {count} caso(s)"
            ));
        }
        for (code, count) in &self.rejections {
            lines.push(format!(
                "rechazo {}: {count} fila(s): {}",
                code.code(),
                code.meaning()
            ));
        }
        for absent in &self.absent_columns {
            lines.push(format!("aviso: {absent}"));
        }
        if self.windows_1252_fields > 0 {
            lines.push(format!(
                "codificación: {} campo(s) no eran UTF-8 y se leyeron como Windows-1252",
                self.windows_1252_fields
            ));
        }
        lines
    }
}
