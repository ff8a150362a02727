//! A rule's `cuando` in words a process owner reads (used by the document and by `explain`): the simple expressions rules are written
//! with (`caso.canales.contains("web") || …`, `caso.area != "…"`, `!caso.es_excepcion`,
//! comparisons of a field with a text or a number, joined with `&&`, `||`, `!` and parentheses)
//! become a Spanish phrase; anything else gives `None`, and the document points to the rhai
//! source in its annex instead of guessing.

use super::model::Subject;
use super::vocabulary::Terms;
use crate::rules::fields::{fields, variable};
use crate::wording::{join_and, join_or, quoted};

/// A token of the expression.
#[derive(Debug, Clone, PartialEq)]
enum Token {
    /// `caso.canales.contains`.
    Path(Vec<String>),
    /// `"web"`.
    Text(String),
    /// `0`, `2.5`.
    Number(String),
    /// `||`, `&&`, `!`, `==`, `!=`, `<`, `<=`, `>`, `>=`, `(`, `)`.
    Symbol(&'static str),
}

fn tokens(source: &str) -> Option<Vec<Token>> {
    const SYMBOLS: [&str; 11] = ["||", "&&", "==", "!=", "<=", ">=", "!", "<", ">", "(", ")"];
    let mut out = Vec::new();
    let mut rest = source.trim();
    while !rest.is_empty() {
        if let Some(symbol) = SYMBOLS.iter().find(|s| rest.starts_with(**s)) {
            out.push(Token::Symbol(symbol));
            rest = rest[symbol.len()..].trim_start();
            continue;
        }
        let mut chars = rest.char_indices();
        let (_, first) = chars.next()?;
        let end = if first == '"' {
            let mut text = String::new();
            let mut escaped = false;
            let mut end = None;
            for (at, ch) in chars {
                match (escaped, ch) {
                    (true, c) => {
                        text.push(c);
                        escaped = false;
                    }
                    (false, '\\') => escaped = true,
                    (false, '"') => {
                        end = Some(at + 1);
                        break;
                    }
                    (false, c) => text.push(c),
                }
            }
            out.push(Token::Text(text));
            end?
        } else if first.is_ascii_digit() {
            let end = rest
                .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '_'))
                .unwrap_or(rest.len());
            out.push(Token::Number(rest[..end].replace('_', "")));
            end
        } else if first.is_alphabetic() || first == '_' {
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
                .unwrap_or(rest.len());
            let path: Vec<String> = rest[..end].split('.').map(str::to_owned).collect();
            if path.iter().any(String::is_empty) {
                return None;
            }
            out.push(Token::Path(path));
            end
        } else {
            return None;
        };
        rest = rest[end..].trim_start();
    }
    Some(out)
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Compare {
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

impl Compare {
    fn of(symbol: &str) -> Option<Self> {
        Some(match symbol {
            "==" => Compare::Equal,
            "!=" => Compare::NotEqual,
            "<" => Compare::Less,
            "<=" => Compare::LessOrEqual,
            ">" => Compare::Greater,
            ">=" => Compare::GreaterOrEqual,
            _ => return None,
        })
    }

    fn negated(self) -> Self {
        match self {
            Compare::Equal => Compare::NotEqual,
            Compare::NotEqual => Compare::Equal,
            Compare::Less => Compare::GreaterOrEqual,
            Compare::LessOrEqual => Compare::Greater,
            Compare::Greater => Compare::LessOrEqual,
            Compare::GreaterOrEqual => Compare::Less,
        }
    }

    fn words(self) -> &'static str {
        match self {
            Compare::Equal => "es",
            Compare::NotEqual => "no es",
            Compare::Less => "es menor que",
            Compare::LessOrEqual => "es a lo sumo",
            Compare::Greater => "es mayor que",
            Compare::GreaterOrEqual => "es al menos",
        }
    }
}

/// The expression as a tree.
#[derive(Debug, Clone, PartialEq)]
enum Condition {
    Any(Vec<Condition>),
    All(Vec<Condition>),
    Not(Box<Condition>),
    /// `subject.field.contains("value")`.
    Contains {
        field: String,
        value: String,
    },
    /// `subject.field OP literal`; `text` says the literal was quoted.
    Compare {
        field: String,
        op: Compare,
        value: String,
        text: bool,
    },
    /// `subject.field` alone (a true/false field).
    Flag {
        field: String,
    },
}

struct Parser<'t> {
    tokens: &'t [Token],
    at: usize,
    variable: &'static str,
    subject: Subject,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn eat(&mut self, symbol: &str) -> bool {
        if matches!(self.peek(), Some(Token::Symbol(s)) if *s == symbol) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn any(&mut self) -> Option<Condition> {
        let mut parts = vec![self.all()?];
        while self.eat("||") {
            parts.push(self.all()?);
        }
        Some(if parts.len() == 1 {
            parts.pop()?
        } else {
            Condition::Any(parts)
        })
    }

    fn all(&mut self) -> Option<Condition> {
        let mut parts = vec![self.unary()?];
        while self.eat("&&") {
            parts.push(self.unary()?);
        }
        Some(if parts.len() == 1 {
            parts.pop()?
        } else {
            Condition::All(parts)
        })
    }

    fn unary(&mut self) -> Option<Condition> {
        if self.eat("!") {
            return Some(Condition::Not(Box::new(self.unary()?)));
        }
        if self.eat("(") {
            let inner = self.any()?;
            return self.eat(")").then_some(inner);
        }
        self.atom()
    }

    /// The field a path names, when it is `<variable>.<field>` and the field exists.
    fn field(&self, path: &[String]) -> Option<String> {
        match path {
            [variable, field] if variable == self.variable => fields(self.subject)
                .iter()
                .any(|f| f.name == field)
                .then(|| field.clone()),
            _ => None,
        }
    }

    fn atom(&mut self) -> Option<Condition> {
        let Some(Token::Path(path)) = self.peek().cloned() else {
            return None;
        };
        self.at += 1;
        if let Some((last, head)) = path.split_last()
            && last == "contains"
        {
            let field = self.field(head)?;
            if !self.eat("(") {
                return None;
            }
            let Some(Token::Text(value)) = self.peek().cloned() else {
                return None;
            };
            self.at += 1;
            return self.eat(")").then_some(Condition::Contains { field, value });
        }
        let field = self.field(&path)?;
        let op = match self.peek() {
            Some(Token::Symbol(symbol)) => Compare::of(symbol),
            _ => None,
        };
        let Some(op) = op else {
            return Some(Condition::Flag { field });
        };
        self.at += 1;
        let (value, text) = match self.peek().cloned() {
            Some(Token::Text(value)) => (value, true),
            Some(Token::Number(value)) => (value, false),
            _ => return None,
        };
        self.at += 1;
        Some(Condition::Compare {
            field,
            op,
            value,
            text,
        })
    }
}

/// How the document names a field: `el área solicitante`.
fn noun(subject: Subject, field: &str) -> String {
    let known = match (subject, field) {
        (Subject::Case, "id") => "el número del caso",
        (Subject::Case, "categoria") => "la categoría",
        (Subject::Case, "estado") => "el estado actual",
        (Subject::Case, "excepcion") => "el tipo de excepción",
        (Subject::Case, "area") => "el área solicitante",
        (Subject::Case, "resultado") => "el resultado del ANS",
        (Subject::Case, "dias_tarde") => "el retraso en días hábiles",
        (Subject::Case, "version") => "la versión de la política",
        (Subject::Banner | Subject::Document, "formato") => "el formato",
        (Subject::Banner | Subject::Document, "bytes") => "el peso en bytes",
        (Subject::Banner, "ubicacion") => "la ubicación",
        (Subject::Banner, "ancho") => "el ancho en píxeles",
        (Subject::Banner, "alto") => "el alto en píxeles",
        (Subject::Banner | Subject::Document, "titulo") => "el título",
        (Subject::Document, "idioma") => "el idioma",
        (Subject::Document, "paginas") => "el número de páginas",
        (Subject::Sms, "mensaje") => "el mensaje",
        (Subject::Sms, "cedula") => "el número de cédula",
        _ => "",
    };
    if !known.is_empty() {
        return known.to_owned();
    }
    let description = fields(subject)
        .iter()
        .find(|f| f.name == field)
        .map_or(field, |f| f.description);
    let short = description.split(" (").next().unwrap_or(description);
    format!("el dato «{}»", short.trim())
}

/// A channel key as its name: `web` → `Portal Web de la Entidad`.
fn channel(terms: &dyn Terms, key: &str) -> String {
    terms
        .channels()
        .into_iter()
        .find(|(channel, _)| crate::text::match_key(channel) == crate::text::match_key(key))
        .map_or_else(|| quoted(key), |(_, label)| label.to_owned())
}

/// `value` as the phrase shows it: quoted when it is a text.
fn literal(value: &str, text: bool) -> String {
    if text {
        quoted(value)
    } else {
        value.replace('.', ",")
    }
}

fn contains(terms: &dyn Terms, subject: Subject, field: &str, value: &str, negated: bool) -> String {
    let not = if negated { "no " } else { "" };
    match (subject, field) {
        (Subject::Case, "canales") => {
            format!(
                "la categoría de la solicitud {not}usa el canal {}",
                channel(terms, value)
            )
        }
        (Subject::Case, "adjuntos") => format!("el caso {not}adjunta la evidencia {}", quoted(value)),
        (Subject::Case, "hallazgos") => format!("el historial del caso {not}tiene el hallazgo {value}"),
        _ => format!("{} {not}incluye {}", noun(subject, field), quoted(value)),
    }
}

fn flag(subject: Subject, field: &str, negated: bool) -> String {
    let not = if negated { "no " } else { "" };
    match (subject, field) {
        (Subject::Case, "es_excepcion") => format!("la solicitud {not}va por el régimen de excepciones"),
        _ => format!("{} {not}es verdadero", noun(subject, field)),
    }
}

fn words(condition: &Condition, terms: &dyn Terms, subject: Subject, nested: bool) -> String {
    let phrase = match condition {
        Condition::Any(parts) => {
            let channels: Option<Vec<String>> = parts
                .iter()
                .map(|part| match part {
                    Condition::Contains { field, value }
                        if subject == Subject::Case && field == "canales" =>
                    {
                        Some(channel(terms, value))
                    }
                    _ => None,
                })
                .collect();
            if let Some(channels) = channels {
                return format!(
                    "la categoría de la solicitud usa alguno de estos canales: {}",
                    join_or(&channels)
                );
            }
            let parts: Vec<String> = parts.iter().map(|p| words(p, terms, subject, true)).collect();
            join_or(&parts)
        }
        Condition::All(parts) => {
            let parts: Vec<String> = parts.iter().map(|p| words(p, terms, subject, true)).collect();
            join_and(&parts)
        }
        Condition::Not(inner) => match inner.as_ref() {
            Condition::Contains { field, value } => contains(terms, subject, field, value, true),
            Condition::Flag { field } => flag(subject, field, true),
            Condition::Compare {
                field,
                op,
                value,
                text,
            } => format!(
                "{} {} {}",
                noun(subject, field),
                op.negated().words(),
                literal(value, *text)
            ),
            Condition::Not(twice) => words(twice, terms, subject, nested),
            other => format!("no se cumple que {}", words(other, terms, subject, true)),
        },
        Condition::Contains { field, value } => contains(terms, subject, field, value, false),
        Condition::Flag { field } => flag(subject, field, false),
        Condition::Compare {
            field,
            op,
            value,
            text,
        } => format!(
            "{} {} {}",
            noun(subject, field),
            op.words(),
            literal(value, *text)
        ),
    };
    let compound = matches!(condition, Condition::Any(_) | Condition::All(_));
    if nested && compound {
        format!("({phrase})")
    } else {
        phrase
    }
}

/// The expression `source` of a rule on `subject` in words (`el área solicitante no es «X»`),
/// or `None` when it is not one of the simple forms this module reads.
pub fn in_words(source: &str, subject: Subject, terms: &dyn Terms) -> Option<String> {
    let tokens = tokens(source)?;
    let mut parser = Parser {
        tokens: &tokens,
        at: 0,
        variable: variable(subject),
        subject,
    };
    let condition = parser.any()?;
    (parser.at == tokens.len()).then(|| words(&condition, terms, subject, false))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{Policy, PolicySet};

    fn v11() -> Policy {
        PolicySet::embedded()
            .ok()
            .and_then(|set| set.find("M1-3-06@11").cloned())
            .unwrap_or_else(|| panic!("the embedded v11 compiles"))
    }

    fn say(source: &str) -> Option<String> {
        in_words(source, Subject::Case, &v11())
    }

    #[test]
    fn the_conditions_of_v11_read_as_sentences() {
        assert_eq!(
            say(
                "caso.canales.contains(\"web\") || caso.canales.contains(\"infoservicios\") || \
                 caso.canales.contains(\"email\") || caso.canales.contains(\"sms\")"
            )
            .as_deref(),
            Some(
                "la categoría de la solicitud usa alguno de estos canales: Portal Web de la Entidad, \
                 Infoservicios, Email Marketing o Mensajes SMS"
            )
        );
        assert_eq!(
            say("caso.canales.contains(\"web\")").as_deref(),
            Some("la categoría de la solicitud usa el canal Portal Web de la Entidad")
        );
        assert_eq!(
            say("caso.area != \"Grupo de Gestión Comercial y de Mercadeo\"").as_deref(),
            Some("el área solicitante no es «Grupo de Gestión Comercial y de Mercadeo»")
        );
    }

    #[test]
    fn negations_comparisons_and_groups() {
        assert_eq!(
            say("!caso.es_excepcion && (caso.dias_tarde > 2 || !caso.adjuntos.contains(\"acta\"))")
                .as_deref(),
            Some(
                "la solicitud no va por el régimen de excepciones y (el retraso en días hábiles es mayor \
                 que 2 o el caso no adjunta la evidencia «acta»)"
            )
        );
        assert_eq!(
            say("!(caso.categoria == \"X\")").as_deref(),
            Some("la categoría no es «X»")
        );
        assert_eq!(
            say("caso.recibido == \"2024\"").as_deref(),
            Some("el dato «fecha de recepción según el horario» es «2024»")
        );
    }

    #[test]
    fn anything_else_is_not_guessed() {
        for source in [
            "caso.adjuntos.len() > 2",
            "caso.area.starts_with(\"Grupo\")",
            "banner.ancho > 10",
            "caso.desconocido == 1",
            "caso.area == ",
            "(caso.es_excepcion",
            "caso.es_excepcion caso.es_excepcion",
            "let x = 1; x == 1",
            "caso.area == \"sin cerrar",
            "",
        ] {
            assert_eq!(say(source), None, "{source}");
        }
    }
}
