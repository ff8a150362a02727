//! The safety net of `pauta fmt`: a formatted text is written only if it means what the original
//! meant — the same comments in the same order, the same compiled policy or calendar (positions
//! aside) and the same diagnostic codes. A layout bug then costs a refusal, never a broken file.

use serde_json::Value;

use crate::calendar::Calendar;
use crate::policy::diagnostics::{Code, Diagnostic};
use crate::policy::set::check_sources;
use crate::policy::source::{SourceFile, Span};

/// `Ok` when `formatted` keeps the meaning of `original`; otherwise a `P091` diagnostic that says
/// what would have changed. `calendars` are those a policy may name (the same for both sides).
pub fn same_meaning(
    original: &SourceFile,
    formatted: &str,
    calendars: &[Calendar],
) -> Result<(), Diagnostic> {
    let after = SourceFile::new(original.name.clone(), formatted);
    let what = if comments(&original.text) != comments(&after.text) {
        Some("los comentarios cambiarían de lugar o de texto")
    } else {
        let (before_form, before_codes) = meaning(original, calendars);
        let (after_form, after_codes) = meaning(&after, calendars);
        if before_codes != after_codes {
            Some("el archivo formateado no se revisaría igual que el original")
        } else if before_form != after_form {
            Some("el archivo formateado no compilaría a la misma política")
        } else {
            None
        }
    };
    match what {
        None => Ok(()),
        Some(what) => Err(Diagnostic::new(
            Code::FormatChangesMeaning,
            Span::default(),
            format!("`pauta fmt` no reescribió el archivo: {what}"),
        )
        .with_help("el archivo queda como estaba; es un defecto de pauta: repórtelo con el archivo adjunto")),
    }
}

/// The compiled form with what layout may change taken out (positions, and the spelling and
/// spacing of the source slices quoted in `implícita` items), and the error codes: what `fmt`
/// must keep.
pub fn meaning(source: &SourceFile, calendars: &[Calendar]) -> (Value, Vec<&'static str>) {
    let report = check_sources(std::slice::from_ref(source), calendars);
    let value = match (report.policies.first(), report.calendars.first()) {
        (Some(policy), _) => serde_json::to_value(policy),
        (None, Some(calendar)) => serde_json::to_value(calendar),
        (None, None) => Ok(Value::Null),
    }
    .unwrap_or(Value::Null);
    let codes = report
        .files
        .iter()
        // Errors only: `fmt` may remove a warning (it rewrites `06-29` as `29 de junio`).
        .flat_map(|file| {
            file.diagnostics
                .iter()
                .filter(|d| d.severity == crate::policy::Severity::Error)
                .map(|d| d.code)
        })
        .collect();
    (without_layout(value), codes)
}

/// `value` with line and column numbers blanked and quoted source slices reduced to their words.
fn without_layout(mut value: Value) -> Value {
    fn walk(value: &mut Value) {
        match value {
            Value::Object(map) => {
                for (key, item) in map.iter_mut() {
                    match key.as_str() {
                        "line" | "column" => *item = Value::Null,
                        "item" => {
                            if let Value::String(text) = item {
                                *text = crate::text::match_key(text).replace([' ', ','], "");
                            }
                        }
                        _ => walk(item),
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(walk),
            _ => {}
        }
    }
    walk(&mut value);
    value
}

/// Whether the word at the start of `rest` is `de` or a month name: `fmt` writes `06-29` (one
/// token) as `29 de junio`, so these words do not count.
fn is_day_word(rest: &str) -> bool {
    let word: String = rest.chars().take_while(|c| c.is_alphanumeric()).collect();
    let key = crate::text::match_key(&word);
    key == "de" || key == "setiembre" || crate::text::SPANISH_MONTHS.contains(&key.as_str())
}

/// The comments of a policy text (outside strings and backtick code), trimmed, in order, each
/// with the number of tokens of code before it: a comment that moved to another statement has
/// another count, while layout (spaces, line breaks, keyword spelling) changes no count.
pub fn comments(text: &str) -> Vec<(usize, &str)> {
    let mut found = Vec::new();
    let mut tokens = 0;
    for line in text.lines() {
        let (mut in_string, mut in_code, mut escaped, mut in_token) = (false, false, false, false);
        for (index, ch) in line.char_indices() {
            match ch {
                _ if escaped => escaped = false,
                '\\' if in_string => escaped = true,
                '"' if !in_code => {
                    if !in_string {
                        tokens += 1;
                    }
                    in_string = !in_string;
                    in_token = false;
                }
                '`' if !in_string => {
                    if !in_code {
                        tokens += 1;
                    }
                    in_code = !in_code;
                    in_token = false;
                }
                _ if in_string || in_code => {}
                '#' => {
                    found.push((tokens, line[index..].trim_end()));
                    break;
                }
                '{' | '}' | ',' | ':' => {
                    tokens += 1;
                    in_token = false;
                }
                _ if ch.is_whitespace() => in_token = false,
                _ => {
                    if !in_token && !is_day_word(&line[index..]) {
                        tokens += 1;
                    }
                    in_token = true;
                }
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v11() -> SourceFile {
        let text = crate::policy::embedded::FILES
            .iter()
            .find(|(name, _)| name.ends_with("v11.pauta"))
            .map_or("", |(_, text)| *text);
        SourceFile::new("v11.pauta", text)
    }

    fn calendars() -> Vec<Calendar> {
        crate::policy::PolicySet::embedded()
            .map(|set| set.calendars)
            .unwrap_or_default()
    }

    #[test]
    fn a_faithful_layout_passes_and_a_moved_comment_is_refused() {
        let original = v11();
        assert!(!comments(&original.text).is_empty());
        let relaid = original.text.replace("  ", "    ");
        assert!(same_meaning(&original, &relaid, &calendars()).is_ok());
        // The calendar's comment moved below the statement it is about.
        let comment =
            "# Numeral 4: días hábiles según los festivos de Colombia; sin cierres propios de la entidad.";
        let moved = original.text.replacen(
            &format!("{comment}\ncalendario \"colombia\""),
            &format!("calendario \"colombia\"\n{comment}"),
            1,
        );
        assert_ne!(moved, original.text);
        assert_eq!(
            same_meaning(&original, &moved, &calendars()).map_err(|d| d.code),
            Err(Code::FormatChangesMeaning)
        );
    }

    #[test]
    fn a_changed_value_or_a_new_error_is_refused() {
        let original = v11();
        assert!(same_meaning(&original, &original.text, &calendars()).is_ok());
        let changed = original.text.replacen("ans 12 ", "ans 13 ", 1);
        assert_ne!(changed, original.text);
        let broken = original.text.replacen("inicial", "", 1);
        assert!(same_meaning(&original, &changed, &calendars()).is_err());
        assert!(same_meaning(&original, &broken, &calendars()).is_err());
    }

    #[test]
    fn comments_are_anchored_by_the_tokens_before_them() {
        assert_eq!(
            comments("a \"b # no\" {  # uno\n  c,d  # dos\n# tres\n"),
            vec![(3, "# uno"), (6, "# dos"), (6, "# tres")]
        );
        assert_eq!(comments("a{b}#x\n"), comments("a {\n  b\n}  #x\n"));
    }
}
