//! The plot frame of a curves chart: the plot rectangle, its two axes, the
//! grid, and lines cut to the rectangle.

use super::metrics::fit;
use super::palette::Paint;
use super::path::clip_segment;
use super::svg::{Anchor, Style, Svg, PAD, TICK_PX};
use super::ticks::{tame, Ticks};

/// The plot rectangle and its two axes.
pub(crate) struct Frame {
    pub l: f64,
    pub r: f64,
    pub t: f64,
    pub b: f64,
    pub x: Ticks,
    pub y: Ticks,
}

impl Frame {
    pub(crate) fn px(&self, x: f64) -> Option<f64> {
        self.x
            .frac(tame(x, self.x.log)?)
            .map(|f| self.l + f * (self.r - self.l))
    }

    pub(crate) fn py(&self, y: f64) -> Option<f64> {
        self.y
            .frac(tame(y, self.y.log)?)
            .map(|f| self.b - f * (self.b - self.t))
    }

    pub(crate) fn point(&self, (x, y): (f64, f64)) -> Option<(f64, f64)> {
        let p = (self.px(x)?, self.py(y)?);
        // Far outside a fixed range the positions would be huge; anything
        // that far out is clipped away anyway.
        (p.0.abs() < 1e7 && p.1.abs() < 1e7).then_some(p)
    }

    pub(crate) fn inside(&self, (x, y): (f64, f64)) -> bool {
        x >= self.l - 0.5 && x <= self.r + 0.5 && y >= self.t - 0.5 && y <= self.b + 0.5
    }

    pub(crate) fn bounds(&self) -> [f64; 4] {
        [self.l, self.t, self.r, self.b]
    }
}

/// Gridlines, the x axis line with tick marks, and both axes' tick labels.
pub(crate) fn draw_grid(svg: &mut Svg, fr: &Frame) {
    let (l, r, t, b) = (fr.l, fr.r, fr.t, fr.b);
    // Positions are rounded to whole units so 1-unit rects stay crisp.
    let xs = |v: &f64| fr.px(*v).map(f64::round).filter(|x| *x >= l && *x <= r);
    let ys = |v: &f64| fr.py(*v).map(f64::round).filter(|y| *y >= t && *y <= b);
    if !(fr.x.minor.is_empty() && fr.y.minor.is_empty()) {
        svg.open(Some(Paint::Track), None, "");
        for x in fr.x.minor.iter().filter_map(xs) {
            svg.rect(x, t, x + 1.0, b, None);
        }
        for y in fr.y.minor.iter().filter_map(ys) {
            svg.rect(l, y, r + 1.0, y + 1.0, None);
        }
        svg.close();
    }
    svg.open(Some(Paint::Grid), None, "");
    for x in fr.x.major.iter().filter_map(xs) {
        svg.rect(x, t, x + 1.0, b, None);
    }
    for y in fr.y.major.iter().filter_map(ys).filter(|y| *y < b) {
        svg.rect(l, y, r + 1.0, y + 1.0, None);
    }
    svg.close();
    svg.rect(l, b, r + 1.0, b + 1.0, Some(Paint::Axis));

    // Tick labels are short unless a caller's suffix is long; then they
    // are cut to their room rather than run off the card or into each other.
    let px = f64::from(TICK_PX);
    svg.open(
        Some(Paint::Muted),
        None,
        &format!(" font-size=\"{TICK_PX}\""),
    );
    let tick = Style::inherit(Anchor::End);
    for (v, label) in fr.y.major.iter().zip(&fr.y.labels) {
        if let Some(y) = ys(v) {
            // The margin was sized for the widest label (capped at a third
            // of the card); the tolerance absorbs float noise in the sums.
            svg.text(
                l - 8.0,
                y,
                &fit(label, l - 8.0 - PAD + 0.5, px, false),
                tick,
            );
        }
    }
    let tick = Style::inherit(Anchor::Middle);
    let room = (r - l) / fr.x.major.len().max(1) as f64 - 4.0;
    for (v, label) in fr.x.major.iter().zip(&fr.x.labels) {
        if let Some(x) = xs(v) {
            svg.text(x, b + 15.0, &fit(label, room, px, false), tick);
        }
    }
    svg.close();
}

/// Maps a series to pixel space and cuts it into runs that lie inside the
/// plot: points that cannot be placed break the line, and segments that
/// leave the plot (possible with a fixed range) are clipped at its edge.
/// Runs of one point are isolated points, drawn as dots.
pub(crate) fn clip_runs(fr: &Frame, points: &[(f64, f64)]) -> Vec<Vec<(f64, f64)>> {
    let mut runs = Vec::new();
    let mut cur: Vec<(f64, f64)> = Vec::new();
    let mut prev: Option<(f64, f64)> = None;
    let rect = [fr.l, fr.t, fr.r, fr.b];
    for &p in points {
        let q = fr.point(p);
        match (prev, q) {
            (_, None) => flush(&mut runs, &mut cur),
            (None, Some(q)) => {
                flush(&mut runs, &mut cur);
                if fr.inside(q) {
                    cur.push(q);
                }
            }
            (Some(a), Some(q)) => {
                match clip_segment(a, q, rect) {
                    Some((c0, c1)) => {
                        if cur.last() != Some(&c0) {
                            flush(&mut runs, &mut cur);
                            cur.push(c0);
                        }
                        cur.push(c1);
                    }
                    None => flush(&mut runs, &mut cur),
                }
                if !fr.inside(q) {
                    flush(&mut runs, &mut cur);
                }
            }
        }
        prev = q;
    }
    flush(&mut runs, &mut cur);
    runs
}

pub(crate) fn flush(runs: &mut Vec<Vec<(f64, f64)>>, cur: &mut Vec<(f64, f64)>) {
    if !cur.is_empty() {
        runs.push(std::mem::take(cur));
    }
}
