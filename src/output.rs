//! Writing the book to disk, all or nothing.
//!
//! Files are written into a fresh sibling folder first; only when every
//! file is written is the old output swapped out and the new one renamed
//! into place. A build that fails at any point leaves the previous book
//! untouched. This is the only module that writes files.

use crate::render::OutputFile;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// Writes `files` as the complete contents of `out`, replacing whatever
/// labgen wrote there before.
pub fn write_atomically(out: &Path, files: &[OutputFile]) -> io::Result<()> {
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
    result
}

fn write_all(dir: &Path, files: &[OutputFile]) -> io::Result<()> {
    fs::create_dir_all(dir)?;
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
