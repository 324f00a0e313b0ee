//! Quantity literals: a number, optionally a unit (`100 Gbps`, `80%`, `$0.09/GB`).

use super::atoms::is_unit_atom;
use super::unit::parse_unit_chars;
use super::{Dim, Quantity, Unit, UnitError};

/// Scans a decimal number (`64`, `0.5`, `1e-3`, `2.5E9`) at `chars[start]`, returning its text
/// and end position, or `None` if no digit starts there. An `e` not followed by digits is left
/// alone so that `2 EB` and `5eggs` tokenize as a number and a word.
pub(crate) fn scan_number(chars: &[char], start: usize) -> Option<(String, usize)> {
    let digit_run = |from: usize| {
        chars
            .get(from..)
            .unwrap_or(&[])
            .iter()
            .take_while(|c| c.is_ascii_digit())
            .count()
    };
    let int = digit_run(start);
    if int == 0 {
        return None;
    }
    let mut end = start + int;
    if chars.get(end) == Some(&'.') {
        let frac = digit_run(end + 1);
        if frac > 0 {
            end += 1 + frac;
        }
    }
    if matches!(chars.get(end), Some('e') | Some('E')) {
        let sign = usize::from(matches!(chars.get(end + 1), Some('+') | Some('-')));
        let digits = digit_run(end + 1 + sign);
        if digits > 0 {
            end += 1 + sign + digits;
        }
    }
    let text: String = chars.get(start..end).unwrap_or(&[]).iter().collect();
    Some((text, end))
}

/// Parses a number scanned by [`scan_number`], rejecting values too large for `f64`.
pub(crate) fn number_value(text: &str, offset: usize) -> Result<f64, UnitError> {
    let len = text.chars().count();
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(
            UnitError::new(offset, len, format!("number `{text}` is too large"))
                .hint("numbers must be below about 1.8e308"),
        ),
    }
}

/// Parses a quantity literal: a number, then at most one space, then an optional unit, which is
/// the maximal run of non-space characters (`64`, `7.5%`, `1e3 GB`, `100 Gbps`, `-3 ms`,
/// `312 TFLOP/s`, `0.09 $/GB`). A dollar sign before the number means dollars, optionally
/// followed by `/unit…` with no space (`$4`, `$0.09/GB`, `-$5`). Surrounding whitespace is
/// ignored.
///
/// Rejected with a hint: thousands separators (`1,000 GB`), `NaN`/`inf`, and values that do
/// not fit in an `f64` once converted to base units (`1e999 GB`).
pub fn parse_quantity(s: &str) -> Result<Quantity, UnitError> {
    let chars: Vec<char> = s.chars().collect();
    let mut pos = chars.iter().take_while(|c| c.is_whitespace()).count();
    let end = chars.len() - chars.iter().rev().take_while(|c| c.is_whitespace()).count();
    let end = end.max(pos);
    if pos == end {
        return Err(UnitError::new(pos, 0, "expected a quantity, found nothing")
            .hint("write a number with an optional unit, e.g. `12.5 GB/s`"));
    }
    let chars = chars.get(..end).unwrap_or(&[]);
    let negative = chars.get(pos) == Some(&'-');
    if negative || chars.get(pos) == Some(&'+') {
        pos += 1;
    }
    let dollar = chars.get(pos) == Some(&'$');
    if dollar {
        pos += 1;
    }
    let Some((text, num_end)) = scan_number(chars, pos) else {
        return Err(number_missing(chars, pos, dollar));
    };
    check_no_separators(chars, pos, num_end)?;
    let number = number_value(&text, pos)?;
    let number = if negative { -number } else { number };
    let unit = if dollar {
        let dollars = Unit {
            symbol: "$".to_string(),
            factor: 1.0,
            dim: Dim::CURRENCY,
        };
        if num_end == end {
            Some(dollars)
        } else if matches!(chars.get(num_end), Some('/') | Some('*') | Some('·')) {
            let tail = chars.get(num_end..).unwrap_or(&[]);
            let tail_end = tail.iter().take_while(|c| !c.is_whitespace()).count();
            trailing_text(chars, num_end + tail_end)?;
            Some(parse_unit_chars(
                tail.get(..tail_end).unwrap_or(&[]),
                num_end,
                Some(dollars),
            )?)
        } else {
            return Err(UnitError::new(
                num_end,
                end - num_end,
                "unexpected text after a dollar amount",
            )
            .hint("for a price per unit write e.g. `$0.09/GB` (no spaces)"));
        }
    } else if num_end == end {
        None
    } else {
        let mut start = num_end;
        if chars.get(start) == Some(&' ') {
            start += 1;
        }
        if chars.get(start).is_some_and(|c| c.is_whitespace()) {
            return Err(
                UnitError::new(num_end, 1, "more than one space between number and unit")
                    .hint("write a single space, e.g. `12.5 GB/s`"),
            );
        }
        let unit_len = chars
            .get(start..)
            .unwrap_or(&[])
            .iter()
            .take_while(|c| !c.is_whitespace())
            .count();
        trailing_text(chars, start + unit_len)?;
        let unit_chars = chars.get(start..start + unit_len).unwrap_or(&[]);
        Some(parse_unit_chars(unit_chars, start, None)?)
    };
    let (factor, dim) = match &unit {
        Some(u) => (u.factor, u.dim),
        None => (1.0, Dim::DIMENSIONLESS),
    };
    let value = number * factor;
    if !value.is_finite() {
        return Err(UnitError::new(0, end, "quantity is too large")
            .hint("values must be below about 1.8e308 in base units (s, B, m, kg, $, FLOP)"));
    }
    Ok(Quantity { value, dim })
}

/// Explains why no number was found at `chars[pos]`.
fn number_missing(chars: &[char], pos: usize, dollar: bool) -> UnitError {
    let word_len = chars
        .get(pos..)
        .unwrap_or(&[])
        .iter()
        .take_while(|c| c.is_alphanumeric())
        .count();
    let word: String = chars
        .get(pos..pos + word_len)
        .unwrap_or(&[])
        .iter()
        .collect();
    let lower = word.to_lowercase();
    if lower == "nan" || lower.starts_with("inf") {
        return UnitError::new(pos, word_len, format!("`{word}` is not a usable number"))
            .hint("quantities must be finite numbers");
    }
    if chars.get(pos) == Some(&'.') {
        return UnitError::new(pos, 1, "a number must start with a digit")
            .hint("write `0.5` rather than `.5`");
    }
    if dollar {
        return UnitError::new(pos, 0, "expected a number after `$`")
            .hint("write e.g. `$4` or `$0.09/GB`; for a negative amount write `-$5`");
    }
    let err = UnitError::new(pos, word_len.max(1), "expected a number");
    if is_unit_atom(&word) {
        err.hint(format!("write the amount before the unit, e.g. `1 {word}`"))
    } else {
        err.hint("write a number with an optional unit, e.g. `12.5 GB/s`")
    }
}

/// Rejects `1,000` and `1_000`: separators are easy to misread (is `1,5` one and a half?).
fn check_no_separators(chars: &[char], start: usize, num_end: usize) -> Result<(), UnitError> {
    let sep = chars.get(num_end).copied();
    let next_is_digit = chars.get(num_end + 1).is_some_and(|c| c.is_ascii_digit());
    if matches!(sep, Some(',') | Some('_')) && next_is_digit {
        let run: String = chars
            .get(start..)
            .unwrap_or(&[])
            .iter()
            .take_while(|c| c.is_ascii_digit() || matches!(c, ',' | '_' | '.'))
            .filter(|c| !matches!(c, ',' | '_'))
            .collect();
        return Err(
            UnitError::new(num_end, 1, "thousands separators are not allowed")
                .hint(format!("write {run} without separators")),
        );
    }
    Ok(())
}

/// Errors if anything but whitespace follows position `at`.
fn trailing_text(chars: &[char], at: usize) -> Result<(), UnitError> {
    let rest = chars.get(at..).unwrap_or(&[]);
    match rest.iter().position(|c| !c.is_whitespace()) {
        None => Ok(()),
        Some(skip) => Err(UnitError::new(
            at + skip,
            rest.len() - skip,
            "unexpected text after the unit",
        )
        .hint("a quantity is one number and one unit, e.g. `12.5 GB/s`")),
    }
}
