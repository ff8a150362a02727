//! The report as one [`Document`], section by section in the order of the Markdown and HTML
//! files (and of the workbook's sheets): conclusion, compliance, inputs, method, sample,
//! compliance by category, breaches, overdue cases, findings, weeks, business days used, how to
//! repeat the selection, and the review of the sample. The shared writers of
//! [`crate::document`] turn it into Markdown and HTML; every value from the export (case ids,
//! categories, exception types) or from the command line (the seed) stays plain text in the
//! model, so each writer escapes it and it can neither break a table nor inject markup.

use super::charts::{category_chart, legend, usage_chart, week_chart};
use super::format::{
    NO_RATE, REVIEW_INSTRUCTIONS, Sentence, Span, capitalised, category, conclusion, confidence,
    days_available, days_used, findings, interval, local, method, percent, python_snippet, signature_lines,
    title,
};
use super::model::{Report, ReportCase};
use super::stats::Proportion;
use crate::document::html::Page;
use crate::document::model::{Block, Cell, Document, Inline, Table, code, plain, text};

/// The report's HTML page: `es-CO` (the workbook's language), laid out to print on A4.
pub const PAGE: Page = Page {
    language: crate::excel::LANGUAGE,
    style: STYLE,
};

const STYLE: &str = r#"
@page { size: A4; margin: 14mm 12mm; }
* { box-sizing: border-box; }
body { font-family: "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; font-size: 10.5pt; color: #212121; margin: 0; }
main { max-width: 186mm; margin: 0 auto; padding: 8mm 0; }
h1 { font-size: 17pt; margin: 0 0 4pt; }
h2 { font-size: 12.5pt; margin: 16pt 0 6pt; border-bottom: 1px solid #bdbdbd; padding-bottom: 2pt; break-after: avoid; }
p, li { line-height: 1.4; }
.conclusion { font-size: 11.5pt; background: #f1f8e9; border-left: 4pt solid #2e7d32; padding: 6pt 9pt; }
table { border-collapse: collapse; width: 100%; font-size: 8.5pt; margin: 4pt 0 8pt; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th, td { border: 1px solid #e0e0e0; padding: 2pt 4pt; text-align: left; vertical-align: top; }
th { background: #eeeeee; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
td.d { white-space: nowrap; font-variant-numeric: tabular-nums; }
td.blank { min-width: 22mm; height: 14pt; }
.firma p { margin: 10pt 0; }
td.met { color: #2e7d32; } td.breached, td.open_overdue { color: #c62828; font-weight: 600; }
code, .hash { font-family: "Cascadia Mono", Consolas, "DejaVu Sans Mono", monospace; font-size: 7.5pt; word-break: break-all; }
pre { background: #f5f5f5; padding: 6pt; font-size: 7.5pt; white-space: pre-wrap; word-break: break-all; }
figure { margin: 6pt 0 10pt; break-inside: avoid; }
figcaption { font-size: 9pt; color: #616161; }
svg { max-width: 100%; height: auto; }
svg text { font-family: inherit; font-size: 10px; fill: #212121; }
@media print { main { padding: 0; } a { color: inherit; text-decoration: none; } }
"#;

/// The report as a document: the title, the paragraph that introduces it, then one
/// [`Block::Section`] per section.
pub fn build(report: &Report) -> Document {
    let mut blocks = vec![Block::Paragraph(plain(format!(
        "Procedimiento {} «{}», numeral 6: revisión mensual del cumplimiento del ANS sobre una muestra aleatoria \
         de las solicitudes gestionadas, con el censo del mes al lado.",
        report.procedure, report.procedure_name
    )))];
    blocks.push(section(
        "conclusion",
        "Conclusión",
        vec![Block::Styled {
            class: "conclusion",
            content: plain(conclusion(report)),
        }],
    ));
    blocks.push(compliance(report));
    blocks.push(inputs(report));
    blocks.push(section(
        "metodo",
        "Método",
        vec![Block::List {
            ordered: false,
            items: method(report).iter().map(sentence).collect(),
        }],
    ));
    blocks.push(cases_section(
        "muestra",
        format!("Muestra ({} casos, en orden de selección)", report.sample.len()),
        "Sin muestra: ningún caso se solucionó en el mes.",
        None,
        &report.sample,
        true,
    ));
    blocks.push(categories(report));
    blocks.push(cases_section(
        "incumplidos",
        format!(
            "Casos que incumplen el ANS ({} de la población)",
            report.breached.len()
        ),
        "Ninguno.",
        None,
        &report.breached,
        false,
    ));
    blocks.push(cases_section(
        "vencidos",
        format!(
            "Casos abiertos vencidos al cierre del mes ({})",
            report.overdue.len()
        ),
        "Ninguno.",
        Some("Días hábiles usados hasta la fecha de corte."),
        &report.overdue,
        false,
    ));
    blocks.push(finding_codes(report));
    blocks.push(weeks(report));
    blocks.push(usage(report));
    blocks.push(repeat(report));
    blocks.push(review(report));
    Document {
        title: format!(
            "Informe mensual de cumplimiento del ANS — {}",
            report.month.spanish()
        ),
        page_title: Some(title(report)),
        blocks,
    }
}

/// A section: its heading (level 2, no anchor: the section carries the id), then `blocks`.
fn section(id: &'static str, heading: impl Into<String>, blocks: Vec<Block>) -> Block {
    let mut all = vec![Block::Heading {
        level: 2,
        text: heading.into(),
        anchor: String::new(),
    }];
    all.extend(blocks);
    Block::Section { id, blocks: all }
}

/// A table with `(header, numeric)` columns and rows of cells.
fn table(id: &str, headers: &[(&str, bool)], rows: Vec<Vec<Cell>>) -> Block {
    let names: Vec<&str> = headers.iter().map(|(name, _)| *name).collect();
    let mut table = Table::new(id, &names);
    table.numeric = headers.iter().map(|(_, numeric)| *numeric).collect();
    table.rows = rows;
    Block::Table(table)
}

/// A cell of plain text.
fn cell(value: impl Into<String>) -> Cell {
    Cell::from(plain(value))
}

/// A cell with an HTML class.
fn classed(content: Vec<Inline>, class: &'static str) -> Cell {
    Cell {
        content,
        class: Some(class),
    }
}

/// A number or a figure of ours (`—` when absent).
fn number(value: impl ToString) -> Cell {
    cell(value.to_string())
}

/// A date: never wraps in HTML.
fn date(value: String) -> Cell {
    classed(plain(value), "d")
}

fn rank(case: &ReportCase) -> Cell {
    number(case.rank.map(|r| r.to_string()).unwrap_or_default())
}

fn outcome(case: &ReportCase) -> Cell {
    classed(plain(case.outcome.label()), case.outcome.value())
}

/// A sentence of the method: literals as code.
fn sentence(line: &Sentence) -> Vec<Inline> {
    line.0
        .iter()
        .map(|span| match span {
            Span::Text(value) => text(value.clone()),
            Span::Literal(value) => code(value.clone()),
        })
        .collect()
}

fn compliance(report: &Report) -> Block {
    let content = match (&report.sample_compliance, &report.population_compliance) {
        (Some(sample), Some(population)) => {
            let ci = format!("IC {} (Wilson)", confidence(report));
            let row = |name: &str, proportion: &Proportion| {
                vec![
                    cell(name),
                    number(proportion.met + proportion.breached),
                    number(proportion.met),
                    number(proportion.breached),
                    number(percent(proportion.rate)),
                    number(interval(proportion)),
                ]
            };
            table(
                "cumplimiento",
                &[
                    ("", false),
                    ("Casos", true),
                    ("Cumplen", true),
                    ("Incumplen", true),
                    ("Cumplimiento", true),
                    (ci.as_str(), true),
                ],
                vec![row("Muestra", sample), row("Población (censo)", population)],
            )
        }
        _ => Block::Paragraph(plain(format!("{}.", capitalised(NO_RATE)))),
    };
    section("cumplimiento", "Cumplimiento", vec![content])
}

fn inputs(report: &Report) -> Block {
    let rows = report
        .inputs
        .iter()
        .map(|input| {
            let name = if input.embedded {
                format!("{} (incluido en el programa)", input.name)
            } else {
                input.name.clone()
            };
            vec![
                cell(input.role.clone()),
                cell(name),
                classed(vec![Inline::Digest(input.sha256.clone())], "hash"),
            ]
        })
        .collect();
    let files = table(
        "entradas",
        &[("Entrada", false), ("Archivo", false), ("SHA-256", false)],
        rows,
    );
    let counts = &report.rows;
    let mut items = vec![plain(format!("Filas de casos: {}.", counts.cases_in_words()))];
    if counts.history_read > 0 {
        items.push(plain(format!(
            "Filas de historial: {}.",
            counts.history_in_words()
        )));
    }
    let versions: Vec<String> = report.policy_versions.iter().map(u32::to_string).collect();
    items.extend([
        plain(format!(
            "Versión de la política vigente el primer día del mes: {}; versiones que juzgaron los casos del informe: {}.",
            report.sampling_version,
            versions.join(", ")
        )),
        vec![text("Semilla: "), code(report.seed.clone()), text(".")],
        plain(format!(
            "Fecha de corte de la evaluación: {} (hora de Bogotá).",
            local(Some(report.as_of))
        )),
        plain(format!("Generado: {} (hora de Bogotá).", local(Some(report.generated_at)))),
    ]);
    let list = Block::List {
        ordered: false,
        items,
    };
    section("entradas", "Entradas", vec![files, list])
}

/// A table of cases: the sample (with its selection order), the breaches or the overdue ones.
fn cases_table(id: &str, cases: &[ReportCase], with_rank: bool) -> Block {
    let mut headers = vec![];
    if with_rank {
        headers.push(("#", true));
    }
    headers.extend([
        ("Caso", false),
        ("Categoría", false),
        ("Recibido", false),
        ("Plazo", false),
        ("Solución", false),
        ("Resultado", false),
        ("Días hábiles usados", true),
        ("Días hábiles disponibles", true),
        ("ANS (días hábiles)", true),
        ("Días de retraso", true),
        ("Hallazgos", false),
    ]);
    let rows = cases
        .iter()
        .map(|case| {
            let mut cells = vec![];
            if with_rank {
                cells.push(rank(case));
            }
            cells.extend([
                cell(case.case_id.clone()),
                cell(category(case)),
                date(local(Some(case.received_at))),
                date(local(case.deadline)),
                date(local(case.solved_at)),
                outcome(case),
                number(days_used(case)),
                number(days_available(case)),
                number(case.ans_business_days),
                number(case.days_late),
                cell(findings(case)),
            ]);
            cells
        })
        .collect();
    table(id, &headers, rows)
}

/// A section listing cases: `none` when there is none, else `lead` (if any) and the table.
fn cases_section(
    id: &'static str,
    heading: String,
    none: &str,
    lead: Option<&str>,
    cases: &[ReportCase],
    with_rank: bool,
) -> Block {
    let mut blocks = vec![];
    if cases.is_empty() {
        blocks.push(Block::Paragraph(plain(none)));
    } else {
        blocks.extend(lead.map(|lead| Block::Paragraph(plain(lead))));
        blocks.push(cases_table(id, cases, with_rank));
    }
    section(id, heading, blocks)
}

fn categories(report: &Report) -> Block {
    let heading = "Cumplimiento por categoría (población)";
    if report.by_category.is_empty() {
        let none = Block::Paragraph(plain("Ningún caso se solucionó en el mes."));
        return section("categorias", heading, vec![none]);
    }
    let figure = Block::Figure {
        svg: category_chart(report),
        caption: format!(
            "Cumplimiento de cada categoría en la población del mes. {}",
            legend()
        ),
        fallback: vec![],
    };
    let rows = report
        .by_category
        .iter()
        .map(|row| {
            vec![
                cell(row.category.clone()),
                number(row.cases),
                number(row.met),
                number(row.breached),
                number(percent(row.rate)),
                number(row.in_sample),
            ]
        })
        .collect();
    let counts = table(
        "categorias",
        &[
            ("Categoría", false),
            ("Casos", true),
            ("Cumplen", true),
            ("Incumplen", true),
            ("Cumplimiento", true),
            ("En la muestra", true),
        ],
        rows,
    );
    section("categorias", heading, vec![figure, counts])
}

fn finding_codes(report: &Report) -> Block {
    let content = if report.findings.is_empty() {
        Block::Paragraph(plain("Ningún caso del informe tiene hallazgos."))
    } else {
        let rows = report
            .findings
            .iter()
            .map(|row| {
                vec![
                    cell(row.label()),
                    cell(row.title()),
                    number(row.population),
                    number(row.sample),
                    number(row.overdue),
                ]
            })
            .collect();
        table(
            "hallazgos",
            &[
                ("Código", false),
                ("Hallazgo", false),
                ("Población", true),
                ("Muestra", true),
                ("Vencidos", true),
            ],
            rows,
        )
    };
    section("hallazgos", "Hallazgos por código", vec![content])
}

fn weeks(report: &Report) -> Block {
    let figure = Block::Figure {
        svg: week_chart(report),
        caption: legend(),
        fallback: vec![],
    };
    let rows = report
        .weeks
        .iter()
        .map(|week| {
            vec![
                number(week.week),
                date(format!("{} a {}", week.first_day, week.last_day)),
                number(week.met),
                number(week.breached),
            ]
        })
        .collect();
    let counts = table(
        "semanas",
        &[
            ("Semana", true),
            ("Días", false),
            ("Cumplen", true),
            ("Incumplen", true),
        ],
        rows,
    );
    section(
        "semanas",
        "Resultados por semana del mes (fecha de solución)",
        vec![figure, counts],
    )
}

/// The chart in HTML; in Markdown, its numbers (the labels are ours: `> 100 %` stays as typed).
fn usage(report: &Report) -> Block {
    let rows = report
        .usage
        .iter()
        .map(|bar| vec![Cell::from(vec![Inline::Verbatim(bar.label())]), number(bar.cases)])
        .collect();
    let figure = Block::Figure {
        svg: usage_chart(report),
        caption: format!(
            "Casos según la proporción de sus días hábiles disponibles (los que su ANS les daba) que usaron; \
             hasta 100 % cumple. {}",
            legend()
        ),
        fallback: vec![
            Block::Paragraph(plain(
                "Proporción de los días hábiles disponibles de cada caso (los que su ANS le daba) que usó; hasta \
                 100 % cumple.",
            )),
            table("uso-ans", &[("Tiempo usado", false), ("Casos", true)], rows),
        ],
    };
    section(
        "uso-ans",
        "Días hábiles usados frente a los disponibles (población)",
        vec![figure],
    )
}

fn repeat(report: &Report) -> Block {
    let content = if report.has_population() {
        Block::Code {
            language: "sh",
            text: python_snippet(report),
        }
    } else {
        Block::Paragraph(plain(
            "No hay selección que repetir: ningún caso se solucionó en el mes.",
        ))
    };
    section("repetir", "Cómo repetir la selección", vec![content])
}

fn review(report: &Report) -> Block {
    let mut blocks = vec![];
    if report.sample.is_empty() {
        blocks.push(Block::Paragraph(plain("Sin muestra: no hay casos que revisar.")));
    } else {
        blocks.push(Block::Paragraph(plain(REVIEW_INSTRUCTIONS)));
        let blank = || classed(vec![], "blank");
        let rows = report
            .sample
            .iter()
            .map(|case| {
                vec![
                    rank(case),
                    cell(case.case_id.clone()),
                    cell(category(case)),
                    outcome(case),
                    number(days_used(case)),
                    number(days_available(case)),
                    blank(),
                    blank(),
                ]
            })
            .collect();
        blocks.push(table(
            "revision",
            &[
                ("#", true),
                ("Caso", false),
                ("Categoría", false),
                ("Resultado", false),
                ("Días hábiles usados", true),
                ("Días hábiles disponibles", true),
                ("Revisado (Sí/No)", false),
                ("Observación", false),
            ],
            rows,
        ));
    }
    blocks.push(Block::Signatures(signature_lines(report)));
    section("revision", "Revisión de la muestra", blocks)
}
