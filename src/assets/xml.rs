//! A small, forgiving XML scanner for the property parts of Office files (`docProps/*.xml`,
//! `xl/workbook.xml`): a flat list of elements with their depth, attributes and direct text.
//! Not a validating parser; it never panics and gives up quietly on broken markup. Its work is
//! linear in the text, and it keeps at most [`MAX_ELEMENTS`] elements.

/// The most elements kept from one part: property parts have tens, a workbook with many defined
/// names some thousands. Past it the part is reported as too large, never read in part.
pub(crate) const MAX_ELEMENTS: usize = 100_000;

/// A part with more than [`MAX_ELEMENTS`] elements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TooManyElements;

/// One XML element as the bounded reader sees it: its name, attributes and text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Element {
    /// Qualified name (`dc:creator`).
    pub name: String,
    /// Depth: the root is 0.
    pub depth: usize,
    /// Attributes, unescaped.
    pub attrs: Vec<(String, String)>,
    /// Direct text content, unescaped.
    pub text: String,
}

impl Element {
    /// Local name, without prefix.
    pub fn local(&self) -> &str {
        self.name.rsplit(':').next().unwrap_or(&self.name)
    }

    /// An attribute by qualified or local name.
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name || k.rsplit(':').next() == Some(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Scan a document into its elements, in document order.
pub(crate) fn elements(xml: &str) -> Result<Vec<Element>, TooManyElements> {
    let mut out: Vec<Element> = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    let mut rest = xml;
    while let Some(lt) = rest.find('<') {
        if let (Some(text), Some(&top)) = (rest.get(..lt), stack.last())
            && let Some(e) = out.get_mut(top)
        {
            e.text.push_str(&unescape(text));
        }
        rest = rest.get(lt..).unwrap_or("");
        if let Some(after) = rest.strip_prefix("<![CDATA[") {
            let end = after.find("]]>").unwrap_or(after.len());
            if let (Some(text), Some(&top)) = (after.get(..end), stack.last())
                && let Some(e) = out.get_mut(top)
            {
                e.text.push_str(text);
            }
            rest = after.get(end + 3..).unwrap_or("");
            continue;
        }
        let close = if rest.starts_with("<!--") {
            rest.find("-->").map(|i| i + 3)
        } else if rest.starts_with("<?") {
            rest.find("?>").map(|i| i + 2)
        } else {
            tag_end(rest).map(|i| i + 1)
        };
        let Some(close) = close else { break };
        let tag = rest.get(..close).unwrap_or("");
        rest = rest.get(close..).unwrap_or("");
        if tag.starts_with("<!") || tag.starts_with("<?") {
            continue;
        }
        if let Some(name) = tag.strip_prefix("</") {
            let name = name.trim_end_matches('>').trim();
            // Pop to the matching element (tolerating unclosed children).
            while let Some(top) = stack.pop() {
                if out.get(top).is_some_and(|e| e.name == name) {
                    break;
                }
            }
            continue;
        }
        let self_closing = tag.ends_with("/>");
        let inner = tag
            .trim_start_matches('<')
            .trim_end_matches('>')
            .trim_end_matches('/');
        let name_end = inner.find(|c: char| c.is_whitespace()).unwrap_or(inner.len());
        let name = inner.get(..name_end).unwrap_or("").to_string();
        if out.len() >= MAX_ELEMENTS {
            return Err(TooManyElements);
        }
        let attrs = attributes(inner.get(name_end..).unwrap_or(""));
        out.push(Element {
            name,
            depth: stack.len(),
            attrs,
            text: String::new(),
        });
        if !self_closing {
            stack.push(out.len() - 1);
        }
    }
    Ok(out)
}

/// The index of the `>` that ends a tag starting at 0, skipping quoted attribute values.
fn tag_end(text: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Some(i),
            _ => {}
        }
    }
    None
}

fn attributes(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(eq) = rest.find('=') {
        let key = rest.get(..eq).unwrap_or("").trim().to_string();
        let after = rest.get(eq + 1..).unwrap_or("").trim_start();
        let Some(quote) = after.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            break;
        };
        let body = after.get(1..).unwrap_or("");
        let end = body.find(quote).unwrap_or(body.len());
        out.push((key, unescape(body.get(..end).unwrap_or(""))));
        rest = body.get(end + 1..).unwrap_or("");
    }
    out
}

/// Replace the five XML entities and numeric references.
pub(crate) fn unescape(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(rest.get(..amp).unwrap_or(""));
        rest = rest.get(amp..).unwrap_or("");
        let Some(semi) = rest.find(';').filter(|i| *i <= 10) else {
            out.push('&');
            rest = rest.get(1..).unwrap_or("");
            continue;
        };
        let entity = rest.get(1..semi).unwrap_or("");
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| entity.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = rest.get(semi + 1..).unwrap_or("");
            }
            None => {
                out.push('&');
                rest = rest.get(1..).unwrap_or("");
            }
        }
    }
    out.push_str(rest);
    out
}

/// Escape text for an XML element or attribute.
pub(crate) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scans_core_properties() {
        let xml = r#"<?xml version="1.0"?><cp:coreProperties xmlns:cp="x"><dc:title>Tarifas &amp; plazos</dc:title><dc:creator>Juan Pérez</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">2024-01-01T00:00:00Z</dcterms:created><cp:keywords/></cp:coreProperties>"#;
        let e = elements(xml).unwrap_or_default();
        let names: Vec<&str> = e.iter().map(Element::local).collect();
        assert_eq!(
            names,
            ["coreProperties", "title", "creator", "created", "keywords"]
        );
        assert_eq!(e.get(1).map(|e| e.text.as_str()), Some("Tarifas & plazos"));
        assert_eq!(e.get(3).and_then(|e| e.attr("type")), Some("dcterms:W3CDTF"));
        assert_eq!(e.get(4).map(|e| e.depth), Some(1));
    }

    #[test]
    fn broken_markup_never_panics() {
        for xml in [
            "<a",
            "<a b=\"",
            "</",
            "<![CDATA[x",
            "&#xZZ; &",
            "<a>&#1114112;</a>",
            "<a b='1' c>",
        ] {
            let _ = elements(xml);
        }
    }

    #[test]
    fn element_count_is_bounded() {
        let many = "<a/>".repeat(MAX_ELEMENTS);
        assert_eq!(elements(&many).map(|e| e.len()), Ok(MAX_ELEMENTS));
        assert_eq!(elements(&format!("{many}<a/>")), Err(TooManyElements));
    }
}
