//! `pauta fmt`: the canonical layout is idempotent, keeps every comment, and compiles to the same
//! policy as the input — on every shipped policy, every broken policy that parses and every
//! `.pauta` fixture (found by scanning, so new files are covered without code changes).

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use pauta::policy::format::format_source;
use pauta::policy::{PolicySet, SourceFile, check_sources};
use serde_json::Value;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn pauta() -> Command {
    Command::cargo_bin("pauta").unwrap_or_else(|e| panic!("binary not built: {e}"))
}

fn pauta_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            pauta_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "pauta") {
            out.push(path);
        }
    }
}

fn corpus() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in ["policies", "tests/broken", "tests/fixtures", "docs"] {
        pauta_files(&root().join(dir), &mut files);
    }
    files
}

/// The compiled form with what layout may change taken out: positions, and the spelling and
/// spacing of the source slices quoted in `implícita` items.
fn normalized(mut value: Value) -> Value {
    fn walk(value: &mut Value) {
        match value {
            Value::Object(map) => {
                for (key, item) in map.iter_mut() {
                    match key.as_str() {
                        "line" | "column" => *item = Value::Null,
                        "item" => {
                            if let Value::String(text) = item {
                                *text = pauta::text::match_key(text).replace([' ', ','], "");
                            }
                        }
                        _ => walk(item),
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(walk),
            _ => {}
        }
    }
    walk(&mut value);
    value
}

/// What checking a file yields: its compiled policy or calendar, and its diagnostic codes.
fn compiled(name: &str, text: &str) -> (Value, Vec<String>) {
    let calendars = PolicySet::embedded().map(|s| s.calendars).unwrap_or_default();
    let report = check_sources(&[SourceFile::new(name, text)], &calendars);
    let value = match (report.policies.first(), report.calendars.first()) {
        (Some(policy), _) => serde_json::to_value(policy),
        (None, Some(calendar)) => serde_json::to_value(calendar),
        (None, None) => Ok(Value::Null),
    }
    .unwrap_or(Value::Null);
    let codes = report
        .files
        .iter()
        .flat_map(|f| f.diagnostics.iter().map(|d| format!("{:?}", d.code)))
        .collect();
    (normalized(value), codes)
}

fn comments(text: &str) -> Vec<String> {
    // Comments outside strings and backtick code, in order.
    let mut found = Vec::new();
    for line in text.lines() {
        let (mut in_string, mut in_code, mut escaped) = (false, false, false);
        for (i, c) in line.char_indices() {
            match c {
                _ if escaped => escaped = false,
                '\\' if in_string => escaped = true,
                '"' if !in_code => in_string = !in_string,
                '`' if !in_string => in_code = !in_code,
                '#' if !in_string && !in_code => {
                    found.push(line[i..].trim_end().to_string());
                    break;
                }
                _ => {}
            }
        }
    }
    found
}

#[test]
fn fmt_is_idempotent_keeps_comments_and_compiles_the_same() {
    let mut formatted_files = 0;
    for path in corpus() {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        let Ok(once) = format_source(&SourceFile::new(&name, &text)) else {
            continue;
        };
        formatted_files += 1;
        let twice = format_source(&SourceFile::new(&name, &once))
            .unwrap_or_else(|d| panic!("{name}: the formatted text does not parse: {d:?}"));
        assert_eq!(once, twice, "{name}: fmt is not idempotent");
        assert_eq!(comments(&text), comments(&once), "{name}: comments changed");
        assert_eq!(
            compiled(&name, &text),
            compiled(&name, &once),
            "{name}: compiles differently"
        );
        for line in once.lines() {
            assert_eq!(line, line.trim_end(), "{name}: trailing spaces");
        }
    }
    assert!(formatted_files >= 30, "only {formatted_files} files formatted");
}

#[test]
fn shipped_policies_are_in_canonical_layout() {
    pauta()
        .args(["fmt", "--check"])
        .arg(root().join("policies"))
        .assert()
        .code(0);
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pauta-fmt-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    dir
}

const MESSY: &str = "# Política de prueba\nPROCEDIMIENTO \"X-1\"   \"Prueba\"\nVERSION 1 VIGENTE DESDE 2024-01-01\n\n\n\ncalendario \"colombia\"\nhorario lunes a viernes 08:00 a 17:00\nfuera de horario: siguiente dia habil\nestados {\n\"Registrado\" inicial corre\n\"Solucionado\" pausa solucion\n\"Cerrado\" final }\ntransicion \"Registrado\" → \"Solucionado\" razon cualquiera\ntransición \"Solucionado\" -> \"Cerrado\" razón cualquiera   # fin\ncategoria \"C\" { ans 5 dias habiles }\n";

const CANONICAL: &str = "# Política de prueba\nprocedimiento \"X-1\" \"Prueba\"\nversión 1 vigente desde 2024-01-01\n\ncalendario \"colombia\"\nhorario lunes a viernes 08:00 a 17:00\nfuera de horario: siguiente día hábil\nestados {\n  \"Registrado\"  inicial corre\n  \"Solucionado\" pausa solución\n  \"Cerrado\"     final\n}\ntransición \"Registrado\" -> \"Solucionado\" razón cualquiera\ntransición \"Solucionado\" -> \"Cerrado\" razón cualquiera  # fin\ncategoría \"C\" {\n  ans 5 días hábiles\n}\n";

#[test]
fn fmt_check_lists_then_fmt_rewrites() {
    let dir = scratch("rewrite");
    let file = dir.join("v1.pauta");
    std::fs::write(&file, MESSY).unwrap_or_else(|e| panic!("{e}"));
    let output = pauta()
        .args(["fmt", "--check"])
        .arg(&dir)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("sin formato:") && stdout.contains("v1.pauta"),
        "{stdout}"
    );
    assert_eq!(
        std::fs::read_to_string(&file).unwrap_or_default(),
        MESSY,
        "--check wrote"
    );

    pauta().arg("fmt").arg(&file).assert().code(0);
    assert_eq!(std::fs::read_to_string(&file).unwrap_or_default(), CANONICAL);
    pauta().args(["fmt", "--check"]).arg(&file).assert().code(0);
}

#[test]
fn fmt_leaves_a_file_with_a_syntax_error_untouched() {
    let dir = scratch("broken");
    let file = dir.join("v1.pauta");
    let text = "procedimiento \"X\" \"Y\"\nversión 1 vigente desde 2024-01-01\ntransición \"A\" \"B\"\n";
    std::fs::write(&file, text).unwrap_or_else(|e| panic!("{e}"));
    let output = pauta()
        .arg("fmt")
        .arg(&file)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(output.status.code(), Some(2));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("P001") && stdout.contains("v1.pauta:3:"),
        "{stdout}"
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap_or_default(), text);
}
