//! `sms check`: an SMS campaign list against the policy's `sms` block — required columns, message
//! length counted as GSM-7 does, the no-tildes rule, cédula format, empty fields and duplicates —
//! and `--fix`: a corrected file plus an errors file that together hold every input row once.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::gsm7::{diacritics, measure, transliterate, ucs2_limit};
use super::input::{self, CsvText, TextEncoding};
use super::{AssetError, Code, Counts, Finding, Location, read_file};
use crate::policy::model::SmsLimits;
use crate::text::match_key;

/// How message length is counted, stated in every report (`{max}` and `{ucs2}` filled in).
pub const LENGTH_RULE: &str = "La longitud se cuenta como la cuenta la red: en GSM-7 cada carácter vale 1 y los de extensión ^ { } \\ [ ~ ] | € valen 2, hasta {max}; un solo carácter fuera de GSM-7 (comillas tipográficas, emoji, letras con tilde como á) obliga a enviar en UCS-2, con límite de {ucs2} caracteres.";

/// A required column found (or not) in the header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ColumnMatch {
    /// Role in the policy (`nombre`, `apellido`, `cedula`, `mensaje`).
    pub role: String,
    /// Header as the procedure writes it.
    pub required: String,
    /// The header found in the file, if any.
    pub found: Option<String>,
}

/// What `--fix` wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FixSummary {
    /// Corrected file.
    pub fixed_file: String,
    /// Errors file.
    pub errors_file: String,
    /// Rows written to the corrected file.
    pub fixed_rows: usize,
    /// Of those, rows that were changed (trimmed or transliterated).
    pub changed_rows: usize,
    /// Rows written to the errors file.
    pub error_rows: usize,
    /// Errors found when the corrected file was checked again (0 when the fix worked).
    pub recheck_errors: usize,
    /// Warnings found when the corrected file was checked again.
    pub recheck_warnings: usize,
}

/// The result of checking (and maybe fixing) an SMS campaign list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SmsReport {
    /// The file as given.
    pub file: String,
    /// `CODE@VERSION` of the policy applied.
    pub policy: String,
    /// Encoding detected.
    pub encoding: TextEncoding,
    /// Delimiter detected.
    pub delimiter: char,
    /// The required columns and the headers that matched them.
    pub columns: Vec<ColumnMatch>,
    /// Data rows read (the header is not a row).
    pub rows: usize,
    /// Rows without any finding.
    pub clean_rows: usize,
    /// Rows with at least one error.
    pub error_rows: usize,
    /// Rows with warnings only.
    pub warning_rows: usize,
    /// Rows that could not be fully checked because required columns are missing; they are
    /// counted with the rows with errors (never as rows without problems).
    pub unchecked_rows: usize,
    /// The required columns that are missing (procedure names).
    pub missing_columns: Vec<String>,
    /// The rules applied, in Spanish.
    pub rules: Vec<String>,
    /// Every problem found.
    pub findings: Vec<Finding>,
    /// Error and warning counts.
    pub counts: Counts,
    /// What `--fix` wrote, when asked.
    pub fix: Option<FixSummary>,
}

impl SmsReport {
    /// Whether the command fails: errors in the file, or — with `--fix` — rows left in the errors
    /// file or errors in the corrected file (the corrected file is what gets sent).
    pub fn failed(&self) -> bool {
        match &self.fix {
            Some(fix) => fix.error_rows > 0 || fix.recheck_errors > 0,
            None => self.counts.errors > 0,
        }
    }
}

/// Multiplicative hash for the cédula numbers (u64 keys, no hostile input to fear: a collision
/// only costs time).
#[derive(Default)]
struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(*b)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (n ^ (n >> 29)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

type IdMap = HashMap<u64, u64, BuildHasherDefault<IdHasher>>;

/// One problem of a row, before it becomes a [`Finding`].
#[derive(Clone)]
struct Problem {
    code: Code,
    column: Option<usize>,
    reason: String,
}

/// Column roles resolved against the header.
struct Layout {
    /// (procedure name, header index) of the required columns present.
    present: Vec<(String, usize)>,
    /// Index of the cédula column.
    cedula: Option<usize>,
    /// Index of the message column.
    message: Option<usize>,
    /// Missing required columns (procedure names).
    missing: Vec<String>,
    /// Header names.
    headers: Vec<String>,
}

fn layout(headers: &csv::StringRecord, limits: &SmsLimits) -> (Layout, Vec<ColumnMatch>) {
    let mut matches = Vec::new();
    let mut present = Vec::new();
    let mut missing = Vec::new();
    let (mut cedula, mut message) = (None, None);
    for column in &limits.columns {
        let names = std::iter::once(column.name.as_str()).chain(column.aliases.iter().map(String::as_str));
        let index = input::find_column(headers, names);
        matches.push(ColumnMatch {
            role: column.role.clone(),
            required: column.name.clone(),
            found: index.and_then(|i| headers.get(i)).map(str::to_string),
        });
        match index {
            Some(i) => {
                present.push((column.name.clone(), i));
                match match_key(&column.role).as_str() {
                    "cedula" => cedula = Some(i),
                    "mensaje" => message = Some(i),
                    _ => {}
                }
            }
            None => missing.push(column.name.clone()),
        }
    }
    let layout = Layout {
        present,
        cedula,
        message,
        missing,
        headers: headers.iter().map(str::to_string).collect(),
    };
    (layout, matches)
}

/// Access to the fields of one row, whether read from the file or repaired.
trait Row {
    fn field(&self, i: usize) -> Option<&str>;
    fn count(&self) -> usize;
}

impl Row for csv::StringRecord {
    fn field(&self, i: usize) -> Option<&str> {
        self.get(i)
    }
    fn count(&self) -> usize {
        self.len()
    }
}

impl Row for Vec<String> {
    fn field(&self, i: usize) -> Option<&str> {
        self.get(i).map(String::as_str)
    }
    fn count(&self) -> usize {
        self.len()
    }
}

/// The checks of one row; `dups` remembers the valid cédulas seen and their lines.
struct RowChecker<'a> {
    limits: &'a SmsLimits,
    layout: &'a Layout,
    ucs2_max: usize,
    gsm_max: Option<usize>,
}

impl RowChecker<'_> {
    /// Check one row, appending its problems (duplicates excepted); returns the cédula as a
    /// number when it is valid, for the duplicate check that the caller does in file order.
    fn check(&self, fields: &impl Row, out: &mut Vec<Problem>) -> Option<u64> {
        if fields.count() != self.layout.headers.len() {
            out.push(Problem {
                code: Code::S011,
                column: None,
                reason: format!(
                    "la fila tiene {} campo(s) y el encabezado {}; revise separadores o comillas de más o de menos (los datos podrían estar corridos de columna).",
                    fields.count(),
                    self.layout.headers.len()
                ),
            });
            return None;
        }
        // Whitespace and empties on every required column.
        for (column, index) in &self.layout.present {
            let raw = fields.field(*index).unwrap_or("");
            let value = raw.trim();
            if value.len() != raw.len() {
                out.push(Problem {
                    code: Code::S010,
                    column: Some(*index),
                    reason: "tiene espacios al inicio o al final; quítelos (--fix lo hace).".into(),
                });
            }
            if value.is_empty() {
                out.push(Problem {
                    code: Code::S002,
                    column: Some(*index),
                    reason: format!("el campo «{column}» está vacío; complételo o quite la fila."),
                });
            }
        }
        let mut key = None;
        if let Some(index) = self.layout.cedula {
            let value = fields.field(index).unwrap_or("").trim();
            if !value.is_empty() {
                key = self.check_cedula(index, value, out);
            }
        }
        if let Some(index) = self.layout.message {
            let value = fields.field(index).unwrap_or("").trim();
            if !value.is_empty() {
                self.check_message(index, value, out);
            }
        }
        key
    }

    /// The problem of a row whose cédula already appeared at line `first`.
    fn duplicate(&self, key: u64, first: u64) -> Problem {
        Problem {
            code: Code::S006,
            column: self.layout.cedula,
            reason: format!(
                "la cédula {key} ya aparece en la línea {first}; deje una sola fila por persona."
            ),
        }
    }

    fn check_cedula(&self, index: usize, value: &str, out: &mut Vec<Problem>) -> Option<u64> {
        if !value.bytes().all(|b| b.is_ascii_digit()) {
            let mut bad: Vec<char> = Vec::new();
            for c in value.chars().filter(|c| !c.is_ascii_digit()) {
                if !bad.contains(&c) && bad.len() < 5 {
                    bad.push(c);
                }
            }
            let bad: String = bad.into_iter().collect();
            out.push(Problem {
                code: Code::S003,
                column: Some(index),
                reason: format!(
                    "la cédula «{value}» tiene caracteres que no son dígitos («{bad}»); escríbala solo con números, sin puntos, espacios ni letras."
                ),
            });
            return None;
        }
        let digits = value.len();
        let mut valid = true;
        if let Some((min, max)) = self.limits.id_digits
            && (digits < min as usize || digits > max as usize)
        {
            valid = false;
            out.push(Problem {
                code: Code::S004,
                column: Some(index),
                reason: format!(
                    "la cédula «{value}» tiene {digits} dígito(s) y debe tener de {min} a {max}; verifique el número."
                ),
            });
        }
        if self.limits.id_no_leading_zero && value.starts_with('0') {
            valid = false;
            out.push(Problem {
                code: Code::S005,
                column: Some(index),
                reason: format!("la cédula «{value}» empieza por cero; las cédulas no empiezan por 0, verifique el número."),
            });
        }
        if valid { value.parse::<u64>().ok() } else { None }
    }

    fn check_message(&self, index: usize, value: &str, out: &mut Vec<Problem>) {
        let m = measure(value);
        if self.limits.no_accents && !m.ascii {
            let found = diacritics(value, &self.limits.accents_allowed);
            if !found.is_empty() {
                let shown: String = found.iter().take(8).collect();
                let allowed = if self.limits.accents_allowed.is_empty() {
                    String::new()
                } else {
                    format!(" (se permiten «{}»)", self.limits.accents_allowed)
                };
                out.push(Problem {
                    code: Code::S009,
                    column: Some(index),
                    reason: format!(
                        "el mensaje tiene tildes «{shown}»; escríbalo sin tildes{allowed}. --fix las cambia por la letra sin tilde."
                    ),
                });
            }
        }
        if let Some(c) = m.outside {
            let length = m.ucs2_units;
            if length > self.ucs2_max {
                out.push(Problem {
                    code: Code::S007,
                    column: Some(index),
                    reason: format!(
                        "el mensaje tiene {length} caracteres y contiene «{c}» (U+{:04X}), que no existe en GSM-7: se enviaría en UCS-2, cuyo límite es {}. Cambie ese carácter o acorte el mensaje en {}.",
                        u32::from(c),
                        self.ucs2_max,
                        length - self.ucs2_max
                    ),
                });
            } else {
                out.push(Problem {
                    code: Code::S008,
                    column: Some(index),
                    reason: format!(
                        "el mensaje contiene «{c}» (U+{:04X}), que no existe en GSM-7: se enviaría en UCS-2 (límite {}; tiene {length}). Cámbielo por un carácter GSM-7 para tener el límite completo.",
                        u32::from(c),
                        self.ucs2_max
                    ),
                });
            }
        } else if let Some(max) = self.gsm_max
            && m.septets > max
        {
            let chars = value.chars().count();
            let extension = if m.septets > chars {
                format!(" ({chars} caracteres; los de extensión ^ {{ }} \\ [ ~ ] | € cuentan 2)")
            } else {
                String::new()
            };
            out.push(Problem {
                code: Code::S007,
                column: Some(index),
                reason: format!(
                    "el mensaje mide {} en GSM-7{extension} y el máximo es {max}; acórtelo en {}.",
                    m.septets,
                    m.septets - max
                ),
            });
        }
    }
}

fn finding(name: &str, line: u64, layout: &Layout, problem: Problem) -> Finding {
    let column = problem.column.and_then(|i| layout.headers.get(i)).cloned();
    let mut location = Location::line(name, line);
    let message = match &column {
        Some(column) => {
            location = location.with_column(column);
            format!("`{name}` línea {line}, columna «{column}»: {}", problem.reason)
        }
        None => format!("`{name}` línea {line}: {}", problem.reason),
    };
    Finding::new(problem.code, message, location)
}

/// The rules text of a report.
fn rules(limits: &SmsLimits) -> Vec<String> {
    let mut rules = Vec::new();
    if let Some(max) = limits.max_length {
        rules.push(
            LENGTH_RULE
                .replace("{max}", &max.to_string())
                .replace("{ucs2}", &ucs2_limit(max).to_string()),
        );
    }
    if limits.no_accents {
        let allowed = if limits.accents_allowed.is_empty() {
            String::new()
        } else {
            format!(
                " Se permiten «{}» (la política los admite: son letras de GSM-7).",
                limits.accents_allowed
            )
        };
        rules.push(format!(
            "Sin tildes: el mensaje no puede tener letras con tilde, diéresis u otra marca (á, é, ü, ç…).{allowed}"
        ));
    }
    if let Some((min, max)) = limits.id_digits {
        let zero = if limits.id_no_leading_zero {
            ", sin cero inicial"
        } else {
            ""
        };
        rules.push(format!("Cédula: solo dígitos, de {min} a {max}{zero}."));
    }
    rules.push("Las líneas se numeran como en el archivo: el encabezado es la línea 1.".into());
    rules
}

/// Check an SMS campaign file on disk.
pub fn check_sms(path: &Path, limits: &SmsLimits, policy: &str) -> Result<SmsReport, AssetError> {
    let bytes = read_file(path)?;
    Ok(check_sms_bytes(
        &path.display().to_string(),
        bytes,
        limits,
        policy,
    ))
}

/// Check an SMS campaign given its bytes.
pub fn check_sms_bytes(name: &str, bytes: Vec<u8>, limits: &SmsLimits, policy: &str) -> SmsReport {
    let csv = input::decode(bytes);
    check_decoded(name, &csv, limits, policy, None)
}

/// [`check_sms_bytes`] on exactly `threads` parts (whatever the size of the input), so tests can
/// show that splitting the file never changes the report.
#[doc(hidden)]
pub fn check_sms_bytes_in_parts(
    name: &str,
    bytes: Vec<u8>,
    limits: &SmsLimits,
    policy: &str,
    threads: usize,
) -> SmsReport {
    let csv = input::decode(bytes);
    check_decoded(name, &csv, limits, policy, Some(threads.max(1)))
}

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
        } else if problems
            .iter()
            .any(|p| p.code.severity() == super::Severity::Error)
        {
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

/// Split points of `data` for `parts` workers: just after a line break near each equal share.
fn split_points(data: &[u8], parts: usize) -> Vec<usize> {
    let mut points = vec![0];
    for k in 1..parts {
        let target = data.len() * k / parts;
        let from = target.max(points.last().copied().unwrap_or(0));
        match data
            .get(from..)
            .and_then(|rest| rest.iter().position(|b| *b == b'\n'))
        {
            Some(i) => points.push(from + i + 1),
            None => break,
        }
    }
    points.dedup();
    points
}

fn check_decoded(
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
    let checker = RowChecker {
        limits,
        layout: &layout,
        ucs2_max: ucs2_limit(limits.max_length.unwrap_or(160)) as usize,
        gsm_max: limits.max_length.map(|m| m as usize),
    };
    let text = csv.text.get(data_start..).unwrap_or("");
    let data = text.as_bytes();
    let parts = parts.unwrap_or(if data.len() < PARALLEL_MIN_BYTES {
        1
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get().min(8))
    });
    let points = split_points(data, parts);
    let results: Vec<ChunkResult> = std::thread::scope(|scope| {
        let handles: Vec<_> = points
            .iter()
            .enumerate()
            .map(|(k, start)| {
                let end = points.get(k + 1).copied().unwrap_or(data.len());
                let part = text.get(*start..).unwrap_or("");
                let checker = &checker;
                scope.spawn(move || check_chunk(part, end - start, csv.delimiter, checker))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });

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
    let (mut rows, mut clean, mut with_errors, mut with_warnings) = (0usize, 0usize, 0usize, 0usize);
    for result in results {
        bases.push(base);
        base += result.newlines;
        rows += result.rows;
        clean += result.clean;
        with_errors += result.errors;
        with_warnings += result.warnings;
    }
    // Repeated cédulas: a k-way merge of the parts' sorted keys; the first line of each cédula is
    // the original, every later one a repeat.
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
                    0 => clean -= 1,
                    1 => with_warnings -= 1,
                    _ => with_errors -= 1,
                }
                with_errors += 1;
            }
            _ => current = Some((key, line)),
        }
    }
    // Without a required column no row can be checked whole: none is without problems.
    let unchecked = if layout.missing.is_empty() { 0 } else { rows };
    if unchecked > 0 {
        with_errors = rows;
        clean = 0;
        with_warnings = 0;
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
        clean_rows: clean,
        error_rows: with_errors,
        warning_rows: with_warnings,
        unchecked_rows: unchecked,
        missing_columns: layout.missing.clone(),
        rules: rules(limits),
        findings,
        counts,
        fix: None,
    }
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

fn missing_column(name: &str, missing: &str, limits: &SmsLimits) -> Finding {
    let accepted: Vec<String> = limits
        .columns
        .iter()
        .find(|c| c.name == missing)
        .map(|c| {
            std::iter::once(&c.name)
                .chain(c.aliases.iter())
                .map(|n| format!("«{n}»"))
                .collect()
        })
        .unwrap_or_default();
    Finding::new(
        Code::S001,
        format!(
            "`{name}` línea 1: falta la columna obligatoria «{missing}» (se acepta {}, sin importar mayúsculas ni tildes). Agréguela al encabezado.",
            accepted.join(", ")
        ),
        Location::line(name, 1).with_column(missing),
    )
}

/// The default errors file next to the corrected one: `out.csv` → `out.errores.csv`.
pub fn default_errors_path(fixed: &Path) -> PathBuf {
    let stem = fixed
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| "sms".into());
    fixed.with_file_name(format!("{stem}.errores.csv"))
}

/// Check a file and write the corrected file and the errors file. The corrected file holds every
/// row that passes after trimming whitespace and transliterating tildes in the message (nothing
/// else is changed); the errors file holds every other row with its line number and reasons. The
/// corrected file is then checked again, and the report says how that went.
pub fn fix_sms(
    path: &Path,
    fixed: &Path,
    errors: &Path,
    limits: &SmsLimits,
    policy: &str,
) -> Result<SmsReport, AssetError> {
    for out in [fixed, errors] {
        super::ensure_not_input(path, out)?;
    }
    if fixed == errors {
        return Err(AssetError::Unwritable {
            path: errors.display().to_string(),
            reason: "es también el archivo corregido; indique otro nombre con --errors".into(),
        });
    }
    let name = path.display().to_string();
    let csv = input::decode(read_file(path)?);
    let mut report = check_decoded(&name, &csv, limits, policy, None);

    let mut reader = input::reader(&csv);
    let headers = reader.headers().cloned().unwrap_or_default();
    let (layout, _) = layout(&headers, limits);
    let checker = RowChecker {
        limits,
        layout: &layout,
        ucs2_max: ucs2_limit(limits.max_length.unwrap_or(160)) as usize,
        gsm_max: limits.max_length.map(|m| m as usize),
    };
    let mut good = input::writer(&csv);
    let mut bad = input::writer(&csv);
    let write_err = |path: &Path, e: csv::Error| AssetError::Unwritable {
        path: path.display().to_string(),
        reason: e.to_string(),
    };
    good.write_record(&headers).map_err(|e| write_err(fixed, e))?;
    let mut bad_header = vec!["Línea".to_string()];
    bad_header.extend(headers.iter().map(str::to_string));
    bad_header.push("Motivo".into());
    bad.write_record(&bad_header).map_err(|e| write_err(errors, e))?;

    let missing_reason = (!layout.missing.is_empty()).then(|| {
        format!(
            "S001: el archivo no tiene la columna obligatoria {}; la fila no se puede revisar.",
            layout
                .missing
                .iter()
                .map(|m| format!("«{m}»"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    });
    let message_index = layout.message;
    let mut dups = IdMap::default();
    let (mut fixed_rows, mut changed_rows, mut error_rows) = (0usize, 0usize, 0usize);
    let mut problems = Vec::new();
    let mut lines = input::LineCounter::new(&csv);
    for record in reader.records() {
        let (line, original): (u64, Vec<String>) = match record {
            Ok(r) => (lines.of(r.position()), r.iter().map(str::to_string).collect()),
            Err(e) => {
                let line = lines.of(e.position());
                let row = vec![line.to_string(), format!("S011: la fila no se pudo leer ({e}).")];
                bad.write_record(&row).map_err(|e| write_err(errors, e))?;
                error_rows += 1;
                continue;
            }
        };
        let repaired: Vec<String> = if original.len() == layout.headers.len() {
            original
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    let v = v.trim();
                    if Some(i) == message_index && limits.no_accents {
                        transliterate(v, &limits.accents_allowed)
                    } else {
                        v.to_string()
                    }
                })
                .collect()
        } else {
            original.clone()
        };
        problems.clear();
        if let Some(key) = checker.check(&repaired, &mut problems) {
            match dups.get(&key) {
                Some(first) => problems.push(checker.duplicate(key, *first)),
                None => {
                    dups.insert(key, line);
                }
            }
        }
        let mut reasons: Vec<String> = problems
            .iter()
            .filter(|p| p.code.severity() == super::Severity::Error)
            .map(|p| {
                let column = p
                    .column
                    .and_then(|i| layout.headers.get(i))
                    .map(|c| format!(" (columna «{c}»)"))
                    .unwrap_or_default();
                format!("{}{column}: {}", p.code, p.reason)
            })
            .collect();
        if let Some(reason) = &missing_reason {
            reasons.insert(0, reason.clone());
        }
        if reasons.is_empty() {
            good.write_record(&repaired).map_err(|e| write_err(fixed, e))?;
            fixed_rows += 1;
            if repaired != original {
                changed_rows += 1;
            }
        } else {
            let mut row = vec![line.to_string()];
            let width = original.len().max(layout.headers.len());
            // People open the errors file in Excel: values that start like a formula are
            // neutralised there (the corrected file, which is sent, keeps them as they are).
            row.extend(
                original
                    .iter()
                    .map(|value| crate::excel::neutralise(value).into_owned()),
            );
            // Short rows are padded so that the reason stays in the «Motivo» column.
            row.resize(width + 1, String::new());
            row.push(reasons.join(" | "));
            bad.write_record(&row).map_err(|e| write_err(errors, e))?;
            error_rows += 1;
        }
    }
    let finish = |w: csv::Writer<Vec<u8>>, path: &Path| -> Result<(), AssetError> {
        let text = w.into_inner().map_err(|e| AssetError::Unwritable {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        let text = String::from_utf8_lossy(&text);
        crate::atomic::write(path, &csv.encoding.encode(&text)).map_err(|e| AssetError::Unwritable {
            path: path.display().to_string(),
            reason: e.to_string(),
        })
    };
    finish(good, fixed)?;
    finish(bad, errors)?;
    let recheck = check_sms(fixed, limits, policy)?;
    report.fix = Some(FixSummary {
        fixed_file: fixed.display().to_string(),
        errors_file: errors.display().to_string(),
        fixed_rows,
        changed_rows,
        error_rows,
        recheck_errors: recheck.counts.errors,
        recheck_warnings: recheck.counts.warnings,
    });
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::model::SmsColumn;

    fn limits() -> SmsLimits {
        let col = |role: &str, name: &str, aliases: &[&str]| SmsColumn {
            role: role.into(),
            name: name.into(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
        };
        SmsLimits {
            columns: vec![
                col("nombre", "Nombre", &[]),
                col("apellido", "Apellido", &[]),
                col("cedula", "Número de cédula", &["Cédula"]),
                col("mensaje", "Mensaje", &["Mensaje a enviar"]),
            ],
            max_length: Some(160),
            no_accents: true,
            accents_allowed: "ñÑ".into(),
            id_digits: Some((3, 10)),
            id_no_leading_zero: true,
        }
    }

    fn codes(text: &str) -> Vec<(u64, &'static str)> {
        let report = check_sms_bytes("t.csv", text.as_bytes().to_vec(), &limits(), "X@1");
        report
            .findings
            .iter()
            .map(|f| (f.location.line.unwrap_or(0), f.code.as_str()))
            .collect()
    }

    #[test]
    fn clean_file_passes() {
        let text =
            "NOMBRE;apellido;CEDULA;Mensaje a enviar\nAna;Peña;123456;Hola Ana, su credito fue aprobado\n";
        assert_eq!(codes(text), vec![]);
    }

    #[test]
    fn every_row_problem_is_named_with_its_line() {
        let long = "x".repeat(161);
        let ext = "{".repeat(81);
        let text = format!(
            "Nombre,Apellido,Cédula,Mensaje\n\
             Ana,Peña,12a4,hola\n\
             ,Peña,12,hola\n\
             Ana,Peña,0123,hola\n\
             Ana,Peña,123456,{long}\n\
             Ana,Peña,123456,{ext}\n\
             Ana,Peña,1234567,Canción\n\
             Ana,Peña, 7654321 ,“hola”\n\
             Ana,Peña\n"
        );
        assert_eq!(
            codes(&text),
            vec![
                (2, "S003"),
                (3, "S002"),
                (3, "S004"),
                (4, "S005"),
                (5, "S007"),
                (6, "S007"),
                (6, "S006"),
                (7, "S009"),
                (7, "S008"),
                (8, "S010"),
                (8, "S008"),
                (9, "S011"),
            ]
        );
    }

    #[test]
    fn missing_column_is_reported_on_line_1() {
        assert_eq!(codes("Nombre,Apellido,Cédula\nA,B,123\n"), vec![(1, "S001")]);
    }

    #[test]
    fn rows_of_a_file_without_required_columns_are_never_clean() {
        for text in ["Nombre,Apellido,Cédula\nA,B,123\nC,D,456\n", "x;y\n1;2\n3;4\n"] {
            let report = check_sms_bytes("t.csv", text.as_bytes().to_vec(), &limits(), "X@1");
            assert_eq!(
                (
                    report.rows,
                    report.clean_rows,
                    report.warning_rows,
                    report.error_rows,
                    report.unchecked_rows
                ),
                (2, 0, 0, 2, 2),
                "{text}"
            );
            assert!(report.failed());
        }
    }
}
