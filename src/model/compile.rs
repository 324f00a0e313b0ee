//! Compiling a mission into a [`Model`]: name every value, resolve and
//! parse the formulas, order them, check their units and compile them.
//! Every problem of a stage is collected before the next stage runs.

use super::{Model, SearchStep, Slot, Step};
use crate::diag::{did_you_mean, Diagnostic, Diagnostics, Location};
use crate::expr::{self, Expr};
use crate::format::display_dim;
use crate::mission::{ControlKind, Formula, Goal, Mission, Source};
use crate::units::Dim;
use std::collections::{BTreeSet, HashMap};

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
    let names = Names::of(mission);
    let (exprs, mut deps) = resolve(mission, &names, &mut diags);
    let searched = search_controls(mission, &names, &mut deps, &mut diags);
    if diags.has_errors() {
        return Err(diags);
    }
    // Every expression parsed (no errors above), so nothing is dropped here.
    let exprs: Vec<Expr> = exprs.into_iter().flatten().collect();
    let (nc, nk) = (mission.constants.len(), mission.controls.len());
    // Order formulas so each comes after what it uses; report cycles.
    let order = match topo_order(mission, &names.slots, &deps, nc + nk) {
        Ok(o) => o,
        Err(d) => {
            diags.push(d);
            return Err(diags);
        }
    };
    let mut c = Checker::new(mission, &names, &deps, diags);
    for &fi in &order {
        c.formula(fi, &exprs[fi], searched[fi]);
    }
    let Checker {
        dims,
        controls_of,
        track_dependent,
        mut program,
        diags,
        ..
    } = c;
    if diags.has_errors() {
        return Err(diags);
    }
    link_searches(&mut program, &controls_of, nc);
    let Names { slots, index, .. } = names;
    Ok(Model {
        slots,
        index,
        dims,
        exprs,
        controls_of,
        track_dependent,
        constants_by_track: constants_by_track(mission),
        control_values: mission
            .controls
            .iter()
            .map(|c| c.positions.iter().map(|p| p.value).collect())
            .collect(),
        program,
        direct_deps: deps,
    })
}

/// Every name of a mission and its slot: constants, then controls, then
/// formulas, with the dimensions known before any formula is checked.
struct Names {
    slots: Vec<Slot>,
    index: HashMap<String, usize>,
    dims: Vec<Dim>,
}

impl Names {
    fn of(mission: &Mission) -> Self {
        let mut names = Names {
            slots: Vec::new(),
            index: HashMap::new(),
            dims: Vec::new(),
        };
        for (i, c) in mission.constants.iter().enumerate() {
            names.add(&c.id, Slot::Constant(i), c.value.dim);
        }
        for (i, c) in mission.controls.iter().enumerate() {
            names.add(&c.id, Slot::Control(i), c.dim);
        }
        for (i, f) in mission.formulas.iter().enumerate() {
            names.add(&f.id, Slot::Formula(i), Dim::DIMENSIONLESS);
        }
        names
    }

    fn add(&mut self, name: &str, slot: Slot, dim: Dim) {
        self.index.insert(name.to_string(), self.slots.len());
        self.slots.push(slot);
        self.dims.push(dim);
    }

    /// The names an author may write, sorted (labgen's hidden `__` names
    /// are left out).
    fn public(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self
            .index
            .keys()
            .filter(|k| !k.starts_with("__"))
            .map(String::as_str)
            .collect();
        names.sort();
        names
    }
}

/// Parses every formula and resolves the names it uses: the parsed
/// expressions (`None` where parsing failed) and each formula's direct
/// dependencies.
fn resolve(
    mission: &Mission,
    names: &Names,
    diags: &mut Diagnostics,
) -> (Vec<Option<Expr>>, Vec<Vec<usize>>) {
    let mut exprs = Vec::new();
    let mut deps: Vec<Vec<usize>> = Vec::new();
    for f in &mission.formulas {
        match expr::parse(&f.expr.src) {
            Ok(e) => {
                let mut d = Vec::new();
                for (name, span) in e.names() {
                    match names.index.get(&name) {
                        Some(&s) if !name.starts_with("__") => d.push(s),
                        _ => {
                            let hint = match did_you_mean(&name, names.public()) {
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
    (exprs, deps)
}

/// The control each search formula searches over (by formula index). A
/// search formula depends on its control (through its expression, the
/// control's name) and on its hidden objective formulas, added to `deps`.
fn search_controls(
    mission: &Mission,
    names: &Names,
    deps: &mut [Vec<usize>],
    diags: &mut Diagnostics,
) -> Vec<Option<usize>> {
    let mut searched: Vec<Option<usize>> = vec![None; mission.formulas.len()];
    for (fi, f) in mission.formulas.iter().enumerate() {
        let Some(search) = &f.search else { continue };
        match names.index.get(&search.over).map(|&s| (s, names.slots[s])) {
            Some((_, Slot::Control(c))) => searched[fi] = Some(c),
            _ => {
                let mut controls: Vec<&str> =
                    mission.controls.iter().map(|c| c.id.as_str()).collect();
                controls.sort();
                let hint = match did_you_mean(&search.over, controls.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "name a control declared under `controls`".to_string(),
                };
                diags.push(
                    Diagnostic::error(
                        Some(search.over_loc.clone()),
                        format!(
                            "`{}` is not a control; `{}` searches over a control",
                            search.over,
                            search.goal.key()
                        ),
                    )
                    .with_hint(hint),
                );
            }
        }
        for t in &search.targets {
            if let Some(&s) = names.index.get(t) {
                deps[fi].push(s);
            }
        }
    }
    searched
}

/// Checks and compiles the formulas in dependency order, tracking what
/// each slot depends on.
struct Checker<'a> {
    mission: &'a Mission,
    index: &'a HashMap<String, usize>,
    deps: &'a [Vec<usize>],
    /// Constants plus controls: the first formula's slot.
    first_formula: usize,
    dims: Vec<Dim>,
    controls_of: Vec<BTreeSet<usize>>,
    track_dependent: Vec<bool>,
    /// A formula whose units do not check has no dimension; anything built
    /// on it is skipped rather than reported again with a misleading message.
    broken: Vec<bool>,
    program: Vec<(usize, Step)>,
    diags: Diagnostics,
}

impl<'a> Checker<'a> {
    fn new(
        mission: &'a Mission,
        names: &'a Names,
        deps: &'a [Vec<usize>],
        diags: Diagnostics,
    ) -> Self {
        let (nc, nk) = (mission.constants.len(), mission.controls.len());
        let n = names.slots.len();
        let mut controls_of: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); n];
        for i in 0..nk {
            controls_of[nc + i].insert(i);
        }
        let mut track_dependent = vec![false; n];
        for t in &mission.tracks {
            for (c, _) in &t.constants {
                track_dependent[*c] = true;
            }
        }
        Checker {
            mission,
            index: &names.index,
            deps,
            first_formula: nc + nk,
            dims: names.dims.clone(),
            controls_of,
            track_dependent,
            broken: vec![false; n],
            program: Vec::new(),
            diags,
        }
    }

    /// Checks formula `fi` (whose inputs are all done) and adds its step.
    fn formula(&mut self, fi: usize, e: &Expr, searched: Option<usize>) {
        let slot = self.first_formula + fi;
        let f = &self.mission.formulas[fi];
        if self.deps[fi].iter().any(|d| self.broken[*d]) {
            self.broken[slot] = true;
            return;
        }
        self.check_dims(f, slot, e);
        let mut set = BTreeSet::new();
        let mut tdep = false;
        for &d in &self.deps[fi] {
            set.extend(self.controls_of[d].iter().copied());
            tdep |= self.track_dependent[d];
        }
        if let (Some(c), Some(_)) = (searched, &f.search) {
            // The answer does not move with the control it searches over.
            set.remove(&c);
            self.controls_of[slot] = set;
            self.track_dependent[slot] = tdep;
            self.search(f, slot, c);
            return;
        }
        self.controls_of[slot] = set;
        self.track_dependent[slot] = tdep;
        let index = self.index;
        let slot_of = |name: &str| index.get(name).copied();
        match e.compile(&slot_of) {
            Ok(c) => self.program.push((slot, Step::Expr(c))),
            Err(err) => self.diags.push(
                Diagnostic::error(
                    Some(expr_location(self.mission, &f.expr, err.span.start)),
                    err.message.clone(),
                )
                .with_hint_opt(err.hint.clone()),
            ),
        }
    }

    /// The dimension of formula `f` at `slot`: it must match the unit it is
    /// shown in, and a condition must be a pure number.
    fn check_dims(&mut self, f: &Formula, slot: usize, e: &Expr) {
        let (index, dims) = (self.index, &self.dims);
        let dim_of = |name: &str| index.get(name).map(|&s| dims[s]);
        let d = match e.check(&dim_of) {
            Ok(d) => d,
            Err(err) => {
                self.broken[slot] = true;
                self.diags.push(
                    Diagnostic::error(
                        Some(expr_location(self.mission, &f.expr, err.span.start)),
                        err.message.clone(),
                    )
                    .with_hint_opt(err.hint.clone()),
                );
                return;
            }
        };
        self.dims[slot] = d;
        if f.is_public() {
            let Some(want) = display_dim(&f.display.unit) else {
                return;
            };
            if want != d {
                let loc = f.unit_loc.clone().unwrap_or_else(|| f.expr.loc.clone());
                self.diags.push(
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
        } else if f.is_condition() && !d.is_dimensionless() {
            self.diags.push(
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

    /// The step of search formula `f` over control `c`; the two sides of a
    /// `solve` must have the same dimension.
    fn search(&mut self, f: &Formula, slot: usize, c: usize) {
        let Some(search) = &f.search else { return };
        let targets: Vec<usize> = search
            .targets
            .iter()
            .filter_map(|t| self.index.get(t).copied())
            .collect();
        if search.goal == Goal::Solve {
            if let [l, r] = targets[..] {
                let dims = &self.dims;
                if !self.broken[l] && !self.broken[r] && dims[l] != dims[r] {
                    self.diags.push(
                        Diagnostic::error(
                            Some(self.mission.formulas[l - self.first_formula].expr.loc.clone()),
                            format!(
                                "the sides of `solve` in `{}` have different units: {} on the left, {} on the right",
                                f.id,
                                dims[l].describe(),
                                dims[r].describe()
                            ),
                        )
                        .with_hint("both sides of the equation need the same kind of unit"),
                    );
                }
            }
        }
        let control = &self.mission.controls[c];
        let nc = self.mission.constants.len();
        self.program.push((
            slot,
            Step::Search(SearchStep {
                goal: search.goal,
                over: nc + c,
                targets,
                grid: control.positions.iter().map(|p| p.value).collect(),
                continuous: matches!(control.kind, ControlKind::Slider { .. }),
                rerun: Vec::new(),
            }),
        ));
    }
}

/// Each search re-runs, in order, the earlier entries its control reaches.
fn link_searches(program: &mut [(usize, Step)], controls_of: &[BTreeSet<usize>], nc: usize) {
    let reach: Vec<BTreeSet<usize>> = program
        .iter()
        .map(|(slot, _)| controls_of[*slot].clone())
        .collect();
    for (j, (_, step)) in program.iter_mut().enumerate() {
        if let Step::Search(s) = step {
            let c = s.over - nc;
            s.rerun = (0..j).filter(|&i| reach[i].contains(&c)).collect();
        }
    }
}

/// The constants' values on each track, in base units: the mission's, with
/// the track's overrides.
fn constants_by_track(mission: &Mission) -> Vec<Vec<f64>> {
    mission
        .tracks
        .iter()
        .map(|t| {
            let mut v: Vec<f64> = mission.constants.iter().map(|c| c.value.value).collect();
            for (i, q) in &t.constants {
                v[*i] = q.value;
            }
            v
        })
        .collect()
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
