//! `pauta fmt`: the canonical layout is idempotent, keeps every comment, and compiles to the same
//! policy as the input — on every shipped policy, every broken policy that parses and every
//! `.pauta` fixture (found by scanning, so new files are covered without code changes).

use std::path::PathBuf;

use pauta::policy::format::{comments, format_source, meaning, same_meaning};
use pauta::policy::{PolicySet, SourceFile};
use serde_json::Value;

use crate::common::run::Pauta;
use crate::common::{pauta_files, root};

fn corpus() -> Vec<PathBuf> {
    ["policies", "tests/broken", "tests/fixtures", "docs"]
        .iter()
        .flat_map(|dir| pauta_files(&root().join(dir)))
        .collect()
}

/// What checking a file yields (the same comparison `fmt` makes before writing): its compiled
/// policy or calendar without positions, and its error codes.
fn compiled(name: &str, text: &str) -> (Value, Vec<&'static str>) {
    let calendars = PolicySet::embedded().map(|s| s.calendars).unwrap_or_default();
    meaning(&SourceFile::new(name, text), &calendars)
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
        assert_eq!(
            comments(&SourceFile::new(&name, &text).text),
            comments(&once),
            "{name}: comments changed"
        );
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
    Pauta::new(["fmt", "--check"])
        .arg(root().join("policies"))
        .run()
        .success();
}

fn scratch(name: &str) -> PathBuf {
    crate::common::scratch("fmt", name)
}

const MESSY: &str = "# Política de prueba\nPROCEDIMIENTO \"X-1\"   \"Prueba\"\nVERSION 1 VIGENTE DESDE 2024-01-01\n\n\n\ncalendario \"colombia\"\nhorario lunes a viernes 08:00 a 17:00\nfuera de horario: siguiente dia habil\nestados {\n\"Registrado\" inicial corre\n\"Solucionado\" pausa solucion\n\"Cerrado\" final }\ntransicion \"Registrado\" → \"Solucionado\" razon cualquiera\ntransición \"Solucionado\" -> \"Cerrado\" razón cualquiera   # fin\ncategoria \"C\" { ans 5 dias habiles }\n";

const CANONICAL: &str = "# Política de prueba\nprocedimiento \"X-1\" \"Prueba\"\nversión 1 vigente desde 2024-01-01\n\ncalendario \"colombia\"\nhorario lunes a viernes 08:00 a 17:00\nfuera de horario: siguiente día hábil\nestados {\n  \"Registrado\"  inicial corre\n  \"Solucionado\" pausa solución\n  \"Cerrado\"     final\n}\ntransición \"Registrado\" -> \"Solucionado\" razón cualquiera\ntransición \"Solucionado\" -> \"Cerrado\" razón cualquiera  # fin\ncategoría \"C\" {\n  ans 5 días hábiles\n}\n";

#[test]
fn fmt_check_lists_then_fmt_rewrites() {
    let dir = scratch("rewrite");
    let file = dir.join("v1.pauta");
    std::fs::write(&file, MESSY).unwrap_or_else(|e| panic!("{e}"));
    let output = Pauta::new(["fmt", "--check"]).arg(&dir).run().failure(1);
    let stdout = output.stdout;
    assert!(
        stdout.contains("sin formato:") && stdout.contains("v1.pauta"),
        "{stdout}"
    );
    assert_eq!(
        std::fs::read_to_string(&file).unwrap_or_default(),
        MESSY,
        "--check wrote"
    );

    Pauta::new(["fmt"]).arg(&file).run().success();
    assert_eq!(std::fs::read_to_string(&file).unwrap_or_default(), CANONICAL);
    Pauta::new(["fmt", "--check"]).arg(&file).run().success();
}

#[test]
fn fmt_leaves_a_file_with_a_syntax_error_untouched() {
    let dir = scratch("broken");
    let file = dir.join("v1.pauta");
    let text = "procedimiento \"X\" \"Y\"\nversión 1 vigente desde 2024-01-01\ntransición \"A\" \"B\"\n";
    std::fs::write(&file, text).unwrap_or_else(|e| panic!("{e}"));
    let output = Pauta::new(["fmt"]).arg(&file).run().failure(2);
    let stdout = output.stdout;
    assert!(
        stdout.contains("P001") && stdout.contains("v1.pauta:3:"),
        "{stdout}"
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap_or_default(), text);
}

/// A policy saved with old-Mac line ends (a lone CR) checks clean, and `fmt` rewrites it to the
/// canonical LF text that still checks clean — comments stay on their statements.
#[test]
fn fmt_of_a_cr_only_policy_writes_the_canonical_text_that_checks_clean() {
    let dir = scratch("cr_only");
    std::fs::create_dir_all(dir.join("M1-3-06")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::create_dir_all(dir.join("calendarios")).unwrap_or_else(|e| panic!("{e}"));
    let v11 = std::fs::read_to_string(root().join("policies/M1-3-06/v11.pauta")).unwrap_or_default();
    let calendar =
        std::fs::read_to_string(root().join("policies/calendarios/colombia.pauta")).unwrap_or_default();
    let file = dir.join("M1-3-06/v11.pauta");
    std::fs::write(&file, v11.replace('\n', "\r")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        dir.join("calendarios/colombia.pauta"),
        calendar.replace('\n', "\r"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    Pauta::new(["check"]).arg(&dir).run().success();
    Pauta::new(["fmt", "--check"]).arg(&dir).run().failure(1);
    Pauta::new(["fmt"]).arg(&dir).run().success();
    assert_eq!(std::fs::read_to_string(&file).unwrap_or_default(), v11);
    Pauta::new(["check"]).arg(&dir).run().success();
    Pauta::new(["fmt", "--check"]).arg(&dir).run().success();
}

mod mutants {
    use proptest::prelude::*;

    use super::*;

    /// One edit a process owner's hands (or editor) might make to a line.
    #[derive(Debug, Clone)]
    enum Edit {
        Delete,
        Duplicate,
        Comment,
        CommentAbove,
        BlankAbove,
        Indent(usize),
        Upper,
        TrailingSpaces,
    }

    fn edit() -> impl Strategy<Value = Edit> {
        prop_oneof![
            Just(Edit::Delete),
            Just(Edit::Duplicate),
            Just(Edit::Comment),
            Just(Edit::CommentAbove),
            Just(Edit::BlankAbove),
            (0_usize..9).prop_map(Edit::Indent),
            Just(Edit::Upper),
            Just(Edit::TrailingSpaces),
        ]
    }

    /// `text` with `edits` applied at line indexes (modulo its length), then its line ends
    /// rewritten: 0 LF, 1 CRLF, 2 CR, 3 a mix.
    fn mutate(text: &str, edits: &[(usize, Edit)], ends: u8) -> String {
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        for (at, edit) in edits {
            if lines.is_empty() {
                break;
            }
            let at = at % lines.len();
            match edit {
                Edit::Delete => {
                    lines.remove(at);
                }
                Edit::Duplicate => lines.insert(at, lines[at].clone()),
                Edit::Comment => lines[at].push_str("  # nota añadida"),
                Edit::CommentAbove => lines.insert(at, "# comentario propio".to_owned()),
                Edit::BlankAbove => lines.insert(at, String::new()),
                Edit::Indent(n) => lines[at] = format!("{}{}", " ".repeat(*n), lines[at].trim_start()),
                Edit::Upper => {
                    // Keywords only: text in quotes or backticks keeps its case.
                    if !lines[at].contains(['"', '`']) {
                        lines[at] = lines[at].to_uppercase();
                    }
                }
                Edit::TrailingSpaces => lines[at].push_str("   "),
            }
        }
        let mut out = String::new();
        for (index, line) in lines.iter().enumerate() {
            out.push_str(line);
            out.push_str(match (ends, index % 3) {
                (0, _) | (3, 0) => "\n",
                (1, _) | (3, 1) => "\r\n",
                _ => "\r",
            });
        }
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

        /// On any mutant of a shipped file that parses, `fmt` keeps the meaning (the check
        /// `fmt` runs before writing never has to refuse) and is idempotent.
        #[test]
        fn fmt_keeps_the_meaning_of_any_mutant_of_the_shipped_policies(
            file in 0_usize..2,
            edits in proptest::collection::vec((0_usize..400, edit()), 0..6),
            ends in 0_u8..4,
        ) {
            let path = ["policies/M1-3-06/v11.pauta", "policies/calendarios/colombia.pauta"][file];
            let text = std::fs::read_to_string(root().join(path)).unwrap_or_default();
            let mutant = mutate(&text, &edits, ends);
            let source = SourceFile::new(path, &mutant);
            if let Ok(once) = format_source(&source) {
                let calendars = PolicySet::embedded().map(|s| s.calendars).unwrap_or_default();
                prop_assert!(same_meaning(&source, &once, &calendars).is_ok(), "{:?}", same_meaning(&source, &once, &calendars));
                let twice = format_source(&SourceFile::new(path, &once));
                prop_assert_eq!(twice.ok(), Some(once));
            }
        }
    }
}

/// Days of the year are written the Spanish way: the old month-first form still reads, with
/// the warning P081 (a Colombian reads `07-08` as 7 August; written month first it is 8 July),
/// and `fmt` rewrites it as `8 de julio`.
#[test]
fn fmt_rewrites_month_first_days_the_spanish_way() {
    let dir = scratch("dias");
    let file = dir.join("calendario.pauta");
    std::fs::write(
        &file,
        "calendario \"prueba\" zona \"America/Bogota\" -05:00 desde 2000\nfestivo \"Uno\" 07-08 trasladable\nfestivo \"Dos\" 29 DE Junio\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let output = Pauta::new(["check"]).arg(&file).run().success();
    let text = output.stdout;
    assert!(
        text.contains("aviso[P081]") && text.contains("8 de julio"),
        "{text}"
    );
    Pauta::new(["fmt"]).arg(&file).run().success();
    let formatted = std::fs::read_to_string(&file).unwrap_or_default();
    assert!(
        formatted.contains("festivo \"Uno\" 8 de julio trasladable"),
        "{formatted}"
    );
    assert!(formatted.contains("festivo \"Dos\" 29 de junio"), "{formatted}");
    Pauta::new(["check"]).arg(&file).run().stdout_has("0 aviso(s)");
}
