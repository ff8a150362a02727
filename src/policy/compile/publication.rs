//! What a requester hands in before publication: the `banner`, `sms` and `documentos` blocks.

use super::{Names, gap_of, positive_u32, unknown};
use crate::policy::ast::{self, Item};
use crate::policy::diagnostics::{Code, Diagnostic};
use crate::policy::model::{BannerLimits, DocumentRules, Gap, Placement, SmsColumn, SmsLimits, WordLimits};
use crate::policy::source::{SourceFile, Span, Spanned};
use crate::text::match_key;

const BANNER_KEYWORDS: &[&str] = &[
    "formatos",
    "peso máximo",
    "ubicación",
    "permanencia máxima",
    "palabras",
];
const SMS_KEYWORDS: &[&str] = &["columna", "longitud máxima", "sin tildes", "cédula"];
const DOCUMENT_KEYWORDS: &[&str] = &[
    "formatos",
    "sin contraseña",
    "texto buscable",
    "sin metadatos",
    "accesibilidad",
];

fn formats(list: &[Spanned<String>]) -> Vec<String> {
    list.iter().map(|f| f.value.to_lowercase()).collect()
}

pub(super) fn compile_banner(
    items: &[Item<ast::BannerItem>],
    source: &SourceFile,
    gaps: &mut Vec<Gap>,
    out: &mut Vec<Diagnostic>,
) -> Option<BannerLimits> {
    let mut limits = BannerLimits {
        formats: Vec::new(),
        max_bytes: None,
        max_weight_text: None,
        placements: Vec::new(),
        max_months: None,
        words: WordLimits::default(),
    };
    let mut names = Names::new(Code::AssetLimits, "ubicación o alias");
    for item in items {
        gap_of(item, "banner", source, gaps);
        match &item.node {
            ast::BannerItem::Formats(list) => limits.formats = formats(list),
            ast::BannerItem::Weight { amount, unit } => {
                let factor = match unit {
                    ast::SizeUnit::Bytes => 1,
                    ast::SizeUnit::Kb => 1000,
                    ast::SizeUnit::Kib => 1024,
                    ast::SizeUnit::Mb => 1_000_000,
                    ast::SizeUnit::Mib => 1_048_576,
                };
                limits.max_bytes = positive_u32(amount, "el peso máximo", Code::AssetLimits, out)
                    .map(|n| u64::from(n) * factor);
                let unit_text = match unit {
                    ast::SizeUnit::Bytes => "B",
                    ast::SizeUnit::Kb => "KB",
                    ast::SizeUnit::Kib => "KiB",
                    ast::SizeUnit::Mb => "MB",
                    ast::SizeUnit::Mib => "MiB",
                };
                limits.max_weight_text = Some(format!("{} {unit_text}", amount.value));
            }
            ast::BannerItem::Placement {
                name,
                aliases,
                size,
                max_active,
            } => {
                names.add(name, out);
                for alias in aliases {
                    names.add(alias, out);
                }
                let (width, height) = size.value;
                if width == 0 || height == 0 {
                    out.push(Diagnostic::new(
                        Code::AssetLimits,
                        size.span,
                        "las medidas deben ser mayores que cero",
                    ));
                }
                limits.placements.push(Placement {
                    name: name.value.clone(),
                    aliases: aliases.iter().map(|a| a.value.clone()).collect(),
                    width,
                    height,
                    max_active: max_active.as_ref().and_then(|m| {
                        positive_u32(m, "el máximo de banners vigentes", Code::AssetLimits, out)
                    }),
                });
            }
            ast::BannerItem::Permanence(months) => {
                limits.max_months = positive_u32(months, "la permanencia máxima", Code::AssetLimits, out)
            }
            ast::BannerItem::Words(list) => {
                for (field, limit) in list {
                    let value = positive_u32(limit, "el límite de palabras", Code::AssetLimits, out);
                    let slot = match field.value {
                        ast::WordField::Title => &mut limits.words.title,
                        ast::WordField::Description => &mut limits.words.description,
                        ast::WordField::CallToAction => &mut limits.words.call_to_action,
                    };
                    if slot.is_some() {
                        out.push(Diagnostic::new(
                            Code::AssetLimits,
                            field.span,
                            "este límite de palabras ya está declarado",
                        ));
                    }
                    *slot = value;
                }
            }
            ast::BannerItem::Unknown(word) => out.push(unknown(word, BANNER_KEYWORDS)),
        }
    }
    Some(limits)
}

pub(super) fn compile_sms(
    items: &[Item<ast::SmsItem>],
    span: Span,
    source: &SourceFile,
    gaps: &mut Vec<Gap>,
    out: &mut Vec<Diagnostic>,
) -> Option<SmsLimits> {
    let mut limits = SmsLimits {
        columns: Vec::new(),
        max_length: None,
        no_accents: false,
        accents_allowed: String::new(),
        id_digits: None,
        id_no_leading_zero: false,
    };
    let mut names = Names::new(Code::AssetLimits, "columna o alias");
    let mut roles = Names::new(Code::AssetLimits, "rol de columna");
    for item in items {
        gap_of(item, "sms", source, gaps);
        match &item.node {
            ast::SmsItem::Column { role, name, aliases } => {
                roles.add(role, out);
                names.add(name, out);
                for alias in aliases {
                    names.add(alias, out);
                }
                limits.columns.push(SmsColumn {
                    role: match_key(&role.value),
                    name: name.value.clone(),
                    aliases: aliases.iter().map(|a| a.value.clone()).collect(),
                });
            }
            ast::SmsItem::MaxLength(n) => {
                limits.max_length = positive_u32(n, "la longitud máxima", Code::AssetLimits, out)
            }
            ast::SmsItem::NoAccents { allowed } => {
                limits.no_accents = true;
                limits.accents_allowed = allowed.as_ref().map(|a| a.value.clone()).unwrap_or_default();
            }
            ast::SmsItem::IdDigits {
                min,
                max,
                no_leading_zero,
            } => {
                let low = positive_u32(min, "el mínimo de dígitos", Code::AssetLimits, out);
                let high = positive_u32(max, "el máximo de dígitos", Code::AssetLimits, out);
                if let (Some(low), Some(high)) = (low, high) {
                    if low > high {
                        out.push(Diagnostic::new(
                            Code::AssetLimits,
                            min.span,
                            "el mínimo de dígitos es mayor que el máximo",
                        ));
                    }
                    limits.id_digits = Some((low, high));
                }
                limits.id_no_leading_zero = *no_leading_zero;
            }
            ast::SmsItem::Unknown(word) => out.push(unknown(word, SMS_KEYWORDS)),
        }
    }
    for role in ["cedula", "mensaje"] {
        if !limits.columns.iter().any(|c| c.role == role) {
            out.push(
                Diagnostic::new(
                    Code::AssetLimits,
                    span,
                    format!("al bloque `sms` le falta la columna de rol `{role}`"),
                )
                .with_help(format!("agregue `columna {role} \"Encabezado\"`")),
            );
        }
    }
    Some(limits)
}

pub(super) fn compile_documents(
    items: &[Item<ast::DocumentItem>],
    source: &SourceFile,
    gaps: &mut Vec<Gap>,
    out: &mut Vec<Diagnostic>,
) -> DocumentRules {
    let mut rules = DocumentRules {
        formats: Vec::new(),
        no_password: false,
        searchable: false,
        no_metadata: false,
        keep_metadata: Vec::new(),
        accessibility: Vec::new(),
    };
    for item in items {
        gap_of(item, "documentos", source, gaps);
        match &item.node {
            ast::DocumentItem::Formats(list) => rules.formats = formats(list),
            ast::DocumentItem::NoPassword => rules.no_password = true,
            ast::DocumentItem::Searchable => rules.searchable = true,
            ast::DocumentItem::NoMetadata { keep } => {
                rules.no_metadata = true;
                rules.keep_metadata = keep.iter().map(|k| match_key(&k.value)).collect();
            }
            ast::DocumentItem::Accessibility(list) => {
                rules.accessibility = list.iter().map(|k| match_key(&k.value)).collect()
            }
            ast::DocumentItem::Unknown(word) => out.push(unknown(word, DOCUMENT_KEYWORDS)),
        }
    }
    rules
}
