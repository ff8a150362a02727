//! Snapshots of every shipped policy file (compiled form) and of the diagnostics of every broken
//! policy under `tests/broken/`. A new file in either folder is picked up without code changes.
//! The broken files are checked with the pinned calendars (`tests/fixtures/policies-v11/`), so a
//! holiday published under `policies/` changes only the shipped files' snapshots.

use std::path::{Path, PathBuf};

use pauta::policy::{PolicySet, SourceFile, check_sources, read_paths};

use crate::common::relative;

fn embedded_calendars() -> Vec<pauta::calendar::Calendar> {
    PolicySet::embedded().map(|s| s.calendars).unwrap_or_default()
}

fn pinned_calendars() -> Vec<pauta::calendar::Calendar> {
    PolicySet::from_paths(&[crate::common::pinned_dir()])
        .map(|s| s.calendars)
        .unwrap_or_default()
}

fn snapshot_name(path: &str) -> String {
    path.trim_end_matches(".pauta").replace(['/', '.'], "_")
}

#[test]
fn compiled_form_of_every_shipped_policy() {
    let root = crate::common::root();
    let files = read_paths(&[root.join("policies")]).unwrap_or_default();
    assert!(files.len() >= 2, "no policy files found");
    let report = check_sources(&files, &[]);
    for file in &report.files {
        assert!(
            file.diagnostics.is_empty(),
            "{}: {:#?}",
            file.file,
            file.diagnostics
        );
    }
    for source in &files {
        let name = relative(Path::new(&source.name));
        let single = check_sources(std::slice::from_ref(source), &embedded_calendars());
        let value = match single.policies.first() {
            Some(policy) => serde_json::to_value(policy),
            None => serde_json::to_value(single.calendars.first()),
        }
        .unwrap_or_default();
        crate::common::snap::json(
            &format!("compiled__{}", snapshot_name(&name)),
            &format!("compiled form of {name}"),
            &value,
        );
    }
}

fn broken_entries() -> Vec<PathBuf> {
    let dir = crate::common::root().join("tests/broken");
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    entries.sort();
    entries
}

#[test]
fn diagnostics_of_every_broken_policy() {
    let entries = broken_entries();
    assert!(
        entries.len() >= 20,
        "the broken corpus must hold at least 20 cases"
    );
    for entry in entries {
        let name = entry
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let expected_code = name.get(..4).map(str::to_uppercase).unwrap_or_default();
        let sources: Vec<SourceFile> = read_paths(std::slice::from_ref(&entry))
            .unwrap_or_default()
            .into_iter()
            .map(|s| SourceFile::new(relative(Path::new(&s.name)), &s.text))
            .collect();
        let report = check_sources(&sources, &pinned_calendars());
        let diagnostics: Vec<_> = report.files.iter().flat_map(|f| &f.diagnostics).collect();
        assert!(
            diagnostics.iter().any(|d| d.code == expected_code),
            "{name}: expected a {expected_code}, got {diagnostics:#?}"
        );
        let rendered: String = diagnostics
            .iter()
            .map(|d| d.render())
            .collect::<Vec<_>>()
            .join("\n");
        crate::common::snap::described(
            &format!("broken__{}", snapshot_name(&name)),
            &format!("diagnostics of tests/broken/{name}"),
            &rendered,
        );
    }
}
