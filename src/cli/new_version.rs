//! `pauta new-version CODE --from-date YYYY-MM-DD`: copy the latest version as the next one.

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use pauta::policy::versioning;

/// Flags of `pauta new-version`.
#[derive(clap::Args)]
pub struct Args {
    /// Código del procedimiento (p. ej. `M1-3-06`).
    code: String,
    /// Fecha desde la que rige la nueva versión (AAAA-MM-DD); debe ser posterior a la de la última.
    #[arg(long, value_name = "AAAA-MM-DD")]
    from_date: NaiveDate,
    /// Carpeta de políticas donde están las versiones (por defecto, `policies`).
    #[arg(long, default_value = "policies")]
    policies: PathBuf,
}

/// Write `v<N+1>.pauta` next to the latest version and say what to do next.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let new = versioning::prepare(&args.policies, &args.code, args.from_date)
        .and_then(|new| versioning::write(&new).map(|()| new));
    let new = match new {
        Ok(new) => new,
        Err(error) => {
            match error {
                versioning::VersionError::Load(_) => eprintln!("error: {error}"),
                _ => eprintln!("error[{}]: {error}", error.code()),
            }
            return Ok(ExitCode::from(super::CANNOT_RUN));
        }
    };
    let path = new.path.display();
    let previous = format!("{}@{}", args.code, new.version - 1);
    super::emit(&format!(
        "creado {path}: copia de {} como versión {}, vigente desde {}.\n\
         Siguientes pasos:\n\
         \x20 1. Edite {path} (revise también los comentarios que citan la versión anterior).\n\
         \x20 2. pauta check {path}\n\
         \x20 3. pauta fmt {path}\n\
         \x20 4. pauta diff {previous} {path} --policies {} [--cases casos.csv --history historial.csv]\n\
         \x20 5. pauta doc {}@{} --policies {}\n\
         \x20 6. cargo insta review (las pruebas de instantáneas muestran lo que cambia la nueva versión)\n",
        new.from.display(),
        new.version,
        args.from_date,
        args.policies.display(),
        args.code,
        new.version,
        args.policies.display(),
    ))?;
    Ok(ExitCode::SUCCESS)
}
