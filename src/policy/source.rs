//! Source files and byte spans: line/column lookup, source lines, and comments near a span.

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

/// A half-open byte range `[start, end)` in a source text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub struct Span {
    /// Offset of the first byte, inclusive.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from byte offsets.
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
}

impl From<pest::Span<'_>> for Span {
    fn from(span: pest::Span<'_>) -> Self {
        Span::new(span.start(), span.end())
    }
}

/// A value together with where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned<T> {
    /// The parsed value; `span` covers its text.
    pub value: T,
    /// Where it is in the source.
    pub span: Span,
}

impl<T> Spanned<T> {
    /// Wrap a value with its span.
    pub fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}

/// One policy file's text, NFC-normalised (so a decomposed `ó` matches keywords), with its name.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path or name shown in diagnostics.
    pub name: String,
    /// NFC-normalised, lone CRs turned into LF; the offsets of every `Span` index this text.
    pub text: String,
    line_starts: Vec<usize>,
}

/// A 1-based line and column (columns count characters, not bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position {
    /// 1-based line.
    pub line: usize,
    /// 1-based column in characters.
    pub column: usize,
}

impl SourceFile {
    /// Build a source from raw text, normalising it to NFC and its lone CRs (old-Mac line
    /// ends) to LF, so that lines, comments and `fmt` see the lines the grammar sees.
    pub fn new(name: impl Into<String>, text: &str) -> Self {
        let text: String = crate::line_ends::normalise(text).nfc().collect();
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        SourceFile {
            name: name.into(),
            text,
            line_starts,
        }
    }

    /// Line and column of a byte offset (clamped to the text).
    pub fn position(&self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        let line_index = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.line_starts.get(line_index).copied().unwrap_or(0);
        let column = self.text.get(start..offset).map_or(0, |s| s.chars().count()) + 1;
        Position {
            line: line_index + 1,
            column,
        }
    }

    /// The text of a 1-based line, without its line break.
    pub fn line_text(&self, line: usize) -> &str {
        let start = self.line_starts.get(line.wrapping_sub(1)).copied();
        let end = self.line_starts.get(line).copied().unwrap_or(self.text.len());
        start
            .and_then(|s| self.text.get(s..end))
            .map_or("", |t| t.trim_end_matches(['\n', '\r']))
    }

    /// The text a span covers.
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or("")
    }

    /// The comment attached to the construct at `span`: the run of whole-line `#` comments right
    /// above it, then the `#` comment at the end of its last line; joined with spaces.
    pub fn comment_for(&self, span: Span) -> Option<String> {
        let first = self.position(span.start).line;
        let last = self.position(span.end.saturating_sub(1).max(span.start)).line;
        let mut above = Vec::new();
        let mut line = first;
        while line > 1 {
            line -= 1;
            let text = self.line_text(line).trim();
            match text.strip_prefix('#').map(str::trim) {
                // A ruler (`# ---- sección`) heads a section; it is not about the next item.
                Some(comment) if comment.starts_with("---") || comment.starts_with("===") => break,
                Some(comment) => above.push(comment.to_string()),
                None => break,
            }
        }
        above.reverse();
        let end_line_start = self.line_starts.get(last - 1).copied().unwrap_or(0);
        let tail_from = span.end.max(end_line_start);
        let line_end = self.line_starts.get(last).copied().unwrap_or(self.text.len());
        let tail = self.text.get(tail_from..line_end).unwrap_or("");
        if let Some(index) = tail.find('#') {
            let comment = tail[index + 1..].trim();
            if !comment.is_empty() {
                above.push(comment.to_string());
            }
        }
        let joined = above.join(" ");
        (!joined.is_empty()).then_some(joined)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters() {
        let source = SourceFile::new("x", "ab\nñé x\n");
        assert_eq!(source.position(0), Position { line: 1, column: 1 });
        let x = source.text.find('x').unwrap_or(0);
        assert_eq!(source.position(x), Position { line: 2, column: 4 });
        assert_eq!(source.line_text(2), "ñé x");
    }

    #[test]
    fn comments_above_and_after() {
        let text = "a\n# one\n# two\nstatement # three\nnext";
        let source = SourceFile::new("x", text);
        let start = text.find("statement").unwrap_or(0);
        let span = Span::new(start, start + "statement".len());
        assert_eq!(source.comment_for(span).as_deref(), Some("one two three"));
        let next = text.find("next").unwrap_or(0);
        assert_eq!(source.comment_for(Span::new(next, next + 4)), None);
    }
}
