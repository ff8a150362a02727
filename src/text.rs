//! Text helpers shared by every stage: the name-matching key, "did you mean" suggestions, and
//! cells made inert for spreadsheets.

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// The key two names are compared by: lowercase, without diacritics (tildes), with runs of
/// whitespace collapsed to one space and no leading or trailing space.
///
/// `"  Actualización   web "` and `"actualizacion web"` have the same key.
pub fn match_key(text: &str) -> String {
    let mut key = String::with_capacity(text.len());
    let mut pending_space = false;
    for ch in text.nfd().filter(|c| !is_combining_mark(*c)) {
        if ch.is_whitespace() {
            pending_space = !key.is_empty();
            continue;
        }
        if pending_space {
            key.push(' ');
            pending_space = false;
        }
        key.extend(ch.to_lowercase());
    }
    key
}

/// The same as `text.trim()`, faster on fields whose edges are ASCII (almost every field of
/// an export): ASCII whitespace is skipped byte by byte, and only an edge that is not ASCII
/// goes through the Unicode-aware trim.
#[inline]
pub fn trim(text: &str) -> &str {
    let bytes = text.as_bytes();
    let is_blank = |byte: &u8| matches!(byte, b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ');
    let start = bytes.iter().position(|b| !is_blank(b)).unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !is_blank(b))
        .map_or(start, |last| last + 1);
    // Only ASCII bytes were skipped, so both ends are character boundaries.
    let Some(inner) = text.get(start..end) else {
        return text.trim();
    };
    match (inner.as_bytes().first(), inner.as_bytes().last()) {
        (Some(first), Some(last)) if !first.is_ascii() || !last.is_ascii() => inner.trim(),
        _ => inner,
    }
}

/// The candidate closest to `word` (by match key), if it is close enough to be a plausible typo:
/// few edits (a swap of two letters counts as one) or a high Jaro-Winkler similarity.
pub fn suggest<'a, I>(word: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    let key = match_key(word);
    let max_edits = (key.chars().count() / 3).max(1);
    let mut best: Option<(usize, f64, &str)> = None;
    for candidate in candidates {
        let other = match_key(candidate);
        let edits = strsim::osa_distance(&key, &other);
        let similarity = strsim::jaro_winkler(&key, &other);
        if edits > max_edits && similarity < 0.85 {
            continue;
        }
        let better = best.is_none_or(|(e, s, _)| edits < e || (edits == e && similarity > s));
        if better {
            best = Some((edits, similarity, candidate));
        }
    }
    best.map(|(_, _, c)| c.to_string())
}

/// Byte offset in `text` of 1-based `line` and character `column` (the end of the text when
/// the position lies beyond it).
pub fn byte_offset(text: &str, line: usize, column: usize) -> usize {
    let mut offset = 0;
    for (index, content) in text.split_inclusive('\n').enumerate() {
        if index + 1 == line {
            return offset
                + content
                    .char_indices()
                    .nth(column.saturating_sub(1))
                    .map_or(content.len(), |(at, _)| at);
        }
        offset += content.len();
    }
    text.len()
}

/// Spanish month names in lowercase, January first.
pub const SPANISH_MONTHS: [&str; 12] = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
];

/// The 1-based line and column (in characters) of byte `offset` of `text`.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |tail| tail.chars().count()) + 1;
    (line, column)
}

/// An operating-system error in Spanish ("no existe el archivo"…), for messages that name a
/// path: the system's own text is English.
pub fn io_reason(error: &std::io::Error) -> String {
    use std::io::ErrorKind;
    match error.kind() {
        ErrorKind::NotFound => "no existe".to_owned(),
        ErrorKind::PermissionDenied => "permiso denegado".to_owned(),
        ErrorKind::AlreadyExists => "ya existe".to_owned(),
        ErrorKind::IsADirectory => "es una carpeta, no un archivo".to_owned(),
        ErrorKind::NotADirectory => "una parte de la ruta no es una carpeta".to_owned(),
        ErrorKind::StorageFull => "el disco está lleno".to_owned(),
        ErrorKind::FileTooLarge => {
            "el archivo supera el tamaño que el sistema permite (¿disco o cuota llenos?)".to_owned()
        }
        ErrorKind::QuotaExceeded => "se agotó la cuota de disco".to_owned(),
        ErrorKind::ReadOnlyFilesystem => "el disco es de solo lectura".to_owned(),
        ErrorKind::InvalidData => "el contenido no es texto UTF-8".to_owned(),
        ErrorKind::UnexpectedEof => "el archivo termina antes de tiempo".to_owned(),
        _ => match error.raw_os_error() {
            Some(code) => format!("error del sistema {code}"),
            // pauta's own messages (already Spanish) travel as errors without an OS code.
            None if error.get_ref().is_some() => error.to_string(),
            None => "error de lectura o escritura".to_owned(),
        },
    }
}

/// Characters of input text shown at most in a message (the rest is elided with `…`).
pub const SHOWN_CHARS: usize = 40;

/// Input text as a message may quote it: control characters (NUL, a lone CR, a tab…) written
/// as `\u{…}` escapes instead of echoed raw, and at most [`SHOWN_CHARS`] characters.
pub fn shown(text: &str) -> String {
    let mut out = String::new();
    for (index, ch) in text.chars().enumerate() {
        if index == SHOWN_CHARS {
            out.push('…');
            break;
        }
        if ch.is_control() || ch == '\u{FEFF}' {
            out.extend(ch.escape_unicode());
        } else {
            out.push(ch);
        }
    }
    out
}

/// Whether Excel would read `text` as a formula (or a command) if it started a cell: it begins
/// with `=`, `+`, `-`, `@`, a tab or a carriage return.
pub fn is_formula_like(text: &str) -> bool {
    matches!(
        text.as_bytes().first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    )
}

/// `text` as a CSV cell Excel shows as text: a formula-like value gets a leading apostrophe,
/// which Excel does not run (OWASP's recommendation); any other value is left as is.
pub fn neutralise(text: &str) -> Cow<'_, str> {
    if is_formula_like(text) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_like_cells_are_neutralised_and_others_kept() {
        for risky in ["=1+1", "+57 300", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert!(is_formula_like(risky), "{risky:?}");
            assert_eq!(neutralise(risky), format!("'{risky}"));
        }
        for safe in ["", "100001", "Publicación web", "'ya", " =no", "a=b"] {
            assert!(!is_formula_like(safe), "{safe:?}");
            assert_eq!(neutralise(safe), safe);
        }
    }

    #[test]
    fn key_ignores_case_tildes_and_spaces() {
        assert_eq!(match_key("  Actualización   WEB "), "actualizacion web");
        assert_eq!(match_key("Infoserivicio"), "infoserivicio");
        assert_eq!(match_key("Año"), "ano");
    }

    proptest::proptest! {
        #[test]
        fn trim_is_str_trim(text in "[ \t\r\n\u{0b}\u{0c}\u{85}\u{a0}\u{2003}\u{3000}a-zñé\u{1c}\u{200b}]{0,12}") {
            proptest::prop_assert_eq!(trim(&text), text.trim());
        }
    }

    #[test]
    fn trim_handles_unicode_edges() {
        for text in [
            "",
            " ",
            "\u{a0}",
            " \u{a0}x\u{3000} ",
            "x",
            " é ",
            "\u{85}a",
            "a \u{2003}",
            "\u{1c}a",
        ] {
            assert_eq!(trim(text), text.trim(), "{text:?}");
        }
    }

    #[test]
    fn suggests_close_words_only() {
        let words = ["categoría", "transición", "estados"];
        assert_eq!(suggest("categoira", words).as_deref(), Some("categoría"));
        assert_eq!(suggest("transicion", words).as_deref(), Some("transición"));
        assert_eq!(suggest("xyz", words), None);
        assert_eq!(suggest("wbe", ["web", "sms"]).as_deref(), Some("web"));
    }

    #[test]
    fn shown_text_escapes_controls_and_is_cut() {
        assert_eq!(super::shown("a\u{0}b\rc"), "a\\u{0}b\\u{d}c");
        let long = "x".repeat(100);
        assert_eq!(super::shown(&long).chars().count(), super::SHOWN_CHARS + 1);
    }
}
