//! The one colour table of every figure, for light and dark pages.
//!
//! The series colours are Okabe and Ito's palette ("Color Universal Design",
//! Okabe & Ito 2008, <https://jfly.uni-koeln.de/color/>): eight colours chosen
//! to stay apart for readers with any common colour-vision deficiency. The
//! status roles of the missions map onto it (good = bluish green, warn =
//! orange, bad = vermillion, info = blue), so a chart that marks a verdict
//! and one that merely tells series apart use the same eight colours; grey
//! replaces Okabe-Ito's black, which would read as text.
//!
//! Every colour is written into the SVG as a plain attribute (`fill="#0072B2"`),
//! so the PDF (Typst reads SVG without stylesheets) and a saved SVG file get
//! concrete colours. Each painted element also carries a short class
//! (`f-info` for a fill, `s-info` for a stroke); the page's stylesheet
//! (`theme/labgen.css`, block written by [`dark_css`]) recolours those
//! classes under `prefers-color-scheme: dark`, where CSS rules beat the
//! presentation attributes. One table below holds both variants.

use std::fmt::Write as _;

/// Colour role of a series, segment, band, node or marker.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Tone {
    /// Grey: context, nothing to judge.
    Neutral,
    /// Bluish green: the desirable part.
    Good,
    /// Orange: worth a look.
    Warn,
    /// Vermillion: the problem.
    Bad,
    /// Blue: informational.
    Info,
    /// Reddish purple: highlight.
    Accent,
    /// Sky blue: a further series.
    Sky,
    /// Yellow: a further series (light; best as a fill).
    Yellow,
}

impl Tone {
    /// Every tone, in the order series take them when a plot names none:
    /// the strongest contrasts first, yellow and grey last.
    pub const SERIES: [Tone; 8] = [
        Tone::Info,
        Tone::Bad,
        Tone::Warn,
        Tone::Accent,
        Tone::Good,
        Tone::Sky,
        Tone::Yellow,
        Tone::Neutral,
    ];

    /// The tone of the `k`-th series of a plot that names none; repeats
    /// only after all eight.
    pub fn series(k: usize) -> Tone {
        Tone::SERIES[k % Tone::SERIES.len()]
    }
}

/// Anything the figures paint: a tone, or one of the chart's own inks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Paint {
    /// A series colour.
    Tone(Tone),
    /// Text drawn on a fill of the given tone.
    On(Tone),
    /// Main text (the root's fill, inherited by every text).
    Text,
    /// Secondary text: axis titles, tick labels.
    Muted,
    /// Gridlines and the card's border.
    Grid,
    /// Minor gridlines, empty tracks.
    Track,
    /// Axis lines and tick marks.
    Axis,
    /// The card's background; also halos and separators, which must match it.
    Card,
}

/// (class name, light colour, dark colour) of a paint.
fn entry(p: Paint) -> (&'static str, &'static str, &'static str) {
    match p {
        Paint::Tone(t) => match t {
            Tone::Neutral => ("neutral", "#6B7280", "#9CA3AF"),
            Tone::Good => ("good", "#009E73", "#2FC597"),
            Tone::Warn => ("warn", "#E69F00", "#F2B638"),
            Tone::Bad => ("bad", "#D55E00", "#FF8A3D"),
            Tone::Info => ("info", "#0072B2", "#4FA3E0"),
            Tone::Accent => ("accent", "#CC79A7", "#E49BC5"),
            Tone::Sky => ("sky", "#56B4E9", "#9AD3F5"),
            Tone::Yellow => ("yellow", "#F0E442", "#F5EC7A"),
        },
        // White on the light fills is below 3:1, so they take dark text;
        // every dark-theme fill is light, so dark text there throughout.
        Paint::On(t) => match t {
            Tone::Warn | Tone::Sky | Tone::Yellow | Tone::Accent => {
                ("on-light", "#1F2937", "#14161A")
            }
            _ => ("on", "#FFFFFF", "#14161A"),
        },
        Paint::Text => ("text", "#1F2937", "#E6E8EB"),
        Paint::Muted => ("muted", "#4B5563", "#A3AAB4"),
        Paint::Grid => ("grid", "#E5E7EB", "#343A43"),
        Paint::Track => ("track", "#F3F4F6", "#23272E"),
        Paint::Axis => ("axis", "#9CA3AF", "#6B7280"),
        Paint::Card => ("card", "#FFFFFF", "#1C1F24"),
    }
}

impl Paint {
    /// The concrete (light) colour, as uppercase hex.
    pub fn hex(self) -> &'static str {
        entry(self).1
    }

    /// Class name without the `f-`/`s-` prefix.
    pub fn class(self) -> &'static str {
        entry(self).0
    }
}

impl From<Tone> for Paint {
    fn from(t: Tone) -> Paint {
        Paint::Tone(t)
    }
}

/// Every paint once per class name, in a fixed order.
fn all_paints() -> Vec<Paint> {
    let mut out: Vec<Paint> = Tone::SERIES.iter().map(|&t| Paint::Tone(t)).collect();
    out.extend([Paint::On(Tone::Info), Paint::On(Tone::Warn)]);
    out.extend([
        Paint::Text,
        Paint::Muted,
        Paint::Grid,
        Paint::Track,
        Paint::Axis,
        Paint::Card,
    ]);
    out
}

/// The dark-theme block of `theme/labgen.css`: one rule per paint and
/// attribute, scoped to the figures (`svg.fig`). A test keeps the stylesheet
/// equal to this, so the table above is the only place colours are set.
pub fn dark_css() -> String {
    // Screen only: a printed page is white whatever the system theme.
    let mut css = String::from("@media screen and (prefers-color-scheme: dark) {\n");
    let _ = writeln!(css, "  svg.fig {{ fill: {}; }}", entry(Paint::Text).2);
    for p in all_paints() {
        let (class, _, dark) = entry(p);
        let _ = writeln!(
            css,
            "  svg.fig .f-{class} {{ fill: {dark}; }} svg.fig .s-{class} {{ stroke: {dark}; }}"
        );
    }
    css.push_str("}\n");
    css
}
