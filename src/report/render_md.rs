//! The report as Markdown: the evidence a coordinator files, readable as plain text.

use super::format::{
    category, conclusion, confidence, days_used, findings, interval, local, method, percent, python_snippet,
};
use super::model::{Report, ReportCase};
use super::stats::Proportion;

/// Escapes a table cell (`|` and line breaks).
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

fn row(text: &mut String, cells: &[String]) {
    text.push('|');
    for value in cells {
        text.push(' ');
        text.push_str(&cell(value));
        text.push_str(" |");
    }
    text.push('\n');
}

fn header(text: &mut String, names: &[&str], right: &[bool]) {
    row(text, &names.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>());
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
        "ANS (días)",
        "Días de retraso",
        "Hallazgos",
    ]);
    right.extend([false, false, false, false, false, false, true, true, true, false]);
    header(text, &names, &right);
    for case in cases {
        let mut cells = vec![];
        if with_rank {
            cells.push(case.rank.map(|r| r.to_string()).unwrap_or_default());
        }
        cells.extend([
            case.case_id.clone(),
            category(case),
            local(Some(case.received_at)),
            local(case.deadline),
            local(case.solved_at),
            case.outcome.label().to_owned(),
            days_used(case),
            case.ans_business_days.to_string(),
            case.days_late.to_string(),
            findings(case),
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
        report.procedure, report.procedure_name
    ));

    text.push_str("## Conclusión\n\n");
    text.push_str(&conclusion(report));
    text.push_str("\n\n");

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
                input.role.clone(),
                name,
                if input.sha256.is_empty() {
                    "—".to_owned()
                } else {
                    format!("`{}`", input.sha256)
                },
            ],
        );
    }
    text.push('\n');
    let rows = &report.rows;
    text.push_str(&format!(
        "- Filas de casos: leídas {} = evaluadas {} + rechazadas {}.\n",
        rows.cases_read, rows.cases_evaluated, rows.cases_rejected
    ));
    if rows.history_read > 0 {
        text.push_str(&format!(
            "- Filas de historial: leídas {} = usadas {} + rechazadas {}.\n",
            rows.history_read, rows.history_used, rows.history_rejected
        ));
    }
    let versions: Vec<String> = report.policy_versions.iter().map(u32::to_string).collect();
    text.push_str(&format!(
        "- Versión de la política vigente el primer día del mes: {}; versiones que juzgaron los casos del informe: {}.\n",
        report.sampling_version,
        versions.join(", ")
    ));
    text.push_str(&format!("- Semilla: `{}`.\n", report.seed));
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
        text.push_str(&format!("- {line}\n"));
    }
    text.push('\n');

    text.push_str("## Cumplimiento\n\n");
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
    compliance_row(&mut text, "Muestra", &report.sample_compliance);
    compliance_row(&mut text, "Población (censo)", &report.population_compliance);
    text.push('\n');

    text.push_str(&format!(
        "## Muestra ({} casos, en orden de selección)\n\n",
        report.sample.len()
    ));
    cases_table(&mut text, &report.sample, true);
    text.push('\n');

    text.push_str("## Cumplimiento por categoría (población)\n\n");
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
                category.category.clone(),
                category.cases.to_string(),
                category.met.to_string(),
                category.breached.to_string(),
                percent(category.rate),
                category.in_sample.to_string(),
            ],
        );
    }
    text.push('\n');

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
                    finding.label(),
                    finding.title(),
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

    text.push_str("## Días hábiles usados frente al ANS (población)\n\n");
    text.push_str(
        "Proporción del tiempo hábil que el ANS daba a cada caso y que usó; hasta 100 % cumple.\n\n",
    );
    header(&mut text, &["Tiempo usado", "Casos"], &[false, true]);
    for bar in &report.usage {
        row(&mut text, &[bar.label(), bar.cases.to_string()]);
    }
    text.push('\n');

    text.push_str("## Cómo repetir la selección\n\n");
    text.push_str("```sh\n");
    text.push_str(&python_snippet(report));
    text.push_str("\n```\n");
    text
}
