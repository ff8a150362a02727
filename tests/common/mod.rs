//! Helpers shared by the integration tests.
#![allow(clippy::expect_used, dead_code)]

use pauta::calendar::Calendar;

/// Colombia's holiday rules, compiled from the shipped `policies/calendarios/colombia.pauta`.
pub fn colombia() -> Calendar {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("policies/calendarios/colombia.pauta");
    let sources = pauta::policy::read_paths(&[path]).expect("the shipped calendar is readable");
    let report = pauta::policy::check_sources(&sources, &[]);
    assert!(
        report.files.iter().all(|f| f.diagnostics.is_empty()),
        "{:#?}",
        report.files
    );
    report
        .calendars
        .into_iter()
        .next()
        .expect("the shipped calendar compiles")
}
