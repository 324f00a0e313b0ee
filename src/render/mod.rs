//! Rendering: pure functions from checked missions and their sweeps to the
//! bytes of every output file.
//!
//! A lab page carries its precomputed states as one JSON block of "cells":
//! each cell is one displayed thing (a value, a status, a banner's
//! visibility, a plot) over exactly the axes it depends on. Elements point
//! at their cell with `data-cell`; the page script only indexes into these
//! arrays. The HTML is written at the default state of the first track, so
//! the page reads right before any script runs.

mod figures;
#[cfg(feature = "pdf")]
pub mod pdf;
pub mod typst;

use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics};
use crate::format::{show, Shown};
use crate::mission::{ControlKind, Display, Instrument, Mission, PlotKind, PlotSpec, Text, Tone};
use crate::model::{Model, Slot};
use crate::plan::display_of;
use crate::plots;
use crate::sweep::{self, Axis, Mode, Request, Sweep, Table};
use crate::text::{self, escape, Piece};
use serde::Serialize;
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

/// One output file: a path relative to the output folder, and its bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputFile {
    /// Relative path, with forward slashes.
    pub path: PathBuf,
    /// Contents.
    pub bytes: Vec<u8>,
}

/// Everything rendering needs for one lab.
pub struct Lab<'a> {
    /// The checked mission.
    pub mission: &'a Mission,
    /// Its compiled model.
    pub model: &'a Model,
    /// Its sweep.
    pub sweep: &'a Sweep,
}

const INDEX_TEMPLATE: &str = include_str!("../../templates/index.html");
const LAB_TEMPLATE: &str = include_str!("../../templates/lab.html");
const CONSTANTS_TEMPLATE: &str = include_str!("../../templates/constants.html");
const MACROS_TEMPLATE: &str = include_str!("../../templates/macros.html");
const BASE_TEMPLATE: &str = include_str!("../../templates/base.html");
const THEME_CSS: &str = include_str!("../../theme/labgen.css");
const THEME_JS: &str = include_str!("../../theme/labgen.js");

/// The appendix page listing the book's shared constants and their sources.
pub const CONSTANTS_FILE: &str = "constants.html";

/// The appendix: every shared constant, its value, its source, and the labs
/// that use it.
fn constants_page(
    config: &Config,
    labs: &[Lab],
    shared: &[crate::mission::Constant],
    tera: &tera::Tera,
) -> Result<Vec<u8>, Diagnostics> {
    let rows: Vec<Value> = shared
        .iter()
        .map(|c| {
            let used: Vec<Value> = labs
                .iter()
                .filter(|l| {
                    l.mission
                        .constants
                        .iter()
                        .any(|k| k.id == c.id && k.loc == c.loc)
                })
                .map(|l| json!({"title": l.mission.title, "file": lab_file(&l.mission.id)}))
                .collect();
            json!({
                "id": c.id,
                "label": c.label,
                "value": show(c.value.value, &c.display.unit, c.display.digits).text,
                "source": c.source,
                "note": c.note,
                "used": used,
            })
        })
        .collect();
    let mut ctx = tera::Context::new();
    ctx.insert("book", &config.book);
    ctx.insert("root", "");
    ctx.insert("constants", &rows);
    tera.render("constants.html", &ctx)
        .map(String::into_bytes)
        .map_err(|e| internal(format!("constants template: {e:?}")))
}

/// The page file name of a lab.
pub fn lab_file(id: &str) -> String {
    format!("{id}.html")
}

fn templates() -> Result<tera::Tera, Diagnostics> {
    let mut tera = tera::Tera::default();
    tera.add_raw_templates(vec![
        ("base.html", BASE_TEMPLATE),
        ("macros.html", MACROS_TEMPLATE),
        ("index.html", INDEX_TEMPLATE),
        ("lab.html", LAB_TEMPLATE),
        ("constants.html", CONSTANTS_TEMPLATE),
    ])
    .map_err(|e| internal(format!("built-in templates do not compile: {e:?}")))?;
    Ok(tera)
}

fn internal(message: String) -> Diagnostics {
    let mut d = Diagnostics::new();
    d.push(Diagnostic::error(
        None,
        format!("internal error: {message}"),
    ));
    d
}

/// Renders the whole HTML book: index, one page per lab, and the theme.
/// `shared` is the book's constants registry, listed on an appendix page.
pub fn html_book(
    config: &Config,
    labs: &[Lab],
    shared: &[crate::mission::Constant],
) -> Result<(Vec<OutputFile>, Figures), Diagnostics> {
    let tera = templates()?;
    let mut files = Vec::new();
    let mut figures = Figures::new();
    let mut diags = Diagnostics::new();
    let mut entries = Vec::new();
    // The page stores it with the student's ledger (see `keys::book_version`).
    let version = crate::keys::book_version(labs.iter().map(|l| l.mission));
    // Pages are independent: render them in parallel (each thread starts
    // its own KaTeX engine), then take them in book order.
    let pages: Vec<_> = {
        use rayon::prelude::*;
        labs.par_iter()
            .map(|lab| lab_page(config, lab, &tera, &version))
            .collect()
    };
    for (lab, page) in labs.iter().zip(pages) {
        match page {
            Ok((bytes, f)) => {
                files.push(OutputFile {
                    path: PathBuf::from(lab_file(&lab.mission.id)),
                    bytes,
                });
                figures.extend(f);
            }
            Err(d) => diags.extend(d),
        }
        entries.push(json!({
            "id": lab.mission.id,
            "file": lab_file(&lab.mission.id),
            "title": lab.mission.title,
            "chapter": lab.mission.chapter,
            "duration": lab.mission.duration,
            "subtitle": lab.mission.subtitle.as_ref().map(|t| text::markdown_inline(&escape(&plain_pinned(lab, t)))),
            "acts": lab.mission.acts.iter().map(|a| a.title.clone()).collect::<Vec<_>>(),
        }));
    }
    if diags.has_errors() {
        return Err(diags);
    }
    if !shared.is_empty() {
        let page = constants_page(config, labs, shared, &tera)?;
        files.push(OutputFile {
            path: PathBuf::from(CONSTANTS_FILE),
            bytes: page,
        });
    }
    let mut ctx = tera::Context::new();
    ctx.insert("book", &config.book);
    ctx.insert("labs", &entries);
    ctx.insert("root", "");
    ctx.insert(
        "constants_page",
        &(!shared.is_empty()).then_some(CONSTANTS_FILE),
    );
    let index = tera
        .render("index.html", &ctx)
        .map_err(|e| internal(format!("index template: {e:?}")))?;
    files.insert(
        0,
        OutputFile {
            path: PathBuf::from("index.html"),
            bytes: index.into_bytes(),
        },
    );
    files.push(OutputFile {
        path: PathBuf::from("theme/labgen.css"),
        bytes: THEME_CSS.as_bytes().to_vec(),
    });
    files.push(OutputFile {
        path: PathBuf::from("theme/labgen.js"),
        bytes: THEME_JS.as_bytes().to_vec(),
    });
    Ok((files, figures))
}

/// A pinned text as plain words (Markdown markers kept), at the first track.
fn plain_pinned(lab: &Lab, t: &Text) -> String {
    let defaults = sweep::track_defaults(lab.mission);
    plain_text(lab, t, Mode::Pinned, 0, &defaults[0])
}

/// The mode of a reference: its scenario if it names one, else the field's.
fn ref_mode(m: &Mission, r: &text::ValueRef, field: Mode) -> Mode {
    match &r.scenario {
        Some(s) => m
            .scenarios
            .iter()
            .position(|x| x.id == *s)
            .map_or(field, |i| Mode::Scenario(i as u16)),
        None => field,
    }
}

/// A text at one state as plain words (for SVG titles and the index page).
fn plain_text(lab: &Lab, t: &Text, field: Mode, track: usize, pos: &[usize]) -> String {
    let mut out = String::new();
    let Ok(pieces) = text::parse(&t.src) else {
        return out;
    };
    for p in pieces {
        match p {
            Piece::Lit(s) => out.push_str(&s),
            Piece::Fact { text, .. } => out.push_str(&text),
            Piece::Ref(r) => {
                let mode = ref_mode(lab.mission, &r, field);
                let Some(slot) = lab.model.slot(&r.name) else {
                    continue;
                };
                if let Some(table) = lab.sweep.table(Request { slot, mode }) {
                    let display = override_display(display_of(lab.mission, lab.model, slot), &r);
                    let v = table.values[table.index(track, pos)];
                    out.push_str(&show(v, &display.unit, display.digits).text);
                }
            }
        }
    }
    out
}

fn override_display(base: &Display, r: &text::ValueRef) -> Display {
    Display {
        unit: r.unit.clone().unwrap_or_else(|| base.unit.clone()),
        digits: r
            .digits
            .or(if r.unit.is_some() { None } else { base.digits }),
    }
}

/// The page's precomputed states: cells and a pool of HTML fragments.
struct Cells<'a> {
    lab: &'a Lab<'a>,
    cells: Vec<Value>,
    keys: HashMap<String, usize>,
    fragments: Vec<String>,
    fragment_ids: HashMap<String, usize>,
    /// Default positions per track.
    defaults: Vec<Vec<usize>>,
    /// Inline math already rendered, kept out of the Markdown pass (which
    /// would read `_{` and `\,` in its LaTeX annotation as Markdown) and put
    /// back after it; prose holds placeholders meanwhile.
    math: Vec<String>,
    /// The model entries the chart being drawn needs (see figures.rs).
    chart_entries: Vec<usize>,
    /// Each plot's SVG at the first track's defaults, by `figure_path`.
    figures: Figures,
}

impl<'a> Cells<'a> {
    fn new(lab: &'a Lab<'a>) -> Self {
        Cells {
            lab,
            cells: Vec::new(),
            keys: HashMap::new(),
            fragments: Vec::new(),
            fragment_ids: HashMap::new(),
            defaults: sweep::track_defaults(lab.mission),
            math: Vec::new(),
            chart_entries: Vec::new(),
            figures: Figures::new(),
        }
    }

    fn axis_name(&self, a: &Axis) -> String {
        match a {
            Axis::Track => "track".to_string(),
            Axis::Control(c) => self.lab.mission.controls[*c].id.clone(),
        }
    }

    fn shape_of(&self, axes: &[Axis]) -> Vec<usize> {
        axes.iter()
            .map(|a| match a {
                Axis::Track => self.lab.mission.tracks.len(),
                Axis::Control(c) => self.lab.mission.controls[*c].positions.len(),
            })
            .collect()
    }

    /// Every full state (track, positions) of a grid, in row-major order.
    fn states(&self, axes: &[Axis]) -> Vec<(usize, Vec<usize>)> {
        let shape = self.shape_of(axes);
        let n: usize = shape.iter().product();
        (0..n)
            .map(|mut s| {
                let mut digits = vec![0; shape.len()];
                for k in (0..shape.len()).rev() {
                    digits[k] = s % shape[k];
                    s /= shape[k];
                }
                let track = axes
                    .iter()
                    .zip(&digits)
                    .find(|(a, _)| **a == Axis::Track)
                    .map_or(0, |(_, d)| *d);
                let mut pos = self.defaults[track].clone();
                for (a, d) in axes.iter().zip(&digits) {
                    if let Axis::Control(c) = a {
                        pos[*c] = *d;
                    }
                }
                (track, pos)
            })
            .collect()
    }

    fn intern_fragment(&mut self, html: String) -> usize {
        if let Some(&i) = self.fragment_ids.get(&html) {
            return i;
        }
        let i = self.fragments.len();
        self.fragment_ids.insert(html.clone(), i);
        self.fragments.push(html);
        i
    }

    fn add(&mut self, key: String, axes: &[Axis], fields: Vec<(&str, Vec<Value>)>) -> usize {
        if let Some(&i) = self.keys.get(&key) {
            return i;
        }
        let mut obj = Map::new();
        obj.insert(
            "dims".into(),
            json!(axes.iter().map(|a| self.axis_name(a)).collect::<Vec<_>>()),
        );
        obj.insert("shape".into(), json!(self.shape_of(axes)));
        for (name, values) in fields {
            // A field that is the same in every state is stored once.
            let constant = values.windows(2).all(|w| w[0] == w[1]);
            let v = if constant && !values.is_empty() {
                values[0].clone()
            } else {
                Value::Array(values)
            };
            obj.insert(name.into(), v);
        }
        let i = self.cells.len();
        self.cells.push(Value::Object(obj));
        self.keys.insert(key, i);
        i
    }

    /// A value cell: text, number and unit of a slot shown with `display`.
    fn value(
        &mut self,
        slot: usize,
        mode: Mode,
        display: &Display,
    ) -> Result<(usize, Shown), Diagnostics> {
        let table = self
            .lab
            .sweep
            .table(Request { slot, mode })
            .ok_or_else(|| internal(format!("no sweep for slot {slot} ({mode:?})")))?;
        let key = format!("v:{slot}:{mode:?}:{:?}:{:?}", display.unit, display.digits);
        let shown: Vec<Shown> = table
            .values
            .iter()
            .map(|v| show(*v, &display.unit, display.digits))
            .collect();
        let initial = shown[table.index(0, &self.defaults[0])].clone();
        let axes = table.axes.clone();
        let i = self.add(
            key,
            &axes,
            vec![
                ("text", shown.iter().map(|s| json!(s.text)).collect()),
                ("number", shown.iter().map(|s| number(s.number)).collect()),
                ("unit", shown.iter().map(|s| json!(s.unit)).collect()),
            ],
        );
        Ok((i, initial))
    }

    /// The `<span>` for a value reference.
    fn value_span(
        &mut self,
        name: &str,
        slot: usize,
        mode: Mode,
        display: &Display,
    ) -> Result<String, Diagnostics> {
        let (cell, shown) = self.value(slot, mode, display)?;
        // A value at a named scenario says so: it does not follow the controls.
        let scenario = match mode
            .scenario()
            .and_then(|s| self.lab.mission.scenarios.get(s))
        {
            Some(s) => format!(" data-scenario=\"{}\"", escape(&s.id)),
            None => String::new(),
        };
        Ok(format!(
            "<span class=\"value\" data-value=\"{}\"{scenario} data-cell=\"{cell}\" data-number=\"{}\" data-unit=\"{}\">{}</span>",
            escape(name),
            number_attr(shown.number),
            escape(&shown.unit),
            escape(&shown.text)
        ))
    }

    /// Prose with its references replaced by value spans, as Markdown source.
    fn prose(&mut self, t: &Text, mode: Mode) -> Result<String, Diagnostics> {
        let pieces = text::parse(&t.src).map_err(|e| {
            let mut d = Diagnostics::new();
            d.push(
                Diagnostic::error(Some(t.locate(&self.lab.mission.source, e.at)), e.message)
                    .with_hint(e.hint),
            );
            d
        })?;
        let mut out = String::with_capacity(t.src.len());
        for p in pieces {
            match p {
                Piece::Lit(s) => out.push_str(&self.inline_math(t, &s)?),
                Piece::Fact { text, source, .. } => out.push_str(&format!(
                    "<span class=\"fact\" title=\"Source: {}\">{}</span>",
                    escape(&source),
                    escape(&text)
                )),
                Piece::Ref(r) => {
                    let mode = ref_mode(self.lab.mission, &r, mode);
                    let slot = self
                        .lab
                        .model
                        .slot(&r.name)
                        .ok_or_else(|| internal(format!("unresolved name {}", r.name)))?;
                    let display =
                        override_display(display_of(self.lab.mission, self.lab.model, slot), &r);
                    out.push_str(&self.value_span(&r.name, slot, mode, &display)?);
                }
            }
        }
        Ok(out)
    }

    /// Replaces `\\( ... \\)` in a literal run with KaTeX's MathML, so
    /// symbol lists in prose typeset like the equations they explain.
    fn inline_math(&mut self, t: &Text, s: &str) -> Result<String, Diagnostics> {
        let source = &self.lab.mission.source;
        text::stash_math(s, &mut self.math, |latex| {
            // `s` is one literal run of the text: find the math in the whole.
            let at = t.src.find(&format!("\\({latex}")).unwrap_or(0);
            math(latex, false).map_err(|m| {
                let mut d = Diagnostics::new();
                d.push(
                    Diagnostic::error(
                        Some(t.locate(source, at)),
                        format!("the LaTeX does not render: {m}"),
                    )
                    .with_hint("check the math between \\( and \\)"),
                );
                d
            })
        })
    }

    fn block(&mut self, t: &Text, mode: Mode) -> Result<String, Diagnostics> {
        let md = self.prose(t, mode)?;
        Ok(self.unstash(text::markdown(&md)))
    }

    fn inline(&mut self, t: &Text, mode: Mode) -> Result<String, Diagnostics> {
        let md = self.prose(t, mode)?;
        Ok(self.unstash(text::markdown_inline(&md)))
    }

    /// Puts the inline math stashed by [`Cells::inline_math`] back in place.
    fn unstash(&mut self, html: String) -> String {
        if self.math.is_empty() {
            return html;
        }
        let mut out = String::with_capacity(html.len());
        text::restore_math(&html, &self.math, |piece, _| out.push_str(piece));
        self.math.clear();
        out
    }

    fn opt_block(&mut self, t: &Option<Text>, mode: Mode) -> Result<Option<String>, Diagnostics> {
        t.as_ref().map(|t| self.block(t, mode)).transpose()
    }

    /// A text at one particular state, as plain text (for SVG titles).
    fn plain_at(&self, t: &Text, track: usize, pos: &[usize]) -> String {
        plain_text(self.lab, t, Mode::Live, track, pos)
    }

    /// The worked examples of a MathPeek: one block per scenario (or one
    /// following the controls), each a cell of precomputed MathML.
    fn worked(&mut self, w: &crate::mission::Worked) -> Result<Vec<Value>, Diagnostics> {
        let modes: Vec<Mode> = if w.at.is_empty() {
            vec![Mode::Live]
        } else {
            w.at.iter().map(|s| Mode::Scenario(*s as u16)).collect()
        };
        let slot = self
            .lab
            .model
            .slot(&w.formula)
            .ok_or_else(|| internal(format!("unresolved {}", w.formula)))?;
        let mut blocks = Vec::new();
        for mode in modes {
            let mut axes = Vec::new();
            for s in crate::plan::worked_slots(self.lab.model, slot) {
                if let Some(t) = self.lab.sweep.table(Request { slot: s, mode }) {
                    axes.extend(t.axes.iter().copied());
                }
            }
            let axes = union(axes);
            let defaults = match mode.scenario() {
                Some(_) => sweep::base_positions(self.lab.mission, mode),
                None => self.defaults.clone(),
            };
            let fixed = sweep::fixed_track(self.lab.mission, mode);
            let states = self.states(&axes);
            let mut ids = Vec::with_capacity(states.len());
            let mut cache: HashMap<String, usize> = HashMap::new();
            for (track, pos) in &states {
                let track = fixed.unwrap_or(*track);
                // In a scenario, controls sit at the scenario's positions.
                let pos = if mode.scenario().is_some() {
                    &defaults[track]
                } else {
                    pos
                };
                let latex = worked_latex(self.lab, &w.formula, mode, track, pos);
                let id = match cache.get(&latex) {
                    Some(&id) => id,
                    None => {
                        let html = math(&latex, true).map_err(|e| {
                            let mut d = Diagnostics::new();
                            d.push(
                                Diagnostic::error(
                                    Some(w.loc.clone()),
                                    format!("the worked example does not render: {e}"),
                                )
                                .with_hint("give the names a valid `tex:` symbol"),
                            );
                            d
                        })?;
                        let id = self.intern_fragment(html);
                        cache.insert(latex, id);
                        id
                    }
                };
                ids.push(json!(id));
            }
            let initial = states
                .iter()
                .position(|(t, p)| *t == 0 && *p == self.defaults[0])
                .unwrap_or(0);
            let first = ids[initial].as_u64().unwrap_or(0) as usize;
            let cell = self.add(
                format!("worked:{}:{mode:?}", w.loc),
                &axes,
                vec![("html", ids)],
            );
            let label = match self.lab.model.slots[slot] {
                Slot::Formula(f) => self.lab.mission.formulas[f].label.clone(),
                _ => w.formula.clone(),
            };
            let title = match mode
                .scenario()
                .and_then(|s| self.lab.mission.scenarios.get(s))
            {
                Some(s) => format!("{label}, {}", s.label),
                None => format!("{label}, at the simulator's current settings"),
            };
            blocks.push(json!({"title": title, "cell": cell, "html": self.fragments[first]}));
        }
        Ok(blocks)
    }

    fn live_table(&self, name: &str) -> Result<&'a Table, Diagnostics> {
        let slot = self
            .lab
            .model
            .slot(name)
            .ok_or_else(|| internal(format!("unresolved name {name}")))?;
        self.lab
            .sweep
            .table(Request {
                slot,
                mode: Mode::Live,
            })
            .ok_or_else(|| internal(format!("no sweep for {name}")))
    }

    /// Axes of a text's live references.
    fn text_axes(&self, t: &Text) -> Vec<Axis> {
        let mut axes = Vec::new();
        if let Ok(pieces) = text::parse(&t.src) {
            for p in pieces {
                if let Piece::Ref(r) = p {
                    if let Ok(table) = self.live_table(&r.name) {
                        axes.extend(table.axes.iter().copied());
                    }
                }
            }
        }
        axes
    }
}

/// The PDF edition of the lab book, in the book's folder.
pub const PDF_FILE: &str = "lab-book.pdf";
/// The PDF edition of the key, in the keys folder.
pub const KEY_PDF_FILE: &str = "lab-book-key.pdf";

/// The PDF editions: the lab book, and with a key, the key. Both come from
/// the same labs, sweeps and SVGs as the HTML book, typeset in-process with
/// Typst; they are compiled in parallel.
#[cfg(feature = "pdf")]
pub fn pdf_editions(
    config: &Config,
    labs: &[Lab],
    shared: &[crate::mission::Constant],
    key: Option<&crate::keys::BookKey>,
    figures: &Figures,
) -> Result<(OutputFile, Option<OutputFile>), Diagnostics> {
    use self::typst::{document, Edition};
    let version = crate::keys::book_version(labs.iter().map(|l| l.mission));
    // Both editions set the same math; each piece of LaTeX is converted
    // (and trial-compiled) once.
    let converted = std::cell::RefCell::new(HashMap::<String, Result<String, String>>::new());
    let to_math = |l: &str| {
        if let Some(r) = converted.borrow().get(l) {
            return r.clone();
        }
        let r = pdf::latex_to_typst(l);
        converted.borrow_mut().insert(l.to_string(), r.clone());
        r
    };
    let student = document(
        config,
        labs,
        shared,
        &version,
        Edition::Student,
        &to_math,
        figures,
    )?;
    let graders = key
        .map(|k| {
            document(
                config,
                labs,
                shared,
                &version,
                Edition::Key(k),
                &to_math,
                figures,
            )
        })
        .transpose()?;
    let typeset = |doc: &self::typst::Document, name: &str| {
        pdf::compile(&doc.source, &doc.files).map_err(|errors| {
            let mut d = Diagnostics::new();
            for e in errors {
                d.push(Diagnostic::error(
                    None,
                    format!(
                        "internal error: the {name} does not typeset: {} (generated source line {})",
                        e.message,
                        e.line.map_or("?".to_string(), |l| l.to_string())
                    ),
                ));
            }
            d
        })
    };
    let (book, key) = rayon::join(
        || typeset(&student, "PDF lab book"),
        || graders.as_ref().map(|g| typeset(g, "PDF key")).transpose(),
    );
    Ok((
        OutputFile {
            path: PathBuf::from(PDF_FILE),
            bytes: book?,
        },
        key?.map(|bytes| OutputFile {
            path: PathBuf::from(KEY_PDF_FILE),
            bytes,
        }),
    ))
}

/// Each plot's SVG at the first track's defaults (the very fragment its
/// HTML page starts with), by virtual path ([`figure_path`]). The HTML
/// pass collects them as it draws; the print edition embeds them.
pub type Figures = BTreeMap<String, String>;

/// Where the print edition finds the SVG of plot `k` of an act.
pub fn figure_path(lab: &str, act: &str, k: usize) -> String {
    format!("/plots/{lab}-{act}-{k}.svg")
}

/// The figures of labs whose HTML pages are not being written (a build
/// with the PDF but without `[output.html]`): every plot drawn at its
/// defaults, as the HTML pass would collect them.
pub fn default_figures(labs: &[Lab]) -> Result<Figures, Diagnostics> {
    let mut figures = Figures::new();
    for lab in labs {
        let mut cells = Cells::new(lab);
        for act in &lab.mission.acts {
            let Some(sim) = &act.simulator else { continue };
            for (k, inst) in sim.instruments.iter().enumerate() {
                if let Instrument::Plot(p) = inst {
                    let ctx = plot_cells(&mut cells, p)?;
                    let svg = ctx["svg"].as_str().unwrap_or_default().to_string();
                    figures.insert(figure_path(&lab.mission.id, &act.id, k), svg);
                }
            }
        }
    }
    Ok(figures)
}

/// A JSON number for a displayed value (JSON has no NaN).
fn number(n: f64) -> Value {
    if n.is_finite() {
        json!(n)
    } else {
        Value::Null
    }
}

/// A number for `data-number`: the shortest text that reads back as the
/// same value, written as the page script's `String(n)` writes it (`50`,
/// not `50.0`), so the attribute keeps its form when the script updates it.
fn number_attr(n: f64) -> String {
    if n.is_finite() {
        format!("{n}")
    } else {
        "NaN".to_string()
    }
}

fn union(mut axes: Vec<Axis>) -> Vec<Axis> {
    axes.sort();
    axes.dedup();
    axes
}

#[derive(Serialize)]
struct ControlCtx {
    id: String,
    label: String,
    kind: &'static str,
    min: String,
    max: String,
    step: String,
    value: String,
    value_label: String,
    options: Vec<OptionCtx>,
    checked: bool,
    help: Option<String>,
}

#[derive(Serialize)]
struct OptionCtx {
    key: String,
    label: String,
    selected: bool,
}

fn control_ctx(cells: &mut Cells, c: usize, pos: usize) -> Result<ControlCtx, Diagnostics> {
    let m = cells.lab.mission;
    let control = &m.controls[c];
    let (kind, min, max, step, value) = match control.kind {
        ControlKind::Slider {
            uniform: Some((lo, st)),
        } => (
            "range",
            fmt_attr(lo),
            fmt_attr(lo + st * (control.positions.len() - 1) as f64),
            fmt_attr(st),
            fmt_attr(lo + st * pos as f64),
        ),
        ControlKind::Slider { uniform: None } => (
            "range",
            "0".to_string(),
            (control.positions.len() - 1).to_string(),
            "1".to_string(),
            pos.to_string(),
        ),
        ControlKind::Select => (
            "select",
            String::new(),
            String::new(),
            String::new(),
            String::new(),
        ),
        ControlKind::Toggle => (
            "toggle",
            String::new(),
            String::new(),
            String::new(),
            String::new(),
        ),
    };
    Ok(ControlCtx {
        id: control.id.clone(),
        label: control.label.clone(),
        kind,
        min,
        max,
        step,
        value,
        value_label: control.positions[pos].label.clone(),
        options: control
            .positions
            .iter()
            .enumerate()
            .map(|(i, p)| OptionCtx {
                key: p.key.clone(),
                label: p.label.clone(),
                selected: i == pos,
            })
            .collect(),
        checked: pos == 1,
        help: match &control.help {
            Some(t) => Some(cells.inline(t, Mode::Pinned)?),
            None => None,
        },
    })
}

/// A number for an HTML attribute: shortest form that round-trips, so a
/// slider step of 0.1 stays `0.1`, with float noise removed.
fn fmt_attr(x: f64) -> String {
    let rounded = (x * 1e9).round() / 1e9;
    let s = format!("{rounded}");
    if s == "-0" {
        "0".to_string()
    } else {
        s
    }
}

fn tone_of(t: Tone) -> plots::Tone {
    match t {
        Tone::Good => plots::Tone::Good,
        Tone::Warn => plots::Tone::Warn,
        Tone::Bad => plots::Tone::Bad,
        Tone::Info => plots::Tone::Info,
    }
}

/// The series tones used when a plot does not name them.
const SERIES_TONES: [plots::Tone; 5] = [
    plots::Tone::Info,
    plots::Tone::Bad,
    plots::Tone::Warn,
    plots::Tone::Accent,
    plots::Tone::Neutral,
];

fn axis_text(p: &PlotSpec, unit_label: &str) -> String {
    match (p.axis.is_empty(), unit_label.is_empty()) {
        (true, _) => unit_label.to_string(),
        (false, true) => p.axis.clone(),
        (false, false) => format!("{} ({unit_label})", p.axis),
    }
}

/// The plot cells (SVG and data table) of one plot over its grid.
fn plot_cells(cells: &mut Cells, p: &PlotSpec) -> Result<Value, Diagnostics> {
    if !matches!(p.kind, PlotKind::Timeline | PlotKind::Bars) {
        return figures::chart_cells(cells, p);
    }
    let mission = cells.lab.mission;
    let mut axes = cells.text_axes(&p.title);
    let mut tables = Vec::new();
    for s in &p.series {
        let t = cells.live_table(&s.value)?;
        axes.extend(t.axes.iter().copied());
        tables.push(t);
    }
    let axes = union(axes);
    let states = cells.states(&axes);
    let mut svg_ids = Vec::with_capacity(states.len());
    let mut table_ids = Vec::with_capacity(states.len());
    for (track, pos) in &states {
        let title = cells.plain_at(&p.title, *track, pos);
        let mut series = Vec::new();
        let mut unit_label = String::new();
        for (k, (s, t)) in p.series.iter().zip(&tables).enumerate() {
            let v = t.values[t.index(*track, pos)];
            let shown = show(v, &p.display.unit, p.display.digits);
            unit_label = shown.unit.clone();
            series.push(plots::Series {
                label: s.label.clone(),
                value: shown.number,
                text: shown.text,
                tone: s
                    .tone
                    .map(tone_of)
                    .unwrap_or(SERIES_TONES[k % SERIES_TONES.len()]),
            });
        }
        let description = series
            .iter()
            .map(|s| format!("{}: {}", s.label, s.text))
            .collect::<Vec<_>>()
            .join("; ");
        let plot = plots::Plot {
            kind: match p.kind {
                PlotKind::Timeline => plots::PlotKind::Timeline,
                _ => plots::PlotKind::Bars,
            },
            title: title.clone(),
            axis_label: axis_text(p, &unit_label),
            series: series.clone(),
            description: format!("{title}. {description}."),
        };
        let svg = plots::render_svg(&plot);
        svg_ids.push(json!(cells.intern_fragment(svg)));
        let mut table = format!(
            "<table class=\"plot-data\"><caption>{}</caption><thead><tr><th scope=\"col\">Series</th><th scope=\"col\">Value</th></tr></thead><tbody>",
            escape(&title)
        );
        for s in &series {
            table.push_str(&format!(
                "<tr><th scope=\"row\">{}</th><td>{}</td></tr>",
                escape(&s.label),
                escape(&s.text)
            ));
        }
        table.push_str("</tbody></table>");
        table_ids.push(json!(cells.intern_fragment(table)));
    }
    let _ = mission;
    Ok(plot_ctx(cells, p, &axes, &states, svg_ids, table_ids))
}

/// A plot's template context: its SVG and table cells over `axes`, and the
/// fragments the page starts with (the first track's default state).
fn plot_ctx(
    cells: &mut Cells,
    p: &PlotSpec,
    axes: &[Axis],
    states: &[(usize, Vec<usize>)],
    svg_ids: Vec<Value>,
    table_ids: Vec<Value>,
) -> Value {
    let key = format!("plot:{}:{}", p.loc, p.loc.column);
    let initial = states
        .iter()
        .position(|(t, pos)| *t == 0 && *pos == cells.defaults[0])
        .unwrap_or(0);
    let first = |ids: &[Value]| ids.get(initial).and_then(Value::as_u64).unwrap_or(0) as usize;
    let (svg_initial, table_initial) = (first(&svg_ids), first(&table_ids));
    let svg_cell = cells.add(format!("{key}:svg"), axes, vec![("html", svg_ids)]);
    let table_cell = cells.add(format!("{key}:table"), axes, vec![("html", table_ids)]);
    let defaults0 = cells.defaults[0].clone();
    json!({
        "kind": "plot",
        "chart": p.kind.name(),
        "title": cells.plain_at(&p.title, 0, &defaults0),
        "svg_cell": svg_cell,
        "svg": cells.fragments[svg_initial],
        "table_cell": table_cell,
        "table": cells.fragments[table_initial],
    })
}

fn on_cell(cells: &mut Cells, key: String, axes: &[Axis], on: Vec<bool>) -> (usize, bool) {
    let initial_state = cells
        .states(axes)
        .iter()
        .position(|(t, pos)| *t == 0 && *pos == cells.defaults[0])
        .unwrap_or(0);
    let initial = on.get(initial_state).copied().unwrap_or(false);
    let i = cells.add(
        key,
        axes,
        vec![("on", on.iter().map(|b| json!(u8::from(*b))).collect())],
    );
    (i, initial)
}

fn instrument_ctx(
    cells: &mut Cells,
    act: &str,
    k: usize,
    inst: &Instrument,
) -> Result<Value, Diagnostics> {
    let mission = cells.lab.mission;
    let model = cells.lab.model;
    match inst {
        Instrument::Metric {
            value, label, note, ..
        } => {
            let slot = model
                .slot(value)
                .ok_or_else(|| internal(format!("unresolved {value}")))?;
            let display = display_of(mission, model, slot).clone();
            let span = cells.value_span(value, slot, Mode::Live, &display)?;
            let default_label = match model.slots[slot] {
                Slot::Formula(f) => mission.formulas[f].label.clone(),
                Slot::Constant(c) => mission.constants[c].label.clone(),
                Slot::Control(c) => mission.controls[c].label.clone(),
            };
            Ok(json!({
                "kind": "metric",
                "label": label.clone().unwrap_or(default_label),
                "value": span,
                "note": note.as_ref().map(|n| cells.inline(n, Mode::Live)).transpose()?,
            }))
        }
        Instrument::Status {
            label,
            value,
            levels,
            ..
        } => {
            let mut axes = Vec::new();
            let mut conds = Vec::new();
            for l in levels {
                match &l.when {
                    Some(w) => {
                        let t = cells.live_table(w)?;
                        axes.extend(t.axes.iter().copied());
                        conds.push(Some(t));
                    }
                    None => conds.push(None),
                }
            }
            let axes = union(axes);
            let states = cells.states(&axes);
            let active: Vec<usize> = states
                .iter()
                .map(|(track, pos)| {
                    conds
                        .iter()
                        .position(|c| c.is_none_or(|t| t.values[t.index(*track, pos)] != 0.0))
                        .unwrap_or(levels.len() - 1)
                })
                .collect();
            let key = format!("status:{act}:{k}");
            let initial = states
                .iter()
                .position(|(t, pos)| *t == 0 && *pos == cells.defaults[0])
                .and_then(|i| active.get(i).copied())
                .unwrap_or(0);
            let cell = cells.add(
                key.clone(),
                &axes,
                vec![
                    (
                        "text",
                        active.iter().map(|a| json!(levels[*a].label)).collect(),
                    ),
                    (
                        "tone",
                        active
                            .iter()
                            .map(|a| json!(levels[*a].tone.as_str()))
                            .collect(),
                    ),
                ],
            );
            let mut notes = Vec::new();
            for (li, l) in levels.iter().enumerate() {
                if let Some(n) = &l.note {
                    let html = cells.inline(n, Mode::Live)?;
                    let (c, on) = on_cell(
                        cells,
                        format!("{key}:note{li}"),
                        &axes,
                        active.iter().map(|a| *a == li).collect(),
                    );
                    notes.push(json!({"cell": c, "hidden": !on, "html": html}));
                }
            }
            let value_span = match value {
                Some((v, _)) => {
                    let slot = model
                        .slot(v)
                        .ok_or_else(|| internal(format!("unresolved {v}")))?;
                    let display = display_of(mission, model, slot).clone();
                    Some(cells.value_span(v, slot, Mode::Live, &display)?)
                }
                None => None,
            };
            Ok(json!({
                "kind": "status",
                "label": label,
                "cell": cell,
                "text": levels[initial].label,
                "tone": levels[initial].tone.as_str(),
                "value": value_span,
                "notes": notes,
            }))
        }
        Instrument::Plot(p) => {
            let ctx = plot_cells(cells, p)?;
            // The print edition shows the very SVG the page starts with.
            if let Some(svg) = ctx["svg"].as_str() {
                let path = figure_path(&mission.id, act, k);
                cells.figures.insert(path, svg.to_string());
            }
            Ok(ctx)
        }
        Instrument::Badges(list) => {
            let mut badges = Vec::new();
            for (b, badge) in list.iter().enumerate() {
                let t = cells.live_table(&badge.ok)?;
                let axes = t.axes.clone();
                let ok: Vec<bool> = t.values.iter().map(|v| *v != 0.0).collect();
                let not_ok: Vec<bool> = ok.iter().map(|o| !o).collect();
                let (good_cell, good_on) =
                    on_cell(cells, format!("badge:{act}:{k}:{b}:good"), &axes, ok);
                let (bad_cell, bad_on) =
                    on_cell(cells, format!("badge:{act}:{k}:{b}:bad"), &axes, not_ok);
                badges.push(json!({
                    "good": cells.inline(&badge.good, Mode::Live)?,
                    "bad": cells.inline(&badge.bad, Mode::Live)?,
                    "good_cell": good_cell,
                    "bad_cell": bad_cell,
                    "good_hidden": !good_on,
                    "bad_hidden": !bad_on,
                }));
            }
            Ok(json!({"kind": "badges", "badges": badges}))
        }
        Instrument::Banner {
            when,
            tone,
            title,
            text,
        } => {
            let t = cells.live_table(when)?;
            let axes = t.axes.clone();
            let on: Vec<bool> = t.values.iter().map(|v| *v != 0.0).collect();
            let (cell, initial) = on_cell(cells, format!("banner:{act}:{k}"), &axes, on);
            Ok(json!({
                "kind": "banner",
                "cell": cell,
                "hidden": !initial,
                "tone": tone.as_str(),
                "title": cells.inline(title, Mode::Live)?,
                "text": text.as_ref().map(|t| cells.block(t, Mode::Live)).transpose()?,
            }))
        }
    }
}

fn question_ctx(
    cells: &mut Cells,
    q: &crate::mission::Question,
    exam: bool,
) -> Result<Value, Diagnostics> {
    let mut options = Vec::new();
    for o in &q.options {
        // Exam mode: the page gets neither the feedback nor which option is
        // right, so no file of the book can give the answer away.
        if exam {
            options.push(json!({
                "key": o.key,
                "text": cells.inline(&o.text, Mode::Pinned)?,
            }));
            continue;
        }
        options.push(json!({
            "key": o.key,
            "text": cells.inline(&o.text, Mode::Pinned)?,
            "feedback": cells.block(&o.feedback, Mode::Pinned)?,
            "correct": o.key == q.correct,
        }));
    }
    Ok(json!({
        "prompt": cells.inline(&q.prompt, Mode::Pinned)?,
        "options": options,
    }))
}

/// TeX for a name in a worked example: its `tex:` symbol, or the name set
/// upright.
fn name_tex(m: &Mission, model: &Model, name: &str) -> String {
    let declared = match model.slot(name).map(|s| model.slots[s]) {
        Some(Slot::Formula(f)) => m.formulas[f].tex.clone(),
        Some(Slot::Constant(c)) => m.constants[c].tex.clone(),
        Some(Slot::Control(c)) => m.controls[c].tex.clone(),
        None => None,
    };
    declared.unwrap_or_else(|| format!("\\mathrm{{{}}}", name.replace('_', "\\_")))
}

/// A shown value as TeX text: `\text{4,000 s}` (with TeX's special
/// characters escaped, so `$4,500` and `7.9%` come out as written).
fn text_tex(s: &str) -> String {
    let mut out = String::from("\\text{");
    for c in s.chars() {
        match c {
            '$' | '%' | '&' | '#' | '_' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            '\\' => out.push_str("\\textbackslash{}"),
            '~' | '^' => out.push(' '),
            _ => out.push(c),
        }
    }
    out.push('}');
    out
}

/// The LaTeX of a worked example at one state (`track`, control
/// `positions`) of `mode`: for each formula the
/// example uses (inputs first), its symbol, its expression, the expression
/// with the values substituted, and the result.
pub fn worked_latex(lab: &Lab, formula: &str, mode: Mode, track: usize, pos: &[usize]) -> String {
    format!(
        "\\begin{{aligned}}\n{}\n\\end{{aligned}}",
        worked_lines(lab, formula, mode, track, pos)
            .iter()
            .map(|parts| {
                let mut line = parts.first().cloned().unwrap_or_default();
                for (i, p) in parts.iter().enumerate().skip(1) {
                    line.push_str(if i == 1 { " &= " } else { " = " });
                    line.push_str(p);
                }
                line
            })
            .collect::<Vec<_>>()
            .join(" \\\\\n")
    )
}

/// The lines of a worked example, one equation per formula (its inputs
/// that are formulas first), each as the LaTeX of its sides: symbol,
/// expression, values (left out when they read the same as the
/// expression) and result. The sides are joined by `=`; print breaks a
/// long line between them.
pub fn worked_lines(
    lab: &Lab,
    formula: &str,
    mode: Mode,
    track: usize,
    pos: &[usize],
) -> Vec<Vec<String>> {
    let (m, model) = (lab.mission, lab.model);
    let value = |name: &str| -> Option<f64> {
        let slot = model.slot(name)?;
        let t = lab.sweep.table(Request { slot, mode })?;
        Some(t.values[t.index(track, pos)])
    };
    let shown = |name: &str| -> String {
        match (model.slot(name), value(name)) {
            (Some(slot), Some(v)) => {
                let d = display_of(m, model, slot);
                text_tex(&show(v, &d.unit, d.digits).text)
            }
            _ => name_tex(m, model, name),
        }
    };
    // The formulas to show: the inputs that are formulas, then the formula.
    let Some(main) = model.slot(formula) else {
        return Vec::new();
    };
    let mut steps: Vec<usize> = Vec::new();
    if let Slot::Formula(f) = model.slots[main] {
        for &d in &model.direct_deps[f] {
            if matches!(model.slots[d], Slot::Formula(_)) && !steps.contains(&d) {
                steps.push(d);
            }
        }
    }
    steps.push(main);
    let mut lines = Vec::new();
    for s in steps {
        let Slot::Formula(f) = model.slots[s] else {
            continue;
        };
        let fm = &m.formulas[f];
        let e = &model.exprs[f];
        let symbolic = e.to_latex(&|n| name_tex(m, model, n));
        let substituted = e.to_latex_with_values(&|n| shown(n));
        let v = value(&fm.id).unwrap_or(f64::NAN);
        let shown_result = show(v, &fm.display.unit, fm.display.digits);
        // A duration picks its unit; when that is not seconds, show the
        // seconds first so the arithmetic can be followed.
        let result = match (&fm.display.unit, shown_result.unit.as_str()) {
            (crate::format::DisplayUnit::Duration, unit) if unit != "s" => {
                let seconds = crate::units::parse_unit("s")
                    .map(|u| show(v, &crate::format::DisplayUnit::Unit(u), Some(0)).text);
                match seconds {
                    Ok(sec) => format!(
                        "{} \\approx {}",
                        text_tex(&sec),
                        text_tex(&shown_result.text)
                    ),
                    Err(_) => text_tex(&shown_result.text),
                }
            }
            _ => text_tex(&shown_result.text),
        };
        let mut line = vec![name_tex(m, model, &fm.id), symbolic.clone()];
        if substituted != symbolic {
            line.push(substituted);
        }
        line.push(result);
        lines.push(line);
    }
    lines
}

/// Renders LaTeX to MathML with KaTeX at build time; the error is KaTeX's
/// message, cleaned up.
fn math(latex: &str, display: bool) -> Result<String, String> {
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
fn display_math(latex: &crate::mission::Source) -> Result<String, Diagnostics> {
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

fn worked_blocks(
    cells: &mut Cells,
    worked: &[crate::mission::Worked],
) -> Result<Vec<Value>, Diagnostics> {
    let mut blocks = Vec::new();
    for w in worked {
        blocks.extend(cells.worked(w)?);
    }
    Ok(blocks)
}

fn lab_page(
    config: &Config,
    lab: &Lab,
    tera: &tera::Tera,
    version: &str,
) -> Result<(Vec<u8>, Figures), Diagnostics> {
    let exam = config.outputs.exam;
    let m = lab.mission;
    let mut cells = Cells::new(lab);
    let mut diags = Diagnostics::new();
    let defaults0 = cells.defaults[0].clone();

    let mut tracks = Vec::new();
    for (i, t) in m.tracks.iter().enumerate() {
        let summary = match &t.summary {
            Some(s) => Some(cells.block(s, Mode::Pinned)?),
            None => None,
        };
        let (cell, on) = on_cell(
            &mut cells,
            format!("track:{i}"),
            &[Axis::Track],
            (0..m.tracks.len()).map(|k| k == i).collect(),
        );
        tracks.push(json!({"id": t.id, "label": t.label, "summary": summary, "cell": cell, "hidden": !on, "checked": i == 0}));
    }
    let mut reading = Vec::new();
    for r in &m.reading {
        reading.push(json!({"title": r.title, "section": r.section, "why": cells.opt_block(&r.why, Mode::Pinned)?}));
    }
    let mut acts = Vec::new();
    for (ai, a) in m.acts.iter().enumerate() {
        let simulator = match &a.simulator {
            Some(sim) => {
                let controls: Vec<ControlCtx> = sim
                    .controls
                    .iter()
                    .map(|&c| control_ctx(&mut cells, c, defaults0[c]))
                    .collect::<Result<_, _>>()?;
                let mut instruments = Vec::new();
                for (k, inst) in sim.instruments.iter().enumerate() {
                    match instrument_ctx(&mut cells, &a.id, k, inst) {
                        Ok(v) => instruments.push(v),
                        Err(d) => diags.extend(d),
                    }
                }
                Some(json!({
                    "intro": cells.opt_block(&sim.intro, Mode::Pinned)?,
                    "controls": controls,
                    "instruments": instruments,
                }))
            }
            None => None,
        };
        let mathpeek = match &a.mathpeek {
            Some(mp) => match display_math(&mp.latex) {
                Ok(html) => Some(json!({
                    "title": mp.title,
                    "math": html,
                    "where": cells.opt_block(&mp.where_, Mode::Pinned)?,
                    "example": cells.opt_block(&mp.example, Mode::Live)?,
                    "assumptions": cells.opt_block(&mp.assumptions, Mode::Pinned)?,
                    "worked": worked_blocks(&mut cells, &mp.worked)?,
                })),
                Err(d) => {
                    diags.extend(d);
                    None
                }
            },
            None => None,
        };
        let mut tasks = Vec::new();
        for t in &a.tasks {
            let slot = lab
                .model
                .slot(&t.answer)
                .ok_or_else(|| internal(format!("unresolved task answer {}", t.answer)))?;
            let display = crate::plan::task_display(m, lab.model, t, slot).clone();
            // Exam pages carry neither the answer nor its explanation.
            let (answer, explain) = if exam {
                (None, None)
            } else {
                (
                    Some(cells.value_span(&t.answer, slot, crate::plan::task_mode(t), &display)?),
                    cells.opt_block(&t.explain, Mode::Pinned)?,
                )
            };
            tasks.push(json!({
                "id": format!("{}.{}", a.id, t.id),
                "dom": format!("task-{}-{}", a.id, t.id),
                "prompt": cells.inline(&t.prompt, Mode::Pinned)?,
                "unit": show(1.0, &display.unit, display.digits).unit,
                "answer": answer,
                "explain": explain,
            }));
        }
        let mut stakeholders = Vec::new();
        for (k, s) in a.stakeholders.iter().enumerate() {
            // A per-track message is shown while its track is selected.
            let (cell, on) = match s.track {
                Some(t) => {
                    let (c, on) = on_cell(
                        &mut cells,
                        format!("stakeholder:{ai}:{k}"),
                        &[Axis::Track],
                        (0..m.tracks.len()).map(|i| i == t).collect(),
                    );
                    (Some(c), on)
                }
                None => (None, true),
            };
            stakeholders.push(json!({
                "from": s.from,
                "message": cells.block(&s.message, Mode::Pinned)?,
                "cell": cell,
                "hidden": !on,
            }));
        }
        acts.push(json!({
            "id": a.id,
            "number": ai + 1,
            "title": a.title,
            "duration": a.duration,
            "story": cells.opt_block(&a.story, Mode::Pinned)?,
            "stakeholders": stakeholders,
            "tasks": tasks,
            "prediction": a.prediction.as_ref().map(|q| question_ctx(&mut cells, q, exam)).transpose()?,
            "simulator": simulator,
            "reveal": cells.opt_block(&a.reveal, Mode::Live)?,
            "reflection": a.reflection.as_ref().map(|q| question_ctx(&mut cells, q, exam)).transpose()?,
            "mathpeek": mathpeek,
        }));
    }
    if diags.has_errors() {
        return Err(diags);
    }
    let mut constants = Vec::new();
    for c in &m.constants {
        let slot = lab
            .model
            .slot(&c.id)
            .ok_or_else(|| internal(format!("unresolved constant {}", c.id)))?;
        constants.push(json!({
            "label": c.label,
            "id": c.id,
            "value": cells.value_span(&c.id, slot, Mode::Pinned, &c.display)?,
            "source": c.source,
            "note": c.note,
        }));
    }
    let subtitle = cells.opt_block(&m.subtitle, Mode::Pinned)?;
    let core = cells.opt_block(&m.core_invariant, Mode::Pinned)?;

    // The data block the script reads.
    let mut controls = Map::new();
    if m.has_track_selector {
        controls.insert(
            "track".into(),
            json!({
                "n": m.tracks.len(),
                "default": 0,
                "keys": m.tracks.iter().map(|t| t.id.clone()).collect::<Vec<_>>(),
                "labels": m.tracks.iter().map(|t| t.label.clone()).collect::<Vec<_>>(),
            }),
        );
    }
    for c in &m.controls {
        let mut obj = Map::new();
        obj.insert("n".into(), json!(c.positions.len()));
        obj.insert("default".into(), json!(c.default));
        obj.insert(
            "labels".into(),
            json!(c
                .positions
                .iter()
                .map(|p| p.label.clone())
                .collect::<Vec<_>>()),
        );
        match c.kind {
            ControlKind::Select => {
                obj.insert(
                    "keys".into(),
                    json!(c
                        .positions
                        .iter()
                        .map(|p| p.key.clone())
                        .collect::<Vec<_>>()),
                );
            }
            ControlKind::Slider {
                uniform: Some((lo, st)),
            } => {
                obj.insert("min".into(), json!(lo));
                obj.insert("step".into(), json!(st));
            }
            _ => {}
        }
        controls.insert(c.id.clone(), Value::Object(obj));
    }
    // Every track lists every control that any track moves, so switching
    // back to a track restores its own starting positions.
    let mut track_defaults = Map::new();
    let moved: Vec<usize> = {
        let mut v: Vec<usize> = m
            .tracks
            .iter()
            .flat_map(|t| t.defaults.iter().map(|(c, _)| *c))
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    if !moved.is_empty() {
        for (ti, t) in m.tracks.iter().enumerate() {
            let d: BTreeMap<String, usize> = moved
                .iter()
                .map(|&c| (m.controls[c].id.clone(), cells.defaults[ti][c]))
                .collect();
            track_defaults.insert(t.id.clone(), json!(d));
        }
    }
    let data = json!({
        "lab": m.id,
        "book_version": version,
        "controls": controls,
        "track_defaults": track_defaults,
        "cells": cells.cells,
        "fragments": cells.fragments,
    });
    let data = serde_json::to_string(&data).map_err(|e| internal(format!("page data: {e}")))?;
    // Inside <script>, `<` must not start `</script>` or `<!--`.
    let data = data.replace('<', "\\u003c");

    let mut ctx = tera::Context::new();
    ctx.insert("book", &config.book);
    ctx.insert("root", "");
    ctx.insert(
        "lab",
        &json!({
            "id": m.id,
            "chapter": m.chapter,
            "title": m.title,
            "subtitle": subtitle,
            "duration": m.duration,
            "core_invariant": core,
            "reading": reading,
            "tracks": tracks,
            "has_track_selector": m.has_track_selector,
            "acts": acts,
            "constants": constants,
        }),
    );
    ctx.insert("data", &data);
    ctx.insert("exam", &exam);
    ctx.insert("book_version", version);
    let page = tera
        .render("lab.html", &ctx)
        .map_err(|e| internal(format!("lab template: {e:?}")))?;
    Ok((page.into_bytes(), cells.figures))
}
