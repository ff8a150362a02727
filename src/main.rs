//! The `pauta` command line: parses arguments, calls the library, prints.

mod cli;

/// Evaluating an export allocates and frees millions of small strings; mimalloc does that
/// markedly faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc's `mi_option_e` (the same index in its v2 and v3).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> std::process::ExitCode {
    // A run is short: memory freed between batches is about to be used again, so it is kept
    // instead of being returned to the system and faulted in (and zeroed) again. Measured on
    // the 1 M-case benchmark: a third less time in the kernel.
    // Not for `pauta web`, which runs for hours: there, memory freed after an evaluation goes
    // back to the system.
    if !std::env::args_os().skip(1).any(|argument| argument == "web") {
        // SAFETY: sets a plain integer option; mimalloc allows it at any time.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
    }
    without_transparent_huge_pages();
    cli::run()
}

/// Turns transparent huge pages off for this process. mimalloc asks the kernel for them; where
/// the kernel then compacts memory to find 2 MiB pages (`defrag = madvise`, the default of many
/// distributions, and of this project's benchmark machine), a run spent up to 1.3 s of its 2.3 s
/// in the kernel zeroing and compacting them, and its time varied by half from run to run.
/// With ordinary pages the kernel time is steady at about 0.35 s and the peak memory 7 % lower
/// (`benches/README.md`).
#[cfg(target_os = "linux")]
fn without_transparent_huge_pages() {
    // SAFETY: `PR_SET_THP_DISABLE` takes four integer arguments and changes only this process's
    // memory policy; its result is not needed (a kernel without it keeps huge pages).
    let _ = unsafe { libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0) };
}

/// Transparent huge pages are a Linux setting; elsewhere there is nothing to turn off.
#[cfg(not(target_os = "linux"))]
fn without_transparent_huge_pages() {}
