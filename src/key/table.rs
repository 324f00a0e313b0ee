//! Answer tables: every instrument of an act over the act's control grid,
//! as text cells for the CSV and as a per-track summary for the key.

use super::build::slot_label;
use super::MAX_TABLE_ROWS;
use super::{finite, group, ColumnKey, ColumnSummary, TableKey, TrackSummary};
use crate::book::{status_level, Lab};
use crate::diag::Diagnostics;
use crate::format::{show, DisplayUnit};
use crate::mission::Instrument;
use crate::plan::display_of;
use crate::sweep::{self, Mode, Request, Table};

/// An act's answer table as text, ready for a CSV writer.
#[derive(Clone, Debug, PartialEq)]
pub struct AnswerTable {
    /// Where its CSV goes, relative to the keys folder (`<lab>/<act>.csv`).
    pub path: String,
    /// The headers: `track`, the act's controls, the instrument columns.
    pub header: Vec<String>,
    /// Per column, whether its cells are numbers (the others are text).
    pub numeric: Vec<bool>,
    /// One row per state, track slowest and the last control fastest.
    pub rows: Vec<Vec<String>>,
}

/// What a column shows.
enum Cell<'a> {
    /// A value in a fixed unit.
    Number { table: &'a Table, unit: DisplayUnit },
    /// A status word: the first level whose condition holds.
    Status {
        conds: Vec<Option<&'a Table>>,
        labels: Vec<String>,
    },
    /// Whether a banner shows: `1` or `0`.
    Banner { table: &'a Table },
}

struct Column<'a> {
    key: ColumnKey,
    cell: Cell<'a>,
}

impl<'a> Column<'a> {
    /// The cell at a state, as text, and its number for `value` columns.
    fn at(&self, track: usize, pos: &[usize]) -> (String, Option<f64>) {
        match &self.cell {
            Cell::Number { table, unit } => {
                let v = table.values[table.index(track, pos)];
                // Formatting text for every cell of a large grid is the
                // slow part; the CSV needs only the number.
                let n = finite(match unit {
                    DisplayUnit::Unit(u) => v / u.factor,
                    DisplayUnit::Percent => v * 100.0,
                    other => show(v, other, None).number,
                });
                (crate::format::shortest(n), Some(n))
            }
            Cell::Status { conds, labels } => {
                let k = status_level(conds, |c| {
                    c.is_none_or(|t| t.values[t.index(track, pos)] != 0.0)
                });
                (labels.get(k).cloned().unwrap_or_default(), None)
            }
            Cell::Banner { table } => {
                let on = table.values[table.index(track, pos)] != 0.0;
                (if on { "1" } else { "0" }.to_string(), None)
            }
        }
    }

    /// A column of one kind that shows no number.
    fn plain(header: String, kind: &str, cell: Cell<'a>) -> Column<'a> {
        Column {
            key: ColumnKey {
                header,
                kind: kind.to_string(),
                name: None,
                unit: String::new(),
            },
            cell,
        }
    }
}

/// Display units that pick their unit by magnitude (`duration`, `data`)
/// are fixed to the unit shown at the first track's default state, so a
/// column has one unit.
fn column_unit(unit: &DisplayUnit, at_default: f64) -> DisplayUnit {
    match unit {
        DisplayUnit::Duration | DisplayUnit::Data => {
            let label = show(at_default, unit, None).unit;
            let symbol = if label == "y" { "year" } else { label.as_str() };
            crate::units::parse_unit(symbol).map_or_else(|_| unit.clone(), DisplayUnit::Unit)
        }
        other => other.clone(),
    }
}

fn unit_label(unit: &DisplayUnit) -> String {
    match unit {
        DisplayUnit::Unit(u) => u.symbol.clone(),
        DisplayUnit::Percent => "%".to_string(),
        DisplayUnit::Duration => "s".to_string(),
        DisplayUnit::Data => "B".to_string(),
    }
}

/// The live sweep of a name: its value at every state of the grid.
fn live<'a>(lab: &Lab<'a>, name: &str) -> Result<&'a Table, Diagnostics> {
    let slot = lab
        .model
        .slot(name)
        .ok_or_else(|| Diagnostics::internal(format_args!("unresolved name {name}")))?;
    lab.sweep
        .table(Request {
            slot,
            mode: Mode::Live,
        })
        .ok_or_else(|| Diagnostics::internal(format_args!("no live sweep for {name}")))
}

/// Adds a `value` column for `name`, unless the same value in the same
/// unit already has one, whichever instrument shows it. A column's table
/// may have fewer axes than the act's grid: `Table::index` reads only the
/// positions of its own axes.
fn value_column<'a>(
    lab: &Lab<'a>,
    name: &str,
    label: String,
    columns: &mut Vec<Column<'a>>,
) -> Result<(), Diagnostics> {
    let slot = lab
        .model
        .slot(name)
        .ok_or_else(|| Diagnostics::internal(format_args!("unresolved name {name}")))?;
    let table = live(lab, name)?;
    let display = display_of(lab.mission, lab.model, slot);
    let defaults = sweep::track_defaults(lab.mission);
    let v0 = table.values[table.index(0, &defaults[0])];
    let unit = column_unit(&display.unit, v0);
    let symbol = unit_label(&unit);
    let header = if symbol.is_empty() {
        label
    } else {
        format!("{label} ({symbol})")
    };
    if columns.iter().any(|c| c.key.header == header) {
        return Ok(());
    }
    columns.push(Column {
        key: ColumnKey {
            header,
            kind: "value".to_string(),
            name: Some(name.to_string()),
            unit: symbol,
        },
        cell: Cell::Number { table, unit },
    });
    Ok(())
}

/// The instrument columns of an act, in instrument order.
fn columns<'a>(lab: &Lab<'a>, instruments: &[Instrument]) -> Result<Vec<Column<'a>>, Diagnostics> {
    let m = lab.mission;
    let label_of = |name: &str| slot_label(lab, lab.model.slot(name).unwrap_or(0));
    let mut columns: Vec<Column<'a>> = Vec::new();
    let mut banners = 0;
    for inst in instruments {
        match inst {
            Instrument::Metric { value, label, .. } => {
                let label = label.clone().unwrap_or_else(|| label_of(value));
                value_column(lab, value, label, &mut columns)?;
            }
            Instrument::Status {
                label,
                value,
                levels,
                ..
            } => {
                let conds = levels
                    .iter()
                    .map(|l| l.when.as_deref().map(|w| live(lab, w)).transpose())
                    .collect::<Result<Vec<_>, _>>()?;
                let labels = levels.iter().map(|l| l.label.clone()).collect();
                columns.push(Column::plain(
                    label.clone(),
                    "status",
                    Cell::Status { conds, labels },
                ));
                if let Some((v, _)) = value {
                    value_column(lab, v, label_of(v), &mut columns)?;
                }
            }
            Instrument::Plot(p) => {
                for (name, _) in crate::plan::plot_values(p) {
                    value_column(lab, name, label_of(name), &mut columns)?;
                }
            }
            Instrument::Banner { when, tone, .. } => {
                banners += 1;
                columns.push(Column::plain(
                    format!("Banner {banners} shown ({})", tone.as_str()),
                    "banner",
                    Cell::Banner {
                        table: live(lab, when)?,
                    },
                ));
            }
            Instrument::Badges(list) => {
                for b in list {
                    // The condition as the author wrote it: the badge's
                    // texts hold `{{ }}` references, which a header cannot
                    // fill in for every track at once.
                    let condition = m
                        .formulas
                        .iter()
                        .find(|f| f.id == b.ok)
                        .map_or(b.ok.as_str(), |f| f.expr.src.trim());
                    columns.push(Column::plain(
                        format!("Constraint met: {condition}"),
                        "badge",
                        Cell::Banner {
                            table: live(lab, &b.ok)?,
                        },
                    ));
                }
            }
            // An instrument kind added later gets no column until it is
            // taught here; the key still builds.
            #[allow(unreachable_patterns)]
            _ => {}
        }
    }
    Ok(columns)
}

/// The act's grid: its controls (sorted, as the sweep orders its axes), the
/// positions of each, and the states per track (`None` on overflow).
struct Grid {
    controls: Vec<usize>,
    shape: Vec<usize>,
    per_track: Option<usize>,
}

impl Grid {
    fn new(lab: &Lab, sim_controls: &[usize]) -> Grid {
        let mut controls: Vec<usize> = sim_controls.to_vec();
        controls.sort_unstable();
        controls.dedup();
        let shape: Vec<usize> = controls
            .iter()
            .map(|&c| lab.mission.controls[c].positions.len())
            .collect();
        let per_track = shape.iter().try_fold(1usize, |acc, n| acc.checked_mul(*n));
        Grid {
            controls,
            shape,
            per_track,
        }
    }

    /// Sets `pos` to the grid's `state`-th state, the last control fastest.
    fn place(&self, state: usize, pos: &mut [usize]) {
        let mut rest = state;
        for k in (0..self.shape.len()).rev() {
            pos[self.controls[k]] = rest % self.shape[k];
            rest /= self.shape[k];
        }
    }
}

/// The answer table of one act: columns for the track, each of the act's
/// controls (in the sweep's axis order) and each instrument; one row per
/// state, track slowest and the last control fastest. The rows are left
/// out (`None`) beyond [`MAX_TABLE_ROWS`].
pub(super) fn answer_table(
    lab: &Lab,
    act: &str,
    sim_controls: &[usize],
    instruments: &[Instrument],
) -> Result<(TableKey, Option<AnswerTable>), Diagnostics> {
    let m = lab.mission;
    let columns = columns(lab, instruments)?;
    let grid = Grid::new(lab, sim_controls);
    let rows = grid.per_track.and_then(|n| n.checked_mul(m.tracks.len()));
    let listed = rows.filter(|r| *r <= MAX_TABLE_ROWS);
    let mut table = AnswerTable {
        path: format!("{}/{act}.csv", m.id),
        header: std::iter::once("track".to_string())
            .chain(grid.controls.iter().map(|&c| m.controls[c].label.clone()))
            .chain(columns.iter().map(|c| c.key.header.clone()))
            .collect(),
        numeric: std::iter::repeat_n(false, 1 + grid.controls.len())
            .chain(
                columns
                    .iter()
                    .map(|c| matches!(c.cell, Cell::Number { .. })),
            )
            .collect(),
        rows: Vec::new(),
    };
    let mut summary = Vec::new();
    for ti in 0..m.tracks.len() {
        let states = listed.and(grid.per_track);
        summary.push(track_rows(
            lab,
            ti,
            &grid,
            &columns,
            states,
            &mut table.rows,
        ));
    }
    let key = TableKey {
        act: act.to_string(),
        csv: listed.map(|_| table.path.clone()),
        rows: rows.unwrap_or(usize::MAX),
        controls: grid
            .controls
            .iter()
            .map(|&c| m.controls[c].id.clone())
            .collect(),
        columns: columns.into_iter().map(|c| c.key).collect(),
        summary,
    };
    Ok((key, listed.map(|_| table)))
}

/// One track's rows (all `states` of the grid, when listed) and its summary:
/// each column at the track's default state, the range of its numbers and
/// the distinct texts it shows.
fn track_rows(
    lab: &Lab,
    ti: usize,
    grid: &Grid,
    columns: &[Column],
    states: Option<usize>,
    rows: &mut Vec<Vec<String>>,
) -> TrackSummary {
    let m = lab.mission;
    let defaults = sweep::track_defaults(m);
    let default: Vec<(String, Option<f64>)> =
        columns.iter().map(|c| c.at(ti, &defaults[ti])).collect();
    let mut ranges: Vec<Option<(f64, f64)>> = vec![None; columns.len()];
    let mut seen: Vec<Vec<String>> = vec![Vec::new(); columns.len()];
    let mut pos = defaults[ti].clone();
    for state in 0..states.unwrap_or(0) {
        grid.place(state, &mut pos);
        let mut row = Vec::with_capacity(1 + grid.controls.len() + columns.len());
        row.push(m.tracks[ti].id.clone());
        row.extend(
            grid.controls
                .iter()
                .map(|&c| m.controls[c].positions[pos[c]].label.clone()),
        );
        for (k, col) in columns.iter().enumerate() {
            let (text, n) = col.at(ti, &pos);
            match n {
                Some(x) => {
                    ranges[k] = Some(match ranges[k] {
                        Some((lo, hi)) => (lo.min(x), hi.max(x)),
                        None => (x, x),
                    });
                }
                None => {
                    if !seen[k].contains(&text) {
                        seen[k].push(text.clone());
                    }
                }
            }
            row.push(text);
        }
        rows.push(row);
    }
    TrackSummary {
        track: m.tracks[ti].id.clone(),
        columns: columns
            .iter()
            .zip(default)
            .zip(ranges.into_iter().zip(seen))
            .map(|((c, (text, _)), (range, seen))| ColumnSummary {
                header: c.key.header.clone(),
                default: text,
                min: range.map(|r| r.0),
                max: range.map(|r| r.1),
                seen,
            })
            .collect(),
    }
}

/// The warning for an act whose table is too large to list.
pub(super) fn too_large(act: &str, rows: usize) -> String {
    format!(
        "the answer table of act `{act}` has {} rows, more than {}; the keys leave out its CSV",
        group(rows),
        group(MAX_TABLE_ROWS)
    )
}
