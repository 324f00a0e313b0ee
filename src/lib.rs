//! labgen turns YAML mission plans into a static, offline lab book.
//!
//! The pipeline, one module per stage, passing plain values:
//!
//! ```text
//! config -> mission (load + validate) -> model (names, units, order)
//!        -> plan (what each page shows) -> sweep (every state, in parallel)
//!        -> figure (every plot at every state) -> render (pure: files as bytes)
//!        -> output (atomic write)
//! ```
//!
//! [`build`] runs every stage and returns the files without writing them;
//! [`output::write_atomically`] is the only place that touches the disk.

pub mod check;
pub mod config;
pub mod diag;
pub mod expr;
pub mod figure;
pub mod format;
pub mod grade;
pub mod keys;
pub mod mission;
pub mod model;
pub mod output;
pub mod plan;
pub mod render;
pub mod sweep;
pub mod text;
pub mod units;

pub use diag::{Diagnostic, Diagnostics};

use std::path::{Path, PathBuf};

/// What a successful build produced.
#[derive(Debug)]
pub struct Build {
    /// The configuration read.
    pub config: config::Config,
    /// Every output file, relative to the output folder.
    pub files: Vec<render::OutputFile>,
    /// The answer keys, relative to the keys folder (see [`keys_dir`]);
    /// empty unless `[output.keys]` is on. Never part of `files`, so the
    /// student book cannot carry them.
    pub keys: Vec<render::OutputFile>,
    /// Warnings (a successful build has no errors).
    pub warnings: Diagnostics,
    /// Labs built.
    pub labs: usize,
    /// States evaluated by the sweep, over all labs.
    pub states: usize,
}

/// Runs the whole pipeline for the book at `root`, in memory.
///
/// Returns every diagnostic when any error is found; all stages that can
/// run do run, so one build reports as many problems as possible.
pub fn build(root: &Path) -> Result<Build, Diagnostics> {
    build_with(root, config::load(root)?)
}

/// [`build`] with a configuration already loaded (and possibly adjusted,
/// as the benchmark does to time the book with and without its PDFs).
pub fn build_with(root: &Path, config: config::Config) -> Result<Build, Diagnostics> {
    let (mut missions, shared, mut diags) = mission::load_book(root, &root.join(&config.missions));
    let mut compiled = Vec::new();
    for m in &missions {
        match model::compile(m) {
            Ok(model) => {
                let (plan, d) = plan::plan(m, &model);
                diags.extend(d);
                compiled.push((model, plan));
            }
            Err(d) => diags.extend(d),
        }
    }
    // A mission whose model did not compile cannot be swept; planning
    // errors (an unknown name in prose, a typed number) do not stop the
    // sweep, so claims are still checked and reported in the same run.
    if compiled.len() != missions.len() {
        return Err(diags);
    }
    let mut sweeps = Vec::new();
    for (m, (model, plan)) in missions.iter().zip(&compiled) {
        match sweep::run(m, model, &plan.requests) {
            Ok(s) => sweeps.push(s),
            Err(d) => diags.extend(d),
        }
    }
    if sweeps.len() != compiled.len() {
        return Err(diags);
    }
    // Claims must hold, and bound questions take their correct option from
    // the model; both need the sweep.
    for (i, (model, _)) in compiled.iter().enumerate() {
        let (derived, d) = check::run(&missions[i], model, &sweeps[i]);
        diags.extend(d);
        for a in derived {
            let act = &mut missions[i].acts[a.act];
            let q = match a.which {
                check::Which::Prediction => act.prediction.as_mut(),
                check::Which::Reflection => act.reflection.as_mut(),
            };
            if let Some(q) = q {
                q.correct = a.key;
            }
        }
    }
    if diags.has_errors() {
        return Err(diags);
    }
    let labs: Vec<render::Lab> = missions
        .iter()
        .zip(&compiled)
        .zip(&sweeps)
        .map(|((m, (model, _)), sweep)| render::Lab {
            mission: m,
            model,
            sweep,
        })
        .collect();
    let mut files = Vec::new();
    // Figures are a stage of their own: drawn once, for the page and the
    // print edition alike.
    let figures = if config.outputs.html || config.outputs.pdf {
        match figure::states::draw(&labs) {
            Ok(f) => f,
            Err(d) => {
                diags.extend(d);
                return Err(diags);
            }
        }
    } else {
        figure::states::Figures::default()
    };
    if config.outputs.html {
        match render::html_pages(&config, &labs, &shared, &figures) {
            Ok(f) => files.extend(f),
            Err(d) => {
                diags.extend(d);
                return Err(diags);
            }
        }
    }
    let mut keys = Vec::new();
    let mut book_key = None;
    if config.outputs.keys.is_some() {
        match keys::render(&config, &labs) {
            Ok((k, warnings, key)) => {
                keys = k;
                book_key = Some(key);
                diags.extend(warnings);
            }
            Err(d) => {
                diags.extend(d);
                return Err(diags);
            }
        }
    }
    #[cfg(feature = "pdf")]
    if config.outputs.pdf {
        match render::pdf_editions(&config, &labs, &shared, book_key.as_ref(), &figures) {
            Ok((book, key)) => {
                files.push(book);
                keys.extend(key);
            }
            Err(d) => {
                diags.extend(d);
                return Err(diags);
            }
        }
    }
    let _ = (&book_key, &figures);
    Ok(Build {
        keys,
        labs: labs.len(),
        states: sweeps.iter().map(|s| s.states).sum(),
        config,
        files,
        warnings: diags,
    })
}

/// The output folder of a build: `--out` when given, else `book.toml`'s.
pub fn output_dir(root: &Path, config: &config::Config, out: Option<&Path>) -> PathBuf {
    match out {
        Some(o) => o.to_path_buf(),
        None => root.join(&config.output),
    }
}

/// The keys folder of a build: `--keys` when given, else `[output.keys]
/// path` from `book.toml` (relative to the book folder), else `keys` next
/// to the book's output folder.
pub fn keys_dir(
    root: &Path,
    config: &config::Config,
    book_dir: &Path,
    keys: Option<&Path>,
) -> PathBuf {
    if let Some(k) = keys {
        return k.to_path_buf();
    }
    match config.outputs.keys.as_ref().and_then(|k| k.path.as_ref()) {
        Some(p) => root.join(p),
        None => book_dir.with_file_name("keys"),
    }
}
