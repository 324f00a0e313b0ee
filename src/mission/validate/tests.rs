//! Unit tests for the pure helpers of the checks; whole missions are
//! checked through the fixture books in `tests/`.

use super::formula::split_equation;
use super::written_unit;

#[test]
fn written_unit_takes_what_follows_the_number() {
    let cases = [
        ("150 KB", Some("KB")),
        ("$0.09/GB", Some("$/GB")),
        ("$5", Some("$")),
        ("1.5e-3 s", Some("s")),
        ("-4", None),
        ("  42  ", None),
    ];
    for (text, unit) in cases {
        assert_eq!(written_unit(text).as_deref(), unit, "{text}");
    }
}

#[test]
fn split_equation_needs_one_lone_equals_sign() {
    assert_eq!(split_equation("a = b + 1"), Some(("a", "b + 1")));
    assert_eq!(split_equation("a <= b = c"), Some(("a <= b", "c")));
    assert_eq!(split_equation("a == b"), None);
    assert_eq!(split_equation("a = b = c"), None);
    assert_eq!(split_equation("= b"), None);
    assert_eq!(split_equation("a != b"), None);
}
