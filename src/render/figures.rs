//! The chart kinds beyond timelines and bars, as the page shows them: one
//! SVG and one data table per state of the controls a chart depends on.
//!
//! A curves or saturation plot draws its lines by evaluating the model at
//! sample points along its `over` control (between the control's positions,
//! with [`Model::eval_with`]), so a line does not depend on where that
//! control sits and is computed once per state of the *other* controls.
//! Every chart's scales are fixed over all its states (round ends covering
//! everything any state draws), so moving a control moves the data, not the
//! axes. Like the rest of the renderer this is pure: the same mission gives
//! the same bytes.
//!
//! [`Model::eval_with`]: crate::model::Model::eval_with

use super::{escape, internal, plot_ctx, tone_of, union, Cells};
use crate::diag::Diagnostics;
use crate::figure::{self, Figure};
use crate::format::{show, DisplayUnit};
use crate::mission::{CurveSpec, Display, MarkerStyle, PlotDetail, PlotKind, PlotSpec, Text};
use crate::sweep::Axis;
use serde_json::{json, Value};

/// Rows of a curve's data table: evenly spaced samples, ends included.
const TABLE_ROWS: usize = 11;

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

/// One state's picture and table, before they are interned.
struct Drawn {
    chart: Figure,
    table: String,
}

/// The cells of a chart of a kind this module draws.
pub(super) fn chart_cells(cells: &mut Cells, p: &PlotSpec) -> Result<Value, Diagnostics> {
    let lab = cells.lab;
    let m = lab.mission;
    let control_of = |name: &str| m.controls.iter().position(|c| c.id == name);
    // The grid: every value the chart reads, except the controls a curve
    // sweeps itself (its x control, and `per`).
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
    let mut axes = cells.text_axes(&p.title);
    for s in &p.series {
        for name in std::iter::once(&s.value)
            .filter(|v| !v.is_empty())
            .chain(s.values.iter().map(|(v, _)| v))
        {
            let t = cells.live_table(name)?;
            axes.extend(t.axes.iter().copied().filter(|a| !swept.contains(a)));
        }
    }
    let mut labels: Vec<&Text> = Vec::new();
    match &p.detail {
        PlotDetail::Curves(c) => {
            for name in c
                .markers
                .iter()
                .map(|k| &k.at)
                .chain(c.guides.iter().map(|g| &g.at))
            {
                axes.extend(cells.live_table(name)?.axes.iter().copied());
            }
            labels.extend(c.markers.iter().map(|k| &k.label));
            labels.extend(c.guides.iter().map(|g| &g.label));
        }
        PlotDetail::Gauge { value, .. } => {
            axes.extend(cells.live_table(value)?.axes.iter().copied())
        }
        PlotDetail::Sankey { flows, .. } => {
            for f in flows {
                axes.extend(cells.live_table(&f.value)?.axes.iter().copied());
            }
        }
        _ => {}
    }
    for t in labels {
        axes.extend(cells.text_axes(t));
    }
    let axes = union(axes);
    let states = cells.states(&axes);
    // Evaluate only what this chart reads, not the whole model, at each
    // of its (many) sample points.
    let slots: Vec<usize> = crate::plan::plot_names(p)
        .iter()
        .filter_map(|(n, _)| lab.model.slot(n))
        .collect();
    cells.chart_entries = lab.model.needed(&slots);

    let mut drawn = Vec::with_capacity(states.len());
    for (track, pos) in &states {
        let title = cells.plain_at(&p.title, *track, pos);
        let d = match &p.detail {
            PlotDetail::Curves(c) => curves(cells, p, c, &title, *track, pos)?,
            PlotDetail::Gauge { .. } => gauge(cells, p, &title, *track, pos)?,
            PlotDetail::Radar { .. } => radar(cells, p, &title, *track, pos)?,
            PlotDetail::Waterfall { .. } => waterfall(cells, p, &title, *track, pos)?,
            PlotDetail::Sankey { .. } => sankey(cells, p, &title, *track, pos)?,
            PlotDetail::Plain => {
                return Err(internal(format!("{} drawn as a figure", p.kind.name())))
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

    let mut svg_ids = Vec::with_capacity(drawn.len());
    let mut table_ids = Vec::with_capacity(drawn.len());
    for d in drawn {
        svg_ids.push(json!(cells.intern_fragment(figure::render(&d.chart))));
        table_ids.push(json!(cells.intern_fragment(d.table)));
    }
    Ok(plot_ctx(cells, p, &axes, &states, svg_ids, table_ids))
}

/// Sets every state's scales to one range covering all states, so the axes
/// stay put while the controls move the data.
fn fix_scales(drawn: &mut [&mut Drawn]) {
    let mut x = (f64::INFINITY, f64::NEG_INFINITY);
    let mut y = (f64::INFINITY, f64::NEG_INFINITY);
    // Smallest and largest extent of a waterfall's bars over the states.
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
                let (xl, yl) = (
                    c.x.scale == figure::Scale::Log,
                    c.y.scale == figure::Scale::Log,
                );
                for (px, py) in c.series.iter().flat_map(|s| s.points.iter()) {
                    widen(&mut x, *px, xl);
                    widen(&mut y, *py, yl);
                }
                for k in &c.markers {
                    widen(&mut y, k.y, yl);
                }
            }
            Figure::Saturation(s) => {
                let (xl, yl) = (
                    s.x.scale == figure::Scale::Log,
                    s.y.scale == figure::Scale::Log,
                );
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
                let (lo, hi) = figure::waterfall_extent(w);
                widen(&mut y, lo, false);
                widen(&mut y, hi, false);
                spans.0 = spans.0.min(hi - lo);
                spans.1 = spans.1.max(hi - lo);
            }
            _ => {}
        }
    }
    // A waterfall's axis is linear: one range over states a hundred times
    // apart would flatten most of them to nothing. Its axis holds still only
    // while every state's bars keep a tenth of the height.
    let steady_waterfall = spans.0 > 0.0 && spans.1 <= 10.0 * spans.0;
    for d in drawn.iter_mut() {
        match &mut d.chart {
            Figure::Curves(c) => {
                // x covers exactly the control's range; y gets round ends.
                c.x.range = (x.0 < x.1).then_some(x);
                c.y.range = figure::nice_range(y.0, y.1, c.y.scale == figure::Scale::Log);
            }
            Figure::Saturation(s) => {
                s.x.range = (x.0 < x.1).then_some(x);
                s.y.range = figure::nice_range(y.0, y.1, s.y.scale == figure::Scale::Log);
            }
            Figure::Radar(r) => {
                if let Some((lo, hi)) = figure::nice_range(y.0, y.1, r.log) {
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

/// Evaluates the model at one state with the swept control set to `x`.
fn at(cells: &Cells, track: usize, pos: &[usize], set: Option<(usize, f64)>) -> Vec<f64> {
    let model = cells.lab.model;
    let mut out = vec![0.0; model.len()];
    model.eval_some(track, pos, set, Some(&cells.chart_entries), &mut out);
    out
}

/// The value of `name` in an evaluated state.
fn read(cells: &Cells, values: &[f64], name: &str) -> Result<f64, Diagnostics> {
    let slot = cells
        .lab
        .model
        .slot(name)
        .ok_or_else(|| internal(format!("unresolved name {name}")))?;
    Ok(values[slot])
}

/// The sample points of a control's range in base units: geometric on a
/// log axis (when the range is positive), else evenly spaced.
fn samples(lo: f64, hi: f64, n: usize, log: bool) -> Vec<f64> {
    let n = n.max(2);
    (0..n)
        .map(|k| {
            let f = k as f64 / (n - 1) as f64;
            if log && lo > 0.0 && hi > 0.0 {
                (lo.ln() + (hi.ln() - lo.ln()) * f).exp()
            } else {
                lo + (hi - lo) * f
            }
        })
        .collect()
}

fn curves(
    cells: &Cells,
    p: &PlotSpec,
    c: &CurveSpec,
    title: &str,
    track: usize,
    pos: &[usize],
) -> Result<Drawn, Diagnostics> {
    let m = cells.lab.mission;
    let over = m
        .controls
        .iter()
        .position(|k| k.id == c.over)
        .ok_or_else(|| internal(format!("unresolved control {}", c.over)))?;
    let values: Vec<f64> = m.controls[over].positions.iter().map(|p| p.value).collect();
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let xs = samples(lo, hi, c.samples, c.x_log);
    let x_unit = unit_label(&c.x_display);
    let y_unit = unit_label(&p.display);
    let x_axis = |label: &str| figure::Axis {
        label: titled(label, &x_unit),
        scale: if c.x_log {
            figure::Scale::Log
        } else {
            figure::Scale::Linear
        },
        tick_suffix: String::new(),
        range: None,
    };
    let y_axis = figure::Axis {
        label: titled(&p.axis, &y_unit),
        scale: if c.y_log {
            figure::Scale::Log
        } else {
            figure::Scale::Linear
        },
        tick_suffix: String::new(),
        range: None,
    };
    let x_text = |v: f64| show(v, &c.x_display.unit, c.x_display.digits).text;
    let y_text = |v: f64| show(v, &p.display.unit, p.display.digits).text;

    // Lines: (label, tone, dashed, base-unit y per sample).
    let mut lines: Vec<(String, figure::Tone, bool, Vec<f64>)> = Vec::new();
    let per = c
        .per
        .as_ref()
        .and_then(|(name, _)| m.controls.iter().position(|k| k.id == *name));
    match per {
        Some(k) => {
            let s = p
                .series
                .first()
                .ok_or_else(|| internal("saturation without series".into()))?;
            for (i, option) in m.controls[k].positions.iter().enumerate() {
                let mut at_option = pos.to_vec();
                at_option[k] = i;
                let ys = xs
                    .iter()
                    .map(|&x| {
                        read(
                            cells,
                            &at(cells, track, &at_option, Some((over, x))),
                            &s.value,
                        )
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                lines.push((option.label.clone(), figure::Tone::series(i), false, ys));
            }
        }
        None => {
            let evaluated: Vec<Vec<f64>> = xs
                .iter()
                .map(|&x| at(cells, track, pos, Some((over, x))))
                .collect();
            for (k, s) in p.series.iter().enumerate() {
                let ys = evaluated
                    .iter()
                    .map(|v| read(cells, v, &s.value))
                    .collect::<Result<Vec<_>, _>>()?;
                lines.push((
                    s.label.clone(),
                    s.tone.map(tone_of).unwrap_or(figure::Tone::series(k)),
                    s.dashed,
                    ys,
                ));
            }
        }
    }

    // Markers and guides at model values of this state.
    let here = at(cells, track, pos, None);
    let mut markers = Vec::new();
    let mut marked_rows = Vec::new();
    for mk in &c.markers {
        let x = read(cells, &here, &mk.at)?;
        let k = mk
            .series
            .as_ref()
            .and_then(|(name, _)| p.series.iter().position(|s| s.value == *name))
            .unwrap_or(0);
        let series = p
            .series
            .get(k)
            .ok_or_else(|| internal("marker without series".into()))?;
        let y = read(
            cells,
            &at(cells, track, pos, Some((over, x))),
            &series.value,
        )?;
        let label = cells.plain_at(&mk.label, track, pos);
        marked_rows.push((label.clone(), x_text(x), y_text(y)));
        markers.push(figure::Marker {
            x: in_unit(x, &c.x_display.unit),
            y: in_unit(y, &p.display.unit),
            label,
            kind: match mk.style {
                MarkerStyle::Optimum => figure::MarkerKind::Optimum,
                MarkerStyle::Crossover => figure::MarkerKind::Crossover,
                MarkerStyle::Point => figure::MarkerKind::Saturation,
            },
            tone: mk
                .tone
                .map(tone_of)
                .unwrap_or(lines.get(k).map_or(figure::Tone::Info, |l| l.1)),
        });
    }
    let mut guides = Vec::new();
    for g in &c.guides {
        let x = read(cells, &here, &g.at)?;
        let label = cells.plain_at(&g.label, track, pos);
        marked_rows.push((label.clone(), x_text(x), String::new()));
        guides.push(figure::Guide {
            x: in_unit(x, &c.x_display.unit),
            label,
            tone: g.tone.map(tone_of).unwrap_or(figure::Tone::Neutral),
        });
    }

    // The data table: the lines at evenly spaced samples, then the marks.
    let x_head = titled(
        if c.x_label.is_empty() {
            &m.controls[over].label
        } else {
            &c.x_label
        },
        "",
    );
    let mut table = format!(
        "<table class=\"plot-data\"><caption>{}</caption><thead><tr><th scope=\"col\">{}</th>",
        escape(title),
        escape(&x_head)
    );
    for l in &lines {
        table.push_str(&format!("<th scope=\"col\">{}</th>", escape(&l.0)));
    }
    table.push_str("</tr></thead><tbody>");
    let rows = TABLE_ROWS.min(xs.len());
    let mut last = usize::MAX;
    for r in 0..rows {
        let i = (r * (xs.len() - 1)) / (rows - 1).max(1);
        if i == last {
            continue;
        }
        last = i;
        table.push_str(&format!(
            "<tr><th scope=\"row\">{}</th>",
            escape(&x_text(xs[i]))
        ));
        for l in &lines {
            table.push_str(&format!("<td>{}</td>", escape(&y_text(l.3[i]))));
        }
        table.push_str("</tr>");
    }
    table.push_str("</tbody>");
    if !marked_rows.is_empty() {
        table.push_str(&format!(
            "<tbody class=\"plot-marks\"><tr><th scope=\"col\">Marked</th><th scope=\"col\" colspan=\"{}\">Where</th></tr>",
            lines.len().max(1)
        ));
        for (label, x, y) in &marked_rows {
            let at = if y.is_empty() {
                x.clone()
            } else {
                format!("{x}: {y}")
            };
            table.push_str(&format!(
                "<tr><th scope=\"row\">{}</th><td colspan=\"{}\">{}</td></tr>",
                escape(label),
                lines.len().max(1),
                escape(&at)
            ));
        }
        table.push_str("</tbody>");
    }
    table.push_str("</table>");

    let description = format!(
        "{title}. {} against {} from {} to {}.{}",
        lines
            .iter()
            .map(|l| l.0.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        x_head,
        x_text(lo),
        x_text(hi),
        marked_rows
            .iter()
            .map(|(l, x, y)| if y.is_empty() {
                format!(" {l} at {x}.")
            } else {
                format!(" {l} at {x}, {y}.")
            })
            .collect::<String>()
    );
    let points = |ys: &[f64]| -> Vec<(f64, f64)> {
        xs.iter()
            .zip(ys)
            .map(|(&x, &y)| (in_unit(x, &c.x_display.unit), in_unit(y, &p.display.unit)))
            .collect()
    };
    let x = x_axis(if c.x_label.is_empty() {
        &m.controls[over].label
    } else {
        &c.x_label
    });
    let chart = if p.kind == PlotKind::Saturation {
        Figure::Saturation(figure::Saturation {
            title: title.to_string(),
            description,
            x,
            y: y_axis,
            curves: lines
                .iter()
                .map(|l| figure::SaturationCurve {
                    label: l.0.clone(),
                    tone: l.1,
                    points: points(&l.3),
                    plateau: None,
                    plateau_label: String::new(),
                })
                .collect(),
        })
    } else {
        Figure::Curves(figure::Curves {
            title: title.to_string(),
            description,
            x,
            y: y_axis,
            series: lines
                .iter()
                .map(|l| figure::Curve {
                    label: l.0.clone(),
                    tone: l.1,
                    dashed: l.2,
                    points: points(&l.3),
                })
                .collect(),
            markers,
            guides,
        })
    };
    Ok(Drawn { chart, table })
}

/// A one-row data table: label and value.
fn single_table(title: &str, rows: &[(String, String)], head: (&str, &str)) -> String {
    let mut table = format!(
        "<table class=\"plot-data\"><caption>{}</caption><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
        escape(title),
        escape(head.0),
        escape(head.1)
    );
    for (l, v) in rows {
        table.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td>{}</td></tr>",
            escape(l),
            escape(v)
        ));
    }
    table.push_str("</tbody></table>");
    table
}

fn gauge(
    cells: &Cells,
    p: &PlotSpec,
    title: &str,
    track: usize,
    pos: &[usize],
) -> Result<Drawn, Diagnostics> {
    let PlotDetail::Gauge {
        value,
        min,
        max,
        bands,
        ..
    } = &p.detail
    else {
        return Err(internal("gauge without its detail".into()));
    };
    let here = at(cells, track, pos, None);
    let v = read(cells, &here, value)?;
    let shown = show(v, &p.display.unit, p.display.digits);
    let label = p.axis.clone();
    let unit = &p.display.unit;
    let (lo, hi) = (in_unit(min.value, unit), in_unit(max.value, unit));
    let mut from = lo;
    let mut out_bands = Vec::new();
    for (to, tone) in bands {
        let to = in_unit(to.value, unit).clamp(lo, hi);
        if to > from {
            out_bands.push(figure::Band {
                from,
                to,
                tone: tone_of(*tone),
            });
            from = to;
        }
    }
    let row_label = if label.is_empty() {
        title.to_string()
    } else {
        label.clone()
    };
    let table = single_table(title, &[(row_label, shown.text.clone())], ("Value", "Now"));
    Ok(Drawn {
        chart: Figure::Gauge(figure::Gauge {
            title: title.to_string(),
            description: format!(
                "{title}: {} on a scale from {} to {}.",
                shown.text,
                show(min.value, unit, p.display.digits).text,
                show(max.value, unit, p.display.digits).text
            ),
            min: lo,
            max: hi,
            value: shown.number,
            value_text: shown.text,
            label,
            tick_suffix: if matches!(unit, DisplayUnit::Percent) {
                "%".into()
            } else {
                String::new()
            },
            bands: out_bands,
        }),
        table,
    })
}

fn radar(
    cells: &Cells,
    p: &PlotSpec,
    title: &str,
    track: usize,
    pos: &[usize],
) -> Result<Drawn, Diagnostics> {
    let PlotDetail::Radar { axes, log } = &p.detail else {
        return Err(internal("radar without its detail".into()));
    };
    let here = at(cells, track, pos, None);
    let unit = unit_label(&p.display);
    let mut series = Vec::new();
    let mut texts: Vec<Vec<String>> = Vec::new();
    for (k, s) in p.series.iter().enumerate() {
        let mut values = Vec::new();
        let mut row = Vec::new();
        for (name, _) in &s.values {
            let v = read(cells, &here, name)?;
            values.push(in_unit(v, &p.display.unit));
            row.push(show(v, &p.display.unit, p.display.digits).text);
        }
        texts.push(row);
        series.push(figure::RadarSeries {
            label: s.label.clone(),
            tone: s.tone.map(tone_of).unwrap_or(figure::Tone::series(k)),
            values,
        });
    }
    let mut table = format!(
        "<table class=\"plot-data\"><caption>{}</caption><thead><tr><th scope=\"col\">Axis</th>",
        escape(title)
    );
    for s in &p.series {
        table.push_str(&format!("<th scope=\"col\">{}</th>", escape(&s.label)));
    }
    table.push_str("</tr></thead><tbody>");
    for (i, a) in axes.iter().enumerate() {
        table.push_str(&format!("<tr><th scope=\"row\">{}</th>", escape(a)));
        for row in &texts {
            table.push_str(&format!(
                "<td>{}</td>",
                escape(row.get(i).map_or("", String::as_str))
            ));
        }
        table.push_str("</tr>");
    }
    table.push_str("</tbody></table>");
    let description = format!(
        "{title}. {}",
        p.series
            .iter()
            .zip(&texts)
            .map(|(s, row)| format!(
                "{}: {}.",
                s.label,
                axes.iter()
                    .zip(row)
                    .map(|(a, v)| format!("{a} {v}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
            .collect::<Vec<_>>()
            .join(" ")
    );
    Ok(Drawn {
        chart: Figure::Radar(figure::Radar {
            title: title.to_string(),
            description,
            log: *log,
            tick_suffix: match unit.as_str() {
                "" => String::new(),
                "%" => "%".to_string(),
                u => format!(" {u}"),
            },
            axes: axes
                .iter()
                .map(|a| figure::RadarAxis {
                    label: a.clone(),
                    min: 0.0,
                    max: 0.0,
                })
                .collect(),
            series,
        }),
        table,
    })
}

/// The steps of a waterfall or the bars of a plain series list.
fn steps(cells: &Cells, p: &PlotSpec, values: &[f64]) -> Result<Vec<figure::Series>, Diagnostics> {
    p.series
        .iter()
        .enumerate()
        .map(|(k, s)| {
            let v = read(cells, values, &s.value)?;
            let shown = show(v, &p.display.unit, p.display.digits);
            Ok(figure::Series {
                label: s.label.clone(),
                value: shown.number,
                text: shown.text,
                tone: s.tone.map(tone_of).unwrap_or(figure::Tone::series(k)),
            })
        })
        .collect()
}

fn waterfall(
    cells: &Cells,
    p: &PlotSpec,
    title: &str,
    track: usize,
    pos: &[usize],
) -> Result<Drawn, Diagnostics> {
    let PlotDetail::Waterfall { total } = &p.detail else {
        return Err(internal("waterfall without its detail".into()));
    };
    let here = at(cells, track, pos, None);
    let steps = steps(cells, p, &here)?;
    let sum: f64 = p
        .series
        .iter()
        .map(|s| read(cells, &here, &s.value))
        .collect::<Result<Vec<_>, _>>()?
        .iter()
        .sum();
    let sum_text = show(sum, &p.display.unit, p.display.digits).text;
    let mut rows: Vec<(String, String)> = steps
        .iter()
        .map(|s| (s.label.clone(), s.text.clone()))
        .collect();
    if let Some(label) = total {
        rows.push((label.clone(), sum_text.clone()));
    }
    let table = single_table(title, &rows, ("Step", "Value"));
    let unit = unit_label(&p.display);
    Ok(Drawn {
        chart: Figure::Waterfall(figure::Waterfall {
            title: title.to_string(),
            description: format!(
                "{title}. {}.",
                rows.iter()
                    .map(|(l, v)| format!("{l}: {v}"))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            axis_label: titled(&p.axis, &unit),
            steps,
            total: total.as_ref().map(|label| figure::Total {
                label: label.clone(),
                text: sum_text,
                tone: figure::Tone::Neutral,
            }),
            range: None,
        }),
        table,
    })
}

fn sankey(
    cells: &Cells,
    p: &PlotSpec,
    title: &str,
    track: usize,
    pos: &[usize],
) -> Result<Drawn, Diagnostics> {
    let PlotDetail::Sankey { nodes, flows } = &p.detail else {
        return Err(internal("sankey without its detail".into()));
    };
    let here = at(cells, track, pos, None);
    let mut out = Vec::new();
    let mut rows = Vec::new();
    for f in flows {
        let v = read(cells, &here, &f.value)?;
        let shown = show(v, &p.display.unit, p.display.digits);
        rows.push((
            format!("{} → {}", nodes[f.from].label, nodes[f.to].label),
            shown.text.clone(),
        ));
        out.push(figure::Flow {
            from: f.from,
            to: f.to,
            value: shown.number,
            text: shown.text,
            tone: f.tone.map(tone_of).unwrap_or(figure::Tone::Info),
            highlight: false,
        });
    }
    let table = single_table(title, &rows, ("Flow", "Rate"));
    Ok(Drawn {
        chart: Figure::Sankey(figure::Sankey {
            title: title.to_string(),
            description: format!(
                "{title}. {}.",
                rows.iter()
                    .map(|(l, v)| format!("{l}: {v}"))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            nodes: nodes
                .iter()
                .map(|n| figure::Node {
                    label: n.label.clone(),
                    column: n.column,
                    tone: n.tone.map(tone_of).unwrap_or(figure::Tone::Neutral),
                })
                .collect(),
            flows: out,
        }),
        table,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A waterfall of two steps, drawn for one state.
    fn state(a: f64, b: f64) -> Drawn {
        let step = |label: &str, value: f64| figure::Series {
            label: label.to_string(),
            value,
            text: String::new(),
            tone: figure::Tone::Neutral,
        };
        Drawn {
            chart: Figure::Waterfall(figure::Waterfall {
                title: String::new(),
                description: String::new(),
                axis_label: String::new(),
                steps: vec![step("a", a), step("b", b)],
                total: None,
                range: None,
            }),
            table: String::new(),
        }
    }

    fn ranges(mut states: Vec<Drawn>) -> Vec<Option<(f64, f64)>> {
        fix_scales(&mut states.iter_mut().collect::<Vec<_>>());
        states
            .iter()
            .map(|d| match &d.chart {
                Figure::Waterfall(w) => w.range,
                _ => unreachable!(),
            })
            .collect()
    }

    #[test]
    fn a_waterfall_axis_holds_still_over_states_of_like_size() {
        // Totals 30 and 150: within a factor of ten, one axis 0-150.
        assert_eq!(
            ranges(vec![state(10.0, 20.0), state(100.0, 50.0)]),
            [Some((0.0, 150.0)), Some((0.0, 150.0))]
        );
    }

    #[test]
    fn a_waterfall_axis_follows_each_state_when_they_differ_a_hundredfold() {
        // Totals 3 and 300: one axis would flatten the first to a sliver.
        assert_eq!(
            ranges(vec![state(1.0, 2.0), state(100.0, 200.0)]),
            [None, None]
        );
    }
}
