//! The validated mission: what every later stage reads.
//!
//! These types hold their invariants (ids resolved to indices, quantities
//! parsed to base units); they are built only by [`super::validate()`].
//! Acts and what they show live in [`act`], chart declarations in [`plot`].

mod act;
mod plot;

pub use act::*;
pub use plot::*;

use crate::diag::{line_column, Location};
use crate::format::DisplayUnit;
use crate::units::{Dim, Quantity};
use std::path::PathBuf;

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
        status_levels(&self.acts, id)
    }
}

/// The levels of the status instrument with id `id` among `acts`: for a
/// mission, and for its claims while it is being checked.
pub(super) fn status_levels<'a>(acts: &'a [Act], id: &str) -> Option<&'a [Level]> {
    acts.iter()
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
}
