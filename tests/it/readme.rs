#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The README cannot drift from the binary: every ```console block of `README.md` is run and its
//! output compared, and every file the README names in a command or links to exists in the
//! repository. The convention (also written in `docs/desarrollo.md`):
//!
//! - A line `$ pauta …` starts a command; a line ending in `\` continues on the next one. Single
//!   and double quotes group words as in a shell; an unquoted `#` starts a comment, and a comment
//!   `# código de salida: N` sets the exit code expected (0 otherwise).
//! - The lines after it, up to the next `$ ` line or the end of the block, are the expected
//!   output: standard output followed by standard error, line by line, trailing spaces ignored.
//!   A line holding only `…` stands for any number of lines (none included).
//! - The command runs with `NO_COLOR=1`, `pauta` replaced by the binary under test, in a fresh
//!   temporary folder that mirrors the repository (a symbolic link to each of its top-level
//!   entries), so relative paths read the repository's files, the workspace rule finds its
//!   `policies/`, and every file a command writes lands in the temporary folder. The commands of
//!   one block share their folder (a later command may read what an earlier one wrote).
//! - Every path a command of a ```console or ```sh block reads must exist in the repository (or
//!   have been written by an earlier command of the same block); paths after an output flag or a
//!   `>` are outputs and need not exist. Every relative link of the README must exist.
//!
//! Under `INSTA_FORCE_PASS` (how `.ci/new-version-check` runs the suite after publishing a
//! generated version or holiday, which legitimately changes the shipped policies' outputs) a
//! mismatch is reported on stderr instead of failing, as insta does with snapshots.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::common::root;
use crate::common::run::Pauta;

fn readme() -> String {
    std::fs::read_to_string(root().join("README.md")).unwrap()
}

/// A fenced block: its info string, the line of the README where its body starts, its lines.
struct Block {
    info: String,
    line: usize,
    lines: Vec<String>,
}

fn blocks(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut current: Option<(String, usize, String, Vec<String>)> = None;
    for (index, line) in text.lines().enumerate() {
        match &mut current {
            None => {
                let trimmed = line.trim_start();
                let fence: String = trimmed.chars().take_while(|c| *c == '`').collect();
                if fence.len() >= 3 {
                    let info = trimmed[fence.len()..].trim().to_owned();
                    current = Some((info, index + 2, fence, Vec::new()));
                }
            }
            Some((info, start, fence, lines)) => {
                if line.trim() == fence.as_str() {
                    out.push(Block {
                        info: std::mem::take(info),
                        line: *start,
                        lines: std::mem::take(lines),
                    });
                    current = None;
                } else {
                    lines.push(line.to_owned());
                }
            }
        }
    }
    out
}

/// One command of a block with its expected output.
struct Example {
    /// README line of the `$` line.
    line: usize,
    command: String,
    words: Vec<String>,
    exit: i32,
    expected: Vec<String>,
}

/// Shell-like words of `text`: quotes group, a backslash escapes outside single quotes, an
/// unquoted `#` at a word start begins a comment (returned apart).
fn words(text: &str) -> (Vec<String>, Option<String>) {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                for q in chars.by_ref() {
                    if q == '\'' {
                        break;
                    }
                    word.push(q);
                }
            }
            '"' => {
                in_word = true;
                while let Some(q) = chars.next() {
                    match q {
                        '"' => break,
                        '\\' => {
                            if let Some(n) = chars.next() {
                                word.push(n);
                            }
                        }
                        _ => word.push(q),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(n) = chars.next() {
                    word.push(n);
                }
            }
            '#' if !in_word => {
                let comment: String = chars.collect();
                return (out, Some(comment.trim().to_owned()));
            }
            c if c.is_whitespace() => {
                if in_word {
                    out.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        out.push(word);
    }
    (out, None)
}

/// The commands of a block: `$ ` lines (with `\` continuations) and the lines after them.
fn commands(block: &Block) -> Vec<Example> {
    let mut out: Vec<Example> = Vec::new();
    let mut index = 0;
    while index < block.lines.len() {
        let line = &block.lines[index];
        if let Some(first) = line.strip_prefix("$ ") {
            let start = block.line + index;
            let mut command = first.to_owned();
            while command.ends_with('\\') && index + 1 < block.lines.len() {
                command.pop();
                index += 1;
                command.push(' ');
                command.push_str(block.lines[index].trim_start());
            }
            let (words, comment) = words(&command);
            let exit = comment
                .as_deref()
                .and_then(|c| c.strip_prefix("código de salida:"))
                .map(|n| {
                    n.trim()
                        .parse()
                        .unwrap_or_else(|_| panic!("README línea {start}: código de salida ilegible"))
                })
                .unwrap_or(0);
            out.push(Example {
                line: start,
                command,
                words,
                exit,
                expected: Vec::new(),
            });
        } else if let Some(example) = out.last_mut() {
            example.expected.push(line.clone());
        } else {
            panic!(
                "README línea {}: un bloque console debe empezar con `$ pauta …`",
                block.line + index
            );
        }
        index += 1;
    }
    out
}

/// Whether `actual` matches `expected`, where a line `…` stands for any run of lines; `Err`
/// says where it stopped matching.
fn matches(expected: &[String], actual: &[String]) -> Result<(), String> {
    let clean = |lines: &[String]| -> Vec<String> {
        let mut lines: Vec<String> = lines.iter().map(|l| l.trim_end().to_owned()).collect();
        while lines.last().is_some_and(String::is_empty) {
            lines.pop();
        }
        lines
    };
    let expected = clean(expected);
    let actual = clean(actual);
    let segments: Vec<&[String]> = expected.split(|l| l == "…").collect();
    if segments.len() == 1 {
        return match expected.iter().zip(&actual).position(|(e, a)| e != a) {
            Some(at) => Err(format!(
                "línea {} de la salida:\n  esperada: {}\n  real:     {}",
                at + 1,
                expected[at],
                actual[at]
            )),
            None if expected.len() != actual.len() => Err(format!(
                "la salida tiene {} líneas y el ejemplo {}",
                actual.len(),
                expected.len()
            )),
            None => Ok(()),
        };
    }
    let first = segments[0];
    let last = segments[segments.len() - 1];
    if !actual.starts_with(first) {
        let at = first
            .iter()
            .zip(&actual)
            .position(|(e, a)| e != a)
            .unwrap_or(actual.len());
        return Err(format!(
            "el comienzo no coincide en la línea {}:\n  esperada: {}\n  real:     {}",
            at + 1,
            first.get(at).map_or("", String::as_str),
            actual.get(at).map_or("(fin de la salida)", String::as_str)
        ));
    }
    let mut position = first.len();
    for segment in &segments[1..segments.len() - 1] {
        if segment.is_empty() {
            continue;
        }
        let found = (position..=actual.len().saturating_sub(segment.len())).find(|&start| {
            actual.len() >= start + segment.len() && actual[start..start + segment.len()] == **segment
        });
        match found {
            Some(start) => position = start + segment.len(),
            None => {
                return Err(format!(
                    "estas líneas no están (en este orden) en la salida:\n  {}",
                    segment.join("\n  ")
                ));
            }
        }
    }
    if actual.len() < position + last.len() || !actual.ends_with(last) {
        return Err(format!(
            "el final no coincide; se esperaba terminar con:\n  {}",
            last.join("\n  ")
        ));
    }
    Ok(())
}

/// A fresh folder whose top-level entries link to the repository's.
fn mirror() -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = crate::common::outside("readme", &NEXT.fetch_add(1, Ordering::SeqCst).to_string());
    for entry in std::fs::read_dir(root()).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if name == "target" || name == ".git" {
            continue;
        }
        link(&entry.path(), &dir.join(&name));
    }
    dir
}

#[cfg(unix)]
fn link(from: &Path, to: &Path) {
    std::os::unix::fs::symlink(from, to).unwrap();
}

#[cfg(windows)]
fn link(from: &Path, to: &Path) {
    if from.is_dir() {
        std::os::windows::fs::symlink_dir(from, to).unwrap();
    } else {
        std::fs::copy(from, to).unwrap();
    }
}

/// Flags whose value is a file or folder the command writes.
const OUTPUT_FLAGS: &[&str] = &[
    "--output",
    "-o",
    "--salida",
    "--out",
    "--rejected",
    "--rechazadas",
    "--fix",
    "--corregir",
    "--errors",
    "--errores",
    "--scrub",
    "--limpiar",
];

/// Extensions that make a word a file name.
const EXTENSIONS: &[&str] = &[
    ".csv", ".pauta", ".pdf", ".xlsx", ".jpg", ".jpeg", ".png", ".toml", ".md", ".html", ".json", ".1",
];

/// The words of a command that name files it reads.
fn input_paths(words: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut skip_next = false;
    for word in words {
        if skip_next {
            skip_next = false;
            continue;
        }
        if word == ">" || word == ">>" || OUTPUT_FLAGS.contains(&word.as_str()) {
            skip_next = true;
            continue;
        }
        if word.starts_with('-') || word.starts_with('>') || word.contains('…') || word.contains('@') {
            continue;
        }
        let lower = word.to_lowercase();
        if word.contains('/') || EXTENSIONS.iter().any(|ext| lower.ends_with(ext)) {
            out.push(word.clone());
        }
    }
    out
}

/// Whether the suite runs with new snapshots accepted (`INSTA_FORCE_PASS`, as `.ci/new-version-check`
/// runs it): then a README example that changes is reported, not failed.
pub(crate) fn forced() -> bool {
    std::env::var_os("INSTA_FORCE_PASS").is_some_and(|v| v != "0")
}

#[test]
fn every_console_example_of_the_readme_is_real_output() {
    let text = readme();
    let mut failures = Vec::new();
    let mut count = 0;
    for block in blocks(&text).iter().filter(|b| b.info == "console") {
        let dir = mirror();
        for example in commands(block) {
            count += 1;
            assert_eq!(
                example.words.first().map(String::as_str),
                Some("pauta"),
                "README línea {}: un ejemplo console debe ejecutar pauta: {}",
                example.line,
                example.command
            );
            for path in input_paths(&example.words[1..]) {
                assert!(
                    root().join(&path).exists() || dir.join(&path).exists(),
                    "README línea {}: `{path}` no existe en el repositorio",
                    example.line
                );
            }
            let output = Pauta::new(&example.words[1..])
                .current_dir(&dir)
                .env_remove("CLICOLOR_FORCE")
                .env("TZ", "America/Bogota")
                .run();
            let mut actual: Vec<String> = output.stdout.lines().map(str::to_owned).collect();
            actual.extend(output.stderr.lines().map(str::to_owned));
            let code = output.code;
            let mut problems = Vec::new();
            if code != example.exit {
                problems.push(format!(
                    "terminó con el código {code} y el ejemplo espera {}",
                    example.exit
                ));
            }
            if let Err(why) = matches(&example.expected, &actual) {
                problems.push(why);
            }
            if !problems.is_empty() {
                failures.push(format!(
                    "README línea {}: $ {}\n{}\n--- salida real (stdout y luego stderr) ---\n{}\n",
                    example.line,
                    example.command,
                    problems.join("\n"),
                    actual.join("\n")
                ));
            }
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
    assert!(count >= 10, "el README tiene solo {count} ejemplos console");
    if failures.is_empty() {
        return;
    }
    let report = failures.join("\n");
    if forced() {
        eprintln!("INSTA_FORCE_PASS: ejemplos del README que cambiarían:\n{report}");
    } else {
        panic!(
            "{} ejemplo(s) del README no coinciden con el programa:\n{report}",
            failures.len()
        );
    }
}

#[test]
fn every_file_a_readme_command_reads_is_in_the_repository() {
    let text = readme();
    for block in blocks(&text) {
        if block.info != "sh" && block.info != "console" {
            continue;
        }
        let mut written: Vec<String> = Vec::new();
        let mut joined = String::new();
        for line in &block.lines {
            let line = line.strip_prefix("$ ").unwrap_or(line);
            if !joined.is_empty() || line.trim_start().starts_with("pauta ") {
                joined.push_str(line.trim_start());
                if joined.ends_with('\\') {
                    joined.pop();
                    joined.push(' ');
                    continue;
                }
                let (words, _) = words(&joined);
                for path in input_paths(&words[1..]) {
                    assert!(
                        root().join(&path).exists() || written.contains(&path),
                        "README (bloque de la línea {}): `{joined}` lee `{path}`, que no está en el repositorio",
                        block.line
                    );
                }
                // What this command writes may be read by the next ones.
                let mut next_is_output = false;
                for word in &words {
                    if next_is_output {
                        written.push(word.clone());
                    }
                    next_is_output = word == ">" || OUTPUT_FLAGS.contains(&word.as_str());
                }
                joined.clear();
            }
        }
    }
}

#[test]
fn every_relative_link_of_the_readme_and_docs_exists() {
    let mut files = vec![root().join("README.md")];
    for name in [
        "docs/reloj-ans.md",
        "docs/formatos.md",
        "docs/desarrollo.md",
        "benches/README.md",
    ] {
        files.push(root().join(name));
    }
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let base = file.parent().unwrap();
        let mut rest = text.as_str();
        while let Some(at) = rest.find("](") {
            rest = &rest[at + 2..];
            let end = rest.find(')').unwrap_or(rest.len());
            let target = &rest[..end];
            if target.starts_with("http") || target.starts_with('#') || target.starts_with("mailto:") {
                continue;
            }
            let path = target.split('#').next().unwrap_or_default();
            assert!(
                base.join(path).exists(),
                "{}: el enlace `{target}` no lleva a un archivo del repositorio",
                file.display()
            );
        }
    }
}

/// Nothing the users read cites a document outside the repository.
#[test]
fn the_readme_and_docs_stand_alone() {
    for name in [
        "README.md",
        "docs/reloj-ans.md",
        "docs/formatos.md",
        "docs/desarrollo.md",
        "benches/README.md",
    ] {
        let text = std::fs::read_to_string(root().join(name)).unwrap();
        for outside in ["DESIGN", "../shared", "/work/"] {
            assert!(
                !text.contains(outside),
                "{name} cita `{outside}`, que no está en el repositorio"
            );
        }
    }
}

#[test]
fn the_matcher_can_fail() {
    let lines = |text: &str| text.lines().map(str::to_owned).collect::<Vec<_>>();
    let actual = lines("a\nb\nc\nd\ne");
    assert!(matches(&lines("a\nb\nc\nd\ne"), &actual).is_ok());
    assert!(matches(&lines("a\n…\ne"), &actual).is_ok());
    assert!(matches(&lines("a\n…\nc\n…\ne"), &actual).is_ok());
    assert!(matches(&lines("…\nd\ne"), &actual).is_ok());
    assert!(matches(&lines("a\n…\nb\nc\nd\ne"), &actual).is_ok());
    assert!(matches(&lines("a\nb\nc\nd"), &actual).is_err());
    assert!(matches(&lines("a\n…\nx\n…\ne"), &actual).is_err());
    assert!(matches(&lines("a\n…\nd\n…\nc"), &actual).is_err());
    assert!(matches(&lines("a\nb\n…\nb\nc\nd\ne"), &actual).is_err());
    assert!(matches(&lines("b\n…\ne"), &actual).is_err());
    let (w, comment) = words(r#"pauta x --as-of '2024-07-01 00:00:00' "a b" c\ d # código de salida: 1"#);
    assert_eq!(w, ["pauta", "x", "--as-of", "2024-07-01 00:00:00", "a b", "c d"]);
    assert_eq!(comment.as_deref(), Some("código de salida: 1"));
}
