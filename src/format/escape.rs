//! Escaping, one function per target: HTML, XML (SVG and Moodle). The
//! Typst markup escapes live with the Typst writer
//! (`render::typst::markup`), and CSV with the one CSV writer
//! (`render::csv`).

/// Escapes text for HTML content and attribute values.
pub fn html(s: &str) -> String {
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

/// Escapes text for XML content and attributes, and drops the control
/// characters XML 1.0 does not allow (they would make the file malformed).
pub fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    xml_into(s, &mut out);
    out
}

/// [`xml`], appended to `out`.
pub fn xml_into(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_html() {
        assert_eq!(
            html("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }

    #[test]
    fn xml_escape_drops_forbidden_controls() {
        assert_eq!(xml("a<b & \"c\"\u{1}'"), "a&lt;b &amp; &quot;c&quot;&apos;");
    }
}
