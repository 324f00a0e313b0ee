//! An act and the parts it is made of: questions, tasks, stakeholder
//! messages, the simulator and its instruments, the MathPeek panel.

use super::{Display, Location, PlotSpec, Quantity, Source, Text, Tone};

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
