//! The `muestreo mensual { … }` block: the parameters of the monthly random sample of the
//! control.

use super::{gap_of, unknown};
use crate::policy::ast::{self, Item};
use crate::policy::diagnostics::{Code, Diagnostic};
use crate::policy::model::{Gap, Sampling};
use crate::policy::source::{SourceFile, Span, Spanned};

const SAMPLING_KEYWORDS: &[&str] = &["confianza", "error", "proporción", "población"];

pub(super) fn compile(
    items: &[Item<ast::SamplingItem>],
    span: Span,
    source: &SourceFile,
    gaps: &mut Vec<Gap>,
    out: &mut Vec<Diagnostic>,
) -> Option<Sampling> {
    let mut confidence = None;
    let mut margin = None;
    let mut proportion = None;
    let fraction = |value: &Spanned<f64>, what: &str, scale: f64, out: &mut Vec<Diagnostic>| {
        let v = value.value / scale;
        if v.is_finite() && v > 0.0 && v < 1.0 {
            Some(v)
        } else {
            let range = if scale > 1.0 {
                "entre 0 % y 100 % (sin incluirlos)"
            } else {
                "entre 0 y 1 (sin incluirlos)"
            };
            out.push(Diagnostic::new(
                Code::InvalidValue,
                value.span,
                format!("{what} debe estar {range}"),
            ));
            None
        }
    };
    for item in items {
        gap_of(item, "muestreo", source, gaps);
        match &item.node {
            ast::SamplingItem::Confidence(v) => confidence = fraction(v, "la confianza", 100.0, out),
            ast::SamplingItem::Margin(v) => margin = fraction(v, "el error", 100.0, out),
            ast::SamplingItem::Proportion(v) => proportion = fraction(v, "la proporción", 1.0, out),
            ast::SamplingItem::PopulationSolvedInMonth => {}
            ast::SamplingItem::Unknown(word) => out.push(unknown(word, SAMPLING_KEYWORDS)),
        }
    }
    for (present, what) in [
        (
            items
                .iter()
                .any(|i| matches!(i.node, ast::SamplingItem::Confidence(_))),
            "confianza N %",
        ),
        (
            items
                .iter()
                .any(|i| matches!(i.node, ast::SamplingItem::Margin(_))),
            "error N %",
        ),
        (
            items
                .iter()
                .any(|i| matches!(i.node, ast::SamplingItem::Proportion(_))),
            "proporción X",
        ),
    ] {
        if !present {
            out.push(Diagnostic::new(
                Code::Missing,
                span,
                format!("al bloque `muestreo mensual` le falta `{what}`"),
            ));
        }
    }
    Some(Sampling {
        confidence: confidence?,
        margin: margin?,
        proportion: proportion?,
    })
}
