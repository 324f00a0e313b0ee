//! Builds the key of one lab from the checked book: its questions with
//! every track's text, the values they quote, its numeric tasks, and the
//! answer table of each act.

use super::table::{answer_table, too_large, AnswerTable};
use super::{finite, LabKey, NumericItem, OptionText, QuestionKey, QuestionText, TrackKey};
use crate::book::{lab_file, Lab, Which};
use crate::config::{Config, Tolerance};
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::format::prose;
use crate::format::prose::Piece;
use crate::format::show;
use crate::mission::{Act, Display, Question, TaskTolerance, Text};
use crate::model::Slot;
use crate::plan::display_of;
use crate::sweep::{self, Mode, Request};

/// The key of one lab, and the answer table of each act that lists one.
pub(super) fn lab_key(
    config: &Config,
    lab: &Lab,
    warnings: &mut Diagnostics,
) -> Result<(LabKey, Vec<AnswerTable>), Diagnostics> {
    let m = lab.mission;
    let mut questions = Vec::new();
    let mut numeric = Vec::new();
    let mut tables = Vec::new();
    let mut csvs = Vec::new();
    for (ai, act) in m.acts.iter().enumerate() {
        // Quotes of this act's questions, first use first: (name, scenario) -> quote.
        let mut quotes: Vec<Quote> = Vec::new();
        for (kind, which, q) in [
            ("prediction", Which::Prediction, &act.prediction),
            ("reflection", Which::Reflection, &act.reflection),
        ] {
            let Some(q) = q else { continue };
            let correct = lab.correct(ai, which);
            questions.push(question_key(
                lab,
                act,
                ai + 1,
                kind,
                (q, correct),
                &mut quotes,
            )?);
        }
        quoted_items(config, lab, act, &quotes, &mut numeric)?;
        task_items(config, lab, act, &mut numeric)?;
        if let Some(sim) = &act.simulator {
            let (table, csv) = answer_table(lab, &act.id, &sim.controls, &sim.instruments)?;
            match csv {
                Some(csv) => csvs.push(csv),
                None => warnings.push(
                    Diagnostic::warning(
                        // At the simulator's list of controls: they make the grid.
                        Some(
                            sim.control_locs
                                .first()
                                .cloned()
                                .unwrap_or_else(|| Location::file(&m.file)),
                        ),
                        too_large(&act.id, table.rows),
                    )
                    .with_hint(
                        "give the act's controls fewer positions (a larger slider step, or stops)",
                    ),
                ),
            }
            tables.push(table);
        }
    }
    let key = LabKey {
        id: m.id.clone(),
        title: m.title.clone(),
        chapter: m.chapter.clone(),
        page: lab_file(&m.id),
        tracks: m
            .tracks
            .iter()
            .map(|t| TrackKey {
                id: t.id.clone(),
                label: t.label.clone(),
            })
            .collect(),
        questions,
        numeric,
        tables,
    };
    Ok((key, csvs))
}

/// The values an act's questions quote, per track: reference values for
/// the teacher (and for Moodle), not graded.
fn quoted_items(
    config: &Config,
    lab: &Lab,
    act: &Act,
    quotes: &[Quote],
    numeric: &mut Vec<NumericItem>,
) -> Result<(), Diagnostics> {
    let m = lab.mission;
    // Hidden names (`__option_…`, a bound option's own value) are
    // labgen's bookkeeping: the option text shows them, and the value
    // they estimate is quoted under its own name.
    for quote in quotes.iter().filter(|q| !q.name.starts_with("__")) {
        for (ti, t) in m.tracks.iter().enumerate() {
            let v = value_at(lab, quote.slot, quote.mode, ti).ok_or_else(|| {
                Diagnostics::internal(format_args!("no value for {} on {}", quote.name, t.id))
            })?;
            let shown = show(v, &quote.display.unit, quote.display.digits);
            let scenario = quote.mode.scenario().and_then(|s| m.scenarios.get(s));
            numeric.push(NumericItem {
                id: match scenario {
                    Some(s) => format!("{}.{}@{}", act.id, quote.name, s.id),
                    None => format!("{}.{}", act.id, quote.name),
                },
                act: act.id.clone(),
                name: quote.name.clone(),
                label: match scenario {
                    Some(s) => format!("{} at “{}”", slot_label(lab, quote.slot), s.label),
                    None => slot_label(lab, quote.slot),
                },
                track: t.id.clone(),
                value: finite(shown.number),
                unit: shown.unit,
                text: shown.text,
                tolerance: config.grading.tolerance,
                source: if scenario.is_some() {
                    "scenario"
                } else {
                    "pinned"
                }
                .to_string(),
                scenario: scenario.map(|s| s.id.clone()),
                graded: false,
            });
        }
    }
    Ok(())
}

/// The act's tasks: numbers the student types, graded per track.
fn task_items(
    config: &Config,
    lab: &Lab,
    act: &Act,
    numeric: &mut Vec<NumericItem>,
) -> Result<(), Diagnostics> {
    let m = lab.mission;
    for t in &act.tasks {
        let slot = lab.model.slot(&t.answer).ok_or_else(|| {
            Diagnostics::internal(format_args!("unresolved task answer {}", t.answer))
        })?;
        let display = crate::plan::task_display(m, lab.model, t, slot);
        let mode = crate::plan::task_mode(t);
        for (ti, tr) in m.tracks.iter().enumerate() {
            let v = value_at(lab, slot, mode, ti).ok_or_else(|| {
                Diagnostics::internal(format_args!("no value for {} on {}", t.answer, tr.id))
            })?;
            let shown = show(v, &display.unit, display.digits);
            let tolerance = match &t.tolerance {
                None => config.grading.tolerance,
                Some(TaskTolerance::Relative(r)) => Tolerance {
                    relative: *r,
                    absolute: 0.0,
                },
                // The absolute amount in the unit the answer is typed in.
                Some(TaskTolerance::Absolute(q)) => Tolerance {
                    relative: 0.0,
                    absolute: finite(show(q.value, &display.unit, None).number),
                },
            };
            numeric.push(NumericItem {
                id: format!("{}.{}", act.id, t.id),
                act: act.id.clone(),
                name: t.answer.clone(),
                label: fill(lab, &t.prompt, ti, &mut Vec::new())?,
                track: tr.id.clone(),
                value: finite(shown.number),
                unit: shown.unit,
                text: shown.text,
                tolerance,
                source: "task".to_string(),
                scenario: t.at.and_then(|s| m.scenarios.get(s)).map(|s| s.id.clone()),
                graded: true,
            });
        }
    }
    Ok(())
}

/// A value a question quotes: the reference's name, slot, mode and display.
struct Quote {
    name: String,
    slot: usize,
    mode: Mode,
    display: Display,
}

/// A prediction or reflection with its text on every track.
fn question_key(
    lab: &Lab,
    act: &Act,
    act_number: usize,
    kind: &str,
    (q, correct): (&Question, &str),
    quotes: &mut Vec<Quote>,
) -> Result<QuestionKey, Diagnostics> {
    let mut per_track = Vec::new();
    for ti in 0..lab.mission.tracks.len() {
        let prompt = fill(lab, &q.prompt, ti, quotes)?;
        let mut options = Vec::new();
        for o in &q.options {
            options.push(OptionText {
                key: o.key.clone(),
                correct: o.key == correct,
                text: fill(lab, &o.text, ti, quotes)?,
                feedback: fill(lab, &o.feedback, ti, quotes)?,
            });
        }
        per_track.push(QuestionText {
            track: lab.mission.tracks[ti].id.clone(),
            prompt,
            options,
        });
    }
    Ok(QuestionKey {
        id: format!("{}.{kind}", act.id),
        act: act.id.clone(),
        act_title: act.title.clone(),
        act_number,
        kind: kind.to_string(),
        correct: correct.to_string(),
        options: q.options.iter().map(|o| o.key.clone()).collect(),
        tracks: per_track,
    })
}

/// A pinned prose field on one track, as Markdown with its values written
/// in; records each value it quotes (first use first).
fn fill(lab: &Lab, t: &Text, track: usize, quotes: &mut Vec<Quote>) -> Result<String, Diagnostics> {
    let m = lab.mission;
    let pieces = prose::parse(&t.src)
        .map_err(|e| Diagnostics::internal(format_args!("unparsed prose: {}", e.message)))?;
    let mut out = String::with_capacity(t.src.len());
    for p in pieces {
        match p {
            Piece::Lit(s) => out.push_str(&s),
            Piece::Fact { text, .. } => out.push_str(&text),
            Piece::Ref(r) => {
                let slot = lab.model.slot(&r.name).ok_or_else(|| {
                    Diagnostics::internal(format_args!("unresolved name {}", r.name))
                })?;
                let mode = match &r.scenario {
                    Some(s) => Mode::Scenario(
                        m.scenarios
                            .iter()
                            .position(|x| x.id == *s)
                            .and_then(|i| u16::try_from(i).ok())
                            .ok_or_else(|| {
                                Diagnostics::internal(format_args!("unknown scenario {s}"))
                            })?,
                    ),
                    None => Mode::Pinned,
                };
                let base = display_of(m, lab.model, slot);
                let display = Display {
                    unit: r.unit.clone().unwrap_or_else(|| base.unit.clone()),
                    digits: r
                        .digits
                        .or(if r.unit.is_some() { None } else { base.digits }),
                };
                let v = value_at(lab, slot, mode, track).ok_or_else(|| {
                    Diagnostics::internal(format_args!("no pinned value for {}", r.name))
                })?;
                out.push_str(&show(v, &display.unit, display.digits).text);
                if !quotes.iter().any(|q| q.name == r.name && q.mode == mode) {
                    quotes.push(Quote {
                        name: r.name.clone(),
                        slot,
                        mode,
                        display,
                    });
                }
            }
        }
    }
    Ok(collapse(&out))
}

/// The value of a pinned or scenario request on a track: at the track's
/// default positions (with the scenario's settings), as the page shows it.
fn value_at(lab: &Lab, slot: usize, mode: Mode, track: usize) -> Option<f64> {
    let table = lab.sweep.table(Request { slot, mode })?;
    let base = sweep::base_positions(lab.mission, mode);
    let track = sweep::fixed_track(lab.mission, mode).unwrap_or(track);
    let pos = base.get(track)?;
    table.values.get(table.index(track, pos)).copied()
}

/// The label of a formula, constant or control.
pub(super) fn slot_label(lab: &Lab, slot: usize) -> String {
    let m = lab.mission;
    match lab.model.slots[slot] {
        Slot::Formula(f) => m.formulas[f].label.clone(),
        Slot::Constant(c) => m.constants[c].label.clone(),
        Slot::Control(c) => m.controls[c].label.clone(),
    }
}

/// Block-scalar prose keeps its line breaks; a key reads better with each
/// paragraph on one line. Blank lines (paragraph breaks) and list items
/// stay.
pub(super) fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for para in s.trim().split("\n\n") {
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        let mut first = true;
        for line in para.lines() {
            let l = line.trim();
            if l.is_empty() {
                continue;
            }
            if !first {
                // Keep Markdown list items on their own lines.
                let item = l.starts_with("- ") || l.starts_with("* ") || l.starts_with("+ ");
                out.push(if item { '\n' } else { ' ' });
            }
            out.push_str(l);
            first = false;
        }
    }
    out
}
