//! The document model both renderers read: headings, paragraphs, lists, tables and the state
//! diagram, with plain text that each renderer escapes for its own format.

use super::graph::StateGraph;

/// A whole rendered policy.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// Title (the `#` heading and the HTML `<title>`).
    pub title: String,
    /// Content, in reading order.
    pub blocks: Vec<Block>,
}

/// One block of content.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A section heading; level 2 is a section of the procedure, 3 and 4 its subsections.
    Heading {
        /// 2, 3 or 4.
        level: u8,
        /// Heading text.
        text: String,
        /// Stable anchor (`acuerdos-de-nivel-de-servicio`), used as the HTML `id`.
        anchor: String,
    },
    /// A paragraph.
    Paragraph(Vec<Inline>),
    /// A highlighted paragraph (Markdown block quote, HTML aside).
    Note(Vec<Inline>),
    /// A bulleted or numbered list.
    List {
        /// Numbered (`1.`) instead of bulleted.
        ordered: bool,
        /// One entry per item.
        items: Vec<Vec<Inline>>,
    },
    /// A table with a header row.
    Table(Table),
    /// The state diagram (Mermaid in Markdown, inline SVG in HTML).
    Diagram(StateGraph),
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
    /// Rows; each cell is a run of inline pieces.
    pub rows: Vec<Vec<Vec<Inline>>>,
}

/// A piece of running text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    /// Plain text.
    Text(String),
    /// Source code or a literal value (rhai expressions, keywords).
    Code(String),
    /// Emphasised text.
    Strong(String),
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
        self.rows.push(cells.iter().map(|c| plain(c.clone())).collect());
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
