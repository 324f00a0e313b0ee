//! Author prose: Markdown with value references.
//!
//! A reference is written `{{ name }}`, optionally followed by
//! `@ scenario` (the value at a named scenario instead of the current or
//! default state), `as UNIT` (UNIT may be `duration`, `data` or `%`) and
//! `.N` (N decimals): `{{ t_transfer @ stakeholder as min .0 }}`. The name
//! is a formula, constant or control. labgen replaces each reference with
//! the computed value, so no derived number is ever typed into prose.
//!
//! A genuinely fixed figure that the model does not compute (a datasheet
//! value quoted in passing) is written `{{ fact "312 TFLOP/s" from "NVIDIA
//! A100 datasheet" }}`: it is shown as written, with its source, and the
//! prose lint ([`literal_numbers`]) accepts it.

use super::{parse_display_unit, DisplayUnit};

/// One `{{ ... }}` reference inside a text.
#[derive(Clone, Debug, PartialEq)]
pub struct ValueRef {
    /// The referenced name.
    pub name: String,
    /// The scenario to evaluate at, if any.
    pub scenario: Option<String>,
    /// Unit override.
    pub unit: Option<DisplayUnit>,
    /// Decimals override.
    pub digits: Option<u8>,
    /// Byte range of the whole `{{ ... }}` in the text.
    pub start: usize,
    /// End of the byte range.
    pub end: usize,
}
/// A text split into literal runs and references.
#[derive(Clone, Debug, PartialEq)]
pub enum Piece {
    /// Literal Markdown.
    Lit(String),
    /// A value reference.
    Ref(ValueRef),
    /// A cited fixed figure: `{{ fact "TEXT" from "SOURCE" }}`.
    Fact {
        /// The figure as written.
        text: String,
        /// Where it comes from.
        source: String,
        /// Byte offset of the `{{` in the text.
        start: usize,
        /// Byte offset just past the `}}`.
        end: usize,
    },
}
/// A problem in a reference: byte offset in the text, message, hint.
#[derive(Clone, Debug, PartialEq)]
pub struct RefError {
    /// Byte offset of the problem in the text.
    pub at: usize,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: String,
}
/// Splits `src` into literals and references.
pub fn parse(src: &str) -> Result<Vec<Piece>, RefError> {
    let mut out = Vec::new();
    let mut rest = 0;
    while let Some(open) = src[rest..].find("{{").map(|i| i + rest) {
        if open > rest {
            out.push(Piece::Lit(src[rest..open].to_string()));
        }
        let Some(close) = src[open..].find("}}").map(|i| i + open) else {
            return Err(RefError {
                at: open,
                message: "unclosed value reference `{{`".to_string(),
                hint: "close it with `}}`, e.g. `{{ t_transfer }}`".to_string(),
            });
        };
        let inner = &src[open + 2..close];
        if inner.trim_start().starts_with("fact ") || inner.trim() == "fact" {
            out.push(parse_fact(inner, open, close + 2)?);
        } else {
            out.push(Piece::Ref(parse_ref(inner, open, close + 2)?));
        }
        rest = close + 2;
    }
    if rest < src.len() {
        out.push(Piece::Lit(src[rest..].to_string()));
    }
    Ok(out)
}
pub(crate) fn parse_ref(inner: &str, start: usize, end: usize) -> Result<ValueRef, RefError> {
    let err = |message: String| {
        RefError {
        at: start,
        message,
        hint: "write `{{ name }}`, optionally with `@ scenario`, `as UNIT` and `.N`, e.g. `{{ t_io @ hdd as ms .1 }}`"
            .to_string(),
    }
    };
    let mut words: Vec<&str> = inner.split_whitespace().collect();
    if words.is_empty() {
        return Err(err("empty value reference".to_string()));
    }
    let name = words.remove(0).to_string();
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(err(format!("`{name}` is not a name")));
    }
    let mut scenario = None;
    if words.first() == Some(&"@") {
        match words.get(1) {
            Some(s)
                if s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') =>
            {
                scenario = Some(s.to_string());
                words.drain(..2);
            }
            _ => return Err(err("`@` must be followed by a scenario id".to_string())),
        }
    } else if let Some(rest) = words.first().and_then(|w| w.strip_prefix('@')) {
        if rest.is_empty() {
            return Err(err("`@` must be followed by a scenario id".to_string()));
        }
        scenario = Some(rest.to_string());
        words.remove(0);
    }
    let mut digits = None;
    if let Some(last) = words.last() {
        if let Some(d) = last.strip_prefix('.') {
            digits = Some(
                d.parse::<u8>()
                    .ok()
                    .filter(|d| *d <= 12)
                    .ok_or_else(|| err(format!("`{last}` is not a number of decimals")))?,
            );
            words.pop();
        }
    }
    let mut unit = None;
    if !words.is_empty() {
        if words[0] != "as" || words.len() != 2 {
            let mut e = err(format!(
                "cannot read `{}` in a value reference",
                words.join(" ")
            ));
            // `in` is the likely slip for `as`.
            if words[0] == "in" && words.len() == 2 {
                e.hint = format!("did you mean `{{{{ {name} as {} }}}}`?", words[1]);
            }
            return Err(e);
        }
        unit = Some(parse_display_unit(words[1]).map_err(|e| RefError {
            at: start,
            message: format!("unknown unit `{}`: {}", words[1], e.message),
            hint: e.hint.unwrap_or_else(|| {
                "use a unit such as min, GB/s, $, %, `data` or `duration`".to_string()
            }),
        })?);
    }
    Ok(ValueRef {
        name,
        scenario,
        unit,
        digits,
        start,
        end,
    })
}
/// Parses `fact "TEXT" from "SOURCE"`.
pub(crate) fn parse_fact(inner: &str, start: usize, end: usize) -> Result<Piece, RefError> {
    let err = || RefError {
        at: start,
        message: "cannot read this fact".to_string(),
        hint: "write `{{ fact \"312 TFLOP/s\" from \"NVIDIA A100 datasheet\" }}`".to_string(),
    };
    let rest = inner
        .trim()
        .strip_prefix("fact")
        .ok_or_else(err)?
        .trim_start();
    let (text, rest) = quoted(rest).ok_or_else(err)?;
    let rest = rest
        .trim_start()
        .strip_prefix("from")
        .ok_or_else(err)?
        .trim_start();
    let (source, rest) = quoted(rest).ok_or_else(err)?;
    if !rest.trim().is_empty() || text.trim().is_empty() || source.trim().is_empty() {
        return Err(err());
    }
    Ok(Piece::Fact {
        text: text.to_string(),
        source: source.to_string(),
        start,
        end,
    })
}
/// A double-quoted string at the start of `s`, and what follows it.
pub(crate) fn quoted(s: &str) -> Option<(&str, &str)> {
    let body = s.strip_prefix('"')?;
    let end = body.find('"')?;
    Some((&body[..end], &body[end + 1..]))
}
/// Literal numbers with a unit, a currency sign or a percent sign in a run
/// of prose: (byte offset, the literal). Numbers that are part of a word
/// (`ResNet-50`, `us-east-1`, `A100`) and bare counts (`8 GPUs` is a count
/// noun, so it is reported; `Act 2` is not) follow the unit rules of
/// [`crate::units`].
pub fn literal_numbers(s: &str) -> Vec<(usize, String)> {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        let starts_number = c.is_ascii_digit()
            && (i == 0
                || !(bytes[i - 1].is_ascii_alphanumeric()
                    || matches!(bytes[i - 1], b'-' | b'_' | b'.' | b',')));
        if c == b'$' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
            let end = number_end(bytes, i + 1);
            out.push((i, s[i..end].to_string()));
            i = end;
            continue;
        }
        if !starts_number {
            i += 1;
            continue;
        }
        let end = number_end(bytes, i);
        // Directly attached percent or multiplier signs.
        if bytes.get(end) == Some(&b'%') {
            out.push((i, s[i..=end].to_string()));
            i = end + 1;
            continue;
        }
        // A unit after at most one space (or a no-break space).
        let mut j = end;
        if bytes.get(j) == Some(&b' ') {
            j += 1;
        } else if s[j..].starts_with('\u{a0}') {
            j += '\u{a0}'.len_utf8();
        }
        let word_end = s[j..]
            .char_indices()
            .find(|(_, ch)| !(ch.is_alphanumeric() || matches!(ch, '/' | '$' | '%' | 'µ' | '^')))
            .map_or(s.len(), |(k, _)| j + k);
        let word = s[j..word_end].trim_end_matches(['.', '/']);
        let is_word_after_number =
            word_end > j && (j > end || !word.chars().next().is_some_and(|c| c.is_ascii_digit()));
        if is_word_after_number && !word.is_empty() && crate::units::parse_unit(word).is_ok() {
            out.push((i, s[i..j + word.len()].to_string()));
            i = j + word.len();
            continue;
        }
        i = end.max(i + 1);
    }
    out
}
/// End of a number (digits with `,` or `.` between digits) starting at `i`.
pub(crate) fn number_end(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() {
        let c = bytes[i];
        let inner_sep =
            matches!(c, b',' | b'.') && bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
        if c.is_ascii_digit() || inner_sep {
            i += 1;
        } else {
            break;
        }
    }
    i
}

#[cfg(test)]
mod tests;
