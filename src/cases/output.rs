//! Writing evaluations (DESIGN.md §4: CSV or JSON lines, exactly its columns) and rejected rows.

use std::io::Write;

use super::codes::Rejection;
use super::model::Evaluation;
use crate::calendar::clock::{LocalSeconds, SECONDS_PER_DAY, civil_of_epoch_day, date_of_epoch_day};
use crate::text::neutralise;
use chrono::Datelike;

/// Columns of `pauta evaluate`, in order.
pub const COLUMNS: [&str; 12] = [
    "case_id",
    "category",
    "policy_version",
    "exception",
    "registered_at",
    "received_at",
    "deadline",
    "solved_at",
    "paused_seconds",
    "outcome",
    "days_late",
    "findings",
];

/// Columns of the rejected-rows file, in order (Spanish: its readers are the service desk).
pub const REJECTED_COLUMNS: [&str; 6] = ["archivo", "línea", "caso", "código", "motivo", "fila"];

/// Output format of evaluations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// CSV with a header row.
    Csv,
    /// One JSON object per line.
    JsonLines,
}

/// `2024-03-05T17:00:00-05:00`: local seconds with the calendar's UTC offset.
pub fn timestamp(at: LocalSeconds, utc_offset_seconds: i32) -> String {
    let mut text = String::with_capacity(25);
    push_timestamp(&mut text, at, utc_offset_seconds);
    text
}

/// `value`'s last two decimal digits, as ASCII.
fn two_digits(value: i64) -> [u8; 2] {
    let value = value.rem_euclid(100);
    [b'0' + (value / 10) as u8, b'0' + (value % 10) as u8]
}

/// Appends the RFC 3339 form of `at` to `text`. Written as bytes and appended once: every row
/// of an evaluation has up to four of them.
pub fn push_timestamp(text: &mut String, at: LocalSeconds, utc_offset_seconds: i32) {
    let day = at.div_euclid(SECONDS_PER_DAY);
    let seconds = at.rem_euclid(SECONDS_PER_DAY);
    let (year, month, day_of_month) = civil_of_epoch_day(day);
    let four_digits = (0..=9999).contains(&year);
    if !four_digits {
        // Far dates: chrono's range and its sign-and-padding form.
        let Some(date) = date_of_epoch_day(day) else {
            return;
        };
        text.push_str(&format!("{:+05}", date.year()));
    }
    let [y1, y2] = two_digits(year / 100);
    let [y3, y4] = two_digits(year % 100);
    let [mo1, mo2] = two_digits(i64::from(month));
    let [d1, d2] = two_digits(i64::from(day_of_month));
    let [h1, h2] = two_digits(seconds / 3600);
    let [mi1, mi2] = two_digits(seconds / 60 % 60);
    let [s1, s2] = two_digits(seconds % 60);
    let date_and_time = [
        y1, y2, y3, y4, b'-', mo1, mo2, b'-', d1, d2, b'T', h1, h2, b':', mi1, mi2, b':', s1, s2,
    ];
    let mut bytes = [0_u8; 25];
    // The year is already written when it has not four digits.
    let skip = if four_digits { 0 } else { 4 };
    bytes[..19].copy_from_slice(&date_and_time);
    let offset = i64::from(utc_offset_seconds);
    let length = if offset == 0 {
        bytes[19] = b'Z';
        20
    } else {
        let [oh1, oh2] = two_digits(offset.abs() / 3600);
        let [om1, om2] = two_digits(offset.abs() / 60 % 60);
        let sign = if offset < 0 { b'-' } else { b'+' };
        bytes[19..25].copy_from_slice(&[sign, oh1, oh2, b':', om1, om2]);
        25
    };
    text.push_str(std::str::from_utf8(&bytes[skip..length]).unwrap_or_default());
}

/// A CSV writer's error as the I/O error under it (so a closed pipe stays a closed pipe).
pub(crate) fn io_error(error: csv::Error) -> std::io::Error {
    match error.into_kind() {
        csv::ErrorKind::Io(error) => error,
        other => std::io::Error::other(format!("{other:?}")),
    }
}

/// Appends to `out` the `|`-separated finding labels (those of [`finding_list`], each once, in
/// order of first appearance) without a string per finding: a finding is skipped when an
/// earlier one has the same code and rule, hence the same label.
pub fn push_finding_codes(out: &mut String, evaluation: &Evaluation<'_>) {
    let findings = &evaluation.findings;
    for (at, finding) in findings.iter().enumerate() {
        let seen = findings[..at]
            .iter()
            .any(|earlier| earlier.code == finding.code && earlier.rule == finding.rule);
        if seen {
            continue;
        }
        if !out.is_empty() {
            out.push('|');
        }
        out.push_str(finding.code.code());
        if let Some(rule) = &finding.rule {
            out.push(':');
            out.push_str(rule);
        }
    }
}

/// The finding labels, each once, in order of first appearance (the JSON shape every command
/// uses: an array of `H001`, `R001:<rule>`…).
pub fn finding_list(evaluation: &Evaluation<'_>) -> Vec<String> {
    let mut codes: Vec<String> = Vec::new();
    for finding in &evaluation.findings {
        let code = finding.label();
        if !codes.contains(&code) {
            codes.push(code);
        }
    }
    codes
}

/// Writes evaluations in one of the formats; the CSV header is written on creation.
pub struct EvaluationWriter<W: Write> {
    format: Format,
    csv: Option<csv::Writer<W>>,
    json: Option<W>,
    line: String,
    /// Reused buffers of the CSV fields that are formatted (numbers, timestamps, findings).
    fields: [String; 8],
}

impl<W: Write> EvaluationWriter<W> {
    /// A writer over `out`.
    pub fn new(out: W, format: Format) -> std::io::Result<Self> {
        let mut writer = Self {
            format,
            csv: None,
            json: None,
            line: String::with_capacity(256),
            fields: Default::default(),
        };
        match format {
            Format::Csv => {
                let mut csv = csv::WriterBuilder::new().from_writer(out);
                csv.write_record(COLUMNS).map_err(io_error)?;
                writer.csv = Some(csv);
            }
            Format::JsonLines => writer.json = Some(out),
        }
        Ok(writer)
    }

    /// Writes one evaluation.
    pub fn write(&mut self, evaluation: &Evaluation<'_>) -> std::io::Result<()> {
        let offset = evaluation.utc_offset_seconds;
        match self.format {
            Format::Csv => {
                let Some(csv) = self.csv.as_mut() else {
                    return Ok(());
                };
                use std::fmt::Write as _;
                let [
                    version,
                    paused,
                    late,
                    registered,
                    received,
                    deadline,
                    solved,
                    findings,
                ] = &mut self.fields;
                for field in [
                    &mut *findings,
                    &mut *version,
                    &mut *paused,
                    &mut *late,
                    &mut *registered,
                    &mut *received,
                    &mut *deadline,
                    &mut *solved,
                ] {
                    field.clear();
                }
                let _ = write!(version, "{}", evaluation.policy_version);
                let _ = write!(paused, "{}", evaluation.paused_seconds);
                let _ = write!(late, "{}", evaluation.days_late);
                push_finding_codes(findings, evaluation);
                push_timestamp(registered, evaluation.registered_at, offset);
                push_timestamp(received, evaluation.received_at, offset);
                for (field, at) in [
                    (&mut *deadline, evaluation.deadline),
                    (&mut *solved, evaluation.solved_at),
                ] {
                    if let Some(at) = at {
                        push_timestamp(field, at, offset);
                    }
                }
                csv.write_record([
                    evaluation.case_id.as_str(),
                    evaluation.category,
                    version.as_str(),
                    evaluation.exception.unwrap_or_default(),
                    registered.as_str(),
                    received.as_str(),
                    deadline.as_str(),
                    solved.as_str(),
                    paused.as_str(),
                    evaluation.outcome.value(),
                    late.as_str(),
                    findings.as_str(),
                ])
                .map_err(io_error)?;
            }
            Format::JsonLines => {
                let Some(out) = self.json.as_mut() else {
                    return Ok(());
                };
                let optional = |at: Option<LocalSeconds>| at.map(|at| timestamp(at, offset));
                let value = serde_json::json!({
                    "case_id": evaluation.case_id,
                    "category": evaluation.category,
                    "policy_version": evaluation.policy_version,
                    "exception": evaluation.exception,
                    "registered_at": timestamp(evaluation.registered_at, offset),
                    "received_at": timestamp(evaluation.received_at, offset),
                    "deadline": optional(evaluation.deadline),
                    "solved_at": optional(evaluation.solved_at),
                    "paused_seconds": evaluation.paused_seconds,
                    "outcome": evaluation.outcome.value(),
                    "days_late": evaluation.days_late,
                    "findings": finding_list(evaluation),
                });
                self.line.clear();
                self.line.push_str(&value.to_string());
                self.line.push('\n');
                out.write_all(self.line.as_bytes())?;
            }
        }
        Ok(())
    }

    /// Flushes the output.
    pub fn finish(mut self) -> std::io::Result<()> {
        if let Some(csv) = self.csv.as_mut() {
            csv.flush()?;
        }
        if let Some(out) = self.json.as_mut() {
            out.flush()?;
        }
        Ok(())
    }
}

/// Writes rejected rows as CSV in the Excel es-CO profile (its readers are the service desk:
/// BOM, `;`, CRLF, and cells from the export that start like a formula neutralised), header on
/// creation.
pub struct RejectedWriter<W: Write> {
    csv: csv::Writer<W>,
}

impl<W: Write> RejectedWriter<W> {
    /// A writer over `out`.
    pub fn new(out: W) -> std::io::Result<Self> {
        let mut csv = crate::excel::csv_writer(out)?;
        csv.write_record(REJECTED_COLUMNS).map_err(io_error)?;
        Ok(Self { csv })
    }

    /// Writes one rejected row.
    pub fn write(&mut self, rejection: &Rejection) -> std::io::Result<()> {
        let line = rejection.line.to_string();
        let reason = format!("{}: {}", rejection.code.meaning(), rejection.reason);
        self.csv
            .write_record([
                rejection.file.label(),
                &line,
                &neutralise(&rejection.case_id),
                rejection.code.code(),
                &neutralise(&reason),
                &neutralise(&rejection.row),
            ])
            .map_err(io_error)?;
        Ok(())
    }

    /// Flushes the output.
    pub fn finish(mut self) -> std::io::Result<()> {
        self.csv.flush()
    }
}

/// The rejected-rows file of a run: created when the first row is rejected (a run without
/// rejections leaves no file), written beside its target and put in place by
/// [`RejectedFile::finish`].
pub struct RejectedFile {
    path: std::path::PathBuf,
    open: Option<(
        RejectedWriter<std::io::BufWriter<std::fs::File>>,
        crate::atomic::Pending,
    )>,
}

impl RejectedFile {
    /// The file that rejected rows will go to.
    pub fn new(path: std::path::PathBuf) -> Self {
        Self { path, open: None }
    }

    /// Writes one rejected row, creating the file on the first.
    pub fn write(&mut self, rejection: &Rejection) -> std::io::Result<()> {
        if self.open.is_none() {
            let (file, pending) = crate::atomic::create(&self.path)?;
            let writer = RejectedWriter::new(std::io::BufWriter::new(file))?;
            self.open = Some((writer, pending));
        }
        match self.open.as_mut() {
            Some((writer, _)) => writer.write(rejection),
            None => Ok(()),
        }
    }

    /// Where the file goes.
    pub fn path(&self) -> &std::path::Path {
        &self.path
    }

    /// Puts the file in place; its path when some row was rejected, `None` when none was.
    pub fn finish(self) -> std::io::Result<Option<std::path::PathBuf>> {
        match self.open {
            Some((writer, pending)) => {
                writer.finish()?;
                pending.commit()?;
                Ok(Some(self.path))
            }
            None => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cases::codes::{Finding, FindingCode};
    use crate::cases::model::Outcome;

    /// The timestamp as chrono's calendar gives it: four-digit years padded, others signed
    /// (`+10000`, `-0001`), nothing past chrono's range; `Z` or the offset.
    fn chrono_timestamp(at: LocalSeconds, offset: i32) -> String {
        use chrono::Timelike;
        let Some(date) = date_of_epoch_day(at.div_euclid(SECONDS_PER_DAY)) else {
            return String::new();
        };
        let time = chrono::NaiveTime::from_num_seconds_from_midnight_opt(
            u32::try_from(at.rem_euclid(SECONDS_PER_DAY)).unwrap_or(0),
            0,
        )
        .unwrap_or_default();
        let year = if (0..=9999).contains(&date.year()) {
            format!("{:04}", date.year())
        } else {
            format!("{:+05}", date.year())
        };
        let zone = match offset {
            0 => "Z".to_owned(),
            _ => format!(
                "{}{:02}:{:02}",
                if offset < 0 { '-' } else { '+' },
                offset.abs() / 3600,
                offset.abs() / 60 % 60
            ),
        };
        format!(
            "{year}-{:02}-{:02}T{:02}:{:02}:{:02}{zone}",
            date.month(),
            date.day(),
            time.hour(),
            time.minute(),
            time.second()
        )
    }

    proptest::proptest! {
        /// Timestamps are written as chrono's calendar reads them, near and far.
        #[test]
        fn timestamps_are_written_as_chrono_dates(
            at in proptest::prop_oneof![
                -100_000_000_000_i64..100_000_000_000,
                -10_000_000_000_000_i64..10_000_000_000_000,
            ],
            offset in proptest::prop_oneof![
                proptest::strategy::Just(0_i32),
                proptest::strategy::Just(-18_000),
                proptest::strategy::Just(19_800),
                -50_000_i32..50_000,
            ],
        ) {
            proptest::prop_assert_eq!(timestamp(at, offset), chrono_timestamp(at, offset));
        }
    }

    #[test]
    fn the_findings_column_lists_each_label_once_in_order() {
        let findings = vec![
            Finding::new(FindingCode::IllegalTransition, "a"),
            Finding::of_rule(FindingCode::RuleFailed, "aprobación", "b"),
            Finding::new(FindingCode::IllegalTransition, "c"),
            Finding::of_rule(FindingCode::RuleFailed, "socialización", "d"),
            Finding::of_rule(FindingCode::RuleFailed, "aprobación", "e"),
            Finding::of_rule(FindingCode::RuleWarning, "aprobación", "f"),
        ];
        let evaluation = Evaluation {
            case_id: "1".to_owned(),
            category: "",
            policy_version: 11,
            exception: None,
            registered_at: 0,
            received_at: 0,
            deadline: None,
            solved_at: None,
            paused_seconds: 0,
            outcome: Outcome::Met,
            days_late: 0,
            findings,
            utc_offset_seconds: 0,
        };
        let mut column = String::new();
        push_finding_codes(&mut column, &evaluation);
        assert_eq!(column, finding_list(&evaluation).join("|"));
        assert_eq!(column, "H001|R001:aprobación|R001:socialización|R002:aprobación");
    }

    #[test]
    fn rfc3339_with_the_calendar_offset() {
        // 2024-03-05 17:00:00 local.
        let at = 19_787 * SECONDS_PER_DAY + 17 * 3600;
        assert_eq!(timestamp(at, -18_000), "2024-03-05T17:00:00-05:00");
        assert_eq!(timestamp(at, 0), "2024-03-05T17:00:00Z");
        assert_eq!(timestamp(at, 19_800), "2024-03-05T17:00:00+05:30");
    }
}
