//! Text as the figures measure it: cleaning caller text, estimating its
//! width, and shortening or wrapping it to the room it gets.
//!
//! The figures are drawn without fonts (the book ships none), so widths come
//! from a small per-character table rather than from glyph metrics.

/// Makes caller text safe and single-line: control characters (which are not
/// allowed in XML 1.0, or would break the one-line layout) become spaces,
/// runs of whitespace collapse, and the ends are trimmed. XML escaping itself
/// happens on output ([`super::svg::escape`]).
pub(crate) fn clean(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars() {
        if c.is_whitespace() || c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}' {
            pending_space = true;
            continue;
        }
        if pending_space && !out.is_empty() {
            out.push(' ');
        }
        pending_space = false;
        out.push(c);
    }
    out
}

/// Like [`clean`], but keeps one leading space: a suffix such as " pJ" is
/// meant to stand apart from the number, "%" is not.
pub(crate) fn clean_suffix(s: &str) -> String {
    let c = clean(s);
    if !c.is_empty() && s.starts_with(char::is_whitespace) {
        format!(" {c}")
    } else {
        c
    }
}

/// `s` followed by ". ", or nothing for an empty `s`.
pub(crate) fn sentence(s: &str) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!("{s}. ")
    }
}

/// Approximate advance width of `c` in em. The values follow DejaVu Sans,
/// one of the widest common `system-ui` fallbacks (Linux), so on narrower
/// UI fonts (Segoe UI, San Francisco) text only ever ends up with more room
/// than planned, never overflowing.
fn char_em(c: char) -> f64 {
    match c {
        'i' | 'j' | 'l' | '\'' | 'I' => 0.3,
        '.' | ',' | ':' | ';' | '|' | '/' | ' ' => 0.34,
        'f' | '-' | '(' | ')' | '[' | ']' | '!' => 0.4,
        't' | 'r' => 0.42,
        'm' | 'W' | '@' | '%' | '—' => 1.0,
        'w' | 'M' => 0.88,
        'A'..='Z' => 0.74,
        '0'..='9' => 0.64,
        c if u32::from(c) >= 0x2E80 => 1.0,
        _ => 0.63,
    }
}

/// Bold glyphs are about a tenth wider.
fn weight_factor(bold: bool) -> f64 {
    if bold {
        1.1
    } else {
        1.0
    }
}

/// Estimated width of `s` in user units at font size `px`.
pub(crate) fn text_width(s: &str, px: f64, bold: bool) -> f64 {
    let em: f64 = s.chars().map(char_em).sum();
    em * px * weight_factor(bold)
}

/// `s` if it fits in `max` user units, otherwise its longest prefix that fits
/// followed by "…" (empty if not even the ellipsis fits).
pub(crate) fn fit(s: &str, max: f64, px: f64, bold: bool) -> String {
    if text_width(s, px, bold) <= max {
        return s.to_string();
    }
    let k = px * weight_factor(bold);
    let ellipsis = char_em('…') * k;
    if max.is_nan() || max < ellipsis {
        return String::new();
    }
    let mut budget = max - ellipsis;
    let mut out = String::new();
    for c in s.chars() {
        budget -= char_em(c) * k;
        if budget < 0.0 {
            break;
        }
        out.push(c);
    }
    // No dangling space before the ellipsis ("Very long …").
    let trimmed = out.trim_end();
    format!("{trimmed}…")
}

/// Wraps `s` onto at most two lines of `max` user units at word boundaries,
/// shortening the second (or a single over-long first word) with "…".
pub(crate) fn wrap2(s: &str, max: f64, px: f64) -> Vec<String> {
    if s.is_empty() || text_width(s, px, false) <= max {
        return vec![fit(s, max, px, false)];
    }
    let mut first = String::new();
    let mut rest_start = s.len();
    let mut pos = 0;
    for word in s.split(' ') {
        let candidate = if first.is_empty() {
            word.to_string()
        } else {
            format!("{first} {word}")
        };
        if text_width(&candidate, px, false) > max {
            rest_start = pos;
            break;
        }
        first = candidate;
        pos += word.len() + 1;
    }
    if first.is_empty() {
        return vec![fit(s, max, px, false)];
    }
    let rest = s.get(rest_start..).unwrap_or("").trim();
    if rest.is_empty() {
        vec![first]
    } else {
        vec![first, fit(rest, max, px, false)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_and_wrap() {
        assert_eq!(fit("short", 100.0, 12.0, false), "short");
        let f = fit(&"x".repeat(200), 100.0, 12.0, false);
        assert!(f.ends_with('…') && text_width(&f, 12.0, false) <= 100.0);
        assert_eq!(fit("anything", 2.0, 12.0, false), "");
        assert_eq!(wrap2("Training budget", 200.0, 12.0), ["Training budget"]);
        assert_eq!(wrap2("Training budget", 60.0, 12.0), ["Training", "budget"]);
        let w = wrap2(&"word ".repeat(40), 100.0, 12.0);
        assert_eq!(w.len(), 2);
        assert!(w[1].ends_with('…'));
    }

    #[test]
    fn clean_removes_controls() {
        assert_eq!(clean("Line\u{0}one\nline\ttwo\u{1b}"), "Line one line two");
        assert_eq!(clean_suffix(" pJ"), " pJ");
        assert_eq!(clean_suffix("%"), "%");
    }
}
