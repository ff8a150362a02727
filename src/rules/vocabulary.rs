//! The policy's vocabulary, checked in rules: a text literal compared with an enumerated field
//! (`caso.categoria == "…"`, `"…" != caso.estado`, `caso.canales.contains("…")`,
//! `caso.categoria.starts_with("…")`, `"…" in caso.canales`) must be a value that field can
//! hold, or the rule would never fire — `"Diseño de piesas comerciales"`, `"incumple "`, `"met"`
//! are caught at `check` with "¿quiso decir …?".

use std::borrow::Cow;

use super::compiled::{RuleProblem, position_in_file};
use super::model::{Expression, Rule, Subject};
use crate::text::{match_key, suggest};

/// What `caso.resultado` holds, as `(code, label)`: rules compare the Spanish label (the
/// reports' word); the English code is caught as a likely slip. The case evaluation's
/// `Outcome` gives the same pairs (a test in `cases::model` holds them equal).
pub const OUTCOMES: [(&str, &str); 5] = [
    ("met", "cumple"),
    ("breached", "incumple"),
    ("open_on_time", "en curso"),
    ("open_overdue", "vencido"),
    ("annulled", "anulado"),
];

/// What `banner.formato` holds: the image format read from the file's bytes.
const IMAGE_FORMATS: &[&str] = &["JPEG", "PNG", "GIF", "WebP", "BMP", "TIFF", "PDF", "desconocido"];

/// What `documento.formato` holds for the documents the checker reads.
const DOCUMENT_FORMATS: &[&str] = &["PDF", "libro de Excel (xlsx)"];

/// The terms of a procedure version that rules are checked against and read with: its rules,
/// and the values of each enumerated field. The compiled policy provides them; this module
/// never sees the policy itself.
pub trait Terms {
    /// The `regla` blocks to check.
    fn rules(&self) -> &[Rule];
    /// Category names, as the policy writes them.
    fn categories(&self) -> Vec<&str>;
    /// State names and their aliases.
    fn states(&self) -> Vec<&str>;
    /// Exception type names (none when the version has no exceptions regime).
    fn exception_types(&self) -> Vec<&str>;
    /// Channels as `(key, label)`: `("web", "Portal Web de la Entidad")`.
    fn channels(&self) -> Vec<(&str, &str)>;
    /// Banner placement names, or `None` when the version has no banner section.
    fn placements(&self) -> Option<Vec<&str>>;
}

/// How a field's values compare: exactly (the engine writes the value) or by match key (the
/// export writes it, in any case and with or without tildes).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Matching {
    Exact,
    Key,
}

/// The values a field can hold, or `None` when it is not enumerated.
fn values<'p>(terms: &'p dyn Terms, subject: Subject, field: &str) -> Option<(Vec<Cow<'p, str>>, Matching)> {
    let names = |items: Vec<&'p str>| items.into_iter().map(Cow::Borrowed).collect::<Vec<_>>();
    match (subject, field) {
        (Subject::Case, "categoria") => Some((names(terms.categories()), Matching::Exact)),
        (Subject::Case, "estado") => Some((names(terms.states()), Matching::Key)),
        (Subject::Case, "excepcion") => {
            let mut types = vec![""];
            types.extend(terms.exception_types());
            Some((names(types), Matching::Exact))
        }
        (Subject::Case, "resultado") => Some((
            OUTCOMES.iter().map(|(_, label)| Cow::Borrowed(*label)).collect(),
            Matching::Exact,
        )),
        (Subject::Case, "canales") => Some((
            names(terms.channels().into_iter().map(|(key, _)| key).collect()),
            Matching::Exact,
        )),
        (Subject::Banner, "ubicacion") => terms.placements().map(|p| (names(p), Matching::Exact)),
        (Subject::Banner, "formato") => Some((names(IMAGE_FORMATS.to_vec()), Matching::Exact)),
        (Subject::Document, "formato") => Some((names(DOCUMENT_FORMATS.to_vec()), Matching::Exact)),
        _ => None,
    }
}

/// How a literal is compared with a field.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Comparison {
    /// `==`, `!=`, `in`, `contains` on a list: the literal must be a value.
    Equal,
    /// `contains` on a text: some value must contain it.
    Contains,
    /// `starts_with`: some value must start with it.
    StartsWith,
}

/// A token of a rule expression, with its byte range.
#[derive(Debug, Clone, PartialEq)]
enum Token {
    /// A dotted path (`caso.canales.contains`) or a word (`in`).
    Path(String),
    /// A string literal's value.
    Text(String),
    /// Punctuation or an operator (`==`, `(`, …).
    Punct(String),
}

/// The tokens of `source` with their byte offsets.
fn tokens(source: &str) -> Vec<(Token, usize, usize)> {
    let bytes = source.as_bytes();
    let mut out = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        let byte = bytes[at];
        if byte.is_ascii_whitespace() {
            at += 1;
        } else if byte == b'"' {
            let start = at;
            let mut value = String::new();
            at += 1;
            let mut chars = source[at..].char_indices();
            let mut end = source.len();
            while let Some((index, ch)) = chars.next() {
                match ch {
                    '\\' => {
                        if let Some((_, escaped)) = chars.next() {
                            value.push(match escaped {
                                'n' => '\n',
                                't' => '\t',
                                other => other,
                            });
                        }
                    }
                    '"' => {
                        end = at + index + 1;
                        break;
                    }
                    other => value.push(other),
                }
            }
            out.push((Token::Text(value), start, end));
            at = end;
        } else if byte.is_ascii_alphabetic() || byte == b'_' || !byte.is_ascii() {
            let start = at;
            while at < bytes.len() {
                let b = bytes[at];
                if b.is_ascii_alphanumeric() || b == b'_' || b == b'.' || !b.is_ascii() {
                    at += 1;
                } else {
                    break;
                }
            }
            // Never split a multi-byte character.
            while !source.is_char_boundary(at) {
                at += 1;
            }
            out.push((Token::Path(source[start..at].to_owned()), start, at));
        } else {
            let two = source.get(at..at + 2).unwrap_or("");
            let len = if matches!(two, "==" | "!=" | "&&" | "||" | "<=" | ">=") {
                2
            } else {
                source[at..].chars().next().map_or(1, char::len_utf8)
            };
            out.push((Token::Punct(source[at..at + len].to_owned()), at, at + len));
            at += len;
        }
    }
    out
}

/// `subject.field` of a path, when it names one of the subject's fields.
fn field_of<'t>(path: &'t str, variable: &str) -> Option<&'t str> {
    let rest = path.strip_prefix(variable)?.strip_prefix('.')?;
    (!rest.is_empty() && !rest.contains('.')).then_some(rest)
}

/// Every comparison of a text literal with a field in `source`: (field, literal, comparison,
/// literal's byte range).
fn comparisons(source: &str, variable: &str) -> Vec<(String, String, Comparison, usize, usize)> {
    let tokens = tokens(source);
    let mut found = Vec::new();
    for (index, (token, _, _)) in tokens.iter().enumerate() {
        let next = |k: usize| tokens.get(index + k).map(|(t, s, e)| (t, *s, *e));
        match token {
            Token::Path(path) => {
                if let (Some(field), Some((Token::Punct(op), _, _)), Some((Token::Text(text), s, e))) =
                    (field_of(path, variable), next(1), next(2))
                    && matches!(op.as_str(), "==" | "!=")
                {
                    found.push((field.to_owned(), text.clone(), Comparison::Equal, s, e));
                }
                for (method, comparison) in [
                    (".contains", Comparison::Contains),
                    (".starts_with", Comparison::StartsWith),
                ] {
                    if let Some(receiver) = path.strip_suffix(method)
                        && let Some(field) = field_of(receiver, variable)
                        && let (Some((Token::Punct(open), _, _)), Some((Token::Text(text), s, e))) =
                            (next(1), next(2))
                        && open == "("
                    {
                        found.push((field.to_owned(), text.clone(), comparison, s, e));
                    }
                }
            }
            Token::Text(text) => {
                if let (Some((Token::Punct(op), _, _)), Some((Token::Path(path), _, _))) = (next(1), next(2))
                    && matches!(op.as_str(), "==" | "!=")
                    && let Some(field) = field_of(path, variable)
                {
                    let (_, s, e) = tokens[index];
                    found.push((field.to_owned(), text.clone(), Comparison::Equal, s, e));
                }
                if let (Some((Token::Path(word), _, _)), Some((Token::Path(path), _, _))) = (next(1), next(2))
                    && word == "in"
                    && let Some(field) = field_of(path, variable)
                {
                    let (_, s, e) = tokens[index];
                    found.push((field.to_owned(), text.clone(), Comparison::Equal, s, e));
                }
            }
            Token::Punct(_) => {}
        }
    }
    found
}

/// `None` when `literal` fits the field; else `Some` of the help (a suggestion, when there is one).
fn judge(
    literal: &str,
    comparison: Comparison,
    values: &[Cow<'_, str>],
    matching: Matching,
) -> Option<Option<String>> {
    let same = |value: &str| match matching {
        Matching::Exact => value == literal,
        Matching::Key => match_key(value) == match_key(literal),
    };
    let fits = match comparison {
        Comparison::Equal => values.iter().any(|v| same(v)),
        Comparison::Contains => values.iter().any(|v| v.contains(literal)),
        Comparison::StartsWith => values.iter().any(|v| v.starts_with(literal)),
    };
    if fits {
        return None;
    }
    // The value written with other case or tildes, or the English code of an outcome.
    let near = values
        .iter()
        .find(|v| match_key(v) == match_key(literal))
        .map(|v| v.to_string())
        .or_else(|| {
            OUTCOMES
                .iter()
                .find(|(code, _)| *code == literal)
                .map(|(_, label)| (*label).to_owned())
        })
        .or_else(|| suggest(literal, values.iter().map(|v| v.as_ref())));
    Some(near.map(|n| format!("¿quiso decir «{n}»?")))
}

/// The comparisons of every rule with a value its field never holds.
pub fn check(terms: &dyn Terms) -> Vec<RuleProblem> {
    let mut problems = Vec::new();
    for rule in terms.rules() {
        let variable = super::fields::variable(rule.subject);
        let clauses = rule
            .when
            .iter()
            .map(|e| ("cuando", e))
            .chain(std::iter::once(("exige", &rule.require)));
        for (clause, expression) in clauses {
            for (field, literal, comparison, start, end) in comparisons(&expression.source, variable) {
                let Some((values, matching)) = values(terms, rule.subject, &field) else {
                    continue;
                };
                let Some(help) = judge(&literal, comparison, &values, matching) else {
                    continue;
                };
                problems.push(problem(
                    rule, expression, clause, variable, &field, &literal, &values, start, end, help,
                ));
            }
        }
    }
    problems
}

#[expect(
    clippy::too_many_arguments,
    reason = "one call site, every argument a different fact"
)]
fn problem(
    rule: &Rule,
    expression: &Expression,
    clause: &'static str,
    variable: &str,
    field: &str,
    literal: &str,
    values: &[Cow<'_, str>],
    start: usize,
    end: usize,
    help: Option<String>,
) -> RuleProblem {
    let (line, column) = position_in_file(expression, start);
    let listed: Vec<String> = values
        .iter()
        .filter(|v| !v.is_empty())
        .take(12)
        .map(|v| format!("«{v}»"))
        .collect();
    let more = values.len().saturating_sub(12);
    let mut list = listed.join(", ");
    if more > 0 {
        list.push_str(&format!(" y {more} más"));
    }
    let english = OUTCOMES.iter().any(|(code, _)| *code == literal) && field == "resultado";
    let why = if english {
        format!(
            "`{variable}.resultado` vale el resultado en español (como en los informes), nunca «{literal}»; la regla no se cumpliría nunca"
        )
    } else {
        format!(
            "`{variable}.{field}` nunca vale «{}»: la regla no se cumpliría nunca",
            crate::text::shown(literal)
        )
    };
    RuleProblem {
        rule: rule.name.clone(),
        line,
        column,
        offset: start,
        width: end.saturating_sub(start).max(1),
        clause,
        message: why,
        help: Some(match help {
            Some(help) => format!("{help} Valores posibles: {list}"),
            None => format!("valores posibles: {list}"),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_form_of_comparison() {
        let found = comparisons(
            r#"caso.categoria == "A" && "B" != caso.estado || caso.canales.contains("web") && caso.area.starts_with("Ofi") && "sms" in caso.canales && caso.id == "x\"y""#,
            "caso",
        );
        let brief: Vec<(&str, &str)> = found.iter().map(|(f, l, ..)| (f.as_str(), l.as_str())).collect();
        assert_eq!(
            brief,
            [
                ("categoria", "A"),
                ("estado", "B"),
                ("canales", "web"),
                ("area", "Ofi"),
                ("canales", "sms"),
                ("id", "x\"y")
            ]
        );
        let (_, literal, _, start, end) = &found[0];
        assert_eq!(literal, "A");
        assert_eq!(&r#"caso.categoria == "A""#[*start..*end], "\"A\"");
    }

    #[test]
    fn values_are_judged_by_their_comparison() {
        let values = [
            Cow::Borrowed("Diseño de piezas comerciales"),
            Cow::Borrowed("Otra"),
        ];
        assert!(
            judge(
                "Diseño de piezas comerciales",
                Comparison::Equal,
                &values,
                Matching::Exact
            )
            .is_none()
        );
        let help = judge(
            "Diseño de piesas comerciales",
            Comparison::Equal,
            &values,
            Matching::Exact,
        )
        .flatten();
        assert_eq!(
            help.as_deref(),
            Some("¿quiso decir «Diseño de piezas comerciales»?")
        );
        let help = judge(
            "diseño de piezas comerciales",
            Comparison::Equal,
            &values,
            Matching::Exact,
        )
        .flatten();
        assert_eq!(
            help.as_deref(),
            Some("¿quiso decir «Diseño de piezas comerciales»?")
        );
        assert!(
            judge(
                "diseño de piezas comerciales",
                Comparison::Equal,
                &values,
                Matching::Key
            )
            .is_none()
        );
        assert!(judge("Diseño", Comparison::StartsWith, &values, Matching::Exact).is_none());
        assert!(judge("piezas", Comparison::Contains, &values, Matching::Exact).is_none());
        assert!(judge("piesas", Comparison::Contains, &values, Matching::Exact).is_some());
        let outcomes: Vec<Cow<'_, str>> = OUTCOMES.iter().map(|(_, label)| Cow::Borrowed(*label)).collect();
        let help = judge("breached", Comparison::Equal, &outcomes, Matching::Exact).flatten();
        assert_eq!(help.as_deref(), Some("¿quiso decir «incumple»?"));
    }
}
