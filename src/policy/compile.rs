//! From syntax tree to compiled `Policy` / `Calendar`, with every static check of one file.
//! Checks that need several files (calendars, versions) live in `set`.

use std::collections::{BTreeMap, HashMap};

use chrono::{NaiveTime, Weekday};

use super::ast::{self, CalendarItem, Item, ProcedureItem, ReasonsDecl, StateFlag};
use super::diagnostics::{Code, Diagnostic};
use super::model::*;
use super::source::{SourceFile, Span, Spanned};
use crate::calendar::{Calendar, DateRule, DayRule};
use crate::text::{match_key, suggest};

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
const CATEGORY_KEYWORDS: &[&str] = &["descripción", "ans", "canales", "alias"];
const EXCEPTION_KEYWORDS: &[&str] = &["ans", "recibidas antes de", "tipo"];
const BANNER_KEYWORDS: &[&str] = &[
    "formatos",
    "peso máximo",
    "ubicación",
    "permanencia máxima",
    "palabras",
];
const SMS_KEYWORDS: &[&str] = &["columna", "longitud máxima", "sin tildes", "cédula"];
const DOCUMENT_KEYWORDS: &[&str] = &[
    "formatos",
    "sin contraseña",
    "texto buscable",
    "sin metadatos",
    "accesibilidad",
];
const SAMPLING_KEYWORDS: &[&str] = &["confianza", "error", "proporción", "población"];
const RULE_KEYWORDS: &[&str] = &["cuando", "exige", "mensaje"];
const CALENDAR_KEYWORDS: &[&str] = &["festivo", "cierre"];

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

/// Compile a procedure file's tree. All diagnostics are collected; the policy exists only when
/// there is no error.
pub fn compile_procedure(doc: &ast::ProcedureDoc, source: &SourceFile) -> CompiledProcedure {
    let mut out = Vec::new();
    let mut spans = ProcedureSpans::default();
    let mut version = None;
    let mut calendar = None;
    let mut hours = None;
    let mut after_hours = None;
    let mut states_block = None;
    let mut auto_close = None;
    let mut exceptions_block = None;
    let mut banner_block = None;
    let mut sms_block = None;
    let mut documents_block = None;
    let mut sampling_block = None;
    let mut objective = None;
    let mut scope = None;
    let mut definitions = Vec::new();
    let mut conditions = Vec::new();
    let mut responsibilities = Vec::new();
    let mut channels = Vec::new();
    let mut transitions = Vec::new();
    let mut categories = Vec::new();
    let mut rules = Vec::new();
    let mut gaps = Vec::new();

    if doc.code.value.trim().is_empty() {
        out.push(Diagnostic::new(
            Code::InvalidValue,
            doc.code.span,
            "el código del procedimiento está vacío",
        ));
    }
    for item in &doc.items {
        let span = item.span;
        match &item.node {
            ProcedureItem::Version { .. } => once(&mut version, &item.node, span, "versión", &mut out),
            ProcedureItem::Calendar(_) => once(&mut calendar, &item.node, span, "calendario", &mut out),
            ProcedureItem::Hours { .. } => once(&mut hours, &item.node, span, "horario", &mut out),
            ProcedureItem::AfterHoursNextBusinessDay => {
                once(&mut after_hours, &item.node, span, "fuera de horario", &mut out)
            }
            ProcedureItem::States(states) => once(&mut states_block, states, span, "estados", &mut out),
            ProcedureItem::AutoClose(decl) => {
                once(&mut auto_close, decl, span, "cierre automático", &mut out)
            }
            ProcedureItem::Exceptions(items) => {
                once(&mut exceptions_block, items, span, "excepciones", &mut out)
            }
            ProcedureItem::Banner(items) => once(&mut banner_block, items, span, "banner", &mut out),
            ProcedureItem::Sms(items) => once(&mut sms_block, items, span, "sms", &mut out),
            ProcedureItem::Documents(items) => {
                once(&mut documents_block, items, span, "documentos", &mut out)
            }
            ProcedureItem::Sampling(items) => {
                once(&mut sampling_block, items, span, "muestreo mensual", &mut out)
            }
            ProcedureItem::Channel { key, label } => channels.push((key, label)),
            ProcedureItem::Transition(decl) => transitions.push((decl, item)),
            ProcedureItem::Category { name, items } => categories.push((name, items)),
            ProcedureItem::Rule(decl) => rules.push(decl),
            ProcedureItem::Objective(text) => once(&mut objective, text, span, "objetivo", &mut out),
            ProcedureItem::Scope(text) => once(&mut scope, text, span, "alcance", &mut out),
            ProcedureItem::Definition { term, text } => definitions.push((term, text)),
            ProcedureItem::Condition(text) => conditions.push(text),
            ProcedureItem::Responsible { role, section, text } => {
                responsibilities.push((role, section, text));
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

    // versión
    let mut version_number = None;
    let mut effective_from = None;
    match version {
        Some((
            ProcedureItem::Version {
                number,
                effective_from: from,
            },
            span,
        )) => {
            spans.version = span;
            version_number = positive_u32(number, "la versión", Code::InvalidValue, &mut out);
            effective_from = from.value;
            if from.value.is_none() {
                out.push(
                    Diagnostic::new(
                        Code::InvalidValue,
                        from.span,
                        format!("la fecha `{}` no existe", source.slice(from.span)),
                    )
                    .with_help("escriba una fecha real en la forma AAAA-MM-DD"),
                );
            }
        }
        _ => out.push(missing(doc.header_span, "versión N vigente desde AAAA-MM-DD")),
    }

    // calendario
    let calendar_name = match calendar {
        Some((ProcedureItem::Calendar(name), _)) => {
            spans.calendar = name.span;
            Some(name.value.clone())
        }
        _ => {
            out.push(missing(doc.header_span, "calendario \"nombre\""));
            None
        }
    };

    // horario
    let business_hours = match hours {
        Some((
            ProcedureItem::Hours {
                first_day,
                last_day,
                opens,
                closes,
            },
            span,
        )) => compile_hours(
            first_day,
            last_day,
            opens,
            closes,
            span,
            after_hours.is_some(),
            &mut out,
        ),
        _ => {
            out.push(missing(doc.header_span, "horario lunes a viernes 08:00 a 17:00"));
            None
        }
    };

    // estados
    let states = match states_block {
        Some((items, _)) => compile_states(items, &mut out),
        None => {
            out.push(missing(doc.header_span, "estados { … }"));
            Vec::new()
        }
    };
    for item in states_block.map_or(&[][..], |(items, _)| items.as_slice()) {
        if item.implicit {
            gaps.push(Gap {
                item: format!("estado \"{}\"", item.node.name.value),
                note: item.comment.clone(),
                line: source.position(item.span.start).line,
            });
        }
    }

    // canales
    let mut channel_names = Names::new(Code::DuplicateChannel, "canal");
    let mut compiled_channels = Vec::new();
    for (key, label) in &channels {
        channel_names.add(key, &mut out);
        compiled_channels.push(Channel {
            key: key.value.clone(),
            label: label.value.clone(),
        });
    }

    // transiciones
    let resolve = |name: &Spanned<String>, out: &mut Vec<Diagnostic>| -> Option<String> {
        let key = match_key(&name.value);
        let found = states
            .iter()
            .find(|s| match_key(&s.name) == key || s.aliases.iter().any(|a| match_key(a) == key));
        if found.is_none() && !states.is_empty() {
            out.push(
                Diagnostic::new(
                    Code::UnknownState,
                    name.span,
                    format!("el estado `{}` no está declarado en `estados`", name.value),
                )
                .with_suggestion(suggest(&name.value, states.iter().map(|s| s.name.as_str()))),
            );
        }
        found.map(|s| s.name.clone())
    };
    let mut compiled_transitions = Vec::new();
    let mut reasons_seen: HashMap<(String, String, String), ()> = HashMap::new();
    let mut check_reasons = |from: &str, to: &str, reasons: &ReasonsDecl, out: &mut Vec<Diagnostic>| {
        if let ReasonsDecl::List(list) = reasons {
            for reason in list {
                let key = (from.to_string(), to.to_string(), match_key(&reason.value));
                if reasons_seen.insert(key, ()).is_some() {
                    out.push(
                        Diagnostic::new(
                            Code::DuplicateReason,
                            reason.span,
                            format!(
                                "la razón `{}` ya está declarada para `{from}` -> `{to}`",
                                reason.value
                            ),
                        )
                        .with_help("borre la repetida"),
                    );
                }
            }
        }
    };
    for (decl, item) in &transitions {
        let from = resolve(&decl.from, &mut out);
        let to = resolve(&decl.to, &mut out);
        if let (Some(from), Some(to)) = (from, to) {
            check_reasons(&from, &to, &decl.reasons, &mut out);
            compiled_transitions.push(Transition {
                from,
                to,
                reasons: reasons_model(&decl.reasons),
                section: decl.section.as_ref().map(|s| s.value.clone()),
                implicit: item.implicit,
                automatic: false,
                note: item.comment.clone(),
            });
        }
    }
    let mut compiled_auto_close = None;
    if let Some((decl, span)) = auto_close {
        let from = resolve(&decl.from, &mut out);
        let to = resolve(&decl.to, &mut out);
        let days = positive_u32(
            &decl.days,
            "el plazo del cierre automático",
            Code::AutoClose,
            &mut out,
        );
        let reason = match &decl.reasons {
            ReasonsDecl::List(list) if list.len() == 1 => list.first().map(|r| r.value.clone()),
            _ => {
                out.push(
                    Diagnostic::new(
                        Code::AutoClose,
                        decl.reasons_span,
                        "el cierre automático registra exactamente una razón",
                    )
                    .with_help("escriba `razón \"…\"` con el texto que registra el sistema"),
                );
                None
            }
        };
        if let Some(from_name) = &from
            && states.iter().any(|s| s.solution)
            && !states.iter().any(|s| s.solution && &s.name == from_name)
        {
            out.push(Diagnostic::new(
                Code::AutoClose,
                decl.from.span,
                format!("el cierre automático sale de `{from_name}`, que no es el estado `solución`"),
            ));
        }
        if let (Some(from), Some(to), Some(after_days), Some(reason)) = (from, to, days, reason) {
            check_reasons(&from, &to, &decl.reasons, &mut out);
            let item = doc.items.iter().find(|i| i.span == span);
            compiled_transitions.push(Transition {
                from: from.clone(),
                to: to.clone(),
                reasons: Reasons::List(vec![reason.clone()]),
                section: decl.section.as_ref().map(|s| s.value.clone()),
                implicit: item.is_some_and(|i| i.implicit),
                automatic: true,
                note: item.and_then(|i| i.comment.clone()),
            });
            compiled_auto_close = Some(AutoClose {
                from,
                to,
                after_days,
                business_days: decl.business_days,
                reason,
            });
        }
    }
    let flow_codes = [
        Code::UnknownState,
        Code::DuplicateState,
        Code::InitialState,
        Code::SolutionState,
        Code::StateFlags,
    ];
    let flow_is_clean = !out.iter().any(|d| flow_codes.contains(&d.code));
    if let Some((items, _)) = states_block.filter(|_| flow_is_clean) {
        check_reachability(items, &states, &compiled_transitions, &mut out);
    }

    // categorías
    let mut category_names = Names::new(Code::DuplicateCategory, "nombre de categoría o alias");
    let mut compiled_categories = Vec::new();
    for (name, items) in &categories {
        category_names.add(name, &mut out);
        let mut description = None;
        let mut ans = None;
        let mut category_channels = Vec::new();
        let mut aliases = Vec::new();
        for inner in items.iter() {
            match &inner.node {
                ast::CategoryItem::Description(text) => description = Some(text.value.clone()),
                ast::CategoryItem::Ans(decl) => ans = compile_ans(decl, &mut out),
                ast::CategoryItem::Channels(list) => {
                    for channel in list {
                        if !channels
                            .iter()
                            .any(|(k, _)| match_key(&k.value) == match_key(&channel.value))
                        {
                            out.push(
                                Diagnostic::new(
                                    Code::UnknownChannel,
                                    channel.span,
                                    format!("el canal `{}` no está declarado", channel.value),
                                )
                                .with_suggestion(suggest(
                                    &channel.value,
                                    channels.iter().map(|(k, _)| k.value.as_str()),
                                )),
                            );
                        }
                        category_channels.push(channel.value.clone());
                    }
                }
                ast::CategoryItem::Aliases(list) => {
                    for alias in list {
                        category_names.add(alias, &mut out);
                        aliases.push(alias.value.clone());
                    }
                }
                ast::CategoryItem::Unknown(word) => out.push(unknown(word, CATEGORY_KEYWORDS)),
            }
            if inner.implicit {
                gaps.push(Gap {
                    item: format!(
                        "categoría \"{}\": {}",
                        name.value,
                        source
                            .slice(inner.span)
                            .split_whitespace()
                            .collect::<Vec<_>>()
                            .join(" ")
                    ),
                    note: inner.comment.clone(),
                    line: source.position(inner.span.start).line,
                });
            }
        }
        let has_ans_clause = items.iter().any(|i| matches!(i.node, ast::CategoryItem::Ans(_)));
        if !has_ans_clause || description.is_none() {
            let what = if has_ans_clause {
                "`descripción \"…\"`"
            } else {
                "`ans N días hábiles`"
            };
            out.push(Diagnostic::new(
                Code::CategoryIncomplete,
                name.span,
                format!("a la categoría `{}` le falta {what}", name.value),
            ));
        }
        if let (Some(description), Some(ans)) = (description, ans) {
            compiled_categories.push(Category {
                name: name.value.clone(),
                description,
                ans,
                channels: category_channels,
                aliases,
            });
        }
    }

    let exceptions = exceptions_block
        .and_then(|(items, span)| compile_exceptions(items, span, source, &mut gaps, &mut out));
    let banner = banner_block.and_then(|(items, _)| compile_banner(items, source, &mut gaps, &mut out));
    let sms = sms_block.and_then(|(items, span)| compile_sms(items, span, source, &mut gaps, &mut out));
    let documents = documents_block.map(|(items, _)| compile_documents(items, source, &mut gaps, &mut out));
    let sampling =
        sampling_block.and_then(|(items, span)| compile_sampling(items, span, source, &mut gaps, &mut out));

    // reglas
    let mut rule_names = Names::new(Code::DuplicateRule, "nombre de regla");
    let mut compiled_rules = Vec::new();
    for decl in &rules {
        rule_names.add(&decl.name, &mut out);
        if let Some(rule) = compile_rule(decl, source, &mut out) {
            compiled_rules.push(rule);
        }
    }

    // textos del procedimiento
    let objective = objective.and_then(|(text, _)| prose(text, "objetivo", &mut out));
    let scope = scope.and_then(|(text, _)| prose(text, "alcance", &mut out));
    let mut terms = Names::new(Code::DuplicateDefinition, "término");
    let mut compiled_definitions = Vec::new();
    for (term, text) in &definitions {
        let unique = terms.add(term, &mut out);
        let name = prose(term, "definición", &mut out);
        let meaning = prose(text, "definición", &mut out);
        if let (true, Some(term), Some(text)) = (unique, name, meaning) {
            compiled_definitions.push(Definition { term, text });
        }
    }
    let compiled_conditions = conditions
        .iter()
        .filter_map(|text| prose(text, "condición", &mut out))
        .collect();
    let mut compiled_responsibilities = Vec::new();
    for (role, section, text) in &responsibilities {
        let role = prose(role, "responsable", &mut out);
        let section = match section {
            Some(numeral) => prose(numeral, "numeral", &mut out).map(Some),
            None => Some(None),
        };
        let text = prose(text, "responsable", &mut out);
        if let (Some(role), Some(section), Some(text)) = (role, section, text) {
            compiled_responsibilities.push(Responsibility { role, section, text });
        }
    }

    gaps.sort_by_key(|g| g.line);
    let has_error = out
        .iter()
        .any(|d| d.code.severity() == super::diagnostics::Severity::Error);
    let policy = match (version_number, effective_from, calendar_name, business_hours) {
        (Some(version), Some(effective_from), Some(calendar), Some(hours)) if !has_error => Some(Policy {
            code: doc.code.value.clone(),
            name: doc.name.value.clone(),
            version,
            effective_from,
            calendar,
            objective,
            scope,
            definitions: compiled_definitions,
            conditions: compiled_conditions,
            responsibilities: compiled_responsibilities,
            hours,
            states,
            channels: compiled_channels,
            transitions: compiled_transitions,
            auto_close: compiled_auto_close,
            categories: compiled_categories,
            exceptions,
            banner,
            sms,
            documents,
            sampling,
            rules: compiled_rules,
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

/// A text of the procedure with its runs of spaces made one; an empty one is reported.
fn prose(text: &Spanned<String>, statement: &str, out: &mut Vec<Diagnostic>) -> Option<String> {
    let value = text.value.split_whitespace().collect::<Vec<_>>().join(" ");
    if value.is_empty() {
        out.push(
            Diagnostic::new(
                Code::InvalidValue,
                text.span,
                format!("un texto de `{statement}` está vacío"),
            )
            .with_help(
                "escriba el texto entre comillas tal como lo dice el procedimiento, o borre la declaración",
            ),
        );
        return None;
    }
    Some(value)
}

fn reasons_model(reasons: &ReasonsDecl) -> Reasons {
    match reasons {
        ReasonsDecl::Any => Reasons::Any,
        ReasonsDecl::List(list) => Reasons::List(list.iter().map(|r| r.value.clone()).collect()),
    }
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

fn compile_hours(
    first_day: &Spanned<Option<Weekday>>,
    last_day: &Spanned<Option<Weekday>>,
    opens: &Spanned<Option<NaiveTime>>,
    closes: &Spanned<Option<NaiveTime>>,
    span: Span,
    has_after_hours: bool,
    out: &mut Vec<Diagnostic>,
) -> Option<BusinessHours> {
    for time in [opens, closes] {
        if time.value.is_none() {
            out.push(
                Diagnostic::new(Code::InvalidValue, time.span, "la hora no existe")
                    .with_help("escriba una hora entre 00:00 y 23:59"),
            );
        }
    }
    let (first, last, opens_at, closes_at) = (first_day.value?, last_day.value?, opens.value?, closes.value?);
    if opens_at >= closes_at {
        out.push(Diagnostic::new(
            Code::InvalidValue,
            closes.span,
            "la hora de cierre debe ser posterior a la de apertura",
        ));
        return None;
    }
    let start = first.num_days_from_monday();
    let end = last.num_days_from_monday();
    if start > end {
        out.push(Diagnostic::new(
            Code::InvalidValue,
            last_day.span,
            "el rango de días debe ir de un día a otro posterior de la misma semana (`lunes a viernes`)",
        ));
        return None;
    }
    if !has_after_hours {
        out.push(
            Diagnostic::new(
                Code::Missing,
                span,
                "falta la regla `fuera de horario: siguiente día hábil`",
            )
            .with_help("el procedimiento debe decir qué pasa con lo radicado fuera de horario"),
        );
    }
    let workdays = (start..=end)
        .filter_map(|d| Weekday::try_from(u8::try_from(d).ok()?).ok())
        .collect();
    Some(BusinessHours {
        workdays,
        opens: opens_at,
        closes: closes_at,
        after_hours: AfterHours::NextBusinessDay,
    })
}

fn compile_states(items: &[Item<ast::StateDecl>], out: &mut Vec<Diagnostic>) -> Vec<State> {
    let mut names = Names::new(Code::DuplicateState, "estado o alias");
    let mut states = Vec::new();
    for item in items {
        let decl = &item.node;
        let mut unique = names.add(&decl.name, out);
        for alias in &decl.aliases {
            unique &= names.add(alias, out);
        }
        if !unique {
            continue;
        }
        let has = |flag: StateFlag| decl.flags.iter().any(|f| f.value == flag);
        let clocks: Vec<Clock> = decl
            .flags
            .iter()
            .filter_map(|f| match f.value {
                StateFlag::Runs => Some(Clock::Runs),
                StateFlag::Paused => Some(Clock::Paused),
                StateFlag::Final => Some(Clock::Final),
                _ => None,
            })
            .collect();
        let clock = match clocks.as_slice() {
            [one] => *one,
            // The state stays declared (so transitions still resolve); the policy is rejected anyway.
            [] => {
                out.push(
                    Diagnostic::new(
                        Code::StateFlags,
                        decl.name.span,
                        format!("al estado `{}` le falta el modo de reloj", decl.name.value),
                    )
                    .with_help("agregue `corre`, `pausa` o `final`"),
                );
                Clock::Runs
            }
            _ => {
                out.push(
                    Diagnostic::new(
                        Code::StateFlags,
                        decl.name.span,
                        format!("el estado `{}` tiene más de un modo de reloj", decl.name.value),
                    )
                    .with_help("deje solo uno de `corre`, `pausa`, `final`"),
                );
                Clock::Runs
            }
        };
        if has(StateFlag::Initial) && clock == Clock::Final {
            out.push(Diagnostic::new(
                Code::StateFlags,
                decl.name.span,
                format!(
                    "el estado `{}` no puede ser `inicial` y `final` a la vez",
                    decl.name.value
                ),
            ));
        }
        states.push(State {
            name: decl.name.value.clone(),
            aliases: decl.aliases.iter().map(|a| a.value.clone()).collect(),
            clock,
            initial: has(StateFlag::Initial),
            solution: has(StateFlag::Solution),
            excluded: has(StateFlag::Excluded),
        });
    }
    let span = items.first().map_or_else(Span::default, |i| i.span);
    let initial: Vec<&Item<ast::StateDecl>> = items
        .iter()
        .filter(|i| i.node.flags.iter().any(|f| f.value == StateFlag::Initial))
        .collect();
    if initial.len() != 1 {
        let at = initial.get(1).map_or(span, |i| i.node.name.span);
        out.push(Diagnostic::new(
            Code::InitialState,
            at,
            format!(
                "hay {} estados `inicial`; debe haber exactamente uno",
                initial.len()
            ),
        ));
    }
    let solution: Vec<&Item<ast::StateDecl>> = items
        .iter()
        .filter(|i| i.node.flags.iter().any(|f| f.value == StateFlag::Solution))
        .collect();
    if solution.len() != 1 {
        let at = solution.get(1).map_or(span, |i| i.node.name.span);
        out.push(Diagnostic::new(
            Code::SolutionState,
            at,
            format!(
                "hay {} estados `solución`; debe haber exactamente uno",
                solution.len()
            ),
        ));
    }
    states
}

fn check_reachability(
    items: &[Item<ast::StateDecl>],
    states: &[State],
    transitions: &[Transition],
    out: &mut Vec<Diagnostic>,
) {
    for state in states {
        let span = items
            .iter()
            .find(|i| i.node.name.value == state.name)
            .map_or_else(Span::default, |i| i.node.name.span);
        if !state.initial && !transitions.iter().any(|t| t.to == state.name) {
            out.push(Diagnostic::new(Code::Unreachable, span, format!("ninguna transición lleva al estado `{}`", state.name)).with_help("agregue la transición de entrada (márquela `implícita` si el procedimiento no la escribe)"));
        }
        if state.clock != Clock::Final && !transitions.iter().any(|t| t.from == state.name) {
            out.push(
                Diagnostic::new(
                    Code::NoWayOut,
                    span,
                    format!(
                        "ninguna transición sale del estado `{}`, que no es `final`",
                        state.name
                    ),
                )
                .with_help("agregue la transición de salida o marque el estado `final`"),
            );
        }
    }
}

fn compile_ans(decl: &ast::AnsDecl, out: &mut Vec<Diagnostic>) -> Option<Ans> {
    positive_u32(&decl.days, "el ANS", Code::AnsNotPositive, out).map(|business_days| Ans {
        business_days,
        counts_reception_day: decl.counts_reception_day,
    })
}

fn compile_exceptions(
    items: &[Item<ast::ExceptionItem>],
    span: Span,
    source: &SourceFile,
    gaps: &mut Vec<Gap>,
    out: &mut Vec<Diagnostic>,
) -> Option<ExceptionRegime> {
    let mut ans = None;
    let mut has_ans = false;
    let mut cutoff = None;
    let mut types = Vec::new();
    let mut names = Names::new(Code::DuplicateException, "tipo de excepción o alias");
    for item in items {
        gap_of(item, "excepciones", source, gaps);
        match &item.node {
            ast::ExceptionItem::Ans(decl) => {
                has_ans = true;
                ans = compile_ans(decl, out);
            }
            ast::ExceptionItem::Cutoff(time) => match time.value {
                Some(t) => cutoff = Some(t),
                None => out.push(Diagnostic::new(
                    Code::InvalidValue,
                    time.span,
                    "la hora no existe",
                )),
            },
            ast::ExceptionItem::Type { name, aliases } => {
                names.add(name, out);
                for alias in aliases {
                    names.add(alias, out);
                }
                types.push(ExceptionType {
                    name: name.value.clone(),
                    aliases: aliases.iter().map(|a| a.value.clone()).collect(),
                });
            }
            ast::ExceptionItem::Unknown(word) => out.push(unknown(word, EXCEPTION_KEYWORDS)),
        }
    }
    if !has_ans {
        out.push(Diagnostic::new(
            Code::ExceptionsIncomplete,
            span,
            "al bloque `excepciones` le falta `ans N días hábiles`",
        ));
    }
    if cutoff.is_none()
        && !items
            .iter()
            .any(|i| matches!(i.node, ast::ExceptionItem::Cutoff(_)))
    {
        out.push(Diagnostic::new(
            Code::ExceptionsIncomplete,
            span,
            "al bloque `excepciones` le falta `recibidas antes de HH:MM`",
        ));
    }
    Some(ExceptionRegime {
        ans: ans?,
        received_before: cutoff?,
        types,
    })
}

fn formats(list: &[Spanned<String>]) -> Vec<String> {
    list.iter().map(|f| f.value.to_lowercase()).collect()
}

fn compile_banner(
    items: &[Item<ast::BannerItem>],
    source: &SourceFile,
    gaps: &mut Vec<Gap>,
    out: &mut Vec<Diagnostic>,
) -> Option<BannerLimits> {
    let mut limits = BannerLimits {
        formats: Vec::new(),
        max_bytes: None,
        max_weight_text: None,
        placements: Vec::new(),
        max_months: None,
        words: WordLimits::default(),
    };
    let mut names = Names::new(Code::AssetLimits, "ubicación o alias");
    for item in items {
        gap_of(item, "banner", source, gaps);
        match &item.node {
            ast::BannerItem::Formats(list) => limits.formats = formats(list),
            ast::BannerItem::Weight { amount, unit } => {
                let factor = match unit {
                    ast::SizeUnit::Bytes => 1,
                    ast::SizeUnit::Kb => 1000,
                    ast::SizeUnit::Kib => 1024,
                    ast::SizeUnit::Mb => 1_000_000,
                    ast::SizeUnit::Mib => 1_048_576,
                };
                limits.max_bytes = positive_u32(amount, "el peso máximo", Code::AssetLimits, out)
                    .map(|n| u64::from(n) * factor);
                let unit_text = match unit {
                    ast::SizeUnit::Bytes => "B",
                    ast::SizeUnit::Kb => "KB",
                    ast::SizeUnit::Kib => "KiB",
                    ast::SizeUnit::Mb => "MB",
                    ast::SizeUnit::Mib => "MiB",
                };
                limits.max_weight_text = Some(format!("{} {unit_text}", amount.value));
            }
            ast::BannerItem::Placement {
                name,
                aliases,
                size,
                max_active,
            } => {
                names.add(name, out);
                for alias in aliases {
                    names.add(alias, out);
                }
                let (width, height) = size.value;
                if width == 0 || height == 0 {
                    out.push(Diagnostic::new(
                        Code::AssetLimits,
                        size.span,
                        "las medidas deben ser mayores que cero",
                    ));
                }
                limits.placements.push(Placement {
                    name: name.value.clone(),
                    aliases: aliases.iter().map(|a| a.value.clone()).collect(),
                    width,
                    height,
                    max_active: max_active.as_ref().and_then(|m| {
                        positive_u32(m, "el máximo de banners vigentes", Code::AssetLimits, out)
                    }),
                });
            }
            ast::BannerItem::Permanence(months) => {
                limits.max_months = positive_u32(months, "la permanencia máxima", Code::AssetLimits, out)
            }
            ast::BannerItem::Words(list) => {
                for (field, limit) in list {
                    let value = positive_u32(limit, "el límite de palabras", Code::AssetLimits, out);
                    let slot = match field.value {
                        ast::WordField::Title => &mut limits.words.title,
                        ast::WordField::Description => &mut limits.words.description,
                        ast::WordField::CallToAction => &mut limits.words.call_to_action,
                    };
                    if slot.is_some() {
                        out.push(Diagnostic::new(
                            Code::AssetLimits,
                            field.span,
                            "este límite de palabras ya está declarado",
                        ));
                    }
                    *slot = value;
                }
            }
            ast::BannerItem::Unknown(word) => out.push(unknown(word, BANNER_KEYWORDS)),
        }
    }
    Some(limits)
}

fn compile_sms(
    items: &[Item<ast::SmsItem>],
    span: Span,
    source: &SourceFile,
    gaps: &mut Vec<Gap>,
    out: &mut Vec<Diagnostic>,
) -> Option<SmsLimits> {
    let mut limits = SmsLimits {
        columns: Vec::new(),
        max_length: None,
        no_accents: false,
        accents_allowed: String::new(),
        id_digits: None,
        id_no_leading_zero: false,
    };
    let mut names = Names::new(Code::AssetLimits, "columna o alias");
    let mut roles = Names::new(Code::AssetLimits, "rol de columna");
    for item in items {
        gap_of(item, "sms", source, gaps);
        match &item.node {
            ast::SmsItem::Column { role, name, aliases } => {
                roles.add(role, out);
                names.add(name, out);
                for alias in aliases {
                    names.add(alias, out);
                }
                limits.columns.push(SmsColumn {
                    role: match_key(&role.value),
                    name: name.value.clone(),
                    aliases: aliases.iter().map(|a| a.value.clone()).collect(),
                });
            }
            ast::SmsItem::MaxLength(n) => {
                limits.max_length = positive_u32(n, "la longitud máxima", Code::AssetLimits, out)
            }
            ast::SmsItem::NoAccents { allowed } => {
                limits.no_accents = true;
                limits.accents_allowed = allowed.as_ref().map(|a| a.value.clone()).unwrap_or_default();
            }
            ast::SmsItem::IdDigits {
                min,
                max,
                no_leading_zero,
            } => {
                let low = positive_u32(min, "el mínimo de dígitos", Code::AssetLimits, out);
                let high = positive_u32(max, "el máximo de dígitos", Code::AssetLimits, out);
                if let (Some(low), Some(high)) = (low, high) {
                    if low > high {
                        out.push(Diagnostic::new(
                            Code::AssetLimits,
                            min.span,
                            "el mínimo de dígitos es mayor que el máximo",
                        ));
                    }
                    limits.id_digits = Some((low, high));
                }
                limits.id_no_leading_zero = *no_leading_zero;
            }
            ast::SmsItem::Unknown(word) => out.push(unknown(word, SMS_KEYWORDS)),
        }
    }
    for role in ["cedula", "mensaje"] {
        if !limits.columns.iter().any(|c| c.role == role) {
            out.push(
                Diagnostic::new(
                    Code::AssetLimits,
                    span,
                    format!("al bloque `sms` le falta la columna de rol `{role}`"),
                )
                .with_help(format!("agregue `columna {role} \"Encabezado\"`")),
            );
        }
    }
    Some(limits)
}

fn compile_documents(
    items: &[Item<ast::DocumentItem>],
    source: &SourceFile,
    gaps: &mut Vec<Gap>,
    out: &mut Vec<Diagnostic>,
) -> DocumentRules {
    let mut rules = DocumentRules {
        formats: Vec::new(),
        no_password: false,
        searchable: false,
        no_metadata: false,
        keep_metadata: Vec::new(),
        accessibility: Vec::new(),
    };
    for item in items {
        gap_of(item, "documentos", source, gaps);
        match &item.node {
            ast::DocumentItem::Formats(list) => rules.formats = formats(list),
            ast::DocumentItem::NoPassword => rules.no_password = true,
            ast::DocumentItem::Searchable => rules.searchable = true,
            ast::DocumentItem::NoMetadata { keep } => {
                rules.no_metadata = true;
                rules.keep_metadata = keep.iter().map(|k| match_key(&k.value)).collect();
            }
            ast::DocumentItem::Accessibility(list) => {
                rules.accessibility = list.iter().map(|k| match_key(&k.value)).collect()
            }
            ast::DocumentItem::Unknown(word) => out.push(unknown(word, DOCUMENT_KEYWORDS)),
        }
    }
    rules
}

fn compile_sampling(
    items: &[Item<ast::SamplingItem>],
    span: Span,
    source: &SourceFile,
    gaps: &mut Vec<Gap>,
    out: &mut Vec<Diagnostic>,
) -> Option<Sampling> {
    let mut confidence = None;
    let mut margin = None;
    let mut proportion = None;
    let fraction = |value: &Spanned<f64>, what: &str, scale: f64, out: &mut Vec<Diagnostic>| {
        let v = value.value / scale;
        if v.is_finite() && v > 0.0 && v < 1.0 {
            Some(v)
        } else {
            let range = if scale > 1.0 {
                "entre 0 % y 100 % (sin incluirlos)"
            } else {
                "entre 0 y 1 (sin incluirlos)"
            };
            out.push(Diagnostic::new(
                Code::InvalidValue,
                value.span,
                format!("{what} debe estar {range}"),
            ));
            None
        }
    };
    for item in items {
        gap_of(item, "muestreo", source, gaps);
        match &item.node {
            ast::SamplingItem::Confidence(v) => confidence = fraction(v, "la confianza", 100.0, out),
            ast::SamplingItem::Margin(v) => margin = fraction(v, "el error", 100.0, out),
            ast::SamplingItem::Proportion(v) => proportion = fraction(v, "la proporción", 1.0, out),
            ast::SamplingItem::PopulationSolvedInMonth => {}
            ast::SamplingItem::Unknown(word) => out.push(unknown(word, SAMPLING_KEYWORDS)),
        }
    }
    for (present, what) in [
        (
            items
                .iter()
                .any(|i| matches!(i.node, ast::SamplingItem::Confidence(_))),
            "confianza N %",
        ),
        (
            items
                .iter()
                .any(|i| matches!(i.node, ast::SamplingItem::Margin(_))),
            "error N %",
        ),
        (
            items
                .iter()
                .any(|i| matches!(i.node, ast::SamplingItem::Proportion(_))),
            "proporción X",
        ),
    ] {
        if !present {
            out.push(Diagnostic::new(
                Code::Missing,
                span,
                format!("al bloque `muestreo mensual` le falta `{what}`"),
            ));
        }
    }
    Some(Sampling {
        confidence: confidence?,
        margin: margin?,
        proportion: proportion?,
    })
}

fn compile_rule(decl: &ast::RuleDecl, source: &SourceFile, out: &mut Vec<Diagnostic>) -> Option<Rule> {
    let subject = match decl.subject.as_ref().map(|s| match_key(&s.value)) {
        None => Some(Subject::Caso),
        Some(s) if s == "caso" => Some(Subject::Caso),
        Some(s) if s == "banner" => Some(Subject::Banner),
        Some(s) if s == "sms" => Some(Subject::Sms),
        Some(s) if s == "documento" => Some(Subject::Documento),
        Some(_) => {
            let word = decl.subject.as_ref().map_or_else(Span::default, |s| s.span);
            out.push(
                Diagnostic::new(
                    Code::RuleIncomplete,
                    word,
                    format!(
                        "sujeto de regla desconocido `{}`",
                        decl.subject.as_ref().map_or("", |s| s.value.as_str())
                    ),
                )
                .with_suggestion(suggest(
                    decl.subject.as_ref().map_or("", |s| s.value.as_str()),
                    ["caso", "banner", "sms", "documento"],
                )),
            );
            None
        }
    };
    let expression = |code: &Spanned<String>, out: &mut Vec<Diagnostic>| {
        if code.value.trim().is_empty() {
            out.push(
                Diagnostic::new(Code::RuleIncomplete, code.span, "la expresión está vacía")
                    .with_help("escriba una condición rhai entre las comillas invertidas"),
            );
        }
        let at = source.position(code.span.start);
        Expression {
            source: code.value.clone(),
            line: at.line,
            column: at.column,
        }
    };
    let mut when = None;
    let mut require = None;
    let mut message = None;
    for item in &decl.items {
        let duplicate = |what: &str, out: &mut Vec<Diagnostic>| {
            out.push(Diagnostic::new(
                Code::RuleIncomplete,
                item.span,
                format!("la regla `{}` repite `{what}`", decl.name.value),
            ))
        };
        match &item.node {
            ast::RuleItem::When(code) if when.is_some() => duplicate("cuando", out),
            ast::RuleItem::When(code) => when = Some(expression(code, out)),
            ast::RuleItem::Require(_) if require.is_some() => duplicate("exige", out),
            ast::RuleItem::Require(code) => require = Some(expression(code, out)),
            ast::RuleItem::Message(_) if message.is_some() => duplicate("mensaje", out),
            ast::RuleItem::Message(text) => message = Some(text.value.clone()),
            ast::RuleItem::Unknown(word) => out.push(unknown(word, RULE_KEYWORDS)),
        }
    }
    for (present, what) in [(require.is_some(), "exige"), (message.is_some(), "mensaje")] {
        if !present {
            out.push(Diagnostic::new(
                Code::RuleIncomplete,
                decl.name.span,
                format!("a la regla `{}` le falta `{what}`", decl.name.value),
            ));
        }
    }
    Some(Rule {
        name: decl.name.value.clone(),
        severity: if decl.is_error {
            RuleSeverity::Error
        } else {
            RuleSeverity::Warning
        },
        subject: subject?,
        when,
        require: require?,
        message: message?,
        line: source.position(decl.name.span.start).line,
    })
}

/// The `desde`/`hasta` years of a calendar rule (open when absent).
type YearRange = (Option<i32>, Option<i32>);

/// Compile a calendar file's tree.
pub fn compile_calendar(doc: &ast::CalendarDoc, source: &SourceFile) -> (Option<Calendar>, Vec<Diagnostic>) {
    let mut out = Vec::new();
    let year = |y: &Option<Spanned<i64>>, out: &mut Vec<Diagnostic>| -> Option<i32> {
        let y = y.as_ref()?;
        match i32::try_from(y.value) {
            Ok(v) if (1583..=9999).contains(&v) => Some(v),
            _ => {
                out.push(
                    Diagnostic::new(
                        Code::CalendarRule,
                        y.span,
                        format!("el año `{}` no es válido", y.value),
                    )
                    .with_help("use un año entre 1583 y 9999"),
                );
                None
            }
        }
    };
    let first_year = year(&doc.first_year, &mut out);
    let last_year = year(&doc.last_year, &mut out);
    if doc.first_year.is_none() {
        out.push(
            Diagnostic::new(
                Code::Missing,
                doc.header_span,
                "falta `desde AAAA` en el encabezado del calendario",
            )
            .with_help("indique el primer año que describen sus reglas, p. ej. `desde 1984`"),
        );
    }
    if let (Some(a), Some(b)) = (first_year, last_year)
        && a > b
    {
        out.push(Diagnostic::new(
            Code::CalendarRule,
            doc.header_span,
            "`desde` es posterior a `hasta`",
        ));
    }
    if doc.name.value.trim().is_empty() {
        out.push(Diagnostic::new(
            Code::InvalidValue,
            doc.name.span,
            "el nombre del calendario está vacío",
        ));
    }
    let mut rules = Vec::new();
    let mut by_name: BTreeMap<(String, bool), Vec<YearRange>> = BTreeMap::new();
    for item in &doc.items {
        let decl = match &item.node {
            CalendarItem::Rule(decl) => decl,
            CalendarItem::Unknown(word) => {
                out.push(unknown(word, CALENDAR_KEYWORDS));
                continue;
            }
        };
        // `06-29` (month first) is read as `29 de junio` for one more version, with a warning.
        let written = source
            .text
            .get(decl.date.span.start..decl.date.span.end)
            .unwrap_or_default();
        if let Some(DateRule::Fixed { month, day }) = decl.date.value
            && written.contains('-')
        {
            let spanish = crate::doc::wording::day_of_month(month, day);
            out.push(
                Diagnostic::new(
                    Code::OldDayForm,
                    decl.date.span,
                    format!("`{written}` se lee mes-día: {spanish}"),
                )
                .with_help(format!(
                    "escriba el día a la española, `{spanish}` (`pauta fmt` lo reescribe); la forma MM-DD dejará de aceptarse en la próxima versión de pauta"
                )),
            );
        }
        let from = year(&decl.from_year, &mut out);
        let until = year(&decl.until_year, &mut out);
        if let (Some(a), Some(b)) = (from, until)
            && a > b
        {
            out.push(Diagnostic::new(
                Code::CalendarRule,
                item.span,
                format!("en `{}`, `desde` {a} es posterior a `hasta` {b}", decl.name.value),
            ));
        }
        let Some(date) = decl.date.value.clone() else {
            out.push(
                Diagnostic::new(
                    Code::CalendarRule,
                    decl.date.span,
                    format!(
                        "la fecha `{}` de `{}` no existe",
                        source.slice(decl.date.span),
                        decl.name.value
                    ),
                )
                .with_help("escriba un mes y un día reales (MM-DD) o una fecha AAAA-MM-DD"),
            );
            continue;
        };
        if decl.moved_to_monday && matches!(date, DateRule::Once { .. } | DateRule::NthWeekday { .. }) {
            out.push(Diagnostic::new(
                Code::CalendarRule,
                item.span,
                "`trasladable` solo aplica a fechas MM-DD y a `pascua ±N`",
            ));
        }
        let ranges = by_name
            .entry((
                match_key(&decl.name.value),
                decl.kind == crate::calendar::DayKind::Holiday,
            ))
            .or_default();
        let overlaps = ranges.iter().any(|(a, b)| {
            a.unwrap_or(i32::MIN) <= until.unwrap_or(i32::MAX)
                && from.unwrap_or(i32::MIN) <= b.unwrap_or(i32::MAX)
        });
        if overlaps && !matches!(date, DateRule::Once { .. }) {
            out.push(
                Diagnostic::new(
                    Code::CalendarRule,
                    decl.name.span,
                    format!("`{}` ya está declarado para años que se solapan", decl.name.value),
                )
                .with_help("use `desde`/`hasta` para separar los años de cada regla"),
            );
        }
        ranges.push((from, until));
        let rule = DayRule {
            name: decl.name.value.clone(),
            kind: decl.kind,
            date,
            moved_to_monday: decl.moved_to_monday,
            from_year: from,
            until_year: until,
            legal_basis: decl.legal_basis.as_ref().map(|l| l.value.clone()),
        };
        // What the calendar engine would refuse at run time (e.g. `pascua +400`) is refused here.
        let years_reversed = matches!((from, until), (Some(a), Some(b)) if a > b);
        if let Some(problem) = rule.date_problem().filter(|_| !years_reversed) {
            out.push(Diagnostic::new(
                Code::CalendarRule,
                decl.date.span,
                format!("`{}`: {problem}", decl.name.value),
            ));
        }
        rules.push(rule);
    }
    let has_error = out
        .iter()
        .any(|d| d.code.severity() == super::diagnostics::Severity::Error);
    let calendar = match first_year {
        Some(first_year) if !has_error => Some(Calendar {
            name: doc.name.value.clone(),
            zone: doc.zone.value.clone(),
            utc_offset_seconds: doc.utc_offset_seconds.value,
            first_year,
            last_year,
            rules,
        }),
        _ => None,
    };
    (calendar, out)
}
