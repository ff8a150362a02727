//! The `excepciones { … }` block: the ANS and reception cutoff of the exception regime and its
//! types.

use super::categories::compile_ans;
use super::{Names, gap_of, unknown};
use crate::policy::ast::{self, Item};
use crate::policy::diagnostics::{Code, Diagnostic};
use crate::policy::model::{ExceptionRegime, ExceptionType, Gap};
use crate::policy::source::{SourceFile, Span};

const EXCEPTION_KEYWORDS: &[&str] = &["ans", "recibidas antes de", "tipo"];

pub(super) fn compile(
    items: &[Item<ast::ExceptionItem>],
    span: Span,
    source: &SourceFile,
    gaps: &mut Vec<Gap>,
    out: &mut Vec<Diagnostic>,
) -> Option<ExceptionRegime> {
    let mut ans = None;
    let mut has_ans = false;
    let mut cutoff = None;
    let mut types = Vec::new();
    let mut names = Names::new(Code::DuplicateException, "tipo de excepción o alias");
    for item in items {
        gap_of(item, "excepciones", source, gaps);
        match &item.node {
            ast::ExceptionItem::Ans(decl) => {
                has_ans = true;
                ans = compile_ans(decl, out);
            }
            ast::ExceptionItem::Cutoff(time) => match time.value {
                Some(t) => cutoff = Some(t),
                None => out.push(Diagnostic::new(
                    Code::InvalidValue,
                    time.span,
                    "la hora no existe",
                )),
            },
            ast::ExceptionItem::Type { name, aliases } => {
                names.add(name, out);
                for alias in aliases {
                    names.add(alias, out);
                }
                types.push(ExceptionType {
                    name: name.value.clone(),
                    aliases: aliases.iter().map(|a| a.value.clone()).collect(),
                });
            }
            ast::ExceptionItem::Unknown(word) => out.push(unknown(word, EXCEPTION_KEYWORDS)),
        }
    }
    if !has_ans {
        out.push(Diagnostic::new(
            Code::ExceptionsIncomplete,
            span,
            "al bloque `excepciones` le falta `ans N días hábiles`",
        ));
    }
    if cutoff.is_none()
        && !items
            .iter()
            .any(|i| matches!(i.node, ast::ExceptionItem::Cutoff(_)))
    {
        out.push(Diagnostic::new(
            Code::ExceptionsIncomplete,
            span,
            "al bloque `excepciones` le falta `recibidas antes de HH:MM`",
        ));
    }
    Some(ExceptionRegime {
        ans: ans?,
        received_before: cutoff?,
        types,
    })
}
