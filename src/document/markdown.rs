//! The document as GitHub-flavoured Markdown; a figure as what it stands for (the diagram's
//! Mermaid block, the numbers of a chart). Every text is escaped: Markdown punctuation gets a
//! backslash (or, in the report's [`Flavour`], `&`, `<`, `>` an entity), code spans get a fence
//! longer than any run of backticks inside them, and `|` is escaped so table cells never split.

use super::model::{Block, Document, Inline, Table};

/// The two ways pauta's documents escape and space Markdown, kept apart so that neither's
/// output changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavour {
    /// The procedure's document: punctuation gets a backslash ([`escape`]), a block never starts
    /// with what would read as a list, heading or quote marker, code spans escape `|` only in
    /// tables.
    Procedure,
    /// The monthly report: `&`, `<`, `>` as entities ([`escape_entities`]), block starts as
    /// written, every code span escapes `|` (an empty one is two backticks), and a blank line
    /// ends the file.
    Report,
}

impl Flavour {
    fn escape(self, text: &str) -> String {
        match self {
            Flavour::Procedure => escape(text),
            Flavour::Report => escape_entities(text),
        }
    }

    fn code(self, text: &str, in_table: bool) -> String {
        match self {
            Flavour::Procedure => code_span(text, in_table),
            Flavour::Report if text.is_empty() => "``".to_owned(),
            Flavour::Report => code_span(text, true),
        }
    }

    fn start(self, text: String) -> String {
        match self {
            Flavour::Procedure => guard_start(text),
            Flavour::Report => text,
        }
    }
}

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

/// Escapes running text with entities for `&`, `<`, `>` (no HTML is ever injected) and a
/// backslash for the other characters Markdown reads as syntax (`\`, `` ` ``, `*`, `_`, `[`,
/// `]`, `|`, `~`); line breaks become spaces.
pub fn escape_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
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

fn inlines(pieces: &[Inline], in_table: bool, flavour: Flavour) -> String {
    let mut out = String::new();
    for piece in pieces {
        match piece {
            Inline::Text(value) => out.push_str(&flavour.escape(value)),
            Inline::Code(value) => out.push_str(&flavour.code(value, in_table)),
            Inline::Strong(value) => {
                let trimmed = value.trim();
                if !trimmed.is_empty() {
                    out.push_str(&format!("**{}**", flavour.escape(trimmed)));
                }
            }
            Inline::Verbatim(value) => out.push_str(value),
            Inline::Digest(value) if value.is_empty() => out.push('—'),
            Inline::Digest(value) => out.push_str(&flavour.code(value, in_table)),
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

fn table(out: &mut String, table: &Table, flavour: Flavour) {
    out.push('|');
    for header in &table.headers {
        out.push_str(&format!(" {} |", flavour.escape(header)));
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
            let cell = row
                .get(index)
                .map_or_else(String::new, |c| inlines(&c.content, true, flavour));
            out.push_str(&format!(" {cell} |"));
        }
        out.push('\n');
    }
}

/// Writes `blocks`, each after a blank line; sections and figures write their content.
fn blocks(out: &mut String, blocks: &[Block], flavour: Flavour) {
    for block in blocks {
        match block {
            Block::Section { blocks: inner, .. } | Block::Figure { fallback: inner, .. } => {
                self::blocks(out, inner, flavour);
                continue;
            }
            Block::Signatures(lines) => {
                for line in lines {
                    out.push_str(&format!("\n{line}\n"));
                }
                continue;
            }
            _ => out.push('\n'),
        }
        match block {
            Block::Heading { level, text, .. } => {
                let hashes = "#".repeat(usize::from((*level).clamp(2, 6)));
                out.push_str(&format!("{hashes} {}\n", flavour.escape(text)));
            }
            Block::Paragraph(pieces) | Block::Styled { content: pieces, .. } => {
                out.push_str(&flavour.start(inlines(pieces, false, flavour)));
                out.push('\n');
            }
            Block::Note(pieces) => {
                out.push_str(&format!("> {}\n", flavour.start(inlines(pieces, false, flavour))));
            }
            Block::List { ordered, items } => {
                for (index, item) in items.iter().enumerate() {
                    let marker = if *ordered {
                        format!("{}.", index + 1)
                    } else {
                        "-".to_owned()
                    };
                    let item = flavour.start(inlines(item, false, flavour));
                    out.push_str(&format!("{marker} {item}\n"));
                }
            }
            Block::Table(t) => table(out, t, flavour),
            Block::Code { language, text } => {
                let end = if text.ends_with('\n') { "" } else { "\n" };
                out.push_str(&format!("```{language}\n{text}{end}```\n"));
            }
            Block::Section { .. } | Block::Figure { .. } | Block::Signatures(_) => {}
        }
    }
}

/// Renders the document.
pub fn render(document: &Document, flavour: Flavour) -> String {
    let mut out = format!("# {}\n", flavour.escape(&document.title));
    blocks(&mut out, &document.blocks, flavour);
    if flavour == Flavour::Report {
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::model::{code, plain, text};

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
        t.push(vec![plain("x | y"), vec![text("si "), code("a || b")]]);
        let mut out = String::new();
        table(&mut out, &t, Flavour::Procedure);
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

    #[test]
    fn the_report_flavour_uses_entities_and_ends_with_a_blank_line() {
        assert_eq!(
            escape_entities("a|b <c> & *d* `e`\nf"),
            "a\\|b &lt;c&gt; &amp; \\*d\\* \\`e\\` f"
        );
        let mut table = Table::new("t", &["A", "B"]);
        table.push(vec![
            vec![Inline::Verbatim("> 100 %".to_owned())],
            vec![Inline::Digest(String::new())],
        ]);
        let document = Document {
            title: "T".to_owned(),
            page_title: Some("ignored".to_owned()),
            blocks: vec![
                Block::Section {
                    id: "s",
                    blocks: vec![
                        Block::Paragraph(vec![text("- x "), code("a|b"), code("")]),
                        Block::Figure {
                            svg: "<svg/>\n".to_owned(),
                            caption: "c".to_owned(),
                            fallback: vec![Block::Table(table)],
                        },
                    ],
                },
                Block::Code {
                    language: "sh",
                    text: "echo".to_owned(),
                },
                Block::Signatures(vec!["Firma: ____".to_owned()]),
            ],
        };
        assert_eq!(
            render(&document, Flavour::Report),
            "# T\n\n- x `a\\|b```\n\n| A | B |\n|---|---|\n| > 100 % | — |\n\n```sh\necho\n```\n\nFirma: ____\n\n"
        );
        // The procedure's flavour guards the block start and ends after the last block.
        let procedure = render(&document, Flavour::Procedure);
        assert!(procedure.starts_with("# T\n\n\\- x `a|b`\n"), "{procedure}");
        assert!(procedure.ends_with("Firma: ____\n") && !procedure.ends_with("\n\n"));
    }
}
