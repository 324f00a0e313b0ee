//! Lines over a continuous x axis (640×360), linear or log10 on either axis,
//! with markers and vertical guides; taller only for a legend of three rows
//! or more.

use super::frame::{clip_runs, draw_grid, Frame};
use super::labels::{draw_halo_labels, Label, Taken};
use super::legend::{draw_legend, flow_legend, legend_rows, legend_width, Swatch, LEGEND_ROW};
use super::metrics::{clean, fit, sentence, text_width};
use super::palette::{Paint, Tone};
use super::path::{push_polyline, simplify};
use super::svg::{Anchor, Style, Svg, LABEL_PX, PAD, TICK_PX};
use super::ticks::{axis_ticks, tame, Span};
use super::{Axis, Scale};
use std::fmt::Write as _;

/// Lines over a continuous x axis, with optional markers and guides.
#[derive(Debug, Clone, PartialEq)]
pub struct Curves {
    /// Heading, also the SVG `<title>`.
    pub title: String,
    /// Text alternative for `<desc>`; composed from the data if blank.
    pub description: String,
    /// Horizontal axis.
    pub x: Axis,
    /// Vertical axis.
    pub y: Axis,
    /// The lines, drawn in order (later on top) and listed in the legend.
    pub series: Vec<Curve>,
    /// Marked points, drawn above the lines.
    pub markers: Vec<Marker>,
    /// Vertical reference lines across the whole plot.
    pub guides: Vec<Guide>,
}

/// One line of a [`Curves`] chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Curve {
    /// Legend text, e.g. "Network (10 Gb/s)". Blank: not in the legend.
    pub label: String,
    /// Line colour.
    pub tone: Tone,
    /// Dashed instead of solid, to tell lines apart without colour.
    pub dashed: bool,
    /// `(x, y)` points in drawing order (normally increasing x). A point
    /// that cannot be drawn (NaN, infinite, or <= 0 on a log axis) breaks
    /// the line there.
    pub points: Vec<(f64, f64)>,
}

/// A labelled point on a [`Curves`] chart.
#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    /// Position in data units.
    pub x: f64,
    /// Position in data units.
    pub y: f64,
    /// Caller-formatted text, e.g. "Optimum: 38 min".
    pub label: String,
    /// How the point is drawn.
    pub kind: MarkerKind,
    /// Colour of the mark (its label is always dark text, for contrast).
    pub tone: Tone,
}

/// How a [`Marker`] is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkerKind {
    /// A filled dot with its label: a minimum or maximum.
    Optimum,
    /// A ring with a dashed line down to the x axis: where two lines cross,
    /// read off as an x value.
    Crossover,
    /// A dot with a dashed line across to the y axis at its height: where a
    /// curve levels off, read off as a y value.
    Saturation,
}

/// A vertical reference line on a [`Curves`] chart, e.g. the interval the
/// student has currently chosen.
#[derive(Debug, Clone, PartialEq)]
pub struct Guide {
    /// Position in data units.
    pub x: f64,
    /// Caller-formatted text, e.g. "current interval".
    pub label: String,
    /// Line colour.
    pub tone: Tone,
}

const W: f64 = 640.0;
const H: f64 = 360.0;

/// Where the legend goes: beside the y axis title when one row fits there,
/// else on rows of its own below it.
struct Head {
    y_label: String,
    legend: Vec<super::legend::LegendEntry>,
    legend_y: f64,
    legend_dx: f64,
    height: f64,
    top: f64,
}

fn head(c: &Curves) -> Head {
    let lx = f64::from(LABEL_PX);
    let inner_r = W - PAD;
    let y_label = clean(&c.y.label);
    let items: Vec<(String, Tone, bool)> = c
        .series
        .iter()
        .map(|s| (clean(&s.label), s.tone, s.dashed))
        .filter(|(l, _, _)| !l.is_empty())
        .collect();
    let legend = flow_legend(items, PAD, inner_r);
    let lw = legend_width(&legend);
    let beside =
        legend_rows(&legend) <= 1 && text_width(&y_label, lx, false) + 24.0 + lw <= inner_r - PAD;
    let (legend_y, legend_dx, extra_rows) = if legend.is_empty() {
        (46.0, 0.0, 0)
    } else if beside {
        (46.0, inner_r - PAD - lw, 0)
    } else {
        (66.0, 0.0, legend_rows(&legend))
    };
    let top = 72.0 + LEGEND_ROW * extra_rows as f64;
    let height = (H + (top - 108.0).max(0.0)).round();
    Head {
        y_label,
        legend,
        legend_y,
        legend_dx,
        height,
        top,
    }
}

/// The plot frame: axes fitted to everything drawn (or to the fixed
/// ranges), the left margin sized for the widest y tick label.
fn frame(c: &Curves, top: f64, height: f64) -> Frame {
    let (xlog, ylog) = (c.x.scale == Scale::Log, c.y.scale == Scale::Log);
    let tamed = |(x, y): (f64, f64)| Some((tame(x, xlog)?, tame(y, ylog)?));
    let (mut xs, mut ys) = (Span::EMPTY, Span::EMPTY);
    let points = c.series.iter().flat_map(|s| s.points.iter().copied());
    let marks = c.markers.iter().map(|m| (m.x, m.y));
    for (x, y) in points.chain(marks).filter_map(tamed) {
        xs.add(x);
        ys.add(y);
    }
    for x in c.guides.iter().filter_map(|g| tame(g.x, xlog)) {
        xs.add(x);
    }
    let yt = axis_ticks(&c.y, ys);
    let y_tick_w = yt
        .labels
        .iter()
        .map(|l| text_width(l, f64::from(TICK_PX), false))
        .fold(0.0, f64::max);
    Frame {
        l: (PAD + y_tick_w + 8.0).clamp(48.0, W / 3.0).ceil(),
        r: W - 28.0,
        t: top,
        b: height - 66.0,
        x: axis_ticks(&c.x, xs),
        y: yt,
    }
}

/// Everything drawn inside the plot, in pixels: each series' runs, the
/// guides' x, the markers' positions.
struct Geometry<'a> {
    runs: Vec<Vec<Vec<(f64, f64)>>>,
    guides: Vec<(f64, &'a Guide)>,
    marks: Vec<((f64, f64), &'a Marker)>,
}

fn geometry<'a>(c: &'a Curves, fr: &Frame) -> Geometry<'a> {
    let runs = c
        .series
        .iter()
        .map(|s| {
            clip_runs(fr, &s.points)
                .iter()
                .map(|r| simplify(r, 0.3))
                .collect()
        })
        .collect();
    let guides = c
        .guides
        .iter()
        .filter_map(|g| {
            let x = fr
                .px(g.x)
                .filter(|x| *x >= fr.l - 0.5 && *x <= fr.r + 0.5)?;
            // On the pixel grid's half unit, so a 1.5-wide line stays sharp.
            Some((x.round() + 0.5, g))
        })
        .collect();
    let marks = c
        .markers
        .iter()
        .filter_map(|m| Some((fr.point((m.x, m.y)).filter(|&p| fr.inside(p))?, m)))
        .collect();
    Geometry {
        runs,
        guides,
        marks,
    }
}

impl Geometry<'_> {
    /// Room taken by every line and mark, which labels then avoid.
    fn taken(&self, fr: &Frame) -> Taken {
        let mut taken = Taken::default();
        for run in self.runs.iter().flatten() {
            taken.segs.extend(run.windows(2).map(|w| [w[0], w[1]]));
        }
        for &(x, _) in &self.guides {
            taken.segs.push([(x, fr.t), (x, fr.b)]);
        }
        for &((x, y), m) in &self.marks {
            taken.boxes.push([x - 8.0, y - 8.0, x + 8.0, y + 8.0]);
            match m.kind {
                MarkerKind::Crossover => taken.segs.push([(x, y), (x, fr.b)]),
                MarkerKind::Saturation => taken.segs.push([(fr.l, y), (x, y)]),
                MarkerKind::Optimum => {}
            }
        }
        taken
    }
}

/// Curves (and Saturation) chart.
pub(crate) fn render(c: &Curves) -> String {
    let title = clean(&c.title);
    let hd = head(c);
    let fr = frame(c, hd.top, hd.height);
    let desc = match clean(&c.description) {
        d if d.is_empty() => description(c, &title),
        d => d,
    };
    let mut svg = Svg::new(W as u32, hd.height as u32, &title, &desc);
    svg.title(&title, W);
    let lx = f64::from(LABEL_PX);
    let y_label = fit(&hd.y_label, W - 2.0 * PAD, lx, false);
    svg.text(
        PAD,
        46.0,
        &y_label,
        Style::new(LABEL_PX, Paint::Muted, Anchor::Start),
    );
    draw_legend(
        &mut svg,
        &hd.legend,
        hd.legend_y,
        hd.legend_dx,
        Swatch::Line,
    );
    draw_grid(&mut svg, &fr);

    // Geometry first, drawing after: labels are placed clear of every line
    // and mark, so all of those must be known before the first label.
    let geo = geometry(c, &fr);
    let mut taken = geo.taken(&fr);
    // Guides under the lines: they are context, the lines are the data.
    let mut labels = draw_guides(&mut svg, &geo, &fr, &mut taken);
    draw_lines(&mut svg, c, &geo);
    draw_marks(&mut svg, &geo, &fr);
    labels.extend(mark_labels(&geo, &fr, &mut taken));
    draw_halo_labels(&mut svg, &labels);

    if geo.runs.iter().all(Vec::is_empty) {
        svg.no_data((fr.l + fr.r) / 2.0, (fr.t + fr.b) / 2.0);
    }
    // Centred under the plot, so it may use twice the room to the nearer edge.
    let mid = (fr.l + fr.r) / 2.0;
    let room = 2.0 * (mid - PAD).min(W - PAD - mid);
    let x_label = fit(&clean(&c.x.label), room, lx, false);
    let st = Style::new(LABEL_PX, Paint::Muted, Anchor::Middle);
    svg.text(mid, fr.b + 40.0, &x_label, st);
    svg.finish()
}

/// Draws the guides and returns their labels, placed near the top.
fn draw_guides(svg: &mut Svg, geo: &Geometry, fr: &Frame, taken: &mut Taken) -> Vec<Label> {
    let tick_px = f64::from(TICK_PX);
    let mut labels = Vec::new();
    for &(x, g) in &geo.guides {
        svg.line((x, fr.t), (x, fr.b), Some(Paint::Tone(g.tone)), 1.5, "6 4");
        let text = fit(&clean(&g.label), (fr.r - fr.l) / 2.0, tick_px, false);
        let w = text_width(&text, tick_px, false);
        let cands: Vec<(f64, f64, Anchor)> = [10.0, 26.0, 42.0]
            .iter()
            .flat_map(|dy| {
                let y = fr.t + dy;
                [(x + 6.0, y, Anchor::Start), (x - 6.0, y, Anchor::End)]
            })
            .collect();
        let (lx, ly, anchor) = taken.place(&cands, w, fr.bounds());
        labels.push(Label {
            x: lx,
            y: ly,
            text,
            style: Style::new(TICK_PX, Paint::Muted, anchor),
        });
    }
    labels
}

/// The lines, one path per series (dots for isolated points).
fn draw_lines(svg: &mut Svg, c: &Curves, geo: &Geometry) {
    svg.open(
        None,
        None,
        " fill=\"none\" stroke-width=\"2.5\" stroke-linejoin=\"round\" stroke-linecap=\"round\"",
    );
    for (s, runs) in c.series.iter().zip(&geo.runs) {
        let paint = Paint::Tone(s.tone);
        let mut d = String::new();
        for run in runs.iter().filter(|r| r.len() > 1) {
            push_polyline(&mut d, run);
        }
        let dash = if s.dashed {
            " stroke-dasharray=\"7 5\""
        } else {
            ""
        };
        svg.path(&d, None, Some(paint), dash);
        // An isolated point would be invisible as a path: a dot instead.
        for run in runs.iter().filter(|r| r.len() == 1) {
            svg.circle(run[0], 2.5, Some(paint), None);
        }
    }
    svg.close();
}

/// The markers' marks, with their reading lines to the axes.
fn draw_marks(svg: &mut Svg, geo: &Geometry, fr: &Frame) {
    for &((x, y), m) in &geo.marks {
        let paint = Paint::Tone(m.tone);
        match m.kind {
            MarkerKind::Optimum => {
                svg.circle((x, y), 5.5, Some(paint), Some((Paint::Card, 2.0)));
            }
            MarkerKind::Crossover => {
                if fr.b - y > 8.0 {
                    svg.line((x, y + 7.0), (x, fr.b), Some(paint), 1.5, "4 3");
                }
                svg.circle((x, y), 6.0, Some(Paint::Card), Some((paint, 2.5)));
            }
            MarkerKind::Saturation => {
                if x - fr.l > 8.0 {
                    svg.line((fr.l, y), (x - 6.0, y), Some(paint), 1.5, "4 3");
                }
                svg.circle((x, y), 4.5, Some(paint), Some((Paint::Card, 1.5)));
            }
        }
    }
}

/// The markers' labels, each at the nearest free spot around its mark.
fn mark_labels(geo: &Geometry, fr: &Frame, taken: &mut Taken) -> Vec<Label> {
    let lx = f64::from(LABEL_PX);
    let mut labels = Vec::new();
    for &((x, y), m) in &geo.marks {
        let text = fit(&clean(&m.label), (fr.r - fr.l) * 0.6, lx, true);
        let w = text_width(&text, lx, true);
        // Nearest first; farther rows only when the near ones are taken.
        let cands = match m.kind {
            MarkerKind::Saturation => vec![
                (fr.l + 6.0, y - 11.0, Anchor::Start),
                (x + 10.0, y - 11.0, Anchor::Start),
                (x - 10.0, y - 11.0, Anchor::End),
                (fr.l + 6.0, y + 12.0, Anchor::Start),
                (x + 10.0, y + 12.0, Anchor::Start),
                (fr.l + 6.0, y - 27.0, Anchor::Start),
            ],
            _ => vec![
                (x, y - 17.0, Anchor::Middle),
                (x - 10.0, y - 13.0, Anchor::End),
                (x + 10.0, y - 13.0, Anchor::Start),
                (x + 11.0, y, Anchor::Start),
                (x - 11.0, y, Anchor::End),
                (x, y + 18.0, Anchor::Middle),
                (x, y - 33.0, Anchor::Middle),
                (x - 10.0, y - 29.0, Anchor::End),
                (x + 10.0, y - 29.0, Anchor::Start),
                (x, y + 34.0, Anchor::Middle),
            ],
        };
        let (lx, ly, anchor) = taken.place(&cands, w, fr.bounds());
        labels.push(Label {
            x: lx,
            y: ly,
            text,
            style: Style::new(LABEL_PX, Paint::Text, anchor).bold(),
        });
    }
    labels
}

/// "Title. Y against X. Lines: a, b. Marked: m1; m2. Guides: g."
fn description(c: &Curves, title: &str) -> String {
    let mut d = sentence(title);
    let (x, y) = (clean(&c.x.label), clean(&c.y.label));
    if !x.is_empty() && !y.is_empty() {
        let scale = match (c.x.scale, c.y.scale) {
            (Scale::Log, Scale::Log) => " (log scales)",
            (Scale::Log, _) => " (log x axis)",
            (_, Scale::Log) => " (log y axis)",
            _ => "",
        };
        let _ = write!(d, "{y} against {x}{scale}. ");
    }
    let lines: Vec<String> = c
        .series
        .iter()
        .map(|s| clean(&s.label))
        .filter(|l| !l.is_empty())
        .collect();
    if c.series.iter().all(|s| s.points.is_empty()) {
        d.push_str("No data. ");
    } else if !lines.is_empty() {
        let _ = write!(d, "Lines: {}. ", lines.join(", "));
    }
    let marks: Vec<String> = c.markers.iter().map(|m| clean(&m.label)).collect();
    if !marks.is_empty() {
        let _ = write!(d, "Marked: {}. ", marks.join("; "));
    }
    let guides: Vec<String> = c.guides.iter().map(|g| clean(&g.label)).collect();
    if !guides.is_empty() {
        let _ = write!(d, "Guides: {}. ", guides.join("; "));
    }
    d.trim_end().to_string()
}
