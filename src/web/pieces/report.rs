//! What the three results pages share: the counting rules applied, the findings as a table (in
//! the order the command line prints them) and the verdict.

use maud::{Markup, html};

use crate::assets::{Counts, Finding, Severity};

/// The rules the review applied, as the command line's «Cómo se cuenta».
pub fn rules(rules: &[String]) -> Markup {
    html! {
        h3 { "Cómo se cuenta" }
        ul { @for rule in rules { li { (rule) } } }
    }
}

/// How a findings table places each finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// By line and column of a list (SMS).
    Rows,
    /// By place in the file (banner, document).
    Places,
}

/// `findings` as a table captioned `caption`, or a sentence when there are none.
pub fn findings(caption: &str, findings: &[Finding], layout: Layout) -> Markup {
    if findings.is_empty() {
        return html! { p class="sin-hallazgos" { (caption) ": ninguno." } };
    }
    html! {
        div class="tabla-ancha" {
            table class="hallazgos" {
                caption { (caption) " (" (findings.len()) ")" }
                thead {
                    tr {
                        @if layout == Layout::Rows {
                            th scope="col" { "Línea" }
                            th scope="col" { "Columna" }
                        } @else {
                            th scope="col" { "Dónde" }
                        }
                        th scope="col" { "Código" }
                        th scope="col" { "Gravedad" }
                        th scope="col" { "Mensaje" }
                    }
                }
                tbody {
                    @for finding in findings {
                        tr {
                            @if layout == Layout::Rows {
                                td class="numero" { (finding.location.line.map(|l| l.to_string()).unwrap_or_default()) }
                                td { (finding.location.column.clone().unwrap_or_default()) }
                            } @else {
                                td { (place(finding)) }
                            }
                            td class="codigo" { (finding.code.code()) }
                            td class=(severity_class(finding.severity)) { (finding.severity.label()) }
                            td { (finding.message) }
                        }
                    }
                }
            }
        }
    }
}

/// Where in the file, without the file's name (the page names it once).
fn place(finding: &Finding) -> String {
    let whole = finding.location.to_string();
    let file = &finding.location.file;
    match whole.strip_prefix(file.as_str()) {
        Some("") => "todo el archivo".to_owned(),
        Some(rest) => rest.trim_start_matches(", ").to_owned(),
        None => whole,
    }
}

fn severity_class(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "gravedad-error",
        Severity::Warning => "gravedad-aviso",
    }
}

/// «N problema(s)» in words.
pub fn problems(n: usize) -> String {
    if n == 1 {
        "1 problema".to_owned()
    } else {
        format!("{n} problemas")
    }
}

/// «N aviso(s)» in words.
pub fn warnings(n: usize) -> String {
    if n == 1 {
        "1 aviso".to_owned()
    } else {
        format!("{n} avisos")
    }
}

/// The verdict of a piece to publish: «Se puede publicar» or «No se puede publicar: N problemas»,
/// with its warnings; as a status message (an alert when it fails).
pub fn verdict(counts: Counts, good: &str, bad: &str) -> (String, Markup) {
    let words = if counts.errors == 0 {
        good.to_owned()
    } else {
        format!("{bad}: {}", problems(counts.errors))
    };
    let extra = if counts.warnings > 0 {
        format!(" ({} que conviene corregir)", warnings(counts.warnings))
    } else {
        String::new()
    };
    let markup = if counts.errors == 0 {
        html! { div class="aviso bien veredicto" role="status" { p { strong { "✔ " (words) } (extra) } } }
    } else {
        html! { div class="aviso error veredicto" role="alert" { p { strong { "✘ " (words) } (extra) } } }
    };
    (words, markup)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_verdict_counts_the_errors_and_mentions_the_warnings() {
        let counts = |errors, warnings| Counts { errors, warnings };
        let (words, markup) = verdict(counts(0, 0), "Se puede publicar", "No se puede publicar");
        assert_eq!(words, "Se puede publicar");
        assert!(markup.into_string().contains("role=\"status\""));
        let (words, markup) = verdict(counts(1, 2), "Se puede publicar", "No se puede publicar");
        assert_eq!(words, "No se puede publicar: 1 problema");
        let markup = markup.into_string();
        assert!(
            markup.contains("role=\"alert\"") && markup.contains("2 avisos"),
            "{markup}"
        );
        assert_eq!(problems(3), "3 problemas");
    }
}
