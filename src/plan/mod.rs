//! Planning: which values each page shows, and in which mode.
//!
//! Walks a mission's prose and instruments, resolves every value reference
//! against the model (with did-you-mean hints), and lists the sweep
//! requests. It also finds controls that change nothing shown in their act.
//! The modes of the prose fields are fixed here, in one place, and the
//! renderer asks [`text_fields`] the same question, so the two agree.

use crate::diag::{did_you_mean, Diagnostic, Diagnostics, Location};
use crate::format::display_dim;
use crate::format::prose;
use crate::format::prose::Piece;
use crate::format::DisplayUnit;
use crate::mission::{Act, ClaimKind, Display, Instrument, Mission, Task, TaskTolerance, Text};
use crate::model::{Model, Slot};
use crate::sweep::{Mode, Request};
use std::collections::BTreeSet;

mod plots;

use plots::{check_plot, check_plot_units};
pub use plots::{plot_names, plot_values};

/// Every prose field of a mission with its mode and act (if inside one).
pub fn text_fields<'a>(m: &'a Mission) -> Vec<(&'a Text, Mode, Option<usize>)> {
    let mut out: Vec<(&Text, Mode, Option<usize>)> = Vec::new();
    let mut push = |t: Option<&'a Text>, mode, act| {
        if let Some(t) = t {
            out.push((t, mode, act));
        }
    };
    fields(m, &mut push);
    out
}

/// Calls `push` for every prose field, in page order.
fn fields<'a>(m: &'a Mission, push: &mut dyn FnMut(Option<&'a Text>, Mode, Option<usize>)) {
    use Mode::{Live, Pinned};
    push(m.subtitle.as_ref(), Pinned, None);
    push(m.core_invariant.as_ref(), Pinned, None);
    for r in &m.reading {
        push(r.why.as_ref(), Pinned, None);
    }
    for t in &m.tracks {
        push(t.summary.as_ref(), Pinned, None);
    }
    for c in &m.controls {
        push(c.help.as_ref(), Pinned, None);
    }
    for (i, a) in m.acts.iter().enumerate() {
        let act = Some(i);
        push(a.story.as_ref(), Pinned, act);
        for s in &a.stakeholders {
            push(Some(&s.message), Pinned, act);
        }
        for q in [&a.prediction, &a.reflection].into_iter().flatten() {
            push(Some(&q.prompt), Pinned, act);
            for o in &q.options {
                push(Some(&o.text), Pinned, act);
                push(Some(&o.feedback), Pinned, act);
            }
        }
        if let Some(sim) = &a.simulator {
            push(sim.intro.as_ref(), Pinned, act);
            for inst in &sim.instruments {
                match inst {
                    Instrument::Metric { note, .. } => push(note.as_ref(), Live, act),
                    Instrument::Status { levels, .. } => {
                        for l in levels {
                            push(l.note.as_ref(), Live, act);
                        }
                    }
                    Instrument::Plot(p) => push(Some(&p.title), Live, act),
                    Instrument::Badges(list) => {
                        for b in list {
                            push(Some(&b.good), Live, act);
                            // A badge without its own words uses its label twice.
                            if b.bad != b.good {
                                push(Some(&b.bad), Live, act);
                            }
                        }
                    }
                    Instrument::Banner { title, text, .. } => {
                        push(Some(title), Live, act);
                        push(text.as_ref(), Live, act);
                    }
                }
            }
        }
        for t in &a.tasks {
            push(Some(&t.prompt), Pinned, act);
            push(t.explain.as_ref(), Pinned, act);
        }
        push(a.reveal.as_ref(), Live, act);
        if let Some(mp) = &a.mathpeek {
            push(mp.where_.as_ref(), Pinned, act);
            push(mp.example.as_ref(), Live, act);
            push(mp.assumptions.as_ref(), Pinned, act);
        }
    }
}

/// How a slot is shown by default.
pub fn display_of<'a>(m: &'a Mission, model: &Model, slot: usize) -> &'a Display {
    match model.slots[slot] {
        Slot::Constant(i) => &m.constants[i].display,
        Slot::Control(i) => &m.controls[i].display,
        Slot::Formula(i) => &m.formulas[i].display,
    }
}

/// The result of planning one mission.
#[derive(Clone, Debug, Default)]
pub struct Plan {
    /// Every value to compute, sorted and unique.
    pub requests: Vec<Request>,
}

/// The hidden condition formulas of the status instrument `id`.
pub fn status_conditions<'a>(m: &'a Mission, id: &str) -> Vec<&'a str> {
    m.status_levels(id)
        .into_iter()
        .flatten()
        .filter_map(|l| l.when.as_deref())
        .collect()
}

fn diags_extend(diags: &mut Diagnostics, more: Vec<Diagnostic>) {
    for d in more {
        diags.push(d);
    }
}

/// The mode a task's answer is evaluated in.
pub fn task_mode(t: &Task) -> Mode {
    t.at.map_or(Mode::Pinned, |s| Mode::Scenario(s as u16))
}

/// How a task's answer is shown and typed: the task's unit, else the
/// answer's own display unit.
pub fn task_display<'a>(m: &'a Mission, model: &Model, t: &'a Task, slot: usize) -> &'a Display {
    t.display
        .as_ref()
        .unwrap_or_else(|| display_of(m, model, slot))
}

/// The unit and tolerance checks of a task whose answer is `slot`.
fn check_task(m: &Mission, model: &Model, t: &Task, slot: usize) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let dim = model.dims[slot];
    let display = task_display(m, model, t, slot);
    match (&display.unit, &t.display) {
        (DisplayUnit::Duration | DisplayUnit::Data, _) => out.push(
            Diagnostic::error(
                Some(t.unit_loc.clone().unwrap_or_else(|| t.answer_loc.clone())),
                format!(
                    "task `{}` needs one unit to answer in, but `{}` picks its unit by size",
                    t.id, t.answer
                ),
            )
            .with_hint("add `unit:` to the task, e.g. `unit: h` or `unit: TB`"),
        ),
        (_, Some(d)) => {
            if let Some(want) = display_dim(&d.unit) {
                if want != dim {
                    out.push(
                        Diagnostic::error(
                            t.unit_loc.clone(),
                            format!(
                                "`{}` is {} but the task's unit shows {}",
                                t.answer,
                                dim.describe(),
                                want.describe()
                            ),
                        )
                        .with_hint("pick a unit of the answer's kind"),
                    );
                }
            }
        }
        _ => {}
    }
    if let Some(TaskTolerance::Absolute(q)) = &t.tolerance {
        if q.dim != dim {
            out.push(
                Diagnostic::error(
                    t.tolerance_loc.clone(),
                    format!(
                        "the tolerance is {} but `{}` is {}",
                        q.dim.describe(),
                        t.answer,
                        dim.describe()
                    ),
                )
                .with_hint("give the tolerance in the answer's unit (e.g. `2 min`) or as a percentage (e.g. `10%`)"),
            );
        }
    }
    out
}

/// Whether `slot` holds a search formula.
pub fn is_search(m: &Mission, model: &Model, slot: usize) -> bool {
    matches!(model.slots[slot], Slot::Formula(f) if m.formulas[f].search.is_some())
}

/// The slots a worked example of `slot` shows: the formula and everything
/// its expression names, and, for each formula it uses, that formula's own
/// inputs (one level deep, so the example stays readable).
pub fn worked_slots(model: &Model, slot: usize) -> Vec<usize> {
    let mut out = vec![slot];
    let direct = |s: usize| match model.slots[s] {
        Slot::Formula(f) => model.direct_deps[f].clone(),
        _ => Vec::new(),
    };
    for d in direct(slot) {
        out.push(d);
        out.extend(direct(d));
    }
    out.sort_unstable();
    out.dedup();
    out
}

fn unknown(model: &Model, name: &str, loc: &Location) -> Diagnostic {
    match resolve(model, name, loc) {
        Err(d) => d,
        Ok(_) => Diagnostic::error(Some(loc.clone()), format!("`{name}` cannot be used here")),
    }
}

/// Reports literal numbers with units, currency or percent signs in a run
/// of prose: every derived number must come from the model.
fn lint(m: &Mission, t: &Text, lit: &str, base: usize, diags: &mut Diagnostics) {
    for (offset, found) in prose::literal_numbers(lit) {
        diags.push(
            Diagnostic::error(
                Some(t.locate(&m.source, base + offset)),
                format!("the number `{found}` is typed into the text instead of computed"),
            )
            .with_hint(
                "refer to the model with `{{ name }}` (or `{{ name @ scenario }}`); for a fixed, cited figure write `{{ fact \"...\" from \"source\" }}`",
            ),
        );
    }
}

/// Resolves a public name to its slot, or explains why not.
fn resolve(model: &Model, name: &str, loc: &Location) -> Result<usize, Diagnostic> {
    match model.slot(name) {
        // Bound options' values are hidden formulas that labgen itself
        // writes into option texts (`{{ option }}`).
        Some(s) if !name.starts_with("__") || name.starts_with("__option_") => Ok(s),
        _ => {
            let mut names: Vec<&str> = model
                .index
                .keys()
                .filter(|k| !k.starts_with("__"))
                .map(String::as_str)
                .collect();
            names.sort();
            let hint = match did_you_mean(name, names.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => "refer to a formula, constant or control of this mission".to_string(),
            };
            Err(
                Diagnostic::error(Some(loc.clone()), format!("unknown name `{name}`"))
                    .with_hint(hint),
            )
        }
    }
}

/// Plans one mission: requests, plus errors for unknown names and unit
/// mismatches in references, and warnings for controls that change nothing.
pub fn plan(m: &Mission, model: &Model) -> (Plan, Diagnostics) {
    let mut p = Planner {
        m,
        model,
        diags: Diagnostics::new(),
        requests: BTreeSet::new(),
        live_in_act: vec![BTreeSet::new(); m.acts.len()],
    };
    p.every_formula_and_constant();
    p.prose();
    p.claims();
    for act in &m.acts {
        p.questions(act);
        p.tasks(act);
        p.worked(act);
    }
    for ai in 0..m.acts.len() {
        p.simulator(ai);
    }
    (
        Plan {
            requests: p.requests.into_iter().collect(),
        },
        p.diags,
    )
}

/// What planning collects while it walks a mission.
struct Planner<'a> {
    m: &'a Mission,
    model: &'a Model,
    diags: Diagnostics,
    requests: BTreeSet<Request>,
    /// Live slots per act, to find controls that change nothing.
    live_in_act: Vec<BTreeSet<usize>>,
}

impl Planner<'_> {
    fn request(&mut self, slot: usize, mode: Mode) {
        self.requests.insert(Request { slot, mode });
    }

    /// Every formula is swept live, so a division by zero anywhere is
    /// caught even in a formula no page shows yet; the constants table of
    /// each lab shows every constant for each track.
    fn every_formula_and_constant(&mut self) {
        let (m, model) = (self.m, self.model);
        for f in &m.formulas {
            if let Some(slot) = model.slot(&f.id) {
                self.request(slot, Mode::Live);
            }
        }
        for c in &m.constants {
            if let Some(slot) = model.slot(&c.id) {
                self.request(slot, Mode::Pinned);
            }
        }
    }

    /// Every value reference in the prose; the typed numbers between them.
    fn prose(&mut self) {
        let m = self.m;
        for (t, mode, act) in text_fields(m) {
            let pieces = match prose::parse(&t.src) {
                Ok(p) => p,
                Err(e) => {
                    self.diags.push(
                        Diagnostic::error(Some(t.locate(&m.source, e.at)), e.message)
                            .with_hint(e.hint),
                    );
                    continue;
                }
            };
            // Byte offset of each piece in the text, to locate typed numbers.
            let mut at = 0;
            for p in pieces {
                match p {
                    Piece::Ref(r) => {
                        at = r.end;
                        self.reference(t, &r, mode, act);
                    }
                    Piece::Lit(lit) => {
                        lint(m, t, &lit, at, &mut self.diags);
                        at += lit.len();
                    }
                    Piece::Fact { end, .. } => at = end,
                }
            }
        }
    }

    /// One `{{ name }}` in prose field `t` shown in `mode`, in act `act`.
    fn reference(&mut self, t: &Text, r: &prose::ValueRef, mode: Mode, act: Option<usize>) {
        let (m, model) = (self.m, self.model);
        let loc = t.locate(&m.source, r.start);
        let mode = match &r.scenario {
            None => mode,
            Some(s) => match m.scenarios.iter().position(|x| x.id == *s) {
                Some(i) => Mode::Scenario(i as u16),
                None => {
                    let hint = match did_you_mean(s, m.scenarios.iter().map(|x| x.id.as_str())) {
                        Some(x) => format!("did you mean `{x}`?"),
                        None => "declare it under `scenarios:`".to_string(),
                    };
                    self.diags.push(
                        Diagnostic::error(Some(loc), format!("unknown scenario `{s}`"))
                            .with_hint(hint),
                    );
                    return;
                }
            },
        };
        let slot = match resolve(model, &r.name, &loc) {
            Ok(slot) => slot,
            Err(d) => return self.diags.push(d),
        };
        if let Some(want) = r.unit.as_ref().and_then(display_dim) {
            if want != model.dims[slot] {
                self.diags.push(
                    Diagnostic::error(
                        Some(loc.clone()),
                        format!(
                            "`{}` is {} and cannot be shown as {}",
                            r.name,
                            model.dims[slot].describe(),
                            want.describe()
                        ),
                    )
                    .with_hint("pick a unit of the same kind, or drop `as ...`"),
                );
            }
        }
        self.request(slot, mode);
        if let (Mode::Live, Some(a)) = (mode, act) {
            self.live_in_act[a].insert(slot);
        }
    }

    /// Claims are evaluated at their scenarios, in the claimed kind of unit.
    fn claims(&mut self) {
        let (m, model) = (self.m, self.model);
        for c in &m.claims {
            let names: Vec<&str> = match &c.kind {
                ClaimKind::About { value, .. } => vec![value.as_str()],
                ClaimKind::That { cond, .. } => vec![cond.as_str()],
                ClaimKind::Status { status, .. } => status_conditions(m, status),
            };
            for name in names {
                match model.slot(name) {
                    Some(slot) => self.request(slot, at(c.scenario)),
                    None => self.diags.push(unknown(model, name, &c.loc)),
                }
            }
            let ClaimKind::About {
                value, expected, ..
            } = &c.kind
            else {
                continue;
            };
            if let Some(slot) = model.slot(value) {
                if model.dims[slot] != expected.dim {
                    self.diags.push(
                        Diagnostic::error(
                            Some(c.loc.clone()),
                            format!(
                                "the claim expects {} but `{value}` is {}",
                                expected.dim.describe(),
                                model.dims[slot].describe()
                            ),
                        )
                        .with_hint("write `about:` in a unit of the value's kind"),
                    );
                }
            }
        }
    }

    /// Questions bound to the model: the answer and each option's value at
    /// the answer's scenario, all of one kind of quantity.
    fn questions(&mut self, act: &Act) {
        let model = self.model;
        for q in [&act.prediction, &act.reflection].into_iter().flatten() {
            let Some(a) = &q.answer else { continue };
            let slot = match resolve(model, &a.value, &a.loc) {
                Ok(slot) => slot,
                Err(d) => {
                    self.diags.push(d);
                    continue;
                }
            };
            self.request(slot, at(a.scenario));
            for o in &q.options {
                let Some(h) = o.value.as_deref().and_then(|h| model.slot(h)) else {
                    continue;
                };
                self.request(h, at(a.scenario));
                if model.dims[h] != model.dims[slot] {
                    self.diags.push(
                        Diagnostic::error(
                            Some(o.text.loc.clone()),
                            format!(
                                "option `{}` states {} but the answer `{}` is {}",
                                o.key,
                                model.dims[h].describe(),
                                a.value,
                                model.dims[slot].describe()
                            ),
                        )
                        .with_hint("every option's `value` must be the same kind of quantity as the answer"),
                    );
                }
            }
        }
    }

    /// Tasks' answers, in the task's mode.
    fn tasks(&mut self, act: &Act) {
        let (m, model) = (self.m, self.model);
        for t in &act.tasks {
            match resolve(model, &t.answer, &t.answer_loc) {
                Ok(slot) => {
                    self.request(slot, task_mode(t));
                    for d in check_task(m, model, t, slot) {
                        self.diags.push(d);
                    }
                }
                Err(d) => self.diags.push(d),
            }
        }
    }

    /// Worked examples: the formula and its inputs at each scenario (or
    /// live); a search has no formula to work.
    fn worked(&mut self, act: &Act) {
        let (m, model) = (self.m, self.model);
        for w in act.mathpeek.iter().flat_map(|mp| mp.worked.iter()) {
            match resolve(model, &w.formula, &w.loc) {
                Ok(slot) if is_search(m, model, slot) => self.diags.push(
                    Diagnostic::error(
                        Some(w.loc.clone()),
                        format!(
                            "`{}` is found by a search, so it has no formula to work",
                            w.formula
                        ),
                    )
                    .with_hint("work the formula it optimizes or solves instead, and quote the answer in the prose"),
                ),
                Ok(slot) => {
                    let modes: Vec<Mode> = if w.at.is_empty() {
                        vec![Mode::Live]
                    } else {
                        w.at.iter().map(|s| at(*s)).collect()
                    };
                    for mode in modes {
                        for s in worked_slots(model, slot) {
                            self.request(s, mode);
                        }
                    }
                }
                Err(d) => self.diags.push(d),
            }
        }
    }

    /// An act's instruments, live; then a warning for each of its controls
    /// that changes nothing the act shows.
    fn simulator(&mut self, ai: usize) {
        let (m, model) = (self.m, self.model);
        let act = &m.acts[ai];
        let Some(sim) = &act.simulator else { return };
        for inst in &sim.instruments {
            self.instrument(ai, inst);
        }
        let affected: BTreeSet<usize> = self.live_in_act[ai]
            .iter()
            .flat_map(|s| model.controls_of[*s].iter().copied())
            .collect();
        for (k, &c) in sim.controls.iter().enumerate() {
            if !affected.contains(&c) {
                self.diags.push(
                    Diagnostic::warning(
                        Some(sim.control_locs[k].clone()),
                        format!("control `{}` changes nothing shown in act `{}`", m.controls[c].id, act.id),
                    )
                    .with_hint("use it in a formula that an instrument of this act shows, or remove it from the simulator"),
                );
            }
        }
    }

    /// One instrument of act `ai`: the values it names are requested live;
    /// its hidden conditions count as shown for the unused-control check.
    fn instrument(&mut self, ai: usize, inst: &Instrument) {
        let (m, model) = (self.m, self.model);
        let mut named: Vec<(&str, &Location)> = Vec::new();
        let mut hidden: Vec<&str> = Vec::new();
        match inst {
            Instrument::Metric { value, loc, .. } => named.push((value, loc)),
            Instrument::Status { value, levels, .. } => {
                if let Some((v, loc)) = value {
                    named.push((v, loc));
                }
                hidden.extend(levels.iter().filter_map(|l| l.when.as_deref()));
            }
            Instrument::Plot(p) => {
                named.extend(plot_names(p));
                diags_extend(&mut self.diags, check_plot(m, model, p));
            }
            Instrument::Banner { when, .. } => hidden.push(when),
            Instrument::Badges(list) => hidden.extend(list.iter().map(|b| b.ok.as_str())),
        }
        for (name, loc) in named {
            match resolve(model, name, loc) {
                Ok(slot) => {
                    self.request(slot, Mode::Live);
                    self.live_in_act[ai].insert(slot);
                }
                Err(d) => self.diags.push(d),
            }
        }
        for h in hidden {
            if let Some(slot) = model.slot(h) {
                self.live_in_act[ai].insert(slot);
            }
        }
        if let Instrument::Plot(p) = inst {
            let mut out = Vec::new();
            check_plot_units(model, p, &mut out);
            diags_extend(&mut self.diags, out);
        }
    }
}

/// The mode of a value evaluated at scenario `s`.
fn at(s: usize) -> Mode {
    Mode::Scenario(s as u16)
}
