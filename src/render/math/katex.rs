//! LaTeX to MathML with KaTeX, at build time: the page fetches no fonts
//! or scripts to show its equations.

use crate::diag::{Diagnostic, Diagnostics};

/// Renders LaTeX to MathML with KaTeX at build time; the error is KaTeX's
/// message, cleaned up.
pub(crate) fn math(latex: &str, display: bool) -> Result<String, String> {
    let opts = katex::Opts::builder()
        .display_mode(display)
        .output_type(katex::OutputType::Mathml)
        .throw_on_error(true)
        .build()
        .map_err(|e| format!("KaTeX options: {e}"))?;
    katex::render_with_opts(latex, &opts).map_err(|e| match e {
        katex::Error::JsExecError(m) => katex_message(&m),
        other => other.to_string(),
    })
}

/// A display equation of a MathPeek, located at its `latex` field.
pub(crate) fn display_math(latex: &crate::mission::Source) -> Result<String, Diagnostics> {
    math(&latex.src, true).map_err(|message| {
        let mut d = Diagnostics::new();
        d.push(
            Diagnostic::error(
                Some(latex.loc.clone()),
                format!("the LaTeX does not render: {message}"),
            )
            .with_hint("check the equation's syntax; KaTeX supports most of LaTeX math mode"),
        );
        d
    })
}
/// KaTeX's parse error without its wrapper: `ParseError: KaTeX parse
/// error: Undefined control sequence: \mni at position 14: …` becomes
/// `undefined control sequence: \mni at position 14`.
fn katex_message(raw: &str) -> String {
    let m = raw.trim();
    let m = m
        .strip_prefix("String(\"")
        .and_then(|s| s.strip_suffix("\")"))
        .unwrap_or(m)
        .replace("\\\\", "\\");
    let m = m.strip_prefix("ParseError: ").unwrap_or(&m);
    let m = m.strip_prefix("KaTeX parse error: ").unwrap_or(m);
    // Drop KaTeX's excerpt after the position: it underlines with combining
    // characters that terminals render poorly.
    let m = match m.find(" at position ") {
        Some(i) => {
            let digits = m[i + 13..].chars().take_while(char::is_ascii_digit).count();
            &m[..i + 13 + digits]
        }
        None => m,
    };
    let mut chars = m.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
}
