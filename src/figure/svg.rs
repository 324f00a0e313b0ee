//! The one SVG writer of the figures.
//!
//! Every figure starts the same way: a responsive root (`viewBox`, full
//! width, no fixed height) with `role="img"`, `<title>` and `<desc>` as its
//! first children, and a rounded background card. Every number goes through
//! [`push_num`], so coordinates have at most one decimal and NaN can never
//! reach the output; every colour goes through [`Paint`], so it is written
//! both as a concrete attribute and as a class the page can recolour.

use super::palette::Paint;
use std::fmt::Write as _;

/// Generic family only: the book is offline and must not ship font files.
pub(crate) const FONT: &str = "system-ui, sans-serif";

/// Font sizes in user units.
pub(crate) const TITLE_PX: u32 = 15;
pub(crate) const LABEL_PX: u32 = 12;
pub(crate) const TICK_PX: u32 = 11;
pub(crate) const VALUE_PX: u32 = 13;

/// Side padding inside the background card.
pub(crate) const PAD: f64 = 16.0;

/// Horizontal anchoring of a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Anchor {
    Start,
    Middle,
    End,
}

/// How a text is drawn. `px == 0` and `fill == None` inherit from the
/// parent (a group, or the root, whose fill is [`Paint::Text`]).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Style {
    pub px: u32,
    pub bold: bool,
    pub fill: Option<Paint>,
    pub anchor: Anchor,
}

impl Style {
    pub(crate) const fn new(px: u32, fill: Paint, anchor: Anchor) -> Style {
        Style {
            px,
            bold: false,
            fill: Some(fill),
            anchor,
        }
    }

    /// Size and colour from the enclosing group.
    pub(crate) const fn inherit(anchor: Anchor) -> Style {
        Style {
            px: 0,
            bold: false,
            fill: None,
            anchor,
        }
    }

    pub(crate) const fn bold(self) -> Style {
        Style { bold: true, ..self }
    }
}

/// The document being written.
pub(crate) struct Svg {
    out: String,
}

impl Svg {
    /// Root element, `<title>`, `<desc>` and the card.
    pub(crate) fn new(w: u32, h: u32, title: &str, desc: &str) -> Svg {
        let mut out = String::with_capacity(4096);
        let _ = write!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"100%\" \
             style=\"max-width:{w}px;height:auto\" role=\"img\" font-family=\"{FONT}\" fill=\"{}\" \
             class=\"fig\">\n<title>",
            Paint::Text.hex()
        );
        escape(title, &mut out);
        out.push_str("</title>\n<desc>");
        escape(desc, &mut out);
        out.push_str("</desc>\n");
        let mut svg = Svg { out };
        // Own background card, so the chart keeps its contrast on any page
        // background. Inset by half the border width so the stroke is not
        // clipped.
        svg.out.push_str("<rect x=\"0.5\" y=\"0.5\"");
        svg.num_attr("width", f64::from(w.saturating_sub(1)));
        svg.num_attr("height", f64::from(h.saturating_sub(1)));
        svg.out.push_str(" rx=\"8\"");
        svg.paint(Some(Paint::Card), Some(Paint::Grid));
        svg.out.push_str("/>\n");
        svg
    }

    pub(crate) fn finish(mut self) -> String {
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

    /// ` fill="…" stroke="…" class="f-… s-…"` for the paints given.
    fn paint(&mut self, fill: Option<Paint>, stroke: Option<Paint>) {
        for (key, p) in [("fill", fill), ("stroke", stroke)] {
            if let Some(p) = p {
                let _ = write!(self.out, " {key}=\"{}\"", p.hex());
            }
        }
        let classes: Vec<String> = [('f', fill), ('s', stroke)]
            .iter()
            .filter_map(|(k, p)| p.map(|p| format!("{k}-{}", p.class())))
            .collect();
        if !classes.is_empty() {
            let _ = write!(self.out, " class=\"{}\"", classes.join(" "));
        }
    }

    /// Opens a group painting its children; `extra` holds further
    /// attributes, each with its leading space.
    pub(crate) fn open(&mut self, fill: Option<Paint>, stroke: Option<Paint>, extra: &str) {
        self.out.push_str("<g");
        self.out.push_str(extra);
        self.paint(fill, stroke);
        self.out.push_str(">\n");
    }

    pub(crate) fn close(&mut self) {
        self.out.push_str("</g>\n");
    }

    /// Filled rectangle between two corners (in any order). Used for 1-unit
    /// lines too, on integer coordinates, where a stroke would blur.
    pub(crate) fn rect(&mut self, x0: f64, y0: f64, x1: f64, y1: f64, fill: Option<Paint>) {
        self.out.push_str("<rect");
        self.num_attr("x", x0.min(x1));
        self.num_attr("y", y0.min(y1));
        self.num_attr("width", (x1 - x0).abs());
        self.num_attr("height", (y1 - y0).abs());
        self.paint(fill, None);
        self.out.push_str("/>\n");
    }

    /// Stroked straight line from `a` to `b`, optionally dashed (`dash` =
    /// dasharray); `stroke` `None` inherits.
    pub(crate) fn line(
        &mut self,
        a: (f64, f64),
        b: (f64, f64),
        stroke: Option<Paint>,
        width: f64,
        dash: &str,
    ) {
        self.out.push_str("<line");
        self.num_attr("x1", a.0);
        self.num_attr("y1", a.1);
        self.num_attr("x2", b.0);
        self.num_attr("y2", b.1);
        self.num_attr("stroke-width", width);
        if !dash.is_empty() {
            let _ = write!(self.out, " stroke-dasharray=\"{dash}\"");
        }
        self.paint(None, stroke);
        self.out.push_str("/>\n");
    }

    /// Circle; `stroke` is (paint, width) or `None`.
    pub(crate) fn circle(
        &mut self,
        (cx, cy): (f64, f64),
        r: f64,
        fill: Option<Paint>,
        stroke: Option<(Paint, f64)>,
    ) {
        self.out.push_str("<circle");
        self.num_attr("cx", cx);
        self.num_attr("cy", cy);
        self.num_attr("r", r);
        if let Some((_, width)) = stroke {
            self.num_attr("stroke-width", width);
        }
        self.paint(fill, stroke.map(|s| s.0));
        self.out.push_str("/>\n");
    }

    /// `<path d="…"` with `extra` attributes (each with its leading space)
    /// and the paints.
    pub(crate) fn path(
        &mut self,
        d: &str,
        fill: Option<Paint>,
        stroke: Option<Paint>,
        extra: &str,
    ) {
        if d.is_empty() {
            return;
        }
        self.out.push_str("<path d=\"");
        self.out.push_str(d);
        self.out.push('"');
        self.out.push_str(extra);
        self.paint(fill, stroke);
        self.out.push_str("/>\n");
    }

    /// Single-line text vertically centred on `y` (`dy="0.5ex"`).
    pub(crate) fn text(&mut self, x: f64, y: f64, s: &str, st: Style) {
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
        if st.bold {
            self.out.push_str(" font-weight=\"bold\"");
        }
        // The root's fill is the text colour: no need to repeat it.
        self.paint(st.fill.filter(|p| *p != Paint::Text), None);
        self.out.push('>');
        escape(s, &mut self.out);
        self.out.push_str("</text>\n");
    }

    /// The chart's heading, top left, shortened to the card's width.
    pub(crate) fn title(&mut self, title: &str, width: f64) {
        let st = Style::new(TITLE_PX, Paint::Text, Anchor::Start).bold();
        let t = super::metrics::fit(title, width - 2.0 * PAD, f64::from(TITLE_PX), true);
        self.text(PAD, 24.0, &t, st);
    }

    pub(crate) fn no_data(&mut self, x: f64, y: f64) {
        self.text(
            x,
            y,
            "No data",
            Style::new(LABEL_PX, Paint::Muted, Anchor::Middle),
        );
    }
}

pub(crate) use crate::format::escape::xml_into as escape;

/// Writes `v` rounded to one decimal, without a trailing ".0"; non-finite
/// values (which layout code should never produce) are written as 0 so the
/// document always stays valid.
pub(crate) fn push_num(out: &mut String, v: f64) {
    let t = if v.is_finite() {
        (v * 10.0).round().clamp(-1e15, 1e15) as i64
    } else {
        0
    };
    push_tenths(out, t);
}

/// Writes a number given in tenths, e.g. -3 as "-0.3" and 120 as "12".
pub(crate) fn push_tenths(out: &mut String, t: i64) {
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
pub(crate) fn push_pair(d: &mut String, x: f64, y: f64) {
    push_num(d, x);
    d.push(' ');
    push_num(d, y);
}
