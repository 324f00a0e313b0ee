//! Throughput curves with each plateau marked: a thin layer over
//! [`Curves`], drawn by its renderer.

use super::curves::{Curve, Curves, Marker, MarkerKind};
use super::palette::Tone;
use super::Axis;

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
