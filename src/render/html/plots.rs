//! A plot instrument's cells: the figure stage's SVG and data table at
//! every state it depends on, interned into the page's fragments.

use super::cells::Cells;
use crate::figure::states::Plot;
use crate::mission::PlotSpec;
use crate::sweep::Axis;
use serde_json::{json, Value};

/// The cells of a plot drawn by the figure stage: its SVG and table per
/// state, interned into the page's fragments.
pub(crate) fn plot_cells(cells: &mut Cells, p: &PlotSpec, plot: &Plot) -> Value {
    let mut svg_ids = Vec::with_capacity(plot.states.len());
    let mut table_ids = Vec::with_capacity(plot.states.len());
    for (svg, table) in plot.svgs.iter().zip(&plot.tables) {
        svg_ids.push(json!(cells.intern_fragment(svg.clone())));
        table_ids.push(json!(cells.intern_fragment(table.clone())));
    }
    plot_ctx(cells, p, &plot.axes, &plot.states, svg_ids, table_ids)
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
