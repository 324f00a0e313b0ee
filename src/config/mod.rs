//! `book.toml`: the book's metadata and where its inputs and outputs live.
//!
//! Parsed once into a [`Config`]; unknown keys and wrong types are errors
//! located at their line and column, like every other input problem.
//!
//! Besides the book's metadata and folders, it says which outputs to write
//! (`[output.html]`, with `exam = true` for a book without answers, and
//! `[output.keys]` for the teacher's answer keys) and how `labgen grade`
//! scores a student ledger (`[grading]`). The grading scheme is copied into
//! the keys' `answers.json`, so grading needs only the key.

use crate::diag::{line_column, Diagnostic, Diagnostics, Location};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The name of the configuration file at the book root.
pub const CONFIG_FILE: &str = "book.toml";

/// The validated configuration of one book.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// Book metadata.
    pub book: BookMeta,
    /// The missions folder, relative to the root.
    pub missions: PathBuf,
    /// The output folder, relative to the root (or absolute).
    pub output: PathBuf,
    /// Which outputs to write.
    pub outputs: Outputs,
    /// How `labgen grade` scores ledgers; written into `answers.json`.
    pub grading: Grading,
    /// The build's date as Unix seconds, from the `SOURCE_DATE_EPOCH`
    /// environment variable (the reproducible-builds convention); the PDFs
    /// carry a date only when it is set, so builds repeat byte for byte.
    pub source_date_epoch: Option<i64>,
}

/// Title page facts.
#[derive(Clone, Debug, PartialEq, Deserialize, serde::Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct BookMeta {
    /// The book's title.
    pub title: String,
    /// One line under the title.
    pub description: String,
    /// Authors, in the order they should appear.
    pub authors: Vec<String>,
    /// BCP 47 language tag for `<html lang>`.
    pub language: String,
}

impl Default for BookMeta {
    fn default() -> Self {
        BookMeta {
            title: "Lab Book".to_string(),
            description: String::new(),
            authors: Vec::new(),
            language: "en".to_string(),
        }
    }
}

/// Output sections: which renderers run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outputs {
    /// The student HTML book.
    pub html: bool,
    /// Exam mode (`[output.html] exam = true`): the student book carries no
    /// correct answers and no feedback in any of its files.
    pub exam: bool,
    /// The teacher's answer keys, written to their own folder.
    pub keys: Option<KeysOutput>,
    /// The PDF editions (`[output.pdf]`): the lab book into the book's
    /// folder and, with the keys, the key into the keys folder.
    pub pdf: bool,
}

/// `[output.keys]`: where the answer keys go.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct KeysOutput {
    /// The keys folder, relative to the book root (or absolute). `None`
    /// puts it next to the book's output folder, as `keys`.
    pub path: Option<PathBuf>,
}

/// How a question (prediction or reflection) is scored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum QuestionScoring {
    /// Any valid answer scores 1: predictions are about committing to a
    /// guess before seeing the model, not about being right.
    Engagement,
    /// The correct option scores 1, any other 0.
    Correctness,
}

/// How a numeric answer is scored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum NumericScoring {
    /// A value within the item's tolerance scores 1, any other 0.
    Tolerance,
    /// Any finite value scores 1.
    Engagement,
}

/// Points per kind of item; a weight multiplies every item of its kind.
#[derive(Clone, Copy, Debug, PartialEq, Deserialize, serde::Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Weights {
    /// Weight of each prediction.
    pub prediction: f64,
    /// Weight of each reflection.
    pub reflection: f64,
    /// Weight of each graded numeric answer.
    pub numeric: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            prediction: 1.0,
            reflection: 1.0,
            numeric: 1.0,
        }
    }
}

/// How far a numeric answer may be from the key's value. An answer passes
/// when it is within either bound: `|answer - value| <= max(relative *
/// |value|, absolute)`.
#[derive(Clone, Copy, Debug, PartialEq, Deserialize, serde::Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Tolerance {
    /// A fraction of the value (0.02 is 2%).
    pub relative: f64,
    /// An amount in the item's displayed unit.
    pub absolute: f64,
}

impl Default for Tolerance {
    fn default() -> Self {
        Tolerance {
            relative: 0.02,
            absolute: 0.0,
        }
    }
}

/// `[grading]`: the scoring scheme of `labgen grade`.
#[derive(Clone, Debug, PartialEq, Deserialize, serde::Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Grading {
    /// How predictions score (default: engagement).
    pub prediction: QuestionScoring,
    /// How reflections score (default: correctness).
    pub reflection: QuestionScoring,
    /// How numeric answers score (default: tolerance).
    pub numeric: NumericScoring,
    /// Points per item of each kind.
    pub weights: Weights,
    /// The default tolerance of numeric items.
    pub tolerance: Tolerance,
}

impl Default for Grading {
    fn default() -> Self {
        Grading {
            prediction: QuestionScoring::Engagement,
            reflection: QuestionScoring::Correctness,
            numeric: NumericScoring::Tolerance,
            weights: Weights::default(),
            tolerance: Tolerance::default(),
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    #[serde(default)]
    book: BookMeta,
    #[serde(default)]
    build: RawBuild,
    #[serde(default)]
    output: Option<RawOutput>,
    #[serde(default)]
    grading: Option<toml::Spanned<Grading>>,
}

#[derive(Deserialize)]
#[serde(default, deny_unknown_fields)]
struct RawBuild {
    missions: toml::Spanned<String>,
    output: toml::Spanned<String>,
}

impl Default for RawBuild {
    fn default() -> Self {
        RawBuild {
            missions: toml::Spanned::new(0..0, "missions".to_string()),
            output: toml::Spanned::new(0..0, "book".to_string()),
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawOutput {
    html: Option<RawHtml>,
    keys: Option<RawKeys>,
    pdf: Option<RawPdf>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawPdf {}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawHtml {
    #[serde(default)]
    exam: bool,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawKeys {
    path: Option<String>,
}

/// Reads and validates `book.toml` in `root`.
///
/// A missing file is an error: labgen needs to know it is looking at a book.
pub fn load(root: &Path) -> Result<Config, Diagnostics> {
    let path = root.join(CONFIG_FILE);
    let mut diags = Diagnostics::new();
    let source = match std::fs::read_to_string(&path) {
        Ok(s) => s,
        Err(e) => {
            diags.push(
                Diagnostic::error(
                    Some(Location::file(CONFIG_FILE)),
                    format!("cannot read {CONFIG_FILE}: {e}"),
                )
                .with_hint(format!(
                    "run labgen in a book folder, or pass --root DIR pointing at one ({} not found)",
                    path.display()
                )),
            );
            return Err(diags);
        }
    };
    parse(&source, root).map_err(|d| {
        let mut all = Diagnostics::new();
        all.push(d);
        all
    })
}

/// Parses the text of a `book.toml` whose folder is `root`.
pub fn parse(source: &str, root: &Path) -> Result<Config, Diagnostic> {
    let raw: RawConfig = toml::from_str(source).map_err(|e| {
        let (line, column) = e
            .span()
            .map(|s| line_column(source, s.start))
            .unwrap_or((1, 1));
        Diagnostic::error(
            Some(Location::new(CONFIG_FILE, line, column)),
            e.message().trim().to_string(),
        )
        .with_hint("see the book.toml section of the README for the accepted keys")
    })?;
    let missions = raw.build.missions.get_ref().clone();
    if !root.join(&missions).is_dir() {
        let span = raw.build.missions.span();
        let (line, column) = if span.is_empty() {
            (1, 1)
        } else {
            line_column(source, span.start)
        };
        return Err(Diagnostic::error(
            Some(Location::new(CONFIG_FILE, line, column)),
            format!("the missions folder `{missions}` does not exist"),
        )
        .with_hint("create it, or set `missions` under [build] to the folder holding the mission YAML files"));
    }
    // An absent [output] table means the default set (the book and its
    // keys); a present one lists exactly the renderers to run, as in mdBook.
    let outputs = match raw.output {
        None => Outputs {
            html: true,
            exam: false,
            keys: Some(KeysOutput::default()),
            pdf: cfg!(feature = "pdf"),
        },
        Some(o) => Outputs {
            html: o.html.is_some(),
            exam: o.html.as_ref().is_some_and(|h| h.exam),
            keys: o.keys.map(|k| KeysOutput {
                path: k.path.map(PathBuf::from),
            }),
            pdf: o.pdf.is_some(),
        },
    };
    if outputs.pdf && !cfg!(feature = "pdf") {
        let line = source
            .lines()
            .position(|l| l.trim() == "[output.pdf]")
            .map_or(1, |i| i + 1);
        return Err(Diagnostic::error(
            Some(Location::new(CONFIG_FILE, line, 1)),
            "this labgen was built without PDF support, so it cannot write `[output.pdf]`",
        )
        .with_hint(
            "remove `[output.pdf]`, or build labgen with its default features (`cargo build`)",
        ));
    }
    if !outputs.html && outputs.keys.is_none() && !outputs.pdf {
        let line = source
            .lines()
            .position(|l| l.trim_start().starts_with("[output"))
            .map_or(1, |i| i + 1);
        return Err(Diagnostic::error(
            Some(Location::new(CONFIG_FILE, line, 1)),
            "[output] names no output, so the build would write an empty book",
        )
        .with_hint(
            "add `[output.html]`, or remove the [output] table to get the default outputs",
        ));
    }
    let grading = match raw.grading {
        Some(g) => {
            let (line, column) = line_column(source, g.span().start);
            let g = g.into_inner();
            check_grading(&g).map_err(|m| {
                Diagnostic::error(Some(Location::new(CONFIG_FILE, line, column)), m).with_hint(
                    "weights and tolerances are numbers of 0 or more; a relative tolerance is at most 1 (100%)",
                )
            })?;
            g
        }
        None => Grading::default(),
    };
    Ok(Config {
        book: raw.book,
        missions: PathBuf::from(missions),
        output: PathBuf::from(raw.build.output.into_inner()),
        outputs,
        grading,
        source_date_epoch: source_date_epoch(),
    })
}

/// `SOURCE_DATE_EPOCH` as whole seconds, if set and valid.
fn source_date_epoch() -> Option<i64> {
    std::env::var("SOURCE_DATE_EPOCH").ok()?.trim().parse().ok()
}

/// The numbers of a scheme must make sense: a negative weight would take
/// points away for an answer, and a NaN would make every total NaN.
fn check_grading(g: &Grading) -> Result<(), String> {
    let numbers = [
        ("weights.prediction", g.weights.prediction),
        ("weights.reflection", g.weights.reflection),
        ("weights.numeric", g.weights.numeric),
        ("tolerance.relative", g.tolerance.relative),
        ("tolerance.absolute", g.tolerance.absolute),
    ];
    for (name, v) in numbers {
        if !v.is_finite() || v < 0.0 {
            return Err(format!(
                "[grading] {name} must be a number of 0 or more, not {v}"
            ));
        }
    }
    if g.tolerance.relative > 1.0 {
        return Err(format!(
            "[grading] tolerance.relative is {}, more than 1 (100%)",
            g.tolerance.relative
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests;
