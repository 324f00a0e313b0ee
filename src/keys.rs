//! Answer keys: what a teacher needs to grade a lab, from the same sweep
//! as the student book.
//!
//! For every lab and track the keys give each prediction's and reflection's
//! correct option with the feedback of every option (its values computed
//! for that track), every value the questions quote, and each act's answer
//! table: every instrument over the act's control grid. They are written as
//!
//! - `answers.json`: the whole book for programs (schema `labgen-key/1`),
//!   the `--key` input of `labgen grade`;
//! - `<lab>.html`: a readable, printable key per lab, plus `index.html`;
//! - `<lab>/<act>.csv`: the full answer table of each act;
//! - `moodle.xml`: the questions as a Moodle question bank.
//!
//! The keys go to their own folder, never into the book, and the book never
//! links to them. Like the book, they are pure bytes: deterministic, with no
//! timestamps. [`crate::book::book_version`] ties a key to the book it was built with.

use crate::book::{lab_file, status_level, Book, Lab, Which};
use crate::config::{Config, Tolerance};
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::format::{show, DisplayUnit};
use crate::mission::{Display, Instrument, Question, TaskTolerance, Text};
use crate::model::Slot;
use crate::output::OutputFile;
use crate::plan::display_of;
use crate::sweep::{self, Mode, Request, Table};
use crate::text::{self, Piece};
use serde::Serialize;
use serde_json::json;
use std::path::PathBuf;

/// The schema name and version written into `answers.json`.
pub const SCHEMA: &str = "labgen-key/1";

/// The file of the whole book's key, the input of `labgen grade`.
pub const ANSWERS_FILE: &str = "answers.json";

/// The Moodle question bank.
pub const MOODLE_FILE: &str = "moodle.xml";

/// More rows than this in one act's answer table and its CSV is left out
/// (with a warning): the grid is the product of the act's controls, which
/// can grow far beyond what the sweep itself stores.
pub const MAX_TABLE_ROWS: usize = 100_000;

const KEY_TEMPLATE: &str = include_str!("../templates/key.html");

// ---------------------------------------------------------------------------
// The key as data (serialized as answers.json)
// ---------------------------------------------------------------------------

/// The whole book's key: the shape of `answers.json`.
#[derive(Clone, Debug, Serialize)]
pub struct BookKey {
    /// Always [`SCHEMA`].
    pub schema: &'static str,
    /// [`crate::book::book_version`] of the missions.
    pub book_version: String,
    /// The labgen that wrote it.
    pub generator: String,
    /// The book's title.
    pub title: String,
    /// The scoring scheme from `book.toml`.
    pub grading: crate::config::Grading,
    /// One entry per lab, in book order.
    pub labs: Vec<LabKey>,
}

/// One lab's key.
#[derive(Clone, Debug, Serialize)]
pub struct LabKey {
    /// Mission id.
    pub id: String,
    /// Lab title.
    pub title: String,
    /// Chapter, if any.
    pub chapter: Option<String>,
    /// The student page, relative to the book folder.
    pub page: String,
    /// The tracks, in order; the first is the page's default.
    pub tracks: Vec<TrackKey>,
    /// Every prediction and reflection, in page order.
    pub questions: Vec<QuestionKey>,
    /// Numeric items: every value the questions quote, per track.
    pub numeric: Vec<NumericItem>,
    /// The answer table of each act with a simulator.
    pub tables: Vec<TableKey>,
}

/// A track's id and label.
#[derive(Clone, Debug, Serialize)]
pub struct TrackKey {
    /// Track id (`default` for a lab without tracks).
    pub id: String,
    /// Label on the selector.
    pub label: String,
}

/// A prediction lock or a reflection.
#[derive(Clone, Debug, Serialize)]
pub struct QuestionKey {
    /// `<act id>.prediction` or `<act id>.reflection`.
    pub id: String,
    /// The act id.
    pub act: String,
    /// The act's title.
    pub act_title: String,
    /// The act's number on the page, from 1.
    pub act_number: usize,
    /// `prediction` or `reflection`.
    pub kind: &'static str,
    /// The correct option's key.
    pub correct: String,
    /// Every option key, in order.
    pub options: Vec<String>,
    /// The question as each track shows it.
    pub tracks: Vec<QuestionText>,
}

/// A question's text on one track (pinned values filled in).
#[derive(Clone, Debug, Serialize)]
pub struct QuestionText {
    /// Track id.
    pub track: String,
    /// The prompt, as Markdown.
    pub prompt: String,
    /// The options in order.
    pub options: Vec<OptionText>,
}

/// One option on one track.
#[derive(Clone, Debug, Serialize)]
pub struct OptionText {
    /// Option key.
    pub key: String,
    /// Whether it is the correct option.
    pub correct: bool,
    /// The option, as Markdown.
    pub text: String,
    /// Why it is right or wrong, as Markdown.
    pub feedback: String,
}

/// A number a student may be asked for, with its grading tolerance.
#[derive(Clone, Debug, Serialize)]
pub struct NumericItem {
    /// `<act id>.<name>`, plus `@<scenario>` for a scenario value; unique
    /// per track within the lab.
    pub id: String,
    /// The act whose questions quote it.
    pub act: String,
    /// The formula, constant or control.
    pub name: String,
    /// Its label.
    pub label: String,
    /// Track id.
    pub track: String,
    /// The value in `unit`, unrounded.
    pub value: f64,
    /// The displayed unit's label (`min`, `GB/s`, `%`, `$`, or empty).
    pub unit: String,
    /// The value as the page shows it (`67 minutes`).
    pub text: String,
    /// How far an answer may be from `value`.
    pub tolerance: Tolerance,
    /// `pinned` (quoted at the track's default state), `scenario` (at a
    /// named scenario) or `task` (asked as a numeric task).
    pub source: &'static str,
    /// The scenario id, for `source: scenario`.
    pub scenario: Option<String>,
    /// Whether `labgen grade` scores it. Quoted values are reference values
    /// for the teacher (and for Moodle): students are not asked to type
    /// them, so they are not graded.
    pub graded: bool,
}

/// An act's answer table: where its CSV is and a summary per track.
#[derive(Clone, Debug, Serialize)]
pub struct TableKey {
    /// Act id.
    pub act: String,
    /// The CSV, relative to the keys folder; `None` when the table has more
    /// than [`MAX_TABLE_ROWS`] rows.
    pub csv: Option<String>,
    /// Rows of the full table (tracks times every control position).
    pub rows: usize,
    /// The act's controls, in column order.
    pub controls: Vec<String>,
    /// The instrument columns.
    pub columns: Vec<ColumnKey>,
    /// Per track: each column at the track's default state, and its range.
    pub summary: Vec<TrackSummary>,
}

/// One instrument column of an answer table.
#[derive(Clone, Debug, Serialize)]
pub struct ColumnKey {
    /// The CSV header.
    pub header: String,
    /// `value`, `status` or `banner`.
    pub kind: &'static str,
    /// The value's name, for `value` columns.
    pub name: Option<String>,
    /// The unit of every number in the column.
    pub unit: String,
}

/// An answer table's summary on one track.
#[derive(Clone, Debug, Serialize)]
pub struct TrackSummary {
    /// Track id.
    pub track: String,
    /// One entry per column, in column order.
    pub columns: Vec<ColumnSummary>,
}

/// A column on one track: the default state and the range over the grid.
#[derive(Clone, Debug, Serialize)]
pub struct ColumnSummary {
    /// The column's header.
    pub header: String,
    /// The cell at the track's default state (a number as text, a status
    /// word, or `1`/`0` for a banner).
    pub default: String,
    /// Smallest number over the track's rows (`value` columns; `None` when
    /// the table is too large to list).
    pub min: Option<f64>,
    /// Largest number over the track's rows.
    pub max: Option<f64>,
    /// Distinct cells over the track's rows, for `status` and `banner`
    /// columns, in first-seen order.
    pub seen: Vec<String>,
}

// ---------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------

/// Renders every key file for the book. Returns the files (relative to the
/// keys folder) and any warnings; errors are internal.
pub fn render(
    config: &Config,
    checked: &Book,
) -> Result<(Vec<OutputFile>, Diagnostics, BookKey), Diagnostics> {
    let mut warnings = Diagnostics::new();
    let mut keys = Vec::new();
    let mut csvs = Vec::new();
    for lab in &checked.labs {
        let (key, tables) = lab_key(config, lab, &mut warnings)?;
        for (act, csv) in tables {
            csvs.push(OutputFile {
                path: PathBuf::from(format!("{}/{act}.csv", lab.mission.id)),
                bytes: csv.into_bytes(),
            });
        }
        keys.push(key);
    }
    let book = BookKey {
        schema: SCHEMA,
        book_version: checked.version.clone(),
        generator: format!("labgen {}", env!("CARGO_PKG_VERSION")),
        title: config.book.title.clone(),
        grading: config.grading.clone(),
        labs: keys,
    };
    let mut files = Vec::new();
    let mut tera = tera::Tera::default();
    tera.add_raw_template("key.html", KEY_TEMPLATE)
        .map_err(|e| {
            Diagnostics::internal(format_args!("the key template does not compile: {e:?}"))
        })?;
    files.push(OutputFile {
        path: PathBuf::from("index.html"),
        bytes: index_html(&tera, config, &book)?,
    });
    for lab in &book.labs {
        files.push(OutputFile {
            path: PathBuf::from(format!("{}.html", lab.id)),
            bytes: lab_html(&tera, config, &book, lab)?,
        });
    }
    let mut json = serde_json::to_string_pretty(&book)
        .map_err(|e| Diagnostics::internal(format_args!("answers.json: {e}")))?;
    json.push('\n');
    files.push(OutputFile {
        path: PathBuf::from(ANSWERS_FILE),
        bytes: json.into_bytes(),
    });
    files.push(OutputFile {
        path: PathBuf::from(MOODLE_FILE),
        bytes: moodle_xml(&book).into_bytes(),
    });
    files.extend(csvs);
    Ok((files, warnings, book))
}

/// The key of one lab, and the CSV text of each act's answer table.
fn lab_key(
    config: &Config,
    lab: &Lab,
    warnings: &mut Diagnostics,
) -> Result<(LabKey, Vec<(String, String)>), Diagnostics> {
    let m = lab.mission;
    let tracks: Vec<TrackKey> = m
        .tracks
        .iter()
        .map(|t| TrackKey {
            id: t.id.clone(),
            label: t.label.clone(),
        })
        .collect();
    let mut questions = Vec::new();
    let mut numeric = Vec::new();
    let mut tables = Vec::new();
    let mut csvs = Vec::new();
    for (ai, act) in m.acts.iter().enumerate() {
        // Quotes of this act's questions, first use first: (name, scenario) -> quote.
        let mut quotes: Vec<Quote> = Vec::new();
        for (kind, which, q) in [
            ("prediction", Which::Prediction, &act.prediction),
            ("reflection", Which::Reflection, &act.reflection),
        ] {
            let Some(q) = q else { continue };
            questions.push(question_key(
                lab,
                &act.id,
                &act.title,
                ai + 1,
                kind,
                (q, lab.correct(ai, which)),
                &mut quotes,
            )?);
        }
        // Hidden names (`__option_…`, a bound option's own value) are
        // labgen's bookkeeping: the option text shows them, and the value
        // they estimate is quoted under its own name.
        for quote in quotes.iter().filter(|q| !q.name.starts_with("__")) {
            for (ti, t) in m.tracks.iter().enumerate() {
                let v = value_at(lab, quote.slot, quote.mode, ti).ok_or_else(|| {
                    Diagnostics::internal(format_args!("no value for {} on {}", quote.name, t.id))
                })?;
                let shown = show(v, &quote.display.unit, quote.display.digits);
                let scenario = quote.mode.scenario().and_then(|s| m.scenarios.get(s));
                numeric.push(NumericItem {
                    id: match scenario {
                        Some(s) => format!("{}.{}@{}", act.id, quote.name, s.id),
                        None => format!("{}.{}", act.id, quote.name),
                    },
                    act: act.id.clone(),
                    name: quote.name.clone(),
                    label: match scenario {
                        Some(s) => format!("{} at “{}”", slot_label(lab, quote.slot), s.label),
                        None => slot_label(lab, quote.slot),
                    },
                    track: t.id.clone(),
                    value: finite(shown.number),
                    unit: shown.unit,
                    text: shown.text,
                    tolerance: config.grading.tolerance,
                    source: if scenario.is_some() {
                        "scenario"
                    } else {
                        "pinned"
                    },
                    scenario: scenario.map(|s| s.id.clone()),
                    graded: false,
                });
            }
        }
        // The act's tasks: numbers the student types, graded per track.
        for t in &act.tasks {
            let slot = lab.model.slot(&t.answer).ok_or_else(|| {
                Diagnostics::internal(format_args!("unresolved task answer {}", t.answer))
            })?;
            let display = crate::plan::task_display(m, lab.model, t, slot);
            let mode = crate::plan::task_mode(t);
            for (ti, tr) in m.tracks.iter().enumerate() {
                let v = value_at(lab, slot, mode, ti).ok_or_else(|| {
                    Diagnostics::internal(format_args!("no value for {} on {}", t.answer, tr.id))
                })?;
                let shown = show(v, &display.unit, display.digits);
                let tolerance = match &t.tolerance {
                    None => config.grading.tolerance,
                    Some(TaskTolerance::Relative(r)) => Tolerance {
                        relative: *r,
                        absolute: 0.0,
                    },
                    // The absolute amount in the unit the answer is typed in.
                    Some(TaskTolerance::Absolute(q)) => Tolerance {
                        relative: 0.0,
                        absolute: finite(show(q.value, &display.unit, None).number),
                    },
                };
                numeric.push(NumericItem {
                    id: format!("{}.{}", act.id, t.id),
                    act: act.id.clone(),
                    name: t.answer.clone(),
                    label: fill(lab, &t.prompt, ti, &mut Vec::new())?,
                    track: tr.id.clone(),
                    value: finite(shown.number),
                    unit: shown.unit,
                    text: shown.text,
                    tolerance,
                    source: "task",
                    scenario: t.at.and_then(|s| m.scenarios.get(s)).map(|s| s.id.clone()),
                    graded: true,
                });
            }
        }
        if let Some(sim) = &act.simulator {
            let (table, csv) = answer_table(lab, &act.id, &sim.controls, &sim.instruments)?;
            match csv {
                Some(csv) => csvs.push((act.id.clone(), csv)),
                None => warnings.push(
                    Diagnostic::warning(
                        // At the simulator's list of controls: they make the grid.
                        Some(
                            sim.control_locs
                                .first()
                                .cloned()
                                .unwrap_or_else(|| Location::file(&m.file)),
                        ),
                        format!(
                            "the answer table of act `{}` has {} rows, more than {}; the keys leave out its CSV",
                            act.id,
                            group(table.rows),
                            group(MAX_TABLE_ROWS)
                        ),
                    )
                    .with_hint("give the act's controls fewer positions (a larger slider step, or stops)"),
                ),
            }
            tables.push(table);
        }
    }
    Ok((
        LabKey {
            id: m.id.clone(),
            title: m.title.clone(),
            chapter: m.chapter.clone(),
            page: lab_file(&m.id),
            tracks,
            questions,
            numeric,
            tables,
        },
        csvs,
    ))
}

/// A value a question quotes: the reference's name, slot, mode and display.
struct Quote {
    name: String,
    slot: usize,
    mode: Mode,
    display: Display,
}

fn question_key(
    lab: &Lab,
    act: &str,
    act_title: &str,
    act_number: usize,
    kind: &'static str,
    (q, correct): (&Question, &str),
    quotes: &mut Vec<Quote>,
) -> Result<QuestionKey, Diagnostics> {
    let mut per_track = Vec::new();
    for ti in 0..lab.mission.tracks.len() {
        let prompt = fill(lab, &q.prompt, ti, quotes)?;
        let mut options = Vec::new();
        for o in &q.options {
            options.push(OptionText {
                key: o.key.clone(),
                correct: o.key == correct,
                text: fill(lab, &o.text, ti, quotes)?,
                feedback: fill(lab, &o.feedback, ti, quotes)?,
            });
        }
        per_track.push(QuestionText {
            track: lab.mission.tracks[ti].id.clone(),
            prompt,
            options,
        });
    }
    Ok(QuestionKey {
        id: format!("{act}.{kind}"),
        act: act.to_string(),
        act_title: act_title.to_string(),
        act_number,
        kind,
        correct: correct.to_string(),
        options: q.options.iter().map(|o| o.key.clone()).collect(),
        tracks: per_track,
    })
}

/// A pinned prose field on one track, as Markdown with its values written
/// in; records each value it quotes (first use first).
fn fill(lab: &Lab, t: &Text, track: usize, quotes: &mut Vec<Quote>) -> Result<String, Diagnostics> {
    let m = lab.mission;
    let pieces = text::parse(&t.src)
        .map_err(|e| Diagnostics::internal(format_args!("unparsed prose: {}", e.message)))?;
    let mut out = String::with_capacity(t.src.len());
    for p in pieces {
        match p {
            Piece::Lit(s) => out.push_str(&s),
            Piece::Fact { text, .. } => out.push_str(&text),
            Piece::Ref(r) => {
                let slot = lab.model.slot(&r.name).ok_or_else(|| {
                    Diagnostics::internal(format_args!("unresolved name {}", r.name))
                })?;
                let mode = match &r.scenario {
                    Some(s) => Mode::Scenario(
                        m.scenarios
                            .iter()
                            .position(|x| x.id == *s)
                            .and_then(|i| u16::try_from(i).ok())
                            .ok_or_else(|| {
                                Diagnostics::internal(format_args!("unknown scenario {s}"))
                            })?,
                    ),
                    None => Mode::Pinned,
                };
                let base = display_of(m, lab.model, slot);
                let display = Display {
                    unit: r.unit.clone().unwrap_or_else(|| base.unit.clone()),
                    digits: r
                        .digits
                        .or(if r.unit.is_some() { None } else { base.digits }),
                };
                let v = value_at(lab, slot, mode, track).ok_or_else(|| {
                    Diagnostics::internal(format_args!("no pinned value for {}", r.name))
                })?;
                out.push_str(&show(v, &display.unit, display.digits).text);
                if !quotes.iter().any(|q| q.name == r.name && q.mode == mode) {
                    quotes.push(Quote {
                        name: r.name.clone(),
                        slot,
                        mode,
                        display,
                    });
                }
            }
        }
    }
    Ok(collapse(&out))
}

/// The value of a pinned or scenario request on a track: at the track's
/// default positions (with the scenario's settings), as the page shows it.
fn value_at(lab: &Lab, slot: usize, mode: Mode, track: usize) -> Option<f64> {
    let table = lab.sweep.table(Request { slot, mode })?;
    let base = sweep::base_positions(lab.mission, mode);
    let track = sweep::fixed_track(lab.mission, mode).unwrap_or(track);
    let pos = base.get(track)?;
    table.values.get(table.index(track, pos)).copied()
}

/// The label of a formula, constant or control.
fn slot_label(lab: &Lab, slot: usize) -> String {
    let m = lab.mission;
    match lab.model.slots[slot] {
        Slot::Formula(f) => m.formulas[f].label.clone(),
        Slot::Constant(c) => m.constants[c].label.clone(),
        Slot::Control(c) => m.controls[c].label.clone(),
    }
}

/// Block-scalar prose keeps its line breaks; a key reads better with each
/// paragraph on one line. Blank lines (paragraph breaks) and list items
/// stay.
fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for para in s.trim().split("\n\n") {
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        let mut first = true;
        for line in para.lines() {
            let l = line.trim();
            if l.is_empty() {
                continue;
            }
            if !first {
                // Keep Markdown list items on their own lines.
                let item = l.starts_with("- ") || l.starts_with("* ") || l.starts_with("+ ");
                out.push(if item { '\n' } else { ' ' });
            }
            out.push_str(l);
            first = false;
        }
    }
    out
}

/// JSON has no NaN; every swept value is finite, so this only guards.
fn finite(x: f64) -> f64 {
    if x.is_finite() {
        x
    } else {
        0.0
    }
}

/// Thousands separators for counts in messages.
fn group(n: usize) -> String {
    crate::format::group_thousands(&n.to_string())
}

// ---------------------------------------------------------------------------
// Answer tables
// ---------------------------------------------------------------------------

/// What a column shows.
enum Cell<'a> {
    /// A value in a fixed unit.
    Number { table: &'a Table, unit: DisplayUnit },
    /// A status word: the first level whose condition holds.
    Status {
        conds: Vec<Option<&'a Table>>,
        labels: Vec<String>,
    },
    /// Whether a banner shows: `1` or `0`.
    Banner { table: &'a Table },
}

struct Column<'a> {
    key: ColumnKey,
    cell: Cell<'a>,
}

impl Column<'_> {
    /// The cell at a state, as text, and its number for `value` columns.
    fn at(&self, track: usize, pos: &[usize]) -> (String, Option<f64>) {
        match &self.cell {
            Cell::Number { table, unit } => {
                let v = table.values[table.index(track, pos)];
                // Formatting text for every cell of a large grid is the
                // slow part; the CSV needs only the number.
                let n = finite(match unit {
                    DisplayUnit::Unit(u) => v / u.factor,
                    DisplayUnit::Percent => v * 100.0,
                    other => show(v, other, None).number,
                });
                (num(n), Some(n))
            }
            Cell::Status { conds, labels } => {
                let k = status_level(conds, |c| {
                    c.is_none_or(|t| t.values[t.index(track, pos)] != 0.0)
                });
                (labels.get(k).cloned().unwrap_or_default(), None)
            }
            Cell::Banner { table } => {
                let on = table.values[table.index(track, pos)] != 0.0;
                (if on { "1" } else { "0" }.to_string(), None)
            }
        }
    }
}

/// A number for CSV and JSON text: the shortest form that reads back as
/// the same value (Rust's `{}` for f64 is deterministic and locale-free).
fn num(x: f64) -> String {
    let s = format!("{x}");
    if s == "-0" {
        "0".to_string()
    } else {
        s
    }
}

/// Display units that pick their unit by magnitude (`duration`, `data`)
/// are fixed to the unit shown at the first track's default state, so a
/// column has one unit.
fn column_unit(unit: &DisplayUnit, at_default: f64) -> DisplayUnit {
    match unit {
        DisplayUnit::Duration | DisplayUnit::Data => {
            let label = show(at_default, unit, None).unit;
            let symbol = if label == "y" { "year" } else { label.as_str() };
            crate::units::parse_unit(symbol).map_or_else(|_| unit.clone(), DisplayUnit::Unit)
        }
        other => other.clone(),
    }
}

fn unit_label(unit: &DisplayUnit) -> String {
    match unit {
        DisplayUnit::Unit(u) => u.symbol.clone(),
        DisplayUnit::Percent => "%".to_string(),
        DisplayUnit::Duration => "s".to_string(),
        DisplayUnit::Data => "B".to_string(),
    }
}

/// The answer table of one act: columns for the track, each of the act's
/// controls (in the sweep's axis order) and each instrument; one row per
/// state, track slowest and the last control fastest.
fn answer_table<'a>(
    lab: &Lab<'a>,
    act: &str,
    sim_controls: &[usize],
    instruments: &[Instrument],
) -> Result<(TableKey, Option<String>), Diagnostics> {
    let m = lab.mission;
    let defaults = sweep::track_defaults(m);
    let live = |name: &str| -> Result<&'a Table, Diagnostics> {
        let slot = lab
            .model
            .slot(name)
            .ok_or_else(|| Diagnostics::internal(format_args!("unresolved name {name}")))?;
        lab.sweep
            .table(Request {
                slot,
                mode: Mode::Live,
            })
            .ok_or_else(|| Diagnostics::internal(format_args!("no live sweep for {name}")))
    };
    let mut columns: Vec<Column<'a>> = Vec::new();
    // A column's table may have fewer axes than the act's grid:
    // `Table::index` reads only the positions of its own axes.
    let value_column =
        |name: &str, label: String, columns: &mut Vec<Column<'a>>| -> Result<(), Diagnostics> {
            let slot = lab
                .model
                .slot(name)
                .ok_or_else(|| Diagnostics::internal(format_args!("unresolved name {name}")))?;
            let table = live(name)?;
            let display = display_of(m, lab.model, slot);
            let v0 = table.values[table.index(0, &defaults[0])];
            let unit = column_unit(&display.unit, v0);
            let symbol = unit_label(&unit);
            let header = if symbol.is_empty() {
                label
            } else {
                format!("{label} ({symbol})")
            };
            // The same value in the same unit is one column, whichever
            // instruments show it.
            if columns.iter().any(|c| c.key.header == header) {
                return Ok(());
            }
            columns.push(Column {
                key: ColumnKey {
                    header,
                    kind: "value",
                    name: Some(name.to_string()),
                    unit: symbol,
                },
                cell: Cell::Number { table, unit },
            });
            Ok(())
        };
    let mut banners = 0;
    for inst in instruments {
        match inst {
            Instrument::Metric { value, label, .. } => {
                let slot = lab.model.slot(value).unwrap_or(0);
                let label = label.clone().unwrap_or_else(|| slot_label(lab, slot));
                value_column(value, label, &mut columns)?;
            }
            Instrument::Status {
                label,
                value,
                levels,
                ..
            } => {
                let conds = levels
                    .iter()
                    .map(|l| l.when.as_deref().map(live).transpose())
                    .collect::<Result<Vec<_>, _>>()?;
                columns.push(Column {
                    key: ColumnKey {
                        header: label.clone(),
                        kind: "status",
                        name: None,
                        unit: String::new(),
                    },
                    cell: Cell::Status {
                        conds,
                        labels: levels.iter().map(|l| l.label.clone()).collect(),
                    },
                });
                if let Some((v, _)) = value {
                    let slot = lab.model.slot(v).unwrap_or(0);
                    value_column(v, slot_label(lab, slot), &mut columns)?;
                }
            }
            Instrument::Plot(p) => {
                for (name, _) in crate::plan::plot_values(p) {
                    let slot = lab.model.slot(name).unwrap_or(0);
                    value_column(name, slot_label(lab, slot), &mut columns)?;
                }
            }
            Instrument::Banner { when, tone, .. } => {
                banners += 1;
                columns.push(Column {
                    key: ColumnKey {
                        header: format!("Banner {banners} shown ({})", tone.as_str()),
                        kind: "banner",
                        name: None,
                        unit: String::new(),
                    },
                    cell: Cell::Banner { table: live(when)? },
                });
            }
            Instrument::Badges(list) => {
                for b in list {
                    // The condition as the author wrote it: the badge's
                    // texts hold `{{ }}` references, which a header cannot
                    // fill in for every track at once.
                    let condition = m
                        .formulas
                        .iter()
                        .find(|f| f.id == b.ok)
                        .map_or(b.ok.as_str(), |f| f.expr.src.trim());
                    columns.push(Column {
                        key: ColumnKey {
                            header: format!("Constraint met: {condition}"),
                            kind: "badge",
                            name: None,
                            unit: String::new(),
                        },
                        cell: Cell::Banner {
                            table: live(&b.ok)?,
                        },
                    });
                }
            }
            // An instrument kind added later gets no column until it is
            // taught here; the key still builds.
            #[allow(unreachable_patterns)]
            _ => {}
        }
    }

    // The sweep orders control axes by control index; so do the rows.
    let mut controls: Vec<usize> = sim_controls.to_vec();
    controls.sort_unstable();
    controls.dedup();
    let shape: Vec<usize> = controls
        .iter()
        .map(|&c| m.controls[c].positions.len())
        .collect();
    let per_track = shape.iter().try_fold(1usize, |acc, n| acc.checked_mul(*n));
    let rows = per_track.and_then(|n| n.checked_mul(m.tracks.len()));
    let listed = rows.filter(|r| *r <= MAX_TABLE_ROWS);

    let mut csv = String::new();
    if listed.is_some() {
        let mut header = vec!["track".to_string()];
        header.extend(controls.iter().map(|&c| m.controls[c].label.clone()));
        header.extend(columns.iter().map(|c| c.key.header.clone()));
        csv_row(&mut csv, &header);
    }
    let mut summary = Vec::new();
    for (ti, track) in m.tracks.iter().enumerate() {
        let default: Vec<(String, Option<f64>)> =
            columns.iter().map(|c| c.at(ti, &defaults[ti])).collect();
        let mut ranges: Vec<Option<(f64, f64)>> = vec![None; columns.len()];
        let mut seen: Vec<Vec<String>> = vec![Vec::new(); columns.len()];
        if let Some(n) = listed.and(per_track) {
            let mut pos = defaults[ti].clone();
            let mut digits = vec![0usize; shape.len()];
            for state in 0..n {
                let mut rest = state;
                for k in (0..shape.len()).rev() {
                    digits[k] = rest % shape[k];
                    rest /= shape[k];
                }
                for (k, &c) in controls.iter().enumerate() {
                    pos[c] = digits[k];
                }
                let mut row = Vec::with_capacity(1 + controls.len() + columns.len());
                row.push(track.id.clone());
                row.extend(
                    controls
                        .iter()
                        .map(|&c| m.controls[c].positions[pos[c]].label.clone()),
                );
                for (k, col) in columns.iter().enumerate() {
                    let (text, n) = col.at(ti, &pos);
                    match n {
                        Some(x) => {
                            ranges[k] = Some(match ranges[k] {
                                Some((lo, hi)) => (lo.min(x), hi.max(x)),
                                None => (x, x),
                            });
                        }
                        None => {
                            if !seen[k].contains(&text) {
                                seen[k].push(text.clone());
                            }
                        }
                    }
                    row.push(text);
                }
                csv_row(&mut csv, &row);
            }
        }
        summary.push(TrackSummary {
            track: track.id.clone(),
            columns: columns
                .iter()
                .zip(default)
                .zip(ranges.into_iter().zip(seen))
                .map(|((c, (text, _)), (range, seen))| ColumnSummary {
                    header: c.key.header.clone(),
                    default: text,
                    min: range.map(|r| r.0),
                    max: range.map(|r| r.1),
                    seen,
                })
                .collect(),
        });
    }
    let key = TableKey {
        act: act.to_string(),
        csv: listed.map(|_| format!("{}/{act}.csv", m.id)),
        rows: rows.unwrap_or(usize::MAX),
        controls: controls.iter().map(|&c| m.controls[c].id.clone()).collect(),
        columns: columns.into_iter().map(|c| c.key).collect(),
        summary,
    };
    Ok((key, listed.map(|_| csv)))
}

/// Appends one CSV record (RFC 4180: fields with commas, quotes or line
/// breaks are quoted, quotes doubled; CRLF line ends).
fn csv_row(out: &mut String, fields: &[String]) {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&csv_field(f));
    }
    out.push_str("\r\n");
}

/// One CSV field, quoted when it needs to be.
pub fn csv_field(f: &str) -> String {
    if f.contains([',', '"', '\n', '\r']) || f.starts_with(' ') || f.ends_with(' ') {
        format!("\"{}\"", f.replace('"', "\"\""))
    } else {
        f.to_string()
    }
}

// ---------------------------------------------------------------------------
// HTML
// ---------------------------------------------------------------------------

fn index_html(tera: &tera::Tera, config: &Config, book: &BookKey) -> Result<Vec<u8>, Diagnostics> {
    let labs: Vec<serde_json::Value> = book
        .labs
        .iter()
        .map(|l| {
            json!({
                "id": l.id,
                "title": l.title,
                "chapter": l.chapter,
                "file": format!("{}.html", l.id),
                "tables": l.tables.iter().filter_map(|t| t.csv.clone().map(|c| json!({"act": t.act, "csv": c}))).collect::<Vec<_>>(),
            })
        })
        .collect();
    let mut ctx = tera::Context::new();
    ctx.insert("book", &config.book);
    ctx.insert("version", &book.book_version);
    ctx.insert("generator", &book.generator);
    ctx.insert("labs", &labs);
    ctx.insert("lab", &serde_json::Value::Null);
    tera.render("key.html", &ctx)
        .map(String::into_bytes)
        .map_err(|e| Diagnostics::internal(format_args!("key template: {e:?}")))
}

fn lab_html(
    tera: &tera::Tera,
    config: &Config,
    book: &BookKey,
    lab: &LabKey,
) -> Result<Vec<u8>, Diagnostics> {
    let mut tracks = Vec::new();
    for (ti, t) in lab.tracks.iter().enumerate() {
        let mut acts: Vec<serde_json::Value> = Vec::new();
        let mut act_ids: Vec<&str> = Vec::new();
        for q in &lab.questions {
            if !act_ids.contains(&q.act.as_str()) {
                act_ids.push(&q.act);
            }
        }
        for tk in &lab.tables {
            if !act_ids.contains(&tk.act.as_str()) {
                act_ids.push(&tk.act);
            }
        }
        // Page order: acts by number (questions carry it; tables follow).
        act_ids.sort_by_key(|a| {
            lab.questions
                .iter()
                .find(|q| q.act == *a)
                .map_or(usize::MAX, |q| q.act_number)
        });
        for act in act_ids {
            let qs: Vec<serde_json::Value> = lab
                .questions
                .iter()
                .filter(|q| q.act == act)
                .filter_map(|q| {
                    let text = q.tracks.get(ti)?;
                    Some(json!({
                        "kind": if q.kind == "prediction" { "Prediction" } else { "Reflection" },
                        "id": q.id,
                        "correct": q.correct,
                        "prompt": text::markdown_inline(&text.prompt),
                        "options": text.options.iter().map(|o| json!({
                            "key": o.key,
                            "correct": o.correct,
                            "text": text::markdown_inline(&o.text),
                            "feedback": text::markdown(&o.feedback),
                        })).collect::<Vec<_>>(),
                    }))
                })
                .collect();
            let quotes: Vec<serde_json::Value> = lab
                .numeric
                .iter()
                .filter(|n| n.act == act && n.track == t.id)
                .map(|n| {
                    json!({
                        "id": n.id,
                        "label": n.label,
                        "name": n.name,
                        "text": n.text,
                        "value": with_unit(&readable(n.value), &n.unit),
                        "unit": n.unit,
                        "tolerance": tolerance_text(&n.tolerance, n.value, &n.unit),
                    })
                })
                .collect();
            let table = lab.tables.iter().find(|tk| tk.act == act).map(|tk| {
                let s = tk.summary.get(ti);
                json!({
                    "csv": tk.csv,
                    "rows": group(tk.rows),
                    "columns": s.map(|s| s.columns.iter().zip(&tk.columns).map(|(c, k)| json!({
                        "header": c.header,
                        "default": if k.kind == "value" { c.default.parse::<f64>().map_or_else(|_| c.default.clone(), readable) } else { c.default.clone() },
                        "min": c.min.map(readable),
                        "max": c.max.map(readable),
                        "seen": c.seen.join(", "),
                        "kind": k.kind,
                    })).collect::<Vec<_>>()),
                })
            });
            let number = lab
                .questions
                .iter()
                .find(|q| q.act == act)
                .map(|q| (q.act_number, q.act_title.clone()));
            acts.push(json!({
                "id": act,
                "number": number.as_ref().map(|n| n.0),
                "title": number.map(|n| n.1),
                "questions": qs,
                "quotes": quotes,
                "table": table,
            }));
        }
        tracks.push(json!({"id": t.id, "label": t.label, "acts": acts}));
    }
    let mut ctx = tera::Context::new();
    ctx.insert("book", &config.book);
    ctx.insert("version", &book.book_version);
    ctx.insert("generator", &book.generator);
    ctx.insert("labs", &Vec::<serde_json::Value>::new());
    ctx.insert(
        "lab",
        &json!({
            "id": lab.id,
            "title": lab.title,
            "chapter": lab.chapter,
            "page": lab.page,
            "tracks": tracks,
            "several_tracks": lab.tracks.len() > 1,
        }),
    );
    tera.render("key.html", &ctx)
        .map(String::into_bytes)
        .map_err(|e| Diagnostics::internal(format_args!("key template: {e:?}")))
}

/// A number for people: six significant digits, thousands grouped,
/// trailing zeros trimmed (`66.6667`, `4,000`, `0.0133333`).
fn readable(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return crate::format::format_number(x, Some(0));
    }
    let magnitude = x.abs().log10().floor();
    let decimals = (5.0 - magnitude).clamp(0.0, 15.0) as u8;
    let s = crate::format::format_number(x, Some(decimals));
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// A readable number with its unit label, written as the book writes
/// units: `$4,500`, `7.9%`, `67 min`.
fn with_unit(n: &str, unit: &str) -> String {
    match unit {
        "" => n.to_string(),
        "%" | "x" => format!("{n}{unit}"),
        u if u.starts_with('$') => match n.strip_prefix('-') {
            Some(m) => format!("-${m}{}", &u[1..]),
            None => format!("${n}{}", &u[1..]),
        },
        u => format!("{n} {u}"),
    }
}

/// `±2% (±1.33 min)`: the tolerance as a reader checks it.
fn tolerance_text(t: &Tolerance, value: f64, unit: &str) -> String {
    let abs = (t.relative * value.abs()).max(t.absolute);
    let amount = crate::format::format_number(abs, None);
    let amount = if unit.is_empty() {
        amount
    } else if unit == "$" {
        format!("${amount}")
    } else if unit == "%" {
        format!("{amount} points")
    } else {
        format!("{amount} {unit}")
    };
    if t.absolute > 0.0 && t.relative > 0.0 {
        format!(
            "±{}% or ±{} {unit}, whichever is larger (±{amount})",
            crate::format::format_number(t.relative * 100.0, None),
            crate::format::format_number(t.absolute, None)
        )
    } else if t.relative > 0.0 {
        format!(
            "±{}% (±{amount})",
            crate::format::format_number(t.relative * 100.0, None)
        )
    } else {
        format!("±{amount}")
    }
}

// ---------------------------------------------------------------------------
// Moodle XML
// ---------------------------------------------------------------------------

/// Escapes text for XML content and attributes, and drops the control
/// characters XML 1.0 does not allow.
fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
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
    out
}

/// A `<tag format="html"><text>…</text></tag>` element.
fn html_text(out: &mut String, indent: &str, tag: &str, html: &str) {
    out.push_str(&format!(
        "{indent}<{tag} format=\"html\"><text>{}</text></{tag}>\n",
        xml_escape(html.trim())
    ));
}

/// Moodle's `idnumber` holds at most 100 characters.
fn idnumber(s: &str) -> String {
    s.chars().take(100).collect()
}

/// The questions of the book as Moodle XML: per lab a category
/// (`$course$/top/labgen/<lab id>`), and in it one single-answer
/// multichoice question per prediction or reflection and track (the
/// options quote the track's numbers), then one numerical question per
/// quoted value and track, with the key's tolerance as Moodle's absolute
/// accepted error.
pub fn moodle_xml(book: &BookKey) -> String {
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- ");
    x.push_str(
        &xml_escape(&format!(
            "{} · {} · book version {}",
            book.title, book.generator, book.book_version
        ))
        .replace("--", "- -"),
    );
    x.push_str(" -->\n<quiz>\n");
    for lab in &book.labs {
        x.push_str("  <question type=\"category\">\n");
        x.push_str(&format!(
            "    <category><text>$course$/top/labgen/{}</text></category>\n",
            xml_escape(&lab.id)
        ));
        html_text(
            &mut x,
            "    ",
            "info",
            &format!("<p>{}</p>", crate::text::escape(&lab.title)),
        );
        x.push_str("  </question>\n");
        for q in &lab.questions {
            for (ti, text) in q.tracks.iter().enumerate() {
                let track = &lab.tracks[ti];
                x.push_str("  <question type=\"multichoice\">\n");
                let name = if lab.tracks.len() > 1 {
                    format!(
                        "{} · Act {} {} · {}",
                        lab.title, q.act_number, q.kind, track.label
                    )
                } else {
                    format!("{} · Act {} {}", lab.title, q.act_number, q.kind)
                };
                x.push_str(&format!(
                    "    <name><text>{}</text></name>\n",
                    xml_escape(&name)
                ));
                html_text(
                    &mut x,
                    "    ",
                    "questiontext",
                    &text::markdown(&text.prompt),
                );
                html_text(&mut x, "    ", "generalfeedback", "");
                x.push_str("    <defaultgrade>1</defaultgrade>\n    <penalty>0</penalty>\n    <hidden>0</hidden>\n");
                x.push_str(&format!(
                    "    <idnumber>{}</idnumber>\n",
                    xml_escape(&idnumber(&format!("{}/{}/{}", lab.id, q.id, track.id)))
                ));
                x.push_str("    <single>true</single>\n    <shuffleanswers>false</shuffleanswers>\n    <answernumbering>none</answernumbering>\n    <showstandardinstruction>0</showstandardinstruction>\n");
                html_text(&mut x, "    ", "correctfeedback", "");
                html_text(&mut x, "    ", "partiallycorrectfeedback", "");
                html_text(&mut x, "    ", "incorrectfeedback", "");
                for o in &text.options {
                    // The key stays in the text: the book's feedback and the
                    // reveal name options by key.
                    x.push_str(&format!(
                        "    <answer fraction=\"{}\" format=\"html\">\n",
                        if o.correct { 100 } else { 0 }
                    ));
                    x.push_str(&format!(
                        "      <text>{}</text>\n",
                        xml_escape(&format!(
                            "<p><strong>{}</strong> {}</p>",
                            crate::text::escape(&o.key),
                            text::markdown_inline(&o.text)
                        ))
                    ));
                    html_text(&mut x, "      ", "feedback", &text::markdown(&o.feedback));
                    x.push_str("    </answer>\n");
                }
                x.push_str("  </question>\n");
            }
        }
        for n in &lab.numeric {
            let track = lab
                .tracks
                .iter()
                .find(|t| t.id == n.track)
                .map_or(n.track.as_str(), |t| t.label.as_str());
            let unit = if n.unit.is_empty() {
                String::new()
            } else {
                format!(" Answer in {}.", n.unit)
            };
            let context = if lab.tracks.len() > 1 {
                format!("{} ({track})", lab.title)
            } else {
                lab.title.clone()
            };
            x.push_str("  <question type=\"numerical\">\n");
            x.push_str(&format!(
                "    <name><text>{}</text></name>\n",
                xml_escape(&format!("{context} · {} · {}", n.id, n.label))
            ));
            html_text(
                &mut x,
                "    ",
                "questiontext",
                &format!(
                    "<p>{}: what is the {}?{}</p>",
                    crate::text::escape(&context),
                    crate::text::escape(&lower_first(&n.label)),
                    crate::text::escape(&unit)
                ),
            );
            html_text(&mut x, "    ", "generalfeedback", "");
            x.push_str("    <defaultgrade>1</defaultgrade>\n    <penalty>0</penalty>\n    <hidden>0</hidden>\n");
            x.push_str(&format!(
                "    <idnumber>{}</idnumber>\n",
                xml_escape(&idnumber(&format!("{}/{}/{}", lab.id, n.id, n.track)))
            ));
            let tol = (n.tolerance.relative * n.value.abs()).max(n.tolerance.absolute);
            x.push_str("    <answer fraction=\"100\" format=\"moodle_auto_format\">\n");
            x.push_str(&format!("      <text>{}</text>\n", num(n.value)));
            html_text(
                &mut x,
                "      ",
                "feedback",
                &format!("<p>{}</p>", crate::text::escape(&n.text)),
            );
            x.push_str(&format!("      <tolerance>{}</tolerance>\n", num(tol)));
            x.push_str("    </answer>\n");
            x.push_str("    <unitgradingtype>0</unitgradingtype>\n    <unitpenalty>0</unitpenalty>\n    <showunits>3</showunits>\n    <unitsleft>0</unitsleft>\n");
            x.push_str("  </question>\n");
        }
    }
    x.push_str("</quiz>\n");
    x
}

/// `Transfer time` -> `transfer time`, but `GPU utilization` stays.
fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match (chars.next(), chars.next()) {
        (Some(a), Some(b)) if a.is_uppercase() && !b.is_uppercase() => {
            a.to_lowercase().collect::<String>() + &s[a.len_utf8()..]
        }
        _ => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_when_needed() {
        assert_eq!(csv_field("SATA SSD"), "SATA SSD");
        assert_eq!(csv_field("HDD (7,200 rpm)"), "\"HDD (7,200 rpm)\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        let mut row = String::new();
        csv_row(&mut row, &["a".into(), "b,c".into()]);
        assert_eq!(row, "a,\"b,c\"\r\n");
    }

    #[test]
    fn xml_escape_drops_forbidden_controls() {
        assert_eq!(
            xml_escape("a<b & \"c\"\u{1}'"),
            "a&lt;b &amp; &quot;c&quot;&apos;"
        );
    }

    #[test]
    fn collapse_joins_lines_but_keeps_paragraphs_and_items() {
        assert_eq!(collapse("a\nb\n\nc\n"), "a b\n\nc");
        assert_eq!(collapse("- x\n- y\n  z"), "- x\n- y z");
    }

    #[test]
    fn tolerance_reads_as_a_range() {
        let t = Tolerance {
            relative: 0.02,
            absolute: 0.0,
        };
        assert_eq!(tolerance_text(&t, 4000.0, "s"), "±2% (±80 s)");
        assert_eq!(tolerance_text(&t, 4500.0, "$"), "±2% (±$90)");
    }

    #[test]
    fn readable_numbers_keep_six_digits() {
        assert_eq!(readable(66.666_666_666_666_67), "66.6667");
        assert_eq!(readable(4000.0), "4,000");
        assert_eq!(readable(0.013_333_333), "0.0133333");
        assert_eq!(readable(133_333.333_333), "133,333");
        assert_eq!(readable(0.0), "0");
        assert_eq!(with_unit("4,500", "$"), "$4,500");
        assert_eq!(with_unit("0.09", "$/GB"), "$0.09/GB");
        assert_eq!(with_unit("7.9", "%"), "7.9%");
    }

    #[test]
    fn lower_first_keeps_acronyms() {
        assert_eq!(lower_first("Transfer time"), "transfer time");
        assert_eq!(lower_first("GPU utilization"), "GPU utilization");
    }
}
