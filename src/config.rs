//! `book.toml`: the book's metadata and where its inputs and outputs live.
//!
//! Parsed once into a [`Config`]; unknown keys and wrong types are errors
//! located at their line and column, like every other input problem.

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
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawHtml {}

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
    // An absent [output] table means the default set; a present one lists
    // exactly the renderers to run, as in mdBook.
    let outputs = match raw.output {
        None => Outputs { html: true },
        Some(o) => Outputs {
            html: o.html.is_some(),
        },
    };
    if !outputs.html {
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
    Ok(Config {
        book: raw.book,
        missions: PathBuf::from(missions),
        output: PathBuf::from(raw.build.output.into_inner()),
        outputs,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root() -> PathBuf {
        // The crate root has a `missions` folder.
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
    }

    #[test]
    fn reads_defaults() {
        let c = parse("[book]\ntitle = \"T\"\n", &root()).unwrap();
        assert_eq!(c.book.title, "T");
        assert_eq!(c.book.language, "en");
        assert_eq!(c.missions, PathBuf::from("missions"));
        assert_eq!(c.output, PathBuf::from("book"));
        assert!(c.outputs.html);
    }

    #[test]
    fn unknown_key_is_located() {
        let e = parse("[book]\ntitle = \"T\"\ntitel = \"x\"\n", &root()).unwrap_err();
        assert_eq!(e.location, Some(Location::new(CONFIG_FILE, 3, 1)), "{e}");
        assert!(e.message.contains("unknown field `titel`"), "{}", e.message);
    }

    #[test]
    fn wrong_type_is_located() {
        let e = parse("[book]\nauthors = \"me\"\n", &root()).unwrap_err();
        assert_eq!(e.location, Some(Location::new(CONFIG_FILE, 2, 11)), "{e}");
    }

    #[test]
    fn empty_output_table_is_an_error() {
        let e = parse("[book]\ntitle = \"T\"\n[output]\n", &root()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "book.toml:3:1: error: [output] names no output, so the build would write an empty book\n  help: add `[output.html]`, or remove the [output] table to get the default outputs"
        );
    }

    #[test]
    fn missing_missions_folder_is_located() {
        let e = parse("[build]\nmissions = \"nowhere\"\n", &root()).unwrap_err();
        assert_eq!(
            e.to_string().lines().next().unwrap(),
            "book.toml:2:12: error: the missions folder `nowhere` does not exist"
        );
    }
}
