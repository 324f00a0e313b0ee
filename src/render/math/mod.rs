//! Math for the outputs: the missions' LaTeX converted for each target.

#[cfg(feature = "pdf")]
pub mod typst;
