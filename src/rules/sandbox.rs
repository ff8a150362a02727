//! The one rhai engine every rule runs in: no packages beyond arithmetic, logic, strings,
//! arrays, maps and math; no loops, no modules, no `eval`, no printing, no time, strict
//! variables, and hard limits on operations, depth, string, array and map sizes. Errors are
//! translated to Spanish.

use rhai::packages::{
    ArithmeticPackage, BasicArrayPackage, BasicMapPackage, BasicMathPackage, BasicStringPackage,
    LogicPackage, MoreStringPackage, Package,
};
use rhai::{Engine, EvalAltResult, ParseError, ParseErrorType};

use crate::text::match_key;

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

/// A compile error of a rule expression, in Spanish, with its 1-based position inside the
/// expression.
pub fn parse_error_text(error: &ParseError) -> (String, usize, usize) {
    let position = error.position();
    let line = position.line().unwrap_or(1);
    let column = position.position().unwrap_or(1);
    let text = match error.err_type() {
        ParseErrorType::VariableUndefined(name) => format!(
            "la variable `{name}` no existe; use el sujeto de la regla (`caso`, `banner`, `sms` o `documento`)"
        ),
        ParseErrorType::ExprTooDeep => {
            format!("la expresión está anidada a más de {MAX_EXPRESSION_DEPTH} niveles; simplifíquela")
        }
        ParseErrorType::Reserved(word) | ParseErrorType::ForbiddenVariable(word) => {
            format!("`{word}` no está permitido en una regla")
        }
        ParseErrorType::BadInput(inner) => {
            let english = inner.to_string();
            if let Some(word) = english
                .strip_prefix("Unexpected '")
                .and_then(|w| w.strip_suffix('\''))
            {
                format!(
                    "`{word}` no está permitido aquí: una regla es una sola expresión, sin bucles, bloques ni funciones propias"
                )
            } else if let Some(word) = english
                .strip_prefix("reserved keyword '")
                .and_then(|w| w.split('\'').next())
            {
                format!("`{word}` no está permitido en una regla")
            } else {
                format!("texto no válido ({english})")
            }
        }
        ParseErrorType::UnknownOperator(op) => format!("operador desconocido `{op}`"),
        ParseErrorType::MissingToken(token, description) => format!("falta `{token}` {description}"),
        other => {
            let english = other.to_string();
            if english.contains("loop") || english.contains("statement") || english.contains("block") {
                "una regla es una sola expresión: sin `let`, bucles, bloques ni `;`".to_owned()
            } else {
                format!("no es una expresión rhai válida ({english})")
            }
        }
    };
    (text, line, column)
}

/// A runtime error of a rule, in Spanish.
pub fn runtime_error_text(error: &EvalAltResult) -> String {
    match error {
        EvalAltResult::ErrorTooManyOperations(_) => {
            format!("excede el límite de {MAX_OPERATIONS} operaciones por caso; simplifique la regla")
        }
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
            } else {
                format!("error aritmético ({message})")
            }
        }
        EvalAltResult::ErrorFunctionNotFound(signature, _) => {
            format!("la función `{signature}` no existe para esos valores")
        }
        EvalAltResult::ErrorPropertyNotFound(name, _) => format!("el campo `{name}` no existe"),
        EvalAltResult::ErrorVariableNotFound(name, _) => format!("la variable `{name}` no existe"),
        EvalAltResult::ErrorMismatchOutputType(expected, actual, _) => {
            format!("devuelve {actual} y se esperaba {expected}")
        }
        EvalAltResult::ErrorArrayBounds(length, index, _) => {
            format!("pide el elemento {index} de una lista de {length}")
        }
        other => format!("error al ejecutar la regla ({other})"),
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
