//! Numbers as text: fixed decimals rounded half away from zero on the
//! shortest decimal form, thousands separators, scientific notation for
//! small values, and the shortest form that reads back the same.

/// Upper bound on decimals, so that a huge request cannot allocate without limit.
pub(crate) const MAX_DECIMALS: usize = 64;
/// Automatic formatting never goes below 10⁻¹⁵ (smaller magnitudes show as `0`).
pub(crate) const AUTO_MAX_DECIMALS: i64 = 15;
/// Shortest decimal digits of a finite, non-negative `v` and the position of the decimal point
/// (number of digits before it, possibly zero or negative): 1234.5 → ([1,2,3,4,5], 4),
/// 0.012 → ([1,2], -1), 0 → ([0], 1).
pub(crate) fn shortest_digits(v: f64) -> (Vec<u8>, i64) {
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
pub(crate) fn magnitude(v: f64) -> i64 {
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
pub(crate) fn trim_zeros(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}
/// Groups the integer part of a `fixed` result.
pub(crate) fn grouped(s: &str) -> String {
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
pub(crate) fn is_zero_text(n: &str) -> bool {
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
pub(crate) fn scale10(value: f64, k: i64) -> f64 {
    let half = (k / 2) as i32;
    value * 10f64.powi(half) * 10f64.powi(k as i32 - half)
}
/// An integer in Unicode superscript digits, with a superscript minus: `-72` → `⁻⁷²`.
pub(crate) fn superscript(n: i64) -> String {
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
pub(crate) fn auto_decimals(value: f64, significant: i64) -> usize {
    if value == 0.0 {
        return 0;
    }
    let decimals = (significant - 1 - magnitude(value)).clamp(0, AUTO_MAX_DECIMALS);
    usize::try_from(decimals).unwrap_or(0)
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
