//! The one legend: entries flow left to right and wrap onto new rows; an
//! entry too long for a whole row is shortened with "…" (the full text
//! stays in the figure's `<desc>` and data table).

use super::metrics::{fit, text_width};
use super::palette::{Paint, Tone};
use super::svg::{Anchor, Style, Svg, LABEL_PX};

/// One placed entry.
pub(crate) struct LegendEntry {
    pub text: String,
    pub tone: Tone,
    pub dashed: bool,
    pub x: f64,
    pub row: usize,
}

/// What an entry's swatch looks like.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Swatch {
    /// A short line (dashed if the entry is): for lines.
    Line,
    /// A small square: for filled areas.
    Square,
}

const SWATCH_W: f64 = 18.0;
const SWATCH_GAP: f64 = 6.0;
const LEGEND_GAP: f64 = 16.0;
/// Height of one legend row.
pub(crate) const LEGEND_ROW: f64 = 18.0;

/// Flows entries (text, tone, dashed) left to right from `left`, wrapping
/// at `right`.
pub(crate) fn flow_legend(
    items: Vec<(String, Tone, bool)>,
    left: f64,
    right: f64,
) -> Vec<LegendEntry> {
    let px = f64::from(LABEL_PX);
    let max_text = right - left - SWATCH_W - SWATCH_GAP;
    let mut x = left;
    let mut row = 0;
    let mut out = Vec::with_capacity(items.len());
    for (label, tone, dashed) in items {
        let text = fit(&label, max_text, px, false);
        let w = SWATCH_W + SWATCH_GAP + text_width(&text, px, false);
        if x > left && x + w > right {
            row += 1;
            x = left;
        }
        out.push(LegendEntry {
            text,
            tone,
            dashed,
            x,
            row,
        });
        x += w + LEGEND_GAP;
    }
    out
}

/// Number of rows a laid-out legend takes (0 when empty).
pub(crate) fn legend_rows(entries: &[LegendEntry]) -> usize {
    entries.last().map_or(0, |e| e.row + 1)
}

/// Width of a legend that fits on one row.
pub(crate) fn legend_width(entries: &[LegendEntry]) -> f64 {
    entries
        .iter()
        .map(|e| SWATCH_W + SWATCH_GAP + text_width(&e.text, f64::from(LABEL_PX), false))
        .sum::<f64>()
        + LEGEND_GAP * entries.len().saturating_sub(1) as f64
}

/// Draws entries at `y0 + row * LEGEND_ROW`, shifted right by `dx`.
pub(crate) fn draw_legend(
    svg: &mut Svg,
    entries: &[LegendEntry],
    y0: f64,
    dx: f64,
    swatch: Swatch,
) {
    for e in entries {
        let x = (e.x + dx).round();
        let y = y0 + e.row as f64 * LEGEND_ROW;
        let paint = Paint::Tone(e.tone);
        match swatch {
            Swatch::Line => {
                let dash = if e.dashed { "5 3" } else { "" };
                svg.line((x, y), (x + SWATCH_W, y), Some(paint), 2.5, dash);
            }
            Swatch::Square => svg.rect(x + 4.0, y - 5.0, x + 14.0, y + 5.0, Some(paint)),
        }
        let st = Style::new(LABEL_PX, Paint::Text, Anchor::Start);
        svg.text(x + SWATCH_W + SWATCH_GAP, y, &e.text, st);
    }
}
