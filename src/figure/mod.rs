//! The figures of the lab book: every chart kind, drawn as self-contained,
//! accessible SVG by one writer.
//!
//! [`Figure`] describes a chart of any kind as plain data; [`render`] turns
//! it into an SVG document. The kinds:
//!
//! * [`Figure::Timeline`]: one horizontal stacked bar splitting a total
//!   (one training step's time) into segments, with a legend.
//! * [`Figure::Bars`]: vertical bars side by side, one per series.
//! * [`Figure::Curves`]: lines over a continuous x axis, linear or log10 on
//!   either axis, with markers (optimum, crossover, saturation) and guides.
//! * [`Figure::Saturation`]: throughput curves with each plateau marked; a
//!   thin layer over Curves.
//! * [`Figure::Gauge`]: a semicircular dial with coloured bands and a needle.
//! * [`Figure::Radar`]: 3 to 8 axes around a circle, one polygon per series.
//! * [`Figure::Waterfall`]: steps that add up, with an optional total bar.
//! * [`Figure::Sankey`]: nodes in columns joined by bands whose width is
//!   proportional to the flow.
//!
//! Every kind shares one palette ([`palette`]: colour-blind-safe, with a dark
//! variant), one tick algorithm ([`ticks`]), one text measure ([`metrics`]),
//! one label placer ([`labels`]), one legend ([`legend`]) and one writer
//! ([`svg`]). The book used to draw timelines and bars through the
//! `plotters` crate; its SVG backend takes integer coordinates only and
//! writes no paths, dashes, `<title>` or `<desc>`, so its output had to be
//! re-parsed and patched, and the other kinds could not use it at all. One
//! writer of our own serves every kind instead.
//!
//! Drawing runs for every state of every figure, thousands of times per
//! build, so everything here is a pure function from plain data to a
//! `String`: the same input gives the same bytes (no ids, no timestamps,
//! coordinates with at most one decimal), and the output is kept small.
//! Nothing panics on odd input: NaN and infinite values are skipped or
//! drawn as 0, non-positive values are skipped on log axes, empty inputs
//! draw "No data", and long labels are shortened with "…" (the full text
//! stays in `<desc>`).

mod bars;
mod curves;
mod frame;
mod gauge;
pub mod grid;
mod labels;
mod legend;
mod metrics;
pub mod palette;
mod path;
mod radar;
mod sankey;
mod saturation;
pub mod states;
mod svg;
mod ticks;
mod timeline;
mod waterfall;

pub use curves::{Curve, Curves, Guide, Marker, MarkerKind};
pub use gauge::{Band, Gauge};
pub use palette::Tone;
pub use radar::{Radar, RadarAxis, RadarSeries};
pub use sankey::{Flow, Node, Sankey};
pub use saturation::{Saturation, SaturationCurve};
pub use ticks::nice_range;
pub use waterfall::{waterfall_extent, Total, Waterfall};

/// A chart to render with [`render`]; one variant per kind.
#[derive(Debug, Clone, PartialEq)]
pub enum Figure {
    /// One horizontal stacked bar (640×200, taller for a long legend).
    Timeline(Values),
    /// Vertical bars side by side (480×320).
    Bars(Values),
    /// Lines over a continuous x axis (640×360).
    Curves(Curves),
    /// Throughput curves with their plateaus marked (640×360).
    Saturation(Saturation),
    /// Semicircular dial (360×220).
    Gauge(Gauge),
    /// Polygons on radial axes (420×400).
    Radar(Radar),
    /// Steps that add up to a total (640×360).
    Waterfall(Waterfall),
    /// Flows between nodes in columns (640×360).
    Sankey(Sankey),
}

/// Renders `figure` as a standalone, responsive, accessible SVG document:
/// `viewBox="0 0 W H"`, `width="100%"` and no fixed height, `role="img"`
/// with `<title>` and `<desc>` as its first children, no `id` attributes,
/// coordinates with at most one decimal. It never panics.
pub fn render(figure: &Figure) -> String {
    match figure {
        Figure::Timeline(v) => timeline::render(v),
        Figure::Bars(v) => bars::render(v),
        Figure::Curves(c) => curves::render(c),
        Figure::Saturation(s) => curves::render(&s.to_curves()),
        Figure::Gauge(g) => gauge::render(g),
        Figure::Radar(r) => radar::render(r),
        Figure::Waterfall(w) => waterfall::render(w),
        Figure::Sankey(s) => sankey::render(s),
    }
}

/// The data of a timeline or a bar chart: named values in one unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Values {
    /// Heading, also the SVG `<title>`, e.g. "Where one training step's time goes".
    pub title: String,
    /// Label of the value axis, including its unit, e.g. "Time per batch (ms)".
    pub axis_label: String,
    /// The data, in display order (left to right).
    pub series: Vec<Series>,
    /// Text alternative for `<desc>`; composed from the series if blank.
    pub description: String,
}

/// One value: a timeline segment, a bar, or a waterfall step.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Category name, e.g. "GPU compute".
    pub label: String,
    /// Value in the display unit (already converted). Timelines and bars
    /// draw NaN, infinite and negative values as 0.
    pub value: f64,
    /// Caller-formatted value with unit, e.g. "5.05 ms", shown on the chart.
    pub text: String,
    /// Colour role.
    pub tone: Tone,
}

/// How values map to positions along an axis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Scale {
    /// Evenly spaced values; the automatic range includes 0.
    #[default]
    Linear,
    /// log10: decades are evenly spaced. Non-positive values are skipped.
    Log,
}

/// One axis of a [`Curves`] chart.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Axis {
    /// Axis title with its unit, e.g. "Checkpoint interval (min)".
    pub label: String,
    /// Linear or log10.
    pub scale: Scale,
    /// Appended to every tick label, e.g. "%" or " km"; usually empty
    /// because the unit is in `label`.
    pub tick_suffix: String,
    /// Fixed range `(min, max)`. Give one when the chart is swapped as a
    /// control moves, so the axes stay put and only the data moves. `None`
    /// (or an unusable range: not finite, min >= max, min <= 0 on a log
    /// axis) fits the range to the data: nice round bounds that include 0
    /// on a linear axis, whole decades on a log axis. Data outside a fixed
    /// range is clipped at the plot's edge.
    pub range: Option<(f64, f64)>,
}

impl Axis {
    /// A linear axis fitted to the data.
    pub fn linear(label: &str) -> Axis {
        Axis {
            label: label.to_string(),
            ..Axis::default()
        }
    }

    /// A log10 axis fitted to the data.
    pub fn log(label: &str) -> Axis {
        Axis {
            label: label.to_string(),
            scale: Scale::Log,
            ..Axis::default()
        }
    }
}

#[cfg(test)]
mod tests;
