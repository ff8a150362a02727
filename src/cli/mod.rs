//! Command-line interface: one file per subcommand; each only parses flags, calls the library
//! and prints. Exit codes: 0 success, 1 problems found, 2 could not run.

mod banner;
mod calendar;
mod check;
mod diff;
mod doc;
mod document;
mod evaluate;
mod explain;
mod findings;
mod fmt;
mod generate;
mod input;
mod mapping;
mod new_version;
mod report;
mod show;
mod sms;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use pauta::policy::PolicySet;
use pauta::policy::workspace::Workspace;

/// pauta — el procedimiento M1-3-06 de ICETEX como políticas versionadas.
#[derive(Parser)]
#[command(name = "pauta", version, about = "pauta — el procedimiento M1-3-06 de ICETEX como políticas versionadas", long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Revisa archivos de política y reporta todos sus problemas (sin rutas: las políticas incluidas).
    Check(check::Args),
    /// Reescribe archivos de política con el formato canónico (--check: solo lista los que cambiarían).
    Fmt(fmt::Args),
    /// Crea la siguiente versión de un procedimiento como copia de la última, con número y fecha nuevos.
    NewVersion(new_version::Args),
    /// Muestra una política compilada (por defecto la última versión de M1-3-06).
    Show(show::Args),
    /// Publica una política como el documento del procedimiento (ANS, excepciones, flujo de estados,
    /// requisitos, muestreo, reglas y vacíos), en Markdown o HTML.
    Doc(doc::Args),
    /// Compara dos versiones (o dos calendarios): cambios de fondo y, con --cases, su impacto en una exportación.
    ///
    /// Sale con 0 si no hay diferencias, 1 si las hay (como diff) y 2 si no pudo comparar.
    Diff(diff::Args),
    /// Lista los festivos y cierres de un año y cuenta sus días hábiles.
    Calendar(calendar::Args),
    /// Evalúa el ANS de cada caso de una exportación de Aranda (CSV o JSON por línea).
    Evaluate(evaluate::Args),
    /// Explica paso a paso la evaluación de un caso.
    Explain(explain::Args),
    /// Muestra el archivo de asignación por defecto (encabezados, fechas, codificación).
    Mapping,
    /// Genera una exportación sintética de Aranda (casos e historial), reproducible con una semilla.
    Generate(generate::Args),
    /// Revisa banners (formato, peso, medidas, palabras, permanencia) y el inventario publicado.
    Banner(banner::Args),
    /// Revisa listas de campañas SMS y las corrige (--fix).
    Sms(sms::Args),
    /// Revisa documentos a publicar (PDF o xlsx) y los limpia de metadatos (--scrub).
    Document(document::Args),
    /// Informe mensual de control del ANS (numeral 6): muestra aleatoria reproducible y censo del mes.
    Report(report::Args),
}

/// Exit code for "could not run".
const CANNOT_RUN: u8 = 2;

/// Parse the command line and run the chosen subcommand.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Fmt(args) => fmt::run(&args),
        Command::NewVersion(args) => new_version::run(&args),
        Command::Show(args) => show::run(&args),
        Command::Doc(args) => doc::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Calendar(args) => calendar::run(&args),
        Command::Evaluate(args) => evaluate::run_command(&args),
        Command::Explain(args) => explain::run_command(&args),
        Command::Mapping => mapping::run(),
        Command::Generate(args) => generate::run(&args),
        Command::Banner(args) => banner::run(&args),
        Command::Sms(args) => sms::run(&args),
        Command::Document(args) => document::run(&args),
        Command::Report(args) => report::run_command(&args),
    };
    match result {
        Ok(code) => code,
        // The reader went away (`pauta … | head`): nothing more to say.
        Err(error)
            if error
                .downcast_ref::<std::io::Error>()
                .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
                || matches!(
                    error.downcast_ref::<pauta::cases::RunError>(),
                    Some(pauta::cases::RunError::Write {
                        kind: std::io::ErrorKind::BrokenPipe,
                        ..
                    })
                ) =>
        {
            ExitCode::SUCCESS
        }
        Err(error) => {
            if let Some(diff_error) = error.downcast_ref::<pauta::diff::DiffError>() {
                eprintln!("error[{}]: {error:#}", diff_error.code());
            } else if let Some(calendar_error) = error.downcast_ref::<pauta::calendar::CalendarError>() {
                eprintln!("error[{}]: {error:#}", calendar_error.code());
            } else if let Some(run_error) = error.downcast_ref::<pauta::cases::RunError>() {
                eprintln!("error[{}]: {error:#}", run_error.code());
            } else if let Some(mapping_error) = error.downcast_ref::<pauta::cases::mapping::MappingError>() {
                eprintln!("error[{}]: {error:#}", mapping_error.code());
            } else {
                eprintln!("error: {error:#}");
            }
            ExitCode::from(CANNOT_RUN)
        }
    }
}

/// The workspace of this run — `--policies DIR`, else a `pauta.toml` or `policies/` folder found
/// from the working directory upward, else the embedded policies — said on stderr in one line.
fn workspace(explicit: Option<&PathBuf>) -> anyhow::Result<Workspace> {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let workspace = pauta::policy::workspace::find(explicit.map(PathBuf::as_path), &cwd)?;
    eprintln!("{}", workspace.policies.describe());
    Ok(workspace)
}

/// The policies to use, by the workspace rule (see [`workspace`]).
fn load_policies(dir: Option<&PathBuf>) -> anyhow::Result<PolicySet> {
    Ok(workspace(dir)?.policies.load()?)
}

/// The ids of the loaded policies, for messages (`disponibles: M1-3-06@11, …`), or the words
/// that say there is none.
fn policy_ids(set: &PolicySet) -> String {
    if set.policies.is_empty() {
        return "la carpeta no tiene ningún procedimiento (solo calendarios o nada): \
                revise la ruta de `--policies`"
            .to_owned();
    }
    let ids = set
        .policies
        .iter()
        .map(pauta::policy::model::Policy::id)
        .collect::<Vec<_>>()
        .join(", ");
    format!("disponibles: {ids}")
}

/// The policy `id` names (`M1-3-06@11`, `M1-3-06`), or an error listing the loaded ones.
fn find_policy<'s>(set: &'s PolicySet, id: &str) -> anyhow::Result<&'s pauta::policy::model::Policy> {
    set.find(id)
        .ok_or_else(|| anyhow::anyhow!("no hay una política `{id}`; {}", policy_ids(set)))
}

/// Write text to stdout; a closed pipe is reported as an `io::Error` the caller turns into exit 0.
fn emit(text: &str) -> anyhow::Result<()> {
    use std::io::Write as _;
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()?;
    Ok(())
}
