//! A semicircular dial (360×220) with coloured bands, a needle, the value
//! and what it is.

use super::metrics::{clean, clean_suffix, fit, sentence};
use super::palette::{Paint, Tone};
use super::svg::{push_pair, Anchor, Style, Svg, LABEL_PX, PAD, TICK_PX};
use super::ticks::{fmt_num, tame};
use std::f64::consts::PI;
use std::fmt::Write as _;

/// A semicircular dial from `min` (left) to `max` (right).
#[derive(Debug, Clone, PartialEq)]
pub struct Gauge {
    /// Heading, also the SVG `<title>`.
    pub title: String,
    /// Text alternative for `<desc>`; composed from the data if blank.
    pub description: String,
    /// Value at the left end.
    pub min: f64,
    /// Value at the right end; if not above `min`, the dial spans 1 unit.
    pub max: f64,
    /// Needle position, clamped to the dial. NaN or infinite: no needle.
    pub value: f64,
    /// Caller-formatted value shown large under the dial, e.g. "23 %".
    pub value_text: String,
    /// What the value is, shown under it, e.g. "GPU idle".
    pub label: String,
    /// Appended to the numbers at band edges, e.g. "%".
    pub tick_suffix: String,
    /// Coloured stretches of the dial; the band holding the value is drawn
    /// at full strength, the others paler, so the verdict reads at a glance.
    pub bands: Vec<Band>,
}

/// A coloured stretch of a [`Gauge`], in the gauge's units.
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    /// Start value (clamped to the dial).
    pub from: f64,
    /// End value (clamped to the dial).
    pub to: f64,
    /// Colour role, e.g. Good / Warn / Bad.
    pub tone: Tone,
}

const GA_W: f64 = 360.0;
const GA_H: f64 = 220.0;
const GA_CX: f64 = 180.0;
const GA_CY: f64 = 160.0;
const GA_RO: f64 = 104.0;
const GA_RI: f64 = 82.0;

/// Point at radius `r` and dial fraction `t` (0 = left end, 1 = right end,
/// over the top).
fn dial_point(r: f64, t: f64) -> (f64, f64) {
    let a = PI * (1.0 - t);
    (GA_CX + r * a.cos(), GA_CY - r * a.sin())
}

/// Ring sector between dial fractions `t0 < t1`; at most a half turn, so
/// the large-arc flag is always 0.
fn dial_sector(t0: f64, t1: f64) -> String {
    let mut d = String::with_capacity(80);
    let p = dial_point(GA_RO, t0);
    d.push('M');
    push_pair(&mut d, p.0, p.1);
    let _ = write!(d, "A{GA_RO} {GA_RO} 0 0 1 ");
    let p = dial_point(GA_RO, t1);
    push_pair(&mut d, p.0, p.1);
    d.push('L');
    let p = dial_point(GA_RI, t1);
    push_pair(&mut d, p.0, p.1);
    let _ = write!(d, "A{GA_RI} {GA_RI} 0 0 0 ");
    let p = dial_point(GA_RI, t0);
    push_pair(&mut d, p.0, p.1);
    d.push('Z');
    d
}

/// The dial's value range: `min` to `max`, or one unit when unusable.
struct Dial {
    min: f64,
    max: f64,
}

impl Dial {
    fn of(g: &Gauge) -> Dial {
        let min = tame(g.min, false).unwrap_or(0.0);
        let max = tame(g.max, false).filter(|m| *m > min).unwrap_or(min + 1.0);
        Dial { min, max }
    }

    /// 0 at the left end, 1 at the right; clamped.
    fn frac(&self, v: f64) -> f64 {
        ((v - self.min) / (self.max - self.min)).clamp(0.0, 1.0)
    }
}

/// "Title. Label: value on a scale from min to max."
fn description(g: &Gauge, title: &str, dial: &Dial, suffix: &str) -> String {
    let mut d = sentence(title);
    let value_text = clean(&g.value_text);
    let label = clean(&g.label);
    let shown = if value_text.is_empty() {
        fmt_num(g.value)
    } else {
        value_text
    };
    let what = if label.is_empty() { "Value" } else { &label };
    let _ = write!(
        d,
        "{what}: {shown} on a scale from {}{suffix} to {}{suffix}.",
        fmt_num(dial.min),
        fmt_num(dial.max)
    );
    d
}

/// Gauge, 360×220: title, dial, needle, value and label.
pub(crate) fn render(g: &Gauge) -> String {
    let title = clean(&g.title);
    let dial = Dial::of(g);
    let value = tame(g.value, false).map(|v| dial.frac(v));
    let suffix = clean_suffix(&g.tick_suffix);
    let desc = match clean(&g.description) {
        d if d.is_empty() => description(g, &title, &dial, &suffix),
        d => d,
    };
    let mut svg = Svg::new(GA_W as u32, GA_H as u32, &title, &desc);
    svg.title(&title, GA_W);
    draw_bands(&mut svg, g, &dial, value);
    draw_edges(&mut svg, g, &dial, &suffix);
    if let Some(t) = value {
        // A slim triangle from a base around the pivot to just inside the
        // band, so the needle points at the band without covering it.
        let a = PI * (1.0 - t);
        let (px, py) = (a.sin() * 4.0, a.cos() * 4.0);
        let tip = dial_point(GA_RI - 4.0, t);
        let mut d = String::with_capacity(48);
        d.push('M');
        push_pair(&mut d, tip.0, tip.1);
        d.push('L');
        push_pair(&mut d, GA_CX + px, GA_CY + py);
        d.push('L');
        push_pair(&mut d, GA_CX - px, GA_CY - py);
        d.push('Z');
        svg.path(&d, None, None, "");
    }
    svg.circle((GA_CX, GA_CY), 7.0, Some(Paint::Text), None);

    let big = Style::new(24, Paint::Text, Anchor::Middle).bold();
    let shown = fit(&clean(&g.value_text), GA_W - 2.0 * PAD, 24.0, true);
    svg.text(GA_CX, 188.0, &shown, big);
    let lab = fit(
        &clean(&g.label),
        GA_W - 2.0 * PAD,
        f64::from(LABEL_PX),
        false,
    );
    let st = Style::new(LABEL_PX, Paint::Muted, Anchor::Middle);
    svg.text(GA_CX, 208.0, &lab, st);
    svg.finish()
}

/// The track and the bands. The band holding the needle is the verdict:
/// full strength; the rest stay visible as context. The last matching band
/// wins, as it is drawn on top.
fn draw_bands(svg: &mut Svg, g: &Gauge, dial: &Dial, value: Option<f64>) {
    svg.path(&dial_sector(0.0, 1.0), Some(Paint::Track), None, "");
    let bands: Vec<(f64, f64, Tone)> = g
        .bands
        .iter()
        .filter(|b| b.from.is_finite() && b.to.is_finite())
        .map(|b| {
            let (a, c) = (dial.frac(b.from), dial.frac(b.to));
            (a.min(c), a.max(c), b.tone)
        })
        .filter(|b| b.1 - b.0 > 1e-6)
        .collect();
    let active = value.and_then(|v| bands.iter().rposition(|b| v >= b.0 && v <= b.1));
    for (i, &(a, c, tone)) in bands.iter().enumerate() {
        let opacity = if Some(i) == active {
            ""
        } else {
            " fill-opacity=\"0.3\""
        };
        svg.path(&dial_sector(a, c), Some(Paint::Tone(tone)), None, opacity);
    }
}

/// Band edges between the ends, labelled outside the dial (an edge too
/// close to the previous label is left unlabelled: the desc has all), and
/// the two ends' values under the dial.
fn draw_edges(svg: &mut Svg, g: &Gauge, dial: &Dial, suffix: &str) {
    let mut edges: Vec<(f64, f64)> = g
        .bands
        .iter()
        .flat_map(|b| [b.from, b.to])
        .filter(|v| v.is_finite())
        .map(|v| (dial.frac(v), v))
        .filter(|(t, _)| *t > 0.01 && *t < 0.99)
        .collect();
    edges.sort_by(|a, b| a.0.total_cmp(&b.0));
    edges.dedup_by(|a, b| (a.0 - b.0).abs() < 1e-9);
    let tick = Style::new(TICK_PX, Paint::Muted, Anchor::Middle);
    let px = f64::from(TICK_PX);
    let mut last: Option<(f64, f64)> = None;
    for (t, v) in edges {
        let a = dial_point(GA_RO + 1.0, t);
        let b = dial_point(GA_RO + 5.0, t);
        svg.line(a, b, Some(Paint::Axis), 1.0, "");
        let (x, y) = dial_point(GA_RO + 11.0, t);
        if last.is_some_and(|(lx, ly)| (x - lx).hypot(y - ly) < 30.0) {
            continue;
        }
        last = Some((x, y));
        let anchor = match (PI * (1.0 - t)).cos() {
            c if c > 0.3 => Anchor::Start,
            c if c < -0.3 => Anchor::End,
            _ => Anchor::Middle,
        };
        let text = fit(&format!("{}{suffix}", fmt_num(v)), 64.0, px, false);
        svg.text(x, y - 3.0, &text, Style { anchor, ..tick });
    }
    let mid = (GA_RO + GA_RI) / 2.0;
    for (x, v) in [(GA_CX - mid, dial.min), (GA_CX + mid, dial.max)] {
        let room = 2.0 * (GA_CX - mid - PAD);
        let text = fit(&format!("{}{suffix}", fmt_num(v)), room, px, false);
        svg.text(x, GA_CY + 14.0, &text, tick);
    }
}
