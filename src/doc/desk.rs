//! `Anexo B: para la mesa de servicios`: what the body of the document leaves out for its
//! readers — the `pauta` commands that apply this procedure, and the keys and other spellings
//! they accept in their files (channel keys, banner placements, SMS columns, names of
//! categories, states and exception types as the service desk exports them).

use super::build::Builder;
use crate::document::model::{Inline, Table, code, plain, text};
use crate::policy::model::Policy;

/// The heading, also named by the document's header and sections.
pub const HEADING: &str = "Anexo B: para la mesa de servicios";

fn command_row(table: &mut Table, what: &str, commands: Vec<Inline>) {
    table.push(vec![plain(what), commands]);
}

/// The commands that apply this version.
fn commands(b: &mut Builder, policy: &Policy, previous: Option<&Policy>) {
    let id = policy.id();
    let file = format!("{}-v{}.html", policy.code, policy.version);
    let mut table = Table::new("comandos", &["Para", "Comando"]);
    command_row(
        &mut table,
        "Volver a generar este documento (Markdown, o HTML listo para imprimir en A4)",
        vec![
            code(format!("pauta doc {id}")),
            text(" o "),
            code(format!("pauta doc {id} --format html --output {file}")),
        ],
    );
    command_row(
        &mut table,
        "Revisar el archivo de la política después de editarlo",
        vec![code("pauta check"), text(" y "), code("pauta fmt --check")],
    );
    command_row(
        &mut table,
        "Medir el ANS, el flujo de estados y las reglas de una exportación del Gestor de Servicios",
        vec![code("pauta evaluate --cases CASOS.csv --history HISTORIAL.csv")],
    );
    command_row(
        &mut table,
        "Ver el cálculo de un caso, paso a paso",
        vec![code(
            "pauta explain CASO --cases CASOS.csv --history HISTORIAL.csv",
        )],
    );
    if policy.sampling.is_some() {
        command_row(
            &mut table,
            "Informe mensual de seguimiento y control, con la muestra aleatoria",
            vec![
                code("pauta report --cases CASOS.csv --history HISTORIAL.csv --month AAAA-MM"),
                text(" (la semilla por defecto es "),
                code(format!("{}:AAAA-MM", policy.code)),
                text("; otra se da con "),
                code("--seed"),
                text(")"),
            ],
        );
    }
    if policy.banner.is_some() {
        command_row(
            &mut table,
            "Revisar un banner antes de publicarlo",
            vec![code(
                "pauta banner check BANNER.jpg --placement UBICACIÓN --from AAAA-MM-DD --until AAAA-MM-DD",
            )],
        );
        command_row(
            &mut table,
            "Revisar los banners publicados (vigencia y cantidad por ubicación)",
            vec![code("pauta banner inventory BANNERS.csv")],
        );
    }
    if policy.sms.is_some() {
        command_row(
            &mut table,
            "Revisar la lista de una campaña SMS",
            vec![
                code("pauta sms check LISTA.csv"),
                text(" ("),
                code("--fix CORREGIDA.csv"),
                text(" escribe una copia corregida)"),
            ],
        );
    }
    if policy.documents.is_some() {
        command_row(
            &mut table,
            "Revisar un documento antes de publicarlo",
            vec![
                code("pauta document check DOCUMENTO.pdf"),
                text(" ("),
                code("--scrub LIMPIO.pdf"),
                text(" escribe una copia sin metadatos)"),
            ],
        );
    }
    if let Some(previous) = previous {
        command_row(
            &mut table,
            "Ver en detalle qué cambió respecto de la versión anterior",
            vec![code(format!("pauta diff {} {id}", previous.id()))],
        );
    }
    b.table(table);
}

/// The other spellings the service desk's export may use.
fn spellings(b: &mut Builder, policy: &Policy) {
    let mut table = Table::new(
        "grafias",
        &["Qué", "Nombre en el procedimiento", "También se acepta"],
    );
    let mut add = |what: &str, name: &str, aliases: &[String]| {
        if !aliases.is_empty() {
            table.row(&[what.to_owned(), name.to_owned(), aliases.join("; ")]);
        }
    };
    for category in &policy.categories {
        add("categoría", &category.name, &category.aliases);
    }
    for state in &policy.states {
        add("estado", &state.name, &state.aliases);
    }
    for kind in policy.exceptions.iter().flat_map(|e| &e.types) {
        add("tipo de excepción", &kind.name, &kind.aliases);
    }
    if table.rows.is_empty() {
        return;
    }
    b.heading(3, "Otras grafías de la exportación");
    b.paragraph(plain(
        "La exportación del Gestor de Servicios puede escribir estos nombres de cualquiera de estas formas; \
         pauta los compara sin distinguir mayúsculas, tildes ni espacios repetidos.",
    ));
    b.table(table);
}

/// Keys of channels, banner placements and SMS columns.
fn keys(b: &mut Builder, policy: &Policy) {
    let mut table = Table::new("claves", &["Qué", "Nombre en el procedimiento", "Clave"]);
    for channel in &policy.channels {
        table.push(vec![
            vec![text("canal (en las reglas, "), code("caso.canales"), text(")")],
            plain(channel.label.clone()),
            vec![code(channel.key.clone())],
        ]);
    }
    for placement in policy.banner.iter().flat_map(|b| &b.placements) {
        let mut accepted = vec![code(placement.name.clone())];
        for alias in &placement.aliases {
            accepted.push(text(", "));
            accepted.push(code(alias.clone()));
        }
        table.push(vec![
            vec![text("ubicación de banner ("), code("--placement"), text(")")],
            plain(placement.name.clone()),
            accepted,
        ]);
    }
    for column in policy.sms.iter().flat_map(|s| &s.columns) {
        table.push(vec![
            vec![
                text("columna SMS (en las reglas, "),
                code(format!("sms.{}", column.role)),
                text(")"),
            ],
            plain(column.name.clone()),
            vec![code(column.role.clone())],
        ]);
    }
    if table.rows.is_empty() {
        return;
    }
    b.heading(3, "Claves en la línea de comandos y en las reglas");
    b.table(table);
}

/// The whole annex; `previous` is the version before this one, when the policy set has it.
pub fn annex(b: &mut Builder, policy: &Policy, previous: Option<&Policy>) {
    b.heading(2, HEADING);
    b.paragraph(plain(
        "Esta sección es para la mesa de servicios y para quien mantiene la política: los comandos de pauta \
         que aplican este procedimiento y los nombres que aceptan. Se ejecutan en la carpeta de las políticas \
         (o con --policies CARPETA).",
    ));
    commands(b, policy, previous);
    keys(b, policy);
    spellings(b, policy);
}
