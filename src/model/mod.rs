//! The compiled model of one mission: every name resolved to a slot, every
//! formula parsed, checked for units and cycles, and ordered so one pass
//! evaluates a whole state.
//!
//! Slots are laid out as constants, then controls, then formulas, and a
//! state is evaluated into a flat `Vec<f64>` (values in base units), which
//! keeps the sweep free of string lookups.

mod compile;

pub use compile::{compile, expr_location};

use crate::expr::{Compiled, Expr};
use crate::mission::Goal;
use crate::units::Dim;
use std::collections::{BTreeSet, HashMap};

/// How one formula slot is filled.
#[derive(Debug)]
enum Step {
    /// Evaluate a compiled expression.
    Expr(Compiled),
    /// Search over a control (a search formula).
    Search(SearchStep),
}

/// A compiled search: re-evaluates the formulas that depend on one control
/// with that control set to trial values.
#[derive(Debug)]
struct SearchStep {
    goal: Goal,
    /// The slot of the control searched over.
    over: usize,
    /// Slots of the objective (two for `solve`: its sides).
    targets: Vec<usize>,
    /// The control's position values, in order (for discrete searches).
    grid: Vec<f64>,
    /// Whether to search the continuous range between the smallest and the
    /// largest position, rather than the positions themselves.
    continuous: bool,
    /// Program entries, in order, to re-run after setting the control.
    rerun: Vec<usize>,
}

/// Points of the coarse scan that brackets a continuous search.
const SCAN_POINTS: usize = 96;
/// Refinement steps after the scan (golden section or bisection); each
/// shrinks the bracket by 0.618 or 0.5, far below display precision.
const REFINE_STEPS: usize = 100;
/// Refinement stops once the bracket is this small relative to the
/// searched range: well below what any display shows.
const REFINE_TOLERANCE: f64 = 1e-12;

/// What a slot holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slot {
    /// Index into `Mission::constants`.
    Constant(usize),
    /// Index into `Mission::controls`.
    Control(usize),
    /// Index into `Mission::formulas`.
    Formula(usize),
}

/// A mission's model, ready to evaluate.
#[derive(Debug)]
pub struct Model {
    /// What each slot holds.
    pub slots: Vec<Slot>,
    /// Slot of each name.
    pub index: HashMap<String, usize>,
    /// Dimension of each slot.
    pub dims: Vec<Dim>,
    /// Parsed expression of each formula (by formula index).
    pub exprs: Vec<Expr>,
    /// Controls each slot depends on, directly or through other formulas.
    pub controls_of: Vec<BTreeSet<usize>>,
    /// Whether each slot depends on a constant that some track overrides.
    pub track_dependent: Vec<bool>,
    /// Constant values per track, in base units.
    constants_by_track: Vec<Vec<f64>>,
    /// Control values per position, in base units.
    control_values: Vec<Vec<f64>>,
    /// Formulas in evaluation order: the slot each fills, and how.
    program: Vec<(usize, Step)>,
    /// Slots each formula uses directly (by formula index).
    pub direct_deps: Vec<Vec<usize>>,
}

impl Model {
    /// The slot of `name`, if it exists.
    pub fn slot(&self, name: &str) -> Option<usize> {
        self.index.get(name).copied()
    }

    /// Number of slots.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// Whether the model has no names.
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// Evaluates every slot for one state: a track and a position per control.
    /// `out` must have `len()` entries.
    pub fn eval(&self, track: usize, positions: &[usize], out: &mut [f64]) {
        self.eval_with(track, positions, None, out);
    }

    /// Like [`Model::eval`], with one control set to a value of its own
    /// (in base units) instead of a position: used to sample curves between
    /// a control's positions.
    pub fn eval_with(
        &self,
        track: usize,
        positions: &[usize],
        set: Option<(usize, f64)>,
        out: &mut [f64],
    ) {
        self.eval_some(track, positions, set, None, out);
    }

    /// The program entries, in order, that computing `slots` needs: their
    /// formulas and everything those use. A sweep of a few values then skips
    /// the rest of the model (a costly search in another act, say).
    pub fn needed(&self, slots: &[usize]) -> Vec<usize> {
        let mut want = vec![false; self.slots.len()];
        let mut stack: Vec<usize> = slots.to_vec();
        while let Some(s) = stack.pop() {
            if std::mem::replace(&mut want[s], true) {
                continue;
            }
            if let Slot::Formula(f) = self.slots[s] {
                stack.extend(self.direct_deps[f].iter().copied());
            }
        }
        (0..self.program.len())
            .filter(|&j| want[self.program[j].0])
            .collect()
    }

    /// Like [`Model::eval_with`], running only the program entries `only`
    /// (from [`Model::needed`]); the other formula slots keep whatever `out`
    /// held.
    pub fn eval_some(
        &self,
        track: usize,
        positions: &[usize],
        set: Option<(usize, f64)>,
        only: Option<&[usize]>,
        out: &mut [f64],
    ) {
        let constants = &self.constants_by_track[track];
        out[..constants.len()].copy_from_slice(constants);
        let base = constants.len();
        for (i, values) in self.control_values.iter().enumerate() {
            let p = positions.get(i).copied().unwrap_or(0).min(values.len() - 1);
            out[base + i] = values[p];
        }
        if let Some((c, v)) = set {
            if let Some(x) = out.get_mut(base + c) {
                *x = v;
            }
        }
        match only {
            Some(entries) => {
                for &j in entries {
                    self.step(j, out);
                }
            }
            None => {
                for j in 0..self.program.len() {
                    self.step(j, out);
                }
            }
        }
    }

    /// Runs one program entry.
    fn step(&self, j: usize, out: &mut [f64]) {
        let (slot, step) = &self.program[j];
        out[*slot] = match step {
            Step::Expr(c) => c.eval(out),
            Step::Search(s) => self.search(s, out),
        };
    }

    /// The value a search formula finds in the state held by `out`; NaN when
    /// there is none (the sweep reports it with the state).
    fn search(&self, s: &SearchStep, out: &[f64]) -> f64 {
        let mut buf = out.to_vec();
        let mut at = |x: f64| -> f64 {
            buf[s.over] = x;
            for &j in &s.rerun {
                self.step(j, &mut buf);
            }
            match s.goal {
                Goal::Minimize | Goal::First => buf[s.targets[0]],
                Goal::Maximize => -buf[s.targets[0]],
                Goal::Solve => buf[s.targets[0]] - buf[s.targets[1]],
            }
        };
        match (s.goal, s.continuous) {
            (Goal::First, _) => s
                .grid
                .iter()
                .copied()
                .find(|&x| {
                    let v = at(x);
                    v != 0.0 && !v.is_nan()
                })
                .unwrap_or(f64::NAN),
            (Goal::Minimize | Goal::Maximize, false) => {
                let mut best = (f64::NAN, f64::INFINITY);
                for &x in &s.grid {
                    let v = at(x);
                    if v < best.1 {
                        best = (x, v);
                    }
                }
                best.0
            }
            (Goal::Solve, false) => s
                .grid
                .iter()
                .copied()
                .find(|&x| at(x) == 0.0)
                .unwrap_or(f64::NAN),
            (goal, true) => {
                let lo = s.grid.iter().copied().fold(f64::INFINITY, f64::min);
                let hi = s.grid.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                let log = lo > 0.0 && hi / lo > 100.0;
                type Map = fn(f64) -> f64;
                let (to, from): (Map, Map) = if log {
                    (f64::ln, f64::exp)
                } else {
                    (|x| x, |u| u)
                };
                let (ulo, uhi) = (to(lo), to(hi));
                let mut f = |u: f64| at(from(u.clamp(ulo, uhi)));
                let u = if goal == Goal::Solve {
                    solve(&mut f, ulo, uhi)
                } else {
                    minimize(&mut f, ulo, uhi)
                };
                from(u)
            }
        }
    }
}

/// The scan point `k` of `SCAN_POINTS` between `lo` and `hi`.
fn scan_point(lo: f64, hi: f64, k: usize) -> f64 {
    lo + (hi - lo) * k as f64 / (SCAN_POINTS - 1) as f64
}

/// The smallest `u` in `[lo, hi]` with `f(u) = 0`: a scan for the first sign
/// change, then bisection. NaN if `f` never changes sign.
fn solve(f: &mut dyn FnMut(f64) -> f64, lo: f64, hi: f64) -> f64 {
    let mut prev = (lo, f(lo));
    if prev.1 == 0.0 {
        return lo;
    }
    for k in 1..SCAN_POINTS {
        let u = scan_point(lo, hi, k);
        let v = f(u);
        if v == 0.0 {
            return u;
        }
        if prev.1.is_finite() && v.is_finite() && (prev.1 < 0.0) != (v < 0.0) {
            let (mut a, mut b, fa) = (prev.0, u, prev.1);
            let tiny = REFINE_TOLERANCE * (hi - lo).abs().max(f64::MIN_POSITIVE);
            for _ in 0..REFINE_STEPS {
                if (b - a).abs() <= tiny {
                    break;
                }
                let m = 0.5 * (a + b);
                let fm = f(m);
                if fm == 0.0 {
                    return m;
                }
                if (fm < 0.0) == (fa < 0.0) {
                    a = m;
                } else {
                    b = m;
                }
            }
            return 0.5 * (a + b);
        }
        prev = (u, v);
    }
    f64::NAN
}

/// The `u` in `[lo, hi]` where `f` is smallest: a scan for the best point
/// (the first, on ties), then golden-section search between its neighbours.
/// NaN if `f` is never a number.
fn minimize(f: &mut dyn FnMut(f64) -> f64, lo: f64, hi: f64) -> f64 {
    let mut best: Option<(usize, f64)> = None;
    for k in 0..SCAN_POINTS {
        let v = f(scan_point(lo, hi, k));
        if !v.is_nan() && best.is_none_or(|(_, b)| v < b) {
            best = Some((k, v));
        }
    }
    let Some((k, fk)) = best else {
        return f64::NAN;
    };
    let mut a = scan_point(lo, hi, k.saturating_sub(1));
    let mut b = scan_point(lo, hi, (k + 1).min(SCAN_POINTS - 1));
    let r = (5f64.sqrt() - 1.0) / 2.0;
    let mut c = b - r * (b - a);
    let mut d = a + r * (b - a);
    let (mut fc, mut fd) = (f(c), f(d));
    let tiny = REFINE_TOLERANCE * (hi - lo).abs().max(f64::MIN_POSITIVE);
    for _ in 0..REFINE_STEPS {
        if (b - a).abs() <= tiny {
            break;
        }
        if fc <= fd {
            b = d;
            d = c;
            fd = fc;
            c = b - r * (b - a);
            fc = f(c);
        } else {
            a = c;
            c = d;
            fc = fd;
            d = a + r * (b - a);
            fd = f(d);
        }
    }
    let u = 0.5 * (a + b);
    // A flat or kinked objective can leave the bracket on a worse point than
    // the scan found; keep the better of the two.
    if f(u) <= fk {
        u
    } else {
        scan_point(lo, hi, k)
    }
}
