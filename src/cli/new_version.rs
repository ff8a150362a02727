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
    /// Carpeta de políticas donde están las versiones (por defecto, la del espacio de trabajo:
    /// pauta.toml o policies/).
    #[arg(long, value_name = "CARPETA")]
    policies: Option<PathBuf>,
}

/// Write `v<N+1>.pauta` next to the latest version and say what to do next.
pub fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let Some(policies) = super::workspace(args.policies.as_ref())?
        .policies
        .path()
        .map(std::path::Path::to_path_buf)
    else {
        return Err(super::fail(
            "U013",
            "no hay carpeta de políticas donde crear la versión: las políticas incluidas en pauta no se editan; \
             trabaje en una carpeta que tenga policies/ (o indique --policies CARPETA)",
        ));
    };
    let new = versioning::prepare(&policies, &args.code, args.from_date)
        .and_then(|new| versioning::write(&new).map(|()| new));
    let new = new?;
    let path = new.path.display();
    let previous = format!("{}@{}", args.code, new.version - 1);
    let next = format!("{}@{}", args.code, new.version);
    // In the workspace the commands find the folder themselves; a folder given by hand is repeated.
    let folder = args
        .policies
        .as_ref()
        .map(|dir| format!(" --policies {}", dir.display()))
        .unwrap_or_default();
    super::emit(&format!(
        "creado {path}: copia de {} como versión {}, vigente desde {}.\n\
         Siguientes pasos:\n\
         \x20 1. Edite {path} (revise también los comentarios que citan la versión anterior).\n\
         \x20 2. pauta check{folder}   (revisa todas las políticas, como las usará evaluate)\n\
         \x20 3. pauta fmt {path}\n\
         \x20 4. pauta diff {previous} {next}{folder} --cases casos-del-mes-pasado.csv --history historial.csv\n\
         \x20 5. pauta doc {next}{folder} --output {}-v{}.html\n\
         Para incorporarla al programa (lo hace el ingeniero que publica la versión de pauta): copie el \
         archivo a policies/ del repositorio y ejecute `cargo insta test --review`; solo deben aparecer las \
         instantáneas nuevas de la versión {}.\n",
        new.from.display(),
        new.version,
        args.from_date,
        args.code,
        new.version,
        new.version,
    ))?;
    Ok(ExitCode::SUCCESS)
}
