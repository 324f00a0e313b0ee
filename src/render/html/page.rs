//! One lab's page: its tracks, acts, simulator, questions, MathPeek and
//! constants as template context, and the data block the script reads.

use super::cells::{on_cell, Cells};
use super::controls::{control_ctx, ControlCtx};
use super::instruments::{instrument_ctx, question_ctx};
use crate::book::{Lab, Which};
use crate::config::Config;
use crate::diag::Diagnostics;
use crate::format::show;
use crate::mission::ControlKind;
use crate::render::math::katex::display_math;
use crate::render::{internal, Figures};
use crate::sweep::{Axis, Mode};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

pub(crate) fn worked_blocks(
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
) -> Result<(Vec<u8>, Figures), Diagnostics> {
    let exam = config.outputs.exam;
    let m = lab.mission;
    let mut cells = Cells::new(lab);
    let mut diags = Diagnostics::new();
    let defaults0 = cells.defaults[0].clone();

    let mut tracks = Vec::new();
    for (i, t) in m.tracks.iter().enumerate() {
        let summary = match &t.summary {
            Some(s) => Some(cells.block(s, Mode::Pinned)?),
            None => None,
        };
        let (cell, on) = on_cell(
            &mut cells,
            format!("track:{i}"),
            &[Axis::Track],
            (0..m.tracks.len()).map(|k| k == i).collect(),
        );
        tracks.push(json!({"id": t.id, "label": t.label, "summary": summary, "cell": cell, "hidden": !on, "checked": i == 0}));
    }
    let mut reading = Vec::new();
    for r in &m.reading {
        reading.push(json!({"title": r.title, "section": r.section, "why": cells.opt_block(&r.why, Mode::Pinned)?}));
    }
    let mut acts = Vec::new();
    for (ai, a) in m.acts.iter().enumerate() {
        let simulator = match &a.simulator {
            Some(sim) => {
                let controls: Vec<ControlCtx> = sim
                    .controls
                    .iter()
                    .map(|&c| control_ctx(&mut cells, c, defaults0[c]))
                    .collect::<Result<_, _>>()?;
                let mut instruments = Vec::new();
                for (k, inst) in sim.instruments.iter().enumerate() {
                    match instrument_ctx(&mut cells, &a.id, k, inst) {
                        Ok(v) => instruments.push(v),
                        Err(d) => diags.extend(d),
                    }
                }
                Some(json!({
                    "intro": cells.opt_block(&sim.intro, Mode::Pinned)?,
                    "controls": controls,
                    "instruments": instruments,
                }))
            }
            None => None,
        };
        let mathpeek = match &a.mathpeek {
            Some(mp) => match display_math(&mp.latex) {
                Ok(html) => Some(json!({
                    "title": mp.title,
                    "math": html,
                    "where": cells.opt_block(&mp.where_, Mode::Pinned)?,
                    "example": cells.opt_block(&mp.example, Mode::Live)?,
                    "worked": worked_blocks(&mut cells, &mp.worked)?,
                })),
                Err(d) => {
                    diags.extend(d);
                    None
                }
            },
            None => None,
        };
        let mut tasks = Vec::new();
        for t in &a.tasks {
            let slot = lab
                .model
                .slot(&t.answer)
                .ok_or_else(|| internal(format!("unresolved task answer {}", t.answer)))?;
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
        let mut stakeholders = Vec::new();
        for (k, s) in a.stakeholders.iter().enumerate() {
            // A per-track message is shown while its track is selected.
            let (cell, on) = match s.track {
                Some(t) => {
                    let (c, on) = on_cell(
                        &mut cells,
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
        acts.push(json!({
            "id": a.id,
            "number": ai + 1,
            "title": a.title,
            "duration": a.duration,
            "story": cells.opt_block(&a.story, Mode::Pinned)?,
            "stakeholders": stakeholders,
            "tasks": tasks,
            "prediction": a.prediction.as_ref().map(|q| question_ctx(&mut cells, q, lab.correct(ai, Which::Prediction), exam)).transpose()?,
            "simulator": simulator,
            "reveal": cells.opt_block(&a.reveal, Mode::Live)?,
            "reflection": a.reflection.as_ref().map(|q| question_ctx(&mut cells, q, lab.correct(ai, Which::Reflection), exam)).transpose()?,
            "mathpeek": mathpeek,
        }));
    }
    if diags.has_errors() {
        return Err(diags);
    }
    let mut constants = Vec::new();
    for c in &m.constants {
        let slot = lab
            .model
            .slot(&c.id)
            .ok_or_else(|| internal(format!("unresolved constant {}", c.id)))?;
        constants.push(json!({
            "label": c.label,
            "id": c.id,
            "value": cells.value_span(&c.id, slot, Mode::Pinned, &c.display)?,
            "source": c.source,
            "note": c.note,
        }));
    }
    let subtitle = cells.opt_block(&m.subtitle, Mode::Pinned)?;
    let core = cells.opt_block(&m.core_invariant, Mode::Pinned)?;

    // The data block the script reads.
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
        obj.insert(
            "labels".into(),
            json!(c
                .positions
                .iter()
                .map(|p| p.label.clone())
                .collect::<Vec<_>>()),
        );
        match c.kind {
            ControlKind::Select => {
                obj.insert(
                    "keys".into(),
                    json!(c
                        .positions
                        .iter()
                        .map(|p| p.key.clone())
                        .collect::<Vec<_>>()),
                );
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
    // Every track lists every control that any track moves, so switching
    // back to a track restores its own starting positions.
    let mut track_defaults = Map::new();
    let moved: Vec<usize> = {
        let mut v: Vec<usize> = m
            .tracks
            .iter()
            .flat_map(|t| t.defaults.iter().map(|(c, _)| *c))
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    if !moved.is_empty() {
        for (ti, t) in m.tracks.iter().enumerate() {
            let d: BTreeMap<String, usize> = moved
                .iter()
                .map(|&c| (m.controls[c].id.clone(), cells.defaults[ti][c]))
                .collect();
            track_defaults.insert(t.id.clone(), json!(d));
        }
    }
    let data = json!({
        "lab": m.id,
        "book_version": version,
        "controls": controls,
        "track_defaults": track_defaults,
        "cells": cells.cells,
        "fragments": cells.fragments,
    });
    let data = serde_json::to_string(&data).map_err(|e| internal(format!("page data: {e}")))?;
    // Inside <script>, `<` must not start `</script>` or `<!--`.
    let data = data.replace('<', "\\u003c");

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
        .map_err(|e| internal(format!("lab template: {e:?}")))?;
    Ok((page.into_bytes(), cells.figures))
}
