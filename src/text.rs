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

use crate::format::{parse_display_unit, DisplayUnit};
use pulldown_cmark::{html, Options, Parser};

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

fn parse_ref(inner: &str, start: usize, end: usize) -> Result<ValueRef, RefError> {
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
fn parse_fact(inner: &str, start: usize, end: usize) -> Result<Piece, RefError> {
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
fn quoted(s: &str) -> Option<(&str, &str)> {
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
fn number_end(bytes: &[u8], mut i: usize) -> usize {
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

/// Brackets of an inline-math placeholder: private-use characters that no
/// author types and Markdown passes through untouched. Both renderers keep
/// `\( ... \)` out of their Markdown pass this way (Markdown would read
/// `\(`, `_{` and `\,` as its own) and put the math back afterwards.
pub(crate) const MATH_OPEN: char = '\u{E000}';
pub(crate) const MATH_CLOSE: char = '\u{E001}';

/// `s` with each `\( ... \)` replaced by a placeholder. `convert` gets the
/// LaTeX between the brackets; what it returns is pushed onto `maths`, and
/// the placeholder names its index.
pub(crate) fn stash_math<E>(
    s: &str,
    maths: &mut Vec<String>,
    mut convert: impl FnMut(&str) -> Result<String, E>,
) -> Result<String, E> {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(open) = rest.find("\\(") {
        let Some(close) = rest[open..].find("\\)").map(|i| i + open) else {
            break;
        };
        out.push_str(&rest[..open]);
        maths.push(convert(&rest[open + 2..close])?);
        out.push_str(&format!("{MATH_OPEN}{}{MATH_CLOSE}", maths.len() - 1));
        rest = &rest[close + 2..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Walks `s` with its math put back: `emit` gets, in order, each run of
/// text between placeholders (`false`) and the stashed math each
/// placeholder names (`true`). A placeholder that names nothing is text.
pub(crate) fn restore_math(s: &str, maths: &[String], mut emit: impl FnMut(&str, bool)) {
    let mut rest = s;
    while let Some(open) = rest.find(MATH_OPEN) {
        let after = &rest[open + MATH_OPEN.len_utf8()..];
        let Some(close) = after.find(MATH_CLOSE) else {
            break;
        };
        let end = open + MATH_OPEN.len_utf8() + close + MATH_CLOSE.len_utf8();
        match after[..close]
            .parse::<usize>()
            .ok()
            .and_then(|i| maths.get(i))
        {
            Some(m) => {
                emit(&rest[..open], false);
                emit(m, true);
            }
            None => emit(&rest[..end], false),
        }
        rest = &rest[end..];
    }
    emit(rest, false);
}

/// Renders Markdown to HTML (block level: paragraphs, lists, tables).
pub fn markdown(src: &str) -> String {
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    let parser = Parser::new_ext(src, opts);
    let mut out = String::with_capacity(src.len() * 3 / 2);
    html::push_html(&mut out, parser);
    out
}

/// Renders a one-paragraph Markdown text without the surrounding `<p>`,
/// for labels, options and titles.
pub fn markdown_inline(src: &str) -> String {
    let html = markdown(src);
    let trimmed = html.trim_end();
    match trimmed
        .strip_prefix("<p>")
        .and_then(|s| s.strip_suffix("</p>"))
    {
        Some(inner) if !inner.contains("<p>") => inner.to_string(),
        _ => trimmed.to_string(),
    }
}

/// Escapes text for HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_literals_and_references() {
        let p = parse("It takes {{ t_transfer as duration }}, costing {{ cost .0 }}.").unwrap();
        assert_eq!(p.len(), 5);
        assert_eq!(p[0], Piece::Lit("It takes ".into()));
        let Piece::Ref(r) = &p[1] else {
            panic!("not a ref")
        };
        assert_eq!(r.name, "t_transfer");
        assert_eq!(r.unit, Some(DisplayUnit::Duration));
        assert_eq!((r.start, r.end), (9, 37));
        let Piece::Ref(r) = &p[3] else {
            panic!("not a ref")
        };
        assert_eq!(
            (r.name.as_str(), r.digits, r.unit.is_none()),
            ("cost", Some(0), true)
        );
    }

    #[test]
    fn reports_malformed_references() {
        assert_eq!(
            parse("a {{ b").unwrap_err().message,
            "unclosed value reference `{{`"
        );
        assert_eq!(parse("{{ }}").unwrap_err().message, "empty value reference");
        assert_eq!(
            parse("{{ x in ms }}").unwrap_err().message,
            "cannot read `in ms` in a value reference"
        );
        assert_eq!(
            parse("{{ x .z }}").unwrap_err().message,
            "`.z` is not a number of decimals"
        );
        assert_eq!(parse("xx {{ x as parsecs }}").unwrap_err().at, 3);
    }

    #[test]
    fn reads_scenarios_and_facts() {
        let p = parse("{{ t @ stakeholder as min .0 }} and {{ egress @cloud }} {{ fact \"312 TFLOP/s\" from \"NVIDIA A100 datasheet\" }}").unwrap();
        let Piece::Ref(r) = &p[0] else {
            panic!("not a ref")
        };
        assert_eq!(
            (r.scenario.as_deref(), r.digits),
            (Some("stakeholder"), Some(0))
        );
        let Piece::Ref(r) = &p[2] else {
            panic!("not a ref")
        };
        assert_eq!(r.scenario.as_deref(), Some("cloud"));
        assert_eq!(
            p[4],
            Piece::Fact {
                text: "312 TFLOP/s".into(),
                source: "NVIDIA A100 datasheet".into(),
                start: 56,
                end: 109,
            }
        );
        assert_eq!(
            parse("{{ fact 312 }}").unwrap_err().message,
            "cannot read this fact"
        );
        assert_eq!(
            parse("{{ t @ }}").unwrap_err().message,
            "`@` must be followed by a scenario id"
        );
    }

    #[test]
    fn finds_literal_numbers_with_units() {
        let found = |s: &str| {
            literal_numbers(s)
                .into_iter()
                .map(|(_, t)| t)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            found("It takes 67 minutes, costs $90,000 and runs at 23% on 3.5 GB/s."),
            ["67 minutes", "$90,000", "23%", "3.5 GB/s"]
        );
        // Numbers inside names and plain counts pass.
        assert!(found("ResNet-50 on an A100 in us-east-1, Act 2, 224x224 pixels").is_empty());
        assert_eq!(found("8 GPUs for 6 h"), ["8 GPUs", "6 h"]);
        assert_eq!(literal_numbers("at 100 Gbps")[0].0, 3);
    }

    #[test]
    fn inline_markdown_drops_paragraph() {
        assert_eq!(markdown_inline("a *b*"), "a <em>b</em>");
        assert_eq!(markdown("a\n\nb"), "<p>a</p>\n<p>b</p>\n");
    }

    #[test]
    fn escapes_html() {
        assert_eq!(
            escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
