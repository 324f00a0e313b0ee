//! Located diagnostics: what went wrong, where, and how to fix it.
//!
//! Every stage collects problems into a [`Diagnostics`] list instead of
//! stopping at the first one, so an author sees everything wrong with their
//! book in one run. The library never prints; `main` renders the list.

pub mod suggest;

pub use suggest::did_you_mean;

use std::fmt;
use std::path::{Path, PathBuf};

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The build cannot go on; exit code 1.
    Error,
    /// The book builds, but the author should look.
    Warning,
}

/// A position in an input file, 1-based, counted in characters.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    /// The file, relative to the book root where possible.
    pub file: PathBuf,
    /// Line, starting at 1.
    pub line: usize,
    /// Column, starting at 1.
    pub column: usize,
}

impl Location {
    /// A location in `file` at `line`:`column`.
    pub fn new(file: impl Into<PathBuf>, line: usize, column: usize) -> Self {
        Location {
            file: file.into(),
            line,
            column,
        }
    }

    /// The start of a file, for problems that concern the whole file.
    pub fn file(file: impl Into<PathBuf>) -> Self {
        Location::new(file, 1, 1)
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Forward slashes on every platform so messages (and tests) read the same.
        let file = self.file.to_string_lossy().replace('\\', "/");
        write!(f, "{}:{}:{}", file, self.line, self.column)
    }
}

/// One problem found in the input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Where the problem is, when it can be pinned to a place.
    pub location: Option<Location>,
    /// What is wrong, in one sentence without a trailing period.
    pub message: String,
    /// How to fix it, when there is something useful to say.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error at `location`.
    pub fn error(location: Option<Location>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            location,
            message: message.into(),
            hint: None,
        }
    }

    /// A warning at `location`.
    pub fn warning(location: Option<Location>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(location, message)
        }
    }

    /// The same diagnostic with a hint on how to fix it.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The same diagnostic with an optional hint.
    pub fn with_hint_opt(mut self, hint: Option<String>) -> Self {
        self.hint = hint;
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(location) = &self.location {
            write!(f, "{location}: ")?;
        }
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{kind}: {}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  help: {hint}")?;
        }
        Ok(())
    }
}

/// An ordered collection of diagnostics from one run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }

    /// One internal error: a bug in labgen, not in the book (the command
    /// line exits with code 2 for these).
    pub fn internal(message: impl std::fmt::Display) -> Self {
        let mut d = Diagnostics::new();
        d.push(Diagnostic::error(
            None,
            format!("internal error: {message}"),
        ));
        d
    }

    /// Adds one diagnostic.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Adds all diagnostics of another list.
    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    /// Whether any error (not just warnings) was recorded.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The diagnostics, sorted by file, line and column so output is stable
    /// whatever order the stages found them in.
    pub fn sorted(&self) -> Vec<&Diagnostic> {
        let mut items: Vec<&Diagnostic> = self.items.iter().collect();
        items.sort_by(|a, b| {
            (a.location.as_ref(), a.severity, &a.message).cmp(&(
                b.location.as_ref(),
                b.severity,
                &b.message,
            ))
        });
        items.dedup();
        items
    }

    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.sorted()
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// Number of warnings.
    pub fn warning_count(&self) -> usize {
        self.sorted()
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count()
    }

    /// Iterates in insertion order.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in self.sorted() {
            writeln!(f, "{d}")?;
        }
        Ok(())
    }
}

/// Turns a path into one relative to `root` for messages, falling back to
/// the path as given.
pub fn relative_to(path: &Path, root: &Path) -> PathBuf {
    path.strip_prefix(root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}

/// The 1-based line and column (in characters) of a byte offset in `source`.
pub fn line_column(source: &str, byte_offset: usize) -> (usize, usize) {
    let mut offset = byte_offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_location_message_and_hint() {
        let d = Diagnostic::error(
            Some(Location::new("missions/x.yaml", 12, 7)),
            "unknown name `workerz`",
        )
        .with_hint("did you mean `workers`?");
        assert_eq!(
            d.to_string(),
            "missions/x.yaml:12:7: error: unknown name `workerz`\n  help: did you mean `workers`?"
        );
    }

    #[test]
    fn line_column_counts_characters() {
        let src = "a: 1\nbé: 2\n";
        assert_eq!(line_column(src, 0), (1, 1));
        assert_eq!(line_column(src, 5), (2, 1));
        // 'é' is two bytes but one column.
        assert_eq!(line_column(src, 9), (2, 4));
    }

    #[test]
    fn sorted_orders_by_location_and_dedups() {
        let mut ds = Diagnostics::new();
        ds.push(Diagnostic::error(Some(Location::new("b.yaml", 1, 1)), "x"));
        ds.push(Diagnostic::error(Some(Location::new("a.yaml", 2, 1)), "y"));
        ds.push(Diagnostic::error(Some(Location::new("a.yaml", 2, 1)), "y"));
        let out: Vec<String> = ds.sorted().iter().map(|d| d.to_string()).collect();
        assert_eq!(out, vec!["a.yaml:2:1: error: y", "b.yaml:1:1: error: x"]);
        assert_eq!(ds.error_count(), 2);
    }
}
