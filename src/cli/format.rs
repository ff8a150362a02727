//! The output form of the commands that print either a readable text or JSON: one flag,
//! `--format text|json`, with the same name for the human form everywhere.

use clap::ValueEnum;

/// Readable text or JSON.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum TextOrJson {
    /// Texto legible en español.
    #[default]
    #[value(alias = "texto", alias = "human")]
    Text,
    /// JSON para otros programas.
    Json,
}
