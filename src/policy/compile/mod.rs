//! From syntax tree to compiled `Policy` / `Calendar`, with every static check of one file.
//! Checks that need several files (calendars, versions) live in `set`.
//!
//! [`compile_procedure`] sorts a procedure file's statements into its sections, then compiles
//! them section by section, one file each, in a fixed order: the order of the diagnostics (and
//! so of `pauta check`'s output) is the order of these calls.

mod calendar;
mod categories;
mod exceptions;
mod flow;
mod header;
mod publication;
mod rules;
mod sampling;
mod texts;

use std::collections::HashMap;

use super::ast::{self, Item, ProcedureItem};
use super::diagnostics::{Code, Diagnostic, Severity};
use super::model::*;
use super::source::{SourceFile, Span, Spanned};
use crate::text::{match_key, suggest};

pub use calendar::compile_calendar;

/// Where cross-file checks need to point in a compiled procedure file.
#[derive(Debug, Clone, Default)]
pub struct ProcedureSpans {
    /// The `calendario "…"` name.
    pub calendar: Span,
    /// The `versión` statement.
    pub version: Span,
}

/// Result of compiling one procedure file: the policy when there is no error, and all diagnostics.
#[derive(Debug, Clone)]
pub struct CompiledProcedure {
    /// The policy, absent when any error was found.
    pub policy: Option<Policy>,
    /// Spans for cross-file checks.
    pub spans: ProcedureSpans,
    /// Every diagnostic of the file.
    pub diagnostics: Vec<Diagnostic>,
}

const TOP_KEYWORDS: &[&str] = &[
    "versión",
    "calendario",
    "horario",
    "fuera de horario",
    "estados",
    "canal",
    "transición",
    "cierre automático",
    "categoría",
    "excepciones",
    "banner",
    "sms",
    "documentos",
    "muestreo mensual",
    "regla",
    "objetivo",
    "alcance",
    "definición",
    "condición",
    "responsable",
];

fn unknown(word: &Spanned<String>, candidates: &[&str]) -> Diagnostic {
    let first_words = candidates.iter().map(|c| c.split(' ').next().unwrap_or(c));
    Diagnostic::new(
        Code::UnknownKeyword,
        word.span,
        format!("palabra clave desconocida `{}`", word.value),
    )
    .with_suggestion(suggest(&word.value, first_words))
}

/// Registry of names already used (by match key), reporting duplicates.
struct Names<'a> {
    seen: HashMap<String, &'a str>,
    code: Code,
    what: &'static str,
}

impl<'a> Names<'a> {
    fn new(code: Code, what: &'static str) -> Self {
        Names {
            seen: HashMap::new(),
            code,
            what,
        }
    }

    /// Register a name; false (and a diagnostic) when it was already taken.
    fn add(&mut self, name: &'a Spanned<String>, out: &mut Vec<Diagnostic>) -> bool {
        let key = match_key(&name.value);
        match self.seen.get(&key) {
            Some(previous) => {
                out.push(
                    Diagnostic::new(
                        self.code,
                        name.span,
                        format!("{} `{}` repetido", self.what, name.value),
                    )
                    .with_help(format!(
                        "ya existe `{previous}` (se comparan sin mayúsculas ni tildes)"
                    )),
                );
                false
            }
            None => {
                self.seen.insert(key, &name.value);
                true
            }
        }
    }
}

fn positive_u32(value: &Spanned<i64>, what: &str, code: Code, out: &mut Vec<Diagnostic>) -> Option<u32> {
    match u32::try_from(value.value) {
        Ok(v) if v > 0 => Some(v),
        _ => {
            out.push(Diagnostic::new(
                code,
                value.span,
                format!(
                    "{what} debe ser un número entero mayor que cero; se escribió `{}`",
                    value.value
                ),
            ));
            None
        }
    }
}

/// Keeps the first of a statement that may appear once; reports the others.
fn once<'a, T>(
    slot: &mut Option<(&'a T, Span)>,
    value: &'a T,
    span: Span,
    what: &str,
    out: &mut Vec<Diagnostic>,
) {
    if slot.is_some() {
        out.push(
            Diagnostic::new(Code::Repeated, span, format!("`{what}` aparece más de una vez"))
                .with_help("deje una sola declaración"),
        );
    } else {
        *slot = Some((value, span));
    }
}

/// A `responsable` statement: role, numeral when written, and text.
type Responsible<'a> = (
    &'a Spanned<String>,
    &'a Option<Spanned<String>>,
    &'a Spanned<String>,
);

/// A procedure file's statements sorted by section: the ones that may appear once with their
/// span, the others in written order.
#[derive(Default)]
struct Sections<'a> {
    version: Option<(&'a ProcedureItem, Span)>,
    calendar: Option<(&'a ProcedureItem, Span)>,
    hours: Option<(&'a ProcedureItem, Span)>,
    after_hours: Option<(&'a ProcedureItem, Span)>,
    states: Option<(&'a Vec<Item<ast::StateDecl>>, Span)>,
    auto_close: Option<(&'a ast::AutoCloseDecl, Span)>,
    exceptions: Option<(&'a Vec<Item<ast::ExceptionItem>>, Span)>,
    banner: Option<(&'a Vec<Item<ast::BannerItem>>, Span)>,
    sms: Option<(&'a Vec<Item<ast::SmsItem>>, Span)>,
    documents: Option<(&'a Vec<Item<ast::DocumentItem>>, Span)>,
    sampling: Option<(&'a Vec<Item<ast::SamplingItem>>, Span)>,
    objective: Option<(&'a Spanned<String>, Span)>,
    scope: Option<(&'a Spanned<String>, Span)>,
    definitions: Vec<(&'a Spanned<String>, &'a Spanned<String>)>,
    conditions: Vec<&'a Spanned<String>>,
    responsibilities: Vec<Responsible<'a>>,
    channels: Vec<(&'a Spanned<String>, &'a Spanned<String>)>,
    transitions: Vec<(&'a ast::TransitionDecl, &'a Item<ProcedureItem>)>,
    categories: Vec<(&'a Spanned<String>, &'a Vec<Item<ast::CategoryItem>>)>,
    rules: Vec<&'a ast::RuleDecl>,
}

impl<'a> Sections<'a> {
    /// Sorts the file's statements; a repeated statement that may appear once and an unknown word
    /// are reported, and every `implícita` statement is a gap.
    fn sort(
        doc: &'a ast::ProcedureDoc,
        source: &SourceFile,
        gaps: &mut Vec<Gap>,
        out: &mut Vec<Diagnostic>,
    ) -> Self {
        let mut s = Sections::default();
        for item in &doc.items {
            let span = item.span;
            match &item.node {
                ProcedureItem::Version { .. } => once(&mut s.version, &item.node, span, "versión", out),
                ProcedureItem::Calendar(_) => once(&mut s.calendar, &item.node, span, "calendario", out),
                ProcedureItem::Hours { .. } => once(&mut s.hours, &item.node, span, "horario", out),
                ProcedureItem::AfterHoursNextBusinessDay => {
                    once(&mut s.after_hours, &item.node, span, "fuera de horario", out)
                }
                ProcedureItem::States(states) => once(&mut s.states, states, span, "estados", out),
                ProcedureItem::AutoClose(decl) => {
                    once(&mut s.auto_close, decl, span, "cierre automático", out)
                }
                ProcedureItem::Exceptions(items) => once(&mut s.exceptions, items, span, "excepciones", out),
                ProcedureItem::Banner(items) => once(&mut s.banner, items, span, "banner", out),
                ProcedureItem::Sms(items) => once(&mut s.sms, items, span, "sms", out),
                ProcedureItem::Documents(items) => once(&mut s.documents, items, span, "documentos", out),
                ProcedureItem::Sampling(items) => once(&mut s.sampling, items, span, "muestreo mensual", out),
                ProcedureItem::Channel { key, label } => s.channels.push((key, label)),
                ProcedureItem::Transition(decl) => s.transitions.push((decl, item)),
                ProcedureItem::Category { name, items } => s.categories.push((name, items)),
                ProcedureItem::Rule(decl) => s.rules.push(decl),
                ProcedureItem::Objective(text) => once(&mut s.objective, text, span, "objetivo", out),
                ProcedureItem::Scope(text) => once(&mut s.scope, text, span, "alcance", out),
                ProcedureItem::Definition { term, text } => s.definitions.push((term, text)),
                ProcedureItem::Condition(text) => s.conditions.push(text),
                ProcedureItem::Responsible { role, section, text } => {
                    s.responsibilities.push((role, section, text));
                }
                ProcedureItem::Unknown(word) => out.push(unknown(word, TOP_KEYWORDS)),
            }
            if item.implicit {
                gaps.push(Gap {
                    item: describe(&item.node),
                    note: item.comment.clone(),
                    line: source.position(item.span.start).line,
                });
            }
        }
        s
    }
}

/// Compile a procedure file's tree. All diagnostics are collected; the policy exists only when
/// there is no error.
///
/// The sections are compiled in a fixed order, which is the order of the diagnostics; the flow's
/// reachability check also looks at the diagnostics found before it.
pub fn compile_procedure(doc: &ast::ProcedureDoc, source: &SourceFile) -> CompiledProcedure {
    let mut out = Vec::new();
    let mut spans = ProcedureSpans::default();
    let mut gaps = Vec::new();

    if doc.code.value.trim().is_empty() {
        out.push(Diagnostic::new(
            Code::InvalidValue,
            doc.code.span,
            "el código del procedimiento está vacío",
        ));
    }
    let sections = Sections::sort(doc, source, &mut gaps, &mut out);

    let header = header::compile(&sections, doc, source, &mut spans, &mut out);
    let flow = flow::compile(&sections, doc, source, &mut gaps, &mut out);
    let categories = categories::compile(
        &sections.categories,
        &sections.channels,
        source,
        &mut gaps,
        &mut out,
    );
    let exceptions = sections
        .exceptions
        .and_then(|(items, span)| exceptions::compile(items, span, source, &mut gaps, &mut out));
    let banner = sections
        .banner
        .and_then(|(items, _)| publication::compile_banner(items, source, &mut gaps, &mut out));
    let sms = sections
        .sms
        .and_then(|(items, span)| publication::compile_sms(items, span, source, &mut gaps, &mut out));
    let documents = sections
        .documents
        .map(|(items, _)| publication::compile_documents(items, source, &mut gaps, &mut out));
    let sampling = sections
        .sampling
        .and_then(|(items, span)| sampling::compile(items, span, source, &mut gaps, &mut out));
    let rules = rules::compile(&sections.rules, source, &mut out);
    let texts = texts::compile(&sections, &mut out);

    gaps.sort_by_key(|g| g.line);
    let has_error = out.iter().any(|d| d.code.severity() == Severity::Error);
    let policy = match (
        header.version,
        header.effective_from,
        header.calendar,
        header.hours,
    ) {
        (Some(version), Some(effective_from), Some(calendar), Some(hours)) if !has_error => Some(Policy {
            code: doc.code.value.clone(),
            name: doc.name.value.clone(),
            version,
            effective_from,
            calendar,
            objective: texts.objective,
            scope: texts.scope,
            definitions: texts.definitions,
            conditions: texts.conditions,
            responsibilities: texts.responsibilities,
            hours,
            states: flow.states,
            channels: flow.channels,
            transitions: flow.transitions,
            auto_close: flow.auto_close,
            categories,
            exceptions,
            banner,
            sms,
            documents,
            sampling,
            rules,
            gaps,
        }),
        _ => None,
    };
    CompiledProcedure {
        policy,
        spans,
        diagnostics: out,
    }
}

fn missing(span: Span, what: &str) -> Diagnostic {
    Diagnostic::new(Code::Missing, span, format!("falta la declaración `{what}`"))
        .with_help("agréguela después del encabezado `procedimiento`")
}

/// A one-line Spanish description of a top-level item, for the gaps list.
fn describe(item: &ProcedureItem) -> String {
    match item {
        ProcedureItem::Version { number, .. } => format!("versión {}", number.value),
        ProcedureItem::Calendar(name) => format!("calendario \"{}\"", name.value),
        ProcedureItem::Hours { .. } => "horario de recepción".to_string(),
        ProcedureItem::AfterHoursNextBusinessDay => "fuera de horario: siguiente día hábil".to_string(),
        ProcedureItem::States(_) => "estados".to_string(),
        ProcedureItem::Channel { key, .. } => format!("canal {}", key.value),
        ProcedureItem::Transition(t) => format!("transición \"{}\" -> \"{}\"", t.from.value, t.to.value),
        ProcedureItem::AutoClose(c) => format!(
            "cierre automático \"{}\" -> \"{}\" tras {} días {}",
            c.from.value,
            c.to.value,
            c.days.value,
            if c.business_days { "hábiles" } else { "calendario" }
        ),
        ProcedureItem::Category { name, .. } => format!("categoría \"{}\"", name.value),
        ProcedureItem::Exceptions(_) => "excepciones".to_string(),
        ProcedureItem::Banner(_) => "banner".to_string(),
        ProcedureItem::Sms(_) => "sms".to_string(),
        ProcedureItem::Documents(_) => "documentos".to_string(),
        ProcedureItem::Sampling(_) => "muestreo mensual".to_string(),
        ProcedureItem::Rule(r) => format!("regla \"{}\"", r.name.value),
        ProcedureItem::Objective(_) => "objetivo".to_string(),
        ProcedureItem::Scope(_) => "alcance".to_string(),
        ProcedureItem::Definition { term, .. } => format!("definición \"{}\"", term.value),
        ProcedureItem::Condition(_) => "condición".to_string(),
        ProcedureItem::Responsible { role, .. } => format!("responsable \"{}\"", role.value),
        ProcedureItem::Unknown(w) => w.value.clone(),
    }
}

fn gap_of<T>(item: &Item<T>, prefix: &str, source: &SourceFile, gaps: &mut Vec<Gap>) {
    if item.implicit {
        let text = source
            .slice(item.span)
            .split_whitespace()
            .filter(|w| !match_key(w).starts_with("implicita"))
            .collect::<Vec<_>>()
            .join(" ");
        gaps.push(Gap {
            item: format!("{prefix}: {text}"),
            note: item.comment.clone(),
            line: source.position(item.span.start).line,
        });
    }
}
