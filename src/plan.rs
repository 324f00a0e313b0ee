//! Planning: which values each page shows, and in which mode.
//!
//! Walks a mission's prose and instruments, resolves every value reference
//! against the model (with did-you-mean hints), and lists the sweep
//! requests. It also finds controls that change nothing shown in their act.
//! The modes of the prose fields are fixed here, in one place, and the
//! renderer asks [`text_fields`] the same question, so the two agree.

use crate::diag::{did_you_mean, Diagnostic, Diagnostics, Location};
use crate::format::display_dim;
use crate::format::DisplayUnit;
use crate::mission::{
    ClaimKind, ControlKind, Display, Instrument, Mission, PlotDetail, PlotSpec, Task,
    TaskTolerance, Text,
};
use crate::model::{Model, Slot};
use crate::sweep::{Mode, Request};
use crate::text::{self, Piece};
use std::collections::BTreeSet;

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

/// Every model value a plot reads, with where it was written.
pub fn plot_names(p: &PlotSpec) -> Vec<(&str, &Location)> {
    let mut out: Vec<(&str, &Location)> = Vec::new();
    for s in &p.series {
        if !s.value.is_empty() {
            out.push((&s.value, &s.loc));
        }
        out.extend(s.values.iter().map(|(v, l)| (v.as_str(), l)));
    }
    match &p.detail {
        PlotDetail::Curves(c) => {
            out.extend(c.markers.iter().map(|m| (m.at.as_str(), &m.at_loc)));
            out.extend(c.guides.iter().map(|g| (g.at.as_str(), &g.at_loc)));
        }
        PlotDetail::Gauge { value, loc, .. } if !value.is_empty() => out.push((value, loc)),
        PlotDetail::Sankey { flows, .. } => {
            out.extend(flows.iter().map(|f| (f.value.as_str(), &f.loc)));
        }
        _ => {}
    }
    out
}

/// The values a plot draws on its value scale (not the x positions of
/// markers and guides).
pub fn plot_values(p: &PlotSpec) -> Vec<(&str, &Location)> {
    let mut out = plot_names(p);
    if let PlotDetail::Curves(c) = &p.detail {
        out.truncate(out.len() - c.markers.len() - c.guides.len());
    }
    out
}

/// The checks of a plot that need the model: its controls, units and the
/// values its markers sit on.
fn check_plot(m: &Mission, model: &Model, p: &PlotSpec) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let kind = p.kind.name();
    if matches!(p.display.unit, DisplayUnit::Duration | DisplayUnit::Data) {
        out.push(
            Diagnostic::error(
                Some(p.loc.clone()),
                format!("a `{kind}` plot needs one unit for its scale, not `duration` or `data`"),
            )
            .with_hint("give a fixed unit, e.g. `unit: h` or `unit: TB`"),
        );
    }
    let control = |name: &str, loc: &Location, what: &str| -> Result<usize, Diagnostic> {
        match model.slot(name).map(|s| model.slots[s]) {
            Some(Slot::Control(c)) => Ok(c),
            _ => {
                let ids: Vec<&str> = m.controls.iter().map(|c| c.id.as_str()).collect();
                let hint = match did_you_mean(name, ids.iter().copied()) {
                    Some(x) => format!("did you mean `{x}`?"),
                    None => "name a control declared under `controls`".to_string(),
                };
                Err(Diagnostic::error(
                    Some(loc.clone()),
                    format!("`{name}` is not a control; {what}"),
                )
                .with_hint(hint))
            }
        }
    };
    match &p.detail {
        PlotDetail::Curves(c) => {
            match control(&c.over, &c.over_loc, "`over` sweeps a control along x") {
                Ok(k) => {
                    if !matches!(m.controls[k].kind, ControlKind::Slider { .. }) {
                        out.push(
                            Diagnostic::error(
                                Some(c.over_loc.clone()),
                                format!("`{}` is a select; `over` sweeps a slider along x", c.over),
                            )
                            .with_hint("sweep a slider, and draw a select's options as lines with `per` on a `saturation` plot"),
                        );
                    }
                    if !matches!(m.controls[k].kind, ControlKind::Slider { .. }) {
                        // Reported above; its unit says nothing more.
                    } else if matches!(c.x_display.unit, DisplayUnit::Duration | DisplayUnit::Data)
                    {
                        out.push(
                            Diagnostic::error(
                                c.x_unit_loc.clone().or(Some(c.over_loc.clone())),
                                "the x axis needs one unit, not `duration` or `data`",
                            )
                            .with_hint("give a fixed unit, e.g. `x: { unit: km }`"),
                        );
                    } else if let Some(want) = display_dim(&c.x_display.unit) {
                        let dim = m.controls[k].dim;
                        if want != dim {
                            out.push(
                                Diagnostic::error(
                                    c.x_unit_loc.clone().or(Some(c.over_loc.clone())),
                                    format!(
                                        "`{}` is {} but the x axis shows {}",
                                        c.over,
                                        dim.describe(),
                                        want.describe()
                                    ),
                                )
                                .with_hint("give `x:` a unit of the control's kind, e.g. `x: { unit: min }`"),
                            );
                        }
                    }
                }
                Err(d) => out.push(d),
            }
            if let Some((per, loc)) = &c.per {
                match control(per, loc, "`per` draws one line per option of a control") {
                    Ok(k) if matches!(m.controls[k].kind, ControlKind::Slider { .. }) => out.push(
                        Diagnostic::error(
                            Some(loc.clone()),
                            format!(
                                "`{per}` is a slider; `per` draws one line per option of a select"
                            ),
                        )
                        .with_hint("use a `select` control for `per`"),
                    ),
                    Ok(_) => {}
                    Err(d) => out.push(d),
                }
            }
            for mk in &c.markers {
                if let Some((name, loc)) = &mk.series {
                    if !p.series.iter().any(|s| s.value == *name) {
                        let names: Vec<&str> = p.series.iter().map(|s| s.value.as_str()).collect();
                        let hint = match did_you_mean(name, names.iter().copied()) {
                            Some(x) => format!("did you mean `{x}`?"),
                            None => format!("use one of: {}", names.join(", ")),
                        };
                        out.push(
                            Diagnostic::error(
                                Some(loc.clone()),
                                format!("`{name}` is not a series of this plot"),
                            )
                            .with_hint(hint),
                        );
                    }
                }
            }
            // Markers and guides sit at x, so they share the control's unit.
            let over_dim = model.slot(&c.over).map(|s| model.dims[s]);
            let ats = c
                .markers
                .iter()
                .map(|mk| (&mk.at, &mk.at_loc))
                .chain(c.guides.iter().map(|g| (&g.at, &g.at_loc)));
            for (name, loc) in ats {
                if let (Some(s), Some(d)) = (model.slot(name), over_dim) {
                    if model.dims[s] != d {
                        out.push(
                            Diagnostic::error(
                                Some(loc.clone()),
                                format!(
                                    "`{name}` is {} but the x axis (`{}`) is {}",
                                    model.dims[s].describe(),
                                    c.over,
                                    d.describe()
                                ),
                            )
                            .with_hint("a marker or guide sits at an x value: name a value of the x axis's kind"),
                        );
                    }
                }
            }
        }
        PlotDetail::Gauge {
            value,
            min,
            max,
            bands,
            range_loc,
            ..
        } => {
            if let Some(s) = model.slot(value) {
                let d = model.dims[s];
                let all = [min, max].into_iter().chain(bands.iter().map(|(q, _)| q));
                if all.into_iter().any(|q| q.dim != d) {
                    out.push(
                        Diagnostic::error(
                            Some(range_loc.clone()),
                            format!(
                                "the gauge's ends and bands must be {}, like `{value}`",
                                d.describe()
                            ),
                        )
                        .with_hint(
                            "write them in the value's unit, e.g. `min: 0%` and `max: 100%`",
                        ),
                    );
                }
            }
            if max.value.partial_cmp(&min.value) != Some(std::cmp::Ordering::Greater) {
                out.push(
                    Diagnostic::error(
                        Some(range_loc.clone()),
                        "the gauge's `max` must be above its `min`",
                    )
                    .with_hint("swap them, or widen the range"),
                );
            }
        }
        _ => {}
    }
    out
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
    for (offset, found) in text::literal_numbers(lit) {
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
    let mut diags = Diagnostics::new();
    let mut requests: BTreeSet<Request> = BTreeSet::new();
    // Every formula is swept live, so a division by zero anywhere is caught
    // even in a formula no page shows yet.
    for (i, _) in m.formulas.iter().enumerate() {
        if let Some(slot) = model.slot(&m.formulas[i].id) {
            requests.insert(Request {
                slot,
                mode: Mode::Live,
            });
        }
    }
    // The constants table of each lab shows every constant for each track.
    for c in &m.constants {
        if let Some(slot) = model.slot(&c.id) {
            requests.insert(Request {
                slot,
                mode: Mode::Pinned,
            });
        }
    }
    // Live slots per act, to find controls that change nothing.
    let mut live_in_act: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); m.acts.len()];

    for (t, mode, act) in text_fields(m) {
        let pieces = match text::parse(&t.src) {
            Ok(p) => p,
            Err(e) => {
                diags.push(
                    Diagnostic::error(Some(t.locate(&m.source, e.at)), e.message).with_hint(e.hint),
                );
                continue;
            }
        };
        // Byte offset of each piece in the text, to locate typed numbers.
        let mut at = 0;
        for p in pieces {
            let r = match p {
                Piece::Ref(r) => {
                    at = r.end;
                    r
                }
                Piece::Lit(lit) => {
                    lint(m, t, &lit, at, &mut diags);
                    at += lit.len();
                    continue;
                }
                Piece::Fact { end, .. } => {
                    at = end;
                    continue;
                }
            };
            let loc = t.locate(&m.source, r.start);
            let mode = match &r.scenario {
                None => mode,
                Some(s) => match m.scenarios.iter().position(|x| x.id == *s) {
                    Some(i) => Mode::Scenario(i as u16),
                    None => {
                        let hint = match did_you_mean(s, m.scenarios.iter().map(|x| x.id.as_str()))
                        {
                            Some(x) => format!("did you mean `{x}`?"),
                            None => "declare it under `scenarios:`".to_string(),
                        };
                        diags.push(
                            Diagnostic::error(Some(loc), format!("unknown scenario `{s}`"))
                                .with_hint(hint),
                        );
                        continue;
                    }
                },
            };
            match resolve(model, &r.name, &loc) {
                Ok(slot) => {
                    if let Some(unit) = &r.unit {
                        if let Some(want) = display_dim(unit) {
                            if want != model.dims[slot] {
                                diags.push(
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
                    }
                    requests.insert(Request { slot, mode });
                    if let (Mode::Live, Some(a)) = (mode, act) {
                        live_in_act[a].insert(slot);
                    }
                }
                Err(d) => diags.push(d),
            }
        }
    }

    // Claims, model-bound answers and worked examples are evaluated at their
    // scenarios.
    let at = |s: usize| Mode::Scenario(s as u16);
    for c in &m.claims {
        let names: Vec<&str> = match &c.kind {
            ClaimKind::About { value, .. } => vec![value.as_str()],
            ClaimKind::That { cond, .. } => vec![cond.as_str()],
            ClaimKind::Status { status, .. } => status_conditions(m, status),
        };
        for name in names {
            match model.slot(name) {
                Some(slot) => {
                    requests.insert(Request {
                        slot,
                        mode: at(c.scenario),
                    });
                }
                None => diags.push(unknown(model, name, &c.loc)),
            }
        }
        if let ClaimKind::About {
            value, expected, ..
        } = &c.kind
        {
            if let Some(slot) = model.slot(value) {
                if model.dims[slot] != expected.dim {
                    diags.push(
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
    for act in &m.acts {
        for q in [&act.prediction, &act.reflection].into_iter().flatten() {
            let Some(a) = &q.answer else { continue };
            match resolve(model, &a.value, &a.loc) {
                Ok(slot) => {
                    requests.insert(Request {
                        slot,
                        mode: at(a.scenario),
                    });
                    for o in &q.options {
                        if let Some(h) = o.value.as_deref().and_then(|h| model.slot(h)) {
                            requests.insert(Request {
                                slot: h,
                                mode: at(a.scenario),
                            });
                            if model.dims[h] != model.dims[slot] {
                                diags.push(
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
                Err(d) => diags.push(d),
            }
        }
        for t in &act.tasks {
            match resolve(model, &t.answer, &t.answer_loc) {
                Ok(slot) => {
                    requests.insert(Request {
                        slot,
                        mode: task_mode(t),
                    });
                    for d in check_task(m, model, t, slot) {
                        diags.push(d);
                    }
                }
                Err(d) => diags.push(d),
            }
        }
        for w in act.mathpeek.iter().flat_map(|mp| mp.worked.iter()) {
            match resolve(model, &w.formula, &w.loc) {
                Ok(slot) if is_search(m, model, slot) => diags.push(
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
                            requests.insert(Request { slot: s, mode });
                        }
                    }
                }
                Err(d) => diags.push(d),
            }
        }
    }

    for (ai, act) in m.acts.iter().enumerate() {
        let Some(sim) = &act.simulator else { continue };
        for inst in &sim.instruments {
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
                    diags_extend(&mut diags, check_plot(m, model, p));
                }
                Instrument::Banner { when, .. } => hidden.push(when),
                Instrument::Badges(list) => hidden.extend(list.iter().map(|b| b.ok.as_str())),
            }
            for (name, loc) in named {
                match resolve(model, name, loc) {
                    Ok(slot) => {
                        requests.insert(Request {
                            slot,
                            mode: Mode::Live,
                        });
                        live_in_act[ai].insert(slot);
                    }
                    Err(d) => diags.push(d),
                }
            }
            for h in hidden {
                if let Some(slot) = model.slot(h) {
                    live_in_act[ai].insert(slot);
                }
            }
            if let Instrument::Plot(p) = inst {
                if let Some(want) = display_dim(&p.display.unit) {
                    for (value, loc) in plot_values(p) {
                        if let Some(slot) = model.slot(value) {
                            if model.dims[slot] != want {
                                diags.push(
                                    Diagnostic::error(
                                        Some(loc.clone()),
                                        format!(
                                            "`{}` is {} but the plot's unit shows {}",
                                            value,
                                            model.dims[slot].describe(),
                                            want.describe()
                                        ),
                                    )
                                    .with_hint(
                                        "every series of a plot must have the plot's kind of unit",
                                    ),
                                );
                            }
                        }
                    }
                }
            }
        }
        let affected: BTreeSet<usize> = live_in_act[ai]
            .iter()
            .flat_map(|s| model.controls_of[*s].iter().copied())
            .collect();
        for (k, &c) in sim.controls.iter().enumerate() {
            if !affected.contains(&c) {
                diags.push(
                    Diagnostic::warning(
                        Some(sim.control_locs[k].clone()),
                        format!("control `{}` changes nothing shown in act `{}`", m.controls[c].id, act.id),
                    )
                    .with_hint("use it in a formula that an instrument of this act shows, or remove it from the simulator"),
                );
            }
        }
    }
    (
        Plan {
            requests: requests.into_iter().collect(),
        },
        diags,
    )
}
