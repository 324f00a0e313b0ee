//! The HTML book: the index, one page per lab, the constants appendix and
//! the theme, rendered with the built-in tera templates.
//!
//! A lab page carries its precomputed states as one JSON block of cells
//! ([`cells`]); elements point at their cell with `data-cell` and the page
//! script only indexes into these arrays. The HTML is written at the
//! default state of the first track, so the page reads right before any
//! script runs.

pub(crate) mod cells;
mod controls;
mod instruments;
mod page;
pub(crate) mod plots;

use crate::book::plain::plain_pinned;
use crate::book::{lab_file, Book, Lab};
use crate::config::Config;
use crate::diag::Diagnostics;
use crate::format::show;
use crate::format::{escape, markdown};
use crate::output::OutputFile;
use crate::render::Figures;
use page::lab_page;
use serde_json::{json, Value};
use std::path::PathBuf;

const INDEX_TEMPLATE: &str = include_str!("../../../templates/index.html");
const LAB_TEMPLATE: &str = include_str!("../../../templates/lab.html");
const CONSTANTS_TEMPLATE: &str = include_str!("../../../templates/constants.html");
const MACROS_TEMPLATE: &str = include_str!("../../../templates/macros.html");
const BASE_TEMPLATE: &str = include_str!("../../../templates/base.html");
const THEME_CSS: &str = include_str!("../../../theme/labgen.css");
const THEME_JS: &str = include_str!("../../../theme/labgen.js");

/// The appendix page listing the book's shared constants and their sources.
pub const CONSTANTS_FILE: &str = "constants.html";

/// The appendix: every shared constant, its value, its source, and the labs
/// that use it.
fn constants_page(
    config: &Config,
    labs: &[Lab],
    shared: &[crate::mission::Constant],
    tera: &tera::Tera,
) -> Result<Vec<u8>, Diagnostics> {
    let rows: Vec<Value> = shared
        .iter()
        .map(|c| {
            let used: Vec<Value> = labs
                .iter()
                .filter(|l| {
                    l.mission
                        .constants
                        .iter()
                        .any(|k| k.id == c.id && k.loc == c.loc)
                })
                .map(|l| json!({"title": l.mission.title, "file": lab_file(&l.mission.id)}))
                .collect();
            json!({
                "id": c.id,
                "label": c.label,
                "value": show(c.value.value, &c.display.unit, c.display.digits).text,
                "source": c.source,
                "note": c.note,
                "used": used,
            })
        })
        .collect();
    let mut ctx = tera::Context::new();
    ctx.insert("book", &config.book);
    ctx.insert("root", "");
    ctx.insert("constants", &rows);
    tera.render("constants.html", &ctx)
        .map(String::into_bytes)
        .map_err(|e| Diagnostics::internal(format_args!("constants template: {e:?}")))
}

fn templates() -> Result<tera::Tera, Diagnostics> {
    let mut tera = tera::Tera::default();
    tera.add_raw_templates(vec![
        ("base.html", BASE_TEMPLATE),
        ("macros.html", MACROS_TEMPLATE),
        ("index.html", INDEX_TEMPLATE),
        ("lab.html", LAB_TEMPLATE),
        ("constants.html", CONSTANTS_TEMPLATE),
    ])
    .map_err(|e| Diagnostics::internal(format_args!("built-in templates do not compile: {e:?}")))?;
    Ok(tera)
}

/// Renders the whole HTML book: index, one page per lab, and the theme.
/// The book's constants registry, if any, is listed on an appendix page;
/// `figures` holds every plot at every state.
pub fn html_book(
    config: &Config,
    book: &Book,
    figures: &Figures,
) -> Result<Vec<OutputFile>, Diagnostics> {
    let (labs, shared) = (&book.labs, book.shared);
    let tera = templates()?;
    let mut files = Vec::new();
    let mut diags = Diagnostics::new();
    let mut entries = Vec::new();
    // The page stores it with the student's ledger (see `book::book_version`).
    let version = &book.version;
    // Pages are independent: render them in parallel (each thread starts
    // its own KaTeX engine), then take them in book order.
    let pages: Vec<_> = {
        use rayon::prelude::*;
        labs.par_iter()
            .map(|lab| lab_page(config, lab, &tera, version, figures))
            .collect()
    };
    for (lab, page) in labs.iter().zip(pages) {
        match page {
            Ok(bytes) => files.push(OutputFile {
                path: PathBuf::from(lab_file(&lab.mission.id)),
                bytes,
            }),
            Err(d) => diags.extend(d),
        }
        entries.push(json!({
            "id": lab.mission.id,
            "file": lab_file(&lab.mission.id),
            "title": lab.mission.title,
            "chapter": lab.mission.chapter,
            "duration": lab.mission.duration,
            "subtitle": lab.mission.subtitle.as_ref().map(|t| markdown::markdown_inline(&escape::html(&plain_pinned(lab, t)))),
            "acts": lab.mission.acts.iter().map(|a| a.title.clone()).collect::<Vec<_>>(),
        }));
    }
    if diags.has_errors() {
        return Err(diags);
    }
    if !shared.is_empty() {
        let page = constants_page(config, labs, shared, &tera)?;
        files.push(OutputFile {
            path: PathBuf::from(CONSTANTS_FILE),
            bytes: page,
        });
    }
    let mut ctx = tera::Context::new();
    ctx.insert("book", &config.book);
    ctx.insert("labs", &entries);
    ctx.insert("root", "");
    ctx.insert(
        "constants_page",
        &(!shared.is_empty()).then_some(CONSTANTS_FILE),
    );
    let index = tera
        .render("index.html", &ctx)
        .map_err(|e| Diagnostics::internal(format_args!("index template: {e:?}")))?;
    files.insert(
        0,
        OutputFile {
            path: PathBuf::from("index.html"),
            bytes: index.into_bytes(),
        },
    );
    files.push(OutputFile {
        path: PathBuf::from("theme/labgen.css"),
        bytes: THEME_CSS.as_bytes().to_vec(),
    });
    files.push(OutputFile {
        path: PathBuf::from("theme/labgen.js"),
        bytes: THEME_JS.as_bytes().to_vec(),
    });
    Ok(files)
}
