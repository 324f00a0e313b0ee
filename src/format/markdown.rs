//! Author prose to HTML with pulldown-cmark, with inline math kept out of
//! the Markdown pass (which would read `_{` and `\,` in LaTeX as Markdown).

use pulldown_cmark::{html, Options, Parser};

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_markdown_drops_paragraph() {
        assert_eq!(markdown_inline("a *b*"), "a <em>b</em>");
        assert_eq!(markdown("a\n\nb"), "<p>a</p>\n<p>b</p>\n");
    }
}
