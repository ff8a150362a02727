#![allow(clippy::unwrap_used, clippy::expect_used)]

//! One golden failure per error family (issue 16): each prints exactly one
//! `error[CODE]: mensaje` line, in Spanish, naming what and where, and ends with exit code 2.

use crate::common;
use crate::common::run::Pauta;

/// `(arguments, the exact error line)`, one per family of `pauta codes`.
fn families(scratch: &std::path::Path) -> Vec<(Vec<String>, String)> {
    let mapping = scratch.join("asignacion.toml");
    std::fs::write(&mapping, "[columnas]\ncaso = 3\n").unwrap();
    let mapping = mapping.display().to_string();
    let cases = "tests/fixtures/aranda/basica/casos.csv".to_owned();
    let owned = |args: &[&str]| args.iter().map(|a| (*a).to_owned()).collect::<Vec<_>>();
    vec![
        (
            owned(&["evaluate", "--cases", "no/existe.csv"]),
            "error[E001]: no se pudo leer no/existe.csv: no existe; revise la ruta y los permisos".to_owned(),
        ),
        (
            owned(&["evaluate", "--cases", &cases, "--mapping", &mapping]),
            format!(
                "error[M002]: {mapping}:1:2: el archivo de asignación no es válido: la sección `[columnas]` no \
                 existe; las secciones son `[cases]`, `[categories]`, `[exceptions]`, `[file]`, `[history]`, \
                 `[reasons]`, `[states]`; compárelo con `pauta mapping`"
            ),
        ),
        (
            owned(&["new-version", "X9", "--from-date", "2030-01-01", "--policies", "tests/fixtures/policies-v11"]),
            "error[N001]: no hay versiones de `X9` en `tests/fixtures/policies-v11`. Revise el código del \
             procedimiento o la carpeta (`--policies`)."
                .to_owned(),
        ),
        (
            owned(&["report", "--cases", &cases, "--no-history", "--month", "2024-13"]),
            "error[A001]: el mes «2024-13» no es válido; escríbalo como AAAA-MM, por ejemplo 2024-06".to_owned(),
        ),
        (
            owned(&["diff", "M1-3-06@99", "M1-3-06@11", "--policies", "tests/fixtures/policies-v11"]),
            "error[F002]: no hay una política `M1-3-06@99`; disponibles: M1-3-06@11".to_owned(),
        ),
        (
            owned(&["calendar", "--year", "1800", "--policies", "tests/fixtures/policies-v11"]),
            "error[C001]: el año 1800 está fuera del rango del calendario \"colombia\", que cubre desde 1984, \
             sin año final; amplíe `desde`/`hasta` del calendario"
                .to_owned(),
        ),
        (
            owned(&["document", "check", "no/existe.pdf"]),
            "error[K001]: no se pudo leer `no/existe.pdf`: no existe. Verifique la ruta y los permisos.".to_owned(),
        ),
        (
            owned(&["generate", "--cases", "0", "--seed", "1", "--out", &scratch.join("g").display().to_string()]),
            "error[G001]: el número de casos debe ser mayor que cero; indique, por ejemplo, `--cases 1000`".to_owned(),
        ),
        (owned(&["evalaute"]), "error[U003]: el comando «evalaute» no existe".to_owned()),
        (
            owned(&["check", "no/existe.pauta"]),
            "error[P090]: no se pudo leer `no/existe.pauta`: no existe. Verifique la ruta y los permisos.".to_owned(),
        ),
    ]
}

#[test]
fn every_error_family_fails_the_same_way() {
    let scratch = common::scratch("errors", "families");
    for (args, expected) in families(&scratch) {
        let ran = Pauta::new(&args).run().failure(2).stderr_has(&expected);
        let errors: Vec<&str> = ran.stderr.lines().filter(|l| l.starts_with("error")).collect();
        assert_eq!(errors, [expected.as_str()], "pauta {}", args.join(" "));
    }
}
