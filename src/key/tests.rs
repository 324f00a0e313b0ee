//! Unit tests of the key's helpers.

use super::build::collapse;
use super::*;

#[test]
fn collapse_joins_lines_but_keeps_paragraphs_and_items() {
    assert_eq!(collapse("a\nb\n\nc\n"), "a b\n\nc");
    assert_eq!(collapse("- x\n- y\n  z"), "- x\n- y z");
}

#[test]
fn numbers_read_back_and_have_no_negative_zero() {
    assert_eq!(crate::format::shortest(-0.0), "0");
    assert_eq!(crate::format::shortest(0.1 + 0.2), "0.30000000000000004");
    assert_eq!(finite(f64::NAN), 0.0);
    assert_eq!(group(100_000), "100,000");
}
