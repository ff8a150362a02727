//! Runs of the real `pauta` binary that read as a specification:
//! `Pauta::new(["evaluate", "--cases", …]).pinned().run().failure(2).stderr_has("E001")`.
//! Every run starts at the crate root with `NO_COLOR=1`.

use std::ffi::OsStr;
use std::path::Path;

use assert_cmd::Command;

/// A command line to run.
pub struct Pauta {
    command: Command,
    shown: String,
}

impl Pauta {
    /// `pauta` with `args`.
    pub fn new<I, S>(args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        let mut command = Command::cargo_bin("pauta").expect("the binary is built");
        command.current_dir(super::assets::root()).env("NO_COLOR", "1");
        let mut run = Self {
            command,
            shown: "pauta".to_owned(),
        };
        for arg in args {
            run = run.arg(arg);
        }
        run
    }

    /// One more argument.
    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Self {
        self.shown.push(' ');
        self.shown.push_str(&arg.as_ref().to_string_lossy());
        self.command.arg(arg);
        self
    }

    /// `--policies tests/fixtures/policies-v11`: the pinned policies.
    pub fn pinned(self) -> Self {
        self.arg("--policies").arg(super::pinned_dir())
    }

    /// Runs in `dir` instead of the crate root.
    pub fn current_dir(mut self, dir: &Path) -> Self {
        self.command.current_dir(dir);
        self
    }

    /// Runs it.
    pub fn run(mut self) -> Ran {
        let output = self.command.output().expect("the command runs");
        Ran {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            shown: self.shown,
        }
    }
}

/// What a run gave.
pub struct Ran {
    /// Exit code (-1 when killed by a signal).
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
    shown: String,
}

impl Ran {
    /// It ended with exit code 0.
    pub fn success(self) -> Self {
        self.failure(0)
    }

    /// It ended with exit code `code`.
    pub fn failure(self, code: i32) -> Self {
        assert_eq!(self.code, code, "{}\n{}", self.shown, self.stderr);
        self
    }

    /// Its standard output contains `text`.
    pub fn stdout_has(self, text: &str) -> Self {
        assert!(
            self.stdout.contains(text),
            "{}: «{text}» not in\n{}",
            self.shown,
            self.stdout
        );
        self
    }

    /// Its standard error contains `text`.
    pub fn stderr_has(self, text: &str) -> Self {
        assert!(
            self.stderr.contains(text),
            "{}: «{text}» not in\n{}",
            self.shown,
            self.stderr
        );
        self
    }
}
