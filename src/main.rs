//! The `pauta` command line: parses arguments, calls the library, prints.

mod cli;

/// Evaluating an export allocates and frees millions of small strings; mimalloc does that
/// markedly faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::run()
}
