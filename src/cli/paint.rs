//! Colour on a terminal: `--color auto|always|never` (auto: only when the stream is a terminal,
//! `NO_COLOR` is unset and `TERM` is not `dumb`), applied to the lines people scan for —
//! `error[…]`, `aviso[…]`, `-->` locations, `= ayuda:` hints and the run summaries.

use std::io::IsTerminal;
use std::sync::OnceLock;

use anstyle::{AnsiColor, Style};
use clap::ValueEnum;

/// When to colour.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Solo en una terminal, y si NO_COLOR no está definida.
    #[default]
    Auto,
    /// Siempre (también al redirigir a un archivo).
    Always,
    /// Nunca.
    Never,
}

static CHOICE: OnceLock<ColorChoice> = OnceLock::new();

/// Sets the choice of this run (the first call wins).
pub fn set_choice(choice: ColorChoice) {
    let _ = CHOICE.set(choice);
}

/// The choice of this run; before `--color` is parsed, from `NO_COLOR` and the terminal.
fn choice() -> ColorChoice {
    CHOICE.get().copied().unwrap_or_default()
}

fn auto(is_terminal: bool) -> bool {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let dumb = std::env::var("TERM").is_ok_and(|t| t == "dumb");
    is_terminal && !no_color && !dumb
}

/// Whether stderr gets colour.
pub fn stderr_styled() -> bool {
    match choice() {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => auto(std::io::stderr().is_terminal()),
    }
}

/// Whether stdout gets colour.
pub fn stdout_styled() -> bool {
    match choice() {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => auto(std::io::stdout().is_terminal()),
    }
}

const ERROR: Style = AnsiColor::Red.on_default().bold();
const WARNING: Style = AnsiColor::Yellow.on_default().bold();
const PLACE: Style = AnsiColor::Blue.on_default().bold();
const HINT: Style = AnsiColor::Cyan.on_default().bold();
const GOOD: Style = AnsiColor::Green.on_default().bold();

fn paint(style: Style, text: &str, styled: bool) -> String {
    if styled {
        format!("{}{text}{}", style.render(), style.render_reset())
    } else {
        text.to_owned()
    }
}

/// `error[CODE]: message`.
pub fn error_line(code: &str, message: &str, styled: bool) -> String {
    format!("{}: {message}", paint(ERROR, &format!("error[{code}]"), styled))
}

/// `= ayuda: hint`.
pub fn help_line(hint: &str, styled: bool) -> String {
    format!("{} {hint}", paint(HINT, "= ayuda:", styled))
}

/// Text with its diagnostic lines coloured: the `error[…]`/`aviso[…]` label, the `-->` arrow,
/// the `= ayuda:` label, and the verdict words of the summaries. Unchanged when not `styled`.
pub fn diagnostics(text: &str, styled: bool) -> String {
    if !styled {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 64);
    for line in text.split_inclusive('\n') {
        out.push_str(&paint_line(line));
    }
    out
}

fn paint_line(line: &str) -> String {
    let trimmed = line.trim_start();
    let indent = &line[..line.len() - trimmed.len()];
    for (prefix, style) in [("error", ERROR), ("aviso", WARNING)] {
        if trimmed.starts_with(prefix)
            && let Some(end) = trimmed.find(':')
            && trimmed[..end]
                .strip_prefix(prefix)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('['))
        {
            return format!(
                "{indent}{}{}",
                paint(style, &trimmed[..end], true),
                &trimmed[end..]
            );
        }
    }
    for (prefix, style) in [("-->", PLACE), ("= ayuda:", HINT), ("= nota:", HINT)] {
        if let Some(rest) = trimmed.strip_prefix(prefix) {
            return format!("{indent}{}{rest}", paint(style, prefix, true));
        }
    }
    for (word, style) in [
        ("Resultado: cumple", GOOD),
        ("Resultado: no cumple", ERROR),
        ("hallazgo ", WARNING),
        ("rechazo ", WARNING),
        ("regla «", WARNING),
    ] {
        if let Some(rest) = trimmed.strip_prefix(word) {
            return format!("{indent}{}{rest}", paint(style, word, true));
        }
    }
    line.to_owned()
}

/// Prints `text` on stderr, coloured when stderr is styled.
pub fn eprint(text: &str) {
    eprint!("{}", diagnostics(text, stderr_styled()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_labels_are_painted_and_plain_text_is_untouched() {
        let text = "error[P002]: falta algo\n  --> a.pauta:3:1\n  = ayuda: agréguelo\nerrores: 2\n";
        assert_eq!(diagnostics(text, false), text);
        let painted = diagnostics(text, true);
        assert!(painted.contains("\u{1b}[1m\u{1b}[31merror[P002]\u{1b}[0m: falta algo"));
        assert!(
            painted.contains("errores: 2\n"),
            "a word that merely starts alike"
        );
        let stripped: String = {
            let mut out = String::new();
            let mut chars = painted.chars();
            while let Some(c) = chars.next() {
                if c == '\u{1b}' {
                    for c in chars.by_ref() {
                        if c == 'm' {
                            break;
                        }
                    }
                } else {
                    out.push(c);
                }
            }
            out
        };
        assert_eq!(stripped, text);
    }
}
