//! The one rhai engine every rule runs in: no packages beyond arithmetic, logic, strings,
//! arrays, maps and math; no loops, no modules, no `eval`, no printing, no time, strict
//! variables, and hard limits on operations, depth, string, array and map sizes, and on the CPU
//! time one rule may spend on one subject ([`RULE_CPU_BUDGET`]). Errors are translated to
//! Spanish; no English text of rhai reaches the user.

use rhai::packages::{
    ArithmeticPackage, BasicArrayPackage, BasicMapPackage, BasicMathPackage, BasicStringPackage,
    LogicPackage, MoreStringPackage, Package,
};
use rhai::{Engine, EvalAltResult, ParseError, ParseErrorType};

use crate::text::{match_key, shown};

/// Operations one rule may perform on one subject.
pub const MAX_OPERATIONS: u64 = 20_000;
/// Maximum nesting of an expression.
pub const MAX_EXPRESSION_DEPTH: usize = 48;
/// Maximum nesting of function calls.
pub const MAX_CALL_LEVELS: usize = 16;
/// Maximum length of a string a rule builds, in bytes.
pub const MAX_STRING_SIZE: usize = 65_536;
/// Maximum length of an array a rule builds.
pub const MAX_ARRAY_SIZE: usize = 10_000;
/// Maximum size of a map a rule builds.
pub const MAX_MAP_SIZE: usize = 1_000;
/// CPU time one rule may spend on one subject. The operation limit counts operations, not the
/// work inside them (one `pad` may build 64 KiB): a rule past this budget stops with R003. A
/// real rule takes microseconds, so the budget only ever stops a runaway one.
pub const RULE_CPU_BUDGET: std::time::Duration = std::time::Duration::from_millis(5);
/// Operations between two readings of the CPU clock (a rule shorter than this never reads it).
/// One operation costs at most about 0.1 ms (a string of `MAX_STRING_SIZE` built), so a rule
/// is stopped within about `CLOCK_EVERY` × 0.1 ms of its budget.
pub const CLOCK_EVERY: u64 = 16;

/// Builds the sandboxed engine (once per run; it is `Send + Sync`).
pub fn engine() -> Engine {
    let mut engine = Engine::new_raw();
    for module in [
        ArithmeticPackage::new().as_shared_module(),
        LogicPackage::new().as_shared_module(),
        BasicStringPackage::new().as_shared_module(),
        MoreStringPackage::new().as_shared_module(),
        BasicArrayPackage::new().as_shared_module(),
        BasicMapPackage::new().as_shared_module(),
        BasicMathPackage::new().as_shared_module(),
    ] {
        engine.register_global_module(module);
    }
    engine
        .set_max_operations(MAX_OPERATIONS)
        .set_max_expr_depths(MAX_EXPRESSION_DEPTH, MAX_EXPRESSION_DEPTH)
        .set_max_call_levels(MAX_CALL_LEVELS)
        .set_max_string_size(MAX_STRING_SIZE)
        .set_max_array_size(MAX_ARRAY_SIZE)
        .set_max_map_size(MAX_MAP_SIZE)
        .set_max_variables(16)
        .set_max_functions(0)
        .set_allow_looping(false)
        .set_strict_variables(true)
        .disable_symbol("eval")
        .disable_symbol("print")
        .disable_symbol("debug");
    engine.on_progress(cpu_budget);
    engine.on_print(|_| {});
    engine.on_debug(|_, _, _| {});
    engine.register_fn("normalizar", |text: &str| -> String { match_key(text) });
    // Native fast path for the most common test, `lista.contains("texto")` (same result as the
    // array package's generic `contains`, without dispatching `==` per element).
    engine.register_fn(
        "contains",
        |list: &mut rhai::Array, item: rhai::ImmutableString| -> bool {
            list.iter().any(|value| {
                value
                    .read_lock::<rhai::ImmutableString>()
                    .is_some_and(|text| *text == item)
            })
        },
    );
    engine
}

thread_local! {
    /// CPU time of this thread when the rule it runs reached its first clock reading.
    static RULE_STARTED: std::cell::Cell<std::time::Duration> =
        const { std::cell::Cell::new(std::time::Duration::ZERO) };
}

/// The progress hook: every [`CLOCK_EVERY`] operations, stops the rule (rhai's "terminated",
/// translated as R003) once it has used more than [`RULE_CPU_BUDGET`] of CPU since its first
/// reading. Operation counts start again at each evaluation, so the first reading marks the start.
fn cpu_budget(operations: u64) -> Option<rhai::Dynamic> {
    if !operations.is_multiple_of(CLOCK_EVERY) {
        return None;
    }
    let now = thread_cpu_time();
    if operations == CLOCK_EVERY {
        RULE_STARTED.with(|started| started.set(now));
        return None;
    }
    let spent = now.saturating_sub(RULE_STARTED.with(std::cell::Cell::get));
    (spent > RULE_CPU_BUDGET).then_some(rhai::Dynamic::UNIT)
}

/// CPU time used by the calling thread (wall time where no thread clock is known): a busy
/// machine that takes the core away from a rule does not count against it.
#[cfg(unix)]
fn thread_cpu_time() -> std::time::Duration {
    let mut time = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `time` is a valid, writable timespec; the call only writes into it.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut time) };
    if status != 0 {
        return wall_time();
    }
    std::time::Duration::new(
        u64::try_from(time.tv_sec).unwrap_or(0),
        u32::try_from(time.tv_nsec).unwrap_or(0),
    )
}

#[cfg(not(unix))]
fn thread_cpu_time() -> std::time::Duration {
    wall_time()
}

/// Time since the first call in this process.
fn wall_time() -> std::time::Duration {
    static ORIGIN: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    ORIGIN.get_or_init(std::time::Instant::now).elapsed()
}

/// A compile error of a rule expression, in Spanish, with its 1-based position inside the
/// expression. Every kind of error has its own Spanish text: rhai's English never shows.
pub fn parse_error_text(error: &ParseError) -> (String, usize, usize) {
    use rhai::LexError;
    let position = error.position();
    let line = position.line().unwrap_or(1);
    let column = position.position().unwrap_or(1);
    let single = "una regla es una sola expresión: sin `let`, bucles, bloques, `;` ni funciones propias";
    let text = match error.err_type() {
        ParseErrorType::VariableUndefined(name) => format!(
            "la variable `{}` no existe; use el sujeto de la regla (`caso`, `banner`, `sms` o `documento`)",
            shown(name)
        ),
        ParseErrorType::ExprTooDeep => {
            format!("la expresión está anidada a más de {MAX_EXPRESSION_DEPTH} niveles; simplifíquela")
        }
        ParseErrorType::Reserved(word) | ParseErrorType::ForbiddenVariable(word) => {
            format!("`{}` no está permitido en una regla", shown(word))
        }
        ParseErrorType::BadInput(lex) => match lex {
            LexError::UnexpectedInput(word) => format!(
                "`{}` no está permitido aquí: una regla es una sola expresión, sin bucles, bloques ni funciones propias",
                shown(offending(word))
            ),
            LexError::UnterminatedString => "un texto entre comillas no se cierra".to_owned(),
            LexError::StringTooLong(max) => {
                format!("un texto escrito en la regla pasa de {max} bytes; acórtelo")
            }
            LexError::MalformedEscapeSequence(text) => {
                format!("secuencia de escape no válida `{}` en un texto", shown(text))
            }
            LexError::MalformedNumber(text) => format!("número no válido `{}`", shown(text)),
            LexError::MalformedChar(text) => format!("carácter no válido `{}`", shown(text)),
            LexError::MalformedIdentifier(text) => format!("nombre no válido `{}`", shown(text)),
            // rhai's symbol errors name the word first (`'eval' is a reserved keyword`).
            LexError::ImproperSymbol(word, _) => {
                format!("`{}` no está permitido en una regla", shown(offending(word)))
            }
            _ => "texto no válido en la expresión".to_owned(),
        },
        ParseErrorType::UnknownOperator(op) => format!("operador desconocido `{}`", shown(op)),
        ParseErrorType::MissingToken(token, _) => format!("falta `{}`", shown(token)),
        ParseErrorType::MissingSymbol(symbol) => format!("falta `{}`", shown(symbol)),
        ParseErrorType::UnexpectedEOF => "la expresión termina antes de tiempo".to_owned(),
        ParseErrorType::LiteralTooLarge(what, max) => {
            let what = if what.contains("array") {
                "una lista escrita en la regla"
            } else if what.contains("map") || what.contains("object") {
                "un mapa escrito en la regla"
            } else {
                "un texto escrito en la regla"
            };
            format!("{what} pasa del límite de {max}; acórtelo")
        }
        ParseErrorType::DuplicatedProperty(name) => {
            format!("el campo `{}` está repetido en un mapa", shown(name))
        }
        ParseErrorType::PropertyExpected => "falta el nombre de un campo después de `.`".to_owned(),
        ParseErrorType::VariableExpected => "falta un nombre de variable".to_owned(),
        ParseErrorType::ExprExpected(_) => "falta una expresión".to_owned(),
        ParseErrorType::MismatchedType(expected, actual) => format!(
            "se esperaba {} y se encontró {}",
            type_name(expected),
            type_name(actual)
        ),
        ParseErrorType::AssignmentToConstant(_)
        | ParseErrorType::AssignmentToInvalidLHS(_)
        | ParseErrorType::VariableExists(_) => {
            "una regla no asigna valores: compare con `==` en lugar de `=`".to_owned()
        }
        _ => single.to_owned(),
    };
    (text, line, column)
}

/// The text rhai names in a lexer error, without the English around it that some errors carry
/// (`Unexpected '…'`, quotes).
fn offending(word: &str) -> &str {
    word.strip_prefix("Unexpected ")
        .unwrap_or(word)
        .trim_matches('\'')
}

/// A runtime error of a rule, in Spanish (no English text of rhai).
pub fn runtime_error_text(error: &EvalAltResult) -> String {
    match error {
        EvalAltResult::ErrorTooManyOperations(_) => {
            format!("excede el límite de {MAX_OPERATIONS} operaciones por caso; simplifique la regla")
        }
        EvalAltResult::ErrorTerminated(..) => format!(
            "excede el tiempo de cómputo de {} ms por caso; simplifique la regla (no construya textos o listas grandes)",
            RULE_CPU_BUDGET.as_millis()
        ),
        EvalAltResult::ErrorDataTooLarge(what, _) => {
            let what = if what.contains("string") {
                "un texto"
            } else if what.contains("array") {
                "una lista"
            } else {
                "un mapa"
            };
            format!(
                "construye {what} demasiado grande; los límites son {MAX_STRING_SIZE} bytes por texto, {MAX_ARRAY_SIZE} elementos por lista y {MAX_MAP_SIZE} por mapa"
            )
        }
        EvalAltResult::ErrorStackOverflow(_) => {
            format!("anida más de {MAX_CALL_LEVELS} llamadas; simplifique la regla")
        }
        EvalAltResult::ErrorArithmetic(message, _) => {
            let english = message.to_lowercase();
            if english.contains("zero") {
                "divide por cero".to_owned()
            } else if english.contains("overflow") || english.contains("underflow") {
                "una operación aritmética da un número demasiado grande".to_owned()
            } else {
                "una operación aritmética no es válida (por ejemplo, una potencia negativa)".to_owned()
            }
        }
        EvalAltResult::ErrorFunctionNotFound(signature, _) => {
            format!("la función `{}` no existe para esos valores", shown(signature))
        }
        EvalAltResult::ErrorPropertyNotFound(name, _) => format!("el campo `{}` no existe", shown(name)),
        EvalAltResult::ErrorVariableNotFound(name, _) => format!("la variable `{}` no existe", shown(name)),
        EvalAltResult::ErrorMismatchOutputType(expected, actual, _) => {
            format!(
                "devuelve {} y se esperaba {}",
                type_name(actual),
                type_name(expected)
            )
        }
        EvalAltResult::ErrorMismatchDataType(expected, actual, _) => {
            format!(
                "usa {} donde se esperaba {}",
                type_name(actual),
                type_name(expected)
            )
        }
        EvalAltResult::ErrorArrayBounds(length, index, _) => {
            format!("pide el elemento {index} de una lista de {length}")
        }
        EvalAltResult::ErrorStringBounds(length, index, _) => {
            format!("pide el carácter {index} de un texto de {length}")
        }
        EvalAltResult::ErrorIndexingType(..) => {
            "usa `[…]` sobre un valor que no es lista, mapa ni texto".to_owned()
        }
        EvalAltResult::ErrorInFunctionCall(_, _, inner, _) => runtime_error_text(inner),
        _ => "la regla falló al ejecutarse; revísela con los ejemplos de la guía".to_owned(),
    }
}

/// A rhai type name in Spanish.
pub fn type_name(name: &str) -> &str {
    match name {
        "string" | "ImmutableString" | "&str" => "texto",
        "i64" | "int" | "i32" => "número",
        "f64" | "float" => "número decimal",
        "bool" => "verdadero/falso",
        "array" => "lista",
        "map" => "mapa",
        "()" => "nada",
        "char" => "carácter",
        other => other,
    }
}
