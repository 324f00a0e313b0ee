//! Polygons on 3 to 8 radial axes (420×400), linear or log10 radii; taller
//! only for a legend of two rows or more.

use super::labels::{draw_halo_labels, Label};
use super::legend::{draw_legend, flow_legend, legend_rows, Swatch, LEGEND_ROW};
use super::metrics::{clean, clean_suffix, sentence, wrap2};
use super::palette::{Paint, Tone};
use super::path::polygon;
use super::svg::{Anchor, Style, Svg, LABEL_PX, PAD, TICK_PX};
use super::ticks::{fmt_num, linear_ticks, log_ticks, tame};
use std::f64::consts::{FRAC_PI_2, TAU};
use std::fmt::Write as _;

/// Polygons on 3 to 8 radial axes.
#[derive(Debug, Clone, PartialEq)]
pub struct Radar {
    /// Heading, also the SVG `<title>`.
    pub title: String,
    /// Text alternative for `<desc>`; composed from the data if blank.
    pub description: String,
    /// Radius proportional to log10 of the value between each axis's `min`
    /// and `max`, for quantities spanning decades (energies in pJ).
    pub log: bool,
    /// Appended to ring labels and to numbers in the composed description.
    pub tick_suffix: String,
    /// Axes clockwise from the top.
    pub axes: Vec<RadarAxis>,
    /// One polygon per series.
    pub series: Vec<RadarSeries>,
}

/// One axis of a [`Radar`].
#[derive(Debug, Clone, PartialEq)]
pub struct RadarAxis {
    /// Text at the axis's outer end, wrapped onto two lines if needed.
    pub label: String,
    /// Value at the centre. On a log radar a `min` that is not above 0 (or
    /// not below `max`) means `max / 1000`: three decades.
    pub min: f64,
    /// Value at the rim; larger values are drawn at the rim.
    pub max: f64,
}

/// One polygon of a [`Radar`].
#[derive(Debug, Clone, PartialEq)]
pub struct RadarSeries {
    /// Legend text.
    pub label: String,
    /// Outline and (pale) fill colour.
    pub tone: Tone,
    /// One value per axis, in axis order; missing or non-finite values
    /// are drawn at the centre.
    pub values: Vec<f64>,
}

const RA_W: f64 = 420.0;
const RA_H: f64 = 400.0;
const RA_R: f64 = 112.0;

/// An axis after cleaning: the value range its radius spans, or `None`
/// when it has no usable range (everything is drawn at the centre).
struct RadarScale {
    label: String,
    range: Option<(f64, f64)>,
}

impl RadarScale {
    fn new(a: &RadarAxis, log: bool) -> RadarScale {
        let range = if log {
            let hi = a.max;
            let lo = if a.min > 0.0 && a.min < hi {
                a.min
            } else {
                hi / 1000.0
            };
            match (tame(lo, true), tame(hi, true)) {
                (Some(lo), Some(hi)) if lo < hi => Some((lo, hi)),
                _ => None,
            }
        } else {
            let lo = tame(a.min, false).unwrap_or(0.0);
            tame(a.max, false).filter(|hi| *hi > lo).map(|hi| (lo, hi))
        };
        RadarScale {
            label: clean(&a.label),
            range,
        }
    }

    /// 0 at the centre, 1 at the rim; clamped.
    fn frac(&self, v: f64, log: bool) -> f64 {
        let Some((lo, hi)) = self.range else {
            return 0.0;
        };
        let f = if log {
            if !(v.is_finite() && v > 0.0) {
                return 0.0;
            }
            (v.log10() - lo.log10()) / (hi.log10() - lo.log10())
        } else {
            (v - lo) / (hi - lo)
        };
        if f.is_finite() {
            f.clamp(0.0, 1.0)
        } else {
            0.0
        }
    }
}

/// An axis label just outside the rim: its x, its first line's offset from
/// the centre's y, its anchor and its (at most two) lines.
type AxisLabel = (f64, f64, Anchor, Vec<String>);

/// Axis labels anchored away from the centre and wrapped to two lines within
/// the room left to the card's edge; laid out first because their extent
/// decides where the centre goes.
fn axis_labels(scales: &[RadarScale], cx: f64) -> Vec<AxisLabel> {
    let lx = f64::from(LABEL_PX);
    let n = scales.len();
    scales
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let a = angle(i, n);
            let (dx, dy) = ((RA_R + 14.0) * a.cos(), (RA_R + 14.0) * a.sin());
            let x = cx + dx;
            let (anchor, room) = match a.cos() {
                c if c > 0.3 => (Anchor::Start, RA_W - PAD - x),
                c if c < -0.3 => (Anchor::End, x - PAD),
                _ => (Anchor::Middle, 150.0),
            };
            let lines = wrap2(&s.label, room.clamp(40.0, 150.0), lx);
            let h = 14.0 * (lines.len() as f64 - 1.0);
            // Labels above the centre grow upwards, below it downwards.
            let dy0 = match a.sin() {
                s if s < -0.3 => dy - h,
                s if s > 0.3 => dy,
                _ => dy - h / 2.0,
            };
            (x, dy0, anchor, lines)
        })
        .collect()
}

/// Angle of axis `i` of `n`, clockwise from the top.
fn angle(i: usize, n: usize) -> f64 {
    -FRAC_PI_2 + TAU * i as f64 / n as f64
}

/// Radar, 420×400; taller only for a legend of two rows or more.
pub(crate) fn render(r: &Radar) -> String {
    let title = clean(&r.title);
    let suffix = clean_suffix(&r.tick_suffix);
    let scales: Vec<RadarScale> = r.axes.iter().map(|a| RadarScale::new(a, r.log)).collect();
    let n = scales.len();
    let items = r
        .series
        .iter()
        .map(|s| (clean(&s.label), s.tone, false))
        .filter(|(l, _, _)| !l.is_empty())
        .collect();
    let legend = flow_legend(items, PAD, RA_W - PAD);
    let extra = LEGEND_ROW * (legend_rows(&legend).max(1) - 1) as f64;
    let height = RA_H + extra;
    let cx = RA_W / 2.0;
    let labels = axis_labels(&scales, cx);
    let above = labels.iter().map(|l| l.1 - 8.0).fold(-RA_R, f64::min);
    let below = labels
        .iter()
        .map(|l| l.1 + 14.0 * (l.3.len() as f64 - 1.0) + 8.0)
        .fold(RA_R, f64::max);
    // Centre the web and its labels in the room under the legend.
    let room_top = 46.0 + extra + if legend.is_empty() { 0.0 } else { 16.0 };
    let room = height - 10.0 - room_top;
    let cy = (room_top - above + ((room - (below - above)) / 2.0).max(0.0)).round();

    let desc = match clean(&r.description) {
        d if d.is_empty() => description(r, &title, &scales, &suffix),
        d => d,
    };
    let mut svg = Svg::new(RA_W as u32, height as u32, &title, &desc);
    svg.title(&title, RA_W);
    draw_legend(&mut svg, &legend, 46.0, 0.0, Swatch::Square);
    if n == 0 {
        svg.no_data(cx, cy);
        return svg.finish();
    }
    let web = Web { cx, cy, n };
    let rings = rings(r, &scales, &suffix);
    web.draw_grid(&mut svg, &rings);
    for s in &r.series {
        web.draw_series(&mut svg, s, &scales, r.log);
    }
    if r.series.is_empty() {
        svg.no_data(cx, cy);
    }
    let ring_labels: Vec<Label> = rings
        .iter()
        .filter(|r| !r.1.is_empty())
        .map(|(f, text)| Label {
            x: cx + 4.0,
            y: cy - f * RA_R + 7.0,
            text: text.clone(),
            style: Style::new(TICK_PX, Paint::Muted, Anchor::Start),
        })
        .collect();
    draw_halo_labels(&mut svg, &ring_labels);
    for (x, dy0, anchor, lines) in &labels {
        for (k, line) in lines.iter().enumerate() {
            let st = Style::new(LABEL_PX, Paint::Text, *anchor);
            svg.text(*x, cy + dy0 + 14.0 * k as f64, line, st);
        }
    }
    svg.finish()
}

/// Rings as (fraction of the radius, label): when every axis has the same
/// range, at its ticks (decades on a log radar) with labels along the top
/// axis; otherwise unlabelled at quarters.
fn rings(r: &Radar, scales: &[RadarScale], suffix: &str) -> Vec<(f64, String)> {
    let shared = scales[0].range.filter(|first| {
        scales
            .iter()
            .all(|s| s.range.is_some_and(|r| r.0 == first.0 && r.1 == first.1))
    });
    let Some((lo, hi)) = shared else {
        return [0.25, 0.5, 0.75, 1.0]
            .iter()
            .map(|f| (*f, String::new()))
            .collect();
    };
    let t = if r.log {
        log_ticks(lo, hi, true, suffix)
    } else {
        linear_ticks(lo, hi, true, suffix)
    };
    let probe = RadarScale {
        label: String::new(),
        range: Some((lo, hi)),
    };
    t.major
        .iter()
        .zip(t.labels)
        .map(|(v, l)| (probe.frac(*v, r.log), l))
        .filter(|(f, _)| *f > 0.01)
        .collect()
}

/// The web's centre and number of axes.
struct Web {
    cx: f64,
    cy: f64,
    n: usize,
}

impl Web {
    /// The point at fraction `f` of the radius along axis `i`.
    fn at(&self, i: usize, f: f64) -> (f64, f64) {
        let a = angle(i, self.n);
        (self.cx + f * RA_R * a.cos(), self.cy + f * RA_R * a.sin())
    }

    /// Rings (the rim always) and spokes.
    fn draw_grid(&self, svg: &mut Svg, rings: &[(f64, String)]) {
        svg.open(None, Some(Paint::Grid), " fill=\"none\"");
        let mut fracs: Vec<f64> = rings.iter().map(|r| r.0).collect();
        if fracs.last().is_none_or(|f| *f < 0.999) {
            fracs.push(1.0);
        }
        for f in fracs {
            if self.n < 3 {
                svg.circle((self.cx, self.cy), f * RA_R, None, None);
            } else {
                svg.path(&polygon((0..self.n).map(|i| self.at(i, f))), None, None, "");
            }
        }
        for i in 0..self.n {
            svg.line((self.cx, self.cy), self.at(i, 1.0), None, 1.0, "");
        }
        svg.close();
    }

    /// One series: a pale polygon with its outline and a dot per axis.
    fn draw_series(&self, svg: &mut Svg, s: &RadarSeries, scales: &[RadarScale], log: bool) {
        let paint = Paint::Tone(s.tone);
        let pts: Vec<(f64, f64)> = (0..self.n)
            .map(|i| {
                let v = s.values.get(i).copied().unwrap_or(f64::NAN);
                self.at(i, scales[i].frac(v, log))
            })
            .collect();
        svg.path(
            &polygon(pts.iter().copied()),
            Some(paint),
            Some(paint),
            " fill-opacity=\"0.15\" stroke-width=\"2\" stroke-linejoin=\"round\"",
        );
        svg.open(Some(paint), None, "");
        for p in pts {
            svg.circle(p, 3.0, None, None);
        }
        svg.close();
    }
}

/// "Title. Series: axis v, axis v; series: …" with compact numbers.
fn description(r: &Radar, title: &str, scales: &[RadarScale], suffix: &str) -> String {
    let mut d = sentence(title);
    if scales.is_empty() || r.series.is_empty() {
        d.push_str("No data.");
        return d;
    }
    for (k, s) in r.series.iter().enumerate() {
        if k > 0 {
            d.push_str("; ");
        }
        let label = clean(&s.label);
        if !label.is_empty() {
            let _ = write!(d, "{label}: ");
        }
        for (i, a) in scales.iter().enumerate() {
            if i > 0 {
                d.push_str(", ");
            }
            let v = s.values.get(i).copied().unwrap_or(f64::NAN);
            let _ = write!(d, "{} {}{suffix}", a.label, fmt_num(v));
        }
    }
    d.push('.');
    d
}

// ---------------------------------------------------------------------------
