//! The simulator's instruments and the act's questions as template
//! context: cards, statuses, badges, banners and plots, each bound to its
//! cells.

use super::cells::{on_cell, Cells};
use super::plots::plot_cells;
use crate::book::status_level;
use crate::diag::Diagnostics;
use crate::figure::grid::union;
use crate::mission::{Badge, Instrument, Level, Text, Tone};
use crate::model::Slot;
use crate::plan::display_of;
use crate::render::figure_path;
use crate::sweep::Mode;
use serde_json::{json, Value};

/// One instrument of an act's simulator, bound to its cells.
pub(crate) fn instrument_ctx(
    cells: &mut Cells,
    act: &str,
    k: usize,
    inst: &Instrument,
) -> Result<Value, Diagnostics> {
    match inst {
        Instrument::Metric {
            value, label, note, ..
        } => metric_ctx(cells, value, label.as_deref(), note.as_ref()),
        Instrument::Status {
            label,
            value,
            levels,
            ..
        } => status_ctx(
            cells,
            &format!("status:{act}:{k}"),
            label,
            value.as_ref().map(|(v, _)| v.as_str()),
            levels,
        ),
        Instrument::Plot(p) => {
            let path = figure_path(&cells.lab.mission.id, act, k);
            let figures = cells.figures;
            let plot = figures
                .plot(&path)
                .ok_or_else(|| Diagnostics::internal(format_args!("no figure {path}")))?;
            Ok(plot_cells(cells, p, plot))
        }
        Instrument::Badges(list) => badges_ctx(cells, &format!("badge:{act}:{k}"), list),
        Instrument::Banner {
            when,
            tone,
            title,
            text,
        } => banner_ctx(
            cells,
            &format!("banner:{act}:{k}"),
            (when, *tone),
            title,
            text.as_ref(),
        ),
    }
}

/// A card: a value with its label and note.
fn metric_ctx(
    cells: &mut Cells,
    value: &str,
    label: Option<&str>,
    note: Option<&Text>,
) -> Result<Value, Diagnostics> {
    let (mission, model) = (cells.lab.mission, cells.lab.model);

    let slot = model
        .slot(value)
        .ok_or_else(|| Diagnostics::internal(format_args!("unresolved {value}")))?;
    let display = display_of(mission, model, slot).clone();
    let span = cells.value_span(value, slot, Mode::Live, &display)?;
    let default_label = match model.slots[slot] {
        Slot::Formula(f) => mission.formulas[f].label.clone(),
        Slot::Constant(c) => mission.constants[c].label.clone(),
        Slot::Control(c) => mission.controls[c].label.clone(),
    };
    Ok(json!({
        "kind": "metric",
        "label": label.map_or(default_label, str::to_string),
        "value": span,
        "note": note.map(|n| cells.inline(n, Mode::Live)).transpose()?,
    }))
}

/// A status line: the label of the level that holds in each state, its
/// tone, the levels' notes and an optional value.
fn status_ctx(
    cells: &mut Cells,
    key: &str,
    label: &str,
    value: Option<&str>,
    levels: &[Level],
) -> Result<Value, Diagnostics> {
    let (mission, model) = (cells.lab.mission, cells.lab.model);

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
    let initial = states
        .iter()
        .position(|(t, pos)| *t == 0 && *pos == cells.defaults[0])
        .and_then(|i| active.get(i).copied())
        .unwrap_or(0);
    let cell = cells.add(
        key.to_string(),
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
        Some(v) => {
            let slot = model
                .slot(v)
                .ok_or_else(|| Diagnostics::internal(format_args!("unresolved {v}")))?;
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

/// Constraint badges: each shows its good or its bad text by state.
fn badges_ctx(cells: &mut Cells, key: &str, list: &[Badge]) -> Result<Value, Diagnostics> {
    let mut badges = Vec::new();
    for (b, badge) in list.iter().enumerate() {
        let t = cells.live_table(&badge.ok)?;
        let axes = t.axes.clone();
        let ok: Vec<bool> = t.values.iter().map(|v| *v != 0.0).collect();
        let not_ok: Vec<bool> = ok.iter().map(|o| !o).collect();
        let (good_cell, good_on) = on_cell(cells, format!("{key}:{b}:good"), &axes, ok);
        let (bad_cell, bad_on) = on_cell(cells, format!("{key}:{b}:bad"), &axes, not_ok);
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

/// A banner, shown in the states where its condition holds.
fn banner_ctx(
    cells: &mut Cells,
    key: &str,
    (when, tone): (&str, Tone),
    title: &Text,
    text: Option<&Text>,
) -> Result<Value, Diagnostics> {
    let t = cells.live_table(when)?;
    let axes = t.axes.clone();
    let on: Vec<bool> = t.values.iter().map(|v| *v != 0.0).collect();
    let (cell, initial) = on_cell(cells, key.to_string(), &axes, on);
    Ok(json!({
        "kind": "banner",
        "cell": cell,
        "hidden": !initial,
        "tone": tone.as_str(),
        "title": cells.inline(title, Mode::Live)?,
        "text": text.map(|t| cells.block(t, Mode::Live)).transpose()?,
    }))
}

/// A question's prompt and options; exam pages leave out the feedback and
/// which option is right.
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
