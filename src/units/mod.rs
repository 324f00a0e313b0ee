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

mod atoms;
mod dim;
mod quantity;
mod unit;

#[cfg(test)]
mod tests;

pub use atoms::{is_count_noun, is_unit_atom, suggest_unit, unit_name};
pub use dim::Dim;
pub use quantity::parse_quantity;
pub(crate) use quantity::{number_value, scan_number};
pub use unit::parse_unit;
pub(crate) use unit::{atom_len, exponent_len, parse_unit_chars};

use std::fmt;

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
