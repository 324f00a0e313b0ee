//! The compiled model of one mission: every name resolved to a slot, every
//! formula parsed, checked for units and cycles, and ordered so one pass
//! evaluates a whole state.
//!
//! Slots are laid out as constants, then controls, then formulas, and a
//! state is evaluated into a flat `Vec<f64>` (values in base units), which
//! keeps the sweep free of string lookups.

use crate::diag::{did_you_mean, Diagnostic, Diagnostics, Location};
use crate::expr::{self, Compiled, Expr};
use crate::format::display_dim;
use crate::mission::{Mission, Source};
use crate::units::Dim;
use std::collections::{BTreeSet, HashMap};

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
    /// Formulas in evaluation order: (slot, compiled expression).
    program: Vec<(usize, Compiled)>,
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
        let constants = &self.constants_by_track[track];
        out[..constants.len()].copy_from_slice(constants);
        let base = constants.len();
        for (i, values) in self.control_values.iter().enumerate() {
            let p = positions.get(i).copied().unwrap_or(0).min(values.len() - 1);
            out[base + i] = values[p];
        }
        for (slot, compiled) in &self.program {
            out[*slot] = compiled.eval(out);
        }
    }
}

/// Location of a char offset inside an expression written at `src`.
pub fn expr_location(mission: &Mission, src: &Source, char_offset: usize) -> Location {
    // Find the expression text on its line so quoting does not shift columns.
    let mut loc = src.loc.clone();
    let line = mission
        .source
        .lines()
        .nth(loc.line.saturating_sub(1))
        .unwrap_or("");
    let col0 = loc.column.saturating_sub(1);
    let rest: String = line.chars().skip(col0).collect();
    let shift = rest
        .find(src.src.as_str())
        .map_or(0, |b| rest[..b].chars().count());
    loc.column += shift + char_offset;
    loc
}

/// Compiles a mission's model; collects every name, unit and cycle error.
pub fn compile(mission: &Mission) -> Result<Model, Diagnostics> {
    let mut diags = Diagnostics::new();
    let nc = mission.constants.len();
    let nk = mission.controls.len();
    let mut slots = Vec::new();
    let mut index = HashMap::new();
    let mut dims = Vec::new();
    for (i, c) in mission.constants.iter().enumerate() {
        index.insert(c.id.clone(), slots.len());
        slots.push(Slot::Constant(i));
        dims.push(c.value.dim);
    }
    for (i, c) in mission.controls.iter().enumerate() {
        index.insert(c.id.clone(), slots.len());
        slots.push(Slot::Control(i));
        dims.push(c.dim);
    }
    for (i, f) in mission.formulas.iter().enumerate() {
        index.insert(f.id.clone(), slots.len());
        slots.push(Slot::Formula(i));
        dims.push(Dim::DIMENSIONLESS);
    }
    let public_names: Vec<&str> = index
        .keys()
        .filter(|k| !k.starts_with("__"))
        .map(String::as_str)
        .collect();

    // Parse, and resolve names.
    let mut exprs = Vec::new();
    let mut deps: Vec<Vec<usize>> = Vec::new();
    for f in &mission.formulas {
        match expr::parse(&f.expr.src) {
            Ok(e) => {
                let mut d = Vec::new();
                for (name, span) in e.names() {
                    match index.get(&name) {
                        Some(&s) if !name.starts_with("__") => d.push(s),
                        _ => {
                            let mut sorted = public_names.clone();
                            sorted.sort();
                            let hint = match did_you_mean(&name, sorted.iter().copied()) {
                                Some(s) => format!("did you mean `{s}`?"),
                                None => "define it under `constants`, `controls` or `formulas`"
                                    .to_string(),
                            };
                            diags.push(
                                Diagnostic::error(
                                    Some(expr_location(mission, &f.expr, span.start)),
                                    format!("unknown name `{name}`"),
                                )
                                .with_hint(hint),
                            );
                        }
                    }
                }
                deps.push(d);
                exprs.push(Some(e));
            }
            Err(e) => {
                diags.push(
                    Diagnostic::error(
                        Some(expr_location(mission, &f.expr, e.span.start)),
                        e.message.clone(),
                    )
                    .with_hint_opt(e.hint.clone()),
                );
                deps.push(Vec::new());
                exprs.push(None);
            }
        }
    }
    if diags.has_errors() {
        return Err(diags);
    }
    // Every expression parsed (no errors above), so nothing is dropped here.
    let exprs: Vec<Expr> = exprs.into_iter().flatten().collect();

    // Order formulas so each comes after what it uses; report cycles.
    let order = match topo_order(mission, &slots, &deps, nc + nk) {
        Ok(o) => o,
        Err(d) => {
            diags.push(d);
            return Err(diags);
        }
    };

    // Dimensions in dependency order.
    let overridden: BTreeSet<usize> = mission
        .tracks
        .iter()
        .flat_map(|t| t.constants.iter().map(|(i, _)| *i))
        .collect();
    let mut controls_of: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); slots.len()];
    let mut track_dependent = vec![false; slots.len()];
    for i in 0..nk {
        controls_of[nc + i].insert(i);
    }
    for &c in &overridden {
        track_dependent[c] = true;
    }
    let mut program = Vec::new();
    // A formula whose units do not check has no dimension; anything built on
    // it is skipped rather than reported again with a misleading message.
    let mut broken = vec![false; slots.len()];
    for &fi in &order {
        let slot = nc + nk + fi;
        let f = &mission.formulas[fi];
        let e = &exprs[fi];
        if deps[fi].iter().any(|d| broken[*d]) {
            broken[slot] = true;
            continue;
        }
        let dim_of = |name: &str| index.get(name).map(|&s| dims[s]);
        match e.check(&dim_of) {
            Ok(d) => {
                dims[slot] = d;
                if f.is_public() {
                    if let Some(want) = display_dim(&f.display.unit) {
                        if want != d {
                            let loc = f.unit_loc.clone().unwrap_or_else(|| f.expr.loc.clone());
                            diags.push(
                                Diagnostic::error(
                                    Some(loc),
                                    format!(
                                        "formula `{}` is {} but its unit shows {}",
                                        f.id,
                                        d.describe(),
                                        want.describe()
                                    ),
                                )
                                .with_hint(if f.unit_loc.is_some() {
                                    "change `unit` to one that matches the expression, or fix the expression"
                                } else {
                                    "add `unit:` to say how to show the value (e.g. `unit: ms`)"
                                }),
                            );
                        }
                    }
                } else if f.is_condition() && !d.is_dimensionless() {
                    diags.push(
                        Diagnostic::error(
                            Some(f.expr.loc.clone()),
                            format!(
                                "a condition must be true or false, but this is {}",
                                d.describe()
                            ),
                        )
                        .with_hint("compare values, e.g. `t_transfer > budget`"),
                    );
                }
            }
            Err(err) => {
                broken[slot] = true;
                diags.push(
                    Diagnostic::error(
                        Some(expr_location(mission, &f.expr, err.span.start)),
                        err.message.clone(),
                    )
                    .with_hint_opt(err.hint.clone()),
                );
            }
        }
        let mut set = BTreeSet::new();
        let mut tdep = false;
        for &d in &deps[fi] {
            set.extend(controls_of[d].iter().copied());
            tdep |= track_dependent[d];
        }
        controls_of[slot] = set;
        track_dependent[slot] = tdep;
        let slot_of = |name: &str| index.get(name).copied();
        match e.compile(&slot_of) {
            Ok(c) => program.push((slot, c)),
            Err(err) => diags.push(
                Diagnostic::error(
                    Some(expr_location(mission, &f.expr, err.span.start)),
                    err.message.clone(),
                )
                .with_hint_opt(err.hint.clone()),
            ),
        }
    }
    if diags.has_errors() {
        return Err(diags);
    }

    let constants_by_track = mission
        .tracks
        .iter()
        .map(|t| {
            let mut v: Vec<f64> = mission.constants.iter().map(|c| c.value.value).collect();
            for (i, q) in &t.constants {
                v[*i] = q.value;
            }
            v
        })
        .collect();
    let control_values = mission
        .controls
        .iter()
        .map(|c| c.positions.iter().map(|p| p.value).collect())
        .collect();
    Ok(Model {
        slots,
        index,
        dims,
        exprs,
        controls_of,
        track_dependent,
        constants_by_track,
        control_values,
        program,
        direct_deps: deps,
    })
}

/// Depth-first topological order of the formulas; a cycle is reported with
/// its path at the first formula on it.
fn topo_order(
    mission: &Mission,
    slots: &[Slot],
    deps: &[Vec<usize>],
    first_formula: usize,
) -> Result<Vec<usize>, Diagnostic> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Active,
        Done,
    }
    let n = deps.len();
    let mut mark = vec![Mark::New; n];
    let mut order = Vec::with_capacity(n);
    for start in 0..n {
        if mark[start] != Mark::New {
            continue;
        }
        // Iterative DFS: (formula, next dependency index).
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        mark[start] = Mark::Active;
        while let Some(&mut (f, ref mut next)) = stack.last_mut() {
            if let Some(&dep_slot) = deps[f].get(*next) {
                *next += 1;
                let Slot::Formula(g) = slots[dep_slot] else {
                    continue;
                };
                debug_assert_eq!(dep_slot, first_formula + g);
                match mark[g] {
                    Mark::New => {
                        mark[g] = Mark::Active;
                        stack.push((g, 0));
                    }
                    Mark::Active => {
                        let pos = stack.iter().position(|(h, _)| *h == g).unwrap_or(0);
                        let mut path: Vec<&str> = stack[pos..]
                            .iter()
                            .map(|(h, _)| mission.formulas[*h].id.as_str())
                            .collect();
                        path.push(mission.formulas[g].id.as_str());
                        let f0 = &mission.formulas[g];
                        return Err(Diagnostic::error(
                            Some(f0.expr.loc.clone()),
                            format!("formulas depend on each other in a cycle: {}", path.join(" -> ")),
                        )
                        .with_hint("break the cycle: one of these formulas must be computed without the others"));
                    }
                    Mark::Done => {}
                }
            } else {
                mark[f] = Mark::Done;
                order.push(f);
                stack.pop();
            }
        }
    }
    Ok(order)
}
