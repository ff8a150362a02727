//! The document model both writers read: headings, paragraphs, lists, tables, sections and
//! figures, with plain text that each writer escapes for its own format.

/// A whole document: a policy's procedure, a month's report.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The `#` heading and the HTML `<h1>`.
    pub title: String,
    /// The HTML `<title>` when it differs from `title` (the report names its procedure there).
    pub page_title: Option<String>,
    /// Content, in reading order.
    pub blocks: Vec<Block>,
}

/// One block of content.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A section heading: level 2 a section, 3 and 4 its subsections.
    Heading {
        /// 2, 3 or 4.
        level: u8,
        /// Plain text; each writer escapes it.
        text: String,
        /// Stable anchor (`acuerdos-de-nivel-de-servicio`), used as the HTML `id`; empty for
        /// none (the report's headings, whose [`Block::Section`] carries the id).
        anchor: String,
    },
    /// Running text.
    Paragraph(Vec<Inline>),
    /// A highlighted paragraph (Markdown block quote, HTML aside).
    Note(Vec<Inline>),
    /// A paragraph HTML marks with a CSS class (the report's conclusion); plain in Markdown.
    Styled {
        /// The `class` of the HTML `<p>`.
        class: &'static str,
        /// Running text.
        content: Vec<Inline>,
    },
    /// A bulleted or numbered list.
    List {
        /// Numbered (`1.`) instead of bulleted.
        ordered: bool,
        /// One entry per item.
        items: Vec<Vec<Inline>>,
    },
    /// A table with a header row.
    Table(Table),
    /// Preformatted text: a fenced block in Markdown, `<pre>` in HTML.
    Code {
        /// The fence's info string (`sh`, `mermaid`).
        language: &'static str,
        /// Verbatim, several lines; the Markdown fence closes on a line of its own whether or
        /// not the text ends with `\n`.
        text: String,
    },
    /// A drawing only HTML shows (the state diagram, a chart); Markdown writes `fallback`.
    Figure {
        /// Inline SVG markup, ending with a line break; its texts already escaped.
        svg: String,
        /// The `<figcaption>` as HTML markup (escaped by whoever builds it).
        caption: String,
        /// What Markdown shows instead: the Mermaid source, the numbers drawn, or nothing.
        fallback: Vec<Block>,
    },
    /// A part of the document: HTML `<section id>`; Markdown writes its blocks as they come.
    Section {
        /// The HTML `id` (`conclusion`, `muestra`).
        id: &'static str,
        /// Content, a heading first.
        blocks: Vec<Block>,
    },
    /// Lines to fill in and sign by hand (`Revisó: ____`): each its own paragraph, in HTML
    /// inside one `<div class="firma">`; Markdown keeps the underscores as typed (between spaces
    /// they are no emphasis).
    Signatures(Vec<String>),
}

/// A table: headers and rows of cells.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Stable id (HTML `id`, handy for tests).
    pub id: String,
    /// Column headers.
    pub headers: Vec<String>,
    /// Which columns hold numbers (right-aligned).
    pub numeric: Vec<bool>,
    /// Rows of cells, as many as headers (missing cells are written empty).
    pub rows: Vec<Vec<Cell>>,
}

/// A table cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// A run of inline pieces.
    pub content: Vec<Inline>,
    /// An HTML class beside the numeric column's `n`: `d` (a date that never wraps), `blank`
    /// (for the reviewer to fill in), `hash`, an outcome (`met`, `breached`).
    pub class: Option<&'static str>,
}

impl From<Vec<Inline>> for Cell {
    fn from(content: Vec<Inline>) -> Self {
        Self { content, class: None }
    }
}

/// A piece of running text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    /// Text each writer escapes for its format.
    Text(String),
    /// Source code or a literal value (rhai expressions, keywords).
    Code(String),
    /// Emphasised text.
    Strong(String),
    /// Our own text written as typed in Markdown (`> 100 %` in a table cell), escaped in HTML.
    Verbatim(String),
    /// A hash: a code span in Markdown (`—` when empty), plain text in HTML, where the cell's
    /// `hash` class sets the font.
    Digest(String),
}

impl Inline {
    /// The characters it holds, without markup.
    pub fn as_str(&self) -> &str {
        match self {
            Inline::Text(t)
            | Inline::Code(t)
            | Inline::Strong(t)
            | Inline::Verbatim(t)
            | Inline::Digest(t) => t,
        }
    }
}

/// Plain text.
pub fn text(value: impl Into<String>) -> Inline {
    Inline::Text(value.into())
}

/// A code span.
pub fn code(value: impl Into<String>) -> Inline {
    Inline::Code(value.into())
}

/// Emphasised text.
pub fn strong(value: impl Into<String>) -> Inline {
    Inline::Strong(value.into())
}

/// A cell or paragraph made of one plain text.
pub fn plain(value: impl Into<String>) -> Vec<Inline> {
    vec![text(value)]
}

impl Table {
    /// An empty table with these headers, none numeric.
    pub fn new(id: &str, headers: &[&str]) -> Self {
        Self {
            id: id.to_owned(),
            headers: headers.iter().map(|h| (*h).to_owned()).collect(),
            numeric: vec![false; headers.len()],
            rows: Vec::new(),
        }
    }

    /// Marks a column as numeric.
    pub fn numeric(mut self, column: usize) -> Self {
        if let Some(flag) = self.numeric.get_mut(column) {
            *flag = true;
        }
        self
    }

    /// Adds a row of plain-text cells.
    pub fn row(&mut self, cells: &[String]) {
        self.rows
            .push(cells.iter().map(|c| plain(c.clone()).into()).collect());
    }

    /// Adds a row of cells made of inline pieces, without classes.
    pub fn push(&mut self, cells: Vec<Vec<Inline>>) {
        self.rows.push(cells.into_iter().map(Cell::from).collect());
    }
}

/// The anchor of a heading: lowercase ASCII letters and digits, words joined by `-`.
pub fn anchor(heading: &str) -> String {
    let key = crate::text::match_key(heading);
    let mut out = String::with_capacity(key.len());
    for ch in key.chars() {
        if ch.is_ascii_alphanumeric() {
            out.push(ch);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_are_ascii_words_joined_by_dashes() {
        assert_eq!(
            anchor("Acuerdos de nivel de servicio (ANS)"),
            "acuerdos-de-nivel-de-servicio-ans"
        );
        assert_eq!(anchor("Vacíos del procedimiento"), "vacios-del-procedimiento");
        assert_eq!(anchor("5.2.6"), "5-2-6");
        assert_eq!(anchor("¡!"), "");
    }
}
