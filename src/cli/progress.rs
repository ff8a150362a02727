//! Progress bars on stderr for the commands that can run longer than a second or two: only on a
//! terminal, only for inputs large enough to need one, updated now and then (never per row).

use std::fs::File;
use std::io::{IsTerminal, Read};
use std::path::Path;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Bytes of a cases file from which a progress bar is worth showing (about a second of work).
const FROM_BYTES: u64 = 24 << 20;

/// Rows between two updates of a bar.
pub const STEP: u64 = 4096;

/// A bar over the rows of `cases` (estimated from its size and its first 64 KiB), or `None` when
/// stderr is not a terminal or the file is small. `what` names the work: «evaluando».
pub fn over_cases(cases: &Path, what: &str) -> Option<ProgressBar> {
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let size = std::fs::metadata(cases).ok()?.len();
    if size < FROM_BYTES {
        return None;
    }
    let mut head = vec![0u8; 64 << 10];
    let read = File::open(cases).and_then(|mut file| file.read(&mut head)).ok()?;
    let lines = head
        .get(..read)?
        .iter()
        .filter(|byte| **byte == b'\n')
        .count()
        .max(1) as u64;
    let estimate = size.saturating_mul(lines) / (read.max(1) as u64);
    Some(bar(estimate, what, "casos"))
}

/// A bar over `total` items, when stderr is a terminal and there are enough to need one.
pub fn over(total: u64, what: &str, unit: &str, worth_from: u64) -> Option<ProgressBar> {
    (std::io::stderr().is_terminal() && total >= worth_from).then(|| bar(total, what, unit))
}

fn bar(total: u64, what: &str, unit: &str) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(total.max(1)), ProgressDrawTarget::stderr());
    let template = format!("{what} {{bar:30}} {{pos}}/{{len}} {unit} · quedan {{eta}}");
    if let Ok(style) = ProgressStyle::with_template(&template) {
        bar.set_style(style);
    }
    bar
}

/// Counts rows and moves `bar` every [`STEP`] rows.
#[derive(Default)]
pub struct Ticker {
    seen: u64,
}

impl Ticker {
    /// One more row.
    pub fn tick(&mut self, bar: Option<&ProgressBar>) {
        self.seen += 1;
        if self.seen.is_multiple_of(STEP)
            && let Some(bar) = bar
        {
            bar.set_position(self.seen);
        }
    }
}

/// A writer that moves `bar` as lines are written through it.
pub struct CountingWriter<W> {
    inner: W,
    bar: Option<ProgressBar>,
    lines: u64,
    shown: u64,
}

impl<W> CountingWriter<W> {
    /// `inner`, counted on `bar`.
    pub fn new(inner: W, bar: Option<ProgressBar>) -> Self {
        Self {
            inner,
            bar,
            lines: 0,
            shown: 0,
        }
    }

    /// Clears the bar.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl<W: std::io::Write> std::io::Write for CountingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let written = self.inner.write(buf)?;
        if let Some(bar) = &self.bar {
            self.lines += buf
                .get(..written)
                .unwrap_or_default()
                .iter()
                .filter(|b| **b == b'\n')
                .count() as u64;
            if self.lines - self.shown >= STEP {
                self.shown = self.lines;
                bar.set_position(self.lines);
            }
        }
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}
