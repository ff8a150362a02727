//! From policy text to the syntax tree (`ast`), keeping the span of everything written.

use chrono::{NaiveDate, NaiveTime, Weekday};
use pest::Parser;
use pest::iterators::Pair;

use super::ast::*;
use super::diagnostics::Diagnostic;
use super::source::{SourceFile, Span, Spanned};
use super::syntax::{PautaParser, Rule, syntax_diagnostic};
use crate::calendar::{DateRule, DayKind, Nth};
use crate::text::match_key;

/// Parse a whole file. A syntax error stops parsing (unknown statements do not: they are kept).
pub fn parse(source: &SourceFile) -> Result<Document, Diagnostic> {
    let mut pairs =
        PautaParser::parse(Rule::file, &source.text).map_err(|e| syntax_diagnostic(&e, &source.text))?;
    let file = pairs.next();
    let doc = file.and_then(|f| f.into_inner().next());
    let reader = Reader { source };
    match doc {
        Some(pair) if pair.as_rule() == Rule::calendar_doc => Ok(Document::Calendar(reader.calendar(pair))),
        Some(pair) => Ok(Document::Procedure(reader.procedure(pair))),
        None => Err(Diagnostic::new(
            super::diagnostics::Code::Syntax,
            Span::default(),
            "el archivo está vacío",
        )),
    }
}

struct Reader<'s> {
    source: &'s SourceFile,
}

/// The span of a pair without the trailing whitespace and comments pest may include.
pub(crate) fn tight(pair: &Pair<'_, Rule>) -> Span {
    let start = pair.as_span().start();
    let text = pair.as_str();
    let mut end = text.len();
    // Strip trailing whitespace and whole comments, repeatedly.
    loop {
        let trimmed = text[..end].trim_end();
        let line_start = trimmed.rfind('\n').map_or(0, |i| i + 1);
        let line = &trimmed[line_start..];
        match comment_start(line) {
            Some(i) => end = line_start + i,
            None => {
                end = trimmed.len();
                break;
            }
        }
    }
    Span::new(start, start + end)
}

/// Byte index of a `#` that starts a comment in a line (outside strings and backticks).
fn comment_start(line: &str) -> Option<usize> {
    let mut in_string = false;
    let mut in_code = false;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' if !in_code => in_string = !in_string,
            '`' if !in_string => in_code = !in_code,
            '#' if !in_string && !in_code => return Some(i),
            _ => {}
        }
    }
    None
}

fn children<'i>(pair: &Pair<'i, Rule>) -> Vec<Pair<'i, Rule>> {
    pair.clone().into_inner().collect()
}

fn find<'i>(pair: &Pair<'i, Rule>, rule: Rule) -> Option<Pair<'i, Rule>> {
    pair.clone().into_inner().find(|p| p.as_rule() == rule)
}

fn all<'i>(pair: &Pair<'i, Rule>, rule: Rule) -> Vec<Pair<'i, Rule>> {
    pair.clone()
        .into_inner()
        .filter(|p| p.as_rule() == rule)
        .collect()
}

fn has(pair: &Pair<'_, Rule>, rule: Rule) -> bool {
    find(pair, rule).is_some()
}

fn spanned_text(pair: &Pair<'_, Rule>) -> Spanned<String> {
    Spanned::new(pair.as_str().to_string(), pair.as_span().into())
}

/// The value of a `string` pair, unescaped; span covers the quotes.
fn string(pair: &Pair<'_, Rule>) -> Spanned<String> {
    let inner = find(pair, Rule::string_inner).map_or("", |p| p.as_str());
    let mut value = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(next) = chars.next() {
                value.push(next);
            }
        } else {
            value.push(c);
        }
    }
    Spanned::new(value, pair.as_span().into())
}

/// The text of a `text_block`: its strings joined with one space; the span covers them all.
fn text_block(pair: &Pair<'_, Rule>) -> Spanned<String> {
    let Some(block) = find(pair, Rule::text_block) else {
        return Spanned::new(String::new(), tight(pair));
    };
    let pieces = strings(&block);
    let value = pieces
        .iter()
        .map(|piece| piece.value.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    Spanned::new(value, tight(&block))
}

fn strings(pair: &Pair<'_, Rule>) -> Vec<Spanned<String>> {
    all(pair, Rule::string).iter().map(string).collect()
}

fn string_list(pair: &Pair<'_, Rule>) -> Vec<Spanned<String>> {
    find(pair, Rule::string_list).map_or_else(Vec::new, |l| strings(&l))
}

fn words(pair: &Pair<'_, Rule>) -> Vec<Spanned<String>> {
    find(pair, Rule::word_list).map_or_else(Vec::new, |l| {
        all(&l, Rule::word).iter().map(spanned_text).collect()
    })
}

fn aliases(pair: &Pair<'_, Rule>) -> Vec<Spanned<String>> {
    find(pair, Rule::alias_clause).map_or_else(Vec::new, |a| string_list(&a))
}

/// An integer; values that do not fit become `i64::MAX`, which every range check rejects.
fn int(pair: &Pair<'_, Rule>) -> Spanned<i64> {
    let text = pair.as_str().replace(' ', "");
    Spanned::new(text.parse().unwrap_or(i64::MAX), pair.as_span().into())
}

fn first_int(pair: &Pair<'_, Rule>) -> Spanned<i64> {
    find(pair, Rule::integer).map_or_else(|| Spanned::new(0, tight(pair)), |p| int(&p))
}

fn decimal(pair: &Pair<'_, Rule>) -> Spanned<f64> {
    let value = pair.as_str().replace(',', ".").parse().unwrap_or(f64::NAN);
    Spanned::new(value, pair.as_span().into())
}

fn date(pair: &Pair<'_, Rule>) -> Spanned<Option<NaiveDate>> {
    Spanned::new(
        NaiveDate::parse_from_str(pair.as_str(), "%Y-%m-%d").ok(),
        pair.as_span().into(),
    )
}

fn time(pair: &Pair<'_, Rule>) -> Spanned<Option<NaiveTime>> {
    let text = pair.as_str();
    let parsed =
        NaiveTime::parse_from_str(text, "%H:%M:%S").or_else(|_| NaiveTime::parse_from_str(text, "%H:%M"));
    Spanned::new(parsed.ok(), pair.as_span().into())
}

/// Weekday from its Spanish name (any case, with or without tildes).
pub fn weekday_from_spanish(text: &str) -> Option<Weekday> {
    Some(match match_key(text).as_str() {
        "lunes" => Weekday::Mon,
        "martes" => Weekday::Tue,
        "miercoles" => Weekday::Wed,
        "jueves" => Weekday::Thu,
        "viernes" => Weekday::Fri,
        "sabado" => Weekday::Sat,
        "domingo" => Weekday::Sun,
        _ => return None,
    })
}

fn month_from_spanish(text: &str) -> Option<u32> {
    let names = crate::text::SPANISH_MONTHS;
    let key = match match_key(text).as_str() {
        "setiembre" => "septiembre".to_string(),
        other => other.to_string(),
    };
    names
        .iter()
        .position(|n| *n == key)
        .and_then(|i| u32::try_from(i + 1).ok())
}

/// The arm of a match the grammar makes unreachable: in a debug build (the tests) it stops, so
/// that a grammar change that adds an alternative is caught where it is read; in a release
/// build it gives `fallback` (what the match gave before its alternatives were written out).
fn unreachable_grammar<T>(rule: &str, found: impl std::fmt::Debug, fallback: T) -> T {
    debug_assert!(
        false,
        "the grammar's `{rule}` gave {found:?}, which the parser does not read"
    );
    fallback
}

fn ordinal(text: &str) -> Nth {
    match match_key(text).as_str() {
        "primero" | "primer" => Nth::Number(1),
        "segundo" => Nth::Number(2),
        "tercero" | "tercer" => Nth::Number(3),
        "cuarto" => Nth::Number(4),
        "quinto" => Nth::Number(5),
        "ultimo" => Nth::Last,
        // The grammar's `ordinal` admits only the words above.
        other => unreachable_grammar("ordinal", other, Nth::Last),
    }
}

fn reasons(pair: &Pair<'_, Rule>) -> ReasonsDecl {
    match find(pair, Rule::reason_clause) {
        Some(clause) if !has(&clause, Rule::any_reason) => ReasonsDecl::List(string_list(&clause)),
        _ => ReasonsDecl::Any,
    }
}

fn ans(pair: &Pair<'_, Rule>) -> AnsDecl {
    AnsDecl {
        days: first_int(pair),
        counts_reception_day: has(pair, Rule::counts_reception),
    }
}

fn unknown(pair: &Pair<'_, Rule>) -> Spanned<String> {
    find(pair, Rule::word).map_or_else(|| spanned_text(pair), |w| spanned_text(&w))
}

/// `horario lunes a viernes 08:00 a 17:00`: the first and last workday and the office hours.
fn hours(pair: &Pair<'_, Rule>) -> ProcedureItem {
    let days = all(pair, Rule::weekday);
    let times = all(pair, Rule::time);
    let day = |i: usize| {
        days.get(i).map_or(Spanned::new(None, tight(pair)), |d| {
            Spanned::new(weekday_from_spanish(d.as_str()), d.as_span().into())
        })
    };
    let at = |i: usize| times.get(i).map_or(Spanned::new(None, tight(pair)), time);
    ProcedureItem::Hours {
        first_day: day(0),
        last_day: day(1),
        opens: at(0),
        closes: at(1),
    }
}

/// The section of the procedure a statement cites (`numeral "…"`), if it cites one.
fn section(pair: &Pair<'_, Rule>) -> Option<Spanned<String>> {
    find(pair, Rule::numeral_clause)
        .and_then(|n| find(&n, Rule::string))
        .map(|s| string(&s))
}

/// A transition: its two states, the section it cites and the reasons it accepts.
fn transition(pair: &Pair<'_, Rule>) -> TransitionDecl {
    let ends = strings(pair);
    TransitionDecl {
        from: ends.first().cloned().unwrap_or_else(|| spanned_text(pair)),
        to: ends.get(1).cloned().unwrap_or_else(|| spanned_text(pair)),
        section: section(pair),
        reasons: reasons(pair),
    }
}

/// The automatic close: its two states, after how many (business) days, the section it cites
/// and the reason it records.
fn auto_close(pair: &Pair<'_, Rule>) -> AutoCloseDecl {
    let ends = strings(pair);
    let duration = find(pair, Rule::duration);
    AutoCloseDecl {
        from: ends.first().cloned().unwrap_or_else(|| spanned_text(pair)),
        to: ends.get(1).cloned().unwrap_or_else(|| spanned_text(pair)),
        days: duration
            .as_ref()
            .map_or_else(|| Spanned::new(0, tight(pair)), first_int),
        business_days: duration.as_ref().is_some_and(|d| has(d, Rule::business_unit)),
        section: section(pair),
        reasons: reasons(pair),
        reasons_span: find(pair, Rule::reason_clause).map_or_else(|| tight(pair), |r| tight(&r)),
    }
}

impl Reader<'_> {
    fn item<T>(&self, pair: &Pair<'_, Rule>, node: T) -> Item<T> {
        let span = tight(pair);
        Item {
            node,
            span,
            implicit: has(pair, Rule::implicit),
            comment: self.source.comment_for(span),
        }
    }

    fn procedure(&self, doc: Pair<'_, Rule>) -> ProcedureDoc {
        let mut parts = doc.into_inner();
        let header = parts.next();
        let header_strings = header.as_ref().map_or_else(Vec::new, strings);
        let mut header_strings = header_strings.into_iter();
        let empty = || Spanned::new(String::new(), Span::default());
        ProcedureDoc {
            code: header_strings.next().unwrap_or_else(empty),
            name: header_strings.next().unwrap_or_else(empty),
            header_span: header.as_ref().map(tight).unwrap_or_default(),
            items: parts.map(|p| self.procedure_item(&p)).collect(),
        }
    }

    /// One statement of a procedure file, read by its grammar rule (an unreadable one is kept
    /// as `Unknown` for its diagnostic).
    fn procedure_item(&self, pair: &Pair<'_, Rule>) -> Item<ProcedureItem> {
        let node = match pair.as_rule() {
            Rule::version_decl => ProcedureItem::Version {
                number: first_int(pair),
                effective_from: find(pair, Rule::date)
                    .map_or_else(|| Spanned::new(None, tight(pair)), |d| date(&d)),
            },
            Rule::calendar_ref => ProcedureItem::Calendar(
                find(pair, Rule::string).map_or_else(|| spanned_text(pair), |s| string(&s)),
            ),
            Rule::hours_decl => hours(pair),
            Rule::after_hours_decl => ProcedureItem::AfterHoursNextBusinessDay,
            Rule::states_block => ProcedureItem::States(
                children(pair)
                    .iter()
                    .filter_map(|p| match p.as_rule() {
                        Rule::state_decl => Some(self.item(p, self.state(p))),
                        _ => None,
                    })
                    .collect(),
            ),
            Rule::channel_decl => ProcedureItem::Channel {
                key: find(pair, Rule::word).map_or_else(|| spanned_text(pair), |w| spanned_text(&w)),
                label: find(pair, Rule::string).map_or_else(|| spanned_text(pair), |s| string(&s)),
            },
            Rule::transition_decl => ProcedureItem::Transition(transition(pair)),
            Rule::auto_close_decl => ProcedureItem::AutoClose(auto_close(pair)),
            Rule::category_block => ProcedureItem::Category {
                name: find(pair, Rule::string).map_or_else(|| spanned_text(pair), |s| string(&s)),
                items: children(pair)
                    .iter()
                    .filter_map(|p| self.category_item(p))
                    .collect(),
            },
            Rule::exceptions_block => ProcedureItem::Exceptions(
                children(pair)
                    .iter()
                    .filter_map(|p| self.exception_item(p))
                    .collect(),
            ),
            Rule::banner_block => ProcedureItem::Banner(
                children(pair)
                    .iter()
                    .filter_map(|p| self.banner_item(p))
                    .collect(),
            ),
            Rule::sms_block => {
                ProcedureItem::Sms(children(pair).iter().filter_map(|p| self.sms_item(p)).collect())
            }
            Rule::documents_block => ProcedureItem::Documents(
                children(pair)
                    .iter()
                    .filter_map(|p| self.document_item(p))
                    .collect(),
            ),
            Rule::sampling_block => ProcedureItem::Sampling(
                children(pair)
                    .iter()
                    .filter_map(|p| self.sampling_item(p))
                    .collect(),
            ),
            Rule::rule_block => ProcedureItem::Rule(self.rule(pair)),
            Rule::objective_decl => ProcedureItem::Objective(text_block(pair)),
            Rule::scope_decl => ProcedureItem::Scope(text_block(pair)),
            Rule::definition_decl => ProcedureItem::Definition {
                term: find(pair, Rule::string).map_or_else(|| spanned_text(pair), |s| string(&s)),
                text: text_block(pair),
            },
            Rule::condition_decl => ProcedureItem::Condition(text_block(pair)),
            Rule::responsible_decl => ProcedureItem::Responsible {
                role: find(pair, Rule::string).map_or_else(|| spanned_text(pair), |s| string(&s)),
                section: section(pair),
                text: text_block(pair),
            },
            _ => ProcedureItem::Unknown(unknown(pair)),
        };
        self.item(pair, node)
    }

    fn state(&self, pair: &Pair<'_, Rule>) -> StateDecl {
        let flags = all(pair, Rule::state_flag)
            .iter()
            .filter_map(|f| {
                let flag = match f.clone().into_inner().next()?.as_rule() {
                    Rule::kw_inicial => StateFlag::Initial,
                    Rule::kw_corre => StateFlag::Runs,
                    Rule::kw_pausa => StateFlag::Paused,
                    Rule::kw_solucion => StateFlag::Solution,
                    Rule::kw_final => StateFlag::Final,
                    Rule::kw_excluido => StateFlag::Excluded,
                    // The grammar's `state_flag` admits only the keywords above.
                    other => return unreachable_grammar("state_flag", other, None),
                };
                Some(Spanned::new(flag, f.as_span().into()))
            })
            .collect();
        StateDecl {
            name: find(pair, Rule::string).map_or_else(|| spanned_text(pair), |s| string(&s)),
            flags,
            aliases: aliases(pair),
        }
    }

    fn category_item(&self, pair: &Pair<'_, Rule>) -> Option<Item<CategoryItem>> {
        let node = match pair.as_rule() {
            Rule::description_clause => CategoryItem::Description(string(&find(pair, Rule::string)?)),
            Rule::ans_clause => CategoryItem::Ans(ans(pair)),
            Rule::channels_clause => CategoryItem::Channels(words(pair)),
            Rule::alias_clause => CategoryItem::Aliases(string_list(pair)),
            Rule::unknown_statement => CategoryItem::Unknown(unknown(pair)),
            Rule::kw_categoria | Rule::string => return None,
            // The grammar's `category_block` holds only the rules above.
            other => return unreachable_grammar("category_block", other, None),
        };
        Some(self.item(pair, node))
    }

    fn exception_item(&self, pair: &Pair<'_, Rule>) -> Option<Item<ExceptionItem>> {
        let node = match pair.as_rule() {
            Rule::ans_clause => ExceptionItem::Ans(ans(pair)),
            Rule::cutoff_clause => ExceptionItem::Cutoff(time(&find(pair, Rule::time)?)),
            Rule::exception_type => ExceptionItem::Type {
                name: string(&find(pair, Rule::string)?),
                aliases: aliases(pair),
            },
            Rule::unknown_statement => ExceptionItem::Unknown(unknown(pair)),
            Rule::kw_excepciones => return None,
            // The grammar's `exceptions_block` holds only the rules above.
            other => return unreachable_grammar("exceptions_block", other, None),
        };
        Some(self.item(pair, node))
    }

    fn banner_item(&self, pair: &Pair<'_, Rule>) -> Option<Item<BannerItem>> {
        let node = match pair.as_rule() {
            Rule::formats_clause => BannerItem::Formats(words(pair)),
            Rule::weight_clause => {
                let unit = match find(pair, Rule::size_unit)?
                    .as_str()
                    .to_ascii_lowercase()
                    .as_str()
                {
                    "kib" => SizeUnit::Kib,
                    "kb" => SizeUnit::Kb,
                    "mib" => SizeUnit::Mib,
                    "mb" => SizeUnit::Mb,
                    "bytes" | "b" => SizeUnit::Bytes,
                    // The grammar's `size_unit` admits only the units above.
                    other => return unreachable_grammar("size_unit", other, None),
                };
                BannerItem::Weight {
                    amount: first_int(pair),
                    unit,
                }
            }
            Rule::placement_decl => {
                let dims = find(pair, Rule::dimensions)?;
                let numbers: Vec<u32> = dims
                    .as_str()
                    .split(|c: char| !c.is_ascii_digit())
                    .filter(|s| !s.is_empty())
                    .map(|s| s.parse().unwrap_or(0))
                    .collect();
                let size = (
                    numbers.first().copied().unwrap_or(0),
                    numbers.get(1).copied().unwrap_or(0),
                );
                BannerItem::Placement {
                    name: string(&find(pair, Rule::string)?),
                    aliases: aliases(pair),
                    size: Spanned::new(size, dims.as_span().into()),
                    max_active: find(pair, Rule::max_active).map(|m| first_int(&m)),
                }
            }
            Rule::permanence_clause => BannerItem::Permanence(first_int(pair)),
            Rule::words_clause => BannerItem::Words(
                all(pair, Rule::word_limit)
                    .iter()
                    .filter_map(|limit| {
                        let field = find(limit, Rule::word_field)?;
                        let kind = match field.clone().into_inner().next()?.as_rule() {
                            Rule::kw_titulo => WordField::Title,
                            Rule::kw_descripcion => WordField::Description,
                            Rule::kw_llamado => WordField::CallToAction,
                            // The grammar's `word_field` admits only the keywords above.
                            other => return unreachable_grammar("word_field", other, None),
                        };
                        Some((Spanned::new(kind, field.as_span().into()), first_int(limit)))
                    })
                    .collect(),
            ),
            Rule::unknown_statement => BannerItem::Unknown(unknown(pair)),
            Rule::kw_banner => return None,
            // The grammar's `banner_block` holds only the rules above.
            other => return unreachable_grammar("banner_block", other, None),
        };
        Some(self.item(pair, node))
    }

    fn sms_item(&self, pair: &Pair<'_, Rule>) -> Option<Item<SmsItem>> {
        let node = match pair.as_rule() {
            Rule::column_decl => SmsItem::Column {
                role: spanned_text(&find(pair, Rule::word)?),
                name: string(&find(pair, Rule::string)?),
                aliases: aliases(pair),
            },
            Rule::length_clause => SmsItem::MaxLength(first_int(pair)),
            Rule::no_accents_clause => SmsItem::NoAccents {
                allowed: find(pair, Rule::string).map(|s| string(&s)),
            },
            Rule::id_clause => {
                let numbers = all(pair, Rule::integer);
                SmsItem::IdDigits {
                    min: numbers.first().map_or_else(|| Spanned::new(0, tight(pair)), int),
                    max: numbers.get(1).map_or_else(|| Spanned::new(0, tight(pair)), int),
                    no_leading_zero: has(pair, Rule::no_leading_zero),
                }
            }
            Rule::unknown_statement => SmsItem::Unknown(unknown(pair)),
            Rule::kw_sms => return None,
            // The grammar's `sms_block` holds only the rules above.
            other => return unreachable_grammar("sms_block", other, None),
        };
        Some(self.item(pair, node))
    }

    fn document_item(&self, pair: &Pair<'_, Rule>) -> Option<Item<DocumentItem>> {
        let node = match pair.as_rule() {
            Rule::formats_clause => DocumentItem::Formats(words(pair)),
            Rule::no_password => DocumentItem::NoPassword,
            Rule::searchable => DocumentItem::Searchable,
            Rule::no_metadata => DocumentItem::NoMetadata { keep: words(pair) },
            Rule::accessibility => DocumentItem::Accessibility(words(pair)),
            Rule::unknown_statement => DocumentItem::Unknown(unknown(pair)),
            Rule::kw_documentos => return None,
            // The grammar's `documents_block` holds only the rules above.
            other => return unreachable_grammar("documents_block", other, None),
        };
        Some(self.item(pair, node))
    }

    fn sampling_item(&self, pair: &Pair<'_, Rule>) -> Option<Item<SamplingItem>> {
        let percent = |p: &Pair<'_, Rule>| {
            let pct = find(p, Rule::percent)?;
            let mut value = decimal(&find(&pct, Rule::decimal)?);
            value.span = pct.as_span().into();
            Some(value)
        };
        let node = match pair.as_rule() {
            Rule::confidence_clause => SamplingItem::Confidence(percent(pair)?),
            Rule::margin_clause => SamplingItem::Margin(percent(pair)?),
            Rule::proportion_clause => SamplingItem::Proportion(decimal(&find(pair, Rule::decimal)?)),
            Rule::population_clause => SamplingItem::PopulationSolvedInMonth,
            Rule::unknown_statement => SamplingItem::Unknown(unknown(pair)),
            Rule::kw_muestreo | Rule::kw_mensual => return None,
            // The grammar's `sampling_block` holds only the rules above.
            other => return unreachable_grammar("sampling_block", other, None),
        };
        Some(self.item(pair, node))
    }

    fn rule(&self, pair: &Pair<'_, Rule>) -> RuleDecl {
        let code = |p: &Pair<'_, Rule>| {
            find(p, Rule::code)
                .and_then(|c| find(&c, Rule::code_inner))
                .map_or_else(
                    || Spanned::new(String::new(), tight(p)),
                    |inner| spanned_text(&inner),
                )
        };
        let items = children(pair)
            .iter()
            .filter_map(|p| {
                let node = match p.as_rule() {
                    Rule::when_clause => RuleItem::When(code(p)),
                    Rule::require_clause => RuleItem::Require(code(p)),
                    Rule::message_clause => RuleItem::Message(string(&find(p, Rule::string)?)),
                    Rule::unknown_statement => RuleItem::Unknown(unknown(p)),
                    Rule::kw_regla | Rule::string | Rule::severity | Rule::subject => return None,
                    // The grammar's `rule_block` holds only the rules above.
                    other => return unreachable_grammar("rule_block", other, None),
                };
                Some(self.item(p, node))
            })
            .collect();
        RuleDecl {
            name: find(pair, Rule::string).map_or_else(|| spanned_text(pair), |s| string(&s)),
            is_error: find(pair, Rule::severity).is_some_and(|s| has(&s, Rule::kw_error)),
            subject: find(pair, Rule::subject)
                .and_then(|s| find(&s, Rule::word))
                .map(|w| spanned_text(&w)),
            items,
        }
    }

    fn calendar(&self, doc: Pair<'_, Rule>) -> CalendarDoc {
        let mut parts = doc.into_inner();
        let header = parts.next();
        let header_strings = header.as_ref().map_or_else(Vec::new, strings);
        let empty = || Spanned::new(String::new(), Span::default());
        let ints = header.as_ref().map_or_else(Vec::new, |h| all(h, Rule::integer));
        let header_text = header.as_ref().map_or("", |h| h.as_str());
        let offset = header
            .as_ref()
            .and_then(|h| find(h, Rule::utc_offset))
            .map_or_else(
                || Spanned::new(0, Span::default()),
                |o| Spanned::new(parse_offset(o.as_str()), o.as_span().into()),
            );
        // `desde` precedes `hasta` in the grammar; with a single integer, tell which it was.
        let has_desde = match_key(header_text).contains(" desde ");
        let (first_year, last_year) = match (ints.first(), ints.get(1)) {
            (Some(a), Some(b)) => (Some(int(a)), Some(int(b))),
            (Some(a), None) if has_desde => (Some(int(a)), None),
            (Some(a), None) => (None, Some(int(a))),
            _ => (None, None),
        };
        CalendarDoc {
            name: header_strings.first().cloned().unwrap_or_else(empty),
            zone: header_strings.get(1).cloned().unwrap_or_else(empty),
            utc_offset_seconds: offset,
            first_year,
            last_year,
            header_span: header.as_ref().map(tight).unwrap_or_default(),
            items: parts
                .map(|p| {
                    let node = match p.as_rule() {
                        Rule::day_rule => CalendarItem::Rule(self.day_rule(&p)),
                        _ => CalendarItem::Unknown(unknown(&p)),
                    };
                    self.item(&p, node)
                })
                .collect(),
        }
    }

    fn day_rule(&self, pair: &Pair<'_, Rule>) -> DayRuleDecl {
        let kind = match find(pair, Rule::day_kind)
            .and_then(|k| k.into_inner().next())
            .map(|k| k.as_rule())
        {
            Some(Rule::kw_cierre) => DayKind::Closure,
            Some(Rule::kw_festivo) => DayKind::Holiday,
            // `day_kind` is required by the grammar and admits only the two keywords above.
            other => unreachable_grammar("day_kind", other, DayKind::Holiday),
        };
        let mut date_rule = Spanned::new(None, tight(pair));
        for part in children(pair) {
            let span: Span = part.as_span().into();
            let rule = match part.as_rule() {
                Rule::date => NaiveDate::parse_from_str(part.as_str(), "%Y-%m-%d")
                    .ok()
                    .map(|date| DateRule::Once { date }),
                Rule::month_day => {
                    let mut it = part.as_str().split('-').map(|s| s.parse::<u32>().unwrap_or(0));
                    let (month, day) = (it.next().unwrap_or(0), it.next().unwrap_or(0));
                    // Validate against a leap year so 02-29 is accepted.
                    NaiveDate::from_ymd_opt(2024, month, day).map(|_| DateRule::Fixed { month, day })
                }
                Rule::day_month => {
                    let day = find(&part, Rule::integer).and_then(|d| d.as_str().parse::<u32>().ok());
                    let month = find(&part, Rule::month_name).and_then(|m| month_from_spanish(m.as_str()));
                    // Validate against a leap year so `29 de febrero` is accepted.
                    day.zip(month)
                        .filter(|(day, month)| NaiveDate::from_ymd_opt(2024, *month, *day).is_some())
                        .map(|(day, month)| DateRule::Fixed { month, day })
                }
                Rule::easter_offset => {
                    let offset = find(&part, Rule::signed).map_or(Some(0), |s| {
                        s.as_str().replace([' ', '+'], "").parse::<i32>().ok()
                    });
                    offset.map(|offset| DateRule::Easter { offset })
                }
                Rule::nth_weekday => {
                    let nth = find(&part, Rule::ordinal).map_or(Nth::Last, |o| ordinal(o.as_str()));
                    let weekday = find(&part, Rule::weekday).and_then(|w| weekday_from_spanish(w.as_str()));
                    let month = find(&part, Rule::month_name).and_then(|m| month_from_spanish(m.as_str()));
                    weekday
                        .zip(month)
                        .map(|(weekday, month)| DateRule::NthWeekday { nth, weekday, month })
                }
                _ => continue,
            };
            date_rule = Spanned::new(rule, span);
        }
        DayRuleDecl {
            kind,
            name: find(pair, Rule::string).map_or_else(|| spanned_text(pair), |s| string(&s)),
            date: date_rule,
            moved_to_monday: has(pair, Rule::moved),
            from_year: find(pair, Rule::from_year).map(|y| first_int(&y)),
            until_year: find(pair, Rule::until_year).map(|y| first_int(&y)),
            legal_basis: find(pair, Rule::legal_basis)
                .and_then(|l| find(&l, Rule::string))
                .map(|s| string(&s)),
        }
    }
}

fn parse_offset(text: &str) -> i32 {
    let sign = if text.starts_with('-') { -1 } else { 1 };
    let digits: Vec<i32> = text[1..].split(':').map(|p| p.parse().unwrap_or(0)).collect();
    sign * (digits.first().copied().unwrap_or(0) * 3600 + digits.get(1).copied().unwrap_or(0) * 60)
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::expect_used,
        reason = "tests may panic: a failed unwrap is a failed test"
    )]
    use super::*;

    fn procedure(text: &str) -> ProcedureDoc {
        match parse(&SourceFile::new("t.pauta", text)) {
            Ok(Document::Procedure(doc)) => doc,
            other => panic!("not a procedure: {other:?}"),
        }
    }

    #[test]
    fn keywords_match_in_any_case_with_or_without_tildes() {
        for header in [
            "versión 3 vigente desde 2024-01-01",
            "VERSION 3 VIGENTE DESDE 2024-01-01",
            "VERSIÓN 3 VIGENTE DESDE 2024-01-01",
        ] {
            let doc = procedure(&format!("procedimiento \"X\" \"Y\"\n{header}\n"));
            assert!(
                matches!(&doc.items[0].node, ProcedureItem::Version { number, .. } if number.value == 3),
                "{header}"
            );
        }
    }

    #[test]
    fn decomposed_tildes_are_normalised() {
        let doc = procedure("procedimiento \"X\" \"Y\"\nversio\u{301}n 3 vigente desde 2024-01-01\n");
        assert!(matches!(doc.items[0].node, ProcedureItem::Version { .. }));
    }

    #[test]
    fn keywords_are_guarded_against_identifier_prefixes() {
        let doc = procedure("procedimiento \"X\" \"Y\"\nestadosx { }\n");
        assert!(matches!(&doc.items[0].node, ProcedureItem::Unknown(word) if word.value == "estadosx"));
    }

    #[test]
    fn unknown_statements_do_not_stop_parsing() {
        let doc = procedure("procedimiento \"X\" \"Y\"\nfoo bar { baz { } }\ncalendario \"colombia\"\n");
        assert!(matches!(doc.items[0].node, ProcedureItem::Unknown(_)));
        assert!(matches!(&doc.items[1].node, ProcedureItem::Calendar(name) if name.value == "colombia"));
    }

    #[test]
    fn spans_exclude_trailing_comments_and_comments_attach() {
        let text = "procedimiento \"X\" \"Y\"\n# por qué\ncalendario \"c\" implícita # y más\n\n";
        let doc = procedure(text);
        let item = &doc.items[0];
        assert_eq!(
            &text[item.span.start..item.span.end],
            "calendario \"c\" implícita"
        );
        assert!(item.implicit);
        assert_eq!(item.comment.as_deref(), Some("por qué y más"));
    }

    #[test]
    fn strings_unescape_quotes() {
        let doc = procedure("procedimiento \"X \\\"1\\\"\" \"Y\"\n");
        assert_eq!(doc.code.value, "X \"1\"");
    }

    #[test]
    fn texts_join_their_strings_with_one_space() {
        let text = "procedimiento \"X\" \"Y\"\nDEFINICION \"ANS\" \"Acuerdo de\"\n  # sigue\n  \"Nivel de Servicio\"\n\
                    responsable \"Rol\" numeral \"5.2.1\" \"Crea el caso.\"\nobjetivo \"O\"\n";
        let doc = procedure(text);
        let ProcedureItem::Definition { term, text: body } = &doc.items[0].node else {
            panic!("not a definition: {:?}", doc.items[0].node)
        };
        assert_eq!(term.value, "ANS");
        assert_eq!(body.value, "Acuerdo de Nivel de Servicio");
        assert_eq!(
            &text[body.span.start..body.span.end],
            "\"Acuerdo de\"\n  # sigue\n  \"Nivel de Servicio\""
        );
        assert!(matches!(
            &doc.items[1].node,
            ProcedureItem::Responsible { role, section: Some(section), text }
                if role.value == "Rol" && section.value == "5.2.1" && text.value == "Crea el caso."
        ));
        assert!(matches!(&doc.items[2].node, ProcedureItem::Objective(o) if o.value == "O"));
    }

    #[test]
    fn rule_code_keeps_source_and_position() {
        let text = "procedimiento \"X\" \"Y\"\nregla \"r\" aviso sobre sms {\n  exige `a && b`\n  mensaje \"m\"\n}\n";
        let doc = procedure(text);
        let ProcedureItem::Rule(rule) = &doc.items[0].node else {
            panic!("not a rule")
        };
        let RuleItem::Require(code) = &rule.items[0].node else {
            panic!("not exige")
        };
        assert_eq!(code.value, "a && b");
        assert_eq!(&text[code.span.start..code.span.end], "a && b");
    }
}
