//! Gauges, radars, waterfalls and Sankey diagrams at one state, with their
//! data tables.

use super::{in_unit, single_table, titled, tone_of, unit_label, Ctx, Drawn};
use crate::diag::Diagnostics;
use crate::figure::{self, Figure};
use crate::format::escape;
use crate::format::{show, DisplayUnit};
use crate::mission::{PlotDetail, PlotSpec};

/// A dial at one state.
pub(super) fn gauge(
    ctx: &Ctx,
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
        return Err(Diagnostics::internal("gauge without its detail"));
    };
    let here = ctx.at(track, pos, None);
    let v = ctx.read(&here, value)?;
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

/// Polygons at one state; the radii are fixed over the states later.
pub(super) fn radar(
    ctx: &Ctx,
    p: &PlotSpec,
    title: &str,
    track: usize,
    pos: &[usize],
) -> Result<Drawn, Diagnostics> {
    let PlotDetail::Radar { axes, log } = &p.detail else {
        return Err(Diagnostics::internal("radar without its detail"));
    };
    let here = ctx.at(track, pos, None);
    let unit = unit_label(&p.display);
    let mut series = Vec::new();
    let mut texts: Vec<Vec<String>> = Vec::new();
    for (k, s) in p.series.iter().enumerate() {
        let mut values = Vec::new();
        let mut row = Vec::new();
        for (name, _) in &s.values {
            let v = ctx.read(&here, name)?;
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
        escape::html(title)
    );
    for s in &p.series {
        table.push_str(&format!(
            "<th scope=\"col\">{}</th>",
            escape::html(&s.label)
        ));
    }
    table.push_str("</tr></thead><tbody>");
    for (i, a) in axes.iter().enumerate() {
        table.push_str(&format!("<tr><th scope=\"row\">{}</th>", escape::html(a)));
        for row in &texts {
            table.push_str(&format!(
                "<td>{}</td>",
                escape::html(row.get(i).map_or("", String::as_str))
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

/// The steps of a waterfall.
fn steps(ctx: &Ctx, p: &PlotSpec, values: &[f64]) -> Result<Vec<figure::Series>, Diagnostics> {
    p.series
        .iter()
        .enumerate()
        .map(|(k, s)| {
            let v = ctx.read(values, &s.value)?;
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

/// Steps that add up, at one state.
pub(super) fn waterfall(
    ctx: &Ctx,
    p: &PlotSpec,
    title: &str,
    track: usize,
    pos: &[usize],
) -> Result<Drawn, Diagnostics> {
    let PlotDetail::Waterfall { total } = &p.detail else {
        return Err(Diagnostics::internal("waterfall without its detail"));
    };
    let here = ctx.at(track, pos, None);
    let steps = steps(ctx, p, &here)?;
    let sum: f64 = p
        .series
        .iter()
        .map(|s| ctx.read(&here, &s.value))
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

/// Flows at one state.
pub(super) fn sankey(
    ctx: &Ctx,
    p: &PlotSpec,
    title: &str,
    track: usize,
    pos: &[usize],
) -> Result<Drawn, Diagnostics> {
    let PlotDetail::Sankey { nodes, flows } = &p.detail else {
        return Err(Diagnostics::internal("sankey without its detail"));
    };
    let here = ctx.at(track, pos, None);
    let mut out = Vec::new();
    let mut rows = Vec::new();
    for f in flows {
        let v = ctx.read(&here, &f.value)?;
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
