//! Dimension inference and its messages.

use super::super::tests::{dims, p};
use crate::expr::*;

#[test]
fn dimension_checks() {
    // (source, expected dimension)
    let ok: &[(&str, Dim)] = &[
        ("batch_bytes / BW", Dim::TIME),
        ("t_io + batch_bytes / BW", Dim::TIME),
        ("util >= 80%", Dim::DIMENSIONLESS),
        ("t > 6 h", Dim::DIMENSIONLESS),
        ("sqrt(2 * delta * mtbf)", Dim::TIME),
        ("t^2", Dim([2, 0, 0, 0, 0, 0])),
        ("(t^2)^0.5", Dim::TIME),
        ("t^(1/2 * 2)", Dim::TIME),
        ("t^-1", Dim::FREQUENCY),
        ("2^workers", Dim::DIMENSIONLESS),
        ("1 - exp(-t / mtbf)", Dim::DIMENSIONLESS),
        ("floor(t / 1 h)", Dim::DIMENSIONLESS),
        ("if(t > 1 h, t, 2 h)", Dim::TIME),
        ("clamp(t, 0 s, 1 h)", Dim::TIME),
        ("min(1, BW / (1 GB/s))", Dim::DIMENSIONLESS),
        ("size * price", Dim::CURRENCY),
        ("abs(-t)", Dim::TIME),
        ("not (t > 1 s)", Dim::DIMENSIONLESS),
    ];
    for (src, dim) in ok {
        assert_eq!(p(src).check(&dims), Ok(*dim), "{src}");
    }
}

#[test]
fn adding_time_and_data_names_both_sides() {
    let err = p("1 ms + 1 MB").check(&dims).expect_err("must fail");
    assert_eq!(err.span, Span::new(0, 11));
    assert!(err.message.starts_with("cannot add time and data"), "{err}");
    assert!(err.message.contains("`1 ms` is time (s)"), "{err}");
    assert!(err.message.contains("`1 MB` is data (B)"), "{err}");
    assert!(err.hint.is_some());

    let err = p("x * 2 + (t_io + batch_bytes)")
        .check(&dims)
        .expect_err("must fail");
    assert_eq!(
        err.message,
        "cannot add time and data: `t_io` is time (s), `batch_bytes` is data (B)"
    );
    assert_eq!(err.span, Span::new(9, 27));
    assert_eq!(
        err.hint.as_deref(),
        Some("check the units of both sides; both must have the same dimension")
    );
}

#[test]
fn dimension_errors() {
    // (source, span, message fragment, hint fragment)
    let cases: &[(&str, (usize, usize), &str, &str)] = &[
        (
            "t - batch_bytes",
            (0, 15),
            "cannot subtract data from time",
            "",
        ),
        ("t > 1 GB", (0, 8), "cannot compare time with data", ""),
        (
            "unknown_thing + 1",
            (0, 13),
            "unknown name `unknown_thing`",
            "",
        ),
        (
            "floor(t)",
            (6, 7),
            "`floor` needs a dimensionless argument",
            "floor(t / 1 h)",
        ),
        (
            "ln(size)",
            (3, 7),
            "`ln` needs a dimensionless argument",
            "ln(t / 1 s)",
        ),
        (
            "sqrt(BW)",
            (5, 7),
            "square root of `BW`: it is data rate (B·s⁻¹)",
            "",
        ),
        ("t^0.5", (0, 5), "fractional", ""),
        ("t^workers", (0, 9), "constant power", ""),
        ("2^t", (2, 3), "exponent must be dimensionless", ""),
        (
            "max(t, size)",
            (0, 12),
            "the arguments of `max` must have the same dimension",
            "",
        ),
        ("if(t, 1, 2)", (3, 4), "condition of `if`", "t > 6 h"),
        ("if(t > 1 s, t, size)", (0, 20), "branches of `if`", ""),
        ("t and 1", (0, 1), "`and` needs true/false", ""),
        ("not t", (4, 5), "`not` needs", ""),
        (
            "4 GB/workers",
            (5, 12),
            "`workers` after a number is read as a unit",
            "`4 GB / workers`",
        ),
        ("2 workers", (2, 9), "also a name", "`2 * workers`"),
        ("t^100 * t^100", (0, 13), "out of range", ""),
    ];
    for (src, (s, e), msg, hint) in cases {
        let err = p(src).check(&dims).expect_err(src);
        assert_eq!(err.span, Span::new(*s, *e), "{src}: {err}");
        assert!(err.message.contains(msg), "{src}: {}", err.message);
        let h = err.hint.clone().unwrap_or_default();
        assert!(h.contains(hint), "{src}: hint {h:?}");
    }
}

#[test]
fn unknown_name_message() {
    let err = p("t_oi * 2").check(&dims).expect_err("typo");
    assert_eq!(err.message, "unknown name `t_oi`");
    assert_eq!(err.span, Span::new(0, 4));
}
