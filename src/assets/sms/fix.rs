//! `sms check --fix`: the corrected file (rows that pass once trimmed and without tildes) and
//! the errors file (every other row, with its line and reasons), then a check of the corrected
//! file.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::path::{Path, PathBuf};

use super::super::gsm7::transliterate;
use super::super::input::{self, CsvText};
use super::super::{AssetError, Severity, read_file};
use super::parallel::check_decoded;
use super::rows::{Layout, Problem, RowChecker, layout};
use super::{FixSummary, SmsReport, check_sms};
use crate::policy::model::SmsLimits;

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
        super::super::ensure_not_input(path, out)?;
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
    let checker = RowChecker::new(limits, &layout);
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

    let missing_reason = missing_reason(&layout);
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
        let repaired = repaired(&original, &layout, limits);
        problems.clear();
        if let Some(key) = checker.check(&repaired, &mut problems) {
            match dups.get(&key) {
                Some(first) => problems.push(checker.duplicate(key, *first)),
                None => {
                    dups.insert(key, line);
                }
            }
        }
        let mut reasons = error_reasons(&problems, &layout);
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
            let row = error_row(line, &original, &layout, &reasons);
            bad.write_record(&row).map_err(|e| write_err(errors, e))?;
            error_rows += 1;
        }
    }
    finish(good, fixed, &csv)?;
    finish(bad, errors, &csv)?;
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

/// The reason every row of a file without a required column goes to the errors file.
fn missing_reason(layout: &Layout) -> Option<String> {
    (!layout.missing.is_empty()).then(|| {
        format!(
            "S001: el archivo no tiene la columna obligatoria {}; la fila no se puede revisar.",
            layout
                .missing
                .iter()
                .map(|m| format!("«{m}»"))
                .collect::<Vec<_>>()
                .join(", ")
        )
    })
}

/// A row as the corrected file would hold it: fields trimmed and, when tildes are not allowed,
/// the message transliterated. A row of the wrong width is left as it is.
fn repaired(original: &[String], layout: &Layout, limits: &SmsLimits) -> Vec<String> {
    if original.len() != layout.headers.len() {
        return original.to_vec();
    }
    original
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let v = v.trim();
            if Some(i) == layout.message && limits.no_accents {
                transliterate(v, &limits.accents_allowed)
            } else {
                v.to_string()
            }
        })
        .collect()
}

/// The errors of a row as the «Motivo» column states them (warnings left out).
fn error_reasons(problems: &[Problem], layout: &Layout) -> Vec<String> {
    problems
        .iter()
        .filter(|p| p.code.severity() == Severity::Error)
        .map(|p| {
            let column = p
                .column
                .and_then(|i| layout.headers.get(i))
                .map(|c| format!(" (columna «{c}»)"))
                .unwrap_or_default();
            format!("{}{column}: {}", p.code, p.reason)
        })
        .collect()
}

/// A row of the errors file: line, the original fields, then the reasons.
fn error_row(line: u64, original: &[String], layout: &Layout, reasons: &[String]) -> Vec<String> {
    let mut row = vec![line.to_string()];
    let width = original.len().max(layout.headers.len());
    // People open the errors file in Excel: values that start like a formula are
    // neutralised there (the corrected file, which is sent, keeps them as they are).
    row.extend(
        original
            .iter()
            .map(|value| crate::text::neutralise(value).into_owned()),
    );
    // Short rows are padded so that the reason stays in the «Motivo» column.
    row.resize(width + 1, String::new());
    row.push(reasons.join(" | "));
    row
}

/// Write what `w` holds to `path`, in the input's encoding.
fn finish(w: csv::Writer<Vec<u8>>, path: &Path, csv: &CsvText) -> Result<(), AssetError> {
    let text = w.into_inner().map_err(|e| AssetError::Unwritable {
        path: path.display().to_string(),
        reason: e.to_string(),
    })?;
    let text = String::from_utf8_lossy(&text);
    crate::atomic::write(path, &csv.encoding.encode(&text)).map_err(|e| AssetError::Unwritable {
        path: path.display().to_string(),
        reason: e.to_string(),
    })
}
