//! Number formatting against hand-written strings.

use super::number::*;
use super::show::*;
use super::*;
use crate::units::{Dim, Unit};

fn unit(s: &str) -> DisplayUnit {
    parse_display_unit(s).unwrap_or_else(|e| panic!("{s}: {e}"))
}

#[test]
fn fixed_rounds_half_away_from_zero() {
    let cases: &[(f64, usize, &str)] = &[
        (0.125, 2, "0.13"),
        (2.5, 0, "3"),
        (-2.5, 0, "-3"),
        (1.5, 0, "2"),
        (0.5, 0, "1"),
        (0.4999, 0, "0"),
        (1.005, 2, "1.01"),
        (123.456, 1, "123.5"),
        (1234.5678, 2, "1234.57"),
        (9.999, 2, "10.00"),
        (99.95, 1, "100.0"),
        (0.05, 1, "0.1"),
        (0.95, 1, "1.0"),
        (0.0, 3, "0.000"),
        (-0.0, 1, "0.0"),
        (-0.001, 2, "0.00"),
        (-0.004, 2, "0.00"),
        (-0.005, 2, "-0.01"),
        (1e-7, 3, "0.000"),
        (5e-324, 2, "0.00"),
        (1e21, 0, "1000000000000000000000"),
        (12.0, 3, "12.000"),
        (123.4, 0, "123"),
        (0.0009, 3, "0.001"),
        (0.0004, 3, "0.000"),
        (250.0, 2, "250.00"),
        (-1234.5, 1, "-1234.5"),
    ];
    for (v, d, want) in cases {
        assert_eq!(fixed(*v, *d), *want, "fixed({v}, {d})");
    }
    assert_eq!(fixed(f64::NAN, 2), "NaN");
    assert_eq!(fixed(f64::INFINITY, 2), "inf");
    assert_eq!(fixed(f64::NEG_INFINITY, 2), "-inf");
    let max = fixed(f64::MAX, 0);
    assert_eq!(max.len(), 309);
    assert!(max.starts_with("17976931348623157"));
    assert_eq!(fixed(1.0, usize::MAX).len(), 2 + MAX_DECIMALS);
}

#[test]
fn thousands_grouping() {
    let cases: &[(&str, &str)] = &[
        ("", ""),
        ("0", "0"),
        ("123", "123"),
        ("1234", "1,234"),
        ("100000", "100,000"),
        ("1234567", "1,234,567"),
        ("-1234", "-1,234"),
        ("-123", "-123"),
    ];
    for (input, want) in cases {
        assert_eq!(group_thousands(input), *want, "{input}");
    }
}

#[test]
fn automatic_significant_digits() {
    let cases: &[(f64, &str)] = &[
        (4000.0, "4,000"),
        (66.666, "66.7"),
        (7.8925, "7.89"),
        (0.012345, "0.0123"),
        (0.0, "0"),
        (-0.0, "0"),
        (2.0, "2"),
        (12.5, "12.5"),
        (1234567.8, "1,234,568"),
        (0.1, "0.1"),
        (9.996, "10"),
        (-5.0, "-5"),
        (-0.00012345, "-0.000123"),
        (1e-20, "0"),
        (-1e-20, "0"),
        (100.0, "100"),
        (999.5, "1,000"),
    ];
    for (v, want) in cases {
        assert_eq!(format_number(*v, None), *want, "{v}");
    }
    assert_eq!(format_number(1234567.8, Some(0)), "1,234,568");
    assert_eq!(format_number(12.5, Some(2)), "12.50");
    assert_eq!(format_number(-0.0001, Some(2)), "0.00");
    assert_eq!(format_number(4000.0, Some(1)), "4,000.0");
}

#[test]
fn show_with_units() {
    // (value in base units, display unit, digits, text, unit label)
    let cases: &[(f64, &str, Option<u8>, &str, &str)] = &[
        (4000.0, "s", None, "4,000 s", "s"),
        (12.5e9, "GB/s", None, "12.5 GB/s", "GB/s"),
        (4500.000000000001, "$", None, "$4,500", "$"),
        (-5.0, "$", None, "-$5", "$"),
        (0.09, "$", None, "$0.09", "$"),
        (9e-11, "$/GB", None, "$0.09/GB", "$/GB"),
        (-9e-11, "$/GB", None, "-$0.09/GB", "$/GB"),
        (0.064, "ms", None, "64 ms", "ms"),
        (4.0, "x", None, "4x", "x"),
        (0.25, "", None, "0.25", ""),
        (3.0, "1", None, "3", ""),
        (1.0e12, "TB", Some(1), "1.0 TB", "TB"),
        (2.0 * 3.6e6, "kWh", None, "2 kWh", "kWh"),
    ];
    for (v, u, digits, text, label) in cases {
        let s = show(*v, &unit(u), *digits);
        assert_eq!(s.text, *text, "{v} {u}");
        assert_eq!(s.unit, *label, "{v} {u}");
    }
    let s = show(12.5e9, &unit("GB/s"), None);
    assert_eq!(s.number, 12.5);
}

#[test]
fn show_percent() {
    let cases: &[(f64, Option<u8>, &str)] = &[
        (0.079, Some(1), "7.9%"),
        (0.078925, None, "7.89%"),
        (1.0, None, "100%"),
        (0.0029, None, "0.29%"),
        (0.23, Some(0), "23%"),
    ];
    for (v, d, text) in cases {
        let s = show(*v, &DisplayUnit::Percent, *d);
        assert_eq!(s.text, *text, "{v}");
        assert_eq!(s.unit, "%");
    }
    assert!((show(0.079, &DisplayUnit::Percent, Some(1)).number - 7.9).abs() < 1e-12);
}

#[test]
fn show_durations() {
    // (seconds, digits, text, label)
    let cases: &[(f64, Option<u8>, &str, &str)] = &[
        (4000.0, None, "67 minutes", "min"),
        (0.84, None, "840 ms", "ms"),
        (0.0005, None, "0.5 ms", "ms"),
        (0.0, None, "0 ms", "ms"),
        (45.0, None, "45 seconds", "s"),
        (1.0, None, "1 second", "s"),
        (1.5, None, "1.5 seconds", "s"),
        (60.0, None, "60 seconds", "s"),
        (119.4, None, "119 seconds", "s"),
        (120.0, None, "2 minutes", "min"),
        (3960.0, None, "66 minutes", "min"),
        (9000.0, None, "2.5 hours", "h"),
        (9000.0, Some(2), "2.50 hours", "h"),
        (40.0 * 3600.0, None, "40 hours", "h"),
        (2.3 * DAY, None, "2.3 days", "d"),
        (100.0 * DAY, None, "100 days", "d"),
        (800.0 * DAY, None, "2.2 years", "y"),
        (-300.0, None, "-5 minutes", "min"),
        (4000.0, Some(1), "66.7 minutes", "min"),
        (1e12, None, "31,710 years", "y"),
    ];
    for (v, d, text, label) in cases {
        let s = show(*v, &DisplayUnit::Duration, *d);
        assert_eq!(s.text, *text, "{v}");
        assert_eq!(s.unit, *label, "{v}");
    }
    let s = show(4000.0, &DisplayUnit::Duration, None);
    assert!((s.number - 4000.0 / 60.0).abs() < 1e-12);
}

#[test]
fn textbook_results_formatted() {
    use crate::expr::parse;
    let eval = |src: &str| {
        let e = parse(src).unwrap_or_else(|e| panic!("{src}: {e}"));
        let c = e
            .compile(&|_| None)
            .unwrap_or_else(|e| panic!("{src}: {e}"));
        c.eval(&[])
    };
    let cases: &[(&str, &str, &str)] = &[
        ("50 TB / 100 Gbps", "s", "4,000 s"),
        ("50 TB / 100 Gbps", "duration", "67 minutes"),
        ("50 TB * $0.09/GB", "$", "$4,500"),
        ("100 Gbps", "GB/s", "12.5 GB/s"),
        ("64 * 150 KB / 150 MB/s", "ms", "64 ms"),
        ("64 * 3 * 8.2 GFLOP / 312 TFLOP/s", "ms", "5.05 ms"),
    ];
    for (src, u, want) in cases {
        assert_eq!(show(eval(src), &unit(u), None).text, *want, "{src}");
    }
}

#[test]
fn non_finite_values_show_as_na() {
    for v in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        for u in [
            unit("s"),
            DisplayUnit::Percent,
            DisplayUnit::Duration,
            unit("$"),
        ] {
            let s = show(v, &u, None);
            assert_eq!(s.text, "n/a");
            assert!(s.number.is_nan());
        }
    }
    let zero = DisplayUnit::Unit(Unit {
        symbol: "odd".to_string(),
        factor: 0.0,
        dim: Dim::DIMENSIONLESS,
    });
    assert_eq!(show(1.0, &zero, None).text, "n/a");
}

#[test]
fn svg_coordinates_use_fixed() {
    assert_eq!(fixed(12.3456, 2), "12.35");
    assert_eq!(fixed(-0.004, 2), "0.00");
    assert_eq!(fixed(640.0, 1), "640.0");
    assert_eq!(fixed(1e-300, 3), "0.000");
}

#[test]
fn explicit_digits_keep_trailing_zeros() {
    let s = show(1.0, &DisplayUnit::Duration, Some(1));
    assert_eq!(s.text, "1.0 seconds");
    let s = show(-5.0, &unit("$"), Some(2));
    assert_eq!(s.text, "-$5.00");
    let s = show(0.5, &DisplayUnit::Percent, Some(2));
    assert_eq!(s.text, "50.00%");
}

#[test]
fn dimensionless_display_units() {
    let bare = unit("");
    assert_eq!(bare, unit("1"));
    assert_eq!(display_dim(&bare), Some(Dim::DIMENSIONLESS));
    let s = show(1_281_167.0, &bare, None);
    assert_eq!((s.text.as_str(), s.unit.as_str()), ("1,281,167", ""));
}

#[test]
fn tiny_bare_numbers_show_in_scientific_notation() {
    let bare = unit("");
    // A p-value of 2.5e-72 at four decimals would read 0.0000.
    assert_eq!(show(2.5e-72, &bare, Some(4)).text, "2.5 × 10⁻⁷²");
    assert_eq!(show(-3.14e-9, &bare, Some(3)).text, "-3.1 × 10⁻⁹");
    assert_eq!(show(1e-5, &bare, Some(4)).text, "1 × 10⁻⁵");
    // 0.00996 at two significant digits rounds up to 1.0 × 10⁻².
    assert_eq!(show(0.00996, &bare, Some(1)).text, "1 × 10⁻²");
    // Values the decimals can show, exact zeros and other units stay as they were.
    assert_eq!(show(0.0123, &bare, Some(4)).text, "0.0123");
    assert_eq!(show(0.0, &bare, Some(4)).text, "0.0000");
    assert_eq!(show(1e-9, &unit("%"), Some(1)).text, "0.0%");
    assert_eq!(show(1e-12, &unit("s"), Some(0)).text, "0 s");
    assert_eq!(scientific(6.02e23, 3), "6.02 × 10²³");
    assert_eq!(scientific(4.9e-324, 2), "4.9 × 10⁻³²⁴");
}

#[test]
fn display_units() {
    assert_eq!(unit("%"), DisplayUnit::Percent);
    assert_eq!(unit(" duration "), DisplayUnit::Duration);
    assert_eq!(display_dim(&unit("GB/s")), Some(Dim::DATA_RATE));
    assert_eq!(display_dim(&DisplayUnit::Percent), Some(Dim::DIMENSIONLESS));
    assert_eq!(display_dim(&DisplayUnit::Duration), Some(Dim::TIME));
    let err = parse_display_unit("  Gpbs").expect_err("typo");
    assert_eq!((err.offset, err.len), (2, 4));
    assert!(err.hint.unwrap_or_default().contains("Gbps"));
    assert!(parse_display_unit("GB/").is_err());
}
