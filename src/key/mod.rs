//! Answer keys: what a teacher needs to grade a lab, from the same sweep
//! as the student book.
//!
//! For every lab and track the key gives each prediction's and reflection's
//! correct option with the feedback of every option (its values computed
//! for that track), every value the questions quote, and each act's answer
//! table: every instrument over the act's control grid. This module builds
//! the key as data ([`BookKey`], the schema of `answers.json`, and the
//! answer tables); [`crate::render`] turns it into files:
//!
//! - `answers.json`: the whole book for programs (schema `labgen-key/1`),
//!   the `--key` input of `labgen grade`;
//! - `<lab>.html`: a readable, printable key per lab, plus `index.html`;
//! - `<lab>/<act>.csv`: the full answer table of each act;
//! - `moodle.xml`: the questions as a Moodle question bank.
//!
//! The keys go to their own folder, never into the book, and the book never
//! links to them. Like the book, they are pure bytes: deterministic, with no
//! timestamps. [`crate::book::book_version`] ties a key to the book it was built with.

mod build;
pub mod schema;
pub mod table;

pub use schema::*;
pub use table::AnswerTable;

use crate::book::Book;
use crate::config::Config;
use crate::diag::Diagnostics;

/// The schema name and version written into `answers.json`.
pub const SCHEMA: &str = "labgen-key/1";

/// The file of the whole book's key, the input of `labgen grade`.
pub const ANSWERS_FILE: &str = "answers.json";

/// The Moodle question bank.
pub const MOODLE_FILE: &str = "moodle.xml";

/// More rows than this in one act's answer table and its CSV is left out
/// (with a warning): the grid is the product of the act's controls, which
/// can grow far beyond what the sweep itself stores.
pub const MAX_TABLE_ROWS: usize = 100_000;

/// The key of the book, the answer table of every act that lists one (in
/// book order), and any warnings; errors are internal.
pub fn build(
    config: &Config,
    checked: &Book,
) -> Result<(BookKey, Vec<AnswerTable>, Diagnostics), Diagnostics> {
    let mut warnings = Diagnostics::new();
    let mut labs = Vec::new();
    let mut tables = Vec::new();
    for lab in &checked.labs {
        let (key, lab_tables) = build::lab_key(config, lab, &mut warnings)?;
        labs.push(key);
        tables.extend(lab_tables);
    }
    let book = BookKey {
        schema: SCHEMA.to_string(),
        book_version: checked.version.clone(),
        generator: format!("labgen {}", env!("CARGO_PKG_VERSION")),
        title: config.book.title.clone(),
        grading: config.grading.clone(),
        labs,
    };
    Ok((book, tables, warnings))
}

/// `answers.json`: the key, pretty-printed, with a final line break.
pub fn answers_json(book: &BookKey) -> Result<String, Diagnostics> {
    let mut json = serde_json::to_string_pretty(book)
        .map_err(|e| Diagnostics::internal(format_args!("answers.json: {e}")))?;
    json.push('\n');
    Ok(json)
}

/// JSON has no NaN; every swept value is finite, so this only guards.
pub(crate) fn finite(x: f64) -> f64 {
    if x.is_finite() {
        x
    } else {
        0.0
    }
}

/// Thousands separators for counts in messages.
pub(crate) fn group(n: usize) -> String {
    crate::format::group_thousands(&n.to_string())
}

#[cfg(test)]
mod tests;
