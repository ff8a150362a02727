//! What the page keeps of an evaluation: one compact row per case (its id, the indexes of its
//! category, outcome and finding labels in tables of the names that occur, its instants as
//! numbers) and every rejected row; and the search, filters and paging of the case table, a scan
//! over those rows per request.

use std::collections::HashMap;

use crate::calendar::LocalSeconds;
use crate::cases::codes::{InputFile, RejectCode};
use crate::cases::output::finding_list;
use crate::cases::{Evaluation, Outcome, Rejection};

/// No instant (a deadline outside the calendar, a case not solved).
pub const NONE: LocalSeconds = LocalSeconds::MIN;

/// One evaluated case, as the table shows it.
#[derive(Debug)]
pub struct Row {
    /// The case id.
    pub id: Box<str>,
    /// Index of its list of finding labels in [`Table::finding_sets`].
    pub findings: u32,
    /// The deadline ([`NONE`] when outside the calendar), local time.
    pub deadline: LocalSeconds,
    /// The solution instant ([`NONE`] when open), local time.
    pub solved: LocalSeconds,
    /// Whole business days late.
    pub days_late: i32,
    /// Index of its category in [`Table::categories`].
    pub category: u16,
    /// The version that judged it.
    pub version: u16,
    /// Index of its outcome in [`Outcome::ALL`].
    pub outcome: u8,
}

impl Row {
    /// Its outcome.
    pub fn outcome(&self) -> Outcome {
        Outcome::ALL
            .get(usize::from(self.outcome))
            .copied()
            .unwrap_or(Outcome::Met)
    }
}

/// A rejected row, as the page lists it.
#[derive(Debug)]
pub struct RejectedRow {
    /// Which file it comes from.
    pub file: InputFile,
    /// Its line in that file.
    pub line: u64,
    /// The case id, when it has one.
    pub case_id: Box<str>,
    /// Why it was rejected.
    pub code: RejectCode,
    /// The reason in detail.
    pub reason: Box<str>,
}

/// Names that occur, each stored once and referred to by index.
#[derive(Debug, Default)]
struct Interner {
    names: Vec<Box<str>>,
    index: HashMap<Box<str>, u32>,
}

impl Interner {
    fn intern(&mut self, name: &str) -> u32 {
        if let Some(&index) = self.index.get(name) {
            return index;
        }
        let index = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
        self.names.push(name.into());
        self.index.insert(name.into(), index);
        index
    }
}

/// The table of an evaluation.
#[derive(Debug, Default)]
pub struct Table {
    /// Every evaluated case, in file order.
    pub rows: Vec<Row>,
    /// The categories that occur.
    pub categories: Vec<Box<str>>,
    /// The finding labels that occur (`H001`, `R001:regla`).
    pub findings: Vec<Box<str>>,
    /// The lists of finding labels that occur (indexes in `findings`, in the order found); the
    /// first is the empty list.
    pub finding_sets: Vec<Box<[u32]>>,
    /// Every rejected row, in the order rejected.
    pub rejected: Vec<RejectedRow>,
}

/// Builds a [`Table`] as the run hands out cases and rejections.
#[derive(Debug, Default)]
pub struct TableBuilder {
    rows: Vec<Row>,
    categories: Interner,
    findings: Interner,
    finding_sets: Vec<Box<[u32]>>,
    set_index: HashMap<Box<[u32]>, u32>,
    rejected: Vec<RejectedRow>,
}

impl TableBuilder {
    /// Keeps what the table needs of `evaluation`.
    pub fn add(&mut self, evaluation: &Evaluation<'_>) {
        let labels: Box<[u32]> = finding_list(evaluation)
            .iter()
            .map(|label| self.findings.intern(label))
            .collect();
        let findings = self.finding_set(labels);
        let outcome = Outcome::ALL
            .iter()
            .position(|o| *o == evaluation.outcome)
            .and_then(|i| u8::try_from(i).ok())
            .unwrap_or(0);
        self.rows.push(Row {
            id: evaluation.case_id.as_str().into(),
            findings,
            deadline: evaluation.deadline.unwrap_or(NONE),
            solved: evaluation.solved_at.unwrap_or(NONE),
            days_late: i32::try_from(evaluation.days_late).unwrap_or(i32::MAX),
            category: u16::try_from(self.categories.intern(evaluation.category)).unwrap_or(u16::MAX),
            version: u16::try_from(evaluation.policy_version).unwrap_or(u16::MAX),
            outcome,
        });
    }

    /// The index of the list of finding labels `labels`, stored once.
    fn finding_set(&mut self, labels: Box<[u32]>) -> u32 {
        if self.finding_sets.is_empty() {
            self.finding_sets.push(Box::default());
            self.set_index.insert(Box::default(), 0);
        }
        if let Some(&index) = self.set_index.get(&labels) {
            return index;
        }
        let index = u32::try_from(self.finding_sets.len()).unwrap_or(u32::MAX);
        self.finding_sets.push(labels.clone());
        self.set_index.insert(labels, index);
        index
    }

    /// Keeps `rejection`.
    pub fn reject(&mut self, rejection: &Rejection) {
        self.rejected.push(RejectedRow {
            file: rejection.file,
            line: rejection.line,
            case_id: rejection.case_id.as_str().into(),
            code: rejection.code,
            reason: rejection.reason.as_str().into(),
        });
    }

    /// The finished table.
    pub fn finish(mut self) -> Table {
        self.rows.shrink_to_fit();
        self.rejected.shrink_to_fit();
        Table {
            rows: self.rows,
            categories: self.categories.names,
            findings: self.findings.names,
            finding_sets: self.finding_sets,
            rejected: self.rejected,
        }
    }
}

/// What the visitor asked for, from the address's query (every field optional, so any address
/// opens a page).
#[derive(Debug, Default, Clone, serde::Deserialize)]
pub struct Query {
    /// Part of a case id.
    pub q: Option<String>,
    /// An outcome's machine value (`met`, `breached`…).
    pub resultado: Option<String>,
    /// A category, as the policy writes it.
    pub categoria: Option<String>,
    /// A finding label (`H001`, `R001:regla`).
    pub hallazgo: Option<String>,
    /// The page of the case table, from 1.
    pub pagina: Option<String>,
    /// The page of the rejected rows, from 1.
    pub rpagina: Option<String>,
}

impl Query {
    /// A field given and not blank.
    pub fn given(field: Option<&String>) -> Option<&str> {
        field.map(|v| v.trim()).filter(|v| !v.is_empty())
    }

    /// A page number (1 when absent or not a number).
    pub fn page(field: Option<&String>) -> usize {
        Self::given(field)
            .and_then(|v| v.parse::<usize>().ok())
            .filter(|&n| n > 0)
            .unwrap_or(1)
    }
}

/// Rows per page.
pub const PAGE: usize = 50;

/// The rows a query selects: how many match, and those of the page asked for.
#[derive(Debug)]
pub struct Selection<'a> {
    /// Rows that match.
    pub matching: usize,
    /// The page shown (clamped to the last page).
    pub page: usize,
    /// How many pages the matching rows fill (at least 1).
    pub pages: usize,
    /// Index of the first row shown among those that match (0-based).
    pub first: usize,
    /// The rows of the page.
    pub rows: Vec<&'a Row>,
}

/// `index` of `name` among `names`; `Some(u32::MAX)` (matches nothing) when it does not occur.
fn wanted(names: &[Box<str>], name: Option<&str>) -> Option<u32> {
    name.map(|name| {
        names
            .iter()
            .position(|n| &**n == name)
            .and_then(|i| u32::try_from(i).ok())
            .unwrap_or(u32::MAX)
    })
}

impl Table {
    /// The rows `query` selects, the page it asks for.
    pub fn select(&self, query: &Query) -> Selection<'_> {
        let text = Query::given(query.q.as_ref());
        let outcome = Query::given(query.resultado.as_ref()).map(|value| {
            Outcome::ALL
                .iter()
                .position(|o| o.value() == value)
                .and_then(|i| u8::try_from(i).ok())
                .unwrap_or(u8::MAX)
        });
        let category = wanted(&self.categories, Query::given(query.categoria.as_ref()))
            .map(|c| u16::try_from(c).unwrap_or(u16::MAX));
        // For a finding asked for, which lists of findings have it.
        let finding = wanted(&self.findings, Query::given(query.hallazgo.as_ref())).map(|f| {
            self.finding_sets
                .iter()
                .map(|set| set.contains(&f))
                .collect::<Vec<bool>>()
        });
        let matching: Vec<&Row> = self
            .rows
            .iter()
            .filter(|row| {
                outcome.is_none_or(|o| row.outcome == o)
                    && category.is_none_or(|c| row.category == c)
                    && finding
                        .as_ref()
                        .is_none_or(|sets| sets.get(row.findings as usize).copied().unwrap_or(false))
                    && text.is_none_or(|t| row.id.contains(t))
            })
            .collect();
        let pages = matching.len().div_ceil(PAGE).max(1);
        let page = Query::page(query.pagina.as_ref()).min(pages);
        let first = (page - 1) * PAGE;
        let rows = matching.iter().skip(first).take(PAGE).copied().collect();
        Selection {
            matching: matching.len(),
            page,
            pages,
            first,
            rows,
        }
    }

    /// Whether the export has case `id` (evaluated or in a rejected row).
    pub fn has_case(&self, id: &str) -> bool {
        self.rows.iter().any(|row| &*row.id == id) || self.rejected.iter().any(|row| &*row.case_id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn evaluation(id: &str, category: &'static str, outcome: Outcome) -> Evaluation<'static> {
        Evaluation {
            case_id: id.to_owned(),
            category,
            policy_version: 11,
            exception: None,
            registered_at: 0,
            received_at: 0,
            deadline: Some(100),
            solved_at: None,
            paused_seconds: 0,
            outcome,
            days_late: 0,
            findings: Vec::new(),
            utc_offset_seconds: 0,
        }
    }

    #[test]
    fn filters_narrow_and_pages_cut_at_fifty() {
        let mut builder = TableBuilder::default();
        for n in 0..120 {
            let outcome = if n % 2 == 0 {
                Outcome::Met
            } else {
                Outcome::Breached
            };
            let category = if n % 3 == 0 { "a" } else { "b" };
            builder.add(&evaluation(&format!("C{n}"), category, outcome));
        }
        let table = builder.finish();
        assert_eq!(table.categories.len(), 2);
        let all = table.select(&Query::default());
        assert_eq!((all.matching, all.pages, all.rows.len()), (120, 3, 50));
        let last = table.select(&Query {
            pagina: Some("9".into()),
            ..Query::default()
        });
        assert_eq!((last.page, last.first, last.rows.len()), (3, 100, 20));
        let met = table.select(&Query {
            resultado: Some("met".into()),
            categoria: Some("a".into()),
            ..Query::default()
        });
        assert_eq!(met.matching, 20);
        assert!(met.rows.iter().all(|r| r.outcome() == Outcome::Met));
        let one = table.select(&Query {
            q: Some("C11".into()),
            ..Query::default()
        });
        assert_eq!(one.matching, 11, "C11 and C110…C119");
        let unknown = table.select(&Query {
            categoria: Some("z".into()),
            ..Query::default()
        });
        assert_eq!(unknown.matching, 0);
        assert!(table.has_case("C7") && !table.has_case("C7000"));
    }

    #[test]
    fn a_row_is_small_and_findings_filter_by_label() {
        use crate::cases::codes::{Finding, FindingCode};
        assert!(std::mem::size_of::<Row>() <= 48, "{}", std::mem::size_of::<Row>());
        let mut builder = TableBuilder::default();
        for n in 0..10 {
            let mut case = evaluation(&format!("C{n}"), "a", Outcome::Met);
            if n % 3 == 0 {
                case.findings.push(Finding::new(FindingCode::StateMismatch, "x"));
            }
            if n % 2 == 0 {
                case.findings
                    .push(Finding::of_rule(FindingCode::RuleFailed, "regla", "y"));
            }
            builder.add(&case);
        }
        let table = builder.finish();
        assert_eq!(table.finding_sets.len(), 4, "none, both, R001 alone, H008 alone");
        let with = |label: &str| {
            table
                .select(&Query {
                    hallazgo: Some(label.into()),
                    ..Query::default()
                })
                .matching
        };
        assert_eq!((with("H008"), with("R001:regla"), with("H001")), (4, 5, 0));
    }
}
