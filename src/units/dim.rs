//! Dimensions: exponents over the six base units, their arithmetic and their names.

/// Number of base dimensions: time, data, length, mass, currency, compute.
const NDIM: usize = 6;

/// Base unit symbols, in the order of [`Dim`]'s exponents.
const BASE_SYMBOLS: [&str; NDIM] = ["s", "B", "m", "kg", "$", "FLOP"];

/// Exponents of the six base dimensions, in the order time (s), data (B), length (m),
/// mass (kg), currency ($), compute (FLOP).
///
/// Arithmetic on exponents saturates at the `i8` range instead of overflowing, so no input can
/// make it panic; the `checked_*` variants report overflow for callers that must reject it.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
pub struct Dim(pub [i8; 6]);

impl Dim {
    /// A pure number (all exponents zero).
    pub const DIMENSIONLESS: Dim = Dim([0, 0, 0, 0, 0, 0]);
    /// Time, in seconds.
    pub const TIME: Dim = Dim([1, 0, 0, 0, 0, 0]);
    /// Amount of data, in bytes.
    pub const DATA: Dim = Dim([0, 1, 0, 0, 0, 0]);
    /// Length, in metres.
    pub const LENGTH: Dim = Dim([0, 0, 1, 0, 0, 0]);
    /// Mass, in kilograms.
    pub const MASS: Dim = Dim([0, 0, 0, 1, 0, 0]);
    /// Money, in US dollars.
    pub const CURRENCY: Dim = Dim([0, 0, 0, 0, 1, 0]);
    /// Amount of computation, in floating-point operations.
    pub const COMPUTE: Dim = Dim([0, 0, 0, 0, 0, 1]);
    /// Data per time (B/s).
    pub const DATA_RATE: Dim = Dim([-1, 1, 0, 0, 0, 0]);
    /// Compute per time (FLOP/s).
    pub const COMPUTE_RATE: Dim = Dim([-1, 0, 0, 0, 0, 1]);
    /// One per time (Hz).
    pub const FREQUENCY: Dim = Dim([-1, 0, 0, 0, 0, 0]);
    /// Energy (J = kg·m²·s⁻²).
    pub const ENERGY: Dim = Dim([-2, 0, 2, 1, 0, 0]);
    /// Power (W = kg·m²·s⁻³).
    pub const POWER: Dim = Dim([-3, 0, 2, 1, 0, 0]);

    /// Product of two dimensions (exponents add, saturating).
    // Named `mul`/`div` for readable call sites (`a.mul(b)`); the operator traits are
    // implemented as well and delegate here.
    #[allow(clippy::should_implement_trait)]
    pub fn mul(self, other: Dim) -> Dim {
        let mut out = self.0;
        for (o, b) in out.iter_mut().zip(other.0) {
            *o = o.saturating_add(b);
        }
        Dim(out)
    }

    /// Quotient of two dimensions (exponents subtract, saturating).
    #[allow(clippy::should_implement_trait)]
    pub fn div(self, other: Dim) -> Dim {
        let mut out = self.0;
        for (o, b) in out.iter_mut().zip(other.0) {
            *o = o.saturating_sub(b);
        }
        Dim(out)
    }

    /// Integer power (exponents multiply, saturating).
    pub fn pow(self, n: i8) -> Dim {
        let mut out = self.0;
        for o in out.iter_mut() {
            *o = o.saturating_mul(n);
        }
        Dim(out)
    }

    /// Product, or `None` if an exponent leaves the `i8` range.
    pub fn checked_mul(self, other: Dim) -> Option<Dim> {
        let mut out = self.0;
        for (o, b) in out.iter_mut().zip(other.0) {
            *o = o.checked_add(b)?;
        }
        Some(Dim(out))
    }

    /// Quotient, or `None` if an exponent leaves the `i8` range.
    pub fn checked_div(self, other: Dim) -> Option<Dim> {
        let mut out = self.0;
        for (o, b) in out.iter_mut().zip(other.0) {
            *o = o.checked_sub(b)?;
        }
        Some(Dim(out))
    }

    /// Integer power, or `None` if an exponent leaves the `i8` range.
    pub fn checked_pow(self, n: i32) -> Option<Dim> {
        let mut out = self.0;
        for o in out.iter_mut() {
            let e = i32::from(*o).checked_mul(n)?;
            *o = i8::try_from(e).ok()?;
        }
        Some(Dim(out))
    }

    /// The `n`-th root, or `None` when `n` is zero or some exponent is not divisible by `n`
    /// (the square root of a data rate has no unit).
    pub fn root(self, n: u8) -> Option<Dim> {
        if n == 0 {
            return None;
        }
        let n = i16::from(n);
        let mut out = [0i8; NDIM];
        for (o, e) in out.iter_mut().zip(self.0) {
            let e = i16::from(e);
            if e % n != 0 {
                return None;
            }
            // |e / n| <= |e| <= 128, and -128 / 1 stays in range, so this cannot fail.
            *o = i8::try_from(e / n).ok()?;
        }
        Some(Dim(out))
    }

    /// True for pure numbers.
    pub fn is_dimensionless(&self) -> bool {
        *self == Dim::DIMENSIONLESS
    }

    /// A human name for common dimensions ("time", "data rate", "currency per data"), falling
    /// back to the base-unit formula (`B·s⁻²`) so every dimension can be named in an error.
    pub fn describe(&self) -> String {
        match NAMED_DIMS.iter().find(|(d, _)| d == &self.0) {
            Some((_, name)) => (*name).to_string(),
            None => self.formula(),
        }
    }

    /// The dimension written in base units: positive exponents first, then negative ones, e.g.
    /// `B·s⁻¹`, `m²·kg·s⁻²`; `1` for a pure number.
    pub fn formula(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        let positive = self.0.iter().zip(BASE_SYMBOLS).filter(|(e, _)| **e > 0);
        let negative = self.0.iter().zip(BASE_SYMBOLS).filter(|(e, _)| **e < 0);
        for (e, sym) in positive.chain(negative) {
            if *e == 1 {
                parts.push(sym.to_string());
            } else {
                parts.push(format!("{sym}{}", superscript(i32::from(*e))));
            }
        }
        if parts.is_empty() {
            "1".to_string()
        } else {
            parts.join("·")
        }
    }
}

impl std::ops::Mul for Dim {
    type Output = Dim;

    /// Same as [`Dim::mul`].
    fn mul(self, other: Dim) -> Dim {
        Dim::mul(self, other)
    }
}

impl std::ops::Div for Dim {
    type Output = Dim;

    /// Same as [`Dim::div`].
    fn div(self, other: Dim) -> Dim {
        Dim::div(self, other)
    }
}

/// Names for dimensions that show up in capacity planning; anything else is shown as a formula.
const NAMED_DIMS: &[([i8; 6], &str)] = &[
    ([0, 0, 0, 0, 0, 0], "dimensionless"),
    ([1, 0, 0, 0, 0, 0], "time"),
    ([0, 1, 0, 0, 0, 0], "data"),
    ([0, 0, 1, 0, 0, 0], "length"),
    ([0, 0, 0, 1, 0, 0], "mass"),
    ([0, 0, 0, 0, 1, 0], "currency"),
    ([0, 0, 0, 0, 0, 1], "compute"),
    ([-1, 1, 0, 0, 0, 0], "data rate"),
    ([-1, 0, 0, 0, 0, 0], "frequency"),
    ([-1, 0, 0, 0, 0, 1], "compute rate"),
    ([0, -1, 0, 0, 1, 0], "currency per data"),
    ([-1, 0, 0, 0, 1, 0], "currency per time"),
    ([0, 0, 0, 0, 1, -1], "currency per compute"),
    ([-1, -1, 0, 0, 1, 0], "currency per data per time"),
    ([0, 1, 0, 0, 0, -1], "data per compute"),
    ([0, -1, 0, 0, 0, 1], "compute per data"),
    ([1, -1, 0, 0, 0, 0], "time per data"),
    ([1, 0, 0, 0, 0, -1], "time per compute"),
    ([1, 1, 0, 0, 0, 0], "data × time"),
    ([2, 0, 0, 0, 0, 0], "time squared"),
    ([-2, 0, 2, 1, 0, 0], "energy"),
    ([-3, 0, 2, 1, 0, 0], "power"),
    ([-2, -1, 2, 1, 0, 0], "energy per data"),
    ([-2, 0, 2, 1, 0, -1], "energy per compute"),
    ([2, 0, -2, -1, 1, 0], "currency per energy"),
    ([-1, 0, 1, 0, 0, 0], "speed"),
    ([-2, 0, 1, 0, 0, 0], "acceleration"),
    ([-2, 0, 1, 1, 0, 0], "force"),
    ([0, 0, 2, 0, 0, 0], "area"),
    ([0, 0, 3, 0, 0, 0], "volume"),
];

/// Writes an integer with Unicode superscript digits (`-2` → `⁻²`).
pub(super) fn superscript(n: i32) -> String {
    const DIGITS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    let mut out = String::new();
    if n < 0 {
        out.push('⁻');
    }
    for c in n.unsigned_abs().to_string().chars() {
        let d = c.to_digit(10).unwrap_or(0) as usize;
        out.push(DIGITS.get(d).copied().unwrap_or('⁰'));
    }
    out
}

/// Value of a superscript digit (`²` → 2).
pub(super) fn superscript_digit(c: char) -> Option<u32> {
    match c {
        '⁰' => Some(0),
        '¹' => Some(1),
        '²' => Some(2),
        '³' => Some(3),
        '⁴' => Some(4),
        '⁵' => Some(5),
        '⁶' => Some(6),
        '⁷' => Some(7),
        '⁸' => Some(8),
        '⁹' => Some(9),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
