//! `pauta web`, «Evaluar una exportación»: through the real binary over HTTP, an export uploaded
//! and evaluated in the background gives the figures, the files and the explanations of
//! `pauta evaluate` and `pauta explain` with the same as-of instant; the table's search,
//! filters and pages; hostile values escaped; concurrent uploads; the upload limit; and the
//! library's own error codes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use crate::common::run::{Pauta, Ran};
use crate::common::web::{Part, Workbench};
use crate::common::{PINNED, aranda, example, outside, pinned_dir};

/// The as-of instant of every comparison.
const CORTE: &str = "2024-06-30 23:59:59";

/// Uploads `parts` to `/evaluar`, follows the 303 and waits until the evaluation is no longer
/// running; its id.
fn evaluate(workbench: &Workbench, parts: &[Part]) -> u64 {
    let reply = workbench.post_multipart("/evaluar", parts).status(303);
    let location = reply.header("location").expect("a 303 names its page").to_owned();
    let id: u64 = location
        .strip_prefix("/evaluar/")
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("not an evaluation's page: {location}"));
    wait(workbench, id);
    id
}

/// Polls the API until evaluation `id` is done or failed; its last answer.
fn wait(workbench: &Workbench, id: u64) -> serde_json::Value {
    for _ in 0..3000 {
        let state = workbench
            .get(&format!("/api/evaluaciones/{id}"))
            .status(200)
            .json();
        if state["estado"] != "en curso" {
            return state;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    panic!("evaluation {id} never finished");
}

/// The example export with its history and the fixed cut.
fn example_parts() -> Vec<Part<'static>> {
    vec![
        Part::file_at("casos", leak(example("casos.csv"))),
        Part::file_at("historial", leak(example("historial.csv"))),
        Part::Text("corte", CORTE),
    ]
}

fn leak(path: PathBuf) -> &'static Path {
    Box::leak(path.into_boxed_path())
}

/// `pauta evaluate` on `cases` (and `history`) at [`CORTE`], with `extra` flags.
fn cli_evaluate(cases: &Path, history: Option<&Path>, extra: &[&str]) -> Ran {
    let mut command = Pauta::new(["evaluate", "--as-of", CORTE, "--cases"]).arg(cases);
    if let Some(history) = history {
        command = command.arg("--history").arg(history);
    }
    command.args(extra).pinned().run()
}

/// The lines of the CLI's stderr that are its summary (not the policies in use, the warning
/// about the history or where the rejected rows went).
fn summary_lines(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter(|line| {
            !line.starts_with("políticas:")
                && !line.starts_with("filas rechazadas escritas")
                && !line.starts_with("aviso: no se indicó archivo de historial")
        })
        .map(str::to_owned)
        .collect()
}

/// `text` as maud escapes it.
fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// An escaped text back to plain.
fn unescaped(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The case ids of the rows the table shows.
fn shown_ids(page: &str) -> Vec<String> {
    page.split("<tr><th scope=\"row\"><a href=\"/evaluar/")
        .skip(1)
        .filter_map(|row| {
            row.split_once("\">")
                .and_then(|(_, rest)| rest.split_once("</a>"))
        })
        .map(|(id, _)| unescaped(id))
        .collect()
}

/// The outcomes (machine values) of the rows the table shows.
fn shown_outcomes(page: &str) -> Vec<String> {
    page.split("data-resultado=\"")
        .skip(1)
        .filter_map(|rest| rest.split_once('"').map(|(value, _)| value.to_owned()))
        .collect()
}

#[test]
fn the_summary_shows_the_same_figures_as_the_command_line() {
    let workbench = Workbench::start(&["--policies", PINNED]);
    let id = evaluate(&workbench, &example_parts());
    let folder = outside("web-evaluar", "resumen");
    let cli = cli_evaluate(
        &example("casos.csv"),
        Some(&example("historial.csv")),
        &["--output", folder.join("salida.csv").to_str().expect("utf-8")],
    )
    .success();
    let page = workbench.get(&format!("/evaluar/{id}")).status(200).text();
    let lines = summary_lines(&cli.stderr);
    assert!(lines.len() >= 4, "the summary: {}", cli.stderr);
    for line in &lines {
        assert!(page.contains(&escaped(line)), "the page lacks «{line}»:\n{page}");
    }
    // Each outcome's count is in its own cell, as the CLI's «resultados:» line says.
    let outcomes = lines
        .iter()
        .find_map(|l| l.strip_prefix("resultados: "))
        .expect("a line of outcomes");
    for pair in outcomes.split(" · ") {
        let (label, count) = pair.rsplit_once(' ').expect("«label count»");
        let cell = format!("<th scope=\"row\">{label}</th><td class=\"numero\">{count}</td>");
        assert!(page.contains(&cell), "the page lacks {cell}");
    }
    assert!(page.contains("<dt>Casos leídos</dt><dd>400</dd>"));
    assert!(!page.contains("no se indicó archivo de historial"));
    // «Inicio» lists it, with its state and counts.
    workbench
        .get("/")
        .status(200)
        .has(&format!(
            "<a href=\"/evaluar/{id}\">casos.csv + historial.csv (subida {id})</a>"
        ))
        .has("lista; casos leídas 400 = evaluadas 400 + rechazadas 0");
    workbench
        .get("/evaluar")
        .status(200)
        .has(&format!("href=\"/evaluar/{id}\""));
    let state = workbench.get(&format!("/api/evaluaciones/{id}")).json();
    assert_eq!(state["estado"], "lista");
    assert_eq!(state["hechos"], 400);
}

#[test]
fn every_download_and_the_rejected_rows_are_the_command_lines_bytes() {
    let workbench = Workbench::start(&["--policies", PINNED]);
    let (cases, history) = (aranda("malas/casos.csv"), aranda("malas/historial.csv"));
    let id = evaluate(
        &workbench,
        &[
            Part::file_at("casos", &cases),
            Part::file_at("historial", &history),
            Part::Text("corte", CORTE),
        ],
    );
    let folder = outside("web-evaluar", "descargas");
    for (form, suffix) in [
        ("csv", ".csv"),
        ("json", ".jsonl"),
        ("csv-excel", "-excel.csv"),
        ("xlsx", ".xlsx"),
    ] {
        let output = folder.join(format!("salida-{form}"));
        let rejected = folder.join(format!("rechazadas-{form}.csv"));
        cli_evaluate(
            &cases,
            Some(&history),
            &[
                "--format",
                form,
                "--output",
                output.to_str().expect("utf-8"),
                "--rejected",
                rejected.to_str().expect("utf-8"),
            ],
        )
        .failure(1);
        let reply = workbench
            .get(&format!("/evaluar/{id}/descargar/{form}"))
            .status(200);
        assert_eq!(
            reply.header("content-disposition"),
            Some(format!("attachment; filename=\"evaluacion-casos{suffix}\"").as_str())
        );
        let expected = std::fs::read(&output).expect("the CLI wrote its output");
        assert!(
            reply.body == expected,
            "{form}: the download differs from the CLI's output"
        );
        if form == "csv" {
            let reply = workbench
                .get(&format!("/evaluar/{id}/rechazadas.csv"))
                .status(200);
            assert_eq!(
                reply.header("content-disposition"),
                Some("attachment; filename=\"rechazadas-casos.csv\"")
            );
            let expected = std::fs::read(&rejected).expect("the CLI wrote the rejected rows");
            assert!(reply.body == expected, "the rejected rows differ from the CLI's");
        }
    }
    workbench
        .get(&format!("/evaluar/{id}/descargar/pdf"))
        .status(404)
        .has("error[W014]");
    // The rejected rows are listed on the page too, with their codes and meanings.
    workbench
        .get(&format!("/evaluar/{id}"))
        .status(200)
        .has("Filas rechazadas")
        .has("<th scope=\"row\">I001</th><td>categoría desconocida</td>")
        .has("mostrando 1–20 de 20");
}

#[test]
fn without_history_the_page_shows_the_command_lines_warning() {
    let workbench = Workbench::start(&["--policies", PINNED]);
    let cases = example("casos.csv");
    let id = evaluate(
        &workbench,
        &[Part::file_at("casos", &cases), Part::Text("corte", CORTE)],
    );
    let folder = outside("web-evaluar", "sin-historial");
    let cli = cli_evaluate(
        &cases,
        None,
        &["--output", folder.join("s.csv").to_str().expect("utf-8")],
    )
    .success();
    let warning = cli
        .stderr
        .lines()
        .find_map(|line| line.strip_prefix("aviso: no se indicó"))
        .expect("the CLI warns");
    let page = workbench.get(&format!("/evaluar/{id}")).status(200).text();
    assert!(
        page.contains(&format!("no se indicó{}", escaped(warning))),
        "the page lacks the CLI's warning:\n{page}"
    );
    assert!(page.contains(pauta::cases::run::MISSING_HISTORY_WARNING));
    for line in summary_lines(&cli.stderr) {
        assert!(page.contains(&escaped(&line)), "the page lacks «{line}»");
    }
}

#[test]
fn filters_search_and_pages_narrow_the_table() {
    let workbench = Workbench::start(&["--policies", PINNED]);
    let id = evaluate(&workbench, &example_parts());
    let base = format!("/evaluar/{id}");
    let text = std::fs::read_to_string(example("casos.csv")).expect("the example");
    let in_file: Vec<String> = text
        .lines()
        .skip(1)
        .filter_map(|line| line.split(',').next().map(str::to_owned))
        .collect();
    assert_eq!(in_file.len(), 400);
    let first = workbench.get(&base).status(200).text();
    assert!(first.contains("mostrando 1–50 de 400"));
    assert_eq!(shown_ids(&first), in_file[..50]);

    let second = workbench.get(&format!("{base}?pagina=2")).status(200).text();
    assert!(second.contains("mostrando 51–100 de 400"));
    assert_eq!(shown_ids(&second), in_file[50..100]);
    assert!(second.contains(&format!("<a href=\"{base}?pagina=3\" rel=\"next\">Siguiente</a>")));
    let last = workbench.get(&format!("{base}?pagina=99")).status(200).text();
    assert!(
        last.contains("mostrando 351–400 de 400"),
        "a page past the end shows the last"
    );
    assert_eq!(shown_ids(&last), in_file[350..]);

    let breached = workbench
        .get(&format!("{base}?resultado=breached"))
        .status(200)
        .text();
    let outcomes = shown_outcomes(&breached);
    assert_eq!(outcomes.len(), 49, "the CLI counts 49 breached");
    assert!(outcomes.iter().all(|o| o == "breached"), "{outcomes:?}");
    assert!(breached.contains("mostrando 1–49 de 49"));
    assert!(breached.contains("<option value=\"breached\" selected>incumple</option>"));

    let one = workbench.get(&format!("{base}?q=100002")).status(200).text();
    assert_eq!(shown_ids(&one), ["100002"]);
    let some = workbench.get(&format!("{base}?q=10039")).status(200).text();
    let expected: Vec<&String> = in_file.iter().filter(|id| id.contains("10039")).collect();
    assert!(expected.len() > 1);
    assert_eq!(shown_ids(&some).iter().collect::<Vec<_>>(), expected);

    let finding = workbench.get(&format!("{base}?hallazgo=H008")).status(200).text();
    assert_eq!(shown_ids(&finding).len(), 3, "the CLI counts H008 in 3 cases");

    let category = "Actualización y divulgación de contenidos en la web";
    let by_category = workbench
        .get(&format!(
            "{base}?categoria={}",
            crate::common::web::form_escape(category)
        ))
        .status(200)
        .text();
    let rows = by_category.matches(&format!("<td>{category}</td>")).count();
    assert!(
        rows > 0 && rows == shown_ids(&by_category).len(),
        "{rows} rows of that category"
    );

    let combined = workbench
        .get(&format!("{base}?resultado=met&q=1001&pagina=1"))
        .status(200)
        .text();
    let ids = shown_ids(&combined);
    assert!(!ids.is_empty() && ids.iter().all(|id| id.contains("1001")));
    assert!(shown_outcomes(&combined).iter().all(|o| o == "met"));
    // The page links keep the filters.
    let many = workbench.get(&format!("{base}?resultado=met")).status(200).text();
    assert!(many.contains(&format!(
        "<a href=\"{base}?resultado=met&amp;pagina=2\">Página 2</a>"
    )));
    let nothing = workbench.get(&format!("{base}?q=no-existe")).status(200).text();
    assert!(nothing.contains("mostrando 0 de 0") && shown_ids(&nothing).is_empty());
}

#[test]
fn a_case_explanation_is_the_command_lines() {
    let workbench = Workbench::start(&["--policies", PINNED]);
    let id = evaluate(&workbench, &example_parts());
    let page = workbench
        .get(&format!("/evaluar/{id}/caso/100002"))
        .status(200)
        .text();
    let shown = page
        .split_once("<pre class=\"explicacion\">")
        .and_then(|(_, rest)| rest.split_once("</pre>"))
        .map(|(text, _)| unescaped(text))
        .expect("the explanation in a <pre>");
    let cli = Pauta::new(["explain", "100002", "--as-of", CORTE, "--cases"])
        .arg(example("casos.csv"))
        .arg("--history")
        .arg(example("historial.csv"))
        .pinned()
        .run()
        .success();
    // The first line names the cases file: the CLI its path, the page the uploaded file's name.
    let (cli_first, cli_rest) = cli.stdout.split_once('\n').expect("lines");
    let (web_first, web_rest) = shown.split_once('\n').expect("lines");
    assert_eq!(web_first, "Caso 100002 (línea 3 de casos.csv)");
    assert!(cli_first.starts_with("Caso 100002 (línea 3 de "), "{cli_first}");
    assert_eq!(web_rest, cli_rest);
    workbench
        .get(&format!("/evaluar/{id}/caso/999999"))
        .status(404)
        .has("error[W014]")
        .has("el caso «999999» no está en casos.csv");
    workbench.get("/evaluar/9999").status(404).has("error[W014]");
    workbench
        .get("/evaluar/abc/caso/1")
        .status(404)
        .has("error[W014]");
}

#[test]
fn hostile_values_are_escaped() {
    let folder = outside("web-evaluar", "hostil");
    let original = std::fs::read_to_string(example("casos.csv")).expect("the example");
    let mut lines: Vec<String> = original.lines().map(str::to_owned).collect();
    lines[1] = lines[1].replacen("100001", "<script>alert(1)</script>", 1);
    lines[2] = lines[2].replacen(
        "Actualización y divulgación de contenidos en la web",
        "\"\"\"><img src=x onerror=alert(1)>\"",
        1,
    );
    let cases = folder.join("casos.csv");
    std::fs::write(&cases, lines.join("\n") + "\n").expect("written");
    let workbench = Workbench::start(&["--policies", PINNED]);
    let id = evaluate(
        &workbench,
        &[Part::file_at("casos", &cases), Part::Text("corte", CORTE)],
    );
    let page = workbench.get(&format!("/evaluar/{id}")).status(200).text();
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{page}");
    assert!(
        page.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"),
        "{page}"
    );
    assert!(!page.contains("<script>alert"));
    assert!(!page.contains("<img src=x"));
    // The hostile id's explanation, through its escaped link.
    let link = format!("/evaluar/{id}/caso/%3Cscript%3Ealert%281%29%3C%2Fscript%3E");
    assert!(page.contains(&link), "the link is percent-encoded");
    workbench
        .get(&link)
        .status(200)
        .has("Caso &lt;script&gt;alert(1)&lt;/script&gt;")
        .lacks("<script>alert");
    // The rejected row (its category is unknown) and «Inicio» are escaped too.
    workbench
        .get("/")
        .status(200)
        .lacks("<script>alert")
        .lacks("<img src=x");
}

#[test]
fn ten_simultaneous_uploads_agree_with_the_command_line() {
    let workbench = Workbench::start(&["--policies", PINNED]);
    let folder = outside("web-evaluar", "diez");
    let cli = cli_evaluate(
        &example("casos.csv"),
        Some(&example("historial.csv")),
        &["--output", folder.join("s.csv").to_str().expect("utf-8")],
    )
    .success();
    let lines = summary_lines(&cli.stderr);
    let ids: Vec<u64> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..10)
            .map(|_| scope.spawn(|| evaluate(&workbench, &example_parts())))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("an upload thread"))
            .collect()
    });
    let mut distinct = ids.clone();
    distinct.sort_unstable();
    distinct.dedup();
    assert_eq!(distinct.len(), 10, "ten evaluations: {ids:?}");
    for id in ids {
        let page = workbench.get(&format!("/evaluar/{id}")).status(200).text();
        for line in &lines {
            assert!(page.contains(&escaped(line)), "evaluation {id} lacks «{line}»");
        }
    }
}

#[test]
fn an_upload_over_the_limit_is_refused_in_spanish() {
    let workbench = Workbench::start(&["--policies", PINNED, "--limite-subida", "1"]);
    let big = vec![b'x'; 2_000_000];
    workbench
        .post_multipart("/evaluar", &[Part::File("casos", "casos.csv", big)])
        .status(413)
        .has("error[W012]")
        .has("supera");
}

#[test]
fn a_form_without_cases_or_with_a_bad_date_comes_back_with_the_error() {
    let workbench = Workbench::start(&["--policies", PINNED]);
    workbench
        .post_multipart("/evaluar", &[Part::Text("corte", CORTE)])
        .status(400)
        .has("error[W013]")
        .has("falta el archivo de casos")
        .has("<form class=\"tarea\" method=\"post\" action=\"/evaluar\"");
    let cases = example("casos.csv");
    workbench
        .post_multipart(
            "/evaluar",
            &[Part::file_at("casos", &cases), Part::Text("corte", "30 de junio")],
        )
        .status(422)
        .has("error[U014]")
        .has("la fecha de corte «30 de junio» no es una fecha y hora");
    workbench
        .get("/evaluar")
        .status(200)
        .has("Aún no se ha evaluado ninguna exportación")
        .has("<label for=\"casos\" class=\"zona-archivo\">")
        .has("enctype=\"multipart/form-data\"");
    workbench
        .get("/estatico/evaluar.js")
        .status(200)
        .has("bar.dataset.api")
        .has("window.location.reload()");
}

#[test]
fn a_cases_file_that_is_not_an_export_shows_the_librarys_code() {
    let policy = pinned_dir().join("M1-3-06/v11.pauta");
    let cli = Pauta::new(["evaluate", "--as-of", CORTE, "--cases"])
        .arg(&policy)
        .pinned()
        .run();
    let code = cli
        .stderr
        .split("error[")
        .nth(1)
        .and_then(|rest| rest.split_once(']'))
        .map(|(code, _)| code.to_owned())
        .unwrap_or_else(|| panic!("the CLI names a code: {}", cli.stderr));
    assert!(code.starts_with('E'), "{code}");
    let workbench = Workbench::start(&["--policies", PINNED]);
    let reply = workbench
        .post_multipart(
            "/evaluar",
            &[Part::file_at("casos", &policy), Part::Text("corte", CORTE)],
        )
        .status(303);
    let location = reply.header("location").expect("its page").to_owned();
    let id: u64 = location.trim_start_matches("/evaluar/").parse().expect("an id");
    let state = wait(&workbench, id);
    assert_eq!(state["estado"], "fallida");
    assert_eq!(state["codigo"], code.as_str());
    let page = workbench
        .get(&location)
        .status(422)
        .has(&format!("error[{code}]"))
        .lacks("pauta-web-")
        .text();
    assert!(
        page.contains("v11.pauta"),
        "the message names the uploaded file: {page}"
    );
}
