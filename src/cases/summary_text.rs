//! The run's summary in Spanish, one line per fact, as `evaluate` prints it on stderr and its
//! workbook shows it: counts that add up (read = evaluated + rejected), outcomes, findings,
//! rules and rejections.

use super::model::Outcome;
use super::run::Summary;

impl Summary {
    /// The summary's lines, without line ends.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = vec![format!("casos:     {}", self.rows.cases_in_words())];
        if self.history_delimiter.is_some() {
            lines.push(format!("historial: {}", self.rows.history_in_words()));
        }
        let outcomes: Vec<String> = Outcome::ALL
            .iter()
            .map(|outcome| {
                let count = self.outcomes.get(outcome).copied().unwrap_or(0);
                format!("{} {count}", outcome.label())
            })
            .collect();
        lines.push(format!("resultados: {}", outcomes.join(" · ")));
        for (code, count) in &self.findings {
            lines.push(format!(
                "hallazgo {} en {count} caso(s): {}",
                code.code(),
                code.title()
            ));
        }
        for (rule, count) in &self.rule_findings {
            lines.push(format!(
                "regla «{rule}» incumplida o sin evaluar en {count} caso(s)"
            ));
        }
        for (code, count) in &self.rejections {
            lines.push(format!(
                "rechazo {}: {count} fila(s): {}",
                code.code(),
                code.title()
            ));
        }
        if self.windows_1252_fields > 0 {
            lines.push(format!(
                "codificación: {} campo(s) no eran UTF-8 y se leyeron como Windows-1252",
                self.windows_1252_fields
            ));
        }
        lines
    }
}
