//! LaTeX math to Typst math, for the PDF editions.
//!
//! [`latex_to_typst`] converts LaTeX math (as written in MathPeek panels) to
//! Typst math with the `mitex` crate, then repairs what mitex 0.2 gets wrong
//! for Typst 0.15: symbols Typst has renamed since (`\partial` came out as
//! `diff`, `\cap` as `sect`, `\langle` as `angle.l`), and `|x|` pairs that
//! mitex spaces out so that Typst sets them as relations. mitex's output also
//! calls helpers such as `mitexsqrt(..)` or `#textmath[..]` that its Typst
//! package would define; the prelude defines the ones a lab book can meet.
//! Finally the formula is laid out once on its own, so a formula that
//! converts but would not compile is an `Err` here, naming the LaTeX
//! command, rather than a failure of the whole book later.

use std::panic::{catch_unwind, AssertUnwindSafe};

use typst::syntax::{ast, LinkedNode, SyntaxKind};
use typst_layout::PagedDocument;

use crate::render::typst::engine::{self, BookWorld, EngineError, BOOK_TYP_PATH};

#[cfg(test)]
mod tests;

/// Names that mitex's output may call which are not Typst built-ins; the
/// prelude defines each of them (a unit test checks that). Output naming
/// anything outside Typst's math scope and this list is rejected.
const MITEX_PRELUDE_NAMES: &[&str] = &[
    "mitexsqrt",
    "mitexmathbf",
    "mitexdisplay",
    "mitexinline",
    "mitexscript",
    "mitexsscript",
    "mitexbold",
    "mitexupright",
    "mitexitalic",
    "mitexsans",
    "mitexfrak",
    "mitexmono",
    "mitexcal",
    "mitexoverbrace",
    "mitexunderbrace",
    "mitexoverbracket",
    "mitexunderbracket",
    "textmath",
    "textmd",
    "textnormal",
    "textbf",
    "textit",
    "textrm",
    "textup",
    "textsf",
    "texttt",
    "operatorname",
    "operatornamewithlimits",
    "negthinspace",
    "negthinmedspace",
    "negmedspace",
    "negthickspace",
    "enspace",
    "tfrac",
    "dfrac",
    "cfrac",
    "dbinom",
    "tbinom",
    "overset",
    "underset",
    "stackrel",
    "boxed",
    "colortext",
    "aligned",
    "pmod",
    "pod",
    "mitexcolor",
    "mitexlabel",
    "rcases",
    "phantom",
    "hphantom",
    "vphantom",
    "big",
    "Big",
    "bigg",
    "Bigg",
    "mathbin",
    "mathrel",
    "mathop",
    "mathord",
    "mathopen",
    "mathclose",
    "mathpunct",
    "substack",
    "hbox",
    "fbox",
    "xcancel",
    "bcancel",
    "matrix",
    "pmatrix",
    "bmatrix",
    "Bmatrix",
    "vmatrix",
    "Vmatrix",
    "smallmatrix",
    "argmax",
    "argmin",
    "middle",
    "xrightarrow",
    "xleftarrow",
    "underbar",
];

/// Converts LaTeX math (the body of `$...$`, without the dollars) to Typst
/// math markup (also without dollars), ready to be placed between `$ ` and
/// ` $` (display) or `$` and `$` (inline) in a document that imports the
/// prelude.
///
/// Supported: what the `mitex` crate converts and Typst can then lay out
/// with the prelude, which covers the usual formula vocabulary: `\frac`,
/// `\sqrt`, sub- and superscripts, `\mathrm` and friends, `\text`, Greek
/// letters, relations (`\le`, `\approx`, ...), operators (`\times`,
/// `\cdot`, `\sum`, `\max`, `\sup`, ...), `\left( ... \right)`, `|x|`,
/// spacing (`\,`, `\;`, `\quad`, `\qquad`), and the `aligned`, `cases`
/// and matrix environments.
///
/// Errors (never panics): unbalanced braces, an unknown command, a command
/// with no Typst counterpart here (such as `\cite` or `\hspace`), or
/// output that does not compile, each with a message naming the culprit.
/// Each call lays the formula out once to check it (a few milliseconds).
pub fn latex_to_typst(latex: &str) -> Result<String, String> {
    check_braces(latex)?;
    // mitex panics on a few malformed inputs (e.g. `\includegraphics` without
    // an argument); that must not end the build. The default panic hook
    // still prints the message to stderr.
    let latex = escape_dollars(latex);
    let raw = catch_unwind(|| mitex::convert_math(&latex, None))
        .map_err(|_| String::from("LaTeX conversion failed (mitex panicked)"))?
        .map_err(|e| e.trim().trim_start_matches("error: ").to_string())?;
    let typst = tighten_bars(&rename_symbols(&raw));
    let root = typst::syntax::parse_math(&typst);
    let (errors, _) = root.errors_and_warnings();
    if let Some(err) = errors.first() {
        return Err(format!(
            "LaTeX converted to invalid Typst math ({}): {typst}",
            err.message
        ));
    }
    check_names(&LinkedNode::new(&root))?;
    trial_compile(&typst)?;
    Ok(typst)
}

/// Lays the converted math out once, alone, so that every remaining problem
/// (a symbol variant Typst does not know, a helper called with the wrong
/// arguments) is reported here, against the formula, rather than later in
/// the book. Costs a few milliseconds; the prelude's evaluation is cached
/// between calls.
fn trial_compile(typst: &str) -> Result<(), String> {
    let source = format!(
        "#import \"{BOOK_TYP_PATH}\": *\n#set page(width: 20cm, height: auto, margin: 1cm)\n$ {typst} $\n"
    );
    let world = BookWorld::new(&source, &[], None).map_err(|e| join_messages(&e))?;
    let result = catch_unwind(AssertUnwindSafe(|| {
        typst::compile::<PagedDocument>(&world).output.map(|_| ())
    }));
    match result {
        Ok(Ok(())) => Ok(()),
        Ok(Err(errors)) => Err(format!(
            "LaTeX converted to Typst math that does not compile ({}): {typst}",
            errors
                .iter()
                .map(|e| e.message.as_str())
                .collect::<Vec<_>>()
                .join("; ")
        )),
        Err(_) => Err(String::from(
            "internal error in the Typst compiler (it panicked)",
        )),
    }
}

fn join_messages(errors: &[EngineError]) -> String {
    errors
        .iter()
        .map(|e| e.message.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}

/// Symbols that mitex 0.2 emits under names Typst 0.14/0.15 has since
/// renamed or removed, as (old dotted prefix, new prefix). A prefix also
/// covers longer paths: `plus.circle.big` becomes `plus.o.big`.
const RENAMED_SYMBOLS: &[(&str, &str)] = &[
    ("diff", "partial"),
    ("sect", "inter"),
    ("angle.l", "chevron.l"),
    ("angle.r", "chevron.r"),
    ("bracket.l.double", "bracket.l.stroked"),
    ("bracket.r.double", "bracket.r.stroked"),
    ("dot.circle", "dot.o"),
    ("plus.circle", "plus.o"),
    ("minus.circle", "minus.o"),
    ("times.circle", "times.o"),
    ("ast.circle", "ast.op.o"),
    ("circle.nested", "compose.o"),
    ("dash.circle", "dash.o"),
    ("arrow.l.dash", "arrow.l.dashed"),
    ("arrow.r.dash", "arrow.r.dashed"),
    ("planck.reduce", "planck"),
];

/// Applies [`RENAMED_SYMBOLS`] to every symbol path in `typst` math.
fn rename_symbols(typst: &str) -> String {
    let root = typst::syntax::parse_math(typst);
    let mut edits = Vec::new();
    collect_renames(&LinkedNode::new(&root), &mut edits);
    let mut out = typst.to_string();
    // Back to front, so earlier ranges stay valid.
    edits.sort_by_key(|(range, _)| std::cmp::Reverse(range.start));
    for (range, new) in edits {
        if out.get(range.clone()).is_some() {
            out.replace_range(range, &new);
        }
    }
    out
}

fn collect_renames(node: &LinkedNode, edits: &mut Vec<(std::ops::Range<usize>, String)>) {
    let is_path = matches!(
        node.kind(),
        SyntaxKind::MathIdent | SyntaxKind::MathFieldAccess
    );
    // Only whole paths: not the `dots.h` inside `dots.h.c`.
    let inside_path = node.parent_kind() == Some(SyntaxKind::MathFieldAccess);
    if is_path && !inside_path {
        let path = node.get().full_text();
        let renamed = RENAMED_SYMBOLS.iter().find_map(|(old, new)| {
            let rest = path.strip_prefix(old)?;
            (rest.is_empty() || rest.starts_with('.')).then(|| format!("{new}{rest}"))
        });
        if let Some(renamed) = renamed {
            edits.push((node.range(), renamed));
        }
        return;
    }
    for child in node.children() {
        collect_renames(&child, edits);
    }
}

/// Makes `|x|` pairs tight.
///
/// mitex separates every token with spaces, and Typst sets a `|` with spaces
/// on both sides as a relation (`| x |`), while LaTeX authors mean absolute
/// values or norms. Within each group (a call's parentheses, or literal
/// `\(..\)` / `\[..\]`), when the bars of one kind (`|` or `||`) come in an
/// even number, they are paired left to right and the space inside each pair
/// is removed. A lone bar, as in `P(A | B)`, keeps its spacing.
fn tighten_bars(typst: &str) -> String {
    let bytes = typst.as_bytes();
    // Per open group: bars as (start, len).
    let mut groups: Vec<Vec<(usize, usize)>> = vec![Vec::new()];
    let mut cut: Vec<std::ops::Range<usize>> = Vec::new();
    let mut content_depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'\\' {
            match bytes.get(i + 1) {
                Some(b'(' | b'[') if content_depth == 0 => groups.push(Vec::new()),
                Some(b')' | b']') if content_depth == 0 && groups.len() > 1 => {
                    close_group(&mut groups, bytes, &mut cut);
                }
                _ => {}
            }
            i += 2;
            continue;
        }
        if content_depth > 0 {
            // Inside `#textmath[...]`: text, not math.
            match b {
                b'[' => content_depth += 1,
                b']' => content_depth -= 1,
                _ => {}
            }
            i += 1;
            continue;
        }
        match b {
            b'[' => content_depth = 1,
            b'(' => groups.push(Vec::new()),
            // An unbalanced `)` must not close the outermost group.
            b')' if groups.len() > 1 => close_group(&mut groups, bytes, &mut cut),
            b'|' => {
                let len = if bytes.get(i + 1) == Some(&b'|') {
                    2
                } else {
                    1
                };
                if let Some(group) = groups.last_mut() {
                    group.push((i, len));
                }
                i += len;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    while !groups.is_empty() {
        close_group(&mut groups, bytes, &mut cut);
    }
    let mut out = typst.to_string();
    cut.sort_by_key(|r| std::cmp::Reverse(r.start));
    for range in cut {
        if out.get(range.clone()).is_some() {
            out.replace_range(range, "");
        }
    }
    out
}

/// Pops the innermost group and records the spaces to cut inside its bar
/// pairs.
fn close_group(
    groups: &mut Vec<Vec<(usize, usize)>>,
    bytes: &[u8],
    cut: &mut Vec<std::ops::Range<usize>>,
) {
    let Some(bars) = groups.pop() else { return };
    for len in [1, 2] {
        let same: Vec<usize> = bars.iter().filter(|b| b.1 == len).map(|b| b.0).collect();
        if same.len() < 2 || !same.len().is_multiple_of(2) {
            continue;
        }
        for pair in same.chunks(2) {
            if let [open, close] = pair {
                // Spaces right after the opening bar and right before the
                // closing one. `get` keeps this total even if the bars were
                // ever out of order.
                let after = open + len;
                let inside = bytes.get(after..*close).unwrap_or_default();
                let lead = inside
                    .iter()
                    .take_while(|b| b.is_ascii_whitespace())
                    .count();
                let trail = inside[lead..]
                    .iter()
                    .rev()
                    .take_while(|b| b.is_ascii_whitespace())
                    .count();
                let end = after + lead;
                let start = close - trail;
                if end > after {
                    cut.push(after..end);
                }
                if *close > start {
                    cut.push(start..*close);
                }
            }
        }
    }
}

/// Replaces `\$` with `\textdollarsign`: mitex turns `\$` inside `\text{..}`
/// into the word "dollar", while `\textdollarsign` gives a `$` in both text
/// and math.
fn escape_dollars(latex: &str) -> String {
    let mut out = String::with_capacity(latex.len());
    let mut chars = latex.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('$') => out.push_str("\\textdollarsign "),
            Some(next) => {
                out.push('\\');
                out.push(next);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// mitex silently closes unbalanced groups; a missing brace is almost always
/// a typo, so it is reported instead.
fn check_braces(latex: &str) -> Result<(), String> {
    let mut depth: usize = 0;
    let mut chars = latex.chars();
    while let Some(c) = chars.next() {
        match c {
            // `\{`, `\}` and `\\` are literal characters, not groups.
            '\\' => {
                chars.next();
            }
            '{' => depth += 1,
            '}' => {
                depth = depth
                    .checked_sub(1)
                    .ok_or_else(|| String::from("unbalanced braces: unexpected '}'"))?;
            }
            _ => {}
        }
    }
    if depth == 0 {
        Ok(())
    } else {
        Err(format!("unbalanced braces: {depth} '{{' not closed"))
    }
}

/// Every identifier in mitex's output must be a Typst math or global name
/// or one of the prelude's mitex helpers.
fn check_names(node: &LinkedNode) -> Result<(), String> {
    let name = match node.kind() {
        SyntaxKind::MathIdent => node.cast::<ast::MathIdent>().map(|i| i.get().clone()),
        SyntaxKind::Ident => node.cast::<ast::Ident>().map(|i| i.get().clone()),
        _ => None,
    };
    if let Some(name) = name {
        // Field names (`dot.c`, `arrow.l.double`) are children of a
        // FieldAccess after the first; only the head is looked up.
        let parent = node.parent_kind();
        let is_field = matches!(
            parent,
            Some(SyntaxKind::FieldAccess | SyntaxKind::MathFieldAccess)
        ) && node.prev_sibling().is_some();
        // The name of a named argument (`delim: ..`) is not a variable.
        let is_arg_name = parent == Some(SyntaxKind::Named) && node.prev_sibling().is_none();
        if !is_field && !is_arg_name && !is_known_name(&name) {
            return Err(format!(
                "LaTeX command converted to `{name}`, which has no Typst equivalent here"
            ));
        }
    }
    for child in node.children() {
        check_names(&child)?;
    }
    Ok(())
}

fn is_known_name(name: &str) -> bool {
    let library = engine::library();
    MITEX_PRELUDE_NAMES.contains(&name)
        || library.math.scope().get(name).is_some()
        || library.global.scope().get(name).is_some()
}
