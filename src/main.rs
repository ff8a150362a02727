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
    // SAFETY: sets a plain integer option; mimalloc allows it at any time.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
    cli::run()
}
