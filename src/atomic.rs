//! Outputs replaced atomically: pauta writes a file's new content to a temporary file beside it
//! and renames it into place only when the run succeeded. A run that fails — a mistyped input,
//! a full disk, an interruption — leaves yesterday's file exactly as it was.

use std::fs::File;
use std::path::{Path, PathBuf};

/// A new version of `target` being written; dropped without [`Pending::commit`], it is removed.
#[derive(Debug)]
pub struct Pending {
    temp: PathBuf,
    target: PathBuf,
    committed: bool,
}

/// Creates the temporary file beside `target` (same folder, so the rename is atomic) and
/// returns it for writing, with the handle that puts it in place.
pub fn create(target: &Path) -> std::io::Result<(File, Pending)> {
    let name = target
        .file_name()
        .map_or_else(|| "salida".into(), |n| n.to_string_lossy().into_owned());
    let folder = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let temp = folder.join(format!(".{name}.pauta-parcial-{}", std::process::id()));
    let file = File::create(&temp)?;
    Ok((
        file,
        Pending {
            temp,
            target: target.to_path_buf(),
            committed: false,
        },
    ))
}

impl Pending {
    /// The file being replaced.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Puts the new content in place (the writer must be flushed and closed before).
    pub fn commit(mut self) -> std::io::Result<()> {
        File::open(&self.temp)?.sync_all()?;
        std::fs::rename(&self.temp, &self.target)?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_file(&self.temp);
        }
    }
}

/// Writes `bytes` to `target` atomically.
pub fn write(target: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    let (mut file, pending) = create(target)?;
    file.write_all(bytes)?;
    file.flush()?;
    drop(file);
    pending.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_target_changes_only_on_commit() {
        let dir = std::env::temp_dir().join(format!("pauta-atomic-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let target = dir.join("salida.csv");
        let _ = std::fs::write(&target, "ayer\n");
        {
            let (file, pending) = create(&target).unwrap_or_else(|e| panic!("{e}"));
            use std::io::Write as _;
            let mut file = file;
            let _ = file.write_all(b"a medias");
            drop(pending);
        }
        assert_eq!(std::fs::read_to_string(&target).ok().as_deref(), Some("ayer\n"));
        assert_eq!(
            std::fs::read_dir(&dir).map(|d| d.count()).unwrap_or(0),
            1,
            "temporary left"
        );
        write(&target, b"hoy\n").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(std::fs::read_to_string(&target).ok().as_deref(), Some("hoy\n"));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
