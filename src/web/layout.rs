//! The frame of every page: the Spanish document shell, the skip link, the navigation between
//! the six workflows, and the error page.

use maud::{DOCTYPE, Markup, html};

use super::PageError;

/// The workflows of the navigation bar, in its order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// The policies in use and the last exports evaluated.
    Home,
    /// The procedure's document and the differences between versions.
    Procedure,
    /// Evaluating an export.
    Evaluate,
    /// The monthly report.
    Report,
    /// Editing a policy file.
    Edit,
    /// Reviewing publication pieces.
    Pieces,
}

impl Section {
    /// Every section, in the navigation's order.
    const ALL: [Section; 6] = [
        Section::Home,
        Section::Procedure,
        Section::Evaluate,
        Section::Report,
        Section::Edit,
        Section::Pieces,
    ];

    /// The address of the section's first page.
    pub fn path(self) -> &'static str {
        match self {
            Section::Home => "/",
            Section::Procedure => "/procedimiento",
            Section::Evaluate => "/evaluar",
            Section::Report => "/informe",
            Section::Edit => "/politicas",
            Section::Pieces => "/piezas",
        }
    }

    /// The section's name in the navigation.
    pub fn label(self) -> &'static str {
        match self {
            Section::Home => "Inicio",
            Section::Procedure => "Procedimiento",
            Section::Evaluate => "Evaluar una exportación",
            Section::Report => "Informe mensual",
            Section::Edit => "Editar una política",
            Section::Pieces => "Revisar piezas",
        }
    }
}

/// A whole page: `title` in the tab and as the page's heading, `section` marked in the
/// navigation, `body` inside `<main>`.
pub fn page(title: &str, section: Section, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="es" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · pauta" }
                link rel="stylesheet" href="/estatico/pauta.css";
                script src="/estatico/pauta.js" defer {}
            }
            body {
                a class="saltar" href="#contenido" { "Saltar al contenido" }
                header class="barra" {
                    p class="marca" { a href="/" { "pauta" } span { " · procedimiento M1-3-06 de ICETEX" } }
                    nav aria-label="Secciones" {
                        ul {
                            @for item in Section::ALL {
                                li {
                                    @if item == section {
                                        a href=(item.path()) aria-current="page" { (item.label()) }
                                    } @else {
                                        a href=(item.path()) { (item.label()) }
                                    }
                                }
                            }
                        }
                    }
                }
                main id="contenido" tabindex="-1" {
                    h1 { (title) }
                    (body)
                }
                footer class="pie" {
                    p { "pauta " (env!("CARGO_PKG_VERSION")) " · todo se procesa en este equipo; nada de lo que sube sale de él." }
                }
            }
        }
    }
}

/// The page of a refused or failed request: the message, its code, and a way back.
pub fn error_page(error: &PageError) -> Markup {
    page(
        "No se pudo completar",
        Section::Home,
        html! {
            div class="aviso error" role="alert" {
                p { strong { "error[" (error.code) "]" } " " (error.message) }
            }
            p { a href="/" { "Volver al inicio" } }
        },
    )
}

/// A labelled count for a summary list (`dt`/`dd`).
pub fn figure(label: &str, value: impl std::fmt::Display) -> Markup {
    html! {
        div class="cifra" { dt { (label) } dd { (value.to_string()) } }
    }
}
