//! Outputs replaced atomically: pauta writes a file's new content to a temporary file beside it
//! and renames it into place only when the run succeeded. A run that fails — a mistyped input,
//! a full disk, an interruption — leaves yesterday's file exactly as it was.

use std::fs::File;
use std::path::{Path, PathBuf};

/// A new version of `target` being written; dropped without [`Pending::commit`], it is removed.
#[derive(Debug)]
pub struct Pending {
    /// The temporary file beside the target; `None` when the target is written directly.
    temp: Option<PathBuf>,
    /// The file that gets replaced (a symbolic link's destination, not the link).
    target: PathBuf,
    committed: bool,
}

/// Creates the temporary file beside `target` (same folder, so the rename is atomic) and
/// returns it for writing, with the handle that puts it in place.
///
/// What is not a regular file is written directly, never replaced: a device, a pipe or a
/// terminal (`--output /dev/stdout`, a FIFO) cannot be replaced, and renaming over it would put
/// a plain file in its place. A symbolic link is followed: the file it points to is replaced and
/// the link stays a link.
pub fn create(target: &Path) -> std::io::Result<(File, Pending)> {
    if let Ok(meta) = std::fs::metadata(target)
        && !meta.is_file()
    {
        if meta.is_dir() {
            return Err(std::io::Error::from(std::io::ErrorKind::IsADirectory));
        }
        let file = std::fs::OpenOptions::new().write(true).open(target)?;
        let pending = Pending {
            temp: None,
            target: target.to_path_buf(),
            committed: false,
        };
        return Ok((file, pending));
    }
    let is_link = std::fs::symlink_metadata(target).is_ok_and(|m| m.file_type().is_symlink());
    let real = match is_link {
        true => std::fs::canonicalize(target).unwrap_or_else(|_| target.to_path_buf()),
        false => target.to_path_buf(),
    };
    let name = real
        .file_name()
        .map_or_else(|| "salida".into(), |n| n.to_string_lossy().into_owned());
    let folder = real
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    remove_abandoned(folder, &name);
    let temp = folder.join(format!(".{name}{PARTIAL}{}", std::process::id()));
    let file = File::create(&temp)?;
    Ok((
        file,
        Pending {
            temp: Some(temp),
            target: real,
            committed: false,
        },
    ))
}

impl Pending {
    /// The file being replaced.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Puts the new content in place (the writer must be flushed and closed before); for a
    /// target written directly (a device, a pipe), there is nothing left to do.
    pub fn commit(mut self) -> std::io::Result<()> {
        if let Some(temp) = &self.temp {
            File::open(temp)?.sync_all()?;
            std::fs::rename(temp, &self.target)?;
        }
        self.committed = true;
        Ok(())
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        if !self.committed
            && let Some(temp) = &self.temp
        {
            let _ = std::fs::remove_file(temp);
        }
    }
}

/// What follows the target's name in a temporary file's name (then the writer's process id).
const PARTIAL: &str = ".pauta-parcial-";

/// Removes the temporary files of `name` left in `folder` by runs that were killed (their
/// process no longer exists), so an interruption leaves nothing behind for long.
fn remove_abandoned(folder: &Path, name: &str) {
    let prefix = format!(".{name}{PARTIAL}");
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(pid) = file_name
            .to_str()
            .and_then(|n| n.strip_prefix(&prefix))
            .and_then(|pid| pid.parse::<u32>().ok())
        else {
            continue;
        };
        if !process_is_running(pid) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Whether a process with this id exists (on systems where that cannot be asked, assume it does).
#[cfg(unix)]
fn process_is_running(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return true;
    };
    // SAFETY: signal 0 sends nothing; it only asks whether the process exists.
    let answer = unsafe { libc::kill(pid, 0) };
    answer == 0 || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
}

#[cfg(not(unix))]
fn process_is_running(_pid: u32) -> bool {
    true
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
