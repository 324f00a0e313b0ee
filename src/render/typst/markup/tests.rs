//! Escaping for Typst markup and string literals.

use super::*;

#[test]
fn markup_escape_neutralises_markup() {
    assert_eq!(escape("a*b*"), "a\\*b\\*");
    assert_eq!(escape("1. item"), "1\\. item");
    assert_eq!(escape("v1.2"), "v1.2");
    assert_eq!(string("say \"hi\"\n"), "\"say \\\"hi\\\"\\n\"");
}
