//! The history read alongside the cases (`--memoria-acotada`, or on its own when memory is
//! short) gives what the history read whole gives: the same evaluations, the same rejected rows
//! in the same order, the same counts. A property over generated exports (repeated ids, rows
//! without id, unreadable rows, unknown states, histories of cases the file lacks, both
//! directions of order) and the real binary on the fixtures, out-of-order files and a history
//! larger than the memory the process is allowed.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use pauta::calendar::clock::local_seconds;
use pauta::cases::sink::{Form, Sink};
use pauta::cases::{HistoryReading, Mapping, RunOptions, run};
use pauta::policy::PolicySet;
use proptest::prelude::*;

use crate::common::{self, root};

/// The rows after the id of the fixtures' cases and history rows (good ones and bad ones).
fn tails(path: &str) -> Vec<String> {
    let text = std::fs::read_to_string(root().join(path)).unwrap();
    text.lines()
        .skip(1)
        .filter_map(|line| line.split_once(',').map(|(_, tail)| tail.to_owned()))
        .collect()
}

/// One case id of a generated export: its case rows (0 = a history of a case the file lacks; 2 =
/// a repeated id) and its history rows, by index into the pools.
#[derive(Debug, Clone)]
struct Slot {
    case: usize,
    copies: usize,
    history: Vec<usize>,
}

fn slot() -> impl Strategy<Value = Slot> {
    (
        any::<usize>(),
        prop_oneof![3 => Just(1_usize), 1 => Just(0), 1 => Just(2)],
        prop::collection::vec(any::<usize>(), 0..5),
    )
        .prop_map(|(case, copies, history)| Slot {
            case,
            copies,
            history,
        })
}

/// Writes the export of `slots` (ids in natural order, or reversed), with `stray` rows without
/// an id (or unreadable) put among them; returns the two paths.
fn write_export(dir: &Path, slots: &[Slot], descending: bool, stray: &[usize]) -> (PathBuf, PathBuf) {
    let case_pool: Vec<String> = [
        tails("tests/fixtures/aranda/basica/casos.csv"),
        tails("tests/fixtures/aranda/malas/casos.csv"),
    ]
    .concat();
    let mut history_pool: Vec<String> = [
        tails("tests/fixtures/aranda/basica/historial.csv"),
        tails("tests/fixtures/aranda/malas/historial.csv"),
    ]
    .concat();
    history_pool.push("07/03/2024 10:00:00,En proceso,Suspendido,\"En espera\npor usuario\"".to_owned());
    let header_cases = "Caso,Servicio,Estado,Fecha de registro,Fecha de solución real,Fecha de cierre,Excepción,Adjuntos,Área solicitante\n";
    let (mut cases, mut history) = (
        header_cases.to_owned(),
        "Caso,Fecha,Estado anterior,Estado nuevo,Razón\n".to_owned(),
    );
    let mut order: Vec<usize> = (0..slots.len()).collect();
    if descending {
        order.reverse();
    }
    for (place, index) in order.into_iter().enumerate() {
        let slot = &slots[index];
        // Ids 9, 10, 11…: natural order differs from character order.
        let id = 9 + index;
        for _ in 0..slot.copies {
            writeln!(cases, "{id},{}", case_pool[slot.case % case_pool.len()]).unwrap();
        }
        for row in &slot.history {
            writeln!(history, "{id},{}", history_pool[row % history_pool.len()]).unwrap();
        }
        if stray.contains(&place) {
            cases.push_str(",Diseño de piezas comerciales,Cerrado,05/03/2024 10:00:00,,,,,\n");
            cases.push_str(&format!("{id},solo dos campos\n"));
            history.push_str(",05/03/2024 11:00:00,Registrado,En proceso,Asignado\n");
            history.push_str(&format!("{id},ayer,Registrado,En proceso,Asignado\n"));
        }
    }
    let (cases_path, history_path) = (dir.join("casos.csv"), dir.join("historial.csv"));
    std::fs::write(&cases_path, cases).unwrap();
    std::fs::write(&history_path, history).unwrap();
    (cases_path, history_path)
}

/// Everything a run hands out: the evaluation CSV, every rejected row in order, and the counts.
fn outputs(
    set: &PolicySet,
    cases: &Path,
    history: &Path,
    reading: HistoryReading,
) -> Result<(String, Vec<String>, String), String> {
    let mapping = Mapping::embedded().unwrap();
    let options = RunOptions {
        cases: cases.to_owned(),
        history: Some(history.to_owned()),
        as_of: local_seconds(
            chrono::NaiveDate::from_ymd_opt(2024, 6, 30)
                .unwrap()
                .and_hms_opt(17, 0, 0)
                .unwrap(),
        ),
        procedure: None,
        trace_case: None,
        pinned_version: None,
        history_reading: reading,
    };
    let mut written = Vec::new();
    let mut sink = Sink::new(Form::Csv, &mut written, "casos").unwrap();
    let mut rejected = Vec::new();
    let summary = run(
        set,
        &mapping,
        &options,
        |_, evaluation, _, _| sink.write(evaluation),
        |r| {
            rejected.push(format!(
                "{:?} {} {} {:?} {} | {}",
                r.file, r.line, r.case_id, r.code, r.reason, r.row
            ));
            Ok(())
        },
    )
    .map_err(|error| format!("{} {error}", error.code()))?;
    sink.finish(&summary).unwrap();
    let mut counts = summary.clone();
    counts.history_note = None;
    Ok((
        String::from_utf8(written).unwrap(),
        rejected,
        format!("{counts:?}"),
    ))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, failure_persistence: None, .. ProptestConfig::default() })]

    /// Any export whose two files keep one order gives, read alongside, what it gives read whole.
    #[test]
    fn reading_alongside_gives_what_reading_whole_gives(
        slots in prop::collection::vec(slot(), 1..24),
        descending in any::<bool>(),
        stray in prop::collection::vec(0_usize..24, 0..3),
    ) {
        let dir = scratch();
        let (cases, history) = write_export(&dir, &slots, descending, &stray);
        let set = PolicySet::embedded().unwrap();
        let whole = outputs(&set, &cases, &history, HistoryReading::Automatic);
        let alongside = outputs(&set, &cases, &history, HistoryReading::Alongside);
        prop_assert!(whole.is_ok(), "{whole:?}");
        prop_assert_eq!(alongside, whole);
    }
}

/// A fresh scratch folder for one generated export.
fn scratch() -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    common::scratch("alongside", &NEXT.fetch_add(1, Ordering::SeqCst).to_string())
}

// ---------------------------------------------------------------- the real binary

/// Runs `pauta ARGS`, optionally under `ulimit -v KIB`: (exit code, stdout, stderr).
fn pauta_run(args: &[&str], limit_kib: Option<u64>) -> (i32, String, String) {
    let mut command = match limit_kib {
        Some(kib) => {
            let mut command = std::process::Command::new("sh");
            command.args([
                "-c",
                &format!("ulimit -v {kib} && exec \"$0\" \"$@\""),
                env!("CARGO_BIN_EXE_pauta"),
            ]);
            command
        }
        None => std::process::Command::new(env!("CARGO_BIN_EXE_pauta")),
    };
    let out = command
        .args(args)
        .env("NO_COLOR", "1")
        .env("RAYON_NUM_THREADS", "2")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `pauta evaluate` of an export into `out` (evaluation `evaluacion.EXT` and rejected rows),
/// with `extra` flags: (exit code, stderr).
fn evaluate(
    cases: &Path,
    history: &Path,
    out: &Path,
    extension: &str,
    extra: &[&str],
    limit_kib: Option<u64>,
) -> (i32, String) {
    std::fs::create_dir_all(out).unwrap();
    let evaluation = out.join(format!("evaluacion.{extension}"));
    let rejected = out.join("rechazadas.csv");
    let mut args = vec![
        "evaluate",
        "--cases",
        cases.to_str().unwrap(),
        "--history",
        history.to_str().unwrap(),
        "--as-of",
        "2024-06-30 17:00:00",
        "--output",
        evaluation.to_str().unwrap(),
        "--rejected",
        rejected.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let (code, _, err) = pauta_run(&args, limit_kib);
    (code, err)
}

/// Every file `dir` holds, by name, with its bytes.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut found: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| {
            let path = entry.unwrap().path();
            (
                path.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&path).unwrap(),
            )
        })
        .collect();
    found.sort();
    found
}

/// The fixtures whose files keep one order give, with `--memoria-acotada`, the same files in
/// every form and the same summary.
#[test]
fn memoria_acotada_gives_the_same_files_on_the_fixtures() {
    for fixture in ["basica", "windows1252"] {
        let cases = common::aranda(&format!("{fixture}/casos.csv"));
        let history = common::aranda(&format!("{fixture}/historial.csv"));
        for extension in ["csv", "json", "xlsx"] {
            let dir = common::scratch("alongside-fixtures", &format!("{fixture}-{extension}"));
            let (whole_code, whole_err) =
                evaluate(&cases, &history, &dir.join("entero"), extension, &[], None);
            let (code, err) = evaluate(
                &cases,
                &history,
                &dir.join("acotada"),
                extension,
                &["--memoria-acotada"],
                None,
            );
            assert_eq!(
                (code, whole_code),
                (0, 0),
                "{fixture}.{extension}: {err}\n{whole_err}"
            );
            assert_eq!(
                err.replace("acotada", "entero"),
                whole_err,
                "{fixture}.{extension}: summary"
            );
            assert!(whole_err.contains("historial: leídas"), "{whole_err}");
            assert_eq!(
                files(&dir.join("acotada")),
                files(&dir.join("entero")),
                "{fixture}.{extension}: files"
            );
        }
    }
}

/// A history whose rows leave the cases file's order is refused under `--memoria-acotada`,
/// naming the file, the line and the two ids; nothing is written. Without the flag the same
/// export is evaluated (whole).
#[test]
fn a_history_out_of_order_is_refused_naming_its_line() {
    let dir = common::scratch("alongside-order", "historial");
    let cases = common::aranda("basica/casos.csv");
    let text = std::fs::read_to_string(common::aranda("basica/historial.csv")).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    // A row of case 2001 moved after the rows of 2002.
    let moved = lines.remove(2);
    let after = lines.iter().rposition(|line| line.starts_with("2002,")).unwrap();
    lines.insert(after + 1, moved);
    let history = dir.join("historial.csv");
    std::fs::write(&history, lines.join("\n") + "\n").unwrap();
    let moved_line = after + 2;
    let (code, err) = evaluate(
        &cases,
        &history,
        &dir.join("salida"),
        "csv",
        &["--memoria-acotada"],
        None,
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("error[E010]"), "{err}");
    assert!(
        err.contains(&format!(
            "historial.csv, línea {moved_line}: el caso «2001» viene después de «2002»"
        )),
        "{err}"
    );
    assert!(
        err.contains("Ordene los dos archivos por número de caso"),
        "{err}"
    );
    assert!(
        !dir.join("salida").join("evaluacion.csv").exists(),
        "nothing is written"
    );
    let (code, err) = evaluate(&cases, &history, &dir.join("entero"), "csv", &[], None);
    assert_eq!(code, 0, "{err}");
}

/// A cases file out of order (the «malas» fixture repeats case 3001 far from its first row) is
/// named as such.
#[test]
fn a_cases_file_out_of_order_is_refused_naming_its_line() {
    let dir = common::scratch("alongside-order", "casos");
    let (code, err) = evaluate(
        &common::aranda("malas/casos.csv"),
        &common::aranda("malas/historial.csv"),
        &dir,
        "csv",
        &["--memoria-acotada"],
        None,
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("error[E010]"), "{err}");
    assert!(
        err.contains("casos.csv, línea 7: el caso «3001» viene después de «3004»"),
        "{err}"
    );
    assert!(
        err.contains("el archivo de casos no está ordenado por número de caso"),
        "{err}"
    );
}

/// Address space the process is allowed in the next test: a debug build evaluates the
/// generated export read alongside within it, and its history alone is larger.
const LIMIT_KIB: u64 = 160 * 1024;

/// An export whose history is larger than the memory the process may use: pauta sees that
/// the history does not fit, says so, reads it alongside the cases by itself, and writes what
/// the history read whole (without the limit) gives.
#[test]
fn a_history_larger_than_the_memory_allowed_is_read_alongside() {
    let dir = common::scratch("alongside-limit", "export");
    let export = dir.join("export");
    let (code, _, err) = pauta_run(
        &[
            "generate",
            "--cases",
            "600000",
            "--seed",
            "11",
            "--out",
            export.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    let (cases, history) = (export.join("casos.csv"), export.join("historial.csv"));
    let history_bytes = std::fs::metadata(&history).unwrap().len();
    assert!(
        history_bytes > LIMIT_KIB * 1024,
        "the history ({history_bytes} B) exceeds the limit"
    );

    let (code, limited_err) = evaluate(
        &cases,
        &history,
        &dir.join("limitado"),
        "csv",
        &[],
        Some(LIMIT_KIB),
    );
    assert_eq!(code, 0, "{limited_err}");
    assert!(
        limited_err.contains("no cabe holgado en la memoria disponible")
            && limited_err.contains("se lee junto a los casos, por tandas, sin cargarlo entero"),
        "the user is told: {limited_err}"
    );
    let (code, whole_err) = evaluate(&cases, &history, &dir.join("entero"), "csv", &[], None);
    assert_eq!(code, 0, "{whole_err}");
    assert!(!whole_err.contains("por tandas"), "{whole_err}");
    let summary = |err: &str| {
        err.lines()
            .filter(|line| !line.starts_with("aviso:"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(summary(&limited_err), summary(&whole_err));
    assert!(
        files(&dir.join("limitado")) == files(&dir.join("entero")),
        "the same files"
    );

    // The same history with its first row moved to the end keeps no order: it cannot be read
    // alongside, and read whole it does not fit. pauta says so, in Spanish, with what to do,
    // instead of the allocator's abort.
    let text = std::fs::read(&history).unwrap();
    let first_end = text.iter().position(|byte| *byte == b'\n').unwrap() + 1;
    let second_end = first_end + text[first_end..].iter().position(|byte| *byte == b'\n').unwrap() + 1;
    let unsorted = export.join("historial-desordenado.csv");
    std::fs::write(
        &unsorted,
        [
            &text[..first_end],
            &text[second_end..],
            &text[first_end..second_end],
        ]
        .concat(),
    )
    .unwrap();
    drop(text);
    let (code, err) = evaluate(
        &cases,
        &unsorted,
        &dir.join("desordenado"),
        "csv",
        &[],
        Some(LIMIT_KIB),
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("error[E011]: no hay memoria para leer entero el historial"),
        "{err}"
    );
    assert!(err.contains("ordene los dos archivos"), "{err}");
    assert!(
        !dir.join("desordenado").join("evaluacion.csv").exists(),
        "nothing is written"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// `report` and `explain` read the history alongside as `evaluate` does, and say the same.
#[test]
fn report_and_explain_read_alongside_the_same() {
    let cases = root().join("examples/aranda-2024/casos.csv");
    let history = root().join("examples/aranda-2024/historial.csv");
    let (cases, history) = (cases.to_str().unwrap(), history.to_str().unwrap());
    let dir = common::scratch("alongside-report", "json");
    let mut outputs = Vec::new();
    for extra in [None, Some("--memoria-acotada")] {
        let report = dir.join(format!("informe-{}.json", outputs.len()));
        let mut args = vec![
            "report",
            "--cases",
            cases,
            "--history",
            history,
            "--month",
            "2024-06",
            "--generated-at",
            "2024-07-01 08:00:00",
            "--output",
            report.to_str().unwrap(),
        ];
        args.extend(extra);
        let (code, _, err) = pauta_run(&args, None);
        assert_eq!(code, 0, "{err}");
        let mut explain = vec![
            "explain",
            "100336",
            "--cases",
            cases,
            "--history",
            history,
            "--as-of",
            "2024-05-31 23:59:59",
        ];
        explain.extend(extra);
        let (code, out, err) = pauta_run(&explain, None);
        assert_eq!(code, 0, "{err}");
        outputs.push((std::fs::read_to_string(&report).unwrap(), out));
    }
    assert!(outputs[0].1.contains("historial línea"), "{}", outputs[0].1);
    assert_eq!(outputs[1], outputs[0]);
}

/// `report --meses` reads the history once for all its months: its rejected rows are those of
/// `evaluate` on the same export, each once.
#[test]
fn the_months_list_rejects_each_row_once() {
    let dir = common::scratch("alongside-months", "malas");
    let cases = common::aranda("malas/casos.csv");
    let history = common::aranda("malas/historial.csv");
    let (cases, history) = (cases.to_str().unwrap(), history.to_str().unwrap());
    let listed = dir.join("meses.csv");
    let (_, _, err) = pauta_run(
        &[
            "report",
            "--cases",
            cases,
            "--history",
            history,
            "--meses",
            "--rejected",
            listed.to_str().unwrap(),
        ],
        None,
    );
    assert!(err.contains("filas rechazadas escritas en"), "{err}");
    let evaluated = dir.join("evaluacion.csv");
    let (_, _, err) = pauta_run(
        &[
            "evaluate",
            "--cases",
            cases,
            "--history",
            history,
            "--output",
            dir.join("salida.csv").to_str().unwrap(),
            "--rejected",
            evaluated.to_str().unwrap(),
        ],
        None,
    );
    assert!(err.contains("filas rechazadas escritas en"), "{err}");
    let rows = |path: &Path| -> Vec<String> {
        let text = std::fs::read_to_string(path).unwrap();
        let mut rows: Vec<String> = text
            .lines()
            .skip(1)
            .map(|line| line.split(';').take(4).collect::<Vec<_>>().join(";"))
            .collect();
        rows.sort();
        rows
    };
    let (listed, evaluated) = (rows(&listed), rows(&evaluated));
    assert!(
        listed.iter().any(|row| row.starts_with("historial;")),
        "{listed:?}"
    );
    assert_eq!(listed, evaluated);
}
