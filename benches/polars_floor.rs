//! The floor for reading exports: polars reads the given CSV files into DataFrames and nothing
//! else. Run by `benches/evaluate_vs_polars.sh`; needs `--features bench-polars`.
//! Prints one line per file and the total wall time in seconds.

use std::time::Instant;

use polars::prelude::*;

fn main() -> PolarsResult<()> {
    let files: Vec<String> = std::env::args()
        .skip(1)
        .filter(|arg| arg.ends_with(".csv"))
        .collect();
    let start = Instant::now();
    for file in &files {
        let frame = CsvReadOptions::default()
            .with_has_header(true)
            .try_into_reader_with_file_path(Some(file.into()))?
            .finish()?;
        println!("{file}: {} filas x {} columnas", frame.height(), frame.width());
    }
    println!("polars_seconds {:.3}", start.elapsed().as_secs_f64());
    Ok(())
}
