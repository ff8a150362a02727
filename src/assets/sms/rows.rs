//! The checks of one row of an SMS list: field count, whitespace and empty required fields,
//! cédula format, and message length (GSM-7 or UCS-2) and tildes. Duplicates are found by the
//! callers, which see the rows in file order.

use super::super::gsm7::{diacritics, measure, ucs2_limit};
use super::super::input;
use super::super::{Code, Finding, Location};
use super::ColumnMatch;
use crate::policy::model::SmsLimits;
use crate::text::match_key;

/// One problem of a row, before it becomes a [`Finding`].
#[derive(Clone)]
pub(super) struct Problem {
    pub(super) code: Code,
    pub(super) column: Option<usize>,
    pub(super) reason: String,
}

/// Column roles resolved against the header.
pub(super) struct Layout {
    /// (procedure name, header index) of the required columns present.
    pub(super) present: Vec<(String, usize)>,
    /// Index of the cédula column.
    pub(super) cedula: Option<usize>,
    /// Index of the message column.
    pub(super) message: Option<usize>,
    /// Missing required columns (procedure names).
    pub(super) missing: Vec<String>,
    /// Header names.
    pub(super) headers: Vec<String>,
}

/// The roles of the policy's columns found in `headers`, and the report's column matches.
pub(super) fn layout(headers: &csv::StringRecord, limits: &SmsLimits) -> (Layout, Vec<ColumnMatch>) {
    let mut matches = Vec::new();
    let mut present = Vec::new();
    let mut missing = Vec::new();
    let (mut cedula, mut message) = (None, None);
    for column in &limits.columns {
        let names = std::iter::once(column.name.as_str()).chain(column.aliases.iter().map(String::as_str));
        let index = input::find_column(headers, names);
        matches.push(ColumnMatch {
            role: column.role.clone(),
            required: column.name.clone(),
            found: index.and_then(|i| headers.get(i)).map(str::to_string),
        });
        match index {
            Some(i) => {
                present.push((column.name.clone(), i));
                match match_key(&column.role).as_str() {
                    "cedula" => cedula = Some(i),
                    "mensaje" => message = Some(i),
                    _ => {}
                }
            }
            None => missing.push(column.name.clone()),
        }
    }
    let layout = Layout {
        present,
        cedula,
        message,
        missing,
        headers: headers.iter().map(str::to_string).collect(),
    };
    (layout, matches)
}

/// Access to the fields of one row, whether read from the file or repaired.
pub(super) trait Row {
    fn field(&self, i: usize) -> Option<&str>;
    fn count(&self) -> usize;
}

impl Row for csv::StringRecord {
    fn field(&self, i: usize) -> Option<&str> {
        self.get(i)
    }
    fn count(&self) -> usize {
        self.len()
    }
}

impl Row for Vec<String> {
    fn field(&self, i: usize) -> Option<&str> {
        self.get(i).map(String::as_str)
    }
    fn count(&self) -> usize {
        self.len()
    }
}

/// The checks of one row.
pub(super) struct RowChecker<'a> {
    limits: &'a SmsLimits,
    layout: &'a Layout,
    ucs2_max: usize,
    gsm_max: Option<usize>,
}

impl<'a> RowChecker<'a> {
    /// The checker of the rows of a file with this layout.
    pub(super) fn new(limits: &'a SmsLimits, layout: &'a Layout) -> Self {
        RowChecker {
            limits,
            layout,
            ucs2_max: ucs2_limit(limits.max_length.unwrap_or(160)) as usize,
            gsm_max: limits.max_length.map(|m| m as usize),
        }
    }

    /// Check one row, appending its problems (duplicates excepted); returns the cédula as a
    /// number when it is valid, for the duplicate check that the caller does in file order.
    pub(super) fn check(&self, fields: &impl Row, out: &mut Vec<Problem>) -> Option<u64> {
        if fields.count() != self.layout.headers.len() {
            out.push(Problem {
                code: Code::S011,
                column: None,
                reason: format!(
                    "la fila tiene {} campo(s) y el encabezado {}; revise separadores o comillas de más o de menos (los datos podrían estar corridos de columna).",
                    fields.count(),
                    self.layout.headers.len()
                ),
            });
            return None;
        }
        // Whitespace and empties on every required column.
        for (column, index) in &self.layout.present {
            let raw = fields.field(*index).unwrap_or("");
            let value = raw.trim();
            if value.len() != raw.len() {
                out.push(Problem {
                    code: Code::S010,
                    column: Some(*index),
                    reason: "tiene espacios al inicio o al final; quítelos (--fix lo hace).".into(),
                });
            }
            if value.is_empty() {
                out.push(Problem {
                    code: Code::S002,
                    column: Some(*index),
                    reason: format!("el campo «{column}» está vacío; complételo o quite la fila."),
                });
            }
        }
        let mut key = None;
        if let Some(index) = self.layout.cedula {
            let value = fields.field(index).unwrap_or("").trim();
            if !value.is_empty() {
                key = self.check_cedula(index, value, out);
            }
        }
        if let Some(index) = self.layout.message {
            let value = fields.field(index).unwrap_or("").trim();
            if !value.is_empty() {
                self.check_message(index, value, out);
            }
        }
        key
    }

    /// The problem of a row whose cédula already appeared at line `first`.
    pub(super) fn duplicate(&self, key: u64, first: u64) -> Problem {
        Problem {
            code: Code::S006,
            column: self.layout.cedula,
            reason: format!(
                "la cédula {key} ya aparece en la línea {first}; deje una sola fila por persona."
            ),
        }
    }

    fn check_cedula(&self, index: usize, value: &str, out: &mut Vec<Problem>) -> Option<u64> {
        if !value.bytes().all(|b| b.is_ascii_digit()) {
            let mut bad: Vec<char> = Vec::new();
            for c in value.chars().filter(|c| !c.is_ascii_digit()) {
                if !bad.contains(&c) && bad.len() < 5 {
                    bad.push(c);
                }
            }
            let bad: String = bad.into_iter().collect();
            out.push(Problem {
                code: Code::S003,
                column: Some(index),
                reason: format!(
                    "la cédula «{value}» tiene caracteres que no son dígitos («{bad}»); escríbala solo con números, sin puntos, espacios ni letras."
                ),
            });
            return None;
        }
        let digits = value.len();
        let mut valid = true;
        if let Some((min, max)) = self.limits.id_digits
            && (digits < min as usize || digits > max as usize)
        {
            valid = false;
            out.push(Problem {
                code: Code::S004,
                column: Some(index),
                reason: format!(
                    "la cédula «{value}» tiene {digits} dígito(s) y debe tener de {min} a {max}; verifique el número."
                ),
            });
        }
        if self.limits.id_no_leading_zero && value.starts_with('0') {
            valid = false;
            out.push(Problem {
                code: Code::S005,
                column: Some(index),
                reason: format!("la cédula «{value}» empieza por cero; las cédulas no empiezan por 0, verifique el número."),
            });
        }
        if valid { value.parse::<u64>().ok() } else { None }
    }

    fn check_message(&self, index: usize, value: &str, out: &mut Vec<Problem>) {
        let m = measure(value);
        if self.limits.no_accents && !m.ascii {
            let found = diacritics(value, &self.limits.accents_allowed);
            if !found.is_empty() {
                let shown: String = found.iter().take(8).collect();
                let allowed = if self.limits.accents_allowed.is_empty() {
                    String::new()
                } else {
                    format!(" (se permiten «{}»)", self.limits.accents_allowed)
                };
                out.push(Problem {
                    code: Code::S009,
                    column: Some(index),
                    reason: format!(
                        "el mensaje tiene tildes «{shown}»; escríbalo sin tildes{allowed}. --fix las cambia por la letra sin tilde."
                    ),
                });
            }
        }
        if let Some(c) = m.outside {
            let length = m.ucs2_units;
            if length > self.ucs2_max {
                out.push(Problem {
                    code: Code::S007,
                    column: Some(index),
                    reason: format!(
                        "el mensaje tiene {length} caracteres y contiene «{c}» (U+{:04X}), que no existe en GSM-7: se enviaría en UCS-2, cuyo límite es {}. Cambie ese carácter o acorte el mensaje en {}.",
                        u32::from(c),
                        self.ucs2_max,
                        length - self.ucs2_max
                    ),
                });
            } else {
                out.push(Problem {
                    code: Code::S008,
                    column: Some(index),
                    reason: format!(
                        "el mensaje contiene «{c}» (U+{:04X}), que no existe en GSM-7: se enviaría en UCS-2 (límite {}; tiene {length}). Cámbielo por un carácter GSM-7 para tener el límite completo.",
                        u32::from(c),
                        self.ucs2_max
                    ),
                });
            }
        } else if let Some(max) = self.gsm_max
            && m.septets > max
        {
            let chars = value.chars().count();
            let extension = if m.septets > chars {
                format!(" ({chars} caracteres; los de extensión ^ {{ }} \\ [ ~ ] | € cuentan 2)")
            } else {
                String::new()
            };
            out.push(Problem {
                code: Code::S007,
                column: Some(index),
                reason: format!(
                    "el mensaje mide {} en GSM-7{extension} y el máximo es {max}; acórtelo en {}.",
                    m.septets,
                    m.septets - max
                ),
            });
        }
    }
}

/// A row's problem as a finding of the report, at `line`.
pub(super) fn finding(name: &str, line: u64, layout: &Layout, problem: Problem) -> Finding {
    let column = problem.column.and_then(|i| layout.headers.get(i)).cloned();
    let mut location = Location::line(name, line);
    let message = match &column {
        Some(column) => {
            location = location.with_column(column);
            format!("`{name}` línea {line}, columna «{column}»: {}", problem.reason)
        }
        None => format!("`{name}` línea {line}: {}", problem.reason),
    };
    Finding::new(problem.code, message, location)
}
