//! What a requester hands in before publication: banner, SMS campaign list and document
//! requirements, with their values and units as `pauta banner`, `sms` and `document` check them
//! (the commands themselves are in `Anexo B`).

use super::build::Builder;
use crate::assets::gsm7::ucs2_limit;
use crate::document::model::{Table, plain};
use crate::policy::model::Policy;
use crate::wording::{join_and, join_or, property, thousands};

fn upper(formats: &[String]) -> String {
    join_or(&formats.iter().map(|f| f.to_uppercase()).collect::<Vec<_>>())
}

fn words(limit: u32) -> String {
    if limit == 1 {
        "1 palabra máx.".to_owned()
    } else {
        format!("{limit} palabras máx.")
    }
}

/// `Requisitos de los banners`.
pub fn banner(b: &mut Builder, policy: &Policy) {
    let Some(banner) = &policy.banner else {
        return;
    };
    b.heading(3, "Requisitos de los banners");
    b.paragraph(plain(
        "Lineamientos para publicar banners en el Portal Web. El formato se reconoce por el contenido del \
         archivo, no por su extensión.",
    ));
    let mut table = Table::new("banner", &["Requisito", "Valor"]);
    if !banner.formats.is_empty() {
        table.row(&["Formato".to_owned(), upper(&banner.formats)]);
    }
    if let Some(bytes) = banner.max_bytes {
        let written = banner
            .max_weight_text
            .clone()
            .unwrap_or_else(|| format!("{} bytes", thousands(bytes)));
        table.row(&[
            "Peso máximo".to_owned(),
            format!("{written} ({} bytes)", thousands(bytes)),
        ]);
    }
    for placement in &banner.placements {
        let mut value = format!("{} px × {} px (exactas)", placement.width, placement.height);
        if let Some(max) = placement.max_active {
            value.push_str(&format!("; máximo {max} banners vigentes a la vez"));
        }
        table.row(&[format!("Medidas: {}", placement.name), value]);
    }
    if let Some(months) = banner.max_months {
        let unit = if months == 1 { "mes" } else { "meses" };
        table.row(&[
            "Permanencia máxima".to_owned(),
            format!("{months} {unit}; cumplido el plazo, el banner deja de publicarse"),
        ]);
    }
    let limits = banner.words;
    for (name, limit) in [
        ("Título del banner", limits.title),
        ("Complemento o descripción", limits.description),
        ("Llamado a la acción", limits.call_to_action),
    ] {
        if let Some(limit) = limit {
            table.row(&[name.to_owned(), words(limit)]);
        }
    }
    b.table(table);
}

/// `Requisitos de las campañas SMS`.
pub fn sms(b: &mut Builder, policy: &Policy) {
    let Some(sms) = &policy.sms else {
        return;
    };
    b.heading(3, "Requisitos de las campañas SMS");
    b.paragraph(plain(
        "La lista de una campaña de mensajes de texto debe traer como mínimo estas columnas (también se \
         aceptan los encabezados de la última columna):",
    ));
    let mut columns = Table::new("sms-columnas", &["Columna", "También se acepta"]);
    for column in &sms.columns {
        columns.row(&[
            column.name.clone(),
            if column.aliases.is_empty() {
                "—".to_owned()
            } else {
                column.aliases.join("; ")
            },
        ]);
    }
    b.table(columns);
    let mut table = Table::new("sms", &["Requisito", "Valor"]);
    if let Some(max) = sms.max_length {
        table.row(&[
            "Longitud máxima del mensaje".to_owned(),
            format!(
                "{max} caracteres, contados como la red: en GSM-7 los caracteres de extensión ^ {{ }} \\ [ ~ ] | € \
                 valen 2; un solo carácter fuera de GSM-7 obliga a enviar en UCS-2, con límite de {}",
                ucs2_limit(max)
            ),
        ]);
    }
    if sms.no_accents {
        let allowed: Vec<String> = sms.accents_allowed.chars().map(String::from).collect();
        let value = if allowed.is_empty() {
            "no se permiten".to_owned()
        } else {
            format!("no se permiten; sí se permiten {}", join_and(&allowed))
        };
        table.row(&["Tildes (acentos)".to_owned(), value]);
    }
    if let Some((min, max)) = sms.id_digits {
        let zero = if sms.id_no_leading_zero {
            ", sin cero inicial"
        } else {
            ""
        };
        table.row(&[
            "Número de cédula".to_owned(),
            format!("solo dígitos, de {min} a {max}{zero}"),
        ]);
    }
    if !table.rows.is_empty() {
        b.table(table);
    }
}

/// `Requisitos de los documentos`.
pub fn documents(b: &mut Builder, policy: &Policy) {
    let Some(documents) = &policy.documents else {
        return;
    };
    b.heading(3, "Requisitos de los documentos");
    b.paragraph(plain(
        "Requisitos de los documentos que se publican o actualizan en el Portal Web:",
    ));
    let mut table = Table::new("documentos", &["Requisito", "Valor"]);
    if !documents.formats.is_empty() {
        table.row(&["Formato".to_owned(), upper(&documents.formats)]);
    }
    if documents.no_password {
        table.row(&[
            "Contraseña".to_owned(),
            "sin contraseña, clave ni cifrado".to_owned(),
        ]);
    }
    if documents.searchable {
        table.row(&[
            "Búsqueda".to_owned(),
            "el texto se puede buscar y copiar (no una imagen escaneada)".to_owned(),
        ]);
    }
    if documents.no_metadata {
        let keep: Vec<String> = documents.keep_metadata.iter().map(|k| property(k)).collect();
        let mut value = "sin autor, aplicación de origen, fechas de creación o modificación ni propiedades \
                         personalizadas"
            .to_owned();
        if !keep.is_empty() {
            value.push_str(&format!("; se conservan {}", join_and(&keep)));
        }
        table.row(&["Metadatos".to_owned(), value]);
    }
    if !documents.accessibility.is_empty() {
        let items: Vec<String> = documents.accessibility.iter().map(|k| property(k)).collect();
        table.row(&[
            "Accesibilidad (aviso, no rechaza)".to_owned(),
            format!("se advierte si falta {}", join_or(&items)),
        ]);
    }
    b.table(table);
}
