//! Whether a loaded PDF can be trusted as read: the page tree walked with a visited set (a cycle,
//! a missing page, a node of the wrong type, a page count that does not add up), objects the
//! document uses that its cross-reference table lists but that could not be read, a rebuilt
//! cross-reference table, and a file cut before its `%%EOF`.

use std::collections::HashSet;

use lopdf::xref::{XrefEntry, XrefRecovery};
use lopdf::{Document, Object, ObjectId};

/// The deepest page tree walked (real ones are 2 to 5 levels deep).
const MAX_TREE_DEPTH: usize = 64;

/// How many problems of one kind a report names.
const NAMED_PROBLEMS: usize = 5;

/// The end-of-file marker must be within this many bytes of the end, as readers expect.
const EOF_WINDOW: usize = 1024;

/// The pages of a document, in order, and what was wrong with its structure (Spanish phrases).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Structure {
    /// Page objects, in page order.
    pub pages: Vec<ObjectId>,
    /// What makes the structure untrustworthy; empty when it was read whole.
    pub problems: Vec<String>,
}

fn id_text(id: ObjectId) -> String {
    format!("{} {} R", id.0, id.1)
}

/// Walk the page tree from the catalog, visiting each node once.
fn page_tree(doc: &Document, problems: &mut Vec<String>) -> Vec<ObjectId> {
    let root = match doc
        .trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .and_then(|id| doc.get_dictionary(id))
        .and_then(|catalog| catalog.get(b"Pages"))
        .and_then(Object::as_reference)
    {
        Ok(root) => root,
        Err(_) => {
            problems.push("no se encontró el catálogo o la raíz del árbol de páginas".into());
            return Vec::new();
        }
    };
    let mut walk = PageWalk {
        doc,
        visited: HashSet::from([root]),
        pages: Vec::new(),
        cycles: Vec::new(),
        bad: Vec::new(),
    };
    walk.walk(root);
    let PageWalk {
        pages, cycles, bad, ..
    } = walk;
    if !cycles.is_empty() {
        problems.push(format!(
            "el árbol de páginas es circular (se vuelve a {})",
            named(&cycles)
        ));
    }
    if !bad.is_empty() {
        problems.push(named(&bad));
    }
    let declared = doc
        .get_dictionary(root)
        .and_then(|d| d.get(b"Count"))
        .and_then(|c| doc.dereference(c))
        .and_then(|(_, c)| c.as_i64())
        .ok();
    if let Some(count) = declared
        && usize::try_from(count).ok() != Some(pages.len())
    {
        problems.push(format!(
            "el árbol de páginas declara {count} página(s) y se encontraron {}",
            pages.len()
        ));
    }
    if pages.is_empty() {
        problems.push("no se encontró ninguna página".into());
    }
    pages
}

/// A walk of the page tree: the pages found in order, and what was wrong on the way.
struct PageWalk<'a> {
    doc: &'a Document,
    /// Nodes already visited (a second visit is a cycle).
    visited: HashSet<ObjectId>,
    /// Page objects, in page order.
    pages: Vec<ObjectId>,
    /// Nodes visited again.
    cycles: Vec<String>,
    /// Other problems of the tree.
    bad: Vec<String>,
}

impl<'a> PageWalk<'a> {
    /// Visit the tree below `root` depth first, in order, with a stack of kids still to visit.
    fn walk(&mut self, root: ObjectId) {
        // Each entry: a node's kids still to visit, and the node's depth.
        let mut stack: Vec<(Vec<Object>, usize)> = Vec::new();
        match self
            .doc
            .get_dictionary(root)
            .and_then(|d| d.get(b"Kids"))
            .and_then(Object::as_array)
        {
            Ok(kids) => stack.push((kids.iter().rev().cloned().collect(), 1)),
            Err(_) => self.bad.push(format!(
                "la raíz del árbol de páginas ({}) no tiene /Kids",
                id_text(root)
            )),
        }
        while let Some((kids, depth)) = stack.last_mut() {
            let depth = *depth;
            let Some(kid) = kids.pop() else {
                stack.pop();
                continue;
            };
            if let Some(kids) = self.visit(kid, depth) {
                stack.push((kids.iter().rev().cloned().collect(), depth + 1));
            }
        }
    }

    /// One kid at `depth`: a page is kept; a node of pages gives its kids to visit next.
    fn visit(&mut self, kid: Object, depth: usize) -> Option<&'a [Object]> {
        let doc = self.doc;
        let kid = match kid {
            Object::Reference(id) => id,
            other => {
                self.bad.push(format!(
                    "una entrada de /Kids no es una referencia ({})",
                    other.enum_variant()
                ));
                return None;
            }
        };
        if !self.visited.insert(kid) {
            self.cycles.push(id_text(kid));
            return None;
        }
        let Ok(node) = doc.get_dictionary(kid) else {
            self.bad.push(format!(
                "falta el objeto {} del árbol de páginas o no es un diccionario",
                id_text(kid)
            ));
            return None;
        };
        let kind = node.get(b"Type").and_then(Object::as_name).ok();
        let kids = node.get(b"Kids").and_then(Object::as_array).ok();
        match (kind, kids) {
            (Some(b"Page"), _) | (None, None) => self.pages.push(kid),
            (Some(b"Pages") | None, Some(kids)) if depth < MAX_TREE_DEPTH => return Some(kids),
            (Some(b"Pages") | None, Some(_)) => {
                self.bad.push(format!(
                    "el árbol de páginas tiene más de {MAX_TREE_DEPTH} niveles"
                ));
            }
            (Some(other), _) => self.bad.push(format!(
                "el objeto {} del árbol de páginas es /{} en vez de una página",
                id_text(kid),
                String::from_utf8_lossy(other)
            )),
        }
        None
    }
}

/// The first few items, `a, b, c y 4 más`.
fn named(items: &[String]) -> String {
    let mut text = items
        .iter()
        .take(NAMED_PROBLEMS)
        .cloned()
        .collect::<Vec<_>>()
        .join("; ");
    if items.len() > NAMED_PROBLEMS {
        text.push_str(&format!(" y {} más", items.len() - NAMED_PROBLEMS));
    }
    text
}

/// Objects the document uses (reachable from the trailer) that the cross-reference table lists as
/// present but that could not be read.
fn unreadable_objects(doc: &Document) -> Vec<String> {
    let listed = |id: ObjectId| match doc.reference_table.get(id.0) {
        Some(XrefEntry::Normal { generation, .. }) => *generation == id.1,
        Some(XrefEntry::Compressed { .. }) => id.1 == 0,
        _ => false,
    };
    let mut missing = Vec::new();
    let mut visited: HashSet<ObjectId> = HashSet::new();
    let mut pending: Vec<&Object> = doc.trailer.iter().map(|(_, v)| v).collect();
    while let Some(object) = pending.pop() {
        match object {
            Object::Reference(id) => {
                if !visited.insert(*id) {
                    continue;
                }
                match doc.objects.get(id) {
                    Some(target) => pending.push(target),
                    None if listed(*id) => missing.push(id_text(*id)),
                    None => {}
                }
            }
            Object::Array(items) => pending.extend(items.iter()),
            Object::Dictionary(dict) => pending.extend(dict.iter().map(|(_, v)| v)),
            Object::Stream(stream) => pending.extend(stream.dict.iter().map(|(_, v)| v)),
            _ => {}
        }
    }
    missing
}

/// Whether the file ends with `%%EOF` after its last `startxref` (a cut file does not).
pub fn cut_short(bytes: &[u8]) -> bool {
    let tail = bytes
        .get(bytes.len().saturating_sub(EOF_WINDOW)..)
        .unwrap_or(bytes);
    let last_startxref = rfind(bytes, b"startxref");
    let last_eof = rfind(tail, b"%%EOF").map(|i| i + bytes.len() - tail.len());
    match (last_startxref, last_eof) {
        (Some(start), Some(eof)) => eof < start,
        _ => true,
    }
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

/// Check a loaded document against its bytes.
pub fn check(doc: &Document, bytes: &[u8]) -> Structure {
    let mut problems = Vec::new();
    if cut_short(bytes) {
        problems.push("el archivo está truncado (no termina con la marca %%EOF)".into());
    }
    if doc.xref_recovery == Some(XrefRecovery::Reconstructed) {
        problems.push(
            "la tabla de referencias cruzadas no se pudo leer y se reconstruyó buscando los objetos (pueden faltar partes)"
                .into(),
        );
    }
    let missing = unreadable_objects(doc);
    if !missing.is_empty() {
        problems.push(format!(
            "{} objeto(s) que el documento usa no se pudieron leer ({})",
            missing.len(),
            named(&missing)
        ));
    }
    let pages = page_tree(doc, &mut problems);
    Structure { pages, problems }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eof_marker_after_the_last_startxref() {
        assert!(!cut_short(b"%PDF-1.7\n...startxref\n123\n%%EOF\n"));
        assert!(!cut_short(b"%PDF-1.7\n...startxref\n123\n%%EOF"));
        assert!(cut_short(b"%PDF-1.7\n...startxref\n123\n%%EO"));
        assert!(cut_short(b"%PDF-1.7\n%%EOF\n...startxref\n123\n"));
        assert!(cut_short(b"%PDF-1.7\n"));
    }
}
