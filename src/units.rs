//! Physical dimensions, units and quantity literals.
//!
//! Every value labgen computes is held in *base units* (s, B, m, kg, $, FLOP) together with a
//! [`Dim`], the vector of exponents over those six base dimensions. Units only exist at the edges:
//! [`parse_unit`] turns the text an author wrote (`GB/s`, `$/TB/month`, `kg·m²/s²`) into a
//! conversion factor and a dimension, and [`parse_quantity`] reads a whole literal such as
//! `100 Gbps` or `$0.09/GB`.
//!
//! Conventions worth knowing (they are the usual sources of off-by-8 and off-by-1000 errors):
//! - `B` is a byte and `b`/`bit` a bit; `Gbps` and `Gb/s` are bits per second, `GB/s` bytes.
//! - `KB`, `MB`, `GB`, … are decimal (10³ steps); `KiB`, `MiB`, `GiB`, … are binary (2¹⁰ steps).
//! - `month` is 30 days and `year` is 365 days: both are conventions for prices such as
//!   `$/TB/month`, not calendar arithmetic.
//! - A MAC (multiply-accumulate) is 2 FLOP; an `OP` is counted as 1 FLOP so that `TOPS` and
//!   `TFLOP/s` can be compared.
//! - Count nouns (`image`, `GPU`, `worker`, …) are dimensionless with factor 1, so authors can
//!   write `150 KB/image` or `300 image/s` and the nouns document intent without changing values.

use std::fmt;

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
fn superscript(n: i32) -> String {
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
fn superscript_digit(c: char) -> Option<u32> {
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

/// A value in base units together with its dimension.
#[derive(Clone, Copy, PartialEq, Debug)]
pub struct Quantity {
    /// Magnitude in base units (s, B, m, kg, $, FLOP).
    pub value: f64,
    /// Dimension of the value.
    pub dim: Dim,
}

/// A parsed unit: how to convert one of it into base units, and how to write it.
#[derive(Clone, PartialEq, Debug)]
pub struct Unit {
    /// Canonical written form used for display (`GB/s`, `$/GB`, `kg·m²/s²`); it parses back to
    /// the same unit.
    pub symbol: String,
    /// Base-unit value of one of this unit (`GB` → 1e9, `Gbps` → 1.25e8).
    pub factor: f64,
    /// Dimension of the unit.
    pub dim: Dim,
}

/// Why a unit or quantity could not be read, located in the input text.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct UnitError {
    /// Char (not byte) offset of the offending text in the input.
    pub offset: usize,
    /// Length in chars of the offending text (0 at the end of the input).
    pub len: usize,
    /// What is wrong, e.g. "unknown unit `Gpbs`".
    pub message: String,
    /// How to fix it, e.g. "did you mean `Gbps` (gigabit per second)?".
    pub hint: Option<String>,
}

impl fmt::Display for UnitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.hint {
            Some(hint) => write!(f, "{} ({hint})", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for UnitError {}

impl UnitError {
    fn new(offset: usize, len: usize, message: impl Into<String>) -> UnitError {
        UnitError {
            offset,
            len,
            message: message.into(),
            hint: None,
        }
    }

    fn hint(mut self, hint: impl Into<String>) -> UnitError {
        self.hint = Some(hint.into());
        self
    }
}

/// One entry of the unit table.
struct Atom {
    /// Symbol as the author writes it.
    sym: &'static str,
    /// Base-unit value of one of it.
    factor: f64,
    /// Dimension exponents.
    dim: [i8; 6],
    /// English name, used in did-you-mean hints.
    name: &'static str,
    /// Canonical spelling for display (`USD` → `$`, `us` → `µs`).
    canon: &'static str,
    /// Count nouns (image, GPU, …) can shadow names in expressions, so they are flagged.
    count: bool,
}

const fn atom(sym: &'static str, factor: f64, dim: [i8; 6], name: &'static str) -> Atom {
    Atom {
        sym,
        factor,
        dim,
        name,
        canon: sym,
        count: false,
    }
}

const fn alias(
    sym: &'static str,
    canon: &'static str,
    factor: f64,
    dim: [i8; 6],
    name: &'static str,
) -> Atom {
    Atom {
        sym,
        factor,
        dim,
        name,
        canon,
        count: false,
    }
}

const fn count(sym: &'static str) -> Atom {
    Atom {
        sym,
        factor: 1.0,
        dim: [0; 6],
        name: "count (dimensionless)",
        canon: sym,
        count: true,
    }
}

const T: [i8; 6] = [1, 0, 0, 0, 0, 0];
const D: [i8; 6] = [0, 1, 0, 0, 0, 0];
const L: [i8; 6] = [0, 0, 1, 0, 0, 0];
const M: [i8; 6] = [0, 0, 0, 1, 0, 0];
const C: [i8; 6] = [0, 0, 0, 0, 1, 0];
const F: [i8; 6] = [0, 0, 0, 0, 0, 1];
const DR: [i8; 6] = [-1, 1, 0, 0, 0, 0];
const FR: [i8; 6] = [-1, 0, 0, 0, 0, 1];
const HZ: [i8; 6] = [-1, 0, 0, 0, 0, 0];
const E: [i8; 6] = [-2, 0, 2, 1, 0, 0];
const P: [i8; 6] = [-3, 0, 2, 1, 0, 0];
const ONE: [i8; 6] = [0; 6];

/// Seconds in a day; `month` and `year` are fixed multiples of it (30 and 365 days).
const DAY: f64 = 86_400.0;
/// A bit is an eighth of a byte.
const BIT: f64 = 0.125;

/// Every unit symbol labgen understands. Order matters only for the order of suggestions.
const ATOMS: &[Atom] = &[
    // time
    atom("s", 1.0, T, "second"),
    atom("second", 1.0, T, "second"),
    atom("seconds", 1.0, T, "second"),
    atom("ms", 1e-3, T, "millisecond"),
    alias("us", "µs", 1e-6, T, "microsecond"),
    atom("µs", 1e-6, T, "microsecond"),
    alias("μs", "µs", 1e-6, T, "microsecond"),
    atom("ns", 1e-9, T, "nanosecond"),
    atom("min", 60.0, T, "minute"),
    atom("minute", 60.0, T, "minute"),
    atom("minutes", 60.0, T, "minute"),
    atom("h", 3600.0, T, "hour"),
    atom("hour", 3600.0, T, "hour"),
    atom("hours", 3600.0, T, "hour"),
    atom("d", DAY, T, "day"),
    atom("day", DAY, T, "day"),
    atom("days", DAY, T, "day"),
    atom("week", 7.0 * DAY, T, "week"),
    atom("weeks", 7.0 * DAY, T, "week"),
    atom("month", 30.0 * DAY, T, "month (30 days)"),
    atom("months", 30.0 * DAY, T, "month (30 days)"),
    atom("year", 365.0 * DAY, T, "year (365 days)"),
    atom("years", 365.0 * DAY, T, "year (365 days)"),
    // data, decimal prefixes
    atom("B", 1.0, D, "byte"),
    atom("byte", 1.0, D, "byte"),
    atom("bytes", 1.0, D, "byte"),
    atom("KB", 1e3, D, "kilobyte (1000 B)"),
    atom("kB", 1e3, D, "kilobyte (1000 B)"),
    atom("MB", 1e6, D, "megabyte"),
    atom("GB", 1e9, D, "gigabyte"),
    atom("TB", 1e12, D, "terabyte"),
    atom("PB", 1e15, D, "petabyte"),
    atom("EB", 1e18, D, "exabyte"),
    // data, binary prefixes (exact powers of two)
    atom("KiB", 1024.0, D, "kibibyte (1024 B)"),
    atom("MiB", 1_048_576.0, D, "mebibyte"),
    atom("GiB", 1_073_741_824.0, D, "gibibyte"),
    atom("TiB", 1_099_511_627_776.0, D, "tebibyte"),
    atom("PiB", 1_125_899_906_842_624.0, D, "pebibyte"),
    atom("EiB", 1_152_921_504_606_846_976.0, D, "exbibyte"),
    // bits
    atom("bit", BIT, D, "bit"),
    atom("bits", BIT, D, "bit"),
    atom("b", BIT, D, "bit"),
    atom("Kb", 1e3 * BIT, D, "kilobit"),
    atom("kbit", 1e3 * BIT, D, "kilobit"),
    atom("Kbit", 1e3 * BIT, D, "kilobit"),
    atom("Mb", 1e6 * BIT, D, "megabit"),
    atom("Mbit", 1e6 * BIT, D, "megabit"),
    atom("Gb", 1e9 * BIT, D, "gigabit"),
    atom("Gbit", 1e9 * BIT, D, "gigabit"),
    atom("Tb", 1e12 * BIT, D, "terabit"),
    atom("Tbit", 1e12 * BIT, D, "terabit"),
    // link rates, bits per second
    atom("bps", BIT, DR, "bit per second"),
    atom("Kbps", 1e3 * BIT, DR, "kilobit per second"),
    atom("kbps", 1e3 * BIT, DR, "kilobit per second"),
    atom("Mbps", 1e6 * BIT, DR, "megabit per second"),
    atom("Gbps", 1e9 * BIT, DR, "gigabit per second"),
    atom("Tbps", 1e12 * BIT, DR, "terabit per second"),
    // length
    atom("m", 1.0, L, "metre"),
    atom("km", 1e3, L, "kilometre"),
    atom("cm", 1e-2, L, "centimetre"),
    atom("mm", 1e-3, L, "millimetre"),
    atom("mi", 1609.344, L, "mile"),
    atom("ft", 0.3048, L, "foot"),
    // mass
    atom("g", 1e-3, M, "gram"),
    atom("kg", 1.0, M, "kilogram"),
    // currency
    atom("$", 1.0, C, "US dollar"),
    alias("USD", "$", 1.0, C, "US dollar"),
    // compute
    atom("FLOP", 1.0, F, "floating-point operation"),
    atom("KFLOP", 1e3, F, "kilo-FLOP"),
    atom("MFLOP", 1e6, F, "mega-FLOP"),
    atom("GFLOP", 1e9, F, "giga-FLOP"),
    atom("TFLOP", 1e12, F, "tera-FLOP"),
    atom("PFLOP", 1e15, F, "peta-FLOP"),
    atom("EFLOP", 1e18, F, "exa-FLOP"),
    atom("MAC", 2.0, F, "multiply-accumulate (2 FLOP)"),
    atom("MMAC", 2e6, F, "mega-MAC (2e6 FLOP)"),
    atom("GMAC", 2e9, F, "giga-MAC (2e9 FLOP)"),
    atom("TMAC", 2e12, F, "tera-MAC (2e12 FLOP)"),
    atom("OP", 1.0, F, "operation (counted as 1 FLOP)"),
    atom("MOP", 1e6, F, "mega-operation"),
    atom("GOP", 1e9, F, "giga-operation"),
    atom("TOP", 1e12, F, "tera-operation"),
    // compute rates
    atom("FLOPS", 1.0, FR, "FLOP per second"),
    atom("MFLOPS", 1e6, FR, "mega-FLOP per second"),
    atom("GFLOPS", 1e9, FR, "giga-FLOP per second"),
    atom("TFLOPS", 1e12, FR, "tera-FLOP per second"),
    atom("PFLOPS", 1e15, FR, "peta-FLOP per second"),
    atom("GOPS", 1e9, FR, "giga-operation per second"),
    atom("TOPS", 1e12, FR, "tera-operation per second"),
    // energy
    atom("J", 1.0, E, "joule"),
    atom("pJ", 1e-12, E, "picojoule"),
    atom("nJ", 1e-9, E, "nanojoule"),
    alias("uJ", "µJ", 1e-6, E, "microjoule"),
    atom("µJ", 1e-6, E, "microjoule"),
    alias("μJ", "µJ", 1e-6, E, "microjoule"),
    atom("mJ", 1e-3, E, "millijoule"),
    atom("kJ", 1e3, E, "kilojoule"),
    atom("MJ", 1e6, E, "megajoule"),
    atom("GJ", 1e9, E, "gigajoule"),
    atom("Wh", 3600.0, E, "watt-hour"),
    atom("kWh", 3.6e6, E, "kilowatt-hour"),
    atom("MWh", 3.6e9, E, "megawatt-hour"),
    atom("GWh", 3.6e12, E, "gigawatt-hour"),
    // power
    atom("W", 1.0, P, "watt"),
    atom("mW", 1e-3, P, "milliwatt"),
    alias("uW", "µW", 1e-6, P, "microwatt"),
    atom("µW", 1e-6, P, "microwatt"),
    alias("μW", "µW", 1e-6, P, "microwatt"),
    atom("kW", 1e3, P, "kilowatt"),
    atom("MW", 1e6, P, "megawatt"),
    atom("GW", 1e9, P, "gigawatt"),
    // frequency
    atom("Hz", 1.0, HZ, "hertz"),
    atom("kHz", 1e3, HZ, "kilohertz"),
    atom("MHz", 1e6, HZ, "megahertz"),
    atom("GHz", 1e9, HZ, "gigahertz"),
    // dimensionless
    atom("%", 0.01, ONE, "percent"),
    atom("ppm", 1e-6, ONE, "part per million"),
    atom("x", 1.0, ONE, "times (a ratio)"),
    // count nouns: documentation only, factor 1
    count("image"),
    count("images"),
    count("img"),
    count("sample"),
    count("samples"),
    count("item"),
    count("items"),
    count("step"),
    count("steps"),
    count("batch"),
    count("batches"),
    count("epoch"),
    count("epochs"),
    count("node"),
    count("nodes"),
    count("GPU"),
    count("GPUs"),
    count("device"),
    count("devices"),
    count("request"),
    count("requests"),
    count("file"),
    count("files"),
    count("worker"),
    count("workers"),
    count("token"),
    count("tokens"),
    count("param"),
    count("params"),
    count("parameter"),
    count("parameters"),
];

/// Misspellings common enough to deserve a specific explanation rather than a did-you-mean.
const SPECIAL_HINTS: &[(&str, &str)] = &[
    (
        "FLOPs",
        "`FLOPs` is ambiguous: write `FLOP` for an amount of compute or `FLOP/s` for a rate",
    ),
    (
        "flops",
        "write `FLOP` for an amount of compute or `FLOP/s` for a rate",
    ),
    (
        "Bps",
        "write `B/s` for bytes per second (`bps` is bits per second)",
    ),
    (
        "KBps",
        "write `KB/s` for bytes per second (`Kbps` is bits per second)",
    ),
    (
        "MBps",
        "write `MB/s` for bytes per second (`Mbps` is bits per second)",
    ),
    (
        "GBps",
        "write `GB/s` for bytes per second (`Gbps` is bits per second)",
    ),
    (
        "TBps",
        "write `TB/s` for bytes per second (`Tbps` is bits per second)",
    ),
    ("sec", "did you mean `s`?"),
    ("secs", "did you mean `s`?"),
    ("hr", "did you mean `h`?"),
    ("hrs", "did you mean `h`?"),
    ("mins", "did you mean `min`?"),
    ("yr", "did you mean `year`?"),
    ("yrs", "did you mean `year`?"),
    ("dollar", "write `$` (or `USD`)"),
    ("dollars", "write `$` (or `USD`)"),
];

fn find_atom(sym: &str) -> Option<&'static Atom> {
    ATOMS.iter().find(|a| a.sym == sym)
}

/// True if `word` is a unit symbol on its own (`GB`, `min`, `image`), as opposed to a compound
/// unit. The expression tokenizer uses this to decide whether a word after a number is a unit.
pub fn is_unit_atom(word: &str) -> bool {
    find_atom(word).is_some()
}

/// True if `word` is one of the count nouns (`image`, `GPU`, `worker`, …), which are
/// dimensionless units with factor 1.
pub fn is_count_noun(word: &str) -> bool {
    find_atom(word).is_some_and(|a| a.count)
}

/// English name of a unit symbol (`Gbps` → "gigabit per second"), for messages.
pub fn unit_name(word: &str) -> Option<&'static str> {
    find_atom(word).map(|a| a.name)
}

/// Optimal-string-alignment edit distance over chars: insertions, deletions, substitutions and
/// swaps of adjacent chars each cost 1, so the typo `Gpbs` is 1 away from `Gbps`.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let width = b.len() + 1;
    // Three rolling rows would do, but strings here are short; a full table is simpler.
    let mut table = vec![0usize; (a.len() + 1) * width];
    let idx = |i: usize, j: usize| i * width + j;
    for i in 0..=a.len() {
        table[idx(i, 0)] = i;
    }
    for j in 0..=b.len() {
        table[idx(0, j)] = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (table[idx(i - 1, j)] + 1)
                .min(table[idx(i, j - 1)] + 1)
                .min(table[idx(i - 1, j - 1)] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(table[idx(i - 2, j - 2)] + 1);
            }
            table[idx(i, j)] = best;
        }
    }
    table[idx(a.len(), b.len())]
}

/// Closest candidates to `word` among `candidates`: the ones equal ignoring case first (so `gb`
/// suggests both `GB` and `Gb`), otherwise those within a small edit distance (1 for words of
/// 2–3 chars, 2 for longer ones; never for a single char, where every guess is as good as any).
/// Ties are broken by case-sensitive distance, then by candidate order; at most three are kept.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let n = word.chars().count();
    // Nobody misspells a 40-char unit; skipping long words keeps hostile input cheap.
    if n > 40 {
        return Vec::new();
    }
    let lower = word.to_lowercase();
    let max = match n {
        0 | 1 => 0,
        2 | 3 => 1,
        _ => 2,
    };
    let mut scored: Vec<(usize, usize, usize, &'a str)> = Vec::new();
    for (i, c) in candidates.into_iter().enumerate() {
        if c == word {
            continue;
        }
        let ci = edit_distance(&lower, &c.to_lowercase());
        if ci <= max {
            // Case-only variants are ranked by table order (`GB` before `Gb`), not by how many
            // letters differ in case.
            let cs = if ci == 0 { 0 } else { edit_distance(word, c) };
            scored.push((ci, cs, i, c));
        }
    }
    scored.sort_unstable();
    let Some(&(best_ci, best_cs, _, _)) = scored.first() else {
        return Vec::new();
    };
    // Case-only differences are all equally plausible (`gb` could be `GB` or `Gb`).
    let keep_all_case_matches = best_ci == 0;
    scored
        .iter()
        .filter(|s| s.0 == best_ci && (keep_all_case_matches || s.1 == best_cs))
        .take(3)
        .map(|s| s.3)
        .collect()
}

/// A did-you-mean hint for an unknown unit symbol, or `None` if nothing is close.
pub fn suggest_unit(word: &str) -> Option<String> {
    if let Some((_, hint)) = SPECIAL_HINTS.iter().find(|(w, _)| *w == word) {
        return Some((*hint).to_string());
    }
    if let Some(prefix) = word.strip_suffix("FLOPs") {
        return Some(format!(
            "`{word}` is ambiguous: write `{prefix}FLOP` for an amount of compute or \
             `{prefix}FLOP/s` for a rate"
        ));
    }
    let found = closest(word, ATOMS.iter().map(|a| a.sym));
    if found.is_empty() {
        return None;
    }
    let described: Vec<String> = found
        .iter()
        .map(|s| match unit_name(s) {
            Some(name) => format!("`{s}` ({name})"),
            None => format!("`{s}`"),
        })
        .collect();
    Some(format!("did you mean {}?", join_or(&described)))
}

/// Joins alternatives as "a", "a or b", "a, b or c".
fn join_or(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// Letters that may appear in a unit symbol: ASCII letters plus both micro signs (U+00B5 and
/// the Greek mu U+03BC, which keyboards produce interchangeably).
pub(crate) fn is_unit_letter(c: char) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn dim_arithmetic() {
        assert_eq!(Dim::DATA.div(Dim::TIME), Dim::DATA_RATE);
        assert_eq!(Dim::DATA_RATE.mul(Dim::TIME), Dim::DATA);
        assert_eq!(Dim::TIME.pow(2).root(2), Some(Dim::TIME));
        assert_eq!(Dim::TIME.root(2), None);
        assert_eq!(Dim::TIME.root(0), None);
        assert_eq!(Dim::DIMENSIONLESS.root(200), Some(Dim::DIMENSIONLESS));
        assert_eq!(Dim([127, 0, 0, 0, 0, 0]).mul(Dim::TIME).0[0], 127);
        assert_eq!(Dim([127, 0, 0, 0, 0, 0]).checked_mul(Dim::TIME), None);
        assert_eq!(
            Dim([-128, 0, 0, 0, 0, 0]).root(1),
            Some(Dim([-128, 0, 0, 0, 0, 0]))
        );
        assert_eq!(Dim::TIME.checked_pow(200), None);
        assert!(Dim::default().is_dimensionless());
        assert_eq!(Dim::DATA / Dim::TIME * Dim::TIME, Dim::DATA);
    }

    #[test]
    fn dim_descriptions() {
        let cases: &[(Dim, &str)] = &[
            (Dim::TIME, "time"),
            (Dim::DATA, "data"),
            (Dim::DATA_RATE, "data rate"),
            (Dim::FREQUENCY, "frequency"),
            (Dim::COMPUTE_RATE, "compute rate"),
            (Dim([0, -1, 0, 0, 1, 0]), "currency per data"),
            (Dim([0, 1, 0, 0, 0, -1]), "data per compute"),
            (Dim::ENERGY, "energy"),
            (Dim::POWER, "power"),
            (Dim::DIMENSIONLESS, "dimensionless"),
            (Dim([-2, 1, 0, 0, 0, 0]), "B·s⁻²"),
            (Dim([-12, 0, 0, 0, 0, 3]), "FLOP³·s⁻¹²"),
        ];
        for (dim, text) in cases {
            assert_eq!(dim.describe(), *text);
        }
        assert_eq!(Dim::ENERGY.formula(), "m²·kg·s⁻²");
        assert_eq!(Dim::DIMENSIONLESS.formula(), "1");
    }

    #[test]
    fn suggestions() {
        assert_eq!(closest("Gpbs", ATOMS.iter().map(|a| a.sym)), vec!["Gbps"]);
        assert_eq!(closest("GBs", ATOMS.iter().map(|a| a.sym)), vec!["GB"]);
        assert_eq!(
            closest("q", ATOMS.iter().map(|a| a.sym)),
            Vec::<&str>::new()
        );
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("ab", "ba"), 1);
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
}
