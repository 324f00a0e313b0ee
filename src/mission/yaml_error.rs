//! serde-saphyr errors turned into located diagnostics with a hint.
//!
//! The parser stops at the first YAML error of a file, so each file gives at
//! most one of these; the messages are reworded for authors (duplicate keys,
//! an empty file, numbers too large) and the parser's own position prefix is
//! dropped, since labgen prints its own.

use crate::diag::{Diagnostic, Location};
use std::path::Path;

/// Turns a YAML parser error into a located diagnostic with a hint.
pub(super) fn yaml_error(file: &Path, e: &serde_saphyr::Error) -> Diagnostic {
    let (line, column) = e
        .location()
        .map(|l| (l.line() as usize, l.column() as usize))
        .unwrap_or((1, 1));
    let mut message = saphyr_message(&e.to_string());
    // serde-saphyr repeats the position inside some messages; labgen prints its own.
    if let Some(i) = message.find(" at line ") {
        message.truncate(i);
    }
    if message.starts_with("duplicate") || message.contains("DuplicateKeyPolicy") {
        let key = message.strip_prefix("duplicate mapping key: ").map_or_else(
            || "this key".to_string(),
            |k| format!("key `{}`", k.split(',').next().unwrap_or(k).trim()),
        );
        return Diagnostic::error(
            Some(Location::new(file, line, column)),
            format!("{key} is written twice in the same mapping"),
        )
        .with_hint("remove one of the two entries");
    }
    if message.starts_with("unexpected end of input") && line == 1 && column == 1 {
        return Diagnostic::error(
            Some(Location::new(file, line, column)),
            "the mission file is empty",
        )
        .with_hint("a mission needs at least `id`, `title` and `acts`; see the README");
    }
    if message.starts_with("non-finite float") {
        return Diagnostic::error(
            Some(Location::new(file, line, column)),
            "this number is too large",
        )
        .with_hint("numbers must be below about 1.8e308");
    }
    let hint = if message.starts_with("unknown field") {
        "remove the key or fix its spelling; the README lists every key a mission accepts"
    } else if message.starts_with("unknown variant") {
        "instruments are written as `- metric: {...}`, `- status: {...}`, `- plot: {...}` or `- banner: {...}`"
    } else if message.starts_with("missing field") {
        "add the key; the README's mission reference shows which keys are required"
    } else {
        "check the YAML syntax near this position (indentation, quotes, brackets)"
    };
    Diagnostic::error(Some(Location::new(file, line, column)), message).with_hint(hint)
}

/// The bare message of a serde-saphyr error, without its position prefix
/// and source excerpt (labgen prints its own position).
fn saphyr_message(rendered: &str) -> String {
    let first = rendered.lines().next().unwrap_or("").trim();
    let first = first.strip_prefix("error: ").unwrap_or(first);
    // "line 3 column 1: message"
    if let Some(rest) = first.strip_prefix("line ") {
        if let Some(idx) = rest.find(": ") {
            return rest[idx + 2..].to_string();
        }
    }
    first.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_saphyr_position_prefix() {
        assert_eq!(
            saphyr_message(
                "error: line 3 column 1: unknown field `bogus`, expected one of id\n1 | x"
            ),
            "unknown field `bogus`, expected one of id"
        );
    }
}
