//! The pest parser generated from `grammar/pauta.pest`, and its syntax errors in Spanish.
//!
//! `#[derive(Parser)]` also generates the public `Rule` enum (one variant per grammar rule) and
//! `Rule::all_rules`, with no docs of their own: a grammar rule is documented by its comment in
//! the `.pest` file, and `rule_label` gives each one its Spanish name.

#![expect(
    missing_docs,
    reason = "pest_derive generates `Rule`, its variants and `Rule::all_rules` without docs"
)]

use pest::error::{ErrorVariant, InputLocation};
use pest_derive::Parser;

use super::diagnostics::{Code, Diagnostic};
use super::source::Span;

/// The parser of the policy language.
#[derive(Parser)]
#[grammar = "../grammar/pauta.pest"]
pub struct PautaParser;

// Long because it is a flat table: one arm per grammar rule, each naming it in Spanish.
/// What a grammar rule is called when a syntax error says it was expected.
pub fn rule_label(rule: Rule) -> &'static str {
    match rule {
        Rule::EOI => "el fin del archivo",
        Rule::WHITESPACE | Rule::COMMENT => "un espacio o comentario",
        Rule::word => "una palabra",
        Rule::integer | Rule::decimal => "un número",
        Rule::signed => "un desplazamiento con signo (`+39`, `-3`)",
        Rule::date => "una fecha AAAA-MM-DD",
        Rule::month_day => "una fecha MM-DD",
        Rule::day_month => "un día del año (`29 de junio`)",
        Rule::time => "una hora HH:MM",
        Rule::dimensions => "unas medidas ANCHOxALTO (`1920x550`)",
        Rule::percent => "un porcentaje (`95 %`)",
        Rule::string | Rule::string_inner | Rule::string_list => "un texto entre comillas \"…\"",
        Rule::word_list => "una lista de palabras separadas por comas",
        Rule::code | Rule::code_inner => "una expresión entre comillas invertidas `…`",
        Rule::kw_procedimiento => "`procedimiento`",
        Rule::kw_version => "`versión`",
        Rule::kw_vigente => "`vigente`",
        Rule::kw_vigentes => "`vigentes`",
        Rule::kw_desde => "`desde`",
        Rule::kw_hasta => "`hasta`",
        Rule::kw_calendario => "`calendario`",
        Rule::kw_zona => "`zona`",
        Rule::kw_horario => "`horario`",
        Rule::kw_a => "`a`",
        Rule::kw_de => "`de`",
        Rule::kw_el => "`el`",
        Rule::kw_en => "`en`",
        Rule::kw_fuera => "`fuera`",
        Rule::kw_siguiente => "`siguiente`",
        Rule::kw_dia => "`día`/`días`",
        Rule::kw_habil => "`hábil`/`hábiles`",
        Rule::kw_estados => "`estados`",
        Rule::kw_inicial => "`inicial`",
        Rule::kw_corre => "`corre`",
        Rule::kw_pausa => "`pausa`",
        Rule::kw_solucion => "`solución`",
        Rule::kw_final => "`final`",
        Rule::kw_excluido => "`excluido`",
        Rule::kw_alias => "`alias`",
        Rule::kw_canal => "`canal`",
        Rule::kw_canales => "`canales`",
        Rule::kw_transicion => "`transición`",
        Rule::kw_razon => "`razón`",
        Rule::kw_razones => "`razones`",
        Rule::kw_cualquiera => "`cualquiera`",
        Rule::kw_implicita | Rule::implicit => "`implícita`",
        Rule::kw_numeral => "`numeral`",
        Rule::kw_cierre => "`cierre`",
        Rule::kw_automatico => "`automático`",
        Rule::kw_tras => "`tras`",
        Rule::kw_categoria => "`categoría`",
        Rule::kw_descripcion => "`descripción`",
        Rule::kw_ans => "`ans`",
        Rule::kw_excepciones => "`excepciones`",
        Rule::kw_cuenta => "`cuenta`",
        Rule::kw_recepcion => "`recepción`",
        Rule::kw_recibidas => "`recibidas`",
        Rule::kw_antes => "`antes`",
        Rule::kw_tipo => "`tipo`",
        Rule::kw_banner => "`banner`",
        Rule::kw_formatos => "`formatos`",
        Rule::kw_peso => "`peso`",
        Rule::kw_maximo => "`máximo`/`máxima`",
        Rule::kw_ubicacion => "`ubicación`",
        Rule::kw_permanencia => "`permanencia`",
        Rule::kw_meses => "`meses`",
        Rule::kw_palabras => "`palabras`",
        Rule::kw_titulo => "`título`",
        Rule::kw_llamado => "`llamado`",
        Rule::kw_sms => "`sms`",
        Rule::kw_columna => "`columna`",
        Rule::kw_longitud => "`longitud`",
        Rule::kw_caracteres => "`caracteres`",
        Rule::kw_sin => "`sin`",
        Rule::kw_tildes => "`tildes`",
        Rule::kw_permite => "`permite`",
        Rule::kw_cedula => "`cédula`",
        Rule::kw_digitos => "`dígitos`",
        Rule::kw_cero => "`cero`",
        Rule::kw_documentos => "`documentos`",
        Rule::kw_contrasena => "`contraseña`",
        Rule::kw_texto => "`texto`",
        Rule::kw_buscable => "`buscable`",
        Rule::kw_metadatos => "`metadatos`",
        Rule::kw_conserva => "`conserva`",
        Rule::kw_accesibilidad => "`accesibilidad`",
        Rule::kw_muestreo => "`muestreo`",
        Rule::kw_mensual => "`mensual`",
        Rule::kw_confianza => "`confianza`",
        Rule::kw_error => "`error`",
        Rule::kw_proporcion => "`proporción`",
        Rule::kw_poblacion => "`población`",
        Rule::kw_solucionados => "`solucionados`",
        Rule::kw_regla => "`regla`",
        Rule::kw_aviso => "`aviso`",
        Rule::kw_sobre => "`sobre`",
        Rule::kw_cuando => "`cuando`",
        Rule::kw_exige => "`exige`",
        Rule::kw_mensaje => "`mensaje`",
        Rule::kw_festivo => "`festivo`",
        Rule::kw_pascua => "`pascua`",
        Rule::kw_trasladable => "`trasladable`",
        Rule::kw_norma => "`norma`",
        Rule::kw_objetivo => "`objetivo`",
        Rule::kw_alcance => "`alcance`",
        Rule::kw_definicion => "`definición`",
        Rule::kw_condicion => "`condición`",
        Rule::kw_responsable => "`responsable`",
        Rule::weekday => "un día de la semana (`lunes` … `domingo`)",
        Rule::month_name => "un mes (`enero` … `diciembre`)",
        Rule::ordinal => "un ordinal (`primer`, `segundo`, `tercer`, `cuarto`, `quinto`, `último`)",
        Rule::unknown_statement => "una declaración",
        Rule::file | Rule::procedure_doc | Rule::calendar_doc => "`procedimiento` o `calendario`",
        Rule::procedure_header => "el encabezado `procedimiento \"código\" \"nombre\"`",
        Rule::version_decl => "`versión N vigente desde AAAA-MM-DD`",
        Rule::calendar_ref => "`calendario \"nombre\"`",
        Rule::hours_decl => "`horario lunes a viernes 08:00 a 17:00`",
        Rule::after_hours_decl => "`fuera de horario: siguiente día hábil`",
        Rule::states_block => "`estados { … }`",
        Rule::state_decl => "un estado `\"Nombre\" corre|pausa|final …`",
        Rule::state_flag => {
            "una marca de estado (`inicial`, `corre`, `pausa`, `solución`, `final`, `excluido`)"
        }
        Rule::channel_decl => "`canal clave \"Nombre\"`",
        Rule::transition_decl => "`transición \"A\" -> \"B\" …`",
        Rule::numeral_clause => "`numeral \"…\"`",
        Rule::reason_clause => "`razón \"…\"` o `razones \"…\", \"…\"`",
        Rule::any_reason => "`cualquiera`",
        Rule::auto_close_decl => "`cierre automático …`",
        Rule::duration => "un plazo (`3 días hábiles`)",
        Rule::business_unit => "`hábiles`",
        Rule::calendar_unit => "`calendario`",
        Rule::category_block => "`categoría \"…\" { … }`",
        Rule::description_clause => "`descripción \"…\"`",
        Rule::ans_clause => "`ans N días hábiles`",
        Rule::counts_reception => "`cuenta el día de recepción`",
        Rule::channels_clause => "`canales a, b`",
        Rule::alias_clause => "`alias \"…\"`",
        Rule::exceptions_block => "`excepciones { … }`",
        Rule::cutoff_clause => "`recibidas antes de HH:MM`",
        Rule::exception_type => "`tipo \"…\"`",
        Rule::banner_block => "`banner { … }`",
        Rule::formats_clause => "`formatos a, b`",
        Rule::weight_clause => "`peso máximo N KiB`",
        Rule::size_unit => "una unidad de tamaño (`B`, `KB`, `KiB`, `MB`, `MiB`)",
        Rule::placement_decl => "`ubicación \"…\" ANCHOxALTO`",
        Rule::max_active => "`máximo N vigentes`",
        Rule::permanence_clause => "`permanencia máxima N meses`",
        Rule::words_clause => "`palabras título N descripción N llamado N`",
        Rule::word_limit | Rule::word_field => "`título N`, `descripción N` o `llamado N`",
        Rule::sms_block => "`sms { … }`",
        Rule::column_decl => "`columna rol \"Nombre\"`",
        Rule::length_clause => "`longitud máxima N caracteres`",
        Rule::no_accents_clause => "`sin tildes`",
        Rule::id_clause => "`cédula de N a M dígitos`",
        Rule::no_leading_zero => "`sin cero inicial`",
        Rule::documents_block => "`documentos { … }`",
        Rule::no_password => "`sin contraseña`",
        Rule::searchable => "`texto buscable`",
        Rule::no_metadata => "`sin metadatos`",
        Rule::accessibility => "`accesibilidad a, b`",
        Rule::sampling_block => "`muestreo mensual { … }`",
        Rule::confidence_clause => "`confianza N %`",
        Rule::margin_clause => "`error N %`",
        Rule::proportion_clause => "`proporción X`",
        Rule::population_clause => "`población solucionados en el mes`",
        Rule::rule_block => "`regla \"…\" error|aviso { … }`",
        Rule::severity => "`error` o `aviso`",
        Rule::subject => "`sobre caso|banner|sms|documento`",
        Rule::when_clause => "`cuando `…``",
        Rule::require_clause => "`exige `…``",
        Rule::message_clause => "`mensaje \"…\"`",
        Rule::calendar_header => "`calendario \"nombre\" zona \"…\" -05:00`",
        Rule::utc_offset => "un desfase UTC (`-05:00`)",
        Rule::day_rule => "`festivo \"…\" fecha` o `cierre \"…\" fecha`",
        Rule::day_kind => "`festivo` o `cierre`",
        Rule::easter_offset => "`pascua ±N`",
        Rule::nth_weekday => "`tercer viernes de abril`",
        Rule::moved => "`trasladable`",
        Rule::from_year => "`desde AAAA`",
        Rule::until_year => "`hasta AAAA`",
        Rule::legal_basis => "`norma \"…\"`",
        Rule::text_block => "un texto entre comillas \"…\" (puede seguir en otros \"…\")",
        Rule::objective_decl => "`objetivo \"…\"`",
        Rule::scope_decl => "`alcance \"…\"`",
        Rule::definition_decl => "`definición \"Término\" \"…\"`",
        Rule::condition_decl => "`condición \"…\"`",
        Rule::responsible_decl => "`responsable \"Cargo / Dependencia\" [numeral \"…\"] \"…\"`",
        Rule::ident_char | Rule::A | Rule::E | Rule::I | Rule::O | Rule::U | Rule::N => "una letra",
        Rule::arrow => "`->`",
        Rule::statement_keyword
        | Rule::unknown_rest
        | Rule::balanced
        | Rule::procedure_item
        | Rule::category_item
        | Rule::exception_item
        | Rule::banner_item
        | Rule::sms_item
        | Rule::document_item
        | Rule::sampling_item
        | Rule::rule_item
        | Rule::calendar_item
        | Rule::rule_modifier => "una declaración",
        Rule::date_rule => "una fecha (`MM-DD`, `AAAA-MM-DD`, `pascua ±N` o `tercer viernes de abril`)",
    }
}

/// Turn a pest error into a P001 diagnostic with the expected tokens in Spanish.
pub fn syntax_diagnostic(error: &pest::error::Error<Rule>, text: &str) -> Diagnostic {
    let start = match error.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    let rest = text.get(start..).unwrap_or("");
    let line = rest.split('\n').next().unwrap_or("").trim_end_matches('\r');
    // The offending token: a whole quoted text when it starts with a quote, else up to a space.
    let (token, unclosed) = match line.strip_prefix('"') {
        Some(after) => match after.find('"') {
            Some(end) => (&line[..end + 2], false),
            None => (line, true),
        },
        None => match line.strip_prefix('`') {
            Some(after) => match after.find('`') {
                Some(end) => (&line[..end + 2], false),
                None => (line, true),
            },
            None => (line.split(char::is_whitespace).next().unwrap_or(""), false),
        },
    };
    let found = if token.is_empty() {
        "el fin del archivo".to_string()
    } else {
        format!("`{}`", crate::text::shown(token))
    };
    let width = token.len().max(1);
    let message = match &error.variant {
        ErrorVariant::ParsingError { positives, .. } if !positives.is_empty() => {
            let mut labels: Vec<&str> = positives.iter().map(|r| rule_label(*r)).collect();
            labels.sort_unstable();
            labels.dedup();
            format!("se esperaba {}; se encontró {found}", join_alternatives(&labels))
        }
        ErrorVariant::ParsingError { .. } => format!("no se esperaba {found} aquí"),
        // pest's own custom errors are its English nesting limits ("stack limit reached").
        ErrorVariant::CustomError { .. } => {
            "el archivo anida demasiados bloques `{ … }` para leerlo; revise que cada `{` tenga su `}`"
                .to_string()
        }
    };
    let mut diagnostic = Diagnostic::new(Code::Syntax, Span::new(start, start + width), message);
    let whole_line = {
        let line_start = text[..start.min(text.len())].rfind('\n').map_or(0, |i| i + 1);
        text[line_start..].split('\n').next().unwrap_or("")
    };
    if let Some(hint) = hint(text, start, whole_line, token, &diagnostic.message) {
        return diagnostic.with_help(hint);
    }
    if unclosed {
        let what = if token.starts_with('`') {
            "la comilla invertida `"
        } else {
            "las comillas"
        };
        diagnostic = diagnostic.with_help(format!("¿falta cerrar {what} en esta línea?"));
    }
    diagnostic
}

/// Help for the mistakes a process owner makes most: a time in 12-hour form, the curly quotes a
/// word processor writes, a block whose `}` is missing (naming the line of its `{`).
fn hint(text: &str, start: usize, line: &str, token: &str, message: &str) -> Option<String> {
    let compact: String = line
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let twelve_hour = ["a.m", "p.m", "am.", "pm."].iter().any(|suffix| {
        compact
            .match_indices(suffix)
            .any(|(at, _)| compact[..at].chars().last().is_some_and(|c| c.is_ascii_digit()))
    });
    if twelve_hour {
        return Some(
            "escriba las horas en formato de 24 horas, sin a. m. ni p. m.: 08:00 en lugar de 8:00 a. m., 17:00 en lugar de 5:00 p. m."
                .to_owned(),
        );
    }
    if line.contains(['“', '”', '‘', '’', '«', '»']) {
        return Some(
            "use comillas rectas \"…\" (Mayús + 2 en el teclado); un procesador de texto como Word las cambia por “…”: escriba la política en un editor de texto plano"
                .to_owned(),
        );
    }
    // A statement keyword where a block's items were expected: the block above was not closed.
    const STATEMENTS: &[&str] = &[
        "procedimiento",
        "version",
        "calendario",
        "horario",
        "fuera",
        "estados",
        "canal",
        "transicion",
        "cierre",
        "categoria",
        "excepciones",
        "banner",
        "sms",
        "documentos",
        "muestreo",
        "regla",
    ];
    let statement = STATEMENTS.contains(&crate::text::match_key(token).as_str());
    let at_end = token.is_empty() || message.contains("`}`") || statement;
    if at_end && let Some(open) = unclosed_brace(&text[..start.min(text.len())]) {
        let line = text[..open].matches('\n').count() + 1;
        return Some(format!(
            "falta cerrar la llave `{{` abierta en la línea {line}: agregue `}}` al final de ese bloque"
        ));
    }
    None
}

/// The offset of the innermost `{` still open at the end of `text` (strings, backtick code and
/// comments skipped).
fn unclosed_brace(text: &str) -> Option<usize> {
    let mut open = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((at, ch)) = chars.next() {
        match ch {
            '{' => open.push(at),
            '}' => {
                open.pop();
            }
            '"' => {
                while let Some((_, c)) = chars.next() {
                    match c {
                        '\\' => {
                            chars.next();
                        }
                        '"' | '\n' => break,
                        _ => {}
                    }
                }
            }
            '`' => {
                for (_, c) in chars.by_ref() {
                    if c == '`' {
                        break;
                    }
                }
            }
            '#' => {
                for (_, c) in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            _ => {}
        }
    }
    open.pop()
}

fn join_alternatives(labels: &[&str]) -> String {
    match labels {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} o {last}", init.join(", ")),
    }
}
