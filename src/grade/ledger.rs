//! Ledgers are untrusted input: this module reads one into [`RawLedger`]
//! only after checking its size, encoding and JSON shape, then bounds what
//! it may hold, and cleans every text that comes from it before the text
//! reaches a message, the gradebook or a report.

use super::{LEDGER_SCHEMA, MAX_DEPTH, MAX_ENTRIES, MAX_LEDGER_BYTES, MAX_STRING};
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
/// A ledger as its JSON holds it: nothing checked but the field names.
pub(super) struct RawLedger {
    pub(super) schema: String,
    pub(super) book_version: String,
    pub(super) lab: String,
    #[serde(default)]
    pub(super) track: Option<String>,
    #[serde(default)]
    pub(super) predictions: BTreeMap<String, RawPrediction>,
    #[serde(default)]
    pub(super) reflections: BTreeMap<String, RawReflection>,
    #[serde(default)]
    pub(super) controls: BTreeMap<String, BTreeMap<String, String>>,
    #[serde(default)]
    pub(super) numeric: BTreeMap<String, f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawPrediction {
    pub(super) choice: String,
    #[serde(default)]
    pub(super) locked_at: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawReflection {
    pub(super) choice: String,
    #[serde(default)]
    pub(super) answered_at: Option<String>,
}

/// Reads a ledger's bytes; the message says what is wrong with the file.
pub(super) fn parse(bytes: &[u8]) -> Result<RawLedger, String> {
    if bytes.len() > MAX_LEDGER_BYTES {
        return Err("the file is larger than 1 MiB; a ledger is a few kilobytes".into());
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        format!(
            "the file is not UTF-8 text (invalid byte at offset {})",
            e.valid_up_to()
        )
    })?;
    // Editors on Windows may add a byte order mark; it is not part of the JSON.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err("the file is empty".into());
    }
    shape(text)?;
    let raw: RawLedger = serde_json::from_str(text).map_err(|e| {
        let what = e.to_string();
        let what = what.split(" at line ").next().unwrap_or_default();
        let what = if e.is_eof() {
            "the JSON ends too early (is the file truncated?)".to_string()
        } else {
            // serde quotes the file (a field name, a string value): clean it,
            // but keep the message whole.
            clean_to(what, 400)
        };
        format!("line {}, column {}: {what}", e.line(), e.column())
    })?;
    check_sizes(&raw)?;
    if raw.schema != LEDGER_SCHEMA {
        return Err(format!(
            "`schema` is {}, not \"{LEDGER_SCHEMA}\"; this is not a labgen ledger",
            quoted(&raw.schema)
        ));
    }
    Ok(raw)
}

/// Checks the JSON's shape before parsing it: nesting at most
/// [`MAX_DEPTH`] and no arrays. serde would accept an array for a struct
/// (as its fields in order), and a deep or huge array is the usual way to
/// make a parser work hard; a ledger has neither.
fn shape(text: &str) -> Result<(), String> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let (mut line, mut column) = (1usize, 0usize);
    for c in text.chars() {
        if c == '\n' {
            line += 1;
            column = 0;
        } else {
            column += 1;
        }
        if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '[' => {
                return Err(format!(
                    "line {line}, column {column}: a ledger holds no arrays (lists); this is not a labgen ledger"
                ))
            }
            '{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(format!(
                        "line {line}, column {column}: the JSON is nested deeper than {MAX_DEPTH} levels; a ledger is not"
                    ));
                }
            }
            '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// Limits on what a parsed ledger may hold, so a hostile file cannot make
/// a report huge.
fn check_sizes(raw: &RawLedger) -> Result<(), String> {
    let sections = [
        ("predictions", raw.predictions.len()),
        ("reflections", raw.reflections.len()),
        ("controls", raw.controls.len()),
        ("numeric", raw.numeric.len()),
    ];
    for (name, n) in sections {
        if n > MAX_ENTRIES {
            return Err(format!(
                "`{name}` has {n} entries, more than {MAX_ENTRIES}; this is not a ledger a lab page wrote"
            ));
        }
    }
    let mut strings: Vec<(&str, &str)> = vec![
        ("schema", &raw.schema),
        ("book_version", &raw.book_version),
        ("lab", &raw.lab),
    ];
    if let Some(t) = &raw.track {
        strings.push(("track", t));
    }
    for (k, p) in &raw.predictions {
        strings.push(("predictions", k));
        strings.push(("predictions", &p.choice));
        strings.extend(p.locked_at.as_deref().map(|t| ("predictions", t)));
    }
    for (k, r) in &raw.reflections {
        strings.push(("reflections", k));
        strings.push(("reflections", &r.choice));
        strings.extend(r.answered_at.as_deref().map(|t| ("reflections", t)));
    }
    for (act, set) in &raw.controls {
        if set.len() > MAX_ENTRIES {
            return Err(format!(
                "`controls` of {} has {} entries, more than {MAX_ENTRIES}",
                quoted(act),
                set.len()
            ));
        }
        strings.push(("controls", act));
        for (k, v) in set {
            strings.push(("controls", k));
            strings.push(("controls", v));
        }
    }
    for k in raw.numeric.keys() {
        strings.push(("numeric", k));
    }
    if let Some((field, s)) = strings.iter().find(|(_, s)| s.len() > MAX_STRING) {
        return Err(format!(
            "a string in `{field}` is {} bytes long, more than {MAX_STRING}",
            s.len()
        ));
    }
    Ok(())
}

/// Text from a ledger, safe to print and to put in a file: control
/// characters (which could drive a terminal) become `\u{..}` escapes, and
/// anything past 80 characters is cut.
pub fn clean(s: &str) -> String {
    clean_to(s, 80)
}

/// [`clean`] with another length limit, for messages that quote the file.
pub(super) fn clean_to(s: &str, max: usize) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i == max {
            out.push('…');
            break;
        }
        if c.is_control()
            || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

/// A ledger's string in a message: cleaned and in double quotes.
pub(super) fn quoted(s: &str) -> String {
    format!("\"{}\"", clean(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shape_rejects_arrays_and_depth_but_not_brackets_in_strings() {
        assert!(shape(r#"{"a": {"b": {"c": "[{{"}}}"#).is_ok());
        assert_eq!(
            shape("{\n  \"a\": [1]}").unwrap_err(),
            "line 2, column 8: a ledger holds no arrays (lists); this is not a labgen ledger"
        );
        assert_eq!(
            shape(r#"{"a": {"b": {"c": {}}}}"#).unwrap_err(),
            "line 1, column 19: the JSON is nested deeper than 3 levels; a ledger is not"
        );
        assert!(shape(r#"{"a": "\"[" }"#).is_ok());
    }

    #[test]
    fn clean_escapes_controls_and_truncates() {
        assert_eq!(clean("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        assert_eq!(clean(&"x".repeat(100)).chars().count(), 81);
        assert_eq!(clean("a\u{202e}b"), "a\\u{202e}b");
    }
}
