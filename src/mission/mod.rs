//! Mission plans: loading the YAML files of a book and checking them into
//! validated [`Mission`] values.
//!
//! Loading collects every problem of every file (syntax, unknown keys,
//! dangling references, bad quantities) into one [`Diagnostics`] list.
//! Expressions are kept as located source text here; the model stage
//! parses them and checks names and units.

pub mod raw;
mod validate;

use crate::diag::{line_column, Diagnostic, Diagnostics, Location};
use crate::format::DisplayUnit;
use crate::units::{Dim, Quantity};
use std::path::{Path, PathBuf};

pub use validate::written_unit as written_unit_of;
pub use validate::{registry, validate, REGISTRY_FILE};

/// A piece of author prose (Markdown with `{{ name }}` value references)
/// and where it starts in its file.
#[derive(Clone, Debug, PartialEq)]
pub struct Text {
    /// The text as the YAML scalar gives it.
    pub src: String,
    /// Where the scalar starts.
    pub loc: Location,
    /// Byte offset of the scalar in the file, used to locate problems inside it.
    pub offset: Option<usize>,
}

/// An expression written in the mission, with its location.
#[derive(Clone, Debug, PartialEq)]
pub struct Source {
    /// The expression text.
    pub src: String,
    /// Where it starts.
    pub loc: Location,
}

/// How a value is shown to readers.
#[derive(Clone, Debug, PartialEq)]
pub struct Display {
    /// The unit (or percent, or human duration).
    pub unit: DisplayUnit,
    /// Decimals; `None` for three significant digits.
    pub digits: Option<u8>,
}

/// One lab, checked.
#[derive(Clone, Debug)]
pub struct Mission {
    /// The file, relative to the book root.
    pub file: PathBuf,
    /// The file's text, kept to locate problems inside prose.
    pub source: String,
    /// Stable identifier, used in URLs and hooks.
    pub id: String,
    /// Chapter number or name.
    pub chapter: Option<String>,
    /// Title of the lab.
    pub title: String,
    /// One line under the title.
    pub subtitle: Option<Text>,
    /// Expected time, e.g. "35-40 min".
    pub duration: Option<String>,
    /// The invariant the lab teaches.
    pub core_invariant: Option<Text>,
    /// Recommended reading before the lab.
    pub reading: Vec<Reading>,
    /// Deployment contexts; at least one (an implicit one if none is written).
    pub tracks: Vec<Track>,
    /// Whether the tracks were written by the author (and get a selector).
    pub has_track_selector: bool,
    /// Fixed inputs.
    pub constants: Vec<Constant>,
    /// Inputs the student moves.
    pub controls: Vec<Control>,
    /// Named expressions, including the hidden ones made for conditions.
    pub formulas: Vec<Formula>,
    /// The acts in order.
    pub acts: Vec<Act>,
    /// Named control settings.
    pub scenarios: Vec<Scenario>,
    /// Statements checked on every build.
    pub claims: Vec<Claim>,
}

/// A named setting of some controls, and optionally of the track.
#[derive(Clone, Debug)]
pub struct Scenario {
    /// Identifier, used as `{{ name @ id }}`.
    pub id: String,
    /// Human label.
    pub label: String,
    /// The track it is pinned to, if any; otherwise it holds on every track.
    pub track: Option<usize>,
    /// Control positions it sets; the others stay at the track's defaults.
    pub set: Vec<(usize, usize)>,
    /// Where it is defined.
    pub loc: Location,
}

/// What a claim states.
#[derive(Clone, Debug)]
pub enum ClaimKind {
    /// A value is about `expected`, within `within` (absolute, base units).
    About {
        /// Name of the value.
        value: String,
        /// Expected value in base units.
        expected: Quantity,
        /// Allowed absolute difference in base units.
        within: f64,
        /// The tolerance as written, for messages.
        within_text: String,
        /// The expected value as written, for messages.
        expected_text: String,
    },
    /// A condition holds (hidden formula id).
    That {
        /// Hidden formula holding the condition.
        cond: String,
        /// The condition as written.
        text: String,
    },
    /// A status instrument shows a label.
    Status {
        /// Status instrument id.
        status: String,
        /// The label it must show.
        is: String,
    },
}

/// A statement about the model at a scenario.
#[derive(Clone, Debug)]
pub struct Claim {
    /// Index into `Mission::scenarios`.
    pub scenario: usize,
    /// The track it is checked on; `None` for every track the scenario allows.
    pub track: Option<usize>,
    /// What it states.
    pub kind: ClaimKind,
    /// Where it is written.
    pub loc: Location,
}

/// A recommended reading entry.
#[derive(Clone, Debug)]
pub struct Reading {
    /// Title of the section.
    pub title: String,
    /// Cross-reference, e.g. `@sec-data-engineering`.
    pub section: Option<String>,
    /// Why to read it.
    pub why: Option<Text>,
}

/// A deployment context: overrides constants and control defaults.
#[derive(Clone, Debug)]
pub struct Track {
    /// Identifier.
    pub id: String,
    /// Label on the selector.
    pub label: String,
    /// Story shown when the track is selected.
    pub summary: Option<Text>,
    /// Constant overrides: constant index and value.
    pub constants: Vec<(usize, Quantity)>,
    /// Control default overrides: control index and position.
    pub defaults: Vec<(usize, usize)>,
}

/// A fixed input of the model.
#[derive(Clone, Debug)]
pub struct Constant {
    /// Identifier, usable in expressions.
    pub id: String,
    /// Human label.
    pub label: String,
    /// LaTeX symbol for worked examples.
    pub tex: Option<String>,
    /// The value.
    pub value: Quantity,
    /// How to show it.
    pub display: Display,
    /// Where the figure comes from.
    pub source: Option<String>,
    /// An explanatory note.
    pub note: Option<String>,
    /// Where it is defined.
    pub loc: Location,
}

/// The kind of a control, which decides how it is drawn.
#[derive(Clone, Debug, PartialEq)]
pub enum ControlKind {
    /// A range input. `uniform` gives (min, step) in the display unit when
    /// the positions are evenly spaced, so the input can carry real values.
    Slider {
        /// (min, step) in display units for evenly spaced sliders.
        uniform: Option<(f64, f64)>,
    },
    /// A drop-down of labelled options.
    Select,
    /// A checkbox.
    Toggle,
}

/// One position a control can take.
#[derive(Clone, Debug, PartialEq)]
pub struct Position {
    /// Key for selects (option key), otherwise the label.
    pub key: String,
    /// What the reader sees.
    pub label: String,
    /// The value in base units.
    pub value: f64,
}

/// An input the student moves; every position is precomputed.
#[derive(Clone, Debug)]
pub struct Control {
    /// Identifier, usable in expressions.
    pub id: String,
    /// Label next to the input.
    pub label: String,
    /// LaTeX symbol for worked examples.
    pub tex: Option<String>,
    /// Slider, select or toggle.
    pub kind: ControlKind,
    /// Every position, in order.
    pub positions: Vec<Position>,
    /// Default position index.
    pub default: usize,
    /// Dimension of the values.
    pub dim: Dim,
    /// How to show values in prose.
    pub display: Display,
    /// Help text under the control: prose, so numbers in it come from
    /// the model (`{{ name }}`) like everywhere else.
    pub help: Option<Text>,
    /// Where it is defined.
    pub loc: Location,
}

/// A named expression.
#[derive(Clone, Debug)]
pub struct Formula {
    /// Identifier; hidden formulas start with `__`.
    pub id: String,
    /// Human label.
    pub label: String,
    /// The expression source.
    pub expr: Source,
    /// How to show it; `None` for conditions.
    pub display: Display,
    /// Where the display unit was written, for unit mismatch messages.
    pub unit_loc: Option<Location>,
    /// LaTeX symbol for worked examples.
    pub tex: Option<String>,
    /// Explanatory note.
    pub note: Option<String>,
    /// For a search formula: what it looks for, over which control.
    pub search: Option<Search>,
}

/// What a search formula looks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Goal {
    /// The control value where the objective is smallest.
    Minimize,
    /// The control value where the objective is largest.
    Maximize,
    /// The first control value, from the low end, where both sides are equal.
    Solve,
    /// The first position of the control, in its order, where a condition holds.
    First,
}

impl Goal {
    /// The YAML key that declares it.
    pub fn key(self) -> &'static str {
        match self {
            Goal::Minimize => "minimize",
            Goal::Maximize => "maximize",
            Goal::Solve => "solve",
            Goal::First => "first",
        }
    }
}

/// A formula whose value is found by searching over a control: the computed
/// answer of a "find the X" task.
#[derive(Clone, Debug)]
pub struct Search {
    /// What is looked for.
    pub goal: Goal,
    /// The control searched over.
    pub over: String,
    /// Where `over` was written.
    pub over_loc: Location,
    /// Hidden formulas holding the objective: one (minimize, maximize, first)
    /// or two (the sides of `solve`).
    pub targets: Vec<String>,
    /// The goal as written, for messages.
    pub text: String,
}

impl Mission {
    /// The levels of the status instrument with id `id`, if there is one.
    pub fn status_levels(&self, id: &str) -> Option<&[Level]> {
        self.acts
            .iter()
            .flat_map(|a| a.simulator.iter())
            .flat_map(|s| s.instruments.iter())
            .find_map(|i| match i {
                Instrument::Status {
                    id: Some(x),
                    levels,
                    ..
                } if x == id => Some(levels.as_slice()),
                _ => None,
            })
    }
}

impl Formula {
    /// Whether this is a hidden condition labgen made from a `when`, `that`
    /// or status level (true or false), rather than a value.
    pub fn is_condition(&self) -> bool {
        self.id.starts_with("__")
            && !self.id.starts_with("__option_")
            && !self.id.starts_with("__goal_")
    }

    /// Whether the author wrote this formula (it is not hidden).
    pub fn is_public(&self) -> bool {
        !self.id.starts_with("__")
    }
}

/// Colour role of a status level, banner or plot series.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    /// Fine.
    Good,
    /// Worth attention.
    Warn,
    /// Failing.
    Bad,
    /// Neutral information.
    Info,
}

impl Tone {
    /// The name used in HTML attributes and YAML.
    pub fn as_str(self) -> &'static str {
        match self {
            Tone::Good => "good",
            Tone::Warn => "warn",
            Tone::Bad => "bad",
            Tone::Info => "info",
        }
    }
}

/// One act of a lab.
#[derive(Clone, Debug)]
pub struct Act {
    /// Identifier, used in hooks (`data-lock`).
    pub id: String,
    /// Title.
    pub title: String,
    /// Expected time.
    pub duration: Option<String>,
    /// The story (pinned values).
    pub story: Option<Text>,
    /// Stakeholder messages (pinned values): one for every track, or one
    /// per track.
    pub stakeholders: Vec<Stakeholder>,
    /// The prediction lock.
    pub prediction: Option<Question>,
    /// The simulator.
    pub simulator: Option<Simulator>,
    /// Prediction vs reality text (live values).
    pub reveal: Option<Text>,
    /// The reflection question.
    pub reflection: Option<Question>,
    /// The MathPeek panel.
    pub mathpeek: Option<MathPeek>,
    /// "Find the X" tasks with computed answers.
    pub tasks: Vec<Task>,
}

/// A "find the X" task: the student types a number; the answer is a model
/// value (usually a search formula) at the track's defaults or a scenario.
#[derive(Clone, Debug)]
pub struct Task {
    /// Identifier, unique in its act; the key's item is `<act>.<id>`.
    pub id: String,
    /// What to find (pinned values).
    pub prompt: Text,
    /// The model value that answers it.
    pub answer: String,
    /// Where `answer` was written.
    pub answer_loc: Location,
    /// The scenario it is asked at; `None` for the track's defaults.
    pub at: Option<usize>,
    /// The unit the student answers in; `None` for the answer's own.
    pub display: Option<Display>,
    /// Where `unit` was written.
    pub unit_loc: Option<Location>,
    /// How far an answer may be off; `None` for the book's default.
    pub tolerance: Option<TaskTolerance>,
    /// Where `tolerance` was written.
    pub tolerance_loc: Option<Location>,
    /// Shown with the answer once the student has submitted (pinned).
    pub explain: Option<Text>,
    /// Where the task starts.
    pub loc: Location,
}

/// A task's tolerance as written.
#[derive(Clone, Debug, PartialEq)]
pub enum TaskTolerance {
    /// A fraction of the answer (0.1 for `10%`).
    Relative(f64),
    /// An amount in the answer's unit (base units).
    Absolute(Quantity),
}

/// A message from a character.
#[derive(Clone, Debug)]
pub struct Stakeholder {
    /// The track it is shown on; `None` for every track.
    pub track: Option<usize>,
    /// Who sends it.
    pub from: String,
    /// What they say.
    pub message: Text,
}

/// A multiple-choice question.
#[derive(Clone, Debug)]
pub struct Question {
    /// The question.
    pub prompt: Text,
    /// The answers in order.
    pub options: Vec<Choice>,
    /// Key of the correct answer. For a question bound to the model it is
    /// derived after the sweep (see [`Question::answer`]).
    pub correct: String,
    /// The model binding, if the correct option is derived.
    pub answer: Option<Answer>,
    /// Where `correct` (or the binding) is written.
    pub loc: Location,
}

/// A question bound to the model.
#[derive(Clone, Debug)]
pub struct Answer {
    /// The value the options estimate.
    pub value: String,
    /// Where it is written.
    pub loc: Location,
    /// Index into `Mission::scenarios`.
    pub scenario: usize,
    /// The correct key as typed, if any (checked against the model).
    pub typed: Option<String>,
}

/// One answer.
#[derive(Clone, Debug)]
pub struct Choice {
    /// Short key, e.g. "A".
    pub key: String,
    /// The answer text.
    pub text: Text,
    /// Feedback when chosen.
    pub feedback: Text,
    /// Hidden formula holding the option's quantity, when bound.
    pub value: Option<String>,
}

/// The interactive part of an act.
#[derive(Clone, Debug)]
pub struct Simulator {
    /// Text above the controls.
    pub intro: Option<Text>,
    /// Indices of the controls shown.
    pub controls: Vec<usize>,
    /// Where each control was listed, for warnings.
    pub control_locs: Vec<Location>,
    /// Instruments in order.
    pub instruments: Vec<Instrument>,
}

/// Something the simulator shows.
#[derive(Clone, Debug)]
pub enum Instrument {
    /// One value on a card.
    Metric {
        /// Name of the value (formula, constant or control).
        value: String,
        /// Where the name was written.
        loc: Location,
        /// Card label.
        label: Option<String>,
        /// Small text under the value (live).
        note: Option<Text>,
    },
    /// A status card: first level whose condition holds.
    Status {
        /// Identifier, for claims.
        id: Option<String>,
        /// Card label.
        label: String,
        /// Optional value shown with the status.
        value: Option<(String, Location)>,
        /// Levels in order; the last may have no condition.
        levels: Vec<Level>,
    },
    /// A chart.
    Plot(Box<PlotSpec>),
    /// A row of constraint pills, each green while its condition holds
    /// and red otherwise.
    Badges(Vec<Badge>),
    /// A banner shown while a condition holds.
    Banner {
        /// Hidden formula holding the condition.
        when: String,
        /// Colour role.
        tone: Tone,
        /// Bold first line (live).
        title: Text,
        /// Body (live).
        text: Option<Text>,
    },
}

/// One constraint pill.
#[derive(Clone, Debug)]
pub struct Badge {
    /// Hidden formula holding the condition that makes it green.
    pub ok: String,
    /// The text while the condition holds (live).
    pub good: Text,
    /// The text while it does not (live).
    pub bad: Text,
}

/// One status level.
#[derive(Clone, Debug)]
pub struct Level {
    /// Hidden formula holding the condition, if any.
    pub when: Option<String>,
    /// The status word.
    pub label: String,
    /// Colour role.
    pub tone: Tone,
    /// Explanation (live).
    pub note: Option<Text>,
}

/// The chart kinds labgen draws.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlotKind {
    /// One stacked horizontal bar.
    Timeline,
    /// Side-by-side vertical bars.
    Bars,
    /// Lines over a control's range, with markers and guides.
    Curves,
    /// One line per option of a select control, plateaus marked.
    Saturation,
    /// A dial with coloured bands.
    Gauge,
    /// Polygons on radial axes.
    Radar,
    /// Steps that add up to a total.
    Waterfall,
    /// Flows between nodes in columns.
    Sankey,
}

impl PlotKind {
    /// Every kind with its YAML name.
    pub const ALL: [(PlotKind, &'static str); 8] = [
        (PlotKind::Timeline, "timeline"),
        (PlotKind::Bars, "bars"),
        (PlotKind::Curves, "curves"),
        (PlotKind::Saturation, "saturation"),
        (PlotKind::Gauge, "gauge"),
        (PlotKind::Radar, "radar"),
        (PlotKind::Waterfall, "waterfall"),
        (PlotKind::Sankey, "sankey"),
    ];

    /// The YAML name.
    pub fn name(self) -> &'static str {
        PlotKind::ALL
            .iter()
            .find(|(k, _)| *k == self)
            .map_or("plot", |(_, n)| n)
    }
}

/// The x axis of a curves or saturation plot: a control swept over its range.
#[derive(Clone, Debug)]
pub struct CurveSpec {
    /// The control along x.
    pub over: String,
    /// Where `over` was written.
    pub over_loc: Location,
    /// A select control drawn as one line per option (saturation plots).
    pub per: Option<(String, Location)>,
    /// Points per line.
    pub samples: usize,
    /// The x axis title, without its unit.
    pub x_label: String,
    /// The x axis unit.
    pub x_display: Display,
    /// Where the x unit was written.
    pub x_unit_loc: Option<Location>,
    /// Whether x is on a log10 scale.
    pub x_log: bool,
    /// Whether y is on a log10 scale.
    pub y_log: bool,
    /// Points marked on lines.
    pub markers: Vec<MarkerSpec>,
    /// Vertical lines.
    pub guides: Vec<GuideSpec>,
}

/// How a marker is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarkerStyle {
    /// A filled dot: a minimum or maximum.
    Optimum,
    /// A ring with a line down to the x axis.
    Crossover,
    /// A dot with a line across to the y axis.
    Point,
}

/// A point on a line at x = a model value.
#[derive(Clone, Debug)]
pub struct MarkerSpec {
    /// The model value giving x.
    pub at: String,
    /// Where it was written.
    pub at_loc: Location,
    /// The series whose line it sits on; `None` for the first.
    pub series: Option<(String, Location)>,
    /// Its label (live).
    pub label: Text,
    /// How it is drawn.
    pub style: MarkerStyle,
    /// Colour role; `None` for the line's.
    pub tone: Option<Tone>,
}

/// A vertical line at x = a model value.
#[derive(Clone, Debug)]
pub struct GuideSpec {
    /// The model value giving x.
    pub at: String,
    /// Where it was written.
    pub at_loc: Location,
    /// Its label (live).
    pub label: Text,
    /// Colour role.
    pub tone: Option<Tone>,
}

/// A Sankey node.
#[derive(Clone, Debug)]
pub struct NodeSpec {
    /// Label.
    pub label: String,
    /// Column, from the left.
    pub column: usize,
    /// Colour role.
    pub tone: Option<Tone>,
}

/// A Sankey flow between two nodes (indices into the nodes).
#[derive(Clone, Debug)]
pub struct FlowSpec {
    /// Source node.
    pub from: usize,
    /// Target node.
    pub to: usize,
    /// The model value giving its size.
    pub value: String,
    /// Where it was written.
    pub loc: Location,
    /// Colour role.
    pub tone: Option<Tone>,
}

/// What a plot kind needs beyond a title and series.
#[derive(Clone, Debug)]
pub enum PlotDetail {
    /// Timelines and bars: the series only.
    Plain,
    /// Curves and saturation plots.
    Curves(CurveSpec),
    /// A gauge: one value between two ends, with coloured bands.
    Gauge {
        /// The value shown.
        value: String,
        /// Where it was written.
        loc: Location,
        /// The ends and band limits as written.
        min: Quantity,
        /// Upper end.
        max: Quantity,
        /// Bands: upper limit and colour.
        bands: Vec<(Quantity, Tone)>,
        /// Where the ends were written, for unit errors.
        range_loc: Location,
    },
    /// A radar: one axis per label; each series gives one value per axis.
    Radar {
        /// Axis labels.
        axes: Vec<String>,
        /// Whether radii are on a log10 scale.
        log: bool,
    },
    /// A waterfall: the series add up; an optional total bar.
    Waterfall {
        /// The total bar's label.
        total: Option<String>,
    },
    /// A Sankey diagram.
    Sankey {
        /// Nodes.
        nodes: Vec<NodeSpec>,
        /// Flows.
        flows: Vec<FlowSpec>,
    },
}

/// A chart declaration.
#[derive(Clone, Debug)]
pub struct PlotSpec {
    /// Kind of chart.
    pub kind: PlotKind,
    /// Title (live).
    pub title: Text,
    /// Unit of the value axis.
    pub display: Display,
    /// Value axis label, without the unit.
    pub axis: String,
    /// Bars, segments, lines or polygons.
    pub series: Vec<SeriesSpec>,
    /// What the kind needs beyond that.
    pub detail: PlotDetail,
    /// Where the plot was declared.
    pub loc: Location,
}

/// One bar or segment.
#[derive(Clone, Debug)]
pub struct SeriesSpec {
    /// Name of the value.
    pub value: String,
    /// Where the name was written.
    pub loc: Location,
    /// Legend label.
    pub label: String,
    /// Colour role; `None` picks by position.
    pub tone: Option<Tone>,
    /// Drawn as a dashed line (curves).
    pub dashed: bool,
    /// A radar polygon's values, one per axis (with where each was written).
    pub values: Vec<(String, Location)>,
}

/// The MathPeek panel.
#[derive(Clone, Debug)]
pub struct MathPeek {
    /// Summary line of the disclosure.
    pub title: String,
    /// The governing equation in LaTeX.
    pub latex: Source,
    /// Symbol definitions (pinned).
    pub where_: Option<Text>,
    /// Worked example (live).
    pub example: Option<Text>,
    /// The model and its assumptions: what the equation idealises and why (pinned).
    pub assumptions: Option<Text>,
    /// Worked examples generated from formulas.
    pub worked: Vec<Worked>,
}

/// A worked example generated from a formula's expression.
#[derive(Clone, Debug)]
pub struct Worked {
    /// The formula.
    pub formula: String,
    /// Where it is named.
    pub loc: Location,
    /// Scenarios to work it at; empty for the current settings.
    pub at: Vec<usize>,
}

/// Loads every `*.yaml` / `*.yml` mission under `dir` (relative paths in
/// messages are taken against `root`), in file-name order so builds are
/// deterministic.
pub fn load_all(root: &Path, dir: &Path) -> (Vec<Mission>, Diagnostics) {
    let (missions, _, diags) = load_book(root, dir);
    (missions, diags)
}

/// Like [`load_all`], also returning the shared constants registry
/// (`constants.yaml` at the top of the missions folder; empty if absent).
pub fn load_book(root: &Path, dir: &Path) -> (Vec<Mission>, Vec<Constant>, Diagnostics) {
    let mut diags = Diagnostics::new();
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(|entry| match entry {
            Ok(e) => Some(e),
            Err(err) => {
                diags.push(Diagnostic::error(
                    Some(Location::file(crate::diag::relative_to(dir, root))),
                    format!("cannot list the missions folder: {err}"),
                ));
                None
            }
        })
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")))
        .collect();
    files.sort();
    // The registry is not a mission.
    let registry_path = dir.join(REGISTRY_FILE);
    files.retain(|p| *p != registry_path);
    let shared = if registry_path.is_file() {
        load_registry(root, &registry_path, &mut diags)
    } else {
        Vec::new()
    };
    if files.is_empty() {
        diags.push(
            Diagnostic::error(
                Some(Location::file(crate::diag::relative_to(dir, root))),
                "the missions folder holds no .yaml files",
            )
            .with_hint("add a mission plan such as missions/my-lab.yaml (see the README)"),
        );
    }
    let mut missions = Vec::new();
    for path in files {
        let rel = crate::diag::relative_to(&path, root);
        match std::fs::read_to_string(&path) {
            Ok(source) => match parse(&rel, source, &shared) {
                Ok((m, d)) => {
                    diags.extend(d);
                    if let Some(m) = m {
                        missions.push(m);
                    }
                }
                Err(d) => diags.push(d),
            },
            Err(e) => diags.push(Diagnostic::error(
                Some(Location::file(&rel)),
                format!("cannot read the file: {e}"),
            )),
        }
    }
    // Ids become file names and URLs: they must be unique across the book.
    for (i, m) in missions.iter().enumerate() {
        if let Some(first) = missions[..i].iter().find(|o| o.id == m.id) {
            diags.push(
                Diagnostic::error(
                    Some(Location::file(&m.file)),
                    format!(
                        "mission id `{}` is already used by {}",
                        m.id,
                        first.file.display()
                    ),
                )
                .with_hint("give every mission a unique `id`"),
            );
        }
    }
    (missions, shared, diags)
}

/// Parses and validates one mission file's text, with the book's shared
/// constants. YAML errors stop this file (the parser cannot go on);
/// semantic problems are all collected.
pub fn parse(
    file: &Path,
    source: String,
    shared: &[Constant],
) -> Result<(Option<Mission>, Diagnostics), Diagnostic> {
    let raw: raw::RawMission = serde_saphyr::from_str(&source).map_err(|e| yaml_error(file, &e))?;
    Ok(validate(file, &source, raw, shared))
}

/// Reads the shared constants registry, if the missions folder has one.
fn load_registry(root: &Path, path: &Path, diags: &mut Diagnostics) -> Vec<Constant> {
    let rel = crate::diag::relative_to(path, root);
    let source = match std::fs::read_to_string(path) {
        Ok(s) => s,
        Err(e) => {
            diags.push(Diagnostic::error(
                Some(Location::file(&rel)),
                format!("cannot read the file: {e}"),
            ));
            return Vec::new();
        }
    };
    match serde_saphyr::from_str::<raw::RawRegistry>(&source) {
        Ok(raw) => {
            let (constants, d) = registry(&rel, &raw);
            diags.extend(d);
            constants
        }
        Err(e) => {
            let mut d = yaml_error(&rel, &e);
            if d.message.starts_with("unknown field") {
                d.hint = Some(format!("{REGISTRY_FILE} holds only a `constants:` list, written like a mission's constants"));
            }
            diags.push(d);
            Vec::new()
        }
    }
}

/// Turns a YAML parser error into a located diagnostic with a hint.
fn yaml_error(file: &Path, e: &serde_saphyr::Error) -> Diagnostic {
    let (line, column) = e
        .location()
        .map(|l| (l.line() as usize, l.column() as usize))
        .unwrap_or((1, 1));
    let mut message = saphyr_message(&e.to_string());
    // serde-saphyr repeats the position inside some messages; labgen prints its own.
    if let Some(i) = message.find(" at line ") {
        message.truncate(i);
    }
    if message.starts_with("duplicate") || message.contains("DuplicateKeyPolicy") {
        let key = message.strip_prefix("duplicate mapping key: ").map_or_else(
            || "this key".to_string(),
            |k| format!("key `{}`", k.split(',').next().unwrap_or(k).trim()),
        );
        return Diagnostic::error(
            Some(Location::new(file, line, column)),
            format!("{key} is written twice in the same mapping"),
        )
        .with_hint("remove one of the two entries");
    }
    if message.starts_with("unexpected end of input") && line == 1 && column == 1 {
        return Diagnostic::error(
            Some(Location::new(file, line, column)),
            "the mission file is empty",
        )
        .with_hint("a mission needs at least `id`, `title` and `acts`; see the README");
    }
    if message.starts_with("non-finite float") {
        return Diagnostic::error(
            Some(Location::new(file, line, column)),
            "this number is too large",
        )
        .with_hint("numbers must be below about 1.8e308");
    }
    let hint = if message.starts_with("unknown field") {
        "remove the key or fix its spelling; the README lists every key a mission accepts"
    } else if message.starts_with("unknown variant") {
        "instruments are written as `- metric: {...}`, `- status: {...}`, `- plot: {...}` or `- banner: {...}`"
    } else if message.starts_with("missing field") {
        "add the key; the README's mission reference shows which keys are required"
    } else {
        "check the YAML syntax near this position (indentation, quotes, brackets)"
    };
    Diagnostic::error(Some(Location::new(file, line, column)), message).with_hint(hint)
}

/// The bare message of a serde-saphyr error, without its position prefix
/// and source excerpt (labgen prints its own position).
fn saphyr_message(rendered: &str) -> String {
    let first = rendered.lines().next().unwrap_or("").trim();
    let first = first.strip_prefix("error: ").unwrap_or(first);
    // "line 3 column 1: message"
    if let Some(rest) = first.strip_prefix("line ") {
        if let Some(idx) = rest.find(": ") {
            return rest[idx + 2..].to_string();
        }
    }
    first.to_string()
}

impl Text {
    /// The location of byte `at` of this text inside its file.
    ///
    /// Block scalars and quotes shift positions, but the words are
    /// verbatim: the text at `at` (up to the end of its line) is the k-th
    /// occurrence of that run in the text, and so the k-th occurrence in
    /// the file from where the scalar starts.
    pub fn locate(&self, source: &str, at: usize) -> Location {
        let mut start = at.min(self.src.len());
        while !self.src.is_char_boundary(start) {
            start -= 1;
        }
        let needle = self.src[start..].lines().next().unwrap_or("");
        let (Some(base), false) = (self.offset, needle.is_empty()) else {
            return self.loc.clone();
        };
        if base > source.len() || !source.is_char_boundary(base) {
            return self.loc.clone();
        }
        let k = self.src[..start].matches(needle).count();
        let mut from = base;
        for i in 0..=k {
            match source[from..].find(needle) {
                Some(found) if i == k => {
                    let (line, column) = line_column(source, from + found);
                    return Location::new(&self.loc.file, line, column);
                }
                Some(found) => from += found + needle.len().max(1),
                None => break,
            }
        }
        self.loc.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_the_right_occurrence_in_a_block_scalar() {
        let source = "a: 1\nstory: |\n  uses {{ size }} here\n  and {{ size without end\n";
        let text = Text {
            src: "uses {{ size }} here\nand {{ size without end\n".to_string(),
            loc: Location::new("m.yaml", 3, 3),
            offset: source.find("uses"),
        };
        let second = text.src.rfind("{{ size").unwrap();
        assert_eq!(text.locate(source, second), Location::new("m.yaml", 4, 7));
        assert_eq!(text.locate(source, 5), Location::new("m.yaml", 3, 8));
    }

    #[test]
    fn strips_saphyr_position_prefix() {
        assert_eq!(
            saphyr_message(
                "error: line 3 column 1: unknown field `bogus`, expected one of id\n1 | x"
            ),
            "unknown field `bogus`, expected one of id"
        );
    }
}
