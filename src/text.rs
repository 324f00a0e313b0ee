//! Author prose: Markdown with value references.
//!
//! A reference is written `{{ name }}`, `{{ name as UNIT }}`,
//! `{{ name .N }}` or `{{ name as UNIT .N }}` (N decimals; UNIT may be
//! `duration` or `%`). The name is a formula, constant or control. labgen
//! replaces each reference with the computed value, so no derived number is
//! ever typed into prose.

use crate::format::{parse_display_unit, DisplayUnit};
use pulldown_cmark::{html, Options, Parser};

/// One `{{ ... }}` reference inside a text.
#[derive(Clone, Debug, PartialEq)]
pub struct ValueRef {
    /// The referenced name.
    pub name: String,
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
        out.push(Piece::Ref(parse_ref(
            &src[open + 2..close],
            open,
            close + 2,
        )?));
        rest = close + 2;
    }
    if rest < src.len() {
        out.push(Piece::Lit(src[rest..].to_string()));
    }
    Ok(out)
}

fn parse_ref(inner: &str, start: usize, end: usize) -> Result<ValueRef, RefError> {
    let err = |message: String| RefError {
        at: start,
        message,
        hint:
            "write `{{ name }}`, `{{ name as UNIT }}`, `{{ name .N }}` or `{{ name as UNIT .N }}`"
                .to_string(),
    };
    let mut words: Vec<&str> = inner.split_whitespace().collect();
    if words.is_empty() {
        return Err(err("empty value reference".to_string()));
    }
    let name = words.remove(0).to_string();
    if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(err(format!("`{name}` is not a name")));
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
            return Err(err(format!(
                "cannot read `{}` in a value reference",
                words.join(" ")
            )));
        }
        unit = Some(parse_display_unit(words[1]).map_err(|e| RefError {
            at: start,
            message: format!("unknown unit `{}`: {}", words[1], e.message),
            hint:
                e.hint.unwrap_or_else(|| {
                    "use a unit such as min, GB/s, $, %, or `duration`".to_string()
                }),
        })?);
    }
    Ok(ValueRef {
        name,
        unit,
        digits,
        start,
        end,
    })
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
