//! The Typst source of the PDF editions: the same labs as the HTML book,
//! laid out for print.
//!
//! A pure function from the checked labs (and, for the key edition, the
//! answer key) to Typst markup plus the virtual files it names (the SVG
//! plots, the very bytes the HTML pages show at their default state). The
//! markup calls the layout functions of `theme/book.typ`; the PDF engine
//! compiles it. Nothing here knows about Typst's compiler, so the source can
//! be tested on its own.
//!
//! Print has no controls, so every lab is shown at its first track's
//! defaults, and what a reader would explore with the controls becomes
//! tables: each act's scenarios with the values its cards show, and the
//! tasks. The key edition adds the correct options with all feedback, the
//! reveals, and the task answers of every track.
//!
//! `source` writes each lab section by section, `tables` the print
//! tables and the appendix, `markup` turns prose into Typst markup, and
//! `engine` (with the `pdf` feature) compiles the result.

#[cfg(feature = "pdf")]
pub mod engine;
mod markup;
mod source;
mod tables;

pub use markup::{escape, markdown, string, MathError};

use self::markup::array;
use super::Figures;
use crate::book::Book;
use crate::config::Config;
use crate::diag::Diagnostics;
use crate::key::BookKey;
use std::fmt::Write as _;

/// Converts LaTeX math to Typst math (the PDF engine's converter).
pub type MathConverter<'a> = &'a dyn Fn(&str) -> Result<String, String>;

/// A Typst document: the main source and the files it reads.
#[derive(Debug, Default)]
pub struct Document {
    /// The main source, which imports `/book.typ`.
    pub source: String,
    /// Virtual files by absolute path (`/plots/<lab>-<n>.svg`).
    pub files: Vec<(String, Vec<u8>)>,
}

/// Which edition to write.
#[derive(Clone, Copy, Debug)]
pub enum Edition<'a> {
    /// For students: questions without answers.
    Student,
    /// For graders: answers, feedback and the numeric answer tables.
    Key(&'a BookKey),
}

/// The lab-book document for one edition. `figures` holds every plot's
/// SVG (see [`super::Figures`]).
pub fn document(
    config: &Config,
    book: &Book,
    edition: Edition,
    to_math: MathConverter,
    figures: &Figures,
) -> Result<Document, Diagnostics> {
    let mut doc = Document::default();
    let mut diags = Diagnostics::new();
    let key = matches!(edition, Edition::Key(_));
    let name = if key {
        "Grading key"
    } else {
        "Student edition"
    };
    let (labs, shared, version) = (&book.labs, book.shared, &book.version);
    let book = &config.book;
    let authors = array(book.authors.iter().map(|a| string(a)));
    let s = &mut doc.source;
    let _ = writeln!(s, "#import \"/book.typ\": *");
    // The key gets its own document title, so the two PDFs differ in their
    // metadata (and identifier) too.
    let doc_title = if key {
        format!("{}: {name}", book.title)
    } else {
        book.title.clone()
    };
    let _ = writeln!(
        s,
        "#show: book.with(title: {}, authors: {authors}, edition: {}, key: {key})",
        string(&doc_title),
        string(name)
    );
    let _ = writeln!(
        s,
        "#title-page({}, subtitle: {}, authors: {authors}, version: {}, edition: {})",
        string(&book.title),
        if book.description.is_empty() {
            "none".to_string()
        } else {
            string(&book.description)
        },
        string(&format!("Book version {version}")),
        string(name)
    );
    let _ = writeln!(s, "#contents()");
    for lab in labs {
        if let Err(d) = source::lab(&mut doc, lab, edition, to_math, figures) {
            diags.extend(d);
        }
    }
    tables::appendix(&mut doc.source, labs, shared);
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok(doc)
    }
}
