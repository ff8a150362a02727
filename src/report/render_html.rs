//! The report as one self-contained HTML file: inline CSS and SVG charts, no external request,
//! laid out to print on A4. The markup is well-formed (every element closed) so it also reads
//! as XML.

use super::format::{
    NO_RATE, REVIEW_INSTRUCTIONS, Sentence, Span, category, conclusion, confidence, days_available,
    days_used, findings, interval, local, method, percent, python_snippet, signature_lines, title,
};
use super::model::{Report, ReportCase};
use super::render_md::capitalised;
use super::stats::Proportion;
use crate::cases::Outcome;

const MET: &str = "#2e7d32";
const BREACHED: &str = "#c62828";
const GRID: &str = "#9e9e9e";

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

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// A table cell: text, right-aligned (numbers) or not, optional class.
struct Cell {
    text: String,
    number: bool,
    class: Option<&'static str>,
}

fn text(value: impl Into<String>) -> Cell {
    Cell {
        text: value.into(),
        number: false,
        class: None,
    }
}

/// A date cell: never wraps.
fn date_cell(value: String) -> Cell {
    Cell {
        text: value,
        number: false,
        class: Some("d"),
    }
}

/// An empty cell for the reviewer to fill in.
fn blank() -> Cell {
    Cell {
        text: String::new(),
        number: false,
        class: Some("blank"),
    }
}

fn number(value: impl ToString) -> Cell {
    Cell {
        text: value.to_string(),
        number: true,
        class: None,
    }
}

fn table(out: &mut String, id: &str, headers: &[(&str, bool)], rows: Vec<Vec<Cell>>) {
    out.push_str(&format!("<table id=\"{id}\">\n<thead><tr>"));
    for (name, numeric) in headers {
        if *numeric {
            out.push_str(&format!("<th class=\"n\">{}</th>", escape(name)));
        } else {
            out.push_str(&format!("<th>{}</th>", escape(name)));
        }
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        out.push_str("<tr>");
        for cell in row {
            let mut classes = Vec::new();
            if cell.number {
                classes.push("n");
            }
            if let Some(class) = cell.class {
                classes.push(class);
            }
            if classes.is_empty() {
                out.push_str(&format!("<td>{}</td>", escape(&cell.text)));
            } else {
                out.push_str(&format!(
                    "<td class=\"{}\">{}</td>",
                    classes.join(" "),
                    escape(&cell.text)
                ));
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}

fn outcome_cell(outcome: Outcome) -> Cell {
    Cell {
        text: outcome.label().to_owned(),
        number: false,
        class: Some(outcome.value()),
    }
}

fn cases_table(out: &mut String, id: &str, cases: &[ReportCase], with_rank: bool) {
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
                cells.push(number(case.rank.map(|r| r.to_string()).unwrap_or_default()));
            }
            cells.extend([
                text(case.case_id.clone()),
                text(category(case)),
                date_cell(local(Some(case.received_at))),
                date_cell(local(case.deadline)),
                date_cell(local(case.solved_at)),
                outcome_cell(case.outcome),
                number(days_used(case)),
                number(days_available(case)),
                number(case.ans_business_days),
                number(case.days_late),
                text(findings(case)),
            ]);
            cells
        })
        .collect();
    table(out, id, &headers, rows);
}

fn compliance_row(name: &str, proportion: &Proportion) -> Vec<Cell> {
    vec![
        text(name),
        number(proportion.met + proportion.breached),
        number(proportion.met),
        number(proportion.breached),
        number(percent(proportion.rate)),
        number(interval(proportion)),
    ]
}

/// Horizontal bars: compliance rate by category, each category's name above its bar.
fn category_chart(report: &Report) -> String {
    let left = 6.0;
    let bar_width = 560.0;
    let row_height = 32.0;
    let top = 18.0;
    let height = top + row_height * report.by_category.len() as f64 + 6.0;
    let width = 680.0;
    let mut svg = format!(
        "<svg id=\"grafico-categorias\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"Cumplimiento por categoría\">\n"
    );
    for tick in [0.0, 0.25, 0.5, 0.75, 1.0] {
        let x = left + bar_width * tick;
        svg.push_str(&format!(
            "<line x1=\"{x:.1}\" y1=\"{:.1}\" x2=\"{x:.1}\" y2=\"{:.1}\" stroke=\"{GRID}\" stroke-width=\"0.5\" stroke-dasharray=\"2,2\"/>\n<text x=\"{x:.1}\" y=\"11\" text-anchor=\"{}\">{:.0} %</text>\n",
            top - 4.0,
            height - 4.0,
            if tick == 0.0 { "start" } else { "middle" },
            tick * 100.0
        ));
    }
    for (index, row) in report.by_category.iter().enumerate() {
        let y = top + row_height * index as f64;
        let met_width = bar_width * row.rate;
        svg.push_str(&format!(
            "<g><title>{}: {} ({} de {})</title>\n<text x=\"{left:.1}\" y=\"{:.1}\">{}</text>\n<rect x=\"{left:.1}\" y=\"{:.1}\" width=\"{bar_width:.1}\" height=\"12\" fill=\"{BREACHED}\" fill-opacity=\"0.25\"/>\n<rect x=\"{left:.1}\" y=\"{:.1}\" width=\"{met_width:.1}\" height=\"12\" fill=\"{MET}\"/>\n<text x=\"{:.1}\" y=\"{:.1}\">{} · n={}</text></g>\n",
            escape(&row.category),
            percent(row.rate),
            row.met,
            row.cases,
            y + 11.0,
            escape(&row.category),
            y + 15.0,
            y + 15.0,
            left + bar_width + 6.0,
            y + 25.0,
            escape(&percent(row.rate)),
            row.cases
        ));
    }
    svg.push_str("</svg>\n");
    svg
}

/// A tick step of 1, 2 or 5 × 10ᵏ giving at most 5 steps up to `highest` (at least 1).
fn nice_step(highest: u64) -> u64 {
    let mut magnitude = 1u64;
    loop {
        for factor in [1, 2, 5] {
            let step = magnitude.saturating_mul(factor);
            if highest.div_ceil(step) <= 5 || step == u64::MAX {
                return step;
            }
        }
        magnitude = magnitude.saturating_mul(10);
    }
}

/// Vertical bars with a y axis from 0 to `max`; `bars` are (label, [(value, colour)] stacked).
fn bar_chart(
    id: &str,
    aria: &str,
    bars: &[(String, Vec<(u64, &str)>)],
    marker_after: Option<usize>,
) -> String {
    let width = 680.0;
    let height = 220.0;
    let left = 40.0;
    let bottom = 40.0;
    let top = 24.0;
    let plot_height = height - bottom - top;
    let highest = bars
        .iter()
        .map(|(_, stack)| stack.iter().map(|(value, _)| *value).sum::<u64>())
        .max()
        .unwrap_or(0);
    let step = nice_step(highest);
    let steps = highest.div_ceil(step).max(1);
    let max = step * steps;
    let slot = (width - left - 10.0) / bars.len().max(1) as f64;
    let mut svg = format!(
        "<svg id=\"{id}\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"{}\">\n",
        escape(aria)
    );
    for index in 0..=steps {
        let value = step * index;
        let y = top + plot_height - plot_height * index as f64 / steps as f64;
        svg.push_str(&format!(
            "<line x1=\"{left}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"{GRID}\" stroke-width=\"0.5\" stroke-dasharray=\"2,2\"/>\n<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>\n",
            width - 10.0,
            left - 4.0,
            y + 3.0,
            value
        ));
    }
    for (index, (label, stack)) in bars.iter().enumerate() {
        let x = left + slot * index as f64 + slot * 0.15;
        let bar_width = slot * 0.7;
        let mut base = top + plot_height;
        let total: u64 = stack.iter().map(|(value, _)| *value).sum();
        for (value, colour) in stack {
            let h = plot_height * (*value as f64) / (max as f64);
            base -= h;
            svg.push_str(&format!(
                "<rect x=\"{x:.1}\" y=\"{base:.1}\" width=\"{bar_width:.1}\" height=\"{h:.1}\" fill=\"{colour}\"><title>{}: {value}</title></rect>\n",
                escape(label)
            ));
        }
        svg.push_str(&format!(
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{total}</text>\n<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>\n",
            x + bar_width / 2.0,
            base - 3.0,
            x + bar_width / 2.0,
            height - bottom + 14.0,
            escape(label)
        ));
    }
    if let Some(after) = marker_after {
        let x = left + slot * (after as f64 + 1.0);
        svg.push_str(&format!(
            "<line x1=\"{x:.1}\" y1=\"{top}\" x2=\"{x:.1}\" y2=\"{:.1}\" stroke=\"#212121\" stroke-width=\"1.5\" stroke-dasharray=\"5,3\"/>\n<text x=\"{:.1}\" y=\"{:.1}\">límite del ANS</text>\n",
            top + plot_height,
            x + 4.0,
            top + 10.0
        ));
    }
    svg.push_str(&format!(
        "<line x1=\"{left}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"#212121\" stroke-width=\"1\"/>\n</svg>\n",
        top + plot_height,
        width - 10.0,
        top + plot_height
    ));
    svg
}

fn usage_chart(report: &Report) -> String {
    let bars: Vec<(String, Vec<(u64, &str)>)> = report
        .usage
        .iter()
        .map(|bar| {
            let colour = if bar.within() { MET } else { BREACHED };
            (bar.label(), vec![(bar.cases, colour)])
        })
        .collect();
    let marker = report.usage.iter().rposition(|bar| bar.within());
    bar_chart(
        "grafico-uso-ans",
        "Días hábiles usados frente a los disponibles",
        &bars,
        marker,
    )
}

fn week_chart(report: &Report) -> String {
    let bars: Vec<(String, Vec<(u64, &str)>)> = report
        .weeks
        .iter()
        .map(|week| {
            (
                format!(
                    "Semana {} ({}–{})",
                    week.week,
                    week.first_day.format("%d"),
                    week.last_day.format("%d")
                ),
                vec![(week.met, MET), (week.breached, BREACHED)],
            )
        })
        .collect();
    bar_chart("grafico-semanas", "Resultados por semana del mes", &bars, None)
}

fn legend() -> String {
    format!(
        "<span style=\"color:{MET}\">■</span> cumple &#160; <span style=\"color:{BREACHED}\">■</span> incumple"
    )
}

/// A sentence of the method: literals in `<code>`.
fn sentence(line: &Sentence) -> String {
    line.0
        .iter()
        .map(|span| match span {
            Span::Text(text) => escape(text),
            Span::Literal(text) => format!("<code>{}</code>", escape(text)),
        })
        .collect()
}

/// Renders the report as a self-contained HTML page. Every text is escaped; the sections come
/// in the order of the Markdown report and of the workbook's sheets.
pub fn render(report: &Report) -> String {
    let heading = format!(
        "Informe mensual de cumplimiento del ANS — {}",
        report.month.spanish()
    );
    let mut out = String::new();
    out.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\"/>\n",
        crate::excel::LANGUAGE
    ));
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n");
    out.push_str(&format!(
        "<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n",
        escape(&title(report))
    ));
    out.push_str(&format!("<h1>{}</h1>\n", escape(&heading)));
    out.push_str(&format!(
        "<p>Procedimiento {} «{}», numeral 6: revisión mensual del cumplimiento del ANS sobre una muestra aleatoria de las solicitudes gestionadas, con el censo del mes al lado.</p>\n",
        escape(&report.procedure),
        escape(&report.procedure_name)
    ));

    out.push_str("<section id=\"conclusion\">\n<h2>Conclusión</h2>\n");
    out.push_str(&format!(
        "<p class=\"conclusion\">{}</p>\n</section>\n",
        escape(&conclusion(report))
    ));

    out.push_str("<section id=\"cumplimiento\">\n<h2>Cumplimiento</h2>\n");
    match (&report.sample_compliance, &report.population_compliance) {
        (Some(sample), Some(population)) => {
            let ci = format!("IC {} (Wilson)", confidence(report));
            table(
                &mut out,
                "tabla-cumplimiento",
                &[
                    ("", false),
                    ("Casos", true),
                    ("Cumplen", true),
                    ("Incumplen", true),
                    ("Cumplimiento", true),
                    (ci.as_str(), true),
                ],
                vec![
                    compliance_row("Muestra", sample),
                    compliance_row("Población (censo)", population),
                ],
            );
        }
        _ => out.push_str(&format!("<p>{}.</p>\n", escape(&capitalised(NO_RATE)))),
    }
    out.push_str("</section>\n");

    out.push_str("<section id=\"entradas\">\n<h2>Entradas</h2>\n");
    table(
        &mut out,
        "tabla-entradas",
        &[("Entrada", false), ("Archivo", false), ("SHA-256", false)],
        report
            .inputs
            .iter()
            .map(|input| {
                let name = if input.embedded {
                    format!("{} (incluido en el programa)", input.name)
                } else {
                    input.name.clone()
                };
                vec![
                    text(input.role.clone()),
                    text(name),
                    Cell {
                        text: input.sha256.clone(),
                        number: false,
                        class: Some("hash"),
                    },
                ]
            })
            .collect(),
    );
    let rows = &report.rows;
    out.push_str("<ul>\n");
    out.push_str(&format!("<li>Filas de casos: {}.</li>\n", rows.cases_in_words()));
    if rows.history_read > 0 {
        out.push_str(&format!(
            "<li>Filas de historial: {}.</li>\n",
            rows.history_in_words()
        ));
    }
    let versions: Vec<String> = report.policy_versions.iter().map(u32::to_string).collect();
    out.push_str(&format!(
        "<li>Versión de la política vigente el primer día del mes: {}; versiones que juzgaron los casos del informe: {}.</li>\n",
        report.sampling_version,
        versions.join(", ")
    ));
    out.push_str(&format!(
        "<li>Semilla: <code>{}</code>.</li>\n",
        escape(&report.seed)
    ));
    out.push_str(&format!(
        "<li>Fecha de corte de la evaluación: {} (hora de Bogotá).</li>\n",
        local(Some(report.as_of))
    ));
    out.push_str(&format!(
        "<li>Generado: {} (hora de Bogotá).</li>\n</ul>\n</section>\n",
        local(Some(report.generated_at))
    ));

    out.push_str("<section id=\"metodo\">\n<h2>Método</h2>\n<ul>\n");
    for line in method(report) {
        out.push_str(&format!("<li>{}</li>\n", sentence(&line)));
    }
    out.push_str("</ul>\n</section>\n");

    out.push_str(&format!(
        "<section id=\"muestra\">\n<h2>Muestra ({} casos, en orden de selección)</h2>\n",
        report.sample.len()
    ));
    if report.sample.is_empty() {
        out.push_str("<p>Sin muestra: ningún caso se solucionó en el mes.</p>\n");
    } else {
        cases_table(&mut out, "tabla-muestra", &report.sample, true);
    }
    out.push_str("</section>\n");

    out.push_str("<section id=\"categorias\">\n<h2>Cumplimiento por categoría (población)</h2>\n");
    if report.by_category.is_empty() {
        out.push_str("<p>Ningún caso se solucionó en el mes.</p>\n");
    } else {
        out.push_str(&format!(
            "<figure>\n{}<figcaption>Cumplimiento de cada categoría en la población del mes. {}</figcaption>\n</figure>\n",
            category_chart(report),
            legend()
        ));
        table(
            &mut out,
            "tabla-categorias",
            &[
                ("Categoría", false),
                ("Casos", true),
                ("Cumplen", true),
                ("Incumplen", true),
                ("Cumplimiento", true),
                ("En la muestra", true),
            ],
            report
                .by_category
                .iter()
                .map(|row| {
                    vec![
                        text(row.category.clone()),
                        number(row.cases),
                        number(row.met),
                        number(row.breached),
                        number(percent(row.rate)),
                        number(row.in_sample),
                    ]
                })
                .collect(),
        );
    }
    out.push_str("</section>\n");

    out.push_str(&format!(
        "<section id=\"incumplidos\">\n<h2>Casos que incumplen el ANS ({} de la población)</h2>\n",
        report.breached.len()
    ));
    if report.breached.is_empty() {
        out.push_str("<p>Ninguno.</p>\n");
    } else {
        cases_table(&mut out, "tabla-incumplidos", &report.breached, false);
    }
    out.push_str("</section>\n");

    out.push_str(&format!(
        "<section id=\"vencidos\">\n<h2>Casos abiertos vencidos al cierre del mes ({})</h2>\n",
        report.overdue.len()
    ));
    if report.overdue.is_empty() {
        out.push_str("<p>Ninguno.</p>\n");
    } else {
        out.push_str("<p>Días hábiles usados hasta la fecha de corte.</p>\n");
        cases_table(&mut out, "tabla-vencidos", &report.overdue, false);
    }
    out.push_str("</section>\n");

    out.push_str("<section id=\"hallazgos\">\n<h2>Hallazgos por código</h2>\n");
    if report.findings.is_empty() {
        out.push_str("<p>Ningún caso del informe tiene hallazgos.</p>\n");
    } else {
        table(
            &mut out,
            "tabla-hallazgos",
            &[
                ("Código", false),
                ("Hallazgo", false),
                ("Población", true),
                ("Muestra", true),
                ("Vencidos", true),
            ],
            report
                .findings
                .iter()
                .map(|row| {
                    vec![
                        text(row.label()),
                        text(row.title()),
                        number(row.population),
                        number(row.sample),
                        number(row.overdue),
                    ]
                })
                .collect(),
        );
    }
    out.push_str("</section>\n");

    out.push_str("<section id=\"semanas\">\n<h2>Resultados por semana del mes (fecha de solución)</h2>\n");
    out.push_str(&format!(
        "<figure>\n{}<figcaption>{}</figcaption>\n</figure>\n",
        week_chart(report),
        legend()
    ));
    table(
        &mut out,
        "tabla-semanas",
        &[
            ("Semana", true),
            ("Días", false),
            ("Cumplen", true),
            ("Incumplen", true),
        ],
        report
            .weeks
            .iter()
            .map(|week| {
                vec![
                    number(week.week),
                    date_cell(format!("{} a {}", week.first_day, week.last_day)),
                    number(week.met),
                    number(week.breached),
                ]
            })
            .collect(),
    );
    out.push_str("</section>\n");

    out.push_str(
        "<section id=\"uso-ans\">\n<h2>Días hábiles usados frente a los disponibles (población)</h2>\n",
    );
    out.push_str(&format!(
        "<figure>\n{}<figcaption>Casos según la proporción de sus días hábiles disponibles (los que su ANS les daba) que usaron; hasta 100 % cumple. {}</figcaption>\n</figure>\n</section>\n",
        usage_chart(report),
        legend()
    ));

    out.push_str("<section id=\"repetir\">\n<h2>Cómo repetir la selección</h2>\n");
    if report.has_population() {
        out.push_str(&format!(
            "<pre>{}</pre>\n</section>\n",
            escape(&python_snippet(report))
        ));
    } else {
        out.push_str(
            "<p>No hay selección que repetir: ningún caso se solucionó en el mes.</p>\n</section>\n",
        );
    }

    out.push_str("<section id=\"revision\">\n<h2>Revisión de la muestra</h2>\n");
    if report.sample.is_empty() {
        out.push_str("<p>Sin muestra: no hay casos que revisar.</p>\n");
    } else {
        out.push_str(&format!("<p>{}</p>\n", escape(REVIEW_INSTRUCTIONS)));
        table(
            &mut out,
            "tabla-revision",
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
            report
                .sample
                .iter()
                .map(|case| {
                    vec![
                        number(case.rank.map(|r| r.to_string()).unwrap_or_default()),
                        text(case.case_id.clone()),
                        text(category(case)),
                        outcome_cell(case.outcome),
                        number(days_used(case)),
                        number(days_available(case)),
                        blank(),
                        blank(),
                    ]
                })
                .collect(),
        );
    }
    out.push_str("<div class=\"firma\">\n");
    for line in signature_lines(report) {
        out.push_str(&format!("<p>{}</p>\n", escape(&line)));
    }
    out.push_str("</div>\n</section>\n");
    out.push_str("</main>\n</body>\n</html>\n");
    out
}
