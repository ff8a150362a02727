//! The command line in Spanish: clap's help scaffolding (headings, usage, the help and version
//! flags, default and possible values) and every kind of clap error, rendered as
//! `error[U…]: mensaje` with the usage and a `= ayuda:` line.

use clap::builder::{PossibleValue, StyledStr};
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command};

/// The help page: about, usage, every argument under Spanish headings.
const TEMPLATE: &str = "{about-with-newline}\nUso: {usage}\n\n{all-args}{after-help}";

/// Heading of positional arguments.
const ARGUMENTS: &str = "Argumentos";
/// Heading of options.
const OPTIONS: &str = "Opciones";

/// `command` and all its subcommands with Spanish scaffolding.
pub fn localise(command: Command) -> Command {
    localise_one(command, true)
}

fn localise_one(command: Command, root: bool) -> Command {
    let mut command = command
        .help_template(TEMPLATE)
        .subcommand_help_heading("Comandos")
        .subcommand_value_name("COMANDO")
        .disable_help_subcommand(true)
        .disable_help_flag(true)
        .disable_version_flag(true)
        .mut_args(localise_arg)
        .arg(
            Arg::new("ayuda")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("Muestra la ayuda (-h: un resumen; --help: completa)")
                .help_heading(OPTIONS),
        );
    if root {
        command = command.arg(
            Arg::new("versión")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("Muestra la versión")
                .help_heading(OPTIONS),
        );
    }
    command.mut_subcommands(|sub| localise_one(sub, false))
}

/// One argument under its Spanish heading, with its default and possible values in the help
/// text in Spanish (clap would write `[default: …]` and `Possible values:`).
fn localise_arg(arg: Arg) -> Arg {
    let heading = if arg.is_positional() { ARGUMENTS } else { OPTIONS };
    let mut arg = arg.help_heading(heading);
    if arg.get_action().takes_values() {
        // The derive names every value after its field, in capitals: that is not a name.
        let id = arg.get_id().as_str().to_uppercase();
        let named = arg
            .get_value_names()
            .is_some_and(|names| names.iter().any(|n| n.as_str() != id));
        if arg.get_long() == Some("policies") {
            arg = arg.value_name("CARPETA");
        } else if !named && let Some(name) = placeholder(arg.get_id().as_str()) {
            arg = arg.value_name(name);
        }
    }
    if arg.is_hide_set() {
        return arg;
    }
    let mut help = arg.get_help().map(ToString::to_string).unwrap_or_default();
    if let Some(aliases) = arg.get_visible_aliases().filter(|a| !a.is_empty()) {
        let kept: Vec<String> = aliases.iter().map(|a| (*a).to_owned()).collect();
        let names: Vec<String> = kept.iter().map(|a| format!("--{a}")).collect();
        // Said in Spanish in the help text instead of clap's own `[alias: …]`.
        arg = arg.visible_alias(None).aliases(kept);
        help.push_str(&format!(" (también {})", names.join(", ")));
        arg = arg.help(help.clone());
        if let Some(long) = arg.get_long_help().map(ToString::to_string) {
            arg = arg.long_help(format!("{long} (también {})", names.join(", ")));
        }
    }
    let long = arg
        .get_long_help()
        .map(ToString::to_string)
        .unwrap_or_else(|| help.clone());
    let values: Vec<PossibleValue> = if arg.get_action().takes_values() {
        arg.get_possible_values()
            .into_iter()
            .filter(|v| !v.is_hide_set())
            .collect()
    } else {
        Vec::new()
    };
    let defaults: Vec<String> = if arg.get_action().takes_values() {
        arg.get_default_values()
            .iter()
            .map(|v| v.to_string_lossy().into_owned())
            .collect()
    } else {
        Vec::new()
    };
    if values.is_empty() && defaults.is_empty() {
        return arg;
    }
    let (mut short, mut full) = (help, long);
    if !values.is_empty() {
        let names: Vec<&str> = values.iter().map(PossibleValue::get_name).collect();
        short.push_str(&format!(" [valores: {}]", names.join(", ")));
        full.push_str("\n\nValores:");
        for value in &values {
            match value.get_help() {
                Some(help) => full.push_str(&format!("\n  - {}: {help}", value.get_name())),
                None => full.push_str(&format!("\n  - {}", value.get_name())),
            }
        }
    }
    if !defaults.is_empty() && !short.contains("por defecto") {
        let shown = format!(" [por defecto: {}]", defaults.join(", "));
        short.push_str(&shown);
        full.push_str(&format!("\n\nPor defecto: {}.", defaults.join(", ")));
    }
    arg = arg
        .hide_possible_values(true)
        .hide_default_value(true)
        .help(short)
        .long_help(full);
    arg
}

/// The Spanish placeholder of an argument that does not name its own (clap would show its id
/// in capitals: `<FORMAT>`, `<SEED>`).
fn placeholder(id: &str) -> Option<&'static str> {
    Some(match id {
        "format" => "FORMATO",
        "file" | "files" => "ARCHIVO",
        "paths" => "RUTAS",
        "policy" => "CÓDIGO@VERSIÓN",
        "from" => "DESDE",
        "to" => "HASTA",
        "until" => "HASTA",
        "on" => "FECHA",
        "year" => "AÑO",
        "seed" => "SEMILLA",
        "cases" => "N",
        "out" => "CARPETA",
        "placement" => "UBICACIÓN",
        "old" => "ANTERIOR",
        "new" => "NUEVA",
        "code" => "CÓDIGO",
        "case" | "case_id" => "CASO",
        "title" => "TÍTULO",
        "description" => "DESCRIPCIÓN",
        "cta" => "LLAMADO",
        "calendar" => "CALENDARIO",
        "anomalies" => "FRACCIÓN",
        _ => return None,
    })
}

/// English words clap still writes inside usage lines, and their Spanish.
const USAGE_WORDS: [(&str, &str); 5] = [
    ("Usage:", "Uso:"),
    ("[OPTIONS]", "[OPCIONES]"),
    ("<COMMAND>", "<COMANDO>"),
    ("[COMMAND]", "[COMANDO]"),
    ("[ARGS]", "[ARGUMENTOS]"),
];

/// Rendered help or usage text with clap's last English words replaced.
pub fn spanish_text(text: &str) -> String {
    let mut text = text.to_owned();
    for (english, spanish) in USAGE_WORDS {
        text = text.replace(english, spanish);
    }
    text
}

/// What a clap error becomes: where it goes, what it says, and the exit code.
pub struct Rendered {
    /// Text for stdout (help, version) or stderr (errors).
    pub text: String,
    /// Whether it goes to stdout.
    pub to_stdout: bool,
    /// Exit code: 0 for help and version, 2 for errors.
    pub exit_code: u8,
}

/// Renders a clap error (or help/version request) in Spanish, with colour when `styled`.
pub fn render(error: &clap::Error, styled: bool) -> Rendered {
    let kind = error.kind();
    if matches!(kind, ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        let text = if styled {
            error.render().ansi().to_string()
        } else {
            error.render().to_string()
        };
        return Rendered {
            text: spanish_text(&text),
            to_stdout: true,
            exit_code: 0,
        };
    }
    if kind == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
        let text = if styled {
            error.render().ansi().to_string()
        } else {
            error.render().to_string()
        };
        return Rendered {
            text: spanish_text(&text),
            to_stdout: false,
            exit_code: 2,
        };
    }
    let (code, message, hint) = message(error);
    let mut text = crate::cli::paint::error_line(code, &message, styled);
    text.push('\n');
    if let Some(usage) = context_text(error, ContextKind::Usage) {
        text.push('\n');
        text.push_str(&spanish_text(usage.trim_end()));
        text.push('\n');
    }
    text.push_str(&crate::cli::paint::help_line(&hint, styled));
    text.push('\n');
    Rendered {
        text,
        to_stdout: false,
        exit_code: 2,
    }
}

/// A context value as plain text.
fn context_text(error: &clap::Error, kind: ContextKind) -> Option<String> {
    if let Some(ContextValue::Number(number)) = error.get(kind) {
        return Some(number.to_string());
    }
    let list = context_list(error, kind);
    (!list.is_empty()).then(|| list.join(", "))
}

/// A context value as a list of plain texts.
fn context_list(error: &clap::Error, kind: ContextKind) -> Vec<String> {
    match error.get(kind) {
        Some(ContextValue::String(text)) => vec![text.clone()],
        Some(ContextValue::Strings(texts)) => texts.clone(),
        Some(ContextValue::StyledStr(text)) => vec![text.to_string()],
        Some(ContextValue::StyledStrs(texts)) => texts.iter().map(StyledStr::to_string).collect(),
        _ => Vec::new(),
    }
}

/// `«a»`, `«a» o «b»`, `«a», «b» o «c»`.
fn quoted_or(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("«{i}»")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} o {last}", rest.join(", ")),
    }
}

/// The code, the Spanish message and the hint of a clap error.
fn message(error: &clap::Error) -> (&'static str, String, String) {
    let arg = context_text(error, ContextKind::InvalidArg).unwrap_or_default();
    let value = context_text(error, ContextKind::InvalidValue).unwrap_or_default();
    let help = "escriba `pauta --help` o `pauta COMANDO --help` para ver las opciones".to_owned();
    match error.kind() {
        ErrorKind::InvalidValue => {
            let valid = context_list(error, ContextKind::ValidValue);
            let suggested = context_list(error, ContextKind::SuggestedValue);
            let message = if value.is_empty() {
                format!("falta el valor de {arg}")
            } else {
                format!("el valor «{value}» no es válido para {arg}")
            };
            let hint = match (suggested.is_empty(), valid.is_empty()) {
                (false, false) => format!(
                    "¿quiso decir {}? Valores posibles: {}",
                    quoted_or(&suggested),
                    quoted_or(&valid)
                ),
                (false, true) => format!("¿quiso decir {}?", quoted_or(&suggested)),
                (true, false) => format!("valores posibles: {}", quoted_or(&valid)),
                (true, true) => help,
            };
            ("U001", message, hint)
        }
        ErrorKind::ValueValidation => {
            let reason = std::error::Error::source(error)
                .map(|source| reason_in_spanish(&source.to_string()))
                .unwrap_or_default();
            let message = if reason.is_empty() {
                format!("el valor «{value}» no es válido para {arg}")
            } else {
                format!("el valor «{value}» no es válido para {arg}: {reason}")
            };
            ("U001", message, help)
        }
        ErrorKind::UnknownArgument => {
            let suggested = context_list(error, ContextKind::SuggestedArg);
            let trailing = context_list(error, ContextKind::TrailingArg);
            let hint = if !suggested.is_empty() {
                format!("¿quiso decir {}?", quoted_or(&suggested))
            } else if !trailing.is_empty() {
                format!("para pasar «{arg}» como valor, escriba `-- {arg}`")
            } else {
                help
            };
            (
                "U002",
                format!("la opción «{arg}» no existe en este comando"),
                hint,
            )
        }
        ErrorKind::InvalidSubcommand => {
            let name = context_text(error, ContextKind::InvalidSubcommand).unwrap_or_default();
            let suggested = context_list(error, ContextKind::SuggestedSubcommand);
            let hint = if suggested.is_empty() {
                "escriba `pauta --help` para ver los comandos".to_owned()
            } else {
                format!("¿quiso decir {}?", quoted_or(&suggested))
            };
            ("U003", format!("el comando «{name}» no existe"), hint)
        }
        ErrorKind::MissingRequiredArgument => {
            let missing = context_list(error, ContextKind::InvalidArg);
            let message = match missing.as_slice() {
                [one] => format!("falta {one}, que es obligatorio"),
                many => format!("faltan {}, que son obligatorios", many.join(", ")),
            };
            ("U004", message, help)
        }
        ErrorKind::MissingSubcommand => {
            let valid = context_list(error, ContextKind::ValidSubcommand);
            let hint = if valid.is_empty() {
                help
            } else {
                format!("comandos: {}", valid.join(", "))
            };
            ("U004", "falta el comando".to_owned(), hint)
        }
        ErrorKind::ArgumentConflict => {
            let prior = context_list(error, ContextKind::PriorArg);
            let message = if prior.is_empty() {
                format!("{arg} no se puede usar aquí")
            } else {
                format!("{arg} no se puede usar junto con {}", prior.join(", "))
            };
            ("U005", message, "use solo una de las dos opciones".to_owned())
        }
        ErrorKind::TooManyValues
        | ErrorKind::TooFewValues
        | ErrorKind::WrongNumberOfValues
        | ErrorKind::NoEquals => {
            let message = if value.is_empty() {
                format!("número de valores incorrecto para {arg}")
            } else {
                format!("el valor «{value}» sobra o falta en {arg}")
            };
            ("U006", message, help)
        }
        ErrorKind::InvalidUtf8 => (
            "U007",
            "un argumento no es texto válido (UTF-8)".to_owned(),
            "revise los caracteres de las rutas y los valores".to_owned(),
        ),
        _ => ("U008", "no se pudo leer la línea de órdenes".to_owned(), help),
    }
}

/// The reason a standard value parser gives, in Spanish (pauta's own parsers already speak it).
fn reason_in_spanish(reason: &str) -> String {
    if let Some(range) = reason.split(" is not in ").nth(1) {
        let bounds: Vec<&str> = range.split("..").collect();
        return match bounds.as_slice() {
            [low, high] if high.len() >= 18 => format!("debe ser un número de {low} en adelante"),
            [low, high] if high.starts_with('=') => {
                format!("debe ser un número de {low} a {}", high.trim_start_matches('='))
            }
            [low, high] => format!("debe ser un número de {low} a {high} (sin incluirlo)"),
            _ => "está fuera del rango permitido".to_owned(),
        };
    }
    if reason.contains("invalid digit") {
        return "no es un número entero".to_owned();
    }
    if reason.contains("too large") || reason.contains("too small") {
        return "el número es demasiado grande o demasiado pequeño".to_owned();
    }
    if reason.contains("empty string") {
        return "está vacío".to_owned();
    }
    if reason.contains("invalid float") {
        return "no es un número".to_owned();
    }
    if reason.contains("invalid characters") || reason.contains("invalid UTF-8") {
        return "contiene caracteres que no son texto válido (UTF-8)".to_owned();
    }
    reason.to_owned()
}
