//! The simulator's instruments and the act's questions as template
//! context: cards, statuses, badges, banners and plots, each bound to its
//! cells.

use super::cells::{on_cell, union, Cells};
use super::plots::plot_cells;
use crate::book::status_level;
use crate::diag::Diagnostics;
use crate::mission::Instrument;
use crate::model::Slot;
use crate::plan::display_of;
use crate::render::{figure_path, internal};
use crate::sweep::Mode;
use serde_json::{json, Value};

pub(crate) fn instrument_ctx(
    cells: &mut Cells,
    act: &str,
    k: usize,
    inst: &Instrument,
) -> Result<Value, Diagnostics> {
    let mission = cells.lab.mission;
    let model = cells.lab.model;
    match inst {
        Instrument::Metric {
            value, label, note, ..
        } => {
            let slot = model
                .slot(value)
                .ok_or_else(|| internal(format!("unresolved {value}")))?;
            let display = display_of(mission, model, slot).clone();
            let span = cells.value_span(value, slot, Mode::Live, &display)?;
            let default_label = match model.slots[slot] {
                Slot::Formula(f) => mission.formulas[f].label.clone(),
                Slot::Constant(c) => mission.constants[c].label.clone(),
                Slot::Control(c) => mission.controls[c].label.clone(),
            };
            Ok(json!({
                "kind": "metric",
                "label": label.clone().unwrap_or(default_label),
                "value": span,
                "note": note.as_ref().map(|n| cells.inline(n, Mode::Live)).transpose()?,
            }))
        }
        Instrument::Status {
            label,
            value,
            levels,
            ..
        } => {
            let mut axes = Vec::new();
            let mut conds = Vec::new();
            for l in levels {
                match &l.when {
                    Some(w) => {
                        let t = cells.live_table(w)?;
                        axes.extend(t.axes.iter().copied());
                        conds.push(Some(t));
                    }
                    None => conds.push(None),
                }
            }
            let axes = union(axes);
            let states = cells.states(&axes);
            let active: Vec<usize> = states
                .iter()
                .map(|(track, pos)| {
                    status_level(&conds, |c| {
                        c.is_none_or(|t| t.values[t.index(*track, pos)] != 0.0)
                    })
                })
                .collect();
            let key = format!("status:{act}:{k}");
            let initial = states
                .iter()
                .position(|(t, pos)| *t == 0 && *pos == cells.defaults[0])
                .and_then(|i| active.get(i).copied())
                .unwrap_or(0);
            let cell = cells.add(
                key.clone(),
                &axes,
                vec![
                    (
                        "text",
                        active.iter().map(|a| json!(levels[*a].label)).collect(),
                    ),
                    (
                        "tone",
                        active
                            .iter()
                            .map(|a| json!(levels[*a].tone.as_str()))
                            .collect(),
                    ),
                ],
            );
            let mut notes = Vec::new();
            for (li, l) in levels.iter().enumerate() {
                if let Some(n) = &l.note {
                    let html = cells.inline(n, Mode::Live)?;
                    let (c, on) = on_cell(
                        cells,
                        format!("{key}:note{li}"),
                        &axes,
                        active.iter().map(|a| *a == li).collect(),
                    );
                    notes.push(json!({"cell": c, "hidden": !on, "html": html}));
                }
            }
            let value_span = match value {
                Some((v, _)) => {
                    let slot = model
                        .slot(v)
                        .ok_or_else(|| internal(format!("unresolved {v}")))?;
                    let display = display_of(mission, model, slot).clone();
                    Some(cells.value_span(v, slot, Mode::Live, &display)?)
                }
                None => None,
            };
            Ok(json!({
                "kind": "status",
                "label": label,
                "cell": cell,
                "text": levels[initial].label,
                "tone": levels[initial].tone.as_str(),
                "value": value_span,
                "notes": notes,
            }))
        }
        Instrument::Plot(p) => {
            let ctx = plot_cells(cells, p)?;
            // The print edition shows the very SVG the page starts with.
            if let Some(svg) = ctx["svg"].as_str() {
                let path = figure_path(&mission.id, act, k);
                cells.figures.insert(path, svg.to_string());
            }
            Ok(ctx)
        }
        Instrument::Badges(list) => {
            let mut badges = Vec::new();
            for (b, badge) in list.iter().enumerate() {
                let t = cells.live_table(&badge.ok)?;
                let axes = t.axes.clone();
                let ok: Vec<bool> = t.values.iter().map(|v| *v != 0.0).collect();
                let not_ok: Vec<bool> = ok.iter().map(|o| !o).collect();
                let (good_cell, good_on) =
                    on_cell(cells, format!("badge:{act}:{k}:{b}:good"), &axes, ok);
                let (bad_cell, bad_on) =
                    on_cell(cells, format!("badge:{act}:{k}:{b}:bad"), &axes, not_ok);
                badges.push(json!({
                    "good": cells.inline(&badge.good, Mode::Live)?,
                    "bad": cells.inline(&badge.bad, Mode::Live)?,
                    "good_cell": good_cell,
                    "bad_cell": bad_cell,
                    "good_hidden": !good_on,
                    "bad_hidden": !bad_on,
                }));
            }
            Ok(json!({"kind": "badges", "badges": badges}))
        }
        Instrument::Banner {
            when,
            tone,
            title,
            text,
        } => {
            let t = cells.live_table(when)?;
            let axes = t.axes.clone();
            let on: Vec<bool> = t.values.iter().map(|v| *v != 0.0).collect();
            let (cell, initial) = on_cell(cells, format!("banner:{act}:{k}"), &axes, on);
            Ok(json!({
                "kind": "banner",
                "cell": cell,
                "hidden": !initial,
                "tone": tone.as_str(),
                "title": cells.inline(title, Mode::Live)?,
                "text": text.as_ref().map(|t| cells.block(t, Mode::Live)).transpose()?,
            }))
        }
    }
}

pub(crate) fn question_ctx(
    cells: &mut Cells,
    q: &crate::mission::Question,
    correct: &str,
    exam: bool,
) -> Result<Value, Diagnostics> {
    let mut options = Vec::new();
    for o in &q.options {
        // Exam mode: the page gets neither the feedback nor which option is
        // right, so no file of the book can give the answer away.
        if exam {
            options.push(json!({
                "key": o.key,
                "text": cells.inline(&o.text, Mode::Pinned)?,
            }));
            continue;
        }
        options.push(json!({
            "key": o.key,
            "text": cells.inline(&o.text, Mode::Pinned)?,
            "feedback": cells.block(&o.feedback, Mode::Pinned)?,
            "correct": o.key == correct,
        }));
    }
    Ok(json!({
        "prompt": cells.inline(&q.prompt, Mode::Pinned)?,
        "options": options,
    }))
}
