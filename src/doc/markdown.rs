//! The document as GitHub-flavoured Markdown, the diagram as a Mermaid block. Every policy text
//! is escaped: Markdown punctuation gets a backslash, code spans get a fence longer than any run
//! of backticks inside them, and `|` is escaped everywhere so table cells never split.

use super::mermaid;
use super::model::{Block, Document, Inline, Table};

/// Characters that could start Markdown syntax inside running text.
const SPECIAL: [char; 10] = ['\\', '`', '*', '_', '[', ']', '<', '|', '~', '&'];

/// Escapes running text: Markdown punctuation gets a backslash; line breaks become spaces.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for ch in text.chars() {
        match ch {
            '\n' | '\r' => out.push(' '),
            c if SPECIAL.contains(&c) => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// A code span holding `text` verbatim: fenced by one backtick more than its longest run of
/// backticks, padded when it starts or ends with one; inside a table cell `|` is escaped (GitHub
/// splits cells before reading code spans, and shows `\|` there as `|`).
pub fn code_span(text: &str, in_table: bool) -> String {
    let content: String = text
        .chars()
        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
        .collect();
    if content.is_empty() {
        return String::new();
    }
    let mut longest = 0;
    let mut run = 0;
    for ch in content.chars() {
        if ch == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    let fence = "`".repeat(longest + 1);
    let pad = if content.starts_with('`') || content.ends_with('`') {
        " "
    } else {
        ""
    };
    let content = if in_table {
        content.replace('|', "\\|")
    } else {
        content
    };
    format!("{fence}{pad}{content}{pad}{fence}")
}

fn inlines(pieces: &[Inline], in_table: bool) -> String {
    let mut out = String::new();
    for piece in pieces {
        match piece {
            Inline::Text(value) => out.push_str(&escape(value)),
            Inline::Code(value) => out.push_str(&code_span(value, in_table)),
            Inline::Strong(value) => {
                let trimmed = value.trim();
                if !trimmed.is_empty() {
                    out.push_str(&format!("**{}**", escape(trimmed)));
                }
            }
        }
    }
    out
}

/// Text at the start of a block must not read as a list, heading, quote or rule marker.
fn guard_start(text: String) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some('-' | '+' | '=' | '#' | '>') => format!("\\{text}"),
        Some(c) if c.is_ascii_digit() => {
            let digits = text.chars().take_while(char::is_ascii_digit).count();
            match text[digits..].chars().next() {
                Some('.' | ')') => format!("{}\\{}", &text[..digits], &text[digits..]),
                _ => text,
            }
        }
        _ => text,
    }
}

fn table(out: &mut String, table: &Table) {
    out.push('|');
    for header in &table.headers {
        out.push_str(&format!(" {} |", escape(header)));
    }
    out.push_str("\n|");
    for index in 0..table.headers.len() {
        let numeric = table.numeric.get(index).copied().unwrap_or(false);
        out.push_str(if numeric { "---:|" } else { "---|" });
    }
    out.push('\n');
    for row in &table.rows {
        out.push('|');
        for index in 0..table.headers.len() {
            let cell = row.get(index).map_or_else(String::new, |c| inlines(c, true));
            out.push_str(&format!(" {cell} |"));
        }
        out.push('\n');
    }
}

/// Renders the document.
pub fn render(document: &Document) -> String {
    let mut out = format!("# {}\n", escape(&document.title));
    for block in &document.blocks {
        out.push('\n');
        match block {
            Block::Heading { level, text, .. } => {
                let hashes = "#".repeat(usize::from((*level).clamp(2, 6)));
                out.push_str(&format!("{hashes} {}\n", escape(text)));
            }
            Block::Paragraph(pieces) => {
                out.push_str(&guard_start(inlines(pieces, false)));
                out.push('\n');
            }
            Block::Note(pieces) => {
                out.push_str(&format!("> {}\n", guard_start(inlines(pieces, false))));
            }
            Block::List { ordered, items } => {
                for (index, item) in items.iter().enumerate() {
                    let marker = if *ordered {
                        format!("{}.", index + 1)
                    } else {
                        "-".to_owned()
                    };
                    out.push_str(&format!("{marker} {}\n", guard_start(inlines(item, false))));
                }
            }
            Block::Table(t) => table(&mut out, t),
            Block::Diagram(graph) => {
                out.push_str("```mermaid\n");
                out.push_str(&mermaid::render(graph));
                out.push_str("```\n");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::model::{code, plain, text};

    #[test]
    fn punctuation_is_escaped_and_lines_joined() {
        assert_eq!(
            escape("a|b *c* _d_ [e](f) <g> ~h~ \\ & # ->"),
            "a\\|b \\*c\\* \\_d\\_ \\[e\\](f) \\<g> \\~h\\~ \\\\ \\& # ->"
        );
        assert_eq!(escape("uno\ndos"), "uno dos");
    }

    #[test]
    fn code_spans_survive_backticks_and_pipes() {
        assert_eq!(code_span("a || b", false), "`a || b`");
        assert_eq!(code_span("a || b", true), "`a \\|\\| b`");
        assert_eq!(code_span("x `y` z", false), "``x `y` z``");
        assert_eq!(code_span("`", false), "`` ` ``");
        assert_eq!(code_span("", false), "");
    }

    #[test]
    fn a_cell_with_a_pipe_stays_one_cell() {
        let mut t = Table::new("t", &["A", "B"]);
        t.rows
            .push(vec![plain("x | y"), vec![text("si "), code("a || b")]]);
        let mut out = String::new();
        table(&mut out, &t);
        let row = out.lines().nth(2).unwrap_or_default();
        assert_eq!(row, "| x \\| y | si `a \\|\\| b` |");
        // Unescaped pipes are exactly the cell borders.
        let borders = row
            .match_indices('|')
            .filter(|(i, _)| !row[..*i].ends_with('\\'))
            .count();
        assert_eq!(borders, 3);
    }

    #[test]
    fn block_starts_do_not_become_lists() {
        assert_eq!(guard_start("- a".to_owned()), "\\- a");
        assert_eq!(guard_start("# a".to_owned()), "\\# a");
        assert_eq!(guard_start("> a".to_owned()), "\\> a");
        assert_eq!(guard_start("12. a".to_owned()), "12\\. a");
        assert_eq!(guard_start("12 a".to_owned()), "12 a");
        assert_eq!(guard_start("Texto".to_owned()), "Texto");
    }
}
