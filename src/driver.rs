//! Runs the stages in order: the one place that knows the whole pipeline.
//!
//! ```text
//! config -> mission (load + validate) -> model -> plan -> sweep -> check
//!        -> book -> figure (every plot at every state), key
//!        -> render (html, pdf) -> Build
//! ```
//!
//! Nothing here writes files: [`crate::output::write_atomically`] does,
//! called by the command line with the files a [`Build`] holds.

use crate::book::{Book, Lab};
use crate::figure::states::Figures;
use crate::output::OutputFile;
use crate::{check, config, figure, key, mission, model, plan, render, sweep, Diagnostics};
use std::path::{Path, PathBuf};

/// What a successful build produced.
#[derive(Debug)]
pub struct Build {
    /// The configuration read.
    pub config: config::Config,
    /// Every output file, relative to the output folder.
    pub files: Vec<OutputFile>,
    /// The answer keys, relative to the keys folder (see [`keys_dir`]);
    /// empty unless `[output.keys]` is on. Never part of `files`, so the
    /// student book cannot carry them.
    pub keys: Vec<OutputFile>,
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
    let (missions, shared, mut diags) = mission::load_book(root, &root.join(&config.missions));
    let Some(checked) = analyse(&missions, &mut diags) else {
        return Err(diags);
    };
    if diags.has_errors() {
        return Err(diags);
    }
    let labs = missions
        .iter()
        .zip(&checked)
        .map(|(mission, c)| Lab {
            mission,
            model: &c.model,
            sweep: &c.sweep,
            answers: &c.answers,
        })
        .collect();
    let book = Book::new(labs, &shared);
    let (files, keys) = match render_all(&config, &book, &mut diags) {
        Some(out) => out,
        None => return Err(diags),
    };
    Ok(Build {
        keys,
        labs: book.labs.len(),
        states: checked.iter().map(|c| c.sweep.states).sum(),
        config,
        files,
        warnings: diags,
    })
}

/// One mission after the stages that analyse it.
struct Checked {
    model: model::Model,
    sweep: sweep::Sweep,
    answers: Vec<crate::book::DerivedAnswer>,
}

/// Compiles, plans, sweeps and checks every mission, collecting every
/// diagnostic. `None` when a mission could not get as far as its checks.
fn analyse(missions: &[mission::Mission], diags: &mut Diagnostics) -> Option<Vec<Checked>> {
    let mut compiled = Vec::new();
    for m in missions {
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
        return None;
    }
    let mut swept = Vec::new();
    for (m, (model, plan)) in missions.iter().zip(compiled) {
        match sweep::run(m, &model, &plan.requests) {
            Ok(s) => swept.push((model, s)),
            Err(d) => diags.extend(d),
        }
    }
    if swept.len() != missions.len() {
        return None;
    }
    // Claims must hold, and bound questions take their correct option from
    // the model; both need the sweep.
    let checked = missions
        .iter()
        .zip(swept)
        .map(|(m, (model, sweep))| {
            let (answers, d) = check::run(m, &model, &sweep);
            diags.extend(d);
            Checked {
                model,
                sweep,
                answers,
            }
        })
        .collect();
    Some(checked)
}

/// Renders every output `config` asks for: the book's files and the keys'.
/// `None` (with the problems in `diags`) when one cannot be made.
fn render_all(
    config: &config::Config,
    book: &Book,
    diags: &mut Diagnostics,
) -> Option<(Vec<OutputFile>, Vec<OutputFile>)> {
    let mut files = Vec::new();
    // Figures are a stage of their own: drawn once, for the page and the
    // print edition alike.
    let figures = if config.outputs.html || config.outputs.pdf {
        ok(figure::states::draw(&book.labs), diags)?
    } else {
        Figures::default()
    };
    if config.outputs.html {
        files.extend(ok(render::html_book(config, book, &figures), diags)?);
    }
    let mut keys = Vec::new();
    let mut book_key = None;
    if config.outputs.keys.is_some() {
        let (built, tables, warnings) = ok(key::build(config, book), diags)?;
        keys = ok(render::key_html::files(config, &built, &tables), diags)?;
        book_key = Some(built);
        diags.extend(warnings);
    }
    #[cfg(feature = "pdf")]
    if config.outputs.pdf {
        let (pdf, key_pdf) = ok(
            render::pdf_editions(config, book, book_key.as_ref(), &figures),
            diags,
        )?;
        files.push(pdf);
        keys.extend(key_pdf);
    }
    let _ = (&book_key, &figures);
    Some((files, keys))
}

/// The value of a stage that worked; the problems of one that did not,
/// moved into `diags`.
fn ok<T>(result: Result<T, Diagnostics>, diags: &mut Diagnostics) -> Option<T> {
    match result {
        Ok(v) => Some(v),
        Err(d) => {
            diags.extend(d);
            None
        }
    }
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
