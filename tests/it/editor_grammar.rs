//! The editor grammar (`editors/vscode/syntaxes/pauta.tmLanguage.json`) cannot drift from the
//! policy language: every shipped policy under `policies/`, and every file of `tests/broken/` that
//! the real parser accepts, tokenises with no `invalid.illegal` token and no uncovered character;
//! the grammar's keyword alternations hold exactly the keywords of `grammar/pauta.pest` (each
//! spelling, with and without tildes, in any case, is highlighted as a keyword); every lexical form
//! of the pest grammar gets its scope; garbage is flagged; the VS Code extension files are valid
//! JSON that point at files that exist.
//!
//! The tokeniser is the minimal TextMate engine of `common::textmate`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};

use pauta::policy::SourceFile;
use serde_json::Value;

use crate::common::textmate::{Grammar, Token, lint_regex};
use crate::common::{pauta_files, root};

const GRAMMAR: &str = "editors/vscode/syntaxes/pauta.tmLanguage.json";
const PEST: &str = "grammar/pauta.pest";

/// The trailing guard of every keyword alternation: the word does not go on. Letters, marks, digits
/// and `_` stand for pest's `ident_char` (XID_CONTINUE), spelled so that both engines read them
/// alike (`\b` and `\w` are the trap around accented letters).
const WORD_GUARD: &str = r"(?![\p{L}\p{M}\p{N}_])";

/// Scope prefixes that count as "highlighted as a keyword".
const KEYWORD_SCOPES: [&str; 3] = ["keyword.", "storage.modifier.", "constant.language."];

/// Keyword literals written inline in a pest clause rather than in a `kw_*` rule.
const INLINE_KEYWORDS: [&str; 1] = ["las"];

/// Alphabetic pest literals that are parts of a numeric literal, not words: `1920x550 px`.
const NOT_KEYWORDS: [&str; 3] = ["x", "X", "px"];

/// Pest rules, besides every `kw_*`, whose words the grammar highlights as keywords or constants.
const WORD_RULES: [&str; 4] = ["weekday", "month_name", "ordinal", "size_unit"];

fn read(relative: &str) -> String {
    let path = root().join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn json(relative: &str) -> Value {
    serde_json::from_str(&read(relative)).unwrap_or_else(|e| panic!("{relative} is not valid JSON: {e}"))
}

fn grammar() -> Grammar {
    Grammar::load(&json(GRAMMAR))
}

/// Tokens that hide an error: any `invalid.*` scope, or a non-space character with no scope but
/// the root one.
fn problems(tokens: &[Token]) -> Vec<String> {
    tokens
        .iter()
        .filter(|t| !t.text.trim().is_empty())
        .filter_map(|t| {
            if let Some(invalid) = t.scopes.iter().find(|s| s.starts_with("invalid")) {
                Some(format!("line {}: `{}` is {invalid}", t.line + 1, t.text))
            } else if t.scopes.len() < 2 {
                Some(format!("line {}: `{}` has no scope", t.line + 1, t.text))
            } else {
                None
            }
        })
        .collect()
}

/// Scopes of `needle` on the first line of `text` that contains `line_contains` (after the first
/// `skip` occurrences of `needle` on it); the needle must be covered by tokens of equal scopes.
fn scopes_at(tokens: &[Token], text: &str, line_contains: &str, needle: &str) -> Vec<String> {
    let (line, content) = text
        .split('\n')
        .enumerate()
        .find(|(_, l)| l.contains(line_contains))
        .unwrap_or_else(|| panic!("no line contains {line_contains:?}"));
    let from = content
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} is not on the line {content:?}"));
    let to = from + needle.len();
    let covering: Vec<&Token> = tokens
        .iter()
        .filter(|t| t.line == line && t.start < to && t.end > from)
        .collect();
    let first = covering
        .first()
        .unwrap_or_else(|| panic!("no token covers {needle:?}"));
    assert!(
        covering.iter().all(|t| t.scopes == first.scopes),
        "{needle:?} is split into tokens of different scopes: {covering:#?}"
    );
    first.scopes.clone()
}

fn has_scope(scopes: &[String], prefix: &str) -> bool {
    scopes.iter().any(|s| s.starts_with(prefix))
}

fn is_keyword(scopes: &[String]) -> bool {
    KEYWORD_SCOPES.iter().any(|prefix| has_scope(scopes, prefix))
}

/// The tokens of one word written alone on a line, whitespace left out.
fn word_tokens(grammar: &Grammar, word: &str) -> Vec<Token> {
    grammar
        .tokenize(word)
        .into_iter()
        .filter(|t| !t.text.trim().is_empty())
        .collect()
}

#[test]
fn shipped_policies_and_parsable_broken_ones_tokenise_without_errors() {
    let grammar = grammar();
    let shipped = pauta_files(&root().join("policies"));
    let broken = pauta_files(&root().join("tests/broken"));

    let mut accepted = Vec::new();
    let mut rejected = 0;
    for path in &broken {
        let text = std::fs::read_to_string(path).expect("a broken policy is readable");
        let name = path.display().to_string();
        match pauta::policy::parse::parse(&SourceFile::new(name, &text)) {
            Ok(_) => accepted.push(path.clone()),
            Err(_) => rejected += 1,
        }
    }
    assert!(
        shipped.iter().any(|p| p.ends_with("M1-3-06/v11.pauta")),
        "the scan finds the shipped policies: {shipped:?}"
    );
    assert!(
        !accepted.is_empty() && rejected > 0,
        "the parser splits tests/broken"
    );

    let mut failures = Vec::new();
    let mut token_count = 0;
    for path in shipped.iter().chain(&accepted) {
        let text = std::fs::read_to_string(path).expect("a policy is readable");
        let tokens = grammar.tokenize(&text);
        token_count += tokens.iter().filter(|t| !t.text.trim().is_empty()).count();
        let relative = path.strip_prefix(root()).unwrap_or(path).display().to_string();
        failures.extend(problems(&tokens).into_iter().map(|p| format!("{relative}: {p}")));
    }
    assert!(
        failures.is_empty(),
        "tokens the grammar does not classify:\n{}",
        failures.join("\n")
    );
    eprintln!(
        "{} shipped and {} parsable broken policies ({} broken ones rejected by the parser): \
         {token_count} tokens, none invalid",
        shipped.len(),
        accepted.len(),
        rejected
    );
}

// ------------------------------------------------------------------------- keywords vs pest

/// A token of pest's own syntax, as far as the keyword rules need it.
#[derive(Debug, Clone, PartialEq)]
enum PestToken {
    Ident(String),
    Literal(String),
    Symbol(char),
}

fn lex_pest(source: &str) -> Vec<PestToken> {
    let mut tokens = Vec::new();
    let mut chars = source.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            '"' => {
                let mut literal = String::new();
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => {
                            literal.push(c);
                            literal.extend(chars.next());
                        }
                        '"' => break,
                        _ => literal.push(c),
                    }
                }
                tokens.push(PestToken::Literal(literal));
            }
            c if c.is_alphanumeric() || c == '_' => {
                let mut ident = c.to_string();
                while let Some(&c) = chars.peek() {
                    if !(c.is_alphanumeric() || c == '_') {
                        break;
                    }
                    ident.push(c);
                    chars.next();
                }
                tokens.push(PestToken::Ident(ident));
            }
            c if c.is_whitespace() => {}
            c => tokens.push(PestToken::Symbol(c)),
        }
    }
    tokens
}

/// Rule name to body tokens (`name = modifier? { body }`).
fn pest_rules(tokens: &[PestToken]) -> BTreeMap<String, Vec<PestToken>> {
    let mut rules = BTreeMap::new();
    let mut i = 0;
    while i < tokens.len() {
        if let (PestToken::Ident(name), Some(PestToken::Symbol('='))) = (&tokens[i], tokens.get(i + 1)) {
            let mut j = i + 2;
            while tokens[j] != PestToken::Symbol('{') {
                j += 1;
            }
            let mut depth = 0;
            let start = j + 1;
            loop {
                match tokens[j] {
                    PestToken::Symbol('{') => depth += 1,
                    PestToken::Symbol('}') => depth -= 1,
                    _ => {}
                }
                if depth == 0 {
                    break;
                }
                j += 1;
            }
            rules.insert(name.clone(), tokens[start..j].to_vec());
            i = j + 1;
        } else {
            i += 1;
        }
    }
    rules
}

/// Expands a finite pest expression into the strings it matches (predicates `!x` match "").
struct PestExpander<'a> {
    rules: &'a BTreeMap<String, Vec<PestToken>>,
    literals: BTreeSet<String>,
}

impl PestExpander<'_> {
    fn rule(&mut self, name: &str) -> BTreeSet<String> {
        let body = self
            .rules
            .get(name)
            .unwrap_or_else(|| panic!("no pest rule `{name}`"));
        let mut at = 0;
        let set = self.choice(body, &mut at);
        assert_eq!(at, body.len(), "rule `{name}` not fully read");
        set
    }

    fn choice(&mut self, tokens: &[PestToken], at: &mut usize) -> BTreeSet<String> {
        let mut set = self.sequence(tokens, at);
        while tokens.get(*at) == Some(&PestToken::Symbol('|')) {
            *at += 1;
            set.extend(self.sequence(tokens, at));
        }
        set
    }

    fn sequence(&mut self, tokens: &[PestToken], at: &mut usize) -> BTreeSet<String> {
        let mut set = self.prefixed(tokens, at);
        while tokens.get(*at) == Some(&PestToken::Symbol('~')) {
            *at += 1;
            let next = self.prefixed(tokens, at);
            set = set
                .iter()
                .flat_map(|a| next.iter().map(move |b| format!("{a}{b}")))
                .collect();
        }
        set
    }

    fn prefixed(&mut self, tokens: &[PestToken], at: &mut usize) -> BTreeSet<String> {
        if matches!(tokens.get(*at), Some(PestToken::Symbol('!' | '&'))) {
            *at += 1;
            // A predicate consumes nothing; its operand (e.g. `ident_char`) is not expanded.
            let mut ignored = 0;
            skip_primary(&tokens[*at..], &mut ignored);
            *at += ignored;
            return BTreeSet::from([String::new()]);
        }
        let mut set = self.primary(tokens, at);
        while let Some(PestToken::Symbol(op)) = tokens.get(*at) {
            match op {
                '?' => {
                    set.insert(String::new());
                }
                '*' | '+' => panic!("keyword rules must be finite, found `{op}`"),
                _ => break,
            }
            *at += 1;
        }
        set
    }

    fn primary(&mut self, tokens: &[PestToken], at: &mut usize) -> BTreeSet<String> {
        let token = tokens.get(*at).cloned();
        *at += 1;
        match token {
            Some(PestToken::Symbol('^')) => self.primary(tokens, at),
            Some(PestToken::Literal(literal)) => {
                self.literals.insert(literal.clone());
                BTreeSet::from([literal])
            }
            Some(PestToken::Ident(name)) => self.rule(&name),
            Some(PestToken::Symbol('(')) => {
                let set = self.choice(tokens, at);
                assert_eq!(tokens.get(*at), Some(&PestToken::Symbol(')')));
                *at += 1;
                set
            }
            other => panic!("unexpected {other:?} in a keyword rule"),
        }
    }
}

fn skip_primary(tokens: &[PestToken], at: &mut usize) {
    match tokens.get(*at) {
        Some(PestToken::Symbol('^')) => {
            *at += 1;
            skip_primary(tokens, at);
        }
        Some(PestToken::Symbol('(')) => {
            let mut depth = 0;
            loop {
                match tokens[*at] {
                    PestToken::Symbol('(') => depth += 1,
                    PestToken::Symbol(')') => depth -= 1,
                    _ => {}
                }
                *at += 1;
                if depth == 0 {
                    break;
                }
            }
        }
        _ => *at += 1,
    }
}

/// Every spelling (lowercase) of the pest grammar's keywords and word rules, with its rule name;
/// the literals those rules are made of; the spellings of `statement_keyword`.
struct PestWords {
    spellings: BTreeMap<String, String>,
    statement: BTreeSet<String>,
    literals: BTreeSet<String>,
    all_literals: BTreeSet<String>,
}

fn pest_words() -> PestWords {
    let tokens = lex_pest(&read(PEST));
    let rules = pest_rules(&tokens);
    let mut expander = PestExpander {
        rules: &rules,
        literals: BTreeSet::new(),
    };
    let mut spellings = BTreeMap::new();
    let names = rules
        .keys()
        .filter(|n| n.starts_with("kw_") || WORD_RULES.contains(&n.as_str()))
        .cloned()
        .collect::<Vec<_>>();
    assert!(
        names.len() > 80,
        "the pest grammar has its keyword rules: {names:?}"
    );
    for name in names {
        for spelling in expander.rule(&name) {
            spellings.insert(spelling.to_lowercase(), name.clone());
        }
    }
    for word in INLINE_KEYWORDS {
        spellings.insert(word.to_string(), "inline literal".to_string());
    }
    let literals = std::mem::take(&mut expander.literals);
    let statement = expander
        .rule("statement_keyword")
        .into_iter()
        .map(|s| s.to_lowercase())
        .collect();
    let all_literals = tokens
        .iter()
        .filter_map(|t| match t {
            PestToken::Literal(l) if !l.is_empty() && l.chars().all(char::is_alphabetic) => Some(l.clone()),
            _ => None,
        })
        .collect();
    PestWords {
        spellings,
        statement,
        literals,
        all_literals,
    }
}

/// Expand a keyword alternation of the grammar (letters, `[..]` classes of letters, groups,
/// `|` and `?`) into its words.
fn expand_alternation(source: &str) -> BTreeSet<String> {
    fn choice(chars: &[char], at: &mut usize) -> BTreeSet<String> {
        let mut set = sequence(chars, at);
        while chars.get(*at) == Some(&'|') {
            *at += 1;
            set.extend(sequence(chars, at));
        }
        set
    }
    fn sequence(chars: &[char], at: &mut usize) -> BTreeSet<String> {
        let mut set = BTreeSet::from([String::new()]);
        while let Some(&c) = chars.get(*at) {
            let mut atom: BTreeSet<String> = match c {
                '|' | ')' => break,
                '(' => {
                    *at += 1;
                    if chars.get(*at) == Some(&'?') {
                        assert_eq!(
                            chars.get(*at + 1),
                            Some(&':'),
                            "only (?: groups in keyword alternations"
                        );
                        *at += 2;
                    }
                    let inner = choice(chars, at);
                    assert_eq!(chars.get(*at), Some(&')'));
                    *at += 1;
                    inner
                }
                '[' => {
                    let close = chars[*at..]
                        .iter()
                        .position(|&c| c == ']')
                        .expect("a closed class")
                        + *at;
                    let class = chars[*at + 1..close].iter().map(|c| c.to_string()).collect();
                    *at = close + 1;
                    class
                }
                c if c.is_alphabetic() => {
                    *at += 1;
                    BTreeSet::from([c.to_string()])
                }
                c => panic!("`{c}` is not allowed in a keyword alternation"),
            };
            if chars.get(*at) == Some(&'?') {
                *at += 1;
                atom.insert(String::new());
            }
            set = set
                .iter()
                .flat_map(|a| atom.iter().map(move |b| format!("{a}{b}")))
                .collect();
        }
        set
    }
    let chars: Vec<char> = source.chars().collect();
    let mut at = 0;
    let set = choice(&chars, &mut at);
    assert_eq!(at, chars.len(), "keyword alternation not fully read: {source}");
    set
}

/// The group right before each `WORD_GUARD` in a regex, without its `(` `)` / `(?:` `)`.
fn guarded_groups(regex: &str) -> Vec<String> {
    let mut groups = Vec::new();
    for (guard, _) in regex.match_indices(WORD_GUARD) {
        let before: Vec<char> = regex[..guard].chars().collect();
        assert_eq!(
            before.last(),
            Some(&')'),
            "a keyword before the guard must be a group: {regex}"
        );
        let mut depth = 0;
        let mut open = before.len();
        for (i, &c) in before.iter().enumerate().rev() {
            match c {
                ')' => depth += 1,
                '(' => depth -= 1,
                _ => {}
            }
            if depth == 0 {
                open = i;
                break;
            }
        }
        let inner: String = before[open + 1..before.len() - 1].iter().collect();
        groups.push(inner.strip_prefix("?:").unwrap_or(&inner).to_string());
    }
    groups
}

/// Every regex of the grammar outside the embedded rhai rules, with where it is.
fn pauta_regexes(value: &Value, path: &str, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(object) => {
            for (key, child) in object {
                if path.ends_with("/repository") && key.starts_with("rhai") {
                    continue;
                }
                let here = format!("{path}/{key}");
                match (key.as_str(), child) {
                    ("match" | "begin" | "end", Value::String(regex)) => out.push((here, regex.clone())),
                    _ => pauta_regexes(child, &here, out),
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                pauta_regexes(item, &format!("{path}/{i}"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn keyword_lists_equal_the_pest_keywords() {
    let grammar = grammar();
    let pest = pest_words();

    // Every literal of the pest file is part of a keyword rule, or classified here.
    let unclassified: Vec<&String> = pest
        .all_literals
        .iter()
        .filter(|l| {
            !pest.literals.contains(*l)
                && !INLINE_KEYWORDS.contains(&l.as_str())
                && !NOT_KEYWORDS.contains(&l.as_str())
        })
        .collect();
    assert!(
        unclassified.is_empty(),
        "pest literals outside the keyword rules; add them to the grammar and to INLINE_KEYWORDS, or \
         to NOT_KEYWORDS: {unclassified:?}"
    );

    // Pest → grammar: each spelling, in three cases, is one keyword token.
    let mut missing = Vec::new();
    for (spelling, rule) in &pest.spellings {
        let mut capitalised = spelling.chars();
        let capitalised = capitalised
            .next()
            .map(|c| c.to_uppercase().chain(capitalised).collect::<String>())
            .unwrap_or_default();
        for written in [spelling.clone(), spelling.to_uppercase(), capitalised] {
            let tokens = word_tokens(&grammar, &written);
            let whole = tokens.len() == 1 && tokens[0].text == written;
            if !whole || !is_keyword(&tokens[0].scopes) {
                missing.push(format!("{written} ({rule}): {tokens:?}"));
            } else if pest.statement.contains(spelling)
                && !tokens[0].scopes.iter().any(|s| s == "keyword.control.pauta")
            {
                missing.push(format!(
                    "{written} starts a statement but is {:?}",
                    tokens[0].scopes
                ));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "pest keywords the grammar misses:\n{}",
        missing.join("\n")
    );

    // Grammar → pest: each word of a keyword alternation is a pest keyword.
    let mut regexes = Vec::new();
    pauta_regexes(&json(GRAMMAR), "", &mut regexes);
    let mut words = BTreeSet::new();
    for (path, regex) in &regexes {
        for group in guarded_groups(regex) {
            for word in expand_alternation(&group) {
                if !pest.spellings.contains_key(&word.to_lowercase()) {
                    panic!("`{word}` ({path}) is highlighted as a keyword but is no keyword in {PEST}");
                }
                words.insert(word.to_lowercase());
            }
        }
    }
    let unwritten: Vec<&String> = pest.spellings.keys().filter(|s| !words.contains(*s)).collect();
    assert!(
        unwritten.is_empty(),
        "pest spellings no alternation writes out: {unwritten:?}"
    );
    eprintln!("{} keyword spellings agree with {PEST}", pest.spellings.len());
}

#[test]
fn word_boundaries_hold_around_accented_letters() {
    let grammar = grammar();
    for word in [
        "versión",
        "VERSIÓN",
        "categoría",
        "contraseña",
        "días",
        "hábiles",
        "último",
    ] {
        let tokens = word_tokens(&grammar, word);
        assert!(
            tokens.len() == 1 && is_keyword(&tokens[0].scopes),
            "{word}: {tokens:?}"
        );
    }
    // A keyword followed by more letters, accented or not, is one plain word.
    for word in [
        "versiónes",
        "transiciónX",
        "estadosñ",
        "díaé",
        "implícitas",
        "cedula_2",
        "ans1",
    ] {
        let tokens = word_tokens(&grammar, word);
        assert!(
            tokens.len() == 1
                && tokens[0]
                    .scopes
                    .last()
                    .is_some_and(|s| s == "variable.other.pauta"),
            "{word} must be one identifier: {tokens:?}"
        );
    }
    // Letters before a keyword belong to the same word too.
    let tokens = word_tokens(&grammar, "ñestados");
    assert!(tokens.len() == 1 && !is_keyword(&tokens[0].scopes), "{tokens:?}");
}

#[test]
fn no_repository_entry_is_dead() {
    let unused = grammar().unused_repository_entries();
    assert!(
        unused.is_empty(),
        "repository entries no pattern includes: {unused:?}"
    );
}

// --------------------------------------------------------------------------- spot checks

#[test]
fn v11_spot_checks() {
    let grammar = grammar();
    let text = read("policies/M1-3-06/v11.pauta");
    let tokens = grammar.tokenize(&text);
    let at = |line: &str, needle: &str| scopes_at(&tokens, &text, line, needle);
    let is = |scopes: &[String], scope: &str| scopes.iter().any(|s| s == scope);

    // Comments, and a keyword inside one is not a keyword.
    let comment = at("# Procedimiento M1-3-06", "Procedimiento M1-3-06 \"Actualización");
    assert!(is(&comment, "comment.line.number-sign.pauta"), "{comment:?}");
    let in_comment = at("# versión 11 (vigente desde", "versión");
    assert!(is(&in_comment, "comment.line.number-sign.pauta") && !has_scope(&in_comment, "keyword"));

    // Strings, an escaped quote, and keywords inside strings.
    let escape = at("La \\\"sección\\\" se tiene", "\\\"");
    assert!(is(&escape, "constant.character.escape.pauta") && is(&escape, "string.quoted.double.pauta"));
    let quoted = at("La \\\"sección\\\" se tiene", "sección");
    assert!(is(&quoted, "string.quoted.double.pauta") && !has_scope(&quoted, "constant.character"));
    let in_string = at("categoría \"Publicación de archivos en la web\"", "de archivos");
    assert!(is(&in_string, "string.quoted.double.pauta") && !has_scope(&in_string, "keyword"));

    // Keywords and flags, with and without a tilde in the file.
    assert!(is(&at("versión 11 vigente", "versión"), "keyword.control.pauta"));
    assert!(is(&at("versión 11 vigente", "vigente"), "keyword.other.pauta"));
    assert!(is(&at("ans 12 días hábiles", "días"), "keyword.other.pauta"));
    assert!(is(&at("ans 12 días hábiles", "hábiles"), "keyword.other.pauta"));
    assert!(is(
        &at("\"Registrado\"  inicial corre implícita", "implícita"),
        "storage.modifier.pauta"
    ));
    assert!(is(
        &at("\"Registrado\"  inicial corre implícita", "inicial"),
        "storage.modifier.pauta"
    ));
    assert!(is(
        &at("\"Cerrado\"     final", "final"),
        "storage.modifier.pauta"
    ));
    assert!(is(
        &at("horario lunes a viernes", "lunes"),
        "constant.language.weekday.pauta"
    ));
    assert!(is(
        &at("razón cualquiera implícita", "cualquiera"),
        "constant.language.pauta"
    ));

    // Literals.
    assert!(is(
        &at("vigente desde 2021-12-24", "2021-12-24"),
        "constant.numeric.date.pauta"
    ));
    assert!(is(
        &at("horario lunes a viernes", "08:00"),
        "constant.numeric.time.pauta"
    ));
    assert!(is(
        &at("recibidas antes de 09:00", "09:00"),
        "constant.numeric.time.pauta"
    ));
    assert!(is(&at("ans 12 días", "12"), "constant.numeric.pauta"));
    assert!(is(
        &at("\"Home Principal\"", "1920x550"),
        "constant.numeric.dimensions.pauta"
    ));
    assert!(is(
        &at("peso máximo 150 KiB", "150"),
        "constant.numeric.size.pauta"
    ));
    assert!(is(&at("peso máximo 150 KiB", "KiB"), "keyword.other.unit.pauta"));
    assert!(is(
        &at("confianza 95 %", "95"),
        "constant.numeric.percentage.pauta"
    ));
    assert!(is(&at("proporción 0.5", "0.5"), "constant.numeric.pauta"));

    // Operators and punctuation.
    assert!(is(
        &at("transición \"Registrado\" -> \"En proceso\"", "->"),
        "keyword.operator.arrow.pauta"
    ));
    assert!(is(
        &at("fuera de horario:", ":"),
        "punctuation.separator.colon.pauta"
    ));
    assert!(is(&at("estados {", "{"), "punctuation.section.block.begin.pauta"));
    assert!(is(
        &at("canales web, sms, email", ","),
        "punctuation.separator.comma.pauta"
    ));

    // Names: a channel name or list item is not a keyword even where it spells one (`sms`).
    assert!(is(&at("canal sms ", "sms"), "entity.name.channel.pauta"));
    let listed = at("canales web, sms, email", "sms");
    assert!(
        is(&listed, "variable.other.pauta") && !has_scope(&listed, "keyword"),
        "{listed:?}"
    );
    assert!(is(&at("columna mensaje ", "mensaje"), "entity.name.column.pauta"));
    assert!(is(&at("sobre caso {", "caso"), "variable.language.subject.pauta"));
    assert!(is(
        &at("regla \"aprobación-jefe\" error", "error"),
        "storage.modifier.severity.pauta"
    ));
    assert!(is(&at("confianza 95 %", "confianza"), "keyword.control.pauta"));

    // A backtick rule expression, with the rhai inside it.
    let line = "cuando `caso.area != \"Grupo de Gestión";
    assert!(is(
        &at(line, "`"),
        "punctuation.definition.expression.begin.pauta"
    ));
    let object = at(line, "caso");
    assert!(is(&object, "meta.embedded.expression.pauta") && is(&object, "source.rhai"));
    assert!(is(&object, "variable.other.object.rhai"), "{object:?}");
    assert!(is(&at(line, "area"), "variable.other.property.rhai"));
    assert!(is(&at(line, "!="), "keyword.operator.rhai"));
    let rhai_string = at(line, "Grupo de Gestión");
    assert!(is(&rhai_string, "string.quoted.double.rhai") && !has_scope(&rhai_string, "keyword"));
    assert!(is(
        &at("exige `caso.adjuntos.contains", "contains"),
        "entity.name.function.rhai"
    ));
}

#[test]
fn calendar_spot_checks() {
    let grammar = grammar();
    let text = read("policies/calendarios/colombia.pauta");
    let tokens = grammar.tokenize(&text);
    let at = |line: &str, needle: &str| scopes_at(&tokens, &text, line, needle);
    let is = |scopes: &[String], scope: &str| scopes.iter().any(|s| s == scope);
    let header = "calendario \"colombia\" zona";
    assert!(is(
        &at(header, "-05:00"),
        "constant.numeric.time.utc-offset.pauta"
    ));
    assert!(is(&at(header, "zona"), "keyword.control.pauta"));
    assert!(is(
        &at("festivo \"Reyes Magos\"", "6 de enero"),
        "constant.numeric.date.day-month.pauta"
    ));
    assert!(is(
        &at("festivo \"Reyes Magos\"", "trasladable"),
        "storage.modifier.pauta"
    ));
    assert!(is(&at("festivo \"Reyes Magos\"", "norma"), "keyword.other.pauta"));
    assert!(is(
        &at("\"Corpus Christi\"", "+60"),
        "constant.numeric.signed.pauta"
    ));
    assert!(is(&at("\"Corpus Christi\"", "pascua"), "keyword.other.pauta"));
    // The commented-out closure shows the constructs a calendar may use, as a comment.
    let commented = at("# cierre \"Día cívico\"", "tercer viernes de abril");
    assert!(is(&commented, "comment.line.number-sign.pauta") && !has_scope(&commented, "constant.language"));
    let ordinal = grammar.tokenize("cierre \"Día cívico\" tercer viernes de abril desde 2024");
    assert!(problems(&ordinal).is_empty(), "{ordinal:?}");
    let tercer = ordinal
        .iter()
        .find(|t| t.text == "tercer")
        .expect("a token for tercer");
    assert!(is(&tercer.scopes, "constant.language.ordinal.pauta"));
}

/// Every lexical form of the pest grammar, including those the shipped files do not use.
#[test]
fn lexical_forms_of_the_pest_grammar() {
    let grammar = grammar();
    let cases = [
        ("transición \"A\" → \"B\"", "→", "keyword.operator.arrow.pauta"),
        (
            "ubicación \"h\" 1920 × 550 px",
            "1920 × 550 px",
            "constant.numeric.dimensions.pauta",
        ),
        (
            "ubicación \"h\" 1920X480",
            "1920X480",
            "constant.numeric.dimensions.pauta",
        ),
        (
            "horario lunes a viernes 8:00 a 17:00:00",
            "17:00:00",
            "constant.numeric.time.pauta",
        ),
        (
            "horario lunes a viernes 8:00 a 17:00:00",
            "8:00",
            "constant.numeric.time.pauta",
        ),
        (
            "versión 2 vigente desde 2024-1-5",
            "2024-1-5",
            "constant.numeric.date.pauta",
        ),
        (
            "calendario \"c\" zona \"America/Bogota\" +05:30",
            "+05:30",
            "constant.numeric.time.utc-offset.pauta",
        ),
        ("festivo \"f\" pascua - 3", "- 3", "constant.numeric.signed.pauta"),
        (
            "festivo \"f\" 12-25 hasta 2030",
            "12-25",
            "constant.numeric.date.month-day.pauta",
        ),
        ("festivo \"f\" 12-25 hasta 2030", "hasta", "keyword.other.pauta"),
        ("confianza 95,5%", "95,5", "constant.numeric.percentage.pauta"),
        ("confianza 95,5%", "%", "keyword.other.unit.percent.pauta"),
        ("proporción 0,5", "0,5", "constant.numeric.pauta"),
        ("peso máximo 150KiB", "150", "constant.numeric.size.pauta"),
        ("peso máximo 150KiB", "KiB", "keyword.other.unit.pauta"),
        ("peso máximo 2 mb", "mb", "keyword.other.unit.pauta"),
        ("ans 12días hábiles", "días", "keyword.other.pauta"),
        ("recibidas antes de las 09:00", "las", "keyword.other.pauta"),
        (
            "cierre \"g\" último lunes de mayo",
            "último",
            "constant.language.ordinal.pauta",
        ),
        (
            "cierre \"g\" último lunes de mayo",
            "mayo",
            "constant.language.month.pauta",
        ),
        (
            "FUERA DE HORARIO: SIGUIENTE DÍA HÁBIL IMPLÍCITA",
            "IMPLÍCITA",
            "storage.modifier.pauta",
        ),
        (
            "FUERA DE HORARIO: SIGUIENTE DÍA HÁBIL IMPLÍCITA",
            "HÁBIL",
            "keyword.other.pauta",
        ),
        (
            "regla\"x\"aviso{exige `true`}",
            "aviso",
            "storage.modifier.severity.pauta",
        ),
        ("columna cedula \"C\"", "cedula", "entity.name.column.pauta"),
        (
            "sin metadatos conserva título, idioma",
            "título",
            "variable.other.pauta",
        ),
        // As in pest, the first backtick closes the expression, even inside a rhai string.
        ("cuando `x == \"zz` exige `y`", "exige", "keyword.control.pauta"),
        ("cuando `x == \"zz` exige `y`", "zz", "string.quoted.double.rhai"),
    ];
    for (line, needle, scope) in cases {
        let tokens = grammar.tokenize(line);
        assert!(problems(&tokens).is_empty(), "{line}: {:?}", problems(&tokens));
        let scopes = scopes_at(&tokens, line, line, needle);
        assert!(
            scopes.iter().any(|s| s == scope),
            "{line}: `{needle}` is {scopes:?}, not {scope}"
        );
    }
    // An expression may span lines.
    let tokens = grammar.tokenize("exige `caso.a\n  && caso.b`\nmensaje \"m\"");
    assert!(problems(&tokens).is_empty(), "{tokens:?}");
    let b = tokens.iter().find(|t| t.text == "b").expect("a token for b");
    assert!(
        b.scopes.iter().any(|s| s == "variable.other.property.rhai"),
        "{tokens:?}"
    );
    let mensaje = tokens
        .iter()
        .find(|t| t.text == "mensaje")
        .expect("a token for mensaje");
    assert!(
        mensaje.scopes.iter().any(|s| s == "keyword.control.pauta"),
        "{tokens:?}"
    );
}

// ---------------------------------------------------------------------------- negative tests

#[test]
fn garbage_is_flagged() {
    let grammar = grammar();
    let tokens = grammar.tokenize("categoría @@@");
    let invalid: Vec<&Token> = tokens
        .iter()
        .filter(|t| has_scope(&t.scopes, "invalid.illegal"))
        .collect();
    assert_eq!(invalid.iter().map(|t| t.text.as_str()).collect::<String>(), "@@@");
    assert_eq!(problems(&tokens).len(), 3, "{tokens:?}");
    assert!(
        has_scope(&tokens[0].scopes, "keyword.control"),
        "categoría still highlights: {tokens:?}"
    );

    // An escape pest does not accept, and a string left open, are visible too.
    let escape = grammar.tokenize(r#"mensaje "una línea\nmás""#);
    let bad = escape.iter().find(|t| t.text == r"\n").expect("a token for \\n");
    assert!(has_scope(&bad.scopes, "invalid.illegal.escape"), "{escape:?}");
    let open = grammar.tokenize("descripción \"sin cerrar\n  ans 12 días hábiles");
    assert!(!problems(&open).is_empty(), "{open:?}");
    let next_line = open.iter().find(|t| t.text == "ans").expect("a token for ans");
    assert!(
        has_scope(&next_line.scopes, "keyword.control"),
        "the next line is read anew: {open:?}"
    );

    // The portability lint refuses what Oniguruma reads differently.
    assert_eq!(lint_regex(r"\bversión\b").len(), 2);
    assert_eq!(lint_regex(r"(?m)\w+").len(), 2);
    assert!(
        lint_regex(r"\\b").is_empty(),
        "an escaped backslash followed by b is fine"
    );
}

// ----------------------------------------------------------------------- extension packaging

#[test]
fn extension_files_are_valid_and_consistent() {
    let package = json("editors/vscode/package.json");
    let configuration = json("editors/vscode/language-configuration.json");
    let grammar = json(GRAMMAR);
    let extension = root().join("editors/vscode");

    assert_eq!(package["name"], "pauta-politicas");
    let languages = package["contributes"]["languages"]
        .as_array()
        .expect("contributes.languages");
    let language = languages
        .iter()
        .find(|l| l["id"] == "pauta")
        .expect("the pauta language");
    let extensions = language["extensions"].as_array().expect("language extensions");
    assert!(extensions.iter().any(|e| e == ".pauta"), "{extensions:?}");
    let configuration_path = language["configuration"]
        .as_str()
        .expect("a language configuration");
    assert!(
        extension.join(configuration_path).is_file(),
        "{configuration_path} exists"
    );

    let grammars = package["contributes"]["grammars"]
        .as_array()
        .expect("contributes.grammars");
    let entry = grammars
        .iter()
        .find(|g| g["language"] == "pauta")
        .expect("the pauta grammar");
    assert_eq!(entry["scopeName"], "source.pauta");
    assert_eq!(grammar["scopeName"], "source.pauta");
    let path = entry["path"].as_str().expect("a grammar path");
    let resolved = extension
        .join(path)
        .canonicalize()
        .expect("the grammar file exists");
    assert_eq!(
        resolved,
        root()
            .join(GRAMMAR)
            .canonicalize()
            .expect("the tested grammar exists")
    );

    assert_eq!(configuration["comments"]["lineComment"], "#");
    let brackets = configuration["brackets"].as_array().expect("brackets");
    assert!(brackets.contains(&serde_json::json!(["{", "}"])));
    let closing = configuration["autoClosingPairs"]
        .as_array()
        .expect("autoClosingPairs");
    for open in ["{", "\"", "`"] {
        assert!(closing.iter().any(|p| p["open"] == open), "{open} closes itself");
    }
}
