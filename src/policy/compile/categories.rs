//! The `categoría "…" { … }` blocks (description, ANS, channels, aliases) and the `ans`
//! statement they share with `excepciones`.

use super::{Names, positive_u32, unknown};
use crate::policy::ast::{self, Item};
use crate::policy::diagnostics::{Code, Diagnostic};
use crate::policy::model::{Ans, Category, Gap};
use crate::policy::source::{SourceFile, Spanned};
use crate::text::{match_key, suggest};

const CATEGORY_KEYWORDS: &[&str] = &["descripción", "ans", "canales", "alias"];

/// The categories, checked against the declared channels; names and aliases are unique across
/// all categories.
pub(super) fn compile(
    categories: &[(&Spanned<String>, &Vec<Item<ast::CategoryItem>>)],
    channels: &[(&Spanned<String>, &Spanned<String>)],
    source: &SourceFile,
    gaps: &mut Vec<Gap>,
    out: &mut Vec<Diagnostic>,
) -> Vec<Category> {
    let mut category_names = Names::new(Code::DuplicateCategory, "nombre de categoría o alias");
    let mut compiled_categories = Vec::new();
    for (name, items) in categories {
        category_names.add(name, out);
        let category = compile_category(name, items, &mut category_names, channels, source, gaps, out);
        if let Some(category) = category {
            compiled_categories.push(category);
        }
    }
    compiled_categories
}

/// One category, when it has both its description and a right ANS.
fn compile_category<'a>(
    name: &Spanned<String>,
    items: &'a [Item<ast::CategoryItem>],
    category_names: &mut Names<'a>,
    channels: &[(&Spanned<String>, &Spanned<String>)],
    source: &SourceFile,
    gaps: &mut Vec<Gap>,
    out: &mut Vec<Diagnostic>,
) -> Option<Category> {
    let mut description = None;
    let mut ans = None;
    let mut category_channels = Vec::new();
    let mut aliases = Vec::new();
    for inner in items.iter() {
        match &inner.node {
            ast::CategoryItem::Description(text) => description = Some(text.value.clone()),
            ast::CategoryItem::Ans(decl) => ans = compile_ans(decl, out),
            ast::CategoryItem::Channels(list) => {
                for channel in list {
                    check_channel(channel, channels, out);
                    category_channels.push(channel.value.clone());
                }
            }
            ast::CategoryItem::Aliases(list) => {
                for alias in list {
                    category_names.add(alias, out);
                    aliases.push(alias.value.clone());
                }
            }
            ast::CategoryItem::Unknown(word) => out.push(unknown(word, CATEGORY_KEYWORDS)),
        }
        if inner.implicit {
            gaps.push(Gap {
                item: format!(
                    "categoría \"{}\": {}",
                    name.value,
                    source
                        .slice(inner.span)
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ")
                ),
                note: inner.comment.clone(),
                line: source.position(inner.span.start).line,
            });
        }
    }
    let has_ans_clause = items.iter().any(|i| matches!(i.node, ast::CategoryItem::Ans(_)));
    if !has_ans_clause || description.is_none() {
        let what = if has_ans_clause {
            "`descripción \"…\"`"
        } else {
            "`ans N días hábiles`"
        };
        out.push(Diagnostic::new(
            Code::CategoryIncomplete,
            name.span,
            format!("a la categoría `{}` le falta {what}", name.value),
        ));
    }
    Some(Category {
        name: name.value.clone(),
        description: description?,
        ans: ans?,
        channels: category_channels,
        aliases,
    })
}

/// A channel a category names must be declared with `canal`.
fn check_channel(
    channel: &Spanned<String>,
    channels: &[(&Spanned<String>, &Spanned<String>)],
    out: &mut Vec<Diagnostic>,
) {
    if !channels
        .iter()
        .any(|(k, _)| match_key(&k.value) == match_key(&channel.value))
    {
        out.push(
            Diagnostic::new(
                Code::UnknownChannel,
                channel.span,
                format!("el canal `{}` no está declarado", channel.value),
            )
            .with_suggestion(suggest(
                &channel.value,
                channels.iter().map(|(k, _)| k.value.as_str()),
            )),
        );
    }
}

/// The `ans N días hábiles` statement of a category or of `excepciones`.
pub(super) fn compile_ans(decl: &ast::AnsDecl, out: &mut Vec<Diagnostic>) -> Option<Ans> {
    positive_u32(&decl.days, "el ANS", Code::AnsNotPositive, out).map(|business_days| Ans {
        business_days,
        counts_reception_day: decl.counts_reception_day,
    })
}
