//! What the integration tests share: where things are (the crate root, the pinned policies, the
//! committed and example exports), fresh folders to write in, and the modules `run` (runs of the
//! binary that read as a specification), `snap` (the one place snapshots are taken), `hostile`
//! (hostile documents) and `textmate` (the engine that tokenises with the editor grammar).
#![allow(clippy::expect_used, dead_code)]

use std::path::{Path, PathBuf};

use pauta::calendar::Calendar;
use pauta::policy::PolicySet;

/// The pinned policies folder, relative to the crate root: a byte-for-byte copy of `policies/` as
/// published when these tests were written (M1-3-06 v11 and the Colombian calendar). A test that
/// is not about the shipped policies reads it (`--policies`), so that a new version or a new
/// holiday under `policies/` changes only the tests that are about them.
pub const PINNED: &str = "tests/fixtures/policies-v11";

/// The crate root: runs start there, and sample paths are relative to it.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The pinned policies folder as an absolute path, valid from any working folder.
pub fn pinned_dir() -> PathBuf {
    root().join(PINNED)
}

/// A file of the committed hand-checked exports, `tests/fixtures/aranda/<path>`.
pub fn aranda(path: &str) -> PathBuf {
    root().join("tests/fixtures/aranda").join(path)
}

/// A file of the shipped example export, `examples/aranda-2024/<file>`.
pub fn example(file: &str) -> PathBuf {
    root().join("examples/aranda-2024").join(file)
}

/// A fresh, empty folder `pauta-<group>-<process id>-<name>` in the system's temporary folder:
/// outside the crate, where no `policies/` is found upward (as on a user's machine).
pub fn outside(group: &str, name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pauta-{group}-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("the temporary folder can be created");
    dir
}

/// `path` relative to the crate root, with `/` separators (as snapshots name files on every
/// machine); a path outside the crate stays as it is.
pub fn relative(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string()
        .replace('\\', "/")
}

/// Every `.pauta` file under `dir`, at any depth, sorted by path.
pub fn pauta_files(dir: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
        for entry in entries {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "pauta") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    walk(dir, &mut files);
    files.sort();
    files
}

/// A fresh, empty folder `group/name` under the tests' temporary folder (`target/tmp`): a test
/// names its module as `group` and itself as `name`, so no two tests share one.
pub fn scratch(group: &str, name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(group).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("the scratch folder can be created");
    dir
}

/// The pinned policies compiled in-process, for tests of the library.
pub fn pinned_set() -> PolicySet {
    PolicySet::from_paths(&[pinned_dir()]).expect("the pinned policies compile")
}

/// The document limits of the embedded v11 (`documentos`).
pub fn document_rules() -> pauta::policy::model::DocumentRules {
    PolicySet::embedded()
        .expect("the embedded policies compile")
        .find("M1-3-06@11")
        .expect("the embedded policies hold v11")
        .documents
        .clone()
        .expect("v11 has a documentos block")
}

/// `bytes`, named `name`, checked in memory against the embedded v11's document limits.
pub fn check_document(name: &str, bytes: Vec<u8>) -> pauta::assets::document::DocumentReport {
    pauta::assets::document::check_document_bytes(name, bytes, &document_rules(), "M1-3-06@11")
}

pub mod hostile;
pub mod run;
pub mod snap;
pub mod textmate;
pub mod web;

/// Colombia's holiday rules, compiled from the shipped `policies/calendarios/colombia.pauta`.
pub fn colombia() -> Calendar {
    let path = root().join("policies/calendarios/colombia.pauta");
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
