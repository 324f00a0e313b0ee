//! labgen turns YAML mission plans into a static, offline lab book.
//!
//! The pipeline, one module per stage, passing plain values:
//!
//! ```text
//! config -> mission (load + validate) -> model (names, units, order)
//!        -> plan (what each page shows) -> sweep (every state, in parallel)
//!        -> render (pure: files as bytes) -> output (atomic write)
//! ```
//!
//! [`build`] runs every stage and returns the files without writing them;
//! [`output::write_atomically`] is the only place that touches the disk.

pub mod config;
pub mod diag;
pub mod expr;
pub mod format;
pub mod mission;
pub mod model;
pub mod output;
pub mod plan;
pub mod plots;
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
    let config = config::load(root)?;
    let (missions, mut diags) = mission::load_all(root, &root.join(&config.missions));
    let mut compiled = Vec::new();
    for m in &missions {
        match model::compile(m) {
            Ok(model) => {
                let (plan, d) = plan::plan(m, &model);
                diags.extend(d);
                compiled.push((m, model, plan));
            }
            Err(d) => diags.extend(d),
        }
    }
    if diags.has_errors() {
        return Err(diags);
    }
    let mut sweeps = Vec::new();
    for (m, model, plan) in &compiled {
        match sweep::run(m, model, &plan.requests) {
            Ok(s) => sweeps.push(s),
            Err(d) => diags.extend(d),
        }
    }
    if diags.has_errors() {
        return Err(diags);
    }
    let labs: Vec<render::Lab> = compiled
        .iter()
        .zip(&sweeps)
        .map(|((m, model, _), sweep)| render::Lab {
            mission: m,
            model,
            sweep,
        })
        .collect();
    let mut files = Vec::new();
    if config.outputs.html {
        match render::html_book(&config, &labs) {
            Ok(f) => files.extend(f),
            Err(d) => {
                diags.extend(d);
                return Err(diags);
            }
        }
    }
    Ok(Build {
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
