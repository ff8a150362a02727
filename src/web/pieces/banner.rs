//! `POST /piezas/banner`: one banner image, its placement, texts and dates, reviewed as
//! `pauta banner check` does; the page shows what was measured, the findings and the verdict.

use std::sync::Arc;

use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use chrono::NaiveDate;
use maud::{Markup, html};

use super::report::{self, Layout};
use super::{Kind, Piece, asset_error, blocking, chosen_policy, discard, relabel, remember, required_file};
use crate::assets::banner::{BannerReport, BannerRequest};
use crate::assets::review::{banner_limits, review_banner};
use crate::assets::{grouped, kib};
use crate::policy::model::BannerLimits;
use crate::web::PageError;
use crate::web::layout::{Section, figure, page};
use crate::web::state::Workbench;
use crate::web::upload::Form;

/// `POST /piezas/banner`.
pub async fn check(
    State(workbench): State<Arc<Workbench>>,
    multipart: Multipart,
) -> Result<Markup, PageError> {
    let form = crate::web::upload::receive(&workbench, multipart).await?;
    let folder = form.folder.clone();
    discard(&folder, review(workbench, form).await)
}

/// The review of the piece received in `form`, and its page.
async fn review(workbench: Arc<Workbench>, form: Form) -> Result<Markup, PageError> {
    let file = required_file(&form, "banner", "la imagen del banner")?;
    let request = request(&form)?;
    let requested = form.field("politica").map(str::to_owned);
    let shared = workbench.clone();
    let stored = file.path.clone();
    let (mut report, limits) = blocking(move || {
        let policy = chosen_policy(&shared, requested.as_deref())?;
        let limits = banner_limits(&policy).map_err(|e| asset_error(&e))?.clone();
        let report = review_banner(&stored, &request, &policy).map_err(|e| asset_error(&e))?;
        Ok((report, limits))
    })
    .await?;
    relabel(&mut report.findings, &file.path, &file.shown_name);
    report.file.clone_from(&file.shown_name);
    let (words, verdict) = report::verdict(report.counts, "Se puede publicar", "No se puede publicar");
    remember(
        &workbench,
        Piece {
            id: form.id,
            kind: Kind::Banner,
            shown_name: file.shown_name.clone(),
            verdict: words,
            downloads: Vec::new(),
            folder: form.folder.clone(),
        },
    );
    let body = html! {
        (verdict)
        (summary(&report, &limits))
        (report::rules(&report.rules))
        h2 { "Hallazgos" }
        (report::findings("Hallazgos del banner", &report.findings, Layout::Places))
        p { a href=(Section::Pieces.path()) { "Revisar otra pieza" } }
    };
    Ok(page("Revisión del banner", Section::Pieces, body))
}

/// What the person declared about the banner, from the form (the command line's flags).
fn request(form: &Form) -> Result<BannerRequest, PageError> {
    let placement = form.field("ubicacion").ok_or_else(|| {
        incomplete("falta la ubicación del banner: elíjala en la lista «Ubicación» y envíe de nuevo")
    })?;
    Ok(BannerRequest {
        placement: placement.to_owned(),
        title: form.field("titulo").map(str::to_owned),
        description: form.field("descripcion").map(str::to_owned),
        call_to_action: form.field("llamado").map(str::to_owned),
        from: date(form, "desde", "Primer día de publicación")?,
        until: date(form, "hasta", "Último día de publicación")?,
    })
}

/// A date field (`AAAA-MM-DD`), required.
fn date(form: &Form, name: &str, label: &str) -> Result<NaiveDate, PageError> {
    let text = form.field(name).ok_or_else(|| {
        incomplete(&format!(
            "falta el «{label}»: escríbalo como AAAA-MM-DD (p. ej. 2025-03-01)"
        ))
    })?;
    crate::assets::inventory::parse_date(text).ok_or_else(|| {
        incomplete(&format!(
            "la fecha «{text}» del «{label}» no es válida; escríbala como AAAA-MM-DD (p. ej. 2025-03-01)"
        ))
    })
}

fn incomplete(message: &str) -> PageError {
    PageError::new(StatusCode::BAD_REQUEST, "W013", message)
}

/// What was measured, as the command line's summary lines.
fn summary(r: &BannerReport, limits: &BannerLimits) -> Markup {
    let extension = r
        .extension
        .as_deref()
        .map_or_else(|| "(ninguna)".to_owned(), |e| format!(".{e}"));
    let max = match (r.max_bytes, &limits.max_weight_text) {
        (Some(bytes), Some(text)) => format!("máximo {text} ({} bytes)", grouped(bytes)),
        (Some(bytes), None) => format!("máximo {}", kib(bytes)),
        _ => "sin máximo".to_owned(),
    };
    let size = match (r.image.width, r.image.height) {
        (Some(w), Some(h)) => format!("{w} × {h} px"),
        _ => "no se pudieron leer".to_owned(),
    };
    let latest = match (r.latest_until, r.max_months) {
        (Some(latest), Some(months)) => format!(" · máximo {months} meses: hasta {latest}"),
        _ => String::new(),
    };
    html! {
        h2 { "Lo revisado" }
        p { "Archivo «" (r.file) "» — política " (r.policy) ", ubicación «" (r.placement) "»." }
        dl class="cifras" {
            (figure("Peso", kib(r.bytes)))
            (figure("Medidas", &size))
            (figure("Errores", r.counts.errors))
            (figure("Avisos", r.counts.warnings))
        }
        table {
            caption { "Medidas y textos del banner frente a la política" }
            thead { tr { th scope="col" { "Qué" } th scope="col" { "El banner" } th scope="col" { "La política" } } }
            tbody {
                tr { th scope="row" { "Formato real" } td { (r.image.format.label()) " (extensión " (extension) ")" } td { "se admite " (limits.formats.join(", ")) } }
                tr { th scope="row" { "Peso" } td { (kib(r.bytes)) } td { (max) } }
                tr { th scope="row" { "Medidas" } td { (size) } td { "se exige " (r.required_width) " × " (r.required_height) " px" } }
                @for text in &r.texts {
                    tr {
                        th scope="row" { (capitalised(text.field)) }
                        td { (text.words.map_or_else(|| "no indicado".to_owned(), |n| format!("{n} palabra(s)"))) }
                        td { (text.max.map_or_else(|| "sin máximo".to_owned(), |m| format!("máximo {m}"))) }
                    }
                }
                tr { th scope="row" { "Permanencia" } td { (r.from) " a " (r.until) } td { (latest.trim_start_matches(" · ")) } }
            }
        }
    }
}

/// `título` → `Título`.
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
