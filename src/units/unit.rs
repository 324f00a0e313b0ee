//! Compound units: atoms joined by `*`, `·` and `/`, with integer exponents.

use super::atoms::{find_atom, suggest_unit};
use super::dim::{superscript, superscript_digit};
use super::{Dim, Unit, UnitError};

/// Letters that may appear in a unit symbol: ASCII letters plus both micro signs (U+00B5 and
/// the Greek mu U+03BC, which keyboards produce interchangeably).
fn is_unit_letter(c: char) -> bool {
    c.is_ascii_alphabetic() || c == 'µ' || c == 'μ'
}

/// Length (in chars) of the unit atom starting at `chars[i]`: `$` and `%` stand alone, otherwise
/// the run of unit letters. Zero if no atom starts there.
pub(crate) fn atom_len(chars: &[char], i: usize) -> usize {
    match chars.get(i) {
        Some('$') | Some('%') => 1,
        Some(c) if is_unit_letter(*c) => chars
            .get(i..)
            .unwrap_or(&[])
            .iter()
            .take_while(|c| is_unit_letter(**c))
            .count(),
        _ => 0,
    }
}

/// Length of an exponent suffix at `chars[i]` (`^2`, `^-1`, `²`, `⁻¹`), or 0 if there is none.
/// A `^` not followed by an integer is not an exponent, so the expression tokenizer can leave it
/// to be a power operator.
pub(crate) fn exponent_len(chars: &[char], i: usize) -> usize {
    let rest = chars.get(i..).unwrap_or(&[]);
    match rest.first() {
        Some('^') => {
            let sign = usize::from(rest.get(1) == Some(&'-'));
            let digits = rest
                .iter()
                .skip(1 + sign)
                .take_while(|c| c.is_ascii_digit())
                .count();
            if digits == 0 {
                0
            } else {
                1 + sign + digits
            }
        }
        Some(c) if *c == '⁻' || superscript_digit(*c).is_some() => {
            let sign = usize::from(*c == '⁻');
            let digits = rest
                .iter()
                .skip(sign)
                .take_while(|c| superscript_digit(**c).is_some())
                .count();
            if digits == 0 {
                0
            } else {
                sign + digits
            }
        }
        _ => 0,
    }
}

/// Incremental builder for a compound unit.
struct UnitAcc {
    symbol: String,
    factor: f64,
    dim: Dim,
}

/// Parses a compound unit: atoms joined by `*`, `·` (product) or `/` (quotient), each with an
/// optional integer exponent (`^2`, `^-1`, `²`, `⁻¹`), read left to right (`$/TB/month` is
/// dollars per terabyte per month). A leading `1/` is allowed for reciprocals (`1/s`).
///
/// Spaces are not allowed inside a unit: in a quantity the unit ends at the first space.
pub fn parse_unit(s: &str) -> Result<Unit, UnitError> {
    let chars: Vec<char> = s.chars().collect();
    parse_unit_chars(&chars, 0, None)
}

/// Parses the unit in `chars`, reporting offsets shifted by `base`. With `init`, the text is a
/// continuation (`/GB` after the `$` of `$0.09/GB`) and must start with an operator.
pub(crate) fn parse_unit_chars(
    chars: &[char],
    base: usize,
    init: Option<Unit>,
) -> Result<Unit, UnitError> {
    let end = chars.len();
    let mut pos = 0usize;
    let mut acc = match init {
        Some(u) => UnitAcc {
            symbol: u.symbol,
            factor: u.factor,
            dim: u.dim,
        },
        None => {
            if chars.is_empty() {
                return Err(UnitError::new(base, 0, "empty unit")
                    .hint("write a unit such as `GB`, `ms` or `GB/s`"));
            }
            if chars.first() == Some(&'1') && chars.get(1) == Some(&'/') {
                pos = 1;
                UnitAcc {
                    symbol: "1".to_string(),
                    factor: 1.0,
                    dim: Dim::DIMENSIONLESS,
                }
            } else {
                let (f, next) = parse_factor(chars, pos, base)?;
                pos = next;
                f
            }
        }
    };
    while pos < end {
        let op = chars.get(pos).copied().unwrap_or(' ');
        let divide = match op {
            '/' => true,
            '*' | '·' => false,
            ' ' | '\t' => {
                return Err(UnitError::new(base + pos, 1, "unexpected space in unit")
                    .hint("write units without spaces, e.g. `GB/s`"))
            }
            _ => {
                return Err(
                    UnitError::new(base + pos, 1, format!("unexpected `{op}` in unit"))
                        .hint("units are symbols joined by `/` or `*`, e.g. `GB/s` or `kg*m^2`"),
                )
            }
        };
        if pos + 1 >= end {
            return Err(
                UnitError::new(base + pos + 1, 0, format!("expected a unit after `{op}`"))
                    .hint("complete the unit, e.g. `GB/s`"),
            );
        }
        let (f, next) = parse_factor(chars, pos + 1, base)?;
        pos = next;
        let dim = if divide {
            acc.dim.checked_div(f.dim)
        } else {
            acc.dim.checked_mul(f.dim)
        };
        let Some(dim) = dim else {
            return Err(UnitError::new(base, end, "unit exponent out of range")
                .hint("exponents must stay between -128 and 127"));
        };
        acc.dim = dim;
        acc.factor = if divide {
            acc.factor / f.factor
        } else {
            acc.factor * f.factor
        };
        acc.symbol.push(if divide { '/' } else { '·' });
        acc.symbol.push_str(&f.symbol);
    }
    if !acc.factor.is_finite() || acc.factor == 0.0 {
        return Err(UnitError::new(base, end, "unit is too large or too small")
            .hint("use a smaller exponent"));
    }
    Ok(Unit {
        symbol: acc.symbol,
        factor: acc.factor,
        dim: acc.dim,
    })
}

/// Parses one atom with its optional exponent at `chars[pos]`; returns it and the next position.
fn parse_factor(chars: &[char], pos: usize, base: usize) -> Result<(UnitAcc, usize), UnitError> {
    let len = atom_len(chars, pos);
    if len == 0 {
        let found = chars.get(pos).copied();
        let mut err = match found {
            Some(c) if c.is_ascii_digit() => {
                UnitError::new(base + pos, 1, "unexpected number in unit").hint(
                    "write the number before the unit, e.g. `2 GB`; use `^` for exponents (`m^2`)",
                )
            }
            Some(c) => UnitError::new(base + pos, 1, format!("expected a unit, found `{c}`")),
            None => UnitError::new(base + pos, 0, "expected a unit"),
        };
        if err.hint.is_none() {
            err = err.hint("write a unit such as `GB`, `ms` or `GB/s`");
        }
        return Err(err);
    }
    let word: String = chars.get(pos..pos + len).unwrap_or(&[]).iter().collect();
    let Some(a) = find_atom(&word) else {
        let mut err = UnitError::new(base + pos, len, format!("unknown unit `{word}`"));
        err.hint = suggest_unit(&word);
        return Err(err);
    };
    let mut next = pos + len;
    let mut exp = 1i32;
    let elen = exponent_len(chars, next);
    if elen > 0 {
        let text: String = chars.get(next..next + elen).unwrap_or(&[]).iter().collect();
        exp = parse_exponent(&text).ok_or_else(|| {
            UnitError::new(base + next, elen, "exponent out of range")
                .hint("exponents must stay between -128 and 127")
        })?;
        next += elen;
    } else if chars.get(next) == Some(&'^') {
        return Err(
            UnitError::new(base + next, 1, "expected an integer exponent after `^`")
                .hint("write e.g. `m^2` or `s^-1`"),
        );
    }
    let Some(dim) = Dim(a.dim).checked_pow(exp) else {
        return Err(
            UnitError::new(base + pos, next - pos, "unit exponent out of range")
                .hint("exponents must stay between -128 and 127"),
        );
    };
    let mut symbol = a.canon.to_string();
    if exp != 1 {
        symbol.push_str(&superscript(exp));
    }
    Ok((
        UnitAcc {
            symbol,
            factor: a.factor.powi(exp),
            dim,
        },
        next,
    ))
}

/// Reads `^-12` or `⁻¹²` as an integer in the `i8` range.
fn parse_exponent(text: &str) -> Option<i32> {
    let mut negative = false;
    let mut value: i32 = 0;
    for c in text.chars() {
        match c {
            '^' => {}
            '-' | '⁻' => negative = true,
            _ => {
                let d = c.to_digit(10).or_else(|| superscript_digit(c))?;
                value = value.checked_mul(10)?.checked_add(i32::try_from(d).ok()?)?;
                if value > 128 {
                    return None;
                }
            }
        }
    }
    let value = if negative { -value } else { value };
    i8::try_from(value).ok().map(i32::from)
}
