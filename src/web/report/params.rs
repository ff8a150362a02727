//! The choices of a report, as the address carries them (`?semilla=…&tamano=…&generado=…`):
//! read and checked here, and written back into the addresses of the frame and the downloads so
//! they ask for the very same report.

use axum::http::StatusCode;

use crate::web::PageError;
use crate::web::guard::query_escape;

/// The query of the report's addresses, as sent (every field optional).
#[derive(Debug, Default, serde::Deserialize)]
pub struct Query {
    /// The month chosen on the months page (`AAAA-MM`).
    pub mes: Option<String>,
    /// The seed (`--seed`).
    pub semilla: Option<String>,
    /// The sample size (`--size`).
    pub tamano: Option<String>,
    /// The generation date (`--generated-at`), 'AAAA-MM-DD HH:MM:SS'.
    pub generado: Option<String>,
}

/// The longest seed accepted.
const MAX_SEED: usize = 500;

/// The choices of one report, checked.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Choices {
    /// The seed; `None` derives `<procedimiento>:<AAAA-MM>` as the command line does.
    pub seed: Option<String>,
    /// The sample size; `None` uses the policy's `muestreo` block.
    pub size: Option<u64>,
    /// The generation date as typed (trimmed); `None` until the page fills in now.
    pub generated: Option<String>,
}

impl Choices {
    /// Reads the choices of `query`; a size that is not a whole number from 1 up, or a seed
    /// over 500 characters, is refused with `U001` (the command line's code for a bad value).
    pub fn read(query: &Query) -> Result<Self, PageError> {
        let seed = query.semilla.clone().filter(|seed| !seed.is_empty());
        if seed.as_ref().is_some_and(|seed| seed.chars().count() > MAX_SEED) {
            return Err(bad_value(format!(
                "la semilla tiene más de {MAX_SEED} caracteres; use un texto más corto (por ejemplo, M1-3-06:2024-06)"
            )));
        }
        let size = match query.tamano.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            None => None,
            Some(text) => Some(text.parse::<u64>().ok().filter(|size| *size >= 1).ok_or_else(|| {
                bad_value(format!(
                    "el tamaño de la muestra «{text}» no es un número entero de 1 en adelante; escríbalo sin \
                     puntos ni espacios (por ejemplo, 120), o déjelo vacío para usar el del bloque `muestreo` \
                     de la política"
                ))
            })?),
        };
        let generated = query
            .generado
            .as_deref()
            .map(str::trim)
            .filter(|text| !text.is_empty())
            .map(str::to_owned);
        Ok(Self {
            seed,
            size,
            generated,
        })
    }

    /// The query string that carries these choices (`semilla=…&tamano=…&generado=…`), empty
    /// fields left out.
    pub fn query(&self) -> String {
        let mut parts = Vec::new();
        if let Some(seed) = &self.seed {
            parts.push(format!("semilla={}", query_escape(seed)));
        }
        if let Some(size) = self.size {
            parts.push(format!("tamano={size}"));
        }
        if let Some(generated) = &self.generated {
            parts.push(format!("generado={}", query_escape(generated)));
        }
        parts.join("&")
    }

    /// `path` with these choices as its query.
    pub fn address(&self, path: &str) -> String {
        let query = self.query();
        if query.is_empty() {
            path.to_owned()
        } else {
            format!("{path}?{query}")
        }
    }
}

/// A value of the form that cannot be used (`U001`, 400).
fn bad_value(message: String) -> PageError {
    PageError::new(StatusCode::BAD_REQUEST, "U001", message)
}

/// The generation date that cannot be read (`U014`, the command line's code and words).
pub fn bad_date(text: &str) -> PageError {
    PageError::new(
        StatusCode::BAD_REQUEST,
        "U014",
        format!(
            "la fecha de generación «{text}» no es una fecha y hora; use 'AAAA-MM-DD HH:MM:SS' (hora de Bogotá), \
             o deje el campo vacío para usar la hora actual"
        ),
    )
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests may panic: a failed unwrap is a failed test"
)]
mod tests {
    use super::*;

    fn query(seed: &str, size: &str, generated: &str) -> Query {
        Query {
            mes: None,
            semilla: Some(seed.to_owned()),
            tamano: Some(size.to_owned()),
            generado: Some(generated.to_owned()),
        }
    }

    #[test]
    fn choices_round_trip_through_the_address() {
        let choices = Choices::read(&query("a b&c", " 12 ", "2024-07-01 08:00:00")).unwrap();
        assert_eq!(choices.size, Some(12));
        assert_eq!(
            choices.query(),
            "semilla=a%20b%26c&tamano=12&generado=2024-07-01%2008%3A00%3A00"
        );
        let empty = Choices::read(&query("", "", " ")).unwrap();
        assert_eq!(empty.address("/x"), "/x");
        assert_eq!(empty.seed, None);
    }

    #[test]
    fn a_bad_size_or_a_long_seed_is_refused_with_u001() {
        for size in ["0", "-3", "doce", "1.5"] {
            assert_eq!(
                Choices::read(&query("", size, "")).unwrap_err().code,
                "U001",
                "{size}"
            );
        }
        let long = "x".repeat(MAX_SEED + 1);
        assert_eq!(Choices::read(&query(&long, "", "")).unwrap_err().code, "U001");
    }
}
