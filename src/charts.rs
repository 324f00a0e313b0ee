//! Build-time rendering of the lab book's richer charts as self-contained SVG.
//!
//! This is the companion of [`crate::plots`] (timelines and bar charts) for
//! the chart kinds the labs need beyond those:
//!
//! * [`Chart::Curves`]: lines over a continuous x axis, linear or log10 on
//!   either axis, with optional markers (optimum, crossover, saturation) and
//!   vertical guides. Used for the Young-Daly plot, the sneakernet crossover,
//!   MFU vs ingestion and pipeline saturation.
//! * [`Chart::Saturation`]: throughput curves with each plateau marked; a
//!   thin layer over Curves (see [`Saturation::to_curves`]).
//! * [`Chart::Gauge`]: a semicircular dial with coloured bands and a needle.
//! * [`Chart::Radar`]: 3 to 8 axes around a circle, one polygon per series,
//!   linear or log10 radii.
//! * [`Chart::Waterfall`]: steps that add up, with an optional total bar.
//! * [`Chart::Sankey`]: nodes in columns joined by bands whose width is
//!   proportional to the flow.
//!
//! Like plots.rs, everything is a pure function from plain data to a
//! `String`, run thousands of times per build, so the same input always gives
//! byte-identical output (no ids, no timestamps, no hash-ordered iteration,
//! coordinates rounded to at most one decimal) and the output stays small.
//!
//! Unlike plots.rs this module writes SVG directly instead of going through
//! plotters' SVG backend: that backend only takes integer coordinates and
//! emits polylines, so it cannot express the Bézier bands of a Sankey, the
//! arcs of a gauge, dashed lines or translucent fills, and its output needs a
//! rewriting pass that direct writing avoids. What is shared is the visual
//! language: the root element, the white rounded card, fonts, font sizes,
//! the text colours and the [`Tone`] palette (re-exported from plots.rs, so
//! both modules take the same colour roles), so the two look like one family.
//! It shares plots.rs's text measuring, cleaning and escaping helpers, so
//! text fits the same way in both.
//!
//! Nothing here panics on odd input: NaN and infinite values are skipped or
//! treated as 0, non-positive values are skipped on log axes, empty inputs
//! render a "No data" chart, and long labels are shortened with an ellipsis
//! (the full text stays in `<desc>`).

use crate::plots::{clean, escape, fit, svg_head, text_width};
use std::f64::consts::{FRAC_PI_2, PI, TAU};
use std::fmt::Write as _;

/// Colour role of a series, band, node or marker: the same type as plots.rs
/// uses, so a lab's YAML names colours one way for every chart.
pub use crate::plots::Tone;

// ---------------------------------------------------------------------------
// Public API

/// A chart to render with [`render`]; one variant per kind.
#[derive(Debug, Clone, PartialEq)]
pub enum Chart {
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

/// Throughput against request size or queue depth, one curve per device,
/// each with its saturation point marked.
#[derive(Debug, Clone, PartialEq)]
pub struct Saturation {
    /// Heading, also the SVG `<title>`.
    pub title: String,
    /// Text alternative for `<desc>`; composed from the data if blank.
    pub description: String,
    /// e.g. "Queue depth", often [`Scale::Log`].
    pub x: Axis,
    /// e.g. "Throughput (MB/s)".
    pub y: Axis,
    /// One curve per device.
    pub curves: Vec<SaturationCurve>,
}

/// One device's curve in a [`Saturation`] chart.
#[derive(Debug, Clone, PartialEq)]
pub struct SaturationCurve {
    /// Legend text, e.g. "NVMe SSD".
    pub label: String,
    /// Line colour.
    pub tone: Tone,
    /// `(x, y)` points in increasing x.
    pub points: Vec<(f64, f64)>,
    /// Where the curve saturates, `(x, y)`. `None`: the first point (lowest
    /// x) reaching 95 % of the curve's highest y.
    pub plateau: Option<(f64, f64)>,
    /// Text at the plateau, e.g. "3.2 GB/s from QD 16". Blank: `label`.
    pub plateau_label: String,
}

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

/// Steps that add up: each bar starts where the previous one ended.
#[derive(Debug, Clone, PartialEq)]
pub struct Waterfall {
    /// Heading, also the SVG `<title>`.
    pub title: String,
    /// Text alternative for `<desc>`; composed from the data if blank.
    pub description: String,
    /// Value axis title with unit, shown above the plot, e.g. "Time per epoch (s)".
    pub axis_label: String,
    /// The steps, left to right (plots.rs's series type: label, value,
    /// caller-formatted text, tone). A negative value is a step down;
    /// NaN and infinite values count as 0.
    pub steps: Vec<crate::plots::Series>,
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

/// Flows between nodes placed in columns, e.g. Cloud → Disk → DRAM → GPU.
#[derive(Debug, Clone, PartialEq)]
pub struct Sankey {
    /// Heading, also the SVG `<title>`.
    pub title: String,
    /// Text alternative for `<desc>`; composed from the data if blank.
    pub description: String,
    /// Nodes; within a column they are stacked top to bottom in this order.
    pub nodes: Vec<Node>,
    /// Flows, each from a node to a node in a later column.
    pub flows: Vec<Flow>,
}

/// A node of a [`Sankey`].
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Text above the node.
    pub label: String,
    /// Column, left to right. Only the order matters: the columns used are
    /// spread evenly across the chart.
    pub column: usize,
    /// Node colour.
    pub tone: Tone,
}

/// A flow of a [`Sankey`]; its band's width is proportional to `value`.
#[derive(Debug, Clone, PartialEq)]
pub struct Flow {
    /// Index into [`Sankey::nodes`].
    pub from: usize,
    /// Index into [`Sankey::nodes`]; must be in a later column than `from`,
    /// or the flow is not drawn (it stays in the composed description).
    pub to: usize,
    /// Amount, in any unit shared by all flows; <= 0 or not finite: not drawn.
    pub value: f64,
    /// Caller-formatted amount shown on the band, e.g. "1.2 GB/s".
    pub text: String,
    /// Band colour.
    pub tone: Tone,
    /// Draw this flow (typically the bottleneck) stronger, outlined, with
    /// bold text.
    pub highlight: bool,
}

/// Renders `chart` as a standalone, responsive, accessible SVG document.
///
/// Like [`crate::plots::render_svg`]: `viewBox="0 0 W H"`, `width="100%"`
/// and no fixed height, `role="img"` with `<title>` and `<desc>` as its
/// first children, no `id` attributes, coordinates with at most one decimal.
/// Identical input gives identical bytes. It never panics.
pub fn render(chart: &Chart) -> String {
    match chart {
        Chart::Curves(c) => render_curves(c),
        Chart::Saturation(s) => render_curves(&s.to_curves()),
        Chart::Gauge(g) => render_gauge(g),
        Chart::Radar(r) => render_radar(r),
        Chart::Waterfall(w) => render_waterfall(w),
        Chart::Sankey(s) => render_sankey(s),
    }
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

impl Saturation {
    /// The equivalent [`Curves`] chart: one line per device and one
    /// [`MarkerKind::Saturation`] marker at each plateau.
    pub fn to_curves(&self) -> Curves {
        let markers = self
            .curves
            .iter()
            .filter_map(|c| {
                let given = c.plateau.filter(|p| p.0.is_finite() && p.1.is_finite());
                let (x, y) = given.or_else(|| plateau_of(&c.points))?;
                let label = if c.plateau_label.trim().is_empty() {
                    c.label.clone()
                } else {
                    c.plateau_label.clone()
                };
                Some(Marker {
                    x,
                    y,
                    label,
                    kind: MarkerKind::Saturation,
                    tone: c.tone,
                })
            })
            .collect();
        Curves {
            title: self.title.clone(),
            description: self.description.clone(),
            x: self.x.clone(),
            y: self.y.clone(),
            series: self
                .curves
                .iter()
                .map(|c| Curve {
                    label: c.label.clone(),
                    tone: c.tone,
                    dashed: false,
                    points: c.points.clone(),
                })
                .collect(),
            markers,
            guides: Vec::new(),
        }
    }
}

/// First point (lowest x) within 5 % of the curve's highest finite y; `None`
/// if the curve never rises above 0.
fn plateau_of(points: &[(f64, f64)]) -> Option<(f64, f64)> {
    let finite = |p: &&(f64, f64)| p.0.is_finite() && p.1.is_finite();
    let top = points
        .iter()
        .filter(finite)
        .map(|p| p.1)
        .fold(f64::NEG_INFINITY, f64::max);
    if !(top.is_finite() && top > 0.0) {
        return None;
    }
    points
        .iter()
        .filter(finite)
        .filter(|p| p.1 >= 0.95 * top)
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .copied()
}

// ---------------------------------------------------------------------------
// Palette and type (the same values as plots.rs, where they are private)

const TEXT: &str = "#1F2937";
const MUTED: &str = "#4B5563";
const GRID: &str = "#E5E7EB";
const TRACK: &str = "#F3F4F6";
const AXIS: &str = "#9CA3AF";
const WHITE: &str = "#FFFFFF";

const TITLE_PX: u32 = 15;
const LABEL_PX: u32 = 12;
const TICK_PX: u32 = 11;
const VALUE_PX: u32 = 13;

/// Side padding inside the background card.
const PAD: f64 = 16.0;

/// Attributes that give text a white outline behind its glyphs, so labels
/// stay legible where they cross lines and bands.
const HALO: &str =
    " stroke=\"#FFFFFF\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\"";

/// Fill colour of a tone: a copy of plots.rs's private `Tone::color`, as
/// uppercase hex like its output (a test checks that the two agree).
fn tone_hex(t: Tone) -> &'static str {
    match t {
        Tone::Neutral => "#6B7280",
        Tone::Good => "#1B7F3B",
        Tone::Warn => "#E08A00",
        Tone::Bad => "#C62828",
        Tone::Info => "#1F6FB2",
        Tone::Accent => "#6A3FA0",
    }
}

// ---------------------------------------------------------------------------
// SVG writer

/// Horizontal anchoring of a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Anchor {
    Start,
    Middle,
    End,
}

/// How a text is drawn. `px == 0` and `fill == ""` inherit from the parent
/// (a group or the root, whose fill is [`TEXT`]).
#[derive(Clone, Copy)]
struct Style {
    px: u32,
    bold: bool,
    fill: &'static str,
    anchor: Anchor,
}

impl Style {
    const fn new(px: u32, fill: &'static str, anchor: Anchor) -> Style {
        Style {
            px,
            bold: false,
            fill,
            anchor,
        }
    }

    const fn bold(self) -> Style {
        Style { bold: true, ..self }
    }
}

/// The document being written. Every number goes through [`push_num`], so
/// coordinates have at most one decimal and NaN can never reach the output.
struct Svg {
    out: String,
}

impl Svg {
    /// Root element, `<title>`, `<desc>` and the card, shared with plots.rs.
    fn new(w: u32, h: u32, title: &str, desc: &str) -> Svg {
        let mut out = String::with_capacity(4096);
        svg_head(&mut out, w, h, title, desc);
        Svg { out }
    }

    fn finish(mut self) -> String {
        self.out.push_str("</svg>\n");
        self.out
    }

    fn num_attr(&mut self, key: &str, v: f64) {
        self.out.push(' ');
        self.out.push_str(key);
        self.out.push_str("=\"");
        push_num(&mut self.out, v);
        self.out.push('"');
    }

    fn attr(&mut self, key: &str, value: &str) {
        if value.is_empty() {
            return;
        }
        self.out.push(' ');
        self.out.push_str(key);
        self.out.push_str("=\"");
        self.out.push_str(value);
        self.out.push('"');
    }

    fn open(&mut self, attrs: &str) {
        self.out.push_str("<g");
        self.out.push_str(attrs);
        self.out.push_str(">\n");
    }

    fn close(&mut self) {
        self.out.push_str("</g>\n");
    }

    /// Filled rectangle between two corners (in any order). Used for 1-unit
    /// lines too, on integer coordinates, where a stroke would blur.
    fn rect(&mut self, x0: f64, y0: f64, x1: f64, y1: f64, fill: &str) {
        self.out.push_str("<rect");
        self.num_attr("x", x0.min(x1));
        self.num_attr("y", y0.min(y1));
        self.num_attr("width", (x1 - x0).abs());
        self.num_attr("height", (y1 - y0).abs());
        self.attr("fill", fill);
        self.out.push_str("/>\n");
    }

    /// Stroked straight line, optionally dashed (`dash` = dasharray).
    #[allow(clippy::too_many_arguments)]
    fn line(&mut self, x1: f64, y1: f64, x2: f64, y2: f64, stroke: &str, width: f64, dash: &str) {
        self.out.push_str("<line");
        self.num_attr("x1", x1);
        self.num_attr("y1", y1);
        self.num_attr("x2", x2);
        self.num_attr("y2", y2);
        self.attr("stroke", stroke);
        self.num_attr("stroke-width", width);
        self.attr("stroke-dasharray", dash);
        self.out.push_str("/>\n");
    }

    /// Circle; `stroke` is (colour, width) or `None`.
    fn circle(&mut self, cx: f64, cy: f64, r: f64, fill: &str, stroke: Option<(&str, f64)>) {
        self.out.push_str("<circle");
        self.num_attr("cx", cx);
        self.num_attr("cy", cy);
        self.num_attr("r", r);
        self.attr("fill", fill);
        if let Some((colour, width)) = stroke {
            self.attr("stroke", colour);
            self.num_attr("stroke-width", width);
        }
        self.out.push_str("/>\n");
    }

    /// `<path d="…"` followed by `attrs` (each with its leading space).
    fn path(&mut self, d: &str, attrs: &str) {
        if d.is_empty() {
            return;
        }
        self.out.push_str("<path d=\"");
        self.out.push_str(d);
        self.out.push('"');
        self.out.push_str(attrs);
        self.out.push_str("/>\n");
    }

    /// Single-line text vertically centred on `y` (the `dy="0.5ex"` idiom
    /// of plots.rs's output), with attributes in the same order.
    fn text(&mut self, x: f64, y: f64, s: &str, st: Style) {
        if s.is_empty() {
            return;
        }
        self.out.push_str("<text");
        self.num_attr("x", x);
        self.num_attr("y", y);
        self.out.push_str(" dy=\"0.5ex\"");
        match st.anchor {
            Anchor::Start => {}
            Anchor::Middle => self.out.push_str(" text-anchor=\"middle\""),
            Anchor::End => self.out.push_str(" text-anchor=\"end\""),
        }
        if st.px > 0 {
            let _ = write!(self.out, " font-size=\"{}\"", st.px);
        }
        if st.fill != TEXT {
            self.attr("fill", st.fill);
        }
        if st.bold {
            self.out.push_str(" font-weight=\"bold\"");
        }
        self.out.push('>');
        escape(s, &mut self.out);
        self.out.push_str("</text>\n");
    }

    /// The chart's heading, top left, shortened to the card's width.
    fn title(&mut self, title: &str, width: f64) {
        let st = Style::new(TITLE_PX, TEXT, Anchor::Start).bold();
        let t = fit(title, width - 2.0 * PAD, f64::from(TITLE_PX), true);
        self.text(PAD, 24.0, &t, st);
    }

    fn no_data(&mut self, x: f64, y: f64) {
        self.text(x, y, "No data", Style::new(LABEL_PX, MUTED, Anchor::Middle));
    }
}

/// Writes `v` rounded to one decimal, without a trailing ".0"; non-finite
/// values (which layout code should never produce) are written as 0 so the
/// document always stays valid.
fn push_num(out: &mut String, v: f64) {
    let t = if v.is_finite() {
        (v * 10.0).round().clamp(-1e15, 1e15) as i64
    } else {
        0
    };
    push_tenths(out, t);
}

/// Writes a number given in tenths, e.g. -3 as "-0.3" and 120 as "12".
fn push_tenths(out: &mut String, t: i64) {
    if t < 0 {
        out.push('-');
    }
    let a = t.unsigned_abs();
    let _ = write!(out, "{}", a / 10);
    if !a.is_multiple_of(10) {
        let _ = write!(out, ".{}", a % 10);
    }
}

/// Appends "x y" (one decimal each) to a path's data.
fn push_pair(d: &mut String, x: f64, y: f64) {
    push_num(d, x);
    d.push(' ');
    push_num(d, y);
}

// ---------------------------------------------------------------------------
// Label placement

/// Room already taken by labels and marks (boxes) and by drawn lines
/// (segments), so later labels can avoid both.
#[derive(Default)]
struct Taken {
    boxes: Vec<[f64; 4]>,
    segs: Vec<[(f64, f64); 2]>,
}

/// Bounding box of a one-line label of width `w` centred on `y`.
fn label_box(x: f64, y: f64, w: f64, anchor: Anchor) -> [f64; 4] {
    let x0 = match anchor {
        Anchor::Start => x,
        Anchor::Middle => x - w / 2.0,
        Anchor::End => x - w,
    };
    [x0, y - 8.0, x0 + w, y + 8.0]
}

fn overlaps(a: &[f64; 4], b: &[f64; 4]) -> bool {
    a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]
}

fn contains(outer: &[f64; 4], b: &[f64; 4]) -> bool {
    b[0] >= outer[0] && b[1] >= outer[1] && b[2] <= outer[2] && b[3] <= outer[3]
}

impl Taken {
    /// Of the candidate positions whose box lies inside `bounds`, the one
    /// overlapping the fewest taken boxes and drawn segments (the earliest
    /// on a tie, so candidates go nearest first); if none lies inside, the
    /// first shifted into `bounds`. The chosen box is then taken.
    fn place(
        &mut self,
        cands: &[(f64, f64, Anchor)],
        w: f64,
        bounds: [f64; 4],
    ) -> (f64, f64, Anchor) {
        let clutter = |b: &[f64; 4]| {
            let boxes = self.boxes.iter().filter(|t| overlaps(t, b)).count();
            let segs = self
                .segs
                .iter()
                .filter(|s| clip_segment(s[0], s[1], *b).is_some())
                .count();
            boxes + segs
        };
        let mut best: Option<((f64, f64, Anchor), usize)> = None;
        for &c in cands {
            let b = label_box(c.0, c.1, w, c.2);
            if !contains(&bounds, &b) {
                continue;
            }
            let score = clutter(&b);
            if best.is_none_or(|(_, s)| score < s) {
                best = Some((c, score));
            }
            if score == 0 {
                break;
            }
        }
        let chosen = best.map(|(c, _)| c).unwrap_or_else(|| {
            let (x, y, a) = cands
                .first()
                .copied()
                .unwrap_or((bounds[0], bounds[1], Anchor::Start));
            let b = label_box(x, y, w, a);
            let shift = if b[0] < bounds[0] {
                bounds[0] - b[0]
            } else if b[2] > bounds[2] {
                (bounds[2] - b[2]).max(bounds[0] - b[0])
            } else {
                0.0
            };
            let y = y.clamp(bounds[1] + 8.0, (bounds[3] - 8.0).max(bounds[1] + 8.0));
            (x + shift, y, a)
        });
        self.boxes.push(label_box(chosen.0, chosen.1, w, chosen.2));
        chosen
    }
}

/// A label whose position is decided during layout and which is written
/// later, with the others, inside one halo group.
struct Label {
    x: f64,
    y: f64,
    text: String,
    style: Style,
}

fn draw_halo_labels(svg: &mut Svg, labels: &[Label]) {
    if labels.is_empty() {
        return;
    }
    svg.open(HALO);
    for l in labels {
        svg.text(l.x, l.y, &l.text, l.style);
    }
    svg.close();
}

// ---------------------------------------------------------------------------
// Legend

struct LegendEntry {
    text: String,
    tone: Tone,
    dashed: bool,
    x: f64,
    row: usize,
}

const SWATCH_W: f64 = 18.0;
const SWATCH_GAP: f64 = 6.0;
const LEGEND_GAP: f64 = 16.0;
const LEGEND_ROW: f64 = 18.0;

/// Flows entries left to right from `left`, wrapping at `right`; an entry
/// too long for a whole row is shortened with "…".
fn flow_legend(items: Vec<(String, Tone, bool)>, left: f64, right: f64) -> Vec<LegendEntry> {
    let max_text = right - left - SWATCH_W - SWATCH_GAP;
    let mut x = left;
    let mut row = 0;
    let mut out = Vec::with_capacity(items.len());
    for (label, tone, dashed) in items {
        let text = fit(&label, max_text, f64::from(LABEL_PX), false);
        let w = SWATCH_W + SWATCH_GAP + text_width(&text, f64::from(LABEL_PX), false);
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

/// Width of a legend that fits on one row.
fn legend_width(entries: &[LegendEntry]) -> f64 {
    entries
        .iter()
        .map(|e| SWATCH_W + SWATCH_GAP + text_width(&e.text, f64::from(LABEL_PX), false))
        .sum::<f64>()
        + LEGEND_GAP * entries.len().saturating_sub(1) as f64
}

/// Draws entries at `y0 + row * LEGEND_ROW`, shifted right by `dx`. Line
/// swatches suit lines; square ones suit filled areas.
fn draw_legend(svg: &mut Svg, entries: &[LegendEntry], y0: f64, dx: f64, line_swatch: bool) {
    for e in entries {
        let x = (e.x + dx).round();
        let y = y0 + e.row as f64 * LEGEND_ROW;
        let colour = tone_hex(e.tone);
        if line_swatch {
            let dash = if e.dashed { "5 3" } else { "" };
            svg.line(x, y, x + SWATCH_W, y, colour, 2.5, dash);
        } else {
            svg.rect(x + 4.0, y - 5.0, x + 14.0, y + 5.0, colour);
        }
        let st = Style::new(LABEL_PX, TEXT, Anchor::Start);
        svg.text(x + SWATCH_W + SWATCH_GAP, y, &e.text, st);
    }
}

// ---------------------------------------------------------------------------
// Axes and ticks

/// Range of usable data values seen so far (empty while `lo > hi`).
#[derive(Clone, Copy, Debug)]
struct Span {
    lo: f64,
    hi: f64,
}

impl Span {
    const EMPTY: Span = Span {
        lo: f64::INFINITY,
        hi: f64::NEG_INFINITY,
    };

    fn add(&mut self, v: f64) {
        self.lo = self.lo.min(v);
        self.hi = self.hi.max(v);
    }

    fn is_empty(&self) -> bool {
        self.lo > self.hi
    }
}

/// `v` made safe to place: finite values are clamped to ±1e300 (on a log
/// scale, positive ones to 1e-300..=1e300), which keeps every derived
/// quantity (spans, sums, logs, pixel positions) finite; NaN, infinities
/// and, on a log scale, values <= 0 give `None`.
fn tame(v: f64, log: bool) -> Option<f64> {
    if !v.is_finite() || (log && v <= 0.0) {
        return None;
    }
    Some(if log {
        v.clamp(1e-300, 1e300)
    } else {
        v.clamp(-1e300, 1e300)
    })
}

/// The covered range of an axis and its labelled positions.
#[derive(Debug, Clone, PartialEq)]
struct Ticks {
    lo: f64,
    hi: f64,
    log: bool,
    /// Labelled values, with gridlines.
    major: Vec<f64>,
    labels: Vec<String>,
    /// Unlabelled lighter gridlines (2..9 × each decade on short log axes).
    minor: Vec<f64>,
}

impl Ticks {
    /// Position of `v` along the axis, 0 at `lo` and 1 at `hi` (outside
    /// that range for clipped data); `None` if `v` cannot be placed.
    fn frac(&self, v: f64) -> Option<f64> {
        let f = if self.log {
            if !(v.is_finite() && v > 0.0) {
                return None;
            }
            let (a, b) = (self.lo.log10(), self.hi.log10());
            (v.log10() - a) / (b - a)
        } else {
            (v - self.lo) / (self.hi - self.lo)
        };
        f.is_finite().then_some(f)
    }
}

/// Ticks for a [`Curves`] axis: the caller's fixed range if usable, else
/// fitted to `data`.
fn axis_ticks(axis: &Axis, data: Span) -> Ticks {
    let log = axis.scale == Scale::Log;
    let suffix = clean_suffix(&axis.tick_suffix);
    if let Some((a, b)) = axis.range {
        let (a, b) = (
            tame(a, log).unwrap_or(f64::NAN),
            tame(b, log).unwrap_or(f64::NAN),
        );
        if a < b {
            return if log {
                log_ticks(a, b, true, &suffix)
            } else {
                linear_ticks(a, b, true, &suffix)
            };
        }
    }
    if log {
        let (lo, hi) = if data.is_empty() {
            (1.0, 10.0)
        } else {
            (data.lo, data.hi)
        };
        log_ticks(lo, hi, false, &suffix)
    } else {
        // Physical quantities are compared from zero: a fitted linear axis
        // includes 0 so lengths stay honest.
        let (lo, hi) = if data.is_empty() {
            (0.0, 1.0)
        } else {
            (data.lo.min(0.0), data.hi.max(0.0))
        };
        let (lo, hi) = if hi > lo { (lo, hi) } else { (0.0, 1.0) };
        linear_ticks(lo, hi, false, &suffix)
    }
}

/// A fixed axis range that covers `lo..=hi` with round ends: whole decades
/// on a log axis; on a linear axis a nice step's multiples, from 0 when the
/// data is all on one side of it. Used to keep a chart's axes still while
/// its data moves with the controls. `None` when there is nothing to cover.
pub fn nice_range(lo: f64, hi: f64, log: bool) -> Option<(f64, f64)> {
    if !(lo.is_finite() && hi.is_finite()) {
        return None;
    }
    if log {
        if hi <= 0.0 {
            return None;
        }
        let lo = if lo > 0.0 { lo } else { hi / 10.0 };
        let a = 10f64.powf((lo.log10() + 1e-9).floor());
        let b = 10f64.powf((hi.log10() - 1e-9).ceil());
        return Some(if b > a { (a, b) } else { (a, a * 10.0) });
    }
    let (lo, hi) = (lo.min(0.0), hi.max(0.0));
    if hi <= lo {
        return Some((0.0, 1.0));
    }
    nice_step(lo, hi).map(|(a, b, _)| (a, b))
}

/// Chooses a "nice" step (1, 2 or 5 × 10^e) giving 3 to 6 intervals whose
/// multiples cover `lo..=hi`, picking the tightest cover (ties: fewer
/// intervals). Returns (first, last, step). Generalises plots.rs's private
/// `nice_axis`, which covers `0..=v` only; for `lo = 0` they agree.
fn nice_step(lo: f64, hi: f64) -> Option<(f64, f64, f64)> {
    let span = hi - lo;
    if !(span.is_finite() && span > 0.0) {
        return None;
    }
    let exp = span.log10().floor() as i32;
    let mut best: Option<(f64, f64, f64)> = None;
    for e in exp - 2..=exp {
        for m in [1.0, 2.0, 5.0] {
            let step = m * 10f64.powi(e);
            if !(step.is_finite() && step > 0.0) {
                continue;
            }
            // The tolerance keeps exact fits (hi = 10, step 2) from being
            // pushed out an interval by float noise in the division.
            let a = (lo / step + 1e-9).floor() * step;
            let b = (hi / step - 1e-9).ceil() * step;
            let n = ((b - a) / step).round();
            if !(3.0..=6.0).contains(&n) || !a.is_finite() || !b.is_finite() {
                continue;
            }
            // Later candidates have larger steps, so `<=` prefers fewer intervals.
            if best.is_none_or(|(ba, bb, _)| b - a <= (bb - ba) * (1.0 + 1e-9)) {
                best = Some((a, b, step));
            }
        }
    }
    best
}

/// Linear ticks at multiples of a nice step. A `fixed` range is kept as
/// given (ticks fall inside it); otherwise it widens to the nice bounds.
fn linear_ticks(lo: f64, hi: f64, fixed: bool, suffix: &str) -> Ticks {
    let (a, b, step) = nice_step(lo, hi).unwrap_or((lo, hi, hi - lo));
    let (lo, hi) = if fixed { (lo, hi) } else { (a, b) };
    let mut major = Vec::new();
    if step > 0.0 && step.is_finite() {
        let first = (lo / step - 1e-9).ceil();
        let last = (hi / step + 1e-9).floor();
        let mut k = first;
        // At most 7 ticks by construction; the cap guards float surprises.
        while k <= last && major.len() < 12 {
            major.push(k * step);
            k += 1.0;
        }
    }
    let labels = linear_labels(&major, step, suffix);
    Ticks {
        lo,
        hi,
        log: false,
        major,
        labels,
        minor: Vec::new(),
    }
}

/// Tick labels with one shared SI suffix (k, M, G, T) and one number of
/// decimals, as plots.rs's axis labels; 0 is written bare.
fn linear_labels(values: &[f64], step: f64, suffix: &str) -> Vec<String> {
    let m = values.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    let (div, si) = match m {
        m if m >= 1e15 => (0.0, ""),
        m if m >= 1e12 => (1e12, "T"),
        m if m >= 1e9 => (1e9, "G"),
        m if m >= 1e6 => (1e6, "M"),
        m if m >= 1e4 => (1e3, "k"),
        _ => (1.0, ""),
    };
    values
        .iter()
        .map(|&v| {
            if v.abs() < step.abs() * 1e-6 {
                format!("0{suffix}")
            } else if div == 0.0 {
                format!("{v:.1e}{suffix}")
            } else {
                let decimals = decimals_for(step / div);
                format!("{:.*}{si}{suffix}", decimals, v / div)
            }
        })
        .collect()
}

/// Fewest decimals (up to 9) that show multiples of `step` exactly
/// (copied from plots.rs).
fn decimals_for(step: f64) -> usize {
    let mut scaled = step;
    for d in 0..9 {
        if (scaled - scaled.round()).abs() < 1e-6 * scaled.abs().max(1.0) {
            return d;
        }
        scaled *= 10.0;
    }
    9
}

/// Decade ticks. A fitted axis runs from the decade at or below `lo` to the
/// one at or above `hi` (3 to 4500 gives 1 … 10k). Labels go on every
/// decade up to 6 decades, then on every 2nd, 3rd… so they never crowd;
/// short axes (up to 4 decades) also get minor gridlines at 2..9 ×.
fn log_ticks(lo: f64, hi: f64, fixed: bool, suffix: &str) -> Ticks {
    let dlo = (lo.log10() + 1e-9).floor().clamp(-300.0, 300.0) as i32;
    let mut dhi = (hi.log10() - 1e-9).ceil().clamp(-300.0, 300.0) as i32;
    if dhi <= dlo {
        dhi = dlo + 1;
    }
    let every = (dhi - dlo + 5) / 6;
    let (lo, hi) = if fixed {
        (lo, hi)
    } else {
        // Round the top up so the last label sits on the end of the axis.
        dhi = dlo + (dhi - dlo + every - 1) / every * every;
        (10f64.powi(dlo), 10f64.powi(dhi))
    };
    let mut major = Vec::new();
    let mut labels = Vec::new();
    for d in (dlo..=dhi).step_by(every.max(1) as usize) {
        let v = 10f64.powi(d);
        if v >= lo * (1.0 - 1e-9) && v <= hi * (1.0 + 1e-9) {
            major.push(v);
            labels.push(format!("{}{suffix}", decade_label(d)));
        }
    }
    if fixed {
        // A fixed range need not end on decades (1 to 256, or 2 to 8
        // inside one decade): label its ends too, unless a decade label is
        // already close (within 8 % of the axis).
        let span = hi.log10() - lo.log10();
        let near = |v: f64, m: &[f64]| {
            m.iter()
                .any(|d| (d.log10() - v.log10()).abs() < 0.08 * span)
        };
        if !near(lo, &major) {
            major.insert(0, lo);
            labels.insert(0, format!("{}{suffix}", fmt_num(lo)));
        }
        if !near(hi, &major) {
            major.push(hi);
            labels.push(format!("{}{suffix}", fmt_num(hi)));
        }
    }
    let mut minor = Vec::new();
    if dhi - dlo <= 4 {
        for d in dlo..dhi {
            for m in 2..=9 {
                let v = f64::from(m) * 10f64.powi(d);
                if v > lo && v < hi {
                    minor.push(v);
                }
            }
        }
    }
    Ticks {
        lo,
        hi,
        log: true,
        major,
        labels,
        minor,
    }
}

/// Label of 10^d: 1, 10, 100, 1k … 100T, 0.1, 0.01, 0.001, else 1e-4 style.
fn decade_label(d: i32) -> String {
    match d {
        0..=14 => {
            let m = 10u64.pow((d % 3) as u32);
            let si = ["", "k", "M", "G", "T"][(d / 3) as usize];
            format!("{m}{si}")
        }
        -3..=-1 => format!("{:.*}", d.unsigned_abs() as usize, 10f64.powi(d)),
        _ => format!("1e{d}"),
    }
}

/// Compact number for text this module composes (gauge band edges,
/// composed descriptions): 3 significant digits and an SI suffix, e.g.
/// 4500 → "4.5k", 0.0123 → "0.0123", 2.5e6 → "2.5M".
fn fmt_num(v: f64) -> String {
    if !v.is_finite() {
        return "n/a".to_string();
    }
    let a = v.abs();
    if a == 0.0 {
        return "0".to_string();
    }
    if !(1e-4..1e15).contains(&a) {
        return format!("{v:.2e}");
    }
    let (div, si) = match a {
        a if a >= 1e12 => (1e12, "T"),
        a if a >= 1e9 => (1e9, "G"),
        a if a >= 1e6 => (1e6, "M"),
        a if a >= 1e3 => (1e3, "k"),
        _ => (1.0, ""),
    };
    let s = v / div;
    let decimals = (2 - s.abs().log10().floor() as i32).clamp(0, 6) as usize;
    let mut out = format!("{s:.decimals$}");
    if out.contains('.') {
        let trimmed = out.trim_end_matches('0').trim_end_matches('.').len();
        out.truncate(trimmed);
    }
    out.push_str(si);
    out
}

// ---------------------------------------------------------------------------
// Curves

const CV_W: f64 = 640.0;
const CV_H: f64 = 360.0;

/// The plot rectangle and its two axes.
struct Frame {
    l: f64,
    r: f64,
    t: f64,
    b: f64,
    x: Ticks,
    y: Ticks,
}

impl Frame {
    fn px(&self, x: f64) -> Option<f64> {
        self.x
            .frac(tame(x, self.x.log)?)
            .map(|f| self.l + f * (self.r - self.l))
    }

    fn py(&self, y: f64) -> Option<f64> {
        self.y
            .frac(tame(y, self.y.log)?)
            .map(|f| self.b - f * (self.b - self.t))
    }

    fn point(&self, (x, y): (f64, f64)) -> Option<(f64, f64)> {
        let p = (self.px(x)?, self.py(y)?);
        // Far outside a fixed range the positions would be huge; anything
        // that far out is clipped away anyway.
        (p.0.abs() < 1e7 && p.1.abs() < 1e7).then_some(p)
    }

    fn inside(&self, (x, y): (f64, f64)) -> bool {
        x >= self.l - 0.5 && x <= self.r + 0.5 && y >= self.t - 0.5 && y <= self.b + 0.5
    }

    fn bounds(&self) -> [f64; 4] {
        [self.l, self.t, self.r, self.b]
    }
}

/// Curves (and Saturation) chart, 640×360; taller only for a legend of
/// three rows or more.
fn render_curves(c: &Curves) -> String {
    let title = clean(&c.title);
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
    let xt = axis_ticks(&c.x, xs);
    let yt = axis_ticks(&c.y, ys);

    // Layout: title; then the y axis title at the left of the second row
    // (above the plot, not rotated beside it, as in plots.rs's bars) with
    // the legend right-aligned beside it if it fits, else on rows of its
    // own; the chart grows taller only for a legend of more than 2 rows.
    let lx = f64::from(LABEL_PX);
    let inner_r = CV_W - PAD;
    let y_label = clean(&c.y.label);
    let items: Vec<(String, Tone, bool)> = c
        .series
        .iter()
        .map(|s| (clean(&s.label), s.tone, s.dashed))
        .filter(|(l, _, _)| !l.is_empty())
        .collect();
    let legend = flow_legend(items, PAD, inner_r);
    let one_row = legend.iter().all(|e| e.row == 0);
    let lw = legend_width(&legend);
    let beside = one_row && text_width(&y_label, lx, false) + 24.0 + lw <= inner_r - PAD;
    let (legend_y, legend_dx, extra_rows) = if legend.is_empty() {
        (46.0, 0.0, 0)
    } else if beside {
        (46.0, inner_r - PAD - lw, 0)
    } else {
        // Rows of its own, below the axis title.
        let rows = legend.last().map_or(1, |e| e.row + 1);
        (66.0, 0.0, rows)
    };
    let top = 72.0 + LEGEND_ROW * extra_rows as f64;
    let height = (CV_H + (top - 108.0).max(0.0)).round();
    let y_tick_w = yt
        .labels
        .iter()
        .map(|l| text_width(l, f64::from(TICK_PX), false))
        .fold(0.0, f64::max);
    let fr = Frame {
        l: (PAD + y_tick_w + 8.0).clamp(48.0, CV_W / 3.0).ceil(),
        r: CV_W - 28.0,
        t: top,
        b: height - 66.0,
        x: xt,
        y: yt,
    };

    let desc = match clean(&c.description) {
        d if d.is_empty() => curves_description(c, &title),
        d => d,
    };
    let mut svg = Svg::new(CV_W as u32, height as u32, &title, &desc);
    svg.title(&title, CV_W);
    svg.text(
        PAD,
        46.0,
        &fit(&y_label, inner_r - PAD, lx, false),
        Style::new(LABEL_PX, MUTED, Anchor::Start),
    );
    draw_legend(&mut svg, &legend, legend_y, legend_dx, true);

    draw_grid(&mut svg, &fr);

    // Geometry first, drawing after: labels are placed clear of every line
    // and mark, so all of those must be known before the first label.
    let runs: Vec<Vec<Vec<(f64, f64)>>> = c
        .series
        .iter()
        .map(|s| {
            clip_runs(&fr, &s.points)
                .iter()
                .map(|r| simplify(r, 0.3))
                .collect()
        })
        .collect();
    let guides: Vec<(f64, &Guide)> = c
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
    let marks: Vec<((f64, f64), &Marker)> = c
        .markers
        .iter()
        .filter_map(|m| Some((fr.point((m.x, m.y)).filter(|&p| fr.inside(p))?, m)))
        .collect();
    let mut taken = Taken::default();
    for run in runs.iter().flatten() {
        taken.segs.extend(run.windows(2).map(|w| [w[0], w[1]]));
    }
    for &(x, _) in &guides {
        taken.segs.push([(x, fr.t), (x, fr.b)]);
    }
    for &((x, y), m) in &marks {
        taken.boxes.push([x - 8.0, y - 8.0, x + 8.0, y + 8.0]);
        match m.kind {
            MarkerKind::Crossover => taken.segs.push([(x, y), (x, fr.b)]),
            MarkerKind::Saturation => taken.segs.push([(fr.l, y), (x, y)]),
            MarkerKind::Optimum => {}
        }
    }

    // Guides under the lines: they are context, the lines are the data.
    let mut labels = Vec::new();
    let tick_px = f64::from(TICK_PX);
    for &(x, g) in &guides {
        svg.line(x, fr.t, x, fr.b, tone_hex(g.tone), 1.5, "6 4");
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
            style: Style::new(TICK_PX, MUTED, anchor),
        });
    }

    svg.open(
        " fill=\"none\" stroke-width=\"2.5\" stroke-linejoin=\"round\" stroke-linecap=\"round\"",
    );
    for (s, runs) in c.series.iter().zip(&runs) {
        let colour = tone_hex(s.tone);
        let mut d = String::new();
        for run in runs.iter().filter(|r| r.len() > 1) {
            push_polyline(&mut d, run);
        }
        let dash = if s.dashed {
            " stroke-dasharray=\"7 5\""
        } else {
            ""
        };
        svg.path(&d, &format!(" stroke=\"{colour}\"{dash}"));
        // An isolated point would be invisible as a path: a dot instead.
        for run in runs.iter().filter(|r| r.len() == 1) {
            svg.circle(run[0].0, run[0].1, 2.5, colour, None);
        }
    }
    svg.close();

    for &((x, y), m) in &marks {
        let colour = tone_hex(m.tone);
        match m.kind {
            MarkerKind::Optimum => {
                svg.circle(x, y, 5.5, colour, Some((WHITE, 2.0)));
            }
            MarkerKind::Crossover => {
                if fr.b - y > 8.0 {
                    svg.line(x, y + 7.0, x, fr.b, colour, 1.5, "4 3");
                }
                svg.circle(x, y, 6.0, WHITE, Some((colour, 2.5)));
            }
            MarkerKind::Saturation => {
                if x - fr.l > 8.0 {
                    svg.line(fr.l, y, x - 6.0, y, colour, 1.5, "4 3");
                }
                svg.circle(x, y, 4.5, colour, Some((WHITE, 1.5)));
            }
        }
    }
    for &((x, y), m) in &marks {
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
            style: Style::new(LABEL_PX, TEXT, anchor).bold(),
        });
    }
    draw_halo_labels(&mut svg, &labels);

    if runs.iter().all(Vec::is_empty) {
        svg.no_data((fr.l + fr.r) / 2.0, (fr.t + fr.b) / 2.0);
    }
    // Centred under the plot, so it may use twice the room to the nearer edge.
    let mid = (fr.l + fr.r) / 2.0;
    let room = 2.0 * (mid - PAD).min(CV_W - PAD - mid);
    let x_label = fit(&clean(&c.x.label), room, lx, false);
    svg.text(
        mid,
        fr.b + 40.0,
        &x_label,
        Style::new(LABEL_PX, MUTED, Anchor::Middle),
    );
    svg.finish()
}

/// Gridlines, the x axis line with tick marks, and both axes' tick labels.
fn draw_grid(svg: &mut Svg, fr: &Frame) {
    let (l, r, t, b) = (fr.l, fr.r, fr.t, fr.b);
    // Positions are rounded to whole units so 1-unit rects stay crisp.
    let xs = |v: &f64| fr.px(*v).map(f64::round).filter(|x| *x >= l && *x <= r);
    let ys = |v: &f64| fr.py(*v).map(f64::round).filter(|y| *y >= t && *y <= b);
    if !(fr.x.minor.is_empty() && fr.y.minor.is_empty()) {
        svg.open(&format!(" fill=\"{TRACK}\""));
        for x in fr.x.minor.iter().filter_map(xs) {
            svg.rect(x, t, x + 1.0, b, "");
        }
        for y in fr.y.minor.iter().filter_map(ys) {
            svg.rect(l, y, r + 1.0, y + 1.0, "");
        }
        svg.close();
    }
    svg.open(&format!(" fill=\"{GRID}\""));
    for x in fr.x.major.iter().filter_map(xs) {
        svg.rect(x, t, x + 1.0, b, "");
    }
    for y in fr.y.major.iter().filter_map(ys).filter(|y| *y < b) {
        svg.rect(l, y, r + 1.0, y + 1.0, "");
    }
    svg.close();
    svg.rect(l, b, r + 1.0, b + 1.0, AXIS);

    // Tick labels are short unless a caller's suffix is long; then they
    // are cut to their room rather than run off the card or into each other.
    let px = f64::from(TICK_PX);
    svg.open(&format!(" font-size=\"{TICK_PX}\" fill=\"{MUTED}\""));
    let tick = Style::new(0, "", Anchor::End);
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
    let tick = Style::new(0, "", Anchor::Middle);
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
fn clip_runs(fr: &Frame, points: &[(f64, f64)]) -> Vec<Vec<(f64, f64)>> {
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

fn flush(runs: &mut Vec<Vec<(f64, f64)>>, cur: &mut Vec<(f64, f64)>) {
    if !cur.is_empty() {
        runs.push(std::mem::take(cur));
    }
}

/// Liang–Barsky clipping of the segment a→b to `rect` = [x0, y0, x1, y1].
/// An endpoint inside the rectangle is returned unchanged (bit for bit),
/// which lets [`clip_runs`] join consecutive segments.
fn clip_segment(a: (f64, f64), b: (f64, f64), rect: [f64; 4]) -> Option<((f64, f64), (f64, f64))> {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let mut t0: f64 = 0.0;
    let mut t1: f64 = 1.0;
    let checks = [
        (-dx, a.0 - rect[0]),
        (dx, rect[2] - a.0),
        (-dy, a.1 - rect[1]),
        (dy, rect[3] - a.1),
    ];
    for (p, q) in checks {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let r = q / p;
            if p < 0.0 {
                t0 = t0.max(r);
            } else {
                t1 = t1.min(r);
            }
        }
    }
    if t0 > t1 || !t0.is_finite() || !t1.is_finite() {
        return None;
    }
    let at = |t: f64| {
        if t == 0.0 {
            a
        } else if t == 1.0 {
            b
        } else {
            (a.0 + t * dx, a.1 + t * dy)
        }
    };
    Some((at(t0), at(t1)))
}

/// Ramer–Douglas–Peucker: drops points closer than `eps` pixels to the line
/// through their kept neighbours. Densely sampled model curves shrink to a
/// few dozen points with no visible change, which keeps the SVG small.
/// Iterative, so long inputs cannot overflow the stack.
fn simplify(points: &[(f64, f64)], eps: f64) -> Vec<(f64, f64)> {
    let n = points.len();
    if n < 3 {
        return points.to_vec();
    }
    let mut keep = vec![false; n];
    keep[0] = true;
    keep[n - 1] = true;
    let mut stack = vec![(0, n - 1)];
    while let Some((i, j)) = stack.pop() {
        let (a, b) = (points[i], points[j]);
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let len = dx.hypot(dy);
        let mut best = (0.0, i);
        for (k, p) in points.iter().enumerate().take(j).skip(i + 1) {
            let d = if len > 0.0 {
                ((p.0 - a.0) * dy - (p.1 - a.1) * dx).abs() / len
            } else {
                (p.0 - a.0).hypot(p.1 - a.1)
            };
            if d > best.0 {
                best = (d, k);
            }
        }
        if best.0 > eps {
            keep[best.1] = true;
            stack.push((i, best.1));
            stack.push((best.1, j));
        }
    }
    points
        .iter()
        .zip(keep)
        .filter_map(|(p, k)| k.then_some(*p))
        .collect()
}

/// Appends "M x y l dx dy …" in tenths: relative steps are shorter than
/// absolute coordinates, and computing them from the rounded positions
/// means rounding errors cannot accumulate along the line.
fn push_polyline(d: &mut String, points: &[(f64, f64)]) {
    let tenths = |v: f64| (v * 10.0).round() as i64;
    let mut last: Option<(i64, i64)> = None;
    for &(x, y) in points {
        let p = (tenths(x), tenths(y));
        match last {
            None => {
                d.push('M');
                push_tenths(d, p.0);
                d.push(' ');
                push_tenths(d, p.1);
            }
            Some(q) if q == p => continue,
            Some(q) => {
                d.push('l');
                push_tenths(d, p.0 - q.0);
                // A minus sign separates numbers on its own.
                if p.1 - q.1 >= 0 {
                    d.push(' ');
                }
                push_tenths(d, p.1 - q.1);
            }
        }
        last = Some(p);
    }
}

/// "Title. Y against X. Lines: a, b. Marked: m1; m2. Guides: g."
fn curves_description(c: &Curves, title: &str) -> String {
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

/// `s` followed by ". ", or nothing for an empty `s`.
fn sentence(s: &str) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!("{s}. ")
    }
}

// ---------------------------------------------------------------------------
// Gauge

const GA_W: f64 = 360.0;
const GA_H: f64 = 220.0;
const GA_CX: f64 = 180.0;
const GA_CY: f64 = 160.0;
const GA_RO: f64 = 104.0;
const GA_RI: f64 = 82.0;

/// Point at radius `r` and dial fraction `t` (0 = left end, 1 = right end,
/// over the top).
fn dial(r: f64, t: f64) -> (f64, f64) {
    let a = PI * (1.0 - t);
    (GA_CX + r * a.cos(), GA_CY - r * a.sin())
}

/// Ring sector between dial fractions `t0 < t1`; at most a half turn, so
/// the large-arc flag is always 0.
fn dial_sector(t0: f64, t1: f64) -> String {
    let mut d = String::with_capacity(80);
    let p = dial(GA_RO, t0);
    d.push('M');
    push_pair(&mut d, p.0, p.1);
    let _ = write!(d, "A{GA_RO} {GA_RO} 0 0 1 ");
    let p = dial(GA_RO, t1);
    push_pair(&mut d, p.0, p.1);
    d.push('L');
    let p = dial(GA_RI, t1);
    push_pair(&mut d, p.0, p.1);
    let _ = write!(d, "A{GA_RI} {GA_RI} 0 0 0 ");
    let p = dial(GA_RI, t0);
    push_pair(&mut d, p.0, p.1);
    d.push('Z');
    d
}

/// Gauge, 360×220: title, dial, needle, value and label.
fn render_gauge(g: &Gauge) -> String {
    let title = clean(&g.title);
    let min = tame(g.min, false).unwrap_or(0.0);
    let max = tame(g.max, false).filter(|m| *m > min).unwrap_or(min + 1.0);
    let frac = |v: f64| ((v - min) / (max - min)).clamp(0.0, 1.0);
    let value = tame(g.value, false).map(frac);
    let suffix = clean_suffix(&g.tick_suffix);
    let value_text = clean(&g.value_text);
    let label = clean(&g.label);

    let desc = match clean(&g.description) {
        d if d.is_empty() => {
            let mut d = sentence(&title);
            let shown = if value_text.is_empty() {
                fmt_num(g.value)
            } else {
                value_text.clone()
            };
            let what = if label.is_empty() { "Value" } else { &label };
            let _ = write!(
                d,
                "{what}: {shown} on a scale from {}{suffix} to {}{suffix}.",
                fmt_num(min),
                fmt_num(max)
            );
            d
        }
        d => d,
    };
    let mut svg = Svg::new(GA_W as u32, GA_H as u32, &title, &desc);
    svg.title(&title, GA_W);

    svg.path(&dial_sector(0.0, 1.0), &format!(" fill=\"{TRACK}\""));
    let bands: Vec<(f64, f64, Tone)> = g
        .bands
        .iter()
        .filter(|b| b.from.is_finite() && b.to.is_finite())
        .map(|b| {
            let (a, c) = (frac(b.from), frac(b.to));
            (a.min(c), a.max(c), b.tone)
        })
        .filter(|b| b.1 - b.0 > 1e-6)
        .collect();
    // The band holding the needle is the verdict: full strength; the rest
    // stay visible as context. The last matching band wins, as it is drawn
    // on top.
    let active = value.and_then(|v| bands.iter().rposition(|b| v >= b.0 && v <= b.1));
    for (i, &(a, c, tone)) in bands.iter().enumerate() {
        let opacity = if Some(i) == active {
            ""
        } else {
            " fill-opacity=\"0.3\""
        };
        svg.path(
            &dial_sector(a, c),
            &format!(" fill=\"{}\"{opacity}", tone_hex(tone)),
        );
    }

    // Band edges between the ends, labelled outside the dial; an edge too
    // close to the previous label is left unlabelled (the desc has all).
    let mut edges: Vec<(f64, f64)> = g
        .bands
        .iter()
        .flat_map(|b| [b.from, b.to])
        .filter(|v| v.is_finite())
        .map(|v| (frac(v), v))
        .filter(|(t, _)| *t > 0.01 && *t < 0.99)
        .collect();
    edges.sort_by(|a, b| a.0.total_cmp(&b.0));
    edges.dedup_by(|a, b| (a.0 - b.0).abs() < 1e-9);
    let tick = Style::new(TICK_PX, MUTED, Anchor::Middle);
    let mut last: Option<(f64, f64)> = None;
    for (t, v) in edges {
        let (x0, y0) = dial(GA_RO + 1.0, t);
        let (x1, y1) = dial(GA_RO + 5.0, t);
        svg.line(x0, y0, x1, y1, AXIS, 1.0, "");
        let (x, y) = dial(GA_RO + 11.0, t);
        if last.is_some_and(|(lx, ly)| (x - lx).hypot(y - ly) < 30.0) {
            continue;
        }
        last = Some((x, y));
        let a = PI * (1.0 - t);
        let anchor = match a.cos() {
            c if c > 0.3 => Anchor::Start,
            c if c < -0.3 => Anchor::End,
            _ => Anchor::Middle,
        };
        let text = fit(
            &format!("{}{suffix}", fmt_num(v)),
            64.0,
            f64::from(TICK_PX),
            false,
        );
        svg.text(x, y - 3.0, &text, Style { anchor, ..tick });
    }
    let mid = (GA_RO + GA_RI) / 2.0;
    for (x, v) in [(GA_CX - mid, min), (GA_CX + mid, max)] {
        let text = fit(
            &format!("{}{suffix}", fmt_num(v)),
            2.0 * (GA_CX - mid - PAD),
            f64::from(TICK_PX),
            false,
        );
        svg.text(x, GA_CY + 14.0, &text, tick);
    }

    if let Some(t) = value {
        // A slim triangle from a base around the pivot to just inside the
        // band, so the needle points at the band without covering it.
        let a = PI * (1.0 - t);
        let (px, py) = (a.sin() * 4.0, a.cos() * 4.0);
        let tip = dial(GA_RI - 4.0, t);
        let mut d = String::with_capacity(48);
        d.push('M');
        push_pair(&mut d, tip.0, tip.1);
        d.push('L');
        push_pair(&mut d, GA_CX + px, GA_CY + py);
        d.push('L');
        push_pair(&mut d, GA_CX - px, GA_CY - py);
        d.push('Z');
        svg.path(&d, "");
    }
    svg.circle(GA_CX, GA_CY, 7.0, TEXT, None);

    let big = Style::new(24, TEXT, Anchor::Middle).bold();
    let shown = fit(&value_text, GA_W - 2.0 * PAD, 24.0, true);
    svg.text(GA_CX, 188.0, &shown, big);
    let lab = fit(&label, GA_W - 2.0 * PAD, f64::from(LABEL_PX), false);
    svg.text(
        GA_CX,
        208.0,
        &lab,
        Style::new(LABEL_PX, MUTED, Anchor::Middle),
    );
    svg.finish()
}

// ---------------------------------------------------------------------------
// Radar

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

/// Radar, 420×400; taller only for a legend of two rows or more.
fn render_radar(r: &Radar) -> String {
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
    let rows = legend.last().map_or(1, |e| e.row + 1);
    let extra = LEGEND_ROW * (rows.max(1) - 1) as f64;
    let height = RA_H + extra;
    let cx = RA_W / 2.0;
    let angle = |i: usize| -FRAC_PI_2 + TAU * i as f64 / n as f64;

    // Axis labels just outside the rim, anchored away from the centre and
    // wrapped to two lines within the room left to the card's edge; laid
    // out first because their extent decides where the centre goes.
    let lx = f64::from(LABEL_PX);
    let axis_labels: Vec<(f64, f64, Anchor, Vec<String>)> = scales
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let a = angle(i);
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
        .collect();
    let above = axis_labels.iter().map(|l| l.1 - 8.0).fold(-RA_R, f64::min);
    let below = axis_labels
        .iter()
        .map(|l| l.1 + 14.0 * (l.3.len() as f64 - 1.0) + 8.0)
        .fold(RA_R, f64::max);
    // Centre the web and its labels in the room under the legend.
    let room_top = 46.0 + extra + if legend.is_empty() { 0.0 } else { 16.0 };
    let room = height - 10.0 - room_top;
    let cy = (room_top - above + ((room - (below - above)) / 2.0).max(0.0)).round();

    let desc = match clean(&r.description) {
        d if d.is_empty() => radar_description(r, &title, &scales, &suffix),
        d => d,
    };
    let mut svg = Svg::new(RA_W as u32, height as u32, &title, &desc);
    svg.title(&title, RA_W);
    draw_legend(&mut svg, &legend, 46.0, 0.0, false);
    if n == 0 {
        svg.no_data(cx, cy);
        return svg.finish();
    }

    let at = |i: usize, f: f64| {
        let a = angle(i);
        (cx + f * RA_R * a.cos(), cy + f * RA_R * a.sin())
    };

    // Rings: when every axis has the same range, at its ticks with labels
    // along the top axis (decades on a log radar); otherwise at quarters.
    let shared = scales[0].range.filter(|first| {
        scales
            .iter()
            .all(|s| s.range.is_some_and(|r| r.0 == first.0 && r.1 == first.1))
    });
    let rings: Vec<(f64, String)> = match shared {
        Some((lo, hi)) => {
            let t = if r.log {
                log_ticks(lo, hi, true, &suffix)
            } else {
                linear_ticks(lo, hi, true, &suffix)
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
        None => [0.25, 0.5, 0.75, 1.0]
            .iter()
            .map(|f| (*f, String::new()))
            .collect(),
    };
    svg.open(&format!(" fill=\"none\" stroke=\"{GRID}\""));
    let mut ring_fracs: Vec<f64> = rings.iter().map(|r| r.0).collect();
    if ring_fracs.last().is_none_or(|f| *f < 0.999) {
        ring_fracs.push(1.0); // the rim is always drawn
    }
    for f in ring_fracs {
        if n < 3 {
            svg.circle(cx, cy, f * RA_R, "", None);
        } else {
            svg.path(&polygon((0..n).map(|i| at(i, f))), "");
        }
    }
    for i in 0..n {
        let (x, y) = at(i, 1.0);
        svg.line(cx, cy, x, y, "", 1.0, "");
    }
    svg.close();

    for s in &r.series {
        let colour = tone_hex(s.tone);
        let pts: Vec<(f64, f64)> = (0..n)
            .map(|i| {
                let v = s.values.get(i).copied().unwrap_or(f64::NAN);
                at(i, scales[i].frac(v, r.log))
            })
            .collect();
        svg.path(
            &polygon(pts.iter().copied()),
            &format!(
                " fill=\"{colour}\" fill-opacity=\"0.15\" stroke=\"{colour}\" stroke-width=\"2\" stroke-linejoin=\"round\""
            ),
        );
        svg.open(&format!(" fill=\"{colour}\""));
        for (x, y) in pts {
            svg.circle(x, y, 3.0, "", None);
        }
        svg.close();
    }
    if r.series.is_empty() {
        svg.no_data(cx, cy);
    }

    let mut labels = Vec::new();
    for (f, text) in rings.iter().filter(|r| !r.1.is_empty()) {
        labels.push(Label {
            x: cx + 4.0,
            y: cy - f * RA_R + 7.0,
            text: text.clone(),
            style: Style::new(TICK_PX, MUTED, Anchor::Start),
        });
    }
    draw_halo_labels(&mut svg, &labels);

    for (x, dy0, anchor, lines) in &axis_labels {
        for (k, line) in lines.iter().enumerate() {
            let st = Style::new(LABEL_PX, TEXT, *anchor);
            svg.text(*x, cy + dy0 + 14.0 * k as f64, line, st);
        }
    }
    svg.finish()
}

/// Closed polygon path "M…L…Z" through `pts`.
fn polygon(pts: impl Iterator<Item = (f64, f64)>) -> String {
    let mut d = String::with_capacity(96);
    for (k, (x, y)) in pts.enumerate() {
        d.push(if k == 0 { 'M' } else { 'L' });
        push_pair(&mut d, x, y);
    }
    if !d.is_empty() {
        d.push('Z');
    }
    d
}

/// "Title. Series: axis v, axis v; series: …" with compact numbers.
fn radar_description(r: &Radar, title: &str, scales: &[RadarScale], suffix: &str) -> String {
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
// Waterfall

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

/// Waterfall, 640×360, vertical bars left to right.
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

fn render_waterfall(w: &Waterfall) -> String {
    let title = clean(&w.title);
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

    let (lo, hi) = waterfall_extent(w);
    let (lo, hi) = match w.range {
        Some((a, b)) if a.is_finite() && b.is_finite() => (lo.min(a), hi.max(b)),
        _ => (lo, hi),
    };
    let (lo, hi) = if hi > lo { (lo, hi) } else { (0.0, 1.0) };
    let ticks = linear_ticks(lo, hi, false, "");
    let tick_w = ticks
        .labels
        .iter()
        .map(|l| text_width(l, f64::from(TICK_PX), false))
        .fold(0.0, f64::max);
    let (l, r) = (
        (PAD + tick_w + 8.0).clamp(48.0, WF_W / 3.0).ceil(),
        WF_W - PAD,
    );
    let yof = |v: f64| {
        let f = (v - ticks.lo) / (ticks.hi - ticks.lo);
        (WF_BOTTOM - f * (WF_BOTTOM - WF_TOP)).round()
    };

    let desc = match clean(&w.description) {
        d if d.is_empty() => {
            let mut d = sentence(&title);
            if bars.is_empty() {
                d.push_str("No data.");
            }
            for (i, b) in bars.iter().enumerate() {
                let sep = if i + 1 == bars.len() { "." } else { "; " };
                let _ = write!(d, "{}: {}{sep}", b.label, b.text);
            }
            d
        }
        d => d,
    };
    let mut svg = Svg::new(WF_W as u32, WF_H as u32, &title, &desc);
    svg.title(&title, WF_W);
    let lx = f64::from(LABEL_PX);
    let axis_label = fit(&clean(&w.axis_label), WF_W - 2.0 * PAD, lx, false);
    svg.text(
        PAD,
        46.0,
        &axis_label,
        Style::new(LABEL_PX, MUTED, Anchor::Start),
    );

    let zero = yof(0.0);
    svg.open(&format!(" fill=\"{GRID}\""));
    for v in &ticks.major {
        let y = yof(*v);
        if y != zero {
            svg.rect(l, y, r, y + 1.0, "");
        }
    }
    svg.close();
    svg.open(&format!(" font-size=\"{TICK_PX}\" fill=\"{MUTED}\""));
    for (v, label) in ticks.major.iter().zip(&ticks.labels) {
        svg.text(l - 8.0, yof(*v), label, Style::new(0, "", Anchor::End));
    }
    svg.close();

    let n = bars.len().max(1);
    let slot = (r - l) / n as f64;
    let bar_w = (slot * 0.6).clamp(1.0, 96.0);
    let mut edges = Vec::with_capacity(bars.len());
    for (i, b) in bars.iter().enumerate() {
        let cx = l + slot * (i as f64 + 0.5);
        let (x0, x1) = ((cx - bar_w / 2.0).round(), (cx + bar_w / 2.0).round());
        let x1 = x1.max(x0 + 1.0);
        let (ya, yb) = (yof(b.a), yof(b.b));
        let (top, bottom) = (ya.min(yb), ya.max(yb));
        // A non-zero step never disappears entirely.
        let bottom = if b.a != b.b {
            bottom.max(top + 1.0)
        } else {
            bottom
        };
        if bottom > top {
            svg.rect(x0, top, x1, bottom, tone_hex(b.tone));
        }
        edges.push((x0, x1, yof(b.b)));

        // As plots.rs: value texts are never cut (a cut number misleads);
        // crowded bars get a smaller label, or none (the desc has it).
        let room = slot - 2.0;
        if text_width(&b.text, f64::from(VALUE_PX), true) <= room {
            let st = Style::new(VALUE_PX, TEXT, Anchor::Middle).bold();
            svg.text(cx.round(), top - 11.0, &b.text, st);
        } else if text_width(&b.text, f64::from(TICK_PX), false) <= room {
            let st = Style::new(TICK_PX, TEXT, Anchor::Middle);
            svg.text(cx.round(), top - 9.0, &b.text, st);
        }
        for (k, line) in wrap2(&b.label, slot - 8.0, lx).iter().enumerate() {
            let st = Style::new(LABEL_PX, TEXT, Anchor::Middle);
            svg.text(cx.round(), WF_CAT_Y + 16.0 * k as f64, line, st);
        }
    }
    // Dashed connectors carry each running total over to the next bar.
    svg.open(&format!(" stroke=\"{AXIS}\" stroke-dasharray=\"3 3\""));
    for pair in edges.windows(2) {
        let ((_, x1, y), (x0, _, _)) = (pair[0], pair[1]);
        if x0 - x1 > 2.0 {
            svg.line(x1, y + 0.5, x0, y + 0.5, "", 1.0, "");
        }
    }
    svg.close();
    // Baseline last so it sits on top of the bars' bottom edge.
    svg.rect(l, zero, r, zero + 1.0, AXIS);
    if bars.is_empty() {
        svg.no_data((l + r) / 2.0, (WF_TOP + WF_BOTTOM) / 2.0);
    }
    svg.finish()
}

// ---------------------------------------------------------------------------
// Sankey

const SK_W: f64 = 640.0;
const SK_H: f64 = 360.0;
/// Top of the first node's label row, and bottom of the layout.
const SK_TOP: f64 = 40.0;
const SK_BOTTOM: f64 = 344.0;
const SK_NODE_W: f64 = 12.0;
/// Room above each node for its label, and between stacked nodes.
const SK_LABEL_H: f64 = 18.0;
const SK_GAP: f64 = 10.0;

/// A flow that can be drawn.
struct SkFlow {
    from: usize,
    to: usize,
    value: f64,
    text: String,
    tone: Tone,
    highlight: bool,
}

/// What occupies a stretch of a column: a node, or room kept free for a
/// flow passing through on its way to a later column (so long bands run
/// through gaps instead of under other nodes).
#[derive(Clone, Copy)]
enum Slot {
    Node(usize),
    Pass(usize),
}

/// A point a band passes: its left and right x (equal at the ends) and the
/// y of its top edge.
#[derive(Clone, Copy)]
struct Station {
    left: f64,
    right: f64,
    y: f64,
}

/// Sankey, 640×360, columns left to right.
fn render_sankey(s: &Sankey) -> String {
    let title = clean(&s.title);
    let n = s.nodes.len();
    let labels: Vec<String> = s.nodes.iter().map(|nd| clean(&nd.label)).collect();
    // Columns used, in order; a node's position is its rank among them, so
    // sparse or huge column numbers still spread evenly.
    let mut cols: Vec<usize> = s.nodes.iter().map(|nd| nd.column).collect();
    cols.sort_unstable();
    cols.dedup();
    let col: Vec<usize> = s
        .nodes
        .iter()
        .map(|nd| cols.binary_search(&nd.column).unwrap_or(0))
        .collect();
    let ncols = cols.len();
    let flows: Vec<SkFlow> = s
        .flows
        .iter()
        .filter(|f| f.from < n && f.to < n && col[f.to] > col[f.from])
        .filter_map(|f| Some((f, tame(f.value, false).filter(|v| *v > 0.0)?)))
        .map(|(f, value)| SkFlow {
            from: f.from,
            to: f.to,
            value,
            text: clean(&f.text),
            tone: f.tone,
            highlight: f.highlight,
        })
        .collect();

    let mut inflow = vec![0.0f64; n];
    let mut outflow = vec![0.0f64; n];
    for f in &flows {
        outflow[f.from] += f.value;
        inflow[f.to] += f.value;
    }
    let size: Vec<f64> = (0..n).map(|i| inflow[i].max(outflow[i])).collect();
    // Nodes in the caller's order, then pass-through room below them.
    let mut members: Vec<Vec<Slot>> = vec![Vec::new(); ncols];
    for i in 0..n {
        members[col[i]].push(Slot::Node(i));
    }
    for (f, fl) in flows.iter().enumerate() {
        for m in &mut members[col[fl.from] + 1..col[fl.to]] {
            m.push(Slot::Pass(f));
        }
    }
    let amount = |slot: Slot| match slot {
        Slot::Node(i) => size[i],
        Slot::Pass(f) => flows[f].value,
    };
    let label_h = |slot: Slot| match slot {
        Slot::Node(_) => SK_LABEL_H,
        Slot::Pass(_) => 0.0,
    };

    // One scale (pixels per unit) for every column, set by the fullest one.
    let avail = SK_BOTTOM - SK_TOP;
    let k = members
        .iter()
        .filter_map(|m| {
            let total: f64 = m.iter().map(|&sl| amount(sl)).sum();
            let fixed: f64 =
                m.iter().map(|&sl| label_h(sl)).sum::<f64>() + SK_GAP * (m.len() as f64 - 1.0);
            (total > 0.0).then(|| (avail - fixed) / total)
        })
        .fold(f64::INFINITY, f64::min);
    let k = if k.is_finite() { k.max(0.0) } else { 0.0 };
    let thick = |v: f64| (v * k).max(1.0);
    let height: Vec<f64> = size.iter().map(|v| (v * k).max(3.0)).collect();
    let col_x: Vec<f64> = (0..ncols)
        .map(|c| {
            if ncols < 2 {
                ((SK_W - SK_NODE_W) / 2.0).round()
            } else {
                (PAD + c as f64 * (SK_W - 2.0 * PAD - SK_NODE_W) / (ncols - 1) as f64).round()
            }
        })
        .collect();
    let mut top = vec![0.0f64; n];
    // Per flow, the top of its pass-through room in each column it crosses,
    // in column order.
    let mut passes: Vec<Vec<Station>> = vec![Vec::new(); flows.len()];
    for (c, m) in members.iter().enumerate() {
        let slot_h = |sl: Slot| match sl {
            Slot::Node(i) => SK_LABEL_H + height[i],
            Slot::Pass(f) => thick(flows[f].value),
        };
        let total: f64 =
            m.iter().map(|&sl| slot_h(sl)).sum::<f64>() + SK_GAP * (m.len() as f64 - 1.0).max(0.0);
        let mut y = SK_TOP + ((avail - total) / 2.0).max(0.0);
        for &sl in m {
            match sl {
                Slot::Node(i) => top[i] = y + SK_LABEL_H,
                Slot::Pass(f) => passes[f].push(Station {
                    left: col_x[c],
                    right: col_x[c] + SK_NODE_W,
                    y,
                }),
            }
            y += slot_h(sl) + SK_GAP;
        }
    }
    let centre = |i: usize| top[i] + height[i] / 2.0;

    // Where each band leaves and enters its nodes: stacked in the order of
    // where the band goes next (or came from), which avoids needless
    // crossings, and centred on the node when the node is taller than its
    // flows on that side.
    let mut y_out = vec![0.0f64; flows.len()];
    let mut y_in = vec![0.0f64; flows.len()];
    let next_y = |f: usize| passes[f].first().map_or(centre(flows[f].to), |p| p.y);
    for i in 0..n {
        let mut mine: Vec<usize> = (0..flows.len()).filter(|&f| flows[f].from == i).collect();
        mine.sort_by(|&a, &b| next_y(a).total_cmp(&next_y(b)).then(a.cmp(&b)));
        let mut y = top[i] + ((height[i] - outflow[i] * k) / 2.0).max(0.0);
        for f in mine {
            y_out[f] = y;
            y += flows[f].value * k;
        }
    }
    let prev_y = |f: usize| passes[f].last().map_or(y_out[f], |p| p.y);
    for i in 0..n {
        let mut mine: Vec<usize> = (0..flows.len()).filter(|&f| flows[f].to == i).collect();
        mine.sort_by(|&a, &b| prev_y(a).total_cmp(&prev_y(b)).then(a.cmp(&b)));
        let mut y = top[i] + ((height[i] - inflow[i] * k) / 2.0).max(0.0);
        for f in mine {
            y_in[f] = y;
            y += flows[f].value * k;
        }
    }
    let stations = |f: usize| {
        let fl = &flows[f];
        let start = col_x[col[fl.from]] + SK_NODE_W;
        let end = col_x[col[fl.to]];
        let mut st = Vec::with_capacity(passes[f].len() + 2);
        st.push(Station {
            left: start,
            right: start,
            y: y_out[f],
        });
        st.extend_from_slice(&passes[f]);
        st.push(Station {
            left: end,
            right: end,
            y: y_in[f],
        });
        st
    };

    let desc = match clean(&s.description) {
        d if d.is_empty() => sankey_description(s, &title, &labels),
        d => d,
    };
    let mut svg = Svg::new(SK_W as u32, SK_H as u32, &title, &desc);
    svg.title(&title, SK_W);
    if n == 0 {
        svg.no_data(SK_W / 2.0, (SK_TOP + SK_BOTTOM) / 2.0);
        return svg.finish();
    }

    // Bands: plain ones first, highlighted ones on top.
    for pass in [false, true] {
        for (f, fl) in flows
            .iter()
            .enumerate()
            .filter(|(_, f)| f.highlight == pass)
        {
            let d = band_path(&stations(f), thick(fl.value));
            let colour = tone_hex(fl.tone);
            let attrs = if fl.highlight {
                format!(
                    " fill=\"{colour}\" fill-opacity=\"0.55\" stroke=\"{colour}\" stroke-width=\"1.5\""
                )
            } else {
                format!(" fill=\"{colour}\" fill-opacity=\"0.3\"")
            };
            svg.path(&d, &attrs);
        }
    }
    for i in 0..n {
        let colour = tone_hex(s.nodes[i].tone);
        let x = col_x[col[i]];
        svg.rect(x, top[i], x + SK_NODE_W, top[i] + height[i], colour);
    }

    let lx = f64::from(LABEL_PX);
    let spacing = if ncols < 2 {
        SK_W - 2.0 * PAD
    } else {
        (SK_W - 2.0 * PAD) / (ncols - 1) as f64
    };
    // Node labels sit above their nodes: centred in middle columns, and
    // inward from the card's edge in the first and last. Two neighbouring
    // middle labels fit between their columns at `spacing - 16` each; an
    // end label gets what its neighbour column's widest half leaves.
    let is_end = |c: usize| ncols > 1 && (c == 0 || c + 1 == ncols);
    let middle: Vec<String> = (0..n)
        .map(|i| {
            if is_end(col[i]) {
                String::new()
            } else {
                fit(&labels[i], spacing - 16.0, lx, true)
            }
        })
        .collect();
    let half_width = |c: usize| {
        (0..n)
            .filter(|&i| col[i] == c)
            .map(|i| text_width(&middle[i], lx, true) / 2.0)
            .fold(0.0, f64::max)
    };
    let end_room = |c: usize| {
        if ncols == 2 {
            (spacing - 16.0) / 2.0
        } else {
            let neighbour = if c == 0 { 1 } else { ncols - 2 };
            spacing - 16.0 - half_width(neighbour)
        }
    };
    let mut taken = Taken::default();
    let mut texts = Vec::new();
    for i in 0..n {
        let x = col_x[col[i]];
        let (x, anchor) = match col[i] {
            0 if ncols > 1 => (x, Anchor::Start),
            c if c + 1 == ncols && ncols > 1 => (x + SK_NODE_W, Anchor::End),
            _ => (x + SK_NODE_W / 2.0, Anchor::Middle),
        };
        let text = if is_end(col[i]) {
            fit(&labels[i], end_room(col[i]), lx, true)
        } else {
            middle[i].clone()
        };
        let y = top[i] - 9.0;
        taken
            .boxes
            .push(label_box(x, y, text_width(&text, lx, true), anchor));
        texts.push(Label {
            x,
            y,
            text,
            style: Style::new(LABEL_PX, TEXT, anchor).bold(),
        });
    }
    // Flow texts on the middle of each band's first hop.
    let bounds = [PAD, SK_TOP, SK_W - PAD, SK_H - 4.0];
    let px = f64::from(TICK_PX);
    for (f, fl) in flows.iter().enumerate() {
        let st = stations(f);
        let (a, b) = (st[0], st[1]);
        let x = (a.right + b.left) / 2.0;
        let y = (a.y + b.y + thick(fl.value)) / 2.0;
        let text = fit(
            &fl.text,
            (b.left - a.right - 8.0).max(0.0),
            px,
            fl.highlight,
        );
        let w = text_width(&text, px, fl.highlight);
        let cands = [
            (x, y, Anchor::Middle),
            (x, y - 15.0, Anchor::Middle),
            (x, y + 15.0, Anchor::Middle),
        ];
        let (x, y, anchor) = taken.place(&cands, w, bounds);
        let style = Style::new(TICK_PX, TEXT, anchor);
        texts.push(Label {
            x,
            y,
            text,
            style: if fl.highlight { style.bold() } else { style },
        });
    }
    draw_halo_labels(&mut svg, &texts);
    svg.finish()
}

/// Closed band of thickness `t` through `stations`: a cubic Bézier with
/// horizontal tangents between consecutive stations (so bands leave and
/// enter nodes level), straight across each pass-through, and back along
/// the bottom edge.
fn band_path(st: &[Station], t: f64) -> String {
    let mut d = String::with_capacity(64 * st.len());
    let Some(first) = st.first() else {
        return d;
    };
    d.push('M');
    push_pair(&mut d, first.right, first.y);
    let hop = |d: &mut String, from_x: f64, from_y: f64, to_x: f64, to_y: f64| {
        let xm = (from_x + to_x) / 2.0;
        d.push('C');
        push_pair(d, xm, from_y);
        d.push(' ');
        push_pair(d, xm, to_y);
        d.push(' ');
        push_pair(d, to_x, to_y);
    };
    for w in st.windows(2) {
        hop(&mut d, w[0].right, w[0].y, w[1].left, w[1].y);
        if w[1].right > w[1].left {
            d.push('H');
            push_num(&mut d, w[1].right);
        }
    }
    d.push('V');
    push_num(&mut d, st[st.len() - 1].y + t);
    for w in st.windows(2).rev() {
        hop(&mut d, w[1].left, w[1].y + t, w[0].right, w[0].y + t);
        if w[0].right > w[0].left {
            d.push('H');
            push_num(&mut d, w[0].left);
        }
    }
    d.push('Z');
    d
}

/// "Title. A → B: text; … Highlighted: A → B." Flows that cannot be drawn
/// are still listed, so the text alternative never loses data.
fn sankey_description(s: &Sankey, title: &str, labels: &[String]) -> String {
    let mut d = sentence(title);
    let name = |i: usize| labels.get(i).map_or("?", String::as_str);
    if s.flows.is_empty() {
        d.push_str("No flows.");
        return d;
    }
    for (i, f) in s.flows.iter().enumerate() {
        if i > 0 {
            d.push_str("; ");
        }
        let _ = write!(d, "{} → {}", name(f.from), name(f.to));
        let text = clean(&f.text);
        if !text.is_empty() {
            let _ = write!(d, ": {text}");
        }
    }
    d.push('.');
    let hl: Vec<String> = s
        .flows
        .iter()
        .filter(|f| f.highlight)
        .map(|f| format!("{} → {}", name(f.from), name(f.to)))
        .collect();
    if !hl.is_empty() {
        let _ = write!(d, " Highlighted: {}.", hl.join(", "));
    }
    d
}

// ---------------------------------------------------------------------------
// Text (the measuring and escaping helpers are shared with plots.rs)

/// Like [`clean`], but keeps one leading space: a suffix such as " pJ" is
/// meant to stand apart from the number, "%" is not.
fn clean_suffix(s: &str) -> String {
    let c = clean(s);
    if !c.is_empty() && s.starts_with(char::is_whitespace) {
        format!(" {c}")
    } else {
        c
    }
}

/// Wraps `s` onto at most two lines of `max` user units at word
/// boundaries, shortening the second (or an over-long first word) with "…".
fn wrap2(s: &str, max: f64, px: f64) -> Vec<String> {
    if s.is_empty() || text_width(s, px, false) <= max {
        return vec![fit(s, max, px, false)];
    }
    let mut first = String::new();
    let mut rest_start = s.len();
    let mut pos = 0;
    for word in s.split(' ') {
        let candidate = if first.is_empty() {
            word.to_string()
        } else {
            format!("{first} {word}")
        };
        if text_width(&candidate, px, false) > max {
            rest_start = pos;
            break;
        }
        first = candidate;
        pos += word.len() + 1;
    }
    if first.is_empty() {
        return vec![fit(s, max, px, false)];
    }
    let rest = s.get(rest_start..).unwrap_or("").trim();
    if rest.is_empty() {
        vec![first]
    } else {
        vec![first, fit(rest, max, px, false)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plots::Series;

    fn s(x: &str) -> String {
        x.to_string()
    }

    /// Young-Daly: wasted work vs checkpoint interval, linear axes with a
    /// fixed range (the C/τ term leaves the plot and is clipped), the
    /// optimum marked and the student's current interval as a guide.
    fn young_daly() -> Curves {
        let (c, m) = (2.0, 1440.0); // checkpoint cost, MTBF (min)
        let taus: Vec<f64> = (1..=48).map(|i| f64::from(i) * 5.0).collect();
        let line = |f: &dyn Fn(f64) -> f64| taus.iter().map(|&t| (t, 100.0 * f(t))).collect();
        let opt = (2.0f64 * c * m).sqrt();
        Curves {
            title: s("How often should the job checkpoint?"),
            description: String::new(),
            x: Axis {
                range: Some((0.0, 240.0)),
                ..Axis::linear("Checkpoint interval (min)")
            },
            y: Axis {
                range: Some((0.0, 20.0)),
                ..Axis::linear("Wasted work (%)")
            },
            series: vec![
                Curve {
                    label: s("Checkpoint writes"),
                    tone: Tone::Info,
                    dashed: true,
                    points: line(&|t| c / t),
                },
                Curve {
                    label: s("Rework after failures"),
                    tone: Tone::Warn,
                    dashed: true,
                    points: line(&|t| t / (2.0 * m)),
                },
                Curve {
                    label: s("Total wasted"),
                    tone: Tone::Bad,
                    dashed: false,
                    points: line(&|t| c / t + t / (2.0 * m)),
                },
            ],
            markers: vec![Marker {
                x: opt,
                y: 100.0 * (c / opt + opt / (2.0 * m)),
                label: s("Optimum: 76 min, 5.3 % wasted"),
                kind: MarkerKind::Optimum,
                tone: Tone::Good,
            }],
            guides: vec![Guide {
                x: 30.0,
                label: s("current interval: 30 min"),
                tone: Tone::Accent,
            }],
        }
    }

    /// Sneakernet: moving 100 TB over a 10 Gb/s link vs shipping disks,
    /// log-log, crossover marked.
    fn sneakernet() -> Curves {
        let ds: Vec<f64> = (0..=40).map(|i| 10f64.powf(f64::from(i) / 10.0)).collect();
        let network = 100e12 * 8.0 / 10e9 / 3600.0; // hours
        let ship = |d: f64| 4.0 + d / 60.0;
        let cross = (network - 4.0) * 60.0;
        Curves {
            title: s("Ship the disks or use the network?"),
            description: s(
                "Moving 100 TB takes 22.2 h over a 10 Gb/s link at any distance; \
                 shipping takes 4 h plus driving at 60 km/h, so shipping is faster \
                 below about 1,090 km.",
            ),
            x: Axis::log("Distance (km)"),
            y: Axis::log("Time to move 100 TB (h)"),
            series: vec![
                Curve {
                    label: s("Network, 10 Gb/s"),
                    tone: Tone::Info,
                    dashed: false,
                    points: ds.iter().map(|&d| (d, network)).collect(),
                },
                Curve {
                    label: s("Shipping by van"),
                    tone: Tone::Accent,
                    dashed: true,
                    points: ds.iter().map(|&d| (d, ship(d))).collect(),
                },
            ],
            markers: vec![Marker {
                x: cross,
                y: network,
                label: s("Crossover: 1,090 km"),
                kind: MarkerKind::Crossover,
                tone: Tone::Bad,
            }],
            guides: Vec::new(),
        }
    }

    fn saturation() -> Saturation {
        let qds: Vec<f64> = (0..=8).map(|i| 2f64.powi(i)).collect();
        let curve = |label: &str, tone, top: f64, k: f64, plateau: &str| SaturationCurve {
            label: s(label),
            tone,
            points: qds
                .iter()
                .map(|&q| (q, top * (1.0 - (-q / k).exp())))
                .collect(),
            plateau: None,
            plateau_label: s(plateau),
        };
        Saturation {
            title: s("When does each disk stop getting faster?"),
            description: String::new(),
            x: Axis {
                range: Some((1.0, 256.0)),
                ..Axis::log("Queue depth (outstanding requests)")
            },
            y: Axis::linear("Throughput (MB/s)"),
            curves: vec![
                curve(
                    "NVMe SSD",
                    Tone::Good,
                    3200.0,
                    6.0,
                    "NVMe: 3.2 GB/s from QD 32",
                ),
                curve(
                    "SATA SSD",
                    Tone::Info,
                    550.0,
                    2.0,
                    "SATA: 550 MB/s from QD 8",
                ),
                curve("HDD", Tone::Neutral, 180.0, 1.5, ""),
            ],
        }
    }

    fn gauge() -> Gauge {
        Gauge {
            title: s("Is the GPU starving?"),
            description: String::new(),
            min: 0.0,
            max: 100.0,
            value: 23.0,
            value_text: s("23 %"),
            label: s("GPU idle time per step"),
            tick_suffix: s("%"),
            bands: vec![
                Band {
                    from: 0.0,
                    to: 10.0,
                    tone: Tone::Good,
                },
                Band {
                    from: 10.0,
                    to: 30.0,
                    tone: Tone::Warn,
                },
                Band {
                    from: 30.0,
                    to: 100.0,
                    tone: Tone::Bad,
                },
            ],
        }
    }

    fn radar() -> Radar {
        let axis = |label: &str| RadarAxis {
            label: s(label),
            min: 0.1,
            max: 100_000.0,
        };
        Radar {
            title: s("Energy per 32-bit operation"),
            description: String::new(),
            log: true,
            tick_suffix: s(" pJ"),
            axes: vec![
                axis("FP32 multiply-add"),
                axis("SRAM read (8 KB)"),
                axis("DRAM read"),
                axis("Network hop (rack)"),
                axis("SSD read"),
            ],
            series: vec![
                RadarSeries {
                    label: s("45 nm (2014)"),
                    tone: Tone::Bad,
                    values: vec![4.6, 5.0, 640.0, 5000.0, 20000.0],
                },
                RadarSeries {
                    label: s("7 nm (2020)"),
                    tone: Tone::Info,
                    values: vec![0.5, 1.5, 200.0, 2000.0, 10000.0],
                },
            ],
        }
    }

    fn waterfall() -> Waterfall {
        let step = |label: &str, value: f64, tone| Series {
            label: s(label),
            value,
            text: format!("{value} s"),
            tone,
        };
        Waterfall {
            title: s("Data gravity: where one epoch's time goes"),
            description: String::new(),
            axis_label: s("Time per epoch (s)"),
            steps: vec![
                step("Disk I/O", 48.0, Tone::Bad),
                step("Network", 31.0, Tone::Warn),
                step("Preprocessing", 12.0, Tone::Neutral),
                step("GPU math", 64.0, Tone::Good),
            ],
            total: Some(Total {
                label: s("Epoch"),
                text: s("155 s"),
                tone: Tone::Info,
            }),
            range: None,
        }
    }

    fn sankey() -> Sankey {
        let node = |label: &str, column, tone| Node {
            label: s(label),
            column,
            tone,
        };
        let flow = |from, to, value: f64, highlight| Flow {
            from,
            to,
            value,
            text: format!("{value} GB/s"),
            tone: if highlight { Tone::Bad } else { Tone::Info },
            highlight,
        };
        Sankey {
            title: s("Where the bytes flow on their way to the GPU"),
            description: String::new(),
            nodes: vec![
                node("Cloud bucket", 0, Tone::Neutral),
                node("Local NVMe", 1, Tone::Neutral),
                node("DRAM", 2, Tone::Neutral),
                node("GPU", 3, Tone::Good),
            ],
            flows: vec![
                flow(0, 1, 1.2, true),
                flow(0, 2, 0.6, false),
                flow(1, 2, 1.2, false),
                flow(2, 3, 1.8, false),
            ],
        }
    }

    fn all() -> Vec<(&'static str, Chart)> {
        vec![
            ("curves_optimum", Chart::Curves(young_daly())),
            ("curves_crossover_loglog", Chart::Curves(sneakernet())),
            ("saturation", Chart::Saturation(saturation())),
            ("gauge", Chart::Gauge(gauge())),
            ("radar", Chart::Radar(radar())),
            ("waterfall", Chart::Waterfall(waterfall())),
            ("sankey", Chart::Sankey(sankey())),
        ]
    }

    /// Structural validity without an XML parser: one root, balanced tags,
    /// no raw '&' outside entities, no ids, no NaN/inf, and every number in
    /// every attribute (path data included) with at most one decimal.
    fn assert_valid(svg: &str) {
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.ends_with("</svg>\n"));
        assert!(!svg.contains(" id="), "no id attributes");
        assert!(!svg.contains("NaN") && !svg.contains("inf\""), "{svg}");
        let mut stack: Vec<&str> = Vec::new();
        let mut rest = svg;
        while let Some(open) = rest.find('<') {
            let close = open + rest[open..].find('>').expect("unclosed tag");
            let tag = &rest[open + 1..close];
            assert!(!tag[1..].contains('<'), "stray < in {tag}");
            if let Some(name) = tag.strip_prefix('/') {
                assert_eq!(stack.pop(), Some(name), "mismatched </{name}>");
            } else if !tag.ends_with('/') {
                stack.push(tag.split(' ').next().unwrap());
            }
            let parts: Vec<&str> = tag.split('"').collect();
            for pair in parts.chunks(2).filter(|p| p.len() == 2) {
                let (key, value) = (pair[0], pair[1]);
                if key.ends_with("opacity=") {
                    continue; // not a coordinate
                }
                let mut digits_after_dot: Option<usize> = None;
                for ch in value.chars().chain([' ']) {
                    match (ch, digits_after_dot) {
                        ('.', None) => digits_after_dot = Some(0),
                        ('.', Some(_)) => panic!("two dots in a number: {tag}"),
                        ('0'..='9', Some(n)) => {
                            assert!(n < 1, "too many decimals in {tag}");
                            digits_after_dot = Some(n + 1);
                        }
                        ('0'..='9', None) => {}
                        _ => digits_after_dot = None,
                    }
                }
            }
            rest = &rest[close + 1..];
        }
        assert!(stack.is_empty(), "unclosed {stack:?}");
        for (i, _) in svg.match_indices('&') {
            let ent = &svg[i..svg.len().min(i + 6)];
            assert!(
                ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"]
                    .iter()
                    .any(|e| ent.starts_with(e)),
                "bare & at {ent}"
            );
        }
    }

    /// Absolute points of every line path ("M x y" then "l dx dy" steps)
    /// in `svg`, for checking where lines were drawn.
    fn polyline_points(svg: &str) -> Vec<(f64, f64)> {
        let mut out = Vec::new();
        for line in svg.lines().filter(|l| l.starts_with("<path d=\"M")) {
            let d = line.split('"').nth(1).unwrap();
            if d.contains(['L', 'C', 'A', 'Z', 'H', 'V']) {
                continue; // polygons, bands, arcs
            }
            let mut cur = (0.0, 0.0);
            // Walk commands: each starts with its letter.
            let mut rest = d;
            while let Some(letter) = rest.chars().next() {
                let body_end = rest[1..].find(['M', 'l']).map_or(rest.len(), |i| i + 1);
                let nums: Vec<f64> = rest[1..body_end]
                    .replace('-', " -")
                    .split_whitespace()
                    .map(|n| n.parse().unwrap())
                    .collect();
                assert_eq!(nums.len(), 2, "{d}");
                cur = match letter {
                    'M' => (nums[0], nums[1]),
                    _ => (cur.0 + nums[0], cur.1 + nums[1]),
                };
                out.push(cur);
                rest = &rest[body_end..];
            }
        }
        out
    }

    #[test]
    fn snapshot_curves_optimum() {
        let svg = render(&Chart::Curves(young_daly()));
        assert_valid(&svg);
        insta::assert_snapshot!(svg);
    }

    #[test]
    fn snapshot_curves_crossover_loglog() {
        let svg = render(&Chart::Curves(sneakernet()));
        assert_valid(&svg);
        insta::assert_snapshot!(svg);
    }

    #[test]
    fn snapshot_saturation() {
        let svg = render(&Chart::Saturation(saturation()));
        assert_valid(&svg);
        insta::assert_snapshot!(svg);
    }

    #[test]
    fn snapshot_gauge() {
        let svg = render(&Chart::Gauge(gauge()));
        assert_valid(&svg);
        insta::assert_snapshot!(svg);
    }

    #[test]
    fn snapshot_radar() {
        let svg = render(&Chart::Radar(radar()));
        assert_valid(&svg);
        insta::assert_snapshot!(svg);
    }

    #[test]
    fn snapshot_waterfall() {
        let svg = render(&Chart::Waterfall(waterfall()));
        assert_valid(&svg);
        insta::assert_snapshot!(svg);
    }

    #[test]
    fn snapshot_sankey() {
        let svg = render(&Chart::Sankey(sankey()));
        assert_valid(&svg);
        insta::assert_snapshot!(svg);
    }

    /// Writes every fixture to $CHARTS_PREVIEW_DIR for looking at them in a
    /// browser; does nothing when the variable is unset.
    #[test]
    fn write_previews() {
        let Ok(dir) = std::env::var("CHARTS_PREVIEW_DIR") else {
            return;
        };
        let mut charts = all();
        charts.extend(harder());
        for (name, chart) in charts {
            std::fs::write(format!("{dir}/{name}.svg"), render(&chart)).unwrap();
        }
    }

    /// Harder layouts, looked at in a browser but not snapshotted.
    fn harder() -> Vec<(&'static str, Chart)> {
        let mut r = radar();
        r.log = false;
        r.tick_suffix = String::new();
        r.axes = (0..8)
            .map(|i| RadarAxis {
                label: format!("Tier {i}: a rather long axis label"),
                min: 0.0,
                max: 100.0,
            })
            .collect();
        r.series[0].values = vec![90.0, 70.0, 40.0, 100.0, 20.0, 55.0, 80.0, 65.0];
        r.series[1].values = vec![30.0, 50.0, 60.0, 20.0, 45.0, 75.0, 10.0, 35.0];
        let mut w = waterfall();
        w.steps[2].value = -20.0;
        w.steps[2].text = s("-20 s");
        w.steps[2].label = s("Overlap with prefetching saves");
        w.total.as_mut().unwrap().text = s("123 s");
        let mut k = sankey();
        k.nodes.push(Node {
            label: s("Local SSD"),
            column: 0,
            tone: Tone::Neutral,
        });
        k.nodes.push(Node {
            label: s("CPU decode"),
            column: 2,
            tone: Tone::Warn,
        });
        k.flows.push(Flow {
            from: 4,
            to: 5,
            value: 0.4,
            text: s("0.4 GB/s"),
            tone: Tone::Info,
            highlight: false,
        });
        k.flows.push(Flow {
            from: 5,
            to: 3,
            value: 0.4,
            text: s("0.4 GB/s"),
            tone: Tone::Warn,
            highlight: false,
        });
        let mut c = sneakernet();
        c.x = Axis::linear("Distance (km)");
        c.y = Axis::linear("Time (h)");
        for i in 0..4 {
            c.series.push(Curve {
                label: format!("Extra series number {i} with a long name"),
                tone: [Tone::Good, Tone::Warn, Tone::Neutral, Tone::Bad][i],
                dashed: i % 2 == 1,
                points: (0..50)
                    .map(|d| (f64::from(d) * 200.0, f64::from(d) * (i as f64 + 1.0)))
                    .collect(),
            });
        }
        let mut g = gauge();
        g.value = 97.0;
        g.value_text = s("97 %");
        vec![
            ("x_radar8", Chart::Radar(r)),
            ("x_waterfall_neg", Chart::Waterfall(w)),
            ("x_sankey_big", Chart::Sankey(k)),
            ("x_curves_legend", Chart::Curves(c)),
            ("x_gauge_high", Chart::Gauge(g)),
        ]
    }

    #[test]
    fn root_is_responsive_and_accessible() {
        let sizes = [
            "640 360", "640 360", "640 360", "360 220", "420 400", "640 360", "640 360",
        ];
        for ((name, chart), size) in all().into_iter().zip(sizes) {
            let svg = render(&chart);
            let mut lines = svg.lines();
            let head = lines.next().unwrap();
            assert!(
                head.contains(&format!("viewBox=\"0 0 {size}\"")),
                "{name}: {head}"
            );
            assert!(head.contains("role=\"img\"") && head.contains("width=\"100%\""));
            assert!(!head.contains("height=\""), "no fixed height: {head}");
            let title = lines.next().unwrap();
            assert!(title.starts_with("<title>") && title.len() > 15, "{name}");
            let desc = lines.next().unwrap();
            assert!(
                desc.starts_with("<desc>") && desc.len() > 30,
                "{name}: {desc}"
            );
        }
    }

    /// The root, the card and the palette match plots.rs's output, so the
    /// two modules' charts look like one family (and the copied colour
    /// table cannot drift from the original unnoticed).
    #[test]
    fn same_family_as_plots() {
        let tones = [
            Tone::Neutral,
            Tone::Good,
            Tone::Warn,
            Tone::Bad,
            Tone::Info,
            Tone::Accent,
        ];
        let plot = crate::plots::Plot {
            kind: crate::plots::PlotKind::Bars,
            title: s("T"),
            axis_label: s("A"),
            series: tones
                .iter()
                .map(|&tone| Series {
                    label: s("x"),
                    value: 1.0,
                    text: s("1"),
                    tone,
                })
                .collect(),
            description: s("D"),
        };
        let theirs = crate::plots::render_svg(&plot);
        for t in tones {
            assert!(theirs.contains(tone_hex(t)), "{t:?}");
        }
        let ours = render(&Chart::Gauge(gauge()));
        let strip = |svg: &str| {
            let head = svg.lines().next().unwrap().to_string();
            head.replace("480 320", "W H")
                .replace("360 220", "W H")
                .replace("480px", "Wpx")
                .replace("360px", "Wpx")
        };
        assert_eq!(strip(&theirs), strip(&ours));
        let card = |svg: &str| {
            svg.lines()
                .nth(3)
                .unwrap()
                .split("width")
                .next()
                .unwrap()
                .to_string()
        };
        assert_eq!(card(&theirs), card(&ours));
        assert!(theirs.contains(
            "<text x=\"16\" y=\"24\" dy=\"0.5ex\" font-size=\"15\" font-weight=\"bold\">"
        ));
        assert!(ours.contains(
            "<text x=\"16\" y=\"24\" dy=\"0.5ex\" font-size=\"15\" font-weight=\"bold\">"
        ));
    }

    /// The fixtures' texts all have room: nothing in them is shortened.
    #[test]
    fn fixtures_are_not_shortened() {
        for (name, chart) in all() {
            let svg = render(&chart);
            assert!(!svg.contains('…'), "{name}: {svg}");
        }
    }

    #[test]
    fn deterministic() {
        for (_, chart) in all() {
            assert_eq!(render(&chart), render(&chart.clone()));
        }
    }

    #[test]
    fn compact() {
        for (name, chart) in all() {
            let n = render(&chart).len();
            assert!(n < 8 * 1024, "{name}: {n} bytes");
        }
    }

    #[test]
    fn text_is_escaped_and_cleaned() {
        let mut c = young_daly();
        c.title = s("A<b> & \"c\" 'd'\u{0}\nnext");
        c.series[0].label = s("<script>&");
        c.markers[0].label = s("x < y");
        let svg = render(&Chart::Curves(c));
        assert!(svg.contains("<title>A&lt;b&gt; &amp; &quot;c&quot; &apos;d&apos; next</title>"));
        assert!(svg.contains(">&lt;script&gt;&amp;</text>"));
        assert!(svg.contains(">x &lt; y</text>"));
        assert!(!svg.contains("<script>") && !svg.contains("<b>"));
        assert_valid(&svg);
    }

    #[test]
    fn composed_descriptions_carry_the_data() {
        let cases = [
            (
                Chart::Curves(young_daly()),
                "How often should the job checkpoint?. Wasted work (%) against Checkpoint \
                 interval (min). Lines: Checkpoint writes, Rework after failures, Total wasted. \
                 Marked: Optimum: 76 min, 5.3 % wasted. Guides: current interval: 30 min.",
            ),
            (
                Chart::Gauge(gauge()),
                "Is the GPU starving?. GPU idle time per step: 23 % on a scale from 0% to 100%.",
            ),
            (
                Chart::Waterfall(waterfall()),
                "Data gravity: where one epoch&apos;s time goes. Disk I/O: 48 s; Network: 31 s; \
                 Preprocessing: 12 s; GPU math: 64 s; Epoch: 155 s.",
            ),
            (
                Chart::Sankey(sankey()),
                "Where the bytes flow on their way to the GPU. Cloud bucket → Local NVMe: 1.2 GB/s; \
                 Cloud bucket → DRAM: 0.6 GB/s; Local NVMe → DRAM: 1.2 GB/s; DRAM → GPU: 1.8 GB/s. \
                 Highlighted: Cloud bucket → Local NVMe.",
            ),
        ];
        for (chart, desc) in cases {
            let svg = render(&chart);
            assert!(svg.contains(&format!("<desc>{desc}</desc>")), "{svg}");
        }
        let svg = render(&Chart::Radar(radar()));
        assert!(svg.contains(
            "<desc>Energy per 32-bit operation. 45 nm (2014): FP32 multiply-add 4.6 pJ, \
             SRAM read (8 KB) 5 pJ, DRAM read 640 pJ, Network hop (rack) 5k pJ, SSD read 20k pJ; "
        ));
    }

    #[test]
    fn log_ticks_cover_the_data_in_decades() {
        let t = log_ticks(3.0, 4500.0, false, "");
        assert_eq!(t.labels, ["1", "10", "100", "1k", "10k"]);
        assert_eq!((t.lo, t.hi), (1.0, 10_000.0));
        assert_eq!(t.minor.len(), 4 * 8);
        let t = log_ticks(0.02, 3.0, false, " s");
        assert_eq!(t.labels, ["0.01 s", "0.1 s", "1 s", "10 s"]);
        // Exact decades are not widened.
        let t = log_ticks(10.0, 1000.0, false, "");
        assert_eq!(t.labels, ["10", "100", "1k"]);
        // One value: one decade.
        let t = log_ticks(100.0, 100.0, false, "");
        assert_eq!(t.labels, ["100", "1k"]);
        // Many decades: every 2nd labelled, the top still on a label, no minor.
        let t = log_ticks(1.0, 5e9, false, "");
        assert_eq!(t.labels, ["1", "100", "10k", "1M", "100M", "10G"]);
        assert!(t.minor.is_empty());
        let t = log_ticks(1e-9, 1e20, false, "");
        assert!(
            t.labels.len() <= 7 && t.labels[0] == "1e-9",
            "{:?}",
            t.labels
        );
        // A fixed range inside one decade labels its ends.
        let t = log_ticks(2.0, 8.0, true, "");
        assert_eq!(t.labels, ["2", "8"]);
        assert_eq!((t.lo, t.hi), (2.0, 8.0));
        // Extremes stay finite.
        let t = log_ticks(1e-300, 1e300, false, "");
        assert!(t.lo > 0.0 && t.hi.is_finite());
        assert_eq!(decade_label(14), "100T");
        assert_eq!(decade_label(15), "1e15");
        assert_eq!(decade_label(-3), "0.001");
        assert_eq!(decade_label(-4), "1e-4");
    }

    #[test]
    fn linear_ticks_are_nice() {
        let t = linear_ticks(0.0, 7.3, false, "");
        assert_eq!(t.labels, ["0", "2", "4", "6", "8"]);
        let t = linear_ticks(0.0, 45_000.0, false, "");
        assert_eq!(t.labels, ["0", "10k", "20k", "30k", "40k", "50k"]);
        let t = linear_ticks(-3.2, 7.5, false, "");
        assert_eq!(
            t.labels,
            ["-4", "-2", "0", "2", "4", "6", "8"][..t.labels.len()]
        );
        assert!(t.lo <= -3.2 && t.hi >= 7.5);
        let t = linear_ticks(0.0, 37.0, true, "%");
        assert_eq!((t.lo, t.hi), (0.0, 37.0));
        assert_eq!(t.labels, ["0%", "10%", "20%", "30%"]);
        let t = linear_ticks(0.0, 1.0, false, "");
        assert_eq!(t.labels, ["0", "0.2", "0.4", "0.6", "0.8", "1.0"]);
    }

    #[test]
    fn compact_numbers() {
        let cases = [
            (4500.0, "4.5k"),
            (0.0123, "0.0123"),
            (2.5e6, "2.5M"),
            (100.0, "100"),
            (1.0, "1"),
            (-12.5, "-12.5"),
            (0.0, "0"),
            (1e-7, "1.00e-7"),
            (f64::NAN, "n/a"),
        ];
        for (v, want) in cases {
            assert_eq!(fmt_num(v), want, "{v}");
        }
    }

    #[test]
    fn fixed_ranges_clip_lines_to_the_plot() {
        let svg = render(&Chart::Curves(young_daly()));
        let pts = polyline_points(&svg);
        assert!(pts.len() > 10);
        // Plot box of the fixture: x 48..612, y 72..294 (the baseline).
        assert!(
            svg.contains("<rect x=\"48\" y=\"294\" width=\"565\" height=\"1\" fill=\"#9CA3AF\"/>")
        );
        for &(x, y) in &pts {
            assert!(
                (47.9..=612.1).contains(&x) && (71.9..=294.1).contains(&y),
                "{x},{y}"
            );
        }
        // C/τ at τ = 5 min is 40 %, off the 0..20 % range: cut at the top.
        assert!(pts.iter().filter(|p| p.1 == 72.0).count() >= 2, "{pts:?}");
    }

    #[test]
    fn non_positive_values_are_skipped_on_log_axes() {
        let mut c = sneakernet();
        c.series[0].points.insert(0, (0.0, 5.0));
        c.series[0].points.insert(3, (-1.0, -1.0));
        c.series[1].points.push((f64::NAN, 3.0));
        c.markers.push(Marker {
            x: -5.0,
            y: 0.0,
            label: s("invisible"),
            kind: MarkerKind::Optimum,
            tone: Tone::Good,
        });
        let svg = render(&Chart::Curves(c));
        assert_valid(&svg);
        assert!(!svg.contains(">invisible</text>"));
        // The axis still starts at the first positive decade.
        assert!(svg.contains(">1</text>") && svg.contains(">10k</text>"));
    }

    #[test]
    fn dense_curves_are_simplified() {
        let pts: Vec<(f64, f64)> = (0..2000)
            .map(|i| (f64::from(i), f64::from(i) * 2.0))
            .collect();
        assert_eq!(simplify(&pts, 0.3).len(), 2);
        let mut c = young_daly();
        c.series = vec![Curve {
            label: s("dense"),
            tone: Tone::Info,
            dashed: false,
            points: (0..5000)
                .map(|i| f64::from(i) * 0.048)
                .map(|x| (x, 10.0 + 5.0 * (x / 20.0).sin()))
                .collect(),
        }];
        let svg = render(&Chart::Curves(c));
        assert!(svg.len() < 8 * 1024, "{}", svg.len());
    }

    #[test]
    fn saturation_plateau_is_found_or_taken() {
        let curves = saturation().to_curves();
        let xs: Vec<f64> = curves.markers.iter().map(|m| m.x).collect();
        assert_eq!(xs, [32.0, 8.0, 8.0]);
        assert_eq!(
            curves.markers[2].label, "HDD",
            "label falls back to the curve's"
        );
        let mut sat = saturation();
        sat.curves[0].plateau = Some((16.0, 3000.0));
        sat.curves[1].points.clear();
        let curves = sat.to_curves();
        assert_eq!(curves.markers[0].x, 16.0);
        assert_eq!(curves.markers.len(), 2, "no plateau without points");
        assert!(curves
            .markers
            .iter()
            .all(|m| m.kind == MarkerKind::Saturation));
    }

    #[test]
    fn gauge_highlights_the_band_holding_the_value() {
        let svg = render(&Chart::Gauge(gauge()));
        // Warn band at full strength; the others pale.
        assert!(svg.contains("fill=\"#E08A00\"/>"));
        assert!(svg.contains("fill=\"#1B7F3B\" fill-opacity=\"0.3\"/>"));
        assert!(svg.contains("fill=\"#C62828\" fill-opacity=\"0.3\"/>"));
        let mut g = gauge();
        g.value = f64::NAN;
        let svg = render(&Chart::Gauge(g));
        assert_eq!(
            svg.matches("fill-opacity=\"0.3\"").count(),
            3,
            "no needle, no verdict"
        );
    }

    /// Odd inputs of every kind: nothing panics and the SVG stays valid.
    #[test]
    fn odd_inputs_render_valid_svg() {
        let long = "L".repeat(200);
        let words = "word ".repeat(40);
        let bad = [
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            -1.0,
            0.0,
            1e-320,
            f64::MAX,
        ];
        let mut charts = Vec::new();
        for xs in [Scale::Linear, Scale::Log] {
            for ys in [Scale::Linear, Scale::Log] {
                for range in [
                    None,
                    Some((0.0, 0.0)),
                    Some((f64::NAN, 1.0)),
                    Some((5.0, 1.0)),
                    Some((1e-3, 1e3)),
                ] {
                    let axis = |scale| Axis {
                        label: long.clone(),
                        scale,
                        tick_suffix: words.clone(),
                        range,
                    };
                    let pts: Vec<(f64, f64)> = bad
                        .iter()
                        .flat_map(|&a| bad.iter().map(move |&b| (a, b)))
                        .collect();
                    for points in [vec![], vec![(1.0, 1.0)], pts] {
                        charts.push(Chart::Curves(Curves {
                            title: long.clone(),
                            description: String::new(),
                            x: axis(xs),
                            y: axis(ys),
                            series: (0..12)
                                .map(|i| Curve {
                                    label: if i % 2 == 0 {
                                        long.clone()
                                    } else {
                                        words.clone()
                                    },
                                    tone: Tone::Info,
                                    dashed: i % 3 == 0,
                                    points: points.clone(),
                                })
                                .collect(),
                            markers: bad
                                .iter()
                                .map(|&v| Marker {
                                    x: v,
                                    y: 1.0,
                                    label: long.clone(),
                                    kind: MarkerKind::Crossover,
                                    tone: Tone::Bad,
                                })
                                .collect(),
                            guides: bad
                                .iter()
                                .map(|&v| Guide {
                                    x: v,
                                    label: words.clone(),
                                    tone: Tone::Neutral,
                                })
                                .collect(),
                        }));
                    }
                }
            }
        }
        charts.push(Chart::Saturation(Saturation {
            title: String::new(),
            description: String::new(),
            x: Axis::log(""),
            y: Axis::linear(""),
            curves: vec![SaturationCurve {
                label: long.clone(),
                tone: Tone::Good,
                points: vec![(1.0, f64::NAN), (0.0, 0.0), (2.0, -5.0)],
                plateau: Some((f64::NAN, 1.0)),
                plateau_label: String::new(),
            }],
        }));
        for &v in &bad {
            for (min, max) in [(0.0, 100.0), (v, v), (5.0, 1.0), (0.0, v), (v, 0.0)] {
                charts.push(Chart::Gauge(Gauge {
                    title: long.clone(),
                    description: String::new(),
                    min,
                    max,
                    value: v,
                    value_text: long.clone(),
                    label: words.clone(),
                    tick_suffix: words.clone(),
                    bands: bad
                        .iter()
                        .map(|&b| Band {
                            from: b,
                            to: v,
                            tone: Tone::Warn,
                        })
                        .chain([Band {
                            from: 0.0,
                            to: 0.0,
                            tone: Tone::Bad,
                        }])
                        .collect(),
                }));
            }
        }
        for n in [0, 1, 2, 3, 8, 12] {
            for log in [false, true] {
                let axes: Vec<RadarAxis> = (0..n)
                    .map(|i| RadarAxis {
                        label: if i % 2 == 0 {
                            long.clone()
                        } else {
                            words.clone()
                        },
                        min: bad[i % bad.len()],
                        max: bad[(i + 3) % bad.len()],
                    })
                    .collect();
                for values in [vec![], bad.to_vec(), vec![1.0; 20]] {
                    charts.push(Chart::Radar(Radar {
                        title: long.clone(),
                        description: String::new(),
                        log,
                        tick_suffix: words.clone(),
                        axes: axes.clone(),
                        series: vec![RadarSeries {
                            label: long.clone(),
                            tone: Tone::Accent,
                            values,
                        }],
                    }));
                }
                // Zero max on every axis, and no series at all.
                let zero: Vec<RadarAxis> = (0..n)
                    .map(|_| RadarAxis {
                        label: s("z"),
                        min: 0.0,
                        max: 0.0,
                    })
                    .collect();
                charts.push(Chart::Radar(Radar {
                    title: String::new(),
                    description: String::new(),
                    log,
                    tick_suffix: String::new(),
                    axes: zero,
                    series: vec![],
                }));
            }
        }
        for steps in [
            vec![],
            bad.iter()
                .map(|&v| Series {
                    label: words.clone(),
                    value: v,
                    text: long.clone(),
                    tone: Tone::Neutral,
                })
                .collect(),
            vec![
                Series {
                    label: s("up"),
                    value: 5.0,
                    text: s("5"),
                    tone: Tone::Bad,
                },
                Series {
                    label: s("down"),
                    value: -8.0,
                    text: s("-8"),
                    tone: Tone::Good,
                },
            ],
            (0..60)
                .map(|i| Series {
                    label: format!("step {i}"),
                    value: 1.0,
                    text: s("1"),
                    tone: Tone::Info,
                })
                .collect(),
        ] {
            for total in [
                None,
                Some(Total {
                    label: long.clone(),
                    text: long.clone(),
                    tone: Tone::Info,
                }),
            ] {
                charts.push(Chart::Waterfall(Waterfall {
                    title: long.clone(),
                    description: String::new(),
                    axis_label: words.clone(),
                    steps: steps.clone(),
                    total,
                    range: None,
                }));
            }
        }
        let nodes: Vec<Node> = (0..30)
            .map(|i| Node {
                label: long.clone(),
                column: [0, 1, usize::MAX, 1, 1][i % 5],
                tone: Tone::Neutral,
            })
            .collect();
        let flows: Vec<Flow> = (0..60)
            .map(|i| Flow {
                from: i % 31,
                to: (i * 7) % 33,
                value: [1.0, f64::NAN, -2.0, 1e300, 0.0, 3.0, f64::INFINITY][i % 7],
                text: long.clone(),
                tone: Tone::Info,
                highlight: i % 4 == 0,
            })
            .collect();
        for (nodes, flows) in [
            (vec![], vec![]),
            (nodes[..1].to_vec(), vec![]),
            (nodes[..3].to_vec(), flows[..10].to_vec()),
            (nodes.clone(), flows.clone()),
        ] {
            charts.push(Chart::Sankey(Sankey {
                title: long.clone(),
                description: String::new(),
                nodes,
                flows,
            }));
        }
        let dump = std::env::var("CHARTS_PREVIEW_DIR").ok();
        for (i, chart) in charts.iter().enumerate() {
            let svg = render(chart);
            assert_valid(&svg);
            assert_eq!(svg, render(chart));
            if let Some(dir) = &dump {
                std::fs::write(format!("{dir}/odd_{i:03}.svg"), &svg).unwrap();
            }
        }
        assert!(charts.len() > 100);
    }

    #[test]
    fn empty_inputs_say_no_data() {
        let mut c = young_daly();
        c.series.clear();
        c.markers.clear();
        let mut r = radar();
        r.axes.clear();
        let mut w = waterfall();
        w.steps.clear();
        w.total = None;
        let mut k = sankey();
        k.nodes.clear();
        k.flows.clear();
        for chart in [
            Chart::Curves(c),
            Chart::Radar(r),
            Chart::Waterfall(w),
            Chart::Sankey(k),
        ] {
            assert!(render(&chart).contains(">No data</text>"), "{chart:?}");
        }
    }

    /// Rendering cost per kind. Run with
    /// `cargo test --release -- --ignored --nocapture timing`.
    #[test]
    #[ignore]
    fn timing() {
        for (name, chart) in all() {
            let n = 5000;
            let start = std::time::Instant::now();
            let mut bytes = 0;
            for _ in 0..n {
                bytes += std::hint::black_box(render(std::hint::black_box(&chart))).len();
            }
            let us = start.elapsed().as_secs_f64() * 1e6 / f64::from(n);
            println!(
                "{name:<24} {us:7.1} µs/chart  {:5} bytes",
                bytes / n as usize
            );
        }
        // For comparison: plots.rs's bar chart, through plotters.
        let plot = crate::plots::Plot {
            kind: crate::plots::PlotKind::Bars,
            title: s("Can the data arrive in time?"),
            axis_label: s("Time per epoch (s)"),
            series: waterfall().steps,
            description: String::new(),
        };
        let start = std::time::Instant::now();
        for _ in 0..5000 {
            std::hint::black_box(crate::plots::render_svg(std::hint::black_box(&plot)));
        }
        let us = start.elapsed().as_secs_f64() * 1e6 / 5000.0;
        println!("{:<24} {us:7.1} µs/chart", "(plots.rs bars)");
    }
}
