//! Typst markup from text: string literals, escaped plain text, arrays,
//! and Markdown prose with its inline math converted.

use super::MathConverter;
use crate::format::markdown;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::fmt::Write as _;

#[cfg(test)]
mod tests;

/// A Typst string literal (with quotes) whose value is exactly `s`.
///
/// Use it for every argument a generator passes to the prelude, e.g.
/// `format!("#lab({})", string(title))`. Such strings are shown as plain
/// text: no markup inside them is interpreted.
pub fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            // Other control characters have no short escape; \u{..} keeps
            // the literal on one line and valid.
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Plain text made safe to paste into Typst markup (inside `[...]` or at the
/// top level): every character that could start markup is escaped, so the
/// text prints as written.
///
/// Kept as they are: `'` and `"` (so prose gets typographic quotes), `...`
/// (ellipsis), and line breaks (one is a space, a blank line starts a new
/// paragraph, as in Markdown). Hyphens are escaped, so "35-40" keeps its
/// hyphen instead of becoming a minus sign or an en dash.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    let mut chars = s.chars().peekable();
    let mut prev_digit = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' | '#' | '$' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '@' | '~' | '=' | '+'
            | '-' | '/' | ':' => {
                out.push('\\');
                out.push(c);
            }
            // "1. " at the start of a line would begin a numbered list.
            '.' if prev_digit && chars.peek().is_none_or(|n| n.is_whitespace()) => {
                out.push_str("\\.");
            }
            '\r' => {}
            c => out.push(c),
        }
        prev_digit = c.is_ascii_digit();
    }
    out
}

/// Inline math in prose that the converter rejected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MathError {
    /// The LaTeX between `\(` and `\)`.
    pub latex: String,
    /// The converter's message.
    pub message: String,
}

impl std::fmt::Display for MathError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "`{}`: {}", self.latex, self.message)
    }
}

/// Markdown prose (values already in place) as Typst markup; inline math
/// `\( ... \)` becomes `$ ... $` through `to_math`. The error names the
/// LaTeX that did not convert.
pub fn markdown(md: &str, to_math: MathConverter) -> Result<String, MathError> {
    // Pull inline math out first: Markdown would read `\(` as an escape.
    let mut maths = Vec::new();
    let src = markdown::stash_math(md, &mut maths, |latex| {
        to_math(latex).map_err(|message| MathError {
            latex: latex.to_string(),
            message,
        })
    })?;

    let mut out = String::with_capacity(src.len() * 5 / 4);
    let mut lists: Vec<bool> = Vec::new();
    for event in Parser::new_ext(&src, Options::ENABLE_STRIKETHROUGH) {
        match event {
            Event::Start(Tag::Paragraph) => {}
            Event::End(TagEnd::Paragraph) => {
                out.push_str(if lists.is_empty() { "\n\n" } else { "\n" })
            }
            Event::Start(Tag::Emphasis) => out.push_str("#emph["),
            Event::Start(Tag::Strong) => out.push_str("#strong["),
            Event::Start(Tag::Strikethrough) => out.push_str("#strike["),
            Event::End(TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough) => out.push(']'),
            Event::Start(Tag::Link { dest_url, .. }) => {
                let _ = write!(out, "#link({})[", string(&dest_url));
            }
            Event::End(TagEnd::Link) => out.push(']'),
            Event::Start(Tag::List(first)) => {
                if !out.is_empty() && !out.ends_with('\n') {
                    out.push('\n');
                }
                lists.push(first.is_some());
            }
            Event::End(TagEnd::List(_)) => {
                lists.pop();
                if lists.is_empty() {
                    out.push('\n');
                }
            }
            Event::Start(Tag::Item) => {
                let depth = lists.len().saturating_sub(1);
                out.push_str(&"  ".repeat(depth));
                out.push_str(if lists.last() == Some(&true) {
                    "+ "
                } else {
                    "- "
                });
            }
            Event::End(TagEnd::Item) if !out.ends_with('\n') => out.push('\n'),
            Event::Start(Tag::Heading { .. }) => out.push_str("#strong["),
            Event::End(TagEnd::Heading(_)) => out.push_str("]\n\n"),
            Event::Start(Tag::BlockQuote(_)) => out.push_str("#quote(block: true)["),
            Event::End(TagEnd::BlockQuote(_)) => out.push_str("]\n\n"),
            Event::Code(code) => {
                let _ = write!(out, "#raw({})", string(&code));
            }
            Event::Text(t) => push_text(&mut out, &t, &maths),
            Event::SoftBreak => out.push(' '),
            Event::HardBreak => out.push_str("\\\n"),
            Event::Rule => out.push_str("#line(length: 100%)\n\n"),
            // Raw HTML and anything else have no place in print.
            _ => {}
        }
    }
    Ok(out.trim_end().to_string())
}

/// Escaped text with the math placeholders put back.
fn push_text(out: &mut String, t: &str, maths: &[String]) {
    markdown::restore_math(t, maths, |piece, is_math| {
        if is_math {
            let _ = write!(out, "${piece}$");
        } else {
            out.push_str(&escape(piece));
        }
    });
}

/// A Typst array of already-formatted items (a one-item array keeps its
/// trailing comma).
pub(super) fn array(items: impl IntoIterator<Item = String>) -> String {
    let items: Vec<String> = items.into_iter().collect();
    match items.len() {
        0 => "()".to_string(),
        1 => format!("({},)", items[0]),
        _ => format!("({})", items.join(", ")),
    }
}
