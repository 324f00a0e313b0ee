//! Bars side by side (480×320), and the value axis and bar texts the
//! waterfall shares.

use super::metrics::{clean, fit, text_width, wrap2};
use super::palette::Paint;
use super::svg::{Anchor, Style, Svg, LABEL_PX, PAD, TICK_PX, VALUE_PX};
use super::ticks::{linear_ticks, Ticks};
use super::timeline::{cleaned, fallback_description};
use super::Values;

const W: f64 = 480.0;
const H: f64 = 320.0;
const TOP: f64 = 72.0;
const BOTTOM: f64 = 264.0;
const CAT_Y: f64 = 281.0;

/// A vertical value axis: the plot's left and right edge, its top and
/// bottom, and the ticks it spans.
pub(crate) struct ValueFrame {
    pub l: f64,
    pub r: f64,
    pub top: f64,
    pub bottom: f64,
    pub ticks: Ticks,
}

impl ValueFrame {
    /// A frame from `top` to `bottom` whose left edge leaves room for the
    /// widest tick label, ending `PAD` before the card's right edge.
    pub(crate) fn new(ticks: Ticks, width: f64, top: f64, bottom: f64) -> ValueFrame {
        let tick_w = ticks
            .labels
            .iter()
            .map(|l| text_width(l, f64::from(TICK_PX), false))
            .fold(0.0, f64::max);
        ValueFrame {
            l: (PAD + tick_w + 8.0).clamp(48.0, width / 3.0).ceil(),
            r: width - PAD,
            top,
            bottom,
            ticks,
        }
    }

    /// The y of value `v`, on whole units so 1-unit rects stay crisp.
    pub(crate) fn y(&self, v: f64) -> f64 {
        let t = &self.ticks;
        let f = (v - t.lo) / (t.hi - t.lo);
        (self.bottom - f * (self.bottom - self.top)).round()
    }

    /// Gridlines (but at 0, where the baseline goes) and tick labels.
    pub(crate) fn draw(&self, svg: &mut Svg) {
        let zero = self.y(0.0);
        svg.open(Some(Paint::Grid), None, "");
        for v in &self.ticks.major {
            let y = self.y(*v);
            if y != zero {
                svg.rect(self.l, y, self.r, y + 1.0, None);
            }
        }
        svg.close();
        svg.open(
            Some(Paint::Muted),
            None,
            &format!(" font-size=\"{TICK_PX}\""),
        );
        for (v, label) in self.ticks.major.iter().zip(&self.ticks.labels) {
            svg.text(self.l - 8.0, self.y(*v), label, Style::inherit(Anchor::End));
        }
        svg.close();
    }

    /// The baseline at 0, drawn last so it sits on the bars' bottom edge.
    pub(crate) fn baseline(&self, svg: &mut Svg) {
        let zero = self.y(0.0);
        svg.rect(self.l, zero, self.r, zero + 1.0, Some(Paint::Axis));
    }

    /// Centre of slot `i` of `n` equal slots across the plot, and the
    /// slot's width.
    pub(crate) fn slot(&self, i: usize, n: usize) -> (f64, f64) {
        let slot = (self.r - self.l) / n.max(1) as f64;
        (self.l + slot * (i as f64 + 0.5), slot)
    }
}

/// The value above a bar whose top is at `top`, and its category (wrapped
/// onto two lines) from `cat_y` down. A cut-off number ("12.…") would
/// mislead, so value texts are never shortened: crowded bars get a smaller,
/// regular-weight label, and none at all if even that does not fit (the
/// desc and the data table still have it).
pub(crate) fn bar_texts(
    svg: &mut Svg,
    cx: f64,
    top: f64,
    slot: f64,
    text: &str,
    label: &str,
    cat_y: f64,
) {
    let room = slot - 2.0;
    let cx = cx.round();
    if text_width(text, f64::from(VALUE_PX), true) <= room {
        let st = Style::new(VALUE_PX, Paint::Text, Anchor::Middle).bold();
        svg.text(cx, top - 11.0, text, st);
    } else if text_width(text, f64::from(TICK_PX), false) <= room {
        let st = Style::new(TICK_PX, Paint::Text, Anchor::Middle);
        svg.text(cx, top - 9.0, text, st);
    }
    let lx = f64::from(LABEL_PX);
    for (k, line) in wrap2(label, slot - 8.0, lx).iter().enumerate() {
        let st = Style::new(LABEL_PX, Paint::Text, Anchor::Middle);
        svg.text(cx, cat_y + 16.0 * k as f64, line, st);
    }
}

/// The heading and, above the plot (not rotated beside it: easier to read,
/// and no transforms), the value axis's title.
pub(crate) fn heading(svg: &mut Svg, title: &str, axis_label: &str, width: f64) {
    svg.title(title, width);
    let lx = f64::from(LABEL_PX);
    let label = fit(axis_label, width - 2.0 * PAD, lx, false);
    svg.text(
        PAD,
        46.0,
        &label,
        Style::new(LABEL_PX, Paint::Muted, Anchor::Start),
    );
}

/// Bar chart: title, unit label, y axis with gridlines, and one bar per
/// series with its value above and its category below.
pub(crate) fn render(v: &Values) -> String {
    let (title, series) = cleaned(v);
    let peak = series.iter().map(|s| s.value).fold(0.0, f64::max);
    let ticks = linear_ticks(0.0, if peak > 0.0 { peak } else { 1.0 }, false, "");
    let fr = ValueFrame::new(ticks, W, TOP, BOTTOM);
    let desc = match clean(&v.description) {
        d if d.is_empty() => fallback_description(&title, &series),
        d => d,
    };
    let mut svg = Svg::new(W as u32, H as u32, &title, &desc);
    heading(&mut svg, &title, &clean(&v.axis_label), W);
    fr.draw(&mut svg);
    let n = series.len();
    for (i, s) in series.iter().enumerate() {
        let (cx, slot) = fr.slot(i, n);
        let bar_w = (slot * 0.55).clamp(1.0, 96.0);
        let (x0, x1) = ((cx - bar_w / 2.0).round(), (cx + bar_w / 2.0).round());
        let mut top = fr.y(s.value);
        if s.value > 0.0 {
            // A positive value never disappears entirely.
            top = top.min(BOTTOM - 1.0);
        }
        if top < BOTTOM {
            svg.rect(x0, top, x1.max(x0 + 1.0), BOTTOM, Some(Paint::Tone(s.tone)));
        }
        bar_texts(&mut svg, cx, top, slot, &s.text, &s.label, CAT_Y);
    }
    fr.baseline(&mut svg);
    if series.is_empty() {
        svg.no_data((fr.l + fr.r) / 2.0, (TOP + BOTTOM) / 2.0);
    }
    svg.finish()
}
