//! What a rule can read: the fields of each subject (`caso`, `banner`, `sms`, `documento`),
//! with their types and meaning in Spanish. `check` rejects a field that is not listed here,
//! and the guide for process owners is tested against these tables.

use super::model::Subject;

/// A field a rule can read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    /// Name after the dot (`caso.adjuntos`).
    pub name: &'static str,
    /// rhai type, in Spanish (`texto`, `número`, `lista de textos`, `mapa`).
    pub kind: &'static str,
    /// What it holds.
    pub description: &'static str,
}

const fn field(name: &'static str, kind: &'static str, description: &'static str) -> Field {
    Field {
        name,
        kind,
        description,
    }
}

/// Fields of `caso`: the export's columns, the mapped fields and the evaluation.
pub const CASO: &[Field] = &[
    field("id", "texto", "número del caso"),
    field("categoria", "texto", "categoría, como la escribe la política"),
    field("estado", "texto", "estado actual según el archivo de casos"),
    field(
        "excepcion",
        "texto",
        "tipo de excepción (vacío si no es excepción)",
    ),
    field(
        "es_excepcion",
        "verdadero/falso",
        "si el caso va por el régimen de excepciones",
    ),
    field(
        "area",
        "texto",
        "área solicitante (vacío si la exportación no la trae)",
    ),
    field(
        "adjuntos",
        "lista de textos",
        "tipos de evidencia adjunta (columna `Adjuntos`)",
    ),
    field(
        "canales",
        "lista de textos",
        "canales de la categoría (`web`, `sms`, `email`, …)",
    ),
    field(
        "registrado",
        "texto",
        "fecha de registro, AAAA-MM-DDTHH:MM:SS-05:00",
    ),
    field("recibido", "texto", "fecha de recepción según el horario"),
    field(
        "plazo",
        "texto",
        "vencimiento con pausas (vacío si cae fuera del calendario)",
    ),
    field(
        "solucionado",
        "texto",
        "fecha de solución (vacío si no está solucionado)",
    ),
    field(
        "resultado",
        "texto",
        "`cumple`, `incumple`, `en curso`, `vencido` o `anulado` (como en los informes)",
    ),
    field("dias_tarde", "número", "días hábiles de retraso (0 si no hay)"),
    field("pausado_segundos", "número", "segundos hábiles en pausa"),
    field("version", "número", "versión de la política que juzga el caso"),
    field(
        "hallazgos",
        "lista de textos",
        "códigos de los hallazgos del historial (`H001`, …)",
    ),
    field(
        "columnas",
        "mapa",
        "todas las columnas de la exportación: `caso.columnas[\"Nombre de columna\"]`",
    ),
];

/// Fields of `banner`.
pub const BANNER: &[Field] = &[
    field("archivo", "texto", "nombre del archivo"),
    field(
        "formato",
        "texto",
        "formato real según su contenido (`jpeg`, `png`, …)",
    ),
    field("bytes", "número", "peso en bytes"),
    field("ancho", "número", "ancho en píxeles"),
    field("alto", "número", "alto en píxeles"),
    field("ubicacion", "texto", "ubicación, como la escribe la política"),
    field("titulo", "texto", "título"),
    field("descripcion", "texto", "descripción"),
    field("llamado", "texto", "llamado a la acción"),
    field("desde", "texto", "inicio de publicación, AAAA-MM-DD"),
    field("hasta", "texto", "fin de publicación, AAAA-MM-DD"),
];

/// Fields of `sms` (one row of the campaign file).
pub const SMS: &[Field] = &[
    field("fila", "número", "línea del archivo"),
    field("nombre", "texto", "nombre"),
    field("apellido", "texto", "apellido"),
    field("cedula", "texto", "número de cédula"),
    field("mensaje", "texto", "mensaje a enviar"),
    field(
        "columnas",
        "mapa",
        "todas las columnas de la fila: `sms.columnas[\"Nombre de columna\"]`",
    ),
];

/// Fields of `documento`.
pub const DOCUMENTO: &[Field] = &[
    field("archivo", "texto", "nombre del archivo"),
    field(
        "formato",
        "texto",
        "formato real según su contenido (`pdf`, `xlsx`, …)",
    ),
    field("bytes", "número", "peso en bytes"),
    field("paginas", "número", "páginas (PDF; 0 en otros formatos)"),
    field("titulo", "texto", "título de los metadatos (vacío si no tiene)"),
    field("idioma", "texto", "idioma declarado (vacío si no tiene)"),
];

/// The variable name of a subject in rules.
pub fn variable(subject: Subject) -> &'static str {
    match subject {
        Subject::Case => "caso",
        Subject::Banner => "banner",
        Subject::Sms => "sms",
        Subject::Document => "documento",
    }
}

/// The fields of a subject.
pub fn fields(subject: Subject) -> &'static [Field] {
    match subject {
        Subject::Case => CASO,
        Subject::Banner => BANNER,
        Subject::Sms => SMS,
        Subject::Document => DOCUMENTO,
    }
}

/// Every `<variable>.<field>` a rule's source reads, with its byte offset, in order.
pub fn fields_read(source: &str, variable: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    let pattern = format!("{variable}.");
    let mut from = 0;
    while let Some(at) = source.get(from..).and_then(|rest| rest.find(&pattern)) {
        let start = from + at;
        let before_ok = source
            .get(..start)
            .and_then(|head| head.chars().last())
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '.'));
        let name_start = start + pattern.len();
        let name: String = source
            .get(name_start..)
            .unwrap_or_default()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if before_ok && !name.is_empty() {
            found.push((name_start, name));
        }
        from = name_start;
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_fields_a_rule_reads() {
        let read = fields_read(
            "caso.adjuntos.contains(\"x\") && !micaso.area && caso.area == \"y\"",
            "caso",
        );
        let names: Vec<&str> = read.iter().map(|(_, n)| n.as_str()).collect();
        assert_eq!(names, ["adjuntos", "area"]);
    }
}
