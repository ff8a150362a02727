//! Rules compiled once (at policy load) and run many times: compile errors located in the
//! policy file, and each rule's result on one subject.

use rhai::{AST, Dynamic, Engine, Scope};

use super::fields::{fields, fields_read, variable};
use super::model::{Expression, Rule, RuleSeverity, Subject};
use super::sandbox::{parse_error_text, runtime_error_text};
use crate::text::suggest;

/// A rule ready to run.
#[derive(Debug, Clone)]
pub struct CompiledRule {
    /// The rule as the policy writes it.
    pub rule: Rule,
    /// `cuando`, compiled.
    pub when: Option<AST>,
    /// `exige`, compiled.
    pub require: AST,
    /// The finding's words when the rule fails, written once (a rule may fail on every case):
    /// `MESSAGE (regla «NAME», línea N de la política)`.
    pub failure: String,
}

/// A rule that does not compile: where (in the policy file) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleProblem {
    /// Rule name.
    pub rule: String,
    /// 1-based line in the policy file.
    pub line: usize,
    /// 1-based column in the policy file.
    pub column: usize,
    /// Byte offset inside the expression source.
    pub offset: usize,
    /// Bytes of the expression the problem is about (1 when it is a position).
    pub width: usize,
    /// Which expression (`cuando` or `exige`).
    pub clause: &'static str,
    /// What is wrong, in Spanish.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
}

/// The result of one rule on one subject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleResult {
    /// `cuando` is false: the rule does not apply.
    NotApplicable,
    /// `exige` holds.
    Passed,
    /// `exige` does not hold.
    Failed,
    /// The rule could not be evaluated (limit, runtime error, non-boolean), in Spanish.
    Broken(String),
}

/// The policy-file position of byte `offset` of `expression`'s source.
pub(crate) fn position_in_file(expression: &Expression, offset: usize) -> (usize, usize) {
    let before = expression.source.get(..offset).unwrap_or(&expression.source);
    let newlines = before.matches('\n').count();
    let tail = before.rsplit('\n').next().unwrap_or_default().chars().count();
    if newlines == 0 {
        (expression.line, expression.column + tail)
    } else {
        (expression.line + newlines, tail + 1)
    }
}

fn compile_one(
    engine: &Engine,
    rule: &Rule,
    expression: &Expression,
    clause: &'static str,
    problems: &mut Vec<RuleProblem>,
) -> Option<AST> {
    let name = variable(rule.subject);
    let known = fields(rule.subject);
    let mut ok = true;
    for (offset, field) in fields_read(&expression.source, name) {
        if !known.iter().any(|f| f.name == field) {
            ok = false;
            let (line, column) = position_in_file(expression, offset);
            problems.push(RuleProblem {
                width: 1,
                rule: rule.name.clone(),
                line,
                column,
                offset,
                clause,
                message: format!("`{name}.{field}` no existe"),
                help: Some(match suggest(&field, known.iter().map(|f| f.name)) {
                    Some(close) => format!("¿quiso decir `{name}.{close}`?"),
                    None => format!(
                        "los campos de `{name}` son: {}",
                        known.iter().map(|f| f.name).collect::<Vec<_>>().join(", ")
                    ),
                }),
            });
        }
    }
    let mut scope = Scope::new();
    scope.push_constant(name, Dynamic::UNIT);
    match engine.compile_expression_with_scope(&scope, &expression.source) {
        Ok(ast) => ok.then_some(ast),
        Err(error) => {
            let (message, line, column) = parse_error_text(&error);
            let offset = crate::text::byte_offset(&expression.source, line, column);
            let (line, column) = position_in_file(expression, offset);
            problems.push(RuleProblem {
                width: 1,
                rule: rule.name.clone(),
                line,
                column,
                offset,
                clause,
                message,
                help: Some(format!(
                    "`{clause}` lleva una sola expresión rhai que devuelve verdadero o falso, p. ej. `{name}.adjuntos.contains(\"socializacion\")`"
                )),
            });
            None
        }
    }
}

/// Compiles every rule of `rules` about `subject` (all subjects when `None`).
pub fn compile_rules(
    engine: &Engine,
    rules: &[Rule],
    subject: Option<Subject>,
) -> (Vec<CompiledRule>, Vec<RuleProblem>) {
    let mut compiled = Vec::new();
    let mut problems = Vec::new();
    for rule in rules.iter().filter(|r| subject.is_none_or(|s| r.subject == s)) {
        let when = rule
            .when
            .as_ref()
            .map(|expression| compile_one(engine, rule, expression, "cuando", &mut problems));
        let require = compile_one(engine, rule, &rule.require, "exige", &mut problems);
        match (when, require) {
            (Some(None), _) | (_, None) => {}
            (when, Some(require)) => compiled.push(CompiledRule {
                failure: format!(
                    "{} (regla «{}», línea {} de la política)",
                    rule.message, rule.name, rule.line
                ),
                rule: rule.clone(),
                when: when.flatten(),
                require,
            }),
        }
    }
    (compiled, problems)
}

fn truth(engine: &Engine, scope: &mut Scope<'_>, ast: &AST, clause: &str) -> Result<bool, String> {
    let value = engine
        .eval_ast_with_scope::<Dynamic>(scope, ast)
        .map_err(|error| format!("`{clause}` {}", runtime_error_text(&error)))?;
    value.as_bool().map_err(|kind| {
        format!(
            "`{clause}` devuelve un valor de tipo {}, no verdadero o falso; escriba una comparación",
            super::sandbox::type_name(kind)
        )
    })
}

/// Runs `rule` with the subject already in `scope`.
pub fn run_rule(engine: &Engine, rule: &CompiledRule, scope: &mut Scope<'_>) -> RuleResult {
    if let Some(when) = &rule.when {
        match truth(engine, scope, when, "cuando") {
            Ok(false) => return RuleResult::NotApplicable,
            Ok(true) => {}
            Err(message) => return RuleResult::Broken(message),
        }
    }
    match truth(engine, scope, &rule.require, "exige") {
        Ok(true) => RuleResult::Passed,
        Ok(false) => RuleResult::Failed,
        Err(message) => RuleResult::Broken(message),
    }
}

/// The rules of one subject, plus all of them combined into one expression: one evaluation per
/// subject instead of one per rule (rhai resolves each function once per evaluation). When the
/// combined evaluation fails or yields a non-boolean, every rule is run on its own, so results
/// and error messages are exactly those of [`run_rule`].
#[derive(Debug, Clone)]
pub struct RuleBook {
    /// The rules, in policy order.
    pub rules: Vec<CompiledRule>,
    /// `[when₁, require₁, when₂, require₂, …]` (`true` for a missing `cuando`).
    combined: Option<AST>,
    /// Native predicates for every rule, when the subject is `caso` and every expression is in
    /// the fast-path subset (see [`super::fast`]).
    fast: Option<Vec<(Option<super::fast::Predicate>, super::fast::Predicate)>>,
}

impl RuleBook {
    /// Combines compiled `rules` about the subject named `variable`.
    pub fn new(engine: &Engine, rules: Vec<CompiledRule>, variable: &str) -> Self {
        let mut parts = Vec::with_capacity(rules.len() * 2);
        for rule in &rules {
            let when = rule.rule.when.as_ref().map_or("true", |w| w.source.as_str());
            parts.push(format!("({when})"));
            parts.push(format!("({})", rule.rule.require.source));
        }
        let mut scope = Scope::new();
        scope.push_constant(variable, Dynamic::UNIT);
        let combined = (!rules.is_empty())
            .then(|| {
                engine
                    .compile_expression_with_scope(&scope, format!("[{}]", parts.join(",\n")))
                    .ok()
            })
            .flatten();
        let fast = (variable == "caso")
            .then(|| {
                rules
                    .iter()
                    .map(|rule| {
                        let when = match &rule.rule.when {
                            Some(when) => Some(super::fast::compile(&when.source)?),
                            None => None,
                        };
                        Some((when, super::fast::compile(&rule.rule.require.source)?))
                    })
                    .collect::<Option<Vec<_>>>()
            })
            .flatten();
        Self {
            rules,
            combined,
            fast,
        }
    }

    /// Every rule's result on `caso` through the native fast path, when all rules allow it.
    pub fn run_fast<C: super::fast::CaseFields + ?Sized>(&self, caso: &C) -> Option<Vec<RuleResult>> {
        let fast = self.fast.as_ref()?;
        Some(
            fast.iter()
                .map(|(when, require)| {
                    if when.as_ref().is_some_and(|when| !when.eval(caso)) {
                        RuleResult::NotApplicable
                    } else if require.eval(caso) {
                        RuleResult::Passed
                    } else {
                        RuleResult::Failed
                    }
                })
                .collect(),
        )
    }

    /// Whether there is no rule.
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// Runs every rule with the subject already in `scope`, in policy order.
    pub fn run_all(&self, engine: &Engine, scope: &mut Scope<'_>) -> Vec<RuleResult> {
        if let Some(combined) = &self.combined
            && let Ok(values) = engine.eval_ast_with_scope::<rhai::Array>(scope, combined)
        {
            let truths: Vec<bool> = values.iter().filter_map(|value| value.as_bool().ok()).collect();
            if truths.len() == self.rules.len() * 2 {
                return truths
                    .chunks(2)
                    .map(|pair| match pair {
                        [false, _] => RuleResult::NotApplicable,
                        [true, true] => RuleResult::Passed,
                        _ => RuleResult::Failed,
                    })
                    .collect();
            }
        }
        self.rules
            .iter()
            .map(|rule| run_rule(engine, rule, scope))
            .collect()
    }
}

impl RuleResult {
    /// Spanish label for `explain`.
    pub fn label(&self) -> String {
        match self {
            RuleResult::NotApplicable => "no aplica (`cuando` es falso)".to_owned(),
            RuleResult::Passed => "cumple".to_owned(),
            RuleResult::Failed => "no cumple".to_owned(),
            RuleResult::Broken(message) => format!("no se pudo evaluar: {message}"),
        }
    }
}

/// The severity label of a rule.
pub fn severity_label(severity: RuleSeverity) -> &'static str {
    match severity {
        RuleSeverity::Error => "error",
        RuleSeverity::Warning => "aviso",
    }
}
