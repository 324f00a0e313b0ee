//! The sweep: every value a page can show, at every combination of the
//! controls it really depends on.
//!
//! A value's axes come from the model's dependency closure, so a metric that
//! depends on two controls is computed over exactly that two-dimensional
//! grid, never over the product of all controls. Values that share axes are
//! evaluated together, states in parallel.

use crate::diag::{Diagnostic, Diagnostics};
use crate::mission::{Goal, Mission};
use crate::model::{Model, Slot};
use rayon::prelude::*;
use std::collections::BTreeMap;

/// Whether a value follows the controls or stays at the track's defaults.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Mode {
    /// Follows the controls (simulator, reveal, worked example).
    Live,
    /// Evaluated at the default position of every control for each track
    /// (story, stakeholder message, questions): the scenario as told.
    Pinned,
    /// Evaluated at a named scenario (index into `Mission::scenarios`).
    Scenario(u16),
}

impl Mode {
    /// The scenario index, for scenario mode.
    pub fn scenario(self) -> Option<usize> {
        match self {
            Mode::Scenario(s) => Some(s as usize),
            _ => None,
        }
    }
}

/// One axis of a table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Axis {
    /// The track selector.
    Track,
    /// A control, by index into `Mission::controls`.
    Control(usize),
}

/// A value to compute: a model slot in a mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Request {
    /// Model slot.
    pub slot: usize,
    /// Live or pinned.
    pub mode: Mode,
}

/// A computed value over its grid, row-major (last axis fastest).
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// The axes.
    pub axes: Vec<Axis>,
    /// Positions per axis.
    pub shape: Vec<usize>,
    /// Values in base units.
    pub values: Vec<f64>,
}

impl Table {
    /// The flat index of a full state (track and control positions).
    pub fn index(&self, track: usize, positions: &[usize]) -> usize {
        let mut i = 0;
        for (axis, n) in self.axes.iter().zip(&self.shape) {
            let p = match axis {
                Axis::Track => track,
                Axis::Control(c) => positions.get(*c).copied().unwrap_or(0),
            };
            i = i * n + p.min(n - 1);
        }
        i
    }
}

/// The result of a sweep: one table per request.
#[derive(Clone, Debug, Default)]
pub struct Sweep {
    /// Tables by request.
    pub tables: BTreeMap<Request, Table>,
    /// Number of states evaluated (for benchmarks).
    pub states: usize,
}

impl Sweep {
    /// The table of a request; every planned request has one.
    pub fn table(&self, r: Request) -> Option<&Table> {
        self.tables.get(&r)
    }
}

/// Which controls a student can move: those shown in some act.
pub fn movable_controls(mission: &Mission) -> Vec<bool> {
    let mut movable = vec![false; mission.controls.len()];
    for act in &mission.acts {
        if let Some(sim) = &act.simulator {
            for &c in &sim.controls {
                movable[c] = true;
            }
        }
    }
    movable
}

/// Default positions of every control for each track.
pub fn track_defaults(mission: &Mission) -> Vec<Vec<usize>> {
    mission
        .tracks
        .iter()
        .map(|t| {
            let mut p: Vec<usize> = mission.controls.iter().map(|c| c.default).collect();
            for (c, pos) in &t.defaults {
                p[*c] = *pos;
            }
            p
        })
        .collect()
}

/// The positions every control starts from in `mode`, per track: the
/// track's defaults, with a scenario's settings on top.
pub fn base_positions(mission: &Mission, mode: Mode) -> Vec<Vec<usize>> {
    let mut base = track_defaults(mission);
    if let Some(s) = mode.scenario().and_then(|s| mission.scenarios.get(s)) {
        for positions in &mut base {
            for (c, p) in &s.set {
                positions[*c] = *p;
            }
        }
    }
    base
}

/// The track a mode is pinned to, if any (a scenario with a `track`).
pub fn fixed_track(mission: &Mission, mode: Mode) -> Option<usize> {
    mode.scenario()
        .and_then(|s| mission.scenarios.get(s))
        .and_then(|s| s.track)
}

/// The axes of a request.
pub fn axes(mission: &Mission, model: &Model, movable: &[bool], r: Request) -> Vec<Axis> {
    let closure = &model.controls_of[r.slot];
    let set_by_scenario = |c: &usize| {
        r.mode
            .scenario()
            .and_then(|s| mission.scenarios.get(s))
            .is_some_and(|s| s.set.iter().any(|(k, _)| k == c))
    };
    let per_track_default = |c: &usize| {
        !set_by_scenario(c)
            && mission
                .tracks
                .iter()
                .any(|t| t.defaults.iter().any(|(k, _)| k == c))
    };
    let mut axes = Vec::new();
    let track = mission.tracks.len() > 1
        && fixed_track(mission, r.mode).is_none()
        && (model.track_dependent[r.slot]
            || closure
                .iter()
                .filter(|c| r.mode != Mode::Live || !movable[**c])
                .any(per_track_default));
    if track {
        axes.push(Axis::Track);
    }
    if r.mode == Mode::Live {
        axes.extend(
            closure
                .iter()
                .filter(|c| movable[**c])
                .map(|&c| Axis::Control(c)),
        );
    }
    axes
}

/// Requests that share a grid: its axes and the mode.
type GroupKey = (Vec<Axis>, Mode);

/// The values of one group of requests, state by state.
struct Group {
    axes: Vec<Axis>,
    shape: Vec<usize>,
    reqs: Vec<Request>,
    /// For each state, the value of each request (in `reqs` order).
    states: Vec<Vec<f64>>,
}

/// Evaluates every request over its grid. Non-finite values are errors that
/// name the state, so a division by zero at one slider position cannot slip
/// into a book.
pub fn run(mission: &Mission, model: &Model, requests: &[Request]) -> Result<Sweep, Diagnostics> {
    let movable = movable_controls(mission);
    // Group requests by (axes, mode): one grid walk serves the whole group.
    let mut groups: BTreeMap<GroupKey, Vec<Request>> = BTreeMap::new();
    for &r in requests {
        groups
            .entry((axes(mission, model, &movable, r), r.mode))
            .or_default()
            .push(r);
    }
    let groups: Vec<(GroupKey, Vec<Request>)> = groups.into_iter().collect();

    let results: Vec<Group> = groups
        .into_par_iter()
        .map(|((axes, mode), reqs)| {
            let defaults = base_positions(mission, mode);
            let fixed = fixed_track(mission, mode);
            let shape: Vec<usize> = axes
                .iter()
                .map(|a| match a {
                    Axis::Track => mission.tracks.len(),
                    Axis::Control(c) => mission.controls[*c].positions.len(),
                })
                .collect();
            let n: usize = shape.iter().product();
            let slots: Vec<usize> = reqs.iter().map(|r| r.slot).collect();
            let needed = model.needed(&slots);
            let columns: Vec<Vec<f64>> = (0..n)
                .into_par_iter()
                .with_min_len(64)
                .map_init(
                    || (vec![0.0; model.len()], vec![0usize; shape.len()]),
                    |(buf, digits), state| {
                        let (track, positions) =
                            decode(state, &axes, &shape, &defaults, fixed, digits);
                        model.eval_some(track, &positions, None, Some(&needed), buf);
                        reqs.iter().map(|r| buf[r.slot]).collect::<Vec<f64>>()
                    },
                )
                .collect();
            Group {
                axes,
                shape,
                reqs,
                states: columns,
            }
        })
        .collect();

    let mut sweep = Sweep::default();
    // (request, index of the first bad state, its value)
    let mut bad: Vec<(Request, usize, f64)> = Vec::new();
    for Group {
        axes,
        shape,
        reqs,
        states,
    } in results
    {
        sweep.states += states.len();
        for (k, r) in reqs.iter().enumerate() {
            let values: Vec<f64> = states.iter().map(|s| s[k]).collect();
            if let Some(i) = values.iter().position(|v| !v.is_finite()) {
                bad.push((*r, i, values[i]));
            }
            sweep.tables.insert(
                *r,
                Table {
                    axes: axes.clone(),
                    shape: shape.clone(),
                    values,
                },
            );
        }
    }
    // Report where a non-finite value starts, not every formula it flows
    // into, and each formula once (it may be requested in two modes).
    let mut diags = Diagnostics::new();
    let bad_slots: Vec<usize> = bad.iter().map(|(r, ..)| r.slot).collect();
    let mut reported: Vec<usize> = Vec::new();
    for (r, i, v) in &bad {
        let inherited = match model.slots[r.slot] {
            Slot::Formula(f) => model.direct_deps[f].iter().any(|d| bad_slots.contains(d)),
            _ => false,
        };
        if !inherited && !reported.contains(&r.slot) {
            reported.push(r.slot);
            if let Some(t) = sweep.tables.get(r) {
                diags.push(non_finite(mission, model, *r, &t.axes, &t.shape, *i, *v));
            }
        }
    }
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok(sweep)
    }
}

/// Turns a flat state number into a track and control positions (controls
/// not on an axis stay at the track's defaults).
fn decode(
    state: usize,
    axes: &[Axis],
    shape: &[usize],
    defaults: &[Vec<usize>],
    fixed: Option<usize>,
    digits: &mut [usize],
) -> (usize, Vec<usize>) {
    let mut rest = state;
    for k in (0..shape.len()).rev() {
        digits[k] = rest % shape[k];
        rest /= shape[k];
    }
    let track = axes
        .iter()
        .zip(digits.iter())
        .find(|(a, _)| **a == Axis::Track)
        .map_or(fixed.unwrap_or(0), |(_, d)| *d);
    let mut positions = defaults[track].clone();
    for (a, d) in axes.iter().zip(digits.iter()) {
        if let Axis::Control(c) = a {
            positions[*c] = *d;
        }
    }
    (track, positions)
}

/// The diagnostic for a value that is infinite or not a number.
fn non_finite(
    mission: &Mission,
    model: &Model,
    r: Request,
    axes: &[Axis],
    shape: &[usize],
    index: usize,
    value: f64,
) -> Diagnostic {
    let mut digits = vec![0usize; shape.len()];
    let defaults = base_positions(mission, r.mode);
    let (track, positions) = decode(
        index,
        axes,
        shape,
        &defaults,
        fixed_track(mission, r.mode),
        &mut digits,
    );
    let mut state: Vec<String> = Vec::new();
    if axes.contains(&Axis::Track) || fixed_track(mission, r.mode).is_some() {
        state.push(format!("track = {}", mission.tracks[track].id));
    }
    for (i, c) in mission.controls.iter().enumerate() {
        if model.controls_of[r.slot].contains(&i) {
            state.push(format!("{} = {}", c.id, c.positions[positions[i]].label));
        }
    }
    let (name, loc) = match model.slots[r.slot] {
        Slot::Formula(f) => (
            mission.formulas[f].id.clone(),
            Some(mission.formulas[f].expr.loc.clone()),
        ),
        Slot::Constant(c) => (
            mission.constants[c].id.clone(),
            Some(mission.constants[c].loc.clone()),
        ),
        Slot::Control(c) => (
            mission.controls[c].id.clone(),
            Some(mission.controls[c].loc.clone()),
        ),
    };
    let what = if value.is_nan() {
        "not a number"
    } else {
        "infinite (division by zero?)"
    };
    let when = if state.is_empty() {
        "at the default settings".to_string()
    } else {
        format!("when {}", state.join(", "))
    };
    let shown = if name.starts_with("__") {
        "condition".to_string()
    } else {
        format!("`{name}`")
    };
    if let Slot::Formula(f) = model.slots[r.slot] {
        if let Some(search) = &mission.formulas[f].search {
            let range = mission
                .controls
                .iter()
                .find(|c| c.id == search.over)
                .and_then(|c| Some((c.positions.first()?, c.positions.last()?)))
                .map_or_else(String::new, |(a, b)| {
                    format!(" from {} to {}", a.label, b.label)
                });
            let found = match search.goal {
                Goal::Solve => format!(
                    "no value of `{}`{range} makes `{}` hold",
                    search.over, search.text
                ),
                Goal::First => format!(
                    "no position of `{}`{range} makes `{}` true",
                    search.over, search.text
                ),
                Goal::Minimize | Goal::Maximize => format!(
                    "`{}` is not a number anywhere between the ends of `{}`",
                    search.text, search.over
                ),
            };
            return Diagnostic::error(loc, format!("{shown} has no answer {when}: {found}"))
                .with_hint("widen the control's range, or change the goal so it has an answer in every state the book shows");
        }
    }
    Diagnostic::error(loc, format!("{shown} is {what} {when}"))
        .with_hint("guard the expression (e.g. `max(x, 1 ms)` or `if(x > 0, a / x, 0)`) or narrow the control's range")
}
