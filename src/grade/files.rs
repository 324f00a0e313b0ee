//! The files of a grading run: the ledgers named on the command line
//! (folders searched for `*.json`), read with a bound so that a huge file
//! or a device is never read whole, and the key.

use super::{grade, parse_key, unreadable, Outcome, MAX_KEY_BYTES, MAX_LEDGER_BYTES};
use crate::key::BookKey;
use std::io::Read;
use std::path::{Path, PathBuf};

/// A ledger path, or the error that kept it from being listed.
pub type Listed = (PathBuf, Result<(), String>);

/// Reads and parses the key; the message says what is wrong (the caller
/// names the file).
pub fn read_key(path: &Path) -> Result<BookKey, String> {
    read_limited(path, MAX_KEY_BYTES)
        .map_err(|e| format!("cannot read it: {e}"))
        .and_then(|b| parse_key(&b))
}

/// The ledger files to grade, sorted by path: each file argument, and
/// every `*.json` file under each folder argument. A path that cannot
/// be listed is kept with its error, so it gets a row.
pub fn ledger_files(inputs: &[PathBuf]) -> Vec<Listed> {
    let mut files: Vec<Listed> = Vec::new();
    for input in inputs {
        if input.is_dir() {
            for entry in walkdir::WalkDir::new(input).sort_by_file_name() {
                match entry {
                    Ok(e)
                        if e.file_type().is_file()
                            && e.path()
                                .extension()
                                .is_some_and(|x| x.eq_ignore_ascii_case("json")) =>
                    {
                        files.push((e.into_path(), Ok(())));
                    }
                    Ok(_) => {}
                    Err(err) => files.push((
                        err.path().unwrap_or(input).to_path_buf(),
                        Err(err.to_string()),
                    )),
                }
            }
        } else {
            files.push((input.clone(), Ok(())));
        }
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files.dedup_by(|a, b| a.0 == b.0);
    files
}

/// Grades every listed file against the key, in order; a file that cannot
/// be read gets an outcome saying why.
pub fn grade_files(key: &BookKey, files: &[Listed]) -> Vec<Outcome> {
    files
        .iter()
        .map(|(path, listed)| {
            let name = path.display().to_string();
            match listed {
                Err(e) => unreadable(&name, e),
                Ok(()) => match read_limited(path, MAX_LEDGER_BYTES) {
                    Ok(bytes) => grade(key, &name, &bytes),
                    Err(e) => unreadable(&name, &e.to_string()),
                },
            }
        })
        .collect()
}

/// Reads at most `limit + 1` bytes, so a huge file (or a device) is
/// not read whole just to be rejected as too large.
fn read_limited(path: &Path, limit: usize) -> std::io::Result<Vec<u8>> {
    let file = std::fs::File::open(path)?;
    if file.metadata()?.is_dir() {
        return Err(std::io::Error::other("it is a folder"));
    }
    let mut bytes = Vec::new();
    file.take(limit as u64 + 1).read_to_end(&mut bytes)?;
    Ok(bytes)
}
