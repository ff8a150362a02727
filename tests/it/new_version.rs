//! `pauta new-version`: the next version is a copy of the latest with its number and date
//! changed, in a temporary copy of the pinned policies folder (`tests/fixtures/policies-v11/`,
//! where v11 stays the latest whatever is published under `policies/`); every refusal has its
//! code.

use std::path::{Path, PathBuf};

use crate::common;
use crate::common::run::{Pauta, Ran};

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap_or_else(|e| panic!("{e}"));
    for entry in std::fs::read_dir(from).into_iter().flatten().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap_or_else(|e| panic!("{e}"));
        }
    }
}

/// A fresh copy of the pinned policies folder.
fn policies_copy(name: &str) -> PathBuf {
    let dir = common::scratch("new_version", name);
    copy_dir(&common::pinned_dir(), &dir);
    dir
}

/// `pauta <args> --policies <policies>`.
fn run(args: &[&str], policies: &Path) -> Ran {
    Pauta::new(args).arg("--policies").arg(policies).run()
}

#[test]
fn copies_the_latest_version_with_number_and_date_changed() {
    let dir = policies_copy("copy");
    run(&["new-version", "M1-3-06", "--from-date", "2027-01-04"], &dir)
        .success()
        .stdout_has("v12.pauta")
        .stdout_has("pauta diff");
    let old = std::fs::read_to_string(dir.join("M1-3-06/v11.pauta")).unwrap_or_default();
    let new = std::fs::read_to_string(dir.join("M1-3-06/v12.pauta")).unwrap_or_default();
    let changed: Vec<(&str, &str)> = old.lines().zip(new.lines()).filter(|(a, b)| a != b).collect();
    assert_eq!(
        changed,
        vec![(
            "versión 11 vigente desde 2021-12-24",
            "versión 12 vigente desde 2027-01-04"
        )]
    );
    assert_eq!(old.lines().count(), new.lines().count());
    // The folder still checks, and the new version is the one in force after its date.
    Pauta::new(["check"]).arg(&dir).run().success();
    let stdout = run(&["show", "M1-3-06"], &dir).success().stdout;
    assert!(stdout.starts_with("M1-3-06 versión 12"), "{stdout}");
}

#[test]
fn refuses_a_date_not_after_the_latest() {
    let dir = policies_copy("date");
    run(&["new-version", "M1-3-06", "--from-date", "2021-12-24"], &dir)
        .failure(2)
        .stderr_has("N002")
        .stderr_has("2021-12-24");
    assert!(!dir.join("M1-3-06/v12.pauta").exists());
}

#[test]
fn refuses_an_unknown_code_with_a_suggestion() {
    let dir = policies_copy("code");
    run(&["new-version", "M1-3-6", "--from-date", "2027-01-04"], &dir)
        .failure(2)
        .stderr_has("N001")
        .stderr_has("M1-3-06");
}

#[test]
fn never_overwrites_a_file() {
    let dir = policies_copy("exists");
    let stray = dir.join("M1-3-06/v12.pauta");
    std::fs::write(&stray, "# borrador sin terminar\n").unwrap_or_else(|e| panic!("{e}"));
    run(&["new-version", "M1-3-06", "--from-date", "2027-01-04"], &dir)
        .failure(2)
        .stderr_has("N003");
    assert_eq!(
        std::fs::read_to_string(&stray).unwrap_or_default(),
        "# borrador sin terminar\n"
    );
}

#[test]
fn a_new_version_s_impact_is_judged_on_cases_from_before_its_date() {
    // The workflow of the guide: new version, one ANS shortened, diff with case impact. The
    // export's cases are from 2024; v12 rules from 2027, and the impact pins each version.
    let dir = policies_copy("impact");
    run(&["new-version", "M1-3-06", "--from-date", "2027-01-04"], &dir).success();
    let file = dir.join("M1-3-06/v12.pauta");
    let text = std::fs::read_to_string(&file).unwrap_or_default();
    let edited = text.replacen("  ans 5 días hábiles", "  ans 4 días hábiles", 1);
    assert_ne!(text, edited);
    std::fs::write(&file, edited).unwrap_or_else(|e| panic!("{e}"));
    let fixture = common::aranda("basica");
    let output = Pauta::new(["diff", "M1-3-06@11"])
        .arg(&file)
        .arg("--policies")
        .arg(&dir)
        .arg("--cases")
        .arg(fixture.join("casos.csv"))
        .arg("--history")
        .arg(fixture.join("historial.csv"))
        .args(["--as-of", "2024-07-01 00:00:00"])
        .run()
        .failure(1);
    let stdout = output.stdout;
    assert!(
        stdout.contains("ANS de \"Diseño de piezas comerciales\": 5 → 4 días hábiles"),
        "{stdout}"
    );
    assert!(stdout.contains("solo con la nueva 0"), "{stdout}");
    assert!(!stdout.contains("→ rechazado"), "{stdout}");
    assert!(stdout.contains("(ANS 5 → 4 días)"), "{stdout}");
}
