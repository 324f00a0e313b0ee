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
//! [`build`] ([`driver`]) runs every stage and returns the files without
//! writing them; [`output::write_atomically`] is the only place that
//! touches the disk.

pub mod book;
pub mod check;
pub mod config;
pub mod diag;
pub mod driver;
pub mod expr;
pub mod figure;
pub mod format;
pub mod grade;
pub mod key;
pub mod mission;
pub mod model;
pub mod output;
pub mod plan;
pub mod render;
pub mod sweep;
pub mod units;

pub use diag::{Diagnostic, Diagnostics};
pub use driver::{build, build_with, keys_dir, output_dir, Build};
pub use output::OutputFile;
