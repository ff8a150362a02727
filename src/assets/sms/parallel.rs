//! Checking an SMS list in parts on several threads: the text is split near equal shares, each
//! part is checked on its own, and the parts are merged in file order (absolute lines, repeated
//! cédulas across parts).

use super::super::input::{self, CsvText};
use super::super::{Code, Counts, Severity};
use super::rows::{Problem, RowChecker, finding, layout};
use super::{SmsReport, missing_column, rules};
use crate::line_ends::line_start_at;
use crate::policy::model::SmsLimits;

/// Inputs smaller than this are checked on one thread.
const PARALLEL_MIN_BYTES: usize = 1 << 20;

/// What one worker found in its part of the file. Lines are relative to the part's first byte
/// (the merge adds the part's first line), so workers need not count what comes before them.
#[derive(Default)]
struct ChunkResult {
    /// Problems of the rows, in order, with their relative line.
    problems: Vec<(u64, Problem)>,
    rows: usize,
    clean: usize,
    warnings: usize,
    errors: usize,
    /// Every valid cédula with its relative line and the row's status before the duplicate
    /// check (0 clean, 1 warnings, 2 errors), sorted by cédula and line.
    keys: Vec<(u64, u64, u8)>,
    /// Line breaks in the bytes this part consumed.
    newlines: u64,
    /// The part ended exactly where the next one starts (or at the end of the file). When not,
    /// this worker read on to the end and the later parts are discarded.
    aligned: bool,
}

/// Check the records of `text` (no header) until a record starts at `limit` (relative to
/// `text`). A record that straddles `limit` means the split was not on a record boundary (a
/// quoted line break): then read on to the end.
fn check_chunk(text: &str, limit: usize, delimiter: u8, checker: &RowChecker<'_>) -> ChunkResult {
    let mut out = ChunkResult::default();
    let bytes = text.as_bytes();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut record = csv::StringRecord::new();
    let mut problems = Vec::new();
    let mut lines = input::LineCounter::over(bytes, 0);
    let mut limit = limit;
    let mut end = bytes.len();
    out.aligned = true;
    out.keys.reserve(limit.min(bytes.len()) / 96);
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                // The text is decoded already; defensive: count the row and report it.
                out.rows += 1;
                out.errors += 1;
                let line = lines.of(e.position());
                out.problems.push((
                    line,
                    Problem {
                        code: Code::S011,
                        column: None,
                        reason: format!("la fila no se pudo leer ({e})."),
                    },
                ));
                continue;
            }
        }
        let offset = record
            .position()
            .map_or(0, |p| input::record_start(bytes, p.byte()));
        if offset >= limit {
            if offset == limit {
                end = limit;
                break;
            }
            out.aligned = false;
            limit = usize::MAX;
        }
        out.rows += 1;
        let line = lines.of(record.position());
        problems.clear();
        let key = checker.check(&record, &mut problems);
        let status = if problems.is_empty() {
            0
        } else if problems.iter().any(|p| p.code.severity() == Severity::Error) {
            2
        } else {
            1
        };
        if let Some(key) = key {
            out.keys.push((key, line, status));
        }
        match status {
            2 => out.errors += 1,
            1 => out.warnings += 1,
            _ => out.clean += 1,
        }
        out.problems.extend(problems.drain(..).map(|p| (line, p)));
    }
    out.newlines = lines.newlines_before(end);
    // Sorted here, in parallel; the merge finds the repeats in one pass over all parts.
    out.keys.sort_unstable();
    out
}

/// Split points of `data` for `parts` workers: just after the first line break at or after each
/// equal share. The text is decoded, so its line ends are LF or CRLF (a lone CR was read as LF).
fn split_points(data: &[u8], parts: usize) -> Vec<usize> {
    let mut points = vec![0];
    for k in 1..parts {
        let target = data.len() * k / parts;
        let from = target.max(points.last().copied().unwrap_or(0));
        // A line start after `from`; at the end of the data only when a line break ends it.
        match line_start_at(data, from + 1, true) {
            Some(at) if at < data.len() || data.ends_with(b"\n") => points.push(at),
            _ => break,
        }
    }
    points.dedup();
    points
}

/// Check decoded text, on `parts` threads (by default, as many as the machine has, up to 8, for
/// inputs of 1 MiB or more).
pub(super) fn check_decoded(
    name: &str,
    csv: &CsvText,
    limits: &SmsLimits,
    policy: &str,
    parts: Option<usize>,
) -> SmsReport {
    let mut reader = input::reader(csv);
    let headers = reader.headers().cloned().unwrap_or_default();
    let data_start = usize::try_from(reader.position().byte())
        .unwrap_or(usize::MAX)
        .min(csv.text.len());
    let (layout, columns) = layout(&headers, limits);
    let mut findings = Vec::new();
    for missing in &layout.missing {
        findings.push(missing_column(name, missing, limits));
    }
    let checker = RowChecker::new(limits, &layout);
    let text = csv.text.get(data_start..).unwrap_or("");
    let data = text.as_bytes();
    let parts = parts.unwrap_or(if data.len() < PARALLEL_MIN_BYTES {
        1
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get().min(8))
    });
    let points = split_points(data, parts);
    let results = check_parts(text, &points, csv.delimiter, &checker);

    // Merge in file order: absolute lines, and duplicates across parts.
    let header_lines = csv
        .text
        .as_bytes()
        .get(..data_start)
        .map_or(0, |h| h.iter().filter(|b| **b == b'\n').count()) as u64;
    // Parts that count: up to the first one that had to read on to the end.
    let used = results
        .iter()
        .position(|r| !r.aligned)
        .map_or(results.len(), |i| i + 1);
    let results = results.get(..used).unwrap_or_default();
    let mut bases = Vec::with_capacity(results.len());
    let mut base = 1 + header_lines;
    let mut rows = 0usize;
    let mut tally = Tally::default();
    for result in results {
        bases.push(base);
        base += result.newlines;
        rows += result.rows;
        tally.clean += result.clean;
        tally.errors += result.errors;
        tally.warnings += result.warnings;
    }
    let mut repeated = repeated_cedulas(results, &bases, &checker, &mut tally);
    // Without a required column no row can be checked whole: none is without problems.
    let unchecked = if layout.missing.is_empty() { 0 } else { rows };
    if unchecked > 0 {
        tally = Tally {
            clean: 0,
            warnings: 0,
            errors: rows,
        };
    }
    repeated.sort_by_key(|(line, _)| *line);
    let own = results.iter().zip(&bases).flat_map(|(result, base)| {
        result
            .problems
            .iter()
            .map(move |(line, problem)| (base + line, problem.clone()))
    });
    for (line, problem) in merge_by_line(own, repeated) {
        findings.push(finding(name, line, &layout, problem));
    }
    let counts = Counts::of(&findings);
    SmsReport {
        file: name.to_string(),
        policy: policy.to_string(),
        encoding: csv.encoding,
        delimiter: char::from(csv.delimiter),
        columns,
        rows,
        clean_rows: tally.clean,
        error_rows: tally.errors,
        warning_rows: tally.warnings,
        unchecked_rows: unchecked,
        missing_columns: layout.missing.clone(),
        rules: rules(limits),
        findings,
        counts,
        fix: None,
    }
}

/// Check each part of `text` (starting at `points`) on its own thread; results in file order.
fn check_parts(text: &str, points: &[usize], delimiter: u8, checker: &RowChecker<'_>) -> Vec<ChunkResult> {
    let data = text.as_bytes();
    std::thread::scope(|scope| {
        let handles: Vec<_> = points
            .iter()
            .enumerate()
            .map(|(k, start)| {
                let end = points.get(k + 1).copied().unwrap_or(data.len());
                let part = text.get(*start..).unwrap_or("");
                scope.spawn(move || check_chunk(part, end - start, delimiter, checker))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    })
}

/// Rows by status, corrected as repeats are found.
#[derive(Default)]
struct Tally {
    clean: usize,
    warnings: usize,
    errors: usize,
}

/// Repeated cédulas: a k-way merge of the parts' sorted keys (lines made absolute with `bases`);
/// the first line of each cédula is the original, every later one a repeat, whose row moves to
/// the rows with errors in `tally`. The repeats come back unsorted.
fn repeated_cedulas(
    results: &[ChunkResult],
    bases: &[u64],
    checker: &RowChecker<'_>,
    tally: &mut Tally,
) -> Vec<(u64, Problem)> {
    let mut heads = vec![0usize; results.len()];
    let mut repeated: Vec<(u64, Problem)> = Vec::new();
    let mut current: Option<(u64, u64)> = None;
    loop {
        let mut best: Option<(u64, u64, u8, usize)> = None;
        for (k, result) in results.iter().enumerate() {
            let head = heads.get(k).copied().unwrap_or(usize::MAX);
            if let Some((key, line, status)) = result.keys.get(head) {
                let line = bases.get(k).copied().unwrap_or(0) + line;
                if best.is_none_or(|(bk, bl, _, _)| (*key, line) < (bk, bl)) {
                    best = Some((*key, line, *status, k));
                }
            }
        }
        let Some((key, line, status, k)) = best else { break };
        if let Some(head) = heads.get_mut(k) {
            *head += 1;
        }
        match current {
            Some((seen, first)) if seen == key => {
                repeated.push((line, checker.duplicate(key, first)));
                match status {
                    0 => tally.clean -= 1,
                    1 => tally.warnings -= 1,
                    _ => tally.errors -= 1,
                }
                tally.errors += 1;
            }
            _ => current = Some((key, line)),
        }
    }
    repeated
}

/// Merge two sequences sorted by line; on the same line the first one's items come first.
fn merge_by_line(
    a: impl Iterator<Item = (u64, Problem)>,
    b: Vec<(u64, Problem)>,
) -> impl Iterator<Item = (u64, Problem)> {
    let mut b = b.into_iter().peekable();
    let mut out = Vec::new();
    for (line, problem) in a {
        while let Some(next) = b.next_if(|(l, _)| *l < line) {
            out.push(next);
        }
        out.push((line, problem));
    }
    out.extend(b);
    out.into_iter()
}
