//! `pauta fmt`: the one canonical layout of policy files. Comments stay where they were, keywords
//! take their canonical spelling (`VERSION` → `versión`), and the result compiles to the same
//! policy as the input.

mod events;
mod layout;
mod verify;

pub use layout::WIDTH;
pub use verify::{comments, meaning, same_meaning};

use pest::Parser;

use super::diagnostics::{Code, Diagnostic};
use super::source::{SourceFile, Span};
use super::syntax::{PautaParser, Rule, syntax_diagnostic};

/// The canonical text of a policy or calendar file; a syntax error is returned as its diagnostic.
pub fn format_source(source: &SourceFile) -> Result<String, Diagnostic> {
    let mut pairs =
        PautaParser::parse(Rule::file, &source.text).map_err(|e| syntax_diagnostic(&e, &source.text))?;
    let file = pairs
        .next()
        .ok_or_else(|| Diagnostic::new(Code::Syntax, Span::default(), "el archivo está vacío"))?;
    let events = events::Walker::new(&source.text).run(file);
    Ok(layout::render(&events))
}

/// Whether the file is already in canonical layout.
pub fn is_formatted(source: &SourceFile) -> Result<bool, Diagnostic> {
    Ok(format_source(source)? == source.text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(text: &str) -> String {
        match format_source(&SourceFile::new("t.pauta", text)) {
            Ok(out) => out,
            Err(d) => panic!("no se pudo formatear: {d:?}"),
        }
    }

    const HEADER: &str = "procedimiento \"X\" \"Nombre\"\nversión 1 vigente desde 2024-01-01\n";

    #[test]
    fn canonical_spacing_and_keywords() {
        let out = fmt(
            "PROCEDIMIENTO   \"X\"   \"Nombre\"\nVERSION 1 vigente   desde 2024-01-01\ncalendario \"colombia\"\nhorario LUNES a viernes 08:00 a 17:00\n",
        );
        assert_eq!(
            out,
            "procedimiento \"X\" \"Nombre\"\nversión 1 vigente desde 2024-01-01\ncalendario \"colombia\"\nhorario lunes a viernes 08:00 a 17:00\n"
        );
    }

    #[test]
    fn comments_stay_with_their_statements() {
        let text = format!(
            "# cabecera\n\n{HEADER}\n\n\n# sobre el calendario\ncalendario \"colombia\"   # al final\n"
        );
        let out = fmt(&text);
        assert_eq!(
            out,
            format!("# cabecera\n\n{HEADER}\n# sobre el calendario\ncalendario \"colombia\"  # al final\n")
        );
        assert_eq!(fmt(&out), out);
    }

    #[test]
    fn blocks_are_indented_and_aligned() {
        let text = format!(
            "{HEADER}estados {{\n\"Registrado\" inicial corre\n  # pausa\n\"Suspendido\"   pausa\n\"Solucionado\" pausa solución\n\"Cerrado\" final }}\n"
        );
        let out = fmt(&text);
        assert!(
            out.contains(
                "estados {\n  \"Registrado\"  inicial corre\n  # pausa\n  \"Suspendido\"  pausa\n  \"Solucionado\" pausa solución\n  \"Cerrado\"     final\n}\n"
            ),
            "{out}"
        );
        assert_eq!(fmt(&out), out);
    }

    #[test]
    fn long_statements_break_before_clauses() {
        let reasons = (1..=6)
            .map(|i| format!("\"Una razón bastante larga número {i}\""))
            .collect::<Vec<_>>()
            .join(", ");
        let text =
            format!("{HEADER}transición \"A\" -> \"B\" numeral \"5.2.6\" razones {reasons} implícita\n");
        let out = fmt(&text);
        for line in out.lines() {
            assert!(line.chars().count() <= WIDTH, "{line}");
        }
        assert!(
            out.contains("transición \"A\" -> \"B\" numeral \"5.2.6\"\n  razones"),
            "{out}"
        );
        assert_eq!(fmt(&out), out);
    }

    #[test]
    fn comments_inside_a_statement_force_breaks() {
        let text = format!("{HEADER}transición \"A\" # origen\n -> \"B\"\n # la razón\n razón \"R\"\n");
        let out = fmt(&text);
        assert!(
            out.contains("transición \"A\"  # origen\n  -> \"B\"\n  # la razón\n  razón \"R\"\n"),
            "{out}"
        );
        assert_eq!(fmt(&out), out);
    }

    #[test]
    fn trailing_comments_of_consecutive_lines_align() {
        let text = format!(
            "{HEADER}muestreo mensual {{\nconfianza 95% # a\nerror 5 % # b\nproporción 0.5 # c\n}}\n"
        );
        let out = fmt(&text);
        assert!(
            out.contains("  confianza 95 %  # a\n  error 5 %       # b\n  proporción 0.5  # c\n"),
            "{out}"
        );
    }

    #[test]
    fn empty_blocks_and_code_are_kept() {
        let text = format!(
            "{HEADER}estados {{ }}\nregla \"r\" error sobre caso {{\n cuando `caso.area\n   != \"x\"`\n exige `true` mensaje \"m\" }}\n"
        );
        let out = fmt(&text);
        assert!(out.contains("estados {}\n"), "{out}");
        assert!(
            out.contains("  cuando `caso.area\n   != \"x\"`\n  exige `true`\n  mensaje \"m\"\n}\n"),
            "{out}"
        );
        assert_eq!(fmt(&out), out);
    }

    #[test]
    fn texts_go_on_in_further_strings_one_per_line() {
        let text = format!(
            "{HEADER}DEFINICION \"ANS\" \"uno\" \"dos\"\nobjetivo \"corto\"\nresponsable \"R\" numeral \"5.2.1\"   \"hace\"\n"
        );
        let out = fmt(&text);
        assert!(
            out.contains(
                "definición \"ANS\" \"uno\"\n  \"dos\"\nobjetivo \"corto\"\nresponsable \"R\" numeral \"5.2.1\" \"hace\"\n"
            ),
            "{out}"
        );
        assert_eq!(fmt(&out), out);
        let long = "palabra ".repeat(14);
        let out = fmt(&format!("{HEADER}definición \"ANS\" \"{long}\"\n"));
        assert!(
            out.contains(&format!("definición \"ANS\"\n  \"{long}\"\n")),
            "{out}"
        );
        assert_eq!(fmt(&out), out);
    }

    #[test]
    fn syntax_errors_are_diagnostics() {
        let result = format_source(&SourceFile::new("t.pauta", "procedimiento \"X"));
        assert!(matches!(result, Err(d) if d.code == Code::Syntax));
    }
}
