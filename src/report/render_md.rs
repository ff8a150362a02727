//! The report as Markdown: the evidence a coordinator files, readable as plain text. Every value
//! that comes from the export (case ids, categories, exception types) or from the command line
//! (the seed) is escaped, so it can neither break a table nor inject HTML.

use super::format::{
    NO_RATE, Sentence, Span, category, conclusion, confidence, days_available, days_used, findings, interval,
    local, method, percent, python_snippet,
};
use super::model::{Report, ReportCase};
use super::stats::Proportion;

/// Escapes text for Markdown inline content: backslash escapes for the characters Markdown
/// reads as syntax (`\`, `` ` ``, `*`, `_`, `[`, `]`, `|`), entities for `&`, `<`, `>` (no HTML
/// is ever injected), and line breaks as spaces.
pub fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// A code span holding `text` verbatim (a fence longer than any run of backticks inside it);
/// `|` is escaped so it cannot end a table cell, line breaks become spaces.
pub fn code(text: &str) -> String {
    let text = text.replace(['\n', '\r'], " ");
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{}{pad}{fence}", text.replace('|', "\\|"))
}

/// One row of a table; every cell is already Markdown (escaped with [`inline`] or [`code`]).
fn row(text: &mut String, cells: &[String]) {
    text.push('|');
    for value in cells {
        text.push(' ');
        text.push_str(value);
        text.push_str(" |");
    }
    text.push('\n');
}

fn header(text: &mut String, names: &[&str], right: &[bool]) {
    row(text, &names.iter().map(|n| inline(n)).collect::<Vec<_>>());
    text.push('|');
    for align_right in right {
        text.push_str(if *align_right { "---:|" } else { "---|" });
    }
    text.push('\n');
}

fn cases_table(text: &mut String, cases: &[ReportCase], with_rank: bool) {
    let mut names = vec![];
    let mut right = vec![];
    if with_rank {
        names.push("#");
        right.push(true);
    }
    names.extend([
        "Caso",
        "Categoría",
        "Recibido",
        "Plazo",
        "Solución",
        "Resultado",
        "Días hábiles usados",
        "Días hábiles disponibles",
        "ANS (días hábiles)",
        "Días de retraso",
        "Hallazgos",
    ]);
    right.extend([
        false, false, false, false, false, false, true, true, true, true, false,
    ]);
    header(text, &names, &right);
    for case in cases {
        let mut cells = vec![];
        if with_rank {
            cells.push(case.rank.map(|r| r.to_string()).unwrap_or_default());
        }
        cells.extend([
            inline(&case.case_id),
            inline(&category(case)),
            local(Some(case.received_at)),
            local(case.deadline),
            local(case.solved_at),
            inline(case.outcome.label()),
            days_used(case),
            days_available(case),
            case.ans_business_days.to_string(),
            case.days_late.to_string(),
            inline(&findings(case)),
        ]);
        row(text, &cells);
    }
}

fn compliance_row(text: &mut String, name: &str, proportion: &Proportion) {
    row(
        text,
        &[
            name.to_owned(),
            (proportion.met + proportion.breached).to_string(),
            proportion.met.to_string(),
            proportion.breached.to_string(),
            percent(proportion.rate),
            interval(proportion),
        ],
    );
}

/// A sentence of the method: literals as code spans.
fn sentence(line: &Sentence) -> String {
    line.0
        .iter()
        .map(|span| match span {
            Span::Text(text) => inline(text),
            Span::Literal(text) => code(text),
        })
        .collect()
}

/// `text` with its first letter in capitals.
pub fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// Renders the report as Markdown.
pub fn render(report: &Report) -> String {
    let mut text = String::new();
    text.push_str(&format!(
        "# Informe mensual de cumplimiento del ANS — {}\n\n",
        report.month.spanish()
    ));
    text.push_str(&format!(
        "Procedimiento {} «{}», numeral 6: revisión mensual del cumplimiento del ANS sobre una muestra aleatoria \
         de las solicitudes gestionadas, con el censo del mes al lado.\n\n",
        inline(&report.procedure),
        inline(&report.procedure_name)
    ));

    text.push_str("## Conclusión\n\n");
    text.push_str(&inline(&conclusion(report)));
    text.push_str("\n\n");

    text.push_str("## Cumplimiento\n\n");
    match (&report.sample_compliance, &report.population_compliance) {
        (Some(sample), Some(population)) => {
            header(
                &mut text,
                &[
                    "",
                    "Casos",
                    "Cumplen",
                    "Incumplen",
                    "Cumplimiento",
                    &format!("IC {} (Wilson)", confidence(report)),
                ],
                &[false, true, true, true, true, true],
            );
            compliance_row(&mut text, "Muestra", sample);
            compliance_row(&mut text, "Población (censo)", population);
            text.push('\n');
        }
        _ => text.push_str(&format!("{}.\n\n", capitalised(NO_RATE))),
    }

    text.push_str("## Entradas\n\n");
    header(
        &mut text,
        &["Entrada", "Archivo", "SHA-256"],
        &[false, false, false],
    );
    for input in &report.inputs {
        let name = if input.embedded {
            format!("{} (incluido en el programa)", input.name)
        } else {
            input.name.clone()
        };
        row(
            &mut text,
            &[
                inline(&input.role),
                inline(&name),
                if input.sha256.is_empty() {
                    "—".to_owned()
                } else {
                    code(&input.sha256)
                },
            ],
        );
    }
    text.push('\n');
    let rows = &report.rows;
    text.push_str(&format!("- Filas de casos: {}.\n", rows.cases_in_words()));
    if rows.history_read > 0 {
        text.push_str(&format!("- Filas de historial: {}.\n", rows.history_in_words()));
    }
    let versions: Vec<String> = report.policy_versions.iter().map(u32::to_string).collect();
    text.push_str(&format!(
        "- Versión de la política vigente el primer día del mes: {}; versiones que juzgaron los casos del informe: {}.\n",
        report.sampling_version,
        versions.join(", ")
    ));
    text.push_str(&format!("- Semilla: {}.\n", code(&report.seed)));
    text.push_str(&format!(
        "- Fecha de corte de la evaluación: {} (hora de Bogotá).\n",
        local(Some(report.as_of))
    ));
    text.push_str(&format!(
        "- Generado: {} (hora de Bogotá).\n\n",
        local(Some(report.generated_at))
    ));

    text.push_str("## Método\n\n");
    for line in method(report) {
        text.push_str(&format!("- {}\n", sentence(&line)));
    }
    text.push('\n');

    text.push_str(&format!(
        "## Muestra ({} casos, en orden de selección)\n\n",
        report.sample.len()
    ));
    if report.sample.is_empty() {
        text.push_str("Sin muestra: ningún caso se solucionó en el mes.\n\n");
    } else {
        cases_table(&mut text, &report.sample, true);
        text.push('\n');
    }

    text.push_str("## Cumplimiento por categoría (población)\n\n");
    if report.by_category.is_empty() {
        text.push_str("Ningún caso se solucionó en el mes.\n\n");
    } else {
        header(
            &mut text,
            &[
                "Categoría",
                "Casos",
                "Cumplen",
                "Incumplen",
                "Cumplimiento",
                "En la muestra",
            ],
            &[false, true, true, true, true, true],
        );
        for category in &report.by_category {
            row(
                &mut text,
                &[
                    inline(&category.category),
                    category.cases.to_string(),
                    category.met.to_string(),
                    category.breached.to_string(),
                    percent(category.rate),
                    category.in_sample.to_string(),
                ],
            );
        }
        text.push('\n');
    }

    text.push_str(&format!(
        "## Casos que incumplen el ANS ({} de la población)\n\n",
        report.breached.len()
    ));
    if report.breached.is_empty() {
        text.push_str("Ninguno.\n\n");
    } else {
        cases_table(&mut text, &report.breached, false);
        text.push('\n');
    }

    text.push_str(&format!(
        "## Casos abiertos vencidos al cierre del mes ({})\n\n",
        report.overdue.len()
    ));
    if report.overdue.is_empty() {
        text.push_str("Ninguno.\n\n");
    } else {
        text.push_str("Días hábiles usados hasta la fecha de corte.\n\n");
        cases_table(&mut text, &report.overdue, false);
        text.push('\n');
    }

    text.push_str("## Hallazgos por código\n\n");
    if report.findings.is_empty() {
        text.push_str("Ningún caso del informe tiene hallazgos.\n\n");
    } else {
        header(
            &mut text,
            &["Código", "Hallazgo", "Población", "Muestra", "Vencidos"],
            &[false, false, true, true, true],
        );
        for finding in &report.findings {
            row(
                &mut text,
                &[
                    inline(&finding.label()),
                    inline(&finding.title()),
                    finding.population.to_string(),
                    finding.sample.to_string(),
                    finding.overdue.to_string(),
                ],
            );
        }
        text.push('\n');
    }

    text.push_str("## Resultados por semana del mes (fecha de solución)\n\n");
    header(
        &mut text,
        &["Semana", "Días", "Cumplen", "Incumplen"],
        &[true, false, true, true],
    );
    for week in &report.weeks {
        row(
            &mut text,
            &[
                week.week.to_string(),
                format!("{} a {}", week.first_day, week.last_day),
                week.met.to_string(),
                week.breached.to_string(),
            ],
        );
    }
    text.push('\n');

    text.push_str("## Días hábiles usados frente a los disponibles (población)\n\n");
    text.push_str(
        "Proporción de los días hábiles disponibles de cada caso (los que su ANS le daba) que usó; hasta 100 % cumple.\n\n",
    );
    header(&mut text, &["Tiempo usado", "Casos"], &[false, true]);
    for bar in &report.usage {
        row(&mut text, &[bar.label(), bar.cases.to_string()]);
    }
    text.push('\n');

    text.push_str("## Cómo repetir la selección\n\n");
    if report.has_population() {
        text.push_str("```sh\n");
        text.push_str(&python_snippet(report));
        text.push_str("\n```\n\n");
    } else {
        text.push_str("No hay selección que repetir: ningún caso se solucionó en el mes.\n\n");
    }

    text.push_str("## Revisión de la muestra\n\n");
    if report.sample.is_empty() {
        text.push_str("Sin muestra: no hay casos que revisar.\n\n");
    } else {
        text.push_str(&format!("{}\n\n", super::format::REVIEW_INSTRUCTIONS));
        header(
            &mut text,
            &[
                "#",
                "Caso",
                "Categoría",
                "Resultado",
                "Días hábiles usados",
                "Días hábiles disponibles",
                "Revisado (Sí/No)",
                "Observación",
            ],
            &[true, false, false, false, true, true, false, false],
        );
        for case in &report.sample {
            row(
                &mut text,
                &[
                    case.rank.map(|r| r.to_string()).unwrap_or_default(),
                    inline(&case.case_id),
                    inline(&category(case)),
                    inline(case.outcome.label()),
                    days_used(case),
                    days_available(case),
                    String::new(),
                    String::new(),
                ],
            );
        }
        text.push('\n');
    }
    for line in super::format::signature_lines(report) {
        // Our own text: blanks of underscores between spaces stay literal in Markdown.
        text.push_str(&format!("{line}\n\n"));
    }
    text
}
