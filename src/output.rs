//! Writing the book to disk, all or nothing.
//!
//! Files are written into a fresh sibling folder first; only when every
//! file is written is the old output swapped out and the new one renamed
//! into place. A build that fails at any point leaves the previous book
//! untouched. This is the only module that writes files.
//!
//! Because the swap replaces the whole folder, labgen only ever replaces a
//! folder it wrote itself (it carries a marker file) or an empty one, and
//! never a folder that holds the book's own sources.

use std::fmt;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// One output file: a path relative to the output folder, and its bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputFile {
    /// Relative path, with forward slashes.
    pub path: PathBuf,
    /// Contents.
    pub bytes: Vec<u8>,
}

/// The file that marks a folder as labgen's output.
pub const MARKER: &str = ".labgen-output";

/// Why the book could not be written.
#[derive(Debug)]
pub enum WriteError {
    /// The output folder is not one labgen may replace (bad input).
    Refused {
        /// What was to be written: `the book`, `the keys`, `the grades`.
        what: &'static str,
        /// The folder.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// The file system failed.
    Io(io::Error),
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriteError::Refused { what, path, reason } => write!(
                f,
                "refusing to write {what} into {}: {reason}",
                path.display()
            ),
            WriteError::Io(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for WriteError {}

impl From<io::Error> for WriteError {
    fn from(e: io::Error) -> Self {
        WriteError::Io(e)
    }
}

/// Checks that `out` may be replaced by a build of the book at `root`.
pub fn check_target(out: &Path, root: &Path) -> Result<(), WriteError> {
    check_folder("the book", out, &[(root, "it holds the book's sources (book.toml, missions); choose a separate folder such as book/")])
}

/// Checks that the keys folder `keys` may be replaced, and that it is
/// apart from the book folder `book`: if one held the other, writing one
/// would delete the other, or put the answers inside the student book.
pub fn check_keys_target(keys: &Path, book: &Path, root: &Path) -> Result<(), WriteError> {
    let refuse = |reason: &str| {
        Err(WriteError::Refused {
            what: "the keys",
            path: keys.to_path_buf(),
            reason: reason.to_string(),
        })
    };
    if let (Ok(k), Ok(b)) = (absolute(keys), absolute(book)) {
        if k.starts_with(&b) || b.starts_with(&k) {
            return refuse("it is the book folder or overlaps it, and students must never get the keys; choose a separate folder such as keys/");
        }
    }
    check_folder("the keys", keys, &[(root, "it holds the book's sources (book.toml, missions); choose a separate folder such as keys/")])
}

/// Checks that `labgen grade` may replace `out`: never a folder that holds
/// the key or a ledger being graded.
pub fn check_grades_target(out: &Path, inputs: &[&Path]) -> Result<(), WriteError> {
    let reason =
        "it holds the key or a ledger being graded; choose a separate folder such as grades/";
    let protected: Vec<(&Path, &str)> = inputs.iter().map(|p| (*p, reason)).collect();
    check_folder("the grades", out, &protected)
}

/// The shared checks: `out` is not a file, holds none of the `protected`
/// paths, and is new, empty, or written by labgen before.
fn check_folder(
    what: &'static str,
    out: &Path,
    protected: &[(&Path, &str)],
) -> Result<(), WriteError> {
    let refuse = |reason: &str| {
        Err(WriteError::Refused {
            what,
            path: out.to_path_buf(),
            reason: reason.to_string(),
        })
    };
    if out.is_file() {
        return refuse("it is a file; choose a folder");
    }
    let Ok(out_abs) = absolute(out) else {
        return Ok(());
    };
    for (p, reason) in protected {
        if absolute(p).is_ok_and(|p| p.starts_with(&out_abs)) {
            return refuse(reason);
        }
    }
    if out.is_dir() && !out.join(MARKER).is_file() {
        let empty = fs::read_dir(out)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !empty {
            return refuse("it holds files labgen did not write; choose a new or empty folder");
        }
    }
    Ok(())
}

/// An absolute, normalised form of a path that may not exist yet.
fn absolute(p: &Path) -> io::Result<PathBuf> {
    if let Ok(c) = fs::canonicalize(p) {
        return Ok(c);
    }
    let abs = std::path::absolute(p)?;
    match (abs.parent(), abs.file_name()) {
        (Some(parent), Some(name)) => Ok(absolute(parent)?.join(name)),
        _ => Ok(abs),
    }
}

/// Writes `files` as the complete contents of `out`, replacing whatever
/// labgen wrote there before. Call [`check_target`] first.
pub fn write_atomically(out: &Path, files: &[OutputFile]) -> Result<(), WriteError> {
    let out = &absolute(out)?;
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    fs::create_dir_all(&parent)?;
    let name = out
        .file_name()
        .ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                "the output path has no folder name",
            )
        })?
        .to_string_lossy()
        .into_owned();
    let staging = parent.join(format!(".{name}.labgen-new-{}", std::process::id()));
    let retired = parent.join(format!(".{name}.labgen-old-{}", std::process::id()));
    let _ = fs::remove_dir_all(&staging);
    let result = write_all(&staging, files).and_then(|()| swap(&staging, out, &retired));
    if result.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    Ok(result?)
}

fn write_all(dir: &Path, files: &[OutputFile]) -> io::Result<()> {
    fs::create_dir_all(dir)?;
    fs::write(
        dir.join(MARKER),
        "This folder is written by labgen and replaced as a whole each time labgen writes it.\n",
    )?;
    for f in files {
        let path = dir.join(&f.path);
        if let Some(p) = path.parent() {
            fs::create_dir_all(p)?;
        }
        fs::write(&path, &f.bytes)
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
    }
    Ok(())
}

fn swap(staging: &Path, out: &Path, retired: &Path) -> io::Result<()> {
    if out.exists() {
        fs::rename(out, retired)?;
        if let Err(e) = fs::rename(staging, out) {
            // Put the previous book back before reporting.
            let _ = fs::rename(retired, out);
            return Err(e);
        }
        fs::remove_dir_all(retired)?;
    } else {
        fs::rename(staging, out)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, body: &str) -> OutputFile {
        OutputFile {
            path: PathBuf::from(path),
            bytes: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn replaces_previous_output_completely() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("book");
        write_atomically(&out, &[file("a.html", "1"), file("theme/x.css", "c")]).unwrap();
        write_atomically(&out, &[file("b.html", "2")]).unwrap();
        assert!(!out.join("a.html").exists(), "stale files are removed");
        assert_eq!(fs::read_to_string(out.join("b.html")).unwrap(), "2");
        let leftovers: Vec<_> = fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers.len(), 1, "no staging folders left: {leftovers:?}");
    }

    #[test]
    fn failed_write_keeps_previous_output() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("book");
        write_atomically(&out, &[file("a.html", "1")]).unwrap();
        // A file path that collides with a folder makes the write fail midway.
        let bad = [file("x", "1"), file("x/y.html", "2")];
        assert!(write_atomically(&out, &bad).is_err());
        assert_eq!(fs::read_to_string(out.join("a.html")).unwrap(), "1");
        let leftovers: Vec<_> = fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers.len(), 1, "staging cleaned up: {leftovers:?}");
    }
}
