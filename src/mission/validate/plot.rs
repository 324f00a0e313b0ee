//! Plot declarations: the kind, the fields that kind takes (one table), the
//! fields it needs, its series, and one function per kind for the rest.

use super::{tone, Ctx};
use crate::diag::{did_you_mean, Diagnostic};
use crate::mission::raw::{self, Scalar, S};
use crate::mission::{
    CurveSpec, FlowSpec, GuideSpec, MarkerSpec, MarkerStyle, NodeSpec, PlotDetail, PlotKind,
    PlotSpec, SeriesSpec,
};
use crate::units::{Dim, Quantity};
use PlotKind::*;

/// Which optional fields each kind takes: the field's name, whether it is
/// written, and the kinds it belongs to.
fn fields(p: &raw::RawPlot) -> [(&'static str, bool, &'static [PlotKind]); 15] {
    [
        (
            "unit",
            p.unit.is_some(),
            &[
                Timeline, Bars, Curves, Saturation, Gauge, Radar, Waterfall, Sankey,
            ],
        ),
        ("axis", p.axis.is_some(), &[Timeline, Bars, Waterfall]),
        (
            "series",
            p.series.is_some(),
            &[Timeline, Bars, Curves, Saturation, Radar, Waterfall],
        ),
        ("over", p.over.is_some(), &[Curves, Saturation]),
        ("per", p.per.is_some(), &[Saturation]),
        ("samples", p.samples.is_some(), &[Curves, Saturation]),
        ("x", p.x.is_some(), &[Curves, Saturation]),
        ("y", p.y.is_some(), &[Curves, Saturation]),
        ("markers", p.markers.is_some(), &[Curves, Saturation]),
        ("guides", p.guides.is_some(), &[Curves, Saturation]),
        ("value", p.value.is_some(), &[Gauge]),
        (
            "min",
            p.min.is_some() || p.max.is_some() || p.bands.is_some(),
            &[Gauge],
        ),
        ("axes", p.axes.is_some() || p.scale.is_some(), &[Radar]),
        ("total", p.total.is_some(), &[Waterfall]),
        ("nodes", p.nodes.is_some() || p.flows.is_some(), &[Sankey]),
    ]
}

/// Checks a plot declaration: its kind, the fields that kind takes, and
/// the fields it needs.
pub(super) fn plot(ctx: &mut Ctx, p: &raw::RawPlot) -> PlotSpec {
    let Some(kind) = kind(ctx, p) else {
        // Its other fields cannot be judged without a kind.
        return PlotSpec {
            kind: Bars,
            title: ctx.text(&p.title),
            display: ctx.display(None, None),
            axis: String::new(),
            series: Vec::new(),
            detail: PlotDetail::Plain,
            loc: ctx.loc(&p.kind),
        };
    };
    for (name, given, kinds) in fields(p) {
        if given && !kinds.contains(&kind) {
            ctx.error(
                &p.kind,
                format!("a `{}` plot does not take `{name}`", kind.name()),
                format!(
                    "`{name}` belongs to {} plots; remove it or change `kind`",
                    kinds
                        .iter()
                        .map(|k| format!("`{}`", k.name()))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        }
    }
    let unit = unit(p);
    let digits = p
        .digits
        .as_ref()
        .or_else(|| p.y.as_ref().and_then(|y| y.value.digits.as_ref()));
    if !matches!(kind, Sankey) {
        need(ctx, p, kind, unit.is_some(), "unit", "unit: ms");
    }
    let display = ctx.display(unit, digits);
    let series = series(ctx, p, kind);
    let detail = match kind {
        Timeline | Bars => PlotDetail::Plain,
        Curves | Saturation => curves(ctx, p, kind),
        Gauge => gauge(ctx, p),
        Radar => radar(ctx, p),
        Waterfall => PlotDetail::Waterfall {
            total: p.total.as_ref().map(|t| t.value.label.value.clone()),
        },
        Sankey => sankey(ctx, p),
    };
    PlotSpec {
        kind,
        title: ctx.text(&p.title),
        display,
        axis: p
            .axis
            .as_ref()
            .or_else(|| p.y.as_ref().and_then(|y| y.value.label.as_ref()))
            .map_or_else(String::new, |a| a.value.clone()),
        series,
        detail,
        loc: ctx.loc(&p.kind),
    }
}

/// The plot's kind; `None` (reported) for a name that is no kind.
fn kind(ctx: &mut Ctx, p: &raw::RawPlot) -> Option<PlotKind> {
    if let Some((k, _)) = PlotKind::ALL.iter().find(|(_, n)| *n == p.kind.value) {
        return Some(*k);
    }
    let names: Vec<&str> = PlotKind::ALL.iter().map(|(_, n)| *n).collect();
    let hint = match did_you_mean(&p.kind.value, names.iter().copied()) {
        Some(n) => format!("did you mean `{n}`?"),
        None => format!("use one of: {}", names.join(", ")),
    };
    ctx.error(
        &p.kind,
        format!("unknown plot kind `{}`", p.kind.value),
        hint,
    );
    None
}

/// The unit of the value axis: `unit`, or that of `y` on curves.
fn unit(p: &raw::RawPlot) -> Option<&S<String>> {
    let y_unit = p.y.as_ref().and_then(|y| y.value.unit.as_ref());
    p.unit.as_ref().or(y_unit)
}

/// Reports a field a `kind` plot needs when it is not `given`.
fn need(ctx: &mut Ctx, p: &raw::RawPlot, kind: PlotKind, given: bool, name: &str, example: &str) {
    if !given {
        ctx.error(
            &p.kind,
            format!("a `{}` plot needs `{name}`", kind.name()),
            format!("add it, e.g. `{example}`"),
        );
    }
}

/// Whether an axis is on a log scale (`linear` unless written).
fn scale(ctx: &mut Ctx, s: Option<&S<String>>) -> bool {
    match s.map(|s| (s, s.value.as_str())) {
        None | Some((_, "linear")) => false,
        Some((_, "log")) => true,
        Some((s, other)) => {
            ctx.error(
                s,
                format!("unknown scale `{other}`"),
                "use `linear` or `log`",
            );
            false
        }
    }
}

/// The plot's series: present where the kind draws them, one for a
/// saturation plot, each with a value (or a radar's values) and a label.
fn series(ctx: &mut Ctx, p: &raw::RawPlot, kind: PlotKind) -> Vec<SeriesSpec> {
    if matches!(
        kind,
        Timeline | Bars | Curves | Saturation | Radar | Waterfall
    ) {
        match &p.series {
            None => need(
                ctx,
                p,
                kind,
                false,
                "series",
                "series: [ { value: t_io, label: Storage } ]",
            ),
            Some(s) if s.value.is_empty() => ctx.error(
                s,
                "a plot needs at least one series",
                "list the values to draw under `series:`",
            ),
            Some(s) if kind == Saturation && s.value.len() != 1 => ctx.error(
                s,
                "a `saturation` plot has exactly one series; `per` makes one line per option",
                "keep one series, e.g. `series: [ { value: throughput } ]`",
            ),
            _ => {}
        }
    }
    let list: &[raw::RawSeries] = p.series.as_ref().map_or(&[], |s| &s.value);
    list.iter().map(|s| one_series(ctx, p, kind, s)).collect()
}

/// One series of a plot.
fn one_series(ctx: &mut Ctx, p: &raw::RawPlot, kind: PlotKind, s: &raw::RawSeries) -> SeriesSpec {
    let anchor = s
        .value
        .as_ref()
        .or(s.label.as_ref())
        .map(|v| ctx.loc(v))
        .unwrap_or_else(|| ctx.loc(&p.kind));
    let value = match (&s.value, &s.values, kind) {
        (None, Some(vs), Radar) => {
            let n = p.axes.as_ref().map_or(0, |a| a.value.len());
            if vs.value.len() != n {
                ctx.error(
                    vs,
                    format!(
                        "this series has {} values but the radar has {n} axes",
                        vs.value.len()
                    ),
                    "give one value per axis, in the order of `axes`",
                );
            }
            String::new()
        }
        (Some(v), None, k) if k != Radar => v.value.clone(),
        (_, _, Radar) => {
            ctx.diags.push(
                Diagnostic::error(
                    Some(anchor.clone()),
                    "a radar series needs `values` (one per axis), not `value`",
                )
                .with_hint("write `values: [a, b, c]`"),
            );
            String::new()
        }
        _ => {
            ctx.diags.push(
                Diagnostic::error(
                    Some(anchor.clone()),
                    "a series needs `value` (and `values` only on radars)",
                )
                .with_hint("write `value: <formula>`"),
            );
            String::new()
        }
    };
    let label = match (&s.label, kind) {
        (Some(l), _) => l.value.clone(),
        (None, Saturation) => String::new(),
        (None, _) => {
            ctx.diags.push(
                Diagnostic::error(Some(anchor.clone()), "a series needs `label`")
                    .with_hint("add `label: ...`, the name in the legend"),
            );
            String::new()
        }
    };
    SeriesSpec {
        value,
        loc: anchor,
        label,
        tone: s.tone.as_ref().map(|t| tone(ctx, t)),
        dashed: s.dashed.as_ref().is_some_and(|d| d.value),
        values: s
            .values
            .as_ref()
            .map(|vs| {
                vs.value
                    .iter()
                    .map(|v| (v.value.clone(), ctx.loc(v)))
                    .collect()
            })
            .unwrap_or_default(),
    }
}

/// Curves and saturation plots: the control along x, its axis, markers and
/// guides.
fn curves(ctx: &mut Ctx, p: &raw::RawPlot, kind: PlotKind) -> PlotDetail {
    need(ctx, p, kind, p.over.is_some(), "over", "over: interval");
    if kind == Saturation {
        need(ctx, p, kind, p.per.is_some(), "per", "per: disk");
    }
    let x = p.x.as_ref().map(|x| &x.value);
    let x_unit = x.and_then(|x| x.unit.as_ref());
    let samples = p.samples.as_ref().map_or(60, |s| usize::from(s.value));
    if let Some(s) = &p.samples {
        if !(2..=400).contains(&s.value) {
            ctx.error(
                s,
                "`samples` must be between 2 and 400",
                "60 points draw a smooth line",
            );
        }
    }
    let markers = p
        .markers
        .as_ref()
        .map(|m| &m.value[..])
        .unwrap_or(&[])
        .iter()
        .map(|m| marker(ctx, m))
        .collect();
    let guides = p
        .guides
        .as_ref()
        .map(|g| &g.value[..])
        .unwrap_or(&[])
        .iter()
        .map(|g| GuideSpec {
            at: g.at.value.clone(),
            at_loc: ctx.loc(&g.at),
            label: ctx.text(&g.label),
            tone: g.tone.as_ref().map(|t| tone(ctx, t)),
        })
        .collect();
    PlotDetail::Curves(CurveSpec {
        over: p.over.as_ref().map(|o| o.value.clone()).unwrap_or_default(),
        over_loc: p
            .over
            .as_ref()
            .map_or_else(|| ctx.loc(&p.kind), |o| ctx.loc(o)),
        per: p.per.as_ref().map(|s| (s.value.clone(), ctx.loc(s))),
        samples,
        x_label: x
            .and_then(|x| x.label.as_ref())
            .map(|l| l.value.clone())
            .unwrap_or_default(),
        x_display: ctx.display(x_unit, x.and_then(|x| x.digits.as_ref())),
        x_unit_loc: x_unit.map(|u| ctx.loc(u)),
        x_log: scale(ctx, x.and_then(|x| x.scale.as_ref())),
        y_log: scale(ctx, p.y.as_ref().and_then(|y| y.value.scale.as_ref())),
        markers,
        guides,
    })
}

/// A marker on a curve.
fn marker(ctx: &mut Ctx, m: &raw::RawMarker) -> MarkerSpec {
    MarkerSpec {
        at: m.at.value.clone(),
        at_loc: ctx.loc(&m.at),
        series: m.series.as_ref().map(|s| (s.value.clone(), ctx.loc(s))),
        label: ctx.text(&m.label),
        style: match m.kind.as_ref().map(|k| (k, k.value.as_str())) {
            None | Some((_, "point")) => MarkerStyle::Point,
            Some((_, "optimum")) => MarkerStyle::Optimum,
            Some((_, "crossover")) => MarkerStyle::Crossover,
            Some((k, other)) => {
                ctx.error(
                    k,
                    format!("unknown marker kind `{other}`"),
                    "use `optimum`, `crossover` or `point`",
                );
                MarkerStyle::Point
            }
        },
        tone: m.tone.as_ref().map(|t| tone(ctx, t)),
    }
}

/// A gauge: the value, its ends and coloured bands, in the plot's unit.
fn gauge(ctx: &mut Ctx, p: &raw::RawPlot) -> PlotDetail {
    need(ctx, p, Gauge, p.value.is_some(), "value", "value: gpu_idle");
    need(
        ctx,
        p,
        Gauge,
        p.min.is_some() && p.max.is_some(),
        "min` and `max",
        "min: 0%",
    );
    let unit = unit(p);
    let q = |ctx: &mut Ctx, s: &Option<S<Scalar>>| s.as_ref().and_then(|s| ctx.quantity(s, unit));
    let min = q(ctx, &p.min);
    let max = q(ctx, &p.max);
    let mut bands = Vec::new();
    for b in p.bands.as_ref().map(|b| &b.value[..]).unwrap_or(&[]) {
        if let Some(to) = ctx.quantity(&b.to, unit) {
            bands.push((to, tone(ctx, &b.tone)));
        }
    }
    let zero = Quantity {
        value: 0.0,
        dim: Dim::DIMENSIONLESS,
    };
    PlotDetail::Gauge {
        value: p
            .value
            .as_ref()
            .map(|v| v.value.clone())
            .unwrap_or_default(),
        loc: p
            .value
            .as_ref()
            .map_or_else(|| ctx.loc(&p.kind), |v| ctx.loc(v)),
        min: min.unwrap_or(zero),
        max: max.unwrap_or(Quantity {
            value: 1.0,
            dim: Dim::DIMENSIONLESS,
        }),
        bands,
        range_loc: p
            .min
            .as_ref()
            .map_or_else(|| ctx.loc(&p.kind), |m| ctx.loc(m)),
    }
}

/// A radar: 3 to 8 axes, linear or log radii.
fn radar(ctx: &mut Ctx, p: &raw::RawPlot) -> PlotDetail {
    need(
        ctx,
        p,
        Radar,
        p.axes.is_some(),
        "axes",
        "axes: [MAC, DRAM, Network]",
    );
    let axes: Vec<String> = p
        .axes
        .as_ref()
        .map(|a| a.value.iter().map(|x| x.value.clone()).collect())
        .unwrap_or_default();
    if let Some(a) = &p.axes {
        if !(3..=8).contains(&a.value.len()) {
            ctx.error(
                a,
                format!("a radar needs 3 to 8 axes, not {}", a.value.len()),
                "use bars for fewer than 3 values",
            );
        }
    }
    PlotDetail::Radar {
        axes,
        log: scale(ctx, p.scale.as_ref()),
    }
}

/// A Sankey diagram: nodes with unique ids, flows running left to right.
fn sankey(ctx: &mut Ctx, p: &raw::RawPlot) -> PlotDetail {
    need(
        ctx,
        p,
        Sankey,
        p.nodes.is_some() && p.flows.is_some(),
        "nodes` and `flows",
        "nodes: [ { id: s3, label: S3, column: 0 } ]",
    );
    let mut nodes: Vec<(String, NodeSpec)> = Vec::new();
    for n in p.nodes.as_ref().map(|n| &n.value[..]).unwrap_or(&[]) {
        if nodes.iter().any(|(id, _)| *id == n.id.value) {
            ctx.error(
                &n.id,
                format!("two nodes are called `{}`", n.id.value),
                "give each node its own id",
            );
            continue;
        }
        nodes.push((
            n.id.value.clone(),
            NodeSpec {
                label: n.label.value.clone(),
                column: usize::from(n.column.value),
                tone: n.tone.as_ref().map(|t| tone(ctx, t)),
            },
        ));
    }
    let mut flows = Vec::new();
    for f in p.flows.as_ref().map(|f| &f.value[..]).unwrap_or(&[]) {
        let (from, to) = (node(ctx, &nodes, &f.from), node(ctx, &nodes, &f.to));
        if let (Some(from), Some(to)) = (from, to) {
            if nodes[from].1.column >= nodes[to].1.column {
                ctx.error(
                    &f.to,
                    "a flow must go to a node in a later column",
                    "flows run left to right: give `to` a larger `column`",
                );
            }
            flows.push(FlowSpec {
                from,
                to,
                value: f.value.value.clone(),
                loc: ctx.loc(&f.value),
                tone: f.tone.as_ref().map(|t| tone(ctx, t)),
            });
        }
    }
    PlotDetail::Sankey {
        nodes: nodes.into_iter().map(|(_, n)| n).collect(),
        flows,
    }
}

/// Resolves a flow's end to a node index.
fn node(ctx: &mut Ctx, nodes: &[(String, NodeSpec)], s: &S<String>) -> Option<usize> {
    let found = nodes.iter().position(|(id, _)| *id == s.value);
    if found.is_none() {
        let hint = match did_you_mean(&s.value, nodes.iter().map(|(id, _)| id.as_str())) {
            Some(n) => format!("did you mean `{n}`?"),
            None => "declare it under `nodes:`".to_string(),
        };
        ctx.error(s, format!("unknown node `{}`", s.value), hint);
    }
    found
}
