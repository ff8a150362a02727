//! `pauta completions SHELL` and `pauta manual`: the shell completion script and the manual
//! page, generated from the same command definition the parser uses.

use std::process::ExitCode;

use clap::ValueEnum;
use clap_complete::Shell as Generator;

/// Shells with a completion script.
#[derive(Clone, Copy, ValueEnum)]
pub enum Shell {
    /// Bash.
    Bash,
    /// Zsh.
    Zsh,
    /// Fish.
    Fish,
    /// PowerShell (Windows).
    Powershell,
    /// Elvish.
    Elvish,
}

/// Flags of `pauta completions`.
#[derive(clap::Args)]
pub struct Args {
    /// Intérprete de órdenes.
    #[arg(value_enum, value_name = "INTÉRPRETE")]
    shell: Shell,
}

/// Flags of `pauta manual`.
#[derive(clap::Args)]
pub struct ManualArgs {}

/// Writes the completion script on stdout.
pub fn run(args: &Args, mut command: clap::Command) -> anyhow::Result<ExitCode> {
    let generator = match args.shell {
        Shell::Bash => Generator::Bash,
        Shell::Zsh => Generator::Zsh,
        Shell::Fish => Generator::Fish,
        Shell::Powershell => Generator::PowerShell,
        Shell::Elvish => Generator::Elvish,
    };
    let mut out = Vec::new();
    clap_complete::generate(generator, &mut command, "pauta", &mut out);
    super::emit(&String::from_utf8_lossy(&out))?;
    Ok(ExitCode::SUCCESS)
}

/// Writes the manual page (roff) on stdout: `pauta manual > pauta.1; man ./pauta.1`.
pub fn manual(_args: &ManualArgs, command: clap::Command) -> anyhow::Result<ExitCode> {
    let mut out = Vec::new();
    render_manual(command, &mut out)?;
    super::emit(&String::from_utf8_lossy(&out))?;
    Ok(ExitCode::SUCCESS)
}

/// The page of `pauta` followed by one section per subcommand, with Spanish section titles.
fn render_manual(command: clap::Command, out: &mut Vec<u8>) -> std::io::Result<()> {
    let command = command.version(env!("CARGO_PKG_VERSION")).display_name("pauta");
    let page = clap_mangen::Man::new(command.clone())
        .title("PAUTA")
        .section("1")
        .manual("Manual de pauta")
        .source(format!("pauta {}", env!("CARGO_PKG_VERSION")));
    let mut main = Vec::new();
    page.render_title(&mut main)?;
    page.render_name_section(&mut main)?;
    page.render_synopsis_section(&mut main)?;
    page.render_description_section(&mut main)?;
    page.render_options_section(&mut main)?;
    page.render_subcommands_section(&mut main)?;
    page.render_version_section(&mut main)?;
    out.extend(spanish_roff(&String::from_utf8_lossy(&main)).into_bytes());
    for sub in command.get_subcommands() {
        let name = format!("pauta {}", sub.get_name());
        let sub = sub.clone().display_name(name.clone()).bin_name(name);
        let page = clap_mangen::Man::new(sub);
        let mut section = Vec::new();
        page.render_synopsis_section(&mut section)?;
        page.render_description_section(&mut section)?;
        page.render_options_section(&mut section)?;
        page.render_subcommands_section(&mut section)?;
        let text = String::from_utf8_lossy(&section).replace(
            ".SH SYNOPSIS",
            &format!(".SH \"{}\"", sub_title(&page_name(&section))),
        );
        out.extend(spanish_roff(&text).into_bytes());
    }
    Ok(())
}

fn page_name(section: &[u8]) -> String {
    let text = String::from_utf8_lossy(section);
    text.lines()
        .skip_while(|l| !l.starts_with(".SH SYNOPSIS"))
        .nth(1)
        .map(|l| l.replace("\\fB", "").replace("\\fR", "").replace('\\', ""))
        .and_then(|l| l.split(" [").next().map(str::to_owned))
        .unwrap_or_default()
}

fn sub_title(name: &str) -> String {
    name.split_whitespace()
        .take(2)
        .collect::<Vec<_>>()
        .join(" ")
        .to_uppercase()
}

/// clap_mangen's English section titles in Spanish.
fn spanish_roff(text: &str) -> String {
    let mut text = text.to_owned();
    for (english, spanish) in [
        (".SH NAME", ".SH NOMBRE"),
        (".SH SYNOPSIS", ".SH SINOPSIS"),
        (".SH DESCRIPTION", ".SH DESCRIPCIÓN"),
        (".SH OPTIONS", ".SH OPCIONES"),
        (".SH SUBCOMMANDS", ".SH COMANDOS"),
        (".SH Comandos", ".SH COMANDOS"),
        (".SH VERSION", ".SH VERSIÓN"),
        ("[\\fIOPTIONS\\fR]", "[\\fIOPCIONES\\fR]"),
        ("[OPTIONS]", "[OPCIONES]"),
        ("<\\fIsubcommands\\fR>", "<\\fICOMANDO\\fR>"),
        ("\\fIsubcommands\\fR", "\\fICOMANDO\\fR"),
        ("(default: ", "(por defecto: "),
        ("[default: ", "[por defecto: "),
        ("[possible values: ", "[valores: "),
        ("Possible values:", "Valores:"),
    ] {
        text = text.replace(english, spanish);
    }
    text
}
