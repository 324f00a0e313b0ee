//! A value in base units shown in its display unit: `$4,500`,
//! `12.5 GB/s`, `67 minutes`.

use super::number::{
    auto_decimals, fixed, format_number, grouped, is_zero_text, scientific, trim_zeros,
};
use super::unit::DisplayUnit;

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
pub(crate) fn show_data(value: f64, digits: Option<u8>) -> Shown {
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
pub(crate) fn shown(text: String, number: f64, unit: &str) -> Shown {
    Shown {
        number: if text == "n/a" { f64::NAN } else { number },
        text,
        unit: unit.to_string(),
    }
}
/// Seconds per day; years are 365 days, as in [`crate::units`].
pub(crate) const DAY: f64 = 86_400.0;
/// Picks the unit by magnitude: below 1 s in ms, then seconds below 2 minutes, minutes below
/// 2 hours, hours below 2 days, days below 2 years, else years.
pub(crate) fn show_duration(value: f64, digits: Option<u8>) -> Shown {
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
