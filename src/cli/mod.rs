//! Command-line interface: one file per subcommand; each only parses flags, calls the library
//! and prints. Exit codes: 0 success, 1 problems found, 2 could not run.

mod banner;
mod calendar;
mod check;
mod codes;
mod completions;
mod diff;
mod doc;
mod document;
mod evaluate;
mod explain;
mod findings;
mod fmt;
mod format;
mod generate;
mod input;
mod mapping;
mod new_version;
mod paint;
mod progress;
mod report;
mod show;
mod sms;
mod spanish;
mod web;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

use pauta::policy::PolicySet;
use pauta::policy::workspace::Workspace;

/// pauta — el procedimiento M1-3-06 de ICETEX como políticas versionadas.
#[derive(Parser)]
#[command(name = "pauta", version, about = "pauta — el procedimiento M1-3-06 de ICETEX como políticas versionadas", long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Colorea los mensajes: auto (solo en una terminal y sin NO_COLOR), always o never.
    #[arg(
        long,
        global = true,
        value_enum,
        default_value = "auto",
        value_name = "CUÁNDO"
    )]
    color: paint::ColorChoice,
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
    /// Evalúa el ANS de cada caso de una exportación de Aranda: una fila por caso, en CSV, JSON
    /// por línea, CSV para Excel o libro de Excel.
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
    /// Lista todos los códigos de error, aviso, hallazgo y rechazo, con su significado.
    Codes(codes::Args),
    /// Escribe el guion de autocompletado de pauta para un intérprete de órdenes.
    Completions(completions::Args),
    /// Escribe la página de manual de pauta (formato roff, para `man`).
    Manual(completions::ManualArgs),
    /// Abre el banco de trabajo en el navegador: evaluar, informe mensual, editar políticas y
    /// revisar piezas, sin usar la terminal (servidor local en este equipo).
    Web(web::Args),
}

/// The `--color` choice read from the raw arguments, so that even a parse error is coloured
/// as asked (`--color never`, `--color=always`).
fn color_before_parsing() -> paint::ColorChoice {
    use clap::ValueEnum as _;
    // `args_os`: an argument that is not UTF-8 must reach clap (which says so), not panic here.
    let args: Vec<String> = std::env::args_os()
        .map(|arg| arg.to_string_lossy().into_owned())
        .collect();
    let mut choice = paint::ColorChoice::Auto;
    for (index, arg) in args.iter().enumerate() {
        let value = match arg.strip_prefix("--color") {
            Some("") => args.get(index + 1).map(String::as_str),
            Some(rest) => rest.strip_prefix('='),
            None => None,
        };
        if let Some(parsed) = value.and_then(|v| paint::ColorChoice::from_str(v, true).ok()) {
            choice = parsed;
        }
    }
    choice
}

/// The whole command line, with its Spanish scaffolding (for completions and the manual).
fn localised_command() -> clap::Command {
    spanish::localise(Cli::command())
}

/// Exit code for "could not run".
const CANNOT_RUN: u8 = 2;

/// Parse the command line and run the chosen subcommand.
pub fn run() -> ExitCode {
    paint::set_choice(color_before_parsing());
    let cli = match spanish::localise(Cli::command())
        .try_get_matches()
        .and_then(|matches| Cli::from_arg_matches(&matches))
    {
        Ok(cli) => cli,
        Err(error) => {
            let styled = if matches!(
                error.kind(),
                clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion
            ) {
                paint::stdout_styled()
            } else {
                paint::stderr_styled()
            };
            let rendered = spanish::render(&error, styled);
            if rendered.to_stdout {
                let _ = emit(&rendered.text);
            } else {
                eprint!("{}", rendered.text);
            }
            return ExitCode::from(rendered.exit_code);
        }
    };
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
        Command::Codes(args) => codes::run(&args),
        Command::Completions(args) => completions::run(&args, localised_command()),
        Command::Manual(args) => completions::manual(&args, localised_command()),
        Command::Web(args) => web::run(&args),
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
            let (code, message) = coded(&error);
            let styled = paint::stderr_styled();
            eprintln!("{}", paint::error_line(code, &message, styled));
            ExitCode::from(CANNOT_RUN)
        }
    }
}

/// The error and its causes joined by `: `, each cause said once, and an operating-system
/// cause in Spanish (its own text is English, and the messages above it already say it).
fn chain_in_spanish(error: &anyhow::Error) -> String {
    let mut message = String::new();
    for cause in error.chain() {
        let text = match cause.downcast_ref::<std::io::Error>() {
            Some(io) => pauta::text::io_reason(io),
            None => cause.to_string(),
        };
        if message.contains(&text) {
            continue;
        }
        if !message.is_empty() {
            message.push_str(": ");
        }
        message.push_str(&text);
    }
    message
}

/// An error the command line itself finds (a policy or calendar that is not there, an output
/// that cannot be written…), with its `U…` code.
#[derive(Debug)]
pub struct CliError {
    /// Code from [`pauta::catalogue::COMMAND_LINE`].
    pub code: &'static str,
    /// What happened and how to fix it, in Spanish.
    pub message: String,
}

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CliError {}

/// A command-line error with its code.
pub fn fail(code: &'static str, message: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(CliError {
        code,
        message: message.into(),
    })
}

/// The code and the Spanish message of a failure. Every error of the library carries its code
/// ([`pauta::catalogue::code_of`] finds it in the chain of causes); an operating-system error
/// met at this edge is an output that could not be written (`U012`).
fn coded(error: &anyhow::Error) -> (&'static str, String) {
    let message = chain_in_spanish(error);
    if let Some(error) = error.downcast_ref::<CliError>() {
        return (error.code, message);
    }
    if let Some(code) = error.chain().find_map(pauta::catalogue::code_of) {
        return (code, message);
    }
    if let Some(io) = error.downcast_ref::<std::io::Error>() {
        return (
            "U012",
            format!("no se pudo escribir la salida: {}", pauta::text::io_reason(io)),
        );
    }
    ("U099", message)
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

/// The policy a command names with `--policy`, or with the older loose argument; M1-3-06 when
/// neither is given.
fn chosen_policy<'a>(flag: Option<&'a str>, positional: Option<&'a str>) -> &'a str {
    flag.or(positional).unwrap_or("M1-3-06")
}

/// The policy `id` names (`M1-3-06@11`, `M1-3-06`), or an error listing the loaded ones.
fn find_policy<'s>(set: &'s PolicySet, id: &str) -> anyhow::Result<&'s pauta::policy::model::Policy> {
    set.find(id)
        .ok_or_else(|| fail("U010", format!("no hay una política `{id}`; {}", policy_ids(set))))
}

/// Write a human-readable report to stdout, its diagnostic lines coloured on a terminal.
fn emit_human(text: &str) -> anyhow::Result<()> {
    emit(&paint::diagnostics(text, paint::stdout_styled()))
}

/// Write text to stdout; a closed pipe is reported as an `io::Error` the caller turns into exit 0.
fn emit(text: &str) -> anyhow::Result<()> {
    use std::io::Write as _;
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()?;
    Ok(())
}
