//! Build-time rendering of the lab book's small charts as self-contained SVG.
//!
//! labgen evaluates a physics model for every control combination and renders
//! one chart per combination, so this module may run thousands of times per
//! build. The page's script only swaps the precomputed strings in, which is
//! why everything here is a pure function from plain data to a `String`:
//! the same input always gives byte-identical output (no ids, no timestamps,
//! integer coordinates), and the output is kept small.
//!
//! Two chart kinds exist:
//!
//! * [`PlotKind::Timeline`]: one horizontal stacked bar splitting a duration
//!   (for example one training step) into segments, with an x axis and a legend.
//! * [`PlotKind::Bars`]: vertical bars side by side, one per series, with a
//!   y axis, gridlines, a value above each bar and a category label below.
//!
//! Drawing goes through plotters' SVG backend. Without the `ttf` feature that
//! backend cannot measure text (its estimate is a fixed 0.7 em per *byte*), so
//! layout decisions that depend on text width (does a label fit inside a
//! segment, where does the next legend entry start, where to cut a long label)
//! use a small per-character width table here instead. The backend's raw
//! output is then post-processed: the root element is replaced by a responsive
//! one carrying `role="img"`, `<title>`, `<desc>` and a rounded background,
//! attributes that only restate defaults are removed, and shared presentation
//! attributes (font family, text colour) move to the root where they inherit.
//!
//! Nothing here panics on odd input: NaN, infinite and negative values are
//! treated as 0, huge values get a compact axis, an empty series list renders
//! a "No data" chart, and long labels are shortened with an ellipsis (the full
//! text stays available in `<desc>`).

use std::fmt::Write as _;

use plotters::backend::SVGBackend;
use plotters::coord::Shift;
use plotters::drawing::{DrawingArea, IntoDrawingArea};
use plotters::element::{Rectangle, Text};
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{Color, FontDesc, FontFamily, FontStyle, RGBColor};

/// A chart to render: what kind, what it is called, and the data to show.
#[derive(Debug, Clone, PartialEq)]
pub struct Plot {
    /// Which chart layout to use.
    pub kind: PlotKind,
    /// Heading drawn at the top of the chart and used as the SVG `<title>`,
    /// e.g. "Where one training step's time goes".
    pub title: String,
    /// Label of the value axis, including its unit, e.g. "Time per batch (ms)".
    pub axis_label: String,
    /// The data, in display order (left to right for both kinds).
    pub series: Vec<Series>,
    /// Text alternative for screen readers, placed in the SVG `<desc>`.
    /// If blank, a description is composed from the series labels and texts.
    pub description: String,
}

/// The layout of a [`Plot`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlotKind {
    /// One horizontal stacked bar (640×200), segments in series order. The
    /// chart grows taller only if the legend needs more than two rows.
    Timeline,
    /// Vertical bars side by side (480×320), one per series.
    Bars,
}

/// One value shown in a [`Plot`]: a timeline segment or a bar.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Category name, e.g. "GPU compute".
    pub label: String,
    /// Value in the display unit (already converted); expected to be >= 0.
    /// NaN, infinite and negative values are drawn as 0.
    pub value: f64,
    /// Caller-formatted value with unit, e.g. "5.05 ms", used for labels on
    /// the chart and in the legend.
    pub text: String,
    /// Colour role of this series.
    pub tone: Tone,
}

/// Colour role of a [`Series`]; each maps to one fixed colour that is legible
/// on the chart's own white background.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    /// Grey (#6b7280): context, nothing to judge.
    Neutral,
    /// Green (#1b7f3b): the desirable part.
    Good,
    /// Amber (#e08a00): worth a look.
    Warn,
    /// Red (#c62828): the problem.
    Bad,
    /// Blue (#1f6fb2): informational.
    Info,
    /// Purple (#6a3fa0): highlight.
    Accent,
}

/// Renders `plot` as a standalone, responsive, accessible SVG document.
///
/// The result has `viewBox="0 0 W H"`, `width="100%"` and no fixed height,
/// `role="img"` with `<title>` and `<desc>` as its first children, no `id`
/// attributes, and only integer coordinates. It never panics.
pub fn render_svg(plot: &Plot) -> String {
    let title = clean(&plot.title);
    let axis_label = clean(&plot.axis_label);
    let series: Vec<Item> = plot
        .series
        .iter()
        .map(|s| Item {
            label: clean(&s.label),
            text: clean(&s.text),
            value: sanitize(s.value),
            tone: s.tone,
        })
        .collect();

    // The legend is laid out first because it decides the timeline's height.
    let legend = match plot.kind {
        PlotKind::Timeline => layout_legend(&series),
        PlotKind::Bars => Vec::new(),
    };
    let (width, height) = match plot.kind {
        PlotKind::Timeline => (TIMELINE_W, timeline_height(&legend)),
        PlotKind::Bars => (BARS_W, BARS_H),
    };

    let mut raw = String::with_capacity(6 * 1024);
    {
        let area = SVGBackend::with_string(&mut raw, (width, height)).into_drawing_area();
        let canvas = Canvas { area };
        match plot.kind {
            PlotKind::Timeline => draw_timeline(&canvas, &title, &axis_label, &series, &legend),
            PlotKind::Bars => draw_bars(&canvas, &title, &axis_label, &series),
        }
        // Writing into a String cannot fail; present() only closes the root tag.
        let _ = canvas.area.present();
    }

    let description = {
        let d = clean(&plot.description);
        if d.is_empty() {
            fallback_description(&title, &series)
        } else {
            d
        }
    };
    finish(&raw, width, height, &title, &description)
}

// ---------------------------------------------------------------------------
// Geometry and palette

const TIMELINE_W: u32 = 640;
const TIMELINE_H: u32 = 200;
const BARS_W: u32 = 480;
const BARS_H: u32 = 320;

/// Generic family only: the book is offline and must not ship font files.
const FONT: &str = "system-ui, sans-serif";

const TEXT: RGBColor = RGBColor(0x1f, 0x29, 0x37);
const MUTED: RGBColor = RGBColor(0x4b, 0x55, 0x63);
const GRID: RGBColor = RGBColor(0xe5, 0xe7, 0xeb);
const TRACK: RGBColor = RGBColor(0xf3, 0xf4, 0xf6);
const AXIS: RGBColor = RGBColor(0x9c, 0xa3, 0xaf);
const WHITE: RGBColor = RGBColor(0xff, 0xff, 0xff);

/// Font sizes in user units.
const TITLE_PX: f64 = 15.0;
const LABEL_PX: f64 = 12.0;
const TICK_PX: f64 = 11.0;
const VALUE_PX: f64 = 13.0;

/// Side padding inside the background card.
const PAD: i32 = 16;

impl Tone {
    /// Fill colour of the tone.
    fn color(self) -> RGBColor {
        match self {
            Tone::Neutral => RGBColor(0x6b, 0x72, 0x80),
            Tone::Good => RGBColor(0x1b, 0x7f, 0x3b),
            Tone::Warn => RGBColor(0xe0, 0x8a, 0x00),
            Tone::Bad => RGBColor(0xc6, 0x28, 0x28),
            Tone::Info => RGBColor(0x1f, 0x6f, 0xb2),
            Tone::Accent => RGBColor(0x6a, 0x3f, 0xa0),
        }
    }

    /// Colour of text drawn on top of the tone's fill. White on amber has a
    /// contrast ratio of about 2.6, so amber gets dark text instead.
    fn on_color(self) -> RGBColor {
        match self {
            Tone::Warn => TEXT,
            _ => WHITE,
        }
    }
}

/// A series after input cleaning: finite non-negative value, XML-safe text.
struct Item {
    label: String,
    text: String,
    value: f64,
    tone: Tone,
}

// ---------------------------------------------------------------------------
// Timeline

/// Vertical layout of the timeline (user units).
const TL_TITLE_Y: i32 = 26;
const TL_BAR_TOP: i32 = 46;
const TL_BAR_BOTTOM: i32 = 90;
const TL_TICK_LABEL_Y: i32 = 105;
const TL_AXIS_LABEL_Y: i32 = 128;
const TL_LEGEND_Y: i32 = 160;
const TL_LEGEND_ROW: i32 = 22;
/// Horizontal extent of the axis: wider margins than PAD so the first and
/// last tick labels, which are centred on their ticks, stay on the card.
const TL_X0: i32 = 24;
const TL_X1: i32 = 616;

const SWATCH: i32 = 10;
const SWATCH_GAP: f64 = 6.0;
const LEGEND_ITEM_GAP: f64 = 20.0;

/// One legend entry placed on the canvas.
struct LegendEntry {
    x: i32,
    row: i32,
    text: String,
    tone: Tone,
}

/// Flows the timeline's legend entries ("label: text") left to right,
/// wrapping to new rows as needed; an entry too long for a whole row is
/// shortened with "…".
fn layout_legend(series: &[Item]) -> Vec<LegendEntry> {
    let left = f64::from(PAD);
    let right = f64::from(TIMELINE_W as i32 - PAD);
    let max_text = right - left - f64::from(SWATCH) - SWATCH_GAP;
    let mut x = left;
    let mut row = 0;
    let mut out = Vec::with_capacity(series.len());
    for s in series {
        let full = if s.text.is_empty() {
            s.label.clone()
        } else if s.label.is_empty() {
            s.text.clone()
        } else {
            format!("{}: {}", s.label, s.text)
        };
        let text = fit(&full, max_text, LABEL_PX, false);
        let w = f64::from(SWATCH) + SWATCH_GAP + text_width(&text, LABEL_PX, false);
        if x > left && x + w > right {
            row += 1;
            x = left;
        }
        out.push(LegendEntry {
            x: x.round() as i32,
            row,
            text,
            tone: s.tone,
        });
        x += w + LEGEND_ITEM_GAP;
    }
    out
}

/// The timeline is 640×200 unless the legend needs more than two rows
/// (many or very long labels); then it grows rather than overlap or drop
/// entries.
fn timeline_height(legend: &[LegendEntry]) -> u32 {
    let rows = legend.last().map_or(1, |e| e.row + 1);
    let extra = (rows - 2).max(0) * TL_LEGEND_ROW;
    TIMELINE_H + extra as u32
}

/// Draws the timeline: title, one stacked bar on a scaled track, x axis with
/// ticks and unit label, and the legend laid out by [`layout_legend`].
fn draw_timeline(
    c: &Canvas,
    title: &str,
    axis_label: &str,
    series: &[Item],
    legend: &[LegendEntry],
) {
    let full_w = f64::from(TL_X1 - TL_X0);
    c.text(
        &fit(
            title,
            f64::from(TIMELINE_W as i32 - 2 * PAD),
            TITLE_PX,
            true,
        ),
        PAD,
        TL_TITLE_Y,
        TITLE_PX,
        true,
        TEXT,
        HPos::Left,
    );

    // Capped so two huge values cannot sum to infinity and lose the scale.
    let total = series.iter().map(|s| s.value).sum::<f64>().min(f64::MAX);
    let axis = nice_axis(total);
    let scale = |v: f64| TL_X0 + (v / axis.max * full_w).round().clamp(0.0, full_w) as i32;

    // Track, gridlines, axis line: the empty part of the track still shows
    // the scale, so a short total reads as short.
    c.rect(TL_X0, TL_BAR_TOP, TL_X1, TL_BAR_BOTTOM, TRACK);
    let labels = axis.labels();
    for (i, label) in labels.iter().enumerate() {
        let x = scale(axis.tick(i));
        if i > 0 {
            c.rect(x, TL_BAR_TOP, x + 1, TL_BAR_BOTTOM, GRID);
        }
        c.rect(x, TL_BAR_BOTTOM, x + 1, TL_BAR_BOTTOM + 5, AXIS);
        c.text(
            label,
            x,
            TL_TICK_LABEL_Y,
            TICK_PX,
            false,
            MUTED,
            HPos::Center,
        );
    }
    c.rect(TL_X0, TL_BAR_BOTTOM, TL_X1 + 1, TL_BAR_BOTTOM + 1, AXIS);

    // Segments: edges come from rounded cumulative sums so the segments tile
    // exactly, with no gaps or overlaps from per-segment rounding.
    let mut drawn: Vec<(i32, i32, usize)> = Vec::with_capacity(series.len());
    let mut cum = 0.0;
    for (i, s) in series.iter().enumerate() {
        let x0 = scale(cum);
        cum += s.value;
        let x1 = scale(cum);
        if s.value > 0.0 && x1 > x0 {
            c.rect(x0, TL_BAR_TOP, x1, TL_BAR_BOTTOM, s.tone.color());
            drawn.push((x0, x1, i));
        }
    }
    // White separators keep adjacent segments apart even when two tones are
    // close; skipped next to slivers, which they would erase.
    for pair in drawn.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        if a.1 - a.0 >= 4 && b.1 - b.0 >= 4 {
            c.rect(b.0 - 1, TL_BAR_TOP, b.0 + 1, TL_BAR_BOTTOM, WHITE);
        }
    }
    let mid_y = (TL_BAR_TOP + TL_BAR_BOTTOM) / 2;
    for &(x0, x1, i) in &drawn {
        let s = &series[i];
        // Only when it fits with some air; otherwise legend and desc carry it.
        if !s.text.is_empty() && text_width(&s.text, LABEL_PX, true) + 10.0 <= f64::from(x1 - x0) {
            c.text(
                &s.text,
                (x0 + x1) / 2,
                mid_y,
                LABEL_PX,
                true,
                s.tone.on_color(),
                HPos::Center,
            );
        }
    }
    if series.is_empty() {
        c.text(
            "No data",
            (TL_X0 + TL_X1) / 2,
            mid_y,
            LABEL_PX,
            false,
            MUTED,
            HPos::Center,
        );
    }

    if !axis_label.is_empty() {
        c.text(
            &fit(axis_label, full_w, LABEL_PX, false),
            (TL_X0 + TL_X1) / 2,
            TL_AXIS_LABEL_Y,
            LABEL_PX,
            false,
            MUTED,
            HPos::Center,
        );
    }

    for e in legend {
        let y = TL_LEGEND_Y + e.row * TL_LEGEND_ROW;
        c.rect(
            e.x,
            y - SWATCH / 2,
            e.x + SWATCH,
            y + SWATCH / 2,
            e.tone.color(),
        );
        let tx = e.x + SWATCH + SWATCH_GAP as i32;
        c.text(&e.text, tx, y, LABEL_PX, false, TEXT, HPos::Left);
    }
}

// ---------------------------------------------------------------------------
// Bars

const BR_TITLE_Y: i32 = 24;
const BR_AXIS_LABEL_Y: i32 = 46;
const BR_TOP: i32 = 72;
const BR_BOTTOM: i32 = 264;
const BR_LEFT: i32 = 56;
const BR_RIGHT: i32 = 464;
const BR_CAT_Y: i32 = 281;
const BR_CAT_LINE: i32 = 16;

/// Draws the bar chart: title, unit label, y axis with gridlines, and one
/// bar per series with its value above and its (wrapped) category below.
fn draw_bars(c: &Canvas, title: &str, axis_label: &str, series: &[Item]) {
    let inner = f64::from(BARS_W as i32 - 2 * PAD);
    c.text(
        &fit(title, inner, TITLE_PX, true),
        PAD,
        BR_TITLE_Y,
        TITLE_PX,
        true,
        TEXT,
        HPos::Left,
    );
    // The value axis is labelled above the plot rather than with rotated
    // text beside it: easier to read, and no transform attributes.
    if !axis_label.is_empty() {
        c.text(
            &fit(axis_label, inner, LABEL_PX, false),
            PAD,
            BR_AXIS_LABEL_Y,
            LABEL_PX,
            false,
            MUTED,
            HPos::Left,
        );
    }

    let peak = series.iter().map(|s| s.value).fold(0.0, f64::max);
    let axis = nice_axis(peak);
    let plot_h = f64::from(BR_BOTTOM - BR_TOP);
    let scale = |v: f64| (v / axis.max * plot_h).round().clamp(0.0, plot_h) as i32;

    for (i, label) in axis.labels().iter().enumerate() {
        let y = BR_BOTTOM - scale(axis.tick(i));
        if i > 0 {
            c.rect(BR_LEFT, y, BR_RIGHT, y + 1, GRID);
        }
        c.text(label, BR_LEFT - 8, y, TICK_PX, false, MUTED, HPos::Right);
    }

    let n = series.len().max(1);
    let slot = f64::from(BR_RIGHT - BR_LEFT) / n as f64;
    let bar_w = (slot * 0.55).clamp(1.0, 96.0);
    for (i, s) in series.iter().enumerate() {
        let cx = f64::from(BR_LEFT) + slot * (i as f64 + 0.5);
        let x0 = (cx - bar_w / 2.0).round() as i32;
        let x1 = (cx + bar_w / 2.0).round() as i32;
        let cx = cx.round() as i32;
        let mut h = scale(s.value);
        if s.value > 0.0 {
            // A positive value never disappears entirely.
            h = h.max(1);
        }
        if h > 0 {
            c.rect(x0, BR_BOTTOM - h, x1.max(x0 + 1), BR_BOTTOM, s.tone.color());
        }
        // A cut-off number ("12.…") would mislead, so value texts are never
        // shortened: crowded bars get a smaller, regular-weight label, and
        // none at all if even that does not fit (the desc still has it).
        let room = slot - 2.0;
        if text_width(&s.text, VALUE_PX, true) <= room {
            c.text(
                &s.text,
                cx,
                BR_BOTTOM - h - 11,
                VALUE_PX,
                true,
                TEXT,
                HPos::Center,
            );
        } else if text_width(&s.text, TICK_PX, false) <= room {
            c.text(
                &s.text,
                cx,
                BR_BOTTOM - h - 9,
                TICK_PX,
                false,
                TEXT,
                HPos::Center,
            );
        }
        for (line_no, line) in wrap2(&s.label, slot - 8.0, LABEL_PX).iter().enumerate() {
            let y = BR_CAT_Y + line_no as i32 * BR_CAT_LINE;
            c.text(line, cx, y, LABEL_PX, false, TEXT, HPos::Center);
        }
    }
    // Baseline last so it sits on top of the bars' bottom edge.
    c.rect(BR_LEFT, BR_BOTTOM, BR_RIGHT, BR_BOTTOM + 1, AXIS);

    if series.is_empty() {
        c.text(
            "No data",
            (BR_LEFT + BR_RIGHT) / 2,
            (BR_TOP + BR_BOTTOM) / 2,
            LABEL_PX,
            false,
            MUTED,
            HPos::Center,
        );
    }
}

// ---------------------------------------------------------------------------
// Drawing helpers

/// Thin wrapper over a plotters drawing area that draws in integer user
/// units and ignores backend errors, which cannot happen for a String target.
struct Canvas<'a> {
    area: DrawingArea<SVGBackend<'a>, Shift>,
}

impl Canvas<'_> {
    /// Filled rectangle from (x0, y0) inclusive to (x1, y1) exclusive.
    /// Also used for 1-unit lines: a filled rect on integer coordinates is
    /// crisp, where a 1-unit stroke centred on an integer line is blurred.
    fn rect(&self, x0: i32, y0: i32, x1: i32, y1: i32, color: RGBColor) {
        let _ = self
            .area
            .draw(&Rectangle::new([(x0, y0), (x1, y1)], color.filled()));
    }

    /// Single-line text vertically centred on `y`, anchored at `x` by `h`.
    #[allow(clippy::too_many_arguments)]
    fn text(&self, s: &str, x: i32, y: i32, px: f64, bold: bool, color: RGBColor, h: HPos) {
        if s.is_empty() {
            return;
        }
        let style = if bold {
            FontStyle::Bold
        } else {
            FontStyle::Normal
        };
        // The SVG backend writes font-size as size / 1.24; pre-multiply so
        // the emitted size is `px` (finish() also rounds away float noise).
        let font = FontDesc::new(FontFamily::Name(FONT), px * 1.24, style);
        let style = font.color(&color).pos(Pos::new(h, VPos::Center));
        let _ = self.area.draw(&Text::new(s, (x, y), style));
    }
}

// ---------------------------------------------------------------------------
// Axis

/// A value axis from 0 to `max` in `n` steps of `step`.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Axis {
    max: f64,
    step: f64,
    n: usize,
}

/// Chooses a "nice" axis covering `0..=v`: a step of 1, 2 or 5 times a
/// power of ten with 3 to 6 intervals, picking the smallest resulting
/// maximum (ties: fewer intervals). E.g. 7.3 → 0..8 by 2, 64.2 → 0..80 by
/// 20, 0.84 → 0..1 by 0.2, 11 → 0..12 by 2. Non-positive or non-finite input
/// gives 0..1.
fn nice_axis(v: f64) -> Axis {
    const UNIT: Axis = Axis {
        max: 1.0,
        step: 0.2,
        n: 5,
    };
    if !(v.is_finite() && v > 0.0) {
        return UNIT;
    }
    let exp = v.log10().floor() as i32;
    let mut best: Option<Axis> = None;
    for e in exp - 2..=exp {
        for m in [1.0, 2.0, 5.0] {
            let step = m * 10f64.powi(e);
            if !(step.is_finite() && step > 0.0) {
                continue;
            }
            // The tolerance keeps exact fits (v = 10, step 2) from being
            // pushed up an interval by float noise in the division.
            let n = (v / step - 1e-9).ceil();
            if !(3.0..=6.0).contains(&n) {
                continue;
            }
            let max = n * step;
            if !max.is_finite() {
                continue;
            }
            let better = match best {
                None => true,
                // Later candidates have larger steps, so `<=` prefers fewer intervals.
                Some(b) => max <= b.max * (1.0 + 1e-9),
            };
            if better {
                best = Some(Axis {
                    max,
                    step,
                    n: n as usize,
                });
            }
        }
    }
    match best {
        Some(a) => a,
        // Subnormal input or overflow near f64::MAX: a single interval
        // ending at v itself still draws correctly.
        None if v.is_normal() => Axis {
            max: v,
            step: v,
            n: 1,
        },
        None => UNIT,
    }
}

impl Axis {
    /// Value of tick `i` (computed from the index so errors do not add up).
    fn tick(&self, i: usize) -> f64 {
        if i >= self.n {
            self.max
        } else {
            i as f64 * self.step
        }
    }

    /// Tick labels, all with the same number of decimals and, for large
    /// values, the same SI suffix (k, M, G, T) so they stay short.
    fn labels(&self) -> Vec<String> {
        let (div, suffix) = match self.max {
            m if m >= 1e15 => (0.0, ""),
            m if m >= 1e12 => (1e12, "T"),
            m if m >= 1e9 => (1e9, "G"),
            m if m >= 1e6 => (1e6, "M"),
            m if m >= 1e4 => (1e3, "k"),
            _ => (1.0, ""),
        };
        (0..=self.n)
            .map(|i| {
                let v = self.tick(i);
                if i == 0 {
                    // The origin reads best bare, whatever the scale.
                    "0".to_string()
                } else if div == 0.0 {
                    // Beyond the SI prefixes: scientific notation.
                    format!("{v:.1e}")
                } else {
                    let decimals = decimals_for(self.step / div);
                    format!("{:.*}{}", decimals, v / div, suffix)
                }
            })
            .collect()
    }
}

/// Fewest decimals (up to 9) that show multiples of `step` exactly.
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

// ---------------------------------------------------------------------------
// Text

/// Makes caller text safe and single-line: control characters (which are not
/// allowed in XML 1.0, or would break the one-line layout) become spaces,
/// runs of whitespace collapse, and the ends are trimmed. XML escaping itself
/// happens on output (plotters escapes text it draws; [`escape`] the rest).
pub(crate) fn clean(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars() {
        if c.is_whitespace() || c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}' {
            pending_space = true;
            continue;
        }
        if pending_space && !out.is_empty() {
            out.push(' ');
        }
        pending_space = false;
        out.push(c);
    }
    out
}

/// Finite, non-negative value; everything else (NaN, ±inf, negatives) is 0.
fn sanitize(v: f64) -> f64 {
    if v.is_finite() && v > 0.0 {
        v
    } else {
        0.0
    }
}

/// Approximate advance width of `c` in em. The values follow DejaVu Sans,
/// one of the widest common `system-ui` fallbacks (Linux), so on narrower
/// UI fonts (Segoe UI, San Francisco) text only ever ends up with more room
/// than planned, never overflowing.
fn char_em(c: char) -> f64 {
    match c {
        'i' | 'j' | 'l' | '\'' | 'I' => 0.3,
        '.' | ',' | ':' | ';' | '|' | '/' | ' ' => 0.34,
        'f' | '-' | '(' | ')' | '[' | ']' | '!' => 0.4,
        't' | 'r' => 0.42,
        'm' | 'W' | '@' | '%' | '—' => 1.0,
        'w' | 'M' => 0.88,
        'A'..='Z' => 0.74,
        '0'..='9' => 0.64,
        c if u32::from(c) >= 0x2E80 => 1.0,
        _ => 0.63,
    }
}

/// Bold glyphs are about a tenth wider.
fn weight_factor(bold: bool) -> f64 {
    if bold {
        1.1
    } else {
        1.0
    }
}

/// Estimated width of `s` in user units at font size `px`.
pub(crate) fn text_width(s: &str, px: f64, bold: bool) -> f64 {
    let em: f64 = s.chars().map(char_em).sum();
    em * px * weight_factor(bold)
}

/// `s` if it fits in `max` user units, otherwise its longest prefix that fits
/// followed by "…" (empty if not even the ellipsis fits).
pub(crate) fn fit(s: &str, max: f64, px: f64, bold: bool) -> String {
    if text_width(s, px, bold) <= max {
        return s.to_string();
    }
    let k = px * weight_factor(bold);
    let ellipsis = char_em('…') * k;
    if max.is_nan() || max < ellipsis {
        return String::new();
    }
    let mut budget = max - ellipsis;
    let mut out = String::new();
    for c in s.chars() {
        budget -= char_em(c) * k;
        if budget < 0.0 {
            break;
        }
        out.push(c);
    }
    // No dangling space before the ellipsis ("Very long …").
    let trimmed = out.trim_end();
    format!("{trimmed}…")
}

/// Wraps `s` onto at most two lines of `max` user units at word boundaries,
/// shortening the second (or a single over-long first word) with "…".
fn wrap2(s: &str, max: f64, px: f64) -> Vec<String> {
    if s.is_empty() || text_width(s, px, false) <= max {
        return vec![fit(s, max, px, false)];
    }
    let mut first = String::new();
    let mut rest_start = s.len();
    for (pos, word) in word_starts(s) {
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
    }
    if first.is_empty() {
        return vec![fit(s, max, px, false)];
    }
    let rest = s[rest_start..].trim();
    if rest.is_empty() {
        vec![first]
    } else {
        vec![first, fit(rest, max, px, false)]
    }
}

/// Words of `s` (split on single spaces, as produced by [`clean`]) with
/// their byte offsets.
fn word_starts(s: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut pos = 0;
    s.split(' ').map(move |w| {
        let start = pos;
        pos += w.len() + 1;
        (start, w)
    })
}

/// Escapes the five XML special characters.
pub(crate) fn escape(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
}

/// "Title. Label: text; label: text." for plots whose caller gave no
/// description, so `<desc>` is never empty.
fn fallback_description(title: &str, series: &[Item]) -> String {
    let mut d = String::new();
    if !title.is_empty() {
        d.push_str(title);
        d.push_str(". ");
    }
    if series.is_empty() {
        d.push_str("No data.");
        return d;
    }
    for (i, s) in series.iter().enumerate() {
        if i > 0 {
            d.push_str("; ");
        }
        d.push_str(&s.label);
        if !s.text.is_empty() {
            d.push_str(": ");
            d.push_str(&s.text);
        }
    }
    d.push('.');
    d
}

// ---------------------------------------------------------------------------
// Post-processing

/// Writes the root element, `<title>`, `<desc>` and the background card that
/// every chart of the book starts with (plots.rs and charts.rs alike).
pub(crate) fn svg_head(out: &mut String, w: u32, h: u32, title: &str, desc: &str) {
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"100%\" \
         style=\"max-width:{w}px;height:auto\" role=\"img\" font-family=\"{FONT}\" fill=\"#1F2937\">\n<title>"
    );
    escape(title, out);
    out.push_str("</title>\n<desc>");
    escape(desc, out);
    out.push_str("</desc>\n");
    // Own background card, so the chart stays legible on a dark page theme.
    // Inset by half the border width so the stroke is not clipped.
    let _ = writeln!(
        out,
        "<rect x=\"0.5\" y=\"0.5\" width=\"{}\" height=\"{}\" rx=\"8\" fill=\"#FFFFFF\" stroke=\"#E5E7EB\"/>",
        w.saturating_sub(1),
        h.saturating_sub(1)
    );
}

/// Turns plotters' raw document into the final one.
///
/// plotters writes `<svg width=.. height=.. viewBox=.. xmlns=..>` and, on
/// every element, attributes that restate defaults or repeat per element.
/// The patterns removed below all contain `"`, which plotters escapes in
/// text content, so caller text can never match them.
fn finish(raw: &str, w: u32, h: u32, title: &str, desc: &str) -> String {
    let body = raw.find('\n').map_or("", |i| &raw[i + 1..]);
    let mut out = String::with_capacity(body.len() + title.len() + desc.len() + 512);
    svg_head(&mut out, w, h, title, desc);

    let mut rest = body;
    while !rest.is_empty() {
        // Work tag by tag: copy text content, rewrite each tag.
        let Some(open) = rest.find('<') else {
            out.push_str(rest);
            break;
        };
        out.push_str(rest[..open].trim_matches('\n'));
        let Some(close) = rest[open..].find('>') else {
            out.push_str(&rest[open..]);
            break;
        };
        let tag = &rest[open..open + close + 1];
        rewrite_tag(tag, &mut out);
        rest = &rest[open + close + 1..];
        // Newlines only after elements, not inside <text>…</text>.
        if tag.ends_with("/>") || tag.starts_with("</") {
            out.push('\n');
        }
        rest = rest.strip_prefix('\n').unwrap_or(rest);
    }
    out
}

/// Writes one plotters tag with redundant attributes dropped and font sizes
/// normalised to at most one decimal, in a single pass without allocating
/// per attribute (this runs for every element of thousands of charts).
fn rewrite_tag(tag: &str, out: &mut String) {
    // Attributes equal to what the element gets anyway: SVG defaults, or
    // values the root now sets and the element inherits.
    fn redundant(key: &str, value: &str) -> bool {
        matches!(
            (key, value),
            ("opacity", "1") | ("stroke", "none") | ("fill", "#1F2937") | ("text-anchor", "start")
        ) || (key == "font-family" && value == FONT)
    }
    // Tags are `<name( key="value")*>` or `.../>`; values contain no `"`
    // because plotters escapes them. Anything else is copied unchanged.
    let (body, end) = match tag.strip_suffix("/>") {
        Some(b) => (b, "/>"),
        None => (tag.strip_suffix('>').unwrap_or(tag), ">"),
    };
    let mut rest = match body.find(' ') {
        Some(i) => {
            out.push_str(&body[..i]);
            &body[i..]
        }
        None => {
            out.push_str(tag);
            return;
        }
    };
    while let Some(attr) = rest.strip_prefix(' ') {
        let parsed = attr.split_once('=').and_then(|(key, after)| {
            let after = after.strip_prefix('"')?;
            let len = after.find('"')?;
            Some((key, &after[..len], &after[len + 1..]))
        });
        let Some((key, value, next)) = parsed else {
            out.push_str(rest);
            rest = "";
            break;
        };
        rest = next;
        if redundant(key, value) {
            continue;
        }
        out.push(' ');
        out.push_str(key);
        out.push_str("=\"");
        if key == "font-size" {
            // plotters writes size / 1.24, e.g. 12.000000000000002.
            let v: f64 = value.parse().unwrap_or(12.0);
            let _ = write!(out, "{}", (v * 10.0).round() / 10.0);
        } else {
            out.push_str(value);
        }
        out.push('"');
    }
    out.push_str(rest);
    out.push_str(end);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn timeline() -> Plot {
        Plot {
            kind: PlotKind::Timeline,
            title: "Where one training step's time goes".into(),
            axis_label: "Time per batch (ms)".into(),
            series: vec![
                Series {
                    label: "GPU compute".into(),
                    value: 5.05,
                    text: "5.05 ms".into(),
                    tone: Tone::Good,
                },
                Series {
                    label: "I/O wait".into(),
                    value: 1.6,
                    text: "1.60 ms".into(),
                    tone: Tone::Bad,
                },
                Series {
                    label: "Preprocess wait".into(),
                    value: 0.65,
                    text: "0.65 ms".into(),
                    tone: Tone::Warn,
                },
            ],
            description: "One step takes 7.30 ms: GPU compute 5.05 ms, I/O wait 1.60 ms, \
                          preprocess wait 0.65 ms."
                .into(),
        }
    }

    fn bars() -> Plot {
        Plot {
            kind: PlotKind::Bars,
            title: "Can the data arrive in time?".into(),
            axis_label: "Time per epoch (s)".into(),
            series: vec![
                Series {
                    label: "Transfer time".into(),
                    value: 64.2,
                    text: "64.2 s".into(),
                    tone: Tone::Bad,
                },
                Series {
                    label: "Training budget".into(),
                    value: 41.0,
                    text: "41.0 s".into(),
                    tone: Tone::Info,
                },
            ],
            description: "Transfer takes 64.2 s per epoch, longer than the 41.0 s of \
                          training it must feed."
                .into(),
        }
    }

    /// Structural validity without an XML parser: one root, balanced
    /// open/close tags, no raw '&' outside entities, no id attributes, and
    /// every number attribute integral or with at most one decimal.
    fn assert_valid(svg: &str) {
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.trim_end().ends_with("</svg>"));
        assert!(!svg.contains(" id="), "no id attributes");
        assert!(!svg.contains("NaN") && !svg.contains("=\"inf"), "{svg}");
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
            for num in tag.split('"').skip(1).step_by(2) {
                let decimals = num.split(' ').filter_map(|p| p.split_once('.'));
                for (a, b) in decimals {
                    if a.parse::<i64>().is_ok() && b.parse::<u64>().is_ok() {
                        assert!(b.len() <= 1, "too many decimals in {tag}");
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

    #[test]
    fn snapshot_timeline() {
        let svg = render_svg(&timeline());
        assert_valid(&svg);
        insta::assert_snapshot!(svg);
    }

    #[test]
    fn snapshot_bars() {
        let svg = render_svg(&bars());
        assert_valid(&svg);
        insta::assert_snapshot!(svg);
    }

    #[test]
    fn root_is_responsive_and_accessible() {
        for (plot, vb) in [(timeline(), "0 0 640 200"), (bars(), "0 0 480 320")] {
            let svg = render_svg(&plot);
            let head = svg.lines().next().unwrap();
            assert!(head.contains(&format!("viewBox=\"{vb}\"")), "{head}");
            assert!(head.contains("role=\"img\""));
            assert!(head.contains("width=\"100%\""));
            assert!(!head.contains("height=\""), "no fixed height: {head}");
            let mut lines = svg.lines().skip(1);
            assert!(lines.next().unwrap().starts_with("<title>"));
            assert!(lines.next().unwrap().starts_with("<desc>"));
        }
    }

    #[test]
    fn title_and_desc_are_escaped() {
        let mut p = timeline();
        p.title = "A<b> & \"c\" 'd'".into();
        p.description = "x < y && z > 'w' \"q\"".into();
        p.series[0].label = "<script>&".into();
        p.series[0].text = "5 \"ms\"".into();
        let svg = render_svg(&p);
        assert!(svg.contains(
            "<title>A&lt;b&gt; &amp; &quot;c&quot; &apos;d&apos;</title>\n\
             <desc>x &lt; y &amp;&amp; z &gt; &apos;w&apos; &quot;q&quot;</desc>"
        ));
        assert!(!svg.contains("<script>") && !svg.contains("<b>"));
        assert!(svg.contains("&lt;script&gt;&amp;: 5 &quot;ms&quot;"));
        assert_valid(&svg);
    }

    #[test]
    fn control_characters_are_removed() {
        let mut p = bars();
        p.title = "Line\u{0}one\nline\ttwo\u{1b}".into();
        let svg = render_svg(&p);
        assert!(svg.contains("<title>Line one line two</title>"));
        assert!(!svg.chars().any(|c| c.is_control() && c != '\n'));
    }

    #[test]
    fn empty_description_gets_a_fallback() {
        let mut p = timeline();
        p.description = "  ".into();
        let svg = render_svg(&p);
        assert!(svg.contains(
            "<desc>Where one training step&apos;s time goes. GPU compute: 5.05 ms; \
             I/O wait: 1.60 ms; Preprocess wait: 0.65 ms.</desc>"
        ));
    }

    #[test]
    fn deterministic() {
        for p in [timeline(), bars()] {
            assert_eq!(render_svg(&p), render_svg(&p.clone()));
        }
    }

    #[test]
    fn compact() {
        for p in [timeline(), bars()] {
            let svg = render_svg(&p);
            assert!(svg.len() < 6 * 1024, "{} bytes", svg.len());
        }
    }

    fn edge_cases() -> Vec<Vec<Series>> {
        let s = |label: &str, value: f64, tone| Series {
            label: label.into(),
            value,
            text: format!("{label} ms"),
            tone,
        };
        let long = "L".repeat(200);
        let words = "word ".repeat(40);
        vec![
            vec![],
            vec![
                s("not a number", f64::NAN, Tone::Good),
                s("one", 1.0, Tone::Bad),
            ],
            vec![s("a", 0.0, Tone::Good), s("b", 0.0, Tone::Warn)],
            vec![s("huge", 1e12, Tone::Info), s("more", 3e12, Tone::Accent)],
            vec![
                s("max", f64::MAX, Tone::Info),
                s("max", f64::MAX, Tone::Info),
            ],
            vec![
                s("infinite", f64::INFINITY, Tone::Info),
                s("neg", -5.0, Tone::Bad),
            ],
            vec![
                s("tiny", 1e-320, Tone::Neutral),
                s("small", 1e-7, Tone::Good),
            ],
            vec![s(&long, 3.0, Tone::Good), s(&words, 2.0, Tone::Warn)],
            (0..40)
                .map(|i| s(&format!("series {i}"), 1.0, Tone::Info))
                .collect(),
        ]
    }

    #[test]
    fn edge_cases_render_valid_svg() {
        for kind in [PlotKind::Timeline, PlotKind::Bars] {
            for series in edge_cases() {
                let plot = Plot {
                    kind,
                    title: "T".repeat(200),
                    axis_label: "A ".repeat(100),
                    series,
                    description: "d".repeat(200),
                };
                let svg = render_svg(&plot);
                assert_valid(&svg);
                assert!(svg.contains(&format!("<desc>{}</desc>", "d".repeat(200))));
                // Visible title is shortened; the full one stays in <title>.
                assert!(svg.contains(&format!("<title>{}</title>", "T".repeat(200))));
                assert!(svg.contains("T…"));
            }
        }
    }

    #[test]
    fn empty_series_says_no_data() {
        for kind in [PlotKind::Timeline, PlotKind::Bars] {
            let mut p = timeline();
            p.kind = kind;
            p.series.clear();
            assert!(render_svg(&p).contains(">No data</text>"));
        }
    }

    #[test]
    fn timeline_zero_segment_stays_in_legend() {
        let mut p = timeline();
        p.series[1].value = 0.0;
        p.series[1].text = "0.00 ms".into();
        let svg = render_svg(&p);
        assert!(svg.contains(">I/O wait: 0.00 ms</text>"));
        // Skipped in the bar: only two segment rects in the bar band of the
        // tone colours, and no red one at all.
        assert_eq!(svg.matches("#C62828").count(), 1, "swatch only");
        let with_bad = render_svg(&timeline());
        assert_eq!(with_bad.matches("#C62828").count(), 2, "segment + swatch");
    }

    #[test]
    fn timeline_labels_only_inside_wide_segments() {
        let svg = render_svg(&timeline());
        // 5.05 ms is wide enough for its label, 0.65 ms is not.
        assert!(svg.contains("fill=\"#FFFFFF\" font-weight=\"bold\">5.05 ms</text>"));
        assert_eq!(svg.matches(">0.65 ms</text>").count(), 0);
        assert!(svg.contains(">Preprocess wait: 0.65 ms</text>"));
    }

    #[test]
    fn timeline_grows_for_a_long_legend() {
        let mut p = timeline();
        p.series = (0..30)
            .map(|i| Series {
                label: format!("Segment number {i}"),
                value: 1.0,
                text: "1 ms".into(),
                tone: Tone::Neutral,
            })
            .collect();
        let svg = render_svg(&p);
        let h: i32 = svg
            .split_once("viewBox=\"0 0 640 ")
            .and_then(|(_, r)| r.split('"').next())
            .and_then(|h| h.parse().ok())
            .unwrap();
        assert!(h > TIMELINE_H as i32, "{h}");
        // The last entry is drawn, and inside the enlarged canvas.
        let last = svg
            .lines()
            .find(|l| l.ends_with(">Segment number 29: 1 ms</text>"))
            .unwrap();
        let y: i32 = last.split('"').nth(3).unwrap().parse().unwrap();
        assert!(y < h - 10, "{y} vs {h}");
    }

    #[test]
    fn nice_axis_table() {
        let cases = [
            (7.3, 8.0, 2.0),
            (64.2, 80.0, 20.0),
            (0.84, 1.0, 0.2),
            (10.0, 10.0, 2.0),
            (1.0, 1.0, 0.2),
            (3.0, 3.0, 1.0),
            (11.0, 12.0, 2.0),
            (41.0, 50.0, 10.0),
            (0.06, 0.06, 0.02),
            (1e12, 1e12, 2e11),
            (0.0, 1.0, 0.2),
            (-3.0, 1.0, 0.2),
            (f64::NAN, 1.0, 0.2),
            (f64::INFINITY, 1.0, 0.2),
        ];
        for (v, max, step) in cases {
            let a = nice_axis(v);
            assert!((a.max - max).abs() <= 1e-9 * max, "{v} → {a:?}");
            assert!((a.step - step).abs() <= 1e-9 * step, "{v} → {a:?}");
            assert!(a.max >= v || !v.is_finite() || v <= 0.0);
            assert!((3..=6).contains(&a.n));
        }
        let a = nice_axis(f64::MAX);
        assert!(a.max.is_finite() && a.max >= f64::MAX * 0.999);
    }

    #[test]
    fn axis_labels() {
        assert_eq!(nice_axis(7.3).labels(), ["0", "2", "4", "6", "8"]);
        assert_eq!(
            nice_axis(0.84).labels(),
            ["0", "0.2", "0.4", "0.6", "0.8", "1.0"]
        );
        assert_eq!(
            nice_axis(2.3).labels(),
            ["0", "0.5", "1.0", "1.5", "2.0", "2.5"]
        );
        assert_eq!(nice_axis(2.9).labels(), ["0", "1", "2", "3"]);
        assert_eq!(nice_axis(3.1e12).labels(), ["0", "1T", "2T", "3T", "4T"]);
        assert_eq!(
            nice_axis(45_000.0).labels(),
            ["0", "10k", "20k", "30k", "40k", "50k"]
        );
        assert_eq!(nice_axis(2e16).labels()[1], "5.0e15");
    }

    #[test]
    fn fit_and_wrap() {
        assert_eq!(fit("short", 100.0, 12.0, false), "short");
        let f = fit(&"x".repeat(200), 100.0, 12.0, false);
        assert!(f.ends_with('…') && text_width(&f, 12.0, false) <= 100.0);
        assert_eq!(fit("anything", 2.0, 12.0, false), "");
        assert_eq!(wrap2("Training budget", 200.0, 12.0), ["Training budget"]);
        assert_eq!(wrap2("Training budget", 60.0, 12.0), ["Training", "budget"]);
        let w = wrap2(&"word ".repeat(40), 100.0, 12.0);
        assert_eq!(w.len(), 2);
        assert!(w[1].ends_with('…'));
    }
}
