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
mod pdf;
pub mod typst;

pub use crate::figure::states::{figure_path, Figures};
pub use html::{html_book, CONSTANTS_FILE};
pub use math::worked::{worked_latex, worked_lines};

#[cfg(feature = "pdf")]
pub use pdf::pdf_editions;

/// The PDF edition of the lab book, in the book's folder.
pub const PDF_FILE: &str = "lab-book.pdf";
/// The PDF edition of the key, in the keys folder.
pub const KEY_PDF_FILE: &str = "lab-book-key.pdf";
