//! Human-readable numbers: `$4,500`, `12.5 GB/s`, `7.9%`, `67 minutes`.
//!
//! Formatting is deterministic and locale-free, because the lab book is built ahead of time and
//! its output must not depend on the machine that built it: `,` groups thousands, `.` is the
//! decimal point, `-` is the minus sign, and rounding is half away from zero on the shortest
//! decimal representation of the value (so `0.125` shows as `0.13` and `1.005` as `1.01`, as a
//! reader rounding by hand would expect, not as binary floating point would).
//!
//! [`show`] takes a value in base units (see [`crate::units`]) and a [`DisplayUnit`] chosen by
//! the author; [`fixed`] is the underlying fixed-decimal formatter, also used for SVG
//! coordinates.

use crate::units::{self, Dim, Unit, UnitError};

/// How a value should be displayed.
#[derive(Clone, Debug, PartialEq)]
pub enum DisplayUnit {
    /// In a given unit, e.g. `GB/s` or `$`; an empty symbol shows a bare number.
    Unit(Unit),
    /// A dimensionless ratio shown as a percentage (`0.079` → `7.9%`).
    Percent,
    /// A time shown in whichever of ms, seconds, minutes, hours, days or years reads best.
    Duration,
    /// An amount of data shown with the decimal prefix that reads best
    /// (`10 GB`, `50 TB`, `1 PB`).
    Data,
}

/// Parses an author's display unit: `%` → [`DisplayUnit::Percent`], `duration` →
/// [`DisplayUnit::Duration`], an empty string or `1` → a bare dimensionless number, anything
/// else a unit as accepted by [`units::parse_unit`].
pub fn parse_display_unit(s: &str) -> Result<DisplayUnit, UnitError> {
    let lead = s.chars().take_while(|c| c.is_whitespace()).count();
    let t = s.trim();
    match t {
        "%" => Ok(DisplayUnit::Percent),
        "duration" => Ok(DisplayUnit::Duration),
        "data" => Ok(DisplayUnit::Data),
        "" | "1" => Ok(DisplayUnit::Unit(Unit {
            symbol: String::new(),
            factor: 1.0,
            dim: Dim::DIMENSIONLESS,
        })),
        _ => units::parse_unit(t)
            .map(DisplayUnit::Unit)
            .map_err(|mut e| {
                e.offset += lead;
                e
            }),
    }
}

/// The dimension a display unit can show. Always `Some` today; the `Option` leaves room for
/// display modes that accept any dimension.
pub fn display_dim(d: &DisplayUnit) -> Option<Dim> {
    Some(match d {
        DisplayUnit::Unit(u) => u.dim,
        DisplayUnit::Percent => Dim::DIMENSIONLESS,
        DisplayUnit::Duration => Dim::TIME,
        DisplayUnit::Data => Dim::DATA,
    })
}

/// A formatted value.
#[derive(Clone, Debug, PartialEq)]
pub struct Shown {
    /// The full text, e.g. `$4,500`, `12.5 GB/s`, `67 minutes`, or `n/a` for non-finite values.
    pub text: String,
    /// The value in the displayed unit, not rounded (NaN for non-finite input).
    pub number: f64,
    /// Short label of the displayed unit: `GB/s`, `$`, `%`, `ms`, `s`, `min`, `h`, `d`, `y`, or
    /// empty for a bare number.
    pub unit: String,
}

/// Upper bound on decimals, so that a huge request cannot allocate without limit.
const MAX_DECIMALS: usize = 64;

/// Automatic formatting never goes below 10⁻¹⁵ (smaller magnitudes show as `0`).
const AUTO_MAX_DECIMALS: i64 = 15;

/// Shortest decimal digits of a finite, non-negative `v` and the position of the decimal point
/// (number of digits before it, possibly zero or negative): 1234.5 → ([1,2,3,4,5], 4),
/// 0.012 → ([1,2], -1), 0 → ([0], 1).
fn shortest_digits(v: f64) -> (Vec<u8>, i64) {
    // `{:e}` prints the shortest representation that reads back as the same f64.
    let s = format!("{:e}", v.abs());
    let (mantissa, exp) = s.split_once('e').unwrap_or((s.as_str(), "0"));
    let digits: Vec<u8> = mantissa
        .bytes()
        .filter(u8::is_ascii_digit)
        .map(|b| b - b'0')
        .collect();
    let exp: i64 = exp.parse().unwrap_or(0);
    if digits.is_empty() {
        (vec![0], 1)
    } else {
        (digits, exp + 1)
    }
}

/// Decimal exponent of a non-zero finite value's leading digit (`1234` → 3, `0.05` → -2).
fn magnitude(v: f64) -> i64 {
    shortest_digits(v).1 - 1
}

/// Formats `value` with exactly `decimals` digits after the point (none and no point when
/// zero), rounding half away from zero, without thousands separators. A result that rounds to
/// zero never carries a minus sign. Non-finite values give `NaN`, `inf` or `-inf`. Decimals
/// beyond 64 are treated as 64.
pub fn fixed(value: f64, decimals: usize) -> String {
    if value.is_nan() {
        return "NaN".to_string();
    }
    if value.is_infinite() {
        return if value > 0.0 { "inf" } else { "-inf" }.to_string();
    }
    let decimals = decimals.min(MAX_DECIMALS);
    let dec = decimals as i64;
    let (mut digits, mut point) = shortest_digits(value);
    let keep = point + dec;
    if keep < 0 {
        digits.clear();
    } else if let Ok(keep) = usize::try_from(keep) {
        if keep < digits.len() {
            let round_up = digits.get(keep).is_some_and(|d| *d >= 5);
            digits.truncate(keep);
            if round_up {
                // Propagate the carry leftwards; past the first digit it adds a new one.
                let mut i = digits.len();
                loop {
                    if i == 0 {
                        digits.insert(0, 1);
                        point += 1;
                        break;
                    }
                    i -= 1;
                    match digits.get_mut(i) {
                        Some(d) if *d == 9 => *d = 0,
                        Some(d) => {
                            *d += 1;
                            break;
                        }
                        None => break,
                    }
                }
            }
        }
    }
    let digit_at = |i: i64| -> char {
        let d = usize::try_from(i)
            .ok()
            .and_then(|i| digits.get(i).copied())
            .unwrap_or(0);
        char::from(b'0' + d)
    };
    let mut out = String::new();
    if point <= 0 {
        out.push('0');
    } else {
        out.extend((0..point).map(digit_at));
    }
    if decimals > 0 {
        out.push('.');
        out.extend((0..dec).map(|j| digit_at(point + j)));
    }
    let is_zero = out.chars().all(|c| c == '0' || c == '.');
    if value < 0.0 && !is_zero {
        out.insert(0, '-');
    }
    out
}

/// Inserts `,` every three digits from the right: `1234567` → `1,234,567`. A leading `-` is
/// kept in front.
pub fn group_thousands(int_digits: &str) -> String {
    let (sign, digits) = match int_digits.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", int_digits),
    };
    let n = digits.chars().count();
    let mut out = String::with_capacity(int_digits.len() + n / 3);
    out.push_str(sign);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (n - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Removes trailing zeros after the decimal point, and the point if nothing is left.
fn trim_zeros(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

/// Groups the integer part of a `fixed` result.
fn grouped(s: &str) -> String {
    match s.split_once('.') {
        Some((int, frac)) => format!("{}.{frac}", group_thousands(int)),
        None => group_thousands(s),
    }
}

/// Formats a number with thousands separators: with `digits`, exactly that many decimals;
/// otherwise three significant digits (never fewer than zero decimals, so 1234567.8 shows as
/// `1,234,568`) with trailing zeros trimmed.
pub fn format_number(value: f64, digits: Option<u8>) -> String {
    if !value.is_finite() {
        return "n/a".to_string();
    }
    match digits {
        Some(d) => grouped(&fixed(value, usize::from(d))),
        None => {
            let decimals = auto_decimals(value, 3);
            grouped(trim_zeros(&fixed(value, decimals)))
        }
    }
}

/// Whether a formatted number reads as zero (`0`, `0.0000`, `-0`).
fn is_zero_text(n: &str) -> bool {
    n.chars().all(|c| matches!(c, '0' | '.' | '-' | ','))
}

/// Scientific notation with `significant` significant digits, trailing zeros trimmed:
/// `2.5 × 10⁻⁷²`, `1 × 10⁻⁵`, `-3.1 × 10⁸`. Non-finite values give `n/a`.
pub fn scientific(value: f64, significant: u8) -> String {
    if !value.is_finite() {
        return "n/a".to_string();
    }
    if value == 0.0 {
        return "0".to_string();
    }
    let decimals = usize::from(significant.max(1) - 1);
    let mut exp = magnitude(value);
    let mut mantissa = trim_zeros(&fixed(scale10(value, -exp), decimals)).to_string();
    // Rounding can carry the mantissa to 10 (9.96 at two digits): move it to the exponent.
    if mantissa.trim_start_matches('-').starts_with("10") {
        exp += 1;
        mantissa = trim_zeros(&fixed(scale10(value, -exp), decimals)).to_string();
    }
    format!("{mantissa} × 10{}", superscript(exp))
}

/// `value × 10^k`, in two steps so that neither power overflows for subnormal values.
fn scale10(value: f64, k: i64) -> f64 {
    let half = (k / 2) as i32;
    value * 10f64.powi(half) * 10f64.powi(k as i32 - half)
}

/// An integer in Unicode superscript digits, with a superscript minus: `-72` → `⁻⁷²`.
fn superscript(n: i64) -> String {
    const DIGITS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    let mut out = String::new();
    if n < 0 {
        out.push('⁻');
    }
    for c in n.unsigned_abs().to_string().chars() {
        let d = c.to_digit(10).unwrap_or(0) as usize;
        out.push(DIGITS[d]);
    }
    out
}

/// Decimals that show `significant` significant digits of `value`, at least zero.
fn auto_decimals(value: f64, significant: i64) -> usize {
    if value == 0.0 {
        return 0;
    }
    let decimals = (significant - 1 - magnitude(value)).clamp(0, AUTO_MAX_DECIMALS);
    usize::try_from(decimals).unwrap_or(0)
}

/// Formats `value` (in base units) for a reader. `digits` fixes the number of decimals;
/// `None` picks them automatically (3 significant digits, or 2 for durations with no decimals
/// from 10 up) and trims trailing zeros. Non-finite values give the text `n/a`.
pub fn show(value: f64, unit: &DisplayUnit, digits: Option<u8>) -> Shown {
    match unit {
        DisplayUnit::Percent => {
            let number = value * 100.0;
            let text = if number.is_finite() {
                format!("{}%", format_number(number, digits))
            } else {
                "n/a".to_string()
            };
            shown(text, number, "%")
        }
        DisplayUnit::Unit(u) => {
            let number = value / u.factor;
            if !number.is_finite() {
                return shown("n/a".to_string(), number, &u.symbol);
            }
            let symbol = u.symbol.as_str();
            let n = format_number(number, digits);
            // A bare number too small for its decimals (a p-value of 2.5e-72 at four
            // decimals) would read as zero; it is shown in scientific notation instead.
            let n = if symbol.is_empty() && number != 0.0 && is_zero_text(&n) {
                scientific(number, 2)
            } else {
                n
            };
            let (sign, magnitude) = match n.strip_prefix('-') {
                Some(rest) => ("-", rest),
                None => ("", n.as_str()),
            };
            let text = if symbol.is_empty() {
                n.clone()
            } else if let Some(rest) = symbol.strip_prefix('$') {
                // Dollars lead: `$4,500`, `-$5`, and `$0.09/GB` for a price per unit.
                format!("{sign}${magnitude}{rest}")
            } else if symbol == "%" || symbol == "x" {
                format!("{n}{symbol}")
            } else {
                format!("{n} {symbol}")
            };
            shown(text, number, symbol)
        }
        DisplayUnit::Duration => show_duration(value, digits),
        DisplayUnit::Data => show_data(value, digits),
    }
}

/// Shows bytes with the largest decimal prefix that keeps the number at or
/// above 1, so slider stops from gigabytes to petabytes read naturally.
fn show_data(value: f64, digits: Option<u8>) -> Shown {
    const PREFIXES: [&str; 7] = ["B", "KB", "MB", "GB", "TB", "PB", "EB"];
    let mut k = 0;
    while k + 1 < PREFIXES.len() && value.abs() >= 1000f64.powi(k as i32 + 1) {
        k += 1;
    }
    let symbol = PREFIXES[k];
    let number = value / 1000f64.powi(k as i32);
    if !number.is_finite() {
        return shown("n/a".to_string(), number, symbol);
    }
    shown(
        format!("{} {symbol}", format_number(number, digits)),
        number,
        symbol,
    )
}

fn shown(text: String, number: f64, unit: &str) -> Shown {
    Shown {
        number: if text == "n/a" { f64::NAN } else { number },
        text,
        unit: unit.to_string(),
    }
}

/// Seconds per day; years are 365 days, as in [`crate::units`].
const DAY: f64 = 86_400.0;

/// Picks the unit by magnitude: below 1 s in ms, then seconds below 2 minutes, minutes below
/// 2 hours, hours below 2 days, days below 2 years, else years.
fn show_duration(value: f64, digits: Option<u8>) -> Shown {
    if !value.is_finite() {
        return shown("n/a".to_string(), f64::NAN, "s");
    }
    let a = value.abs();
    // (seconds per unit, label, singular word, plural word); ms keeps its symbol in text.
    let (scale, label, one, many) = if a < 1.0 {
        (1e-3, "ms", "ms", "ms")
    } else if a < 120.0 {
        (1.0, "s", "second", "seconds")
    } else if a < 7_200.0 {
        (60.0, "min", "minute", "minutes")
    } else if a < 2.0 * DAY {
        (3_600.0, "h", "hour", "hours")
    } else if a < 730.0 * DAY {
        (DAY, "d", "day", "days")
    } else {
        (365.0 * DAY, "y", "year", "years")
    };
    let number = value / scale;
    let n = match digits {
        Some(d) => grouped(&fixed(number, usize::from(d))),
        None => {
            // Two significant digits, but whole numbers from 10 up: "67 minutes", "1.1 hours".
            let decimals = if number.abs() >= 10.0 {
                0
            } else {
                auto_decimals(number, 2)
            };
            grouped(trim_zeros(&fixed(number, decimals)))
        }
    };
    let word = if n == "1" || n == "-1" { one } else { many };
    shown(format!("{n} {word}"), number, label)
}

/// The shortest text that reads back as `x`, written as JavaScript's
/// `String(x)` writes it (`50`, not `50.0`; `-0` as `0`), so an attribute
/// keeps its form when the page script updates it; `NaN` for a value that
/// is not finite.
pub fn shortest(x: f64) -> String {
    if !x.is_finite() {
        return "NaN".to_string();
    }
    let s = format!("{x}");
    if s == "-0" {
        "0".to_string()
    } else {
        s
    }
}

/// [`shortest`] with float noise below 1e-9 removed, so a slider step of
/// 0.1 stays `0.1`.
pub fn shortest_clean(x: f64) -> String {
    shortest((x * 1e9).round() / 1e9)
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
