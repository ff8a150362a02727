//! The report as an XLSX workbook, one sheet per section of the report and in the same order as
//! the Markdown and HTML sections, with real dates, numbers and percentages (not text) so
//! auditors can filter and pivot: every table sheet has a header row, a filter and frozen panes.
//! Every text cell goes through [`crate::excel::write_export_text`], so a value from the export
//! that Excel would read as a formula stays text. The last sheet, «Revisión», is the reviewer's:
//! the sample with empty «Revisado» (Sí/No) and «Observación» columns and the lines to sign.

use chrono::NaiveDateTime;
use rust_xlsxwriter::{DataValidation, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use super::format::{
    NO_RATE, REVIEW_INSTRUCTIONS, category, conclusion, method, python_snippet, signature_lines, title,
};
use super::model::{Report, ReportCase};
use super::stats::Proportion;
use crate::calendar::LocalSeconds;
use crate::calendar::clock::naive_of;
use crate::excel::write_export_text;

/// A typed cell.
enum Cell {
    /// Text (from the export or ours): written with the quote prefix when formula-like.
    Text(String),
    /// A long text that wraps inside its column.
    Wrapped(String),
    Number(f64),
    Percent(f64),
    Decimal(f64),
    Date(Option<NaiveDateTime>),
    Day(chrono::NaiveDate),
    Empty,
}

fn text(value: impl Into<String>) -> Cell {
    Cell::Text(value.into())
}

fn int(value: impl Into<f64>) -> Cell {
    Cell::Number(value.into())
}

fn count(value: u64) -> Cell {
    Cell::Number(value as f64)
}

fn date(at: Option<LocalSeconds>) -> Cell {
    Cell::Date(at.and_then(naive_of))
}

struct Formats {
    header: Format,
    text: Format,
    wrapped: Format,
    date: Format,
    day: Format,
    percent: Format,
    decimal: Format,
    integer: Format,
    blank: Format,
}

impl Formats {
    fn new() -> Self {
        Self {
            header: crate::excel::header_format(),
            text: Format::new(),
            wrapped: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            date: Format::new().set_num_format("yyyy-mm-dd hh:mm:ss"),
            day: Format::new().set_num_format("yyyy-mm-dd"),
            percent: Format::new().set_num_format("0.0%"),
            decimal: Format::new().set_num_format("0.00"),
            integer: Format::new().set_num_format("0"),
            blank: Format::new().set_border_bottom(FormatBorder::Thin),
        }
    }
}

fn write_cell(
    sheet: &mut Worksheet,
    formats: &Formats,
    row: u32,
    col: u16,
    cell: &Cell,
) -> Result<(), XlsxError> {
    match cell {
        Cell::Text(value) => write_export_text(sheet, row, col, value, &formats.text)?,
        Cell::Wrapped(value) => write_export_text(sheet, row, col, value, &formats.wrapped)?,
        Cell::Number(value) => {
            sheet.write_number_with_format(row, col, *value, &formats.integer)?;
        }
        Cell::Percent(value) => {
            sheet.write_number_with_format(row, col, *value, &formats.percent)?;
        }
        Cell::Decimal(value) => {
            sheet.write_number_with_format(row, col, *value, &formats.decimal)?;
        }
        Cell::Date(Some(moment)) => {
            sheet.write_datetime_with_format(row, col, moment, &formats.date)?;
        }
        Cell::Day(day) => {
            sheet.write_datetime_with_format(row, col, day, &formats.day)?;
        }
        Cell::Date(None) | Cell::Empty => {}
    }
    Ok(())
}

fn column(index: usize) -> u16 {
    u16::try_from(index).unwrap_or(u16::MAX)
}

/// A sheet with a header row, typed rows, a filter over the table and frozen header; returns
/// the sheet and the number of the last row written.
fn table_sheet<'a>(
    workbook: &'a mut Workbook,
    formats: &Formats,
    name: &str,
    headers: &[(&str, f64)],
    rows: Vec<Vec<Cell>>,
) -> Result<(&'a mut Worksheet, u32), XlsxError> {
    let sheet = workbook.add_worksheet();
    sheet.set_name(name)?;
    for (col, (header, width)) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, column(col), *header, &formats.header)?;
        sheet.set_column_width(column(col), *width)?;
    }
    let mut last_row = 0;
    for (index, row) in rows.iter().enumerate() {
        let row_number = u32::try_from(index + 1).unwrap_or(u32::MAX);
        last_row = row_number;
        for (col, cell) in row.iter().enumerate() {
            write_cell(sheet, formats, row_number, column(col), cell)?;
        }
    }
    let last_col = column(headers.len().saturating_sub(1));
    sheet.autofilter(0, 0, last_row, last_col)?;
    sheet.set_freeze_panes(1, 0)?;
    Ok((sheet, last_row))
}

/// Width of a date-time column (`2024-06-05 10:00:00` never shows as `#####`).
const DATE_WIDTH: f64 = 20.0;

const CASE_HEADERS: [(&str, f64); 15] = [
    ("Orden", 7.0),
    ("Caso", 12.0),
    ("SHA-256 de semilla:caso", 20.0),
    ("Categoría", 45.0),
    ("Excepción", 20.0),
    ("Versión", 8.0),
    ("Recibido", DATE_WIDTH),
    ("Plazo", DATE_WIDTH),
    ("Solución", DATE_WIDTH),
    ("Resultado", 12.0),
    ("Días hábiles usados", 11.0),
    ("Días hábiles disponibles", 11.0),
    ("ANS (días hábiles)", 10.0),
    ("Días de retraso", 10.0),
    ("Hallazgos", 14.0),
];

fn case_row(case: &ReportCase) -> Vec<Cell> {
    vec![
        case.rank.map_or(Cell::Empty, count),
        text(case.case_id.clone()),
        case.sha256.clone().map_or(Cell::Empty, Cell::Text),
        text(case.category.clone()),
        case.exception.clone().map_or(Cell::Empty, Cell::Text),
        int(case.policy_version),
        date(Some(case.received_at)),
        date(case.deadline),
        date(case.solved_at),
        text(case.outcome.label()),
        case.business_days_used.map_or(Cell::Empty, Cell::Decimal),
        case.business_days_available.map_or(Cell::Empty, Cell::Decimal),
        int(case.ans_business_days),
        Cell::Number(case.days_late as f64),
        text(case.finding_labels().join(" ")),
    ]
}

fn proportion_rows(name: &str, proportion: &Proportion) -> Vec<Vec<Cell>> {
    vec![
        vec![
            text(format!("{name}: casos")),
            count(proportion.met + proportion.breached),
        ],
        vec![text(format!("{name}: cumplen")), count(proportion.met)],
        vec![text(format!("{name}: incumplen")), count(proportion.breached)],
        vec![
            text(format!("{name}: cumplimiento")),
            Cell::Percent(proportion.rate),
        ],
        vec![
            text(format!("{name}: IC Wilson, límite inferior")),
            Cell::Percent(proportion.ci_low),
        ],
        vec![
            text(format!("{name}: IC Wilson, límite superior")),
            Cell::Percent(proportion.ci_high),
        ],
    ]
}

/// Renders the report as XLSX bytes, finished for publication ([`crate::excel::finish_workbook`]):
/// its title, language es-CO, no application, version or dates, so the same report always gives
/// the same bytes.
pub fn render(report: &Report) -> Result<Vec<u8>, String> {
    let bytes = workbook(report).map_err(|error| error.to_string())?;
    crate::excel::finish_workbook(&bytes, &title(report))
}

/// The «Resumen» sheet: the conclusion and the compliance (the first two sections), then the
/// figures of the run.
fn summary_rows(report: &Report) -> Vec<Vec<Cell>> {
    let size = &report.size;
    let mut summary = vec![
        vec![text("Conclusión"), Cell::Wrapped(conclusion(report))],
        vec![text("Mes"), text(report.month.key())],
        vec![
            text("Procedimiento"),
            text(format!("{} {}", report.procedure, report.procedure_name)),
        ],
    ];
    match (&report.sample_compliance, &report.population_compliance) {
        (Some(sample), Some(population)) => {
            summary.extend(proportion_rows("Muestra", sample));
            summary.extend(proportion_rows("Población", population));
        }
        _ => summary.push(vec![text("Cumplimiento"), Cell::Wrapped(NO_RATE.to_owned())]),
    }
    summary.push(vec![
        text("Casos abiertos vencidos al cierre"),
        count(report.overdue.len() as u64),
    ]);
    summary.extend([
        vec![
            text("Versión vigente el primer día del mes"),
            int(report.sampling_version),
        ],
        vec![
            text("Versiones que juzgaron los casos"),
            text(
                report
                    .policy_versions
                    .iter()
                    .map(u32::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
        ],
        vec![text("Semilla"), text(report.seed.clone())],
        vec![text("Fecha de corte (hora de Bogotá)"), date(Some(report.as_of))],
        vec![text("Generado (hora de Bogotá)"), date(Some(report.generated_at))],
        vec![text("Filas de casos leídas"), count(report.rows.cases_read)],
        vec![text("Casos evaluados"), count(report.rows.cases_evaluated)],
        vec![
            text("Filas de casos rechazadas"),
            count(report.rows.cases_rejected),
        ],
        vec![text("Población (N)"), count(size.population)],
        vec![text("Tamaño de la muestra (n)"), count(size.size)],
    ]);
    if report.has_population() {
        summary.extend([
            vec![
                text("Tamaño fijado con --size"),
                text(if size.overridden { "sí" } else { "no" }),
            ],
            vec![text("Confianza"), Cell::Percent(size.confidence)],
            vec![text("z"), Cell::Decimal(size.z)],
        ]);
    }
    if let Some(margin) = size.margin {
        summary.push(vec![text("Error (e)"), Cell::Percent(margin)]);
    }
    if let Some(proportion) = size.proportion {
        summary.push(vec![text("Proporción (p)"), Cell::Decimal(proportion)]);
    }
    if let Some(n0) = size.n0 {
        summary.push(vec![text("n₀ = z²·p(1−p)/e²"), Cell::Decimal(n0)]);
    }
    summary
}

/// The workbook as rust_xlsxwriter writes it, sheets in the order of the report's sections.
fn workbook(report: &Report) -> Result<Vec<u8>, XlsxError> {
    let formats = Formats::new();
    let mut workbook = Workbook::new();
    for table in tables(report) {
        table_sheet(&mut workbook, &formats, table.name, table.headers, table.rows)?;
    }
    review_sheet(&mut workbook, &formats, report)?;
    workbook.save_to_buffer()
}

/// One table sheet before it is written: what [`table_sheet`] needs.
struct Table {
    name: &'static str,
    headers: &'static [(&'static str, f64)],
    rows: Vec<Vec<Cell>>,
}

/// Every sheet but «Revisión», in the order of the report's sections.
fn tables(report: &Report) -> Vec<Table> {
    let table = |name, headers, rows| Table { name, headers, rows };
    vec![
        table("Resumen", &SUMMARY_HEADERS, summary_rows(report)),
        table("Entradas", &INPUT_HEADERS, input_rows(report)),
        table("Método", &METHOD_HEADERS, method_rows(report)),
        table(
            "Muestra",
            &CASE_HEADERS,
            report.sample.iter().map(case_row).collect(),
        ),
        table("Por categoría", &CATEGORY_HEADERS, category_rows(report)),
        table(
            "Incumplen",
            &CASE_HEADERS,
            report.breached.iter().map(case_row).collect(),
        ),
        table(
            "Vencidos",
            &CASE_HEADERS,
            report.overdue.iter().map(case_row).collect(),
        ),
        table("Hallazgos", &FINDING_HEADERS, finding_rows(report)),
        table("Semanas", &WEEK_HEADERS, week_rows(report)),
        table("Uso del ANS", &USAGE_HEADERS, usage_rows(report)),
        table("Cómo repetir", &REPEAT_HEADERS, repeat_rows(report)),
    ]
}

const SUMMARY_HEADERS: [(&str, f64); 2] = [("Concepto", 42.0), ("Valor", 90.0)];

const INPUT_HEADERS: [(&str, f64); 4] = [
    ("Entrada", 22.0),
    ("Archivo", 50.0),
    ("SHA-256", 68.0),
    ("Incluido en el programa", 12.0),
];

const METHOD_HEADERS: [(&str, f64); 1] = [("Método", 120.0)];

const CATEGORY_HEADERS: [(&str, f64); 7] = [
    ("Categoría", 60.0),
    ("Casos", 8.0),
    ("Cumplen", 9.0),
    ("Incumplen", 10.0),
    ("Cumplimiento", 13.0),
    ("En la muestra", 12.0),
    ("Cumplen en la muestra", 12.0),
];

const FINDING_HEADERS: [(&str, f64); 5] = [
    ("Código", 12.0),
    ("Hallazgo", 70.0),
    ("Población", 10.0),
    ("Muestra", 10.0),
    ("Vencidos", 10.0),
];

const WEEK_HEADERS: [(&str, f64); 5] = [
    ("Semana", 8.0),
    ("Desde", 12.0),
    ("Hasta", 12.0),
    ("Cumplen", 9.0),
    ("Incumplen", 10.0),
];

const USAGE_HEADERS: [(&str, f64); 4] = [
    ("Tiempo usado (% de los días disponibles)", 16.0),
    ("Desde (% de los disponibles, exclusivo)", 14.0),
    ("Hasta (% de los disponibles, inclusivo)", 14.0),
    ("Casos", 8.0),
];

const REPEAT_HEADERS: [(&str, f64); 1] = [("Cómo repetir la selección (órdenes de consola)", 160.0)];

/// «Entradas»: each input file with its hash and whether it came inside the program.
fn input_rows(report: &Report) -> Vec<Vec<Cell>> {
    report
        .inputs
        .iter()
        .map(|input| {
            vec![
                text(input.role.clone()),
                text(input.name.clone()),
                text(input.sha256.clone()),
                text(if input.embedded { "sí" } else { "no" }),
            ]
        })
        .collect()
}

/// «Método»: one wrapped line per paragraph of the method section.
fn method_rows(report: &Report) -> Vec<Vec<Cell>> {
    method(report)
        .iter()
        .map(|line| vec![Cell::Wrapped(line.plain())])
        .collect()
}

/// «Por categoría»: compliance of the population and the sample per category.
fn category_rows(report: &Report) -> Vec<Vec<Cell>> {
    report
        .by_category
        .iter()
        .map(|row| {
            vec![
                text(row.category.clone()),
                count(row.cases),
                count(row.met),
                count(row.breached),
                Cell::Percent(row.rate),
                count(row.in_sample),
                count(row.sample_met),
            ]
        })
        .collect()
}

/// «Hallazgos»: how many cases of the population, the sample and the overdue carry each finding.
fn finding_rows(report: &Report) -> Vec<Vec<Cell>> {
    report
        .findings
        .iter()
        .map(|row| {
            vec![
                text(row.label()),
                text(row.title()),
                count(row.population),
                count(row.sample),
                count(row.overdue),
            ]
        })
        .collect()
}

/// «Semanas»: cases met and breached per week of the month, with its first and last day.
fn week_rows(report: &Report) -> Vec<Vec<Cell>> {
    report
        .weeks
        .iter()
        .map(|week| {
            vec![
                int(week.week),
                Cell::Day(week.first_day),
                Cell::Day(week.last_day),
                count(week.met),
                count(week.breached),
            ]
        })
        .collect()
}

/// «Uso del ANS»: the histogram of the share of the available days each case used.
fn usage_rows(report: &Report) -> Vec<Vec<Cell>> {
    report
        .usage
        .iter()
        .map(|bar| {
            vec![
                text(bar.label()),
                Cell::Percent(f64::from(bar.from_percent) / 100.0),
                bar.to_percent
                    .map_or(Cell::Empty, |to| Cell::Percent(f64::from(to) / 100.0)),
                count(bar.cases),
            ]
        })
        .collect()
}

/// «Cómo repetir»: the console commands that repeat the selection, one per row, or why there
/// is none.
fn repeat_rows(report: &Report) -> Vec<Vec<Cell>> {
    if report.has_population() {
        python_snippet(report)
            .lines()
            .map(|line| vec![text(line)])
            .collect()
    } else {
        vec![vec![text(
            "No hay selección que repetir: ningún caso se solucionó en el mes.",
        )]]
    }
}

/// «Revisión»: the sample with empty columns for the reviewer (a Sí/No list for «Revisado»),
/// the instructions, and the lines to sign below the table; printable on one page wide.
fn review_sheet(workbook: &mut Workbook, formats: &Formats, report: &Report) -> Result<(), XlsxError> {
    let headers = [
        ("Orden", 7.0),
        ("Caso", 16.0),
        ("Categoría", 45.0),
        ("Resultado", 12.0),
        ("Días hábiles usados", 11.0),
        ("Días hábiles disponibles", 11.0),
        ("Revisado (Sí/No)", 11.0),
        ("Observación", 50.0),
    ];
    let rows = report
        .sample
        .iter()
        .map(|case| {
            vec![
                case.rank.map_or(Cell::Empty, count),
                text(case.case_id.clone()),
                text(category(case)),
                text(case.outcome.label()),
                case.business_days_used.map_or(Cell::Empty, Cell::Decimal),
                case.business_days_available.map_or(Cell::Empty, Cell::Decimal),
                Cell::Empty,
                Cell::Empty,
            ]
        })
        .collect();
    let (sheet, last_row) = table_sheet(workbook, formats, "Revisión", &headers, rows)?;
    if !report.sample.is_empty() {
        let list = DataValidation::new()
            .allow_list_strings(&["Sí", "No"])?
            .set_input_title("Revisado")?
            .set_input_message("Elija Sí cuando haya revisado el caso en Aranda; No, si no.")?
            .set_error_title("Revisado")?
            .set_error_message("Escriba Sí o No (o elíjalo de la lista).")?;
        sheet.add_data_validation(1, 6, last_row, 6, &list)?;
    }
    sheet.set_landscape();
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(0, 0)?;
    let mut row = last_row + 2;
    let note = if report.sample.is_empty() {
        "Sin muestra: no hay casos que revisar."
    } else {
        REVIEW_INSTRUCTIONS
    };
    // Not merged (screen readers and filters handle merged cells badly): the text runs over
    // the empty cells to its right.
    sheet.write_string_with_format(row, 0, note, &formats.text)?;
    row += 2;
    for line in signature_lines(report) {
        let (label, _) = line.split_once(": ").unwrap_or((line.as_str(), ""));
        sheet.write_string_with_format(row, 1, format!("{label}:"), &formats.text)?;
        sheet.write_blank(row, 2, &formats.blank)?;
        if label == "Casos revisados" {
            sheet.write_string_with_format(row, 3, format!("de {}", report.sample.len()), &formats.text)?;
        }
        row += 2;
    }
    Ok(())
}
