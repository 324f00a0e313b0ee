//! Units and quantities against hand-computed values, and their error messages.

use super::atoms::ATOMS;
use super::*;
use crate::diag::suggest::{self, Vocabulary};

fn rel_eq(a: f64, b: f64) -> bool {
    a == b || ((a - b) / b).abs() < 1e-12
}

fn q(s: &str) -> Quantity {
    match parse_quantity(s) {
        Ok(q) => q,
        Err(e) => panic!("{s:?}: {e}"),
    }
}

fn u(s: &str) -> Unit {
    match parse_unit(s) {
        Ok(u) => u,
        Err(e) => panic!("{s:?}: {e}"),
    }
}

#[test]
fn quantities_in_base_units() {
    let cases: &[(&str, f64, Dim)] = &[
        ("64", 64.0, Dim::DIMENSIONLESS),
        ("7.5%", 0.075, Dim::DIMENSIONLESS),
        ("1e3 GB", 1e12, Dim::DATA),
        ("100 Gbps", 12.5e9, Dim::DATA_RATE),
        ("12.5 GB/s", 12.5e9, Dim::DATA_RATE),
        ("100 Gb/s", 12.5e9, Dim::DATA_RATE),
        ("0.15 GB/s", 1.5e8, Dim::DATA_RATE),
        ("312 TFLOP/s", 312e12, Dim::COMPUTE_RATE),
        ("312 TFLOPS", 312e12, Dim::COMPUTE_RATE),
        ("100 TOPS", 100e12, Dim::COMPUTE_RATE),
        ("-3 ms", -3e-3, Dim::TIME),
        ("1 KiB", 1024.0, Dim::DATA),
        ("1 KB", 1000.0, Dim::DATA),
        ("1 TiB", 1_099_511_627_776.0, Dim::DATA),
        ("8 bit", 1.0, Dim::DATA),
        ("1 Gbit", 1.25e8, Dim::DATA),
        ("2 day", 172_800.0, Dim::TIME),
        ("1 week", 604_800.0, Dim::TIME),
        ("1 year", 31_536_000.0, Dim::TIME),
        ("1 month", 2_592_000.0, Dim::TIME),
        ("4.1 GMAC", 8.2e9, Dim::COMPUTE),
        ("1 mi", 1609.344, Dim::LENGTH),
        ("3.7 pJ", 3.7e-12, Dim::ENERGY),
        ("1 kWh", 3.6e6, Dim::ENERGY),
        ("400 W", 400.0, Dim::POWER),
        ("2 GHz", 2e9, Dim::FREQUENCY),
        ("4x", 4.0, Dim::DIMENSIONLESS),
        ("150 KB/image", 150e3, Dim::DATA),
        ("300 image/s", 300.0, Dim::FREQUENCY),
        ("5 ppm", 5e-6, Dim::DIMENSIONLESS),
        ("100Gbps", 12.5e9, Dim::DATA_RATE),
        ("  2 h  ", 7200.0, Dim::TIME),
        ("1 µs", 1e-6, Dim::TIME),
        ("1 μs", 1e-6, Dim::TIME),
        ("1 us", 1e-6, Dim::TIME),
        ("1 USD", 1.0, Dim::CURRENCY),
    ];
    for (text, value, dim) in cases {
        let got = q(text);
        assert!(
            rel_eq(got.value, *value),
            "{text}: {} != {value}",
            got.value
        );
        assert_eq!(got.dim, *dim, "{text}");
    }
}

#[test]
fn dollar_prefix() {
    let cases: &[(&str, f64, Dim)] = &[
        ("$4", 4.0, Dim::CURRENCY),
        ("-$5", -5.0, Dim::CURRENCY),
        ("$0.09/GB", 0.09e-9, Dim([0, -1, 0, 0, 1, 0])),
        ("0.09 $/GB", 0.09e-9, Dim([0, -1, 0, 0, 1, 0])),
        (
            "$23/TB/month",
            23.0 / 1e12 / 2_592_000.0,
            Dim([-1, -1, 0, 0, 1, 0]),
        ),
        ("$4/h", 4.0 / 3600.0, Dim([-1, 0, 0, 0, 1, 0])),
    ];
    for (text, value, dim) in cases {
        let got = q(text);
        assert!(
            rel_eq(got.value, *value),
            "{text}: {} != {value}",
            got.value
        );
        assert_eq!(got.dim, *dim, "{text}");
    }
}

#[test]
fn hundred_gbps_is_twelve_and_a_half_gigabytes_per_second() {
    let link = q("100 Gbps");
    let gbs = u("GB/s");
    assert_eq!(link.dim, gbs.dim);
    assert!(rel_eq(link.value / gbs.factor, 12.5));
}

#[test]
fn tebibyte_in_terabytes() {
    let tib = q("1 TiB");
    assert_eq!(tib.value / u("TB").factor, 1.099511627776);
}

#[test]
fn compound_units() {
    let cases: &[(&str, &str, f64, Dim)] = &[
        ("GB/s", "GB/s", 1e9, Dim::DATA_RATE),
        ("$/GB", "$/GB", 1e-9, Dim([0, -1, 0, 0, 1, 0])),
        ("kg*m^2/s^2", "kg·m²/s²", 1.0, Dim::ENERGY),
        ("kg·m²/s²", "kg·m²/s²", 1.0, Dim::ENERGY),
        ("s^-1", "s⁻¹", 1.0, Dim::FREQUENCY),
        ("1/s", "1/s", 1.0, Dim::FREQUENCY),
        ("km^2", "km²", 1e6, Dim([0, 0, 2, 0, 0, 0])),
        ("pJ/B", "pJ/B", 1e-12, Dim([-2, -1, 2, 1, 0, 0])),
        ("USD/h", "$/h", 1.0 / 3600.0, Dim([-1, 0, 0, 0, 1, 0])),
        ("us", "µs", 1e-6, Dim::TIME),
        ("%", "%", 0.01, Dim::DIMENSIONLESS),
        ("W*h", "W·h", 3600.0, Dim::ENERGY),
    ];
    for (text, symbol, factor, dim) in cases {
        let got = u(text);
        assert_eq!(got.symbol, *symbol, "{text}");
        assert!(rel_eq(got.factor, *factor), "{text}: {}", got.factor);
        assert_eq!(got.dim, *dim, "{text}");
        // The canonical symbol must read back as the same unit.
        let again = u(&got.symbol);
        assert_eq!(again, got, "{text} round trip");
    }
}

#[test]
fn unit_errors_have_offsets_and_hints() {
    // (input, offset, len, message fragment, hint fragment)
    let cases: &[(&str, usize, usize, &str, &str)] = &[
        ("Gpbs", 0, 4, "unknown unit `Gpbs`", "`Gbps`"),
        (
            "gb",
            0,
            2,
            "unknown unit `gb`",
            "`GB` (gigabyte) or `Gb` (gigabit)",
        ),
        ("MB/sec", 3, 3, "unknown unit `sec`", "`s`"),
        ("GB/", 3, 0, "expected a unit after `/`", ""),
        ("^", 0, 1, "expected a unit", ""),
        ("", 0, 0, "empty unit", ""),
        ("GB / s", 2, 1, "unexpected space", ""),
        ("m^", 1, 1, "integer exponent", ""),
        ("m^999", 1, 4, "exponent out of range", ""),
        ("TFLOPs", 0, 6, "unknown unit", "`TFLOP/s`"),
        ("GBps", 0, 4, "unknown unit", "`GB/s`"),
        ("G#", 0, 1, "unknown unit `G`", ""),
        ("2GB", 0, 1, "unexpected number", "before the unit"),
    ];
    for (text, offset, len, msg, hint) in cases {
        let err = parse_unit(text).expect_err(text);
        assert_eq!((err.offset, err.len), (*offset, *len), "{text}: {err}");
        assert!(err.message.contains(msg), "{text}: {}", err.message);
        let h = err.hint.clone().unwrap_or_default();
        assert!(h.contains(hint), "{text}: hint {h:?}");
    }
}

#[test]
fn quantity_errors() {
    let cases: &[(&str, usize, &str, &str)] = &[
        (
            "1,000 GB",
            1,
            "thousands separators",
            "write 1000 without separators",
        ),
        ("1e999 GB", 0, "too large", ""),
        ("1e300 EB", 0, "too large", ""),
        ("NaN", 0, "not a usable number", ""),
        ("inf GB", 0, "not a usable number", ""),
        ("", 0, "nothing", ""),
        ("GB", 0, "expected a number", "`1 GB`"),
        ("$", 1, "expected a number after `$`", ""),
        ("12  GB", 2, "more than one space", ""),
        ("12 GB extra", 6, "unexpected text after the unit", ""),
        ("$4 GB", 2, "after a dollar amount", "$0.09/GB"),
        (".5 s", 0, "start with a digit", "0.5"),
        ("3 Gpbs", 2, "unknown unit `Gpbs`", "Gbps"),
        ("0.15 GB/", 8, "expected a unit after `/`", ""),
    ];
    for (text, offset, msg, hint) in cases {
        let err = parse_quantity(text).expect_err(text);
        assert_eq!(err.offset, *offset, "{text}: {err}");
        assert!(err.message.contains(msg), "{text}: {}", err.message);
        let h = err.hint.clone().unwrap_or_default();
        assert!(h.contains(hint), "{text}: hint {h:?}");
    }
}

#[test]
fn odd_inputs_never_panic() {
    let odd = [
        "",
        "(((",
        "1e999 GB",
        "$",
        "GB/",
        "^",
        "ümlaut",
        "日本",
        "1 日本",
        "-",
        "--3",
        "$$",
        "1e",
        "1e+",
        "1.",
        "1..2",
        "%",
        "1 %%",
        "m^-",
        "m^--1",
        "s⁻",
        "s²²²",
        "1/",
        "1//s",
        "\u{0}",
        "1 GB\u{200b}",
        "-$",
        "$-5",
        "1 ^2",
        "9e307 EB",
        "1 s^127*s^127",
        "1 EB^100",
        "1 ns^-120",
        "1 m^-128",
        "1_000",
        "1,",
        "  ",
        "µ",
        "1 µ",
    ];
    for s in odd {
        let _ = parse_quantity(s);
        let _ = parse_unit(s);
    }
    assert!(parse_quantity("1 s^127*s^127").is_err());
    assert!(parse_quantity("1 EB^100").is_err());
    assert!(parse_quantity("$-5").is_err());
}

#[test]
fn suggestions() {
    let symbols = || ATOMS.iter().map(|a| a.sym);
    assert_eq!(
        suggest::suggestions("Gpbs", symbols(), Vocabulary::Symbols),
        vec!["Gbps"]
    );
    assert_eq!(
        suggest::suggestions("GBs", symbols(), Vocabulary::Symbols),
        vec!["GB"]
    );
    assert!(suggest::suggestions("q", symbols(), Vocabulary::Symbols).is_empty());
    assert!(suggest_unit("zzzzzz").is_none());
    assert!(suggest_unit(&"G".repeat(100_000)).is_none());
    assert!(suggest_unit("flop").is_some_and(|h| h.contains("`FLOP`")));
    assert_eq!(
        UnitError::new(0, 1, "unknown unit `x`")
            .hint("did you mean `y`?")
            .to_string(),
        "unknown unit `x` (did you mean `y`?)"
    );
}

#[test]
fn bits_and_bytes_are_not_confused() {
    assert_eq!(q("8 Gb").value, q("1 GB").value);
    assert_eq!(q("1 Gbps").value * 8.0, q("1 GB/s").value);
    assert_eq!(q("1 Gbit").value, q("1 Gb").value);
    assert_eq!(q("1 kbps").value, q("1 Kbps").value);
    assert_eq!(q("125 MB/s").value, q("1 Gbps").value);
}

#[test]
fn decimal_and_binary_prefixes() {
    assert_eq!(q("1 KB").value, 1e3);
    assert_eq!(q("1 kB").value, 1e3);
    assert_eq!(q("1 KiB").value, 1024.0);
    assert_eq!(q("1 MiB").value, 1024.0 * 1024.0);
    assert_eq!(q("1 GiB").value, 1024.0 * 1024.0 * 1024.0);
    assert_eq!(q("1 TiB").value, 2f64.powi(40));
    assert_eq!(q("1 PiB").value, 2f64.powi(50));
    assert_eq!(q("80 GiB").value, 85_899_345_920.0);
}

#[test]
fn month_and_year_are_fixed_conventions() {
    assert_eq!(q("1 month").value, 30.0 * 86_400.0);
    assert_eq!(q("1 year").value, 365.0 * 86_400.0);
    assert_eq!(q("2 weeks").value, q("14 days").value);
}

#[test]
fn macs_are_two_flops_and_ops_are_one() {
    assert_eq!(q("4.1 GMAC").value, q("8.2 GFLOP").value);
    assert_eq!(q("1 MAC").value, 2.0);
    assert_eq!(q("100 TOPS").value, q("100 TOP/s").value);
    assert_eq!(q("312 TFLOPS").value, q("312 TFLOP/s").value);
    assert_eq!(q("1 PFLOPS").dim, Dim::COMPUTE_RATE);
}

#[test]
fn energy_and_power_units() {
    assert_eq!(q("1 Wh").value, 3600.0);
    assert_eq!(q("1 kW").value * 3600.0, q("1 kWh").value);
    assert_eq!(q("1 J").dim, q("1 W").dim.mul(Dim::TIME));
    assert_eq!(q("160 pJ/B").dim.describe(), "energy per data");
    assert_eq!(q("$0.12/kWh").dim.describe(), "currency per energy");
}

#[test]
fn count_nouns_are_dimensionless() {
    for noun in ["image", "GPUs", "workers", "tokens", "batch", "params"] {
        assert!(is_count_noun(noun), "{noun}");
        let unit = u(noun);
        assert_eq!((unit.factor, unit.dim), (1.0, Dim::DIMENSIONLESS), "{noun}");
    }
    assert!(!is_count_noun("GB"));
    assert!(is_unit_atom("GB"));
    assert!(!is_unit_atom("GB/s"));
    assert_eq!(unit_name("Gbps"), Some("gigabit per second"));
    assert_eq!(q("16 B/param").value, 16.0);
}

#[test]
fn case_variants_are_all_suggested() {
    let err = parse_unit("gb").expect_err("lowercase gb is not a unit");
    assert_eq!(
        err.hint.as_deref(),
        Some("did you mean `GB` (gigabyte) or `Gb` (gigabit)?")
    );
    let err = parse_unit("usd").expect_err("lowercase usd");
    assert_eq!(err.hint.as_deref(), Some("did you mean `USD` (US dollar)?"));
}

#[test]
fn separators_are_rejected_with_the_cleaned_number() {
    let err = parse_quantity("1_000 GB").expect_err("underscore");
    assert_eq!(err.hint.as_deref(), Some("write 1000 without separators"));
    let err = parse_quantity("1,281,167 images").expect_err("commas");
    assert_eq!(
        err.hint.as_deref(),
        Some("write 1281167 without separators")
    );
    assert_eq!(err.offset, 1);
}

#[test]
fn superscript_exponents() {
    assert_eq!(u("m²").dim, Dim([0, 0, 2, 0, 0, 0]));
    assert_eq!(u("s⁻¹").dim, Dim::FREQUENCY);
    assert_eq!(u("s⁻¹²").dim, Dim([-12, 0, 0, 0, 0, 0]));
    assert_eq!(u("m^0").dim, Dim::DIMENSIONLESS);
}

#[test]
fn unit_error_display() {
    let err = parse_quantity("3 Gpbs").expect_err("typo");
    assert_eq!(
        err.to_string(),
        "unknown unit `Gpbs` (did you mean `Gbps` (gigabit per second)?)"
    );
}

#[test]
fn atom_table_is_consistent() {
    for (i, a) in ATOMS.iter().enumerate() {
        assert!(a.factor.is_finite() && a.factor > 0.0, "{}", a.sym);
        assert!(
            ATOMS.iter().skip(i + 1).all(|b| b.sym != a.sym),
            "duplicate {}",
            a.sym
        );
        // Every atom must be scannable as one atom, or the tokenizer could not find it.
        let chars: Vec<char> = a.sym.chars().collect();
        assert_eq!(atom_len(&chars, 0), chars.len(), "{}", a.sym);
    }
    for kw in ["and", "or", "not", "if"] {
        assert!(!is_unit_atom(kw), "keyword {kw} must not be a unit");
    }
}
