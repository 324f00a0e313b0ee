//! Equations for the outputs: LaTeX to MathML for the page, to Typst math
//! for print, and worked examples as LaTeX lines for both.

pub mod katex;
#[cfg(feature = "pdf")]
pub mod typst;
pub mod worked;
