//! `6. Seguimiento y control`: who controls (the policy's `responsable` of numeral 6) and the
//! monthly random sample — its parameters, the size formula with sizes computed by the report's
//! own code, and how the cases are selected.

use super::build::Builder;
use super::texts::{self, Place};
use crate::document::model::{Table, code, plain, strong, text};
use crate::policy::model::Policy;
use crate::report::sample::sample_size;
use crate::wording::{number, percent, thousands};

/// Populations shown in the table of sample sizes.
const POPULATIONS: [u64; 7] = [20, 50, 100, 200, 500, 1_000, 5_000];

/// The whole section: who controls (the `responsable` of numeral 6) and the sampling.
pub fn section(b: &mut Builder, policy: &Policy) {
    let controllers = texts::responsibilities(policy, Place::Control);
    if policy.sampling.is_none() && controllers.is_empty() {
        return;
    }
    b.heading(2, "6. Seguimiento y control");
    for (role, said) in texts::by_role(&controllers) {
        texts::role_texts(b, role, &said);
    }
    let Some(sampling) = &policy.sampling else {
        return;
    };
    b.heading(3, "Muestreo mensual");
    b.paragraph(plain(if controllers.is_empty() {
        "Cumplimiento de los ANS de las solicitudes recibidas a través del Gestor de Servicios: cada mes se \
         revisa una muestra aleatoria de las solicitudes gestionadas."
    } else {
        "La muestra aleatoria de cada mes: sus parámetros, su tamaño y cómo se eligen los casos."
    }));
    let z = sample_size(1, sampling).map(|s| s.z);
    let mut table = Table::new("muestreo", &["Parámetro", "Valor"]);
    table.row(&[
        "Nivel de confianza".to_owned(),
        match z {
            Some(z) => format!("{} (z = {})", percent(sampling.confidence), number(z)),
            None => percent(sampling.confidence),
        },
    ]);
    table.row(&["Margen de error (e)".to_owned(), percent(sampling.margin)]);
    table.row(&["Proporción esperada (p)".to_owned(), number(sampling.proportion)]);
    table.row(&[
        "Población (N)".to_owned(),
        "los casos solucionados en el mes (hora local), sin los anulados; los abiertos vencidos al cierre del mes \
         se listan aparte"
            .to_owned(),
    ]);
    b.table(table);

    let Some(n0) = sample_size(1, sampling).and_then(|s| s.n0) else {
        b.paragraph(plain(
            "Con estos parámetros no se puede calcular el tamaño de la muestra (la confianza, el error y la \
             proporción deben estar entre 0 y 1, sin incluirlos).",
        ));
        return;
    };
    b.paragraph(vec![
        text("Tamaño de la muestra: "),
        strong(format!("n₀ = z²·p(1−p)/e² = {}", number(n0))),
        text(
            "; con la corrección por población finita, n = ⌈n₀ / (1 + (n₀ − 1)/N)⌉, nunca mayor que N. Para \
             algunas poblaciones:",
        ),
    ]);
    let mut sizes = Table::new(
        "tamanos-de-muestra",
        &["Casos solucionados en el mes (N)", "Tamaño de la muestra (n)"],
    )
    .numeric(0)
    .numeric(1);
    for population in POPULATIONS {
        if let Some(size) = sample_size(population, sampling) {
            sizes.row(&[thousands(population), thousands(size.size)]);
        }
    }
    b.table(sizes);
    b.paragraph(vec![
        text("Selección reproducible: para cada caso se calcula el SHA-256 (hexadecimal en minúsculas) del texto "),
        code("<semilla>:<caso>"),
        text(
            "; los casos se ordenan por ese valor y se toman los primeros n. Cualquiera puede repetirla con la \
             semilla y los números de caso, sin importar el orden del archivo. La semilla por defecto es ",
        ),
        code(format!("{}:AAAA-MM", policy.code)),
        text(" (código del procedimiento y mes)."),
    ]);
}
