//! A plot instrument's cells: its SVG at every state it depends on.

use super::cells::{union, Cells};
use crate::diag::Diagnostics;
use crate::format::show;
use crate::mission::{PlotKind, PlotSpec, Tone};
use crate::plots;
use crate::render::figures;
use crate::sweep::Axis;
use crate::text::escape;
use serde_json::{json, Value};

pub(crate) fn tone_of(t: Tone) -> plots::Tone {
    match t {
        Tone::Good => plots::Tone::Good,
        Tone::Warn => plots::Tone::Warn,
        Tone::Bad => plots::Tone::Bad,
        Tone::Info => plots::Tone::Info,
    }
}

/// The series tones used when a plot does not name them.
pub(crate) const SERIES_TONES: [plots::Tone; 5] = [
    plots::Tone::Info,
    plots::Tone::Bad,
    plots::Tone::Warn,
    plots::Tone::Accent,
    plots::Tone::Neutral,
];

pub(crate) fn axis_text(p: &PlotSpec, unit_label: &str) -> String {
    match (p.axis.is_empty(), unit_label.is_empty()) {
        (true, _) => unit_label.to_string(),
        (false, true) => p.axis.clone(),
        (false, false) => format!("{} ({unit_label})", p.axis),
    }
}

/// The plot cells (SVG and data table) of one plot over its grid.
pub(crate) fn plot_cells(cells: &mut Cells, p: &PlotSpec) -> Result<Value, Diagnostics> {
    if !matches!(p.kind, PlotKind::Timeline | PlotKind::Bars) {
        return figures::chart_cells(cells, p);
    }
    let mission = cells.lab.mission;
    let mut axes = cells.text_axes(&p.title);
    let mut tables = Vec::new();
    for s in &p.series {
        let t = cells.live_table(&s.value)?;
        axes.extend(t.axes.iter().copied());
        tables.push(t);
    }
    let axes = union(axes);
    let states = cells.states(&axes);
    let mut svg_ids = Vec::with_capacity(states.len());
    let mut table_ids = Vec::with_capacity(states.len());
    for (track, pos) in &states {
        let title = cells.plain_at(&p.title, *track, pos);
        let mut series = Vec::new();
        let mut unit_label = String::new();
        for (k, (s, t)) in p.series.iter().zip(&tables).enumerate() {
            let v = t.values[t.index(*track, pos)];
            let shown = show(v, &p.display.unit, p.display.digits);
            unit_label = shown.unit.clone();
            series.push(plots::Series {
                label: s.label.clone(),
                value: shown.number,
                text: shown.text,
                tone: s
                    .tone
                    .map(tone_of)
                    .unwrap_or(SERIES_TONES[k % SERIES_TONES.len()]),
            });
        }
        let description = series
            .iter()
            .map(|s| format!("{}: {}", s.label, s.text))
            .collect::<Vec<_>>()
            .join("; ");
        let plot = plots::Plot {
            kind: match p.kind {
                PlotKind::Timeline => plots::PlotKind::Timeline,
                _ => plots::PlotKind::Bars,
            },
            title: title.clone(),
            axis_label: axis_text(p, &unit_label),
            series: series.clone(),
            description: format!("{title}. {description}."),
        };
        let svg = plots::render_svg(&plot);
        svg_ids.push(json!(cells.intern_fragment(svg)));
        let mut table = format!(
            "<table class=\"plot-data\"><caption>{}</caption><thead><tr><th scope=\"col\">Series</th><th scope=\"col\">Value</th></tr></thead><tbody>",
            escape(&title)
        );
        for s in &series {
            table.push_str(&format!(
                "<tr><th scope=\"row\">{}</th><td>{}</td></tr>",
                escape(&s.label),
                escape(&s.text)
            ));
        }
        table.push_str("</tbody></table>");
        table_ids.push(json!(cells.intern_fragment(table)));
    }
    let _ = mission;
    Ok(plot_ctx(cells, p, &axes, &states, svg_ids, table_ids))
}

/// A plot's template context: its SVG and table cells over `axes`, and the
/// fragments the page starts with (the first track's default state).
pub(crate) fn plot_ctx(
    cells: &mut Cells,
    p: &PlotSpec,
    axes: &[Axis],
    states: &[(usize, Vec<usize>)],
    svg_ids: Vec<Value>,
    table_ids: Vec<Value>,
) -> Value {
    let key = format!("plot:{}:{}", p.loc, p.loc.column);
    let initial = states
        .iter()
        .position(|(t, pos)| *t == 0 && *pos == cells.defaults[0])
        .unwrap_or(0);
    let first = |ids: &[Value]| ids.get(initial).and_then(Value::as_u64).unwrap_or(0) as usize;
    let (svg_initial, table_initial) = (first(&svg_ids), first(&table_ids));
    let svg_cell = cells.add(format!("{key}:svg"), axes, vec![("html", svg_ids)]);
    let table_cell = cells.add(format!("{key}:table"), axes, vec![("html", table_ids)]);
    let defaults0 = cells.defaults[0].clone();
    json!({
        "kind": "plot",
        "chart": p.kind.name(),
        "title": cells.plain_at(&p.title, 0, &defaults0),
        "svg_cell": svg_cell,
        "svg": cells.fragments[svg_initial],
        "table_cell": table_cell,
        "table": cells.fragments[table_initial],
    })
}
