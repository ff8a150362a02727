//! Lays the formatter's event stream out as text: two-space blocks, one statement per line
//! (broken before a clause when it passes the width), comments where they were, runs of similar
//! statements aligned in columns and their trailing comments aligned.

use super::events::{ALWAYS, Event, Token};
use crate::policy::syntax::Rule;

/// Lines longer than this are broken before a clause or list item.
pub const WIDTH: usize = 100;

/// Extra indentation of a statement's continuation lines.
const CONTINUATION: usize = 2;

/// One output line.
#[derive(Debug, Clone, Default)]
struct Line {
    indent: usize,
    text: String,
    comment: Option<String>,
}

impl Line {
    fn new(indent: usize) -> Self {
        Line {
            indent,
            ..Line::default()
        }
    }

    fn width(&self) -> usize {
        self.indent + self.text.chars().count()
    }
}

/// A statement, laid out.
#[derive(Debug)]
struct Statement {
    rule: Rule,
    blank_before: bool,
    lines: Vec<Line>,
    /// The statement's columns, when it is one line without a block.
    cells: Option<Vec<String>>,
}

/// An element of a file or block.
#[derive(Debug)]
enum Item {
    Comment { text: String, blank_before: bool },
    Statement(Statement),
}

/// A token with the comments around it.
struct Placed {
    token: Token,
    leading: Vec<String>,
    trailing: Option<String>,
}

/// Lays out the events; the result ends with one newline.
pub(super) fn render(events: &[Event]) -> String {
    let mut reader = Reader { events, pos: 0 };
    let (items, _) = reader.container(0);
    let mut lines = Vec::new();
    emit(&items, 0, &mut lines);
    let mut out = String::new();
    for line in lines {
        let text = match line.comment {
            Some(comment) if line.text.is_empty() => comment,
            Some(comment) => format!("{}  {comment}", line.text),
            None => line.text,
        };
        if !text.is_empty() {
            out.push_str(&" ".repeat(line.indent));
            out.push_str(&text);
        }
        out.push('\n');
    }
    out
}

struct Reader<'e> {
    events: &'e [Event],
    pos: usize,
}

impl Reader<'_> {
    fn next(&mut self) -> Option<&Event> {
        let event = self.events.get(self.pos);
        self.pos += 1;
        event
    }

    /// Items until a `}` (consumed) or the end; also a trailing comment right after the `{`.
    fn container(&mut self, indent: usize) -> (Vec<Item>, Option<String>) {
        let mut items: Vec<Item> = Vec::new();
        let mut opening_comment = None;
        while let Some(event) = self.next() {
            match event.clone() {
                Event::Close => break,
                Event::StmtStart { rule, blank_before } => {
                    let statement = self.statement(rule, blank_before, indent);
                    items.push(Item::Statement(statement));
                }
                Event::Comment {
                    text, trailing: true, ..
                } => {
                    let empty = items.is_empty();
                    match items.last_mut() {
                        Some(Item::Statement(statement)) => attach(&mut statement.lines, text),
                        _ if empty && opening_comment.is_none() => opening_comment = Some(text),
                        _ => items.push(Item::Comment {
                            text,
                            blank_before: false,
                        }),
                    }
                }
                Event::Comment {
                    text, blank_before, ..
                } => items.push(Item::Comment { text, blank_before }),
                // Tokens outside a statement do not occur in a parsed file; keep them visible.
                Event::Token(token) => items.push(Item::Comment {
                    text: token.text,
                    blank_before: false,
                }),
                Event::Open | Event::StmtEnd => {}
            }
        }
        (items, opening_comment)
    }

    /// A statement from after its `StmtStart` to its `StmtEnd`.
    fn statement(&mut self, rule: Rule, blank_before: bool, indent: usize) -> Statement {
        let mut placed: Vec<Placed> = Vec::new();
        let mut leading = Vec::new();
        let mut block: Option<(Vec<Item>, Option<String>)> = None;
        while let Some(event) = self.next() {
            match event.clone() {
                Event::StmtEnd => break,
                Event::Token(token) => placed.push(Placed {
                    token,
                    leading: std::mem::take(&mut leading),
                    trailing: None,
                }),
                Event::Comment {
                    text, trailing: true, ..
                } => match placed.last_mut() {
                    Some(last) if last.trailing.is_none() => last.trailing = Some(text),
                    _ => leading.push(text),
                },
                Event::Comment { text, .. } => leading.push(text),
                Event::Open => block = Some(self.container(indent + 2)),
                Event::Close | Event::StmtStart { .. } => {}
            }
        }
        let mut lines = break_lines(&placed, indent);
        for comment in leading {
            lines.push(Line {
                indent: indent + CONTINUATION,
                text: String::new(),
                comment: Some(comment),
            });
        }
        let single = block.is_none() && lines.len() == 1 && !lines[0].text.contains('\n');
        let cells = single.then(|| cells(&placed));
        if let Some((items, opening_comment)) = block {
            let header = lines.last_mut();
            if let Some(header) = header {
                header.text.push_str(" {");
                if let Some(comment) = opening_comment {
                    attach_line(header, comment);
                }
            }
            if items.is_empty() {
                if let Some(header) = lines.last_mut().filter(|h| h.comment.is_none()) {
                    header.text.push('}');
                } else {
                    lines.push(Line {
                        indent,
                        text: "}".to_string(),
                        comment: None,
                    });
                }
            } else {
                emit(&items, indent + 2, &mut lines);
                lines.push(Line {
                    indent,
                    text: "}".to_string(),
                    comment: None,
                });
            }
        }
        Statement {
            rule,
            blank_before,
            lines,
            cells,
        }
    }
}

/// Put a trailing comment on the last line; a second one goes on a line of its own.
fn attach(lines: &mut Vec<Line>, comment: String) {
    match lines.last_mut() {
        Some(line) if line.comment.is_none() => line.comment = Some(comment),
        Some(line) => {
            let indent = line.indent;
            lines.push(Line {
                indent,
                text: String::new(),
                comment: Some(comment),
            });
        }
        None => lines.push(Line {
            text: String::new(),
            indent: 0,
            comment: Some(comment),
        }),
    }
}

fn attach_line(line: &mut Line, comment: String) {
    match &mut line.comment {
        Some(existing) => {
            existing.push(' ');
            existing.push_str(&comment);
        }
        None => line.comment = Some(comment),
    }
}

/// The statement's tokens on lines: greedy, breaking before a clause or list item only when the
/// line would pass `WIDTH`, and always around comments.
fn break_lines(placed: &[Placed], indent: usize) -> Vec<Line> {
    let mut lines = Vec::new();
    let mut line = Line::new(indent);
    let continuation = indent + CONTINUATION;
    let mut forced = false;
    for (index, item) in placed.iter().enumerate() {
        if !item.leading.is_empty() {
            if !line.text.is_empty() || line.comment.is_some() {
                lines.push(std::mem::replace(&mut line, Line::new(continuation)));
            }
            for comment in &item.leading {
                lines.push(Line {
                    indent: continuation,
                    text: String::new(),
                    comment: Some(comment.clone()),
                });
            }
            line = Line::new(continuation);
        } else if forced || (index > 0 && item.token.breaks >= ALWAYS) {
            lines.push(std::mem::replace(&mut line, Line::new(continuation)));
        } else if index > 0 && !item.token.glue {
            let needed = group_width(&placed[index..], item.token.breaks);
            if item.token.breaks > 0 && line.width() + 1 + needed > WIDTH {
                lines.push(std::mem::replace(&mut line, Line::new(continuation)));
            } else {
                line.text.push(' ');
            }
        }
        forced = false;
        line.text.push_str(&item.token.text);
        if let Some(comment) = &item.trailing {
            line.comment = Some(comment.clone());
            forced = true;
        }
    }
    if !line.text.is_empty() || line.comment.is_some() {
        lines.push(line);
    }
    lines
}

/// Width of the tokens up to the next place a line may break at `level` or above: a clause is
/// kept whole on its line when it fits there.
fn group_width(rest: &[Placed], level: u8) -> usize {
    let mut width = 0;
    for (index, item) in rest.iter().enumerate() {
        if index > 0 && item.token.breaks >= level.max(1) {
            break;
        }
        if index > 0 && !item.token.glue {
            width += 1;
        }
        width += item.token.text.chars().count();
    }
    width
}

/// The statement's columns (see `events::cell_of`); missing columns are empty.
fn cells(placed: &[Placed]) -> Vec<String> {
    let mut cells: Vec<String> = Vec::new();
    for item in placed {
        let cell = item.token.cell;
        if cells.len() <= cell {
            cells.resize(cell + 1, String::new());
        }
        let text = &mut cells[cell];
        if !text.is_empty() && !item.token.glue {
            text.push(' ');
        }
        text.push_str(&item.token.text);
    }
    cells
}

/// Write a container's items: blank lines kept (one at most, none first), similar one-line
/// statements aligned in columns, trailing comments of consecutive one-line statements aligned.
fn emit(items: &[Item], indent: usize, out: &mut Vec<Line>) {
    let aligned = align_cells(items);
    let mut rendered: Vec<(bool, Vec<Line>, bool)> = Vec::new();
    for (index, item) in items.iter().enumerate() {
        match item {
            Item::Comment { text, blank_before } => rendered.push((
                *blank_before,
                vec![Line {
                    indent,
                    text: String::new(),
                    comment: Some(text.clone()),
                }],
                false,
            )),
            Item::Statement(statement) => {
                let mut lines = statement.lines.clone();
                if let (Some(text), Some(first)) = (&aligned[index], lines.first_mut()) {
                    first.text = text.clone();
                }
                let single = lines.len() == 1 && statement.cells.is_some();
                rendered.push((statement.blank_before, lines, single));
            }
        }
    }
    align_comments(&mut rendered);
    for (index, (blank_before, lines, _)) in rendered.into_iter().enumerate() {
        if blank_before && index > 0 {
            out.push(Line::default());
        }
        out.extend(lines);
    }
}

/// The aligned text of each one-line statement in a run of statements of the same kind.
fn align_cells(items: &[Item]) -> Vec<Option<String>> {
    let mut aligned = vec![None; items.len()];
    let mut index = 0;
    while index < items.len() {
        let Item::Statement(first) = &items[index] else {
            index += 1;
            continue;
        };
        let Some(first_cells) = &first.cells else {
            index += 1;
            continue;
        };
        let mut run = vec![(index, first_cells)];
        let mut next = index + 1;
        while let Some(item) = items.get(next) {
            match item {
                Item::Comment { blank_before, .. } if !blank_before => next += 1,
                Item::Statement(s) if s.rule == first.rule && !s.blank_before => match &s.cells {
                    Some(cells) => {
                        run.push((next, cells));
                        next += 1;
                    }
                    None => break,
                },
                _ => break,
            }
        }
        if run.len() > 1 {
            let columns = run.iter().map(|(_, c)| c.len()).max().unwrap_or(0);
            let mut widths = vec![0; columns];
            for (_, cells) in &run {
                let last = last_filled(cells);
                for (column, cell) in cells.iter().enumerate().take(last) {
                    widths[column] = widths[column].max(cell.chars().count());
                }
            }
            for (position, cells) in &run {
                aligned[*position] = Some(join_cells(cells, &widths));
            }
        }
        index = run.last().map_or(index, |(i, _)| *i) + 1;
    }
    aligned
}

fn last_filled(cells: &[String]) -> usize {
    cells.iter().rposition(|c| !c.is_empty()).unwrap_or(0)
}

fn join_cells(cells: &[String], widths: &[usize]) -> String {
    let last = last_filled(cells);
    let mut parts = Vec::new();
    for (column, cell) in cells.iter().enumerate().take(last + 1) {
        let width = widths.get(column).copied().unwrap_or(0);
        if column == last {
            parts.push(cell.clone());
        } else if width > 0 || !cell.is_empty() {
            parts.push(format!("{cell:<width$}"));
        }
    }
    parts.join(" ").trim_end().to_string()
}

/// Align the trailing comments of consecutive one-line statements (no blank line or comment
/// line between them).
fn align_comments(rendered: &mut [(bool, Vec<Line>, bool)]) {
    let mut start = 0;
    while start < rendered.len() {
        let mut end = start + 1;
        if rendered[start].2 {
            while end < rendered.len() && rendered[end].2 && !rendered[end].0 {
                end += 1;
            }
        }
        let commented: Vec<usize> = (start..end)
            .filter(|&i| rendered[i].1.first().is_some_and(|l| l.comment.is_some()))
            .collect();
        if commented.len() > 1 {
            let width = commented
                .iter()
                .filter_map(|&i| rendered[i].1.first().map(|l| l.text.chars().count()))
                .max()
                .unwrap_or(0);
            for i in commented {
                if let Some(line) = rendered[i].1.first_mut() {
                    line.text = format!("{:<width$}", line.text);
                }
            }
        }
        start = end;
    }
}
