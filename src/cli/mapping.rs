//! `pauta mapping`: prints the embedded default `mapping.toml`, to copy and adapt.

use std::process::ExitCode;

/// Print the default mapping.
pub fn run() -> anyhow::Result<ExitCode> {
    super::emit(pauta::cases::mapping::DEFAULT_MAPPING)?;
    Ok(ExitCode::SUCCESS)
}
