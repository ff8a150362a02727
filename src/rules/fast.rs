//! A native fast path for the simplest `caso` rules — the shape evidence rules take:
//! `caso.lista.contains("x")`, `caso.texto == "x"`, `caso.texto != "x"`, `caso.es_excepcion`,
//! `true`/`false`, combined with `&&`, `||`, `!` and parentheses. Such an expression is
//! translated to a [`Predicate`] evaluated directly on the case (any [`CaseFields`]: the evaluated
//! case itself during a run, or the snapshot rhai sees); anything else (numbers,
//! `columnas`, other functions, escapes in strings, …) returns `None` and runs in rhai. For the
//! accepted subset both give the same result (`tests/it/rules_fast_path.rs` checks it).

use std::borrow::Cow;

/// What the fast path reads of one case. The cases module implements it twice, on the snapshot
/// rhai sees and on the evaluated case itself (nothing copied), and both must
/// read the same values.
pub trait CaseFields {
    /// The value of a text field.
    fn text(&self, field: TextFieldRef) -> Cow<'_, str>;
    /// Whether a list field holds an item equal to `literal`.
    fn list_contains(&self, field: ListFieldRef, literal: &str) -> bool;
}

/// A text field of `caso`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TextField {
    Id,
    Category,
    State,
    Exception,
    Area,
    Registered,
    Received,
    Deadline,
    Solved,
    Outcome,
}

/// A list field of `caso`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ListField {
    Attachments,
    Channels,
    Findings,
}

/// A compiled fast-path predicate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Predicate {
    /// `true` or `false` written in the rule.
    Constant(bool),
    /// `caso.es_excepcion`.
    IsException,
    /// `caso.texto == "x"` (or `!=` when `equal` is false).
    TextEquals {
        /// The text field compared.
        field: TextFieldRef,
        /// The quoted text it is compared with, unescaped.
        literal: String,
        /// `==` (true) or `!=` (false).
        equal: bool,
    },
    /// `caso.lista.contains("x")`.
    ListContains {
        /// The list searched.
        field: ListFieldRef,
        /// The item looked for, compared exactly.
        literal: String,
    },
    /// `caso.texto.contains("x")` (substring).
    TextContains {
        /// The text searched.
        field: TextFieldRef,
        /// The substring looked for, compared exactly.
        literal: String,
    },
    /// `!p`.
    Not(Box<Predicate>),
    /// `p && q && …`.
    All(Vec<Predicate>),
    /// `p || q || …`.
    Any(Vec<Predicate>),
}

/// Opaque handle of a text field (keeps the field enum private).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextFieldRef(pub(crate) TextField);

/// Opaque handle of a list field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListFieldRef(pub(crate) ListField);

impl Predicate {
    /// The predicate's value on `caso`.
    pub fn eval<C: CaseFields + ?Sized>(&self, caso: &C) -> bool {
        match self {
            Predicate::Constant(value) => *value,
            Predicate::IsException => !caso.text(TextFieldRef(TextField::Exception)).is_empty(),
            Predicate::TextEquals {
                field,
                literal,
                equal,
            } => (caso.text(*field) == literal.as_str()) == *equal,
            Predicate::ListContains { field, literal } => caso.list_contains(*field, literal),
            Predicate::TextContains { field, literal } => caso.text(*field).contains(literal.as_str()),
            Predicate::Not(inner) => !inner.eval(caso),
            Predicate::All(parts) => parts.iter().all(|part| part.eval(caso)),
            Predicate::Any(parts) => parts.iter().any(|part| part.eval(caso)),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Ident(String),
    Str(String),
    Dot,
    Open,
    Close,
    Not,
    And,
    Or,
    Eq,
    Ne,
}

fn tokens(source: &str) -> Option<Vec<Token>> {
    let mut out = Vec::new();
    let mut chars = source.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {}
            '.' => out.push(Token::Dot),
            '(' => out.push(Token::Open),
            ')' => out.push(Token::Close),
            '!' if chars.peek() == Some(&'=') => {
                chars.next();
                out.push(Token::Ne);
            }
            '!' => out.push(Token::Not),
            '=' if chars.next() == Some('=') => out.push(Token::Eq),
            '&' if chars.next() == Some('&') => out.push(Token::And),
            '|' if chars.next() == Some('|') => out.push(Token::Or),
            '"' => {
                let mut literal = String::new();
                loop {
                    match chars.next()? {
                        '"' => break,
                        '\\' | '\n' | '\r' => return None,
                        c => literal.push(c),
                    }
                }
                out.push(Token::Str(literal));
            }
            c if c.is_ascii_alphabetic() || c == '_' => {
                let mut word = c.to_string();
                while let Some(&next) = chars.peek() {
                    if next.is_ascii_alphanumeric() || next == '_' {
                        word.push(next);
                        chars.next();
                    } else {
                        break;
                    }
                }
                out.push(Token::Ident(word));
            }
            _ => return None,
        }
    }
    Some(out)
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.at).cloned();
        self.at += 1;
        token
    }

    fn eat(&mut self, token: &Token) -> bool {
        if self.peek() == Some(token) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn or(&mut self) -> Option<Predicate> {
        let mut parts = vec![self.and()?];
        while self.eat(&Token::Or) {
            parts.push(self.and()?);
        }
        Some(if parts.len() == 1 {
            parts.pop()?
        } else {
            Predicate::Any(parts)
        })
    }

    fn and(&mut self) -> Option<Predicate> {
        let mut parts = vec![self.comparison()?];
        while self.eat(&Token::And) {
            parts.push(self.comparison()?);
        }
        Some(if parts.len() == 1 {
            parts.pop()?
        } else {
            Predicate::All(parts)
        })
    }

    /// `text == "x"`, `"x" != text`, or a boolean term.
    fn comparison(&mut self) -> Option<Predicate> {
        let start = self.at;
        if let Some(left) = self.operand() {
            let equal = match self.peek() {
                Some(Token::Eq) => Some(true),
                Some(Token::Ne) => Some(false),
                _ => None,
            };
            if let Some(equal) = equal {
                self.at += 1;
                let right = self.operand()?;
                if matches!(self.peek(), Some(Token::Eq | Token::Ne)) {
                    return None;
                }
                return match (left, right) {
                    (Operand::Field(field), Operand::Literal(literal))
                    | (Operand::Literal(literal), Operand::Field(field)) => Some(Predicate::TextEquals {
                        field: TextFieldRef(field),
                        literal,
                        equal,
                    }),
                    _ => None,
                };
            }
        }
        self.at = start;
        let term = self.unary()?;
        if matches!(self.peek(), Some(Token::Eq | Token::Ne)) {
            return None;
        }
        Some(term)
    }

    /// A text field or a string literal, with nothing after it but an operator.
    fn operand(&mut self) -> Option<Operand> {
        match self.peek()? {
            Token::Str(_) => match self.next()? {
                Token::Str(literal) => Some(Operand::Literal(literal)),
                _ => None,
            },
            Token::Ident(word) if word == "caso" => {
                self.at += 1;
                if !self.eat(&Token::Dot) {
                    return None;
                }
                let Some(Token::Ident(name)) = self.next() else {
                    return None;
                };
                if self.peek() == Some(&Token::Dot) {
                    return None;
                }
                text_field(&name).map(Operand::Field)
            }
            _ => None,
        }
    }

    fn unary(&mut self) -> Option<Predicate> {
        if self.eat(&Token::Not) {
            return Some(Predicate::Not(Box::new(self.unary()?)));
        }
        if self.eat(&Token::Open) {
            let inner = self.or()?;
            return self.eat(&Token::Close).then_some(inner);
        }
        match self.next()? {
            Token::Ident(word) if word == "true" => Some(Predicate::Constant(true)),
            Token::Ident(word) if word == "false" => Some(Predicate::Constant(false)),
            Token::Ident(word) if word == "caso" => {
                if !self.eat(&Token::Dot) {
                    return None;
                }
                let Some(Token::Ident(name)) = self.next() else {
                    return None;
                };
                if name == "es_excepcion" {
                    return (self.peek() != Some(&Token::Dot)).then_some(Predicate::IsException);
                }
                if !self.eat(&Token::Dot) {
                    return None;
                }
                let method = self.next()?;
                if method != Token::Ident("contains".to_owned()) || !self.eat(&Token::Open) {
                    return None;
                }
                let Some(Token::Str(literal)) = self.next() else {
                    return None;
                };
                if !self.eat(&Token::Close) || self.peek() == Some(&Token::Dot) {
                    return None;
                }
                if let Some(field) = list_field(&name) {
                    Some(Predicate::ListContains {
                        field: ListFieldRef(field),
                        literal,
                    })
                } else {
                    text_field(&name).map(|field| Predicate::TextContains {
                        field: TextFieldRef(field),
                        literal,
                    })
                }
            }
            _ => None,
        }
    }
}

enum Operand {
    Field(TextField),
    Literal(String),
}

fn text_field(name: &str) -> Option<TextField> {
    Some(match name {
        "id" => TextField::Id,
        "categoria" => TextField::Category,
        "estado" => TextField::State,
        "excepcion" => TextField::Exception,
        "area" => TextField::Area,
        "registrado" => TextField::Registered,
        "recibido" => TextField::Received,
        "plazo" => TextField::Deadline,
        "solucionado" => TextField::Solved,
        "resultado" => TextField::Outcome,
        _ => return None,
    })
}

fn list_field(name: &str) -> Option<ListField> {
    Some(match name {
        "adjuntos" => ListField::Attachments,
        "canales" => ListField::Channels,
        "hallazgos" => ListField::Findings,
        _ => return None,
    })
}

/// The fast-path predicate of a `caso` expression, or `None` when it must run in rhai.
pub fn compile(source: &str) -> Option<Predicate> {
    let mut parser = Parser {
        tokens: tokens(source)?,
        at: 0,
    };
    let predicate = parser.or()?;
    (parser.at == parser.tokens.len()).then_some(predicate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_evidence_rule_shapes() {
        for source in [
            r#"caso.canales.contains("web") || caso.canales.contains("sms")"#,
            r#"caso.adjuntos.contains("aprobacion_comunicaciones")"#,
            r#"caso.area != "Grupo de Gestión Comercial y de Mercadeo""#,
            r#"!caso.es_excepcion && ("web" == caso.categoria || caso.area.contains("Crédito"))"#,
            "true",
        ] {
            assert!(compile(source).is_some(), "{source}");
        }
    }

    #[test]
    fn leaves_everything_else_to_rhai() {
        for source in [
            "caso.dias_tarde > 0",
            r#"caso.columnas["X"] == "y""#,
            r#"normalizar(caso.area) == "x""#,
            r#"caso.area == "a\"b""#,
            r#"!caso.area == "x""#,
            r#"caso.area == "x" == true"#,
            "caso.adjuntos.len() > 1",
            "caso.adjuntos",
            r#"caso.area.contains("x").len()"#,
            "caso.nada",
            "caso.es_excepcion.x",
            "(caso.es_excepcion",
        ] {
            assert!(compile(source).is_none(), "{source}");
        }
    }
}
