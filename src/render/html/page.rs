//! One lab's page: its tracks, acts, simulator, questions, MathPeek and
//! constants as template context, and the data block the script reads.

use super::cells::{on_cell, Cells};
use super::controls::{control_ctx, ControlCtx};
use super::instruments::{instrument_ctx, question_ctx};
use crate::book::{Lab, Which};
use crate::config::Config;
use crate::diag::Diagnostics;
use crate::format::show;
use crate::mission::{ControlKind, Mission};
use crate::render::math::katex::display_math;
use crate::render::Figures;
use crate::sweep::{Axis, Mode};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// The worked examples of a MathPeek, each as its blocks of lines.
fn worked_blocks(
    cells: &mut Cells,
    worked: &[crate::mission::Worked],
) -> Result<Vec<Value>, Diagnostics> {
    let mut blocks = Vec::new();
    for w in worked {
        blocks.extend(cells.worked(w)?);
    }
    Ok(blocks)
}

pub(crate) fn lab_page(
    config: &Config,
    lab: &Lab,
    tera: &tera::Tera,
    version: &str,
    figures: &Figures,
) -> Result<Vec<u8>, Diagnostics> {
    let exam = config.outputs.exam;
    let m = lab.mission;
    let mut cells = Cells::new(lab, figures);
    let mut diags = Diagnostics::new();
    let tracks = tracks_ctx(&mut cells)?;
    let mut reading = Vec::new();
    for r in &m.reading {
        reading.push(json!({"title": r.title, "section": r.section, "why": cells.opt_block(&r.why, Mode::Pinned)?}));
    }
    let mut acts = Vec::new();
    for ai in 0..m.acts.len() {
        acts.push(act_ctx(&mut cells, ai, exam, &mut diags)?);
    }
    if diags.has_errors() {
        return Err(diags);
    }
    let constants = constants_ctx(&mut cells)?;
    let subtitle = cells.opt_block(&m.subtitle, Mode::Pinned)?;
    let core = cells.opt_block(&m.core_invariant, Mode::Pinned)?;
    let data = page_data(&cells, version)?;
    let mut ctx = tera::Context::new();
    ctx.insert("book", &config.book);
    ctx.insert("root", "");
    ctx.insert(
        "lab",
        &json!({
            "id": m.id,
            "chapter": m.chapter,
            "title": m.title,
            "subtitle": subtitle,
            "duration": m.duration,
            "core_invariant": core,
            "reading": reading,
            "tracks": tracks,
            "has_track_selector": m.has_track_selector,
            "acts": acts,
            "constants": constants,
        }),
    );
    ctx.insert("data", &data);
    ctx.insert("exam", &exam);
    ctx.insert("book_version", version);
    let page = tera
        .render("lab.html", &ctx)
        .map_err(|e| Diagnostics::internal(format_args!("lab template: {e:?}")))?;
    Ok(page.into_bytes())
}

/// The deployment contexts (tracks), each with the cell that shows its
/// summary while it is selected.
fn tracks_ctx(cells: &mut Cells) -> Result<Vec<Value>, Diagnostics> {
    let m = cells.lab.mission;
    let mut tracks = Vec::new();
    for (i, t) in m.tracks.iter().enumerate() {
        let summary = match &t.summary {
            Some(s) => Some(cells.block(s, Mode::Pinned)?),
            None => None,
        };
        let (cell, on) = on_cell(
            cells,
            format!("track:{i}"),
            &[Axis::Track],
            (0..m.tracks.len()).map(|k| k == i).collect(),
        );
        tracks.push(json!({"id": t.id, "label": t.label, "summary": summary, "cell": cell, "hidden": !on, "checked": i == 0}));
    }
    Ok(tracks)
}

/// One act. Problems of its instruments and MathPeek go to `diags`, so one
/// build reports them all; other problems end the page.
fn act_ctx(
    cells: &mut Cells,
    ai: usize,
    exam: bool,
    diags: &mut Diagnostics,
) -> Result<Value, Diagnostics> {
    let lab = cells.lab;
    let a = &lab.mission.acts[ai];
    // The order of these calls is the order of the page's cells.
    let simulator = simulator_ctx(cells, ai, diags)?;
    let mathpeek = mathpeek_ctx(cells, ai, diags)?;
    let tasks = tasks_ctx(cells, ai, exam)?;
    let stakeholders = stakeholders_ctx(cells, ai)?;
    Ok(json!({
        "id": a.id,
        "number": ai + 1,
        "title": a.title,
        "duration": a.duration,
        "story": cells.opt_block(&a.story, Mode::Pinned)?,
        "stakeholders": stakeholders,
        "tasks": tasks,
        "prediction": a.prediction.as_ref().map(|q| question_ctx(cells, q, lab.correct(ai, Which::Prediction), exam)).transpose()?,
        "simulator": simulator,
        "reveal": cells.opt_block(&a.reveal, Mode::Live)?,
        "reflection": a.reflection.as_ref().map(|q| question_ctx(cells, q, lab.correct(ai, Which::Reflection), exam)).transpose()?,
        "mathpeek": mathpeek,
    }))
}

/// An act's simulator: its controls at the first track's defaults and its
/// instruments.
fn simulator_ctx(
    cells: &mut Cells,
    ai: usize,
    diags: &mut Diagnostics,
) -> Result<Option<Value>, Diagnostics> {
    let a = &cells.lab.mission.acts[ai];
    let Some(sim) = &a.simulator else {
        return Ok(None);
    };
    let defaults0 = cells.defaults[0].clone();
    let controls: Vec<ControlCtx> = sim
        .controls
        .iter()
        .map(|&c| control_ctx(cells, c, defaults0[c]))
        .collect::<Result<_, _>>()?;
    let mut instruments = Vec::new();
    for (k, inst) in sim.instruments.iter().enumerate() {
        match instrument_ctx(cells, &a.id, k, inst) {
            Ok(v) => instruments.push(v),
            Err(d) => diags.extend(d),
        }
    }
    Ok(Some(json!({
        "intro": cells.opt_block(&sim.intro, Mode::Pinned)?,
        "controls": controls,
        "instruments": instruments,
    })))
}

/// An act's MathPeek: the equation as MathML, its notes and worked
/// examples.
fn mathpeek_ctx(
    cells: &mut Cells,
    ai: usize,
    diags: &mut Diagnostics,
) -> Result<Option<Value>, Diagnostics> {
    let Some(mp) = &cells.lab.mission.acts[ai].mathpeek else {
        return Ok(None);
    };
    match display_math(&mp.latex) {
        Ok(html) => Ok(Some(json!({
            "title": mp.title,
            "math": html,
            "where": cells.opt_block(&mp.where_, Mode::Pinned)?,
            "example": cells.opt_block(&mp.example, Mode::Live)?,
            "assumptions": cells.opt_block(&mp.assumptions, Mode::Pinned)?,
            "worked": worked_blocks(cells, &mp.worked)?,
        }))),
        Err(d) => {
            diags.extend(d);
            Ok(None)
        }
    }
}

/// An act's tasks: a prompt and a number field; the answer and its
/// explanation unless the book is an exam.
fn tasks_ctx(cells: &mut Cells, ai: usize, exam: bool) -> Result<Vec<Value>, Diagnostics> {
    let lab = cells.lab;
    let (m, a) = (lab.mission, &lab.mission.acts[ai]);
    let mut tasks = Vec::new();
    for t in &a.tasks {
        let slot = lab.model.slot(&t.answer).ok_or_else(|| {
            Diagnostics::internal(format_args!("unresolved task answer {}", t.answer))
        })?;
        let display = crate::plan::task_display(m, lab.model, t, slot).clone();
        // Exam pages carry neither the answer nor its explanation.
        let (answer, explain) = if exam {
            (None, None)
        } else {
            (
                Some(cells.value_span(&t.answer, slot, crate::plan::task_mode(t), &display)?),
                cells.opt_block(&t.explain, Mode::Pinned)?,
            )
        };
        tasks.push(json!({
            "id": format!("{}.{}", a.id, t.id),
            "dom": format!("task-{}-{}", a.id, t.id),
            "prompt": cells.inline(&t.prompt, Mode::Pinned)?,
            "unit": show(1.0, &display.unit, display.digits).unit,
            "answer": answer,
            "explain": explain,
        }));
    }
    Ok(tasks)
}

/// An act's stakeholder messages; a per-track one is shown while its track
/// is selected.
fn stakeholders_ctx(cells: &mut Cells, ai: usize) -> Result<Vec<Value>, Diagnostics> {
    let m = cells.lab.mission;
    let mut stakeholders = Vec::new();
    for (k, s) in m.acts[ai].stakeholders.iter().enumerate() {
        let (cell, on) = match s.track {
            Some(t) => {
                let (c, on) = on_cell(
                    cells,
                    format!("stakeholder:{ai}:{k}"),
                    &[Axis::Track],
                    (0..m.tracks.len()).map(|i| i == t).collect(),
                );
                (Some(c), on)
            }
            None => (None, true),
        };
        stakeholders.push(json!({
            "from": s.from,
            "message": cells.block(&s.message, Mode::Pinned)?,
            "cell": cell,
            "hidden": !on,
        }));
    }
    Ok(stakeholders)
}

/// The "Constants and sources" table: every constant the model starts
/// from, its value per track and its source.
fn constants_ctx(cells: &mut Cells) -> Result<Vec<Value>, Diagnostics> {
    let lab = cells.lab;
    let mut constants = Vec::new();
    for c in &lab.mission.constants {
        let slot = lab
            .model
            .slot(&c.id)
            .ok_or_else(|| Diagnostics::internal(format_args!("unresolved constant {}", c.id)))?;
        constants.push(json!({
            "label": c.label,
            "id": c.id,
            "value": cells.value_span(&c.id, slot, Mode::Pinned, &c.display)?,
            "source": c.source,
            "note": c.note,
        }));
    }
    Ok(constants)
}

/// The data block the script reads, as JSON safe inside `<script>`.
fn page_data(cells: &Cells, version: &str) -> Result<String, Diagnostics> {
    let m = cells.lab.mission;
    let data = json!({
        "lab": m.id,
        "book_version": version,
        "controls": controls_data(m),
        "track_defaults": track_defaults_data(cells),
        "cells": cells.cells,
        "fragments": cells.fragments,
    });
    let data = serde_json::to_string(&data)
        .map_err(|e| Diagnostics::internal(format_args!("page data: {e}")))?;
    // Inside <script>, `<` must not start `</script>` or `<!--`.
    Ok(data.replace('<', "\\u003c"))
}

/// Each control's positions for the script: count, default, labels, and
/// the keys of a select or the grid of a uniform slider.
fn controls_data(m: &Mission) -> Map<String, Value> {
    let mut controls = Map::new();
    if m.has_track_selector {
        controls.insert(
            "track".into(),
            json!({
                "n": m.tracks.len(),
                "default": 0,
                "keys": m.tracks.iter().map(|t| t.id.clone()).collect::<Vec<_>>(),
                "labels": m.tracks.iter().map(|t| t.label.clone()).collect::<Vec<_>>(),
            }),
        );
    }
    for c in &m.controls {
        let mut obj = Map::new();
        obj.insert("n".into(), json!(c.positions.len()));
        obj.insert("default".into(), json!(c.default));
        let labels: Vec<String> = c.positions.iter().map(|p| p.label.clone()).collect();
        obj.insert("labels".into(), json!(labels));
        match c.kind {
            ControlKind::Select => {
                let keys: Vec<String> = c.positions.iter().map(|p| p.key.clone()).collect();
                obj.insert("keys".into(), json!(keys));
            }
            ControlKind::Slider {
                uniform: Some((lo, st)),
            } => {
                obj.insert("min".into(), json!(lo));
                obj.insert("step".into(), json!(st));
            }
            _ => {}
        }
        controls.insert(c.id.clone(), Value::Object(obj));
    }
    controls
}

/// Every track's starting positions of every control that any track moves,
/// so switching back to a track restores its own starting positions.
fn track_defaults_data(cells: &Cells) -> Map<String, Value> {
    let m = cells.lab.mission;
    let mut track_defaults = Map::new();
    let mut moved: Vec<usize> = m
        .tracks
        .iter()
        .flat_map(|t| t.defaults.iter().map(|(c, _)| *c))
        .collect();
    moved.sort_unstable();
    moved.dedup();
    if moved.is_empty() {
        return track_defaults;
    }
    for (ti, t) in m.tracks.iter().enumerate() {
        let d: BTreeMap<String, usize> = moved
            .iter()
            .map(|&c| (m.controls[c].id.clone(), cells.defaults[ti][c]))
            .collect();
        track_defaults.insert(t.id.clone(), json!(d));
    }
    track_defaults
}
