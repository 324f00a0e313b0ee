//! Chart declarations, as checked: kinds, series, axes, markers, guides,
//! gauge bands and Sankey nodes and flows.

use super::{Display, Location, Quantity, Text, Tone};

/// The chart kinds labgen draws.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlotKind {
    /// One stacked horizontal bar.
    Timeline,
    /// Side-by-side vertical bars.
    Bars,
    /// Lines over a control's range, with markers and guides.
    Curves,
    /// One line per option of a select control, plateaus marked.
    Saturation,
    /// A dial with coloured bands.
    Gauge,
    /// Polygons on radial axes.
    Radar,
    /// Steps that add up to a total.
    Waterfall,
    /// Flows between nodes in columns.
    Sankey,
}

impl PlotKind {
    /// Every kind with its YAML name.
    pub const ALL: [(PlotKind, &'static str); 8] = [
        (PlotKind::Timeline, "timeline"),
        (PlotKind::Bars, "bars"),
        (PlotKind::Curves, "curves"),
        (PlotKind::Saturation, "saturation"),
        (PlotKind::Gauge, "gauge"),
        (PlotKind::Radar, "radar"),
        (PlotKind::Waterfall, "waterfall"),
        (PlotKind::Sankey, "sankey"),
    ];

    /// The YAML name.
    pub fn name(self) -> &'static str {
        PlotKind::ALL
            .iter()
            .find(|(k, _)| *k == self)
            .map_or("plot", |(_, n)| n)
    }
}

/// The x axis of a curves or saturation plot: a control swept over its range.
#[derive(Clone, Debug)]
pub struct CurveSpec {
    /// The control along x.
    pub over: String,
    /// Where `over` was written.
    pub over_loc: Location,
    /// A select control drawn as one line per option (saturation plots).
    pub per: Option<(String, Location)>,
    /// Points per line.
    pub samples: usize,
    /// The x axis title, without its unit.
    pub x_label: String,
    /// The x axis unit.
    pub x_display: Display,
    /// Where the x unit was written.
    pub x_unit_loc: Option<Location>,
    /// Whether x is on a log10 scale.
    pub x_log: bool,
    /// Whether y is on a log10 scale.
    pub y_log: bool,
    /// Points marked on lines.
    pub markers: Vec<MarkerSpec>,
    /// Vertical lines.
    pub guides: Vec<GuideSpec>,
}

/// How a marker is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarkerStyle {
    /// A filled dot: a minimum or maximum.
    Optimum,
    /// A ring with a line down to the x axis.
    Crossover,
    /// A dot with a line across to the y axis.
    Point,
}

/// A point on a line at x = a model value.
#[derive(Clone, Debug)]
pub struct MarkerSpec {
    /// The model value giving x.
    pub at: String,
    /// Where it was written.
    pub at_loc: Location,
    /// The series whose line it sits on; `None` for the first.
    pub series: Option<(String, Location)>,
    /// Its label (live).
    pub label: Text,
    /// How it is drawn.
    pub style: MarkerStyle,
    /// Colour role; `None` for the line's.
    pub tone: Option<Tone>,
}

/// A vertical line at x = a model value.
#[derive(Clone, Debug)]
pub struct GuideSpec {
    /// The model value giving x.
    pub at: String,
    /// Where it was written.
    pub at_loc: Location,
    /// Its label (live).
    pub label: Text,
    /// Colour role.
    pub tone: Option<Tone>,
}

/// A Sankey node.
#[derive(Clone, Debug)]
pub struct NodeSpec {
    /// Label.
    pub label: String,
    /// Column, from the left.
    pub column: usize,
    /// Colour role.
    pub tone: Option<Tone>,
}

/// A Sankey flow between two nodes (indices into the nodes).
#[derive(Clone, Debug)]
pub struct FlowSpec {
    /// Source node.
    pub from: usize,
    /// Target node.
    pub to: usize,
    /// The model value giving its size.
    pub value: String,
    /// Where it was written.
    pub loc: Location,
    /// Colour role.
    pub tone: Option<Tone>,
}

/// What a plot kind needs beyond a title and series.
#[derive(Clone, Debug)]
pub enum PlotDetail {
    /// Timelines and bars: the series only.
    Plain,
    /// Curves and saturation plots.
    Curves(CurveSpec),
    /// A gauge: one value between two ends, with coloured bands.
    Gauge {
        /// The value shown.
        value: String,
        /// Where it was written.
        loc: Location,
        /// The ends and band limits as written.
        min: Quantity,
        /// Upper end.
        max: Quantity,
        /// Bands: upper limit and colour.
        bands: Vec<(Quantity, Tone)>,
        /// Where the ends were written, for unit errors.
        range_loc: Location,
    },
    /// A radar: one axis per label; each series gives one value per axis.
    Radar {
        /// Axis labels.
        axes: Vec<String>,
        /// Whether radii are on a log10 scale.
        log: bool,
    },
    /// A waterfall: the series add up; an optional total bar.
    Waterfall {
        /// The total bar's label.
        total: Option<String>,
    },
    /// A Sankey diagram.
    Sankey {
        /// Nodes.
        nodes: Vec<NodeSpec>,
        /// Flows.
        flows: Vec<FlowSpec>,
    },
}

/// A chart declaration.
#[derive(Clone, Debug)]
pub struct PlotSpec {
    /// Kind of chart.
    pub kind: PlotKind,
    /// Title (live).
    pub title: Text,
    /// Unit of the value axis.
    pub display: Display,
    /// Value axis label, without the unit.
    pub axis: String,
    /// Bars, segments, lines or polygons.
    pub series: Vec<SeriesSpec>,
    /// What the kind needs beyond that.
    pub detail: PlotDetail,
    /// Where the plot was declared.
    pub loc: Location,
}

/// One bar or segment.
#[derive(Clone, Debug)]
pub struct SeriesSpec {
    /// Name of the value.
    pub value: String,
    /// Where the name was written.
    pub loc: Location,
    /// Legend label.
    pub label: String,
    /// Colour role; `None` picks by position.
    pub tone: Option<Tone>,
    /// Drawn as a dashed line (curves).
    pub dashed: bool,
    /// A radar polygon's values, one per axis (with where each was written).
    pub values: Vec<(String, Location)>,
}
