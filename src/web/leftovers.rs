//! Upload folders left behind by a workbench that did not stop cleanly (killed, or the machine
//! lost power): they hold citizens' data, so the next workbench removes them when it starts.
//! A folder is `pauta-web-<process id>-…` in the system's temporary folder; it is removed only
//! when no process with that id runs (a folder of a running workbench is never touched).

use std::path::{Path, PathBuf};

/// The upload folders under `temporary` whose workbench no longer runs.
pub fn abandoned(temporary: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(temporary) else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_ok_and(|kind| kind.is_dir()))
        .filter_map(|entry| {
            let name = entry.file_name();
            let pid = owner(name.to_str()?)?;
            (!running(pid)).then(|| entry.path())
        })
        .collect()
}

/// Removes the upload folders of workbenches that no longer run; returns how many it removed.
pub fn remove_abandoned(temporary: &Path) -> usize {
    abandoned(temporary)
        .iter()
        .filter(|folder| std::fs::remove_dir_all(folder).is_ok())
        .count()
}

/// The process id in an upload folder's name (`pauta-web-<pid>-<random>`).
fn owner(name: &str) -> Option<u32> {
    let rest = name.strip_prefix("pauta-web-")?;
    let (pid, random) = rest.split_once('-')?;
    (!random.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
        .then(|| pid.parse().ok())
        .flatten()
}

/// Whether a process with this id runs (on Unix: signal 0 is accepted, or refused only for
/// lack of permission). Elsewhere no folder is judged abandoned.
fn running(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else {
            return true;
        };
        // SAFETY: signal 0 sends nothing; it only asks whether the process exists.
        let answer = unsafe { libc::kill(pid, 0) };
        answer == 0 || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
    }
    #[cfg(not(unix))]
    {
        let _ = pid;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_upload_folders_name_their_owner() {
        assert_eq!(owner("pauta-web-123-AbC9x"), Some(123));
        assert_eq!(owner("pauta-web-123-"), None);
        assert_eq!(owner("pauta-web-12a-x"), None);
        assert_eq!(owner("pauta-web-browser-12-x"), None);
        assert_eq!(owner("otra-cosa"), None);
    }

    #[cfg(unix)]
    #[test]
    fn this_process_runs() {
        assert!(running(std::process::id()));
    }
}
