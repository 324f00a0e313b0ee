//! Command-line tests of the `labgen` binary.
//!
//! Every test copies the fixture book in `tests/fixtures/cli/` (a `book.toml`
//! and one small mission, `missions/mini.yaml`, that uses every part of the
//! schema) into a temporary folder, applies one small textual edit, runs the
//! built binary and checks its exit code (0 ok, 1 bad input, 2 internal
//! error) and its stderr.
//!
//! Diagnostics are compared word for word (`file:line:col`, message, hint and
//! the summary line), so a changed message or location fails a test on
//! purpose: update the expected text together with the message. A few
//! diagnostics are known to be wanting (unclear wording, a location that is
//! not where the mistake is, a cascade of follow-up errors); their tests
//! assert only the parts that are right and say what is wrong in a
//! `WANTING:` comment, so the current text is not set in stone.
//!
//! This file holds help, the happy path, reporting and warnings;
//! `bad_input` has one test per class of bad input, `hostile` the inputs
//! meant to break the parser and the regressions.
//!
//! Line and column numbers refer to the fixture files: edit them together
//! with these files.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::util::{copy_dir, fixture, labgen, Run};

mod bad_input;
mod hostile;

/// The mission file, relative to the book root.
const MISSION: &str = "missions/mini.yaml";

/// The configuration file, relative to the book root.
const CONFIG: &str = "book.toml";

/// The files a build of the fixture writes, relative to the output folder.
const BOOK_FILES: [&str; 5] = [
    ".labgen-output",
    "index.html",
    "mini.html",
    "theme/labgen.css",
    "theme/labgen.js",
];

/// A copy of the fixture book in a temporary folder.
struct Book {
    dir: tempfile::TempDir,
}

impl Book {
    /// Copies the fixture book.
    fn new() -> Book {
        let dir = tempfile::tempdir().expect("a temporary folder");
        copy_dir(&fixture("cli"), dir.path());
        Book { dir }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Replaces the only occurrence of `from` in `file` with `to`. The text
    /// must occur exactly once, so the edit is unambiguous.
    fn edit(&self, file: &str, from: &str, to: &str) -> &Book {
        let path = self.root().join(file);
        let text = fs::read_to_string(&path).expect("a fixture file");
        assert_eq!(
            text.matches(from).count(),
            1,
            "`{from}` must occur exactly once in {file}"
        );
        fs::write(&path, text.replacen(from, to, 1)).expect("the edited file is written");
        self
    }

    /// Replaces the whole of `file`.
    fn write(&self, file: &str, bytes: impl AsRef<[u8]>) -> &Book {
        fs::write(self.root().join(file), bytes).expect("the file is written");
        self
    }

    /// The text of `file`.
    fn read(&self, file: &str) -> String {
        fs::read_to_string(self.root().join(file)).expect("a fixture file")
    }

    /// `labgen check --root ROOT`.
    fn check(&self) -> Run {
        labgen(&["check".as_ref(), "--root".as_ref(), self.root().as_os_str()])
    }

    /// `labgen build --root ROOT`, writing to `ROOT/book`.
    fn build(&self) -> Run {
        labgen(&["build".as_ref(), "--root".as_ref(), self.root().as_os_str()])
    }

    /// `labgen build --root ROOT --out OUT`.
    fn build_into(&self, out: &Path) -> Run {
        labgen(&[
            "build".as_ref(),
            "--root".as_ref(),
            self.root().as_os_str(),
            "--out".as_ref(),
            out.as_os_str(),
        ])
    }

    /// Builds the broken book, which must fail with exit code 1 without
    /// writing anything, and returns the run.
    fn fails(&self) -> Run {
        let run = self.build();
        assert_eq!(run.code, 1, "a bad input exits 1; stderr:\n{}", run.stderr);
        assert!(
            !self.root().join("book").exists(),
            "a failed build writes nothing"
        );
        assert!(
            run.stderr.ends_with("; nothing was written\n"),
            "a failed build ends with the summary line; stderr:\n{}",
            run.stderr
        );
        run
    }
}

/// Every file under `dir` with its bytes, by path relative to `dir`.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for entry in fs::read_dir(dir).expect("a readable folder") {
            let path = entry.expect("a folder entry").path();
            if path.is_dir() {
                walk(base, &path, out);
            } else {
                let rel = path.strip_prefix(base).expect("under base").to_path_buf();
                out.insert(rel, fs::read(&path).expect("a readable file"));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// The relative paths of a snapshot, with forward slashes.
fn names(files: &BTreeMap<PathBuf, Vec<u8>>) -> Vec<String> {
    files
        .keys()
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .collect()
}

/// Asserts that stderr is exactly `expected`.
#[track_caller]
fn assert_stderr(run: &Run, expected: &str) {
    assert!(
        run.stderr == expected,
        "stderr differs.\n--- expected\n{expected}--- actual\n{}---",
        run.stderr
    );
}

/// Asserts that stderr has a line that is exactly `line`.
#[track_caller]
fn assert_line(run: &Run, line: &str) {
    assert!(
        run.stderr.lines().any(|l| l == line),
        "no line\n  {line}\nin stderr:\n{}",
        run.stderr
    );
}

/// Asserts that stderr has a line starting with `prefix`, and returns it.
#[track_caller]
fn line_starting<'a>(run: &'a Run, prefix: &str) -> &'a str {
    run.stderr
        .lines()
        .find(|l| l.starts_with(prefix))
        .unwrap_or_else(|| {
            panic!(
                "no line starting with\n  {prefix}\nin stderr:\n{}",
                run.stderr
            )
        })
}

// ---------------------------------------------------------------------------
// 1. Help
// ---------------------------------------------------------------------------

#[test]
fn help_describes_the_commands() {
    let run = labgen(&["--help".as_ref()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let help = &run.stdout;
    assert!(help.contains("Usage: labgen <COMMAND>"), "{help}");
    assert!(
        help.contains("  build  Build the lab book: read book.toml and the missions, run every state, and write the HTML book"),
        "{help}"
    );
    assert!(
        help.contains("  check  Check the book without writing anything"),
        "{help}"
    );
}

#[test]
fn build_help_lists_root_and_out() {
    let run = labgen(&["build".as_ref(), "--help".as_ref()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let help = &run.stdout;
    assert!(help.contains("Usage: labgen build [OPTIONS]"), "{help}");
    assert!(help.starts_with("Build the lab book"), "{help}");
    assert!(
        help.contains("--root <DIR>  The book folder (holding book.toml) [default: .]"),
        "{help}"
    );
    assert!(
        help.contains("--out <DIR>   Where to write the book"),
        "{help}"
    );
}

#[test]
fn check_help_lists_root_only() {
    let run = labgen(&["check".as_ref(), "--help".as_ref()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let help = &run.stdout;
    assert!(help.contains("Usage: labgen check [OPTIONS]"), "{help}");
    assert!(
        help.starts_with("Check the book without writing anything"),
        "{help}"
    );
    assert!(
        help.contains("--root <DIR>  The book folder (holding book.toml) [default: .]"),
        "{help}"
    );
    assert!(!help.contains("--out"), "check writes nothing: {help}");
}

// ---------------------------------------------------------------------------
// 2. The happy path
// ---------------------------------------------------------------------------

#[test]
fn build_writes_the_book_into_the_configured_folder() {
    let book = Book::new();
    let run = book.build();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.starts_with("built 1 lab(s), ") && run.stderr.contains(" states, 4 files into "),
        "{}",
        run.stderr
    );
    let files = snapshot(&book.root().join("book"));
    assert_eq!(names(&files), BOOK_FILES);
    // The lab page is named after the mission id, and the index links to it.
    let index = String::from_utf8_lossy(&files[Path::new("index.html")]).into_owned();
    assert!(index.contains("Mini Lab Book"), "{index}");
    assert!(index.contains("mini.html"), "{index}");
    let lab = String::from_utf8_lossy(&files[Path::new("mini.html")]).into_owned();
    assert!(lab.contains("Mini Lab"));
    assert!(lab.contains("Moving the Data"));
}

#[test]
fn check_succeeds_and_writes_nothing() {
    let book = Book::new();
    let before = snapshot(book.root());
    let run = book.check();
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.starts_with("checked 1 lab(s), ") && run.stderr.ends_with(": 0 warning(s)\n"),
        "{}",
        run.stderr
    );
    assert_eq!(snapshot(book.root()), before, "check must not write");
}

#[test]
fn building_twice_gives_identical_bytes() {
    let book = Book::new();
    let out = tempfile::tempdir().unwrap();
    assert_eq!(book.build_into(&out.path().join("a")).code, 0);
    assert_eq!(book.build_into(&out.path().join("b")).code, 0);
    let first = snapshot(&out.path().join("a"));
    assert_eq!(names(&first), BOOK_FILES);
    assert!(
        first == snapshot(&out.path().join("b")),
        "two builds of the same book differ"
    );
    // Rebuilding over a previous build gives the same bytes again.
    assert_eq!(book.build_into(&out.path().join("a")).code, 0);
    assert!(
        first == snapshot(&out.path().join("a")),
        "a rebuild differs"
    );
}

#[test]
fn out_writes_elsewhere() {
    let book = Book::new();
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("site");
    let run = book.build_into(&target);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains(&format!(" files into {} in ", target.display())),
        "{}",
        run.stderr
    );
    assert_eq!(names(&snapshot(&target)), BOOK_FILES);
    assert!(
        !book.root().join("book").exists(),
        "--out replaces the configured folder"
    );
}

// ---------------------------------------------------------------------------
// 3. Every problem in one run
// ---------------------------------------------------------------------------

#[test]
fn reports_every_error_sorted_by_position() {
    let book = Book::new();
    // Found in the order controls, tracks, acts; printed in file order.
    book.edit(MISSION, "    default: ssd", "    default: nvme")
        .edit(
            MISSION,
            "      link_bw: 100 MB/s",
            "      link_bww: 100 MB/s",
        )
        .edit(
            MISSION,
            "label: Transfer, tone: bad",
            "label: Transfer, tone: danger",
        );
    assert_stderr(
        &book.fails(),
        "\
missions/mini.yaml:19:7: error: unknown constant `link_bww`
  help: did you mean `link_bw`?
missions/mini.yaml:41:14: error: default `nvme` is not an option key
  help: use one of: hdd, ssd
missions/mini.yaml:99:54: error: unknown tone `danger`
  help: use one of good, warn, bad, info
labgen: 3 error(s), 0 warning(s); nothing was written
",
    );
}

// ---------------------------------------------------------------------------
// 4. A failed build keeps the previous book
// ---------------------------------------------------------------------------

#[test]
fn failed_build_leaves_the_previous_output_untouched() {
    let book = Book::new();
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("site");
    assert_eq!(book.build_into(&target).code, 0);
    let before = snapshot(out.path());
    book.edit(MISSION, "    default: ssd", "    default: nvme");
    let run = book.build_into(&target);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run
        .stderr
        .ends_with("labgen: 1 error(s), 0 warning(s); nothing was written\n"));
    // The same files with the same bytes, and no staging folder beside them.
    assert!(
        snapshot(out.path()) == before,
        "the failed build changed the output"
    );
    assert_eq!(names(&snapshot(&target)), BOOK_FILES);
}

// ---------------------------------------------------------------------------
// 5. Warnings do not stop the build
// ---------------------------------------------------------------------------

#[test]
fn control_that_changes_nothing_is_a_warning() {
    let book = Book::new();
    // Act `read` now shows `disk` instead of `eff_bw`: `workers` moves nothing.
    book.edit(MISSION, "metric: { value: eff_bw", "metric: { value: disk");
    let warning = "\
missions/mini.yaml:76:24: warning: control `workers` changes nothing shown in act `read`
  help: use it in a formula that an instrument of this act shows, or remove it from the simulator
";
    let check = book.check();
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(check.stderr.starts_with(warning), "{}", check.stderr);
    assert!(
        check.stderr.ends_with(": 1 warning(s)\n"),
        "{}",
        check.stderr
    );
    let build = book.build();
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(build.stderr.starts_with(warning), "{}", build.stderr);
    assert_eq!(names(&snapshot(&book.root().join("book"))), BOOK_FILES);
}
