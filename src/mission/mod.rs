//! Mission plans: loading the YAML files of a book and checking them into
//! validated [`Mission`] values.
//!
//! Loading collects every problem of every file (syntax, unknown keys,
//! dangling references, bad quantities) into one [`Diagnostics`] list.
//! Expressions are kept as located source text here; the model stage
//! parses them and checks names and units.

pub mod raw;
mod types;
mod validate;
mod yaml_error;

use crate::diag::{Diagnostic, Diagnostics, Location};
use std::path::{Path, PathBuf};
use yaml_error::yaml_error;

pub use types::*;
pub use validate::written_unit as written_unit_of;
pub use validate::{registry, validate, REGISTRY_FILE};

/// Loads every `*.yaml` / `*.yml` mission under `dir` (relative paths in
/// messages are taken against `root`), in file-name order so builds are
/// deterministic.
pub fn load_all(root: &Path, dir: &Path) -> (Vec<Mission>, Diagnostics) {
    let (missions, _, diags) = load_book(root, dir);
    (missions, diags)
}

/// Like [`load_all`], also returning the shared constants registry
/// (`constants.yaml` at the top of the missions folder; empty if absent).
pub fn load_book(root: &Path, dir: &Path) -> (Vec<Mission>, Vec<Constant>, Diagnostics) {
    let mut diags = Diagnostics::new();
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(|entry| match entry {
            Ok(e) => Some(e),
            Err(err) => {
                diags.push(Diagnostic::error(
                    Some(Location::file(crate::diag::relative_to(dir, root))),
                    format!("cannot list the missions folder: {err}"),
                ));
                None
            }
        })
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")))
        .collect();
    files.sort();
    // The registry is not a mission.
    let registry_path = dir.join(REGISTRY_FILE);
    files.retain(|p| *p != registry_path);
    let shared = if registry_path.is_file() {
        load_registry(root, &registry_path, &mut diags)
    } else {
        Vec::new()
    };
    if files.is_empty() {
        diags.push(
            Diagnostic::error(
                Some(Location::file(crate::diag::relative_to(dir, root))),
                "the missions folder holds no .yaml files",
            )
            .with_hint("add a mission plan such as missions/my-lab.yaml (see the README)"),
        );
    }
    let mut missions = Vec::new();
    for path in files {
        let rel = crate::diag::relative_to(&path, root);
        match std::fs::read_to_string(&path) {
            Ok(source) => match parse(&rel, source, &shared) {
                Ok((m, d)) => {
                    diags.extend(d);
                    if let Some(m) = m {
                        missions.push(m);
                    }
                }
                Err(d) => diags.push(d),
            },
            Err(e) => diags.push(Diagnostic::error(
                Some(Location::file(&rel)),
                format!("cannot read the file: {e}"),
            )),
        }
    }
    // Ids become file names and URLs: they must be unique across the book.
    for (i, m) in missions.iter().enumerate() {
        if let Some(first) = missions[..i].iter().find(|o| o.id == m.id) {
            diags.push(
                Diagnostic::error(
                    Some(Location::file(&m.file)),
                    format!(
                        "mission id `{}` is already used by {}",
                        m.id,
                        first.file.display()
                    ),
                )
                .with_hint("give every mission a unique `id`"),
            );
        }
    }
    (missions, shared, diags)
}

/// Parses and validates one mission file's text, with the book's shared
/// constants. YAML errors stop this file (the parser cannot go on);
/// semantic problems are all collected.
pub fn parse(
    file: &Path,
    source: String,
    shared: &[Constant],
) -> Result<(Option<Mission>, Diagnostics), Diagnostic> {
    let raw: raw::RawMission = serde_saphyr::from_str(&source).map_err(|e| yaml_error(file, &e))?;
    Ok(validate(file, &source, raw, shared))
}

/// Reads the shared constants registry, if the missions folder has one.
fn load_registry(root: &Path, path: &Path, diags: &mut Diagnostics) -> Vec<Constant> {
    let rel = crate::diag::relative_to(path, root);
    let source = match std::fs::read_to_string(path) {
        Ok(s) => s,
        Err(e) => {
            diags.push(Diagnostic::error(
                Some(Location::file(&rel)),
                format!("cannot read the file: {e}"),
            ));
            return Vec::new();
        }
    };
    match serde_saphyr::from_str::<raw::RawRegistry>(&source) {
        Ok(raw) => {
            let (constants, d) = registry(&rel, &raw);
            diags.extend(d);
            constants
        }
        Err(e) => {
            let mut d = yaml_error(&rel, &e);
            if d.message.starts_with("unknown field") {
                d.hint = Some(format!("{REGISTRY_FILE} holds only a `constants:` list, written like a mission's constants"));
            }
            diags.push(d);
            Vec::new()
        }
    }
}
