//! What a front end decides before asking for a report, the same in the command line and the
//! workbench: how a typed instant is read (the local "now", the generation instant by default,
//! is `PolicySet::local_now`),
//! the month reported on by default (the calendar month before the generation instant), the
//! as-of instant (the month's last second unless one is chosen), and the warnings shown beside
//! a finished report.

use super::model::Report;
use super::month::Month;
use crate::calendar::LocalSeconds;
use crate::cases::dates::DateReader;
use crate::cases::{Mapping, Summary};

/// Reads a local instant typed by a person ('AAAA-MM-DD HH:MM:SS', or a format of the mapping),
/// as `--as-of` and `--generated-at` are read.
pub fn parse_instant(mapping: &Mapping, text: &str) -> Option<LocalSeconds> {
    DateReader::new(&mapping.date_formats).parse(text)
}

/// The month reported on when none is asked for: the calendar month before `generated_at`.
pub fn default_month(generated_at: LocalSeconds) -> Option<Month> {
    Month::of_instant(generated_at).map(Month::previous)
}

/// The instant the month's cases are judged at: the one chosen, or the month's last second
/// (open cases are judged at the close of the month reported on).
pub fn as_of_for(month: Month, chosen: Option<LocalSeconds>) -> LocalSeconds {
    chosen.unwrap_or_else(|| month.last_instant())
}

/// The warnings that go beside a finished report, in Spanish, without a prefix: the columns the
/// export lacks, and a sample size asked for (`size_asked`) that does not apply because no case
/// was solved in the month, and how the history was read when memory was short.
pub fn warnings(report: &Report, summary: &Summary, size_asked: bool) -> Vec<String> {
    let mut warnings = summary.absent_columns.clone();
    warnings.extend(summary.history_note.clone());
    if size_asked && !report.has_population() {
        warnings.push(SIZE_NOT_APPLIED.to_owned());
    }
    warnings
}

/// The warning for a sample size asked for in a month without solved cases.
pub const SIZE_NOT_APPLIED: &str =
    "--size no se aplica: ningún caso se solucionó en el mes, así que no hay muestra";

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests may panic: a failed unwrap is a failed test"
)]
mod tests {
    use super::*;
    use crate::policy::PolicySet;

    #[test]
    fn the_default_month_is_the_one_before_and_the_cut_its_last_second() {
        let mapping = Mapping::embedded().unwrap();
        let generated = parse_instant(&mapping, "2024-07-03 10:00:00").unwrap();
        let month = default_month(generated).unwrap();
        assert_eq!(month.key(), "2024-06");
        assert_eq!(as_of_for(month, None), month.last_instant());
        assert_eq!(as_of_for(month, Some(generated)), generated);
        assert!(parse_instant(&mapping, "ayer").is_none());
    }

    #[test]
    fn local_time_is_bogota_time() {
        let set = PolicySet::embedded().unwrap();
        assert_eq!(set.utc_offset_seconds(), -18_000);
        let none = PolicySet {
            policies: Vec::new(),
            calendars: Vec::new(),
        };
        assert_eq!(none.utc_offset_seconds(), -18_000);
    }
}
