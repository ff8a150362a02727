//! One registry of every code pauta prints — policy diagnostics (`P`), findings and rejected
//! rows (`H`, `I`, `R`), publication checks (`B`, `S`, `D`), and the errors that stop a command
//! (`E`, `M`, `N`, `A`, `F`, `C`, `K`, `G`, `U`) — each with its meaning in Spanish. The guide
//! lists exactly this registry (`pauta codes`), and a test keeps both in sync. It reads every
//! module's codes, so it sits at the top of the crate, beside the command line.

use serde::Serialize;

use crate::codes::Coded;

/// One code of the registry.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// The code, e.g. `E001`.
    pub code: &'static str,
    /// What it belongs to, in Spanish (e.g. «evaluación de una exportación»).
    pub family: &'static str,
    /// What it means, in Spanish.
    pub meaning: &'static str,
}

/// Every code of every family, in family and code order.
pub fn registry() -> Vec<Entry> {
    let mut entries = Vec::new();
    let mut push = |family: &'static str, codes: &[(&'static str, &'static str)]| {
        entries.extend(codes.iter().map(|&(code, meaning)| Entry {
            code,
            family,
            meaning,
        }));
    };
    let policy: Vec<(&str, &str)> = crate::policy::CATALOGUE
        .iter()
        .map(|e| (e.code, e.meaning))
        .collect();
    push("archivos de política", &policy);
    let findings: Vec<(&str, &str)> = crate::cases::FindingCode::ALL
        .iter()
        .map(|c| (c.code(), c.meaning()))
        .collect();
    push("hallazgos en un caso", &findings);
    let rejections: Vec<(&str, &str)> = crate::cases::RejectCode::ALL
        .iter()
        .map(|c| (c.code(), c.meaning()))
        .collect();
    push("filas rechazadas", &rejections);
    let assets: Vec<(&str, &str)> = crate::assets::CATALOGUE
        .iter()
        .map(|e| (e.code, e.meaning))
        .collect();
    push("revisión de piezas (banner, SMS, documentos)", &assets);
    push("evaluación de una exportación", crate::cases::RunError::CODES);
    push(
        "archivo de asignación",
        crate::cases::mapping::MappingError::CODES,
    );
    push("nueva versión", crate::policy::versioning::VersionError::CODES);
    push("informe mensual", crate::report::ReportError::CODES);
    push("comparación de versiones", crate::diff::DiffError::CODES);
    push("calendario", crate::calendar::CalendarError::CODES);
    push(
        "revisión de piezas: no se pudo revisar",
        crate::assets::AssetError::CODES,
    );
    push("exportación sintética", crate::generate::GenerateError::CODES);
    push(
        "banco de trabajo web: no pudo iniciar",
        crate::web::WebError::CODES,
    );
    push(
        "banco de trabajo web: petición rechazada",
        crate::web::REQUEST_CODES,
    );
    push("línea de órdenes", COMMAND_LINE);
    entries
}

/// The code of `error` when it is one of the library's stopping errors (each implements
/// [`Coded`]); `None` for anything else. A front end walks the chain of causes with it, so it
/// never needs to know the error types.
pub fn code_of(error: &(dyn std::error::Error + 'static)) -> Option<&'static str> {
    macro_rules! families {
        ($($family:ty),* $(,)?) => {
            $(if let Some(inner) = error.downcast_ref::<$family>() {
                return Some(inner.code());
            })*
        };
    }
    families!(
        crate::cases::RunError,
        crate::cases::mapping::MappingError,
        crate::policy::set::LoadError,
        crate::policy::workspace::WorkspaceError,
        crate::policy::versioning::VersionError,
        crate::report::ReportError,
        crate::diff::DiffError,
        crate::calendar::CalendarError,
        crate::assets::AssetError,
        crate::generate::GenerateError,
        crate::web::WebError,
    );
    None
}

/// The codes of the command line itself: how it was called, not what it read.
pub const COMMAND_LINE: &[(&str, &str)] = &[
    (
        "U001",
        "Un valor no es válido para su opción (un formato, un número, una fecha).",
    ),
    ("U002", "La opción no existe en ese comando."),
    ("U003", "El comando no existe."),
    ("U004", "Falta un argumento o un comando obligatorio."),
    ("U005", "Dos opciones no se pueden usar juntas."),
    (
        "U006",
        "Una opción recibió más o menos valores de los que admite.",
    ),
    ("U007", "Un argumento no es texto válido (UTF-8)."),
    ("U008", "La línea de órdenes no se pudo leer."),
    (
        "U010",
        "No hay una política con ese código o versión en las políticas cargadas.",
    ),
    ("U011", "No hay un calendario con ese nombre, o falta indicarlo."),
    (
        "U012",
        "Un archivo de salida no se pudo crear o escribir (el anterior queda intacto).",
    ),
    (
        "U013",
        "Una opción no tiene sentido con las demás (p. ej. un informe sin historial sin --sin-historial).",
    ),
    ("U014", "Un valor de fecha u hora no se pudo leer."),
    (
        "U099",
        "Un error que pauta no clasificó: es un defecto; repórtelo con el mensaje.",
    ),
];

/// The registry as the Markdown table the guide includes.
pub fn markdown_table() -> String {
    let mut text = String::from("| Código | De qué | Qué significa |\n|---|---|---|\n");
    for entry in registry() {
        text.push_str(&format!(
            "| `{}` | {} | {} |\n",
            entry.code,
            entry.family,
            entry.meaning.replace('|', "\\|")
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_registered_once() {
        let mut codes: Vec<&str> = registry().iter().map(|e| e.code).collect();
        let count = codes.len();
        codes.sort_unstable();
        codes.dedup();
        // R001–R003 are the same rule codes for cases and for pieces.
        assert_eq!(count - codes.len(), 3, "duplicated codes");
    }
}
