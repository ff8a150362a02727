//! The parse tree of a policy file flattened into the formatter's event stream: tokens in order,
//! with statement, clause and column boundaries from the tree, and the comments, punctuation and
//! blank lines found between tokens.

use pest::iterators::Pair;

use crate::policy::parse::tight;
use crate::policy::syntax::Rule;
use crate::text::match_key;

/// One token as the formatter writes it.
#[derive(Debug, Clone)]
pub(super) struct Token {
    /// Text in canonical spelling.
    pub text: String,
    /// Written with no space before it (`,`, `:`).
    pub glue: bool,
    /// A line may break before it when the statement does not fit: 2 before a clause, 1 before
    /// a list item, 0 never; [`ALWAYS`] breaks before it in any case.
    pub breaks: u8,
    /// Column of an aligned run this token belongs to.
    pub cell: usize,
}

/// `Token::breaks` of a token that always starts a line: each further string of a text.
pub(super) const ALWAYS: u8 = 3;

/// What the formatter reads, in source order.
#[derive(Debug, Clone)]
pub(super) enum Event {
    /// A statement begins; `blank_before` when a blank line precedes it in the source.
    StmtStart { rule: Rule, blank_before: bool },
    /// The statement ends.
    StmtEnd,
    /// A token of the current statement.
    Token(Token),
    /// `{` of a block.
    Open,
    /// `}` of a block.
    Close,
    /// A `#` comment: `trailing` when it follows a token on the same line.
    Comment {
        text: String,
        trailing: bool,
        blank_before: bool,
    },
}

/// Rules that are one statement of a file or block.
fn is_statement(rule: Rule, parent: Rule) -> bool {
    use Rule::*;
    match rule {
        alias_clause => parent == category_block,
        procedure_header | version_decl | calendar_ref | hours_decl | after_hours_decl | states_block
        | state_decl | channel_decl | transition_decl | auto_close_decl | category_block
        | description_clause | ans_clause | channels_clause | exceptions_block | cutoff_clause
        | exception_type | banner_block | formats_clause | weight_clause | placement_decl
        | permanence_clause | words_clause | sms_block | column_decl | length_clause | no_accents_clause
        | id_clause | documents_block | no_password | searchable | no_metadata | accessibility
        | sampling_block | confidence_clause | margin_clause | proportion_clause | population_clause
        | rule_block | when_clause | require_clause | message_clause | objective_decl | scope_decl
        | definition_decl | condition_decl | responsible_decl | unknown_statement | calendar_header
        | day_rule => true,
        _ => false,
    }
}

/// Statements that end with a `{ … }` block.
fn is_block(rule: Rule) -> bool {
    use Rule::*;
    matches!(
        rule,
        states_block
            | category_block
            | exceptions_block
            | banner_block
            | sms_block
            | documents_block
            | sampling_block
            | rule_block
    )
}

/// Parts of a statement a long line may break before.
fn is_clause(rule: Rule) -> bool {
    use Rule::*;
    matches!(
        rule,
        numeral_clause
            | reason_clause
            | alias_clause
            | implicit
            | max_active
            | no_leading_zero
            | counts_reception
            | legal_basis
            | moved
            | from_year
            | until_year
            | word_limit
            | text_block
    )
}

/// The column a part of a statement is aligned in, within a run of statements of the same kind.
pub(super) fn cell_of(statement: Rule, part: Rule) -> usize {
    use Rule::*;
    match (statement, part) {
        (state_decl, string) => 0,
        (state_decl, _) => 1,
        (channel_decl, kw_canal | word) => 0,
        (channel_decl, string) => 1,
        (channel_decl, _) => 2,
        (column_decl, kw_columna | word) => 0,
        (column_decl, string) => 1,
        (column_decl, alias_clause) => 2,
        (column_decl, _) => 3,
        (placement_decl, kw_ubicacion | string) => 0,
        (placement_decl, alias_clause) => 1,
        (placement_decl, dimensions) => 2,
        (placement_decl, max_active) => 3,
        (placement_decl, _) => 4,
        (exception_type, kw_tipo | string) => 0,
        (exception_type, alias_clause) => 1,
        (exception_type, _) => 2,
        (definition_decl, text_block) => 1,
        (responsible_decl, kw_responsable | string) => 0,
        (responsible_decl, numeral_clause) => 1,
        (responsible_decl, text_block) => 2,
        (day_rule, day_kind | string) => 0,
        (day_rule, legal_basis) => 2,
        (day_rule, implicit) => 3,
        (day_rule, _) => 1,
        _ => 0,
    }
}

/// Rules whose text is one token.
fn is_leaf(rule: Rule) -> bool {
    use Rule::*;
    matches!(
        rule,
        word | integer
            | decimal
            | signed
            | date
            | month_day
            | day_month
            | time
            | dimensions
            | percent
            | arrow
            | string
            | code
            | size_unit
            | utc_offset
            | weekday
            | month_name
            | ordinal
            | unknown_statement
    ) || format!("{rule:?}").starts_with("kw_")
}

/// Keywords whose canonical spelling carries a tilde or an ñ, by their match key.
const ACCENTED: &[(&str, &str)] = &[
    ("version", "versión"),
    ("dia", "día"),
    ("dias", "días"),
    ("habil", "hábil"),
    ("habiles", "hábiles"),
    ("solucion", "solución"),
    ("transicion", "transición"),
    ("razon", "razón"),
    ("implicita", "implícita"),
    ("automatico", "automático"),
    ("categoria", "categoría"),
    ("descripcion", "descripción"),
    ("recepcion", "recepción"),
    ("maximo", "máximo"),
    ("maxima", "máxima"),
    ("ubicacion", "ubicación"),
    ("titulo", "título"),
    ("cedula", "cédula"),
    ("digitos", "dígitos"),
    ("contrasena", "contraseña"),
    ("definicion", "definición"),
    ("condicion", "condición"),
    ("proporcion", "proporción"),
    ("poblacion", "población"),
    ("miercoles", "miércoles"),
    ("sabado", "sábado"),
    ("ultimo", "último"),
];

/// A keyword in lowercase with its tildes: `VERSION` → `versión`.
pub(super) fn canonical_keyword(text: &str) -> String {
    let key = match_key(text);
    ACCENTED
        .iter()
        .find(|(plain, _)| *plain == key)
        .map_or_else(|| text.to_lowercase(), |(_, spelled)| (*spelled).to_string())
}

/// `29 de junio` for `06-29` (`month_day`) or `29 De JUNIO` (`day_month`).
fn spanish_day(rule: Rule, text: &str) -> Option<String> {
    let (day, month) = if rule == Rule::month_day {
        let (month, day) = text.split_once('-')?;
        (day.parse::<u32>().ok()?, month.parse::<u32>().ok()?)
    } else {
        let mut words = text.split_whitespace();
        let day = words.next()?.parse::<u32>().ok()?;
        let month_key = match_key(words.last()?);
        let month_key = if month_key == "setiembre" {
            "septiembre".to_owned()
        } else {
            month_key
        };
        let month = crate::text::SPANISH_MONTHS.iter().position(|m| *m == month_key)? + 1;
        (day, u32::try_from(month).ok()?)
    };
    (1..=12)
        .contains(&month)
        .then(|| crate::wording::day_of_month(month, day))
}

/// The canonical text of a leaf token.
fn canonical(rule: Rule, text: &str) -> String {
    use Rule::*;
    match rule {
        arrow => "->".to_string(),
        weekday | month_name | ordinal => canonical_keyword(text),
        signed => text.chars().filter(|c| !c.is_whitespace()).collect(),
        percent => format!("{} %", text.trim_end_matches('%').trim_end()),
        size_unit => match text.to_lowercase().as_str() {
            "kib" => "KiB",
            "kb" => "KB",
            "mib" => "MiB",
            "mb" => "MB",
            "bytes" => "bytes",
            _ => "B",
        }
        .to_string(),
        unknown_statement => text.trim_end().to_string(),
        // A day of every year is written the Spanish way: `06-29` (the old form) and
        // `06 de Junio` both become `29 de junio`.
        month_day | day_month => spanish_day(rule, text).unwrap_or_else(|| text.to_string()),
        _ if format!("{rule:?}").starts_with("kw_") => canonical_keyword(text),
        _ => text.to_string(),
    }
}

/// Walks the parse tree, keeping a cursor in the text to read what lies between tokens.
pub(super) struct Walker<'t> {
    text: &'t str,
    cursor: usize,
    newlines: usize,
    seen_token: bool,
    cell: usize,
    events: Vec<Event>,
}

impl<'t> Walker<'t> {
    /// A walker over `text`.
    pub(super) fn new(text: &'t str) -> Self {
        Walker {
            text,
            cursor: 0,
            newlines: 0,
            seen_token: false,
            cell: 0,
            events: Vec::new(),
        }
    }

    /// The events of a whole file (`file` pair), including comments after the last statement.
    pub(super) fn run(mut self, file: Pair<'_, Rule>) -> Vec<Event> {
        for doc in file.into_inner() {
            if matches!(doc.as_rule(), Rule::procedure_doc | Rule::calendar_doc) {
                let parent = doc.as_rule();
                for child in doc.into_inner() {
                    self.walk(child, parent, None);
                }
            }
        }
        self.gap(self.text.len());
        self.events
    }

    /// `statement` is the enclosing statement and the column of the part being walked.
    fn walk(&mut self, pair: Pair<'_, Rule>, parent: Rule, statement: Option<(Rule, usize, u8)>) {
        let rule = pair.as_rule();
        if is_statement(rule, parent) {
            self.gap(pair.as_span().start());
            let blank_before = self.newlines >= 2;
            self.events.push(Event::StmtStart { rule, blank_before });
            if rule == Rule::unknown_statement {
                self.leaf(&pair, rule, (rule, 0, 0));
            } else {
                let end = tight(&pair).end;
                for (index, child) in pair.into_inner().enumerate() {
                    let part = child.as_rule();
                    let breaks = if index > 0 && is_clause(part) { 2 } else { 0 };
                    self.walk(child, rule, Some((rule, cell_of(rule, part), breaks)));
                }
                if is_block(rule) {
                    self.gap(end);
                }
            }
            self.events.push(Event::StmtEnd);
            return;
        }
        let context = statement.unwrap_or((parent, 0, 0));
        if is_leaf(rule) {
            self.leaf(&pair, rule, context);
            return;
        }
        let list = matches!(rule, Rule::string_list | Rule::word_list);
        let text = rule == Rule::text_block;
        let mut first = true;
        for child in pair.into_inner() {
            let (stmt, cell, breaks) = context;
            let breaks = match (first, list, text) {
                (true, _, _) => breaks,
                (false, _, true) => ALWAYS,
                (false, true, false) => 1,
                (false, false, false) => 0,
            };
            self.walk(child, rule, Some((stmt, cell, breaks)));
            first = false;
        }
    }

    fn leaf(&mut self, pair: &Pair<'_, Rule>, rule: Rule, (_, cell, breaks): (Rule, usize, u8)) {
        let span = pair.as_span();
        self.gap(span.start());
        self.events.push(Event::Token(Token {
            text: canonical(rule, pair.as_str()),
            glue: false,
            breaks,
            cell,
        }));
        self.cursor = span.end();
        self.cell = cell;
        self.newlines = 0;
        self.seen_token = true;
    }

    /// Read the text between the cursor and `until`: comments, punctuation and line breaks.
    fn gap(&mut self, until: usize) {
        if until <= self.cursor {
            return;
        }
        let Some(text) = self.text.get(self.cursor..until) else {
            return;
        };
        let mut chars = text.char_indices().peekable();
        while let Some((index, ch)) = chars.next() {
            match ch {
                '\n' => self.newlines += 1,
                '#' => {
                    let end = text[index..].find('\n').map_or(text.len(), |i| index + i);
                    let comment = text[index..end].trim_end().to_string();
                    let trailing = self.seen_token && self.newlines == 0;
                    let blank_before = self.newlines >= 2;
                    self.events.push(Event::Comment {
                        text: comment,
                        trailing,
                        blank_before,
                    });
                    self.newlines = 0;
                    while chars.peek().is_some_and(|(i, _)| *i < end) {
                        chars.next();
                    }
                }
                '{' => self.punct(Event::Open),
                '}' => self.punct(Event::Close),
                c if c.is_whitespace() || c == '\u{FEFF}' => {}
                c if c.is_alphanumeric() => {
                    let mut word = String::from(c);
                    while let Some((_, next)) = chars.peek().copied().filter(|(_, n)| n.is_alphanumeric()) {
                        word.push(next);
                        chars.next();
                    }
                    self.punct(Event::Token(Token {
                        text: canonical_keyword(&word),
                        glue: false,
                        breaks: 0,
                        cell: self.cell,
                    }));
                }
                c => self.punct(Event::Token(Token {
                    text: c.to_string(),
                    glue: matches!(c, ',' | ':'),
                    breaks: 0,
                    cell: self.cell,
                })),
            }
        }
        self.cursor = until;
    }

    fn punct(&mut self, event: Event) {
        self.events.push(event);
        self.newlines = 0;
        self.seen_token = true;
    }
}
