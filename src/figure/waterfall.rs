//! Steps that add up (640×360): each bar starts where the previous one
//! ended, with an optional total bar.

use super::bars::{bar_texts, heading, ValueFrame};
use super::metrics::{clean, sentence};
use super::palette::{Paint, Tone};
use super::svg::Svg;
use super::ticks::{linear_ticks, tame};
use super::Series;
use std::fmt::Write as _;

/// Steps that add up: each bar starts where the previous one ended.
#[derive(Debug, Clone, PartialEq)]
pub struct Waterfall {
    /// Heading, also the SVG `<title>`.
    pub title: String,
    /// Text alternative for `<desc>`; composed from the data if blank.
    pub description: String,
    /// Value axis title with unit, shown above the plot, e.g. "Time per epoch (s)".
    pub axis_label: String,
    /// The steps, left to right. A negative value is a step down;
    /// NaN and infinite values count as 0.
    pub steps: Vec<Series>,
    /// Optional final bar from 0 to the sum of the steps.
    pub total: Option<Total>,
    /// The value range the axis must cover, e.g. the extent over every
    /// state a page can show, so the axis holds still while the bars move;
    /// widened to the data if needed. `None` fits the axis to the data.
    pub range: Option<(f64, f64)>,
}

/// The final bar of a [`Waterfall`]; its height is the sum of the steps.
#[derive(Debug, Clone, PartialEq)]
pub struct Total {
    /// Category text under the bar, e.g. "Epoch".
    pub label: String,
    /// Caller-formatted sum, e.g. "212 s".
    pub text: String,
    /// Bar colour.
    pub tone: Tone,
}

const WF_W: f64 = 640.0;
const WF_H: f64 = 360.0;
const WF_TOP: f64 = 72.0;
const WF_BOTTOM: f64 = 296.0;
const WF_CAT_Y: f64 = 314.0;

/// One drawn bar: from `a` to `b` in data units.
struct WfBar {
    label: String,
    text: String,
    tone: Tone,
    a: f64,
    b: f64,
}

/// The lowest and highest running totals of a waterfall, 0 included (the
/// bars start there).
pub fn waterfall_extent(w: &Waterfall) -> (f64, f64) {
    let mut cum = 0.0f64;
    let (mut lo, mut hi) = (0.0f64, 0.0f64);
    for s in &w.steps {
        let v = tame(s.value, false).unwrap_or(0.0);
        cum = (cum + v).clamp(-1e300, 1e300);
        lo = lo.min(cum);
        hi = hi.max(cum);
    }
    (lo, hi)
}

/// The bars: each step from the running total before it to the one after,
/// then the total from 0.
fn bars(w: &Waterfall) -> Vec<WfBar> {
    let mut bars = Vec::with_capacity(w.steps.len() + 1);
    let mut cum = 0.0f64;
    for s in &w.steps {
        let v = tame(s.value, false).unwrap_or(0.0);
        // Clamped so a run of huge steps cannot overflow to infinity.
        let next = (cum + v).clamp(-1e300, 1e300);
        bars.push(WfBar {
            label: clean(&s.label),
            text: clean(&s.text),
            tone: s.tone,
            a: cum,
            b: next,
        });
        cum = next;
    }
    if let Some(t) = &w.total {
        bars.push(WfBar {
            label: clean(&t.label),
            text: clean(&t.text),
            tone: t.tone,
            a: 0.0,
            b: cum,
        });
    }
    bars
}

/// "Title. Label: text; label: text."
fn description(title: &str, bars: &[WfBar]) -> String {
    let mut d = sentence(title);
    if bars.is_empty() {
        d.push_str("No data.");
    }
    for (i, b) in bars.iter().enumerate() {
        let sep = if i + 1 == bars.len() { "." } else { "; " };
        let _ = write!(d, "{}: {}{sep}", b.label, b.text);
    }
    d
}

/// Waterfall, 640×360, vertical bars left to right.
pub(crate) fn render(w: &Waterfall) -> String {
    let title = clean(&w.title);
    let bars = bars(w);
    let (lo, hi) = waterfall_extent(w);
    let (lo, hi) = match w.range {
        Some((a, b)) if a.is_finite() && b.is_finite() => (lo.min(a), hi.max(b)),
        _ => (lo, hi),
    };
    let (lo, hi) = if hi > lo { (lo, hi) } else { (0.0, 1.0) };
    let fr = ValueFrame::new(linear_ticks(lo, hi, false, ""), WF_W, WF_TOP, WF_BOTTOM);
    let desc = match clean(&w.description) {
        d if d.is_empty() => description(&title, &bars),
        d => d,
    };
    let mut svg = Svg::new(WF_W as u32, WF_H as u32, &title, &desc);
    heading(&mut svg, &title, &clean(&w.axis_label), WF_W);
    fr.draw(&mut svg);
    let mut edges = Vec::with_capacity(bars.len());
    for (i, b) in bars.iter().enumerate() {
        let (cx, slot) = fr.slot(i, bars.len());
        let bar_w = (slot * 0.6).clamp(1.0, 96.0);
        let (x0, x1) = ((cx - bar_w / 2.0).round(), (cx + bar_w / 2.0).round());
        let x1 = x1.max(x0 + 1.0);
        let (ya, yb) = (fr.y(b.a), fr.y(b.b));
        let (top, bottom) = (ya.min(yb), ya.max(yb));
        // A non-zero step never disappears entirely.
        let bottom = if b.a != b.b {
            bottom.max(top + 1.0)
        } else {
            bottom
        };
        if bottom > top {
            svg.rect(x0, top, x1, bottom, Some(Paint::Tone(b.tone)));
        }
        edges.push((x0, x1, yb));
        bar_texts(&mut svg, cx, top, slot, &b.text, &b.label, WF_CAT_Y);
    }
    // Dashed connectors carry each running total over to the next bar.
    svg.open(None, Some(Paint::Axis), " stroke-dasharray=\"3 3\"");
    for pair in edges.windows(2) {
        let ((_, x1, y), (x0, _, _)) = (pair[0], pair[1]);
        if x0 - x1 > 2.0 {
            svg.line((x1, y + 0.5), (x0, y + 0.5), None, 1.0, "");
        }
    }
    svg.close();
    fr.baseline(&mut svg);
    if bars.is_empty() {
        svg.no_data((fr.l + fr.r) / 2.0, (WF_TOP + WF_BOTTOM) / 2.0);
    }
    svg.finish()
}
