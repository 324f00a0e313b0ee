//! Grading: student ledgers scored against a key.
//!
//! A ledger is the JSON file a student exports from a lab page (schema
//! `labgen-ledger/1`); the key is the book's `answers.json` (schema
//! `labgen-key/1`, read into the same [`BookKey`] that `labgen build`
//! writes), which also carries the scoring scheme from `book.toml`.
//!
//! Ledgers are untrusted input. Each one is checked before it is believed
//! (`ledger.rs`): at most [`MAX_LEDGER_BYTES`], UTF-8, JSON nested at most
//! [`MAX_DEPTH`] levels with no arrays (a ledger has none), then the
//! explicit structs of the schema (unknown fields are errors), then the
//! lab, track, acts and option keys against the key (`score.rs`). A file
//! that fails is reported and skipped; it never stops the others. Every
//! text that comes from a ledger is cleaned of control characters and
//! shortened before it reaches a message, the gradebook or a report
//! (`report.rs`).
//!
//! A ledger made with another version of the book is graded, with a
//! warning: answers are matched by act id and option key, which survive
//! most edits (a typo fix should not zero a class), and the warning tells
//! the teacher to check the questions did not change.

pub mod files;
mod ledger;
mod report;
mod score;

pub use ledger::clean;
pub use report::{files, report, GRADEBOOK_COLUMNS};
pub use score::{Graded, NumericScore, QuestionScore};

use crate::key::BookKey;
use ledger::{clean_to, quoted};

/// The schema of a ledger file.
pub const LEDGER_SCHEMA: &str = "labgen-ledger/1";

/// A ledger is a few kilobytes; anything above this is not one.
pub const MAX_LEDGER_BYTES: usize = 1 << 20;

/// A key is larger (every question of every lab on every track), but
/// still bounded, so a wrong file cannot exhaust memory.
pub const MAX_KEY_BYTES: usize = 256 << 20;

/// Deepest nesting of a ledger's JSON: the ledger, a section, an entry.
pub const MAX_DEPTH: usize = 3;

/// Most entries in one section of a ledger (predictions, reflections,
/// controls of an act, numeric answers).
pub const MAX_ENTRIES: usize = 1000;

/// Longest string in a ledger, in bytes.
pub const MAX_STRING: usize = 1000;

/// Reads a key. The message says what is wrong with the file.
pub fn parse_key(bytes: &[u8]) -> Result<BookKey, String> {
    if bytes.len() > MAX_KEY_BYTES {
        return Err(
            "the key is larger than 256 MiB; pass the answers.json that labgen build wrote".into(),
        );
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|e| format!("the key is not UTF-8 text (byte {})", e.valid_up_to()))?;
    let key: BookKey = serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|e| {
        format!(
            "the key is not a labgen answers.json: {} at line {}, column {}",
            clean_to(
                e.to_string().split(" at line ").next().unwrap_or_default(),
                400
            ),
            e.line(),
            e.column()
        )
    })?;
    if key.schema != crate::key::SCHEMA {
        return Err(format!(
            "the key's schema is {}, not {}; pass the answers.json that labgen build wrote",
            quoted(&key.schema),
            crate::key::SCHEMA
        ));
    }
    Ok(key)
}

/// The outcome of one ledger file.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    /// The file as named on the command line (cleaned).
    pub name: String,
    /// The file's name without folders and extension, as given (before
    /// cleaning, whose `\u{..}` escapes would read as path separators);
    /// the report's name is made from it.
    pub stem: String,
    /// The scores, or why the file was skipped.
    pub result: Result<Graded, String>,
    /// Problems that did not stop grading.
    pub warnings: Vec<String>,
}

/// Grades one ledger file's bytes against the key. Never panics, whatever
/// the bytes.
pub fn grade(key: &BookKey, name: &str, bytes: &[u8]) -> Outcome {
    let mut warnings = Vec::new();
    let result = ledger::parse(bytes).and_then(|raw| score::score(key, &raw, &mut warnings));
    Outcome {
        name: clean(name),
        stem: stem(name),
        result,
        warnings,
    }
}

/// The outcome of a file that could not be read.
pub fn unreadable(name: &str, error: &str) -> Outcome {
    Outcome {
        name: clean(name),
        stem: stem(name),
        result: Err(format!("cannot read the file: {}", clean(error))),
        warnings: Vec::new(),
    }
}

/// A file name without its folders and its `.json`.
fn stem(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    base.strip_suffix(".json").unwrap_or(base).to_string()
}

#[cfg(test)]
mod tests;
