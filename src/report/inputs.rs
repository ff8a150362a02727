//! The report's inputs and their SHA-256: the export files, the mapping, and the policy and
//! calendar files that judged the cases (embedded in the program or read with `--policies`).

use std::io::Read;
use std::path::Path;

use sha2::{Digest, Sha256};

use super::error::ReportError;
use super::model::InputDigest;
use super::sample::hex;
use crate::calendar::Calendar;
use crate::policy::{SourceFile, check_sources, embedded, read_paths};

/// A policy file with what it declares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyFile {
    /// Name (the path given, or the embedded file's path in the repository).
    pub name: String,
    /// SHA-256 of its bytes.
    pub sha256: String,
    /// Whether it is embedded in the program.
    pub embedded: bool,
    /// Procedure versions it declares: (code, version).
    pub versions: Vec<(String, u32)>,
    /// Calendars it declares.
    pub calendars: Vec<String>,
}

/// Lowercase hex SHA-256 of a file, read in 1 MiB blocks.
pub fn digest_file(path: &Path) -> Result<String, ReportError> {
    let unreadable = |error: std::io::Error| ReportError::Unreadable {
        path: path.display().to_string(),
        reason: crate::text::io_reason(&error),
    };
    let mut file = std::fs::File::open(path).map_err(unreadable)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 20];
    loop {
        let read = file.read(&mut buffer).map_err(unreadable)?;
        if read == 0 {
            break;
        }
        hasher.update(buffer.get(..read).unwrap_or_default());
    }
    Ok(hex(&hasher.finalize()))
}

/// Lowercase hex SHA-256 of bytes.
pub fn digest_bytes(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// The digest of one input file.
pub fn input(role: &str, path: &Path) -> Result<InputDigest, ReportError> {
    named(role, path, None)
}

/// The digest of one input file, shown as `name` (its path when `None`).
pub fn named(role: &str, path: &Path, name: Option<&str>) -> Result<InputDigest, ReportError> {
    Ok(InputDigest {
        role: role.to_owned(),
        name: name.map_or_else(|| path.display().to_string(), str::to_owned),
        sha256: digest_file(path)?,
        embedded: false,
    })
}

/// The policy files in use: the embedded ones, or those under `dir` (`--policies`). Each file is
/// checked on its own to learn what it declares (`calendars` resolves calendar references).
pub fn policy_files(dir: Option<&Path>, calendars: &[Calendar]) -> Result<Vec<PolicyFile>, ReportError> {
    let mut files = Vec::new();
    match dir {
        None => {
            for (name, text) in embedded::FILES {
                let source = SourceFile::new(*name, text);
                files.push(describe(&source, digest_bytes(text.as_bytes()), true, calendars));
            }
        }
        Some(dir) => {
            let sources = read_paths(&[dir.to_path_buf()]).map_err(|error| ReportError::Unreadable {
                path: dir.display().to_string(),
                reason: error.to_string(),
            })?;
            for source in &sources {
                let digest = digest_file(Path::new(&source.name))?;
                files.push(describe(source, digest, false, calendars));
            }
        }
    }
    files.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(files)
}

/// What one file declares: its procedure versions (checked with the loaded calendars, which it
/// may reference) and its own calendars (checked alone, so referenced ones are not counted).
fn describe(source: &SourceFile, sha256: String, embedded: bool, calendars: &[Calendar]) -> PolicyFile {
    let file = std::slice::from_ref(source);
    let with_calendars = check_sources(file, calendars);
    let alone = check_sources(file, &[]);
    PolicyFile {
        name: source.name.clone(),
        sha256,
        embedded,
        versions: with_calendars
            .policies
            .iter()
            .map(|policy| (policy.code.clone(), policy.version))
            .collect(),
        calendars: alone.calendars.iter().map(|c| c.name.clone()).collect(),
    }
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests may panic: a failed unwrap is a failed test"
)]
mod tests {
    use super::*;

    #[test]
    fn digests_known_text() {
        // printf 'abc' | sha256sum
        assert_eq!(
            digest_bytes(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn embedded_files_declare_their_versions_and_calendars() {
        let set = crate::policy::PolicySet::embedded().unwrap();
        let files = policy_files(None, &set.calendars).unwrap();
        let v11 = files
            .iter()
            .find(|f| f.name.ends_with("M1-3-06/v11.pauta"))
            .unwrap();
        assert_eq!(v11.versions, vec![("M1-3-06".to_owned(), 11)]);
        assert!(v11.calendars.is_empty());
        let colombia = files
            .iter()
            .find(|f| f.name.ends_with("calendarios/colombia.pauta"))
            .unwrap();
        assert_eq!(colombia.calendars, vec!["colombia".to_owned()]);
        assert!(colombia.versions.is_empty());
    }
}
