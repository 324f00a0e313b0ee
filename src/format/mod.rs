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
//!
//! The folder also holds the other text rules every output shares: author
//! prose with value references ([`prose`]), its Markdown ([`markdown`]) and
//! escaping per target ([`escape`]).

pub mod escape;
pub mod markdown;
mod number;
pub mod prose;
mod show;
mod unit;

pub use number::{fixed, format_number, group_thousands, shortest, shortest_clean};
pub use show::{show, Shown};
pub use unit::{display_dim, parse_display_unit, DisplayUnit};

#[cfg(test)]
mod tests;
