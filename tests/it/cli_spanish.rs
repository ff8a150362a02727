//! The command line speaks Spanish (issue 16): every subcommand's `-h` and `--help`, and a set
//! of wrong invocations, checked for clap's English scaffolding; every failure is
//! `error[CODE]: …`; completions for every shell and the manual page are generated.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::run::Pauta;

/// Words of clap's English scaffolding (and of the operating system's messages).
const ENGLISH: [&str; 24] = [
    "Usage",
    "Options:",
    "Arguments:",
    "Commands:",
    "Print help",
    "Print version",
    "Possible values",
    "possible values",
    "[default",
    "[aliases",
    "error: the ",
    "tip:",
    "For more information",
    "invalid value",
    "unrecognized",
    "unexpected argument",
    "required arguments",
    "[OPTIONS]",
    "<COMMAND>",
    "subcommand",
    "Print this message",
    "os error",
    "No such file",
    "Permission denied",
];

/// Placeholders a help page may show (Spanish, or a file pattern).
const PLACEHOLDERS: [&str; 34] = [
    "ARCHIVO",
    "CARPETA",
    "CUÁNDO",
    "FORMATO",
    "N",
    "FECHA",
    "CÓDIGO",
    "RUTAS",
    "HASTA",
    "DESDE",
    "CÓDIGO@VERSIÓN",
    "COMANDO",
    "AAAA-MM",
    "AAAA-MM-DD",
    "UBICACIÓN",
    "SEMILLA",
    "NUEVA",
    "ANTERIOR",
    "INTÉRPRETE",
    "CASO",
    "AÑO",
    "TÍTULO",
    "TEXTO",
    "SALIDA",
    "SALIDA.csv",
    "ERRORES.csv",
    "LLAMADO",
    "FRACCIÓN",
    "DESCRIPCIÓN",
    "CALENDARIO",
    "OPCIONES",
    "DIRECCIÓN:PUERTO",
    "CLAVE",
    "MB",
];

fn pauta(args: &[&str]) -> (i32, String, String) {
    let ran = Pauta::new(args).run();
    (ran.code, ran.stdout, ran.stderr)
}

fn assert_spanish(context: &str, text: &str) {
    for word in ENGLISH {
        assert!(!text.contains(word), "{context}: «{word}» in\n{text}");
    }
}

/// The subcommands a help page lists under «Comandos:».
fn subcommands(help: &str) -> Vec<String> {
    help.lines()
        .skip_while(|l| !l.starts_with("Comandos:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next().map(str::to_owned))
        .collect()
}

/// Every command path (`[]`, `["evaluate"]`, `["banner", "check"]`…).
fn every_command() -> Vec<Vec<String>> {
    let mut found = vec![Vec::new()];
    let mut index = 0;
    while index < found.len() {
        let path = found[index].clone();
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let (_, stdout, _) = pauta(&args);
        for sub in subcommands(&stdout) {
            let mut next = path.clone();
            next.push(sub);
            found.push(next);
        }
        index += 1;
    }
    found
}

#[test]
fn every_help_page_is_spanish_with_spanish_placeholders() {
    let commands = every_command();
    assert!(commands.len() >= 20, "{commands:?}");
    for path in &commands {
        for flag in ["-h", "--help"] {
            let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
            args.push(flag);
            let (code, stdout, stderr) = pauta(&args);
            let context = args.join(" ");
            assert_eq!(code, 0, "{context}: {stderr}");
            assert!(stdout.contains("Uso: pauta"), "{context}:\n{stdout}");
            assert_spanish(&context, &stdout);
            for placeholder in stdout
                .split('<')
                .skip(1)
                .filter_map(|rest| rest.split_once('>').map(|(name, _)| name))
                .filter(|name| name.chars().all(|c| !c.is_whitespace()) && !name.is_empty())
                .filter(|name| name.chars().next().is_some_and(char::is_uppercase))
            {
                assert!(
                    PLACEHOLDERS.contains(&placeholder),
                    "{context}: placeholder <{placeholder}>"
                );
            }
        }
    }
}

#[test]
fn wrong_invocations_are_told_in_spanish_with_a_code() {
    let cases: [(&[&str], &str); 13] = [
        (&[], "COMANDO"),
        (&["evalaute"], "¿quiso decir «evaluate»?"),
        (&["evaluate"], "falta --cases"),
        (&["evaluate", "--casos", "x.csv"], "¿quiso decir «--cases»?"),
        (&["evaluate", "--cases", "x.csv", "--format", "xml"], "«xml»"),
        (&["report", "--cases", "x.csv", "--size", "0"], "de 1 en adelante"),
        (
            &["report", "--cases", "x.csv", "--size", "muchos"],
            "no es un número entero",
        ),
        (&["calendar", "--year", "dosmil"], "no es un número entero"),
        (&["banner", "check"], "falta"),
        (&["sms"], "COMANDO"),
        (&["completions", "cmd"], "«cmd»"),
        (&["evaluate", "--cases", "no/existe.csv"], "no existe"),
        // A file where a folder is expected: the system's reason, in Spanish, said once.
        (
            &["generate", "--cases", "5", "--seed", "1", "--out", "Cargo.toml"],
            "ya existe",
        ),
    ];
    for (args, expected) in cases {
        let (code, stdout, stderr) = pauta(args);
        let context = format!("pauta {}", args.join(" "));
        assert_eq!(code, 2, "{context}: {stderr}");
        let text = format!("{stdout}{stderr}");
        assert!(text.contains(expected), "{context}: «{expected}» not in\n{text}");
        assert_spanish(&context, &text);
        for line in stderr.lines().filter(|l| l.starts_with("error")) {
            assert!(
                line.starts_with("error[") && line.find("]: ").is_some_and(|end| end > 6 && end < 12),
                "{context}: not `error[CODE]: …`: {line}"
            );
        }
    }
}

#[test]
fn completions_for_every_shell_and_the_manual_page() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let (code, stdout, stderr) = pauta(&["completions", shell]);
        assert_eq!(code, 0, "{shell}: {stderr}");
        assert!(stdout.contains("pauta"), "{shell}");
        assert!(
            stdout.contains("evaluate") && stdout.contains("--cases"),
            "{shell}"
        );
    }
    let (code, page, _) = pauta(&["manual"]);
    assert_eq!(code, 0);
    assert!(
        page.starts_with(".ie") || page.starts_with(".TH"),
        "{}",
        &page[..80]
    );
    for section in [".SH NOMBRE", ".SH SINOPSIS", ".SH OPCIONES", ".SH COMANDOS"] {
        assert!(page.contains(section), "{section}");
    }
    for command in ["PAUTA EVALUATE", "PAUTA REPORT", "PAUTA CHECK"] {
        assert!(page.contains(command), "{command}");
    }
    assert_spanish("pauta manual", &page);
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let (_, _, plain) = pauta(&["evaluate"]);
    assert!(!plain.contains('\u{1b}'), "no colour when not a terminal");
    let (_, _, painted) = pauta(&["evaluate", "--color", "always"]);
    assert!(painted.contains("\u{1b}["), "{painted}");
    let (_, _, never) = pauta(&["evaluate", "--color=never"]);
    assert!(!never.contains('\u{1b}'));
}

/// The guide's section 9 is exactly `pauta codes --format md`.
#[test]
fn the_guide_lists_every_code_of_the_registry() {
    let guide = std::fs::read_to_string(crate::common::root().join("docs/guia-politicas.md")).unwrap();
    let start = guide
        .find("una prueba la mantiene al día -->\n")
        .expect("the guide marks its table of codes")
        + "una prueba la mantiene al día -->\n".len();
    let end = guide.find("<!-- fin de la tabla de códigos -->").unwrap();
    let (code, table, _) = pauta(&["codes", "--format", "md"]);
    assert_eq!(code, 0);
    assert_eq!(
        &guide[start..end],
        table,
        "regenerate the table with `pauta codes --format md`"
    );
}

/// Every code the sources return or raise is in the registry: `=> "E001"`, `fail("U012", …`,
/// `("K003", …` in the library and the command line.
#[test]
fn every_code_in_the_sources_is_registered() {
    let (_, listed, _) = pauta(&["codes", "--format", "json"]);
    let registered: Vec<String> = serde_json::from_str::<Vec<serde_json::Value>>(&listed)
        .unwrap()
        .iter()
        .map(|e| e["code"].as_str().unwrap().to_owned())
        .collect();
    let mut missing = Vec::new();
    let mut stack = vec![crate::common::root().join("src")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            for (index, _) in text.match_indices('"') {
                let Some(candidate) = text.get(index + 1..index + 6) else {
                    continue;
                };
                let bytes = candidate.as_bytes();
                let is_code = bytes[0].is_ascii_uppercase()
                    && bytes[1..4].iter().all(u8::is_ascii_digit)
                    && bytes[4] == b'"';
                let before = text[..index].trim_end();
                let raised = before.ends_with("=>") || before.ends_with("fail(") || before.ends_with('(');
                if is_code && raised {
                    let code = &candidate[..4];
                    if !registered.iter().any(|r| r == code) {
                        missing.push(format!("{}: {code}", path.display()));
                    }
                }
            }
        }
    }
    assert!(missing.is_empty(), "codes not in the registry: {missing:?}");
}

/// An argument that is not UTF-8 (possible on Linux file systems) is told, never a crash.
#[cfg(unix)]
#[test]
fn arguments_that_are_not_utf8_are_told_not_a_crash() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let bad = OsStr::from_bytes(b"\xff");
    let cases: [Vec<&OsStr>; 4] = [
        vec![bad],
        vec![
            OsStr::new("evaluate"),
            OsStr::new("--cases"),
            OsStr::new("x.csv"),
            OsStr::new("--format"),
            bad,
        ],
        vec![OsStr::new("show"), OsStr::new("--policy"), bad],
        vec![
            OsStr::new("report"),
            OsStr::new("--cases"),
            OsStr::new("x.csv"),
            OsStr::new("--month"),
            bad,
        ],
    ];
    for args in cases {
        let output = Pauta::new(&args).run();
        let stderr = output.stderr;
        assert_eq!(output.code, 2, "{args:?}: {stderr}");
        assert!(stderr.starts_with("error[U0"), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}
