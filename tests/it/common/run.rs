//! Runs of the real `pauta` binary that read as a specification:
//! `Pauta::new(["evaluate", "--cases", …]).pinned().run().failure(2).stderr_has("E001")`.
//! Every run starts at the crate root with `NO_COLOR=1` (the output is a pipe, so colour is off
//! anyway unless `--color always` asks for it); `current_dir` and `env` change that. The checks
//! on [`Ran`] take and give back the run, so they chain; its fields are public for the checks a
//! test makes itself (parse the JSON, count the lines, compare two runs). A failed check names
//! the command line and the line of the test that made it.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The built `pauta` binary, for the few tests that need a process the builder cannot describe
/// (a reader that goes away, a kill, a resource limit).
pub fn binary() -> PathBuf {
    assert_cmd::cargo::cargo_bin("pauta")
}

/// A `pauta` command line being built, and how it is shown in failure messages.
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
        let mut command = Command::new(binary());
        command.current_dir(super::root()).env("NO_COLOR", "1");
        Self {
            command,
            shown: "pauta".to_owned(),
        }
        .args(args)
    }

    /// Appends an argument (shown in the message of a failed check).
    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Self {
        self.shown.push(' ');
        self.shown.push_str(&arg.as_ref().to_string_lossy());
        self.command.arg(arg);
        self
    }

    /// Appends several arguments.
    pub fn args<I, S>(self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        args.into_iter().fold(self, Self::arg)
    }

    /// `--policies tests/fixtures/policies-v11`: the pinned policies.
    pub fn pinned(self) -> Self {
        self.arg("--policies").arg(super::pinned_dir())
    }

    /// Runs in `dir` instead of the crate root.
    pub fn current_dir(mut self, dir: impl AsRef<Path>) -> Self {
        self.command.current_dir(dir);
        self
    }

    /// Sets the environment variable `key` for the run.
    pub fn env(mut self, key: &str, value: impl AsRef<OsStr>) -> Self {
        self.command.env(key, value);
        self
    }

    /// Removes the environment variable `key` for the run (it is inherited otherwise).
    pub fn env_remove(mut self, key: &str) -> Self {
        self.command.env_remove(key);
        self
    }

    /// Kills the run after `seconds` (its code is then -1): for inputs built to make it hang.
    pub fn timeout(mut self, seconds: u64) -> Self {
        self.command.timeout(std::time::Duration::from_secs(seconds));
        self
    }

    /// Runs it to the end and collects its exit code and output.
    pub fn run(mut self) -> Ran {
        let output = self.command.output().expect("the command runs");
        Ran {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            stdout_bytes: output.stdout,
            shown: self.shown,
        }
    }
}

/// The outcome of a run, for chained checks and for the test's own.
pub struct Ran {
    /// Exit code (-1 when killed by a signal).
    pub code: i32,
    /// Standard output, invalid UTF-8 replaced by U+FFFD.
    pub stdout: String,
    /// Standard error, invalid UTF-8 replaced by U+FFFD.
    pub stderr: String,
    /// Standard output as written (a workbook, a Windows-1252 text).
    pub stdout_bytes: Vec<u8>,
    shown: String,
}

impl Ran {
    /// It ended with exit code 0.
    #[track_caller]
    pub fn success(self) -> Self {
        self.failure(0)
    }

    /// It ended with exit code `code`.
    #[track_caller]
    pub fn failure(self, code: i32) -> Self {
        assert_eq!(
            self.code, code,
            "{}\nstdout:\n{}\nstderr:\n{}",
            self.shown, self.stdout, self.stderr
        );
        self
    }

    /// Its standard output is exactly `text`.
    #[track_caller]
    pub fn stdout_is(self, text: &str) -> Self {
        assert_eq!(self.stdout, text, "{}", self.shown);
        self
    }

    /// Its standard output contains `text`.
    #[track_caller]
    pub fn stdout_has(self, text: &str) -> Self {
        assert!(
            self.stdout.contains(text),
            "{}: «{text}» not in\n{}",
            self.shown,
            self.stdout
        );
        self
    }

    /// Its standard output does not contain `text`.
    #[track_caller]
    pub fn stdout_lacks(self, text: &str) -> Self {
        assert!(
            !self.stdout.contains(text),
            "{}: «{text}» in\n{}",
            self.shown,
            self.stdout
        );
        self
    }

    /// Its standard error contains `text`.
    #[track_caller]
    pub fn stderr_has(self, text: &str) -> Self {
        assert!(
            self.stderr.contains(text),
            "{}: «{text}» not in\n{}",
            self.shown,
            self.stderr
        );
        self
    }

    /// Its standard error does not contain `text`.
    #[track_caller]
    pub fn stderr_lacks(self, text: &str) -> Self {
        assert!(
            !self.stderr.contains(text),
            "{}: «{text}» in\n{}",
            self.shown,
            self.stderr
        );
        self
    }

    /// Its standard output, which must be valid UTF-8.
    #[track_caller]
    pub fn utf8_stdout(&self) -> String {
        String::from_utf8(self.stdout_bytes.clone())
            .unwrap_or_else(|e| panic!("{}: stdout is not UTF-8: {e}", self.shown))
    }

    /// Its standard output parsed as JSON.
    #[track_caller]
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.stdout_bytes)
            .unwrap_or_else(|e| panic!("{}: {e}\n{}", self.shown, self.stdout))
    }
}
