//! Rendering: pure functions from checked missions and their sweeps to the
//! bytes of every output file.
//!
//! A lab page carries its precomputed states as one JSON block of "cells":
//! each cell is one displayed thing (a value, a status, a banner's
//! visibility, a plot) over exactly the axes it depends on. Elements point
//! at their cell with `data-cell`; the page script only indexes into these
//! arrays. The HTML is written at the default state of the first track, so
//! the page reads right before any script runs.

pub mod csv;
pub mod html;
pub mod key_html;
pub mod math;
pub mod moodle;
#[cfg(feature = "pdf")]
pub mod pdf;
pub mod typst;

pub use crate::figure::states::{figure_path, Figures};
pub use html::{html_book, CONSTANTS_FILE};
pub use math::worked::{worked_latex, worked_lines};

use crate::book::Book;
use crate::diag::{Diagnostic, Diagnostics};
use crate::output::OutputFile;
use std::collections::HashMap;
#[cfg(feature = "pdf")]
use {crate::config::Config, std::path::PathBuf};

/// The PDF edition of the lab book, in the book's folder.
pub const PDF_FILE: &str = "lab-book.pdf";
/// The PDF edition of the key, in the keys folder.
pub const KEY_PDF_FILE: &str = "lab-book-key.pdf";

/// The PDF editions: the lab book, and with a key, the key. Both come from
/// the same labs, sweeps and SVGs as the HTML book, typeset in-process with
/// Typst; they are compiled in parallel.
#[cfg(feature = "pdf")]
pub fn pdf_editions(
    config: &Config,
    book: &Book,
    key: Option<&crate::key::BookKey>,
    figures: &Figures,
) -> Result<(OutputFile, Option<OutputFile>), Diagnostics> {
    use self::typst::{document, Edition};
    // Both editions set the same math; each piece of LaTeX is converted
    // (and trial-compiled) once.
    let converted = std::cell::RefCell::new(HashMap::<String, Result<String, String>>::new());
    let to_math = |l: &str| {
        if let Some(r) = converted.borrow().get(l) {
            return r.clone();
        }
        let r = pdf::latex_to_typst(l);
        converted.borrow_mut().insert(l.to_string(), r.clone());
        r
    };
    let student = document(config, book, Edition::Student, &to_math, figures)?;
    let graders = key
        .map(|k| document(config, book, Edition::Key(k), &to_math, figures))
        .transpose()?;
    let typeset = |doc: &self::typst::Document, name: &str| {
        pdf::compile(&doc.source, &doc.files, config.source_date_epoch).map_err(|errors| {
            let mut d = Diagnostics::new();
            for e in errors {
                d.push(Diagnostic::error(
                    None,
                    format!(
                        "internal error: the {name} does not typeset: {} (generated source line {})",
                        e.message,
                        e.line.map_or("?".to_string(), |l| l.to_string())
                    ),
                ));
            }
            d
        })
    };
    let (book, key) = rayon::join(
        || typeset(&student, "PDF lab book"),
        || graders.as_ref().map(|g| typeset(g, "PDF key")).transpose(),
    );
    Ok((
        OutputFile {
            path: PathBuf::from(PDF_FILE),
            bytes: book?,
        },
        key?.map(|bytes| OutputFile {
            path: PathBuf::from(KEY_PDF_FILE),
            bytes,
        }),
    ))
}
