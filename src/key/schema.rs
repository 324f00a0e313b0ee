//! The answer key as data: the shape of `answers.json`, declared once.
//!
//! `labgen build` serializes these types and `labgen grade` deserializes the
//! same ones, so the writer and the reader cannot drift apart. Reading is
//! lenient where grading allows it: unknown fields are ignored and the fields
//! grading does not need have defaults, so keys can grow without breaking
//! `labgen grade`. A value of the wrong type is reported as `expected struct
//! Key` (`KeyLab`, …), the words `labgen grade` has always used.

use crate::config::Tolerance;
use serde::{Deserialize, Serialize};

/// The whole book's key: the shape of `answers.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(expecting = "struct Key")]
pub struct BookKey {
    /// Always [`super::SCHEMA`].
    pub schema: String,
    /// [`crate::book::book_version`] of the missions.
    pub book_version: String,
    /// The labgen that wrote it.
    #[serde(default)]
    pub generator: String,
    /// The book's title.
    #[serde(default)]
    pub title: String,
    /// The scoring scheme from `book.toml`.
    #[serde(default)]
    pub grading: crate::config::Grading,
    /// One entry per lab, in book order.
    pub labs: Vec<LabKey>,
}

/// One lab's key.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(expecting = "struct KeyLab")]
pub struct LabKey {
    /// Mission id.
    pub id: String,
    /// Lab title.
    pub title: String,
    /// Chapter, if any.
    pub chapter: Option<String>,
    /// The student page, relative to the book folder.
    #[serde(default)]
    pub page: String,
    /// The tracks, in order; the first is the page's default.
    pub tracks: Vec<TrackKey>,
    /// Every prediction and reflection, in page order.
    pub questions: Vec<QuestionKey>,
    /// Numeric items: every value the questions quote, per track.
    #[serde(default)]
    pub numeric: Vec<NumericItem>,
    /// The answer table of each act with a simulator.
    #[serde(default)]
    pub tables: Vec<TableKey>,
}

/// A track's id and label.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(expecting = "struct KeyTrack")]
pub struct TrackKey {
    /// Track id (`default` for a lab without tracks).
    pub id: String,
    /// Label on the selector.
    pub label: String,
}

/// A prediction lock or a reflection.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(expecting = "struct KeyQuestion")]
pub struct QuestionKey {
    /// `<act id>.prediction` or `<act id>.reflection`.
    pub id: String,
    /// The act id.
    pub act: String,
    /// The act's title.
    #[serde(default)]
    pub act_title: String,
    /// The act's number on the page, from 1.
    #[serde(default)]
    pub act_number: usize,
    /// `prediction` or `reflection`.
    pub kind: String,
    /// The correct option's key.
    pub correct: String,
    /// Every option key, in order.
    pub options: Vec<String>,
    /// The question as each track shows it.
    #[serde(default)]
    pub tracks: Vec<QuestionText>,
}

/// A question's text on one track (pinned values filled in).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QuestionText {
    /// Track id.
    pub track: String,
    /// The prompt, as Markdown.
    pub prompt: String,
    /// The options in order.
    pub options: Vec<OptionText>,
}

/// One option on one track.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(expecting = "struct KeyNumeric")]
pub struct NumericItem {
    /// `<act id>.<name>`, plus `@<scenario>` for a scenario value; unique
    /// per track within the lab.
    pub id: String,
    /// The act whose questions quote it.
    #[serde(default)]
    pub act: String,
    /// The formula, constant or control.
    #[serde(default)]
    pub name: String,
    /// Its label.
    #[serde(default)]
    pub label: String,
    /// Track id.
    pub track: String,
    /// The value in `unit`, unrounded.
    pub value: f64,
    /// The displayed unit's label (`min`, `GB/s`, `%`, `$`, or empty).
    #[serde(default)]
    pub unit: String,
    /// The value as the page shows it (`67 minutes`).
    #[serde(default)]
    pub text: String,
    /// How far an answer may be from `value`.
    pub tolerance: Tolerance,
    /// `pinned` (quoted at the track's default state), `scenario` (at a
    /// named scenario) or `task` (asked as a numeric task).
    #[serde(default)]
    pub source: String,
    /// The scenario id, for `source: scenario`.
    pub scenario: Option<String>,
    /// Whether `labgen grade` scores it. Quoted values are reference values
    /// for the teacher (and for Moodle): students are not asked to type
    /// them, so they are not graded.
    #[serde(default)]
    pub graded: bool,
}

/// An act's answer table: where its CSV is and a summary per track.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TableKey {
    /// Act id.
    pub act: String,
    /// The CSV, relative to the keys folder; `None` when the table has more
    /// than [`super::MAX_TABLE_ROWS`] rows.
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
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ColumnKey {
    /// The CSV header.
    pub header: String,
    /// `value`, `status` or `banner`.
    pub kind: String,
    /// The value's name, for `value` columns.
    pub name: Option<String>,
    /// The unit of every number in the column.
    pub unit: String,
}

/// An answer table's summary on one track.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrackSummary {
    /// Track id.
    pub track: String,
    /// One entry per column, in column order.
    pub columns: Vec<ColumnSummary>,
}

/// A column on one track: the default state and the range over the grid.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
