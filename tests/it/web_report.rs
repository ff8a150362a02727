//! `pauta web`'s «Informe mensual» (`/informe`), through the real binary over HTTP, against
//! `pauta report` on the same files: the months listed, the figures shown, every download byte
//! for byte, the rejected rows, and the command line's errors (A003, A004) with their words.
//!
//! The workbench names an uploaded file by the name it was uploaded with (its copy lives under
//! a private name), and `pauta report` by the path it is given; so the command line runs here
//! in the export's own folder with bare file names, and both read the pinned policies by the
//! same absolute path: then every byte can be compared.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use crate::common::run::{Pauta, Ran};
use crate::common::web::{Part, Workbench};
use crate::common::{aranda, example, pinned_dir, scratch};

const SEED: &str = "auditoría-2024";
const GENERATED: &str = "2024-07-01 08:00:00";
const GENERATED_QUERY: &str = "generado=2024-07-01%2008%3A00%3A00";

/// A workbench over the pinned policies, by the absolute path `Pauta::pinned` uses.
fn workbench() -> Workbench {
    Workbench::start(&["--policies", &pinned_dir().display().to_string()])
}

/// Uploads `cases` (and `history`) on the report page; returns the export's id.
fn upload(workbench: &Workbench, cases: &Path, history: Option<&Path>) -> String {
    let mut parts = vec![Part::file_at("casos", cases)];
    if let Some(history) = history {
        parts.push(Part::file_at("historial", history));
    }
    let reply = workbench.post_multipart("/informe", &parts).status(303);
    let location = reply.header("location").unwrap_or_default().to_owned();
    location
        .strip_prefix("/informe/")
        .unwrap_or_else(|| panic!("the upload leads to its months, not to «{location}»"))
        .to_owned()
}

/// `pauta report ARGS` over the export in `folder` (bare names, as the workbench shows them).
fn cli_report(folder: &Path, history: bool, args: &[&str]) -> Ran {
    let mut command = Pauta::new(["report", "--cases", "casos.csv"]);
    command = if history {
        command.args(["--history", "historial.csv"])
    } else {
        command.arg("--sin-historial")
    };
    command.args(args).pinned().current_dir(folder).run()
}

fn example_folder() -> PathBuf {
    example("casos.csv").parent().expect("a folder").to_path_buf()
}

/// The query of a report with the seed and the fixed date.
fn query() -> String {
    format!("semilla=auditor%C3%ADa-2024&{GENERATED_QUERY}")
}

#[test]
fn the_json_download_is_pauta_reports_and_the_page_shows_its_figures() {
    let workbench = workbench();
    let id = upload(&workbench, &example("casos.csv"), Some(&example("historial.csv")));
    let ran = cli_report(
        &example_folder(),
        true,
        &[
            "--month",
            "2024-06",
            "--seed",
            SEED,
            "--generated-at",
            GENERATED,
            "--format",
            "json",
        ],
    )
    .success();
    let download = workbench
        .get(&format!("/informe/{id}/2024-06/descargar/json?{}", query()))
        .status(200);
    assert_eq!(
        download.header("content-disposition"),
        Some("attachment; filename=\"informe-ans-2024-06.json\"")
    );
    assert_eq!(download.text(), ran.stdout, "the JSON download is pauta report's");

    let json = ran.json();
    let population = json["population"].as_u64().expect("N in the JSON");
    let size = json["sample_size"].as_u64().expect("n in the JSON");
    // `cumplimiento: muestra 79,2 % (IC 65,7–88,3 %) · población 79,6 %` on stderr.
    let said = ran
        .stderr
        .lines()
        .find_map(|line| line.strip_prefix("cumplimiento: muestra "))
        .expect("pauta report says the rate");
    let (rate, rest) = said.split_once(" (IC ").expect("the interval");
    let (interval, _) = rest.split_once(')').expect("the interval's end");
    workbench
        .get(&format!("/informe/{id}/2024-06?{}", query()))
        .status(200)
        .has(&format!(
            "<dt>Población (casos solucionados)</dt><dd>{population}</dd>"
        ))
        .has(&format!("<dt>Tamaño de la muestra</dt><dd>{size}</dd>"))
        .has(&format!("<dt>Cumplimiento en la muestra</dt><dd>{rate}</dd>"))
        .has(&format!("<dd>{interval}</dd>"))
        .has("<code>auditoría-2024</code>")
        .has("<iframe class=\"documento\" title=\"Informe de control de ANS — M1-3-06 — junio de 2024\"");
    assert_eq!((population, size), (54, 48), "the example's June");
}

#[test]
fn every_download_and_the_framed_document_are_byte_identical_to_pauta_report() {
    let workbench = workbench();
    let id = upload(&workbench, &example("casos.csv"), Some(&example("historial.csv")));
    let out = scratch("web-report", "descargas");
    for format in ["md", "html", "xlsx", "csv", "json"] {
        let written = out.join(format!("informe.{format}"));
        let written_arg = written.display().to_string();
        cli_report(
            &example_folder(),
            true,
            &[
                "--month",
                "2024-06",
                "--seed",
                SEED,
                "--generated-at",
                GENERATED,
                "--format",
                format,
                "--output",
                &written_arg,
            ],
        )
        .success();
        let expected = std::fs::read(&written).expect("pauta report wrote the file");
        let reply = workbench
            .get(&format!("/informe/{id}/2024-06/descargar/{format}?{}", query()))
            .status(200);
        assert_eq!(
            reply.header("content-disposition"),
            Some(format!("attachment; filename=\"informe-ans-2024-06.{format}\"").as_str()),
            "{format}"
        );
        assert!(
            reply.body == expected,
            "{format}: the download differs from pauta report's file"
        );
        if format == "html" {
            let framed = workbench
                .get(&format!("/informe/{id}/2024-06/ver?{}", query()))
                .status(200);
            assert!(framed.body == expected, "the framed document is the HTML report");
            let policy = framed.header("content-security-policy").unwrap_or_default();
            assert!(
                policy.contains("sandbox") && !policy.contains("script-src"),
                "{policy}"
            );
        }
        if format == "xlsx" {
            let text = String::from_utf8_lossy(&reply.body).into_owned();
            assert!(text.contains("xl/worksheets/"), "a workbook");
        }
    }
}

#[test]
fn the_months_are_those_of_pauta_report_meses() {
    let workbench = workbench();
    let id = upload(&workbench, &example("casos.csv"), Some(&example("historial.csv")));
    let ran = cli_report(&example_folder(), true, &["--meses", "--format", "json"]).success();
    let rows = ran.json();
    let rows = rows.as_array().expect("a list of months");
    assert!(rows.len() >= 6, "the example covers half a year");
    let page = workbench.get(&format!("/informe/{id}")).status(200).text();
    assert_eq!(
        page.matches("<tr id=\"fila-").count(),
        rows.len(),
        "one row per month"
    );
    for row in rows {
        let month = row["month"].as_str().expect("AAAA-MM");
        let start = page
            .find(&format!("<tr id=\"fila-{month}\">"))
            .unwrap_or_else(|| panic!("no row for {month}"));
        let end = start + page[start..].find("</tr>").expect("the row ends");
        let shown = &page[start..end];
        assert!(
            shown.contains(&format!("value=\"{month}\"")),
            "{month} can be chosen: {shown}"
        );
        assert!(
            shown.contains(&format!(
                "<td class=\"numero\">{}</td><td class=\"numero\">{}</td>",
                row["solved"], row["overdue"]
            )),
            "{month}: {shown} vs {row}"
        );
    }
    // Choosing a month leads to its report with the choices.
    let reply = workbench
        .get(&format!(
            "/informe/{id}?mes=2024-06&semilla=x&tamano=&{GENERATED_QUERY}"
        ))
        .status(303);
    assert_eq!(
        reply.header("location"),
        Some(format!("/informe/{id}/2024-06?semilla=x&{GENERATED_QUERY}").as_str())
    );
}

/// The message after `error[CODE]: ` on pauta report's stderr.
fn cli_error(ran: &Ran, code: &str) -> String {
    let prefix = format!("error[{code}]: ");
    ran.stderr
        .lines()
        .find_map(|line| line.strip_prefix(&prefix))
        .unwrap_or_else(|| panic!("no {code} in {}", ran.stderr))
        .to_owned()
}

#[test]
fn nothing_to_report_and_a_size_over_the_population_say_what_pauta_report_says() {
    let workbench = workbench();
    let id = upload(&workbench, &example("casos.csv"), Some(&example("historial.csv")));
    let empty = cli_report(
        &example_folder(),
        true,
        &["--month", "2023-12", "--generated-at", GENERATED],
    )
    .failure(3);
    workbench
        .get(&format!("/informe/{id}/2023-12?{GENERATED_QUERY}"))
        .status(422)
        .has("error[A003]")
        .has(&cli_error(&empty, "A003"))
        .has("role=\"alert\"");
    let too_large = cli_report(
        &example_folder(),
        true,
        &["--month", "2024-06", "--size", "100", "--generated-at", GENERATED],
    )
    .failure(4);
    workbench
        .get(&format!("/informe/{id}/2024-06?tamano=100&{GENERATED_QUERY}"))
        .status(422)
        .has("error[A004]")
        .has(&cli_error(&too_large, "A004"))
        .has("Tamaño de la muestra");
    // The downloads of such a report answer the same, not a file.
    workbench
        .get(&format!(
            "/informe/{id}/2024-06/descargar/json?tamano=100&{GENERATED_QUERY}"
        ))
        .status(422)
        .has("error[A004]");
}

#[test]
fn the_rejected_rows_and_the_warnings_are_those_of_pauta_report() {
    let workbench = workbench();
    let folder = aranda("malas");
    let id = upload(
        &workbench,
        &folder.join("casos.csv"),
        Some(&folder.join("historial.csv")),
    );
    let out = scratch("web-report", "rechazadas");
    let rejected = out.join("rechazadas.csv");
    let rejected_arg = rejected.display().to_string();
    let ran = cli_report(
        &folder,
        true,
        &[
            "--month",
            "2024-03",
            "--seed",
            SEED,
            "--generated-at",
            GENERATED,
            "--format",
            "json",
            "--rejected",
            &rejected_arg,
            "--size",
            "3",
        ],
    )
    .failure(1);
    let page = workbench
        .get(&format!("/informe/{id}/2024-03?tamano=3&{}", query()))
        .status(200)
        .has("Se rechazaron 20 filas")
        .text();
    // `casos:     leídas 14 = evaluadas 1 + rechazadas 13` and `historial: …` on stderr.
    for counts in ran.stderr.lines().filter_map(|line| {
        line.strip_prefix("casos:")
            .or_else(|| line.strip_prefix("historial:"))
    }) {
        assert!(page.contains(counts.trim()), "the page lacks «{}»", counts.trim());
    }
    let warnings: Vec<&str> = ran
        .stderr
        .lines()
        .filter_map(|line| line.strip_prefix("aviso: "))
        .collect();
    assert!(
        warnings
            .iter()
            .any(|warning| warning.starts_with("--size no se aplica")),
        "{}",
        ran.stderr
    );
    for warning in warnings {
        assert!(page.contains(warning), "the page lacks the warning «{warning}»");
    }
    let download = workbench
        .get(&format!("/informe/{id}/2024-03/rechazadas?tamano=3&{}", query()))
        .status(200);
    assert_eq!(
        download.header("content-disposition"),
        Some("attachment; filename=\"rechazadas-casos.csv\"")
    );
    assert!(
        download.body == std::fs::read(&rejected).expect("pauta report wrote the rejected rows"),
        "the rejected rows are pauta report's"
    );
    let json = workbench
        .get(&format!(
            "/informe/{id}/2024-03/descargar/json?tamano=3&{}",
            query()
        ))
        .status(200);
    assert_eq!(json.text(), ran.stdout);
}

#[test]
fn an_upload_is_kept_for_the_other_pages_and_can_be_chosen_again() {
    let workbench = workbench();
    workbench
        .get("/informe")
        .status(200)
        .has("class=\"campo zona-archivo\"")
        .has("<label for=\"casos\">")
        .lacks("<select");
    let id = upload(&workbench, &example("casos.csv"), None);
    workbench.get("/informe").status(200).has(&format!(
        "<option value=\"{id}\">casos.csv sin historial (subida {id})</option>"
    ));
    let chosen = workbench
        .post_multipart("/informe", &[Part::Text("exportacion", &id)])
        .status(303);
    assert_eq!(chosen.header("location"), Some(format!("/informe/{id}").as_str()));
    // Without history, as `pauta report --sin-historial`.
    workbench
        .get(&format!("/informe/{id}"))
        .status(200)
        .has("no tiene historial");
    let ran = cli_report(
        &example_folder(),
        false,
        &[
            "--month",
            "2024-06",
            "--seed",
            SEED,
            "--generated-at",
            GENERATED,
            "--format",
            "json",
        ],
    )
    .success();
    let download = workbench
        .get(&format!("/informe/{id}/2024-06/descargar/json?{}", query()))
        .status(200);
    assert_eq!(download.text(), ran.stdout);
}

#[test]
fn a_report_without_a_date_gets_one_that_its_frame_and_downloads_share() {
    let workbench = workbench();
    let id = upload(&workbench, &example("casos.csv"), Some(&example("historial.csv")));
    let reply = workbench.get(&format!("/informe/{id}/2024-06")).status(303);
    let location = reply.header("location").unwrap_or_default().to_owned();
    assert!(
        location.starts_with(&format!("/informe/{id}/2024-06?generado=")),
        "{location}"
    );
    let generated = location
        .split_once('?')
        .map(|(_, q)| q.to_owned())
        .unwrap_or_default();
    workbench
        .get(&location)
        .status(200)
        .has(&format!("/informe/{id}/2024-06/ver?{generated}"))
        .has(&format!("/informe/{id}/2024-06/descargar/xlsx?{generated}"))
        .has("(derivada del procedimiento y el mes)")
        .has("<code>M1-3-06:2024-06</code>");
}

#[test]
fn an_unknown_export_is_a_404_and_a_hostile_seed_is_shown_escaped() {
    let workbench = workbench();
    for path in [
        "/informe/999".to_owned(),
        format!("/informe/999/2024-06?{GENERATED_QUERY}"),
        format!("/informe/nada/2024-06/descargar/json?{GENERATED_QUERY}"),
    ] {
        workbench.get(&path).status(404).has("error[W014]");
    }
    let id = upload(&workbench, &example("casos.csv"), Some(&example("historial.csv")));
    workbench
        .get(&format!("/informe/{id}/2024-06/descargar/exe?{GENERATED_QUERY}"))
        .status(404)
        .has("error[W014]");
    workbench
        .get(&format!("/informe/{id}/2024-13?{GENERATED_QUERY}"))
        .status(400)
        .has("error[A001]");
    workbench
        .get(&format!("/informe/{id}/2024-06?tamano=doce&{GENERATED_QUERY}"))
        .status(400)
        .has("error[U001]");
    workbench
        .get(&format!(
            "/informe/{id}/2024-06?semilla=%3Cscript%3Ealert(1)%3C%2Fscript%3E&{GENERATED_QUERY}"
        ))
        .status(200)
        .has("&lt;script&gt;alert(1)&lt;/script&gt;")
        .lacks("<script>alert(1)");
}

#[test]
fn an_edited_policy_counts_at_once_even_for_a_report_already_built() {
    let folder = crate::common::outside("web-report", "politicas");
    for file in ["M1-3-06/v11.pauta", "calendarios/colombia.pauta"] {
        let target = folder.join(file);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(pinned_dir().join(file), &target).unwrap();
    }
    let workbench = Workbench::start(&["--policies", &folder.display().to_string()]);
    let id = upload(&workbench, &example("casos.csv"), Some(&example("historial.csv")));
    let address = format!("/informe/{id}/2024-06?{}", query());
    workbench
        .get(&address)
        .status(200)
        .has("<dt>Tamaño de la muestra</dt><dd>48</dd>");
    // A wider margin of error: a smaller sample, the moment the file is saved.
    let policy = folder.join("M1-3-06/v11.pauta");
    let text = std::fs::read_to_string(&policy).unwrap();
    assert!(text.contains("error 5 % implícita"));
    std::fs::write(
        &policy,
        text.replace("error 5 % implícita", "error 10 % implícita"),
    )
    .unwrap();
    let ran = Pauta::new(["report", "--cases", "casos.csv", "--history", "historial.csv"])
        .args([
            "--month",
            "2024-06",
            "--seed",
            SEED,
            "--generated-at",
            GENERATED,
            "--format",
            "json",
        ])
        .arg("--policies")
        .arg(&folder)
        .current_dir(example_folder())
        .run()
        .success();
    let size = ran.json()["sample_size"].as_u64().unwrap();
    assert!(size < 48, "the wider margin gives a smaller sample: {size}");
    workbench
        .get(&address)
        .status(200)
        .has(&format!("<dt>Tamaño de la muestra</dt><dd>{size}</dd>"));
    let download = workbench
        .get(&format!("/informe/{id}/2024-06/descargar/json?{}", query()))
        .status(200);
    assert_eq!(download.text(), ran.stdout);
}

#[test]
fn an_export_that_cannot_be_read_says_why_with_the_name_it_was_uploaded_with() {
    let workbench = workbench();
    // The history given as the cases file: its columns are not a cases file's.
    let id = upload(&workbench, &example("historial.csv"), None);
    let page = workbench
        .get(&format!("/informe/{id}"))
        .status(422)
        .has("error[A006]")
        .has("[E003] historial.csv: faltan columnas obligatorias")
        .has("href=\"/informe\"")
        .text();
    assert!(!page.contains("subida-"), "no private path is shown: {page}");
}
