//! `banner check`: one banner file and its texts and dates against the policy's `banner` block —
//! real format, weight, exact pixel size for the placement, word counts and permanence.

use std::path::Path;

use chrono::{Months, NaiveDate};
use serde::Serialize;

use super::image::{ImageFormat, ImageInfo, inspect};
use super::{AssetError, Code, Counts, Finding, Location, grouped, kib, read_file};
use crate::policy::model::{BannerLimits, Placement};
use crate::text::{match_key, suggest};

/// How words are counted, stated in every report.
pub const WORD_RULE: &str = "Se cuenta como palabra cada grupo de caracteres sin espacios que tenga al menos una letra o un dígito (un guion o un signo suelto no es palabra).";

/// How months are counted (`{months}` is replaced by the policy maximum), stated in every report.
pub const MONTH_RULE: &str = "La permanencia máxima se cuenta en meses calendario desde la fecha de inicio: inicio + {months} meses, el mismo día del mes (o el último día si ese mes es más corto); la fecha final puede ser a lo sumo ese día.";

/// What the requester declares about a banner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BannerRequest {
    /// Placement name or alias (`home`, `internal`, `Home Principal`).
    pub placement: String,
    /// Title, if given.
    pub title: Option<String>,
    /// Description (complement), if given.
    pub description: Option<String>,
    /// Call to action, if given.
    pub call_to_action: Option<String>,
    /// First day of publication.
    pub from: NaiveDate,
    /// Last day of publication (inclusive).
    pub until: NaiveDate,
}

/// A word-counted text of the banner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TextCount {
    /// Which text (`título`, `descripción`, `llamado a la acción`).
    pub field: &'static str,
    /// Words counted, `None` when the text was not given.
    pub words: Option<usize>,
    /// Policy maximum, `None` when the policy sets none.
    pub max: Option<u32>,
}

/// The result of checking a banner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BannerReport {
    /// The file as given.
    pub file: String,
    /// `CODE@VERSION` of the policy applied.
    pub policy: String,
    /// The placement as the policy names it.
    pub placement: String,
    /// Format, pixel size and damage read from the bytes.
    pub image: ImageInfo,
    /// The file's extension (lowercase), if any.
    pub extension: Option<String>,
    /// File size in bytes.
    pub bytes: u64,
    /// Maximum weight in bytes, if the policy sets one.
    pub max_bytes: Option<u64>,
    /// Required size for the placement.
    pub required_width: u32,
    /// Required size for the placement.
    pub required_height: u32,
    /// Word counts.
    pub texts: Vec<TextCount>,
    /// Declared first day.
    pub from: NaiveDate,
    /// Declared last day.
    pub until: NaiveDate,
    /// Latest allowed last day (`from` + maximum months), if the policy sets a maximum.
    pub latest_until: Option<NaiveDate>,
    /// Maximum permanence in months.
    pub max_months: Option<u32>,
    /// The counting rules applied, in Spanish.
    pub rules: Vec<String>,
    /// Every problem found.
    pub findings: Vec<Finding>,
    /// Error and warning counts.
    pub counts: Counts,
}

/// Count words: maximal runs of non-whitespace characters that contain a letter or a digit.
pub fn count_words(text: &str) -> usize {
    text.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

/// The last allowed day of a banner published from `from` for at most `months` months: the same
/// day of the month `months` later, clamped to the end of a shorter month.
pub fn permanence_end(from: NaiveDate, months: u32) -> Option<NaiveDate> {
    from.checked_add_months(Months::new(months))
}

/// The month rule with the policy's number filled in.
pub fn month_rule(months: u32) -> String {
    MONTH_RULE.replace("{months}", &months.to_string())
}

/// Find a placement by name or alias (ignoring case, tildes and spaces).
pub fn find_placement<'a>(limits: &'a BannerLimits, name: &str) -> Option<&'a Placement> {
    let key = match_key(name);
    limits
        .placements
        .iter()
        .find(|p| match_key(&p.name) == key || p.aliases.iter().any(|a| match_key(a) == key))
}

/// The placement, or an [`AssetError::UnknownPlacement`] with a suggestion.
pub fn require_placement<'a>(
    limits: &'a BannerLimits,
    policy: &str,
    name: &str,
) -> Result<&'a Placement, AssetError> {
    find_placement(limits, name).ok_or_else(|| {
        let names: Vec<&str> = limits
            .placements
            .iter()
            .flat_map(|p| std::iter::once(p.name.as_str()).chain(p.aliases.iter().map(String::as_str)))
            .collect();
        AssetError::UnknownPlacement {
            given: name.to_string(),
            policy: policy.to_string(),
            known: limits
                .placements
                .iter()
                .map(|p| format!("\"{}\" ({})", p.name, p.aliases.join(", ")))
                .collect::<Vec<_>>()
                .join("; "),
            hint: suggest(name, names)
                .map(|s| format!(" ¿Quiso decir `{s}`?"))
                .unwrap_or_default(),
        }
    })
}

/// Check a banner file on disk.
pub fn check_banner(
    path: &Path,
    request: &BannerRequest,
    limits: &BannerLimits,
    policy: &str,
) -> Result<BannerReport, AssetError> {
    let bytes = read_file(path)?;
    check_banner_bytes(&path.display().to_string(), &bytes, request, limits, policy)
}

/// Check a banner given its bytes; `name` is the file name used in messages (its extension is
/// compared with the real format).
pub fn check_banner_bytes(
    name: &str,
    bytes: &[u8],
    request: &BannerRequest,
    limits: &BannerLimits,
    policy: &str,
) -> Result<BannerReport, AssetError> {
    let placement = require_placement(limits, policy, &request.placement)?;
    let image = inspect(bytes);
    let extension = Path::new(name)
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase());
    let mut findings = Vec::new();
    check_format(name, &image, extension.as_deref(), limits, &mut findings);
    let size = bytes.len() as u64;
    check_weight(name, size, limits, &mut findings);
    check_pixel_size(name, &image, placement, &mut findings);
    let texts = count_texts(name, request, limits, &mut findings);
    let latest_until = check_dates(name, request, limits, &mut findings);
    let mut rules = vec![WORD_RULE.to_string()];
    if let Some(months) = limits.max_months {
        rules.push(month_rule(months));
    }
    let counts = Counts::of(&findings);
    Ok(BannerReport {
        file: name.to_string(),
        policy: policy.to_string(),
        placement: placement.name.clone(),
        image,
        extension,
        bytes: size,
        max_bytes: limits.max_bytes,
        required_width: placement.width,
        required_height: placement.height,
        texts,
        from: request.from,
        until: request.until,
        latest_until,
        max_months: limits.max_months,
        rules,
        findings,
        counts,
    })
}

/// The extension as messages show it: `.jpg`, or `(ninguna)`.
fn shown_extension(extension: Option<&str>) -> String {
    extension.map(|e| format!(".{e}")).unwrap_or("(ninguna)".into())
}

/// Judge the real format from the bytes (B001), then the extension against it (B002), and
/// report a damaged image (B003).
fn check_format(
    name: &str,
    image: &ImageInfo,
    extension: Option<&str>,
    limits: &BannerLimits,
    findings: &mut Vec<Finding>,
) {
    let here = || Location::file(name);
    if !format_allowed(limits, image.format) {
        let allowed = limits.formats.join(", ");
        let shown = shown_extension(extension);
        let content = match image.format {
            ImageFormat::Unknown => "de un formato desconocido, no una imagen".to_string(),
            other => other.label().to_string(),
        };
        findings.push(Finding::new(
            Code::B001,
            format!(
                "`{name}`: el contenido del archivo es {content} (extensión {shown}); la política solo admite {allowed}. Exporte la imagen como JPEG (no basta con cambiarle el nombre)."
            ),
            here(),
        ));
    } else if !extension.is_some_and(|e| limits.formats.iter().any(|f| f.eq_ignore_ascii_case(e))) {
        let shown = shown_extension(extension);
        findings.push(Finding::new(
            Code::B002,
            format!(
                "`{name}`: la extensión {shown} no corresponde al contenido, que es {}. Renombre el archivo con extensión .{}.",
                image.format.label(),
                limits.formats.first().map(String::as_str).unwrap_or("jpg")
            ),
            here(),
        ));
    }
    if let Some(damage) = &image.damage {
        findings.push(Finding::new(
            Code::B003,
            format!("`{name}`: {damage}. Vuelva a exportar la imagen completa y envíela de nuevo."),
            here(),
        ));
    }
}

/// Report a file heavier than the policy's maximum weight (B004).
fn check_weight(name: &str, size: u64, limits: &BannerLimits, findings: &mut Vec<Finding>) {
    if let Some(max) = limits.max_bytes
        && size > max
    {
        let written = limits.max_weight_text.clone().unwrap_or_else(|| kib(max));
        findings.push(Finding::new(
            Code::B004,
            format!(
                "`{name}`: pesa {}, más que el máximo de {written} ({} bytes); sobran {} bytes. Reduzca la calidad de compresión JPEG o simplifique la imagen.",
                kib(size),
                grouped(max),
                grouped(size - max)
            ),
            Location::file(name),
        ));
    }
}

/// Report a pixel size other than the placement's (B005), only when the header could be read.
fn check_pixel_size(name: &str, image: &ImageInfo, placement: &Placement, findings: &mut Vec<Finding>) {
    if let (Some(w), Some(h)) = (image.width, image.height)
        && (w != placement.width || h != placement.height)
    {
        findings.push(Finding::new(
            Code::B005,
            format!(
                "`{name}`: mide {w} × {h} px y la ubicación «{}» exige exactamente {} × {} px. Exporte la imagen a {} × {} px.",
                placement.name, placement.width, placement.height, placement.width, placement.height
            ),
            Location::file(name),
        ));
    }
}

/// Count the words of each declared text, reporting those over the policy's maximum (B006–B008).
fn count_texts(
    name: &str,
    request: &BannerRequest,
    limits: &BannerLimits,
    findings: &mut Vec<Finding>,
) -> Vec<TextCount> {
    let words = &limits.words;
    let texts_in = [
        (Code::B006, "título", &request.title, words.title),
        (Code::B007, "descripción", &request.description, words.description),
        (
            Code::B008,
            "llamado a la acción",
            &request.call_to_action,
            words.call_to_action,
        ),
    ];
    let mut texts = Vec::new();
    for (code, field, text, max) in texts_in {
        let counted = text.as_deref().map(count_words);
        if let (Some(n), Some(max)) = (counted, max)
            && n > max as usize
        {
            findings.push(Finding::new(
                code,
                format!(
                    "`{name}`: el {field} tiene {n} palabras y el máximo es {max}. Acórtelo en {} palabra(s).",
                    n - max as usize
                ),
                Location::file(name).with_field(field),
            ));
        }
        texts.push(TextCount {
            field,
            words: counted,
            max,
        });
    }
    texts
}

/// Report dates out of order (B010) or a permanence over the maximum (B009); returns the latest
/// allowed last day, if the policy sets a maximum.
fn check_dates(
    name: &str,
    request: &BannerRequest,
    limits: &BannerLimits,
    findings: &mut Vec<Finding>,
) -> Option<NaiveDate> {
    let here = || Location::file(name).with_field("permanencia");
    let latest_until = limits.max_months.and_then(|m| permanence_end(request.from, m));
    if request.until <= request.from {
        findings.push(Finding::new(
            Code::B010,
            format!(
                "`{name}`: la fecha final {} no es posterior a la fecha inicial {}. Indique --from antes de --until.",
                request.until, request.from
            ),
            here(),
        ));
    } else if let (Some(latest), Some(months)) = (latest_until, limits.max_months)
        && request.until > latest
    {
        findings.push(Finding::new(
            Code::B009,
            format!(
                "`{name}`: la permanencia del {} al {} supera el máximo de {months} meses, que termina el {latest}. Adelante la fecha final a {latest} o antes.",
                request.from, request.until
            ),
            here(),
        ));
    }
    latest_until
}

/// Format check helper for other callers: does the policy accept this real format?
pub fn format_allowed(limits: &BannerLimits, format: ImageFormat) -> bool {
    format
        .extensions()
        .iter()
        .any(|e| limits.formats.iter().any(|f| f.eq_ignore_ascii_case(e)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_need_a_letter_or_digit() {
        assert_eq!(count_words("Crédito — educativo 2025"), 3);
        assert_eq!(count_words("  ¡Inscríbase   ya!  "), 2);
        assert_eq!(count_words("— / -"), 0);
        assert_eq!(count_words(""), 0);
        assert_eq!(count_words("ICETEX-2025 te-apoya"), 2);
    }

    #[test]
    fn months_clamp_to_the_end_of_month() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default();
        assert_eq!(permanence_end(d("2024-01-15"), 4), Some(d("2024-05-15")));
        assert_eq!(permanence_end(d("2024-10-31"), 4), Some(d("2025-02-28")));
        assert_eq!(permanence_end(d("2023-10-31"), 4), Some(d("2024-02-29")));
    }
}
