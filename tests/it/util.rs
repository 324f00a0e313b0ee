//! What several test areas need, written once: where the bundled book and
//! the fixtures are, the bundled book built once per process (with and
//! without its PDF editions), small temporary books, reading a built file,
//! and running the `labgen` binary.

use labgen::OutputFile;
use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The bundled book: the crate's own root.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture book under `tests/fixtures/`.
pub fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures").join(name)
}

/// The book at `root` without its PDF editions, which the `pdf` tests
/// cover; typesetting them everywhere would only slow the suite.
pub fn build_without_pdf(root: &Path) -> Result<labgen::Build, labgen::Diagnostics> {
    let mut config = labgen::config::load(root)?;
    config.outputs.pdf = false;
    labgen::build_with(root, config)
}

/// The bundled book without its PDFs, built in memory once per process
/// (its book.toml asks for keys).
pub fn bundled() -> &'static labgen::Build {
    static BUILD: OnceLock<labgen::Build> = OnceLock::new();
    BUILD.get_or_init(|| build_without_pdf(root()).unwrap_or_else(|d| panic!("{d}")))
}

/// The bundled book as `labgen build` makes it, PDFs included, built in
/// memory once per process: typesetting is the slowest step of a build.
pub fn bundled_with_pdf() -> &'static labgen::Build {
    static BUILD: OnceLock<labgen::Build> = OnceLock::new();
    BUILD.get_or_init(|| {
        labgen::build(root()).unwrap_or_else(|d| panic!("the bundled book does not build:\n{d}"))
    })
}

/// The file at `path` among a build's `files` (or `keys`).
pub fn file<'a>(files: &'a [OutputFile], path: &str) -> &'a OutputFile {
    files
        .iter()
        .find(|f| f.path == Path::new(path))
        .unwrap_or_else(|| panic!("no {path}"))
}

/// The text of the file at `path` among a build's `files` (or `keys`).
pub fn text(files: &[OutputFile], path: &str) -> String {
    String::from_utf8(file(files, path).bytes.clone()).unwrap()
}

/// The 1-based number of the first line of `text` that holds `needle`.
pub fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

/// A book in a temporary folder: a one-line `book.toml` (title `T`) and the
/// given files under `missions/`, by file name.
pub fn temp_book(missions: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("book.toml"), "[book]\ntitle = \"T\"\n").unwrap();
    fs::create_dir(dir.path().join("missions")).unwrap();
    for (name, text) in missions {
        fs::write(dir.path().join("missions").join(name), text).unwrap();
    }
    dir
}

/// The diagnostics of a build of the book at `root` that must fail.
pub fn build_errors(root: &Path) -> String {
    match labgen::build(root) {
        Ok(_) => panic!("the build should fail"),
        Err(d) => d.to_string(),
    }
}

/// Copies the folder `from` with everything in it to `to`.
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("a folder is created");
    for entry in fs::read_dir(from).expect("the source folder exists") {
        let entry = entry.expect("a folder entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("a file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("a file is copied");
        }
    }
}

/// The index of the Data Gravity Trap in a key: the tests read its items.
pub fn gravity(key: &serde_json::Value) -> usize {
    key["labs"]
        .as_array()
        .unwrap()
        .iter()
        .position(|l| l["id"] == "data-gravity-trap")
        .expect("the key has the Data Gravity Trap")
}

/// What one run of the `labgen` binary did.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `labgen` with `args`. Every run, in every test, must end without a
/// panic: a panic is a bug whatever the input.
pub fn labgen(args: &[&OsStr]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_labgen"))
        .args(args)
        .output()
        .expect("the labgen binary runs");
    let run = Run {
        // A run killed by a signal (e.g. a stack overflow) has no code.
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(
        !run.stderr.contains("panicked") && run.code != 101 && run.code != -1,
        "labgen {args:?} crashed (exit {}):\n{}",
        run.code,
        run.stderr
    );
    run
}
