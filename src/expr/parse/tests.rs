//! Parse errors, spans and keywords.

use super::super::tests::{eval, p};
use crate::expr::*;

#[test]
fn parse_errors_with_exact_spans() {
    // (source, span, message fragment, hint fragment)
    let cases: &[(&str, (usize, usize), &str, &str)] = &[
        ("", (0, 0), "empty expression", ""),
        ("   ", (0, 3), "empty expression", ""),
        ("(((", (3, 3), "expression ends too early", ""),
        ("(a + b", (0, 1), "unclosed `(`", "add a matching `)`"),
        ("a + b)", (5, 6), "unmatched `)`", ""),
        ("a +", (3, 3), "ends too early", "after `+`"),
        (
            "maxx(a, b)",
            (0, 4),
            "unknown function `maxx`",
            "did you mean `max`?",
        ),
        ("mn(a, b)", (0, 2), "unknown function `mn`", "`min`"),
        (
            "foo(a)",
            (0, 3),
            "unknown function `foo`",
            "available functions",
        ),
        (
            "clamp(a, b)",
            (0, 11),
            "`clamp` takes 3 arguments, got 2",
            "clamp(x, lo, hi)",
        ),
        ("sqrt(a, b)", (0, 10), "`sqrt` takes 1 argument, got 2", ""),
        ("min()", (0, 5), "at least 1 argument", ""),
        (
            "2 foo",
            (2, 5),
            "expected an operator between `2` and `foo`",
            "insert `*` to multiply: `2 * foo`",
        ),
        (
            "a b",
            (2, 3),
            "expected an operator between `a` and `b`",
            "insert `*`",
        ),
        ("3 GBs", (2, 5), "unknown unit `GBs`", "`GB`"),
        ("3 Gpbs", (2, 6), "unknown unit `Gpbs`", "`Gbps`"),
        ("2 min(a, b)", (2, 5), "expected an operator", "insert `*`"),
        ("a < b < c", (6, 7), "cannot be chained", "and"),
        ("a = b", (2, 3), "`=` is not an operator", "=="),
        ("a ** 2", (2, 4), "`**`", "^"),
        ("a && b", (2, 3), "not an operator", "and"),
        ("$", (0, 1), "`$` must be followed by a number", ""),
        ("$x", (0, 1), "`$` must be followed by a number", ""),
        ("1e999 GB", (0, 5), "too large", ""),
        ("1e300 EB", (0, 8), "quantity is too large", ""),
        ("2. + 1", (1, 2), "digits after the decimal point", ""),
        (".5", (0, 1), "start with a digit", "0.5"),
        ("1,000 * a", (1, 2), "unexpected `,`", "thousands"),
        ("a + and", (4, 7), "expected a value before `and`", ""),
        ("if + 1", (0, 2), "`if` is a function", ""),
        ("a % b", (2, 3), "`%` must follow a number", ""),
        ("()", (0, 2), "empty parentheses", ""),
        (
            "max(a b)",
            (6, 7),
            "expected an operator between `a` and `b`",
            "",
        ),
        ("max(a; b)", (5, 6), "unexpected character `;`", ""),
        ("max(a", (3, 4), "unclosed `(` of a function call", ""),
        ("10 GB/", (6, 6), "ends too early", "after `/`"),
        ("GB/", (3, 3), "ends too early", ""),
        ("^", (0, 1), "expected a value, found `^`", ""),
        ("2 m^999", (3, 7), "exponent out of range", ""),
        ("日本 + 1", (0, 1), "unexpected character `日`", ""),
        ("x ≠ y ≠ z", (6, 7), "cannot be chained", ""),
    ];
    for (src, (s, e), msg, hint) in cases {
        let err = parse(src).expect_err(src);
        assert_eq!(err.span, Span::new(*s, *e), "{src}: {err}");
        assert!(err.message.contains(msg), "{src}: {}", err.message);
        let h = err.hint.clone().unwrap_or_default();
        assert!(h.contains(hint), "{src}: hint {h:?}");
    }
}

#[test]
fn spans_cover_operators_and_parentheses() {
    let e = p("(a + b) * c");
    assert_eq!(e.span, Span::new(0, 11));
    let ExprKind::Binary { lhs, .. } = &e.kind else {
        panic!("not binary");
    };
    assert_eq!(lhs.span, Span::new(1, 6));
    assert_eq!(p("max(a, b)").span, Span::new(0, 9));
    assert_eq!(p("-x").span, Span::new(0, 2));
    assert_eq!(p("12.5 GB/s").span, Span::new(0, 9));
    assert_eq!(p("$0.09/GB").span, Span::new(0, 8));
    // Spans count chars, not bytes.
    assert_eq!(p("5 µs + t").span, Span::new(0, 8));
}

#[test]
fn if_is_a_keyword_and_a_function() {
    assert_eq!(eval("if(2 > 1, 1 h, 2 h)"), 3600.0);
    let err = parse("If(a, b, c)").expect_err("case matters");
    assert_eq!(err.hint.as_deref(), Some("did you mean `if`?"));
    let err = parse("if(a, b)").expect_err("arity");
    assert_eq!(err.message, "`if` takes 3 arguments, got 2");
    assert_eq!(err.hint.as_deref(), Some("call it as `if(cond, a, b)`"));
}
