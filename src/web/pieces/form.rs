//! `GET /piezas`: the three forms (banner, SMS list, document) and the pieces reviewed in this
//! run, with their downloads.

use std::sync::Arc;

use axum::extract::State;
use maud::{Markup, html};

use super::blocking;
use crate::codes::Coded;
use crate::policy::PolicySet;
use crate::policy::model::Placement;
use crate::web::PageError;
use crate::web::layout::{Section, page as layout_page};
use crate::web::state::Workbench;

/// What the forms offer, read from the policies in use.
struct Choices {
    /// Every version loaded (`M1-3-06@11`).
    versions: Vec<String>,
    /// The version applied when none is chosen, if one is in force today.
    in_force: Option<String>,
    /// The banner placements of every version, each once.
    placements: Vec<Placement>,
}

impl Choices {
    fn of(set: &PolicySet) -> Self {
        let today = chrono::Local::now().date_naive();
        let in_force = crate::assets::review::policy_in_force(set, today);
        let mut placements: Vec<Placement> = Vec::new();
        let ordered = in_force.into_iter().chain(set.policies.iter());
        for placement in ordered
            .filter_map(|p| p.banner.as_ref())
            .flat_map(|b| &b.placements)
        {
            if !placements.iter().any(|known| known.name == placement.name) {
                placements.push(placement.clone());
            }
        }
        Self {
            versions: set.policies.iter().map(|p| p.id()).collect(),
            in_force: in_force.map(|p| p.id()),
            placements,
        }
    }
}

/// `GET /piezas`.
pub async fn page(State(workbench): State<Arc<Workbench>>) -> Result<Markup, PageError> {
    let policies = workbench.settings.workspace.policies.clone();
    let loaded = blocking(move || Ok(policies.load().map(|set| Choices::of(&set)))).await?;
    let (choices, problem) = match loaded {
        Ok(choices) => (choices, None),
        Err(error) => (
            Choices {
                versions: Vec::new(),
                in_force: None,
                placements: Vec::new(),
            },
            Some((error.code(), error.to_string())),
        ),
    };
    let body = html! {
        p { "Revise una pieza antes de publicarla, con las reglas de la sección 4 del procedimiento y las de la versión elegida: "
            "es la misma revisión de " code { "pauta banner" } ", " code { "pauta sms" } " y " code { "pauta document" } ". "
            "Los archivos quedan en una carpeta privada de este equipo y se borran al cerrar pauta web." }
        @if let Some((code, message)) = &problem {
            div class="aviso error" role="alert" {
                p { strong { "error[" (code) "]" } " " (message) }
                p { "Corrija las políticas en " a href=(Section::Edit.path()) { "Editar una política" } " para poder revisar piezas." }
            }
        }
        (banner_form(&choices))
        (sms_form(&choices))
        (document_form(&choices))
        (recent(&workbench))
    };
    Ok(layout_page("Revisar piezas", Section::Pieces, body))
}

/// The select of the policy version (the command line's `--policy`).
fn version_select(id: &str, choices: &Choices) -> Markup {
    html! {
        div class="campo" {
            label for=(id) { "Versión de la política" }
            p class="ayuda" id={ (id) "-ayuda" } { "Como --policy: si no elige, se aplica la versión de M1-3-06 vigente hoy." }
            select id=(id) name="politica" aria-describedby={ (id) "-ayuda" } {
                option value="" selected {
                    @match &choices.in_force {
                        Some(id) => { "La vigente hoy (" (id) ")" }
                        None => { "La vigente hoy (no hay ninguna: elija una)" }
                    }
                }
                @for version in &choices.versions { option value=(version) { (version) } }
            }
        }
    }
}

/// A file field inside its drop zone.
fn file_field(id: &str, name: &str, label: &str, help: &str, accept: &str) -> Markup {
    html! {
        div class="campo" {
            label for=(id) { (label) }
            p class="ayuda" id={ (id) "-ayuda" } { (help) }
            div class="zona-archivo" {
                input type="file" id=(id) name=(name) accept=(accept) required aria-describedby={ (id) "-ayuda" };
            }
        }
    }
}

/// A text field with its label and help.
fn text_field(id: &str, name: &str, label: &str, help: &str) -> Markup {
    html! {
        div class="campo" {
            label for=(id) { (label) }
            p class="ayuda" id={ (id) "-ayuda" } { (help) }
            input type="text" id=(id) name=(name) size="60" aria-describedby={ (id) "-ayuda" };
        }
    }
}

/// A date field (AAAA-MM-DD).
fn date_field(id: &str, name: &str, label: &str, help: &str) -> Markup {
    html! {
        div class="campo" {
            label for=(id) { (label) }
            p class="ayuda" id={ (id) "-ayuda" } { (help) }
            input type="date" id=(id) name=(name) required placeholder="AAAA-MM-DD" aria-describedby={ (id) "-ayuda" };
        }
    }
}

fn banner_form(choices: &Choices) -> Markup {
    html! {
        section aria-labelledby="banner-titulo" {
            h2 id="banner-titulo" { "Banner" }
            p { "Formato real, peso, medidas de la ubicación, palabras de cada texto y permanencia (" code { "pauta banner check" } ")." }
            form class="tarea" method="post" action="/piezas/banner" enctype="multipart/form-data" {
                (file_field("banner-archivo", "banner", "Imagen del banner", "JPG, PNG o GIF; se reconoce por su contenido, no por la extensión.", "image/*"))
                div class="campo" {
                    label for="banner-ubicacion" { "Ubicación" }
                    p class="ayuda" id="banner-ubicacion-ayuda" { "Como --placement: cada ubicación exige sus medidas exactas." }
                    select id="banner-ubicacion" name="ubicacion" required aria-describedby="banner-ubicacion-ayuda" {
                        @for placement in &choices.placements {
                            option value=(placement.aliases.first().unwrap_or(&placement.name)) {
                                (placement.name) " — " (placement.width) " × " (placement.height) " px"
                            }
                        }
                    }
                }
                (text_field("banner-titulo-texto", "titulo", "Título (opcional)", "Como --title: se cuentan sus palabras."))
                (text_field("banner-descripcion", "descripcion", "Complemento o descripción (opcional)", "Como --description."))
                (text_field("banner-llamado", "llamado", "Llamado a la acción (opcional)", "Como --cta, por ejemplo «Solicítelo hoy»."))
                (date_field("banner-desde", "desde", "Primer día de publicación", "Como --from (AAAA-MM-DD)."))
                (date_field("banner-hasta", "hasta", "Último día de publicación, incluido", "Como --until (AAAA-MM-DD)."))
                (version_select("banner-politica", choices))
                button type="submit" { "Revisar el banner" }
            }
        }
    }
}

fn sms_form(choices: &Choices) -> Markup {
    html! {
        section aria-labelledby="sms-titulo" {
            h2 id="sms-titulo" { "Lista SMS" }
            p { "Columnas, cédulas, duplicados, longitud GSM-7 y tildes de cada fila; se prepara la lista corregida y el archivo de filas que hay que corregir a mano (" code { "pauta sms check --fix" } ")." }
            form class="tarea" method="post" action="/piezas/sms" enctype="multipart/form-data" {
                (file_field("sms-archivo", "lista", "Lista de la campaña (CSV)", "En UTF-8 o Windows-1252, separada por «,» o «;». Tiene nombres y cédulas: no se muestra completa.", ".csv,text/csv"))
                (version_select("sms-politica", choices))
                button type="submit" { "Revisar la lista" }
            }
        }
    }
}

fn document_form(choices: &Choices) -> Markup {
    html! {
        section aria-labelledby="documento-titulo" {
            h2 id="documento-titulo" { "Documento" }
            p { "Contraseña, texto buscable, metadatos y accesibilidad; se prepara una copia sin metadatos que conserva título e idioma (" code { "pauta document check --scrub" } ")." }
            form class="tarea" method="post" action="/piezas/documento" enctype="multipart/form-data" {
                (file_field("documento-archivo", "documento", "Documento (PDF o xlsx)", "Se reconoce por su contenido; el original no se modifica.", ".pdf,.xlsx,application/pdf,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
                (version_select("documento-politica", choices))
                button type="submit" { "Revisar el documento" }
            }
        }
    }
}

/// The pieces reviewed in this run, newest first.
fn recent(workbench: &Workbench) -> Markup {
    let pieces = workbench.pieces.newest_first();
    html! {
        section aria-labelledby="piezas-recientes" {
            h2 id="piezas-recientes" { "Piezas revisadas en esta sesión" }
            @if pieces.is_empty() {
                p { "Aún no se ha revisado ninguna pieza desde que se inició pauta web." }
            } @else {
                table {
                    caption { "Últimas piezas revisadas, la más reciente primero" }
                    thead { tr { th scope="col" { "Subida" } th scope="col" { "Pieza" } th scope="col" { "Archivo" } th scope="col" { "Resultado" } th scope="col" { "Descargas" } } }
                    tbody {
                        @for (_, piece) in &pieces {
                            tr {
                                td class="numero" { (piece.id) }
                                td { (piece.kind.label()) }
                                td { (piece.shown_name) }
                                td { (piece.verdict) }
                                td {
                                    @for download in &piece.downloads {
                                        a href=(piece.address(download)) download { (download.label) } " "
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_forms_offer_the_policies_placements() {
        let set = PolicySet::embedded().unwrap_or_else(|e| panic!("{e}"));
        let choices = Choices::of(&set);
        assert!(choices.versions.iter().any(|v| v == "M1-3-06@11"));
        let form = banner_form(&choices).into_string();
        assert!(form.contains("value=\"home\""), "{form}");
        assert!(form.contains("Home Principal"), "{form}");
        let placements: Vec<&str> = choices.placements.iter().map(|p| p.name.as_str()).collect();
        let mut unique = placements.clone();
        unique.dedup();
        assert_eq!(placements, unique);
    }
}
