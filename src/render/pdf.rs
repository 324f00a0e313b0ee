//! The PDF editions: the book and the key typeset from one Typst source
//! each, with the same figures and math as the page.

use super::{Figures, KEY_PDF_FILE, PDF_FILE};
use crate::book::Book;
use crate::config::Config;
use crate::diag::{Diagnostic, Diagnostics};
use crate::output::OutputFile;
use std::collections::HashMap;
use std::path::PathBuf;

/// The PDF editions: the lab book, and with a key, the key. Both come from
/// the same labs, sweeps and SVGs as the HTML book, typeset in-process with
/// Typst; they are compiled in parallel.
pub fn pdf_editions(
    config: &Config,
    book: &Book,
    key: Option<&crate::key::BookKey>,
    figures: &Figures,
) -> Result<(OutputFile, Option<OutputFile>), Diagnostics> {
    use super::typst::{document, engine::compile, Edition};
    // Both editions set the same math; each piece of LaTeX is converted
    // (and trial-compiled) once.
    let converted = std::cell::RefCell::new(HashMap::<String, Result<String, String>>::new());
    let to_math = |l: &str| {
        if let Some(r) = converted.borrow().get(l) {
            return r.clone();
        }
        let r = super::math::typst::latex_to_typst(l);
        converted.borrow_mut().insert(l.to_string(), r.clone());
        r
    };
    let student = document(config, book, Edition::Student, &to_math, figures)?;
    let graders = key
        .map(|k| document(config, book, Edition::Key(k), &to_math, figures))
        .transpose()?;
    let typeset = |doc: &super::typst::Document, name: &str| {
        compile(&doc.source, &doc.files, config.source_date_epoch).map_err(|errors| {
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
