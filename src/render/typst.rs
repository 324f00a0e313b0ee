//! The Typst source of the PDF editions: the same labs as the HTML book,
//! laid out for print.
//!
//! A pure function from the checked labs (and, for the key edition, the
//! answer key) to Typst markup plus the virtual files it names (the SVG
//! plots, the very bytes the HTML pages show at their default state). The
//! markup calls the layout functions of `theme/book.typ`; the PDF engine
//! compiles it. Nothing here knows about Typst's compiler, so the source can
//! be tested on its own.
//!
//! Print has no controls, so every lab is shown at its first track's
//! defaults, and what a reader would explore with the controls becomes
//! tables: each act's scenarios with the values its cards show, and the
//! tasks. The key edition adds the correct options with all feedback, the
//! reveals, and the task answers of every track.

use super::{plain_text, show, Figures, Lab};
use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics};
use crate::keys::BookKey;
use crate::mission::{Constant, Instrument, Mission, Question, Text, Tone};
use crate::model::Slot;
use crate::plan::display_of;
use crate::sweep::{self, Mode};
use crate::text;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::fmt::Write as _;

/// Converts LaTeX math to Typst math (the PDF engine's converter).
pub type MathConverter<'a> = &'a dyn Fn(&str) -> Result<String, String>;

/// A Typst document: the main source and the files it reads.
#[derive(Debug, Default)]
pub struct Document {
    /// The main source, which imports `/book.typ`.
    pub source: String,
    /// Virtual files by absolute path (`/plots/<lab>-<n>.svg`).
    pub files: Vec<(String, Vec<u8>)>,
}

/// Which edition to write.
#[derive(Clone, Copy, Debug)]
pub enum Edition<'a> {
    /// For students: questions without answers.
    Student,
    /// For graders: answers, feedback and the numeric answer tables.
    Key(&'a BookKey),
}

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
    let src = text::stash_math(md, &mut maths, |latex| {
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
    text::restore_math(t, maths, |piece, is_math| {
        if is_math {
            let _ = write!(out, "${piece}$");
        } else {
            out.push_str(&escape(piece));
        }
    });
}

/// The lab-book document for one edition. `figures` holds every plot's
/// SVG (see [`super::Figures`]).
pub fn document(
    config: &Config,
    labs: &[Lab],
    shared: &[Constant],
    version: &str,
    edition: Edition,
    to_math: MathConverter,
    figures: &Figures,
) -> Result<Document, Diagnostics> {
    let mut doc = Document::default();
    let mut diags = Diagnostics::new();
    let key = matches!(edition, Edition::Key(_));
    let name = if key {
        "Grading key"
    } else {
        "Student edition"
    };
    let book = &config.book;
    let authors = array(book.authors.iter().map(|a| string(a)));
    let s = &mut doc.source;
    let _ = writeln!(s, "#import \"/book.typ\": *");
    // The key gets its own document title, so the two PDFs differ in their
    // metadata (and identifier) too.
    let doc_title = if key {
        format!("{}: {name}", book.title)
    } else {
        book.title.clone()
    };
    let _ = writeln!(
        s,
        "#show: book.with(title: {}, authors: {authors}, edition: {}, key: {key})",
        string(&doc_title),
        string(name)
    );
    let _ = writeln!(
        s,
        "#title-page({}, subtitle: {}, authors: {authors}, version: {}, edition: {})",
        string(&book.title),
        if book.description.is_empty() {
            "none".to_string()
        } else {
            string(&book.description)
        },
        string(&format!("Book version {version}")),
        string(name)
    );
    let _ = writeln!(s, "#contents()");
    for lab in labs {
        if let Err(d) = lab_source(&mut doc, lab, edition, to_math, figures) {
            diags.extend(d);
        }
    }
    appendix(&mut doc.source, labs, shared);
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok(doc)
    }
}

/// A Typst array of already-formatted items (a one-item array keeps its
/// trailing comma).
fn array(items: impl IntoIterator<Item = String>) -> String {
    let items: Vec<String> = items.into_iter().collect();
    match items.len() {
        0 => "()".to_string(),
        1 => format!("({},)", items[0]),
        _ => format!("({})", items.join(", ")),
    }
}

fn tone_name(t: Tone) -> &'static str {
    t.as_str()
}

/// Writes one lab.
fn lab_source(
    doc: &mut Document,
    lab: &Lab,
    edition: Edition,
    to_math: MathConverter,
    figures: &Figures,
) -> Result<(), Diagnostics> {
    let m = lab.mission;
    let model = lab.model;
    let defaults = sweep::track_defaults(m);
    let key = matches!(edition, Edition::Key(_));
    // Prose at the first track's defaults, as Typst content.
    let prose = |t: &Text, mode: Mode| -> Result<String, Diagnostics> {
        let md = plain_text(lab, t, mode, 0, &defaults[0]);
        markdown(&md, to_math)
            .map(|c| format!("[{c}]"))
            .map_err(|e| located(m, t, &e))
    };
    // Values at the first track's defaults.
    let mut here = vec![0.0; model.len()];
    model.eval(0, &defaults[0], &mut here);
    let shown = |name: &str| -> String {
        match model.slot(name) {
            Some(slot) => {
                let d = display_of(m, model, slot);
                show(here[slot], &d.unit, d.digits).text
            }
            None => String::new(),
        }
    };

    let mut s = String::new();
    let mut meta = Vec::new();
    if let Some(d) = &m.duration {
        meta.push(array([string("Duration"), string(d)]));
    }
    meta.push(array([string("Acts"), string(&m.acts.len().to_string())]));
    if m.has_track_selector {
        meta.push(array([string("Shown for"), string(&m.tracks[0].label)]));
    }
    let _ = writeln!(
        s,
        "\n#lab({}, subtitle: {}, number: {}, meta: {})",
        string(&m.title),
        match &m.subtitle {
            Some(t) => prose(t, Mode::Pinned)?,
            None => "none".into(),
        },
        m.chapter.as_deref().map_or("none".to_string(), string),
        array(meta)
    );
    if let Some(c) = &m.core_invariant {
        let _ = writeln!(
            s,
            "#banner(\"info\", \"Core invariant\", {})",
            prose(c, Mode::Pinned)?
        );
    }
    if !m.reading.is_empty() {
        let mut items = Vec::new();
        for r in &m.reading {
            let why = match &r.why {
                Some(t) => prose(t, Mode::Pinned)?,
                None => "none".into(),
            };
            items.push(format!(
                "(title: {}, note: {why}, section: {})",
                string(&r.title),
                r.section.as_deref().map_or("none".to_string(), string)
            ));
        }
        let _ = writeln!(s, "#reading-list({})", array(items));
    }
    if m.has_track_selector {
        let _ = writeln!(s, "\n#strong[Deployment contexts.] This edition prints every number for #strong[{}]; the HTML book shows each context's own.\n", escape(&m.tracks[0].label));
        for (ti, t) in m.tracks.iter().enumerate() {
            let summary = match &t.summary {
                Some(x) => {
                    let md = plain_text(lab, x, Mode::Pinned, ti, &defaults[ti]);
                    markdown(&md, to_math).map_err(|e| located(m, x, &e))?
                }
                None => String::new(),
            };
            let _ = writeln!(
                s,
                "- #strong[{}]: {}",
                escape(&t.label),
                summary.replace('\n', " ")
            );
        }
        s.push('\n');
    }

    for (ai, act) in m.acts.iter().enumerate() {
        let _ = writeln!(
            s,
            "\n#act({}, duration: {}, number: {})",
            string(&act.title),
            act.duration.as_deref().map_or("none".to_string(), string),
            ai + 1
        );
        if let Some(t) = &act.story {
            let _ = writeln!(s, "{}\n", inner(&prose(t, Mode::Pinned)?));
        }
        if let Some(st) = act
            .stakeholders
            .iter()
            .find(|x| x.track.is_none_or(|t| t == 0))
        {
            let _ = writeln!(
                s,
                "#stakeholder({}, {})",
                string(&st.from),
                prose(&st.message, Mode::Pinned)?
            );
        }
        if let Some(q) = &act.prediction {
            question(&mut s, q, "Prediction", key, &prose)?;
        }
        if let Some(sim) = &act.simulator {
            let _ = writeln!(s, "\n#kicker[Simulator]\n");
            if let Some(t) = &sim.intro {
                let _ = writeln!(s, "{}\n", inner(&prose(t, Mode::Pinned)?));
            }
            if !sim.controls.is_empty() {
                let rows = sim.controls.iter().map(|&c| {
                    let control = &m.controls[c];
                    let range = match (control.positions.first(), control.positions.last()) {
                        (Some(a), Some(b)) if control.positions.len() > 1 => {
                            format!("{} … {}", a.label, b.label)
                        }
                        _ => String::new(),
                    };
                    array([
                        string(&control.label),
                        string(&control.positions[defaults[0][c]].label),
                        string(&range),
                    ])
                });
                let _ = writeln!(
                    s,
                    "#states-table((\"Control\", \"Setting shown\", \"Range\"), {}, align: (left, left, left))",
                    array(rows)
                );
            }
            let mut cards = Vec::new();
            let flush = |s: &mut String, cards: &mut Vec<String>| {
                if !cards.is_empty() {
                    let _ = writeln!(s, "#metric-grid({})", array(cards.drain(..)));
                }
            };
            for (k, inst) in sim.instruments.iter().enumerate() {
                match inst {
                    Instrument::Metric {
                        value, label, note, ..
                    } => {
                        let label = label.clone().unwrap_or_else(|| slot_label(lab, value));
                        let note = match note {
                            Some(n) => prose(n, Mode::Live)?,
                            None => "none".into(),
                        };
                        cards.push(array([string(&label), string(&shown(value)), note]));
                    }
                    Instrument::Status {
                        label,
                        value,
                        levels,
                        ..
                    } => {
                        flush(&mut s, &mut cards);
                        let level = levels
                            .iter()
                            .find(|l| {
                                l.when
                                    .as_ref()
                                    .is_none_or(|w| model.slot(w).is_some_and(|x| here[x] != 0.0))
                            })
                            .or(levels.last());
                        if let Some(l) = level {
                            let word = match value {
                                Some((v, _)) => format!("{} ({})", l.label, shown(v)),
                                None => l.label.clone(),
                            };
                            let note = match &l.note {
                                Some(n) => prose(n, Mode::Live)?,
                                None => "none".into(),
                            };
                            let _ = writeln!(
                                s,
                                "#status({}, {}, {}, note: {note})",
                                string(label),
                                string(&word),
                                string(tone_name(l.tone))
                            );
                        }
                    }
                    Instrument::Badges(list) => {
                        flush(&mut s, &mut cards);
                        for b in list {
                            let ok = model.slot(&b.ok).is_some_and(|x| here[x] != 0.0);
                            let (t, tone) = if ok {
                                (&b.good, "good")
                            } else {
                                (&b.bad, "bad")
                            };
                            let _ = writeln!(
                                s,
                                "#status(\"Constraint\", {}, {}, note: {})",
                                string(if ok { "met" } else { "not met" }),
                                string(tone),
                                prose(t, Mode::Live)?
                            );
                        }
                    }
                    Instrument::Banner {
                        when,
                        tone,
                        title,
                        text,
                    } => {
                        flush(&mut s, &mut cards);
                        if model.slot(when).is_some_and(|x| here[x] != 0.0) {
                            let body = match text {
                                Some(t) => prose(t, Mode::Live)?,
                                None => "[]".into(),
                            };
                            let _ = writeln!(
                                s,
                                "#banner({}, {}, {body})",
                                string(tone_name(*tone)),
                                prose(title, Mode::Live)?
                            );
                        }
                    }
                    Instrument::Plot(p) => {
                        flush(&mut s, &mut cards);
                        let path = super::figure_path(&m.id, &act.id, k);
                        let Some(svg) = figures.get(&path) else {
                            return Err(super::internal(format!("no figure drawn for {path}")));
                        };
                        let title = plain_text(lab, &p.title, Mode::Live, 0, &defaults[0]);
                        let _ = writeln!(
                            s,
                            "#figure-svg({}, caption: {})",
                            string(&path),
                            string(&title)
                        );
                        doc.files.push((path, svg.clone().into_bytes()));
                    }
                }
            }
            flush(&mut s, &mut cards);
            explore_table(&mut s, lab, ai);
        }
        for t in &act.tasks {
            let _ = writeln!(
                s,
                "\n#kicker[Task] {}\n",
                inner(&prose(&t.prompt, Mode::Pinned)?)
            );
            match edition {
                Edition::Student => {
                    let unit = task_unit(lab, t);
                    let _ = writeln!(
                        s,
                        "Your answer: #box(width: 4cm, stroke: (bottom: 0.5pt))[] {}\n",
                        escape(&unit)
                    );
                }
                Edition::Key(k) => task_answers(&mut s, k, &m.id, &format!("{}.{}", act.id, t.id)),
            }
            if key {
                if let Some(e) = &t.explain {
                    let _ = writeln!(s, "{}\n", inner(&prose(e, Mode::Pinned)?));
                }
            }
        }
        if key {
            if let Some(r) = &act.reveal {
                let _ = writeln!(
                    s,
                    "#banner(\"info\", \"Prediction vs reality\", {})",
                    prose(r, Mode::Live)?
                );
            }
        }
        if let Some(q) = &act.reflection {
            question(&mut s, q, "Reflection", key, &prose)?;
        }
        if let Some(mp) = &act.mathpeek {
            let eq = to_math(&mp.latex.src).map_err(|e| {
                let mut d = Diagnostics::new();
                d.push(
                    Diagnostic::error(
                        Some(mp.latex.loc.clone()),
                        format!("the LaTeX does not convert for the PDF: {e}"),
                    )
                    .with_hint(
                        "simplify the equation, or check it against Typst's math (via mitex)",
                    ),
                );
                d
            })?;
            let where_body = match &mp.where_ {
                Some(t) => prose(t, Mode::Pinned)?,
                None => "none".into(),
            };
            let assumptions = match &mp.assumptions {
                Some(t) => prose(t, Mode::Pinned)?,
                None => "none".into(),
            };
            let mut steps = Vec::new();
            for w in &mp.worked {
                let modes: Vec<Mode> = if w.at.is_empty() {
                    vec![Mode::Live]
                } else {
                    w.at.iter().map(|s| Mode::Scenario(*s as u16)).collect()
                };
                for mode in modes {
                    let track = sweep::fixed_track(m, mode).unwrap_or(0);
                    let pos = match mode {
                        Mode::Scenario(_) => sweep::base_positions(m, mode)[track].clone(),
                        _ => defaults[0].clone(),
                    };
                    let label = match mode.scenario().and_then(|i| m.scenarios.get(i)) {
                        Some(sc) => sc.label.clone(),
                        None => "At the settings shown".to_string(),
                    };
                    for (n, parts) in super::worked_lines(lab, &w.formula, mode, track, &pos)
                        .iter()
                        .enumerate()
                    {
                        let mut sides = Vec::with_capacity(parts.len());
                        for part in parts {
                            sides.push(to_math(part).map_err(|e| {
                                let mut d = Diagnostics::new();
                                d.push(Diagnostic::error(
                                    Some(w.loc.clone()),
                                    format!("the worked example does not convert for the PDF: {e}"),
                                ));
                                d
                            })?);
                        }
                        let tag = if n == 0 { label.clone() } else { String::new() };
                        // One line, and the same broken before each `=`
                        // for when one line does not fit.
                        let (one, broken) = worked_forms(&sides);
                        steps.push(array([string(&tag), one, broken]));
                    }
                }
            }
            let _ = writeln!(
                s,
                "#mathpeek({}, $ {eq} $, where-body: {where_body}, worked: {}, assumptions: {assumptions})",
                string(&mp.title),
                array(steps)
            );
        }
    }
    doc.source.push_str(&s);
    Ok(())
}

/// A worked-example line from the Typst math of its sides: on one line,
/// and aligned on `=` with a line per side after the first two (for
/// `mathpeek` to use when one line would not fit).
fn worked_forms(sides: &[String]) -> (String, String) {
    let one = format!("$ {} $", sides.join(" = "));
    let mut broken = String::from("$ ");
    for (i, side) in sides.iter().enumerate() {
        match i {
            0 => {}
            1 => broken.push_str(" &= "),
            _ => broken.push_str(" \\\n  &= "),
        }
        broken.push_str(side);
    }
    broken.push_str(" $");
    (one, broken)
}

/// The content inside `[...]`.
fn inner(content: &str) -> &str {
    content
        .strip_prefix('[')
        .and_then(|c| c.strip_suffix(']'))
        .unwrap_or(content)
}

/// A diagnostic for prose whose inline math does not convert, located at
/// the `\(` that opens it (values are filled in outside math, so the LaTeX
/// reads in the mission as it reached the converter).
fn located(m: &Mission, t: &Text, e: &MathError) -> Diagnostics {
    let at = t
        .src
        .find(&format!("\\({}", e.latex))
        .or_else(|| t.src.find(&e.latex).map(|i| i.saturating_sub(2)))
        .unwrap_or(0);
    let mut d = Diagnostics::new();
    d.push(
        Diagnostic::error(
            Some(t.locate(&m.source, at)),
            format!("the inline math does not convert for the PDF: {e}"),
        )
        .with_hint("check the math between \\( and \\)"),
    );
    d
}

fn slot_label(lab: &Lab, name: &str) -> String {
    let m = lab.mission;
    match lab.model.slot(name).map(|s| lab.model.slots[s]) {
        Some(Slot::Formula(f)) => m.formulas[f].label.clone(),
        Some(Slot::Constant(c)) => m.constants[c].label.clone(),
        Some(Slot::Control(c)) => m.controls[c].label.clone(),
        None => name.to_string(),
    }
}

/// Writes a printed multiple-choice question.
fn question(
    s: &mut String,
    q: &Question,
    label: &str,
    key: bool,
    prose: &dyn Fn(&Text, Mode) -> Result<String, Diagnostics>,
) -> Result<(), Diagnostics> {
    let mut options = Vec::new();
    for o in &q.options {
        let mut parts = vec![string(&o.key), prose(&o.text, Mode::Pinned)?];
        if key {
            parts.push(prose(&o.feedback, Mode::Pinned)?);
        }
        options.push(array(parts));
    }
    let _ = writeln!(
        s,
        "#question({}, {}, answer: {}, label: {})",
        prose(&q.prompt, Mode::Pinned)?,
        array(options),
        if key {
            string(&q.correct)
        } else {
            "none".into()
        },
        string(label)
    );
    Ok(())
}

/// The unit a task is answered in.
fn task_unit(lab: &Lab, t: &crate::mission::Task) -> String {
    let Some(slot) = lab.model.slot(&t.answer) else {
        return String::new();
    };
    let d = crate::plan::task_display(lab.mission, lab.model, t, slot);
    show(1.0, &d.unit, d.digits).unit
}

/// The key's answers to one task, per track.
fn task_answers(s: &mut String, key: &BookKey, lab: &str, id: &str) {
    let Some(l) = key.labs.iter().find(|l| l.id == lab) else {
        return;
    };
    let rows: Vec<String> = l
        .numeric
        .iter()
        .filter(|n| n.id == id)
        .map(|n| {
            let track = l
                .tracks
                .iter()
                .find(|t| t.id == n.track)
                .map_or(n.track.clone(), |t| t.label.clone());
            array([string(&track), string(&n.text), string(&tolerance(n))])
        })
        .collect();
    let _ = writeln!(
        s,
        "#states-table((\"Track\", \"Answer\", \"Accepted\"), {}, align: (left, right, right))",
        array(rows)
    );
}

fn tolerance(n: &crate::keys::NumericItem) -> String {
    let mut parts = Vec::new();
    if n.tolerance.relative > 0.0 {
        parts.push(format!(
            "±{}%",
            super::fmt_attr(n.tolerance.relative * 100.0)
        ));
    }
    if n.tolerance.absolute > 0.0 {
        parts.push(format!(
            "±{} {}",
            super::fmt_attr(n.tolerance.absolute),
            n.unit
        ));
    }
    if parts.is_empty() {
        "exact".to_string()
    } else {
        parts.join(" or ")
    }
}

/// The act's scenarios as a table: the settings each makes and the values
/// the act's cards show there, so a reader of the print edition sees the
/// states the simulator would take them through.
fn explore_table(s: &mut String, lab: &Lab, act: usize) {
    let m = lab.mission;
    let model = lab.model;
    let Some(sim) = &m.acts[act].simulator else {
        return;
    };
    let metrics: Vec<&str> = sim
        .instruments
        .iter()
        .filter_map(|i| match i {
            Instrument::Metric { value, .. } => Some(value.as_str()),
            _ => None,
        })
        .collect();
    let scenarios: Vec<usize> = (0..m.scenarios.len())
        .filter(|&i| {
            m.scenarios[i]
                .set
                .iter()
                .any(|(c, _)| sim.controls.contains(c))
        })
        .collect();
    if scenarios.is_empty() || metrics.is_empty() {
        return;
    }
    let mut columns = vec![string("State")];
    columns.extend(sim.controls.iter().map(|&c| string(&m.controls[c].label)));
    columns.extend(metrics.iter().map(|v| string(&slot_label(lab, v))));
    let mut rows: Vec<Vec<String>> = Vec::new();
    for &i in &scenarios {
        let mode = Mode::Scenario(i as u16);
        let track = sweep::fixed_track(m, mode).unwrap_or(0);
        let pos = sweep::base_positions(m, mode)[track].clone();
        let mut values = vec![0.0; model.len()];
        model.eval(track, &pos, &mut values);
        let mut row = vec![string(&m.scenarios[i].label)];
        row.extend(
            sim.controls
                .iter()
                .map(|&c| string(&m.controls[c].positions[pos[c]].label)),
        );
        for v in &metrics {
            let text = model.slot(v).map_or(String::new(), |slot| {
                let d = display_of(m, model, slot);
                show(values[slot], &d.unit, d.digits).text
            });
            row.push(string(&text));
        }
        rows.push(row);
    }
    let caption = string(&format!("States to explore in act {}", act + 1));
    // Many columns and few states read better turned on their side: a row
    // per setting and value, a column per state. A page has room for about
    // seven columns of this size.
    if columns.len() > 7 && rows.len() + 1 < columns.len() {
        let mut turned = Vec::with_capacity(columns.len() - 1);
        for (k, label) in columns.iter().enumerate().skip(1) {
            let mut row = vec![label.clone()];
            row.extend(rows.iter().map(|r| r[k].clone()));
            turned.push(array(row));
        }
        let mut header = vec![string("")];
        header.extend(rows.iter().map(|r| r[0].clone()));
        let _ = writeln!(
            s,
            "#states-table({}, {}, caption: {caption})",
            array(header),
            array(turned)
        );
    } else {
        let _ = writeln!(
            s,
            "#states-table({}, {}, caption: {caption})",
            array(columns),
            array(rows.into_iter().map(array))
        );
    }
}

/// The appendix: the shared constants and each lab's own, with sources.
fn appendix(s: &mut String, labs: &[Lab], shared: &[Constant]) {
    let _ = writeln!(s, "\n#pagebreak()\n= Constants and sources\n");
    let row = |c: &Constant| {
        let value = show(c.value.value, &c.display.unit, c.display.digits).text;
        array([
            "none".to_string(),
            string(&c.label),
            string(&value),
            string(c.source.as_deref().unwrap_or("")),
        ])
    };
    if !shared.is_empty() {
        let _ = writeln!(
            s,
            "#appendix-constants({}, caption: \"Figures shared by the labs\")",
            array(shared.iter().map(row))
        );
    }
    for lab in labs {
        let m = lab.mission;
        let own: Vec<String> = m
            .constants
            .iter()
            .filter(|c| !shared.iter().any(|x| x.id == c.id))
            .map(row)
            .collect();
        if !own.is_empty() {
            let _ = writeln!(
                s,
                "#appendix-constants({}, caption: {})",
                array(own),
                string(&m.title)
            );
        }
    }
}
