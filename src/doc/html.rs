//! The document as one self-contained HTML page: inline CSS, the diagram as inline SVG, no
//! script and no external asset; every policy text escaped; well-formed, so it also reads as XML.

use super::model::{Block, Document, Inline, Table};
use super::svg;
use crate::report::render_html::escape;

const STYLE: &str = r#"
@page { size: A4; margin: 14mm 12mm; }
* { box-sizing: border-box; }
body { font-family: "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; font-size: 10.5pt; color: #212121; margin: 0; }
main { max-width: 200mm; margin: 0 auto; padding: 8mm 4mm; }
h1 { font-size: 17pt; margin: 0 0 6pt; }
h2 { font-size: 13pt; margin: 18pt 0 6pt; border-bottom: 1px solid #bdbdbd; padding-bottom: 2pt; break-after: avoid; }
h3 { font-size: 11.5pt; margin: 12pt 0 4pt; break-after: avoid; }
h4 { font-size: 10.5pt; margin: 10pt 0 4pt; break-after: avoid; }
p, li { line-height: 1.45; }
.nota { background: #e3f2fd; border-left: 4pt solid #1565c0; padding: 6pt 9pt; margin: 8pt 0; }
nav ol { columns: 2; font-size: 9.5pt; }
table { border-collapse: collapse; width: 100%; font-size: 9pt; margin: 4pt 0 8pt; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th, td { border: 1px solid #e0e0e0; padding: 3pt 5pt; text-align: left; vertical-align: top; }
th { background: #eeeeee; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
code { font-family: "Cascadia Mono", Consolas, "DejaVu Sans Mono", monospace; font-size: 8.5pt; background: #f5f5f5; padding: 0 2pt; overflow-wrap: anywhere; }
figure { margin: 6pt 0 10pt; break-inside: avoid; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-size: 9pt; color: #616161; }
@media print { main { padding: 0; } a { color: inherit; text-decoration: none; } }
"#;

fn inlines(pieces: &[Inline]) -> String {
    let mut out = String::new();
    for piece in pieces {
        match piece {
            Inline::Text(value) => out.push_str(&escape(value)),
            Inline::Code(value) => out.push_str(&format!("<code>{}</code>", escape(value))),
            Inline::Strong(value) => out.push_str(&format!("<strong>{}</strong>", escape(value))),
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
            let class = if numeric(index) { " class=\"n\"" } else { "" };
            let cell = row.get(index).map_or_else(String::new, |c| inlines(c));
            out.push_str(&format!("<td{class}>{cell}</td>"));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}

/// The table of contents: every level-2 heading.
fn contents(document: &Document) -> String {
    let mut out = String::from("<nav aria-label=\"Contenido\">\n<ol>\n");
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
    out.push_str("</ol>\n</nav>\n");
    out
}

/// Renders the document.
pub fn render(document: &Document) -> String {
    let title = escape(&document.title);
    let mut out = String::from("<!DOCTYPE html>\n<html lang=\"es\">\n<head>\n<meta charset=\"utf-8\"/>\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n");
    out.push_str(&format!(
        "<title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n<h1>{title}</h1>\n"
    ));
    let mut contents_written = false;
    for block in &document.blocks {
        match block {
            Block::Heading { level, text, anchor } => {
                if !contents_written {
                    out.push_str(&contents(document));
                    contents_written = true;
                }
                let level = (*level).clamp(2, 6);
                out.push_str(&format!(
                    "<h{level} id=\"{}\">{}</h{level}>\n",
                    escape(anchor),
                    escape(text)
                ));
            }
            Block::Paragraph(pieces) => out.push_str(&format!("<p>{}</p>\n", inlines(pieces))),
            Block::Note(pieces) => out.push_str(&format!("<p class=\"nota\">{}</p>\n", inlines(pieces))),
            Block::List { ordered, items } => {
                let tag = if *ordered { "ol" } else { "ul" };
                out.push_str(&format!("<{tag}>\n"));
                for item in items {
                    out.push_str(&format!("<li>{}</li>\n", inlines(item)));
                }
                out.push_str(&format!("</{tag}>\n"));
            }
            Block::Table(t) => table(&mut out, t),
            Block::Diagram(graph) => {
                let caption = format!("Diagrama de estados — {}", document.title);
                out.push_str("<figure>\n");
                out.push_str(&svg::render(graph, &caption));
                out.push_str(&format!(
                    "<figcaption>{}</figcaption>\n</figure>\n",
                    escape(&caption)
                ));
            }
        }
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::model::{code, plain, strong, text};

    #[test]
    fn every_text_is_escaped() {
        let mut t = Table::new("x<y", &["A&B"]);
        t.rows
            .push(vec![vec![code("a < b && c"), text(" \"d\" "), strong("<e>")]]);
        let document = Document {
            title: "T <1> & 'dos'".to_owned(),
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
        let html = render(&document);
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
}
