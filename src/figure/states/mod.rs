//! STAGE: every plot of the book drawn at every state of the controls it
//! depends on, once, as plain data ([`Figures`]): the HTML page interns the
//! SVGs and tables into its cells, the PDF embeds each plot's default state.
//!
//! A curves or saturation plot draws its lines by evaluating the model at
//! sample points along its `over` control (between the control's positions,
//! with [`Model::eval_with`]), so a line does not depend on where that
//! control sits and is computed once per state of the *other* controls.
//! Every chart's scales are fixed over all its states (round ends covering
//! everything any state draws), so moving a control moves the data, not the
//! axes. Like the renderers this is pure: the same mission gives the same
//! bytes.
//!
//! [`Model::eval_with`]: crate::model::Model::eval_with

mod curves;
mod kinds;

use super::grid::{self, union};
use super::{nice_range, render, waterfall_extent, Figure, Scale, Series, Tone, Values};
use crate::book::plain::plain_text;
use crate::book::Lab;
use crate::diag::Diagnostics;
use crate::format::escape;
use crate::format::{show, DisplayUnit};
use crate::mission::{self, Display, Instrument, PlotDetail, PlotKind, PlotSpec, Text};
use crate::sweep::{self, Axis, Mode, Table};
use std::collections::BTreeMap;

/// One plot over its grid: per state, its SVG and its data table.
#[derive(Debug, Clone, PartialEq)]
pub struct Plot {
    /// The controls (and track) the plot depends on.
    pub axes: Vec<Axis>,
    /// Every state of `axes`, in row-major order ([`grid::states`]).
    pub states: Vec<(usize, Vec<usize>)>,
    /// The SVG of each state.
    pub svgs: Vec<String>,
    /// The data table (HTML) of each state.
    pub tables: Vec<String>,
    /// The state a page starts in.
    pub initial: usize,
}

/// Every plot of a book, by virtual path ([`figure_path`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Figures {
    plots: BTreeMap<String, Plot>,
}

impl Figures {
    /// The plot at `path`.
    pub fn plot(&self, path: &str) -> Option<&Plot> {
        self.plots.get(path)
    }

    /// The SVG of the plot at `path` in the state a page starts in, which
    /// the print edition embeds.
    pub fn get(&self, path: &str) -> Option<&String> {
        self.plots.get(path).and_then(|p| p.svgs.get(p.initial))
    }
}

/// Where plot `k` of an act's simulator is filed (and where the print
/// edition finds its SVG).
pub fn figure_path(lab: &str, act: &str, k: usize) -> String {
    format!("/plots/{lab}-{act}-{k}.svg")
}

/// Draws every plot of every lab (labs in parallel).
pub fn draw(labs: &[Lab]) -> Result<Figures, Diagnostics> {
    use rayon::prelude::*;
    let drawn: Vec<_> = labs.par_iter().map(lab_plots).collect();
    let mut figures = Figures::default();
    let mut diags = Diagnostics::new();
    for d in drawn {
        match d {
            Ok(plots) => figures.plots.extend(plots),
            Err(d) => diags.extend(d),
        }
    }
    if diags.has_errors() {
        return Err(diags);
    }
    Ok(figures)
}

fn lab_plots(lab: &Lab) -> Result<Vec<(String, Plot)>, Diagnostics> {
    let mut ctx = Ctx {
        lab,
        defaults: sweep::track_defaults(lab.mission),
        entries: Vec::new(),
    };
    let mut out = Vec::new();
    for act in &lab.mission.acts {
        let Some(sim) = &act.simulator else { continue };
        for (k, inst) in sim.instruments.iter().enumerate() {
            if let Instrument::Plot(p) = inst {
                let plot = match p.kind {
                    PlotKind::Timeline | PlotKind::Bars => values_plot(&ctx, p)?,
                    _ => chart_plot(&mut ctx, p)?,
                };
                out.push((figure_path(&lab.mission.id, &act.id, k), plot));
            }
        }
    }
    Ok(out)
}

/// One lab as the drawing code reads it.
pub(crate) struct Ctx<'a> {
    lab: &'a Lab<'a>,
    /// Default positions per track.
    defaults: Vec<Vec<usize>>,
    /// The model entries the chart being drawn needs.
    entries: Vec<usize>,
}

impl<'a> Ctx<'a> {
    /// A text at one state, as plain text (for SVG titles).
    fn plain_at(&self, t: &Text, track: usize, pos: &[usize]) -> String {
        plain_text(self.lab, t, Mode::Live, track, pos)
    }

    fn live_table(&self, name: &str) -> Result<&'a Table, Diagnostics> {
        grid::live_table(self.lab, name)
    }

    fn states(&self, axes: &[Axis]) -> Vec<(usize, Vec<usize>)> {
        grid::states(self.lab, &self.defaults, axes)
    }

    /// Evaluates the model at one state with the swept control set to `x`.
    fn at(&self, track: usize, pos: &[usize], set: Option<(usize, f64)>) -> Vec<f64> {
        let model = self.lab.model;
        let mut out = vec![0.0; model.len()];
        model.eval_some(track, pos, set, Some(&self.entries), &mut out);
        out
    }

    /// The value of `name` in an evaluated state.
    fn read(&self, values: &[f64], name: &str) -> Result<f64, Diagnostics> {
        let slot = self
            .lab
            .model
            .slot(name)
            .ok_or_else(|| Diagnostics::internal(format_args!("unresolved name {name}")))?;
        Ok(values[slot])
    }
}

/// The figure tone of a mission tone.
pub(crate) fn tone_of(t: mission::Tone) -> Tone {
    match t {
        mission::Tone::Good => Tone::Good,
        mission::Tone::Warn => Tone::Warn,
        mission::Tone::Bad => Tone::Bad,
        mission::Tone::Info => Tone::Info,
    }
}

/// A value in base units, in a display unit's numbers.
fn in_unit(v: f64, unit: &DisplayUnit) -> f64 {
    match unit {
        DisplayUnit::Unit(u) => v / u.factor,
        DisplayUnit::Percent => v * 100.0,
        other => show(v, other, None).number,
    }
}

/// The unit label of a display unit (`min`, `%`, empty when dimensionless).
fn unit_label(d: &Display) -> String {
    show(1.0, &d.unit, d.digits).unit
}

/// `Title (unit)`, or either part alone.
fn titled(label: &str, unit: &str) -> String {
    match (label.is_empty(), unit.is_empty()) {
        (_, true) => label.to_string(),
        (true, false) => unit.to_string(),
        (false, false) => format!("{label} ({unit})"),
    }
}

/// A two-column data table: label and value per row.
fn single_table(title: &str, rows: &[(String, String)], head: (&str, &str)) -> String {
    let mut table = format!(
        "<table class=\"plot-data\"><caption>{}</caption><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
        escape::html(title),
        escape::html(head.0),
        escape::html(head.1)
    );
    for (l, v) in rows {
        table.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td>{}</td></tr>",
            escape::html(l),
            escape::html(v)
        ));
    }
    table.push_str("</tbody></table>");
    table
}

/// A timeline or bar chart: one value per series, each a live table.
fn values_plot(ctx: &Ctx, p: &PlotSpec) -> Result<Plot, Diagnostics> {
    let mut axes = grid::text_axes(ctx.lab, &p.title);
    let mut tables = Vec::new();
    for s in &p.series {
        let t = ctx.live_table(&s.value)?;
        axes.extend(t.axes.iter().copied());
        tables.push(t);
    }
    let axes = union(axes);
    let states = ctx.states(&axes);
    let mut svgs = Vec::with_capacity(states.len());
    let mut table_html = Vec::with_capacity(states.len());
    for (track, pos) in &states {
        let title = ctx.plain_at(&p.title, *track, pos);
        let mut series = Vec::new();
        let mut unit_label = String::new();
        for (k, (s, t)) in p.series.iter().zip(&tables).enumerate() {
            let v = t.values[t.index(*track, pos)];
            let shown = show(v, &p.display.unit, p.display.digits);
            unit_label = shown.unit.clone();
            series.push(Series {
                label: s.label.clone(),
                value: shown.number,
                text: shown.text,
                tone: s.tone.map(tone_of).unwrap_or(Tone::series(k)),
            });
        }
        let rows: Vec<(String, String)> = series
            .iter()
            .map(|s| (s.label.clone(), s.text.clone()))
            .collect();
        let description = rows
            .iter()
            .map(|(l, t)| format!("{l}: {t}"))
            .collect::<Vec<_>>()
            .join("; ");
        let values = Values {
            title: title.clone(),
            axis_label: titled(&p.axis, &unit_label),
            series,
            description: format!("{title}. {description}."),
        };
        svgs.push(render(&match p.kind {
            PlotKind::Timeline => Figure::Timeline(values),
            _ => Figure::Bars(values),
        }));
        table_html.push(single_table(&title, &rows, ("Series", "Value")));
    }
    let initial = grid::initial(&states, &ctx.defaults);
    Ok(Plot {
        axes,
        states,
        svgs,
        tables: table_html,
        initial,
    })
}

/// One state's figure and table, before the scales are fixed.
struct Drawn {
    chart: Figure,
    table: String,
}

/// The grid of a chart of a kind beyond timelines and bars: every value it
/// reads, except the controls a curve sweeps itself (its x control, and
/// `per`).
fn chart_axes(ctx: &Ctx, p: &PlotSpec) -> Result<Vec<Axis>, Diagnostics> {
    let m = ctx.lab.mission;
    let control_of = |name: &str| m.controls.iter().position(|c| c.id == name);
    let swept: Vec<Axis> = match &p.detail {
        PlotDetail::Curves(c) => [
            Some(c.over.as_str()),
            c.per.as_ref().map(|(n, _)| n.as_str()),
        ]
        .into_iter()
        .flatten()
        .filter_map(control_of)
        .map(Axis::Control)
        .collect(),
        _ => Vec::new(),
    };
    let mut axes = grid::text_axes(ctx.lab, &p.title);
    for s in &p.series {
        for name in std::iter::once(&s.value)
            .filter(|v| !v.is_empty())
            .chain(s.values.iter().map(|(v, _)| v))
        {
            let t = ctx.live_table(name)?;
            axes.extend(t.axes.iter().copied().filter(|a| !swept.contains(a)));
        }
    }
    let mut labels: Vec<&Text> = Vec::new();
    let mut read: Vec<&String> = Vec::new();
    match &p.detail {
        PlotDetail::Curves(c) => {
            read.extend(c.markers.iter().map(|k| &k.at));
            read.extend(c.guides.iter().map(|g| &g.at));
            labels.extend(c.markers.iter().map(|k| &k.label));
            labels.extend(c.guides.iter().map(|g| &g.label));
        }
        PlotDetail::Gauge { value, .. } => read.push(value),
        PlotDetail::Sankey { flows, .. } => read.extend(flows.iter().map(|f| &f.value)),
        _ => {}
    }
    for name in read {
        axes.extend(ctx.live_table(name)?.axes.iter().copied());
    }
    for t in labels {
        axes.extend(grid::text_axes(ctx.lab, t));
    }
    Ok(union(axes))
}

/// A chart of a kind beyond timelines and bars, over its grid.
fn chart_plot(ctx: &mut Ctx, p: &PlotSpec) -> Result<Plot, Diagnostics> {
    let axes = chart_axes(ctx, p)?;
    let states = ctx.states(&axes);
    // Evaluate only what this chart reads, not the whole model, at each
    // of its (many) sample points.
    let slots: Vec<usize> = crate::plan::plot_names(p)
        .iter()
        .filter_map(|(n, _)| ctx.lab.model.slot(n))
        .collect();
    ctx.entries = ctx.lab.model.needed(&slots);

    let mut drawn = Vec::with_capacity(states.len());
    for (track, pos) in &states {
        let title = ctx.plain_at(&p.title, *track, pos);
        let d = match &p.detail {
            PlotDetail::Curves(c) => curves::curves(ctx, p, c, &title, *track, pos)?,
            PlotDetail::Gauge { .. } => kinds::gauge(ctx, p, &title, *track, pos)?,
            PlotDetail::Radar { .. } => kinds::radar(ctx, p, &title, *track, pos)?,
            PlotDetail::Waterfall { .. } => kinds::waterfall(ctx, p, &title, *track, pos)?,
            PlotDetail::Sankey { .. } => kinds::sankey(ctx, p, &title, *track, pos)?,
            PlotDetail::Plain => {
                return Err(Diagnostics::internal(format_args!(
                    "{} drawn as a figure",
                    p.kind.name()
                )))
            }
        };
        drawn.push(d);
    }
    // One set of scales per track: a track is another deployment, whose
    // numbers may be orders of magnitude apart; within a track, moving a
    // control never rescales.
    let mut tracks: Vec<usize> = states.iter().map(|(t, _)| *t).collect();
    tracks.sort_unstable();
    tracks.dedup();
    for t in tracks {
        let mut group: Vec<&mut Drawn> = drawn
            .iter_mut()
            .zip(&states)
            .filter(|(_, (track, _))| *track == t)
            .map(|(d, _)| d)
            .collect();
        fix_scales(&mut group);
    }
    let (svgs, tables) = drawn
        .into_iter()
        .map(|d| (render(&d.chart), d.table))
        .unzip();
    let initial = grid::initial(&states, &ctx.defaults);
    Ok(Plot {
        axes,
        states,
        svgs,
        tables,
        initial,
    })
}

/// The range of everything the states draw on each scale, and the smallest
/// and largest extent of a waterfall's bars.
fn extents(drawn: &[&mut Drawn]) -> ((f64, f64), (f64, f64), (f64, f64)) {
    let mut x = (f64::INFINITY, f64::NEG_INFINITY);
    let mut y = (f64::INFINITY, f64::NEG_INFINITY);
    let mut spans = (f64::INFINITY, 0.0f64);
    let widen = |r: &mut (f64, f64), v: f64, log: bool| {
        if v.is_finite() && (!log || v > 0.0) {
            r.0 = r.0.min(v);
            r.1 = r.1.max(v);
        }
    };
    for d in drawn.iter() {
        match &d.chart {
            Figure::Curves(c) => {
                let (xl, yl) = (c.x.scale == Scale::Log, c.y.scale == Scale::Log);
                for (px, py) in c.series.iter().flat_map(|s| s.points.iter()) {
                    widen(&mut x, *px, xl);
                    widen(&mut y, *py, yl);
                }
                for k in &c.markers {
                    widen(&mut y, k.y, yl);
                }
            }
            Figure::Saturation(s) => {
                let (xl, yl) = (s.x.scale == Scale::Log, s.y.scale == Scale::Log);
                for (px, py) in s.curves.iter().flat_map(|c| c.points.iter()) {
                    widen(&mut x, *px, xl);
                    widen(&mut y, *py, yl);
                }
            }
            Figure::Radar(r) => {
                for v in r.series.iter().flat_map(|s| s.values.iter()) {
                    widen(&mut y, *v, r.log);
                }
            }
            Figure::Waterfall(w) => {
                let (lo, hi) = waterfall_extent(w);
                widen(&mut y, lo, false);
                widen(&mut y, hi, false);
                spans.0 = spans.0.min(hi - lo);
                spans.1 = spans.1.max(hi - lo);
            }
            _ => {}
        }
    }
    (x, y, spans)
}

/// Sets every state's scales to one range covering all states, so the axes
/// stay put while the controls move the data.
fn fix_scales(drawn: &mut [&mut Drawn]) {
    let (x, y, spans) = extents(drawn);
    // A waterfall's axis is linear: one range over states a hundred times
    // apart would flatten most of them to nothing. Its axis holds still only
    // while every state's bars keep a tenth of the height.
    let steady_waterfall = spans.0 > 0.0 && spans.1 <= 10.0 * spans.0;
    for d in drawn.iter_mut() {
        match &mut d.chart {
            Figure::Curves(c) => {
                // x covers exactly the control's range; y gets round ends.
                c.x.range = (x.0 < x.1).then_some(x);
                c.y.range = nice_range(y.0, y.1, c.y.scale == Scale::Log);
            }
            Figure::Saturation(s) => {
                s.x.range = (x.0 < x.1).then_some(x);
                s.y.range = nice_range(y.0, y.1, s.y.scale == Scale::Log);
            }
            Figure::Radar(r) => {
                if let Some((lo, hi)) = nice_range(y.0, y.1, r.log) {
                    for a in &mut r.axes {
                        a.min = lo;
                        a.max = hi;
                    }
                }
            }
            // The renderer rounds the ends to its ticks.
            Figure::Waterfall(w) => w.range = (steady_waterfall && y.0 <= y.1).then_some(y),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests;
