//! The policy guide (`docs/guia-politicas.md`) and the diagnostic catalogue cannot drift: every
//! catalogue entry has its row in the guide's table, with the same severity, meaning and fix, byte
//! for byte, and the table lists no code the program does not have.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::root;
use crate::common::run::Pauta;
use std::collections::BTreeSet;

use pauta::policy::CATALOGUE;

/// Heading of the section that holds the catalogue table.
const SECTION: &str = "## 7. Catálogo de diagnósticos";

fn guide() -> String {
    let path = root().join("docs/guia-politicas.md");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Split a Markdown table row into its cells: `|` separates cells, `\|` is a literal `|`.
fn cells(row: &str) -> Vec<String> {
    let inner = row.trim();
    let inner = inner.strip_prefix('|').unwrap_or(inner);
    let inner = inner
        .strip_suffix('|')
        .filter(|s| !s.ends_with('\\'))
        .unwrap_or(inner);
    let mut out = Vec::new();
    let mut cell = String::new();
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                cell.push('|');
                chars.next();
            }
            '|' => out.push(std::mem::take(&mut cell)),
            _ => cell.push(c),
        }
    }
    out.push(cell);
    out.into_iter().map(|c| c.trim().to_string()).collect()
}

/// The rows of the first table after the catalogue heading (header and separator excluded).
fn catalogue_rows(text: &str) -> Vec<Vec<String>> {
    let start = text
        .find(SECTION)
        .unwrap_or_else(|| panic!("the guide has no `{SECTION}` section"));
    let section = &text[start + SECTION.len()..];
    let section = section.find("\n## ").map_or(section, |end| &section[..end]);
    let table: Vec<&str> = section
        .lines()
        .skip_while(|line| !line.trim_start().starts_with('|'))
        .take_while(|line| line.trim_start().starts_with('|'))
        .collect();
    assert!(table.len() > 2, "the catalogue section has no table");
    let header = cells(table[0]);
    assert_eq!(
        header,
        ["Código", "Gravedad", "Qué significa", "Cómo corregirlo"],
        "unexpected header of the catalogue table"
    );
    table[2..].iter().map(|row| cells(row)).collect()
}

/// The code of a row, without Markdown emphasis or code marks around it.
fn code_of(row: &[String]) -> &str {
    row.first()
        .map_or("", |c| c.trim_matches(|ch| ch == '`' || ch == '*'))
}

#[test]
fn every_catalogue_entry_has_its_exact_row_in_the_guide() {
    let text = guide();
    let rows = catalogue_rows(&text);
    for entry in CATALOGUE {
        let row = rows
            .iter()
            .find(|row| code_of(row) == entry.code)
            .unwrap_or_else(|| panic!("{}: no row in the guide's catalogue table", entry.code));
        assert_eq!(
            row.len(),
            4,
            "{}: the row must have 4 cells, got {row:?}",
            entry.code
        );
        assert_eq!(row[1], entry.severity.label(), "{}: severity", entry.code);
        assert_eq!(
            row[2], entry.meaning,
            "{}: meaning differs from the catalogue",
            entry.code
        );
        assert_eq!(
            row[3], entry.fix,
            "{}: fix differs from the catalogue",
            entry.code
        );
    }
}

#[test]
fn the_guide_table_lists_only_catalogue_codes_once_each() {
    let text = guide();
    let known: BTreeSet<&str> = CATALOGUE.iter().map(|e| e.code).collect();
    let mut seen = BTreeSet::new();
    for row in catalogue_rows(&text) {
        let code = code_of(&row).to_string();
        assert!(
            known.contains(code.as_str()),
            "`{code}` is in the guide's table but not in CATALOGUE"
        );
        assert!(
            seen.insert(code.clone()),
            "`{code}` appears twice in the guide's table"
        );
    }
    assert_eq!(seen.len(), CATALOGUE.len());
}

#[test]
fn every_diagnostic_code_mentioned_in_the_guide_exists() {
    let text = guide();
    let known: BTreeSet<&str> = CATALOGUE.iter().map(|e| e.code).collect();
    let bytes = text.as_bytes();
    for (i, _) in text.match_indices('P') {
        let digits = bytes.get(i + 1..i + 4).unwrap_or_default();
        let before = i.checked_sub(1).and_then(|j| bytes.get(j));
        let after = bytes.get(i + 4);
        if digits.len() == 3
            && digits.iter().all(u8::is_ascii_digit)
            && !before.is_some_and(u8::is_ascii_alphanumeric)
            && !after.is_some_and(u8::is_ascii_alphanumeric)
        {
            let code = &text[i..i + 4];
            assert!(
                known.contains(code),
                "the guide mentions `{code}`, which is not in CATALOGUE"
            );
        }
    }
}

#[test]
fn cells_unescape_pipes() {
    assert_eq!(
        cells(r"| P070 | error | a `x\|y` b | c |"),
        ["P070", "error", "a `x|y` b", "c"]
    );
}

/// Every field a rule can read is documented in the guide with its type and meaning, exactly as
/// `src/rules/fields.rs` declares it.
#[test]
fn the_guide_documents_every_rule_field() {
    use pauta::policy::model::Subject;
    use pauta::rules::fields::{fields, variable};
    let text = guide();
    for subject in [Subject::Case, Subject::Banner, Subject::Sms, Subject::Document] {
        for field in fields(subject) {
            let row = format!(
                "| `{}.{}` | {} | {} |",
                variable(subject),
                field.name,
                field.kind,
                field.description.replace('|', "\\|")
            );
            assert!(text.contains(&row), "the guide lacks {row}");
        }
    }
}

/// Codes a command's error type returns (`=> "N001"` arms of its `code()`), read from its source.
fn codes_in_source(path: &str, prefix: char) -> BTreeSet<String> {
    let text = std::fs::read_to_string(root().join(path)).unwrap();
    text.match_indices(&format!("=> \"{prefix}"))
        .filter_map(|(i, m)| text.get(i + m.len() - 1..i + m.len() + 3))
        .map(str::to_owned)
        .collect()
}

#[test]
fn new_version_and_diff_codes_are_listed_in_the_guide_and_nothing_else() {
    let text = guide();
    for (path, prefix) in [("src/policy/versioning.rs", 'N'), ("src/diff/error.rs", 'F')] {
        let codes = codes_in_source(path, prefix);
        assert!(codes.len() >= 5, "{path}: found only {codes:?}");
        let rows: BTreeSet<String> = text
            .lines()
            .filter_map(|line| line.strip_prefix(&format!("| {prefix}")))
            .filter_map(|rest| rest.get(..3).filter(|d| d.bytes().all(|b| b.is_ascii_digit())))
            .map(|digits| format!("{prefix}{digits}"))
            .collect();
        assert_eq!(rows, codes, "the guide's {prefix}… rows differ from {path}");
    }
}

/// The worked example's `pauta diff` output in the guide is the program's real output. It compares
/// with the pinned v11 and calendar (`--policies tests/fixtures/policies-v11`), so that a version
/// or holiday published under `policies/` does not change it.
#[test]
fn the_worked_example_diff_in_the_guide_is_real_output() {
    let text = guide();
    let command = "$ pauta diff M1-3-06@11 docs/ejemplo-v12/M1-3-06/v12.pauta --policies tests/fixtures/policies-v11 --cases tests/fixtures/aranda/basica/casos.csv --history tests/fixtures/aranda/basica/historial.csv --as-of '2024-07-01 00:00:00'\n";
    let start = text.find(command).expect("the guide shows the example's diff") + command.len();
    let shown = &text[start..text[start..].find("```").map_or(text.len(), |end| start + end)];
    Pauta::new(["diff", "M1-3-06@11", "docs/ejemplo-v12/M1-3-06/v12.pauta"])
        .args(["--policies", "tests/fixtures/policies-v11"])
        .args(["--cases", "tests/fixtures/aranda/basica/casos.csv"])
        .args(["--history", "tests/fixtures/aranda/basica/historial.csv"])
        .args(["--as-of", "2024-07-01 00:00:00"])
        .run()
        .failure(1)
        .stdout_is(shown);
}

/// The worked example checks clean and is in canonical layout.
#[test]
fn the_worked_example_checks_clean_and_is_formatted() {
    let folder = root().join("docs/ejemplo-v12");
    Pauta::new(["check"]).arg(&folder).run().success();
    Pauta::new(["fmt", "--check"]).arg(&folder).run().success();
}

/// The fenced blocks of a guide section, with their language.
fn blocks(section: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = section;
    while let Some(open) = rest.find("```") {
        let after = &rest[open + 3..];
        let newline = after.find('\n').unwrap_or(after.len());
        let language = after[..newline].trim().to_owned();
        let body = &after[(newline + 1).min(after.len())..];
        let close = body.find("```").unwrap_or(body.len());
        out.push((language, body[..close].to_owned()));
        rest = &body[(close + 3).min(body.len())..];
    }
    out
}

/// Section 3.17 documents the texts of the procedure with real examples: every line of its
/// `pauta` examples is a line of the shipped v11, and the document excerpt is real output.
#[test]
fn the_texts_of_the_procedure_have_real_examples() {
    let text = guide();
    let heading = "### 3.17 Los textos del procedimiento";
    let start = text.find(heading).expect("the guide documents the texts in 3.17");
    let section = &text[start..];
    let section = &section[..section[heading.len()..]
        .find("\n## ")
        .map_or(section.len(), |e| e + heading.len())];
    for keyword in ["objetivo", "alcance", "definición", "condición", "responsable"] {
        assert!(
            section.contains(&format!("\n{keyword} \"")),
            "3.17 has no example of `{keyword}`"
        );
    }
    let v11 = std::fs::read_to_string(root().join("policies/M1-3-06/v11.pauta")).unwrap();
    let v11_lines: BTreeSet<&str> = v11.lines().collect();
    let document = Pauta::new(["doc", "M1-3-06@11", "--policies", "policies"])
        .run()
        .stdout;
    let examples = blocks(section);
    assert!(examples.iter().any(|(language, _)| language == "pauta"));
    for (language, body) in examples {
        match language.as_str() {
            "pauta" => {
                for line in body.lines().filter(|l| !l.trim().is_empty()) {
                    assert!(v11_lines.contains(line), "not a line of v11: {line}");
                }
            }
            "text" if body.starts_with("####") => {
                assert!(document.contains(&body), "not in `pauta doc M1-3-06@11`:\n{body}");
            }
            _ => {}
        }
    }
}
