//! Equations for both outputs: LaTeX to MathML for the page, worked
//! examples as LaTeX lines.

pub mod katex;
pub mod worked;
