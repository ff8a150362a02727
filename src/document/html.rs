//! The document as one self-contained HTML page: inline CSS, figures as inline SVG, no script
//! and no external asset; every text escaped ([`escape`], the crate's one HTML escaping);
//! well-formed, so it also reads as XML. Every page opens with the same preamble ([`Page`]).
//!
//! Printed on A4, a heading never ends a page apart from what it introduces: each heading opens a
//! `<section class="junto">` that holds it, the headings right after it and its first table,
//! figure or list (or its paragraphs, when it has none), and that section does not break when it
//! fits on a page (`break-inside: avoid`); a longer one (`junto largo`) may break, but never right
//! after a heading or the paragraph that introduces its table (`break-after: avoid`).

use super::model::{Block, Document, Inline, Table};

/// Escapes text for HTML (and XML) content and attribute values: `&`, `<`, `>`, `"`, `'`.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// What sets a family of pages apart: the language of its text and its style sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    /// The `lang` of `<html>` (a BCP 47 tag: `es`, `es-CO`).
    pub language: &'static str,
    /// The CSS of the page's `<style>`, starting and ending with a line break.
    pub style: &'static str,
}

fn inlines(pieces: &[Inline]) -> String {
    let mut out = String::new();
    for piece in pieces {
        match piece {
            Inline::Text(value) => out.push_str(&escape(value)),
            Inline::Code(value) => out.push_str(&format!("<code>{}</code>", escape(value))),
            Inline::Strong(value) => out.push_str(&format!("<strong>{}</strong>", escape(value))),
            Inline::Verbatim(value) | Inline::Digest(value) => out.push_str(&escape(value)),
        }
    }
    out
}

fn table(out: &mut String, table: &Table) {
    let numeric = |index: usize| table.numeric.get(index).copied().unwrap_or(false);
    out.push_str(&format!(
        "<table id=\"tabla-{}\">\n<thead><tr>",
        escape(&table.id)
    ));
    for (index, header) in table.headers.iter().enumerate() {
        let class = if numeric(index) { " class=\"n\"" } else { "" };
        out.push_str(&format!("<th{class}>{}</th>", escape(header)));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in &table.rows {
        out.push_str("<tr>");
        for index in 0..table.headers.len() {
            let cell = row.get(index);
            let classes: Vec<&str> = numeric(index)
                .then_some("n")
                .into_iter()
                .chain(cell.and_then(|c| c.class))
                .collect();
            let class = if classes.is_empty() {
                String::new()
            } else {
                format!(" class=\"{}\"", classes.join(" "))
            };
            let cell = cell.map_or_else(String::new, |c| inlines(&c.content));
            out.push_str(&format!("<td{class}>{cell}</td>"));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}

/// The table of contents: every level-2 heading (they carry the procedure's own numbers).
fn contents(document: &Document) -> String {
    let mut out = String::from("<nav aria-label=\"Contenido\">\n<ul>\n");
    for block in &document.blocks {
        if let Block::Heading {
            level: 2,
            text,
            anchor,
        } = block
        {
            out.push_str(&format!(
                "<li><a href=\"#{}\">{}</a></li>\n",
                escape(anchor),
                escape(text)
            ));
        }
    }
    out.push_str("</ul>\n</nav>\n");
    out
}

/// Lines a block takes on an A4 page, roughly (about 100 characters a line of text, a table row
/// per line of its longest cell); enough to tell a section that fits on a page from one that
/// does not.
fn lines(block: &Block) -> usize {
    let text = |pieces: &[Inline]| pieces.iter().map(|p| p.as_str().chars().count()).sum::<usize>();
    match block {
        Block::Heading { .. } => 2,
        Block::Paragraph(pieces) | Block::Note(pieces) | Block::Styled { content: pieces, .. } => {
            1 + text(pieces) / 100
        }
        Block::List { items, .. } => items.iter().map(|i| 1 + text(i) / 100).sum(),
        Block::Table(table) => {
            let share = 160 / table.headers.len().max(1);
            1 + table
                .rows
                .iter()
                .map(|row| {
                    1 + row
                        .iter()
                        .map(|cell| text(&cell.content) / share)
                        .max()
                        .unwrap_or(0)
                })
                .sum::<usize>()
        }
        Block::Code { text, .. } => text.lines().count(),
        Block::Figure { .. } => DIAGRAM_LINES,
        Block::Section { blocks, .. } => blocks.iter().map(lines).sum(),
        Block::Signatures(signatures) => 2 * signatures.len(),
    }
}

/// Lines a figure (the state diagram) takes, scaled to the page's width.
const DIAGRAM_LINES: usize = 30;

/// Lines a section may take and still be kept on one page.
const PAGE_LINES: usize = 45;

/// The blocks kept together from `start`: a heading, the headings right after it, and what they
/// introduce up to and including their first table or figure (or, when none comes before the
/// next heading, their first list, or their paragraphs).
fn keep_together(blocks: &[Block], start: usize) -> usize {
    let mut next_heading = start;
    let mut body = false;
    while let Some(block) = blocks.get(next_heading) {
        match block {
            Block::Heading { .. } if body => break,
            Block::Heading { .. } => {}
            _ => body = true,
        }
        next_heading += 1;
    }
    let range = blocks.get(start..next_heading).unwrap_or_default();
    let first = |wanted: fn(&Block) -> bool| range.iter().position(wanted).map(|i| start + i + 1);
    first(|b| matches!(b, Block::Table(_) | Block::Figure { .. }))
        .or_else(|| first(|b| matches!(b, Block::List { .. })))
        .unwrap_or(next_heading)
}

fn block(out: &mut String, block: &Block) {
    match block {
        Block::Heading { level, text, anchor } => {
            let level = (*level).clamp(2, 6);
            let id = if anchor.is_empty() {
                String::new()
            } else {
                format!(" id=\"{}\"", escape(anchor))
            };
            out.push_str(&format!("<h{level}{id}>{}</h{level}>\n", escape(text)));
        }
        Block::Paragraph(pieces) => out.push_str(&format!("<p>{}</p>\n", inlines(pieces))),
        Block::Note(pieces) => out.push_str(&format!("<p class=\"nota\">{}</p>\n", inlines(pieces))),
        Block::Styled { class, content } => {
            out.push_str(&format!(
                "<p class=\"{}\">{}</p>\n",
                escape(class),
                inlines(content)
            ));
        }
        Block::List { ordered, items } => {
            let tag = if *ordered { "ol" } else { "ul" };
            out.push_str(&format!("<{tag}>\n"));
            for item in items {
                out.push_str(&format!("<li>{}</li>\n", inlines(item)));
            }
            out.push_str(&format!("</{tag}>\n"));
        }
        Block::Table(t) => table(out, t),
        Block::Code { text, .. } => out.push_str(&format!("<pre>{}</pre>\n", escape(text))),
        Block::Figure { svg, caption, .. } => {
            out.push_str(&format!(
                "<figure>\n{svg}<figcaption>{caption}</figcaption>\n</figure>\n"
            ));
        }
        Block::Section { id, blocks } => {
            out.push_str(&format!("<section id=\"{}\">\n", escape(id)));
            for member in blocks {
                self::block(out, member);
            }
            out.push_str("</section>\n");
        }
        Block::Signatures(lines) => {
            out.push_str("<div class=\"firma\">\n");
            for line in lines {
                out.push_str(&format!("<p>{}</p>\n", escape(line)));
            }
            out.push_str("</div>\n");
        }
    }
}

/// The start of every page, up to and including the `<h1>`: doctype, language, character set,
/// viewport, `<title>` and style sheet.
pub fn preamble(page: &Page, title: &str, heading: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\"/>\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n\
         <title>{}</title>\n<style>{}</style>\n</head>\n<body>\n<main>\n<h1>{}</h1>\n",
        page.language,
        escape(title),
        page.style,
        escape(heading)
    )
}

/// Renders the document as a page of `page`'s family. Top-level headings get a table of
/// contents (before the first) and are kept on one page with what they introduce; sections
/// ([`Block::Section`]) are written as they come.
pub fn render(document: &Document, page: &Page) -> String {
    let title = document.page_title.as_deref().unwrap_or(&document.title);
    let mut out = preamble(page, title, &document.title);
    let mut contents_written = false;
    let mut at = 0;
    while let Some(current) = document.blocks.get(at) {
        if !matches!(current, Block::Heading { .. }) {
            block(&mut out, current);
            at += 1;
            continue;
        }
        if !contents_written {
            out.push_str(&contents(document));
            contents_written = true;
        }
        let end = keep_together(&document.blocks, at);
        let group = document.blocks.get(at..end).unwrap_or_default();
        let size: usize = group.iter().map(lines).sum();
        let class = if size > PAGE_LINES { "junto largo" } else { "junto" };
        out.push_str(&format!("<section class=\"{class}\">\n"));
        for member in group {
            block(&mut out, member);
        }
        out.push_str("</section>\n");
        at = end.max(at + 1);
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::model::{Cell, code, plain, strong, text};

    fn heading() -> Block {
        Block::Heading {
            level: 3,
            text: "H".to_owned(),
            anchor: "h".to_owned(),
        }
    }

    #[test]
    fn a_heading_is_kept_with_what_it_introduces() {
        let table = || Block::Table(Table::new("t", &["A"]));
        let list = || Block::List {
            ordered: false,
            items: vec![plain("x")],
        };
        let p = || Block::Paragraph(plain("p"));
        // Headings in a row, their paragraph and their table; the paragraph after it is apart.
        let blocks = [heading(), heading(), p(), table(), p(), heading()];
        assert_eq!(keep_together(&blocks, 0), 4);
        // A list before the table stays in: the table is what the heading introduces.
        let blocks = [heading(), p(), list(), table(), heading()];
        assert_eq!(keep_together(&blocks, 0), 4);
        // No table nor figure before the next heading: up to the first list, else the paragraphs.
        let blocks = [heading(), p(), list(), p(), heading(), table()];
        assert_eq!(keep_together(&blocks, 0), 3);
        let blocks = [heading(), p(), p(), heading(), table()];
        assert_eq!(keep_together(&blocks, 0), 3);
        assert_eq!(keep_together(&blocks, 3), 5);
    }

    #[test]
    fn every_text_is_escaped() {
        let mut t = Table::new("x<y", &["A&B"]);
        t.push(vec![vec![code("a < b && c"), text(" \"d\" "), strong("<e>")]]);
        let document = Document {
            title: "T <1> & 'dos'".to_owned(),
            page_title: None,
            blocks: vec![
                Block::Heading {
                    level: 2,
                    text: "H <2>".to_owned(),
                    anchor: "h-2".to_owned(),
                },
                Block::Paragraph(plain("p <script>")),
                Block::Table(t),
            ],
        };
        let page = Page {
            language: "es",
            style: "\n",
        };
        let html = render(&document, &page);
        assert!(html.contains("<title>T &lt;1&gt; &amp; &#39;dos&#39;</title>"));
        assert!(html.contains("<h2 id=\"h-2\">H &lt;2&gt;</h2>"));
        assert!(html.contains("<p>p &lt;script&gt;</p>"));
        assert!(html.contains("<table id=\"tabla-x&lt;y\">"));
        assert!(html.contains("<th>A&amp;B</th>"));
        assert!(html.contains(
            "<td><code>a &lt; b &amp;&amp; c</code> &quot;d&quot; <strong>&lt;e&gt;</strong></td>"
        ));
        assert!(!html.contains("<script"));
        assert!(html.contains("<a href=\"#h-2\">H &lt;2&gt;</a>"));
    }

    #[test]
    fn sections_cells_and_figures_are_written_as_modelled() {
        let mut t = Table::new("t", &["#", "Fecha"]).numeric(0);
        t.rows.push(vec![
            plain("1").into(),
            Cell {
                content: plain("2024-06-01"),
                class: Some("d"),
            },
        ]);
        t.rows.push(vec![Cell {
            content: plain("2"),
            class: Some("met"),
        }]);
        let document = Document {
            title: "Título".to_owned(),
            page_title: Some("Página & <b>".to_owned()),
            blocks: vec![Block::Section {
                id: "uno",
                blocks: vec![
                    Block::Heading {
                        level: 2,
                        text: "Uno".to_owned(),
                        anchor: String::new(),
                    },
                    Block::Figure {
                        svg: "<svg/>\n".to_owned(),
                        caption: "<span>c</span>".to_owned(),
                        fallback: vec![Block::Paragraph(plain("solo en Markdown"))],
                    },
                    Block::Table(t),
                    Block::Code {
                        language: "sh",
                        text: "a < b".to_owned(),
                    },
                    Block::Signatures(vec!["Firma: __".to_owned()]),
                ],
            }],
        };
        let page = Page {
            language: "es-CO",
            style: "\n",
        };
        let html = render(&document, &page);
        assert!(
            html.starts_with("<!DOCTYPE html>\n<html lang=\"es-CO\">"),
            "{html}"
        );
        assert!(html.contains("<title>Página &amp; &lt;b&gt;</title>"));
        assert!(html.contains("<h1>Título</h1>\n<section id=\"uno\">\n<h2>Uno</h2>\n"));
        assert!(html.contains("<figure>\n<svg/>\n<figcaption><span>c</span></figcaption>\n</figure>\n"));
        assert!(!html.contains("solo en Markdown") && !html.contains("<nav"));
        assert!(html.contains("<tr><td class=\"n\">1</td><td class=\"d\">2024-06-01</td></tr>"));
        assert!(html.contains("<tr><td class=\"n met\">2</td><td></td></tr>"));
        assert!(
            html.contains(
                "<pre>a &lt; b</pre>\n<div class=\"firma\">\n<p>Firma: __</p>\n</div>\n</section>\n"
            )
        );
        assert!(html.ends_with("</main>\n</body>\n</html>\n"));
    }
}
