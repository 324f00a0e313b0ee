//! The grid of states a lab's figures (and its page's other precomputed
//! cells) are drawn over: which controls a value depends on, and every
//! combination of their positions, the others held at their defaults.

use crate::book::Lab;
use crate::diag::Diagnostics;
use crate::format::prose;
use crate::format::prose::Piece;
use crate::mission::Text;
use crate::sweep::{Axis, Mode, Request, Table};

/// Sorted, without repeats.
pub fn union(mut axes: Vec<Axis>) -> Vec<Axis> {
    axes.sort();
    axes.dedup();
    axes
}

/// The number of positions along each axis.
pub fn shape_of(lab: &Lab, axes: &[Axis]) -> Vec<usize> {
    axes.iter()
        .map(|a| match a {
            Axis::Track => lab.mission.tracks.len(),
            Axis::Control(c) => lab.mission.controls[*c].positions.len(),
        })
        .collect()
}

/// Every full state (track, positions) of a grid, in row-major order;
/// controls off the grid sit at their track's defaults.
pub fn states(lab: &Lab, defaults: &[Vec<usize>], axes: &[Axis]) -> Vec<(usize, Vec<usize>)> {
    let shape = shape_of(lab, axes);
    let n: usize = shape.iter().product();
    (0..n)
        .map(|mut s| {
            let mut digits = vec![0; shape.len()];
            for k in (0..shape.len()).rev() {
                digits[k] = s % shape[k];
                s /= shape[k];
            }
            let track = axes
                .iter()
                .zip(&digits)
                .find(|(a, _)| **a == Axis::Track)
                .map_or(0, |(_, d)| *d);
            let mut pos = defaults[track].clone();
            for (a, d) in axes.iter().zip(&digits) {
                if let Axis::Control(c) = a {
                    pos[*c] = *d;
                }
            }
            (track, pos)
        })
        .collect()
}

/// The index of the state a page starts in: the first track at its
/// defaults (or the first state).
pub fn initial(states: &[(usize, Vec<usize>)], defaults: &[Vec<usize>]) -> usize {
    states
        .iter()
        .position(|(t, pos)| *t == 0 && *pos == defaults[0])
        .unwrap_or(0)
}

/// The live sweep of `name`.
pub fn live_table<'a>(lab: &Lab<'a>, name: &str) -> Result<&'a Table, Diagnostics> {
    let slot = lab
        .model
        .slot(name)
        .ok_or_else(|| Diagnostics::internal(format_args!("unresolved name {name}")))?;
    lab.sweep
        .table(Request {
            slot,
            mode: Mode::Live,
        })
        .ok_or_else(|| Diagnostics::internal(format_args!("no sweep for {name}")))
}

/// Axes of a text's live references.
pub fn text_axes(lab: &Lab, t: &Text) -> Vec<Axis> {
    let mut axes = Vec::new();
    if let Ok(pieces) = prose::parse(&t.src) {
        for p in pieces {
            if let Piece::Ref(r) = p {
                if let Ok(table) = live_table(lab, &r.name) {
                    axes.extend(table.axes.iter().copied());
                }
            }
        }
    }
    axes
}
