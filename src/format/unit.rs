//! The unit an author shows a value in: a unit of measure, a duration or
//! an amount of data in the most readable unit, or a bare number.

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
