//! The memory a run may use, to decide whether the history fits whole: the memory the system
//! has available, or less when the process is limited (`ulimit -v`, a container's limit).

/// Memory a run takes with the history of `bytes` read whole, counted generously: the events
/// take about 0.4 of the file, the room reserved while it is read in parallel parts as much
/// again, and the run's threads and buffers come on top.
pub(super) fn needed_for_history(bytes: u64) -> u64 {
    bytes
}

/// Memory this process may still take, in bytes; `None` when it cannot be told.
pub(super) fn available() -> Option<u64> {
    let limits = [system_available(), address_space_left(), container_left()];
    limits.into_iter().flatten().min()
}

/// `bytes` for a person: `3,1 GB`, `512 MB`.
pub(super) fn words(bytes: u64) -> String {
    const MB: u64 = 1_000_000;
    if bytes >= 1_000 * MB {
        let tenths = (bytes + 50 * MB) / (100 * MB);
        format!("{},{} GB", tenths / 10, tenths % 10)
    } else {
        format!("{} MB", bytes.div_ceil(MB))
    }
}

/// The system's available memory (Linux: `MemAvailable`).
#[cfg(target_os = "linux")]
fn system_available() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = text.lines().find(|line| line.starts_with("MemAvailable:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// The system's available physical memory (Windows: `GlobalMemoryStatusEx`).
#[cfg(windows)]
fn system_available() -> Option<u64> {
    use windows_sys::Win32::System::SystemInformation::{GlobalMemoryStatusEx, MEMORYSTATUSEX};
    let mut status = MEMORYSTATUSEX {
        dwLength: u32::try_from(std::mem::size_of::<MEMORYSTATUSEX>()).ok()?,
        dwMemoryLoad: 0,
        ullTotalPhys: 0,
        ullAvailPhys: 0,
        ullTotalPageFile: 0,
        ullAvailPageFile: 0,
        ullTotalVirtual: 0,
        ullAvailVirtual: 0,
        ullAvailExtendedVirtual: 0,
    };
    // SAFETY: `status` is a properly sized MEMORYSTATUSEX with `dwLength` set, as required.
    let done = unsafe { GlobalMemoryStatusEx(&mut status) };
    (done != 0).then_some(status.ullAvailPhys)
}

#[cfg(not(any(target_os = "linux", windows)))]
fn system_available() -> Option<u64> {
    None
}

/// What the process's address-space limit (`ulimit -v`) leaves, when it has one.
#[cfg(target_os = "linux")]
fn address_space_left() -> Option<u64> {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: `limit` is a valid rlimit for getrlimit to fill.
    if unsafe { libc::getrlimit(libc::RLIMIT_AS, &mut limit) } != 0 || limit.rlim_cur == libc::RLIM_INFINITY {
        return None;
    }
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmSize:"))?;
    let used_kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(limit.rlim_cur.saturating_sub(used_kib * 1024))
}

#[cfg(not(target_os = "linux"))]
fn address_space_left() -> Option<u64> {
    None
}

/// What the container's memory limit (cgroup v2 `memory.max`) leaves, when it has one.
#[cfg(target_os = "linux")]
fn container_left() -> Option<u64> {
    let read = |name: &str| -> Option<u64> {
        std::fs::read_to_string(format!("/sys/fs/cgroup/{name}"))
            .ok()?
            .trim()
            .parse()
            .ok()
    };
    let limit = read("memory.max")?;
    let used = read("memory.current").unwrap_or(0);
    Some(limit.saturating_sub(used))
}

#[cfg(not(target_os = "linux"))]
fn container_left() -> Option<u64> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_said_in_megabytes_and_gigabytes() {
        assert_eq!(words(512_000_000), "512 MB");
        assert_eq!(words(3_140_000_000), "3,1 GB");
        assert_eq!(words(1), "1 MB");
    }

    #[test]
    fn this_machine_tells_its_memory() {
        if cfg!(target_os = "linux") {
            assert!(available().is_some_and(|bytes| bytes > 0));
        }
    }
}
