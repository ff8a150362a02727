//! Fuzzing on the stable toolchain: proptest feeds hostile inputs to the policy parser and
//! checker and to the export readers, for a fixed budget of cases (`PAUTA_FUZZ_CASES`, 128 by
//! default; CI runs the default). The properties are those a compliance tool owes its users: no
//! panic on any input, and no row lost without a word — every row read is evaluated or
//! rejected, and a file that holds rows is never read as empty. (The document checks have their
//! own hostile-input properties in `tests/it/assets_document.rs`.)
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use pauta::calendar::clock::local_seconds;
use pauta::cases::{Mapping, RunOptions, run};
use pauta::policy::{PolicySet, SourceFile, check_sources};
use proptest::prelude::*;

use crate::common::{self, root};

/// Cases per target: `PAUTA_FUZZ_CASES` (a longer run by hand), else 128.
fn budget() -> u32 {
    std::env::var("PAUTA_FUZZ_CASES")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(128)
}

/// A text mutated by byte-level edits: inserts of interesting bytes, deletions, duplications
/// of a slice, and truncation.
fn mutated(base: Vec<u8>) -> impl Strategy<Value = Vec<u8>> {
    let interesting = prop_oneof![
        Just(b'{'),
        Just(b'}'),
        Just(b'"'),
        Just(b'`'),
        Just(b'\r'),
        Just(b'\n'),
        Just(b'#'),
        Just(b';'),
        Just(b','),
        Just(0_u8),
        Just(0xFF_u8),
        Just(0xC3_u8),
        any::<u8>(),
    ];
    let edit = (any::<usize>(), 0_u8..4, interesting, 1_usize..64);
    proptest::collection::vec(edit, 0..8).prop_map(move |edits| {
        let mut bytes = base.clone();
        for (at, kind, byte, len) in edits {
            if bytes.is_empty() {
                bytes.push(byte);
                continue;
            }
            let at = at % bytes.len();
            match kind {
                0 => bytes.insert(at, byte),
                1 => {
                    let end = (at + len).min(bytes.len());
                    bytes.drain(at..end);
                }
                2 => {
                    let end = (at + len).min(bytes.len());
                    let slice = bytes[at..end].to_vec();
                    bytes.splice(at..at, slice);
                }
                _ => bytes.truncate(at),
            }
        }
        bytes
    })
}

fn read(path: &str) -> Vec<u8> {
    std::fs::read(root().join(path)).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: budget(), failure_persistence: None, .. ProptestConfig::default() })]

    /// The parser and checker take any bytes (as the loader reads them) without panicking, and
    /// every diagnostic points inside the file.
    #[test]
    fn the_policy_checker_takes_any_mutant_of_a_shipped_file(
        bytes in prop_oneof![
            mutated(read("policies/M1-3-06/v11.pauta")),
            mutated(read("policies/calendarios/colombia.pauta")),
        ]
    ) {
        let text = String::from_utf8_lossy(&bytes);
        let source = SourceFile::new("mutante.pauta", &text);
        let calendars = PolicySet::embedded().map(|set| set.calendars).unwrap_or_default();
        let report = check_sources(std::slice::from_ref(&source), &calendars);
        for file in &report.files {
            for diagnostic in &file.diagnostics {
                prop_assert!(diagnostic.line >= 1 && diagnostic.line <= source.text.lines().count() + 1,
                    "{} at line {} of {}", diagnostic.code, diagnostic.line, source.text.lines().count());
            }
        }
    }

    /// Any mutant of the example export is read to the end: every row counted as evaluated or
    /// rejected (or the whole file refused with an error), never a panic.
    #[test]
    fn the_export_readers_account_for_every_row_of_any_mutant(
        cases in mutated(read("tests/fixtures/aranda/basica/casos.csv")),
        history in mutated(read("tests/fixtures/aranda/basica/historial.csv")),
        ends in 0_u8..3,
    ) {
        let dir = scratch();
        let ends = |bytes: Vec<u8>| match ends {
            0 => bytes,
            1 => bytes.iter().map(|b| if *b == b'\n' { b'\r' } else { *b }).collect(),
            _ => bytes.iter().flat_map(|b| if *b == b'\n' { vec![b'\r', b'\n'] } else { vec![*b] }).collect(),
        };
        let (cases_path, history_path) = (dir.join("casos.csv"), dir.join("historial.csv"));
        std::fs::write(&cases_path, ends(cases)).unwrap();
        std::fs::write(&history_path, ends(history)).unwrap();
        let set = PolicySet::embedded().unwrap();
        let mapping = Mapping::embedded().unwrap();
        let options = RunOptions {
            cases: cases_path,
            history: Some(history_path),
            as_of: local_seconds(chrono::NaiveDate::from_ymd_opt(2026, 8, 1).unwrap().and_hms_opt(0, 0, 0).unwrap()),
            procedure: None,
            trace_case: None,
            pinned_version: None,
            history_reading: Default::default(),
        };
        let (mut evaluated, mut rejected) = (0_u64, 0_u64);
        if let Ok(summary) = run(&set, &mapping, &options, |_, _, _, _| { evaluated += 1; Ok(()) }, |_| { rejected += 1; Ok(()) }) {
            prop_assert_eq!(summary.rows.cases_read, summary.rows.cases_evaluated + summary.rows.cases_rejected);
            prop_assert_eq!(summary.rows.history_read, summary.rows.history_used + summary.rows.history_rejected);
            prop_assert!(evaluated <= summary.rows.cases_evaluated);
        }
    }
}

/// A fresh scratch folder for one fuzz case.
fn scratch() -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    common::scratch("fuzz", &NEXT.fetch_add(1, Ordering::SeqCst).to_string())
}
