//! Spanish text forms shared by the human-readable renderers (Markdown, HTML, XLSX labels):
//! local date-times, percentages and decimals with a decimal comma, and the report's fixed
//! sentences (method, conclusion, how to re-derive the sample).

use super::model::{Report, ReportCase};
use super::stats::Proportion;
use crate::calendar::LocalSeconds;
use crate::calendar::clock::naive_of;
use crate::cases::output::timestamp;

/// `2024-06-05 10:00:00` (local time), or `—` when absent.
pub fn local(at: Option<LocalSeconds>) -> String {
    at.and_then(naive_of).map_or_else(
        || "—".to_owned(),
        |moment| moment.format("%Y-%m-%d %H:%M:%S").to_string(),
    )
}

/// RFC 3339 with the calendar's offset, or empty.
pub fn rfc3339(at: Option<LocalSeconds>, utc_offset_seconds: i32) -> String {
    at.map(|at| timestamp(at, utc_offset_seconds)).unwrap_or_default()
}

/// A number with `decimals` decimals and a decimal comma: `87,5` ([`crate::wording::decimal`]).
pub fn decimal(value: f64, decimals: usize) -> String {
    crate::wording::decimal(value, decimals)
}

/// A rate as a percentage with one decimal: `87,5 %`.
pub fn percent(rate: f64) -> String {
    format!("{} %", decimal(rate * 100.0, 1))
}

/// `78,5–93,1 %`.
pub fn interval(proportion: &Proportion) -> String {
    format!(
        "{}–{} %",
        decimal(proportion.ci_low * 100.0, 1),
        decimal(proportion.ci_high * 100.0, 1)
    )
}

/// The confidence level as a percentage without needless decimals: `95 %`.
pub fn confidence(report: &Report) -> String {
    let percent = report.size.confidence * 100.0;
    if (percent - percent.round()).abs() < 1e-9 {
        format!("{percent:.0} %")
    } else {
        format!("{} %", decimal(percent, 2))
    }
}

/// The document title (HTML `<title>`, workbook properties):
/// `Informe de control de ANS — M1-3-06 — junio de 2024`.
pub fn title(report: &Report) -> String {
    format!(
        "Informe de control de ANS — {} — {}",
        report.procedure,
        report.month.spanish()
    )
}

/// `text` with its first letter in capitals.
pub fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The category, with the exception type when there is one.
pub fn category(case: &ReportCase) -> String {
    match &case.exception {
        Some(exception) => format!("{} (excepción: {exception})", case.category),
        None => case.category.clone(),
    }
}

/// Business days used with two decimals, or `—`.
pub fn days_used(case: &ReportCase) -> String {
    case.business_days_used
        .map_or_else(|| "—".to_owned(), |days| decimal(days, 2))
}

/// Business days available with two decimals, or `—`.
pub fn days_available(case: &ReportCase) -> String {
    case.business_days_available
        .map_or_else(|| "—".to_owned(), |days| decimal(days, 2))
}

/// The finding codes of a case, `H001 H009`, or `—`.
pub fn findings(case: &ReportCase) -> String {
    if case.findings.is_empty() {
        "—".to_owned()
    } else {
        case.finding_labels().join(" ")
    }
}

/// What the report says instead of a rate when no case was solved in the month.
pub const NO_RATE: &str = "no se puede calcular el cumplimiento: ningún caso se solucionó en el mes (sin contar \
anulados), así que no hay muestra ni censo, ni tasa ni intervalo";

/// The one-paragraph conclusion.
pub fn conclusion(report: &Report) -> String {
    let mut text = match (&report.sample_compliance, &report.population_compliance) {
        (Some(sample), Some(population)) => format!(
            "Cumplimiento estimado del {} (IC {}: {}), según una muestra aleatoria de {} de los {} casos solucionados en {}. \
             El censo de los {} casos da {} ({} cumplen, {} incumplen).",
            percent(sample.rate),
            confidence(report),
            interval(sample),
            report.size.size,
            report.size.population,
            report.month.spanish(),
            report.size.population,
            percent(population.rate),
            population.met,
            population.breached,
        ),
        _ => format!("En {} {}.", report.month.spanish(), NO_RATE),
    };
    match report.overdue.len() {
        0 => text.push_str(" Ningún caso abierto estaba vencido al cierre del mes."),
        1 => text.push_str(" 1 caso abierto estaba vencido al cierre del mes (se lista aparte)."),
        count => text.push_str(&format!(
            " {count} casos abiertos estaban vencidos al cierre del mes (se listan aparte)."
        )),
    }
    text
}

/// A piece of a sentence of the method: plain text, or a literal (a seed, a flag, a formula
/// input) that Markdown shows as code, HTML in `<code>` and the workbook between «».
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Span {
    /// Plain text.
    Text(String),
    /// A value the user typed or the data holds, shown as is (code, «…»).
    Literal(String),
}

/// One paragraph of the method.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Sentence(pub Vec<Span>);

impl Sentence {
    fn text(mut self, text: impl Into<String>) -> Self {
        self.0.push(Span::Text(text.into()));
        self
    }

    fn literal(mut self, text: impl Into<String>) -> Self {
        self.0.push(Span::Literal(text.into()));
        self
    }

    /// Plain text, literals between «» (the workbook, the command line).
    pub fn plain(&self) -> String {
        self.0
            .iter()
            .map(|span| match span {
                Span::Text(text) => text.clone(),
                Span::Literal(text) => format!("«{text}»"),
            })
            .collect()
    }
}

/// The method, in plain Spanish, one paragraph per item.
pub fn method(report: &Report) -> Vec<Sentence> {
    let size = &report.size;
    let no_history = report
        .inputs
        .iter()
        .any(|input| input.role == "historial" && input.sha256.is_empty());
    let mut lines = vec![Sentence::default().text(format!(
        "Población: los {} casos cuya fecha de solución (hora de Bogotá) cae entre el {} y el {}, sin los anulados, \
         evaluados con el reloj del ANS de pauta evaluate con fecha de corte {}. Los casos abiertos vencidos a esa fecha \
         no tienen solución y se listan aparte, para que una muestra de solucionados no los oculte.",
        size.population,
        local(Some(report.month.first_instant())),
        local(Some(report.month.last_instant())),
        local(Some(report.as_of)),
    ))];
    if report.has_population() {
        let formula = match (size.n0, size.margin, size.proportion) {
            (Some(n0), Some(margin), Some(proportion)) => format!(
                "n₀ = z²·p(1−p)/e² con confianza {} (z = {}), error e = {} y proporción p = {} da n₀ = {}; \
                 con la corrección por población finita, n = ⌈n₀ / (1 + (n₀ − 1)/N)⌉ = {} (nunca mayor que N)",
                confidence(report),
                decimal(size.z, 6),
                decimal(margin * 100.0, 1).trim_end_matches(",0").to_owned() + " %",
                decimal(proportion, 2),
                decimal(n0, 2),
                super::sample::corrected_size(n0, size.population),
            ),
            _ => "la política no tiene bloque de muestreo".to_owned(),
        };
        if size.overridden {
            lines.push(Sentence::default().text(format!(
                "Tamaño de la muestra: {} casos, fijado con --size (según el bloque de muestreo de la versión {}: {formula}).",
                size.size, report.sampling_version
            )));
        } else {
            lines.push(Sentence::default().text(format!(
                "Tamaño de la muestra: bloque de muestreo de la versión {} (vigente el primer día del mes): {formula}.",
                report.sampling_version
            )));
        }
        let seed = Sentence::default()
            .text("Selección: para cada caso de la población se calcula el SHA-256 (hexadecimal en minúsculas) del texto ")
            .literal("<semilla>:<caso>")
            .text(" con la semilla ")
            .literal(report.seed.clone());
        let seed = if report.seed_given {
            seed.text(", dada con --seed")
        } else {
            seed.text(" (sin --seed se usa el código del procedimiento y el mes)")
        };
        lines.push(seed.text(format!(
            "; los casos se ordenan por ese valor de menor a mayor y se toman los primeros {}. \
             No depende del orden del archivo: cualquiera puede repetirla con la semilla y los números de caso.",
            size.size
        )));
        lines.push(Sentence::default().text(format!(
            "Cumplimiento: cumplen / (cumplen + incumplen), con el intervalo de Wilson al {} para la muestra. \
             El censo es exacto; su intervalo de Wilson (con n = N) se da como referencia del proceso.",
            confidence(report)
        )));
    } else {
        lines.push(Sentence::default().text(format!(
            "Muestra y cumplimiento: {NO_RATE}. El informe solo lista los casos abiertos vencidos al cierre."
        )));
    }
    lines.push(Sentence::default().text(
        "Días hábiles usados y disponibles: los usados son el tiempo hábil desde la recepción hasta la solución (o hasta el \
         corte, si el caso sigue abierto), sin el tiempo en pausa; los disponibles, el que el ANS daba al caso desde su \
         recepción hasta el cierre del día de vencimiento (el mismo que muestra pauta explain; cuando el día de recepción \
         cuenta, puede superar el número de días del ANS). Ambos se dividen por 32 400 s (un día hábil de 08:00 a 17:00). \
         Un caso cumple si los usados no superan los disponibles; la distribución del tiempo usado compara lo mismo. \
         Los hallazgos H011 y H012 (hechos posteriores al corte) no se muestran: el corte es el del informe.",
    ));
    if no_history {
        lines.push(Sentence::default().text(
            "Sin historial: el informe se generó sin archivo de historial (--sin-historial), así que no se descuentan \
             pausas ni se revisan transiciones; el cumplimiento puede ser menor que el real.",
        ));
    }
    lines
}

/// What the reviewer of the sample does, above the review table.
pub const REVIEW_INSTRUCTIONS: &str = "Para cada caso de la muestra, quien revisa abre el caso en Aranda, comprueba las fechas, \
el resultado y los hallazgos que muestra este informe, marca «Revisado» con Sí o No y anota en «Observación» lo que \
encuentre. Al terminar, completa y firma las líneas de abajo.";

/// The lines to fill in and sign under the review table.
pub fn signature_lines(report: &Report) -> Vec<String> {
    let blank = "______________________________";
    let mut lines = Vec::new();
    if !report.sample.is_empty() {
        lines.push(format!("Casos revisados: ________ de {}", report.sample.len()));
    }
    lines.extend([
        format!("Revisó: {blank}"),
        format!("Cargo: {blank}"),
        format!("Fecha: {blank}"),
        format!("Firma: {blank}"),
    ]);
    lines
}

/// How to re-derive the sample: the evaluation at the report's cut, then three lines of Python
/// (population = solved in the month, not annulled; order by SHA-256 of `<seed>:<id>`; first n).
pub fn python_snippet(report: &Report) -> String {
    format!(
        "pauta evaluate --cases CASOS.csv --history HISTORIAL.csv --as-of '{}' --output evaluacion.csv\n\
         python3 -c '\n\
         import csv, hashlib\n\
         poblacion = [f[\"case_id\"] for f in csv.DictReader(open(\"evaluacion.csv\", encoding=\"utf-8\")) if f[\"solved_at\"][:7] == \"{}\" and f[\"outcome\"] != \"annulled\"]\n\
         print(sorted(poblacion, key=lambda caso: hashlib.sha256((\"{}:\" + caso).encode()).hexdigest())[:{}])'",
        local(Some(report.as_of)),
        report.month.key(),
        report
            .seed
            .replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace('\'', "'\"'\"'"),
        report.size.size
    )
}
