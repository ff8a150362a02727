//! Helpers shared by the integration tests.
#![allow(clippy::expect_used, dead_code)]

use std::path::{Path, PathBuf};

use pauta::calendar::Calendar;
use pauta::policy::PolicySet;

/// The pinned policies folder, relative to the crate root: a byte-for-byte copy of `policies/` as
/// published when these tests were written (M1-3-06 v11 and the Colombian calendar). A test that
/// is not about the shipped policies reads it (`--policies`), so that a new version or a new
/// holiday under `policies/` changes only the tests that are about them.
pub const PINNED: &str = "tests/fixtures/policies-v11";

/// The pinned policies folder, absolute.
pub fn pinned_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(PINNED)
}

/// The pinned policies, compiled.
pub fn pinned_set() -> PolicySet {
    PolicySet::from_paths(&[pinned_dir()]).expect("the pinned policies compile")
}

pub mod hostile;
pub mod run;
pub mod snap;

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

/// Helpers of the publication-check tests (`tests/assets_*.rs`).
pub mod assets {
    use std::path::{Path, PathBuf};

    use assert_cmd::Command;

    /// The `pauta` binary, run from the crate root (sample paths are relative to it).
    pub fn pauta() -> Command {
        let mut cmd = Command::cargo_bin("pauta").expect("the binary is built");
        cmd.current_dir(root());
        cmd
    }

    /// The crate root.
    pub fn root() -> &'static Path {
        Path::new(env!("CARGO_MANIFEST_DIR"))
    }

    /// A fresh folder `group/name` under the tests' temporary folder.
    pub fn scratch(group: &str, name: &str) -> PathBuf {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(group).join(name);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("the scratch folder can be created");
        dir
    }

    /// A snapshot in the top-level `snapshots/`.
    pub fn snapshot(name: &str, text: &str) {
        super::snap::text(name, text);
    }

    /// Exit code, stdout and stderr of a command.
    pub fn run(cmd: &mut Command) -> (i32, String, String) {
        let output = cmd.output().expect("the command runs");
        (
            output.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&output.stdout).to_string(),
            String::from_utf8_lossy(&output.stderr).to_string(),
        )
    }
}
