//! Diagnostics of policy files: stable codes, Spanish messages, positions, and rendering.

use serde::Serialize;

use super::source::{SourceFile, Span};

/// How serious a diagnostic is: errors make `pauta check` fail, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The policy cannot be used.
    Error,
    /// The policy works, but something deserves a look.
    Warning,
}

impl Severity {
    /// Spanish label.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "aviso",
        }
    }
}

/// One entry of the diagnostic catalogue: the code, what it means and how to fix it.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct CatalogueEntry {
    /// Stable code, e.g. `P010`.
    pub code: &'static str,
    /// The severity every diagnostic with this code has.
    pub severity: Severity,
    /// What the problem is, in Spanish.
    pub meaning: &'static str,
    /// How to fix it, in Spanish.
    pub fix: &'static str,
}

crate::codes::catalogue! {
    /// Every diagnostic pauta can report about a policy file. The code never changes meaning.
    #[derive(Serialize)]
    pub enum Code in CATALOGUE: [CatalogueEntry] {
        Syntax = "P001", "Error de sintaxis: el texto no sigue la gramática del lenguaje." { severity: Severity::Error, fix: "Revise la línea señalada: compare con los ejemplos de la guía y cierre comillas, comillas invertidas y llaves." };
        UnknownKeyword = "P002", "Palabra clave desconocida al inicio de una declaración." { severity: Severity::Error, fix: "Corrija la palabra (vea la sugerencia) o conviértala en comentario con `#`." };
        Missing = "P003", "Falta una declaración obligatoria (versión, calendario, horario, estados…)." { severity: Severity::Error, fix: "Agregue la declaración indicada; la guía muestra su forma." };
        Repeated = "P004", "Una declaración que solo puede aparecer una vez aparece varias veces." { severity: Severity::Error, fix: "Deje una sola y borre las demás." };
        InvalidValue = "P005", "Un valor no es válido (fecha, hora, porcentaje, número fuera de rango)." { severity: Severity::Error, fix: "Escriba un valor válido: fechas AAAA-MM-DD, horas HH:MM, porcentajes entre 0 y 100." };
        DuplicateDefinition = "P006", "Dos definiciones tienen el mismo término, ignorando mayúsculas y tildes." { severity: Severity::Error, fix: "Deje una sola `definición` por término: borre la repetida o corrija el término." };
        UnknownState = "P010", "Una transición o cierre automático nombra un estado que no está declarado en `estados`." { severity: Severity::Error, fix: "Use el nombre exacto de un estado declarado (vea la sugerencia) o declárelo." };
        DuplicateState = "P011", "Dos estados (o un estado y un alias) tienen el mismo nombre, ignorando mayúsculas y tildes." { severity: Severity::Error, fix: "Renombre o borre uno de los dos." };
        InitialState = "P012", "No hay exactamente un estado `inicial`." { severity: Severity::Error, fix: "Marque como `inicial` uno y solo un estado." };
        SolutionState = "P013", "No hay exactamente un estado `solución`." { severity: Severity::Error, fix: "Marque como `solución` uno y solo un estado (en v11, \"Solucionado\")." };
        Unreachable = "P014", "Un estado que no es inicial no tiene ninguna transición de entrada." { severity: Severity::Error, fix: "Agregue la transición que lleva a ese estado (si el procedimiento no la escribe, márquela `implícita`)." };
        NoWayOut = "P015", "Un estado que no es final no tiene ninguna transición de salida." { severity: Severity::Error, fix: "Agregue la transición de salida o marque el estado como `final`." };
        StateFlags = "P016", "Un estado tiene marcas contradictorias o le falta el modo de reloj." { severity: Severity::Error, fix: "Cada estado lleva un modo de reloj (`corre`, `pausa` o `final`); `inicial` no puede ser `final`." };
        DuplicateReason = "P020", "La misma razón aparece dos veces para la misma transición." { severity: Severity::Error, fix: "Borre la repetida." };
        AutoClose = "P021", "El cierre automático no es coherente (plazo ≤ 0 o no sale del estado de solución)." { severity: Severity::Error, fix: "Use un plazo positivo y el estado `solución` como origen." };
        DuplicateCategory = "P030", "Dos categorías (o una categoría y un alias) tienen el mismo nombre, ignorando mayúsculas y tildes." { severity: Severity::Error, fix: "Renombre o borre uno de los dos; los alias deben ser únicos en todo el archivo." };
        AnsNotPositive = "P031", "El ANS es cero o negativo." { severity: Severity::Error, fix: "Escriba un número de días hábiles mayor que cero." };
        CategoryIncomplete = "P032", "A una categoría le falta el ANS o la descripción." { severity: Severity::Error, fix: "Agregue `ans N días hábiles` y `descripción \"…\"` dentro de la categoría." };
        UnknownChannel = "P033", "Una categoría nombra un canal que no está declarado con `canal`." { severity: Severity::Error, fix: "Use un canal declarado (vea la sugerencia) o declárelo con `canal clave \"Nombre\"`." };
        DuplicateChannel = "P034", "Un canal está declarado dos veces." { severity: Severity::Error, fix: "Borre la declaración repetida." };
        DuplicateException = "P040", "Un tipo de excepción (o alias) está repetido." { severity: Severity::Error, fix: "Borre el repetido." };
        ExceptionsIncomplete = "P041", "Al bloque `excepciones` le falta el ANS o la hora límite de recepción." { severity: Severity::Error, fix: "Agregue `ans 1 día hábil …` y `recibidas antes de HH:MM`." };
        AssetLimits = "P050", "Un límite de banner, SMS o documentos está repetido, vacío o incoherente." { severity: Severity::Error, fix: "Corrija el límite señalado; la guía muestra cada bloque completo." };
        UnknownCalendar = "P060", "El procedimiento usa un calendario que no existe." { severity: Severity::Error, fix: "Use el nombre que declara el encabezado `calendario \"…\"` de uno de los archivos de `policies/calendarios/` (vea la sugerencia)." };
        SameEffectiveDate = "P061", "Dos versiones del mismo procedimiento entran en vigencia el mismo día." { severity: Severity::Error, fix: "Corrija la fecha `vigente desde` de una de ellas." };
        DuplicateVersion = "P062", "Dos archivos declaran la misma versión del mismo procedimiento." { severity: Severity::Error, fix: "Cambie el número de versión de uno de ellos." };
        FileName = "P063", "El nombre del archivo no coincide con la versión declarada (se espera `v<N>.pauta`)." { severity: Severity::Warning, fix: "Renombre el archivo o corrija la versión." };
        DuplicateCalendar = "P064", "Dos archivos declaran el mismo calendario." { severity: Severity::Error, fix: "Borre o renombre uno de ellos." };
        CalendarTooShort = "P065", "El calendario termina antes de que la versión entre en vigencia: ningún caso se podría evaluar." { severity: Severity::Error, fix: "Amplíe el `hasta` del calendario (o quítelo) o corrija la fecha `vigente desde`." };
        RuleIncomplete = "P070", "A una regla le falta `exige` o `mensaje`, o los repite, o su sujeto no existe." { severity: Severity::Error, fix: "Una regla lleva un `exige` y un `mensaje`, un `cuando` opcional, y `sobre caso|banner|sms|documento`." };
        DuplicateRule = "P071", "Dos reglas tienen el mismo nombre." { severity: Severity::Error, fix: "Dé a cada regla un nombre único." };
        RuleScript = "P072", "La expresión rhai de una regla no compila o lee un campo que no existe." { severity: Severity::Error, fix: "Escriba una sola expresión que devuelva verdadero o falso, con los campos de la guía (p. ej. `caso.adjuntos.contains(\"socializacion\")`)." };
        RuleValue = "P073", "Una regla compara un campo con un texto que ese campo nunca tiene (una categoría, estado, excepción, resultado, canal, ubicación o formato mal escrito): la regla no se cumpliría nunca." { severity: Severity::Error, fix: "Escriba el valor exactamente como lo lista la ayuda (vea la sugerencia); `caso.resultado` vale `cumple`, `incumple`, `en curso`, `vencido` o `anulado`." };
        CalendarRule = "P080", "Una regla de calendario no es válida (fecha imposible, `desde` posterior a `hasta`, nombre repetido)." { severity: Severity::Error, fix: "Corrija la fecha o los años de vigencia." };
        OldDayForm = "P081", "Un día del año está escrito en la forma antigua MM-DD (mes primero), que se lee al revés de como se escribe en Colombia." { severity: Severity::Warning, fix: "Escríbalo a la española, `29 de junio`; `pauta fmt` lo reescribe. La forma MM-DD se acepta, con este aviso, hasta la próxima versión de pauta." };
        Unreadable = "P090", "No se pudo leer el archivo." { severity: Severity::Error, fix: "Verifique la ruta y los permisos, y que el archivo esté en UTF-8." };
        FormatChangesMeaning = "P091", "`pauta fmt` no reescribió un archivo porque el resultado no significaría lo mismo (comentarios, política compilada o diagnósticos distintos)." { severity: Severity::Error, fix: "El archivo queda como estaba. Es un defecto de pauta: repórtelo con el archivo adjunto." };
        ProjectFile = "P092", "El archivo `pauta.toml` del espacio de trabajo no es válido o nombra una ruta que no existe." { severity: Severity::Error, fix: "Corrija la clave o la ruta señalada; las claves son `politicas` y `asignacion`, con rutas relativas a la carpeta de `pauta.toml`." };
    }
}

impl Code {
    /// The default severity of this code.
    pub fn severity(self) -> Severity {
        self.entry().severity
    }
}

/// A problem found in a policy file, located by byte span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// `P…` code, stable across versions; documented in `pauta codes`.
    pub code: Code,
    /// What is wrong, one line in Spanish; user text in backticks.
    pub message: String,
    /// Byte range in the file the diagnostic points at.
    pub span: Span,
    /// How to fix it (often "¿quiso decir …?").
    pub help: Option<String>,
}

impl Diagnostic {
    /// A diagnostic with no help line.
    pub fn new(code: Code, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            message: message.into(),
            span,
            help: None,
        }
    }

    /// Add a help line.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Add "¿quiso decir `x`?" when there is a suggestion.
    pub fn with_suggestion(self, suggestion: Option<String>) -> Self {
        match suggestion {
            Some(s) => self.with_help(format!("¿quiso decir `{s}`?")),
            None => self,
        }
    }

    /// Resolve the span against its file, for printing.
    pub fn locate(&self, source: &SourceFile) -> Located {
        let start = source.position(self.span.start);
        let end = source.position(self.span.end.max(self.span.start));
        let line_text = source.line_text(start.line).to_string();
        let width = if end.line == start.line {
            end.column.saturating_sub(start.column).max(1)
        } else {
            line_text.chars().count().saturating_sub(start.column - 1).max(1)
        };
        Located {
            code: self.code.code(),
            severity: self.code.severity(),
            message: self.message.clone(),
            file: source.name.clone(),
            line: start.line,
            column: start.column,
            width,
            source_line: line_text,
            help: self.help.clone(),
        }
    }
}

/// A diagnostic resolved to file, line and column, ready to print or serialise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Located {
    /// `P…` code, stable across versions.
    pub code: &'static str,
    /// Error or warning; only errors make a policy unusable.
    pub severity: Severity,
    /// The Spanish message shown to the user.
    pub message: String,
    /// The file name as given on the command line or found in the folder.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column (characters).
    pub column: usize,
    /// Characters underlined from `column`.
    pub width: usize,
    /// The whole source line of `line`, without its line end, for the caret display.
    pub source_line: String,
    /// "¿quiso decir…?" or how to fix it, when known.
    pub help: Option<String>,
}

impl Located {
    /// Human form: header, location, source line with the span underlined, help.
    pub fn render(&self) -> String {
        let gutter = self.line.to_string().len();
        let pad = " ".repeat(gutter);
        let (shown_line, column, width) = source_window(&self.source_line, self.column, self.width);
        let mut out = format!(
            "{}[{}]: {}\n{pad}--> {}:{}:{}\n{pad} |\n{} | {}\n{pad} | {}{}\n",
            self.severity.label(),
            self.code,
            self.message,
            self.file,
            self.line,
            self.column,
            self.line,
            shown_line,
            " ".repeat(column.saturating_sub(1)),
            "^".repeat(width),
        );
        if let Some(help) = &self.help {
            out.push_str(&format!("{pad} = ayuda: {help}\n"));
        }
        out
    }
}

/// Characters of a source line shown around the column of a diagnostic.
const WINDOW_CHARS: usize = 100;

/// The part of a source line a diagnostic shows, with the caret's column and width in it: a
/// long line (a 20 KB rule) is cut to [`WINDOW_CHARS`] around the column, with `…` where cut,
/// and control characters (a NUL, a lone CR) are shown as `�` so the terminal gets only text.
fn source_window(line: &str, column: usize, width: usize) -> (String, usize, usize) {
    let chars: Vec<char> = line
        .chars()
        .map(|ch| {
            if ch.is_control() && ch != '\t' {
                '\u{FFFD}'
            } else {
                ch
            }
        })
        .collect();
    if chars.len() <= WINDOW_CHARS {
        return (chars.into_iter().collect(), column, width);
    }
    let at = column.saturating_sub(1).min(chars.len());
    let start = at.saturating_sub(WINDOW_CHARS / 2);
    let end = (start + WINDOW_CHARS).min(chars.len());
    let mut shown = String::new();
    if start > 0 {
        shown.push('…');
    }
    shown.extend(&chars[start..end]);
    if end < chars.len() {
        shown.push('…');
    }
    let column = at - start + 1 + usize::from(start > 0);
    let width = width.min(end.saturating_sub(at).max(1));
    (shown, column, width)
}

/// A file's diagnostics, returned when a file cannot compile (all of them, not only the first).
#[derive(Debug, Clone, thiserror::Error)]
#[error("{} problema(s) en {}", .diagnostics.len(), .file)]
pub struct PolicyErrors {
    /// The file the diagnostics belong to, as given.
    pub file: String,
    /// Every diagnostic, located.
    pub diagnostics: Vec<Located>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_cut_around_the_column_and_controls_hidden() {
        let line = format!("{}X{}", "a".repeat(500), "b".repeat(500));
        let (shown, column, width) = source_window(&line, 501, 1);
        assert!(shown.chars().count() <= WINDOW_CHARS + 2, "{shown}");
        assert_eq!(shown.chars().nth(column - 1), Some('X'));
        assert_eq!(width, 1);
        assert_eq!(source_window("a\u{0}b", 2, 1), ("a\u{FFFD}b".to_owned(), 2, 1));
    }

    #[test]
    fn codes_are_unique_and_sorted() {
        let codes: Vec<&str> = CATALOGUE.iter().map(|e| e.code).collect();
        let mut sorted = codes.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(codes, sorted);
    }

    #[test]
    fn renders_with_underline_and_help() {
        let source = SourceFile::new("p.pauta", "estados {\n  \"X\" corre\n}\n");
        let start = source.text.find("\"X\"").unwrap_or(0);
        let d = Diagnostic::new(Code::Unreachable, Span::new(start, start + 3), "sin entrada")
            .with_help("agregue una transición");
        let text = d.locate(&source).render();
        assert!(text.contains("error[P014]: sin entrada"));
        assert!(text.contains("--> p.pauta:2:3"));
        assert!(text.contains("2 |   \"X\" corre\n  |   ^^^\n"));
        assert!(text.contains("= ayuda: agregue una transición"));
    }
}
